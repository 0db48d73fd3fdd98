/*
 * renegotiation_info: RFC 5746 3.2.
 *
 *     struct {
 *         opaque renegotiated_connection<0..255>;
 *     } RenegotiationInfo;
 *
 * The same structure in the ClientHello and in the TLS 1.2 ServerHello
 * (RFC 5746 3.2). TLS 1.3 forbids renegotiation and has no form of it
 * beyond the ClientHello, which offers TLS 1.2 as well (not in the RFC
 * 8446 4.2 table). Whether renegotiated_connection is empty or holds the
 * right verify_data (RFC 5746 3.4 to 3.7: handshake_failure) depends on
 * the connection and is not the codec's job.
 */
#include "td_ext.h"

static td_err ri_ctx_check(td_ext_ctx ctx, int *has_form)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
    case TD_EXT_CTX_SERVER_HELLO12: /* RFC 5746 3.2 */
        *has_form = 1;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO13:
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS:
    case TD_EXT_CTX_CERTIFICATE:
    case TD_EXT_CTX_CERTIFICATE_REQUEST:
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        *has_form = 0;
        return TD_OK;
    default:
        return TD_ERR_INTERNAL;
    }
}

td_err td_ext_renegotiation_info_decode(td_span data, td_ext_ctx ctx,
                                        td_ext_renegotiation_info *out)
{
    td_ext_renegotiation_info v;
    int has_form;
    td_rd r, body;

    TRY(ri_ctx_check(ctx, &has_form));
    /* RFC 8446 4.2: not specified for this message */
    ENSURE(has_form, TD_ALERT_ILLEGAL_PARAMETER);
    td_rd_init_span(&r, data);
    /* RFC 5746 3.2: opaque renegotiated_connection<0..255> */
    TRY(td_rd_vec8(&r, 0, 0xff, &body));
    td_rd_rest(&body, &v.renegotiated_connection);
    TRY(td_rd_done(&r));
    *out = v;
    return TD_OK;
}

td_err td_ext_renegotiation_info_encode(td_wr *wr, td_ext_ctx ctx,
                                        const td_ext_renegotiation_info *in)
{
    td_wr w = *wr;
    td_wr_mark m;
    int has_form;

    TRY(ri_ctx_check(ctx, &has_form));
    ENSURE(has_form, TD_ERR_INTERNAL);
    ENSURE(in->renegotiated_connection.len <= 0xff, TD_ERR_INTERNAL);
    TRY(td_wr_open8(&w, &m));
    TRY(td_wr_span(&w, in->renegotiated_connection));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
