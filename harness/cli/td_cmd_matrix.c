/*
 * tlsdiff matrix: the handshake matrix. For each profile, a client subject
 * and a server subject run in one deterministic world: the handshake,
 * application data both ways, resumption when the profile asks for it,
 * or the refusal the profile expects. Each profile runs twice with the same
 * seed and the transcripts must be identical.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_cli.h"
#include "td_names.h"
#include "td_pump.h"

#define MAX_PROFILES 256

typedef struct matrix_opts {
    uint64_t seed;
    bool digests; /* print "profile digest" lines only */
    td_impl client, server;
    const char *names[MAX_PROFILES];
    size_t n_names;
    char list_storage[MAX_PROFILES][TD_PROFILE_MAX_NAME + 16];
} matrix_opts;

static int parse_impl(const char *s, td_impl *out)
{
    if (strcmp(s, "wolfssl") == 0)
        *out = TD_IMPL_WOLFSSL;
    else if (strcmp(s, "ref") == 0)
        *out = TD_IMPL_REF;
    else
        return -1;
    return 0;
}

/* Read profile names from a list file: one per line, # comments. */
static int read_list(matrix_opts *o, const char *path)
{
    char line[256];
    FILE *f = fopen(path, "r");

    if (!f) {
        fprintf(stderr, "tlsdiff matrix: %s: %s\n", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        char *s = line, *e;
        while (*s == ' ' || *s == '\t')
            s++;
        e = s + strcspn(s, "#\r\n");
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        *e = '\0';
        if (!*s)
            continue;
        if (o->n_names == MAX_PROFILES) {
            fprintf(stderr, "tlsdiff matrix: %s: more than %d profiles\n", path, MAX_PROFILES);
            fclose(f);
            return -1;
        }
        snprintf(o->list_storage[o->n_names], sizeof o->list_storage[0], "%s", s);
        o->names[o->n_names] = o->list_storage[o->n_names];
        o->n_names++;
    }
    fclose(f);
    return 0;
}

static int parse_args(matrix_opts *o, int argc, char **argv)
{
    const char *list = NULL;
    int i;

    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->client = o->server = TD_IMPL_WOLFSSL;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            char *end;
            o->seed = strtoull(argv[++i], &end, 0);
            if (*end) {
                fprintf(stderr, "tlsdiff matrix: --seed takes a number\n");
                return -1;
            }
        } else if (strcmp(a, "--client") == 0 && i + 1 < argc) {
            if (parse_impl(argv[++i], &o->client) != 0)
                return fprintf(stderr, "tlsdiff matrix: --client is wolfssl or ref\n"), -1;
        } else if (strcmp(a, "--server") == 0 && i + 1 < argc) {
            if (parse_impl(argv[++i], &o->server) != 0)
                return fprintf(stderr, "tlsdiff matrix: --server is wolfssl or ref\n"), -1;
        } else if (strcmp(a, "--digests") == 0) {
            o->digests = true;
        } else if (strcmp(a, "--list") == 0 && i + 1 < argc) {
            list = argv[++i];
        } else if (a[0] == '-') {
            fprintf(stderr, "tlsdiff matrix: unknown option '%s'\n", a);
            return -1;
        } else if (o->n_names < MAX_PROFILES) {
            o->names[o->n_names++] = a;
        }
    }
    if (list || o->n_names == 0) {
        char path[512];
        if (!list) {
            snprintf(path, sizeof path, "%s/profiles/matrix.list", td_vectors_dir());
            list = path;
        }
        return read_list(o, list);
    }
    return 0;
}

/* FNV-1a 64 over every chunk's direction, length and bytes. */
static uint64_t transcript_digest(const td_transcript *t)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i, j;

    for (i = 0; i < t->n_chunks; i++) {
        const td_chunk *c = &t->chunks[i];
        h = (h ^ (uint64_t)c->from) * 0x100000001b3ULL;
        h = (h ^ (uint64_t)c->len) * 0x100000001b3ULL;
        for (j = 0; j < c->len; j++)
            h = (h ^ t->bytes[c->off + j]) * 0x100000001b3ULL;
    }
    return h;
}

static const char *short_name(td_names_kind k, uint16_t code)
{
    return code ? td_name_or_hex(k, code) : "-";
}

