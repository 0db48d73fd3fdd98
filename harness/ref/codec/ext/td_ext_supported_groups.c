/*
 * supported_groups: RFC 8446 4.2.7, RFC 8422 5.1.1, RFC 7919.
 *
 *     struct {
 *         NamedGroup named_group_list<2..2^16-1>;
 *     } NamedGroupList;
 *
 * NamedGroup is a uint16, so the list body has an even length. Unknown
 * groups are not an error: "Servers MUST ignore any unknown groups" is a
 * rule of negotiation, not of syntax, so the codec keeps every value.
 *
 * Forms: the same list in the ClientHello and in the TLS 1.3
 * EncryptedExtensions (RFC 8446 4.2 table: CH, EE). "As of TLS 1.3,
 * servers are permitted to send the "supported_groups" extension to the
 * client" (RFC 8446 4.2.7): in TLS 1.2 it is a client-only extension (RFC
 * 8422 5.1 defines it for the ClientHello, 5.2 answers with
 * ec_point_formats alone), so a TLS 1.2 ServerHello carrying it is
 * illegal_parameter like any message the extension has no form in.
 *
 * The encoder writes the list as it is, an odd or empty one too.
 */
#include "../td_codec_impl.h"

td_err td_ext_supported_groups_decode(td_span data, td_ext_ctx ctx,
                                      td_ext_supported_groups *out)
{
    td_ext_supported_groups v;

    TRY(td_ext_form_check(TD_EXT_SUPPORTED_GROUPS, ctx));
    /* RFC 8446 4.2.7: NamedGroup named_group_list<2..2^16-1>; a vector of
     * uint16 holds whole elements (RFC 8446 3.4), so an odd length cannot
     * be decoded (RFC 8446 6: decode_error) */
    TRY(td_codec_vec_decode(data, 2, 2, 0xffff, 2, &v.named_group_list));
    *out = v;
    return TD_OK;
}

td_err td_ext_supported_groups_encode(td_wr *wr, td_ext_ctx ctx,
                                      const td_ext_supported_groups *in)
{
    TRY(td_ext_encode_check(TD_EXT_SUPPORTED_GROUPS, ctx));
    return td_codec_vec_write(wr, 2, in->named_group_list);
}
