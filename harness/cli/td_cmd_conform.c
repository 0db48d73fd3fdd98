/*
 * tlsdiff conform: the conformance suite (vectors/conformance, td_conform.h)
 * against the reference and wolfSSL, a summary by RFC section, JUnit XML
 * and the Markdown matrix.
 *
 * Each case runs in a forked worker (at most --jobs at a time), so that a
 * subject that crashes takes only its own case down and is named: the
 * worker writes its result after each subject, and a worker that dies
 * after the reference's result was written crashed in wolfSSL.
 */
#define _GNU_SOURCE /* FNM_EXTMATCH */
#include "td_cli.h"
#include "td_memo.h"

#include "td_conform.h"
#include "td_edit.h"
#include "td_target.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TD_WOLFSSL_VERSION
#define TD_WOLFSSL_VERSION "?"
#endif

typedef struct opts {
    const char *filters[16];
    size_t n_filters;
    const char *junit, *report, *cases_dir, *div_path;
    long jobs;
    uint64_t seed;
    int verbose, list, seeds, digests;
} opts;

static int usage(void)
{
    fprintf(stderr,
            "usage: tlsdiff conform [--filter GLOB]... [--junit FILE] [--report FILE]\n"
            "                       [--jobs N] [--cases DIR] [--divergences FILE]\n"
            "                       [--seed N] [--verbose] [--list] [--seeds] [--digests]\n");
    return 2;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    int i;

    memset(o, 0, sizeof *o);
    o->jobs = sysconf(_SC_NPROCESSORS_ONLN);
    o->seed = 1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            o->verbose = 1;
            continue;
        }
        if (strcmp(a, "--list") == 0) {
            o->list = 1;
            continue;
        }
        if (strcmp(a, "--seeds") == 0) {
            o->seeds = 1;
            continue;
        }
        if (strcmp(a, "--digests") == 0) {
            o->digests = 1;
            continue;
        }
        if (!v)
            return 0;
        i++;
        if (strcmp(a, "--filter") == 0 && o->n_filters < 16)
            o->filters[o->n_filters++] = v;
        else if (strcmp(a, "--junit") == 0)
            o->junit = v;
        else if (strcmp(a, "--report") == 0)
            o->report = v;
        else if (strcmp(a, "--cases") == 0)
            o->cases_dir = v;
        else if (strcmp(a, "--divergences") == 0)
            o->div_path = v;
        else if (strcmp(a, "--jobs") == 0)
            o->jobs = strtol(v, NULL, 10);
        else if (strcmp(a, "--seed") == 0)
            o->seed = strtoull(v, NULL, 0);
        else
            return 0;
    }
    if (o->jobs < 1)
        o->jobs = 1;
    if (o->jobs > 64)
        o->jobs = 64;
    return 1;
}

/* Keep the cases the filters select (all without a filter). */
static void filter_cases(td_cases *cs, const opts *o)
{
    size_t i, k, kept = 0;

    if (o->n_filters == 0)
        return;
    for (i = 0; i < cs->n; i++) {
        for (k = 0; k < o->n_filters; k++)
            if (fnmatch(o->filters[k], cs->c[i].id, FNM_EXTMATCH) == 0)
                break;
        if (k < o->n_filters)
            cs->c[kept++] = cs->c[i];
    }
    cs->n = kept;
}

/* ------------------------------------------------------------------------
 * Workers
 * ------------------------------------------------------------------------ */

typedef struct worker {
    pid_t pid;
    int fd;
    size_t index;
} worker;

static void write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t w = write(fd, c, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(3);
        c += w;
        n -= (size_t)w;
    }
}

