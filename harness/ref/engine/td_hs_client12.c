/*
 * The TLS 1.2 client after the ServerHello that chose TLS 1.2 (the
 * version is decided in td_hs_client.c).
 *
 * RFC 5246 7.3, full and abbreviated handshakes:
 *
 *     Client                                               Server
 *
 *     ClientHello                  -------->
 *                                                     ServerHello
 *                                                    Certificate*
 *                                              ServerKeyExchange*
 *                                             CertificateRequest*
 *                                  <--------      ServerHelloDone
 *     Certificate*
 *     ClientKeyExchange
 *     CertificateVerify*
 *     [ChangeCipherSpec]
 *     Finished                     -------->
 *                                              (NewSessionTicket)
 *                                              [ChangeCipherSpec]
 *                                  <--------             Finished
 *
 *     ClientHello                   -------->
 *                                                      ServerHello
 *                                               (NewSessionTicket)
 *                                               [ChangeCipherSpec]
 *                                   <--------             Finished
 *     [ChangeCipherSpec]
 *     Finished                      -------->
 *
 * (NewSessionTicket: RFC 5077 3.1.) Resumption is offered by session_id,
 * or (RFC 5077 3.2, 3.4) by presenting the session's ticket with a
 * session ID we draw, whose echo tells that the server accepted it.
 * Checks: RFC 5246 7.4.1.3 (suite and
 * compression from our lists), 7.4.1.4 (no extension we did not offer),
 * 7.4.2, 7.4.3 and RFC 8422 5.4 (ServerKeyExchange: our group, our
 * signature scheme, the signature over
 *     ClientHello.random + ServerHello.random + ServerECDHParams),
 * RFC 5746 3.4 (renegotiation_info), RFC 7627 5.2/5.3 (extended master
 * secret), RFC 5246 7.4.6-7.4.9 (our flight: Certificate,
 * ClientKeyExchange, CertificateVerify, Finished).
 *
 * What we offered is read back from our own ClientHello, the first
 * message of the transcript, so the checks hold whatever td_hs_client.c
 * put in it.
 */
#include "td_hs12.h"

#include <string.h>

#ifdef TD_INJECT_BUGS
#include "td_inject.h"
#endif

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

td_err td_cli12_session_offer(td_conn *c)
{
    const td_session_cache *cache = c->cfg->session_cache;
    size_t k;

    c->hs12.ticket_slot = 0;
    if (!cache)
        return TD_OK;
    /* the newest entry first */
    for (k = 1; k <= TD_SESSION_CACHE_MAX; k++) {
        size_t i = (cache->next + TD_SESSION_CACHE_MAX - k) %
                   TD_SESSION_CACHE_MAX;
        const td_session12 *s = &cache->entry[i];

        /* RFC 7627 5.3: "The client SHOULD NOT offer an abbreviated
         * handshake to resume a session that does not use an extended
         * master secret." */
        if (!s->valid || !s->ems)
            continue;
        if (s->ticket_len && c->cfg->tickets) {
            /* RFC 5077 3.4: "When presenting a ticket, the client MAY
             * generate and include a Session ID in the TLS ClientHello.
             * If the server accepts the ticket and the Session ID is not
             * empty, then it MUST respond with the same Session ID" */
            TRY(td_conn_draw(c, TD_DRAW_SESSION_ID, c->session_id,
                             TD_MAX_SESSION_ID_LEN));
            c->session_id_len = TD_MAX_SESSION_ID_LEN;
            c->hs12.ticket_slot = i + 1;
            return TD_OK;
        }
        if (s->session_id_len == 0)
            continue;
        memcpy(c->session_id, s->session_id, s->session_id_len);
        c->session_id_len = s->session_id_len;
        return TD_OK;
    }
    return TD_OK;
}

td_span td_cli12_ticket_offer(const td_conn *c)
{
    const td_session_cache *cache = c->cfg->session_cache;
    const td_session12 *s;

    if (!cache || c->hs12.ticket_slot == 0 ||
        c->hs12.ticket_slot > TD_SESSION_CACHE_MAX)
        return span_of(NULL, 0);
    s = &cache->entry[c->hs12.ticket_slot - 1];
    return span_of(s->ticket, s->ticket_len);
}

