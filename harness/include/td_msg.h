/*
 * td_msg: the handshake message codecs of the reference implementation,
 * TLS 1.2 (RFC 5246 7.4, RFC 8422 5, RFC 5077 3.3) and TLS 1.3 (RFC 8446 4).
 *
 * One file per message in codec/msg/. Each decoder takes the message body
 * (the bytes after the 4-byte Handshake header, see td_record.h) and
 * fills a struct of scalars and spans into that body; each encoder writes
 * the body back. The rules are those of td_ext.h:
 *   - decoders are pure and consume every byte (td_rd_done);
 *   - a failed decode leaves *out untouched and returns the alert the
 *     receiver sends (decode_error for syntax, RFC 8446 6; the clause of
 *     any other alert is next to its check);
 *   - encode(decode(x)) == x, byte for byte;
 *   - encoders are permissive: they write the struct as given (fields
 *     derived on decode are not read), out-of-range values and lengths
 *     the decoder rejects included, so that a test can put any
 *     representable message on the wire; they fail only when a value has
 *     no wire form: TD_ERR_INTERNAL for a length longer than its prefix
 *     can express, a fixed-size field of the wrong size or a form the
 *     struct does not name (a td_kx or msg_type without a codec),
 *     TD_ERR_NOSPACE when the writer is too small, the writer unchanged;
 *   - fields carry the RFC's names; lists are spans of the list body;
 *   - extension blocks are checked with td_ext_block_decode in the right
 *     td_ext_ctx, so a decoded message has well-formed extensions.
 * Rules that need the connection (was this extension offered, is this
 * cipher suite one we sent) belong to the handshake layer, not here.
 */
#ifndef TD_MSG_H
#define TD_MSG_H

#include "td_bytes.h"
#include "td_err.h"
#include "td_ext.h"
#include "td_record.h"

#include <stddef.h>
#include <stdint.h>

/* HandshakeType values not in td_record.h (RFC 5246 7.4, RFC 8446 4). */
enum {
    TD_HS_HELLO_REQUEST = 0,
    TD_HS_SERVER_KEY_EXCHANGE = 12,
    TD_HS_SERVER_HELLO_DONE = 14,
    TD_HS_CLIENT_KEY_EXCHANGE = 16,
};

/* "client_hello", or NULL for a type tlsdiff does not know. */
const char *td_hs_name(uint8_t msg_type);

#define TD_RANDOM_LEN 32u
#define TD_MAX_SESSION_ID_LEN 32u

/* ------------------------------------------------------------------------
 * ClientHello (RFC 8446 4.1.2, RFC 5246 7.4.1.2) — td_client_hello.c
 * ------------------------------------------------------------------------ */
typedef struct td_client_hello {
    uint16_t legacy_version;
    uint8_t random[TD_RANDOM_LEN];
    td_span legacy_session_id;          /* <0..32> */
    td_span cipher_suites;              /* body of <2..2^16-2>, uint16 values */
    td_span legacy_compression_methods; /* body of <1..2^8-1> */
    int has_extensions;                 /* RFC 5246 7.4.1.2: may be absent */
    td_span extensions;                 /* block body, TD_EXT_CTX_CLIENT_HELLO */
} td_client_hello;

TD_MUST_USE td_err td_client_hello_decode(td_span body, td_client_hello *out);
TD_MUST_USE td_err td_client_hello_encode(td_wr *wr, const td_client_hello *in);

/* ------------------------------------------------------------------------
 * ServerHello and HelloRetryRequest (RFC 8446 4.1.3, 4.1.4; RFC 5246
 * 7.4.1.3) — td_server_hello.c
 * ------------------------------------------------------------------------ */

/* RFC 8446 4.1.3: the last 8 bytes of ServerHello.random a TLS 1.3 server
 * writes when it negotiates TLS 1.2 or below. */
typedef enum td_downgrade {
    TD_DOWNGRADE_NONE = 0,
    TD_DOWNGRADE_TLS12, /* 44 4F 57 4E 47 52 44 01 */
    TD_DOWNGRADE_TLS11, /* 44 4F 57 4E 47 52 44 00 */
} td_downgrade;

extern const uint8_t td_hrr_random[TD_RANDOM_LEN];     /* SHA-256("HelloRetryRequest") */
extern const uint8_t td_downgrade_tls12[8];
extern const uint8_t td_downgrade_tls11[8];

