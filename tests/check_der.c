/*
 * td_der: strict DER reading and writing, and td_wr_open_der/close_der.
 *
 * Expected values are written out by hand from X.690 (8.1.3 lengths,
 * 8.3 INTEGER, 8.6 BIT STRING, 8.19 OBJECT IDENTIFIER, 10 and 11 the DER
 * restrictions) and RFC 5280 4.1.2.5 (times). Times as unix seconds come
 * from GNU date, e.g. `date -u -d '2049-12-31 23:59:59' +%s`.
 */
#include "td_der.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

#define SPAN(a) ((td_span){(a), sizeof(a)})
#define STR(s) ((td_span){(const uint8_t *)(s), sizeof(s) - 1})

#define ck_assert_rd_same(a, b)                                                \
    do {                                                                       \
        ck_assert_ptr_eq((a).p, (b).p);                                        \
        ck_assert_uint_eq((a).len, (b).len);                                   \
        ck_assert_uint_eq((a).off, (b).off);                                   \
    } while (0)

/* Read one element of in; on failure the reader must not move and the
 * recorded failure must name the same rule. */
static td_der_why read_one(const uint8_t *in, size_t n, uint8_t *tag, td_span *v)
{
    td_rd rd, before;
    td_der_why why;
    td_span w;

    td_rd_init(&rd, in, n);
    before = rd;
    td_der_failure_clear();
    why = td_der_read(&rd, tag, v, &w);
    if (why != TD_DER_OK) {
        ck_assert_rd_same(rd, before);
        ck_assert_int_eq(td_der_failure_last().why, why);
        /* the identifier octet; nothing to point at in empty input */
        ck_assert_ptr_eq(td_der_failure_last().at, n ? in : NULL);
    }
    return why;
}

/* ---------------------------------------------------------------- valid */

START_TEST(test_read_lengths)
{
    static const uint8_t short_form[] = {0x04, 0x03, 'a', 'b', 'c', 0x05, 0x00};
    static uint8_t long1[3 + 128], long2[4 + 256];
    td_rd rd;
    td_span v, w;
    uint8_t tag;

    td_rd_init(&rd, short_form, sizeof short_form);
    ck_assert_int_eq(td_der_read(&rd, &tag, &v, &w), TD_DER_OK);
    ck_assert_uint_eq(tag, 0x04);
    ck_assert_uint_eq(v.len, 3);
    ck_assert_ptr_eq(v.p, short_form + 2);
    ck_assert_ptr_eq(w.p, short_form);
    ck_assert_uint_eq(w.len, 5);
    ck_assert_int_eq(td_der_peek(&rd, &tag), TD_DER_OK);
    ck_assert_uint_eq(tag, 0x05);
    ck_assert_int_eq(td_der_expect(&rd, TD_DER_NULL, &v, NULL), TD_DER_OK);
    ck_assert_int_eq(td_der_null(v), TD_DER_OK);
    ck_assert_int_eq(td_der_done(&rd), TD_DER_OK);
    ck_assert_int_eq(td_der_peek(&rd, &tag), TD_DER_TRUNCATED);

    /* X.690 8.1.3.5: 128 needs the long form 0x81 0x80 */
    long1[0] = 0x04;
    long1[1] = 0x81;
    long1[2] = 0x80;
    ck_assert_int_eq(read_one(long1, sizeof long1, &tag, &v), TD_DER_OK);
    ck_assert_uint_eq(v.len, 128);
    long2[0] = 0x04;
    long2[1] = 0x82;
    long2[2] = 0x01;
    long2[3] = 0x00;
    ck_assert_int_eq(read_one(long2, sizeof long2, &tag, &v), TD_DER_OK);
    ck_assert_uint_eq(v.len, 256);
}
END_TEST

START_TEST(test_integers)
{
    static const uint8_t zero[] = {0x00}, i127[] = {0x7f}, i128[] = {0x00, 0x80},
                         m128[] = {0x80}, m129[] = {0xff, 0x7f},
                         max64[] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
                         big[] = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    uint64_t v;

    ck_assert_int_eq(td_der_integer(SPAN(zero)), TD_DER_OK);
    ck_assert_int_eq(td_der_integer(SPAN(i128)), TD_DER_OK);
    ck_assert_int_eq(td_der_integer(SPAN(m129)), TD_DER_OK);
    ck_assert_int_eq(td_der_integer_negative(SPAN(m128)), 1);
    ck_assert_int_eq(td_der_integer_negative(SPAN(i128)), 0);
    ck_assert_int_eq(td_der_uint(SPAN(i127), 1000, &v), TD_DER_OK);
    ck_assert_uint_eq(v, 127);
    ck_assert_int_eq(td_der_uint(SPAN(i128), 1000, &v), TD_DER_OK);
    ck_assert_uint_eq(v, 128);
    ck_assert_int_eq(td_der_uint(SPAN(i128), 127, &v), TD_DER_INTEGER_TOO_BIG);
    ck_assert_int_eq(td_der_uint(SPAN(max64), UINT64_MAX, &v), TD_DER_OK);
    ck_assert(v == UINT64_MAX);
    ck_assert_int_eq(td_der_uint(SPAN(big), UINT64_MAX, &v), TD_DER_INTEGER_TOO_BIG);
    ck_assert_int_eq(td_der_uint(SPAN(m128), 1000, &v), TD_DER_NEGATIVE);
}
END_TEST

