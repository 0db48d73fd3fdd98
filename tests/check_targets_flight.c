/*
 * The targets beyond single messages (td_target.h): flight, record and
 * post_handshake. Their variant tables, the canonical input of every
 * variant (judged same or known, the message under test sent), inputs
 * whose outcome an RFC clause fixes (the reference held to it, the
 * judgement never a new divergence), and the mutation families of
 * td_edit_mutate_flight and td_edit_mutate_record.
 *
 * Variant numbers are those of harness/peer/td_target.c (FLIGHT_VARIANTS,
 * POST_VARIANTS); test_variants checks the ones used here name the
 * message they are used for.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_target.h"
#include "td_testlib.h"

Suite *td_targets_flight_suite(void);

/* flight and record variants */
#define V13_CERT 2       /* tls13-x25519-ecdsa-p256, subject client: Certificate */
#define V13_CV 3         /* ... the server's CertificateVerify */
#define V13_EE 1         /* ... EncryptedExtensions */
#define V13_CLIENT_CV 15 /* tls13-client-auth, subject server: the client's CV */
#define V12_SKE 19       /* tls12-ecdhe-ecdsa-aes128-gcm, subject client: SKE */
/* post_handshake variants */
#define P_KU_REQ 0   /* KeyUpdate(update_requested) to a TLS 1.3 client */
#define P_KU_REQ_S 1 /* the same to a server */
#define P_KU 2       /* KeyUpdate(update_not_requested) to a client */
#define P_NST 4      /* a second NewSessionTicket */
#define P_CR 5       /* CertificateRequest, post_handshake_auth not offered */
#define P_HR 6       /* a TLS 1.2 HelloRequest */
#define P_CH13 10    /* a ClientHello after a TLS 1.3 handshake */

static td_divergences divs;
static td_target_result *res;

static void setup(void)
{
    char path[1024], why[512];

    res = calloc(1, sizeof *res);
    ck_assert_ptr_nonnull(res);
    ck_assert_int_eq(td_vectors_path("divergences", path, sizeof path), TD_OK);
    ck_assert_msg(td_divergences_load(path, &divs, why, sizeof why) == TD_OK, "%s", why);
}

static void teardown(void)
{
    free(res);
}

/* Run variant v of target `name` with the edit script `text` ("" for the
 * canonical message): res filled, the message under test sent. */
static void run(const char *name, size_t v, const char *text)
{
    static td_edit_script s;
    const td_target *t = td_target_find(name);
    uint8_t in[4096];
    char why[512];
    td_span enc;
    td_wr w;

    ck_assert_ptr_nonnull(t);
    ck_assert_msg(td_edit_parse(text, &s, why, sizeof why) == TD_OK, "%s", why);
    in[0] = (uint8_t)v;
    in[1] = 0;
    td_wr_init(&w, in + 2, sizeof in - 2);
    ck_assert_int_eq(td_edit_encode(&s, &w), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &enc), TD_OK);
    ck_assert_msg(td_target_run(t, (td_span){in, 2 + enc.len}, &divs, res, why, sizeof why) ==
                      TD_OK,
                  "%s/%zu: %s", name, v, why);
    ck_assert_msg(strstr(res->ref.note, "never sent") == NULL &&
                      strstr(res->ref.note, "not applied") == NULL,
                  "%s/%zu %s: %s", name, v, res->edit, res->ref.note);
    ck_assert_msg(res->judgement != TD_JUDGE_NEW, "%s/%zu %s: new divergence: %s", name, v,
                  res->edit, res->line);
}

static void outcome_is(const td_observation *o, const char *want)
{
    char got[TD_OBS_OUTCOME_LEN];

    td_obs_outcome(o, got, sizeof got);
    ck_assert_msg(strcmp(got, want) == 0, "%s: %s, expected %s", res->edit, got, want);
}

/* ------------------------------------------------------------ tables */

