/* Helpers shared by the check suites. */
#ifndef TD_TESTLIB_H
#define TD_TESTLIB_H

#include <check.h>
#include <stddef.h>

#include "td_profile.h"
#include "td_pump.h"

/* Load a profile by name from vectors/profiles, failing the test on error. */
void td_test_profile(td_profile *p, const char *name);

/* The names in vectors/profiles/matrix.list; returns how many (<= max),
 * 0 when the list cannot be read (the callers then fail their count check). */
size_t td_test_matrix_list(char (*names)[TD_PROFILE_MAX_NAME], size_t max);

/* Run profile `name` wolfSSL against wolfSSL with `seed`; the caller frees t. */
void td_test_run(const char *name, uint64_t seed, td_transcript *t, td_run_result *r);

/* The first record `from` sent that holds handshake message msg_type;
 * fails the test when there is none. Returns the record (header included). */
const uint8_t *td_test_hello(const td_transcript *t, td_role from, uint8_t msg_type, size_t *len);

#endif
