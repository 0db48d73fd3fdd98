/*
 * The TLS 1.3 client after the ServerHello (RFC 8446 A.1):
 *
 *                               WAIT_EE
 *                                  | Recv EncryptedExtensions
 *                       +----------+----------+
 *                       |  [Using certificate]|
 *                       |                     v
 *                       |               WAIT_CERT_CR
 *                       |        Recv   |           | Recv Certificate
 *                       | CertificateRequest        v
 *                       |               v       WAIT_CV
 *                       |           WAIT_CERT       | Recv
 *                       |               | Recv      | CertificateVerify
 *                       |               v           |
 *                       +-----> WAIT_FINISHED <-----+
 *                                  | Recv Finished
 *                                  | [Send EndOfEarlyData]
 *                                  | K_send = handshake
 *                                  | [Send Certificate [+ CertificateVerify]]
 *                        Can send  | Send Finished
 *                        app data  | K_send = K_recv = application
 *                        after here v
 *                               CONNECTED
 *
 * (with a PSK accepted, straight from WAIT_EE to WAIT_FINISHED: RFC 8446
 * 2.2 "As the server is authenticating via a PSK, it does not send a
 * Certificate or a CertificateVerify message", 4.3.2 no
 * CertificateRequest; EndOfEarlyData when the server took our 0-RTT,
 * td_hs_client13_psk.c). The server
 * Finished opens the application secrets (RFC 8446 7.1):
 *
 *                  Derive-Secret(., "derived", "")
 *                        |
 *              0 -> HKDF-Extract = Master Secret
 *                        |
 *                        +-----> Derive-Secret(., "c ap traffic",
 *                        |                     ClientHello...server Finished)
 *                        +-----> Derive-Secret(., "s ap traffic", ...)
 *                        +-----> Derive-Secret(., "exp master", ...)
 *                        +-----> Derive-Secret(., "res master",
 *                                              ClientHello...client Finished)
 *
 * The client's flight (Certificate, CertificateVerify, Finished) is
 * td_hs_client13_auth.c, as are the post-handshake messages.
 */
#include "td_hs_client13_psk.h"

#include <string.h>

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

td_err td_cli13_on_encrypted_extensions(td_conn *c, const td_handshake *msg,
                                        size_t before)
{
    td_encrypted_extensions ee;
    td_ext_iter it;
    int early_data = 0;
    td_err e = td_encrypted_extensions_decode(msg->body, &ee);

    (void)before;
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "EncryptedExtensions: decode");
    td_ext_iter_init(&it, ee.extensions);
    for (;;) {
        uint16_t type;
        td_span data;
        int got;

        TRY(td_ext_iter_next(&it, &type, &data, &got));
        if (!got)
            break;
        /* RFC 8446 4.2: "Implementations MUST NOT send extension
         * responses if the remote endpoint did not send the corresponding
         * extension requests ... Upon receiving such an extension, an
         * endpoint MUST abort the handshake with an
         * "unsupported_extension" alert." (The codec has already refused
         * what the 4.2 table does not allow in EE, with
         * illegal_parameter.) */
        ENSURE(td_cli_offered_extension(c, type),
               TD_CONN_FAIL(c, TD_ALERT_UNSUPPORTED_EXTENSION,
                            "EncryptedExtensions: extension not offered"));
        if (type == TD_EXT_ALPN) {
            td_ext_alpn al;
            td_rd r, name;
            td_span proto;

            e = td_ext_alpn_decode(data, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, &al);
            if (e != TD_OK)
                return TD_CONN_FAIL(c, e, "EncryptedExtensions: ALPN");
            td_rd_init_span(&r, al.protocol_name_list);
            TRY(td_rd_vec8(&r, 1, 0xff, &name)); /* the codec checked it */
            td_rd_rest(&name, &proto);
            /* RFC 7301 3.1: the server's name is one of "the protocols
             * advertised by the client"; another is a value inconsistent
             * with what was sent (RFC 8446 6.2 illegal_parameter) */
            ENSURE(td_cli_offered_alpn(c, proto),
                   TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                                "EncryptedExtensions: ALPN not offered"));
            ENSURE(proto.len <= sizeof c->alpn, TD_ERR_INTERNAL);
            memcpy(c->alpn, proto.p, proto.len);
            c->alpn_len = proto.len;
        }
        early_data |= type == TD_EXT_EARLY_DATA;
        /* The rest needs no action: server_name and supported_groups are
         * informational (RFC 6066 3, RFC 8446 4.2.7 "MUST NOT act upon"),
         * record_size_limit is at most what we can send (RFC 8449 4; the
         * codec refused values under 64). */
    }
    /* RFC 8446 4.2.10: our 0-RTT accepted or refused */
    TRY(td_cli13_early_on_ee(c, early_data));
    c->state = c->psk_state == TD_PSK_ACCEPTED
                   ? TD_ST_CLI_WAIT_FINISHED
                   : TD_ST_CLI_WAIT_CERTIFICATE_OR_REQUEST;
    return TD_OK;
}

