/*
 * td_keys: the key schedules of the reference implementation.
 *
 *   td_ks13_*  TLS 1.3 (RFC 8446 7.1 key schedule, 7.2 KeyUpdate, 7.3
 *              traffic keys, 4.4.4 Finished, 4.2.11.2 PSK binder, 4.6.1
 *              ticket PSK, 4.4.1 message_hash)        -- keys/td_ks13.c
 *   td_ks12_*  TLS 1.2 (RFC 5246 8.1 master secret, 6.3 key expansion,
 *              7.4.9 Finished; RFC 7627 4 extended master secret)
 *                                                     -- keys/td_ks12.c
 *   td_ks_suite  the cipher suites the reference speaks and what the key
 *              schedules need from each              -- keys/td_ks_suites.c
 *
 * All cryptography goes through td_crypto.h. Nothing here allocates; the
 * schedule structs are flat and pointer-free, so a snapshot is a memcpy.
 * Every secret a struct holds is wiped (td_secure_zero) when its stage
 * ends: RFC 8446 7.1, "Once all the values which are to be derived from a
 * given secret have been computed, that secret SHOULD be erased."
 *
 * Errors: a Finished or binder that does not verify is decrypt_error
 * (RFC 8446 4.4.4, 6.2; RFC 5246 7.2.2, 7.4.9); a verify_data of the
 * wrong length is decode_error (its length is fixed by the suite: RFC
 * 8446 4.4.4, RFC 5246 7.4.9; RFC 8446 6.2, RFC 5246 7.2.2; a binder's is
 * not, RFC 8446 4.2.11, so a wrong-length binder is decrypt_error).
 * Everything else that can
 * fail here is a caller bug (TD_ERR_INTERNAL: a secret used before it was
 * derived or after it was wiped, a wrong-length input the codecs would
 * have refused) or the adapter's TD_ERR_CRYPTO.
 */
#ifndef TD_KEYS_H
#define TD_KEYS_H

#include "td_bytes.h"
#include "td_crypto.h"
#include "td_err.h"

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Cipher suites (RFC 8446 B.4; RFC 5288 3, RFC 5289 3.2, RFC 7905 2)
 * ------------------------------------------------------------------------ */

/* What the key schedule and record protection need from a suite. The
 * lengths are the RFC 5246 6.1 SecurityParameters names; for TLS 1.3
 * fixed_iv_length is iv_length (RFC 8446 7.3, 5.3: 12). */
typedef struct td_ks_suite {
    uint16_t cipher_suite;
    uint16_t version;        /* 0x0304: a TLS 1.3 suite; 0x0303: TLS 1.2 */
    td_hash_alg hash;        /* TLS 1.3 HKDF hash; TLS 1.2 PRF hash */
    td_aead_alg aead;
    size_t key_length;       /* enc_key_length */
    size_t fixed_iv_length;  /* 4 for AES-GCM in 1.2, else 12 */
    size_t record_iv_length; /* explicit nonce: 8 for AES-GCM in 1.2 */
} td_ks_suite;

/* The entry for cipher_suite; TD_ERR_NOT_FOUND for a suite the table does
 * not hold (*out unchanged). */
TD_MUST_USE td_err td_ks_suite_find(uint16_t cipher_suite, td_ks_suite *out);

/* The whole table, for tests and listings: entry i, or NULL past the end. */
const td_ks_suite *td_ks_suite_at(size_t i);

/* ------------------------------------------------------------------------
 * TLS 1.3 (RFC 8446 7.1)
 * ------------------------------------------------------------------------ */

/* HkdfLabel.label is "tls13 " + Label, <7..255>; context <0..255>. */
#define TD_KS13_LABEL_PREFIX "tls13 "
#define TD_KS13_MAX_LABEL 249u
#define TD_KS13_MAX_CONTEXT 255u

