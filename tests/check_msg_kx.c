/*
 * msg_kx: the key-exchange and post-handshake message codecs
 * (ServerKeyExchange, ServerHelloDone / HelloRequest / EndOfEarlyData,
 * ClientKeyExchange, CertificateVerify, Finished, NewSessionTicket,
 * KeyUpdate, message_hash).
 *
 * Expected values come from:
 *   - the TLS 1.3 example traces (RFC 8448 text, shared/rfc/
 *     tls13-traces.txt) through the .vec files of vectors/tls13;
 *   - the TLS 1.2 handshakes captured from OpenSSL in vectors/tls12
 *     (vectors/tls12/capture.sh);
 *   - messages built by hand below, each byte derived in a comment from
 *     the RFC struct.
 */
#include "td_vec.h" /* first: it selects POSIX */

#include "td_msg.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static void vec_load(const char *rel, td_vec *v)
{
    td_err err = td_vec_load(rel, v);

    ck_assert_msg(err == TD_OK, "%s/%s: %s", td_vectors_dir(), rel,
                  td_err_name(err));
}

static const td_vec_entry *vec_find(const td_vec *v, const char *side,
                                    const char *kind, const char *name,
                                    const char *field, int nth)
{
    const td_vec_entry *e = td_vec_find(v, side, kind, name, field, nth);

    ck_assert_msg(e != NULL, "no %s %s %s %s #%d in vectors",
                  side ? side : "*", kind ? kind : "*", name ? name : "*",
                  field ? field : "*", nth);
    return e;
}

static void ck_span_eq(td_span got, td_span want)
{
    ck_assert_uint_eq(got.len, want.len);
    if (want.len)
        ck_assert_mem_eq(got.p, want.p, want.len);
}

static void ck_span_bytes(td_span got, const uint8_t *want, size_t n)
{
    td_span w = {want, n};
    ck_span_eq(got, w);
}

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

/* The handshake header of a whole message (RFC 8446 4): the body. */
static td_handshake hs_split(td_span msg)
{
    td_rd rd;
    td_handshake h;

    td_rd_init_span(&rd, msg);
    ck_assert_int_eq(td_handshake_decode(&rd, &h), TD_OK);
    ck_assert_int_eq(td_rd_done(&rd), TD_OK);
    return h;
}

/* One codec, chosen by kind, so the generic tests can walk them all. */
typedef enum kx_kind {
    KX_SKE12,     /* ServerKeyExchange, TLS 1.2 digitally-signed form */
    KX_SKE10,     /* ServerKeyExchange, TLS 1.0/1.1 form */
    KX_SHD,       /* ServerHelloDone */
    KX_HR,        /* HelloRequest */
    KX_EOED,      /* EndOfEarlyData */
    KX_CKE_ECDHE, /* ClientKeyExchange, ECDHE */
    KX_CKE_RSA,   /* ClientKeyExchange, RSA */
    KX_CV,        /* CertificateVerify */
    KX_FIN,       /* Finished (param: verify_data_len) */
    KX_NST13,     /* NewSessionTicket, TLS 1.3 */
    KX_NST12,     /* NewSessionTicket, RFC 5077 */
    KX_KU,        /* KeyUpdate */
    KX_MH,        /* message_hash (param: hash_len) */
} kx_kind;

typedef union kx_any {
    td_server_key_exchange ske;
    td_client_key_exchange cke;
    td_certificate_verify cv;
    td_finished fin;
    td_new_session_ticket13 nst13;
    td_new_session_ticket12 nst12;
    td_key_update ku;
    td_message_hash mh;
} kx_any;

static td_err kx_decode(kx_kind k, td_span body, size_t param, kx_any *out)
{
    switch (k) {
    case KX_SKE12:
        return td_server_key_exchange_decode(body, 1, &out->ske);
    case KX_SKE10:
        return td_server_key_exchange_decode(body, 0, &out->ske);
    case KX_SHD:
        return td_empty_message_decode(TD_HS_SERVER_HELLO_DONE, body);
    case KX_HR:
        return td_empty_message_decode(TD_HS_HELLO_REQUEST, body);
    case KX_EOED:
        return td_empty_message_decode(TD_HS_END_OF_EARLY_DATA, body);
    case KX_CKE_ECDHE:
        return td_client_key_exchange_decode(body, TD_KX_ECDHE, &out->cke);
    case KX_CKE_RSA:
        return td_client_key_exchange_decode(body, TD_KX_RSA, &out->cke);
    case KX_CV:
        return td_certificate_verify_decode(body, &out->cv);
    case KX_FIN:
        return td_finished_decode(body, param, &out->fin);
    case KX_NST13:
        return td_new_session_ticket13_decode(body, &out->nst13);
    case KX_NST12:
        return td_new_session_ticket12_decode(body, &out->nst12);
    case KX_KU:
        return td_key_update_decode(body, &out->ku);
    case KX_MH:
        return td_message_hash_decode(body, param, &out->mh);
    }
    return TD_ERR_INTERNAL;
}

static td_err kx_encode(kx_kind k, td_wr *wr, const kx_any *in)
{
    switch (k) {
    case KX_SKE12:
    case KX_SKE10:
        return td_server_key_exchange_encode(wr, &in->ske);
    case KX_SHD:
        return td_empty_message_encode(wr, TD_HS_SERVER_HELLO_DONE);
    case KX_HR:
        return td_empty_message_encode(wr, TD_HS_HELLO_REQUEST);
    case KX_EOED:
        return td_empty_message_encode(wr, TD_HS_END_OF_EARLY_DATA);
    case KX_CKE_ECDHE:
    case KX_CKE_RSA:
        return td_client_key_exchange_encode(wr, &in->cke);
    case KX_CV:
        return td_certificate_verify_encode(wr, &in->cv);
    case KX_FIN:
        return td_finished_encode(wr, &in->fin);
    case KX_NST13:
        return td_new_session_ticket13_encode(wr, &in->nst13);
    case KX_NST12:
        return td_new_session_ticket12_encode(wr, &in->nst12);
    case KX_KU:
        return td_key_update_encode(wr, &in->ku);
    case KX_MH:
        return td_message_hash_encode(wr, &in->mh);
    }
    return TD_ERR_INTERNAL;
}

static uint8_t obuf[1u << 17];

/* decode, then encode: the same bytes (encode(decode(x)) == x). */
static kx_any roundtrip(kx_kind k, td_span body, size_t param)
{
    kx_any m;
    td_wr wr;
    td_span out;
    td_err err;

    memset(&m, 0, sizeof m);
    err = kx_decode(k, body, param, &m);
    ck_assert_msg(err == TD_OK, "kind %d: decode: %s", (int)k,
                  td_err_name(err));
    td_wr_init(&wr, obuf, sizeof obuf);
    err = kx_encode(k, &wr, &m);
    ck_assert_msg(err == TD_OK, "kind %d: encode: %s", (int)k,
                  td_err_name(err));
    ck_assert_int_eq(td_wr_finish(&wr, &out), TD_OK);
    ck_span_eq(out, body);
    return m;
}

/* A decode that must fail with `want` and leave *out as it was. */
static void expect_fail(kx_kind k, td_span body, size_t param, td_err want)
{
    kx_any m, before;
    td_err err;

    memset(&m, 0xee, sizeof m);
    before = m;
    err = kx_decode(k, body, param, &m);
    ck_assert_msg(err == want, "kind %d, %zu bytes: got %s, want %s", (int)k,
                  body.len, td_err_name(err), td_err_name(want));
    ck_assert_mem_eq(&m, &before, sizeof m);
}

/* An encode that must fail with `want` and leave the writer as it was. */
static void expect_encode_fail(kx_kind k, const kx_any *in, td_err want)
{
    uint8_t buf[600];
    td_wr wr;
    td_err err;

    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_wr_u8(&wr, 0x42), TD_OK); /* something before */
    err = kx_encode(k, &wr, in);
    ck_assert_msg(err == want, "kind %d: encode got %s, want %s", (int)k,
                  td_err_name(err), td_err_name(want));
    ck_assert_uint_eq(td_wr_len(&wr), 1);
    ck_assert_uint_eq(wr.open, 0);
}

/* Concatenate parts into dst (test-side message building). */
static size_t cat(uint8_t *dst, size_t at, const uint8_t *p, size_t n)
{
    if (n)
        memcpy(dst + at, p, n);
    return at + n;
}

/* ------------------------------------------------- hand-built messages
 *
 * Bodies (without the 4-byte Handshake header). Points are public values
 * from the TLS 1.3 traces, used as realistic bytes: the codecs do not
 * check that they are on a curve. */

/* RFC 5246 7.4.9: verify_data_length 12 for every TLS 1.2 suite. */
static const uint8_t fin12[12] = {0x0c, 0x0b, 0x0a, 0x09, 0x08, 0x07,
                                  0x06, 0x05, 0x04, 0x03, 0x02, 0x01};

