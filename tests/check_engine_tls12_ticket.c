/*
 * TLS 1.2 resumption with session tickets (RFC 5077) in the reference
 * engine (harness/ref/engine/td_hs_client12*.c, td_hs_server12*.c,
 * td_hs12.c), with the extended master secret rules of RFC 7627 5.3.
 *
 * Expected values come from:
 *   - RFC 5077: the flows of 3.1 (full handshake: the server's empty
 *     SessionTicket extension, NewSessionTicket before its
 *     ChangeCipherSpec; abbreviated handshake: ServerHello,
 *     NewSessionTicket, ChangeCipherSpec, Finished), the formats of 3.2
 *     and 3.3 (NewSessionTicket bytes derived by hand at each use), the
 *     session ID rules of 3.4; RFC 7627 5.3; RFC 5246 7.2.2, 7.3, 7.4.9;
 *   - Finished values computed by the test from the master secret it
 *     planted, with the TLS 1.2 key schedule (td_ks12, checked against
 *     RFC and OpenSSL values in check_keys and check_engine_tls12);
 *   - wolfSSL (the td_subject peer): resumption by ticket both ways;
 *   - the reference's own choices, documented in td_hs12.h: its tickets
 *     are 32-byte handles into its session store with a lifetime hint of
 *     7200 seconds, renewed on every resumption.
 *
 * The ClientHellos the server tests feed are built here with the codecs,
 * so they do not depend on the reference client.
 */
#include "../harness/ref/engine/td_hs12.h"
#include "td_names.h"
#include "td_pump.h"
#include "td_ref_config.h"
#include "td_subject.h"
#include "td_testlib.h"
#include "td_world.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED 0x5077u
#define PROFILE "tls12-resume-ticket"
#define SUITE 0xc030u /* TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 */

/* ------------------------------------------------------------------------
 * Bytes and records
 * ------------------------------------------------------------------------ */

static td_span sp(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

/* A plaintext TLS 1.2 record (RFC 5246 6.2.1). */
static size_t mk_record(uint8_t *out, uint8_t type, td_span payload)
{
    out[0] = type;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(payload.len >> 8);
    out[4] = (uint8_t)payload.len;
    memcpy(out + 5, payload.p, payload.len);
    return 5 + payload.len;
}

/* ChangeCipherSpec (RFC 5246 7.1): 14 0303 0001 01 */
static const uint8_t ccs_record[6] = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};

#define MAX_RECS 64
typedef struct recs {
    size_t n;
    uint8_t type[MAX_RECS];
    size_t off[MAX_RECS], len[MAX_RECS]; /* header included */
} recs;

static void split_records(const uint8_t *p, size_t n, recs *r)
{
    size_t off = 0;

    r->n = 0;
    while (off + 5 <= n) {
        size_t len = 5 + ((size_t)p[off + 3] << 8 | p[off + 4]);

        ck_assert_uint_le(off + len, n);
        ck_assert_uint_lt(r->n, MAX_RECS);
        r->type[r->n] = p[off];
        r->off[r->n] = off;
        r->len[r->n] = len;
        r->n++;
        off += len;
    }
    ck_assert_uint_eq(off, n);
}

/* The handshake messages of one plaintext record's payload. */
#define MAX_MSGS 16
typedef struct msgs {
    size_t n;
    td_span m[MAX_MSGS]; /* header included */
} msgs;

static void split_messages(td_span payload, msgs *m)
{
    size_t off = 0;

    m->n = 0;
    while (off + 4 <= payload.len) {
        size_t l = 4 + ((size_t)payload.p[off + 1] << 16 |
                        (size_t)payload.p[off + 2] << 8 | payload.p[off + 3]);

        ck_assert_uint_le(off + l, payload.len);
        ck_assert_uint_lt(m->n, MAX_MSGS);
        m->m[m->n++] = sp(payload.p + off, l);
        off += l;
    }
    ck_assert_uint_eq(off, payload.len);
}

/* The whole handshake message `type` with `body`. */
static td_span mk_msg(uint8_t *buf, size_t cap, uint8_t type, td_span body)
{
    td_handshake hs;
    td_span s;
    td_wr w;

    hs.msg_type = type;
    hs.body = body;
    td_wr_init(&w, buf, cap);
    ck_assert_int_eq(td_handshake_encode(&w, &hs), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &s), TD_OK);
    return s;
}

/* ------------------------------------------------------------------------
 * Reference endpoints
 * ------------------------------------------------------------------------ */

