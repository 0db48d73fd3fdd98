/*
 * AlgorithmIdentifier (RFC 5280 4.1.1.2) and what the reference makes of
 * it: the signature algorithm (RFC 4055, RFC 5758 3.2, RFC 8410 3) and
 * the subject public key type (RFC 3279 2.3, RFC 4055 1.2, RFC 5480 2,
 * RFC 8410 3).
 *
 *     AlgorithmIdentifier  ::=  SEQUENCE  {
 *          algorithm               OBJECT IDENTIFIER,
 *          parameters              ANY DEFINED BY algorithm OPTIONAL  }
 *
 *     RSASSA-PSS-params  ::=  SEQUENCE  {             -- RFC 4055 3.1
 *          hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
 *          maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
 *          saltLength         [2] INTEGER DEFAULT 20,
 *          trailerField       [3] INTEGER DEFAULT 1  }
 *
 * (the RFC 4055 module has EXPLICIT tags).
 *
 * Parameters are ANY: whatever they are, they must be DER
 * (td_der_check_all), else BAD_DER. An algorithm whose parameters are
 * not what its RFC prescribes is not one the reference verifies: sig or
 * key UNKNOWN, and path validation judges it (unsupported), the
 * certificate itself still decodes. A DEFAULT value written out in
 * RSASSA-PSS-params is a DER violation (X.690 11.5): BAD_DER.
 */
#include "td_x509_dec.h"

#include <string.h>

