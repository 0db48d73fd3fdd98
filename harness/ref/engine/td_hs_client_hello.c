/*
 * The client's ClientHello (both versions) and what it offered; the
 * ServerHello that answers it is td_hs_client.c.
 *
 * RFC 8446 4.1.2 (TLS 1.3; RFC 5246 7.4.1.2 is the same message):
 *
 *     struct {
 *         ProtocolVersion legacy_version = 0x0303;    (TLS v1.2)
 *         Random random;
 *         opaque legacy_session_id<0..32>;
 *         CipherSuite cipher_suites<2..2^16-2>;
 *         opaque legacy_compression_methods<1..2^8-1>;
 *         Extension extensions<8..2^16-1>;
 *     } ClientHello;
 *
 * legacy_version is 0x0303 whatever we offer: RFC 8446 4.1.2 for TLS 1.3,
 * and the highest version of a TLS 1.2 client (RFC 5246 7.4.1.2). The
 * reference speaks no version below TLS 1.2 (RFC 8996 4, 5: clients "MUST
 * NOT send a ClientHello with ClientHello.client_version set to {03,01}"
 * or {03,02}; RFC 7568 3: SSLv3 "MUST NOT be used"), so a configuration
 * asking for one only is refused before anything is sent.
 *
 * legacy_session_id: a TLS 1.2 session offered for resumption
 * (td_cli12_session_offer), else 32 drawn bytes when offering TLS 1.3
 * (RFC 8446 D.4 middlebox compatibility mode, "In compatibility mode ...
 * this field MUST be non-empty") unless the config turns that off, else
 * empty. legacy_compression_methods is [null(0)] (RFC 8446 4.1.2: "MUST
 * contain exactly one byte, set to zero").
 *
 * Extensions, in this fixed order (the order of the RFC 8448 traces, so a
 * replay needs no special case; the ones the traces do not carry sit
 * where they fit):
 *
 *     server_name                cfg->sni, a host name      RFC 6066 3
 *     renegotiation_info (empty) offering TLS 1.2           RFC 5746 3.4
 *     supported_groups           always                     RFC 8446 4.2.7
 *     ec_point_formats [0]       offering TLS 1.2           RFC 8422 5.1.2
 *     session_ticket (empty)     offering TLS 1.2, tickets  RFC 5077 3.2
 *     extended_master_secret     offering TLS 1.2           RFC 7627 5.1
 *     key_share                  offering TLS 1.3           RFC 8446 4.2.8
 *     early_data                 offering 0-RTT             RFC 8446 4.2.10
 *     supported_versions         offering TLS 1.3           RFC 8446 4.2.1
 *     signature_algorithms       always                     RFC 8446 4.2.3
 *     application_layer_protocol_negotiation  cfg->alpn     RFC 7301 3.1
 *     cookie                     echoing an HRR's           RFC 8446 4.2.2
 *     psk_key_exchange_modes     offering TLS 1.3, tickets  RFC 8446 4.2.9
 *     post_handshake_auth        extra only                 RFC 8446 4.2.6
 *     record_size_limit          extra only                 RFC 8449 4
 *     padding                    extra only                 RFC 7685 4
 *     pre_shared_key             a ticket to resume, last   RFC 8446 4.2.11
 * (the last three, 0-RTT and the binder: td_hs_client13_psk.c)
 * cfg->extra_extensions adds the ones marked "extra" and any of the
 * TLS 1.2 ones regardless of the version range (the RFC 8448 traces send
 * renegotiation_info and session_ticket in a TLS 1.3-only ClientHello),
 * and psk_key_exchange_modes without tickets; other types in it are
 * ignored (the table above is the whole canonical order).
 * Their content is fixed: record_size_limit is the protocol maximum
 * (RFC 8449 4: 2^14 + 1 for TLS 1.3, 2^14 below), which restricts
 * nothing; padding follows RFC 7685 4's example: when the ClientHello
 * (with its 4-byte handshake header) would be 256 to 511 bytes long, it
 * is padded to 512 bytes, else the extension is left out.
 *
 * Lists left empty in the config are the engine defaults
 * (td_hs_defaults.c): the TLS 1.3 suites then the TLS 1.2 suites, by the
 * versions offered; the default groups and signature schemes.
 * key_share: cfg->key_shares when set (possibly empty, to force a
 * HelloRetryRequest), else one share for the first group we can compute.
 */
