/*
 * The reference engine (td_conn.h) over one TCP socket, for `tlsdiff
 * serve` and `tlsdiff connect`: blocking sockets driven with poll(), a
 * timeout on every wait, the engine's output written out after every
 * step. Also what both commands share: the options both take, the engine
 * configuration from a profile, the random seed, and what they print (the
 * one-line handshake summary, the SSLKEYLOGFILE lines).
 */
#ifndef TD_TCP_H
#define TD_TCP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "td_conn.h"
#include "td_profile.h"
#include "td_rng.h"

/* The outcome of a step. */
typedef enum td_tcp_status {
    TD_TCP_OK = 0,
    TD_TCP_TLS,     /* the TLS connection failed: a fatal alert either way */
    TD_TCP_CLOSED,  /* the peer sent close_notify */
    TD_TCP_EOF,     /* the peer closed the socket without close_notify */
    TD_TCP_IO,      /* a socket error or a timeout (td_tcp.io_error says) */
    TD_TCP_STOPPED, /* a stop was requested while waiting */
} td_tcp_status;

/* One TLS connection on one socket. td_conn is large (its buffers are
 * fixed arrays): keep a td_tcp in static storage or on the heap. */
typedef struct td_tcp {
    int fd;
    int timeout_ms; /* for each wait */
    int stop_fd;    /* readable once a stop is requested (the read end of a
                       pipe a signal handler writes to); -1: none */
    td_conn conn;
    char io_error[160];
} td_tcp;

/* Bind fd to t (the engine is set up separately with td_conn_init). */
void td_tcp_attach(td_tcp *t, int fd, int timeout_ms, int stop_fd);

/* Write the engine's pending output to the socket. */
td_tcp_status td_tcp_flush(td_tcp *t);

/* Wait for bytes from the peer (at most timeout_ms), feed them to the
 * engine and write its answer. OK when the engine took them and the
 * connection is still open. */
td_tcp_status td_tcp_pump(td_tcp *t);

/* Start the engine (client: the ClientHello) and run the handshake until
 * the connection is established (OK) or fails. */
td_tcp_status td_tcp_handshake(td_tcp *t);

/* Send close_notify unless one was sent or the connection failed, shut
 * the write side and wait (briefly) for the peer to close: a clean TCP
 * close, so our last records are not lost to a reset. Closes the fd. */
void td_tcp_close(td_tcp *t);

/* The one-line summary of the handshake:
 *   version=TLSv1.3 suite=TLS_AES_128_GCM_SHA256 group=x25519
 *   sig=rsa_pss_rsae_sha256 resumed=no client_auth=no alert=none
 * (one line; `-` for what was not negotiated, group=none for static RSA;
 * alert=sent:NAME or received:NAME for a fatal alert). */
void td_tcp_summary(const td_conn *c, char *out, size_t cap);

/* The connection's fatal alert: "sent:NAME", "received:NAME" or "none". */
void td_tcp_alert(const td_conn *c, char *out, size_t cap);

/* One line on stderr naming the engine's first failure, if any. */
void td_tcp_report_failure(const char *who, const td_conn *c);

/* The key log: td_conn_config.keylog (ctx is the FILE *), one line
 * "LABEL client_random secret" in hex, flushed. */
void td_tcp_keylog(void *ctx, const char *label, const uint8_t *client_random, td_span secret);
/* The file named by $SSLKEYLOGFILE opened for appending and made cfg's key
 * log (td_tcp_keylog); the file, to close after the last connection, or
 * NULL when the variable is unset or empty (and on error, after a line on
 * stderr beginning with `who`). */
FILE *td_tcp_keylog_attach(const char *who, td_conn_config *cfg);

/* The options both commands take. */
typedef struct td_tcp_opts {
    const char *profile; /* --profile NAME */
    uint64_t timeout;    /* --timeout SECONDS (1..3600), per wait */
    uint64_t seed;       /* --seed N */
    int seed_set;
} td_tcp_opts;

/* 1 when option `a` is one of td_tcp_opts, its value v stored (*bad set
 * when v is out of range); 0 when `a` is not one of them. */
int td_tcp_common_option(td_tcp_opts *o, const char *a, const char *v, int *bad);

/* The side `role` of profile `name` as cfg, with the wall clock as the
 * world's clock (the peer is real): 0, or -1 after a line on stderr
 * beginning with `who`. */
int td_tcp_config(const char *who, const char *name, td_role role, td_conn_config *cfg);

/* The party's random stream (the reference draws every random value from
 * a seeded td_rng): o->seed when --seed was given, else a fresh seed from
 * the system's random source. */
void td_tcp_rng_init(td_rng *rng, const td_tcp_opts *o, const char *party);

/* A decimal number in [0, max]: 0 on success, -1 otherwise. */
int td_tcp_parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif
