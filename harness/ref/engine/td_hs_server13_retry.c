/*
 * The TLS 1.3 HelloRetryRequest (RFC 8446 4.1.4) with its cookie (4.2.2),
 * and the second ClientHello that must answer it (4.1.2, 4.4.1). The
 * rules are quoted at the top of td_hs_server13.c.
 *
 * The cookie is HMAC-SHA256(key, SHA-256(ClientHello1)) under a key drawn
 * once per connection (TD_DRAW_COOKIE); a replay may script the cookie
 * bytes themselves instead (td_conn.h). The server is stateful: the
 * cookie is only compared with what it sent.
 */
#include "td_hs_server13.h"

#include <string.h>

/* ------------------------------------------------------------------------
 * HelloRetryRequest (RFC 8446 4.1.4)
 * ------------------------------------------------------------------------ */

/* The length of the next scripted TD_DRAW_COOKIE item (0: none), in the
 * order td_conn_draw hands them out. */
static size_t scripted_cookie_len(const td_conn *c)
{
    const td_draw_script *s = c->cfg->script;
    size_t i, seen = 0;

    if (!s)
        return 0;
    for (i = 0; i < s->n && i < TD_DRAW_SCRIPT_MAX; i++) {
        if (s->item[i].what != TD_DRAW_COOKIE)
            continue;
        if (seen++ < c->script_used[TD_DRAW_COOKIE])
            continue;
        return s->item[i].len;
    }
    return 0;
}

static td_err make_cookie(td_conn *c)
{
    size_t scripted = scripted_cookie_len(c);
    uint8_t key[32], th[TD_HASH_MAX_LEN];
    td_span k = {key, sizeof key}, h = {th, 32};
    td_err e;

    if (scripted > 0 && scripted <= sizeof c->cookie) {
        TRY(td_conn_draw(c, TD_DRAW_COOKIE, c->cookie, scripted));
        c->cookie_len = scripted;
        return TD_OK;
    }
    TRY(td_conn_draw(c, TD_DRAW_COOKIE, key, sizeof key));
    e = td_conn_transcript_hash(c, TD_HASH_SHA256, c->transcript_len, th);
    if (e == TD_OK)
        e = td_hmac(TD_HASH_SHA256, k, h, c->cookie);
    td_secure_zero(key, sizeof key);
    TRY(e);
    c->cookie_len = 32;
    return TD_OK;
}

