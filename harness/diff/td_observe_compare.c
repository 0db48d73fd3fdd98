/*
 * td_observe: the outcome text and the comparator's order of checks
 * (td_observe.h). The fields compared inside each message are the table
 * in td_observe_fields.c.
 */
#include "td_names.h"
#include "td_observe.h"

#include <string.h>

/* The version this subject ended up with: td_state's, else that of the
 * last ServerHello it sent; 0 when neither says. */
static uint16_t known_version(const td_observation *o)
{
    td_server_hello sh;
    uint16_t v = 0;
    size_t i;

    if (o->has_state && o->state.version)
        return o->state.version;
    for (i = 0; i < o->n_messages; i++)
        if (o->messages[i].msg_type == TD_HS_SERVER_HELLO &&
            td_server_hello_decode(td_obs_message_body(o, i), &sh) == TD_OK &&
            !sh.is_hello_retry_request)
            v = sh.version;
    return v;
}

/* ------------------------------------------------------------------------
 * Outcome
 * ------------------------------------------------------------------------ */

typedef enum { OUT_CONTINUE, OUT_ALERT, OUT_CLOSED, OUT_CRASH } out_kind;

typedef struct outcome {
    out_kind kind;
    int has_alert; /* the error alert (OUT_ALERT) or closure alert (OUT_CLOSED) */
    td_obs_alert alert;
} outcome;

/* RFC 8446 6.1: close_notify and user_canceled are closure alerts. */
static int is_closure(uint8_t description)
{
    return description == TD_ALERT_CLOSE_NOTIFY || description == TD_ALERT_USER_CANCELED;
}

static int stopped(const td_observation *o)
{
    return o->has_state && o->state.verdict != TD_VERDICT_CONTINUE;
}

/* An error alert that decides the outcome: any level but warning (RFC
 * 8446 6: an unknown level counts as fatal), or a warning after which the
 * subject stopped. */
static int decisive(const td_observation *o, uint8_t level, uint8_t description)
{
    return !is_closure(description) && (level != TD_ALERT_LEVEL_WARNING || stopped(o));
}

static void outcome_of(const td_observation *o, outcome *out)
{
    const td_alert_seen *sent = &o->state.sent;
    int sent_ok = o->has_state && sent->present;
    size_t i;

    memset(out, 0, sizeof *out);
    if (o->crashed || (o->has_state && o->state.verdict == TD_VERDICT_CRASH)) {
        out->kind = OUT_CRASH;
        return;
    }
    out->kind = OUT_ALERT;
    out->has_alert = 1;
    for (i = 0; i < o->n_alerts; i++)
        if (decisive(o, o->alerts[i].level, o->alerts[i].description)) {
            out->alert = o->alerts[i];
            return;
        }
    if (sent_ok && decisive(o, sent->level, sent->description)) {
        out->alert.level = sent->level;
        out->alert.description = sent->description;
        return;
    }
    out->kind = OUT_CLOSED;
    for (i = 0; i < o->n_alerts; i++)
        if (is_closure(o->alerts[i].description)) {
            out->alert = o->alerts[i];
            return;
        }
    if (sent_ok && is_closure(sent->description)) {
        out->alert.level = sent->level;
        out->alert.description = sent->description;
        return;
    }
    out->has_alert = 0;
    if (!stopped(o))
        out->kind = OUT_CONTINUE;
}

static void outcome_text(const outcome *oc, char *buf, size_t cap)
{
    switch (oc->kind) {
    case OUT_CRASH: snprintf(buf, cap, "crash"); return;
    case OUT_ALERT: snprintf(buf, cap, "alert:%s", td_err_name(oc->alert.description)); return;
    case OUT_CLOSED:
        if (oc->has_alert)
            snprintf(buf, cap, "closed:%s", td_err_name(oc->alert.description));
        else
            snprintf(buf, cap, "closed");
        return;
    case OUT_CONTINUE: snprintf(buf, cap, "continue"); return;
    }
}

void td_obs_outcome(const td_observation *o, char *buf, size_t cap)
{
    outcome oc;

    outcome_of(o, &oc);
    outcome_text(&oc, buf, cap);
}

static const char *level_name(uint8_t level)
{
    return level == TD_ALERT_LEVEL_WARNING ? "warning"
           : level == TD_ALERT_LEVEL_FATAL ? "fatal"
                                           : "level?";
}

/* The warning-level alerts other than closure ones: "warning:x, ..." */
static void warnings_text(const td_observation *o, char *buf, size_t cap)
{
    size_t i, at = 0;

    buf[0] = '\0';
    for (i = 0; i < o->n_alerts && at < cap; i++) {
        const td_obs_alert *a = &o->alerts[i];

        if (a->level != TD_ALERT_LEVEL_WARNING || is_closure(a->description))
            continue;
        at += (size_t)snprintf(buf + at, cap - at, "%swarning:%s", at ? ", " : "",
                               td_err_name(a->description));
    }
    if (buf[0] == '\0')
        snprintf(buf, cap, "none");
}

