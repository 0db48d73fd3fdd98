/*
 * certificate_authorities: RFC 8446 4.2.4.
 *
 *     opaque DistinguishedName<1..2^16-1>;
 *
 *     struct {
 *         DistinguishedName authorities<3..2^16-1>;
 *     } CertificateAuthoritiesExtension;
 *
 * The names are DER (RFC 8446 4.2.4: "represented in DER-encoded [X690]
 * format"); they are kept as bytes and their DER is not parsed here: a
 * name the receiver cannot use only fails to guide certificate selection.
 * td_distinguished_name_next also walks the TLS 1.2 CertificateRequest's
 * certificate_authorities<0..2^16-1> (RFC 5246 7.4.4), whose
 * DistinguishedName has the same <1..2^16-1> bounds.
 *
 * The encoder checks its input with the decoder's rules and returns the
 * same error, so whatever it writes decodes again. `count` is an output of
 * decode only; the encoder ignores it.
 */
#include "td_ext.h"

/* RFC 8446 4.2 table: certificate_authorities appears in CH and CR. */
static td_err ca_ctx_check(td_ext_ctx ctx)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
    case TD_EXT_CTX_CERTIFICATE_REQUEST:
        return TD_OK;
    default:
        /* RFC 8446 4.2: an extension "not specified for the message in
         * which it appears" is illegal_parameter. */
        return TD_ALERT_ILLEGAL_PARAMETER;
    }
}

td_err td_distinguished_name_next(td_rd *list, td_span *dn, int *got)
{
    td_rd r = *list, body;
    td_span s;

    if (td_rd_left(&r) == 0) {
        *got = 0;
        return TD_OK;
    }
    /* RFC 8446 4.2.4, RFC 5246 7.4.4: DistinguishedName<1..2^16-1>;
     * RFC 8446 6: decode_error */
    TRY(td_rd_vec16(&r, 1, 0xffff, &body));
    td_rd_rest(&body, &s);
    *dn = s;
    *got = 1;
    *list = r;
    return TD_OK;
}

/* Check an authorities body; *count = names. */
static td_err ca_authorities_check(td_span body, size_t *count)
{
    td_rd r;
    td_span dn;
    size_t n = 0;
    int got;

    /* RFC 8446 4.2.4: authorities<3..2^16-1> (the decoder's vector read
     * enforces it too; the encoder relies on this check) */
    ENSURE(body.len >= 3 && body.len <= 0xffff, TD_ALERT_DECODE_ERROR);
    td_rd_init_span(&r, body);
    for (;;) {
        TRY(td_distinguished_name_next(&r, &dn, &got));
        if (!got)
            break;
        n++;
    }
    *count = n;
    return TD_OK;
}

td_err td_ext_certificate_authorities_decode(td_span data, td_ext_ctx ctx,
                                             td_ext_certificate_authorities *out)
{
    td_ext_certificate_authorities ca;
    td_rd r, list;

    TRY(ca_ctx_check(ctx));
    td_rd_init_span(&r, data);
    /* RFC 8446 4.2.4: authorities<3..2^16-1>; RFC 8446 6: decode_error */
    TRY(td_rd_vec16(&r, 3, 0xffff, &list));
    td_rd_rest(&list, &ca.authorities);
    TRY(td_rd_done(&r));
    TRY(ca_authorities_check(ca.authorities, &ca.count));
    *out = ca;
    return TD_OK;
}

td_err td_ext_certificate_authorities_encode(td_wr *wr, td_ext_ctx ctx,
                                             const td_ext_certificate_authorities *in)
{
    td_wr w = *wr;
    td_wr_mark m;
    size_t n;

    TRY(ca_ctx_check(ctx));
    TRY(ca_authorities_check(in->authorities, &n));
    TRY(td_wr_open16(&w, &m));
    TRY(td_wr_span(&w, in->authorities));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