/* The worker: the result after the reference, then after wolfSSL. */
static void run_child(const td_case *c, uint64_t seed, int fd)
{
    td_case_result res;
    td_memo_stats st;

    memset(&res, 0, sizeof res);
    res.divergence = -1;
    td_memo_clear(); /* a fresh worker: hits are this case's own */
    td_conform_run_subject(c, 0, seed, &res);
    td_memo_stats_get(&st);
    res.memo_hits = st.hits;
    write_all(fd, &res, sizeof res);
    if (res.status != TD_CONFORM_ERROR) {
        td_conform_run_subject(c, 1, seed, &res);
        td_memo_stats_get(&st);
        res.memo_hits = st.hits;
        write_all(fd, &res, sizeof res);
    }
    _exit(0);
}

static int spawn(const td_cases *cs, size_t index, uint64_t seed, worker *w)
{
    int p[2];

    fflush(NULL);
    if (pipe(p) != 0)
        return 0;
    w->pid = fork();
    if (w->pid < 0) {
        close(p[0]);
        close(p[1]);
        return 0;
    }
    if (w->pid == 0) {
        close(p[0]);
        run_child(&cs->c[index], seed, p[1]);
    }
    close(p[1]);
    w->fd = p[0];
    w->index = index;
    return 1;
}

/* Collect a finished worker's result: the last whole one it wrote, the
 * side it did not finish marked as a crash. */
static void collect(const td_cases *cs, worker *w, int status, td_divergences *d,
                    td_case_result *out)
{
    td_case_result got[2];
    size_t have = 0;
    ssize_t r;
    char *p = (char *)got;

    while (have < sizeof got && (r = read(w->fd, p + have, sizeof got - have)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        have += (size_t)r;
    }
    close(w->fd);
    memset(out, 0, sizeof *out);
    out->divergence = -1;
    if (have >= sizeof got[0])
        *out = got[have >= sizeof got ? 1 : 0];
    if (out->status != TD_CONFORM_ERROR && have < sizeof got) {
        size_t side = have < sizeof got[0] ? 0 : 1;

        snprintf(out->outcome[side], sizeof out->outcome[side], "crash");
        if (WIFSIGNALED(status))
            snprintf(out->note[side], sizeof out->note[side], "%s died of signal %d",
                     side ? "wolfSSL" : "the reference", WTERMSIG(status));
        else
            snprintf(out->note[side], sizeof out->note[side], "%s exited with status %d",
                     side ? "wolfSSL" : "the reference", WEXITSTATUS(status));
        out->pass[side] = 0;
        if (side == 0)
            snprintf(out->outcome[1], sizeof out->outcome[1], "not run");
    }
    td_conform_judge(&cs->c[w->index], d, out);
}

static void progress(size_t done, size_t n, const char *id)
{
    if (!isatty(STDERR_FILENO))
        return;
    if (id)
        fprintf(stderr, "\r\033[K[%zu/%zu] %s", done, n, id);
    else
        fprintf(stderr, "\r\033[K");
}

static int run_all(const td_cases *cs, const opts *o, td_divergences *d, td_case_result *res)
{
    worker *ws = calloc((size_t)o->jobs, sizeof *ws);
    size_t next = 0, running = 0, done = 0, k;

    if (!ws)
        return 0;
    while (done < cs->n) {
        pid_t pid;
        int status;

        while (running < (size_t)o->jobs && next < cs->n) {
            for (k = 0; ws[k].pid; k++)
                ;
            if (!spawn(cs, next, o->seed, &ws[k])) {
                fprintf(stderr, "conform: cannot start a worker: %s\n", strerror(errno));
                free(ws);
                return 0;
            }
            next++;
            running++;
        }
        pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == EINTR)
            continue;
        for (k = 0; k < (size_t)o->jobs && ws[k].pid != pid; k++)
            ;
        if (pid < 0 || k == (size_t)o->jobs)
            continue;
        collect(cs, &ws[k], status, d, &res[ws[k].index]);
        progress(++done, cs->n, cs->c[ws[k].index].id);
        ws[k].pid = 0;
        running--;
    }
    progress(0, 0, NULL);
    free(ws);
    return 1;
}

/* ------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------ */

