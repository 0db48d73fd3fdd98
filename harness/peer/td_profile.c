#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "td_profile.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_names.h"

#define PROFILE_FILE_MAX 16384

const char *td_role_name(td_role r) { return r == TD_ROLE_CLIENT ? "client" : "server"; }

void td_profile_defaults(td_profile *p, const char *name)
{
    int r;

    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name ? name : "unnamed");
    for (r = 0; r < 2; r++) {
        p->side[r].min_version = 0x0303;
        p->side[r].max_version = 0x0304;
    }
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

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static td_err parse_version(const char *s, uint16_t *v)
{
    static const struct { const char *name; uint16_t v; } t[] = {
        {"ssl3", 0x0300}, {"1.0", 0x0301}, {"1.1", 0x0302}, {"1.2", 0x0303}, {"1.3", 0x0304},
    };
    size_t i;

    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(s, t[i].name) == 0) {
            *v = t[i].v;
            return TD_OK;
        }
    return td_name_parse(TD_NAMES_VERSION, s, v);
}

static td_err parse_versions(char *val, td_side *side, char *why, size_t cap)
{
    char *dash = strchr(val, '-');
    uint16_t lo, hi;

    if (dash)
        *dash = '\0';
    if (parse_version(trim(val), &lo) != TD_OK ||
        parse_version(dash ? trim(dash + 1) : trim(val), &hi) != TD_OK) {
        say(why, cap, "unknown version in '%s' (use ssl3, 1.0, 1.1, 1.2, 1.3 or a range 1.2-1.3)", val);
        return TD_ERR_SYNTAX;
    }
    if (lo > hi) {
        say(why, cap, "version range is backwards");
        return TD_ERR_SYNTAX;
    }
    side->min_version = lo;
    side->max_version = hi;
    return TD_OK;
}

static td_err parse_list(char *val, td_names_kind kind, td_code_list *out, char *why, size_t cap)
{
    char *save = NULL, *tok;

    out->n = 0;
    for (tok = strtok_r(val, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *name = trim(tok);
        if (!*name)
            continue;
        if (out->n == TD_PROFILE_MAX_LIST) {
            say(why, cap, "more than %d entries", TD_PROFILE_MAX_LIST);
            return TD_ERR_NOSPACE;
        }
        if (td_name_parse(kind, name, &out->v[out->n]) != TD_OK) {
            say(why, cap, "unknown name '%s'", name);
            return TD_ERR_NOT_FOUND;
        }
        out->n++;
    }
    return TD_OK;
}

static td_err parse_bool(const char *val, bool *b, char *why, size_t cap)
{
    if (strcmp(val, "on") == 0 || strcmp(val, "yes") == 0 || strcmp(val, "true") == 0)
        *b = true;
    else if (strcmp(val, "off") == 0 || strcmp(val, "no") == 0 || strcmp(val, "false") == 0)
        *b = false;
    else {
        say(why, cap, "expected on or off, got '%s'", val);
        return TD_ERR_SYNTAX;
    }
    return TD_OK;
}

static td_err copy_str(char *dst, size_t cap, const char *val, char *why, size_t wcap)
{
    if (strlen(val) >= cap) {
        say(why, wcap, "value longer than %zu characters", cap - 1);
        return TD_ERR_NOSPACE;
    }
    memcpy(dst, val, strlen(val) + 1);
    return TD_OK;
}

/* A key that applies per side; val is scratch (may be modified). */
static td_err set_side_key(td_side *s, const char *key, char *val, char *why, size_t cap)
{
    if (strcmp(key, "versions") == 0)
        return parse_versions(val, s, why, cap);
    if (strcmp(key, "suites") == 0)
        return parse_list(val, TD_NAMES_SUITE, &s->suites, why, cap);
    if (strcmp(key, "groups") == 0)
        return parse_list(val, TD_NAMES_GROUP, &s->groups, why, cap);
    if (strcmp(key, "sigalgs") == 0)
        return parse_list(val, TD_NAMES_SIGSCHEME, &s->sigalgs, why, cap);
    if (strcmp(key, "key_shares") == 0) {
        s->key_shares_set = true;
        return parse_list(val, TD_NAMES_GROUP, &s->key_shares, why, cap);
    }
    if (strcmp(key, "chain") == 0)
        return copy_str(s->chain, sizeof s->chain, val, why, cap);
    if (strcmp(key, "key") == 0)
        return copy_str(s->key, sizeof s->key, val, why, cap);
    if (strcmp(key, "trust") == 0)
        return copy_str(s->trust, sizeof s->trust, val, why, cap);
    say(why, cap, "unknown key '%s'", key);
    return TD_ERR_NOT_FOUND;
}

static td_err set_global_key(td_profile *p, const char *key, char *val, char *why, size_t cap)
{
    if (strcmp(key, "summary") == 0)
        return copy_str(p->summary, sizeof p->summary, val, why, cap);
    if (strcmp(key, "tickets") == 0)
        return parse_bool(val, &p->tickets, why, cap);
    if (strcmp(key, "hrr_cookie") == 0)
        return parse_bool(val, &p->hrr_cookie, why, cap);
    if (strcmp(key, "sni") == 0)
        return copy_str(p->sni, sizeof p->sni, val, why, cap);
    if (strcmp(key, "alpn") == 0)
        return copy_str(p->alpn, sizeof p->alpn, val, why, cap);
    if (strcmp(key, "expect_alert") == 0) {
        int d;
        for (d = 1; d < 256; d++)
            if (strcmp(td_err_name(d), val) == 0) {
                p->expect_alert = (uint8_t)d;
                return TD_OK;
            }
        say(why, cap, "unknown alert '%s'", val);
        return TD_ERR_SYNTAX;
    }
    if (strcmp(key, "client_auth") == 0) {
        if (strcmp(val, "none") == 0)
            p->client_auth = TD_CLIENT_AUTH_NONE;
        else if (strcmp(val, "request") == 0)
            p->client_auth = TD_CLIENT_AUTH_REQUEST;
        else if (strcmp(val, "require") == 0)
            p->client_auth = TD_CLIENT_AUTH_REQUIRE;
        else {
            say(why, cap, "client_auth is none, request or require, not '%s'", val);
            return TD_ERR_SYNTAX;
        }
        return TD_OK;
    }
    if (strcmp(key, "resume") == 0) {
        if (strcmp(val, "none") == 0)
            p->resume = TD_RESUME_NONE;
        else if (strcmp(val, "session_id") == 0)
            p->resume = TD_RESUME_SESSION_ID;
        else if (strcmp(val, "ticket") == 0)
            p->resume = TD_RESUME_TICKET;
        else {
            say(why, cap, "resume is none, session_id or ticket, not '%s'", val);
            return TD_ERR_SYNTAX;
        }
        return TD_OK;
    }
    return TD_ERR_NOT_FOUND;
}

static td_err parse_line(td_profile *p, char *line, char *why, size_t cap)
{
    char *eq = strchr(line, '='), *key, *val, scratch[1024];
    td_err e;
    int r;

    if (!eq) {
        say(why, cap, "expected 'key = value'");
        return TD_ERR_SYNTAX;
    }
    *eq = '\0';
    key = trim(line);
    val = trim(eq + 1);
    if (strlen(val) >= sizeof scratch) {
        say(why, cap, "value too long");
        return TD_ERR_NOSPACE;
    }
    if (strncmp(key, "client.", 7) == 0)
        return set_side_key(&p->side[TD_ROLE_CLIENT], key + 7, val, why, cap);
    if (strncmp(key, "server.", 7) == 0)
        return set_side_key(&p->side[TD_ROLE_SERVER], key + 7, val, why, cap);
    e = set_global_key(p, key, val, why, cap);
    if (e != TD_ERR_NOT_FOUND)
        return e;
    for (r = 0; r < 2; r++) {
        memcpy(scratch, val, strlen(val) + 1); /* strtok_r consumes it */
        TRY(set_side_key(&p->side[r], key, scratch, why, cap));
    }
    return TD_OK;
}

td_err td_profile_parse(td_profile *p, const char *name, const char *text, size_t *line,
                        char *why, size_t why_cap)
{
    char buf[1200];
    size_t lineno = 0;

    td_profile_defaults(p, name);
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        char *l;
        td_err e;

        lineno++;
        if (len >= sizeof buf) {
            if (line)
                *line = lineno;
            say(why, why_cap, "line longer than %zu characters", sizeof buf - 1);
            return TD_ERR_SYNTAX;
        }
        memcpy(buf, text, len);
        buf[len] = '\0';
        text += nl ? len + 1 : len;
        l = strchr(buf, '#');
        if (l)
            *l = '\0';
        l = trim(buf);
        if (!*l)
            continue;
        e = parse_line(p, l, why, why_cap);
        if (e != TD_OK) {
            if (line)
                *line = lineno;
            return e;
        }
    }
    return TD_OK;
}

