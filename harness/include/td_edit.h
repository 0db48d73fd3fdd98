/*
 * td_edit: edit scripts, the one language for conformance vectors, the
 * structure-aware fuzz mutator and triage (DESIGN.md "Edit scripts").
 *
 * A test message is the canonical valid message of a profile plus a list
 * of edits. The same list is text a person writes in a vector, a compact
 * binary form a libFuzzer custom mutator mutates, and what triage reduces
 * a divergence to ("ext dup supported_versions").
 *
 * ------------------------------------------------------------------------
 * Text syntax
 * ------------------------------------------------------------------------
 *
 *   script  := edit { (';' | newline) edit }     at most TD_EDIT_MAX edits;
 *                                                empty statements and '#'
 *                                                comments (to end of line)
 *                                                are ignored
 *   edit    := 'set' FIELD VALUE                 a field of the decoded message
 *            | 'ext' 'drop'   EXT                remove the extension
 *            | 'ext' 'dup'    EXT                a copy right after it
 *            | 'ext' 'move'   EXT POS            move it to index POS
 *            | 'ext' 'insert' EXT HEX ['at' POS] new extension (default: last)
 *            | 'ext' 'set'    EXT HEX            replace its extension_data
 *            | 'bytes' OFFSET HEX                overwrite body bytes at OFFSET
 *            | 'truncate' N                      body cut to N bytes
 *            | 'length' DELTA                    header length off by DELTA
 *            | 'type' HS                         the header's msg_type byte
 *            | 'replace' HEX                     the whole body
 *            | 'stale'                           peer: do not recompute what
 *                                                depends on this message
 *            | 'skip' | 'repeat' [N]             peer: do not send / send N
 *                                                more copies (default 1)
 *            | 'inject' HS HEX                   peer: an extra handshake
 *                                                message before this one
 *            | 'reorder'                         peer: swap with the next
 *                                                message of the flight
 *            | 'split' N                         peer: records of <= N bytes
 *            | 'merge'                           peer: share a record with
 *                                                the next message
 *            | 'record' CT PAYLOAD               peer: an extra record of
 *                                                type CT before this message,
 *                                                protected as the peer's
 *                                                records are there
 *            | 'plain' CT PAYLOAD                peer: the same, always an
 *                                                unprotected record
 *   FIELD   := a name of the table below (the RFC struct member name)
 *   VALUE   := INT | NAME                        integer fields
 *            | HEX                               opaque fields, random
 *            | ITEM {',' ITEM} | '-' | 'hex:' HEX   list fields
 *   ITEM    := INT | NAME                        one list element
 *   INT     := decimal | '0x' hex
 *   NAME    := an IANA name of td_names.h for the field's registry
 *              (cipher suite, group, signature scheme, version)
 *   EXT     := INT | extension name (td_ext_name: key_share, ...)
 *   HS      := INT | handshake type name (td_hs_name: client_hello, ...)
 *   CT      := INT (0..255) | change_cipher_spec | alert | handshake
 *              | application_data | heartbeat    (RFC 8446 5.1 ContentType)
 *   PAYLOAD := HEX, up to TD_EDIT_RECORD_MAX bytes (see "record" below)
 *   HEX     := '-' (empty) | PART {'+' PART}
 *   PART    := hex digits (even count) | hex digits '*' COUNT (repeated)
 *   POS     := INT (0-based; past the end = last) | 'first' | 'last'
 *   OFFSET, N := INT;  DELTA := ['+'|'-'] INT
 *
 * Examples:
 *   set legacy_version 0x0301
 *   set cipher_suite TLS_AES_256_GCM_SHA384
 *   set random 00*32
 *   set legacy_session_id 0102+ff*30
 *   set cipher_suites 0x1301,TLS_AES_256_GCM_SHA384
 *   set cipher_suites hex:130113            (an odd-length list body)
 *   set legacy_compression_methods 0,1
 *   ext dup supported_versions; ext move key_share first
 *   ext insert 0x0a0a - at 0                (an empty GREASE extension first)
 *   ext set supported_versions 020303
 *   truncate 10; length +1
 *   type 2; stale; split 1
 *   inject key_update 00
 *   record change_cipher_spec 01            (a CCS before this message)
 *   plain 0x63 00; record application_data 00*16385
 *
 * The printer writes the canonical form: one line, edits joined by "; ",
 * IANA names where td_names.h or td_ext.h has them (versions in hex as
 * the RFCs write them), runs of 6 or more equal bytes as "XX*N", a
 * position 0 as "first" and -1 as "last". td_edit_parse(td_edit_print(s))
 * gives s back.
 *
 * ------------------------------------------------------------------------
 * What the edits do (td_edit_apply)
 * ------------------------------------------------------------------------
 * Edits apply in order. `set` and `ext` edit the decoded message
 * (td_msg_decode once, then the struct; td_msg_encode, which is
 * permissive, writes it back), so every length stays consistent and a
 * message stays editable after an edit the strict decoder would reject
 * (a duplicated extension, an odd cipher_suites). The raw edits (`bytes`,
 * `truncate`, `replace`) work on the encoded body; a `set` or `ext` after
 * one decodes the body again, and a body that no longer decodes makes it
 * fail (TD_ERR_SYNTAX, why names the edit and the decoder's alert).
 * `length` and `type` touch only the 4-byte Handshake header; the body
 * length written is len(body) + the sum of the DELTAs. The flight edits
 * change no byte: td_edit_apply reports them in td_edit_flags and the
 * scripted peer acts on them (`repeat`s add up, the last `split` wins).
 *
 * What the scripted peer does with them (td_peer.c). The engine queues
 * a flight's handshake messages and frames them into records at each key
 * change and at the end of the flight, so by default a flight under one
 * key is one record (records of 2^14 bytes at most, RFC 8446 5.1).
 *   skip, repeat, inject  the message goes out 0 or 1 + N times, the
 *               injected messages before it, framed as usual.
 *   split N, merge, reorder, record, plain: the messages queued before
 *               this one go out in their own record(s) first, and this
 *               message (with its repeats and injected messages) is held
 *               and goes out in records of its own:
 *   split N     records of at most N bytes (RFC 8446 5.1 and RFC 5246
 *               6.2.1 allow fragmenting a handshake message across
 *               records), under the keys it was queued under.
 *   merge       it waits for the next handshake message the peer sends,
 *               across a key change if one comes first, and both go out
 *               in one record under this message's keys. Where the engine
 *               would change keys between them, that is what differs from
 *               the usual framing: TLS 1.3 ServerHello and
 *               EncryptedExtensions in one plaintext record (RFC 8446 5.1:
 *               a message before a key change must end its record, else
 *               unexpected_message); TLS 1.2 ClientKeyExchange or
 *               CertificateVerify and Finished in one plaintext record,
 *               after the ChangeCipherSpec the engine wrote meanwhile.
 *               Under one key it is the usual coalescing, in a record
 *               that starts with this message. With split, the two go out
 *               in records of at most N bytes.
 *   reorder     it waits for the next handshake message the peer sends
 *               and goes out right after it, in the same record(s) and
 *               under the next message's keys (the transcript keeps the
 *               engine's order).
 *               When nothing follows before the peer waits for input
 *               (the last message of its flight), merge and reorder have
 *               no partner: the message goes out alone, under its keys
 *               (a plaintext record then carries the record version of
 *               that moment: 0x0303 for a ClientHello).
 *   record CT PAYLOAD   before the message, one record of content type CT
 *               carrying PAYLOAD under the keys the message was queued
 *               under (plaintext before keys; TLS 1.3: TLSInnerPlaintext.type
 *               CT), in script order, with no sending rule checked:
 *               lengths over 2^14, zero-length handshake/alert/CCS
 *               fragments, unknown types and a protected CCS go out as
 *               written (record_overflow, unexpected_message cases).
 *   plain CT PAYLOAD    the same, always an unprotected TLSPlaintext
 *               (TLS 1.3 too: a CCS, alert or unknown type in clear),
 *               with the record version of the peer's plaintext records
 *               at that point (0x0301 in the first ClientHello's flight,
 *               0x0303 after it).
 * A record PAYLOAD is stored in an edit (TD_EDIT_BYTES_MAX bytes): a
 * payload of up to TD_EDIT_BYTES_MAX bytes whole (num = len); a longer
 * one up to and including the first byte of its last run of equal bytes
 * (num = the payload length > len), so `00*16385` or `16+00*20000` fit
 * and `ab*600+cd` does not (TD_ERR_NOSPACE).
 *
 * ext edits act on the first extension of that type, in the messages with
 * an extension block (ClientHello, ServerHello and HelloRetryRequest,
 * EncryptedExtensions, TLS 1.3 CertificateRequest and NewSessionTicket);
 * an absent extension fails `drop`, `dup`, `move` and `set`. `ext insert`
 * into a Hello without a block adds one.
 *
 * Fields (td_msg.h struct members; [1.2]/[1.3]: the td_msg_ctx version
 * picks the form, as td_msg_decode does):
 *   client_hello          legacy_version random legacy_session_id
 *                         cipher_suites legacy_compression_methods
 *                         has_extensions extensions
 *   server_hello          legacy_version random legacy_session_id_echo
 *                         cipher_suite legacy_compression_method
 *                         has_extensions extensions
 *   encrypted_extensions  extensions
 *   certificate           [1.3] certificate_request_context certificate_list
 *                         [1.2] certificate_list
 *   certificate_request   [1.3] certificate_request_context extensions
 *                         [1.2] certificate_types supported_signature_algorithms
 *                               certificate_authorities
 *   server_key_exchange   curve_type namedcurve point algorithm signature
 *   client_key_exchange   exchange_keys
 *   certificate_verify    algorithm signature
 *   finished              verify_data
 *   new_session_ticket    [1.3] ticket_lifetime ticket_age_add ticket_nonce
 *                               ticket extensions
 *                         [1.2] ticket_lifetime_hint ticket
 *   key_update            request_update
 *   message_hash          hash
 * `extensions` is the raw block body (setting it sets has_extensions);
 * list fields (cipher_suites, ...) are list bodies; certificate_list is
 * the raw list body. Derived members (is_hello_retry_request, count,
 * params, has_algorithm, kx) are not fields: the encoder ignores them or
 * td_msg_ctx fixes them.
 *
 * ------------------------------------------------------------------------
 * Binary form (td_edit_encode / td_edit_decode), for the fuzz mutator
 * ------------------------------------------------------------------------
 * The edits one after the other, each an op byte (td_edit_op) and its
 * arguments, big-endian: set: field u8, then the value (u8/u16/u32 by the
 * field's width, or len u16 + bytes); EXT u16; HS u8; POS u16 (0xffff =
 * last); OFFSET and N of truncate u24; DELTA i32; repeat N u8; split N
 * u16; HEX len u16 + bytes; CT u8; PAYLOAD its length u16, then its
 * stored form as HEX. Op and field numbers are stable (corpora keep
 * them): append only.
 *
 * No function here allocates; td_edit_apply uses about 200 KiB of stack,
 * td_edit_parse 32 KiB (a record PAYLOAD expanded).
 */
