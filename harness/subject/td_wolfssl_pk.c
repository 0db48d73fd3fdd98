/*
 * wolfSSL's public-key callbacks (wolfssl/ssl.h "Public Key Callback
 * support", compiled in by HAVE_PK_CALLBACKS), memoised with td_memo.
 *
 * Each callback computes with wolfCrypt exactly what wolfSSL 5.7.2 does
 * at that point without it (src/internal.c RsaSign, RsaVerify,
 * VerifyRsaSign, RsaDec, RsaEnc, EccSign, EccVerify, EccSharedSecret,
 * EccMakeKey, Ed25519Sign, Ed25519Verify, X25519MakeKey; wolfcrypt/src/
 * asn.c ConfirmSignature for certificate signatures): the key wolfSSL
 * would have used is decoded from the same DER with the same function
 * (and completed as wolfSSL completes it: Ed25519CheckPubKey), the same
 * wolfCrypt call follows with the same RNG (ssl->rng, which is
 * the bound party's td_rng stream: CUSTOM_RAND_GENERATE_BLOCK), and its
 * return value is returned as is. So alerts, acceptance and every byte
 * wolfSSL sends are what they would be without the callbacks; the
 * conformance suite's digests (tlsdiff conform --digests, with and
 * without TD_WOLFSSL_PK=0) and tests/check_wolfssl_pk.c show it.
 *
 * The memo key of an operation is its code and every input: key DER,
 * message or hash, signature, sizes and parameters, the initial value of
 * every in-out argument, and, for an operation that draws randomness
 * (key generation, ECDSA's k, RSA blinding, the PSS salt, PKCS#1 v1.5
 * padding, ECDH's coordinate blinding), the whole td_rng state of the
 * bound party before it. The entry holds the status, the outputs and
 * then the td_rng state after it; a hit copies the outputs and restores
 * that state, so the world is as if the operation had run. With TD_MEMO=0
 * td_memo_get never hits and td_memo_put keeps nothing, so the same code
 * computes every time: a miss and memoisation off are one path. An
 * operation said not to draw and found to have drawn is not kept.
 * TD_WOLFSSL_PK=0 installs nothing (wolfSSL's own path, to compare
 * against: tests/check_wolfssl_pk.c does); TD_MEMO_STATS=1 prints the
 * calls and hits per operation at exit.
 *
 * What is not hooked, and why (the ECDH and X25519 calls named here are
 * memoised one level down instead, at the wolfCrypt primitive, with
 * wolfSSL's code path left as it is: harness/core/td_wolfssl_memo.c):
 *   - X25519 in TLS 1.3: TLSX_KeyShare_GenX25519Key and
 *     TLSX_KeyShare_ProcessX25519 (src/tls.c) call wolfCrypt directly;
 *     no callback is consulted.
 *   - The X25519 shared secret (TLS 1.2), and the ECDH shared secret
 *     unless the context is TLS 1.3 only: with X25519SharedSecretCb or
 *     EccSharedSecretCb set, SendClientKeyExchange and
 *     DoClientKeyExchange (src/internal.c) take another path: the client
 *     generates no key itself (and skips EccMakeKey's ecdhCurveOID and
 *     namedGroup), the server skips wc_curve25519_check_public with its
 *     alerts, the import of the client's point with its illegal_parameter
 *     alert and the reset of namedGroup. That is protocol code, not
 *     crypto, so it would change what wolfSSL does. In TLS 1.3 the only
 *     call is TLSX_KeyShare_ProcessEcc (src/tls.c), after the point is
 *     imported; the one difference there is that the peer's key is kept
 *     until the object is freed instead of at once, which only
 *     wolfSSL_get_peer_tmp_key would see (the harness does not call it).
 *   - RsaPssSignCheckCb: VerifyRsaSign checks the padding with
 *     wc_RsaPSS_CheckPadding when it is set, and with
 *     wc_RsaPSS_CheckPadding_ex and the key's bit length when not; left
 *     to wolfSSL (a public-key operation, cheap).
 *   - DH (FFDHE): DhAgree skips wc_DhCheckPubKey / wc_DhCheckPubValue and
 *     the illegal_parameter alert when DhAgreeCb is set; no profile uses
 *     an FFDHE group, so neither DH callback is installed.
 *   - RSA-PSS certificate signatures: ConfirmSignature has no callback
 *     for them.
 *
 * Private-key callbacks (signing, RSA decryption) make
 * wolfSSL_CTX_IsPrivatePkSet true, which lets wolfSSL go on without a
 * private key or with a public key in its place (DecodePrivateKey,
 * ProcessBufferTryDecodeRsa, the client's choice to send a certificate);
 * they are installed only once a private key is loaded, where none of
 * those branches can be taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/wolfcrypt/settings.h> /* first, as wolfSSL requires */

#include <wolfssl/internal.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/curve25519.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/rsa.h>

#include "td_memo.h"
#include "td_memo_draw.h"
#include "td_wolfssl_pk.h"
#include "td_world.h"

#ifdef WOLFSSL_CHECK_SIG_FAULTS
/* Then wolfSSL verifies its own ECDSA signatures through EccVerifyCb with
 * its private key's DER, which the verify callback would not decode. */
