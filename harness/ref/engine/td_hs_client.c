/*
 * The client's ServerHello, which picks the version, and the
 * HelloRetryRequest (the ClientHello is td_hs_client_hello.c).
 *
 * RFC 8446 4.1.3: the client "MUST first examine the Random value" (the
 * codec marks a HelloRetryRequest); the version is supported_versions'
 * selected_version when present (4.2.1), else the legacy field: TLS 1.2,
 * handed to td_hs_client12.c once the downgrade sentinels are checked:
 *
 *     44 4F 57 4E 47 52 44 01   (a TLS 1.3 server negotiating TLS 1.2)
 *     44 4F 57 4E 47 52 44 00   (... TLS 1.1 or below)
 *
 * RFC 8446 4.1.4, HelloRetryRequest: check it as a ServerHello, then its
 * extensions (supported_versions, cookie, key_share); send ClientHello2
 * with the transcript restarted (4.4.1):
 *
 *     Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
 *         Hash(message_hash ||        -- Handshake type
 *              00 00 Hash.length  ||  -- Handshake message length (bytes)
 *              Hash(ClientHello1) ||  -- Hash of ClientHello1
 *              HelloRetryRequest  || ... || Mn)
 *
 * The TLS 1.3 ServerHello starts the key schedule (RFC 8446 7.1):
 *
 *              0 -> HKDF-Extract = Early Secret
 *                        |
 *                  Derive-Secret(., "derived", "")
 *                        |
 *              (EC)DHE -> HKDF-Extract = Handshake Secret
 *                        |
 *                        +-----> Derive-Secret(., "c hs traffic",
 *                        |                     ClientHello...ServerHello)
 *                        |                     = client_handshake_traffic_secret
 *                        +-----> Derive-Secret(., "s hs traffic",
 *                                              ClientHello...ServerHello)
 *                                              = server_handshake_traffic_secret
 *
 * and the server's handshake key is read from the next record on (7.3).
 * Our write key changes after the server's Finished (td_hs_client13.c).
 * When the server accepts our PSK (RFC 8446 4.2.11), the Early Secret is
 * the PSK's, kept from the ClientHello, and with psk_ke (4.2.9) the
 * (EC)DHE input is Hash.length zeros; the checks of the ServerHello's
 * pre_shared_key are td_hs_client13_psk.c's.
 */
#include "td_hs_client13_psk.h"

#include <string.h>

#ifdef TD_INJECT_BUGS
#include "td_inject.h"
#endif

#define TLS12 0x0303u
#define TLS13 0x0304u

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

/* Every extension of a ServerHello / HelloRetryRequest is one we offered
 * (RFC 8446 4.2 "MUST abort the handshake with an "unsupported_extension"
 * alert", 4.1.4 "with the exception of optionally the "cookie""; RFC 5246
 * 7.4.1.4 the same for TLS 1.2). */
static td_err check_offered(td_conn *c, td_span block, int cookie_ok)
{
    td_ext_iter it;

    td_ext_iter_init(&it, block);
    for (;;) {
        uint16_t type;
        td_span data;
        int got;

        TRY(td_ext_iter_next(&it, &type, &data, &got));
        if (!got)
            return TD_OK;
        if (cookie_ok && type == TD_EXT_COOKIE)
            continue;
        ENSURE(td_cli_offered_extension(c, type),
               TD_CONN_FAIL(c, TD_ALERT_UNSUPPORTED_EXTENSION,
                            "ServerHello: extension not offered"));
    }
}

/* The checks a HelloRetryRequest shares with a TLS 1.3 ServerHello
 * (RFC 8446 4.1.4: "the client MUST check the legacy_version,
 * legacy_session_id_echo, cipher_suite, and legacy_compression_method as
 * specified in Section 4.1.3"). The compression method (which "MUST have
 * the value 0") and a selected_version below TLS 1.3 are the codec's. */
