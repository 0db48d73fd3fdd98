/*
 * td_x509_decode / td_x509_encode: certificates of vectors/pki and
 * mutations of them.
 *
 * Where the expected values come from:
 *   - the fields of the test PKI: `openssl x509 -in vectors/pki/N.crt.pem
 *     -noout -text` (OpenSSL 3), read by hand and written down below,
 *     and vectors/pki/README.md (fixed serials, dates, extensions);
 *   - byte patterns: `openssl asn1parse -inform DER -i -in
 *     vectors/pki/server-p256.crt.der`;
 *   - unix times: `date -u -d '2025-01-01' +%s` and the like;
 *   - reasons: the RFC 5280 / X.690 clause named next to each case.
 * Negative tests: every truncation of every certificate, and every DER
 * length field (found by this file's own TLV walk) one larger and one
 * smaller.
 */
#include "td_profile.h" /* td_vectors_dir */
#include "td_x509.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPAN(a) ((td_span){(a), sizeof(a)})
#define HEX_MAX 512

/* notBefore 2025-01-01T00:00:00Z, notAfter 2036-01-01T00:00:00Z
 * (README.md; `date -u -d 2025-01-01 +%s`, `... 2036-01-01 ...`) */
#define NOT_BEFORE 1735689600
#define NOT_AFTER 2082758400

