/*
 * The TLS 1.3 server's tickets, PSK resumption and 0-RTT decision (RFC
 * 8446 2.2, 4.2.9 - 4.2.11, 4.6.1, 8).
 *
 * Tickets are stateful (4.6.1: the ticket "MAY be either a database
 * lookup key or a self-encrypted and self-authenticated value"): random
 * bytes, the key of an entry of cfg->session13_cache that holds
 *     PSK = HKDF-Expand-Label(resumption_master_secret,
 *                             "resumption", ticket_nonce, Hash.length)
 * with the suite, ticket_lifetime, ticket_age_add, max_early_data_size,
 * the time of issue and the ALPN protocol of the connection. The ticket
 * bytes, ticket_age_add and ticket_nonce are drawn (TD_DRAW_TICKET, in
 * the order ticket_age_add, ticket_nonce, ticket; a scripted nonce or
 * ticket may have any length, so a replay can issue a trace's). One
 * ticket per connection, after the client Finished, when cfg->tickets is
 * set and the client's psk_key_exchange_modes hold one we accept (4.2.9:
 * "Servers SHOULD NOT send NewSessionTicket with tickets that are not
 * compatible with the advertised modes"). An unscripted ticket is
 *     SHA-256(32 drawn bytes || Transcript-Hash(ClientHello...client
 *             Finished))
 * so that two handshakes that differ get different tickets even when
 * their random streams repeat (a deterministic test world may start each
 * connection of a party at the same point of its stream): the store is
 * keyed by the ticket, and a ticket naming two PSKs would fail the
 * binder of one of them.
 *
 * Selection (4.2.11, "Implementor's note"): the cipher suite is chosen
 * first; then the first identity that is one of our live tickets (not
 * older than its ticket_lifetime) whose suite has that suite's hash
 * ("Any ticket MUST only be resumed with a cipher suite that has the same
 * KDF hash algorithm", 4.6.1); "Any unknown PSKs ... SHOULD simply be
 * ignored. If no acceptable PSKs are found, the server SHOULD perform a
 * non-PSK handshake if possible." A server that requires client
 * authentication takes only tickets of client-authenticated sessions
 * (the ticket carries that state, 4.6.1; a PSK handshake has no
 * CertificateRequest, 4.3.2). Only that identity's binder is checked
 * ("Servers SHOULD NOT attempt to validate multiple binders"), over
 *     Transcript-Hash(Truncate(ClientHello1))
 * or, after a HelloRetryRequest,
 *     Transcript-Hash(ClientHello1, HelloRetryRequest,
 *                     Truncate(ClientHello2))
 * (4.2.11.2); "If this value is not present or does not validate, the
 * server MUST abort the handshake" (decrypt_error, 6.2). The mode
 * (4.2.9): psk_dhe_ke when the client offers it, we allow it and a group
 * fits; else psk_ke when offered and allowed; else no PSK ("Servers MUST
 * NOT select a key exchange mode that is not listed by the client").
 *
 * The ticket age is lenient for resumption: a client's age that does not
 * fit our clock does not stop a 1-RTT resumption (4.2.10 only asks the
 * server to "reject 0-RTT" then). For 0-RTT it must be within
 * AGE_TOLERANCE_MS of the time since issue (4.2.10 "MUST validate that
 * the ticket age ... is within a small tolerance", 8.3).
 *
 * 0-RTT (4.2.10) is accepted only when cfg->accept_early_data is set and
 * the PSK is the client's first identity, the ticket allows early data,
 * the suite and the ALPN protocol are the ticket's, the age is within
 * the tolerance, and there was no HelloRetryRequest; the ticket is then
 * used up (8.1 single-use tickets: the anti-replay defence). Otherwise
 * early data offered is refused and skipped (td_conn.c).
 *
 * cfg->max_early_data puts early_data in the tickets even when 0-RTT is
 * then refused (RFC 8448 section 3's ticket carries max_early_data_size
 * 1024): 4.6.1 only says the ticket "may be used to send 0-RTT data",
 * and 4.2.10 leaves every server free to "Ignore the extension and
 * return a regular 1-RTT response" -- the refusal is then the skipping
 * above, up to that same max_early_data_size.
 */
#include "td_hs_server13.h"

#include <string.h>

#define DEFAULT_LIFETIME 7200u    /* seconds */
#define MAX_LIFETIME 604800u      /* RFC 8446 4.6.1: 7 days */
#define DEFAULT_NONCE_LEN 8u
#define DEFAULT_TICKET_LEN 32u
#define AGE_TOLERANCE_MS 10000u   /* RFC 8446 8.3 "small tolerance" */
#define MODE_KE (1u << TD_PSK_KE)
#define MODE_DHE (1u << TD_PSK_DHE_KE)

