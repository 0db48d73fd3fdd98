#include <check.h>
Suite *td_profile_suite(void);
Suite *td_profile_suite(void) { return suite_create("profile"); }