#ifndef TD_EDIT_H
#define TD_EDIT_H

#include "td_bytes.h"
#include "td_err.h"
#include "td_msg.h"

#include <stddef.h>
#include <stdint.h>

#define TD_EDIT_MAX 16u
#define TD_EDIT_BYTES_MAX 512u
/* The longest record PAYLOAD: past every record length limit (RFC 8446
 * 5.1, 5.2; RFC 5246 6.2.1, 6.2.3); TD_RECORD_UNCHECKED_MAX. */
#define TD_EDIT_RECORD_MAX 32768u

/* Edit operations. Stable numbers (the binary form): append only. */
typedef enum td_edit_op {
    TD_EDIT_SET = 1,
    TD_EDIT_EXT_DROP,
    TD_EDIT_EXT_DUP,
    TD_EDIT_EXT_MOVE,
    TD_EDIT_EXT_INSERT,
    TD_EDIT_EXT_SET,
    TD_EDIT_BYTES,
    TD_EDIT_TRUNCATE,
    TD_EDIT_LENGTH,
    TD_EDIT_TYPE,
    TD_EDIT_REPLACE,
    TD_EDIT_STALE,
    TD_EDIT_SKIP,
    TD_EDIT_REPEAT,
    TD_EDIT_INJECT,
    TD_EDIT_REORDER,
    TD_EDIT_SPLIT,
    TD_EDIT_MERGE,
    TD_EDIT_RECORD,
    TD_EDIT_PLAIN,
    TD_EDIT_OP_END
} td_edit_op;

