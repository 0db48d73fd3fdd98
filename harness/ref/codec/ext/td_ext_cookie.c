/*
 * cookie: RFC 8446 4.2.2.
 *
 *     struct {
 *         opaque cookie<1..2^16-1>;
 *     } Cookie;
 *
 * The server sends it in a HelloRetryRequest and the client copies it into
 * its second ClientHello. That the copy is exact (and that an initial
 * ClientHello carries none) is the handshake layer's check.
 *
 * The encoder checks its input with the decoder's rules and returns the
 * same error, so whatever it writes decodes again.
 */
#include "td_ext.h"

/* RFC 8446 4.2 table: cookie appears in CH and HRR. */
static td_err cookie_ctx_check(td_ext_ctx ctx)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
        return TD_OK;
    default:
        /* RFC 8446 4.2: an extension "not specified for the message in
         * which it appears" is illegal_parameter. */
        return TD_ALERT_ILLEGAL_PARAMETER;
    }
}

td_err td_ext_cookie_decode(td_span data, td_ext_ctx ctx, td_ext_cookie *out)
{
    td_ext_cookie c;
    td_rd r, body;

    TRY(cookie_ctx_check(ctx));
    td_rd_init_span(&r, data);
    /* RFC 8446 4.2.2: cookie<1..2^16-1>; RFC 8446 6: decode_error */
    TRY(td_rd_vec16(&r, 1, 0xffff, &body));
    td_rd_rest(&body, &c.cookie);
    TRY(td_rd_done(&r));
    *out = c;
    return TD_OK;
}

td_err td_ext_cookie_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_cookie *in)
{
    td_wr w = *wr;
    td_wr_mark m;

    TRY(cookie_ctx_check(ctx));
    /* RFC 8446 4.2.2: cookie<1..2^16-1> */
    ENSURE(in->cookie.len >= 1, TD_ALERT_DECODE_ERROR);
    TRY(td_wr_open16(&w, &m));
    TRY(td_wr_span(&w, in->cookie));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
