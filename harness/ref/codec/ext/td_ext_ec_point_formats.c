/*
 * ec_point_formats: RFC 8422 5.1.2 and 5.2 (RFC 4492 5.1.2).
 *
 *     enum {
 *         uncompressed (0),
 *         deprecated (1..2),
 *         reserved (248..255)
 *     } ECPointFormat;
 *     struct {
 *         ECPointFormat ec_point_format_list<1..2^8-1>
 *     } ECPointFormatList;
 *
 * The same list in the ClientHello (RFC 8422 5.1) and in the TLS 1.2
 * ServerHello (RFC 8422 5.2: "The server's Supported Point Formats
 * Extension has the same structure as the client's"). TLS 1.3 has no
 * point formats (the RFC 8446 4.2 table does not list it): a TLS 1.3
 * message other than the ClientHello, which offers both versions, is not
 * a form.
 *
 * The list must contain uncompressed(0), in both directions:
 *   RFC 8422 5.1: "If the Supported Point Formats Extension is indeed
 *   sent, it MUST contain the value 0 (uncompressed) as one of the items
 *   in the list of point formats."
 *   RFC 8422 5.2: "The Supported Point Formats Extension, when used, MUST
 *   contain the value 0 (uncompressed) as one of the items in the list of
 *   point formats."
 *   RFC 8422 5.1.2: "If the client sends the extension and the extension
 *   does not contain the uncompressed point format, and the client has
 *   used the Supported Groups extension to indicate support for any of
 *   the curves defined in this specification, then the server MUST abort
 *   the handshake and return an illegal_parameter alert."
 * The alert is illegal_parameter. The condition on supported_groups in
 * 5.1.2 spans two extensions; the codec applies the sender's MUST of 5.1
 * and 5.2, which holds without it, so a list without 0 is rejected
 * whatever groups were offered (a client without ECC curves has no reason
 * to send the extension at all). The server's list gets the same alert.
 */
#include "td_ext.h"

enum { ECPF_UNCOMPRESSED = 0 };

static td_err pf_ctx_check(td_ext_ctx ctx, int *has_form)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:   /* RFC 8422 5.1 */
    case TD_EXT_CTX_SERVER_HELLO12: /* RFC 8422 5.2 */
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

static int pf_has_uncompressed(td_span list)
{
    td_rd r;
    uint8_t f;

    td_rd_init_span(&r, list);
    while (td_rd_u8(&r, &f) == TD_OK)
        if (f == ECPF_UNCOMPRESSED)
            return 1;
    return 0;
}

td_err td_ext_ec_point_formats_decode(td_span data, td_ext_ctx ctx,
                                      td_ext_ec_point_formats *out)
{
    td_ext_ec_point_formats v;
    int has_form;
    td_rd r, list;

    TRY(pf_ctx_check(ctx, &has_form));
    /* RFC 8446 4.2 (and RFC 8422 5.1/5.2 define no other form) */
    ENSURE(has_form, TD_ALERT_ILLEGAL_PARAMETER);
    td_rd_init_span(&r, data);
    /* RFC 8422 5.1.2: ECPointFormat ec_point_format_list<1..2^8-1> */
    TRY(td_rd_vec8(&r, 1, 0xff, &list));
    td_rd_rest(&list, &v.ec_point_format_list);
    TRY(td_rd_done(&r));
    /* RFC 8422 5.1, 5.2: MUST contain uncompressed(0); 5.1.2:
     * illegal_parameter */
    ENSURE(pf_has_uncompressed(v.ec_point_format_list),
           TD_ALERT_ILLEGAL_PARAMETER);
    *out = v;
    return TD_OK;
}

td_err td_ext_ec_point_formats_encode(td_wr *wr, td_ext_ctx ctx,
                                      const td_ext_ec_point_formats *in)
{
    td_wr w = *wr;
    td_wr_mark m;
    int has_form;

    TRY(pf_ctx_check(ctx, &has_form));
    ENSURE(has_form, TD_ERR_INTERNAL);
    ENSURE(in->ec_point_format_list.len >= 1 &&
               in->ec_point_format_list.len <= 0xff,
           TD_ERR_INTERNAL);
    ENSURE(pf_has_uncompressed(in->ec_point_format_list), TD_ERR_INTERNAL);
    TRY(td_wr_open8(&w, &m));
    TRY(td_wr_span(&w, in->ec_point_format_list));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
