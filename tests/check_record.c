/*
 * td_record: record framing, TLSInnerPlaintext, Alert, ChangeCipherSpec,
 * handshake framing and reassembly.
 *
 * Expected values come from the RFC text: the limits of RFC 8446 5.1/5.2/
 * 5.4 and RFC 5246 6.2, and the records and messages of the TLS 1.3
 * example traces (the .vec files of vectors/tls13, extracted from the
 * text by vectors/tls13/extract.py).
 */
#include "td_vec.h" /* first: it selects POSIX for mkdtemp */

#include "td_record.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---------------------------------------------------------- reassembly */

static td_hs_reasm reasm[2];
static uint8_t hsbuf[TD_MAX_HANDSHAKE_MSG + 8];

static const char *const vec_files[] = {
    "tls13/s3-1rtt.vec", "tls13/s4-0rtt.vec", "tls13/s5-hrr.vec",
    "tls13/s6-client-auth.vec", "tls13/s7-compat.vec",
};

static void vec_load(const char *rel, td_vec *v)
{
    td_err err = td_vec_load(rel, v);

    ck_assert_msg(err == TD_OK, "%s/%s: %s", td_vec_dir(), rel,
                  td_err_name(err));
}

/* The nth entry with these columns; the test fails if there is none. */
static const td_vec_entry *vec_find(const td_vec *v, const char *side,
                                    const char *kind, const char *name,
                                    const char *field, int nth)
{
    const td_vec_entry *e = td_vec_find(v, side, kind, name, field, nth);

    ck_assert_msg(e != NULL, "no %s %s %s %s #%d in vectors",
                  side ? side : "*", kind ? kind : "*", name ? name : "*",
                  field ? field : "*", nth);
    return e;
}

static void ck_span_eq(td_span got, td_span want)
{
    ck_assert_uint_eq(got.len, want.len);
    if (want.len)
        ck_assert_mem_eq(got.p, want.p, want.len);
}

/* Feed one fragment; every message it completes must equal want. Returns
 * how many it completed. */
static size_t reasm_expect(td_hs_reasm *r, td_span frag, td_span want)
{
    size_t n = 0;
    int got = 1;

    ck_assert_int_eq(td_hs_reasm_feed(r, frag), TD_OK);
    for (;;) {
        td_handshake h;
        ck_assert_int_eq(td_hs_reasm_next(r, &h, &got), TD_OK);
        if (!got)
            return n;
        ck_span_eq(h.raw, want);
        ck_assert_uint_eq(h.body.len + 4, h.raw.len);
        n++;
    }
}

START_TEST(test_reasm_split)
{
    td_vec v;
    td_span m, a, b;
    size_t k;

    vec_load("tls13/s3-1rtt.vec", &v);
    m = td_vec_span(
        vec_find(&v, "server", "handshake", "certificate", "message", 0));
    ck_assert_uint_eq(m.len, 445); /* "Certificate (445 octets)" */
    /* in two records, split at every point */
    for (k = 0; k <= m.len; k++) {
        td_hs_reasm_init(&reasm[0]);
        a.p = m.p;
        a.len = k;
        b.p = m.p + k;
        b.len = m.len - k;
        ck_assert_uint_eq(reasm_expect(&reasm[0], a, m), k == m.len);
        if (k < m.len) {
            ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]),
                             k ? TD_ALERT_UNEXPECTED_MESSAGE : TD_OK);
            ck_assert_uint_eq(reasm_expect(&reasm[0], b, m), 1);
        }
        ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]), TD_OK);
    }
    /* one byte per record */
    td_hs_reasm_init(&reasm[0]);
    for (k = 0; k < m.len; k++) {
        a.p = m.p + k;
        a.len = 1;
        ck_assert_uint_eq(reasm_expect(&reasm[0], a, m), k + 1 == m.len);
    }
    td_vec_free(&v);
}
END_TEST

