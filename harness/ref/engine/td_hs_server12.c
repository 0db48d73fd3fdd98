/*
 * The TLS 1.2 server after the ClientHello that chose TLS 1.2 (the
 * version is decided in td_hs_server.c).
 *
 * RFC 5246 7.3 (the diagrams are quoted in td_hs_client12.c): ServerHello,
 * Certificate, ServerKeyExchange (ECDHE), CertificateRequest (client
 * authentication), ServerHelloDone; then the client's Certificate,
 * ClientKeyExchange, CertificateVerify, ChangeCipherSpec and Finished;
 * then our ChangeCipherSpec and Finished. Or, resuming a session by its
 * session_id: ServerHello, ChangeCipherSpec, Finished, and the client's.
 *
 * Tickets (RFC 5077 3.1), when the config has them on and the client
 * sends the SessionTicket extension: the full handshake announces one
 * (empty extension in the ServerHello, 3.2; empty session_id, 3.4) and
 * sends it after the client's Finished verified (3.3), before our
 * ChangeCipherSpec; a ticket presented in the ClientHello is looked up in
 * our store (the tickets are stateful handles, td_hs12.h) and resumed
 * with the client's session_id echoed (3.4) and a renewed ticket:
 *
 *     ClientHello
 *     (SessionTicket extension)      -------->
 *                                                     ServerHello
 *                                 (empty SessionTicket extension)
 *                                                NewSessionTicket
 *                                              [ChangeCipherSpec]
 *                                    <--------             Finished
 *     [ChangeCipherSpec]
 *     Finished                       -------->
 *
 * Choices: RFC 5246 7.4.1.3 (the suite, in our preference order among the
 * client's, that our certificate key can serve), RFC 8422 4 and 5.1.1
 * (the curve from the client's supported_groups), RFC 5246 7.4.1.4.1 (the
 * signature scheme from the client's signature_algorithms), RFC 5746 3.6
 * (renegotiation_info), RFC 7627 5.1-5.3 (extended master secret), RFC
 * 8446 4.1.3 (the downgrade sentinel when we also speak TLS 1.3):
 *
 *     44 4F 57 4E 47 52 44 01
 *
 * as the last 8 bytes of ServerHello.random. The ServerKeyExchange
 * signature (RFC 5246 7.4.3, RFC 8422 5.4) covers
 *
 *     ClientHello.random + ServerHello.random + ServerECDHParams.
 *
 * The RSA premaster secret (RFC 5246 7.4.7.1) is decrypted with the
 * Bleichenbacher countermeasure of that section: 48 random bytes are
 * drawn first and selected in constant time when the padding, the length
 * or the version is wrong, so the handshake fails at Finished, never
 * earlier.
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

/* The ClientHello extensions the TLS 1.2 server acts on. */
typedef struct ch_exts {
    int has_groups, has_sigalgs, has_point_formats, has_alpn, has_ticket;
    td_span groups, sigalgs, alpn, ticket;
} ch_exts;

