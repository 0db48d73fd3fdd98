/*
 * padding: RFC 7685 3.
 *
 * RFC 7685 defines no struct: "The "extension_data" for the extension
 * consists of an arbitrary number of zero bytes." The extension_data may
 * be empty (RFC 7685 3: "the padding extension_data field may be empty").
 *
 * The bytes are not judged. RFC 7685 3 puts the zero-fill on the sender
 * ("The client MUST fill the padding extension completely with zero
 * bytes") and asks nothing of the receiver: it names no check and no
 * alert, and the padding carries no meaning a server could act on. An
 * alert here would be ours, not the RFC's, and would make the reference
 * differ from peers that ignore the contents (as the RFC lets them). So a
 * non-zero byte decodes, and the span keeps it, so that
 * encode(decode(x)) == x holds for every input. The encoder writes the span
 * as given: a client that sends it fills the span with zeros.
 */
#include "../td_codec_impl.h"

/* Where padding may appear is the RFC 8446 4.2 table: CH only, as RFC
 * 7685 3 says too ("The server MUST NOT echo the extension"). */

td_err td_ext_padding_decode(td_span data, td_ext_ctx ctx, td_ext_padding *out)
{
    td_ext_padding p;
    td_rd r;

    TRY(td_ext_form_check(TD_EXT_PADDING, ctx));
    td_rd_init_span(&r, data);
    td_rd_rest(&r, &p.padding);
    *out = p;
    return TD_OK;
}

td_err td_ext_padding_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_padding *in)
{
    TRY(td_ext_encode_check(TD_EXT_PADDING, ctx));
    /* extension_data<0..2^16-1> (RFC 8446 4.2): its length field cannot
     * say more, so a longer padding has no wire form */
    ENSURE(in->padding.len <= 0xffff, TD_ERR_INTERNAL);
    return td_wr_span(wr, in->padding);
}
