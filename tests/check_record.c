/*
 * td_record: record framing, TLSInnerPlaintext, Alert, ChangeCipherSpec
 * and handshake framing. Handshake reassembly and the walks over the
 * TLS 1.3 example traces are in check_hs_reassembly.c.
 *
 * Expected values come from the RFC text: the limits of RFC 8446 5.1/5.2/
 * 5.4 and RFC 5246 6.2, and the records and messages of the TLS 1.3
 * example traces (RFC 8448).
 */
#include "td_record.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

static const td_record_mode m13 = {TD_RECORD_TLS13, TD_RECORD_PLAINTEXT};
static const td_record_mode m13p = {TD_RECORD_TLS13, TD_RECORD_PROTECTED};
static const td_record_mode m12 = {TD_RECORD_TLS12, TD_RECORD_PLAINTEXT};
static const td_record_mode m12p = {TD_RECORD_TLS12, TD_RECORD_PROTECTED};

/* Section 7 of the traces: "{server} send change_cipher_spec record:
 * complete record (6 octets): 14 03 03 00 01 01" */
static const uint8_t ccs_record[] = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};

static uint8_t big[(1u << 14) + 2048u + 64u];

/* A header for type/length followed by length bytes of 0x41. */
static size_t make_record(uint8_t type, size_t length)
{
    big[0] = type;
    big[1] = 0x03;
    big[2] = 0x03;
    big[3] = (uint8_t)(length >> 8);
    big[4] = (uint8_t)length;
    memset(big + 5, 0x41, length);
    return 5 + length;
}

static td_err decode_made(td_record_mode mode, uint8_t type, size_t length)
{
    td_rd rd;
    td_record rec;
    td_err err;

    td_rd_init(&rd, big, make_record(type, length));
    err = td_record_decode(&rd, mode, &rec);
    if (err == TD_OK) {
        ck_assert_uint_eq(rec.type, type);
        ck_assert_uint_eq(rec.fragment.len, length);
        ck_assert_int_eq(td_rd_done(&rd), TD_OK);
    }
    return err;
}

/* ---------------------------------------------------------------- valid */

START_TEST(test_record_valid)
{
    td_rd rd;
    td_record rec;
    td_ccs ccs;
    uint8_t t;
    uint16_t v, n;

    td_rd_init(&rd, ccs_record, sizeof ccs_record);
    ck_assert_int_eq(td_record_decode(&rd, m13, &rec), TD_OK);
    ck_assert_uint_eq(rec.type, TD_CT_CHANGE_CIPHER_SPEC);
    ck_assert_uint_eq(rec.legacy_record_version, 0x0303);
    ck_assert_uint_eq(rec.fragment.len, 1);
    ck_assert_ptr_eq(rec.fragment.p, ccs_record + 5);
    ck_assert_int_eq(td_rd_done(&rd), TD_OK);
    ck_assert_int_eq(td_ccs_decode(rec.fragment, TD_RECORD_TLS13, &ccs), TD_OK);
    ck_assert_uint_eq(ccs.type, 1);

    /* RFC 8446 5: an unprotected CCS may arrive while protection is on */
    td_rd_init(&rd, ccs_record, sizeof ccs_record);
    ck_assert_int_eq(td_record_decode(&rd, m13p, &rec), TD_OK);

    td_rd_init(&rd, ccs_record, 5);
    ck_assert_int_eq(td_record_header_decode(&rd, m12, &t, &v, &n), TD_OK);
    ck_assert_uint_eq(t, 20);
    ck_assert_uint_eq(v, 0x0303);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(td_rd_left(&rd), 0);
}
END_TEST

