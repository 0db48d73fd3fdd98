/*
 * The TLS 1.3 client's tickets, PSK resumption and 0-RTT (RFC 8446 2.2,
 * 2.3, 4.2.9 - 4.2.11, 4.5, 4.6.1).
 *
 *        ClientHello
 *        + key_share*
 *        + early_data*
 *        + psk_key_exchange_modes
 *        + pre_shared_key          -------->
 *        (Application Data*)
 *                                                         ServerHello
 *                                                    + pre_shared_key
 *                                                        + key_share*
 *                                               {EncryptedExtensions}
 *                                                       + early_data*
 *                                  <--------                {Finished}
 *        (EndOfEarlyData)
 *        {Finished}                -------->
 *
 * Tickets: RFC 8446 4.6.1, the PSK of a ticket is
 *     HKDF-Expand-Label(resumption_master_secret,
 *                       "resumption", ticket_nonce, Hash.length)
 * computed when the NewSessionTicket arrives and kept with the ticket in
 * cfg->session13_cache (with its suite, lifetime, ticket_age_add,
 * max_early_data_size, the time it arrived, ALPN and SNI).
 *
 * The offer (4.2.11): the newest ticket that is no older than its
 * ticket_lifetime (4.2.11.1: "Clients MUST NOT attempt to use tickets
 * which have ages greater than the "ticket_lifetime" value"), whose
 * cipher suite we offer (4.6.1: "Any ticket MUST only be resumed with a
 * cipher suite that has the same KDF hash algorithm") and whose SNI is
 * ours (4.6.1: "SHOULD only resume if the SNI value matches"), taken
 * out of the store (C.4: "Clients SHOULD NOT reuse a ticket"). One
 * identity, with
 *     obfuscated_ticket_age = (age in ms + ticket_age_add) mod 2^32
 * (4.2.11.1) and its binder (4.2.11.2):
 *     binder_key = Derive-Secret(Early Secret, "res binder", "")
 *     binder = HMAC(finished_key(binder_key),
 *                   Transcript-Hash(Truncate(ClientHello1)))
 * where Truncate() removes the binders list; after a HelloRetryRequest
 * the hash is Transcript-Hash(ClientHello1, HelloRetryRequest,
 * Truncate(ClientHello2)) with ClientHello1 as message_hash (4.4.1).
 *
 * 0-RTT (4.2.10) is offered when cfg->early_data is set and the ticket
 * has max_early_data_size > 0; the data (td_conn_write_early) goes under
 *     client_early_traffic_secret = Derive-Secret(Early Secret,
 *                                       "c e traffic", ClientHello)
 * with the ticket's suite, and is "immediately after the first
 * ClientHello" preceded by the compatibility CCS in that mode (D.4).
 */
#include "td_hs_client13_psk.h"

#include <string.h>

#define TLS13 0x0304u
#define MAX_LIFETIME 604800u /* RFC 8446 4.6.1: 7 days */
#define MODE_KE (1u << TD_PSK_KE)
#define MODE_DHE (1u << TD_PSK_DHE_KE)

static uint64_t now_ms(const td_conn *c)
{
    return c->cfg->now * 1000u;
}

/* The ticket's age in ms by our clock (0 if it seems to come from the
 * future). */
static uint64_t ticket_age(const td_conn *c, const td_session13 *s)
{
    uint64_t now = now_ms(c);

    return now > s->time_ms ? now - s->time_ms : 0;
}

unsigned td_cli13_psk_modes(const td_conn *c)
{
    unsigned m = c->cfg->psk_modes & (MODE_KE | MODE_DHE);

    return m ? m : MODE_DHE;
}

static td_err psk_modes_ext(const td_conn *c, td_wr *w)
{
    uint8_t modes[2];
    size_t n = 0;
    unsigned m = td_cli13_psk_modes(c);
    td_ext_psk_key_exchange_modes pm;

    /* RFC 8446 4.2.9; psk_dhe_ke first: the one we prefer */
    if (m & MODE_DHE)
        modes[n++] = TD_PSK_DHE_KE;
    if (m & MODE_KE)
        modes[n++] = TD_PSK_KE;
    pm.ke_modes.p = modes;
    pm.ke_modes.len = n;
    return td_ext_psk_key_exchange_modes_encode(w, TD_EXT_CTX_CLIENT_HELLO,
                                                &pm);
}