typedef struct ref_end {
    td_conn_config cfg;
    td_draw_script script;
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

static void script_add(ref_end *r, td_draw what, td_span bytes)
{
    td_draw_script *s = &r->script;

    ck_assert_uint_lt(s->n, TD_DRAW_SCRIPT_MAX);
    s->item[s->n].what = what;
    s->item[s->n].len = bytes.len;
    memcpy(s->item[s->n].bytes, bytes.p, bytes.len);
    s->n++;
    r->cfg.script = s;
}

static uint8_t xbuf[1 << 18];

static size_t from_ref(ref_end *r, uint8_t *buf, size_t cap)
{
    size_t n = 0, k;

    while (td_conn_pending(&r->c) && n < cap) {
        td_conn_drain(&r->c, buf + n, cap - n, &k);
        n += k;
    }
    return n;
}

static td_err to_ref(ref_end *r, const uint8_t *p, size_t n)
{
    return n ? td_conn_feed(&r->c, sp(p, n)) : TD_OK;
}

static td_err feed_msg(ref_end *r, td_span msg)
{
    static uint8_t rec[1 << 15];

    return to_ref(r, rec, mk_record(rec, TD_CT_HANDSHAKE, msg));
}

static void ck_failed_with(const td_conn *c, td_err alert)
{
    ck_assert_msg(c->state == TD_ST_FAILED, "state %s, expected FAILED",
                  td_hs_state_name(c->state));
    ck_assert_msg(c->failure.err == alert, "failed with %s (%s), expected %s",
                  td_err_name(c->failure.err), c->failure.why,
                  td_err_name(alert));
    ck_assert_int_eq(c->sent_alert, 1 + alert);
    ck_assert_int_eq(c->sent_alert_level, TD_ALERT_LEVEL_FATAL);
}

static void describe_conn(const td_conn *c, char *out, size_t cap)
{
    snprintf(out, cap, "%s (%s: %s)", td_hs_state_name(c->state),
             td_err_name(c->failure.err), c->failure.why);
}

/* ------------------------------------------------------------------------
 * A planted session and its keys
 * ------------------------------------------------------------------------ */

static const uint8_t planted_ms[48] = {
    0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d,
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
    0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d,
    0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc};

/* A session of SUITE with the planted master secret and ticket T (32 x
 * 0x54), optionally with a session_id (32 x 0x49) instead. */
static void plant(td_session_cache *cache, size_t slot, int ems, int ticket,
                  int session_id)
{
    td_session12 *s = &cache->entry[slot];

    memset(s, 0, sizeof *s);
    s->valid = 1;
    s->cipher_suite = SUITE;
    s->ems = ems;
    s->peer_verified = 1;
    memcpy(s->master_secret, planted_ms, 48);
    if (ticket) {
        memset(s->ticket, 0x54, 32);
        s->ticket_len = 32;
        s->ticket_lifetime_hint = 100;
    }
    if (session_id) {
        memset(s->session_id, 0x49, 32);
        s->session_id_len = 32;
    }
    cache->next = (slot + 1) % TD_SESSION_CACHE_MAX;
}

typedef struct keys12 {
    td_ks12 ks;
    td_protect client_write, server_write;
} keys12;

static void keys_from(keys12 *k, const uint8_t cr[32], const uint8_t sr[32])
{
    td_ks_suite s;
    td_ks12_keys kb;

    memset(k, 0, sizeof *k);
    ck_assert_int_eq(td_ks_suite_find(SUITE, &s), TD_OK);
    ck_assert_int_eq(td_ks12_init(&k->ks, s.hash), TD_OK);
    ck_assert_int_eq(td_ks12_set_master_secret(&k->ks, sp(planted_ms, 48)),
                     TD_OK);
    ck_assert_int_eq(td_ks12_key_expansion(&k->ks, &s, sp(cr, 32),
                                           sp(sr, 32), &kb),
                     TD_OK);
    ck_assert_int_eq(td_protect_install(&k->client_write, TD_RECORD_TLS12,
                                        kb.aead,
                                        sp(kb.client_write_key,
                                           kb.enc_key_length),
                                        sp(kb.client_write_IV,
                                           kb.fixed_iv_length)),
                     TD_OK);
    ck_assert_int_eq(td_protect_install(&k->server_write, TD_RECORD_TLS12,
                                        kb.aead,
                                        sp(kb.server_write_key,
                                           kb.enc_key_length),
                                        sp(kb.server_write_IV,
                                           kb.fixed_iv_length)),
                     TD_OK);
}

/* RFC 5246 7.4.9: Finished = 14 00000c verify_data, verify_data =
 * PRF(master_secret, finished_label, SHA-384(handshake_messages))[0..11]
 * (SHA-384: the suite's PRF hash, RFC 5289 3.2). */
static void finished_msg(const keys12 *k, td_ks12_sender who, td_span hm,
                         uint8_t out[16])
{
    uint8_t h[48];

    ck_assert_int_eq(td_hash(TD_HASH_SHA384, hm, h), TD_OK);
    out[0] = TD_HS_FINISHED;
    out[1] = 0;
    out[2] = 0;
    out[3] = 12;
    ck_assert_int_eq(td_ks12_verify_data(&k->ks, who, sp(h, 48), out + 4),
                     TD_OK);
}

static size_t seal(td_protect *st, uint8_t type, td_span content,
                   uint8_t *out, size_t cap)
{
    td_wr w;

    td_wr_init(&w, out, cap);
    ck_assert_int_eq(td_protect_seal(st, type, content, 0, &w), TD_OK);
    return td_wr_len(&w);
}

static size_t open_rec(td_protect *st, const uint8_t *rec, size_t n,
                       uint8_t *out, size_t cap)
{
    static uint8_t plain[TD_MAX_CIPHERTEXT12_LEN];
    td_protect_plain pp;
    td_rd r;

    td_rd_init(&r, rec, n);
    ck_assert_int_eq(td_protect_open(st, &r, plain, sizeof plain, &pp), TD_OK);
    ck_assert_uint_eq(pp.type, TD_CT_HANDSHAKE);
    ck_assert_uint_le(pp.content.len, cap);
    memcpy(out, pp.content.p, pp.content.len);
    return pp.content.len;
}

/* A transcript the test keeps itself. */
typedef struct hm {
    uint8_t b[8192];
    size_t len;
} hm;

static void hm_add(hm *t, td_span m)
{
    ck_assert_uint_le(t->len + m.len, sizeof t->b);
    memcpy(t->b + t->len, m.p, m.len);
    t->len += m.len;
}

/* ------------------------------------------------------------------------
 * ClientHellos and ServerHellos built with the codecs
 * ------------------------------------------------------------------------ */

typedef struct ch_opts {
    td_span session_id;
    int ticket_ext; /* send the SessionTicket extension */
    td_span ticket;
    int ems;
} ch_opts;

static const uint8_t client_random[32] = {
    0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43,
    0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43,
    0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x01};

/* RFC 5246 7.4.1.2 ClientHello: 0303, client_random, session_id,
 * cipher_suites {c030}, compression {null}, extensions:
 *   supported_groups      00 02 00 1d        (x25519)
 *   ec_point_formats      01 00              (uncompressed)
 *   signature_algorithms  00 04 08 04 04 01  (rsa_pss_rsae_sha256,
 *                                             rsa_pkcs1_sha256)
 *   renegotiation_info    00                 (RFC 5746 3.4: empty)
 *   extended_master_secret (empty), if o->ems
 *   SessionTicket          the ticket as it is (RFC 5077 3.2), if
 *                          o->ticket_ext */
static td_span mk_client_hello(uint8_t *buf, size_t cap, const ch_opts *o)
{
    static const uint8_t suites[2] = {0xc0, 0x30}, comp[1] = {0};
    static const uint8_t groups[4] = {0x00, 0x02, 0x00, 0x1d};
    static const uint8_t pf[2] = {0x01, 0x00};
    static const uint8_t sa[6] = {0x00, 0x04, 0x08, 0x04, 0x04, 0x01};
    static const uint8_t ri[1] = {0};
    uint8_t ext[1024], body[2048];
    td_client_hello ch;
    td_span e, s;
    td_wr w;

    td_wr_init(&w, ext, sizeof ext);
    ck_assert_int_eq(td_ext_write(&w, TD_EXT_SUPPORTED_GROUPS, sp(groups, 4)),
                     TD_OK);
    ck_assert_int_eq(td_ext_write(&w, TD_EXT_EC_POINT_FORMATS, sp(pf, 2)),
                     TD_OK);
    ck_assert_int_eq(td_ext_write(&w, TD_EXT_SIGNATURE_ALGORITHMS, sp(sa, 6)),
                     TD_OK);
    ck_assert_int_eq(td_ext_write(&w, TD_EXT_RENEGOTIATION_INFO, sp(ri, 1)),
                     TD_OK);
    if (o->ems)
        ck_assert_int_eq(
            td_ext_write(&w, TD_EXT_EXTENDED_MASTER_SECRET, sp(NULL, 0)),
            TD_OK);
    if (o->ticket_ext)
        ck_assert_int_eq(td_ext_write(&w, TD_EXT_SESSION_TICKET, o->ticket),
                         TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &e), TD_OK);
    memset(&ch, 0, sizeof ch);
    ch.legacy_version = 0x0303;
    memcpy(ch.random, client_random, 32);
    ch.legacy_session_id = o->session_id;
    ch.cipher_suites = sp(suites, 2);
    ch.legacy_compression_methods = sp(comp, 1);
    ch.has_extensions = 1;
    ch.extensions = e;
    td_wr_init(&w, body, sizeof body);
    ck_assert_int_eq(td_client_hello_encode(&w, &ch), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &s), TD_OK);
    return mk_msg(buf, cap, TD_HS_CLIENT_HELLO, s);
}

static const uint8_t server_random[32] = {
    0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53,
    0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53,
    0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x53, 0x02};

/* RFC 5246 7.4.1.3 ServerHello: 0303, server_random, session_id echo,
 * cipher_suite, null, extensions: renegotiation_info (00), and
 * extended_master_secret and SessionTicket (both empty) when asked. */
static td_span mk_server_hello(uint8_t *buf, size_t cap, td_span sid,
                               uint16_t suite, int ems, int ticket_ext)
{
    static const uint8_t ri[1] = {0};
    uint8_t ext[64], body[256];
    td_server_hello sh;
    td_span e, s;
    td_wr w;

    td_wr_init(&w, ext, sizeof ext);
    ck_assert_int_eq(td_ext_write(&w, TD_EXT_RENEGOTIATION_INFO, sp(ri, 1)),
                     TD_OK);
    if (ems)
        ck_assert_int_eq(
            td_ext_write(&w, TD_EXT_EXTENDED_MASTER_SECRET, sp(NULL, 0)),
            TD_OK);
    if (ticket_ext)
        ck_assert_int_eq(td_ext_write(&w, TD_EXT_SESSION_TICKET, sp(NULL, 0)),
                         TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &e), TD_OK);
    memset(&sh, 0, sizeof sh);
    sh.legacy_version = 0x0303;
    memcpy(sh.random, server_random, 32);
    sh.legacy_session_id_echo = sid;
    sh.cipher_suite = suite;
    sh.has_extensions = 1;
    sh.extensions = e;
    td_wr_init(&w, body, sizeof body);
    ck_assert_int_eq(td_server_hello_encode(&w, &sh), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &s), TD_OK);
    return mk_msg(buf, cap, TD_HS_SERVER_HELLO, s);
}

