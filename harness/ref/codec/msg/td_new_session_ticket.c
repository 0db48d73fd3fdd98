/*
 * NewSessionTicket: RFC 8446 4.6.1 (TLS 1.3) and RFC 5077 3.3 (TLS 1.2).
 *
 * TLS 1.3 (RFC 8446 4.6.1):
 *
 *     struct {
 *         uint32 ticket_lifetime;
 *         uint32 ticket_age_add;
 *         opaque ticket_nonce<0..255>;
 *         opaque ticket<1..2^16-1>;
 *         Extension extensions<0..2^16-2>;
 *     } NewSessionTicket;
 *
 * TLS 1.2 (RFC 5077 3.3):
 *
 *     struct {
 *         uint32 ticket_lifetime_hint;
 *         opaque ticket<0..2^16-1>;
 *     } NewSessionTicket;
 *
 * An empty TLS 1.2 ticket is legal: RFC 5077 3.3 has a server that
 * changed its mind after sending the SessionTicket extension send "a
 * zero-length ticket".
 *
 * ticket_lifetime above 604800 is kept, not rejected. RFC 8446 4.6.1
 * puts the MUST on the sender ("Servers MUST NOT use any value greater
 * than 604800 seconds") and gives the receiver a rule that is not an
 * alert: "Clients MUST NOT cache tickets for longer than 7 days,
 * regardless of the ticket_lifetime". No alert is named, so the client's
 * session cache caps the lifetime. The reference server that picks the
 * lifetime keeps to 604800.
 *
 * The encoders write the struct as given (an empty TLS 1.3 ticket, an
 * extensions block that does not decode, a lifetime over 604800); only a
 * length its prefix cannot express fails (TD_ERR_INTERNAL).
 */
#include "../td_codec_impl.h"
#include "td_msg.h"

/* RFC 8446 4.6.1: extensions<0..2^16-2>; td_ext_block_decode reads up to
 * 2^16-1, so the one length above the RFC's ceiling is refused first. */
#define TD_NST13_EXTENSIONS_MAX 0xfffeu

td_err td_new_session_ticket13_decode(td_span body,
                                      td_new_session_ticket13 *out)
{
    td_rd r, peek;
    td_new_session_ticket13 t;
    uint16_t ext_len;

    td_rd_init_span(&r, body);
    TRY(td_rd_u32(&r, &t.ticket_lifetime));
    TRY(td_rd_u32(&r, &t.ticket_age_add));
    /* RFC 8446 4.6.1: ticket_nonce<0..255> */
    TRY(td_codec_vec_read(&r, 1, 0, 0xff, 1, &t.ticket_nonce));
    /* RFC 8446 4.6.1: ticket<1..2^16-1> */
    TRY(td_codec_vec_read(&r, 2, 1, 0xffff, 1, &t.ticket));
    /* RFC 8446 4.6.1: extensions<0..2^16-2> (decode_error, RFC 8446 6) */
    peek = r;
    TRY(td_rd_u16(&peek, &ext_len));
    ENSURE(ext_len <= TD_NST13_EXTENSIONS_MAX, TD_ALERT_DECODE_ERROR);
    /* RFC 8446 4.2: only extensions the table allows in NST, no
     * duplicates */
    TRY(td_ext_block_decode(&r, TD_EXT_CTX_NEW_SESSION_TICKET, 0,
                            &t.extensions));
    TRY(td_rd_done(&r));
    *out = t;
    return TD_OK;
}

td_err td_new_session_ticket13_encode(td_wr *wr,
                                      const td_new_session_ticket13 *in)
{
    td_wr w = *wr;

    TRY(td_wr_u32(&w, in->ticket_lifetime));
    TRY(td_wr_u32(&w, in->ticket_age_add));
    TRY(td_codec_vec_write(&w, 1, in->ticket_nonce));
    TRY(td_codec_vec_write(&w, 2, in->ticket));
    TRY(td_codec_vec_write(&w, 2, in->extensions));
    *wr = w;
    return TD_OK;
}

td_err td_new_session_ticket12_decode(td_span body,
                                      td_new_session_ticket12 *out)
{
    td_rd r;
    td_new_session_ticket12 t;

    td_rd_init_span(&r, body);
    TRY(td_rd_u32(&r, &t.ticket_lifetime_hint));
    /* RFC 5077 3.3: ticket<0..2^16-1> */
    TRY(td_codec_vec_read(&r, 2, 0, 0xffff, 1, &t.ticket));
    TRY(td_rd_done(&r));
    *out = t;
    return TD_OK;
}

td_err td_new_session_ticket12_encode(td_wr *wr,
                                      const td_new_session_ticket12 *in)
{
    td_wr w = *wr;

    TRY(td_wr_u32(&w, in->ticket_lifetime_hint));
    TRY(td_codec_vec_write(&w, 2, in->ticket));
    *wr = w;
    return TD_OK;
}