#error "td_wolfssl_pk.c: the ECC verify callback expects a public key (WOLFSSL_CHECK_SIG_FAULTS)"
#endif

#define OUT_MAX 2048u    /* outputs of one operation, the td_rng state apart */
#define INLINE_MAX 1024u /* an RSA block (SP_INT_BITS 4096: 512 bytes), with room */

/* ---- counts (TD_MEMO_STATS=1 prints them at exit) ------------------------ */

#define OP_FIRST TD_MEMO_WOLF_ECC_KEYGEN
#define OP_COUNT 32

static td_wolfssl_pk_counts counts[OP_COUNT];

static td_wolfssl_pk_counts *count_of(td_memo_op op)
{
    static td_wolfssl_pk_counts other;
    unsigned i = (unsigned)op - OP_FIRST;

    return i < OP_COUNT ? &counts[i] : &other;
}

void td_wolfssl_pk_counts_get(int op, td_wolfssl_pk_counts *c)
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

static void print_stats(void)
{
    static const char *const names[] = {
        "ecc_keygen",    "ecc_sign",       "ecc_verify",     "ecc_shared", "x25519_keygen",
        "x25519_shared", "ed25519_sign",   "ed25519_verify", "rsa_sign",   "rsa_verify",
        "rsa_pss_sign",  "rsa_pss_verify", "rsa_enc",        "rsa_dec",    "dh_agree",
        "dh_keygen",     "rsa_sign_check",
    };
    td_memo_stats s;
    size_t i;

    td_memo_stats_get(&s);
    fprintf(
        stderr,
        "td_memo: %llu hits, %llu misses, %llu stores, %llu evictions, %zu entries, %zu bytes\n",
        (unsigned long long)s.hits, (unsigned long long)s.misses, (unsigned long long)s.stores,
        (unsigned long long)s.evictions, s.entries, s.bytes);
    for (i = 0; i < OP_COUNT; i++)
        if (counts[i].calls)
            fprintf(stderr, "td_wolfssl_pk: %-15s %llu calls, %llu hits\n",
                    i < sizeof names / sizeof names[0] ? names[i] : "?",
                    (unsigned long long)counts[i].calls, (unsigned long long)counts[i].hits);
}

/* ---- one memoised operation --------------------------------------------- */

typedef struct pk_memo {
    td_memo_op op;
    int draws;     /* the operation draws from the party's stream */
    int usable;    /* 0: computed without the cache */
    int closed;    /* the key is complete */
    td_memo_draw draw; /* the bound party's stream, its state on entry (td_memo_draw.h) */
    td_rng after;      /* from a hit: its state after the operation */
    td_span in[TD_MEMO_MAX_PARTS];
    size_t n;
    uint8_t params[64]; /* the integer inputs, 4 bytes each */
    size_t params_len;
    uint8_t out[OUT_MAX + sizeof(td_rng)];
    size_t out_len;
} pk_memo;

static void memo_begin(pk_memo *m, td_memo_op op, int draws)
{
    m->op = op;
    m->draws = draws;
    m->closed = 0;
    m->n = 0;
    m->params_len = 0;
    m->out_len = 0;
    /* A draw with no world bound aborts in td_wolfssl_rand_block; an
     * operation that draws is not memoised without a stream to key on. */
    m->usable = td_memo_draw_begin(&m->draw) || !draws;
    count_of(op)->calls++;
}

/* One input, by reference: it must not change before td_memo_put. */
static void memo_in(pk_memo *m, const void *p, size_t len)
{
    if (m->n + 2 > TD_MEMO_MAX_PARTS) { /* room for the parameters and the stream */
        m->usable = 0;
        return;
    }
    m->in[m->n].p = p;
    m->in[m->n].len = len;
    m->n++;
}

static void memo_param(pk_memo *m, int32_t v)
{
    if (m->params_len + sizeof v > sizeof m->params) {
        m->usable = 0;
        return;
    }
    memcpy(m->params + m->params_len, &v, sizeof v);
    m->params_len += sizeof v;
}

static void memo_close(pk_memo *m)
{
    if (m->closed)
        return;
    m->closed = 1;
    memo_in(m, m->params, m->params_len);
    if (m->draws) {
        td_span k = td_memo_draw_key(&m->draw);

        memo_in(m, k.p, k.len);
    }
}

/* 1 on a hit: the outputs in m->out[0..m->out_len), *status set; nothing
 * is changed until memo_commit. */
static int memo_get(pk_memo *m, int *status)
{
    size_t len;
    int st;

    memo_close(m);
    if (!m->usable || !td_memo_get(m->op, m->in, m->n, m->out, sizeof m->out, &len, &st))
        return 0;
    if (m->draws && !td_memo_draw_split(m->out, &len, &m->after))
        return 0;
    m->out_len = len;
    *status = st;
    return 1;
}

/* The hit's outputs are in place: the stream as the operation left it. */
static void memo_commit(pk_memo *m)
{
    if (m->draws)
        td_memo_draw_commit(&m->draw, &m->after);
    count_of(m->op)->hits++;
}