/* 1.2.840.113549.1.1.x (PKCS #1) */
static const uint8_t pkcs1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01};
enum {
    PKCS1_RSA = 1,    /* rsaEncryption */
    PKCS1_MGF1 = 8,   /* id-mgf1 */
    PKCS1_PSS = 10,   /* id-RSASSA-PSS */
    PKCS1_SHA256 = 11, /* sha256WithRSAEncryption */
    PKCS1_SHA384 = 12,
    PKCS1_SHA512 = 13,
};
/* 1.2.840.10045.4.3.{2,3,4} ecdsa-with-SHA256/384/512 */
static const uint8_t ecdsa_sha[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03};
/* 1.3.101.112 id-Ed25519 */
static const uint8_t ed25519[] = {0x2b, 0x65, 0x70};
/* 1.2.840.10045.2.1 id-ecPublicKey */
static const uint8_t ec_public_key[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
/* 1.2.840.10045.3.1.7 prime256v1, 1.3.132.0.34 secp384r1 */
static const uint8_t p256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
/* 2.16.840.1.101.3.4.2.{1,2,3} id-sha256/384/512 */
static const uint8_t sha2[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02};
/* 1.3.14.3.2.26 id-sha1 */
static const uint8_t sha1[] = {0x2b, 0x0e, 0x03, 0x02, 0x1a};

#define OID_IS(span, oid) td_der_oid_is((span), (oid), sizeof(oid))

/* The last arc of an OID under prefix (one-octet arcs), or -1. */
static int oid_under(td_span oid, const uint8_t *prefix, size_t n)
{
    td_rd r;
    td_span head;
    uint8_t last;

    td_rd_init_span(&r, oid);
    if (oid.len != n + 1 || td_rd_span(&r, n, &head) != TD_OK ||
        memcmp(head.p, prefix, n) != 0 || td_rd_u8(&r, &last) != TD_OK)
        return -1;
    return last;
}

static int params_absent(const td_x509_alg *a)
{
    return a->params.len == 0;
}

/* parameters is exactly NULL (05 00) */
static int params_null(const td_x509_alg *a)
{
    td_rd r;
    td_span v;

    td_rd_init_span(&r, a->params);
    return a->params.len > 0 && td_der_expect(&r, TD_DER_NULL, &v, NULL) == TD_DER_OK &&
           v.len == 0 && td_rd_left(&r) == 0;
}

/* A HashAlgorithm (RFC 4055 2.1): SHA-256/384/512 as 32/48/64, SHA-1 as
 * 20, others 0. "implementations MUST accept both NULL and absent
 * parameters as legal and equivalent encodings". */
static unsigned hash_len(const td_x509_alg *h)
{
    int arc = oid_under(h->oid, sha2, sizeof sha2);

    if (!params_absent(h) && !params_null(h))
        return 0;
    if (OID_IS(h->oid, sha1))
        return 20;
    return arc == 1 ? 32 : arc == 2 ? 48 : arc == 3 ? 64 : 0;
}

/* The one element inside an explicit tag [n]: its contents reader. */
static td_x509_reason explicit_inner(td_rd *rd, uint8_t n, td_rd *inner, int *present)
{
    td_span v;
    uint8_t tag;

    *present = 0;
    if (td_rd_left(rd) == 0 || td_der_peek(rd, &tag) != TD_DER_OK ||
        tag != TD_DER_CTX_CONS(n))
        return TD_X509_OK;
    ENSURE(td_der_expect(rd, tag, &v, NULL) == TD_DER_OK, TD_X509_BAD_DER);
    td_rd_init_span(inner, v);
    *present = 1;
    return TD_X509_OK;
}

/* MaskGenAlgorithm: id-mgf1 with a HashAlgorithm as parameters (RFC 4055
 * 2.2); its hash length as hash_len, 0 for another function. */
static void mgf_read(td_rd *in, unsigned *len)
{
    td_x509_alg mgf, h;
    td_rd pr;

    *len = 0;
    if (td_x509_alg_read(in, &mgf) != TD_X509_OK)
        return;
    if (oid_under(mgf.oid, pkcs1, sizeof pkcs1) != PKCS1_MGF1)
        return;
    td_rd_init_span(&pr, mgf.params);
    if (mgf.params.len == 0 || td_x509_alg_read(&pr, &h) != TD_X509_OK ||
        td_rd_left(&pr) != 0)
        return;
    *len = hash_len(&h);
}

/* A DEFAULT value present: X.690 11.5. */
static td_x509_reason default_present(td_span at)
{
    td_der_failure_set(TD_DER_DEFAULT_VALUE, at.p);
    return TD_X509_BAD_DER;
}

/* An optional [n] { INTEGER } of RSASSA-PSS-params: *v (kept when
 * absent); *ok = 0 when it is not a small non-negative INTEGER. */
static td_x509_reason pss_int(td_rd *rd, uint8_t n, uint64_t dflt, uint64_t *v, int *ok)
{
    td_rd in;
    td_span iv;
    int present;

    TRY(explicit_inner(rd, n, &in, &present));
    if (!present)
        return TD_X509_OK;
    if (td_der_expect(&in, TD_DER_INTEGER, &iv, NULL) != TD_DER_OK ||
        td_rd_left(&in) != 0 || td_der_uint(iv, UINT32_MAX, v) != TD_DER_OK) {
        *ok = 0;
        return TD_X509_OK;
    }
    if (*v == dflt)
        return default_present(iv);
    return TD_X509_OK;
}

/* RSASSA-PSS-params from the parameters element into a; *ok = 0 when
 * they are not that structure or not values the reference verifies
 * (then the caller calls the algorithm unknown). */
static td_x509_reason pss_params(td_x509_alg *a, int *ok)
{
    td_rd top, rd, in;
    td_span body;
    td_x509_alg h;
    uint64_t salt = 20, trailer = 1;
    unsigned hlen = 20, mlen = 20;
    int present;

    *ok = 0;
    td_rd_init_span(&top, a->params);
    if (td_der_expect(&top, TD_DER_SEQUENCE, &body, NULL) != TD_DER_OK)
        return TD_X509_OK;
    *ok = 1;
    td_rd_init_span(&rd, body);
    TRY(explicit_inner(&rd, 0, &in, &present));
    if (present) {
        /* the parameters passed td_der_check_all: a failure here is a
         * shape the RFC does not have, not a DER error */
        hlen = 0;
        if (td_x509_alg_read(&in, &h) == TD_X509_OK)
            hlen = hash_len(&h);
        else
            *ok = 0;
        if (hlen == 20) /* sha1Identifier is the DEFAULT */
            return default_present(h.whole);
        *ok &= td_rd_left(&in) == 0;
    }
    TRY(explicit_inner(&rd, 1, &in, &present));
    if (present) {
        mgf_read(&in, &mlen);
        if (mlen == 20) /* mgf1SHA1Identifier is the DEFAULT */
            return default_present(body);
        *ok &= td_rd_left(&in) == 0;
    }
    TRY(pss_int(&rd, 2, 20, &salt, ok));
    TRY(pss_int(&rd, 3, 1, &trailer, ok));
    /* RFC 4055 3.1: trailerField 1 (trailerFieldBC) is the only one */
    *ok &= trailer == 1 && td_rd_left(&rd) == 0;
    /* SHA-1 is not verified here: 0 (RFC 8446 4.2.3 has no SHA-1 PSS) */
    a->pss_hash_len = hlen == 20 ? 0 : hlen;
    a->pss_mgf_hash_len = mlen == 20 ? 0 : mlen;
    a->pss_salt_len = (unsigned)salt;
    return TD_X509_OK;
}

/* The signature algorithm of a. */
static td_x509_reason classify_sig(td_x509_alg *a)
{
    int rsa = oid_under(a->oid, pkcs1, sizeof pkcs1);
    int ec = oid_under(a->oid, ecdsa_sha, sizeof ecdsa_sha);
    int ok;

    a->sig = TD_X509_SIG_UNKNOWN;
    if (rsa >= PKCS1_SHA256 && rsa <= PKCS1_SHA512) {
        /* RFC 4055 5: "the parameters MUST be NULL. Implementations MUST
         * accept the parameters being absent as well as present." */
        if (params_null(a) || params_absent(a))
            a->sig = rsa == PKCS1_SHA256   ? TD_X509_SIG_RSA_PKCS1_SHA256
                     : rsa == PKCS1_SHA384 ? TD_X509_SIG_RSA_PKCS1_SHA384
                                           : TD_X509_SIG_RSA_PKCS1_SHA512;
    } else if (rsa == PKCS1_PSS) {
        /* RFC 4055 3.1: with a signature value the parameters "MUST be
         * present" */
        if (params_absent(a))
            return TD_X509_OK;
        TRY(pss_params(a, &ok));
        if (ok)
            a->sig = TD_X509_SIG_RSA_PSS;
    } else if (ec >= 2 && ec <= 4) {
        /* RFC 5758 3.2: "the encoding MUST omit the parameters field" */
        if (params_absent(a))
            a->sig = ec == 2   ? TD_X509_SIG_ECDSA_SHA256
                     : ec == 3 ? TD_X509_SIG_ECDSA_SHA384
                               : TD_X509_SIG_ECDSA_SHA512;
    } else if (OID_IS(a->oid, ed25519)) {
        /* RFC 8410 3: "the parameters MUST be absent" */
        if (params_absent(a))
            a->sig = TD_X509_SIG_ED25519;
    }
    return TD_X509_OK;
}

td_x509_reason td_x509_alg_read(td_rd *rd, td_x509_alg *alg)
{
    td_rd in;
    td_span body, v;
    uint8_t tag;

    memset(alg, 0, sizeof *alg);
    ENSURE(td_der_expect(rd, TD_DER_SEQUENCE, &body, &alg->whole) == TD_DER_OK,
           TD_X509_BAD_DER);
    td_rd_init_span(&in, body);
    ENSURE(td_der_expect(&in, TD_DER_OID, &alg->oid, NULL) == TD_DER_OK,
           TD_X509_BAD_DER);
    ENSURE(td_der_oid(alg->oid) == TD_DER_OK, TD_X509_BAD_DER);
    if (td_rd_left(&in) > 0) {
        ENSURE(td_der_read(&in, &tag, &v, &alg->params) == TD_DER_OK, TD_X509_BAD_DER);
        ENSURE(td_der_check_all(alg->params) == TD_DER_OK, TD_X509_BAD_DER);
    }
    ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_DER);
    return classify_sig(alg);
}

