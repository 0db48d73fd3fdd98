/*
 * td_crypto: the reference's crypto adapter (harness/ref/crypto/).
 *
 * Every expected value comes from outside the code under test:
 *   - the TLS 1.3 example traces (RFC 8448 form) in vectors/tls13/: the
 *     HKDF steps, transcript hashes, Finished values, PSK binder, the AEAD
 *     records, the X25519 and P-256 exchanges and the server's RSA-PSS
 *     CertificateVerify;
 *   - the TLS 1.2 handshakes captured from openssl in vectors/tls12/: the
 *     master secret (PRF), Finished values, the RSA premaster secret, and
 *     openssl's ServerKeyExchange / CertificateVerify signatures;
 *   - the .vec files of vectors/kat/, made by vectors/kat/gen.sh with the openssl CLI:
 *     hashes, HMAC, HKDF-SHA-384/512, the TLS 1.2 PRF, P-384 ECDH,
 *     signatures by every key of vectors/pki, RSA transport blocks, and
 *     quoted published vectors (RFC 8439 2.8.2, GCM test case 16,
 *     RFC 6979 A.2.5 / A.2.6);
 *   - hand derivations written next to the bytes (curve points, orders).
 *
 * Determinism and randomness (td_crypto.h: "randomness is never drawn
 * here"): every test here runs with no td_world bound to the thread
 * (wolfSSL's RNG hook would abort if the adapter drew from it). Among the
 * functions exercised, wolfCrypt wants a WC_RNG for blinding in
 * td_sig_sign (RSA and ECDSA), td_rsa_decrypt_premaster and td_kx_shared
 * (P-256, P-384); the adapter binds a private world for those calls.
 * test_no_world checks that, and that a world the caller did bind is
 * neither drawn from nor left unbound.
 */
#include "td_vec.h" /* first: it selects POSIX */

#include "td_crypto.h"
#include "td_world.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Suite *td_crypto_suite(void);

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

static void vec_load(const char *rel, td_vec *v)
{
    td_err err = td_vec_load(rel, v);
    ck_assert_msg(err == TD_OK, "%s/%s: %s", td_vectors_dir(), rel,
                  td_err_name(err));
}

static td_span vget(const td_vec *v, const char *side, const char *kind,
                    const char *name, const char *field, int nth)
{
    const td_vec_entry *e = td_vec_find(v, side, kind, name, field, nth);
    ck_assert_msg(e != NULL, "no vector %s %s %s %s #%d", side, kind, name,
                  field, nth);
    return td_vec_span(e);
}

static td_span kat(const td_vec *v, const char *kind, const char *name,
                   const char *field)
{
    return vget(v, "-", kind, name, field, 0);
}

static void span_eq(td_span got, td_span want, const char *what)
{
    ck_assert_msg(got.len == want.len, "%s: %zu bytes, want %zu", what,
                  got.len, want.len);
    if (want.len)
        ck_assert_msg(memcmp(got.p, want.p, want.len) == 0, "%s differs", what);
}

static void bytes_eq(const uint8_t *got, size_t n, td_span want,
                     const char *what)
{
    td_span g = {got, n};
    span_eq(g, want, what);
}

static int all_zero(const uint8_t *p, size_t n)
{
    while (n--)
        if (*p++)
            return 0;
    return 1;
}

/* A file of vectors/ (test code may allocate). */
static td_span read_file(const char *rel)
{
    char path[4096];
    td_span s = {NULL, 0};
    uint8_t *buf;
    long n;
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", td_vectors_dir(), rel);
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    ck_assert_int_ge(n, 1);
    rewind(f);
    buf = malloc((size_t)n);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    s.p = buf;
    s.len = (size_t)n;
    return s;
}

static void load_pki_private(const char *name, td_key *key)
{
    char rel[256];
    td_span pem;
    td_err err;

    snprintf(rel, sizeof rel, "pki/%s.key.pem", name);
    pem = read_file(rel);
    err = td_key_load_private(pem, key);
    ck_assert_msg(err == TD_OK, "%s: %s", rel, td_err_name(err));
    free((void *)pem.p);
}

static void load_pki_public(const char *name, td_key *key)
{
    char rel[256];
    td_span der;
    td_err err;

    snprintf(rel, sizeof rel, "pki/%s.crt.der", name);
    der = read_file(rel);
    err = td_key_from_cert(der, key);
    ck_assert_msg(err == TD_OK, "%s: %s", rel, td_err_name(err));
    free((void *)der.p);
}

/* Every test runs with no world bound (see the top of the file). */
static void no_world(void)
{
    ck_assert_ptr_null(td_world_bound().world);
}

/* The hash of the concatenation of the listed handshake messages. */
typedef struct msg_ref {
    const char *side, *name;
    int nth;
} msg_ref;

static void transcript(const td_vec *v, const msg_ref *m, size_t n,
                       td_hash_alg alg, uint8_t *out)
{
    td_hash_ctx h;
    size_t i;

    ck_assert_int_eq(td_hash_init(&h, alg), TD_OK);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(td_hash_update(&h, vget(v, m[i].side, "handshake",
                                                 m[i].name, "message",
                                                 m[i].nth)),
                         TD_OK);
    ck_assert_int_eq(td_hash_peek(&h, out), TD_OK);
}

static td_hash_alg alg_of(const char *name)
{
    if (!strncmp(name, "sha256", 6))
        return TD_HASH_SHA256;
    if (!strncmp(name, "sha384", 6))
        return TD_HASH_SHA384;
    ck_assert_msg(!strncmp(name, "sha512", 6), "no hash in %s", name);
    return TD_HASH_SHA512;
}

/* RFC 8448 section 3: the handshake up to each point */
static const msg_ref s3_ch_cert[] = {{"client", "client_hello", 0},
                                     {"server", "server_hello", 0},
                                     {"server", "encrypted_extensions", 0},
                                     {"server", "certificate", 0}};
static const msg_ref s3_ch_cv[] = {{"client", "client_hello", 0},
                                   {"server", "server_hello", 0},
                                   {"server", "encrypted_extensions", 0},
                                   {"server", "certificate", 0},
                                   {"server", "certificate_verify", 0}};
static const msg_ref s3_ch_sf[] = {{"client", "client_hello", 0},
                                   {"server", "server_hello", 0},
                                   {"server", "encrypted_extensions", 0},
                                   {"server", "certificate", 0},
                                   {"server", "certificate_verify", 0},
                                   {"server", "finished", 0}};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------
 * Hashes
 * ------------------------------------------------------------------------ */

START_TEST(test_hash_kat)
{
    uint8_t out[TD_HASH_MAX_LEN];
    td_vec v;
    size_t i;

    no_world();
    vec_load("kat/hash.vec", &v);
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        td_hash_alg alg;
        td_span data;
        td_hash_ctx h;
        size_t j;

        if (strcmp(e->kind, "hash") || strcmp(e->field, "data"))
            continue;
        alg = alg_of(e->name);
        data = td_vec_span(e);
        ck_assert_int_eq(td_hash(alg, data, out), TD_OK);
        bytes_eq(out, td_hash_len(alg), kat(&v, "hash", e->name, "digest"),
                 e->name);
        /* the same, one byte at a time */
        ck_assert_int_eq(td_hash_init(&h, alg), TD_OK);
        for (j = 0; j < data.len; j++) {
            td_span b = {data.p + j, 1};
            ck_assert_int_eq(td_hash_update(&h, b), TD_OK);
        }
        ck_assert_int_eq(td_hash_peek(&h, out), TD_OK);
        bytes_eq(out, td_hash_len(alg), kat(&v, "hash", e->name, "digest"),
                 e->name);
    }
    td_vec_free(&v);
    ck_assert_uint_eq(td_hash_len(TD_HASH_SHA256), 32);
    ck_assert_uint_eq(td_hash_len(TD_HASH_SHA384), 48);
    ck_assert_uint_eq(td_hash_len(TD_HASH_SHA512), 64);
}
END_TEST

/* A running transcript hash, peeked at the points the RFC 8448 trace
 * shows (Derive-Secret's Transcript-Hash, RFC 8446 7.1), keeps running. */
START_TEST(test_hash_transcript)
{
    static const char *const order[][2] = {
        {"client", "client_hello"}, {"server", "server_hello"},
        {"server", "encrypted_extensions"}, {"server", "certificate"},
        {"server", "certificate_verify"}, {"server", "finished"},
        {"client", "finished"}};
    /* after how many messages, and which derivation shows the hash */
    static const struct {
        size_t after;
        const char *name;
    } points[] = {{2, "derive_secret_tls13_c_hs_traffic"},
                  {6, "derive_secret_tls13_c_ap_traffic"},
                  {7, "derive_secret_tls13_res_master"}};
    uint8_t out[32], again[32];
    td_hash_ctx h, copy;
    size_t i, p = 0;
    td_vec v;

    no_world();
    vec_load("tls13/s3-1rtt.vec", &v);
    ck_assert_int_eq(td_hash_init(&h, TD_HASH_SHA256), TD_OK);
    /* RFC 8446 7.1: the hash of an empty transcript ("derived") */
    ck_assert_int_eq(td_hash_peek(&h, out), TD_OK);
    bytes_eq(out, 32,
             vget(&v, "server", "kdf",
                  "derive_secret_for_handshake_tls13_derived", "hash", 0),
             "empty transcript");
    for (i = 0; i < N(order); i++) {
        ck_assert_int_eq(td_hash_update(&h, vget(&v, order[i][0], "handshake",
                                                 order[i][1], "message", 0)),
                         TD_OK);
        if (p < N(points) && points[p].after == i + 1) {
            ck_assert_int_eq(td_hash_peek(&h, out), TD_OK);
            ck_assert_int_eq(td_hash_peek(&h, again), TD_OK);
            ck_assert_mem_eq(out, again, 32);
            bytes_eq(out, 32,
                     vget(&v, NULL, "kdf", points[p].name, "hash", 0),
                     points[p].name);
            p++;
        }
        if (i == 1) {
            /* a snapshot is a plain copy (td_crypto.h) */
            copy = h;
        }
    }
    ck_assert_uint_eq(p, N(points));
    /* the copy taken after ServerHello still hashes CH..SH */
    ck_assert_int_eq(td_hash_peek(&copy, out), TD_OK);
    bytes_eq(out, 32,
             vget(&v, NULL, "kdf", "derive_secret_tls13_c_hs_traffic", "hash",
                  0),
             "snapshot");
    td_vec_free(&v);
}
END_TEST

