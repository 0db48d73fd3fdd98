/*
 * td_conn: the reference TLS engine, one connection in one role.
 *
 * A connection is one flat struct with no pointers into itself: a snapshot
 * is a memcpy (DESIGN.md "Reference implementation rules"). Its only
 * pointer is to the read-only td_conn_config it was made from, which the
 * caller keeps alive and unchanged.
 *
 * Layers (harness/ref/engine/):
 *   td_conn.c        the driver: bytes in (td_conn_feed), records out
 *                    (td_conn_drain), record protection per direction,
 *                    alerts, ChangeCipherSpec, application data, the
 *                    transcript, the first failure
 *   td_hs_table.c    the handshake as data: one const transition table
 *                    for both roles and both versions, and the one
 *                    dispatcher (STYLE.md "State machine")
 *   td_hs_*.c        the handlers, one file per role and version; they do
 *                    no I/O: they read the message they are given and
 *                    queue messages with td_conn_send_handshake
 *
 * Errors follow td_err: a handler returns the alert the RFC prescribes;
 * the driver sends it (protected if keys are installed) and the
 * connection is then failed for good. The first failure is kept with the
 * file and line that raised it.
 */
#ifndef TD_CONN_H
#define TD_CONN_H

#include "td_bytes.h"
#include "td_crypto.h"
#include "td_err.h"
#include "td_keys.h"
#include "td_msg.h"
#include "td_profile.h"
#include "td_protect.h"
#include "td_record.h"
#include "td_rng.h"

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Configuration (from a profile; harness/subject builds it)
 * ------------------------------------------------------------------------ */
#define TD_CONN_MAX_CERTS 8u
#define TD_CONN_MAX_CERT_LEN 4096u
#define TD_CONN_MAX_SHARES 4u

/* DER certificates in caller-independent storage, leaf first. */
typedef struct td_cert_list {
    size_t n;
    size_t len[TD_CONN_MAX_CERTS];
    uint8_t der[TD_CONN_MAX_CERTS][TD_CONN_MAX_CERT_LEN];
} td_cert_list;

/* Values a test feeds in instead of random draws (RFC 8448 replay): when
 * the engine draws `what`, it takes the next scripted item of that kind,
 * else it draws from the connection's td_rng. */
typedef enum td_draw {
    TD_DRAW_RANDOM = 0,   /* ClientHello.random / ServerHello.random */
    TD_DRAW_SESSION_ID,   /* legacy_session_id (client: compat mode; server: 1.2) */
    TD_DRAW_KEY_SHARE,    /* an ephemeral private key, in the order drawn */
    TD_DRAW_SIGNATURE,    /* RSA-PSS salt */
    TD_DRAW_PREMASTER,    /* TLS 1.2 RSA premaster secret (46 random bytes) */
    TD_DRAW_RSA_PADDING,  /* PKCS#1 v1.5 padding bytes */
    TD_DRAW_TICKET,       /* ticket bytes, ticket_age_add, ticket_nonce */
    TD_DRAW_COOKIE,       /* server, HelloRetryRequest cookie: a scripted item
                             is the cookie itself (any length 1..512, to
                             replay a trace); unscripted, the cookie is an
                             HMAC under a key drawn here (td_hs_server13.c) */
    TD_DRAW_REQUEST_CONTEXT, /* server: a post-handshake CertificateRequest's
                                certificate_request_context (RFC 8446 4.3.2,
                                4.6.2; td_hs_server13_pha.c) */
    TD_DRAW_KINDS
} td_draw;

#define TD_DRAW_SCRIPT_MAX 16u
#define TD_DRAW_ITEM_MAX 512u
typedef struct td_draw_script {
    size_t n;
    struct {
        td_draw what;
        size_t len;
        uint8_t bytes[TD_DRAW_ITEM_MAX];
    } item[TD_DRAW_SCRIPT_MAX];
} td_draw_script;

/* TLS 1.2 sessions (RFC 5246 7.3, 7.4.1.2 resumption by session_id;
 * RFC 5077 3.3 tickets; RFC 7627 5.3 extended master secret). A session
 * must outlive the connection that made it, so the store is owned by the
 * caller and the config points to it (td_conn_config.session_cache): the
 * one pointer a connection follows besides cfg itself. Fixed size, no
 * pointers inside. Written by td_hs_client12.c / td_hs_server12.c when a
 * full handshake completes; read when a ClientHello is built or received. */
