/*
 * The mutator's test keys and certificate pool (td_x509_mutate_impl.h),
 * loaded once from vectors/: the private keys (vectors/pki *.key.pem,
 * vectors/x509/keys; X25519 and P-521 do not load and are skipped), each
 * matched to the SubjectPublicKeyInfo it appears under in the test PKI,
 * the crafted chains' anchors and the chains themselves. A match is a
 * signature: each key signs a probe message once and the key of each
 * certificate verifies it (for RSA only where the private key holds the
 * certificate's modulus, which spares the rest). The pool is vectors/pki's
 * certificates (chain-add, and issuers by name) and the anchors.
 *
 * td_xm_sign signs for the edits, with a cache.
 */
#include "td_x509_mutate_impl.h"

#include "td_profile.h" /* td_vectors_path */

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#define MAX_KEYS 40u
#define MAX_POOL 24u


static struct {
    int ready;
    td_xm_key keys[MAX_KEYS];
    size_t n_keys;
    uint8_t pool_store[48 * 1024];
    size_t pool_used;
    td_span pool_der[MAX_POOL];
    td_x509_cert pool[MAX_POOL];
    int pool_pki[MAX_POOL];
    size_t n_pool;
    td_span intermediate; /* vectors/pki/intermediate-ca (raw mode) */
} g;

size_t td_xm_n_keys(void)
{
    return g.n_keys;
}

const td_xm_key *td_xm_key_at(size_t i)
{
    return &g.keys[i];
}

size_t td_xm_n_pool(void)
{
    return g.n_pool;
}

const td_x509_cert *td_xm_pool_at(size_t i)
{
    return &g.pool[i];
}

int td_xm_pool_is_pki(size_t i)
{
    return g.pool_pki[i];
}

td_span td_xm_pki_intermediate(void)
{
    return g.intermediate;
}

static int span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

int td_xm_key_for_spki(td_span spki)
{
    size_t i, j;

    for (i = 0; i < g.n_keys; i++)
        for (j = 0; j < g.keys[i].n_spki; j++)
            if (span_eq(g.keys[i].spki[j], spki))
                return (int)i;
    return -1;
}

/* rsaEncryption */
static const uint8_t oid_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};

/* The td_key_type of a certificate's key, and its SPKI as td_crypto
 * loads it (an id-RSASSA-PSS key rewrapped as rsaEncryption, as
 * td_x509_verify.c does). TD_KEY_NONE for the others. */
