/*
 * certificate_authorities: RFC 8446 4.2.4.
 *
 *     opaque DistinguishedName<1..2^16-1>;
 *
 *     struct {
 *         DistinguishedName authorities<3..2^16-1>;
 *     } CertificateAuthoritiesExtension;
 *
 * The names are DER (RFC 8446 4.2.4: "represented in DER-encoded [X690]
 * format"); they are kept as bytes and their DER is not parsed here: a
 * name the receiver cannot use only fails to guide certificate selection.
 * td_distinguished_name_next also walks the TLS 1.2 CertificateRequest's
 * certificate_authorities<0..2^16-1> (RFC 5246 7.4.4), whose
 * DistinguishedName has the same <1..2^16-1> bounds.
 *
 * The encoder writes the authorities body as it is; `count` is an output
 * of decode only.
 */
#include "../td_codec_impl.h"

td_err td_distinguished_name_next(td_rd *list, td_span *dn, int *got)
{
    /* RFC 8446 4.2.4, RFC 5246 7.4.4: DistinguishedName<1..2^16-1>;
     * RFC 8446 6: decode_error */
    return td_codec_vec_next(list, 2, 1, 0xffff, dn, got);
}

td_err td_ext_certificate_authorities_decode(td_span data, td_ext_ctx ctx,
                                             td_ext_certificate_authorities *out)
{
    td_ext_certificate_authorities ca;

    TRY(td_ext_form_check(TD_EXT_CERTIFICATE_AUTHORITIES, ctx));
    /* RFC 8446 4.2.4: authorities<3..2^16-1>, each DistinguishedName
     * <1..2^16-1>; RFC 8446 6: decode_error */
    TRY(td_codec_vec_decode(data, 2, 3, 0xffff, 1, &ca.authorities));
    TRY(td_codec_vec_count(ca.authorities, 2, 1, 0xffff, &ca.count));
    *out = ca;
    return TD_OK;
}

td_err td_ext_certificate_authorities_encode(td_wr *wr, td_ext_ctx ctx,
                                             const td_ext_certificate_authorities *in)
{
    TRY(td_ext_encode_check(TD_EXT_CERTIFICATE_AUTHORITIES, ctx));
    return td_codec_vec_write(wr, 2, in->authorities);
}
