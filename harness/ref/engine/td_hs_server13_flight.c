/*
 * The TLS 1.3 server's flight (RFC 8446 2, A.2): ServerHello (4.1.3),
 * the handshake keys, EncryptedExtensions (4.3.1), CertificateRequest
 * (4.3.2), Certificate (4.4.2), CertificateVerify (4.4.3), Finished
 * (4.4.4) and the application write key.
 *
 *        ServerHello  ^ Key
 *       + key_share   | Exch
 *   {EncryptedExtensions}  ^  Server
 *   {CertificateRequest*}  v  Params
 *          {Certificate*}  ^
 *    {CertificateVerify*}  | Auth
 *              {Finished}  v
 *
 * Key schedule (RFC 8446 7.1), the part the server runs here:
 *
 *                  0
 *                  |
 *                  v
 *    PSK ->  HKDF-Extract = Early Secret        (Hash.length zeros without one)
 *                  |
 *                  v
 *            Derive-Secret(., "derived", "")
 *                  |
 *                  v
 *  (EC)DHE -> HKDF-Extract = Handshake Secret
 *                  |
 *                  +-----> Derive-Secret(., "c hs traffic",
 *                  |                     ClientHello...ServerHello)
 *                  |                     = client_handshake_traffic_secret
 *                  |
 *                  +-----> Derive-Secret(., "s hs traffic",
 *                  |                     ClientHello...ServerHello)
 *                  |                     = server_handshake_traffic_secret
 *                  v
 *            Derive-Secret(., "derived", "")
 *                  |
 *                  v
 *       0 -> HKDF-Extract = Master Secret
 *                  |
 *                  +-----> Derive-Secret(., "c ap traffic",
 *                  |                     ClientHello...server Finished)
 *                  |                     = client_application_traffic_secret_0
 *                  |
 *                  +-----> Derive-Secret(., "s ap traffic",
 *                  |                     ClientHello...server Finished)
 *                  |                     = server_application_traffic_secret_0
 *                  |
 *                  +-----> Derive-Secret(., "exp master",
 *                                        ClientHello...server Finished)
 *                                        = exporter_master_secret
 *
 * Keys change in this order: the server write handshake key after
 * ServerHello (everything before it goes out in plaintext), the read
 * handshake key at once (the client's next handshake message is
 * protected: RFC 8446 2), the application write key after our Finished.
 * The application read key waits for the client's Finished
 * (td_hs_server13_client.c).
 *
 * With a PSK (RFC 8446 2.2, 4.2.11; chosen and its binder checked by
 * td_hs_server13_psk.c) the Early Secret is HKDF-Extract(0, PSK), the
 * ServerHello carries pre_shared_key (selected_identity), with psk_ke no
 * key_share and (EC)DHE = Hash.length zeros (4.2.9, 7.1), and "As the
 * server is authenticating via a PSK, it does not send a Certificate or a
 * CertificateVerify message" (2.2; 4.4.2: Certificate only when "the
 * agreed-upon key exchange method uses certificates"), nor a
 * CertificateRequest (4.3.2: "Servers which are authenticating with a
 * PSK MUST NOT send the CertificateRequest message in the main
 * handshake"). 0-RTT accepted (4.2.10): early_data in
 * EncryptedExtensions, and the client's early key is read first:
 *     client_early_traffic_secret = Derive-Secret(Early Secret,
 *                                       "c e traffic", ClientHello)
 * until its EndOfEarlyData (td_hs_server13_client.c); refused, its
 * records are skipped (td_conn.c).
 *
 * RFC 8446 D.4: "The server sends a dummy change_cipher_spec record
 * immediately after its first handshake message. This may either be after
 * a ServerHello or a HelloRetryRequest." -- when the client asked for
 * compatibility mode with a non-empty legacy_session_id.
 */
#include "td_hs_server13.h"

#include <string.h>

#define BODY_MAX 1024u

/* ------------------------------------------------------------------------
 * ServerHello (RFC 8446 4.1.3)
 * ------------------------------------------------------------------------ */
td_err td_srv13_ext_selected_version(td_wr *w, td_ext_ctx ctx)
{
    td_ext_any e;

    td_hs_ext_init(&e, TD_EXT_SUPPORTED_VERSIONS);
    e.u.supported_versions.selected_version = 0x0304;
    return td_hs_ext_put(w, ctx, &e);
}

