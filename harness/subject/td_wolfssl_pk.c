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

#include "td_memo.h"
#include "td_memo_draw.h"
#include "td_wolfssl_pk.h"
#include "td_wolfssl_pk_impl.h"
#include "td_world.h"

#ifdef WOLFSSL_CHECK_SIG_FAULTS
/* Then wolfSSL verifies its own ECDSA signatures through EccVerifyCb with
 * its private key's DER, which the verify callback would not decode. */
#error "td_wolfssl_pk.c: the ECC verify callback expects a public key (WOLFSSL_CHECK_SIG_FAULTS)"
#endif

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

void td_pk_memo_begin(pk_memo *m, td_memo_op op, int draws)
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
void td_pk_memo_in(pk_memo *m, const void *p, size_t len)
{
    if (m->n + 2 > TD_MEMO_MAX_PARTS) { /* room for the parameters and the stream */
        m->usable = 0;
        return;
    }
    m->in[m->n].p = p;
    m->in[m->n].len = len;
    m->n++;
}

void td_pk_memo_param(pk_memo *m, int32_t v)
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
    td_pk_memo_in(m, m->params, m->params_len);
    if (m->draws) {
        td_span k = td_memo_draw_key(&m->draw);

        td_pk_memo_in(m, k.p, k.len);
    }
}

/* 1 on a hit: the outputs in m->out[0..m->out_len), *status set; nothing
 * is changed until td_pk_memo_commit. */
int td_pk_memo_get(pk_memo *m, int *status)
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
void td_pk_memo_commit(pk_memo *m)
{
    if (m->draws)
        td_memo_draw_commit(&m->draw, &m->after);
    count_of(m->op)->hits++;
}

/* After computing: keep out[0..len) (len <= OUT_MAX) and status. */
void td_pk_memo_put(pk_memo *m, const uint8_t *out, size_t len, int status)
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

void td_pk_w_i32(wbuf *w, int32_t v)
{
    if (w->len + sizeof v > w->cap) {
        w->ok = 0;
        return;
    }
    memcpy(w->p + w->len, &v, sizeof v);
    w->len += sizeof v;
}

void td_pk_w_bytes(wbuf *w, const void *p, size_t n)
{
    if (w->len + n > w->cap) {
        w->ok = 0;
        return;
    }
    if (n)
        memcpy(w->p + w->len, p, n);
    w->len += n;
}

int32_t td_pk_r_i32(rbuf *r)
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

const uint8_t *td_pk_r_bytes(rbuf *r, size_t n)
{
    const uint8_t *p = r->p + r->off;

    if (r->off + n > r->len) {
        r->ok = 0;
        return NULL;
    }
    r->off += n;
    return p;
}

wbuf td_pk_wbuf_of(pk_memo *m)
{
    return (wbuf){m->out, 0, OUT_MAX, 1};
}
rbuf td_pk_rbuf_of(const pk_memo *m)
{
    return (rbuf){m->out, m->out_len, 0, 1};
}

/* Private key bytes copied into a memo key are wiped when done. */
static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;

    while (n--)
        *v++ = 0;
}

/* ---- ECC ---------------------------------------------------------------------- */

