/*
 * What the TLS 1.3 server receives after its flight (RFC 8446 2, A.2):
 * EndOfEarlyData (4.5) when it accepted 0-RTT, the client's Certificate
 * (4.4.2), CertificateVerify (4.4.3) and Finished (4.4.4), then a
 * NewSessionTicket of ours (4.6.1, td_hs_server13_psk.c) and KeyUpdate
 * (4.6.3).
 *
 *   {Certificate*}        ^
 *   {CertificateVerify*}  | Auth
 *   {Finished}            v
 *   [Application Data]  <------->  [Application Data]
 *
 * RFC 8446 4.4.2.4: "If the client does not send any certificates (i.e.,
 *   it sends an empty Certificate message), the server MAY at its
 *   discretion either continue the handshake without client
 *   authentication or abort the handshake with a "certificate_required"
 *   alert." This server continues when it only requested a certificate
 *   and aborts when it required one.
 * RFC 8446 4.4.4: "Recipients of Finished messages MUST verify that the
 *   contents are correct and if incorrect MUST terminate the connection
 *   with a "decrypt_error" alert."
 * RFC 8446 7.1: resumption_master_secret = Derive-Secret(Master Secret,
 *   "res master", ClientHello...client Finished): the master secret's
 *   last use; the tickets' PSKs come from it.
 * RFC 8446 4.6.3, 7.2: KeyUpdate; "If the request_update field is set to
 *   "update_requested", then the receiver MUST send a KeyUpdate of its
 *   own with request_update set to "update_not_requested" prior to
 *   sending its next Application Data record."
 */
#include "td_hs_server13.h"

#include <string.h>

/* RFC 8446 4.4.3: the RSASSA-PKCS1-v1_5 schemes are not for
 * CertificateVerify */
static int is_pkcs1(uint16_t scheme)
{
    return (scheme & 0x00ff) == 0x01;
}

/* ------------------------------------------------------------------------
 * Certificate
 * ------------------------------------------------------------------------ */
static td_err on_certificate(td_conn *c, const td_handshake *msg)
{
    td_certificate13 m;
    td_certificate_entry e;
    td_rd list;
    int got;

    TRY(td_certificate13_decode(msg->body, &m));
    /* RFC 8446 4.4.2: "If this message is in response to a
     * CertificateRequest, the value of certificate_request_context in
     * that message." Ours was empty. */
    ENSURE(m.certificate_request_context.len == 0, TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 8446 4.4.2: "Extensions in the Certificate message from the
     * client MUST correspond to extensions in the CertificateRequest
     * message from the server." Ours asked for none; RFC 8446 4.2: an
     * unrequested response is unsupported_extension. */
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
        c->state = TD_ST_SRV_WAIT_FINISHED;
        return TD_OK;
    }
    TRY(td_hs_store_peer_chain13(c, &m));
    TRY(td_hs_check_peer_chain(c));
    c->state = TD_ST_SRV_WAIT_CERTIFICATE_VERIFY;
    return TD_OK;
}

td_err td_srv13_on_certificate(td_conn *c, const td_handshake *msg,
                               size_t before)
{
    td_err e;

    (void)before;
    e = on_certificate(c, msg);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "client Certificate");
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * CertificateVerify
 * ------------------------------------------------------------------------ */
td_err td_srv13_check_client_cv(td_conn *c, const td_handshake *msg,
                                size_t before)
{
    uint8_t th[TD_HASH_MAX_LEN], content[64 + 34 + 1 + TD_HASH_MAX_LEN];
    td_certificate_verify cv;
    td_span h, s;
    size_t n;

    TRY(td_certificate_verify_decode(msg->body, &cv));
    /* RFC 8446 4.4.3: "If sent by a client, the signature algorithm used
     * in the signature MUST be one of those present in the
     * supported_signature_algorithms field of the "signature_algorithms"
     * extension in the CertificateRequest message." "RSA signatures MUST
     * use an RSASSA-PSS algorithm". A scheme outside those (or one we
     * cannot verify) is illegal_parameter (RFC 8446 6.2). */
    ENSURE(td_hs_code_in(td_hs_our_sigalgs(c), cv.algorithm) &&
               !is_pkcs1(cv.algorithm) && td_sig_supported(cv.algorithm),
           TD_ALERT_ILLEGAL_PARAMETER);
    /* Transcript-Hash(Handshake Context, Certificate): up to before */
    TRY(td_srv13_th(c, before, th, &h));
    TRY(td_hs_cv13_content(0, h, content, sizeof content, &n));
    s.p = content;
    s.len = n;
    /* RFC 8446 4.4.3: "If the verification fails, the receiver MUST
     * terminate the handshake with a "decrypt_error" alert." */
    TRY(td_sig_verify(cv.algorithm, TD_SIG_CURVE_BOUND, &c->peer_key, s, cv.signature));
    c->params.client_auth = 1;
    c->params.peer_verified = 1;
    return TD_OK;
}

static td_err on_certificate_verify(td_conn *c, const td_handshake *msg,
                                    size_t before)
{
    TRY(td_srv13_check_client_cv(c, msg, before));
    c->state = TD_ST_SRV_WAIT_FINISHED;
    return TD_OK;
}