/* The suite entry of a ticket (TD_ERR_NOT_FOUND if not a TLS 1.3 one). */
static td_err psk_suite(const td_session13 *s, td_ks_suite *out)
{
    TRY(td_ks_suite_find(s->cipher_suite, out));
    ENSURE(out->version == TLS13, TD_ERR_NOT_FOUND);
    return TD_OK;
}

static int usable(const td_conn *c, const td_session13 *s)
{
    td_ks_suite suite;

    return s->valid && s->ticket_len > 0 &&
           s->ticket_len <= sizeof s->ticket &&
           psk_suite(s, &suite) == TD_OK &&
           s->psk_len == td_hash_len(suite.hash) &&
           td_cli_offered_suite(c, s->cipher_suite) &&
           ticket_age(c, s) <= (uint64_t)s->ticket_lifetime * 1000u &&
           strcmp(s->sni, c->cfg->sni) == 0;
}

td_err td_cli13_psk_offer(td_conn *c)
{
    td_session13_cache *cache = c->cfg->session13_cache;
    td_session13 *best = NULL;
    td_ks_suite suite;
    td_span psk;
    size_t i;

    if (!cache)
        return TD_OK;
    for (i = 0; i < TD_SESSION13_CACHE_MAX && !best; i++) {
        size_t k = (cache->next + TD_SESSION13_CACHE_MAX - 1 - i) %
                   TD_SESSION13_CACHE_MAX;

        if (usable(c, &cache->entry[k]))
            best = &cache->entry[k];
    }
    if (!best)
        return TD_OK;
    TRY(psk_suite(best, &suite));
    c->psk = *best;
    c->psk_state = TD_PSK_OFFERED;
    /* RFC 8446 C.4: "Clients SHOULD NOT reuse a ticket for multiple
     * connections" (the server sends a new one with each, "Servers
     * SHOULD issue new tickets with every connection") */
    td_secure_zero(best, sizeof *best);
    /* the PSK's hash for the binder; the ticket's suite for 0-RTT
     * (RFC 8446 4.2.10: "the parameters ... associated with the PSK") */
    c->suite = suite;
    psk.p = c->psk.psk;
    psk.len = c->psk.psk_len;
    td_ks13_wipe(&c->ks13);
    TRY(td_ks13_init(&c->ks13, suite.hash));
    TRY(td_ks13_early_secret(&c->ks13, psk));
    if (c->cfg->early_data && c->psk.max_early_data_size > 0) {
        c->early_state = TD_EARLY_OFFERED;
        c->early_left = c->psk.max_early_data_size;
    }
    return TD_OK;
}

static td_err psk_ext(const td_conn *c, td_wr *w)
{
    uint8_t ids[TD_SESSION13_TICKET_MAX + 8], binders[1 + TD_HASH_MAX_LEN];
    td_ext_pre_shared_key ext;
    td_ks_suite suite;
    td_span ticket = {c->psk.ticket, c->psk.ticket_len};
    td_wr iw, bw;
    td_wr_mark m;
    size_t hl, i;

    TRY(psk_suite(&c->psk, &suite));
    hl = td_hash_len(suite.hash);
    memset(&ext, 0, sizeof ext);
    td_wr_init(&iw, ids, sizeof ids);
    TRY(td_wr_open16(&iw, &m));
    TRY(td_wr_span(&iw, ticket));
    TRY(td_wr_close(&iw, &m));
    /* RFC 8446 4.2.11.1: (age in ms + ticket_age_add) mod 2^32 */
    TRY(td_wr_u32(&iw, (uint32_t)(ticket_age(c, &c->psk) +
                                  c->psk.ticket_age_add)));
    TRY(td_wr_finish(&iw, &ext.identities));
    /* the binder, zeroed here, filled by td_cli13_psk_bind */
    td_wr_init(&bw, binders, sizeof binders);
    TRY(td_wr_u8(&bw, (uint32_t)hl));
    for (i = 0; i < hl; i++)
        TRY(td_wr_u8(&bw, 0));
    TRY(td_wr_finish(&bw, &ext.binders));
    return td_ext_pre_shared_key_encode(w, TD_EXT_CTX_CLIENT_HELLO, &ext);
}

