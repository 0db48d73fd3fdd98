#include <check.h>
Suite *td_refusal_suite(void);
Suite *td_refusal_suite(void) { return suite_create("refusal"); }
