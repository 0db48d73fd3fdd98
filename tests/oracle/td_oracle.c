/*
 * The differential oracle against bugs put into the reference on purpose
 * (harness/include/td_inject.h). This program links td_harness_bugs: the
 * harness over td_ref_bugs, the reference compiled with TD_INJECT_BUGS,
 * where td_injected_bug switches one MUST check off. tlsdiff, td_tests and
 * the fuzz targets are built from td_ref and have no bug site.
 *
 * The bugs, the message target whose runs must catch each, and what the
 * reduced script must name:
 *   dup_extension      the extension block's duplicate check off (RFC 8446
 *                      4.2, RFC 5246 7.4.1.4)   server_hello
 *                      ext dup, or ext insert of a type the message has
 *   skip_finished      Finished verify_data always right, both sides and
 *                      versions (RFC 8446 4.4.4, RFC 5246 7.4.9)
 *                      server_finished   set verify_data, bytes, replace
 *   sh_no_key_share    a TLS 1.3 client takes a ServerHello without
 *                      key_share and goes on with no (EC)DHE input (RFC
 *                      8446 4.2.8, 9.2)   server_hello   ext drop key_share
 *   early_ccs          a TLS 1.2 ChangeCipherSpec between handshake
 *                      messages before the keys exist is dropped, not
 *                      refused (RFC 5246 7.1; the CVE-2014-0224 class)
 *                      server_key_exchange   record/plain change_cipher_spec
 *   suite_not_offered  a client takes a ServerHello cipher_suite it did not
 *                      offer but implements (RFC 8446 4.1.3, RFC 5246
 *                      7.4.1.3)   server_hello   set cipher_suite
 *   compression        a server takes legacy_compression_methods other than
 *                      [null] (RFC 8446 4.1.2) or without null (RFC 5246
 *                      7.4.1.2)   client_hello   set legacy_compression_methods
 *
 * For each bug, on its message target and then on the flight target:
 *   (a) baseline: with no bug on, every seed the hunt starts from judges
 *       same or known, so what (b) finds is not there anyway;
 *   (b) with the bug on, the seeds as they are, then mutations of them as
 *       a fuzzer makes them: a seed (picked by a splitmix64 stream with a
 *       fixed start) with 1 to 3 steps of td_edit_mutate_msg (the custom
 *       mutator's core) over the canonical message of its variant. Within
 *       MAX_RUNS runs one must judge new (td_target_run, vectors/
 *       divergences) and be the bug's: run with no bug it judges not new,
 *       or new with another first difference (another divergence class of
 *       targets/common/td_fuzz_diff.c: target, profile, first difference).
 *       A difference the bug-free reference shows as well is passed over
 *       and counted. The runs it took are printed;
 *   (c) the flight target (td_target_find("flight"); skipped with a line
 *       saying so when there is none) the same way, from the seeds in
 *       corpus/flight/ of its variants that send the message target's
 *       message to a subject in the same role (byte 0 picks the variant);
 *   (d) td_reduce_run (tlsdiff explain), the bug still on, reduces the
 *       input to a script that names the culprit (the table above), and
 *       that script, run with no bug, shows another difference or none.
 * Everything is deterministic: the same build and vectors give the same
 * runs. No assertion is about time.
 *
 * Usage: td_oracle [BUG]  (one bug by its name above; default all)
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_edit.h"
#include "td_inject.h"
#include "td_peer.h"
#include "td_reduce.h"

/* The switch the bug sites of td_ref_bugs read. */
int td_injected_bug = TD_BUG_NONE;

#define MAX_RUNS 3000u   /* target runs per bug and target, the seeds first */
#define MAX_SEEDS 256u
#define MAX_STEPS 3u     /* mutation steps stacked on a seed */
#define CANON_MAX 16384u /* a canonical handshake message */
#define INPUT_MAX (TD_REDUCE_SCRIPT_MAX + 2u)

typedef struct bug_case {
    td_bug bug;
    const char *name;
    const char *target;
    const char *culprit[4]; /* one of these is in the reduced script */
} bug_case;

static const bug_case bugs[] = {
    {TD_BUG_DUP_EXTENSION, "dup_extension", "server_hello", {"ext dup ", "ext insert "}},
    {TD_BUG_SKIP_FINISHED, "skip_finished", "server_finished",
     {"set verify_data ", "bytes ", "replace "}},
    {TD_BUG_SH_NO_KEY_SHARE, "sh_no_key_share", "server_hello", {"ext drop key_share"}},
    {TD_BUG_EARLY_CCS, "early_ccs", "server_key_exchange",
     {"record change_cipher_spec ", "plain change_cipher_spec "}},
    {TD_BUG_SUITE_NOT_OFFERED, "suite_not_offered", "server_hello", {"set cipher_suite "}},
    {TD_BUG_COMPRESSION, "compression", "client_hello", {"set legacy_compression_methods "}},
};
#define N_BUGS (sizeof bugs / sizeof bugs[0])

