/*
 * td_view for handshake messages: every field of every message codec,
 * named as the RFC names it.
 */
#include "td_view_impl.h"

static const char *compression_name(uint8_t c)
{
    return c == 0 ? "null" : NULL; /* RFC 5246 7.4.1.2 */
}

static const char *certificate_type_name(uint8_t t)
{
    /* RFC 5246 7.4.4, RFC 8422 5.5 */
    switch (t) {
    case 1: return "rsa_sign";
    case 2: return "dss_sign";
    case 3: return "rsa_fixed_dh";
    case 4: return "dss_fixed_dh";
    case 64: return "ecdsa_sign";
    default: return NULL;
    }
}

static void view_random(const td_view *v, const char *key, const uint8_t *r)
{
    td_span s = {r, TD_RANDOM_LEN};

    v->bytes(v->ctx, key, s);
}

static void view_client_hello(const td_view *v, const td_client_hello *ch)
{
    td_view_named(v, "legacy_version", ch->legacy_version, TD_NAMES_VERSION);
    view_random(v, "random", ch->random);
    v->bytes(v->ctx, "legacy_session_id", ch->legacy_session_id);
    td_view_u16_list(v, "cipher_suites", ch->cipher_suites, TD_NAMES_SUITE);
    td_view_u8_list(v, "legacy_compression_methods",
                    ch->legacy_compression_methods, compression_name);
    if (ch->has_extensions)
        td_view_extensions(v, "extensions", ch->extensions,
                           TD_EXT_CTX_CLIENT_HELLO);
}

static void view_server_hello(const td_view *v, const td_server_hello *sh)
{
    static const char *const downgrade[] = {"none", "tls12", "tls11"};

    td_view_named(v, "legacy_version", sh->legacy_version, TD_NAMES_VERSION);
    view_random(v, "random", sh->random);
    v->uint(v->ctx, "hello_retry_request", (uint64_t)sh->is_hello_retry_request,
            NULL);
    v->uint(v->ctx, "downgrade_sentinel", sh->downgrade,
            downgrade[sh->downgrade]);
    td_view_named(v, "version", sh->version, TD_NAMES_VERSION);
    v->bytes(v->ctx, "legacy_session_id_echo", sh->legacy_session_id_echo);
    td_view_named(v, "cipher_suite", sh->cipher_suite, TD_NAMES_SUITE);
    v->uint(v->ctx, "legacy_compression_method",
            sh->legacy_compression_method,
            compression_name(sh->legacy_compression_method));
    if (sh->has_extensions)
        td_view_extensions(v, "extensions", sh->extensions, sh->ext_ctx);
}

static void view_certificate13(const td_view *v, const td_certificate13 *c)
{
    td_rd r;
    td_certificate_entry e;
    int got;

    v->bytes(v->ctx, "certificate_request_context",
             c->certificate_request_context);
    td_rd_init_span(&r, c->certificate_list);
    v->open(v->ctx, "certificate_list", 1);
    while (td_certificate_entry_next(&r, &e, &got) == TD_OK && got) {
        v->open(v->ctx, NULL, 0);
        v->bytes(v->ctx, "cert_data", e.cert_data);
        td_view_extensions(v, "extensions", e.extensions,
                           TD_EXT_CTX_CERTIFICATE);
        v->close(v->ctx, 0);
    }
    v->close(v->ctx, 1);
}

static void view_certificate12(const td_view *v, const td_certificate12 *c)
{
    td_rd r;
    td_span cert;
    int got;

    td_rd_init_span(&r, c->certificate_list);
    v->open(v->ctx, "certificate_list", 1);
    while (td_asn1_cert_next(&r, &cert, &got) == TD_OK && got)
        v->bytes(v->ctx, NULL, cert);
    v->close(v->ctx, 1);
}

