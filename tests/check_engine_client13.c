/*
 * The reference TLS 1.3 client (harness/ref/engine/td_hs_client*.c,
 * td_hs_client13*.c, td_hs_peer_cert.c) replayed against the example
 * traces of RFC 8448 (vectors/tls13/s*.vec, the shared text's key
 * material), and its ClientHello for configurations of our own. The
 * refusals are check_engine_client13_neg.c, the runs against wolfSSL
 * check_engine_client13_interop.c.
 *
 * Replay: the engine is configured to offer exactly the trace's
 * ClientHello; the trace's randoms and private keys come in through a
 * td_draw_script; every server record of the trace is fed in order and
 * every client record the engine emits must equal the trace's bytes.
 * Secrets and traffic keys held by the engine are compared with the
 * trace's kdf lines.
 *
 * Expected values: the .vec files (RFC 8448 text) and RFC constants
 * written next to the bytes.
 */
#include "td_vec.h" /* first: it selects POSIX */

#include "td_client13_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Suite *td_engine_client13_suite(void);

/* ------------------------------------------------------------------------
 * The generic replay of one section
 * ------------------------------------------------------------------------ */

/* Secrets after the ServerHello (RFC 8446 7.1): trace kdf name -> secret. */
static const struct {
    const char *name, *field;
    td_ks13_secret which;
    int after_flight;
} secrets[] = {
    {"extract_secret_handshake", "secret", TD_KS13_HANDSHAKE_SECRET, 0},
    {"derive_secret_tls13_c_hs_traffic", "expanded",
     TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET, 0},
    {"derive_secret_tls13_s_hs_traffic", "expanded",
     TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET, 0},
    {"derive_secret_tls13_c_ap_traffic", "expanded",
     TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET, 1},
    {"derive_secret_tls13_s_ap_traffic", "expanded",
     TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET, 1},
    {"derive_secret_tls13_exp_master", "expanded",
     TD_KS13_EXPORTER_MASTER_SECRET, 1},
    {"derive_secret_tls13_res_master", "expanded",
     TD_KS13_RESUMPTION_MASTER_SECRET, 1},
};

static size_t check_secrets(const td_vec *v, const td_conn *c, int after_flight,
                            int skip_res)
{
    size_t i, n = 0;

    for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        const td_vec_entry *e =
            td_vec_find(v, NULL, "kdf", secrets[i].name, secrets[i].field, 0);
        td_span got = td_ks13_get(&c->ks13, secrets[i].which);

        if (!e || secrets[i].after_flight != after_flight ||
            (skip_res && secrets[i].which == TD_KS13_RESUMPTION_MASTER_SECRET))
            continue;
        ck_assert_msg(got.len == e->len, "%s: held %zu bytes, trace %zu",
                      secrets[i].name, got.len, e->len);
        ck_assert_mem_eq(got.p, e->data, e->len);
        n++;
    }
    return n;
}

/* The installed key and iv of one direction against a trace kdf step. */
static size_t check_keys(const td_vec *v, const char *side, const char *name,
                         const td_protect *p)
{
    const td_vec_entry *k = td_vec_find(v, side, "kdf", name, "key_expanded", 0);
    const td_vec_entry *iv = td_vec_find(v, side, "kdf", name, "iv_expanded", 0);

    if (!k || !iv)
        return 0;
    ck_assert(p->installed);
    ck_assert_uint_eq(p->key_len, k->len);
    ck_assert_mem_eq(p->key, k->data, k->len);
    ck_assert_uint_eq(p->iv_len, iv->len);
    ck_assert_mem_eq(p->iv, iv->data, iv->len);
    return 1;
}

static uint8_t expect[65536];

/* Replay `file` with cfg: every record of the trace in order. A client
 * record is an action (nothing for a handshake record: the engine sends
 * it by itself; write_app for application data; close for the alert) and
 * an expectation; a server record is fed, after the expected client bytes
 * were compared. flight_check, when set, replaces the byte comparison of
 * the client's protected handshake records (client authentication: the
 * signature cannot be reproduced). Returns the number of secrets and keys
 * compared with the trace. */
