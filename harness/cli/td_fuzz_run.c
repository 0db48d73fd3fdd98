/*
 * One libFuzzer run of tlsdiff fuzz (td_fuzz_run.h).
 *
 * libFuzzer's output lines this reads (LLVM's libFuzzer documentation,
 * "Output"):
 *   #4096  pulse  cov: 1234 ft: 5678 corp: 90/12Kb lim: 64 exec/s: 512 ...
 *   #8192: cov: 1234 ft: 5678 corp: 90 exec/s 512 oom/timeout/crash: ...
 *                                      (fork mode: the parent's line)
 *   Dictionary: 250 entries
 *   stat::number_of_executed_units: 8192
 *   SUMMARY: AddressSanitizer: heap-buffer-overflow ... (a crash's reason)
 * Everything it prints goes to DIR/artifacts/TARGET/fuzz.log as well.
 */
#define _POSIX_C_SOURCE 200809L

#include "td_fuzz_run.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 24
#define PATH_CAP 4096

/* What the run needs besides the options: its folders and files. */
typedef struct run_paths {
    char corpus[PATH_CAP]; /* the working corpus */
    char seeds[2][PATH_CAP];
    size_t n_seeds;
    char divdir[PATH_CAP]; /* this run's TD_FUZZ_DIVERGENCE_DIR */
    char log[PATH_CAP];
    time_t start; /* artifacts from this second on are this run's */
} run_paths;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "tlsdiff: fuzz: cannot create %s: %s\n", path, strerror(errno));
    return -1;
}

static int has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static int has_suffix(const char *s, const char *x)
{
    size_t n = strlen(s), m = strlen(x);

    return n >= m && strcmp(s + n - m, x) == 0;
}

static size_t count_files(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && (!suffix || has_suffix(e->d_name, suffix)))
            n++;
    closedir(d);
    return n;
}

/* libFuzzer's artifacts: crash-, leak-, timeout- and oom- files. */
static int is_artifact(const char *name)
{
    return has_prefix(name, "crash-") || has_prefix(name, "leak-") ||
           has_prefix(name, "timeout-") || has_prefix(name, "oom-");
}

/* Artifacts written since the run started. */
static size_t count_new_artifacts(const char *art, time_t since)
{
    DIR *d = opendir(art);
    struct dirent *e;
    size_t n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        char path[PATH_CAP];
        struct stat st;

        if (!is_artifact(e->d_name) || has_suffix(e->d_name, ".replay"))
            continue;
        snprintf(path, sizeof path, "%s/%s", art, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime >= since)
            n++;
    }
    closedir(d);
    return n;
}

/* ------------------------------------------------------------------------
 * The log
 * ------------------------------------------------------------------------ */

/* The number after key (and an optional ':') in line; 0 if absent. */
static int field(const char *line, const char *key, unsigned long long *v)
{
    const char *p = strstr(line, key);
    char *end;
    unsigned long long n;

    if (!p)
        return 0;
    p += strlen(key);
    if (*p == ':')
        p++;
    while (*p == ' ')
        p++;
    n = strtoull(p, &end, 10);
    if (end == p)
        return 0;
    *v = n;
    return 1;
}

/* How well a line explains a crash: our own abort messages first, then a
 * sanitizer's SUMMARY, then libFuzzer's. */
static int reason_rank(const char *line)
{
    if (strstr(line, "invariant failed") || strstr(line, "could not run this input") ||
        strstr(line, "DIVERGENCE not in") || has_prefix(line, "td_fuzz_diff:"))
        return 3;
    if (has_prefix(line, "SUMMARY: ") && !has_prefix(line, "SUMMARY: libFuzzer"))
        return 2;
    if (has_prefix(line, "SUMMARY: ") || strstr(line, "ERROR: "))
        return 1;
    return 0;
}

void td_fuzz_log_line(const char *line, td_fuzz_result *r)
{
    unsigned long long v;
    int rank;

    if (line[0] == '#' && line[1] >= '0' && line[1] <= '9') {
        char *end;
        unsigned long long n = strtoull(line + 1, &end, 10);

        /* fork mode: the parent's "#N:" lines only, not its children's
         * logs that it copies after a crash */
        if (r->fork && *end != ':')
            return;
        r->execs = n;
        if (field(line, " cov", &v))
            r->cov = v;
        if (field(line, " ft", &v))
            r->ft = v;
        if (field(line, " corp", &v))
            r->corp = v;
        if (field(line, " exec/s", &v))
            r->exec_s = v;
        return;
    }
    if (field(line, "stat::number_of_executed_units", &v)) {
        if (!r->fork)
            r->execs = v;
        return;
    }
    if (has_prefix(line, "Dictionary:") && field(line, "Dictionary", &v)) {
        r->dict_entries = (long)v;
        return;
    }
    rank = reason_rank(line);
    if (rank > r->reason_rank) {
        r->reason_rank = rank;
        snprintf(r->reason, sizeof r->reason, "%s", line);
    }
}

