/*
 * The peer's certificate chain: stored from a Certificate message (either
 * form) and validated by the X.509 module (td_x509_verify: RFC 5280 6.1
 * path validation with the TLS checks of RFC 8446 4.4.2.2 / RFC 5246
 * 7.4.2 and 7.4.6):
 *   - the client checks the server's chain for id-kp-serverAuth and the
 *     name it sent in server_name (RFC 6066 3, RFC 6125 6), with
 *     keyEncipherment for a TLS 1.2 static RSA suite (RFC 5246 7.4.2);
 *   - the server checks the client's chain for id-kp-clientAuth;
 *   - both at the world's clock against cfg->trust.
 * The leaf's key becomes c->peer_key. Each td_x509_reason maps to its
 * alert (td_x509_reason_alert): bad_certificate, unsupported_certificate,
 * certificate_expired, unknown_ca. With cfg->trust empty the endpoint was
 * configured not to verify: the leaf must still decode, its key is taken
 * and peer_verified stays 0.
 */
#include "td_hs.h"

#include "td_x509.h"

#include <string.h>

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

/* The TLS key of the decoded leaf. */
static td_err leaf_key(td_conn *c, const td_x509_cert *leaf)
{
    td_key_type type;
    td_err e;

    switch (leaf->key) {
    case TD_X509_KEY_RSA:
        type = TD_KEY_RSA;
        break;
    case TD_X509_KEY_EC_P256:
        type = TD_KEY_EC_P256;
        break;
    case TD_X509_KEY_EC_P384:
        type = TD_KEY_EC_P384;
        break;
    case TD_X509_KEY_ED25519:
        type = TD_KEY_ED25519;
        break;
    default:
        /* an RSA-PSS-only key (rsa_pss_pss_* is not in the supported
         * set) or another curve: RFC 8446 6.2 unsupported_certificate */
        return TD_CONN_FAIL(c, TD_ALERT_UNSUPPORTED_CERTIFICATE, "peer key type");
    }
    e = td_key_from_spki(leaf->spki, type, &c->peer_key);
    if (e != TD_OK)
        return TD_CONN_FAIL(c,
                            e == TD_ERR_UNSUPPORTED ? TD_ALERT_UNSUPPORTED_CERTIFICATE
                                                    : TD_ALERT_BAD_CERTIFICATE,
                            "peer key");
    return TD_OK;
}

td_err td_hs_check_peer_chain(td_conn *c)
{
    const td_cert_list *chain = &c->peer_chain, *trust = &c->cfg->trust;
    td_span certs[TD_CONN_MAX_CERTS], anchors[TD_CONN_MAX_CERTS];
    td_x509_work work; /* on the stack: the engine allocates nothing */
    td_x509_policy policy;
    td_x509_result res;
    td_x509_reason r;
    size_t i;

    c->params.peer_verified = 0;
    ENSURE(chain->n > 0, TD_ALERT_BAD_CERTIFICATE);
    for (i = 0; i < chain->n; i++)
        certs[i] = span_of(chain->der[i], chain->len[i]);
    for (i = 0; i < trust->n; i++)
        anchors[i] = span_of(trust->der[i], trust->len[i]);
    if (trust->n == 0) { /* configured not to verify */
        r = td_x509_decode(certs[0], &work.chain[0]);
        if (r != TD_X509_OK)
            return TD_CONN_FAIL(c, td_x509_reason_alert(r), td_x509_reason_name(r));
        return leaf_key(c, &work.chain[0]);
    }
    memset(&policy, 0, sizeof policy);
    policy.now = (int64_t)c->cfg->now;
    if (c->cfg->role == TD_ROLE_CLIENT) {
        policy.purpose = TD_X509_PURPOSE_SERVER;
        policy.host = c->cfg->sni[0] && !c->cfg->no_name_check ? c->cfg->sni : NULL;
        policy.key_encipherment = c->params.version != 0x0304 && c->hs12.kx_rsa;
    } else {
        policy.purpose = TD_X509_PURPOSE_CLIENT;
    }
    r = td_x509_verify(certs, chain->n, anchors, trust->n, &policy, &work, &res);
    if (r != TD_X509_OK)
        return TD_CONN_FAIL(c, td_x509_reason_alert(r), res.detail);
    TRY(leaf_key(c, &work.chain[0]));
    c->params.peer_verified = 1;
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * Storing a received chain
 * ------------------------------------------------------------------------ */

/* One certificate into c->peer_chain; over TD_CONN_MAX_CERTS or
 * TD_CONN_MAX_CERT_LEN is bad_certificate (an implementation limit). */
static td_err store_one(td_conn *c, td_span der)
{
    td_cert_list *l = &c->peer_chain;

    ENSURE(l->n < TD_CONN_MAX_CERTS && der.len <= TD_CONN_MAX_CERT_LEN,
           TD_ALERT_BAD_CERTIFICATE);
    memcpy(l->der[l->n], der.p, der.len);
    l->len[l->n] = der.len;
    l->n++;
    return TD_OK;
}

td_err td_hs_store_peer_chain13(td_conn *c, const td_certificate13 *m)
{
    td_certificate_entry e;
    td_rd list;
    int got;

    c->peer_chain.n = 0;
    td_rd_init_span(&list, m->certificate_list);
    for (;;) {
        TRY(td_certificate_entry_next(&list, &e, &got));
        if (!got)
            return TD_OK;
        TRY(store_one(c, e.cert_data));
    }
}

td_err td_hs_store_peer_chain12(td_conn *c, const td_certificate12 *m)
{
    td_span cert;
    td_rd list;
    int got;

    c->peer_chain.n = 0;
    td_rd_init_span(&list, m->certificate_list);
    for (;;) {
        TRY(td_asn1_cert_next(&list, &cert, &got));
        if (!got)
            return TD_OK;
        TRY(store_one(c, cert));
    }
}
