/*
 * td_observe: observations built by hand from real messages (the RFC 8448
 * traces in vectors/tls13, the openssl TLS 1.2 captures in vectors/tls12)
 * and compared.
 *
 *   collect     reassembly: a message split over records (at every byte),
 *               several messages in one record, more messages or bytes
 *               than the observation keeps; alerts, CCS, application data,
 *               undecryptable and other records
 *   outcome     the outcome text of every verdict
 *   compare     the same observation is the same; volatile fields (random,
 *               key share, signatures, session ID in TLS 1.2, extension
 *               order, optional extensions) are the same; a fixed field,
 *               the verdict, a missing message, CCS, the negotiated
 *               parameters are reported with the exact line
 *   table       every compared field names its clause, once
 * The expected lines are written out by hand.
 */
#include "td_vec.h" /* first: it selects POSIX (open_memstream) */

#include "td_observe.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUF 8192u

/* Two observations at a time; about 34 KiB each. */
static td_observation A, B;

/* A message or record from a vector file, as a mutable copy. */
typedef struct blob {
    uint8_t b[MAX_BUF];
    size_t len;
} blob;

static void load(td_vec *v, const char *rel)
{
    ck_assert_msg(td_vec_load(rel, v) == TD_OK, "cannot load %s/%s", td_vectors_dir(), rel);
}

static void take(const td_vec *v, const char *side, const char *kind, const char *name,
                 const char *field, int nth, blob *out)
{
    const td_vec_entry *e = td_vec_find(v, side, kind, name, field, nth);

    ck_assert_msg(e != NULL, "no %s %s %s %s #%d", side, kind, name, field, nth);
    ck_assert_uint_le(e->len, MAX_BUF);
    memcpy(out->b, e->data, e->len);
    out->len = e->len;
}

static void add(td_observation *o, uint8_t type, const uint8_t *p, size_t len)
{
    td_span s = {p, len};

    ck_assert_int_eq(td_obs_add_record(o, type, s, 0), TD_OK);
}

static void add_blob(td_observation *o, uint8_t type, const blob *b)
{
    add(o, type, b->b, b->len);
}

static void add_alert(td_observation *o, uint8_t level, uint8_t description)
{
    uint8_t a[2] = {level, description};

    add(o, TD_CT_ALERT, a, 2);
}

static void expect_same(const td_observation *a, const td_observation *b)
{
    char line[TD_OBS_LINE_LEN];

    ck_assert_msg(td_obs_compare(a, b, line, sizeof line) == 0, "unexpected difference: %s",
                  line);
    ck_assert_str_eq(line, "");
}

static void expect_line(const td_observation *a, const td_observation *b, const char *want)
{
    char line[TD_OBS_LINE_LEN];

    ck_assert_int_eq(td_obs_compare(a, b, line, sizeof line), 1);
    ck_assert_str_eq(line, want);
}

