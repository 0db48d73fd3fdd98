/*
 * Edit scripts: the schema (td_edit.h) - what `set` and `ext` can name.
 *
 * One table per concern, read by every function that needs it:
 *   fields[]     each `set` field: name, kind of value, registry of names;
 *   forms[]      each message form and its fields (where they sit in
 *                td_msg), one small table per message;
 *   ext_types[]  the extension types EXT can name.
 */
#include "td_edit.h"

#include "td_ext.h"
#include "td_msg.h"
#include "td_names.h"

#include <stddef.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define NAMES(k) (1 + (int)(k))

/* ------------------------------------------------------------------------
 * Fields
 * ------------------------------------------------------------------------ */

/* max: the field's length prefix (<..2^8-1> = 255) or the edit's own
 * TD_EDIT_BYTES_MAX. */
static const td_edit_field_info fields[TD_EF_END] = {
    [TD_EF_LEGACY_VERSION] = {"legacy_version", TD_EK_U16, NAMES(TD_NAMES_VERSION), 0},
    [TD_EF_RANDOM] = {"random", TD_EK_RANDOM, 0, TD_RANDOM_LEN},
    [TD_EF_LEGACY_SESSION_ID] = {"legacy_session_id", TD_EK_OPAQUE, 0, 255},
    [TD_EF_LEGACY_SESSION_ID_ECHO] = {"legacy_session_id_echo", TD_EK_OPAQUE, 0, 255},
    [TD_EF_CIPHER_SUITES] = {"cipher_suites", TD_EK_LIST16, NAMES(TD_NAMES_SUITE),
                             TD_EDIT_BYTES_MAX},
    [TD_EF_CIPHER_SUITE] = {"cipher_suite", TD_EK_U16, NAMES(TD_NAMES_SUITE), 0},
    [TD_EF_LEGACY_COMPRESSION_METHODS] = {"legacy_compression_methods", TD_EK_LIST8, 0, 255},
    [TD_EF_LEGACY_COMPRESSION_METHOD] = {"legacy_compression_method", TD_EK_U8, 0, 0},
    [TD_EF_HAS_EXTENSIONS] = {"has_extensions", TD_EK_BOOL, 0, 0},
    [TD_EF_EXTENSIONS] = {"extensions", TD_EK_OPAQUE, 0, TD_EDIT_BYTES_MAX},
    [TD_EF_CERTIFICATE_REQUEST_CONTEXT] = {"certificate_request_context", TD_EK_OPAQUE, 0, 255},
    [TD_EF_CERTIFICATE_LIST] = {"certificate_list", TD_EK_OPAQUE, 0, TD_EDIT_BYTES_MAX},
    [TD_EF_CERTIFICATE_TYPES] = {"certificate_types", TD_EK_LIST8, 0, 255},
    [TD_EF_SUPPORTED_SIGNATURE_ALGORITHMS] = {"supported_signature_algorithms", TD_EK_LIST16,
                                              NAMES(TD_NAMES_SIGSCHEME), TD_EDIT_BYTES_MAX},
    [TD_EF_CERTIFICATE_AUTHORITIES] = {"certificate_authorities", TD_EK_OPAQUE, 0,
                                       TD_EDIT_BYTES_MAX},
    [TD_EF_CURVE_TYPE] = {"curve_type", TD_EK_U8, 0, 0},
    [TD_EF_NAMEDCURVE] = {"namedcurve", TD_EK_U16, NAMES(TD_NAMES_GROUP), 0},
    [TD_EF_POINT] = {"point", TD_EK_OPAQUE, 0, 255},
    [TD_EF_ALGORITHM] = {"algorithm", TD_EK_U16, NAMES(TD_NAMES_SIGSCHEME), 0},
    [TD_EF_SIGNATURE] = {"signature", TD_EK_OPAQUE, 0, TD_EDIT_BYTES_MAX},
    [TD_EF_EXCHANGE_KEYS] = {"exchange_keys", TD_EK_OPAQUE, 0, TD_EDIT_BYTES_MAX},
    [TD_EF_VERIFY_DATA] = {"verify_data", TD_EK_OPAQUE, 0, TD_EDIT_BYTES_MAX},
    [TD_EF_TICKET_LIFETIME] = {"ticket_lifetime", TD_EK_U32, 0, 0},
    [TD_EF_TICKET_AGE_ADD] = {"ticket_age_add", TD_EK_U32, 0, 0},
    [TD_EF_TICKET_NONCE] = {"ticket_nonce", TD_EK_OPAQUE, 0, 255},
    [TD_EF_TICKET] = {"ticket", TD_EK_OPAQUE, 0, TD_EDIT_BYTES_MAX},
    [TD_EF_TICKET_LIFETIME_HINT] = {"ticket_lifetime_hint", TD_EK_U32, 0, 0},
    [TD_EF_REQUEST_UPDATE] = {"request_update", TD_EK_U8, 0, 0},
    [TD_EF_HASH] = {"hash", TD_EK_OPAQUE, 0, TD_EDIT_BYTES_MAX},
};

