/*
 * Names (RFC 5280 4.1.2.4) and GeneralName (RFC 5280 4.2.1.6).
 *
 *     Name ::= CHOICE { -- only one possibility for now --
 *       rdnSequence  RDNSequence }
 *     RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
 *     RelativeDistinguishedName ::=
 *       SET SIZE (1..MAX) OF AttributeTypeAndValue
 *     AttributeTypeAndValue ::= SEQUENCE {
 *       type     AttributeType,
 *       value    AttributeValue }
 *
 *     GeneralName ::= CHOICE {
 *          otherName                       [0]     OtherName,
 *          rfc822Name                      [1]     IA5String,
 *          dNSName                         [2]     IA5String,
 *          x400Address                     [3]     ORAddress,
 *          directoryName                   [4]     Name,
 *          ediPartyName                    [5]     EDIPartyName,
 *          uniformResourceIdentifier       [6]     IA5String,
 *          iPAddress                       [7]     OCTET STRING,
 *          registeredID                    [8]     OBJECT IDENTIFIER }
 *
 * (IMPLICIT tags, except [4]: Name is a CHOICE, so its tag is explicit,
 * X.680 31.2.7.) Attribute values must be one of the directory string
 * types (td_der_string); a value of another type is refused (BAD_DER):
 * the reference compares names as bytes and reads only commonName.
 */
#include "td_x509_dec.h"

#include <string.h>

/* 2.5.4.3 id-at-commonName */
static const uint8_t oid_cn[] = {0x55, 0x04, 0x03};

/* a <= b as X.690 11.6 orders SET OF components: octet strings compared
 * with the shorter padded with trailing 0-octets. */
static int set_order_ok(td_span a, td_span b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.p, b.p, n) : 0;
    td_rd tail;
    td_span skip;
    uint8_t o;

    if (c != 0)
        return c < 0;
    if (a.len <= b.len)
        return 1;
    td_rd_init_span(&tail, a);
    if (td_rd_span(&tail, n, &skip) != TD_OK)
        return 0;
    while (td_rd_u8(&tail, &o) == TD_OK)
        if (o != 0)
            return 0;
    return 1;
}

static td_x509_reason attr_read(td_rd *rdn, td_x509_name *out, td_span *whole)
{
    td_rd in;
    td_span body;
    td_x509_attr a;

    ENSURE(td_der_expect(rdn, TD_DER_SEQUENCE, &body, whole) == TD_DER_OK,
           TD_X509_BAD_DER);
    td_rd_init_span(&in, body);
    ENSURE(td_der_expect(&in, TD_DER_OID, &a.oid, NULL) == TD_DER_OK, TD_X509_BAD_DER);
    ENSURE(td_der_oid(a.oid) == TD_DER_OK, TD_X509_BAD_DER);
    ENSURE(td_der_read(&in, &a.tag, &a.value, NULL) == TD_DER_OK, TD_X509_BAD_DER);
    ENSURE(td_der_string(a.tag, a.value) == TD_DER_OK, TD_X509_BAD_DER);
    ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_DER);
    if (out->n_attrs >= TD_X509_MAX_NAME_ATTRS) {
        td_der_failure_set(TD_DER_LIMIT, whole->p);
        return TD_X509_LIMIT;
    }
    out->attrs[out->n_attrs++] = a;
    /* RFC 6125 6.4.4: the most specific (last) commonName */
    if (td_der_oid_is(a.oid, oid_cn, sizeof oid_cn))
        out->cn = a.value;
    return TD_X509_OK;
}

static td_x509_reason rdn_read(td_rd *seq, td_x509_name *out)
{
    td_rd set;
    td_span body, prev = {NULL, 0}, cur;
    int first = 1;

    ENSURE(td_der_expect(seq, TD_DER_SET, &body, NULL) == TD_DER_OK, TD_X509_BAD_DER);
    td_rd_init_span(&set, body);
    /* SIZE (1..MAX): the first read fails on an empty SET */
    do {
        TRY(attr_read(&set, out, &cur));
        if (!first && !set_order_ok(prev, cur)) {
            td_der_failure_set(TD_DER_SET_ORDER, cur.p);
            return TD_X509_BAD_DER;
        }
        prev = cur;
        first = 0;
    } while (td_rd_left(&set) > 0);
    return TD_X509_OK;
}