START_TEST(test_record_types)
{
    static const uint8_t known[] = {20, 21, 22, 23, 24};
    unsigned t;
    size_t i;

    /* RFC 8446 5, RFC 5246 6: unexpected record type */
    for (t = 0; t < 256; t++) {
        int ok = memchr(known, (int)t, sizeof known) != NULL;
        td_err want = ok ? TD_OK : TD_ALERT_UNEXPECTED_MESSAGE;
        ck_assert_int_eq(decode_made(m13, (uint8_t)t, 2), want);
        ck_assert_int_eq(decode_made(m12, (uint8_t)t, 2), want);
        ck_assert_int_eq(decode_made(m12p, (uint8_t)t, 2), want);
    }
    /* RFC 8446 5.2: protected TLS 1.3 records are application_data; only
     * change_cipher_spec may come unprotected (RFC 8446 5) */
    for (i = 0; i < sizeof known; i++) {
        td_err want = (known[i] == 23 || known[i] == 20)
                          ? TD_OK
                          : TD_ALERT_UNEXPECTED_MESSAGE;
        ck_assert_int_eq(decode_made(m13p, known[i], 2), want);
    }
}
END_TEST

START_TEST(test_record_zero_length)
{
    /* RFC 8446 5.1/5.4: no empty handshake or alert fragment in TLS 1.3 */
    ck_assert_int_eq(decode_made(m13, 22, 0), TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(decode_made(m13, 21, 0), TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(decode_made(m13, 23, 0), TD_OK);
    ck_assert_int_eq(decode_made(m13, 20, 0), TD_OK); /* td_ccs_decode's */
    ck_assert_int_eq(decode_made(m13p, 23, 0), TD_OK);
    /* RFC 5246 6.2.1 only forbids sending them */
    ck_assert_int_eq(decode_made(m12, 22, 0), TD_OK);
    ck_assert_int_eq(decode_made(m12, 21, 0), TD_OK);
}
END_TEST

/* ------------------------------------------------------------ truncated */

START_TEST(test_record_truncated)
{
    td_rd rd, before;
    td_record rec, rec0;
    size_t n;

    memset(&rec0, 0xee, sizeof rec0);
    for (n = 0; n < sizeof ccs_record; n++) {
        uint8_t t = 0xee;
        uint16_t v = 0xeeee, l = 0xeeee;

        rec = rec0;
        td_rd_init(&rd, ccs_record, n);
        before = rd;
        ck_assert_int_eq(td_record_decode(&rd, m13, &rec),
                         TD_ALERT_DECODE_ERROR);
        ck_assert_uint_eq(rd.off, before.off);
        ck_assert_mem_eq(&rec, &rec0, sizeof rec);
        if (n < 5) {
            ck_assert_int_eq(td_record_header_decode(&rd, m13, &t, &v, &l),
                             TD_ALERT_DECODE_ERROR);
            ck_assert_uint_eq(rd.off, before.off);
            ck_assert_uint_eq(t, 0xee);
            ck_assert_uint_eq(v, 0xeeee);
            ck_assert_uint_eq(l, 0xeeee);
        }
    }
}
END_TEST

/* ------------------------------------------------- unchanged_on_failure */

START_TEST(test_record_unchanged_on_failure)
{
    static const struct {
        uint8_t type;
        size_t length, cut;
        td_err want;
    } bad[] = {
        {22, TD_MAX_PLAINTEXT_LEN + 1, 0, TD_ALERT_RECORD_OVERFLOW},
        {99, 2, 0, TD_ALERT_UNEXPECTED_MESSAGE},
        {22, 0, 0, TD_ALERT_UNEXPECTED_MESSAGE},
        {22, 10, 1, TD_ALERT_DECODE_ERROR},
    };
    static const uint8_t zeros[2] = {0, 0};
    td_span z = {zeros, sizeof zeros};
    td_record rec, rec0;
    td_inner_plaintext ip, ip0;
    td_rd rd, before;
    size_t i;

    memset(&rec0, 0xee, sizeof rec0);
    memset(&ip0, 0xee, sizeof ip0);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = make_record(bad[i].type, bad[i].length) - bad[i].cut;
        td_rd_init(&rd, big, n);
        before = rd;
        rec = rec0;
        ck_assert_int_eq(td_record_decode(&rd, m13, &rec), bad[i].want);
        ck_assert_ptr_eq(rd.p, before.p);
        ck_assert_uint_eq(rd.off, before.off);
        ck_assert_mem_eq(&rec, &rec0, sizeof rec);
    }
    ip = ip0;
    ck_assert_int_eq(td_inner_plaintext_decode(z, &ip),
                     TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_mem_eq(&ip, &ip0, sizeof ip);
}
END_TEST

/* ------------------------------------------------------------- overflow */

START_TEST(test_record_overflow)
{
    const size_t p = TD_MAX_PLAINTEXT_LEN, c13 = TD_MAX_CIPHERTEXT13_LEN,
                 c12 = TD_MAX_CIPHERTEXT12_LEN;
    uint8_t out[8];
    td_wr wr;
    td_record rec = {22, 0x0303, {big, p + 1}};

    ck_assert_uint_eq(p, 16384);  /* 2^14 */
    ck_assert_uint_eq(c13, 16640); /* 2^14 + 256 */
    ck_assert_uint_eq(c12, 18432); /* 2^14 + 2048 */

    /* RFC 8446 5.1 */
    ck_assert_int_eq(decode_made(m13, 22, p), TD_OK);
    ck_assert_int_eq(decode_made(m13, 22, p + 1), TD_ALERT_RECORD_OVERFLOW);
    ck_assert_int_eq(decode_made(m13, 20, p + 1), TD_ALERT_RECORD_OVERFLOW);
    ck_assert_int_eq(decode_made(m13p, 20, p + 1), TD_ALERT_RECORD_OVERFLOW);
    /* RFC 8446 5.2 */
    ck_assert_int_eq(decode_made(m13p, 23, c13), TD_OK);
    ck_assert_int_eq(decode_made(m13p, 23, c13 + 1), TD_ALERT_RECORD_OVERFLOW);
    ck_assert_int_eq(decode_made(m13, 23, c13), TD_OK);
    ck_assert_int_eq(decode_made(m13, 23, c13 + 1), TD_ALERT_RECORD_OVERFLOW);
    /* RFC 5246 6.2.1, 6.2.3 */
    ck_assert_int_eq(decode_made(m12, 23, p), TD_OK);
    ck_assert_int_eq(decode_made(m12, 23, p + 1), TD_ALERT_RECORD_OVERFLOW);
    ck_assert_int_eq(decode_made(m12p, 22, c12), TD_OK);
    ck_assert_int_eq(decode_made(m12p, 22, c12 + 1), TD_ALERT_RECORD_OVERFLOW);
    ck_assert_uint_eq(td_record_max_len(m12p, 21), c12);

    /* the header alone already says so: no need to wait for the bytes */
    {
        td_rd rd;
        uint8_t t;
        uint16_t v, n;
        make_record(22, p + 1);
        td_rd_init(&rd, big, 5);
        ck_assert_int_eq(td_record_header_decode(&rd, m13, &t, &v, &n),
                         TD_ALERT_RECORD_OVERFLOW);
    }

    /* encode refuses what decode would answer with an alert */
    td_wr_init(&wr, big + 4096, sizeof big - 4096);
    ck_assert_int_eq(td_record_encode(&wr, m13, &rec), TD_ERR_INTERNAL);
    rec.fragment.len = 0;
    ck_assert_int_eq(td_record_encode(&wr, m13, &rec), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_record_encode(&wr, m12, &rec), TD_ERR_INTERNAL);
    rec.type = 20; /* RFC 5246 6.2.1: no empty ChangeCipherSpec */
    ck_assert_int_eq(td_record_encode(&wr, m12, &rec), TD_ERR_INTERNAL);
    rec.type = 22;
    rec.fragment.len = 4;
    ck_assert_int_eq(td_record_encode(&wr, m13p, &rec), TD_ERR_INTERNAL);
    rec.type = 99;
    ck_assert_int_eq(td_record_encode(&wr, m13, &rec), TD_ERR_INTERNAL);
    ck_assert_uint_eq(td_wr_len(&wr), 0);
    /* no room: NOSPACE and nothing written */
    rec.type = 22;
    td_wr_init(&wr, out, sizeof out);
    rec.fragment.len = sizeof out - 4;
    ck_assert_int_eq(td_record_encode(&wr, m13, &rec), TD_ERR_NOSPACE);
    ck_assert_uint_eq(td_wr_len(&wr), 0);
}
END_TEST

/* ---------------------------------------------------- inner plaintext */

static td_err inner(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    td_inner_plaintext ip;

    return td_inner_plaintext_decode(s, &ip);
}

START_TEST(test_inner_plaintext)
{
    static const uint8_t ok[] = {0x14, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00};
    static const uint8_t zeros[] = {0x00, 0x00, 0x00};
    static const uint8_t hs0[] = {0x16, 0x00};
    static const uint8_t al0[] = {0x15};
    static const uint8_t ad0[] = {0x17, 0x00, 0x00};
    static const uint8_t ccs[] = {0x01, 0x14};
    static const uint8_t unk[] = {0x01, 0x63};
    td_span s = {ok, sizeof ok};
    td_inner_plaintext ip;
    uint8_t out[16];
    td_wr wr;
    td_span enc;

    ck_assert_int_eq(td_inner_plaintext_decode(s, &ip), TD_OK);
    ck_assert_uint_eq(ip.type, TD_CT_HANDSHAKE);
    ck_assert_uint_eq(ip.content.len, 4);
    ck_assert_ptr_eq(ip.content.p, ok);
    ck_assert_uint_eq(ip.length_of_padding, 2);
    td_wr_init(&wr, out, sizeof out); /* roundtrip */
    ck_assert_int_eq(td_inner_plaintext_encode(&wr, &ip), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &enc), TD_OK);
    ck_assert_uint_eq(enc.len, sizeof ok);
    ck_assert_mem_eq(enc.p, ok, sizeof ok);

    /* RFC 8446 5.4: no non-zero octet (also: nothing at all) */
    ck_assert_int_eq(inner(zeros, sizeof zeros), TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(inner(zeros, 0), TD_ALERT_UNEXPECTED_MESSAGE);
    /* RFC 8446 5.4: zero-length handshake/alert content; not app data */
    ck_assert_int_eq(inner(hs0, sizeof hs0), TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(inner(al0, sizeof al0), TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(inner(ad0, sizeof ad0), TD_OK);
    /* RFC 8446 5: protected change_cipher_spec; unknown type */
    ck_assert_int_eq(inner(ccs, sizeof ccs), TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(inner(unk, sizeof unk), TD_ALERT_UNEXPECTED_MESSAGE);
    /* RFC 8446 5.4: at most 2^14 + 1 octets */
    memset(big, 0, sizeof big);
    big[0] = 0x17;
    s.p = big;
    s.len = TD_MAX_INNER_PLAINTEXT_LEN;
    ck_assert_int_eq(td_inner_plaintext_decode(s, &ip), TD_OK);
    ck_assert_uint_eq(ip.length_of_padding, TD_MAX_INNER_PLAINTEXT_LEN - 1);
    s.len++;
    ck_assert_int_eq(td_inner_plaintext_decode(s, &ip),
                     TD_ALERT_RECORD_OVERFLOW);
}
END_TEST

/* ---------------------------------------------------------- alert / ccs */

START_TEST(test_alert)
{
    /* the traces' close_notify: "payload (2 octets): 01 00" */
    static const uint8_t cn[] = {0x01, 0x00, 0x02};
    td_span s = {cn, 2};
    td_alert a, a0 = {0xee, 0xee};
    uint8_t out[2];
    td_wr wr;
    size_t n;

    ck_assert_int_eq(td_alert_decode(s, &a), TD_OK);
    ck_assert_uint_eq(a.level, TD_ALERT_LEVEL_WARNING);
    ck_assert_uint_eq(a.description, TD_ALERT_CLOSE_NOTIFY);
    td_wr_init(&wr, out, sizeof out);
    ck_assert_int_eq(td_alert_encode(&wr, &a), TD_OK);
    ck_assert_mem_eq(out, cn, 2);
    ck_assert_int_eq(td_alert_encode(&wr, &a), TD_ERR_NOSPACE);
    ck_assert_uint_eq(td_wr_len(&wr), 2);
    /* RFC 8446 5.1: exactly one alert per record */
    for (n = 0; n <= 3; n++) {
        if (n == 2)
            continue;
        a = a0;
        s.len = n;
        ck_assert_int_eq(td_alert_decode(s, &a), TD_ALERT_DECODE_ERROR);
        ck_assert_uint_eq(a.level, 0xee);
    }
}
END_TEST

START_TEST(test_ccs)
{
    static const uint8_t bad[][2] = {{0x00}, {0x02}, {0xff}, {0x01, 0x01}};
    static const size_t badlen[] = {1, 1, 1, 2};
    td_span s = {ccs_record + 5, 1};
    td_ccs c = {0xee};
    uint8_t out[1];
    td_wr wr;
    size_t i;

    ck_assert_int_eq(td_ccs_decode(s, TD_RECORD_TLS12, &c), TD_OK);
    ck_assert_uint_eq(c.type, TD_CCS_CHANGE_CIPHER_SPEC);
    td_wr_init(&wr, out, sizeof out);
    ck_assert_int_eq(td_ccs_encode(&wr, &c), TD_OK);
    ck_assert_uint_eq(out[0], 0x01);
    for (i = 0; i < 5; i++) {
        c.type = 0xee;
        s.p = i < 4 ? bad[i] : NULL;
        s.len = i < 4 ? badlen[i] : 0;
        /* RFC 8446 5 */
        ck_assert_int_eq(td_ccs_decode(s, TD_RECORD_TLS13, &c),
                         TD_ALERT_UNEXPECTED_MESSAGE);
        /* RFC 5246 7.1, 7.2.2 */
        ck_assert_int_eq(td_ccs_decode(s, TD_RECORD_TLS12, &c),
                         TD_ALERT_DECODE_ERROR);
        ck_assert_uint_eq(c.type, 0xee);
    }
}
END_TEST

/* ------------------------------------------------------------ handshake */

START_TEST(test_handshake_truncated)
{
    /* EndOfEarlyData and Finished framing from the traces' shape */
    static const uint8_t msg[] = {0x14, 0x00, 0x00, 0x03, 0xa, 0xb, 0xc};
    td_rd rd;
    td_handshake h;
    size_t n;

    for (n = 0; n < sizeof msg; n++) {
        td_rd_init(&rd, msg, n);
        ck_assert_int_eq(td_handshake_decode(&rd, &h), TD_ALERT_DECODE_ERROR);
        ck_assert_uint_eq(rd.off, 0);
    }
    td_rd_init(&rd, msg, sizeof msg);
    ck_assert_int_eq(td_handshake_decode(&rd, &h), TD_OK);
    ck_assert_uint_eq(h.msg_type, TD_HS_FINISHED);
    ck_assert_uint_eq(h.body.len, 3);
    ck_assert_ptr_eq(h.raw.p, msg);
    ck_assert_uint_eq(h.raw.len, sizeof msg);
}
END_TEST

Suite *td_record_suite(void);

Suite *td_record_suite(void)
{
    Suite *s = suite_create("record");
    TCase *tc;

    tc = tcase_create("valid");
    tcase_add_test(tc, test_record_valid);
    tcase_add_test(tc, test_inner_plaintext);
    tcase_add_test(tc, test_alert);
    tcase_add_test(tc, test_ccs);
    suite_add_tcase(s, tc);

    tc = tcase_create("bounds");
    tcase_add_test(tc, test_record_types);
    tcase_add_test(tc, test_record_zero_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("unchanged_on_failure");
    tcase_add_test(tc, test_record_unchanged_on_failure);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncated");
    tcase_add_test(tc, test_record_truncated);
    tcase_add_test(tc, test_handshake_truncated);
    suite_add_tcase(s, tc);

    tc = tcase_create("overflow");
    tcase_add_test(tc, test_record_overflow);
    suite_add_tcase(s, tc);
    return s;
}
