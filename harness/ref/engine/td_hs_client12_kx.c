/*
 * The TLS 1.2 client from the server's Certificate to the end of the
 * handshake (the ServerHello is td_hs_client12.c; the diagrams of RFC
 * 5246 7.3 are quoted there):
 *
 *     RFC 5246 7.4.2   Certificate: the chain checked, its key fit for
 *                      the suite
 *     RFC 5246 7.4.3, RFC 8422 5.4
 *                      ServerKeyExchange: a curve we listed, a scheme we
 *                      listed, and the signature over
 *                          ClientHello.random + ServerHello.random +
 *                          ServerECDHParams
 *     RFC 5246 7.4.4   CertificateRequest
 *     RFC 5246 7.4.5   ServerHelloDone, then our flight: [Certificate]
 *                      (7.4.6), ClientKeyExchange (7.4.7; RFC 8422 5.7),
 *                      [CertificateVerify] (7.4.8), ChangeCipherSpec,
 *                      Finished (7.4.9)
 *     RFC 5077 3.3     NewSessionTicket, kept with the session (3.4:
 *                      in place of the session ID); in the abbreviated
 *                      handshake it renews the ticket (3.1)
 *     RFC 5246 7.4.9   the server's Finished
 *     RFC 5246 7.4.1.1 HelloRequest: ignored during the handshake,
 *                      refused once connected
 */
#include "td_hs12.h"

#include <string.h>

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

td_err td_cli12_on_certificate(td_conn *c, const td_handshake *msg,
                               size_t before)
{
    td_certificate12 m;
    td_hs12_suite s;

    (void)before;
    TRY(td_certificate12_decode(msg->body, &m));
    /* RFC 5246 7.4.2: the server's certificate_list carries its
     * certificate ("The sender's certificate MUST come first"); without
     * one the key exchange cannot be authenticated. RFC 8446 4.4.2.4
     * names decode_error for the same fault; RFC 5246 is silent. */
    if (m.count == 0)
        return TD_CONN_FAIL(c, TD_ALERT_DECODE_ERROR,
                            "empty server Certificate");
    TRY(td_hs_store_peer_chain12(c, &m));
    TRY(td_hs_check_peer_chain(c));
    TRY(td_hs12_suite_find(c->params.cipher_suite, &s));
    /* RFC 5246 7.4.2: "The end entity certificate's public key (and
     * associated restrictions) MUST be compatible with the selected key
     * exchange algorithm." A key of another type is a certificate of a
     * type the suite does not support (unsupported_certificate, 7.2.2). */
    if (!td_hs12_key_fits(&c->peer_key, &s))
        return TD_CONN_FAIL(c, TD_ALERT_UNSUPPORTED_CERTIFICATE,
                            "certificate key does not fit the suite");
    /* RFC 5246 7.4.3: no ServerKeyExchange for static RSA; one arriving
     * then finds no row in the table (unexpected_message). */
    c->state = c->hs12.kx_rsa ? TD_ST_CLI12_WAIT_REQUEST_OR_DONE
                              : TD_ST_CLI12_WAIT_SERVER_KEY_EXCHANGE;
    return TD_OK;
}