td_err td_srv13_send_server_hello(td_conn *c, const uint8_t *random,
                                  uint16_t cipher_suite, td_span extensions)
{
    uint8_t body[BODY_MAX];
    td_server_hello sh;
    td_span s;
    td_wr w;

    memset(&sh, 0, sizeof sh);
    sh.legacy_version = 0x0303; /* RFC 8446 4.1.3, 4.2.1 */
    memcpy(sh.random, random, TD_RANDOM_LEN);
    /* RFC 8446 4.1.3: "The contents of the client's
     * legacy_session_id field" */
    sh.legacy_session_id_echo.p = c->session_id;
    sh.legacy_session_id_echo.len = c->session_id_len;
    sh.cipher_suite = cipher_suite;
    sh.legacy_compression_method = 0; /* RFC 8446 4.1.3 */
    sh.has_extensions = 1;
    sh.extensions = extensions;
    td_wr_init(&w, body, sizeof body);
    TRY(td_server_hello_encode(&w, &sh));
    TRY(td_wr_finish(&w, &s));
    return td_conn_send_handshake(c, TD_HS_SERVER_HELLO, s);
}

static td_err send_server_hello(td_conn *c, const td_srv13_choice *choice,
                                td_span pub)
{
    const td_ext_ctx ctx = TD_EXT_CTX_SERVER_HELLO13;
    uint8_t exts[256];
    td_wr w;
    td_span block;
    td_ext_any e;

    td_wr_init(&w, exts, sizeof exts);
    if (c->psk_state == TD_PSK_ACCEPTED) {
        /* RFC 8446 4.2.11: "the server sends a "pre_shared_key" extension
         * indicating the selected identity" */
        td_hs_ext_init(&e, TD_EXT_PRE_SHARED_KEY);
        e.u.pre_shared_key.selected_identity = choice->psk_identity;
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    if (choice->group != 0) {
        /* RFC 8446 4.2.8: KeyShareEntry server_share, same group (none
         * with psk_ke, 4.2.9) */
        td_hs_ext_init(&e, TD_EXT_KEY_SHARE);
        e.u.key_share.server_share.group = choice->group;
        e.u.key_share.server_share.key_exchange = pub;
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    /* RFC 8446 4.2.1: "A server which negotiates TLS 1.3 MUST respond by
     * sending a "supported_versions" extension containing the selected
     * version value (0x0304)." */
    TRY(td_srv13_ext_selected_version(&w, ctx));
    TRY(td_wr_finish(&w, &block));
    return td_srv13_send_server_hello(c, c->server_random,
                                      choice->cipher_suite, block);
}

/* ------------------------------------------------------------------------
 * EncryptedExtensions (RFC 8446 4.3.1): answers to what the client
 * offered, nothing else (RFC 8446 4.2: "Implementations MUST NOT send
 * extension responses if the remote endpoint did not send the
 * corresponding extension requests").
 * ------------------------------------------------------------------------ */
static td_err send_encrypted_extensions(td_conn *c,
                                        const td_srv13_choice *choice)
{
    const td_ext_ctx ctx = TD_EXT_CTX_ENCRYPTED_EXTENSIONS;
    uint8_t exts[BODY_MAX], list[300], body[BODY_MAX];
    td_wr w;
    td_span s, block;
    td_encrypted_extensions ee;
    td_ext_any e;

    td_wr_init(&w, exts, sizeof exts);
    if (choice->groups_present) {
        /* RFC 8446 4.2.7: "servers are permitted to send the
         * "supported_groups" extension to the client"; it carries our
         * list in our order (only to a client that sent its own: 4.2,
         * and 9.2 lets a PSK client leave it out) */
        td_hs_ext_init(&e, TD_EXT_SUPPORTED_GROUPS);
        TRY(td_hs_code_list_body(td_hs_our_groups(c), list, sizeof list,
                                 &e.u.supported_groups.named_group_list));
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    if (choice->record_size_limit) {
        /* RFC 8449 4: we take records of any size: 2^14 + 1 in TLS 1.3 */
        td_hs_ext_init(&e, TD_EXT_RECORD_SIZE_LIMIT);
        e.u.record_size_limit.record_size_limit =
            (uint16_t)TD_MAX_INNER_PLAINTEXT_LEN;
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    if (choice->server_name) {
        /* RFC 6066 3: the server "SHALL include an extension of type
         * "server_name" ... The "extension_data" field of this extension
         * SHALL be empty." (in EncryptedExtensions, RFC 8446 4.2) */
        td_hs_ext_init(&e, TD_EXT_SERVER_NAME);
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    if (choice->alpn.len) {
        /* RFC 7301 3.1: exactly one ProtocolName */
        td_wr lw;

        td_hs_ext_init(&e, TD_EXT_ALPN);
        td_wr_init(&lw, list, sizeof list);
        TRY(td_wr_u8(&lw, (uint32_t)choice->alpn.len));
        TRY(td_wr_span(&lw, choice->alpn));
        TRY(td_wr_finish(&lw, &e.u.alpn.protocol_name_list));
        e.u.alpn.count = 1;
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    if (c->early_state == TD_EARLY_ACCEPTED) {
        /* RFC 8446 4.2.10: "Return its own "early_data" extension in
         * EncryptedExtensions, indicating that it intends to process the
         * early data" (empty in EE) */
        td_hs_ext_init(&e, TD_EXT_EARLY_DATA);
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    TRY(td_wr_finish(&w, &block));
    ee.extensions = block;
    td_wr_init(&w, body, sizeof body);
    TRY(td_encrypted_extensions_encode(&w, &ee));
    TRY(td_wr_finish(&w, &s));
    return td_conn_send_handshake(c, TD_HS_ENCRYPTED_EXTENSIONS, s);
}

/* ------------------------------------------------------------------------
 * CertificateRequest (RFC 8446 4.3.2): "certificate_request_context ...
 * SHALL be zero length unless used for the post-handshake authentication
 * exchanges"; "The "signature_algorithms" extension MUST be specified".
 * Our list serves both the CertificateVerify and the certificates (no
 * signature_algorithms_cert, RFC 8446 4.2.3), so rsa_pkcs1 stays in it.
 * ------------------------------------------------------------------------ */
static td_err send_certificate_request(td_conn *c)
{
    const td_ext_ctx ctx = TD_EXT_CTX_CERTIFICATE_REQUEST;
    uint8_t exts[256], list[64], body[BODY_MAX];
    td_wr w;
    td_span s, block;
    td_ext_any e;
    td_certificate_request13 cr;

    td_hs_ext_init(&e, TD_EXT_SIGNATURE_ALGORITHMS);
    TRY(td_hs_code_list_body(
        td_hs_our_sigalgs(c), list, sizeof list,
        &e.u.signature_algorithms.supported_signature_algorithms));
    td_wr_init(&w, exts, sizeof exts);
    TRY(td_hs_ext_put(&w, ctx, &e));
    TRY(td_wr_finish(&w, &block));
    cr.certificate_request_context.p = NULL;
    cr.certificate_request_context.len = 0;
    cr.extensions = block;
    td_wr_init(&w, body, sizeof body);
    TRY(td_certificate_request13_encode(&w, &cr));
    TRY(td_wr_finish(&w, &s));
    TRY(td_conn_send_handshake(c, TD_HS_CERTIFICATE_REQUEST, s));
    c->client_cert_requested = 1;
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * Certificate, CertificateVerify, Finished (RFC 8446 4.4.2 - 4.4.4)
 * ------------------------------------------------------------------------ */
static td_err send_certificate(td_conn *c)
{
    uint8_t body[TD_CONN_MAX_CERTS * (TD_CONN_MAX_CERT_LEN + 5) + 8];
    td_span empty = {NULL, 0}, s;
    td_wr w;

    td_wr_init(&w, body, sizeof body);
    /* RFC 8446 4.4.2: in the main handshake the server's context is empty */
    TRY(td_hs_certificate_body(c, 1, empty, &w));
    TRY(td_wr_finish(&w, &s));
    return td_conn_send_handshake(c, TD_HS_CERTIFICATE, s);
}

static td_err send_certificate_verify(td_conn *c, uint16_t scheme)
{
    uint8_t th[TD_HASH_MAX_LEN], content[64 + 34 + 1 + TD_HASH_MAX_LEN];
    uint8_t sig[TD_SIG_MAX_LEN], body[4 + TD_SIG_MAX_LEN];
    td_span h, s;
    td_certificate_verify cv;
    size_t n, sig_len;
    td_wr w;

    /* RFC 8446 4.4.3: Transcript-Hash(Handshake Context, Certificate) */
    TRY(td_srv13_th(c, c->transcript_len, th, &h));
    TRY(td_hs_cv13_content(1, h, content, sizeof content, &n));
    s.p = content;
    s.len = n;
    TRY(td_hs_sign(c, scheme, s, sig, &sig_len));
    cv.algorithm = scheme;
    cv.signature.p = sig;
    cv.signature.len = sig_len;
    td_wr_init(&w, body, sizeof body);
    TRY(td_certificate_verify_encode(&w, &cv));
    TRY(td_wr_finish(&w, &s));
    return td_conn_send_handshake(c, TD_HS_CERTIFICATE_VERIFY, s);
}

/* ------------------------------------------------------------------------
 * Keys (RFC 8446 7.1, 7.3)
 * ------------------------------------------------------------------------ */
/* The Early Secret (the PSK's, or no PSK) and, with 0-RTT accepted, the
 * early secrets over the ClientHello, still last in the transcript. */
static td_err early_keys(td_conn *c)
{
    uint8_t th[TD_HASH_MAX_LEN];
    td_span h, psk = {NULL, 0};

    if (c->psk_state == TD_PSK_ACCEPTED) {
        psk.p = c->psk.psk;
        psk.len = c->psk.psk_len;
    }
    td_ks13_wipe(&c->ks13);
    TRY(td_ks13_init(&c->ks13, c->suite.hash));
    TRY(td_ks13_early_secret(&c->ks13, psk));
    if (c->early_state != TD_EARLY_ACCEPTED)
        return TD_OK;
    TRY(td_srv13_th(c, c->transcript_len, th, &h));
    TRY(td_ks13_client_early_traffic_secret(&c->ks13, h));
    td_hs_keylog13(c, TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET);
    return td_ks13_early_exporter_master_secret(&c->ks13, h);
}

static td_err handshake_keys(td_conn *c, td_span shared)
{
    uint8_t th[TD_HASH_MAX_LEN];
    td_span h;

    TRY(td_ks13_handshake_secret(&c->ks13, shared));
    /* ClientHello...ServerHello */
    TRY(td_srv13_th(c, c->transcript_len, th, &h));
    TRY(td_ks13_client_handshake_traffic_secret(&c->ks13, h));
    TRY(td_ks13_server_handshake_traffic_secret(&c->ks13, h));
    td_hs_keylog13(c, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET);
    td_hs_keylog13(c, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET);
    TRY(td_hs13_install(c, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET, 1));
    /* the client's 0-RTT first, if accepted (RFC 8446 2.3, 4.2.10) */
    return td_hs13_install(c, c->early_state == TD_EARLY_ACCEPTED
                                  ? TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET
                                  : TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET,
                           0);
}

td_err td_srv13_send_flight(td_conn *c, const td_srv13_choice *choice)
{
    uint8_t pub[TD_KX_MAX_PUB_LEN], shared[TD_KX_MAX_SHARED_LEN];
    size_t pub_len = 0, shared_len = 0;
    td_span p, s;
    td_err e;

    TRY(td_ks_suite_find(choice->cipher_suite, &c->suite));
    c->params.cipher_suite = choice->cipher_suite;
    c->params.group = choice->group;
    c->params.sig_scheme = choice->sig_scheme;
    ENSURE(choice->alpn.len <= sizeof c->alpn, TD_ERR_INTERNAL);
    if (choice->alpn.len)
        memcpy(c->alpn, choice->alpn.p, choice->alpn.len);
    c->alpn_len = choice->alpn.len;
    /* RFC 8446 4.2.11: the binder, before anything is sent */
    TRY(td_srv13_psk_accept(c, choice));
    /* RFC 8446 4.2.10: 0-RTT offered and not accepted is skipped */
    if (choice->early_data_offered && c->early_state != TD_EARLY_ACCEPTED)
        td_srv13_early_refuse(c, 0);
    TRY(early_keys(c));
    TRY(td_conn_draw(c, TD_DRAW_RANDOM, c->server_random, TD_RANDOM_LEN));
    e = TD_OK;
    if (choice->group != 0) {
        TRY(td_hs_kx_generate(c, choice->group, pub, &pub_len));
        /* The shared secret before anything is sent: a bad client share
         * is illegal_parameter (RFC 8446 4.2.8.2) and nothing goes out. */
        e = td_hs_kx_shared(c, choice->group, choice->client_share, shared,
                            &shared_len);
        td_hs_kx_wipe(c); /* RFC 8446 7.1: the ephemeral key's last use */
    }
    if (e == TD_OK) {
        p.p = pub;
        p.len = pub_len;
        e = send_server_hello(c, choice, p);
    }
    /* RFC 8446 D.4: the compatibility CCS, unless it followed the HRR */
    if (e == TD_OK && c->session_id_len && !c->hrr_done)
        e = td_conn_send_ccs(c);
    if (e == TD_OK) {
        s.p = shared;
        s.len = shared_len;
        e = handshake_keys(c, s);
    }
    td_secure_zero(shared, sizeof shared);
    TRY(e);
    TRY(send_encrypted_extensions(c, choice));
    if (c->psk_state != TD_PSK_ACCEPTED) {
        if (c->cfg->client_auth != TD_CLIENT_AUTH_NONE)
            TRY(send_certificate_request(c));
        TRY(send_certificate(c));
        TRY(send_certificate_verify(c, choice->sig_scheme));
    }
    /* RFC 8446 4.4.4: BaseKey = server_handshake_traffic_secret */
    TRY(td_hs13_send_finished(c, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET));
    TRY(td_hs13_application_secrets(c));
    /* flushes the flight under the handshake key first */
    TRY(td_hs13_install(c, TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET, 1));
    if (c->early_state == TD_EARLY_ACCEPTED)
        c->state = TD_ST_SRV_WAIT_END_OF_EARLY_DATA;
    else
        c->state = c->client_cert_requested ? TD_ST_SRV_WAIT_CERTIFICATE
                                            : TD_ST_SRV_WAIT_FINISHED;
    return TD_OK;
}
