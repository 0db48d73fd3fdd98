/*
 * renegotiation_info: RFC 5746 3.2.
 *
 *     struct {
 *         opaque renegotiated_connection<0..255>;
 *     } RenegotiationInfo;
 *
 * The same structure in the ClientHello and in the TLS 1.2 ServerHello
 * (RFC 5746 3.2). TLS 1.3 forbids renegotiation and has no form of it
 * beyond the ClientHello, which offers TLS 1.2 as well (not in the RFC
 * 8446 4.2 table). Whether renegotiated_connection is empty or holds the
 * right verify_data (RFC 5746 3.4 to 3.7: handshake_failure) depends on
 * the connection and is not the codec's job. The encoder writes
 * renegotiated_connection as it is, up to the 255 bytes its length says.
 */
#include "../td_codec_impl.h"

td_err td_ext_renegotiation_info_decode(td_span data, td_ext_ctx ctx,
                                        td_ext_renegotiation_info *out)
{
    td_ext_renegotiation_info v;

    TRY(td_ext_form_check(TD_EXT_RENEGOTIATION_INFO, ctx));
    /* RFC 5746 3.2: opaque renegotiated_connection<0..255> */
    TRY(td_codec_vec_decode(data, 1, 0, 0xff, 1, &v.renegotiated_connection));
    *out = v;
    return TD_OK;
}

td_err td_ext_renegotiation_info_encode(td_wr *wr, td_ext_ctx ctx,
                                        const td_ext_renegotiation_info *in)
{
    TRY(td_ext_encode_check(TD_EXT_RENEGOTIATION_INFO, ctx));
    return td_codec_vec_write(wr, 1, in->renegotiated_connection);
}