/* EccMakeKey: wc_ecc_make_key_ex(ssl->rng, keySz, key, ecc_curve). */
static int pk_ecc_keygen(WOLFSSL *ssl, ecc_key *key, unsigned int keySz, int ecc_curve, void *ctx)
{
    pk_memo m;
    int status;

    (void)ctx;
    td_pk_memo_begin(&m, TD_MEMO_WOLF_ECC_KEYGEN, 1);
    td_pk_memo_param(&m, (int32_t)keySz);
    td_pk_memo_param(&m, ecc_curve);
    if (td_pk_memo_get(&m, &status) && status == 0) {
        rbuf r = td_pk_rbuf_of(&m);
        int32_t id = td_pk_r_i32(&r), size = td_pk_r_i32(&r);
        const uint8_t *k = td_pk_r_bytes(&r, (size_t)size),
                      *pub = td_pk_r_bytes(&r, 2 * (size_t)size + 1);

        /* The state _ecc_make_key_ex leaves: curve by id (the one it
         * chose), public point with z = 1, k, type ECC_PRIVATEKEY, no
         * flags. */
        if (r.ok && size > 0 &&
            wc_ecc_import_private_key_ex(k, (word32)size, pub, 2 * (word32)size + 1, key, id) ==
                0) {
            key->flags = WC_ECC_FLAG_NONE;
            td_pk_memo_commit(&m);
            return 0;
        }
    }
    status = wc_ecc_make_key_ex(ssl->rng, (int)keySz, key, ecc_curve);
    if (status == 0 && key->dp) {
        wbuf w = td_pk_wbuf_of(&m);
        uint8_t k[MAX_ECC_BYTES], pub[2 * MAX_ECC_BYTES + 1];
        word32 klen = sizeof k, publen = sizeof pub;

        if (wc_ecc_export_private_only(key, k, &klen) == 0 &&
            wc_ecc_export_x963(key, pub, &publen) == 0 && klen == (word32)key->dp->size &&
            publen == 2 * klen + 1) {
            td_pk_w_i32(&w, key->dp->id);
            td_pk_w_i32(&w, (int32_t)klen);
            td_pk_w_bytes(&w, k, klen);
            td_pk_w_bytes(&w, pub, publen);
            if (w.ok)
                td_pk_memo_put(&m, w.p, w.len, status);
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
    td_pk_memo_begin(&m, TD_MEMO_WOLF_ECC_SIGN, 1);
    td_pk_memo_in(&m, in, inSz);
    td_pk_memo_in(&m, keyDer, keySz);
    td_pk_memo_param(&m, (int32_t)*outSz);
    if (td_pk_memo_get(&m, &status) && status == 0 && m.out_len <= *outSz) {
        memcpy(out, m.out, m.out_len);
        *outSz = (word32)m.out_len;
        td_pk_memo_commit(&m);
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
        td_pk_memo_put(&m, out, *outSz, status);
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
    td_pk_memo_begin(&m, TD_MEMO_WOLF_ECC_VERIFY, 0);
    td_pk_memo_in(&m, sig, sigSz);
    td_pk_memo_in(&m, hash, hashSz);
    td_pk_memo_in(&m, keyDer, keySz);
    td_pk_memo_param(&m, *result);
    if (td_pk_memo_get(&m, &status)) {
        rbuf r = td_pk_rbuf_of(&m);
        int32_t v = td_pk_r_i32(&r);

        if (r.ok && r.off == r.len) {
            *result = v;
            td_pk_memo_commit(&m);
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
        wbuf w = td_pk_wbuf_of(&m);

        td_pk_w_i32(&w, *result);
        td_pk_memo_put(&m, w.p, w.len, status);
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
    td_pk_memo_begin(&m, TD_MEMO_WOLF_ECC_SHARED, 1);
    /* what wc_ecc_shared_secret reads of the two keys: curve, type, k and
     * the point (imported with z = 1) */
    if (!priv->dp || !pub->dp || wc_ecc_export_private_only(priv, k, &klen) != 0 ||
        wc_ecc_export_x963(pub, point, &plen) != 0)
        m.usable = 0;
    td_pk_memo_in(&m, k, klen);
    td_pk_memo_in(&m, point, plen);
    td_pk_memo_param(&m, priv->dp ? priv->dp->id : -1);
    td_pk_memo_param(&m, priv->type);
    td_pk_memo_param(&m, pub->dp ? pub->dp->id : -1);
    td_pk_memo_param(&m, pub->type);
    td_pk_memo_param(&m, (int32_t)*outlen);
    if (td_pk_memo_get(&m, &status) && status == 0 && m.out_len <= *outlen &&
        wc_ecc_set_rng(priv, ssl->rng) == 0) {
        memcpy(out, m.out, m.out_len);
        *outlen = (word32)m.out_len;
        td_pk_memo_commit(&m);
        wipe(k, sizeof k);
        return 0;
    }
    status = wc_ecc_set_rng(priv, ssl->rng);
    if (status == 0)
        status = wc_ecc_shared_secret(priv, pub, out, outlen);
    if (status == 0)
        td_pk_memo_put(&m, out, *outlen, status);
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
    td_pk_memo_begin(&m, TD_MEMO_WOLF_X25519_KEYGEN, 1);
    td_pk_memo_param(&m, (int32_t)keySz);
    if (td_pk_memo_get(&m, &status) && status == 0 &&
        m.out_len == sizeof key->k + sizeof key->p.point) {
        memcpy(key->k, m.out, sizeof key->k);
        memcpy(key->p.point, m.out + sizeof key->k, sizeof key->p.point);
        key->privSet = 1;
        key->pubSet = 1;
        td_pk_memo_commit(&m);
        return 0;
    }
    status = wc_curve25519_make_key(ssl->rng, (int)keySz, key);
    if (status == 0 && key->privSet && key->pubSet) {
        wbuf w = td_pk_wbuf_of(&m);

        td_pk_w_bytes(&w, key->k, sizeof key->k);
        td_pk_w_bytes(&w, key->p.point, sizeof key->p.point);
        if (w.ok)
            td_pk_memo_put(&m, w.p, w.len, status);
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
    td_pk_memo_begin(&m, TD_MEMO_WOLF_ED25519_SIGN, 0);
    td_pk_memo_in(&m, in, inSz);
    td_pk_memo_in(&m, keyDer, keySz);
    td_pk_memo_in(&m, cert_pub, cert_pub_len);
    td_pk_memo_param(&m, (int32_t)*outSz);
    td_pk_memo_param(&m, status);
    if (td_pk_memo_get(&m, &status) && status == 0 && m.out_len <= *outSz) {
        memcpy(out, m.out, m.out_len);
        *outSz = (unsigned int)m.out_len;
        td_pk_memo_commit(&m);
        wc_ed25519_free(&k);
        return 0;
    }
    if (status == 0)
        status = wc_ed25519_sign_msg(in, inSz, out, outSz, &k);
    wc_ed25519_free(&k);
    if (status == 0)
        td_pk_memo_put(&m, out, *outSz, status);
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
    td_pk_memo_begin(&m, TD_MEMO_WOLF_ED25519_VERIFY, 0);
    td_pk_memo_in(&m, sig, sigSz);
    td_pk_memo_in(&m, msg, msgSz);
    td_pk_memo_in(&m, keyDer, keySz);
    td_pk_memo_param(&m, *result);
    if (td_pk_memo_get(&m, &status)) {
        rbuf r = td_pk_rbuf_of(&m);
        int32_t v = td_pk_r_i32(&r);

        if (r.ok && r.off == r.len) {
            *result = v;
            td_pk_memo_commit(&m);
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
        wbuf w = td_pk_wbuf_of(&m);

        td_pk_w_i32(&w, *result);
        td_pk_memo_put(&m, w.p, w.len, status);
    }
    return status;
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
    wolfSSL_CTX_SetRsaVerifyCb(ctx, td_pk_rsa_verify);
    wolfSSL_CTX_SetRsaPssVerifyCb(ctx, td_pk_rsa_pss_verify);
    wolfSSL_CTX_SetRsaEncCb(ctx, td_pk_rsa_enc);

    /* ECDH through the callback only where TLS 1.2 cannot be negotiated
     * (wolfSSL_CTX_set_min_proto_version(TLS1_3_VERSION): minDowngrade,
     * checked by DoClientHello and DoServerHello). */
    if (ctx->minDowngrade >= TLSv1_3_MINOR)
        wolfSSL_CTX_SetEccSharedSecretCb(ctx, pk_ecc_shared);

    /* The private key's operations, once there is a private key. */
    if (ctx->privateKey && ctx->privateKey->buffer) {
        wolfSSL_CTX_SetEccSignCb(ctx, pk_ecc_sign);
        wolfSSL_CTX_SetEd25519SignCb(ctx, pk_ed25519_sign);
        wolfSSL_CTX_SetRsaSignCb(ctx, td_pk_rsa_sign);
        wolfSSL_CTX_SetRsaSignCheckCb(ctx, td_pk_rsa_sign_check);
        wolfSSL_CTX_SetRsaPssSignCb(ctx, td_pk_rsa_pss_sign);
        wolfSSL_CTX_SetRsaDecCb(ctx, td_pk_rsa_dec);
    }
}