static void print_row(const td_profile *p, const td_run_result *r, bool repeat_ok)
{
    const td_conn_result *c = r->has_resumed ? &r->resumed : &r->first;
    const td_state *cl = &r->first.client;
    const char *result = r->ok && repeat_ok ? "PASS" : "FAIL";

    if (p->expect_alert) {
        char outcome[192], *detail;
        td_state_describe(&c->server, outcome, sizeof outcome);
        detail = strstr(outcome, " ["); /* the column holds the alert only */
        if (detail)
            *detail = '\0';
        printf("%-30s %-8s %-44s %-10s %-23s %-7s %-4s %s\n", p->name, "-", outcome, "-", "-",
               "-", "-", result);
    } else {
        printf("%-30s %-8s %-44s %-10s %-23s %-7s %-4s %s\n", p->name,
               short_name(TD_NAMES_VERSION, cl->version),
               short_name(TD_NAMES_SUITE, cl->cipher_suite), short_name(TD_NAMES_GROUP, cl->group),
               short_name(TD_NAMES_SIGSCHEME, cl->sig_scheme),
               r->has_resumed ? (c->client.resumed ? "yes" : "no") : "-",
               r->first.app_ok ? "ok" : "-", result);
    }
    if (!r->ok)
        printf("    %s\n", r->why);
    else if (!repeat_ok)
        printf("    a second run with the same seed produced different bytes\n");
}

int td_cmd_matrix(int argc, char **argv)
{
    static matrix_opts o;
    size_t i, passed = 0, failed = 0, skipped = 0;

    if (parse_args(&o, argc, argv) != 0)
        return 2;
    if (!o.digests)
        printf("tlsdiff handshake matrix: client %s, server %s, wolfSSL %s, seed %llu\n\n",
           td_impl_name(o.client), td_impl_name(o.server), TD_WOLFSSL_VERSION,
           (unsigned long long)o.seed);
    if (!o.digests)
        printf("%-30s %-8s %-44s %-10s %-23s %-7s %-4s %s\n", "profile", "version",
               "suite / outcome", "group", "signature", "resumed", "app", "result");
    for (i = 0; i < o.n_names; i++) {
        td_profile p;
        td_world w1, w2;
        td_transcript t1 = {0}, t2 = {0};
        td_run_result r1, r2;
        char why[512];
        bool repeat_ok;

        if (td_profile_load(&p, o.names[i], why, sizeof why) != TD_OK) {
            printf("%-30s error: %s\n", o.names[i], why);
            failed++;
            continue;
        }
        /* The reference client does not offer SSL 3.0 to TLS 1.1 at all
         * (RFC 8996 2: "MUST NOT" negotiate them; RFC 8446 D.5): a
         * profile that makes the client offer only those has nothing to
         * run. The scripted peer sends such ClientHellos instead. */
        if (o.client == TD_IMPL_REF && p.side[TD_ROLE_CLIENT].max_version < TD_TLS1_2) {
            if (!o.digests)
                printf("%-30s %-8s %-44s %-10s %-23s %-7s %-4s %s\n", p.name, "-",
                       "the reference client offers no SSL3-TLS1.1", "-", "-", "-", "-",
                       "SKIP");
            skipped++;
            continue;
        }
        td_world_init(&w1, o.seed);
        td_world_init(&w2, o.seed);
        if (td_pump_profile(o.client, o.server, &p, &w1, &t1, &r1) != TD_OK ||
            td_pump_profile(o.client, o.server, &p, &w2, &t2, &r2) != TD_OK) {
            printf("%-30s error: %s\n", p.name, r1.why[0] ? r1.why : "harness failure");
            failed++;
        } else {
            repeat_ok = td_transcript_equal(&t1, &t2);
            if (o.digests)
                printf("%-30s %016llx %zu bytes\n", p.name,
                       (unsigned long long)transcript_digest(&t1), t1.len);
            else
                print_row(&p, &r1, repeat_ok);
            if (r1.ok && repeat_ok)
                passed++;
            else
                failed++;
        }
        td_transcript_free(&t1);
        td_transcript_free(&t2);
        td_world_free(&w1);
        td_world_free(&w2);
    }
    if (!o.digests && skipped)
        printf("\n%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
    else if (!o.digests)
        printf("\n%zu passed, %zu failed\n", passed, failed);
    return failed ? 1 : 0;
}
