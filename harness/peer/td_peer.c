/*
 * The scripted peer (td_peer.h): a reference engine in the other role,
 * with td_conn_hooks to edit the message under test and to observe what
 * the subject sends after it, pumped against a td_subject in memory.
 */
#include "td_peer.h"

#include "td_conn.h"
#include "td_ref_config.h"
#include "td_world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything of one run; on the heap (a td_conn is large). */
typedef struct peer_run {
    const td_peer_case *pc;
    td_conn conn;
    td_conn_config cfg;
    td_conn_hooks hooks;
    td_session_cache sessions;
    td_session13_cache tickets;
    td_observation *obs;
    unsigned seen;    /* messages of pc->msg_type sent so far */
    int sent;         /* the message under test went out */
    td_err edit_err;  /* the edit could not be applied */
    char edit_why[160];
} peer_run;

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

/* The flight edits on the message at wire[0..*len): skip (nothing goes
 * out), repeat (it goes out 1 + N times), inject (the given messages go
 * out before it). reorder, merge and split are not done yet: the message
 * goes out as edited. */
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

static td_err on_send(void *vctx, uint8_t msg_type, td_span msg, uint8_t *wire, size_t cap,
                      size_t *wire_len, int *transcript_edited, int *handled)
{
    peer_run *r = vctx;
    const td_peer_case *pc = r->pc;
    td_edit_flags flags;
    td_msg_ctx ctx;
    td_span body = {msg.p + 4, msg.len - 4};
    td_err e;

    *handled = 0;
    if (msg_type != pc->msg_type || r->seen++ != pc->occurrence || r->sent)
        return TD_OK;
    r->sent = 1;
    if (pc->raw.len > 0) {
        ENSURE(pc->raw.len <= cap, TD_ERR_NOSPACE);
        memcpy(wire, pc->raw.p, pc->raw.len);
        *wire_len = pc->raw.len;
        *transcript_edited = 1;
        *handled = 1;
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
    *handled = 1;
    return flight_edits(pc->edit, &flags, wire, cap, wire_len);
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

/* Move what one side has for the other; 1 when bytes moved. */
static int pump_once(peer_run *r, td_subject *s, td_err *err)
{
    static uint8_t buf[1 << 16];
    size_t n;
    int moved = 0;

    *err = TD_OK;
    while (td_conn_pending(&r->conn)) {
        td_conn_drain(&r->conn, buf, sizeof buf, &n);
        if (n) {
            *err = td_subject_feed(s, buf, n);
            if (*err != TD_OK)
                return moved;
            moved = 1;
        }
    }
    while (td_subject_pending(s)) {
        td_subject_drain(s, buf, sizeof buf, &n);
        if (!n)
            break;
        moved = 1;
        /* a failure here is the peer's engine refusing the answer: in
         * its state (noted at the end), not an error of the run */
        if (td_conn_feed(&r->conn, (td_span){buf, n}) != TD_OK)
            break;
    }
    return moved;
}

static const char *volatile running;

const char *td_peer_running(void) { return running; }

td_err td_peer_run(const td_peer_case *pc, td_impl impl, td_observation *obs, char *why,
                   size_t cap)
{
    td_role peer_role = pc->subject_role == TD_ROLE_CLIENT ? TD_ROLE_SERVER : TD_ROLE_CLIENT;
    peer_run *r = calloc(1, sizeof *r);
    td_subject *s = NULL;
    td_world w;
    td_binding b;
    td_state st;
    td_err e;
    int rounds;

    if (!r) {
        snprintf(why, cap, "out of memory");
        return TD_ERR_NOSPACE;
    }
    td_obs_init(obs);
    r->pc = pc;
    r->obs = obs;
    td_world_init(&w, pc->seed);
    e = td_ref_config_from_profile(pc->profile, peer_role, (uint64_t)w.clock, &r->cfg, why, cap);
    if (e == TD_OK) {
        r->cfg.session_cache = &r->sessions;
        r->cfg.session13_cache = &r->tickets;
        r->hooks.on_send = on_send;
        r->hooks.on_receive = on_receive;
        r->hooks.ctx = r;
        r->cfg.hooks = &r->hooks;
        e = td_conn_init(&r->conn, &r->cfg, &w.rng[TD_PARTY_PEER]);
        if (e != TD_OK)
            snprintf(why, cap, "peer: %s", td_err_name(e));
    }
    if (e == TD_OK) {
        e = td_subject_new(impl, pc->subject_role, pc->profile, &w, &s);
        if (e != TD_OK)
            snprintf(why, cap, "subject: %s", td_subject_last_error());
    }
    running = impl == TD_IMPL_REF ? "reference" : "wolfSSL";
    if (e == TD_OK) {
        b = td_world_bind(&w, TD_PARTY_PEER);
        /* a client engine sends its ClientHello on start; a server one
         * gets ready for it */
        e = td_conn_start(&r->conn);
        if (e != TD_OK)
            snprintf(why, cap, "peer start: %s (%s)", td_err_name(e), r->conn.failure.why);
        else if (peer_role == TD_ROLE_SERVER)
            e = td_subject_feed(s, NULL, 0); /* the client subject starts */
        td_world_restore(b);
        /* Bounded: each round moves at least one flight, and a handshake
         * has a handful of them. */
        for (rounds = 0; e == TD_OK && rounds < 64; rounds++) {
            int moved;

            b = td_world_bind(&w, TD_PARTY_PEER);
            moved = pump_once(r, s, &e);
            td_world_restore(b);
            if (!moved)
                break;
        }
        if (e != TD_OK) {
            snprintf(why, cap, "subject feed: %s", td_err_name(e));
        } else {
            td_subject_state(s, &st);
            td_obs_set_state(obs, &st);
            if (r->edit_err != TD_OK)
                td_obs_set_note(obs, "%s", r->edit_why);
            else if (!r->sent)
                td_obs_set_note(obs, "the message under test was never sent");
            else if (r->conn.state == TD_ST_FAILED)
                td_obs_set_note(obs, "peer stopped: %s (%s)", td_err_name(r->conn.failure.err),
                                r->conn.failure.why);
        }
    }
    if (s)
        td_subject_free(s);
    running = NULL;
    td_world_free(&w);
    td_secure_zero(&r->conn, sizeof r->conn);
    free(r);
    return e;
}
