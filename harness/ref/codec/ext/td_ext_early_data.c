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
 */
#include "td_ext.h"

/* RFC 8446 4.2 table: early_data appears in CH, EE and NST. */
static td_err ed_ctx_check(td_ext_ctx ctx)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS:
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        return TD_OK;
    default:
        /* RFC 8446 4.2: an extension "not specified for the message in
         * which it appears" is illegal_parameter. */
        return TD_ALERT_ILLEGAL_PARAMETER;
    }
}

td_err td_ext_early_data_decode(td_span data, td_ext_ctx ctx, td_ext_early_data *out)
{
    td_ext_early_data ed;
    td_rd r;

    TRY(ed_ctx_check(ctx));
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
    TRY(ed_ctx_check(ctx));
    if (ctx == TD_EXT_CTX_NEW_SESSION_TICKET)
        return td_wr_u32(wr, in->max_early_data_size);
    return TD_OK; /* Empty: nothing to write */
}