static td_key_type public_key(const td_x509_cert *c, uint8_t *buf, size_t cap, td_span *spki)
{
    td_wr w;
    td_wr_mark outer, alg, bits;

    *spki = c->spki;
    switch (c->key) {
    case TD_X509_KEY_RSA:
        return TD_KEY_RSA;
    case TD_X509_KEY_EC_P256:
        return TD_KEY_EC_P256;
    case TD_X509_KEY_EC_P384:
        return TD_KEY_EC_P384;
    case TD_X509_KEY_ED25519:
        return TD_KEY_ED25519;
    case TD_X509_KEY_RSA_PSS:
        td_wr_init(&w, buf, cap);
        if (td_der_open(&w, TD_DER_SEQUENCE, &outer) != TD_OK ||
            td_der_open(&w, TD_DER_SEQUENCE, &alg) != TD_OK ||
            td_der_write(&w, TD_DER_OID, (td_span){oid_rsa, sizeof oid_rsa}) != TD_OK ||
            td_der_write(&w, TD_DER_NULL, (td_span){NULL, 0}) != TD_OK ||
            td_der_close(&w, &alg) != TD_OK ||
            td_der_open(&w, TD_DER_BIT_STRING, &bits) != TD_OK || td_wr_u8(&w, 0) != TD_OK ||
            td_wr_span(&w, c->key_bits) != TD_OK || td_der_close(&w, &bits) != TD_OK ||
            td_der_close(&w, &outer) != TD_OK || td_wr_finish(&w, spki) != TD_OK)
            return TD_KEY_NONE;
        return TD_KEY_RSA;
    default:
        return TD_KEY_NONE;
    }
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static int rsa_modulus(td_span key_bits, td_span *n)
{
    td_rd rd, in;
    td_span body;

    td_rd_init_span(&rd, key_bits);
    if (td_der_expect(&rd, TD_DER_SEQUENCE, &body, NULL) != TD_DER_OK)
        return 0;
    td_rd_init_span(&in, body);
    return td_der_expect(&in, TD_DER_INTEGER, n, NULL) == TD_DER_OK && n->len >= 64;
}

static int contains(const uint8_t *hay, size_t len, td_span needle)
{
    size_t i;

    for (i = 0; needle.len > 0 && i + needle.len <= len; i++)
        if (hay[i] == needle.p[0] && memcmp(hay + i, needle.p, needle.len) == 0)
            return 1;
    return 0;
}

static uint16_t probe_scheme(td_key_type t)
{
    return t == TD_KEY_RSA        ? 0x0401
           : t == TD_KEY_EC_P256  ? 0x0403
           : t == TD_KEY_EC_P384  ? 0x0503
                                  : 0x0807;
}

static const uint8_t probe_msg[] = "tlsdiff x509 mutator key probe";

/* Attach the certificate's SPKI to the key that made probe[k]. */
static void match_cert(const td_x509_cert *c, uint8_t probe[][TD_SIG_MAX_LEN],
                       const size_t *probe_len)
{
    static uint8_t buf[TD_KEY_MAX_DER];
    static td_key pub;
    td_span spki;
    td_key_type t = public_key(c, buf, sizeof buf, &spki);
    size_t k;

    td_span modulus = {NULL, 0};

    if (t == TD_KEY_NONE || td_xm_key_for_spki(c->spki) >= 0 || c->spki.len > TD_KEY_MAX_DER)
        return;
    if (t == TD_KEY_RSA && !rsa_modulus(c->key_bits, &modulus))
        return;
    if (td_key_from_spki(spki, t, &pub) != TD_OK)
        return;
    for (k = 0; k < g.n_keys; k++) {
        td_xm_key *key = &g.keys[k];

        /* an RSA private key holds its modulus: skip the signature test
         * (a private-key operation) for every other key */
        if (key->key.type != t || key->n_spki >= 2 ||
            (t == TD_KEY_RSA && !contains(key->key.der, key->key.der_len, modulus)) ||
            td_sig_verify(probe_scheme(t), TD_SIG_CURVE_FREE, &pub,
                          (td_span){probe_msg, sizeof probe_msg},
                          (td_span){probe[k], probe_len[k]}) != TD_OK)
            continue;
        memcpy(key->spki_buf[key->n_spki], c->spki.p, c->spki.len);
        key->spki[key->n_spki] = (td_span){key->spki_buf[key->n_spki], c->spki.len};
        key->n_spki++;
        return;
    }
}

/* File names in vectors/<dir> ending in suffix, sorted (determinism). */
static size_t list_dir(const char *dir, const char *suffix, char names[][64], size_t max)
{
    char path[1024];
    DIR *d;
    struct dirent *e;
    size_t n = 0, i, j, sl = strlen(suffix);

    if (td_vectors_path(dir, path, sizeof path) != TD_OK || (d = opendir(path)) == NULL)
        return 0;
    while ((e = readdir(d)) != NULL && n < max) {
        size_t len = strlen(e->d_name);

        if (len <= sl || len >= 64 || strcmp(e->d_name + len - sl, suffix) != 0)
            continue;
        memcpy(names[n++], e->d_name, len + 1);
    }
    closedir(d);
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[64];

            memcpy(t, names[j], 64);
            memcpy(names[j], names[j - 1], 64);
            memcpy(names[j - 1], t, 64);
        }
    return n;
}

static void load_keys(const char *dir, const char *suffix)
{
    static char names[64][64];
    static uint8_t text[16 * 1024];
    size_t n = list_dir(dir, suffix, names, 64), i, len;

    for (i = 0; i < n && g.n_keys < MAX_KEYS; i++) {
        char rel[160];
        td_xm_key *k = &g.keys[g.n_keys];

        snprintf(rel, sizeof rel, "%s/%s", dir, names[i]);
        if (td_xin_read_file(rel, text, sizeof text, &len) != TD_OK ||
            td_key_load_private((td_span){text, len}, &k->key) != TD_OK)
            continue; /* X25519, P-521, ...: not a signing key here */
        snprintf(k->name, sizeof k->name, "%s", names[i]);
        g.n_keys++;
    }
}

/* The certificates of one file through match_cert (and into the pool
 * when pool_pki >= 0). */
