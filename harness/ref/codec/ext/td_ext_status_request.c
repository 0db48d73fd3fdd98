/*
 * status_request: RFC 6066 8, RFC 8446 4.4.2.1.
 *
 *     struct {
 *         CertificateStatusType status_type;
 *         select (status_type) {
 *             case ocsp: OCSPStatusRequest;
 *         } request;
 *     } CertificateStatusRequest;
 *
 *     enum { ocsp(1), (255) } CertificateStatusType;
 *
 *     struct {
 *         ResponderID responder_id_list<0..2^16-1>;
 *         Extensions  request_extensions;
 *     } OCSPStatusRequest;
 *
 *     opaque ResponderID<1..2^16-1>;
 *     opaque Extensions<0..2^16-1>;
 *
 *     struct {
 *         CertificateStatusType status_type;
 *         select (status_type) {
 *             case ocsp: OCSPResponse;
 *         } response;
 *     } CertificateStatus;
 *
 *     opaque OCSPResponse<1..2^24-1>;
 *
 * Forms, by message:
 *   ClientHello          CertificateStatusRequest (RFC 6066 8)
 *   ServerHello (1.2)    empty: "the server MUST have included an extension
 *                        of type "status_request" with empty
 *                        "extension_data" in the extended server hello"
 *                        (RFC 6066 8)
 *   CertificateRequest   empty: "A server MAY request that a client present
 *                        an OCSP response with its certificate by sending
 *                        an empty "status_request" extension in its
 *                        CertificateRequest message." (RFC 8446 4.4.2.1)
 *   Certificate          CertificateStatus: "the body of the
 *                        "status_request" extension from the server MUST be
 *                        a CertificateStatus structure" (RFC 8446 4.4.2.1;
 *                        the same for the client's answer to a request)
 *
 * A request with a status_type other than ocsp(1): RFC 6066 8 defines no
 * other type, but the enum leaves room for more, and a server that does
 * not know the type can ignore the request, as it may any request it does
 * not serve. So the request is accepted: status_type is kept, and
 * everything after it is kept opaque in request_extensions (without a
 * length prefix, as nothing says there is one), so that encode(decode(x))
 * == x. A response of another type in a Certificate cannot be one the
 * peer asked for (only ocsp can be requested) and has no structure to
 * read: decode_error (RFC 8446 6: "some field was out of the specified
 * range").
 */
#include "td_ext.h"

#include <string.h>

typedef enum sr_form {
    SR_FORM_NONE,     /* no form in this message */
    SR_FORM_REQUEST,  /* CertificateStatusRequest */
    SR_FORM_EMPTY,    /* empty extension_data */
    SR_FORM_RESPONSE, /* CertificateStatus */
} sr_form;

static td_err sr_form_of(td_ext_ctx ctx, sr_form *form)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
        *form = SR_FORM_REQUEST;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO12:        /* RFC 6066 8 */
    case TD_EXT_CTX_CERTIFICATE_REQUEST:   /* RFC 8446 4.4.2.1 */
        *form = SR_FORM_EMPTY;
        return TD_OK;
    case TD_EXT_CTX_CERTIFICATE:           /* RFC 8446 4.4.2.1 */
        *form = SR_FORM_RESPONSE;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO13:
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS:
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        *form = SR_FORM_NONE;
        return TD_OK;
    default:
        return TD_ERR_INTERNAL;
    }
}

/* A responder_id_list body: ResponderID entries, each opaque<1..2^16-1>. */
static td_err sr_responder_ids_check(td_span list)
{
    td_rd r, id;

    td_rd_init_span(&r, list);
    while (td_rd_left(&r) > 0)
        TRY(td_rd_vec16(&r, 1, 0xffff, &id)); /* RFC 6066 8 */
    return TD_OK;
}