static td_err read_extensions(td_conn *c, const td_client_hello *ch,
                              ch_exts *x)
{
    td_span data;

    memset(x, 0, sizeof *x);
    c->params.ems = 0;
    c->hs12.secure_renegotiation = td_hs_u16_in(ch->cipher_suites, 0x00ff);
    if (!ch->has_extensions)
        return TD_OK;
    /* forms checked with the block (td_ext_block_check) */
    x->has_groups =
        td_hs12_ch_u16_list(ch, TD_EXT_SUPPORTED_GROUPS, &x->groups);
    x->has_sigalgs =
        td_hs12_ch_u16_list(ch, TD_EXT_SIGNATURE_ALGORITHMS, &x->sigalgs);
    /* its form (uncompressed included, RFC 8422 5.1.2) was checked with
     * the block */
    x->has_point_formats =
        td_ext_find(ch->extensions, TD_EXT_EC_POINT_FORMATS, &data);
    if (td_ext_find(ch->extensions, TD_EXT_ALPN, &data)) {
        td_ext_alpn a;

        TRY(td_ext_alpn_decode(data, TD_EXT_CTX_CLIENT_HELLO, &a));
        x->has_alpn = 1;
        x->alpn = a.protocol_name_list;
    }
    if (td_ext_find(ch->extensions, TD_EXT_RENEGOTIATION_INFO, &data)) {
        td_ext_renegotiation_info ri;

        TRY(td_ext_renegotiation_info_decode(data, TD_EXT_CTX_CLIENT_HELLO,
                                             &ri));
        /* RFC 5746 3.6: "The server MUST then verify that the length of
         * the "renegotiated_connection" field is zero, and if it is not,
         * MUST abort the handshake" (handshake_failure, 3.4 note). */
        if (ri.renegotiated_connection.len != 0)
            return TD_CONN_FAIL(c, TD_ALERT_HANDSHAKE_FAILURE,
                                "initial renegotiation_info not empty");
        c->hs12.secure_renegotiation = 1;
    }
    /* RFC 7627 5.1 */
    c->params.ems =
        td_ext_find(ch->extensions, TD_EXT_EXTENDED_MASTER_SECRET, &data);
    if (td_ext_find(ch->extensions, TD_EXT_SESSION_TICKET, &data)) {
        td_ext_session_ticket st;

        /* RFC 5077 3.2: the ticket, or empty "if the client does not
         * already possess a ticket for the server" */
        TRY(td_ext_session_ticket_decode(data, TD_EXT_CTX_CLIENT_HELLO,
                                         &st));
        x->has_ticket = 1;
        x->ticket = st.ticket;
    }
    return TD_OK;
}

/* RFC 7301 3.2: our first protocol (cfg->alpn, comma-separated) that the
 * client lists; *sel empty when either side has none. */
static td_err pick_alpn(td_conn *c, const ch_exts *x, td_span *sel)
{
    const char *p = c->cfg->alpn;

    sel->p = NULL;
    sel->len = 0;
    if (!x->has_alpn || !p[0])
        return TD_OK;
    while (*p) {
        size_t n = strcspn(p, ",");
        td_rd r;

        td_rd_init_span(&r, x->alpn);
        while (td_rd_left(&r)) {
            td_rd v;
            td_span name;

            TRY(td_rd_vec8(&r, 1, 0xff, &v));
            td_rd_rest(&v, &name);
            if (name.len == n && memcmp(name.p, p, n) == 0) {
                *sel = name;
                return TD_OK;
            }
        }
        p += n;
        while (*p == ',' || *p == ' ')
            p++;
    }
    /* RFC 7301 3.2: "In the event that the server supports no protocols
     * that the client advertises, then the server SHALL respond with a
     * fatal "no_application_protocol" alert." */
    return TD_CONN_FAIL(c, TD_ALERT_NO_APPLICATION_PROTOCOL,
                        "no common ALPN protocol");
}

/* ServerHello.random (RFC 5246 7.4.1.2; RFC 8446 4.1.3 sentinel). */
static td_err draw_server_random(td_conn *c)
{
    TRY(td_conn_draw(c, TD_DRAW_RANDOM, c->server_random, TD_RANDOM_LEN));
    /* RFC 8446 4.1.3: "TLS 1.3 servers which negotiate TLS 1.2 or below
     * in response to a ClientHello MUST set the last 8 bytes of their
     * Random value specially": 44 4F 57 4E 47 52 44 01 for TLS 1.2. */
    if (c->cfg->max_version >= 0x0304)
        memcpy(c->server_random + TD_RANDOM_LEN - 8, td_downgrade_tls12, 8);
    return TD_OK;
}

