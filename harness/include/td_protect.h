/*
 * td_protect: record protection, one direction of one connection.
 *
 *   TLS 1.3   RFC 8446 5.2 (AEAD over TLSInnerPlaintext, the record
 *             header as additional_data), 5.3 (nonce = iv XOR seq),
 *             5.4 (padding)
 *   TLS 1.2   RFC 5246 6.2.3.3 (GenericAEADCipher, additional_data =
 *             seq_num + type + version + length), RFC 5288 3 (AES-GCM:
 *             salt || nonce_explicit), RFC 7905 2 (ChaCha20-Poly1305:
 *             iv XOR seq, no explicit nonce)
 *
 * The state is flat and pointer-free (a snapshot is a memcpy): the AEAD,
 * the write key and iv of the sender (client_write_* or server_write_*),
 * and the 64-bit sequence number of the next record. It is filled from
 * raw key and iv bytes; deriving them is the key schedules' job.
 *
 * Nothing allocates: seal writes the whole record into a caller td_wr;
 * open decrypts into a caller buffer. A failed call leaves the writer,
 * the reader, the caller's buffer and the state (sequence number
 * included) as they were. Plaintext copies on the stack are wiped
 * (td_secure_zero) before returning; td_protect_reset wipes the keys.
 *
 * Errors of open (what the reference answers a peer):
 *   decode_error        record truncated (td_record_decode)
 *   unexpected_message  unknown record type; a TLS 1.3 record whose
 *                       opaque_type is not application_data (a
 *                       change_cipher_spec record is never protected:
 *                       the caller drops it before open, RFC 8446 5);
 *                       TLS 1.3 inner plaintext without a content type,
 *                       with a zero-length handshake/alert content, or of
 *                       an unknown/change_cipher_spec type (RFC 8446 5.4, 5)
 *   record_overflow     TLS 1.3: TLSCiphertext.length > 2^14 + 256
 *                       (RFC 8446 5.2) or TLSInnerPlaintext > 2^14 + 1
 *                       (5.4); TLS 1.2: TLSCiphertext.length > 2^14 + 2048
 *                       (RFC 5246 6.2.3) or plaintext > 2^14 (6.2.1)
 *   bad_record_mac      the AEAD does not authenticate, or the fragment is
 *                       shorter than nonce_explicit + tag (RFC 8446 5.2,
 *                       RFC 5246 6.2.3.3)
 *   TD_ERR_NOSPACE      the record with sequence number 2^64-1 was already
 *                       processed: the sequence number would wrap (RFC 8446
 *                       5.3, RFC 5246 6.1); the caller must rekey or close.
 *                       Also: the caller's buffer or writer is too small.
 *   TD_ERR_INTERNAL     no keys installed, or a caller bug
 */
#ifndef TD_PROTECT_H
#define TD_PROTECT_H

#include "td_bytes.h"
#include "td_crypto.h"
#include "td_err.h"
#include "td_record.h"

#include <stddef.h>
#include <stdint.h>

/* RFC 5288 3: the implicit part of the GCM nonce (fixed_iv_length) */
#define TD_PROTECT12_GCM_SALT_LEN 4u
/* RFC 5288 3: GenericAEADCipher.nonce_explicit (record_iv_length) */
#define TD_PROTECT12_GCM_EXPLICIT_LEN 8u
/* RFC 8446 5.3 iv_length; RFC 7905 2 fixed_iv_length */
#define TD_PROTECT_IV_LEN TD_AEAD_NONCE_LEN

typedef struct td_protect {
    int installed;             /* 0 after td_protect_reset */
    td_record_version version; /* TD_RECORD_TLS12 or TD_RECORD_TLS13 */
    td_aead_alg alg;
    size_t key_len;            /* td_aead_key_len(alg) */
    uint8_t key[TD_AEAD_MAX_KEY_LEN];
    /* TLS 1.3 and TLS 1.2 ChaCha20-Poly1305: the 12-byte write_iv;
     * TLS 1.2 AES-GCM: the 4-byte salt (client/server_write_IV). */
    size_t iv_len;
    uint8_t iv[TD_PROTECT_IV_LEN];
    uint64_t seq;      /* sequence number of the next record */
    int seq_exhausted; /* the record with seq 2^64-1 has been processed */
} td_protect;

