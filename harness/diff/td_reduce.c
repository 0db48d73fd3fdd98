/*
 * The reducer (td_reduce.h): trials in child processes, delta debugging
 * over edits and over raw bytes, simplification of single edits.
 *
 * Delta debugging after Zeller and Hildebrandt, "Simplifying and
 * Isolating Failure-Inducing Input" (IEEE TSE 28(2), 2002): the input is
 * cut in n chunks and each complement tried; a complement that keeps the
 * difference becomes the input (n - 1 chunks), otherwise n doubles up to
 * single elements. Only complements are tried: a script has at most
 * TD_EDIT_MAX edits, and the trial budget is what bounds the raw bytes.
 */
#define _DEFAULT_SOURCE /* fork, MAP_ANONYMOUS */
#include "td_reduce.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------------------
 * One trial in a child process
 * ------------------------------------------------------------------------ */

/* Shared with the child: what it saw, and who was running when it died. */
typedef struct trial_page {
    td_reduce_trial t;
    volatile sig_atomic_t done;
    volatile char who[TD_REDUCE_WHO_LEN];
} trial_page;

static trial_page *page;

#define TRIAL_SECONDS 60u

/* The sanitizers' hook for their report's end (ASan, UBSan with
 * halt_on_error): weak, so a build without them has none. */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

/* Async-signal-safe: a byte copy of the running subject's name. */
static void note_who(void)
{
    const char *w = td_peer_running();
    size_t i;

    if (!page || !w)
        return;
    for (i = 0; i + 1 < TD_REDUCE_WHO_LEN && w[i]; i++)
        page->who[i] = w[i];
    page->who[i] = '\0';
}

static void on_fatal(int sig)
{
    note_who();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void field_of(const char *line, char *out, size_t cap)
{
    const char *colon = strchr(line, ':');
    size_t n = colon ? (size_t)(colon - line) : strlen(line);

    if (n >= cap)
        n = cap - 1;
    memcpy(out, line, n);
    out[n] = '\0';
}

/* In the child: run, describe, leave. */
static void child_run(const td_target *t, td_span input, td_divergences *div, int quiet)
{
    static td_target_result res;
    td_reduce_trial *o = &page->t;
    static const int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM};
    int null_fd;
    size_t i;

    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], on_fatal);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(note_who);
    if (quiet) { /* the original's report is enough: not one per trial */
        null_fd = open("/dev/null", O_WRONLY);
        if (null_fd < 0 || dup2(null_fd, 2) < 0)
            _exit(3);
    }
    /* a hang ends as a crash too (SIGALRM): a handshake in memory takes
     * milliseconds; libFuzzer's timeout-* artifacts are hangs */
    alarm(TRIAL_SECONDS);
    if (td_target_run(t, input, div, &res, o->why, sizeof o->why) == TD_OK) {
        o->ran = 1;
        o->judgement = res.judgement;
        td_obs_outcome(&res.ref, o->ref, sizeof o->ref);
        td_obs_outcome(&res.wolf, o->wolf, sizeof o->wolf);
        snprintf(o->line, sizeof o->line, "%s", res.line);
        field_of(res.line, o->field, sizeof o->field);
        snprintf(o->edit, sizeof o->edit, "%s", res.edit);
        if (res.hit)
            snprintf(o->hit, sizeof o->hit, "%s", res.hit->id);
    }
    page->done = 1;
    _exit(0);
}

static td_err trial(const td_target *t, td_span input, td_divergences *div, int quiet,
                    td_reduce_trial *out, char *why, size_t cap)
{
    pid_t pid;
    int status = 0;

    if (!page) {
        void *m =
            mmap(NULL, sizeof *page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

        if (m == MAP_FAILED) {
            snprintf(why, cap, "mmap: cannot share a page with the trials");
            return TD_ERR_IO;
        }
        page = m;
    }
    memset(page, 0, sizeof *page);
    fflush(NULL); /* the child must not write the parent's buffers again */
    pid = fork();
    if (pid < 0) {
        snprintf(why, cap, "fork: cannot start a trial");
        return TD_ERR_IO;
    }
    if (pid == 0)
        child_run(t, input, div, quiet);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(why, cap, "waitpid: %s", strerror(errno));
            return TD_ERR_IO;
        }
    }
    memset(out, 0, sizeof *out);
    if (page->done && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        *out = page->t;
        return TD_OK;
    }
    /* a signal, or a sanitizer's exit: a crash of whoever was running */
    out->crashed = 1;
    out->sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    snprintf(out->who, sizeof out->who, "%s", page->who[0] ? (const char *)page->who : "harness");
    return TD_OK;
}

