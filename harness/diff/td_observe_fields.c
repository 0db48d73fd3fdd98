/*
 * The semantic fields the comparator looks at (td_observe.h, step 8): one
 * table, `fields` below, per message form.
 *
 * The rule for a row: two correct implementations given the same input
 * and the same profile MUST produce the same value, because the RFC fixes
 * it (a fixed constant, an echo of what the peer sent, the answer to what
 * the peer offered, or a size fixed by what was negotiated). Everything
 * else is left out on purpose:
 *   - values drawn at random or derived from secrets: random, key_exchange,
 *     signatures, verify_data, tickets, ticket_age_add, nonces, TLS 1.2
 *     session IDs (the server's choice), the cookie's value;
 *   - extension order (RFC 8446 4.2: "may appear in any order"): a row
 *     names an extension by type, so order never matters;
 *   - extensions an implementation may or may not send for the same input:
 *     supported_groups in EncryptedExtensions (RFC 8446 4.2.7 "MAY"),
 *     record_size_limit (each side's own limit), ec_point_formats in a TLS
 *     1.2 ServerHello, status_request and SCTs, unknown extensions;
 *   - choices by preference the td_state already carries (the signature
 *     scheme of CertificateVerify and ServerKeyExchange), the lists an
 *     implementation advertises (a CertificateRequest's algorithms and
 *     authorities), NewSessionTicket contents and lifetimes.
 * Messages without a row (ServerHelloDone, CertificateVerify,
 * NewSessionTicket, EndOfEarlyData, the TLS 1.2 CertificateRequest) are
 * compared by type only, in the message sequence.
 */
#include "td_names.h"
#include "td_observe.h"

#include <stdio.h>
#include <string.h>

/* A message in the form it was decoded. */
typedef enum obs_form {
    FORM_NONE = 0,
    FORM_CH,
    FORM_SH12,
    FORM_SH13,
    FORM_HRR,
    FORM_EE,
    FORM_CERT12,
    FORM_CERT13,
    FORM_CR12,
    FORM_CR13,
    FORM_SKE,
    FORM_SHD,
    FORM_CKE,
    FORM_CV,
    FORM_FIN,
    FORM_NST12,
    FORM_NST13,
    FORM_KU,
    FORM_EOED,
    FORM_COUNT
} obs_form;

static const char *const form_names[FORM_COUNT] = {
    "other",         "client_hello",         "server_hello12",        "server_hello13",
    "hello_retry_request", "encrypted_extensions", "certificate12",   "certificate13",
    "certificate_request12", "certificate_request13", "server_key_exchange",
    "server_hello_done", "client_key_exchange", "certificate_verify", "finished",
    "new_session_ticket12", "new_session_ticket13", "key_update", "end_of_early_data",
};

/* How a value is shown and compared. */
typedef enum obs_fmt {
    FMT_VERSION, /* uint16 with its registry name */
    FMT_SUITE,
    FMT_GROUP,
    FMT_UINT,
    FMT_YESNO,
    FMT_BYTES,  /* compared byte for byte */
    FMT_TEXT,   /* printable (ALPN protocol names) */
    FMT_GROUPS, /* a list of NamedGroup */
    FMT_DOWNGRADE,
} obs_fmt;

#define OBS_LIST_MAX 16u

typedef struct obs_val {
    int present; /* 0: "none" (an absent extension) */
    uint64_t n;
    td_span b;
    uint16_t list[OBS_LIST_MAX];
    size_t list_n;
} obs_val;

typedef void (*obs_get)(const td_msg *m, uint16_t arg, obs_val *v);

typedef struct obs_field {
    obs_form form;
    const char *key;
    obs_get get;
    uint16_t arg; /* an ExtensionType for the extension getters */
    obs_fmt fmt;
    const char *clause;
} obs_field;

/* ------------------------------------------------------------------------
 * Getters. The message was decoded, so its extension blocks are checked;
 * an extension that still does not decode in its typed codec shows as
 * absent.
 * ------------------------------------------------------------------------ */

static void set_n(obs_val *v, uint64_t n)
{
    v->present = 1;
    v->n = n;
}

static void set_b(obs_val *v, td_span b)
{
    v->present = 1;
    v->b = b;
}