static uint8_t *load(const char *rel, size_t *len)
{
    char path[4096];
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
    buf = malloc((size_t)n + 1); /* one spare octet for the trailing test */
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = 0;
    unsigned v;

    while (h[0] && h[1]) {
        if (h[0] == ' ') {
            h++;
            continue;
        }
        ck_assert_int_eq(sscanf(h, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
        h += 2;
    }
    return n;
}

static int span_is(td_span s, const char *text)
{
    return s.len == strlen(text) && memcmp(s.p, text, s.len) == 0;
}

/* The offset of the only occurrence of hex pattern pat in der. */
static size_t find(const uint8_t *der, size_t len, const char *pat)
{
    uint8_t p[64];
    size_t n = unhex(pat, p), i, at = SIZE_MAX, hits = 0;

    for (i = 0; i + n <= len; i++)
        if (memcmp(der + i, p, n) == 0) {
            at = i;
            hits++;
        }
    ck_assert_msg(hits == 1, "pattern %s found %zu times", pat, hits);
    return at;
}

/* ------------------------------------------------------------------------
 * The test PKI as openssl shows it
 * ------------------------------------------------------------------------ */

enum { EKU_NONE, EKU_SERVER, EKU_CLIENT };

static const struct pki_cert {
    const char *name;
    uint8_t serial[2];
    const char *subject_cn, *issuer_cn;
    int ca_subject; /* O = tlsdiff, CN = ... */
    td_x509_key key;
    int ca, has_path_len;
    unsigned path_len, key_usage;
    int eku, san, aki;
} pki[] = {
    {"root-ca", {0x10, 0x01}, "tlsdiff Test Root CA", "tlsdiff Test Root CA", 1,
     TD_X509_KEY_RSA, 1, 0, 0, TD_X509_KU_KEY_CERT_SIGN | TD_X509_KU_CRL_SIGN, EKU_NONE, 0, 0},
    {"intermediate-ca", {0x10, 0x02}, "tlsdiff Test Intermediate CA", "tlsdiff Test Root CA",
     1, TD_X509_KEY_RSA, 1, 1, 0, TD_X509_KU_KEY_CERT_SIGN | TD_X509_KU_CRL_SIGN, EKU_NONE,
     0, 1},
    {"server-rsa2048", {0x10, 0x03}, "server.tlsdiff.test", "tlsdiff Test Intermediate CA",
     0, TD_X509_KEY_RSA, 0, 0, 0,
     TD_X509_KU_DIGITAL_SIGNATURE | TD_X509_KU_KEY_ENCIPHERMENT, EKU_SERVER, 1, 1},
    {"server-p256", {0x10, 0x04}, "server.tlsdiff.test", "tlsdiff Test Intermediate CA", 0,
     TD_X509_KEY_EC_P256, 0, 0, 0, TD_X509_KU_DIGITAL_SIGNATURE, EKU_SERVER, 1, 1},
    {"server-p384", {0x10, 0x05}, "server.tlsdiff.test", "tlsdiff Test Intermediate CA", 0,
     TD_X509_KEY_EC_P384, 0, 0, 0, TD_X509_KU_DIGITAL_SIGNATURE, EKU_SERVER, 1, 1},
    {"server-ed25519", {0x10, 0x06}, "server.tlsdiff.test", "tlsdiff Test Intermediate CA",
     0, TD_X509_KEY_ED25519, 0, 0, 0, TD_X509_KU_DIGITAL_SIGNATURE, EKU_SERVER, 1, 1},
    {"client-ca", {0x10, 0x07}, "tlsdiff Test Client CA", "tlsdiff Test Client CA", 1,
     TD_X509_KEY_RSA, 1, 0, 0, TD_X509_KU_KEY_CERT_SIGN | TD_X509_KU_CRL_SIGN, EKU_NONE, 0,
     0},
    {"client-p256", {0x10, 0x08}, "client.tlsdiff.test", "tlsdiff Test Client CA", 0,
     TD_X509_KEY_EC_P256, 0, 0, 0, TD_X509_KU_DIGITAL_SIGNATURE, EKU_CLIENT, 0, 1},
    {"client-rsa2048", {0x10, 0x09}, "client.tlsdiff.test", "tlsdiff Test Client CA", 0,
     TD_X509_KEY_RSA, 0, 0, 0, TD_X509_KU_DIGITAL_SIGNATURE, EKU_CLIENT, 0, 1},
};

static td_x509_cert cert, cert2; /* large: not on the stack */
static uint8_t out[TD_X509_MAX_CERT_LEN + 64];

/* 1.3.6.1.5.5.7.3.1 / .2 */
static const uint8_t server_auth[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
static const uint8_t client_auth[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02};

static void check_san(const td_x509_cert *c)
{
    /* DNS:server.tlsdiff.test, DNS:localhost, IP Address:127.0.0.1 */
    static const uint8_t ip[] = {127, 0, 0, 1};

    ck_assert_int_eq(c->has_san, 1);
    ck_assert_uint_eq(c->n_san, 3);
    ck_assert_uint_eq(c->san[0].type, TD_X509_GN_DNS);
    ck_assert(span_is(c->san[0].value, "server.tlsdiff.test"));
    ck_assert_uint_eq(c->san[1].type, TD_X509_GN_DNS);
    ck_assert(span_is(c->san[1].value, "localhost"));
    ck_assert_uint_eq(c->san[2].type, TD_X509_GN_IP);
    ck_assert_uint_eq(c->san[2].value.len, 4);
    ck_assert(memcmp(c->san[2].value.p, ip, 4) == 0);
}

static void check_pki(const struct pki_cert *e, const td_x509_cert *c)
{
    size_t n_exts = 3 + (e->eku != EKU_NONE) + e->san + e->aki;

    ck_assert_int_eq(c->version, 2); /* "Version: 3 (0x2)" */
    ck_assert_int_eq(c->version_field, 1);
    ck_assert_uint_eq(c->serial.len, 2);
    ck_assert(memcmp(c->serial.p, e->serial, 2) == 0);
    ck_assert_int_eq(c->tbs_sig.sig, TD_X509_SIG_RSA_PKCS1_SHA256);
    ck_assert_int_eq(c->sig_alg.sig, TD_X509_SIG_RSA_PKCS1_SHA256);
    ck_assert_uint_eq(c->signature.len, 256); /* RSA-2048 issuers */
    ck_assert_uint_eq(c->not_before_tag, TD_DER_UTC_TIME);
    ck_assert_uint_eq(c->not_after_tag, TD_DER_UTC_TIME);
    ck_assert_int_eq(c->not_before, NOT_BEFORE);
    ck_assert_int_eq(c->not_after, NOT_AFTER);
    ck_assert_msg(span_is(c->subject.cn, e->subject_cn), "%s subject", e->name);
    ck_assert_msg(span_is(c->issuer.cn, e->issuer_cn), "%s issuer", e->name);
    ck_assert_uint_eq(c->subject.n_attrs, e->ca_subject ? 2 : 1);
    ck_assert_uint_eq(c->issuer.n_attrs, 2);
    ck_assert(span_is(c->issuer.attrs[0].value, "tlsdiff"));
    ck_assert_uint_eq(c->issuer.attrs[0].tag, TD_DER_UTF8_STRING); /* README */
    ck_assert_int_eq(c->key, e->key);
    ck_assert_int_eq(c->has_issuer_uid + c->has_subject_uid, 0);
    ck_assert_int_eq(c->has_extensions, 1);
    ck_assert_uint_eq(c->n_exts, n_exts);
    /* basicConstraints and keyUsage: critical */
    ck_assert_int_eq(c->exts[0].id, TD_X509_EXT_BASIC_CONSTRAINTS);
    ck_assert_int_eq(c->exts[0].critical, 1);
    ck_assert_int_eq(c->exts[1].id, TD_X509_EXT_KEY_USAGE);
    ck_assert_int_eq(c->exts[1].critical, 1);
    ck_assert_int_eq(c->has_basic_constraints, 1);
    ck_assert_int_eq(c->ca, e->ca);
    ck_assert_int_eq(c->has_path_len, e->has_path_len);
    ck_assert_uint_eq(c->path_len, e->path_len);
    ck_assert_int_eq(c->has_key_usage, 1);
    ck_assert_uint_eq(c->key_usage, e->key_usage);
    ck_assert_int_eq(c->has_eku, e->eku != EKU_NONE);
    if (e->eku != EKU_NONE) {
        ck_assert_uint_eq(c->n_eku, 1);
        ck_assert(td_der_oid_is(c->eku[0], e->eku == EKU_SERVER ? server_auth : client_auth,
                                sizeof server_auth));
    }
    if (e->san)
        check_san(c);
    else
        ck_assert_int_eq(c->has_san, 0);
    /* SHA-1 key identifiers: 20 octets (README: subjectKeyIdentifier =
     * hash) */
    ck_assert_uint_eq(c->subject_key_id.len, 20);
    ck_assert_uint_eq(c->authority_key_id.len, e->aki ? 20 : 0);
    ck_assert_int_eq(c->has_name_constraints, 0);
}

START_TEST(test_pki_fields)
{
    const struct pki_cert *e = &pki[_i];
    char rel[256];
    size_t len;
    uint8_t *der;

    snprintf(rel, sizeof rel, "pki/%s.crt.der", e->name);
    der = load(rel, &len);
    ck_assert_msg(td_x509_decode((td_span){der, len}, &cert) == TD_X509_OK, "%s", e->name);
    check_pki(e, &cert);
    ck_assert_ptr_eq(cert.der.p, der);
    ck_assert_uint_eq(cert.der.len, len);
    ck_assert_ptr_eq(cert.tbs.p, der + 4); /* 30 82 xx xx, then the TBS */
    free(der);
}
END_TEST

/* Self-signed roots: issuer == subject, byte for byte; the AKI of the
 * intermediate is the root's SKI. */
START_TEST(test_pki_links)
{
    size_t n1, n2;
    uint8_t *root = load("pki/root-ca.crt.der", &n1);
    uint8_t *mid = load("pki/intermediate-ca.crt.der", &n2);

    ck_assert_int_eq(td_x509_decode((td_span){root, n1}, &cert), TD_X509_OK);
    ck_assert_int_eq(td_x509_decode((td_span){mid, n2}, &cert2), TD_X509_OK);
    ck_assert_uint_eq(cert.issuer.whole.len, cert.subject.whole.len);
    ck_assert(memcmp(cert.issuer.whole.p, cert.subject.whole.p, cert.subject.whole.len) == 0);
    ck_assert_uint_eq(cert2.issuer.whole.len, cert.subject.whole.len);
    ck_assert(memcmp(cert2.issuer.whole.p, cert.subject.whole.p, cert.subject.whole.len) ==
              0);
    ck_assert(memcmp(cert2.authority_key_id.p, cert.subject_key_id.p, 20) == 0);
    free(root);
    free(mid);
}
END_TEST

/* ------------------------------------------------------------------------
 * Every certificate of vectors/pki: round trip, truncation, lengths
 * ------------------------------------------------------------------------ */

typedef void (*per_cert_fn)(const char *name, uint8_t *der, size_t len);

static size_t each_pki_cert(per_cert_fn fn)
{
    char dir[4096], rel[512];
    struct dirent *d;
    size_t count = 0, len, n;
    DIR *dp;

    snprintf(dir, sizeof dir, "%s/pki", td_vectors_dir());
    dp = opendir(dir);
    ck_assert_msg(dp != NULL, "cannot list %s", dir);
    while ((d = readdir(dp)) != NULL) {
        uint8_t *der;

        n = strlen(d->d_name);
        if (n < 8 || strcmp(d->d_name + n - 8, ".crt.der") != 0)
            continue;
        snprintf(rel, sizeof rel, "pki/%s", d->d_name);
        der = load(rel, &len);
        fn(d->d_name, der, len);
        free(der);
        count++;
    }
    closedir(dp);
    return count;
}

static void roundtrip_one(const char *name, uint8_t *der, size_t len)
{
    td_wr w;
    td_span enc;

    ck_assert_msg(td_x509_decode((td_span){der, len}, &cert) == TD_X509_OK, "%s", name);
    td_wr_init(&w, out, sizeof out);
    ck_assert_int_eq(td_x509_encode(&w, &cert), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &enc), TD_OK);
    ck_assert_msg(enc.len == len && memcmp(enc.p, der, len) == 0, "%s: re-encoding differs",
                  name);
    td_wr_init(&w, out, sizeof out);
    ck_assert_int_eq(td_x509_encode_tbs(&w, &cert), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &enc), TD_OK);
    ck_assert(enc.len == cert.tbs.len && memcmp(enc.p, cert.tbs.p, enc.len) == 0);
    /* too small a buffer: an error, never an overrun */
    td_wr_init(&w, out, len - 1);
    ck_assert_int_eq(td_x509_encode(&w, &cert), TD_ERR_NOSPACE);
}

START_TEST(test_roundtrip)
{
    /* README.md: nine certificates */
    ck_assert_uint_ge(each_pki_cert(roundtrip_one), 9);
}
END_TEST

static void truncate_one(const char *name, uint8_t *der, size_t len)
{
    size_t cut;

    for (cut = 0; cut < len; cut++) {
        /* a copy of exactly cut bytes, so ASan sees any overread */
        uint8_t *p = malloc(cut ? cut : 1);

        ck_assert_ptr_nonnull(p);
        memcpy(p, der, cut);
        ck_assert_msg(td_x509_decode((td_span){cut ? p : NULL, cut}, &cert) != TD_X509_OK,
                      "%s cut to %zu decodes", name, cut);
        free(p);
    }
    /* and one trailing octet: X.690 8.1.1, nothing after the element */
    der[len] = 0x00;
    ck_assert_int_eq(td_x509_decode((td_span){der, len + 1}, &cert), TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_TRAILING_DATA);
}

START_TEST(test_truncated)
{
    ck_assert_uint_ge(each_pki_cert(truncate_one), 9);
}
END_TEST

/* A length field: the octets holding the value (after 0x8N in the long
 * form) and their count. */
typedef struct len_field {
    size_t at;
    unsigned width;
} len_field;

enum { WALK_PLAIN, WALK_EXTS, WALK_EXT_LIST, WALK_EXT };

/* This file's own TLV walk (X.690 8.1), independent of td_der: into
 * constructed elements, and into each extnValue OCTET STRING (whose
 * contents are DER too). */
static void walk(const uint8_t *d, size_t off, size_t end, int mode, len_field *f, size_t *n)
{
    while (off < end) {
        uint8_t tag = d[off], first = d[off + 1];
        size_t len = 0, hdr, k;
        int next = WALK_PLAIN;

        ck_assert_uint_lt(*n, 512);
        if (first < 0x80) {
            len = first;
            hdr = 2;
            f[*n].at = off + 1;
            f[*n].width = 1;
        } else {
            for (k = 0; k < (size_t)(first & 0x7f); k++)
                len = len << 8 | d[off + 2 + k];
            hdr = 2 + (first & 0x7f);
            f[*n].at = off + 2;
            f[*n].width = first & 0x7f;
        }
        (*n)++;
        ck_assert_uint_le(off + hdr + len, end);
        if (mode == WALK_PLAIN && tag == 0xa3)
            next = WALK_EXTS;
        else if (mode == WALK_EXTS)
            next = WALK_EXT_LIST;
        else if (mode == WALK_EXT_LIST)
            next = WALK_EXT;
        if (tag & 0x20 || (mode == WALK_EXT && tag == 0x04))
            walk(d, off + hdr, off + hdr + len, next, f, n);
        off += hdr + len;
    }
}

static void lengths_one(const char *name, uint8_t *der, size_t len)
{
    static len_field f[512];
    size_t n = 0, i;
    int delta;
    uint8_t *mut = malloc(len);

    ck_assert_ptr_nonnull(mut);
    walk(der, 0, len, WALK_PLAIN, f, &n);
    /* Certificate, TBS, ... : dozens of elements in each */
    ck_assert_uint_ge(n, 40);
    for (i = 0; i < n; i++) {
        for (delta = -1; delta <= 1; delta += 2) {
            uint64_t v = 0, nv, lim = (uint64_t)1 << (8 * f[i].width);
            unsigned k;

            for (k = 0; k < f[i].width; k++)
                v = v << 8 | der[f[i].at + k];
            if ((delta < 0 && v == 0) || (delta > 0 && v + 1 >= lim))
                continue;
            nv = delta < 0 ? v - 1 : v + 1;
            memcpy(mut, der, len);
            for (k = 0; k < f[i].width; k++)
                mut[f[i].at + k] = (uint8_t)(nv >> (8 * (f[i].width - 1 - k)));
            ck_assert_msg(td_x509_decode((td_span){mut, len}, &cert) != TD_X509_OK,
                          "%s: length at %zu %+d still decodes", name, f[i].at, delta);
        }
    }
    free(mut);
}

START_TEST(test_lengths)
{
    ck_assert_uint_ge(each_pki_cert(lengths_one), 9);
}
END_TEST

/* ------------------------------------------------------------------------
 * Byte patches of server-p256 (lengths unchanged)
 * ------------------------------------------------------------------------ */

static uint8_t *p256;
static size_t p256_len;

static void p256_load(void)
{
    p256 = load("pki/server-p256.crt.der", &p256_len);
}

static void p256_free(void)
{
    free(p256);
}

/* Decode server-p256 with the octets of hex `pat` (found once) replaced
 * by `repl` (as long). */
static td_x509_reason patched(const char *pat, const char *repl)
{
    static uint8_t mut[TD_X509_MAX_CERT_LEN];
    uint8_t r[64], p[64];
    size_t at = find(p256, p256_len, pat), n = unhex(repl, r);

    ck_assert_uint_eq(unhex(pat, p), n);
    memcpy(mut, p256, p256_len);
    memcpy(mut + at, r, n);
    return td_x509_decode((td_span){mut, p256_len}, &cert);
}

START_TEST(test_patch_der)
{
    /* X.690 11.5: critical FALSE is the DEFAULT, never encoded */
    ck_assert_int_eq(patched("0603551d130101ff", "0603551d13010100"), TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_DEFAULT_VALUE);
    /* X.690 11.1: TRUE is ff */
    ck_assert_int_eq(patched("0603551d130101ff", "0603551d13010101"), TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_BAD_BOOLEAN);
    /* X.690 8.3.2: serial 00 04 is not minimal (structure before the
     * serial's RFC 5280 rules) */
    ck_assert_int_eq(patched("02021004", "02020004"), TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_NONMINIMAL_INTEGER);
    /* RFC 5280 4.1.2.5: Feb 29 2025 does not exist */
    ck_assert_int_eq(patched("170d323530313031", "170d323530323239"), TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_BAD_TIME);
    /* UTF8String with a lone continuation octet (RFC 3629) */
    ck_assert_int_eq(patched("0c137365727665722e", "0c137365727665802e"), TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_BAD_STRING);
    /* signatureValue with an unused bit count */
    ck_assert_int_eq(patched("0382010100", "0382010101"), TD_X509_BAD_DER);
    /* version [0] holding a BOOLEAN */
    ck_assert_int_eq(patched("a003020102", "a0030101ff"), TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_UNEXPECTED_TAG);
    /* the SAN's first dNSName as a constructed [2] */
    ck_assert_int_eq(patched("82137365", "a2137365"), TD_X509_BAD_EXTENSION);
}
END_TEST

START_TEST(test_patch_reasons)
{
    /* RFC 5280 4.1.2.1 / X.690 11.5: [0] with v1 is the DEFAULT; v2 does
     * not allow extensions (4.1.2.9); there is no v4 */
    ck_assert_int_eq(patched("a003020102", "a003020100"), TD_X509_BAD_VERSION);
    ck_assert_int_eq(patched("a003020102", "a003020101"), TD_X509_BAD_VERSION);
    ck_assert_int_eq(patched("a003020102", "a003020103"), TD_X509_BAD_VERSION);
    ck_assert_int_eq(patched("a003020102", "a0030201ff"), TD_X509_BAD_VERSION);
    /* 4.1.2.2: a positive integer */
    ck_assert_int_eq(patched("02021004", "02029004"), TD_X509_BAD_SERIAL);
    /* 4.1.1.2: the TBS signature (the first of the two) differs */
    {
        static uint8_t mut[TD_X509_MAX_CERT_LEN];
        size_t at;

        memcpy(mut, p256, p256_len);
        at = find(mut, p256_len, "020210043" "00d06092a864886f70d01010b");
        mut[at + 4 + 2 + 2 + 8] = 0x0c; /* sha384WithRSAEncryption */
        ck_assert_int_eq(td_x509_decode((td_span){mut, p256_len}, &cert),
                         TD_X509_SIG_ALG_MISMATCH);
        /* both: a consistent certificate with another algorithm */
        at = find(mut, p256_len, "300d06092a864886f70d01010b0500038201");
        mut[at + 12] = 0x0c;
        ck_assert_int_eq(td_x509_decode((td_span){mut, p256_len}, &cert), TD_X509_OK);
        ck_assert_int_eq(cert.sig_alg.sig, TD_X509_SIG_RSA_PKCS1_SHA384);
        /* sha1WithRSAEncryption (…1.1.5): not verified here, yet decodes
         * (path validation says unsupported) */
        mut[at + 12] = 0x05;
        at = find(mut, p256_len, "020210043" "00d06092a864886f70d01010c");
        mut[at + 16] = 0x05;
        ck_assert_int_eq(td_x509_decode((td_span){mut, p256_len}, &cert), TD_X509_OK);
        ck_assert_int_eq(cert.sig_alg.sig, TD_X509_SIG_UNKNOWN);
        ck_assert_int_eq(cert.tbs_sig.sig, TD_X509_SIG_UNKNOWN);
    }
    /* RFC 5280 4.2: keyUsage turned into a second basicConstraints */
    ck_assert_int_eq(patched("0603551d0f", "0603551d13"), TD_X509_DUPLICATE_EXTENSION);
    /* 4.2: an unknown critical extension (basicConstraints renamed) */
    ck_assert_int_eq(patched("0603551d13", "0603551d7e"), TD_X509_UNKNOWN_CRITICAL);
    /* an unknown non-critical one is ignored (extKeyUsage renamed) */
    ck_assert_int_eq(patched("0603551d25", "0603551d7e"), TD_X509_OK);
    ck_assert_int_eq(cert.has_eku, 0);
    ck_assert_int_eq(cert.exts[2].id, TD_X509_EXT_OTHER);
}
END_TEST

START_TEST(test_patch_extensions)
{
    /* keyUsage 03 02 07 80 (digitalSignature): X.690 11.2.2 no trailing
     * zero bit; RFC 5280 4.2.1.3 at least one bit; 11.2.1 unused bits 0 */
    ck_assert_int_eq(patched("040403020780", "040403020680"), TD_X509_BAD_EXTENSION);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_BAD_BIT_STRING);
    ck_assert_int_eq(patched("040403020780", "040403020700"), TD_X509_BAD_EXTENSION);
    ck_assert_int_eq(patched("040403020780", "040403020781"), TD_X509_BAD_EXTENSION);
    /* keyCertSign alone: 03 02 02 04 */
    ck_assert_int_eq(patched("040403020780", "040403020204"), TD_X509_OK);
    ck_assert_uint_eq(cert.key_usage, TD_X509_KU_KEY_CERT_SIGN);
    /* SAN: rfc822Name [1] instead of dNSName is a valid GeneralName; [9]
     * is none */
    ck_assert_int_eq(patched("82137365", "81137365"), TD_X509_OK);
    ck_assert_uint_eq(cert.san[0].type, TD_X509_GN_EMAIL);
    ck_assert_int_eq(patched("82137365", "89137365"), TD_X509_BAD_EXTENSION);
    /* basicConstraints value 30 00 -> 04 00 (not a SEQUENCE) */
    ck_assert_int_eq(patched("04023000", "04020400"), TD_X509_BAD_EXTENSION);
    /* extKeyUsage 30 0a 06 08 -> 30 0a 04 08: an OCTET STRING, no OID */
    ck_assert_int_eq(patched("300a06082b060105050703", "300a04082b060105050703"),
                     TD_X509_BAD_EXTENSION);
}
END_TEST

