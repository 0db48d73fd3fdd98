/*
 * Names of extension types and of the messages that carry extension
 * blocks.
 *
 * Type names are the IANA "TLS ExtensionType Values" spellings (RFC 8447
 * renamed "SessionTicket TLS" to session_ticket). GREASE: RFC 8701 2
 * reserves {0x0A0A, 0x1A1A, ..., 0xFAFA} for extension types.
 */
#include "td_ext.h"

#include <stddef.h>

static const struct {
    uint16_t type;
    const char *name;
} td_ext_names[] = {
    {TD_EXT_SERVER_NAME, "server_name"},
    {TD_EXT_MAX_FRAGMENT_LENGTH, "max_fragment_length"},
    {TD_EXT_STATUS_REQUEST, "status_request"},
    {TD_EXT_SUPPORTED_GROUPS, "supported_groups"},
    {TD_EXT_EC_POINT_FORMATS, "ec_point_formats"},
    {TD_EXT_SIGNATURE_ALGORITHMS, "signature_algorithms"},
    {TD_EXT_USE_SRTP, "use_srtp"},
    {TD_EXT_HEARTBEAT, "heartbeat"},
    {TD_EXT_ALPN, "application_layer_protocol_negotiation"},
    {TD_EXT_SIGNED_CERTIFICATE_TIMESTAMP, "signed_certificate_timestamp"},
    {TD_EXT_CLIENT_CERTIFICATE_TYPE, "client_certificate_type"},
    {TD_EXT_SERVER_CERTIFICATE_TYPE, "server_certificate_type"},
    {TD_EXT_PADDING, "padding"},
    {TD_EXT_ENCRYPT_THEN_MAC, "encrypt_then_mac"},
    {TD_EXT_EXTENDED_MASTER_SECRET, "extended_master_secret"},
    {TD_EXT_RECORD_SIZE_LIMIT, "record_size_limit"},
    {TD_EXT_SESSION_TICKET, "session_ticket"},
    {TD_EXT_PRE_SHARED_KEY, "pre_shared_key"},
    {TD_EXT_EARLY_DATA, "early_data"},
    {TD_EXT_SUPPORTED_VERSIONS, "supported_versions"},
    {TD_EXT_COOKIE, "cookie"},
    {TD_EXT_PSK_KEY_EXCHANGE_MODES, "psk_key_exchange_modes"},
    {TD_EXT_CERTIFICATE_AUTHORITIES, "certificate_authorities"},
    {TD_EXT_OID_FILTERS, "oid_filters"},
    {TD_EXT_POST_HANDSHAKE_AUTH, "post_handshake_auth"},
    {TD_EXT_SIGNATURE_ALGORITHMS_CERT, "signature_algorithms_cert"},
    {TD_EXT_KEY_SHARE, "key_share"},
    {TD_EXT_RENEGOTIATION_INFO, "renegotiation_info"},
};

const char *td_ext_name(uint16_t type)
{
    size_t i;

    for (i = 0; i < sizeof td_ext_names / sizeof td_ext_names[0]; i++)
        if (td_ext_names[i].type == type)
            return td_ext_names[i].name;
    return NULL;
}

int td_ext_is_grease(uint16_t type)
{
    /* RFC 8701 2: both bytes equal, each of the form 0x?A */
    return (type & 0x0f0f) == 0x0a0a && (type >> 8) == (type & 0xff);
}

/* The message names of td_ext_ctx; "unknown" for a value outside it, so
 * that a report never prints a null pointer. */
const char *td_ext_ctx_name(td_ext_ctx ctx)
{
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
        return "client_hello";
    case TD_EXT_CTX_SERVER_HELLO12:
        return "server_hello(1.2)";
    case TD_EXT_CTX_SERVER_HELLO13:
        return "server_hello";
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
        return "hello_retry_request";
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS:
        return "encrypted_extensions";
    case TD_EXT_CTX_CERTIFICATE:
        return "certificate";
    case TD_EXT_CTX_CERTIFICATE_REQUEST:
        return "certificate_request";
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        return "new_session_ticket";
    default:
        return "unknown";
    }
}