static int msg_extensions(const td_msg *m, td_span *block, td_ext_ctx *ctx)
{
    switch (m->msg_type) {
    case TD_HS_CLIENT_HELLO:
        *block = m->u.client_hello.extensions;
        *ctx = TD_EXT_CTX_CLIENT_HELLO;
        return m->u.client_hello.has_extensions;
    case TD_HS_SERVER_HELLO:
        *block = m->u.server_hello.extensions;
        *ctx = m->u.server_hello.ext_ctx;
        return m->u.server_hello.has_extensions;
    case TD_HS_ENCRYPTED_EXTENSIONS:
        *block = m->u.encrypted_extensions.extensions;
        *ctx = TD_EXT_CTX_ENCRYPTED_EXTENSIONS;
        return 1;
    default:
        return 0;
    }
}

/* The typed extension `type` of m: 1 when present and decoded. */
static int ext_get(const td_msg *m, uint16_t type, td_ext_any *a, td_ext_ctx *ctx)
{
    td_span block, data;

    if (!msg_extensions(m, &block, ctx) || !td_ext_find(block, type, &data))
        return 0;
    return td_ext_any_decode(type, data, *ctx, a) == TD_OK && a->known;
}

static void get_ext_present(const td_msg *m, uint16_t type, obs_val *v)
{
    td_span block, data;
    td_ext_ctx ctx;

    set_n(v, msg_extensions(m, &block, &ctx) && td_ext_find(block, type, &data));
}

static void get_sh_legacy_version(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.server_hello.legacy_version);
}

static void get_sh_version(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.server_hello.version);
}

static void get_sh_session_id_echo(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_b(v, m->u.server_hello.legacy_session_id_echo);
}

static void get_sh_cipher_suite(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.server_hello.cipher_suite);
}

static void get_sh_compression(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.server_hello.legacy_compression_method);
}

static void get_sh_downgrade(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, (uint64_t)m->u.server_hello.downgrade);
}

/* SH: server_share.group; HRR: selected_group. */
static void get_key_share_group(const td_msg *m, uint16_t arg, obs_val *v)
{
    td_ext_any a;
    td_ext_ctx ctx;

    (void)arg;
    if (!ext_get(m, TD_EXT_KEY_SHARE, &a, &ctx))
        return;
    set_n(v, ctx == TD_EXT_CTX_HELLO_RETRY_REQUEST ? a.u.key_share.selected_group
                                                   : a.u.key_share.server_share.group);
}

static void get_ch_key_share_groups(const td_msg *m, uint16_t arg, obs_val *v)
{
    td_ext_any a;
    td_ext_ctx ctx;
    td_rd r;
    td_key_share_entry e;
    int got;

    (void)arg;
    if (!ext_get(m, TD_EXT_KEY_SHARE, &a, &ctx))
        return;
    v->present = 1;
    td_rd_init_span(&r, a.u.key_share.client_shares);
    while (td_key_share_entry_next(&r, &e, &got) == TD_OK && got) {
        if (v->list_n == OBS_LIST_MAX)
            break;
        v->list[v->list_n++] = e.group;
    }
}

static void get_psk_selected_identity(const td_msg *m, uint16_t arg, obs_val *v)
{
    td_ext_any a;
    td_ext_ctx ctx;

    (void)arg;
    if (ext_get(m, TD_EXT_PRE_SHARED_KEY, &a, &ctx))
        set_n(v, a.u.pre_shared_key.selected_identity);
}

static void get_max_fragment_length(const td_msg *m, uint16_t arg, obs_val *v)
{
    td_ext_any a;
    td_ext_ctx ctx;

    (void)arg;
    if (ext_get(m, TD_EXT_MAX_FRAGMENT_LENGTH, &a, &ctx))
        set_n(v, a.u.max_fragment_length.max_fragment_length);
}

/* The one protocol name a server selects (RFC 7301 3.1). */
static void get_alpn_protocol(const td_msg *m, uint16_t arg, obs_val *v)
{
    td_ext_any a;
    td_ext_ctx ctx;
    td_rd r, name;
    td_span s;

    (void)arg;
    if (!ext_get(m, TD_EXT_ALPN, &a, &ctx))
        return;
    td_rd_init_span(&r, a.u.alpn.protocol_name_list);
    if (td_rd_vec8(&r, 1, 255, &name) == TD_OK) {
        td_rd_rest(&name, &s);
        set_b(v, s);
    }
}

