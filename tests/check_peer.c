/*
 * The scripted peer (td_peer.h) against both subjects: the canonical
 * flight of a profile gives the same observation from the reference and
 * wolfSSL, and edits of the message under test give the alert the RFC
 * names, from both:
 *   - ClientHello without supported_versions to a TLS 1.3-only server:
 *     it is a TLS 1.2 ClientHello (RFC 8446 4.2.1), which the server
 *     refuses with protocol_version (RFC 8446 4.2.1, D.2);
 *   - ClientHello cut to 10 bytes (header length following): decode_error
 *     (RFC 8446 6: "a message could not be decoded because some field was
 *     out of the specified range or the length of the message was
 *     incorrect");
 *   - ServerHello choosing a suite the client did not offer:
 *     illegal_parameter (RFC 8446 4.1.3: "A client which receives a
 *     cipher suite that was not offered MUST abort the handshake with an
 *     illegal_parameter alert");
 *   - TLS 1.2: the same for the ServerHello's suite (RFC 5246 7.4.1.3:
 *     "a single cipher suite selected by the server from the list in
 *     ClientHello.cipher_suites"; illegal_parameter, 7.2.2).
 * And the edit is really on the wire: an edit that changes nothing the
 * subject reads (a random) keeps the canonical observation. Where the two
 * subjects differ, vectors/divergences must say so (td_judge): the
 * canonical TLS 1.3 server flight (the server_name acknowledgement RFC
 * 6066 3 leaves to the server) and wolfSSL's alert for a ServerHello suite
 * it did not offer (RFC 8446 4.1.3) are recorded there.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "td_judge.h"
#include "td_peer.h"
#include "td_testlib.h"

Suite *td_peer_suite(void);

static td_observation obs_ref, obs_wolf;
static td_divergences div;

static void load_divergences(void)
{
    char path[1024], why[512];

    ck_assert_int_eq(td_vectors_path("divergences", path, sizeof path), TD_OK);
    ck_assert_msg(td_divergences_load(path, &div, why, sizeof why) == TD_OK, "%s", why);
}

/* The failure rule: same or known; a new difference fails. */
static td_judgement judged(const char *message, const char *edit)
{
    char line[512];
    const td_divergence *hit;
    td_judgement j =
        td_judge(&div, message, edit, NULL, &obs_ref, &obs_wolf, line, sizeof line, &hit);

    if (j == TD_JUDGE_NEW) {
        td_obs_print(&obs_ref, stdout);
        td_obs_print(&obs_wolf, stdout);
        ck_abort_msg("%s, %s: new divergence: %s", message, edit, line);
    }
    if (j == TD_JUDGE_KNOWN)
        printf("peer: %s, %s: known (%s): %s\n", message, edit, hit->id, line);
    return j;
}

/* Run one case against both subjects. */
static void run_both(const char *profile, td_role subject_role, uint8_t msg_type,
                     const char *script)
{
    static td_profile p;
    static td_edit_script s;
    td_peer_case pc;
    char why[256] = "";

    td_test_profile(&p, profile);
    memset(&pc, 0, sizeof pc);
    pc.profile = &p;
    pc.subject_role = subject_role;
    pc.msg_type = msg_type;
    pc.seed = 1;
    if (script) {
        ck_assert_msg(td_edit_parse(script, &s, why, sizeof why) == TD_OK, "%s: %s", script,
                      why);
        pc.edit = &s;
    }
    ck_assert_msg(td_peer_run(&pc, TD_IMPL_REF, &obs_ref, why, sizeof why) == TD_OK, "%s",
                  why);
    ck_assert_msg(td_peer_run(&pc, TD_IMPL_WOLFSSL, &obs_wolf, why, sizeof why) == TD_OK, "%s",
                  why);
}

static void expect_outcome(const td_observation *o, const char *want, const char *who)
{
    char got[128];

    td_obs_outcome(o, got, sizeof got);
    if (strcmp(got, want) != 0) {
        td_obs_print(o, stdout);
        ck_abort_msg("%s: outcome %s, expected %s (note: %s)", who, got, want, o->note);
    }
}

START_TEST(test_canonical_same)
{
    static const struct {
        const char *profile;
        td_role role;
        uint8_t msg;
    } cases[] = {
        {"tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, 1}, /* ClientHello to the subject */
        {"tls13-x25519-ecdsa-p256", TD_ROLE_CLIENT, 2}, /* ServerHello to the subject */
        {"tls12-ecdhe-rsa-chacha20", TD_ROLE_SERVER, 1},
        {"tls12-ecdhe-rsa-chacha20", TD_ROLE_CLIENT, 2},
    };
    size_t i;

    load_divergences();
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_both(cases[i].profile, cases[i].role, cases[i].msg, NULL);
        expect_outcome(&obs_ref, "continue", "reference");
        expect_outcome(&obs_wolf, "continue", "wolfSSL");
        ck_assert_msg(obs_ref.state.handshake_done && obs_wolf.state.handshake_done,
                      "%s: handshake not completed", cases[i].profile);
        (void)judged(cases[i].msg == 1 ? "client_hello" : "server_hello", "canonical");
    }
}
END_TEST

START_TEST(test_edits_alerts)
{
    static const struct {
        const char *profile;
        td_role role;
        uint8_t msg;
        const char *script, *outcome;
    } cases[] = {
        {"tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, 1, "ext drop supported_versions",
         "alert:protocol_version"},
        {"tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, 1, "truncate 10", "alert:decode_error"},
        {"tls13-x25519-ecdsa-p256", TD_ROLE_CLIENT, 2, "set cipher_suite TLS_AES_256_GCM_SHA384",
         "alert:illegal_parameter"},
        {"tls12-ecdhe-rsa-chacha20", TD_ROLE_CLIENT, 2,
         "set cipher_suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "alert:illegal_parameter"},
    };
    size_t i;

    load_divergences();
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_both(cases[i].profile, cases[i].role, cases[i].msg, cases[i].script);
        /* the reference is held to the RFC; wolfSSL to the RFC or to an
         * entry of vectors/divergences */
        expect_outcome(&obs_ref, cases[i].outcome, cases[i].script);
        if (judged(cases[i].msg == 1 ? "client_hello" : "server_hello", cases[i].script) ==
            TD_JUDGE_SAME)
            expect_outcome(&obs_wolf, cases[i].outcome, cases[i].script);
    }
}
END_TEST

/* A changed ClientHello.random is read by the server, which answers; the
 * observation stays the canonical one (randoms are not compared), while
 * a different alert is found and named. */
START_TEST(test_compare_reports)
{
    static td_observation canon;
    char line[512];

    run_both("tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, 1, NULL);
    canon = obs_ref;
    run_both("tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, 1, "set random 11*32");
    expect_outcome(&obs_ref, "continue", "reference");
    ck_assert_int_eq(td_obs_compare(&canon, &obs_ref, line, sizeof line), 0);
    run_both("tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, 1, "truncate 10");
    ck_assert_int_eq(td_obs_compare(&canon, &obs_ref, line, sizeof line), 1);
    ck_assert_msg(strstr(line, "verdict") != NULL, "%s", line);
}
END_TEST

Suite *td_peer_suite(void)
{
    Suite *s = suite_create("peer");
    TCase *tc = tcase_create("both_subjects");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_canonical_same);
    tcase_add_test(tc, test_edits_alerts);
    tcase_add_test(tc, test_compare_reports);
    suite_add_tcase(s, tc);
    return s;
}
