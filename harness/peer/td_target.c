/*
 * The message-level targets (td_target.h): the table and one run.
 *
 * HandshakeType values (RFC 8446 4, RFC 5246 7.4): client_hello 1,
 * server_hello 2 (a HelloRetryRequest too), new_session_ticket 4,
 * encrypted_extensions 8, certificate 11, server_key_exchange 12,
 * certificate_request 13, server_hello_done 14, certificate_verify 15,
 * client_key_exchange 16, finished 20; after the handshake hello_request
 * 0, key_update 24.
 */
#include "td_target.h"

#include <stdio.h>
#include <string.h>

#define T13 "tls13-x25519-ecdsa-p256", "tls13-p256-rsa-pss"
#define T12 "tls12-ecdhe-rsa-chacha20", "tls12-rsa-aes128-gcm", "tls12-ecdhe-ecdsa-aes128-gcm"

#define CLI TD_ROLE_CLIENT /* the subject's role */
#define SRV TD_ROLE_SERVER
#define A13 "tls13-x25519-ecdsa-p256"
#define C13 "tls13-client-auth"
#define A12 "tls12-ecdhe-ecdsa-aes128-gcm"
#define C12 "tls12-client-auth"

/* The flight and record targets' variants: every message the peer sends
 * in eight handshakes (TLS 1.3 and 1.2, the subject as client and as
 * server, client authentication off and on), the HelloRetryRequest
 * exchange (the HRR, the second ServerHello, the second ClientHello) and
 * a TLS 1.3 ticket. X(profile, subject role, msg_type, occurrence); one
 * list makes both the profiles and the variants (td_target.h). */
#define FLIGHT_VARIANTS(X)                                                                    \
    X(A13, CLI, 2, 0) X(A13, CLI, 8, 0) X(A13, CLI, 11, 0) X(A13, CLI, 15, 0)                 \
    X(A13, CLI, 20, 0) X(A13, SRV, 1, 0) X(A13, SRV, 20, 0)                                  \
    X(C13, CLI, 2, 0) X(C13, CLI, 8, 0) X(C13, CLI, 13, 0) X(C13, CLI, 11, 0)                 \
    X(C13, CLI, 15, 0) X(C13, CLI, 20, 0)                                                    \
    X(C13, SRV, 1, 0) X(C13, SRV, 11, 0) X(C13, SRV, 15, 0) X(C13, SRV, 20, 0)                \
    X(A12, CLI, 2, 0) X(A12, CLI, 11, 0) X(A12, CLI, 12, 0) X(A12, CLI, 14, 0)                \
    X(A12, CLI, 20, 0) X(A12, SRV, 1, 0) X(A12, SRV, 16, 0) X(A12, SRV, 20, 0)                \
    X(C12, CLI, 2, 0) X(C12, CLI, 11, 0) X(C12, CLI, 12, 0) X(C12, CLI, 13, 0)                \
    X(C12, CLI, 14, 0) X(C12, CLI, 20, 0)                                                    \
    X(C12, SRV, 1, 0) X(C12, SRV, 11, 0) X(C12, SRV, 16, 0) X(C12, SRV, 15, 0)                \
    X(C12, SRV, 20, 0)                                                                       \
    X("tls13-hrr", CLI, 2, 0) X("tls13-hrr", CLI, 2, 1) X("tls13-hrr", SRV, 1, 1)            \
    X("tls13-resume-ticket", CLI, 4, 0)

/* The post_handshake target's variants, X(profile, subject role,
 * msg_type, request_update): KeyUpdate both ways, requested or not (RFC
 * 8446 4.6.3); a second NewSessionTicket (4.6.1); a post-handshake
 * CertificateRequest to a client that did not offer post_handshake_auth
 * (4.6.2: unexpected_message; no profile offers it yet); TLS 1.2
 * renegotiation attempts, a HelloRequest to the client (RFC 5246
 * 7.4.1.1) and a ClientHello to the server (7.4.1.2, RFC 5746 3.5), and
 * a ClientHello after a TLS 1.3 handshake (RFC 8446 4.1.2). */
