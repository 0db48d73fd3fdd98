/*
 * Edit scripts: the language (td_edit.h). What a well-formed edit is and
 * the text form's parser. The printer is td_edit_print.c, the binary form
 * (encode, decode) td_edit_binary.c; the schema (fields, message forms,
 * extension types) td_edit_schema.c; applying a script td_edit_apply.c;
 * the fuzz mutator td_edit_mutate.c.
 *
 * td_edit_ops[] lists each edit: its name and arguments, in order. Parse,
 * print, encode, decode and check all walk the same argument list
 * (td_edit_ops.h).
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

/* ------------------------------------------------------------------------
 * Ops and their arguments
 * ------------------------------------------------------------------------ */

const td_edit_op_info td_edit_ops[TD_EDIT_OP_END] = {
    [TD_EDIT_SET] = {"set", {A_FIELD}},
    [TD_EDIT_EXT_DROP] = {"ext drop", {A_EXT}},
    [TD_EDIT_EXT_DUP] = {"ext dup", {A_EXT}},
    [TD_EDIT_EXT_MOVE] = {"ext move", {A_EXT, A_POS}},
    [TD_EDIT_EXT_INSERT] = {"ext insert", {A_EXT, A_HEX, A_AT}},
    [TD_EDIT_EXT_SET] = {"ext set", {A_EXT, A_HEX}},
    [TD_EDIT_BYTES] = {"bytes", {A_U24, A_HEX}},
    [TD_EDIT_TRUNCATE] = {"truncate", {A_U24}},
    [TD_EDIT_LENGTH] = {"length", {A_DELTA}},
    [TD_EDIT_TYPE] = {"type", {A_HS}},
    [TD_EDIT_REPLACE] = {"replace", {A_HEX}},
    [TD_EDIT_STALE] = {"stale", {A_END}},
    [TD_EDIT_SKIP] = {"skip", {A_END}},
    [TD_EDIT_REPEAT] = {"repeat", {A_COUNT}},
    [TD_EDIT_INJECT] = {"inject", {A_HS, A_HEX}},
    [TD_EDIT_REORDER] = {"reorder", {A_END}},
    [TD_EDIT_SPLIT] = {"split", {A_SPLIT}},
    [TD_EDIT_MERGE] = {"merge", {A_END}},
    [TD_EDIT_RECORD] = {"record", {A_CT, A_RECORD}},
    [TD_EDIT_PLAIN] = {"plain", {A_CT, A_RECORD}},
};

/* RFC 8446 5.1 ContentType; heartbeat(24) from RFC 6520 */
static const struct {
    uint8_t ct;
    const char *name;
} ct_names[] = {
    {20, "change_cipher_spec"}, {21, "alert"},     {22, "handshake"},
    {23, "application_data"},   {24, "heartbeat"},
};

const char *td_edit_ct_name(unsigned ct)
{
    size_t i;

    for (i = 0; i < sizeof ct_names / sizeof ct_names[0]; i++)
        if (ct_names[i].ct == ct)
            return ct_names[i].name;
    return NULL;
}

const char *td_edit_op_name(unsigned op)
{
    if (op == 0 || op >= TD_EDIT_OP_END)
        return NULL;
    return td_edit_ops[op].name;
}

