/*
 * Any handshake message by type: the one switch between a HandshakeType
 * (RFC 8446 4, RFC 5246 7.4) and its codec. Which form of a message
 * applies (TLS 1.2 or 1.3 Certificate, RSA or ECDHE ClientKeyExchange)
 * is not in the body; td_msg_ctx says it.
 */
#include "td_msg.h"

#include <string.h>

td_err td_msg_decode(uint8_t msg_type, td_span body, const td_msg_ctx *ctx,
                     td_msg *out)
{
    td_msg m;
    int v13 = ctx->version >= 0x0304;

    memset(&m, 0, sizeof m);
    m.msg_type = msg_type;
    m.version = ctx->version;
    switch (msg_type) {
    case TD_HS_CLIENT_HELLO:
        TRY(td_client_hello_decode(body, &m.u.client_hello));
        break;
    case TD_HS_SERVER_HELLO:
        TRY(td_server_hello_decode(body, &m.u.server_hello));
        break;
    case TD_HS_ENCRYPTED_EXTENSIONS:
        TRY(td_encrypted_extensions_decode(body, &m.u.encrypted_extensions));
        break;
    case TD_HS_CERTIFICATE:
        if (v13)
            TRY(td_certificate13_decode(body, &m.u.certificate13));
        else
            TRY(td_certificate12_decode(body, &m.u.certificate12));
        break;
    case TD_HS_CERTIFICATE_REQUEST:
        if (v13)
            TRY(td_certificate_request13_decode(body,
                                                &m.u.certificate_request13));
        else
            TRY(td_certificate_request12_decode(body,
                                                &m.u.certificate_request12));
        break;
    case TD_HS_SERVER_KEY_EXCHANGE:
        /* RFC 5246 4.7: TLS 1.2 signs with an explicit algorithm. */
        TRY(td_server_key_exchange_decode(body, ctx->version >= 0x0303,
                                          &m.u.server_key_exchange));
        break;
    case TD_HS_CLIENT_KEY_EXCHANGE:
        TRY(td_client_key_exchange_decode(body, ctx->kx,
                                          &m.u.client_key_exchange));
        break;
    case TD_HS_CERTIFICATE_VERIFY:
        TRY(td_certificate_verify_decode(body, &m.u.certificate_verify));
        break;
    case TD_HS_FINISHED:
        TRY(td_finished_decode(body, ctx->verify_data_len, &m.u.finished));
        break;
    case TD_HS_NEW_SESSION_TICKET:
        if (v13)
            TRY(td_new_session_ticket13_decode(body,
                                               &m.u.new_session_ticket13));
        else
            TRY(td_new_session_ticket12_decode(body,
                                               &m.u.new_session_ticket12));
        break;
    case TD_HS_KEY_UPDATE:
        TRY(td_key_update_decode(body, &m.u.key_update));
        break;
    case TD_HS_MESSAGE_HASH:
        TRY(td_message_hash_decode(body, ctx->hash_len, &m.u.message_hash));
        break;
    case TD_HS_HELLO_REQUEST:
    case TD_HS_SERVER_HELLO_DONE:
    case TD_HS_END_OF_EARLY_DATA:
        TRY(td_empty_message_decode(msg_type, body));
        break;
    default:
        /* RFC 8446 4 / RFC 5246 7.4: an unknown HandshakeType is an
         * unexpected message. */
        return TD_ALERT_UNEXPECTED_MESSAGE;
    }
    *out = m;
    return TD_OK;
}

td_err td_msg_encode(td_wr *wr, const td_msg *m)
{
    int v13 = m->version >= 0x0304;

    switch (m->msg_type) {
    case TD_HS_CLIENT_HELLO:
        return td_client_hello_encode(wr, &m->u.client_hello);
    case TD_HS_SERVER_HELLO:
        return td_server_hello_encode(wr, &m->u.server_hello);
    case TD_HS_ENCRYPTED_EXTENSIONS:
        return td_encrypted_extensions_encode(wr, &m->u.encrypted_extensions);
    case TD_HS_CERTIFICATE:
        return v13 ? td_certificate13_encode(wr, &m->u.certificate13)
                   : td_certificate12_encode(wr, &m->u.certificate12);
    case TD_HS_CERTIFICATE_REQUEST:
        return v13 ? td_certificate_request13_encode(
                         wr, &m->u.certificate_request13)
                   : td_certificate_request12_encode(
                         wr, &m->u.certificate_request12);
    case TD_HS_SERVER_KEY_EXCHANGE:
        return td_server_key_exchange_encode(wr, &m->u.server_key_exchange);
    case TD_HS_CLIENT_KEY_EXCHANGE:
        return td_client_key_exchange_encode(wr, &m->u.client_key_exchange);
    case TD_HS_CERTIFICATE_VERIFY:
        return td_certificate_verify_encode(wr, &m->u.certificate_verify);
    case TD_HS_FINISHED:
        return td_finished_encode(wr, &m->u.finished);
    case TD_HS_NEW_SESSION_TICKET:
        return v13 ? td_new_session_ticket13_encode(wr,
                                                    &m->u.new_session_ticket13)
                   : td_new_session_ticket12_encode(
                         wr, &m->u.new_session_ticket12);
    case TD_HS_KEY_UPDATE:
        return td_key_update_encode(wr, &m->u.key_update);
    case TD_HS_MESSAGE_HASH:
        return td_message_hash_encode(wr, &m->u.message_hash);
    case TD_HS_HELLO_REQUEST:
    case TD_HS_SERVER_HELLO_DONE:
    case TD_HS_END_OF_EARLY_DATA:
        return td_empty_message_encode(wr, m->msg_type);
    default:
        return TD_ERR_INTERNAL;
    }
}
