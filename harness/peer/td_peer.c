/*
 * The scripted peer (td_peer.h): a reference engine in the other role,
 * with td_conn_hooks to edit the message under test and to observe what
 * the subject sends after it, pumped against a td_subject in memory.
 */
#include "td_peer_impl.h"

#include "td_ref_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One peer_run kept between runs: it is large (a td_conn and a held
 * message), and a fresh allocation per input cost page faults on every
 * run under ASan, whose quarantine never hands the same memory back. */
static peer_run *spare_run;

static peer_run *run_alloc(int zero)
{
    peer_run *r = spare_run;

    spare_run = NULL;
    if (!r)
        return calloc(1, sizeof *r);
    if (zero)
        memset(r, 0, sizeof *r);
    return r;
}

static void run_release(peer_run *r)
{
    if (!spare_run)
        spare_run = r;
    else
        free(r);
}

/* The decoding context of the message under test: what the peer's engine
 * has negotiated so far (td_msg_ctx). */
static void msg_ctx(const td_conn *c, td_msg_ctx *ctx)
{
    int tls13 = c->params.version == 0x0304 || c->params.version == 0;
    size_t hash = c->suite.cipher_suite ? td_hash_len(c->suite.hash) : 0;

    memset(ctx, 0, sizeof *ctx);
    ctx->version = c->params.version ? c->params.version : 0x0304;
    ctx->kx = c->hs12.kx_rsa ? TD_KX_RSA : TD_KX_ECDHE;
    /* RFC 8446 4.4.4: Finished is Hash.length; RFC 5246 7.4.9: 12 */
    ctx->verify_data_len = tls13 ? hash : 12;
    ctx->hash_len = hash;
}

/* The flight edits that make the bytes of the message at wire[0..*len):
 * skip (nothing goes out), repeat (it goes out 1 + N times), inject (the
 * given messages go out before it). How they are framed: hold() and
 * release() below. */
static td_err flight_edits(const td_edit_script *s, const td_edit_flags *f, uint8_t *wire,
                           size_t cap, size_t *len)
{
    size_t i, msg_len = *len, pre = 0;

    if (f->skip) {
        *len = 0;
        return TD_OK;
    }
    for (i = 0; i < f->n_inject; i++)
        pre += 4 + s->e[f->inject[i]].len;
    ENSURE(pre + msg_len * (1 + (size_t)f->repeat) <= cap, TD_ERR_NOSPACE);
    memmove(wire + pre, wire, msg_len);
    for (i = 0; i < f->repeat; i++)
        memcpy(wire + pre + msg_len * (i + 1), wire + pre, msg_len);
    *len = pre + msg_len * (1 + (size_t)f->repeat);
    for (i = 0, pre = 0; i < f->n_inject; i++) {
        const td_edit *e = &s->e[f->inject[i]];

        /* RFC 8446 4: msg_type, uint24 length, body */
        wire[pre] = (uint8_t)e->type;
        wire[pre + 1] = 0;
        wire[pre + 2] = (uint8_t)(e->len >> 8);
        wire[pre + 3] = (uint8_t)e->len;
        memcpy(wire + pre + 4, e->bytes, e->len);
        pre += 4 + e->len;
    }
    return TD_OK;
}

/* Whether the engine still writes under the state the held message was
 * queued under (every key change installs a new key and iv). */
static int same_epoch(const td_protect *a, const td_protect *b)
{
    if (a->installed != b->installed)
        return 0;
    return !a->installed ||
           (a->version == b->version && a->alg == b->alg && a->key_len == b->key_len &&
            a->iv_len == b->iv_len && memcmp(a->key, b->key, a->key_len) == 0 &&
            memcmp(a->iv, b->iv, a->iv_len) == 0);
}

/* Handshake bytes in records of at most max bytes, under st (NULL: the
 * current write state). RFC 8446 5.1, RFC 5246 6.2.1: a message may be
 * fragmented across records. */
