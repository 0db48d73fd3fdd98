/*
 * Conformance cases: the reader of vectors/conformance/ *.cases files
 * (format: td_conform.h).
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r, strdup */
#include "td_conform.h"

#include "td_msg.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *name; /* the file's base name */
    size_t line;
    char *why;
    size_t cap;
} reader;

static td_err fail(const reader *r, const char *what, const char *arg)
{
    snprintf(r->why, r->cap, "%s:%zu: %s%s%s", r->name, r->line, what, arg ? ": " : "",
             arg ? arg : "");
    return TD_ERR_SYNTAX;
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int copy(char *dst, size_t cap, const char *src)
{
    return (size_t)snprintf(dst, cap, "%s", src) < cap;
}

static int valid_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
            return 0;
    return 1;
}

/* "RFC 8446 4.1.2 ..." -> "RFC 8446 4.1": the RFC and at most two levels
 * of the section. */
static int section_of(const char *rfc, char *out, size_t cap)
{
    unsigned num;
    int used = 0;
    const char *p;
    size_t dots = 0, n;

    if (sscanf(rfc, "RFC %u %n", &num, &used) != 1 || used == 0 ||
        !isalnum((unsigned char)rfc[used]))
        return 0;
    p = rfc + used;
    for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '.'; n++)
        if (p[n] == '.' && ++dots == 2)
            break;
    while (n > 0 && p[n - 1] == '.')
        n--;
    return snprintf(out, cap, "RFC %u %.*s", num, (int)n, p) < (int)cap;
}

static int hs_type(const char *name, uint8_t *type)
{
    unsigned i;
    char *end;
    unsigned long v;

    for (i = 0; i < 256; i++) {
        const char *n = td_hs_name((uint8_t)i);

        if (n && strcmp(n, name) == 0) {
            *type = (uint8_t)i;
            return 1;
        }
    }
    v = strtoul(name, &end, 0);
    if (end == name || *end || v > 255)
        return 0;
    *type = (uint8_t)v;
    return 1;
}

static int alert_code(const char *name, uint8_t *code)
{
    unsigned i;

    for (i = 0; i < 256; i++)
        if (strcmp(td_err_name((td_err)i), name) == 0) {
            *code = (uint8_t)i;
            return 1;
        }
    return 0;
}