static td_err check_sh13(td_conn *c, const td_server_hello *sh,
                         td_ks_suite *suite)
{
    /* RFC 8446 D.5: "Any endpoint receiving a Hello message with ...
     * ServerHello.legacy_version set to 0x0300 MUST abort the handshake
     * with a "protocol_version" alert." (supported_versions or not) */
    ENSURE(sh->legacy_version > 0x0300,
           TD_CONN_FAIL(c, TD_ALERT_PROTOCOL_VERSION,
                        "ServerHello: legacy_version 0x0300 or below"));
    /* RFC 8446 4.1.3: "the legacy_version field MUST be set to 0x0303";
     * no alert is named: 6.2 illegal_parameter for a field that is
     * "syntactically correct but semantically invalid" */
    ENSURE(sh->legacy_version == TLS12,
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: legacy_version not 0x0303"));
    /* RFC 8446 4.2.1: "If the "supported_versions" extension in the
     * ServerHello contains a version not offered by the client ... the
     * client MUST abort the handshake with an "illegal_parameter" alert." */
    ENSURE(sh->version == TLS13 && td_cli_offers_version(c, TLS13),
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: selected_version not offered"));
    /* RFC 8446 4.1.3: "A client which receives a
     * legacy_session_id_echo field that does not match what it sent in
     * the ClientHello MUST abort the handshake with an
     * "illegal_parameter" alert." */
    ENSURE(sh->legacy_session_id_echo.len == c->session_id_len &&
               (c->session_id_len == 0 ||
                memcmp(sh->legacy_session_id_echo.p, c->session_id,
                       c->session_id_len) == 0),
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: legacy_session_id_echo differs"));
    /* RFC 8446 4.1.3: "A client which receives a cipher suite that was
     * not offered MUST abort the handshake with an "illegal_parameter"
     * alert." A TLS 1.2 suite in a TLS 1.3 ServerHello was not offered
     * for this version (B.4: the TLS 1.3 suites are their own). */
#ifdef TD_INJECT_BUGS
    if (td_injected_bug != TD_BUG_SUITE_NOT_OFFERED) /* test-only: no check */
#endif
    ENSURE(td_cli_offered_suite(c, sh->cipher_suite),
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: cipher_suite not offered"));
    ENSURE(td_ks_suite_find(sh->cipher_suite, suite) == TD_OK &&
               suite->version == TLS13,
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: not a TLS 1.3 cipher_suite"));
    return TD_OK;
}

/* RFC 8446 4.4.1: ClientHello1 in the transcript becomes message_hash.
 * On entry the transcript is ClientHello1 (ch1_len bytes) then the
 * HelloRetryRequest (hrr). */
static td_err restart_transcript(td_conn *c, size_t ch1_len, td_span hrr)
{
    uint8_t mh[TD_HANDSHAKE_HEADER_LEN + TD_HASH_MAX_LEN];
    td_span mh_span;
    td_wr w;

    td_wr_init(&w, mh, sizeof mh);
    TRY(td_ks13_message_hash(c->suite.hash,
                             span_of(c->transcript, ch1_len), &w));
    TRY(td_wr_finish(&w, &mh_span));
    td_conn_transcript_set_len(c, 0);
    TRY(td_conn_transcript_add(c, mh_span));
    return td_conn_transcript_add(c, hrr);
}

static td_err on_hello_retry_request(td_conn *c, const td_handshake *msg,
                                     const td_server_hello *sh, size_t before)
{
    td_ks_suite suite;
    td_span data;
    uint16_t group = 0;
    int changed = 0;

    /* RFC 8446 4.1.4: "If a client receives a second HelloRetryRequest in
     * the same connection ... it MUST abort the handshake with an
     * "unexpected_message" alert." */
    ENSURE(!c->hrr_done,
           TD_CONN_FAIL(c, TD_ALERT_UNEXPECTED_MESSAGE,
                        "a second HelloRetryRequest"));
    TRY(check_offered(c, sh->extensions, 1));
    TRY(check_sh13(c, sh, &suite));
    if (td_ext_find(sh->extensions, TD_EXT_KEY_SHARE, &data)) {
        td_ext_key_share ks;
        size_t i;
        td_err e = td_ext_key_share_decode(
            data, TD_EXT_CTX_HELLO_RETRY_REQUEST, &ks);

        if (e != TD_OK)
            return TD_CONN_FAIL(c, e, "HelloRetryRequest: key_share");
        group = ks.selected_group;
        /* RFC 8446 4.2.8: "the client MUST verify that (1) the
         * selected_group field corresponds to a group which was provided
         * in the "supported_groups" extension in the original ClientHello
         * and (2) the selected_group field does not correspond to a group
         * which was provided in the "key_share" extension in the original
         * ClientHello. If either of these checks fails, then the client
         * MUST abort the handshake with an "illegal_parameter" alert." */
        ENSURE(td_cli_offered_group(c, group),
               TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "HelloRetryRequest: group not offered"));
        for (i = 0; i < c->kx_n; i++)
            ENSURE(c->kx_group[i] != group,
                   TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                                "HelloRetryRequest: group already shared"));
        /* A group the config lists but the engine cannot compute (the
         * RFC 8448 traces list FFDHE): we cannot go on (RFC 8446 6.2
         * handshake_failure, "unable to negotiate an acceptable set of
         * security parameters"). */
        ENSURE(td_kx_priv_len(group) != 0,
               TD_CONN_FAIL(c, TD_ALERT_HANDSHAKE_FAILURE,
                            "HelloRetryRequest: group not computable"));
        changed = 1;
    }
    if (td_ext_find(sh->extensions, TD_EXT_COOKIE, &data)) {
        td_ext_cookie ck;
        td_err e = td_ext_cookie_decode(data, TD_EXT_CTX_HELLO_RETRY_REQUEST,
                                        &ck);

        if (e != TD_OK)
            return TD_CONN_FAIL(c, e, "HelloRetryRequest: cookie");
        /* An implementation limit (td_conn.cookie), not an RFC rule: RFC
         * 8446 6.2 internal_error, "unrelated to the peer or the
         * correctness of this protocol". */
        ENSURE(ck.cookie.len <= sizeof c->cookie,
               TD_CONN_FAIL(c, TD_ALERT_INTERNAL_ERROR,
                            "HelloRetryRequest: cookie over 512 bytes"));
        memcpy(c->cookie, ck.cookie.p, ck.cookie.len);
        c->cookie_len = ck.cookie.len;
        changed = 1;
    }
    /* RFC 8446 4.1.4: "Clients MUST abort the handshake with an
     * "illegal_parameter" alert if the HelloRetryRequest would not result
     * in any change in the ClientHello." */
    ENSURE(changed, TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                                 "HelloRetryRequest: changes nothing"));
    c->suite = suite;
    c->hrr_done = 1;
    /* no 0-RTT after it; a PSK of another hash is dropped (4.1.2) */
    TRY(td_cli13_psk_on_hrr(c, &suite));
    TRY(restart_transcript(c, before, msg->raw));
    if (group != 0) {
        uint8_t pub[TD_KX_MAX_PUB_LEN];
        size_t pub_len;

        /* RFC 8446 4.1.2: "If a "key_share" extension was supplied in the
         * HelloRetryRequest, replacing the list of shares with a list
         * containing a single KeyShareEntry from the indicated group." */
        td_hs_kx_wipe(c);
        TRY(td_hs_kx_generate(c, group, pub, &pub_len));
    }
    /* RFC 8446 D.4: the dummy change_cipher_spec goes "immediately before
     * its second flight. This may either be before its second ClientHello
     * or before its encrypted handshake flight": here, once (unless it
     * followed the first ClientHello, offering 0-RTT). */
    if (c->session_id_len > 0 && !c->compat_ccs_sent) {
        TRY(td_conn_send_ccs(c));
        c->compat_ccs_sent = 1;
    }
    TRY(td_cli_send_client_hello(c));
    TRY(td_conn_flush(c));
    c->state = TD_ST_CLI_WAIT_SERVER_HELLO;
    return TD_OK;
}

/* The handshake traffic secrets and the server's key (RFC 8446 7.1, 7.3). */
static td_err handshake_keys(td_conn *c, td_span ecdhe)
{
    uint8_t th[TD_HASH_MAX_LEN];
    td_span h = {th, td_hash_len(c->suite.hash)};
    td_traffic_keys k;
    td_span none = {NULL, 0};
    td_err e;

    if (c->psk_state != TD_PSK_ACCEPTED) {
        TRY(td_ks13_init(&c->ks13, c->suite.hash));
        TRY(td_ks13_early_secret(&c->ks13, none)); /* no PSK */
    }
    TRY(td_ks13_handshake_secret(&c->ks13, ecdhe));
    TRY(td_conn_transcript_hash(c, c->suite.hash, c->transcript_len, th));
    TRY(td_ks13_client_handshake_traffic_secret(&c->ks13, h));
    TRY(td_ks13_server_handshake_traffic_secret(&c->ks13, h));
    td_hs_keylog13(c, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET);
    td_hs_keylog13(c, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET);
    TRY(td_ks13_traffic_keys(
        c->suite.hash,
        td_ks13_get(&c->ks13, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET),
        c->suite.aead, &k));
    e = td_hs_install_read(c, TD_RECORD_TLS13, k.aead,
                           span_of(k.key, k.key_length),
                           span_of(k.iv, TD_AEAD_NONCE_LEN));
    td_secure_zero(&k, sizeof k);
    return e;
}

/* The (EC)DHE shared secret from the ServerHello's key_share. */
static td_err ecdhe_shared(td_conn *c, const td_server_hello *sh,
                           uint8_t *shared, size_t *shared_len,
                           uint16_t *group)
{
    td_ext_key_share ks;
    td_span data;
    size_t i;
    int ours = 0;
    td_err e;

    /* RFC 8446 4.1.3: without a PSK, the ServerHello must carry
     * "key_share"; 6.2 missing_extension for an extension "mandatory to
     * send for the offered TLS version or other negotiated parameters"
     * (with psk_dhe_ke, td_cli13_psk_on_server_hello asked for it) */
#ifdef TD_INJECT_BUGS
    /* test-only: no (EC)DHE input, as psk_ke (RFC 8446 7.1) */
    if (td_injected_bug == TD_BUG_SH_NO_KEY_SHARE &&
        !td_ext_find(sh->extensions, TD_EXT_KEY_SHARE, &data)) {
        *shared_len = 0;
        *group = 0;
        return TD_OK;
    }
#endif
    ENSURE(td_ext_find(sh->extensions, TD_EXT_KEY_SHARE, &data),
           TD_CONN_FAIL(c, TD_ALERT_MISSING_EXTENSION,
                        "ServerHello: no key_share"));
    e = td_ext_key_share_decode(data, TD_EXT_CTX_SERVER_HELLO13, &ks);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "ServerHello: key_share");
    for (i = 0; i < c->kx_n; i++)
        ours |= c->kx_group[i] == ks.server_share.group;
    /* RFC 8446 4.2.8: server_share is "in the same group as one of the
     * client's shares"; after a HelloRetryRequest (where our one share is
     * of its group) "the client MUST verify that the selected NamedGroup
     * in the ServerHello is the same as that in the HelloRetryRequest. If
     * this check fails, the client MUST abort the handshake with an
     * "illegal_parameter" alert." The same alert without one (6.2). */
    ENSURE(ours, TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                              "ServerHello: key_share group not sent"));
    /* RFC 8446 4.2.8.2: a bad public value is illegal_parameter */
    e = td_hs_kx_shared(c, ks.server_share.group,
                        ks.server_share.key_exchange, shared, shared_len);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "ServerHello: key_exchange");
    *group = ks.server_share.group;
    return TD_OK;
}