static td_err send_framed(peer_run *r, td_protect *st, const uint8_t *p, size_t len, size_t max)
{
    size_t off;

    for (off = 0; off < len; off += max) {
        size_t n = len - off < max ? len - off : max;

        TRY(td_conn_send_raw_record(&r->conn, st, TD_CT_HANDSHAKE, (td_span){p + off, n}));
    }
    return TD_OK;
}

/* The record and plain edits, in script order: under st (record) or
 * unprotected (plain). */
static td_err send_records(peer_run *r, td_protect *st)
{
    size_t i;

    for (i = 0; i < r->hold.f.n_record; i++) {
        const td_edit *e = &r->pc->edit->e[r->hold.f.record[i]];
        size_t n = td_edit_payload(e, r->payload, sizeof r->payload);
        td_protect clear;

        memset(&clear, 0, sizeof clear); /* not installed: plaintext */
        TRY(td_conn_send_raw_record(&r->conn, e->op == TD_EDIT_PLAIN ? &clear : st,
                                    (uint8_t)e->type, (td_span){r->payload, n}));
    }
    return TD_OK;
}

/* The held message goes out: the records of the script, then the
 * message, alone under its keys, or with `next` (the next message the
 * engine sends): merged in front of it under the held message's keys, or
 * reordered after it under the current ones. */
static td_err release(peer_run *r, td_span next)
{
    held *h = &r->hold;
    td_protect *st = same_epoch(&h->st, &r->conn.write) ? NULL : &h->st;
    size_t max = h->f.split ? h->f.split : TD_MAX_PLAINTEXT_LEN;
    td_err e;

    h->on = 0;
    e = send_records(r, st);
    if (e == TD_OK && next.len && (h->f.merge || h->f.reorder)) {
        size_t at = h->f.merge ? h->len : 0;

        ENSURE(h->len + next.len <= sizeof h->bytes, TD_ERR_NOSPACE);
        if (h->f.reorder)
            memmove(h->bytes + next.len, h->bytes, h->len);
        memcpy(h->bytes + at, next.p, next.len);
        h->len += next.len;
        if (h->f.reorder)
            st = NULL;
    }
    if (e == TD_OK)
        e = send_framed(r, st, h->bytes, h->len, max);
    td_secure_zero(&h->st, sizeof h->st);
    if (e == TD_ERR_NOSPACE) {
        /* The script's records and fragments do not fit the engine's
         * output (TD_CONN_OUT_MAX bytes; a fuzzed script can ask for four
         * records of 16 KiB and more): what fit went out, the same for
         * both subjects, and the edit is void, not the run. */
        if (r->edit_err == TD_OK) {
            r->edit_err = e;
            snprintf(r->edit_why, sizeof r->edit_why,
                     "edit not applied: its records exceed the peer's %u-byte output",
                     (unsigned)TD_CONN_OUT_MAX);
        }
        e = TD_OK;
    }
    return e;
}

/* Hold the message under test (wire[0..len)): what the engine queued
 * before it goes out first, in its own records; the message waits for
 * release(). Nothing is flushed when nothing is queued, so that the
 * first ClientHello's record version (0x0301, set at its flush) holds. */
static td_err hold(peer_run *r, const td_edit_flags *f, const uint8_t *wire, size_t len)
{
    held *h = &r->hold;

    ENSURE(len <= sizeof h->bytes, TD_ERR_NOSPACE);
    if (r->conn.hs_out_len > 0)
        TRY(td_conn_flush(&r->conn));
    memcpy(h->bytes, wire, len);
    h->len = len;
    h->f = *f;
    h->st = r->conn.write;
    h->on = 1;
    return TD_OK;
}

/* A message the engine sends while the one under test is held: merge
 * and reorder take it as their partner (it goes out now; the transcript
 * takes it as the engine made it); otherwise the held message goes out
 * first and this one is queued as usual. */
static td_err while_held(peer_run *r, td_span msg, int *transcript_edited, int *handled)
{
    if (!r->hold.f.merge && !r->hold.f.reorder)
        return release(r, (td_span){NULL, 0});
    *transcript_edited = 0;
    *handled = TD_CONN_HOOK_SENT;
    return release(r, msg);
}