static int ext_of(td_span hello_msg, int server, uint16_t type, td_span *data)
{
    td_span body = sp(hello_msg.p + 4, hello_msg.len - 4);

    if (server) {
        td_server_hello sh;

        ck_assert_int_eq(td_server_hello_decode(body, &sh), TD_OK);
        return sh.has_extensions && td_ext_find(sh.extensions, type, data);
    } else {
        td_client_hello ch;

        ck_assert_int_eq(td_client_hello_decode(body, &ch), TD_OK);
        return ch.has_extensions && td_ext_find(ch.extensions, type, data);
    }
}

static td_span sh_session_id(td_span sh_msg, td_server_hello *sh)
{
    ck_assert_int_eq(td_server_hello_decode(sp(sh_msg.p + 4, sh_msg.len - 4),
                                            sh),
                     TD_OK);
    return sh->legacy_session_id_echo;
}


static const uint8_t ticket_T[32] = {
    0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54,
    0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54,
    0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54, 0x54};
static const uint8_t ticket_R[32] = {
    0x52, 0x01, 0x52, 0x02, 0x52, 0x03, 0x52, 0x04, 0x52, 0x05, 0x52,
    0x06, 0x52, 0x07, 0x52, 0x08, 0x52, 0x09, 0x52, 0x0a, 0x52, 0x0b,
    0x52, 0x0c, 0x52, 0x0d, 0x52, 0x0e, 0x52, 0x0f, 0x52, 0x10};
static const uint8_t sid_X[32] = {
    0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58,
    0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58,
    0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58};

/* RFC 5077 3.3 NewSessionTicket carrying ticket_R with the reference's
 * lifetime hint: 04 (new_session_ticket), 000026 (length 38 = 4 + 2 +
 * 32), 00001c20 (7200 s), 0020 (ticket length 32), ticket_R. */
static void nst_R(uint8_t out[42])
{
    static const uint8_t head[10] = {0x04, 0x00, 0x00, 0x26, 0x00,
                                     0x00, 0x1c, 0x20, 0x00, 0x20};

    memcpy(out, head, 10);
    memcpy(out + 10, ticket_R, 32);
}

/* ------------------------------------------------------------------------
 * 1. The server
 * ------------------------------------------------------------------------ */

/* The server's first flight for a ClientHello: its messages (the first
 * record's), and the records. */
static void server_answer(ref_end *r, td_span ch, recs *rr, msgs *m)
{
    size_t n;

    ck_assert_int_eq(td_conn_start(&r->c), TD_OK);
    ck_assert_int_eq(feed_msg(r, ch), TD_OK);
    n = from_ref(r, xbuf, sizeof xbuf);
    split_records(xbuf, n, rr);
    ck_assert_uint_ge(rr->n, 1);
    ck_assert_uint_eq(rr->type[0], TD_CT_HANDSHAKE);
    split_messages(sp(xbuf + rr->off[0] + 5, rr->len[0] - 5), m);
    ck_assert_uint_ge(m->n, 1);
    ck_assert_uint_eq(m->m[0].p[0], TD_HS_SERVER_HELLO);
}

/* RFC 5077 3.2 and 3.4, full handshake. _i = 0: tickets on and the
 * ClientHello has the extension: the ServerHello announces a ticket with
 * an empty SessionTicket extension and (3.4: "If a server is planning to
 * issue a NewSessionTicket, it SHOULD include an empty Session ID")
 * an empty session_id. _i = 1: no extension from the client: "The server
 * MUST NOT send this extension if it does not receive one in the
 * ClientHello"; the session gets a session_id instead (RFC 5246
 * 7.4.1.3). _i = 2: tickets off: the same as 1. */
START_TEST(test_server_announce)
{
    static td_session_cache cache;
    uint8_t chb[2048];
    ch_opts o = {{NULL, 0}, _i != 1, {NULL, 0}, 1};
    td_server_hello sh;
    td_profile p;
    td_world w;
    td_span d;
    ref_end *r;
    recs rr;
    msgs m;

    memset(&cache, 0, sizeof cache);
    td_test_profile(&p, PROFILE);
    p.tickets = _i != 2;
    td_world_init(&w, SEED);
    r = ref_new(&p, TD_ROLE_SERVER, &w, &cache);
    server_answer(r, mk_client_hello(chb, sizeof chb, &o), &rr, &m);
    /* a full handshake: ServerHello, Certificate, ServerKeyExchange,
     * ServerHelloDone (RFC 5246 7.3) */
    ck_assert_uint_eq(m.n, 4);
    ck_assert_uint_eq(m.m[1].p[0], TD_HS_CERTIFICATE);
    ck_assert_int_eq(r->c.state, TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE);
    if (_i == 0) {
        ck_assert(ext_of(m.m[0], 1, TD_EXT_SESSION_TICKET, &d));
        ck_assert_uint_eq(d.len, 0);
        ck_assert_uint_eq(sh_session_id(m.m[0], &sh).len, 0);
    } else {
        ck_assert(!ext_of(m.m[0], 1, TD_EXT_SESSION_TICKET, &d));
        ck_assert_uint_eq(sh_session_id(m.m[0], &sh).len, 32);
    }
    free(r);
    td_world_free(&w);
}
END_TEST

/* RFC 5077 3.1 Figure 2 and 3.4: a ClientHello presenting a ticket of a
 * session in the store, with a session ID of the client's own. The
 * server answers ServerHello (the client's session ID echoed: "If the
 * server accepts the ticket and the Session ID is not empty, then it MUST
 * respond with the same Session ID present in the ClientHello"; the empty
 * SessionTicket extension announcing the renewed ticket), NewSessionTicket,
 * ChangeCipherSpec, Finished (RFC 5246 7.3) with the session's master
 * secret. _i = 0: the client's Finished is right: connected, resumed, the
 * session back in the store under the new ticket only. _i = 1: it is
 * wrong: decrypt_error (RFC 5246 7.4.9) and the session is gone (RFC
 * 5246 7.2.2: "any connection terminated with a fatal alert MUST NOT be
 * resumed"). */
