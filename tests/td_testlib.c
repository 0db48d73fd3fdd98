#include "td_testlib.h"

void td_test_profile(td_profile *p, const char *name)
{
    char why[512] = "";
    td_err e = td_profile_load(p, name, why, sizeof why);

    ck_assert_msg(e == TD_OK, "profile %s: %s", name, why);
}