td_err td_reduce_trial_run(const td_target *t, td_span input, td_divergences *div,
                           td_reduce_trial *out, char *why, size_t why_cap)
{
    return trial(t, input, div, 0, out, why, why_cap);
}

int td_reduce_diverges(const td_reduce_trial *a)
{
    return a->crashed || (a->ran && a->judgement != TD_JUDGE_SAME);
}

int td_reduce_same(const td_reduce_trial *a, const td_reduce_trial *b)
{
    if (a->crashed)
        return b->crashed && strcmp(a->who, b->who) == 0;
    return !b->crashed && b->ran && b->judgement != TD_JUDGE_SAME &&
           strcmp(a->field, b->field) == 0 && strcmp(a->ref, b->ref) == 0 &&
           strcmp(a->wolf, b->wolf) == 0;
}

/* ------------------------------------------------------------------------
 * Candidates: one trial each, within the budget
 * ------------------------------------------------------------------------ */

typedef struct rctx {
    const td_target *t;
    td_divergences *div;
    size_t max;
    td_reduce_result *res;
    uint8_t variant;
    td_err err; /* a trial that could not start: stop */
    char *why;
    size_t why_cap;
} rctx;

static int budget_left(rctx *c)
{
    if (c->err != TD_OK)
        return 0;
    if (c->res->trials >= c->max) {
        c->res->exhausted = 1;
        return 0;
    }
    return 1;
}

/* Run one candidate; 1 when it shows the original's difference (then it
 * is the new reduced trial). */
static int try_input(rctx *c, td_span in)
{
    td_reduce_trial tr;

    if (!budget_left(c))
        return 0;
    c->res->trials++;
    c->err = trial(c->t, in, c->div, 1, &tr, c->why, c->why_cap);
    if (c->err != TD_OK || !td_reduce_same(&c->res->original, &tr))
        return 0;
    c->res->reduced = tr;
    return 1;
}

/* variant byte, mode 0 (an edit script), the script's binary form */
static td_err script_input(uint8_t variant, const td_edit_script *s, uint8_t *buf, size_t cap,
                           size_t *len)
{
    td_wr wr;

    ENSURE(cap >= 2, TD_ERR_NOSPACE);
    buf[0] = variant;
    buf[1] = 0;
    td_wr_init(&wr, buf + 2, cap - 2);
    TRY(td_edit_encode(s, &wr));
    *len = 2 + td_wr_len(&wr);
    return TD_OK;
}

static int try_script(rctx *c, const td_edit_script *s)
{
    static uint8_t buf[TD_REDUCE_SCRIPT_MAX];
    size_t n;

    if (script_input(c->variant, s, buf, sizeof buf, &n) != TD_OK)
        return 0; /* no binary form: not a candidate */
    return try_input(c, (td_span){buf, n});
}

/* ------------------------------------------------------------------------
 * ddmin over the edits of a script
 * ------------------------------------------------------------------------ */

/* s without e[from, to) */
static void script_without(const td_edit_script *s, size_t from, size_t to, td_edit_script *out)
{
    size_t i;

    out->n = 0;
    for (i = 0; i < s->n; i++)
        if (i < from || i >= to)
            out->e[out->n++] = s->e[i];
}

static void ddmin_edits(rctx *c, td_edit_script *s)
{
    static td_edit_script cand;
    size_t gran = 2;

    if (s->n == 0)
        return;
    cand.n = 0;
    if (try_script(c, &cand)) { /* the canonical message already shows it */
        s->n = 0;
        return;
    }
    while (s->n > 1 && budget_left(c)) {
        size_t chunk = (s->n + gran - 1) / gran, start;
        int cut = 0;

        for (start = 0; start < s->n && !cut; start += chunk) {
            script_without(s, start, start + chunk, &cand);
            if (try_script(c, &cand)) {
                *s = cand;
                cut = 1;
            }
        }
        if (cut)
            gran = gran > 2 ? gran - 1 : 2;
        else if (chunk == 1)
            break;
        else
            gran = 2 * gran < s->n ? 2 * gran : s->n;
    }
}

/* ------------------------------------------------------------------------
 * Simplifying one edit
 * ------------------------------------------------------------------------ */

static int has_bytes(const td_edit *e)
{
    const td_edit_field_info *fi;

    switch (e->op) {
    case TD_EDIT_EXT_INSERT:
    case TD_EDIT_EXT_SET:
    case TD_EDIT_BYTES:
    case TD_EDIT_REPLACE:
    case TD_EDIT_INJECT:
        return 1;
    case TD_EDIT_SET:
        fi = td_edit_field_about(e->field);
        return fi && fi->kind != TD_EK_U8 && fi->kind != TD_EK_U16 && fi->kind != TD_EK_U32 &&
               fi->kind != TD_EK_BOOL;
    default:
        return 0;
    }
}