static void get_reneg_len(const td_msg *m, uint16_t arg, obs_val *v)
{
    td_ext_any a;
    td_ext_ctx ctx;

    (void)arg;
    if (ext_get(m, TD_EXT_RENEGOTIATION_INFO, &a, &ctx))
        set_n(v, a.u.renegotiation_info.renegotiated_connection.len);
}

static void get_ch_legacy_version(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.client_hello.legacy_version);
}

static void get_ch_compression(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_b(v, m->u.client_hello.legacy_compression_methods);
}

static void get_cert_context(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_b(v, m->u.certificate13.certificate_request_context);
}

static void get_cert13_count(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.certificate13.count);
}

static void get_cert12_count(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.certificate12.count);
}

static void get_cr13_context_len(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.certificate_request13.certificate_request_context.len);
}

static void get_ske_curve_type(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.server_key_exchange.curve_type);
}

static void get_ske_namedcurve(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.server_key_exchange.namedcurve);
}

static void get_ske_point_len(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.server_key_exchange.point.len);
}

static void get_cke_len(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.client_key_exchange.exchange_keys.len);
}

static void get_fin_len(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.finished.verify_data.len);
}

static void get_ku_request(const td_msg *m, uint16_t arg, obs_val *v)
{
    (void)arg;
    set_n(v, m->u.key_update.request_update);
}

/* ------------------------------------------------------------------------
 * The table. Rows are compared in this order; the first that differs is
 * reported as MESSAGE.KEY.
 * ------------------------------------------------------------------------ */