td_err td_cli12_on_server_key_exchange(td_conn *c, const td_handshake *msg,
                                       size_t before)
{
    uint8_t signed_params[2 * TD_RANDOM_LEN + 4 + 255];
    td_server_key_exchange ske;
    td_client_hello ch;
    td_span groups, sigalgs;
    td_err e;
    td_wr w;
    td_span content;

    (void)before;
    /* RFC 5246 7.4.3, RFC 8422 5.4: ServerECDHParams + digitally-signed */
    TRY(td_server_key_exchange_decode(msg->body, 1, &ske));
    TRY(td_hs12_client_hello(c, &ch));
    /* RFC 8422 5.4 (and 4): the curve is one of those the client listed
     * in supported_groups, which we can use; RFC 8422 5.1.1 the point is
     * of that curve's size. Else illegal_parameter (RFC 5246 7.2.2). */
    if ((td_hs12_ch_u16_list(&ch, TD_EXT_SUPPORTED_GROUPS, &groups) &&
         !td_hs_u16_in(groups, ske.namedcurve)) ||
        td_kx_pub_len(ske.namedcurve) == 0 ||
        ske.point.len != td_kx_pub_len(ske.namedcurve))
        return TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "ServerKeyExchange group not offered");
    /* RFC 5246 7.4.1.4.1: the server's signature uses a pair the client
     * listed in signature_algorithms (absent: the SHA-1 defaults, which
     * we do not verify). */
    if (!td_hs12_ch_u16_list(&ch, TD_EXT_SIGNATURE_ALGORITHMS, &sigalgs) ||
        !td_hs_u16_in(sigalgs, ske.algorithm) ||
        !td_sig_supported(ske.algorithm))
        return TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "ServerKeyExchange signature scheme not offered");
    /* RFC 5246 7.4.3, RFC 8422 5.4: signed over
     *     ClientHello.random + ServerHello.random + ServerECDHParams */
    td_wr_init(&w, signed_params, sizeof signed_params);
    TRY(td_wr_bytes(&w, c->client_random, TD_RANDOM_LEN));
    TRY(td_wr_bytes(&w, c->server_random, TD_RANDOM_LEN));
    TRY(td_wr_span(&w, ske.params));
    TRY(td_wr_finish(&w, &content));
    /* decrypt_error when it does not verify (RFC 5246 7.2.2);
     * illegal_parameter for a scheme the key cannot make */
    e = td_sig_verify(ske.algorithm, TD_SIG_CURVE_FREE, &c->peer_key, content, ske.signature);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "ServerKeyExchange signature");
    c->hs12.group = ske.namedcurve;
    memcpy(c->hs12.peer_point, ske.point.p, ske.point.len);
    c->hs12.peer_point_len = ske.point.len;
    c->params.group = ske.namedcurve;
    c->params.sig_scheme = ske.algorithm;
    c->state = TD_ST_CLI12_WAIT_REQUEST_OR_DONE;
    return TD_OK;
}

td_err td_cli12_on_certificate_request(td_conn *c, const td_handshake *msg,
                                       size_t before)
{
    td_certificate_request12 cr;
    const td_key *k = &c->cfg->key;
    /* RFC 5246 7.4.4 ClientCertificateType rsa_sign(1); RFC 8422 5.5
     * ecdsa_sign(64), which also covers EdDSA keys */
    uint8_t want = k->type == TD_KEY_RSA ? 1 : 64;
    td_rd r;
    uint8_t t;
    int type_ok = 0;

    (void)before;
    TRY(td_certificate_request12_decode(msg->body, &cr));
    c->client_cert_requested = 1;
    c->hs12.cv_scheme = 0;
    td_rd_init_span(&r, cr.certificate_types);
    while (td_rd_u8(&r, &t) == TD_OK)
        type_ok |= t == want;
    /* RFC 5246 7.4.6: "If no suitable certificate is available, the
     * client MUST send a certificate message containing no
     * certificates": no key, a key of an unlisted type, or no scheme in
     * supported_signature_algorithms that the key can make. */
    if (k->type != TD_KEY_NONE && c->cfg->chain.n > 0 && type_ok) {
        uint16_t scheme;
        td_err e = td_hs_pick_sig_scheme(
            c, cr.supported_signature_algorithms, &scheme);

        if (e == TD_OK)
            c->hs12.cv_scheme = scheme;
        else if (e != TD_ALERT_HANDSHAKE_FAILURE)
            return e;
    }
    c->state = TD_ST_CLI12_WAIT_SERVER_HELLO_DONE;
    return TD_OK;
}