START_TEST(test_patch_keys_times)
{
    /* 2024 is a leap year (`date -u -d 2024-02-29 +%s`) */
    ck_assert_int_eq(patched("170d323530313031", "170d323430323239"), TD_X509_OK);
    ck_assert_int_eq(cert.not_before, 1709164800);
    /* PrintableString: "server.tlsdiff.test" is in its set (X.680 41.4) */
    ck_assert_int_eq(patched("0c137365727665722e", "13137365727665722e"), TD_X509_OK);
    ck_assert_uint_eq(cert.subject.attrs[0].tag, TD_DER_PRINTABLE_STRING);
    /* another named curve (…3.1.6, prime239v3): EC_OTHER, decodes */
    ck_assert_int_eq(patched("2a8648ce3d030107", "2a8648ce3d030106"), TD_X509_OK);
    ck_assert_int_eq(cert.key, TD_X509_KEY_EC_OTHER);
    /* an unknown key algorithm (…2.1 -> …2.127): UNKNOWN, decodes */
    ck_assert_int_eq(patched("2a8648ce3d0201", "2a8648ce3d027f"), TD_X509_OK);
    ck_assert_int_eq(cert.key, TD_X509_KEY_UNKNOWN);
}
END_TEST

/* Several problems: the reason of the earliest step (td_x509_decode.c). */
START_TEST(test_patch_order)
{
    static uint8_t mut[TD_X509_MAX_CERT_LEN];
    size_t ser, bc, ver;

    memcpy(mut, p256, p256_len);
    ser = find(mut, p256_len, "02021004");
    bc = find(mut, p256_len, "0603551d130101ff");
    ver = find(mut, p256_len, "a003020102");
    mut[ser + 2] = 0x90;     /* negative serial */
    mut[bc + 4] = 0x7e;      /* unknown critical */
    ck_assert_int_eq(td_x509_decode((td_span){mut, p256_len}, &cert),
                     TD_X509_UNKNOWN_CRITICAL);
    mut[ver + 4] = 0x01;     /* v2 with extensions */
    ck_assert_int_eq(td_x509_decode((td_span){mut, p256_len}, &cert), TD_X509_BAD_VERSION);
    mut[bc + 7] = 0x00;      /* critical FALSE encoded: a DER error */
    ck_assert_int_eq(td_x509_decode((td_span){mut, p256_len}, &cert), TD_X509_BAD_DER);

    /* over TD_X509_MAX_CERT_LEN: LIMIT before anything is read */
    ck_assert_int_eq(td_x509_decode((td_span){out, TD_X509_MAX_CERT_LEN + 1}, &cert),
                     TD_X509_LIMIT);
}
END_TEST