START_TEST(test_hash_bounds)
{
    td_hash_ctx h;
    uint8_t out[TD_HASH_MAX_LEN];
    td_span none = {NULL, 0};

    ck_assert_int_eq(td_hash_init(&h, (td_hash_alg)7), TD_ERR_INTERNAL);
    ck_assert_uint_eq(td_hash_len((td_hash_alg)7), 0);
    ck_assert_int_eq(td_hash((td_hash_alg)7, none, out), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_hmac((td_hash_alg)7, none, none, out),
                     TD_ERR_INTERNAL);
}
END_TEST

/* ------------------------------------------------------------------------
 * HMAC
 * ------------------------------------------------------------------------ */

START_TEST(test_hmac_kat)
{
    uint8_t out[TD_HASH_MAX_LEN];
    td_vec v;
    size_t i, n = 0;

    no_world();
    vec_load("kat/hash.vec", &v);
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        td_hash_alg alg;

        if (strcmp(e->kind, "hmac") || strcmp(e->field, "key"))
            continue;
        alg = alg_of(e->name);
        ck_assert_int_eq(td_hmac(alg, td_vec_span(e),
                                 kat(&v, "hmac", e->name, "data"), out),
                         TD_OK);
        bytes_eq(out, td_hash_len(alg), kat(&v, "hmac", e->name, "mac"),
                 e->name);
        n++;
    }
    ck_assert_uint_eq(n, 6);
    td_vec_free(&v);
}
END_TEST

/* RFC 8446 4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(...));
 * the trace gives finished_key ("expanded") and verify_data; the
 * transcript hash comes from the trace's messages. */
START_TEST(test_hmac_finished)
{
    uint8_t th[32], out[32];
    td_vec v;

    no_world();
    vec_load("tls13/s3-1rtt.vec", &v);
    transcript(&v, s3_ch_cv, N(s3_ch_cv), TD_HASH_SHA256, th);
    ck_assert_int_eq(td_hmac(TD_HASH_SHA256,
                             vget(&v, "server", "kdf",
                                  "calculate_finished_tls13_finished",
                                  "expanded", 0),
                             (td_span){th, 32}, out),
                     TD_OK);
    bytes_eq(out, 32,
             vget(&v, "server", "kdf", "calculate_finished_tls13_finished",
                  "finished", 0),
             "server Finished");
    transcript(&v, s3_ch_sf, N(s3_ch_sf), TD_HASH_SHA256, th);
    ck_assert_int_eq(td_hmac(TD_HASH_SHA256,
                             vget(&v, "client", "kdf",
                                  "calculate_finished_tls13_finished",
                                  "expanded", 0),
                             (td_span){th, 32}, out),
                     TD_OK);
    bytes_eq(out, 32,
             vget(&v, "client", "kdf", "calculate_finished_tls13_finished",
                  "finished", 0),
             "client Finished");
    td_vec_free(&v);

    /* RFC 8446 4.2.11.2: the PSK binder is a Finished over the truncated
     * ClientHello (section 4 of the traces) */
    vec_load("tls13/s4-0rtt.vec", &v);
    ck_assert_int_eq(td_hash(TD_HASH_SHA256,
                             vget(&v, "client", "kdf", "calculate_psk_binder",
                                  "client_hello_prefix", 0),
                             th),
                     TD_OK);
    bytes_eq(th, 32,
             vget(&v, "client", "kdf", "calculate_psk_binder", "binder_hash",
                  0),
             "binder hash");
    ck_assert_int_eq(td_hmac(TD_HASH_SHA256,
                             vget(&v, "client", "kdf", "calculate_psk_binder",
                                  "expanded", 0),
                             (td_span){th, 32}, out),
                     TD_OK);
    bytes_eq(out, 32,
             vget(&v, "client", "kdf", "calculate_psk_binder", "finished", 0),
             "binder");
    td_vec_free(&v);
}
END_TEST

/* ------------------------------------------------------------------------
 * HKDF
 * ------------------------------------------------------------------------ */

/* Every extract and expand step of every trace (SHA-256 throughout). The
 * lines of one step are consecutive and share side and name. */
START_TEST(test_hkdf_traces)
{
    static const char *const files[] = {
        "tls13/s3-1rtt.vec", "tls13/s4-0rtt.vec", "tls13/s5-hrr.vec",
        "tls13/s6-client-auth.vec", "tls13/s7-compat.vec"};
    static const char *const pairs[][2] = {
        {"info", "expanded"}, {"key_info", "key_expanded"},
        {"iv_info", "iv_expanded"}};
    size_t f, extracts = 0, expands = 0;

    no_world();
    for (f = 0; f < N(files); f++) {
        td_vec v;
        size_t i = 0;

        vec_load(files[f], &v);
        while (i < v.n) {
            const td_vec_entry *first = &v.e[i];
            td_span salt = {NULL, 0}, ikm = {NULL, 0}, secret = {NULL, 0};
            td_span prk = {NULL, 0}, in[3] = {{0}}, out[3] = {{0}};
            uint8_t got[255];
            size_t j = i, k;

            if (strcmp(first->kind, "kdf")) {
                i++;
                continue;
            }
            for (; j < v.n && !strcmp(v.e[j].kind, "kdf") &&
                   !strcmp(v.e[j].side, first->side) &&
                   !strcmp(v.e[j].name, first->name);
                 j++) {
                const td_vec_entry *e = &v.e[j];
                if (!strcmp(e->field, "salt"))
                    salt = td_vec_span(e);
                else if (!strcmp(e->field, "ikm"))
                    ikm = td_vec_span(e);
                else if (!strcmp(e->field, "secret"))
                    secret = td_vec_span(e);
                else if (!strcmp(e->field, "prk"))
                    prk = td_vec_span(e);
                for (k = 0; k < N(pairs); k++) {
                    if (!strcmp(e->field, pairs[k][0]))
                        in[k] = td_vec_span(e);
                    if (!strcmp(e->field, pairs[k][1]))
                        out[k] = td_vec_span(e);
                }
            }
            if (secret.len) {
                /* "salt: 0 (all zero octets)" is not in the file: an
                 * absent salt (RFC 5869 2.2) */
                ck_assert_int_eq(td_hkdf_extract(TD_HASH_SHA256, salt, ikm,
                                                 got),
                                 TD_OK);
                bytes_eq(got, 32, secret, first->name);
                extracts++;
            }
            for (k = 0; k < N(pairs); k++) {
                if (!out[k].len)
                    continue;
                /* HkdfLabel.length is the first two bytes of info
                 * (RFC 8446 7.1) */
                ck_assert_uint_eq((size_t)(in[k].p[0] << 8 | in[k].p[1]),
                                  out[k].len);
                ck_assert_int_eq(td_hkdf_expand(TD_HASH_SHA256, prk, in[k],
                                                got, out[k].len),
                                 TD_OK);
                bytes_eq(got, out[k].len, out[k], first->name);
                expands++;
            }
            i = j;
        }
        td_vec_free(&v);
    }
    ck_assert_uint_ge(extracts, 10);
    ck_assert_uint_ge(expands, 60);
}
END_TEST

START_TEST(test_hkdf_kat)
{
    uint8_t prk[TD_HASH_MAX_LEN], okm[256];
    td_vec v;
    size_t i, n = 0;

    no_world();
    vec_load("kat/kdf.vec", &v);
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        td_hash_alg alg;
        td_span want;

        if (strcmp(e->kind, "hkdf") || strcmp(e->field, "salt"))
            continue;
        alg = alg_of(e->name);
        ck_assert_int_eq(td_hkdf_extract(alg, td_vec_span(e),
                                         kat(&v, "hkdf", e->name, "ikm"), prk),
                         TD_OK);
        bytes_eq(prk, td_hash_len(alg), kat(&v, "hkdf", e->name, "prk"),
                 e->name);
        want = kat(&v, "hkdf", e->name, "okm");
        ck_assert_int_eq(td_hkdf_expand(alg, (td_span){prk, td_hash_len(alg)},
                                        kat(&v, "hkdf", e->name, "info"), okm,
                                        want.len),
                         TD_OK);
        bytes_eq(okm, want.len, want, e->name);
        n++;
    }
    ck_assert_uint_eq(n, 6);
    td_vec_free(&v);
}
END_TEST

START_TEST(test_hkdf_bounds)
{
    static uint8_t out[255 * 32 + 1];
    uint8_t prk[32] = {1};
    td_span p = {prk, 32}, none = {NULL, 0};

    /* RFC 5869 2.3: L <= 255*HashLen */
    ck_assert_int_eq(td_hkdf_expand(TD_HASH_SHA256, p, none, out, 255 * 32),
                     TD_OK);
    ck_assert_int_eq(td_hkdf_expand(TD_HASH_SHA256, p, none, out,
                                    255 * 32 + 1),
                     TD_ERR_INTERNAL);
    /* RFC 5869 2.3: PRK of at least HashLen octets */
    p.len = 31;
    ck_assert_int_eq(td_hkdf_expand(TD_HASH_SHA256, p, none, out, 32),
                     TD_ERR_INTERNAL);
}
END_TEST

/* ------------------------------------------------------------------------
 * TLS 1.2 PRF
 * ------------------------------------------------------------------------ */

START_TEST(test_prf_kat)
{
    uint8_t out[128];
    char label[64];
    td_vec v;
    size_t i, n = 0;

    no_world();
    vec_load("kat/kdf.vec", &v);
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        td_span l, want;

        if (strcmp(e->kind, "prf") || strcmp(e->field, "secret"))
            continue;
        l = kat(&v, "prf", e->name, "label");
        ck_assert_uint_lt(l.len, sizeof label);
        memcpy(label, l.p, l.len);
        label[l.len] = '\0';
        want = kat(&v, "prf", e->name, "out");
        ck_assert_int_eq(td_tls12_prf(alg_of(e->name), td_vec_span(e), label,
                                      kat(&v, "prf", e->name, "seed"), out,
                                      want.len),
                         TD_OK);
        bytes_eq(out, want.len, want, e->name);
        n++;
    }
    ck_assert_uint_eq(n, 8);
    td_vec_free(&v);
}
END_TEST

