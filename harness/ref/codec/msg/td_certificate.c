/*
 * Certificate: RFC 8446 4.4.2 (TLS 1.3), RFC 5246 7.4.2 (TLS 1.2).
 *
 * RFC 8446 4.4.2:
 *
 *     struct {
 *         select (certificate_type) {
 *             case RawPublicKey:
 *               (From RFC 7250 ASN.1_subjectPublicKeyInfo)
 *               opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
 *
 *             case X509:
 *               opaque cert_data<1..2^24-1>;
 *         };
 *         Extension extensions<0..2^16-1>;
 *     } CertificateEntry;
 *
 *     struct {
 *         opaque certificate_request_context<0..2^8-1>;
 *         CertificateEntry certificate_list<0..2^24-1>;
 *     } Certificate;
 *
 * RFC 5246 7.4.2:
 *
 *     opaque ASN.1Cert<1..2^24-1>;
 *
 *     struct {
 *         ASN.1Cert certificate_list<0..2^24-1>;
 *     } Certificate;
 *
 * Both entry forms of RFC 8446 have the same wire syntax (a <1..2^24-1>
 * vector), so cert_data holds either. Certificate contents are not parsed
 * here (X.509 is its own module).
 *
 * Rules that depend on who sent the message or on the connection are the
 * handshake layer's: "The server's certificate_list MUST always be
 * non-empty" (RFC 8446 4.4.2, decode_error per 4.4.2.4) while a client
 * may send an empty one; the certificate_request_context echo (RFC 8446
 * 4.4.2); extensions "MUST correspond to" offered ones (RFC 8446 4.4.2).
 *
 * The encoders write the struct as given (count is ignored); only a
 * length its prefix cannot express fails (TD_ERR_INTERNAL).
 */
#include "../td_codec_impl.h"
#include "td_msg.h"

#include <string.h>

#define TD_U24_MAX 0xffffffu

td_err td_certificate_entry_next(td_rd *list, td_certificate_entry *e, int *got)
{
    td_rd r = *list;
    td_certificate_entry ent;

    if (td_rd_left(&r) == 0) {
        *got = 0;
        return TD_OK;
    }
    /* RFC 8446 4.4.2 cert_data<1..2^24-1>: empty is out of range,
     * decode_error (RFC 8446 6) */
    TRY(td_codec_vec_read(&r, 3, 1, TD_U24_MAX, 1, &ent.cert_data));
    /* RFC 8446 4.4.2 Extension extensions<0..2^16-1> (framing only: the
     * list was checked by td_certificate13_decode) */
    TRY(td_codec_vec_read(&r, 2, 0, 0xffff, 1, &ent.extensions));
    *e = ent;
    *got = 1;
    *list = r;
    return TD_OK;
}

td_err td_certificate_entry_encode(td_wr *wr, const td_certificate_entry *e)
{
    td_wr w = *wr;

    TRY(td_codec_vec_write(&w, 3, e->cert_data));
    TRY(td_codec_vec_write(&w, 2, e->extensions));
    *wr = w;
    return TD_OK;
}

td_err td_certificate13_decode(td_span body, td_certificate13 *out)
{
    td_certificate13 c;
    td_rd rd, v, list;
    td_span ext;

    memset(&c, 0, sizeof c);
    td_rd_init_span(&rd, body);
    /* RFC 8446 4.4.2 certificate_request_context<0..2^8-1> */
    TRY(td_codec_vec_read(&rd, 1, 0, 0xff, 1, &c.certificate_request_context));
    /* RFC 8446 4.4.2 CertificateEntry certificate_list<0..2^24-1> */
    TRY(td_rd_vec24(&rd, 0, TD_U24_MAX, &list));
    /* RFC 8446 6: bytes after the list are a decode_error */
    TRY(td_rd_done(&rd));
    td_rd_rest(&list, &c.certificate_list);
    td_rd_init_span(&list, c.certificate_list);
    while (td_rd_left(&list) > 0) {
        /* RFC 8446 4.4.2 cert_data<1..2^24-1>: empty is out of range,
         * decode_error (RFC 8446 6) */
        TRY(td_rd_vec24(&list, 1, TD_U24_MAX, &v));
        /* RFC 8446 4.4.2 extensions<0..2^16-1>, checked against the CT
         * column of the RFC 8446 4.2 table */
        TRY(td_ext_block_decode(&list, TD_EXT_CTX_CERTIFICATE, 0, &ext));
        c.count++;
    }
    *out = c;
    return TD_OK;
}

td_err td_certificate13_encode(td_wr *wr, const td_certificate13 *in)
{
    td_wr w = *wr;

    TRY(td_codec_vec_write(&w, 1, in->certificate_request_context));
    TRY(td_codec_vec_write(&w, 3, in->certificate_list));
    *wr = w;
    return TD_OK;
}

td_err td_asn1_cert_next(td_rd *list, td_span *cert, int *got)
{
    /* RFC 5246 7.4.2 ASN.1Cert<1..2^24-1>: empty is out of range,
     * decode_error (RFC 5246 7.2.2) */
    return td_codec_vec_next(list, 3, 1, TD_U24_MAX, cert, got);
}

td_err td_certificate12_decode(td_span body, td_certificate12 *out)
{
    td_certificate12 c;

    memset(&c, 0, sizeof c);
    /* RFC 5246 7.4.2 ASN.1Cert certificate_list<0..2^24-1>, nothing after
     * it (RFC 5246 7.2.2 decode_error), each ASN.1Cert<1..2^24-1> */
    TRY(td_codec_vec_decode(body, 3, 0, TD_U24_MAX, 1, &c.certificate_list));
    TRY(td_codec_vec_count(c.certificate_list, 3, 1, TD_U24_MAX, &c.count));
    *out = c;
    return TD_OK;
}

td_err td_certificate12_encode(td_wr *wr, const td_certificate12 *in)
{
    return td_codec_vec_write(wr, 3, in->certificate_list);
}
