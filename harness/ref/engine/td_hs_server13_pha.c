/*
 * The TLS 1.3 server's post-handshake client authentication (RFC 8446
 * 4.6.2): td_conn_request_client_auth sends a CertificateRequest after
 * the handshake; the client's Certificate, CertificateVerify and Finished
 * then arrive in CONNECTED (the POST rows of td_hs_table.c).
 *
 * RFC 8446 4.6.2: "When the client has sent the "post_handshake_auth"
 *   extension (see Section 4.2.6), a server MAY request client
 *   authentication at any time after the handshake has completed by
 *   sending a CertificateRequest message. The client MUST respond with
 *   the appropriate Authentication messages (see Section 4.4)."
 * RFC 8446 4.3.2: "certificate_request_context: An opaque string which
 *   identifies the certificate request and which will be echoed in the
 *   client's Certificate message. ... (in the case of post-handshake
 *   authentication) ... the certificate_request_context ... MUST be
 *   unique within the scope of this connection"; "The
 *   "signature_algorithms" extension MUST be specified".
 * RFC 8446 4.4:
 *
 *    | Post-     | ClientHello ... client  | client_application_traffic_ |
 *    | Handshake | Finished +              | secret_N                    |
 *    |           | CertificateRequest      |                             |
 *
 *   so CertificateVerify covers Transcript-Hash(ClientHello ... client
 *   Finished, CertificateRequest, Certificate) and Finished
 *
 *     finished_key = HKDF-Expand-Label(client_application_traffic_secret_N,
 *                                      "finished", "", Hash.length)
 *     verify_data = HMAC(finished_key, Transcript-Hash(ClientHello ...
 *                        client Finished, CertificateRequest, Certificate,
 *                        CertificateVerify))
 *
 * RFC 8446 4.4.1: post-handshake messages are not part of the handshake
 * transcript: they are appended after the client Finished (c->pha_base)
 * for this exchange and cut off when it ends.
 *
 * This server keeps at most one request outstanding; an empty
 * Certificate is accepted unless cfg->client_auth is REQUIRE (4.4.2.4:
 * "the server MAY at its discretion either continue ... or abort ...
 * with a "certificate_required" alert").
 */
#include "td_hs_server13.h"

#include <string.h>

#define TLS13 0x0304u

static int span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* Whether the (last) ClientHello of the transcript has
 * post_handshake_auth (RFC 8446 4.2.6). After a HelloRetryRequest the
 * first one is a message_hash: the second one counts. */
static td_err client_offered_pha(const td_conn *c, int *offered)
{
    td_rd r;

    *offered = 0;
    td_rd_init(&r, c->transcript, c->transcript_len);
    while (td_rd_left(&r)) {
        td_handshake m;
        td_client_hello ch;
        td_span data;

        TRY(td_handshake_decode(&r, &m));
        if (m.msg_type != TD_HS_CLIENT_HELLO)
            continue;
        TRY(td_client_hello_decode(m.body, &ch));
        *offered = ch.has_extensions &&
                   td_ext_find(ch.extensions, TD_EXT_POST_HANDSHAKE_AUTH,
                               &data);
    }
    return TD_OK;
}

td_err td_conn_request_client_auth(td_conn *c)
{
    const td_ext_ctx ctx = TD_EXT_CTX_CERTIFICATE_REQUEST;
    uint8_t exts[256], list[64], body[512];
    td_certificate_request13 cr;
    td_ext_any e;
    td_span s, block;
    td_wr w;
    int offered;

    ENSURE(c->cfg->role == TD_ROLE_SERVER && c->state == TD_ST_CONNECTED &&
               c->params.version == TLS13 && c->pha_state == TD_PHA_NONE,
           TD_ERR_INTERNAL);
    /* RFC 8446 4.2.6: "Servers MUST NOT send a post-handshake
     * CertificateRequest to clients which do not offer this extension." */
    TRY(client_offered_pha(c, &offered));
    ENSURE(offered, TD_ERR_INTERNAL);

    /* RFC 8446 4.3.2: signature_algorithms MUST be specified */
    td_hs_ext_init(&e, TD_EXT_SIGNATURE_ALGORITHMS);
    TRY(td_hs_code_list_body(
        td_hs_our_sigalgs(c), list, sizeof list,
        &e.u.signature_algorithms.supported_signature_algorithms));
    td_wr_init(&w, exts, sizeof exts);
    TRY(td_hs_ext_put(&w, ctx, &e));
    TRY(td_wr_finish(&w, &block));
    /* RFC 8446 4.3.2: a context unique within the connection: drawn
     * fresh (32 bytes) for each request */
    TRY(td_conn_draw(c, TD_DRAW_REQUEST_CONTEXT, c->pha_context,
                     TD_CONN_PHA_CONTEXT_LEN));
    c->pha_context_len = TD_CONN_PHA_CONTEXT_LEN;
    cr.certificate_request_context.p = c->pha_context;
    cr.certificate_request_context.len = c->pha_context_len;
    cr.extensions = block;
    td_wr_init(&w, body, sizeof body);
    TRY(td_certificate_request13_encode(&w, &cr));
    TRY(td_wr_finish(&w, &s));
    /* the transcript is the handshake's (ClientHello ... client Finished)
     * here; the CertificateRequest is appended after it (RFC 8446 4.4) */
    c->pha_base = c->transcript_len;
    TRY(td_conn_send_handshake(c, TD_HS_CERTIFICATE_REQUEST, s));
    c->pha_state = TD_PHA_WAIT_CERTIFICATE;
    return td_conn_flush(c);
}