/* openssl's own TLS 1.2 handshake (static RSA, extended master secret):
 * master_secret = PRF(pre_master_secret, "extended master secret",
 * session_hash) (RFC 7627 4) and verify_data = PRF(master_secret,
 * finished_label, Hash(handshake_messages))[0..11] (RFC 5246 7.4.9). */
START_TEST(test_prf_tls12_capture)
{
    static const msg_ref to_cke[] = {{"client", "client_hello", 0},
                                     {"server", "server_hello", 0},
                                     {"server", "certificate", 0},
                                     {"server", "server_hello_done", 0},
                                     {"client", "client_key_exchange", 0}};
    static const msg_ref to_cf[] = {{"client", "client_hello", 0},
                                    {"server", "server_hello", 0},
                                    {"server", "certificate", 0},
                                    {"server", "server_hello_done", 0},
                                    {"client", "client_key_exchange", 0},
                                    {"client", "finished", 0}};
    uint8_t hash[32], ms[48], vd[12];
    td_span fin;
    td_vec v;

    no_world();
    vec_load("tls12/rsa-aes128-gcm.vec", &v);
    transcript(&v, to_cke, N(to_cke), TD_HASH_SHA256, hash);
    ck_assert_int_eq(td_tls12_prf(TD_HASH_SHA256,
                                  vget(&v, "client", "kdf", "pre_master_secret",
                                       "secret", 0),
                                  "extended master secret",
                                  (td_span){hash, 32}, ms, 48),
                     TD_OK);
    bytes_eq(ms, 48,
             vget(&v, "client", "kdf", "master_secret", "secret", 0),
             "master_secret");
    ck_assert_int_eq(td_tls12_prf(TD_HASH_SHA256, (td_span){ms, 48},
                                  "client finished", (td_span){hash, 32}, vd,
                                  12),
                     TD_OK);
    fin = vget(&v, "client", "handshake", "finished", "message", 0);
    ck_assert_uint_eq(fin.len, 16); /* 14 00000c verify_data[12] */
    bytes_eq(vd, 12, (td_span){fin.p + 4, 12}, "client verify_data");
    transcript(&v, to_cf, N(to_cf), TD_HASH_SHA256, hash);
    ck_assert_int_eq(td_tls12_prf(TD_HASH_SHA256, (td_span){ms, 48},
                                  "server finished", (td_span){hash, 32}, vd,
                                  12),
                     TD_OK);
    fin = vget(&v, "server", "handshake", "finished", "message", 0);
    bytes_eq(vd, 12, (td_span){fin.p + 4, 12}, "server verify_data");
    td_vec_free(&v);
}
END_TEST

/* ------------------------------------------------------------------------
 * AEAD
 * ------------------------------------------------------------------------ */

/* Open `sealed` and expect `plain`; then every single flipped byte of the
 * ciphertext, tag or AAD must fail with bad_record_mac and a zeroed output
 * (RFC 8446 5.2, RFC 5116 2.2). Sealing `plain` gives `sealed` back, also
 * in place. */
static void aead_check(td_aead_alg alg, td_span key, const uint8_t nonce[12],
                       td_span aad, td_span plain, td_span sealed,
                       const char *what)
{
    uint8_t *buf = malloc(sealed.len + 1), *in = malloc(sealed.len + 1);
    uint8_t *a = malloc(aad.len + 1);
    td_span bad = {in, sealed.len}, bad_aad = {a, aad.len};
    size_t i;

    ck_assert_ptr_nonnull(buf);
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(sealed.len, plain.len + TD_AEAD_TAG_LEN);
    ck_assert_int_eq(td_aead_open(alg, key, nonce, aad, sealed, buf), TD_OK);
    bytes_eq(buf, plain.len, plain, what);
    ck_assert_int_eq(td_aead_seal(alg, key, nonce, aad, plain, buf), TD_OK);
    bytes_eq(buf, sealed.len, sealed, what);
    /* in place: out == plaintext.p, then out == in.p */
    memcpy(buf, plain.p, plain.len);
    ck_assert_int_eq(td_aead_seal(alg, key, nonce, aad,
                                  (td_span){buf, plain.len}, buf),
                     TD_OK);
    bytes_eq(buf, sealed.len, sealed, what);
    ck_assert_int_eq(td_aead_open(alg, key, nonce, aad,
                                  (td_span){buf, sealed.len}, buf),
                     TD_OK);
    bytes_eq(buf, plain.len, plain, what);

    memcpy(in, sealed.p, sealed.len);
    for (i = 0; i < sealed.len; i++) {
        in[i] ^= 0x01;
        memset(buf, 0xa5, sealed.len);
        ck_assert_int_eq(td_aead_open(alg, key, nonce, aad, bad, buf),
                         TD_ALERT_BAD_RECORD_MAC);
        ck_assert_msg(all_zero(buf, plain.len), "%s: output left at byte %zu",
                      what, i);
        in[i] ^= 0x01;
    }
    if (aad.len)
        memcpy(a, aad.p, aad.len);
    for (i = 0; i < aad.len; i++) {
        a[i] ^= 0x80;
        memset(buf, 0xa5, sealed.len);
        ck_assert_int_eq(td_aead_open(alg, key, nonce, bad_aad, sealed, buf),
                         TD_ALERT_BAD_RECORD_MAC);
        ck_assert(all_zero(buf, plain.len));
        a[i] ^= 0x80;
    }
    /* RFC 8446 5.2: a record shorter than the tag */
    for (i = 0; i < TD_AEAD_TAG_LEN; i++)
        ck_assert_int_eq(td_aead_open(alg, key, nonce, aad,
                                      (td_span){sealed.p, i}, buf),
                         TD_ALERT_BAD_RECORD_MAC);
    free(buf);
    free(in);
    free(a);
}

/* The protected records of RFC 8448 section 3 (AES-128-GCM): the nonce is
 * the write IV xor the 64-bit sequence number (RFC 8446 5.3), the AAD the
 * record header (5.2), the plaintext content || ContentType. */
START_TEST(test_aead_trace_records)
{
    static const struct {
        const char *side, *type;
        int nth;
        uint8_t content_type;
        const char *key_side, *key_name;
        uint64_t seq;
    } recs[] = {
        {"server", "handshake", 0, 22, "server",
         "derive_write_traffic_keys_for_handshake_data", 0},
        /* the client's handshake keys appear as the server's read keys */
        {"client", "handshake", 0, 22, "server",
         "derive_read_traffic_keys_for_handshake_data", 0},
        {"server", "handshake", 1, 22, "server",
         "derive_write_traffic_keys_for_application_data", 0},
        {"client", "application_data", 0, 23, "client",
         "derive_write_traffic_keys_for_application_data", 0},
        {"server", "application_data", 0, 23, "server",
         "derive_write_traffic_keys_for_application_data", 1},
        {"client", "alert", 0, 21, "client",
         "derive_write_traffic_keys_for_application_data", 1},
        {"server", "alert", 0, 21, "server",
         "derive_write_traffic_keys_for_application_data", 2},
    };
    td_vec v;
    size_t r;

    no_world();
    vec_load("tls13/s3-1rtt.vec", &v);
    for (r = 0; r < N(recs); r++) {
        td_span key = vget(&v, recs[r].key_side, "kdf", recs[r].key_name,
                           "key_expanded", 0);
        td_span iv = vget(&v, recs[r].key_side, "kdf", recs[r].key_name,
                          "iv_expanded", 0);
        td_span prot = vget(&v, recs[r].side, "record", recs[r].type,
                            "protected", recs[r].nth);
        /* the record's payload is the line before it (README.md) */
        const td_vec_entry *pe =
            td_vec_find(&v, recs[r].side, "record", recs[r].type, "protected",
                        recs[r].nth) -
            1;
        td_span payload = td_vec_span(pe);
        uint8_t nonce[12], *inner = malloc(payload.len + 1);
        size_t i;

        ck_assert_ptr_nonnull(inner);
        ck_assert_str_eq(pe->field, "payload");
        ck_assert_uint_eq(iv.len, 12);
        memcpy(nonce, iv.p, 12);
        for (i = 0; i < 8; i++)
            nonce[11 - i] ^= (uint8_t)(recs[r].seq >> (8 * i));
        memcpy(inner, payload.p, payload.len);
        inner[payload.len] = recs[r].content_type;
        aead_check(TD_AEAD_AES_128_GCM, key, nonce, (td_span){prot.p, 5},
                   (td_span){inner, payload.len + 1},
                   (td_span){prot.p + 5, prot.len - 5}, recs[r].type);
        free(inner);
    }
    td_vec_free(&v);
}
END_TEST

START_TEST(test_aead_kat)
{
    static const struct {
        const char *name;
        td_aead_alg alg;
    } cases[] = {{"chacha20_poly1305_rfc8439", TD_AEAD_CHACHA20_POLY1305},
                 {"aes_256_gcm_tc16", TD_AEAD_AES_256_GCM}};
    td_vec v;
    size_t i;

    no_world();
    vec_load("kat/aead.vec", &v);
    for (i = 0; i < N(cases); i++) {
        td_span nonce = kat(&v, "aead", cases[i].name, "nonce");
        ck_assert_uint_eq(nonce.len, 12);
        aead_check(cases[i].alg, kat(&v, "aead", cases[i].name, "key"),
                   nonce.p, kat(&v, "aead", cases[i].name, "aad"),
                   kat(&v, "aead", cases[i].name, "plaintext"),
                   kat(&v, "aead", cases[i].name, "sealed"), cases[i].name);
    }
    td_vec_free(&v);
}
END_TEST

START_TEST(test_aead_bounds)
{
    static const td_aead_alg algs[] = {TD_AEAD_AES_128_GCM, TD_AEAD_AES_256_GCM,
                                       TD_AEAD_CHACHA20_POLY1305};
    uint8_t key[32] = {7}, nonce[12] = {9}, out[64], back[64];
    td_span none = {NULL, 0};
    size_t i;

    for (i = 0; i < N(algs); i++) {
        td_span k = {key, td_aead_key_len(algs[i])};
        td_span sealed = {out, TD_AEAD_TAG_LEN};
        uint8_t nonce2[12];

        /* an empty plaintext still carries a tag (RFC 5116 2.1) */
        ck_assert_int_eq(td_aead_seal(algs[i], k, nonce, none, none, out),
                         TD_OK);
        ck_assert_int_eq(td_aead_open(algs[i], k, nonce, none, sealed, back),
                         TD_OK);
        /* another nonce does not open it (RFC 8446 5.3) */
        memcpy(nonce2, nonce, 12);
        nonce2[11] ^= 1;
        ck_assert_int_eq(td_aead_open(algs[i], k, nonce2, none, sealed, back),
                         TD_ALERT_BAD_RECORD_MAC);
        /* a key of the wrong length is a caller bug */
        k.len--;
        ck_assert_int_eq(td_aead_seal(algs[i], k, nonce, none, none, out),
                         TD_ERR_INTERNAL);
    }
    ck_assert_uint_eq(td_aead_key_len(TD_AEAD_AES_128_GCM), 16);
    ck_assert_uint_eq(td_aead_key_len(TD_AEAD_AES_256_GCM), 32);
    ck_assert_uint_eq(td_aead_key_len(TD_AEAD_CHACHA20_POLY1305), 32);
}
END_TEST