/* Whether the one protocol the server selected is in our ALPN list. */
static int alpn_offered(const td_client_hello *ch, td_span server_data)
{
    td_ext_alpn ours, theirs;
    td_span data, sel, name;
    td_rd r;

    if (td_ext_alpn_decode(server_data, TD_EXT_CTX_SERVER_HELLO12, &theirs) !=
            TD_OK ||
        !td_ext_find(ch->extensions, TD_EXT_ALPN, &data) ||
        td_ext_alpn_decode(data, TD_EXT_CTX_CLIENT_HELLO, &ours) != TD_OK)
        return 0;
    td_rd_init_span(&r, theirs.protocol_name_list);
    {
        td_rd v;

        if (td_rd_vec8(&r, 1, 0xff, &v) != TD_OK)
            return 0;
        td_rd_rest(&v, &sel);
    }
    td_rd_init_span(&r, ours.protocol_name_list);
    while (td_rd_left(&r)) {
        td_rd v;

        if (td_rd_vec8(&r, 1, 0xff, &v) != TD_OK)
            return 0;
        td_rd_rest(&v, &name);
        if (name.len == sel.len && memcmp(name.p, sel.p, sel.len) == 0)
            return 1;
    }
    return 0;
}

/* The ServerHello's extensions against what we offered. */
static td_err server_hello_extensions(td_conn *c, const td_client_hello *ch,
                                      const td_server_hello *sh)
{
    /* TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 3.3) */
    int scsv = td_hs_u16_in(ch->cipher_suites, 0x00ff);
    td_ext_iter it;

    c->params.ems = 0;
    c->hs12.ticket_expected = 0;
    c->hs12.secure_renegotiation = 0;
    if (!sh->has_extensions)
        return TD_OK;
    td_ext_iter_init(&it, sh->extensions);
    for (;;) {
        uint16_t type;
        td_span data, offered;
        int got;

        TRY(td_ext_iter_next(&it, &type, &data, &got));
        if (!got)
            return TD_OK;
        /* RFC 5246 7.4.1.4: "If a client receives an extension type in
         * ServerHello that it did not request in the associated
         * ClientHello, it MUST abort the handshake with an
         * unsupported_extension fatal alert." RFC 5746 3.6 makes the one
         * exception: renegotiation_info in reply to the SCSV. */
        if (!(ch->has_extensions &&
              td_ext_find(ch->extensions, type, &offered)) &&
            !(type == TD_EXT_RENEGOTIATION_INFO && scsv))
            return TD_CONN_FAIL(c, TD_ALERT_UNSUPPORTED_EXTENSION,
                                "ServerHello extension not offered");
        switch (type) {
        case TD_EXT_RENEGOTIATION_INFO: {
            td_ext_renegotiation_info ri;

            TRY(td_ext_renegotiation_info_decode(
                data, TD_EXT_CTX_SERVER_HELLO12, &ri));
            /* RFC 5746 3.4: "The client MUST then verify that the length
             * of the "renegotiated_connection" field is zero, and if it
             * is not, MUST abort the handshake (by sending a fatal
             * handshake_failure alert)." Absent, the server is merely not
             * renegotiation-capable, which is all right: we never
             * renegotiate. */
            if (ri.renegotiated_connection.len != 0)
                return TD_CONN_FAIL(c, TD_ALERT_HANDSHAKE_FAILURE,
                                    "renegotiation_info not empty");
            c->hs12.secure_renegotiation = 1;
            break;
        }
        case TD_EXT_EXTENDED_MASTER_SECRET:
            /* RFC 7627 5.2 */
            TRY(td_ext_empty_decode(type, data, TD_EXT_CTX_SERVER_HELLO12));
            c->params.ems = 1;
            break;
        case TD_EXT_SESSION_TICKET: {
            td_ext_session_ticket st;

            /* RFC 5077 3.2: an empty SessionTicket extension announces a
             * NewSessionTicket */
            TRY(td_ext_session_ticket_decode(data, TD_EXT_CTX_SERVER_HELLO12,
                                             &st));
            c->hs12.ticket_expected = 1;
            break;
        }
        case TD_EXT_ALPN:
            /* RFC 7301 3.1: the server selects one of the protocols the
             * client advertised; any other is a field "inconsistent with
             * other fields" (illegal_parameter, RFC 5246 7.2.2). */
            if (!alpn_offered(ch, data))
                return TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                                    "ALPN protocol not offered");
            break;
        default:
            /* offered, and its form checked by the block decoder
             * (ec_point_formats must hold uncompressed, RFC 8422 5.2) */
            break;
        }
    }
}

/* RFC 5246 7.3: the server echoed the session_id we offered, so it
 * resumes that session: the one we offered by session_id, or (RFC 5077
 * 3.4) the one whose ticket we presented with a session ID we drew. */
