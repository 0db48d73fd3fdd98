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
 */
#include "td_ext.h"

typedef enum st_form {
    ST_FORM_NONE,   /* no form in this message */
    ST_FORM_TICKET, /* the ticket, possibly empty */
    ST_FORM_EMPTY,  /* empty */
} st_form;

static td_err st_form_of(td_ext_ctx ctx, st_form *form)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
        *form = ST_FORM_TICKET;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO12: /* RFC 5077 3.2 */
        *form = ST_FORM_EMPTY;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO13:
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS:
    case TD_EXT_CTX_CERTIFICATE:
    case TD_EXT_CTX_CERTIFICATE_REQUEST:
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        *form = ST_FORM_NONE;
        return TD_OK;
    default:
        return TD_ERR_INTERNAL;
    }
}

td_err td_ext_session_ticket_decode(td_span data, td_ext_ctx ctx,
                                    td_ext_session_ticket *out)
{
    td_ext_session_ticket v;
    st_form form;
    td_rd r;

    TRY(st_form_of(ctx, &form));
    /* RFC 8446 4.2: not specified for this message */
    ENSURE(form != ST_FORM_NONE, TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 5077 3.2: the server's extension is zero-length (RFC 8446 6) */
    ENSURE(form != ST_FORM_EMPTY || data.len == 0, TD_ALERT_DECODE_ERROR);
    /* the extension_data<0..2^16-1> it came in */
    ENSURE(data.len <= 0xffff, TD_ALERT_DECODE_ERROR);
    td_rd_init_span(&r, data);
    td_rd_rest(&r, &v.ticket);
    *out = v;
    return TD_OK;
}

td_err td_ext_session_ticket_encode(td_wr *wr, td_ext_ctx ctx,
                                    const td_ext_session_ticket *in)
{
    td_wr w = *wr;
    st_form form;

    TRY(st_form_of(ctx, &form));
    ENSURE(form != ST_FORM_NONE, TD_ERR_INTERNAL);
    ENSURE(form != ST_FORM_EMPTY || in->ticket.len == 0, TD_ERR_INTERNAL);
    ENSURE(in->ticket.len <= 0xffff, TD_ERR_INTERNAL);
    TRY(td_wr_span(&w, in->ticket));
    *wr = w;
    return TD_OK;
}
