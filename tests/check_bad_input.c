#include <check.h>
Suite *td_bad_input_suite(void);
Suite *td_bad_input_suite(void) { return suite_create("bad_input"); }
