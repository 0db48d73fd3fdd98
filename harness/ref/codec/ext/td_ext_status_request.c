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
 *
 * The encoder writes the fields of the context's form as they are (an
 * empty ResponderID, a response of another status_type or without
 * bytes); the empty forms have no field to write.
 */
#include "../td_codec_impl.h"

#include <string.h>

typedef enum sr_form {
    SR_FORM_REQUEST,  /* CertificateStatusRequest */
    SR_FORM_EMPTY,    /* empty extension_data */
    SR_FORM_RESPONSE, /* CertificateStatus */
} sr_form;

/* Which form, in a context the RFC 8446 4.2 table allows. */
static sr_form sr_form_of(td_ext_ctx ctx)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO: /* RFC 6066 8 */
        return SR_FORM_REQUEST;
    case TD_EXT_CTX_CERTIFICATE:  /* RFC 8446 4.4.2.1 */
        return SR_FORM_RESPONSE;
    default: /* TLS 1.2 ServerHello (RFC 6066 8), CR (RFC 8446 4.4.2.1) */
        return SR_FORM_EMPTY;
    }
}

td_err td_ext_status_request_decode(td_span data, td_ext_ctx ctx,
                                    td_ext_status_request *out)
{
    td_ext_status_request v;
    td_rd r;
    size_t ids;

    TRY(td_ext_form_check(TD_EXT_STATUS_REQUEST, ctx));
    memset(&v, 0, sizeof v);
    td_rd_init_span(&r, data);
    switch (sr_form_of(ctx)) {
    case SR_FORM_REQUEST:
        TRY(td_rd_u8(&r, &v.status_type));
        if (v.status_type == TD_STATUS_TYPE_OCSP) {
            /* RFC 6066 8: ResponderID responder_id_list<0..2^16-1> */
            TRY(td_codec_vec_read(&r, 2, 0, 0xffff, 1, &v.responder_id_list));
            /* RFC 6066 8: opaque ResponderID<1..2^16-1> */
            TRY(td_codec_vec_count(v.responder_id_list, 2, 1, 0xffff, &ids));
            /* RFC 6066 8: opaque Extensions<0..2^16-1> */
            TRY(td_codec_vec_read(&r, 2, 0, 0xffff, 1, &v.request_extensions));
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
        TRY(td_codec_vec_read(&r, 3, 1, 0xffffff, 1, &v.ocsp_response));
        break;
    case SR_FORM_EMPTY: /* RFC 6066 8, RFC 8446 4.4.2.1: empty */
        break;
    }
    /* every form is consumed exactly (RFC 8446 6: decode_error) */
    TRY(td_rd_done(&r));
    *out = v;
    return TD_OK;
}

td_err td_ext_status_request_encode(td_wr *wr, td_ext_ctx ctx,
                                    const td_ext_status_request *in)
{
    td_wr w = *wr;

    TRY(td_ext_encode_check(TD_EXT_STATUS_REQUEST, ctx));
    switch (sr_form_of(ctx)) {
    case SR_FORM_REQUEST:
        TRY(td_wr_u8(&w, in->status_type));
        if (in->status_type == TD_STATUS_TYPE_OCSP) {
            TRY(td_codec_vec_write(&w, 2, in->responder_id_list));
            TRY(td_codec_vec_write(&w, 2, in->request_extensions));
        } else {
            /* the opaque rest, after status_type, within
             * extension_data<0..2^16-1> */
            ENSURE(in->request_extensions.len <= 0xffff - 1, TD_ERR_INTERNAL);
            TRY(td_wr_span(&w, in->request_extensions));
        }
        break;
    case SR_FORM_RESPONSE:
        TRY(td_wr_u8(&w, in->status_type));
        TRY(td_codec_vec_write(&w, 3, in->ocsp_response));
        break;
    case SR_FORM_EMPTY:
        break;
    }
    *wr = w;
    return TD_OK;
}
