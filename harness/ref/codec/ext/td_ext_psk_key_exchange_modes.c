/*
 * psk_key_exchange_modes: RFC 8446 4.2.9.
 *
 *     enum { psk_ke(0), psk_dhe_ke(1), (255) } PskKeyExchangeMode;
 *
 *     struct {
 *         PskKeyExchangeMode ke_modes<1..255>;
 *     } PskKeyExchangeModes;
 *
 * Only the ClientHello carries it: "The server MUST NOT send a
 * "psk_key_exchange_modes" extension." (RFC 8446 4.2.9). Mode values are
 * not judged here: a server only selects among the modes it knows, and
 * whether a mode it knows was offered is the handshake layer's question.
 *
 * The encoder writes ke_modes as it is, an empty or overlong list too
 * (up to the 255 bytes its 1-byte length can say).
 */
#include "../td_codec_impl.h"

/* Where it may appear is the RFC 8446 4.2 table: CH only. */

td_err td_ext_psk_key_exchange_modes_decode(td_span data, td_ext_ctx ctx,
                                            td_ext_psk_key_exchange_modes *out)
{
    td_ext_psk_key_exchange_modes pkm;

    TRY(td_ext_form_check(TD_EXT_PSK_KEY_EXCHANGE_MODES, ctx));
    /* RFC 8446 4.2.9: ke_modes<1..255>; out of range is decode_error
     * (RFC 8446 6) */
    TRY(td_codec_vec_decode(data, 1, 1, 255, 1, &pkm.ke_modes));
    *out = pkm;
    return TD_OK;
}

td_err td_ext_psk_key_exchange_modes_encode(td_wr *wr, td_ext_ctx ctx,
                                            const td_ext_psk_key_exchange_modes *in)
{
    TRY(td_ext_encode_check(TD_EXT_PSK_KEY_EXCHANGE_MODES, ctx));
    return td_codec_vec_write(wr, 1, in->ke_modes);
}
