/*
 * Our side of authentication, both roles and both versions: which
 * signature scheme we sign with, what a TLS 1.3 CertificateVerify signs,
 * the signature itself, and the Certificate message we send.
 *
 * RFC 8446 4.4.2 (Certificate):
 *
 *     struct {
 *         opaque cert_data<1..2^24-1>;
 *         Extension extensions<0..2^16-1>;
 *     } CertificateEntry;
 *
 *     struct {
 *         opaque certificate_request_context<0..2^8-1>;
 *         CertificateEntry certificate_list<0..2^24-1>;
 *     } Certificate;
 *
 * RFC 5246 7.4.2: opaque ASN.1Cert<1..2^24-1>;
 *                 struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
 *
 * RFC 8446 4.4.3 (CertificateVerify): the digital signature is computed
 * over the concatenation of
 *   -  A string that consists of octet 32 (0x20) repeated 64 times
 *   -  The context string ("TLS 1.3, server CertificateVerify" or
 *      "TLS 1.3, client CertificateVerify")
 *   -  A single 0 byte which serves as the separator
 *   -  The content to be signed (Transcript-Hash(Handshake Context,
 *      Certificate))
 *
 * RFC 8446 4.4.2.2 / 4.4.3, RFC 5246 7.4.1.4.1: the scheme is one the
 * peer offered and our key can make; RSA signatures in TLS 1.3 are
 * RSASSA-PSS only (RFC 8446 4.4.3).
 */
#include "td_hs.h"

#include <string.h>

/* RFC 8446 4.4.3: "RSA signatures MUST use an RSASSA-PSS algorithm,
 * regardless of whether RSASSA-PKCS1-v1_5 algorithms appear in
 * "signature_algorithms"." */
static int is_pkcs1(uint16_t scheme)
{
    return scheme == 0x0401 || scheme == 0x0501 || scheme == 0x0601;
}

td_sig_curve td_hs_sig_curve(const td_conn *c)
{
    return c->params.version == 0x0304 ? TD_SIG_CURVE_BOUND : TD_SIG_CURVE_FREE;
}

static int usable(const td_conn *c, td_span peer_list, uint16_t scheme)
{
    if (!td_sig_supported(scheme) ||
        !td_sig_fits_key(scheme, td_hs_sig_curve(c), &c->cfg->key))
        return 0;
    if (c->params.version == 0x0304 && is_pkcs1(scheme))
        return 0; /* RFC 8446 4.4.3 */
    return td_hs_u16_in(peer_list, scheme);
}

td_err td_hs_pick_sig_scheme(const td_conn *c, td_span peer_list,
                             uint16_t *scheme)
{
    const td_code_list *ours = td_hs_our_sigalgs(c);
    size_t i;

    /* RFC 8446 4.4.2.2: no certificate, or none the peer can accept */
    ENSURE(c->cfg->key.type != TD_KEY_NONE, TD_ALERT_HANDSHAKE_FAILURE);
    for (i = 0; i < ours->n; i++)
        if (usable(c, peer_list, ours->v[i])) {
            *scheme = ours->v[i];
            return TD_OK;
        }
    /* RFC 8446 4.4.2.2 / 4.1.1: no overlap of the client's
     * signature_algorithms with what our key can make;
     * RFC 5246 7.4.1.4.1 likewise. */
    return TD_ALERT_HANDSHAKE_FAILURE;
}

td_err td_hs_cv13_content(int from_server, td_span transcript_hash,
                          uint8_t *out, size_t cap, size_t *len)
{
    static const char server_ctx[] = "TLS 1.3, server CertificateVerify";
    static const char client_ctx[] = "TLS 1.3, client CertificateVerify";
    const char *ctx = from_server ? server_ctx : client_ctx;
    size_t ctx_len = from_server ? sizeof server_ctx - 1 : sizeof client_ctx - 1;
    td_wr w;
    td_span s;
    int i;

    ENSURE(transcript_hash.len <= TD_HASH_MAX_LEN, TD_ERR_INTERNAL);
    td_wr_init(&w, out, cap);
    for (i = 0; i < 64; i++) /* octet 32 (0x20) repeated 64 times */
        TRY(td_wr_u8(&w, 0x20));
    TRY(td_wr_bytes(&w, (const uint8_t *)ctx, ctx_len));
    TRY(td_wr_u8(&w, 0x00)); /* the separator */
    TRY(td_wr_span(&w, transcript_hash));
    TRY(td_wr_finish(&w, &s));
    *len = s.len;
    return TD_OK;
}

/* The PSS salt length: the digest length (RFC 8446 4.2.3: "The length of
 * the Salt MUST be equal to the length of the digest algorithm"); 0 for
 * the schemes that take no randomness. */
static size_t salt_len(uint16_t scheme)
{
    switch (scheme) {
    case 0x0804:
        return 32;
    case 0x0805:
        return 48;
    case 0x0806:
        return 64;
    default:
        return 0;
    }
}

td_err td_hs_sign(td_conn *c, uint16_t scheme, td_span msg, uint8_t *sig,
                  size_t *sig_len)
{
    uint8_t salt[64];
    td_span s = {salt, salt_len(scheme)};
    td_err e;

    ENSURE(td_sig_fits_key(scheme, td_hs_sig_curve(c), &c->cfg->key), TD_ERR_INTERNAL);
    if (s.len)
        TRY(td_conn_draw(c, TD_DRAW_SIGNATURE, salt, s.len));
    else
        s.p = NULL;
    e = td_sig_sign(scheme, td_hs_sig_curve(c), &c->cfg->key, msg, s, sig, sig_len);
    td_secure_zero(salt, sizeof salt);
    return e;
}

td_err td_hs_certificate_body(const td_conn *c, int tls13, td_span context,
                              td_wr *wr)
{
    /* every certificate with its 3-byte length and (1.3) 2-byte empty
     * extensions */
    uint8_t list[TD_CONN_MAX_CERTS * (TD_CONN_MAX_CERT_LEN + 5)];
    const td_cert_list *chain = &c->cfg->chain;
    td_wr lw;
    td_span body;
    size_t i;

    ENSURE(chain->n <= TD_CONN_MAX_CERTS, TD_ERR_INTERNAL);
    td_wr_init(&lw, list, sizeof list);
    for (i = 0; i < chain->n; i++) {
        td_span der = {chain->der[i], chain->len[i]};

        ENSURE(der.len > 0 && der.len <= TD_CONN_MAX_CERT_LEN, TD_ERR_INTERNAL);
        if (tls13) {
            /* RFC 8446 4.4.2: no extensions (we answer no status_request
             * or signed_certificate_timestamp) */
            td_certificate_entry e = {der, {NULL, 0}};

            TRY(td_certificate_entry_encode(&lw, &e));
        } else {
            /* RFC 5246 7.4.2: ASN.1Cert<1..2^24-1> */
            td_wr_mark m;

            TRY(td_wr_open24(&lw, &m));
            TRY(td_wr_span(&lw, der));
            TRY(td_wr_close(&lw, &m));
        }
    }
    TRY(td_wr_finish(&lw, &body));
    if (tls13) {
        td_certificate13 m;

        memset(&m, 0, sizeof m);
        m.certificate_request_context = context;
        m.certificate_list = body;
        m.count = chain->n;
        return td_certificate13_encode(wr, &m);
    } else {
        td_certificate12 m;

        memset(&m, 0, sizeof m);
        m.certificate_list = body;
        m.count = chain->n;
        return td_certificate12_encode(wr, &m);
    }
}