/* What open hands back. content points into the caller's buffer. */
typedef struct td_protect_plain {
    uint8_t type; /* ContentType (TLS 1.3: TLSInnerPlaintext.type) */
    td_span content;
    size_t length_of_padding; /* TLS 1.3 zeros stripped; 0 for TLS 1.2 */
} td_protect_plain;

/* Wipe everything (keys included); the state is then not installed. */
void td_protect_reset(td_protect *st);

/* Install a write key and iv; the sequence number starts at 0 (RFC 8446
 * 5.3, RFC 5246 6.1). key.len must be td_aead_key_len(alg); iv.len must
 * be 12, except 4 for TLS 1.2 AES-GCM (RFC 5288 3). Anything else is
 * TD_ERR_INTERNAL and leaves st unchanged. The old key is wiped. */
TD_MUST_USE td_err td_protect_install(td_protect *st,
                                      td_record_version version,
                                      td_aead_alg alg, td_span key,
                                      td_span iv);

/* Protect one record of `type` carrying `content` and append it (header
 * included) to wr.
 *   TLS 1.3: a TLSCiphertext (opaque_type application_data, version
 *     0x0303) around TLSInnerPlaintext{content, type, length_of_padding
 *     zeros}.
 *   TLS 1.2: the record header (type, 0x0303) + GenericAEADCipher;
 *     AES-GCM uses the sequence number as nonce_explicit (RFC 5288 3
 *     allows it). length_of_padding must be 0.
 * A record that breaks a sending rule (size limits, zero-length
 * handshake/alert content, unknown type) is TD_ERR_INTERNAL; a full
 * writer TD_ERR_NOSPACE. The sequence number advances on success only. */
TD_MUST_USE td_err td_protect_seal(td_protect *st, uint8_t type,
                                   td_span content, size_t length_of_padding,
                                   td_wr *wr);

/* The same with none of the sending rules (td_record_encode_unchecked):
 * any type (TLS 1.3: any TLSInnerPlaintext.type, change_cipher_spec and
 * unknown types included; no padding), zero-length content of any type,
 * content up to TD_RECORD_UNCHECKED_MAX bytes, so past the 2^14 limits
 * (RFC 8446 5.2, 5.4; RFC 5246 6.2.1, 6.2.3). Only the scripted peer
 * sends such records (td_conn_send_raw_record). TD_ERR_INTERNAL past
 * TD_RECORD_UNCHECKED_MAX; the sequence number advances on success. */
TD_MUST_USE td_err td_protect_seal_unchecked(td_protect *st, uint8_t type,
                                             td_span content, td_wr *wr);

/* TLS 1.2 AES-GCM with a nonce_explicit chosen by the caller (OpenSSL,
 * for one, does not send the sequence number: it starts at a random value
 * and counts up). RFC 5288 3: each nonce_explicit "MUST be distinct for
 * each distinct invocation" under one key; that is then the caller's
 * duty. TD_ERR_INTERNAL for any other AEAD or version. */
TD_MUST_USE td_err td_protect12_seal_explicit(td_protect *st, uint8_t type,
                                              td_span content,
                                              uint64_t nonce_explicit,
                                              td_wr *wr);

/* Read one whole record from rd and remove its protection into
 * buf[0..cap) (cap >= TD_MAX_PLAINTEXT_LEN always suffices). On success
 * rd has moved past the record and *out describes the content. Errors:
 * see the top of this file; on error rd, buf, *out and st are unchanged. */
TD_MUST_USE td_err td_protect_open(td_protect *st, td_rd *rd, uint8_t *buf,
                                   size_t cap, td_protect_plain *out);

#endif