/* td_conn_hooks.on_flush: a held message with no partner goes out at the
 * engine's next flush (split, record, plain: before what it frames), or,
 * for merge and reorder, when the engine waits for input. Once the
 * peer's engine has failed, nothing more goes out. */
static td_err on_flush(void *vctx, int idle)
{
    peer_run *r = vctx;

    if (!r->hold.on)
        return TD_OK;
    if (r->conn.state == TD_ST_FAILED) {
        r->hold.on = 0;
        td_secure_zero(&r->hold.st, sizeof r->hold.st);
        return TD_OK;
    }
    if (!idle && (r->hold.f.merge || r->hold.f.reorder))
        return TD_OK;
    return release(r, (td_span){NULL, 0});
}

static int framing_edits(const td_edit_flags *f)
{
    return f->split || f->merge || f->reorder || f->n_record;
}

static td_err on_send(void *vctx, uint8_t msg_type, td_span msg, uint8_t *wire, size_t cap,
                      size_t *wire_len, int *transcript_edited, int *handled)
{
    peer_run *r = vctx;
    const td_peer_case *pc = r->pc;
    td_edit_flags flags;
    td_msg_ctx ctx;
    td_span body = {msg.p + 4, msg.len - 4};
    td_err e;

    *handled = TD_CONN_HOOK_CANONICAL;
    if (r->connection != pc->connection)
        return TD_OK;
    if (r->hold.on)
        return while_held(r, msg, transcript_edited, handled);
    if (pc->post_handshake && !r->posting)
        return TD_OK;
    if (msg_type != pc->msg_type || r->seen++ != pc->occurrence || r->sent)
        return TD_OK;
    r->sent = 1;
    if (pc->raw.len > 0) {
        ENSURE(pc->raw.len <= cap, TD_ERR_NOSPACE);
        memcpy(wire, pc->raw.p, pc->raw.len);
        *wire_len = pc->raw.len;
        *transcript_edited = 1;
        *handled = TD_CONN_HOOK_QUEUE;
        return TD_OK;
    }
    if (!pc->edit || pc->edit->n == 0)
        return TD_OK;
    msg_ctx(&r->conn, &ctx);
    memset(&flags, 0, sizeof flags);
    e = pc->lenient
            ? td_edit_apply_lenient(pc->edit, msg_type, body, &ctx, wire, cap, wire_len, &flags)
            : td_edit_apply(pc->edit, msg_type, body, &ctx, wire, cap, wire_len, &flags);
    if (e != TD_OK) {
        /* the canonical message goes out; the case says why it is void */
        r->edit_err = e;
        snprintf(r->edit_why, sizeof r->edit_why, "edit not applied: %s", td_err_name(e));
        return TD_OK;
    }
    *transcript_edited = !flags.stale;
    *handled = TD_CONN_HOOK_QUEUE;
    TRY(flight_edits(pc->edit, &flags, wire, cap, wire_len));
    if (!framing_edits(&flags))
        return TD_OK;
    *handled = TD_CONN_HOOK_SENT;
    return hold(r, &flags, wire, *wire_len);
}

/* Raw records the engine refused (content type 0, td_conn_hooks): a
 * plaintext alert (RFC 8446 6: sent before the keys, or by a subject that
 * failed before deriving them) is an alert; anything else undecryptable. */
static void raw_records(peer_run *r, td_span raw)
{
    td_rd rd;

    td_rd_init_span(&rd, raw);
    while (td_rd_left(&rd) >= 5) {
        uint8_t type;
        uint16_t version, len;
        td_span frag;

        if (td_rd_u8(&rd, &type) != TD_OK || td_rd_u16(&rd, &version) != TD_OK ||
            td_rd_u16(&rd, &len) != TD_OK || td_rd_span(&rd, len, &frag) != TD_OK)
            return;
        if (td_obs_add_record(r->obs, type, frag, type != TD_CT_ALERT || len != 2) != TD_OK)
            return;
    }
}