static void view_body(const td_view *v, const td_msg *m)
{
    switch (m->msg_type) {
    case TD_HS_CLIENT_HELLO:
        view_client_hello(v, &m->u.client_hello);
        break;
    case TD_HS_SERVER_HELLO:
        view_server_hello(v, &m->u.server_hello);
        break;
    case TD_HS_ENCRYPTED_EXTENSIONS:
        td_view_extensions(v, "extensions", m->u.encrypted_extensions.extensions,
                           TD_EXT_CTX_ENCRYPTED_EXTENSIONS);
        break;
    case TD_HS_CERTIFICATE:
        if (m->version >= TD_TLS1_3)
            view_certificate13(v, &m->u.certificate13);
        else
            view_certificate12(v, &m->u.certificate12);
        break;
    case TD_HS_CERTIFICATE_REQUEST:
        if (m->version >= TD_TLS1_3) {
            v->bytes(v->ctx, "certificate_request_context",
                     m->u.certificate_request13.certificate_request_context);
            td_view_extensions(v, "extensions",
                               m->u.certificate_request13.extensions,
                               TD_EXT_CTX_CERTIFICATE_REQUEST);
        } else {
            const td_certificate_request12 *cr = &m->u.certificate_request12;

            td_view_u8_list(v, "certificate_types", cr->certificate_types,
                            certificate_type_name);
            td_view_u16_list(v, "supported_signature_algorithms",
                             cr->supported_signature_algorithms,
                             TD_NAMES_SIGSCHEME);
            td_view_opaque_list(v, "certificate_authorities",
                                cr->certificate_authorities, 2, 0);
        }
        break;
    case TD_HS_SERVER_KEY_EXCHANGE: {
        const td_server_key_exchange *ske = &m->u.server_key_exchange;

        v->uint(v->ctx, "curve_type", ske->curve_type,
                ske->curve_type == TD_EC_CURVE_TYPE_NAMED_CURVE ? "named_curve"
                                                                : NULL);
        td_view_named(v, "namedcurve", ske->namedcurve, TD_NAMES_GROUP);
        v->bytes(v->ctx, "point", ske->point);
        if (ske->has_algorithm)
            td_view_named(v, "algorithm", ske->algorithm, TD_NAMES_SIGSCHEME);
        v->bytes(v->ctx, "signature", ske->signature);
        break;
    }
    case TD_HS_CLIENT_KEY_EXCHANGE:
        v->uint(v->ctx, "kx", m->u.client_key_exchange.kx,
                m->u.client_key_exchange.kx == TD_KX_RSA ? "rsa" : "ecdhe");
        v->bytes(v->ctx,
                 m->u.client_key_exchange.kx == TD_KX_RSA ? "encrypted_pre_master_secret"
                                                          : "ecdh_Yc",
                 m->u.client_key_exchange.exchange_keys);
        break;
    case TD_HS_CERTIFICATE_VERIFY:
        td_view_named(v, "algorithm", m->u.certificate_verify.algorithm,
                      TD_NAMES_SIGSCHEME);
        v->bytes(v->ctx, "signature", m->u.certificate_verify.signature);
        break;
    case TD_HS_FINISHED:
        v->bytes(v->ctx, "verify_data", m->u.finished.verify_data);
        break;
    case TD_HS_NEW_SESSION_TICKET:
        if (m->version >= TD_TLS1_3) {
            const td_new_session_ticket13 *t = &m->u.new_session_ticket13;

            v->uint(v->ctx, "ticket_lifetime", t->ticket_lifetime, NULL);
            v->uint(v->ctx, "ticket_age_add", t->ticket_age_add, NULL);
            v->bytes(v->ctx, "ticket_nonce", t->ticket_nonce);
            v->bytes(v->ctx, "ticket", t->ticket);
            td_view_extensions(v, "extensions", t->extensions,
                               TD_EXT_CTX_NEW_SESSION_TICKET);
        } else {
            v->uint(v->ctx, "ticket_lifetime_hint",
                    m->u.new_session_ticket12.ticket_lifetime_hint, NULL);
            v->bytes(v->ctx, "ticket", m->u.new_session_ticket12.ticket);
        }
        break;
    case TD_HS_KEY_UPDATE:
        v->uint(v->ctx, "request_update", m->u.key_update.request_update,
                m->u.key_update.request_update ? "update_requested"
                                               : "update_not_requested");
        break;
    case TD_HS_MESSAGE_HASH:
        v->bytes(v->ctx, "hash", m->u.message_hash.hash);
        break;
    default: /* empty bodies */
        break;
    }
}

void td_view_msg(const td_view *v, const td_msg *m)
{
    const char *name = td_hs_name(m->msg_type);

    v->open(v->ctx, name ? name : "unknown", 0);
    view_body(v, m);
    v->close(v->ctx, 0);
}

td_err td_view_message(const td_view *v, uint8_t msg_type, td_span body,
                       const td_msg_ctx *ctx)
{
    td_msg m;

    TRY(td_msg_decode(msg_type, body, ctx, &m));
    td_view_msg(v, &m);
    return TD_OK;
}