#define POST_VARIANTS(X)                                                                      \
    X(A13, CLI, 24, 1) X(A13, SRV, 24, 1) X(A13, CLI, 24, 0) X(A13, SRV, 24, 0)               \
    X("tls13-resume-ticket", CLI, 4, 0) X(C13, CLI, 13, 0)                                    \
    X("tls12-ecdhe-rsa-chacha20", CLI, 0, 0) X("tls12-ecdhe-rsa-chacha20", SRV, 1, 0)         \
    X(C12, CLI, 0, 0) X(C12, SRV, 1, 0) X(A13, SRV, 1, 0)

#define PROFILE_OF(p, role, msg, n) p,
#define FLIGHT_OF(p, role, msg, n) {p, role, msg, n, 0, 0},
#define POST_OF(p, role, msg, request) {p, role, msg, 0, 1, request},

static const td_target_variant flight_variants[] = {FLIGHT_VARIANTS(FLIGHT_OF)};
static const td_target_variant post_variants[] = {POST_VARIANTS(POST_OF)};

_Static_assert(sizeof flight_variants / sizeof flight_variants[0] <= TD_TARGET_MAX_VARIANTS,
               "flight variants");
_Static_assert(sizeof post_variants / sizeof post_variants[0] <= TD_TARGET_MAX_VARIANTS,
               "post_handshake variants");

static const td_target targets[] = {
    /* the subject is the server */
    {"client_hello", TD_ROLE_SERVER, 1, {T13, "tls13-hrr", T12},
     "ClientHello to a server (RFC 8446 4.1.2, RFC 5246 7.4.1.2)", NULL, TD_TARGET_MESSAGE},
    {"client_certificate", TD_ROLE_SERVER, 11, {"tls13-client-auth", "tls12-client-auth"},
     "the client's Certificate (RFC 8446 4.4.2, RFC 5246 7.4.6)", NULL, TD_TARGET_MESSAGE},
    {"client_key_exchange", TD_ROLE_SERVER, 16, {T12},
     "ClientKeyExchange, ECDHE and RSA (RFC 8422 5.7, RFC 5246 7.4.7)", NULL, TD_TARGET_MESSAGE},
    {"client_certificate_verify", TD_ROLE_SERVER, 15, {"tls13-client-auth", "tls12-client-auth"},
     "the client's CertificateVerify (RFC 8446 4.4.3, RFC 5246 7.4.8)", NULL, TD_TARGET_MESSAGE},
    {"client_finished", TD_ROLE_SERVER, 20, {T13, T12},
     "the client's Finished (RFC 8446 4.4.4, RFC 5246 7.4.9)", NULL, TD_TARGET_MESSAGE},
    /* the subject is the client */
    {"server_hello", TD_ROLE_CLIENT, 2, {T13, "tls13-hrr", T12},
     "ServerHello and HelloRetryRequest to a client (RFC 8446 4.1.3, 4.1.4, RFC 5246 7.4.1.3)", NULL, TD_TARGET_MESSAGE},
    {"encrypted_extensions", TD_ROLE_CLIENT, 8, {T13, "tls13-hrr"},
     "EncryptedExtensions (RFC 8446 4.3.1)", NULL, TD_TARGET_MESSAGE},
    {"server_certificate", TD_ROLE_CLIENT, 11, {T13, T12},
     "the server's Certificate (RFC 8446 4.4.2, RFC 5246 7.4.2)", NULL, TD_TARGET_MESSAGE},
    {"server_key_exchange", TD_ROLE_CLIENT, 12,
     {"tls12-ecdhe-rsa-chacha20", "tls12-ecdhe-ecdsa-aes128-gcm"},
     "ServerKeyExchange (RFC 8422 5.4, RFC 5246 7.4.3)", NULL, TD_TARGET_MESSAGE},
    {"certificate_request", TD_ROLE_CLIENT, 13, {"tls13-client-auth", "tls12-client-auth"},
     "CertificateRequest (RFC 8446 4.3.2, RFC 5246 7.4.4)", NULL, TD_TARGET_MESSAGE},
    {"server_hello_done", TD_ROLE_CLIENT, 14, {T12}, "ServerHelloDone (RFC 5246 7.4.5)", NULL, TD_TARGET_MESSAGE},
    {"server_certificate_verify", TD_ROLE_CLIENT, 15, {T13},
     "the server's CertificateVerify (RFC 8446 4.4.3)", NULL, TD_TARGET_MESSAGE},
    {"new_session_ticket", TD_ROLE_CLIENT, 4, {"tls13-resume-ticket", "tls12-resume-ticket"},
     "NewSessionTicket (RFC 8446 4.6.1, RFC 5077 3.3)", NULL, TD_TARGET_MESSAGE},
    {"server_finished", TD_ROLE_CLIENT, 20, {T13, T12},
     "the server's Finished (RFC 8446 4.4.4, RFC 5246 7.4.9)", NULL, TD_TARGET_MESSAGE},
    /* beyond single messages: the message is picked per variant */
    {"flight", CLI, 2, {FLIGHT_VARIANTS(PROFILE_OF)},
     "skip, repeat, inject, reorder, merge any message of the peer's flights (RFC 8446 4, "
     "RFC 5246 7.4)",
     flight_variants, TD_TARGET_FLIGHT},
    {"record", CLI, 2, {FLIGHT_VARIANTS(PROFILE_OF)},
     "fragmentation, content types, lengths, CCS and alerts between records (RFC 8446 5, "
     "RFC 5246 6.2)",
     flight_variants, TD_TARGET_RECORD},
    {"post_handshake", CLI, 24, {POST_VARIANTS(PROFILE_OF)},
     "KeyUpdate, NewSessionTicket, CertificateRequest after the handshake, renegotiation "
     "(RFC 8446 4.6, RFC 5246 7.4.1.1, RFC 5746)",
     post_variants, TD_TARGET_POST},
};

