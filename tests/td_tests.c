/*
 * The one check runner. Every suite of tests/suites.def is linked in;
 * `td_tests --suite NAME` runs one (that is how ctest calls it), no
 * argument runs them all.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TD_SUITE(name, label) Suite *td_##name##_suite(void);
#include "suites.def"
#undef TD_SUITE

static const struct {
    const char *name;
    Suite *(*make)(void);
} suites[] = {
#define TD_SUITE(name, label) {#name, td_##name##_suite},
#include "suites.def"
#undef TD_SUITE
};

int main(int argc, char **argv)
{
    const char *only = NULL;
    SRunner *sr = NULL;
    size_t i;
    int failed;

    if (argc == 3 && strcmp(argv[1], "--suite") == 0)
        only = argv[2];
    else if (argc != 1) {
        fprintf(stderr, "usage: td_tests [--suite NAME]\n");
        return 2;
    }
    for (i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        if (only && strcmp(only, suites[i].name) != 0)
            continue;
        if (!sr)
            sr = srunner_create(suites[i].make());
        else
            srunner_add_suite(sr, suites[i].make());
    }
    if (!sr) {
        fprintf(stderr, "td_tests: no suite named '%s'\n", only);
        return 2;
    }
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
