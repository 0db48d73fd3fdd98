#include <check.h>
Suite *td_wolfssl_subject_suite(void);
Suite *td_wolfssl_subject_suite(void) { return suite_create("wolfssl_subject"); }