static void on_receive(void *vctx, uint8_t content_type, td_span plaintext, int undecryptable)
{
    peer_run *r = vctx;

    if (r->sent && content_type == 0) {
        raw_records(r, plaintext);
        return;
    }
    /* a failure is a caller bug in td_observe; the observation keeps
     * what it could */
    if (r->sent && td_obs_add_record(r->obs, content_type, plaintext, undecryptable) != TD_OK)
        td_obs_set_note(r->obs, "observation: a record was not kept");
}

/* The subject's output into the peer's engine, chunk by chunk, with a
 * capture point before each (a snapshot taken there feeds the chunk when
 * restored); 1 when bytes moved. A failure is the peer's engine refusing
 * the answer: in its state (noted at the end), not an error of the
 * run. */
static int subject_to_peer(peer_run *r, const td_world *w, td_subject *s)
{
    static uint8_t buf[1 << 16];
    size_t n;
    int moved = 0;

    while (td_subject_pending(s)) {
        td_subject_drain(s, buf, sizeof buf, &n);
        if (!n)
            break;
        moved = 1;
        if (r->pc->on_wire)
            r->pc->on_wire(r->pc->wire_ctx, 1, (td_span){buf, n});
        td_snap_capture(r, w, s, TD_SNAP_FEED, (td_span){buf, n});
        if (td_conn_feed(&r->conn, (td_span){buf, n}) != TD_OK)
            break;
    }
    return moved;
}

/* Move what one side has for the other; 1 when bytes moved. */
static int pump_once(peer_run *r, const td_world *w, td_subject *s, td_err *err)
{
    static uint8_t buf[1 << 16];
    size_t n;
    int moved = 0;

    *err = TD_OK;
    while (td_conn_pending(&r->conn)) {
        td_conn_drain(&r->conn, buf, sizeof buf, &n);
        if (n) {
            if (r->pc->on_wire)
                r->pc->on_wire(r->pc->wire_ctx, 0, (td_span){buf, n});
            *err = td_subject_feed(s, buf, n);
            if (*err != TD_OK)
                return moved;
            moved = 1;
        }
    }
    return subject_to_peer(r, w, s) || moved;
}

static const char *volatile running;

const char *td_peer_running(void) { return running; }

/* Bytes move until nothing does. Bounded: each round moves at least one
 * flight, and a handshake has a handful of them. */
static td_err pump(peer_run *r, td_world *w, td_subject *s, char *why, size_t cap)
{
    td_err e = TD_OK;
    int rounds;

    for (rounds = 0; e == TD_OK && rounds < 64; rounds++) {
        td_binding b;
        int moved;

        td_snap_capture(r, w, s, TD_SNAP_ROUND, (td_span){NULL, 0});
        b = td_world_bind(w, TD_PARTY_PEER);
        moved = pump_once(r, w, s, &e);

        td_world_restore(b);
        if (!moved)
            break;
    }
    if (e != TD_OK)
        snprintf(why, cap, "subject feed: %s", td_err_name(e));
    return e;
}

/* One connection: a fresh peer engine (the session caches of r carry
 * over) against subject s, pumped until nothing moves. */
static td_err run_connection(peer_run *r, td_world *w, td_subject *s, char *why, size_t cap)
{
    td_binding b;
    td_err e;

    e = td_conn_init(&r->conn, &r->cfg, &w->rng[TD_PARTY_PEER]);
    if (e != TD_OK) {
        snprintf(why, cap, "peer: %s", td_err_name(e));
        return e;
    }
    b = td_world_bind(w, TD_PARTY_PEER);
    /* a client engine sends its ClientHello on start; a server one gets
     * ready for it */
    e = td_conn_start(&r->conn);
    if (e != TD_OK)
        snprintf(why, cap, "peer start: %s (%s)", td_err_name(e), r->conn.failure.why);
    else if (r->cfg.role == TD_ROLE_SERVER)
        e = td_subject_feed(s, NULL, 0); /* the client subject starts */
    td_world_restore(b);
    return e == TD_OK ? pump(r, w, s, why, cap) : e;
}

/* The post-handshake message under test (td_peer_case.post_handshake),
 * once both ends are connected: it goes out (a held one now, as at the
 * end of a flight), then the peer's application data, then the
 * subject's. Neither end connected: nothing is sent (the note says so). */