/* ------------------------------------------------------------------------
 * Comparator
 * ------------------------------------------------------------------------ */

typedef struct sides {
    const td_observation *a, *b;
    const char *na, *nb;
    char *line;
    size_t cap;
} sides;

static int differ(const sides *s, const char *what, const char *va, const char *vb)
{
    snprintf(s->line, s->cap, "%s: %s %s, %s %s", what, s->na, va, s->nb, vb);
    return 1;
}

static int cmp_verdict(const sides *s)
{
    outcome oa, ob;
    char ta[TD_OBS_OUTCOME_LEN], tb[TD_OBS_OUTCOME_LEN];

    outcome_of(s->a, &oa);
    outcome_of(s->b, &ob);
    outcome_text(&oa, ta, sizeof ta);
    outcome_text(&ob, tb, sizeof tb);
    if (strcmp(ta, tb) != 0)
        return differ(s, "verdict", ta, tb);
    if (oa.kind == OUT_ALERT && oa.alert.level != ob.alert.level)
        return differ(s, "alert level", level_name(oa.alert.level), level_name(ob.alert.level));
    if (oa.kind != OUT_ALERT) {
        char wa[TD_OBS_LINE_LEN / 2], wb[TD_OBS_LINE_LEN / 2];

        warnings_text(s->a, wa, sizeof wa);
        warnings_text(s->b, wb, sizeof wb);
        if (strcmp(wa, wb) != 0)
            return differ(s, "warning alerts", wa, wb);
    }
    return 0;
}

static int cmp_param(const sides *s, const char *what, td_names_kind kind, uint16_t va,
                     uint16_t vb, int both_done)
{
    char ta[80], tb[80];
    const char *name;

    if (va == vb || (!both_done && (va == 0 || vb == 0)))
        return 0;
    name = td_name_of(kind, va);
    if (va == 0)
        snprintf(ta, sizeof ta, "none");
    else if (name)
        snprintf(ta, sizeof ta, "%s (0x%04x)", name, va);
    else
        snprintf(ta, sizeof ta, "0x%04x", va);
    name = td_name_of(kind, vb);
    if (vb == 0)
        snprintf(tb, sizeof tb, "none");
    else if (name)
        snprintf(tb, sizeof tb, "%s (0x%04x)", name, vb);
    else
        snprintf(tb, sizeof tb, "0x%04x", vb);
    return differ(s, what, ta, tb);
}

static const char *yes_no(int b)
{
    return b ? "yes" : "no";
}

static int cmp_negotiated(const sides *s)
{
    const td_state *a = &s->a->state, *b = &s->b->state;
    int done = a->handshake_done && b->handshake_done;
    outcome oa, ob;

    if (!s->a->has_state || !s->b->has_state)
        return 0;
    if (cmp_param(s, "negotiated.version", TD_NAMES_VERSION, a->version, b->version, done) ||
        cmp_param(s, "negotiated.cipher_suite", TD_NAMES_SUITE, a->cipher_suite,
                  b->cipher_suite, done) ||
        cmp_param(s, "negotiated.group", TD_NAMES_GROUP, a->group, b->group, done) ||
        cmp_param(s, "negotiated.signature_scheme", TD_NAMES_SIGSCHEME, a->sig_scheme,
                  b->sig_scheme, done))
        return 1;
    outcome_of(s->a, &oa);
    outcome_of(s->b, &ob);
    if (oa.kind == OUT_CONTINUE && ob.kind == OUT_CONTINUE &&
        a->handshake_done != b->handshake_done)
        return differ(s, "negotiated.handshake_done", yes_no(a->handshake_done),
                      yes_no(b->handshake_done));
    if (done && a->resumed != b->resumed)
        return differ(s, "negotiated.resumed", yes_no(a->resumed), yes_no(b->resumed));
    if (done && a->peer_verified != b->peer_verified)
        return differ(s, "negotiated.peer_verified", yes_no(a->peer_verified),
                      yes_no(b->peer_verified));
    return 0;
}

static int cmp_count(const sides *s, const char *what, size_t va, size_t vb)
{
    char ta[32], tb[32];

    if (va == vb)
        return 0;
    snprintf(ta, sizeof ta, "%zu", va);
    snprintf(tb, sizeof tb, "%zu", vb);
    return differ(s, what, ta, tb);
}

