/*
 * Ephemeral key exchange for both versions: X25519, P-256, P-384 (RFC 8446
 * 4.2.8, 7.4; RFC 8422 5.4, 5.10). The private keys are drawn (so a replay
 * can feed the trace's) and kept in the connection until the shared
 * secret is computed.
 */
#include "td_hs.h"

#include <string.h>

td_err td_hs_kx_generate(td_conn *c, uint16_t group, uint8_t *pub,
                         size_t *pub_len)
{
    size_t plen = td_kx_priv_len(group), i = c->kx_n;
    td_span priv;
    td_err e;
    int tries;

    ENSURE(plen != 0, TD_ERR_INTERNAL);
    ENSURE(i < TD_CONN_MAX_SHARES, TD_ERR_NOSPACE);
    /* An ECDH scalar outside [1, n-1] is drawn again (td_crypto.h); the
     * chance is about 2^-32 for P-256, so a few tries always suffice. */
    for (tries = 0; tries < 8; tries++) {
        TRY(td_conn_draw(c, TD_DRAW_KEY_SHARE, c->kx_priv[i], plen));
        priv.p = c->kx_priv[i];
        priv.len = plen;
        e = td_kx_public(group, priv, pub);
        if (e == TD_OK) {
            c->kx_group[i] = group;
            c->kx_n = i + 1;
            *pub_len = td_kx_pub_len(group);
            return TD_OK;
        }
        if (e != TD_ERR_CRYPTO)
            return e;
    }
    return TD_ERR_CRYPTO;
}

td_err td_hs_kx_shared(const td_conn *c, uint16_t group, td_span peer_pub,
                       uint8_t *shared, size_t *shared_len)
{
    size_t i;

    for (i = 0; i < c->kx_n; i++) {
        if (c->kx_group[i] != group)
            continue;
        {
            td_span priv = {c->kx_priv[i], td_kx_priv_len(group)};

            TRY(td_kx_shared(group, priv, peer_pub, shared));
            *shared_len = td_kx_shared_len(group);
            return TD_OK;
        }
    }
    return TD_ERR_INTERNAL;
}

void td_hs_kx_wipe(td_conn *c)
{
    td_secure_zero(c->kx_priv, sizeof c->kx_priv);
    memset(c->kx_group, 0, sizeof c->kx_group);
    c->kx_n = 0;
}