td_err td_cli13_on_certificate_request(td_conn *c, const td_handshake *msg,
                                       size_t before)
{
    td_certificate_request13 cr;
    td_err e = td_certificate_request13_decode(msg->body, &cr);

    (void)before;
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "CertificateRequest: decode");
    /* RFC 8446 4.3.2: certificate_request_context "SHALL be zero length
     * unless used for the post-handshake authentication exchanges"; no
     * alert is named: 6.2 illegal_parameter */
    ENSURE(cr.certificate_request_context.len == 0,
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "CertificateRequest: context not empty"));
    /* Its signature_algorithms (required, RFC 8446 4.3.2, the codec's
     * check) are read back from the transcript when we answer. */
    c->client_cert_requested = 1;
    c->state = TD_ST_CLI_WAIT_CERTIFICATE;
    return TD_OK;
}

td_err td_cli13_on_certificate(td_conn *c, const td_handshake *msg,
                               size_t before)
{
    td_certificate13 m;
    td_certificate_entry ent;
    td_rd list;
    int got;
    td_err e = td_certificate13_decode(msg->body, &m);

    (void)before;
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "Certificate: decode");
    /* RFC 8446 4.4.2: "in the case of server authentication, this field
     * SHALL be zero length"; 6.2 illegal_parameter */
    ENSURE(m.certificate_request_context.len == 0,
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "Certificate: context not empty"));
    /* RFC 8446 4.4.2.4: "If the server supplies an empty Certificate
     * message, the client MUST abort the handshake with a "decode_error"
     * alert." */
    ENSURE(m.count > 0, TD_CONN_FAIL(c, TD_ALERT_DECODE_ERROR,
                                     "Certificate: empty"));
    td_rd_init_span(&list, m.certificate_list);
    for (;;) {
        td_ext_iter it;
        uint16_t type;
        td_span data;
        int more;

        TRY(td_certificate_entry_next(&list, &ent, &got));
        if (!got)
            break;
        td_ext_iter_init(&it, ent.extensions);
        for (;;) {
            TRY(td_ext_iter_next(&it, &type, &data, &more));
            if (!more)
                break;
            /* RFC 8446 4.4.2: "Extensions in the Certificate message from
             * the server MUST correspond to ones from the ClientHello
             * message"; 4.2: otherwise unsupported_extension. */
            ENSURE(td_cli_offered_extension(c, type),
                   TD_CONN_FAIL(c, TD_ALERT_UNSUPPORTED_EXTENSION,
                                "Certificate: extension not offered"));
        }
    }
    e = td_hs_store_peer_chain13(c, &m);
    if (e == TD_OK)
        e = td_hs_check_peer_chain(c);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "Certificate: server chain");
    c->state = TD_ST_CLI_WAIT_CERTIFICATE_VERIFY;
    return TD_OK;
}

/* RFC 8446 4.4.3 / 4.2.3: schemes that may sign a TLS 1.3
 * CertificateVerify: not RSASSA-PKCS1-v1_5 ("RSA signatures MUST use an
 * RSASSA-PSS algorithm, regardless of whether RSASSA-PKCS1-v1_5
 * algorithms appear in "signature_algorithms""), not SHA-1 ("The SHA-1
 * algorithm MUST NOT be used in any signatures of CertificateVerify
 * messages"), nor the other legacy code points of TLS 1.2 (hash byte
 * 0x01..0x06 with signature byte 0x01..0x03: MD5, SHA-1, SHA-224 ...
 * with RSA, DSA, ECDSA; RFC 5246 7.4.1.4.1), of which only ECDSA with
 * SHA-256/384/512 are TLS 1.3 names. */
static int cv13_allowed(uint16_t scheme)
{
    uint8_t hash = (uint8_t)(scheme >> 8), sig = (uint8_t)scheme;

    if (hash >= 0x01 && hash <= 0x06 && sig >= 0x01 && sig <= 0x03)
        return sig == 0x03 && hash >= 0x04;
    return 1;
}

