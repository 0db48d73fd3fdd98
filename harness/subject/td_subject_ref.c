/*
 * The reference subject: the reference engine (td_conn.h) behind the
 * subject interface, so a test swaps it with the wolfSSL subject by
 * changing one td_impl.
 */
#include "td_conn.h"
#include "td_ref_config.h"
#include "td_subject_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rsub {
    td_subject base;
    td_conn_config cfg;
    td_conn conn;
    td_session_cache client_sessions; /* client: what it may resume */
    td_session13_cache client_tickets; /* client: TLS 1.3 tickets */
    int started;
    int eof;
} rsub;

static void observe(rsub *r)
{
    const td_conn *c = &r->conn;
    td_state *st = &r->base.st;

    st->handshake_done = c->state == TD_ST_CONNECTED ||
                         (c->state == TD_ST_CLOSED && c->params.version != 0 &&
                          st->handshake_done);
    if (c->state == TD_ST_CONNECTED)
        st->handshake_done = true;
    st->verdict = TD_VERDICT_CONTINUE;
    if (c->state == TD_ST_FAILED)
        st->verdict = (c->sent_alert || c->received_alert) ? TD_VERDICT_ALERT
                                                           : TD_VERDICT_CLOSED;
    else if (c->state == TD_ST_CLOSED || (r->eof && c->state != TD_ST_CONNECTED))
        st->verdict = TD_VERDICT_CLOSED;
    st->sent.present = c->sent_alert != 0;
    st->sent.level = c->sent_alert_level;
    st->sent.description = c->sent_alert ? (uint8_t)(c->sent_alert - 1) : 0;
    st->received.present = c->received_alert != 0;
    st->received.level = c->received_alert_level;
    st->received.description =
        c->received_alert ? (uint8_t)(c->received_alert - 1) : 0;
    if (st->handshake_done) {
        st->version = c->params.version;
        st->cipher_suite = c->params.cipher_suite;
        st->group = c->params.group;
        st->sig_scheme = c->params.sig_scheme;
        st->resumed = c->params.resumed;
        st->peer_verified = c->params.peer_verified;
    }
    st->lib_error = c->failure.err;
    if (c->failure.err)
        snprintf(st->lib_error_name, sizeof st->lib_error_name, "%s (%s)",
                 td_err_name(c->failure.err), c->failure.why);
}

/* Move the engine's output and application data into the subject's buffers. */
static td_err collect(rsub *r)
{
    uint8_t buf[4096];
    size_t n;

    while (td_conn_pending(&r->conn)) {
        td_conn_drain(&r->conn, buf, sizeof buf, &n);
        TRY(td_buf_append(&r->base.out, buf, n));
    }
    for (;;) {
        td_conn_read_app(&r->conn, buf, sizeof buf, &n);
        if (!n)
            break;
        TRY(td_buf_append(&r->base.app_in, buf, n));
    }
    return TD_OK;
}

static td_err r_feed(td_subject *s, const uint8_t *data, size_t len)
{
    rsub *r = (rsub *)s;
    td_binding b = td_world_bind(s->world, td_subject_party(s));
    td_span in = {len ? data : NULL, len};
    td_err e = TD_OK;

    /* A failure of start or feed is in the connection's state (observe). */
    if (!r->started) {
        r->started = 1;
        if (td_conn_start(&r->conn) != TD_OK)
            len = 0;
    }
    if (len && td_conn_feed(&r->conn, in) != TD_OK)
        r->base.st.lib_error = r->conn.failure.err;
    e = collect(r);
    observe(r);
    td_world_restore(b);
    return e;
}

static td_err r_feed_eof(td_subject *s)
{
    rsub *r = (rsub *)s;

    r->eof = 1;
    observe(r);
    return TD_OK;
}

static td_err r_write_app(td_subject *s, const uint8_t *data, size_t len)
{
    rsub *r = (rsub *)s;
    td_binding b = td_world_bind(s->world, td_subject_party(s));
    td_span in = {len ? data : NULL, len};
    td_err e = td_conn_write_app(&r->conn, in);

    if (e == TD_OK)
        e = collect(r);
    observe(r);
    td_world_restore(b);
    return e;
}

/* The session blob is the client's newest session of the version the
 * connection negotiated, as bytes: a td_session12 or a td_session13 (a
 * TLS 1.3 ticket with its PSK), told apart by their sizes. The structs
 * are flat, and only the same build reads them back. */
typedef char session_sizes_differ[sizeof(td_session12) != sizeof(td_session13)
                                      ? 1
                                      : -1];