START_TEST(test_server_resume)
{
    static td_session_cache cache;
    static hm t;
    uint8_t chb[2048], got[64], sfin[16], cfin[16], nst[42], rec[256];
    ch_opts o = {{sid_X, 32}, 1, {ticket_T, 32}, 1};
    td_server_hello sh;
    td_span ch, d;
    td_profile p;
    td_world w;
    ref_end *r;
    keys12 k;
    recs rr;
    msgs m;
    size_t n, i;
    td_err e;

    memset(&cache, 0, sizeof cache);
    plant(&cache, 0, 1, 1, 0);
    td_test_profile(&p, PROFILE);
    td_world_init(&w, SEED);
    r = ref_new(&p, TD_ROLE_SERVER, &w, &cache);
    script_add(r, TD_DRAW_TICKET, sp(ticket_R, 32));
    t.len = 0;
    ch = mk_client_hello(chb, sizeof chb, &o);
    hm_add(&t, ch);
    server_answer(r, ch, &rr, &m);
    ck_assert_int_eq(r->c.state, TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC);
    /* the session is out of the store while the handshake runs */
    ck_assert_int_eq(cache.entry[0].valid, 0);
    /* [ServerHello NewSessionTicket] [ChangeCipherSpec] [Finished] */
    ck_assert_uint_eq(rr.n, 3);
    ck_assert_uint_eq(m.n, 2);
    ck_assert_uint_eq(rr.len[1], 6);
    ck_assert_mem_eq(xbuf + rr.off[1], ccs_record, 6);
    ck_assert_uint_eq(rr.type[2], TD_CT_HANDSHAKE);
    d = sh_session_id(m.m[0], &sh);
    ck_assert_uint_eq(d.len, 32);
    ck_assert_mem_eq(d.p, sid_X, 32);
    ck_assert_uint_eq(sh.cipher_suite, SUITE);
    ck_assert(ext_of(m.m[0], 1, TD_EXT_SESSION_TICKET, &d));
    ck_assert_uint_eq(d.len, 0);
    /* RFC 7627 5.3: the resumed session keeps the extended master secret */
    ck_assert(ext_of(m.m[0], 1, TD_EXT_EXTENDED_MASTER_SECRET, &d));
    nst_R(nst);
    ck_assert_uint_eq(m.m[1].len, sizeof nst);
    ck_assert_mem_eq(m.m[1].p, nst, sizeof nst);
    hm_add(&t, m.m[0]);
    hm_add(&t, m.m[1]);

    /* the server's Finished, under the keys of the planted master secret
     * (RFC 5246 6.3) */
    keys_from(&k, client_random, sh.random);
    n = open_rec(&k.server_write, xbuf + rr.off[2], rr.len[2], got,
                 sizeof got);
    finished_msg(&k, TD_KS12_SERVER, sp(t.b, t.len), sfin);
    ck_assert_uint_eq(n, 16);
    ck_assert_mem_eq(got, sfin, 16);
    hm_add(&t, sp(sfin, 16));

    finished_msg(&k, TD_KS12_CLIENT, sp(t.b, t.len), cfin);
    cfin[15] ^= (uint8_t)_i;
    ck_assert_int_eq(to_ref(r, ccs_record, sizeof ccs_record), TD_OK);
    n = seal(&k.client_write, TD_CT_HANDSHAKE, sp(cfin, 16), rec, sizeof rec);
    e = to_ref(r, rec, n);
    if (_i == 0) {
        ck_assert_int_eq(e, TD_OK);
        ck_assert_int_eq(r->c.state, TD_ST_CONNECTED);
        ck_assert_int_eq(r->c.params.resumed, 1);
        ck_assert_int_eq(r->c.params.ems, 1);
        ck_assert_uint_eq(r->c.params.cipher_suite, SUITE);
        ck_assert_int_eq(cache.entry[0].valid, 1);
        ck_assert_uint_eq(cache.entry[0].ticket_len, 32);
        ck_assert_mem_eq(cache.entry[0].ticket, ticket_R, 32);
        ck_assert_mem_eq(cache.entry[0].master_secret, planted_ms, 48);
        ck_assert_int_eq(cache.entry[0].ems, 1);
        /* the client's session ID is not a key into the store (RFC 5077
         * 3.4: "the server MUST NOT rely upon the Session ID having a
         * particular value") */
        ck_assert_uint_eq(cache.entry[0].session_id_len, 0);
    } else {
        ck_assert_int_ne(e, TD_OK);
        ck_failed_with(&r->c, TD_ALERT_DECRYPT_ERROR);
    }
    /* ticket_T served once: no entry holds it any more */
    for (i = 0; i < TD_SESSION_CACHE_MAX; i++)
        ck_assert(!(cache.entry[i].valid && cache.entry[i].ticket_len == 32 &&
                    memcmp(cache.entry[i].ticket, ticket_T, 32) == 0));
    if (_i == 1)
        for (i = 0; i < TD_SESSION_CACHE_MAX; i++)
            ck_assert_int_eq(cache.entry[i].valid, 0);
    free(r);
    td_world_free(&w);
}
END_TEST

/* RFC 5077 3.4: "If a ticket is presented by the client, the server MUST
 * NOT attempt to use the Session ID in the ClientHello for stateful
 * session resumption." The store holds a session under session_id X; the
 * ClientHello offers X with a ticket the server never issued. _i = 0:
 * tickets on: a full handshake (3.2: "If the server fails to verify the
 * ticket, then it falls back to performing a full handshake"), the
 * session X untouched. _i = 1: tickets off, the extension means nothing
 * to the server: it resumes X (RFC 5246 7.3), which shows the ClientHello
 * does name a resumable session. */
START_TEST(test_server_unknown_ticket)
{
    static td_session_cache cache;
    static const uint8_t sid49[32] = {
        0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49,
        0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49,
        0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49};
    uint8_t chb[2048];
    ch_opts o = {{sid49, 32}, 1, {ticket_R, 32}, 1};
    td_server_hello sh;
    td_profile p;
    td_world w;
    td_span d;
    ref_end *r;
    recs rr;
    msgs m;

    memset(&cache, 0, sizeof cache);
    plant(&cache, 0, 1, 0, 1); /* by session_id 49..49, no ticket */
    td_test_profile(&p, PROFILE);
    p.tickets = _i == 0;
    td_world_init(&w, SEED);
    r = ref_new(&p, TD_ROLE_SERVER, &w, &cache);
    server_answer(r, mk_client_hello(chb, sizeof chb, &o), &rr, &m);
    d = sh_session_id(m.m[0], &sh);
    if (_i == 0) {
        ck_assert_int_eq(r->c.state, TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE);
        ck_assert_int_eq(r->c.params.resumed, 0);
        ck_assert_uint_eq(m.m[1].p[0], TD_HS_CERTIFICATE);
        ck_assert(d.len != 32 || memcmp(d.p, sid49, 32) != 0);
        ck_assert_int_eq(cache.entry[0].valid, 1);
    } else {
        ck_assert_int_eq(r->c.state, TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC);
        ck_assert_int_eq(r->c.params.resumed, 1);
        ck_assert_uint_eq(d.len, 32);
        ck_assert_mem_eq(d.p, sid49, 32);
    }
    free(r);
    td_world_free(&w);
}
END_TEST

/* RFC 7627 5.3 for a session resumed by ticket. _i = 0: the session used
 * the extended master secret and the ClientHello does not offer it: "the
 * server MUST abort the abbreviated handshake" (5.2: "abort the
 * handshake" means "sending a fatal "handshake_failure" alert"). _i = 1: the session did not and the
 * ClientHello does: "the server MUST NOT perform the abbreviated
 * handshake. Instead, it SHOULD continue with a full handshake". */
START_TEST(test_server_ems)
{
    static td_session_cache cache;
    uint8_t chb[2048];
    ch_opts o = {{sid_X, 32}, 1, {ticket_T, 32}, _i == 1};
    td_profile p;
    td_world w;
    ref_end *r;
    size_t n;

    memset(&cache, 0, sizeof cache);
    plant(&cache, 0, _i == 0, 1, 0);
    td_test_profile(&p, PROFILE);
    td_world_init(&w, SEED);
    r = ref_new(&p, TD_ROLE_SERVER, &w, &cache);
    if (_i == 0) {
        ck_assert_int_eq(td_conn_start(&r->c), TD_OK);
        ck_assert_int_ne(feed_msg(r, mk_client_hello(chb, sizeof chb, &o)),
                         TD_OK);
        ck_failed_with(&r->c, TD_ALERT_HANDSHAKE_FAILURE);
    } else {
        recs rr;
        msgs m;

        server_answer(r, mk_client_hello(chb, sizeof chb, &o), &rr, &m);
        ck_assert_int_eq(r->c.state, TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE);
        ck_assert_int_eq(r->c.params.resumed, 0);
        /* ServerHello, Certificate, ServerKeyExchange, ServerHelloDone */
        n = m.n;
        ck_assert_uint_eq(n, 4);
    }
    free(r);
    td_world_free(&w);
}
END_TEST

/* ------------------------------------------------------------------------
 * 2. The client
 * ------------------------------------------------------------------------ */

/* The client's ClientHello (its first record holds only it). */
static td_span client_hello_of(ref_end *r, uint8_t *buf, size_t cap)
{
    size_t n;
    recs rr;
    msgs m;

    ck_assert_int_eq(td_conn_start(&r->c), TD_OK);
    n = from_ref(r, xbuf, sizeof xbuf);
    split_records(xbuf, n, &rr);
    ck_assert_uint_eq(rr.n, 1);
    split_messages(sp(xbuf + rr.off[0] + 5, rr.len[0] - 5), &m);
    ck_assert_uint_eq(m.n, 1);
    ck_assert_uint_eq(m.m[0].p[0], TD_HS_CLIENT_HELLO);
    ck_assert_uint_le(m.m[0].len, cap);
    memcpy(buf, m.m[0].p, m.m[0].len);
    return sp(buf, m.m[0].len);
}