/* e with its bytes cut to [from, from + n); `bytes` keeps its place on
 * the body (its offset moves with the cut). */
static td_edit cut_bytes(const td_edit *e, size_t from, size_t n)
{
    td_edit o = *e;

    memset(o.bytes, 0, sizeof o.bytes);
    memcpy(o.bytes, e->bytes + from, n);
    o.len = (uint16_t)n;
    if (e->op == TD_EDIT_BYTES)
        o.num = e->num + (int64_t)from;
    return o;
}

/* The simpler forms of a byte value, in the order they are tried:
 * empty, its first byte, its first half, its second half, one byte less
 * at either end (short values), all zero. */
static size_t bytes_candidates(const td_edit *e, td_edit *out)
{
    size_t n = 0, L = e->len, i;
    int zero = 1;

    if (L == 0)
        return 0;
    out[n++] = cut_bytes(e, 0, 0);
    if (L > 1)
        out[n++] = cut_bytes(e, 0, 1);
    if (L > 2)
        out[n++] = cut_bytes(e, 0, L / 2);
    if (L > 1)
        out[n++] = cut_bytes(e, L / 2, L - L / 2);
    if (L > 2 && L <= 16) {
        out[n++] = cut_bytes(e, 0, L - 1);
        out[n++] = cut_bytes(e, 1, L - 1);
    }
    for (i = 0; i < L; i++)
        zero &= e->bytes[i] == 0;
    if (!zero) {
        out[n] = *e;
        memset(out[n].bytes, 0, L);
        n++;
    }
    return n;
}

/* The simpler forms of one edit (at most 8). Integer values of `set`,
 * offsets, truncation points, positions of `ext move` and split sizes
 * are the finding itself: left as they are. */
static size_t edit_candidates(const td_edit *e, td_edit *out)
{
    size_t n = has_bytes(e) ? bytes_candidates(e, out) : 0;

    switch (e->op) {
    case TD_EDIT_LENGTH:
        /* towards +-1: the header off by one byte */
        if (e->num > 1 || e->num < -1) {
            out[n] = *e;
            out[n++].num = e->num > 0 ? 1 : -1;
            out[n] = *e;
            out[n++].num = e->num / 2;
        }
        break;
    case TD_EDIT_REPEAT:
        if (e->num > 1) {
            out[n] = *e;
            out[n++].num = 1;
        }
        break;
    case TD_EDIT_EXT_INSERT:
        if (e->num != -1) { /* the default place: last */
            out[n] = *e;
            out[n++].num = -1;
        }
        break;
    default:
        break;
    }
    return n;
}

/* Simplify s->e[i] until none of its simpler forms keeps the difference;
 * 1 when it changed. Each accepted form is strictly smaller (fewer bytes,
 * a smaller magnitude, zero bytes), so this ends. */
static int simplify_edit(rctx *c, td_edit_script *s, size_t i)
{
    static td_edit_script cand;
    td_edit forms[8];
    int changed = 0, again = 1;
    char why[8];

    while (again && budget_left(c)) {
        size_t k, n = edit_candidates(&s->e[i], forms);

        again = 0;
        for (k = 0; k < n && !again; k++) {
            if (td_edit_check(&forms[k], why, sizeof why) != TD_OK)
                continue;
            cand = *s;
            cand.e[i] = forms[k];
            if (try_script(c, &cand)) {
                *s = cand;
                again = changed = 1;
            }
        }
    }
    return changed;
}

static void reduce_script(rctx *c, td_edit_script *s)
{
    size_t i;
    int changed = 0;

    ddmin_edits(c, s);
    for (i = 0; i < s->n; i++)
        changed |= simplify_edit(c, s, i);
    if (changed && s->n > 1)
        ddmin_edits(c, s); /* a simpler edit may have made another useless */
}

/* ------------------------------------------------------------------------
 * Raw inputs
 * ------------------------------------------------------------------------ */

/* ddmin over the bytes of payload p[0..*n) in place; buf holds a
 * candidate input (*n + 2 bytes). */
