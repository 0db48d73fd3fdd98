/*
 * Snapshots of the scripted peer's prefix against the reference subject
 * (td_peer_impl.h; the run itself is td_peer.c).
 */
#include "td_peer_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Snapshots of the prefix (issue: fuzzing throughput, "reference
 * snapshots")
 *
 * Everything a run does before the peer's engine produces the message
 * under test is the same for every input of a variant: the edit, the raw
 * bytes and the observation all start at that message. So against the
 * reference subject, whose state is a flat struct (td_subject_snapshot_*),
 * the first run of a variant records the state (the peer's run, the
 * world, the subject) at the start of the last pump round, or of the
 * post-handshake step, before the message went out; later runs of the
 * same variant restore it and go on from there. wolfSSL's state is on its
 * heap behind pointers and cannot be copied: its runs replay the prefix,
 * with their public-key operations served by td_memo.
 *
 * A snapshot is keyed on all that shapes the prefix: the profile (its
 * contents), the subject's role, the message under test and which one,
 * whether it is post-handshake, and the seed. Runs with taps (pcap,
 * keylog) and second connections always run whole. TD_SNAPSHOT=0 turns
 * snapshots off; tests/check_snapshot.c compares runs with and without.
 * ------------------------------------------------------------------------ */
#define SNAP_MAX 64u

struct td_snapshot {
    td_profile profile;
    td_role subject_role;
    uint8_t msg_type;
    unsigned occurrence;
    int post_handshake;
    uint64_t seed;
    td_snap_point point;     /* where the run goes on from */
    td_world world;
    peer_run *run;
    uint8_t *subject;
    size_t subject_len;
    uint8_t *pending;     /* TD_SNAP_FEED: the subject's bytes for the peer */
    size_t pending_len, pending_cap;
};

typedef struct td_snapshot snapshot;

static snapshot *snaps[SNAP_MAX];
static size_t snap_next;

/* The run being recorded: the newest state captured while the message
 * under test had not gone out. */
static struct {
    int on;
    const td_peer_case *pc;
    snapshot *cand; /* NULL until a capture */
} rec;

static int snap_enabled = -1; /* -1: not read from the environment yet */
static td_peer_snapshot_stats snap_stats;

static int snapshots_enabled(void)
{
    if (snap_enabled < 0) {
        const char *v = getenv("TD_SNAPSHOT");

        snap_enabled = !(v && (strcmp(v, "0") == 0 || strcmp(v, "off") == 0));
    }
    return snap_enabled;
}

void td_peer_set_snapshots(int on) { snap_enabled = on ? 1 : 0; }

void td_peer_snapshot_stats_get(td_peer_snapshot_stats *st) { *st = snap_stats; }

static int eligible(const td_peer_case *pc, td_impl impl)
{
    return impl == TD_IMPL_REF && pc->connection == 0 && !pc->on_wire && !pc->keylog &&
           snapshots_enabled();
}

static int snap_matches(const snapshot *sn, const td_peer_case *pc)
{
    return sn->subject_role == pc->subject_role && sn->msg_type == pc->msg_type &&
           sn->occurrence == pc->occurrence && sn->post_handshake == pc->post_handshake &&
           sn->seed == pc->seed && memcmp(&sn->profile, pc->profile, sizeof sn->profile) == 0;
}

static const snapshot *find(const td_peer_case *pc)
{
    size_t i;

    for (i = 0; i < SNAP_MAX; i++)
        if (snaps[i] && snap_matches(snaps[i], pc))
            return snaps[i];
    return NULL;
}

const td_snapshot *td_snap_find(const td_peer_case *pc, td_impl impl)
{
    return eligible(pc, impl) ? find(pc) : NULL;
}

td_snap_point td_snap_where(const td_snapshot *sn, td_span *pending)
{
    *pending = (td_span){sn->pending, sn->pending_len};
    return sn->point;
}

void td_snap_record_begin(const td_peer_case *pc, td_impl impl)
{
    rec.on = eligible(pc, impl);
    rec.pc = pc;
}

static void snap_free(snapshot *sn)
{
    if (!sn)
        return;
    if (sn->run)
        td_secure_zero(sn->run, sizeof *sn->run);
    free(sn->run);
    if (sn->subject)
        td_secure_zero(sn->subject, sn->subject_len);
    free(sn->subject);
    free(sn->pending);
    free(sn);
}

