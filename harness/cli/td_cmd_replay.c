/*
 * tlsdiff replay TARGET PATH... [--pcap FILE] [--keylog FILE]
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
 * --pcap FILE writes the conversations as a capture (td_pcap.h): for each
 * input, the run against the reference and the one against wolfSSL, each
 * a TCP connection of its own (client ports 40000 + 2 * input and the
 * next one, server port 443). --keylog FILE appends the peer's secrets
 * in the NSS key log format (CLIENT_RANDOM for TLS 1.2, the TLS 1.3
 * labels), so Wireshark or tshark decrypts what was encrypted. Both are
 * written by the child as it runs, so a crash keeps what came before it.
 *
 * Exit: 0 every input same or known; 1 a new divergence or a crash;
 * 2 usage errors or unreadable files (and nothing worse).
 */
#include "td_cli.h"

#include "td_pcap.h"
#include "td_target.h"
#include "td_tcp.h"

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

/* Where the conversations go (--pcap, --keylog); NULL: not asked for. */
typedef struct replay_out {
    FILE *pcap, *keylog;
    const char *pcap_path, *keylog_path;
    const char *input; /* the input being run */
    unsigned inputs;   /* inputs run so far: names their TCP streams */
} replay_out;

/* The capture of one input, in the child (td_target_taps). */
typedef struct capture {
    const replay_out *out;
    td_role subject_role;
    td_pcap_stream s;
    td_err err; /* the first write failure */
} capture;

/* The TLS client's port of a run: two per input, the reference first;
 * after 20000 streams the ports come round again. */
static uint16_t client_port(unsigned input, td_impl subject)
{
    return (uint16_t)(40000 + (2 * input + (subject == TD_IMPL_WOLFSSL)) % 20000);
}

static void keep_err(capture *c, td_err e)
{
    if (c->err == TD_OK)
        c->err = e;
}

/* Each run's secrets follow a comment line naming the run: Wireshark
 * keeps one secret per ClientHello.random and label, the last it reads,
 * and runs share a random when it comes from the same seed (the peer's,
 * or the same subject's, for every input); the lines of one run are the
 * key log that decrypts its stream. */
static void cap_begin(void *ctx, td_impl subject)
{
    capture *c = ctx;
    uint16_t port = client_port(c->out->inputs, subject);

    if (c->out->keylog) {
        fprintf(c->out->keylog, "# %s: %s, tcp.port %u\n", c->out->input,
                subject == TD_IMPL_REF ? "reference" : "wolfSSL", port);
        fflush(c->out->keylog);
    }
    if (c->out->pcap)
        keep_err(c, td_pcap_stream_open(&c->s, c->out->pcap, port,
                                        2 * c->out->inputs + (subject == TD_IMPL_WOLFSSL)));
}

static void cap_wire(void *ctx, int from_subject, td_span bytes)
{
    capture *c = ctx;
    int from_client = from_subject == (c->subject_role == TD_ROLE_CLIENT);

    if (c->out->pcap && c->s.open)
        keep_err(c, td_pcap_stream_data(&c->s, from_client, bytes));
}

static void cap_end(void *ctx, td_impl subject)
{
    capture *c = ctx;

    (void)subject;
    if (c->out->pcap && c->s.open)
        keep_err(c, td_pcap_stream_close(&c->s));
}

static void cap_keylog(void *ctx, const char *label, const uint8_t *client_random,
                       td_span secret)
{
    capture *c = ctx;

    if (c->out->keylog)
        td_tcp_keylog(c->out->keylog, label, client_random, secret);
}

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: tlsdiff replay TARGET PATH... [--pcap FILE] [--keylog FILE]\n"
               "  --pcap FILE    write each run as a TCP connection to a capture (port 443)\n"
               "  --keylog FILE  append the peer's secrets (SSLKEYLOGFILE format)\n"
               "  targets:");
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

/* In the child: after the run, whether the capture and key log were
 * written; R_UNREADABLE (and a line naming the file) when not. */
static int capture_done(const capture *c)
{
    const replay_out *o = c->out;
    int r = R_SAME;

    if (o->pcap)
        printf("  pcap: reference tcp.port %u, wolfSSL tcp.port %u\n",
               client_port(o->inputs, TD_IMPL_REF), client_port(o->inputs, TD_IMPL_WOLFSSL));
    fflush(stdout);
    if (c->err != TD_OK) {
        fprintf(stderr, "tlsdiff: replay: %s: cannot write: %s\n", o->pcap_path,
                td_err_name(c->err));
        r = R_UNREADABLE;
    }
    if (o->keylog && (fflush(o->keylog) != 0 || ferror(o->keylog))) {
        fprintf(stderr, "tlsdiff: replay: %s: cannot write\n", o->keylog_path);
        r = R_UNREADABLE;
    }
    return r;
}

/* In the child: run one input and print the report; exit R_SAME,
 * R_DIVERGED, or R_UNREADABLE when only the capture failed. */
