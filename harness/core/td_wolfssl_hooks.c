/*
 * The determinism hooks wolfSSL is compiled against
 * (cmake/wolfssl/user_settings.h): its RNG block generator and its clock.
 * Both read the world bound on the calling thread (td_world_bind).
 *
 * A draw of randomness with no world bound is a harness bug (a library call
 * made outside a subject's binding): it aborts rather than fall back to a
 * source that would make a run irreproducible.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "td_world.h"

int td_wolfssl_rand_block(unsigned char *out, unsigned int sz);
time_t td_wolfssl_time(time_t *timer);
/* wolfSSL's tick functions under USER_TICKS (src/internal.c, src/tls13.c);
 * TimeNowInMilliseconds is the 64-bit variant (no WOLFSSL_32BIT_MILLI_TIME). */
uint32_t LowResTimer(void);
int64_t TimeNowInMilliseconds(void);

int td_wolfssl_rand_block(unsigned char *out, unsigned int sz)
{
    td_binding b = td_world_bound();

    if (!b.world) {
        fprintf(stderr, "tlsdiff: wolfSSL drew randomness with no test-case world bound\n");
        abort();
    }
    td_rng_bytes(&b.world->rng[b.party], out, sz);
    return 0;
}

static int64_t world_clock(void)
{
    td_binding b = td_world_bound();
    return b.world ? b.world->clock : TD_CLOCK_DEFAULT;
}

time_t td_wolfssl_time(time_t *timer)
{
    time_t now = (time_t)world_clock();

    if (timer)
        *timer = now;
    return now;
}

uint32_t LowResTimer(void) { return (uint32_t)world_clock(); }

int64_t TimeNowInMilliseconds(void) { return world_clock() * 1000; }
