/*
 * supported_versions: RFC 8446 4.2.1.
 *
 *     struct {
 *         select (Handshake.msg_type) {
 *             case client_hello:
 *                  ProtocolVersion versions<2..254>;
 *
 *             case server_hello: (and HelloRetryRequest)
 *                  ProtocolVersion selected_version;
 *         };
 *     } SupportedVersions;
 *
 * RFC 8446 4.2 table: CH, SH, HRR. A TLS 1.2 ServerHello is by definition
 * one without it ("A server which negotiates a version of TLS prior to
 * TLS 1.3 ... MUST NOT send the "supported_versions" extension", RFC 8446
 * 4.2.1), so that context has no form.
 *
 * The codec checks syntax only. Which versions may be selected ("contains
 * a version not offered by the client or contains a version prior to
 * TLS 1.3": illegal_parameter, RFC 8446 4.2.1) depends on what the client
 * offered and is checked where the ServerHello is processed. Unknown
 * versions in the client's list are kept: servers "MUST ignore any unknown
 * versions that are present in that extension" (RFC 8446 4.2.1).
 *
 * The encoder writes the field of the context's form as it is (an odd or
 * out-of-range versions list, any selected_version).
 */
#include "../td_codec_impl.h"

#include <string.h>

td_err td_ext_supported_versions_decode(td_span data, td_ext_ctx ctx,
                                        td_ext_supported_versions *out)
{
    td_ext_supported_versions v;
    td_rd r;

    TRY(td_ext_form_check(TD_EXT_SUPPORTED_VERSIONS, ctx));
    memset(&v, 0, sizeof v);
    td_rd_init_span(&r, data);
    if (ctx == TD_EXT_CTX_CLIENT_HELLO) {
        /* RFC 8446 4.2.1: ProtocolVersion versions<2..254>, whole uint16s
         * (RFC 8446 3.4; RFC 8446 6: decode_error) */
        TRY(td_codec_vec_read(&r, 1, 2, 254, 2, &v.versions));
    } else {
        /* SH, HRR. RFC 8446 4.2.1: ProtocolVersion selected_version */
        TRY(td_rd_u16(&r, &v.selected_version));
    }
    TRY(td_rd_done(&r));
    *out = v;
    return TD_OK;
}

td_err td_ext_supported_versions_encode(td_wr *wr, td_ext_ctx ctx,
                                        const td_ext_supported_versions *in)
{
    TRY(td_ext_encode_check(TD_EXT_SUPPORTED_VERSIONS, ctx));
    if (ctx == TD_EXT_CTX_CLIENT_HELLO)
        return td_codec_vec_write(wr, 1, in->versions);
    return td_wr_u16(wr, in->selected_version);
}
