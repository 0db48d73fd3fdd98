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

/* ------------------------------------------------------------------------
 * DER elements (X.690 8.1.1: identifier, length, contents)
 * ------------------------------------------------------------------------ */

td_err td_wr_open_der(td_wr *wr, uint8_t tag, td_wr_mark *m)
{
    size_t start = wr->len;

    ENSURE(wr->cap - wr->len >= 2, TD_ERR_NOSPACE);
    wr->buf[start] = tag;
    wr->buf[start + 1] = 0; /* placeholder: the short form's one octet */
    wr->len += 2;
    wr->open++;
    m->start = start + 1; /* the length octet */
    m->width = 0;         /* 0: a DER block (td_wr_close refuses it) */
    return TD_OK;
}

/* Octets after the first needed for a content length: 0 for the short
 * form, else n for 0x80|n (X.690 8.1.3.5). Over 4: 5. */
static unsigned der_len_extra(size_t body)
{
    unsigned n = 0;

    if (body < 0x80)
        return 0;
    while (n < 5 && body >> (8 * n) != 0)
        n++;
    return n;
}

/* Marks of blocks closed inside this one move with its contents. */
static void wr_log_shift(td_wr_log *log, size_t after, size_t by)
{
    size_t i, n = log->n < TD_WR_LOG_MAX ? log->n : TD_WR_LOG_MAX;

    for (i = 0; i < n; i++)
        if (log->marks[i].start > after)
            log->marks[i].start += by;
}

td_err td_wr_close_der(td_wr *wr, const td_wr_mark *m)
{
    size_t body;
    unsigned extra;
    td_wr_mark logged;

    ENSURE(wr->open > 0 && m->width == 0, TD_ERR_INTERNAL);
    ENSURE(m->start >= 1 && m->start < wr->len, TD_ERR_INTERNAL);
    body = wr->len - m->start - 1;
    extra = der_len_extra(body);
    /* X.690 8.1.3.5: at most 4 length octets here (lengths below 2^32) */
    ENSURE(extra <= 4, TD_ERR_NOSPACE);
    ENSURE(wr->cap - wr->len >= extra, TD_ERR_NOSPACE);
    if (extra) {
        memmove(wr->buf + m->start + 1 + extra, wr->buf + m->start + 1, body);
        wr->buf[m->start] = (uint8_t)(0x80u | extra);
        wr_put_be(wr->buf + m->start + 1, extra, (uint32_t)body);
        wr->len += extra;
        logged.start = m->start + 1;
        logged.width = extra;
    } else {
        wr->buf[m->start] = (uint8_t)body;
        logged.start = m->start;
        logged.width = 1;
    }
    wr->open--;
    if (wr->log) {
        if (extra)
            wr_log_shift(wr->log, m->start, extra);
        if (wr->log->n < TD_WR_LOG_MAX)
            wr->log->marks[wr->log->n] = logged;
        wr->log->n++;
    }
    return TD_OK;
}