START_TEST(test_boolean_null_bits)
{
    static const uint8_t t[] = {0xff}, f[] = {0x00}, ku[] = {0x07, 0x80},
                         empty[] = {0x00}, two[] = {0x04, 0xa5, 0xf0};
    td_span bits;
    unsigned unused;
    int b;

    ck_assert_int_eq(td_der_boolean(SPAN(t), &b), TD_DER_OK);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(td_der_boolean(SPAN(f), &b), TD_DER_OK);
    ck_assert_int_eq(b, 0);
    ck_assert_int_eq(td_der_null((td_span){NULL, 0}), TD_DER_OK);
    /* RFC 5280 4.2.1.3 digitalSignature only: 03 02 07 80 */
    ck_assert_int_eq(td_der_bit_string(SPAN(ku), &bits, &unused), TD_DER_OK);
    ck_assert_uint_eq(unused, 7);
    ck_assert_uint_eq(bits.len, 1);
    ck_assert_uint_eq(bits.p[0], 0x80);
    ck_assert_int_eq(td_der_bit_string(SPAN(empty), &bits, &unused), TD_DER_OK);
    ck_assert_uint_eq(bits.len, 0);
    ck_assert_int_eq(td_der_bit_string(SPAN(two), &bits, &unused), TD_DER_OK);
    ck_assert_uint_eq(unused, 4);
    ck_assert_uint_eq(bits.len, 2);
}
END_TEST

START_TEST(test_oids)
{
    /* sha256WithRSAEncryption, basicConstraints, and X.690 8.19.5's
     * example 2.999.3 = 88 37 03 */
    static const uint8_t sha256rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b},
                         bc[] = {0x55, 0x1d, 0x13}, ex[] = {0x88, 0x37, 0x03};
    char text[64], small[8];

    ck_assert_int_eq(td_der_oid(SPAN(sha256rsa)), TD_DER_OK);
    td_der_oid_text(SPAN(sha256rsa), text, sizeof text);
    ck_assert_str_eq(text, "1.2.840.113549.1.1.11");
    td_der_oid_text(SPAN(bc), text, sizeof text);
    ck_assert_str_eq(text, "2.5.29.19");
    ck_assert_int_eq(td_der_oid(SPAN(ex)), TD_DER_OK);
    td_der_oid_text(SPAN(ex), text, sizeof text);
    ck_assert_str_eq(text, "2.999.3");
    td_der_oid_text(SPAN(sha256rsa), small, sizeof small);
    ck_assert_str_eq(small, "1.2.840");
    ck_assert_int_eq(td_der_oid_is(SPAN(bc), bc, sizeof bc), 1);
    ck_assert_int_eq(td_der_oid_is(SPAN(bc), ex, sizeof ex), 0);
}
END_TEST

static int64_t time_of(uint8_t tag, const char *s)
{
    td_span v = {(const uint8_t *)s, strlen(s)};
    int64_t t = 0;

    ck_assert_msg(td_der_time(tag, v, &t) == TD_DER_OK, "%s", s);
    return t;
}

START_TEST(test_times)
{
    /* unix seconds from `date -u -d ... +%s` */
    ck_assert_int_eq(time_of(TD_DER_UTC_TIME, "250101000000Z"), 1735689600);
    ck_assert_int_eq(time_of(TD_DER_UTC_TIME, "360101000000Z"), 2082758400);
    /* RFC 5280 4.1.2.5.1: YY < 50 is 20YY, YY >= 50 is 19YY */
    ck_assert_int_eq(time_of(TD_DER_UTC_TIME, "491231235959Z"), 2524607999);
    ck_assert_int_eq(time_of(TD_DER_UTC_TIME, "500101000000Z"), -631152000);
    ck_assert_int_eq(time_of(TD_DER_UTC_TIME, "700101000000Z"), 0);
    ck_assert_int_eq(time_of(TD_DER_UTC_TIME, "000229000000Z"), 951782400);
    ck_assert_int_eq(time_of(TD_DER_GENERALIZED_TIME, "20500101000000Z"), 2524608000);
    ck_assert_int_eq(time_of(TD_DER_GENERALIZED_TIME, "19491231235959Z"), -631152001);
    ck_assert_int_eq(time_of(TD_DER_GENERALIZED_TIME, "20240229120000Z"), 1709208000);
    ck_assert_int_eq(time_of(TD_DER_GENERALIZED_TIME, "99991231235959Z"), 253402300799);
    ck_assert_int_eq(time_of(TD_DER_GENERALIZED_TIME, "00010101000000Z"), -62135596800);
}
END_TEST