/* After computing: keep out[0..len) (len <= OUT_MAX) and status. */
static void memo_put(pk_memo *m, const uint8_t *out, size_t len, int status)
{
    memo_close(m);
    if (!m->usable || len > OUT_MAX)
        return;
    if (!m->draws) {
        /* not a function of the key after all: keep nothing */
        if (td_memo_draw_moved(&m->draw))
            return;
        td_memo_put(m->op, m->in, m->n, out, len, status);
        return;
    }
    if (out != m->out && len)
        memmove(m->out, out, len);
    len = td_memo_draw_append(&m->draw, m->out, len, sizeof m->out);
    if (len)
        td_memo_put(m->op, m->in, m->n, m->out, len, status);
}

/* ---- output encoding ------------------------------------------------------ */

typedef struct wbuf {
    uint8_t *p;
    size_t len, cap;
    int ok;
} wbuf;

static void w_i32(wbuf *w, int32_t v)
{
    if (w->len + sizeof v > w->cap) {
        w->ok = 0;
        return;
    }
    memcpy(w->p + w->len, &v, sizeof v);
    w->len += sizeof v;
}

static void w_bytes(wbuf *w, const void *p, size_t n)
{
    if (w->len + n > w->cap) {
        w->ok = 0;
        return;
    }
    if (n)
        memcpy(w->p + w->len, p, n);
    w->len += n;
}

typedef struct rbuf {
    const uint8_t *p;
    size_t len, off;
    int ok;
} rbuf;

static int32_t r_i32(rbuf *r)
{
    int32_t v = 0;

    if (r->off + sizeof v > r->len) {
        r->ok = 0;
        return 0;
    }
    memcpy(&v, r->p + r->off, sizeof v);
    r->off += sizeof v;
    return v;
}

static const uint8_t *r_bytes(rbuf *r, size_t n)
{
    const uint8_t *p = r->p + r->off;

    if (r->off + n > r->len) {
        r->ok = 0;
        return NULL;
    }
    r->off += n;
    return p;
}

static wbuf wbuf_of(pk_memo *m)
{
    return (wbuf){m->out, 0, OUT_MAX, 1};
}
static rbuf rbuf_of(const pk_memo *m)
{
    return (rbuf){m->out, m->out_len, 0, 1};
}

/* ---- in-place RSA operations ----------------------------------------------
 * wc_RsaSSL_VerifyInline, wc_RsaPSS_VerifyInline and
 * wc_RsaPrivateDecryptInline work in the caller's buffer and point *out
 * into it. Their key has the buffer as it was and where *out pointed
 * (NULL, into the buffer, elsewhere); their outputs, the whole buffer
 * afterwards and where *out points then. */

#define PTR_NULL (-1)
#define PTR_ELSEWHERE (-2) /* outside the buffer: as it was (an output only so) */
#define PTR_UNKNOWN (-3)

static int32_t ptr_where(const uint8_t *p, const uint8_t *buf, size_t len)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)buf;

    if (!p)
        return PTR_NULL;
    if (a >= b && a - b <= len)
        return (int32_t)(a - b);
    return PTR_ELSEWHERE;
}

typedef struct inline_op {
    uint8_t before[INLINE_MAX];
    const uint8_t *out_before;
    int32_t where_before;
} inline_op;

static void inline_key(pk_memo *m, inline_op *io, const uint8_t *buf, size_t len,
                       uint8_t *const *out)
{
    io->out_before = *out;
    io->where_before = ptr_where(*out, buf, len);
    if (len > sizeof io->before) {
        m->usable = 0;
        return;
    }
    memcpy(io->before, buf, len);
    memo_in(m, io->before, len);
    memo_param(m, io->where_before);
}

static int inline_apply(const pk_memo *m, uint8_t *buf, size_t len, uint8_t **out)
{
    rbuf r = rbuf_of(m);
    int32_t where = r_i32(&r);
    const uint8_t *after = r_bytes(&r, len);

    if (!r.ok || r.off != r.len || where == PTR_UNKNOWN || where > (int32_t)len)
        return -1;
    memcpy(buf, after, len);
    if (where == PTR_NULL)
        *out = NULL;
    else if (where >= 0)
        *out = buf + where;
    return 0; /* PTR_ELSEWHERE: *out was not touched */
}

static void inline_put(pk_memo *m, const inline_op *io, const uint8_t *buf, size_t len,
                       uint8_t *const *out, int status)
{
    wbuf w = wbuf_of(m);
    int32_t where = ptr_where(*out, buf, len);

    /* elsewhere is only "as it was": a pointer the operation moved
     * outside the buffer cannot be replayed */
    if (where == PTR_ELSEWHERE && *out != io->out_before)
        return;
    w_i32(&w, where);
    w_bytes(&w, buf, len);
    if (w.ok)
        memo_put(m, w.p, w.len, status);
}

/* Private key bytes copied into a memo key are wiped when done. */
static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;

    while (n--)
        *v++ = 0;
}

/* ---- keys as wolfSSL decodes them ------------------------------------------ */

/* DecodePrivateKey (src/internal.c) and ProcessPeerCerts / ConfirmSignature
 * decode with these functions from the same DER; keys are initialised as
 * AllocKey does (the object's heap and device). */