/* The message under test has gone out: the last capture is the
 * variant's snapshot (the oldest one makes room). */
static void snap_commit(void)
{
    rec.on = 0;
    if (!rec.cand)
        return;
    snap_free(snaps[snap_next]);
    snaps[snap_next] = rec.cand;
    snap_next = (snap_next + 1) % SNAP_MAX;
    rec.cand = NULL;
    snap_stats.taken++;
}

/* A capture point of a recorded run (the start of a pump round, of the
 * post-handshake step): the state is kept while the message under test
 * has not gone out; once it has, the last state kept is the snapshot. */
void td_snap_capture(peer_run *r, const td_world *w, const td_subject *s, td_snap_point point,
                     td_span pending)
{
    snapshot *c;
    size_t i, need;

    if (!rec.on)
        return;
    if (r->sent) {
        snap_commit();
        return;
    }
    for (i = 0; i < TD_SESSION_SLOTS; i++)
        if (w->sessions[i].id_len) { /* a library's session: not flat */
            rec.on = 0;
            return;
        }
    if (!rec.cand) {
        rec.cand = calloc(1, sizeof *rec.cand);
        if (rec.cand)
            rec.cand->run = malloc(sizeof *rec.cand->run);
        if (!rec.cand || !rec.cand->run) {
            snap_free(rec.cand);
            rec.cand = NULL;
            rec.on = 0;
            return;
        }
    }
    c = rec.cand;
    need = td_subject_snapshot_size(s);
    if (need > c->subject_len) {
        uint8_t *p = realloc(c->subject, need);

        if (!p) {
            rec.on = 0;
            return;
        }
        c->subject = p;
    }
    c->subject_len = need;
    if (pending.len > c->pending_cap) {
        uint8_t *p = realloc(c->pending, pending.len);

        if (!p) {
            rec.on = 0;
            return;
        }
        c->pending = p;
        c->pending_cap = pending.len;
    }
    if (pending.len)
        memcpy(c->pending, pending.p, pending.len);
    c->pending_len = pending.len;
    td_subject_snapshot_save(s, c->subject);
    memcpy(c->run, r, sizeof *r);
    c->world = *w;
    c->point = point;
    c->profile = *rec.pc->profile;
    c->subject_role = rec.pc->subject_role;
    c->msg_type = rec.pc->msg_type;
    c->occurrence = rec.pc->occurrence;
    c->post_handshake = rec.pc->post_handshake;
    c->seed = rec.pc->seed;
}

/* The end of a recorded run: a capture made before the message went out
 * is kept if it went out after it. */
void td_snap_record_end(const peer_run *r)
{
    if (rec.on && r->sent)
        snap_commit();
    rec.on = 0;
    snap_free(rec.cand);
    rec.cand = NULL;
}

/* A run from snapshot sn: a new subject in world w, then the state of
 * the peer, the world and the subject as sn holds it (r->pc and r->obs
 * are this run's; the pointers into r are set again). */
td_err td_snap_restore(const td_snapshot *sn, peer_run *r, td_world *w, td_impl impl,
                       td_subject **s, char *why, size_t cap)
{
    const td_peer_case *pc = r->pc;
    td_observation *obs = r->obs;
    void *c12, *c13;
    td_err e;

    e = td_subject_new(impl, pc->subject_role, pc->profile, w, s);
    if (e != TD_OK) {
        snprintf(why, cap, "subject: %s", td_subject_last_error());
        return e;
    }
    /* the world's session caches are the new subject's */
    c12 = w->ref_sessions;
    c13 = w->ref_sessions13;
    *w = sn->world;
    w->ref_sessions = c12;
    w->ref_sessions13 = c13;
    e = td_subject_snapshot_restore(*s, sn->subject, sn->subject_len);
    if (e != TD_OK) {
        snprintf(why, cap, "snapshot restore: %s", td_err_name(e));
        return e;
    }
    memcpy(r, sn->run, sizeof *r);
    r->pc = pc;
    r->obs = obs;
    r->cfg.session_cache = &r->sessions;
    r->cfg.session13_cache = &r->tickets;
    r->hooks.ctx = r;
    r->cfg.hooks = &r->hooks;
    r->conn.cfg = &r->cfg;
    snap_stats.restored++;
    return TD_OK;
}
