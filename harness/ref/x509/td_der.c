/*
 * td_der: strict DER (X.690 8 basic rules, 10 and 11 the DER
 * restrictions) on the td_rd reader; the writer side on td_wr.
 *
 *     TLV ::= identifier octets | length octets | contents octets
 *                                                     (X.690 8.1.1)
 *
 * Every reading function checks first and commits last: on failure the
 * reader is unchanged and the rule broken is recorded (thread-local,
 * like td_rd_failure) for diagnostics. Times and strings are in
 * td_der_text.c.
 */
#include "td_der.h"

#include <stdio.h>
#include <string.h>

static _Thread_local td_der_failure der_last;

static const char *const why_names[TD_DER_N_WHY] = {
    [TD_DER_OK] = "ok",
    [TD_DER_TRUNCATED] = "truncated",
    [TD_DER_HIGH_TAG] = "high_tag",
    [TD_DER_INDEFINITE_LENGTH] = "indefinite_length",
    [TD_DER_NONMINIMAL_LENGTH] = "nonminimal_length",
    [TD_DER_LENGTH_TOO_LONG] = "length_too_long",
    [TD_DER_UNEXPECTED_TAG] = "unexpected_tag",
    [TD_DER_EMPTY_INTEGER] = "empty_integer",
    [TD_DER_NONMINIMAL_INTEGER] = "nonminimal_integer",
    [TD_DER_NEGATIVE] = "negative",
    [TD_DER_INTEGER_TOO_BIG] = "integer_too_big",
    [TD_DER_BAD_BOOLEAN] = "bad_boolean",
    [TD_DER_BAD_NULL] = "bad_null",
    [TD_DER_BAD_BIT_STRING] = "bad_bit_string",
    [TD_DER_BAD_OID] = "bad_oid",
    [TD_DER_BAD_TIME] = "bad_time",
    [TD_DER_BAD_STRING] = "bad_string",
    [TD_DER_TRAILING_DATA] = "trailing_data",
    [TD_DER_TOO_DEEP] = "too_deep",
    [TD_DER_LIMIT] = "limit",
    [TD_DER_DEFAULT_VALUE] = "default_value",
    [TD_DER_SET_ORDER] = "set_order",
};

const char *td_der_why_name(td_der_why why)
{
    if ((unsigned)why >= TD_DER_N_WHY || !why_names[why])
        return "unknown";
    return why_names[why];
}

void td_der_failure_clear(void)
{
    der_last.why = TD_DER_OK;
    der_last.at = NULL;
}

td_der_failure td_der_failure_last(void)
{
    return der_last;
}

td_der_why td_der_failure_set(td_der_why why, const uint8_t *at)
{
    der_last.why = why;
    der_last.at = at;
    return why;
}

/* Where the reader stands, for diagnostics (no arithmetic here). */
static const uint8_t *rd_here(const td_rd *rd)
{
    td_rd c = *rd;
    td_span s;

    td_rd_rest(&c, &s);
    return s.p;
}

/* ------------------------------------------------------------------------
 * Identifier and length
 * ------------------------------------------------------------------------ */

/* The length octets (X.690 8.1.3) under the DER rule of 10.1: definite,
 * in the fewest octets. At most 4 length octets (TD_X509_MAX_CERT_LEN is
 * far below 2^32). */
static td_der_why read_length(td_rd *r, size_t *len)
{
    uint8_t first, b;
    size_t v = 0;
    unsigned n, i;

    if (td_rd_u8(r, &first) != TD_OK)
        return TD_DER_TRUNCATED;
    if (first < 0x80) {
        *len = first; /* 8.1.3.4 short form */
        return TD_DER_OK;
    }
    if (first == 0x80)
        return TD_DER_INDEFINITE_LENGTH; /* 8.1.3.6, refused by 10.1 */
    n = first & 0x7fu;
    if (n > 4)
        return TD_DER_LENGTH_TOO_LONG;
    for (i = 0; i < n; i++) {
        if (td_rd_u8(r, &b) != TD_OK)
            return TD_DER_TRUNCATED;
        /* 10.1: minimum octets: no leading zero octet */
        if (i == 0 && b == 0)
            return TD_DER_NONMINIMAL_LENGTH;
        v = (v << 8) | b;
    }
    /* 10.1: the short form where it can be used */
    if (v < 0x80)
        return TD_DER_NONMINIMAL_LENGTH;
    *len = v;
    return TD_DER_OK;
}