typedef struct td_server_hello {
    uint16_t legacy_version;
    uint8_t random[TD_RANDOM_LEN];
    td_span legacy_session_id_echo; /* <0..32> */
    uint16_t cipher_suite;
    uint8_t legacy_compression_method;
    int has_extensions;             /* RFC 5246 7.4.1.3: may be absent */
    td_span extensions;             /* block body */

    /* Derived on decode, ignored by encode. */
    int is_hello_retry_request;     /* random == td_hrr_random (RFC 8446 4.1.3) */
    td_downgrade downgrade;         /* sentinel in random[24..31] */
    uint16_t version;               /* supported_versions.selected_version if
                                       present, else legacy_version */
    td_ext_ctx ext_ctx;             /* the context the block was checked in */
} td_server_hello;

/* The extension context follows from the message itself: HRR by its
 * random, else SH13 when supported_versions is present, else SH12. */
TD_MUST_USE td_err td_server_hello_decode(td_span body, td_server_hello *out);
TD_MUST_USE td_err td_server_hello_encode(td_wr *wr, const td_server_hello *in);
td_downgrade td_downgrade_of(const uint8_t random[TD_RANDOM_LEN]);

/* ------------------------------------------------------------------------
 * EncryptedExtensions (RFC 8446 4.3.1) — td_encrypted_extensions.c
 * ------------------------------------------------------------------------ */
typedef struct td_encrypted_extensions {
    td_span extensions; /* block body, TD_EXT_CTX_ENCRYPTED_EXTENSIONS */
} td_encrypted_extensions;

TD_MUST_USE td_err td_encrypted_extensions_decode(td_span body,
                                                  td_encrypted_extensions *out);
TD_MUST_USE td_err td_encrypted_extensions_encode(
    td_wr *wr, const td_encrypted_extensions *in);

/* ------------------------------------------------------------------------
 * Certificate (RFC 8446 4.4.2; RFC 5246 7.4.2) — td_certificate.c
 * ------------------------------------------------------------------------ */
typedef struct td_certificate13 {
    td_span certificate_request_context; /* <0..2^8-1> */
    td_span certificate_list;            /* body of CertificateEntry <0..2^24-1> */
    size_t count;                        /* entries */
} td_certificate13;

typedef struct td_certificate_entry {
    td_span cert_data;  /* <1..2^24-1> */
    td_span extensions; /* block body, TD_EXT_CTX_CERTIFICATE */
} td_certificate_entry;

typedef struct td_certificate12 {
    td_span certificate_list; /* body of ASN.1Cert <0..2^24-1> */
    size_t count;
} td_certificate12;

TD_MUST_USE td_err td_certificate13_decode(td_span body, td_certificate13 *out);
TD_MUST_USE td_err td_certificate13_encode(td_wr *wr, const td_certificate13 *in);
/* Walk a checked certificate_list: *got = 0 at the end. */
TD_MUST_USE td_err td_certificate_entry_next(td_rd *list,
                                             td_certificate_entry *e, int *got);
TD_MUST_USE td_err td_certificate_entry_encode(td_wr *wr,
                                               const td_certificate_entry *e);

TD_MUST_USE td_err td_certificate12_decode(td_span body, td_certificate12 *out);
TD_MUST_USE td_err td_certificate12_encode(td_wr *wr, const td_certificate12 *in);
/* Walk a checked TLS 1.2 certificate_list: one ASN.1Cert per call. */
TD_MUST_USE td_err td_asn1_cert_next(td_rd *list, td_span *cert, int *got);

/* ------------------------------------------------------------------------
 * CertificateRequest (RFC 8446 4.3.2; RFC 5246 7.4.4) — td_certificate_request.c
 * ------------------------------------------------------------------------ */
typedef struct td_certificate_request13 {
    td_span certificate_request_context; /* <0..2^8-1> */
    td_span extensions; /* block body, TD_EXT_CTX_CERTIFICATE_REQUEST;
                           signature_algorithms present (RFC 8446 4.3.2) */
} td_certificate_request13;

typedef struct td_certificate_request12 {
    td_span certificate_types;              /* body of <1..2^8-1> */
    td_span supported_signature_algorithms; /* body of <2..2^16-2>, uint16 */
    td_span certificate_authorities;        /* body of DistinguishedName <0..2^16-1> */
} td_certificate_request12;

TD_MUST_USE td_err td_certificate_request13_decode(
    td_span body, td_certificate_request13 *out);
TD_MUST_USE td_err td_certificate_request13_encode(
    td_wr *wr, const td_certificate_request13 *in);
