/*
 * Every message-level target (td_target.h), every variant, the canonical
 * message: both subjects complete the same handshake, or differ only in a
 * way vectors/divergences records (td_judge). This is the baseline every
 * fuzz input is compared against: a canonical flight that diverged would
 * make every input of that target "diverge".
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "td_target.h"
#include "td_testlib.h"

Suite *td_targets_suite(void);

START_TEST(test_canonical_every_target)
{
    static td_divergences div;
    td_target_result *res = calloc(1, sizeof *res);
    char path[1024], why[512];
    size_t i, v, runs = 0, known = 0;
    uint8_t seed[2];

    ck_assert_ptr_nonnull(res);
    ck_assert_int_eq(td_vectors_path("divergences", path, sizeof path), TD_OK);
    ck_assert_msg(td_divergences_load(path, &div, why, sizeof why) == TD_OK, "%s", why);
    ck_assert_uint_ge(td_target_count(), 17);
    for (i = 0; i < td_target_count(); i++) {
        const td_target *t = td_target_at(i);

        ck_assert_ptr_eq(td_target_find(t->name), t);
        /* the targets that pick their message per variant (flight,
         * record, post_handshake) have their own suite, targets_flight */
        if (t->variants)
            continue;
        for (v = 0; v < td_target_variants(t); v++) {
            size_t n = td_target_seed(v, seed, sizeof seed);

            ck_assert_msg(td_target_run(t, (td_span){seed, n}, &div, res, why, sizeof why) ==
                              TD_OK,
                          "%s/%s: %s", t->name, t->profiles[v], why);
            runs++;
            /* the message under test went out and both completed */
            ck_assert_msg(res->ref.note[0] == '\0' && res->ref.state.handshake_done,
                          "%s/%s: reference: %s", t->name, res->profile, res->ref.note);
            ck_assert_msg(res->wolf.note[0] == '\0' && res->wolf.state.handshake_done,
                          "%s/%s: wolfSSL: %s", t->name, res->profile, res->wolf.note);
            if (res->judgement == TD_JUDGE_NEW) {
                td_obs_print(&res->ref, stdout);
                td_obs_print(&res->wolf, stdout);
                ck_abort_msg("%s/%s canonical: new divergence: %s", t->name, res->profile,
                             res->line);
            }
            if (res->judgement == TD_JUDGE_KNOWN) {
                known++;
                printf("targets: %s/%s canonical: known (%s): %s\n", t->name, res->profile,
                       res->hit->id, res->line);
            }
        }
    }
    printf("targets: %zu targets, %zu canonical runs, %zu known divergences\n",
           td_target_count(), runs, known);
    free(res);
}
END_TEST

Suite *td_targets_suite(void)
{
    Suite *s = suite_create("targets");
    TCase *tc = tcase_create("canonical");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_canonical_every_target);
    suite_add_tcase(s, tc);
    return s;
}