/* Fields `set` can name. Stable numbers (the binary form): append only. */
typedef enum td_edit_field {
    TD_EF_LEGACY_VERSION = 1,
    TD_EF_RANDOM,
    TD_EF_LEGACY_SESSION_ID,
    TD_EF_LEGACY_SESSION_ID_ECHO,
    TD_EF_CIPHER_SUITES,
    TD_EF_CIPHER_SUITE,
    TD_EF_LEGACY_COMPRESSION_METHODS,
    TD_EF_LEGACY_COMPRESSION_METHOD,
    TD_EF_HAS_EXTENSIONS,
    TD_EF_EXTENSIONS,
    TD_EF_CERTIFICATE_REQUEST_CONTEXT,
    TD_EF_CERTIFICATE_LIST,
    TD_EF_CERTIFICATE_TYPES,
    TD_EF_SUPPORTED_SIGNATURE_ALGORITHMS,
    TD_EF_CERTIFICATE_AUTHORITIES,
    TD_EF_CURVE_TYPE,
    TD_EF_NAMEDCURVE,
    TD_EF_POINT,
    TD_EF_ALGORITHM,
    TD_EF_SIGNATURE,
    TD_EF_EXCHANGE_KEYS,
    TD_EF_VERIFY_DATA,
    TD_EF_TICKET_LIFETIME,
    TD_EF_TICKET_AGE_ADD,
    TD_EF_TICKET_NONCE,
    TD_EF_TICKET,
    TD_EF_TICKET_LIFETIME_HINT,
    TD_EF_REQUEST_UPDATE,
    TD_EF_HASH,
    TD_EF_END
} td_edit_field;

