/*
 * The TLS 1.2 server from the client's second flight to the end of the
 * handshake (the ClientHello and our first flight are td_hs_server12.c):
 *
 *     RFC 5246 7.4.6   the client's Certificate (empty: continue, or
 *                      handshake_failure when a certificate is required)
 *     RFC 5246 7.4.7   ClientKeyExchange: the ECDHE point (RFC 8422
 *                      5.7), or the RSA-encrypted premaster secret with
 *                      the countermeasure of 7.4.7.1
 *     RFC 5246 7.4.8   CertificateVerify over the handshake messages so
 *                      far, with a scheme of our CertificateRequest
 *     RFC 5246 7.4.9   the client's Finished, then our ChangeCipherSpec
 *                      and Finished (RFC 5077 3.3: after the
 *                      NewSessionTicket we announced)
 *     RFC 5077 3.3     NewSessionTicket (also sent by td_hs_server12.c
 *                      when it resumes by ticket)
 *     RFC 5246 7.2.2   a ClientHello once connected: no_renegotiation
 */
#include "td_hs12.h"

#include <string.h>

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

td_err td_srv12_on_certificate(td_conn *c, const td_handshake *msg,
                               size_t before)
{
    td_certificate12 m;

    (void)before;
    TRY(td_certificate12_decode(msg->body, &m));
    c->hs12.peer_cert = 0;
    if (m.count == 0) {
        /* RFC 5246 7.4.6: "If the client does not send any certificates,
         * the server MAY at its discretion either continue the handshake
         * without client authentication, or respond with a fatal
         * handshake_failure alert." We continue unless it is required. */
        if (c->cfg->client_auth == TD_CLIENT_AUTH_REQUIRE)
            return TD_CONN_FAIL(c, TD_ALERT_HANDSHAKE_FAILURE,
                                "client certificate required");
    } else {
        TRY(td_hs_store_peer_chain12(c, &m));
        TRY(td_hs_check_peer_chain(c));
        /* RFC 5246 7.4.6: the certificate type "MUST be appropriate for
         * the negotiated cipher suite's key exchange" and match one of
         * the certificate_types we listed (RSA, ECDSA/EdDSA). */
        if (c->peer_key.type == TD_KEY_NONE)
            return TD_CONN_FAIL(c, TD_ALERT_UNSUPPORTED_CERTIFICATE,
                                "client certificate key type");
        c->hs12.peer_cert = 1;
    }
    c->state = TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE;
    return TD_OK;
}

/* RFC 5246 7.4.7.1: decrypt the premaster secret, substituting random
 * bytes in constant time when the padding, the length or the version is
 * wrong. Of the two constructions there, this is the second ("treat a
 * version number mismatch as a PKCS-1 formatting error and randomize the
 * premaster secret completely"):
 *     1. Generate a string R of 48 random bytes
 *     2. Decrypt the message to recover the plaintext M
 *     3. If the PKCS#1 padding is not correct, or the length of message
 *        M is not exactly 48 bytes:
 *           pre_master_secret = R
 *        else If M[0..1] != ClientHello.client_version:
 *           premaster secret = R
 *        else:
 *           premaster secret = M
 * and "a TLS server MUST NOT generate an alert if processing an
 * RSA-encrypted premaster secret message fails, or the version number is
 * not as expected": a ciphertext of the wrong length (a public property,
 * but still a failed decryption) takes R as well. Either way the client's
 * Finished then fails to verify (decrypt_error). */
static td_err rsa_premaster(td_conn *c, td_span enc, uint8_t pms[48])
{
    uint8_t R[48], M[48];
    unsigned ok = 0, v, good;
    uint8_t mask;
    size_t i, k = (c->cfg->key.bits + 7) / 8;
    td_err e = TD_OK;

    TRY(td_conn_draw(c, TD_DRAW_PREMASTER, R, sizeof R));
    memset(M, 0, sizeof M);
    if (enc.len == k)
        e = td_rsa_decrypt_premaster(&c->cfg->key, enc, M, &ok);
    if (e == TD_OK) {
        v = (unsigned)(M[0] ^ (c->hs12.client_version >> 8)) |
            (unsigned)(M[1] ^ (c->hs12.client_version & 0xff));
        /* v in 0..255: (v - 1) >> 31 is 1 exactly when v == 0 */
        good = (ok & 1u) & ((v - 1u) >> 31);
        mask = (uint8_t)(0u - good);
        for (i = 0; i < 48; i++)
            pms[i] = (uint8_t)((M[i] & mask) | (R[i] & (uint8_t)~mask));
    }
    td_secure_zero(R, sizeof R);
    td_secure_zero(M, sizeof M);
    return e;
}