td_der_why td_der_peek(const td_rd *rd, uint8_t *tag)
{
    td_rd r = *rd;
    uint8_t t;

    if (td_rd_u8(&r, &t) != TD_OK)
        return td_der_failure_set(TD_DER_TRUNCATED, rd_here(rd));
    /* X.690 8.1.2.4: tag numbers >= 31 take the high-tag-number form */
    if ((t & 0x1fu) == 0x1fu)
        return td_der_failure_set(TD_DER_HIGH_TAG, rd_here(rd));
    *tag = t;
    return TD_DER_OK;
}

td_der_why td_der_read(td_rd *rd, uint8_t *tag, td_span *value, td_span *whole)
{
    td_rd r = *rd, start = *rd;
    td_span v, w;
    td_der_why why;
    size_t len;
    uint8_t t;

    why = td_der_peek(rd, &t);
    if (why != TD_DER_OK)
        return why;
    if (td_rd_u8(&r, &t) != TD_OK)
        return td_der_failure_set(TD_DER_TRUNCATED, rd_here(rd));
    why = read_length(&r, &len);
    if (why != TD_DER_OK)
        return td_der_failure_set(why, rd_here(rd));
    /* 8.1.1: the contents run past the container */
    if (td_rd_span(&r, len, &v) != TD_OK)
        return td_der_failure_set(TD_DER_TRUNCATED, rd_here(rd));
    if (td_rd_span(&start, td_rd_left(rd) - td_rd_left(&r), &w) != TD_OK)
        return td_der_failure_set(TD_DER_TRUNCATED, rd_here(rd));
    *tag = t;
    *value = v;
    if (whole)
        *whole = w;
    *rd = r;
    return TD_DER_OK;
}

td_der_why td_der_expect(td_rd *rd, uint8_t tag, td_span *value, td_span *whole)
{
    td_rd r = *rd;
    td_der_why why;
    td_span v, w;
    uint8_t t;

    why = td_der_read(&r, &t, &v, &w);
    if (why != TD_DER_OK)
        return why;
    if (t != tag)
        return td_der_failure_set(TD_DER_UNEXPECTED_TAG, w.p);
    *value = v;
    if (whole)
        *whole = w;
    *rd = r;
    return TD_DER_OK;
}

td_der_why td_der_done(const td_rd *rd)
{
    if (td_rd_left(rd) != 0)
        return td_der_failure_set(TD_DER_TRAILING_DATA, rd_here(rd));
    return TD_DER_OK;
}

/* ------------------------------------------------------------------------
 * Primitive contents
 * ------------------------------------------------------------------------ */

/* The octets of a span, read through td_rd (no pointer arithmetic). */
static uint8_t octet_at(td_span s, size_t i)
{
    td_rd r;
    td_span one;

    td_rd_init_span(&r, s);
    if (td_rd_span(&r, i, &one) != TD_OK || td_rd_span(&r, 1, &one) != TD_OK)
        return 0;
    return one.p[0];
}

static td_der_why fail_in(td_der_why why, td_span value)
{
    return td_der_failure_set(why, value.p);
}

td_der_why td_der_integer(td_span value)
{
    uint8_t a, b;

    /* X.690 8.3.1: one or more contents octets */
    if (value.len == 0)
        return fail_in(TD_DER_EMPTY_INTEGER, value);
    if (value.len == 1)
        return TD_DER_OK;
    /* 8.3.2: the first nine bits are not all ones nor all zeros */
    a = octet_at(value, 0);
    b = octet_at(value, 1);
    if ((a == 0x00 && !(b & 0x80)) || (a == 0xff && (b & 0x80)))
        return fail_in(TD_DER_NONMINIMAL_INTEGER, value);
    return TD_DER_OK;
}

int td_der_integer_negative(td_span value)
{
    return value.len > 0 && (octet_at(value, 0) & 0x80) != 0;
}

td_der_why td_der_uint(td_span value, uint64_t max, uint64_t *out)
{
    td_der_why why = td_der_integer(value);
    uint64_t v = 0;
    size_t i;

    if (why != TD_DER_OK)
        return why;
    if (td_der_integer_negative(value))
        return fail_in(TD_DER_NEGATIVE, value);
    for (i = 0; i < value.len; i++) {
        if (v > (UINT64_MAX >> 8))
            return fail_in(TD_DER_INTEGER_TOO_BIG, value);
        v = (v << 8) | octet_at(value, i);
    }
    if (v > max)
        return fail_in(TD_DER_INTEGER_TOO_BIG, value);
    *out = v;
    return TD_DER_OK;
}

td_der_why td_der_boolean(td_span value, int *out)
{
    uint8_t b;

    /* X.690 8.2.1: one octet; 11.1: TRUE is all ones */
    if (value.len != 1)
        return fail_in(TD_DER_BAD_BOOLEAN, value);
    b = octet_at(value, 0);
    if (b != 0x00 && b != 0xff)
        return fail_in(TD_DER_BAD_BOOLEAN, value);
    *out = b == 0xff;
    return TD_DER_OK;
}

