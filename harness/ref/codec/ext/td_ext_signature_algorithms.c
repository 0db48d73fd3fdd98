/*
 * signature_algorithms and signature_algorithms_cert: RFC 8446 4.2.3
 * (RFC 5246 7.4.1.4.1 for TLS 1.2).
 *
 *     struct {
 *         SignatureScheme supported_signature_algorithms<2..2^16-2>;
 *     } SignatureSchemeList;
 *
 * SignatureScheme is a uint16, so the list body has an even length. Both
 * extensions carry a SignatureSchemeList, in the ClientHello and in the
 * TLS 1.3 CertificateRequest (RFC 8446 4.2 table: CH, CR; the TLS 1.2
 * CertificateRequest has no extensions). In TLS 1.2, "Servers MUST NOT
 * send this extension" (RFC 5246 7.4.1.4.1): the ServerHello is not a
 * form either. Unknown schemes are kept: which ones to use is
 * negotiation, not syntax. The encoder writes the list as it is, an odd,
 * empty or 2^16-1 byte one too.
 */
#include "../td_codec_impl.h"

/* One codec for both types: their rows of the RFC 8446 4.2 table are the
 * same (CH, CR), so either one's row answers for the form check. */

td_err td_ext_signature_algorithms_decode(td_span data, td_ext_ctx ctx,
                                          td_ext_signature_algorithms *out)
{
    td_ext_signature_algorithms v;

    TRY(td_ext_form_check(TD_EXT_SIGNATURE_ALGORITHMS, ctx));
    /* RFC 8446 4.2.3: supported_signature_algorithms<2..2^16-2>, whole
     * uint16s (RFC 8446 3.4; RFC 8446 6: decode_error) */
    TRY(td_codec_vec_decode(data, 2, 2, 0xfffe, 2,
                          &v.supported_signature_algorithms));
    *out = v;
    return TD_OK;
}

td_err td_ext_signature_algorithms_encode(td_wr *wr, td_ext_ctx ctx,
                                          const td_ext_signature_algorithms *in)
{
    TRY(td_ext_encode_check(TD_EXT_SIGNATURE_ALGORITHMS, ctx));
    return td_codec_vec_write(wr, 2, in->supported_signature_algorithms);
}
