/*
 * Certificate extensions (RFC 5280 4.1.2.9, 4.2).
 *
 *     Extensions  ::=  SEQUENCE SIZE (1..MAX) OF Extension
 *
 *     Extension  ::=  SEQUENCE  {
 *          extnID      OBJECT IDENTIFIER,
 *          critical    BOOLEAN DEFAULT FALSE,
 *          extnValue   OCTET STRING
 *                      -- contains the DER encoding of an ASN.1 value
 *                      -- corresponding to the extension type identified
 *                      -- by extnID
 *          }
 *
 * Two passes. td_x509_ext_list_read takes the list apart while the
 * certificate's structure is decoded (BAD_DER, LIMIT). td_x509_ext_check
 * runs after the whole certificate decoded: duplicates, then the values
 * of the extensions the reference knows (basicConstraints, keyUsage,
 * extKeyUsage, subjectAltName, nameConstraints, authorityKeyIdentifier,
 * subjectKeyIdentifier, certificatePolicies) into the meaning fields,
 * then unknown critical ones. A known extension whose value does not
 * decode, DER included, is BAD_EXTENSION (td_der_failure_last says
 * which rule); a list over its maximum is LIMIT.
 */
#include "td_x509_dec.h"

#include <string.h>

static int span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static td_x509_ext_id ext_id(td_span oid)
{
    static const struct {
        const td_span *oid;
        td_x509_ext_id id;
    } known[] = {
        {&td_x509_oid_basic_constraints, TD_X509_EXT_BASIC_CONSTRAINTS},
        {&td_x509_oid_key_usage, TD_X509_EXT_KEY_USAGE},
        {&td_x509_oid_ext_key_usage, TD_X509_EXT_EXT_KEY_USAGE},
        {&td_x509_oid_subject_alt_name, TD_X509_EXT_SUBJECT_ALT_NAME},
        {&td_x509_oid_name_constraints, TD_X509_EXT_NAME_CONSTRAINTS},
        {&td_x509_oid_authority_key_id, TD_X509_EXT_AUTHORITY_KEY_ID},
        {&td_x509_oid_subject_key_id, TD_X509_EXT_SUBJECT_KEY_ID},
        {&td_x509_oid_certificate_policies, TD_X509_EXT_CERTIFICATE_POLICIES},
    };
    size_t i;

    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        if (span_eq(oid, *known[i].oid))
            return known[i].id;
    return TD_X509_EXT_OTHER;
}

/* ------------------------------------------------------------------------
 * The list (structure)
 * ------------------------------------------------------------------------ */

static td_x509_reason ext_read(td_rd *list, td_x509_cert *c)
{
    td_x509_ext e;
    td_rd in;
    td_span body, whole, v;
    uint8_t tag;

    memset(&e, 0, sizeof e);
    ENSURE(td_der_expect(list, TD_DER_SEQUENCE, &body, &whole) == TD_DER_OK,
           TD_X509_BAD_DER);
    td_rd_init_span(&in, body);
    ENSURE(td_der_expect(&in, TD_DER_OID, &e.oid, NULL) == TD_DER_OK, TD_X509_BAD_DER);
    ENSURE(td_der_oid(e.oid) == TD_DER_OK, TD_X509_BAD_DER);
    if (td_der_peek(&in, &tag) == TD_DER_OK && tag == TD_DER_BOOLEAN) {
        ENSURE(td_der_expect(&in, TD_DER_BOOLEAN, &v, NULL) == TD_DER_OK, TD_X509_BAD_DER);
        ENSURE(td_der_boolean(v, &e.critical) == TD_DER_OK, TD_X509_BAD_DER);
        e.critical_field = 1;
        /* X.690 11.5: the DEFAULT FALSE is not encoded */
        if (!e.critical) {
            td_der_failure_set(TD_DER_DEFAULT_VALUE, v.p);
            return TD_X509_BAD_DER;
        }
    }
    ENSURE(td_der_expect(&in, TD_DER_OCTET_STRING, &e.value, NULL) == TD_DER_OK,
           TD_X509_BAD_DER);
    ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_DER);
    if (c->n_exts >= TD_X509_MAX_EXTS) {
        td_der_failure_set(TD_DER_LIMIT, whole.p);
        return TD_X509_LIMIT;
    }
    e.id = ext_id(e.oid);
    c->exts[c->n_exts++] = e;
    return TD_X509_OK;
}