/* A message of the exchange in `want` state, appended to the
 * post-handshake transcript; *before is its length without it. Any
 * other is out of order (RFC 8446 4.6.2 / 6.2: unexpected_message). */
static td_err pha_take(td_conn *c, const td_handshake *msg, int want,
                       size_t *before)
{
    /* a TLS 1.2 connection, or no request of ours outstanding */
    ENSURE(c->params.version == TLS13 && c->pha_state == want,
           TD_ALERT_UNEXPECTED_MESSAGE);
    *before = c->transcript_len;
    return td_conn_transcript_add(c, msg->raw);
}

/* ------------------------------------------------------------------------
 * Certificate (RFC 8446 4.4.2)
 * ------------------------------------------------------------------------ */
static td_err on_certificate(td_conn *c, const td_handshake *msg)
{
    td_certificate13 m;
    td_certificate_entry e;
    td_span ctx = {c->pha_context, c->pha_context_len};
    td_rd list;
    size_t before;
    int got;

    TRY(pha_take(c, msg, TD_PHA_WAIT_CERTIFICATE, &before));
    TRY(td_certificate13_decode(msg->body, &m));
    /* RFC 8446 4.4.2: "If this message is in response to a
     * CertificateRequest, the value of certificate_request_context in
     * that message." A different one answers no request of ours: RFC
     * 8446 6.2 illegal_parameter ("a field ... inconsistent") */
    ENSURE(span_eq(m.certificate_request_context, ctx),
           TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 8446 4.4.2: "Extensions in the Certificate message from the
     * client MUST correspond to extensions in the CertificateRequest
     * message from the server." Ours asked for none (4.2:
     * unsupported_extension). */
    td_rd_init_span(&list, m.certificate_list);
    for (;;) {
        TRY(td_certificate_entry_next(&list, &e, &got));
        if (!got)
            break;
        ENSURE(e.extensions.len == 0, TD_ALERT_UNSUPPORTED_EXTENSION);
    }
    if (m.count == 0) {
        /* RFC 8446 4.4.2.4 (the top of this file) */
        ENSURE(c->cfg->client_auth != TD_CLIENT_AUTH_REQUIRE,
               TD_ALERT_CERTIFICATE_REQUIRED);
        c->pha_state = TD_PHA_WAIT_FINISHED;
        return TD_OK;
    }
    TRY(td_hs_store_peer_chain13(c, &m));
    TRY(td_hs_check_peer_chain(c));
    c->pha_state = TD_PHA_WAIT_CERTIFICATE_VERIFY;
    return TD_OK;
}

td_err td_srv13_on_pha_certificate(td_conn *c, const td_handshake *msg,
                                   size_t before)
{
    td_err e;

    (void)before; /* POST row: pha_take appends it */
    e = on_certificate(c, msg);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "post-handshake Certificate");
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * CertificateVerify (RFC 8446 4.4.3)
 * ------------------------------------------------------------------------ */
static td_err on_certificate_verify(td_conn *c, const td_handshake *msg)
{
    size_t before;

    TRY(pha_take(c, msg, TD_PHA_WAIT_CERTIFICATE_VERIFY, &before));
    /* the transcript is ClientHello ... client Finished, CertificateRequest,
     * Certificate: the same check as in the handshake */
    TRY(td_srv13_check_client_cv(c, msg, before));
    c->pha_state = TD_PHA_WAIT_FINISHED;
    return TD_OK;
}

td_err td_srv13_on_pha_certificate_verify(td_conn *c, const td_handshake *msg,
                                          size_t before)
{
    td_err e;

    (void)before;
    e = on_certificate_verify(c, msg);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "post-handshake CertificateVerify");
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * Finished (RFC 8446 4.4.4)
 * ------------------------------------------------------------------------ */
static td_err on_finished(td_conn *c, const td_handshake *msg)
{
    uint8_t th[TD_HASH_MAX_LEN];
    td_finished f;
    td_span h;
    size_t before;

    TRY(pha_take(c, msg, TD_PHA_WAIT_FINISHED, &before));
    /* RFC 8446 4.4.4: verify_data is Hash.length bytes (decode_error) */
    TRY(td_finished_decode(msg->body, td_hash_len(c->suite.hash), &f));
    /* RFC 8446 4.4: BaseKey = client_application_traffic_secret_N (the
     * current one: after KeyUpdates, the latest); 4.4.4: "Recipients of
     * Finished messages MUST verify that the contents are correct and if
     * incorrect MUST terminate the connection with a "decrypt_error"
     * alert." */
    TRY(td_srv13_th(c, before, th, &h));
    TRY(td_ks13_finished_check(
        c->suite.hash,
        td_ks13_get(&c->ks13, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET), h,
        f.verify_data));
    /* RFC 8446 4.4.1: back to the handshake transcript */
    td_conn_transcript_set_len(c, c->pha_base);
    c->pha_state = TD_PHA_NONE;
    td_secure_zero(c->pha_context, sizeof c->pha_context);
    c->pha_context_len = 0;
    return TD_OK;
}

td_err td_srv13_on_pha_finished(td_conn *c, const td_handshake *msg,
                                size_t before)
{
    td_err e;

    (void)before;
    e = on_finished(c, msg);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "post-handshake Finished");
    return TD_OK;
}