static size_t replay(const td_vec *v, const td_conn_config *cfg,
                     void (*flight_check)(const td_vec *, td_span))
{
    const td_vec_entry *payload = NULL;
    size_t i, expect_len = 0, checked = 0, flight_off = 0, flight_len = 0;
    int sh_checked = 0, flight_checked = 0, flight_pending = 0;
    td_conn *c = t13_conn();

    t13_start(c, cfg, 0);
    for (i = 0; i <= v->n; i++) {
        const td_vec_entry *e = i < v->n ? &v->e[i] : NULL;
        int is_rec = e && !strcmp(e->kind, "record") &&
                     (!strcmp(e->field, "plaintext") ||
                      !strcmp(e->field, "protected"));

        if (e && !strcmp(e->kind, "record") && !strcmp(e->field, "payload"))
            payload = e;
        if (e && !is_rec)
            continue;
        if (!e || !strcmp(e->side, "server")) {
            /* everything the client should have sent by now */
            uint8_t got[sizeof expect];
            size_t n;

            td_conn_drain(c, got, sizeof got, &n);
            if (flight_pending && flight_check) {
                /* the bytes before the flight record and after it are
                 * compared; the record itself is flight_check's */
                size_t rlen;

                ck_assert_uint_ge(n, flight_off + 5);
                ck_assert_mem_eq(got, expect, flight_off);
                rlen = 5 + ((size_t)got[flight_off + 3] << 8 |
                            got[flight_off + 4]);
                ck_assert_uint_ge(n, flight_off + rlen);
                flight_check(v, t13_span(got + flight_off, rlen));
                ck_assert_uint_eq(n - flight_off - rlen,
                                  expect_len - flight_off - flight_len);
                ck_assert_mem_eq(got + flight_off + rlen,
                                 expect + flight_off + flight_len,
                                 n - flight_off - rlen);
                flight_pending = 0;
            } else {
                ck_assert_msg(n == expect_len,
                              "line %u: client sent %zu bytes, trace %zu",
                              e ? e->line : 0, n, expect_len);
                ck_assert_mem_eq(got, expect, n);
            }
            expect_len = 0;
        }
        if (!e)
            break;
        if (!strcmp(e->side, "client")) {
            if (!strcmp(e->name, "application_data"))
                ck_assert_int_eq(td_conn_write_app(c, td_vec_span(payload)),
                                 TD_OK);
            else if (!strcmp(e->name, "alert"))
                ck_assert_int_eq(td_conn_close(c), TD_OK);
            else if (!strcmp(e->name, "handshake") &&
                     !strcmp(e->field, "protected")) {
                flight_pending = 1;
                flight_off = expect_len;
                flight_len = e->len;
            }
            ck_assert(expect_len + e->len <= sizeof expect);
            memcpy(expect + expect_len, e->data, e->len);
            expect_len += e->len;
            continue;
        }
        ck_assert_msg(td_conn_feed(c, td_vec_span(e)) == TD_OK,
                      "line %u: feed failed: %s (%s)", e->line,
                      td_err_name(c->failure.err), c->failure.why);
        if (!sh_checked && c->state == TD_ST_CLI_WAIT_ENCRYPTED_EXTENSIONS) {
            sh_checked = 1;
            checked += check_secrets(v, c, 0, 0);
            checked += check_keys(v, "server",
                                  "derive_write_traffic_keys_for_handshake_data",
                                  &c->read);
        }
        if (!flight_checked && c->state == TD_ST_CONNECTED) {
            flight_checked = 1;
            checked += check_secrets(v, c, 1, flight_check != NULL);
            checked += check_keys(
                v, "server", "derive_write_traffic_keys_for_application_data",
                &c->read);
            checked += check_keys(
                v, "client", "derive_write_traffic_keys_for_application_data",
                &c->write);
            /* RFC 8446 7.1: the stages that ended were wiped */
            ck_assert_uint_eq(
                td_ks13_get(&c->ks13, TD_KS13_MASTER_SECRET).len, 0);
            ck_assert_uint_eq(
                td_ks13_get(&c->ks13, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET)
                    .len,
                0);
            ck_assert_uint_eq(td_ks13_get(&c->ks13, TD_KS13_EARLY_SECRET).len,
                              0);
        }
        if (!strcmp(e->name, "application_data")) {
            uint8_t got[1024];
            size_t n;

            td_conn_read_app(c, got, sizeof got, &n);
            ck_assert_uint_eq(n, payload->len);
            ck_assert_mem_eq(got, payload->data, n);
        }
        if (!strcmp(e->name, "alert")) {
            ck_assert_int_eq(c->received_alert, 1 + TD_ALERT_CLOSE_NOTIFY);
            ck_assert_int_eq(c->state, TD_ST_CLOSED);
        }
    }
    ck_assert(sh_checked && flight_checked);
    return checked;
}

