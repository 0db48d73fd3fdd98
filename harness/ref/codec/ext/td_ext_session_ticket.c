/*
 * session_ticket: RFC 5077 3.2 (named "SessionTicket TLS" there; the IANA
 * name is session_ticket).
 *
 *     "The SessionTicket extension has been assigned the number 35. The
 *     extension_data field of SessionTicket extension contains the
 *     ticket."
 *
 * ClientHello: the whole extension_data is the ticket, with no length
 * prefix of its own; it may be empty: "If the client does not have a
 * ticket and is prepared to receive one in the NewSessionTicket handshake
 * message, then it MUST include a zero-length ticket in the SessionTicket
 * extension." Its upper bound is extension_data<0..2^16-1>.
 *
 * TLS 1.2 ServerHello: "The server uses a zero-length SessionTicket
 * extension to indicate to the client that it will send a new session
 * ticket" (RFC 5077 3.2), so a non-empty one has the wrong length:
 * decode_error (RFC 8446 6). TLS 1.3 resumes with pre_shared_key and has
 * no form of it beyond the ClientHello (not in the RFC 8446 4.2 table).
 *
 * In both messages the extension_data is the ticket bytes, so the encoder
 * writes the ticket as it is in both, a non-empty one in the ServerHello
 * too (for a test of the receiver's check).
 */
#include "../td_codec_impl.h"

td_err td_ext_session_ticket_decode(td_span data, td_ext_ctx ctx, td_ext_session_ticket *out)
{
    td_ext_session_ticket v;
    td_rd r;

    TRY(td_ext_form_check(TD_EXT_SESSION_TICKET, ctx));
    /* RFC 5077 3.2: the server's extension is zero-length (RFC 8446 6) */
    ENSURE(ctx != TD_EXT_CTX_SERVER_HELLO12 || data.len == 0, TD_ALERT_DECODE_ERROR);
    /* the extension_data<0..2^16-1> it came in */
    ENSURE(data.len <= 0xffff, TD_ALERT_DECODE_ERROR);
    td_rd_init_span(&r, data);
    td_rd_rest(&r, &v.ticket);
    *out = v;
    return TD_OK;
}

td_err td_ext_session_ticket_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_session_ticket *in)
{
    TRY(td_ext_encode_check(TD_EXT_SESSION_TICKET, ctx));
    /* extension_data<0..2^16-1>: a longer ticket has no wire form */
    ENSURE(in->ticket.len <= 0xffff, TD_ERR_INTERNAL);
    return td_wr_span(wr, in->ticket);
}
