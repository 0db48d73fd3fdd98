/*
 * td_record: record layer framing (RFC 8446 5, RFC 5246 6.2), the Alert
 * and ChangeCipherSpec codecs, and handshake message reassembly.
 *
 * Decoders are pure: bytes in, a struct of spans into the input out, plus
 * a td_err that is the alert the reference implementation sends. They do
 * not know the connection state; what depends on it (is a CCS allowed
 * here, is a record type expected now) is decided by the handshake layer.
 * Record protection (AEAD) is not here: the codec frames TLSCiphertext and
 * TLSInnerPlaintext; td_protect.h seals and opens them.
 */
#ifndef TD_RECORD_H
#define TD_RECORD_H

#include "td_bytes.h"
#include "td_err.h"

#include <stddef.h>
#include <stdint.h>

/* RFC 8446 5.1 ContentType (+ heartbeat, RFC 6520 3) */
enum {
    TD_CT_INVALID = 0,
    TD_CT_CHANGE_CIPHER_SPEC = 20,
    TD_CT_ALERT = 21,
    TD_CT_HANDSHAKE = 22,
    TD_CT_APPLICATION_DATA = 23,
    TD_CT_HEARTBEAT = 24,
};

/* RFC 8446 4 HandshakeType: the values the reassembler names in tests. */
enum {
    TD_HS_CLIENT_HELLO = 1,
    TD_HS_SERVER_HELLO = 2,
    TD_HS_NEW_SESSION_TICKET = 4,
    TD_HS_END_OF_EARLY_DATA = 5,
    TD_HS_ENCRYPTED_EXTENSIONS = 8,
    TD_HS_CERTIFICATE = 11,
    TD_HS_CERTIFICATE_REQUEST = 13,
    TD_HS_CERTIFICATE_VERIFY = 15,
    TD_HS_FINISHED = 20,
    TD_HS_KEY_UPDATE = 24,
    TD_HS_MESSAGE_HASH = 254,
};

#define TD_RECORD_HEADER_LEN 5u
/* RFC 8446 5.1, RFC 5246 6.2.1: TLSPlaintext.length <= 2^14 */
#define TD_MAX_PLAINTEXT_LEN (1u << 14)
/* RFC 8446 5.2: TLSCiphertext.length <= 2^14 + 256 */
#define TD_MAX_CIPHERTEXT13_LEN ((1u << 14) + 256u)
/* RFC 5246 6.2.3: TLSCiphertext.length <= 2^14 + 2048 */
#define TD_MAX_CIPHERTEXT12_LEN ((1u << 14) + 2048u)
/* RFC 8446 5.4: the encoded TLSInnerPlaintext <= 2^14 + 1 */
#define TD_MAX_INNER_PLAINTEXT_LEN ((1u << 14) + 1u)

/* Which rules a record is framed under: the protocol version in force
 * (negotiated, or the one the endpoint speaks before negotiation) and
 * whether record protection is engaged for this direction. Both change the
 * length limit and the content-type rules, so both are explicit. */
typedef enum td_record_version {
    TD_RECORD_TLS12 = 0x0303,
    TD_RECORD_TLS13 = 0x0304,
} td_record_version;

typedef enum td_record_protection {
    TD_RECORD_PLAINTEXT = 0,
    TD_RECORD_PROTECTED = 1,
} td_record_protection;

typedef struct td_record_mode {
    td_record_version version;
    td_record_protection protection;
} td_record_mode;

/* One record. For a TLSCiphertext, `type` is the RFC's opaque_type and
 * `fragment` is encrypted_record. The RFC's `length` field is
 * fragment.len. */
typedef struct td_record {
    uint8_t type;
    uint16_t legacy_record_version;
    td_span fragment;
} td_record;

/* Largest TLSPlaintext/TLSCiphertext.length for a record of this type
 * under this mode. */
size_t td_record_max_len(td_record_mode mode, uint8_t type);

/* Only the 5-byte header: type, version and length, checked against the
 * mode. Lets a driver learn how many bytes the record needs; the fragment
 * length is *length. */
TD_MUST_USE td_err td_record_header_decode(td_rd *rd, td_record_mode mode,
                                           uint8_t *type,
                                           uint16_t *legacy_record_version,
                                           uint16_t *length);

/* One whole record from rd. On error rd and *out are unchanged.
 *   decode_error        truncated header or fragment
 *   unexpected_message  unknown content type (RFC 8446 5, RFC 5246 6);
 *                       a protected TLS 1.3 record whose opaque_type is not
 *                       application_data (only an unprotected
 *                       change_cipher_spec may appear, RFC 8446 5);
 *                       a TLS 1.3 handshake/alert record with an empty
 *                       fragment (RFC 8446 5.1, 5.4)
 *   record_overflow     length over td_record_max_len() */
TD_MUST_USE td_err td_record_decode(td_rd *rd, td_record_mode mode,
                                    td_record *out);

/* Header + fragment. The same rules as decode, as MUST NOT send
 * (TD_ERR_INTERNAL when the record breaks one). */
TD_MUST_USE td_err td_record_encode(td_wr *wr, td_record_mode mode,
                                    const td_record *rec);

/* The largest fragment content the unchecked writers take
 * (td_record_encode_unchecked, td_protect_seal_unchecked): past every
 * limit a receiver checks (RFC 8446 5.1, 5.2; RFC 5246 6.2.1, 6.2.3). */
#define TD_RECORD_UNCHECKED_MAX 32768u