td_err td_cli13_psk_ext_data(const td_conn *c, uint16_t type, td_wr *w)
{
    td_ext_early_data ed = {0}; /* RFC 8446 4.2.10: empty in CH */

    if (type == TD_EXT_PSK_KEY_EXCHANGE_MODES)
        return psk_modes_ext(c, w);
    if (type == TD_EXT_PRE_SHARED_KEY)
        return psk_ext(c, w);
    ENSURE(type == TD_EXT_EARLY_DATA, TD_ERR_INTERNAL);
    return td_ext_early_data_encode(w, TD_EXT_CTX_CLIENT_HELLO, &ed);
}

td_err td_cli13_psk_bind(td_conn *c, uint8_t *body, size_t len)
{
    uint8_t hdr[TD_HANDSHAKE_HEADER_LEN], th[TD_HASH_MAX_LEN];
    uint8_t binder[TD_HASH_MAX_LEN];
    size_t saved = c->transcript_len, hl, cut;
    td_ks_suite suite;
    td_span h, s;
    td_wr w;
    td_err e;

    TRY(psk_suite(&c->psk, &suite));
    hl = td_hash_len(suite.hash);
    cut = 2 + 1 + hl; /* binders<33..2^16-1> holding one PskBinderEntry */
    ENSURE(len >= cut, TD_ERR_INTERNAL);
    /* RFC 8446 4.2.11.2: Transcript-Hash(..., Truncate(ClientHello)),
     * the lengths "set as if binders of the correct lengths were
     * present": the header says the whole body */
    td_wr_init(&w, hdr, sizeof hdr);
    TRY(td_wr_u8(&w, TD_HS_CLIENT_HELLO));
    TRY(td_wr_u24(&w, (uint32_t)len));
    TRY(td_wr_finish(&w, &s));
    e = td_conn_transcript_add(c, s);
    if (e == TD_OK) {
        s.p = body;
        s.len = len - cut;
        e = td_conn_transcript_add(c, s);
    }
    if (e == TD_OK)
        e = td_conn_transcript_hash(c, suite.hash, c->transcript_len, th);
    td_conn_transcript_set_len(c, saved);
    TRY(e);
    h.p = th;
    h.len = hl;
    TRY(td_ks13_binder(&c->ks13, TD_KS13_PSK_RESUMPTION, h, binder));
    /* pre_shared_key is last, its one binder the body's last bytes */
    td_wr_init(&w, body + len - hl, hl);
    e = td_wr_bytes(&w, binder, hl);
    td_secure_zero(binder, sizeof binder);
    return e;
}

td_err td_cli13_early_start(td_conn *c)
{
    uint8_t th[TD_HASH_MAX_LEN];
    td_span h = {th, td_hash_len(c->suite.hash)};

    if (c->early_state != TD_EARLY_OFFERED)
        return TD_OK;
    /* RFC 8446 D.4: "If offering early data, the record is placed
     * immediately after the first ClientHello." */
    if (c->session_id_len > 0) {
        TRY(td_conn_send_ccs(c));
        c->compat_ccs_sent = 1;
    }
    /* RFC 8446 7.1: Derive-Secret(Early Secret, "c e traffic",
     * ClientHello), and "e exp master" likewise */
    TRY(td_conn_transcript_hash(c, c->suite.hash, c->transcript_len, th));
    TRY(td_ks13_client_early_traffic_secret(&c->ks13, h));
    TRY(td_ks13_early_exporter_master_secret(&c->ks13, h));
    td_hs_keylog13(c, TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET);
    return td_hs13_install(c, TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET, 1);
}

