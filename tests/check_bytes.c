/*
 * td_bytes: the reader (td_rd) and the writer (td_wr).
 *
 * Expected values are written out by hand from RFC 8446 3.3/3.4 (big-endian
 * integers, vectors with a length prefix as wide as the ceiling needs).
 */
#include "td_bytes.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

/* A reader is unchanged when it views the same bytes at the same offset. */
#define ck_assert_rd_same(a, b)                                                \
    do {                                                                       \
        ck_assert_ptr_eq((a).p, (b).p);                                        \
        ck_assert_uint_eq((a).len, (b).len);                                   \
        ck_assert_uint_eq((a).off, (b).off);                                   \
    } while (0)

#define ck_assert_wr_same(a, b)                                                \
    do {                                                                       \
        ck_assert_ptr_eq((a).buf, (b).buf);                                    \
        ck_assert_uint_eq((a).cap, (b).cap);                                   \
        ck_assert_uint_eq((a).len, (b).len);                                   \
        ck_assert_uint_eq((a).open, (b).open);                                 \
    } while (0)

static const uint8_t seq[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

/* ---------------------------------------------------------------- valid */

START_TEST(test_rd_ints)
{
    td_rd rd;
    uint8_t a;
    uint16_t b;
    uint32_t c, d;

    td_rd_init(&rd, seq, 8);
    ck_assert_int_eq(td_rd_u8(&rd, &a), TD_OK);
    ck_assert_int_eq(td_rd_u16(&rd, &b), TD_OK);
    ck_assert_int_eq(td_rd_u24(&rd, &c), TD_OK);
    ck_assert_uint_eq(td_rd_left(&rd), 2);
    ck_assert_int_eq(td_rd_done(&rd), TD_ALERT_DECODE_ERROR);
    td_rd_init(&rd, seq + 4, 4);
    ck_assert_int_eq(td_rd_u32(&rd, &d), TD_OK);
    ck_assert_uint_eq(a, 0x01);
    ck_assert_uint_eq(b, 0x0203);
    ck_assert_uint_eq(c, 0x040506);
    ck_assert_uint_eq(d, 0x05060708);
    ck_assert_int_eq(td_rd_done(&rd), TD_OK);
}
END_TEST

START_TEST(test_rd_span_rest)
{
    td_rd rd;
    td_span s, r;

    td_rd_init(&rd, seq, 8);
    ck_assert_int_eq(td_rd_span(&rd, 3, &s), TD_OK);
    ck_assert_ptr_eq(s.p, seq);
    ck_assert_uint_eq(s.len, 3);
    ck_assert_int_eq(td_rd_span(&rd, 0, &s), TD_OK);
    ck_assert_uint_eq(s.len, 0);
    td_rd_rest(&rd, &r);
    ck_assert_ptr_eq(r.p, seq + 3);
    ck_assert_uint_eq(r.len, 5);
    ck_assert_int_eq(td_rd_done(&rd), TD_OK);
    td_rd_rest(&rd, &r);
    ck_assert_uint_eq(r.len, 0);

    td_rd_init(&rd, NULL, 5); /* no bytes: length is ignored */
    ck_assert_uint_eq(td_rd_left(&rd), 0);
    ck_assert_int_eq(td_rd_done(&rd), TD_OK);
}
END_TEST

START_TEST(test_rd_vecs)
{
    /* opaque a<1..2^8-1> = {aa}; opaque b<0..2^16-1> = {bb cc};
     * opaque c<0..2^24-1> = {} ; then one trailing byte */
    static const uint8_t in[] = {0x01, 0xaa, 0x00, 0x02, 0xbb, 0xcc,
                                 0x00, 0x00, 0x00, 0x7f};
    td_rd rd, ch;
    uint8_t v;
    uint16_t w;

    td_rd_init(&rd, in, sizeof in);
    ck_assert_int_eq(td_rd_vec8(&rd, 1, 255, &ch), TD_OK);
    ck_assert_uint_eq(td_rd_left(&ch), 1);
    ck_assert_int_eq(td_rd_u8(&ch, &v), TD_OK);
    ck_assert_uint_eq(v, 0xaa);
    ck_assert_int_eq(td_rd_done(&ch), TD_OK);
    ck_assert_int_eq(td_rd_vec16(&rd, 0, 65535, &ch), TD_OK);
    ck_assert_int_eq(td_rd_u16(&ch, &w), TD_OK);
    ck_assert_uint_eq(w, 0xbbcc);
    ck_assert_int_eq(td_rd_done(&ch), TD_OK);
    ck_assert_int_eq(td_rd_vec24(&rd, 0, 0xffffff, &ch), TD_OK);
    ck_assert_uint_eq(td_rd_left(&ch), 0);
    ck_assert_uint_eq(td_rd_left(&rd), 1);
    ck_assert_int_eq(td_rd_u8(&rd, &v), TD_OK);
    ck_assert_uint_eq(v, 0x7f);
    ck_assert_int_eq(td_rd_done(&rd), TD_OK);
}
END_TEST

/* ------------------------------------------------------------ truncated */

START_TEST(test_rd_ints_truncated)
{
    td_rd rd;
    uint8_t a;
    uint16_t b;
    uint32_t c;
    size_t n;

    for (n = 0; n < 1; n++) {
        td_rd_init(&rd, seq, n);
        ck_assert_int_eq(td_rd_u8(&rd, &a), TD_ALERT_DECODE_ERROR);
    }
    for (n = 0; n < 2; n++) {
        td_rd_init(&rd, seq, n);
        ck_assert_int_eq(td_rd_u16(&rd, &b), TD_ALERT_DECODE_ERROR);
    }
    for (n = 0; n < 3; n++) {
        td_rd_init(&rd, seq, n);
        ck_assert_int_eq(td_rd_u24(&rd, &c), TD_ALERT_DECODE_ERROR);
    }
    for (n = 0; n < 4; n++) {
        td_rd_init(&rd, seq, n);
        ck_assert_int_eq(td_rd_u32(&rd, &c), TD_ALERT_DECODE_ERROR);
    }
    for (n = 0; n < 8; n++) {
        td_span s;
        td_rd_init(&rd, seq, n);
        ck_assert_int_eq(td_rd_span(&rd, n + 1, &s), TD_ALERT_DECODE_ERROR);
    }
}
END_TEST

/* Every proper prefix of one encoded vector of each width fails. */
START_TEST(test_rd_vecs_truncated)
{
    static const uint8_t v8[] = {0x03, 0xa, 0xb, 0xc};
    static const uint8_t v16[] = {0x00, 0x03, 0xa, 0xb, 0xc};
    static const uint8_t v24[] = {0x00, 0x00, 0x03, 0xa, 0xb, 0xc};
    td_rd rd, ch;
    size_t n;

    for (n = 0; n < sizeof v8; n++) {
        td_rd_init(&rd, v8, n);
        ck_assert_int_eq(td_rd_vec8(&rd, 0, 255, &ch), TD_ALERT_DECODE_ERROR);
    }
    for (n = 0; n < sizeof v16; n++) {
        td_rd_init(&rd, v16, n);
        ck_assert_int_eq(td_rd_vec16(&rd, 0, 65535, &ch),
                         TD_ALERT_DECODE_ERROR);
    }
    for (n = 0; n < sizeof v24; n++) {
        td_rd_init(&rd, v24, n);
        ck_assert_int_eq(td_rd_vec24(&rd, 0, 0xffffff, &ch),
                         TD_ALERT_DECODE_ERROR);
    }
    td_rd_init(&rd, v24, sizeof v24);
    ck_assert_int_eq(td_rd_vec24(&rd, 0, 0xffffff, &ch), TD_OK);
}
END_TEST

/* --------------------------------------------------------------- bounds */

typedef td_err (*vec_fn)(td_rd *, size_t, size_t, td_rd *);

/* Encode a vector of length n with a width-byte prefix into buf. */
static size_t put_vec(uint8_t *buf, unsigned width, size_t n)
{
    unsigned i;

    for (i = 0; i < width; i++)
        buf[i] = (uint8_t)(n >> (8 * (width - 1 - i)));
    memset(buf + width, 0x5a, n);
    return width + n;
}

static void check_bounds(vec_fn fn, unsigned width, size_t ceiling)
{
    static uint8_t buf[3 + 64];
    td_rd rd, ch;
    size_t n, min = 2, max = 5;

    for (n = 0; n <= 8; n++) {
        size_t len = put_vec(buf, width, n);
        td_err want = (n >= min && n <= max) ? TD_OK : TD_ALERT_DECODE_ERROR;

        td_rd_init(&rd, buf, len);
        ck_assert_int_eq(fn(&rd, min, max, &ch), want);
        if (want == TD_OK) {
            ck_assert_uint_eq(td_rd_left(&ch), n);
            ck_assert_int_eq(td_rd_done(&rd), TD_OK);
        }
        /* the length claims one byte more than there is */
        td_rd_init(&rd, buf, len - 1 + (n == 0));
        if (n > 0)
            ck_assert_int_eq(fn(&rd, 0, ceiling, &ch), TD_ALERT_DECODE_ERROR);
    }
    /* exact min == max */
    td_rd_init(&rd, buf, put_vec(buf, width, 4));
    ck_assert_int_eq(fn(&rd, 4, 4, &ch), TD_OK);
    /* bounds that are a caller bug */
    td_rd_init(&rd, buf, put_vec(buf, width, 4));
    ck_assert_int_eq(fn(&rd, 5, 4, &ch), TD_ERR_INTERNAL);
    ck_assert_int_eq(fn(&rd, 0, ceiling + 1, &ch), TD_ERR_INTERNAL);
    ck_assert_int_eq(fn(&rd, 0, ceiling, &ch), TD_OK);
}

START_TEST(test_rd_vec8_bounds)
{
    check_bounds(td_rd_vec8, 1, 0xff);
}
END_TEST

START_TEST(test_rd_vec16_bounds)
{
    check_bounds(td_rd_vec16, 2, 0xffff);
}
END_TEST

START_TEST(test_rd_vec24_bounds)
{
    check_bounds(td_rd_vec24, 3, 0xffffff);
}
END_TEST

/* ------------------------------------------------- unchanged_on_failure */

/* Try read k at every offset of in: it must fail exactly when too few
 * bytes remain, and a failure must leave reader and output untouched. */
START_TEST(test_rd_unchanged_on_failure)
{
    /* read as a vector at any offset, each length claims more bytes than
     * remain after it */
    static const uint8_t in[] = {0x05, 0x04, 0x03, 0x02};
    static const size_t need[] = {1, 2, 3, 4, 3, 0, 0, 0, 0};
    const size_t nfn = sizeof need / sizeof need[0];
    size_t n, k;

    for (k = 0; k < nfn; k++) {
        for (n = 0; n <= sizeof in; n++) {
            size_t left = sizeof in - n;
            td_rd rd, before, ch = {seq, 3, 1}, ch0 = ch;
            td_span s = {seq, 9}, skip;
            uint8_t a = 0xee;
            uint16_t b = 0xeeee;
            uint32_t c = 0xeeeeeeee;
            td_err err = TD_OK;
            int fails;

            td_rd_init(&rd, in, sizeof in);
            ck_assert_int_eq(td_rd_span(&rd, n, &skip), TD_OK);
            before = rd;
            switch (k) {
            case 0: err = td_rd_u8(&rd, &a); break;
            case 1: err = td_rd_u16(&rd, &b); break;
            case 2: err = td_rd_u24(&rd, &c); break;
            case 3: err = td_rd_u32(&rd, &c); break;
            case 4: err = td_rd_span(&rd, 3, &s); break;
            case 5: err = td_rd_vec8(&rd, 0, 255, &ch); break;
            case 6: err = td_rd_vec16(&rd, 0, 65535, &ch); break;
            case 7: err = td_rd_vec24(&rd, 0, 0xffffff, &ch); break;
            case 8: err = td_rd_done(&rd); break;
            }
            fails = k == 8 ? left > 0 : k >= 5 || left < need[k];
            ck_assert_msg((err != TD_OK) == fails,
                          "read %zu at offset %zu: err %d", k, n, err);
            if (!fails)
                continue;
            ck_assert_int_eq(err, TD_ALERT_DECODE_ERROR);
            ck_assert_rd_same(rd, before);
            ck_assert_uint_eq(a, 0xee);
            ck_assert_uint_eq(b, 0xeeee);
            ck_assert_uint_eq(c, 0xeeeeeeee);
            ck_assert_ptr_eq(s.p, seq);
            ck_assert_uint_eq(s.len, 9);
            ck_assert_rd_same(ch, ch0);
        }
    }
}
END_TEST

/* The same property, function by function, on a vector out of bounds. */
START_TEST(test_rd_vec_unchanged_on_failure)
{
    static const uint8_t in[] = {0x00, 0x00, 0x02, 0xaa, 0xbb};
    vec_fn fns[] = {td_rd_vec8, td_rd_vec16, td_rd_vec24};
    td_rd rd, before, ch = {seq, 3, 1}, ch0 = ch;
    size_t i;

    for (i = 0; i < 3; i++) {
        td_rd_init(&rd, in + 2 - i, 3 + i);
        before = rd;
        ck_assert_int_eq(fns[i](&rd, 3, 10, &ch), TD_ALERT_DECODE_ERROR);
        ck_assert_rd_same(rd, before);
        ck_assert_int_eq(fns[i](&rd, 0, 1, &ch), TD_ALERT_DECODE_ERROR);
        ck_assert_rd_same(rd, before);
        ck_assert_int_eq(fns[i](&rd, 2, 1, &ch), TD_ERR_INTERNAL);
        ck_assert_rd_same(rd, before);
        ck_assert_rd_same(ch, ch0);
        ck_assert_int_eq(fns[i](&rd, 2, 2, &ch), TD_OK);
        ck_assert_uint_eq(td_rd_left(&ch), 2);
        ch = ch0;
    }
}
END_TEST

/* --------------------------------------------------------------- writer */

START_TEST(test_wr_valid)
{
    static const uint8_t want[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                                   0x07, 0x08, 0x09, 0x0a, 0xde, 0xad};
    uint8_t buf[16];
    td_wr wr;
    td_span out;

    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_wr_u8(&wr, 0x01), TD_OK);
    ck_assert_int_eq(td_wr_u16(&wr, 0x0203), TD_OK);
    ck_assert_int_eq(td_wr_u24(&wr, 0x040506), TD_OK);
    ck_assert_int_eq(td_wr_u32(&wr, 0x0708090a), TD_OK);
    ck_assert_int_eq(td_wr_bytes(&wr, want + 10, 2), TD_OK);
    ck_assert_int_eq(td_wr_bytes(&wr, NULL, 0), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &out), TD_OK);
    ck_assert_uint_eq(out.len, sizeof want);
    ck_assert_mem_eq(out.p, want, sizeof want);
    ck_assert_uint_eq(td_wr_len(&wr), sizeof want);
}
END_TEST