/* ------------------------------------------------------------------------
 * Setting up
 * ------------------------------------------------------------------------ */

/* DIR/targets/TARGET.options: max_len and dict (relative to the file);
 * any other `key = value` is passed to libFuzzer as -key=value (at most
 * four, e.g. entropic_feature_frequency_threshold). */
static void read_options(const td_fuzz_opts *o, td_fuzz_result *r)
{
    char path[PATH_CAP], line[1024], name[512];
    FILE *f;

    r->max_len = -1;
    r->dict[0] = '\0';
    r->n_extra = 0;
    snprintf(path, sizeof path, "%s/targets/%s.options", o->build, o->target);
    f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "tlsdiff: fuzz: no %s: libFuzzer's default max_len, no dictionary\n", path);
        return;
    }
    while (fgets(line, sizeof line, f)) {
        long n;

        if (sscanf(line, " max_len = %ld", &n) == 1)
            r->max_len = n;
        else if (sscanf(line, " dict = %511s", name) == 1 && name[0] == '/')
            snprintf(r->dict, sizeof r->dict, "%s", name);
        else if (sscanf(line, " dict = %511s", name) == 1)
            snprintf(r->dict, sizeof r->dict, "%s/targets/%s", o->build, name);
        else if (sscanf(line, " %63[a-z_] = %63s", name, name + 64) == 2 &&
                 r->n_extra < sizeof r->extra / sizeof r->extra[0])
            snprintf(r->extra[r->n_extra++], sizeof r->extra[0], "-%s=%s", name, name + 64);
    }
    fclose(f);
    if (r->dict[0] && access(r->dict, R_OK) != 0) {
        fprintf(stderr,
                "tlsdiff: fuzz: no dictionary %s (cmake --build %s --target "
                "td_tls_dict); running without\n",
                r->dict, o->build);
        r->dict[0] = '\0';
    }
}

static int setup_paths(const td_fuzz_opts *o, td_fuzz_result *r, run_paths *p)
{
    char dir[PATH_CAP];
    static const char *const seed_dirs[] = {"corpus/%s", "corpus/regressions/%s"};
    size_t i;

    snprintf(dir, sizeof dir, "%s/artifacts", o->build);
    snprintf(r->art, sizeof r->art, "%s/%s", dir, o->target);
    snprintf(p->corpus, sizeof p->corpus, "%s/corpus", r->art);
    snprintf(p->divdir, sizeof p->divdir, "%s/.run-%ld", r->art, (long)getpid());
    snprintf(p->log, sizeof p->log, "%s/fuzz.log", r->art);
    if (make_dir(dir) || make_dir(r->art) || make_dir(p->corpus) ||
        (o->diff && make_dir(p->divdir)))
        return -1;
    p->n_seeds = 0;
    for (i = 0; i < sizeof seed_dirs / sizeof seed_dirs[0]; i++) {
        char rel[512];
        struct stat st;

        snprintf(rel, sizeof rel, seed_dirs[i], o->target);
        snprintf(p->seeds[p->n_seeds], PATH_CAP, "%s/%s", TD_SOURCE_DIR, rel);
        if (stat(p->seeds[p->n_seeds], &st) == 0 && S_ISDIR(st.st_mode))
            p->n_seeds++;
    }
    r->corpus_before = count_files(p->corpus, NULL);
    p->start = time(NULL);
    return 0;
}

/* The sanitizers as the project runs them: the reviewed wolfSSL UBSan
 * findings suppressed (ci/sanitizers/wolfssl-ubsan.supp), and an abort on
 * the first report, so that a replay sees the signal. Set unless the
 * caller set them. */
static void sanitizer_env(void)
{
    setenv("UBSAN_OPTIONS",
           "print_stacktrace=1:halt_on_error=1:suppressions=" TD_SOURCE_DIR
           "/ci/sanitizers/wolfssl-ubsan.supp",
           0);
    setenv("ASAN_OPTIONS", "abort_on_error=1", 0);
}

