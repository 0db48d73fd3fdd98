/*
 * supported_groups: RFC 8446 4.2.7, RFC 8422 5.1.1, RFC 7919.
 *
 *     struct {
 *         NamedGroup named_group_list<2..2^16-1>;
 *     } NamedGroupList;
 *
 * NamedGroup is a uint16, so the list body has an even length. Unknown
 * groups are not an error: "Servers MUST ignore any unknown groups" is a
 * rule of negotiation, not of syntax, so the codec keeps every value.
 *
 * Forms: the same list in the ClientHello and in the TLS 1.3
 * EncryptedExtensions (RFC 8446 4.2 table: CH, EE). "As of TLS 1.3,
 * servers are permitted to send the "supported_groups" extension to the
 * client" (RFC 8446 4.2.7): in TLS 1.2 it is a client-only extension (RFC
 * 8422 5.1 defines it for the ClientHello, 5.2 answers with
 * ec_point_formats alone), so a TLS 1.2 ServerHello carrying it is
 * illegal_parameter like any message the extension has no form in.
 */
#include "td_ext.h"

static td_err sg_ctx_check(td_ext_ctx ctx, int *has_form)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS: /* RFC 8446 4.2, 4.2.7 */
        *has_form = 1;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO12: /* RFC 8446 4.2.7, RFC 8422 5.1 */
    case TD_EXT_CTX_SERVER_HELLO13:
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
    case TD_EXT_CTX_CERTIFICATE:
    case TD_EXT_CTX_CERTIFICATE_REQUEST:
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        *has_form = 0;
        return TD_OK;
    default:
        return TD_ERR_INTERNAL;
    }
}

/* The bounds of the list body in bytes: <2..2^16-1>, whole uint16s. */
static int sg_list_len_ok(size_t n)
{
    return n >= 2 && n <= 0xffff && n % 2 == 0;
}

td_err td_ext_supported_groups_decode(td_span data, td_ext_ctx ctx,
                                      td_ext_supported_groups *out)
{
    td_ext_supported_groups v;
    int has_form;
    td_rd r, list;

    TRY(sg_ctx_check(ctx, &has_form));
    /* RFC 8446 4.2: not specified for this message */
    ENSURE(has_form, TD_ALERT_ILLEGAL_PARAMETER);
    td_rd_init_span(&r, data);
    /* RFC 8446 4.2.7: NamedGroup named_group_list<2..2^16-1> */
    TRY(td_rd_vec16(&r, 2, 0xffff, &list));
    td_rd_rest(&list, &v.named_group_list);
    /* a vector of uint16 holds whole elements (RFC 8446 3.4); an odd
     * length cannot be decoded (RFC 8446 6: decode_error) */
    ENSURE(v.named_group_list.len % 2 == 0, TD_ALERT_DECODE_ERROR);
    TRY(td_rd_done(&r));
    *out = v;
    return TD_OK;
}

td_err td_ext_supported_groups_encode(td_wr *wr, td_ext_ctx ctx,
                                      const td_ext_supported_groups *in)
{
    td_wr w = *wr;
    td_wr_mark m;
    int has_form;

    TRY(sg_ctx_check(ctx, &has_form));
    ENSURE(has_form, TD_ERR_INTERNAL);
    ENSURE(sg_list_len_ok(in->named_group_list.len), TD_ERR_INTERNAL);
    TRY(td_wr_open16(&w, &m));
    TRY(td_wr_span(&w, in->named_group_list));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
