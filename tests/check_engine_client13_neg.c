/*
 * The reference TLS 1.3 client refusing what the RFCs tell it to refuse:
 * real messages of the RFC 8448 traces (vectors/tls13/s3-1rtt.vec,
 * s5-hrr.vec), decoded, edited in one field and encoded again (protected
 * ones sealed again with the trace's keys), each checked against the alert
 * the RFC clause named next to it prescribes. Controls show the unedited
 * (or differently edited) message is accepted, so each refusal is the
 * edit's doing.
 */
#include "td_vec.h" /* first: it selects POSIX */

#include "td_client13_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Suite *td_engine_client13_neg_suite(void);

/* ------------------------------------------------------------------------
 * Refusals: real messages of the traces, edited (decode, change a field,
 * re-encode; protected ones sealed again with the trace's keys)
 * ------------------------------------------------------------------------ */

static td_vec nv; /* the section of the negative test running */

static void neg_start(const char *file, t13_section which)
{
    t13_vec_load(file, &nv);
    t13_trace_config(&nv, which, t13_cfg());
}

static void neg_go(void)
{
    uint8_t out[4096];
    size_t n;

    t13_start(t13_conn(), t13_cfg(), 0);
    td_conn_drain(t13_conn(), out, sizeof out, &n); /* the ClientHello */
}

static void neg_end(void)
{
    td_vec_free(&nv);
}

static const td_vec_entry *server_record(const char *name, const char *field,
                                         int nth)
{
    return t13_vec_find(&nv, "server", "record", name, field, nth);
}

static td_err feed(td_span rec)
{
    return td_conn_feed(t13_conn(), rec);
}

static void feed_ok(td_span rec)
{
    td_conn *c = t13_conn();

    ck_assert_msg(feed(rec) == TD_OK, "feed: %s (%s)",
                  td_err_name(c->failure.err), c->failure.why);
}

/* The connection failed with `want`, and sent it as a fatal alert; in
 * plaintext (no write key yet) the record is 15 03 03 00 02 02 <want>. */
static void expect_alert(td_err got, td_err want)
{
    td_conn *c = t13_conn();
    uint8_t out[4096];
    size_t n;

    ck_assert_msg(got == want, "got %s (%s), want %s", td_err_name(got),
                  c->failure.why, td_err_name(want));
    ck_assert_int_eq(c->state, TD_ST_FAILED);
    ck_assert_int_eq(c->sent_alert, 1 + want);
    ck_assert_int_eq(c->sent_alert_level, TD_ALERT_LEVEL_FATAL);
    td_conn_drain(c, out, sizeof out, &n);
    if (!c->write.installed) {
        const uint8_t rec[7] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02,
                                (uint8_t)want};

        ck_assert_uint_ge(n, 7);
        ck_assert_mem_eq(out + n - 7, rec, 7);
    }
}

/* A handshake message (header + body) into buf. */
static td_span msg_raw(uint8_t type, td_span body, uint8_t *buf, size_t cap)
{
    td_handshake h;
    td_span s;
    td_wr w;

    h.msg_type = type;
    h.body = body;
    td_wr_init(&w, buf, cap);
    ck_assert_int_eq(td_handshake_encode(&w, &h), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &s), TD_OK);
    return s;
}

/* The nth ServerHello of the section (0, or 1 after a HelloRetryRequest),
 * decoded from the trace. */
static void trace_sh(int nth, td_server_hello *sh)
{
    const td_vec_entry *e =
        t13_vec_find(&nv, "server", "handshake", "server_hello", "message", nth);

    ck_assert_int_eq(td_server_hello_decode(t13_span(e->data + 4, e->len - 4),
                                            sh),
                     TD_OK);
}

/* sh as a plaintext record in out. */
static td_span sh_record(const td_server_hello *sh, uint8_t *out, size_t cap)
{
    uint8_t body[1024];
    td_span b;
    td_wr w;

    td_wr_init(&w, body, sizeof body);
    ck_assert_int_eq(td_server_hello_encode(&w, sh), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &b), TD_OK);
    return t13_span(out, t13_hs_record(TD_HS_SERVER_HELLO, b, out, cap));
}

/* An extension block body from (type, data) pairs written as bytes. */
static td_span ext_block(const uint8_t *bytes, size_t n)
{
    return t13_span(bytes, n);
}