const td_edit_field_info *td_edit_field_about(unsigned field)
{
    if (field == 0 || field >= TD_EF_END)
        return NULL;
    return &fields[field];
}

/* ------------------------------------------------------------------------
 * Message forms: one small table per message, in td_msg.h's order
 * ------------------------------------------------------------------------ */
#define SLOT(f, m, member)                                                                         \
    {                                                                                              \
        TD_EF_##f, offsetof(td_msg, u.m.member), sizeof(((td_msg *)0)->u.m.member)                 \
    }

static const td_edit_slot client_hello[] = {
    SLOT(LEGACY_VERSION, client_hello, legacy_version),
    SLOT(RANDOM, client_hello, random),
    SLOT(LEGACY_SESSION_ID, client_hello, legacy_session_id),
    SLOT(CIPHER_SUITES, client_hello, cipher_suites),
    SLOT(LEGACY_COMPRESSION_METHODS, client_hello, legacy_compression_methods),
    SLOT(HAS_EXTENSIONS, client_hello, has_extensions),
    SLOT(EXTENSIONS, client_hello, extensions),
};
static const td_edit_slot server_hello[] = {
    SLOT(LEGACY_VERSION, server_hello, legacy_version),
    SLOT(RANDOM, server_hello, random),
    SLOT(LEGACY_SESSION_ID_ECHO, server_hello, legacy_session_id_echo),
    SLOT(CIPHER_SUITE, server_hello, cipher_suite),
    SLOT(LEGACY_COMPRESSION_METHOD, server_hello, legacy_compression_method),
    SLOT(HAS_EXTENSIONS, server_hello, has_extensions),
    SLOT(EXTENSIONS, server_hello, extensions),
};
static const td_edit_slot encrypted_extensions[] = {
    SLOT(EXTENSIONS, encrypted_extensions, extensions),
};
static const td_edit_slot certificate13[] = {
    SLOT(CERTIFICATE_REQUEST_CONTEXT, certificate13, certificate_request_context),
    SLOT(CERTIFICATE_LIST, certificate13, certificate_list),
};
static const td_edit_slot certificate12[] = {
    SLOT(CERTIFICATE_LIST, certificate12, certificate_list),
};
static const td_edit_slot certificate_request13[] = {
    SLOT(CERTIFICATE_REQUEST_CONTEXT, certificate_request13, certificate_request_context),
    SLOT(EXTENSIONS, certificate_request13, extensions),
};
static const td_edit_slot certificate_request12[] = {
    SLOT(CERTIFICATE_TYPES, certificate_request12, certificate_types),
    SLOT(SUPPORTED_SIGNATURE_ALGORITHMS, certificate_request12, supported_signature_algorithms),
    SLOT(CERTIFICATE_AUTHORITIES, certificate_request12, certificate_authorities),
};
static const td_edit_slot server_key_exchange[] = {
    SLOT(CURVE_TYPE, server_key_exchange, curve_type),
    SLOT(NAMEDCURVE, server_key_exchange, namedcurve),
    SLOT(POINT, server_key_exchange, point),
    SLOT(ALGORITHM, server_key_exchange, algorithm),
    SLOT(SIGNATURE, server_key_exchange, signature),
};
static const td_edit_slot client_key_exchange[] = {
    SLOT(EXCHANGE_KEYS, client_key_exchange, exchange_keys),
};
static const td_edit_slot certificate_verify[] = {
    SLOT(ALGORITHM, certificate_verify, algorithm),
    SLOT(SIGNATURE, certificate_verify, signature),
};
static const td_edit_slot finished[] = {
    SLOT(VERIFY_DATA, finished, verify_data),
};
static const td_edit_slot new_session_ticket13[] = {
    SLOT(TICKET_LIFETIME, new_session_ticket13, ticket_lifetime),
    SLOT(TICKET_AGE_ADD, new_session_ticket13, ticket_age_add),
    SLOT(TICKET_NONCE, new_session_ticket13, ticket_nonce),
    SLOT(TICKET, new_session_ticket13, ticket),
    SLOT(EXTENSIONS, new_session_ticket13, extensions),
};
static const td_edit_slot new_session_ticket12[] = {
    SLOT(TICKET_LIFETIME_HINT, new_session_ticket12, ticket_lifetime_hint),
    SLOT(TICKET, new_session_ticket12, ticket),
};
static const td_edit_slot key_update[] = {
    SLOT(REQUEST_UPDATE, key_update, request_update),
};
static const td_edit_slot message_hash[] = {
    SLOT(HASH, message_hash, hash),
};