START_TEST(test_wr_nested)
{
    /* u24-block { u8 7, u16-block { u8-block { aa bb } }, u8-block {} } */
    static const uint8_t want[] = {0x00, 0x00, 0x07, 0x07, 0x00, 0x03,
                                   0x02, 0xaa, 0xbb, 0x00};
    static const uint8_t ab[] = {0xaa, 0xbb};
    uint8_t buf[32];
    td_wr wr;
    td_wr_mark m24, m16, m8, e8;
    td_span out;

    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_wr_open24(&wr, &m24), TD_OK);
    ck_assert_int_eq(td_wr_u8(&wr, 7), TD_OK);
    ck_assert_int_eq(td_wr_open16(&wr, &m16), TD_OK);
    ck_assert_int_eq(td_wr_open8(&wr, &m8), TD_OK);
    ck_assert_int_eq(td_wr_bytes(&wr, ab, 2), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &out), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_wr_close(&wr, &m8), TD_OK);
    ck_assert_int_eq(td_wr_close(&wr, &m16), TD_OK);
    ck_assert_int_eq(td_wr_open8(&wr, &e8), TD_OK);
    ck_assert_int_eq(td_wr_close(&wr, &e8), TD_OK);
    ck_assert_int_eq(td_wr_close(&wr, &m24), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &out), TD_OK);
    ck_assert_uint_eq(out.len, sizeof want);
    ck_assert_mem_eq(out.p, want, sizeof want);
    /* nothing left open: one more close is a caller bug */
    ck_assert_int_eq(td_wr_close(&wr, &m24), TD_ERR_INTERNAL);
}
END_TEST

