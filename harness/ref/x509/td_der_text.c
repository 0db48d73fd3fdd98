/*
 * td_der text types: UTCTime and GeneralizedTime (RFC 5280 4.1.2.5) and
 * the character strings of names (RFC 5280 4.1.2.4, X.680 41).
 *
 *     Time ::= CHOICE {
 *          utcTime        UTCTime,          -- YYMMDDHHMMSSZ
 *          generalTime    GeneralizedTime } -- YYYYMMDDHHMMSSZ
 *
 * Calendar arithmetic is the proleptic Gregorian days-from-civil and its
 * inverse (no libc time functions: they depend on the host's time zone
 * and time_t width).
 */
#include "td_der.h"

#include <string.h>

/* ------------------------------------------------------------------------
 * Calendar
 * ------------------------------------------------------------------------ */

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};

    return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/* Days from 1970-01-01 to y-m-d. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* The inverse: y-m-d of a day number. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* ------------------------------------------------------------------------
 * Reading times
 * ------------------------------------------------------------------------ */

/* n decimal digits of s from `at` into *out; 0 when one is not a digit. */
static int digits(const char *s, size_t at, size_t n, unsigned *out)
{
    size_t i;

    *out = 0;
    for (i = at; i < at + n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *out = *out * 10 + (unsigned)(s[i] - '0');
    }
    return 1;
}

td_der_why td_der_time(uint8_t tag, td_span value, int64_t *out)
{
    char s[16];
    size_t ylen, off;
    unsigned y, mo, d, h, mi, sec;
    int64_t year;

    /* RFC 5280 4.1.2.5.1: UTCTime YYMMDDHHMMSSZ; 4.1.2.5.2:
     * GeneralizedTime YYYYMMDDHHMMSSZ: "MUST be expressed in Greenwich
     * Mean Time (Zulu) and MUST include seconds", and GeneralizedTime
     * "MUST NOT include fractional seconds" */
    if (tag == TD_DER_UTC_TIME)
        ylen = 2;
    else if (tag == TD_DER_GENERALIZED_TIME)
        ylen = 4;
    else
        return td_der_failure_set(TD_DER_UNEXPECTED_TAG, value.p);
    if (value.len != ylen + 11)
        return td_der_failure_set(TD_DER_BAD_TIME, value.p);
    memcpy(s, value.p, value.len);
    off = ylen;
    if (!digits(s, 0, ylen, &y) || !digits(s, off, 2, &mo) ||
        !digits(s, off + 2, 2, &d) || !digits(s, off + 4, 2, &h) ||
        !digits(s, off + 6, 2, &mi) || !digits(s, off + 8, 2, &sec) ||
        s[off + 10] != 'Z')
        return td_der_failure_set(TD_DER_BAD_TIME, value.p);
    /* 4.1.2.5.1: YY >= 50 is 19YY, YY < 50 is 20YY */
    year = ylen == 2 ? (y >= 50 ? 1900 + y : 2000 + y) : y;
    /* each field in range; seconds 00..59 (no leap second, 4.1.2.5) */
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(year, mo) ||
        h > 23 || mi > 59 || sec > 59)
        return td_der_failure_set(TD_DER_BAD_TIME, value.p);
    *out = ((days_from_civil(year, mo, d) * 24 + h) * 60 + mi) * 60 + sec;
    return TD_DER_OK;
}

/* ------------------------------------------------------------------------
 * Strings
 * ------------------------------------------------------------------------ */

/* X.680 41.4 Table 10: A-Z a-z 0-9 space ' ( ) + , - . / : = ? */
static int printable_char(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || (c != 0 && strchr(" '()+,-./:=?", c));
}

/* One well-formed UTF-8 sequence from r (RFC 3629 4: no overlong forms,
 * no surrogates, nothing above U+10FFFF); 0 if ill-formed. */
