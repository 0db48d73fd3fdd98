/*
 * Raw inputs as edit scripts (td_reduce.h): the canonical message of a
 * variant, and the script that turns it into given wire bytes.
 *
 * A handshake message on the wire (RFC 8446 4, RFC 5246 7.4):
 *     struct {
 *         HandshakeType msg_type;    -- 1 byte
 *         uint24 length;             -- bytes in message
 *         select (msg_type) { ... } body;
 *     } Handshake;
 * An edit script writes exactly one such header (`type` sets msg_type,
 * `length` adds a delta to the body's length) and the body the other
 * edits make, so any bytes of at least 4 can be said as one: the body is
 * everything after the header (further messages included) and the delta
 * makes the header say what the raw header said.
 */
#include "td_reduce.h"

#include "td_conn.h"
#include "td_crypto.h"
#include "td_ref_config.h"
#include "td_world.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * The canonical message: the scripted peer's engine against the reference
 * subject, as td_peer_run sets them up, with the message captured on its
 * way out instead of edited.
 * ------------------------------------------------------------------------ */

typedef struct canon_run {
    td_conn conn;
    td_conn_config cfg;
    td_conn_hooks hooks;
    td_session_cache sessions;
    td_session13_cache tickets;
    uint8_t msg_type;
    uint8_t *out;
    size_t cap, len;
    int got;
    td_err err;
} canon_run;

static td_err capture(void *vctx, uint8_t msg_type, td_span msg, uint8_t *wire, size_t cap,
                      size_t *wire_len, int *transcript_edited, int *handled)
{
    canon_run *r = vctx;

    (void)wire;
    (void)cap;
    (void)wire_len;
    (void)transcript_edited;
    *handled = 0; /* the canonical message goes out as it is */
    if (msg_type != r->msg_type || r->got)
        return TD_OK;
    r->got = 1;
    if (msg.len > r->cap) {
        r->err = TD_ERR_NOSPACE;
        return TD_OK;
    }
    memcpy(r->out, msg.p, msg.len);
    r->len = msg.len;
    return TD_OK;
}

/* Move what one side has for the other until the message is captured or
 * nothing moves; bounded as td_peer_run is. */
static td_err canon_pump(canon_run *r, td_subject *s, td_world *w)
{
    static uint8_t buf[1 << 16];
    int rounds, moved = 1;
    size_t n;
    td_err e = TD_OK;

    for (rounds = 0; e == TD_OK && moved && !r->got && rounds < 64; rounds++) {
        td_binding b = td_world_bind(w, TD_PARTY_PEER);

        moved = 0;
        while (e == TD_OK && td_conn_pending(&r->conn)) {
            td_conn_drain(&r->conn, buf, sizeof buf, &n);
            if (n)
                e = td_subject_feed(s, buf, n);
            moved = 1;
        }
        while (e == TD_OK && td_subject_pending(s)) {
            td_subject_drain(s, buf, sizeof buf, &n);
            if (!n)
                break;
            moved = 1;
            if (td_conn_feed(&r->conn, (td_span){buf, n}) != TD_OK)
                break; /* the engine refused the answer: nothing more */
        }
        td_world_restore(b);
    }
    return e;
}

static td_err canon_start(canon_run *r, const td_profile *p, td_role subject_role, td_world *w,
                          td_subject **s, char *why, size_t cap)
{
    td_role peer_role = subject_role == TD_ROLE_CLIENT ? TD_ROLE_SERVER : TD_ROLE_CLIENT;
    td_binding b;
    td_err e;

    TRY(td_ref_config_from_profile(p, peer_role, (uint64_t)w->clock, &r->cfg, why, cap));
    r->cfg.session_cache = &r->sessions;
    r->cfg.session13_cache = &r->tickets;
    r->hooks.on_send = capture;
    r->hooks.ctx = r;
    r->cfg.hooks = &r->hooks;
    e = td_conn_init(&r->conn, &r->cfg, &w->rng[TD_PARTY_PEER]);
    if (e != TD_OK) {
        snprintf(why, cap, "peer: %s", td_err_name(e));
        return e;
    }
    e = td_subject_new(TD_IMPL_REF, subject_role, p, w, s);
    if (e != TD_OK) {
        snprintf(why, cap, "subject: %s", td_subject_last_error());
        return e;
    }
    b = td_world_bind(w, TD_PARTY_PEER);
    e = td_conn_start(&r->conn);
    if (e == TD_OK && peer_role == TD_ROLE_SERVER)
        e = td_subject_feed(*s, NULL, 0); /* the client subject starts */
    td_world_restore(b);
    if (e != TD_OK)
        snprintf(why, cap, "start: %s", td_err_name(e));
    return e;
}