const char *td_vectors_dir(void)
{
    const char *env = getenv("TLSDIFF_VECTORS");
    return env && *env ? env : TD_SOURCE_DIR "/vectors";
}

td_err td_vectors_path(const char *rel, char *out, size_t cap)
{
    int n = rel[0] == '/' ? snprintf(out, cap, "%s", rel)
                          : snprintf(out, cap, "%s/%s", td_vectors_dir(), rel);
    return n < 0 || (size_t)n >= cap ? TD_ERR_NOSPACE : TD_OK;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

td_err td_profile_load(td_profile *p, const char *name_or_path, char *why, size_t why_cap)
{
    char path[512], name[TD_PROFILE_MAX_NAME], reason[256] = "";
    static _Thread_local char text[PROFILE_FILE_MAX + 1];
    size_t n, len = strlen(name_or_path), line = 0;
    FILE *f;
    td_err e;

    if (len > 8 && strcmp(name_or_path + len - 8, ".profile") == 0)
        snprintf(path, sizeof path, "%s", name_or_path);
    else if (snprintf(path, sizeof path, "%s/profiles/%s.profile", td_vectors_dir(),
                      name_or_path) >= (int)sizeof path)
        return TD_ERR_NOSPACE;
    f = fopen(path, "rb");
    if (!f) {
        say(why, why_cap, "%s: cannot open", path);
        return TD_ERR_IO;
    }
    n = fread(text, 1, PROFILE_FILE_MAX + 1, f);
    fclose(f);
    if (n > PROFILE_FILE_MAX) {
        say(why, why_cap, "%s: larger than %d bytes", path, PROFILE_FILE_MAX);
        return TD_ERR_NOSPACE;
    }
    text[n] = '\0';
    {
        const char *b = base_name(path);
        size_t blen = strcspn(b, ".");
        if (blen >= sizeof name)
            blen = sizeof name - 1;
        memcpy(name, b, blen);
        name[blen] = '\0';
    }
    e = td_profile_parse(p, name, text, &line, reason, sizeof reason);
    if (e != TD_OK)
        say(why, why_cap, "%s:%zu: %s", path, line, reason);
    return e;
}