static int rsa_private(WOLFSSL *ssl, RsaKey *k, const unsigned char *der, unsigned int len)
{
    word32 idx = 0;
    int ret = wc_InitRsaKey_ex(k, ssl->heap, ssl->devId);

    if (ret != 0)
        return ret;
    ret = der ? wc_RsaPrivateKeyDecode(der, &idx, k, len) : BAD_FUNC_ARG;
    if (ret != 0)
        wc_FreeRsaKey(k);
    return ret;
}

static int rsa_public(WOLFSSL *ssl, RsaKey *k, const unsigned char *der, unsigned int len)
{
    word32 idx = 0;
    int ret = wc_InitRsaKey_ex(k, ssl->heap, ssl->devId);

    if (ret != 0)
        return ret;
    ret = der ? wc_RsaPublicKeyDecode(der, &idx, k, len) : BAD_FUNC_ARG;
    if (ret != 0)
        wc_FreeRsaKey(k);
    return ret;
}

/* The hash a PSS callback is given (TypeHash: SHA256h ...) back to the
 * wc_HashType wolfSSL's ConvertHashPss chose. */
static enum wc_HashType pss_hash(int hash)
{
    return wc_OidGetHash(hash);
}

/* ---- ECC ---------------------------------------------------------------------- */

/* EccMakeKey: wc_ecc_make_key_ex(ssl->rng, keySz, key, ecc_curve). */
static int pk_ecc_keygen(WOLFSSL *ssl, ecc_key *key, unsigned int keySz, int ecc_curve, void *ctx)
{
    pk_memo m;
    int status;

    (void)ctx;
    memo_begin(&m, TD_MEMO_WOLF_ECC_KEYGEN, 1);
    memo_param(&m, (int32_t)keySz);
    memo_param(&m, ecc_curve);
    if (memo_get(&m, &status) && status == 0) {
        rbuf r = rbuf_of(&m);
        int32_t id = r_i32(&r), size = r_i32(&r);
        const uint8_t *k = r_bytes(&r, (size_t)size), *pub = r_bytes(&r, 2 * (size_t)size + 1);

        /* The state _ecc_make_key_ex leaves: curve by id (the one it
         * chose), public point with z = 1, k, type ECC_PRIVATEKEY, no
         * flags. */
        if (r.ok && size > 0 &&
            wc_ecc_import_private_key_ex(k, (word32)size, pub, 2 * (word32)size + 1, key, id) ==
                0) {
            key->flags = WC_ECC_FLAG_NONE;
            memo_commit(&m);
            return 0;
        }
    }
    status = wc_ecc_make_key_ex(ssl->rng, (int)keySz, key, ecc_curve);
    if (status == 0 && key->dp) {
        wbuf w = wbuf_of(&m);
        uint8_t k[MAX_ECC_BYTES], pub[2 * MAX_ECC_BYTES + 1];
        word32 klen = sizeof k, publen = sizeof pub;

        if (wc_ecc_export_private_only(key, k, &klen) == 0 &&
            wc_ecc_export_x963(key, pub, &publen) == 0 && klen == (word32)key->dp->size &&
            publen == 2 * klen + 1) {
            w_i32(&w, key->dp->id);
            w_i32(&w, (int32_t)klen);
            w_bytes(&w, k, klen);
            w_bytes(&w, pub, publen);
            if (w.ok)
                memo_put(&m, w.p, w.len, status);
        }
        wipe(k, sizeof k);
    }
    return status;
}

/* EccSign: wc_ecc_sign_hash(in, inSz, out, outSz, ssl->rng, key). */
static int pk_ecc_sign(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz, unsigned char *out,
                       word32 *outSz, const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    pk_memo m;
    ecc_key k;
    word32 idx = 0;
    int status;

    (void)ctx;
    memo_begin(&m, TD_MEMO_WOLF_ECC_SIGN, 1);
    memo_in(&m, in, inSz);
    memo_in(&m, keyDer, keySz);
    memo_param(&m, (int32_t)*outSz);
    if (memo_get(&m, &status) && status == 0 && m.out_len <= *outSz) {
        memcpy(out, m.out, m.out_len);
        *outSz = (word32)m.out_len;
        memo_commit(&m);
        return 0;
    }
    status = wc_ecc_init_ex(&k, ssl->heap, ssl->devId);
    if (status != 0)
        return status;
    status = keyDer ? wc_EccPrivateKeyDecode(keyDer, &idx, &k, keySz) : BAD_FUNC_ARG;
    if (status == 0)
        status = wc_ecc_sign_hash(in, inSz, out, outSz, ssl->rng, &k);
    wc_ecc_free(&k);
    if (status == 0) /* a failure may leave part of out written: not kept */
        memo_put(&m, out, *outSz, status);
    return status;
}

/* EccVerify, and ConfirmSignature for certificate signatures:
 * wc_ecc_verify_hash(sig, sigSz, hash, hashSz, result, key) with the
 * peer's (issuer's) key. */