/* What the ClientHello offers for the newest session of the store.
 * _i = 0: a session with a ticket and the extended master secret: the
 * ticket in the SessionTicket extension (RFC 5077 3.2) with a session ID
 * the client drew (3.4), and extended_master_secret. _i = 1: the session
 * did not use the extended master secret: not offered (RFC 7627 5.3: "The
 * client SHOULD NOT offer an abbreviated handshake to resume a session
 * that does not use an extended master secret"): an empty extension, no
 * session ID. _i = 2: tickets off: no extension at all (RFC 5077 3.1),
 * and a session with only a ticket has nothing else to offer. _i = 3: a
 * session with only a session_id: that ID (RFC 5246 7.4.1.2), an empty
 * extension. */
START_TEST(test_client_offer)
{
    static td_session_cache cache;
    static const uint8_t sid49[32] = {
        0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49,
        0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49,
        0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49};
    uint8_t chb[2048];
    td_client_hello ch;
    td_profile p;
    td_world w;
    td_span c, d;
    ref_end *r;
    int has;

    memset(&cache, 0, sizeof cache);
    plant(&cache, 0, _i != 1, _i != 3, _i == 3);
    td_test_profile(&p, PROFILE);
    p.tickets = _i != 2;
    td_world_init(&w, SEED);
    r = ref_new(&p, TD_ROLE_CLIENT, &w, &cache);
    script_add(r, TD_DRAW_SESSION_ID, sp(sid_X, 32));
    c = client_hello_of(r, chb, sizeof chb);
    ck_assert_int_eq(td_client_hello_decode(sp(c.p + 4, c.len - 4), &ch),
                     TD_OK);
    has = ext_of(c, 0, TD_EXT_SESSION_TICKET, &d);
    switch (_i) {
    case 0:
        ck_assert(has);
        ck_assert(ext_of(c, 0, TD_EXT_SESSION_TICKET, &d));
        ck_assert_uint_eq(d.len, 32);
        ck_assert_mem_eq(d.p, ticket_T, 32);
        ck_assert_uint_eq(ch.legacy_session_id.len, 32);
        ck_assert_mem_eq(ch.legacy_session_id.p, sid_X, 32);
        ck_assert(ext_of(c, 0, TD_EXT_EXTENDED_MASTER_SECRET, &d));
        break;
    case 1:
        ck_assert(has);
        ck_assert_uint_eq(d.len, 0);
        ck_assert_uint_eq(ch.legacy_session_id.len, 0);
        break;
    case 2:
        ck_assert(!has);
        ck_assert_uint_eq(ch.legacy_session_id.len, 0);
        break;
    default:
        ck_assert(has);
        ck_assert_uint_eq(d.len, 0);
        ck_assert_uint_eq(ch.legacy_session_id.len, 32);
        ck_assert_mem_eq(ch.legacy_session_id.p, sid49, 32);
        break;
    }
    free(r);
    td_world_free(&w);
}
END_TEST

/* RFC 5077 3.1 Figure 2 from the client's side: ServerHello echoing the
 * session ID the client drew (3.4) with the empty SessionTicket
 * extension, NewSessionTicket (ticket_R), ChangeCipherSpec, Finished; the
 * client answers ChangeCipherSpec and Finished (RFC 5246 7.3). _i = 0:
 * the server's Finished is right: connected, resumed, the session back in
 * the store with ticket_R ("The client MUST NOT treat the ticket as valid
 * until it has verified the server's Finished message", 3.3). _i = 1: it
 * is wrong: decrypt_error (RFC 5246 7.4.9), and the session is gone (RFC
 * 5077 3.2: "If the ticket is accepted by the server but the handshake
 * fails, the client SHOULD delete the ticket"). */
START_TEST(test_client_resume)
{
    static td_session_cache cache;
    static hm t;
    uint8_t chb[2048], shb[512], nst[42], sfin[16], cfin[16], got[64];
    uint8_t rec[256];
    td_profile p;
    td_world w;
    td_span sh;
    ref_end *r;
    keys12 k;
    recs rr;
    size_t n;
    td_err e;

    memset(&cache, 0, sizeof cache);
    plant(&cache, 0, 1, 1, 0);
    td_test_profile(&p, PROFILE);
    td_world_init(&w, SEED);
    r = ref_new(&p, TD_ROLE_CLIENT, &w, &cache);
    script_add(r, TD_DRAW_SESSION_ID, sp(sid_X, 32));
    t.len = 0;
    hm_add(&t, client_hello_of(r, chb, sizeof chb));
    sh = mk_server_hello(shb, sizeof shb, sp(sid_X, 32), SUITE, 1, 1);
    hm_add(&t, sh);
    ck_assert_int_eq(feed_msg(r, sh), TD_OK);
    ck_assert_int_eq(r->c.state, TD_ST_CLI12_WAIT_NEW_SESSION_TICKET);
    /* out of the store while the handshake runs */
    ck_assert_int_eq(cache.entry[0].valid, 0);
    nst_R(nst);
    hm_add(&t, sp(nst, sizeof nst));
    ck_assert_int_eq(feed_msg(r, sp(nst, sizeof nst)), TD_OK);
    ck_assert_int_eq(r->c.state, TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC);
    ck_assert_int_eq(to_ref(r, ccs_record, sizeof ccs_record), TD_OK);

    keys_from(&k, r->c.client_random, server_random);
    finished_msg(&k, TD_KS12_SERVER, sp(t.b, t.len), sfin);
    hm_add(&t, sp(sfin, 16));
    sfin[15] ^= (uint8_t)_i;
    n = seal(&k.server_write, TD_CT_HANDSHAKE, sp(sfin, 16), rec, sizeof rec);
    e = to_ref(r, rec, n);
    if (_i == 1) {
        ck_assert_int_ne(e, TD_OK);
        ck_failed_with(&r->c, TD_ALERT_DECRYPT_ERROR);
        ck_assert_int_eq(cache.entry[0].valid, 0);
    } else {
        char why[160];

        describe_conn(&r->c, why, sizeof why);
        ck_assert_msg(e == TD_OK && r->c.state == TD_ST_CONNECTED, "%s", why);
        ck_assert_int_eq(r->c.params.resumed, 1);
        ck_assert_int_eq(r->c.params.peer_verified, 1); /* the session's */
        /* its ChangeCipherSpec and Finished */
        n = from_ref(r, xbuf, sizeof xbuf);
        split_records(xbuf, n, &rr);
        ck_assert_uint_eq(rr.n, 2);
        ck_assert_mem_eq(xbuf + rr.off[0], ccs_record, 6);
        n = open_rec(&k.client_write, xbuf + rr.off[1], rr.len[1], got,
                     sizeof got);
        finished_msg(&k, TD_KS12_CLIENT, sp(t.b, t.len), cfin);
        ck_assert_uint_eq(n, 16);
        ck_assert_mem_eq(got, cfin, 16);
        /* the session, renewed */
        ck_assert_int_eq(cache.entry[0].valid, 1);
        ck_assert_uint_eq(cache.entry[0].ticket_len, 32);
        ck_assert_mem_eq(cache.entry[0].ticket, ticket_R, 32);
        ck_assert_uint_eq(cache.entry[0].ticket_lifetime_hint, 7200);
        ck_assert_mem_eq(cache.entry[0].master_secret, planted_ms, 48);
        ck_assert_uint_eq(cache.entry[0].session_id_len, 0);
    }
    free(r);
    td_world_free(&w);
}
END_TEST