td_err td_srv13_on_certificate_verify(td_conn *c, const td_handshake *msg,
                                      size_t before)
{
    td_err e = on_certificate_verify(c, msg, before);

    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "client CertificateVerify");
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * Finished
 * ------------------------------------------------------------------------ */
static td_err on_finished(td_conn *c, const td_handshake *msg, size_t before)
{
    uint8_t th[TD_HASH_MAX_LEN];
    td_finished f;
    td_span h;

    /* RFC 8446 4.4.4: verify_data is Hash.length bytes (decode_error) */
    TRY(td_finished_decode(msg->body, td_hash_len(c->suite.hash), &f));
    /* ClientHello...client CertificateVerify: up to before; BaseKey =
     * client_handshake_traffic_secret; decrypt_error when it differs */
    TRY(td_srv13_th(c, before, th, &h));
    TRY(td_ks13_finished_check(
        c->suite.hash,
        td_ks13_get(&c->ks13, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET), h,
        f.verify_data));
    /* the client's application key (RFC 8446 7.3); the Finished must end
     * its record (RFC 8446 5.1, checked when the key is installed) */
    TRY(td_hs13_install(c, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET, 0));
    /* ClientHello...client Finished */
    TRY(td_srv13_th(c, c->transcript_len, th, &h));
    TRY(td_ks13_resumption_master_secret(&c->ks13, h));
    td_ks13_handshake_end(&c->ks13);
    c->state = TD_ST_CONNECTED;
    /* RFC 8446 4.6.1: "At any time after the server has received the
     * client Finished message, it MAY send a NewSessionTicket" */
    return td_srv13_send_ticket(c);
}

td_err td_srv13_on_finished(td_conn *c, const td_handshake *msg,
                            size_t before)
{
    td_err e = on_finished(c, msg, before);

    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "client Finished");
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * KeyUpdate (RFC 8446 4.6.3)
 * ------------------------------------------------------------------------ */
static td_err send_key_update(td_conn *c)
{
    uint8_t body[4];
    td_key_update ku = {TD_KEY_UPDATE_NOT_REQUESTED};
    size_t transcript_len = c->transcript_len;
    td_span s;
    td_wr w;

    td_wr_init(&w, body, sizeof body);
    TRY(td_key_update_encode(&w, &ku));
    TRY(td_wr_finish(&w, &s));
    TRY(td_conn_send_handshake(c, TD_HS_KEY_UPDATE, s));
    /* RFC 8446 4.4.1: post-handshake messages are not in the transcript */
    td_conn_transcript_set_len(c, transcript_len);
    /* it goes under the old key (installing flushes first); RFC 8446
     * 4.6.3: "After sending a KeyUpdate message, the sender SHALL send
     * all its traffic using the next generation of keys" */
    TRY(td_ks13_key_update(&c->ks13, TD_KS13_SERVER));
    return td_hs13_install(c, TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET, 1);
}

static td_err on_key_update(td_conn *c, const td_handshake *msg)
{
    td_key_update ku;

    /* RFC 5246 7.4: TLS 1.2 has no KeyUpdate (unexpected_message) */
    ENSURE(c->params.version == 0x0304, TD_ALERT_UNEXPECTED_MESSAGE);
    /* request_update other than 0 or 1: illegal_parameter (the codec,
     * RFC 8446 4.6.3) */
    TRY(td_key_update_decode(msg->body, &ku));
    /* RFC 8446 4.6.3: "Upon receiving a KeyUpdate, the receiver MUST
     * update its receiving keys." (5.1: at a record boundary, checked
     * when the key is installed) */
    TRY(td_ks13_key_update(&c->ks13, TD_KS13_CLIENT));
    TRY(td_hs13_install(c, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET, 0));
    if (ku.request_update == TD_KEY_UPDATE_REQUESTED)
        TRY(send_key_update(c));
    return TD_OK;
}

td_err td_srv13_on_key_update(td_conn *c, const td_handshake *msg,
                              size_t before)
{
    td_err e;

    (void)before; /* not in the transcript */
    e = on_key_update(c, msg);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "KeyUpdate");
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * EndOfEarlyData (RFC 8446 4.5)
 * ------------------------------------------------------------------------ */
static td_err on_end_of_early_data(td_conn *c, const td_handshake *msg)
{
    /* RFC 8446 4.5: struct {} EndOfEarlyData (decode_error otherwise) */
    TRY(td_empty_message_decode(TD_HS_END_OF_EARLY_DATA, msg->body));
    /* only in WAIT_END_OF_EARLY_DATA, i.e. with early_data sent in
     * EncryptedExtensions (any other is unexpected_message, the table);
     * RFC 8446 4.5: it "indicates that all 0-RTT application_data
     * messages, if any, have been transmitted and that the following
     * records are protected under handshake traffic keys" (ending its
     * record: 5.1, checked when the key is installed) */
    TRY(td_hs13_install(c, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET, 0));
    td_ks13_end_of_early_data(&c->ks13); /* RFC 8446 7.1 */
    c->early_left = 0;
    c->state = TD_ST_SRV_WAIT_FINISHED;
    return TD_OK;
}

td_err td_srv13_on_end_of_early_data(td_conn *c, const td_handshake *msg,
                                     size_t before)
{
    td_err e;

    (void)before;
    e = on_end_of_early_data(c, msg);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "EndOfEarlyData");
    return TD_OK;
}