#define TD_SESSION12_TICKET_MAX 1024u
#define TD_SESSION_CACHE_MAX 8u
typedef struct td_session12 {
    int valid;
    uint16_t cipher_suite;
    int ems; /* the session used the extended master secret */
    int peer_verified; /* the peer's certificate verified in the full
                          handshake (carried into resumptions) */
    uint8_t session_id[TD_MAX_SESSION_ID_LEN];
    size_t session_id_len;
    uint8_t master_secret[TD_KS12_MASTER_SECRET_LEN];
    uint32_t ticket_lifetime_hint; /* client: the last NewSessionTicket */
    uint8_t ticket[TD_SESSION12_TICKET_MAX];
    size_t ticket_len; /* 0: none (or longer than the store keeps) */
} td_session12;

/* Server: sessions looked up by session_id. Client: the newest valid
 * entry is offered in the next ClientHello. Entries are replaced
 * oldest first. */
typedef struct td_session_cache {
    size_t next; /* the entry the next store replaces */
    td_session12 entry[TD_SESSION_CACHE_MAX];
} td_session_cache;

/* TLS 1.3 tickets (RFC 8446 4.6.1) and the PSKs they carry (4.2.11).
 * Stateful on both sides: the server keeps ticket -> PSK, the client
 * ticket + PSK, each in a caller-owned store the config points to
 * (td_conn_config.session13_cache), like td_session_cache. Written by
 * td_hs_server13_psk.c when a NewSessionTicket is sent and by
 * td_hs_client13_psk.c when one is received; read when a ClientHello
 * is built or received. */
#define TD_SESSION13_TICKET_MAX 1024u
#define TD_SESSION13_CACHE_MAX 8u
#define TD_SESSION13_ALPN_MAX 255u
typedef struct td_session13 {
    int valid;
    uint16_t cipher_suite; /* of the connection that made it: its hash is
                              the PSK's (RFC 8446 4.2.11, 4.6.1) */
    uint8_t psk[TD_HASH_MAX_LEN];
    size_t psk_len;
    uint32_t ticket_lifetime; /* seconds */
    uint32_t ticket_age_add;
    uint32_t max_early_data_size; /* 0: no 0-RTT with this ticket */
    uint64_t time_ms; /* server: issued; client: received (ms since the
                         epoch, cfg->now * 1000 when it happened) */
    int peer_verified; /* carried into resumptions */
    uint8_t alpn[TD_SESSION13_ALPN_MAX]; /* the connection's ALPN protocol
                                            (RFC 8446 4.2.10) */
    size_t alpn_len;
    char sni[128]; /* client: the server_name it was made with (4.6.1) */
    uint8_t ticket[TD_SESSION13_TICKET_MAX];
    size_t ticket_len;
} td_session13;

/* Server: tickets looked up by their bytes. Client: the newest usable
 * entry is offered. Entries are replaced oldest first. */
typedef struct td_session13_cache {
    size_t next;
    td_session13 entry[TD_SESSION13_CACHE_MAX];
} td_session13_cache;