static td_err resume(td_conn *c, const td_server_hello *sh)
{
    const td_session_cache *cache = c->cfg->session_cache;
    const td_session12 *s = NULL;
    size_t i, slot = c->hs12.ticket_slot;

    for (i = 0; cache && !slot && i < TD_SESSION_CACHE_MAX; i++)
        if (cache->entry[i].valid &&
            cache->entry[i].session_id_len == sh->legacy_session_id_echo.len &&
            memcmp(cache->entry[i].session_id, sh->legacy_session_id_echo.p,
                   sh->legacy_session_id_echo.len) == 0)
            slot = i + 1;
    if (cache && slot && cache->entry[slot - 1].valid)
        s = &cache->entry[slot - 1];
    /* RFC 5246 7.4.1.3: a server that echoes the session_id resumes that
     * session; we offered none under this id (a TLS 1.3 compatibility
     * session_id is random), so the echo is inconsistent. */
    if (!s)
        return TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "session_id echoed but no such session");
    /* RFC 5246 7.4.1.3: "For resumed sessions, this field is the value
     * from the state of the session being resumed." */
    if (s->cipher_suite != sh->cipher_suite)
        return TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "resumed with another cipher suite");
    /* RFC 7627 5.3: when the session and the ServerHello disagree on the
     * extended master secret "the client MUST abort the handshake" (RFC
     * 7627 5.2: by "sending a fatal "handshake_failure" alert"). */
    if (s->ems != c->params.ems)
        return TD_CONN_FAIL(c, TD_ALERT_HANDSHAKE_FAILURE,
                            "extended_master_secret differs from the session");
    TRY(td_hs12_resume(c, slot));
    TRY(td_hs12_expect_peer_ccs(c));
    /* RFC 5077 3.1 (Figure 2): a NewSessionTicket renewing the ticket
     * comes before the server's ChangeCipherSpec when the ServerHello
     * announced it */
    c->state = c->hs12.ticket_expected ? TD_ST_CLI12_WAIT_NEW_SESSION_TICKET
                                       : TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC;
    return TD_OK;
}

td_err td_cli12_on_server_hello(td_conn *c, const td_server_hello *sh)
{
    td_client_hello ch;
    td_hs12_suite s;
    td_rd r;
    uint8_t m;
    int null_offered = 0, offered;

    TRY(td_hs12_client_hello(c, &ch));
    memcpy(c->client_random, ch.random, TD_RANDOM_LEN);
    memcpy(c->server_random, sh->random, TD_RANDOM_LEN);
    c->hs12.client_version = ch.legacy_version;
    /* RFC 5246 7.4.1.3: cipher_suite is "selected by the server from the
     * list in ClientHello.cipher_suites"; it must also be a TLS 1.2 suite
     * we speak (not a TLS 1.3 suite, not an SCSV). */
    offered = td_hs_u16_in(ch.cipher_suites, sh->cipher_suite);
#ifdef TD_INJECT_BUGS
    offered |= td_injected_bug == TD_BUG_SUITE_NOT_OFFERED; /* test-only */
#endif
    if (!offered || td_hs12_suite_find(sh->cipher_suite, &s) != TD_OK)
        return TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "cipher_suite not offered");
    /* RFC 5246 7.4.1.3: compression_method is "selected by the server
     * from the list in ClientHello.compression_methods" */
    td_rd_init_span(&r, ch.legacy_compression_methods);
    while (td_rd_u8(&r, &m) == TD_OK)
        null_offered |= m == sh->legacy_compression_method;
    if (!null_offered)
        return TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "compression_method not offered");
    TRY(td_hs12_set_suite(c, sh->cipher_suite));
    TRY(server_hello_extensions(c, &ch, sh));
    /* RFC 8446 7.1: the TLS 1.3 key shares of the ClientHello are of no
     * further use (ECDHE for TLS 1.2 draws a fresh key) */
    td_hs_kx_wipe(c);
    /* RFC 5246 7.4.1.3: an echo of the session_id we sent means the
     * server resumes it (7.3, abbreviated handshake); RFC 5077 3.4: so
     * does the echo of the one we drew to go with a ticket. Any other
     * answer is a full handshake (RFC 5077 3.2: "If the server fails to
     * verify the ticket, then it falls back to performing a full
     * handshake"). */
    if (sh->legacy_session_id_echo.len != 0 &&
        sh->legacy_session_id_echo.len == ch.legacy_session_id.len &&
        memcmp(sh->legacy_session_id_echo.p, ch.legacy_session_id.p,
               ch.legacy_session_id.len) == 0)
        return resume(c, sh);
    /* a full handshake: the echo is the new session's id (empty: the
     * session cannot be resumed by id, RFC 5246 7.4.1.3) */
    c->hs12.session.session_id_len = sh->legacy_session_id_echo.len;
    if (sh->legacy_session_id_echo.len)
        memcpy(c->hs12.session.session_id, sh->legacy_session_id_echo.p,
               sh->legacy_session_id_echo.len);
    c->state = TD_ST_CLI12_WAIT_CERTIFICATE;
    return TD_OK;
}