START_TEST(test_wr_invalid)
{
    uint8_t buf[8];
    td_wr wr, before;
    td_wr_mark bad = {6, 1}, wide = {0, 4};

    td_wr_init(&wr, buf, sizeof buf);
    before = wr;
    ck_assert_int_eq(td_wr_u8(&wr, 0x100), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_wr_u16(&wr, 0x10000), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_wr_u24(&wr, 0x1000000), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_wr_bytes(&wr, NULL, 1), TD_ERR_INTERNAL);
    ck_assert_wr_same(wr, before);
    ck_assert_int_eq(td_wr_open8(&wr, &wide), TD_OK);
    before = wr;
    ck_assert_int_eq(td_wr_close(&wr, &bad), TD_ERR_INTERNAL); /* past end */
    wide.width = 4;
    ck_assert_int_eq(td_wr_close(&wr, &wide), TD_ERR_INTERNAL);
    ck_assert_wr_same(wr, before);
}
END_TEST

/* ------------------------------------------------------------- overflow */

/* Writes a fixed sequence; returns the first error. */
static td_err write_all(td_wr *wr)
{
    static const uint8_t body[] = {1, 2, 3, 4, 5};
    td_wr_mark m;

    TRY(td_wr_u8(wr, 0x16));
    TRY(td_wr_u16(wr, 0x0303));
    TRY(td_wr_open16(wr, &m));
    TRY(td_wr_u24(wr, 0xabcdef));
    TRY(td_wr_u32(wr, 0x01020304));
    TRY(td_wr_bytes(wr, body, sizeof body));
    TRY(td_wr_close(wr, &m));
    return TD_OK;
}