/* In the child: libFuzzer's command line, then exec. */
static void exec_fuzzer(const td_fuzz_opts *o, const char *bin, const td_fuzz_result *r,
                        const run_paths *p)
{
    static char flags[8][PATH_CAP + 32];
    const char *argv[MAX_ARGS];
    size_t n = 0, k = 0, i;

    argv[n++] = bin;
    argv[n++] = p->corpus; /* the first folder: where libFuzzer writes */
    for (i = 0; i < p->n_seeds; i++)
        argv[n++] = p->seeds[i];
    snprintf(flags[k], sizeof flags[k], "-artifact_prefix=%s/", r->art);
    argv[n++] = flags[k++];
    argv[n++] = "-print_final_stats=1";
    if (r->dict[0]) {
        snprintf(flags[k], sizeof flags[k], "-dict=%s", r->dict);
        argv[n++] = flags[k++];
    }
    if (r->max_len > 0) {
        snprintf(flags[k], sizeof flags[k], "-max_len=%ld", r->max_len);
        argv[n++] = flags[k++];
    }
    for (i = 0; i < r->n_extra; i++)
        argv[n++] = r->extra[i];
    if (o->seconds > 0) {
        snprintf(flags[k], sizeof flags[k], "-max_total_time=%ld", o->seconds);
        argv[n++] = flags[k++];
    }
    if (o->runs != -2) {
        snprintf(flags[k], sizeof flags[k], "-runs=%ld", o->runs);
        argv[n++] = flags[k++];
    }
    if (o->jobs > 0) {
        snprintf(flags[k], sizeof flags[k], "-fork=%ld", o->jobs);
        argv[n++] = flags[k++];
    }
    argv[n] = NULL;
    if (o->diff)
        setenv("TD_FUZZ_DIVERGENCE_DIR", p->divdir, 1);
    if (o->raw)
        setenv("TD_FUZZ_RAW", "1", 1);
    else
        unsetenv("TD_FUZZ_RAW");
    sanitizer_env();
    signal(SIGINT, SIG_DFL);
    execv(bin, (char *const *)argv);
    fprintf(stderr, "tlsdiff: fuzz: cannot run %s: %s\n", bin, strerror(errno));
    _exit(127);
}

/* ------------------------------------------------------------------------
 * Running
 * ------------------------------------------------------------------------ */

static void progress(const td_fuzz_opts *o, const td_fuzz_result *r, const run_paths *p,
                     double elapsed)
{
    fprintf(stderr,
            "\r\033[K%s: %.0f s  execs %llu  exec/s %llu  cov %llu  ft %llu  corpus %llu  "
            "divergences %zu  crashes %zu",
            o->target, elapsed, r->execs, r->exec_s, r->cov, r->ft, r->corp,
            o->diff ? count_files(p->divdir, ".txt") : 0, count_new_artifacts(r->art, p->start));
}

/* Split what came in into lines: each to the log and the figures. */
static size_t take_lines(char *buf, size_t have, FILE *log, td_fuzz_result *r, int flush)
{
    size_t start = 0, i;

    for (i = 0; i < have; i++)
        if (buf[i] == '\n') {
            buf[i] = '\0';
            fprintf(log, "%s\n", buf + start);
            td_fuzz_log_line(buf + start, r);
            start = i + 1;
        }
    if (flush && start < have) {
        buf[have] = '\0';
        fprintf(log, "%s\n", buf + start);
        td_fuzz_log_line(buf + start, r);
        start = have;
    }
    memmove(buf, buf + start, have - start);
    return have - start;
}

/* Read the child's output until it closes; progress once a second on a
 * terminal. */
static void follow(int fd, FILE *log, const td_fuzz_opts *o, td_fuzz_result *r, const run_paths *p,
                   double t0)
{
    static char buf[16384];
    size_t have = 0;
    double last = 0;
    int tty = isatty(STDERR_FILENO);

    for (;;) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, 500);

        if (ready > 0) {
            ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);

            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            have = take_lines(buf, have + (size_t)n, log, r, have + (size_t)n == sizeof buf - 1);
        }
        if (tty && now_s() - last >= 1.0) {
            last = now_s();
            progress(o, r, p, last - t0);
        }
    }
    take_lines(buf, have, log, r, 1);
    if (tty)
        fprintf(stderr, "\r\033[K");
}