/* ------------------------------------------------------------------------
 * Sections 3, 5, 7: byte for byte
 * ------------------------------------------------------------------------ */

START_TEST(test_rfc8448_s3_1rtt)
{
    td_vec v;
    td_conn_config *cfg = t13_cfg();
    size_t checked;

    t13_vec_load("tls13/s3-1rtt.vec", &v);
    t13_trace_config(&v, T13_S3, cfg);
    checked = replay(&v, cfg, NULL);
    /* hs, c hs, s hs, read key; c ap, s ap, exp, res; read and write keys */
    ck_assert_uint_eq(checked, 10);
    ck_assert_uint_eq(t13_conn()->params.sig_scheme, 0x0804);
    ck_assert(t13_conn()->params.peer_verified);
    td_vec_free(&v);
}
END_TEST

START_TEST(test_rfc8448_s5_hrr)
{
    td_vec v;
    td_conn_config *cfg = t13_cfg();
    size_t checked;

    t13_vec_load("tls13/s5-hrr.vec", &v);
    t13_trace_config(&v, T13_S5, cfg);
    checked = replay(&v, cfg, NULL);
    /* hs, c hs, s hs, read key; c ap, s ap, exp, res; read and write
     * keys */
    ck_assert_uint_eq(checked, 10);
    /* RFC 8446 4.1.4: the key exchange happened on the HRR's group */
    ck_assert_uint_eq(t13_conn()->params.group, 0x0017);
    td_vec_free(&v);
}
END_TEST

START_TEST(test_rfc8448_s7_compat)
{
    td_vec v;
    td_conn_config *cfg = t13_cfg();
    size_t checked;

    t13_vec_load("tls13/s7-compat.vec", &v);
    t13_trace_config(&v, T13_S7, cfg);
    /* the trace's client sends the RFC 8446 D.4 CCS before its Finished:
     * replay() compares it as part of the client's bytes */
    checked = replay(&v, cfg, NULL);
    ck_assert_uint_eq(checked, 10);
    ck_assert_uint_eq(t13_conn()->session_id_len, 32);
    td_vec_free(&v);
}
END_TEST

/* ------------------------------------------------------------------------
 * Section 6: client authentication
 * ------------------------------------------------------------------------ */

/* The client's flight under the trace's client handshake key: the
 * Certificate is the trace's byte for byte; the CertificateVerify (made
 * with the section 2 RSA key, since the client's own key is not in the
 * trace) must verify under that key over the trace's transcript; the
 * Finished must be HMAC(the trace's client finished_key,
 * Transcript-Hash(... CertificateVerify)) (RFC 8446 4.4.3, 4.4.4). */
