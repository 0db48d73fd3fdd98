/*
 * HandshakeType names (RFC 8446 4 B.3, RFC 5246 7.4), as the RFCs spell
 * them.
 */
#include "td_msg.h"

const char *td_hs_name(uint8_t msg_type)
{
    switch (msg_type) {
    case TD_HS_HELLO_REQUEST: return "hello_request";
    case TD_HS_CLIENT_HELLO: return "client_hello";
    case TD_HS_SERVER_HELLO: return "server_hello";
    case TD_HS_NEW_SESSION_TICKET: return "new_session_ticket";
    case TD_HS_END_OF_EARLY_DATA: return "end_of_early_data";
    case TD_HS_ENCRYPTED_EXTENSIONS: return "encrypted_extensions";
    case TD_HS_CERTIFICATE: return "certificate";
    case TD_HS_SERVER_KEY_EXCHANGE: return "server_key_exchange";
    case TD_HS_CERTIFICATE_REQUEST: return "certificate_request";
    case TD_HS_SERVER_HELLO_DONE: return "server_hello_done";
    case TD_HS_CERTIFICATE_VERIFY: return "certificate_verify";
    case TD_HS_CLIENT_KEY_EXCHANGE: return "client_key_exchange";
    case TD_HS_FINISHED: return "finished";
    case TD_HS_KEY_UPDATE: return "key_update";
    case TD_HS_MESSAGE_HASH: return "message_hash";
    default: return NULL;
    }
}