static int pk_ecc_verify(WOLFSSL *ssl, const unsigned char *sig, unsigned int sigSz,
                         const unsigned char *hash, unsigned int hashSz,
                         const unsigned char *keyDer, unsigned int keySz, int *result, void *ctx)
{
    pk_memo m;
    ecc_key k;
    word32 idx = 0;
    int status;

    (void)ctx;
    memo_begin(&m, TD_MEMO_WOLF_ECC_VERIFY, 0);
    memo_in(&m, sig, sigSz);
    memo_in(&m, hash, hashSz);
    memo_in(&m, keyDer, keySz);
    memo_param(&m, *result);
    if (memo_get(&m, &status)) {
        rbuf r = rbuf_of(&m);
        int32_t v = r_i32(&r);

        if (r.ok && r.off == r.len) {
            *result = v;
            memo_commit(&m);
            return status;
        }
    }
    status = wc_ecc_init_ex(&k, ssl->heap, ssl->devId);
    if (status != 0)
        return status;
    status = keyDer ? wc_EccPublicKeyDecode(keyDer, &idx, &k, keySz) : BAD_FUNC_ARG;
    if (status == 0)
        status = wc_ecc_verify_hash(sig, sigSz, hash, hashSz, result, &k);
    wc_ecc_free(&k);
    {
        wbuf w = wbuf_of(&m);

        w_i32(&w, *result);
        memo_put(&m, w.p, w.len, status);
    }
    return status;
}

/* The client's own key share for the server's point ke: the entry of the
 * key_share extension TLSX_KeyShare_Parse handed to
 * TLSX_KeyShare_ProcessEcc, whose ke is that point. */
static ecc_key *own_share(WOLFSSL *ssl, const unsigned char *ke)
{
    TLSX *x;

    for (x = ssl->extensions; x; x = x->next) {
        KeyShareEntry *e;

        if (x->type != TLSX_KEY_SHARE)
            continue;
        for (e = (KeyShareEntry *)x->data; e; e = e->next)
            if (e->ke == ke)
                return (ecc_key *)e->key;
    }
    return NULL;
}

static void harness_bug(const char *what)
{
    fprintf(stderr, "tlsdiff: td_wolfssl_pk: %s\n", what);
    abort();
}

/* TLS 1.3 only (td_wolfssl_pk_install): TLSX_KeyShare_ProcessEcc calls
 * EccSharedSecret(ssl, own key, ssl->peerEccKey, ke, ...), which does
 * wc_ecc_set_rng(own key, ssl->rng) and wc_ecc_shared_secret(own key,
 * ssl->peerEccKey, out, outlen). The callback is handed the peer's key
 * (client) or its own (server), so the other one is found where
 * ProcessEcc took it. */
static int pk_ecc_shared(WOLFSSL *ssl, ecc_key *otherKey, unsigned char *pubKeyDer,
                         word32 *pubKeySz, unsigned char *out, word32 *outlen, int side, void *ctx)
{
    pk_memo m;
    ecc_key *priv, *pub = ssl->peerEccKey;
    uint8_t k[MAX_ECC_BYTES], point[2 * MAX_ECC_BYTES + 1];
    word32 klen = sizeof k, plen = sizeof point;
    int status;

    (void)ctx;
    (void)pubKeySz;
    if (ssl->version.major != SSLv3_MAJOR || ssl->version.minor < TLSv1_3_MINOR)
        harness_bug(
            "EccSharedSecretCb called before TLS 1.3 (installed on a TLS 1.3-only context)");
    priv = side == WOLFSSL_SERVER_END ? otherKey : own_share(ssl, pubKeyDer);
    if (!priv || !pub || (side != WOLFSSL_SERVER_END && otherKey != pub))
        harness_bug("EccSharedSecretCb: not called from TLSX_KeyShare_ProcessEcc as expected");
    memo_begin(&m, TD_MEMO_WOLF_ECC_SHARED, 1);
    /* what wc_ecc_shared_secret reads of the two keys: curve, type, k and
     * the point (imported with z = 1) */
    if (!priv->dp || !pub->dp || wc_ecc_export_private_only(priv, k, &klen) != 0 ||
        wc_ecc_export_x963(pub, point, &plen) != 0)
        m.usable = 0;
    memo_in(&m, k, klen);
    memo_in(&m, point, plen);
    memo_param(&m, priv->dp ? priv->dp->id : -1);
    memo_param(&m, priv->type);
    memo_param(&m, pub->dp ? pub->dp->id : -1);
    memo_param(&m, pub->type);
    memo_param(&m, (int32_t)*outlen);
    if (memo_get(&m, &status) && status == 0 && m.out_len <= *outlen &&
        wc_ecc_set_rng(priv, ssl->rng) == 0) {
        memcpy(out, m.out, m.out_len);
        *outlen = (word32)m.out_len;
        memo_commit(&m);
        wipe(k, sizeof k);
        return 0;
    }
    status = wc_ecc_set_rng(priv, ssl->rng);
    if (status == 0)
        status = wc_ecc_shared_secret(priv, pub, out, outlen);
    if (status == 0)
        memo_put(&m, out, *outlen, status);
    wipe(k, sizeof k);
    return status;
}

/* ---- X25519 (TLS 1.2 only: see the top) ------------------------------------ */

