/*
 * The divergences file (td_divergence.h): a line reader and glob matching
 * (fnmatch with FNM_EXTMATCH: '*', '?', brackets and @(a|b) as in bash's
 * extglob).
 */
#define _GNU_SOURCE /* FNM_EXTMATCH */
#include "td_divergence.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

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

/* Copy v into a field of cap bytes; 0 when it does not fit (a value is
 * never cut short). */
static int put(char *dst, size_t cap, const char *v)
{
    if (strlen(v) >= cap)
        return 0;
    memcpy(dst, v, strlen(v) + 1);
    return 1;
}

/* "reference=X wolfssl=Y" into the two globs. */
static int observed(char *v, td_divergence *e)
{
    char *w = strstr(v, " wolfssl=");

    if (strncmp(v, "reference=", 10) != 0 || !w)
        return 0;
    *w = '\0';
    return put(e->reference, sizeof e->reference, trim(v + 10)) &&
           put(e->wolfssl, sizeof e->wolfssl, trim(w + 9)) && e->reference[0] && e->wolfssl[0];
}

static int field(td_divergence *e, const char *key, char *v)
{
    if (strcmp(key, "message") == 0)
        return put(e->message, sizeof e->message, v);
    if (strcmp(key, "edit") == 0)
        return put(e->edit, sizeof e->edit, v);
    if (strcmp(key, "observed") == 0)
        return observed(v, e);
    if (strcmp(key, "clause") == 0)
        return put(e->clause, sizeof e->clause, v);
    if (strcmp(key, "right") == 0)
        return (strcmp(v, "reference") == 0 || strcmp(v, "wolfssl") == 0 ||
                strcmp(v, "both") == 0) &&
               put(e->right, sizeof e->right, v);
    if (strcmp(key, "field") == 0)
        return put(e->field, sizeof e->field, v);
    if (strcmp(key, "profile") == 0)
        return put(e->profile, sizeof e->profile, v);
    if (strcmp(key, "note") == 0)
        return put(e->note, sizeof e->note, v);
    return 0;
}

static const char *missing(const td_divergence *e)
{
    if (!e->message[0])
        return "message";
    if (!e->edit[0])
        return "edit";
    if (!e->reference[0])
        return "observed";
    if (!e->clause[0])
        return "clause";
    if (!e->right[0])
        return "right";
    return NULL;
}

td_err td_divergences_load(const char *path, td_divergences *d, char *why, size_t cap)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    size_t no = 0;
    td_divergence *cur = NULL;
    const char *m;

    d->n = 0;
    if (!f) {
        snprintf(why, cap, "%s: cannot read", path);
        return TD_ERR_SYNTAX;
    }
    while (fgets(line, sizeof line, f)) {
        char *s = trim(line), *v;

        no++;
        if (*s == '\0' || *s == '#')
            continue;
        if (strncmp(s, "divergence ", 11) == 0) {
            if (cur && (m = missing(cur)) != NULL) {
                snprintf(why, cap, "%s: line %zu: entry %s has no %s", path, cur->line, cur->id,
                         m);
                fclose(f);
                return TD_ERR_SYNTAX;
            }
            if (d->n == TD_DIV_MAX) {
                snprintf(why, cap, "%s: line %zu: more than %u entries", path, no, TD_DIV_MAX);
                fclose(f);
                return TD_ERR_SYNTAX;
            }
            cur = &d->e[d->n++];
            memset(cur, 0, sizeof *cur);
            snprintf(cur->id, sizeof cur->id, "%s", trim(s + 11));
            cur->line = no;
            continue;
        }
        v = s;
        while (*v && !isspace((unsigned char)*v))
            v++;
        if (*v)
            *v++ = '\0';
        if (!cur || !field(cur, s, trim(v))) {
            snprintf(why, cap, "%s: line %zu: %s", path, no,
                     cur ? "unknown field, bad value or value too long"
                         : "a field before any 'divergence ID'");
            fclose(f);
            return TD_ERR_SYNTAX;
        }
    }
    fclose(f);
    if (cur && (m = missing(cur)) != NULL) {
        snprintf(why, cap, "%s: line %zu: entry %s has no %s", path, cur->line, cur->id, m);
        return TD_ERR_SYNTAX;
    }
    return TD_OK;
}

td_divergence *td_divergences_match(td_divergences *d, const char *message, const char *edit,
                                    const char *reference, const char *wolfssl)
{
    return td_divergences_match_field(d, message, edit, reference, wolfssl, NULL);
}

td_divergence *td_divergences_match_field(td_divergences *d, const char *message,
                                          const char *edit, const char *reference,
                                          const char *wolfssl, const char *field)
{
    return td_divergences_match_case(d, message, edit, NULL, reference, wolfssl, field);
}

static int opt_match(const char *pattern, const char *value)
{
    return !pattern[0] || (value && fnmatch(pattern, value, FNM_EXTMATCH) == 0);
}

td_divergence *td_divergences_match_case(td_divergences *d, const char *message,
                                         const char *edit, const char *profile,
                                         const char *reference, const char *wolfssl,
                                         const char *field)
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        td_divergence *e = &d->e[i];

        if (fnmatch(e->message, message, FNM_EXTMATCH) == 0 && fnmatch(e->edit, edit, FNM_EXTMATCH) == 0 &&
            fnmatch(e->reference, reference, FNM_EXTMATCH) == 0 &&
            fnmatch(e->wolfssl, wolfssl, FNM_EXTMATCH) == 0 && opt_match(e->field, field) &&
            opt_match(e->profile, profile)) {
            e->hits++;
            return e;
        }
    }
    return NULL;
}
