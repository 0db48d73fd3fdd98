/* Helpers shared by the check suites. */
#ifndef TD_TESTLIB_H
#define TD_TESTLIB_H

#include <check.h>

#include "td_profile.h"

/* Load a profile by name from vectors/profiles, failing the test on error. */
void td_test_profile(td_profile *p, const char *name);

#endif