static const obs_field fields[] = {
    /* ClientHello: a client subject's second one, after a HelloRetryRequest. */
    {FORM_CH, "legacy_version", get_ch_legacy_version, 0, FMT_VERSION,
     "RFC 8446 4.1.2: 0x0303"},
    {FORM_CH, "legacy_compression_methods", get_ch_compression, 0, FMT_BYTES,
     "RFC 8446 4.1.2: exactly one byte, null"},
    {FORM_CH, "key_share.groups", get_ch_key_share_groups, 0, FMT_GROUPS,
     "RFC 8446 4.1.2: after HRR, one share of the selected group"},
    /* present, not its value: the peer's cookie may depend on the
     * subject's first ClientHello, which differs between subjects */
    {FORM_CH, "cookie", get_ext_present, TD_EXT_COOKIE, FMT_YESNO,
     "RFC 8446 4.2.2: the client echoes the HRR's cookie"},
    {FORM_CH, "early_data", get_ext_present, TD_EXT_EARLY_DATA, FMT_YESNO,
     "RFC 8446 4.1.2: removed after HRR"},

    /* ServerHello, TLS 1.3. */
    {FORM_SH13, "legacy_version", get_sh_legacy_version, 0, FMT_VERSION,
     "RFC 8446 4.1.3: 0x0303"},
    {FORM_SH13, "version", get_sh_version, 0, FMT_VERSION,
     "RFC 8446 4.2.1: supported_versions.selected_version"},
    {FORM_SH13, "legacy_session_id_echo", get_sh_session_id_echo, 0, FMT_BYTES,
     "RFC 8446 4.1.3: the client's legacy_session_id"},
    {FORM_SH13, "cipher_suite", get_sh_cipher_suite, 0, FMT_SUITE,
     "RFC 8446 4.1.3"},
    {FORM_SH13, "legacy_compression_method", get_sh_compression, 0, FMT_UINT,
     "RFC 8446 4.1.3: 0"},
    {FORM_SH13, "key_share.group", get_key_share_group, 0, FMT_GROUP,
     "RFC 8446 4.2.8: the group of the share used"},
    {FORM_SH13, "pre_shared_key.selected_identity", get_psk_selected_identity, 0, FMT_UINT,
     "RFC 8446 4.2.11"},

    /* HelloRetryRequest. */
    {FORM_HRR, "legacy_version", get_sh_legacy_version, 0, FMT_VERSION,
     "RFC 8446 4.1.3: 0x0303"},
    {FORM_HRR, "version", get_sh_version, 0, FMT_VERSION,
     "RFC 8446 4.1.4: supported_versions.selected_version"},
    {FORM_HRR, "legacy_session_id_echo", get_sh_session_id_echo, 0, FMT_BYTES,
     "RFC 8446 4.1.3: the client's legacy_session_id"},
    {FORM_HRR, "cipher_suite", get_sh_cipher_suite, 0, FMT_SUITE,
     "RFC 8446 4.1.4"},
    {FORM_HRR, "legacy_compression_method", get_sh_compression, 0, FMT_UINT,
     "RFC 8446 4.1.3: 0"},
    {FORM_HRR, "key_share.selected_group", get_key_share_group, 0, FMT_GROUP,
     "RFC 8446 4.2.8"},
    {FORM_HRR, "cookie", get_ext_present, TD_EXT_COOKIE, FMT_YESNO,
     "RFC 8446 4.2.2 (the value is the server's own)"},

    /* ServerHello, TLS 1.2 and below. */
    {FORM_SH12, "legacy_version", get_sh_legacy_version, 0, FMT_VERSION,
     "RFC 5246 7.4.1.3: server_version"},
    {FORM_SH12, "cipher_suite", get_sh_cipher_suite, 0, FMT_SUITE,
     "RFC 5246 7.4.1.3"},
    {FORM_SH12, "legacy_compression_method", get_sh_compression, 0, FMT_UINT,
     "RFC 5246 7.4.1.3"},
    {FORM_SH12, "downgrade_sentinel", get_sh_downgrade, 0, FMT_DOWNGRADE,
     "RFC 8446 4.1.3"},
    {FORM_SH12, "extended_master_secret", get_ext_present, TD_EXT_EXTENDED_MASTER_SECRET,
     FMT_YESNO, "RFC 7627 5.2"},
    {FORM_SH12, "renegotiation_info.renegotiated_connection.length", get_reneg_len, 0,
     FMT_UINT, "RFC 5746 3.6"},
    {FORM_SH12, "session_ticket", get_ext_present, TD_EXT_SESSION_TICKET, FMT_YESNO,
     "RFC 5077 3.2"},
    {FORM_SH12, "encrypt_then_mac", get_ext_present, TD_EXT_ENCRYPT_THEN_MAC, FMT_YESNO,
     "RFC 7366 3"},
    {FORM_SH12, "server_name", get_ext_present, TD_EXT_SERVER_NAME, FMT_YESNO,
     "RFC 6066 3"},
    {FORM_SH12, "max_fragment_length", get_max_fragment_length, 0, FMT_UINT,
     "RFC 6066 4: the client's value"},
    {FORM_SH12, "alpn.protocol_name", get_alpn_protocol, 0, FMT_TEXT, "RFC 7301 3.1"},

    /* EncryptedExtensions: the answers to what the client offered. */
    {FORM_EE, "server_name", get_ext_present, TD_EXT_SERVER_NAME, FMT_YESNO, "RFC 6066 3"},
    {FORM_EE, "max_fragment_length", get_max_fragment_length, 0, FMT_UINT,
     "RFC 6066 4: the client's value"},
    {FORM_EE, "alpn.protocol_name", get_alpn_protocol, 0, FMT_TEXT, "RFC 7301 3.1"},
    {FORM_EE, "early_data", get_ext_present, TD_EXT_EARLY_DATA, FMT_YESNO,
     "RFC 8446 4.2.10: early data accepted"},

    /* Certificate: both send the profile's chain. */
    {FORM_CERT13, "certificate_request_context", get_cert_context, 0, FMT_BYTES,
     "RFC 8446 4.4.2: empty, or the CertificateRequest's"},
    {FORM_CERT13, "certificate_list.count", get_cert13_count, 0, FMT_UINT,
     "RFC 8446 4.4.2: the configured chain"},
    {FORM_CERT12, "certificate_list.count", get_cert12_count, 0, FMT_UINT,
     "RFC 5246 7.4.2: the configured chain"},

    {FORM_CR13, "certificate_request_context.length", get_cr13_context_len, 0, FMT_UINT,
     "RFC 8446 4.3.2: empty in the handshake"},

    /* ServerKeyExchange (ECDHE). */
    {FORM_SKE, "curve_type", get_ske_curve_type, 0, FMT_UINT, "RFC 8422 5.4: named_curve"},
    {FORM_SKE, "namedcurve", get_ske_namedcurve, 0, FMT_GROUP, "RFC 8422 5.4"},
    {FORM_SKE, "point.length", get_ske_point_len, 0, FMT_UINT,
     "RFC 8422 5.4: fixed by the curve (uncompressed)"},

    {FORM_CKE, "exchange_keys.length", get_cke_len, 0, FMT_UINT,
     "RFC 8422 5.7, RFC 5246 7.4.7.1: fixed by the group or the key"},

    {FORM_FIN, "verify_data.length", get_fin_len, 0, FMT_UINT,
     "RFC 8446 4.4.4 (Hash.length), RFC 5246 7.4.9 (12)"},

    {FORM_KU, "request_update", get_ku_request, 0, FMT_UINT,
     "RFC 8446 4.6.3: update_not_requested in reply"},
};

