/*
 * The peer's certificate chain: stored from a Certificate message (either
 * form), and a MINIMAL check of it. The X.509 issue replaces the check
 * (and the small DER walk below) with a proper RFC 5280 6 path
 * validation; until then this is all the reference verifies:
 *
 *   - every certificate of the chain, from the leaf, is signed by the
 *     next one whose subject is its issuer, or by a trust anchor whose
 *     subject is its issuer, or is itself a trust anchor (byte for byte);
 *     the walk stops at the first anchor;
 *   - each of those certificates is valid at the world's clock:
 *     notBefore <= cfg->now <= notAfter;
 *   - the leaf's public key becomes c->peer_key (td_key_from_cert).
 *
 * Not checked (RFC 5280 6.1.3, 6.1.4 and RFC 6125): basicConstraints,
 * keyUsage, extendedKeyUsage, path length, name constraints, policies,
 * revocation, the server's name. Names are compared as DER bytes (RFC
 * 5280 7.1 allows more lenient matching).
 *
 * RFC 5280 4.1:
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
 *          ... }
 *
 *     Validity ::= SEQUENCE {
 *          notBefore      Time,
 *          notAfter       Time }
 *
 *     Time ::= CHOICE {
 *          utcTime        UTCTime,          -- YYMMDDHHMMSSZ
 *          generalTime    GeneralizedTime } -- YYYYMMDDHHMMSSZ
 *
 * (4.1.2.5.1: UTCTime YY >= 50 is 19YY, else 20YY.)
 *
 * Alerts (RFC 8446 6.2, RFC 5246 7.2.2): a certificate that does not
 * parse, is signed wrongly, or exceeds our storage is bad_certificate; a
 * signature algorithm we do not verify is unsupported_certificate; a
 * certificate outside its validity is certificate_expired ("has expired
 * or is not currently valid"); a chain that reaches no trust anchor is
 * unknown_ca. With cfg->trust empty the client was configured not to
 * verify: only the leaf's key is taken and peer_verified stays 0.
 */
#include "td_hs.h"

#include <string.h>

enum {
    DER_BIT_STRING = 0x03,
    DER_OID = 0x06,
    DER_UTC_TIME = 0x17,
    DER_GENERALIZED_TIME = 0x18,
    DER_SEQUENCE = 0x30,
    DER_VERSION = 0xa0, /* [0] EXPLICIT, constructed */
};

/* What the check needs of one certificate; spans into its DER. */
typedef struct cert_view {
    td_span tbs;       /* the whole TBSCertificate element: what is signed */
    td_span sig_alg;   /* the outer AlgorithmIdentifier element */
    td_span sig_oid;   /* its OID's contents */
    td_span signature; /* the BIT STRING's bits (unused-bits byte 0) */
    td_span issuer, subject; /* the Name elements */
    uint64_t not_before, not_after;
} cert_view;

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

static int span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* ------------------------------------------------------------------------
 * A small strict DER walk (X.690 8.1, 10.1: definite, shortest lengths)
 * ------------------------------------------------------------------------ */

/* The next element, which must have this tag: its contents and its whole
 * encoding. Lengths up to 2^24-1. */
static td_err der_read(td_rd *rd, uint8_t tag, td_span *body, td_span *whole)
{
    td_rd r = *rd, start = *rd;
    uint8_t t, first;
    size_t len = 0;

    TRY(td_rd_u8(&r, &t));
    ENSURE(t == tag, TD_ALERT_BAD_CERTIFICATE);
    TRY(td_rd_u8(&r, &first));
    if (first < 0x80) {
        len = first;
    } else if (first == 0x81) {
        uint8_t v;
        TRY(td_rd_u8(&r, &v));
        ENSURE(v >= 0x80, TD_ALERT_BAD_CERTIFICATE); /* X.690 10.1 */
        len = v;
    } else if (first == 0x82) {
        uint16_t v;
        TRY(td_rd_u16(&r, &v));
        ENSURE(v >= 0x100, TD_ALERT_BAD_CERTIFICATE);
        len = v;
    } else if (first == 0x83) {
        uint32_t v;
        TRY(td_rd_u24(&r, &v));
        ENSURE(v >= 0x10000, TD_ALERT_BAD_CERTIFICATE);
        len = v;
    } else {
        return TD_ALERT_BAD_CERTIFICATE;
    }
    TRY(td_rd_span(&r, len, body));
    TRY(td_rd_span(&start, td_rd_left(rd) - td_rd_left(&r), whole));
    *rd = r;
    return TD_OK;
}