td_x509_reason td_x509_ext_list_read(td_span exts, td_x509_cert *c)
{
    td_rd outer, list;
    td_span body;

    /* extensions [3] EXPLICIT Extensions: exactly one SEQUENCE inside */
    td_rd_init_span(&outer, exts);
    ENSURE(td_der_expect(&outer, TD_DER_SEQUENCE, &body, NULL) == TD_DER_OK,
           TD_X509_BAD_DER);
    ENSURE(td_der_done(&outer) == TD_DER_OK, TD_X509_BAD_DER);
    td_rd_init_span(&list, body);
    /* SIZE (1..MAX): the first read fails on an empty list */
    do
        TRY(ext_read(&list, c));
    while (td_rd_left(&list) > 0);
    return TD_X509_OK;
}

/* ------------------------------------------------------------------------
 * Values of the known extensions
 * ------------------------------------------------------------------------ */

/* The extnValue must be exactly one element of this tag: its contents. */
static td_x509_reason value_one(td_span value, uint8_t tag, td_span *body)
{
    td_rd rd;

    td_rd_init_span(&rd, value);
    ENSURE(td_der_expect(&rd, tag, body, NULL) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    ENSURE(td_der_done(&rd) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    return TD_X509_OK;
}

/* RFC 5280 4.2.1.9
 *     BasicConstraints ::= SEQUENCE {
 *          cA                      BOOLEAN DEFAULT FALSE,
 *          pathLenConstraint       INTEGER (0..MAX) OPTIONAL } */
static td_x509_reason basic_constraints(td_span value, td_x509_cert *c)
{
    td_rd in;
    td_span body, v;
    uint8_t tag;

    TRY(value_one(value, TD_DER_SEQUENCE, &body));
    td_rd_init_span(&in, body);
    if (td_der_peek(&in, &tag) == TD_DER_OK && tag == TD_DER_BOOLEAN) {
        ENSURE(td_der_expect(&in, tag, &v, NULL) == TD_DER_OK, TD_X509_BAD_EXTENSION);
        ENSURE(td_der_boolean(v, &c->ca) == TD_DER_OK, TD_X509_BAD_EXTENSION);
        /* X.690 11.5: DEFAULT FALSE is not encoded */
        if (!c->ca) {
            td_der_failure_set(TD_DER_DEFAULT_VALUE, v.p);
            return TD_X509_BAD_EXTENSION;
        }
    }
    if (td_rd_left(&in) > 0) {
        ENSURE(td_der_expect(&in, TD_DER_INTEGER, &v, NULL) == TD_DER_OK,
               TD_X509_BAD_EXTENSION);
        /* (0..MAX); a value past 2^64-1 is not one we can hold */
        ENSURE(td_der_uint(v, UINT64_MAX, &c->path_len) == TD_DER_OK,
               TD_X509_BAD_EXTENSION);
        c->has_path_len = 1;
    }
    ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    c->has_basic_constraints = 1;
    return TD_X509_OK;
}

/* RFC 5280 4.2.1.3
 *     KeyUsage ::= BIT STRING { digitalSignature (0), ... decipherOnly (8) } */
static td_x509_reason key_usage(td_span value, td_x509_cert *c)
{
    td_span body, bits;
    td_rd rd;
    unsigned unused, ku = 0, i = 0, k;
    uint8_t o = 0;

    TRY(value_one(value, TD_DER_BIT_STRING, &body));
    ENSURE(td_der_bit_string(body, &bits, &unused) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    /* bits past decipherOnly (8) are not KeyUsage values */
    ENSURE(bits.len <= 2, TD_X509_BAD_EXTENSION);
    td_rd_init_span(&rd, bits);
    while (td_rd_u8(&rd, &o) == TD_OK) {
        for (k = 0; k < 8; k++)
            if (o & (0x80u >> k))
                ku |= 1u << (8 * i + k);
        i++;
    }
    ENSURE(ku < (1u << 9), TD_X509_BAD_EXTENSION);
    /* 4.2.1.3: "at least one of the bits MUST be set to 1"; X.690 11.2.2:
     * a named bit list has no trailing 0 bits, so the last bit is 1 */
    if (ku == 0 || !(o & (1u << unused))) {
        td_der_failure_set(TD_DER_BAD_BIT_STRING, body.p);
        return TD_X509_BAD_EXTENSION;
    }
    c->key_usage = ku;
    c->has_key_usage = 1;
    return TD_X509_OK;
}

/* RFC 5280 4.2.1.12
 *     ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
static td_x509_reason ext_key_usage(td_span value, td_x509_cert *c)
{
    td_span body, oid, whole;
    td_rd in;

    TRY(value_one(value, TD_DER_SEQUENCE, &body));
    td_rd_init_span(&in, body);
    do {
        ENSURE(td_der_expect(&in, TD_DER_OID, &oid, &whole) == TD_DER_OK,
               TD_X509_BAD_EXTENSION);
        ENSURE(td_der_oid(oid) == TD_DER_OK, TD_X509_BAD_EXTENSION);
        if (c->n_eku >= TD_X509_MAX_EKU) {
            td_der_failure_set(TD_DER_LIMIT, whole.p);
            return TD_X509_LIMIT;
        }
        c->eku[c->n_eku++] = oid;
    } while (td_rd_left(&in) > 0);
    c->has_eku = 1;
    return TD_X509_OK;
}

/* RFC 5280 4.2.1.6
 *     GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName
 * (also the [1] of authorityKeyIdentifier, where the SEQUENCE tag is
 * implicit: then `contents` are its contents). Into out when not NULL. */
static td_x509_reason general_names(td_span contents, td_x509_gname *out, size_t max,
                                    size_t *n)
{
    td_x509_gname g;
    td_rd in;

    *n = 0;
    td_rd_init_span(&in, contents);
    do {
        TRY(td_x509_gname_read(&in, 4, 16, &g));
        if (out) {
            if (*n >= max) {
                td_der_failure_set(TD_DER_LIMIT, g.value.p);
                return TD_X509_LIMIT;
            }
            out[*n] = g;
        }
        (*n)++;
    } while (td_rd_left(&in) > 0);
    return TD_X509_OK;
}

static td_x509_reason subject_alt_name(td_span value, td_x509_cert *c)
{
    td_span body;

    TRY(value_one(value, TD_DER_SEQUENCE, &body));
    TRY(general_names(body, c->san, TD_X509_MAX_SAN, &c->n_san));
    c->has_san = 1;
    return TD_X509_OK;
}

/* RFC 5280 4.2.1.10
 *     GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
 *     GeneralSubtree ::= SEQUENCE {
 *          base                    GeneralName,
 *          minimum         [0]     BaseDistance DEFAULT 0,
 *          maximum         [1]     BaseDistance OPTIONAL }
 * "the minimum MUST be zero, and maximum MUST be absent": with DER (X.690
 * 11.5) neither is encoded. iPAddress: address and mask, 8 or 32 octets. */
static td_x509_reason subtrees(td_span contents, td_x509_gname *out, size_t *n)
{
    td_rd list, in;
    td_span body;

    td_rd_init_span(&list, contents);
    do {
        ENSURE(td_der_expect(&list, TD_DER_SEQUENCE, &body, NULL) == TD_DER_OK,
               TD_X509_BAD_EXTENSION);
        td_rd_init_span(&in, body);
        if (*n >= TD_X509_MAX_SUBTREES) {
            td_der_failure_set(TD_DER_LIMIT, body.p);
            return TD_X509_LIMIT;
        }
        TRY(td_x509_gname_read(&in, 8, 32, &out[*n]));
        ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_EXTENSION);
        (*n)++;
    } while (td_rd_left(&list) > 0);
    return TD_X509_OK;
}

/*     NameConstraints ::= SEQUENCE {
 *          permittedSubtrees       [0]     GeneralSubtrees OPTIONAL,
 *          excludedSubtrees        [1]     GeneralSubtrees OPTIONAL } */
static td_x509_reason name_constraints(td_span value, td_x509_cert *c)
{
    td_span body, v;
    td_rd in;
    uint8_t tag;

    TRY(value_one(value, TD_DER_SEQUENCE, &body));
    td_rd_init_span(&in, body);
    /* "Conforming CAs MUST NOT issue certificates where name constraints
     * is an empty sequence" */
    ENSURE(td_rd_left(&in) > 0, TD_X509_BAD_EXTENSION);
    if (td_der_peek(&in, &tag) == TD_DER_OK && tag == TD_DER_CTX_CONS(0)) {
        ENSURE(td_der_expect(&in, tag, &v, NULL) == TD_DER_OK, TD_X509_BAD_EXTENSION);
        TRY(subtrees(v, c->permitted, &c->n_permitted));
    }
    if (td_rd_left(&in) > 0) {
        ENSURE(td_der_expect(&in, TD_DER_CTX_CONS(1), &v, NULL) == TD_DER_OK,
               TD_X509_BAD_EXTENSION);
        TRY(subtrees(v, c->excluded, &c->n_excluded));
    }
    ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    c->has_name_constraints = 1;
    return TD_X509_OK;
}

/* RFC 5280 4.2.1.1
 *     AuthorityKeyIdentifier ::= SEQUENCE {
 *        keyIdentifier             [0] KeyIdentifier           OPTIONAL,
 *        authorityCertIssuer       [1] GeneralNames            OPTIONAL,
 *        authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL } */
static td_x509_reason authority_key_id(td_span value, td_x509_cert *c)
{
    td_span body, v;
    td_rd in;
    uint8_t tag;
    size_t n;

    TRY(value_one(value, TD_DER_SEQUENCE, &body));
    td_rd_init_span(&in, body);
    if (td_der_peek(&in, &tag) == TD_DER_OK && tag == TD_DER_CTX(0)) {
        ENSURE(td_der_expect(&in, tag, &v, NULL) == TD_DER_OK, TD_X509_BAD_EXTENSION);
        c->authority_key_id = v;
    }
    if (td_der_peek(&in, &tag) == TD_DER_OK && tag == TD_DER_CTX_CONS(1)) {
        ENSURE(td_der_expect(&in, tag, &v, NULL) == TD_DER_OK, TD_X509_BAD_EXTENSION);
        TRY(general_names(v, NULL, 0, &n));
    }
    if (td_der_peek(&in, &tag) == TD_DER_OK && tag == TD_DER_CTX(2)) {
        ENSURE(td_der_expect(&in, tag, &v, NULL) == TD_DER_OK, TD_X509_BAD_EXTENSION);
        ENSURE(td_der_integer(v) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    }
    ENSURE(td_der_done(&in) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    return TD_X509_OK;
}

/* RFC 5280 4.2.1.2: SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING) */
static td_x509_reason subject_key_id(td_span value, td_x509_cert *c)
{
    return value_one(value, TD_DER_OCTET_STRING, &c->subject_key_id);
}

/* RFC 5280 4.2.1.4: certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF
 * PolicyInformation; kept opaque, but it must be DER. */
static td_x509_reason certificate_policies(td_span value, td_x509_cert *c)
{
    td_span body;

    TRY(value_one(value, TD_DER_SEQUENCE, &body));
    ENSURE(body.len > 0 && td_der_check_all(body) == TD_DER_OK, TD_X509_BAD_EXTENSION);
    c->policies = value;
    return TD_X509_OK;
}

static td_x509_reason ext_value(const td_x509_ext *e, td_x509_cert *c)
{
    switch (e->id) {
    case TD_X509_EXT_BASIC_CONSTRAINTS:
        return basic_constraints(e->value, c);
    case TD_X509_EXT_KEY_USAGE:
        return key_usage(e->value, c);
    case TD_X509_EXT_EXT_KEY_USAGE:
        return ext_key_usage(e->value, c);
    case TD_X509_EXT_SUBJECT_ALT_NAME:
        return subject_alt_name(e->value, c);
    case TD_X509_EXT_NAME_CONSTRAINTS:
        return name_constraints(e->value, c);
    case TD_X509_EXT_AUTHORITY_KEY_ID:
        return authority_key_id(e->value, c);
    case TD_X509_EXT_SUBJECT_KEY_ID:
        return subject_key_id(e->value, c);
    case TD_X509_EXT_CERTIFICATE_POLICIES:
        return certificate_policies(e->value, c);
    default:
        return TD_X509_OK;
    }
}

td_x509_reason td_x509_ext_check(td_x509_cert *c)
{
    size_t i, j;

    /* RFC 5280 4.2: "A certificate MUST NOT include more than one
     * instance of a particular extension." */
    for (i = 0; i < c->n_exts; i++)
        for (j = i + 1; j < c->n_exts; j++)
            ENSURE(!span_eq(c->exts[i].oid, c->exts[j].oid),
                   TD_X509_DUPLICATE_EXTENSION);
    for (i = 0; i < c->n_exts; i++)
        TRY(ext_value(&c->exts[i], c));
    /* the values' probes (peeks at a reader's end) leave no record */
    td_der_failure_clear();
    /* RFC 5280 4.2: "A certificate-using system MUST reject the
     * certificate if it encounters a critical extension it does not
     * recognize" */
    for (i = 0; i < c->n_exts; i++)
        ENSURE(c->exts[i].id != TD_X509_EXT_OTHER || !c->exts[i].critical,
               TD_X509_UNKNOWN_CRITICAL);
    return TD_X509_OK;
}
