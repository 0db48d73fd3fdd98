/*
 * wolfssl_client_finished: wolfSSL alone as a TLS 1.2 server (the wolfSSL
 * subject, td_fuzz_wolfssl.h) under tls12-ecdhe-ecdsa-aes128-gcm, a
 * profile of the client_finished target. Each run replays the canonical
 * ClientHello, lets the server answer with its whole first flight
 * (ServerHello, Certificate, ServerKeyExchange with a new ECDHE key signed
 * with ECDSA P-256, ServerHelloDone: RFC 5246 7.3, RFC 8422 5.4), then
 * feeds the input, raw bytes, as the client's second flight
 * (ClientKeyExchange, ChangeCipherSpec, Finished: RFC 5246 7.4.7, 7.1,
 * 7.4.9); after a valid one the server sends its own and reads
 * application data, as far as the input goes. The OSS-Fuzz style baseline
 * of the client_finished target (ci/bench-fuzz.sh).
 *
 * The canonical flights come from a handshake of the reference client
 * and the wolfSSL server in a world of the same seed, once per process;
 * the seed corpus holds the client's second flight from it
 * (td_wolfssl_seeds.c), which completes the handshake.
 */
#include "td_fuzz_wolfssl.h"

#include <string.h>

#define PROFILE "tls12-ecdhe-ecdsa-aes128-gcm"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static const td_wolf_canon *canon(void)
{
    static td_wolf_canon c;
    static int done;
    char why[512] = "";

    if (!done) {
        if (td_wolf_canonical(TD_IMPL_REF, td_wolf_profile(PROFILE), &c, why, sizeof why) !=
            TD_OK) {
            fprintf(stderr, "wolfssl_client_finished: the canonical handshake: %s\n", why);
            abort();
        }
        done = 1;
    }
    return &c;
}

/* The canonical handshake is made once, before the first input (under
 * libFuzzer, outside any input's coverage); the replay main makes it on
 * the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    (void)canon();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static td_wolf_flight answer;
    const td_wolf_canon *c = canon();
    td_wolf_server ws;

    td_wolf_server_start(&ws, td_wolf_profile(PROFILE));
    td_wolf_server_feed(&ws, c->client_hello.p, c->client_hello.len);
    /* the same world, so the same answer: else the input would be read
     * against another handshake than the one its Finished was made in */
    td_wolf_server_take(&ws, &answer);
    TD_FUZZ_CHECK(answer.len == c->server_flight.len &&
                  memcmp(answer.p, c->server_flight.p, answer.len) == 0);
    td_wolf_server_feed(&ws, data, size);
    td_wolf_server_stop(&ws);
    return 0;
}
