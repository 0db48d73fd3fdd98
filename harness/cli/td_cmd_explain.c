/*
 * tlsdiff explain TARGET FILE [-o OUT]
 *
 * Reduce a diverging or crashing input of a message-level target
 * (td_target.h) to the smallest edit script over the canonical message
 * that still shows the same difference (td_reduce.h), and print it: the
 * original judgement, the reduced script, the variant and its profile,
 * the number of trial runs, both outcomes and the difference, and the
 * vectors/divergences entry it matches. The reduced input is printed as
 * hex and written to OUT (default FILE.min), which `tlsdiff replay` and
 * the fuzz targets run as they run FILE.
 *
 * Exit: 0 reduced (the input shows a difference or a crash); 1 the input
 * shows no difference (nothing to explain); 2 usage errors, a file that
 * cannot be read or written, an edit-mode input whose script does not
 * decode, or a harness error.
 */
#include "td_cli.h"

#include "td_reduce.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPLAIN_MAX (1u << 20)
#define HEX_PRINT_MAX 512u

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: tlsdiff explain TARGET FILE [-o OUT]\n  targets:");
    for (i = 0; i < td_target_count(); i++)
        fprintf(f, " %s", td_target_at(i)->name);
    fprintf(f, "\n");
}

/* The whole file into buf; one line on stderr and 0 when it cannot. */
static int read_input(const char *path, uint8_t *buf, size_t cap, size_t *n)
{
    FILE *f = fopen(path, "rb");
    int ok;

    if (!f) {
        fprintf(stderr, "tlsdiff: explain: %s: cannot read: %s\n", path, strerror(errno));
        return 0;
    }
    *n = fread(buf, 1, cap, f);
    ok = !ferror(f) && feof(f);
    if (!ok)
        fprintf(stderr, "tlsdiff: explain: %s: %s\n", path,
                ferror(f) ? strerror(errno) : "larger than 1 MiB");
    fclose(f);
    return ok;
}

/* An edit-mode input whose bytes are no script runs as the canonical
 * message (td_target_run): that is no finding of its own. */
static int corrupt_script(const uint8_t *p, size_t n)
{
    static td_edit_script s;

    return n > 2 && !(p[1] & 1) && td_edit_decode((td_span){p + 2, n - 2}, &s) != TD_OK;
}

static void print_trial(const char *label, const td_reduce_trial *t)
{
    char how[32];

    if (t->sig)
        snprintf(how, sizeof how, "signal %d", t->sig);
    else
        snprintf(how, sizeof how, "a sanitizer's report");
    if (t->crashed)
        printf("  %s: crash while running the %s%s (%s)\n", label, t->who,
               strcmp(t->who, "harness") == 0 ? "" : " subject", how);
    else if (t->judgement == TD_JUDGE_SAME)
        printf("  %s: same (reference %s, wolfSSL %s)\n", label, t->ref, t->wolf);
    else
        printf("  %s: %s: %s\n", label, t->judgement == TD_JUDGE_KNOWN ? "known" : "new", t->line);
}

static void print_entry(td_divergences *div, const td_reduce_trial *t)
{
    size_t i;

    if (t->crashed)
        return;
    for (i = 0; t->hit[0] && i < div->n; i++)
        if (strcmp(div->e[i].id, t->hit) == 0) {
            printf("  divergence: known %s (%s; right: %s)\n", div->e[i].id, div->e[i].clause,
                   div->e[i].right);
            return;
        }
    printf("  divergence: not in vectors/divergences\n");
}

static void print_reduced(const td_reduce_result *r)
{
    char text[1024];

    if (r->form == TD_REDUCE_RAW) {
        printf("  reduced: raw %zu bytes (no edit script over the canonical message shows "
               "it)\n",
               r->out_len - 2);
        return;
    }
    if (r->script.n == 0)
        snprintf(text, sizeof text, "canonical (the unedited message shows it)");
    else
        (void)td_edit_print(&r->script, text, sizeof text);
    printf("  reduced%s: %s\n",
           r->from_raw ? " (the raw bytes written over the canonical message)" : "", text);
}

static int write_output(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "tlsdiff: explain: %s: cannot write: %s\n", path, strerror(errno));
        return 0;
    }
    return 1;
}

