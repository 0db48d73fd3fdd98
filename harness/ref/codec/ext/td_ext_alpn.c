/*
 * application_layer_protocol_negotiation: RFC 7301 3.1.
 *
 *     opaque ProtocolName<1..2^8-1>;
 *
 *     struct {
 *         ProtocolName protocol_name_list<2..2^16-1>
 *     } ProtocolNameList;
 *
 * The ClientHello carries the client's list. The server answers in the TLS
 * 1.2 ServerHello or the TLS 1.3 EncryptedExtensions (RFC 8446 4.2 table:
 * CH, EE) with the same structure, "except that the "ProtocolNameList"
 * MUST contain exactly one "ProtocolName"" (RFC 7301 3.1).
 *
 * RFC 7301 3.1: "Empty strings MUST NOT be included and byte strings MUST
 * NOT be truncated." Both are vector bounds of ProtocolName<1..2^8-1>, so
 * both are decode_error (RFC 8446 6).
 *
 * A server list of two or more names: RFC 7301 names no alert. The server
 * form is a list of exactly one element, so a longer one does not have the
 * form's length ("the length of the message was incorrect", RFC 8446 6):
 * decode_error. It is not a value that could be right in some other
 * connection, which is what illegal_parameter would say.
 *
 * The encoder writes protocol_name_list as it is (a server list of two
 * names, an empty name), so that a test can send it; `count` is an
 * output of decode only.
 */
#include "../td_codec_impl.h"

#include <string.h>

td_err td_ext_alpn_decode(td_span data, td_ext_ctx ctx, td_ext_alpn *out)
{
    td_ext_alpn v;

    TRY(td_ext_form_check(TD_EXT_ALPN, ctx));
    memset(&v, 0, sizeof v);
    /* RFC 7301 3.1: protocol_name_list<2..2^16-1> */
    TRY(td_codec_vec_decode(data, 2, 2, 0xffff, 1, &v.protocol_name_list));
    /* RFC 7301 3.1: ProtocolName<1..2^8-1>, "Empty strings MUST NOT be
     * included and byte strings MUST NOT be truncated." */
    TRY(td_codec_vec_count(v.protocol_name_list, 1, 1, 0xff, &v.count));
    /* RFC 7301 3.1: the server's "ProtocolNameList" "MUST contain exactly
     * one "ProtocolName"" (decode_error: see the top comment). The server
     * forms are the TLS 1.2 ServerHello and EncryptedExtensions. */
    ENSURE(ctx == TD_EXT_CTX_CLIENT_HELLO || v.count == 1,
           TD_ALERT_DECODE_ERROR);
    *out = v;
    return TD_OK;
}

td_err td_ext_alpn_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_alpn *in)
{
    TRY(td_ext_encode_check(TD_EXT_ALPN, ctx));
    return td_codec_vec_write(wr, 2, in->protocol_name_list);
}