/* Hooks for the scripted peer (harness/peer/td_peer.c), which is this
 * engine with its outgoing messages edited and its input observed. NULL
 * in every other use.
 *   on_send     before a handshake message is queued: `msg` is the
 *               canonical message (header and body). While the hook
 *               runs the message is not queued yet, so a td_conn_flush
 *               from it frames only what was queued before. *handled:
 *               TD_CONN_HOOK_CANONICAL  the message is queued as it is;
 *               TD_CONN_HOOK_QUEUE      other bytes are queued instead:
 *                 any number of handshake messages, or none, in
 *                 wire[0..*wire_len) (cap bytes);
 *               TD_CONN_HOOK_SENT       nothing is queued: the hook puts
 *                 the bytes of wire[0..*wire_len) on the wire itself
 *                 (td_conn_send_raw_record), now or later.
 *               *transcript_edited says whether the transcript takes the
 *               wire bytes (what depends on the message, such as
 *               Finished, follows the edit) or the canonical message (it
 *               is left stale). The transcript keeps the engine's order
 *               whenever the bytes go out.
 *   on_receive  every record the engine reads, before it is processed:
 *               the content type and plaintext after decryption, or the
 *               outer type and the protected fragment with undecryptable
 *               set when it cannot be decrypted; when a record header is
 *               refused, content type 0 and the raw bytes from it on.
 *   on_flush    idle 0: td_conn_flush is about to frame the queued
 *               handshake bytes, under the write state they were queued
 *               under (every key change flushes first); records the
 *               hook writes go before them. idle 1: td_conn_start or
 *               td_conn_feed is returning, the engine has written all it
 *               will until more input; records the hook writes go after
 *               all output. An error fails the connection. NULL: none. */
enum {
    TD_CONN_HOOK_CANONICAL = 0,
    TD_CONN_HOOK_QUEUE = 1,
    TD_CONN_HOOK_SENT = 2
};
typedef struct td_conn_hooks {
    td_err (*on_send)(void *ctx, uint8_t msg_type, td_span msg, uint8_t *wire, size_t cap,
                      size_t *wire_len, int *transcript_edited, int *handled);
    void (*on_receive)(void *ctx, uint8_t content_type, td_span plaintext, int undecryptable);
    td_err (*on_flush)(void *ctx, int idle);
    void *ctx;
} td_conn_hooks;

typedef struct td_conn_config {
    td_role role;
    uint16_t min_version, max_version;
    td_code_list suites;     /* preference order; n = 0: the engine's default */
    td_code_list groups;
    td_code_list key_shares; /* client, TLS 1.3: groups to send shares for */
    int key_shares_set;
    td_code_list sigalgs;
    td_cert_list chain; /* own certificate chain */
    td_key key;         /* own private key (type NONE: no certificate) */
    td_cert_list trust; /* trust anchors for the peer's certificate */
    td_client_auth client_auth;
    int tickets;
    int hrr_cookie;
    char sni[128]; /* client: server_name, and the name its certificate
                      must carry (RFC 6125) unless no_name_check */
    int no_name_check; /* client: check the chain but not the name */
    char alpn[64]; /* comma-separated */
    uint64_t now;  /* seconds since the epoch: the world's clock */
    const td_draw_script *script; /* NULL: everything from the RNG */
    td_session_cache *session_cache; /* TLS 1.2 resumption; NULL: none */
    /* Client: ExtensionType codes to offer in addition to what the
     * version range and the fields above imply (e.g. an RFC 8448 trace's
     * renegotiation_info, session_ticket, record_size_limit, padding in
     * a TLS 1.3-only ClientHello). Each is sent with fixed content at its
     * place in the client's canonical order (td_hs_client_hello.c). */
    td_code_list extra_extensions;
    /* Client offering TLS 1.3: 1 = an empty legacy_session_id, i.e. not
     * the RFC 8446 D.4 middlebox compatibility mode (no dummy CCS). */
    int no_compat_session_id;
    /* Key log, NSS SSLKEYLOGFILE format (tlsdiff serve/connect): when set,
     * called with each TLS 1.3 secret of that format as it is derived,
     * under its label (CLIENT_EARLY_TRAFFIC_SECRET,
     * CLIENT_HANDSHAKE_TRAFFIC_SECRET,
     * SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0,
     * SERVER_TRAFFIC_SECRET_0, EXPORTER_SECRET), and with the TLS 1.2
     * master secret under CLIENT_RANDOM when the handshake completes,
     * each with the connection's ClientHello.random (32 bytes). NULL:
     * none (td_hs_keylog.c). */
    void (*keylog)(void *keylog_ctx, const char *label,
                   const uint8_t *client_random, td_span secret);
    void *keylog_ctx;
    /* TLS 1.3 resumption (RFC 8446 4.6.1, 4.2.9 - 4.2.11; td_hs_*13_psk.c).
     *   session13_cache    tickets (both roles); NULL: none issued,
     *                      stored or offered
     *   ticket_lifetime    server: NewSessionTicket.ticket_lifetime in
     *                      seconds; 0: 7200 (at most 604800, 4.6.1)
     *   max_early_data     server: max_early_data_size announced in the
     *                      tickets (early_data, 4.6.1) and the most 0-RTT
     *                      it skips when it refuses (4.2.10); 0: none
     *   accept_early_data  server: accept 0-RTT (early_data in
     *                      EncryptedExtensions) when 4.2.10 allows; 0:
     *                      always refuse it
     *   early_data         client: offer 0-RTT when the ticket allows it
     *                      (td_conn_write_early sends the data)
     *   psk_modes          bit (1 << TD_PSK_KE) and/or (1 << TD_PSK_DHE_KE)
     *                      (td_ext.h): client, the modes offered; server,
     *                      the modes accepted (psk_dhe_ke preferred); 0:
     *                      client psk_dhe_ke, server both */
    td_session13_cache *session13_cache;
    const td_conn_hooks *hooks; /* the scripted peer's; NULL: none */
    uint32_t ticket_lifetime;
    uint32_t max_early_data;
    int accept_early_data;
    int early_data;
    unsigned psk_modes;
} td_conn_config;

