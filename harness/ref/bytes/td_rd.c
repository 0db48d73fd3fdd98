/*
 * td_rd: the bounds-checked reader. This is the only file that does
 * pointer arithmetic on peer bytes.
 *
 * RFC 8446 3.3 / RFC 5246 4.4: numbers are big-endian ("network byte
 * order"). RFC 8446 3.4 / RFC 5246 4.3: variable-length vectors
 *
 *     T T'<floor..ceiling>;
 *
 * are preceded by a length in as many bytes as needed to hold the ceiling.
 * RFC 8446 6: a message "have a length extending beyond the message
 * boundary or contain an out-of-range length" is a decode_error.
 *
 * Every function checks first and commits last, so a failure leaves the
 * reader and the outputs untouched.
 */
#include "td_bytes.h"

void td_rd_init(td_rd *rd, const uint8_t *p, size_t len)
{
    rd->p = p;
    rd->len = p ? len : 0;
    rd->off = 0;
}

void td_rd_init_span(td_rd *rd, td_span s)
{
    td_rd_init(rd, s.p, s.len);
}

size_t td_rd_left(const td_rd *rd)
{
    return rd->len - rd->off;
}

/* Big-endian value of the next width bytes, without consuming them.
 * The caller has checked that width bytes remain. */
static uint32_t rd_peek_be(const td_rd *rd, unsigned width)
{
    uint32_t v = 0;
    unsigned i;

    for (i = 0; i < width; i++)
        v = (v << 8) | rd->p[rd->off + i];
    return v;
}

static td_err rd_uint(td_rd *rd, unsigned width, uint32_t *out)
{
    ENSURE(td_rd_left(rd) >= width, TD_ALERT_DECODE_ERROR);
    *out = rd_peek_be(rd, width);
    rd->off += width;
    return TD_OK;
}

td_err td_rd_u8(td_rd *rd, uint8_t *out)
{
    uint32_t v;

    TRY(rd_uint(rd, 1, &v));
    *out = (uint8_t)v;
    return TD_OK;
}

td_err td_rd_u16(td_rd *rd, uint16_t *out)
{
    uint32_t v;

    TRY(rd_uint(rd, 2, &v));
    *out = (uint16_t)v;
    return TD_OK;
}

td_err td_rd_u24(td_rd *rd, uint32_t *out)
{
    return rd_uint(rd, 3, out);
}

td_err td_rd_u32(td_rd *rd, uint32_t *out)
{
    return rd_uint(rd, 4, out);
}

td_err td_rd_span(td_rd *rd, size_t n, td_span *out)
{
    ENSURE(td_rd_left(rd) >= n, TD_ALERT_DECODE_ERROR);
    out->p = n ? rd->p + rd->off : NULL;
    out->len = n;
    rd->off += n;
    return TD_OK;
}

void td_rd_rest(td_rd *rd, td_span *out)
{
    size_t n = td_rd_left(rd);

    out->p = n ? rd->p + rd->off : NULL;
    out->len = n;
    rd->off = rd->len;
}

static td_err rd_vec(td_rd *rd, unsigned width, size_t min, size_t max,
                     td_rd *child)
{
    size_t ceiling = ((size_t)1 << (8 * width)) - 1;
    size_t n;

    /* Bounds come from the RFC's struct definitions: wrong ones are ours. */
    ENSURE(min <= max && max <= ceiling, TD_ERR_INTERNAL);
    ENSURE(td_rd_left(rd) >= width, TD_ALERT_DECODE_ERROR);
    n = rd_peek_be(rd, width);
    /* RFC 8446 6: out-of-range length, or beyond the message boundary */
    ENSURE(n >= min && n <= max, TD_ALERT_DECODE_ERROR);
    ENSURE(td_rd_left(rd) - width >= n, TD_ALERT_DECODE_ERROR);
    td_rd_init(child, n ? rd->p + rd->off + width : NULL, n);
    rd->off += width + n;
    return TD_OK;
}

td_err td_rd_vec8(td_rd *rd, size_t min, size_t max, td_rd *child)
{
    return rd_vec(rd, 1, min, max, child);
}

td_err td_rd_vec16(td_rd *rd, size_t min, size_t max, td_rd *child)
{
    return rd_vec(rd, 2, min, max, child);
}

td_err td_rd_vec24(td_rd *rd, size_t min, size_t max, td_rd *child)
{
    return rd_vec(rd, 3, min, max, child);
}

td_err td_rd_done(const td_rd *rd)
{
    ENSURE(td_rd_left(rd) == 0, TD_ALERT_DECODE_ERROR);
    return TD_OK;
}