static td_divergences known;

/* ------------------------------------------------------------------------
 * Seeds and the canonical messages the mutator edits
 * ------------------------------------------------------------------------ */
typedef struct seed {
    uint8_t p[INPUT_MAX];
    size_t n;
} seed;

typedef struct corpus {
    seed s[MAX_SEEDS];
    size_t n;
    /* per variant: the canonical message (header and body) and its form */
    uint8_t canon[TD_TARGET_MAX_VARIANTS][CANON_MAX];
    size_t canon_len[TD_TARGET_MAX_VARIANTS];
    td_msg_ctx ctx[TD_TARGET_MAX_VARIANTS];
    uint8_t msg_type[TD_TARGET_MAX_VARIANTS];
} corpus;

static int by_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Whether variant v of t sends the message of `like` (a message target)
 * to a subject in its role; every variant when like is NULL. */
static int sends_like(const td_target *t, size_t v, const td_target *like)
{
    td_target_variant tv;

    td_target_variant_of(t, v, &tv);
    return !like || (tv.msg_type == like->msg_type && tv.subject_role == like->subject_role);
}

static void add_seed(corpus *c, const td_target *t, const td_target *like, const uint8_t *p,
                     size_t n)
{
    size_t v = n > 0 ? p[0] % td_target_variants(t) : 0;

    if (c->n == MAX_SEEDS || n == 0 || n > INPUT_MAX || !sends_like(t, v, like))
        return;
    memcpy(c->s[c->n].p, p, n);
    c->s[c->n++].n = n;
}

/* corpus/<target>/'s files in name order (regressions/ and other folders
 * left out), else the canonical seed of each variant; of a picking
 * target, those of the variants that send like's message. */
static void load_seeds(const td_target *t, const td_target *like, corpus *c)
{
    static char names[1024][64];
    static uint8_t buf[INPUT_MAX + 1];
    char dir[1024], path[1200];
    size_t n = 0, i;
    struct dirent *de;
    DIR *d;

    snprintf(dir, sizeof dir, "%s/corpus/%s", TD_SOURCE_DIR, t->name);
    d = opendir(dir);
    while (d && (de = readdir(d)) != NULL && n < sizeof names / sizeof names[0])
        if (de->d_name[0] != '.' && strlen(de->d_name) < sizeof names[0] &&
            strcmp(de->d_name, "regressions") != 0)
            snprintf(names[n++], sizeof names[0], "%s", de->d_name);
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    c->n = 0;
    for (i = 0; i < n; i++) {
        FILE *f;

        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        f = fopen(path, "rb");
        if (f) {
            add_seed(c, t, like, buf, fread(buf, 1, sizeof buf, f));
            fclose(f);
        }
    }
    for (i = 0; n == 0 && i < td_target_variants(t); i++)
        add_seed(c, t, like, buf, td_target_seed(i, buf, sizeof buf));
}

/* The form the mutator decodes a variant's message in: TLS 1.2 for the
 * tls12- profiles, RSA key transport for tls12-rsa-* (vectors/profiles). */
static td_msg_ctx ctx_of(const char *profile)
{
    td_msg_ctx x;

    memset(&x, 0, sizeof x);
    x.version = strncmp(profile, "tls12-", 6) == 0 ? 0x0303 : 0x0304;
    x.kx = strncmp(profile, "tls12-rsa-", 10) == 0 ? TD_KX_RSA : TD_KX_ECDHE;
    return x;
}

static size_t variant_of(const td_target *t, const seed *s)
{
    return s->p[0] % td_target_variants(t); /* seeds are never empty */
}

/* Per variant with a seed: the message under test (a picking target's
 * differs per variant, td_target.h) and its canonical form, for the
 * mutator: the message td_reduce_canonical captures for a one-variant
 * message target of that profile, role and type (the first of its
 * type). */
static void load_canon(const td_target *t, corpus *c)
{
    size_t v, i;
    char why[256];

    memset(c->canon_len, 0, sizeof c->canon_len); /* the mutator: the type only */
    for (v = 0; v < td_target_variants(t); v++) {
        td_target_variant tv;
        td_target one;

        td_target_variant_of(t, v, &tv);
        c->msg_type[v] = tv.msg_type;
        c->ctx[v] = ctx_of(tv.profile);
        for (i = 0; i < c->n && variant_of(t, &c->s[i]) != v; i++)
            ;
        if (i == c->n || tv.post_handshake)
            continue;
        memset(&one, 0, sizeof one);
        one.name = t->name;
        one.subject_role = tv.subject_role;
        one.msg_type = tv.msg_type;
        one.profiles[0] = tv.profile;
        if (td_reduce_canonical(&one, 0, c->canon[v], CANON_MAX, &c->canon_len[v], why,
                                sizeof why) != TD_OK)
            c->canon_len[v] = 0;
    }
}

