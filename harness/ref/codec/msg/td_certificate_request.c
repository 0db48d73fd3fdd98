/*
 * CertificateRequest: RFC 8446 4.3.2 (TLS 1.3), RFC 5246 7.4.4 (TLS 1.2).
 *
 * RFC 8446 4.3.2:
 *
 *     struct {
 *         opaque certificate_request_context<0..2^8-1>;
 *         Extension extensions<2..2^16-1>;
 *     } CertificateRequest;
 *
 * RFC 5246 7.4.4:
 *
 *     enum {
 *         rsa_sign(1), dss_sign(2), rsa_fixed_dh(3), dss_fixed_dh(4),
 *         rsa_ephemeral_dh_RESERVED(5), dss_ephemeral_dh_RESERVED(6),
 *         fortezza_dms_RESERVED(20), (255)
 *     } ClientCertificateType;
 *
 *     opaque DistinguishedName<1..2^16-1>;
 *
 *     struct {
 *         ClientCertificateType certificate_types<1..2^8-1>;
 *         SignatureAndHashAlgorithm
 *           supported_signature_algorithms<2^16-1>;
 *         DistinguishedName certificate_authorities<0..2^16-1>;
 *     } CertificateRequest;
 *
 * RFC 5246 7.4.4 writes supported_signature_algorithms<2^16-1>, without a
 * floor; the same list in the signature_algorithms extension (RFC 5246
 * 7.4.1.4.1) is <2..2^16-2>, as in TLS 1.3 (RFC 8446 4.2.3). A
 * SignatureAndHashAlgorithm is two bytes, so the list is read as
 * <2..2^16-2> of even length.
 *
 * The certificate_request_context echo and its uniqueness (RFC 8446
 * 4.3.2) are the handshake layer's. ClientCertificateType and the
 * algorithms are kept as received: unknown values are the receiver's to
 * ignore.
 *
 * The encoders write the struct as given; only a length its prefix
 * cannot express fails (TD_ERR_INTERNAL).
 */
#include "../td_codec_impl.h"
#include "td_msg.h"

#include <string.h>

td_err td_certificate_request13_decode(td_span body, td_certificate_request13 *out)
{
    td_certificate_request13 cr;
    td_rd rd;
    td_span sig;

    td_rd_init_span(&rd, body);
    /* RFC 8446 4.3.2 certificate_request_context<0..2^8-1> */
    TRY(td_codec_vec_read(&rd, 1, 0, 0xff, 1, &cr.certificate_request_context));
    /* RFC 8446 4.3.2 Extension extensions<2..2^16-1>, checked against the
     * CR column of the RFC 8446 4.2 table */
    TRY(td_ext_block_decode(&rd, TD_EXT_CTX_CERTIFICATE_REQUEST, 2, &cr.extensions));
    /* RFC 8446 6: bytes after the block are a decode_error */
    TRY(td_rd_done(&rd));
    /* RFC 8446 4.3.2: "The "signature_algorithms" extension MUST be
     * specified"; 9.2: it "is REQUIRED for certificate authentication";
     * 6.2 missing_extension: "a handshake message not containing an
     * extension that is mandatory to send". */
    ENSURE(td_ext_find(cr.extensions, TD_EXT_SIGNATURE_ALGORITHMS, &sig),
           TD_ALERT_MISSING_EXTENSION);
    *out = cr;
    return TD_OK;
}

td_err td_certificate_request13_encode(td_wr *wr, const td_certificate_request13 *in)
{
    td_wr w = *wr;

    TRY(td_codec_vec_write(&w, 1, in->certificate_request_context));
    TRY(td_codec_vec_write(&w, 2, in->extensions));
    *wr = w;
    return TD_OK;
}

td_err td_certificate_request12_decode(td_span body, td_certificate_request12 *out)
{
    td_certificate_request12 cr;
    td_rd rd;
    size_t names;

    td_rd_init_span(&rd, body);
    /* RFC 5246 7.4.4 ClientCertificateType certificate_types<1..2^8-1> */
    TRY(td_codec_vec_read(&rd, 1, 1, 0xff, 1, &cr.certificate_types));
    /* RFC 5246 7.4.1.4.1 supported_signature_algorithms<2..2^16-2> (see
     * the top of the file); an odd length cannot hold two-byte entries:
     * decode_error (RFC 5246 7.2.2) */
    TRY(td_codec_vec_read(&rd, 2, 2, 0xfffe, 2, &cr.supported_signature_algorithms));
    /* RFC 5246 7.4.4 DistinguishedName certificate_authorities
     * <0..2^16-1>, each DistinguishedName<1..2^16-1> */
    TRY(td_codec_vec_read(&rd, 2, 0, 0xffff, 1, &cr.certificate_authorities));
    /* RFC 5246 7.2.2 decode_error: bytes after the message */
    TRY(td_rd_done(&rd));
    /* RFC 5246 7.4.4: DistinguishedName<1..2^16-1> (decode_error) */
    TRY(td_codec_vec_count(cr.certificate_authorities, 2, 1, 0xffff, &names));
    *out = cr;
    return TD_OK;
}

td_err td_certificate_request12_encode(td_wr *wr, const td_certificate_request12 *in)
{
    td_wr w = *wr;

    TRY(td_codec_vec_write(&w, 1, in->certificate_types));
    TRY(td_codec_vec_write(&w, 2, in->supported_signature_algorithms));
    TRY(td_codec_vec_write(&w, 2, in->certificate_authorities));
    *wr = w;
    return TD_OK;
}
