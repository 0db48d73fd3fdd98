/*
 * td_world: the closed, deterministic world of one test case
 * (DESIGN.md "The world of one test case").
 *
 * One seed and one fixed clock per test case. Each party (client, server,
 * scripted peer) draws from its own td_rng stream derived from the seed.
 * Library code that cannot be handed a context (wolfSSL's RNG and time
 * hooks) reads the world and party bound with td_world_bind() on the
 * calling thread; subjects bind around every call into their library.
 *
 * The world also owns the server-side session store, so resumption state
 * never lives in a library's global cache and cannot leak between test
 * cases.
 */
#ifndef TD_WORLD_H
#define TD_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "td_rng.h"

/* 2026-01-01T00:00:00Z: inside the validity window of vectors/pki. */
#define TD_CLOCK_DEFAULT INT64_C(1767225600)

typedef enum { TD_PARTY_CLIENT, TD_PARTY_SERVER, TD_PARTY_PEER, TD_PARTY_COUNT } td_party;

#define TD_SESSION_SLOTS 16
#define TD_SESSION_ID_MAX 32

typedef struct td_session_slot {
    uint8_t id[TD_SESSION_ID_MAX];
    uint8_t id_len; /* 0: slot free */
    void *data;     /* owned by the world, freed with session_free */
} td_session_slot;

typedef struct td_world {
    uint64_t seed;
    int64_t clock; /* seconds since the epoch; only advanced explicitly */
    td_rng rng[TD_PARTY_COUNT];
    td_session_slot sessions[TD_SESSION_SLOTS];
    unsigned next_slot;
    void (*session_free)(void *data);
    /* The reference servers' session cache (a td_session_cache, td_conn.h),
     * shared by every reference server of this world so a second
     * connection can resume the first; malloc'd by the first reference
     * server, freed by td_world_reset. */
    void *ref_sessions;
    /* The same for TLS 1.3 tickets (a td_session13_cache): the tickets
     * the reference servers of this world issued; freed by
     * td_world_reset. */
    void *ref_sessions13;
} td_world;

void td_world_init(td_world *w, uint64_t seed);
/* Rewind every stream to its start and drop stored sessions. */
void td_world_reset(td_world *w);
void td_world_free(td_world *w);

const char *td_party_name(td_party p);

/* Server session store: put replaces an entry with the same id (else the
 * oldest); get returns NULL when absent; remove frees the entry. */
void td_world_session_put(td_world *w, const uint8_t *id, size_t id_len, void *data);
void *td_world_session_get(td_world *w, const uint8_t *id, size_t id_len);
void td_world_session_remove(td_world *w, const uint8_t *id, size_t id_len);

/* Binding of the calling thread, for hooks that take no context. */
typedef struct td_binding {
    td_world *world;
    td_party party;
} td_binding;

td_binding td_world_bind(td_world *w, td_party p); /* returns the previous one */
void td_world_restore(td_binding previous);
td_binding td_world_bound(void);

#endif