static void ddmin_bytes(rctx *c, uint8_t *p, size_t *n, uint8_t *buf)
{
    size_t gran = 2;

    while (*n > 1 && budget_left(c)) {
        size_t chunk = (*n + gran - 1) / gran, start;
        int cut = 0;

        for (start = 0; start < *n && !cut; start += chunk) {
            size_t end = start + chunk < *n ? start + chunk : *n;

            /* buf gets the input without p[start, end) */
            memcpy(buf + 2, p, start);
            memcpy(buf + 2 + start, p + end, *n - end);
            buf[0] = c->variant;
            buf[1] = 1;
            if (try_input(c, (td_span){buf, 2 + *n - (end - start)})) {
                memmove(p + start, p + end, *n - end);
                *n -= end - start;
                cut = 1;
            }
        }
        if (cut)
            gran = gran > 2 ? gran - 1 : 2;
        else if (chunk == 1)
            break;
        else
            gran = 2 * gran < *n ? 2 * gran : *n;
    }
}

/* A raw payload as a script over the canonical message: the exact diff
 * first, then `replace`. 1 with *s set when one reproduces. */
static int raw_as_script(rctx *c, td_span payload, td_edit_script *s)
{
    static uint8_t canon[1 << 17];
    char why[256];
    size_t clen;
    int form;

    if (td_reduce_canonical(c->t, c->res->variant, canon, sizeof canon, &clen, why, sizeof why) !=
        TD_OK)
        return 0;
    for (form = 0; form < 2; form++) {
        if (td_reduce_raw_script(payload, (td_span){canon, clen}, form, s) != TD_OK)
            continue;
        if (try_script(c, s))
            return 1;
    }
    return 0;
}

/* The raw path; the result in res (script or raw) and out. */
static td_err reduce_raw(rctx *c, td_span payload, uint8_t *out, size_t cap)
{
    td_reduce_result *res = c->res;
    uint8_t *p, *buf;
    size_t n = payload.len;

    if (raw_as_script(c, payload, &res->script)) {
        res->from_raw = 1;
        reduce_script(c, &res->script);
        return script_input(c->variant, &res->script, out, cap, &res->out_len);
    }
    ENSURE(cap >= payload.len + 2, TD_ERR_NOSPACE);
    p = malloc(payload.len + 1);
    buf = malloc(payload.len + 2);
    if (!p || !buf) {
        free(p);
        free(buf);
        return TD_ERR_NOSPACE;
    }
    memcpy(p, payload.p, payload.len);
    ddmin_bytes(c, p, &n, buf);
    res->form = TD_REDUCE_RAW;
    out[0] = c->variant;
    out[1] = 1;
    memcpy(out + 2, p, n);
    res->out_len = n + 2;
    free(p);
    free(buf);
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * The whole reduction
 * ------------------------------------------------------------------------ */

td_err td_reduce_run(const td_target *t, td_span input, td_divergences *div,
                     const td_reduce_opts *opts, uint8_t *out, size_t cap, td_reduce_result *res,
                     char *why, size_t why_cap)
{
    rctx c;
    size_t nv = td_target_variants(t);
    int raw = input.len > 1 && (input.p[1] & 1);
    td_span payload = input.len > 2 ? (td_span){input.p + 2, input.len - 2} : (td_span){NULL, 0};

    memset(res, 0, sizeof *res);
    memset(&c, 0, sizeof c);
    c.t = t;
    c.div = div;
    c.max = opts && opts->max_trials ? opts->max_trials : TD_REDUCE_MAX_TRIALS;
    c.res = res;
    c.why = why;
    c.why_cap = why_cap;
    res->variant = input.len > 0 ? input.p[0] % nv : 0; /* as td_target_run picks it */
    res->profile = t->profiles[res->variant];
    c.variant = (uint8_t)res->variant;
    ENSURE(cap >= input.len + TD_REDUCE_SCRIPT_MAX, TD_ERR_NOSPACE);
    /* the original, with whatever it writes on stderr (a crash report) */
    TRY(trial(t, input, div, 0, &res->original, why, why_cap));
    res->trials = 1;
    res->reduced = res->original;
    if (!res->original.ran && !res->original.crashed) {
        snprintf(why, why_cap, "%s", res->original.why);
        return TD_ERR_INTERNAL;
    }
    if (!td_reduce_diverges(&res->original)) {
        memcpy(out, input.p, input.len);
        res->out_len = input.len;
        res->form = raw ? TD_REDUCE_RAW : TD_REDUCE_SCRIPT;
        return TD_OK;
    }
    if (raw && payload.len > 0)
        TRY(reduce_raw(&c, payload, out, cap));
    else {
        /* bytes that are no script are the canonical message (td_target_run) */
        if (raw || td_edit_decode(payload, &res->script) != TD_OK)
            res->script.n = 0;
        reduce_script(&c, &res->script);
        TRY(script_input(c.variant, &res->script, out, cap, &res->out_len));
    }
    return c.err;
}