/* ------------------------------------------------------------------------
 * Edits through the encoder (lengths change)
 * ------------------------------------------------------------------------ */

/* Encode c into out and decode it into cert2. */
static td_x509_reason reencode(const td_x509_cert *c)
{
    td_wr w;
    td_span enc;

    td_wr_init(&w, out, sizeof out);
    ck_assert_int_eq(td_x509_encode(&w, c), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &enc), TD_OK);
    return td_x509_decode(enc, &cert2);
}

static void p256_decoded(void)
{
    ck_assert_int_eq(td_x509_decode((td_span){p256, p256_len}, &cert), TD_X509_OK);
}

/* The extension with this id in c. */
static td_x509_ext *ext_of(td_x509_cert *c, td_x509_ext_id id)
{
    size_t i;

    for (i = 0; i < c->n_exts; i++)
        if (c->exts[i].id == id)
            return &c->exts[i];
    ck_abort_msg("no extension %d", (int)id);
    return NULL;
}

START_TEST(test_edit_version_serial)
{
    static uint8_t ser[21];

    p256_decoded();
    /* RFC 5280 4.1.2.9: extensions only in v3 */
    cert.version = 0;
    cert.version_field = 0;
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_VERSION);
    /* a v1 certificate: no [0], no extensions */
    cert.has_extensions = 0;
    cert.n_exts = 0;
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_int_eq(cert2.version, 0);
    ck_assert_int_eq(cert2.version_field, 0);
    /* X.690 11.5: version [0] holding the DEFAULT v1 */
    cert.version_field = 1;
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_VERSION);
    cert.version_field = 0;
    /* 4.1.2.8: unique identifiers need v2 or v3 */
    cert.has_subject_uid = 1;
    cert.subject_uid = (td_span){(const uint8_t *)"\x00\x01\x02", 3};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_VERSION);
    cert.version = 1;
    cert.version_field = 1;
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_int_eq(cert2.has_subject_uid, 1);
    ck_assert_uint_eq(cert2.subject_uid.len, 3);

    /* 4.1.2.2: up to 20 octets, positive */
    p256_decoded();
    memset(ser, 0x7f, sizeof ser);
    cert.serial = (td_span){ser, 20};
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    cert.serial = (td_span){ser, 21};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_SERIAL);
    ser[0] = 0x00;
    cert.serial = (td_span){ser, 1};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_SERIAL);
}
END_TEST