/* The input's edit as td_target_run names it (a crashed run said
 * nothing). */
static void describe(td_span in, char *buf, size_t cap)
{
    static td_edit_script s;

    if (in.len > 2 && (in.p[1] & 1))
        snprintf(buf, cap, "raw %zu bytes", in.len - 2);
    else if (in.len > 2 && td_edit_decode((td_span){in.p + 2, in.len - 2}, &s) == TD_OK && s.n)
        (void)td_edit_print(&s, buf, cap);
    else
        snprintf(buf, cap, "canonical");
}

static void report(const char *file, const td_target *t, td_divergences *div, td_span in,
                   const td_reduce_result *r, const uint8_t *out, const char *out_path)
{
    char edit[1024];
    size_t i;

    describe(in, edit, sizeof edit);
    printf("%s: %s, variant %zu (profile %s), edit: %s\n", file, t->name, r->variant, r->profile,
           edit);
    print_trial("original", &r->original);
    print_reduced(r);
    printf("  trials: %zu%s\n", r->trials,
           r->exhausted ? " (stopped at the limit: the reduction may not be minimal)" : "");
    if (r->reduced.crashed)
        printf("  outcomes: crash in the %s\n", r->reduced.who);
    else
        printf("  outcomes: reference %s, wolfSSL %s\n", r->reduced.ref, r->reduced.wolf);
    if (r->reduced.crashed)
        printf("  difference: the crash\n");
    else
        printf("  difference: %s\n", r->reduced.line);
    print_entry(div, &r->reduced);
    printf("  input: ");
    for (i = 0; i < r->out_len && i < HEX_PRINT_MAX; i++)
        printf("%02x", out[i]);
    printf("%s (%zu bytes, in %s)\n", r->out_len > HEX_PRINT_MAX ? "..." : "", r->out_len,
           out_path);
}

/* argv[0] is "explain" */
int td_cmd_explain(int argc, char **argv)
{
    static td_divergences div;
    static uint8_t in[EXPLAIN_MAX], out[EXPLAIN_MAX + TD_REDUCE_SCRIPT_MAX];
    static td_reduce_result res;
    const td_target *t;
    const char *file, *out_path = NULL, *pos[2];
    char path[1024], why[512], def_out[1100];
    size_t n;
    int i, npos = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out_path = argv[++i];
        else if ((argv[i][0] == '-' && argv[i][1]) || npos == 2)
            npos = 3; /* an unknown option or a third operand */
        else
            pos[npos++] = argv[i];
    }
    if (npos != 2) {
        usage(stderr);
        return 2;
    }
    file = pos[1];
    t = td_target_find(pos[0]);
    if (!t) {
        fprintf(stderr, "tlsdiff: explain: no target '%s'\n", pos[0]);
        usage(stderr);
        return 2;
    }
    if (!out_path) {
        snprintf(def_out, sizeof def_out, "%s.min", file);
        out_path = def_out;
    }
    if (!read_input(file, in, sizeof in, &n))
        return 2;
    if (corrupt_script(in, n)) {
        fprintf(stderr,
                "tlsdiff: explain: %s: corrupt: mode %u but the rest is no edit script "
                "(td_edit_decode)\n",
                file, in[1]);
        return 2;
    }
    if (td_vectors_path("divergences", path, sizeof path) != TD_OK ||
        td_divergences_load(path, &div, why, sizeof why) != TD_OK) {
        fprintf(stderr, "tlsdiff: explain: %s\n", why);
        return 2;
    }
    if (td_reduce_run(t, (td_span){in, n}, &div, NULL, out, sizeof out, &res, why, sizeof why) !=
        TD_OK) {
        fprintf(stderr, "tlsdiff: explain: %s: %s\n", file, why);
        return 2;
    }
    if (!td_reduce_diverges(&res.original)) {
        printf("%s: %s, variant %zu (profile %s), edit: %s\n", file, t->name, res.variant,
               res.profile, res.original.edit);
        print_trial("original", &res.original);
        printf("  nothing to explain: both subjects behave the same\n");
        return 1;
    }
    if (!write_output(out_path, out, res.out_len))
        return 2;
    report(file, t, &div, (td_span){in, n}, &res, out, out_path);
    return 0;
}