/* X25519MakeKey: wc_curve25519_make_key(ssl->rng, keySz, key), which
 * fills k (clamped) and the public point and sets privSet and pubSet. */
static int pk_x25519_keygen(WOLFSSL *ssl, curve25519_key *key, unsigned int keySz, void *ctx)
{
    pk_memo m;
    int status;

    (void)ctx;
    memo_begin(&m, TD_MEMO_WOLF_X25519_KEYGEN, 1);
    memo_param(&m, (int32_t)keySz);
    if (memo_get(&m, &status) && status == 0 && m.out_len == sizeof key->k + sizeof key->p.point) {
        memcpy(key->k, m.out, sizeof key->k);
        memcpy(key->p.point, m.out + sizeof key->k, sizeof key->p.point);
        key->privSet = 1;
        key->pubSet = 1;
        memo_commit(&m);
        return 0;
    }
    status = wc_curve25519_make_key(ssl->rng, (int)keySz, key);
    if (status == 0 && key->privSet && key->pubSet) {
        wbuf w = wbuf_of(&m);

        w_bytes(&w, key->k, sizeof key->k);
        w_bytes(&w, key->p.point, sizeof key->p.point);
        if (w.ok)
            memo_put(&m, w.p, w.len, status);
    }
    return status;
}

/* ---- Ed25519 ---------------------------------------------------------------- */

/* Ed25519Sign: wc_ed25519_sign_msg(in, inSz, out, outSz, key), the key
 * as DecodePrivateKey decodes it and then Ed25519CheckPubKey completes
 * it: a PKCS#8 key without its public key (RFC 8410 7, as
 * vectors/pki/server-ed25519.key.pem) gets the leaf certificate's, which
 * the signature hashes (RFC 8032 5.1.6). So the key is decoded first and
 * that public key is part of the memo key. Deterministic: no stream. */
static int pk_ed25519_sign(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz,
                           unsigned char *out, unsigned int *outSz, const unsigned char *keyDer,
                           unsigned int keySz, void *ctx)
{
    pk_memo m;
    ed25519_key k;
    word32 idx = 0;
    const unsigned char *cert_pub = NULL;
    word32 cert_pub_len = 0;
    int status;

    (void)ctx;
    status = wc_ed25519_init_ex(&k, ssl->heap, ssl->devId);
    if (status != 0)
        return status;
    status = keyDer ? wc_Ed25519PrivateKeyDecode(keyDer, &idx, &k, keySz) : BAD_FUNC_ARG;
    if (status == 0 && !k.pubKeySet) {
        /* Ed25519CheckPubKey (src/internal.c) */
        status = wc_CertGetPubKey(ssl->buffers.certificate->buffer,
                                  ssl->buffers.certificate->length, &cert_pub, &cert_pub_len);
        if (status == 0)
            status = wc_ed25519_import_public(cert_pub, cert_pub_len, &k);
    }
    memo_begin(&m, TD_MEMO_WOLF_ED25519_SIGN, 0);
    memo_in(&m, in, inSz);
    memo_in(&m, keyDer, keySz);
    memo_in(&m, cert_pub, cert_pub_len);
    memo_param(&m, (int32_t)*outSz);
    memo_param(&m, status);
    if (memo_get(&m, &status) && status == 0 && m.out_len <= *outSz) {
        memcpy(out, m.out, m.out_len);
        *outSz = (unsigned int)m.out_len;
        memo_commit(&m);
        wc_ed25519_free(&k);
        return 0;
    }
    if (status == 0)
        status = wc_ed25519_sign_msg(in, inSz, out, outSz, &k);
    wc_ed25519_free(&k);
    if (status == 0)
        memo_put(&m, out, *outSz, status);
    return status;
}

/* Ed25519Verify: wc_ed25519_verify_msg(sig, sigSz, msg, msgSz, result,
 * key), the peer's key imported from the certificate's key bytes
 * (ProcessPeerCerts: wc_ed25519_import_public). */
static int pk_ed25519_verify(WOLFSSL *ssl, const unsigned char *sig, unsigned int sigSz,
                             const unsigned char *msg, unsigned int msgSz,
                             const unsigned char *keyDer, unsigned int keySz, int *result,
                             void *ctx)
{
    pk_memo m;
    ed25519_key k;
    int status;

    (void)ctx;
    memo_begin(&m, TD_MEMO_WOLF_ED25519_VERIFY, 0);
    memo_in(&m, sig, sigSz);
    memo_in(&m, msg, msgSz);
    memo_in(&m, keyDer, keySz);
    memo_param(&m, *result);
    if (memo_get(&m, &status)) {
        rbuf r = rbuf_of(&m);
        int32_t v = r_i32(&r);

        if (r.ok && r.off == r.len) {
            *result = v;
            memo_commit(&m);
            return status;
        }
    }
    status = wc_ed25519_init_ex(&k, ssl->heap, ssl->devId);
    if (status != 0)
        return status;
    status = keyDer ? wc_ed25519_import_public(keyDer, keySz, &k) : BAD_FUNC_ARG;
    if (status == 0)
        status = wc_ed25519_verify_msg(sig, sigSz, msg, msgSz, result, &k);
    wc_ed25519_free(&k);
    {
        wbuf w = wbuf_of(&m);

        w_i32(&w, *result);
        memo_put(&m, w.p, w.len, status);
    }
    return status;
}