#include "td_hs_client13_psk.h"

#include <string.h>

#define TLS12 0x0303u
#define TLS13 0x0304u

static const uint16_t ext_order[] = {
    TD_EXT_SERVER_NAME,          TD_EXT_RENEGOTIATION_INFO,
    TD_EXT_SUPPORTED_GROUPS,     TD_EXT_EC_POINT_FORMATS,
    TD_EXT_SESSION_TICKET,       TD_EXT_EXTENDED_MASTER_SECRET,
    TD_EXT_KEY_SHARE,            TD_EXT_EARLY_DATA,
    TD_EXT_SUPPORTED_VERSIONS,   TD_EXT_SIGNATURE_ALGORITHMS,
    TD_EXT_ALPN,                 TD_EXT_COOKIE,
    TD_EXT_PSK_KEY_EXCHANGE_MODES, TD_EXT_POST_HANDSHAKE_AUTH,
    TD_EXT_RECORD_SIZE_LIMIT,    TD_EXT_PADDING,
    TD_EXT_PRE_SHARED_KEY,
};

#define BUF_EXT 4096u
#define BUF_LIST 512u

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

/* ------------------------------------------------------------------------
 * What we offer
 * ------------------------------------------------------------------------ */

static uint16_t max_version(const td_conn *c)
{
    return c->cfg->max_version ? c->cfg->max_version : TLS13;
}

static uint16_t min_version(const td_conn *c)
{
    return c->cfg->min_version > TLS12 ? c->cfg->min_version : TLS12;
}

static int offers13(const td_conn *c)
{
    return max_version(c) >= TLS13 && min_version(c) <= TLS13;
}

static int offers12(const td_conn *c)
{
    return max_version(c) >= TLS12 && min_version(c) <= TLS12;
}

static int extra(const td_conn *c, uint16_t type)
{
    return td_hs_code_in(&c->cfg->extra_extensions, type);
}

/* RFC 6066 3: "Literal IPv4 and IPv6 addresses are not permitted in
 * "HostName"": a name of digits and dots only, or with a colon, is not
 * sent. */
static int sni_is_host_name(const char *sni)
{
    size_t i;
    int other = 0;

    if (sni[0] == '\0')
        return 0;
    for (i = 0; sni[i] != '\0'; i++) {
        if (sni[i] == ':')
            return 0;
        other |= sni[i] != '.' && (sni[i] < '0' || sni[i] > '9');
    }
    return other;
}

/* Whether the ClientHello carries `type` (before the answer comes). */
static int sends(const td_conn *c, uint16_t type)
{
    int o12 = offers12(c), o13 = offers13(c);

    switch (type) {
    case TD_EXT_SERVER_NAME:
        return sni_is_host_name(c->cfg->sni);
    case TD_EXT_SUPPORTED_GROUPS:
    case TD_EXT_SIGNATURE_ALGORITHMS:
        return 1;
    case TD_EXT_RENEGOTIATION_INFO:
    case TD_EXT_EC_POINT_FORMATS:
    case TD_EXT_EXTENDED_MASTER_SECRET:
        return o12 || extra(c, type);
    case TD_EXT_SESSION_TICKET:
        return (o12 && c->cfg->tickets) || extra(c, type);
    case TD_EXT_KEY_SHARE:
    case TD_EXT_SUPPORTED_VERSIONS:
        return o13;
    case TD_EXT_ALPN:
        return c->cfg->alpn[0] != '\0';
    case TD_EXT_COOKIE:
        return o13 && c->cookie_len > 0;
    case TD_EXT_PSK_KEY_EXCHANGE_MODES:
        return o13 && (c->cfg->tickets || extra(c, type));
    case TD_EXT_PRE_SHARED_KEY: /* RFC 8446 4.2.9: with the modes only */
        return o13 && c->psk_state && sends(c, TD_EXT_PSK_KEY_EXCHANGE_MODES);
    case TD_EXT_EARLY_DATA: /* RFC 8446 4.1.2: not after an HRR */
        return o13 && c->early_state && !c->hrr_done;
    case TD_EXT_POST_HANDSHAKE_AUTH:
        return o13 && extra(c, type);
    case TD_EXT_RECORD_SIZE_LIMIT:
    case TD_EXT_PADDING:
        return extra(c, type);
    default:
        return 0;
    }
}

