/*
 * A td_conn_config from a profile: the reference engine's view of the same
 * profile file the wolfSSL subject reads. PEM files are read here (the
 * engine itself does no I/O): certificates become DER (RFC 7468 textual
 * encoding: base64 between BEGIN/END lines), the private key goes to the
 * crypto adapter as PEM.
 */
#define _POSIX_C_SOURCE 200809L /* stat's st_mtim */

#include "td_ref_config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define PEM_FILE_MAX 65536u
/* Files kept parsed (see loaded_file below). */
#define LOADED_MAX 16u

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Base64 (RFC 4648 4) of text[0..n) into out; whitespace skipped. */
static td_err b64_decode(const char *text, size_t n, uint8_t *out, size_t cap,
                         size_t *len)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t i, o = 0;

    for (i = 0; i < n; i++) {
        int v = b64val((unsigned char)text[i]);

        if (text[i] == '=')
            break;
        if (v < 0) {
            if (text[i] == '\n' || text[i] == '\r' || text[i] == ' ' ||
                text[i] == '\t')
                continue;
            return TD_ERR_SYNTAX;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            ENSURE(o < cap, TD_ERR_NOSPACE);
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    *len = o;
    return TD_OK;
}

static td_err read_file(const char *rel, char *buf, size_t cap, size_t *len)
{
    char path[1024];
    FILE *f;
    size_t n;

    TRY(td_vectors_path(rel, path, sizeof path));
    f = fopen(path, "rb");
    ENSURE(f != NULL, TD_ERR_IO);
    n = fread(buf, 1, cap - 1, f);
    fclose(f);
    ENSURE(n < cap - 1, TD_ERR_NOSPACE);
    buf[n] = '\0';
    *len = n;
    return TD_OK;
}

td_err td_pem_certs(const char *text, td_cert_list *out)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    static const char end[] = "-----END CERTIFICATE-----";
    const char *p = text;

    out->n = 0;
    while ((p = strstr(p, begin)) != NULL) {
        const char *b = p + sizeof begin - 1, *e = strstr(b, end);

        ENSURE(e != NULL, TD_ERR_SYNTAX);
        ENSURE(out->n < TD_CONN_MAX_CERTS, TD_ERR_NOSPACE);
        TRY(b64_decode(b, (size_t)(e - b), out->der[out->n],
                       TD_CONN_MAX_CERT_LEN, &out->len[out->n]));
        out->n++;
        p = e + sizeof end - 1;
    }
    ENSURE(out->n > 0, TD_ERR_SYNTAX);
    return TD_OK;
}

/* The files of the profiles, parsed once per process: every fuzz input
 * builds a peer and often a reference subject from the same few files,
 * and reading and decoding them each time was a cost of every run. An
 * entry is used while the file's size and modification time are those it
 * was read with (a test may rewrite a file under the same name). */
typedef enum { LOADED_CERTS, LOADED_KEY } loaded_kind;

typedef struct loaded_file {
    char rel[256];
    loaded_kind kind;
    struct timespec mtime;
    off_t size;
    td_err err;
    union {
        td_cert_list certs;
        td_key key;
    } v;
} loaded_file;

static td_err parse_file(const char *rel, loaded_kind kind, loaded_file *out)
{
    static char text[PEM_FILE_MAX];
    size_t len;

    TRY(read_file(rel, text, sizeof text, &len));
    if (kind == LOADED_CERTS)
        return td_pem_certs(text, &out->v.certs);
    return td_key_load_private((td_span){(const uint8_t *)text, len}, &out->v.key);
}

static const loaded_file *load(const char *rel, loaded_kind kind)
{
    static loaded_file cache[LOADED_MAX];
    static loaded_file miss; /* a file that cannot be stat'ed or named */
    static size_t next;
    char path[1024];
    struct stat st;
    loaded_file *f;
    size_t i;

    if (strlen(rel) >= sizeof cache[0].rel ||
        td_vectors_path(rel, path, sizeof path) != TD_OK || stat(path, &st) != 0) {
        miss.err = TD_ERR_IO;
        return &miss;
    }
    for (i = 0; i < LOADED_MAX; i++) {
        f = &cache[i];
        if (f->rel[0] && f->kind == kind && strcmp(f->rel, rel) == 0 &&
            f->size == st.st_size && f->mtime.tv_sec == st.st_mtim.tv_sec &&
            f->mtime.tv_nsec == st.st_mtim.tv_nsec)
            return f;
    }
    f = &cache[next];
    next = (next + 1) % LOADED_MAX;
    snprintf(f->rel, sizeof f->rel, "%s", rel);
    f->kind = kind;
    f->mtime = st.st_mtim;
    f->size = st.st_size;
    f->err = parse_file(rel, kind, f);
    return f;
}

td_err td_ref_config_from_profile(const td_profile *p, td_role role,
                                  uint64_t now, td_conn_config *cfg,
                                  char *why, size_t why_cap)
{
    const td_side *side = &p->side[role];
    const loaded_file *f;

    memset(cfg, 0, sizeof *cfg);
    cfg->role = role;
    cfg->min_version = side->min_version;
    cfg->max_version = side->max_version;
    cfg->suites = side->suites;
    cfg->groups = side->groups;
    cfg->key_shares = side->key_shares;
    cfg->key_shares_set = side->key_shares_set;
    cfg->sigalgs = side->sigalgs;
    cfg->client_auth = p->client_auth;
    cfg->tickets = p->tickets;
    cfg->hrr_cookie = p->hrr_cookie;
    snprintf(cfg->sni, sizeof cfg->sni, "%s", p->sni);
    snprintf(cfg->alpn, sizeof cfg->alpn, "%s", p->alpn);
    cfg->now = now;
    if (side->chain[0]) {
        f = load(side->chain, LOADED_CERTS);
        if (f->err != TD_OK) {
            snprintf(why, why_cap, "certificate chain %s: %s", side->chain,
                     td_err_name(f->err));
            return f->err;
        }
        cfg->chain = f->v.certs;
    }
    if (side->key[0]) {
        f = load(side->key, LOADED_KEY);
        if (f->err != TD_OK) {
            snprintf(why, why_cap, "private key %s: %s", side->key,
                     td_err_name(f->err));
            return f->err;
        }
        cfg->key = f->v.key;
    }
    if (side->trust[0]) {
        f = load(side->trust, LOADED_CERTS);
        if (f->err != TD_OK) {
            snprintf(why, why_cap, "trust anchors %s: %s", side->trust,
                     td_err_name(f->err));
            return f->err;
        }
        cfg->trust = f->v.certs;
    }
    return TD_OK;
}