/* ------------------------------------------------------------------------
 * States: named after what is awaited (STYLE.md)
 * ------------------------------------------------------------------------ */
typedef enum td_hs_state {
    TD_ST_START = 0, /* client: nothing sent; server: nothing received */

    /* client, both versions */
    TD_ST_CLI_WAIT_SERVER_HELLO,
    /* client, TLS 1.3 (RFC 8446 A.1) */
    TD_ST_CLI_WAIT_ENCRYPTED_EXTENSIONS,
    TD_ST_CLI_WAIT_CERTIFICATE_OR_REQUEST,
    TD_ST_CLI_WAIT_CERTIFICATE,
    TD_ST_CLI_WAIT_CERTIFICATE_VERIFY,
    TD_ST_CLI_WAIT_FINISHED,
    /* client, TLS 1.2 (RFC 5246 7.3) */
    TD_ST_CLI12_WAIT_CERTIFICATE,
    TD_ST_CLI12_WAIT_SERVER_KEY_EXCHANGE,
    TD_ST_CLI12_WAIT_REQUEST_OR_DONE,
    TD_ST_CLI12_WAIT_SERVER_HELLO_DONE,
    TD_ST_CLI12_WAIT_NEW_SESSION_TICKET,
    TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC,
    TD_ST_CLI12_WAIT_FINISHED,

    /* server, TLS 1.3 (RFC 8446 A.2) */
    TD_ST_SRV_WAIT_CLIENT_HELLO,
    TD_ST_SRV_WAIT_SECOND_CLIENT_HELLO, /* after HelloRetryRequest */
    TD_ST_SRV_WAIT_END_OF_EARLY_DATA,
    TD_ST_SRV_WAIT_CERTIFICATE,
    TD_ST_SRV_WAIT_CERTIFICATE_VERIFY,
    TD_ST_SRV_WAIT_FINISHED,
    /* server, TLS 1.2 */
    TD_ST_SRV12_WAIT_CERTIFICATE,
    TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE,
    TD_ST_SRV12_WAIT_CERTIFICATE_VERIFY,
    TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC,
    TD_ST_SRV12_WAIT_FINISHED,

    TD_ST_CONNECTED, /* handshake done: application data, post-handshake */
    TD_ST_CLOSED,    /* close_notify sent or received */
    TD_ST_FAILED,    /* a fatal alert was sent or received */
    TD_ST_COUNT
} td_hs_state;

const char *td_hs_state_name(td_hs_state st);

/* ------------------------------------------------------------------------
 * The connection
 * ------------------------------------------------------------------------ */
#define TD_CONN_TRANSCRIPT_MAX 32768u
#define TD_CONN_OUT_MAX 65536u
#define TD_CONN_IN_MAX (TD_RECORD_HEADER_LEN + TD_MAX_CIPHERTEXT12_LEN)
#define TD_CONN_APP_MAX 32768u
#define TD_CONN_PHA_CONTEXT_LEN 32u /* post-handshake CertificateRequest */