static int write_file(const char *path, const td_conform_run_info *info,
                      td_err (*fn)(const td_conform_run_info *, FILE *))
{
    FILE *f = fopen(path, "w");
    td_err e;

    if (!f) {
        fprintf(stderr, "conform: %s: %s\n", path, strerror(errno));
        return 0;
    }
    e = fn(info, f);
    if (fclose(f) != 0 || e != TD_OK) {
        fprintf(stderr, "conform: %s: could not write it\n", path);
        return 0;
    }
    return 1;
}

static void list_cases(const td_cases *cs)
{
    size_t i;

    for (i = 0; i < cs->n; i++) {
        char want[128];

        td_case_expect_text(&cs->c[i], want, sizeof want);
        printf("%-56s %-16s %-6s %s\n", cs->c[i].id, cs->c[i].rfc,
               td_role_name(cs->c[i].subject_role), want);
    }
}

/* The picking target a script belongs to (td_target.h): "record" when it
 * has a framing or record edit (split, record, plain), else "flight"
 * when it has a flight edit (skip, repeat, inject, reorder, merge), else
 * none (NULL: a message target). */
static const char *script_family(const td_edit_script *s)
{
    size_t i;
    int flight = 0;

    for (i = 0; i < s->n; i++) {
        uint8_t op = s->e[i].op;

        if (op == TD_EDIT_SPLIT || op == TD_EDIT_RECORD || op == TD_EDIT_PLAIN)
            return "record";
        flight |= op == TD_EDIT_SKIP || op == TD_EDIT_REPEAT || op == TD_EDIT_INJECT ||
                  op == TD_EDIT_REORDER || op == TD_EDIT_MERGE;
    }
    return flight ? "flight" : NULL;
}

/* The variant of t that runs case c's message (profile, subject role,
 * message, which one of its type; never a post-handshake one), or -1. */
static long case_variant(const td_target *t, const td_case *c)
{
    size_t v;

    for (v = 0; v < td_target_variants(t); v++) {
        td_target_variant tv;

        td_target_variant_of(t, v, &tv);
        if (!tv.post_handshake && tv.subject_role == c->subject_role &&
            tv.msg_type == c->msg_type && tv.occurrence == c->occurrence &&
            strcmp(tv.profile, c->profile) == 0)
            return (long)v;
    }
    return -1;
}

/* The fuzz target input of case c (td_target.h: variant, mode 0, the
 * binary script) when a target sends its message to its subject under its
 * profile; 0 otherwise (another profile, a `with` line, a later
 * connection). A case with flight or record edits seeds the flight or
 * record target when one of its variants is the case's message, else the
 * message's own target (first message of its type only). */
static size_t case_seed(const td_case *c, const td_target **target, uint8_t *out, size_t cap)
{
    static td_edit_script script;
    const char *family;
    char why[256];
    size_t t;
    long v = -1;
    td_wr w;
    td_span enc;

    if (c->with[0] || c->connection || td_edit_parse(c->edit, &script, why, sizeof why) != TD_OK)
        return 0;
    family = script_family(&script);
    *target = family ? td_target_find(family) : NULL;
    if (*target)
        v = case_variant(*target, c);
    for (t = 0; v < 0 && !c->occurrence && t < td_target_count(); t++) {
        *target = td_target_at(t);
        if (!(*target)->variants)
            v = case_variant(*target, c);
    }
    if (v < 0)
        return 0;
    td_wr_init(&w, out + 2, cap - 2);
    if (td_edit_encode(&script, &w) != TD_OK || td_wr_finish(&w, &enc) != TD_OK)
        return 0;
    out[0] = (uint8_t)v;
    out[1] = 0;
    return 2 + enc.len;
}

/* One line per case that seeds a fuzz target: "TARGET HEX" (the corpus
 * generator, corpus/diff_seeds.sh, writes them). */