/* "accept | alert(decode_error) | closed" */
static td_err parse_expect(const reader *r, td_case *c, char *val)
{
    char *save = NULL, *tok;

    c->n_expect = 0;
    for (tok = strtok_r(val, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        char *t = trim(tok), name[64];
        td_expect *x;
        size_t n;

        if (c->n_expect == TD_CASE_MAX_EXPECT)
            return fail(r, "too many alternatives in expect", NULL);
        x = &c->expect[c->n_expect++];
        n = strlen(t);
        if (strcmp(t, "accept") == 0) {
            x->kind = TD_EXPECT_ACCEPT;
        } else if (strcmp(t, "closed") == 0) {
            x->kind = TD_EXPECT_CLOSED;
        } else if (n > 7 && strncmp(t, "alert(", 6) == 0 && t[n - 1] == ')' &&
                   n - 7 < sizeof name) {
            memcpy(name, t + 6, n - 7);
            name[n - 7] = '\0';
            x->kind = TD_EXPECT_ALERT;
            if (!alert_code(trim(name), &x->alert))
                return fail(r, "unknown alert", name);
        } else {
            return fail(r, "expect is accept, alert(NAME) or closed, with '|' between", t);
        }
    }
    return c->n_expect ? TD_OK : fail(r, "empty expect", NULL);
}

static td_err parse_message(const reader *r, td_case *c, char *val)
{
    char *hash = strchr(val, '#');

    c->occurrence = 0;
    if (hash) {
        char *end;
        unsigned long n = strtoul(hash + 1, &end, 10);

        if (end == hash + 1 || *end || n < 1 || n > 16)
            return fail(r, "message#N takes N from 1 to 16", val);
        c->occurrence = (unsigned)n - 1;
        *hash = '\0';
    }
    if (!hs_type(trim(val), &c->msg_type))
        return fail(r, "unknown handshake message", val);
    return TD_OK;
}

static td_err set_key(const reader *r, td_case *c, const char *key, char *val)
{
    if (strcmp(key, "rfc") == 0) {
        if (!copy(c->rfc, sizeof c->rfc, val) || !section_of(val, c->section, sizeof c->section))
            return fail(r, "rfc is 'RFC N SECTION'", val);
    } else if (strcmp(key, "quote") == 0) {
        if (!copy(c->quote, sizeof c->quote, val))
            return fail(r, "quote too long", NULL);
    } else if (strcmp(key, "profile") == 0) {
        if (!copy(c->profile, sizeof c->profile, val))
            return fail(r, "profile name too long", val);
    } else if (strcmp(key, "with") == 0) {
        size_t have = strlen(c->with);

        if (!strchr(val, '='))
            return fail(r, "with takes a profile line, KEY = VALUE", val);
        if ((size_t)snprintf(c->with + have, sizeof c->with - have, "%s%s", have ? "\n" : "",
                             val) >= sizeof c->with - have)
            return fail(r, "with lines too long", NULL);
    } else if (strcmp(key, "subject") == 0) {
        if (strcmp(val, "client") == 0)
            c->subject_role = TD_ROLE_CLIENT;
        else if (strcmp(val, "server") == 0)
            c->subject_role = TD_ROLE_SERVER;
        else
            return fail(r, "subject is client or server", val);
    } else if (strcmp(key, "message") == 0) {
        return parse_message(r, c, val);
    } else if (strcmp(key, "connection") == 0) {
        if (strcmp(val, "first") == 0)
            c->connection = 0;
        else if (strcmp(val, "resumed") == 0)
            c->connection = 1;
        else
            return fail(r, "connection is first or resumed", val);
    } else if (strcmp(key, "edit") == 0) {
        size_t have = strlen(c->edit);

        if ((size_t)snprintf(c->edit + have, sizeof c->edit - have, "%s%s", have ? "\n" : "",
                             val) >= sizeof c->edit - have)
            return fail(r, "edit script too long", NULL);
    } else if (strcmp(key, "expect") == 0) {
        return parse_expect(r, c, val);
    } else {
        return fail(r, "unknown key", key);
    }
    return TD_OK;
}

/* Every key a case needs, checked when its block ends. */
static td_err finish_case(const reader *r, const td_case *c, const unsigned seen)
{
    static const char *const need[] = {"rfc", "quote", "profile", "subject", "message", "expect"};
    size_t i;

    for (i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!(seen & (1u << i))) {
            reader at = *r;

            at.line = c->line;
            return fail(&at, "case without", need[i]);
        }
    return TD_OK;
}

static unsigned key_bit(const char *key)
{
    static const char *const keys[] = {"rfc", "quote", "profile", "subject", "message", "expect"};
    size_t i;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i], key) == 0)
            return 1u << i;
    return 0;
}

static td_err grow(td_cases *cs)
{
    td_case *n;
    size_t cap = cs->cap ? cs->cap * 2 : 64;

    if (cs->n < cs->cap)
        return TD_OK;
    n = realloc(cs->c, cap * sizeof *n);
    ENSURE(n, TD_ERR_NOSPACE);
    cs->c = n;
    cs->cap = cap;
    return TD_OK;
}

static td_err check_unique(const reader *r, const td_cases *cs, const char *id)
{
    size_t i;

    for (i = 0; i < cs->n; i++)
        if (strcmp(cs->c[i].id, id) == 0) {
            char where[160];

            snprintf(where, sizeof where, "%s (first at %s:%zu)", id, cs->c[i].file,
                     cs->c[i].line);
            return fail(r, "duplicate case id", where);
        }
    return TD_OK;
}