START_TEST(test_reasm_coalesced)
{
    static const char *const flight[] = {"encrypted_extensions",
                                         "certificate", "certificate_verify",
                                         "finished"};
    td_vec v;
    td_span payload, part;
    static const size_t chunks[] = {657, 100, 37, 7, 1};
    td_handshake h;
    size_t n, c, chunk, off;

    vec_load("tls13/s3-1rtt.vec", &v);
    /* the server's second handshake record: "payload (657 octets)" */
    payload = td_vec_span(
        vec_find(&v, "server", "record", "handshake", "payload", 1));
    ck_assert_uint_eq(payload.len, 657);
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        chunk = chunks[c];
        td_hs_reasm_init(&reasm[0]);
        for (off = 0, n = 0; off < payload.len; off += part.len) {
            part.p = payload.p + off;
            part.len = payload.len - off < chunk ? payload.len - off : chunk;
            /* compare each message before the next call reuses the buffer */
            ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], part), TD_OK);
            for (;;) {
                int got;
                ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got),
                                 TD_OK);
                if (!got)
                    break;
                ck_assert_uint_lt(n, 4);
                ck_span_eq(h.raw, td_vec_span(vec_find(
                                         &v, "server", "handshake", flight[n],
                                         "message", 0)));
                n++;
            }
        }
        ck_assert_uint_eq(n, 4);
        ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]), TD_OK);
    }
    td_vec_free(&v);
}
END_TEST

START_TEST(test_reasm_boundary)
{
    static const uint8_t two[] = {0x05, 0x00, 0x00, 0x00, 0x05, 0x00};
    td_span s = {two, sizeof two};
    td_handshake h;
    int got;

    td_hs_reasm_init(&reasm[0]);
    ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]), TD_OK);
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_OK);
    /* fed bytes not drained: a second feed is a caller bug */
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]),
                     TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_OK);
    ck_assert_int_eq(got, 1); /* EndOfEarlyData, empty body */
    ck_assert_uint_eq(h.msg_type, TD_HS_END_OF_EARLY_DATA);
    ck_assert_uint_eq(h.body.len, 0);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_OK);
    ck_assert_int_eq(got, 0);
    /* half a header left over: RFC 8446 5.1 */
    ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]),
                     TD_ALERT_UNEXPECTED_MESSAGE);
}
END_TEST

START_TEST(test_reasm_overflow)
{
    td_span s = {hsbuf, TD_MAX_HANDSHAKE_MSG};
    td_handshake h;
    int got = 7;
    uint32_t body = TD_MAX_HANDSHAKE_BODY;

    memset(hsbuf, 0x61, sizeof hsbuf);
    hsbuf[0] = TD_HS_CERTIFICATE;
    hsbuf[1] = (uint8_t)(body >> 16);
    hsbuf[2] = (uint8_t)(body >> 8);
    hsbuf[3] = (uint8_t)body;
    td_hs_reasm_init(&reasm[0]);
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_OK);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_OK);
    ck_assert_int_eq(got, 1);
    ck_assert_uint_eq(h.body.len, TD_MAX_HANDSHAKE_BODY);

    body++;
    hsbuf[1] = (uint8_t)(body >> 16);
    hsbuf[2] = (uint8_t)(body >> 8);
    hsbuf[3] = (uint8_t)body;
    s.len = 4;
    td_hs_reasm_init(&reasm[0]);
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_OK);
    got = 7;
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_ERR_NOSPACE);
    ck_assert_int_eq(got, 7);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_ERR_NOSPACE);
    /* the largest length a uint24 can say */
    hsbuf[1] = hsbuf[2] = hsbuf[3] = 0xff;
    td_hs_reasm_init(&reasm[0]);
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_OK);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_ERR_NOSPACE);
}
END_TEST

/* ------------------------------------------------------------ vectors */

/* Walk one trace: every record decodes and re-encodes byte for byte; the
 * handshake payloads of each side reassemble into exactly that side's
 * handshake messages, in order; alerts and CCS decode. */
