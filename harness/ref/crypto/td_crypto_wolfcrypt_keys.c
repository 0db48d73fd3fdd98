/*
 * The crypto adapter on wolfCrypt, part 3: keys. One of the files
 * td_crypto_wolfcrypt*.c that may include wolfCrypt (td_crypto_wolfcrypt.h).
 *
 * Private keys: PEM or DER; PKCS#8 (RFC 5208 5)
 *     PrivateKeyInfo ::= SEQUENCE {
 *         version                   Version,
 *         privateKeyAlgorithm       PrivateKeyAlgorithmIdentifier,
 *         privateKey                PrivateKey,
 *         attributes           [0]  IMPLICIT Attributes OPTIONAL }
 *   or the type's own form (RSAPrivateKey, RFC 8017 A.1.2; ECPrivateKey,
 *   RFC 5915 3). The DER is kept in the td_key and parsed on every use.
 *
 * Public keys come from a certificate (RFC 5280 4.1):
 *     Certificate  ::=  SEQUENCE  {
 *         tbsCertificate       TBSCertificate, ... }
 *     TBSCertificate  ::=  SEQUENCE  {
 *         version         [0]  EXPLICIT Version DEFAULT v1,
 *         serialNumber         CertificateSerialNumber,
 *         signature            AlgorithmIdentifier,
 *         issuer               Name,
 *         validity             Validity,
 *         subject              Name,
 *         subjectPublicKeyInfo SubjectPublicKeyInfo, ... }
 *     SubjectPublicKeyInfo  ::=  SEQUENCE  {
 *         algorithm            AlgorithmIdentifier,
 *         subjectPublicKey     BIT STRING  }
 *   with the algorithms rsaEncryption (RFC 3279 2.3.1), id-ecPublicKey with
 *   namedCurve secp256r1 / secp384r1 (RFC 5480 2.1.1) and id-Ed25519
 *   (RFC 8410 3). The SubjectPublicKeyInfo's bytes are kept as they are.
 *
 * A certificate that does not parse is bad_certificate; a key of another
 * type is unsupported_certificate (td_crypto.h; RFC 8446 6.2).
 */
#include "td_crypto_wolfcrypt.h"

#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>

#include <string.h>

/* DER encodings (tag, length, value) of the OIDs named above */
static const uint8_t oid_rsa[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                  0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t oid_ec[] = {0x06, 0x07, 0x2a, 0x86, 0x48,
                                 0xce, 0x3d, 0x02, 0x01};
static const uint8_t oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                   0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};

enum {
    DER_INTEGER = 0x02,
    DER_OID = 0x06,
    DER_SEQUENCE = 0x30,
    DER_CONTEXT_0 = 0xa0,
};

int td_wc_ecc_curve(td_key_type type)
{
    switch (type) {
    case TD_KEY_EC_P256:
        return ECC_SECP256R1;
    case TD_KEY_EC_P384:
        return ECC_SECP384R1;
    default:
        return ECC_CURVE_INVALID;
    }
}

/* ------------------------------------------------------------------------
 * td_key -> wolfCrypt
 * ------------------------------------------------------------------------ */