td_x509_reason td_x509_name_read(td_rd *rd, td_x509_name *out)
{
    td_rd seq;
    td_span body;

    memset(out, 0, sizeof *out);
    ENSURE(td_der_expect(rd, TD_DER_SEQUENCE, &body, &out->whole) == TD_DER_OK,
           TD_X509_BAD_DER);
    td_rd_init_span(&seq, body);
    /* an empty RDNSequence is a valid (empty) Name, RFC 5280 4.1.2.6 */
    while (td_rd_left(&seq) > 0)
        TRY(rdn_read(&seq, out));
    return TD_X509_OK;
}

/* ------------------------------------------------------------------------
 * GeneralName
 * ------------------------------------------------------------------------ */

/* The contents rule of a primitive GeneralName. */
static int gname_primitive_ok(uint8_t type, td_span v, size_t ip_a, size_t ip_b)
{
    switch (type) {
    case TD_X509_GN_EMAIL:
    case TD_X509_GN_DNS:
    case TD_X509_GN_URI:
        return td_der_string(TD_DER_IA5_STRING, v) == TD_DER_OK;
    case TD_X509_GN_IP:
        /* 4.2.1.6: four octets (IPv4) or sixteen (IPv6); 4.2.1.10: twice
         * that in name constraints (address and mask) */
        return v.len == ip_a || v.len == ip_b;
    case TD_X509_GN_RID:
        return td_der_oid(v) == TD_DER_OK;
    default:
        return 0;
    }
}

/* The contents of a constructed GeneralName: [4] holds one Name; the
 * others (OtherName, ORAddress, EDIPartyName) are kept opaque but must
 * be DER. *value: what td_x509_gname keeps. */
static td_x509_reason gname_constructed(uint8_t type, td_span v, td_span *value)
{
    td_x509_name name;
    td_rd in;
    td_x509_reason r;

    *value = v;
    if (type == TD_X509_GN_DIR) {
        td_rd_init_span(&in, v);
        r = td_x509_name_read(&in, &name);
        ENSURE(r != TD_X509_LIMIT, TD_X509_LIMIT);
        ENSURE(r == TD_X509_OK && td_der_done(&in) == TD_DER_OK,
               TD_X509_BAD_EXTENSION);
        *value = name.whole;
        return TD_X509_OK;
    }
    ENSURE(type == TD_X509_GN_OTHER || type == TD_X509_GN_X400 || type == TD_X509_GN_EDI,
           TD_X509_BAD_EXTENSION);
    ENSURE(td_der_check_all(v) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    return TD_X509_OK;
}

td_x509_reason td_x509_gname_read(td_rd *rd, size_t ip_a, size_t ip_b, td_x509_gname *out)
{
    td_span v, whole;
    uint8_t tag, type;

    ENSURE(td_der_read(rd, &tag, &v, &whole) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    type = tag & 0x1fu;
    /* context-specific, [0]..[8] */
    if ((tag & 0xc0) != 0x80 || type > TD_X509_GN_RID) {
        td_der_failure_set(TD_DER_UNEXPECTED_TAG, whole.p);
        return TD_X509_BAD_EXTENSION;
    }
    out->type = type;
    if (tag & 0x20)
        return gname_constructed(type, v, &out->value);
    /* X.690 8.14.3: an implicitly tagged string keeps the primitive
     * form of its type */
    if (type == TD_X509_GN_OTHER || type == TD_X509_GN_X400 || type == TD_X509_GN_DIR ||
        type == TD_X509_GN_EDI) {
        td_der_failure_set(TD_DER_UNEXPECTED_TAG, whole.p);
        return TD_X509_BAD_EXTENSION;
    }
    ENSURE(gname_primitive_ok(type, v, ip_a, ip_b), TD_X509_BAD_EXTENSION);
    out->value = v;
    return TD_X509_OK;
}