/* ---- RSA ---------------------------------------------------------------------- */

/* A signature or ciphertext written to out: kept on success only (a
 * positive length, the value wolfSSL turns into *outSz), since a failure
 * may have written part of out. */
static int rsa_out_hit(pk_memo *m, unsigned char *out, word32 cap, int *status)
{
    if (!memo_get(m, status) || *status <= 0 || (size_t)*status != m->out_len || m->out_len > cap)
        return 0;
    memcpy(out, m->out, m->out_len);
    memo_commit(m);
    return 1;
}

/* RsaSign: wc_RsaSSL_Sign(in, inSz, out, *outSz, key, ssl->rng). */
static int pk_rsa_sign(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz, unsigned char *out,
                       word32 *outSz, const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    pk_memo m;
    RsaKey k;
    int status;

    (void)ctx;
    memo_begin(&m, TD_MEMO_WOLF_RSA_SIGN, 1);
    memo_in(&m, in, inSz);
    memo_in(&m, keyDer, keySz);
    memo_param(&m, (int32_t)*outSz);
    if (rsa_out_hit(&m, out, *outSz, &status))
        return status;
    status = rsa_private(ssl, &k, keyDer, keySz);
    if (status != 0)
        return status;
    status = wc_RsaSSL_Sign(in, inSz, out, *outSz, &k, ssl->rng);
    wc_FreeRsaKey(&k);
    if (status > 0)
        memo_put(&m, out, (size_t)status, status);
    return status;
}

/* RsaSign, rsa_pss_sa_algo: wc_RsaPSS_Sign(in, inSz, out, *outSz,
 * hashType, mgf, key, ssl->rng). */
static int pk_rsa_pss_sign(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz,
                           unsigned char *out, unsigned int *outSz, int hash, int mgf,
                           const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    pk_memo m;
    RsaKey k;
    int status;

    (void)ctx;
    memo_begin(&m, TD_MEMO_WOLF_RSA_PSS_SIGN, 1);
    memo_in(&m, in, inSz);
    memo_in(&m, keyDer, keySz);
    memo_param(&m, (int32_t)*outSz);
    memo_param(&m, hash);
    memo_param(&m, mgf);
    if (rsa_out_hit(&m, out, *outSz, &status))
        return status;
    status = rsa_private(ssl, &k, keyDer, keySz);
    if (status != 0)
        return status;
    status = wc_RsaPSS_Sign(in, inSz, out, *outSz, pss_hash(hash), mgf, &k, ssl->rng);
    wc_FreeRsaKey(&k);
    if (status > 0)
        memo_put(&m, out, (size_t)status, status);
    return status;
}

/* RsaEnc: wc_RsaPublicEncrypt(in, inSz, out, *outSz, peer key, ssl->rng). */
static int pk_rsa_enc(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz, unsigned char *out,
                      word32 *outSz, const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    pk_memo m;
    RsaKey k;
    int status;

    (void)ctx;
    memo_begin(&m, TD_MEMO_WOLF_RSA_ENC, 1);
    memo_in(&m, in, inSz);
    memo_in(&m, keyDer, keySz);
    memo_param(&m, (int32_t)*outSz);
    if (rsa_out_hit(&m, out, *outSz, &status))
        return status;
    status = rsa_public(ssl, &k, keyDer, keySz);
    if (status != 0)
        return status;
    status = wc_RsaPublicEncrypt(in, inSz, out, *outSz, &k, ssl->rng);
    wc_FreeRsaKey(&k);
    if (status > 0)
        memo_put(&m, out, (size_t)status, status);
    return status;
}

typedef enum { RSA_VERIFY, RSA_SIGN_CHECK, RSA_PSS_VERIFY, RSA_DEC } rsa_inline_kind;

/* The in-place operations: RsaVerify and ConfirmSignature
 * (wc_RsaSSL_VerifyInline with the peer's or issuer's public key),
 * VerifyRsaSign (the same with wolfSSL's own private key, decoded as
 * DecodePrivateKey does), RsaVerify for PSS (wc_RsaPSS_VerifyInline) and
 * RsaDec (wc_RsaSetRNG, then wc_RsaPrivateDecryptInline: blinding draws
 * from the stream). */