/* One edit. Pointer-free and fixed-size (a script is memcpy-able); the
 * members an op does not use are zero, so two equal edits are equal
 * byte for byte.
 *   set          field; num (integer fields) or bytes/len
 *   ext ...      type = ExtensionType; num = POS (move, insert; -1 last);
 *                bytes = extension_data (insert, set)
 *   bytes        num = OFFSET, bytes
 *   truncate     num = N        length   num = DELTA
 *   type         type = msg_type
 *   replace      bytes
 *   repeat       num = N (1..255)   split  num = N (1..16384)
 *   inject       type = msg_type, bytes = body
 *   record plain type = ContentType, num = payload length, bytes = its
 *                stored form (above) */
typedef struct td_edit {
    int64_t num;
    uint16_t type;
    uint16_t len;
    uint8_t op;    /* td_edit_op */
    uint8_t field; /* td_edit_field, set only */
    uint8_t zero_[2];
    uint8_t bytes[TD_EDIT_BYTES_MAX];
} td_edit;

typedef struct td_edit_script {
    td_edit e[TD_EDIT_MAX];
    size_t n;
} td_edit_script;

/* Text -> script. On error *out is empty and why (if cap > 0) reads
 * "edit 2: unknown field 'foo'" (edits counted from 1).
 *   TD_ERR_SYNTAX  a malformed edit or value; TD_ERR_NOSPACE  more than
 *   TD_EDIT_MAX edits, or a value over TD_EDIT_BYTES_MAX bytes */
