/*
 * td_memo_draw: the randomness an operation draws, as memo input and
 * output (td_memo.h: "whoever memoises an operation that draws
 * randomness must make the randomness part of the input and the state of
 * the stream after the draw part of the output").
 *
 * wolfSSL draws from the td_rng stream of the party bound on the calling
 * thread (td_wolfssl_hooks.c: CUSTOM_RAND_GENERATE_BLOCK ignores the
 * WC_RNG object it is handed), so that stream's whole state before the
 * call is all the randomness there is to key on. A stored output ends
 * with the stream's state after the call; a hit puts the stream there, so
 * the world's later draws are those the computation would have left.
 *
 * Users: td_wolfssl_pk.c (the PK callbacks) and td_wolfssl_memo.c (the
 * primitives wolfSSL's TLS code calls directly).
 */
#ifndef TD_MEMO_DRAW_H
#define TD_MEMO_DRAW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "td_memo.h"
#include "td_world.h"

typedef struct td_memo_draw {
    td_rng *rng;   /* the bound party's stream; NULL when no world is bound */
    td_rng before; /* its state on entry */
} td_memo_draw;

/* Take the stream's state on entry. 0 when no world is bound: a draw
 * then aborts (td_wolfssl_rand_block), so there is nothing to key on and
 * the operation is computed without the cache. */
static inline int td_memo_draw_begin(td_memo_draw *d)
{
    td_binding b = td_world_bound();

    d->rng = b.world ? &b.world->rng[b.party] : NULL;
    if (d->rng)
        d->before = *d->rng;
    return d->rng != NULL;
}

/* The state on entry as one input part of the memo key. */
static inline td_span td_memo_draw_key(const td_memo_draw *d)
{
    td_span s;

    s.p = (const uint8_t *)&d->before;
    s.len = sizeof d->before;
    return s;
}

/* Whether the stream moved since td_memo_draw_begin. */
static inline int td_memo_draw_moved(const td_memo_draw *d)
{
    return d->rng && memcmp(d->rng, &d->before, sizeof d->before) != 0;
}

/* A stored output out[0..*len) of an operation that draws: 1 with the
 * stream's state after it in *after and *len cut to the outputs before
 * it; 0 when the entry is too short to hold one. */
static inline int td_memo_draw_split(const uint8_t *out, size_t *len, td_rng *after)
{
    if (*len < sizeof *after)
        return 0;
    *len -= sizeof *after;
    memcpy(after, out + *len, sizeof *after);
    return 1;
}

/* Append the stream's state now to out[0..len) (cap bytes of room): the
 * length to store, or 0 when it does not fit or no world is bound. */
static inline size_t td_memo_draw_append(const td_memo_draw *d, uint8_t *out, size_t len,
                                         size_t cap)
{
    if (!d->rng || len > cap || cap - len < sizeof *d->rng)
        return 0;
    memcpy(out + len, d->rng, sizeof *d->rng);
    return len + sizeof *d->rng;
}

/* A hit: the stream as the operation left it. */
static inline void td_memo_draw_commit(const td_memo_draw *d, const td_rng *after)
{
    *d->rng = *after;
}

#endif
