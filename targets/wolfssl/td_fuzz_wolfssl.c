/*
 * The wolfSSL-only targets' glue (td_fuzz_wolfssl.h).
 */
#define _POSIX_C_SOURCE 200809L /* setenv */

#include "td_fuzz_wolfssl.h"
#include "td_memo.h"

#include <stdlib.h>
#include <string.h>

const td_profile *td_wolf_profile(const char *name)
{
    static td_profile p;
    static int loaded;
    char why[512] = "";

    if (!loaded) {
        /* The baselines are wolfSSL as OSS-Fuzz runs it: every public-key
         * operation computed on every run by wolfSSL's own code, so no
         * memo cache (td_memo.h) and no PK callbacks (td_wolfssl_pk.c,
         * which reads TD_WOLFSSL_PK when a context is made). */
        td_memo_set_enabled(0);
        setenv("TD_WOLFSSL_PK", "0", 1);
        if (td_profile_load(&p, name, why, sizeof why) != TD_OK) {
            fprintf(stderr, "td_fuzz_wolfssl: profile %s: %s\n", name, why);
            abort();
        }
        loaded = 1;
    }
    TD_FUZZ_CHECK(strcmp(p.name, name) == 0);
    return &p;
}

void td_wolf_server_start(td_wolf_server *ws, const td_profile *p)
{
    td_world_init(&ws->world, TD_WOLF_SEED);
    ws->s = NULL;
    if (td_subject_new(TD_IMPL_WOLFSSL, TD_ROLE_SERVER, p, &ws->world, &ws->s) != TD_OK) {
        fprintf(stderr, "td_fuzz_wolfssl: wolfSSL server: %s\n", td_subject_last_error());
        abort();
    }
}

void td_wolf_server_feed(td_wolf_server *ws, const uint8_t *data, size_t len)
{
    /* fails only when the subject's input buffer cannot grow */
    TD_FUZZ_CHECK(td_subject_feed(ws->s, data, len) == TD_OK);
}

void td_wolf_server_take(td_wolf_server *ws, td_wolf_flight *out)
{
    TD_FUZZ_CHECK(td_subject_pending(ws->s) <= sizeof out->p);
    td_subject_drain(ws->s, out->p, sizeof out->p, &out->len);
}

void td_wolf_server_stop(td_wolf_server *ws)
{
    td_subject_free(ws->s);
    ws->s = NULL;
    td_world_free(&ws->world);
}

/* Feed `in` to s and take what it sends back. */
static td_err exchange(td_subject *s, const td_wolf_flight *in, td_wolf_flight *out)
{
    TRY(td_subject_feed(s, in ? in->p : NULL, in ? in->len : 0));
    ENSURE(td_subject_pending(s) <= sizeof out->p, TD_ERR_NOSPACE);
    td_subject_drain(s, out->p, sizeof out->p, &out->len);
    return TD_OK;
}

/* The handshake and one application data record, flight by flight. */
static td_err run_canonical(td_subject *cl, td_subject *sv, td_wolf_canon *c)
{
    td_state st;

    TRY(exchange(cl, NULL, &c->client_hello));
    TRY(exchange(sv, &c->client_hello, &c->server_flight));
    TRY(exchange(cl, &c->server_flight, &c->client_second));
    TRY(exchange(sv, &c->client_second, &c->server_second));
    TRY(exchange(cl, &c->server_second, &c->client_app));
    td_subject_state(cl, &st);
    ENSURE(st.handshake_done && c->client_app.len == 0, TD_ERR_LIBRARY);
    TRY(td_subject_write_app(cl, (const uint8_t *)TD_WOLF_APP_DATA, sizeof TD_WOLF_APP_DATA - 1));
    ENSURE(td_subject_pending(cl) <= sizeof c->client_app.p, TD_ERR_NOSPACE);
    td_subject_drain(cl, c->client_app.p, sizeof c->client_app.p, &c->client_app.len);
    return TD_OK;
}

td_err td_wolf_canonical(td_impl client, const td_profile *p, td_wolf_canon *c, char *why,
                         size_t cap)
{
    td_subject *cl = NULL, *sv = NULL;
    td_world w;
    td_state cs, ss;
    td_err e;

    memset(c, 0, sizeof *c);
    td_world_init(&w, TD_WOLF_SEED);
    e = td_subject_new(client, TD_ROLE_CLIENT, p, &w, &cl);
    if (e == TD_OK)
        e = td_subject_new(TD_IMPL_WOLFSSL, TD_ROLE_SERVER, p, &w, &sv);
    if (e != TD_OK) {
        snprintf(why, cap, "subject: %s", td_subject_last_error());
        goto out;
    }
    e = run_canonical(cl, sv, c);
    td_subject_state(cl, &cs);
    td_subject_state(sv, &ss);
    if (e != TD_OK || !ss.handshake_done) {
        char a[256], b[256];

        td_state_describe(&cs, a, sizeof a);
        td_state_describe(&ss, b, sizeof b);
        snprintf(why, cap, "the handshake did not complete (%s): client %s, server %s",
                 td_err_name(e), a, b);
        if (e == TD_OK)
            e = TD_ERR_LIBRARY;
    }
out:
    td_subject_free(cl);
    td_subject_free(sv);
    td_world_free(&w);
    return e;
}
