/*
 * Applying an edit script to one handshake message (td_edit.h).
 *
 * The message is held two ways and converted only when an edit needs the
 * other one:
 *   - decoded: a td_msg (td_msg_decode once), which `set` and `ext` edit;
 *     td_msg_encode (permissive) writes it back, so lengths follow;
 *   - encoded: the body bytes, which `bytes`, `truncate` and `replace`
 *     edit; a later `set` or `ext` decodes them again.
 * Keeping the struct between edits is what lets a script go on after an
 * edit the strict decoder would refuse (`ext dup key_share; set random
 * 00*32`).
 *
 * Where the bytes live (no allocation: one work area on the stack):
 *   body[0], body[1]  the encoded body; the struct is encoded into the
 *                     buffer the current body is not in, because the
 *                     struct's spans may point into the current one;
 *   ext               the extension block being edited, in place: the
 *                     first ext edit copies the block here and points
 *                     the struct's extensions span at it;
 * and spans into the caller's body and the script's edit bytes, both
 * constant for the whole call.
 */
#include "td_edit.h"

#include "td_ext.h"
#include "td_msg.h"
#include "td_names.h"
#include "td_record.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EXT_BLOCK_MAX 0xffffu /* Extension extensions<..2^16-1> */

typedef struct work {
    uint8_t body[2][TD_MAX_HANDSHAKE_BODY];
    uint8_t ext[EXT_BLOCK_MAX];
    td_span cur; /* the encoded body, when !dirty */
    int cur_buf; /* cur is in body[cur_buf], or elsewhere (-1): read-only */
    td_msg msg;
    int msg_buf;  /* the body[] msg's spans may point into, or -1 */
    int have_msg; /* msg is the decoded form of the message */
    int dirty;    /* msg was edited since cur was made */
    td_msg_ctx ctx;
    uint8_t msg_type;
    const char *name; /* of msg_type, for messages */
    char name_buf[24];
    const td_edit_slot *slots;
    size_t nslots;
    /* for error messages */
    size_t at; /* edit being applied, 1-based */
    const td_edit *e;
    char *why;
    size_t why_cap;
} work;

static td_err fail(work *w, td_err err, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!w->why || w->why_cap == 0)
        return err;
    n = snprintf(w->why, w->why_cap, "edit %zu (%s): ", w->at, td_edit_op_name(w->e->op));
    if (n < 0 || (size_t)n >= w->why_cap)
        return err;
    va_start(ap, fmt);
    vsnprintf(w->why + n, w->why_cap - (size_t)n, fmt, ap);
    va_end(ap);
    return err;
}

static const char *ext_name(uint16_t type, char *buf, size_t cap)
{
    const char *n = td_ext_name(type);

    if (n)
        return n;
    snprintf(buf, cap, "0x%04x", type);
    return buf;
}

/* The struct, decoding the current body if it is not up to date. */
static td_err need_msg(work *w)
{
    td_err err;

    if (w->have_msg)
        return TD_OK;
    if (!w->slots)
        return fail(w, TD_ERR_SYNTAX, "%s has no fields to edit", w->name);
    err = td_msg_decode(w->msg_type, w->cur, &w->ctx, &w->msg);
    if (err != TD_OK)
        return fail(w, TD_ERR_SYNTAX, "the body (%zu bytes) does not decode as %s: %s", w->cur.len,
                    w->name, td_err_name(err));
    w->have_msg = 1;
    w->msg_buf = w->cur_buf;
    w->dirty = 0;
    return TD_OK;
}

/* The encoded body, encoding the struct if it was edited. */
static td_err need_body(work *w)
{
    int to = w->msg_buf == 0 ? 1 : 0; /* not where msg's spans point */
    td_wr wr;
    td_span out;
    td_err err;

    if (!w->dirty)
        return TD_OK;
    td_wr_init(&wr, w->body[to], sizeof w->body[to]);
    err = td_msg_encode(&wr, &w->msg);
    if (err == TD_OK)
        err = td_wr_finish(&wr, &out);
    if (err == TD_ERR_NOSPACE)
        return fail(w, err, "the edited %s is over %u bytes", w->name, TD_MAX_HANDSHAKE_BODY);
    if (err != TD_OK)
        return fail(w, TD_ERR_SYNTAX, "the edited %s has no wire form (%s)", w->name,
                    td_err_name(err));
    /* in body[to] even when empty (td_wr_finish gives NULL for no
     * bytes): a raw edit after this writes there and extends cur */
    w->cur = (td_span){w->body[to], out.len};
    w->cur_buf = to;
    w->dirty = 0;
    return TD_OK;
}

