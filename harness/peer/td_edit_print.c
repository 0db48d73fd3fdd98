/*
 * Edit scripts: the printer of the text form (td_edit.h, "The printer
 * writes the canonical form"). It walks the same argument lists as the
 * parser (td_edit_ops.h), so td_edit_parse(td_edit_print(s)) gives s.
 */
#include "td_edit.h"

#include "td_edit_ops.h"
#include "td_ext.h"
#include "td_msg.h"
#include "td_names.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define NAMES(k) (1 + (int)(k))

/* ------------------------------------------------------------------------
 * Print
 * ------------------------------------------------------------------------ */
typedef struct pbuf {
    char *buf;
    size_t cap, len;
} pbuf;

static void put(pbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(b->len < b->cap ? b->buf + b->len : NULL, b->len < b->cap ? b->cap - b->len : 0,
                  fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len += (size_t)n;
}

#define RUN_MIN 6 /* runs this long print as XX*N */

/* Bytes p[0..len), then p[len - 1] up to n bytes in all: a record
 * payload's stored form (td_edit.h); n = len for every other HEX. */
typedef struct bytes_view {
    const uint8_t *p;
    size_t len, n;
} bytes_view;

static uint8_t at(const bytes_view *v, size_t i)
{
    return i < v->len ? v->p[i] : v->p[v->len - 1];
}

/* The end of the run of equal bytes that starts at i. */
static size_t run_end(const bytes_view *v, size_t i)
{
    size_t j;

    if (i >= v->len) /* the stored form's last run goes to the end */
        return v->n;
    for (j = i; j < v->n && at(v, j) == at(v, i); j++)
        if (j >= v->len)
            return v->n;
    return j;
}

static void put_view(pbuf *b, const bytes_view *v)
{
    size_t i = 0, j;
    int first = 1;

    if (v->n == 0) {
        put(b, "-");
        return;
    }
    while (i < v->n) {
        j = run_end(v, i);
        if (!first)
            put(b, "+");
        first = 0;
        if (j - i >= RUN_MIN) {
            put(b, "%02x*%zu", at(v, i), j - i);
            i = j;
            continue;
        }
        /* a literal part: up to the next long run */
        for (; i < v->n; i++) {
            if (run_end(v, i) - i >= RUN_MIN)
                break;
            put(b, "%02x", at(v, i));
        }
    }
}

static void put_hex(pbuf *b, const uint8_t *p, size_t n)
{
    bytes_view v = {p, n, n};

    put_view(b, &v);
}

static void put_code(pbuf *b, int names, int64_t v)
{
    const char *n = NULL;

    /* versions: hex, as the RFCs write them */
    if (names && names != NAMES(TD_NAMES_VERSION))
        n = td_name_of((td_names_kind)(names - 1), (uint16_t)v);
    if (n)
        put(b, "%s", n);
    else
        put(b, "0x%04x", (unsigned)v);
}

static void put_value(pbuf *b, const td_edit_field_info *f, const td_edit *e)
{
    size_t i;

    switch (f->kind) {
    case TD_EK_U16:
        put_code(b, f->names, e->num);
        return;
    case TD_EK_U8:
    case TD_EK_U32:
    case TD_EK_BOOL:
        put(b, "%lld", (long long)e->num);
        return;
    case TD_EK_RANDOM:
    case TD_EK_OPAQUE:
        put_hex(b, e->bytes, e->len);
        return;
    case TD_EK_LIST8:
    case TD_EK_LIST16:
        if (e->len == 0) {
            put(b, "-");
            return;
        }
        if (f->kind == TD_EK_LIST16 && e->len % 2) {
            put(b, "hex:");
            put_hex(b, e->bytes, e->len);
            return;
        }
        for (i = 0; i < e->len; i += f->kind == TD_EK_LIST16 ? 2 : 1) {
            if (i)
                put(b, ",");
            if (f->kind == TD_EK_LIST16)
                put_code(b, f->names, (int64_t)(e->bytes[i] << 8 | e->bytes[i + 1]));
            else
                put(b, "%u", e->bytes[i]);
        }
        return;
    }
}

static void put_pos(pbuf *b, int64_t v)
{
    if (v == 0)
        put(b, "first");
    else if (v < 0)
        put(b, "last");
    else
        put(b, "%lld", (long long)v);
}

static void put_edit(pbuf *b, const td_edit *e)
{
    const char *name = td_edit_op_name(e->op);
    unsigned i, a;

    if (!name) {
        put(b, "?%u", e->op);
        return;
    }
    put(b, "%s", name);
    for (i = 0; i < 3 && (a = td_edit_ops[e->op].args[i]) != A_END; i++) {
        const char *n;

        switch (a) {
        case A_FIELD: {
            const td_edit_field_info *f = td_edit_field_about(e->field);
            if (!f) {
                put(b, " ?%u", e->field);
                break;
            }
            put(b, " %s ", f->name);
            put_value(b, f, e);
            break;
        }
        case A_EXT:
            n = td_ext_name(e->type);
            if (n)
                put(b, " %s", n);
            else
                put(b, " 0x%04x", e->type);
            break;
        case A_HS:
            n = td_hs_name((uint8_t)e->type);
            if (n && e->type <= 0xff)
                put(b, " %s", n);
            else
                put(b, " %u", e->type);
            break;
        case A_POS:
            put(b, " ");
            put_pos(b, e->num);
            break;
        case A_AT:
            if (e->num >= 0) {
                put(b, " at ");
                put_pos(b, e->num);
            }
            break;
        case A_HEX:
            put(b, " ");
            put_hex(b, e->bytes, e->len);
            break;
        case A_CT:
            n = td_edit_ct_name(e->type);
            if (n)
                put(b, " %s", n);
            else
                put(b, " 0x%02x", e->type);
            break;
        case A_RECORD: {
            /* td_edit_check makes num >= len, and len >= 1 when num > len */
            bytes_view v = {e->bytes, e->len,
                            e->len && e->num > (int64_t)e->len ? (size_t)e->num : e->len};

            put(b, " ");
            put_view(b, &v);
            break;
        }
        case A_DELTA:
            put(b, " %+lld", (long long)e->num);
            break;
        case A_COUNT:
            if (e->num != 1)
                put(b, " %lld", (long long)e->num);
            break;
        default:
            put(b, " %lld", (long long)e->num);
            break;
        }
    }
}

size_t td_edit_print(const td_edit_script *s, char *buf, size_t cap)
{
    pbuf b = {buf, cap, 0};
    size_t i;

    if (cap)
        buf[0] = '\0';
    for (i = 0; i < s->n && i < TD_EDIT_MAX; i++) {
        if (i)
            put(&b, "; ");
        put_edit(&b, &s->e[i]);
    }
    return b.len;
}
