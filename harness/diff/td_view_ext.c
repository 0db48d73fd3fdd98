/*
 * td_view for extensions: each known extension's typed fields, in the
 * form of the message that carries it; unknown and GREASE extensions as
 * their opaque bytes.
 */
#include "td_view_impl.h"

static const char *point_format_name(uint8_t f)
{
    /* RFC 8422 5.1.2 */
    switch (f) {
    case 0: return "uncompressed";
    case 1: return "ansiX962_compressed_prime";
    case 2: return "ansiX962_compressed_char2";
    default: return NULL;
    }
}

static const char *psk_mode_name(uint8_t m)
{
    /* RFC 8446 4.2.9 */
    switch (m) {
    case TD_PSK_KE: return "psk_ke";
    case TD_PSK_DHE_KE: return "psk_dhe_ke";
    default: return NULL;
    }
}

static void view_key_share_entry(const td_view *v, const char *key,
                                 const td_key_share_entry *e)
{
    v->open(v->ctx, key, 0);
    td_view_named(v, "group", e->group, TD_NAMES_GROUP);
    v->bytes(v->ctx, "key_exchange", e->key_exchange);
    v->close(v->ctx, 0);
}

static void view_key_share(const td_view *v, const td_ext_key_share *k,
                           td_ext_ctx ctx)
{
    td_rd r;
    td_key_share_entry e;
    int got;

    switch (ctx) {
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
        td_view_named(v, "selected_group", k->selected_group, TD_NAMES_GROUP);
        return;
    case TD_EXT_CTX_SERVER_HELLO13:
        view_key_share_entry(v, "server_share", &k->server_share);
        return;
    default:
        td_rd_init_span(&r, k->client_shares);
        v->open(v->ctx, "client_shares", 1);
        while (td_key_share_entry_next(&r, &e, &got) == TD_OK && got)
            view_key_share_entry(v, NULL, &e);
        v->close(v->ctx, 1);
        return;
    }
}

static void view_pre_shared_key(const td_view *v,
                                const td_ext_pre_shared_key *p, td_ext_ctx ctx)
{
    td_rd r;
    td_psk_identity id;
    td_span binder;
    int got;

    if (ctx == TD_EXT_CTX_SERVER_HELLO13) {
        v->uint(v->ctx, "selected_identity", p->selected_identity, NULL);
        return;
    }
    td_rd_init_span(&r, p->identities);
    v->open(v->ctx, "identities", 1);
    while (td_psk_identity_next(&r, &id, &got) == TD_OK && got) {
        v->open(v->ctx, NULL, 0);
        v->bytes(v->ctx, "identity", id.identity);
        v->uint(v->ctx, "obfuscated_ticket_age", id.obfuscated_ticket_age,
                NULL);
        v->close(v->ctx, 0);
    }
    v->close(v->ctx, 1);
    td_rd_init_span(&r, p->binders);
    v->open(v->ctx, "binders", 1);
    while (td_psk_binder_next(&r, &binder, &got) == TD_OK && got)
        v->bytes(v->ctx, NULL, binder);
    v->close(v->ctx, 1);
}

static void view_status_request(const td_view *v,
                                const td_ext_status_request *s, td_ext_ctx ctx)
{
    if (ctx == TD_EXT_CTX_SERVER_HELLO12 ||
        ctx == TD_EXT_CTX_CERTIFICATE_REQUEST)
        return; /* empty forms (RFC 6066 8, RFC 8446 4.4.2.1) */
    v->uint(v->ctx, "status_type", s->status_type,
            s->status_type == TD_STATUS_TYPE_OCSP ? "ocsp" : NULL);
    if (ctx == TD_EXT_CTX_CERTIFICATE) {
        v->bytes(v->ctx, "ocsp_response", s->ocsp_response);
        return;
    }
    td_view_opaque_list(v, "responder_id_list", s->responder_id_list, 2, 0);
    v->bytes(v->ctx, "request_extensions", s->request_extensions);
}