/* What was negotiated, as the subject interface reports it. */
typedef struct td_conn_params {
    uint16_t version;
    uint16_t cipher_suite;
    uint16_t group;      /* 0 for static RSA */
    uint16_t sig_scheme; /* what authenticated the server */
    int resumed;
    int peer_verified;
    int ems;             /* TLS 1.2 extended master secret */
    int client_auth;     /* a client certificate was sent / verified */
} td_conn_params;

/* The first failure of the connection. */
typedef struct td_conn_failure {
    td_err err;
    const char *file; /* string literal (__FILE__) */
    int line;
    char why[160];
} td_conn_failure;

/* TLS 1.2 handshake state shared by the handlers of one role
 * (td_hs_client12.c, td_hs_server12.c). */
typedef struct td_hs12 {
    uint16_t client_version;  /* ClientHello.client_version (RFC 5246 7.4.7.1) */
    int kx_rsa;               /* static RSA key exchange (no ServerKeyExchange) */
    int abbreviated;          /* resumed by session_id (RFC 5246 7.3) */
    int ticket_expected;      /* client: NewSessionTicket announced (RFC 5077 3.2) */
    int secure_renegotiation; /* RFC 5746 3.4, 3.6 */
    uint16_t group;           /* ECDHE NamedGroup */
    uint16_t sig_scheme;      /* server: ServerKeyExchange signature scheme */
    uint16_t cv_scheme;       /* client: CertificateVerify scheme; 0: send
                                 an empty Certificate (RFC 5246 7.4.6) */
    int peer_cert;            /* server: the client sent a certificate, so a
                                 CertificateVerify follows (RFC 5246 7.4.8) */
    uint8_t peer_point[TD_KX_MAX_PUB_LEN]; /* client: the server's ECDHE value */
    size_t peer_point_len;
    td_session12 session;     /* this connection's session */
    /* RFC 5077 tickets (td_hs_client12*.c, td_hs_server12*.c) */
    size_t ticket_slot;  /* client: 1 + the cfg->session_cache entry whose
                            ticket the ClientHello offers (3.2); 0: none */
    size_t resumed_slot; /* 1 + the cfg->session_cache entry being resumed,
                            taken out of the store until the handshake
                            completes (RFC 5077 3.2, RFC 5246 7.2.2);
                            0: none */
    int ticket_issue;    /* server: NewSessionTicket announced (3.2) */
} td_hs12;

