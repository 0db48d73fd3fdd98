/*
 * td_observe: what one subject did in one test case, normalised so that
 * two subjects given the same input can be compared (DESIGN.md "The world
 * of one test case": observation and comparator).
 *
 * The scripted peer hands every record the subject sends after the
 * message under test to td_obs_add_record, decrypted when it holds the
 * keys, and the subject's td_state at the end to td_obs_set_state. The
 * observation keeps, in fixed storage (no allocation, no pointers: a
 * memcpy is a copy):
 *   - the handshake messages, reassembled across records (a message split
 *     over records, several messages in one record), at most
 *     TD_OBS_MAX_MESSAGES of them and TD_OBS_STORE bytes of bodies;
 *     beyond that `truncated` is set and only the count goes on;
 *   - the alerts (level, description), the ChangeCipherSpec records and
 *     where they fell between the handshake messages, the application
 *     data bytes, the records the peer could not decrypt, other records;
 *   - a free-text note from the peer ("peer stopped: ...") and, from the
 *     harness, whether the subject crashed.
 *
 * Outcome text (td_obs_outcome), what vectors/divergences matches:
 *   crash              the harness saw a sanitizer report or an abort
 *                      (td_obs_set_crash), or the state says crash
 *   alert:DESC         the subject sent an error alert (td_err_name of
 *                      its description): at level fatal, or at any level
 *                      when the subject then stopped. The first such alert
 *                      on the wire; the state's `sent` alert when the wire
 *                      shows none (an encrypted alert the peer could not
 *                      read). The level is compared as a field of its own.
 *   closed:close_notify  the subject sent a closure alert (close_notify or
 *   closed:user_canceled user_canceled, RFC 8446 6.1) and no error alert
 *   closed             it stopped without an alert of its own (EOF, an
 *                      alert it received, a library error)
 *   continue           handshake proceeding or done, no error alert.
 *                      Warning alerts of a subject that carried on (a TLS
 *                      1.2 unrecognized_name, ...) do not change it: they
 *                      are compared as the field "warning alerts".
 * The glob `closed*` matches the three closed forms. Without a td_state
 * the subject counts as not stopped: only the wire decides.
 *
 * The comparator (td_obs_compare) names the first difference, in this
 * order:
 *   1. verdict            the outcome text
 *   2. alert level        of that alert, when both sent the same one
 *   3. warning alerts     warning-level alerts other than closure ones,
 *                         when the outcome is not an alert
 *   4. negotiated.*       version, cipher_suite, group, signature_scheme
 *                         from td_state (when both reported one): each
 *                         when both subjects got that far (non-zero) or
 *                         both completed; then
 *                         handshake_done (when both continue), resumed and
 *                         peer_verified (when both completed)
 *   5. undecryptable      one side's records could not be decrypted and
 *                         the other's could
 *   6. next message N     the sequence of handshake message types (a
 *                         ServerHello that is a HelloRetryRequest is named
 *                         hello_retry_request), then the count beyond the
 *                         kept messages, then an unfinished last message
 *   7. change_cipher_spec where it fell, for TLS 1.2 and below only (in
 *                         TLS 1.3 the compatibility CCS is optional,
 *                         RFC 8446 D.4)
 *   8. MESSAGE.FIELD      the semantic fields of each message (MESSAGE#2
 *                         for the second of a type), decoded as a receiver
 *                         would (td_obs_ctx_init/follow), from one table in
 *                         td_observe_fields.c: only what the RFC
 *                         fixes as the answer to the same input; randoms,
 *                         key shares, signatures, TLS 1.2 session IDs,
 *                         tickets,
 *                         extension order and optional extensions are
 *                         never compared
 *   9. application data, other records   byte and record counts
 * The note is never compared (it describes the peer).
 */
#ifndef TD_OBSERVE_H
#define TD_OBSERVE_H

#include "td_bytes.h"
#include "td_err.h"
#include "td_msg.h"
#include "td_subject.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TD_OBS_MAX_MESSAGES 16u
#define TD_OBS_STORE (32u * 1024u) /* bodies of the kept messages */
#define TD_OBS_MAX_ALERTS 8u
#define TD_OBS_NOTE_LEN 192u
/* Buffer sizes that always hold an outcome text and a compare line. */
#define TD_OBS_OUTCOME_LEN 64u
#define TD_OBS_LINE_LEN 512u

/* One complete handshake message the subject sent. */
typedef struct td_obs_message {
    uint8_t msg_type;
    size_t length; /* body length from its header */
    size_t offset; /* where its body starts in store */
    size_t stored; /* body bytes kept: < length when the store ran out */
} td_obs_message;

typedef struct td_obs_alert {
    uint8_t level;
    uint8_t description;
} td_obs_alert;