td_err td_ext_status_request_decode(td_span data, td_ext_ctx ctx,
                                    td_ext_status_request *out)
{
    td_ext_status_request v;
    sr_form form;
    td_rd r, body;

    TRY(sr_form_of(ctx, &form));
    /* RFC 8446 4.2: not specified for this message */
    ENSURE(form != SR_FORM_NONE, TD_ALERT_ILLEGAL_PARAMETER);
    memset(&v, 0, sizeof v);
    td_rd_init_span(&r, data);
    switch (form) {
    case SR_FORM_REQUEST:
        TRY(td_rd_u8(&r, &v.status_type));
        if (v.status_type == TD_STATUS_TYPE_OCSP) {
            /* RFC 6066 8: ResponderID responder_id_list<0..2^16-1> */
            TRY(td_rd_vec16(&r, 0, 0xffff, &body));
            td_rd_rest(&body, &v.responder_id_list);
            TRY(sr_responder_ids_check(v.responder_id_list));
            /* RFC 6066 8: opaque Extensions<0..2^16-1> */
            TRY(td_rd_vec16(&r, 0, 0xffff, &body));
            td_rd_rest(&body, &v.request_extensions);
        } else {
            /* unknown status_type: kept opaque (see the top comment),
             * within the extension_data<0..2^16-1> it came in */
            ENSURE(data.len <= 0xffff, TD_ALERT_DECODE_ERROR);
            td_rd_rest(&r, &v.request_extensions);
        }
        break;
    case SR_FORM_RESPONSE:
        TRY(td_rd_u8(&r, &v.status_type));
        /* RFC 6066 8: ocsp is the only response; RFC 8446 6 */
        ENSURE(v.status_type == TD_STATUS_TYPE_OCSP, TD_ALERT_DECODE_ERROR);
        /* RFC 6066 8: opaque OCSPResponse<1..2^24-1> */
        TRY(td_rd_vec24(&r, 1, 0xffffff, &body));
        td_rd_rest(&body, &v.ocsp_response);
        break;
    case SR_FORM_EMPTY: /* RFC 6066 8, RFC 8446 4.4.2.1: empty */
    case SR_FORM_NONE:
        break;
    }
    /* every form is consumed exactly (RFC 8446 6: decode_error) */
    TRY(td_rd_done(&r));
    *out = v;
    return TD_OK;
}

/* Input that would not decode back to itself is TD_ERR_INTERNAL: the
 * reference never sends it. */
td_err td_ext_status_request_encode(td_wr *wr, td_ext_ctx ctx,
                                    const td_ext_status_request *in)
{
    td_wr w = *wr;
    td_wr_mark m;
    sr_form form;

    TRY(sr_form_of(ctx, &form));
    ENSURE(form != SR_FORM_NONE, TD_ERR_INTERNAL);
    switch (form) {
    case SR_FORM_REQUEST:
        ENSURE(in->ocsp_response.len == 0, TD_ERR_INTERNAL);
        TRY(td_wr_u8(&w, in->status_type));
        if (in->status_type == TD_STATUS_TYPE_OCSP) {
            ENSURE(in->responder_id_list.len <= 0xffff &&
                       in->request_extensions.len <= 0xffff,
                   TD_ERR_INTERNAL);
            ENSURE(sr_responder_ids_check(in->responder_id_list) == TD_OK,
                   TD_ERR_INTERNAL);
            TRY(td_wr_open16(&w, &m));
            TRY(td_wr_span(&w, in->responder_id_list));
            TRY(td_wr_close(&w, &m));
            TRY(td_wr_open16(&w, &m));
            TRY(td_wr_span(&w, in->request_extensions));
            TRY(td_wr_close(&w, &m));
        } else {
            ENSURE(in->responder_id_list.len == 0 &&
                       in->request_extensions.len <= 0xffff - 1,
                   TD_ERR_INTERNAL);
            TRY(td_wr_span(&w, in->request_extensions));
        }
        break;
    case SR_FORM_RESPONSE:
        ENSURE(in->status_type == TD_STATUS_TYPE_OCSP, TD_ERR_INTERNAL);
        ENSURE(in->responder_id_list.len == 0 &&
                   in->request_extensions.len == 0,
               TD_ERR_INTERNAL);
        ENSURE(in->ocsp_response.len >= 1 && in->ocsp_response.len <= 0xffffff,
               TD_ERR_INTERNAL);
        TRY(td_wr_u8(&w, in->status_type));
        TRY(td_wr_open24(&w, &m));
        TRY(td_wr_span(&w, in->ocsp_response));
        TRY(td_wr_close(&w, &m));
        break;
    case SR_FORM_EMPTY:
    case SR_FORM_NONE:
        ENSURE(in->status_type == 0 && in->responder_id_list.len == 0 &&
                   in->request_extensions.len == 0 &&
                   in->ocsp_response.len == 0,
               TD_ERR_INTERNAL);
        break;
    }
    *wr = w;
    return TD_OK;
}
