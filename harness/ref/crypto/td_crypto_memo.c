/*
 * The public-key entry points of td_crypto.h, memoised (td_memo.h).
 *
 * Each of them is a pure function of its arguments: the randomness they
 * use is an argument (the caller draws it, td_crypto.h), and the blinding
 * wolfCrypt insists on is undone inside the operation
 * (td_wc_blind_begin). So an entry is keyed on every argument, and a hit
 * returns what td_wc_* would compute: the scripted peer and the reference
 * subject replay the same handshake prefix on every fuzz input, and its
 * key shares, signatures and verifications are served from the cache
 * instead of being recomputed. An argument the fuzzer changed (a peer's
 * key share, a signature) misses and is computed.
 *
 * The cache lives in td_core (malloc'd, bounded); the reference itself
 * still allocates nothing, and with TD_MEMO=0 none of this allocates.
 * td_rsa_decrypt_premaster's constant-time handling of the padding
 * (RFC 5246 7.4.7.1) is kept inside the computation; a cache lookup is not
 * constant-time, which matters nowhere in a test world.
 */
#include "td_crypto_wolfcrypt.h"
#include "td_memo.h"

#include <string.h>

/* A td_key as memo inputs: what identifies it (type, privacy, size) and
 * its DER. */
typedef struct key_parts {
    uint8_t head[12];
} key_parts;

static void key_spans(const td_key *k, key_parts *kp, td_span *out)
{
    uint32_t bits = (uint32_t)k->bits;

    memset(kp, 0, sizeof *kp);
    kp->head[0] = (uint8_t)k->type;
    kp->head[1] = (uint8_t)(k->is_private != 0);
    memcpy(kp->head + 4, &bits, 4);
    out[0] = (td_span){kp->head, sizeof kp->head};
    out[1] = (td_span){k->der, k->der_len};
}

static td_span u16_span(uint16_t v, uint8_t buf[2])
{
    buf[0] = (uint8_t)(v >> 8);
    buf[1] = (uint8_t)v;
    return (td_span){buf, 2};
}

td_err td_kx_public(uint16_t group, td_span priv, uint8_t *pub)
{
    uint8_t g[2];
    td_span in[2] = {u16_span(group, g), priv};
    size_t n, len = td_kx_pub_len(group);
    int status;
    td_err e;

    if (len && td_memo_get(TD_MEMO_REF_KX_PUBLIC, in, 2, pub, len, &n, &status))
        return (td_err)status;
    e = td_wc_kx_public(group, priv, pub);
    if (len)
        td_memo_put(TD_MEMO_REF_KX_PUBLIC, in, 2, pub, e == TD_OK ? len : 0, (int)e);
    return e;
}

td_err td_kx_shared(uint16_t group, td_span priv, td_span peer_pub, uint8_t *shared)
{
    uint8_t g[2];
    td_span in[3] = {u16_span(group, g), priv, peer_pub};
    size_t n, len = td_kx_shared_len(group);
    int status;
    td_err e;

    if (len && td_memo_get(TD_MEMO_REF_KX_SHARED, in, 3, shared, len, &n, &status))
        return (td_err)status;
    e = td_wc_kx_shared(group, priv, peer_pub, shared);
    if (len)
        td_memo_put(TD_MEMO_REF_KX_SHARED, in, 3, shared, e == TD_OK ? len : 0, (int)e);
    return e;
}

/* The memo inputs of a signature operation: the scheme, how it binds
 * the curve, the key, the message, and the salt (sign) or the signature
 * (verify). The spans point into the struct: keep it alive while used. */
typedef struct sig_inputs {
    uint8_t scheme[2], curve;
    key_parts kp;
    td_span in[6];
} sig_inputs;

static void sig_inputs_init(sig_inputs *x, uint16_t scheme, td_sig_curve curve,
                            const td_key *key, td_span msg, td_span last)
{
    x->curve = (uint8_t)curve;
    x->in[0] = u16_span(scheme, x->scheme);
    x->in[1] = (td_span){&x->curve, 1};
    key_spans(key, &x->kp, x->in + 2);
    x->in[4] = msg;
    x->in[5] = last;
}

td_err td_sig_sign(uint16_t scheme, td_sig_curve curve, const td_key *key, td_span msg,
                   td_span random, uint8_t *sig, size_t *sig_len)
{
    sig_inputs x;
    int status;
    td_err e;

    sig_inputs_init(&x, scheme, curve, key, msg, random);
    if (td_memo_get(TD_MEMO_REF_SIG_SIGN, x.in, 6, sig, TD_SIG_MAX_LEN, sig_len, &status))
        return (td_err)status;
    e = td_wc_sig_sign(scheme, curve, key, msg, random, sig, sig_len);
    td_memo_put(TD_MEMO_REF_SIG_SIGN, x.in, 6, sig, e == TD_OK ? *sig_len : 0, (int)e);
    return e;
}

td_err td_sig_verify(uint16_t scheme, td_sig_curve curve, const td_key *key, td_span msg,
                     td_span sig)
{
    sig_inputs x;
    size_t n;
    int status;
    td_err e;

    sig_inputs_init(&x, scheme, curve, key, msg, sig);
    if (td_memo_get(TD_MEMO_REF_SIG_VERIFY, x.in, 6, NULL, 0, &n, &status))
        return (td_err)status;
    e = td_wc_sig_verify(scheme, curve, key, msg, sig);
    td_memo_put(TD_MEMO_REF_SIG_VERIFY, x.in, 6, NULL, 0, (int)e);
    return e;
}

td_err td_rsa_encrypt(const td_key *pub, td_span msg, td_span padding, uint8_t *out,
                      size_t *out_len)
{
    key_parts kp;
    td_span in[4];
    int status;
    td_err e;

    key_spans(pub, &kp, in);
    in[2] = msg;
    in[3] = padding;
    if (td_memo_get(TD_MEMO_REF_RSA_ENCRYPT, in, 4, out, TD_WC_RSA_MAX_LEN, out_len, &status))
        return (td_err)status;
    e = td_wc_rsa_encrypt(pub, msg, padding, out, out_len);
    td_memo_put(TD_MEMO_REF_RSA_ENCRYPT, in, 4, out, e == TD_OK ? *out_len : 0, (int)e);
    return e;
}

/* The entry's output: the 48 bytes, then ok (0 or 1). */
td_err td_rsa_decrypt_premaster(const td_key *priv, td_span in_bytes, uint8_t out[48],
                                unsigned *ok)
{
    uint8_t res[49];
    key_parts kp;
    td_span in[3];
    size_t n;
    int status;
    td_err e;

    key_spans(priv, &kp, in);
    in[2] = in_bytes;
    if (td_memo_get(TD_MEMO_REF_RSA_DECRYPT, in, 3, res, sizeof res, &n, &status) &&
        n == sizeof res) {
        memcpy(out, res, 48);
        *ok = res[48];
        return (td_err)status;
    }
    e = td_wc_rsa_decrypt_premaster(priv, in_bytes, out, ok);
    memcpy(res, out, 48);
    res[48] = (uint8_t)(*ok != 0);
    td_memo_put(TD_MEMO_REF_RSA_DECRYPT, in, 3, res, sizeof res, (int)e);
    td_secure_zero(res, sizeof res);
    return e;
}