/* HKDF-Expand-Label(Secret, Label, Context, Length) =
 *     HKDF-Expand(Secret, HkdfLabel, Length)   (RFC 8446 7.1)
 * label is the Label without "tls13 " (e.g. "key"). TD_ERR_INTERNAL for a
 * label or context outside the HkdfLabel bounds or a length over 2^16-1. */
TD_MUST_USE td_err td_ks13_expand_label(td_hash_alg alg, td_span secret,
                                        const char *label, td_span context,
                                        uint8_t *out, size_t length);

/* Derive-Secret(Secret, Label, Messages) =
 *     HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages),
 *                       Hash.length)                 (RFC 8446 7.1)
 * transcript_hash is Transcript-Hash(Messages), Hash.length bytes; out
 * receives Hash.length bytes. */
TD_MUST_USE td_err td_ks13_derive_secret(td_hash_alg alg, td_span secret,
                                         const char *label,
                                         td_span transcript_hash,
                                         uint8_t *out);

/* The secrets of the 7.1 diagram a schedule holds. */
typedef enum td_ks13_secret {
    TD_KS13_EARLY_SECRET = 0,
    TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET,
    TD_KS13_EARLY_EXPORTER_MASTER_SECRET,
    TD_KS13_HANDSHAKE_SECRET,
    TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET,
    TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET,
    TD_KS13_MASTER_SECRET,
    TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET, /* _N, the current one */
    TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET,
    TD_KS13_EXPORTER_MASTER_SECRET,
    TD_KS13_RESUMPTION_MASTER_SECRET,
    TD_KS13_N_SECRETS
} td_ks13_secret;

/* One connection's TLS 1.3 schedule. `held` has bit (1u << secret) set for
 * each secret currently derived and not yet wiped; a wiped secret's bytes
 * are zero. Stages end, and their secrets are wiped, as follows:
 *   early_secret       by td_ks13_handshake_secret (its last use, "derived")
 *   handshake_secret   by td_ks13_master_secret (likewise)
 *   master_secret      by td_ks13_resumption_master_secret (its last use)
 *   client_early_traffic_secret, early_exporter_master_secret
 *                      by td_ks13_end_of_early_data (EndOfEarlyData sent or
 *                      received, or 0-RTT rejected; RFC 8446 4.5, 4.2.10)
 *   client/server_handshake_traffic_secret
 *                      by td_ks13_handshake_end (after the client Finished;
 *                      the last use is that Finished, RFC 8446 4.4.4)
 *   client/server_application_traffic_secret_N
 *                      replaced by td_ks13_key_update (RFC 8446 7.2)
 *   everything         by td_ks13_wipe */
typedef struct td_ks13 {
    td_hash_alg hash;
    size_t hash_len; /* Hash.length */
    uint32_t held;
    uint8_t early_secret[TD_HASH_MAX_LEN];
    uint8_t client_early_traffic_secret[TD_HASH_MAX_LEN];
    uint8_t early_exporter_master_secret[TD_HASH_MAX_LEN];
    uint8_t handshake_secret[TD_HASH_MAX_LEN];
    uint8_t client_handshake_traffic_secret[TD_HASH_MAX_LEN];
    uint8_t server_handshake_traffic_secret[TD_HASH_MAX_LEN];
    uint8_t master_secret[TD_HASH_MAX_LEN];
    uint8_t client_application_traffic_secret[TD_HASH_MAX_LEN];
    uint8_t server_application_traffic_secret[TD_HASH_MAX_LEN];
    uint8_t exporter_master_secret[TD_HASH_MAX_LEN];
    uint8_t resumption_master_secret[TD_HASH_MAX_LEN];
} td_ks13;

/* The PSK kinds of the binder_key label (RFC 8446 7.1). */
typedef enum td_ks13_psk_kind {
    TD_KS13_PSK_EXTERNAL = 0, /* "ext binder" */
    TD_KS13_PSK_RESUMPTION,   /* "res binder" */
} td_ks13_psk_kind;