static uint64_t now_ms(const td_conn *c)
{
    return c->cfg->now * 1000u;
}

static unsigned allowed_modes(const td_conn *c)
{
    unsigned m = c->cfg->psk_modes & (MODE_KE | MODE_DHE);

    return m ? m : MODE_KE | MODE_DHE;
}

static uint64_t server_age(const td_conn *c, const td_session13 *s)
{
    uint64_t now = now_ms(c);

    return now > s->time_ms ? now - s->time_ms : 0;
}

static int same_hash(uint16_t a, uint16_t b)
{
    td_ks_suite sa, sb;

    return td_ks_suite_find(a, &sa) == TD_OK &&
           td_ks_suite_find(b, &sb) == TD_OK && sa.version == 0x0304 &&
           sb.version == 0x0304 && sa.hash == sb.hash;
}

/* The entry of cfg->session13_cache for a ticket, or -1. */
static int find_ticket(const td_conn *c, td_span identity, uint16_t suite)
{
    const td_session13_cache *cache = c->cfg->session13_cache;
    size_t k;

    for (k = 0; cache && k < TD_SESSION13_CACHE_MAX; k++) {
        const td_session13 *s = &cache->entry[k];

        if (s->valid && s->ticket_len == identity.len &&
            memcmp(s->ticket, identity.p, identity.len) == 0 &&
            server_age(c, s) <= (uint64_t)s->ticket_lifetime * 1000u &&
            same_hash(s->cipher_suite, suite) &&
            (c->cfg->client_auth != TD_CLIENT_AUTH_REQUIRE ||
             s->peer_verified))
            return (int)k;
    }
    return -1;
}

td_err td_srv13_psk_choose(const td_conn *c, const td_ch13 *x,
                           td_srv13_choice *out)
{
    unsigned modes = x->psk_modes & allowed_modes(c);
    td_rd ids, binders;
    td_psk_identity id;
    uint16_t i = 0;
    int got, k = -1;

    out->early_data_offered = x->early_data_present;
    out->psk = 0;
    if (!x->psk_present || !(modes & (MODE_KE | MODE_DHE)))
        return TD_OK;
    td_rd_init_span(&ids, x->psk.identities);
    for (;;) {
        TRY(td_psk_identity_next(&ids, &id, &got));
        if (!got)
            return TD_OK; /* none of ours: a full handshake (4.2.11) */
        k = find_ticket(c, id.identity, out->cipher_suite);
        if (k >= 0)
            break;
        i++;
    }
    if ((modes & MODE_DHE) && out->group != 0)
        out->psk_ke_mode = TD_PSK_DHE_KE;
    else if (modes & MODE_KE)
        out->psk_ke_mode = TD_PSK_KE;
    else
        return TD_OK; /* psk_dhe_ke only, and no group fits */
    out->psk_identity = i;
    /* its binder, the i-th (the codec checked the counts are equal) */
    td_rd_init_span(&binders, x->psk.binders);
    for (;;) {
        TRY(td_psk_binder_next(&binders, &out->psk_binder, &got));
        ENSURE(got, TD_ERR_INTERNAL);
        if (i-- == 0)
            break;
    }
    out->psk = 1;
    out->psk_entry = (size_t)k;
    out->obfuscated_ticket_age = id.obfuscated_ticket_age;
    out->binders_len = td_ext_pre_shared_key_binders_len(&x->psk);
    return TD_OK;
}

/* RFC 8446 4.2.10 (the top of this file): may we take the 0-RTT data? */
static int early_acceptable(const td_conn *c, const td_srv13_choice *ch,
                            const td_session13 *s)
{
    /* RFC 8446 4.2.11.1: age = obfuscated_ticket_age - ticket_age_add
     * mod 2^32 */
    uint32_t client_age = ch->obfuscated_ticket_age - s->ticket_age_add;
    uint64_t ours = server_age(c, s);
    uint64_t diff = ours > client_age ? ours - client_age : client_age - ours;

    return c->cfg->accept_early_data && ch->early_data_offered &&
           ch->psk_identity == 0 && !c->hrr_done &&
           s->max_early_data_size > 0 &&
           s->cipher_suite == ch->cipher_suite &&
           s->alpn_len == ch->alpn.len &&
           (s->alpn_len == 0 ||
            memcmp(s->alpn, ch->alpn.p, s->alpn_len) == 0) &&
           diff <= AGE_TOLERANCE_MS;
}

