/*
 * td_x509_encode: a Certificate (RFC 5280 4.1) from the raw parts of a
 * td_x509_cert, in DER (X.690 10, 11), and the values of the known
 * extensions from their meaning (RFC 5280 4.2.1).
 *
 *     Certificate  ::=  SEQUENCE  {
 *          tbsCertificate       TBSCertificate,
 *          signatureAlgorithm   AlgorithmIdentifier,
 *          signatureValue       BIT STRING  }
 *
 * (TBSCertificate and the extension syntaxes: td_x509_decode.c,
 * td_x509_ext.c, td_x509_name.c.)
 *
 * The encoder writes what it is given, also what decode refuses (the
 * mutator's business): a version [0] whenever version_field is set, a
 * critical BOOLEAN whenever critical_field is set, FALSE included. For
 * every certificate decode accepts, encode(decode(der)) == der: the
 * parts kept as elements are copied, the rest has one DER encoding.
 */
#include "td_x509.h"

/* INTEGER from a signed value, in the fewest octets (X.690 8.3.2). */
static td_err write_int(td_wr *wr, int64_t v)
{
    uint8_t b[8];
    size_t n = 8, i;
    uint64_t u = (uint64_t)v;
    td_span s;

    if (v >= 0)
        return td_der_write_uint(wr, (uint64_t)v);
    for (i = 0; i < 8; i++)
        b[i] = (uint8_t)(u >> (8 * (7 - i)));
    /* drop a leading 0xff while the next octet keeps the sign */
    i = 0;
    while (n - i > 1 && b[i] == 0xff && (b[i + 1] & 0x80))
        i++;
    s.p = b + i;
    s.len = n - i;
    return td_der_write(wr, TD_DER_INTEGER, s);
}

static td_err write_bool(td_wr *wr, int v)
{
    uint8_t b = v ? 0xff : 0x00; /* X.690 11.1 */
    td_span s = {&b, 1};

    return td_der_write(wr, TD_DER_BOOLEAN, s);
}

/* A BIT STRING of whole octets. */
static td_err write_bits(td_wr *wr, td_span bits)
{
    td_wr_mark m;

    TRY(td_der_open(wr, TD_DER_BIT_STRING, &m));
    TRY(td_wr_u8(wr, 0));
    TRY(td_wr_span(wr, bits));
    return td_der_close(wr, &m);
}

static td_err write_version(td_wr *wr, const td_x509_cert *c)
{
    td_wr_mark m;

    if (!c->version_field)
        return TD_OK;
    TRY(td_der_open(wr, TD_DER_CTX_CONS(0), &m));
    TRY(write_int(wr, c->version));
    return td_der_close(wr, &m);
}

static td_err write_validity(td_wr *wr, const td_x509_cert *c)
{
    td_wr_mark m;

    TRY(td_der_open(wr, TD_DER_SEQUENCE, &m));
    TRY(td_der_write_time(wr, c->not_before_tag, c->not_before));
    TRY(td_der_write_time(wr, c->not_after_tag, c->not_after));
    return td_der_close(wr, &m);
}

static td_err write_ext(td_wr *wr, const td_x509_ext *e)
{
    td_wr_mark m;

    TRY(td_der_open(wr, TD_DER_SEQUENCE, &m));
    TRY(td_der_write(wr, TD_DER_OID, e->oid));
    if (e->critical_field || e->critical)
        TRY(write_bool(wr, e->critical));
    TRY(td_der_write(wr, TD_DER_OCTET_STRING, e->value));
    return td_der_close(wr, &m);
}

/* extensions [3] EXPLICIT Extensions */
static td_err write_exts(td_wr *wr, const td_x509_cert *c)
{
    td_wr_mark outer, list;
    size_t i;

    if (!c->has_extensions)
        return TD_OK;
    ENSURE(c->n_exts <= TD_X509_MAX_EXTS, TD_ERR_INTERNAL);
    TRY(td_der_open(wr, TD_DER_CTX_CONS(3), &outer));
    TRY(td_der_open(wr, TD_DER_SEQUENCE, &list));
    for (i = 0; i < c->n_exts; i++)
        TRY(write_ext(wr, &c->exts[i]));
    TRY(td_der_close(wr, &list));
    return td_der_close(wr, &outer);
}

td_err td_x509_encode_tbs(td_wr *wr, const td_x509_cert *c)
{
    td_wr_mark m;

    TRY(td_der_open(wr, TD_DER_SEQUENCE, &m));
    TRY(write_version(wr, c));
    TRY(td_der_write(wr, TD_DER_INTEGER, c->serial));
    TRY(td_wr_span(wr, c->tbs_sig.whole));
    TRY(td_wr_span(wr, c->issuer.whole));
    TRY(write_validity(wr, c));
    TRY(td_wr_span(wr, c->subject.whole));
    TRY(td_wr_span(wr, c->spki));
    /* [1] [2] IMPLICIT UniqueIdentifier: the BIT STRING's contents */
    if (c->has_issuer_uid)
        TRY(td_der_write(wr, TD_DER_CTX(1), c->issuer_uid));
    if (c->has_subject_uid)
        TRY(td_der_write(wr, TD_DER_CTX(2), c->subject_uid));
    TRY(write_exts(wr, c));
    return td_der_close(wr, &m);
}

td_err td_x509_encode(td_wr *wr, const td_x509_cert *c)
{
    td_wr_mark m;

    TRY(td_der_open(wr, TD_DER_SEQUENCE, &m));
    TRY(td_x509_encode_tbs(wr, c));
    TRY(td_wr_span(wr, c->sig_alg.whole));
    TRY(write_bits(wr, c->signature));
    return td_der_close(wr, &m);
}

