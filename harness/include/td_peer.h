/*
 * td_peer: the scripted peer (DESIGN.md "The world of one test case").
 *
 * It plays the other side of a handshake against a subject (the reference
 * or wolfSSL, behind td_subject) with the reference engine itself: the
 * canonical valid flight of a profile, in either role, with the message
 * under test edited on its way out (td_edit.h) and everything the subject
 * answers afterwards observed (td_observe.h), decrypted with the keys the
 * peer holds, TLS 1.3 encrypted alerts included.
 *
 * The edit is applied to the canonical message the engine produced in this
 * run (the flight edits skip, repeat and inject too; reorder, merge and
 * split are not done yet); what depends on it (transcript hash, Finished, binders, signatures)
 * follows the edit unless the script says `stale`. The peer never judges:
 * when the subject's answer is not one its engine accepts, it stops and
 * says so in the observation's note; the subject's own state (its alert,
 * its negotiated parameters) is observed either way.
 *
 * One case runs once per subject, in a world of its own with the same
 * seed, so both subjects see the same profile, clock and randomness, and
 * the same edit of their canonical message.
 */
#ifndef TD_PEER_H
#define TD_PEER_H

#include "td_edit.h"
#include "td_observe.h"
#include "td_profile.h"
#include "td_subject.h"

typedef struct td_peer_case {
    const td_profile *profile;
    td_role subject_role;  /* the subject's role; the peer plays the other */
    uint8_t msg_type;      /* the peer's message under test (HandshakeType) */
    unsigned occurrence;   /* which one of that type: 0 the first */
    const td_edit_script *edit; /* NULL or empty: the canonical message */
    td_span raw;           /* non-empty: these bytes (a whole handshake
                              message or several) replace it; raw mode */
    int lenient;           /* edits that do not apply are skipped
                              (td_edit_apply_lenient), as in fuzzing */
    uint64_t seed;
} td_peer_case;

/* Which subject td_peer_run is running now ("reference", "wolfSSL"), or
 * NULL: for crash reports (a signal handler may read it). */
const char *td_peer_running(void);

/* Run the case against one subject. TD_OK with the observation filled,
 * also when the handshake failed (that is an observation); an error only
 * when the harness could not run it (why says what). obs->note says
 * whether the message under test was sent at all. */
TD_MUST_USE td_err td_peer_run(const td_peer_case *pc, td_impl subject, td_observation *obs,
                               char *why, size_t cap);

#endif
