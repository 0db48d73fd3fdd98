/*
 * The public-key primitives wolfSSL's TLS code calls where its PK
 * callbacks cannot be used, memoised with td_memo.
 *
 * td_wolfssl_pk.c serves most of wolfSSL's public-key work from the memo
 * cache through the PK callbacks, but three calls stay outside them
 * (its header says why a callback would change what wolfSSL does there):
 *
 *   wc_ecc_shared_secret            EccSharedSecret (src/internal.c): the
 *                                   TLS 1.2 ECDHE premaster secret, and
 *                                   TLS 1.3 ECDHE (TLSX_KeyShare_ProcessEcc
 *                                   through EccSharedSecret) on contexts
 *                                   that can also negotiate TLS 1.2;
 *   wc_curve25519_shared_secret_ex  X25519SharedSecret (src/internal.c,
 *                                   TLS 1.2) and TLSX_KeyShare_ProcessX25519
 *                                   (src/tls.c, TLS 1.3);
 *   wc_curve25519_make_key          TLSX_KeyShare_GenX25519Key (src/tls.c,
 *                                   TLS 1.3; TLS 1.2 goes through
 *                                   X25519KeyGenCb).
 *
 * Computed every time, they were a third of a client_finished or
 * client_hello replay (perf: EccSharedSecret 28% and 37%, X25519 6% and
 * 5%), the same multiplications on every input. So
 * cmake/wolfssl.cmake compiles src/internal.c and src/tls.c (the only TLS
 * sources that call them; src/tls13.c calls none) with each name defined
 * to its td_memo_ wrapper below: wolfSSL's code path is unchanged but for
 * the primitive going through the wrapper (the definition also renames
 * the prototypes those files include, with the same signature; this file
 * is compiled without it, so here the names are the real functions).
 * wolfSSL's OpenSSL compatibility layer (src/pk.c: EC_KEY, ECDH_compute_key,
 * X25519 of the compat API), which the TLS code never calls, is left as
 * it is. Not wrapped: wc_ecc_make_key_ex (EccMakeKey; EccKeyGenCb is
 * always installed and changes nothing), wc_curve448_* (no profile offers
 * X448) and wc_DhAgree / wc_DhGenerateKeyPair (no profile offers an FFDHE
 * group or a DHE suite, the reference has none, and neither showed in
 * perf of the replayed corpora).
 *
 * Each wrapper computes with the real function whenever the cache does
 * not answer, so its return value and outputs are the real ones. The memo
 * key is the operation code and everything the function reads:
 *
 *   ECDH    the curve (by index into wolfSSL's table; a key with a curve
 *           of its own is not memoised), the private key's type, flags
 *           and scalar, the peer's point in the projective coordinates
 *           the multiplication starts from (x, y, z), the output size
 *           given, and the bound party's td_rng state: with
 *           ECC_TIMING_RESISTANT the multiplication blinds its
 *           coordinates with randomness from the private key's WC_RNG
 *           (wc_ecc_set_rng(priv, ssl->rng) right before the call), which
 *           is the party's stream (CUSTOM_RAND_GENERATE_BLOCK ignores the
 *           WC_RNG object), so the draw does not change the secret but does
 *           move the world's stream. The entry holds the secret and the
 *           stream's state after it; a hit restores that state.
 *   X25519  the scalar and the peer's point as stored in the key objects,
 *           privSet and pubSet, the output size given and the byte
 *           order. No randomness is drawn (a call that did would not be
 *           kept).
 *   keygen  the key size asked for and the bound party's td_rng state
 *           (the 32 bytes of the private scalar are its next 32 bytes);
 *           the entry holds the scalar, the public point and the state
 *           after. A hit leaves the key object as wc_curve25519_make_key
 *           does: k and p.point written, privSet and pubSet set, nothing
 *           else touched.
 *
 * Only successful results are kept and served; a failure is computed
 * every time. With TD_MEMO=0 td_memo_get never answers and td_memo_put
 * keeps nothing, so the same code computes every call: a miss and
 * memoisation off are one path. TD_MEMO_STATS=1 prints the calls and hits
 * of each wrapper at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/wolfcrypt/settings.h> /* first, as wolfSSL requires */

#include <wolfssl/wolfcrypt/curve25519.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/wolfmath.h>

#include "td_memo.h"
#include "td_memo_draw.h"
#include "td_wolfssl_memo.h"