START_TEST(test_wr_overflow)
{
    const size_t full = 1 + 2 + 2 + 3 + 4 + 5;
    uint8_t buf[32], ref[32];
    td_wr wr;
    td_span out;
    size_t cap;

    td_wr_init(&wr, ref, full);
    ck_assert_int_eq(write_all(&wr), TD_OK);
    ck_assert_uint_eq(td_wr_len(&wr), full);
    for (cap = 0; cap < full; cap++) {
        td_wr before;
        memset(buf, 0xee, sizeof buf);
        td_wr_init(&wr, buf, cap);
        ck_assert_int_eq(write_all(&wr), TD_ERR_NOSPACE);
        /* the failed write committed nothing: what is there is a prefix of
         * the full output and nothing was written past cap */
        ck_assert_uint_le(td_wr_len(&wr), cap);
        ck_assert_uint_eq(buf[cap], 0xee);
        before = wr;
        if (cap - td_wr_len(&wr) < 4)
            ck_assert_int_eq(td_wr_u32(&wr, 0), TD_ERR_NOSPACE);
        ck_assert_int_eq(td_wr_bytes(&wr, ref, full), TD_ERR_NOSPACE);
        ck_assert_wr_same(wr, before);
    }
    td_wr_init(&wr, NULL, 10);
    ck_assert_int_eq(td_wr_u8(&wr, 0), TD_ERR_NOSPACE);
    ck_assert_int_eq(td_wr_finish(&wr, &out), TD_OK);
    ck_assert_uint_eq(out.len, 0);
}
END_TEST

