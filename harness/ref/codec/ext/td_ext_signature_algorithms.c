/*
 * signature_algorithms and signature_algorithms_cert: RFC 8446 4.2.3
 * (RFC 5246 7.4.1.4.1 for TLS 1.2).
 *
 *     struct {
 *         SignatureScheme supported_signature_algorithms<2..2^16-2>;
 *     } SignatureSchemeList;
 *
 * SignatureScheme is a uint16, so the list body has an even length. Both
 * extensions carry a SignatureSchemeList, in the ClientHello and in the
 * TLS 1.3 CertificateRequest (RFC 8446 4.2 table: CH, CR; the TLS 1.2
 * CertificateRequest has no extensions). In TLS 1.2, "Servers MUST NOT
 * send this extension" (RFC 5246 7.4.1.4.1): the ServerHello is not a
 * form either. Unknown schemes are kept: which ones to use is
 * negotiation, not syntax.
 */
#include "td_ext.h"

static td_err sa_ctx_check(td_ext_ctx ctx, int *has_form)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
    case TD_EXT_CTX_CERTIFICATE_REQUEST: /* RFC 8446 4.2, 4.3.2 */
        *has_form = 1;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO12: /* RFC 5246 7.4.1.4.1 */
    case TD_EXT_CTX_SERVER_HELLO13:
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS:
    case TD_EXT_CTX_CERTIFICATE:
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        *has_form = 0;
        return TD_OK;
    default:
        return TD_ERR_INTERNAL;
    }
}

/* The bounds of the list body in bytes: <2..2^16-2>, whole uint16s. */
static int sa_list_len_ok(size_t n)
{
    return n >= 2 && n <= 0xfffe && n % 2 == 0;
}

td_err td_ext_signature_algorithms_decode(td_span data, td_ext_ctx ctx,
                                          td_ext_signature_algorithms *out)
{
    td_ext_signature_algorithms v;
    int has_form;
    td_rd r, list;

    TRY(sa_ctx_check(ctx, &has_form));
    /* RFC 8446 4.2: not specified for this message */
    ENSURE(has_form, TD_ALERT_ILLEGAL_PARAMETER);
    td_rd_init_span(&r, data);
    /* RFC 8446 4.2.3: supported_signature_algorithms<2..2^16-2> */
    TRY(td_rd_vec16(&r, 2, 0xfffe, &list));
    td_rd_rest(&list, &v.supported_signature_algorithms);
    /* whole uint16s (RFC 8446 3.4; RFC 8446 6: decode_error) */
    ENSURE(v.supported_signature_algorithms.len % 2 == 0,
           TD_ALERT_DECODE_ERROR);
    TRY(td_rd_done(&r));
    *out = v;
    return TD_OK;
}

td_err td_ext_signature_algorithms_encode(td_wr *wr, td_ext_ctx ctx,
                                          const td_ext_signature_algorithms *in)
{
    td_wr w = *wr;
    td_wr_mark m;
    int has_form;

    TRY(sa_ctx_check(ctx, &has_form));
    ENSURE(has_form, TD_ERR_INTERNAL);
    ENSURE(sa_list_len_ok(in->supported_signature_algorithms.len),
           TD_ERR_INTERNAL);
    TRY(td_wr_open16(&w, &m));
    TRY(td_wr_span(&w, in->supported_signature_algorithms));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