int td_cli_offered_extension(const td_conn *c, uint16_t type)
{
    /* RFC 7685 3: "The server MUST NOT echo the extension"; a cookie is
     * only ever the server's own (RFC 8446 4.2.2), in a HelloRetryRequest */
    if (type == TD_EXT_PADDING || type == TD_EXT_COOKIE)
        return 0;
    return sends(c, type);
}

int td_cli_offered_sig_scheme(const td_conn *c, uint16_t scheme)
{
    return td_hs_code_in(td_hs_our_sigalgs(c), scheme);
}

/* The next comma-separated ALPN name of cfg->alpn from *pos. */
static int alpn_next(const char *list, size_t *pos, td_span *name)
{
    size_t start = *pos, end;

    if (list[start] == '\0')
        return 0;
    end = start;
    while (list[end] != '\0' && list[end] != ',')
        end++;
    name->p = (const uint8_t *)list + start;
    name->len = end - start;
    *pos = list[end] == ',' ? end + 1 : end;
    return 1;
}

int td_cli_offered_alpn(const td_conn *c, td_span protocol)
{
    size_t pos = 0;
    td_span name;

    while (alpn_next(c->cfg->alpn, &pos, &name))
        if (name.len == protocol.len && protocol.len > 0 &&
            memcmp(name.p, protocol.p, protocol.len) == 0)
            return 1;
    return 0;
}

int td_cli_offers_version(const td_conn *c, uint16_t v)
{
    return v >= TLS12 && v >= min_version(c) && v <= max_version(c) &&
           v <= TLS13;
}

int td_cli_offered_suite(const td_conn *c, uint16_t s)
{
    if (c->cfg->suites.n)
        return td_hs_code_in(&c->cfg->suites, s);
    return (offers13(c) && td_hs_code_in(&td_hs_default_suites13, s)) ||
           (offers12(c) && td_hs_code_in(&td_hs_default_suites12, s));
}

int td_cli_offered_group(const td_conn *c, uint16_t g)
{
    return td_hs_code_in(td_hs_our_groups(c), g);
}

/* ------------------------------------------------------------------------
 * Building
 * ------------------------------------------------------------------------ */

/* cipher_suites: the config's, else the defaults of the versions
 * offered, TLS 1.3's first (RFC 8446 4.1.2: "in descending order of
 * client preference") */
static td_err suites_body(const td_conn *c, uint8_t *buf, size_t cap,
                          td_span *out)
{
    td_code_list l = c->cfg->suites;
    size_t i;

    if (l.n == 0) {
        if (offers13(c))
            for (i = 0; i < td_hs_default_suites13.n; i++)
                l.v[l.n++] = td_hs_default_suites13.v[i];
        if (offers12(c))
            for (i = 0; i < td_hs_default_suites12.n; i++)
                l.v[l.n++] = td_hs_default_suites12.v[i];
    }
    return td_hs_code_list_body(&l, buf, cap, out);
}

/* client_shares: our KeyShareEntry values, public values recomputed from
 * the private keys held (so an updated ClientHello repeats them). */
