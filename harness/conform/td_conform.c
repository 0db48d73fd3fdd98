/*
 * Conformance cases run against both subjects through the scripted peer,
 * each outcome judged against what the case's RFC clause demands
 * (td_conform.h).
 */
#include "td_conform.h"

#include "td_edit.h"
#include "td_memo.h"
#include "td_peer.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

/* The profile text: the file, then the case's `with` lines (a later
 * line of a key overrides an earlier one). */
static td_err profile_text(const td_case *c, char *text, size_t cap, char *why, size_t wcap)
{
    char path[4096];
    FILE *f;
    size_t n;

    if (snprintf(path, sizeof path, "%s/profiles/%s.profile", td_vectors_dir(), c->profile) >=
        (int)sizeof path)
        return TD_ERR_NOSPACE;
    f = fopen(path, "rb");
    if (!f) {
        snprintf(why, wcap, "%s: cannot open", path);
        return TD_ERR_IO;
    }
    n = fread(text, 1, cap - 1, f);
    fclose(f);
    if ((size_t)snprintf(text + n, cap - n, "\n%s\n", c->with) >= cap - n) {
        snprintf(why, wcap, "%s: too large", path);
        return TD_ERR_NOSPACE;
    }
    return TD_OK;
}

/* Profiles are read once per process (the files do not change under a
 * run); a worker forked after td_conform_prepare inherits them. Keyed by
 * the name and the `with` lines. */
static const td_profile *profile_of(const td_case *c, char *why, size_t cap)
{
    static struct {
        char name[TD_PROFILE_MAX_NAME];
        char with[sizeof c->with];
        td_profile p;
    } cache[96];
    static size_t n;
    static char text[16384];
    char reason[256] = "";
    size_t i, line = 0;

    for (i = 0; i < n; i++)
        if (strcmp(cache[i].name, c->profile) == 0 && strcmp(cache[i].with, c->with) == 0)
            return &cache[i].p;
    if (n == sizeof cache / sizeof cache[0]) {
        snprintf(why, cap, "more than %zu distinct profiles", n);
        return NULL;
    }
    if (profile_text(c, text, sizeof text, why, cap) != TD_OK)
        return NULL;
    if (td_profile_parse(&cache[n].p, c->profile, text, &line, reason, sizeof reason) != TD_OK) {
        snprintf(why, cap, "%s (with its `with` lines), line %zu: %s", c->profile, line, reason);
        return NULL;
    }
    snprintf(cache[n].name, sizeof cache[n].name, "%s", c->profile);
    snprintf(cache[n].with, sizeof cache[n].with, "%s", c->with);
    return &cache[n++].p;
}

static int expected(const td_case *c, const td_observation *o, const char *outcome)
{
    size_t i;

    for (i = 0; i < c->n_expect; i++) {
        const td_expect *x = &c->expect[i];

        switch (x->kind) {
        case TD_EXPECT_ACCEPT:
            /* the handshake completed and the subject sent no error */
            if (strcmp(outcome, "continue") == 0 && o->has_state && o->state.handshake_done)
                return 1;
            break;
        case TD_EXPECT_CLOSED:
            if (fnmatch("closed*", outcome, 0) == 0)
                return 1;
            break;
        case TD_EXPECT_ALERT: {
            char want[TD_OBS_OUTCOME_LEN];

            snprintf(want, sizeof want, "alert:%s", td_err_name((td_err)x->alert));
            if (strcmp(outcome, want) == 0)
                return 1;
            break;
        }
        }
    }
    return 0;
}

/* The observation's note when the case itself did not run as written:
 * the edit did not apply, or the message under test never went out (the
 * peer's own notes otherwise describe a subject's answer). */
static int case_void(const td_observation *o)
{
    return strncmp(o->note, "edit not applied", 16) == 0 ||
           strcmp(o->note, "the message under test was never sent") == 0;
}

static void error(td_case_result *res, const char *fmt, const char *a, const char *b)
{
    res->status = TD_CONFORM_ERROR;
    snprintf(res->note[0], sizeof res->note[0], fmt, a, b);
}