START_TEST(test_wr_block_too_long)
{
    static uint8_t buf[70000], fill[70000];
    td_wr wr, before;
    td_wr_mark m;

    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_wr_open8(&wr, &m), TD_OK);
    ck_assert_int_eq(td_wr_bytes(&wr, fill, 255), TD_OK);
    before = wr;
    ck_assert_int_eq(td_wr_close(&wr, &m), TD_OK); /* 255 fits */
    ck_assert_uint_eq(buf[0], 0xff);

    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_wr_open8(&wr, &m), TD_OK);
    ck_assert_int_eq(td_wr_bytes(&wr, fill, 256), TD_OK);
    before = wr;
    ck_assert_int_eq(td_wr_close(&wr, &m), TD_ERR_NOSPACE);
    ck_assert_wr_same(wr, before);

    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_wr_open16(&wr, &m), TD_OK);
    ck_assert_int_eq(td_wr_bytes(&wr, fill, 65536), TD_OK);
    before = wr;
    ck_assert_int_eq(td_wr_close(&wr, &m), TD_ERR_NOSPACE);
    ck_assert_wr_same(wr, before);
}
END_TEST

/* ------------------------------------------------------------ roundtrip */

START_TEST(test_roundtrip)
{
    /* struct { uint16 a; opaque b<1..2^8-1>; T c<0..2^16-1>; } with
     * T = { uint24 x; opaque y<0..2^24-1>; } written, then read back */
    static const uint8_t y[] = {9, 8, 7};
    uint8_t buf[64];
    td_wr wr;
    td_wr_mark mb, mc, my;
    td_span out, sy;
    td_rd rd, b, c, t;
    uint16_t a;
    uint8_t bv;
    uint32_t x;
    int i;

    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_wr_u16(&wr, 0xbeef), TD_OK);
    ck_assert_int_eq(td_wr_open8(&wr, &mb), TD_OK);
    ck_assert_int_eq(td_wr_u8(&wr, 0x42), TD_OK);
    ck_assert_int_eq(td_wr_close(&wr, &mb), TD_OK);
    ck_assert_int_eq(td_wr_open16(&wr, &mc), TD_OK);
    for (i = 0; i < 2; i++) {
        ck_assert_int_eq(td_wr_u24(&wr, (uint32_t)i), TD_OK);
        ck_assert_int_eq(td_wr_open24(&wr, &my), TD_OK);
        ck_assert_int_eq(td_wr_bytes(&wr, y, (size_t)i * 3), TD_OK);
        ck_assert_int_eq(td_wr_close(&wr, &my), TD_OK);
    }
    ck_assert_int_eq(td_wr_close(&wr, &mc), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &out), TD_OK);

    td_rd_init_span(&rd, out);
    ck_assert_int_eq(td_rd_u16(&rd, &a), TD_OK);
    ck_assert_uint_eq(a, 0xbeef);
    ck_assert_int_eq(td_rd_vec8(&rd, 1, 255, &b), TD_OK);
    ck_assert_int_eq(td_rd_u8(&b, &bv), TD_OK);
    ck_assert_uint_eq(bv, 0x42);
    ck_assert_int_eq(td_rd_done(&b), TD_OK);
    ck_assert_int_eq(td_rd_vec16(&rd, 0, 65535, &c), TD_OK);
    for (i = 0; i < 2; i++) {
        ck_assert_int_eq(td_rd_u24(&c, &x), TD_OK);
        ck_assert_uint_eq(x, (uint32_t)i);
        ck_assert_int_eq(td_rd_vec24(&c, 0, 0xffffff, &t), TD_OK);
        td_rd_rest(&t, &sy);
        ck_assert_uint_eq(sy.len, (size_t)i * 3);
        if (sy.len)
            ck_assert_mem_eq(sy.p, y, sy.len);
    }
    ck_assert_int_eq(td_rd_done(&c), TD_OK);
    ck_assert_int_eq(td_rd_done(&rd), TD_OK);
}
END_TEST