td_err td_srv13_psk_accept(td_conn *c, const td_srv13_choice *choice)
{
    td_session13_cache *cache = c->cfg->session13_cache;
    const td_session13 *s;
    uint8_t th[TD_HASH_MAX_LEN];
    td_ks_suite suite;
    td_ks13 ks;
    td_span psk, h;
    td_err e;

    if (!choice->psk)
        return TD_OK;
    ENSURE(cache && choice->psk_entry < TD_SESSION13_CACHE_MAX,
           TD_ERR_INTERNAL);
    s = &cache->entry[choice->psk_entry];
    TRY(td_ks_suite_find(choice->cipher_suite, &suite));
    ENSURE(choice->binders_len <= c->transcript_len, TD_ERR_INTERNAL);
    /* RFC 8446 4.2.11.2: the transcript ends with this ClientHello;
     * Truncate() takes its binders list off */
    TRY(td_conn_transcript_hash(c, suite.hash,
                                c->transcript_len - choice->binders_len, th));
    h.p = th;
    h.len = td_hash_len(suite.hash);
    psk.p = s->psk;
    psk.len = s->psk_len;
    e = td_ks13_init(&ks, suite.hash);
    if (e == TD_OK)
        e = td_ks13_early_secret(&ks, psk);
    /* RFC 8446 4.2.11: "If this value is not present or does not
     * validate, the server MUST abort the handshake" (decrypt_error, 6.2:
     * "including ... a PSK binder") */
    if (e == TD_OK)
        e = td_ks13_binder_check(&ks, TD_KS13_PSK_RESUMPTION, h,
                                 choice->psk_binder);
    td_ks13_wipe(&ks);
    TRY(e);
    c->psk = *s;
    c->psk_state = TD_PSK_ACCEPTED;
    c->psk_ke_mode = choice->psk_ke_mode;
    c->params.resumed = 1;
    c->params.peer_verified = s->peer_verified;
    c->params.client_auth = s->peer_verified;
    if (early_acceptable(c, choice, s)) {
        c->early_state = TD_EARLY_ACCEPTED;
        c->early_left = s->max_early_data_size;
        /* RFC 8446 8.1: a single-use ticket, so the 0-RTT data cannot be
         * replayed */
        td_secure_zero(&cache->entry[choice->psk_entry],
                       sizeof cache->entry[0]);
    }
    return TD_OK;
}

void td_srv13_early_refuse(td_conn *c, int after_hrr)
{
    /* RFC 8446 4.2.10: skip "up to the configured max_early_data_size"
     * (td_conn.c) */
    c->early_state = TD_EARLY_REJECTED;
    c->early_skip = after_hrr ? TD_EARLY_SKIP_APP_DATA : TD_EARLY_SKIP_TRIAL;
    c->early_skip_left = c->cfg->max_early_data;
}

/* ------------------------------------------------------------------------
 * NewSessionTicket (RFC 8446 4.6.1)
 *
 *     struct {
 *         uint32 ticket_lifetime;
 *         uint32 ticket_age_add;
 *         opaque ticket_nonce<0..255>;
 *         opaque ticket<1..2^16-1>;
 *         Extension extensions<0..2^16-2>;
 *     } NewSessionTicket;
 * ------------------------------------------------------------------------ */

/* The length of the next scripted TD_DRAW_TICKET item (0: none). */
static size_t scripted_len(const td_conn *c)
{
    const td_draw_script *s = c->cfg->script;
    size_t i, seen = 0;

    for (i = 0; s && i < s->n && i < TD_DRAW_SCRIPT_MAX; i++) {
        if (s->item[i].what != TD_DRAW_TICKET)
            continue;
        if (seen++ < c->script_used[TD_DRAW_TICKET])
            continue;
        return s->item[i].len;
    }
    return 0;
}

/* A drawn field of the scripted length (within [lo, cap]) or n. */
static td_err draw_var(td_conn *c, uint8_t *out, size_t lo, size_t cap,
                       size_t n, size_t *len)
{
    size_t want = scripted_len(c);

    if (want >= lo && want <= cap)
        n = want;
    TRY(td_conn_draw(c, TD_DRAW_TICKET, out, n));
    *len = n;
    return TD_OK;
}

/* The ticket: scripted, or SHA-256(drawn || transcript hash) (the top of
 * this file). */
