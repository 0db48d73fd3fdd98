/*
 * The memo cache (td_memo.h): TD_MEMO_SLOTS / TD_MEMO_WAYS sets of
 * TD_MEMO_WAYS entries; an entry holds its operation's inputs, each
 * preceded by its length, then the output. A lookup hashes the inputs to
 * a set and compares them byte for byte with each entry of the set.
 */
#include "td_memo.h"

#include <stdlib.h>
#include <string.h>

#define SETS (TD_MEMO_SLOTS / TD_MEMO_WAYS)

typedef struct entry {
    uint64_t hash;
    uint64_t used;    /* the tick of its last hit or store */
    size_t key_len;   /* op, then (u32 length, bytes) per input */
    size_t out_len;
    int status;
    uint8_t data[];   /* key, then output */
} entry;

static entry *table[SETS][TD_MEMO_WAYS];
static td_memo_stats stats;
static uint64_t tick;
static int enabled = -1; /* -1: not read from the environment yet */

int td_memo_enabled(void)
{
    if (enabled < 0) {
        const char *v = getenv("TD_MEMO");

        enabled = !(v && (strcmp(v, "0") == 0 || strcmp(v, "off") == 0));
    }
    return enabled;
}

void td_memo_set_enabled(int on) { enabled = on ? 1 : 0; }

/* A multiply-xorshift hash over 8-byte words; equality is checked on the
 * bytes themselves, so the hash only spreads entries over the sets. */
static uint64_t mix(uint64_t h, const uint8_t *p, size_t n)
{
    uint64_t w;

    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    w = 0;
    memcpy(&w, p, n);
    h = (h ^ w ^ ((uint64_t)n << 56)) * 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 32);
}

static uint64_t key_hash(td_memo_op op, const td_span *in, size_t n, size_t *key_len)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)op;
    size_t i, len = 1;

    for (i = 0; i < n; i++) {
        h = mix(h, (const uint8_t *)&in[i].len, sizeof in[i].len);
        if (in[i].len)
            h = mix(h, in[i].p, in[i].len);
        len += 4 + in[i].len;
    }
    *key_len = len;
    return h;
}

static int key_equal(const entry *e, td_memo_op op, const td_span *in, size_t n)
{
    const uint8_t *k = e->data;
    size_t i;

    if (k[0] != (uint8_t)op)
        return 0;
    k++;
    for (i = 0; i < n; i++) {
        uint32_t len;

        memcpy(&len, k, 4);
        if (len != in[i].len || (len && memcmp(k + 4, in[i].p, len) != 0))
            return 0;
        k += 4 + len;
    }
    return 1;
}

static entry *find(td_memo_op op, const td_span *in, size_t n, uint64_t h, size_t key_len)
{
    entry **set = table[h % SETS];
    size_t w;

    for (w = 0; w < TD_MEMO_WAYS; w++)
        if (set[w] && set[w]->hash == h && set[w]->key_len == key_len &&
            key_equal(set[w], op, in, n))
            return set[w];
    return NULL;
}

int td_memo_get(td_memo_op op, const td_span *in, size_t n, uint8_t *out, size_t cap,
                size_t *out_len, int *status)
{
    size_t key_len;
    uint64_t h;
    entry *e;

    if (!td_memo_enabled() || n > TD_MEMO_MAX_PARTS)
        return 0;
    h = key_hash(op, in, n, &key_len);
    e = find(op, in, n, h, key_len);
    if (!e || e->out_len > cap) {
        stats.misses++;
        return 0;
    }
    if (e->out_len)
        memcpy(out, e->data + e->key_len, e->out_len);
    *out_len = e->out_len;
    *status = e->status;
    e->used = ++tick;
    stats.hits++;
    return 1;
}

void td_memo_put(td_memo_op op, const td_span *in, size_t n, const uint8_t *out, size_t out_len,
                 int status)
{
    size_t key_len, i, w, victim = 0;
    uint64_t h;
    entry **set, *e;
    uint8_t *k;

    if (!td_memo_enabled() || n > TD_MEMO_MAX_PARTS)
        return;
    h = key_hash(op, in, n, &key_len);
    if (key_len + out_len > TD_MEMO_MAX_ENTRY || find(op, in, n, h, key_len))
        return;
    e = malloc(sizeof *e + key_len + out_len);
    if (!e)
        return; /* a cache only: without memory, compute every time */
    e->hash = h;
    e->used = ++tick;
    e->key_len = key_len;
    e->out_len = out_len;
    e->status = status;
    k = e->data;
    *k++ = (uint8_t)op;
    for (i = 0; i < n; i++) {
        uint32_t len = (uint32_t)in[i].len;

        memcpy(k, &len, 4);
        if (len)
            memcpy(k + 4, in[i].p, len);
        k += 4 + len;
    }
    if (out_len)
        memcpy(k, out, out_len);
    set = table[h % SETS];
    for (w = 0; w < TD_MEMO_WAYS; w++) {
        if (!set[w]) {
            victim = w;
            break;
        }
        if (set[w]->used < set[victim]->used)
            victim = w;
    }
    if (set[victim]) {
        stats.evictions++;
        stats.entries--;
        stats.bytes -= set[victim]->key_len + set[victim]->out_len;
        free(set[victim]);
    }
    set[victim] = e;
    stats.stores++;
    stats.entries++;
    stats.bytes += key_len + out_len;
}

void td_memo_stats_get(td_memo_stats *s) { *s = stats; }

void td_memo_clear(void)
{
    size_t i, w;

    for (i = 0; i < SETS; i++)
        for (w = 0; w < TD_MEMO_WAYS; w++) {
            free(table[i][w]);
            table[i][w] = NULL;
        }
    memset(&stats, 0, sizeof stats);
    tick = 0;
}
