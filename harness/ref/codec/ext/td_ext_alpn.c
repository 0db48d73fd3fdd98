/*
 * application_layer_protocol_negotiation: RFC 7301 3.1.
 *
 *     opaque ProtocolName<1..2^8-1>;
 *
 *     struct {
 *         ProtocolName protocol_name_list<2..2^16-1>
 *     } ProtocolNameList;
 *
 * The ClientHello carries the client's list. The server answers in the TLS
 * 1.2 ServerHello or the TLS 1.3 EncryptedExtensions (RFC 8446 4.2 table:
 * CH, EE) with the same structure, "except that the "ProtocolNameList"
 * MUST contain exactly one "ProtocolName"" (RFC 7301 3.1).
 *
 * RFC 7301 3.1: "Empty strings MUST NOT be included and byte strings MUST
 * NOT be truncated." Both are vector bounds of ProtocolName<1..2^8-1>, so
 * both are decode_error (RFC 8446 6).
 *
 * A server list of two or more names: RFC 7301 names no alert. The server
 * form is a list of exactly one element, so a longer one does not have the
 * form's length ("the length of the message was incorrect", RFC 8446 6):
 * decode_error. It is not a value that could be right in some other
 * connection, which is what illegal_parameter would say.
 */
#include "td_ext.h"

#include <string.h>

typedef enum alpn_form {
    ALPN_FORM_NONE,   /* no form in this message */
    ALPN_FORM_CLIENT, /* one or more names */
    ALPN_FORM_SERVER, /* exactly one name */
} alpn_form;

static td_err alpn_form_of(td_ext_ctx ctx, alpn_form *form)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
        *form = ALPN_FORM_CLIENT;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO12:       /* RFC 7301 3.1 */
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS: /* RFC 8446 4.2 */
        *form = ALPN_FORM_SERVER;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO13:
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
    case TD_EXT_CTX_CERTIFICATE:
    case TD_EXT_CTX_CERTIFICATE_REQUEST:
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        *form = ALPN_FORM_NONE;
        return TD_OK;
    default:
        return TD_ERR_INTERNAL;
    }
}

/* Check a protocol_name_list body and count its names. */
static td_err alpn_list_check(td_span list, alpn_form form, size_t *count)
{
    td_rd r, name;
    size_t n = 0;

    /* RFC 7301 3.1: protocol_name_list<2..2^16-1> */
    ENSURE(list.len >= 2 && list.len <= 0xffff, TD_ALERT_DECODE_ERROR);
    td_rd_init_span(&r, list);
    while (td_rd_left(&r) > 0) {
        /* RFC 7301 3.1: ProtocolName<1..2^8-1>, "Empty strings MUST NOT be
         * included and byte strings MUST NOT be truncated." */
        TRY(td_rd_vec8(&r, 1, 0xff, &name));
        n++;
    }
    /* RFC 7301 3.1: the server's "ProtocolNameList" "MUST contain exactly
     * one "ProtocolName"" (decode_error: see the top comment) */
    ENSURE(form != ALPN_FORM_SERVER || n == 1, TD_ALERT_DECODE_ERROR);
    *count = n;
    return TD_OK;
}

td_err td_ext_alpn_decode(td_span data, td_ext_ctx ctx, td_ext_alpn *out)
{
    td_ext_alpn v;
    alpn_form form;
    td_rd r, list;

    TRY(alpn_form_of(ctx, &form));
    /* RFC 8446 4.2: not specified for this message */
    ENSURE(form != ALPN_FORM_NONE, TD_ALERT_ILLEGAL_PARAMETER);
    memset(&v, 0, sizeof v);
    td_rd_init_span(&r, data);
    TRY(td_rd_vec16(&r, 2, 0xffff, &list));
    td_rd_rest(&list, &v.protocol_name_list);
    TRY(alpn_list_check(v.protocol_name_list, form, &v.count));
    TRY(td_rd_done(&r));
    *out = v;
    return TD_OK;
}

/* Writes in->protocol_name_list; in->count must be its number of names.
 * Input that would not decode is TD_ERR_INTERNAL. */
td_err td_ext_alpn_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_alpn *in)
{
    td_wr w = *wr;
    td_wr_mark m;
    alpn_form form;
    size_t n;

    TRY(alpn_form_of(ctx, &form));
    ENSURE(form != ALPN_FORM_NONE, TD_ERR_INTERNAL);
    ENSURE(alpn_list_check(in->protocol_name_list, form, &n) == TD_OK,
           TD_ERR_INTERNAL);
    ENSURE(n == in->count, TD_ERR_INTERNAL);
    TRY(td_wr_open16(&w, &m));
    TRY(td_wr_span(&w, in->protocol_name_list));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
