/*
 * td_x509_decode: one certificate, strictly (RFC 5280 4.1, DER X.690 10
 * and 11).
 *
 *     Certificate  ::=  SEQUENCE  {
 *          tbsCertificate       TBSCertificate,
 *          signatureAlgorithm   AlgorithmIdentifier,
 *          signatureValue       BIT STRING  }
 *
 *     TBSCertificate  ::=  SEQUENCE  {
 *          version         [0]  EXPLICIT Version DEFAULT v1,
 *          serialNumber         CertificateSerialNumber,
 *          signature            AlgorithmIdentifier,
 *          issuer               Name,
 *          validity             Validity,
 *          subject              Name,
 *          subjectPublicKeyInfo SubjectPublicKeyInfo,
 *          issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
 *                               -- If present, version MUST be v2 or v3
 *          subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
 *                               -- If present, version MUST be v2 or v3
 *          extensions      [3]  EXPLICIT Extensions OPTIONAL
 *                               -- If present, version MUST be v3
 *          }
 *
 *     Version  ::=  INTEGER  {  v1(0), v2(1), v3(2)  }
 *     CertificateSerialNumber  ::=  INTEGER
 *     Validity ::= SEQUENCE { notBefore Time, notAfter Time }
 *     UniqueIdentifier  ::=  BIT STRING
 *     SubjectPublicKeyInfo  ::=  SEQUENCE  {
 *          algorithm            AlgorithmIdentifier,
 *          subjectPublicKey     BIT STRING  }
 *
 * The order of the checks, so that a certificate with several problems
 * always gets the same reason (the first that applies):
 *   1. LIMIT for a certificate over TD_X509_MAX_CERT_LEN;
 *   2. the structure, in the order of the bytes: every DER rule and the
 *      shape above (BAD_DER), the fixed maxima of names and extensions
 *      (LIMIT) -- the bytes are not a certificate at all;
 *   3. BAD_VERSION: the version value, and the fields it allows;
 *   4. SIG_ALG_MISMATCH (RFC 5280 4.1.1.2);
 *   5. the extensions (td_x509_ext_check): DUPLICATE_EXTENSION, then
 *      BAD_EXTENSION / LIMIT for the known values in order, then
 *      UNKNOWN_CRITICAL;
 *   6. BAD_SERIAL last: RFC 5280 4.1.2.2 asks users to "gracefully
 *      handle" such serials, so it is the mildest problem.
 *
 * Not decode failures: a key or signature algorithm the reference does
 * not verify leaves key / sig UNKNOWN (and the alg's PSS fields 0) and
 * decoding succeeds; path validation judges them (UNSUPPORTED_KEY,
 * UNSUPPORTED_SIG), so a certificate off the path never fails for them.
 * Also left to validation: the time order of the validity, and the CA
 * rules of RFC 5280 (UTCTime through 2049, cA with pathLen, ...).
 */
#include "td_x509_dec.h"

#include <string.h>

/* 2.5.29.x, id-ce */
static const uint8_t oid_bc[] = {0x55, 0x1d, 0x13};
static const uint8_t oid_ku[] = {0x55, 0x1d, 0x0f};
static const uint8_t oid_eku[] = {0x55, 0x1d, 0x25};
static const uint8_t oid_san[] = {0x55, 0x1d, 0x11};
static const uint8_t oid_nc[] = {0x55, 0x1d, 0x1e};
static const uint8_t oid_aki[] = {0x55, 0x1d, 0x23};
static const uint8_t oid_ski[] = {0x55, 0x1d, 0x0e};
static const uint8_t oid_cp[] = {0x55, 0x1d, 0x20};
/* 1.3.6.1.5.5.7.3.{1,2} id-kp-serverAuth, id-kp-clientAuth */
static const uint8_t oid_server_auth[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
static const uint8_t oid_client_auth[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02};
/* 2.5.29.37.0 anyExtendedKeyUsage */
static const uint8_t oid_any_eku[] = {0x55, 0x1d, 0x25, 0x00};
/* 2.5.4.3 id-at-commonName */
static const uint8_t oid_common_name[] = {0x55, 0x04, 0x03};

#define SPAN_OF(a) {(a), sizeof(a)}
const td_span td_x509_oid_basic_constraints = SPAN_OF(oid_bc),
              td_x509_oid_key_usage = SPAN_OF(oid_ku),
              td_x509_oid_ext_key_usage = SPAN_OF(oid_eku),
              td_x509_oid_subject_alt_name = SPAN_OF(oid_san),
              td_x509_oid_name_constraints = SPAN_OF(oid_nc),
              td_x509_oid_authority_key_id = SPAN_OF(oid_aki),
              td_x509_oid_subject_key_id = SPAN_OF(oid_ski),
              td_x509_oid_certificate_policies = SPAN_OF(oid_cp),
              td_x509_oid_server_auth = SPAN_OF(oid_server_auth),
              td_x509_oid_client_auth = SPAN_OF(oid_client_auth),
              td_x509_oid_any_eku = SPAN_OF(oid_any_eku),
              td_x509_oid_common_name = SPAN_OF(oid_common_name);

/* The next element must be `tag`; BAD_DER otherwise. */
static td_x509_reason expect(td_rd *rd, uint8_t tag, td_span *value, td_span *whole)
{
    ENSURE(td_der_expect(rd, tag, value, whole) == TD_DER_OK, TD_X509_BAD_DER);
    return TD_X509_OK;
}

/* Is the next element there with this tag? */
static int next_is(const td_rd *rd, uint8_t tag)
{
    uint8_t t;

    return td_rd_left(rd) > 0 && td_der_peek(rd, &t) == TD_DER_OK && t == tag;
}

/* version [0] EXPLICIT Version DEFAULT v1. The value is judged later
 * (step 3): -1 when it is no small non-negative INTEGER. */
static td_x509_reason version_read(td_rd *tbs, td_x509_cert *c)
{
    td_rd in;
    td_span body, v;
    uint64_t n;

    if (!next_is(tbs, TD_DER_CTX_CONS(0)))
        return TD_X509_OK; /* v1 by DEFAULT */
    TRY(expect(tbs, TD_DER_CTX_CONS(0), &body, NULL));
    td_rd_init_span(&in, body);
    TRY(expect(&in, TD_DER_INTEGER, &v, NULL));
    ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_DER);
    ENSURE(td_der_integer(v) == TD_DER_OK, TD_X509_BAD_DER);
    c->version_field = 1;
    c->version = td_der_uint(v, 255, &n) == TD_DER_OK ? (int)n : -1;
    return TD_X509_OK;
}

/* Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime } */
static td_x509_reason time_read(td_rd *rd, uint8_t *tag, int64_t *t)
{
    td_span v, whole;

    ENSURE(td_der_read(rd, tag, &v, &whole) == TD_DER_OK, TD_X509_BAD_DER);
    if (*tag != TD_DER_UTC_TIME && *tag != TD_DER_GENERALIZED_TIME) {
        td_der_failure_set(TD_DER_UNEXPECTED_TAG, whole.p);
        return TD_X509_BAD_DER;
    }
    ENSURE(td_der_time(*tag, v, t) == TD_DER_OK, TD_X509_BAD_DER);
    return TD_X509_OK;
}

static td_x509_reason validity_read(td_rd *tbs, td_x509_cert *c)
{
    td_rd in;
    td_span body;

    TRY(expect(tbs, TD_DER_SEQUENCE, &body, NULL));
    td_rd_init_span(&in, body);
    TRY(time_read(&in, &c->not_before_tag, &c->not_before));
    TRY(time_read(&in, &c->not_after_tag, &c->not_after));
    ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_DER);
    return TD_X509_OK;
}

static td_x509_reason spki_read(td_rd *tbs, td_x509_cert *c)
{
    td_rd in;
    td_span body, v;
    unsigned unused;

    TRY(expect(tbs, TD_DER_SEQUENCE, &body, &c->spki));
    td_rd_init_span(&in, body);
    TRY(td_x509_alg_read(&in, &c->spki_alg));
    TRY(expect(&in, TD_DER_BIT_STRING, &v, NULL));
    ENSURE(td_der_bit_string(v, &c->key_bits, &unused) == TD_DER_OK, TD_X509_BAD_DER);
    ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_DER);
    return td_x509_key_classify(&c->spki_alg, unused, &c->key);
}

/* issuerUniqueID [1] / subjectUniqueID [2]: IMPLICIT BIT STRING */
static td_x509_reason unique_id_read(td_rd *tbs, uint8_t n, td_span *out, int *has)
{
    td_span v, bits;
    unsigned unused;

    if (!next_is(tbs, TD_DER_CTX(n)))
        return TD_X509_OK;
    TRY(expect(tbs, TD_DER_CTX(n), &v, NULL));
    ENSURE(td_der_bit_string(v, &bits, &unused) == TD_DER_OK, TD_X509_BAD_DER);
    *out = v;
    *has = 1;
    return TD_X509_OK;
}

