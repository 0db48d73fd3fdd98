/*
 * tlsdiff x509 verify CHAIN.pem --ca ROOTS.pem [--host NAME] [--at TIME]
 *                    [--purpose server|client] [--json]
 *
 * One chain (PEM certificates, leaf first, or one DER certificate) checked
 * by the reference (td_x509_verify) and by wolfSSL's certificate manager
 * the way its TLS stack checks a peer (td_x509_wolfssl_verify), under the
 * same anchors, clock and name. Prints each certificate briefly, both
 * verdicts with their reasons, and whether they agree (same verdict and,
 * for a rejection, the same reason class).
 *
 * Exit: 0 the reference accepts, 1 it rejects, 2 usage or input error
 * (a file that cannot be read, bad PEM or base64: one line naming the file
 * and the byte offset).
 */
#include "td_cli.h"

#include "td_der.h"
#include "td_world.h"
#include "td_x509.h"
#include "td_x509_wolfssl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X509_FILE_MAX (256u * 1024u)
#define X509_MAX_CERTS 16u

typedef struct cert_file {
    const char *path;
    uint8_t text[X509_FILE_MAX];
    size_t text_len;
    uint8_t der[X509_FILE_MAX];
    size_t der_used;
    td_span certs[X509_MAX_CERTS];
    size_t offsets[X509_MAX_CERTS]; /* where each certificate starts in the file */
    size_t n;
} cert_file;

static void usage(FILE *f)
{
    fprintf(f, "usage: tlsdiff x509 verify CHAIN.pem --ca ROOTS.pem [--host NAME] [--at TIME]\n"
               "                           [--purpose server|client] [--json]\n"
               "  CHAIN.pem: PEM certificates, the leaf first (or one DER certificate);\n"
               "  ROOTS.pem: the trust anchors; TIME: unix seconds or YYYY-MM-DDTHH:MM:SSZ\n"
               "  (default 2026-01-01T00:00:00Z, the harness clock)\n"
               "  exit 0: the reference accepts, 1: it rejects, 2: usage or input error\n");
}

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Base64 of text[from..to) (RFC 7468: whitespace between characters,
 * '=' padding at the end) appended to f->der. 0, or 1 with *bad set to
 * the offset of the first character that is not base64. */
static int b64(cert_file *f, size_t from, size_t to, size_t *bad)
{
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    size_t i;

    for (i = from; i < to; i++) {
        int c = f->text[i], v;

        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '=' && bits > 0) {
            pad++;
            continue;
        }
        v = b64val(c);
        if (v < 0 || pad) {
            *bad = i;
            return 1;
        }
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (f->der_used >= sizeof f->der) {
                *bad = i;
                return 1;
            }
            f->der[f->der_used++] = (uint8_t)(acc >> bits);
        }
    }
    return 0;
}

static const char *find(const uint8_t *p, size_t n, size_t from, const char *needle)
{
    size_t k = strlen(needle), i;

    for (i = from; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return (const char *)p + i;
    return NULL;
}

/* Read f->path: PEM CERTIFICATE blocks, or one DER certificate. Prints
 * the error line and returns 2 on failure. */
static int load(cert_file *f)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    static const char end[] = "-----END CERTIFICATE-----";
    FILE *fp = fopen(f->path, "rb");
    size_t at = 0;

    if (!fp) {
        fprintf(stderr, "tlsdiff: x509: %s: cannot read\n", f->path);
        return 2;
    }
    f->text_len = fread(f->text, 1, sizeof f->text, fp);
    if (!feof(fp)) {
        fclose(fp);
        fprintf(stderr, "tlsdiff: x509: %s: larger than %u bytes\n", f->path, X509_FILE_MAX);
        return 2;
    }
    fclose(fp);
    if (f->text_len > 0 && f->text[0] == TD_DER_SEQUENCE) { /* DER */
        memcpy(f->der, f->text, f->text_len);
        f->certs[0] = (td_span){f->der, f->text_len};
        f->offsets[0] = 0;
        f->n = 1;
        return 0;
    }
    for (;;) {
        const char *b = find(f->text, f->text_len, at, begin), *e;
        size_t body, stop, start = f->der_used, bad;

        if (!b)
            break;
        body = (size_t)(b - (const char *)f->text) + sizeof begin - 1;
        e = find(f->text, f->text_len, body, end);
        if (!e) {
            fprintf(stderr, "tlsdiff: x509: %s: offset %zu: no %s after this BEGIN line\n",
                    f->path, (size_t)(b - (const char *)f->text), end);
            return 2;
        }
        stop = (size_t)(e - (const char *)f->text);
        if (b64(f, body, stop, &bad)) {
            fprintf(stderr, "tlsdiff: x509: %s: offset %zu: not base64\n", f->path, bad);
            return 2;
        }
        if (f->n == X509_MAX_CERTS) {
            fprintf(stderr, "tlsdiff: x509: %s: more than %u certificates\n", f->path,
                    X509_MAX_CERTS);
            return 2;
        }
        f->offsets[f->n] = (size_t)(b - (const char *)f->text);
        f->certs[f->n++] = (td_span){f->der + start, f->der_used - start};
        at = stop + sizeof end - 1;
    }
    if (f->n == 0) {
        fprintf(stderr, "tlsdiff: x509: %s: no certificate (neither PEM nor DER)\n", f->path);
        return 2;
    }
    return 0;
}

