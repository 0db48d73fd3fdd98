/*
 * One libFuzzer run of tlsdiff fuzz (td_cmd_fuzz.c): the child process,
 * its log read into figures as it runs (td_fuzz_log_line), what it left
 * in the artifacts folder, and the summary.
 */
#ifndef TD_FUZZ_RUN_H
#define TD_FUZZ_RUN_H

#include <stddef.h>
#include <stdio.h>

#define TD_FUZZ_LISTED 64 /* findings kept for the summary; the rest counted */

typedef struct td_fuzz_opts {
    const char *target;
    const char *build; /* the fuzz preset's build folder */
    long seconds;      /* 0: until interrupted */
    long jobs;         /* 0: one process; N: -fork=N */
    long runs;         /* -2: unset; else libFuzzer's -runs */
    int raw;           /* TD_FUZZ_RAW=1 */
    int diff;          /* a differential target (td_target.h) */
} td_fuzz_opts;

typedef struct td_fuzz_finding {
    char name[128];  /* its file in the artifacts folder */
    char line[1024]; /* one line: the explanation, or the crash's reason */
    int earlier;     /* a divergence an earlier run recorded too */
    int wolfssl;     /* a crash while the wolfSSL subject ran */
} td_fuzz_finding;

typedef struct td_fuzz_result {
    double seconds;
    unsigned long long execs, exec_s, cov, ft, corp;
    long dict_entries;                  /* -1: libFuzzer did not say */
    long max_len;                       /* -1: none in the .options */
    char dict[4096];                    /* "" without a dictionary */
    char extra[4][128];                 /* the .options' other keys as
                                           libFuzzer flags, "-key=value" */
    size_t n_extra;
    char art[4096];                     /* DIR/artifacts/TARGET */
    size_t corpus_before, corpus_after; /* files in the working corpus */
    char reason[512];                   /* the log's line that best says why it crashed */
    int reason_rank;
    int fork;   /* libFuzzer's fork mode: whose lines count */
    int status; /* libFuzzer's exit status, 128 + signal when killed */
    size_t divergences, crashes;
    td_fuzz_finding div[TD_FUZZ_LISTED], crash[TD_FUZZ_LISTED];
    int ours; /* a crash of ours, or libFuzzer failed */
} td_fuzz_result;

/* Run the target binary bin as o says; r filled. 0, or -1 when it could
 * not start (one line on stderr). */
int td_fuzz_run(const td_fuzz_opts *o, const char *bin, td_fuzz_result *r);

/* Fold one line of libFuzzer's output into r (execs, coverage, the
 * dictionary, a crash's reason). */
void td_fuzz_log_line(const char *line, td_fuzz_result *r);

void td_fuzz_summary(const td_fuzz_opts *o, const td_fuzz_result *r, FILE *out);

#endif