static int run_child(const td_fuzz_opts *o, const char *bin, td_fuzz_result *r, const run_paths *p)
{
    int fds[2], status;
    pid_t pid;
    FILE *log = fopen(p->log, "w");
    double t0 = now_s();

    if (!log || pipe(fds) != 0) {
        fprintf(stderr, "tlsdiff: fuzz: cannot write %s: %s\n", p->log, strerror(errno));
        if (log)
            fclose(log);
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        exec_fuzzer(o, bin, r, p);
    }
    close(fds[1]);
    if (pid < 0) {
        fprintf(stderr, "tlsdiff: fuzz: fork: %s\n", strerror(errno));
        close(fds[0]);
        fclose(log);
        return -1;
    }
    /* Ctrl-C reaches libFuzzer, which stops and prints its figures; this
     * process goes on to the summary. */
    signal(SIGINT, SIG_IGN);
    follow(fds[0], log, o, r, p, t0);
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    signal(SIGINT, SIG_DFL);
    fclose(log);
    r->seconds = now_s() - t0;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return 0;
}

/* ------------------------------------------------------------------------
 * What the run left
 * ------------------------------------------------------------------------ */

static void read_line(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");

    out[0] = '\0';
    if (!f)
        return;
    if (fgets(out, (int)cap, f))
        out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

/* This run's divergences, from its own folder into the artifacts folder
 * (an earlier run's copy of the same class is replaced). */
static void collect_divergences(td_fuzz_result *r, const run_paths *p)
{
    DIR *d = opendir(p->divdir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char from[PATH_CAP], to[PATH_CAP], key[128];
        td_fuzz_finding *f = r->divergences < TD_FUZZ_LISTED ? &r->div[r->divergences] : NULL;
        size_t len = strlen(e->d_name);

        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".txt") || len - 4 >= sizeof key)
            continue;
        memcpy(key, e->d_name, len - 4);
        key[len - 4] = '\0';
        snprintf(to, sizeof to, "%s/%s", r->art, e->d_name);
        if (f) {
            snprintf(f->name, sizeof f->name, "%s", key);
            f->earlier = access(to, F_OK) == 0;
            snprintf(from, sizeof from, "%s/%s", p->divdir, e->d_name);
            read_line(from, f->line, sizeof f->line);
        }
        r->divergences++;
        snprintf(from, sizeof from, "%s/%s", p->divdir, e->d_name);
        rename(from, to);
        snprintf(from, sizeof from, "%s/%s", p->divdir, key);
        snprintf(to, sizeof to, "%s/%s", r->art, key);
        rename(from, to);
    }
    rewinddir(d);
    while ((e = readdir(d)) != NULL) { /* a writer's leftovers, if one died */
        char path[PATH_CAP];

        snprintf(path, sizeof path, "%s/%s", p->divdir, e->d_name);
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlink(path);
    }
    closedir(d);
    rmdir(p->divdir);
}

/* Which subject crashed: the artifact replayed by tlsdiff replay (the fuzz
 * build's, instrumented as the target is, or this one), whose child names
 * the subject that was running. The report goes next to the artifact as
 * NAME.replay. 1: wolfSSL. */
static int crashed_in_wolfssl(const td_fuzz_opts *o, const char *art, const char *name)
{
    char tool[PATH_CAP], input[PATH_CAP], report[PATH_CAP], line[1024];
    pid_t pid;
    int status, wolf = 0;
    FILE *f;

    snprintf(tool, sizeof tool, "%s/harness/tlsdiff", o->build);
    if (access(tool, X_OK) != 0)
        snprintf(tool, sizeof tool, "/proc/self/exe");
    snprintf(input, sizeof input, "%s/%s", art, name);
    snprintf(report, sizeof report, "%s/%s.replay", art, name);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        FILE *out = freopen(report, "w", stdout);

        if (!out || dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
            _exit(127);
        sanitizer_env();
        execl(tool, "tlsdiff", "replay", o->target, input, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return 0;
    f = fopen(report, "r");
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, "crashed while running the wolfSSL subject"))
            wolf = 1;
    if (f)
        fclose(f);
    return wolf;
}

