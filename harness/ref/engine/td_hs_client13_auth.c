/*
 * The TLS 1.3 client's own authentication messages and the
 * post-handshake messages it receives.
 *
 * RFC 8446 4.4 (Authentication Messages):
 *
 *    +-----------+-------------------------+-----------------------------+
 *    | Mode      | Handshake Context       | Base Key                    |
 *    +-----------+-------------------------+-----------------------------+
 *    | Client    | ClientHello ... later   | client_handshake_traffic_   |
 *    |           | of server               | secret                      |
 *    |           | Finished/EndOfEarlyData |                             |
 *    | Post-     | ClientHello ... client  | client_application_traffic_ |
 *    | Handshake | Finished +              | secret_N                    |
 *    |           | CertificateRequest      |                             |
 *    +-----------+-------------------------+-----------------------------+
 *
 * 4.4.2: "If the server requests client authentication but no suitable
 * certificate is available, the client MUST send a Certificate message
 * containing no certificates"; then no CertificateVerify. 4.4.3: the
 * client signs
 *
 *     0x20 x 64 || "TLS 1.3, client CertificateVerify" || 0x00 ||
 *     Transcript-Hash(Handshake Context, Certificate)
 *
 * with a scheme of the CertificateRequest's signature_algorithms. 4.4.4:
 *
 *     finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
 *     verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context,
 *                        Certificate*, CertificateVerify*))
 *
 * Post-handshake (RFC 8446 4.6): NewSessionTicket (4.6.1; kept in
 * cfg->session13_cache by td_hs_client13_psk.c), post-handshake
 * CertificateRequest (4.6.2; answered only if we sent
 * post_handshake_auth), KeyUpdate (4.6.3, 7.2:
 *
 *     application_traffic_secret_N+1 =
 *         HKDF-Expand-Label(application_traffic_secret_N,
 *                           "traffic upd", "", Hash.length)
 *
 * for the server's key, and for ours too when asked). Post-handshake
 * messages are not part of the handshake transcript (RFC 8446 4.4.1).
 */
#include "td_hs_client13_psk.h"

#include <string.h>

#define TLS13 0x0304u

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

/* The signature_algorithms list body of a CertificateRequest. */
static td_err request_sigalgs(td_span cr_body, td_span *list)
{
    td_certificate_request13 cr;
    td_ext_signature_algorithms sa;
    td_span data;

    TRY(td_certificate_request13_decode(cr_body, &cr));
    /* RFC 8446 4.3.2: "The "signature_algorithms" extension MUST be
     * specified" (the codec refuses a CertificateRequest without it) */
    ENSURE(td_ext_find(cr.extensions, TD_EXT_SIGNATURE_ALGORITHMS, &data),
           TD_ALERT_MISSING_EXTENSION);
    TRY(td_ext_signature_algorithms_decode(data, TD_EXT_CTX_CERTIFICATE_REQUEST,
                                           &sa));
    *list = sa.supported_signature_algorithms;
    return TD_OK;
}

/* The in-handshake CertificateRequest, read back from the transcript. */
static td_err transcript_request_sigalgs(const td_conn *c, td_span *list)
{
    td_rd r;

    td_rd_init(&r, c->transcript, c->transcript_len);
    while (td_rd_left(&r)) {
        td_handshake m;

        TRY(td_handshake_decode(&r, &m));
        if (m.msg_type == TD_HS_CERTIFICATE_REQUEST)
            return request_sigalgs(m.body, list);
    }
    return TD_ERR_INTERNAL;
}

/* Certificate, and CertificateVerify when we have a certificate the
 * server can take (RFC 8446 4.4.2, 4.4.3). */
static td_err send_certificate(td_conn *c, td_span context, td_span sigalgs)
{
    uint8_t body[TD_CONN_MAX_CERTS * (TD_CONN_MAX_CERT_LEN + 5) + 512];
    uint8_t th[TD_HASH_MAX_LEN], content[64 + 34 + 1 + TD_HASH_MAX_LEN];
    uint8_t sig[TD_SIG_MAX_LEN];
    size_t content_len, sig_len;
    uint16_t scheme = 0;
    td_certificate_verify cv;
    td_span s;
    td_wr w;
    int have = c->cfg->chain.n > 0 && c->cfg->key.type != TD_KEY_NONE;

    if (have) {
        /* RFC 8446 4.4.3: "the signature algorithm used in the signature
         * MUST be one of those present in the supported_signature_algorithms
         * field of the "signature_algorithms" extension in the
         * CertificateRequest message"; none fits our key: no suitable
         * certificate (4.4.2) */
        td_err e = td_hs_pick_sig_scheme(c, sigalgs, &scheme);

        if (e == TD_ALERT_HANDSHAKE_FAILURE)
            have = 0;
        else
            TRY(e);
    }
    td_wr_init(&w, body, sizeof body);
    if (have) {
        TRY(td_hs_certificate_body(c, 1, context, &w));
    } else {
        /* RFC 8446 4.4.2: "a Certificate message containing no
         * certificates (i.e., with the "certificate_list" field having
         * length 0)", echoing the request's context */
        td_certificate13 m;

        memset(&m, 0, sizeof m);
        m.certificate_request_context = context;
        TRY(td_certificate13_encode(&w, &m));
    }
    TRY(td_wr_finish(&w, &s));
    TRY(td_conn_send_handshake(c, TD_HS_CERTIFICATE, s));
    if (!have)
        return TD_OK;
    TRY(td_conn_transcript_hash(c, c->suite.hash, c->transcript_len, th));
    TRY(td_hs_cv13_content(0, span_of(th, td_hash_len(c->suite.hash)),
                           content, sizeof content, &content_len));
    TRY(td_hs_sign(c, scheme, span_of(content, content_len), sig, &sig_len));
    cv.algorithm = scheme;
    cv.signature = span_of(sig, sig_len);
    td_wr_init(&w, body, sizeof body);
    TRY(td_certificate_verify_encode(&w, &cv));
    TRY(td_wr_finish(&w, &s));
    TRY(td_conn_send_handshake(c, TD_HS_CERTIFICATE_VERIFY, s));
    c->params.client_auth = 1;
    return TD_OK;
}

