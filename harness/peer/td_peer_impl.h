/*
 * The scripted peer's internals (td_peer.c) that its snapshots of the
 * prefix (td_peer_snapshot.c) share: the state of one run, and the
 * snapshot calls the run makes. Only harness/peer/td_peer*.c include it.
 */
#ifndef TD_PEER_IMPL_H
#define TD_PEER_IMPL_H

#include "td_conn.h"
#include "td_peer.h"
#include "td_world.h"

/* The message under test held back by the edits that frame it (td_edit.h,
 * "What the scripted peer does"): its wire bytes, what its flags say,
 * and the write state of the key epoch it was queued in (a copy: it
 * seals the message when the engine has moved to other keys since). */
typedef struct held {
    int on;
    td_edit_flags f;
    td_protect st;
    size_t len;
    uint8_t bytes[TD_CONN_OUT_MAX];
} held;

/* Everything of one run; on the heap (a td_conn is large). */
typedef struct peer_run {
    const td_peer_case *pc;
    td_conn conn;
    td_conn_config cfg;
    td_conn_hooks hooks;
    td_session_cache sessions;
    td_session13_cache tickets;
    td_observation *obs;
    unsigned seen;    /* messages of pc->msg_type sent so far */
    int sent;         /* the message under test went out */
    unsigned connection; /* the connection running: the hooks edit and
                            observe only in pc->connection */
    int posting;      /* post_handshake: the handshake is over, the
                         message under test is on its way */
    td_err edit_err;  /* the edit could not be applied */
    char edit_why[160];
    held hold;
    uint8_t payload[TD_EDIT_RECORD_MAX]; /* a record edit's payload */
} peer_run;

/* ---- snapshots of the prefix (td_peer_snapshot.c) ----------------------- */

/* Where a snapshot was taken, so where a restored run goes on: at the
 * start of a pump round, at the post-handshake step, or with the
 * subject's bytes drained and about to go into the peer's engine. */
typedef enum { TD_SNAP_ROUND, TD_SNAP_POST, TD_SNAP_FEED } td_snap_point;

typedef struct td_snapshot td_snapshot;

/* The variant's snapshot for a run of pc against impl, or NULL (none yet,
 * or the run must be whole: td_peer_snapshot.c says which). */
const td_snapshot *td_snap_find(const td_peer_case *pc, td_impl impl);
/* Where sn goes on from; *pending: the subject's bytes a TD_SNAP_FEED
 * snapshot feeds to the peer first. */
td_snap_point td_snap_where(const td_snapshot *sn, td_span *pending);
/* A new subject in world w with the state of the peer, the world and the
 * subject as sn holds it (r->pc and r->obs stay this run's). */
TD_MUST_USE td_err td_snap_restore(const td_snapshot *sn, peer_run *r, td_world *w, td_impl impl,
                                   td_subject **s, char *why, size_t cap);

/* Recording a whole run: begin (does nothing for a run that cannot have
 * a snapshot), a capture at each capture point, end. */
void td_snap_record_begin(const td_peer_case *pc, td_impl impl);
void td_snap_capture(peer_run *r, const td_world *w, const td_subject *s, td_snap_point point,
                     td_span pending);
void td_snap_record_end(const peer_run *r);

#endif