td_err td_conform_prepare(const td_cases *cs, char *why, size_t cap)
{
    static td_edit_script script;
    size_t i;

    for (i = 0; i < cs->n; i++) {
        const td_case *c = &cs->c[i];
        char what[256];

        if (!profile_of(c, what, sizeof what)) {
            snprintf(why, cap, "%s:%zu: case %s: profile %s: %s", c->file, c->line, c->id,
                     c->profile, what);
            return TD_ERR_NOT_FOUND;
        }
        if (td_edit_parse(c->edit, &script, what, sizeof what) != TD_OK) {
            snprintf(why, cap, "%s:%zu: case %s: edit: %s", c->file, c->line, c->id, what);
            return TD_ERR_SYNTAX;
        }
    }
    return TD_OK;
}

void td_conform_run_subject(const td_case *c, int side, uint64_t seed, td_case_result *res)
{
    static td_edit_script script;
    static td_observation obs;
    td_peer_case pc;
    char why[256] = "";
    char *outcome = res->outcome[side];

    memset(&pc, 0, sizeof pc);
    pc.profile = profile_of(c, why, sizeof why);
    if (!pc.profile) {
        error(res, "profile %s: %s", c->profile, why);
        return;
    }
    if (td_edit_parse(c->edit, &script, why, sizeof why) != TD_OK) {
        error(res, "edit script: %s%s", why, "");
        return;
    }
    pc.subject_role = c->subject_role;
    pc.msg_type = c->msg_type;
    pc.occurrence = c->occurrence;
    pc.connection = c->connection;
    pc.edit = &script;
    pc.seed = seed;
    if (td_peer_run(&pc, side == 0 ? TD_IMPL_REF : TD_IMPL_WOLFSSL, &obs, why, sizeof why) !=
        TD_OK) {
        error(res, "%s: %s", side == 0 ? "reference" : "wolfSSL", why);
        return;
    }
    td_obs_outcome(&obs, outcome, TD_OBS_OUTCOME_LEN);
    td_obs_digest(&obs, res->digest[side]);
    snprintf(res->note[side], sizeof res->note[side], "%s", obs.note);
    if (case_void(&obs)) {
        res->status = TD_CONFORM_ERROR;
        return;
    }
    res->pass[side] = expected(c, &obs, outcome);
    if (!res->pass[side] && strcmp(outcome, "continue") == 0 && obs.has_state &&
        !obs.state.handshake_done)
        /* no error, but no completed handshake either: say so */
        snprintf(outcome, TD_OBS_OUTCOME_LEN, "incomplete");
}

void td_conform_run(const td_case *c, td_divergences *d, uint64_t seed, td_case_result *res)
{
    td_memo_stats before, after;

    memset(res, 0, sizeof *res);
    res->divergence = -1;
    td_memo_stats_get(&before);
    td_conform_run_subject(c, 0, seed, res);
    if (res->status != TD_CONFORM_ERROR)
        td_conform_run_subject(c, 1, seed, res);
    td_memo_stats_get(&after);
    res->memo_hits = after.hits - before.hits;
    td_conform_judge(c, d, res);
}

void td_conform_judge(const td_case *c, td_divergences *d, td_case_result *res)
{
    const td_divergence *hit;
    char edit[TD_CASE_ID_LEN + 8];

    res->divergence = -1;
    if (res->status == TD_CONFORM_ERROR)
        return;
    if (!res->pass[0]) {
        res->status = TD_CONFORM_REF_FAIL;
        return;
    }
    if (res->pass[1]) {
        res->status = TD_CONFORM_PASS;
        return;
    }
    res->status = TD_CONFORM_NEW;
    if (!d)
        return;
    snprintf(edit, sizeof edit, "case %s", c->id);
    hit = td_divergences_match_case(d, td_hs_name(c->msg_type) ? td_hs_name(c->msg_type) : "",
                                    edit, c->profile, res->outcome[0], res->outcome[1], NULL);
    if (hit) {
        res->status = TD_CONFORM_KNOWN;
        res->divergence = (int)(hit - d->e);
    }
}

const char *td_conform_status_name(td_conform_status s)
{
    switch (s) {
    case TD_CONFORM_PASS:
        return "pass";
    case TD_CONFORM_KNOWN:
        return "known divergence";
    case TD_CONFORM_NEW:
        return "NEW DIVERGENCE";
    case TD_CONFORM_REF_FAIL:
        return "REFERENCE FAILS";
    case TD_CONFORM_ERROR:
        return "CASE ERROR";
    }
    return "?";
}

int td_conform_failed(td_conform_status s)
{
    return s == TD_CONFORM_NEW || s == TD_CONFORM_REF_FAIL || s == TD_CONFORM_ERROR;
}