/* ------------------------------------------------------------------------
 * Key exchange
 * ------------------------------------------------------------------------ */

static void kx_pair(uint16_t group, const td_vec *v, const char *key_name,
                    const char *secret_name)
{
    td_span cpriv = vget(v, "client", "key", key_name, "private_key", 0);
    td_span cpub = vget(v, "client", "key", key_name, "public_key", 0);
    td_span spriv = vget(v, "server", "key", key_name, "private_key", 0);
    td_span spub = vget(v, "server", "key", key_name, "public_key", 0);
    td_span ecdhe = vget(v, "server", "kdf", secret_name, "ikm", 0);
    uint8_t pub[TD_KX_MAX_PUB_LEN], shared[TD_KX_MAX_SHARED_LEN];

    ck_assert_uint_eq(cpriv.len, td_kx_priv_len(group));
    ck_assert_int_eq(td_kx_public(group, cpriv, pub), TD_OK);
    bytes_eq(pub, td_kx_pub_len(group), cpub, "client public");
    ck_assert_int_eq(td_kx_public(group, spriv, pub), TD_OK);
    bytes_eq(pub, td_kx_pub_len(group), spub, "server public");
    ck_assert_int_eq(td_kx_shared(group, cpriv, spub, shared), TD_OK);
    bytes_eq(shared, td_kx_shared_len(group), ecdhe, "client shared");
    ck_assert_int_eq(td_kx_shared(group, spriv, cpub, shared), TD_OK);
    bytes_eq(shared, td_kx_shared_len(group), ecdhe, "server shared");
}