static void expect_outcome(const td_observation *o, const char *want)
{
    char buf[TD_OBS_OUTCOME_LEN];

    td_obs_outcome(o, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
}

/* Offset of pattern in b (fails the test when absent). */
static size_t find(const blob *b, const uint8_t *pat, size_t n)
{
    size_t i;

    for (i = 0; i + n <= b->len; i++)
        if (memcmp(b->b + i, pat, n) == 0)
            return i;
    ck_abort_msg("pattern not found");
    return 0;
}

static void cut(blob *b, size_t at, size_t n)
{
    memmove(b->b + at, b->b + at + n, b->len - at - n);
    b->len -= n;
}

/* Rewrite a handshake header's uint24 length after an edit. */
static void fix_header(blob *b)
{
    size_t n = b->len - 4;

    b->b[1] = (uint8_t)(n >> 16);
    b->b[2] = (uint8_t)(n >> 8);
    b->b[3] = (uint8_t)n;
}

static void put16(blob *b, size_t at, unsigned v)
{
    b->b[at] = (uint8_t)(v >> 8);
    b->b[at + 1] = (uint8_t)v;
}

static unsigned get16(const blob *b, size_t at)
{
    return (unsigned)b->b[at] << 8 | b->b[at + 1];
}

/* ------------------------------------------------------------------------
 * The RFC 8448 section 3 server flight: ServerHello in one record, then
 * EncryptedExtensions, Certificate, CertificateVerify and Finished in one
 * record (as the trace sends them).
 * ------------------------------------------------------------------------ */

typedef struct flight13 {
    blob sh, ee, cert, cv, fin;
} flight13;

static void flight13_load(flight13 *f)
{
    td_vec v;

    load(&v, "tls13/s3-1rtt.vec");
    take(&v, "server", "handshake", "server_hello", "message", 0, &f->sh);
    take(&v, "server", "handshake", "encrypted_extensions", "message", 0, &f->ee);
    take(&v, "server", "handshake", "certificate", "message", 0, &f->cert);
    take(&v, "server", "handshake", "certificate_verify", "message", 0, &f->cv);
    take(&v, "server", "handshake", "finished", "message", 0, &f->fin);
    td_vec_free(&v);
    /* Offsets the edits below rely on (RFC 8448 3). */
    ck_assert_uint_eq(f->sh.len, 90);
    ck_assert_uint_eq(get16(&f->sh, 39), 0x1301); /* cipher_suite */
    ck_assert_uint_eq(get16(&f->sh, 44), 0x0033); /* key_share first */
    ck_assert_uint_eq(get16(&f->sh, 84), 0x002b); /* supported_versions */
    ck_assert_uint_eq(f->ee.len, 40);
    ck_assert_uint_eq(get16(&f->ee, 6), 0x000a);  /* supported_groups */
    ck_assert_uint_eq(get16(&f->ee, 30), 0x001c); /* record_size_limit */
    ck_assert_uint_eq(get16(&f->ee, 36), 0x0000); /* server_name */
}

static void state13(td_state *st)
{
    memset(st, 0, sizeof *st);
    st->verdict = TD_VERDICT_CONTINUE;
    st->version = 0x0304;
    st->cipher_suite = 0x1301;
    st->group = 0x001d;
    st->sig_scheme = 0x0804;
}

/* The flight as one observation; `with_fin` 0 leaves Finished out. */
static void obs13(td_observation *o, const flight13 *f, int with_fin)
{
    uint8_t rec[MAX_BUF];
    size_t n = 0;
    td_state st;

    td_obs_init(o);
    add_blob(o, TD_CT_HANDSHAKE, &f->sh);
    memcpy(rec + n, f->ee.b, f->ee.len), n += f->ee.len;
    memcpy(rec + n, f->cert.b, f->cert.len), n += f->cert.len;
    memcpy(rec + n, f->cv.b, f->cv.len), n += f->cv.len;
    if (with_fin)
        memcpy(rec + n, f->fin.b, f->fin.len), n += f->fin.len;
    add(o, TD_CT_HANDSHAKE, rec, n);
    state13(&st);
    td_obs_set_state(o, &st);
}

static flight13 F, G; /* G: the edited copy */

START_TEST(test_compare_identical)
{
    flight13_load(&F);
    obs13(&A, &F, 1);
    obs13(&B, &F, 1);
    ck_assert_uint_eq(A.n_messages, 5);
    expect_same(&A, &B);
    expect_outcome(&A, "continue");
}
END_TEST

/* Randoms, key shares, signatures and Finished values differ between any
 * two runs: never compared. */
START_TEST(test_compare_volatile_same)
{
    flight13_load(&F);
    G = F;
    G.sh.b[10] ^= 0xff;                     /* random */
    G.sh.b[60] ^= 0xff;                     /* key_share key_exchange */
    G.cv.b[G.cv.len - 1] ^= 0xff;           /* signature */
    G.fin.b[G.fin.len - 1] ^= 0xff;         /* verify_data */
    G.cert.b[G.cert.len - 20] ^= 0xff;      /* inside the certificate */
    obs13(&A, &F, 1);
    obs13(&B, &G, 1);
    expect_same(&A, &B);
    td_obs_set_note(&B, "peer stopped: %s", "done");
    expect_same(&A, &B); /* the note is the peer's */
}
END_TEST

START_TEST(test_compare_cipher_suite)
{
    flight13_load(&F);
    G = F;
    put16(&G.sh, 39, 0x1302);
    obs13(&A, &F, 1);
    obs13(&B, &G, 1);
    expect_line(&A, &B,
                "server_hello.cipher_suite: reference TLS_AES_128_GCM_SHA256 (0x1301), "
                "wolfSSL TLS_AES_256_GCM_SHA384 (0x1302)");
    /* When the states say so too, the negotiated parameter comes first. */
    B.state.cipher_suite = 0x1302;
    expect_line(&A, &B,
                "negotiated.cipher_suite: reference TLS_AES_128_GCM_SHA256 (0x1301), "
                "wolfSSL TLS_AES_256_GCM_SHA384 (0x1302)");
}
END_TEST

START_TEST(test_compare_key_share_group)
{
    flight13_load(&F);
    G = F;
    put16(&G.sh, 48, 0x0017); /* server_share.group */
    obs13(&A, &F, 1);
    obs13(&B, &G, 1);
    expect_line(&A, &B,
                "server_hello.key_share.group: reference x25519 (0x001d), "
                "wolfSSL secp256r1 (0x0017)");
}
END_TEST

START_TEST(test_compare_extension_order)
{
    blob sh, ee;

    flight13_load(&F);
    G = F;
    /* ServerHello: supported_versions before key_share. */
    sh = F.sh;
    memcpy(sh.b + 44, F.sh.b + 84, 6);
    memcpy(sh.b + 50, F.sh.b + 44, 40);
    G.sh = sh;
    /* EncryptedExtensions: server_name, record_size_limit, supported_groups. */
    ee = F.ee;
    memcpy(ee.b + 6, F.ee.b + 36, 4);
    memcpy(ee.b + 10, F.ee.b + 30, 6);
    memcpy(ee.b + 16, F.ee.b + 6, 24);
    G.ee = ee;
    obs13(&A, &F, 1);
    obs13(&B, &G, 1);
    expect_same(&A, &B);
}
END_TEST

START_TEST(test_compare_optional_extension)
{
    flight13_load(&F);
    G = F;
    /* supported_groups in EE is optional (RFC 8446 4.2.7): not compared. */
    cut(&G.ee, 6, 24);
    put16(&G.ee, 4, get16(&G.ee, 4) - 24);
    fix_header(&G.ee);
    obs13(&A, &F, 1);
    obs13(&B, &G, 1);
    expect_same(&A, &B);
    /* The server_name acknowledgement is compared. */
    G = F;
    cut(&G.ee, 36, 4);
    put16(&G.ee, 4, get16(&G.ee, 4) - 4);
    fix_header(&G.ee);
    obs13(&B, &G, 1);
    expect_line(&A, &B, "encrypted_extensions.server_name: reference yes, wolfSSL no");
}
END_TEST

START_TEST(test_compare_missing_message)
{
    flight13_load(&F);
    obs13(&A, &F, 1);
    obs13(&B, &F, 0);
    expect_line(&A, &B, "next message 5: reference finished, wolfSSL none");
    expect_line(&B, &A, "next message 5: reference none, wolfSSL finished");
}
END_TEST

START_TEST(test_compare_message_order)
{
    flight13_load(&F);
    G = F;
    G.ee = F.cert;
    G.cert = F.ee;
    obs13(&A, &F, 1);
    obs13(&B, &G, 1);
    expect_line(&A, &B, "next message 2: reference encrypted_extensions, wolfSSL certificate");
}
END_TEST

START_TEST(test_compare_verdict)
{
    td_state st;

    td_obs_init(&A);
    td_obs_init(&B);
    state13(&st);
    st.verdict = TD_VERDICT_ALERT;
    td_obs_set_state(&A, &st);
    td_obs_set_state(&B, &st);
    add_alert(&A, 2, TD_ALERT_DECODE_ERROR);
    add_alert(&B, 2, TD_ALERT_ILLEGAL_PARAMETER);
    expect_line(&A, &B, "verdict: reference alert:decode_error, wolfSSL alert:illegal_parameter");
    td_obs_init(&B);
    td_obs_set_state(&B, &st);
    add_alert(&B, 1, TD_ALERT_DECODE_ERROR);
    expect_line(&A, &B, "alert level: reference fatal, wolfSSL warning");
    td_obs_init(&B);
    add_alert(&B, 2, TD_ALERT_DECODE_ERROR);
    td_obs_set_crash(&B, "AddressSanitizer: heap-buffer-overflow");
    expect_line(&A, &B, "verdict: reference alert:decode_error, wolfSSL crash");
    expect_line(&B, &A, "verdict: reference crash, wolfSSL alert:decode_error");
}
END_TEST

START_TEST(test_compare_names)
{
    char line[TD_OBS_LINE_LEN];

    td_obs_init(&A);
    td_obs_init(&B);
    add_alert(&A, 2, TD_ALERT_DECODE_ERROR);
    ck_assert_int_eq(td_obs_compare_named(&A, "run 1", &B, "run 2", line, sizeof line), 1);
    ck_assert_str_eq(line, "verdict: run 1 alert:decode_error, run 2 continue");
}
END_TEST

START_TEST(test_compare_negotiated)
{
    td_state st;

    td_obs_init(&A);
    td_obs_init(&B);
    state13(&st);
    td_obs_set_state(&A, &st);
    st.version = 0x0303;
    td_obs_set_state(&B, &st);
    expect_line(&A, &B, "negotiated.version: reference TLSv1.3 (0x0304), wolfSSL TLSv1.2 (0x0303)");
    /* A side that did not get that far is not compared... */
    st.version = 0;
    st.group = 0;
    td_obs_set_state(&B, &st);
    expect_same(&A, &B);
    /* ...unless both completed. */
    A.state.handshake_done = B.state.handshake_done = 1;
    B.state.version = 0x0304;
    expect_line(&A, &B, "negotiated.group: reference x25519 (0x001d), wolfSSL none");
    B.state.group = 0x001d;
    B.state.resumed = 1;
    expect_line(&A, &B, "negotiated.resumed: reference no, wolfSSL yes");
    B.state.resumed = 0;
    B.state.handshake_done = 0;
    expect_line(&A, &B, "negotiated.handshake_done: reference yes, wolfSSL no");
}
END_TEST

START_TEST(test_compare_warnings)
{
    td_obs_init(&A);
    td_obs_init(&B);
    add_alert(&A, 1, TD_ALERT_UNRECOGNIZED_NAME);
    expect_outcome(&A, "continue");
    expect_line(&A, &B, "warning alerts: reference warning:unrecognized_name, wolfSSL none");
}
END_TEST

START_TEST(test_compare_undecryptable)
{
    flight13_load(&F);
    obs13(&A, &F, 1);
    td_obs_init(&B);
    add_blob(&B, TD_CT_HANDSHAKE, &F.sh);
    ck_assert_int_eq(td_obs_add_record(&B, TD_CT_APPLICATION_DATA, (td_span){NULL, 0}, 1),
                     TD_OK);
    td_obs_set_state(&B, &A.state);
    expect_line(&A, &B, "undecryptable records: reference 0, wolfSSL 1");
}
END_TEST

START_TEST(test_compare_unfinished)
{
    static const uint8_t part[2] = {0x08, 0x00};

    flight13_load(&F);
    td_obs_init(&A);
    td_obs_init(&B);
    add_blob(&A, TD_CT_HANDSHAKE, &F.sh);
    add_blob(&B, TD_CT_HANDSHAKE, &F.sh);
    add(&B, TD_CT_HANDSHAKE, part, sizeof part);
    expect_line(&A, &B, "unfinished message: reference none, wolfSSL 2 header bytes");
    add(&A, TD_CT_HANDSHAKE, F.ee.b, 10);
    add(&B, TD_CT_HANDSHAKE, F.ee.b + 2, 20);
    expect_same(&A, &B); /* both in the middle of encrypted_extensions */
    {
        char text[96];

        td_obs_unfinished(&A, text, sizeof text);
        ck_assert_str_eq(text, "encrypted_extensions (6 of 36 bytes)");
        td_obs_unfinished(&B, text, sizeof text);
        ck_assert_str_eq(text, "encrypted_extensions (18 of 36 bytes)");
    }
}
END_TEST

START_TEST(test_compare_app_data)
{
    static const uint8_t data[5] = "hello";

    td_obs_init(&A);
    td_obs_init(&B);
    add(&A, TD_CT_APPLICATION_DATA, data, sizeof data);
    expect_line(&A, &B, "application data: reference 5 bytes, wolfSSL 0 bytes");
    add(&B, TD_CT_APPLICATION_DATA, data, 2);
    add(&B, TD_CT_APPLICATION_DATA, data + 2, 3);
    expect_same(&A, &B);
    add(&B, TD_CT_HEARTBEAT, data, 3);
    expect_line(&A, &B, "other records: reference 0, wolfSSL 1");
}
END_TEST

/* ------------------------------------------------------------------------
 * HelloRetryRequest (RFC 8448 section 5)
 * ------------------------------------------------------------------------ */

START_TEST(test_compare_hrr)
{
    td_vec v;
    blob hrr, sh, ch2, g;
    static const uint8_t ks[4] = {0x00, 0x33, 0x00, 0x47};
    static const uint8_t cookie[4] = {0x00, 0x2c, 0x00, 0x74};
    size_t at;

    load(&v, "tls13/s5-hrr.vec");
    take(&v, "server", "handshake", "server_hello", "message", 0, &hrr);
    take(&v, "server", "handshake", "server_hello", "message", 1, &sh);
    take(&v, "client", "handshake", "client_hello", "message", 1, &ch2);
    td_vec_free(&v);

    td_obs_init(&A);
    td_obs_init(&B);
    add_blob(&A, TD_CT_HANDSHAKE, &hrr);
    add_blob(&B, TD_CT_HANDSHAKE, &sh);
    expect_line(&A, &B, "next message 1: reference hello_retry_request, wolfSSL server_hello");

    ck_assert_uint_eq(get16(&hrr, 48), 0x0017); /* key_share.selected_group */
    g = hrr;
    put16(&g, 48, 0x0018);
    g.b[60] ^= 0xff; /* inside the cookie: the server's own value */
    td_obs_init(&B);
    add_blob(&B, TD_CT_HANDSHAKE, &g);
    expect_line(&A, &B,
                "hello_retry_request.key_share.selected_group: reference secp256r1 (0x0017), "
                "wolfSSL secp384r1 (0x0018)");
    put16(&g, 48, 0x0017);
    td_obs_init(&B);
    add_blob(&B, TD_CT_HANDSHAKE, &g);
    expect_same(&A, &B);

    /* A client subject's second ClientHello: the cookie is an echo, the
     * key share the group asked for. */
    td_obs_init(&A);
    add_blob(&A, TD_CT_HANDSHAKE, &ch2);
    g = ch2;
    at = find(&g, ks, sizeof ks);
    put16(&g, at + 6, 0x0018);
    td_obs_init(&B);
    add_blob(&B, TD_CT_HANDSHAKE, &g);
    expect_line(&A, &B,
                "client_hello.key_share.groups: reference secp256r1, wolfSSL secp384r1");
    /* the cookie's value is the peer's, which may depend on each
     * subject's first ClientHello: only its presence is compared */
    g = ch2;
    at = find(&g, cookie, sizeof cookie);
    g.b[at + 6 + 110] ^= 0x01;
    td_obs_init(&B);
    add_blob(&B, TD_CT_HANDSHAKE, &g);
    expect_same(&A, &B);
    g = ch2;
    g.b[at] = 0xfa; /* the extension type: cookie (44) becomes 0xfa2c */
    td_obs_init(&B);
    add_blob(&B, TD_CT_HANDSHAKE, &g);
    expect_line(&A, &B, "client_hello.cookie: reference yes, wolfSSL no");
    g = ch2;
    g.b[11] ^= 0xff; /* random */
    td_obs_init(&B);
    add_blob(&B, TD_CT_HANDSHAKE, &g);
    expect_same(&A, &B);
}
END_TEST

/* ------------------------------------------------------------------------
 * TLS 1.2 (openssl captures)
 * ------------------------------------------------------------------------ */

typedef struct flight12 {
    blob sh, cert, ske, shd, nst, fin;
} flight12;

static void flight12_load(flight12 *f)
{
    td_vec v;

    load(&v, "tls12/ecdhe-rsa-chacha20.vec");
    take(&v, "server", "handshake", "server_hello", "message", 0, &f->sh);
    take(&v, "server", "handshake", "certificate", "message", 0, &f->cert);
    take(&v, "server", "handshake", "server_key_exchange", "message", 0, &f->ske);
    take(&v, "server", "handshake", "server_hello_done", "message", 0, &f->shd);
    take(&v, "server", "handshake", "new_session_ticket", "message", 0, &f->nst);
    take(&v, "server", "handshake", "finished", "message", 0, &f->fin);
    td_vec_free(&v);
    ck_assert_uint_eq(f->sh.len, 65);
    ck_assert_uint_eq(get16(&f->sh, 39), 0xcca8);
    ck_assert_uint_eq(get16(&f->sh, 44), 0xff01); /* renegotiation_info */
    ck_assert_uint_eq(get16(&f->sh, 61), 0x0017); /* extended_master_secret, last */
    ck_assert_uint_eq(get16(&f->ske, 5), 0x001d); /* namedcurve */
}

/* One message per record, then NewSessionTicket, CCS, Finished. */
static void obs12(td_observation *o, const flight12 *f, int with_ccs)
{
    static const uint8_t ccs = 1;
    td_state st;

    td_obs_init(o);
    add_blob(o, TD_CT_HANDSHAKE, &f->sh);
    add_blob(o, TD_CT_HANDSHAKE, &f->cert);
    add_blob(o, TD_CT_HANDSHAKE, &f->ske);
    add_blob(o, TD_CT_HANDSHAKE, &f->shd);
    add_blob(o, TD_CT_HANDSHAKE, &f->nst);
    if (with_ccs)
        add(o, TD_CT_CHANGE_CIPHER_SPEC, &ccs, 1);
    add_blob(o, TD_CT_HANDSHAKE, &f->fin);
    memset(&st, 0, sizeof st);
    st.verdict = TD_VERDICT_CONTINUE;
    st.handshake_done = 1;
    st.version = 0x0303;
    st.cipher_suite = 0xcca8;
    st.group = 0x001d;
    st.sig_scheme = 0x0804;
    td_obs_set_state(o, &st);
}

static flight12 F12, G12;

START_TEST(test_tls12_same)
{
    flight12_load(&F12);
    obs12(&A, &F12, 1);
    obs12(&B, &F12, 1);
    ck_assert_uint_eq(A.n_messages, 6);
    ck_assert_uint_eq(A.ccs_after, 5);
    expect_same(&A, &B);
    G12 = F12;
    G12.sh.b[20] ^= 0xff;                   /* random */
    G12.ske.b[20] ^= 0xff;                  /* the ECDHE point */
    G12.ske.b[G12.ske.len - 1] ^= 0xff;     /* signature */
    G12.nst.b[G12.nst.len - 1] ^= 0xff;     /* ticket */
    G12.fin.b[G12.fin.len - 1] ^= 0xff;     /* verify_data */
    obs12(&B, &G12, 1);
    expect_same(&A, &B);
}
END_TEST

START_TEST(test_tls12_extensions)
{
    blob sh;

    flight12_load(&F12);
    obs12(&A, &F12, 1);
    /* Reversed: extended_master_secret, session_ticket, ec_point_formats,
     * renegotiation_info. */
    G12 = F12;
    sh = F12.sh;
    memcpy(sh.b + 44, F12.sh.b + 61, 4);
    memcpy(sh.b + 48, F12.sh.b + 57, 4);
    memcpy(sh.b + 52, F12.sh.b + 49, 8);
    memcpy(sh.b + 60, F12.sh.b + 44, 5);
    G12.sh = sh;
    obs12(&B, &G12, 1);
    expect_same(&A, &B);
    /* Without extended_master_secret. */
    G12 = F12;
    cut(&G12.sh, 61, 4);
    put16(&G12.sh, 42, get16(&G12.sh, 42) - 4);
    fix_header(&G12.sh);
    obs12(&B, &G12, 1);
    expect_line(&A, &B, "server_hello.extended_master_secret: reference yes, wolfSSL no");
    /* Without ec_point_formats: optional, not compared. */
    G12 = F12;
    cut(&G12.sh, 49, 8);
    put16(&G12.sh, 42, get16(&G12.sh, 42) - 8);
    fix_header(&G12.sh);
    obs12(&B, &G12, 1);
    expect_same(&A, &B);
}
END_TEST

START_TEST(test_tls12_ske_and_ccs)
{
    flight12_load(&F12);
    obs12(&A, &F12, 1);
    G12 = F12;
    put16(&G12.ske, 5, 0x0017);
    obs12(&B, &G12, 1);
    expect_line(&A, &B,
                "server_key_exchange.namedcurve: reference x25519 (0x001d), "
                "wolfSSL secp256r1 (0x0017)");
    obs12(&B, &F12, 0);
    expect_line(&A, &B, "change_cipher_spec: reference after message 5, wolfSSL none");
}
END_TEST

/* The session ID of a TLS 1.2 ServerHello is the server's choice; the key
 * exchange of a client's messages follows the suite (static RSA here). */
START_TEST(test_tls12_rsa_client)
{
    static const uint8_t ccs = 1;
    td_vec v;
    blob sh, cke, fin, g;
    td_state st;

    load(&v, "tls12/rsa-aes128-gcm.vec");
    take(&v, "server", "handshake", "server_hello", "message", 0, &sh);
    take(&v, "client", "handshake", "client_key_exchange", "message", 0, &cke);
    take(&v, "client", "handshake", "finished", "message", 0, &fin);
    td_vec_free(&v);
    ck_assert_uint_eq(sh.b[38], 32); /* session_id length */

    td_obs_init(&A);
    add_blob(&A, TD_CT_HANDSHAKE, &sh);
    g = sh;
    g.b[50] ^= 0xff;
    td_obs_init(&B);
    add_blob(&B, TD_CT_HANDSHAKE, &g);
    expect_same(&A, &B);

    memset(&st, 0, sizeof st);
    st.version = 0x0303;
    st.cipher_suite = 0x009c;
    td_obs_init(&A);
    td_obs_init(&B);
    td_obs_set_state(&A, &st);
    td_obs_set_state(&B, &st);
    add_blob(&A, TD_CT_HANDSHAKE, &cke);
    add(&A, TD_CT_CHANGE_CIPHER_SPEC, &ccs, 1);
    add_blob(&A, TD_CT_HANDSHAKE, &fin);
    ck_assert_uint_eq(get16(&cke, 4), 256); /* EncryptedPreMasterSecret */
    g = cke;
    cut(&g, 6, 1);
    put16(&g, 4, 255);
    fix_header(&g);
    add_blob(&B, TD_CT_HANDSHAKE, &g);
    add(&B, TD_CT_CHANGE_CIPHER_SPEC, &ccs, 1);
    add_blob(&B, TD_CT_HANDSHAKE, &fin);
    expect_line(&A, &B, "client_key_exchange.exchange_keys.length: reference 256, wolfSSL 255");
}
END_TEST

/* ------------------------------------------------------------------------
 * Outcome text
 * ------------------------------------------------------------------------ */

START_TEST(test_outcome_each_verdict)
{
    td_state st;

    td_obs_init(&A);
    expect_outcome(&A, "continue");

    memset(&st, 0, sizeof st);
    st.verdict = TD_VERDICT_ALERT;
    td_obs_set_state(&A, &st);
    add_alert(&A, 2, TD_ALERT_DECODE_ERROR);
    expect_outcome(&A, "alert:decode_error");

    /* An encrypted alert the peer could not read: the state says. */
    td_obs_init(&A);
    st.sent.present = true;
    st.sent.level = 2;
    st.sent.description = TD_ALERT_HANDSHAKE_FAILURE;
    td_obs_set_state(&A, &st);
    ck_assert_int_eq(td_obs_add_record(&A, TD_CT_APPLICATION_DATA, (td_span){NULL, 0}, 1),
                     TD_OK);
    expect_outcome(&A, "alert:handshake_failure");

    /* It received an alert and sent none. */
    td_obs_init(&A);
    memset(&st, 0, sizeof st);
    st.verdict = TD_VERDICT_ALERT;
    st.received.present = true;
    st.received.level = 2;
    st.received.description = TD_ALERT_DECODE_ERROR;
    td_obs_set_state(&A, &st);
    expect_outcome(&A, "closed");

    td_obs_init(&A);
    memset(&st, 0, sizeof st);
    st.verdict = TD_VERDICT_CLOSED;
    td_obs_set_state(&A, &st);
    expect_outcome(&A, "closed");
    add_alert(&A, 1, TD_ALERT_CLOSE_NOTIFY);
    expect_outcome(&A, "closed:close_notify");

    td_obs_init(&A);
    add_alert(&A, 1, TD_ALERT_USER_CANCELED);
    add_alert(&A, 1, TD_ALERT_CLOSE_NOTIFY);
    expect_outcome(&A, "closed:user_canceled");

    /* A warning while carrying on is not the verdict; one before stopping is. */
    td_obs_init(&A);
    add_alert(&A, 1, TD_ALERT_UNRECOGNIZED_NAME);
    expect_outcome(&A, "continue");
    st.verdict = TD_VERDICT_ALERT;
    td_obs_set_state(&A, &st);
    expect_outcome(&A, "alert:unrecognized_name");

    /* A fatal alert on the wire wins over a state that says continue. */
    td_obs_init(&A);
    memset(&st, 0, sizeof st);
    td_obs_set_state(&A, &st);
    add_alert(&A, 2, TD_ALERT_INTERNAL_ERROR);
    add_alert(&A, 1, TD_ALERT_CLOSE_NOTIFY);
    expect_outcome(&A, "alert:internal_error");

    td_obs_init(&A);
    st.verdict = TD_VERDICT_CRASH;
    td_obs_set_state(&A, &st);
    expect_outcome(&A, "crash");
    td_obs_init(&A);
    add_alert(&A, 2, TD_ALERT_DECODE_ERROR);
    td_obs_set_crash(&A, "abort");
    expect_outcome(&A, "crash");
}
END_TEST

/* ------------------------------------------------------------------------
 * Collecting records
 * ------------------------------------------------------------------------ */

static void expect_message(const td_observation *o, size_t i, const blob *msg)
{
    td_span body = td_obs_message_body(o, i);

    ck_assert_uint_gt(o->n_messages, i);
    ck_assert_uint_eq(o->messages[i].msg_type, msg->b[0]);
    ck_assert_uint_eq(o->messages[i].length, msg->len - 4);
    ck_assert_uint_eq(body.len, msg->len - 4);
    ck_assert(memcmp(body.p, msg->b + 4, body.len) == 0);
}

START_TEST(test_collect_split)
{
    size_t at, i;

    flight13_load(&F);
    for (at = 1; at < F.sh.len; at++) {
        td_obs_init(&A);
        add(&A, TD_CT_HANDSHAKE, F.sh.b, at);
        ck_assert_uint_eq(A.n_messages, 0);
        add(&A, TD_CT_HANDSHAKE, F.sh.b + at, F.sh.len - at);
        ck_assert_uint_eq(A.n_messages, 1);
        ck_assert_uint_eq(A.hs_header_len, 0);
        expect_message(&A, 0, &F.sh);
    }
    /* One byte per record. */
    td_obs_init(&A);
    for (i = 0; i < F.ee.len; i++)
        add(&A, TD_CT_HANDSHAKE, F.ee.b + i, 1);
    expect_message(&A, 0, &F.ee);
}
END_TEST

START_TEST(test_collect_coalesced)
{
    uint8_t rec[MAX_BUF];
    size_t n = 0, split;

    flight13_load(&F);
    obs13(&A, &F, 1);
    ck_assert_uint_eq(A.n_messages, 5);
    ck_assert_uint_eq(A.messages_seen, 5);
    ck_assert_int_eq(A.truncated, 0);
    expect_message(&A, 0, &F.sh);
    expect_message(&A, 1, &F.ee);
    expect_message(&A, 2, &F.cert);
    expect_message(&A, 3, &F.cv);
    expect_message(&A, 4, &F.fin);
    /* Records that end and start messages in their middles. */
    memcpy(rec + n, F.ee.b, F.ee.len), n += F.ee.len;
    memcpy(rec + n, F.cv.b, F.cv.len), n += F.cv.len;
    memcpy(rec + n, F.fin.b, F.fin.len), n += F.fin.len;
    split = F.ee.len + 7;
    td_obs_init(&A);
    add(&A, TD_CT_HANDSHAKE, rec, 3);
    add(&A, TD_CT_HANDSHAKE, rec + 3, split - 3);
    add(&A, TD_CT_HANDSHAKE, rec + split, n - split);
    ck_assert_uint_eq(A.n_messages, 3);
    expect_message(&A, 0, &F.ee);
    expect_message(&A, 1, &F.cv);
    expect_message(&A, 2, &F.fin);
    /* An empty handshake record changes nothing. */
    add(&A, TD_CT_HANDSHAKE, rec, 0);
    ck_assert_uint_eq(A.n_messages, 3);
    ck_assert_uint_eq(A.hs_header_len, 0);
}
END_TEST

START_TEST(test_collect_limits)
{
    static const uint8_t shd[4] = {0x0e, 0, 0, 0};
    static uint8_t big[4 + 40000];
    size_t i;
    char buf[32];

    td_obs_init(&A);
    for (i = 0; i < TD_OBS_MAX_MESSAGES + 1; i++)
        add(&A, TD_CT_HANDSHAKE, shd, sizeof shd);
    ck_assert_uint_eq(A.n_messages, TD_OBS_MAX_MESSAGES);
    ck_assert_uint_eq(A.messages_seen, TD_OBS_MAX_MESSAGES + 1);
    ck_assert_int_eq(A.truncated, 1);
    ck_assert_str_eq(td_obs_message_name(&A, 0, buf, sizeof buf), "server_hello_done");
    ck_assert_str_eq(td_obs_message_name(&A, TD_OBS_MAX_MESSAGES, buf, sizeof buf), "none");

    /* A body past the store is kept in part; the next one not at all. */
    memset(big, 0xab, sizeof big);
    big[0] = TD_HS_CERTIFICATE;
    big[1] = (uint8_t)(40000 >> 16);
    big[2] = (uint8_t)(40000 >> 8);
    big[3] = (uint8_t)40000;
    td_obs_init(&A);
    add(&A, TD_CT_HANDSHAKE, big, 20000);
    add(&A, TD_CT_HANDSHAKE, big + 20000, sizeof big - 20000);
    add(&A, TD_CT_HANDSHAKE, shd, sizeof shd);
    big[0] = 99;
    big[1] = 0;
    big[2] = 0;
    big[3] = 2;
    add(&A, TD_CT_HANDSHAKE, big, 6);
    ck_assert_uint_eq(A.n_messages, 3);
    ck_assert_uint_eq(A.messages[0].length, 40000);
    ck_assert_uint_eq(A.messages[0].stored, TD_OBS_STORE);
    ck_assert_uint_eq(A.messages[1].stored, 0);
    ck_assert_uint_eq(A.messages[2].length, 2);
    ck_assert_uint_eq(A.messages[2].stored, 0);
    ck_assert_int_eq(A.truncated, 1);
    ck_assert_str_eq(td_obs_message_name(&A, 2, buf, sizeof buf), "unknown(99)");
    ck_assert_uint_eq(td_obs_message_body(&A, 0).p[TD_OBS_STORE - 1], 0xab);
    /* Cut messages are compared by type only. */
    td_obs_init(&B);
    add(&B, TD_CT_HANDSHAKE, big, 6);
    ck_assert_uint_eq(B.messages[0].stored, 2);
}
END_TEST

START_TEST(test_collect_other_records)
{
    static const uint8_t ccs = 1, alerts[5] = {2, 50, 1, 0, 7};
    static const uint8_t data[3] = {1, 2, 3};
    td_span null_len = {NULL, 3};

    flight13_load(&F);
    td_obs_init(&A);
    add(&A, TD_CT_CHANGE_CIPHER_SPEC, &ccs, 1);
    add_blob(&A, TD_CT_HANDSHAKE, &F.sh);
    add(&A, TD_CT_CHANGE_CIPHER_SPEC, &ccs, 1);
    ck_assert_uint_eq(A.ccs, 2);
    ck_assert_uint_eq(A.ccs_after, 0);
    add(&A, TD_CT_ALERT, alerts, sizeof alerts);
    ck_assert_uint_eq(A.n_alerts, 2);
    ck_assert_uint_eq(A.alerts[0].level, 2);
    ck_assert_uint_eq(A.alerts[0].description, 50);
    ck_assert_uint_eq(A.alerts[1].description, 0);
    ck_assert_uint_eq(A.malformed_alerts, 1);
    add(&A, TD_CT_APPLICATION_DATA, data, sizeof data);
    add(&A, 99, data, sizeof data);
    ck_assert_uint_eq(A.app_data_bytes, 3);
    ck_assert_uint_eq(A.app_data_records, 1);
    ck_assert_uint_eq(A.other_records, 1);
    ck_assert_int_eq(td_obs_add_record(&A, TD_CT_HANDSHAKE, null_len, 0), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_obs_add_record(&A, TD_CT_HANDSHAKE, null_len, 1), TD_OK);
    ck_assert_uint_eq(A.undecryptable, 1);
    ck_assert_uint_eq(A.n_messages, 1);
}
END_TEST

/* TLS 1.3 compatibility CCS (RFC 8448 7) is optional: not compared. */
START_TEST(test_compare_ccs13_ignored)
{
    static const uint8_t ccs = 1;

    flight13_load(&F);
    obs13(&A, &F, 1);
    td_obs_init(&B);
    add_blob(&B, TD_CT_HANDSHAKE, &F.sh);
    add(&B, TD_CT_CHANGE_CIPHER_SPEC, &ccs, 1);
    add(&B, TD_CT_HANDSHAKE, F.ee.b, F.ee.len);
    add(&B, TD_CT_HANDSHAKE, F.cert.b, F.cert.len);
    add(&B, TD_CT_HANDSHAKE, F.cv.b, F.cv.len);
    add(&B, TD_CT_HANDSHAKE, F.fin.b, F.fin.len);
    td_obs_set_state(&B, &A.state);
    expect_same(&A, &B);
}
END_TEST

/* ------------------------------------------------------------------------
 * Report and table
 * ------------------------------------------------------------------------ */

START_TEST(test_print)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    flight13_load(&F);
    obs13(&A, &F, 1);
    add_alert(&A, 2, TD_ALERT_DECODE_ERROR);
    A.state.verdict = TD_VERDICT_ALERT;
    td_obs_set_note(&A, "peer stopped: %s", "after Finished");
    f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    td_obs_print(&A, f);
    fclose(f);
    ck_assert_msg(strstr(text, "outcome: alert:decode_error\n") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "  1 server_hello (86 bytes): ") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "cipher_suite TLS_AES_128_GCM_SHA256 (0x1301)") != NULL, "%s",
                  text);
    ck_assert_msg(strstr(text, "  5 finished (32 bytes): verify_data.length 32\n") != NULL, "%s",
                  text);
    ck_assert_msg(strstr(text, "alerts: fatal:decode_error\n") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "note: peer stopped: after Finished\n") != NULL, "%s", text);
    free(text);
}
END_TEST