td_der_why td_der_null(td_span value)
{
    /* X.690 8.8.2: no contents octets */
    if (value.len != 0)
        return fail_in(TD_DER_BAD_NULL, value);
    return TD_DER_OK;
}

td_der_why td_der_bit_string(td_span value, td_span *bits, unsigned *unused)
{
    td_rd r;
    td_span b;
    uint8_t n, last;

    td_rd_init_span(&r, value);
    /* X.690 8.6.2: an initial octet, the number of unused bits 0..7 */
    if (td_rd_u8(&r, &n) != TD_OK || n > 7)
        return fail_in(TD_DER_BAD_BIT_STRING, value);
    td_rd_rest(&r, &b);
    /* 8.6.2.3: no bits, no unused bits */
    if (b.len == 0 && n != 0)
        return fail_in(TD_DER_BAD_BIT_STRING, value);
    /* 11.2.1: the unused bits are zero */
    if (b.len > 0) {
        last = octet_at(b, b.len - 1);
        if ((last & ((1u << n) - 1u)) != 0)
            return fail_in(TD_DER_BAD_BIT_STRING, value);
    }
    *bits = b;
    *unused = n;
    return TD_DER_OK;
}

td_der_why td_der_oid(td_span value)
{
    size_t i;
    int start = 1;
    uint8_t b = 0;

    /* X.690 8.19.2: one or more subidentifiers */
    if (value.len == 0)
        return fail_in(TD_DER_BAD_OID, value);
    for (i = 0; i < value.len; i++) {
        b = octet_at(value, i);
        /* 8.19.2: "the leading octet of the subidentifier shall not have
         * the value 0x80" (the fewest octets) */
        if (start && b == 0x80)
            return fail_in(TD_DER_BAD_OID, value);
        start = !(b & 0x80);
    }
    /* the last octet ends a subidentifier (bit 8 zero) */
    if (b & 0x80)
        return fail_in(TD_DER_BAD_OID, value);
    return TD_DER_OK;
}

int td_der_oid_is(td_span value, const uint8_t *oid, size_t n)
{
    return value.len == n && (n == 0 || memcmp(value.p, oid, n) == 0);
}

/* Append text to buf[0..cap), keeping it terminated. */
static void text_put(char *buf, size_t cap, size_t *at, const char *s)
{
    while (*s && *at + 1 < cap)
        buf[(*at)++] = *s++;
    buf[*at < cap ? *at : cap - 1] = '\0';
}

static void text_arc(char *buf, size_t cap, size_t *at, uint64_t v, int big)
{
    char num[24];

    /* arcs wider than 64 bits (2.25 UUIDs) are diagnostics only */
    snprintf(num, sizeof num, big ? "~" : "%llu", (unsigned long long)v);
    text_put(buf, cap, at, num);
}

void td_der_oid_text(td_span value, char *buf, size_t cap)
{
    uint64_t v = 0;
    size_t i, at = 0;
    int first = 1, big = 0;

    if (cap == 0)
        return;
    buf[0] = '\0';
    for (i = 0; i < value.len; i++) {
        uint8_t b = octet_at(value, i);

        big |= v > (UINT64_MAX >> 7);
        v = (v << 7) | (b & 0x7fu);
        if (b & 0x80)
            continue;
        if (first) {
            /* 8.19.4: the first subidentifier is X*40 + Y */
            uint64_t x = v < 40 ? 0 : v < 80 ? 1 : 2;
            text_arc(buf, cap, &at, x, 0);
            text_put(buf, cap, &at, ".");
            text_arc(buf, cap, &at, v - 40 * x, big);
            first = 0;
        } else {
            text_put(buf, cap, &at, ".");
            text_arc(buf, cap, &at, v, big);
        }
        v = 0;
        big = 0;
    }
}

/* ------------------------------------------------------------------------
 * Generic walk (for values kept opaque)
 * ------------------------------------------------------------------------ */

static td_der_why check_elems(td_span der, unsigned depth);