START_TEST(test_strings)
{
    static const uint8_t utf8_e[] = {'c', 'a', 'f', 0xc3, 0xa9},
                         utf8_max[] = {0xf4, 0x8f, 0xbf, 0xbf}, bmp[] = {0x00, 'a'};

    ck_assert_int_eq(td_der_string(TD_DER_PRINTABLE_STRING, STR("Test CA (1), x=y?")),
                     TD_DER_OK);
    ck_assert_int_eq(td_der_string(TD_DER_IA5_STRING, STR("a@b.test")), TD_DER_OK);
    ck_assert_int_eq(td_der_string(TD_DER_UTF8_STRING, SPAN(utf8_e)), TD_DER_OK);
    ck_assert_int_eq(td_der_string(TD_DER_UTF8_STRING, SPAN(utf8_max)), TD_DER_OK);
    ck_assert_int_eq(td_der_string(TD_DER_BMP_STRING, SPAN(bmp)), TD_DER_OK);
    ck_assert_int_eq(td_der_string(TD_DER_VISIBLE_STRING, STR("~ !")), TD_DER_OK);
    ck_assert_int_eq(td_der_string(TD_DER_TELETEX_STRING, STR("\xff")), TD_DER_OK);
    ck_assert_int_eq(td_der_string(TD_DER_OCTET_STRING, STR("x")), TD_DER_UNEXPECTED_TAG);
}
END_TEST

START_TEST(test_check_all)
{
    /* SEQUENCE { INTEGER 5, [0] { OID 2.5.29.19 }, SET {}, [1] 'x' } */
    static const uint8_t ok[] = {0x30, 0x0f, 0x02, 0x01, 0x05, 0xa0, 0x05, 0x06, 0x03,
                                 0x55, 0x1d, 0x13, 0x31, 0x00, 0x81, 0x01, 'x'};
    /* the same with INTEGER 00 05 (X.690 8.3.2) */
    static const uint8_t bad_int[] = {0x30, 0x04, 0x02, 0x02, 0x00, 0x05};
    /* a constructed OCTET STRING: X.690 10.2 */
    static const uint8_t cons_os[] = {0x24, 0x03, 0x04, 0x01, 0x00};

    ck_assert_int_eq(td_der_check_all(SPAN(ok)), TD_DER_OK);
    td_der_failure_clear();
    ck_assert_int_eq(td_der_check_all(SPAN(bad_int)), TD_DER_NONMINIMAL_INTEGER);
    ck_assert_int_eq(td_der_failure_last().why, TD_DER_NONMINIMAL_INTEGER);
    ck_assert_ptr_eq(td_der_failure_last().at, bad_int + 2);
    ck_assert_int_eq(td_der_check_all(SPAN(cons_os)), TD_DER_UNEXPECTED_TAG);
}
END_TEST

START_TEST(test_check_all_depth)
{
    /* n nested SEQUENCEs around a NULL: depth n + 1 elements */
    uint8_t buf[2 * (TD_DER_MAX_DEPTH + 2)];
    size_t n, i;

    for (n = TD_DER_MAX_DEPTH - 1; n <= TD_DER_MAX_DEPTH; n++) {
        for (i = 0; i < n; i++) {
            buf[2 * i] = 0x30;
            buf[2 * i + 1] = (uint8_t)(2 * (n - i));
        }
        buf[2 * n] = 0x05;
        buf[2 * n + 1] = 0x00;
        ck_assert_int_eq(td_der_check_all((td_span){buf, 2 * n + 2}),
                         n + 1 <= TD_DER_MAX_DEPTH ? TD_DER_OK : TD_DER_TOO_DEEP);
    }
}
END_TEST

/* -------------------------------------------------------------- invalid */