/* Header + fragment with none of the sending rules: any type, any length
 * the uint16 length field holds, zero-length fragments of every type.
 * Only the scripted peer sends such records, on purpose
 * (td_conn_send_raw_record); the engine's own records go through
 * td_record_encode. TD_ERR_INTERNAL past 2^16-1 bytes. */
TD_MUST_USE td_err td_record_encode_unchecked(td_wr *wr, const td_record *rec);

/* TLSInnerPlaintext (RFC 8446 5.2, 5.4), the cleartext of a TLS 1.3
 * protected record. Decode strips the zero padding and finds the type. */
typedef struct td_inner_plaintext {
    td_span content;
    uint8_t type;
    size_t length_of_padding;
} td_inner_plaintext;

TD_MUST_USE td_err td_inner_plaintext_decode(td_span cleartext,
                                             td_inner_plaintext *out);
TD_MUST_USE td_err td_inner_plaintext_encode(td_wr *wr,
                                             const td_inner_plaintext *in);

/* ------------------------------------------------------------------------
 * Alert (RFC 8446 6, RFC 5246 7.2)
 * ------------------------------------------------------------------------ */
enum { TD_ALERT_LEVEL_WARNING = 1, TD_ALERT_LEVEL_FATAL = 2 };

typedef struct td_alert {
    uint8_t level;
    uint8_t description;
} td_alert;

/* A whole alert record fragment: exactly 2 bytes, else decode_error.
 * The level is not judged here (RFC 8446 6: it "can safely be ignored"). */
TD_MUST_USE td_err td_alert_decode(td_span fragment, td_alert *out);
TD_MUST_USE td_err td_alert_encode(td_wr *wr, const td_alert *in);

/* ------------------------------------------------------------------------
 * ChangeCipherSpec (RFC 5246 7.1; RFC 8446 5 compatibility record)
 * ------------------------------------------------------------------------ */
enum { TD_CCS_CHANGE_CIPHER_SPEC = 1 };

typedef struct td_ccs {
    uint8_t type;
} td_ccs;

/* A whole change_cipher_spec record fragment: exactly the byte 0x01.
 * Anything else is unexpected_message under TLS 1.3 (RFC 8446 5) and
 * decode_error under TLS 1.2 (RFC 5246 7.2.2). */
TD_MUST_USE td_err td_ccs_decode(td_span fragment, td_record_version version,
                                 td_ccs *out);
TD_MUST_USE td_err td_ccs_encode(td_wr *wr, const td_ccs *in);

/* ------------------------------------------------------------------------
 * Handshake message framing and reassembly (RFC 8446 4, 5.1)
 * ------------------------------------------------------------------------ */

/* Largest handshake body the reference accepts. The RFC allows 2^24-1; a
 * fixed buffer lives in every connection struct (snapshot = memcpy), so the
 * reference caps it. Larger is TD_ERR_NOSPACE, an implementation limit and
 * not an RFC rule. 64 KiB covers a certificate chain of several RSA-4096
 * certificates; the slack covers extensions around it. */
#define TD_MAX_HANDSHAKE_BODY (65536u + 4096u)
#define TD_HANDSHAKE_HEADER_LEN 4u
#define TD_MAX_HANDSHAKE_MSG (TD_HANDSHAKE_HEADER_LEN + TD_MAX_HANDSHAKE_BODY)

typedef struct td_handshake {
    uint8_t msg_type;
    td_span body; /* length = body.len */
    td_span raw;  /* header + body, as it goes into the transcript hash */
} td_handshake;

/* One whole Handshake (msg_type, uint24 length, body) from rd.
 * decode_error when truncated; rd is unchanged on error. */
TD_MUST_USE td_err td_handshake_decode(td_rd *rd, td_handshake *out);
/* msg_type + length + body (raw is ignored). */
TD_MUST_USE td_err td_handshake_encode(td_wr *wr, const td_handshake *in);

/* Reassembly state. Caller-owned, fixed size, no pointers into itself, so
 * a memcpy is a snapshot (the pending fragment points into the caller's
 * record buffer and is only meaningful while that record is). */
typedef struct td_hs_reasm {
    uint8_t buf[TD_MAX_HANDSHAKE_MSG];
    size_t len;     /* bytes of the current message buffered */
    int delivered;  /* buf holds a message handed out by the last _next */
    td_rd pending;  /* unread rest of the fragment last fed */
} td_hs_reasm;

void td_hs_reasm_init(td_hs_reasm *r);

/* Hand over the fragment of one handshake record. Everything fed before
 * must have been drained with td_hs_reasm_next (TD_ERR_INTERNAL if not).
 * The fragment must stay valid until it is drained. */
TD_MUST_USE td_err td_hs_reasm_feed(td_hs_reasm *r, td_span fragment);

/* The next whole message, if the fed bytes complete one: *got = 1 and *msg
 * points into r->buf, valid until the next call. *got = 0: all fed bytes
 * are consumed, feed the next handshake record.
 * TD_ERR_NOSPACE when a message announces a body over
 * TD_MAX_HANDSHAKE_BODY (repeated on every later call). */
TD_MUST_USE td_err td_hs_reasm_next(td_hs_reasm *r, td_handshake *msg,
                                    int *got);

/* OK when no partial message is buffered and nothing fed is left: the
 * point where keys may change or another record type may arrive.
 * unexpected_message otherwise (RFC 8446 5.1). */
TD_MUST_USE td_err td_hs_reasm_check_boundary(const td_hs_reasm *r);

#endif
