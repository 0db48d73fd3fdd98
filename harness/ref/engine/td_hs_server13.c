/*
 * The TLS 1.3 server's ClientHello (RFC 8446 4.1.2, A.2): the checks and
 * the choice of cipher suite, group and signature scheme (4.1.1). The
 * HelloRetryRequest (4.1.4) with its cookie (4.2.2), and the second
 * ClientHello that must answer it (4.1.2), are in td_hs_server13_retry.c;
 * the rules both files follow are quoted here.
 *
 * RFC 8446 4.1.1: "If the server selects an (EC)DHE group and the client
 *   did not offer a compatible "key_share" extension in the initial
 *   ClientHello, the server MUST respond with a HelloRetryRequest".
 *   The server selects independently, in its own order of preference:
 *   the first of our suites the client offers, the first of our groups
 *   the client lists in supported_groups (whether or not it sent a share
 *   for it: RFC 8448 5 shows a server that prefers P-256 retrying a
 *   client that sent only an X25519 share), the first of our schemes the
 *   client lists in signature_algorithms.
 *
 * RFC 8446 4.1.2, the second ClientHello: "the client MUST send the same
 *   ClientHello without modification, except as follows:
 *   -  If a "key_share" extension was supplied in the HelloRetryRequest,
 *      replacing the list of shares with a list containing a single
 *      KeyShareEntry from the indicated group.
 *   -  Removing the "early_data" extension (Section 4.2.10) if one was
 *      present.  Early data is not permitted after a HelloRetryRequest.
 *   -  Including a "cookie" extension if one was provided in the
 *      HelloRetryRequest.
 *   -  Updating the "pre_shared_key" extension if present ...
 *   -  Optionally adding, removing, or changing the length of the
 *      "padding" extension [RFC7685]."
 *
 * RFC 8446 4.4.1: after a HelloRetryRequest, ClientHello1 is replaced in
 *   the transcript by
 *     Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
 *         Hash(message_hash ||        (Handshake type)
 *              00 00 Hash.length  ||  (Handshake message length, bytes)
 *              Hash(ClientHello1) ||  (Hash of ClientHello1)
 *              HelloRetryRequest  || ... || Mn)
 *   The server keeps ClientHello1 in the transcript until the second
 *   ClientHello arrives (it is compared against it), then rewrites it.
 *
 * The cookie (RFC 8446 4.2.2) is HMAC-SHA256(key, Hash(ClientHello1)),
 * under a key drawn once per connection (TD_DRAW_COOKIE); a replay may
 * script the cookie bytes themselves instead.
 *
 * A PSK (RFC 8446 4.2.11, td_hs_server13_psk.c) is chosen after the
 * cipher suite and the group; with one, signature_algorithms is not
 * needed (4.2.3: only "If a server is authenticating via a certificate")
 * and with psk_ke no group either (4.2.9).
 */
#include "td_hs_server13.h"

#include <string.h>

#ifdef TD_INJECT_BUGS
#include "td_inject.h"
#endif