typedef struct td_conn {
    const td_conn_config *cfg;
    td_rng rng;
    size_t script_used[TD_DRAW_KINDS]; /* scripted items consumed, per kind */
    td_hs_state state;
    td_conn_params params;
    td_conn_failure failure;
    int sent_alert, received_alert; /* 0, or 1 + AlertDescription */
    uint8_t sent_alert_level, received_alert_level;

    /* record layer */
    td_record_mode read_mode, write_mode;
    td_protect read, write;
    td_protect pending_read;  /* TLS 1.2: installed by the peer's CCS */
    uint16_t out_record_version; /* legacy_record_version of plaintext
                                    records (0x0301 for the first
                                    ClientHello, RFC 8446 5.1) */
    uint8_t in[TD_CONN_IN_MAX];   /* bytes of an incomplete record */
    size_t in_len;
    uint8_t out[TD_CONN_OUT_MAX]; /* records for the peer, not yet drained */
    size_t out_len;
    uint8_t hs_out[TD_CONN_OUT_MAX]; /* handshake bytes not yet in records */
    size_t hs_out_len;
    td_hs_reasm reasm;
    uint8_t app[TD_CONN_APP_MAX]; /* application data received */
    size_t app_len;
    int ccs_seen; /* a TLS 1.3 compatibility CCS arrived (RFC 8446 D.4) */

    /* handshake */
    uint8_t transcript[TD_CONN_TRANSCRIPT_MAX]; /* every message, in order */
    size_t transcript_len;
    /* the running hash of transcript[0..th_len) under th_alg, when
     * th_valid (td_conn_transcript_hash) */
    td_hash_ctx th;
    td_hash_alg th_alg;
    size_t th_len;
    int th_valid;
    td_ks_suite suite;
    td_ks13 ks13;
    td_ks12 ks12;
    uint8_t client_random[TD_RANDOM_LEN], server_random[TD_RANDOM_LEN];
    uint8_t session_id[TD_MAX_SESSION_ID_LEN];
    size_t session_id_len;
    uint8_t kx_priv[TD_CONN_MAX_SHARES][TD_KX_MAX_PRIV_LEN]; /* per key share */
    uint16_t kx_group[TD_CONN_MAX_SHARES];
    size_t kx_n;
    td_cert_list peer_chain;
    td_key peer_key; /* the peer's leaf public key */
    int hrr_done;
    int client_cert_requested;
    uint8_t cookie[512];
    size_t cookie_len;
    td_hs12 hs12; /* TLS 1.2 handshake (td_hs_client12.c, td_hs_server12.c) */
    /* TLS 1.3 PSK and 0-RTT (td_hs_client13_psk.c, td_hs_server13_psk.c).
     *   psk           client: the ticket offered; server: the one accepted
     *   psk_state     TD_PSK_NONE, _OFFERED (client), _ACCEPTED
     *   psk_ke_mode   the mode in use once accepted (TD_PSK_KE,
     *                 TD_PSK_DHE_KE)
     *   early_state   TD_EARLY_NONE, _OFFERED (client), _ACCEPTED,
     *                 _REJECTED
     *   early_left    0-RTT application data bytes still allowed (client:
     *                 to send, server: to receive; 4.6.1)
     *   early_skip    server refusing 0-RTT (RFC 8446 4.2.10):
     *                 TD_EARLY_SKIP_TRIAL drops records that fail to
     *                 deprotect under the handshake key, until one does;
     *                 TD_EARLY_SKIP_APP_DATA (after a HelloRetryRequest)
     *                 drops application_data records until the second
     *                 ClientHello; td_conn.c does the skipping
     *   early_skip_left  bytes the driver may still skip (the configured
     *                 max_early_data_size); past it, unexpected_message
     *   compat_ccs_sent  client: the D.4 dummy change_cipher_spec went out
     *                 (after the first ClientHello, when offering 0-RTT)
     *   alpn          the ALPN protocol negotiated (empty: none) */
    td_session13 psk;
    int psk_state;
    uint8_t psk_ke_mode;
    int early_state;
    size_t early_left;
    int early_skip;
    size_t early_skip_left;
    int compat_ccs_sent;
    unsigned psk_modes_offered; /* server: the client's
                                   psk_key_exchange_modes, as bits */
    uint8_t alpn[TD_SESSION13_ALPN_MAX];
    size_t alpn_len;
    /* TLS 1.3 post-handshake authentication, server (RFC 8446 4.6.2;
     * td_hs_server13_pha.c).
     *   pha_state    TD_PHA_NONE, or what the server awaits after its
     *                CertificateRequest (the client's Certificate,
     *                CertificateVerify, Finished: rows of CONNECTED)
     *   pha_context  the certificate_request_context it sent (4.3.2)
     *   pha_base     the transcript length at the end of the handshake
     *                (ClientHello ... client Finished, 4.4): the
     *                post-handshake messages are appended after it and
     *                cut off again when the exchange ends */
    int pha_state;
    uint8_t pha_context[TD_CONN_PHA_CONTEXT_LEN];
    size_t pha_context_len;
    size_t pha_base;
} td_conn;

enum { TD_PSK_NONE = 0, TD_PSK_OFFERED, TD_PSK_ACCEPTED };
enum {
    TD_EARLY_NONE = 0,
    TD_EARLY_OFFERED,
    TD_EARLY_ACCEPTED,
    TD_EARLY_REJECTED
};
enum { TD_EARLY_SKIP_OFF = 0, TD_EARLY_SKIP_TRIAL, TD_EARLY_SKIP_APP_DATA };
enum {
    TD_PHA_NONE = 0,
    TD_PHA_WAIT_CERTIFICATE,
    TD_PHA_WAIT_CERTIFICATE_VERIFY,
    TD_PHA_WAIT_FINISHED
};

/* Start a connection of cfg->role. The RNG is the party's stream, copied
 * in (the connection draws from its own copy from then on). */