TD_MUST_USE td_err td_certificate_request12_decode(
    td_span body, td_certificate_request12 *out);
TD_MUST_USE td_err td_certificate_request12_encode(
    td_wr *wr, const td_certificate_request12 *in);

/* ------------------------------------------------------------------------
 * ServerKeyExchange, ECDHE (RFC 8422 5.4; RFC 5246 7.4.3) — td_server_key_exchange.c
 * ------------------------------------------------------------------------ */
enum { TD_EC_CURVE_TYPE_NAMED_CURVE = 3 };

typedef struct td_server_key_exchange {
    uint8_t curve_type;     /* named_curve; the others are deprecated (RFC 8422 5.4) */
    uint16_t namedcurve;
    td_span point;          /* ECPoint.point <1..2^8-1> */
    td_span params;         /* the whole ServerECDHParams: what is signed */
    int has_algorithm;      /* TLS 1.2 form (RFC 5246 4.7) */
    uint16_t algorithm;     /* SignatureAndHashAlgorithm as a SignatureScheme */
    td_span signature;      /* <0..2^16-1> */
} td_server_key_exchange;

/* with_algorithm: the TLS 1.2 digitally-signed form (1), or the TLS
 * 1.0/1.1 one without the algorithm (0). */
TD_MUST_USE td_err td_server_key_exchange_decode(td_span body,
                                                 int with_algorithm,
                                                 td_server_key_exchange *out);
TD_MUST_USE td_err td_server_key_exchange_encode(
    td_wr *wr, const td_server_key_exchange *in);

/* ------------------------------------------------------------------------
 * ServerHelloDone (RFC 5246 7.4.5), HelloRequest (RFC 5246 7.4.1.1),
 * EndOfEarlyData (RFC 8446 4.5): empty bodies — td_empty_messages.c
 * ------------------------------------------------------------------------ */
TD_MUST_USE td_err td_empty_message_decode(uint8_t msg_type, td_span body);
TD_MUST_USE td_err td_empty_message_encode(td_wr *wr, uint8_t msg_type);

/* ------------------------------------------------------------------------
 * ClientKeyExchange (RFC 5246 7.4.7; RFC 8422 5.7) — td_client_key_exchange.c
 * ------------------------------------------------------------------------ */
typedef enum td_kx {
    TD_KX_ECDHE = 0, /* ECPoint ecdh_Yc: opaque point<1..2^8-1> */
    TD_KX_RSA = 1,   /* EncryptedPreMasterSecret: opaque <0..2^16-1> (7.4.7.1) */
} td_kx;

typedef struct td_client_key_exchange {
    td_kx kx;
    td_span exchange_keys; /* the ECPoint's point, or the encrypted premaster */
} td_client_key_exchange;

TD_MUST_USE td_err td_client_key_exchange_decode(td_span body, td_kx kx,
                                                 td_client_key_exchange *out);
TD_MUST_USE td_err td_client_key_exchange_encode(
    td_wr *wr, const td_client_key_exchange *in);

/* ------------------------------------------------------------------------
 * CertificateVerify (RFC 8446 4.4.3; RFC 5246 7.4.8) — td_certificate_verify.c
 * Both versions put `SignatureScheme algorithm; opaque signature<0..2^16-1>`
 * on the wire (RFC 5246's digitally-signed, 4.7); the difference is what
 * is signed, which is the key schedule's business.
 * ------------------------------------------------------------------------ */
typedef struct td_certificate_verify {
    uint16_t algorithm;
    td_span signature;
} td_certificate_verify;

TD_MUST_USE td_err td_certificate_verify_decode(td_span body,
                                                td_certificate_verify *out);
TD_MUST_USE td_err td_certificate_verify_encode(
    td_wr *wr, const td_certificate_verify *in);

/* ------------------------------------------------------------------------
 * Finished (RFC 8446 4.4.4; RFC 5246 7.4.9) — td_finished.c
 * ------------------------------------------------------------------------ */
#define TD_MAX_VERIFY_DATA_LEN 64u
typedef struct td_finished {
    td_span verify_data;
} td_finished;

/* verify_data_len: Hash.length (1.3) or 12 (1.2); a body of another
 * length is decode_error. 0 = any length from 1 to TD_MAX_VERIFY_DATA_LEN
 * (a decoder that does not know the suite). */
TD_MUST_USE td_err td_finished_decode(td_span body, size_t verify_data_len,
                                      td_finished *out);