static void view_known(const td_view *v, const td_ext_any *a, td_ext_ctx ctx)
{
    switch (a->type) {
    case TD_EXT_SERVER_NAME:
        if (a->u.server_name.server_name_list.len)
            v->text(v->ctx, "host_name", a->u.server_name.host_name);
        break;
    case TD_EXT_MAX_FRAGMENT_LENGTH:
        v->uint(v->ctx, "max_fragment_length",
                a->u.max_fragment_length.max_fragment_length, NULL);
        break;
    case TD_EXT_STATUS_REQUEST:
        view_status_request(v, &a->u.status_request, ctx);
        break;
    case TD_EXT_SUPPORTED_GROUPS:
        td_view_u16_list(v, "named_group_list",
                         a->u.supported_groups.named_group_list,
                         TD_NAMES_GROUP);
        break;
    case TD_EXT_EC_POINT_FORMATS:
        td_view_u8_list(v, "ec_point_format_list",
                        a->u.ec_point_formats.ec_point_format_list,
                        point_format_name);
        break;
    case TD_EXT_SIGNATURE_ALGORITHMS:
    case TD_EXT_SIGNATURE_ALGORITHMS_CERT:
        td_view_u16_list(
            v, "supported_signature_algorithms",
            a->u.signature_algorithms.supported_signature_algorithms,
            TD_NAMES_SIGSCHEME);
        break;
    case TD_EXT_ALPN:
        td_view_opaque_list(v, "protocol_name_list",
                            a->u.alpn.protocol_name_list, 1, 1);
        break;
    case TD_EXT_SESSION_TICKET:
        v->bytes(v->ctx, "ticket", a->u.session_ticket.ticket);
        break;
    case TD_EXT_RENEGOTIATION_INFO:
        v->bytes(v->ctx, "renegotiated_connection",
                 a->u.renegotiation_info.renegotiated_connection);
        break;
    case TD_EXT_SUPPORTED_VERSIONS:
        if (ctx == TD_EXT_CTX_CLIENT_HELLO)
            td_view_u16_list(v, "versions", a->u.supported_versions.versions,
                             TD_NAMES_VERSION);
        else
            td_view_named(v, "selected_version",
                          a->u.supported_versions.selected_version,
                          TD_NAMES_VERSION);
        break;
    case TD_EXT_KEY_SHARE:
        view_key_share(v, &a->u.key_share, ctx);
        break;
    case TD_EXT_PSK_KEY_EXCHANGE_MODES:
        td_view_u8_list(v, "ke_modes", a->u.psk_key_exchange_modes.ke_modes,
                        psk_mode_name);
        break;
    case TD_EXT_PRE_SHARED_KEY:
        view_pre_shared_key(v, &a->u.pre_shared_key, ctx);
        break;
    case TD_EXT_EARLY_DATA:
        if (ctx == TD_EXT_CTX_NEW_SESSION_TICKET)
            v->uint(v->ctx, "max_early_data_size",
                    a->u.early_data.max_early_data_size, NULL);
        break;
    case TD_EXT_COOKIE:
        v->bytes(v->ctx, "cookie", a->u.cookie.cookie);
        break;
    case TD_EXT_PADDING:
        v->uint(v->ctx, "padding_length", a->u.padding.padding.len, NULL);
        break;
    case TD_EXT_RECORD_SIZE_LIMIT:
        v->uint(v->ctx, "record_size_limit",
                a->u.record_size_limit.record_size_limit, NULL);
        break;
    case TD_EXT_CERTIFICATE_AUTHORITIES:
        td_view_opaque_list(v, "authorities",
                            a->u.certificate_authorities.authorities, 2, 0);
        break;
    default: /* the empty ones: EMS, EtM, post_handshake_auth */
        break;
    }
}

void td_view_extensions(const td_view *v, const char *key, td_span block,
                        td_ext_ctx ctx)
{
    td_ext_iter it;
    uint16_t type;
    td_span data;
    int got;

    td_ext_iter_init(&it, block);
    v->open(v->ctx, key, 1);
    while (td_ext_iter_next(&it, &type, &data, &got) == TD_OK && got) {
        td_ext_any a;
        const char *name = td_ext_name(type);

        v->open(v->ctx, NULL, 0);
        v->uint(v->ctx, "extension_type", type,
                name ? name : td_ext_is_grease(type) ? "GREASE" : NULL);
        if (td_ext_any_decode(type, data, ctx, &a) == TD_OK && a.known)
            view_known(v, &a, ctx);
        else
            v->bytes(v->ctx, "extension_data", data);
        v->close(v->ctx, 0);
    }
    v->close(v->ctx, 1);
}