static td_err post_handshake(peer_run *r, td_world *w, td_subject *s, char *why, size_t cap)
{
    static const uint8_t ping[] = "tlsdiff post-handshake";
    td_span data = {ping, sizeof ping - 1};
    td_binding b;
    td_state st;
    td_err e;

    td_snap_capture(r, w, s, TD_SNAP_POST, (td_span){NULL, 0});
    td_subject_state(s, &st);
    if (r->conn.state != TD_ST_CONNECTED || !st.handshake_done ||
        st.verdict != TD_VERDICT_CONTINUE)
        return TD_OK;
    b = td_world_bind(w, TD_PARTY_PEER);
    r->posting = 1;
    e = td_peer_send_post_handshake(&r->conn, r->pc->msg_type, r->pc->request_update);
    if (e == TD_OK)
        e = on_flush(r, 1);
    if (e == TD_OK && r->conn.state == TD_ST_CONNECTED)
        e = td_conn_write_app(&r->conn, data);
    td_world_restore(b);
    if (e != TD_OK) {
        snprintf(why, cap, "peer: post-handshake message %u: %s", (unsigned)r->pc->msg_type,
                 td_err_name(e));
        return e;
    }
    TRY(pump(r, w, s, why, cap));
    td_subject_state(s, &st);
    /* a subject that cannot write any more is observed as it is */
    if (st.verdict == TD_VERDICT_CONTINUE && td_subject_write_app(s, data.p, data.len) == TD_OK)
        TRY(pump(r, w, s, why, cap));
    return TD_OK;
}

/* The first connection of a resumption case, unedited and unobserved: it
 * must complete, and a client subject must hold a session to resume,
 * which the new subject s gets. The subject of the first connection is
 * freed; *s is the one for the second. */
static td_err first_connection(peer_run *r, td_world *w, td_impl impl, td_subject **s, char *why,
                               size_t cap)
{
    static uint8_t blob[8192];
    size_t blob_len = 0;
    td_state st;
    td_err e;

    ENSURE(r->pc->profile->resume != TD_RESUME_NONE, TD_ERR_UNSUPPORTED);
    TRY(run_connection(r, w, *s, why, cap));
    td_subject_state(*s, &st);
    if (!st.handshake_done || r->conn.state != TD_ST_CONNECTED) {
        snprintf(why, cap, "the first connection did not complete (subject %s, peer %s)",
                 st.handshake_done ? "done" : "not done", td_err_name(r->conn.failure.err));
        return TD_ERR_LIBRARY;
    }
    if (r->pc->subject_role == TD_ROLE_CLIENT &&
        td_subject_export_session(*s, blob, sizeof blob, &blob_len) != TD_OK) {
        snprintf(why, cap, "the client subject holds no session after the first connection");
        return TD_ERR_LIBRARY;
    }
    td_subject_free(*s);
    *s = NULL;
    /* the second connection draws on from where the first stopped */
    w->rng[TD_PARTY_PEER] = r->conn.rng;
    e = td_subject_new(impl, r->pc->subject_role, r->pc->profile, w, s);
    if (e != TD_OK) {
        snprintf(why, cap, "subject: %s", td_subject_last_error());
        return e;
    }
    if (blob_len && td_subject_set_session(*s, blob, blob_len) != TD_OK) {
        snprintf(why, cap, "the client subject refused its own session");
        return TD_ERR_LIBRARY;
    }
    td_conn_wipe(&r->conn);
    return TD_OK;
}

/* The whole run: the peer's configuration, the subject, the first
 * connection of a resumption case, the connection under test and the
 * post-handshake step; recorded as a snapshot when eligible. */
