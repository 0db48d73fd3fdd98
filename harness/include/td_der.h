/*
 * td_der: strict, bounded DER (X.690 8 and 10, the subset RFC 5280
 * certificates use) on the td_rd reader, and the writer side on td_wr.
 *
 * Reader rules, each its own td_der_why so tests and `tlsdiff x509` can
 * name the rule a certificate broke:
 *   - tags: single-byte identifiers only (tag numbers 0..30); the
 *     high-tag-number form is refused (X.690 8.1.2.4; nothing in RFC 5280
 *     uses it);
 *   - lengths: definite (X.690 10.1), in the fewest octets (10.1: "the
 *     definite form of length encoding shall be used, encoded in the
 *     minimum number of octets"), at most 4 length octets, and within
 *     what remains;
 *   - INTEGER: at least one content octet and no redundant leading 0x00
 *     or 0xff octet (8.3.2);
 *   - BOOLEAN: one octet, 0x00 or 0xff (11.1);
 *   - BIT STRING: an initial octet 0..7, 0 when there are no bits, and
 *     the unused bits zero (11.2.1);
 *   - OBJECT IDENTIFIER: non-empty, each subidentifier in the fewest
 *     octets (no leading 0x80, 8.19.2), the last octet ends a
 *     subidentifier;
 *   - UTCTime and GeneralizedTime: exactly YYMMDDHHMMSSZ and
 *     YYYYMMDDHHMMSSZ (RFC 5280 4.1.2.5.1, 4.1.2.5.2: "MUST be expressed
 *     in Greenwich Mean Time (Zulu) and MUST include seconds"; no
 *     fractional seconds), each field in range; UTCTime YY >= 50 is 19YY
 *     (4.1.2.5.1);
 *   - strings: PrintableString in its character set (X.680 41.4),
 *     IA5String 7-bit, UTF8String well-formed UTF-8 (RFC 3629), BMPString
 *     an even length, VisibleString printable ASCII; TeletexString and
 *     UniversalString are kept as octets;
 *   - nesting deeper than TD_DER_MAX_DEPTH is refused (the certificate
 *     decoder's own depth is fixed; this bounds generic walks,
 *     td_der_check_all);
 *   - in a generic walk, constructed universal tags other than SEQUENCE
 *     and SET are refused (X.690 10.2: strings are primitive in DER).
 *
 * Nothing here allocates; values are spans into the input.
 */
#ifndef TD_DER_H
#define TD_DER_H

#include "td_bytes.h"

#include <stdint.h>

enum {
    TD_DER_BOOLEAN = 0x01,
    TD_DER_INTEGER = 0x02,
    TD_DER_BIT_STRING = 0x03,
    TD_DER_OCTET_STRING = 0x04,
    TD_DER_NULL = 0x05,
    TD_DER_OID = 0x06,
    TD_DER_UTF8_STRING = 0x0c,
    TD_DER_PRINTABLE_STRING = 0x13,
    TD_DER_TELETEX_STRING = 0x14,
    TD_DER_IA5_STRING = 0x16,
    TD_DER_UTC_TIME = 0x17,
    TD_DER_GENERALIZED_TIME = 0x18,
    TD_DER_VISIBLE_STRING = 0x1a,
    TD_DER_UNIVERSAL_STRING = 0x1c,
    TD_DER_BMP_STRING = 0x1e,
    TD_DER_SEQUENCE = 0x30,
    TD_DER_SET = 0x31,
};

/* Context-specific tags: [n] primitive and [n] constructed. */
#define TD_DER_CTX(n) ((uint8_t)(0x80u | (n)))
#define TD_DER_CTX_CONS(n) ((uint8_t)(0xa0u | (n)))

#define TD_DER_MAX_DEPTH 16

typedef enum td_der_why {
    TD_DER_OK = 0,
    TD_DER_TRUNCATED,         /* the element runs past its container */
    TD_DER_HIGH_TAG,          /* tag number 31 or more */
    TD_DER_INDEFINITE_LENGTH, /* length octet 0x80 */
    TD_DER_NONMINIMAL_LENGTH, /* long form where short would do, or a
                                 leading zero length octet */
    TD_DER_LENGTH_TOO_LONG,   /* more than 4 length octets */
    TD_DER_UNEXPECTED_TAG,    /* not the tag the structure needs */
    TD_DER_EMPTY_INTEGER,
    TD_DER_NONMINIMAL_INTEGER,
    TD_DER_NEGATIVE,          /* a negative INTEGER where none may be */
    TD_DER_INTEGER_TOO_BIG,   /* over what the field allows */
    TD_DER_BAD_BOOLEAN,
    TD_DER_BAD_NULL,          /* NULL with content */
    TD_DER_BAD_BIT_STRING,
    TD_DER_BAD_OID,
    TD_DER_BAD_TIME,
    TD_DER_BAD_STRING,
    TD_DER_TRAILING_DATA,     /* bytes after the last element */
    TD_DER_TOO_DEEP,
    TD_DER_LIMIT,             /* over a fixed maximum of td_x509.h */
    TD_DER_DEFAULT_VALUE,     /* a DEFAULT value encoded (X.690 11.5) */
    TD_DER_SET_ORDER,         /* SET OF out of order (X.690 11.6) */
    TD_DER_N_WHY
} td_der_why;

