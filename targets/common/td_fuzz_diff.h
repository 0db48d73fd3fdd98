/*
 * Glue of the message-level differential targets (targets/diff/): each
 * target file names its td_target (harness/include/td_target.h) with
 * TD_FUZZ_DIFF_TARGET and nothing else. One input runs against the
 * reference and wolfSSL through the scripted peer; a difference
 * vectors/divergences does not record aborts with its explanation, so
 * libFuzzer keeps the input and a replay exits non-zero.
 *
 * With TD_FUZZ_DIVERGENCE_DIR=DIR in the environment (tlsdiff fuzz sets
 * it, so the CI smoke run has it), a new divergence does not abort: the first input of
 * each class (target, profile, first difference) is saved as
 * DIR/divergence-KEY with its one-line explanation in
 * DIR/divergence-KEY.txt, the line is printed to stderr as
 * "tlsdiff: divergence TARGET [PROFILE] DIFFERENCE; edit: EDIT", and
 * fuzzing goes on; a crash still aborts.
 *
 * Under the fuzz preset the structure-aware mutator (td_edit_mutate on the
 * edit script, for the message of the input's variant) is the custom
 * mutator; the flight and record targets prefer their edits
 * (td_edit_mutate_flight, td_edit_mutate_record; td_target_kind).
 * TD_FUZZ_RAW=1 in the environment turns it into libFuzzer's byte
 * mutation of the whole input.
 */
#ifndef TD_FUZZ_DIFF_H
#define TD_FUZZ_DIFF_H

#include "td_fuzz.h"

int td_fuzz_diff_one(const char *target, const uint8_t *data, size_t size);
size_t td_fuzz_diff_mutate(const char *target, uint8_t *data, size_t size, size_t max,
                           unsigned int seed);

#ifdef TD_FUZZ_LIBFUZZER
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed);
#define TD_FUZZ_DIFF_MUTATOR(NAME)                                                         \
    size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed) \
    {                                                                                      \
        return td_fuzz_diff_mutate(NAME, data, size, max, seed);                           \
    }
#else
#define TD_FUZZ_DIFF_MUTATOR(NAME)
#endif

#define TD_FUZZ_DIFF_TARGET(NAME)                                                          \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                          \
    {                                                                                      \
        return td_fuzz_diff_one(NAME, data, size);                                         \
    }                                                                                      \
    TD_FUZZ_DIFF_MUTATOR(NAME)

#endif