td_err td_cli13_psk_on_hrr(td_conn *c, const td_ks_suite *suite)
{
    if (c->early_state == TD_EARLY_OFFERED) {
        /* RFC 8446 4.1.2: "Early data is not permitted after a
         * HelloRetryRequest"; the second ClientHello is plaintext */
        TRY(td_conn_flush(c));
        td_protect_reset(&c->write);
        c->write_mode.protection = TD_RECORD_PLAINTEXT;
        c->early_state = TD_EARLY_REJECTED;
        c->early_left = 0;
        td_ks13_end_of_early_data(&c->ks13);
    }
    if (c->psk_state == TD_PSK_OFFERED) {
        td_ks_suite ps;

        TRY(psk_suite(&c->psk, &ps));
        if (!suite || ps.hash != suite->hash) {
            c->psk_state = TD_PSK_NONE;
            td_ks13_wipe(&c->ks13);
        }
    }
    return TD_OK;
}

td_err td_cli13_psk_on_server_hello(td_conn *c, const td_server_hello *sh,
                                    const td_ks_suite *suite, int *dhe)
{
    td_ext_pre_shared_key psk;
    td_ks_suite ps;
    td_span data;
    unsigned modes = td_cli13_psk_modes(c);
    int key_share = td_ext_find(sh->extensions, TD_EXT_KEY_SHARE, &data);
    td_err e;

    *dhe = 1;
    if (!td_ext_find(sh->extensions, TD_EXT_PRE_SHARED_KEY, &data)) {
        /* a full handshake: the ticket is declined */
        if (c->psk_state == TD_PSK_OFFERED)
            td_ks13_wipe(&c->ks13);
        c->psk_state = TD_PSK_NONE;
        return TD_OK;
    }
    /* only when offered: td_hs_client.c checked it (4.2,
     * unsupported_extension) */
    ENSURE(c->psk_state == TD_PSK_OFFERED, TD_ERR_INTERNAL);
    e = td_ext_pre_shared_key_decode(data, TD_EXT_CTX_SERVER_HELLO13, &psk);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "ServerHello: pre_shared_key");
    TRY(psk_suite(&c->psk, &ps));
    /* RFC 8446 4.2.11: "Clients MUST verify that the server's
     * selected_identity is within the range supplied by the client, that
     * the server selected a cipher suite indicating a Hash associated
     * with the PSK, and that a server "key_share" extension is present
     * if required by the ClientHello "psk_key_exchange_modes"
     * extension. If these values are not consistent, the client MUST
     * abort the handshake with an "illegal_parameter" alert." We offer
     * one identity. */
    ENSURE(psk.selected_identity == 0,
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: selected_identity out of range"));
    ENSURE(ps.hash == suite->hash,
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: suite hash is not the PSK's"));
    /* RFC 8446 4.2.9: psk_ke "the server MUST NOT supply a "key_share"
     * value"; psk_dhe_ke "the client and server MUST supply "key_share"
     * values": the mode is the one the key_share says, and it must be
     * one we offered ("Servers MUST NOT select a key exchange mode that
     * is not listed by the client") */
    ENSURE(key_share ? (modes & MODE_DHE) != 0 : (modes & MODE_KE) != 0,
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: key_share does not fit the PSK "
                        "modes offered"));
    *dhe = key_share;
    c->psk_state = TD_PSK_ACCEPTED;
    c->psk_ke_mode = key_share ? TD_PSK_DHE_KE : TD_PSK_KE;
    c->params.resumed = 1;
    c->params.peer_verified = c->psk.peer_verified;
    return TD_OK;
}

td_err td_cli13_early_on_ee(td_conn *c, int early_data)
{
    if (!early_data) {
        /* RFC 8446 4.2.10: no early_data in EncryptedExtensions: refused */
        if (c->early_state == TD_EARLY_OFFERED)
            c->early_state = TD_EARLY_REJECTED;
        return TD_OK;
    }
    /* RFC 8446 4.2.10: "In order to accept early data, the server MUST
     * have accepted a PSK cipher suite and selected the first key
     * offered"; 4.2.11: "If the server supplies an "early_data"
     * extension, the client MUST verify that the server's
     * selected_identity is 0. If any other value is returned, the
     * client MUST abort the handshake with an "illegal_parameter"
     * alert." (Offered at all: the caller's 4.2 check.) */
    ENSURE(c->psk_state == TD_PSK_ACCEPTED &&
               c->early_state == TD_EARLY_OFFERED,
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "EncryptedExtensions: early_data without the PSK"));
    c->early_state = TD_EARLY_ACCEPTED;
    return TD_OK;
}