static td_err on_server_hello13(td_conn *c, const td_server_hello *sh)
{
    uint8_t shared[TD_KX_MAX_SHARED_LEN];
    size_t shared_len = 0;
    td_ks_suite suite;
    uint16_t group = 0;
    int dhe;
    td_err e = TD_OK;

    TRY(check_offered(c, sh->extensions, 0));
    TRY(check_sh13(c, sh, &suite));
    /* RFC 8446 4.1.4: "clients MUST check that the cipher suite supplied
     * in the ServerHello is the same as that in the HelloRetryRequest and
     * otherwise abort the handshake with an "illegal_parameter" alert."
     * (selected_version, the other retained value, can only be TLS 1.3.) */
    ENSURE(!c->hrr_done || suite.cipher_suite == c->suite.cipher_suite,
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: cipher_suite differs from the HRR's"));
    /* RFC 8446 4.2.11: the PSK accepted or not, and its mode (4.2.9:
     * psk_ke has no key_share, its (EC)DHE input is zeros, 7.1) */
    TRY(td_cli13_psk_on_server_hello(c, sh, &suite, &dhe));
    if (dhe)
        e = ecdhe_shared(c, sh, shared, &shared_len, &group);
    td_hs_kx_wipe(c); /* RFC 8446 7.1: the ephemeral keys are done */
    if (e == TD_OK) {
        c->suite = suite;
        e = handshake_keys(c, span_of(shared, shared_len));
    }
    td_secure_zero(shared, sizeof shared);
    TRY(e);
    c->params.version = TLS13;
    c->params.cipher_suite = suite.cipher_suite;
    c->params.group = group;
    c->state = TD_ST_CLI_WAIT_ENCRYPTED_EXTENSIONS;
    return TD_OK;
}

static td_err on_server_hello12(td_conn *c, const td_server_hello *sh)
{
    /* RFC 8446 4.1.3: "TLS 1.3 clients receiving a ServerHello indicating
     * TLS 1.2 or below MUST check that the last 8 bytes are not equal to
     * either of these values. TLS 1.2 clients SHOULD also check that the
     * last 8 bytes are not equal to the second value if the ServerHello
     * indicates TLS 1.1 or below. If a match is found, the client MUST
     * abort the handshake with an "illegal_parameter" alert." */
    if (td_cli_offers_version(c, TLS13))
        ENSURE(sh->downgrade == TD_DOWNGRADE_NONE,
               TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "ServerHello: downgrade sentinel"));
    else if (sh->legacy_version < TLS12)
        ENSURE(sh->downgrade != TD_DOWNGRADE_TLS11,
               TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                            "ServerHello: downgrade sentinel"));
    /* RFC 8446 D.1: "If the version chosen by the server is not supported
     * by the client (or is not acceptable), the client MUST abort the
     * handshake with a "protocol_version" alert." (RFC 5246 E.1 the same;
     * RFC 8996 4, 5 and RFC 7568 3 for what is below TLS 1.2.) A
     * legacy_version of 0x0304 or above without supported_versions is no
     * version we can speak either. */
    ENSURE(sh->legacy_version == TLS12 && td_cli_offers_version(c, TLS12),
           TD_CONN_FAIL(c, TD_ALERT_PROTOCOL_VERSION,
                        "ServerHello: version not offered"));
    TRY(check_offered(c, sh->extensions, 0));
    /* RFC 5246 7.4.1.3: "The single cipher suite selected by the server
     * from the list in ClientHello.cipher_suites"; illegal_parameter as
     * in RFC 8446 4.1.3 (td_hs_client12.c checks it is a TLS 1.2 one) */