/* The server's answers to a ticket offer that the client refuses or takes
 * as a full handshake. The client offers SUITE and
 * TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (c02f).
 * _i = 0: the echo of the session ID with c02f, not the session's suite:
 *         illegal_parameter (RFC 5246 7.4.1.3: "For resumed sessions, this
 *         field is the value from the state of the session being
 *         resumed").
 * _i = 1: the echo without extended_master_secret for a session that used
 *         it: RFC 7627 5.3 "the client MUST abort the handshake"
 *         (5.2: with a fatal handshake_failure).
 * _i = 2: the echo without the SessionTicket extension, then a
 *         NewSessionTicket: RFC 5077 3.3 "This message MUST NOT be sent if
 *         the server did not include a SessionTicket extension in the
 *         ServerHello": unexpected_message (RFC 5246 7.4).
 * _i = 3: another session ID: the server fell back to a full handshake
 *         (RFC 5077 3.2, 3.4): the client waits for a Certificate and the
 *         stored session stays. */
START_TEST(test_client_resume_neg)
{
    static td_session_cache cache;
    static const uint8_t sid59[32] = {
        0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59,
        0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59,
        0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59};
    uint8_t chb[2048], shb[512], nst[42];
    td_profile p;
    td_world w;
    td_span sh;
    ref_end *r;
    td_err e;

    memset(&cache, 0, sizeof cache);
    plant(&cache, 0, 1, 1, 0);
    td_test_profile(&p, PROFILE);
    p.side[TD_ROLE_CLIENT].suites.v[1] = 0xc02f;
    p.side[TD_ROLE_CLIENT].suites.n = 2;
    td_world_init(&w, SEED);
    r = ref_new(&p, TD_ROLE_CLIENT, &w, &cache);
    script_add(r, TD_DRAW_SESSION_ID, sp(sid_X, 32));
    (void)client_hello_of(r, chb, sizeof chb);
    sh = mk_server_hello(shb, sizeof shb, sp(_i == 3 ? sid59 : sid_X, 32),
                         _i == 0 ? 0xc02f : SUITE, _i != 1, _i != 2);
    e = feed_msg(r, sh);
    switch (_i) {
    case 0:
        ck_assert_int_ne(e, TD_OK);
        ck_failed_with(&r->c, TD_ALERT_ILLEGAL_PARAMETER);
        break;
    case 1:
        ck_assert_int_ne(e, TD_OK);
        ck_failed_with(&r->c, TD_ALERT_HANDSHAKE_FAILURE);
        break;
    case 2:
        ck_assert_int_eq(e, TD_OK);
        ck_assert_int_eq(r->c.state, TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC);
        nst_R(nst);
        ck_assert_int_ne(feed_msg(r, sp(nst, sizeof nst)), TD_OK);
        ck_failed_with(&r->c, TD_ALERT_UNEXPECTED_MESSAGE);
        break;
    default:
        ck_assert_int_eq(e, TD_OK);
        ck_assert_int_eq(r->c.state, TD_ST_CLI12_WAIT_CERTIFICATE);
        ck_assert_int_eq(r->c.params.resumed, 0);
        ck_assert_int_eq(cache.entry[0].valid, 1);
        ck_assert_mem_eq(cache.entry[0].ticket, ticket_T, 32);
        break;
    }
    free(r);
    td_world_free(&w);
}
END_TEST

/* RFC 5077 3.3 and 3.4 in a full handshake whose ServerHello gave the
 * session ID 59..59 and announced a ticket. The NewSessionTicket is fed
 * in the state that awaits it (the Certificate .. Finished part of the
 * handshake is skipped by setting the state: it plays no part here).
 * _i = 0: a zero-length ticket ("If the server determines that it does
 * not want to include a ticket after it has included the SessionTicket
 * extension in the ServerHello, then it sends a zero-length ticket"): the
 * session keeps its session ID and has no ticket. _i = 1: ticket_R:
 * kept, and "If the client receives a session ticket from the server,
 * then it discards any Session ID that was sent in the ServerHello." */
START_TEST(test_client_ticket_replaces_id)
{
    /* 04 000006 00001c20 0000: lifetime 7200, empty ticket */
    static const uint8_t empty_nst[10] = {0x04, 0x00, 0x00, 0x06, 0x00,
                                          0x00, 0x1c, 0x20, 0x00, 0x00};
    static const uint8_t sid59[32] = {
        0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59,
        0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59,
        0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59};
    uint8_t chb[2048], shb[512], nst[42];
    const td_session12 *s;
    td_profile p;
    td_world w;
    ref_end *r;

    td_test_profile(&p, PROFILE);
    td_world_init(&w, SEED);
    r = ref_new(&p, TD_ROLE_CLIENT, &w, NULL);
    (void)client_hello_of(r, chb, sizeof chb);
    ck_assert_int_eq(feed_msg(r, mk_server_hello(shb, sizeof shb,
                                                 sp(sid59, 32), SUITE, 1, 1)),
                     TD_OK);
    ck_assert_int_eq(r->c.state, TD_ST_CLI12_WAIT_CERTIFICATE);
    r->c.state = TD_ST_CLI12_WAIT_NEW_SESSION_TICKET;
    nst_R(nst);
    ck_assert_int_eq(feed_msg(r, _i == 0 ? sp(empty_nst, sizeof empty_nst)
                                         : sp(nst, sizeof nst)),
                     TD_OK);
    ck_assert_int_eq(r->c.state, TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC);
    s = &r->c.hs12.session;
    if (_i == 0) {
        ck_assert_uint_eq(s->ticket_len, 0);
        ck_assert_uint_eq(s->session_id_len, 32);
        ck_assert_mem_eq(s->session_id, sid59, 32);
    } else {
        ck_assert_uint_eq(s->ticket_len, 32);
        ck_assert_mem_eq(s->ticket, ticket_R, 32);
        ck_assert_uint_eq(s->ticket_lifetime_hint, 7200);
        ck_assert_uint_eq(s->session_id_len, 0);
    }
    free(r);
    td_world_free(&w);
}
END_TEST

/* ------------------------------------------------------------------------
 * 3. Against wolfSSL, and reference against reference
 * ------------------------------------------------------------------------ */

static td_subject *wolf_new(const td_profile *p, td_role role, td_world *w)
{
    td_subject *s = NULL;
    td_err e = td_subject_new(TD_IMPL_WOLFSSL, role, p, w, &s);

    ck_assert_msg(e == TD_OK, "wolfSSL %s: %s", td_role_name(role),
                  td_subject_last_error());
    return s;
}

static size_t from_wolf(td_subject *s, uint8_t *buf, size_t cap)
{
    size_t n = 0, k;

    while (td_subject_pending(s) && n < cap) {
        td_subject_drain(s, buf + n, cap - n, &k);
        n += k;
    }
    return n;
}

/* Everything the reference endpoint sent, and the first ClientHello the
 * client sent (either implementation). */
static uint8_t ref_log[1 << 16];
static size_t ref_log_len;
static uint8_t client_hello_rec[4096];
static size_t client_hello_rec_len;

static void log_ref(const uint8_t *p, size_t n)
{
    ck_assert_uint_le(ref_log_len + n, sizeof ref_log);
    memcpy(ref_log + ref_log_len, p, n);
    ref_log_len += n;
}

static void log_client_hello(const uint8_t *p, size_t n)
{
    if (client_hello_rec_len == 0 && n >= 6 && p[0] == TD_CT_HANDSHAKE &&
        p[5] == TD_HS_CLIENT_HELLO && n <= sizeof client_hello_rec) {
        memcpy(client_hello_rec, p, n);
        client_hello_rec_len = n;
    }
}