td_err td_wc_rsa_load(const td_key *key, RsaKey *rsa)
{
    word32 idx = 0;
    int ret;

    ENSURE(key->type == TD_KEY_RSA && key->der_len <= TD_KEY_MAX_DER,
           TD_ERR_INTERNAL);
    if (key->is_private)
        ret = wc_RsaPrivateKeyDecode(key->der, &idx, rsa, (word32)key->der_len);
    else
        ret = wc_RsaPublicKeyDecode(key->der, &idx, rsa, (word32)key->der_len);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

td_err td_wc_ecc_load(const td_key *key, ecc_key *ecc)
{
    word32 idx = 0;
    int ret;

    ENSURE(td_wc_ecc_curve(key->type) != ECC_CURVE_INVALID &&
               key->der_len <= TD_KEY_MAX_DER,
           TD_ERR_INTERNAL);
    if (key->is_private)
        ret = wc_EccPrivateKeyDecode(key->der, &idx, ecc, (word32)key->der_len);
    else
        ret = wc_EccPublicKeyDecode(key->der, &idx, ecc, (word32)key->der_len);
    ENSURE(ret == 0 && ecc->dp != NULL, TD_ERR_CRYPTO);
    ENSURE(ecc->dp->id == td_wc_ecc_curve(key->type), TD_ERR_CRYPTO);
    /* RFC 5915 3: publicKey is optional in ECPrivateKey; derive it so that
     * a private key verifies too */
    if (ecc->type == ECC_PRIVATEKEY_ONLY)
        ENSURE(wc_ecc_make_pub(ecc, NULL) == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

td_err td_wc_ed25519_load(const td_key *key, ed25519_key *ed)
{
    uint8_t pub[ED25519_PUB_KEY_SIZE];
    word32 idx = 0;

    ENSURE(key->type == TD_KEY_ED25519 && key->der_len <= TD_KEY_MAX_DER,
           TD_ERR_INTERNAL);
    if (!key->is_private) {
        ENSURE(wc_Ed25519PublicKeyDecode(key->der, &idx, ed,
                                         (word32)key->der_len) == 0,
               TD_ERR_CRYPTO);
        return TD_OK;
    }
    ENSURE(wc_Ed25519PrivateKeyDecode(key->der, &idx, ed,
                                      (word32)key->der_len) == 0,
           TD_ERR_CRYPTO);
    /* RFC 8410 7: the public key is optional in the private key's
     * encoding; signing needs it (RFC 8032 5.1.6 step 2), so derive it. */
    ENSURE(wc_ed25519_make_public(ed, pub, sizeof pub) == 0, TD_ERR_CRYPTO);
    ENSURE(wc_ed25519_import_public(pub, sizeof pub, ed) == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * Private keys
 * ------------------------------------------------------------------------ */

/* Count the significant bits of a big-endian number. */
static size_t be_bits(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i]) {
            size_t bits = (n - i) * 8;
            uint8_t top = p[i];
            while (!(top & 0x80)) {
                top = (uint8_t)(top << 1);
                bits--;
            }
            return bits;
        }
    }
    return 0;
}

static td_err rsa_classify_with(RsaKey *rsa, td_key *out)
{
    uint8_t n[TD_WC_RSA_MAX_LEN];
    size_t k;

    TRY(td_wc_rsa_load(out, rsa));
    TRY(td_wc_rsa_modulus(rsa, n, &k));
    out->bits = be_bits(n, k);
    /* RFC 8017 3.1: the modulus is odd and at least 512 bits here */
    ENSURE(out->bits >= 512 && (n[k - 1] & 1), TD_ERR_UNSUPPORTED);
    return TD_OK;
}

static td_err ec_classify_with(ecc_key *ecc, td_key *out)
{
    word32 idx = 0;
    int ret;

    if (out->is_private)
        ret = wc_EccPrivateKeyDecode(out->der, &idx, ecc, (word32)out->der_len);
    else
        ret = wc_EccPublicKeyDecode(out->der, &idx, ecc, (word32)out->der_len);
    ENSURE(ret == 0 && ecc->dp != NULL, TD_ERR_CRYPTO);
    if (ecc->dp->id == ECC_SECP256R1) {
        out->type = TD_KEY_EC_P256;
        out->bits = 256;
    } else if (ecc->dp->id == ECC_SECP384R1) {
        out->type = TD_KEY_EC_P384;
        out->bits = 384;
    } else {
        return TD_ERR_UNSUPPORTED; /* another curve: P-521, say */
    }
    return TD_OK;
}

/* Is the DER in *out a key of this type (for EC: of any curve)? TD_OK
 * with out->type and out->bits set when it is. */
static td_err classify(td_key *out, td_key_type type)
{
    td_err err = TD_ERR_CRYPTO;

    out->type = type;
    if (type == TD_KEY_RSA) {
        RsaKey rsa;
        ENSURE(wc_InitRsaKey(&rsa, NULL) == 0, TD_ERR_CRYPTO);
        err = rsa_classify_with(&rsa, out);
        wc_FreeRsaKey(&rsa);
        td_secure_zero(&rsa, sizeof rsa);
    } else if (type == TD_KEY_EC_P256 || type == TD_KEY_EC_P384) {
        ecc_key ecc;
        ENSURE(wc_ecc_init_ex(&ecc, NULL, INVALID_DEVID) == 0, TD_ERR_CRYPTO);
        err = ec_classify_with(&ecc, out);
        wc_ecc_free(&ecc);
        td_secure_zero(&ecc, sizeof ecc);
    } else if (type == TD_KEY_ED25519) {
        ed25519_key ed;
        ENSURE(wc_ed25519_init(&ed) == 0, TD_ERR_CRYPTO);
        err = td_wc_ed25519_load(out, &ed);
        out->bits = 256; /* RFC 8032 5.1: b = 256 */
        wc_ed25519_free(&ed);
        td_secure_zero(&ed, sizeof ed);
    }
    return err;
}

td_err td_key_load_private(td_span pem_or_der, td_key *out)
{
    static const td_key_type types[] = {TD_KEY_RSA, TD_KEY_EC_P256,
                                        TD_KEY_ED25519};
    td_err err = TD_ERR_SYNTAX;
    size_t i;
    int n;

    memset(out, 0, sizeof *out);
    ENSURE(pem_or_der.len > 0 && pem_or_der.len <= INT32_MAX, TD_ERR_SYNTAX);
    n = wc_KeyPemToDer(pem_or_der.p, (int)pem_or_der.len, out->der,
                       (int)sizeof out->der, NULL);
    if (n > 0) {
        out->der_len = (size_t)n;
    } else {
        /* not PEM: take it as DER */
        ENSURE(pem_or_der.len <= sizeof out->der, TD_ERR_NOSPACE);
        memcpy(out->der, pem_or_der.p, pem_or_der.len);
        out->der_len = pem_or_der.len;
    }
    out->is_private = 1;
    for (i = 0; i < sizeof types / sizeof types[0]; i++) {
        err = classify(out, types[i]);
        if (err == TD_OK)
            return TD_OK;
        if (err == TD_ERR_UNSUPPORTED)
            break;
    }
    td_secure_zero(out, sizeof *out);
    /* a P-521 key, say, parses but is not one of ours */
    return err == TD_ERR_UNSUPPORTED ? TD_ERR_UNSUPPORTED : TD_ERR_SYNTAX;
}

/* ------------------------------------------------------------------------
 * Certificates
 * ------------------------------------------------------------------------ */

/* One DER element (X.690 8.1): its tag, its contents as a reader, and the
 * whole element's bytes. Lengths up to three octets (certificates are far
 * below 2^24 bytes). */
static td_err der_next(td_rd *rd, uint8_t *tag, td_rd *contents, td_span *raw)
{
    td_rd r = *rd, whole = *rd;
    td_span body;
    uint8_t t, first;
    size_t len;

    TRY(td_rd_u8(&r, &t));
    TRY(td_rd_u8(&r, &first));
    if (first < 0x80) {
        len = first;
    } else if (first == 0x81) {
        uint8_t v;
        TRY(td_rd_u8(&r, &v));
        len = v;
    } else if (first == 0x82) {
        uint16_t v;
        TRY(td_rd_u16(&r, &v));
        len = v;
    } else if (first == 0x83) {
        uint32_t v;
        TRY(td_rd_u24(&r, &v));
        len = v;
    } else {
        return TD_ALERT_DECODE_ERROR;
    }
    TRY(td_rd_span(&r, len, &body));
    TRY(td_rd_span(&whole, td_rd_left(rd) - td_rd_left(&r), raw));
    td_rd_init_span(contents, body);
    *tag = t;
    *rd = r;
    return TD_OK;
}

/* The next element, which must carry this tag. */
static td_err der_expect(td_rd *rd, uint8_t tag, td_rd *contents, td_span *raw)
{
    uint8_t t;

    TRY(der_next(rd, &t, contents, raw));
    ENSURE(t == tag, TD_ALERT_DECODE_ERROR);
    return TD_OK;
}

static int span_is(td_span s, const uint8_t *p, size_t n)
{
    return s.len == n && memcmp(s.p, p, n) == 0;
}

/* Certificate -> subjectPublicKeyInfo (the element's bytes) and the
 * algorithm's OID and parameters. */
static td_err cert_spki(td_span cert, td_span *spki, td_span *alg,
                        td_span *params)
{
    td_rd r, cert_c, tbs, spki_c, alg_c, skip;
    td_span raw;
    uint8_t tag;
    int i;

    td_rd_init_span(&r, cert);
    TRY(der_expect(&r, DER_SEQUENCE, &cert_c, &raw));
    TRY(td_rd_done(&r));
    TRY(der_expect(&cert_c, DER_SEQUENCE, &tbs, &raw));
    TRY(der_next(&tbs, &tag, &skip, &raw));
    if (tag == DER_CONTEXT_0) /* version */
        TRY(der_expect(&tbs, DER_INTEGER, &skip, &raw));
    else
        ENSURE(tag == DER_INTEGER, TD_ALERT_DECODE_ERROR);
    /* signature, issuer, validity, subject */
    for (i = 0; i < 4; i++)
        TRY(der_expect(&tbs, DER_SEQUENCE, &skip, &raw));
    TRY(der_expect(&tbs, DER_SEQUENCE, &spki_c, spki));
    TRY(der_expect(&spki_c, DER_SEQUENCE, &alg_c, &raw));
    TRY(der_expect(&alg_c, DER_OID, &skip, alg));
    td_rd_rest(&alg_c, params);
    return TD_OK;
}

/* wolfCrypt's own parse of the whole certificate (no chain checks). */
static td_err cert_parses(td_span cert)
{
    DecodedCert dc;
    int ret;

    wc_InitDecodedCert(&dc, cert.p, (word32)cert.len, NULL);
    ret = wc_ParseCert(&dc, CERT_TYPE, NO_VERIFY, NULL);
    wc_FreeDecodedCert(&dc);
    ENSURE(ret == 0, TD_ALERT_BAD_CERTIFICATE);
    return TD_OK;
}

td_err td_key_from_cert(td_span cert_der, td_key *out)
{
    td_span spki, alg, params;
    td_key_type type = TD_KEY_NONE;
    td_err err;

    memset(out, 0, sizeof *out);
    ENSURE(cert_der.len > 0 && cert_der.len <= UINT32_MAX,
           TD_ALERT_BAD_CERTIFICATE);
    ENSURE(cert_spki(cert_der, &spki, &alg, &params) == TD_OK,
           TD_ALERT_BAD_CERTIFICATE);
    if (span_is(alg, oid_rsa, sizeof oid_rsa))
        type = TD_KEY_RSA; /* parameters NULL (RFC 3279 2.3.1) */
    else if (span_is(alg, oid_ec, sizeof oid_ec) &&
             span_is(params, oid_p256, sizeof oid_p256))
        type = TD_KEY_EC_P256;
    else if (span_is(alg, oid_ec, sizeof oid_ec) &&
             span_is(params, oid_p384, sizeof oid_p384))
        type = TD_KEY_EC_P384;
    else if (span_is(alg, oid_ed25519, sizeof oid_ed25519) && params.len == 0)
        type = TD_KEY_ED25519; /* RFC 8410 3: parameters absent */
    /* RFC 8446 4.4.2.2, RFC 5246 7.4.2: a key we cannot use */
    ENSURE(type != TD_KEY_NONE, TD_ALERT_UNSUPPORTED_CERTIFICATE);
    TRY(cert_parses(cert_der));
    ENSURE(spki.len <= sizeof out->der, TD_ALERT_UNSUPPORTED_CERTIFICATE);
    memcpy(out->der, spki.p, spki.len);
    out->der_len = spki.len;
    out->is_private = 0;
    /* the key itself must decode (an RSA modulus, a point on the curve) */
    err = classify(out, type);
    if (err != TD_OK) {
        memset(out, 0, sizeof *out);
        return err == TD_ERR_UNSUPPORTED ? TD_ALERT_UNSUPPORTED_CERTIFICATE
                                         : TD_ALERT_BAD_CERTIFICATE;
    }
    ENSURE(out->type == type, TD_ALERT_BAD_CERTIFICATE);
    return TD_OK;
}

td_err td_key_from_spki(td_span spki, td_key_type type, td_key *out)
{
    td_err err;

    memset(out, 0, sizeof *out);
    ENSURE(type == TD_KEY_RSA || type == TD_KEY_EC_P256 || type == TD_KEY_EC_P384 ||
               type == TD_KEY_ED25519,
           TD_ERR_UNSUPPORTED);
    ENSURE(spki.len > 0 && spki.len <= sizeof out->der, TD_ERR_UNSUPPORTED);
    memcpy(out->der, spki.p, spki.len);
    out->der_len = spki.len;
    out->is_private = 0;
    err = classify(out, type);
    if (err == TD_OK && out->type != type)
        err = TD_ERR_SYNTAX;
    if (err != TD_OK) {
        memset(out, 0, sizeof *out);
        return err == TD_ERR_UNSUPPORTED ? TD_ERR_UNSUPPORTED : TD_ERR_SYNTAX;
    }
    return TD_OK;
}