td_err td_cli13_early_end(td_conn *c)
{
    if (c->early_state == TD_EARLY_ACCEPTED) {
        uint8_t body[1];
        td_span s;
        td_wr w;

        /* RFC 8446 4.5: "If the server sent an "early_data" extension in
         * EncryptedExtensions, the client MUST send an EndOfEarlyData
         * message after receiving the server Finished", "encrypted under
         * keys derived from the client_early_traffic_secret" (still our
         * write key) */
        td_wr_init(&w, body, sizeof body);
        TRY(td_empty_message_encode(&w, TD_HS_END_OF_EARLY_DATA));
        TRY(td_wr_finish(&w, &s));
        TRY(td_conn_send_handshake(c, TD_HS_END_OF_EARLY_DATA, s));
    }
    /* RFC 8446 7.1: the early secrets are done either way */
    if (c->early_state != TD_EARLY_NONE)
        td_ks13_end_of_early_data(&c->ks13);
    c->early_left = 0;
    return TD_OK;
}

td_err td_cli13_store_ticket(td_conn *c, const td_new_session_ticket13 *nst)
{
    td_session13_cache *cache = c->cfg->session13_cache;
    uint32_t max_early = 0;
    td_session13 *s;
    td_ext_iter it;
    td_err e;

    td_ext_iter_init(&it, nst->extensions);
    for (;;) {
        uint16_t type;
        td_span data;
        int got;

        TRY(td_ext_iter_next(&it, &type, &data, &got));
        if (!got)
            break;
        /* RFC 8446 4.6.1: "Clients MUST ignore unrecognized extensions" */
        if (type == TD_EXT_EARLY_DATA) {
            td_ext_early_data ed;

            e = td_ext_early_data_decode(data, TD_EXT_CTX_NEW_SESSION_TICKET,
                                         &ed);
            if (e != TD_OK)
                return TD_CONN_FAIL(c, e, "NewSessionTicket: early_data");
            max_early = ed.max_early_data_size;
        }
    }
    /* RFC 8446 4.6.1: "The value of zero indicates that the ticket should
     * be discarded immediately." A ticket over what the store holds is
     * not kept (an implementation limit: RFC 8446 4.6.1 lets a client
     * ignore tickets). */
    if (!cache || nst->ticket_lifetime == 0 ||
        nst->ticket.len > TD_SESSION13_TICKET_MAX)
        return TD_OK;
    s = &cache->entry[cache->next % TD_SESSION13_CACHE_MAX];
    td_secure_zero(s, sizeof *s);
    /* the PSK from resumption_master_secret and the ticket_nonce */
    TRY(td_ks13_ticket_psk(&c->ks13, nst->ticket_nonce, s->psk));
    s->psk_len = td_hash_len(c->suite.hash);
    s->cipher_suite = c->params.cipher_suite;
    /* RFC 8446 4.6.1: "Clients MUST NOT cache tickets for longer than 7
     * days, regardless of the ticket_lifetime" */
    s->ticket_lifetime = nst->ticket_lifetime > MAX_LIFETIME
                             ? MAX_LIFETIME
                             : nst->ticket_lifetime;
    s->ticket_age_add = nst->ticket_age_add;
    s->max_early_data_size = max_early;
    s->time_ms = now_ms(c);
    s->peer_verified = c->params.peer_verified;
    memcpy(s->alpn, c->alpn, c->alpn_len);
    s->alpn_len = c->alpn_len;
    memcpy(s->sni, c->cfg->sni, sizeof s->sni);
    memcpy(s->ticket, nst->ticket.p, nst->ticket.len);
    s->ticket_len = nst->ticket.len;
    s->valid = 1;
    cache->next = (cache->next + 1) % TD_SESSION13_CACHE_MAX;
    return TD_OK;
}
