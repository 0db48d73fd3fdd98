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
 * The encoder checks its input with the decoder's rules and returns the
 * same error, so whatever it writes decodes again.
 */
#include "td_ext.h"

/* RFC 8446 4.2 table: CH only. */
static td_err pkm_ctx_check(td_ext_ctx ctx)
{
    /* RFC 8446 4.2: an extension "not specified for the message in which
     * it appears" is illegal_parameter. */
    ENSURE(ctx == TD_EXT_CTX_CLIENT_HELLO, TD_ALERT_ILLEGAL_PARAMETER);
    return TD_OK;
}

td_err td_ext_psk_key_exchange_modes_decode(td_span data, td_ext_ctx ctx,
                                            td_ext_psk_key_exchange_modes *out)
{
    td_ext_psk_key_exchange_modes pkm;
    td_rd r, modes;

    TRY(pkm_ctx_check(ctx));
    td_rd_init_span(&r, data);
    /* RFC 8446 4.2.9: ke_modes<1..255>; out of range is decode_error
     * (RFC 8446 6) */
    TRY(td_rd_vec8(&r, 1, 255, &modes));
    td_rd_rest(&modes, &pkm.ke_modes);
    TRY(td_rd_done(&r));
    *out = pkm;
    return TD_OK;
}

td_err td_ext_psk_key_exchange_modes_encode(td_wr *wr, td_ext_ctx ctx,
                                            const td_ext_psk_key_exchange_modes *in)
{
    td_wr w = *wr;
    td_wr_mark m;

    TRY(pkm_ctx_check(ctx));
    /* RFC 8446 4.2.9: ke_modes<1..255> */
    ENSURE(in->ke_modes.len >= 1 && in->ke_modes.len <= 255, TD_ALERT_DECODE_ERROR);
    TRY(td_wr_open8(&w, &m));
    TRY(td_wr_span(&w, in->ke_modes));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
