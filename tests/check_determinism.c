/*
 * Determinism (DESIGN.md): the same seed gives the same bytes on every run,
 * in one process after any other test case, and a different seed changes
 * the randoms.
 */
#include <check.h>
#include <string.h>

#include "td_hello.h"
#include "td_testlib.h"

Suite *td_determinism_suite(void);

static char names[64][TD_PROFILE_MAX_NAME];
static size_t n_names;

START_TEST(same_seed_same_bytes)
{
    td_transcript a = {0}, b = {0}, other = {0};
    td_run_result ra, rb, ro;
    const char *name = names[_i];

    td_test_run(name, 1, &a, &ra);
    /* Another profile in between: no state may leak from one world to the next. */
    td_test_run(names[(_i + 1) % n_names], 1, &other, &ro);
    td_test_run(name, 1, &b, &rb);
    ck_assert_msg(a.len > 0, "%s: nothing was sent", name);
    ck_assert_msg(td_transcript_equal(&a, &b), "%s: two runs with seed 1 differ", name);
    td_transcript_free(&a);
    td_transcript_free(&b);
    td_transcript_free(&other);
}
END_TEST

START_TEST(other_seed_other_randoms)
{
    td_transcript a = {0}, b = {0};
    td_run_result ra, rb;
    const char *name = names[_i];
    const uint8_t *ha, *hb;
    size_t la, lb;
    td_hello_view va, vb;
    td_profile p;

    td_test_profile(&p, name);
    td_test_run(name, 1, &a, &ra);
    td_test_run(name, 2, &b, &rb);
    ck_assert(!td_transcript_equal(&a, &b));
    /* ClientHello.random (RFC 8446 4.1.2) */
    ha = td_test_hello(&a, TD_ROLE_CLIENT, 1, &la);
    hb = td_test_hello(&b, TD_ROLE_CLIENT, 1, &lb);
    ck_assert(td_hello_view_parse(ha, la, &va) && td_hello_view_parse(hb, lb, &vb));
    ck_assert_msg(memcmp(va.random, vb.random, 32) != 0, "%s: same ClientHello.random", name);
    if (!p.expect_alert) {
        /* ServerHello.random (RFC 8446 4.1.3); an HRR's is the fixed constant,
         * so compare the last ServerHello of each transcript. */
        size_t i;
        const uint8_t *sa = NULL, *sb = NULL;
        for (i = 0; i < a.n_chunks; i++)
            if (a.chunks[i].from == TD_ROLE_SERVER && a.bytes[a.chunks[i].off] == 22 &&
                a.bytes[a.chunks[i].off + 5] == 2)
                sa = a.bytes + a.chunks[i].off, la = a.chunks[i].len;
        for (i = 0; i < b.n_chunks; i++)
            if (b.chunks[i].from == TD_ROLE_SERVER && b.bytes[b.chunks[i].off] == 22 &&
                b.bytes[b.chunks[i].off + 5] == 2)
                sb = b.bytes + b.chunks[i].off, lb = b.chunks[i].len;
        ck_assert(sa && sb && td_hello_view_parse(sa, la, &va) && td_hello_view_parse(sb, lb, &vb));
        ck_assert_msg(memcmp(va.random, vb.random, 32) != 0, "%s: same ServerHello.random", name);
    }
    td_transcript_free(&a);
    td_transcript_free(&b);
}
END_TEST

Suite *td_determinism_suite(void)
{
    Suite *s = suite_create("determinism");
    TCase *t = tcase_create("transcripts");

    n_names = td_test_matrix_list(names, 64);
    tcase_add_loop_test(t, same_seed_same_bytes, 0, (int)n_names);
    tcase_add_loop_test(t, other_seed_other_randoms, 0, (int)n_names);
    suite_add_tcase(s, t);
    return s;
}