/* CertificateVerify, TLS 1.2 (RFC 5246 7.4.8, 4.7):
 *   04 03        SignatureAndHashAlgorithm {sha256(4), ecdsa(3)}
 *                (RFC 5246 7.4.1.4.1) = ecdsa_secp256r1_sha256
 *   00 08        signature<0..2^16-1>, 8 bytes
 *   30 06 02 01 01 02 01 01   DER Ecdsa-Sig-Value {r = 1, s = 1} */
static const uint8_t cv12[] = {0x04, 0x03, 0x00, 0x08, 0x30, 0x06,
                               0x02, 0x01, 0x01, 0x02, 0x01, 0x01};

/* NewSessionTicket, RFC 5077 3.3:
 *   00 00 1c 20  ticket_lifetime_hint 7200 seconds
 *   00 04        ticket<0..2^16-1>, 4 bytes
 *   de ad be ef  ticket */
static const uint8_t nst12[] = {0x00, 0x00, 0x1c, 0x20, 0x00,
                                0x04, 0xde, 0xad, 0xbe, 0xef};
/* RFC 5077 3.3: "it sends a zero-length ticket": 00 00 1c 20, 00 00 */
static const uint8_t nst12_empty[] = {0x00, 0x00, 0x1c, 0x20, 0x00, 0x00};

/* KeyUpdate, RFC 8446 4.6.3: request_update = update_requested(1) */
static const uint8_t ku_requested[] = {0x01};
static const uint8_t ku_not_requested[] = {0x00};

/* message_hash, RFC 8446 4.4.1. The body is Hash(ClientHello1), here
 * SHA-256 of the first ClientHello of section 5 of the traces (the whole
 * 180-byte Handshake message 01 00 00 b0 ..., s5-hrr.vec line
 * "client handshake client_hello message", first occurrence), computed
 * with coreutils sha256sum. As a check of the construction:
 * SHA-256(fe 00 00 20 || this || HelloRetryRequest || ClientHello2 ||
 * ServerHello) = ca8a72ef...a59925, the `hash` of
 * derive_secret_tls13_c_hs_traffic in s5-hrr.vec.
 * The whole message is fe (message_hash = 254) 00 00 20 (length 32)
 * followed by these 32 bytes. */
static const uint8_t mh_s5[] = {
    0xfe, 0x00, 0x00, 0x20, 0x1f, 0xbe, 0x86, 0x32, 0x5f, 0xa7, 0xcb, 0x2c,
    0x97, 0xf7, 0x14, 0x7f, 0xd5, 0xd4, 0x02, 0x78, 0xc9, 0x85, 0x3b, 0x3a,
    0x77, 0x11, 0x9c, 0x1a, 0x0d, 0x9c, 0x79, 0x66, 0x45, 0x08, 0xe4, 0x61,
};

/* Built at run time from trace values (see samples_build). */
static uint8_t ske12[128], ske10[128], cke_ecdhe[64], cke_rsa[160];
static size_t ske12_len, ske10_len, cke_ecdhe_len, cke_rsa_len;

typedef struct kx_sample {
    const char *what;
    kx_kind kind;
    size_t param;
    td_span body;
} kx_sample;

#define MAX_SAMPLES 32
static kx_sample samples[MAX_SAMPLES];
static size_t nsamples;

static void sample_add(const char *what, kx_kind k, size_t param, td_span b)
{
    ck_assert_uint_lt(nsamples, MAX_SAMPLES);
    samples[nsamples].what = what;
    samples[nsamples].kind = k;
    samples[nsamples].param = param;
    samples[nsamples].body = b;
    nsamples++;
}

/* The vector files the samples point into, loaded by samples_build and
 * freed by samples_free. */
enum { H_S3, H_S5, H_CHACHA, H_RSA, H_CLIENT_AUTH, H_COUNT };
static td_vec held[H_COUNT];

/* The body of the nth `message` of this name in a vector file. */
static td_span vec_body(const td_vec *v, const char *side, const char *name,
                        int nth)
{
    return hs_split(td_vec_span(vec_find(v, side, "handshake", name,
                                         "message", nth)))
        .body;
}

/* One valid message of every kind: hand-built ones, and some from the
 * traces and the OpenSSL captures. */
static void samples_build(void)
{
    td_vec *s3 = &held[H_S3], *s5 = &held[H_S5];
    static const uint8_t sig8[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t sig4[4] = {0xa1, 0xa2, 0xa3, 0xa4};
    const td_vec_entry *x25519_srv, *x25519_cli, *p256_srv;
    uint8_t hdr[8];
    size_t n;

    vec_load("tls13/s3-1rtt.vec", s3);
    vec_load("tls13/s5-hrr.vec", s5);
    vec_load("tls12/ecdhe-rsa-chacha20.vec", &held[H_CHACHA]);
    vec_load("tls12/rsa-aes128-gcm.vec", &held[H_RSA]);
    vec_load("tls12/client-auth.vec", &held[H_CLIENT_AUTH]);
    x25519_srv = vec_find(s3, "server", "key",
                          "create_an_ephemeral_x25519_key_pair", "public_key",
                          0);
    x25519_cli = vec_find(s3, "client", "key",
                          "create_an_ephemeral_x25519_key_pair", "public_key",
                          0);
    p256_srv = vec_find(s5, "server", "key",
                        "create_an_ephemeral_p_256_key_pair", "public_key", 0);
    ck_assert_uint_eq(x25519_srv->len, 32);
    ck_assert_uint_eq(x25519_cli->len, 32);
    ck_assert_uint_eq(p256_srv->len, 65);

    /* ServerKeyExchange, TLS 1.2 (RFC 8422 5.4, RFC 5246 4.7):
     *   03        curve_type named_curve(3)
     *   00 1d     namedcurve x25519(29) (RFC 8422 5.1.1)
     *   20        ECPoint.point<1..2^8-1>: 32 bytes (RFC 8422 5.4: X25519
     *             is the 32-octet u value of RFC 7748)
     *   ..        s3 server X25519 public key
     *   08 04     algorithm rsa_pss_rsae_sha256 (RFC 8446 4.2.3)
     *   00 08     signature<0..2^16-1>: 8 bytes
     *   01..08    signature */
    hdr[0] = 0x03, hdr[1] = 0x00, hdr[2] = 0x1d, hdr[3] = 0x20;
    n = cat(ske12, 0, hdr, 4);
    n = cat(ske12, n, x25519_srv->data, 32);
    hdr[0] = 0x08, hdr[1] = 0x04, hdr[2] = 0x00, hdr[3] = 0x08;
    n = cat(ske12, n, hdr, 4);
    ske12_len = cat(ske12, n, sig8, 8);

    /* ServerKeyExchange, TLS 1.0/1.1 (no algorithm, RFC 4346 4.7):
     *   03        named_curve
     *   00 17     secp256r1(23)
     *   41        point: 65 bytes, 04 || x || y uncompressed (RFC 8422
     *             5.4.1)
     *   ..        s5 server P-256 public key
     *   00 04     signature: 4 bytes
     *   a1..a4 */
    hdr[0] = 0x03, hdr[1] = 0x00, hdr[2] = 0x17, hdr[3] = 0x41;
    n = cat(ske10, 0, hdr, 4);
    n = cat(ske10, n, p256_srv->data, 65);
    hdr[0] = 0x00, hdr[1] = 0x04;
    n = cat(ske10, n, hdr, 2);
    ske10_len = cat(ske10, n, sig4, 4);

    /* ClientKeyExchange, ECDHE (RFC 8422 5.7): ECPoint ecdh_Yc
     *   20        point: 32 bytes
     *   ..        s3 client X25519 public key */
    hdr[0] = 0x20;
    n = cat(cke_ecdhe, 0, hdr, 1);
    cke_ecdhe_len = cat(cke_ecdhe, n, x25519_cli->data, 32);

    /* ClientKeyExchange, RSA (RFC 5246 7.4.7.1): EncryptedPreMasterSecret
     * as opaque<0..2^16-1>
     *   00 80     length 128: the RSAES-PKCS1-v1_5 ciphertext under a
     *             1024-bit key (the size of the s2 server key's modulus)
     *   5c x 128  ciphertext */
    cke_rsa[0] = 0x00, cke_rsa[1] = 0x80;
    memset(cke_rsa + 2, 0x5c, 128);
    cke_rsa_len = 130;

    nsamples = 0;
    sample_add("ske12", KX_SKE12, 0, span_of(ske12, ske12_len));
    sample_add("ske10", KX_SKE10, 0, span_of(ske10, ske10_len));
    sample_add("shd", KX_SHD, 0, span_of(NULL, 0));
    sample_add("hello_request", KX_HR, 0, span_of(NULL, 0));
    sample_add("cke_ecdhe", KX_CKE_ECDHE, 0, span_of(cke_ecdhe, cke_ecdhe_len));
    sample_add("cke_rsa", KX_CKE_RSA, 0, span_of(cke_rsa, cke_rsa_len));
    sample_add("cv12", KX_CV, 0, span_of(cv12, sizeof cv12));
    sample_add("fin12", KX_FIN, 12, span_of(fin12, sizeof fin12));
    sample_add("nst12", KX_NST12, 0, span_of(nst12, sizeof nst12));
    sample_add("nst12_empty", KX_NST12, 0,
               span_of(nst12_empty, sizeof nst12_empty));
    sample_add("ku_requested", KX_KU, 0,
               span_of(ku_requested, sizeof ku_requested));
    sample_add("ku_not_requested", KX_KU, 0,
               span_of(ku_not_requested, sizeof ku_not_requested));
    sample_add("message_hash", KX_MH, 32, span_of(mh_s5 + 4, 32));
    /* From the s3 trace: CertificateVerify, server Finished, NST. The
     * EndOfEarlyData body is empty (RFC 8446 4.5; s4's is 05 00 00 00). */
    sample_add("s3_cv", KX_CV, 0,
               vec_body(s3, "server", "certificate_verify", 0));
    sample_add("s3_fin", KX_FIN, 32, vec_body(s3, "server", "finished", 0));
    sample_add("s3_nst", KX_NST13, 0,
               vec_body(s3, "server", "new_session_ticket", 0));
    sample_add("eoed", KX_EOED, 0, span_of(NULL, 0));
    /* From the OpenSSL captures (TLS 1.2) */
    sample_add("chacha_ske", KX_SKE12, 0,
               vec_body(&held[H_CHACHA], "server", "server_key_exchange", 0));
    sample_add("chacha_nst", KX_NST12, 0,
               vec_body(&held[H_CHACHA], "server", "new_session_ticket", 0));
    sample_add("rsa_cke", KX_CKE_RSA, 0,
               vec_body(&held[H_RSA], "client", "client_key_exchange", 0));
    sample_add("client_auth_cke", KX_CKE_ECDHE, 0,
               vec_body(&held[H_CLIENT_AUTH], "client", "client_key_exchange",
                        0));
    sample_add("client_auth_cv", KX_CV, 0,
               vec_body(&held[H_CLIENT_AUTH], "client", "certificate_verify",
                        0));
    sample_add("client_auth_fin", KX_FIN, 12,
               vec_body(&held[H_CLIENT_AUTH], "client", "finished", 0));
}

static void samples_free(void)
{
    size_t i;

    for (i = 0; i < H_COUNT; i++)
        td_vec_free(&held[i]);
    nsamples = 0;
}

/* A whole message of a vector file: decode the body, re-encode body and
 * header, compare with the file's bytes. */
static kx_any whole_roundtrip(const td_vec_entry *e, uint8_t type, kx_kind k,
                              size_t param)
{
    static uint8_t body[1u << 16];
    td_handshake h = hs_split(td_vec_span(e)), re;
    td_wr wr;
    td_span out;
    kx_any m;

    ck_assert_msg(h.msg_type == type, "line %u: type %u", e->line,
                  h.msg_type);
    m = roundtrip(k, h.body, param);
    td_wr_init(&wr, body, sizeof body);
    ck_assert_int_eq(kx_encode(k, &wr, &m), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &re.body), TD_OK);
    re.msg_type = type;
    td_wr_init(&wr, obuf, sizeof obuf);
    ck_assert_int_eq(td_handshake_encode(&wr, &re), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &out), TD_OK);
    ck_span_eq(out, td_vec_span(e));
    return m;
}

