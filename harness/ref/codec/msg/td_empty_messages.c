/*
 * The handshake messages whose body is empty:
 *
 *     struct { } HelloRequest;      RFC 5246 7.4.1.1 (msg_type 0)
 *     struct { } ServerHelloDone;   RFC 5246 7.4.5   (msg_type 14)
 *     struct {} EndOfEarlyData;     RFC 8446 4.5     (msg_type 5)
 *
 * An empty struct encodes to zero bytes, so any body byte means "the
 * length of the message was incorrect": decode_error (RFC 8446 6.2,
 * RFC 5246 7.2.2). Who may send these and when (RFC 8446 4.5: a client
 * receiving EndOfEarlyData sends unexpected_message; RFC 5246 7.4.1.1:
 * HelloRequest is ignored during a handshake) is the handshake layer's
 * business. Another msg_type is a caller bug.
 */
#include "td_msg.h"

static int empty_type(uint8_t msg_type)
{
    return msg_type == TD_HS_HELLO_REQUEST ||
           msg_type == TD_HS_SERVER_HELLO_DONE ||
           msg_type == TD_HS_END_OF_EARLY_DATA;
}

td_err td_empty_message_decode(uint8_t msg_type, td_span body)
{
    td_rd r;

    ENSURE(empty_type(msg_type), TD_ERR_INTERNAL);
    /* RFC 5246 7.4.1.1 / 7.4.5, RFC 8446 4.5: struct {} (decode_error,
     * RFC 8446 6.2 / RFC 5246 7.2.2) */
    td_rd_init_span(&r, body);
    TRY(td_rd_done(&r));
    return TD_OK;
}

td_err td_empty_message_encode(td_wr *wr, uint8_t msg_type)
{
    (void)wr; /* nothing to write */
    ENSURE(empty_type(msg_type), TD_ERR_INTERNAL);
    return TD_OK;
}