/* The wrappers read the software path of ecc.c and curve25519.c; a port
 * that replaces it, or asynchronous crypto (a call that returns
 * WC_PENDING_E and finishes later), reads other state. */
#if defined(WOLFSSL_ASYNC_CRYPT) || defined(WOLFSSL_SE050) || defined(FREESCALE_LTC_ECC) ||     \
    defined(WOLFSSL_ATECC508A) || defined(WOLFSSL_ATECC608A) || defined(WOLFSSL_CRYPTOCELL) || \
    defined(WOLFSSL_SILABS_SE_ACCEL) || defined(WOLFSSL_KCAPI_ECC) || defined(WOLF_CRYPTO_CB_ONLY_ECC)
#error "td_wolfssl_memo.c: written for wolfCrypt's software ECC and X25519"
#endif

/* The wrappers have the signatures of the functions they stand for. */
#ifdef HAVE_ECC
__typeof__(wc_ecc_shared_secret) td_memo_wc_ecc_shared_secret;
#endif
#ifdef HAVE_CURVE25519
__typeof__(wc_curve25519_shared_secret_ex) td_memo_wc_curve25519_shared_secret_ex;
__typeof__(wc_curve25519_make_key) td_memo_wc_curve25519_make_key;
#endif

/* ---- counts ------------------------------------------------------------------ */

#define OP_FIRST TD_MEMO_WOLF_PRIM_ECC_SHARED
#define OP_COUNT 3

static td_wolfssl_memo_counts counts[OP_COUNT];

static void print_stats(void)
{
    static const char *const names[OP_COUNT] = {"ecc_shared", "x25519_shared", "x25519_keygen"};
    size_t i;

    for (i = 0; i < OP_COUNT; i++)
        if (counts[i].calls)
            fprintf(stderr, "td_wolfssl_memo: %-15s %llu calls, %llu hits\n", names[i],
                    (unsigned long long)counts[i].calls, (unsigned long long)counts[i].hits);
}

static td_wolfssl_memo_counts *count_call(td_memo_op op)
{
    static int registered;

    if (!registered) {
        const char *v = getenv("TD_MEMO_STATS");

        registered = 1;
        if (v && strcmp(v, "0") != 0)
            atexit(print_stats);
    }
    counts[op - OP_FIRST].calls++;
    return &counts[op - OP_FIRST];
}

void td_wolfssl_memo_counts_get(int op, td_wolfssl_memo_counts *c)
{
    size_t i;

    memset(c, 0, sizeof *c);
    for (i = 0; i < OP_COUNT; i++) {
        if (op && (unsigned)op - OP_FIRST != i)
            continue;
        c->calls += counts[i].calls;
        c->hits += counts[i].hits;
    }
}

/* Private key bytes copied into a memo key are wiped when done. */
static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;

    while (n--)
        *v++ = 0;
}

static td_span span(const void *p, size_t len)
{
    td_span s;

    s.p = p;
    s.len = len;
    return s;
}

#ifdef HAVE_ECC

/* ---- ECDH: wc_ecc_shared_secret ---------------------------------------------- */

/* What wc_ecc_shared_secret(priv, pub, out, outlen) reads of its
 * arguments (ecc.c: wc_ecc_shared_secret, wc_ecc_shared_secret_ex,
 * wc_ecc_shared_secret_gen_sync): the private key's type, curve, state,
 * flags (the cofactor flag of HAVE_ECC_CDH), scalar and RNG; the peer's
 * curve and point; *outlen. */
typedef struct ecdh_in {
    int size;                        /* the curve's field size in bytes */
    uint8_t k[MAX_ECC_BYTES];        /* the private scalar */
    uint8_t point[3 * MAX_ECC_BYTES]; /* the peer's x, y, z */
    int32_t params[6];
} ecdh_in;

/* ecc.c's "internal ECC states": 0 is ECC_STATE_NONE, the state of a key
 * between operations (a shared secret computed in one call ends in it). */
#define ECC_STATE_IDLE 0

/* A curve of wolfSSL's table, as the key's index names it. */
static int named_curve(const ecc_key *key)
{
    return key->idx >= 0 && wc_ecc_is_valid_idx(key->idx) && key->dp &&
           key->dp == wc_ecc_get_curve_params(key->idx);
}