static td_err run_whole(peer_run *r, td_world *w, td_impl impl, td_subject **out, char *why,
                        size_t cap)
{
    const td_peer_case *pc = r->pc;
    td_role peer_role = pc->subject_role == TD_ROLE_CLIENT ? TD_ROLE_SERVER : TD_ROLE_CLIENT;
    td_subject *s = NULL;
    td_err e;

    td_snap_record_begin(pc, impl);
    e = td_ref_config_from_profile(pc->profile, peer_role, (uint64_t)w->clock, &r->cfg, why, cap);
    if (e == TD_OK) {
        r->cfg.session_cache = &r->sessions;
        r->cfg.session13_cache = &r->tickets;
        r->cfg.keylog = pc->keylog;
        r->cfg.keylog_ctx = pc->keylog_ctx;
        r->hooks.on_send = on_send;
        r->hooks.on_receive = on_receive;
        r->hooks.on_flush = on_flush;
        r->hooks.ctx = r;
        r->cfg.hooks = &r->hooks;
        e = td_subject_new(impl, pc->subject_role, pc->profile, w, &s);
        if (e != TD_OK)
            snprintf(why, cap, "subject: %s", td_subject_last_error());
    }
    if (e == TD_OK && pc->connection == 1)
        e = first_connection(r, w, impl, &s, why, cap);
    r->connection = pc->connection; /* the hooks act from here on */
    if (e == TD_OK)
        e = run_connection(r, w, s, why, cap);
    if (e == TD_OK && pc->post_handshake)
        e = post_handshake(r, w, s, why, cap);
    td_snap_record_end(r);
    *out = s;
    return e;
}

td_err td_peer_run(const td_peer_case *pc, td_impl impl, td_observation *obs, char *why,
                   size_t cap)
{
    const td_snapshot *sn = td_snap_find(pc, impl);
    peer_run *r;
    td_subject *s = NULL;
    td_world w;
    td_state st;
    td_err e;

    if (pc->connection > 1 || (pc->connection && pc->profile->resume == TD_RESUME_NONE)) {
        snprintf(why, cap, "a second connection needs a profile that resumes");
        return TD_ERR_UNSUPPORTED;
    }
    r = run_alloc(sn == NULL); /* a restored run overwrites it all */
    if (!r) {
        snprintf(why, cap, "out of memory");
        return TD_ERR_NOSPACE;
    }
    td_obs_init(obs);
    r->pc = pc;
    r->obs = obs;
    td_world_init(&w, pc->seed);
    running = impl == TD_IMPL_REF ? "reference" : "wolfSSL";
    if (sn) {
        td_span pending;
        td_snap_point at = td_snap_where(sn, &pending);

        e = td_snap_restore(sn, r, &w, impl, &s, why, cap);
        if (e == TD_OK && at == TD_SNAP_FEED) {
            td_binding b = td_world_bind(&w, TD_PARTY_PEER);

            /* as subject_to_peer would have gone on */
            if (td_conn_feed(&r->conn, pending) == TD_OK)
                (void)subject_to_peer(r, &w, s);
            td_world_restore(b);
        }
        if (e == TD_OK && at != TD_SNAP_POST)
            e = pump(r, &w, s, why, cap);
        if (e == TD_OK && pc->post_handshake)
            e = post_handshake(r, &w, s, why, cap);
    } else {
        e = run_whole(r, &w, impl, &s, why, cap);
    }
    if (e == TD_OK) {
        td_subject_state(s, &st);
        td_obs_set_state(obs, &st);
        if (r->edit_err != TD_OK)
            td_obs_set_note(obs, "%s", r->edit_why);
        else if (!r->sent)
            td_obs_set_note(obs, "the message under test was never sent");
        else if (r->conn.state == TD_ST_FAILED && r->conn.failure.err == TD_OK &&
                 r->conn.received_alert)
            td_obs_set_note(obs, "peer stopped: it received %s",
                            td_err_name((td_err)(r->conn.received_alert - 1)));
        else if (r->conn.state == TD_ST_FAILED)
            td_obs_set_note(obs, "peer stopped: %s (%s)", td_err_name(r->conn.failure.err),
                            r->conn.failure.why);
    }
    if (s)
        td_subject_free(s);
    running = NULL;
    td_world_free(&w);
    td_conn_wipe(&r->conn);
    td_secure_zero(&r->hold.st, sizeof r->hold.st);
    run_release(r);
    return e;
}
