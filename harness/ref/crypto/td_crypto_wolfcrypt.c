/*
 * The crypto adapter on wolfCrypt, part 1: hashes, HMAC, HKDF and the TLS
 * 1.2 PRF, plus the helpers the other parts share (td_crypto_wolfcrypt.h).
 * The files td_crypto_wolfcrypt*.c (and that header) are the only ones in
 * harness/ref that include wolfCrypt.
 *
 * HMAC (RFC 2104 2):  H(K XOR opad, H(K XOR ipad, text))
 *
 * HKDF (RFC 5869 2.2, 2.3):
 *     PRK = HMAC-Hash(salt, IKM)
 *     T(0) = empty string
 *     T(i) = HMAC-Hash(PRK, T(i-1) | info | i)     OKM = first L octets of T
 *   with "L <= 255*HashLen".
 *
 * TLS 1.2 PRF (RFC 5246 5):
 *     P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
 *                            HMAC_hash(secret, A(2) + seed) + ...
 *     A(0) = seed
 *     A(i) = HMAC_hash(secret, A(i-1))
 *     PRF(secret, label, seed) = P_<hash>(secret, label + seed)
 */
#include "td_crypto_wolfcrypt.h"

#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/sha512.h>

#include <limits.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Shared helpers
 * ------------------------------------------------------------------------ */

/* Any constant: the stream only feeds blinding values, whose effect
 * wolfCrypt removes again (td_crypto_wolfcrypt.h). */
#define TD_WC_BLIND_SEED UINT64_C(0x746463727970746f)

td_err td_wc_blind_begin(td_wc_blind *b)
{
    td_world_init(&b->world, TD_WC_BLIND_SEED);
    b->previous = td_world_bind(&b->world, TD_PARTY_PEER);
    b->rng_ready = wc_InitRng(&b->rng) == 0;
    if (!b->rng_ready) {
        td_wc_blind_end(b);
        return TD_ERR_CRYPTO;
    }
    return TD_OK;
}

void td_wc_blind_end(td_wc_blind *b)
{
    if (b->rng_ready)
        (void)wc_FreeRng(&b->rng);
    b->rng_ready = 0;
    td_world_restore(b->previous);
    td_secure_zero(&b->world, sizeof b->world);
}

const uint8_t *td_wc_ptr(td_span s)
{
    static const uint8_t none[1] = {0};
    return s.p ? s.p : none;
}

unsigned td_wc_ct_is_zero(unsigned x)
{
    return 0u - ((~x & (x - 1u)) >> (sizeof x * CHAR_BIT - 1u));
}

unsigned td_wc_ct_lt(const uint8_t *a, const uint8_t *b, size_t n)
{
    unsigned borrow = 0;
    size_t i;

    for (i = n; i-- > 0;)
        borrow = (((unsigned)a[i] - b[i] - borrow) >> 8) & 1u;
    return 0u - borrow;
}

unsigned td_wc_ct_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    unsigned d = 0;
    size_t i;

    for (i = 0; i < n; i++)
        d |= (unsigned)(a[i] ^ b[i]);
    return d;
}

/* memset, then a compiler barrier that claims to read the memory, so the
 * store is not removed as dead (as BoringSSL's OPENSSL_cleanse does). A
 * volatile byte loop does the same job byte by byte, and the engine wipes
 * whole connections (hundreds of kilobytes) at the end of every run. */