static void s6_flight(const td_vec *v, td_span rec)
{
    const td_vec_entry *key = t13_vec_find(
        v, "server", "kdf", "derive_read_traffic_keys_for_handshake_data",
        "key_expanded", 0);
    const td_vec_entry *iv = t13_vec_find(
        v, "server", "kdf", "derive_read_traffic_keys_for_handshake_data",
        "iv_expanded", 0);
    const td_vec_entry *fk = t13_vec_find(
        v, "client", "kdf", "calculate_finished_tls13_finished", "expanded", 0);
    const td_vec_entry *cert = t13_vec_find(v, "client", "handshake",
                                            "certificate", "message", 0);
    static const char *const before[] = {
        "client_hello",         "server_hello", "encrypted_extensions",
        "certificate_request",  "certificate",  "certificate_verify",
        "finished",
    };
    static uint8_t th_in[16384];
    uint8_t plain[16384], th[32], mac[32], content[200];
    size_t th_len = 0, i, content_len;
    td_span content_s;
    td_rd r;
    td_handshake m[3];
    td_certificate_verify cv;
    td_key pub;

    t13_open(td_vec_span(key), td_vec_span(iv), 0, rec, plain, sizeof plain,
             &content_s);
    td_rd_init_span(&r, content_s);
    for (i = 0; i < 3; i++)
        ck_assert_int_eq(td_handshake_decode(&r, &m[i]), TD_OK);
    ck_assert_uint_eq(td_rd_left(&r), 0);
    /* the trace's server messages, in order (each name's first, server
     * side; the client's Certificate last) */
    for (i = 0; i < sizeof before / sizeof before[0]; i++) {
        const td_vec_entry *e = t13_vec_find(
            v, i == 0 ? "client" : "server", "handshake", before[i],
            "message", 0);
        memcpy(th_in + th_len, e->data, e->len);
        th_len += e->len;
    }
    /* Certificate: byte for byte */
    ck_assert_uint_eq(m[0].msg_type, TD_HS_CERTIFICATE);
    ck_assert_uint_eq(m[0].raw.len, cert->len);
    ck_assert_mem_eq(m[0].raw.p, cert->data, cert->len);
    memcpy(th_in + th_len, m[0].raw.p, m[0].raw.len);
    th_len += m[0].raw.len;
    /* CertificateVerify: rsa_pss_rsae_sha256, the first scheme of the
     * trace's list an RSA key can make, over
     * 0x20 x 64 || "TLS 1.3, client CertificateVerify" || 0 || hash */
    ck_assert_uint_eq(m[1].msg_type, TD_HS_CERTIFICATE_VERIFY);
    ck_assert_int_eq(td_certificate_verify_decode(m[1].body, &cv), TD_OK);
    ck_assert_uint_eq(cv.algorithm, 0x0804);
    ck_assert_int_eq(td_hash(TD_HASH_SHA256, t13_span(th_in, th_len), th),
                     TD_OK);
    memset(content, 0x20, 64);
    memcpy(content + 64, "TLS 1.3, client CertificateVerify", 33);
    content[97] = 0;
    memcpy(content + 98, th, 32);
    content_len = 130;
    t13_s2_public_key(&pub);
    ck_assert_int_eq(td_sig_verify(0x0804, TD_SIG_CURVE_BOUND, &pub, t13_span(content, content_len),
                                   cv.signature),
                     TD_OK);
    memcpy(th_in + th_len, m[1].raw.p, m[1].raw.len);
    th_len += m[1].raw.len;
    /* Finished */
    ck_assert_uint_eq(m[2].msg_type, TD_HS_FINISHED);
    ck_assert_int_eq(td_hash(TD_HASH_SHA256, t13_span(th_in, th_len), th),
                     TD_OK);
    ck_assert_int_eq(td_hmac(TD_HASH_SHA256, td_vec_span(fk), t13_span(th, 32),
                             mac),
                     TD_OK);
    ck_assert_uint_eq(m[2].body.len, 32);
    ck_assert_mem_eq(m[2].body.p, mac, 32);
}

START_TEST(test_rfc8448_s6_client_auth)
{
    td_vec v;
    td_conn_config *cfg = t13_cfg();
    size_t checked;

    t13_vec_load("tls13/s6-client-auth.vec", &v);
    t13_trace_config(&v, T13_S6, cfg);
    checked = replay(&v, cfg, s6_flight);
    /* hs, c hs, s hs, read key; c ap, s ap, exp (res master depends on
     * our CertificateVerify); read and write keys */
    ck_assert_uint_eq(checked, 9);
    ck_assert(t13_conn()->params.client_auth);
    /* the server's ECDSA P-256 certificate, ecdsa_secp256r1_sha256 */
    ck_assert_uint_eq(t13_conn()->params.sig_scheme, 0x0403);
    td_vec_free(&v);
}
END_TEST