START_TEST(test_vec_records)
{
    td_vec v;
    size_t i, plain = 0, want_next[2] = {0, 0};
    td_span payload = {NULL, 0};
    uint8_t out[2048];

    vec_load(vec_files[_i], &v);
    td_hs_reasm_init(&reasm[0]);
    td_hs_reasm_init(&reasm[1]);
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        int side = !strcmp(e->side, "server");
        td_rd rd;
        td_record rec;
        td_wr wr;
        td_span enc;

        if (strcmp(e->kind, "record"))
            continue;
        if (!strcmp(e->field, "payload")) {
            payload = td_vec_span(e);
            if (!strcmp(e->name, "handshake")) {
                td_hs_reasm *r = &reasm[side];
                int got = 1;
                ck_assert_int_eq(td_hs_reasm_feed(r, payload), TD_OK);
                while (got) {
                    td_handshake h;
                    const td_vec_entry *w;
                    ck_assert_int_eq(td_hs_reasm_next(r, &h, &got), TD_OK);
                    if (!got)
                        break;
                    w = vec_find(&v, e->side, "handshake", NULL, NULL,
                                 (int)want_next[side]++);
                    ck_assert_msg(w->line < e->line, "line %u", e->line);
                    if (!strcmp(w->field, "partial")) {
                        /* s4: the ClientHello shown before its binders */
                        ck_assert_uint_gt(h.raw.len, w->len);
                        ck_assert_mem_eq(h.raw.p, w->data, w->len);
                    } else {
                        ck_span_eq(h.raw, td_vec_span(w));
                    }
                }
                /* every trace record ends on a message boundary */
                ck_assert_int_eq(td_hs_reasm_check_boundary(r), TD_OK);
            } else if (!strcmp(e->name, "alert")) {
                td_alert a;
                ck_assert_int_eq(td_alert_decode(payload, &a), TD_OK);
                ck_assert_uint_eq(a.level, TD_ALERT_LEVEL_WARNING);
                ck_assert_uint_eq(a.description, TD_ALERT_CLOSE_NOTIFY);
            } else if (!strcmp(e->name, "change_cipher_spec")) {
                td_ccs c;
                ck_assert_int_eq(
                    td_ccs_decode(payload, TD_RECORD_TLS13, &c), TD_OK);
            }
            continue;
        }
        td_rd_init(&rd, e->data, e->len);
        if (!strcmp(e->field, "plaintext")) {
            plain++;
            ck_assert_int_eq(td_record_decode(&rd, m13, &rec), TD_OK);
            ck_span_eq(rec.fragment, payload);
        } else {
            ck_assert_str_eq(e->field, "protected");
            ck_assert_int_eq(td_record_decode(&rd, m13p, &rec), TD_OK);
            ck_assert_uint_eq(rec.type, TD_CT_APPLICATION_DATA);
            ck_assert_uint_eq(rec.legacy_record_version, 0x0303);
        }
        ck_assert_int_eq(td_rd_done(&rd), TD_OK);
        td_wr_init(&wr, out, sizeof out);
        ck_assert_int_eq(td_record_encode(&wr, rec.type == 23 ? m13p : m13,
                                          &rec),
                         TD_OK);
        ck_assert_int_eq(td_wr_finish(&wr, &enc), TD_OK);
        ck_span_eq(enc, td_vec_span(e));
    }
    /* every handshake message of the trace came out of a record */
    ck_assert_ptr_null(td_vec_find(&v, "client", "handshake", NULL, NULL,
                                   (int)want_next[0]));
    ck_assert_ptr_null(td_vec_find(&v, "server", "handshake", NULL, NULL,
                                   (int)want_next[1]));
    ck_assert_uint_ge(plain, 2); /* at least ClientHello and ServerHello */
    td_vec_free(&v);
}
END_TEST

/* The committed .vec files are what extract.py makes of the text now. */
START_TEST(test_vectors_fresh)
{
    static const char *const all[] = {
        "tls13/s2-keys.vec", "tls13/s3-1rtt.vec", "tls13/s4-0rtt.vec",
        "tls13/s5-hrr.vec", "tls13/s6-client-auth.vec", "tls13/s7-compat.vec",
    };
    const char *shared = getenv("TLSDIFF_SHARED");
    char text[4096];
    td_err err;

    if (shared && *shared)
        snprintf(text, sizeof text, "%s/rfc/tls13-traces.txt", shared);
    else /* <repo>/../shared */
        snprintf(text, sizeof text, "%s/../../shared/rfc/tls13-traces.txt",
                 td_vec_dir());
    err = td_vec_check_fresh("tls13/extract.py", text, all,
                             sizeof all / sizeof all[0]);
    if (err == TD_ERR_NOT_FOUND)
        fprintf(stderr, "vectors_fresh: skipped, no %s or no python3\n", text);
    else
        ck_assert_msg(err == TD_OK, "tls13 vectors differ from extract.py's "
                      "output of %s: %s", text, td_err_name(err));
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
    tcase_add_test(tc, test_reasm_overflow);
    suite_add_tcase(s, tc);

    tc = tcase_create("split");
    tcase_add_test(tc, test_reasm_split);
    tcase_add_test(tc, test_reasm_boundary);
    suite_add_tcase(s, tc);

    tc = tcase_create("coalesced");
    tcase_add_test(tc, test_reasm_coalesced);
    suite_add_tcase(s, tc);

    tc = tcase_create("roundtrip");
    tcase_add_loop_test(tc, test_vec_records, 0, 5);
    tcase_add_test(tc, test_vectors_fresh);
    suite_add_tcase(s, tc);
    return s;
}
