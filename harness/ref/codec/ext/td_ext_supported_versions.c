/*
 * supported_versions: RFC 8446 4.2.1.
 *
 *     struct {
 *         select (Handshake.msg_type) {
 *             case client_hello:
 *                  ProtocolVersion versions<2..254>;
 *
 *             case server_hello: (and HelloRetryRequest)
 *                  ProtocolVersion selected_version;
 *         };
 *     } SupportedVersions;
 *
 * RFC 8446 4.2 table: CH, SH, HRR. A TLS 1.2 ServerHello is by definition
 * one without it ("A server which negotiates a version of TLS prior to
 * TLS 1.3 ... MUST NOT send the "supported_versions" extension", RFC 8446
 * 4.2.1), so that context has no form.
 *
 * The codec checks syntax only. Which versions may be selected ("contains
 * a version not offered by the client or contains a version prior to
 * TLS 1.3": illegal_parameter, RFC 8446 4.2.1) depends on what the client
 * offered and is checked where the ServerHello is processed. Unknown
 * versions in the client's list are kept: servers "MUST ignore any unknown
 * versions that are present in that extension" (RFC 8446 4.2.1).
 */
#include "td_ext.h"

#include <string.h>

typedef enum sv_form {
    SV_FORM_NONE,     /* no form in this message */
    SV_FORM_LIST,     /* versions<2..254> */
    SV_FORM_SELECTED, /* selected_version */
} sv_form;

static td_err sv_form_of(td_ext_ctx ctx, sv_form *form)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
        *form = SV_FORM_LIST;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO13:
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
        *form = SV_FORM_SELECTED;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO12: /* RFC 8446 4.2.1 */
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS:
    case TD_EXT_CTX_CERTIFICATE:
    case TD_EXT_CTX_CERTIFICATE_REQUEST:
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        *form = SV_FORM_NONE;
        return TD_OK;
    default:
        return TD_ERR_INTERNAL;
    }
}

td_err td_ext_supported_versions_decode(td_span data, td_ext_ctx ctx,
                                        td_ext_supported_versions *out)
{
    td_ext_supported_versions v;
    sv_form form;
    td_rd r, list;

    TRY(sv_form_of(ctx, &form));
    /* RFC 8446 4.2: not specified for this message */
    ENSURE(form != SV_FORM_NONE, TD_ALERT_ILLEGAL_PARAMETER);
    memset(&v, 0, sizeof v);
    td_rd_init_span(&r, data);
    if (form == SV_FORM_LIST) {
        /* RFC 8446 4.2.1: ProtocolVersion versions<2..254> */
        TRY(td_rd_vec8(&r, 2, 254, &list));
        td_rd_rest(&list, &v.versions);
        /* whole uint16s (RFC 8446 3.4; RFC 8446 6: decode_error) */
        ENSURE(v.versions.len % 2 == 0, TD_ALERT_DECODE_ERROR);
    } else {
        /* RFC 8446 4.2.1: ProtocolVersion selected_version */
        TRY(td_rd_u16(&r, &v.selected_version));
    }
    TRY(td_rd_done(&r));
    *out = v;
    return TD_OK;
}

td_err td_ext_supported_versions_encode(td_wr *wr, td_ext_ctx ctx,
                                        const td_ext_supported_versions *in)
{
    td_wr w = *wr;
    td_wr_mark m;
    sv_form form;

    TRY(sv_form_of(ctx, &form));
    ENSURE(form != SV_FORM_NONE, TD_ERR_INTERNAL);
    if (form == SV_FORM_LIST) {
        ENSURE(in->versions.len >= 2 && in->versions.len <= 254 &&
                   in->versions.len % 2 == 0 && in->selected_version == 0,
               TD_ERR_INTERNAL);
        TRY(td_wr_open8(&w, &m));
        TRY(td_wr_span(&w, in->versions));
        TRY(td_wr_close(&w, &m));
    } else {
        ENSURE(in->versions.len == 0, TD_ERR_INTERNAL);
        TRY(td_wr_u16(&w, in->selected_version));
    }
    *wr = w;
    return TD_OK;
}
