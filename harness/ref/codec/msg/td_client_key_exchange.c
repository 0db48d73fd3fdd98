/*
 * ClientKeyExchange: RFC 5246 7.4.7, 7.4.7.1; RFC 8422 5.7. The select
 * of RFC 5246 7.4.7 with the case RFC 8422 5.7 adds (the DH cases are not
 * supported):
 *
 *     struct {
 *         select (KeyExchangeAlgorithm) {
 *             case rsa:
 *                 EncryptedPreMasterSecret;
 *             case ec_diffie_hellman:
 *                 ClientECDiffieHellmanPublic;
 *         } exchange_keys;
 *     } ClientKeyExchange;
 *
 * RSA (RFC 5246 7.4.7.1):
 *
 *     struct {
 *         public-key-encrypted PreMasterSecret pre_master_secret;
 *     } EncryptedPreMasterSecret;
 *
 * "Public-key-encrypted data is represented as an opaque vector
 * <0..2^16-1> (see Section 4.7). Thus, the RSA-encrypted PreMasterSecret
 * in a ClientKeyExchange is preceded by two length bytes." ... "This
 * specification requires correct encoding of the EncryptedPreMasterSecret
 * complete with length bytes." The SSLv3 form without them is therefore a
 * length error (decode_error) in TLS 1.0 and later.
 *
 * ECDHE (RFC 8422 5.7, RFC 4492 5.7):
 *
 *     struct {
 *         opaque point <1..2^8-1>;
 *     } ECPoint;
 *
 *     ECPoint ecdh_Yc;   the client's ephemeral ECDH public key
 *
 * The empty ("implicit") ClientECDiffieHellmanPublic of RFC 4492 5.7
 * belongs to fixed-ECDH client certificates, which tlsdiff does not
 * negotiate, so an empty body is truncation here.
 *
 * Whether the point is on the curve, or the premaster decrypts, is not
 * the codec's business.
 *
 * The encoder writes exchange_keys as given (an empty ECPoint too); only
 * a length its prefix cannot express, or a kx with no form, fails
 * (TD_ERR_INTERNAL).
 */
#include "../td_codec_impl.h"
#include "td_msg.h"

td_err td_client_key_exchange_decode(td_span body, td_kx kx,
                                     td_client_key_exchange *out)
{
    td_rd r, v;
    td_client_key_exchange c;

    td_rd_init_span(&r, body);
    c.kx = kx;
    switch (kx) {
    case TD_KX_ECDHE:
        /* RFC 8422 5.4/5.7: ECPoint.point <1..2^8-1> */
        TRY(td_rd_vec8(&r, 1, 0xff, &v));
        break;
    case TD_KX_RSA:
        /* RFC 5246 7.4.7.1, 4.7: opaque <0..2^16-1>, length bytes
         * required */
        TRY(td_rd_vec16(&r, 0, 0xffff, &v));
        break;
    default:
        return TD_ERR_INTERNAL;
    }
    td_rd_rest(&v, &c.exchange_keys);
    TRY(td_rd_done(&r));
    *out = c;
    return TD_OK;
}

td_err td_client_key_exchange_encode(td_wr *wr,
                                     const td_client_key_exchange *in)
{
    switch (in->kx) {
    case TD_KX_ECDHE: /* RFC 8422 5.7: point <1..2^8-1> */
        return td_codec_vec_write(wr, 1, in->exchange_keys);
    case TD_KX_RSA: /* RFC 5246 7.4.7.1: <0..2^16-1> */
        return td_codec_vec_write(wr, 2, in->exchange_keys);
    default:
        return TD_ERR_INTERNAL;
    }
}