typedef struct td_observation {
    td_state state;
    int has_state;
    int crashed;
    char crash[TD_OBS_NOTE_LEN]; /* what the harness saw */
    char note[TD_OBS_NOTE_LEN];  /* set by the peer */

    td_obs_message messages[TD_OBS_MAX_MESSAGES];
    size_t n_messages;    /* kept */
    size_t messages_seen; /* complete, kept or not */
    int truncated;        /* a message or body bytes were not kept */
    uint8_t store[TD_OBS_STORE];
    size_t store_len;

    /* The message in flight: its header bytes so far, then its body. */
    uint8_t hs_header[TD_HANDSHAKE_HEADER_LEN];
    size_t hs_header_len;
    size_t hs_body_got;

    td_obs_alert alerts[TD_OBS_MAX_ALERTS];
    size_t n_alerts;         /* kept */
    size_t alerts_seen;      /* kept or not */
    size_t malformed_alerts; /* alert records that were not whole alerts */

    size_t ccs;       /* ChangeCipherSpec records */
    size_t ccs_after; /* messages complete before the first one */
    size_t app_data_bytes;
    size_t app_data_records;
    size_t undecryptable; /* records the peer could not decrypt */
    size_t other_records; /* heartbeat, unknown content types */
} td_observation;

void td_obs_init(td_observation *o);

/* One record the subject sent: its content type (the inner type of a
 * decrypted TLS 1.3 record) and plaintext. undecryptable: the peer could
 * not decrypt it (plaintext is then ignored). Handshake bytes are
 * reassembled; alert records are split into 2-byte alerts.
 * TD_ERR_INTERNAL for plaintext.p == NULL with a length (a caller bug);
 * running out of storage is not an error (see `truncated`). */
TD_MUST_USE td_err td_obs_add_record(td_observation *o, uint8_t content_type, td_span plaintext,
                                     int undecryptable);
void td_obs_set_state(td_observation *o, const td_state *st);
/* The harness: the subject died (sanitizer report, abort, timeout). */
void td_obs_set_crash(td_observation *o, const char *why);
/* The peer: free text for reports ("peer stopped: ..."); never compared. */
void td_obs_set_note(td_observation *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The outcome text (see above): "continue", "alert:decode_error",
 * "closed", "closed:close_notify", "crash". */
void td_obs_outcome(const td_observation *o, char *buf, size_t cap);

/* 0 when a (the reference) and b (wolfSSL) behaved the same; else 1 and
 * one line naming the first differing field and both values:
 *   verdict: reference alert:decode_error, wolfSSL alert:illegal_parameter
 *   next message 2: reference encrypted_extensions, wolfSSL certificate
 *   server_hello.cipher_suite: reference TLS_AES_128_GCM_SHA256 (0x1301),
 *       wolfSSL TLS_AES_256_GCM_SHA384 (0x1302)
 * line is "" when they are the same. */
int td_obs_compare(const td_observation *a, const td_observation *b, char *line, size_t cap);
/* The same with other names for the two sides ("run 1", "run 2"). */
int td_obs_compare_named(const td_observation *a, const char *name_a,
                         const td_observation *b, const char *name_b, char *line,
                         size_t cap);

/* A few lines for reports (`tlsdiff replay`). */
void td_obs_print(const td_observation *o, FILE *f);

/* A digest of everything observed (state, note, every kept message byte
 * for byte, alerts, record counts): equal digests, equal observations.
 * hex gets 32 hex digits (the first 16 bytes of a SHA-256) and a NUL.
 * For comparing whole runs cheaply (tlsdiff conform --digests). */
void td_obs_digest(const td_observation *o, char hex[33]);

/* The kept message i: its name ("hello_retry_request" for a ServerHello
 * carrying the HRR random; "unknown(N)" in buf for a type without a name)
 * and its body (the kept bytes). */
const char *td_obs_message_name(const td_observation *o, size_t i, char *buf, size_t cap);
td_span td_obs_message_body(const td_observation *o, size_t i);
/* The message still in flight at the end: "none", "2 header bytes",
 * "certificate (40 of 900 bytes)". */
void td_obs_unfinished(const td_observation *o, char *buf, size_t cap);

/* ------------------------------------------------------------------------
 * The compared fields (td_observe_fields.c): one table, per message form.
 * ------------------------------------------------------------------------ */

/* The decoding context a receiver would use for what this subject sends:
 * version and suite from its td_state (TLS 1.3 forms when it has none),
 * then each ServerHello it sent in turn (td_obs_ctx_follow). */
void td_obs_ctx_init(td_msg_ctx *ctx, const td_state *st);
void td_obs_ctx_follow(td_msg_ctx *ctx, uint8_t msg_type, td_span body);

/* Compare the tabled fields of two messages of the same type, each
 * decoded under its own context; label names the message in the line
 * ("server_hello", "new_session_ticket#2"). A message that decodes on one
 * side only is a difference; one that decodes on neither is not. */
int td_obs_fields_compare(const char *label, uint8_t msg_type, td_span body_a,
                          const td_msg_ctx *ctx_a, const char *name_a, td_span body_b,
                          const td_msg_ctx *ctx_b, const char *name_b, char *line, size_t cap);
/* "cipher_suite TLS_AES_128_GCM_SHA256 (0x1301), key_share.group ..." */
void td_obs_fields_describe(uint8_t msg_type, td_span body, const td_msg_ctx *ctx, char *buf,
                            size_t cap);

/* The table itself, for listings and tests: row i's message form
 * ("server_hello13", "certificate12", ...), field key and the RFC clause
 * that fixes its value. */
size_t td_obs_field_count(void);
void td_obs_field_info(size_t i, const char **form, const char **key, const char **clause);

#endif