TD_MUST_USE td_err td_edit_parse(const char *text, td_edit_script *out, char *why, size_t cap);

/* Script -> canonical text (see above), NUL-terminated and cut to cap.
 * Returns the length of the whole text (as snprintf does). */
size_t td_edit_print(const td_edit_script *s, char *buf, size_t cap);

/* Whether one edit is well-formed (what parse and decode accept):
 * TD_ERR_SYNTAX with a why otherwise. */
TD_MUST_USE td_err td_edit_check(const td_edit *e, char *why, size_t cap);

/* Same scripts: same edits in the same order. */
int td_edit_script_eq(const td_edit_script *a, const td_edit_script *b);

/* "ext drop", "set", ...; NULL for an unknown op. */
const char *td_edit_op_name(unsigned op);

/* The whole payload of a well-formed record or plain edit into out
 * (e->num bytes); 0 when it does not fit in cap. */
size_t td_edit_payload(const td_edit *e, uint8_t *out, size_t cap);

/* Binary form. encode: TD_ERR_NOSPACE when wr is too small (wr unchanged),
 * TD_ERR_SYNTAX for an edit td_edit_check refuses. decode is total: any
 * bytes give a well-formed script or TD_ERR_SYNTAX (*out empty). */
TD_MUST_USE td_err td_edit_encode(const td_edit_script *s, td_wr *wr);
TD_MUST_USE td_err td_edit_decode(td_span in, td_edit_script *out);

/* What td_edit_apply reports: what the flight edits ask of the peer, and
 * why it failed. */
#define TD_EDIT_WHY_MAX 192u
typedef struct td_edit_flags {
    int stale;                   /* keep transcript, Finished, binders, signatures
                                    as they were: do not recompute */
    int skip;                    /* do not send this message */
    unsigned repeat;             /* send it this many more times */
    int reorder;                 /* swap with the next message of the flight */
    int merge;                   /* share a record with the next message */
    size_t split;                /* records of at most this many bytes; 0 = usual */
    size_t n_inject;             /* inject edits, in script order: send the message */
    uint8_t inject[TD_EDIT_MAX]; /* (s->e[i].type, s->e[i].bytes) before */
    size_t n_record;             /* record and plain edits, in script order: */
    uint8_t record[TD_EDIT_MAX]; /* send the record s->e[i] before */
    uint32_t skipped;            /* lenient apply: bit i = s->e[i] did not apply */
    char why[TD_EDIT_WHY_MAX];   /* on error (lenient: the first skip), e.g.
                                    "edit 3 (ext drop): no key_share extension
                                    in client_hello"; "" otherwise */
} td_edit_flags;

/* Apply the message edits of s to one handshake message (msg_type and its
 * body; ctx as for td_msg_decode, NULL = TLS 1.3) and write the whole
 * message, header and body, to out[0..*out_len). The flight edits go to
 * *flags (cleared first). On error flags->why names the edit and the
 * problem, and nothing useful is in out:
 *   TD_ERR_SYNTAX     an edit does not apply to this message (no such
 *                     field or extension, offset past the end, a body
 *                     that no longer decodes, a header length out of
 *                     range, a value the encoder cannot write)
 *   TD_ERR_NOSPACE    out (or an internal buffer) is too small */
TD_MUST_USE td_err td_edit_apply(const td_edit_script *s, uint8_t msg_type, td_span body,
                                 const td_msg_ctx *ctx, uint8_t *out, size_t cap, size_t *out_len,
                                 td_edit_flags *flags);

/* The same for fuzzing: an edit that does not apply to this message (no
 * such field or extension, a body that no longer decodes, an offset
 * past the end, a value with no wire form) is skipped, not an error, so
 * that every mutated script gives a message. flags->skipped says which;
 * flags->why holds the first reason. A header length out of range is clamped
 * to 0 or 2^24-1 (the last length edit counts as skipped). Errors: only
 * TD_ERR_NOSPACE (out too small, or a message over the body maximum)
 * and TD_ERR_SYNTAX for an edit td_edit_check refuses. */