/* The encoded body in a buffer of ours, to edit in place. */
static td_err need_writable(work *w)
{
    TRY(need_body(w));
    if (w->cur_buf >= 0)
        return TD_OK;
    if (w->cur.len > sizeof w->body[0])
        return fail(w, TD_ERR_NOSPACE, "the body is over %u bytes", TD_MAX_HANDSHAKE_BODY);
    if (w->cur.len)
        memcpy(w->body[0], w->cur.p, w->cur.len);
    w->cur.p = w->body[0];
    w->cur_buf = 0;
    return TD_OK;
}

static const td_edit_slot *find_slot(const work *w, unsigned field)
{
    size_t i;

    for (i = 0; i < w->nslots; i++)
        if (w->slots[i].field == field)
            return &w->slots[i];
    return NULL;
}

static uint8_t *slot_ptr(work *w, const td_edit_slot *s)
{
    return (uint8_t *)&w->msg + s->off;
}

/* ------------------------------------------------------------------------
 * set
 * ------------------------------------------------------------------------ */
static td_err apply_set(work *w, const td_edit *e)
{
    const td_edit_field_info *f = td_edit_field_about(e->field);
    const td_edit_slot *s;
    uint8_t *p;

    TRY(need_msg(w));
    s = find_slot(w, e->field);
    if (!s)
        return fail(w, TD_ERR_SYNTAX, "%s has no field %s", w->name, f->name);
    p = slot_ptr(w, s);
    switch (f->kind) {
    case TD_EK_U8: {
        uint8_t v = (uint8_t)e->num;
        ENSURE(s->size == sizeof v, TD_ERR_INTERNAL);
        memcpy(p, &v, sizeof v);
        break;
    }
    case TD_EK_U16: {
        uint16_t v = (uint16_t)e->num;
        ENSURE(s->size == sizeof v, TD_ERR_INTERNAL);
        memcpy(p, &v, sizeof v);
        break;
    }
    case TD_EK_U32: {
        uint32_t v = (uint32_t)e->num;
        ENSURE(s->size == sizeof v, TD_ERR_INTERNAL);
        memcpy(p, &v, sizeof v);
        break;
    }
    case TD_EK_BOOL: {
        int v = (int)e->num;
        ENSURE(s->size == sizeof v, TD_ERR_INTERNAL);
        memcpy(p, &v, sizeof v);
        break;
    }
    case TD_EK_RANDOM:
        ENSURE(s->size == TD_RANDOM_LEN && e->len == TD_RANDOM_LEN, TD_ERR_INTERNAL);
        memcpy(p, e->bytes, TD_RANDOM_LEN);
        break;
    default: {
        td_span v = {e->bytes, e->len};
        ENSURE(s->size == sizeof v, TD_ERR_INTERNAL);
        memcpy(p, &v, sizeof v);
        if (e->field == TD_EF_EXTENSIONS) {
            /* a block given is a block present */
            const td_edit_slot *has = find_slot(w, TD_EF_HAS_EXTENSIONS);
            int one = 1;

            if (has)
                memcpy(slot_ptr(w, has), &one, sizeof one);
        }
        break;
    }
    }
    w->dirty = 1;
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * ext
 * ------------------------------------------------------------------------ */

/* Where extension number `index` starts in block[0..len) (len when past
 * the last one), how many there are, and the first one of `type`: its
 * index and [*start, *end), *found = 0 if none. -1: broken framing. */
typedef struct ext_walk {
    size_t count;
    int found;
    size_t index, start, end; /* the first of `type` */
    size_t at;                /* offset of entry `want_index` */
} ext_walk;

static int walk_block(const uint8_t *block, size_t len, uint16_t type, size_t want_index,
                      ext_walk *out)
{
    td_ext_iter it;
    td_span all = {block, len}, data;
    uint16_t t;
    int got;

    memset(out, 0, sizeof *out);
    out->at = len;
    td_ext_iter_init(&it, all);
    for (;;) {
        size_t off = len - td_rd_left(&it.rd);

        if (out->count == want_index)
            out->at = off;
        if (td_ext_iter_next(&it, &t, &data, &got) != TD_OK)
            return -1;
        if (!got)
            break;
        if (t == type && !out->found) {
            out->found = 1;
            out->index = out->count;
            out->start = off;
            out->end = len - td_rd_left(&it.rd);
        }
        out->count++;
    }
    return 0;
}

static void reverse(uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n / 2; i++) {
        uint8_t t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

/* p[0..n) rotated left by k: p[k..n) then p[0..k). */
static void rotate(uint8_t *p, size_t k, size_t n)
{
    reverse(p, k);
    reverse(p + k, n - k);
    reverse(p, n);
}

static void put_u16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static td_err apply_ext(work *w, const td_edit *e)
{
    const td_edit_slot *s, *has;
    td_span block;
    ext_walk x;
    size_t len, pos;
    char nb[8];
    const char *ename = ext_name(e->type, nb, sizeof nb);
    int present = 1;

    TRY(need_msg(w));
    s = find_slot(w, TD_EF_EXTENSIONS);
    if (!s)
        return fail(w, TD_ERR_SYNTAX, "%s has no extension block", w->name);
    has = find_slot(w, TD_EF_HAS_EXTENSIONS);
    if (has)
        memcpy(&present, slot_ptr(w, has), sizeof present);
    memcpy(&block, slot_ptr(w, s), sizeof block);
    if (!present)
        block.len = 0;
    if (block.p != w->ext) { /* edited in place from the second ext edit on */
        if (block.len > EXT_BLOCK_MAX)
            return fail(w, TD_ERR_NOSPACE, "extension block over %u bytes", EXT_BLOCK_MAX);
        if (block.len)
            memcpy(w->ext, block.p, block.len);
    }
    len = block.len;
    pos = e->num < 0 ? (size_t)-1 : (size_t)e->num;
    if (walk_block(w->ext, len, e->type, e->op == TD_EDIT_EXT_INSERT ? pos : (size_t)-1, &x) < 0)
        return fail(w, TD_ERR_SYNTAX, "the extension block of %s does not parse", w->name);
    if (e->op != TD_EDIT_EXT_INSERT && !x.found)
        return fail(w, TD_ERR_SYNTAX, "no %s extension in %s", ename, w->name);

    switch (e->op) {
    case TD_EDIT_EXT_DROP:
        memmove(w->ext + x.start, w->ext + x.end, len - x.end);
        len -= x.end - x.start;
        break;
    case TD_EDIT_EXT_DUP: {
        size_t n = x.end - x.start;

        if (len + n > EXT_BLOCK_MAX)
            return fail(w, TD_ERR_SYNTAX, "the extension block would be over %u bytes",
                        EXT_BLOCK_MAX);
        memmove(w->ext + x.end + n, w->ext + x.end, len - x.end);
        memcpy(w->ext + x.end, w->ext + x.start, n);
        len += n;
        break;
    }
    case TD_EDIT_EXT_MOVE: {
        /* POS is the index in the list it ends up in */
        size_t to = pos >= x.count - 1 ? x.count - 1 : pos;
        ext_walk y;

        if (to == x.index)
            break;
        if (walk_block(w->ext, len, e->type, to < x.index ? to : to + 1, &y) < 0)
            return TD_ERR_INTERNAL;
        if (to < x.index) /* [y.at, start) [start, end) -> entry first */
            rotate(w->ext + y.at, x.start - y.at, x.end - y.at);
        else /* [start, end) [end, y.at) -> entry last */
            rotate(w->ext + x.start, x.end - x.start, y.at - x.start);
        break;
    }
    case TD_EDIT_EXT_INSERT: {
        size_t n = 4u + e->len;

        if (len + n > EXT_BLOCK_MAX)
            return fail(w, TD_ERR_SYNTAX, "the extension block would be over %u bytes",
                        EXT_BLOCK_MAX);
        memmove(w->ext + x.at + n, w->ext + x.at, len - x.at);
        put_u16(w->ext + x.at, e->type);
        put_u16(w->ext + x.at + 2, e->len);
        if (e->len)
            memcpy(w->ext + x.at + 4, e->bytes, e->len);
        len += n;
        if (has) {
            int one = 1;
            memcpy(slot_ptr(w, has), &one, sizeof one);
        }
        break;
    }
    case TD_EDIT_EXT_SET: {
        size_t old = x.end - x.start - 4u;

        if (len - old + e->len > EXT_BLOCK_MAX)
            return fail(w, TD_ERR_SYNTAX, "the extension block would be over %u bytes",
                        EXT_BLOCK_MAX);
        memmove(w->ext + x.start + 4 + e->len, w->ext + x.end, len - x.end);
        put_u16(w->ext + x.start + 2, e->len);
        if (e->len)
            memcpy(w->ext + x.start + 4, e->bytes, e->len);
        len = len - old + e->len;
        break;
    }
    default:
        return TD_ERR_INTERNAL;
    }
    block.p = w->ext;
    block.len = len;
    memcpy(slot_ptr(w, s), &block, sizeof block);
    w->dirty = 1;
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * Raw edits
 * ------------------------------------------------------------------------ */
static td_err apply_raw(work *w, const td_edit *e)
{
    switch (e->op) {
    case TD_EDIT_BYTES: {
        size_t off = (size_t)e->num, end = off + e->len;

        TRY(need_writable(w));
        if (off > w->cur.len)
            return fail(w, TD_ERR_SYNTAX, "offset %zu past the end of the %zu-byte body", off,
                        w->cur.len);
        if (end > sizeof w->body[0])
            return fail(w, TD_ERR_NOSPACE, "the body would be over %u bytes",
                        TD_MAX_HANDSHAKE_BODY);
        memcpy(w->body[w->cur_buf] + off, e->bytes, e->len);
        if (end > w->cur.len)
            w->cur.len = end;
        break;
    }
    case TD_EDIT_TRUNCATE:
        TRY(need_body(w));
        if ((size_t)e->num > w->cur.len)
            return fail(w, TD_ERR_SYNTAX, "the body is only %zu bytes", w->cur.len);
        w->cur.len = (size_t)e->num;
        break;
    case TD_EDIT_REPLACE:
        /* the script outlives the call: read-only until edited */
        w->cur.p = e->bytes;
        w->cur.len = e->len;
        w->cur_buf = -1;
        w->dirty = 0;
        break;
    default:
        return TD_ERR_INTERNAL;
    }
    w->have_msg = 0;
    return TD_OK;
}

/* The header and flight state the edits build up. */
typedef struct header {
    int64_t delta;      /* sum of the length DELTAs */
    size_t last_length; /* the last length edit, 1-based; 0 = none */
    uint8_t type;
} header;

static td_err apply_one(work *w, const td_edit *e, size_t i, header *h, td_edit_flags *flags)
{
    switch (e->op) {
    case TD_EDIT_SET:
        return apply_set(w, e);
    case TD_EDIT_EXT_DROP:
    case TD_EDIT_EXT_DUP:
    case TD_EDIT_EXT_MOVE:
    case TD_EDIT_EXT_INSERT:
    case TD_EDIT_EXT_SET:
        return apply_ext(w, e);
    case TD_EDIT_BYTES:
    case TD_EDIT_TRUNCATE:
    case TD_EDIT_REPLACE:
        return apply_raw(w, e);
    case TD_EDIT_LENGTH:
        h->delta += e->num;
        h->last_length = i + 1;
        return TD_OK;
    case TD_EDIT_TYPE:
        h->type = (uint8_t)e->type;
        return TD_OK;
    case TD_EDIT_STALE:
        flags->stale = 1;
        return TD_OK;
    case TD_EDIT_SKIP:
        flags->skip = 1;
        return TD_OK;
    case TD_EDIT_REPEAT:
        flags->repeat += (unsigned)e->num;
        return TD_OK;
    case TD_EDIT_INJECT:
        flags->inject[flags->n_inject++] = (uint8_t)i;
        return TD_OK;
    case TD_EDIT_REORDER:
        flags->reorder = 1;
        return TD_OK;
    case TD_EDIT_SPLIT:
        flags->split = (size_t)e->num;
        return TD_OK;
    case TD_EDIT_MERGE:
        flags->merge = 1;
        return TD_OK;
    case TD_EDIT_RECORD:
    case TD_EDIT_PLAIN:
        flags->record[flags->n_record++] = (uint8_t)i;
        return TD_OK;
    default:
        return TD_ERR_INTERNAL;
    }
}

/* Lenient: a `set` whose value has no wire form in this message (an
 * exchange_keys over 255 bytes for ECDHE) is skipped like any edit that
 * does not apply, so it is tried at once and undone. */
static td_err apply_set_now(work *w, const td_edit *e)
{
    td_msg saved = w->msg;
    int had = w->have_msg, dirty = w->dirty;
    td_err err;

    TRY(apply_set(w, e));
    err = need_body(w);
    if (err != TD_OK) {
        w->msg = saved;
        w->have_msg = had;
        w->dirty = dirty;
    }
    return err;
}

static td_err apply_script(const td_edit_script *s, uint8_t msg_type, td_span body,
                           const td_msg_ctx *ctx, uint8_t *out, size_t cap, size_t *out_len,
                           td_edit_flags *flags, int lenient)
{
    static const td_msg_ctx tls13 = {TD_TLS1_3, TD_KX_ECDHE, 0, 0};
    work w;
    header h = {0, 0, msg_type};
    int64_t hdr_len;
    size_t i;
    char *why = flags->why;
    size_t why_cap = sizeof flags->why;

    memset(flags, 0, sizeof *flags);
    *out_len = 0;
    /* the large buffers need no clearing: only bytes written are read */
    w.cur = body;
    w.cur_buf = -1;
    w.msg_buf = -1;
    w.have_msg = w.dirty = 0;
    w.ctx = ctx ? *ctx : tls13;
    w.msg_type = msg_type;
    w.slots = td_edit_slots(msg_type, w.ctx.version, &w.nslots, &w.name);
    if (!w.name) {
        snprintf(w.name_buf, sizeof w.name_buf, "message type %u", msg_type);
        w.name = w.name_buf;
    }
    w.why = why;
    w.why_cap = why_cap;

    ENSURE(s->n <= TD_EDIT_MAX, TD_ERR_SYNTAX);
    for (i = 0; i < s->n; i++) {
        const td_edit *e = &s->e[i];
        char msg[160];
        td_err err;

        w.at = i + 1;
        w.e = e;
        if (td_edit_check(e, msg, sizeof msg) != TD_OK)
            return fail(&w, TD_ERR_SYNTAX, "%s", msg);
        if (lenient && e->op == TD_EDIT_SET)
            err = apply_set_now(&w, e);
        else
            err = apply_one(&w, e, i, &h, flags);
        if (err == TD_OK)
            continue;
        if (!lenient || err == TD_ERR_INTERNAL)
            return err;
        /* lenient: skip it; why keeps the first reason */
        flags->skipped |= 1u << i;
        w.why = NULL;
        if (w.dirty) /* an ext edit over the body's maximum: nothing to undo it with */
            TRY(need_body(&w));
    }

    /* the Handshake header (RFC 8446 4): msg_type, uint24 length */
    w.at = s->n;
    w.e = s->n ? &s->e[s->n - 1] : NULL;
    if (w.dirty) {
        if (!w.e)
            return TD_ERR_INTERNAL;
        TRY(need_body(&w));
    }
    hdr_len = (int64_t)w.cur.len + h.delta;
    if (hdr_len < 0 || hdr_len > 0xffffff) {
        if (h.last_length == 0) {
            snprintf(why, why_cap, "a body of %zu bytes has no uint24 length", w.cur.len);
            return TD_ERR_SYNTAX;
        }
        if (!lenient) {
            w.at = h.last_length;
            w.e = &s->e[h.last_length - 1];
            return fail(&w, TD_ERR_SYNTAX, "header length %lld out of 0..2^24-1",
                        (long long)hdr_len);
        }
        flags->skipped |= 1u << (h.last_length - 1);
        hdr_len = hdr_len < 0 ? 0 : 0xffffff; /* as far as it goes */
    }
    if (cap < TD_HANDSHAKE_HEADER_LEN || w.cur.len > cap - TD_HANDSHAKE_HEADER_LEN) {
        snprintf(why, why_cap, "the message (%zu bytes) does not fit the output (%zu)",
                 w.cur.len + TD_HANDSHAKE_HEADER_LEN, cap);
        return TD_ERR_NOSPACE;
    }
    out[0] = h.type;
    out[1] = (uint8_t)(hdr_len >> 16);
    out[2] = (uint8_t)(hdr_len >> 8);
    out[3] = (uint8_t)hdr_len;
    if (w.cur.len)
        memmove(out + TD_HANDSHAKE_HEADER_LEN, w.cur.p, w.cur.len);
    *out_len = TD_HANDSHAKE_HEADER_LEN + w.cur.len;
    return TD_OK;
}

td_err td_edit_apply(const td_edit_script *s, uint8_t msg_type, td_span body, const td_msg_ctx *ctx,
                     uint8_t *out, size_t cap, size_t *out_len, td_edit_flags *flags)
{
    return apply_script(s, msg_type, body, ctx, out, cap, out_len, flags, 0);
}

td_err td_edit_apply_lenient(const td_edit_script *s, uint8_t msg_type, td_span body,
                             const td_msg_ctx *ctx, uint8_t *out, size_t cap, size_t *out_len,
                             td_edit_flags *flags)
{
    return apply_script(s, msg_type, body, ctx, out, cap, out_len, flags, 1);
}