typedef enum td_ks13_side {
    TD_KS13_CLIENT = 0,
    TD_KS13_SERVER,
} td_ks13_side;

/* An empty schedule for this hash (SHA-256 or SHA-384, RFC 8446 B.4);
 * TD_ERR_INTERNAL for another. */
TD_MUST_USE td_err td_ks13_init(td_ks13 *ks, td_hash_alg hash);

/* Secret `which` as a span of Hash.length bytes; empty when not held. */
td_span td_ks13_get(const td_ks13 *ks, td_ks13_secret which);

/* Early Secret = HKDF-Extract(0, PSK); an empty psk means no PSK and the
 * IKM is Hash.length zeros (RFC 8446 7.1). Only on an empty schedule. */
TD_MUST_USE td_err td_ks13_early_secret(td_ks13 *ks, td_span psk);

/* binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder",
 * ""); out receives Hash.length bytes; the caller wipes them. */
TD_MUST_USE td_err td_ks13_binder_key(const td_ks13 *ks,
                                      td_ks13_psk_kind kind, uint8_t *out);

/* client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic",
 * ClientHello); early_exporter_master_secret likewise with
 * "e exp master". ch_hash = Transcript-Hash(ClientHello). */
TD_MUST_USE td_err td_ks13_client_early_traffic_secret(td_ks13 *ks,
                                                       td_span ch_hash);
TD_MUST_USE td_err td_ks13_early_exporter_master_secret(td_ks13 *ks,
                                                        td_span ch_hash);

/* Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived",
 * ""), (EC)DHE); an empty ecdhe (psk_ke) is Hash.length zeros. Wipes the
 * early secret. */
TD_MUST_USE td_err td_ks13_handshake_secret(td_ks13 *ks, td_span ecdhe);

/* client/server_handshake_traffic_secret = Derive-Secret(Handshake Secret,
 * "c hs traffic" | "s hs traffic", ClientHello...ServerHello). */
TD_MUST_USE td_err td_ks13_client_handshake_traffic_secret(td_ks13 *ks,
                                                           td_span hash);
TD_MUST_USE td_err td_ks13_server_handshake_traffic_secret(td_ks13 *ks,
                                                           td_span hash);

/* Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived",
 * ""), 0). Wipes the handshake secret. */
TD_MUST_USE td_err td_ks13_master_secret(td_ks13 *ks);

/* client/server_application_traffic_secret_0, exporter_master_secret =
 * Derive-Secret(Master Secret, "c ap traffic" | "s ap traffic" |
 * "exp master", ClientHello...server Finished). */
TD_MUST_USE td_err td_ks13_client_application_traffic_secret_0(td_ks13 *ks,
                                                               td_span hash);
TD_MUST_USE td_err td_ks13_server_application_traffic_secret_0(td_ks13 *ks,
                                                               td_span hash);
TD_MUST_USE td_err td_ks13_exporter_master_secret(td_ks13 *ks, td_span hash);

/* resumption_master_secret = Derive-Secret(Master Secret, "res master",
 * ClientHello...client Finished). The master secret's last use: wipes it. */
TD_MUST_USE td_err td_ks13_resumption_master_secret(td_ks13 *ks,
                                                    td_span hash);

/* Stage ends (see td_ks13). */
void td_ks13_end_of_early_data(td_ks13 *ks);
void td_ks13_handshake_end(td_ks13 *ks);
void td_ks13_wipe(td_ks13 *ks);

/* The PSK of a ticket (RFC 8446 4.6.1):
 *     HKDF-Expand-Label(resumption_master_secret, "resumption",
 *                       ticket_nonce, Hash.length)
 * out receives Hash.length bytes. */
TD_MUST_USE td_err td_ks13_ticket_psk(const td_ks13 *ks, td_span ticket_nonce,
                                      uint8_t *out);