/* "2026-01-01T00:00:00Z" or unix seconds. */
static int parse_time(const char *s, int64_t *out)
{
    char *endp;
    uint8_t gt[15];
    size_t i, j = 0;
    long long v;

    if (strlen(s) == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' &&
        s[16] == ':' && s[19] == 'Z') {
        for (i = 0; i < 19; i++)
            if (s[i] >= '0' && s[i] <= '9')
                gt[j++] = (uint8_t)s[i];
        gt[j++] = 'Z';
        return j == 15 &&
               td_der_time(TD_DER_GENERALIZED_TIME, (td_span){gt, 15}, out) == TD_DER_OK;
    }
    v = strtoll(s, &endp, 10);
    if (*s == '\0' || *endp != '\0')
        return 0;
    *out = (int64_t)v;
    return 1;
}

static void iso(int64_t t, char *buf, size_t cap)
{
    int64_t days = t / 86400, secs = t % 86400, y, m, d, era, doe, yoe, doy, mp;

    if (secs < 0) {
        secs += 86400;
        days--;
    }
    /* civil_from_days (H. Hinnant's algorithm) */
    days += 719468;
    era = (days >= 0 ? days : days - 146096) / 146097;
    doe = days - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(buf, cap, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y,
             (long long)m, (long long)d, (long long)(secs / 3600),
             (long long)(secs / 60 % 60), (long long)(secs % 60));
}

static void printable(td_span s, char *buf, size_t cap)
{
    size_t i, n = 0;

    for (i = 0; i < s.len && n + 1 < cap; i++)
        buf[n++] = s.p[i] >= 0x20 && s.p[i] < 0x7f && s.p[i] != '"' && s.p[i] != '\\'
                       ? (char)s.p[i]
                       : '?';
    buf[n] = '\0';
}