/* ---------------------------------------------------- TLS 1.3 vectors */

static const char *const tls13_files[] = {
    "tls13/s3-1rtt.vec", "tls13/s4-0rtt.vec", "tls13/s5-hrr.vec",
    "tls13/s6-client-auth.vec", "tls13/s7-compat.vec",
};

/* Every Finished, CertificateVerify, NewSessionTicket and EndOfEarlyData
 * `message` of the traces decodes and re-encodes byte for byte, header
 * included. `partial` entries (s4's incomplete ClientHello) are not
 * messages of these types and are skipped by the field filter. */
START_TEST(test_tls13_vectors)
{
    size_t f, i, n_fin = 0, n_cv = 0, n_nst = 0, n_eoed = 0;

    for (f = 0; f < sizeof tls13_files / sizeof *tls13_files; f++) {
        td_vec v;

        vec_load(tls13_files[f], &v);
        for (i = 0; i < v.n; i++) {
            const td_vec_entry *e = &v.e[i];
            size_t param = 0;
            uint8_t type;
            kx_kind k;

            if (strcmp(e->kind, "handshake") || strcmp(e->field, "message"))
                continue;
            if (!strcmp(e->name, "finished")) {
                k = KX_FIN, type = TD_HS_FINISHED, n_fin++;
                param = 32; /* all traces use SHA-256 suites */
            } else if (!strcmp(e->name, "certificate_verify")) {
                k = KX_CV, type = TD_HS_CERTIFICATE_VERIFY, n_cv++;
            } else if (!strcmp(e->name, "new_session_ticket")) {
                k = KX_NST13, type = TD_HS_NEW_SESSION_TICKET, n_nst++;
            } else if (!strcmp(e->name, "end_of_early_data")) {
                k = KX_EOED, type = TD_HS_END_OF_EARLY_DATA, n_eoed++;
            } else {
                continue;
            }
            whole_roundtrip(e, type, k, param);
            /* a Finished decodes with "any length" as well */
            if (k == KX_FIN)
                whole_roundtrip(e, type, k, 0);
        }
        td_vec_free(&v);
    }
    /* s3..s7 have two Finished each; CertificateVerify: s3, s5, s7 one,
     * s6 two (server and client); one NewSessionTicket (s3); one
     * EndOfEarlyData (s4). */
    ck_assert_uint_eq(n_fin, 10);
    ck_assert_uint_eq(n_cv, 5);
    ck_assert_uint_eq(n_nst, 1);
    ck_assert_uint_eq(n_eoed, 1);
}
END_TEST

/* Field values read off the trace text (tls13-traces.txt). */
START_TEST(test_tls13_fields)
{
    /* Section 3, {server} construct a NewSessionTicket:
     * 04 00 00 c9 | 00 00 00 1e | 93 3d 09 32 | 02 00 00 | 00 b2 f3 5e ...
     * ... 11 3b | 00 08 00 2a 00 04 00 00 04 00 */
    static const uint8_t nonce[] = {0x00, 0x00};
    static const uint8_t ext[] = {0x00, 0x2a, 0x00, 0x04,
                                  0x00, 0x00, 0x04, 0x00};
    static const uint8_t ticket_head[] = {0xf3, 0x5e, 0xda, 0xe4};
    static const uint8_t ticket_tail[] = {0x11, 0x3b};
    td_vec s3, s4, s6;
    td_new_session_ticket13 nst;
    td_certificate_verify cv;
    td_finished fin;
    td_handshake h;
    td_span ed;

    vec_load("tls13/s3-1rtt.vec", &s3);
    vec_load("tls13/s4-0rtt.vec", &s4);
    vec_load("tls13/s6-client-auth.vec", &s6);

    h = hs_split(td_vec_span(
        vec_find(&s3, "server", "handshake", "new_session_ticket", "message",
                 0)));
    ck_assert_uint_eq(h.body.len, 0xc9);
    ck_assert_int_eq(td_new_session_ticket13_decode(h.body, &nst), TD_OK);
    ck_assert_uint_eq(nst.ticket_lifetime, 30);           /* 00 00 00 1e */
    ck_assert_uint_eq(nst.ticket_age_add, 0x933d0932u);   /* 93 3d 09 32 */
    ck_span_bytes(nst.ticket_nonce, nonce, sizeof nonce); /* 02 | 00 00 */
    ck_assert_uint_eq(nst.ticket.len, 0xb2);              /* 00 b2 */
    ck_assert_mem_eq(nst.ticket.p, ticket_head, sizeof ticket_head);
    ck_assert_mem_eq(nst.ticket.p + nst.ticket.len - 2, ticket_tail, 2);
    ck_span_bytes(nst.extensions, ext, sizeof ext);
    /* early_data (42) with max_early_data_size 00 00 04 00 = 1024 */
    ck_assert_int_eq(td_ext_find(nst.extensions, TD_EXT_EARLY_DATA, &ed), 1);
    ck_assert_uint_eq(ed.len, 4);

    /* Section 3, {server} CertificateVerify: 0f 00 00 84 08 04 00 80 ...
     * rsa_pss_rsae_sha256, 128-byte signature (RSA-1024 server key) */
    h = hs_split(td_vec_span(vec_find(&s3, "server", "handshake",
                                      "certificate_verify", "message", 0)));
    ck_assert_int_eq(td_certificate_verify_decode(h.body, &cv), TD_OK);
    ck_assert_uint_eq(cv.algorithm, 0x0804);
    ck_assert_uint_eq(cv.signature.len, 0x80);
    ck_assert_ptr_eq(cv.signature.p, h.body.p + 4);

    /* Section 6, {server} CertificateVerify (78 octets): 0f 00 00 4a
     * 04 03 00 46 30 44 02 20 ...: ecdsa_secp256r1_sha256, 70 bytes, a
     * DER SEQUENCE */
    h = hs_split(td_vec_span(vec_find(&s6, "server", "handshake",
                                      "certificate_verify", "message", 0)));
    ck_assert_int_eq(td_certificate_verify_decode(h.body, &cv), TD_OK);
    ck_assert_uint_eq(cv.algorithm, 0x0403);
    ck_assert_uint_eq(cv.signature.len, 0x46);
    ck_assert_uint_eq(cv.signature.p[0], 0x30);
    /* Section 6, {client} CertificateVerify: 08 04 00 80 */
    h = hs_split(td_vec_span(vec_find(&s6, "client", "handshake",
                                      "certificate_verify", "message", 0)));
    ck_assert_int_eq(td_certificate_verify_decode(h.body, &cv), TD_OK);
    ck_assert_uint_eq(cv.algorithm, 0x0804);
    ck_assert_uint_eq(cv.signature.len, 0x80);

    /* Finished: 14 00 00 20, verify_data of Hash.length = 32 (SHA-256) */
    h = hs_split(td_vec_span(
        vec_find(&s3, "client", "handshake", "finished", "message", 0)));
    ck_assert_int_eq(td_finished_decode(h.body, 32, &fin), TD_OK);
    ck_assert_uint_eq(fin.verify_data.len, 32);
    ck_assert_ptr_eq(fin.verify_data.p, h.body.p);

    /* Section 4, EndOfEarlyData (4 octets): 05 00 00 00 */
    h = hs_split(td_vec_span(vec_find(&s4, "client", "handshake",
                                      "end_of_early_data", "message", 0)));
    ck_assert_uint_eq(h.msg_type, TD_HS_END_OF_EARLY_DATA);
    ck_assert_int_eq(td_empty_message_decode(h.msg_type, h.body), TD_OK);

    td_vec_free(&s3);
    td_vec_free(&s4);
    td_vec_free(&s6);
}
END_TEST

