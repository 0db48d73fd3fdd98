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

#include <stdio.h>

static _Thread_local td_rd_failure rd_last;

void td_rd_failure_clear(void)
{
    rd_last.why = TD_RD_OK;
}

td_rd_failure td_rd_failure_last(void)
{
    return rd_last;
}

void td_rd_failure_describe(const td_rd_failure *f, char *buf, size_t cap)
{
    switch (f->why) {
    case TD_RD_SHORT:
        snprintf(buf, cap, "truncated: %zu byte%s needed, %zu left", f->want,
                 f->want == 1 ? "" : "s", f->left);
        break;
    case TD_RD_LEN_RANGE:
        if (f->want < f->min)
            snprintf(buf, cap, "vector length %zu under its minimum %zu",
                     f->want, f->min);
        else
            snprintf(buf, cap, "vector length %zu over its maximum %zu",
                     f->want, f->max);
        break;
    case TD_RD_LEN_OVERRUN:
        snprintf(buf, cap, "vector length %zu runs past the %zu bytes left",
                 f->want, f->left);
        break;
    case TD_RD_TRAILING:
        snprintf(buf, cap, "%zu unexpected byte%s after the element", f->left,
                 f->left == 1 ? "" : "s");
        break;
    default:
        snprintf(buf, cap, "no reader failure recorded");
        break;
    }
}

/* Record a failure at the reader's position; returns decode_error. */
static td_err rd_fail(const td_rd *rd, td_rd_why why, size_t want,
                      size_t min, size_t max)
{
    rd_last.why = why;
    rd_last.at = rd->p ? rd->p + rd->off : NULL;
    rd_last.want = want;
    rd_last.left = rd->len - rd->off;
    rd_last.min = min;
    rd_last.max = max;
    return TD_ALERT_DECODE_ERROR;
}

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
    if (td_rd_left(rd) < width)
        return rd_fail(rd, TD_RD_SHORT, width, 0, 0);
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
    if (td_rd_left(rd) < n)
        return rd_fail(rd, TD_RD_SHORT, n, 0, 0);
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
    if (td_rd_left(rd) < width)
        return rd_fail(rd, TD_RD_SHORT, width, 0, 0);
    n = rd_peek_be(rd, width);
    /* RFC 8446 6: out-of-range length, or beyond the message boundary */
    if (n < min || n > max)
        return rd_fail(rd, TD_RD_LEN_RANGE, n, min, max);
    if (td_rd_left(rd) - width < n) {
        rd_fail(rd, TD_RD_LEN_OVERRUN, n, 0, 0);
        rd_last.left -= width; /* what follows the length prefix */
        return TD_ALERT_DECODE_ERROR;
    }
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
    if (td_rd_left(rd) != 0)
        return rd_fail(rd, TD_RD_TRAILING, 0, 0, 0);
    return TD_OK;
}
