/*
 * ChangeCipherSpec codec: RFC 5246 7.1; in TLS 1.3 only the compatibility
 * record of RFC 8446 5 and D.4.
 *
 *     struct {
 *         enum { change_cipher_spec(1), (255) } type;
 *     } ChangeCipherSpec;
 *
 * RFC 5246 7.1: "The message consists of a single byte of value 1."
 *
 * The two versions answer a malformed record differently:
 *  - RFC 8446 5: "An implementation which receives any other
 *    change_cipher_spec value or which receives a protected
 *    change_cipher_spec record MUST abort the handshake with an
 *    "unexpected_message" alert." Any other value includes a wrong length.
 *  - RFC 5246 names no alert for it; RFC 5246 7.2.2 decode_error is "A
 *    message could not be decoded because some field was out of the
 *    specified range or the length of the message was incorrect."
 */
#include "td_record.h"

td_err td_ccs_decode(td_span fragment, td_record_version version,
                     td_ccs *out)
{
    td_err bad = version == TD_RECORD_TLS13 ? TD_ALERT_UNEXPECTED_MESSAGE
                                            : TD_ALERT_DECODE_ERROR;
    td_rd r;
    td_ccs c;

    td_rd_init_span(&r, fragment);
    ENSURE(td_rd_u8(&r, &c.type) == TD_OK, bad);      /* RFC 5246 7.1 */
    ENSURE(c.type == TD_CCS_CHANGE_CIPHER_SPEC, bad); /* RFC 8446 5 */
    ENSURE(td_rd_done(&r) == TD_OK, bad);             /* RFC 8446 5 */
    *out = c;
    return TD_OK;
}

td_err td_ccs_encode(td_wr *wr, const td_ccs *in)
{
    return td_wr_u8(wr, in->type);
}