START_TEST(test_variants)
{
    static const struct {
        const char *target;
        size_t v;
        uint8_t msg_type;
        td_role subject;
    } used[] = {
        {"flight", V13_EE, TD_HS_ENCRYPTED_EXTENSIONS, TD_ROLE_CLIENT},
        {"flight", V13_CERT, TD_HS_CERTIFICATE, TD_ROLE_CLIENT},
        {"flight", V13_CV, TD_HS_CERTIFICATE_VERIFY, TD_ROLE_CLIENT},
        {"flight", V13_CLIENT_CV, TD_HS_CERTIFICATE_VERIFY, TD_ROLE_SERVER},
        {"flight", V12_SKE, TD_HS_SERVER_KEY_EXCHANGE, TD_ROLE_CLIENT},
        {"post_handshake", P_KU_REQ, TD_HS_KEY_UPDATE, TD_ROLE_CLIENT},
        {"post_handshake", P_KU_REQ_S, TD_HS_KEY_UPDATE, TD_ROLE_SERVER},
        {"post_handshake", P_KU, TD_HS_KEY_UPDATE, TD_ROLE_CLIENT},
        {"post_handshake", P_NST, TD_HS_NEW_SESSION_TICKET, TD_ROLE_CLIENT},
        {"post_handshake", P_CR, TD_HS_CERTIFICATE_REQUEST, TD_ROLE_CLIENT},
        {"post_handshake", P_HR, TD_HS_HELLO_REQUEST, TD_ROLE_CLIENT},
        {"post_handshake", P_CH13, TD_HS_CLIENT_HELLO, TD_ROLE_SERVER},
    };
    const char *picking[] = {"flight", "record", "post_handshake"};
    size_t i, v;

    for (i = 0; i < 3; i++) {
        const td_target *t = td_target_find(picking[i]);

        ck_assert_ptr_nonnull(t);
        ck_assert_ptr_nonnull(t->variants);
        ck_assert_uint_ge(td_target_variants(t), 10);
        /* one list: profiles[v] is variant v's profile */
        for (v = 0; v < td_target_variants(t); v++) {
            td_target_variant tv;

            td_target_variant_of(t, v, &tv);
            ck_assert_str_eq(tv.profile, t->profiles[v]);
            ck_assert_int_eq(tv.post_handshake, strcmp(t->name, "post_handshake") == 0);
        }
    }
    for (i = 0; i < sizeof used / sizeof used[0]; i++) {
        td_target_variant tv;

        td_target_variant_of(td_target_find(used[i].target), used[i].v, &tv);
        ck_assert_msg(tv.msg_type == used[i].msg_type && tv.subject_role == used[i].subject,
                      "%s variant %zu is %u", used[i].target, used[i].v, tv.msg_type);
    }
    /* flight and record run the same variants; a message target's
     * variant is its message under each profile */
    ck_assert_ptr_eq(td_target_find("flight")->variants, td_target_find("record")->variants);
    {
        const td_target *t = td_target_find("server_finished");
        td_target_variant tv;

        td_target_variant_of(t, 1, &tv);
        ck_assert_str_eq(tv.profile, t->profiles[1]);
        ck_assert_uint_eq(tv.msg_type, TD_HS_FINISHED);
        ck_assert_int_eq(tv.subject_role, TD_ROLE_CLIENT);
        ck_assert_int_eq(tv.post_handshake, 0);
    }
}
END_TEST

/* Every variant's canonical input: the message goes out, the judgement
 * is same or known; flight and record complete the handshake. */
START_TEST(test_canonical)
{
    const char *picking[] = {"flight", "record", "post_handshake"};
    size_t i, v, known = 0, runs = 0;

    for (i = 0; i < 3; i++) {
        const td_target *t = td_target_find(picking[i]);

        for (v = 0; v < td_target_variants(t); v++, runs++) {
            run(t->name, v, "");
            known += res->judgement == TD_JUDGE_KNOWN;
            if (t->kind == TD_TARGET_POST)
                continue;
            ck_assert_msg(res->ref.note[0] == '\0' && res->ref.state.handshake_done,
                          "%s/%zu: reference: %s", t->name, v, res->ref.note);
            ck_assert_msg(res->wolf.state.handshake_done, "%s/%zu: wolfSSL: %s", t->name, v,
                          res->wolf.note);
        }
    }
    printf("targets_flight: %zu canonical runs, %zu known divergences\n", runs, known);
}
END_TEST