/* ---------------------------------------------------- TLS 1.2 vectors */

typedef struct tls12_file {
    const char *file;
    uint16_t group; /* -groups of capture.sh: secp256r1 23, x25519 29; 0 RSA */
    size_t point_len; /* RFC 8422 5.4.1: 65 (04 || x || y); RFC 7748: 32 */
    int ticket;       /* NewSessionTicket sent (not with -no_ticket) */
    int client_cv;    /* client certificate: CertificateVerify */
} tls12_file;

static const tls12_file tls12_files[] = {
    {"tls12/ecdhe-ecdsa-aes128-gcm.vec", 0x0017, 65, 1, 0},
    {"tls12/ecdhe-rsa-chacha20.vec", 0x001d, 32, 1, 0},
    {"tls12/rsa-aes128-gcm.vec", 0, 0, 0, 0},
    {"tls12/client-auth.vec", 0x0017, 65, 1, 1},
    {"tls12/downgrade.vec", 0x0017, 65, 1, 0},
};

static kx_any tls12_roundtrip(const td_vec *v, const char *side,
                              const char *name, int nth, uint8_t type,
                              kx_kind k, size_t param)
{
    return whole_roundtrip(vec_find(v, side, "handshake", name, "message",
                                    nth),
                           type, k, param);
}

/* Every ServerKeyExchange, ServerHelloDone, ClientKeyExchange,
 * CertificateVerify, Finished and NewSessionTicket of the OpenSSL
 * captures decodes, re-encodes byte for byte, and has the fields the
 * capture configuration and the RFCs fix. */
START_TEST(test_tls12_vectors)
{
    size_t f, n_ske = 0, n_cke = 0, n_fin = 0, n_nst = 0, n_cv = 0;

    for (f = 0; f < sizeof tls12_files / sizeof *tls12_files; f++) {
        const tls12_file *t = &tls12_files[f];
        td_vec v;
        kx_any m;
        int i;

        vec_load(t->file, &v);
        if (t->group) {
            /* RFC 8422 5.4, TLS 1.2 digitally-signed form (RFC 5246 4.7) */
            m = tls12_roundtrip(&v, "server", "server_key_exchange", 0,
                                TD_HS_SERVER_KEY_EXCHANGE, KX_SKE12, 0);
            ck_assert_uint_eq(m.ske.curve_type, 3);
            ck_assert_uint_eq(m.ske.namedcurve, t->group);
            ck_assert_uint_eq(m.ske.point.len, t->point_len);
            if (t->point_len == 65)
                ck_assert_uint_eq(m.ske.point.p[0], 0x04); /* uncompressed */
            ck_assert_uint_eq(m.ske.params.len, 4 + t->point_len);
            ck_assert_int_eq(m.ske.has_algorithm, 1);
            if (t->group == 0x001d) {
                /* README: RSA-PSS, 0804; RSA-2048: 256-byte signature */
                ck_assert_uint_eq(m.ske.algorithm, 0x0804);
                ck_assert_uint_eq(m.ske.signature.len, 256);
            } else {
                /* server-p256 certificate: ecdsa(3) (RFC 5246 7.4.1.4.1) */
                ck_assert_uint_eq(m.ske.algorithm & 0xff, 3);
            }
            n_ske++;

            /* RFC 8422 5.7: the client's point on the same curve */
            m = tls12_roundtrip(&v, "client", "client_key_exchange", 0,
                                TD_HS_CLIENT_KEY_EXCHANGE, KX_CKE_ECDHE, 0);
            ck_assert_int_eq(m.cke.kx, TD_KX_ECDHE);
            ck_assert_uint_eq(m.cke.exchange_keys.len, t->point_len);
        } else {
            /* RFC 5246 7.4.7.1: RSA-2048 (server-rsa2048): 256 bytes */
            m = tls12_roundtrip(&v, "client", "client_key_exchange", 0,
                                TD_HS_CLIENT_KEY_EXCHANGE, KX_CKE_RSA, 0);
            ck_assert_int_eq(m.cke.kx, TD_KX_RSA);
            ck_assert_uint_eq(m.cke.exchange_keys.len, 256);
            ck_assert_ptr_null(td_vec_find(&v, "server", "handshake",
                                           "server_key_exchange", "message",
                                           0));
        }
        n_cke++;

        /* RFC 5246 7.4.5: 0e 00 00 00 */
        tls12_roundtrip(&v, "server", "server_hello_done", 0,
                        TD_HS_SERVER_HELLO_DONE, KX_SHD, 0);

        /* RFC 5246 7.4.9: verify_data_length 12, both sides */
        for (i = 0; i < 2; i++) {
            m = tls12_roundtrip(&v, i ? "server" : "client", "finished", 0,
                                TD_HS_FINISHED, KX_FIN, 12);
            ck_assert_uint_eq(m.fin.verify_data.len, 12);
            n_fin++;
        }

        if (t->ticket) {
            /* RFC 5077 3.3; OpenSSL's lifetime hint: 00 00 1c 20 */
            m = tls12_roundtrip(&v, "server", "new_session_ticket", 0,
                                TD_HS_NEW_SESSION_TICKET, KX_NST12, 0);
            ck_assert_uint_eq(m.nst12.ticket_lifetime_hint, 7200);
            ck_assert_uint_gt(m.nst12.ticket.len, 0);
            n_nst++;
        } else {
            ck_assert_ptr_null(td_vec_find(&v, "server", "handshake",
                                           "new_session_ticket", "message",
                                           0));
        }

        if (t->client_cv) {
            /* RFC 5246 7.4.8: client-p256 key, ecdsa(3) */
            m = tls12_roundtrip(&v, "client", "certificate_verify", 0,
                                TD_HS_CERTIFICATE_VERIFY, KX_CV, 0);
            ck_assert_uint_eq(m.cv.algorithm & 0xff, 3);
            ck_assert_uint_eq(m.cv.signature.p[0], 0x30); /* DER SEQUENCE */
            n_cv++;
        }
        td_vec_free(&v);
    }
    ck_assert_uint_eq(n_ske, 4);
    ck_assert_uint_eq(n_cke, 5);
    ck_assert_uint_eq(n_fin, 10);
    ck_assert_uint_eq(n_nst, 4);
    ck_assert_uint_eq(n_cv, 1);
}
END_TEST

/* ------------------------------------------------- hand-built messages */

