/*
 * Finished: RFC 8446 4.4.4; RFC 5246 7.4.9.
 *
 * TLS 1.3 (RFC 8446 4.4.4):
 *
 *     struct {
 *         opaque verify_data[Hash.length];
 *     } Finished;
 *
 * TLS 1.2 (RFC 5246 7.4.9):
 *
 *     struct {
 *         opaque verify_data[verify_data_length];
 *     } Finished;
 *
 * "Any cipher suite which does not explicitly specify verify_data_length
 * has a verify_data_length equal to 12" (RFC 5246 7.4.9); in TLS 1.3 "it
 * is the size of the HMAC output for the Hash used for the handshake"
 * (RFC 8446 4.4.4). verify_data is a fixed-length array: the body is
 * exactly that many bytes, and a body of another length is "the length of
 * the message was incorrect", decode_error (RFC 8446 6.2, RFC 5246
 * 7.2.2). A wrong value of the right length is decrypt_error (RFC 8446
 * 4.4.4), decided by the key schedule, not here.
 *
 * verify_data_len 0 (a caller that does not know the suite) accepts any
 * length from 1 to TD_MAX_VERIFY_DATA_LEN: neither version has an empty
 * verify_data.
 *
 * The encoder does not know the suite either: it writes verify_data as
 * given, of any length (an empty one too), and the decoder that knows the
 * length judges it.
 */
#include "td_msg.h"

td_err td_finished_decode(td_span body, size_t verify_data_len,
                          td_finished *out)
{
    td_rd r;
    td_finished f;
    size_t n = verify_data_len ? verify_data_len : body.len;

    ENSURE(verify_data_len <= TD_MAX_VERIFY_DATA_LEN, TD_ERR_INTERNAL);
    /* RFC 8446 4.4.4 verify_data[Hash.length], RFC 5246 7.4.9
     * verify_data[verify_data_length]: a fixed length (decode_error,
     * RFC 8446 6.2) */
    ENSURE(n >= 1 && n <= TD_MAX_VERIFY_DATA_LEN, TD_ALERT_DECODE_ERROR);
    td_rd_init_span(&r, body);
    TRY(td_rd_span(&r, n, &f.verify_data));
    TRY(td_rd_done(&r));
    *out = f;
    return TD_OK;
}

td_err td_finished_encode(td_wr *wr, const td_finished *in)
{
    return td_wr_span(wr, in->verify_data);
}