/* The next element of any tag (skipped). */
static td_err der_skip(td_rd *rd)
{
    td_rd peek = *rd;
    td_span body, whole;
    uint8_t tag;

    TRY(td_rd_u8(&peek, &tag));
    return der_read(rd, tag, &body, &whole);
}

static int digits(const uint8_t *p, size_t n, unsigned *out)
{
    size_t i;

    *out = 0;
    for (i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        *out = *out * 10 + (unsigned)(p[i] - '0');
    }
    return 1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
    unsigned yy = m <= 2 ? y - 1 : y;
    unsigned era = yy / 400, yoe = yy - era * 400;
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return (uint64_t)era * 146097 + doe - 719468;
}

/* A Time (RFC 5280 4.1.2.5) as seconds since the epoch. */
static td_err der_time(td_rd *rd, uint64_t *out)
{
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
    td_rd peek = *rd;
    td_span body, whole;
    unsigned y, mo, d, h, mi, s;
    const uint8_t *p;
    uint8_t tag;
    size_t off;

    TRY(td_rd_u8(&peek, &tag));
    ENSURE(tag == DER_UTC_TIME || tag == DER_GENERALIZED_TIME,
           TD_ALERT_BAD_CERTIFICATE);
    TRY(der_read(rd, tag, &body, &whole));
    p = body.p;
    /* RFC 5280 4.1.2.5.1 / 4.1.2.5.2: "MUST be expressed in Greenwich
     * Mean Time (Zulu) and MUST include seconds" */
    if (tag == DER_UTC_TIME) {
        ENSURE(body.len == 13 && digits(p, 2, &y), TD_ALERT_BAD_CERTIFICATE);
        y += y >= 50 ? 1900 : 2000;
        off = 2;
    } else {
        ENSURE(body.len == 15 && digits(p, 4, &y), TD_ALERT_BAD_CERTIFICATE);
        off = 4;
    }
    ENSURE(digits(p + off, 2, &mo) && digits(p + off + 2, 2, &d) &&
               digits(p + off + 4, 2, &h) && digits(p + off + 6, 2, &mi) &&
               digits(p + off + 8, 2, &s) && p[off + 10] == 'Z',
           TD_ALERT_BAD_CERTIFICATE);
    ENSURE(y >= 1970 && mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] &&
               h < 24 && mi < 60 && s < 60,
           TD_ALERT_BAD_CERTIFICATE);
    *out = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s;
    return TD_OK;
}