static const char *key_name(td_x509_key k)
{
    static const char *const names[] = {"unknown", "RSA", "RSA-PSS", "P-256",
                                        "P-384",   "EC (other curve)", "Ed25519"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static const char *sig_name(td_x509_sig s)
{
    static const char *const names[] = {
        "unknown",          "sha256WithRSA",    "sha384WithRSA",    "sha512WithRSA",
        "RSASSA-PSS",       "ecdsa-with-SHA256", "ecdsa-with-SHA384", "ecdsa-with-SHA512",
        "Ed25519"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* One certificate, one or two lines. */
static void show_cert(const cert_file *f, size_t i, int json, int last)
{
    static td_x509_cert c; /* large: not on the stack */
    td_x509_reason r;
    char subj[80], iss[80], nb[24], na[24];

    td_der_failure_clear();
    r = td_x509_decode(f->certs[i], &c);
    if (r != TD_X509_OK) {
        td_der_failure df = td_der_failure_last();
        size_t off = f->offsets[i];
        int in_der = df.at && df.at >= f->certs[i].p && df.at < f->certs[i].p + f->certs[i].len;

        if (json)
            printf("    {\"index\": %zu, \"decoded\": false, \"reason\": \"%s\", \"der_rule\": "
                   "\"%s\", \"der_offset\": %lld}%s\n",
                   i, td_x509_reason_name(r), td_der_why_name(df.why),
                   in_der ? (long long)(df.at - f->certs[i].p) : -1LL, last ? "" : ",");
        else if (in_der)
            printf("  [%zu] (file offset %zu) does not decode: %s (%s at DER offset %zu)\n", i,
                   off, td_x509_reason_name(r), td_der_why_name(df.why),
                   (size_t)(df.at - f->certs[i].p));
        else
            printf("  [%zu] (file offset %zu) does not decode: %s\n", i, off,
                   td_x509_reason_name(r));
        return;
    }
    printable(c.subject.cn, subj, sizeof subj);
    printable(c.issuer.cn, iss, sizeof iss);
    iso(c.not_before, nb, sizeof nb);
    iso(c.not_after, na, sizeof na);
    if (json) {
        printf("    {\"index\": %zu, \"decoded\": true, \"subject_cn\": \"%s\", \"issuer_cn\": "
               "\"%s\", \"not_before\": \"%s\", \"not_after\": \"%s\", \"key\": \"%s\", "
               "\"signature\": \"%s\", \"ca\": %s, \"san\": %zu}%s\n",
               i, subj, iss, nb, na, key_name(c.key), sig_name(c.sig_alg.sig),
               c.has_basic_constraints && c.ca ? "true" : "false", c.n_san, last ? "" : ",");
        return;
    }
    printf("  [%zu] CN=%s, issued by CN=%s\n      %s .. %s, %s key, %s, %s%s, %zu SAN\n", i,
           subj, iss, nb, na, key_name(c.key), sig_name(c.sig_alg.sig),
           c.has_basic_constraints && c.ca ? "CA" : "not a CA",
           c.has_path_len ? " with pathLen" : "", c.n_san);
}

static int cmd_verify(int argc, char **argv)
{
    static cert_file chain, roots;
    static td_x509_work work;
    td_x509_policy policy;
    td_x509_result res;
    td_x509_wolfssl_result wres;
    const char *host = NULL;
    int json = 0, i, agree;
    size_t k;
    td_x509_reason r;
    td_err we;

    memset(&policy, 0, sizeof policy);
    policy.now = TD_CLOCK_DEFAULT;
    policy.purpose = TD_X509_PURPOSE_SERVER;
    chain.path = roots.path = NULL;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (i + 1 < argc && strcmp(a, "--ca") == 0) {
            roots.path = argv[++i];
        } else if (i + 1 < argc && strcmp(a, "--host") == 0) {
            host = argv[++i];
        } else if (i + 1 < argc && strcmp(a, "--at") == 0) {
            if (!parse_time(argv[++i], &policy.now)) {
                fprintf(stderr, "tlsdiff: x509: --at %s: not a time\n", argv[i]);
                return 2;
            }
        } else if (i + 1 < argc && strcmp(a, "--purpose") == 0) {
            const char *p = argv[++i];
            if (strcmp(p, "server") == 0)
                policy.purpose = TD_X509_PURPOSE_SERVER;
            else if (strcmp(p, "client") == 0)
                policy.purpose = TD_X509_PURPOSE_CLIENT;
            else {
                usage(stderr);
                return 2;
            }
        } else if (a[0] != '-' && !chain.path) {
            chain.path = a;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!chain.path || !roots.path) {
        usage(stderr);
        return 2;
    }
    policy.host = host;
    if (load(&chain) != 0 || load(&roots) != 0)
        return 2;
    if (chain.n > TD_X509_MAX_CHAIN || roots.n > TD_X509_MAX_ANCHORS) {
        fprintf(stderr, "tlsdiff: x509: at most %u certificates in a chain and %u anchors\n",
                TD_X509_MAX_CHAIN, TD_X509_MAX_ANCHORS);
        return 2;
    }
    r = td_x509_verify(chain.certs, chain.n, roots.certs, roots.n, &policy, &work, &res);
    we = td_x509_wolfssl_verify(chain.certs, chain.n, roots.certs, roots.n, &policy, &wres);
    agree = we == TD_OK && (r == TD_X509_OK) == (wres.accept != 0) &&
            (r == TD_X509_OK || r == wres.reason);
    if (json) {
        char at[24];
        iso(policy.now, at, sizeof at);
        printf("{\n  \"file\": \"%s\",\n  \"at\": \"%s\",\n  \"certificates\": [\n", chain.path,
               at);
        for (k = 0; k < chain.n; k++)
            show_cert(&chain, k, 1, k + 1 == chain.n);
        printf("  ],\n  \"reference\": {\"accept\": %s, \"reason\": \"%s\", \"alert\": \"%s\", "
               "\"detail\": \"%s\"},\n",
               r == TD_X509_OK ? "true" : "false", td_x509_reason_name(r),
               r == TD_X509_OK ? "none" : td_err_name(td_x509_reason_alert(r)), res.detail);
        if (we == TD_OK)
            printf("  \"wolfssl\": {\"accept\": %s, \"reason\": \"%s\", \"error\": %d, "
                   "\"error_name\": \"%s\"},\n",
                   wres.accept ? "true" : "false", td_x509_reason_name(wres.reason), wres.err,
                   wres.err_name);
        else
            printf("  \"wolfssl\": null,\n");
        printf("  \"agree\": %s\n}\n", agree ? "true" : "false");
    } else {
        char at[24];
        iso(policy.now, at, sizeof at);
        printf("%s: %zu certificate%s, %zu anchor%s, %s purpose, host %s, at %s\n", chain.path,
               chain.n, chain.n == 1 ? "" : "s", roots.n, roots.n == 1 ? "" : "s",
               policy.purpose == TD_X509_PURPOSE_SERVER ? "server" : "client",
               host ? host : "(none)", at);
        for (k = 0; k < chain.n; k++)
            show_cert(&chain, k, 0, 0);
        if (r == TD_X509_OK)
            printf("reference: accept (%s)\n", res.detail);
        else
            printf("reference: reject %s: %s (alert %s)\n", td_x509_reason_name(r), res.detail,
                   td_err_name(td_x509_reason_alert(r)));
        if (we != TD_OK)
            printf("wolfSSL:   not run (%s)\n", td_err_name(we));
        else if (wres.accept)
            printf("wolfSSL:   accept\n");
        else
            printf("wolfSSL:   reject %s: %s (%d)\n", td_x509_reason_name(wres.reason),
                   wres.err_name, wres.err);
        printf("agree:     %s\n", agree                                          ? "yes"
                                  : we == TD_OK && (r == TD_X509_OK) == !!wres.accept ? "verdict only"
                                                                                 : "no");
    }
    return r == TD_X509_OK ? 0 : 1;
}

/* argv[0] is "x509" */
int td_cmd_x509(int argc, char **argv)
{
    int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);

    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return cmd_verify(argc - 2, argv + 2);
    usage(help ? stdout : stderr);
    return help ? 0 : 2;
}
