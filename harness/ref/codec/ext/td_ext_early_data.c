/*
 * early_data: RFC 8446 4.2.10.
 *
 *     struct {} Empty;
 *
 *     struct {
 *         select (Handshake.msg_type) {
 *             case new_session_ticket:   uint32 max_early_data_size;
 *             case client_hello:         Empty;
 *             case encrypted_extensions: Empty;
 *         };
 *     } EarlyDataIndication;
 *
 * Whether early data may be offered or accepted (a PSK, the first
 * identity, matching parameters) is the handshake layer's question.
 * The form follows Handshake.msg_type: max_early_data_size is written in
 * a NewSessionTicket only; in the Empty forms the encoder writes nothing.
 */
#include "../td_codec_impl.h"

td_err td_ext_early_data_decode(td_span data, td_ext_ctx ctx, td_ext_early_data *out)
{
    td_ext_early_data ed;
    td_rd r;

    TRY(td_ext_form_check(TD_EXT_EARLY_DATA, ctx));
    ed.max_early_data_size = 0;
    td_rd_init_span(&r, data);
    if (ctx == TD_EXT_CTX_NEW_SESSION_TICKET)
        TRY(td_rd_u32(&r, &ed.max_early_data_size));
    /* CH / EE: Empty, so any byte is trailing; NST: exactly the uint32
     * (RFC 8446 6: decode_error) */
    TRY(td_rd_done(&r));
    *out = ed;
    return TD_OK;
}

td_err td_ext_early_data_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_early_data *in)
{
    TRY(td_ext_encode_check(TD_EXT_EARLY_DATA, ctx));
    if (ctx == TD_EXT_CTX_NEW_SESSION_TICKET)
        return td_wr_u32(wr, in->max_early_data_size);
    return TD_OK; /* Empty: nothing to write */
}