/* ------------------------------------------------------------------------
 * The ClientHello for configurations of our own
 * ------------------------------------------------------------------------ */

/* Offering TLS 1.2 and 1.3 by default: every default of issue 4, the
 * TLS 1.2 extensions, a compatibility session id. Expected bytes are
 * written from the RFCs' encodings, not from the engine. */
START_TEST(test_client_hello_defaults)
{
    td_conn_config *cfg = t13_cfg();
    td_conn *c = t13_conn();
    uint8_t out[4096];
    size_t n;
    td_rd r;
    td_record rec;
    td_handshake h;
    td_client_hello ch;
    td_span d;
    /* RFC 8446 B.4 then the TLS 1.2 suites of issue 4 */
    static const uint8_t suites[] = {0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0,
                                     0x2b, 0xc0, 0x2c, 0xc0, 0x2f, 0xc0, 0x30,
                                     0xcc, 0xa9, 0xcc, 0xa8, 0x00, 0x9c, 0x00,
                                     0x9d};
    /* supported_versions: 04 = list length, 03 04 TLS 1.3, 03 03 TLS 1.2 */
    static const uint8_t sv[] = {0x04, 0x03, 0x04, 0x03, 0x03};
    /* supported_groups: 00 06 length, x25519, secp256r1, secp384r1 */
    static const uint8_t sg[] = {0x00, 0x06, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18};
    /* the order of td_hs_client_hello.c */
    static const uint16_t order[] = {0, 0xff01, 10, 11, 23, 51, 43, 13};

    memset(cfg, 0, sizeof *cfg);
    cfg->role = TD_ROLE_CLIENT;
    cfg->min_version = 0x0303;
    cfg->max_version = 0x0304;
    snprintf(cfg->sni, sizeof cfg->sni, "example.com");
    t13_start(c, cfg, 1);
    td_conn_drain(c, out, sizeof out, &n);
    td_rd_init(&r, out, n);
    ck_assert_int_eq(td_record_decode(&r, (td_record_mode){TD_RECORD_TLS12,
                                                           TD_RECORD_PLAINTEXT},
                                      &rec),
                     TD_OK);
    /* RFC 8446 5.1: the initial ClientHello may say 0x0301 */
    ck_assert_uint_eq(rec.legacy_record_version, 0x0301);
    td_rd_init_span(&r, rec.fragment);
    ck_assert_int_eq(td_handshake_decode(&r, &h), TD_OK);
    ck_assert_int_eq(td_client_hello_decode(h.body, &ch), TD_OK);
    ck_assert_uint_eq(ch.legacy_version, 0x0303); /* RFC 8446 4.1.2 */
    ck_assert_uint_eq(ch.legacy_session_id.len, 32); /* RFC 8446 D.4 */
    ck_assert_uint_eq(ch.cipher_suites.len, sizeof suites);
    ck_assert_mem_eq(ch.cipher_suites.p, suites, sizeof suites);
    ck_assert_uint_eq(ch.legacy_compression_methods.len, 1);
    ck_assert_uint_eq(ch.legacy_compression_methods.p[0], 0);
    ck_assert(td_ext_find(ch.extensions, TD_EXT_SUPPORTED_VERSIONS, &d));
    ck_assert_uint_eq(d.len, sizeof sv);
    ck_assert_mem_eq(d.p, sv, sizeof sv);
    ck_assert(td_ext_find(ch.extensions, TD_EXT_SUPPORTED_GROUPS, &d));
    ck_assert_uint_eq(d.len, sizeof sg);
    ck_assert_mem_eq(d.p, sg, sizeof sg);
    /* ec_point_formats: 01 = length, 00 = uncompressed (RFC 8422 5.1.2) */
    ck_assert(td_ext_find(ch.extensions, TD_EXT_EC_POINT_FORMATS, &d));
    ck_assert_uint_eq(d.len, 2);
    ck_assert_uint_eq(d.p[1], 0);
    /* key_share: 00 24 list, 00 1d x25519, 00 20 32 bytes (RFC 8446 4.2.8) */
    ck_assert(td_ext_find(ch.extensions, TD_EXT_KEY_SHARE, &d));
    ck_assert_uint_eq(d.len, 2 + 2 + 2 + 32);
    ck_assert_uint_eq(d.p[3], 0x1d);
    ck_assert(!td_ext_find(ch.extensions, TD_EXT_SESSION_TICKET, &d));
    ck_assert(!td_ext_find(ch.extensions, TD_EXT_PSK_KEY_EXCHANGE_MODES, &d));
    {
        td_ext_iter it;
        size_t k = 0;
        uint16_t type;
        int got;

        td_ext_iter_init(&it, ch.extensions);
        for (;;) {
            ck_assert_int_eq(td_ext_iter_next(&it, &type, &d, &got), TD_OK);
            if (!got)
                break;
            ck_assert_uint_lt(k, sizeof order / sizeof order[0]);
            ck_assert_uint_eq(type, order[k]);
            k++;
        }
        ck_assert_uint_eq(k, sizeof order / sizeof order[0]);
    }
}
END_TEST