TD_MUST_USE td_err td_conn_init(td_conn *c, const td_conn_config *cfg,
                                const td_rng *rng);

/* Client: queue the ClientHello. Server: nothing (waits). */
TD_MUST_USE td_err td_conn_start(td_conn *c);

/* Bytes from the peer. Consumes all of them (incomplete records are kept);
 * runs the handshake as far as they allow. Returns the connection's
 * failure (an alert description, already queued for the peer) or TD_OK. */
TD_MUST_USE td_err td_conn_feed(td_conn *c, td_span in);

/* Output for the peer: up to cap bytes are moved into out. */
size_t td_conn_pending(const td_conn *c);
void td_conn_drain(td_conn *c, uint8_t *out, size_t cap, size_t *len);

/* Application data (after the handshake). */
TD_MUST_USE td_err td_conn_write_app(td_conn *c, td_span data);
/* Client: 0-RTT application data (RFC 8446 4.2.10), after td_conn_start
 * and before the server's Finished, when the ClientHello offered
 * early_data (cfg->early_data and a ticket that allows it); sent under
 * client_early_traffic_secret, at most the ticket's
 * max_early_data_size in all. TD_ERR_INTERNAL otherwise. */
TD_MUST_USE td_err td_conn_write_early(td_conn *c, td_span data);
void td_conn_read_app(td_conn *c, uint8_t *out, size_t cap, size_t *len);

/* Server, TLS 1.3 (RFC 8446 4.6.2): send a post-handshake
 * CertificateRequest (a fresh certificate_request_context drawn as
 * TD_DRAW_REQUEST_CONTEXT, our signature_algorithms); the client's
 * Certificate, CertificateVerify and Finished are then taken in
 * CONNECTED (params.client_auth / peer_verified set when they verify).
 * Only when CONNECTED, TLS 1.3, the client offered post_handshake_auth
 * and no request is outstanding; TD_ERR_INTERNAL otherwise. */
TD_MUST_USE td_err td_conn_request_client_auth(td_conn *c);

/* Send close_notify. */
TD_MUST_USE td_err td_conn_close(td_conn *c);

/* For the scripted peer (td_conn_hooks): one record of `type` carrying
 * `content`, appended to the output now (queued handshake bytes are not
 * flushed first). Under `st`: NULL, the current write state; otherwise
 * that state (a copy the caller keeps, say of an earlier key epoch; its
 * sequence number advances). A state that is not installed gives an
 * unprotected record carrying the record version the engine writes
 * plaintext records with now (out_record_version). TLS 1.3: the inner
 * content type is `type`. No sending rule is checked (RFC 8446 5, 5.1,
 * 5.2, 5.4; RFC 5246 6.2.1): lengths past 2^14 up to
 * TD_RECORD_UNCHECKED_MAX, zero-length fragments, unknown types and a
 * protected change_cipher_spec go out as asked; the engine's own records
 * keep those rules. TD_ERR_NOSPACE: the output is full. */
TD_MUST_USE td_err td_conn_send_raw_record(td_conn *c, td_protect *st,
                                           uint8_t type, td_span content);

/* For the scripted peer's post-handshake messages (td_peer.h): once
 * CONNECTED, queue one handshake message (header added) through the
 * hooks like any other, keep it out of the transcript (RFC 8446 4.4.1;
 * RFC 5246 7.4.1.1 for HelloRequest) and flush it. A TLS 1.3 KeyUpdate
 * goes under the current key and then the sending key changes, whatever
 * its body says (RFC 8446 4.6.3: "After sending a KeyUpdate message, the
 * sender SHALL send all its traffic using the next generation of keys").
 * No other rule is checked: the message is the peer's to choose.
 * TD_ERR_INTERNAL when not CONNECTED. */
TD_MUST_USE td_err td_conn_send_post_handshake(td_conn *c, uint8_t msg_type,
                                               td_span body);

/* Server, TLS 1.3, CONNECTED: one more NewSessionTicket, as the one sent
 * after the client Finished (RFC 8446 4.6.1: "The server MAY send
 * multiple tickets on a single connection, either immediately after each
 * other or after specific events"); nothing when tickets are off or the
 * client offered no mode we allow (4.2.9). TD_ERR_INTERNAL otherwise. */