#define N_FIELDS (sizeof fields / sizeof fields[0])

size_t td_obs_field_count(void)
{
    return N_FIELDS;
}

void td_obs_field_info(size_t i, const char **form, const char **key, const char **clause)
{
    *form = i < N_FIELDS ? form_names[fields[i].form] : NULL;
    *key = i < N_FIELDS ? fields[i].key : NULL;
    *clause = i < N_FIELDS ? fields[i].clause : NULL;
}

/* ------------------------------------------------------------------------
 * Decoding context
 * ------------------------------------------------------------------------ */

static void ctx_negotiated(td_msg_ctx *ctx, uint16_t version, uint16_t suite)
{
    const char *name = td_name_of(TD_NAMES_SUITE, suite);
    size_t hash = !name ? 0 : strstr(name, "SHA384") ? 48 : 32;

    ctx->version = version >= TD_TLS1_3 ? TD_TLS1_3 : version;
    ctx->hash_len = hash;
    /* RFC 8446 4.4.4: Hash.length; RFC 5246 7.4.9: 12 for every suite here */
    ctx->verify_data_len = version >= TD_TLS1_3 ? hash : 12;
    ctx->kx = name && strncmp(name, "TLS_RSA_WITH_", 13) == 0 ? TD_KX_RSA : TD_KX_ECDHE;
}

void td_obs_ctx_init(td_msg_ctx *ctx, const td_state *st)
{
    memset(ctx, 0, sizeof *ctx);
    if (st && st->version)
        ctx_negotiated(ctx, st->version, st->cipher_suite);
    else
        ctx_negotiated(ctx, TD_TLS1_3, st ? st->cipher_suite : 0);
}

void td_obs_ctx_follow(td_msg_ctx *ctx, uint8_t msg_type, td_span body)
{
    td_server_hello sh;

    if (msg_type != TD_HS_SERVER_HELLO || td_server_hello_decode(body, &sh) != TD_OK ||
        sh.is_hello_retry_request)
        return;
    ctx_negotiated(ctx, sh.version, sh.cipher_suite);
}

/* ------------------------------------------------------------------------
 * Comparing and showing values
 * ------------------------------------------------------------------------ */

static obs_form form_of(const td_msg *m)
{
    int v13 = m->version >= TD_TLS1_3;

    switch (m->msg_type) {
    case TD_HS_CLIENT_HELLO: return FORM_CH;
    case TD_HS_SERVER_HELLO:
        switch (m->u.server_hello.ext_ctx) {
        case TD_EXT_CTX_HELLO_RETRY_REQUEST: return FORM_HRR;
        case TD_EXT_CTX_SERVER_HELLO13: return FORM_SH13;
        default: return FORM_SH12;
        }
    case TD_HS_ENCRYPTED_EXTENSIONS: return FORM_EE;
    case TD_HS_CERTIFICATE: return v13 ? FORM_CERT13 : FORM_CERT12;
    case TD_HS_CERTIFICATE_REQUEST: return v13 ? FORM_CR13 : FORM_CR12;
    case TD_HS_SERVER_KEY_EXCHANGE: return FORM_SKE;
    case TD_HS_SERVER_HELLO_DONE: return FORM_SHD;
    case TD_HS_CLIENT_KEY_EXCHANGE: return FORM_CKE;
    case TD_HS_CERTIFICATE_VERIFY: return FORM_CV;
    case TD_HS_FINISHED: return FORM_FIN;
    case TD_HS_NEW_SESSION_TICKET: return v13 ? FORM_NST13 : FORM_NST12;
    case TD_HS_KEY_UPDATE: return FORM_KU;
    case TD_HS_END_OF_EARLY_DATA: return FORM_EOED;
    default: return FORM_NONE;
    }
}

