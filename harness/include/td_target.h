/*
 * td_target: the message-level differential targets (issue: one target
 * per message and role). A target names the message under test, which
 * side sends it (the scripted peer) and which subject receives it, and the
 * profiles it runs under (its variants). One input is run against the
 * reference and against wolfSSL by the scripted peer (td_peer.h) and
 * judged (td_judge.h). The fuzz targets in targets/diff/, the replay
 * command and the tests all go through td_target_run.
 *
 * Input: byte 0 picks the variant (modulo their number), byte 1 the mode
 * (even: the rest is an edit script in its binary form, td_edit.h, over
 * the canonical message; odd: the rest is raw bytes put on the wire in
 * place of the message), then the payload. Shorter inputs are the first
 * variant's canonical message.
 *
 * Beyond single messages (the same input form, so replay, explain and
 * the reducer take their inputs as any other):
 *   flight          sequences in the manner of the SMACK and SKIP-TLS
 *                   state-machine attacks: the mutator prefers the flight
 *                   edits (skip, repeat, inject, reorder, merge)
 *   record          framing: the mutator prefers split and the extra
 *                   records (record, plain: CCS, alerts, unknown content
 *                   types, empty and over-long records)
 *   post_handshake  after the handshake: KeyUpdate, NewSessionTicket, a
 *                   post-handshake CertificateRequest, and renegotiation
 *                   attempts (HelloRequest, a second ClientHello)
 * Their variants are not profiles alone: each names the profile, the
 * subject's role (client in some, server in others), the peer's message
 * under test and which one of its type (td_target_variant), so byte 0
 * picks the message too. flight and record share one list: the peer's
 * messages of eight handshakes (TLS 1.3 and 1.2, each role, client
 * authentication off and on) plus a HelloRetryRequest exchange and a
 * TLS 1.3 ticket. post_handshake's variants send their message once both
 * ends are connected (td_peer_case.post_handshake): then the peer and
 * the subject write application data, so what the subject does after it
 * is observed (its own KeyUpdate, an alert, a failure to read).
 * A picking target's edit text names the message: "certificate_verify:
 * skip", "server_hello#2: repeat" (what vectors/divergences matches).
 */
#ifndef TD_TARGET_H
#define TD_TARGET_H

#include "td_judge.h"
#include "td_peer.h"

#define TD_TARGET_MAX_VARIANTS 48

/* What one variant runs: the profile, the roles, the message under test. */
typedef struct td_target_variant {
    const char *profile;
    td_role subject_role;   /* the subject receives the message */
    uint8_t msg_type;       /* HandshakeType, sent by the peer */
    unsigned occurrence;    /* which one of that type: 0 the first */
    int post_handshake;     /* sent once connected (td_peer_case) */
    uint8_t request_update; /* a post-handshake KeyUpdate's */
} td_target_variant;

/* Which edits a target's mutator prefers (td_edit_mutate*). */
typedef enum td_target_kind {
    TD_TARGET_MESSAGE = 0, /* every edit, mostly of the message */
    TD_TARGET_FLIGHT,      /* td_edit_mutate_flight */
    TD_TARGET_RECORD,      /* td_edit_mutate_record */
    TD_TARGET_POST,        /* every edit, of the post-handshake message */
} td_target_kind;

typedef struct td_target {
    const char *name;      /* client_hello, server_finished, ... */
    td_role subject_role;  /* the subject receives the message; picking
                              targets: variant 0's (use td_target_variant_of) */
    uint8_t msg_type;      /* HandshakeType, sent by the peer; likewise */
    const char *profiles[TD_TARGET_MAX_VARIANTS]; /* vectors/profiles names,
                              one per variant */
    const char *about;
    const td_target_variant *variants; /* NULL: the message above under
                              each profile; else one per profiles[] entry,
                              the same profile (a picking target) */
    td_target_kind kind;
} td_target;

size_t td_target_count(void);
const td_target *td_target_at(size_t i);
const td_target *td_target_find(const char *name);
size_t td_target_variants(const td_target *t);
/* Variant v of t (v < td_target_variants(t)), whatever kind t is. */
void td_target_variant_of(const td_target *t, size_t v, td_target_variant *out);

/* What one input did. Large (two observations): keep it static or on the
 * heap. */
typedef struct td_target_result {
    const char *profile;
    char edit[1024];       /* the script as text, "canonical" or "raw N bytes" */
    td_observation ref, wolf;
    td_judgement judgement;
    char line[512];        /* the first difference */
    const td_divergence *hit;
} td_target_result;

/* Run one input. TD_OK with res filled (whatever the subjects did); an
 * error when the harness could not run it (why). */
TD_MUST_USE td_err td_target_run(const td_target *t, td_span input, td_divergences *div,
                                 td_target_result *res, char *why, size_t cap);

/* Optional taps on a run (tlsdiff replay --pcap, --keylog): each NULL
 * member is skipped, and the taps change nothing the subjects do.
 * on_begin and on_end bracket each subject's run (the reference, then
 * wolfSSL; on_end also when the harness failed); on_wire and keylog are
 * td_peer_case's, all with ctx. */
typedef struct td_target_taps {
    void (*on_begin)(void *ctx, td_impl subject);
    void (*on_end)(void *ctx, td_impl subject);
    void (*on_wire)(void *ctx, int from_subject, td_span bytes);
    void (*keylog)(void *ctx, const char *label, const uint8_t *client_random, td_span secret);
    void *ctx;
} td_target_taps;

/* td_target_run with taps (NULL: none). */
TD_MUST_USE td_err td_target_run_tapped(const td_target *t, td_span input, td_divergences *div,
                                        const td_target_taps *taps, td_target_result *res,
                                        char *why, size_t cap);

/* An input for the canonical message of variant v (the seeds). */
size_t td_target_seed(size_t variant, uint8_t *out, size_t cap);

#endif