static void print_seeds(const td_cases *cs)
{
    static uint8_t buf[8192];
    size_t i, j, n;

    for (i = 0; i < cs->n; i++) {
        const td_target *t = NULL;

        n = case_seed(&cs->c[i], &t, buf, sizeof buf);
        if (!n)
            continue;
        printf("%s ", t->name);
        for (j = 0; j < n; j++)
            printf("%02x", buf[j]);
        printf("\n");
    }
}

/* --digests: each case's observations as digests, and the memo hits of
 * the run (tests/cli/memo_equivalence.sh compares runs with TD_MEMO=0
 * and without). */
static void digest_lines(const td_cases *cs, const td_case_result *res)
{
    uint64_t hits = 0;
    size_t i;

    for (i = 0; i < cs->n; i++) {
        printf("digest %-56s %s %s\n", cs->c[i].id, res[i].digest[0][0] ? res[i].digest[0] : "-",
               res[i].digest[1][0] ? res[i].digest[1] : "-");
        hits += res[i].memo_hits;
    }
    printf("memo hits: %llu\n\n", (unsigned long long)hits);
}

static void verbose_lines(const td_cases *cs, const td_case_result *res)
{
    size_t i;

    for (i = 0; i < cs->n; i++)
        printf("%-16s %-56s reference %-28s wolfSSL %s\n", td_conform_status_name(res[i].status),
               cs->c[i].id, res[i].outcome[0], res[i].outcome[1]);
    printf("\n");
}

int td_cmd_conform(int argc, char **argv)
{
    static td_divergences div;
    td_cases cs = {0};
    td_case_result *res = NULL;
    char why[512], cases_dir[4096], div_path[4096];
    opts o;
    size_t i;
    int rc = 0;
    td_conform_run_info info;

    if (!parse_opts(argc, argv, &o))
        return usage();
    if (!o.cases_dir && td_vectors_path("conformance", cases_dir, sizeof cases_dir) != TD_OK)
        return usage();
    if (!o.div_path && td_vectors_path("divergences", div_path, sizeof div_path) != TD_OK)
        return usage();
    if (td_cases_load_dir(&cs, o.cases_dir ? o.cases_dir : cases_dir, why, sizeof why) != TD_OK ||
        td_divergences_load(o.div_path ? o.div_path : div_path, &div, why, sizeof why) != TD_OK) {
        fprintf(stderr, "conform: %s\n", why);
        td_cases_free(&cs);
        return 2;
    }
    filter_cases(&cs, &o);
    if (cs.n == 0) {
        fprintf(stderr, "conform: no case matches the filter\n");
        td_cases_free(&cs);
        return 2;
    }
    if (o.list || o.seeds) {
        if (o.list)
            list_cases(&cs);
        else
            print_seeds(&cs);
        td_cases_free(&cs);
        return 0;
    }
    if (td_conform_prepare(&cs, why, sizeof why) != TD_OK) {
        fprintf(stderr, "conform: %s\n", why);
        td_cases_free(&cs);
        return 2;
    }
    res = calloc(cs.n, sizeof *res);
    if (!res || !run_all(&cs, &o, &div, res)) {
        fprintf(stderr, "conform: could not run the cases\n");
        free(res);
        td_cases_free(&cs);
        return 2;
    }
    info.cases = &cs;
    info.results = res;
    info.div = &div;
    info.wolfssl_version = TD_WOLFSSL_VERSION;
    if (o.verbose)
        verbose_lines(&cs, res);
    if (o.digests)
        digest_lines(&cs, res);
    td_conform_summary(&info, stdout);
    if (o.junit && !write_file(o.junit, &info, td_conform_junit))
        rc = 2;
    if (o.report && !write_file(o.report, &info, td_conform_markdown))
        rc = 2;
    for (i = 0; i < cs.n && rc == 0; i++)
        if (td_conform_failed(res[i].status))
            rc = 1;
    free(res);
    td_cases_free(&cs);
    return rc;
}