/* application_traffic_secret_N+1 = HKDF-Expand-Label(
 *     application_traffic_secret_N, "traffic upd", "", Hash.length)
 * (RFC 8446 7.2). The stateless form; out may equal secret.p. */
TD_MUST_USE td_err td_ks13_next_traffic_secret(td_hash_alg alg,
                                               td_span secret, uint8_t *out);
/* The same on the schedule's secret of `side`, replaced in place: secret_N
 * is gone afterwards (RFC 8446 7.2 "SHOULD delete"). */
TD_MUST_USE td_err td_ks13_key_update(td_ks13 *ks, td_ks13_side side);

/* Traffic keys (RFC 8446 7.3):
 *     [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
 *     [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
 * iv_length is 12 (RFC 8446 5.3). */
typedef struct td_traffic_keys {
    td_aead_alg aead;
    size_t key_length;
    uint8_t key[TD_AEAD_MAX_KEY_LEN];
    uint8_t iv[TD_AEAD_NONCE_LEN];
} td_traffic_keys;

TD_MUST_USE td_err td_ks13_traffic_keys(td_hash_alg alg, td_span secret,
                                        td_aead_alg aead,
                                        td_traffic_keys *out);

/* finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
 * (RFC 8446 4.4.4); out receives Hash.length bytes. */
TD_MUST_USE td_err td_ks13_finished_key(td_hash_alg alg, td_span base_key,
                                        uint8_t *out);
/* verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context,
 * Certificate*, CertificateVerify*)) (RFC 8446 4.4.4). base_key is the
 * sender's handshake traffic secret (or, after the handshake, its
 * application traffic secret); out receives Hash.length bytes. */
TD_MUST_USE td_err td_ks13_verify_data(td_hash_alg alg, td_span base_key,
                                       td_span transcript_hash, uint8_t *out);
/* The received verify_data checked in constant time.
 *   decode_error   its length is not Hash.length (RFC 8446 4.4.4, 6.2)
 *   decrypt_error  it differs (RFC 8446 4.4.4, 6.2) */
TD_MUST_USE td_err td_ks13_finished_check(td_hash_alg alg, td_span base_key,
                                          td_span transcript_hash,
                                          td_span verify_data);

/* The PSK binder (RFC 8446 4.2.11.2): computed as verify_data with BaseKey
 * = binder_key, over binder_hash = Transcript-Hash(Truncate(ClientHello1))
 * (or ClientHello1, HelloRetryRequest, Truncate(ClientHello2)); out
 * receives Hash.length bytes. */
TD_MUST_USE td_err td_ks13_binder(const td_ks13 *ks, td_ks13_psk_kind kind,
                                  td_span binder_hash, uint8_t *out);
/* A received binder checked in constant time: decrypt_error when it
 * differs or is not Hash.length long (RFC 8446 4.2.11: the server "MUST
 * validate" it; 6.2: decrypt_error covers "a PSK binder"). */
TD_MUST_USE td_err td_ks13_binder_check(const td_ks13 *ks,
                                        td_ks13_psk_kind kind,
                                        td_span binder_hash, td_span binder);

/* The synthetic handshake message that replaces ClientHello1 in the
 * transcript after a HelloRetryRequest (RFC 8446 4.4.1):
 *     message_hash (254) || 00 00 Hash.length || Hash(ClientHello1)
 * written to wr; client_hello1 is the whole Handshake (header and body). */
TD_MUST_USE td_err td_ks13_message_hash(td_hash_alg alg, td_span client_hello1,
                                        td_wr *wr);

/* ------------------------------------------------------------------------
 * TLS 1.2 (RFC 5246 8.1, 6.3, 7.4.9; RFC 7627 4)
 * ------------------------------------------------------------------------ */

#define TD_KS12_RANDOM_LEN 32u
#define TD_KS12_MASTER_SECRET_LEN 48u
#define TD_KS12_VERIFY_DATA_LEN 12u /* RFC 5246 7.4.9 verify_data_length */
#define TD_KS12_MAX_FIXED_IV 12u