/* Diagnostics: the last failed read names where and why. The bytes:
 *   21          vec8 prefix = 33 (one over <0..32>, RFC 8446 4.1.2's
 *               legacy_session_id bound)
 *   00 02 aa    vec16 prefix 2, then only 1 byte: runs past the end */
START_TEST(test_rd_failure_diagnostics)
{
    static const uint8_t in[] = {0x21, 0x00, 0x02, 0xaa};
    td_rd r, c;
    td_rd_failure f;
    char msg[96];

    td_rd_init(&r, in, sizeof in);
    td_rd_failure_clear();
    ck_assert_int_eq(td_rd_failure_last().why, TD_RD_OK);
    ck_assert_int_eq(td_rd_vec8(&r, 0, 32, &c), TD_ALERT_DECODE_ERROR);
    f = td_rd_failure_last();
    ck_assert_int_eq(f.why, TD_RD_LEN_RANGE);
    ck_assert_ptr_eq(f.at, in);
    ck_assert_uint_eq(f.want, 33);
    td_rd_failure_describe(&f, msg, sizeof msg);
    ck_assert_str_eq(msg, "vector length 33 over its maximum 32");

    td_rd_init(&r, in + 1, 3);
    ck_assert_int_eq(td_rd_vec16(&r, 0, 0xffff, &c), TD_ALERT_DECODE_ERROR);
    f = td_rd_failure_last();
    ck_assert_int_eq(f.why, TD_RD_LEN_OVERRUN);
    ck_assert_ptr_eq(f.at, in + 1);
    td_rd_failure_describe(&f, msg, sizeof msg);
    ck_assert_str_eq(msg, "vector length 2 runs past the 1 bytes left");

    td_rd_init(&r, in, sizeof in);
    ck_assert_int_eq(td_rd_done(&r), TD_ALERT_DECODE_ERROR);
    f = td_rd_failure_last();
    ck_assert_int_eq(f.why, TD_RD_TRAILING);
    ck_assert_uint_eq(f.left, 4);
}
END_TEST

