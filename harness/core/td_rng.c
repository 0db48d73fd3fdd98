#include "td_rng.h"

#include <string.h>

#define ROTL32(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define QR(a, b, c, d)                                                         \
    do {                                                                       \
        a += b; d ^= a; d = ROTL32(d, 16);                                     \
        c += d; b ^= c; b = ROTL32(b, 12);                                     \
        a += b; d ^= a; d = ROTL32(d, 8);                                      \
        c += d; b ^= c; b = ROTL32(b, 7);                                      \
    } while (0)

/* RFC 8439 2.3: the ChaCha20 block function, nonce fixed at zero and a
 * 64-bit block counter in words 12..13. */
void td_chacha20_block(const uint32_t key[8], uint64_t counter, uint8_t out[64])
{
    uint32_t in[16], x[16];
    int i;

    in[0] = 0x61707865;
    in[1] = 0x3320646e;
    in[2] = 0x79622d32;
    in[3] = 0x6b206574;
    memcpy(&in[4], key, 32);
    in[12] = (uint32_t)counter;
    in[13] = (uint32_t)(counter >> 32);
    in[14] = 0;
    in[15] = 0;
    memcpy(x, in, sizeof x);
    for (i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (i = 0; i < 16; i++) {
        uint32_t v = x[i] + in[i];
        out[4 * i + 0] = (uint8_t)v;
        out[4 * i + 1] = (uint8_t)(v >> 8);
        out[4 * i + 2] = (uint8_t)(v >> 16);
        out[4 * i + 3] = (uint8_t)(v >> 24);
    }
}

/* splitmix64: spreads the seed and label hash over the 256-bit key. */
static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void td_rng_init(td_rng *r, uint64_t seed, const char *label)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a of the label */
    uint64_t s;
    int i;

    for (; label && *label; label++)
        h = (h ^ (uint8_t)*label) * 0x100000001b3ULL;
    s = seed ^ h;
    for (i = 0; i < 4; i++) {
        uint64_t w = splitmix64(&s);
        r->key[2 * i] = (uint32_t)w;
        r->key[2 * i + 1] = (uint32_t)(w >> 32);
    }
    r->counter = 0;
    r->used = sizeof r->block;
    r->drawn = 0;
}

void td_rng_bytes(td_rng *r, uint8_t *out, size_t n)
{
    while (n > 0) {
        size_t take;

        if (r->used == sizeof r->block) {
            td_chacha20_block(r->key, r->counter++, r->block);
            r->used = 0;
        }
        take = sizeof r->block - r->used;
        if (take > n)
            take = n;
        memcpy(out, r->block + r->used, take);
        r->used += take;
        r->drawn += take;
        out += take;
        n -= take;
    }
}

uint32_t td_rng_u32(td_rng *r)
{
    uint8_t b[4];

    td_rng_bytes(r, b, sizeof b);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

uint32_t td_rng_below(td_rng *r, uint32_t n)
{
    uint32_t limit = (uint32_t)(0x100000000ULL - (0x100000000ULL % n));
    uint32_t v;

    do
        v = td_rng_u32(r);
    while (limit != 0 && v >= limit);
    return v % n;
}