START_TEST(test_field_table)
{
    size_t n = td_obs_field_count(), i, j;

    ck_assert_uint_ge(n, 30);
    for (i = 0; i < n; i++) {
        const char *form, *key, *clause;

        td_obs_field_info(i, &form, &key, &clause);
        ck_assert_ptr_nonnull(form);
        ck_assert_msg(strncmp(clause, "RFC ", 4) == 0, "%s.%s: no clause", form, key);
        for (j = 0; j < i; j++) {
            const char *f2, *k2, *c2;

            td_obs_field_info(j, &f2, &k2, &c2);
            ck_assert_msg(strcmp(form, f2) != 0 || strcmp(key, k2) != 0, "%s.%s twice", form,
                          key);
        }
    }
}
END_TEST

Suite *td_observe_suite(void);

Suite *td_observe_suite(void)
{
    Suite *s = suite_create("observe");
    TCase *tc = tcase_create("collect");

    tcase_add_test(tc, test_collect_split);
    tcase_add_test(tc, test_collect_coalesced);
    tcase_add_test(tc, test_collect_limits);
    tcase_add_test(tc, test_collect_other_records);
    suite_add_tcase(s, tc);

    tc = tcase_create("outcome");
    tcase_add_test(tc, test_outcome_each_verdict);
    suite_add_tcase(s, tc);

    tc = tcase_create("compare");
    tcase_add_test(tc, test_compare_identical);
    tcase_add_test(tc, test_compare_volatile_same);
    tcase_add_test(tc, test_compare_cipher_suite);
    tcase_add_test(tc, test_compare_key_share_group);
    tcase_add_test(tc, test_compare_extension_order);
    tcase_add_test(tc, test_compare_optional_extension);
    tcase_add_test(tc, test_compare_missing_message);
    tcase_add_test(tc, test_compare_message_order);
    tcase_add_test(tc, test_compare_verdict);
    tcase_add_test(tc, test_compare_names);
    tcase_add_test(tc, test_compare_negotiated);
    tcase_add_test(tc, test_compare_warnings);
    tcase_add_test(tc, test_compare_undecryptable);
    tcase_add_test(tc, test_compare_unfinished);
    tcase_add_test(tc, test_compare_app_data);
    tcase_add_test(tc, test_compare_ccs13_ignored);
    tcase_add_test(tc, test_compare_hrr);
    tcase_add_test(tc, test_tls12_same);
    tcase_add_test(tc, test_tls12_extensions);
    tcase_add_test(tc, test_tls12_ske_and_ccs);
    tcase_add_test(tc, test_tls12_rsa_client);
    suite_add_tcase(s, tc);

    tc = tcase_create("table");
    tcase_add_test(tc, test_print);
    tcase_add_test(tc, test_field_table);
    suite_add_tcase(s, tc);
    return s;
}