td_err td_srv12_on_client_key_exchange(td_conn *c, const td_handshake *msg,
                                       size_t before)
{
    uint8_t pms[TD_KX_MAX_SHARED_LEN > 48 ? TD_KX_MAX_SHARED_LEN : 48];
    size_t pms_len = 48;
    td_client_key_exchange cke;
    td_err e;

    (void)before;
    /* RFC 5246 7.4.7, RFC 8422 5.7 */
    TRY(td_client_key_exchange_decode(
        msg->body, c->hs12.kx_rsa ? TD_KX_RSA : TD_KX_ECDHE, &cke));
    if (c->hs12.kx_rsa)
        e = rsa_premaster(c, cke.exchange_keys, pms);
    else /* a point off the curve: illegal_parameter (RFC 8422 5.10) */
        e = td_hs_kx_shared(c, c->hs12.group, cke.exchange_keys, pms,
                            &pms_len);
    if (e == TD_OK)
        e = td_hs12_master_secret(c, span_of(pms, pms_len));
    td_secure_zero(pms, sizeof pms);
    td_hs_kx_wipe(c);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "ClientKeyExchange");
    TRY(td_hs12_expect_peer_ccs(c));
    /* RFC 5246 7.4.8: a client that sent a certificate proves it */
    c->state = c->hs12.peer_cert ? TD_ST_SRV12_WAIT_CERTIFICATE_VERIFY
                                 : TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC;
    return TD_OK;
}

td_err td_srv12_on_certificate_verify(td_conn *c, const td_handshake *msg,
                                      size_t before)
{
    uint8_t algs[2 * TD_PROFILE_MAX_LIST];
    td_certificate_verify cv;
    td_span offered, hm = {c->transcript, before};
    td_err e;

    TRY(td_certificate_verify_decode(msg->body, &cv));
    TRY(td_hs12_our_sigalgs_body(c, algs, sizeof algs, &offered));
    /* RFC 5246 7.4.8: "the hash and signature algorithms used in the
     * signature MUST be one of those present in the
     * supported_signature_algorithms field of the CertificateRequest
     * message" (illegal_parameter, 7.2.2) */
    if (!td_hs_u16_in(offered, cv.algorithm))
        return TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "CertificateVerify scheme not offered");
    /* RFC 5246 7.4.8: over handshake_messages up to, not including, this
     * one; decrypt_error when it does not verify (7.2.2) */
    e = td_sig_verify(cv.algorithm, TD_SIG_CURVE_FREE, &c->peer_key, hm, cv.signature);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "client CertificateVerify");
    c->params.client_auth = 1;
    c->state = TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC;
    return TD_OK;
}

td_err td_srv12_send_new_session_ticket(td_conn *c)
{
    td_session12 *s = &c->hs12.session;
    uint8_t body[4 + 2 + TD_HS12_TICKET_LEN];
    td_new_session_ticket12 t;
    td_span out;
    td_wr w;

    /* RFC 5077 3.3:
     *     struct {
     *         uint32 ticket_lifetime_hint;
     *         opaque ticket<0..2^16-1>;
     *     } NewSessionTicket;
     * the ticket a fresh handle of this session in our store
     * (td_hs12.h), which td_hs12_complete keeps it under */
    TRY(td_conn_draw(c, TD_DRAW_TICKET, s->ticket, TD_HS12_TICKET_LEN));
    s->ticket_len = TD_HS12_TICKET_LEN;
    s->ticket_lifetime_hint = TD_HS12_TICKET_LIFETIME;
    t.ticket_lifetime_hint = TD_HS12_TICKET_LIFETIME;
    t.ticket = span_of(s->ticket, s->ticket_len);
    td_wr_init(&w, body, sizeof body);
    TRY(td_new_session_ticket12_encode(&w, &t));
    TRY(td_wr_finish(&w, &out));
    return td_conn_send_handshake(c, TD_HS_NEW_SESSION_TICKET, out);
}

td_err td_srv12_on_finished(td_conn *c, const td_handshake *msg, size_t before)
{
    td_err e = td_hs12_check_finished(c, msg, before);

    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "client Finished");
    /* RFC 5246 7.3: after a full handshake our CCS and Finished answer,
     * preceded by the ticket we announced (RFC 5077 3.3: "in the case of
     * a full handshake, the server MUST verify the client's Finished
     * message before sending the ticket"; it is in the transcript our
     * Finished covers) */
    if (!c->hs12.abbreviated) {
        if (c->hs12.ticket_issue)
            TRY(td_srv12_send_new_session_ticket(c));
        TRY(td_hs12_send_ccs_finished(c));
    }
    td_hs12_complete(c);
    return TD_OK;
}

td_err td_srv12_on_client_hello_renegotiation(td_conn *c,
                                              const td_handshake *msg,
                                              size_t before)
{
    td_client_hello ch;

    (void)before;
    /* RFC 8446 4.1.2: "Because TLS 1.3 forbids renegotiation, if a server
     * has negotiated TLS 1.3 and receives a ClientHello at any other
     * time, it MUST terminate the connection with an
     * "unexpected_message" alert." */
    if (c->params.version != 0x0303)
        return TD_CONN_FAIL(c, TD_ALERT_UNEXPECTED_MESSAGE,
                            "ClientHello after a TLS 1.3 handshake");
    TRY(td_client_hello_decode(msg->body, &ch));
    /* RFC 5246 7.2.2: no_renegotiation is "Sent ... by the server in
     * response to a client hello after initial handshaking ... This
     * message is always a warning." RFC 5746 4.4 recommends that servers
     * not permit legacy renegotiation; the reference permits none, secure
     * or not, and leaves the connection as it was (the client may then
     * close it, 7.2.2). */
    return td_hs12_send_warning(c, TD_ALERT_NO_RENEGOTIATION);
}
