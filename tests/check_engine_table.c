/*
 * The handshake table (harness/ref/engine/td_hs_table.c) as a whole:
 *
 *   - the walk (issue 4: "A walk over every (state, message type) pair
 *     that is absent from the tables gives unexpected_message"): a
 *     connection in each state, fed a well-formed handshake record of
 *     each HandshakeType 0..255 (unknown ones included) that the table
 *     has no row for in that state and role, fails with
 *     unexpected_message (RFC 8446 4 and 6.2: "unexpected_message: An
 *     inappropriate message (e.g., the wrong handshake message ...) was
 *     received"; RFC 5246 7.2.2) and sends that alert;
 *   - the rows: each one reachable from where its role starts (no dead
 *     rows), and each state that waits for a handshake message has a
 *     row.
 *
 * The connections are real: a reference client and a reference server
 * run each handshake in memory, and each record a side receives is also
 * replayed one handshake message per record on a copy of the receiver,
 * so there is a connection (a snapshot: td_conn is flat) in every state
 * between two messages. Handshakes run: TLS 1.3 with client
 * authentication, TLS 1.3 with HelloRetryRequest, TLS 1.2 ECDHE with
 * client authentication and a session ticket. One state no real
 * connection reaches: SRV_WAIT_END_OF_EARLY_DATA (the reference refuses
 * 0-RTT, RFC 8446 4.2.10); the server connection of SRV_WAIT_FINISHED is
 * set to it directly (its read keys, the client's handshake keys, stand
 * in for the early-data keys). CLOSED and FAILED are not walked: a
 * connection is no longer in a handshake there (RFC 8446 6.1: "Any data
 * received after a closure alert has been received MUST be ignored";
 * td_conn_feed on a failed connection returns its first failure).
 *
 * The record that carries the message is plaintext before the
 * connection reads under keys, else sealed with the connection's own
 * read keys (a copy of c->read), so it is exactly what a peer could send
 * in that state. The message is the 4-byte header of its type with an
 * empty body: the dispatcher must refuse it before any handler decodes.
 */
#include "../harness/ref/engine/td_hs.h"
#include "td_ref_config.h"
#include "td_testlib.h"
#include "td_world.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED 0x7ab1eu

