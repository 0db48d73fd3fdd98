/*
 * ec_point_formats: RFC 8422 5.1.2 and 5.2 (RFC 4492 5.1.2).
 *
 *     enum {
 *         uncompressed (0),
 *         deprecated (1..2),
 *         reserved (248..255)
 *     } ECPointFormat;
 *     struct {
 *         ECPointFormat ec_point_format_list<1..2^8-1>
 *     } ECPointFormatList;
 *
 * The same list in the ClientHello (RFC 8422 5.1) and in the TLS 1.2
 * ServerHello (RFC 8422 5.2: "The server's Supported Point Formats
 * Extension has the same structure as the client's"). TLS 1.3 has no
 * point formats (the RFC 8446 4.2 table does not list it): a TLS 1.3
 * message other than the ClientHello, which offers both versions, is not
 * a form.
 *
 * The list must contain uncompressed(0), in both directions:
 *   RFC 8422 5.1: "If the Supported Point Formats Extension is indeed
 *   sent, it MUST contain the value 0 (uncompressed) as one of the items
 *   in the list of point formats."
 *   RFC 8422 5.2: "The Supported Point Formats Extension, when used, MUST
 *   contain the value 0 (uncompressed) as one of the items in the list of
 *   point formats."
 *   RFC 8422 5.1.2: "If the client sends the extension and the extension
 *   does not contain the uncompressed point format, and the client has
 *   used the Supported Groups extension to indicate support for any of
 *   the curves defined in this specification, then the server MUST abort
 *   the handshake and return an illegal_parameter alert."
 * The alert is illegal_parameter. The condition on supported_groups in
 * 5.1.2 spans two extensions; the codec applies the sender's MUST of 5.1
 * and 5.2, which holds without it, so a list without 0 is rejected
 * whatever groups were offered (a client without ECC curves has no reason
 * to send the extension at all). The server's list gets the same alert.
 *
 * The encoder writes the list as it is, one without uncompressed(0) or
 * an empty one too, so that a test can send it.
 */
#include "../td_codec_impl.h"

enum { ECPF_UNCOMPRESSED = 0 };

td_err td_ext_ec_point_formats_decode(td_span data, td_ext_ctx ctx,
                                      td_ext_ec_point_formats *out)
{
    td_ext_ec_point_formats v;

    TRY(td_ext_form_check(TD_EXT_EC_POINT_FORMATS, ctx));
    /* RFC 8422 5.1.2: ECPointFormat ec_point_format_list<1..2^8-1> */
    TRY(td_codec_vec_decode(data, 1, 1, 0xff, 1, &v.ec_point_format_list));
    /* RFC 8422 5.1, 5.2: MUST contain uncompressed(0); 5.1.2:
     * illegal_parameter */
    ENSURE(td_codec_u8_list_has(v.ec_point_format_list, ECPF_UNCOMPRESSED),
           TD_ALERT_ILLEGAL_PARAMETER);
    *out = v;
    return TD_OK;
}

td_err td_ext_ec_point_formats_encode(td_wr *wr, td_ext_ctx ctx,
                                      const td_ext_ec_point_formats *in)
{
    TRY(td_ext_encode_check(TD_EXT_EC_POINT_FORMATS, ctx));
    return td_codec_vec_write(wr, 1, in->ec_point_format_list);
}