START_TEST(test_hand_built_fields)
{
    td_server_key_exchange ske;
    td_client_key_exchange cke;
    td_new_session_ticket12 nst;
    td_message_hash mh;
    td_key_update ku;
    td_finished fin;

    samples_build();

    ck_assert_int_eq(td_server_key_exchange_decode(
                         span_of(ske12, ske12_len), 1, &ske),
                     TD_OK);
    ck_assert_uint_eq(ske.curve_type, 3);
    ck_assert_uint_eq(ske.namedcurve, 0x001d);
    ck_assert_uint_eq(ske.point.len, 32);
    ck_assert_ptr_eq(ske.point.p, ske12 + 4);
    /* params: curve_type .. the end of the point, 4 + 32 bytes */
    ck_assert_ptr_eq(ske.params.p, ske12);
    ck_assert_uint_eq(ske.params.len, 36);
    ck_assert_int_eq(ske.has_algorithm, 1);
    ck_assert_uint_eq(ske.algorithm, 0x0804);
    ck_assert_uint_eq(ske.signature.len, 8);
    ck_assert_ptr_eq(ske.signature.p, ske12 + 40);

    ck_assert_int_eq(td_server_key_exchange_decode(
                         span_of(ske10, ske10_len), 0, &ske),
                     TD_OK);
    ck_assert_uint_eq(ske.namedcurve, 0x0017);
    ck_assert_uint_eq(ske.point.len, 65);
    ck_assert_uint_eq(ske.point.p[0], 0x04);
    ck_assert_uint_eq(ske.params.len, 4 + 65);
    ck_assert_int_eq(ske.has_algorithm, 0);
    ck_assert_uint_eq(ske.signature.len, 4);

    ck_assert_int_eq(td_client_key_exchange_decode(
                         span_of(cke_ecdhe, cke_ecdhe_len), TD_KX_ECDHE,
                         &cke),
                     TD_OK);
    ck_assert_int_eq(cke.kx, TD_KX_ECDHE);
    ck_assert_uint_eq(cke.exchange_keys.len, 32);
    ck_assert_ptr_eq(cke.exchange_keys.p, cke_ecdhe + 1);
    ck_assert_int_eq(td_client_key_exchange_decode(
                         span_of(cke_rsa, cke_rsa_len), TD_KX_RSA, &cke),
                     TD_OK);
    ck_assert_int_eq(cke.kx, TD_KX_RSA);
    ck_assert_uint_eq(cke.exchange_keys.len, 128);
    ck_assert_ptr_eq(cke.exchange_keys.p, cke_rsa + 2);

    ck_assert_int_eq(td_new_session_ticket12_decode(
                         span_of(nst12, sizeof nst12), &nst),
                     TD_OK);
    ck_assert_uint_eq(nst.ticket_lifetime_hint, 7200);
    ck_span_bytes(nst.ticket, nst12 + 6, 4);
    ck_assert_int_eq(td_new_session_ticket12_decode(
                         span_of(nst12_empty, sizeof nst12_empty), &nst),
                     TD_OK);
    ck_assert_uint_eq(nst.ticket.len, 0);

    ck_assert_int_eq(td_finished_decode(span_of(fin12, 12), 12, &fin), TD_OK);
    ck_span_bytes(fin.verify_data, fin12, 12);

    ck_assert_int_eq(td_key_update_decode(span_of(ku_requested, 1), &ku),
                     TD_OK);
    ck_assert_uint_eq(ku.request_update, TD_KEY_UPDATE_REQUESTED);
    ck_assert_int_eq(td_key_update_decode(span_of(ku_not_requested, 1), &ku),
                     TD_OK);
    ck_assert_uint_eq(ku.request_update, TD_KEY_UPDATE_NOT_REQUESTED);

    ck_assert_int_eq(td_message_hash_decode(span_of(mh_s5 + 4, 32), 0, &mh),
                     TD_OK);
    ck_span_bytes(mh.hash, mh_s5 + 4, 32);

    samples_free();
}
END_TEST

/* The synthetic message_hash message as a whole: header from td_record,
 * body from the codec. */
START_TEST(test_message_hash_message)
{
    td_rd rd;
    td_handshake h;
    td_message_hash mh;
    td_wr wr;
    td_span out;

    td_rd_init(&rd, mh_s5, sizeof mh_s5);
    ck_assert_int_eq(td_handshake_decode(&rd, &h), TD_OK);
    ck_assert_uint_eq(h.msg_type, TD_HS_MESSAGE_HASH);
    ck_assert_int_eq(td_message_hash_decode(h.body, 32, &mh), TD_OK);
    ck_assert_int_eq(td_message_hash_decode(h.body, 0, &mh), TD_OK);
    td_wr_init(&wr, obuf, sizeof obuf);
    ck_assert_int_eq(td_message_hash_encode(&wr, &mh), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &out), TD_OK);
    ck_span_eq(out, h.body);
}
END_TEST

/* ---------------------------------------------------------- roundtrip */

START_TEST(test_samples_roundtrip)
{
    size_t i;

    samples_build();
    for (i = 0; i < nsamples; i++)
        roundtrip(samples[i].kind, samples[i].body, samples[i].param);
    samples_free();
}
END_TEST

/* ---------------------------------------------------------- truncated */

/* RFC 8446 6.2 / RFC 5246 7.2.2 decode_error: "the length of the
 * message was incorrect". Every proper prefix of a valid message, and the
 * message with one byte more, is decode_error; *out is untouched. */
START_TEST(test_samples_truncated)
{
    size_t i, n, cut = 0;

    samples_build();
    for (i = 0; i < nsamples; i++) {
        const kx_sample *s = &samples[i];

        for (n = 0; n < s->body.len; n++, cut++)
            expect_fail(s->kind, span_of(s->body.p, n), s->param,
                        TD_ALERT_DECODE_ERROR);
    }
    /* every kind with a non-empty body took part */
    ck_assert_uint_gt(cut, 600);
    samples_free();
}
END_TEST

START_TEST(test_samples_trailing)
{
    static uint8_t buf[1u << 16];
    size_t i;

    samples_build();
    for (i = 0; i < nsamples; i++) {
        const kx_sample *s = &samples[i];

        ck_assert_uint_lt(s->body.len, sizeof buf);
        if (s->body.len)
            memcpy(buf, s->body.p, s->body.len);
        buf[s->body.len] = 0x00;
        expect_fail(s->kind, span_of(buf, s->body.len + 1), s->param,
                    TD_ALERT_DECODE_ERROR);
    }
    samples_free();
}
END_TEST

/* ------------------------------------------------------- rfc_negative */

/* RFC 8446 4.6.3: "If an implementation receives any other value, it
 * MUST terminate the connection with an "illegal_parameter" alert." */
START_TEST(test_key_update_values)
{
    static const uint8_t two[] = {0x02}, ff[] = {0xff};
    static const uint8_t two_trailing[] = {0x02, 0x00};
    static const uint8_t zero_zero[] = {0x00, 0x00};

    expect_fail(KX_KU, span_of(two, 1), 0, TD_ALERT_ILLEGAL_PARAMETER);
    expect_fail(KX_KU, span_of(ff, 1), 0, TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 8446 6.2: a body that is not one byte is a length error, and
     * that is judged before the value */
    expect_fail(KX_KU, span_of(NULL, 0), 0, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_KU, span_of(zero_zero, 2), 0, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_KU, span_of(two_trailing, 2), 0, TD_ALERT_DECODE_ERROR);
}
END_TEST

/* RFC 5246 7.4.5 `struct { } ServerHelloDone;`, 7.4.1.1 HelloRequest,
 * RFC 8446 4.5 EndOfEarlyData: one body byte is decode_error (RFC 5246
 * 7.2.2, RFC 8446 6.2). */
START_TEST(test_empty_bodies)
{
    static const uint8_t one[] = {0x00};
    uint8_t buf[4];
    td_wr wr;

    expect_fail(KX_SHD, span_of(one, 1), 0, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_HR, span_of(one, 1), 0, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_EOED, span_of(one, 1), 0, TD_ALERT_DECODE_ERROR);
    /* a type with a body is not an empty message: a caller bug */
    ck_assert_int_eq(td_empty_message_decode(TD_HS_FINISHED, span_of(NULL, 0)),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_empty_message_decode(TD_HS_KEY_UPDATE, span_of(one, 1)),
                     TD_ERR_INTERNAL);
    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_empty_message_encode(&wr, TD_HS_CLIENT_HELLO),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_empty_message_encode(&wr, TD_HS_SERVER_HELLO_DONE),
                     TD_OK);
    ck_assert_uint_eq(td_wr_len(&wr), 0);
}
END_TEST

/* RFC 8446 4.4.3 / RFC 5246 4.7: signature<0..2^16-1>. An empty
 * signature is well-formed (it fails verification, decrypt_error, which
 * is not the codec's business); a length past the body is decode_error. */
START_TEST(test_cv_bounds)
{
    /* 08 04 | 00 00: rsa_pss_rsae_sha256, no signature */
    static const uint8_t empty_sig[] = {0x08, 0x04, 0x00, 0x00};
    /* 08 04 | 00 02 | aa: two announced, one present */
    static const uint8_t short_sig[] = {0x08, 0x04, 0x00, 0x02, 0xaa};
    /* 08: half an algorithm */
    static const uint8_t half_alg[] = {0x08};
    kx_any m;

    m = roundtrip(KX_CV, span_of(empty_sig, sizeof empty_sig), 0);
    ck_assert_uint_eq(m.cv.algorithm, 0x0804);
    ck_assert_uint_eq(m.cv.signature.len, 0);
    expect_fail(KX_CV, span_of(short_sig, sizeof short_sig), 0,
                TD_ALERT_DECODE_ERROR);
    expect_fail(KX_CV, span_of(half_alg, sizeof half_alg), 0,
                TD_ALERT_DECODE_ERROR);
}
END_TEST

