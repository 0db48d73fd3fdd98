/*
 * TLS 1.2, both roles: the suites, the Certificate message, the master
 * secret, the key change at ChangeCipherSpec, Finished, the session store
 * (the default lists: td_hs_defaults.c).
 *
 * RFC 5246 8.1:
 *     master_secret = PRF(pre_master_secret, "master secret",
 *                         ClientHello.random + ServerHello.random)[0..47];
 * RFC 7627 4:
 *     master_secret = PRF(pre_master_secret, "extended master secret",
 *                         session_hash)[0..47];
 *     session_hash = Hash(handshake_messages) up to and including the
 *                    ClientKeyExchange
 * RFC 5246 6.3:
 *     key_block = PRF(SecurityParameters.master_secret, "key expansion",
 *                     SecurityParameters.server_random +
 *                     SecurityParameters.client_random);
 * RFC 5246 7.4.9:
 *     verify_data = PRF(master_secret, finished_label,
 *                       Hash(handshake_messages))[0..verify_data_length-1];
 * RFC 5246 7.1: "Immediately after sending this message, the sender MUST
 * instruct the record layer to make the write pending state the write
 * active state"; the reception of a ChangeCipherSpec makes the read
 * pending state active (the driver, td_conn.c on_ccs).
 *
 * The session store (td_session_cache): sessions are found by session_id
 * (RFC 5246 7.4.1.2) or, on the server, by ticket (RFC 5077 3.4: the
 * reference's tickets are stateful handles, td_hs12.h); a session being
 * resumed is taken out of the store and put back only when the
 * abbreviated handshake completes (RFC 5246 7.2.2, RFC 5077 3.2).
 */
#include "td_hs12.h"

#include <string.h>

static const td_hs12_suite suites12[] = {
    /* RFC 5289 3.2, RFC 7905 2, RFC 5288 3 */
    {0xc02b, 0, 1}, /* TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 */
    {0xc02c, 0, 1}, /* TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 */
    {0xc02f, 0, 0}, /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
    {0xc030, 0, 0}, /* TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 */
    {0xcca9, 0, 1}, /* TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 */
    {0xcca8, 0, 0}, /* TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 */
    {0x009c, 1, 0}, /* TLS_RSA_WITH_AES_128_GCM_SHA256 */
    {0x009d, 1, 0}, /* TLS_RSA_WITH_AES_256_GCM_SHA384 */
};

td_err td_hs12_suite_find(uint16_t cipher_suite, td_hs12_suite *out)
{
    size_t i;

    for (i = 0; i < sizeof suites12 / sizeof suites12[0]; i++)
        if (suites12[i].cipher_suite == cipher_suite) {
            *out = suites12[i];
            return TD_OK;
        }
    return TD_ERR_NOT_FOUND;
}

int td_hs12_key_fits(const td_key *key, const td_hs12_suite *suite)
{
    /* RFC 8422 2: ECDHE_ECDSA needs "an ECDSA- or EdDSA-capable public
     * key"; RFC 5246 7.4.2: RSA and ECDHE_RSA an RSA public key. */
    if (suite->auth_ecdsa)
        return key->type == TD_KEY_EC_P256 || key->type == TD_KEY_EC_P384 ||
               key->type == TD_KEY_ED25519;
    return key->type == TD_KEY_RSA;
}

int td_hs12_ch_u16_list(const td_client_hello *ch, uint16_t type,
                        td_span *list)
{
    td_span data;

    if (!ch->has_extensions || !td_ext_find(ch->extensions, type, &data))
        return 0;
    if (type == TD_EXT_SUPPORTED_GROUPS) {
        td_ext_supported_groups g;

        if (td_ext_supported_groups_decode(data, TD_EXT_CTX_CLIENT_HELLO,
                                           &g) != TD_OK)
            return 0;
        *list = g.named_group_list;
    } else {
        td_ext_signature_algorithms a;

        if (td_ext_signature_algorithms_decode(data, TD_EXT_CTX_CLIENT_HELLO,
                                               &a) != TD_OK)
            return 0;
        *list = a.supported_signature_algorithms;
    }
    return 1;
}

td_err td_hs12_our_sigalgs_body(const td_conn *c, uint8_t *buf, size_t cap,
                                td_span *out)
{
    const td_code_list *l = td_hs_our_sigalgs(c);
    td_wr w;
    size_t i;

    td_wr_init(&w, buf, cap);
    for (i = 0; i < l->n; i++)
        if (td_sig_supported(l->v[i]))
            TRY(td_wr_u16(&w, l->v[i]));
    return td_wr_finish(&w, out);
}

td_err td_hs12_send_certificate(td_conn *c, int empty)
{
    static const td_span none = {NULL, 0};
    uint8_t buf[TD_CONN_MAX_CERTS * (TD_CONN_MAX_CERT_LEN + 3) + 3];
    td_wr w;
    td_span s;

    td_wr_init(&w, buf, sizeof buf);
    if (empty) {
        /* RFC 5246 7.4.6: "If no suitable certificate is available, the
         * client MUST send a certificate message containing no
         * certificates." */
        td_certificate12 m = {{NULL, 0}, 0};

        TRY(td_certificate12_encode(&w, &m));
    } else {
        TRY(td_hs_certificate_body(c, 0, none, &w));
    }
    TRY(td_wr_finish(&w, &s));
    return td_conn_send_handshake(c, TD_HS_CERTIFICATE, s);
}

