/*
 * td_reduce: triage of a message-level finding (DESIGN.md "Edit scripts":
 * what triage reduces a crash or divergence to). Given a target
 * (td_target.h) and an input that the judge calls a difference (known or
 * new) or that crashes a subject, find the smallest input over the
 * canonical message that still shows the same difference:
 *
 *   same difference   the same first differing field (the text before ':'
 *                     of td_obs_compare's line, "verdict" when the
 *                     outcomes differ) and the same pair of outcomes
 *                     (td_obs_outcome of the reference and of wolfSSL);
 *                     for a crash, a crash while the same subject runs
 *                     (td_peer_running), or of the harness when neither
 *                     does
 *
 * Steps, each kept only when the difference persists:
 *   1. a raw input (mode byte odd) is first written as an edit script
 *      over the canonical message of its variant (td_reduce_canonical):
 *      `type`, `truncate`, `bytes` runs over the differing ranges and
 *      `length` when it can say the bytes exactly, else `replace`; when
 *      no script reproduces it, the raw bytes are reduced themselves
 *      (delta debugging over byte chunks) and the result says so;
 *   2. delta debugging (ddmin: chunks of edits removed, then single
 *      edits) over the script, the empty script first;
 *   3. each remaining edit simplified: byte values emptied, cut to a
 *      prefix or suffix, zeroed; `length` deltas brought towards +-1;
 *      `repeat` counts to 1; an `ext insert` position dropped (last).
 *      Integer values of `set` are the finding and stay as they are.
 *
 * Every trial runs td_target_run in a child process (as `tlsdiff replay`
 * does), so a crash of wolfSSL ends the trial, not the reducer; a trial
 * that runs over a minute is ended (SIGALRM) and counts as a crash. Only
 * the original's stderr (a sanitizer report) is shown. The work
 * is bounded (max_trials) and deterministic: the same input gives the
 * same reduction.
 */
#ifndef TD_REDUCE_H
#define TD_REDUCE_H

#include "td_target.h"

#define TD_REDUCE_MAX_TRIALS 500u
#define TD_REDUCE_WHO_LEN 16u
#define TD_REDUCE_FIELD_LEN 64u
/* The longest input an edit script makes: variant, mode, TD_EDIT_MAX
 * edits of at most 8 bytes of op and arguments and a value. */
#define TD_REDUCE_SCRIPT_MAX (2u + TD_EDIT_MAX * (8u + TD_EDIT_BYTES_MAX))

/* What one trial showed: the judgement of td_target_run, or a crash. */
typedef struct td_reduce_trial {
    int ran;                     /* td_target_run returned TD_OK (else why says what) */
    int crashed;                 /* the child died: who was running */
    char who[TD_REDUCE_WHO_LEN]; /* "reference", "wolfSSL", "harness" */
    int sig;                     /* the signal that ended it; 0: a sanitizer's
                                    exit (SIGALRM: a hang, over a minute) */
    td_judgement judgement;
    char ref[TD_OBS_OUTCOME_LEN]; /* td_obs_outcome of each side */
    char wolf[TD_OBS_OUTCOME_LEN];
    char field[TD_REDUCE_FIELD_LEN]; /* line up to its ':' */
    char line[TD_OBS_LINE_LEN];
    char edit[256]; /* the input's script as td_target_run prints it */
    char hit[64];   /* the matching vectors/divergences id, or "" */
    char why[256];  /* a harness error */
} td_reduce_trial;

/* Whether a trial shows something to reduce (a difference or a crash),
 * and whether b shows the same difference as a (see above). */
int td_reduce_diverges(const td_reduce_trial *a);
int td_reduce_same(const td_reduce_trial *a, const td_reduce_trial *b);

typedef enum td_reduce_form {
    TD_REDUCE_SCRIPT = 0, /* the result is an edit script (mode 0) */
    TD_REDUCE_RAW         /* raw bytes (mode 1): no script reproduced it */
} td_reduce_form;

typedef struct td_reduce_opts {
    size_t max_trials; /* 0: TD_REDUCE_MAX_TRIALS */
} td_reduce_opts;

typedef struct td_reduce_result {
    td_reduce_trial original; /* the input as given */
    td_reduce_trial reduced;  /* the reduced input: the same difference */
    td_reduce_form form;
    int from_raw;          /* a raw input now written as a script */
    td_edit_script script; /* form SCRIPT: the reduced script */
    size_t variant;        /* index into the target's profiles */
    const char *profile;
    size_t trials;  /* td_target_run calls, the first included */
    int exhausted;  /* stopped at max_trials */
    size_t out_len; /* the reduced input in out[0..out_len) */
} td_reduce_result;

/* Reduce input (a td_target input: variant byte, mode byte, payload).
 * div as for td_target_run (the children read it; hit counts are not
 * raised). The reduced input goes to out (cap bytes: at least the
 * input's length + TD_REDUCE_SCRIPT_MAX).
 * TD_OK also when the input shows no difference: res->original says so
 * (td_reduce_diverges is 0) and out holds the input. Errors:
 *   TD_ERR_IO         a child process could not be started (why)
 *   TD_ERR_NOSPACE    out too small
 *   other             td_target_run could not run the original (why) */
TD_MUST_USE td_err td_reduce_run(const td_target *t, td_span input, td_divergences *div,
                                 const td_reduce_opts *opts, uint8_t *out, size_t cap,
                                 td_reduce_result *res, char *why, size_t why_cap);

/* One trial in a child process (what td_reduce_run counts). TD_ERR_IO
 * when fork or the shared page failed. */
TD_MUST_USE td_err td_reduce_trial_run(const td_target *t, td_span input, td_divergences *div,
                                       td_reduce_trial *out, char *why, size_t why_cap);

/* The canonical message of variant v of t as the scripted peer sends it
 * to the reference subject (seed 1, as td_target_run): the whole
 * handshake message, header and body. TD_ERR_NOT_FOUND when the flight
 * never sends it; profile errors with why. */
TD_MUST_USE td_err td_reduce_canonical(const td_target *t, size_t v, uint8_t *out, size_t cap,
                                       size_t *len, char *why, size_t why_cap);

/* Raw wire bytes (one handshake message header and what follows) as an
 * edit script over the canonical message canon: 1 `type` when the type
 * differs, `truncate` when the body is shorter, `bytes` runs over the
 * differing ranges (ranges closer than a few bytes merged), `length`
 * when the header's length is not the body's. replace_form: `replace`
 * with the whole body instead of truncate and bytes. TD_ERR_NOSPACE when
 * the script would need more than TD_EDIT_MAX edits or a value over
 * TD_EDIT_BYTES_MAX bytes; TD_ERR_SYNTAX for raw bytes shorter than a
 * handshake header. */
TD_MUST_USE td_err td_reduce_raw_script(td_span raw, td_span canon, int replace_form,
                                        td_edit_script *out);

#endif