/* ------------------------------------------------------------ flight */

/* RFC 8446 4.4 (the server's flight is Certificate, CertificateVerify,
 * Finished when it authenticates with a certificate) and 4: "A peer
 * which receives a handshake message in an unexpected order MUST abort
 * the handshake with an "unexpected_message" alert": a Finished where
 * the CertificateVerify is due (the SKIP-TLS skip). */
START_TEST(test_flight_skip_server_cv13)
{
    run("flight", V13_CV, "skip");
    outcome_is(&res->ref, "alert:unexpected_message");
    ck_assert_str_eq(res->edit, "certificate_verify: skip");
}
END_TEST

/* RFC 8446 4.4.3: a client that sent a Certificate with a certificate
 * sends a CertificateVerify; the server that gets the Finished in its
 * place must abort with unexpected_message (4), not treat the client as
 * authenticated or unauthenticated. */
START_TEST(test_flight_skip_client_cv13)
{
    run("flight", V13_CLIENT_CV, "skip");
    outcome_is(&res->ref, "alert:unexpected_message");
}
END_TEST

/* RFC 5246 7.4.3: an ECDHE_ECDSA server sends ServerKeyExchange; 7.3's
 * order puts ServerHelloDone after it, and a message out of order is
 * fatal (7.4, unexpected_message 7.2.2): the client must not go on
 * without the server's key share (the SKIP-TLS ServerKeyExchange skip). */
START_TEST(test_flight_skip_ske12)
{
    run("flight", V12_SKE, "skip");
    outcome_is(&res->ref, "alert:unexpected_message");
    outcome_is(&res->wolf, "alert:unexpected_message");
}
END_TEST

/* RFC 8446 4: a second EncryptedExtensions is out of order
 * (unexpected_message), as is a Finished injected before the
 * Certificate. */
START_TEST(test_flight_repeat_inject13)
{
    run("flight", V13_EE, "repeat");
    outcome_is(&res->ref, "alert:unexpected_message");
    run("flight", V13_CERT, "inject finished 00*32");
    outcome_is(&res->ref, "alert:unexpected_message");
}
END_TEST

/* ------------------------------------------------------------ record */

/* RFC 8446 5.1: "Handshake messages MAY be ... fragmented across
 * several records": a Certificate in records of at most 100 bytes is
 * taken, and the handshake completes. */
START_TEST(test_record_split13)
{
    run("record", V13_CERT, "split 100");
    outcome_is(&res->ref, "continue");
    ck_assert(res->ref.state.handshake_done);
    ck_assert_uint_eq(res->judgement, TD_JUDGE_SAME);
}
END_TEST

/* RFC 8446 5: an unprotected change_cipher_spec of the one byte 0x01
 * "received at any time after the first ClientHello ... and before the
 * peer's Finished message has been received MUST simply" be dropped
 * (D.4's compatibility CCS), here before EncryptedExtensions. */
START_TEST(test_record_plain_ccs13)
{
    run("record", V13_EE, "plain change_cipher_spec 01");
    outcome_is(&res->ref, "continue");
    ck_assert(res->ref.state.handshake_done);
}
END_TEST

/* ------------------------------------------------------------ post_handshake */

/* The KeyUpdate (body) of the subject's observed messages: *n of them. */
static size_t key_updates(const td_observation *o, uint8_t *request_update)
{
    size_t i, n = 0;

    for (i = 0; i < o->n_messages; i++) {
        td_span b = td_obs_message_body(o, i);

        if (o->messages[i].msg_type != TD_HS_KEY_UPDATE)
            continue;
        ck_assert_uint_eq(b.len, 1);
        *request_update = b.p[0];
        n++;
    }
    return n;
}