static td_err cert_fields(td_span der, cert_view *v)
{
    td_rd top, cert, tbs, alg, validity, peek;
    td_span body, whole, tbs_sig_alg, bits;
    uint8_t tag;

    memset(v, 0, sizeof *v);
    td_rd_init_span(&top, der);
    TRY(der_read(&top, DER_SEQUENCE, &body, &whole));
    TRY(td_rd_done(&top)); /* nothing after the certificate */
    td_rd_init_span(&cert, body);
    TRY(der_read(&cert, DER_SEQUENCE, &body, &v->tbs));
    td_rd_init_span(&tbs, body);
    TRY(der_read(&cert, DER_SEQUENCE, &body, &v->sig_alg));
    td_rd_init_span(&alg, body);
    TRY(der_read(&alg, DER_OID, &v->sig_oid, &whole));
    TRY(der_read(&cert, DER_BIT_STRING, &bits, &whole));
    TRY(td_rd_done(&cert));
    /* a signature is whole octets: no unused bits (X.690 8.6.2.2) */
    ENSURE(bits.len >= 1 && bits.p[0] == 0, TD_ALERT_BAD_CERTIFICATE);
    v->signature = span_of(bits.p + 1, bits.len - 1);

    peek = tbs;
    TRY(td_rd_u8(&peek, &tag));
    if (tag == DER_VERSION)
        TRY(der_skip(&tbs));
    TRY(der_skip(&tbs)); /* serialNumber */
    TRY(der_read(&tbs, DER_SEQUENCE, &body, &tbs_sig_alg));
    /* RFC 5280 4.1.1.2: signatureAlgorithm "MUST contain the same
     * algorithm identifier as the signature field in the sequence
     * tbsCertificate" */
    ENSURE(span_eq(tbs_sig_alg, v->sig_alg), TD_ALERT_BAD_CERTIFICATE);
    TRY(der_read(&tbs, DER_SEQUENCE, &body, &v->issuer));
    TRY(der_read(&tbs, DER_SEQUENCE, &body, &whole));
    td_rd_init_span(&validity, body);
    TRY(der_time(&validity, &v->not_before));
    TRY(der_time(&validity, &v->not_after));
    TRY(td_rd_done(&validity));
    TRY(der_read(&tbs, DER_SEQUENCE, &body, &v->subject));
    return TD_OK;
}

/* A certificate that does not parse is bad_certificate, whatever the
 * reader said (a truncation is decode_error there). */
static td_err cert_parse(td_span der, cert_view *v)
{
    ENSURE(cert_fields(der, v) == TD_OK, TD_ALERT_BAD_CERTIFICATE);
    return TD_OK;
}

/* The SignatureScheme that verifies a certificate signature of this
 * algorithm with the issuer's key, or 0. */
static uint16_t cert_sig_scheme(td_span oid, const td_key *issuer)
{
    /* RFC 4055 5: sha{256,384,512}WithRSAEncryption 1.2.840.113549.1.1.{11,12,13} */
    static const uint8_t rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                  0x0d, 0x01, 0x01};
    /* RFC 5758 3.2: ecdsa-with-SHA{256,384} 1.2.840.10045.4.3.{2,3} */
    static const uint8_t ecdsa[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03};
    /* RFC 8410 3: id-Ed25519 1.3.101.112 */
    static const uint8_t ed25519[] = {0x2b, 0x65, 0x70};
    uint8_t last;

    if (span_eq(oid, span_of(ed25519, sizeof ed25519)))
        return 0x0807;
    if (oid.len == sizeof rsa + 1 && memcmp(oid.p, rsa, sizeof rsa) == 0) {
        last = oid.p[sizeof rsa];
        return last == 11 ? 0x0401 : last == 12 ? 0x0501 : last == 13 ? 0x0601 : 0;
    }
    if (oid.len == sizeof ecdsa + 1 && memcmp(oid.p, ecdsa, sizeof ecdsa) == 0) {
        /* TLS names an ECDSA scheme by curve and hash together */
        last = oid.p[sizeof ecdsa];
        if (last == 2 && issuer->type == TD_KEY_EC_P256)
            return 0x0403;
        if (last == 3 && issuer->type == TD_KEY_EC_P384)
            return 0x0503;
    }
    return 0;
}

/* v's signature made by the key of the issuer certificate issuer_der. */
static td_err check_signature(const cert_view *v, td_span issuer_der)
{
    td_key issuer;
    uint16_t scheme;

    TRY(td_key_from_cert(issuer_der, &issuer));
    scheme = cert_sig_scheme(v->sig_oid, &issuer);
    ENSURE(scheme != 0, TD_ALERT_UNSUPPORTED_CERTIFICATE);
    /* decrypt_error (a wrong signature) and illegal_parameter (the
     * algorithm does not fit the issuer's key) both mean a bad
     * certificate here */
    ENSURE(td_sig_verify(scheme, TD_SIG_CURVE_FREE, &issuer, v->tbs, v->signature) == TD_OK,
           TD_ALERT_BAD_CERTIFICATE);
    return TD_OK;
}