static td_err shares_body(const td_conn *c, uint8_t *buf, size_t cap,
                          td_span *out)
{
    td_wr w;
    size_t i;

    td_wr_init(&w, buf, cap);
    for (i = 0; i < c->kx_n; i++) {
        uint8_t pub[TD_KX_MAX_PUB_LEN];
        td_key_share_entry e;
        uint16_t g = c->kx_group[i];

        TRY(td_kx_public(g, span_of(c->kx_priv[i], td_kx_priv_len(g)), pub));
        e.group = g;
        e.key_exchange = span_of(pub, td_kx_pub_len(g));
        TRY(td_key_share_entry_encode(&w, &e));
    }
    return td_wr_finish(&w, out);
}

static td_err alpn_body(const td_conn *c, uint8_t *buf, size_t cap,
                        td_span *out)
{
    size_t pos = 0;
    td_span name;
    td_wr w;

    td_wr_init(&w, buf, cap);
    while (alpn_next(c->cfg->alpn, &pos, &name)) {
        /* RFC 7301 3.1: ProtocolName<1..2^8-1> */
        ENSURE(name.len >= 1 && name.len <= 255, TD_ERR_UNSUPPORTED);
        TRY(td_wr_u8(&w, (uint32_t)name.len));
        TRY(td_wr_span(&w, name));
    }
    return td_wr_finish(&w, out);
}

/* extension_data of `type` (its ClientHello form) into w. */
static td_err ext_data(const td_conn *c, uint16_t type, size_t pad, td_wr *w)
{
    static const uint8_t zeros[512];
    static const uint8_t uncompressed[1] = {0};
    const td_ext_ctx ctx = TD_EXT_CTX_CLIENT_HELLO;
    uint8_t buf[BUF_LIST];

    switch (type) {
    case TD_EXT_SERVER_NAME: {
        td_ext_server_name sn = {{NULL, 0}, {NULL, 0}};

        sn.host_name = span_of((const uint8_t *)c->cfg->sni,
                               strlen(c->cfg->sni));
        return td_ext_server_name_encode(w, ctx, &sn);
    }
    case TD_EXT_RENEGOTIATION_INFO: {
        td_ext_renegotiation_info ri = {{NULL, 0}}; /* RFC 5746 3.4 */
        return td_ext_renegotiation_info_encode(w, ctx, &ri);
    }
    case TD_EXT_SUPPORTED_GROUPS: {
        td_ext_supported_groups sg;

        TRY(td_hs_code_list_body(td_hs_our_groups(c), buf, sizeof buf,
                                 &sg.named_group_list));
        return td_ext_supported_groups_encode(w, ctx, &sg);
    }
    case TD_EXT_EC_POINT_FORMATS: {
        td_ext_ec_point_formats pf = {{uncompressed, 1}};
        return td_ext_ec_point_formats_encode(w, ctx, &pf);
    }
    case TD_EXT_SESSION_TICKET: {
        /* RFC 5077 3.2: the ticket of the session resumed, else empty */
        td_ext_session_ticket st = {td_cli12_ticket_offer(c)};
        return td_ext_session_ticket_encode(w, ctx, &st);
    }
    case TD_EXT_EXTENDED_MASTER_SECRET:
    case TD_EXT_POST_HANDSHAKE_AUTH:
        return td_ext_empty_encode(w, type, ctx);
    case TD_EXT_KEY_SHARE: {
        td_ext_key_share ks;

        memset(&ks, 0, sizeof ks);
        TRY(shares_body(c, buf, sizeof buf, &ks.client_shares));
        return td_ext_key_share_encode(w, ctx, &ks);
    }
    case TD_EXT_SUPPORTED_VERSIONS: {
        td_ext_supported_versions sv;
        td_code_list vs;

        /* RFC 8446 4.2.1: every version we would negotiate, most
         * preferred first */
        vs.n = 0;
        vs.v[vs.n++] = TLS13;
        if (offers12(c))
            vs.v[vs.n++] = TLS12;
        memset(&sv, 0, sizeof sv);
        TRY(td_hs_code_list_body(&vs, buf, sizeof buf, &sv.versions));
        return td_ext_supported_versions_encode(w, ctx, &sv);
    }
    case TD_EXT_SIGNATURE_ALGORITHMS: {
        td_ext_signature_algorithms sa;

        TRY(td_hs_code_list_body(td_hs_our_sigalgs(c), buf, sizeof buf,
                                 &sa.supported_signature_algorithms));
        return td_ext_signature_algorithms_encode(w, ctx, &sa);
    }
    case TD_EXT_ALPN: {
        td_ext_alpn al;

        memset(&al, 0, sizeof al);
        TRY(alpn_body(c, buf, sizeof buf, &al.protocol_name_list));
        return td_ext_alpn_encode(w, ctx, &al);
    }
    case TD_EXT_COOKIE: {
        /* RFC 8446 4.2.2: "the client MUST copy the contents of the
         * extension received in the HelloRetryRequest" */
        td_ext_cookie ck = {{c->cookie, c->cookie_len}};
        return td_ext_cookie_encode(w, ctx, &ck);
    }
    case TD_EXT_PSK_KEY_EXCHANGE_MODES:
    case TD_EXT_PRE_SHARED_KEY:
    case TD_EXT_EARLY_DATA:
        return td_cli13_psk_ext_data(c, type, w);
    case TD_EXT_RECORD_SIZE_LIMIT: {
        /* RFC 8449 4: up to the protocol-defined maximum */
        td_ext_record_size_limit rl = {
            (uint16_t)(offers13(c) ? TD_MAX_PLAINTEXT_LEN + 1
                                   : TD_MAX_PLAINTEXT_LEN)};
        return td_ext_record_size_limit_encode(w, ctx, &rl);
    }
    case TD_EXT_PADDING: {
        td_ext_padding pd = {{zeros, pad}};

        ENSURE(pad <= sizeof zeros, TD_ERR_INTERNAL);
        return td_ext_padding_encode(w, ctx, &pd);
    }
    default:
        return TD_ERR_INTERNAL;
    }
}

