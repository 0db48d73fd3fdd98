#include "td_world.h"

#include <stdlib.h>
#include <string.h>

static const char *const party_names[TD_PARTY_COUNT] = {"client", "server", "peer"};

static _Thread_local td_binding current;

const char *td_party_name(td_party p)
{
    return (unsigned)p < TD_PARTY_COUNT ? party_names[p] : "?";
}

static void streams_init(td_world *w)
{
    int p;

    for (p = 0; p < TD_PARTY_COUNT; p++)
        td_rng_init(&w->rng[p], w->seed, party_names[p]);
}

static void slot_clear(td_world *w, td_session_slot *s)
{
    if (s->id_len && s->data && w->session_free)
        w->session_free(s->data);
    memset(s, 0, sizeof *s);
}

void td_world_init(td_world *w, uint64_t seed)
{
    memset(w, 0, sizeof *w);
    w->seed = seed;
    w->clock = TD_CLOCK_DEFAULT;
    streams_init(w);
}

void td_world_reset(td_world *w)
{
    size_t i;

    streams_init(w);
    for (i = 0; i < TD_SESSION_SLOTS; i++)
        slot_clear(w, &w->sessions[i]);
    w->next_slot = 0;
    free(w->ref_sessions);
    w->ref_sessions = NULL;
    free(w->ref_sessions13);
    w->ref_sessions13 = NULL;
}

void td_world_free(td_world *w)
{
    td_world_reset(w);
    if (current.world == w)
        current.world = NULL;
}

static td_session_slot *slot_find(td_world *w, const uint8_t *id, size_t id_len)
{
    size_t i;

    if (id_len == 0 || id_len > TD_SESSION_ID_MAX)
        return NULL;
    for (i = 0; i < TD_SESSION_SLOTS; i++) {
        td_session_slot *s = &w->sessions[i];
        if (s->id_len == id_len && memcmp(s->id, id, id_len) == 0)
            return s;
    }
    return NULL;
}

void td_world_session_put(td_world *w, const uint8_t *id, size_t id_len, void *data)
{
    td_session_slot *s;

    if (id_len == 0 || id_len > TD_SESSION_ID_MAX) {
        if (data && w->session_free)
            w->session_free(data);
        return;
    }
    s = slot_find(w, id, id_len);
    if (!s) {
        s = &w->sessions[w->next_slot];
        w->next_slot = (w->next_slot + 1) % TD_SESSION_SLOTS;
    }
    slot_clear(w, s);
    memcpy(s->id, id, id_len);
    s->id_len = (uint8_t)id_len;
    s->data = data;
}

void *td_world_session_get(td_world *w, const uint8_t *id, size_t id_len)
{
    td_session_slot *s = slot_find(w, id, id_len);
    return s ? s->data : NULL;
}

void td_world_session_remove(td_world *w, const uint8_t *id, size_t id_len)
{
    td_session_slot *s = slot_find(w, id, id_len);
    if (s)
        slot_clear(w, s);
}

td_binding td_world_bind(td_world *w, td_party p)
{
    td_binding prev = current;
    current.world = w;
    current.party = p;
    return prev;
}

void td_world_restore(td_binding previous) { current = previous; }

td_binding td_world_bound(void) { return current; }
