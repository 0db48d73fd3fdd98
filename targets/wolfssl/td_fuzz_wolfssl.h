/*
 * Glue of the wolfSSL-only targets (targets/wolfssl/): wolfSSL alone, in
 * the style of the OSS-Fuzz wolfSSL server fuzzers (raw bytes in, no
 * reference, no judgement), the baseline that ci/bench-fuzz.sh reads the
 * differential targets' throughput against.
 *
 * The server is the wolfSSL subject (harness/subject/td_subject_wolfssl.c)
 * configured from a profile, so its configuration is the one the
 * differential targets give it, in a world of seed TD_WOLF_SEED, the seed
 * of td_target_run: wolfSSL's RNG and clock come from the world, and
 * there is no fixed-point ECC cache (cmake/wolfssl/user_settings.h). Each
 * input gets a new world and a new WOLFSSL, as each input of a
 * differential target does, on the WOLFSSL_CTX the subject keeps per
 * configuration (made once, as an OSS-Fuzz harness makes its context at
 * initialisation; no connection state lives in it). Unlike the
 * differential targets, the memo cache and wolfSSL's PK callbacks are
 * off (td_fuzz_wolfssl.c): the server's key share and signature are
 * computed by wolfSSL's own code on every run.
 *
 * A failure of the harness itself (a profile that does not load, a
 * subject that cannot be created, a replayed prefix the server answers
 * differently) aborts with TD_FUZZ_CHECK.
 */
#ifndef TD_FUZZ_WOLFSSL_H
#define TD_FUZZ_WOLFSSL_H

#include "td_fuzz.h"
#include "td_subject.h"

/* td_target_run's seed (harness/peer/td_target.c) */
#define TD_WOLF_SEED 1
/* a flight of either side in these profiles: a few KiB, the server's
 * certificate chain included */
#define TD_WOLF_FLIGHT_MAX 16384

typedef struct td_wolf_flight {
    uint8_t p[TD_WOLF_FLIGHT_MAX];
    size_t len;
} td_wolf_flight;

/* One handshake, flight by flight (records as they cross the wire). */
typedef struct td_wolf_canon {
    td_wolf_flight client_hello;  /* the client's first flight */
    td_wolf_flight server_flight; /* the server's answer to it */
    td_wolf_flight client_second; /* TLS 1.2: ClientKeyExchange,
                                     ChangeCipherSpec, Finished (RFC 5246
                                     7.3); TLS 1.3: Finished */
    td_wolf_flight server_second; /* the server's last flight */
    td_wolf_flight client_app;    /* then one application data record
                                     from the client (TD_WOLF_APP_DATA) */
} td_wolf_canon;

#define TD_WOLF_APP_DATA "GET / HTTP/1.0\r\n\r\n"

/* vectors/profiles/<name>.profile, loaded on the first call and kept;
 * aborts when it does not load. One profile per process. */
const td_profile *td_wolf_profile(const char *name);

/* A wolfSSL server in a world of its own. */
typedef struct td_wolf_server {
    td_world world;
    td_subject *s;
} td_wolf_server;

void td_wolf_server_start(td_wolf_server *ws, const td_profile *p);
/* The client's bytes: the server runs until it wants more input. */
void td_wolf_server_feed(td_wolf_server *ws, const uint8_t *data, size_t len);
/* What the server has sent since the last call. */
void td_wolf_server_take(td_wolf_server *ws, td_wolf_flight *out);
void td_wolf_server_stop(td_wolf_server *ws);

/* The full handshake of a `client` subject and the wolfSSL server under
 * profile p, in a world of seed TD_WOLF_SEED, then one application data
 * record from the client: the server's first flight in it is the one a
 * td_wolf_server of the same profile answers client_hello with. TD_OK
 * when both sides completed the handshake; else why says what stopped
 * it. */
TD_MUST_USE td_err td_wolf_canonical(td_impl client, const td_profile *p, td_wolf_canon *c,
                                     char *why, size_t cap);

#endif
