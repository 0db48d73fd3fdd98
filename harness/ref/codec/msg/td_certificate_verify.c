/*
 * CertificateVerify: RFC 8446 4.4.3; RFC 5246 7.4.8 and 4.7.
 *
 * TLS 1.3 (RFC 8446 4.4.3):
 *
 *     struct {
 *         SignatureScheme algorithm;
 *         opaque signature<0..2^16-1>;
 *     } CertificateVerify;
 *
 * TLS 1.2 (RFC 5246 7.4.8):
 *
 *     struct {
 *          digitally-signed struct {
 *              opaque handshake_messages[handshake_messages_length];
 *          }
 *     } CertificateVerify;
 *
 * where a digitally-signed element is (RFC 5246 4.7) "encoded as a
 * struct DigitallySigned":
 *
 *     struct {
 *        SignatureAndHashAlgorithm algorithm;
 *        opaque signature<0..2^16-1>;
 *     } DigitallySigned;
 *
 * "The contents themselves do not appear on the wire", so both versions
 * put the same bytes on the wire: a uint16 (SignatureScheme, or
 * SignatureAndHashAlgorithm's hash and signature bytes, read as one
 * SignatureScheme) and the signature. Whether the algorithm was offered
 * (RFC 8446 4.4.3, RFC 5246 7.4.8: "MUST be one of those present in the
 * supported_signature_algorithms") and whether the signature verifies
 * (decrypt_error) need the connection: the handshake layer checks them.
 *
 * The encoder writes the struct as given; only a signature longer than
 * its 2-byte length can say fails (TD_ERR_INTERNAL).
 */
#include "../td_codec_impl.h"
#include "td_msg.h"

td_err td_certificate_verify_decode(td_span body, td_certificate_verify *out)
{
    td_rd r;
    td_certificate_verify cv;

    td_rd_init_span(&r, body);
    TRY(td_rd_u16(&r, &cv.algorithm));
    /* RFC 8446 4.4.3, RFC 5246 4.7: signature<0..2^16-1> */
    TRY(td_codec_vec_read(&r, 2, 0, 0xffff, 1, &cv.signature));
    TRY(td_rd_done(&r));
    *out = cv;
    return TD_OK;
}

td_err td_certificate_verify_encode(td_wr *wr, const td_certificate_verify *in)
{
    td_wr w = *wr;

    TRY(td_wr_u16(&w, in->algorithm));
    TRY(td_codec_vec_write(&w, 2, in->signature));
    *wr = w;
    return TD_OK;
}