/* The content rule of a primitive universal type; others are opaque. */
static td_der_why check_primitive(uint8_t tag, td_span value)
{
    td_span bits;
    unsigned unused;
    int b;
    int64_t t;

    switch (tag) {
    case 0x00: /* end-of-contents: only with indefinite lengths (10.1) */
    case TD_DER_SEQUENCE & 0x1f:
    case TD_DER_SET & 0x1f: /* X.690 8.9.1, 8.11.1: constructed */
        return TD_DER_UNEXPECTED_TAG;
    case TD_DER_BOOLEAN:
        return td_der_boolean(value, &b);
    case TD_DER_INTEGER:
    case 0x0a: /* ENUMERATED: as INTEGER, X.690 8.4 */
        return td_der_integer(value);
    case TD_DER_BIT_STRING:
        return td_der_bit_string(value, &bits, &unused);
    case TD_DER_NULL:
        return td_der_null(value);
    case TD_DER_OID:
        return td_der_oid(value);
    case TD_DER_UTC_TIME:
    case TD_DER_GENERALIZED_TIME:
        return td_der_time(tag, value, &t);
    case TD_DER_UTF8_STRING:
    case TD_DER_PRINTABLE_STRING:
    case TD_DER_TELETEX_STRING:
    case TD_DER_IA5_STRING:
    case TD_DER_VISIBLE_STRING:
    case TD_DER_UNIVERSAL_STRING:
    case TD_DER_BMP_STRING:
        return td_der_string(tag, value);
    default:
        return TD_DER_OK;
    }
}

static td_der_why check_one(uint8_t tag, td_span value, td_span whole,
                            unsigned depth)
{
    td_der_why why;

    if (tag & 0x20) {
        /* X.690 10.2: in DER the string types are primitive; of the
         * universal constructed types certificates use SEQUENCE and SET */
        if ((tag & 0xc0) == 0 && tag != TD_DER_SEQUENCE && tag != TD_DER_SET)
            return td_der_failure_set(TD_DER_UNEXPECTED_TAG, whole.p);
        return check_elems(value, depth + 1);
    }
    if ((tag & 0xc0) != 0)
        return TD_DER_OK; /* context, application, private: opaque */
    why = check_primitive(tag, value);
    if (why != TD_DER_OK)
        return td_der_failure_set(why, whole.p);
    return TD_DER_OK;
}

static td_der_why check_elems(td_span der, unsigned depth)
{
    td_rd rd;
    td_span value, whole;
    td_der_why why;
    uint8_t tag;

    if (der.len > 0 && depth > TD_DER_MAX_DEPTH)
        return td_der_failure_set(TD_DER_TOO_DEEP, der.p);
    td_rd_init_span(&rd, der);
    while (td_rd_left(&rd) > 0) {
        why = td_der_read(&rd, &tag, &value, &whole);
        if (why != TD_DER_OK)
            return why;
        why = check_one(tag, value, whole, depth);
        if (why != TD_DER_OK)
            return why;
    }
    return TD_DER_OK;
}

td_der_why td_der_check_all(td_span der)
{
    return check_elems(der, 1);
}

/* ------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------ */

/* Identifier and minimal length octets (X.690 10.1) into h; how many. */
static size_t der_header(uint8_t h[6], uint8_t tag, size_t len)
{
    size_t n = 0, k;

    h[0] = tag;
    if (len < 0x80) {
        h[1] = (uint8_t)len;
        return 2;
    }
    while (n < 4 && (len >> (8 * n)) != 0)
        n++;
    h[1] = (uint8_t)(0x80u | n);
    for (k = 0; k < n; k++)
        h[2 + k] = (uint8_t)(len >> (8 * (n - 1 - k)));
    return 2 + n;
}

td_err td_der_write(td_wr *wr, uint8_t tag, td_span value)
{
    td_wr probe = *wr; /* all or nothing: commit only when both fit */
    uint8_t h[6];

    ENSURE(value.len <= UINT32_MAX, TD_ERR_NOSPACE);
    TRY(td_wr_bytes(&probe, h, der_header(h, tag, value.len)));
    TRY(td_wr_span(&probe, value));
    *wr = probe;
    return TD_OK;
}

td_err td_der_open(td_wr *wr, uint8_t tag, td_wr_mark *m)
{
    return td_wr_open_der(wr, tag, m);
}

td_err td_der_close(td_wr *wr, const td_wr_mark *m)
{
    return td_wr_close_der(wr, m);
}

td_err td_der_write_uint(td_wr *wr, uint64_t v)
{
    uint8_t b[9];
    size_t n = 0, k, i;
    td_span s;

    /* X.690 8.3.2: the fewest octets; 8.3.3: a leading 0x00 keeps a value
     * with the top bit set positive */
    while (n < 8 && (v >> (8 * n)) != 0)
        n++;
    if (n == 0)
        n = 1;
    k = (v >> (8 * n - 1)) & 1u ? 1 : 0;
    b[0] = 0;
    for (i = 0; i < n; i++)
        b[k + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    s.p = b;
    s.len = n + k;
    return td_der_write(wr, TD_DER_INTEGER, s);
}