/* ------------------------------------------------------------------------
 * Runs
 * ------------------------------------------------------------------------ */
typedef struct verdict {
    td_judgement j;
    char profile[64];
    char edit[256];
    char line[TD_OBS_LINE_LEN];
} verdict;

static verdict run_with(const td_target *t, const uint8_t *p, size_t n, td_bug bug)
{
    static td_target_result res;
    verdict v;
    char why[512] = "";

    td_injected_bug = bug;
    ck_assert_msg(td_target_run(t, (td_span){p, n}, &known, &res, why, sizeof why) == TD_OK,
                  "%s: the harness could not run an input: %s", t->name, why);
    td_injected_bug = TD_BUG_NONE;
    v.j = res.judgement;
    snprintf(v.profile, sizeof v.profile, "%s", res.profile);
    snprintf(v.edit, sizeof v.edit, "%s", res.edit);
    snprintf(v.line, sizeof v.line, "%s", res.line);
    return v;
}

/* A new divergence with the bug that the bug made: without it the input
 * judges not new, or new with another first difference. */
static int bug_made(const verdict *with, const verdict *without)
{
    return with->j == TD_JUDGE_NEW &&
           (without->j != TD_JUDGE_NEW || strcmp(with->line, without->line) != 0);
}

/* splitmix64, as the mutator's own stream */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Input number `run`: the seeds as they are, then a seed mutated. */
static size_t input_of(const td_target *t, const corpus *c, size_t run, uint64_t *rng,
                       uint8_t *in)
{
    const seed *s;
    size_t n, k, steps, v;

    if (run < c->n) {
        memcpy(in, c->s[run].p, c->s[run].n);
        return c->s[run].n;
    }
    s = &c->s[next(rng) % c->n];
    memcpy(in, s->p, s->n);
    n = s->n < 2 ? 2 : s->n; /* a variant's canonical message */
    in[1] = s->n < 2 ? 0 : in[1] & (uint8_t)~1u; /* an edit script (a raw seed
                                                  becomes its variant's canonical one) */
    v = variant_of(t, s);
    steps = 1 + next(rng) % MAX_STEPS;
    for (k = 0; k < steps; k++) {
        td_span body = {NULL, 0};

        if (c->canon_len[v] > TD_HANDSHAKE_HEADER_LEN)
            body = (td_span){c->canon[v] + TD_HANDSHAKE_HEADER_LEN,
                             c->canon_len[v] - TD_HANDSHAKE_HEADER_LEN};
        n = 2 + td_edit_mutate_msg(in + 2, n - 2, INPUT_MAX - 2, (unsigned)next(rng),
                                   c->msg_type[v], body, &c->ctx[v]);
    }
    return n;
}

/* (a) every seed, no bug: same or known */
static void baseline(const td_target *t, const corpus *c)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        verdict v = run_with(t, c->s[i].p, c->s[i].n, TD_BUG_NONE);

        ck_assert_msg(v.j != TD_JUDGE_NEW,
                      "%s seed %zu (%s, %s) diverges with no bug switched on: %s", t->name, i,
                      v.profile, v.edit, v.line);
    }
}

/* (b), (c): runs until the bug shows; 0 if it never does in MAX_RUNS. */
static size_t hunt(const td_target *t, const corpus *c, const bug_case *b, uint8_t *found,
                   size_t *found_len, size_t *passed_over, verdict *shown)
{
    uint64_t rng = 0x0a11c1e5ULL + (uint64_t)b->bug;
    size_t run;

    *passed_over = 0;
    for (run = 0; run < MAX_RUNS; run++) {
        size_t n = input_of(t, c, run, &rng, found);
        verdict with = run_with(t, found, n, b->bug), without;

        if (with.j != TD_JUDGE_NEW)
            continue;
        without = run_with(t, found, n, TD_BUG_NONE);
        if (!bug_made(&with, &without)) {
            (*passed_over)++;
            continue;
        }
        *found_len = n;
        *shown = with;
        return run + 1;
    }
    return 0;
}

