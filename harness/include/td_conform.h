/*
 * td_conform: the RFC-tagged conformance suite (vectors/conformance).
 *
 * A case is data, one block per case in a *.cases file:
 *
 *     case tls13.client_hello.legacy-version-not-0303
 *       rfc       RFC 8446 4.1.2
 *       quote     legacy_version ... MUST be set to 0x0303
 *       profile   tls13-x25519-ecdsa-p256
 *       subject   server
 *       message   client_hello
 *       edit      set legacy_version 0x0301
 *       expect    alert(protocol_version) | alert(illegal_parameter)
 *
 *   case     an id, unique over the suite: [A-Za-z0-9._-]
 *   rfc      "RFC N S.S.S": the clause that fixes the expected outcome;
 *            the summary groups cases by RFC and the first two levels of
 *            the section ("RFC 8446 4.1")
 *   quote    the requirement, quoted (short)
 *   profile  a vectors/profiles name
 *   with     optional, repeatable: a profile line ("KEY = VALUE") that
 *            overrides the profile's for this case, for both subjects and
 *            the peer, e.g. `with server.chain = x509/chains/ID.pem` to
 *            put a crafted chain of vectors/x509 in a real handshake
 *   subject  client | server: the role of the implementation under test;
 *            the scripted peer (td_peer.h) plays the other one
 *   message  the peer's handshake message under test (td_hs_name or a
 *            number), with '#N' for the N-th of that type (1-based:
 *            client_hello#2 is the ClientHello after a HelloRetryRequest)
 *   connection  optional: `resumed` puts the message under test in a
 *            second connection that resumes the first one's session (the
 *            profile's resume = session_id or ticket); default: the first
 *   edit     an edit script (td_edit.h) applied to that message; several
 *            edit lines are one script; none: the canonical message
 *   expect   what the RFC demands of the subject, alternatives separated
 *            by '|' when the RFC allows more than one:
 *              accept        the handshake completes (td_state
 *                            handshake_done) and no error alert was sent
 *              alert(NAME)   the subject aborts with this alert
 *                            (td_err_name of the description, e.g.
 *                            decode_error)
 *              closed        it stops without an alert (only where the
 *                            RFC says so, e.g. after a received fatal
 *                            alert)
 *
 * '#' starts a comment line; blank lines are ignored. The parser names
 * the file and line of what it cannot read.
 *
 * A case runs once against each subject (the reference and wolfSSL), each
 * in its own deterministic world with the same seed. A subject passes
 * when its outcome is one of the expected ones. The reference failing a
 * case is a failure of the suite. wolfSSL failing one is a divergence:
 * known when vectors/divergences has an entry with message = the case's
 * message, edit = "case ID" and observed = both outcomes (td_obs_outcome
 * texts: "continue", "alert:decode_error", ...), new otherwise; a new
 * one is a failure of the suite, a known one is reported only.
 */
#ifndef TD_CONFORM_H
#define TD_CONFORM_H

#include "td_divergence.h"
#include "td_err.h"
#include "td_observe.h"
#include "td_profile.h"

#include <stddef.h>
#include <stdint.h>

#define TD_CASE_MAX_EXPECT 4u
#define TD_CASE_ID_LEN 96u
#define TD_CASE_EDIT_LEN 2048u

typedef enum td_expect_kind { TD_EXPECT_ACCEPT, TD_EXPECT_ALERT, TD_EXPECT_CLOSED } td_expect_kind;

typedef struct td_expect {
    td_expect_kind kind;
    uint8_t alert; /* TD_EXPECT_ALERT: the AlertDescription */
} td_expect;

typedef struct td_case {
    char id[TD_CASE_ID_LEN];
    char rfc[64];      /* "RFC 8446 4.1.2" */
    char section[32];  /* "RFC 8446 4.1": the summary's row */
    char quote[320];
    char profile[TD_PROFILE_MAX_NAME];
    char with[512]; /* the `with` lines, newline-separated */
    td_role subject_role;
    uint8_t msg_type;
    unsigned occurrence; /* 0: the first of msg_type */
    unsigned connection; /* 0: the first; 1: the resumed one */
    char edit[TD_CASE_EDIT_LEN]; /* the script text, "" for none */
    td_expect expect[TD_CASE_MAX_EXPECT];
    size_t n_expect;
    char file[64]; /* the .cases file's name, for messages */
    size_t line;   /* where the block starts */
} td_case;

typedef struct td_cases {
    td_case *c;
    size_t n, cap;
} td_cases;