START_TEST(test_read_invalid)
{
    /* X.690 10.1: 5 fits the short form, 81 05 is not minimal */
    static const uint8_t nonmin1[] = {0x04, 0x81, 0x05, 1, 2, 3, 4, 5};
    /* 82 00 80: a leading zero length octet */
    static const uint8_t nonmin2[] = {0x04, 0x82, 0x00, 0x80};
    static const uint8_t indefinite[] = {0x30, 0x80, 0x00, 0x00};
    static const uint8_t too_long[] = {0x04, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00};
    static const uint8_t high_tag[] = {0x1f, 0x22, 0x00};
    static const uint8_t overrun[] = {0x04, 0x03, 'a', 'b'};
    static const uint8_t cut_len[] = {0x04, 0x82, 0x01};
    static const uint8_t only_tag[] = {0x04};
    static const uint8_t two[] = {0x05, 0x00, 0x05, 0x00};
    td_span v;
    td_rd rd, before;
    uint8_t tag;

    ck_assert_int_eq(read_one(nonmin1, sizeof nonmin1, &tag, &v), TD_DER_NONMINIMAL_LENGTH);
    ck_assert_int_eq(read_one(nonmin2, sizeof nonmin2, &tag, &v), TD_DER_NONMINIMAL_LENGTH);
    ck_assert_int_eq(read_one(indefinite, sizeof indefinite, &tag, &v),
                     TD_DER_INDEFINITE_LENGTH);
    ck_assert_int_eq(read_one(too_long, sizeof too_long, &tag, &v), TD_DER_LENGTH_TOO_LONG);
    ck_assert_int_eq(read_one(high_tag, sizeof high_tag, &tag, &v), TD_DER_HIGH_TAG);
    ck_assert_int_eq(read_one(overrun, sizeof overrun, &tag, &v), TD_DER_TRUNCATED);
    ck_assert_int_eq(read_one(cut_len, sizeof cut_len, &tag, &v), TD_DER_TRUNCATED);
    ck_assert_int_eq(read_one(only_tag, sizeof only_tag, &tag, &v), TD_DER_TRUNCATED);
    ck_assert_int_eq(read_one(only_tag, 0, &tag, &v), TD_DER_TRUNCATED);

    td_rd_init(&rd, two, sizeof two);
    before = rd;
    ck_assert_int_eq(td_der_expect(&rd, TD_DER_INTEGER, &v, NULL), TD_DER_UNEXPECTED_TAG);
    ck_assert_rd_same(rd, before);
    ck_assert_int_eq(td_der_expect(&rd, TD_DER_NULL, &v, NULL), TD_DER_OK);
    ck_assert_int_eq(td_der_done(&rd), TD_DER_TRAILING_DATA);
    ck_assert_ptr_eq(td_der_failure_last().at, two + 2);
    ck_assert_str_eq(td_der_why_name(TD_DER_NONMINIMAL_LENGTH), "nonminimal_length");
    ck_assert_str_eq(td_der_why_name(TD_DER_N_WHY), "unknown");
}
END_TEST

START_TEST(test_primitives_invalid)
{
    /* X.690 8.3.2: 00 7f and ff 80 have a redundant first octet */
    static const uint8_t i007f[] = {0x00, 0x7f}, iff80[] = {0xff, 0x80};
    static const uint8_t b01[] = {0x01}, b2[] = {0xff, 0xff}, null1[] = {0x00};
    /* X.690 11.2.1: 07 with a nonzero unused bit; 8 unused bits; no bits
     * but an unused count */
    static const uint8_t bs_unused[] = {0x07, 0x81}, bs_8[] = {0x08, 0x00},
                         bs_nobits[] = {0x01}, bs_3[] = {0x03, 0xf4};
    /* X.690 8.19.2: a subidentifier starting 0x80; one not ended */
    static const uint8_t oid_pad[] = {0x2a, 0x80, 0x01}, oid_open[] = {0x2a, 0x86};
    uint64_t u;
    int b;
    td_span bits;
    unsigned unused;

    ck_assert_int_eq(td_der_integer(SPAN(i007f)), TD_DER_NONMINIMAL_INTEGER);
    ck_assert_int_eq(td_der_integer(SPAN(iff80)), TD_DER_NONMINIMAL_INTEGER);
    ck_assert_int_eq(td_der_integer((td_span){NULL, 0}), TD_DER_EMPTY_INTEGER);
    ck_assert_int_eq(td_der_uint(SPAN(i007f), 1000, &u), TD_DER_NONMINIMAL_INTEGER);
    ck_assert_int_eq(td_der_boolean(SPAN(b01), &b), TD_DER_BAD_BOOLEAN);
    ck_assert_int_eq(td_der_boolean(SPAN(b2), &b), TD_DER_BAD_BOOLEAN);
    ck_assert_int_eq(td_der_boolean((td_span){NULL, 0}, &b), TD_DER_BAD_BOOLEAN);
    ck_assert_int_eq(td_der_null(SPAN(null1)), TD_DER_BAD_NULL);
    ck_assert_int_eq(td_der_bit_string(SPAN(bs_unused), &bits, &unused),
                     TD_DER_BAD_BIT_STRING);
    ck_assert_int_eq(td_der_bit_string(SPAN(bs_8), &bits, &unused), TD_DER_BAD_BIT_STRING);
    ck_assert_int_eq(td_der_bit_string(SPAN(bs_nobits), &bits, &unused),
                     TD_DER_BAD_BIT_STRING);
    ck_assert_int_eq(td_der_bit_string(SPAN(bs_3), &bits, &unused), TD_DER_BAD_BIT_STRING);
    ck_assert_int_eq(td_der_bit_string((td_span){NULL, 0}, &bits, &unused),
                     TD_DER_BAD_BIT_STRING);
    ck_assert_int_eq(td_der_oid((td_span){NULL, 0}), TD_DER_BAD_OID);
    ck_assert_int_eq(td_der_oid(SPAN(oid_pad)), TD_DER_BAD_OID);
    ck_assert_int_eq(td_der_oid(SPAN(oid_open)), TD_DER_BAD_OID);
}
END_TEST