size_t td_target_count(void) { return sizeof targets / sizeof targets[0]; }

const td_target *td_target_at(size_t i)
{
    return i < td_target_count() ? &targets[i] : NULL;
}

const td_target *td_target_find(const char *name)
{
    size_t i;

    for (i = 0; i < td_target_count(); i++)
        if (strcmp(targets[i].name, name) == 0)
            return &targets[i];
    return NULL;
}

size_t td_target_variants(const td_target *t)
{
    size_t n = 0;

    while (n < TD_TARGET_MAX_VARIANTS && t->profiles[n])
        n++;
    return n;
}

void td_target_variant_of(const td_target *t, size_t v, td_target_variant *out)
{
    if (t->variants) {
        *out = t->variants[v];
        return;
    }
    memset(out, 0, sizeof *out);
    out->profile = t->profiles[v];
    out->subject_role = t->subject_role;
    out->msg_type = t->msg_type;
}

/* "certificate_verify: ", "server_hello#2: " before a picking target's
 * edit text ("" for the others). */
static void edit_prefix(const td_target *t, const td_target_variant *tv, char *buf, size_t cap)
{
    const char *name = td_hs_name(tv->msg_type);
    char num[8];

    buf[0] = '\0';
    if (!t->variants)
        return;
    if (!name) {
        snprintf(num, sizeof num, "%u", (unsigned)tv->msg_type);
        name = num;
    }
    if (tv->occurrence)
        snprintf(buf, cap, "%s#%u: ", name, tv->occurrence + 1);
    else
        snprintf(buf, cap, "%s: ", name);
}

size_t td_target_seed(size_t variant, uint8_t *out, size_t cap)
{
    if (cap < 2)
        return 0;
    out[0] = (uint8_t)variant;
    out[1] = 0; /* an empty edit script: the canonical message */
    return 2;
}