/* RFC 8446 4.6.3: "If the request_update field is set to
 * "update_requested", then the receiver MUST send a KeyUpdate of its own
 * with request_update set to "update_not_requested" prior to sending its
 * next Application Data record." The subject's application data (22
 * bytes) then reads under its next key, and the peer's, sent under the
 * peer's next key, was read (no alert). Both roles. */
START_TEST(test_post_key_update_requested)
{
    static const size_t variants[] = {P_KU_REQ, P_KU_REQ_S};
    size_t i;
    uint8_t ru = 0xff;

    for (i = 0; i < 2; i++) {
        run("post_handshake", variants[i], "");
        outcome_is(&res->ref, "continue");
        ck_assert_uint_eq(key_updates(&res->ref, &ru), 1);
        ck_assert_uint_eq(ru, 0); /* update_not_requested */
        ck_assert_uint_eq(res->ref.app_data_bytes, 22);
        ck_assert_uint_eq(res->ref.undecryptable, 0);
        ck_assert_uint_eq(res->judgement, TD_JUDGE_SAME);
    }
}
END_TEST

/* RFC 8446 4.6.3: update_not_requested asks for nothing: no KeyUpdate
 * in return, and the receiver updates its receiving key ("Upon
 * receiving a KeyUpdate, the receiver MUST update its receiving keys"),
 * so the peer's next record reads and the subject's data comes back. */
START_TEST(test_post_key_update_not_requested)
{
    uint8_t ru;

    run("post_handshake", P_KU, "");
    outcome_is(&res->ref, "continue");
    ck_assert_uint_eq(key_updates(&res->ref, &ru), 0);
    ck_assert_uint_eq(res->ref.app_data_bytes, 22);
    ck_assert_uint_eq(res->judgement, TD_JUDGE_SAME);
}
END_TEST

/* RFC 8446 4.6.3: "If an implementation receives any other value [of
 * request_update], it MUST terminate the connection with an
 * "illegal_parameter" alert." */
START_TEST(test_post_key_update_invalid)
{
    run("post_handshake", P_KU_REQ, "set request_update 2");
    outcome_is(&res->ref, "alert:illegal_parameter");
    run("post_handshake", P_KU_REQ_S, "set request_update 2");
    outcome_is(&res->ref, "alert:illegal_parameter");
}
END_TEST

/* RFC 8446 4.6.1: "The server MAY send multiple tickets on a single
 * connection": the second one is taken; a truncated one cannot be
 * parsed (6: decode_error). */
START_TEST(test_post_ticket)
{
    run("post_handshake", P_NST, "");
    outcome_is(&res->ref, "continue");
    ck_assert_uint_eq(res->ref.app_data_bytes, 22);
    run("post_handshake", P_NST, "truncate 6");
    outcome_is(&res->ref, "alert:decode_error");
}
END_TEST

/* RFC 8446 4.6.2: "A client that receives a CertificateRequest message
 * without having sent the "post_handshake_auth" extension MUST send an
 * "unexpected_message" fatal alert." No profile offers the extension, so
 * the canonical request is one the client never asked for. */
START_TEST(test_post_certificate_request_not_offered)
{
    run("post_handshake", P_CR, "");
    outcome_is(&res->ref, "alert:unexpected_message");
    ck_assert_uint_eq(res->ref.n_messages, 0); /* no Certificate in answer */
}
END_TEST

/* RFC 5246 7.4.1.1: a client that does not renegotiate "MAY" ignore a
 * HelloRequest or answer no_renegotiation, which 7.2.2 says "is always a
 * warning"; the reference answers the warning and the connection goes on
 * (the subject's data is written after it). */
START_TEST(test_post_hello_request12)
{
    run("post_handshake", P_HR, "");
    outcome_is(&res->ref, "continue");
    ck_assert_uint_ge(res->ref.n_alerts, 1);
    ck_assert_uint_eq(res->ref.alerts[0].level, 1);
    ck_assert_uint_eq(res->ref.alerts[0].description, TD_ALERT_NO_RENEGOTIATION);
    ck_assert_uint_eq(res->ref.n_messages, 0); /* no ClientHello */
    /* RFC 5246 7.4.1.1: struct { } HelloRequest; a byte more cannot be
     * parsed (7.2.2 decode_error) */
    run("post_handshake", P_HR, "replace 00");
    outcome_is(&res->ref, "alert:decode_error");
}
END_TEST