START_TEST(test_times_invalid)
{
    static const struct {
        uint8_t tag;
        const char *s;
    } bad[] = {
        /* RFC 5280 4.1.2.5.2: no fractional seconds, Zulu only */
        {TD_DER_GENERALIZED_TIME, "20250101000000.5Z"},
        {TD_DER_GENERALIZED_TIME, "20250101000000"},
        {TD_DER_GENERALIZED_TIME, "20250101000000+0000"},
        {TD_DER_GENERALIZED_TIME, "250101000000Z"},
        /* 4.1.2.5.1: seconds included, Z */
        {TD_DER_UTC_TIME, "2501010000Z"},
        {TD_DER_UTC_TIME, "250101000000"},
        {TD_DER_UTC_TIME, "250101000000+0000"},
        {TD_DER_UTC_TIME, "20250101000000Z"},
        /* fields out of range */
        {TD_DER_UTC_TIME, "251301000000Z"},
        {TD_DER_UTC_TIME, "250001000000Z"},
        {TD_DER_UTC_TIME, "250100000000Z"},
        {TD_DER_UTC_TIME, "250132000000Z"},
        {TD_DER_UTC_TIME, "250431000000Z"},
        {TD_DER_UTC_TIME, "250101240000Z"},
        {TD_DER_UTC_TIME, "250101006000Z"},
        {TD_DER_UTC_TIME, "250101000060Z"},
        /* Feb 29 on non-leap years: 2023, 1900 and 2100 (century rule) */
        {TD_DER_UTC_TIME, "230229000000Z"},
        {TD_DER_GENERALIZED_TIME, "20230229000000Z"},
        {TD_DER_GENERALIZED_TIME, "19000229000000Z"},
        {TD_DER_GENERALIZED_TIME, "21000229000000Z"},
        {TD_DER_UTC_TIME, "2501O1000000Z"},
        {TD_DER_UTC_TIME, "25010100000 Z"},
        {TD_DER_UTC_TIME, "-50101000000Z"},
    };
    size_t i;
    int64_t t;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        td_span v = {(const uint8_t *)bad[i].s, strlen(bad[i].s)};

        ck_assert_msg(td_der_time(bad[i].tag, v, &t) == TD_DER_BAD_TIME, "%s accepted",
                      bad[i].s);
    }
    ck_assert_int_eq(td_der_time(TD_DER_OCTET_STRING, STR("250101000000Z"), &t),
                     TD_DER_UNEXPECTED_TAG);
}
END_TEST

START_TEST(test_strings_invalid)
{
    /* overlong NUL, a surrogate, above U+10FFFF, a cut sequence, a lone
     * continuation octet (RFC 3629 3, 4) */
    static const uint8_t overlong[] = {0xc0, 0x80}, surrogate[] = {0xed, 0xa0, 0x80},
                         above[] = {0xf4, 0x90, 0x80, 0x80}, cut[] = {0xe2, 0x82},
                         lone[] = {'a', 0x80}, e0_overlong[] = {0xe0, 0x80, 0x80},
                         high[] = {0x80}, bmp_odd[] = {0x00, 'a', 0x00};

    ck_assert_int_eq(td_der_string(TD_DER_PRINTABLE_STRING, STR("a@b")), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_PRINTABLE_STRING, STR("a*b")), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_PRINTABLE_STRING, STR("a_b")), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_IA5_STRING, SPAN(high)), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_VISIBLE_STRING, STR("\x7f")), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_VISIBLE_STRING, STR("\n")), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_UTF8_STRING, SPAN(overlong)), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_UTF8_STRING, SPAN(surrogate)), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_UTF8_STRING, SPAN(above)), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_UTF8_STRING, SPAN(cut)), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_UTF8_STRING, SPAN(lone)), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_UTF8_STRING, SPAN(e0_overlong)), TD_DER_BAD_STRING);
    ck_assert_int_eq(td_der_string(TD_DER_BMP_STRING, SPAN(bmp_odd)), TD_DER_BAD_STRING);
}
END_TEST

