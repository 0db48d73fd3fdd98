/*
 * Handshake message framing and reassembly: RFC 8446 4 and 5.1,
 * RFC 5246 7.4 and 6.2.1.
 *
 *     struct {
 *         HandshakeType msg_type;    /+ handshake type +/
 *         uint24 length;             /+ remaining bytes in message +/
 *         select (Handshake.msg_type) {
 *             ...
 *         };
 *     } Handshake;
 *
 * (Comments inside the quoted struct are written /+ +/ here.)
 *
 * RFC 8446 5.1: "Handshake messages MAY be coalesced into a single
 * TLSPlaintext record or fragmented across several records". The
 * reassembler copies the fed fragments into a fixed buffer in the caller's
 * struct until a whole message is there, and hands out one message at a
 * time.
 */
#include "td_record.h"

#include <string.h>

td_err td_handshake_decode(td_rd *rd, td_handshake *out)
{
    td_rd r = *rd;
    td_handshake m;
    uint32_t length;

    TRY(td_rd_u8(&r, &m.msg_type));
    TRY(td_rd_u24(&r, &length));
    TRY(td_rd_span(&r, length, &m.body));
    /* raw: the same bytes again, from the caller's position */
    TRY(td_rd_span(rd, TD_HANDSHAKE_HEADER_LEN + (size_t)length, &m.raw));
    *out = m;
    return TD_OK;
}

td_err td_handshake_encode(td_wr *wr, const td_handshake *in)
{
    td_wr w = *wr;
    td_wr_mark m;

    TRY(td_wr_u8(&w, in->msg_type));
    TRY(td_wr_open24(&w, &m));
    TRY(td_wr_span(&w, in->body));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}

void td_hs_reasm_init(td_hs_reasm *r)
{
    r->len = 0;
    r->delivered = 0;
    td_rd_init(&r->pending, NULL, 0);
}

td_err td_hs_reasm_feed(td_hs_reasm *r, td_span fragment)
{
    ENSURE(td_rd_left(&r->pending) == 0, TD_ERR_INTERNAL);
    td_rd_init_span(&r->pending, fragment);
    return TD_OK;
}

/* Total size of the buffered message once its header is complete. */
static td_err reasm_need(const td_hs_reasm *r, size_t *need)
{
    td_rd h;
    uint8_t msg_type;
    uint32_t length;

    if (r->len < TD_HANDSHAKE_HEADER_LEN) {
        *need = TD_HANDSHAKE_HEADER_LEN;
        return TD_OK;
    }
    td_rd_init(&h, r->buf, TD_HANDSHAKE_HEADER_LEN);
    TRY(td_rd_u8(&h, &msg_type));
    TRY(td_rd_u24(&h, &length));
    /* An implementation limit, not an RFC rule: see td_record.h. */
    ENSURE(length <= TD_MAX_HANDSHAKE_BODY, TD_ERR_NOSPACE);
    *need = TD_HANDSHAKE_HEADER_LEN + (size_t)length;
    return TD_OK;
}

td_err td_hs_reasm_next(td_hs_reasm *r, td_handshake *msg, int *got)
{
    size_t need, take;
    td_span s;
    td_rd whole;

    if (r->delivered) {
        r->len = 0;
        r->delivered = 0;
    }
    for (;;) {
        TRY(reasm_need(r, &need));
        if (r->len >= TD_HANDSHAKE_HEADER_LEN && r->len == need)
            break;
        take = need - r->len;
        if (take > td_rd_left(&r->pending))
            take = td_rd_left(&r->pending);
        if (take == 0) {
            *got = 0;
            return TD_OK;
        }
        TRY(td_rd_span(&r->pending, take, &s));
        memcpy(r->buf + r->len, s.p, take);
        r->len += take;
    }
    td_rd_init(&whole, r->buf, r->len);
    TRY(td_handshake_decode(&whole, msg));
    TRY(td_rd_done(&whole));
    r->delivered = 1;
    *got = 1;
    return TD_OK;
}

td_err td_hs_reasm_check_boundary(const td_hs_reasm *r)
{
    /* RFC 8446 5.1: "Implementations MUST verify that all messages
     * immediately preceding a key change align with a record boundary; if
     * not, then they MUST terminate the connection with an
     * "unexpected_message" alert." The same state is what "MUST NOT be
     * interleaved with other record types" forbids. */
    ENSURE(td_rd_left(&r->pending) == 0, TD_ALERT_UNEXPECTED_MESSAGE);
    ENSURE(r->delivered || r->len == 0, TD_ALERT_UNEXPECTED_MESSAGE);
    return TD_OK;
}