td_err td_reduce_canonical(const td_target *t, size_t v, uint8_t *out, size_t cap, size_t *len,
                           char *why, size_t why_cap)
{
    td_profile *p = calloc(1, sizeof *p);
    canon_run *r = calloc(1, sizeof *r);
    td_subject *s = NULL;
    td_target_variant tv;
    td_world w;
    td_err e;

    *len = 0;
    if (p && r && v < td_target_variants(t)) {
        td_target_variant_of(t, v, &tv);
        if (tv.occurrence || tv.post_handshake) {
            free(p);
            free(r);
            snprintf(why, why_cap, "raw inputs of variant %zu (a later or post-handshake "
                     "message) are not reduced", v);
            return TD_ERR_UNSUPPORTED;
        }
    }
    if (!p || !r || v >= td_target_variants(t)) {
        free(p);
        free(r);
        snprintf(why, why_cap, "%s", p && r ? "no such variant" : "out of memory");
        return p && r ? TD_ERR_NOT_FOUND : TD_ERR_NOSPACE;
    }
    r->msg_type = tv.msg_type;
    r->out = out;
    r->cap = cap;
    td_world_init(&w, 1); /* td_target_run's seed */
    e = td_profile_load(p, t->profiles[v], why, why_cap);
    if (e == TD_OK)
        e = canon_start(r, p, tv.subject_role, &w, &s, why, why_cap);
    if (e == TD_OK)
        e = canon_pump(r, s, &w);
    if (e == TD_OK && !r->got) {
        snprintf(why, why_cap, "the canonical flight of %s sends no %s", t->profiles[v],
                 td_hs_name(tv.msg_type));
        e = TD_ERR_NOT_FOUND;
    }
    if (e == TD_OK && r->err != TD_OK) {
        snprintf(why, why_cap, "the canonical %s is over %zu bytes", t->name, cap);
        e = r->err;
    }
    if (e == TD_OK)
        *len = r->len;
    if (s)
        td_subject_free(s);
    td_world_free(&w);
    td_conn_wipe(&r->conn);
    free(r);
    free(p);
    return e;
}

/* ------------------------------------------------------------------------
 * Raw bytes -> script
 * ------------------------------------------------------------------------ */

/* Differing ranges closer than this many equal bytes are one `bytes` edit
 * (an edit costs more to read than a few repeated bytes). */
#define RAW_GAP 4u

static td_err add_edit(td_edit_script *s, const td_edit *e)
{
    ENSURE(s->n < TD_EDIT_MAX, TD_ERR_NOSPACE);
    s->e[s->n++] = *e;
    return TD_OK;
}

static td_err add_bytes(td_edit_script *s, td_edit_op op, size_t off, const uint8_t *p, size_t n)
{
    td_edit e;

    memset(&e, 0, sizeof e);
    e.op = (uint8_t)op;
    e.num = (int64_t)off;
    ENSURE(n <= TD_EDIT_BYTES_MAX, TD_ERR_NOSPACE);
    e.len = (uint16_t)n;
    if (n)
        memcpy(e.bytes, p, n);
    return add_edit(s, &e);
}

/* `bytes` edits for where rb differs from cb (and for rb past cb's end),
 * ranges merged across gaps of at most gap equal bytes. */
static td_err diff_runs(td_span rb, td_span cb, size_t gap, td_edit_script *s)
{
    size_t i = 0, common = rb.len < cb.len ? rb.len : cb.len;

    while (i < rb.len) {
        size_t start, end, k;

        while (i < common && rb.p[i] == cb.p[i])
            i++;
        if (i >= rb.len)
            break;
        start = i;
        end = i + 1;
        for (k = end; k < rb.len && k - end <= gap; k++)
            if (k >= common || rb.p[k] != cb.p[k])
                end = k + 1;
        for (k = start; k < end; k += TD_EDIT_BYTES_MAX) {
            size_t n = end - k < TD_EDIT_BYTES_MAX ? end - k : TD_EDIT_BYTES_MAX;

            TRY(add_bytes(s, TD_EDIT_BYTES, k, rb.p + k, n));
        }
        i = end;
    }
    return TD_OK;
}

static td_err raw_body_edits(td_span rb, td_span cb, int replace_form, td_edit_script *s)
{
    td_edit_script base = *s;
    size_t gap;

    if (replace_form)
        return add_bytes(s, TD_EDIT_REPLACE, 0, rb.p, rb.len);
    /* widen the merge gap until the runs fit in a script */
    for (gap = RAW_GAP;; gap = 2 * gap + 1) {
        *s = base;
        if (rb.len < cb.len) {
            td_edit e;

            memset(&e, 0, sizeof e);
            e.op = TD_EDIT_TRUNCATE;
            e.num = (int64_t)rb.len;
            TRY(add_edit(s, &e));
        }
        if (diff_runs(rb, cb, gap, s) == TD_OK && s->n < TD_EDIT_MAX)
            return TD_OK;
        if (gap > rb.len)
            return TD_ERR_NOSPACE;
    }
}

td_err td_reduce_raw_script(td_span raw, td_span canon, int replace_form, td_edit_script *out)
{
    td_span rb, cb;
    td_edit e;
    size_t rl;

    memset(out, 0, sizeof *out);
    ENSURE(raw.len >= TD_HANDSHAKE_HEADER_LEN && canon.len >= TD_HANDSHAKE_HEADER_LEN,
           TD_ERR_SYNTAX);
    rb = (td_span){raw.p + 4, raw.len - 4};
    cb = (td_span){canon.p + 4, canon.len - 4};
    rl = ((size_t)raw.p[1] << 16) | ((size_t)raw.p[2] << 8) | raw.p[3];
    memset(&e, 0, sizeof e);
    if (raw.p[0] != canon.p[0]) {
        e.op = TD_EDIT_TYPE;
        e.type = raw.p[0];
        TRY(add_edit(out, &e));
    }
    TRY(raw_body_edits(rb, cb, replace_form, out));
    if (rl != rb.len) {
        /* the header length written is len(body) + DELTA (td_edit.h) */
        memset(&e, 0, sizeof e);
        e.op = TD_EDIT_LENGTH;
        e.num = (int64_t)rl - (int64_t)rb.len;
        TRY(add_edit(out, &e));
    }
    return TD_OK;
}