static int cmp_sequence(const sides *s)
{
    size_t na = s->a->n_messages, nb = s->b->n_messages, i;
    char what[48], ba[32], bb[32], ua[96], ub[96];

    for (i = 0; i < na || i < nb; i++) {
        const char *ta = td_obs_message_name(s->a, i, ba, sizeof ba);
        const char *tb = td_obs_message_name(s->b, i, bb, sizeof bb);

        if (strcmp(ta, tb) != 0) {
            snprintf(what, sizeof what, "next message %zu", i + 1);
            return differ(s, what, ta, tb);
        }
    }
    if (cmp_count(s, "handshake messages sent", s->a->messages_seen, s->b->messages_seen))
        return 1;
    /* Two partial messages of the same type are the same: where a record
     * boundary fell is not compared. */
    if ((s->a->hs_header_len == 0) != (s->b->hs_header_len == 0) ||
        (s->a->hs_header_len && s->a->hs_header[0] != s->b->hs_header[0])) {
        td_obs_unfinished(s->a, ua, sizeof ua);
        td_obs_unfinished(s->b, ub, sizeof ub);
        return differ(s, "unfinished message", ua, ub);
    }
    return 0;
}

static void ccs_text(const td_observation *o, char *buf, size_t cap)
{
    if (o->ccs == 0)
        snprintf(buf, cap, "none");
    else if (o->ccs_after == 0)
        snprintf(buf, cap, "before any message");
    else
        snprintf(buf, cap, "after message %zu", o->ccs_after);
}

/* RFC 5246 7.1: ChangeCipherSpec is part of the TLS 1.2 handshake; in TLS
 * 1.3 it is an optional compatibility record (RFC 8446 D.4) and is not
 * compared. */
static int cmp_ccs(const sides *s)
{
    uint16_t va = known_version(s->a), vb = known_version(s->b);
    char ta[48], tb[48];

    if (va == 0 || vb == 0 || va >= TD_TLS1_3 || vb >= TD_TLS1_3)
        return 0;
    ccs_text(s->a, ta, sizeof ta);
    ccs_text(s->b, tb, sizeof tb);
    if (strcmp(ta, tb) != 0)
        return differ(s, "change_cipher_spec", ta, tb);
    return cmp_count(s, "change_cipher_spec records", s->a->ccs, s->b->ccs);
}

static int cmp_fields(const sides *s)
{
    td_msg_ctx ca, cb;
    size_t i, j, n = s->a->n_messages < s->b->n_messages ? s->a->n_messages : s->b->n_messages;

    td_obs_ctx_init(&ca, s->a->has_state ? &s->a->state : NULL);
    td_obs_ctx_init(&cb, s->b->has_state ? &s->b->state : NULL);
    for (i = 0; i < n; i++) {
        const td_obs_message *ma = &s->a->messages[i], *mb = &s->b->messages[i];
        td_span ba = td_obs_message_body(s->a, i), bb = td_obs_message_body(s->b, i);
        char buf[32], label[64];
        const char *name = td_obs_message_name(s->a, i, buf, sizeof buf);
        size_t nth = 1;

        for (j = 0; j < i; j++) {
            char other[32];

            if (strcmp(td_obs_message_name(s->a, j, other, sizeof other), name) == 0)
                nth++;
        }
        if (nth > 1)
            snprintf(label, sizeof label, "%s#%zu", name, nth);
        else
            snprintf(label, sizeof label, "%s", name);
        /* A message the store cut short has no fields to compare. */
        if (ma->stored == ma->length && mb->stored == mb->length &&
            td_obs_fields_compare(label, ma->msg_type, ba, &ca, s->na, bb, &cb, s->nb, s->line,
                                  s->cap))
            return 1;
        td_obs_ctx_follow(&ca, ma->msg_type, ba);
        td_obs_ctx_follow(&cb, mb->msg_type, bb);
    }
    return 0;
}

int td_obs_compare_named(const td_observation *a, const char *name_a,
                         const td_observation *b, const char *name_b, char *line,
                         size_t cap)
{
    sides s = {a, b, name_a, name_b, line, cap};
    char ta[48], tb[48];

    if (cap)
        line[0] = '\0';
    if (cmp_verdict(&s) || cmp_negotiated(&s))
        return 1;
    if ((a->undecryptable == 0) != (b->undecryptable == 0))
        return cmp_count(&s, "undecryptable records", a->undecryptable, b->undecryptable);
    if (cmp_sequence(&s) || cmp_ccs(&s) || cmp_fields(&s))
        return 1;
    if (a->app_data_bytes != b->app_data_bytes) {
        snprintf(ta, sizeof ta, "%zu bytes", a->app_data_bytes);
        snprintf(tb, sizeof tb, "%zu bytes", b->app_data_bytes);
        return differ(&s, "application data", ta, tb);
    }
    return cmp_count(&s, "other records", a->other_records, b->other_records);
}

int td_obs_compare(const td_observation *a, const td_observation *b, char *line, size_t cap)
{
    return td_obs_compare_named(a, "reference", b, "wolfSSL", line, cap);
}