static int rsa_inline(rsa_inline_kind kind, WOLFSSL *ssl, unsigned char *buf, unsigned int len,
                      unsigned char **out, int hash, int mgf, const unsigned char *keyDer,
                      unsigned int keySz)
{
    static const td_memo_op ops[] = {TD_MEMO_WOLF_RSA_VERIFY, TD_MEMO_WOLF_RSA_SIGN_CHECK,
                                     TD_MEMO_WOLF_RSA_PSS_VERIFY, TD_MEMO_WOLF_RSA_DEC};
    pk_memo m;
    inline_op io;
    RsaKey k;
    int status;

    memo_begin(&m, ops[kind], kind == RSA_DEC);
    inline_key(&m, &io, buf, len, out);
    memo_in(&m, keyDer, keySz);
    memo_param(&m, hash);
    memo_param(&m, mgf);
    if (memo_get(&m, &status) && inline_apply(&m, buf, len, out) == 0) {
        memo_commit(&m);
        return status;
    }
    status = kind == RSA_VERIFY || kind == RSA_PSS_VERIFY ? rsa_public(ssl, &k, keyDer, keySz)
                                                          : rsa_private(ssl, &k, keyDer, keySz);
    if (status != 0)
        return status;
    switch (kind) {
    case RSA_VERIFY:
    case RSA_SIGN_CHECK:
        status = wc_RsaSSL_VerifyInline(buf, len, out, &k);
        break;
    case RSA_PSS_VERIFY:
        status = wc_RsaPSS_VerifyInline(buf, len, out, pss_hash(hash), mgf, &k);
        break;
    case RSA_DEC:
        status = wc_RsaSetRNG(&k, ssl->rng);
        if (status == 0)
            status = wc_RsaPrivateDecryptInline(buf, len, out, &k);
        break;
    }
    wc_FreeRsaKey(&k);
    inline_put(&m, &io, buf, len, out, status);
    return status;
}

static int pk_rsa_verify(WOLFSSL *ssl, unsigned char *sig, unsigned int sigSz, unsigned char **out,
                         const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    (void)ctx;
    return rsa_inline(RSA_VERIFY, ssl, sig, sigSz, out, 0, 0, keyDer, keySz);
}

static int pk_rsa_sign_check(WOLFSSL *ssl, unsigned char *sig, unsigned int sigSz,
                             unsigned char **out, const unsigned char *keyDer, unsigned int keySz,
                             void *ctx)
{
    (void)ctx;
    return rsa_inline(RSA_SIGN_CHECK, ssl, sig, sigSz, out, 0, 0, keyDer, keySz);
}

static int pk_rsa_pss_verify(WOLFSSL *ssl, unsigned char *sig, unsigned int sigSz,
                             unsigned char **out, int hash, int mgf, const unsigned char *keyDer,
                             unsigned int keySz, void *ctx)
{
    (void)ctx;
    return rsa_inline(RSA_PSS_VERIFY, ssl, sig, sigSz, out, hash, mgf, keyDer, keySz);
}

static int pk_rsa_dec(WOLFSSL *ssl, unsigned char *in, unsigned int inSz, unsigned char **out,
                      const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    (void)ctx;
    return rsa_inline(RSA_DEC, ssl, in, inSz, out, 0, 0, keyDer, keySz);
}

/* ---- installation --------------------------------------------------------------- */

int td_wolfssl_pk_enabled(void)
{
    const char *pk = getenv("TD_WOLFSSL_PK");

    /* TD_WOLFSSL_PK=0: wolfSSL's own path, for comparison */
    return !(pk && strcmp(pk, "0") == 0);
}

void td_wolfssl_pk_install(WOLFSSL_CTX *ctx)
{
    static int registered;

    if (!td_wolfssl_pk_enabled())
        return;
    if (!registered) {
        const char *v = getenv("TD_MEMO_STATS");

        registered = 1;
        if (v && strcmp(v, "0") != 0)
            atexit(print_stats);
    }

    /* Public keys and key generation: no branch of wolfSSL looks at
     * these callbacks but the one that calls them. */
    wolfSSL_CTX_SetEccKeyGenCb(ctx, pk_ecc_keygen);
    wolfSSL_CTX_SetEccVerifyCb(ctx, pk_ecc_verify);
    wolfSSL_CTX_SetX25519KeyGenCb(ctx, pk_x25519_keygen);
    wolfSSL_CTX_SetEd25519VerifyCb(ctx, pk_ed25519_verify);
    wolfSSL_CTX_SetRsaVerifyCb(ctx, pk_rsa_verify);
    wolfSSL_CTX_SetRsaPssVerifyCb(ctx, pk_rsa_pss_verify);
    wolfSSL_CTX_SetRsaEncCb(ctx, pk_rsa_enc);

    /* ECDH through the callback only where TLS 1.2 cannot be negotiated
     * (wolfSSL_CTX_set_min_proto_version(TLS1_3_VERSION): minDowngrade,
     * checked by DoClientHello and DoServerHello). */
    if (ctx->minDowngrade >= TLSv1_3_MINOR)
        wolfSSL_CTX_SetEccSharedSecretCb(ctx, pk_ecc_shared);

    /* The private key's operations, once there is a private key. */
    if (ctx->privateKey && ctx->privateKey->buffer) {
        wolfSSL_CTX_SetEccSignCb(ctx, pk_ecc_sign);
        wolfSSL_CTX_SetEd25519SignCb(ctx, pk_ed25519_sign);
        wolfSSL_CTX_SetRsaSignCb(ctx, pk_rsa_sign);
        wolfSSL_CTX_SetRsaSignCheckCb(ctx, pk_rsa_sign_check);
        wolfSSL_CTX_SetRsaPssSignCb(ctx, pk_rsa_pss_sign);
        wolfSSL_CTX_SetRsaDecCb(ctx, pk_rsa_dec);
    }
}