/* size big-endian bytes of a non-negative a; 0 when it does not fit. */
static int mp_bytes(mp_int *a, uint8_t *out, int size)
{
    return !mp_isneg(a) && mp_to_unsigned_bin_len(a, out, size) == MP_OKAY;
}

/* 1 with the inputs in *e; 0 when the call is one to compute without the
 * cache (an argument wolfSSL rejects, a state or curve not captured
 * here): wc_ecc_shared_secret then answers for itself. */
static int ecdh_capture(ecdh_in *e, ecc_key *priv, ecc_key *pub, const byte *out,
                        const word32 *outlen)
{
    if (!priv || !pub || !out || !outlen)
        return 0;
    if (priv->state != ECC_STATE_IDLE || !named_curve(priv) || !named_curve(pub) ||
        priv->dp != pub->dp)
        return 0;
    if (priv->type != ECC_PRIVATEKEY && priv->type != ECC_PRIVATEKEY_ONLY)
        return 0;
#ifdef ECC_TIMING_RESISTANT
    if (!priv->rng) /* MISSING_RNG_E */
        return 0;
#endif
#if defined(WOLF_CRYPTO_CB) || defined(PLUTON_CRYPTO_ECC)
    if (priv->devId != INVALID_DEVID)
        return 0;
#endif
    e->size = priv->dp->size;
    if (e->size <= 0 || e->size > MAX_ECC_BYTES)
        return 0;
    if (!mp_bytes(ecc_get_k(priv), e->k, e->size) ||
        !mp_bytes(pub->pubkey.x, e->point, e->size) ||
        !mp_bytes(pub->pubkey.y, e->point + e->size, e->size) ||
        !mp_bytes(pub->pubkey.z, e->point + 2 * e->size, e->size))
        return 0;
    e->params[0] = priv->dp->id;
    e->params[1] = priv->idx;
    e->params[2] = priv->type;
    e->params[3] = (int32_t)priv->flags;
    e->params[4] = pub->idx;
    e->params[5] = (int32_t)*outlen;
    return 1;
}

int td_memo_wc_ecc_shared_secret(ecc_key *priv, ecc_key *pub, byte *out, word32 *outlen)
{
    td_wolfssl_memo_counts *count = count_call(TD_MEMO_WOLF_PRIM_ECC_SHARED);
    ecdh_in e;
    td_memo_draw draw;
    td_span in[4];
    uint8_t res[MAX_ECC_BYTES + sizeof(td_rng)];
    size_t len = 0;
    int status, usable;

    usable = td_memo_enabled() && ecdh_capture(&e, priv, pub, out, outlen) && td_memo_draw_begin(&draw);
    if (usable) {
        td_rng after;

        in[0] = span(e.k, (size_t)e.size);
        in[1] = span(e.point, 3 * (size_t)e.size);
        in[2] = span(e.params, sizeof e.params);
        in[3] = td_memo_draw_key(&draw);
        if (td_memo_get(TD_MEMO_WOLF_PRIM_ECC_SHARED, in, 4, res, sizeof res, &len, &status) &&
            status == 0 && td_memo_draw_split(res, &len, &after) && len <= *outlen) {
            memcpy(out, res, len);
            *outlen = (word32)len;
            td_memo_draw_commit(&draw, &after);
            count->hits++;
            wipe(&e, sizeof e);
            wipe(res, sizeof res);
            return 0;
        }
    }
    status = wc_ecc_shared_secret(priv, pub, out, outlen);
    if (usable && status == 0 && *outlen <= MAX_ECC_BYTES) {
        memcpy(res, out, *outlen);
        len = td_memo_draw_append(&draw, res, *outlen, sizeof res);
        if (len)
            td_memo_put(TD_MEMO_WOLF_PRIM_ECC_SHARED, in, 4, res, len, status);
    }
    wipe(&e, sizeof e);
    wipe(res, sizeof res);
    return status;
}

#endif /* HAVE_ECC */

#ifdef HAVE_CURVE25519

/* ---- X25519: wc_curve25519_shared_secret_ex ------------------------------------ */