/* (e) the reduced script names the culprit */
static void reduce(const td_target *t, const bug_case *b, const uint8_t *in, size_t n)
{
    static uint8_t out[INPUT_MAX + TD_REDUCE_SCRIPT_MAX];
    static td_reduce_result r;
    char why[512] = "", script[1024];
    verdict without;
    size_t i;
    int named = 0;

    td_injected_bug = b->bug; /* the trials' child processes inherit it */
    ck_assert_msg(td_reduce_run(t, (td_span){in, n}, &known, NULL, out, sizeof out, &r, why,
                                sizeof why) == TD_OK,
                  "%s: reduce: %s", b->name, why);
    td_injected_bug = TD_BUG_NONE;
    ck_assert_msg(td_reduce_diverges(&r.original), "%s: the input no longer diverges",
                  b->name);
    ck_assert_msg(r.form == TD_REDUCE_SCRIPT, "%s: reduced to raw bytes, not a script",
                  b->name);
    (void)td_edit_print(&r.script, script, sizeof script);
    printf("  reduced in %zu trials: [%s] %s\n    %s\n", r.trials, r.profile, script,
           r.reduced.line);
    for (i = 0; i < 4 && b->culprit[i]; i++)
        named |= strstr(script, b->culprit[i]) != NULL;
    ck_assert_msg(named, "%s: the reduced script '%s' does not name the culprit (%s...)",
                  b->name, script, b->culprit[0]);
    /* and it is the bug's: without it, another difference or none */
    without = run_with(t, out, r.out_len, TD_BUG_NONE);
    ck_assert_msg(without.j != TD_JUDGE_NEW || strcmp(without.line, r.reduced.line) != 0,
                  "%s: the reduced script diverges the same way with no bug: %s", b->name,
                  without.line);
}

/* The hunt on target t (of a picking target, from the seeds of the
 * variants that send the message of `like`, the bug's message target). */
static void catch_bug(const bug_case *b, const td_target *t, const td_target *like)
{
    static corpus c;
    static uint8_t found[INPUT_MAX];
    size_t runs, n = 0, passed;
    verdict v;

    load_seeds(t, t->variants ? like : NULL, &c);
    ck_assert_msg(c.n > 0, "%s: no seeds", t->name);
    load_canon(t, &c);
    baseline(t, &c);
    runs = hunt(t, &c, b, found, &n, &passed, &v);
    ck_assert_msg(runs > 0, "%s: %s: no divergence the bug made in %u runs (%zu passed over)",
                  b->name, t->name, MAX_RUNS, passed);
    printf("%s: %s: a new divergence after %zu runs (%zu seeds; %zu differences the "
           "bug-free reference shows too passed over)\n  [%s] %s\n    %s\n",
           b->name, t->name, runs, c.n, passed, v.profile, v.edit, v.line);
    reduce(t, b, found, n);
    fflush(stdout);
}

static void load_known(void)
{
    char path[1024], why[512];

    ck_assert_int_eq(td_vectors_path("divergences", path, sizeof path), TD_OK);
    ck_assert_msg(td_divergences_load(path, &known, why, sizeof why) == TD_OK, "%s", why);
}

START_TEST(bug_caught)
{
    const bug_case *b = &bugs[_i];
    const td_target *t = td_target_find(b->target), *flight = td_target_find("flight");

    ck_assert_msg(t != NULL, "no target %s", b->target);
    load_known();
    catch_bug(b, t, t);
    if (flight)
        catch_bug(b, flight, t);
    else
        printf("%s: flight target not present\n", b->name);
    fflush(stdout);
}
END_TEST

/* With a bug on, the canonical message of its target still agrees: a bug
 * changes nothing where its check does not fire. */
START_TEST(canonical_unchanged)
{
    const bug_case *b = &bugs[_i];
    const td_target *t = td_target_find(b->target);
    uint8_t in[2] = {0, 0};
    verdict v;

    load_known();
    ck_assert_ptr_nonnull(t);
    v = run_with(t, in, sizeof in, b->bug);
    ck_assert_msg(v.j != TD_JUDGE_NEW, "%s: the canonical %s diverges with the bug on: %s",
                  b->name, b->target, v.line);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("oracle");
    TCase *tc = tcase_create("injected_bugs");
    SRunner *sr;
    size_t lo = 0, hi = N_BUGS, i;
    int failed;

    if (argc > 2) {
        fprintf(stderr, "usage: td_oracle [BUG]\n");
        return 2;
    }
    for (i = 0; argc == 2 && i < N_BUGS; i++)
        if (strcmp(argv[1], bugs[i].name) == 0) {
            lo = i;
            hi = i + 1;
        }
    if (argc == 2 && hi - lo != 1) {
        fprintf(stderr, "td_oracle: no bug named '%s'\n", argv[1]);
        return 2;
    }
    /* Every run whole: a snapshot of the prefix (td_peer.c) is keyed on
     * the case, not on the bug switched on, so a prefix taken without the
     * bug could stand in for one with it. The memo cache needs no such
     * care: no bug site is in the crypto adapter. */
    td_peer_set_snapshots(0);
    tcase_set_timeout(tc, 900); /* a guard against a hang, not a measure */
    tcase_add_loop_test(tc, canonical_unchanged, (int)lo, (int)hi);
    tcase_add_loop_test(tc, bug_caught, (int)lo, (int)hi);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