static td_span sp(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

/* ------------------------------------------------------------------------
 * Who a row is for
 * ------------------------------------------------------------------------ */

/* The role whose connections a row serves: the states are each one
 * role's (CLI... / SRV...), except CONNECTED, whose rows belong to the
 * handler's role (td_cli... / td_srv..., td_hs.h). -1: unknown. */
static int row_role(const td_hs_row *r)
{
    const char *n = td_hs_state_name(r->state);

    if (strncmp(n, "CLI", 3) == 0)
        return TD_ROLE_CLIENT;
    if (strncmp(n, "SRV", 3) == 0)
        return TD_ROLE_SERVER;
    if (r->handler == td_cli13_on_new_session_ticket ||
        r->handler == td_cli13_on_key_update ||
        r->handler == td_cli13_on_post_handshake_certificate_request ||
        r->handler == td_cli12_on_hello_request)
        return TD_ROLE_CLIENT;
    if (r->handler == td_srv13_on_key_update ||
        r->handler == td_srv13_on_pha_certificate ||
        r->handler == td_srv13_on_pha_certificate_verify ||
        r->handler == td_srv13_on_pha_finished ||
        r->handler == td_srv12_on_client_hello_renegotiation)
        return TD_ROLE_SERVER;
    return -1;
}

static int in_table(td_role role, td_hs_state st, unsigned type)
{
    size_t n, i;
    const td_hs_row *rows = td_hs_table(&n);

    for (i = 0; i < n; i++)
        if (rows[i].state == st && rows[i].msg_type == type &&
            row_role(&rows[i]) == (int)role)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------------
 * Endpoints and snapshots
 * ------------------------------------------------------------------------ */

typedef struct ref_end {
    td_conn_config cfg;
    td_conn c;
} ref_end;

static ref_end *ref_new(const td_profile *p, td_role role, td_world *w,
                        td_session_cache *cache)
{
    ref_end *r = calloc(1, sizeof *r);
    char why[256] = "";
    td_err e;

    ck_assert_ptr_nonnull(r);
    e = td_ref_config_from_profile(p, role, (uint64_t)w->clock, &r->cfg, why,
                                   sizeof why);
    ck_assert_msg(e == TD_OK, "reference config: %s", why);
    r->cfg.session_cache = cache;
    ck_assert_int_eq(
        td_conn_init(&r->c, &r->cfg,
                     &w->rng[role == TD_ROLE_CLIENT ? TD_PARTY_CLIENT
                                                    : TD_PARTY_SERVER]),
        TD_OK);
    return r;
}

#define MAX_SNAPS 96
typedef struct snap {
    td_role role;
    uint16_t version;
    td_hs_state state;
    const char *how; /* the handshake, or how the state was set */
    td_conn *c;      /* its cfg points into a ref_end kept alive */
} snap;

static snap snaps[MAX_SNAPS];
static size_t n_snaps;
static ref_end *ends[32];
static size_t n_ends;

static void keep_end(ref_end *r)
{
    ck_assert_uint_lt(n_ends, sizeof ends / sizeof ends[0]);
    ends[n_ends++] = r;
}

static void free_all(void)
{
    size_t i;

    for (i = 0; i < n_snaps; i++)
        free(snaps[i].c);
    for (i = 0; i < n_ends; i++)
        free(ends[i]);
    n_snaps = n_ends = 0;
}

/* Keep a copy of c, once per (role, version, state). */
static void snapshot(const td_conn *c, const char *how)
{
    size_t i;

    if (c->state == TD_ST_FAILED || c->state == TD_ST_CLOSED)
        return;
    for (i = 0; i < n_snaps; i++)
        if (snaps[i].role == c->cfg->role && snaps[i].state == c->state &&
            snaps[i].version == c->params.version)
            return;
    ck_assert_uint_lt(n_snaps, MAX_SNAPS);
    snaps[n_snaps].role = c->cfg->role;
    snaps[n_snaps].version = c->params.version;
    snaps[n_snaps].state = c->state;
    snaps[n_snaps].how = how;
    snaps[n_snaps].c = malloc(sizeof *c);
    ck_assert_ptr_nonnull(snaps[n_snaps].c);
    memcpy(snaps[n_snaps].c, c, sizeof *c);
    n_snaps++;
}

static const snap *find_snap(td_role role, td_hs_state st)
{
    size_t i;

    for (i = 0; i < n_snaps; i++)
        if (snaps[i].role == role && snaps[i].state == st)
            return &snaps[i];
    return NULL;
}

/* One handshake message as a record a peer could send to c now. */
static size_t record_for(const td_conn *c, td_span msg, uint8_t *out,
                         size_t cap)
{
    td_wr w;

    td_wr_init(&w, out, cap);
    if (c->read.installed) {
        td_protect st = c->read; /* its sequence number: the next one */

        ck_assert_int_eq(td_protect_seal(&st, TD_CT_HANDSHAKE, msg, 0, &w),
                         TD_OK);
    } else {
        td_record rec;

        rec.type = TD_CT_HANDSHAKE;
        rec.legacy_record_version = 0x0303;
        rec.fragment = msg;
        ck_assert_int_eq(td_record_encode(&w, c->read_mode, &rec), TD_OK);
    }
    return td_wr_len(&w);
}

/* The content of one record as c would see it (a copy of its read state
 * opens it); *type its content type. */
static td_span record_content(const td_conn *c, const uint8_t *rec, size_t n,
                              uint8_t *buf, size_t cap, uint8_t *type)
{
    td_rd r;

    td_rd_init(&r, rec, n);
    if (c->read.installed &&
        !(c->read.version == TD_RECORD_TLS13 &&
          rec[0] == TD_CT_CHANGE_CIPHER_SPEC)) {
        td_protect st = c->read;
        td_protect_plain p;

        ck_assert_int_eq(td_protect_open(&st, &r, buf, cap, &p), TD_OK);
        *type = p.type;
        return p.content;
    } else {
        td_record out;

        ck_assert_int_eq(td_record_decode(&r, c->read_mode, &out), TD_OK);
        *type = rec[0];
        return out.fragment;
    }
}

static uint8_t xbuf[1 << 18];
static uint8_t rbuf[1 << 16];
static uint8_t pbuf[1 << 16];

/* Deliver bytes (whole records) to `to`; for each handshake record, also
 * replay it one message per record on a copy of `to` as it was before,
 * keeping a snapshot after each message. */
static void deliver(ref_end *to, const uint8_t *p, size_t n, const char *how)
{
    size_t off = 0;

    while (off + 5 <= n) {
        size_t len = 5 + ((size_t)p[off + 3] << 8 | p[off + 4]);
        td_conn *before = malloc(sizeof *before);
        uint8_t type;
        td_span content;

        ck_assert_ptr_nonnull(before);
        ck_assert_uint_le(off + len, n);
        memcpy(before, &to->c, sizeof *before);
        content = record_content(before, p + off, len, pbuf, sizeof pbuf,
                                 &type);
        if (type == TD_CT_HANDSHAKE &&
            td_hs_reasm_check_boundary(&before->reasm) == TD_OK) {
            size_t m = 0;

            while (m + 4 <= content.len) {
                size_t ml = 4 + ((size_t)content.p[m + 1] << 16 |
                                 (size_t)content.p[m + 2] << 8 |
                                 content.p[m + 3]);
                size_t rl;

                ck_assert_uint_le(m + ml, content.len);
                rl = record_for(before, sp(content.p + m, ml), rbuf,
                                sizeof rbuf);
                ck_assert_msg(td_conn_feed(before, sp(rbuf, rl)) == TD_OK,
                              "%s: message %u alone: %s", how, content.p[m],
                              before->failure.why);
                snapshot(before, how);
                m += ml;
            }
            ck_assert_uint_eq(m, content.len);
        }
        free(before);
        ck_assert_msg(td_conn_feed(&to->c, sp(p + off, len)) == TD_OK,
                      "%s: %s", how, to->c.failure.why);
        snapshot(&to->c, how);
        off += len;
    }
    ck_assert_uint_eq(off, n);
}

static size_t drain(ref_end *r)
{
    size_t n = 0, k;

    while (td_conn_pending(&r->c) && n < sizeof xbuf) {
        td_conn_drain(&r->c, xbuf + n, sizeof xbuf - n, &k);
        n += k;
    }
    return n;
}

/* One reference handshake of profile p, keeping snapshots. */
static void run(const td_profile *p, const char *how)
{
    static td_session_cache cache;
    ref_end *c, *s;
    td_world w;
    int round;

    memset(&cache, 0, sizeof cache);
    td_world_init(&w, SEED);
    c = ref_new(p, TD_ROLE_CLIENT, &w, NULL);
    s = ref_new(p, TD_ROLE_SERVER, &w, &cache);
    keep_end(c);
    keep_end(s);
    snapshot(&c->c, how); /* START */
    snapshot(&s->c, how);
    ck_assert_int_eq(td_conn_start(&c->c), TD_OK);
    ck_assert_int_eq(td_conn_start(&s->c), TD_OK);
    snapshot(&c->c, how);
    snapshot(&s->c, how);
    for (round = 0; round < 32; round++) {
        size_t n = drain(c), m;

        deliver(s, xbuf, n, how);
        m = drain(s);
        deliver(c, xbuf, m, how);
        if (n == 0 && m == 0)
            break;
    }
    ck_assert_msg(c->c.state == TD_ST_CONNECTED &&
                      s->c.state == TD_ST_CONNECTED,
                  "%s: client %s (%s), server %s (%s)", how,
                  td_hs_state_name(c->c.state), c->c.failure.why,
                  td_hs_state_name(s->c.state), s->c.failure.why);
    td_world_free(&w);
}

static void run_all(void)
{
    td_profile p;
    const snap *f;

    free_all();
    td_test_profile(&p, "tls13-client-auth");
    run(&p, "TLS 1.3, client authentication");
    td_test_profile(&p, "tls13-hrr");
    run(&p, "TLS 1.3, HelloRetryRequest");
    td_test_profile(&p, "tls12-client-auth");
    p.tickets = true;
    run(&p, "TLS 1.2, client authentication, ticket");
    /* RFC 8446 4.2.10: the reference refuses 0-RTT, so no connection
     * waits for EndOfEarlyData; the server waiting for the client's
     * Finished is the nearest (read keys installed, TLS 1.3) */
    f = find_snap(TD_ROLE_SERVER, TD_ST_SRV_WAIT_FINISHED);
    ck_assert_ptr_nonnull(f);
    {
        td_conn *c = malloc(sizeof *c);

        ck_assert_ptr_nonnull(c);
        memcpy(c, f->c, sizeof *c);
        c->state = TD_ST_SRV_WAIT_END_OF_EARLY_DATA;
        snapshot(c, "set: SRV_WAIT_FINISHED's connection");
        free(c);
    }
}

/* ------------------------------------------------------------------------
 * The walk
 * ------------------------------------------------------------------------ */

/* Every state but CLOSED and FAILED was reached, in each role that has
 * it (START and CONNECTED: both). */
START_TEST(test_states_reached)
{
    int st;

    run_all();
    for (st = 0; st < TD_ST_COUNT; st++) {
        const char *n = td_hs_state_name((td_hs_state)st);
        int cli = strncmp(n, "CLI", 3) == 0, srv = strncmp(n, "SRV", 3) == 0;

        if (st == TD_ST_CLOSED || st == TD_ST_FAILED)
            continue;
        if (!srv)
            ck_assert_msg(find_snap(TD_ROLE_CLIENT, (td_hs_state)st) != NULL,
                          "no client connection reached %s", n);
        if (!cli)
            ck_assert_msg(find_snap(TD_ROLE_SERVER, (td_hs_state)st) != NULL,
                          "no server connection reached %s", n);
    }
    free_all();
}
END_TEST

START_TEST(test_walk)
{
    static uint8_t rec[4096];
    td_conn *w = malloc(sizeof *w);
    size_t i, walked = 0, skipped = 0;
    unsigned t;

    ck_assert_ptr_nonnull(w);
    run_all();
    for (i = 0; i < n_snaps; i++) {
        const snap *s = &snaps[i];

        for (t = 0; t < 256; t++) {
            uint8_t msg[4] = {(uint8_t)t, 0, 0, 0};
            size_t n;
            td_err e;

            if (in_table(s->role, s->state, t)) {
                skipped++;
                continue;
            }
            memcpy(w, s->c, sizeof *w);
            n = record_for(w, sp(msg, 4), rec, sizeof rec);
            e = td_conn_feed(w, sp(rec, n));
            ck_assert_msg(e == TD_ALERT_UNEXPECTED_MESSAGE &&
                              w->state == TD_ST_FAILED &&
                              w->failure.err == TD_ALERT_UNEXPECTED_MESSAGE,
                          "%s %s (%s, version %04x), message type %u: %s "
                          "(%s), state %s",
                          td_role_name(s->role), td_hs_state_name(s->state),
                          s->how, s->version, t, td_err_name(e),
                          w->failure.why, td_hs_state_name(w->state));
            /* the alert went out, fatal (RFC 8446 6.2, RFC 5246 7.2.2) */
            ck_assert_int_eq(w->sent_alert, 1 + TD_ALERT_UNEXPECTED_MESSAGE);
            ck_assert_int_eq(w->sent_alert_level, TD_ALERT_LEVEL_FATAL);
            ck_assert_uint_gt(td_conn_pending(w), s->c->out_len);
            walked++;
        }
    }
    printf("engine_table: %zu (state, message type) pairs walked over %zu "
           "connections, %zu in the table\n",
           walked, n_snaps, skipped);
    ck_assert_uint_gt(walked, (size_t)20 * 250);
    free(w);
    free_all();
}
END_TEST

/* ------------------------------------------------------------------------
 * The rows
 * ------------------------------------------------------------------------ */

/* Each row's handler belongs to a role, each next state exists, and
 * each row's state is reachable from where its role starts
 * (td_conn_start: the client waits for the ServerHello, the server for
 * the ClientHello) along the rows of that role and the two moves the
 * driver makes at a TLS 1.2 ChangeCipherSpec (td_conn.c). */
START_TEST(test_no_dead_rows)
{
    int reach[2][TD_ST_COUNT];
    size_t n, i, j;
    const td_hs_row *rows = td_hs_table(&n);
    int changed = 1;

    memset(reach, 0, sizeof reach);
    reach[TD_ROLE_CLIENT][TD_ST_CLI_WAIT_SERVER_HELLO] = 1;
    reach[TD_ROLE_SERVER][TD_ST_SRV_WAIT_CLIENT_HELLO] = 1;
    for (i = 0; i < n; i++) {
        ck_assert_msg(row_role(&rows[i]) >= 0, "row %zu (%s, %u): no role", i,
                      td_hs_state_name(rows[i].state), rows[i].msg_type);
        ck_assert_ptr_nonnull(rows[i].handler);
        for (j = 0; j < TD_HS_MAX_NEXT; j++)
            ck_assert_int_lt(rows[i].next[j], TD_ST_COUNT);
    }
    while (changed) {
        changed = 0;
        for (i = 0; i < n; i++) {
            int role = row_role(&rows[i]);

            if (!reach[role][rows[i].state])
                continue;
            for (j = 0; j < TD_HS_MAX_NEXT; j++) {
                td_hs_state nx = rows[i].next[j];

                if (j > 0 && nx == TD_ST_START)
                    break; /* the end of the list */
                if (!reach[role][nx])
                    changed = reach[role][nx] = 1;
            }
        }
        if (reach[TD_ROLE_CLIENT][TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC] &&
            !reach[TD_ROLE_CLIENT][TD_ST_CLI12_WAIT_FINISHED])
            changed = reach[TD_ROLE_CLIENT][TD_ST_CLI12_WAIT_FINISHED] = 1;
        if (reach[TD_ROLE_SERVER][TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC] &&
            !reach[TD_ROLE_SERVER][TD_ST_SRV12_WAIT_FINISHED])
            changed = reach[TD_ROLE_SERVER][TD_ST_SRV12_WAIT_FINISHED] = 1;
    }
    for (i = 0; i < n; i++)
        ck_assert_msg(reach[row_role(&rows[i])][rows[i].state],
                      "dead row %zu: %s, message %u, for the %s", i,
                      td_hs_state_name(rows[i].state), rows[i].msg_type,
                      td_role_name((td_role)row_role(&rows[i])));
}
END_TEST

/* Every state but START, CONNECTED, CLOSED and FAILED waits for a
 * handshake message, so it has a row; except the two that wait for the
 * TLS 1.2 ChangeCipherSpec, a record the driver handles (td_hs_table.c,
 * RFC 5246 7.1): for those, a real connection in the state is moved on
 * by a ChangeCipherSpec record. */
START_TEST(test_states_have_rows)
{
    /* ChangeCipherSpec (RFC 5246 7.1): 14 0303 0001 01 */
    static const uint8_t ccs[6] = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};
    size_t n, i;
    const td_hs_row *rows = td_hs_table(&n);
    int st;

    for (st = 0; st < TD_ST_COUNT; st++) {
        int has = 0;

        if (st == TD_ST_START || st == TD_ST_CONNECTED ||
            st == TD_ST_CLOSED || st == TD_ST_FAILED ||
            st == TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC ||
            st == TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC)
            continue;
        for (i = 0; i < n; i++)
            has |= rows[i].state == (td_hs_state)st;
        ck_assert_msg(has, "state %s has no row",
                      td_hs_state_name((td_hs_state)st));
    }
    run_all();
    for (st = 0; st < 2; st++) {
        td_role role = st ? TD_ROLE_SERVER : TD_ROLE_CLIENT;
        const snap *s = find_snap(role, st ? TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC
                                           : TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC);
        td_conn *c = malloc(sizeof *c);

        ck_assert_ptr_nonnull(s);
        ck_assert_ptr_nonnull(c);
        memcpy(c, s->c, sizeof *c);
        ck_assert_int_eq(td_conn_feed(c, sp(ccs, sizeof ccs)), TD_OK);
        ck_assert_int_eq(c->state, st ? TD_ST_SRV12_WAIT_FINISHED
                                      : TD_ST_CLI12_WAIT_FINISHED);
        free(c);
    }
    free_all();
}
END_TEST

Suite *td_engine_table_suite(void);

Suite *td_engine_table_suite(void)
{
    Suite *s = suite_create("engine_table");
    TCase *tc = tcase_create("table");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_no_dead_rows);
    tcase_add_test(tc, test_states_have_rows);
    tcase_add_test(tc, test_states_reached);
    tcase_add_test(tc, test_walk);
    suite_add_tcase(s, tc);
    return s;
}