td_err td_srv13_th(td_conn *c, size_t len, uint8_t *out, td_span *hash)
{
    TRY(td_conn_transcript_hash(c, c->suite.hash, len, out));
    hash->p = out;
    hash->len = td_hash_len(c->suite.hash);
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * The ClientHello's extensions
 * ------------------------------------------------------------------------ */

td_err td_srv13_ch_parse(const td_client_hello *ch, td_ch13 *x)
{
    const td_ext_ctx ctx = TD_EXT_CTX_CLIENT_HELLO;
    td_ext_iter it;
    uint16_t type;
    td_span data;
    int got;

    memset(x, 0, sizeof *x);
    td_ext_iter_init(&it, ch->extensions);
    for (;;) {
        TRY(td_ext_iter_next(&it, &type, &data, &got));
        if (!got)
            return TD_OK;
        switch (type) {
        case TD_EXT_SUPPORTED_GROUPS: {
            td_ext_supported_groups g;

            TRY(td_ext_supported_groups_decode(data, ctx, &g));
            x->groups = g.named_group_list;
            x->groups_present = 1;
            break;
        }
        case TD_EXT_KEY_SHARE: {
            td_ext_key_share k;

            TRY(td_ext_key_share_decode(data, ctx, &k));
            x->shares = k.client_shares;
            x->shares_present = 1;
            break;
        }
        case TD_EXT_SIGNATURE_ALGORITHMS: {
            td_ext_signature_algorithms s;

            TRY(td_ext_signature_algorithms_decode(data, ctx, &s));
            x->sigalgs = s.supported_signature_algorithms;
            x->sigalgs_present = 1;
            break;
        }
        case TD_EXT_ALPN: {
            td_ext_alpn a;

            TRY(td_ext_alpn_decode(data, ctx, &a));
            x->alpn = a.protocol_name_list;
            x->alpn_present = 1;
            break;
        }
        case TD_EXT_RECORD_SIZE_LIMIT: {
            td_ext_record_size_limit l;

            TRY(td_ext_record_size_limit_decode(data, ctx, &l));
            x->record_size_limit = l.record_size_limit;
            x->rsl_present = 1;
            break;
        }
        case TD_EXT_COOKIE: {
            td_ext_cookie k;

            TRY(td_ext_cookie_decode(data, ctx, &k));
            x->cookie = k.cookie;
            x->cookie_present = 1;
            break;
        }
        case TD_EXT_SERVER_NAME:
            x->sni_present = 1;
            break;
        case TD_EXT_PRE_SHARED_KEY:
            /* RFC 8446 4.2.11 (the codec: bounds, equal counts) */
            TRY(td_ext_pre_shared_key_decode(data, ctx, &x->psk));
            x->psk_present = 1;
            break;
        case TD_EXT_PSK_KEY_EXCHANGE_MODES: {
            td_ext_psk_key_exchange_modes m;
            td_rd r;
            uint8_t mode;

            TRY(td_ext_psk_key_exchange_modes_decode(data, ctx, &m));
            /* RFC 8446 4.2.9: unknown modes are not ours to select */
            td_rd_init_span(&r, m.ke_modes);
            while (td_rd_u8(&r, &mode) == TD_OK)
                if (mode == TD_PSK_KE || mode == TD_PSK_DHE_KE)
                    x->psk_modes |= 1u << mode;
            x->psk_modes_present = 1;
            break;
        }
        case TD_EXT_EARLY_DATA:
            x->early_data_present = 1;
            break;
        default:
            break; /* RFC 8446 4.1.2: unrecognized extensions are ignored */
        }
    }
}

/* RFC 8446 4.2.8: "Clients MUST NOT offer any KeyShareEntry values for
 * groups not listed in the client's "supported_groups" extension" and
 * "each KeyShareEntry value MUST correspond to a group offered in the
 * "supported_groups" extension and MUST appear in the same order ...
 * Servers MAY check for violations of these rules and abort the handshake
 * with an "illegal_parameter" alert if one is violated." We check. */
static td_err shares_check(const td_ch13 *x)
{
    td_rd list;
    td_key_share_entry e;
    size_t last = 0;
    int got, first = 1;

    td_rd_init_span(&list, x->shares);
    for (;;) {
        td_rd g;
        uint16_t v;
        size_t pos = 0;
        int found = 0;

        TRY(td_key_share_entry_next(&list, &e, &got));
        if (!got)
            return TD_OK;
        td_rd_init_span(&g, x->groups);
        while (!found && td_rd_u16(&g, &v) == TD_OK) {
            if (v == e.group)
                found = 1;
            else
                pos++;
        }
        ENSURE(found, TD_ALERT_ILLEGAL_PARAMETER);              /* 4.2.8 */
        ENSURE(first || pos > last, TD_ALERT_ILLEGAL_PARAMETER); /* 4.2.8 */
        last = pos;
        first = 0;
    }
}

td_err td_srv13_ch_check(const td_client_hello *ch, const td_ch13 *x)
{
    td_rd r;
    uint8_t method;

    /* RFC 8446 4.1.2: legacy_compression_methods "MUST contain exactly
     * one byte, set to zero ... If a TLS 1.3 ClientHello is received with
     * any other value in this field, the server MUST abort the handshake
     * with an "illegal_parameter" alert." */
    td_rd_init_span(&r, ch->legacy_compression_methods);
#ifdef TD_INJECT_BUGS
    if (td_injected_bug != TD_BUG_COMPRESSION) /* test-only: no check */
#endif
    ENSURE(td_rd_u8(&r, &method) == TD_OK && method == 0 &&
               td_rd_left(&r) == 0,
           TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 8446 9.2: without pre_shared_key, both signature_algorithms and
     * supported_groups; supported_groups and key_share together. "Servers
     * receiving a ClientHello which does not conform to these
     * requirements MUST abort the handshake with a "missing_extension"
     * alert." */
    ENSURE(x->psk_present || (x->sigalgs_present && x->groups_present),
           TD_ALERT_MISSING_EXTENSION);
    ENSURE(x->groups_present == x->shares_present, TD_ALERT_MISSING_EXTENSION);
    /* RFC 8446 4.2.9: pre_shared_key without psk_key_exchange_modes
     * "servers MUST abort the handshake" (missing_extension, 6.2) */
    ENSURE(!x->psk_present || x->psk_modes_present,
           TD_ALERT_MISSING_EXTENSION);
    /* (signature_algorithms and supported_groups: td_srv13_choose, once
     * it knows whether a PSK is used) */
    return shares_check(x);
}

/* ------------------------------------------------------------------------
 * Choices (RFC 8446 4.1.1)
 * ------------------------------------------------------------------------ */

static int alpn_offered(td_span list, const char *name, size_t n)
{
    td_rd r, v;

    td_rd_init_span(&r, list);
    while (td_rd_vec8(&r, 1, 255, &v) == TD_OK) {
        td_span s;

        td_rd_rest(&v, &s);
        if (s.len == n && memcmp(s.p, name, n) == 0)
            return 1;
    }
    return 0;
}

/* RFC 7301 3.2: the first of our protocols (cfg->alpn, comma-separated,
 * in preference order) the client offers; "In the event that the server
 * supports no protocols that the client advertises, then the server SHALL
 * respond with a fatal "no_application_protocol" alert." No protocols of
 * our own: the extension is ignored. */
static td_err choose_alpn(const td_conn *c, const td_ch13 *x, td_span *out)
{
    const char *p = c->cfg->alpn;

    out->p = NULL;
    out->len = 0;
    if (!x->alpn_present || p[0] == '\0')
        return TD_OK;
    while (*p) {
        size_t n;

        while (*p == ' ')
            p++;
        n = strcspn(p, ",");
        {
            size_t m = n;

            while (m > 0 && p[m - 1] == ' ')
                m--;
            if (m > 0 && m <= 255 && alpn_offered(x->alpn, p, m)) {
                out->p = (const uint8_t *)p;
                out->len = m;
                return TD_OK;
            }
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return TD_ALERT_NO_APPLICATION_PROTOCOL;
}

td_err td_srv13_choose(const td_conn *c, const td_client_hello *ch,
                        const td_ch13 *x, td_srv13_choice *out)
{
    const td_code_list *suites = td_hs_our_suites(c, 0x0304);
    const td_code_list *groups = td_hs_our_groups(c);
    td_rd list;
    td_key_share_entry e;
    size_t i;
    int got;

    memset(out, 0, sizeof *out);
    for (i = 0; i < suites->n && !out->cipher_suite; i++) {
        td_ks_suite s;

        if (td_ks_suite_find(suites->v[i], &s) == TD_OK &&
            s.version == 0x0304 &&
            td_hs_u16_in(ch->cipher_suites, suites->v[i]))
            out->cipher_suite = suites->v[i];
    }
    /* RFC 8446 4.1.1: no overlap of cipher suites */
    ENSURE(out->cipher_suite != 0, TD_ALERT_HANDSHAKE_FAILURE);
    for (i = 0; i < groups->n && !out->group; i++)
        if (td_kx_priv_len(groups->v[i]) != 0 &&
            td_hs_u16_in(x->groups, groups->v[i]))
            out->group = groups->v[i];
    out->groups_present = x->groups_present;
    /* RFC 8446 4.2.11: a ticket of ours, and its mode (4.2.9) */
    TRY(td_srv13_psk_choose(c, x, out));
    if (out->psk && out->psk_ke_mode == TD_PSK_KE)
        out->group = 0; /* RFC 8446 4.2.9: no key_share with psk_ke */
    /* RFC 8446 4.1.1: "If there is no overlap between the received
     * "supported_groups" and the groups supported by the server, then the
     * server MUST abort the handshake with a "handshake_failure" or an
     * "insufficient_security" alert." (A client without supported_groups,
     * possible only with a PSK (9.2), that is not resumed has no
     * overlap either.) */
    ENSURE(out->group != 0 || (out->psk && out->psk_ke_mode == TD_PSK_KE),
           TD_ALERT_HANDSHAKE_FAILURE);
    td_rd_init_span(&list, x->shares);
    for (;;) {
        TRY(td_key_share_entry_next(&list, &e, &got));
        if (!got)
            break;
        if (e.group == out->group) {
            out->have_share = 1;
            out->client_share = e.key_exchange;
        }
    }
    if (!out->psk) {
        /* RFC 8446 4.2.3: "If a server is authenticating via a
         * certificate and the client has not sent a
         * "signature_algorithms" extension, then the server MUST abort
         * the handshake with a "missing_extension" alert" */
        ENSURE(x->sigalgs_present, TD_ALERT_MISSING_EXTENSION);
        /* RFC 8446 4.4.2.2, 4.2.3 (handshake_failure when none fits) */
        TRY(td_hs_pick_sig_scheme(c, x->sigalgs, &out->sig_scheme));
    }
    TRY(choose_alpn(c, x, &out->alpn));
    out->server_name = x->sni_present;
    /* RFC 8449 4: "When the record_size_limit extension is negotiated, an
     * endpoint MUST NOT generate a protected record with plaintext that
     * is larger than the RecordSizeLimit value it receives from its
     * peer." Our records carry up to 2^14 bytes of content (2^14 + 1 of
     * TLSInnerPlaintext), so we negotiate it only when the client takes
     * that much; otherwise we leave it unanswered (not negotiated). */
    out->record_size_limit =
        x->rsl_present && x->record_size_limit >= TD_MAX_INNER_PLAINTEXT_LEN;
    return TD_OK;
}

/* legacy_session_id_echo (RFC 8446 4.1.3) and the compatibility mode it
 * signals (D.4). */
static void keep_session_id(td_conn *c, const td_client_hello *ch)
{
    c->session_id_len = ch->legacy_session_id.len; /* <= 32: the codec */
    if (c->session_id_len)
        memcpy(c->session_id, ch->legacy_session_id.p, c->session_id_len);
}

td_err td_srv13_on_client_hello(td_conn *c, const td_client_hello *ch)
{
    td_ch13 x;
    td_srv13_choice choice;

    TRY(td_srv13_ch_parse(ch, &x));
    TRY(td_srv13_ch_check(ch, &x));
    TRY(td_srv13_choose(c, ch, &x, &choice));
    keep_session_id(c, ch);
    c->psk_modes_offered = x.psk_modes;
    /* RFC 8446 4.1.1 (psk_ke needs no share) */
    if (choice.group != 0 && !choice.have_share)
        return td_srv13_send_hrr(c, &choice);
    return td_srv13_send_flight(c, &choice);
}