static td_err send_server_hello(td_conn *c, const ch_exts *x, int ecc,
                                td_span alpn, td_span session_id)
{
    static const uint8_t uncompressed[1] = {0};
    const td_ext_ctx ctx = TD_EXT_CTX_SERVER_HELLO12;
    uint8_t ext[256], body[512];
    td_server_hello sh;
    td_ext_any e;
    td_wr w, b;
    td_span s;

    td_wr_init(&w, ext, sizeof ext);
    if (c->hs12.secure_renegotiation) {
        /* RFC 5746 3.6: "If the secure_renegotiation flag is set to TRUE,
         * the server MUST include an empty "renegotiation_info"
         * extension in the ServerHello message." */
        td_hs_ext_init(&e, TD_EXT_RENEGOTIATION_INFO);
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    /* RFC 7627 5.1 (full), 5.3 (resumed: only an EMS session resumes) */
    if (c->params.ems) {
        td_hs_ext_init(&e, TD_EXT_EXTENDED_MASTER_SECRET);
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    if (c->hs12.ticket_issue) {
        /* RFC 5077 3.2: "The server uses a zero-length SessionTicket
         * extension to indicate to the client that it will send a new
         * session ticket using the NewSessionTicket handshake message" */
        td_hs_ext_init(&e, TD_EXT_SESSION_TICKET);
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    if (ecc && x->has_point_formats && !c->hs12.abbreviated) {
        /* RFC 8422 5.2: in reply to the client's extension, listing what
         * we parse, which "MUST contain the value 0 (uncompressed)" */
        td_hs_ext_init(&e, TD_EXT_EC_POINT_FORMATS);
        e.u.ec_point_formats.ec_point_format_list = span_of(uncompressed, 1);
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    if (alpn.len) {
        /* RFC 7301 3.1: exactly one ProtocolName */
        uint8_t list[256];

        ENSURE(alpn.len < sizeof list, TD_ERR_INTERNAL);
        list[0] = (uint8_t)alpn.len;
        memcpy(list + 1, alpn.p, alpn.len);
        td_hs_ext_init(&e, TD_EXT_ALPN);
        e.u.alpn.protocol_name_list = span_of(list, alpn.len + 1);
        e.u.alpn.count = 1;
        TRY(td_hs_ext_put(&w, ctx, &e));
    }
    TRY(td_wr_finish(&w, &s));
    memset(&sh, 0, sizeof sh);
    sh.legacy_version = 0x0303; /* RFC 5246 7.4.1.3 server_version */
    memcpy(sh.random, c->server_random, TD_RANDOM_LEN);
    sh.legacy_session_id_echo = session_id;
    sh.cipher_suite = c->params.cipher_suite;
    sh.legacy_compression_method = 0; /* RFC 5246 7.4.1.2: null */
    sh.has_extensions = s.len != 0;
    sh.extensions = s;
    td_wr_init(&b, body, sizeof body);
    TRY(td_server_hello_encode(&b, &sh));
    TRY(td_wr_finish(&b, &s));
    return td_conn_send_handshake(c, TD_HS_SERVER_HELLO, s);
}

/* The session the ClientHello offers: by ticket when we issue tickets and
 * it presents one (RFC 5077 3.4: "If a ticket is presented by the
 * client, the server MUST NOT attempt to use the Session ID in the
 * ClientHello for stateful session resumption"), else by session_id
 * (RFC 5246 7.4.1.2). 1 + its entry in the store, or 0. */
static size_t offered_session(const td_conn *c, const td_client_hello *ch,
                              const ch_exts *x)
{
    const td_session_cache *cache = c->cfg->session_cache;
    size_t i;

    if (c->cfg->tickets && x->has_ticket && x->ticket.len)
        return td_hs12_session_by_ticket(cache, x->ticket);
    for (i = 0; cache && ch->legacy_session_id.len && i < TD_SESSION_CACHE_MAX;
         i++)
        if (cache->entry[i].valid &&
            cache->entry[i].session_id_len == ch->legacy_session_id.len &&
            memcmp(cache->entry[i].session_id, ch->legacy_session_id.p,
                   ch->legacy_session_id.len) == 0)
            return i + 1;
    return 0;
}

/* RFC 5246 7.3, RFC 5077 3.1: resume the session the ClientHello names,
 * if we hold it and it still fits. *done = 1 when the abbreviated
 * handshake was sent. */
static td_err try_resume(td_conn *c, const td_client_hello *ch,
                         const ch_exts *x, int *done)
{
    const td_session_cache *cache = c->cfg->session_cache;
    const td_session12 *s = NULL;
    size_t slot = offered_session(c, ch, x);
    int by_ticket = c->cfg->tickets && x->has_ticket && x->ticket.len;
    td_hs12_suite suite;
    td_span alpn, echo;

    *done = 0;
    if (slot)
        s = &cache->entry[slot - 1];
    /* RFC 5246 7.4.1.2: the client's cipher_suites "MUST include at least
     * the cipher_suite from that session"; we also still have to speak
     * it with this key. Otherwise: a full handshake (RFC 5077 3.2: "If
     * the server fails to verify the ticket, then it falls back to
     * performing a full handshake"). */
    if (!s || !td_hs_u16_in(ch->cipher_suites, s->cipher_suite) ||
        !td_hs_code_in(td_hs_our_suites(c, 0x0303), s->cipher_suite) ||
        td_hs12_suite_find(s->cipher_suite, &suite) != TD_OK ||
        !td_hs12_key_fits(&c->cfg->key, &suite))
        return TD_OK;
    /* RFC 7627 5.3: "If the original session used the
     * "extended_master_secret" extension but the new ClientHello does
     * not contain it, the server MUST abort the abbreviated handshake"
     * (RFC 7627 5.2: "abort the handshake" is "sending a fatal
     * "handshake_failure" alert"); a session without it is not resumed
     * at all ("MUST NOT perform the abbreviated handshake" / "SHOULD
     * abort"): a full handshake instead. 5.3 speaks of any "ClientHello
     * for an abbreviated handshake offering to resume a known previous
     * session": by session_id and by ticket alike. */
    if (s->ems && !c->params.ems)
        return TD_CONN_FAIL(c, TD_ALERT_HANDSHAKE_FAILURE,
                            "resumption without extended_master_secret");
    if (!s->ems)
        return TD_OK;
    TRY(pick_alpn(c, x, &alpn));
    TRY(td_hs12_set_suite(c, s->cipher_suite));
    TRY(td_hs12_resume(c, slot));
    /* RFC 5077 3.4: "If the server accepts the ticket and the Session ID
     * is not empty, then it MUST respond with the same Session ID
     * present in the ClientHello"; by session_id, the echo is the
     * session's (RFC 5246 7.4.1.3). RFC 5077 3.1 (Figure 2): the server
     * "MAY renew the ticket": we do, so each ticket serves once. */
    echo = by_ticket ? ch->legacy_session_id
                     : span_of(c->hs12.session.session_id,
                               c->hs12.session.session_id_len);
    c->hs12.ticket_issue = by_ticket;
    TRY(draw_server_random(c));
    TRY(send_server_hello(c, x, 0, alpn, echo));
    if (c->hs12.ticket_issue)
        TRY(td_srv12_send_new_session_ticket(c));
    /* RFC 5246 7.3: the server's ChangeCipherSpec and Finished come
     * right after its ServerHello */
    TRY(td_hs12_send_ccs_finished(c));
    TRY(td_hs12_expect_peer_ccs(c));
    c->state = TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC;
    *done = 1;
    return TD_OK;
}

/* RFC 8422 4, 5.1.1: our first group the client lists; with no
 * supported_groups, "the server is free to choose any one" (RFC 8422 4). */
static uint16_t pick_group(const td_conn *c, const ch_exts *x)
{
    const td_code_list *ours = td_hs_our_groups(c);
    size_t i;

    for (i = 0; i < ours->n; i++)
        if (td_kx_pub_len(ours->v[i]) != 0 &&
            (!x->has_groups || td_hs_u16_in(x->groups, ours->v[i])))
            return ours->v[i];
    return 0;
}

/* RFC 5246 7.4.1.3: our preference order among the client's suites,
 * where our key serves the suite (7.4.2) and, for ECDHE, a common curve
 * (RFC 8422 4: "MUST NOT negotiate the use of an ECC cipher suite unless
 * they can complete the handshake while respecting the choice of
 * curves") and a signature scheme (7.4.1.4.1) exist. */
static td_err pick_suite(td_conn *c, const td_client_hello *ch,
                         const ch_exts *x, uint16_t *suite)
{
    const td_code_list *ours = td_hs_our_suites(c, 0x0303);
    uint16_t group = pick_group(c, x), scheme = 0;
    int can_sign = 0;
    size_t i;

    /* RFC 5246 7.4.1.4.1: without signature_algorithms the client
     * supports only SHA-1 signatures, which the reference does not make. */
    if (x->has_sigalgs) {
        td_err e = td_hs_pick_sig_scheme(c, x->sigalgs, &scheme);

        if (e != TD_OK && e != TD_ALERT_HANDSHAKE_FAILURE)
            return e;
        can_sign = e == TD_OK;
    }
    for (i = 0; i < ours->n; i++) {
        td_hs12_suite s;

        if (td_hs12_suite_find(ours->v[i], &s) != TD_OK ||
            !td_hs_u16_in(ch->cipher_suites, s.cipher_suite) ||
            !td_hs12_key_fits(&c->cfg->key, &s))
            continue;
        if (!s.kx_rsa && (!group || !can_sign))
            continue;
        *suite = s.cipher_suite;
        c->hs12.group = s.kx_rsa ? 0 : group;
        c->hs12.sig_scheme = s.kx_rsa ? 0 : scheme;
        return TD_OK;
    }
    /* RFC 5246 7.4.1.3: "If no acceptable choices are presented, return
     * a handshake failure alert" */
    return TD_CONN_FAIL(c, TD_ALERT_HANDSHAKE_FAILURE,
                        "no TLS 1.2 cipher suite in common");
}

/* RFC 8422 5.4: ServerECDHParams and their signature. */
static td_err send_server_key_exchange(td_conn *c)
{
    uint8_t pub[TD_KX_MAX_PUB_LEN], sig[TD_SIG_MAX_LEN];
    uint8_t tbs[2 * TD_RANDOM_LEN + 4 + TD_KX_MAX_PUB_LEN];
    uint8_t body[4 + TD_KX_MAX_PUB_LEN + 4 + TD_SIG_MAX_LEN];
    td_server_key_exchange ske;
    size_t pub_len, sig_len;
    td_span s;
    td_wr w;

    /* any key share of the version decision is of no use now */
    td_hs_kx_wipe(c);
    TRY(td_hs_kx_generate(c, c->hs12.group, pub, &pub_len));
    /* signed: ClientHello.random + ServerHello.random + ServerECDHParams
     * { ECParameters { named_curve(3), NamedCurve }, ECPoint } */
    td_wr_init(&w, tbs, sizeof tbs);
    TRY(td_wr_bytes(&w, c->client_random, TD_RANDOM_LEN));
    TRY(td_wr_bytes(&w, c->server_random, TD_RANDOM_LEN));
    TRY(td_wr_u8(&w, TD_EC_CURVE_TYPE_NAMED_CURVE));
    TRY(td_wr_u16(&w, c->hs12.group));
    TRY(td_wr_u8(&w, (uint32_t)pub_len));
    TRY(td_wr_bytes(&w, pub, pub_len));
    TRY(td_wr_finish(&w, &s));
    TRY(td_hs_sign(c, c->hs12.sig_scheme, s, sig, &sig_len));
    memset(&ske, 0, sizeof ske);
    ske.curve_type = TD_EC_CURVE_TYPE_NAMED_CURVE;
    ske.namedcurve = c->hs12.group;
    ske.point = span_of(pub, pub_len);
    ske.has_algorithm = 1; /* RFC 5246 4.7 */
    ske.algorithm = c->hs12.sig_scheme;
    ske.signature = span_of(sig, sig_len);
    td_wr_init(&w, body, sizeof body);
    TRY(td_server_key_exchange_encode(&w, &ske));
    TRY(td_wr_finish(&w, &s));
    c->params.group = c->hs12.group;
    c->params.sig_scheme = c->hs12.sig_scheme;
    return td_conn_send_handshake(c, TD_HS_SERVER_KEY_EXCHANGE, s);
}

/* RFC 5246 7.4.4 */
static td_err send_certificate_request(td_conn *c)
{
    /* rsa_sign(1) (RFC 5246 7.4.4), ecdsa_sign(64) (RFC 8422 5.5) */
    static const uint8_t types[2] = {1, 64};
    uint8_t algs[2 * TD_PROFILE_MAX_LIST], body[16 + 2 * TD_PROFILE_MAX_LIST];
    td_certificate_request12 cr;
    td_span s;
    td_wr w;

    memset(&cr, 0, sizeof cr);
    cr.certificate_types = span_of(types, sizeof types);
    TRY(td_hs12_our_sigalgs_body(c, algs, sizeof algs,
                                 &cr.supported_signature_algorithms));
    td_wr_init(&w, body, sizeof body);
    TRY(td_certificate_request12_encode(&w, &cr));
    TRY(td_wr_finish(&w, &s));
    c->client_cert_requested = 1;
    return td_conn_send_handshake(c, TD_HS_CERTIFICATE_REQUEST, s);
}

td_err td_srv12_on_client_hello(td_conn *c, const td_client_hello *ch)
{
    static const td_span empty = {NULL, 0};
    ch_exts x;
    td_span alpn;
    uint16_t suite = 0;
    td_rd r;
    uint8_t m;
    int null_offered = 0, done;

    memcpy(c->client_random, ch->random, TD_RANDOM_LEN);
    c->hs12.client_version = ch->legacy_version;
    /* RFC 5246 7.4.1.2: compression_methods "MUST contain, and all
     * implementations MUST support, CompressionMethod.null"; a list
     * without it is a field the server cannot honour
     * (illegal_parameter, 7.2.2). */
    td_rd_init_span(&r, ch->legacy_compression_methods);
    while (td_rd_u8(&r, &m) == TD_OK)
        null_offered |= m == 0;
#ifdef TD_INJECT_BUGS
    null_offered |= td_injected_bug == TD_BUG_COMPRESSION; /* test-only */
#endif
    if (!null_offered)
        return TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "compression_methods without null");
    TRY(read_extensions(c, ch, &x));
    TRY(try_resume(c, ch, &x, &done));
    if (done)
        return TD_OK;

    /* a full handshake */
    TRY(pick_suite(c, ch, &x, &suite));
    TRY(pick_alpn(c, &x, &alpn));
    TRY(td_hs12_set_suite(c, suite));
    c->hs12.session.session_id_len = 0;
    /* RFC 5077 3.2: "The server MUST NOT send this extension if it does
     * not receive one in the ClientHello"; tickets need the store (they
     * are stateful, td_hs12.h) */
    c->hs12.ticket_issue =
        c->cfg->tickets && x.has_ticket && c->cfg->session_cache != NULL;
    /* RFC 5246 7.4.1.3: a session_id for the session we will keep;
     * empty when there is no store (cannot be resumed), and (RFC 5077
     * 3.4) "If a server is planning to issue a NewSessionTicket, it
     * SHOULD include an empty Session ID in the ServerHello." */
    if (c->cfg->session_cache && !c->hs12.ticket_issue) {
        TRY(td_conn_draw(c, TD_DRAW_SESSION_ID, c->hs12.session.session_id,
                         TD_MAX_SESSION_ID_LEN));
        c->hs12.session.session_id_len = TD_MAX_SESSION_ID_LEN;
    }
    TRY(draw_server_random(c));
    TRY(send_server_hello(c, &x, !c->hs12.kx_rsa, alpn,
                         span_of(c->hs12.session.session_id,
                                 c->hs12.session.session_id_len)));
    TRY(td_hs12_send_certificate(c, 0)); /* RFC 5246 7.4.2 */
    if (!c->hs12.kx_rsa)
        TRY(send_server_key_exchange(c));
    if (c->cfg->client_auth != TD_CLIENT_AUTH_NONE)
        TRY(send_certificate_request(c));
    TRY(td_conn_send_handshake(c, TD_HS_SERVER_HELLO_DONE, empty));
    TRY(td_conn_flush(c));
    c->state = c->client_cert_requested ? TD_ST_SRV12_WAIT_CERTIFICATE
                                        : TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE;
    return TD_OK;
}