/* Profiles are read once per process: the files do not change under a
 * run, and parsing them per input would dominate. */
static const td_profile *profile_of(const char *name, char *why, size_t cap)
{
    static struct {
        char name[TD_PROFILE_MAX_NAME];
        td_profile p;
    } cache[32];
    static size_t n;
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(cache[i].name, name) == 0)
            return &cache[i].p;
    if (n == sizeof cache / sizeof cache[0] ||
        td_profile_load(&cache[n].p, name, why, cap) != TD_OK)
        return NULL;
    snprintf(cache[n].name, sizeof cache[n].name, "%s", name);
    return &cache[n++].p;
}

/* One subject's run, bracketed by the taps. */
static td_err run_subject(const td_peer_case *pc, td_impl impl, const td_target_taps *taps,
                          td_observation *obs, char *why, size_t cap)
{
    td_err e;

    if (taps && taps->on_begin)
        taps->on_begin(taps->ctx, impl);
    e = td_peer_run(pc, impl, obs, why, cap);
    if (taps && taps->on_end)
        taps->on_end(taps->ctx, impl);
    return e;
}

td_err td_target_run(const td_target *t, td_span input, td_divergences *div,
                     td_target_result *res, char *why, size_t cap)
{
    return td_target_run_tapped(t, input, div, NULL, res, why, cap);
}

td_err td_target_run_tapped(const td_target *t, td_span input, td_divergences *div,
                            const td_target_taps *taps, td_target_result *res, char *why,
                            size_t cap)
{
    static td_edit_script script;
    size_t nv = td_target_variants(t), v = input.len > 0 ? input.p[0] % nv : 0, at;
    int raw = input.len > 1 && (input.p[1] & 1);
    td_span payload = input.len > 2 ? (td_span){input.p + 2, input.len - 2} : (td_span){NULL, 0};
    td_target_variant tv;
    td_peer_case pc;

    memset(&pc, 0, sizeof pc);
    td_target_variant_of(t, v, &tv);
    res->profile = tv.profile;
    pc.profile = profile_of(tv.profile, why, cap);
    if (!pc.profile)
        return TD_ERR_SYNTAX;
    pc.subject_role = tv.subject_role;
    pc.msg_type = tv.msg_type;
    pc.occurrence = tv.occurrence;
    pc.post_handshake = tv.post_handshake;
    pc.request_update = tv.request_update;
    pc.seed = 1;
    pc.lenient = 1;
    if (taps) {
        pc.on_wire = taps->on_wire;
        pc.wire_ctx = taps->ctx;
        pc.keylog = taps->keylog;
        pc.keylog_ctx = taps->ctx;
    }
    edit_prefix(t, &tv, res->edit, sizeof res->edit);
    at = strlen(res->edit);
    if (raw && payload.len > 0) {
        pc.raw = payload;
        snprintf(res->edit + at, sizeof res->edit - at, "raw %zu bytes", payload.len);
    } else if (raw) {
        snprintf(res->edit + at, sizeof res->edit - at, "canonical");
    } else {
        if (td_edit_decode(payload, &script) != TD_OK)
            script.n = 0; /* bytes that are no script: the canonical message */
        pc.edit = &script;
        if (script.n == 0)
            snprintf(res->edit + at, sizeof res->edit - at, "canonical");
        else
            (void)td_edit_print(&script, res->edit + at, sizeof res->edit - at);
    }
    TRY(run_subject(&pc, TD_IMPL_REF, taps, &res->ref, why, cap));
    TRY(run_subject(&pc, TD_IMPL_WOLFSSL, taps, &res->wolf, why, cap));
    res->judgement = td_judge(div, t->name, res->edit, res->profile, &res->ref, &res->wolf,
                              res->line, sizeof res->line, &res->hit);
    return TD_OK;
}