/* Read every *.cases file of dir (sorted by name), appending to cs (free
 * with td_cases_free). On an error: TD_ERR_SYNTAX (or TD_ERR_IO) with
 * "FILE:LINE: what" in why; ids must be unique. */
TD_MUST_USE td_err td_cases_load_dir(td_cases *cs, const char *dir, char *why, size_t cap);
/* One file. */
TD_MUST_USE td_err td_cases_load_file(td_cases *cs, const char *path, char *why, size_t cap);
void td_cases_free(td_cases *cs);

/* "accept", "alert(decode_error)", "closed"; alternatives joined by " | ". */
void td_case_expect_text(const td_case *c, char *buf, size_t cap);

/* ------------------------------------------------------------------------
 * Running
 * ------------------------------------------------------------------------ */

typedef enum td_conform_status {
    TD_CONFORM_PASS,      /* both subjects as the RFC says */
    TD_CONFORM_KNOWN,     /* the reference passes; wolfSSL does not, as a
                             vectors/divergences entry records */
    TD_CONFORM_NEW,       /* the reference passes; wolfSSL does not and no
                             entry records it: a failure */
    TD_CONFORM_REF_FAIL,  /* the reference does not do what the RFC says:
                             a failure */
    TD_CONFORM_ERROR      /* the case could not run as written (the edit
                             does not apply, the message was never sent,
                             an unknown profile): a failure */
} td_conform_status;

/* What one case did. Plain data (no pointers): it crosses a pipe from
 * the worker process that ran it. */
typedef struct td_case_result {
    td_conform_status status;
    int pass[2];                          /* [0] reference, [1] wolfSSL */
    char outcome[2][TD_OBS_OUTCOME_LEN];  /* td_obs_outcome ("continue",
                                             "alert:NAME", "closed", ...);
                                             "incomplete" for a continue
                                             short of a completed
                                             handshake; "crash" for a
                                             worker that died in that
                                             side, "not run" for wolfSSL
                                             after the reference died */
    char note[2][TD_OBS_NOTE_LEN];        /* the peer's note, a crash, an
                                             error */
    int divergence;                       /* index into the divergences of
                                             a KNOWN case, else -1 */
    char digest[2][33];                   /* td_obs_digest of each side's
                                             observation ("" when none) */
    uint64_t memo_hits;                   /* td_memo hits while the case ran
                                             (both sides) */
} td_case_result;

/* Load every case's profile and parse its edit script, so that a worker
 * forked afterwards has them and a broken case is named before anything
 * runs ("FILE:LINE: case ID: ..." in why). */
TD_MUST_USE td_err td_conform_prepare(const td_cases *cs, char *why, size_t cap);

/* Run case c against one subject (side 0: the reference, 1: wolfSSL):
 * outcome, pass and note of that side; status TD_CONFORM_ERROR when the
 * case cannot run as written. */
void td_conform_run_subject(const td_case *c, int side, uint64_t seed, td_case_result *res);

/* Run case c against both subjects (seed: the world's) and judge it
 * against d (its hit counts go up). A harness error
 * is a TD_CONFORM_ERROR result, not a return value. */
void td_conform_run(const td_case *c, td_divergences *d, uint64_t seed,
                    td_case_result *res);
/* Judge the two outcomes of c (the second step of td_conform_run, apart
 * so that a crashed subject's result can be judged the same way). */
void td_conform_judge(const td_case *c, td_divergences *d, td_case_result *res);

const char *td_conform_status_name(td_conform_status s); /* "pass", ... */
/* 1 when the status fails the suite. */
int td_conform_failed(td_conform_status s);

/* ------------------------------------------------------------------------
 * Reports (td_conform_report.c)
 * ------------------------------------------------------------------------ */

typedef struct td_conform_run_info {
    const td_cases *cases;
    const td_case_result *results; /* one per case, same order */
    const td_divergences *div;
    const char *wolfssl_version;
} td_conform_run_info;

/* The table by RFC section, then one line per case that is not a pass. */
void td_conform_summary(const td_conform_run_info *r, FILE *f);
/* JUnit XML: a testsuite per subject, a testcase per case. */
TD_MUST_USE td_err td_conform_junit(const td_conform_run_info *r, FILE *f);
/* The Markdown matrix: every case, both outcomes, the clause. Nothing in
 * it depends on time or machine: it is committed and compared in CI. */
TD_MUST_USE td_err td_conform_markdown(const td_conform_run_info *r, FILE *f);

#endif