START_TEST(test_edit_extensions)
{
    static uint8_t buf[1024];
    static td_x509_gname many[TD_X509_MAX_SAN + 1];
    td_x509_ext *e;
    td_wr w;
    td_span v;
    size_t i;

    p256_decoded();
    /* X.690 11.5: critical FALSE written out */
    e = ext_of(&cert, TD_X509_EXT_EXT_KEY_USAGE);
    e->critical_field = 1;
    e->critical = 0;
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_DEFAULT_VALUE);
    e->critical_field = 0;

    /* basicConstraints cA TRUE, pathLen 3: 30 06 01 01 ff 02 01 03 */
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_basic_constraints(&w, 1, 1, 3), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    ck_assert_uint_eq(v.len, 8);
    ck_assert(memcmp(v.p, "\x30\x06\x01\x01\xff\x02\x01\x03", 8) == 0);
    ext_of(&cert, TD_X509_EXT_BASIC_CONSTRAINTS)->value = v;
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_int_eq(cert2.ca, 1);
    ck_assert_int_eq(cert2.has_path_len, 1);
    ck_assert_uint_eq(cert2.path_len, 3);
    /* keyUsage with bit 16 (past decipherOnly) */
    ext_of(&cert, TD_X509_EXT_KEY_USAGE)->value =
        (td_span){(const uint8_t *)"\x03\x04\x07\x80\x00\x80", 6};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);
    ext_of(&cert, TD_X509_EXT_KEY_USAGE)->value =
        (td_span){(const uint8_t *)"\x03\x03\x07\x80\x80", 5};
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_uint_eq(cert2.key_usage,
                      TD_X509_KU_DIGITAL_SIGNATURE | TD_X509_KU_DECIPHER_ONLY);
    /* cA FALSE written out (30 03 01 01 00): X.690 11.5 */
    ext_of(&cert, TD_X509_EXT_BASIC_CONSTRAINTS)->value =
        (td_span){(const uint8_t *)"\x30\x03\x01\x01\x00", 5};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);
    /* pathLenConstraint -1: INTEGER (0..MAX) */
    ext_of(&cert, TD_X509_EXT_BASIC_CONSTRAINTS)->value =
        (td_span){(const uint8_t *)"\x30\x06\x01\x01\xff\x02\x01\xff", 8};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);

    /* over TD_X509_MAX_SAN names */
    p256_decoded();
    for (i = 0; i < TD_X509_MAX_SAN + 1; i++)
        many[i] = cert.san[1];
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_general_names(&w, many, TD_X509_MAX_SAN + 1), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    ext_of(&cert, TD_X509_EXT_SUBJECT_ALT_NAME)->value = v;
    ck_assert_int_eq(reencode(&cert), TD_X509_LIMIT);
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_general_names(&w, many, TD_X509_MAX_SAN), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    ext_of(&cert, TD_X509_EXT_SUBJECT_ALT_NAME)->value = v;
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_uint_eq(cert2.n_san, TD_X509_MAX_SAN);

    /* TD_X509_MAX_EXTS extensions fit (here: duplicates, judged later) */
    p256_decoded();
    for (i = cert.n_exts; i < TD_X509_MAX_EXTS; i++)
        cert.exts[i] = cert.exts[0];
    cert.n_exts = TD_X509_MAX_EXTS;
    ck_assert_int_eq(reencode(&cert), TD_X509_DUPLICATE_EXTENSION);
    ck_assert_uint_eq(cert2.n_exts, TD_X509_MAX_EXTS);
}
END_TEST

/* A Certificate from c whose TBSCertificate has `tail` appended to its
 * contents (for what the encoder cannot write), into raw. */
static td_span with_tbs_tail(const td_x509_cert *c, td_span tail)
{
    static uint8_t tbs_buf[TD_X509_MAX_CERT_LEN], raw[TD_X509_MAX_CERT_LEN];
    td_wr_mark certm, tbsm, sig;
    td_span tbs, tbs_body, enc;
    td_rd rd;
    uint8_t tag;
    td_wr w;

    td_wr_init(&w, tbs_buf, sizeof tbs_buf);
    ck_assert_int_eq(td_x509_encode_tbs(&w, c), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &tbs), TD_OK);
    td_rd_init_span(&rd, tbs);
    ck_assert_int_eq(td_der_read(&rd, &tag, &tbs_body, NULL), TD_DER_OK);

    td_wr_init(&w, raw, sizeof raw);
    ck_assert_int_eq(td_der_open(&w, TD_DER_SEQUENCE, &certm), TD_OK);
    ck_assert_int_eq(td_der_open(&w, TD_DER_SEQUENCE, &tbsm), TD_OK);
    ck_assert_int_eq(td_wr_span(&w, tbs_body), TD_OK);
    ck_assert_int_eq(td_wr_span(&w, tail), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &tbsm), TD_OK);
    ck_assert_int_eq(td_wr_span(&w, c->sig_alg.whole), TD_OK);
    ck_assert_int_eq(td_der_open(&w, TD_DER_BIT_STRING, &sig), TD_OK);
    ck_assert_int_eq(td_wr_u8(&w, 0), TD_OK);
    ck_assert_int_eq(td_wr_span(&w, c->signature), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &sig), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &certm), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &enc), TD_OK);
    return enc;
}

/* TD_X509_MAX_EXTS + 1 extensions (more than td_x509_cert holds), each
 * 30 06 06 02 2a <i> 04 00 (extnID 1.2.<i>, empty value): LIMIT. */