/* Every shorter prefix of a valid element fails, and never reads past it. */
START_TEST(test_truncated)
{
    /* SEQUENCE { INTEGER 0x1004, UTCTime, OCTET STRING(130 bytes) } */
    static uint8_t in[2 + 4 + 15 + 3 + 130 + 1];
    size_t n = 0, cut;
    uint8_t tag;
    td_span v;

    in[n++] = 0x30;
    in[n++] = 0x81;
    in[n++] = 4 + 15 + 3 + 130;
    memcpy(in + n, "\x02\x02\x10\x04", 4);
    n += 4;
    memcpy(in + n, "\x17\x0d" "250101000000Z", 15);
    n += 15;
    in[n++] = 0x04;
    in[n++] = 0x81;
    in[n++] = 130;
    n += 130;
    ck_assert_int_eq(read_one(in, n, &tag, &v), TD_DER_OK);
    ck_assert_int_eq(td_der_check_all((td_span){in, n}), TD_DER_OK);
    for (cut = 0; cut < n; cut++) {
        ck_assert_int_eq(read_one(in, cut, &tag, &v), TD_DER_TRUNCATED);
        /* (zero elements are a valid sequence of elements) */
        if (cut > 0)
            ck_assert_int_ne(td_der_check_all((td_span){in, cut}), TD_DER_OK);
    }
}
END_TEST

/* ---------------------------------------------------------------- write */

static void ck_bytes(td_span got, const uint8_t *want, size_t n)
{
    ck_assert_uint_eq(got.len, n);
    ck_assert_msg(memcmp(got.p, want, n) == 0, "bytes differ");
}

START_TEST(test_write)
{
    static uint8_t buf[70000], body[65536];
    static const uint8_t oid[] = {0x55, 0x1d, 0x13};
    static const uint8_t want_oid[] = {0x06, 0x03, 0x55, 0x1d, 0x13};
    static const struct {
        size_t len;
        uint8_t hdr[5];
        size_t hdr_len;
    } lens[] = {
        {0, {0x04, 0x00}, 2},
        {127, {0x04, 0x7f}, 2},
        {128, {0x04, 0x81, 0x80}, 3},
        {255, {0x04, 0x81, 0xff}, 3},
        {256, {0x04, 0x82, 0x01, 0x00}, 4},
        {65535, {0x04, 0x82, 0xff, 0xff}, 4},
        {65536, {0x04, 0x83, 0x01, 0x00, 0x00}, 5},
    };
    td_wr w;
    td_span out;
    size_t i;

    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        td_wr_init(&w, buf, sizeof buf);
        ck_assert_int_eq(td_der_write(&w, 0x04, (td_span){body, lens[i].len}), TD_OK);
        ck_assert_int_eq(td_wr_finish(&w, &out), TD_OK);
        ck_assert_uint_eq(out.len, lens[i].hdr_len + lens[i].len);
        ck_assert_msg(memcmp(out.p, lens[i].hdr, lens[i].hdr_len) == 0, "len %zu",
                      lens[i].len);
    }
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_der_write(&w, TD_DER_OID, SPAN(oid)), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &out), TD_OK);
    ck_bytes(out, want_oid, sizeof want_oid);

    /* all or nothing: 4 bytes of room for a 5-byte element */
    td_wr_init(&w, buf, 4);
    ck_assert_int_eq(td_der_write(&w, TD_DER_OID, SPAN(oid)), TD_ERR_NOSPACE);
    ck_assert_uint_eq(td_wr_len(&w), 0);
}
END_TEST

START_TEST(test_write_uint)
{
    static const struct {
        uint64_t v;
        uint8_t der[11];
        size_t n;
    } cases[] = {
        {0, {0x02, 0x01, 0x00}, 3},
        {127, {0x02, 0x01, 0x7f}, 3},
        {128, {0x02, 0x02, 0x00, 0x80}, 4},
        {256, {0x02, 0x02, 0x01, 0x00}, 4},
        {0x1004, {0x02, 0x02, 0x10, 0x04}, 4},
        {UINT64_MAX,
         {0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
         11},
    };
    uint8_t buf[16];
    td_wr w;
    td_span out;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        td_wr_init(&w, buf, sizeof buf);
        ck_assert_int_eq(td_der_write_uint(&w, cases[i].v), TD_OK);
        ck_assert_int_eq(td_wr_finish(&w, &out), TD_OK);
        ck_bytes(out, cases[i].der, cases[i].n);
    }
}
END_TEST