#ifdef TD_INJECT_BUGS
    if (td_injected_bug != TD_BUG_SUITE_NOT_OFFERED) /* test-only: no check */
#endif
    ENSURE(td_cli_offered_suite(c, sh->cipher_suite),
           TD_CONN_FAIL(c, TD_ALERT_ILLEGAL_PARAMETER,
                        "ServerHello: cipher_suite not offered"));
    /* the TLS 1.3 shares are of no use to TLS 1.2 (RFC 8446 7.1), nor
     * a TLS 1.3 ticket or 0-RTT */
    td_hs_kx_wipe(c);
    TRY(td_cli13_psk_on_hrr(c, NULL));
    c->params.version = TLS12;
    return td_cli12_on_server_hello(c, sh);
}

td_err td_cli_on_server_hello(td_conn *c, const td_handshake *msg,
                              size_t before)
{
    td_server_hello sh;
    td_err e = td_server_hello_decode(msg->body, &sh);

    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "ServerHello: decode");
    /* RFC 8446 4.1.3: "implementations MUST first examine the Random
     * value and, if it matches this value, process it as described in
     * Section 4.1.4" (the codec compares it) */
    if (sh.is_hello_retry_request)
        return on_hello_retry_request(c, msg, &sh, before);
    memcpy(c->server_random, sh.random, TD_RANDOM_LEN);
    if (sh.ext_ctx == TD_EXT_CTX_SERVER_HELLO13)
        return on_server_hello13(c, &sh);
    return on_server_hello12(c, &sh);
}