START_TEST(test_sh_suite_not_offered)
{
    uint8_t rec[1024];
    td_server_hello sh;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    neg_go();
    trace_sh(0, &sh);
    /* TLS_AES_128_CCM_SHA256 (RFC 8446 B.4), not in 1301 1303 1302 */
    sh.cipher_suite = 0x1304;
    /* RFC 8446 4.1.3: "A client which receives a cipher suite that was not
     * offered MUST abort the handshake with an "illegal_parameter" alert." */
    expect_alert(feed(sh_record(&sh, rec, sizeof rec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    neg_end();
}
END_TEST

START_TEST(test_sh_session_id_echo)
{
    uint8_t rec[1024], id[32];
    td_server_hello sh;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    neg_go();
    trace_sh(0, &sh);
    memset(id, 0xaa, sizeof id); /* we sent an empty legacy_session_id */
    sh.legacy_session_id_echo = t13_span(id, sizeof id);
    /* RFC 8446 4.1.3: an echo "that does not match what it sent in the
     * ClientHello MUST abort the handshake with an "illegal_parameter"" */
    expect_alert(feed(sh_record(&sh, rec, sizeof rec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    neg_end();
}
END_TEST

START_TEST(test_sh_key_share_group)
{
    uint8_t rec[1024], ext[128];
    td_server_hello sh;
    td_ext_key_share ks;
    td_span d;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    neg_go();
    trace_sh(0, &sh);
    ck_assert(td_ext_find(sh.extensions, TD_EXT_KEY_SHARE, &d));
    ck_assert_int_eq(td_ext_key_share_decode(d, TD_EXT_CTX_SERVER_HELLO13, &ks),
                     TD_OK);
    /* key_share: 0033 0024, group 0017 (secp256r1, offered in
     * supported_groups but no share sent), 0020 + the 32 x25519 bytes;
     * supported_versions: 002b 0002 0304 */
    memcpy(ext, "\x00\x33\x00\x24\x00\x17\x00\x20", 8);
    memcpy(ext + 8, ks.server_share.key_exchange.p, 32);
    memcpy(ext + 40, "\x00\x2b\x00\x02\x03\x04", 6);
    sh.extensions = ext_block(ext, 46);
    /* RFC 8446 4.2.8: the server's share "MUST be in the same group as the
     * KeyShareEntry value offered by the client"; illegal_parameter */
    expect_alert(feed(sh_record(&sh, rec, sizeof rec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    neg_end();
}
END_TEST

START_TEST(test_sh_no_key_share)
{
    uint8_t rec[1024];
    td_server_hello sh;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    neg_go();
    trace_sh(0, &sh);
    /* supported_versions only: 002b 0002 0304 */
    sh.extensions = ext_block((const uint8_t *)"\x00\x2b\x00\x02\x03\x04", 6);
    /* RFC 8446 4.1.3 (no PSK offered: "key_share" is required), 6.2
     * missing_extension */
    expect_alert(feed(sh_record(&sh, rec, sizeof rec)),
                 TD_ALERT_MISSING_EXTENSION);
    neg_end();
}
END_TEST

START_TEST(test_sh_extension_not_offered)
{
    uint8_t rec[1024], ext[256];
    td_server_hello sh;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    neg_go();
    trace_sh(0, &sh);
    /* the trace's block + pre_shared_key: 0029 0002 0000 (selected
     * identity 0), allowed in SH by the RFC 8446 4.2 table, but we offered
     * no PSK */
    memcpy(ext, sh.extensions.p, sh.extensions.len);
    memcpy(ext + sh.extensions.len, "\x00\x29\x00\x02\x00\x00", 6);
    sh.extensions = ext_block(ext, sh.extensions.len + 6);
    /* RFC 8446 4.2: "MUST abort the handshake with an
     * "unsupported_extension" alert" */
    expect_alert(feed(sh_record(&sh, rec, sizeof rec)),
                 TD_ALERT_UNSUPPORTED_EXTENSION);
    neg_end();
}
END_TEST

/* A TLS 1.2 ServerHello made from the trace's: legacy_version `version`,
 * no extensions, ECDHE-RSA-AES128-GCM-SHA256. */
static td_span sh12(uint16_t version, int sentinel, uint8_t *rec, size_t cap)
{
    /* RFC 8446 4.1.3: "44 4F 57 4E 47 52 44 01" */
    static const uint8_t down12[8] = {0x44, 0x4f, 0x57, 0x4e,
                                      0x47, 0x52, 0x44, 0x01};
    td_server_hello sh;

    trace_sh(0, &sh);
    sh.legacy_version = version;
    sh.cipher_suite = 0xc02f;
    sh.has_extensions = 0;
    sh.extensions = t13_span(NULL, 0);
    if (sentinel)
        memcpy(sh.random + 24, down12, 8);
    return sh_record(&sh, rec, cap);
}

/* Offering TLS 1.2 too, with TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
static void offer12(void)
{
    td_conn_config *cfg = t13_cfg();

    cfg->min_version = 0x0303;
    cfg->suites.v[cfg->suites.n++] = 0xc02f;
}

START_TEST(test_sh12_downgrade_sentinel)
{
    uint8_t rec[1024];

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    offer12();
    /* without the sentinel the TLS 1.2 ServerHello is taken */
    neg_go();
    feed_ok(sh12(0x0303, 0, rec, sizeof rec));
    ck_assert_int_eq(t13_conn()->state, TD_ST_CLI12_WAIT_CERTIFICATE);
    ck_assert_uint_eq(t13_conn()->params.version, 0x0303);
    /* with it: RFC 8446 4.1.3 "TLS 1.3 clients receiving a ServerHello
     * indicating TLS 1.2 or below MUST check that the last 8 bytes are not
     * equal to either of these values ... If a match is found, the client
     * MUST abort the handshake with an "illegal_parameter" alert." */
    neg_go();
    expect_alert(feed(sh12(0x0303, 1, rec, sizeof rec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    neg_end();
}
END_TEST

START_TEST(test_sh_version_0302)
{
    uint8_t rec[1024];

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    offer12();
    neg_go();
    /* RFC 8446 D.1: "If the version chosen by the server is not supported
     * by the client ... the client MUST abort the handshake with a
     * "protocol_version" alert." (TLS 1.1; RFC 8996 5) */
    expect_alert(feed(sh12(0x0302, 0, rec, sizeof rec)),
                 TD_ALERT_PROTOCOL_VERSION);
    neg_end();
}
END_TEST

START_TEST(test_sh12_not_offered)
{
    uint8_t rec[1024];

    /* TLS 1.3 only: a TLS 1.2 ServerHello (no sentinel) is a version we
     * did not offer: RFC 8446 D.1 protocol_version */
    neg_start("tls13/s3-1rtt.vec", T13_S3);
    neg_go();
    expect_alert(feed(sh12(0x0303, 0, rec, sizeof rec)),
                 TD_ALERT_PROTOCOL_VERSION);
    neg_end();
}
END_TEST

/* ---- HelloRetryRequest (section 5) ---- */

static td_span hrr_record(const uint8_t *ext, size_t ext_len, uint16_t suite,
                          uint8_t *rec, size_t cap)
{
    td_server_hello sh;

    trace_sh(0, &sh);
    ck_assert(sh.is_hello_retry_request);
    if (ext)
        sh.extensions = ext_block(ext, ext_len);
    sh.cipher_suite = suite;
    return sh_record(&sh, rec, cap);
}

START_TEST(test_hrr_second)
{
    const td_vec_entry *hrr;

    neg_start("tls13/s5-hrr.vec", T13_S5);
    neg_go();
    hrr = server_record("handshake", "plaintext", 0);
    feed_ok(td_vec_span(hrr));
    ck_assert_int_eq(t13_conn()->state, TD_ST_CLI_WAIT_SERVER_HELLO);
    ck_assert(t13_conn()->hrr_done);
    /* RFC 8446 4.1.4: "If a client receives a second HelloRetryRequest in
     * the same connection ... it MUST abort the handshake with an
     * "unexpected_message" alert." */
    expect_alert(feed(td_vec_span(hrr)), TD_ALERT_UNEXPECTED_MESSAGE);
    neg_end();
}
END_TEST

START_TEST(test_hrr_group_checks)
{
    /* key_share 0033 0002 <group>; supported_versions 002b 0002 0304 */
    uint8_t ext[] = {0x00, 0x33, 0x00, 0x02, 0x00, 0x1d,
                     0x00, 0x2b, 0x00, 0x02, 0x03, 0x04};
    uint8_t rec[1024];

    neg_start("tls13/s5-hrr.vec", T13_S5);
    /* RFC 8446 4.2.8: selected_group must not "correspond to a group which
     * was provided in the "key_share" extension in the original
     * ClientHello" (x25519 was), else "illegal_parameter" */
    neg_go();
    expect_alert(feed(hrr_record(ext, sizeof ext, 0x1301, rec, sizeof rec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    /* ... and must correspond "to a group which was provided in the
     * "supported_groups" extension": secp521r1 (0019) was not */
    ext[5] = 0x19;
    neg_go();
    expect_alert(feed(hrr_record(ext, sizeof ext, 0x1301, rec, sizeof rec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    /* control: secp384r1 (0018) is accepted and answered (its private
     * key from the RNG: the script's second share is the trace's P-256
     * one, of another length) */
    ext[5] = 0x18;
    t13_script()->n = 2; /* RANDOM, the x25519 KEY_SHARE */
    neg_go();
    feed_ok(hrr_record(ext, sizeof ext, 0x1301, rec, sizeof rec));
    ck_assert_int_eq(t13_conn()->kx_group[0], 0x0018);
    ck_assert_uint_gt(td_conn_pending(t13_conn()), 0);
    neg_end();
}
END_TEST

START_TEST(test_hrr_no_change)
{
    /* supported_versions only */
    static const uint8_t ext[] = {0x00, 0x2b, 0x00, 0x02, 0x03, 0x04};
    uint8_t rec[1024];

    neg_start("tls13/s5-hrr.vec", T13_S5);
    neg_go();
    /* RFC 8446 4.1.4: "Clients MUST abort the handshake with an
     * "illegal_parameter" alert if the HelloRetryRequest would not result
     * in any change in the ClientHello." */
    expect_alert(feed(hrr_record(ext, sizeof ext, 0x1301, rec, sizeof rec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    neg_end();
}
END_TEST

START_TEST(test_hrr_then_other_suite)
{
    uint8_t rec[1024];
    td_server_hello sh;

    neg_start("tls13/s5-hrr.vec", T13_S5);
    neg_go();
    feed_ok(td_vec_span(server_record("handshake", "plaintext", 0)));
    trace_sh(1, &sh);
    ck_assert(!sh.is_hello_retry_request);
    sh.cipher_suite = 0x1303; /* offered, but not the HRR's 1301 */
    /* RFC 8446 4.1.4: "clients MUST check that the cipher suite supplied
     * in the ServerHello is the same as that in the HelloRetryRequest and
     * otherwise abort the handshake with an "illegal_parameter" alert." */
    expect_alert(feed(sh_record(&sh, rec, sizeof rec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    neg_end();
}
END_TEST

START_TEST(test_hrr_suite_not_offered)
{
    uint8_t rec[1024];

    neg_start("tls13/s5-hrr.vec", T13_S5);
    neg_go();
    /* RFC 8446 4.1.4 -> 4.1.3: a cipher suite not offered,
     * illegal_parameter */
    expect_alert(feed(hrr_record(NULL, 0, 0x1304, rec, sizeof rec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    neg_end();
}
END_TEST

/* ---- the server's encrypted flight (section 3) ---- */

static uint8_t fl_buf[4][8192];
static td_span fl[4]; /* EE, Certificate, CertificateVerify, Finished */

static void flight_split(void)
{
    const td_vec_entry *p = server_record("handshake", "payload", 1);
    td_rd r;
    size_t i;

    td_rd_init_span(&r, td_vec_span(p));
    for (i = 0; i < 4; i++) {
        td_handshake h;

        ck_assert_int_eq(td_handshake_decode(&r, &h), TD_OK);
        memcpy(fl_buf[i], h.raw.p, h.raw.len);
        fl[i] = t13_span(fl_buf[i], h.raw.len);
    }
    ck_assert_uint_eq(td_rd_left(&r), 0);
}

/* fl[] sealed with the trace's server handshake key. */
static td_span flight_record(uint8_t *out, size_t cap)
{
    static uint8_t plain[16384];
    const td_vec_entry *k = t13_vec_find(
        &nv, "server", "kdf", "derive_write_traffic_keys_for_handshake_data",
        "key_expanded", 0);
    const td_vec_entry *iv = t13_vec_find(
        &nv, "server", "kdf", "derive_write_traffic_keys_for_handshake_data",
        "iv_expanded", 0);
    size_t n = 0, i;

    for (i = 0; i < 4; i++) {
        memcpy(plain + n, fl[i].p, fl[i].len);
        n += fl[i].len;
    }
    return t13_span(out, t13_seal(td_vec_span(k), td_vec_span(iv), 0,
                                  TD_CT_HANDSHAKE, t13_span(plain, n), out,
                                  cap));
}

/* Section 3 up to the ServerHello. */
static void s3_after_sh(void)
{
    neg_go();
    feed_ok(td_vec_span(server_record("handshake", "plaintext", 0)));
    flight_split();
}

static uint8_t frec[16384];

START_TEST(test_flight_reseal_control)
{
    const td_vec_entry *want;
    td_span rec;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    want = server_record("handshake", "protected", 0);
    s3_after_sh();
    /* sealing the trace's own messages again gives the trace's record:
     * the edits below differ from it in the edited field only */
    rec = flight_record(frec, sizeof frec);
    ck_assert_uint_eq(rec.len, want->len);
    ck_assert_mem_eq(rec.p, want->data, want->len);
    feed_ok(rec);
    ck_assert_int_eq(t13_conn()->state, TD_ST_CONNECTED);
    neg_end();
}
END_TEST

START_TEST(test_ee_extension_not_offered)
{
    uint8_t ext[512], body[512], raw[600];
    td_encrypted_extensions ee;
    td_span b;
    td_wr w;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    s3_after_sh();
    ck_assert_int_eq(td_encrypted_extensions_decode(
                         t13_span(fl[0].p + 4, fl[0].len - 4), &ee),
                     TD_OK);
    /* + ALPN "h2": 0010 0005, 0003 list, 02 'h' '2' (RFC 7301 3.1); we
     * offered no ALPN */
    memcpy(ext, ee.extensions.p, ee.extensions.len);
    memcpy(ext + ee.extensions.len, "\x00\x10\x00\x05\x00\x03\x02h2", 9);
    ee.extensions = t13_span(ext, ee.extensions.len + 9);
    td_wr_init(&w, body, sizeof body);
    ck_assert_int_eq(td_encrypted_extensions_encode(&w, &ee), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &b), TD_OK);
    fl[0] = msg_raw(TD_HS_ENCRYPTED_EXTENSIONS, b, raw, sizeof raw);
    /* RFC 8446 4.2: a response to an extension not sent is
     * "unsupported_extension" */
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_UNSUPPORTED_EXTENSION);
    neg_end();
}
END_TEST

START_TEST(test_certificate_empty)
{
    /* certificate_request_context 00, certificate_list 000000 */
    static const uint8_t body[] = {0x00, 0x00, 0x00, 0x00};
    uint8_t raw[16];

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    s3_after_sh();
    fl[1] = msg_raw(TD_HS_CERTIFICATE, t13_span(body, 4), raw, sizeof raw);
    /* RFC 8446 4.4.2.4: "If the server supplies an empty Certificate
     * message, the client MUST abort the handshake with a "decode_error"
     * alert." */
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_DECODE_ERROR);
    neg_end();
}
END_TEST

START_TEST(test_certificate_validity)
{
    neg_start("tls13/s3-1rtt.vec", T13_S3);
    /* 2033-05-18 (2000000000): after notAfter 2026-07-30; RFC 8446 6.2
     * certificate_expired: "A certificate has expired or is not currently
     * valid." */
    t13_cfg()->now = UINT64_C(2000000000);
    s3_after_sh();
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_CERTIFICATE_EXPIRED);
    /* 2014-05-13 (1400000000): before notBefore 2016-07-30 */
    t13_cfg()->now = UINT64_C(1400000000);
    s3_after_sh();
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_CERTIFICATE_EXPIRED);
    neg_end();
}
END_TEST

START_TEST(test_certificate_unknown_ca)
{
    char path[1024];
    FILE *f;
    td_cert_list *trust = &t13_cfg()->trust;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    /* trust the test PKI's root instead of the trace's certificate */
    snprintf(path, sizeof path, "%s/pki/root-ca.crt.der", td_vectors_dir());
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s", path);
    trust->len[0] = fread(trust->der[0], 1, TD_CONN_MAX_CERT_LEN, f);
    fclose(f);
    ck_assert_uint_gt(trust->len[0], 0);
    s3_after_sh();
    /* RFC 8446 6.2 unknown_ca: "the CA certificate could not be located
     * or could not be matched with a known trust anchor" */
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_UNKNOWN_CA);
    neg_end();
}
END_TEST

START_TEST(test_certificate_bad_signature)
{
    uint8_t raw[8192];

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    s3_after_sh();
    /* The certificate's last byte is the last byte of its signature
     * (signatureValue ends the Certificate SEQUENCE); the message ends
     * with the entry's empty extensions (00 00). */
    memcpy(raw, fl[1].p, fl[1].len);
    raw[fl[1].len - 3] ^= 0x01;
    fl[1] = t13_span(raw, fl[1].len);
    /* the trust anchor (the unmodified self-signed certificate) names
     * the issuer, but its key does not verify the signature: RFC 8446 6.2
     * bad_certificate, "A certificate was corrupt, contained signatures
     * that did not verify correctly" */
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_BAD_CERTIFICATE);
    neg_end();
}
END_TEST

/* The CertificateVerify with `algorithm` and the signature's byte at
 * `flip` (>= 0) changed. */
static void edit_cv(uint16_t algorithm, int flip, uint8_t *raw, size_t cap)
{
    td_certificate_verify cv;
    uint8_t body[1024], sig[1024];
    td_span b;
    td_wr w;

    ck_assert_int_eq(td_certificate_verify_decode(
                         t13_span(fl[2].p + 4, fl[2].len - 4), &cv),
                     TD_OK);
    memcpy(sig, cv.signature.p, cv.signature.len);
    if (flip >= 0)
        sig[flip] ^= 0x80;
    cv.signature = t13_span(sig, cv.signature.len);
    cv.algorithm = algorithm;
    td_wr_init(&w, body, sizeof body);
    ck_assert_int_eq(td_certificate_verify_encode(&w, &cv), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &b), TD_OK);
    fl[2] = msg_raw(TD_HS_CERTIFICATE_VERIFY, b, raw, cap);
}

START_TEST(test_certificate_verify)
{
    uint8_t raw[1024];

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    /* ed25519 (0807) is not in the trace's signature_algorithms: RFC 8446
     * 4.4.3 "MUST be one offered in the client's "signature_algorithms""
     * (no alert named; 6.2 illegal_parameter) */
    s3_after_sh();
    edit_cv(0x0807, -1, raw, sizeof raw);
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    /* rsa_pkcs1_sha256 (0401) is offered, but RFC 8446 4.4.3: "RSA
     * signatures MUST use an RSASSA-PSS algorithm" */
    s3_after_sh();
    edit_cv(0x0401, -1, raw, sizeof raw);
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_ILLEGAL_PARAMETER);
    /* a flipped signature bit: RFC 8446 4.4.3 "If the verification fails,
     * the receiver MUST terminate the handshake with a "decrypt_error"
     * alert." */
    s3_after_sh();
    edit_cv(0x0804, 10, raw, sizeof raw);
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_DECRYPT_ERROR);
    neg_end();
}
END_TEST

START_TEST(test_finished_wrong)
{
    uint8_t raw[64];

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    s3_after_sh();
    memcpy(raw, fl[3].p, fl[3].len);
    raw[fl[3].len - 1] ^= 0x01; /* the last byte of verify_data */
    fl[3] = t13_span(raw, fl[3].len);
    /* RFC 8446 4.4.4: "Recipients of Finished messages MUST verify that
     * the contents are correct and if incorrect MUST terminate the
     * connection with a "decrypt_error" alert." */
    expect_alert(feed(flight_record(frec, sizeof frec)),
                 TD_ALERT_DECRYPT_ERROR);
    neg_end();
}
END_TEST

START_TEST(test_record_flipped)
{
    const td_vec_entry *e;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    s3_after_sh();
    e = server_record("handshake", "protected", 0);
    memcpy(frec, e->data, e->len);
    frec[e->len / 2] ^= 0x01;
    /* RFC 8446 5.2: "If the decryption fails, the receiver MUST terminate
     * the connection with a "bad_record_mac" alert." */
    expect_alert(feed(t13_span(frec, e->len)), TD_ALERT_BAD_RECORD_MAC);
    neg_end();
}
END_TEST

/* ---- after the handshake (section 3) ---- */

static void s3_connected(void)
{
    uint8_t out[4096];
    size_t n;

    s3_after_sh();
    feed_ok(td_vec_span(server_record("handshake", "protected", 0)));
    ck_assert_int_eq(t13_conn()->state, TD_ST_CONNECTED);
    td_conn_drain(t13_conn(), out, sizeof out, &n); /* the Finished */
}

/* The trace's traffic key of `side` for application data. */
static void app_keys(const char *side, td_span *key, td_span *iv)
{
    *key = td_vec_span(t13_vec_find(
        &nv, side, "kdf", "derive_write_traffic_keys_for_application_data",
        "key_expanded", 0));
    *iv = td_vec_span(t13_vec_find(
        &nv, side, "kdf", "derive_write_traffic_keys_for_application_data",
        "iv_expanded", 0));
}

START_TEST(test_post_handshake_request_unexpected)
{
    /* CertificateRequest: context 01 aa; extensions 0008: 000d 0004 0002
     * 0804 (signature_algorithms: rsa_pss_rsae_sha256) */
    static const uint8_t cr[] = {0x0d, 0x00, 0x00, 0x0c, 0x01, 0xaa, 0x00, 0x08,
                                 0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x08, 0x04};
    td_span key, iv;
    uint8_t rec[256];
    size_t n;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    s3_connected();
    app_keys("server", &key, &iv);
    n = t13_seal(key, iv, 0, TD_CT_HANDSHAKE, t13_span(cr, sizeof cr), rec,
                 sizeof rec);
    /* RFC 8446 4.6.2: "A client that receives a CertificateRequest message
     * without having sent the "post_handshake_auth" extension MUST send an
     * "unexpected_message" fatal alert." */
    expect_alert(feed(t13_span(rec, n)), TD_ALERT_UNEXPECTED_MESSAGE);
    neg_end();
}
END_TEST

/* HKDF-Expand-Label(secret, label, "", n) written out (RFC 8446 7.1):
 * HkdfLabel = uint16 length || opaque label<7..255> = "tls13 " + Label ||
 * opaque context<0..255> = "" */
static void expand_label(td_span secret, const char *label, uint8_t *out,
                         size_t n)
{
    uint8_t info[64];
    size_t l = strlen(label);

    info[0] = (uint8_t)(n >> 8);
    info[1] = (uint8_t)n;
    info[2] = (uint8_t)(6 + l);
    memcpy(info + 3, "tls13 ", 6);
    memcpy(info + 9, label, l);
    info[9 + l] = 0;
    ck_assert_int_eq(td_hkdf_expand(TD_HASH_SHA256, secret,
                                    t13_span(info, 10 + l), out, n),
                     TD_OK);
}

/* application_traffic_secret_1 of `name`'s secret_0 (RFC 8446 7.2) and its
 * key and iv (7.3). */
static void next_keys(const char *name, uint8_t key[16], uint8_t iv[12])
{
    uint8_t next[32];
    const td_vec_entry *s0 = t13_vec_find(&nv, "server", "kdf", name,
                                          "expanded", 0);

    expand_label(td_vec_span(s0), "traffic upd", next, 32);
    expand_label(t13_span(next, 32), "key", key, 16);
    expand_label(t13_span(next, 32), "iv", iv, 12);
}

START_TEST(test_key_update)
{
    /* KeyUpdate: 18 000001, request_update 01 (update_requested) */
    static const uint8_t ku[] = {0x18, 0x00, 0x00, 0x01, 0x01};
    /* the client's answer: update_not_requested */
    static const uint8_t ku0[] = {0x18, 0x00, 0x00, 0x01, 0x00};
    static const uint8_t ping[] = "ping";
    td_span key, iv, content;
    uint8_t rec[256], out[512], plain[512], k1[16], iv1[12];
    size_t n;
    td_conn *c = t13_conn();

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    s3_connected();
    app_keys("server", &key, &iv);
    n = t13_seal(key, iv, 0, TD_CT_HANDSHAKE, t13_span(ku, sizeof ku), rec,
                 sizeof rec);
    feed_ok(t13_span(rec, n));
    /* RFC 8446 4.6.3: "the receiver MUST send a KeyUpdate of its own with
     * request_update set to "update_not_requested"", under the key in use
     * (the client's application key, sequence 0) */
    td_conn_drain(c, out, sizeof out, &n);
    app_keys("client", &key, &iv);
    t13_open(key, iv, 0, t13_span(out, n), plain, sizeof plain, &content);
    ck_assert_uint_eq(content.len, sizeof ku0);
    ck_assert_mem_eq(content.p, ku0, sizeof ku0);
    /* then its data goes under client_application_traffic_secret_1 */
    ck_assert_int_eq(td_conn_write_app(c, t13_span(ping, 4)), TD_OK);
    td_conn_drain(c, out, sizeof out, &n);
    next_keys("derive_secret_tls13_c_ap_traffic", k1, iv1);
    t13_open(t13_span(k1, 16), t13_span(iv1, 12), 0, t13_span(out, n), plain,
             sizeof plain, &content);
    ck_assert_uint_eq(content.len, 4);
    ck_assert_mem_eq(content.p, ping, 4);
    /* and it reads the server's under server_application_traffic_secret_1 */
    next_keys("derive_secret_tls13_s_ap_traffic", k1, iv1);
    n = t13_seal(t13_span(k1, 16), t13_span(iv1, 12), 0,
                 TD_CT_APPLICATION_DATA, t13_span(ping, 4), rec, sizeof rec);
    feed_ok(t13_span(rec, n));
    td_conn_read_app(c, out, sizeof out, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_mem_eq(out, ping, 4);
    neg_end();
}
END_TEST

START_TEST(test_key_update_bad_value)
{
    /* request_update 02: RFC 8446 4.6.3 "If an implementation receives
     * any other value, it MUST terminate the connection with an
     * "illegal_parameter" alert." */
    static const uint8_t ku[] = {0x18, 0x00, 0x00, 0x01, 0x02};
    td_span key, iv;
    uint8_t rec[256];
    size_t n;

    neg_start("tls13/s3-1rtt.vec", T13_S3);
    s3_connected();
    app_keys("server", &key, &iv);
    n = t13_seal(key, iv, 0, TD_CT_HANDSHAKE, t13_span(ku, sizeof ku), rec,
                 sizeof rec);
    expect_alert(feed(t13_span(rec, n)), TD_ALERT_ILLEGAL_PARAMETER);
    neg_end();
}
END_TEST

Suite *td_engine_client13_neg_suite(void)
{
    Suite *s = suite_create("engine_client13_neg");
    TCase *tc;

    tc = tcase_create("rfc_negative_server_hello");
    tcase_add_test(tc, test_sh_suite_not_offered);
    tcase_add_test(tc, test_sh_session_id_echo);
    tcase_add_test(tc, test_sh_key_share_group);
    tcase_add_test(tc, test_sh_no_key_share);
    tcase_add_test(tc, test_sh_extension_not_offered);
    tcase_add_test(tc, test_sh12_downgrade_sentinel);
    tcase_add_test(tc, test_sh_version_0302);
    tcase_add_test(tc, test_sh12_not_offered);
    suite_add_tcase(s, tc);

    tc = tcase_create("rfc_negative_hello_retry_request");
    tcase_add_test(tc, test_hrr_second);
    tcase_add_test(tc, test_hrr_group_checks);
    tcase_add_test(tc, test_hrr_no_change);
    tcase_add_test(tc, test_hrr_then_other_suite);
    tcase_add_test(tc, test_hrr_suite_not_offered);
    suite_add_tcase(s, tc);

    tc = tcase_create("rfc_negative_server_flight");
    tcase_add_test(tc, test_flight_reseal_control);
    tcase_add_test(tc, test_ee_extension_not_offered);
    tcase_add_test(tc, test_certificate_empty);
    tcase_add_test(tc, test_certificate_validity);
    tcase_add_test(tc, test_certificate_unknown_ca);
    tcase_add_test(tc, test_certificate_bad_signature);
    tcase_add_test(tc, test_certificate_verify);
    tcase_add_test(tc, test_finished_wrong);
    tcase_add_test(tc, test_record_flipped);
    suite_add_tcase(s, tc);

    tc = tcase_create("post_handshake");
    tcase_add_test(tc, test_post_handshake_request_unexpected);
    tcase_add_test(tc, test_key_update);
    tcase_add_test(tc, test_key_update_bad_value);
    suite_add_tcase(s, tc);
    return s;
}