td_err td_cli13_send_flight(td_conn *c)
{
    td_span none = {NULL, 0};

    /* RFC 8446 4.4.2: "The client MUST send a Certificate message if and
     * only if the server has requested client authentication via a
     * CertificateRequest message" */
    if (c->client_cert_requested) {
        td_span sigalgs;

        TRY(transcript_request_sigalgs(c, &sigalgs));
        TRY(send_certificate(c, none, sigalgs));
    }
    TRY(td_hs13_send_finished(c, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET));
    return td_conn_flush(c);
}

/* ------------------------------------------------------------------------
 * Post-handshake
 * ------------------------------------------------------------------------ */

td_err td_cli13_on_new_session_ticket(td_conn *c, const td_handshake *msg,
                                      size_t before)
{
    td_new_session_ticket13 nst;
    td_err e;

    (void)before;
    /* In TLS 1.2 the NewSessionTicket comes before the server's
     * ChangeCipherSpec only (RFC 5077 3.3); after the handshake it is
     * out of order (RFC 5246 7.2.2 unexpected_message). */
    ENSURE(c->params.version == TLS13,
           TD_CONN_FAIL(c, TD_ALERT_UNEXPECTED_MESSAGE,
                        "NewSessionTicket after a TLS 1.2 handshake"));
    e = td_new_session_ticket13_decode(msg->body, &nst);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "NewSessionTicket: decode");
    /* RFC 8446 4.6.1: the ticket and its PSK, for a later ClientHello */
    return td_cli13_store_ticket(c, &nst);
}

td_err td_cli13_on_key_update(td_conn *c, const td_handshake *msg,
                              size_t before)
{
    td_key_update ku;
    td_err e;

    (void)before;
    /* RFC 5246 has no KeyUpdate: an unexpected message (7.2.2) */
    ENSURE(c->params.version == TLS13,
           TD_CONN_FAIL(c, TD_ALERT_UNEXPECTED_MESSAGE,
                        "KeyUpdate after a TLS 1.2 handshake"));
    /* RFC 8446 4.6.3: request_update other than 0 or 1 is
     * illegal_parameter (the codec's check) */
    e = td_key_update_decode(msg->body, &ku);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "KeyUpdate: decode");
    /* RFC 8446 4.6.3: the sender's records after the KeyUpdate are under
     * its next key; it must end its record (5.1, td_hs_install_read) */
    TRY(td_ks13_key_update(&c->ks13, TD_KS13_SERVER));
    e = td_hs13_install(c, TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET, 0);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "KeyUpdate: key change");
    if (ku.request_update == TD_KEY_UPDATE_REQUESTED) {
        /* RFC 8446 4.6.3: "the receiver MUST send a KeyUpdate of its own
         * with request_update set to "update_not_requested" prior to
         * sending its next Application Data record" */
        td_key_update mine = {TD_KEY_UPDATE_NOT_REQUESTED};
        uint8_t body[1];
        size_t saved = c->transcript_len;
        td_span s;
        td_wr w;

        td_wr_init(&w, body, sizeof body);
        TRY(td_key_update_encode(&w, &mine));
        TRY(td_wr_finish(&w, &s));
        TRY(td_conn_send_handshake(c, TD_HS_KEY_UPDATE, s));
        td_conn_transcript_set_len(c, saved); /* post-handshake: not in the transcript */
        /* sent under the old key (the install flushes first), then ours
         * changes too (RFC 8446 7.2) */
        TRY(td_ks13_key_update(&c->ks13, TD_KS13_CLIENT));
        TRY(td_hs13_install(c, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET, 1));
    }
    return TD_OK;
}

td_err td_cli13_on_post_handshake_certificate_request(td_conn *c,
                                                      const td_handshake *msg,
                                                      size_t before)
{
    td_certificate_request13 cr;
    td_span sigalgs;
    size_t saved = c->transcript_len;
    td_err e;

    (void)before;
    /* RFC 5246 7.4.4: a TLS 1.2 CertificateRequest belongs to the
     * handshake only */
    ENSURE(c->params.version == TLS13,
           TD_CONN_FAIL(c, TD_ALERT_UNEXPECTED_MESSAGE,
                        "CertificateRequest after a TLS 1.2 handshake"));
    /* RFC 8446 4.6.2: "A client that receives a CertificateRequest
     * message without having sent the "post_handshake_auth" extension
     * MUST send an "unexpected_message" fatal alert." */
    ENSURE(td_cli_offered_extension(c, TD_EXT_POST_HANDSHAKE_AUTH),
           TD_CONN_FAIL(c, TD_ALERT_UNEXPECTED_MESSAGE,
                        "CertificateRequest without post_handshake_auth"));
    e = td_certificate_request13_decode(msg->body, &cr);
    if (e == TD_OK)
        e = request_sigalgs(msg->body, &sigalgs);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "CertificateRequest: decode");
    /* RFC 8446 4.6.2: "The client MUST respond with the appropriate
     * Authentication messages"; Handshake Context: the handshake, then
     * this CertificateRequest (4.4) */
    TRY(td_conn_transcript_add(c, msg->raw));
    TRY(send_certificate(c, cr.certificate_request_context, sigalgs));
    TRY(td_hs13_send_finished(c, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET));
    td_conn_transcript_set_len(c, saved);
    return td_conn_flush(c);
}