/* The writer's log lists every closed block, inner first. */
START_TEST(test_wr_log)
{
    uint8_t buf[16];
    td_wr w;
    td_wr_log log;
    td_wr_mark outer, inner;

    td_wr_init(&w, buf, sizeof buf);
    td_wr_set_log(&w, &log);
    ck_assert_int_eq(td_wr_u8(&w, 7), TD_OK);
    ck_assert_int_eq(td_wr_open16(&w, &outer), TD_OK);
    ck_assert_int_eq(td_wr_open8(&w, &inner), TD_OK);
    ck_assert_int_eq(td_wr_u8(&w, 1), TD_OK);
    ck_assert_int_eq(td_wr_close(&w, &inner), TD_OK);
    ck_assert_int_eq(td_wr_close(&w, &outer), TD_OK);
    ck_assert_uint_eq(log.n, 2);
    ck_assert_uint_eq(log.marks[0].start, 3);
    ck_assert_uint_eq(log.marks[0].width, 1);
    ck_assert_uint_eq(log.marks[1].start, 1);
    ck_assert_uint_eq(log.marks[1].width, 2);
}
END_TEST

Suite *td_bytes_suite(void);

Suite *td_bytes_suite(void)
{
    Suite *s = suite_create("bytes");
    TCase *tc;

    tc = tcase_create("valid");
    tcase_add_test(tc, test_rd_ints);
    tcase_add_test(tc, test_rd_span_rest);
    tcase_add_test(tc, test_rd_vecs);
    tcase_add_test(tc, test_wr_valid);
    tcase_add_test(tc, test_wr_nested);
    tcase_add_test(tc, test_wr_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncated");
    tcase_add_test(tc, test_rd_ints_truncated);
    tcase_add_test(tc, test_rd_vecs_truncated);
    suite_add_tcase(s, tc);

    tc = tcase_create("bounds");
    tcase_add_test(tc, test_rd_vec8_bounds);
    tcase_add_test(tc, test_rd_vec16_bounds);
    tcase_add_test(tc, test_rd_vec24_bounds);
    suite_add_tcase(s, tc);

    tc = tcase_create("unchanged_on_failure");
    tcase_add_test(tc, test_rd_unchanged_on_failure);
    tcase_add_test(tc, test_rd_vec_unchanged_on_failure);
    suite_add_tcase(s, tc);

    tc = tcase_create("overflow");
    tcase_add_test(tc, test_wr_overflow);
    tcase_add_test(tc, test_wr_block_too_long);
    suite_add_tcase(s, tc);

    tc = tcase_create("roundtrip");
    tcase_add_test(tc, test_roundtrip);
    suite_add_tcase(s, tc);

    tc = tcase_create("diagnostics");
    tcase_add_test(tc, test_rd_failure_diagnostics);
    tcase_add_test(tc, test_wr_log);
    suite_add_tcase(s, tc);
    return s;
}