void td_secure_zero(void *p, size_t n)
{
    if (n == 0)
        return;
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

/* ------------------------------------------------------------------------
 * Hashes (FIPS 180-4 via wolfCrypt)
 * ------------------------------------------------------------------------ */

/* The running state, held by value in td_hash_ctx.state. The wolfCrypt
 * structs are plain data in this configuration (digest, buffer, lengths
 * and a heap pointer that stays NULL: no WOLFSSL_SMALL_STACK_CACHE, no
 * crypto callbacks), so a memcpy of them is a copy of the hash. */
typedef union td_wc_hash {
    wc_Sha256 sha256;
    wc_Sha384 sha384;
    wc_Sha512 sha512;
} td_wc_hash;

_Static_assert(sizeof(wc_Sha256) <= sizeof(((td_hash_ctx *)0)->state),
               "wc_Sha256 must fit td_hash_ctx.state");
_Static_assert(sizeof(wc_Sha384) <= sizeof(((td_hash_ctx *)0)->state),
               "wc_Sha384 must fit td_hash_ctx.state");
_Static_assert(sizeof(wc_Sha512) <= sizeof(((td_hash_ctx *)0)->state),
               "wc_Sha512 must fit td_hash_ctx.state");
_Static_assert(_Alignof(td_wc_hash) <= 16, "td_hash_ctx.state is 16-aligned");

size_t td_hash_len(td_hash_alg alg)
{
    switch (alg) {
    case TD_HASH_SHA256:
        return WC_SHA256_DIGEST_SIZE;
    case TD_HASH_SHA384:
        return WC_SHA384_DIGEST_SIZE;
    case TD_HASH_SHA512:
        return WC_SHA512_DIGEST_SIZE;
    }
    return 0;
}

enum wc_HashType td_wc_hash_type(td_hash_alg alg)
{
    switch (alg) {
    case TD_HASH_SHA256:
        return WC_HASH_TYPE_SHA256;
    case TD_HASH_SHA384:
        return WC_HASH_TYPE_SHA384;
    case TD_HASH_SHA512:
        return WC_HASH_TYPE_SHA512;
    }
    return WC_HASH_TYPE_NONE;
}

static int wc_init(td_wc_hash *s, td_hash_alg alg)
{
    switch (alg) {
    case TD_HASH_SHA256:
        return wc_InitSha256_ex(&s->sha256, NULL, INVALID_DEVID);
    case TD_HASH_SHA384:
        return wc_InitSha384_ex(&s->sha384, NULL, INVALID_DEVID);
    case TD_HASH_SHA512:
        return wc_InitSha512_ex(&s->sha512, NULL, INVALID_DEVID);
    }
    return BAD_FUNC_ARG;
}

static int wc_update(td_wc_hash *s, td_hash_alg alg, const uint8_t *p,
                     word32 n)
{
    switch (alg) {
    case TD_HASH_SHA256:
        return wc_Sha256Update(&s->sha256, p, n);
    case TD_HASH_SHA384:
        return wc_Sha384Update(&s->sha384, p, n);
    case TD_HASH_SHA512:
        return wc_Sha512Update(&s->sha512, p, n);
    }
    return BAD_FUNC_ARG;
}

static int wc_final(td_wc_hash *s, td_hash_alg alg, uint8_t *out)
{
    int ret = BAD_FUNC_ARG;

    switch (alg) {
    case TD_HASH_SHA256:
        ret = wc_Sha256Final(&s->sha256, out);
        wc_Sha256Free(&s->sha256);
        break;
    case TD_HASH_SHA384:
        ret = wc_Sha384Final(&s->sha384, out);
        wc_Sha384Free(&s->sha384);
        break;
    case TD_HASH_SHA512:
        ret = wc_Sha512Final(&s->sha512, out);
        wc_Sha512Free(&s->sha512);
        break;
    }
    return ret;
}

td_err td_hash_init(td_hash_ctx *h, td_hash_alg alg)
{
    td_wc_hash s;
    int ret;

    ENSURE(td_hash_len(alg) != 0, TD_ERR_INTERNAL);
    ret = wc_init(&s, alg);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    memset(h->state, 0, sizeof h->state);
    memcpy(h->state, &s, sizeof s);
    h->alg = alg;
    td_secure_zero(&s, sizeof s);
    return TD_OK;
}

td_err td_hash_update(td_hash_ctx *h, td_span data)
{
    td_wc_hash s;
    td_rd r;
    int ret = 0;

    ENSURE(td_hash_len(h->alg) != 0, TD_ERR_INTERNAL);
    memcpy(&s, h->state, sizeof s);
    td_rd_init_span(&r, data);
    while (ret == 0 && td_rd_left(&r) > 0) {
        td_span chunk;
        size_t n = td_rd_left(&r);

        if (n > (1u << 30))
            n = 1u << 30; /* wolfCrypt counts in word32 */
        if (td_rd_span(&r, n, &chunk) != TD_OK)
            ret = BAD_FUNC_ARG;
        else
            ret = wc_update(&s, h->alg, chunk.p, (word32)chunk.len);
    }
    if (ret == 0)
        memcpy(h->state, &s, sizeof s);
    td_secure_zero(&s, sizeof s);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

td_err td_hash_peek(const td_hash_ctx *h, uint8_t *out)
{
    td_wc_hash s;
    int ret;

    ENSURE(td_hash_len(h->alg) != 0, TD_ERR_INTERNAL);
    /* Finish a copy: h keeps running (the transcript is hashed at many
     * points, RFC 8446 4.4.1). */
    memcpy(&s, h->state, sizeof s);
    ret = wc_final(&s, h->alg, out);
    td_secure_zero(&s, sizeof s);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

td_err td_hash(td_hash_alg alg, td_span data, uint8_t *out)
{
    td_hash_ctx h;

    TRY(td_hash_init(&h, alg));
    TRY(td_hash_update(&h, data));
    TRY(td_hash_peek(&h, out));
    td_secure_zero(&h, sizeof h);
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * HMAC (RFC 2104), HKDF (RFC 5869), the TLS 1.2 PRF (RFC 5246 5)
 * ------------------------------------------------------------------------ */

td_err td_wc_hmac_begin(Hmac *h, td_hash_alg alg, td_span key)
{
    int ret;

    ENSURE(td_hash_len(alg) != 0, TD_ERR_INTERNAL);
    ENSURE(key.len <= UINT32_MAX, TD_ERR_INTERNAL);
    ret = wc_HmacInit(h, NULL, INVALID_DEVID);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    ret = wc_HmacSetKey(h, (int)td_wc_hash_type(alg), td_wc_ptr(key),
                        (word32)key.len);
    if (ret != 0) {
        wc_HmacFree(h);
        td_secure_zero(h, sizeof *h);
        return TD_ERR_CRYPTO;
    }
    return TD_OK;
}

td_err td_wc_hmac_add(Hmac *h, const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    int ret = n <= UINT32_MAX ? wc_HmacUpdate(h, td_wc_ptr(s), (word32)n)
                              : BAD_FUNC_ARG;

    if (ret != 0) {
        wc_HmacFree(h);
        td_secure_zero(h, sizeof *h);
        return TD_ERR_CRYPTO;
    }
    return TD_OK;
}

td_err td_wc_hmac_end(Hmac *h, uint8_t *out)
{
    int ret = wc_HmacFinal(h, out);

    wc_HmacFree(h);
    td_secure_zero(h, sizeof *h);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

td_err td_hmac(td_hash_alg alg, td_span key, td_span data, uint8_t *out)
{
    Hmac h;

    TRY(td_wc_hmac_begin(&h, alg, key));
    TRY(td_wc_hmac_add(&h, data.p, data.len));
    return td_wc_hmac_end(&h, out);
}

td_err td_hkdf_extract(td_hash_alg alg, td_span salt, td_span ikm,
                       uint8_t *prk)
{
    int ret;

    ENSURE(td_hash_len(alg) != 0, TD_ERR_INTERNAL);
    ENSURE(salt.len <= UINT32_MAX && ikm.len <= UINT32_MAX, TD_ERR_INTERNAL);
    /* RFC 5869 2.2: an absent salt is HashLen zeros; HMAC pads an empty
     * key with zeros to the block size (RFC 2104 2), which is the same. */
    ret = wc_HKDF_Extract((int)td_wc_hash_type(alg), td_wc_ptr(salt),
                          (word32)salt.len, td_wc_ptr(ikm), (word32)ikm.len,
                          prk);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

td_err td_hkdf_expand(td_hash_alg alg, td_span prk, td_span info,
                      uint8_t *out, size_t out_len)
{
    size_t hl = td_hash_len(alg);
    int ret;

    ENSURE(hl != 0, TD_ERR_INTERNAL);
    /* RFC 5869 2.3: L <= 255*HashLen; PRK of at least HashLen octets */
    ENSURE(out_len <= 255 * hl, TD_ERR_INTERNAL);
    ENSURE(prk.len >= hl && prk.len <= UINT32_MAX, TD_ERR_INTERNAL);
    ENSURE(info.len <= UINT32_MAX, TD_ERR_INTERNAL);
    if (out_len == 0)
        return TD_OK;
    ret = wc_HKDF_Expand((int)td_wc_hash_type(alg), prk.p, (word32)prk.len,
                         td_wc_ptr(info), (word32)info.len, out,
                         (word32)out_len);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

/* HMAC_hash(secret, a || label || seed) */
static td_err prf_hmac(td_hash_alg alg, td_span secret, const uint8_t *a,
                       size_t a_len, const char *label, size_t label_len,
                       td_span seed, uint8_t *out)
{
    Hmac h;

    TRY(td_wc_hmac_begin(&h, alg, secret));
    TRY(td_wc_hmac_add(&h, a, a_len));
    TRY(td_wc_hmac_add(&h, (const uint8_t *)label, label_len));
    TRY(td_wc_hmac_add(&h, seed.p, seed.len));
    return td_wc_hmac_end(&h, out);
}

static td_err prf_blocks(td_hash_alg alg, td_span secret, const char *label,
                         td_span seed, uint8_t *out, size_t out_len,
                         uint8_t a[TD_HASH_MAX_LEN],
                         uint8_t block[TD_HASH_MAX_LEN])
{
    size_t hl = td_hash_len(alg), label_len = strlen(label), done = 0;

    /* A(1) = HMAC_hash(secret, A(0)), A(0) = label + seed */
    TRY(prf_hmac(alg, secret, NULL, 0, label, label_len, seed, a));
    while (done < out_len) {
        size_t n = out_len - done < hl ? out_len - done : hl;
        td_span ai = {a, hl};

        /* HMAC_hash(secret, A(i) + label + seed) */
        TRY(prf_hmac(alg, secret, a, hl, label, label_len, seed, block));
        memcpy(out + done, block, n);
        done += n;
        /* A(i+1) = HMAC_hash(secret, A(i)) */
        TRY(td_hmac(alg, secret, ai, a));
    }
    return TD_OK;
}

td_err td_tls12_prf(td_hash_alg alg, td_span secret, const char *label,
                    td_span seed, uint8_t *out, size_t out_len)
{
    uint8_t a[TD_HASH_MAX_LEN], block[TD_HASH_MAX_LEN];
    td_err err;

    ENSURE(td_hash_len(alg) != 0 && label != NULL, TD_ERR_INTERNAL);
    err = prf_blocks(alg, secret, label, seed, out, out_len, a, block);
    td_secure_zero(a, sizeof a);
    td_secure_zero(block, sizeof block);
    return err;
}