td_err td_srv13_send_hrr(td_conn *c, const td_srv13_choice *choice)
{
    const td_ext_ctx ctx = TD_EXT_CTX_HELLO_RETRY_REQUEST;
    uint8_t exts[600];
    td_wr w;
    td_span block;
    td_ks_suite suite;
    td_ext_any e;

    TRY(td_ks_suite_find(choice->cipher_suite, &suite));
    c->suite = suite;
    c->params.cipher_suite = choice->cipher_suite;
    c->params.group = choice->group; /* pinned for the second ClientHello */
    if (c->cfg->hrr_cookie)
        TRY(make_cookie(c));

    /* RFC 8446 4.1.4: key_share (selected_group), cookie, and the
     * mandatory supported_versions; nothing the client did not offer */
    td_wr_init(&w, exts, sizeof exts);
    td_hs_ext_init(&e, TD_EXT_KEY_SHARE);
    e.u.key_share.selected_group = choice->group;
    TRY(td_hs_ext_put(&w, ctx, &e));
    if (c->cookie_len) {
        td_hs_ext_init(&e, TD_EXT_COOKIE);
        e.u.cookie.cookie.p = c->cookie;
        e.u.cookie.cookie.len = c->cookie_len;
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    /* RFC 8446 4.1.4: "The server's extensions MUST contain
     * "supported_versions"" (selected_version 0x0304, 4.2.1) */
    TRY(td_srv13_ext_selected_version(&w, ctx));
    TRY(td_wr_finish(&w, &block));
    /* RFC 8446 4.1.4: "the HelloRetryRequest has the same format as a
     * ServerHello message", its random the special value of 4.1.3 */
    TRY(td_srv13_send_server_hello(c, td_hrr_random, choice->cipher_suite,
                                   block));
    c->hrr_done = 1;
    /* RFC 8446 4.2.10: the client's 0-RTT, if any, is skipped as
     * application_data records until the second ClientHello */
    if (choice->early_data_offered)
        td_srv13_early_refuse(c, 1);
    /* RFC 8446 D.4: the compatibility CCS right after the first handshake
     * message, here the HelloRetryRequest (it flushes) */
    if (c->session_id_len)
        TRY(td_conn_send_ccs(c));
    else
        TRY(td_conn_flush(c));
    c->state = TD_ST_SRV_WAIT_SECOND_CLIENT_HELLO;
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * The second ClientHello (RFC 8446 4.1.2)
 * ------------------------------------------------------------------------ */

/* ClientHello1, still first in the transcript: its bytes and decoding. */
static td_err first_client_hello(const td_conn *c, td_span *raw,
                                 td_client_hello *ch1)
{
    td_rd r, whole;
    uint8_t type;
    uint32_t len;
    td_span body;

    td_rd_init(&r, c->transcript, c->transcript_len);
    whole = r;
    TRY(td_rd_u8(&r, &type));
    TRY(td_rd_u24(&r, &len));
    TRY(td_rd_span(&r, len, &body));
    ENSURE(type == TD_HS_CLIENT_HELLO, TD_ERR_INTERNAL);
    TRY(td_rd_span(&whole, 4 + (size_t)len, raw));
    return td_client_hello_decode(body, ch1);
}

static int span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* Extensions a second ClientHello may change (RFC 8446 4.1.2); the
 * cookie only when the HelloRetryRequest carried one. */
static int may_change(uint16_t type, int we_sent_cookie)
{
    return type == TD_EXT_KEY_SHARE || type == TD_EXT_EARLY_DATA ||
           type == TD_EXT_PRE_SHARED_KEY || type == TD_EXT_PADDING ||
           (type == TD_EXT_COOKIE && we_sent_cookie);
}

/* The extensions of block `a` that the second ClientHello may not change,
 * each present in block `b` with the same extension_data; *n = how many.
 * The order is not compared: RFC 8446 4.2 lets extensions "appear in any
 * order" (only pre_shared_key is pinned, last), and clients rebuild the
 * second ClientHello (wolfSSL does, in another order). */
static td_err fixed_in(td_span a, td_span b, int cookie, size_t *n)
{
    td_ext_iter it;
    uint16_t type;
    td_span da, db;
    int got;

    *n = 0;
    td_ext_iter_init(&it, a);
    for (;;) {
        TRY(td_ext_iter_next(&it, &type, &da, &got));
        if (!got)
            return TD_OK;
        if (may_change(type, cookie))
            continue;
        ENSURE(td_ext_find(b, type, &db) && span_eq(da, db),
               TD_ALERT_ILLEGAL_PARAMETER);
        (*n)++;
    }
}

/* RFC 8446 4.1.2: "the client MUST send the same ClientHello without
 * modification, except as follows" (the top of td_hs_server13.c). A
 * second ClientHello that is not the first with those changes is
 * illegal_parameter (RFC 8446 6.2: "A field in the handshake was
 * incorrect or inconsistent with other fields"). */
static td_err same_hello(const td_client_hello *a, const td_client_hello *b,
                         int cookie)
{
    size_t na, nb;

    ENSURE(a->legacy_version == b->legacy_version &&
               memcmp(a->random, b->random, TD_RANDOM_LEN) == 0 &&
               span_eq(a->legacy_session_id, b->legacy_session_id) &&
               span_eq(a->cipher_suites, b->cipher_suites) &&
               span_eq(a->legacy_compression_methods,
                       b->legacy_compression_methods) &&
               a->has_extensions == b->has_extensions,
           TD_ALERT_ILLEGAL_PARAMETER);
    /* every fixed extension of each is in the other, unchanged */
    TRY(fixed_in(a->extensions, b->extensions, cookie, &na));
    TRY(fixed_in(b->extensions, a->extensions, cookie, &nb));
    ENSURE(na == nb, TD_ALERT_ILLEGAL_PARAMETER);
    return TD_OK;
}

/* Replace ClientHello1 (the first ch1_len transcript bytes) by its
 * message_hash (RFC 8446 4.4.1). */
static td_err rewrite_transcript(td_conn *c, size_t ch1_len)
{
    uint8_t mh[4 + TD_HASH_MAX_LEN];
    td_span ch1 = {c->transcript, ch1_len}, m;
    size_t tail = c->transcript_len - ch1_len;
    td_wr w;

    td_wr_init(&w, mh, sizeof mh);
    TRY(td_ks13_message_hash(c->suite.hash, ch1, &w));
    TRY(td_wr_finish(&w, &m));
    ENSURE(m.len + tail <= sizeof c->transcript, TD_ERR_NOSPACE);
    memmove(c->transcript + m.len, c->transcript + ch1_len, tail);
    memcpy(c->transcript, m.p, m.len);
    td_conn_transcript_set_len(c, m.len + tail);
    return TD_OK;
}

static td_err second_client_hello(td_conn *c, const td_handshake *msg)
{
    td_client_hello ch1, ch2;
    td_span raw1;
    td_ch13 x;
    td_srv13_choice choice;
    td_rd shares;
    td_key_share_entry e;
    int got;

    TRY(td_client_hello_decode(msg->body, &ch2));
    TRY(first_client_hello(c, &raw1, &ch1));
    TRY(same_hello(&ch1, &ch2, c->cookie_len > 0)); /* RFC 8446 4.1.2 */
    TRY(td_srv13_ch_parse(&ch2, &x));
    /* RFC 8446 4.2.2: "When sending the new ClientHello, the client MUST
     * copy the contents of the extension received in the
     * HelloRetryRequest into a "cookie" extension in the new
     * ClientHello." Missing or different: not the ClientHello 4.1.2
     * allows, illegal_parameter. */
    if (c->cookie_len) {
        td_span ours = {c->cookie, c->cookie_len};

        ENSURE(x.cookie_present && span_eq(x.cookie, ours),
               TD_ALERT_ILLEGAL_PARAMETER);
    }
    /* RFC 8446 4.1.2: "Early data is not permitted after a
     * HelloRetryRequest." */
    ENSURE(!x.early_data_present, TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 8446 4.1.2, 4.2.8: a list "containing a single KeyShareEntry
     * from the indicated group" */
    ENSURE(x.shares_present, TD_ALERT_ILLEGAL_PARAMETER);
    td_rd_init_span(&shares, x.shares);
    TRY(td_key_share_entry_next(&shares, &e, &got));
    ENSURE(got && e.group == c->params.group && td_rd_left(&shares) == 0,
           TD_ALERT_ILLEGAL_PARAMETER);
    TRY(td_srv13_ch_check(&ch2, &x));
    TRY(td_srv13_choose(c, &ch2, &x, &choice));
    /* RFC 8446 4.1.4: "Servers MUST ensure that they negotiate the same
     * cipher suite when receiving a conformant updated ClientHello" */
    ENSURE(choice.cipher_suite == c->params.cipher_suite &&
               choice.group == c->params.group && choice.have_share,
           TD_ALERT_ILLEGAL_PARAMETER);
    TRY(rewrite_transcript(c, raw1.len)); /* RFC 8446 4.4.1 */
    return td_srv13_send_flight(c, &choice);
}

td_err td_srv13_on_second_client_hello(td_conn *c, const td_handshake *msg,
                                       size_t before)
{
    td_err e;

    (void)before; /* ClientHello1 is found from the transcript's start */
    e = second_client_hello(c, msg);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "second ClientHello");
    return TD_OK;
}
