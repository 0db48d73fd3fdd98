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
 * The encoder writes the cookie as it is, an empty one too.
 */
#include "../td_codec_impl.h"

td_err td_ext_cookie_decode(td_span data, td_ext_ctx ctx, td_ext_cookie *out)
{
    td_ext_cookie c;

    TRY(td_ext_form_check(TD_EXT_COOKIE, ctx));
    /* RFC 8446 4.2.2: cookie<1..2^16-1>; RFC 8446 6: decode_error */
    TRY(td_codec_vec_decode(data, 2, 1, 0xffff, 1, &c.cookie));
    *out = c;
    return TD_OK;
}

td_err td_ext_cookie_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_cookie *in)
{
    TRY(td_ext_encode_check(TD_EXT_COOKIE, ctx));
    return td_codec_vec_write(wr, 2, in->cookie);
}