/* The whole ClientHello body. with_padding: the padding extension with
 * `pad` zero bytes (RFC 7685 4). */
static td_err client_hello_body(const td_conn *c, int with_padding, size_t pad,
                                uint8_t *buf, size_t cap, td_span *out)
{
    static const uint8_t null_compression[1] = {0};
    uint8_t exts[BUF_EXT], suites[2 * TD_PROFILE_MAX_LIST + 32];
    td_client_hello ch;
    td_wr w, ew;
    size_t i;

    td_wr_init(&ew, exts, sizeof exts);
    for (i = 0; i < sizeof ext_order / sizeof ext_order[0]; i++) {
        uint16_t type = ext_order[i];
        td_wr_mark m;

        if (!sends(c, type) || (type == TD_EXT_PADDING && !with_padding))
            continue;
        TRY(td_wr_u16(&ew, type));
        TRY(td_wr_open16(&ew, &m));
        TRY(ext_data(c, type, pad, &ew));
        TRY(td_wr_close(&ew, &m));
    }
    memset(&ch, 0, sizeof ch);
    ch.legacy_version = TLS12; /* RFC 8446 4.1.2 */
    memcpy(ch.random, c->client_random, TD_RANDOM_LEN);
    ch.legacy_session_id = span_of(c->session_id, c->session_id_len);
    TRY(suites_body(c, suites, sizeof suites, &ch.cipher_suites));
    ch.legacy_compression_methods = span_of(null_compression, 1);
    ch.has_extensions = 1;
    TRY(td_wr_finish(&ew, &ch.extensions));
    td_wr_init(&w, buf, cap);
    TRY(td_client_hello_encode(&w, &ch));
    return td_wr_finish(&w, out);
}

td_err td_cli_send_client_hello(td_conn *c)
{
    uint8_t body[BUF_EXT + 512];
    td_span s;

    TRY(client_hello_body(c, 0, 0, body, sizeof body, &s));
    if (sends(c, TD_EXT_PADDING)) {
        /* RFC 7685 4: "add four to the length (to account for the
         * handshake protocol header) and test whether the resulting length
         * falls into that range [256..511]. If it does, a padding extension
         * can be added in order to push the length to (at least) 512" */
        size_t len = s.len + TD_HANDSHAKE_HEADER_LEN;

        if (len >= 256 && len <= 511) {
            /* the extension's own 4-byte header counts toward 512 */
            size_t pad = 512 - len >= 4 ? 512 - len - 4 : 0;

            TRY(client_hello_body(c, 1, pad, body, sizeof body, &s));
        }
    }
    if (sends(c, TD_EXT_PRE_SHARED_KEY))
        TRY(td_cli13_psk_bind(c, body, s.len)); /* RFC 8446 4.2.11.2 */
    return td_conn_send_handshake(c, TD_HS_CLIENT_HELLO, s);
}