/* RFC 8446 4.1.2: "Because TLS 1.3 forbids renegotiation, if a server
 * has negotiated TLS 1.3 and receives a ClientHello at any other time,
 * it MUST terminate the connection with an "unexpected_message" alert." */
START_TEST(test_post_client_hello13)
{
    run("post_handshake", P_CH13, "");
    outcome_is(&res->ref, "alert:unexpected_message");
    outcome_is(&res->wolf, "alert:unexpected_message");
}
END_TEST

/* ------------------------------------------------------------ mutators */

static int is_flight(uint8_t op)
{
    return op == TD_EDIT_SKIP || op == TD_EDIT_REPEAT || op == TD_EDIT_INJECT ||
           op == TD_EDIT_REORDER || op == TD_EDIT_MERGE || op == TD_EDIT_STALE;
}

static int is_record(uint8_t op)
{
    return op == TD_EDIT_SPLIT || op == TD_EDIT_RECORD || op == TD_EDIT_PLAIN;
}

/* From an empty script each step adds one edit: a family's edit 7 times
 * in 8 by construction (td_edit.h), the rest from every op. Over 400
 * seeds at least 3 in 4 must be the family's; every output decodes. The
 * flight family's injects are mostly of named handshake types. */
START_TEST(test_mutate_families)
{
    static td_edit_script s;
    uint8_t buf[8192];
    unsigned seed, fam_f = 0, fam_r = 0, injects = 0, named = 0;

    for (seed = 1; seed <= 400; seed++) {
        size_t n = td_edit_mutate_flight(buf, 0, sizeof buf, seed, TD_HS_CERTIFICATE);

        ck_assert_int_eq(td_edit_decode((td_span){buf, n}, &s), TD_OK);
        ck_assert_uint_eq(s.n, 1);
        fam_f += (unsigned)is_flight(s.e[0].op);
        if (s.e[0].op == TD_EDIT_INJECT) {
            injects++;
            named += td_hs_name((uint8_t)s.e[0].type) != NULL;
        }
        n = td_edit_mutate_record(buf, 0, sizeof buf, seed, TD_HS_CERTIFICATE);
        ck_assert_int_eq(td_edit_decode((td_span){buf, n}, &s), TD_OK);
        ck_assert_uint_eq(s.n, 1);
        fam_r += (unsigned)is_record(s.e[0].op);
    }
    ck_assert_uint_ge(fam_f, 300);
    ck_assert_uint_ge(fam_r, 300);
    ck_assert_uint_ge(injects, 40);
    ck_assert_uint_ge(named * 4, injects * 3);
}
END_TEST

Suite *td_targets_flight_suite(void)
{
    Suite *s = suite_create("targets_flight");
    TCase *tc = tcase_create("tables");
    TCase *runs = tcase_create("runs");

    tcase_add_test(tc, test_variants);
    tcase_add_test(tc, test_mutate_families);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(runs, setup, teardown);
    tcase_set_timeout(runs, 300);
    tcase_add_test(runs, test_canonical);
    tcase_add_test(runs, test_flight_skip_server_cv13);
    tcase_add_test(runs, test_flight_skip_client_cv13);
    tcase_add_test(runs, test_flight_skip_ske12);
    tcase_add_test(runs, test_flight_repeat_inject13);
    tcase_add_test(runs, test_record_split13);
    tcase_add_test(runs, test_record_plain_ccs13);
    tcase_add_test(runs, test_post_key_update_requested);
    tcase_add_test(runs, test_post_key_update_not_requested);
    tcase_add_test(runs, test_post_key_update_invalid);
    tcase_add_test(runs, test_post_ticket);
    tcase_add_test(runs, test_post_certificate_request_not_offered);
    tcase_add_test(runs, test_post_hello_request12);
    tcase_add_test(runs, test_post_client_hello13);
    suite_add_tcase(s, runs);
    return s;
}