START_TEST(test_edit_too_many_exts)
{
    static uint8_t exts[512];
    uint8_t ext[6] = {0x06, 0x02, 0x2a, 0x00, 0x04, 0x00};
    td_wr_mark x3, list;
    td_span tail;
    td_wr w;
    size_t i;

    p256_decoded();
    cert.has_extensions = 0;
    cert.n_exts = 0;
    td_wr_init(&w, exts, sizeof exts);
    ck_assert_int_eq(td_der_open(&w, TD_DER_CTX_CONS(3), &x3), TD_OK);
    ck_assert_int_eq(td_der_open(&w, TD_DER_SEQUENCE, &list), TD_OK);
    for (i = 0; i < TD_X509_MAX_EXTS + 1; i++) {
        ext[3] = (uint8_t)i;
        ck_assert_int_eq(td_der_write(&w, TD_DER_SEQUENCE, SPAN(ext)), TD_OK);
    }
    ck_assert_int_eq(td_der_close(&w, &list), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &x3), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &tail), TD_OK);
    ck_assert_int_eq(td_x509_decode(with_tbs_tail(&cert, tail), &cert2), TD_X509_LIMIT);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_LIMIT);
    ck_assert_uint_eq(cert2.n_exts, TD_X509_MAX_EXTS);
}
END_TEST

/* RFC 5280 4.1: nothing after extensions; [1] not after [3] */
START_TEST(test_edit_tbs_tail)
{
    static const uint8_t null_elem[] = {0x05, 0x00}, uid[] = {0x81, 0x02, 0x00, 0x01};

    p256_decoded();
    ck_assert_int_eq(td_x509_decode(with_tbs_tail(&cert, SPAN(null_elem)), &cert2),
                     TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_TRAILING_DATA);
    ck_assert_int_eq(td_x509_decode(with_tbs_tail(&cert, SPAN(uid)), &cert2),
                     TD_X509_BAD_DER);
    /* in its place (before [3]) the same unique ID is fine */
    cert.has_issuer_uid = 1;
    cert.issuer_uid = (td_span){uid + 2, 2};
    ck_assert_int_eq(td_x509_decode(with_tbs_tail(&cert, (td_span){NULL, 0}), &cert2),
                     TD_X509_OK);
    ck_assert_int_eq(cert2.has_issuer_uid, 1);
}
END_TEST

START_TEST(test_edit_name_constraints)
{
    static uint8_t buf[256];
    /* permitted dNSName ".tlsdiff.test", excluded 10.0.0.0/8:
     * 30 21 a0 11 30 0f 82 0d ".tlsdiff.test" a1 0c 30 0a 87 08 0a000000 ff000000 */
    static const uint8_t want[] = {0x30, 0x21, 0xa0, 0x11, 0x30, 0x0f, 0x82, 0x0d, '.',  't',
                                   'l',  's',  'd',  'i',  'f',  'f',  '.',  't',  'e',  's',
                                   't',  0xa1, 0x0c, 0x30, 0x0a, 0x87, 0x08, 0x0a, 0x00, 0x00,
                                   0x00, 0xff, 0x00, 0x00, 0x00};
    static const uint8_t net[] = {10, 0, 0, 0, 255, 0, 0, 0};
    td_x509_gname perm = {TD_X509_GN_DNS, {(const uint8_t *)".tlsdiff.test", 13}};
    td_x509_gname excl = {TD_X509_GN_IP, SPAN(net)};
    td_wr w;
    td_span v;

    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_name_constraints(&w, &perm, 1, &excl, 1), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    ck_assert_uint_eq(v.len, sizeof want);
    ck_assert(memcmp(v.p, want, sizeof want) == 0);

    p256_decoded();
    /* put nameConstraints in place of the subjectKeyIdentifier */
    ext_of(&cert, TD_X509_EXT_SUBJECT_KEY_ID)->oid = td_x509_oid_name_constraints;
    ext_of(&cert, TD_X509_EXT_SUBJECT_KEY_ID)->value = v;
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_int_eq(cert2.has_name_constraints, 1);
    ck_assert_uint_eq(cert2.n_permitted, 1);
    ck_assert_uint_eq(cert2.n_excluded, 1);
    ck_assert(span_is(cert2.permitted[0].value, ".tlsdiff.test"));
    ck_assert_uint_eq(cert2.excluded[0].value.len, 8);

    /* RFC 5280 4.2.1.10: not empty; minimum (DEFAULT 0) absent; an
     * iPAddress constraint is 8 or 32 octets */
    cert.exts[4].value = (td_span){(const uint8_t *)"\x30\x00", 2};
    ck_assert_int_eq(cert.exts[4].id, TD_X509_EXT_SUBJECT_KEY_ID);
    cert.exts[4].id = TD_X509_EXT_NAME_CONSTRAINTS;
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);
    cert.exts[4].value =
        (td_span){(const uint8_t *)"\x30\x0a\xa0\x08\x30\x06\x82\x01x\x80\x01\x00", 12};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);
    cert.exts[4].value =
        (td_span){(const uint8_t *)"\x30\x0a\xa1\x08\x30\x06\x87\x04\x0a\x00\x00\x00", 12};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);
    cert.exts[4].value = (td_span){(const uint8_t *)"\x30\x07\xa0\x05\x30\x03\x82\x01x", 9};
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    /* and in subjectAltName an iPAddress is 4 or 16 octets */
    ext_of(&cert, TD_X509_EXT_SUBJECT_ALT_NAME)->value =
        (td_span){(const uint8_t *)"\x30\x0a\x87\x08\x0a\x00\x00\x00\xff\x00\x00\x00", 12};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);
}
END_TEST

START_TEST(test_edit_other_extensions)
{
    /* certificatePolicies { 2.23.140.1.2.1 }: 30 08 30 06 06 04 67 81 0c 01 ... */
    static const uint8_t cp[] = {0x30, 0x0a, 0x30, 0x08, 0x06, 0x06,
                                 0x67, 0x81, 0x0c, 0x01, 0x02, 0x01};
    /* the same with the OID's subidentifier 0x80-padded: X.690 8.19.2 */
    static const uint8_t cp_bad[] = {0x30, 0x0a, 0x30, 0x08, 0x06, 0x06,
                                     0x67, 0x80, 0x8c, 0x01, 0x02, 0x01};
    td_x509_ext *e;

    p256_decoded();
    e = ext_of(&cert, TD_X509_EXT_SUBJECT_KEY_ID);
    e->oid = td_x509_oid_certificate_policies;
    e->id = TD_X509_EXT_CERTIFICATE_POLICIES;
    e->value = SPAN(cp);
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_uint_eq(cert2.policies.len, sizeof cp);
    e->value = SPAN(cp_bad);
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_BAD_OID);

    /* AKI with [1] directoryName and [2] serial as well (RFC 5280 4.2.1.1) */
    p256_decoded();
    {
        static uint8_t aki[300];
        size_t n = 0;
        td_span issuer = cert.issuer.whole;

        ck_assert_uint_lt(issuer.len, 120);
        aki[n++] = 0x30;
        aki[n++] = (uint8_t)(2 + 4 + 2 + issuer.len + 4);
        aki[n++] = 0x80; /* keyIdentifier 01 02 */
        aki[n++] = 0x02;
        aki[n++] = 0x01;
        aki[n++] = 0x02;
        aki[n++] = 0xa1; /* GeneralNames { [4] Name } */
        aki[n++] = (uint8_t)(2 + issuer.len);
        aki[n++] = 0xa4;
        aki[n++] = (uint8_t)issuer.len;
        memcpy(aki + n, issuer.p, issuer.len);
        n += issuer.len;
        aki[n++] = 0x82; /* serial 0x1002 */
        aki[n++] = 0x02;
        aki[n++] = 0x10;
        aki[n++] = 0x02;
        ext_of(&cert, TD_X509_EXT_AUTHORITY_KEY_ID)->value = (td_span){aki, n};
        ck_assert_int_eq(reencode(&cert), TD_X509_OK);
        ck_assert_uint_eq(cert2.authority_key_id.len, 2);
        /* X.690 8.3.2 in the serial */
        aki[n - 2] = 0x00;
        ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);
    }
}
END_TEST

