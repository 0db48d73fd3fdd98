/*
 * tlsdiff fuzz TARGET [--time S] [--jobs N] [--runs N] [--raw] [--build DIR]
 *
 * Run one libFuzzer target of the fuzz preset's build (DIR: --build, else
 * $TLSDIFF_FUZZ_BUILD, else build/fuzz of the source tree) the way it is
 * meant to run:
 *   - DIR/targets/TARGET with the options of DIR/targets/TARGET.options
 *     (max_len, and dict, the TLS dictionary td_dict_gen writes);
 *   - a working corpus DIR/artifacts/TARGET/corpus/, where libFuzzer
 *     writes what it finds, read with corpus/TARGET/ and
 *     corpus/regressions/TARGET/, which stay untouched;
 *   - artifacts (crash-*, leak-*, timeout-*, oom-*) and the log fuzz.log
 *     in DIR/artifacts/TARGET/;
 *   - --time: -max_total_time; --runs: -runs; --jobs N: libFuzzer's fork
 *     mode (-fork=N); --raw: TD_FUZZ_RAW=1, byte mutation of the whole
 *     input instead of the edit-script mutator (differential targets);
 *   - TD_FUZZ_DIVERGENCE_DIR for the differential targets, so a new
 *     divergence is recorded once per class and fuzzing goes on
 *     (targets/common/td_fuzz_diff.h).
 * While it runs, one progress line on a terminal (execs, exec/s,
 * coverage, corpus, divergences, crashes); at the end a summary with each
 * new divergence's one-line explanation. A crash of a differential target
 * is replayed (tlsdiff replay, in a child) to name the subject that
 * crashed.
 *
 * Exit: 0 nothing found; 1 a crash, leak, timeout or invariant failure in
 * the harness, the reference or a codec or x509 target (our bugs), or
 * libFuzzer failed; 2 usage or setup errors (no fuzz build); 3 findings
 * only: new divergences, or crashes inside wolfSSL.
 */
#define _POSIX_C_SOURCE 200809L

#include "td_cli.h"

#include "td_fuzz_run.h"
#include "td_target.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tlsdiff fuzz TARGET [--time S] [--jobs N] [--runs N] [--raw] [--build DIR]\n"
            "  TARGET: one of 'tlsdiff list fuzz'; DIR: a fuzz preset build (default\n"
            "  $TLSDIFF_FUZZ_BUILD, else %s/build/fuzz)\n"
            "  exit 0: nothing found, 1: a crash of ours, 2: usage or setup error,\n"
            "  3: new divergences or wolfSSL crashes only\n",
            TD_SOURCE_DIR);
}

static int number(const char *v, long *out)
{
    char *end;
    long n;

    if (!v)
        return 0;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < -1)
        return 0;
    *out = n;
    return 1;
}

/* argv[0] is "fuzz" */
static int parse_args(int argc, char **argv, td_fuzz_opts *o)
{
    int i;

    memset(o, 0, sizeof *o);
    o->runs = -2; /* unset */
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--raw") == 0) {
            o->raw = 1;
            continue;
        }
        if (a[0] != '-') {
            if (o->target)
                return 0;
            o->target = a;
            continue;
        }
        i++;
        if (strcmp(a, "--build") == 0 && v)
            o->build = v;
        else if (strcmp(a, "--time") == 0 && number(v, &o->seconds) && o->seconds > 0)
            continue;
        else if (strcmp(a, "--jobs") == 0 && number(v, &o->jobs) && o->jobs > 0 && o->jobs <= 64)
            continue;
        else if (strcmp(a, "--runs") == 0 && number(v, &o->runs))
            continue;
        else
            return 0;
    }
    if (!o->target || !o->target[0] ||
        strspn(o->target, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(o->target))
        return 0;
    if (!o->build)
        o->build = getenv("TLSDIFF_FUZZ_BUILD");
    if (!o->build || !o->build[0])
        o->build = TD_SOURCE_DIR "/build/fuzz";
    o->diff = td_target_find(o->target) != NULL;
    return 1;
}

/* The build is a fuzz preset build and holds the target: one line on
 * stderr saying what to do when not. */
static int check_build(const td_fuzz_opts *o, char *bin, size_t cap)
{
    char cache[4096], line[512];
    FILE *f;
    int fuzz = 0;

    snprintf(cache, sizeof cache, "%s/CMakeCache.txt", o->build);
    f = fopen(cache, "r");
    if (!f) {
        fprintf(stderr,
                "tlsdiff: fuzz: no fuzz build in %s: run 'cmake --preset fuzz && cmake "
                "--build --preset fuzz', or name one with --build DIR or TLSDIFF_FUZZ_BUILD\n",
                o->build);
        return 0;
    }
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "TD_FUZZ:BOOL=ON", 15) == 0)
            fuzz = 1;
    fclose(f);
    if (!fuzz) {
        fprintf(stderr,
                "tlsdiff: fuzz: %s is not a fuzz build (TD_FUZZ=ON): run 'cmake --preset fuzz "
                "&& cmake --build --preset fuzz', or name one with --build DIR\n",
                o->build);
        return 0;
    }
    snprintf(bin, cap, "%s/targets/%s", o->build, o->target);
    if (access(bin, X_OK) != 0) {
        fprintf(stderr,
                "tlsdiff: fuzz: no fuzz target '%s' in %s/targets ('tlsdiff list fuzz' names "
                "them; build it with cmake --build %s --target %s)\n",
                o->target, o->build, o->build, o->target);
        return 0;
    }
    return 1;
}

int td_cmd_fuzz(int argc, char **argv)
{
    td_fuzz_opts o;
    td_fuzz_result r;
    char bin[4096];

    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (!parse_args(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    if (!check_build(&o, bin, sizeof bin))
        return 2;
    if (o.raw && !o.diff)
        fprintf(stderr,
                "tlsdiff: fuzz: --raw changes nothing for %s (only the differential "
                "targets have the edit-script mutator)\n",
                o.target);
    if (td_fuzz_run(&o, bin, &r) != 0)
        return 2;
    td_fuzz_summary(&o, &r, stdout);
    if (r.ours)
        return 1;
    return r.divergences > 0 || r.crashes > 0 ? 3 : 0;
}