/* RFC 5246 7.4.7: the ClientKeyExchange; the premaster secret into pms. */
static td_err send_client_key_exchange(td_conn *c, uint8_t *pms,
                                       size_t *pms_len)
{
    uint8_t out[TD_SIG_MAX_LEN + 2], enc[TD_SIG_MAX_LEN],
        pub[TD_KX_MAX_PUB_LEN];
    td_client_key_exchange cke;
    td_span s;
    td_wr w;

    if (c->hs12.kx_rsa) {
        /* RFC 5246 7.4.7.1: struct { ProtocolVersion client_version;
         * opaque random[46]; } PreMasterSecret, client_version being
         * "the version requested by the client in the ClientHello" */
        uint8_t pad[TD_SIG_MAX_LEN];
        size_t k = (c->peer_key.bits + 7) / 8, enc_len;
        td_span msg = {pms, 48};
        td_err e;

        ENSURE(k >= 48 + 11 && k <= sizeof pad, TD_ERR_INTERNAL);
        pms[0] = (uint8_t)(c->hs12.client_version >> 8);
        pms[1] = (uint8_t)c->hs12.client_version;
        *pms_len = 48;
        TRY(td_conn_draw(c, TD_DRAW_PREMASTER, pms + 2, 46));
        /* PKCS#1 v1.5 padding string from the stream (RFC 8017 7.2.1) */
        TRY(td_conn_draw(c, TD_DRAW_RSA_PADDING, pad, k));
        e = td_rsa_encrypt(&c->peer_key, msg, span_of(pad, k), enc,
                           &enc_len);
        td_secure_zero(pad, sizeof pad);
        TRY(e);
        cke.kx = TD_KX_RSA;
        cke.exchange_keys = span_of(enc, enc_len);
    } else {
        size_t pub_len;

        /* RFC 8422 5.7: our ephemeral public value on the server's curve;
         * the shared secret (x-coordinate / X25519 output, RFC 8422 5.10)
         * is the premaster secret. A bad server point: illegal_parameter. */
        TRY(td_hs_kx_generate(c, c->hs12.group, pub, &pub_len));
        TRY(td_hs_kx_shared(c, c->hs12.group,
                            span_of(c->hs12.peer_point,
                                    c->hs12.peer_point_len),
                            pms, pms_len));
        cke.kx = TD_KX_ECDHE;
        cke.exchange_keys = span_of(pub, pub_len);
    }
    td_wr_init(&w, out, sizeof out);
    TRY(td_client_key_exchange_encode(&w, &cke));
    TRY(td_wr_finish(&w, &s));
    return td_conn_send_handshake(c, TD_HS_CLIENT_KEY_EXCHANGE, s);
}

/* RFC 5246 7.4.8: digitally-signed struct { opaque handshake_messages[] }
 * over everything sent and received so far, ClientKeyExchange included. */
static td_err send_certificate_verify(td_conn *c)
{
    uint8_t sig[TD_SIG_MAX_LEN], out[TD_SIG_MAX_LEN + 4];
    td_certificate_verify cv;
    size_t sig_len;
    td_span s;
    td_wr w;

    TRY(td_hs_sign(c, c->hs12.cv_scheme,
                   span_of(c->transcript, c->transcript_len), sig, &sig_len));
    cv.algorithm = c->hs12.cv_scheme;
    cv.signature = span_of(sig, sig_len);
    td_wr_init(&w, out, sizeof out);
    TRY(td_certificate_verify_encode(&w, &cv));
    TRY(td_wr_finish(&w, &s));
    return td_conn_send_handshake(c, TD_HS_CERTIFICATE_VERIFY, s);
}

td_err td_cli12_on_server_hello_done(td_conn *c, const td_handshake *msg,
                                     size_t before)
{
    uint8_t pms[TD_KX_MAX_SHARED_LEN > 48 ? TD_KX_MAX_SHARED_LEN : 48];
    size_t pms_len = 0;
    td_err e;

    (void)before;
    /* RFC 5246 7.4.5: struct { } ServerHelloDone */
    TRY(td_empty_message_decode(TD_HS_SERVER_HELLO_DONE, msg->body));
    /* RFC 5246 7.4.6: our chain, or an empty list (no scheme chosen:
     * no certificate that fits) */
    if (c->client_cert_requested)
        TRY(td_hs12_send_certificate(c, c->hs12.cv_scheme == 0));
    e = send_client_key_exchange(c, pms, &pms_len);
    if (e == TD_OK)
        e = td_hs12_master_secret(c, span_of(pms, pms_len));
    /* the premaster secret and our ephemeral key end here */
    td_secure_zero(pms, sizeof pms);
    td_hs_kx_wipe(c);
    TRY(e);
    if (c->hs12.cv_scheme) {
        TRY(send_certificate_verify(c));
        c->params.client_auth = 1;
    }
    TRY(td_hs12_send_ccs_finished(c));
    TRY(td_hs12_expect_peer_ccs(c));
    c->state = c->hs12.ticket_expected ? TD_ST_CLI12_WAIT_NEW_SESSION_TICKET
                                       : TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC;
    return TD_OK;
}