/* RFC 8446 4.4.4 verify_data[Hash.length], RFC 5246 7.4.9
 * verify_data[verify_data_length]: a body of another length is
 * decode_error (RFC 8446 6.2, RFC 5246 7.2.2). */
START_TEST(test_finished_lengths)
{
    static uint8_t b[TD_MAX_VERIFY_DATA_LEN + 1];
    td_finished f;

    memset(b, 0x77, sizeof b);
    /* a SHA-256 Finished where SHA-384 or TLS 1.2 is expected, and back */
    expect_fail(KX_FIN, span_of(b, 32), 48, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_FIN, span_of(b, 32), 12, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_FIN, span_of(b, 12), 32, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_FIN, span_of(b, 48), 32, TD_ALERT_DECODE_ERROR);
    ck_assert_int_eq(td_finished_decode(span_of(b, 48), 48, &f), TD_OK);
    /* "any length": 1..TD_MAX_VERIFY_DATA_LEN; neither RFC has an empty
     * verify_data (RFC 5246 7.4.9: at least 12) */
    expect_fail(KX_FIN, span_of(NULL, 0), 0, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_FIN, span_of(b, TD_MAX_VERIFY_DATA_LEN + 1), 0,
                TD_ALERT_DECODE_ERROR);
    ck_assert_int_eq(td_finished_decode(span_of(b, TD_MAX_VERIFY_DATA_LEN), 0,
                                        &f),
                     TD_OK);
    ck_assert_int_eq(td_finished_decode(span_of(b, 1), 0, &f), TD_OK);
    /* a verify_data_len over the maximum is the caller's bug */
    expect_fail(KX_FIN, span_of(b, TD_MAX_VERIFY_DATA_LEN + 1),
                TD_MAX_VERIFY_DATA_LEN + 1, TD_ERR_INTERNAL);
}
END_TEST

START_TEST(test_cke_bounds)
{
    /* RFC 8422 5.7 (ECPoint, 5.4): point <1..2^8-1>; 00 is an empty
     * point: decode_error (RFC 5246 7.2.2: out of the specified range) */
    static const uint8_t empty_point[] = {0x00};
    /* the point length says 32, 31 bytes follow */
    static uint8_t short_point[32] = {0x20};
    static const uint8_t zero_len[] = {0x00, 0x00};
    static uint8_t sslv3[128];
    td_client_key_exchange c;

    expect_fail(KX_CKE_ECDHE, span_of(empty_point, 1), 0,
                TD_ALERT_DECODE_ERROR);
    expect_fail(KX_CKE_ECDHE, span_of(NULL, 0), 0, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_CKE_ECDHE, span_of(short_point, 32), 0,
                TD_ALERT_DECODE_ERROR);
    /* RFC 5246 7.4.7.1: "This specification requires correct encoding of
     * the EncryptedPreMasterSecret complete with length bytes." The SSLv3
     * form, the ciphertext alone: its first two bytes (5c 5c = 23644) are
     * read as a length beyond the 126 that follow. */
    memset(sslv3, 0x5c, sizeof sslv3);
    expect_fail(KX_CKE_RSA, span_of(sslv3, sizeof sslv3), 0,
                TD_ALERT_DECODE_ERROR);
    /* no length bytes at all: decode_error */
    expect_fail(KX_CKE_RSA, span_of(NULL, 0), 0, TD_ALERT_DECODE_ERROR);
    /* <0..2^16-1>: an empty EncryptedPreMasterSecret (00 00) is
     * well-formed; whether it decrypts is not the codec's business */
    ck_assert_int_eq(td_client_key_exchange_decode(span_of(zero_len, 2),
                                                   TD_KX_RSA, &c),
                     TD_OK);
    ck_assert_uint_eq(c.exchange_keys.len, 0);
    /* an unknown key exchange is a caller bug */
    ck_assert_int_eq(td_client_key_exchange_decode(span_of(empty_point, 1),
                                                   (td_kx)7, &c),
                     TD_ERR_INTERNAL);
}
END_TEST

/* RFC 8422 5.4: explicit_prime(1) and explicit_char2(2) are deprecated,
 * named_curve(3) "is now the only remaining format". The codec answers
 * any other curve_type with illegal_parameter (RFC 5246 7.2.2 / RFC 8446
 * 6.2: a field out of range or incorrect; see td_server_key_exchange.c
 * for why not handshake_failure). */
START_TEST(test_ske_curve_type)
{
    static const uint8_t bad[] = {0x01, 0x02, 0x00, 0x04, 0xf8, 0xff};
    static uint8_t b[128];
    size_t i;

    samples_build();
    for (i = 0; i < sizeof bad; i++) {
        memcpy(b, ske12, ske12_len);
        b[0] = bad[i];
        expect_fail(KX_SKE12, span_of(b, ske12_len), 0,
                    TD_ALERT_ILLEGAL_PARAMETER);
        memcpy(b, ske10, ske10_len);
        b[0] = bad[i];
        expect_fail(KX_SKE10, span_of(b, ske10_len), 0,
                    TD_ALERT_ILLEGAL_PARAMETER);
    }
    /* RFC 4492 5.4's explicit_prime body (prime_p, curve, base, ...) is
     * not parsed: the type alone decides. 01 | 01 ff: */
    b[0] = 0x01, b[1] = 0x01, b[2] = 0xff;
    expect_fail(KX_SKE12, span_of(b, 3), 0, TD_ALERT_ILLEGAL_PARAMETER);
    samples_free();
}
END_TEST

START_TEST(test_ske_bounds)
{
    static uint8_t b[128];
    td_server_key_exchange k;

    samples_build();
    /* RFC 8422 5.4: point <1..2^8-1>: 03 00 1d 00 | 08 04 00 00 */
    b[0] = 0x03, b[1] = 0x00, b[2] = 0x1d, b[3] = 0x00;
    b[4] = 0x08, b[5] = 0x04, b[6] = 0x00, b[7] = 0x00;
    expect_fail(KX_SKE12, span_of(b, 8), 0, TD_ALERT_DECODE_ERROR);
    /* with the point fixed (01 | 09) the same signature part is valid:
     * signature<0..2^16-1> may be empty */
    b[3] = 0x01, b[4] = 0x09, b[5] = 0x08, b[6] = 0x04, b[7] = 0x00;
    b[8] = 0x00;
    ck_assert_int_eq(td_server_key_exchange_decode(span_of(b, 9), 1, &k),
                     TD_OK);
    ck_assert_uint_eq(k.signature.len, 0);
    ck_assert_uint_eq(k.params.len, 5);
    /* RFC 5246 4.7: a TLS 1.2 body read in the TLS 1.0 form: 08 04 is
     * then the signature length (2052), beyond the 10 bytes left */
    expect_fail(KX_SKE10, span_of(ske12, ske12_len), 0,
                TD_ALERT_DECODE_ERROR);
    /* with_algorithm is 0 or 1 */
    ck_assert_int_eq(td_server_key_exchange_decode(span_of(ske12, ske12_len),
                                                   2, &k),
                     TD_ERR_INTERNAL);
    samples_free();
}
END_TEST

/* NewSessionTicket (TLS 1.3) bounds, RFC 8446 4.6.1. */
static uint8_t nst_big[16 + 4 + 65536];

/* lifetime | age_add | nonce | ticket 1 byte | extensions of ext_len
 * bytes: one extension of type `type` filling the block. */
static size_t nst13_build(uint16_t type, size_t ext_len)
{
    /* 00 00 00 3c  ticket_lifetime 60
     * 01 02 03 04  ticket_age_add
     * 00           ticket_nonce<0..255>, empty
     * 00 01 aa     ticket<1..2^16-1>, one byte
     * LL LL        extensions length
     * TT TT DD DD  extension_type, extension_data length = ext_len - 4 */
    static const uint8_t head[] = {0x00, 0x00, 0x00, 0x3c, 0x01, 0x02,
                                   0x03, 0x04, 0x00, 0x00, 0x01, 0xaa};
    size_t n = cat(nst_big, 0, head, sizeof head);
    size_t data = ext_len - 4;

    nst_big[n++] = (uint8_t)(ext_len >> 8);
    nst_big[n++] = (uint8_t)ext_len;
    nst_big[n++] = (uint8_t)(type >> 8);
    nst_big[n++] = (uint8_t)type;
    nst_big[n++] = (uint8_t)(data >> 8);
    nst_big[n++] = (uint8_t)data;
    memset(nst_big + n, 0, data);
    return n + data;
}

