/*
 * td_rng: the deterministic random stream of a test case.
 *
 * A ChaCha20 keystream (RFC 8439 2.3 block function) keyed from the test
 * case's 64-bit seed and a label naming the party ("client", "server",
 * "peer"). Each party draws from its own stream, so one party consuming
 * more randomness never shifts the bytes another party sees. This is a
 * reproducibility device, not a CSPRNG for real keys.
 */
#ifndef TD_RNG_H
#define TD_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct td_rng {
    uint32_t key[8];
    uint64_t counter;   /* next ChaCha20 block */
    uint8_t block[64];  /* current keystream block */
    size_t used;        /* bytes of block already handed out */
    uint64_t drawn;     /* total bytes handed out, for reports */
} td_rng;

/* Derive the stream for (seed, label) and rewind it to its start. */
void td_rng_init(td_rng *r, uint64_t seed, const char *label);

void td_rng_bytes(td_rng *r, uint8_t *out, size_t n);
uint32_t td_rng_u32(td_rng *r);
/* Uniform in [0, n), n > 0 (rejection sampling, no modulo bias). */
uint32_t td_rng_below(td_rng *r, uint32_t n);

/* The RFC 8439 2.3 block function with an all-zero nonce and a 64-bit
 * block counter (words 12-13); exposed for the known-answer tests. */
void td_chacha20_block(const uint32_t key[8], uint64_t counter, uint8_t out[64]);

#endif
