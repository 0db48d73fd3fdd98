#include <check.h>
Suite *td_core_suite(void);
Suite *td_core_suite(void) { return suite_create("core"); }
