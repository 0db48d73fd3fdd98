#include <check.h>
Suite *td_determinism_suite(void);
Suite *td_determinism_suite(void) { return suite_create("determinism"); }