td_err td_hs12_client_hello(const td_conn *c, td_client_hello *ch)
{
    td_rd r;

    td_rd_init(&r, c->transcript, c->transcript_len);
    while (td_rd_left(&r)) {
        td_handshake m;

        TRY(td_handshake_decode(&r, &m));
        if (m.msg_type == TD_HS_CLIENT_HELLO)
            return td_client_hello_decode(m.body, ch);
    }
    return TD_ERR_INTERNAL;
}

td_err td_hs12_set_suite(td_conn *c, uint16_t cipher_suite)
{
    td_hs12_suite s;

    TRY(td_hs12_suite_find(cipher_suite, &s));
    TRY(td_ks_suite_find(cipher_suite, &c->suite));
    ENSURE(c->suite.version == 0x0303, TD_ERR_INTERNAL);
    TRY(td_ks12_init(&c->ks12, c->suite.hash));
    c->params.cipher_suite = cipher_suite;
    c->hs12.kx_rsa = s.kx_rsa;
    c->hs12.session.cipher_suite = cipher_suite;
    return TD_OK;
}

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

td_err td_hs12_master_secret(td_conn *c, td_span pms)
{
    td_span cr = span_of(c->client_random, TD_RANDOM_LEN);
    td_span sr = span_of(c->server_random, TD_RANDOM_LEN);

    if (c->params.ems) {
        /* RFC 7627 4: session_hash over ClientHello..ClientKeyExchange,
         * which is the whole transcript at this point (the
         * CertificateVerify comes after). */
        uint8_t h[TD_HASH_MAX_LEN];

        TRY(td_conn_transcript_hash(c, c->suite.hash, c->transcript_len, h));
        TRY(td_ks12_extended_master_secret(
            &c->ks12, pms, span_of(h, td_hash_len(c->suite.hash))));
    } else {
        TRY(td_ks12_master_secret(&c->ks12, pms, cr, sr));
    }
    memcpy(c->hs12.session.master_secret, c->ks12.master_secret,
           TD_KS12_MASTER_SECRET_LEN);
    c->hs12.session.ems = c->params.ems;
    return TD_OK;
}

static td_err expand(td_conn *c, td_ks12_keys *keys)
{
    return td_ks12_key_expansion(&c->ks12, &c->suite,
                                 span_of(c->client_random, TD_RANDOM_LEN),
                                 span_of(c->server_random, TD_RANDOM_LEN),
                                 keys);
}

td_err td_hs12_expect_peer_ccs(td_conn *c)
{
    td_ks12_keys k;
    int peer_is_server = c->cfg->role == TD_ROLE_CLIENT;
    td_err e = expand(c, &k);

    if (e == TD_OK)
        e = td_protect_install(
            &c->pending_read, TD_RECORD_TLS12, k.aead,
            span_of(peer_is_server ? k.server_write_key : k.client_write_key,
                    k.enc_key_length),
            span_of(peer_is_server ? k.server_write_IV : k.client_write_IV,
                    k.fixed_iv_length));
    td_secure_zero(&k, sizeof k);
    return e;
}

td_err td_hs12_send_ccs_finished(td_conn *c)
{
    td_ks12_keys k;
    int we_are_client = c->cfg->role == TD_ROLE_CLIENT;
    uint8_t h[TD_HASH_MAX_LEN], vd[TD_KS12_VERIFY_DATA_LEN], body[16];
    td_finished f;
    td_span s;
    td_wr w;
    td_err e = expand(c, &k);

    /* RFC 5246 7.1: the CCS goes under the current (null) write state,
     * and the write pending state becomes active right after it. */
    if (e == TD_OK)
        e = td_conn_send_ccs(c);
    if (e == TD_OK)
        e = td_hs_install_write(
            c, TD_RECORD_TLS12, k.aead,
            span_of(we_are_client ? k.client_write_key : k.server_write_key,
                    k.enc_key_length),
            span_of(we_are_client ? k.client_write_IV : k.server_write_IV,
                    k.fixed_iv_length));
    td_secure_zero(&k, sizeof k);
    TRY(e);
    TRY(td_conn_transcript_hash(c, c->suite.hash, c->transcript_len, h));
    TRY(td_ks12_verify_data(&c->ks12,
                            we_are_client ? TD_KS12_CLIENT : TD_KS12_SERVER,
                            span_of(h, td_hash_len(c->suite.hash)), vd));
    f.verify_data = span_of(vd, sizeof vd);
    td_wr_init(&w, body, sizeof body);
    TRY(td_finished_encode(&w, &f));
    TRY(td_wr_finish(&w, &s));
    TRY(td_conn_send_handshake(c, TD_HS_FINISHED, s));
    return td_conn_flush(c);
}