static td_x509_reason tbs_read(td_span body, td_x509_cert *c)
{
    td_rd tbs;
    td_span v;

    td_rd_init_span(&tbs, body);
    TRY(version_read(&tbs, c));
    TRY(expect(&tbs, TD_DER_INTEGER, &c->serial, NULL));
    ENSURE(td_der_integer(c->serial) == TD_DER_OK, TD_X509_BAD_DER);
    TRY(td_x509_alg_read(&tbs, &c->tbs_sig));
    TRY(td_x509_name_read(&tbs, &c->issuer));
    TRY(validity_read(&tbs, c));
    TRY(td_x509_name_read(&tbs, &c->subject));
    TRY(spki_read(&tbs, c));
    TRY(unique_id_read(&tbs, 1, &c->issuer_uid, &c->has_issuer_uid));
    TRY(unique_id_read(&tbs, 2, &c->subject_uid, &c->has_subject_uid));
    if (next_is(&tbs, TD_DER_CTX_CONS(3))) {
        TRY(expect(&tbs, TD_DER_CTX_CONS(3), &v, NULL));
        c->has_extensions = 1;
        TRY(td_x509_ext_list_read(v, c));
    }
    ENSURE(td_der_done(&tbs) == TD_DER_OK, TD_X509_BAD_DER);
    return TD_X509_OK;
}

/* signatureValue: every algorithm of td_x509_sig signs in whole octets,
 * and td_x509_cert keeps only the bits: unused bits must be 0. */
static td_x509_reason signature_read(td_rd *cert, td_x509_cert *c)
{
    td_span v;
    unsigned unused;

    TRY(expect(cert, TD_DER_BIT_STRING, &v, NULL));
    ENSURE(td_der_bit_string(v, &c->signature, &unused) == TD_DER_OK, TD_X509_BAD_DER);
    if (unused != 0) {
        td_der_failure_set(TD_DER_BAD_BIT_STRING, v.p);
        return TD_X509_BAD_DER;
    }
    return TD_X509_OK;
}

/* Step 2: the structure. */
static td_x509_reason structure_read(td_span der, td_x509_cert *c)
{
    td_rd top, cert;
    td_span body, tbs_body;

    td_rd_init_span(&top, der);
    TRY(expect(&top, TD_DER_SEQUENCE, &body, NULL));
    ENSURE(td_der_done(&top) == TD_DER_OK, TD_X509_BAD_DER);
    td_rd_init_span(&cert, body);
    TRY(expect(&cert, TD_DER_SEQUENCE, &tbs_body, &c->tbs));
    TRY(tbs_read(tbs_body, c));
    TRY(td_x509_alg_read(&cert, &c->sig_alg));
    TRY(signature_read(&cert, c));
    ENSURE(td_der_done(&cert) == TD_DER_OK, TD_X509_BAD_DER);
    return TD_X509_OK;
}

/* Step 3. */
static td_x509_reason version_check(const td_x509_cert *c)
{
    /* 4.1.2.1: v1, v2 or v3; X.690 11.5: the DEFAULT v1 is not encoded */
    ENSURE(c->version >= 0 && c->version <= 2, TD_X509_BAD_VERSION);
    ENSURE(!c->version_field || c->version != 0, TD_X509_BAD_VERSION);
    /* 4.1.2.8: unique identifiers "MUST only appear if the version is 2
     * or 3"; 4.1.2.9: extensions "MUST only appear if the version is 3" */
    ENSURE(c->version >= 1 || (!c->has_issuer_uid && !c->has_subject_uid),
           TD_X509_BAD_VERSION);
    ENSURE(c->version == 2 || !c->has_extensions, TD_X509_BAD_VERSION);
    return TD_X509_OK;
}

/* Step 6, RFC 5280 4.1.2.2: "a positive integer"; "MUST NOT use
 * serialNumber values longer than 20 octets" (the contents octets). */
static td_x509_reason serial_check(td_span serial)
{
    td_rd rd;
    uint8_t first;

    ENSURE(serial.len <= 20 && !td_der_integer_negative(serial), TD_X509_BAD_SERIAL);
    td_rd_init_span(&rd, serial);
    ENSURE(td_rd_u8(&rd, &first) == TD_OK, TD_X509_BAD_SERIAL);
    ENSURE(serial.len > 1 || first != 0, TD_X509_BAD_SERIAL); /* zero */
    return TD_X509_OK;
}

static int span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

td_x509_reason td_x509_decode(td_span der, td_x509_cert *out)
{
    memset(out, 0, sizeof *out);
    td_der_failure_clear();
    out->der = der;
    if (der.len > TD_X509_MAX_CERT_LEN) {
        td_der_failure_set(TD_DER_LIMIT, der.p);
        return TD_X509_LIMIT;
    }
    TRY(structure_read(der, out));
    /* probes (peeks at a reader's end) may have left a record: from here
     * on a failure records its own rule, or none */
    td_der_failure_clear();
    TRY(version_check(out));
    /* 4.1.1.2: signatureAlgorithm "MUST contain the same algorithm
     * identifier as the signature field in the sequence tbsCertificate" */
    ENSURE(span_eq(out->tbs_sig.whole, out->sig_alg.whole), TD_X509_SIG_ALG_MISMATCH);
    TRY(td_x509_ext_check(out));
    TRY(serial_check(out->serial));
    td_der_failure_clear();
    return TD_X509_OK;
}