START_TEST(test_kx_x25519)
{
    /* u-coordinates whose X25519 output is zero for every clamped scalar
     * (RFC 7748 6.1 / RFC 8446 7.4.2): points of order 1, 2, 4 and 8, in
     * little-endian (0; 1; the order-8 point 3256062509165574317959836263
     * 56110631294008115727848805560023387167927233504), and p and p + 1,
     * the non-canonical forms of 0 and 1 (RFC 7748 5: processed "as if
     * they had been reduced modulo the field prime"): p = 2^255 - 19 is
     * ed ff .. ff 7f. */
    static const uint8_t low_order[][32] = {
        {0},
        {1},
        {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
         0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
         0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
        {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
        {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    };
    uint8_t shared[32], masked[33];
    td_span cpriv, spub, ecdhe;
    td_vec v;
    size_t i;

    no_world();
    vec_load("tls13/s3-1rtt.vec", &v);
    kx_pair(0x001d, &v, "create_an_ephemeral_x25519_key_pair",
            "extract_secret_handshake");
    cpriv = vget(&v, "client", "key", "create_an_ephemeral_x25519_key_pair",
                 "private_key", 0);
    spub = vget(&v, "server", "key", "create_an_ephemeral_x25519_key_pair",
                "public_key", 0);
    ecdhe = vget(&v, "server", "kdf", "extract_secret_handshake", "ikm", 0);
    /* RFC 7748 5: the top bit of a received u-coordinate is masked */
    memcpy(masked, spub.p, 32);
    masked[31] |= 0x80;
    ck_assert_int_eq(td_kx_shared(0x001d, cpriv, (td_span){masked, 32},
                                  shared),
                     TD_OK);
    bytes_eq(shared, 32, ecdhe, "masked u");
    /* RFC 8446 7.4.2: an all-zero shared secret is refused */
    for (i = 0; i < N(low_order); i++) {
        memset(shared, 0xa5, sizeof shared);
        ck_assert_int_eq(td_kx_shared(0x001d, cpriv,
                                      (td_span){low_order[i], 32}, shared),
                         TD_ALERT_ILLEGAL_PARAMETER);
    }
    /* RFC 8446 4.2.8.2: 32 bytes exactly */
    ck_assert_int_eq(td_kx_shared(0x001d, cpriv, (td_span){masked, 31},
                                  shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    ck_assert_int_eq(td_kx_shared(0x001d, cpriv, (td_span){masked, 33},
                                  shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    ck_assert_int_eq(td_kx_shared(0x001d, cpriv, (td_span){NULL, 0}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    td_vec_free(&v);
}
END_TEST

/* FIPS 186-4 D.1.2.3 (P-256): p, n, and G = (Gx, Gy); p - Gy is the
 * y of -G = (n-1)G, computed by hand from p and Gy. */
static const uint8_t p256_p[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t p256_n[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
    0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
static const uint8_t p256_g[65] = {
    0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6,
    0xe5, 0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33,
    0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96, 0x4f, 0xe3, 0x42,
    0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e,
    0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40,
    0x68, 0x37, 0xbf, 0x51, 0xf5};
static const uint8_t p256_neg_gy[32] = {
    0xb0, 0x1c, 0xbd, 0x1c, 0x01, 0xe5, 0x80, 0x65, 0x71, 0x18, 0x14,
    0xb5, 0x83, 0xf0, 0x61, 0xe9, 0xd4, 0x31, 0xcc, 0xa9, 0x94, 0xce,
    0xa1, 0x31, 0x34, 0x49, 0xbf, 0x97, 0xc8, 0x40, 0xae, 0x0a};

START_TEST(test_kx_p256)
{
    uint8_t priv[32], pub[65], bad[65], shared[32];
    td_span cpriv;
    td_vec v;

    no_world();
    /* RFC 8448 section 5: the key shares after the HelloRetryRequest */
    vec_load("tls13/s5-hrr.vec", &v);
    kx_pair(0x0017, &v, "create_an_ephemeral_p_256_key_pair",
            "extract_secret_handshake");
    cpriv = vget(&v, "client", "key", "create_an_ephemeral_p_256_key_pair",
                 "private_key", 0);
    memcpy(pub, vget(&v, "server", "key", "create_an_ephemeral_p_256_key_pair",
                     "public_key", 0)
                    .p,
           65);
    /* RFC 8446 4.2.8.2: a point off the curve */
    memcpy(bad, pub, 65);
    bad[64] ^= 1;
    ck_assert_int_eq(td_kx_shared(0x0017, cpriv, (td_span){bad, 65}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    /* x = p: a coordinate out of range */
    memcpy(bad + 1, p256_p, 32);
    ck_assert_int_eq(td_kx_shared(0x0017, cpriv, (td_span){bad, 65}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    /* (0, 0) is not on the curve */
    memset(bad + 1, 0, 64);
    ck_assert_int_eq(td_kx_shared(0x0017, cpriv, (td_span){bad, 65}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 8446 4.2.8.2: legacy_form = 4; not compressed (02/03 || X), not
     * the one-byte point at infinity, not a wrong length */
    memcpy(bad, pub, 65);
    bad[0] = 0x05;
    ck_assert_int_eq(td_kx_shared(0x0017, cpriv, (td_span){bad, 65}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    bad[0] = 0x02;
    ck_assert_int_eq(td_kx_shared(0x0017, cpriv, (td_span){bad, 33}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    bad[0] = 0x00;
    ck_assert_int_eq(td_kx_shared(0x0017, cpriv, (td_span){bad, 1}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    ck_assert_int_eq(td_kx_shared(0x0017, cpriv, (td_span){pub, 64}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    td_vec_free(&v);

    /* private scalars: 1 gives G, n-1 gives -G; 0 and n are refused
     * (td_crypto.h: the caller then draws again) */
    memset(priv, 0, 32);
    priv[31] = 1;
    ck_assert_int_eq(td_kx_public(0x0017, (td_span){priv, 32}, pub), TD_OK);
    ck_assert_mem_eq(pub, p256_g, 65);
    memcpy(priv, p256_n, 32);
    priv[31]--;
    ck_assert_int_eq(td_kx_public(0x0017, (td_span){priv, 32}, pub), TD_OK);
    ck_assert_mem_eq(pub, p256_g, 33);
    ck_assert_mem_eq(pub + 33, p256_neg_gy, 32);
    ck_assert_int_eq(td_kx_public(0x0017, (td_span){p256_n, 32}, pub),
                     TD_ERR_CRYPTO);
    memset(priv, 0, 32);
    ck_assert_int_eq(td_kx_public(0x0017, (td_span){priv, 32}, pub),
                     TD_ERR_CRYPTO);
}
END_TEST

START_TEST(test_kx_p384)
{
    uint8_t pub[97], shared[48], bad[97];
    td_span a, b, pa, pb;
    td_vec v;

    no_world();
    vec_load("kat/ecdh.vec", &v);
    a = kat(&v, "kx", "secp384r1", "private_a");
    b = kat(&v, "kx", "secp384r1", "private_b");
    pa = kat(&v, "kx", "secp384r1", "public_a");
    pb = kat(&v, "kx", "secp384r1", "public_b");
    ck_assert_int_eq(td_kx_public(0x0018, a, pub), TD_OK);
    bytes_eq(pub, 97, pa, "public a");
    ck_assert_int_eq(td_kx_public(0x0018, b, pub), TD_OK);
    bytes_eq(pub, 97, pb, "public b");
    ck_assert_int_eq(td_kx_shared(0x0018, a, pb, shared), TD_OK);
    bytes_eq(shared, 48, kat(&v, "kx", "secp384r1", "shared"), "shared a");
    ck_assert_int_eq(td_kx_shared(0x0018, b, pa, shared), TD_OK);
    bytes_eq(shared, 48, kat(&v, "kx", "secp384r1", "shared"), "shared b");
    /* RFC 8446 4.2.8.2: off the curve */
    memcpy(bad, pb.p, 97);
    bad[50] ^= 0x10;
    ck_assert_int_eq(td_kx_shared(0x0018, a, (td_span){bad, 97}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    /* a P-256 point is the wrong length for P-384 */
    ck_assert_int_eq(td_kx_shared(0x0018, a, (td_span){p256_g, 65}, shared),
                     TD_ALERT_ILLEGAL_PARAMETER);
    td_vec_free(&v);
    /* the group's lengths (RFC 8446 4.2.8.2) and an unknown group */
    ck_assert_uint_eq(td_kx_pub_len(0x0018), 97);
    ck_assert_uint_eq(td_kx_shared_len(0x0018), 48);
    ck_assert_uint_eq(td_kx_pub_len(0x0017), 65);
    ck_assert_uint_eq(td_kx_pub_len(0x001d), 32);
    ck_assert_uint_eq(td_kx_priv_len(0x0019), 0);
    ck_assert_int_eq(td_kx_public(0x0019, a, pub), TD_ERR_UNSUPPORTED);
}
END_TEST

/* ------------------------------------------------------------------------
 * Keys
 * ------------------------------------------------------------------------ */

/* vectors/pki/README.md: the key algorithm of every name */
static const struct {
    const char *name;
    td_key_type type;
    size_t bits;
} pki_keys[] = {
    {"root-ca", TD_KEY_RSA, 2048},         {"intermediate-ca", TD_KEY_RSA, 2048},
    {"client-ca", TD_KEY_RSA, 2048},       {"server-rsa2048", TD_KEY_RSA, 2048},
    {"client-rsa2048", TD_KEY_RSA, 2048},  {"server-p256", TD_KEY_EC_P256, 256},
    {"client-p256", TD_KEY_EC_P256, 256},  {"server-p384", TD_KEY_EC_P384, 384},
    {"server-ed25519", TD_KEY_ED25519, 256},
};

START_TEST(test_keys_pki)
{
    td_key priv, pub, again;
    size_t i;

    no_world();
    for (i = 0; i < N(pki_keys); i++) {
        load_pki_private(pki_keys[i].name, &priv);
        ck_assert_int_eq(priv.type, pki_keys[i].type);
        ck_assert_uint_eq(priv.bits, pki_keys[i].bits);
        ck_assert_int_eq(priv.is_private, 1);
        /* the stored DER loads as DER */
        ck_assert_int_eq(td_key_load_private((td_span){priv.der, priv.der_len},
                                             &again),
                         TD_OK);
        ck_assert_int_eq(again.type, priv.type);
        ck_assert_uint_eq(again.der_len, priv.der_len);
        ck_assert_mem_eq(again.der, priv.der, priv.der_len);
        load_pki_public(pki_keys[i].name, &pub);
        ck_assert_int_eq(pub.type, pki_keys[i].type);
        ck_assert_uint_eq(pub.bits, pki_keys[i].bits);
        ck_assert_int_eq(pub.is_private, 0);
    }
}
END_TEST

START_TEST(test_keys_bad)
{
    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    td_span der;
    uint8_t *copy;
    td_key key;
    size_t i;
    td_vec v;

    no_world();
    ck_assert_int_eq(td_key_load_private((td_span){junk, sizeof junk}, &key),
                     TD_ERR_SYNTAX);
    ck_assert_int_eq(td_key_load_private((td_span){NULL, 0}, &key),
                     TD_ERR_SYNTAX);
    /* a certificate is not a private key */
    der = read_file("pki/server-p256.crt.der");
    ck_assert_int_eq(td_key_load_private(der, &key), TD_ERR_SYNTAX);
    /* td_crypto.h: a certificate that does not parse is bad_certificate,
     * at every truncation */
    for (i = 0; i < der.len; i += 7)
        ck_assert_int_eq(td_key_from_cert((td_span){der.p, i}, &key),
                         TD_ALERT_BAD_CERTIFICATE);
    ck_assert_int_eq(td_key_from_cert((td_span){junk, sizeof junk}, &key),
                     TD_ALERT_BAD_CERTIFICATE);
    free((void *)der.p);

    /* the keys parse but the certificate does not: the outer
     * signatureAlgorithm (after tbsCertificate, RFC 5280 4.1) tagged SET
     * (0x31) instead of SEQUENCE. The certificate and tbsCertificate both
     * start 30 82 len16. */
    der = read_file("pki/server-p256.crt.der");
    copy = malloc(der.len);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, der.p, der.len);
    ck_assert_uint_eq(copy[0], 0x30);
    ck_assert_uint_eq(copy[4], 0x30);
    ck_assert_uint_eq(copy[5], 0x82);
    i = 8 + ((size_t)copy[6] << 8 | copy[7]);
    ck_assert_uint_eq(copy[i], 0x30);
    copy[i] = 0x31;
    ck_assert_int_eq(td_key_from_cert((td_span){copy, der.len}, &key),
                     TD_ALERT_BAD_CERTIFICATE);
    copy[i] = 0x30;
    ck_assert_int_eq(td_key_from_cert((td_span){copy, der.len}, &key), TD_OK);
    free(copy);
    free((void *)der.p);

    /* an Ed448 key (id-Ed448 1.3.101.113, RFC 8410 3: 06 03 2b 65 71) in
     * place of server-ed25519's id-Ed25519 (06 03 2b 65 70) is not one we
     * use: unsupported_certificate (RFC 8446 6.2) */
    der = read_file("pki/server-ed25519.crt.der");
    copy = malloc(der.len);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, der.p, der.len);
    for (i = 0; i + 5 <= der.len; i++) {
        if (!memcmp(copy + i, "\x06\x03\x2b\x65\x70", 5)) {
            copy[i + 4] = 0x71;
            break;
        }
    }
    ck_assert_uint_lt(i + 5, der.len);
    ck_assert_int_eq(td_key_from_cert((td_span){copy, der.len}, &key),
                     TD_ALERT_UNSUPPORTED_CERTIFICATE);
    free(copy);
    free((void *)der.p);

    /* the RFC 6979 keys: PKCS#8 DER without a public key */
    vec_load("kat/rfc6979.vec", &v);
    ck_assert_int_eq(td_key_load_private(kat(&v, "sig", "rfc6979_p384",
                                             "pkcs8"),
                                         &key),
                     TD_OK);
    ck_assert_int_eq(key.type, TD_KEY_EC_P384);
    td_vec_free(&v);
}
END_TEST

/* ------------------------------------------------------------------------
 * Signatures
 * ------------------------------------------------------------------------ */

static const uint16_t all_schemes[] = {0x0401, 0x0501, 0x0601, 0x0403, 0x0503,
                                       0x0804, 0x0805, 0x0806, 0x0807};

static const struct {
    const char *name;
    uint16_t scheme;
} scheme_names[] = {
    {"rsa_pkcs1_sha256", 0x0401},       {"rsa_pkcs1_sha384", 0x0501},
    {"rsa_pkcs1_sha512", 0x0601},       {"ecdsa_secp256r1_sha256", 0x0403},
    {"ecdsa_secp384r1_sha384", 0x0503}, {"rsa_pss_rsae_sha256", 0x0804},
    {"rsa_pss_rsae_sha384", 0x0805},    {"rsa_pss_rsae_sha512", 0x0806},
    {"ed25519", 0x0807},
};

static uint16_t scheme_of(const char *name)
{
    size_t i;
    for (i = 0; i < N(scheme_names); i++)
        if (!strcmp(scheme_names[i].name, name))
            return scheme_names[i].scheme;
    return 0;
}

/* A flipped byte at the start, middle and end is decrypt_error
 * (RFC 8446 4.4.3); so is a signature one byte short. */
static void sig_flips(uint16_t scheme, const td_key *key, td_span msg,
                      td_span sig)
{
    uint8_t buf[TD_SIG_MAX_LEN];
    size_t at[3], i;

    ck_assert_uint_le(sig.len, sizeof buf);
    at[0] = 0;
    at[1] = sig.len / 2;
    at[2] = sig.len - 1;
    memcpy(buf, sig.p, sig.len);
    for (i = 0; i < 3; i++) {
        buf[at[i]] ^= 0x04;
        ck_assert_int_eq(td_sig_verify(scheme, TD_SIG_CURVE_BOUND, key, msg,
                                       (td_span){buf, sig.len}),
                         TD_ALERT_DECRYPT_ERROR);
        buf[at[i]] ^= 0x04;
    }
    ck_assert_int_eq(td_sig_verify(scheme, TD_SIG_CURVE_BOUND, key, msg,
                                   (td_span){buf, sig.len - 1}),
                     TD_ALERT_DECRYPT_ERROR);
    /* all ones: for RSA a representative >= n (RFC 8017 5.2.2 step 1), for
     * Ed25519 S >= L (RFC 8032 5.1.7 step 1), for ECDSA no DER at all */
    memset(buf, 0xff, sig.len);
    ck_assert_int_eq(td_sig_verify(scheme, TD_SIG_CURVE_BOUND, key, msg, (td_span){buf, sig.len}),
                     TD_ALERT_DECRYPT_ERROR);
    if (msg.len) {
        td_span shorter = {msg.p, msg.len - 1};
        ck_assert_int_eq(td_sig_verify(scheme, TD_SIG_CURVE_BOUND, key, shorter, sig),
                         TD_ALERT_DECRYPT_ERROR);
    }
}

/* RFC 8448 section 3: the server's CertificateVerify (rsa_pss_rsae_sha256)
 * over the RFC 8446 4.4.3 content, with the key of the trace's
 * Certificate. */
START_TEST(test_sig_trace_certificate_verify)
{
    static const char context[] = "TLS 1.3, server CertificateVerify";
    uint8_t content[64 + sizeof context + 32], buf[256];
    td_span cert_msg, cv_msg, cert, sig;
    td_key key;
    td_vec v;
    td_rd r;
    uint32_t n;
    uint16_t alg, sig_len;
    uint8_t u8;
    size_t i;

    no_world();
    vec_load("tls13/s3-1rtt.vec", &v);
    /* Certificate: 0b len24 | context<0..255> = 00 | list len24 | cert_data
     * len24 | the certificate ... (RFC 8446 4.4.2) */
    cert_msg = vget(&v, "server", "handshake", "certificate", "message", 0);
    td_rd_init_span(&r, cert_msg);
    ck_assert_int_eq(td_rd_u8(&r, &u8), TD_OK);
    ck_assert_int_eq(td_rd_u24(&r, &n), TD_OK);
    ck_assert_int_eq(td_rd_u8(&r, &u8), TD_OK);
    ck_assert_int_eq(td_rd_u24(&r, &n), TD_OK);
    ck_assert_int_eq(td_rd_u24(&r, &n), TD_OK);
    ck_assert_int_eq(td_rd_span(&r, n, &cert), TD_OK);
    ck_assert_int_eq(td_key_from_cert(cert, &key), TD_OK);
    ck_assert_int_eq(key.type, TD_KEY_RSA);
    /* s2-keys.vec: a 128-byte modulus */
    ck_assert_uint_eq(key.bits, 1024);
    /* CertificateVerify: 0f len24 | algorithm 0804 | signature<0..2^16-1> */
    cv_msg = vget(&v, "server", "handshake", "certificate_verify", "message",
                  0);
    td_rd_init_span(&r, cv_msg);
    ck_assert_int_eq(td_rd_u8(&r, &u8), TD_OK);
    ck_assert_int_eq(td_rd_u24(&r, &n), TD_OK);
    ck_assert_int_eq(td_rd_u16(&r, &alg), TD_OK);
    ck_assert_uint_eq(alg, 0x0804);
    ck_assert_int_eq(td_rd_u16(&r, &sig_len), TD_OK);
    ck_assert_int_eq(td_rd_span(&r, sig_len, &sig), TD_OK);
    /* RFC 8446 4.4.3: 64 spaces, the context string, a zero byte, and
     * Transcript-Hash(ClientHello .. Certificate) */
    memset(content, 0x20, 64);
    memcpy(content + 64, context, sizeof context); /* with its NUL */
    transcript(&v, s3_ch_cert, N(s3_ch_cert), TD_HASH_SHA256,
               content + 64 + sizeof context);
    ck_assert_int_eq(td_sig_verify(0x0804, TD_SIG_CURVE_BOUND, &key,
                                   (td_span){content, sizeof content}, sig),
                     TD_OK);
    /* any flipped byte of the signature: decrypt_error (RFC 8446 4.4.3) */
    ck_assert_uint_eq(sig.len, sizeof buf / 2);
    memcpy(buf, sig.p, sig.len);
    for (i = 0; i < sig.len; i++) {
        buf[i] ^= 0x20;
        ck_assert_int_eq(td_sig_verify(0x0804, TD_SIG_CURVE_BOUND, &key,
                                       (td_span){content, sizeof content},
                                       (td_span){buf, sig.len}),
                         TD_ALERT_DECRYPT_ERROR);
        buf[i] ^= 0x20;
    }
    /* the client's context string instead of the server's */
    content[64 + 11] = 'c';
    ck_assert_int_eq(td_sig_verify(0x0804, TD_SIG_CURVE_BOUND, &key,
                                   (td_span){content, sizeof content}, sig),
                     TD_ALERT_DECRYPT_ERROR);
    /* RFC 8446 4.2.3: PSS with SHA-512 needs emLen >= 2*64 + 2 = 130 >
     * 128; and ECDSA does not fit an RSA key: illegal_parameter */
    ck_assert_int_eq(td_sig_verify(0x0806, TD_SIG_CURVE_BOUND, &key,
                                   (td_span){content, sizeof content}, sig),
                     TD_ALERT_ILLEGAL_PARAMETER);
    ck_assert_int_eq(td_sig_verify(0x0403, TD_SIG_CURVE_BOUND, &key,
                                   (td_span){content, sizeof content}, sig),
                     TD_ALERT_ILLEGAL_PARAMETER);
    ck_assert_int_eq(td_sig_verify(0x0203, TD_SIG_CURVE_BOUND, &key,
                                   (td_span){content, sizeof content}, sig),
                     TD_ALERT_ILLEGAL_PARAMETER);
    td_vec_free(&v);
}
END_TEST

/* openssl's signatures by every PKI key (kat/sig.vec): the deterministic
 * ones (PKCS#1 v1.5, Ed25519, and PSS given openssl's salt) must come out
 * byte for byte; all must verify with the certificate's key. */
START_TEST(test_sig_openssl)
{
    uint8_t sig[TD_SIG_MAX_LEN];
    size_t i, len, made = 0, checked = 0;
    td_span msg;
    td_vec v;

    no_world();
    vec_load("kat/sig.vec", &v);
    msg = kat(&v, "sig", "message", "data");
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        uint16_t scheme = scheme_of(e->field);
        td_key priv, pub;
        char salt_field[40];
        td_span salt = {NULL, 0};

        if (strcmp(e->kind, "sig") || !scheme)
            continue;
        load_pki_private(e->name, &priv);
        load_pki_public(e->name, &pub);
        ck_assert_msg(td_sig_verify(scheme, TD_SIG_CURVE_BOUND, &pub, msg, td_vec_span(e)) ==
                          TD_OK,
                      "%s %s from openssl", e->name, e->field);
        sig_flips(scheme, &pub, msg, td_vec_span(e));
        checked++;
        if (scheme == 0x0403 || scheme == 0x0503)
            continue; /* openssl's nonce is random */
        if (scheme >= 0x0804 && scheme <= 0x0806) {
            snprintf(salt_field, sizeof salt_field, "%s_salt", e->field);
            salt = kat(&v, "sig", e->name, salt_field);
        }
        ck_assert_int_eq(td_sig_sign(scheme, TD_SIG_CURVE_BOUND, &priv, msg, salt, sig, &len),
                         TD_OK);
        bytes_eq(sig, len, td_vec_span(e), e->field);
        made++;
    }
    /* 5 RSA keys x 6 schemes, 3 ECDSA keys, 1 Ed25519 key */
    ck_assert_uint_eq(checked, 34);
    ck_assert_uint_eq(made, 31);
    td_vec_free(&v);
}
END_TEST

/* RFC 6979 A.2.5 and A.2.6: the deterministic nonce reproduces the RFC's
 * (r, s) for "sample", each curve with its own hash (the TLS 1.3 schemes)
 * and with the other one (TLS 1.2, where the scheme names only the hash:
 * td_crypto.h). The cross pairs exercise both sides of bits2int (2.3.2):
 * SHA-384 on P-256 truncated, SHA-256 on P-384 padded, and T built from
 * two HMAC outputs (3.2 h.2). */
START_TEST(test_sig_rfc6979)
{
    static const struct {
        const char *name;
        uint16_t scheme, group;
        td_sig_curve curve;
    } cases[] = {{"rfc6979_p256", 0x0403, 0x0017, TD_SIG_CURVE_BOUND},
                 {"rfc6979_p384", 0x0503, 0x0018, TD_SIG_CURVE_BOUND},
                 {"rfc6979_p256_sha384", 0x0503, 0x0017, TD_SIG_CURVE_FREE},
                 {"rfc6979_p384_sha256", 0x0403, 0x0018, TD_SIG_CURVE_FREE}};
    uint8_t sig[TD_SIG_MAX_LEN], pub[TD_KX_MAX_PUB_LEN];
    td_span none = {NULL, 0};
    size_t i, len;
    td_vec v;

    no_world();
    vec_load("kat/rfc6979.vec", &v);
    for (i = 0; i < N(cases); i++) {
        td_span msg = kat(&v, "sig", cases[i].name, "message");
        td_key key;

        ck_assert_int_eq(td_key_load_private(
                             kat(&v, "sig", cases[i].name, "pkcs8"), &key),
                         TD_OK);
        ck_assert_int_eq(td_sig_sign(cases[i].scheme, cases[i].curve, &key, msg, none, sig,
                                     &len),
                         TD_OK);
        bytes_eq(sig, len, kat(&v, "sig", cases[i].name, "signature"),
                 cases[i].name);
        ck_assert_int_eq(td_sig_verify(cases[i].scheme, cases[i].curve, &key, msg,
                                       (td_span){sig, len}),
                         TD_OK);
        if (cases[i].curve == TD_SIG_CURVE_BOUND)
            sig_flips(cases[i].scheme, &key, msg, (td_span){sig, len});
        else /* RFC 8446 4.2.3: in TLS 1.3 the scheme names the other curve */
            ck_assert_int_eq(td_sig_verify(cases[i].scheme, TD_SIG_CURVE_BOUND, &key, msg,
                                           (td_span){sig, len}),
                             TD_ALERT_ILLEGAL_PARAMETER);
        /* the RFC's public key U = xG, through the ECDH path */
        ck_assert_int_eq(td_kx_public(cases[i].group,
                                      kat(&v, "sig", cases[i].name, "x"), pub),
                         TD_OK);
        bytes_eq(pub, td_kx_pub_len(cases[i].group),
                 kat(&v, "sig", cases[i].name, "public"), cases[i].name);
    }
    td_vec_free(&v);
}
END_TEST

/* td_crypto.h: without the curve tie an ECDSA scheme fits either curve;
 * the RSA and Ed25519 schemes fit the same keys both ways. */
START_TEST(test_sig_curve_free_fit)
{
    size_t i, j;

    no_world();
    for (i = 0; i < N(pki_keys); i++) {
        td_key pub;

        load_pki_public(pki_keys[i].name, &pub);
        for (j = 0; j < N(all_schemes); j++) {
            uint16_t s = all_schemes[j];
            int ecdsa = s == 0x0403 || s == 0x0503;
            int ec_key = pub.type == TD_KEY_EC_P256 || pub.type == TD_KEY_EC_P384;

            if (ecdsa)
                ck_assert_int_eq(td_sig_fits_key(s, TD_SIG_CURVE_FREE, &pub), ec_key);
            else
                ck_assert_int_eq(td_sig_fits_key(s, TD_SIG_CURVE_FREE, &pub),
                                 td_sig_fits_key(s, TD_SIG_CURVE_BOUND, &pub));
        }
    }
}
END_TEST

/* Every key with every scheme: the ones that fit sign, the same bytes
 * twice, and verify with the certificate's key; the others are refused. */
START_TEST(test_sig_every_key)
{
    uint8_t sig[TD_SIG_MAX_LEN], sig2[TD_SIG_MAX_LEN], salt[64];
    size_t i, j, len, len2;
    td_span msg = {(const uint8_t *)"tlsdiff", 7};

    no_world();
    for (i = 0; i < sizeof salt; i++)
        salt[i] = (uint8_t)(0x40 + i);
    for (i = 0; i < N(pki_keys); i++) {
        td_key priv, pub;

        load_pki_private(pki_keys[i].name, &priv);
        load_pki_public(pki_keys[i].name, &pub);
        for (j = 0; j < N(all_schemes); j++) {
            uint16_t s = all_schemes[j];
            int pss = s >= 0x0804 && s <= 0x0806;
            td_span rnd = {salt, pss ? (s == 0x0804 ? 32 : s == 0x0805 ? 48 : 64)
                                     : 0};

            ck_assert(td_sig_supported(s));
            ck_assert_int_eq(td_sig_fits_key(s, TD_SIG_CURVE_BOUND, &priv), td_sig_fits_key(s, TD_SIG_CURVE_BOUND, &pub));
            if (!td_sig_fits_key(s, TD_SIG_CURVE_BOUND, &priv)) {
                ck_assert_int_eq(td_sig_sign(s, TD_SIG_CURVE_BOUND, &priv, msg, rnd, sig, &len),
                                 TD_ERR_INTERNAL);
                ck_assert_int_eq(td_sig_verify(s, TD_SIG_CURVE_BOUND, &pub, msg,
                                               (td_span){sig, 64}),
                                 TD_ALERT_ILLEGAL_PARAMETER);
                continue;
            }
            ck_assert_int_eq(td_sig_sign(s, TD_SIG_CURVE_BOUND, &priv, msg, rnd, sig, &len), TD_OK);
            ck_assert_int_eq(td_sig_sign(s, TD_SIG_CURVE_BOUND, &priv, msg, rnd, sig2, &len2),
                             TD_OK);
            ck_assert_uint_eq(len, len2);
            ck_assert_mem_eq(sig, sig2, len);
            ck_assert_int_eq(td_sig_verify(s, TD_SIG_CURVE_BOUND, &pub, msg, (td_span){sig, len}),
                             TD_OK);
            /* the private key verifies too */
            ck_assert_int_eq(td_sig_verify(s, TD_SIG_CURVE_BOUND, &priv, msg, (td_span){sig, len}),
                             TD_OK);
            sig_flips(s, &pub, msg, (td_span){sig, len});
            if (pss) {
                /* another salt, another signature, still valid */
                salt[0] ^= 1;
                ck_assert_int_eq(td_sig_sign(s, TD_SIG_CURVE_BOUND, &priv, msg, rnd, sig2, &len2),
                                 TD_OK);
                salt[0] ^= 1;
                ck_assert(memcmp(sig, sig2, len) != 0);
                ck_assert_int_eq(td_sig_verify(s, TD_SIG_CURVE_BOUND, &pub, msg,
                                               (td_span){sig2, len2}),
                                 TD_OK);
                /* RFC 8446 4.2.3: the salt is the digest length */
                rnd.len--;
                ck_assert_int_eq(td_sig_sign(s, TD_SIG_CURVE_BOUND, &priv, msg, rnd, sig, &len),
                                 TD_ERR_INTERNAL);
            }
        }
        /* a public key cannot sign */
        ck_assert_int_eq(td_sig_sign(all_schemes[0], TD_SIG_CURVE_BOUND, &pub, msg,
                                     (td_span){NULL, 0}, sig, &len),
                         TD_ERR_INTERNAL);
    }
    ck_assert(!td_sig_supported(0x0203)); /* ecdsa_sha1 */
    ck_assert(!td_sig_supported(0x0809)); /* rsa_pss_pss_sha256 */
}
END_TEST

/* A 512-bit key (kat/rsa.vec, RSAPrivateKey DER): rsa_pkcs1_sha256 fits
 * (k = 64 >= 19 + 32 + 11, RFC 8017 9.2 step 3) and reproduces openssl's
 * signature; SHA-384/512 DigestInfos (78, 94 bytes) and PSS (emLen 64 <
 * 2 * 32 + 2, RFC 8017 9.1.1 step 3) do not fit. */
START_TEST(test_sig_small_rsa)
{
    static const uint16_t too_big[] = {0x0501, 0x0601, 0x0804, 0x0805, 0x0806};
    uint8_t sig[TD_SIG_MAX_LEN], salt[32] = {0};
    td_span msg, want;
    size_t i, len;
    td_key key;
    td_vec v;

    no_world();
    vec_load("kat/rsa.vec", &v);
    ck_assert_int_eq(td_key_load_private(
                         kat(&v, "rsa", "rsa512", "rsa_private_key"), &key),
                     TD_OK);
    ck_assert_int_eq(key.type, TD_KEY_RSA);
    ck_assert_uint_eq(key.bits, 512);
    msg = kat(&v, "rsa", "rsa512", "message");
    want = kat(&v, "rsa", "rsa512", "rsa_pkcs1_sha256");
    ck_assert(td_sig_fits_key(0x0401, TD_SIG_CURVE_BOUND, &key));
    ck_assert_int_eq(td_sig_sign(0x0401, TD_SIG_CURVE_BOUND, &key, msg, (td_span){NULL, 0}, sig,
                                 &len),
                     TD_OK);
    bytes_eq(sig, len, want, "rsa512");
    ck_assert_int_eq(td_sig_verify(0x0401, TD_SIG_CURVE_BOUND, &key, msg, want), TD_OK);
    for (i = 0; i < N(too_big); i++) {
        td_span rnd = {salt, too_big[i] >= 0x0804 ? 32 : 0};
        ck_assert(!td_sig_fits_key(too_big[i], TD_SIG_CURVE_BOUND, &key));
        ck_assert_int_eq(td_sig_sign(too_big[i], TD_SIG_CURVE_BOUND, &key, msg, rnd, sig, &len),
                         TD_ERR_INTERNAL);
        ck_assert_int_eq(td_sig_verify(too_big[i], TD_SIG_CURVE_BOUND, &key, msg, want),
                         TD_ALERT_ILLEGAL_PARAMETER);
    }
    td_vec_free(&v);
}
END_TEST

/* openssl's TLS 1.2 signatures: ServerKeyExchange (client_random +
 * server_random + ServerECDHParams, RFC 8422 5.4 / RFC 5246 7.4.3) and the
 * client's CertificateVerify (all handshake messages before it, RFC 5246
 * 7.4.8). */
static void verify_tls12(const char *file, const char *signer,
                         const msg_ref *signed_msgs, size_t n_signed)
{
    uint8_t content[4096];
    td_span ch, sh, body;
    size_t len = 0, i;
    td_key key;
    td_vec v;
    td_rd r;
    uint16_t alg, sig_len;
    td_span sig, params;

    vec_load(file, &v);
    load_pki_public(signer, &key);
    if (!signed_msgs) {
        /* ServerKeyExchange: header(4) | ServerECDHParams = curve_type(1)
         * named_curve(2) point<1..255> | algorithm(2) | signature<..> */
        ch = vget(&v, "client", "handshake", "client_hello", "message", 0);
        sh = vget(&v, "server", "handshake", "server_hello", "message", 0);
        body = vget(&v, "server", "handshake", "server_key_exchange", "message",
                    0);
        /* the randoms follow header(4) and version(2) (RFC 5246 7.4.1.2) */
        memcpy(content, ch.p + 6, 32);
        memcpy(content + 32, sh.p + 6, 32);
        len = 64;
        td_rd_init(&r, body.p + 4, body.len - 4);
        ck_assert_int_eq(td_rd_span(&r, 3 + 1 + body.p[4 + 3], &params), TD_OK);
        memcpy(content + len, params.p, params.len);
        len += params.len;
    } else {
        for (i = 0; i < n_signed; i++) {
            td_span m = vget(&v, signed_msgs[i].side, "handshake",
                             signed_msgs[i].name, "message",
                             signed_msgs[i].nth);
            ck_assert_uint_le(len + m.len, sizeof content);
            memcpy(content + len, m.p, m.len);
            len += m.len;
        }
        body = vget(&v, "client", "handshake", "certificate_verify", "message",
                    0);
        td_rd_init(&r, body.p + 4, body.len - 4);
    }
    ck_assert_int_eq(td_rd_u16(&r, &alg), TD_OK);
    ck_assert_int_eq(td_rd_u16(&r, &sig_len), TD_OK);
    ck_assert_int_eq(td_rd_span(&r, sig_len, &sig), TD_OK);
    ck_assert_uint_eq(td_rd_left(&r), 0);
    ck_assert_msg(td_sig_verify(alg, TD_SIG_CURVE_BOUND, &key, (td_span){content, len}, sig) ==
                      TD_OK,
                  "%s: %04x", file, alg);
    sig_flips(alg, &key, (td_span){content, len}, sig);
    td_vec_free(&v);
}

START_TEST(test_sig_tls12_captures)
{
    static const msg_ref before_cv[] = {
        {"client", "client_hello", 0},     {"server", "server_hello", 0},
        {"server", "certificate", 0},      {"server", "server_key_exchange", 0},
        {"server", "certificate_request", 0},
        {"server", "server_hello_done", 0}, {"client", "certificate", 0},
        {"client", "client_key_exchange", 0}};

    no_world();
    verify_tls12("tls12/ecdhe-rsa-chacha20.vec", "server-rsa2048", NULL, 0);
    verify_tls12("tls12/ecdhe-ecdsa-aes128-gcm.vec", "server-p256", NULL, 0);
    verify_tls12("tls12/client-auth.vec", "client-p256", before_cv,
                 N(before_cv));
}
END_TEST

/* ------------------------------------------------------------------------
 * RSA key transport
 * ------------------------------------------------------------------------ */

START_TEST(test_rsa_transport)
{
    static const char *const broken[] = {"bad_leading_byte", "bad_block_type",
                                         "zero_in_ps", "no_separator",
                                         "short_message"};
    uint8_t out[48], c[256], ff[257];
    td_span pms, cke;
    td_key priv, pub;
    unsigned ok;
    size_t i, len;
    td_vec v;

    no_world();
    load_pki_private("server-rsa2048", &priv);
    load_pki_public("server-rsa2048", &pub);
    vec_load("kat/rsa.vec", &v);
    pms = kat(&v, "rsa", "premaster", "data");
    /* openssl pkeyutl -encrypt (random padding) */
    ok = 7;
    ck_assert_int_eq(td_rsa_decrypt_premaster(
                         &priv, kat(&v, "rsa", "openssl_pkcs1", "ciphertext"),
                         out, &ok),
                     TD_OK);
    ck_assert_uint_eq(ok, 1);
    bytes_eq(out, 48, pms, "openssl ciphertext");
    /* the caller's padding bytes, zeros skipped (RFC 8017 7.2.1 step 2),
     * give the ciphertext openssl computed for that block */
    ck_assert_int_eq(td_rsa_encrypt(&pub, pms,
                                    kat(&v, "rsa", "given_padding", "padding"),
                                    c, &len),
                     TD_OK);
    bytes_eq(c, len, kat(&v, "rsa", "given_padding", "ciphertext"),
             "given padding");
    ck_assert_int_eq(td_rsa_decrypt_premaster(&priv, (td_span){c, len}, out,
                                              &ok),
                     TD_OK);
    ck_assert_uint_eq(ok, 1);
    bytes_eq(out, 48, pms, "round trip");
    /* a ciphertext with n's first byte is still below n (RFC 8017 5.1.2) */
    ok = 7;
    ck_assert_int_eq(td_rsa_decrypt_premaster(
                         &priv, kat(&v, "rsa", "close_to_n", "ciphertext"),
                         out, &ok),
                     TD_OK);
    ck_assert_uint_eq(ok, 1);
    bytes_eq(out, 48, pms, "close to n");
    /* RFC 5246 7.4.7.1: a bad block is no error, only ok = 0 */
    for (i = 0; i < N(broken); i++) {
        ok = 7;
        ck_assert_int_eq(td_rsa_decrypt_premaster(
                             &priv, kat(&v, "rsa", broken[i], "ciphertext"),
                             out, &ok),
                         TD_OK);
        ck_assert_msg(ok == 0, "%s accepted", broken[i]);
    }
    /* RFC 8017 7.2.2 step 1: not k octets; and c >= n (RFC 8017 5.1.2) */
    memset(ff, 0xff, sizeof ff);
    for (i = 0; i <= sizeof ff; i += (i == 0 || i >= 255) ? 1 : 85) {
        ok = 7;
        ck_assert_int_eq(td_rsa_decrypt_premaster(&priv, (td_span){ff, i}, out,
                                                  &ok),
                         TD_OK);
        ck_assert_uint_eq(ok, 0);
    }
    ck_assert_int_eq(td_rsa_decrypt_premaster(&priv, (td_span){NULL, 0}, out,
                                              &ok),
                     TD_OK);
    ck_assert_uint_eq(ok, 0);
    /* RFC 8017 7.2.1 step 1: "message too long" past k - 11 */
    ck_assert_int_eq(td_rsa_encrypt(&pub, (td_span){ff, 246},
                                    kat(&v, "rsa", "given_padding", "padding"),
                                    c, &len),
                     TD_ERR_CRYPTO);
    ck_assert_int_eq(td_rsa_encrypt(&pub, (td_span){ff, 245},
                                    kat(&v, "rsa", "given_padding", "padding"),
                                    c, &len),
                     TD_OK);
    /* too few padding bytes */
    ck_assert_int_eq(td_rsa_encrypt(&pub, pms, (td_span){ff, 200}, c, &len),
                     TD_ERR_CRYPTO);
    /* key problems: a public key cannot decrypt, an EC key cannot encrypt */
    ck_assert_int_eq(td_rsa_decrypt_premaster(&pub, (td_span){c, 256}, out,
                                              &ok),
                     TD_ERR_CRYPTO);
    load_pki_public("server-p256", &pub);
    ck_assert_int_eq(td_rsa_encrypt(&pub, pms, (td_span){ff, 256}, c, &len),
                     TD_ERR_CRYPTO);
    td_vec_free(&v);

    /* openssl's TLS 1.2 ClientKeyExchange (EncryptedPreMasterSecret with
     * its uint16 length, RFC 5246 7.4.7.1) */
    vec_load("tls12/rsa-aes128-gcm.vec", &v);
    cke = vget(&v, "client", "handshake", "client_key_exchange", "message", 0);
    ck_assert_uint_eq(cke.len, 4 + 2 + 256);
    ck_assert_int_eq(td_rsa_decrypt_premaster(
                         &priv, (td_span){cke.p + 6, 256}, out, &ok),
                     TD_OK);
    ck_assert_uint_eq(ok, 1);
    bytes_eq(out, 48,
             vget(&v, "client", "kdf", "pre_master_secret", "secret", 0),
             "captured premaster");
    td_vec_free(&v);
}
END_TEST

/* ------------------------------------------------------------------------
 * No randomness drawn, no world needed
 * ------------------------------------------------------------------------ */

static void random_users(uint8_t *rsa_sig, uint8_t *ec_sig, uint8_t *shared,
                         unsigned *ok)
{
    td_span msg = {(const uint8_t *)"tlsdiff", 7}, none = {NULL, 0};
    uint8_t pub[65], out[48], a[32] = {0}, b[32] = {0}, c[256], pad[256];
    td_key rsa, rsa_pub, ec;
    size_t len;

    a[31] = 2;
    b[31] = 3;
    memset(out, 0x03, sizeof out);
    memset(pad, 0x33, sizeof pad);
    load_pki_private("server-rsa2048", &rsa);
    load_pki_public("server-rsa2048", &rsa_pub);
    load_pki_private("server-p256", &ec);
    ck_assert_int_eq(td_sig_sign(0x0401, TD_SIG_CURVE_BOUND, &rsa, msg, none, rsa_sig, &len),
                     TD_OK);
    ck_assert_int_eq(td_sig_sign(0x0403, TD_SIG_CURVE_BOUND, &ec, msg, none, ec_sig, &len), TD_OK);
    ck_assert_int_eq(td_kx_public(0x0017, (td_span){b, 32}, pub), TD_OK);
    ck_assert_int_eq(td_kx_shared(0x0017, (td_span){a, 32},
                                  (td_span){pub, 65}, shared),
                     TD_OK);
    ck_assert_int_eq(td_rsa_encrypt(&rsa_pub, (td_span){out, 48},
                                    (td_span){pad, 256}, c, &len),
                     TD_OK);
    ck_assert_int_eq(td_rsa_decrypt_premaster(&rsa, (td_span){c, len}, out, ok),
                     TD_OK);
}

START_TEST(test_no_world)
{
    uint8_t s1[TD_SIG_MAX_LEN], e1[TD_SIG_MAX_LEN], x1[32];
    uint8_t s2[TD_SIG_MAX_LEN], e2[TD_SIG_MAX_LEN], x2[32];
    unsigned ok1 = 0, ok2 = 0;
    td_binding prev;
    td_world w;
    int p;
    uint64_t drawn[TD_PARTY_COUNT];

    /* with no world bound: wolfSSL's RNG hook would abort on a draw */
    no_world();
    memset(s1, 0, sizeof s1);
    memset(e1, 0, sizeof e1);
    random_users(s1, e1, x1, &ok1);
    ck_assert_uint_eq(ok1, 1);
    ck_assert_ptr_null(td_world_bound().world);

    /* with a world bound: its streams are not drawn from, the binding
     * survives, and the results are the same */
    td_world_init(&w, 42);
    prev = td_world_bind(&w, TD_PARTY_SERVER);
    for (p = 0; p < TD_PARTY_COUNT; p++)
        drawn[p] = w.rng[p].drawn;
    memset(s2, 0, sizeof s2);
    memset(e2, 0, sizeof e2);
    random_users(s2, e2, x2, &ok2);
    ck_assert_ptr_eq(td_world_bound().world, &w);
    ck_assert_int_eq(td_world_bound().party, TD_PARTY_SERVER);
    for (p = 0; p < TD_PARTY_COUNT; p++)
        ck_assert_uint_eq(w.rng[p].drawn, drawn[p]);
    td_world_restore(prev);
    td_world_free(&w);
    ck_assert_mem_eq(s1, s2, sizeof s1);
    ck_assert_mem_eq(e1, e2, sizeof e1);
    ck_assert_mem_eq(x1, x2, sizeof x1);
    ck_assert_uint_eq(ok2, 1);
}
END_TEST

START_TEST(test_secure_zero)
{
    uint8_t b[33];

    memset(b, 0x5a, sizeof b);
    td_secure_zero(b, sizeof b - 1);
    ck_assert(all_zero(b, sizeof b - 1));
    ck_assert_uint_eq(b[32], 0x5a);
}
END_TEST

Suite *td_crypto_suite(void)
{
    Suite *s = suite_create("crypto");
    TCase *tc;

    tc = tcase_create("hash");
    tcase_add_test(tc, test_hash_kat);
    tcase_add_test(tc, test_hash_transcript);
    tcase_add_test(tc, test_hash_bounds);
    suite_add_tcase(s, tc);

    tc = tcase_create("hmac_hkdf_prf");
    tcase_add_test(tc, test_hmac_kat);
    tcase_add_test(tc, test_hmac_finished);
    tcase_add_test(tc, test_hkdf_traces);
    tcase_add_test(tc, test_hkdf_kat);
    tcase_add_test(tc, test_hkdf_bounds);
    tcase_add_test(tc, test_prf_kat);
    tcase_add_test(tc, test_prf_tls12_capture);
    suite_add_tcase(s, tc);

    tc = tcase_create("aead");
    tcase_add_test(tc, test_aead_trace_records);
    tcase_add_test(tc, test_aead_kat);
    tcase_add_test(tc, test_aead_bounds);
    suite_add_tcase(s, tc);

    tc = tcase_create("kx");
    tcase_add_test(tc, test_kx_x25519);
    tcase_add_test(tc, test_kx_p256);
    tcase_add_test(tc, test_kx_p384);
    suite_add_tcase(s, tc);

    tc = tcase_create("keys");
    tcase_add_test(tc, test_keys_pki);
    tcase_add_test(tc, test_keys_bad);
    suite_add_tcase(s, tc);

    tc = tcase_create("sig");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_sig_trace_certificate_verify);
    tcase_add_test(tc, test_sig_openssl);
    tcase_add_test(tc, test_sig_rfc6979);
    tcase_add_test(tc, test_sig_curve_free_fit);
    tcase_add_test(tc, test_sig_every_key);
    tcase_add_test(tc, test_sig_small_rsa);
    tcase_add_test(tc, test_sig_tls12_captures);
    suite_add_tcase(s, tc);

    tc = tcase_create("rsa_transport");
    tcase_add_test(tc, test_rsa_transport);
    suite_add_tcase(s, tc);

    tc = tcase_create("determinism");
    tcase_add_test(tc, test_no_world);
    tcase_add_test(tc, test_secure_zero);
    suite_add_tcase(s, tc);
    return s;
}
