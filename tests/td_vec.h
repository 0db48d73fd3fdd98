/*
 * td_vec: load a vectors/ .vec file (format: vectors/tls13/README.md) for
 * the check suites. Test code only: it allocates.
 *
 * Header-only (static inline) so that a suite can use it without a change
 * to the runner's source list.
 *
 * Paths are relative to td_vectors_dir() (td_profile.h): $TLSDIFF_VECTORS
 * (ctest sets it), else TD_SOURCE_DIR/vectors.
 */
#ifndef TD_VEC_H
#define TD_VEC_H

/* mkdtemp, for td_vec_check_fresh; include td_vec.h first */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "td_bytes.h"
#include "td_err.h"
#include "td_profile.h" /* td_vectors_dir */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct td_vec_entry {
    char side[8];   /* client | server */
    char kind[16];  /* handshake | record | key | kdf */
    char name[64];  /* client_hello, handshake, derive_secret_... */
    char field[32]; /* message, partial, payload, plaintext, ... */
    uint8_t *data;
    size_t len;
    unsigned line;
} td_vec_entry;

typedef struct td_vec {
    td_vec_entry *e;
    size_t n;
} td_vec;

static inline int td_vec_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* One non-comment line into *e. TD_ERR_SYNTAX when malformed. */
static inline td_err td_vec_parse_line(char *line, td_vec_entry *e)
{
    int used = 0;
    size_t n, i;
    const char *h;

    if (sscanf(line, "%7s %15s %63s %31s %n", e->side, e->kind, e->name,
               e->field, &used) != 4 || used == 0)
        return TD_ERR_SYNTAX;
    h = line + used;
    n = strcspn(h, " \t\r\n");
    if (n == 1 && h[0] == '-') {
        e->data = NULL;
        e->len = 0;
        return TD_OK;
    }
    if (n == 0 || n % 2)
        return TD_ERR_SYNTAX;
    e->data = malloc(n / 2);
    if (!e->data)
        return TD_ERR_NOSPACE;
    for (i = 0; i < n / 2; i++) {
        int hi = td_vec_hexval(h[2 * i]), lo = td_vec_hexval(h[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(e->data);
            e->data = NULL;
            return TD_ERR_SYNTAX;
        }
        e->data[i] = (uint8_t)(hi << 4 | lo);
    }
    e->len = n / 2;
    return TD_OK;
}

static inline void td_vec_free(td_vec *v)
{
    size_t i;

    for (i = 0; i < v->n; i++)
        free(v->e[i].data);
    free(v->e);
    v->e = NULL;
    v->n = 0;
}

/* Load rel (e.g. "tls13/s3-1rtt.vec") from the vectors directory.
 * TD_ERR_IO when it cannot be read, TD_ERR_SYNTAX naming nothing (the
 * caller prints the path) when a line is malformed. */
static inline td_err td_vec_load(const char *rel, td_vec *out)
{
    static char line[16384];
    char path[4096];
    FILE *f;
    size_t cap = 0;
    unsigned lineno = 0;
    td_err err = TD_OK;

    out->e = NULL;
    out->n = 0;
    snprintf(path, sizeof path, "%s/%s", td_vectors_dir(), rel);
    f = fopen(path, "r");
    if (!f)
        return TD_ERR_IO;
    while (err == TD_OK && fgets(line, sizeof line, f)) {
        td_vec_entry e;

        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            err = TD_ERR_SYNTAX; /* longer than the line buffer */
            break;
        }
        if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
            continue;
        memset(&e, 0, sizeof e);
        err = td_vec_parse_line(line, &e);
        if (err != TD_OK)
            break;
        e.line = lineno;
        if (out->n == cap) {
            td_vec_entry *ne;
            cap = cap ? 2 * cap : 64;
            ne = realloc(out->e, cap * sizeof *ne);
            if (!ne) {
                free(e.data);
                err = TD_ERR_NOSPACE;
                break;
            }
            out->e = ne;
        }
        out->e[out->n++] = e;
    }
    fclose(f);
    if (err != TD_OK)
        td_vec_free(out);
    return err;
}

/* The nth (0-based) entry with these columns; a NULL column matches
 * anything. NULL when there is none. */
static inline const td_vec_entry *td_vec_find(const td_vec *v,
                                              const char *side,
                                              const char *kind,
                                              const char *name,
                                              const char *field, int nth)
{
    size_t i;

    for (i = 0; i < v->n; i++) {
        const td_vec_entry *e = &v->e[i];
        if ((!side || !strcmp(e->side, side)) &&
            (!kind || !strcmp(e->kind, kind)) &&
            (!name || !strcmp(e->name, name)) &&
            (!field || !strcmp(e->field, field)) && nth-- == 0)
            return e;
    }
    return NULL;
}

/* Rerun a generator (a python3 script under the vectors directory, e.g.
 * "tls13/extract.py INPUT OUTDIR") into a temporary directory and compare
 * its output with the committed files (paths relative to the vectors
 * directory; compared by base name).
 *   TD_ERR_NOT_FOUND  input or python3 missing: the check cannot run
 *   TD_ERR_IO         the generator failed
 *   TD_ERR_SYNTAX     a committed file differs */
static inline td_err td_vec_check_fresh(const char *generator,
                                        const char *input,
                                        const char *const *files, size_t n)
{
    char tmp[] = "/tmp/td_vec_XXXXXX", cmd[16384];
    td_err err = TD_OK;
    FILE *f = fopen(input, "r");
    size_t i;

    if (!f)
        return TD_ERR_NOT_FOUND;
    fclose(f);
    if (system("python3 -c pass >/dev/null 2>&1") != 0)
        return TD_ERR_NOT_FOUND;
    if (!mkdtemp(tmp))
        return TD_ERR_IO;
    snprintf(cmd, sizeof cmd, "python3 '%s/%s' '%s' '%s' >/dev/null",
             td_vectors_dir(), generator, input, tmp);
    if (system(cmd) != 0)
        err = TD_ERR_IO;
    for (i = 0; err == TD_OK && i < n; i++) {
        const char *base = strrchr(files[i], '/');
        snprintf(cmd, sizeof cmd, "cmp -s '%s/%s' '%s/%s'", td_vectors_dir(),
                 files[i], tmp, base ? base + 1 : files[i]);
        if (system(cmd) != 0)
            err = TD_ERR_SYNTAX;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0 && err == TD_OK)
        err = TD_ERR_IO;
    return err;
}

/* The entry's bytes as a span. */
static inline td_span td_vec_span(const td_vec_entry *e)
{
    td_span s = {e->data, e->len};
    return s;
}

#endif