static const td_session13 *newest_ticket(const td_session13_cache *cache)
{
    size_t i, k;

    for (i = 0; i < TD_SESSION13_CACHE_MAX; i++) {
        k = (cache->next + TD_SESSION13_CACHE_MAX - 1 - i) %
            TD_SESSION13_CACHE_MAX;
        if (cache->entry[k].valid)
            return &cache->entry[k];
    }
    return NULL;
}

static const td_session12 *newest_session(const td_session_cache *cache)
{
    size_t i, k;

    for (i = 0; i < TD_SESSION_CACHE_MAX; i++) {
        k = (cache->next + TD_SESSION_CACHE_MAX - 1 - i) % TD_SESSION_CACHE_MAX;
        if (cache->entry[k].valid)
            return &cache->entry[k];
    }
    return NULL;
}

static td_err r_export_session(td_subject *s, uint8_t *out, size_t cap,
                               size_t *len)
{
    rsub *r = (rsub *)s;
    const td_session12 *sess = newest_session(&r->client_sessions);
    const td_session13 *t = newest_ticket(&r->client_tickets);

    *len = 0;
    if (s->role == TD_ROLE_CLIENT && r->conn.params.version == 0x0304) {
        if (!t) {
            td_subject_set_error("the reference client holds no TLS 1.3 ticket");
            return TD_ERR_NOT_FOUND;
        }
        ENSURE(cap >= sizeof *t, TD_ERR_NOSPACE);
        memcpy(out, t, sizeof *t);
        *len = sizeof *t;
        return TD_OK;
    }
    if (s->role != TD_ROLE_CLIENT || !sess) {
        td_subject_set_error("the reference client holds no TLS 1.2 session");
        return TD_ERR_NOT_FOUND;
    }
    ENSURE(cap >= sizeof *sess, TD_ERR_NOSPACE);
    memcpy(out, sess, sizeof *sess);
    *len = sizeof *sess;
    return TD_OK;
}

static td_err r_set_session(td_subject *s, const uint8_t *blob, size_t len)
{
    rsub *r = (rsub *)s;

    ENSURE(s->role == TD_ROLE_CLIENT &&
               (len == sizeof(td_session12) || len == sizeof(td_session13)),
           TD_ERR_INTERNAL);
    if (len == sizeof(td_session13)) {
        memset(&r->client_tickets, 0, sizeof r->client_tickets);
        memcpy(&r->client_tickets.entry[0], blob, len);
        r->client_tickets.next = 1;
        return TD_OK;
    }
    memset(&r->client_sessions, 0, sizeof r->client_sessions);
    memcpy(&r->client_sessions.entry[0], blob, len);
    r->client_sessions.next = 1;
    return TD_OK;
}

static void r_free(td_subject *s)
{
    rsub *r = (rsub *)s;

    /* The engine drew from a copy of the world's stream: hand back where
     * it stopped, so that a later connection in the same world (a
     * resumption) draws new randoms and session IDs (RFC 5246 7.4.1.3:
     * a new session gets "a different value"), as wolfSSL's do. */
    s->world->rng[s->role == TD_ROLE_CLIENT ? TD_PARTY_CLIENT : TD_PARTY_SERVER] = r->conn.rng;
    td_conn_wipe(&r->conn);
    td_secure_zero(&r->client_tickets, sizeof r->client_tickets);
    td_secure_zero(&r->cfg.key, sizeof r->cfg.key);
    free(r);
}

/* A snapshot: the rsub as it is, the subject's buffered output and
 * application data, and for a server the world's session caches it
 * shares (td_world.ref_sessions, ref_sessions13). */
static size_t r_snapshot_size(const td_subject *s)
{
    const rsub *r = (const rsub *)s;
    size_t n = sizeof *r + 2 * sizeof(size_t) + r->base.out.len + r->base.app_in.len;

    if (s->role == TD_ROLE_SERVER)
        n += sizeof(td_session_cache) + sizeof(td_session13_cache);
    return n;
}

static uint8_t *put(uint8_t *p, const void *src, size_t n)
{
    if (n)
        memcpy(p, src, n);
    return p + n;
}

static void r_snapshot_save(const td_subject *s, uint8_t *buf)
{
    const rsub *r = (const rsub *)s;

    buf = put(buf, r, sizeof *r);
    buf = put(buf, &r->base.out.len, sizeof(size_t));
    buf = put(buf, r->base.out.p, r->base.out.len);
    buf = put(buf, &r->base.app_in.len, sizeof(size_t));
    buf = put(buf, r->base.app_in.p, r->base.app_in.len);
    if (s->role == TD_ROLE_SERVER) {
        buf = put(buf, s->world->ref_sessions, sizeof(td_session_cache));
        (void)put(buf, s->world->ref_sessions13, sizeof(td_session13_cache));
    }
}