TD_MUST_USE td_err td_conn_send_ticket(td_conn *c);

/* ------------------------------------------------------------------------
 * For handlers (harness/ref/engine only)
 * ------------------------------------------------------------------------ */

/* Fail the connection with err (once: the first failure is kept) and, if
 * it is an alert, queue it as fatal. Returns err, so a handler can
 * `return TD_CONN_FAIL(c, e, "why")`. */
td_err td_conn_fail_at(td_conn *c, td_err err, const char *file, int line,
                       const char *why);
#define TD_CONN_FAIL(c, err, why) td_conn_fail_at((c), (err), __FILE__, __LINE__, (why))

/* n bytes of kind `what`: the next scripted item (its length must be n),
 * else the RNG. */
TD_MUST_USE td_err td_conn_draw(td_conn *c, td_draw what, uint8_t *out,
                                size_t n);

/* Queue a handshake message (header added) for the peer under the current
 * write keys, and append it to the transcript. */
TD_MUST_USE td_err td_conn_send_handshake(td_conn *c, uint8_t msg_type,
                                          td_span body);
/* Put queued handshake bytes into records under the current write keys;
 * call before the write keys change. */
TD_MUST_USE td_err td_conn_flush(td_conn *c);
/* Zero the secrets a connection holds: its key schedules, record keys,
 * ephemeral private keys, PSK, session and the in-flight transcript
 * hash; the connection is unusable afterwards. Not the buffers of
 * records and messages: wiping whole connections (hundreds of kilobytes)
 * was a cost of every fuzz input for no secret. */
void td_conn_wipe(td_conn *c);

/* A ChangeCipherSpec record (flushes first). */
TD_MUST_USE td_err td_conn_send_ccs(td_conn *c);

/* Transcript-Hash of the first `len` transcript bytes. A running hash
 * of the transcript is kept (c->th): a handshake asks for the hash at
 * every message, and hashing the whole transcript each time was the
 * engine's largest hashing cost. */
TD_MUST_USE td_err td_conn_transcript_hash(td_conn *c, td_hash_alg alg,
                                           size_t len, uint8_t *out);
/* Set the transcript's length (cut it back, or take bytes written into
 * c->transcript directly, as the HelloRetryRequest's message_hash is):
 * every change other than td_conn_transcript_add goes through here, so
 * that the running hash starts again. */
void td_conn_transcript_set_len(td_conn *c, size_t len);
/* Append raw bytes to the transcript (the dispatcher does it for received
 * messages; td_conn_send_handshake for sent ones). */
TD_MUST_USE td_err td_conn_transcript_add(td_conn *c, td_span bytes);

/* ------------------------------------------------------------------------
 * The handshake table (td_hs_table.c)
 * ------------------------------------------------------------------------ */

/* A handler: the message (header and body) just received; `before` is the
 * transcript length before it was appended (CertificateVerify and
 * Finished are checked over the transcript up to `before`). It sets
 * c->state to the next state (one of its row's `next`). */
typedef td_err (*td_hs_handler)(td_conn *c, const td_handshake *msg,
                                size_t before);

#define TD_HS_MAX_NEXT 8u
typedef struct td_hs_row {
    td_hs_state state;
    uint8_t msg_type;
    td_hs_handler handler;
    td_hs_state next[TD_HS_MAX_NEXT]; /* where the handler may go (diagram) */
    int in_transcript; /* 0 for post-handshake NewSessionTicket, KeyUpdate */
} td_hs_row;

/* The table and its size. */
const td_hs_row *td_hs_table(size_t *n);
/* The row for (state, msg_type), or NULL: unexpected_message. */
const td_hs_row *td_hs_lookup(td_hs_state state, uint8_t msg_type);
/* Run one received handshake message through the table. */
TD_MUST_USE td_err td_hs_dispatch(td_conn *c, const td_handshake *msg);
/* The table as a Graphviz digraph, into buf; *len set. */
TD_MUST_USE td_err td_hs_table_dot(char *buf, size_t cap, size_t *len);

#endif