START_TEST(test_edit_algorithms)
{
    static uint8_t alg[128];
    static const struct {
        const char *hex;
        td_x509_reason want;
        td_x509_sig sig;
    } cases[] = {
        /* id-RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 (as `openssl req
         * -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32` writes it) */
        {"304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a"
         "864886f70d010108300d06096086480165030402010500a203020120",
         TD_X509_OK, TD_X509_SIG_RSA_PSS},
        /* the same with saltLength 20, the DEFAULT (X.690 11.5) */
        {"304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a"
         "864886f70d010108300d06096086480165030402010500a203020114",
         TD_X509_BAD_DER, TD_X509_SIG_UNKNOWN},
        /* trailerField 1, the DEFAULT */
        {"304606092a864886f70d01010a3039a00f300d06096086480165030402010500a11c301a06092a"
         "864886f70d010108300d06096086480165030402010500a203020120a303020101",
         TD_X509_BAD_DER, TD_X509_SIG_UNKNOWN},
        /* hashAlgorithm sha1 (1.3.14.3.2.26), the DEFAULT */
        {"301a06092a864886f70d01010a300da00b300906052b0e03021a0500", TD_X509_BAD_DER,
         TD_X509_SIG_UNKNOWN},
        /* id-RSASSA-PSS without parameters: RFC 4055 3.1 "MUST be present" */
        {"300b06092a864886f70d01010a", TD_X509_OK, TD_X509_SIG_UNKNOWN},
        /* ecdsa-with-SHA256/384/512: parameters absent (RFC 5758 3.2) */
        {"300a06082a8648ce3d040302", TD_X509_OK, TD_X509_SIG_ECDSA_SHA256},
        {"300a06082a8648ce3d040303", TD_X509_OK, TD_X509_SIG_ECDSA_SHA384},
        {"300a06082a8648ce3d040304", TD_X509_OK, TD_X509_SIG_ECDSA_SHA512},
        {"300c06082a8648ce3d0403020500", TD_X509_OK, TD_X509_SIG_UNKNOWN},
        /* id-Ed25519 (RFC 8410 3) */
        {"300506032b6570", TD_X509_OK, TD_X509_SIG_ED25519},
        {"300706032b65700500", TD_X509_OK, TD_X509_SIG_UNKNOWN},
        /* sha512WithRSAEncryption with NULL; sha256WithRSAEncryption with
         * absent parameters (RFC 4055 5: "MUST accept") */
        {"300d06092a864886f70d01010d0500", TD_X509_OK, TD_X509_SIG_RSA_PKCS1_SHA512},
        {"300b06092a864886f70d01010b", TD_X509_OK, TD_X509_SIG_RSA_PKCS1_SHA256},
        /* parameters that are not DER (INTEGER 00 01) */
        {"300f06092a864886f70d01010b02020001", TD_X509_BAD_DER, TD_X509_SIG_UNKNOWN},
        /* an OID with a 0x80-padded subidentifier */
        {"300b06092a864886f70d80010b", TD_X509_BAD_DER, TD_X509_SIG_UNKNOWN},
    };
    size_t i, n;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        td_x509_reason r;

        p256_decoded();
        n = unhex(cases[i].hex, alg);
        cert.tbs_sig.whole = (td_span){alg, n};
        cert.sig_alg.whole = (td_span){alg, n};
        r = reencode(&cert);
        ck_assert_msg(r == cases[i].want, "case %zu: reason %d", i, (int)r);
        if (r != TD_X509_OK)
            continue;
        ck_assert_msg(cert2.sig_alg.sig == cases[i].sig, "case %zu: sig %d", i,
                      (int)cert2.sig_alg.sig);
        ck_assert_int_eq(cert2.tbs_sig.sig, cases[i].sig);
        if (cases[i].sig == TD_X509_SIG_RSA_PSS) {
            ck_assert_uint_eq(cert2.sig_alg.pss_hash_len, 32);
            ck_assert_uint_eq(cert2.sig_alg.pss_mgf_hash_len, 32);
            ck_assert_uint_eq(cert2.sig_alg.pss_salt_len, 32);
        }
    }
}
END_TEST

START_TEST(test_edit_names_times)
{
    static uint8_t buf[2048];
    static td_x509_attr attrs[TD_X509_MAX_NAME_ATTRS + 1];
    /* one RDN of two attributes, O=x and C=XX, in DER order (X.690 11.6:
     * the encodings compared as octet strings; 30 08 ... (O) sorts before
     * 30 09 ... (C)) */
    static const uint8_t rdn_ok[] = {0x30, 0x17, 0x31, 0x15, 0x30, 0x08, 0x06, 0x03, 0x55,
                                     0x04, 0x0a, 0x0c, 0x01, 'x',  0x30, 0x09, 0x06, 0x03,
                                     0x55, 0x04, 0x06, 0x13, 0x02, 'X',  'X'};
    static const uint8_t rdn_bad[] = {0x30, 0x17, 0x31, 0x15, 0x30, 0x09, 0x06, 0x03, 0x55,
                                      0x04, 0x06, 0x13, 0x02, 'X',  'X',  0x30, 0x08, 0x06,
                                      0x03, 0x55, 0x04, 0x0a, 0x0c, 0x01, 'x'};
    td_wr w;
    td_span v;
    size_t i;

    /* td_x509_encode_name rebuilds the issuer of server-p256 (O, CN: one
     * attribute per RDN, asn1parse above) */
    p256_decoded();
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_name(&w, cert.issuer.attrs, cert.issuer.n_attrs), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    ck_assert(v.len == cert.issuer.whole.len && memcmp(v.p, cert.issuer.whole.p, v.len) == 0);

    for (i = 0; i < TD_X509_MAX_NAME_ATTRS + 1; i++)
        attrs[i] = cert.issuer.attrs[1];
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_name(&w, attrs, TD_X509_MAX_NAME_ATTRS + 1), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    cert.subject.whole = v;
    ck_assert_int_eq(reencode(&cert), TD_X509_LIMIT);

    cert.subject.whole = SPAN(rdn_ok);
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_uint_eq(cert2.subject.n_attrs, 2);
    ck_assert_uint_eq(cert2.subject.cn.len, 0);
    cert.subject.whole = SPAN(rdn_bad);
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_DER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_SET_ORDER);
    /* an empty RDN: SET SIZE (1..MAX) */
    cert.subject.whole = (td_span){(const uint8_t *)"\x30\x02\x31\x00", 4};
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_DER);
    /* an empty Name is fine (RFC 5280 4.1.2.6) */
    cert.subject.whole = (td_span){(const uint8_t *)"\x30\x00", 2};
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);

    /* notAfter 2050-01-01: GeneralizedTime (RFC 5280 4.1.2.5) */
    p256_decoded();
    cert.not_after = 2524608000;
    cert.not_after_tag = TD_DER_GENERALIZED_TIME;
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_uint_eq(cert2.not_after_tag, TD_DER_GENERALIZED_TIME);
    ck_assert_int_eq(cert2.not_after, 2524608000);
    /* UTCTime 491231235959Z and 500101000000Z (1950) */
    cert.not_after = 2524607999;
    cert.not_after_tag = TD_DER_UTC_TIME;
    cert.not_before = -631152000;
    cert.not_before_tag = TD_DER_UTC_TIME;
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_int_eq(cert2.not_after, 2524607999);
    ck_assert_int_eq(cert2.not_before, -631152000);
}
END_TEST

