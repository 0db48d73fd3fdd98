/*
 * td_subject: one implementation under test, in one role, behind a small
 * interface over memory I/O (DESIGN.md "subject"). No sockets: bytes go in
 * with feed(), bytes come out with drain(), and state() says where the
 * subject stands.
 *
 * Every call binds the subject's world and party (td_world_bind), so all
 * randomness and time the library sees come from the test case.
 */
#ifndef TD_SUBJECT_H
#define TD_SUBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "td_err.h"
#include "td_profile.h"
#include "td_world.h"

typedef enum { TD_IMPL_REF, TD_IMPL_WOLFSSL } td_impl;

typedef enum {
    TD_VERDICT_CONTINUE, /* waiting for input, or open after the handshake */
    TD_VERDICT_ALERT,    /* a fatal alert was sent or received */
    TD_VERDICT_CLOSED,   /* stopped without an alert of its own (EOF, error) */
    TD_VERDICT_CRASH,    /* set by the harness when the subject died */
} td_verdict;

/* An alert seen on the wire (td_alert in td_record.h is the codec's). */
typedef struct td_alert_seen {
    bool present;
    uint8_t level;       /* 1 warning, 2 fatal */
    uint8_t description; /* AlertDescription */
} td_alert_seen;

typedef struct td_state {
    td_verdict verdict;
    bool handshake_done;
    td_alert_seen sent;     /* last alert this subject sent */
    td_alert_seen received; /* last alert it received */
    uint16_t version;  /* negotiated ProtocolVersion, 0 if none yet */
    uint16_t cipher_suite;
    uint16_t group;      /* NamedGroup of the key exchange; 0 for static RSA */
    uint16_t sig_scheme; /* SignatureScheme that authenticated the server */
    bool resumed;
    bool peer_verified;  /* the peer presented a certificate and it verified */
    int lib_error;       /* the implementation's own error code, 0 if none */
    char lib_error_name[192];
} td_state;

typedef struct td_subject td_subject;

TD_MUST_USE td_err td_subject_new(td_impl impl, td_role role, const td_profile *profile,
                                  td_world *world, td_subject **out);
void td_subject_free(td_subject *s);
/* Why the last td_subject_new on this thread failed ("" if it did not). */
const char *td_subject_last_error(void);

/* Take bytes from the other side and run as far as they allow. A feed of
 * zero bytes just runs (a client sends its ClientHello on the first). */
TD_MUST_USE td_err td_subject_feed(td_subject *s, const uint8_t *data, size_t len);
/* The other side closed the transport: no more bytes will come. */
TD_MUST_USE td_err td_subject_feed_eof(td_subject *s);
/* Move up to cap pending output bytes into out; *len says how many. */
size_t td_subject_pending(const td_subject *s);
void td_subject_drain(td_subject *s, uint8_t *out, size_t cap, size_t *len);

/* Application data, once the handshake is done. */
TD_MUST_USE td_err td_subject_write_app(td_subject *s, const uint8_t *data, size_t len);
void td_subject_read_app(td_subject *s, uint8_t *out, size_t cap, size_t *len);

void td_subject_state(const td_subject *s, td_state *st);

/* Client only: the session to resume, as an opaque blob the same
 * implementation exported. Call before the first feed. */
TD_MUST_USE td_err td_subject_export_session(td_subject *s, uint8_t *out, size_t cap,
                                             size_t *len);
TD_MUST_USE td_err td_subject_set_session(td_subject *s, const uint8_t *blob, size_t len);

/* Snapshots (td_peer.c restores a subject at the point a fuzz target's
 * message under test is about to be sent, instead of replaying the
 * handshake up to it). Only the reference subject can be snapshotted: it
 * is a flat struct but for pointers restore sets again. size is 0 for a
 * subject that cannot; save writes size bytes into buf; restore takes a
 * snapshot of a subject of the same implementation, role and profile in
 * a world created the same way (the reference servers' session caches of
 * the world included), over a subject freshly made by td_subject_new. */
size_t td_subject_snapshot_size(const td_subject *s);
void td_subject_snapshot_save(const td_subject *s, uint8_t *buf);
TD_MUST_USE td_err td_subject_snapshot_restore(td_subject *s, const uint8_t *buf, size_t len);

const char *td_impl_name(td_impl impl);
const char *td_verdict_name(td_verdict v);
/* "alert(fatal, protocol_version)" / "continue" / "closed" ... */
void td_state_describe(const td_state *st, char *out, size_t cap);

#endif