td_err td_cli13_on_certificate_verify(td_conn *c, const td_handshake *msg,
                                      size_t before)
{
    uint8_t th[TD_HASH_MAX_LEN], content[64 + 34 + 1 + TD_HASH_MAX_LEN];
    size_t content_len;
    td_certificate_verify cv;
    td_err e = td_certificate_verify_decode(msg->body, &cv);

    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "CertificateVerify: decode");
    /* RFC 8446 4.4.3: "If the CertificateVerify message is sent by a
     * server, the signature algorithm MUST be one offered in the
     * client's "signature_algorithms" extension"; 4.2.3 and 4.4.3 rule
     * out PKCS#1 v1.5 and SHA-1. No alert is named: 6.2
     * illegal_parameter. */
    ENSURE(td_cli_offered_sig_scheme(c, cv.algorithm) &&
               cv13_allowed(cv.algorithm),
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "CertificateVerify: scheme not allowed"));
    /* A scheme the config offered that the engine cannot verify (the
     * RFC 8448 traces offer ecdsa_secp521r1_sha512): 6.2
     * handshake_failure, not the server's fault. */
    ENSURE(td_sig_supported(cv.algorithm),
           TD_CONN_FAIL(c, TD_ALERT_HANDSHAKE_FAILURE,
                        "CertificateVerify: scheme not supported"));
    TRY(td_conn_transcript_hash(c, c->suite.hash, before, th));
    TRY(td_hs_cv13_content(1, span_of(th, td_hash_len(c->suite.hash)),
                           content, sizeof content, &content_len));
    /* RFC 8446 4.4.3: "If the verification fails, the receiver MUST
     * terminate the handshake with a "decrypt_error" alert." A scheme
     * that does not fit the certificate's key ("the signature algorithm
     * MUST be compatible with the key in the sender's end-entity
     * certificate") is illegal_parameter (td_sig_verify). */
    e = td_sig_verify(cv.algorithm, TD_SIG_CURVE_BOUND, &c->peer_key,
                      span_of(content, content_len), cv.signature);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "CertificateVerify: signature");
    c->params.sig_scheme = cv.algorithm;
    c->state = TD_ST_CLI_WAIT_FINISHED;
    return TD_OK;
}

/* Install the key of `which` (RFC 8446 7.3) for reading or writing. */
td_err td_cli13_on_finished(td_conn *c, const td_handshake *msg, size_t before)
{
    uint8_t th[TD_HASH_MAX_LEN];
    size_t hl = td_hash_len(c->suite.hash);
    td_finished fin;
    td_err e = td_finished_decode(msg->body, hl, &fin);

    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "Finished: decode");
    TRY(td_conn_transcript_hash(c, c->suite.hash, before, th));
    /* RFC 8446 4.4.4: "Recipients of Finished messages MUST verify that
     * the contents are correct and if incorrect MUST terminate the
     * connection with a "decrypt_error" alert." */
    e = td_ks13_finished_check(
        c->suite.hash,
        td_ks13_get(&c->ks13, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET),
        span_of(th, hl), fin.verify_data);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "Finished: verify_data");
    /* the application secrets over ClientHello...server Finished */
    TRY(td_hs13_application_secrets(c));
    /* The server's application key from the next record on; a handshake
     * message left in this record is unexpected_message (RFC 8446 5.1,
     * td_hs_install_read). */
    e = td_hs13_install(c, TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET, 0);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "Finished: key change");
    /* RFC 8446 4.5: EndOfEarlyData under the early key, if the server
     * took our 0-RTT */
    TRY(td_cli13_early_end(c));
    /* RFC 8446 D.4: the dummy change_cipher_spec "immediately before its
     * second flight", if not sent before the second ClientHello (or after
     * the first, offering 0-RTT); only in compatibility mode (a non-empty
     * legacy_session_id) */
    if (c->session_id_len > 0 && !c->hrr_done && !c->compat_ccs_sent)
        TRY(td_conn_send_ccs(c));
    TRY(td_hs13_install(c, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET, 1));
    TRY(td_cli13_send_flight(c));
    TRY(td_hs13_install(c, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET, 1));
    /* resumption_master_secret over ClientHello...client Finished; then
     * the master and handshake traffic secrets are done (RFC 8446 7.1) */
    TRY(td_conn_transcript_hash(c, c->suite.hash, c->transcript_len, th));
    TRY(td_ks13_resumption_master_secret(&c->ks13, span_of(th, hl)));
    td_ks13_handshake_end(&c->ks13);
    c->state = TD_ST_CONNECTED;
    return TD_OK;
}