/* Is v issued by one of the trust anchors? 1 when an anchor with v's
 * issuer as subject signed it; bad_certificate when anchors of that name
 * exist but none did. */
static td_err anchored(const td_conn *c, const cert_view *v, int *yes)
{
    const td_cert_list *trust = &c->cfg->trust;
    td_err last = TD_OK;
    size_t i;

    *yes = 0;
    for (i = 0; i < trust->n; i++) {
        td_span a = span_of(trust->der[i], trust->len[i]);
        cert_view av;

        if (cert_parse(a, &av) != TD_OK || !span_eq(av.subject, v->issuer))
            continue;
        last = check_signature(v, a);
        if (last == TD_OK) {
            *yes = 1;
            return TD_OK;
        }
    }
    return last;
}

td_err td_hs_check_peer_chain(td_conn *c)
{
    const td_cert_list *chain = &c->peer_chain;
    size_t i, j;

    c->params.peer_verified = 0;
    ENSURE(chain->n > 0, TD_ALERT_BAD_CERTIFICATE);
    TRY(td_key_from_cert(span_of(chain->der[0], chain->len[0]),
                         &c->peer_key));
    if (c->cfg->trust.n == 0)
        return TD_OK; /* configured not to verify */
    for (i = 0; i < chain->n; i++) {
        td_span der = span_of(chain->der[i], chain->len[i]);
        cert_view v, next;
        int done = 0;

        TRY(cert_parse(der, &v));
        ENSURE(v.not_before <= c->cfg->now && c->cfg->now <= v.not_after,
               TD_ALERT_CERTIFICATE_EXPIRED);
        for (j = 0; j < c->cfg->trust.n; j++)
            done |= span_eq(der, span_of(c->cfg->trust.der[j],
                                          c->cfg->trust.len[j]));
        if (!done)
            TRY(anchored(c, &v, &done));
        if (done) {
            c->params.peer_verified = 1;
            return TD_OK;
        }
        /* RFC 8446 4.4.2 / RFC 5246 7.4.2: each following certificate
         * certifies the one before it */
        ENSURE(i + 1 < chain->n, TD_ALERT_UNKNOWN_CA);
        TRY(cert_parse(span_of(chain->der[i + 1], chain->len[i + 1]), &next));
        ENSURE(span_eq(next.subject, v.issuer), TD_ALERT_UNKNOWN_CA);
        TRY(check_signature(&v, span_of(chain->der[i + 1],
                                        chain->len[i + 1])));
    }
    return TD_ALERT_UNKNOWN_CA;
}

/* ------------------------------------------------------------------------
 * Storing a received chain
 * ------------------------------------------------------------------------ */

/* One certificate into c->peer_chain; over TD_CONN_MAX_CERTS or
 * TD_CONN_MAX_CERT_LEN is bad_certificate (an implementation limit). */
static td_err store_one(td_conn *c, td_span der)
{
    td_cert_list *l = &c->peer_chain;

    ENSURE(l->n < TD_CONN_MAX_CERTS && der.len <= TD_CONN_MAX_CERT_LEN,
           TD_ALERT_BAD_CERTIFICATE);
    memcpy(l->der[l->n], der.p, der.len);
    l->len[l->n] = der.len;
    l->n++;
    return TD_OK;
}

td_err td_hs_store_peer_chain13(td_conn *c, const td_certificate13 *m)
{
    td_certificate_entry e;
    td_rd list;
    int got;

    c->peer_chain.n = 0;
    td_rd_init_span(&list, m->certificate_list);
    for (;;) {
        TRY(td_certificate_entry_next(&list, &e, &got));
        if (!got)
            return TD_OK;
        TRY(store_one(c, e.cert_data));
    }
}

td_err td_hs_store_peer_chain12(td_conn *c, const td_certificate12 *m)
{
    td_span cert;
    td_rd list;
    int got;

    c->peer_chain.n = 0;
    td_rd_init_span(&list, m->certificate_list);
    for (;;) {
        TRY(td_asn1_cert_next(&list, &cert, &got));
        if (!got)
            return TD_OK;
        TRY(store_one(c, cert));
    }
}
