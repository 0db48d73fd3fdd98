#include "td_pump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_buf.h"
#include "td_names.h"

#define PUMP_MAX_ROUNDS 64 /* a TLS handshake needs fewer than ten */
#define SESSION_BLOB_MAX 8192

void td_transcript_free(td_transcript *t)
{
    free(t->bytes);
    free(t->chunks);
    memset(t, 0, sizeof *t);
}

static td_err transcript_add(td_transcript *t, td_role from, const uint8_t *data, size_t len)
{
    td_buf bytes = {t->bytes, t->len, t->cap};
    size_t off = t->len;

    if (t->n_chunks == t->chunk_cap) {
        size_t cap = t->chunk_cap ? t->chunk_cap * 2 : 32;
        td_chunk *c = realloc(t->chunks, cap * sizeof *c);
        if (!c)
            return TD_ERR_NOSPACE;
        t->chunks = c;
        t->chunk_cap = cap;
    }
    TRY(td_buf_append(&bytes, data, len));
    t->bytes = bytes.p;
    t->len = bytes.len;
    t->cap = bytes.cap;
    t->chunks[t->n_chunks].from = from;
    t->chunks[t->n_chunks].off = off;
    t->chunks[t->n_chunks].len = len;
    t->n_chunks++;
    return TD_OK;
}

bool td_transcript_equal(const td_transcript *a, const td_transcript *b)
{
    size_t i;

    if (a->len != b->len || a->n_chunks != b->n_chunks)
        return false;
    for (i = 0; i < a->n_chunks; i++)
        if (a->chunks[i].from != b->chunks[i].from || a->chunks[i].len != b->chunks[i].len)
            return false;
    return a->len == 0 || memcmp(a->bytes, b->bytes, a->len) == 0;
}

const uint8_t *td_transcript_find_handshake(const td_transcript *t, td_role from,
                                            uint8_t msg_type, size_t *len)
{
    size_t i;

    for (i = 0; i < t->n_chunks; i++) {
        const td_chunk *c = &t->chunks[i];
        const uint8_t *p = t->bytes + c->off;
        /* record header (5) + handshake header (4) */
        if (c->from == from && c->len >= 9 && p[0] == 22 && p[5] == msg_type) {
            *len = c->len;
            return p;
        }
    }
    return NULL;
}

/* Move everything `from` has pending to `to`. *moved says whether any byte
 * crossed. */
static td_err hand_over(td_subject *from, td_role from_role, td_subject *to, td_transcript *t,
                        bool *moved)
{
    uint8_t buf[16384];
    size_t n;

    while (td_subject_pending(from) > 0) {
        td_subject_drain(from, buf, sizeof buf, &n);
        if (t)
            TRY(transcript_add(t, from_role, buf, n));
        TRY(td_subject_feed(to, buf, n));
        *moved = true;
    }
    return TD_OK;
}

static bool finished(const td_state *st)
{
    return st->verdict != TD_VERDICT_CONTINUE || st->handshake_done;
}

td_err td_pump_run(td_subject *client, td_subject *server, td_transcript *t)
{
    td_state cs, ss;
    int round;

    TRY(td_subject_feed(client, NULL, 0)); /* the client speaks first */
    for (round = 0; round < PUMP_MAX_ROUNDS; round++) {
        bool moved = false;

        TRY(hand_over(client, TD_ROLE_CLIENT, server, t, &moved));
        TRY(hand_over(server, TD_ROLE_SERVER, client, t, &moved));
        td_subject_state(client, &cs);
        td_subject_state(server, &ss);
        if (!moved)
            break;
        if (finished(&cs) && finished(&ss) && td_subject_pending(client) == 0 &&
            td_subject_pending(server) == 0)
            break;
    }
    return TD_OK;
}

/* Send msg from a to b and check it arrives intact. */
static td_err app_one_way(td_subject *a, td_role a_role, td_subject *b, td_transcript *t,
                          const char *msg, bool *ok)
{
    uint8_t got[256];
    size_t n = 0;
    bool moved = false;

    *ok = false;
    if (td_subject_write_app(a, (const uint8_t *)msg, strlen(msg)) != TD_OK)
        return TD_OK;
    TRY(hand_over(a, a_role, b, t, &moved));
    td_subject_read_app(b, got, sizeof got, &n);
    *ok = n == strlen(msg) && memcmp(got, msg, n) == 0;
    return TD_OK;
}