static void say(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;

    if (!why || cap == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
}

static int64_t int_max(td_edit_kind k)
{
    switch (k) {
    case TD_EK_U8:
        return 0xff;
    case TD_EK_U16:
        return 0xffff;
    case TD_EK_U32:
        return 0xffffffffLL;
    case TD_EK_BOOL:
        return 1;
    default:
        return -1; /* not an integer kind */
    }
}

static int arg_uses_num(unsigned a)
{
    return a == A_POS || a == A_AT || a == A_U24 || a == A_DELTA || a == A_COUNT || a == A_SPLIT ||
           a == A_RECORD;
}

/* A record payload's one representation (td_edit.h): up to
 * TD_EDIT_BYTES_MAX bytes stored whole (num = len); a longer one stored
 * up to the first byte of its last run (num > TD_EDIT_BYTES_MAX, and the
 * byte before that run differs). */
static int payload_ok(const td_edit *e)
{
    size_t len = e->len;

    if (e->num < (int64_t)len || e->num > TD_EDIT_RECORD_MAX || len > TD_EDIT_BYTES_MAX)
        return 0;
    if (e->num == (int64_t)len)
        return 1;
    return len >= 1 && e->num > TD_EDIT_BYTES_MAX &&
           (len < 2 || e->bytes[len - 2] != e->bytes[len - 1]);
}

size_t td_edit_payload(const td_edit *e, uint8_t *out, size_t cap)
{
    size_t n = e->num > 0 ? (size_t)e->num : 0, i;

    if (n > cap)
        return 0;
    if (e->len)
        memcpy(out, e->bytes, e->len);
    for (i = e->len; i < n; i++)
        out[i] = e->bytes[e->len - 1];
    return n;
}

td_err td_edit_check(const td_edit *e, char *why, size_t cap)
{
    int uses_num = 0, uses_type = 0, uses_bytes = 0, i;
    const char *op = td_edit_op_name(e->op);

    if (!op) {
        say(why, cap, "unknown edit number %u", e->op);
        return TD_ERR_SYNTAX;
    }
    if (e->zero_[0] || e->zero_[1]) {
        say(why, cap, "%s: reserved bytes not zero", op);
        return TD_ERR_SYNTAX;
    }
    for (i = 0; i < 3 && td_edit_ops[e->op].args[i] != A_END; i++) {
        unsigned a = td_edit_ops[e->op].args[i];
        int64_t v = e->num;

        uses_num |= arg_uses_num(a);
        uses_type |= a == A_EXT || a == A_HS || a == A_CT;
        uses_bytes |= a == A_HEX || a == A_RECORD;
        if (a == A_FIELD) {
            const td_edit_field_info *f = td_edit_field_about(e->field);
            int64_t max;

            if (!f) {
                say(why, cap, "set: unknown field number %u", e->field);
                return TD_ERR_SYNTAX;
            }
            max = int_max(f->kind);
            if (max >= 0) {
                uses_num = 1;
                if (v < 0 || v > max) {
                    say(why, cap, "set %s: %lld out of 0..%lld", f->name, (long long)v,
                        (long long)max);
                    return TD_ERR_SYNTAX;
                }
            } else {
                uses_bytes = 1;
                if (f->kind == TD_EK_RANDOM && e->len != TD_RANDOM_LEN) {
                    say(why, cap, "set %s: %u bytes, not %u", f->name, e->len, TD_RANDOM_LEN);
                    return TD_ERR_SYNTAX;
                }
                if (e->len > f->max) {
                    say(why, cap, "set %s: %u bytes, over its maximum %zu", f->name, e->len,
                        f->max);
                    return TD_ERR_SYNTAX;
                }
            }
        }
        if (a == A_RECORD && !payload_ok(e)) {
            say(why, cap, "%s: a payload of %lld bytes stored as %u is not its one form", op,
                (long long)v, e->len);
            return TD_ERR_SYNTAX;
        }
        if (((a == A_HS || a == A_CT) && e->type > 0xff) ||
            ((a == A_POS || a == A_AT) && (v < -1 || v > 0xfffe)) ||
            (a == A_U24 && (v < 0 || v > U24_MAX)) ||
            (a == A_DELTA && (v < -U24_MAX || v > U24_MAX)) ||
            (a == A_COUNT && (v < 1 || v > 0xff)) || (a == A_SPLIT && (v < 1 || v > SPLIT_MAX))) {
            say(why, cap, "%s: %lld out of range", op, (long long)(a == A_HS ? e->type : v));
            return TD_ERR_SYNTAX;
        }
    }
    if (e->len > TD_EDIT_BYTES_MAX) {
        say(why, cap, "%s: %u bytes, over %u", op, e->len, TD_EDIT_BYTES_MAX);
        return TD_ERR_SYNTAX;
    }
    /* what the op does not use is zero: one edit, one representation */
    if ((!uses_num && e->num) || (!uses_type && e->type) || (!uses_bytes && e->len) ||
        (e->op != TD_EDIT_SET && e->field)) {
        say(why, cap, "%s: a member it does not use is set", op);
        return TD_ERR_SYNTAX;
    }
    return TD_OK;
}

int td_edit_script_eq(const td_edit_script *a, const td_edit_script *b)
{
    size_t i;

    if (a->n != b->n)
        return 0;
    for (i = 0; i < a->n && i < TD_EDIT_MAX; i++) {
        const td_edit *x = &a->e[i], *y = &b->e[i];
        size_t len = x->len < TD_EDIT_BYTES_MAX ? x->len : TD_EDIT_BYTES_MAX;

        if (x->op != y->op || x->field != y->field || x->type != y->type || x->num != y->num ||
            x->len != y->len || memcmp(x->bytes, y->bytes, len) != 0)
            return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------------
 * Text: tokens and values
 * ------------------------------------------------------------------------ */
typedef struct tok {
    const char *p;
    size_t n;
} tok;

static int tok_is(tok t, const char *s)
{
    return t.n == strlen(s) && memcmp(t.p, s, t.n) == 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* decimal or 0x hex, optionally signed; no more than 2^40 */
static int parse_int(tok t, int signed_ok, int64_t *out)
{
    int64_t v = 0;
    int neg = 0;
    size_t i = 0;

    if (signed_ok && t.n > 0 && (t.p[0] == '+' || t.p[0] == '-')) {
        neg = t.p[0] == '-';
        i = 1;
    }
    if (i == t.n)
        return 0;
    if (t.n - i > 2 && t.p[i] == '0' && (t.p[i + 1] == 'x' || t.p[i + 1] == 'X')) {
        for (i += 2; i < t.n; i++) {
            int h = hexval(t.p[i]);
            if (h < 0 || v > (1LL << 40))
                return 0;
            v = v * 16 + h;
        }
    } else {
        for (; i < t.n; i++) {
            if (t.p[i] < '0' || t.p[i] > '9' || v > (1LL << 40))
                return 0;
            v = v * 10 + (t.p[i] - '0');
        }
    }
    *out = neg ? -v : v;
    return 1;
}

/* An integer, or a registry name (names = 1 + td_names_kind). */
static int parse_code(tok t, int names, int64_t *out)
{
    char buf[64];
    uint16_t code;

    if (parse_int(t, 0, out))
        return 1;
    if (!names || t.n >= sizeof buf)
        return 0;
    memcpy(buf, t.p, t.n);
    buf[t.n] = '\0';
    if (td_name_parse((td_names_kind)(names - 1), buf, &code) != TD_OK)
        return 0;
    *out = code;
    return 1;
}

static int parse_ext_type(tok t, uint16_t *out)
{
    const uint16_t *known;
    int64_t v;
    size_t i, nknown;

    if (parse_int(t, 0, &v)) {
        if (v > 0xffff)
            return 0;
        *out = (uint16_t)v;
        return 1;
    }
    known = td_edit_ext_types(&nknown);
    for (i = 0; i < nknown; i++) {
        const char *n = td_ext_name(known[i]);
        if (n && tok_is(t, n)) {
            *out = known[i];
            return 1;
        }
    }
    return 0;
}

static int parse_hs_type(tok t, uint16_t *out)
{
    int64_t v;
    unsigned i;

    if (parse_int(t, 0, &v)) {
        if (v > 0xff)
            return 0;
        *out = (uint16_t)v;
        return 1;
    }
    for (i = 0; i <= 0xff; i++) {
        const char *n = td_hs_name((uint8_t)i);
        if (n && tok_is(t, n)) {
            *out = (uint16_t)i;
            return 1;
        }
    }
    return 0;
}

static int parse_pos(tok t, int64_t *out)
{
    if (tok_is(t, "first")) {
        *out = 0;
        return 1;
    }
    if (tok_is(t, "last")) {
        *out = -1;
        return 1;
    }
    return parse_int(t, 0, out) && *out <= 0xfffe;
}

/* HEX := '-' | PART {'+' PART}; PART := hexdigits ['*' COUNT].
 * 0 on a syntax error, -1 when longer than cap bytes. */
static int parse_hex_cap(tok t, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = 0, i = 0;

    if (tok_is(t, "-")) {
        *len = 0;
        return 1;
    }
    for (;;) {
        size_t start = n, digits = 0;

        for (; i < t.n && hexval(t.p[i]) >= 0; i++, digits++) {
            if (digits % 2 == 0) {
                if (n == cap)
                    return -1;
                out[n] = 0;
            }
            out[n] = (uint8_t)(out[n] << 4 | hexval(t.p[i]));
            if (digits % 2 == 1)
                n++;
        }
        if (digits == 0 || digits % 2)
            return 0;
        if (i < t.n && t.p[i] == '*') {
            size_t k = ++i, part = n - start, c;
            int64_t count;

            while (i < t.n && t.p[i] != '+')
                i++;
            if (!parse_int((tok){t.p + k, i - k}, 0, &count) || count < 1)
                return 0;
            if (count > (int64_t)cap || start + part * (size_t)count > cap)
                return -1;
            for (c = 1; c < (size_t)count; c++)
                memcpy(out + start + part * c, out + start, part);
            n = start + part * (size_t)count;
        }
        if (i == t.n)
            break;
        if (t.p[i] != '+' || i + 1 == t.n)
            return 0;
        i++;
    }
    *len = n;
    return 1;
}

static int parse_hex(tok t, uint8_t *out, uint16_t *len)
{
    size_t n;
    int r = parse_hex_cap(t, out, TD_EDIT_BYTES_MAX, &n);

    if (r > 0)
        *len = (uint16_t)n;
    return r;
}

/* A record payload (HEX, up to TD_EDIT_RECORD_MAX bytes) into its stored
 * form (payload_ok); -1 when too long for it. */
static int parse_payload(tok t, td_edit *e)
{
    uint8_t buf[TD_EDIT_RECORD_MAX];
    size_t n, run;
    int r = parse_hex_cap(t, buf, sizeof buf, &n);

    if (r <= 0)
        return r;
    run = n;
    if (n > TD_EDIT_BYTES_MAX)
        for (run = n - 1; run > 0 && buf[run - 1] == buf[n - 1]; run--)
            ;
    if (n > TD_EDIT_BYTES_MAX)
        run++; /* keep the first byte of the last run */
    if (run > TD_EDIT_BYTES_MAX)
        return -1;
    memcpy(e->bytes, buf, run);
    e->len = (uint16_t)run;
    e->num = (int64_t)n;
    return 1;
}

/* A ContentType: INT (0..255) or a td_edit_ct_name. */
static int parse_ct(tok t, uint16_t *out)
{
    int64_t v;
    unsigned i;

    if (parse_int(t, 0, &v)) {
        if (v > 0xff)
            return 0;
        *out = (uint16_t)v;
        return 1;
    }
    for (i = 0; i <= 0xff; i++) {
        const char *n = td_edit_ct_name(i);
        if (n && tok_is(t, n)) {
            *out = (uint16_t)i;
            return 1;
        }
    }
    return 0;
}

/* A `set` value of field f into e. */
static int parse_value(tok t, const td_edit_field_info *f, td_edit *e)
{
    size_t i, start;
    int r;

    if (int_max(f->kind) >= 0)
        return parse_code(t, f->names, &e->num);
    if (f->kind == TD_EK_OPAQUE || f->kind == TD_EK_RANDOM)
        return parse_hex(t, e->bytes, &e->len);
    if (t.n > 4 && memcmp(t.p, "hex:", 4) == 0)
        return parse_hex((tok){t.p + 4, t.n - 4}, e->bytes, &e->len);
    if (tok_is(t, "-")) {
        e->len = 0;
        return 1;
    }
    /* ITEM {',' ITEM} */
    for (i = 0, start = 0; i <= t.n; i++) {
        int64_t v;
        size_t w = f->kind == TD_EK_LIST16 ? 2 : 1;

        if (i < t.n && t.p[i] != ',')
            continue;
        r = parse_code((tok){t.p + start, i - start}, f->names, &v);
        if (!r || v > (w == 2 ? 0xffff : 0xff))
            return 0;
        if (e->len + w > TD_EDIT_BYTES_MAX)
            return -1;
        if (w == 2)
            e->bytes[e->len++] = (uint8_t)(v >> 8);
        e->bytes[e->len++] = (uint8_t)v;
        start = i + 1;
    }
    return 1;
}

/* ------------------------------------------------------------------------
 * Parse
 * ------------------------------------------------------------------------ */
#define MAX_TOKS 8

static const char *arg_what(unsigned a)
{
    switch (a) {
    case A_FIELD:
        return "field";
    case A_EXT:
        return "extension type";
    case A_HS:
        return "handshake type";
    case A_CT:
        return "content type";
    case A_RECORD:
        return "payload";
    case A_POS:
        return "position";
    case A_HEX:
        return "hex bytes";
    default:
        return "number";
    }
}

/* One statement (tokens t[0..n)) into e. */
static td_err parse_edit(const tok *t, size_t n, td_edit *e, char *why, size_t cap)
{
    size_t k, i;
    unsigned op = 0, a;

    memset(e, 0, sizeof *e);
    if (tok_is(t[0], "ext")) {
        if (n < 2) {
            say(why, cap, "ext: missing drop, dup, move, insert or set");
            return TD_ERR_SYNTAX;
        }
        for (i = 1; i < TD_EDIT_OP_END; i++)
            if (strncmp(td_edit_ops[i].name, "ext ", 4) == 0 &&
                tok_is(t[1], td_edit_ops[i].name + 4))
                op = (unsigned)i;
        k = 2;
    } else {
        for (i = 1; i < TD_EDIT_OP_END; i++)
            if (strncmp(td_edit_ops[i].name, "ext ", 4) != 0 && tok_is(t[0], td_edit_ops[i].name))
                op = (unsigned)i;
        k = 1;
    }
    if (!op) {
        say(why, cap, "unknown edit '%.*s'", (int)t[k - 1].n, t[k - 1].p);
        return TD_ERR_SYNTAX;
    }
    e->op = (uint8_t)op;
    for (i = 0; i < 3 && (a = td_edit_ops[op].args[i]) != A_END; i++) {
        int r = 1;

        if (a == A_AT) {
            e->num = -1; /* default: last */
            if (k == n)
                break;
            if (!tok_is(t[k], "at")) {
                say(why, cap, "%s: unexpected '%.*s' (at POS?)", td_edit_ops[op].name, (int)t[k].n,
                    t[k].p);
                return TD_ERR_SYNTAX;
            }
            k++;
            a = A_POS;
        }
        if (a == A_COUNT && k == n) {
            e->num = 1; /* default: one more copy */
            break;
        }
        if (k == n) {
            say(why, cap, "%s: missing %s", td_edit_ops[op].name, arg_what(a));
            return TD_ERR_SYNTAX;
        }
        switch (a) {
        case A_FIELD: {
            const td_edit_field_info *f = NULL;
            unsigned fi;

            for (fi = 1; fi < TD_EF_END; fi++)
                if (tok_is(t[k], td_edit_field_about(fi)->name)) {
                    f = td_edit_field_about(fi);
                    e->field = (uint8_t)fi;
                }
            if (!f) {
                say(why, cap, "unknown field '%.*s'", (int)t[k].n, t[k].p);
                return TD_ERR_SYNTAX;
            }
            if (++k == n) {
                say(why, cap, "set %s: missing value", f->name);
                return TD_ERR_SYNTAX;
            }
            r = parse_value(t[k], f, e);
            if (r <= 0) {
                say(why, cap, "set %s: %s '%.*s'", f->name,
                    r < 0 ? "value over 512 bytes" : "bad value", (int)t[k].n, t[k].p);
                return r < 0 ? TD_ERR_NOSPACE : TD_ERR_SYNTAX;
            }
            break;
        }
        case A_EXT:
            r = parse_ext_type(t[k], &e->type);
            break;
        case A_HS:
            r = parse_hs_type(t[k], &e->type);
            break;
        case A_POS:
            r = parse_pos(t[k], &e->num);
            break;
        case A_HEX:
            r = parse_hex(t[k], e->bytes, &e->len);
            break;
        case A_CT:
            r = parse_ct(t[k], &e->type);
            break;
        case A_RECORD:
            r = parse_payload(t[k], e);
            break;
        case A_DELTA:
            r = parse_int(t[k], 1, &e->num);
            break;
        default:
            r = parse_int(t[k], 0, &e->num);
            break;
        }
        if (r <= 0) {
            say(why, cap, "%s: %s %s '%.*s'", td_edit_ops[op].name,
                r == 0          ? "bad"
                : a == A_RECORD ? "over 32768 bytes, or over 512 before its last run:"
                                : "over 512 bytes:",
                arg_what(a), (int)t[k].n, t[k].p);
            return r < 0 ? TD_ERR_NOSPACE : TD_ERR_SYNTAX;
        }
        k++;
    }
    if (k < n) {
        say(why, cap, "%s: unexpected '%.*s'", td_edit_ops[op].name, (int)t[k].n, t[k].p);
        return TD_ERR_SYNTAX;
    }
    return td_edit_check(e, why, cap);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

td_err td_edit_parse(const char *text, td_edit_script *out, char *why, size_t cap)
{
    const char *p = text;
    td_err err = TD_OK;

    memset(out, 0, sizeof *out);
    if (why && cap)
        why[0] = '\0';
    while (*p && err == TD_OK) {
        tok t[MAX_TOKS];
        size_t n = 0;
        char msg[200];

        /* one statement: up to ';', newline or a comment */
        while (*p && *p != ';' && *p != '\n' && *p != '#') {
            if (is_space(*p)) {
                p++;
                continue;
            }
            if (n == MAX_TOKS) {
                say(why, cap, "edit %zu: too many words", out->n + 1);
                err = TD_ERR_SYNTAX;
                break;
            }
            t[n].p = p;
            while (*p && !is_space(*p) && *p != ';' && *p != '\n' && *p != '#')
                p++;
            t[n].n = (size_t)(p - t[n].p);
            n++;
        }
        if (err != TD_OK)
            break;
        if (*p == '#')
            while (*p && *p != '\n')
                p++;
        if (*p)
            p++;
        if (n == 0)
            continue;
        if (out->n == TD_EDIT_MAX) {
            say(why, cap, "edit %zu: more than %u edits", out->n + 1, TD_EDIT_MAX);
            err = TD_ERR_NOSPACE;
            break;
        }
        msg[0] = '\0';
        err = parse_edit(t, n, &out->e[out->n], msg, sizeof msg);
        if (err != TD_OK)
            say(why, cap, "edit %zu: %s", out->n + 1, msg);
        else
            out->n++;
    }
    if (err != TD_OK)
        memset(out, 0, sizeof *out);
    return err;
}
