/*
 * wolfSSL's public-key callbacks, memoised: the RSA half (signing, PSS
 * signing, encryption, and the in-place verify and decrypt family).
 * td_wolfssl_pk.c installs them and its header comment gives the rules
 * they follow: each computes with wolfCrypt exactly what wolfSSL 5.7.2
 * does without it, and what makes up a memo key and a memo entry.
 */
#include <stdint.h>
#include <string.h>

#include <wolfssl/wolfcrypt/settings.h> /* first, as wolfSSL requires */

#include <wolfssl/internal.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/rsa.h>

#include "td_memo.h"
#include "td_wolfssl_pk_impl.h"

#define INLINE_MAX 1024u /* an RSA block (SP_INT_BITS 4096: 512 bytes), with room */

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
    td_pk_memo_in(m, io->before, len);
    td_pk_memo_param(m, io->where_before);
}

static int inline_apply(const pk_memo *m, uint8_t *buf, size_t len, uint8_t **out)
{
    rbuf r = td_pk_rbuf_of(m);
    int32_t where = td_pk_r_i32(&r);
    const uint8_t *after = td_pk_r_bytes(&r, len);

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
    wbuf w = td_pk_wbuf_of(m);
    int32_t where = ptr_where(*out, buf, len);

    /* elsewhere is only "as it was": a pointer the operation moved
     * outside the buffer cannot be replayed */
    if (where == PTR_ELSEWHERE && *out != io->out_before)
        return;
    td_pk_w_i32(&w, where);
    td_pk_w_bytes(&w, buf, len);
    if (w.ok)
        td_pk_memo_put(m, w.p, w.len, status);
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

/* ---- RSA ---------------------------------------------------------------------- */

/* A signature or ciphertext written to out: kept on success only (a
 * positive length, the value wolfSSL turns into *outSz), since a failure
 * may have written part of out. */
static int rsa_out_hit(pk_memo *m, unsigned char *out, word32 cap, int *status)
{
    if (!td_pk_memo_get(m, status) || *status <= 0 || (size_t)*status != m->out_len ||
        m->out_len > cap)
        return 0;
    memcpy(out, m->out, m->out_len);
    td_pk_memo_commit(m);
    return 1;
}

/* RsaSign: wc_RsaSSL_Sign(in, inSz, out, *outSz, key, ssl->rng). */
int td_pk_rsa_sign(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz, unsigned char *out,
                   word32 *outSz, const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    pk_memo m;
    RsaKey k;
    int status;

    (void)ctx;
    td_pk_memo_begin(&m, TD_MEMO_WOLF_RSA_SIGN, 1);
    td_pk_memo_in(&m, in, inSz);
    td_pk_memo_in(&m, keyDer, keySz);
    td_pk_memo_param(&m, (int32_t)*outSz);
    if (rsa_out_hit(&m, out, *outSz, &status))
        return status;
    status = rsa_private(ssl, &k, keyDer, keySz);
    if (status != 0)
        return status;
    status = wc_RsaSSL_Sign(in, inSz, out, *outSz, &k, ssl->rng);
    wc_FreeRsaKey(&k);
    if (status > 0)
        td_pk_memo_put(&m, out, (size_t)status, status);
    return status;
}

/* RsaSign, rsa_pss_sa_algo: wc_RsaPSS_Sign(in, inSz, out, *outSz,
 * hashType, mgf, key, ssl->rng). */
int td_pk_rsa_pss_sign(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz, unsigned char *out,
                       unsigned int *outSz, int hash, int mgf, const unsigned char *keyDer,
                       unsigned int keySz, void *ctx)
{
    pk_memo m;
    RsaKey k;
    int status;

    (void)ctx;
    td_pk_memo_begin(&m, TD_MEMO_WOLF_RSA_PSS_SIGN, 1);
    td_pk_memo_in(&m, in, inSz);
    td_pk_memo_in(&m, keyDer, keySz);
    td_pk_memo_param(&m, (int32_t)*outSz);
    td_pk_memo_param(&m, hash);
    td_pk_memo_param(&m, mgf);
    if (rsa_out_hit(&m, out, *outSz, &status))
        return status;
    status = rsa_private(ssl, &k, keyDer, keySz);
    if (status != 0)
        return status;
    status = wc_RsaPSS_Sign(in, inSz, out, *outSz, pss_hash(hash), mgf, &k, ssl->rng);
    wc_FreeRsaKey(&k);
    if (status > 0)
        td_pk_memo_put(&m, out, (size_t)status, status);
    return status;
}

/* RsaEnc: wc_RsaPublicEncrypt(in, inSz, out, *outSz, peer key, ssl->rng). */
int td_pk_rsa_enc(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz, unsigned char *out,
                  word32 *outSz, const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    pk_memo m;
    RsaKey k;
    int status;

    (void)ctx;
    td_pk_memo_begin(&m, TD_MEMO_WOLF_RSA_ENC, 1);
    td_pk_memo_in(&m, in, inSz);
    td_pk_memo_in(&m, keyDer, keySz);
    td_pk_memo_param(&m, (int32_t)*outSz);
    if (rsa_out_hit(&m, out, *outSz, &status))
        return status;
    status = rsa_public(ssl, &k, keyDer, keySz);
    if (status != 0)
        return status;
    status = wc_RsaPublicEncrypt(in, inSz, out, *outSz, &k, ssl->rng);
    wc_FreeRsaKey(&k);
    if (status > 0)
        td_pk_memo_put(&m, out, (size_t)status, status);
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

    td_pk_memo_begin(&m, ops[kind], kind == RSA_DEC);
    inline_key(&m, &io, buf, len, out);
    td_pk_memo_in(&m, keyDer, keySz);
    td_pk_memo_param(&m, hash);
    td_pk_memo_param(&m, mgf);
    if (td_pk_memo_get(&m, &status) && inline_apply(&m, buf, len, out) == 0) {
        td_pk_memo_commit(&m);
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

int td_pk_rsa_verify(WOLFSSL *ssl, unsigned char *sig, unsigned int sigSz, unsigned char **out,
                     const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    (void)ctx;
    return rsa_inline(RSA_VERIFY, ssl, sig, sigSz, out, 0, 0, keyDer, keySz);
}

int td_pk_rsa_sign_check(WOLFSSL *ssl, unsigned char *sig, unsigned int sigSz, unsigned char **out,
                         const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    (void)ctx;
    return rsa_inline(RSA_SIGN_CHECK, ssl, sig, sigSz, out, 0, 0, keyDer, keySz);
}

int td_pk_rsa_pss_verify(WOLFSSL *ssl, unsigned char *sig, unsigned int sigSz, unsigned char **out,
                         int hash, int mgf, const unsigned char *keyDer, unsigned int keySz,
                         void *ctx)
{
    (void)ctx;
    return rsa_inline(RSA_PSS_VERIFY, ssl, sig, sigSz, out, hash, mgf, keyDer, keySz);
}

int td_pk_rsa_dec(WOLFSSL *ssl, unsigned char *in, unsigned int inSz, unsigned char **out,
                  const unsigned char *keyDer, unsigned int keySz, void *ctx)
{
    (void)ctx;
    return rsa_inline(RSA_DEC, ssl, in, inSz, out, 0, 0, keyDer, keySz);
}
