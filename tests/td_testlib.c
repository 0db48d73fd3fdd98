#include "td_testlib.h"

#include <stdio.h>
#include <string.h>

void td_test_profile(td_profile *p, const char *name)
{
    char why[512] = "";
    td_err e = td_profile_load(p, name, why, sizeof why);

    ck_assert_msg(e == TD_OK, "profile %s: %s", name, why);
}

size_t td_test_matrix_list(char (*names)[TD_PROFILE_MAX_NAME], size_t max)
{
    char path[512], line[256];
    size_t n = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/profiles/matrix.list", td_vectors_dir());
    f = fopen(path, "r"); /* also called while suites are built: no ck_assert */
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return 0;
    }
    while (n < max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "#\r\n")] = '\0';
        if (!line[0])
            continue;
        snprintf(names[n++], TD_PROFILE_MAX_NAME, "%s", line);
    }
    fclose(f);
    return n;
}

void td_test_run(const char *name, uint64_t seed, td_transcript *t, td_run_result *r)
{
    td_profile p;
    td_world w;
    td_err e;

    td_test_profile(&p, name);
    td_world_init(&w, seed);
    e = td_pump_profile(TD_IMPL_WOLFSSL, TD_IMPL_WOLFSSL, &p, &w, t, r);
    td_world_free(&w);
    ck_assert_msg(e == TD_OK, "%s: harness error %s: %s", name, td_err_name(e), r->why);
}

const uint8_t *td_test_hello(const td_transcript *t, td_role from, uint8_t msg_type, size_t *len)
{
    const uint8_t *p = td_transcript_find_handshake(t, from, msg_type, len);

    ck_assert_msg(p != NULL, "no handshake message %u from the %s", msg_type, td_role_name(from));
    return p;
}