static int utf8_seq(td_rd *r)
{
    uint8_t c, b, lo = 0x80, hi = 0xbf;
    unsigned len, i;

    if (td_rd_u8(r, &c) != TD_OK)
        return 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4;
    else
        return 0;
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    for (i = 1; i < len; i++) {
        if (td_rd_u8(r, &b) != TD_OK || b < (i == 1 ? lo : 0x80) ||
            b > (i == 1 ? hi : 0xbf))
            return 0;
    }
    return 1;
}

static int utf8_ok(td_span v)
{
    td_rd r;

    td_rd_init_span(&r, v);
    while (td_rd_left(&r) > 0)
        if (!utf8_seq(&r))
            return 0;
    return 1;
}

static int all_chars(td_span v, int (*ok)(uint8_t))
{
    td_rd r;
    uint8_t c;

    td_rd_init_span(&r, v);
    while (td_rd_u8(&r, &c) == TD_OK)
        if (!ok(c))
            return 0;
    return 1;
}

static int ia5_char(uint8_t c)
{
    return c < 0x80; /* X.680 41.4: IA5 is ISO 646, 7 bits */
}

static int visible_char(uint8_t c)
{
    return c >= 0x20 && c <= 0x7e; /* X.680 41.4: ISO 646 graphics + space */
}

td_der_why td_der_string(uint8_t tag, td_span value)
{
    int ok;

    switch (tag) {
    case TD_DER_PRINTABLE_STRING:
        ok = all_chars(value, printable_char);
        break;
    case TD_DER_IA5_STRING:
        ok = all_chars(value, ia5_char);
        break;
    case TD_DER_VISIBLE_STRING:
        ok = all_chars(value, visible_char);
        break;
    case TD_DER_UTF8_STRING:
        ok = utf8_ok(value);
        break;
    case TD_DER_BMP_STRING:
        ok = value.len % 2 == 0; /* UCS-2: two octets a character */
        break;
    case TD_DER_TELETEX_STRING:
    case TD_DER_UNIVERSAL_STRING:
        ok = 1; /* kept as octets */
        break;
    default:
        return td_der_failure_set(TD_DER_UNEXPECTED_TAG, value.p);
    }
    if (!ok)
        return td_der_failure_set(TD_DER_BAD_STRING, value.p);
    return TD_DER_OK;
}

/* ------------------------------------------------------------------------
 * Writing times
 * ------------------------------------------------------------------------ */

static void put2(char *s, unsigned v)
{
    s[0] = (char)('0' + v / 10 % 10);
    s[1] = (char)('0' + v % 10);
}

td_err td_der_write_time(td_wr *wr, uint8_t tag, int64_t t)
{
    char s[16];
    int64_t days, rem, year;
    unsigned mo, d;
    size_t off;
    td_span v;

    /* years 0000..9999: what GeneralizedTime can hold */
    ENSURE(t >= -62167219200 && t <= 253402300799, TD_ERR_INTERNAL);
    days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    rem = t - days * 86400;
    civil_from_days(days, &year, &mo, &d);
    /* RFC 5280 4.1.2.5: through 2049 UTCTime, from 2050 GeneralizedTime */
    if (tag == 0)
        tag = year >= 1950 && year <= 2049 ? TD_DER_UTC_TIME : TD_DER_GENERALIZED_TIME;
    if (tag == TD_DER_UTC_TIME) {
        /* 4.1.2.5.1: two digits cover 1950..2049 only */
        ENSURE(year >= 1950 && year <= 2049, TD_ERR_INTERNAL);
        put2(s, (unsigned)(year % 100));
        off = 2;
    } else {
        ENSURE(tag == TD_DER_GENERALIZED_TIME, TD_ERR_INTERNAL);
        put2(s, (unsigned)(year / 100));
        put2(s + 2, (unsigned)(year % 100));
        off = 4;
    }
    put2(s + off, mo);
    put2(s + off + 2, d);
    put2(s + off + 4, (unsigned)(rem / 3600));
    put2(s + off + 6, (unsigned)(rem / 60 % 60));
    put2(s + off + 8, (unsigned)(rem % 60));
    s[off + 10] = 'Z';
    v.p = (const uint8_t *)s;
    v.len = off + 11;
    return td_der_write(wr, tag, v);
}
