/*
 * max_fragment_length: RFC 6066 4.
 *
 *     enum{
 *         2^9(1), 2^10(2), 2^11(3), 2^12(4), (255)
 *     } MaxFragmentLength;
 *
 * The same one byte in the ClientHello and in the server's answer: the TLS
 * 1.2 ServerHello (RFC 6066 4) or the TLS 1.3 EncryptedExtensions (RFC 8446
 * 4.2 table: CH, EE).
 *
 * RFC 6066 4: "If a server receives a maximum fragment length negotiation
 * request for a value other than the allowed values, it MUST abort the
 * handshake with an "illegal_parameter" alert. Similarly, if a client
 * receives a maximum fragment length negotiation response that differs
 * from the length it requested, it MUST also abort the handshake with an
 * "illegal_parameter" alert." A value outside 1..4 is never one the client
 * requested, so the codec rejects it in every form; whether a valid answer
 * matches the request is the client's check. The encoder writes any byte,
 * so that a test can send such a value.
 */
#include "../td_codec_impl.h"

static int mfl_value_ok(uint8_t v)
{
    /* RFC 6066 4: 2^9(1), 2^10(2), 2^11(3), 2^12(4) */
    return v >= 1 && v <= 4;
}

td_err td_ext_max_fragment_length_decode(td_span data, td_ext_ctx ctx,
                                         td_ext_max_fragment_length *out)
{
    td_ext_max_fragment_length v;
    td_rd r;

    TRY(td_ext_form_check(TD_EXT_MAX_FRAGMENT_LENGTH, ctx));
    td_rd_init_span(&r, data);
    TRY(td_rd_u8(&r, &v.max_fragment_length));
    /* exactly one byte (RFC 8446 6: decode_error) */
    TRY(td_rd_done(&r));
    /* RFC 6066 4: a value other than the allowed ones is illegal_parameter */
    ENSURE(mfl_value_ok(v.max_fragment_length), TD_ALERT_ILLEGAL_PARAMETER);
    *out = v;
    return TD_OK;
}

td_err td_ext_max_fragment_length_encode(td_wr *wr, td_ext_ctx ctx,
                                         const td_ext_max_fragment_length *in)
{
    TRY(td_ext_encode_check(TD_EXT_MAX_FRAGMENT_LENGTH, ctx));
    return td_wr_u8(wr, in->max_fragment_length);
}