static void collect_crashes(const td_fuzz_opts *o, td_fuzz_result *r, const run_paths *p)
{
    DIR *d = opendir(r->art);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[PATH_CAP];
        struct stat st;
        int wolf;

        snprintf(path, sizeof path, "%s/%s", r->art, e->d_name);
        if (!is_artifact(e->d_name) || has_suffix(e->d_name, ".replay") || stat(path, &st) != 0 ||
            !S_ISREG(st.st_mode) || st.st_mtime < p->start)
            continue;
        wolf =
            o->diff && has_prefix(e->d_name, "crash-") && crashed_in_wolfssl(o, r->art, e->d_name);
        if (!wolf)
            r->ours = 1;
        if (r->crashes < TD_FUZZ_LISTED) {
            td_fuzz_finding *f = &r->crash[r->crashes];

            snprintf(f->name, sizeof f->name, "%s", e->d_name);
            snprintf(f->line, sizeof f->line, "%s", r->reason[0] ? r->reason : "see the log");
            f->wolfssl = wolf;
        }
        r->crashes++;
    }
    closedir(d);
}

int td_fuzz_run(const td_fuzz_opts *o, const char *bin, td_fuzz_result *r)
{
    static run_paths p;

    memset(r, 0, sizeof *r);
    r->dict_entries = -1;
    r->fork = o->jobs > 0;
    read_options(o, r);
    if (setup_paths(o, r, &p) != 0)
        return -1;
    if (run_child(o, bin, r, &p) != 0)
        return -1;
    if (o->diff)
        collect_divergences(r, &p);
    collect_crashes(o, r, &p);
    r->corpus_after = count_files(p.corpus, NULL);
    /* 72: libFuzzer interrupted (Ctrl-C), its figures printed */
    if (r->crashes == 0 && r->status != 0 && r->status != 72) {
        r->ours = 1;
        if (!r->reason[0])
            snprintf(r->reason, sizeof r->reason, "libFuzzer exited with status %d", r->status);
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * The summary
 * ------------------------------------------------------------------------ */

static void list_findings(const td_fuzz_finding *f, size_t n, int crash, FILE *out)
{
    size_t i;

    for (i = 0; i < n && i < TD_FUZZ_LISTED; i++) {
        if (crash)
            fprintf(out, "  %s (%s): %s\n", f[i].name,
                    f[i].wolfssl ? "in the wolfSSL subject" : "ours", f[i].line);
        else
            fprintf(out, "  %s%s\n      %s\n", f[i].line,
                    f[i].earlier ? " (an earlier run found it too)" : "", f[i].name);
    }
    if (n > TD_FUZZ_LISTED)
        fprintf(out, "  ... and %zu more in the artifacts folder\n", n - TD_FUZZ_LISTED);
}

void td_fuzz_summary(const td_fuzz_opts *o, const td_fuzz_result *r, FILE *out)
{
    double s = r->seconds > 0.001 ? r->seconds : 0.001;

    fprintf(out, "== tlsdiff fuzz %s: summary\n", o->target);
    fprintf(out, "time:         %.1f s%s\n", r->seconds, o->jobs > 0 ? " (fork mode)" : "");
    fprintf(out, "execs:        %llu\n", r->execs);
    /* wall clock, start-up included: libFuzzer's own figure counts whole
     * seconds, so a short run would read 0 */
    fprintf(out, "exec/s:       %.0f\n", (double)r->execs / s);
    fprintf(out, "coverage:     %llu edges, %llu features\n", r->cov, r->ft);
    fprintf(out, "corpus:       %llu inputs; %zu files new in %s/corpus\n", r->corp,
            r->corpus_after > r->corpus_before ? r->corpus_after - r->corpus_before : 0, r->art);
    if (r->dict_entries >= 0)
        fprintf(out, "dictionary:   %ld entries (%s), max_len %ld\n", r->dict_entries, r->dict,
                r->max_len);
    else
        fprintf(out, "dictionary:   none, max_len %ld\n", r->max_len);
    if (o->diff)
        fprintf(out, "mutation:     %s\n",
                o->raw ? "raw bytes (TD_FUZZ_RAW=1)" : "edit scripts (custom mutator)");
    fprintf(out, "crashes:      %zu\n", r->crashes);
    list_findings(r->crash, r->crashes, 1, out);
    if (r->crashes == 0 && r->ours)
        fprintf(out, "  libFuzzer failed: %s\n", r->reason);
    if (o->diff) {
        fprintf(out, "divergences:  %zu new (not in vectors/divergences)\n", r->divergences);
        list_findings(r->div, r->divergences, 0, out);
    }
    fprintf(out, "artifacts:    %s/\n", r->art);
    fprintf(out, "log:          %s/fuzz.log\n", r->art);
}