/* Exchange bytes until nothing moves. */
static void run_pair(ref_end *r, td_subject *s, int ref_is_client)
{
    int round;

    ref_log_len = 0;
    client_hello_rec_len = 0;
    ck_assert_int_eq(td_conn_start(&r->c), TD_OK);
    if (!ref_is_client)
        ck_assert_int_eq(td_subject_feed(s, NULL, 0), TD_OK);
    for (round = 0; round < 64; round++) {
        size_t n = from_ref(r, xbuf, sizeof xbuf);
        int moved = n != 0;

        log_ref(xbuf, n);
        if (ref_is_client)
            log_client_hello(xbuf, n);
        if (n)
            ck_assert_int_eq(td_subject_feed(s, xbuf, n), TD_OK);
        n = from_wolf(s, xbuf, sizeof xbuf);
        moved |= n != 0;
        if (!ref_is_client)
            log_client_hello(xbuf, n);
        (void)to_ref(r, xbuf, n); /* the outcome is in the state */
        if (!moved)
            break;
    }
}

static void describe(ref_end *r, td_subject *s, char *out, size_t cap)
{
    td_state st;
    char d[128], c[160];

    td_subject_state(s, &st);
    td_state_describe(&st, d, sizeof d);
    describe_conn(&r->c, c, sizeof c);
    snprintf(out, cap, "reference %s, wolfSSL %s", c, d);
}

static int done_both(ref_end *r, td_subject *s)
{
    td_state st;

    td_subject_state(s, &st);
    return r->c.state == TD_ST_CONNECTED && st.handshake_done &&
           st.verdict == TD_VERDICT_CONTINUE;
}

/* Application data both ways (RFC 5246 6.2). */
static int app_both_ways(ref_end *r, td_subject *s)
{
    static const char up[] = "GET / from the reference",
                      down[] = "200 OK from wolfSSL";
    uint8_t got[128];
    size_t n, k;

    if (td_conn_write_app(&r->c, sp((const uint8_t *)up, strlen(up))) !=
        TD_OK)
        return 0;
    n = from_ref(r, xbuf, sizeof xbuf);
    if (td_subject_feed(s, xbuf, n) != TD_OK)
        return 0;
    td_subject_read_app(s, got, sizeof got, &k);
    if (k != strlen(up) || memcmp(got, up, k) != 0)
        return 0;
    if (td_subject_write_app(s, (const uint8_t *)down, strlen(down)) != TD_OK)
        return 0;
    n = from_wolf(s, xbuf, sizeof xbuf);
    if (to_ref(r, xbuf, n) != TD_OK)
        return 0;
    td_conn_read_app(&r->c, got, sizeof got, &k);
    return k == strlen(down) && memcmp(got, down, k) == 0;
}

/* The plaintext handshake messages in the reference's log, in order,
 * up to its first ChangeCipherSpec; *ccs_after says which message the
 * ChangeCipherSpec followed (its index + 1). */
static void logged_messages(msgs *m, size_t *ccs_after)
{
    static uint8_t payload[1 << 16];
    size_t i, len = 0;
    recs rr;

    split_records(ref_log, ref_log_len, &rr);
    *ccs_after = 0;
    for (i = 0; i < rr.n && rr.type[i] != TD_CT_CHANGE_CIPHER_SPEC; i++) {
        ck_assert_uint_eq(rr.type[i], TD_CT_HANDSHAKE);
        memcpy(payload + len, ref_log + rr.off[i] + 5, rr.len[i] - 5);
        len += rr.len[i] - 5;
    }
    split_messages(sp(payload, len), m);
    if (i < rr.n)
        *ccs_after = m->n;
}

/* The reference server, wolfSSL's client, profile tls12-resume-ticket:
 * round 0 a full handshake (RFC 5077 3.1 Figure 1: the empty SessionTicket
 * extension and session_id in the ServerHello, the NewSessionTicket right
 * before the ChangeCipherSpec), rounds 1 and 2 resumptions by the ticket
 * of the round before (Figure 2: ServerHello, NewSessionTicket,
 * ChangeCipherSpec), each renewing it. */
START_TEST(test_interop_server)
{
    static td_session_cache cache;
    static uint8_t blob[16384];
    uint8_t prev[32], nst_head[10] = {0x04, 0x00, 0x00, 0x26, 0x00,
                                      0x00, 0x1c, 0x20, 0x00, 0x20};
    size_t blob_len = 0, i;
    td_profile p;
    td_world w;
    int round;

    td_test_profile(&p, PROFILE);
    td_world_init(&w, SEED);
    memset(&cache, 0, sizeof cache);
    for (round = 0; round < 3; round++) {
        ref_end *r = ref_new(&p, TD_ROLE_SERVER, &w, &cache);
        td_subject *s = wolf_new(&p, TD_ROLE_CLIENT, &w);
        td_server_hello sh;
        td_state st;
        td_span d;
        size_t ccs_after, slot;
        char why[512];
        msgs m;

        if (round > 0)
            ck_assert_int_eq(td_subject_set_session(s, blob, blob_len), TD_OK);
        run_pair(r, s, 0);
        describe(r, s, why, sizeof why);
        ck_assert_msg(done_both(r, s), "round %d: %s", round, why);
        td_subject_state(s, &st);
        ck_assert_int_eq(r->c.params.resumed, round > 0);
        ck_assert_int_eq(st.resumed, round > 0);
        ck_assert(app_both_ways(r, s));
        logged_messages(&m, &ccs_after);
        ck_assert(ext_of(m.m[0], 1, TD_EXT_SESSION_TICKET, &d));
        ck_assert_uint_eq(d.len, 0);
        if (round == 0) {
            /* SH, Certificate, SKE, SHD, NewSessionTicket | CCS */
            ck_assert_uint_eq(m.n, 5);
            ck_assert_uint_eq(sh_session_id(m.m[0], &sh).len, 0);
        } else {
            td_client_hello ch;

            /* SH, NewSessionTicket | CCS; the client's session ID echoed */
            ck_assert_uint_eq(m.n, 2);
            ck_assert_uint_ge(client_hello_rec_len, 9);
            ck_assert_int_eq(td_client_hello_decode(
                                 sp(client_hello_rec + 9,
                                    client_hello_rec_len - 9),
                                 &ch),
                             TD_OK);
            d = sh_session_id(m.m[0], &sh);
            ck_assert_uint_eq(d.len, ch.legacy_session_id.len);
            if (d.len)
                ck_assert_mem_eq(d.p, ch.legacy_session_id.p, d.len);
        }
        ck_assert_uint_eq(ccs_after, m.n);
        ck_assert_uint_eq(m.m[m.n - 1].len, 42);
        ck_assert_mem_eq(m.m[m.n - 1].p, nst_head, 10);
        /* the store: one session, under the ticket just sent */
        slot = td_hs12_session_by_ticket(&cache, sp(m.m[m.n - 1].p + 10, 32));
        ck_assert_uint_ne(slot, 0);
        ck_assert_int_eq(cache.entry[slot - 1].ems, 1);
        ck_assert_uint_eq(cache.entry[slot - 1].session_id_len, 0);
        /* round 0's ticket was drawn at another point of the server's
         * stream than round 1's (after the key exchange's draws); the
         * renewal replaced it. (Rounds 1 and 2 draw theirs at the same
         * point of a stream every reference connection of the world
         * starts afresh: the same bytes.) */
        if (round == 1) {
            ck_assert(memcmp(prev, m.m[m.n - 1].p + 10, 32) != 0);
            ck_assert_uint_eq(td_hs12_session_by_ticket(&cache, sp(prev, 32)),
                              0);
        }
        memcpy(prev, m.m[m.n - 1].p + 10, 32);
        for (i = 0, slot = 0; i < TD_SESSION_CACHE_MAX; i++)
            slot += cache.entry[i].valid != 0;
        ck_assert_uint_eq(slot, 1);
        ck_assert_int_eq(
            td_subject_export_session(s, blob, sizeof blob, &blob_len), TD_OK);
        td_subject_free(s);
        free(r);
    }
    td_world_free(&w);
}
END_TEST