START_TEST(test_encode_values)
{
    static const struct {
        unsigned ku;
        const char *hex;
    } kus[] = {
        /* server-p256's keyUsage (asn1parse), the CAs' (keyCertSign,
         * cRLSign), server-rsa2048's (+ keyEncipherment); decipherOnly is
         * bit 8: a second octet, 7 unused bits */
        {TD_X509_KU_DIGITAL_SIGNATURE, "03020780"},
        {TD_X509_KU_KEY_CERT_SIGN | TD_X509_KU_CRL_SIGN, "03020106"},
        {TD_X509_KU_DIGITAL_SIGNATURE | TD_X509_KU_KEY_ENCIPHERMENT, "030205a0"},
        {TD_X509_KU_DECIPHER_ONLY, "0303070080"},
        {0, "030100"},
    };
    /* extKeyUsage serverAuth and the SAN of server-p256 (asn1parse) */
    static const char eku_hex[] = "300a06082b06010505070301";
    static const char san_hex[] = "302682137365727665722e746c73646966662e7465737482096c6f63"
                                  "616c686f737487047f000001";
    static const uint8_t ip[] = {127, 0, 0, 1};
    td_x509_gname san[3] = {
        {TD_X509_GN_DNS, {(const uint8_t *)"server.tlsdiff.test", 19}},
        {TD_X509_GN_DNS, {(const uint8_t *)"localhost", 9}},
        {TD_X509_GN_IP, SPAN(ip)},
    };
    uint8_t buf[128], want[128];
    td_wr w;
    td_span v;
    size_t i, n;

    for (i = 0; i < sizeof kus / sizeof kus[0]; i++) {
        n = unhex(kus[i].hex, want);
        td_wr_init(&w, buf, sizeof buf);
        ck_assert_int_eq(td_x509_encode_key_usage(&w, kus[i].ku), TD_OK);
        ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
        ck_assert_msg(v.len == n && memcmp(v.p, want, n) == 0, "key usage %x", kus[i].ku);
    }
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_key_usage(&w, 1u << 9), TD_ERR_INTERNAL);

    n = unhex(eku_hex, want);
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_eku(&w, &td_x509_oid_server_auth, 1), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    ck_assert(v.len == n && memcmp(v.p, want, n) == 0);

    n = unhex(san_hex, want);
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_general_names(&w, san, 3), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    ck_assert(v.len == n && memcmp(v.p, want, n) == 0);

    /* the known OIDs, by hand: 2.5.29.19, 2.5.4.3, 2.5.29.37.0 */
    ck_assert(td_der_oid_is(td_x509_oid_basic_constraints, (const uint8_t *)"\x55\x1d\x13", 3));
    ck_assert(td_der_oid_is(td_x509_oid_common_name, (const uint8_t *)"\x55\x04\x03", 3));
    ck_assert(td_der_oid_is(td_x509_oid_any_eku, (const uint8_t *)"\x55\x1d\x25\x00", 4));
    ck_assert(td_der_oid_is(td_x509_oid_client_auth, client_auth, sizeof client_auth));
}
END_TEST

/* A directoryName SAN entry keeps the Name element and round-trips. */
START_TEST(test_edit_directory_name)
{
    static uint8_t buf[512];
    td_x509_gname g[2];
    td_wr w;
    td_span v;

    p256_decoded();
    g[0].type = TD_X509_GN_DIR;
    g[0].value = cert.issuer.whole;
    g[1].type = TD_X509_GN_URI;
    g[1].value = (td_span){(const uint8_t *)"https://x.test/", 15};
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_general_names(&w, g, 2), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    ext_of(&cert, TD_X509_EXT_SUBJECT_ALT_NAME)->value = v;
    ck_assert_int_eq(reencode(&cert), TD_X509_OK);
    ck_assert_uint_eq(cert2.n_san, 2);
    ck_assert_uint_eq(cert2.san[0].type, TD_X509_GN_DIR);
    ck_assert(cert2.san[0].value.len == cert.issuer.whole.len &&
              memcmp(cert2.san[0].value.p, cert.issuer.whole.p, cert.issuer.whole.len) == 0);
    /* a URI that is not IA5 */
    g[1].value = (td_span){(const uint8_t *)"\xc3\xa9", 2};
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_x509_encode_general_names(&w, g, 2), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &v), TD_OK);
    ext_of(&cert, TD_X509_EXT_SUBJECT_ALT_NAME)->value = v;
    ck_assert_int_eq(reencode(&cert), TD_X509_BAD_EXTENSION);
}
END_TEST

Suite *td_x509_cert_suite(void);

Suite *td_x509_cert_suite(void)
{
    Suite *s = suite_create("x509_cert");
    TCase *tc;

    tc = tcase_create("valid");
    tcase_add_loop_test(tc, test_pki_fields, 0, (int)(sizeof pki / sizeof pki[0]));
    tcase_add_test(tc, test_pki_links);
    suite_add_tcase(s, tc);

    tc = tcase_create("roundtrip");
    tcase_add_test(tc, test_roundtrip);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncated");
    tcase_add_test(tc, test_truncated);
    suite_add_tcase(s, tc);

    tc = tcase_create("bounds");
    tcase_add_test(tc, test_lengths);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid");
    tcase_add_unchecked_fixture(tc, p256_load, p256_free);
    tcase_add_test(tc, test_patch_der);
    tcase_add_test(tc, test_patch_reasons);
    tcase_add_test(tc, test_patch_extensions);
    tcase_add_test(tc, test_patch_keys_times);
    tcase_add_test(tc, test_patch_order);
    suite_add_tcase(s, tc);

    tc = tcase_create("encode");
    tcase_add_unchecked_fixture(tc, p256_load, p256_free);
    tcase_add_test(tc, test_edit_version_serial);
    tcase_add_test(tc, test_edit_extensions);
    tcase_add_test(tc, test_edit_too_many_exts);
    tcase_add_test(tc, test_edit_tbs_tail);
    tcase_add_test(tc, test_edit_name_constraints);
    tcase_add_test(tc, test_edit_other_extensions);
    tcase_add_test(tc, test_edit_algorithms);
    tcase_add_test(tc, test_edit_names_times);
    tcase_add_test(tc, test_encode_values);
    tcase_add_test(tc, test_edit_directory_name);
    suite_add_tcase(s, tc);
    return s;
}