static int run_one(const td_target *t, td_divergences *div, const uint8_t *data, size_t n,
                   const replay_out *out)
{
    static td_target_result res;
    static capture cap;
    td_target_variant tv;
    td_target_taps taps = {cap_begin, cap_end, cap_wire, cap_keylog, &cap};
    char why[512] = "";
    int written;
    td_err e;

    signal(SIGABRT, on_fatal);
    signal(SIGSEGV, on_fatal);
    signal(SIGBUS, on_fatal);
    memset(&cap, 0, sizeof cap);
    cap.out = out;
    /* the variant's roles (td_target.h: byte 0 picks it) */
    td_target_variant_of(t, n > 0 ? data[0] % td_target_variants(t) : 0, &tv);
    cap.subject_role = tv.subject_role;
    e = td_target_run_tapped(t, (td_span){data, n}, div,
                             out->pcap || out->keylog ? &taps : NULL, &res, why, sizeof why);
    if (e != TD_OK) {
        printf("  harness error: %s\n", why);
        (void)capture_done(&cap);
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
    written = capture_done(&cap);
    return res.judgement == TD_JUDGE_NEW ? R_DIVERGED : written;
}

static int replay_file(const td_target *t, td_divergences *div, const char *path,
                       replay_out *out)
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
    out->input = path;
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "tlsdiff: replay: fork: %s\n", strerror(errno));
        return R_UNREADABLE;
    }
    if (pid == 0)
        _exit(run_one(t, div, buf, n, out));
    out->inputs++;
    if (waitpid(pid, &status, 0) < 0)
        return R_DIVERGED;
    if (WIFEXITED(status))
        return WEXITSTATUS(status) == R_SAME || WEXITSTATUS(status) == R_UNREADABLE
                   ? WEXITSTATUS(status)
                   : R_DIVERGED;
    printf("  => CRASH (signal %d; the report is on stderr above)\n",
           WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return R_DIVERGED;
}

static int replay_path(const td_target *t, td_divergences *div, const char *path, int *worst,
                       replay_out *out)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    int r;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        r = replay_file(t, div, path, out);
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
        r += replay_path(t, div, sub, worst, out);
    }
    closedir(d);
    return r;
}

/* --pcap and --keylog, wherever they stand after TARGET; the paths are
 * moved up to argv[2..*argc). 0, or 2 after a line saying why. */
static int take_options(int *argc, char **argv, const char **pcap, const char **keylog)
{
    int i, n = 2;

    for (i = 2; i < *argc; i++) {
        const char **slot = strcmp(argv[i], "--pcap") == 0     ? pcap
                            : strcmp(argv[i], "--keylog") == 0 ? keylog
                                                               : NULL;

        if (!slot) {
            argv[n++] = argv[i];
            continue;
        }
        if (i + 1 == *argc) {
            fprintf(stderr, "tlsdiff: replay: %s needs a FILE\n", argv[i]);
            return 2;
        }
        *slot = argv[++i];
    }
    *argc = n;
    return 0;
}

/* The capture (truncated, then its file header) and the key log
 * (appended to, as SSLKEYLOGFILE users do). 0, or 2 after a line naming
 * the file. */
static int open_out(replay_out *o)
{
    if (o->pcap_path) {
        o->pcap = fopen(o->pcap_path, "wb");
        if (!o->pcap || td_pcap_file_begin(o->pcap) != TD_OK) {
            fprintf(stderr, "tlsdiff: replay: %s: cannot write: %s\n", o->pcap_path,
                    strerror(errno));
            return 2;
        }
    }
    if (o->keylog_path) {
        o->keylog = fopen(o->keylog_path, "a");
        if (!o->keylog) {
            fprintf(stderr, "tlsdiff: replay: %s: cannot write: %s\n", o->keylog_path,
                    strerror(errno));
            return 2;
        }
    }
    return 0;
}

/* 0, or 2 after a line naming a file that could not be finished. */
static int close_out(replay_out *o)
{
    int r = 0;

    if (o->pcap && fclose(o->pcap) != 0) {
        fprintf(stderr, "tlsdiff: replay: %s: %s\n", o->pcap_path, strerror(errno));
        r = 2;
    }
    if (o->keylog && fclose(o->keylog) != 0) {
        fprintf(stderr, "tlsdiff: replay: %s: %s\n", o->keylog_path, strerror(errno));
        r = 2;
    }
    o->pcap = o->keylog = NULL;
    return r;
}

/* argv[0] is "replay" */
int td_cmd_replay(int argc, char **argv)
{
    static td_divergences div;
    replay_out out;
    const td_target *t;
    char path[1024], why[512];
    int i, worst = R_SAME, count = 0;

    memset(&out, 0, sizeof out);
    if (argc >= 2 && take_options(&argc, argv, &out.pcap_path, &out.keylog_path) != 0)
        return 2;
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
    if (open_out(&out) != 0) {
        (void)close_out(&out);
        return 2;
    }
    for (i = 2; i < argc; i++)
        count += replay_path(t, &div, argv[i], &worst, &out);
    printf("%d input%s replayed\n", count, count == 1 ? "" : "s");
    if (close_out(&out) != 0 && worst == R_SAME)
        worst = R_UNREADABLE;
    return worst;
}
