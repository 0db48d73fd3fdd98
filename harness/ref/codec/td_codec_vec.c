/*
 * Length-prefixed vectors (RFC 8446 3.4, RFC 5246 4.3):
 *
 *     T list<floor..ceiling>;
 *
 * "The length will be in the form of a number consuming as many bytes as
 * required to hold the vector's specified maximum (ceiling) length"; "In
 * either case, the length declares the number of bytes, not the number
 * of elements, in the vector" (RFC 8446 3.4).
 *
 * Reading: a length outside <floor..ceiling>, beyond the bytes present,
 * or not a whole number of elements is decode_error (RFC 8446 6: "a
 * message could not be decoded because some field was out of the
 * specified range or the length of the message was incorrect").
 *
 * Writing: any length the prefix can hold is written, so that a test can
 * put an out-of-range length on the wire; the decoders check the RFC's
 * bounds. A length the prefix cannot hold has no wire form at all: that
 * is the one failure (TD_ERR_INTERNAL).
 */
#include "td_codec_impl.h"

td_err td_codec_vec_read(td_rd *r, unsigned width, size_t min, size_t max, size_t elem,
                         td_span *body)
{
    td_rd t = *r, v;
    td_span s;

    ENSURE(elem >= 1, TD_ERR_INTERNAL);
    switch (width) {
    case 1:
        TRY(td_rd_vec8(&t, min, max, &v));
        break;
    case 2:
        TRY(td_rd_vec16(&t, min, max, &v));
        break;
    case 3:
        TRY(td_rd_vec24(&t, min, max, &v));
        break;
    default:
        return TD_ERR_INTERNAL;
    }
    td_rd_rest(&v, &s);
    /* whole elements (RFC 8446 3.4; RFC 8446 6: decode_error) */
    ENSURE(s.len % elem == 0, TD_ALERT_DECODE_ERROR);
    *body = s;
    *r = t;
    return TD_OK;
}

td_err td_codec_vec_decode(td_span data, unsigned width, size_t min, size_t max, size_t elem,
                           td_span *body)
{
    td_rd r;
    td_span s;

    td_rd_init_span(&r, data);
    TRY(td_codec_vec_read(&r, width, min, max, elem, &s));
    /* the field holds the list and nothing else (RFC 8446 6) */
    TRY(td_rd_done(&r));
    *body = s;
    return TD_OK;
}

td_err td_codec_vec_next(td_rd *list, unsigned width, size_t min, size_t max, td_span *elem,
                         int *got)
{
    td_rd r = *list;
    td_span s;

    if (td_rd_left(&r) == 0) {
        *got = 0;
        return TD_OK;
    }
    TRY(td_codec_vec_read(&r, width, min, max, 1, &s));
    *elem = s;
    *got = 1;
    *list = r;
    return TD_OK;
}

td_err td_codec_vec_count(td_span list, unsigned width, size_t min, size_t max, size_t *count)
{
    td_rd r;
    td_span e;
    size_t n = 0;
    int got;

    td_rd_init_span(&r, list);
    for (;;) {
        TRY(td_codec_vec_next(&r, width, min, max, &e, &got));
        if (!got)
            break;
        n++;
    }
    *count = n;
    return TD_OK;
}

int td_codec_u8_list_has(td_span list, uint8_t v)
{
    td_rd r;
    uint8_t b;

    td_rd_init_span(&r, list);
    while (td_rd_u8(&r, &b) == TD_OK)
        if (b == v)
            return 1;
    return 0;
}

td_err td_codec_vec_write(td_wr *wr, unsigned width, td_span body)
{
    td_wr w = *wr;
    td_wr_mark m;

    ENSURE(width >= 1 && width <= 3, TD_ERR_INTERNAL);
    ENSURE(body.len < ((size_t)1 << (8 * width)), TD_ERR_INTERNAL);
    switch (width) {
    case 1:
        TRY(td_wr_open8(&w, &m));
        break;
    case 2:
        TRY(td_wr_open16(&w, &m));
        break;
    default:
        TRY(td_wr_open24(&w, &m));
        break;
    }
    TRY(td_wr_span(&w, body));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