static td_err read_lines(td_cases *cs, FILE *f, reader *r)
{
    char buf[4096];
    td_case *c = NULL;
    unsigned seen = 0;

    while (fgets(buf, sizeof buf, f)) {
        char *line = trim(buf), *val;

        r->line++;
        if (strlen(buf) == sizeof buf - 1)
            return fail(r, "line too long", NULL);
        if (!*line || *line == '#')
            continue;
        val = line + strcspn(line, " \t");
        if (*val)
            *val++ = '\0';
        val = trim(val);
        if (strcmp(line, "case") == 0) {
            if (c)
                TRY(finish_case(r, c, seen));
            if (!valid_id(val))
                return fail(r, "a case id is letters, digits and . _ -", val);
            TRY(check_unique(r, cs, val));
            if (grow(cs) != TD_OK)
                return fail(r, "out of memory", NULL);
            c = &cs->c[cs->n++];
            memset(c, 0, sizeof *c);
            copy(c->id, sizeof c->id, val);
            copy(c->file, sizeof c->file, r->name);
            c->line = r->line;
            seen = 0;
            continue;
        }
        if (!c)
            return fail(r, "expected 'case ID' first", line);
        if (!*val)
            return fail(r, "key without a value", line);
        TRY(set_key(r, c, line, val));
        seen |= key_bit(line);
    }
    return c ? finish_case(r, c, seen) : TD_OK;
}

td_err td_cases_load_file(td_cases *cs, const char *path, char *why, size_t cap)
{
    const char *base = strrchr(path, '/');
    reader r = {base ? base + 1 : path, 0, why, cap};
    FILE *f = fopen(path, "r");
    td_err e;

    if (!f) {
        snprintf(why, cap, "%s: %s", path, strerror(errno));
        return TD_ERR_IO;
    }
    e = read_lines(cs, f, &r);
    fclose(f);
    return e;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

td_err td_cases_load_dir(td_cases *cs, const char *dir, char *why, size_t cap)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char *names[256];
    size_t n = 0, i;
    td_err e = TD_OK;

    if (!d) {
        snprintf(why, cap, "%s: %s", dir, strerror(errno));
        return TD_ERR_IO;
    }
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);

        if (len > 6 && strcmp(ent->d_name + len - 6, ".cases") == 0 && n < 256)
            names[n++] = strdup(ent->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (i = 0; i < n; i++) {
        char path[4096];

        if (e == TD_OK && names[i]) {
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            e = td_cases_load_file(cs, path, why, cap);
        } else if (e == TD_OK) {
            snprintf(why, cap, "%s: out of memory", dir);
            e = TD_ERR_NOSPACE;
        }
        free(names[i]);
    }
    if (e == TD_OK && cs->n == 0) {
        snprintf(why, cap, "%s: no cases (*.cases files)", dir);
        e = TD_ERR_NOT_FOUND;
    }
    return e;
}

void td_cases_free(td_cases *cs)
{
    free(cs->c);
    memset(cs, 0, sizeof *cs);
}

void td_case_expect_text(const td_case *c, char *buf, size_t cap)
{
    size_t i, used = 0;

    buf[0] = '\0';
    for (i = 0; i < c->n_expect && used < cap; i++) {
        const td_expect *x = &c->expect[i];
        const char *sep = i ? " | " : "";
        int n;

        if (x->kind == TD_EXPECT_ACCEPT)
            n = snprintf(buf + used, cap - used, "%saccept", sep);
        else if (x->kind == TD_EXPECT_CLOSED)
            n = snprintf(buf + used, cap - used, "%sclosed", sep);
        else
            n = snprintf(buf + used, cap - used, "%salert(%s)", sep,
                         td_err_name((td_err)x->alert));
        if (n < 0)
            return;
        used += (size_t)n;
    }
}
