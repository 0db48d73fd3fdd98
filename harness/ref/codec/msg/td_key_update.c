/*
 * KeyUpdate: RFC 8446 4.6.3.
 *
 *     enum {
 *         update_not_requested(0), update_requested(1), (255)
 *     } KeyUpdateRequest;
 *
 *     struct {
 *         KeyUpdateRequest request_update;
 *     } KeyUpdate;
 *
 * "request_update: ... If an implementation receives any other value, it
 * MUST terminate the connection with an "illegal_parameter" alert."
 * The length is checked first: a body that is not exactly one byte is not
 * a KeyUpdate at all (decode_error, RFC 8446 6.2). Whether a KeyUpdate
 * may arrive now (before Finished: unexpected_message) is the handshake
 * layer's business. The encoder writes any request_update byte, so that a
 * test can send a value the receiver must reject.
 */
#include "td_msg.h"

td_err td_key_update_decode(td_span body, td_key_update *out)
{
    td_rd r;
    td_key_update k;

    td_rd_init_span(&r, body);
    TRY(td_rd_u8(&r, &k.request_update));
    TRY(td_rd_done(&r));
    /* RFC 8446 4.6.3: any other value is illegal_parameter */
    ENSURE(k.request_update == TD_KEY_UPDATE_NOT_REQUESTED ||
               k.request_update == TD_KEY_UPDATE_REQUESTED,
           TD_ALERT_ILLEGAL_PARAMETER);
    *out = k;
    return TD_OK;
}

td_err td_key_update_encode(td_wr *wr, const td_key_update *in)
{
    return td_wr_u8(wr, in->request_update);
}
