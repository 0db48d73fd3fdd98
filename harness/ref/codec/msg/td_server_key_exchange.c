/*
 * ServerKeyExchange for ECDHE: RFC 8422 5.4, RFC 5246 7.4.3 and 4.7.
 *
 *     enum {
 *         deprecated (1..2),
 *         named_curve (3),
 *         reserved(248..255)
 *     } ECCurveType;
 *
 *     struct {
 *         opaque point <1..2^8-1>;
 *     } ECPoint;
 *
 *     struct {
 *         ECCurveType    curve_type;
 *         select (curve_type) {
 *             case named_curve:
 *                 NamedCurve namedcurve;
 *         };
 *     } ECParameters;
 *
 *     struct {
 *         ECParameters    curve_params;
 *         ECPoint         public;
 *     } ServerECDHParams;
 *
 *     select (KeyExchangeAlgorithm) {
 *         case ec_diffie_hellman:
 *             ServerECDHParams    params;
 *             Signature           signed_params;
 *     } ServerKeyExchange;
 *
 * signed_params is a digitally-signed element. TLS 1.2 (RFC 5246 4.7):
 *
 *     struct {
 *        SignatureAndHashAlgorithm algorithm;
 *        opaque signature<0..2^16-1>;
 *     } DigitallySigned;
 *
 * TLS 1.0 and 1.1 (RFC 4346 4.7) have no algorithm field: the signature
 * alone, as an opaque vector <0..2^16-1>. The caller says which form
 * applies (with_algorithm), since the body does not.
 *
 * curve_type: RFC 8422 5.4 deprecates explicit_prime(1) and
 * explicit_char2(2): named_curve "is now the only remaining format", and
 * RFC 8422 5.1.1 deprecates the arbitrary_explicit_*_curves groups
 * (0xFF01..0xFF02) a client would have needed to offer them. Any other
 * curve_type is therefore a field "out of range or inconsistent with other
 * fields" (RFC 5246 7.2.2; RFC 8446 6.2: "incorrect or inconsistent"):
 * illegal_parameter. handshake_failure was the alternative (RFC 8422 5.4,
 * "Actions of the receiver": a possible reason for a fatal handshake
 * failure is that the client's capabilities for handling elliptic curves
 * are exceeded), but RFC 5246 7.2.2 gives handshake_failure to a sender
 * that could not negotiate acceptable parameters, while here the server
 * picked a format the protocol no longer has. OpenSSL (SSL_R_WRONG_CURVE)
 * sends illegal_parameter for this too. The check comes before the rest
 * of ECParameters because the select has no arm for those values: the
 * bytes after curve_type have no defined structure.
 *
 * ECDH_anon (no signed_params at all) is not supported: tlsdiff offers no
 * anonymous suites. Whether namedcurve was offered, the point's encoding
 * and the signature are checked by the handshake layer.
 *
 * The encoder writes the struct as given, in the named_curve layout
 * whatever curve_type says, and an empty point too, so that a test can
 * send them; only a length its prefix cannot express fails
 * (TD_ERR_INTERNAL). `params` is derived on decode and not read.
 */
#include "../td_codec_impl.h"
#include "td_msg.h"

td_err td_server_key_exchange_decode(td_span body, int with_algorithm,
                                     td_server_key_exchange *out)
{
    td_rd r, start;
    td_server_key_exchange k = {0};
    size_t params_len;

    ENSURE(with_algorithm == 0 || with_algorithm == 1, TD_ERR_INTERNAL);
    td_rd_init_span(&r, body);
    start = r;
    TRY(td_rd_u8(&r, &k.curve_type));
    /* RFC 8422 5.4: named_curve is the only remaining format (see the
     * comment at the top for the alert). */
    ENSURE(k.curve_type == TD_EC_CURVE_TYPE_NAMED_CURVE,
           TD_ALERT_ILLEGAL_PARAMETER);
    TRY(td_rd_u16(&r, &k.namedcurve));
    /* RFC 8422 5.4: opaque point <1..2^8-1> */
    TRY(td_codec_vec_read(&r, 1, 1, 0xff, 1, &k.point));
    /* params: the ServerECDHParams bytes, read again from the start */
    params_len = td_rd_left(&start) - td_rd_left(&r);
    TRY(td_rd_span(&start, params_len, &k.params));

    k.has_algorithm = with_algorithm;
    if (with_algorithm)
        TRY(td_rd_u16(&r, &k.algorithm)); /* RFC 5246 4.7 */
    /* RFC 5246 4.7, RFC 8422 5.4: signature<0..2^16-1> */
    TRY(td_codec_vec_read(&r, 2, 0, 0xffff, 1, &k.signature));
    TRY(td_rd_done(&r));
    *out = k;
    return TD_OK;
}

td_err td_server_key_exchange_encode(td_wr *wr,
                                     const td_server_key_exchange *in)
{
    td_wr w = *wr;

    TRY(td_wr_u8(&w, in->curve_type));
    TRY(td_wr_u16(&w, in->namedcurve));
    TRY(td_codec_vec_write(&w, 1, in->point)); /* RFC 8422 5.4 */
    if (in->has_algorithm)
        TRY(td_wr_u16(&w, in->algorithm)); /* RFC 5246 4.7 */
    TRY(td_codec_vec_write(&w, 2, in->signature));
    *wr = w;
    return TD_OK;
}