static td_err draw_ticket(td_conn *c, td_session13 *s)
{
    uint8_t in[DEFAULT_TICKET_LEN + TD_HASH_MAX_LEN];
    size_t want = scripted_len(c), hl = td_hash_len(c->suite.hash);
    td_span all = {in, DEFAULT_TICKET_LEN + hl};

    if (want >= 1 && want <= sizeof s->ticket)
        return draw_var(c, s->ticket, 1, sizeof s->ticket, want,
                        &s->ticket_len);
    TRY(td_conn_draw(c, TD_DRAW_TICKET, in, DEFAULT_TICKET_LEN));
    TRY(td_conn_transcript_hash(c, c->suite.hash, c->transcript_len,
                                in + DEFAULT_TICKET_LEN));
    TRY(td_hash(TD_HASH_SHA256, all, s->ticket));
    s->ticket_len = td_hash_len(TD_HASH_SHA256);
    return TD_OK;
}

static td_err nst_body(const td_session13 *s, td_span nonce, uint8_t *buf,
                       size_t cap, td_span *out)
{
    uint8_t exts[16];
    td_new_session_ticket13 nst;
    td_wr w;

    td_wr_init(&w, exts, sizeof exts);
    if (s->max_early_data_size > 0) {
        td_ext_any e;

        td_hs_ext_init(&e, TD_EXT_EARLY_DATA);
        e.u.early_data.max_early_data_size = s->max_early_data_size;
        TRY(td_hs_ext_put(&w, TD_EXT_CTX_NEW_SESSION_TICKET, &e));
    }
    memset(&nst, 0, sizeof nst);
    TRY(td_wr_finish(&w, &nst.extensions));
    nst.ticket_lifetime = s->ticket_lifetime;
    nst.ticket_age_add = s->ticket_age_add;
    nst.ticket_nonce = nonce;
    nst.ticket.p = s->ticket;
    nst.ticket.len = s->ticket_len;
    td_wr_init(&w, buf, cap);
    TRY(td_new_session_ticket13_encode(&w, &nst));
    return td_wr_finish(&w, out);
}

td_err td_srv13_send_ticket(td_conn *c)
{
    td_session13_cache *cache = c->cfg->session13_cache;
    uint8_t age_add[4], nonce[255], body[TD_SESSION13_TICKET_MAX + 300];
    uint32_t lifetime = c->cfg->ticket_lifetime;
    size_t nonce_len, saved = c->transcript_len;
    td_session13 s;
    td_span n, b;
    td_rd r;
    td_err e;

    if (!c->cfg->tickets || !cache ||
        !(c->psk_modes_offered & allowed_modes(c)))
        return TD_OK; /* RFC 8446 4.2.9 (the top of this file) */
    memset(&s, 0, sizeof s);
    TRY(td_conn_draw(c, TD_DRAW_TICKET, age_add, sizeof age_add));
    td_rd_init(&r, age_add, sizeof age_add);
    TRY(td_rd_u32(&r, &s.ticket_age_add));
    TRY(draw_var(c, nonce, 0, sizeof nonce, DEFAULT_NONCE_LEN, &nonce_len));
    TRY(draw_ticket(c, &s));
    n.p = nonce;
    n.len = nonce_len;
    /* RFC 8446 4.6.1: "Servers MUST NOT use any value greater than
     * 604800 seconds" */
    if (lifetime == 0)
        lifetime = DEFAULT_LIFETIME;
    s.ticket_lifetime = lifetime > MAX_LIFETIME ? MAX_LIFETIME : lifetime;
    s.max_early_data_size = c->cfg->max_early_data;
    s.cipher_suite = c->params.cipher_suite;
    s.time_ms = now_ms(c);
    s.peer_verified = c->params.peer_verified;
    memcpy(s.alpn, c->alpn, c->alpn_len);
    s.alpn_len = c->alpn_len;
    e = td_ks13_ticket_psk(&c->ks13, n, s.psk);
    s.psk_len = td_hash_len(c->suite.hash);
    if (e == TD_OK)
        e = nst_body(&s, n, body, sizeof body, &b);
    /* a post-handshake message: not in the transcript (RFC 8446 4.4.1) */
    if (e == TD_OK)
        e = td_conn_send_handshake(c, TD_HS_NEW_SESSION_TICKET, b);
    td_conn_transcript_set_len(c, saved);
    if (e == TD_OK)
        e = td_conn_flush(c);
    if (e == TD_OK) {
        s.valid = 1;
        cache->entry[cache->next % TD_SESSION13_CACHE_MAX] = s;
        cache->next = (cache->next + 1) % TD_SESSION13_CACHE_MAX;
    }
    td_secure_zero(&s, sizeof s);
    return e;
}

td_err td_conn_send_ticket(td_conn *c)
{
    ENSURE(c->cfg->role == TD_ROLE_SERVER && c->state == TD_ST_CONNECTED &&
               c->params.version == 0x0304,
           TD_ERR_INTERNAL);
    return td_srv13_send_ticket(c);
}