static void ck_time(uint8_t tag, int64_t t, uint8_t want_tag, const char *want)
{
    uint8_t buf[32];
    td_wr w;
    td_span out;
    size_t n = strlen(want);

    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_der_write_time(&w, tag, t), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &out), TD_OK);
    ck_assert_uint_eq(out.len, 2 + n);
    ck_assert_uint_eq(out.p[0], want_tag);
    ck_assert_uint_eq(out.p[1], n);
    ck_assert_msg(memcmp(out.p + 2, want, n) == 0, "%.*s != %s", (int)n, out.p + 2, want);
}

START_TEST(test_write_time)
{
    uint8_t buf[32];
    td_wr w;

    /* RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 */
    ck_time(0, 1735689600, TD_DER_UTC_TIME, "250101000000Z");
    ck_time(0, 2524607999, TD_DER_UTC_TIME, "491231235959Z");
    ck_time(0, 2524608000, TD_DER_GENERALIZED_TIME, "20500101000000Z");
    ck_time(0, -631152000, TD_DER_UTC_TIME, "500101000000Z");
    ck_time(0, -631152001, TD_DER_GENERALIZED_TIME, "19491231235959Z");
    ck_time(0, 1709208000, TD_DER_UTC_TIME, "240229120000Z");
    ck_time(0, -1, TD_DER_UTC_TIME, "691231235959Z");
    ck_time(TD_DER_GENERALIZED_TIME, 1735689600, TD_DER_GENERALIZED_TIME,
            "20250101000000Z");
    ck_time(0, 253402300799, TD_DER_GENERALIZED_TIME, "99991231235959Z");
    ck_time(0, -62135596800, TD_DER_GENERALIZED_TIME, "00010101000000Z");
    td_wr_init(&w, buf, sizeof buf);
    /* UTCTime cannot hold 2050 */
    ck_assert_int_eq(td_der_write_time(&w, TD_DER_UTC_TIME, 2524608000), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_der_write_time(&w, TD_DER_OCTET_STRING, 0), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_der_write_time(&w, 0, 253402300800), TD_ERR_INTERNAL);
    ck_assert_uint_eq(td_wr_len(&w), 0);
}
END_TEST

/* td_wr_open_der / close_der (via td_der_open / close). */
START_TEST(test_open_close)
{
    static uint8_t buf[400];
    td_wr w;
    td_wr_mark outer, inner;
    td_span out;
    size_t i;

    /* SEQUENCE { OCTET STRING (200 x 0xaa) }: 30 81 cb 04 81 c8 ... */
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_der_open(&w, TD_DER_SEQUENCE, &outer), TD_OK);
    ck_assert_int_eq(td_der_open(&w, TD_DER_OCTET_STRING, &inner), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &out), TD_ERR_INTERNAL);
    for (i = 0; i < 200; i++)
        ck_assert_int_eq(td_wr_u8(&w, 0xaa), TD_OK);
    /* a DER block is not a td_wr_close block */
    ck_assert_int_eq(td_wr_close(&w, &inner), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_der_close(&w, &inner), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &outer), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &out), TD_OK);
    ck_assert_uint_eq(out.len, 3 + 3 + 200);
    ck_assert_uint_eq(out.p[0], 0x30);
    ck_assert_uint_eq(out.p[1], 0x81);
    ck_assert_uint_eq(out.p[2], 0xcb);
    ck_assert_uint_eq(out.p[3], 0x04);
    ck_assert_uint_eq(out.p[4], 0x81);
    ck_assert_uint_eq(out.p[5], 0xc8);
    ck_assert_uint_eq(out.p[6], 0xaa);
    ck_assert_uint_eq(out.p[205], 0xaa);

    /* short form: SEQUENCE { NULL } = 30 02 05 00 */
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_der_open(&w, TD_DER_SEQUENCE, &outer), TD_OK);
    ck_assert_int_eq(td_der_write(&w, TD_DER_NULL, (td_span){NULL, 0}), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &outer), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &out), TD_OK);
    ck_assert_uint_eq(out.len, 4);
    ck_assert(memcmp(out.p, "\x30\x02\x05\x00", 4) == 0);

    /* no open block; a td_wr_open8 mark is not a DER block */
    ck_assert_int_eq(td_der_close(&w, &outer), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_wr_open8(&w, &inner), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &inner), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_wr_close(&w, &inner), TD_OK);
}
END_TEST