int td_memo_wc_curve25519_shared_secret_ex(curve25519_key *priv, curve25519_key *pub, byte *out,
                                           word32 *outlen, int endian)
{
    td_wolfssl_memo_counts *count = count_call(TD_MEMO_WOLF_PRIM_X25519_SHARED);
    uint8_t k[CURVE25519_KEYSIZE], point[CURVE25519_KEYSIZE];
    uint8_t res[CURVE25519_KEYSIZE];
    int32_t params[4];
    td_memo_draw draw;
    td_span in[3];
    size_t len = 0;
    int status, usable;

    /* what curve25519.c reads: both keys' flags and bytes, *outlen (at
     * least CURVE25519_KEYSIZE) and the byte order of the result */
    usable = td_memo_enabled() && priv && pub && out && outlen;
#ifdef WOLF_CRYPTO_CB
    usable = usable && priv->devId == INVALID_DEVID;
#endif
    if (usable) {
        memcpy(k, priv->k, sizeof k);
        memcpy(point, pub->p.point, sizeof point);
        params[0] = priv->privSet;
        params[1] = pub->pubSet;
        params[2] = (int32_t)*outlen;
        params[3] = endian;
        in[0] = span(k, sizeof k);
        in[1] = span(point, sizeof point);
        in[2] = span(params, sizeof params);
        /* no draw expected; the stream is watched so a draw is not kept */
        td_memo_draw_begin(&draw);
        if (td_memo_get(TD_MEMO_WOLF_PRIM_X25519_SHARED, in, 3, res, sizeof res, &len, &status) &&
            status == 0 && len == CURVE25519_KEYSIZE && len <= *outlen) {
            memcpy(out, res, len);
            *outlen = (word32)len;
            count->hits++;
            wipe(k, sizeof k);
            wipe(res, sizeof res);
            return 0;
        }
    }
    status = wc_curve25519_shared_secret_ex(priv, pub, out, outlen, endian);
    if (usable && status == 0 && *outlen == CURVE25519_KEYSIZE && !td_memo_draw_moved(&draw))
        td_memo_put(TD_MEMO_WOLF_PRIM_X25519_SHARED, in, 3, out, *outlen, status);
    if (usable)
        wipe(k, sizeof k);
    wipe(res, sizeof res);
    return status;
}

/* ---- X25519 key generation: wc_curve25519_make_key ----------------------------- */

int td_memo_wc_curve25519_make_key(WC_RNG *rng, int keysize, curve25519_key *key)
{
    td_wolfssl_memo_counts *count = count_call(TD_MEMO_WOLF_PRIM_X25519_KEYGEN);
    enum { KEY_BYTES = sizeof key->k + sizeof key->p.point };
    uint8_t res[KEY_BYTES + sizeof(td_rng)];
    int32_t params[1];
    td_memo_draw draw;
    td_span in[2];
    size_t len = 0;
    int status, usable;

    usable = td_memo_enabled() && rng && key;
#ifdef WOLF_CRYPTO_CB
    usable = usable && key->devId == INVALID_DEVID;
#endif
    usable = usable && td_memo_draw_begin(&draw);
    if (usable) {
        td_rng after;

        params[0] = keysize;
        in[0] = span(params, sizeof params);
        in[1] = td_memo_draw_key(&draw);
        if (td_memo_get(TD_MEMO_WOLF_PRIM_X25519_KEYGEN, in, 2, res, sizeof res, &len,
                        &status) &&
            status == 0 && td_memo_draw_split(res, &len, &after) && len == KEY_BYTES) {
            /* what wc_curve25519_make_key leaves: k (clamped), the public
             * point, privSet and pubSet; p.pointSz, idx and dp untouched */
            memcpy(key->k, res, sizeof key->k);
            memcpy(key->p.point, res + sizeof key->k, sizeof key->p.point);
            key->privSet = 1;
            key->pubSet = 1;
            td_memo_draw_commit(&draw, &after);
            count->hits++;
            wipe(res, sizeof res);
            return 0;
        }
    }
    status = wc_curve25519_make_key(rng, keysize, key);
    if (usable && status == 0 && key->privSet && key->pubSet) {
        memcpy(res, key->k, sizeof key->k);
        memcpy(res + sizeof key->k, key->p.point, sizeof key->p.point);
        len = td_memo_draw_append(&draw, res, KEY_BYTES, sizeof res);
        if (len)
            td_memo_put(TD_MEMO_WOLF_PRIM_X25519_KEYGEN, in, 2, res, len, status);
    }
    wipe(res, sizeof res);
    return status;
}

#endif /* HAVE_CURVE25519 */