static int span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static int val_eq(obs_fmt fmt, const obs_val *a, const obs_val *b)
{
    if (a->present != b->present)
        return 0;
    if (!a->present)
        return 1;
    switch (fmt) {
    case FMT_BYTES:
    case FMT_TEXT: return span_eq(a->b, b->b);
    case FMT_GROUPS:
        return a->list_n == b->list_n &&
               (a->list_n == 0 || memcmp(a->list, b->list, a->list_n * sizeof a->list[0]) == 0);
    default: return a->n == b->n;
    }
}

static void fmt_named(char *buf, size_t cap, td_names_kind kind, uint16_t code)
{
    const char *name = td_name_of(kind, code);

    if (name)
        snprintf(buf, cap, "%s (0x%04x)", name, code);
    else
        snprintf(buf, cap, "0x%04x", code);
}

/* At most this many bytes of a byte string are shown in hex. */
#define OBS_HEX_SHOWN 16u

static void fmt_val(char *buf, size_t cap, obs_fmt fmt, const obs_val *v)
{
    static const char *const downgrade[] = {"none", "tls12", "tls11"};
    size_t i, at = 0;

    if (cap == 0)
        return;
    buf[0] = '\0';
    if (!v->present) {
        snprintf(buf, cap, "none");
        return;
    }
    switch (fmt) {
    case FMT_VERSION: fmt_named(buf, cap, TD_NAMES_VERSION, (uint16_t)v->n); return;
    case FMT_SUITE: fmt_named(buf, cap, TD_NAMES_SUITE, (uint16_t)v->n); return;
    case FMT_GROUP: fmt_named(buf, cap, TD_NAMES_GROUP, (uint16_t)v->n); return;
    case FMT_UINT: snprintf(buf, cap, "%llu", (unsigned long long)v->n); return;
    case FMT_YESNO: snprintf(buf, cap, "%s", v->n ? "yes" : "no"); return;
    case FMT_DOWNGRADE:
        snprintf(buf, cap, "%s", v->n < 3 ? downgrade[v->n] : "?");
        return;
    case FMT_TEXT:
        at += (size_t)snprintf(buf, cap, "\"");
        for (i = 0; i < v->b.len && at + 2 < cap; i++) {
            uint8_t c = v->b.p[i];
            buf[at++] = c >= 0x20 && c < 0x7f && c != '"' ? (char)c : '?';
        }
        snprintf(buf + at, cap - at, "\"");
        return;
    case FMT_BYTES:
        if (v->b.len == 0) {
            snprintf(buf, cap, "empty");
            return;
        }
        for (i = 0; i < v->b.len && i < OBS_HEX_SHOWN && at + 3 < cap; i++)
            at += (size_t)snprintf(buf + at, cap - at, "%02x", v->b.p[i]);
        if (at < cap)
            snprintf(buf + at, cap - at, "%s (%zu bytes)", v->b.len > OBS_HEX_SHOWN ? "..." : "",
                     v->b.len);
        return;
    case FMT_GROUPS:
        if (v->list_n == 0) {
            snprintf(buf, cap, "empty");
            return;
        }
        for (i = 0; i < v->list_n && at < cap; i++) {
            const char *name = td_name_of(TD_NAMES_GROUP, v->list[i]);
            at += (size_t)(name ? snprintf(buf + at, cap - at, "%s%s", i ? ", " : "", name)
                                : snprintf(buf + at, cap - at, "%s0x%04x", i ? ", " : "",
                                           v->list[i]));
        }
        return;
    }
}

/* Two long byte strings that print the same (they differ past the bytes
 * shown): name the first byte that differs. */