/* One ephemeral share per group of cfg->key_shares, or for the first
 * group of supported_groups that we can compute. */
static td_err generate_shares(td_conn *c)
{
    uint8_t pub[TD_KX_MAX_PUB_LEN];
    const td_code_list *ours = td_hs_our_groups(c);
    const uint16_t *groups = ours->v;
    size_t ng = ours->n, i, pub_len, last = 0;

    if (!c->cfg->key_shares_set) {
        for (i = 0; i < ng; i++)
            if (td_kx_priv_len(groups[i]) != 0)
                return td_hs_kx_generate(c, groups[i], pub, &pub_len);
        return TD_ERR_UNSUPPORTED; /* no group we can compute */
    }
    ENSURE(c->cfg->key_shares.n <= TD_CONN_MAX_SHARES, TD_ERR_UNSUPPORTED);
    for (i = 0; i < c->cfg->key_shares.n; i++) {
        uint16_t g = c->cfg->key_shares.v[i];
        size_t at;

        /* RFC 8446 4.2.8: "Each KeyShareEntry value MUST correspond to a
         * group offered in the "supported_groups" extension and MUST
         * appear in the same order." A config that breaks it is not
         * sent. */
        for (at = 0; at < ng && groups[at] != g; at++)
            ;
        ENSURE(at < ng && (i == 0 || at > last), TD_ERR_UNSUPPORTED);
        ENSURE(td_kx_priv_len(g) != 0, TD_ERR_UNSUPPORTED);
        last = at;
        TRY(td_hs_kx_generate(c, g, pub, &pub_len));
    }
    return TD_OK;
}

td_err td_hs_client_start(td_conn *c)
{
    ENSURE(c->cfg->role == TD_ROLE_CLIENT && c->state == TD_ST_START,
           TD_ERR_INTERNAL);
    /* RFC 8996 4, 5 and RFC 7568 3: nothing below TLS 1.2 is offered */
    ENSURE(max_version(c) >= TLS12 && min_version(c) <= max_version(c),
           TD_ERR_UNSUPPORTED);
    TRY(td_conn_draw(c, TD_DRAW_RANDOM, c->client_random, TD_RANDOM_LEN));
    c->session_id_len = 0;
    if (offers12(c))
        TRY(td_cli12_session_offer(c));
    if (c->session_id_len == 0 && offers13(c) &&
        !c->cfg->no_compat_session_id) {
        /* RFC 8446 D.4: "the client ... sets legacy_session_id to a
         * 32-byte value" (4.1.2: "a new 32-byte value") */
        TRY(td_conn_draw(c, TD_DRAW_SESSION_ID, c->session_id,
                         TD_MAX_SESSION_ID_LEN));
        c->session_id_len = TD_MAX_SESSION_ID_LEN;
    }
    if (offers13(c))
        TRY(generate_shares(c));
    if (sends(c, TD_EXT_PSK_KEY_EXCHANGE_MODES))
        TRY(td_cli13_psk_offer(c));
    TRY(td_cli_send_client_hello(c));
    /* RFC 8446 5.1: the initial ClientHello's record MAY say 0x0301 "for
     * compatibility purposes" (the RFC 8448 traces do); td_conn_flush
     * says 0x0303 from then on */
    c->out_record_version = 0x0301;
    TRY(td_conn_flush(c));
    TRY(td_cli13_early_start(c)); /* 0-RTT offered: its write key */
    c->state = TD_ST_CLI_WAIT_SERVER_HELLO;
    return TD_OK;
}