/* RFC 6066 3: "Literal IPv4 and IPv6 addresses are not permitted in
 * "HostName"": no server_name for them, one for a host name. */
START_TEST(test_client_hello_sni_literal)
{
    static const char *const names[] = {"127.0.0.1", "::1", "localhost"};
    static const int sent[] = {0, 0, 1};
    td_conn_config *cfg = t13_cfg();
    td_conn *c = t13_conn();
    size_t i;

    for (i = 0; i < 3; i++) {
        uint8_t out[4096];
        size_t n;
        td_client_hello ch;
        td_span d;

        memset(cfg, 0, sizeof *cfg);
        cfg->role = TD_ROLE_CLIENT;
        cfg->min_version = cfg->max_version = 0x0304;
        snprintf(cfg->sni, sizeof cfg->sni, "%s", names[i]);
        t13_start(c, cfg, 1);
        td_conn_drain(c, out, sizeof out, &n);
        /* record header 5, handshake header 4 */
        ck_assert_uint_gt(n, 9);
        ck_assert_int_eq(td_client_hello_decode(t13_span(out + 9, n - 9), &ch),
                         TD_OK);
        ck_assert_int_eq(td_ext_find(ch.extensions, TD_EXT_SERVER_NAME, &d),
                         sent[i]);
    }
}
END_TEST

/* RFC 8996 4, 5; RFC 7568 3: a configuration below TLS 1.2 sends
 * nothing. */
START_TEST(test_client_hello_old_versions)
{
    td_conn_config *cfg = t13_cfg();
    td_conn *c = t13_conn();
    td_rng rng;

    memset(cfg, 0, sizeof *cfg);
    cfg->role = TD_ROLE_CLIENT;
    cfg->min_version = 0x0301;
    cfg->max_version = 0x0302;
    td_rng_init(&rng, 1, "client");
    ck_assert_int_eq(td_conn_init(c, cfg, &rng), TD_OK);
    ck_assert_int_ne(td_conn_start(c), TD_OK);
    ck_assert_uint_eq(td_conn_pending(c), 0);
}
END_TEST

Suite *td_engine_client13_suite(void)
{
    Suite *s = suite_create("engine_client13");
    TCase *tc;

    tc = tcase_create("rfc8448");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_rfc8448_s3_1rtt);
    tcase_add_test(tc, test_rfc8448_s5_hrr);
    tcase_add_test(tc, test_rfc8448_s7_compat);
    tcase_add_test(tc, test_rfc8448_s6_client_auth);
    suite_add_tcase(s, tc);

    tc = tcase_create("client_hello");
    tcase_add_test(tc, test_client_hello_defaults);
    tcase_add_test(tc, test_client_hello_old_versions);
    tcase_add_test(tc, test_client_hello_sni_literal);
    suite_add_tcase(s, tc);

    return s;
}