static void show_first_difference(const obs_val *a, const obs_val *b, char *sa, char *sb,
                                  size_t cap)
{
    size_t i, la = strlen(sa), lb = strlen(sb);

    for (i = 0; i < a->b.len && i < b->b.len && a->b.p[i] == b->b.p[i]; i++)
        ;
    if (i < a->b.len && la < cap)
        snprintf(sa + la, cap - la, ", byte %zu 0x%02x", i, a->b.p[i]);
    if (i < b->b.len && lb < cap)
        snprintf(sb + lb, cap - lb, ", byte %zu 0x%02x", i, b->b.p[i]);
}

int td_obs_fields_compare(const char *label, uint8_t msg_type, td_span body_a,
                          const td_msg_ctx *ctx_a, const char *name_a, td_span body_b,
                          const td_msg_ctx *ctx_b, const char *name_b, char *line, size_t cap)
{
    td_msg ma, mb;
    td_err ea = td_msg_decode(msg_type, body_a, ctx_a, &ma);
    td_err eb = td_msg_decode(msg_type, body_b, ctx_b, &mb);
    obs_form fa, fb;
    size_t i;

    if (ea != TD_OK && eb != TD_OK)
        return 0; /* no fields to compare on either side */
    if (ea != TD_OK || eb != TD_OK) {
        snprintf(line, cap, "%s: %s %s%s%s, %s %s%s%s", label, name_a,
                 ea ? "malformed (" : "well-formed", ea ? td_err_name(ea) : "", ea ? ")" : "",
                 name_b, eb ? "malformed (" : "well-formed", eb ? td_err_name(eb) : "",
                 eb ? ")" : "");
        return 1;
    }
    fa = form_of(&ma);
    fb = form_of(&mb);
    if (fa != fb) {
        /* A ServerHello's form is its own version; other messages follow
         * the version each side negotiated. */
        if (msg_type == TD_HS_SERVER_HELLO && fa != FORM_HRR && fb != FORM_HRR) {
            char va[64], vb[64];

            fmt_named(va, sizeof va, TD_NAMES_VERSION, ma.u.server_hello.version);
            fmt_named(vb, sizeof vb, TD_NAMES_VERSION, mb.u.server_hello.version);
            snprintf(line, cap, "%s.version: %s %s, %s %s", label, name_a, va, name_b, vb);
        } else {
            snprintf(line, cap, "%s: %s %s form, %s %s form", label, name_a, form_names[fa],
                     name_b, form_names[fb]);
        }
        return 1;
    }
    for (i = 0; i < N_FIELDS; i++) {
        const obs_field *f = &fields[i];
        obs_val va, vb;
        char sa[160], sb[160];

        if (f->form != fa)
            continue;
        memset(&va, 0, sizeof va);
        memset(&vb, 0, sizeof vb);
        f->get(&ma, f->arg, &va);
        f->get(&mb, f->arg, &vb);
        if (val_eq(f->fmt, &va, &vb))
            continue;
        fmt_val(sa, sizeof sa, f->fmt, &va);
        fmt_val(sb, sizeof sb, f->fmt, &vb);
        if (strcmp(sa, sb) == 0)
            show_first_difference(&va, &vb, sa, sb, sizeof sa);
        snprintf(line, cap, "%s.%s: %s %s, %s %s", label, f->key, name_a, sa, name_b, sb);
        return 1;
    }
    return 0;
}

void td_obs_fields_describe(uint8_t msg_type, td_span body, const td_msg_ctx *ctx, char *buf,
                            size_t cap)
{
    td_msg m;
    td_err e = td_msg_decode(msg_type, body, ctx, &m);
    obs_form form;
    size_t i, at = 0;

    if (cap == 0)
        return;
    buf[0] = '\0';
    if (e != TD_OK) {
        snprintf(buf, cap, "malformed (%s)", td_err_name(e));
        return;
    }
    form = form_of(&m);
    for (i = 0; i < N_FIELDS && at < cap; i++) {
        const obs_field *f = &fields[i];
        obs_val v;
        char s[160];

        if (f->form != form)
            continue;
        memset(&v, 0, sizeof v);
        f->get(&m, f->arg, &v);
        fmt_val(s, sizeof s, f->fmt, &v);
        at += (size_t)snprintf(buf + at, cap - at, "%s%s %s", at ? ", " : "", f->key, s);
    }
}
