/*
 * The message-level targets (td_target.h): the table and one run.
 *
 * HandshakeType values (RFC 8446 4, RFC 5246 7.4): client_hello 1,
 * server_hello 2 (a HelloRetryRequest too), new_session_ticket 4,
 * encrypted_extensions 8, certificate 11, server_key_exchange 12,
 * certificate_request 13, server_hello_done 14, certificate_verify 15,
 * client_key_exchange 16, finished 20.
 */
#include "td_target.h"

#include <stdio.h>
#include <string.h>

#define T13 "tls13-x25519-ecdsa-p256", "tls13-p256-rsa-pss"
#define T12 "tls12-ecdhe-rsa-chacha20", "tls12-rsa-aes128-gcm", "tls12-ecdhe-ecdsa-aes128-gcm"

static const td_target targets[] = {
    /* the subject is the server */
    {"client_hello", TD_ROLE_SERVER, 1, {T13, "tls13-hrr", T12},
     "ClientHello to a server (RFC 8446 4.1.2, RFC 5246 7.4.1.2)"},
    {"client_certificate", TD_ROLE_SERVER, 11, {"tls13-client-auth", "tls12-client-auth"},
     "the client's Certificate (RFC 8446 4.4.2, RFC 5246 7.4.6)"},
    {"client_key_exchange", TD_ROLE_SERVER, 16, {T12},
     "ClientKeyExchange, ECDHE and RSA (RFC 8422 5.7, RFC 5246 7.4.7)"},
    {"client_certificate_verify", TD_ROLE_SERVER, 15, {"tls13-client-auth", "tls12-client-auth"},
     "the client's CertificateVerify (RFC 8446 4.4.3, RFC 5246 7.4.8)"},
    {"client_finished", TD_ROLE_SERVER, 20, {T13, T12},
     "the client's Finished (RFC 8446 4.4.4, RFC 5246 7.4.9)"},
    /* the subject is the client */
    {"server_hello", TD_ROLE_CLIENT, 2, {T13, "tls13-hrr", T12},
     "ServerHello and HelloRetryRequest to a client (RFC 8446 4.1.3, 4.1.4, RFC 5246 7.4.1.3)"},
    {"encrypted_extensions", TD_ROLE_CLIENT, 8, {T13, "tls13-hrr"},
     "EncryptedExtensions (RFC 8446 4.3.1)"},
    {"server_certificate", TD_ROLE_CLIENT, 11, {T13, T12},
     "the server's Certificate (RFC 8446 4.4.2, RFC 5246 7.4.2)"},
    {"server_key_exchange", TD_ROLE_CLIENT, 12,
     {"tls12-ecdhe-rsa-chacha20", "tls12-ecdhe-ecdsa-aes128-gcm"},
     "ServerKeyExchange (RFC 8422 5.4, RFC 5246 7.4.3)"},
    {"certificate_request", TD_ROLE_CLIENT, 13, {"tls13-client-auth", "tls12-client-auth"},
     "CertificateRequest (RFC 8446 4.3.2, RFC 5246 7.4.4)"},
    {"server_hello_done", TD_ROLE_CLIENT, 14, {T12}, "ServerHelloDone (RFC 5246 7.4.5)"},
    {"server_certificate_verify", TD_ROLE_CLIENT, 15, {T13},
     "the server's CertificateVerify (RFC 8446 4.4.3)"},
    {"new_session_ticket", TD_ROLE_CLIENT, 4, {"tls13-resume-ticket", "tls12-resume-ticket"},
     "NewSessionTicket (RFC 8446 4.6.1, RFC 5077 3.3)"},
    {"server_finished", TD_ROLE_CLIENT, 20, {T13, T12},
     "the server's Finished (RFC 8446 4.4.4, RFC 5246 7.4.9)"},
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
    size_t nv = td_target_variants(t), v = input.len > 0 ? input.p[0] % nv : 0;
    int raw = input.len > 1 && (input.p[1] & 1);
    td_span payload = input.len > 2 ? (td_span){input.p + 2, input.len - 2} : (td_span){NULL, 0};
    td_peer_case pc;

    memset(&pc, 0, sizeof pc);
    res->profile = t->profiles[v];
    pc.profile = profile_of(t->profiles[v], why, cap);
    if (!pc.profile)
        return TD_ERR_SYNTAX;
    pc.subject_role = t->subject_role;
    pc.msg_type = t->msg_type;
    pc.seed = 1;
    pc.lenient = 1;
    if (taps) {
        pc.on_wire = taps->on_wire;
        pc.wire_ctx = taps->ctx;
        pc.keylog = taps->keylog;
        pc.keylog_ctx = taps->ctx;
    }
    if (raw && payload.len > 0) {
        pc.raw = payload;
        snprintf(res->edit, sizeof res->edit, "raw %zu bytes", payload.len);
    } else if (raw) {
        snprintf(res->edit, sizeof res->edit, "canonical");
    } else {
        if (td_edit_decode(payload, &script) != TD_OK)
            script.n = 0; /* bytes that are no script: the canonical message */
        pc.edit = &script;
        if (script.n == 0)
            snprintf(res->edit, sizeof res->edit, "canonical");
        else
            (void)td_edit_print(&script, res->edit, sizeof res->edit);
    }
    TRY(run_subject(&pc, TD_IMPL_REF, taps, &res->ref, why, cap));
    TRY(run_subject(&pc, TD_IMPL_WOLFSSL, taps, &res->wolf, why, cap));
    res->judgement = td_judge(div, t->name, res->edit, res->profile, &res->ref, &res->wolf,
                              res->line, sizeof res->line, &res->hit);
    return TD_OK;
}
