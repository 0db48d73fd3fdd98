/*
 * tlsdiff replay TARGET PATH...
 *
 * Run saved inputs of a message-level target (td_target.h) again: files or
 * folders, libFuzzer's crash-*, leak-*, timeout-* and oom-* artifacts
 * included. For each input: the profile, the edit (as text), each
 * subject's observation, and "same", the known divergence with its
 * entry, or the new difference. Each input runs in a child process, so a
 * crash (a sanitizer report, an abort) is reported with the subject that
 * was running, and the other inputs still run. A file that cannot be read
 * is one line naming it.
 *
 * Exit: 0 every input same or known; 1 a new divergence or a crash;
 * 2 usage errors or unreadable files (and nothing worse).
 */
#include "td_cli.h"

#include "td_target.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPLAY_MAX (1u << 20)

enum { R_SAME = 0, R_DIVERGED = 1, R_UNREADABLE = 2 };

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: tlsdiff replay TARGET PATH...\n  targets:");
    for (i = 0; i < td_target_count(); i++)
        fprintf(f, " %s", td_target_at(i)->name);
    fprintf(f, "\n");
}

/* The child's last words on a crash: which subject was running. Only
 * async-signal-safe calls. */
static void on_fatal(int sig)
{
    const char *who = td_peer_running();
    static const char head[] = "replay: crashed while running the ";

    (void)!write(2, head, sizeof head - 1);
    if (who)
        (void)!write(2, who, strlen(who));
    else
        (void)!write(2, "harness", 7);
    (void)!write(2, " subject\n", 9);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* In the child: run one input and print the report; exit R_SAME or
 * R_DIVERGED. */
static int run_one(const td_target *t, td_divergences *div, const uint8_t *data, size_t n)
{
    static td_target_result res;
    char why[512] = "";

    signal(SIGABRT, on_fatal);
    signal(SIGSEGV, on_fatal);
    signal(SIGBUS, on_fatal);
    if (td_target_run(t, (td_span){data, n}, div, &res, why, sizeof why) != TD_OK) {
        printf("  harness error: %s\n", why);
        return R_DIVERGED;
    }
    printf("  profile %s, edit: %s\n  reference:\n", res.profile, res.edit);
    td_obs_print(&res.ref, stdout);
    printf("  wolfSSL:\n");
    td_obs_print(&res.wolf, stdout);
    if (res.judgement == TD_JUDGE_SAME)
        printf("  => same\n");
    else if (res.judgement == TD_JUDGE_KNOWN)
        printf("  => known divergence %s (%s; right: %s): %s\n", res.hit->id, res.hit->clause,
               res.hit->right, res.line);
    else
        printf("  => DIVERGENCE (not in vectors/divergences): %s\n", res.line);
    fflush(stdout);
    return res.judgement == TD_JUDGE_NEW ? R_DIVERGED : R_SAME;
}

static int replay_file(const td_target *t, td_divergences *div, const char *path)
{
    static uint8_t buf[REPLAY_MAX];
    FILE *f = fopen(path, "rb");
    size_t n;
    pid_t pid;
    int status;

    if (!f) {
        fprintf(stderr, "tlsdiff: replay: %s: cannot read: %s\n", path, strerror(errno));
        return R_UNREADABLE;
    }
    n = fread(buf, 1, sizeof buf, f);
    if (ferror(f) || !feof(f)) {
        fprintf(stderr, "tlsdiff: replay: %s: %s\n", path,
                ferror(f) ? strerror(errno) : "larger than 1 MiB");
        fclose(f);
        return R_UNREADABLE;
    }
    fclose(f);
    printf("%s (%zu bytes)\n", path, n);
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "tlsdiff: replay: fork: %s\n", strerror(errno));
        return R_UNREADABLE;
    }
    if (pid == 0)
        _exit(run_one(t, div, buf, n));
    if (waitpid(pid, &status, 0) < 0)
        return R_DIVERGED;
    if (WIFEXITED(status))
        return WEXITSTATUS(status) == R_SAME ? R_SAME : R_DIVERGED;
    printf("  => CRASH (signal %d; the report is on stderr above)\n",
           WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return R_DIVERGED;
}

static int replay_path(const td_target *t, td_divergences *div, const char *path, int *worst)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    int r;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        r = replay_file(t, div, path);
        if (r == R_DIVERGED || (r == R_UNREADABLE && *worst == R_SAME))
            *worst = r;
        return 1;
    }
    d = opendir(path);
    if (!d) {
        fprintf(stderr, "tlsdiff: replay: %s: cannot open: %s\n", path, strerror(errno));
        if (*worst == R_SAME)
            *worst = R_UNREADABLE;
        return 0;
    }
    r = 0;
    while ((de = readdir(d)) != NULL) {
        char sub[4096];

        if (de->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
        r += replay_path(t, div, sub, worst);
    }
    closedir(d);
    return r;
}

/* argv[0] is "replay" */
int td_cmd_replay(int argc, char **argv)
{
    static td_divergences div;
    const td_target *t;
    char path[1024], why[512];
    int i, worst = R_SAME, count = 0;

    if (argc < 3) {
        usage(stderr);
        return 2;
    }
    t = td_target_find(argv[1]);
    if (!t) {
        fprintf(stderr, "tlsdiff: replay: no target '%s'\n", argv[1]);
        usage(stderr);
        return 2;
    }
    if (td_vectors_path("divergences", path, sizeof path) != TD_OK ||
        td_divergences_load(path, &div, why, sizeof why) != TD_OK) {
        fprintf(stderr, "tlsdiff: replay: %s\n", why);
        return 2;
    }
    for (i = 2; i < argc; i++)
        count += replay_path(t, &div, argv[i], &worst);
    printf("%d input%s replayed\n", count, count == 1 ? "" : "s");
    return worst;
}
