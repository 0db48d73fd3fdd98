/*
 * record_size_limit: RFC 8449 4.
 *
 *     uint16 RecordSizeLimit;
 *
 * Contexts: the ClientHello; the server's answer in EncryptedExtensions in
 * TLS 1.3 (RFC 8449 4: "In TLS 1.3, the server sends the
 * "record_size_limit" extension in the EncryptedExtensions message") and
 * in the ServerHello in TLS 1.2, where RFC 8449 also applies and a
 * server's extensions go (RFC 5246 7.4.1.4).
 *
 * The upper bound is not checked here: RFC 8449 4 says a server "MUST NOT
 * enforce" it and a client "MAY abort ... if the record_size_limit
 * extension includes a value greater than the maximum record size
 * permitted by the negotiated protocol version and extensions", which
 * depends on the version negotiated: the handshake layer's question.
 *
 * The encoder writes any uint16, a value under 64 too, so that a test can
 * send what RFC 8449 4 forbids and see the receiver's alert.
 */
#include "../td_codec_impl.h"

enum { TD_RECORD_SIZE_LIMIT_MIN = 64 }; /* RFC 8449 4 */

td_err td_ext_record_size_limit_decode(td_span data, td_ext_ctx ctx, td_ext_record_size_limit *out)
{
    td_ext_record_size_limit l;
    td_rd r;

    TRY(td_ext_form_check(TD_EXT_RECORD_SIZE_LIMIT, ctx));
    td_rd_init_span(&r, data);
    /* exactly one uint16 (RFC 8446 6: decode_error) */
    TRY(td_rd_u16(&r, &l.record_size_limit));
    TRY(td_rd_done(&r));
    /* RFC 8449 4: "Endpoints MUST NOT send a "record_size_limit"
     * extension with a value smaller than 64. An endpoint MUST treat
     * receipt of a smaller value as a fatal error and generate an
     * "illegal_parameter" alert." */
    ENSURE(l.record_size_limit >= TD_RECORD_SIZE_LIMIT_MIN, TD_ALERT_ILLEGAL_PARAMETER);
    *out = l;
    return TD_OK;
}

td_err td_ext_record_size_limit_encode(td_wr *wr, td_ext_ctx ctx,
                                       const td_ext_record_size_limit *in)
{
    TRY(td_ext_encode_check(TD_EXT_RECORD_SIZE_LIMIT, ctx));
    return td_wr_u16(wr, in->record_size_limit);
}
