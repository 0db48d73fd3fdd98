/*
 * td_wr: writer into caller storage with back-filled length prefixes
 * (RFC 8446 3.4 vectors). Not sticky: every function checks first and
 * commits last, so a failure leaves the writer unchanged.
 */
#include "td_bytes.h"

#include <string.h>

void td_wr_init(td_wr *wr, uint8_t *buf, size_t cap)
{
    wr->buf = buf;
    wr->cap = buf ? cap : 0;
    wr->len = 0;
    wr->open = 0;
    wr->log = NULL;
}

void td_wr_set_log(td_wr *wr, td_wr_log *log)
{
    log->n = 0;
    wr->log = log;
}

size_t td_wr_len(const td_wr *wr)
{
    return wr->len;
}

static void wr_put_be(uint8_t *dst, unsigned width, uint32_t v)
{
    unsigned i;

    for (i = 0; i < width; i++)
        dst[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
}

static td_err wr_uint(td_wr *wr, unsigned width, uint32_t v)
{
    ENSURE(width == 4 || v < ((uint32_t)1 << (8 * width)), TD_ERR_INTERNAL);
    ENSURE(wr->cap - wr->len >= width, TD_ERR_NOSPACE);
    wr_put_be(wr->buf + wr->len, width, v);
    wr->len += width;
    return TD_OK;
}

td_err td_wr_u8(td_wr *wr, uint32_t v)
{
    return wr_uint(wr, 1, v);
}

td_err td_wr_u16(td_wr *wr, uint32_t v)
{
    return wr_uint(wr, 2, v);
}

td_err td_wr_u24(td_wr *wr, uint32_t v)
{
    return wr_uint(wr, 3, v);
}

td_err td_wr_u32(td_wr *wr, uint32_t v)
{
    return wr_uint(wr, 4, v);
}

td_err td_wr_bytes(td_wr *wr, const uint8_t *p, size_t n)
{
    ENSURE(p != NULL || n == 0, TD_ERR_INTERNAL);
    ENSURE(wr->cap - wr->len >= n, TD_ERR_NOSPACE);
    if (n)
        memmove(wr->buf + wr->len, p, n);
    wr->len += n;
    return TD_OK;
}

td_err td_wr_span(td_wr *wr, td_span s)
{
    return td_wr_bytes(wr, s.p, s.len);
}

static td_err wr_open(td_wr *wr, unsigned width, td_wr_mark *m)
{
    size_t start = wr->len;

    TRY(wr_uint(wr, width, 0));
    wr->open++;
    m->start = start;
    m->width = width;
    return TD_OK;
}

td_err td_wr_open8(td_wr *wr, td_wr_mark *m)
{
    return wr_open(wr, 1, m);
}

td_err td_wr_open16(td_wr *wr, td_wr_mark *m)
{
    return wr_open(wr, 2, m);
}

td_err td_wr_open24(td_wr *wr, td_wr_mark *m)
{
    return wr_open(wr, 3, m);
}

td_err td_wr_close(td_wr *wr, const td_wr_mark *m)
{
    size_t body;

    ENSURE(wr->open > 0, TD_ERR_INTERNAL);
    ENSURE(m->width >= 1 && m->width <= 3, TD_ERR_INTERNAL);
    ENSURE(m->start <= wr->len && wr->len - m->start >= m->width,
           TD_ERR_INTERNAL);
    body = wr->len - m->start - m->width;
    ENSURE(body < ((size_t)1 << (8 * m->width)), TD_ERR_NOSPACE);
    wr_put_be(wr->buf + m->start, m->width, (uint32_t)body);
    wr->open--;
    if (wr->log) {
        if (wr->log->n < TD_WR_LOG_MAX)
            wr->log->marks[wr->log->n] = *m;
        wr->log->n++;
    }
    return TD_OK;
}

td_err td_wr_finish(const td_wr *wr, td_span *out)
{
    ENSURE(wr->open == 0, TD_ERR_INTERNAL);
    out->p = wr->len ? wr->buf : NULL;
    out->len = wr->len;
    return TD_OK;
}
