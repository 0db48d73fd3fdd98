/*
 * The edits of the chain as a whole and of the flags byte
 * (td_x509_mutate_impl.h): reorder, drop, duplicate a certificate, add
 * one of the test PKI (vectors/pki), flip a policy bit. No certificate's
 * bytes change here; the signatures stay as they are.
 */
#include "td_x509_mutate_impl.h"

#include <string.h>

int td_xm_chain_reorder(td_xm_state *st)
{
    static td_xm_cert t;
    size_t i, j;

    if (st->n < 2)
        return 0;
    switch (td_xm_rnd(3)) {
    case 0: /* swap two */
        i = td_xm_rnd((uint32_t)st->n);
        j = td_xm_rnd((uint32_t)st->n - 1);
        if (j >= i)
            j++;
        t = st->certs[i];
        st->certs[i] = st->certs[j];
        st->certs[j] = t;
        return 1;
    case 1: /* reverse what follows the leaf */
        if (st->n < 3)
            return 0;
        for (i = 1, j = st->n - 1; i < j; i++, j--) {
            t = st->certs[i];
            st->certs[i] = st->certs[j];
            st->certs[j] = t;
        }
        return 1;
    default: /* rotate by one: the last becomes the leaf */
        t = st->certs[st->n - 1];
        memmove(&st->certs[1], &st->certs[0], (st->n - 1) * sizeof st->certs[0]);
        st->certs[0] = t;
        return 1;
    }
}

int td_xm_chain_drop(td_xm_state *st)
{
    size_t i;

    if (st->n < 2)
        return 0;
    /* the leaf less often: one in n + 2 */
    i = td_xm_rnd((uint32_t)st->n + 2);
    i = i >= st->n ? st->n - 1 : i;
    memmove(&st->certs[i], &st->certs[i + 1], (st->n - i - 1) * sizeof st->certs[0]);
    st->n--;
    return 1;
}

static void insert(td_xm_state *st, size_t at, const td_xm_cert *m)
{
    memmove(&st->certs[at + 1], &st->certs[at], (st->n - at) * sizeof st->certs[0]);
    st->certs[at] = *m;
    st->n++;
}

int td_xm_chain_dup(td_xm_state *st)
{
    static td_xm_cert t;

    if (st->n == 0 || st->n >= TD_XIN_MAX_CERTS)
        return 0;
    t = st->certs[td_xm_rnd((uint32_t)st->n)];
    insert(st, 1 + td_xm_rnd((uint32_t)st->n), &t);
    return 1;
}

/* A certificate of vectors/pki, after the leaf (1 in 8: as the leaf). */
int td_xm_chain_add(td_xm_state *st)
{
    static td_xm_cert t;
    size_t pki[32], n = 0, i, at;

    if (st->n >= TD_XIN_MAX_CERTS)
        return 0;
    for (i = 0; i < td_xm_n_pool() && n < 32; i++)
        if (td_xm_pool_is_pki(i))
            pki[n++] = i;
    if (n == 0)
        return 0;
    td_xm_load(&t, td_xm_pool_at(pki[td_xm_rnd((uint32_t)n)])->der);
    at = td_xm_rnd(8) == 0 ? 0 : 1 + td_xm_rnd((uint32_t)st->n);
    if (at > st->n)
        at = st->n;
    insert(st, at, &t);
    /* its signer, among the chain it joined */
    st->certs[at].signer = td_xm_original_signer(st, &st->certs[at].c);
    return 1;
}

int td_xm_flags(td_xm_state *st)
{
    switch (td_xm_rnd(5)) {
    case 0:
        st->flags ^= TD_XIN_CLIENT;
        break;
    case 1:
        st->flags ^= TD_XIN_HOST;
        break;
    case 2:
        st->flags ^= TD_XIN_KEYENC;
        break;
    case 3:
        st->flags = (uint8_t)((st->flags & ~0x30u) | (td_xm_rnd(4) << 4));
        break;
    default:
        st->flags = (uint8_t)((st->flags & ~0xc0u) | (td_xm_rnd(4) << 6) | TD_XIN_HOST);
        break;
    }
    return 1;
}