/* v13: which td_msg_ctx versions the form is for (as td_msg_decode
 * picks it): -1 any, 1 TLS 1.3, 0 below. */
#define FORM(type, v13, t)                                                                         \
    {                                                                                              \
        type, v13, t, N_OF(t)                                                                      \
    }
static const struct {
    uint8_t type;
    int v13;
    const td_edit_slot *slots;
    size_t n;
} forms[] = {
    FORM(TD_HS_CLIENT_HELLO, -1, client_hello),
    FORM(TD_HS_SERVER_HELLO, -1, server_hello),
    FORM(TD_HS_ENCRYPTED_EXTENSIONS, -1, encrypted_extensions),
    FORM(TD_HS_CERTIFICATE, 1, certificate13),
    FORM(TD_HS_CERTIFICATE, 0, certificate12),
    FORM(TD_HS_CERTIFICATE_REQUEST, 1, certificate_request13),
    FORM(TD_HS_CERTIFICATE_REQUEST, 0, certificate_request12),
    FORM(TD_HS_SERVER_KEY_EXCHANGE, -1, server_key_exchange),
    FORM(TD_HS_CLIENT_KEY_EXCHANGE, -1, client_key_exchange),
    FORM(TD_HS_CERTIFICATE_VERIFY, -1, certificate_verify),
    FORM(TD_HS_FINISHED, -1, finished),
    FORM(TD_HS_NEW_SESSION_TICKET, 1, new_session_ticket13),
    FORM(TD_HS_NEW_SESSION_TICKET, 0, new_session_ticket12),
    FORM(TD_HS_KEY_UPDATE, -1, key_update),
    FORM(TD_HS_MESSAGE_HASH, -1, message_hash),
};

const td_edit_slot *td_edit_slots(uint8_t msg_type, uint16_t version, size_t *n, const char **name)
{
    int v13 = version >= TD_TLS1_3;
    size_t i;

    if (name)
        *name = td_hs_name(msg_type);
    *n = 0;
    for (i = 0; i < N_OF(forms); i++)
        if (forms[i].type == msg_type && (forms[i].v13 < 0 || forms[i].v13 == v13)) {
            *n = forms[i].n;
            return forms[i].slots;
        }
    return NULL;
}

/* The extension types of td_ext.h: those td_ext_name can name, and what
 * the mutator picks from (a test checks that every name is here). */
static const uint16_t ext_types[] = {
    TD_EXT_SERVER_NAME,
    TD_EXT_MAX_FRAGMENT_LENGTH,
    TD_EXT_STATUS_REQUEST,
    TD_EXT_SUPPORTED_GROUPS,
    TD_EXT_EC_POINT_FORMATS,
    TD_EXT_SIGNATURE_ALGORITHMS,
    TD_EXT_USE_SRTP,
    TD_EXT_HEARTBEAT,
    TD_EXT_ALPN,
    TD_EXT_SIGNED_CERTIFICATE_TIMESTAMP,
    TD_EXT_CLIENT_CERTIFICATE_TYPE,
    TD_EXT_SERVER_CERTIFICATE_TYPE,
    TD_EXT_PADDING,
    TD_EXT_ENCRYPT_THEN_MAC,
    TD_EXT_EXTENDED_MASTER_SECRET,
    TD_EXT_RECORD_SIZE_LIMIT,
    TD_EXT_SESSION_TICKET,
    TD_EXT_PRE_SHARED_KEY,
    TD_EXT_EARLY_DATA,
    TD_EXT_SUPPORTED_VERSIONS,
    TD_EXT_COOKIE,
    TD_EXT_PSK_KEY_EXCHANGE_MODES,
    TD_EXT_CERTIFICATE_AUTHORITIES,
    TD_EXT_OID_FILTERS,
    TD_EXT_POST_HANDSHAKE_AUTH,
    TD_EXT_SIGNATURE_ALGORITHMS_CERT,
    TD_EXT_KEY_SHARE,
    TD_EXT_RENEGOTIATION_INFO,
};

const uint16_t *td_edit_ext_types(size_t *n)
{
    *n = N_OF(ext_types);
    return ext_types;
}