/* The key type, without the PSS case. */
static td_x509_key classify_key(const td_x509_alg *alg)
{
    int rsa = oid_under(alg->oid, pkcs1, sizeof pkcs1);

    if (rsa == PKCS1_RSA)
        /* RFC 3279 2.3.1: "the parameters field MUST have ASN.1 type NULL" */
        return params_null(alg) ? TD_X509_KEY_RSA : TD_X509_KEY_UNKNOWN;
    if (OID_IS(alg->oid, ec_public_key)) {
        /* RFC 5480 2.1.1: ECParameters, namedCurve in practice */
        td_rd r;
        td_span curve;

        td_rd_init_span(&r, alg->params);
        if (alg->params.len == 0)
            return TD_X509_KEY_UNKNOWN;
        if (td_der_expect(&r, TD_DER_OID, &curve, NULL) == TD_DER_OK) {
            if (OID_IS(curve, p256))
                return TD_X509_KEY_EC_P256;
            if (OID_IS(curve, p384))
                return TD_X509_KEY_EC_P384;
        }
        return TD_X509_KEY_EC_OTHER;
    }
    if (OID_IS(alg->oid, ed25519))
        /* RFC 8410 3: parameters absent */
        return params_absent(alg) ? TD_X509_KEY_ED25519 : TD_X509_KEY_UNKNOWN;
    return TD_X509_KEY_UNKNOWN;
}

td_x509_reason td_x509_key_classify(td_x509_alg *alg, unsigned unused, td_x509_key *key)
{
    int ok = 1;

    alg->sig = TD_X509_SIG_UNKNOWN; /* not a signature algorithm here */
    *key = TD_X509_KEY_UNKNOWN;
    if (oid_under(alg->oid, pkcs1, sizeof pkcs1) == PKCS1_PSS) {
        /* RFC 4055 1.2: parameters absent (any PSS use) or restricting
         * it; their DEFAULT rule holds here too */
        if (!params_absent(alg))
            TRY(pss_params(alg, &ok));
        if (ok && unused == 0)
            *key = TD_X509_KEY_RSA_PSS;
        return TD_X509_OK;
    }
    /* the keys we know are whole octets */
    if (unused == 0)
        *key = classify_key(alg);
    return TD_X509_OK;
}
