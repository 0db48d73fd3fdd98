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
 * run, and so are the flight edits (skip, repeat, inject) and the framing
 * edits (split, merge, reorder, and the extra records of `record` and
 * `plain`, td_edit.h "What the scripted peer does": the message is held
 * and framed by the peer through td_conn_hooks on_send/on_flush and
 * td_conn_send_raw_record, plaintext or under the keys it was queued
 * under); what depends on it (transcript hash, Finished, binders,
 * signatures) follows the edit unless the script says `stale`, and the
 * transcript keeps the engine's order. The peer never judges:
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
    unsigned connection;   /* 0: the first connection; 1: the second, which
                              resumes the first's session (profiles with
                              resume = session_id or ticket) */
    const td_edit_script *edit; /* NULL or empty: the canonical message */
    td_span raw;           /* non-empty: these bytes (a whole handshake
                              message or several) replace it; raw mode */
    int lenient;           /* edits that do not apply are skipped
                              (td_edit_apply_lenient), as in fuzzing */
    /* Post-handshake: when set, the message under test is the msg_type
     * the peer sends once both ends have finished the handshake of
     * `connection` (td_peer_send_post_handshake; occurrence counts from
     * there), and nothing before it is edited or observed. After it the
     * peer writes application data and then the subject does (if it
     * still can), bytes moving until nothing does after each: so a
     * subject that answers only at its next write (a KeyUpdate, RFC 8446
     * 4.6.3 "prior to sending its next Application Data record") is
     * observed answering, and one that ignored a key change is observed
     * failing to read. */
    int post_handshake;
    uint8_t request_update; /* a post-handshake KeyUpdate's request_update */
    uint64_t seed;
    /* Optional taps (tlsdiff replay --pcap, --keylog); NULL: none, and
     * the run is the same either way. on_wire sees every chunk moved
     * between the peer and the subject, in order, before the other side
     * takes it (from_subject: 1 the subject sent it). keylog is the
     * peer's td_conn_config.keylog: its secrets in the NSS key log
     * format (td_conn.h). */
    void (*on_wire)(void *wire_ctx, int from_subject, td_span bytes);
    void *wire_ctx;
    void (*keylog)(void *keylog_ctx, const char *label, const uint8_t *client_random,
                   td_span secret);
    void *keylog_ctx;
} td_peer_case;

/* The post-handshake message msg_type from the peer's engine c (its
 * role's, once CONNECTED), through its hooks (td_peer_post.c):
 *   key_update           request_update as given (RFC 8446 4.6.3); the
 *                        peer's sending key changes after it
 *   new_session_ticket   server, TLS 1.3: a fresh ticket (4.6.1); nothing
 *                        when the profile has tickets off
 *   certificate_request  server, TLS 1.3: the engine's post-handshake
 *                        request (4.6.2) when the client offered
 *                        post_handshake_auth; otherwise the same message
 *                        regardless, which 4.6.2 says the client MUST
 *                        answer with unexpected_message (the peer's
 *                        engine then refuses any answer)
 *   hello_request        server: RFC 5246 7.4.1.1 (in TLS 1.3 a message
 *                        that does not exist, RFC 8446 4)
 *   client_hello         client: the first ClientHello again, in TLS 1.2
 *                        with renegotiation_info = client_verify_data
 *                        (RFC 5746 3.5): a secure renegotiation attempt;
 *                        in TLS 1.3 unchanged (RFC 8446 4.1.2 forbids it)
 * TD_ERR_UNSUPPORTED for another type; engine errors as they come. */
struct td_conn;
TD_MUST_USE td_err td_peer_send_post_handshake(struct td_conn *c, uint8_t msg_type,
                                               uint8_t request_update);

/* Which subject td_peer_run is running now ("reference", "wolfSSL"), or
 * NULL: for crash reports (a signal handler may read it). */
const char *td_peer_running(void);

/* Snapshots of the prefix against the reference subject (td_peer.c):
 * on unless TD_SNAPSHOT=0; the counters say how many runs were restored
 * from one and how many snapshots were taken, for tests and reports. */
void td_peer_set_snapshots(int on);
typedef struct td_peer_snapshot_stats {
    unsigned long long restored, taken;
} td_peer_snapshot_stats;
void td_peer_snapshot_stats_get(td_peer_snapshot_stats *st);

/* Run the case against one subject. TD_OK with the observation filled,
 * also when the handshake failed (that is an observation); an error only
 * when the harness could not run it (why says what). obs->note says
 * whether the message under test was sent at all. */
TD_MUST_USE td_err td_peer_run(const td_peer_case *pc, td_impl subject, td_observation *obs,
                               char *why, size_t cap);

#endif
