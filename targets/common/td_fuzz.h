/*
 * Glue shared by every fuzz target. A target defines
 * LLVMFuzzerTestOneInput and nothing else; under the fuzz preset it links
 * with libFuzzer, otherwise with td_fuzz_replay.c, which runs the same
 * function over files (a plain replay program that builds with gcc).
 */
#ifndef TD_FUZZ_H
#define TD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant broke: report it and abort, so libFuzzer saves the input
 * and a replay exits non-zero. */
#define TD_FUZZ_CHECK(cond)                                                    \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

#endif