static td_err r_snapshot_restore(td_subject *s, const uint8_t *buf, size_t len)
{
    rsub *r = (rsub *)s;
    const rsub *saved = (const rsub *)(const void *)buf;
    const uint8_t *p = buf + sizeof *r, *end = buf + len;
    td_subject base = r->base; /* ops, world and the buffers stay this one's */
    size_t n;

    ENSURE(len >= sizeof *r + 2 * sizeof(size_t), TD_ERR_INTERNAL);
    ENSURE(saved->base.role == s->role && saved->base.impl == TD_IMPL_REF, TD_ERR_INTERNAL);
    memcpy(r, buf, sizeof *r);
    r->base.ops = base.ops;
    r->base.world = base.world;
    r->base.out = base.out;
    r->base.app_in = base.app_in;
    r->base.out.len = 0;
    r->base.app_in.len = 0;
    r->conn.cfg = &r->cfg;
    if (s->role == TD_ROLE_CLIENT) {
        r->cfg.session_cache = &r->client_sessions;
        r->cfg.session13_cache = &r->client_tickets;
    } else {
        r->cfg.session_cache = s->world->ref_sessions;
        r->cfg.session13_cache = s->world->ref_sessions13;
    }
    memcpy(&n, p, sizeof n);
    p += sizeof n;
    ENSURE(n <= (size_t)(end - p), TD_ERR_INTERNAL);
    TRY(td_buf_append(&r->base.out, p, n));
    p += n;
    ENSURE(sizeof n <= (size_t)(end - p), TD_ERR_INTERNAL);
    memcpy(&n, p, sizeof n);
    p += sizeof n;
    ENSURE(n <= (size_t)(end - p), TD_ERR_INTERNAL);
    TRY(td_buf_append(&r->base.app_in, p, n));
    p += n;
    if (s->role == TD_ROLE_SERVER) {
        ENSURE(r->cfg.session_cache && r->cfg.session13_cache &&
                   (size_t)(end - p) ==
                       sizeof(td_session_cache) + sizeof(td_session13_cache),
               TD_ERR_INTERNAL);
        memcpy(r->cfg.session_cache, p, sizeof(td_session_cache));
        memcpy(r->cfg.session13_cache, p + sizeof(td_session_cache),
               sizeof(td_session13_cache));
    }
    return TD_OK;
}

static const td_subject_ops ref_ops = {
    r_feed,          r_feed_eof,      r_write_app,        r_export_session, r_set_session,
    r_free,          r_snapshot_size, r_snapshot_save,    r_snapshot_restore,
};

td_err td_subject_ref_new(td_role role, const td_profile *profile,
                          td_world *world, td_subject **out)
{
    rsub *r = calloc(1, sizeof *r);
    char why[256] = "";
    td_err e;

    if (!r)
        return TD_ERR_NOSPACE;
    r->base.ops = &ref_ops;
    r->base.impl = TD_IMPL_REF;
    r->base.role = role;
    r->base.world = world;
    r->base.profile = *profile;
    e = td_ref_config_from_profile(profile, role, (uint64_t)world->clock,
                                   &r->cfg, why, sizeof why);
    /* Session caches: the client's own (exported and set through the
     * subject interface); the servers' one per world. */
    if (role == TD_ROLE_CLIENT) {
        r->cfg.session_cache = &r->client_sessions;
        r->cfg.session13_cache = &r->client_tickets;
    } else {
        if (!world->ref_sessions)
            world->ref_sessions = calloc(1, sizeof(td_session_cache));
        if (!world->ref_sessions13)
            world->ref_sessions13 = calloc(1, sizeof(td_session13_cache));
        r->cfg.session_cache = world->ref_sessions;
        r->cfg.session13_cache = world->ref_sessions13;
    }
    if (e == TD_OK)
        e = td_conn_init(&r->conn, &r->cfg,
                         &world->rng[role == TD_ROLE_CLIENT ? TD_PARTY_CLIENT
                                                            : TD_PARTY_SERVER]);
    if (e != TD_OK) {
        td_subject_set_error("reference %s: %s", role == TD_ROLE_CLIENT ? "client" : "server",
                             why[0] ? why : td_err_name(e));
        free(r);
        return e;
    }
    observe(r);
    *out = &r->base;
    return TD_OK;
}