/* The reference client, wolfSSL's server. Round 0: a full handshake
 * whose ticket the client keeps in place of the session ID (RFC 5077
 * 3.4). Round 1: the client presents the stored ticket (3.2) with a
 * session ID of its own, and the server resumes: every wolfSSL server of
 * a world encrypts tickets under the same keys (td_subject_wolfssl.c,
 * set_ticket_keys), so the second subject opens the first one's ticket. */
START_TEST(test_interop_client)
{
    static td_session_cache cache;
    uint8_t offered[TD_SESSION12_TICKET_MAX];
    size_t offered_len = 0;
    td_profile p;
    td_world w;
    int round;

    td_test_profile(&p, PROFILE);
    td_world_init(&w, SEED);
    memset(&cache, 0, sizeof cache);
    for (round = 0; round < 2; round++) {
        ref_end *r = ref_new(&p, TD_ROLE_CLIENT, &w, &cache);
        td_subject *s = wolf_new(&p, TD_ROLE_SERVER, &w);
        td_client_hello ch;
        td_state st;
        td_span d;
        char why[512];
        size_t k, n = 0;

        run_pair(r, s, 1);
        describe(r, s, why, sizeof why);
        ck_assert_msg(done_both(r, s), "round %d: %s", round, why);
        td_subject_state(s, &st);
        ck_assert_int_eq(r->c.params.resumed, round);
        ck_assert_int_eq(st.resumed, round);
        ck_assert_int_eq(r->c.params.peer_verified, 1);
        ck_assert(app_both_ways(r, s));
        ck_assert_uint_ge(client_hello_rec_len, 9);
        ck_assert(ext_of(sp(client_hello_rec + 5, client_hello_rec_len - 5),
                         0, TD_EXT_SESSION_TICKET, &d));
        ck_assert_uint_eq(d.len, offered_len);
        if (offered_len)
            ck_assert_mem_eq(d.p, offered, offered_len);
        ck_assert_int_eq(td_client_hello_decode(sp(client_hello_rec + 9,
                                                   client_hello_rec_len - 9),
                                                &ch),
                         TD_OK);
        ck_assert_uint_eq(ch.legacy_session_id.len, round == 1 ? 32 : 0);
        if (round == 0) {
            /* one session in the store: wolfSSL's ticket, no session ID */
            for (k = 0; k < TD_SESSION_CACHE_MAX; k++)
                if (cache.entry[k].valid) {
                    n++;
                    ck_assert_uint_gt(cache.entry[k].ticket_len, 0);
                    ck_assert_uint_eq(cache.entry[k].session_id_len, 0);
                    ck_assert_int_eq(cache.entry[k].ems, 1);
                    offered_len = cache.entry[k].ticket_len;
                    memcpy(offered, cache.entry[k].ticket, offered_len);
                }
            ck_assert_uint_eq(n, 1);
        } else {
            /* the new session is the newest entry, resumable by what
             * wolfSSL gave it */
            const td_session12 *e =
                &cache.entry[(cache.next + TD_SESSION_CACHE_MAX - 1) %
                             TD_SESSION_CACHE_MAX];

            ck_assert_int_eq(e->valid, 1);
            ck_assert(e->ticket_len > 0 || e->session_id_len > 0);
        }
        td_subject_free(s);
        free(r);
    }
    td_world_free(&w);
}
END_TEST

/* The profile through td_pump_profile (as tlsdiff matrix runs it), every
 * pairing of client and server: a full handshake, then a resumption that
 * both sides report. */
START_TEST(test_pump_pairs)
{
    static const td_impl pairs[4][2] = {
        {TD_IMPL_WOLFSSL, TD_IMPL_REF},
        {TD_IMPL_REF, TD_IMPL_REF},
        {TD_IMPL_REF, TD_IMPL_WOLFSSL},
        {TD_IMPL_WOLFSSL, TD_IMPL_WOLFSSL},
    };
    td_transcript t = {0};
    td_run_result res;
    td_profile p;
    td_world w;

    td_test_profile(&p, PROFILE);
    td_world_init(&w, SEED);
    ck_assert_int_eq(td_pump_profile(pairs[_i][0], pairs[_i][1], &p, &w, &t,
                                     &res),
                     TD_OK);
    ck_assert_msg(res.ok, "client %s, server %s: %s",
                  td_impl_name(pairs[_i][0]), td_impl_name(pairs[_i][1]),
                  res.why);
    ck_assert(res.has_resumed);
    ck_assert(res.resumed.client.resumed && res.resumed.server.resumed);
    ck_assert(!res.first.client.resumed && !res.first.server.resumed);
    td_transcript_free(&t);
    td_world_free(&w);
}
END_TEST

/* Reference against reference: three handshakes, then the first
 * connection's ticket presented again: the server renewed it at the
 * first resumption, so it is unknown and the handshake is a full one
 * (RFC 5077 3.2). */
START_TEST(test_ref_ref)
{
    static td_session_cache client_cache, server_cache, replay;
    uint8_t first[32];
    td_profile p;
    td_world w;
    int round;

    td_test_profile(&p, PROFILE);
    td_world_init(&w, SEED);
    memset(&client_cache, 0, sizeof client_cache);
    memset(&server_cache, 0, sizeof server_cache);
    for (round = 0; round < 4; round++) {
        ref_end *c = ref_new(&p, TD_ROLE_CLIENT, &w,
                             round == 3 ? &replay : &client_cache);
        ref_end *s = ref_new(&p, TD_ROLE_SERVER, &w, &server_cache);
        int i;

        ck_assert_int_eq(td_conn_start(&c->c), TD_OK);
        ck_assert_int_eq(td_conn_start(&s->c), TD_OK);
        for (i = 0; i < 32; i++) {
            size_t n = from_ref(c, xbuf, sizeof xbuf), m;

            (void)to_ref(s, xbuf, n);
            m = from_ref(s, xbuf, sizeof xbuf);
            (void)to_ref(c, xbuf, m);
            if (n == 0 && m == 0)
                break;
        }
        ck_assert_msg(c->c.state == TD_ST_CONNECTED &&
                          s->c.state == TD_ST_CONNECTED,
                      "round %d: client %s (%s), server %s (%s)", round,
                      td_hs_state_name(c->c.state), c->c.failure.why,
                      td_hs_state_name(s->c.state), s->c.failure.why);
        ck_assert_int_eq(c->c.params.resumed, round == 1 || round == 2);
        ck_assert_int_eq(s->c.params.resumed, round == 1 || round == 2);
        if (round == 0) {
            ck_assert_uint_eq(client_cache.entry[0].ticket_len, 32);
            memcpy(first, client_cache.entry[0].ticket, 32);
            replay = client_cache;
        }
        free(c);
        free(s);
    }
    (void)first;
    td_world_free(&w);
}
END_TEST

Suite *td_engine_tls12_ticket_suite(void);

Suite *td_engine_tls12_ticket_suite(void)
{
    Suite *s = suite_create("engine_tls12_ticket");
    TCase *tc = tcase_create("server");

    tcase_add_loop_test(tc, test_server_announce, 0, 3);
    tcase_add_loop_test(tc, test_server_resume, 0, 2);
    tcase_add_loop_test(tc, test_server_unknown_ticket, 0, 2);
    tcase_add_loop_test(tc, test_server_ems, 0, 2);
    suite_add_tcase(s, tc);
    tc = tcase_create("client");
    tcase_add_loop_test(tc, test_client_offer, 0, 4);
    tcase_add_loop_test(tc, test_client_resume, 0, 2);
    tcase_add_loop_test(tc, test_client_resume_neg, 0, 4);
    tcase_add_loop_test(tc, test_client_ticket_replaces_id, 0, 2);
    suite_add_tcase(s, tc);
    tc = tcase_create("interop");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_interop_server);
    tcase_add_test(tc, test_interop_client);
    tcase_add_loop_test(tc, test_pump_pairs, 0, 4);
    tcase_add_test(tc, test_ref_ref);
    suite_add_tcase(s, tc);
    return s;
}