TD_MUST_USE td_err td_finished_encode(td_wr *wr, const td_finished *in);

/* ------------------------------------------------------------------------
 * NewSessionTicket (RFC 8446 4.6.1; RFC 5077 3.3) — td_new_session_ticket.c
 * ------------------------------------------------------------------------ */
typedef struct td_new_session_ticket13 {
    uint32_t ticket_lifetime;
    uint32_t ticket_age_add;
    td_span ticket_nonce; /* <0..255> */
    td_span ticket;       /* <1..2^16-1> */
    td_span extensions;   /* block body, TD_EXT_CTX_NEW_SESSION_TICKET */
} td_new_session_ticket13;

typedef struct td_new_session_ticket12 {
    uint32_t ticket_lifetime_hint;
    td_span ticket; /* <0..2^16-1> */
} td_new_session_ticket12;

TD_MUST_USE td_err td_new_session_ticket13_decode(
    td_span body, td_new_session_ticket13 *out);
TD_MUST_USE td_err td_new_session_ticket13_encode(
    td_wr *wr, const td_new_session_ticket13 *in);
TD_MUST_USE td_err td_new_session_ticket12_decode(
    td_span body, td_new_session_ticket12 *out);
TD_MUST_USE td_err td_new_session_ticket12_encode(
    td_wr *wr, const td_new_session_ticket12 *in);

/* ------------------------------------------------------------------------
 * KeyUpdate (RFC 8446 4.6.3) — td_key_update.c
 * ------------------------------------------------------------------------ */
enum { TD_KEY_UPDATE_NOT_REQUESTED = 0, TD_KEY_UPDATE_REQUESTED = 1 };
typedef struct td_key_update {
    uint8_t request_update;
} td_key_update;

TD_MUST_USE td_err td_key_update_decode(td_span body, td_key_update *out);
TD_MUST_USE td_err td_key_update_encode(td_wr *wr, const td_key_update *in);

/* ------------------------------------------------------------------------
 * message_hash (RFC 8446 4.4.1): the synthetic message that replaces
 * ClientHello1 in the transcript after a HelloRetryRequest; its body is
 * Hash(ClientHello1) — td_message_hash.c
 * ------------------------------------------------------------------------ */
typedef struct td_message_hash {
    td_span hash;
} td_message_hash;

/* hash_len: 32 or 48; 0 = either. */
TD_MUST_USE td_err td_message_hash_decode(td_span body, size_t hash_len,
                                          td_message_hash *out);
TD_MUST_USE td_err td_message_hash_encode(td_wr *wr, const td_message_hash *in);

/* ------------------------------------------------------------------------
 * Any message, by type (codec/td_msg.c)
 * ------------------------------------------------------------------------ */

/* What a body alone does not say: the version whose form applies, the key
 * exchange, and the Finished length. */
typedef struct td_msg_ctx {
    uint16_t version;       /* 0x0304: TLS 1.3 forms; 0x0303: TLS 1.2;
                               below: the pre-1.2 ServerKeyExchange */
    td_kx kx;               /* ServerKeyExchange / ClientKeyExchange */
    size_t verify_data_len; /* Finished; 0 = any (see td_finished_decode) */
    size_t hash_len;        /* message_hash; 0 = 32 or 48 */
} td_msg_ctx;

typedef struct td_msg {
    uint8_t msg_type;
    uint16_t version; /* the form decoded (ctx.version) */
    union {
        td_client_hello client_hello;
        td_server_hello server_hello;
        td_encrypted_extensions encrypted_extensions;
        td_certificate13 certificate13;
        td_certificate12 certificate12;
        td_certificate_request13 certificate_request13;
        td_certificate_request12 certificate_request12;
        td_server_key_exchange server_key_exchange;
        td_client_key_exchange client_key_exchange;
        td_certificate_verify certificate_verify;
        td_finished finished;
        td_new_session_ticket13 new_session_ticket13;
        td_new_session_ticket12 new_session_ticket12;
        td_key_update key_update;
        td_message_hash message_hash;
    } u;
} td_msg;

/* Decode a body of msg_type. An unknown msg_type is unexpected_message
 * (RFC 8446 4, RFC 5246 7.4). */
TD_MUST_USE td_err td_msg_decode(uint8_t msg_type, td_span body,
                                 const td_msg_ctx *ctx, td_msg *out);
/* Encode the body of m (not the Handshake header). */
TD_MUST_USE td_err td_msg_encode(td_wr *wr, const td_msg *m);

#endif