/* No room for the long form: NOSPACE and the writer unchanged. */
START_TEST(test_open_close_nospace)
{
    uint8_t buf[2 + 128 + 1];
    td_wr w, before;
    td_wr_mark m;
    size_t i;

    td_wr_init(&w, buf, 1);
    ck_assert_int_eq(td_der_open(&w, TD_DER_SEQUENCE, &m), TD_ERR_NOSPACE);
    ck_assert_uint_eq(td_wr_len(&w), 0);

    td_wr_init(&w, buf, 2 + 128);
    ck_assert_int_eq(td_der_open(&w, TD_DER_OCTET_STRING, &m), TD_OK);
    for (i = 0; i < 128; i++)
        ck_assert_int_eq(td_wr_u8(&w, (uint32_t)i), TD_OK);
    before = w;
    ck_assert_int_eq(td_der_close(&w, &m), TD_ERR_NOSPACE);
    ck_assert_uint_eq(w.len, before.len);
    ck_assert_uint_eq(w.open, before.open);
    ck_assert_uint_eq(buf[1], 0);
    ck_assert_uint_eq(buf[2], 0);
    ck_assert_uint_eq(buf[129], 127);

    /* one more octet of room: 04 81 80 00 01 .. 7f */
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_der_open(&w, TD_DER_OCTET_STRING, &m), TD_OK);
    for (i = 0; i < 128; i++)
        ck_assert_int_eq(td_wr_u8(&w, (uint32_t)i), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &m), TD_OK);
    ck_assert_uint_eq(td_wr_len(&w), 131);
    ck_assert_uint_eq(buf[1], 0x81);
    ck_assert_uint_eq(buf[2], 0x80);
    ck_assert_uint_eq(buf[3], 0);
    ck_assert_uint_eq(buf[130], 127);
}
END_TEST

/* The log names each length's value octets, moved with the contents. */
START_TEST(test_open_close_log)
{
    static uint8_t buf[400];
    td_wr w;
    td_wr_log log;
    td_wr_mark outer, mid, v8;
    size_t i;

    td_wr_init(&w, buf, sizeof buf);
    td_wr_set_log(&w, &log);
    ck_assert_int_eq(td_der_open(&w, TD_DER_SEQUENCE, &outer), TD_OK); /* 0 */
    ck_assert_int_eq(td_der_open(&w, TD_DER_SET, &mid), TD_OK);        /* 2 */
    ck_assert_int_eq(td_wr_open8(&w, &v8), TD_OK);                     /* 4 */
    ck_assert_int_eq(td_wr_u8(&w, 9), TD_OK);
    ck_assert_int_eq(td_wr_close(&w, &v8), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &mid), TD_OK); /* 31 02 01 09 */
    for (i = 0; i < 300; i++)
        ck_assert_int_eq(td_wr_u8(&w, 0), TD_OK);
    ck_assert_int_eq(td_der_close(&w, &outer), TD_OK); /* 30 82 01 30 */
    ck_assert_uint_eq(log.n, 3);
    /* after the outer close everything inside moved by 2 */
    ck_assert_uint_eq(log.marks[0].start, 6);
    ck_assert_uint_eq(log.marks[0].width, 1);
    ck_assert_uint_eq(buf[6], 1);
    ck_assert_uint_eq(log.marks[1].start, 5);
    ck_assert_uint_eq(log.marks[1].width, 1);
    ck_assert_uint_eq(buf[5], 2);
    ck_assert_uint_eq(log.marks[2].start, 2);
    ck_assert_uint_eq(log.marks[2].width, 2);
    ck_assert_uint_eq(buf[1], 0x82);
    ck_assert_uint_eq(buf[2], 0x01);
    ck_assert_uint_eq(buf[3], 0x30);
}
END_TEST

Suite *td_der_suite(void);

Suite *td_der_suite(void)
{
    Suite *s = suite_create("der");
    TCase *tc;

    tc = tcase_create("valid");
    tcase_add_test(tc, test_read_lengths);
    tcase_add_test(tc, test_integers);
    tcase_add_test(tc, test_boolean_null_bits);
    tcase_add_test(tc, test_oids);
    tcase_add_test(tc, test_times);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_check_all);
    tcase_add_test(tc, test_check_all_depth);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid");
    tcase_add_test(tc, test_read_invalid);
    tcase_add_test(tc, test_primitives_invalid);
    tcase_add_test(tc, test_times_invalid);
    tcase_add_test(tc, test_strings_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncated");
    tcase_add_test(tc, test_truncated);
    suite_add_tcase(s, tc);

    tc = tcase_create("write");
    tcase_add_test(tc, test_write);
    tcase_add_test(tc, test_write_uint);
    tcase_add_test(tc, test_write_time);
    tcase_add_test(tc, test_open_close);
    tcase_add_test(tc, test_open_close_nospace);
    tcase_add_test(tc, test_open_close_log);
    suite_add_tcase(s, tc);
    return s;
}
