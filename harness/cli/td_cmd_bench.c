/*
 * tlsdiff bench: in-memory full handshakes per second, the reference
 * engine against wolfSSL on the same profiles (issue 4: "A benchmark
 * script (not a test) prints in-memory handshakes per second for the
 * reference and for wolfSSL on the same profiles, and the ratio between
 * them").
 *
 *   tlsdiff bench [--seconds S] [PROFILE...]
 *
 * For each profile (default: the handshake profiles of
 * vectors/profiles/matrix.list, those without expect_alert) and each pair
 * of client and server implementations (ref/ref, wolfssl/wolfssl, ref
 * client with wolfSSL server, wolfSSL client with ref server), full
 * handshakes run back to back for S seconds (default 1; a fraction is
 * allowed), each a new pair of subjects in a new world (seed = the
 * handshake's number) pumping bytes in memory as tlsdiff matrix does
 * (td_pump_run), no resumption, no application data. It prints one row per
 * profile: handshakes per second per pair, and ref/wolfSSL, the ref/ref
 * rate over the wolfssl/wolfssl rate; then the geometric means.
 *
 * The figures are for reading, not for asserting: nothing here fails on a
 * rate. Exit: 0; 1 when a handshake did not complete; 2 on a usage error.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "td_cli.h"
#include "td_pump.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PROFILES 256

typedef struct bench_opts {
    double seconds;
    const char *names[MAX_PROFILES];
    size_t n_names;
    char storage[MAX_PROFILES][TD_PROFILE_MAX_NAME + 16];
} bench_opts;

static const struct {
    td_impl client, server;
    const char *label;
} pairs[4] = {
    {TD_IMPL_REF, TD_IMPL_REF, "ref/ref"},
    {TD_IMPL_WOLFSSL, TD_IMPL_WOLFSSL, "wolf/wolf"},
    {TD_IMPL_REF, TD_IMPL_WOLFSSL, "ref/wolf"},
    {TD_IMPL_WOLFSSL, TD_IMPL_REF, "wolf/ref"},
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The matrix list: one profile name per line, # comments. */
static int read_matrix_list(bench_opts *o)
{
    char path[512], line[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/profiles/matrix.list", td_vectors_dir());
    f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "tlsdiff bench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f) && o->n_names < MAX_PROFILES) {
        char *s = line, *e;

        while (*s == ' ' || *s == '\t')
            s++;
        e = s + strcspn(s, "#\r\n");
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        *e = '\0';
        if (!*s)
            continue;
        snprintf(o->storage[o->n_names], sizeof o->storage[0], "%s", s);
        o->names[o->n_names] = o->storage[o->n_names];
        o->n_names++;
    }
    fclose(f);
    return 0;
}

static int parse_args(bench_opts *o, int argc, char **argv)
{
    int i;

    memset(o, 0, sizeof *o);
    o->seconds = 1.0;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--seconds") == 0 && i + 1 < argc) {
            char *end;

            o->seconds = strtod(argv[++i], &end);
            if (*end || !(o->seconds > 0) || o->seconds > 3600) {
                fprintf(stderr, "tlsdiff bench: --seconds takes a number "
                                "of seconds above 0 (at most 3600)\n");
                return -1;
            }
        } else if (a[0] == '-') {
            fprintf(stderr, "tlsdiff bench: unknown option '%s'\n"
                            "usage: tlsdiff bench [--seconds S] "
                            "[PROFILE...]\n",
                    a);
            return -1;
        } else if (o->n_names < MAX_PROFILES) {
            o->names[o->n_names++] = a;
        }
    }
    return o->n_names ? 0 : read_matrix_list(o);
}

/* One full handshake in a fresh world: 1 when both sides completed. */
static int one_handshake(td_impl ci, td_impl si, const td_profile *p,
                         uint64_t seed, char *why, size_t cap)
{
    td_subject *c = NULL, *s = NULL;
    td_state cs, ss;
    td_world w;
    int ok = 0;

    td_world_init(&w, seed);
    if (td_subject_new(ci, TD_ROLE_CLIENT, p, &w, &c) != TD_OK ||
        td_subject_new(si, TD_ROLE_SERVER, p, &w, &s) != TD_OK) {
        snprintf(why, cap, "cannot create subject: %s",
                 td_subject_last_error());
    } else if (td_pump_run(c, s, NULL) != TD_OK) {
        snprintf(why, cap, "harness failure");
    } else {
        td_subject_state(c, &cs);
        td_subject_state(s, &ss);
        ok = cs.handshake_done && ss.handshake_done &&
             cs.verdict == TD_VERDICT_CONTINUE &&
             ss.verdict == TD_VERDICT_CONTINUE;
        if (!ok) {
            char cd[320], sd[320];

            td_state_describe(&cs, cd, sizeof cd);
            td_state_describe(&ss, sd, sizeof sd);
            snprintf(why, cap, "client %s, server %s", cd, sd);
        }
    }
    td_subject_free(c);
    td_subject_free(s);
    td_world_free(&w);
    return ok;
}

/* Handshakes per second of one pair on p; negative when one failed. */
static double rate(td_impl ci, td_impl si, const td_profile *p,
                   double seconds, char *why, size_t cap)
{
    double start = now_s(), t = start;
    uint64_t n = 0;

    do {
        if (!one_handshake(ci, si, p, n + 1, why, cap))
            return -1;
        n++;
        t = now_s();
    } while (t - start < seconds);
    return (double)n / (t - start);
}

int td_cmd_bench(int argc, char **argv)
{
    static bench_opts o;
    double logsum[5] = {0};
    size_t i, k, rows = 0;
    int failed = 0;

    if (parse_args(&o, argc, argv) != 0)
        return 2;
    printf("tlsdiff bench: in-memory full handshakes per second, %.2g s per "
           "pair (client/server), wolfSSL %s\n\n",
           o.seconds, TD_WOLFSSL_VERSION);
    printf("%-30s %10s %10s %10s %10s %12s\n", "profile", pairs[0].label,
           pairs[1].label, pairs[2].label, pairs[3].label, "ref/wolfSSL");
    for (i = 0; i < o.n_names; i++) {
        td_profile p;
        double r[4];
        char why[512] = "";
        int row_ok = 1;

        if (td_profile_load(&p, o.names[i], why, sizeof why) != TD_OK) {
            printf("%-30s error: %s\n", o.names[i], why);
            failed = 1;
            continue;
        }
        if (p.expect_alert)
            continue; /* a refusal, not a handshake */
        printf("%-30s", p.name);
        fflush(stdout);
        for (k = 0; k < 4; k++) {
            r[k] = rate(pairs[k].client, pairs[k].server, &p, o.seconds, why,
                        sizeof why);
            if (r[k] < 0) {
                printf(" %10s", "FAIL");
                row_ok = 0;
            } else {
                printf(" %10.1f", r[k]);
            }
            fflush(stdout);
        }
        if (row_ok && r[1] > 0) {
            printf(" %12.3f\n", r[0] / r[1]);
            for (k = 0; k < 4; k++)
                logsum[k] += log(r[k]);
            logsum[4] += log(r[0] / r[1]);
            rows++;
        } else {
            printf(" %12s\n    %s\n", "-", why);
            failed = 1;
        }
    }
    if (rows) {
        printf("%-30s", "geometric mean");
        for (k = 0; k < 4; k++)
            printf(" %10.1f", exp(logsum[k] / (double)rows));
        printf(" %12.3f\n", exp(logsum[4] / (double)rows));
    }
    return failed;
}
