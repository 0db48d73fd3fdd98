#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_subject_impl.h"

td_err td_buf_append(td_buf *b, const uint8_t *data, size_t len)
{
    if (len == 0)
        return TD_OK;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        uint8_t *p;

        while (cap < b->len + len)
            cap *= 2;
        p = realloc(b->p, cap);
        if (!p)
            return TD_ERR_NOSPACE;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
    return TD_OK;
}

void td_buf_take(td_buf *b, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = b->len < cap ? b->len : cap;

    if (n)
        memcpy(out, b->p, n);
    memmove(b->p, b->p + n, b->len - n);
    b->len -= n;
    *len = n;
}

void td_buf_free(td_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

static _Thread_local char last_error[256];

void td_subject_set_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
}

const char *td_subject_last_error(void) { return last_error; }

td_err td_subject_new(td_impl impl, td_role role, const td_profile *profile, td_world *world,
                      td_subject **out)
{
    *out = NULL;
    switch (impl) {
    case TD_IMPL_WOLFSSL:
        return td_subject_wolfssl_new(role, profile, world, out);
    case TD_IMPL_REF:
        return td_subject_ref_new(role, profile, world, out);
    }
    return TD_ERR_INTERNAL;
}

void td_subject_free(td_subject *s)
{
    if (!s)
        return;
    td_buf_free(&s->out);
    td_buf_free(&s->app_in);
    s->ops->free(s);
}

td_err td_subject_feed(td_subject *s, const uint8_t *data, size_t len)
{
    return s->ops->feed(s, data, len);
}

td_err td_subject_feed_eof(td_subject *s) { return s->ops->feed_eof(s); }

size_t td_subject_pending(const td_subject *s) { return s->out.len; }

void td_subject_drain(td_subject *s, uint8_t *out, size_t cap, size_t *len)
{
    td_buf_take(&s->out, out, cap, len);
}

td_err td_subject_write_app(td_subject *s, const uint8_t *data, size_t len)
{
    return s->ops->write_app(s, data, len);
}

void td_subject_read_app(td_subject *s, uint8_t *out, size_t cap, size_t *len)
{
    td_buf_take(&s->app_in, out, cap, len);
}

void td_subject_state(const td_subject *s, td_state *st) { *st = s->st; }

td_err td_subject_export_session(td_subject *s, uint8_t *out, size_t cap, size_t *len)
{
    return s->ops->export_session(s, out, cap, len);
}

td_err td_subject_set_session(td_subject *s, const uint8_t *blob, size_t len)
{
    return s->ops->set_session(s, blob, len);
}

const char *td_impl_name(td_impl impl) { return impl == TD_IMPL_REF ? "ref" : "wolfssl"; }

const char *td_verdict_name(td_verdict v)
{
    switch (v) {
    case TD_VERDICT_CONTINUE: return "continue";
    case TD_VERDICT_ALERT: return "alert";
    case TD_VERDICT_CLOSED: return "closed";
    case TD_VERDICT_CRASH: return "crash";
    }
    return "?";
}

static const char *alert_level_name(uint8_t level)
{
    return level == 1 ? "warning" : level == 2 ? "fatal" : "level?";
}

void td_state_describe(const td_state *st, char *out, size_t cap)
{
    if (st->verdict == TD_VERDICT_ALERT && st->sent.present && st->lib_error)
        snprintf(out, cap, "sent alert(%s, %s) [%s]", alert_level_name(st->sent.level),
                 td_err_name(st->sent.description), st->lib_error_name);
    else if (st->verdict == TD_VERDICT_ALERT && st->sent.present)
        snprintf(out, cap, "sent alert(%s, %s)", alert_level_name(st->sent.level),
                 td_err_name(st->sent.description));
    else if (st->verdict == TD_VERDICT_ALERT)
        snprintf(out, cap, "received alert(%s, %s)", alert_level_name(st->received.level),
                 td_err_name(st->received.description));
    else if (st->verdict == TD_VERDICT_CLOSED && st->lib_error)
        snprintf(out, cap, "closed (%s)", st->lib_error_name);
    else if (st->verdict == TD_VERDICT_CONTINUE && st->handshake_done)
        snprintf(out, cap, "established");
    else
        snprintf(out, cap, "%s", td_verdict_name(st->verdict));
}

size_t td_subject_snapshot_size(const td_subject *s)
{
    return s->ops->snapshot_size ? s->ops->snapshot_size(s) : 0;
}

void td_subject_snapshot_save(const td_subject *s, uint8_t *buf)
{
    if (s->ops->snapshot_save)
        s->ops->snapshot_save(s, buf);
}

td_err td_subject_snapshot_restore(td_subject *s, const uint8_t *buf, size_t len)
{
    ENSURE(s->ops->snapshot_restore != NULL, TD_ERR_UNSUPPORTED);
    return s->ops->snapshot_restore(s, buf, len);
}