static td_err run_connection(td_impl ci, td_impl si, const td_profile *p, td_world *w,
                             td_transcript *t, const uint8_t *session, size_t session_len,
                             td_conn_result *r, uint8_t *session_out, size_t *session_out_len,
                             char *why, size_t why_cap)
{
    td_subject *c = NULL, *s = NULL;
    td_err e;
    bool up = false, down = false;

    memset(r, 0, sizeof *r);
    e = td_subject_new(ci, TD_ROLE_CLIENT, p, w, &c);
    if (e == TD_OK)
        e = td_subject_new(si, TD_ROLE_SERVER, p, w, &s);
    if (e != TD_OK) {
        snprintf(why, why_cap, "cannot create subject: %s (%s)", td_subject_last_error(),
                 td_err_name(e));
        goto out;
    }
    if (session && (e = td_subject_set_session(c, session, session_len)) != TD_OK) {
        snprintf(why, why_cap, "client refused the saved session");
        goto out;
    }
    if ((e = td_pump_run(c, s, t)) != TD_OK)
        goto out;
    td_subject_state(c, &r->client);
    td_subject_state(s, &r->server);
    if (r->client.handshake_done && r->server.handshake_done &&
        r->client.verdict == TD_VERDICT_CONTINUE && r->server.verdict == TD_VERDICT_CONTINUE) {
        if ((e = app_one_way(c, TD_ROLE_CLIENT, s, t, "GET / from the client", &up)) != TD_OK ||
            (e = app_one_way(s, TD_ROLE_SERVER, c, t, "200 OK from the server", &down)) != TD_OK)
            goto out;
        r->app_ok = up && down;
        td_subject_state(c, &r->client);
        td_subject_state(s, &r->server);
        if (session_out &&
            td_subject_export_session(c, session_out, SESSION_BLOB_MAX, session_out_len) != TD_OK)
            *session_out_len = 0;
    }
out:
    td_subject_free(c);
    td_subject_free(s);
    return e;
}

static bool conn_ok(const td_conn_result *c, char *why, size_t cap, const char *which)
{
    char cd[320], sd[320];

    if (c->client.handshake_done && c->server.handshake_done && c->app_ok)
        return true;
    td_state_describe(&c->client, cd, sizeof cd);
    td_state_describe(&c->server, sd, sizeof sd);
    snprintf(why, cap, "%s: client %s, server %s%s", which, cd, sd,
             c->client.handshake_done && c->server.handshake_done ? ", application data lost" : "");
    return false;
}

/* The server must have sent the fatal alert the profile names, and the
 * client must not have completed a handshake. */
static bool refused_as_expected(const td_conn_result *c, uint8_t alert, char *why, size_t cap)
{
    char cd[320], sd[320];

    if (c->server.sent.present && c->server.sent.level == 2 &&
        c->server.sent.description == alert && !c->client.handshake_done)
        return true;
    td_state_describe(&c->client, cd, sizeof cd);
    td_state_describe(&c->server, sd, sizeof sd);
    snprintf(why, cap, "expected the server to send alert(fatal, %s); client %s, server %s",
             td_err_name(alert), cd, sd);
    return false;
}

td_err td_pump_profile(td_impl client_impl, td_impl server_impl, const td_profile *p,
                       td_world *w, td_transcript *t, td_run_result *r)
{
    static _Thread_local uint8_t session[SESSION_BLOB_MAX];
    size_t session_len = 0;
    td_err e;

    memset(r, 0, sizeof *r);
    e = run_connection(client_impl, server_impl, p, w, t, NULL, 0, &r->first,
                       p->resume != TD_RESUME_NONE ? session : NULL, &session_len, r->why,
                       sizeof r->why);
    if (e != TD_OK)
        return e;
    if (p->expect_alert) {
        r->ok = refused_as_expected(&r->first, p->expect_alert, r->why, sizeof r->why);
        return TD_OK;
    }
    r->ok = conn_ok(&r->first, r->why, sizeof r->why, "first handshake");
    if (!r->ok || p->resume == TD_RESUME_NONE)
        return TD_OK;
    if (session_len == 0) {
        r->ok = false;
        snprintf(r->why, sizeof r->why, "the client has no session to resume");
        return TD_OK;
    }
    r->has_resumed = true;
    e = run_connection(client_impl, server_impl, p, w, t, session, session_len, &r->resumed, NULL,
                       NULL, r->why, sizeof r->why);
    if (e != TD_OK)
        return e;
    r->ok = conn_ok(&r->resumed, r->why, sizeof r->why, "resumption");
    if (r->ok && !(r->resumed.client.resumed && r->resumed.server.resumed)) {
        r->ok = false;
        snprintf(r->why, sizeof r->why, "second handshake was a full one (client %s, server %s)",
                 r->resumed.client.resumed ? "resumed" : "full",
                 r->resumed.server.resumed ? "resumed" : "full");
    }
    return TD_OK;
}