/* One connection's TLS 1.2 schedule: the PRF hash and the master secret,
 * which lives as long as the session (Finished both ways, resumption);
 * td_ks12_wipe ends it. */
typedef struct td_ks12 {
    td_hash_alg prf_hash;
    int have_master_secret;
    uint8_t master_secret[TD_KS12_MASTER_SECRET_LEN];
} td_ks12;

/* The key block of an AEAD suite, partitioned (RFC 5246 6.3; the MAC keys
 * are empty: mac_key_length 0 for AEAD, RFC 5246 6.2.3.3). */
typedef struct td_ks12_keys {
    td_aead_alg aead;
    size_t enc_key_length;
    size_t fixed_iv_length;
    size_t record_iv_length;
    uint8_t client_write_key[TD_AEAD_MAX_KEY_LEN];
    uint8_t server_write_key[TD_AEAD_MAX_KEY_LEN];
    uint8_t client_write_IV[TD_KS12_MAX_FIXED_IV];
    uint8_t server_write_IV[TD_KS12_MAX_FIXED_IV];
} td_ks12_keys;

typedef enum td_ks12_sender {
    TD_KS12_CLIENT = 0, /* "client finished" */
    TD_KS12_SERVER,     /* "server finished" */
} td_ks12_sender;

/* An empty schedule with this PRF hash (td_ks_suite.hash). */
TD_MUST_USE td_err td_ks12_init(td_ks12 *ks, td_hash_alg prf_hash);

/* master_secret = PRF(pre_master_secret, "master secret",
 *                     ClientHello.random + ServerHello.random)[0..47]
 * (RFC 5246 8.1). Randoms are 32 bytes. */
TD_MUST_USE td_err td_ks12_master_secret(td_ks12 *ks,
                                         td_span pre_master_secret,
                                         td_span client_random,
                                         td_span server_random);
/* master_secret = PRF(pre_master_secret, "extended master secret",
 *                     session_hash)[0..47]   (RFC 7627 4)
 * session_hash = Hash(ClientHello ... ClientKeyExchange) with the PRF
 * hash. */
TD_MUST_USE td_err td_ks12_extended_master_secret(td_ks12 *ks,
                                                  td_span pre_master_secret,
                                                  td_span session_hash);
/* A master secret from a resumed session (48 bytes). */
TD_MUST_USE td_err td_ks12_set_master_secret(td_ks12 *ks,
                                             td_span master_secret);

/* key_block = PRF(master_secret, "key expansion",
 *                 server_random + client_random)   (RFC 5246 6.3)
 * partitioned for an AEAD suite of the table (suite->version 0x0303). */
TD_MUST_USE td_err td_ks12_key_expansion(const td_ks12 *ks,
                                         const td_ks_suite *suite,
                                         td_span client_random,
                                         td_span server_random,
                                         td_ks12_keys *out);

/* verify_data = PRF(master_secret, finished_label,
 *                   Hash(handshake_messages))[0..11]   (RFC 5246 7.4.9)
 * handshake_hash is Hash(handshake_messages) with the PRF hash. */
TD_MUST_USE td_err td_ks12_verify_data(const td_ks12 *ks,
                                       td_ks12_sender sender,
                                       td_span handshake_hash,
                                       uint8_t out[TD_KS12_VERIFY_DATA_LEN]);
/* A received verify_data checked in constant time: decode_error for a
 * length other than 12, decrypt_error when it differs (RFC 5246 7.4.9
 * "MUST verify", 7.2.2 decrypt_error). */
TD_MUST_USE td_err td_ks12_finished_check(const td_ks12 *ks,
                                          td_ks12_sender sender,
                                          td_span handshake_hash,
                                          td_span verify_data);

void td_ks12_wipe(td_ks12 *ks);

#endif