td_err td_cli12_on_new_session_ticket(td_conn *c, const td_handshake *msg,
                                      size_t before)
{
    td_new_session_ticket12 t;
    td_session12 *s = &c->hs12.session;

    (void)before;
    /* RFC 5077 3.3; the table admits it only after a ServerHello with
     * the SessionTicket extension ("This message MUST NOT be sent if the
     * server did not include a SessionTicket extension"), in the full
     * handshake and in the abbreviated one (3.1, Figure 2: a renewed
     * ticket). It is kept with the session, which td_hs12_complete
     * stores only after the server's Finished verified (3.3: "The
     * client MUST NOT treat the ticket as valid until it has verified
     * the server's Finished message"). */
    TRY(td_new_session_ticket12_decode(msg->body, &t));
    /* RFC 5077 3.3: "If the server determines that it does not want to
     * include a ticket after it has included the SessionTicket extension
     * in the ServerHello, then it sends a zero-length ticket": nothing
     * changes. A ticket longer than the store keeps is dropped too (an
     * implementation limit, not an error). */
    if (t.ticket.len != 0 && t.ticket.len <= sizeof s->ticket) {
        memcpy(s->ticket, t.ticket.p, t.ticket.len);
        s->ticket_len = t.ticket.len;
        s->ticket_lifetime_hint = t.ticket_lifetime_hint;
        /* RFC 5077 3.4: "If the client receives a session ticket from the
         * server, then it discards any Session ID that was sent in the
         * ServerHello." */
        s->session_id_len = 0;
        memset(s->session_id, 0, sizeof s->session_id);
    }
    c->state = TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC;
    return TD_OK;
}

td_err td_cli12_on_finished(td_conn *c, const td_handshake *msg, size_t before)
{
    td_err e = td_hs12_check_finished(c, msg, before);

    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "server Finished");
    /* RFC 5246 7.3: in the abbreviated handshake our CCS and Finished
     * answer the server's */
    if (c->hs12.abbreviated)
        TRY(td_hs12_send_ccs_finished(c));
    td_hs12_complete(c);
    return TD_OK;
}

td_err td_cli12_on_hello_request(td_conn *c, const td_handshake *msg,
                                 size_t before)
{
    (void)before;
    /* RFC 8446 4: HelloRequest is not a TLS 1.3 message */
    if (c->params.version != 0x0303)
        return TD_CONN_FAIL(c, TD_ALERT_UNEXPECTED_MESSAGE,
                            "HelloRequest outside TLS 1.2");
    /* RFC 5246 7.4.1.1: struct { } HelloRequest */
    TRY(td_empty_message_decode(TD_HS_HELLO_REQUEST, msg->body));
    /* RFC 5246 7.4.1.1: "This message will be ignored by the client if
     * the client is currently negotiating a session." */
    if (c->state != TD_ST_CONNECTED)
        return TD_OK;
    /* RFC 5246 7.4.1.1: the client "MAY" ignore it or answer
     * no_renegotiation, which 7.2.2 says "is always a warning"; RFC 5746
     * 4.2 recommends refusing renegotiation and says refusing clients
     * "MUST respond to such requests with a no_renegotiation alert".
     * The reference never renegotiates: the warning, and the connection
     * goes on. */
    return td_hs12_send_warning(c, TD_ALERT_NO_RENEGOTIATION);
}