/* ------------------------------------------------------------------------
 * Extension values (the contents of extnValue)
 * ------------------------------------------------------------------------ */

/* RFC 5280 4.2.1.9 BasicConstraints; cA FALSE is the DEFAULT, left out
 * (X.690 11.5). */
td_err td_x509_encode_basic_constraints(td_wr *wr, int ca, int has_path_len,
                                        uint64_t path_len)
{
    td_wr_mark m;

    TRY(td_der_open(wr, TD_DER_SEQUENCE, &m));
    if (ca)
        TRY(write_bool(wr, 1));
    if (has_path_len)
        TRY(td_der_write_uint(wr, path_len));
    return td_der_close(wr, &m);
}

/* RFC 5280 4.2.1.3 KeyUsage: bit n of key_usage is named bit n, i.e. bit
 * 7 - n % 8 of octet n / 8; no trailing zero bits (X.690 11.2.2). */
td_err td_x509_encode_key_usage(td_wr *wr, unsigned key_usage)
{
    uint8_t b[3] = {0, 0, 0};
    unsigned n, last = 0;
    td_span s;

    ENSURE(key_usage < (1u << 9), TD_ERR_INTERNAL);
    for (n = 0; n < 9; n++) {
        if (key_usage & (1u << n)) {
            b[1 + n / 8] |= (uint8_t)(0x80u >> (n % 8));
            last = n;
        }
    }
    s.p = b;
    if (key_usage == 0) {
        s.len = 1; /* no bits: the initial octet 0 alone */
    } else {
        b[0] = (uint8_t)(7 - last % 8);
        s.len = 2 + last / 8;
    }
    return td_der_write(wr, TD_DER_BIT_STRING, s);
}

/* RFC 5280 4.2.1.12 ExtKeyUsageSyntax */
td_err td_x509_encode_eku(td_wr *wr, const td_span *oids, size_t n)
{
    td_wr_mark m;
    size_t i;

    TRY(td_der_open(wr, TD_DER_SEQUENCE, &m));
    for (i = 0; i < n; i++)
        TRY(td_der_write(wr, TD_DER_OID, oids[i]));
    return td_der_close(wr, &m);
}

/* One GeneralName (RFC 5280 4.2.1.6): [4] wraps the Name element kept in
 * value; the other constructed forms hold their contents. */
static td_err write_gname(td_wr *wr, const td_x509_gname *g)
{
    td_wr_mark m;

    ENSURE(g->type <= TD_X509_GN_RID, TD_ERR_INTERNAL);
    if (g->type == TD_X509_GN_DIR) {
        TRY(td_der_open(wr, TD_DER_CTX_CONS(TD_X509_GN_DIR), &m));
        TRY(td_wr_span(wr, g->value));
        return td_der_close(wr, &m);
    }
    if (g->type == TD_X509_GN_OTHER || g->type == TD_X509_GN_X400 ||
        g->type == TD_X509_GN_EDI)
        return td_der_write(wr, TD_DER_CTX_CONS(g->type), g->value);
    return td_der_write(wr, TD_DER_CTX(g->type), g->value);
}

td_err td_x509_encode_general_names(td_wr *wr, const td_x509_gname *names, size_t n)
{
    td_wr_mark m;
    size_t i;

    TRY(td_der_open(wr, TD_DER_SEQUENCE, &m));
    for (i = 0; i < n; i++)
        TRY(write_gname(wr, &names[i]));
    return td_der_close(wr, &m);
}

/* GeneralSubtrees under an IMPLICIT [tag]; minimum and maximum absent
 * (RFC 5280 4.2.1.10). */
static td_err write_subtrees(td_wr *wr, uint8_t tag, const td_x509_gname *g, size_t n)
{
    td_wr_mark list, one;
    size_t i;

    if (n == 0)
        return TD_OK;
    TRY(td_der_open(wr, tag, &list));
    for (i = 0; i < n; i++) {
        TRY(td_der_open(wr, TD_DER_SEQUENCE, &one));
        TRY(write_gname(wr, &g[i]));
        TRY(td_der_close(wr, &one));
    }
    return td_der_close(wr, &list);
}

td_err td_x509_encode_name_constraints(td_wr *wr, const td_x509_gname *permitted,
                                       size_t n_permitted, const td_x509_gname *excluded,
                                       size_t n_excluded)
{
    td_wr_mark m;

    TRY(td_der_open(wr, TD_DER_SEQUENCE, &m));
    TRY(write_subtrees(wr, TD_DER_CTX_CONS(0), permitted, n_permitted));
    TRY(write_subtrees(wr, TD_DER_CTX_CONS(1), excluded, n_excluded));
    return td_der_close(wr, &m);
}

/* RFC 5280 4.1.2.4 Name: one RDN (SET of one AttributeTypeAndValue) per
 * attribute. */
td_err td_x509_encode_name(td_wr *wr, const td_x509_attr *attrs, size_t n)
{
    td_wr_mark name, rdn, atv;
    size_t i;

    TRY(td_der_open(wr, TD_DER_SEQUENCE, &name));
    for (i = 0; i < n; i++) {
        TRY(td_der_open(wr, TD_DER_SET, &rdn));
        TRY(td_der_open(wr, TD_DER_SEQUENCE, &atv));
        TRY(td_der_write(wr, TD_DER_OID, attrs[i].oid));
        TRY(td_der_write(wr, attrs[i].tag, attrs[i].value));
        TRY(td_der_close(wr, &atv));
        TRY(td_der_close(wr, &rdn));
    }
    return td_der_close(wr, &name);
}