TD_MUST_USE td_err td_edit_apply_lenient(const td_edit_script *s, uint8_t msg_type, td_span body,
                                         const td_msg_ctx *ctx, uint8_t *out, size_t cap,
                                         size_t *out_len, td_edit_flags *flags);

/* The libFuzzer custom mutator's core: decode data[0..size) as a binary
 * script (an undecodable one starts empty), add, remove or change one
 * edit with values chosen for msg_type (its fields and registry names,
 * known extension types, boundary integers 0, 1, 0xff, 0xffff, lengths
 * +-1), and re-encode into data (at most max bytes). Returns the new
 * size; the input unchanged (size) when nothing fits in max. */
size_t td_edit_mutate(uint8_t *data, size_t size, size_t max, unsigned seed, uint8_t msg_type);

/* The same, knowing the message the script will edit (body and ctx as
 * for td_edit_apply; ctx NULL = TLS 1.3): set picks the fields of its
 * form, ext drop/dup/move/set mostly name extensions it has, offsets and
 * truncations fall inside and at the edges of its body. Both keep set
 * and ext edits before the raw edits they add (a raw edit first would
 * leave the body undecodable for them). */
size_t td_edit_mutate_msg(uint8_t *data, size_t size, size_t max, unsigned seed, uint8_t msg_type,
                          td_span body, const td_msg_ctx *ctx);

/* td_edit_mutate preferring one family (7 mutations in 8 add or change
 * one of its edits): _flight the flight edits (skip, repeat, reorder,
 * merge, stale, and inject of real messages of every handshake type,
 * td_target "flight"); _record split and the extra records (record,
 * plain: a CCS, alerts with the descriptions that matter, handshake
 * fragments, application data, unknown types, empty and over-long
 * payloads, td_target "record"). */
size_t td_edit_mutate_flight(uint8_t *data, size_t size, size_t max, unsigned seed,
                             uint8_t msg_type);
size_t td_edit_mutate_record(uint8_t *data, size_t size, size_t max, unsigned seed,
                             uint8_t msg_type);

/* ------------------------------------------------------------------------
 * The schema: what `set` knows (for the mutator, listings and tests)
 * ------------------------------------------------------------------------ */
typedef enum td_edit_kind {
    TD_EK_U8 = 1, /* uint8 */
    TD_EK_U16,    /* uint16 */
    TD_EK_U32,    /* uint32 */
    TD_EK_BOOL,   /* int 0 or 1 (has_extensions) */
    TD_EK_RANDOM, /* 32 bytes */
    TD_EK_OPAQUE, /* bytes, up to max */
    TD_EK_LIST8,  /* list body of uint8 values */
    TD_EK_LIST16, /* list body of uint16 values */
} td_edit_kind;

typedef struct td_edit_field_info {
    const char *name;
    td_edit_kind kind;
    int names;  /* 1 + td_names_kind of its values / items, 0 = none */
    size_t max; /* bytes (byte kinds) */
} td_edit_field_info;

/* The extension types EXT may name (td_ext_name's names). */
const uint16_t *td_edit_ext_types(size_t *n);

/* NULL for a number outside td_edit_field. */
const td_edit_field_info *td_edit_field_about(unsigned field);

/* A field of one message form and where it sits in td_msg. */
typedef struct td_edit_slot {
    uint8_t field; /* td_edit_field */
    size_t off;    /* offsetof(td_msg, ...) */
    size_t size;   /* sizeof the member */
} td_edit_slot;

/* The fields of msg_type in the form version selects (>= 0x0304: the
 * TLS 1.3 one); *name the message ("client_hello"). NULL (and *n = 0)
 * when the message has no fields or no codec. */
const td_edit_slot *td_edit_slots(uint8_t msg_type, uint16_t version, size_t *n, const char **name);

#endif