td_err td_hs12_check_finished(td_conn *c, const td_handshake *msg,
                              size_t before)
{
    uint8_t h[TD_HASH_MAX_LEN];
    td_finished f;
    int peer_is_server = c->cfg->role == TD_ROLE_CLIENT;

    /* RFC 5246 7.4.9: verify_data_length is 12 for every suite here */
    TRY(td_finished_decode(msg->body, TD_KS12_VERIFY_DATA_LEN, &f));
    /* RFC 5246 7.4.9: handshake_messages are all messages up to, but not
     * including, this one; "Recipients of Finished messages MUST verify
     * that the contents are correct" (decrypt_error, 7.2.2). */
    TRY(td_conn_transcript_hash(c, c->suite.hash, before, h));
    return td_ks12_finished_check(
        &c->ks12, peer_is_server ? TD_KS12_SERVER : TD_KS12_CLIENT,
        span_of(h, td_hash_len(c->suite.hash)), f.verify_data);
}

size_t td_hs12_session_by_ticket(const td_session_cache *cache,
                                 td_span ticket)
{
    size_t i;

    if (!cache || ticket.len == 0)
        return 0;
    for (i = 0; i < TD_SESSION_CACHE_MAX; i++)
        if (cache->entry[i].valid && cache->entry[i].ticket_len == ticket.len &&
            memcmp(cache->entry[i].ticket, ticket.p, ticket.len) == 0)
            return i + 1;
    return 0;
}

td_err td_hs12_resume(td_conn *c, size_t slot)
{
    td_session_cache *cache = c->cfg->session_cache;
    td_session12 *s;

    ENSURE(cache && slot >= 1 && slot <= TD_SESSION_CACHE_MAX,
           TD_ERR_INTERNAL);
    s = &cache->entry[slot - 1];
    ENSURE(s->valid, TD_ERR_INTERNAL);
    c->hs12.session = *s;
    /* out of the store until td_hs12_complete puts it back */
    td_secure_zero(s, sizeof *s);
    c->hs12.resumed_slot = slot;
    c->hs12.abbreviated = 1;
    c->params.resumed = 1;
    c->params.peer_verified = c->hs12.session.peer_verified;
    return td_ks12_set_master_secret(
        &c->ks12, span_of(c->hs12.session.master_secret,
                          TD_KS12_MASTER_SECRET_LEN));
}

static void session_save(td_conn *c)
{
    td_session_cache *cache = c->cfg->session_cache;
    td_session12 *s = &c->hs12.session;
    size_t i, slot;

    if (!cache)
        return;
    s->valid = 1;
    /* a resumed session goes back to its place (with the ticket a
     * NewSessionTicket renewed, RFC 5077 3.1), unless another connection
     * has used the place meanwhile */
    if (c->hs12.resumed_slot &&
        !cache->entry[c->hs12.resumed_slot - 1].valid) {
        cache->entry[c->hs12.resumed_slot - 1] = *s;
        return;
    }
    if (s->session_id_len == 0 && s->ticket_len == 0)
        return;
    if (!c->hs12.abbreviated)
        s->peer_verified = c->params.peer_verified;
    /* an entry under the same session_id or ticket is replaced, so each
     * names one session */
    slot = cache->next % TD_SESSION_CACHE_MAX;
    for (i = 0; i < TD_SESSION_CACHE_MAX; i++)
        if (cache->entry[i].valid &&
            ((s->session_id_len &&
              cache->entry[i].session_id_len == s->session_id_len &&
              memcmp(cache->entry[i].session_id, s->session_id,
                     s->session_id_len) == 0) ||
             (s->ticket_len && cache->entry[i].ticket_len == s->ticket_len &&
              memcmp(cache->entry[i].ticket, s->ticket, s->ticket_len) == 0)))
            break;
    if (i < TD_SESSION_CACHE_MAX)
        slot = i;
    else
        cache->next = (slot + 1) % TD_SESSION_CACHE_MAX;
    cache->entry[slot] = *s;
}

void td_hs12_complete(td_conn *c)
{
    session_save(c);
    /* RFC 5246 has no further use of the master secret on this
     * connection once both Finished are done (renegotiation is refused);
     * the session store holds the copy resumption needs. */
    td_hs_keylog12(c);
    td_ks12_wipe(&c->ks12);
    td_hs_kx_wipe(c);
    td_secure_zero(c->hs12.session.master_secret,
                   sizeof c->hs12.session.master_secret);
    c->state = TD_ST_CONNECTED;
}

td_err td_hs12_send_warning(td_conn *c, uint8_t description)
{
    uint8_t body[2];
    td_alert a;
    td_span s;
    td_wr w;

    a.level = TD_ALERT_LEVEL_WARNING;
    a.description = description;
    td_wr_init(&w, body, sizeof body);
    TRY(td_alert_encode(&w, &a));
    TRY(td_wr_finish(&w, &s));
    TRY(td_conn_flush(c));
    return td_hs_send_record(c, TD_CT_ALERT, s);
}