START_TEST(test_nst13_bounds)
{
    /* ticket<1..2^16-1>: 00 00 00 3c | 01 02 03 04 | 00 | 00 00 | 00 00 */
    static const uint8_t empty_ticket[] = {0x00, 0x00, 0x00, 0x3c, 0x01,
                                           0x02, 0x03, 0x04, 0x00, 0x00,
                                           0x00, 0x00, 0x00};
    td_new_session_ticket13 t;
    size_t n;

    expect_fail(KX_NST13, span_of(empty_ticket, sizeof empty_ticket), 0,
                TD_ALERT_DECODE_ERROR);
    /* extensions<0..2^16-2>: 65535 bytes is one over. 0x0a0a is a GREASE
     * type (RFC 8701), unknown to every receiver, which "MUST ignore
     * unrecognized extensions" (RFC 8446 4.6.1). */
    n = nst13_build(0x0a0a, 0xffff);
    expect_fail(KX_NST13, span_of(nst_big, n), 0, TD_ALERT_DECODE_ERROR);
    n = nst13_build(0x0a0a, 0xfffe);
    ck_assert_int_eq(td_new_session_ticket13_decode(span_of(nst_big, n), &t),
                     TD_OK);
    ck_assert_uint_eq(t.extensions.len, 0xfffe);
    roundtrip(KX_NST13, span_of(nst_big, n), 0);
}
END_TEST

/* The block is checked in the NST context (RFC 8446 4.2): a known
 * extension the table does not allow in NewSessionTicket, and a repeated
 * one, are illegal_parameter. */
START_TEST(test_nst13_extensions)
{
    /* 00 00 00 3c | 01 02 03 04 | 00 | 00 01 aa   lifetime .. ticket
     * 00 10                     extensions: 16 bytes
     * 00 2a 00 04 00 00 04 00   early_data, max_early_data_size 1024
     * 00 2a 00 04 00 00 04 00   early_data again (RFC 8446 4.2: "There
     *                           MUST NOT be more than one extension of
     *                           the same type in a given extension block") */
    static const uint8_t dup[] = {0x00, 0x00, 0x00, 0x3c, 0x01, 0x02, 0x03,
                                  0x04, 0x00, 0x00, 0x01, 0xaa, 0x00, 0x10,
                                  0x00, 0x2a, 0x00, 0x04, 0x00, 0x00, 0x04,
                                  0x00, 0x00, 0x2a, 0x00, 0x04, 0x00, 0x00,
                                  0x04, 0x00};
    /* the same with one early_data: 00 08 | 00 2a 00 04 00 00 04 00 */
    static const uint8_t one[] = {0x00, 0x00, 0x00, 0x3c, 0x01, 0x02, 0x03,
                                  0x04, 0x00, 0x00, 0x01, 0xaa, 0x00, 0x08,
                                  0x00, 0x2a, 0x00, 0x04, 0x00, 0x00, 0x04,
                                  0x00};
    /* ... | 00 06 | 00 33 00 02 00 1d: key_share (51) holding x25519; the
     * RFC 8446 4.2 table allows key_share in CH, SH and HRR only:
     * "If an implementation receives an extension which it recognizes and
     * which is not specified for the message in which it appears, it MUST
     * abort the handshake with an "illegal_parameter" alert." */
    static const uint8_t key_share[] = {0x00, 0x00, 0x00, 0x3c, 0x01, 0x02,
                                        0x03, 0x04, 0x00, 0x00, 0x01, 0xaa,
                                        0x00, 0x06, 0x00, 0x33, 0x00, 0x02,
                                        0x00, 0x1d};
    kx_any m;

    expect_fail(KX_NST13, span_of(dup, sizeof dup), 0,
                TD_ALERT_ILLEGAL_PARAMETER);
    expect_fail(KX_NST13, span_of(key_share, sizeof key_share), 0,
                TD_ALERT_ILLEGAL_PARAMETER);
    m = roundtrip(KX_NST13, span_of(one, sizeof one), 0);
    ck_assert_uint_eq(m.nst13.extensions.len, 8);
    ck_assert_ptr_eq(m.nst13.extensions.p, one + 14);
}
END_TEST

/* RFC 8446 4.6.1: "Servers MUST NOT use any value greater than 604800
 * seconds" binds the sender; the receiver's rule is "Clients MUST NOT
 * cache tickets for longer than 7 days, regardless of the
 * ticket_lifetime" - no alert. The codec keeps the value. */
START_TEST(test_nst13_lifetime)
{
    /* 00 09 3a 81 = 604801 | 00 00 00 00 | 00 | 00 01 aa | 00 00 */
    static const uint8_t over[] = {0x00, 0x09, 0x3a, 0x81, 0x00, 0x00,
                                   0x00, 0x00, 0x00, 0x00, 0x01, 0xaa,
                                   0x00, 0x00};
    /* ff ff ff ff: the largest uint32 */
    static const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x01, 0xaa,
                                  0x00, 0x00};
    kx_any m;

    m = roundtrip(KX_NST13, span_of(over, sizeof over), 0);
    ck_assert_uint_eq(m.nst13.ticket_lifetime, 604801u);
    m = roundtrip(KX_NST13, span_of(max, sizeof max), 0);
    ck_assert_uint_eq(m.nst13.ticket_lifetime, 0xffffffffu);
    ck_assert_uint_eq(m.nst13.ticket_nonce.len, 0);
    ck_assert_uint_eq(m.nst13.extensions.len, 0);
}
END_TEST

/* RFC 8446 4.4.1: the body is Hash(ClientHello1), Hash.length bytes of a
 * TLS 1.3 suite's hash (SHA-256 or SHA-384, RFC 8446 B.4); another length
 * is decode_error (RFC 8446 6.2). */
START_TEST(test_message_hash_lengths)
{
    static uint8_t b[64];
    static const size_t bad[] = {0, 1, 20, 31, 33, 47, 49, 64};
    td_message_hash h;
    size_t i;

    memset(b, 0x3c, sizeof b);
    for (i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_fail(KX_MH, span_of(b, bad[i]), 0, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_MH, span_of(b, 48), 32, TD_ALERT_DECODE_ERROR);
    expect_fail(KX_MH, span_of(b, 32), 48, TD_ALERT_DECODE_ERROR);
    ck_assert_int_eq(td_message_hash_decode(span_of(b, 48), 0, &h), TD_OK);
    ck_assert_int_eq(td_message_hash_decode(span_of(b, 48), 48, &h), TD_OK);
    ck_assert_uint_eq(h.hash.len, 48);
    /* a hash_len that no TLS 1.3 suite has is a caller bug */
    expect_fail(KX_MH, span_of(b, 20), 20, TD_ERR_INTERNAL);
}
END_TEST

/* ------------------------------------------------------------ encoder */

/* A writer that runs out of room returns TD_ERR_NOSPACE and is left as
 * it was, at every capacity short of the message. */
START_TEST(test_encode_nospace_unchanged)
{
    static uint8_t buf[1u << 16];
    size_t i, cap;

    samples_build();
    for (i = 0; i < nsamples; i++) {
        const kx_sample *s = &samples[i];
        kx_any m;

        ck_assert_int_eq(kx_decode(s->kind, s->body, s->param, &m), TD_OK);
        for (cap = 3; cap < 3 + s->body.len; cap++) {
            td_wr wr;
            td_err err;

            td_wr_init(&wr, buf, cap);
            ck_assert_int_eq(td_wr_u24(&wr, 0xabcdef), TD_OK);
            err = kx_encode(s->kind, &wr, &m);
            ck_assert_msg(err == TD_ERR_NOSPACE, "%s cap %zu: %s", s->what,
                          cap, td_err_name(err));
            ck_assert_uint_eq(td_wr_len(&wr), 3);
            ck_assert_uint_eq(wr.open, 0);
        }
    }
    samples_free();
}
END_TEST

/* The encoder writes *in as exactly `want` (td_msg.h: encoders are
 * permissive), and the decoder (param as in kx_decode) rejects those
 * bytes with `alert`: the invalid value reaches the wire and is caught on
 * receipt. */
static void encode_then_reject(kx_kind k, const kx_any *in, const uint8_t *want, size_t want_len,
                               size_t param, td_err alert)
{
    td_wr wr;
    td_span out;

    td_wr_init(&wr, obuf, sizeof obuf);
    ck_assert_int_eq(kx_encode(k, &wr, in), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &out), TD_OK);
    ck_span_bytes(out, want, want_len);
    expect_fail(k, out, param, alert);
}

/* What decode rejects, encode writes all the same; only a value with no
 * wire form (a length its prefix cannot express, a form the struct does
 * not name) is TD_ERR_INTERNAL, with the writer unchanged. */