static void scan_file(const char *rel, uint8_t probe[][TD_SIG_MAX_LEN], const size_t *probe_len,
                      int pool_pki)
{
    static uint8_t store[64 * 1024];
    static td_x509_cert c;
    td_span certs[16];
    size_t n = 0, used = 0, i;

    if (td_xin_load_certs(rel, store, sizeof store, &used, certs, 16, &n) != TD_OK)
        return;
    for (i = 0; i < n; i++) {
        if (td_x509_decode(certs[i], &c) != TD_X509_OK)
            continue;
        match_cert(&c, probe, probe_len);
        if (pool_pki >= 0 && g.n_pool < MAX_POOL &&
            certs[i].len <= sizeof g.pool_store - g.pool_used) {
            td_span der = {g.pool_store + g.pool_used, certs[i].len};

            memcpy(g.pool_store + g.pool_used, certs[i].p, certs[i].len);
            g.pool_used += certs[i].len;
            g.pool_der[g.n_pool] = der;
            if (td_x509_decode(der, &g.pool[g.n_pool]) == TD_X509_OK) {
                if (strcmp(rel, "pki/intermediate-ca.crt.der") == 0)
                    g.intermediate = der;
                g.pool_pki[g.n_pool++] = pool_pki;
            }
        }
    }
}

td_err td_xm_keys_load(void)
{
    static uint8_t probe[MAX_KEYS][TD_SIG_MAX_LEN];
    static size_t probe_len[MAX_KEYS];
    static char names[256][64];
    size_t i, n;

    if (g.ready)
        return TD_OK;
    load_keys("pki", ".key.pem");
    load_keys("x509/keys", ".pem");
    if (g.n_keys == 0)
        return TD_ERR_IO;
    for (i = 0; i < g.n_keys; i++)
        if (td_sig_sign(probe_scheme(g.keys[i].key.type), TD_SIG_CURVE_FREE, &g.keys[i].key,
                        (td_span){probe_msg, sizeof probe_msg}, (td_span){NULL, 0}, probe[i],
                        &probe_len[i]) != TD_OK)
            probe_len[i] = 0;
    n = list_dir("pki", ".crt.der", names, 256);
    for (i = 0; i < n; i++) {
        char rel[160];

        snprintf(rel, sizeof rel, "pki/%s", names[i]);
        scan_file(rel, probe, probe_len, 1);
    }
    n = list_dir("x509/anchors", ".pem", names, 256);
    for (i = 0; i < n; i++) {
        char rel[160];

        snprintf(rel, sizeof rel, "x509/anchors/%s", names[i]);
        scan_file(rel, probe, probe_len, 0);
    }
    n = list_dir("x509/chains", ".pem", names, 256);
    for (i = 0; i < n; i++) {
        char rel[160];

        snprintf(rel, sizeof rel, "x509/chains/%s", names[i]);
        scan_file(rel, probe, probe_len, -1);
    }
    g.ready = 1;
    return TD_OK;
}

/* Signatures already made, by SHA-256 of (key, scheme, salt, TBS): the
 * libFuzzer loop asks for the same edit of the same input again and
 * again, and RSA private-key operations are most of the mutator's time
 * (under the fuzz preset's instrumentation, tens of milliseconds each).
 * Signing is deterministic for given inputs, so a hit changes nothing. */
#define SIG_CACHE 2048u
static struct sig_cached {
    uint8_t digest[32];
    size_t len; /* 0: empty */
    uint8_t sig[TD_SIG_MAX_LEN];
} sig_cache[SIG_CACHE];

static size_t signs_made, signs_cached;

void td_x509_mutate_sign_stats(size_t *made, size_t *cached)
{
    *made = signs_made;
    *cached = signs_cached;
}

td_err td_xm_sign(int k, uint16_t scheme, td_span tbs, td_span salt, uint8_t *sig,
                  size_t *sig_len)
{
    uint8_t head[4] = {(uint8_t)(k >> 8), (uint8_t)k, (uint8_t)(scheme >> 8), (uint8_t)scheme};
    uint8_t digest[TD_HASH_MAX_LEN];
    struct sig_cached *slot;
    td_hash_ctx h;

    TRY(td_hash_init(&h, TD_HASH_SHA256));
    TRY(td_hash_update(&h, (td_span){head, sizeof head}));
    TRY(td_hash_update(&h, salt));
    TRY(td_hash_update(&h, tbs));
    TRY(td_hash_peek(&h, digest));
    slot = &sig_cache[((size_t)digest[0] << 8 | digest[1]) % SIG_CACHE];
    if (slot->len > 0 && memcmp(slot->digest, digest, 32) == 0) {
        memcpy(sig, slot->sig, slot->len);
        *sig_len = slot->len;
        signs_cached++;
        return TD_OK;
    }
    signs_made++;
    TRY(td_sig_sign(scheme, TD_SIG_CURVE_FREE, &g.keys[k].key, tbs, salt, sig, sig_len));
    memcpy(slot->digest, digest, 32);
    memcpy(slot->sig, sig, *sig_len);
    slot->len = *sig_len;
    return TD_OK;
}