/* "nonminimal_length", ... */
const char *td_der_why_name(td_der_why why);

/* Thread-local diagnostics of the last failure (like td_rd's): the rule
 * and where in the input it was broken. Nothing decides on them. */
typedef struct td_der_failure {
    td_der_why why;
    const uint8_t *at; /* the identifier octet of the element (the content
                          checks, which see only contents: the first
                          content octet), or NULL */
} td_der_failure;
void td_der_failure_clear(void);
td_der_failure td_der_failure_last(void);
/* Record a failure found above this layer (a structure rule of the
 * certificate decoder); returns why. */
td_der_why td_der_failure_set(td_der_why why, const uint8_t *at);

/* ---- reading -------------------------------------------------------- */

/* One element: identifier, length and contents. `value` is the contents,
 * `whole` (may be NULL) identifier to end. On failure rd is unchanged. */
td_der_why td_der_read(td_rd *rd, uint8_t *tag, td_span *value, td_span *whole);
/* The same, but the tag must be `tag` (TD_DER_UNEXPECTED_TAG). */
td_der_why td_der_expect(td_rd *rd, uint8_t tag, td_span *value, td_span *whole);
/* The next element's tag without consuming it; TD_DER_TRUNCATED at the
 * end. */
td_der_why td_der_peek(const td_rd *rd, uint8_t *tag);
/* TD_DER_TRAILING_DATA unless rd is consumed. */
td_der_why td_der_done(const td_rd *rd);

/* INTEGER contents: minimal (8.3.2). */
td_der_why td_der_integer(td_span value);
/* A non-negative INTEGER that fits in max: into *out. */
td_der_why td_der_uint(td_span value, uint64_t max, uint64_t *out);
/* 1 when the (checked) INTEGER contents are negative. */
int td_der_integer_negative(td_span value);
td_der_why td_der_boolean(td_span value, int *out);
td_der_why td_der_null(td_span value);
/* BIT STRING contents: the bits (without the initial octet) and the
 * number of unused bits in the last octet. */
td_der_why td_der_bit_string(td_span value, td_span *bits, unsigned *unused);
td_der_why td_der_oid(td_span value);
/* OID contents equal to the DER contents oid[0..n). */
int td_der_oid_is(td_span value, const uint8_t *oid, size_t n);
/* "1.2.840.113549.1.1.11" into buf (truncated to cap, always
 * terminated). The value must have passed td_der_oid. */
void td_der_oid_text(td_span value, char *buf, size_t cap);
/* UTCTime or GeneralizedTime contents (tag says which) as seconds since
 * 1970-01-01T00:00:00Z. */
td_der_why td_der_time(uint8_t tag, td_span value, int64_t *out);
/* The string rules above for a string tag; other tags: TD_DER_UNEXPECTED_TAG. */
td_der_why td_der_string(uint8_t tag, td_span value);
/* Every element of der (zero or more, back to back) by the rules above,
 * constructed ones recursively to TD_DER_MAX_DEPTH, primitive universal
 * ones by their type's content rule; for values kept opaque (ANY
 * parameters, certificatePolicies, otherName). SET OF order is not
 * checked: a generic walk cannot tell SET from SET OF. */
td_der_why td_der_check_all(td_span der);

/* ---- writing -------------------------------------------------------- */

/* One element with the minimal length encoding. */
TD_MUST_USE td_err td_der_write(td_wr *wr, uint8_t tag, td_span value);
/* A constructed element whose length is known at the end: open writes the
 * identifier and a one-octet placeholder; close moves the contents to
 * make room for the minimal length encoding (td_wr_open_der and
 * td_wr_close_der in td_wr.c). Blocks nest. */
TD_MUST_USE td_err td_der_open(td_wr *wr, uint8_t tag, td_wr_mark *m);
TD_MUST_USE td_err td_der_close(td_wr *wr, const td_wr_mark *m);
/* INTEGER from a non-negative value, minimal. */
TD_MUST_USE td_err td_der_write_uint(td_wr *wr, uint64_t v);
/* Time in the form RFC 5280 4.1.2.5 asks for: UTCTime through 2049,
 * GeneralizedTime from 2050 (tag 0 picks so; otherwise the given tag). */
TD_MUST_USE td_err td_der_write_time(td_wr *wr, uint8_t tag, int64_t t);

#endif