START_TEST(test_encode_permissive)
{
    static uint8_t big[0x10000];
    static uint8_t want_big[4 + 4 + 1 + 2 + 1 + 2 + 0xffff];
    static const uint8_t pt[] = {0x04};
    /* curve_type 01 (explicit_prime), namedcurve 00 17, point 01 04,
     * algorithm 08 04, signature 00 00 */
    static const uint8_t ske_explicit[] = {0x01, 0x00, 0x17, 0x01, 0x04, 0x08, 0x04, 0x00, 0x00};
    /* named_curve 03, 00 17, an empty point 00, 08 04, 00 00 */
    static const uint8_t ske_no_point[] = {0x03, 0x00, 0x17, 0x00, 0x08, 0x04, 0x00, 0x00};
    static const uint8_t cke_no_point[] = {0x00};
    /* ticket_lifetime 0, ticket_age_add 0, ticket_nonce 00, ticket 00 00,
     * extensions 00 00 */
    static const uint8_t nst_no_ticket[13] = {0};
    /* as above with ticket 00 01 04 and an extensions block of one byte:
     * 00 01 04 */
    static const uint8_t nst_bad_block[] = {0, 0, 0, 0, 0, 0, 0, 0, 0x00,
                                            0x00, 0x01, 0x04, 0x00, 0x01, 0x04};
    static const uint8_t ku2[] = {0x02};
    kx_any m;
    size_t n;

    memset(&m, 0, sizeof m);
    /* RFC 8422 5.4: named_curve is the only remaining curve_type
     * (illegal_parameter, see td_server_key_exchange.c) */
    m.ske.curve_type = 1;
    m.ske.namedcurve = 0x0017;
    m.ske.point = span_of(pt, 1);
    m.ske.has_algorithm = 1;
    m.ske.algorithm = 0x0804;
    encode_then_reject(KX_SKE12, &m, ske_explicit, sizeof ske_explicit, 0,
                       TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 8422 5.4: point <1..2^8-1> (decode_error, RFC 5246 7.2.2) */
    m.ske.curve_type = 3;
    m.ske.point = span_of(NULL, 0);
    encode_then_reject(KX_SKE12, &m, ske_no_point, sizeof ske_no_point, 0,
                       TD_ALERT_DECODE_ERROR);
    /* no 1-byte length for 256, no 2-byte length for 2^16 */
    m.ske.point = span_of(big, 256);
    expect_encode_fail(KX_SKE12, &m, TD_ERR_INTERNAL);
    m.ske.point = span_of(pt, 1);
    m.ske.signature = span_of(big, 0x10000);
    expect_encode_fail(KX_SKE12, &m, TD_ERR_INTERNAL);

    /* RFC 8422 5.7: point <1..2^8-1>: an empty ecdh_Yc is written as its
     * length 00 (decode_error); RFC 5246 7.4.7.1: <0..2^16-1> */
    memset(&m, 0, sizeof m);
    m.cke.kx = TD_KX_ECDHE;
    encode_then_reject(KX_CKE_ECDHE, &m, cke_no_point, sizeof cke_no_point, 0,
                       TD_ALERT_DECODE_ERROR);
    m.cke.exchange_keys = span_of(big, 256);
    expect_encode_fail(KX_CKE_ECDHE, &m, TD_ERR_INTERNAL);
    m.cke.kx = TD_KX_RSA;
    m.cke.exchange_keys = span_of(big, 0x10000);
    expect_encode_fail(KX_CKE_RSA, &m, TD_ERR_INTERNAL);
    /* a key exchange without a form */
    m.cke.kx = (td_kx)7;
    m.cke.exchange_keys = span_of(pt, 1);
    expect_encode_fail(KX_CKE_RSA, &m, TD_ERR_INTERNAL);

    /* RFC 8446 4.4.3: signature<0..2^16-1> */
    memset(&m, 0, sizeof m);
    m.cv.signature = span_of(big, 0x10000);
    expect_encode_fail(KX_CV, &m, TD_ERR_INTERNAL);

    /* Finished: verify_data[Hash.length] / [12] (RFC 8446 4.4.4, RFC 5246
     * 7.4.9). The encoder does not know the suite and writes any length;
     * the decoder that knows it answers decode_error (RFC 8446 6.2) */
    memset(&m, 0, sizeof m);
    encode_then_reject(KX_FIN, &m, NULL, 0, 12, TD_ALERT_DECODE_ERROR);
    encode_then_reject(KX_FIN, &m, NULL, 0, 0, TD_ALERT_DECODE_ERROR);
    m.fin.verify_data = span_of(big, TD_MAX_VERIFY_DATA_LEN + 1);
    encode_then_reject(KX_FIN, &m, big, TD_MAX_VERIFY_DATA_LEN + 1, 0, TD_ALERT_DECODE_ERROR);
    m.fin.verify_data = span_of(big, 13);
    encode_then_reject(KX_FIN, &m, big, 13, 12, TD_ALERT_DECODE_ERROR);

    /* RFC 8446 4.6.1: ticket<1..2^16-1> (decode_error) */
    memset(&m, 0, sizeof m);
    encode_then_reject(KX_NST13, &m, nst_no_ticket, sizeof nst_no_ticket, 0,
                       TD_ALERT_DECODE_ERROR);
    /* ticket_nonce<0..255>: 256 bytes have no 1-byte length */
    m.nst13.ticket = span_of(pt, 1);
    m.nst13.ticket_nonce = span_of(big, 256);
    expect_encode_fail(KX_NST13, &m, TD_ERR_INTERNAL);
    /* one byte is no Extension (RFC 8446 4.2: type and length; decode_error) */
    m.nst13.ticket_nonce = span_of(NULL, 0);
    m.nst13.extensions = span_of(pt, 1);
    encode_then_reject(KX_NST13, &m, nst_bad_block, sizeof nst_bad_block, 0,
                       TD_ALERT_DECODE_ERROR);
    /* RFC 8446 4.6.1: extensions<0..2^16-2>; 2^16-1 bytes fit the 2-byte
     * length, are written, and are decode_error */
    m.nst13.extensions = span_of(big, 0xffff);
    n = cat(want_big, 0, nst_bad_block, 12); /* up to the ticket */
    want_big[n++] = 0xff;
    want_big[n++] = 0xff;
    n = cat(want_big, n, big, 0xffff);
    encode_then_reject(KX_NST13, &m, want_big, n, 0, TD_ALERT_DECODE_ERROR);
    /* RFC 5077 3.3: ticket<0..2^16-1> */
    memset(&m, 0, sizeof m);
    m.nst12.ticket = span_of(big, 0x10000);
    expect_encode_fail(KX_NST12, &m, TD_ERR_INTERNAL);

    /* RFC 8446 4.6.3: request_update 0 or 1; "If an implementation
     * receives any other value, it MUST terminate the connection with an
     * "illegal_parameter" alert." */
    memset(&m, 0, sizeof m);
    m.ku.request_update = 2;
    encode_then_reject(KX_KU, &m, ku2, sizeof ku2, 0, TD_ALERT_ILLEGAL_PARAMETER);

    /* RFC 8446 4.4.1: Hash(ClientHello1), 32 or 48 bytes (decode_error,
     * RFC 8446 6.2) */
    memset(&m, 0, sizeof m);
    m.mh.hash = span_of(big, 31);
    encode_then_reject(KX_MH, &m, big, 31, 0, TD_ALERT_DECODE_ERROR);
    encode_then_reject(KX_MH, &m, big, 31, 32, TD_ALERT_DECODE_ERROR);
}
END_TEST

/* ------------------------------------------------------------- suite */

Suite *td_msg_kx_suite(void);

Suite *td_msg_kx_suite(void)
{
    Suite *s = suite_create("msg_kx");
    TCase *tc;

    tc = tcase_create("valid");
    tcase_add_test(tc, test_tls13_vectors);
    tcase_add_test(tc, test_tls13_fields);
    tcase_add_test(tc, test_tls12_vectors);
    tcase_add_test(tc, test_hand_built_fields);
    tcase_add_test(tc, test_message_hash_message);
    suite_add_tcase(s, tc);

    tc = tcase_create("roundtrip");
    tcase_add_test(tc, test_samples_roundtrip);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncated");
    tcase_add_test(tc, test_samples_truncated);
    tcase_add_test(tc, test_samples_trailing);
    suite_add_tcase(s, tc);

    tc = tcase_create("rfc_negative");
    tcase_add_test(tc, test_key_update_values);
    tcase_add_test(tc, test_empty_bodies);
    tcase_add_test(tc, test_finished_lengths);
    tcase_add_test(tc, test_cv_bounds);
    tcase_add_test(tc, test_cke_bounds);
    tcase_add_test(tc, test_ske_curve_type);
    tcase_add_test(tc, test_ske_bounds);
    tcase_add_test(tc, test_nst13_bounds);
    tcase_add_test(tc, test_nst13_extensions);
    tcase_add_test(tc, test_nst13_lifetime);
    tcase_add_test(tc, test_message_hash_lengths);
    suite_add_tcase(s, tc);

    tc = tcase_create("encoder");
    tcase_add_test(tc, test_encode_nospace_unchanged);
    tcase_add_test(tc, test_encode_permissive);
    suite_add_tcase(s, tc);
    return s;
}
