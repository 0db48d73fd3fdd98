/*
 * The crypto adapter on wolfCrypt, part 4: signature schemes (RFC 8446
 * 4.2.3). One of the files td_crypto_wolfcrypt*.c that may include wolfCrypt
 * (td_crypto_wolfcrypt.h).
 *
 *   rsa_pkcs1_sha256/384/512 (0x0401/0x0501/0x0601): RSASSA-PKCS1-v1_5,
 *     RFC 8017 8.2 with EMSA-PKCS1-v1_5 (9.2):
 *         EM = 0x00 || 0x01 || PS || 0x00 || T,  T = DigestInfo(H(M)),
 *         PS = 0xff octets, at least 8
 *     Verification rebuilds EM and compares it whole (8.2.2 step 3, 4).
 *   rsa_pss_rsae_sha256/384/512 (0x0804..0x0806): RSASSA-PSS, RFC 8017 8.1
 *     with EMSA-PSS (9.1.1), MGF1 with the same hash (B.2.1), and "the
 *     length of the Salt MUST be equal to the length of the digest
 *     algorithm" (RFC 8446 4.2.3):
 *         M' = 0x00 x 8 || mHash || salt;  H = Hash(M')
 *         DB = PS || 0x01 || salt;  maskedDB = DB xor MGF(H, emLen-hLen-1)
 *         EM = maskedDB || H || 0xbc
 *     The salt is the caller's (td_crypto.h); signing applies RSASP1 to EM.
 *   ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384 (0x0403, 0x0503), and
 *   ecdsa_secp521r1_sha512 (0x0603) without its curve (no P-521 keys):
 *     ECDSA on the named curve with the named hash (RFC 8446 4.2.3), or
 *     with the named hash on the key's curve (TLS 1.2, td_sig_curve), the
 *     nonce of RFC 6979 3.2 (below), sent as the DER ECDSA-Sig-Value
 *     (RFC 8446 4.2.3: "represented as a DER-encoded [X690]
 *     ECDSA-Sig-Value structure").
 *   ed25519 (0x0807): PureEdDSA, RFC 8032 5.1.6 / 5.1.7.
 *
 * RFC 6979 3.2, with hlen the hash length and qlen the order's (a
 * multiple of 8 here, so bits2int keeps or pads whole bytes, 2.3.2):
 *     h1 = H(m); V = 0x01 x hlen; K = 0x00 x hlen
 *     K = HMAC_K(V || 0x00 || int2octets(x) || bits2octets(h1)); V = HMAC_K(V)
 *     K = HMAC_K(V || 0x01 || int2octets(x) || bits2octets(h1)); V = HMAC_K(V)
 *     loop: T = empty; while tlen < qlen: V = HMAC_K(V), T = T || V
 *           k = bits2int(T);
 *           if 1 <= k <= q-1: done; else K = HMAC_K(V || 0x00), V = HMAC_K(V)
 *
 * A signature that does not verify is decrypt_error (RFC 8446 4.4.3,
 * RFC 5246 7.4.8 and 7.2.2); a scheme that does not fit the key is
 * illegal_parameter (td_crypto.h).
 */
#include "td_crypto_wolfcrypt.h"

#include <string.h>

typedef enum sig_kind { SIG_PKCS1, SIG_PSS, SIG_ECDSA, SIG_ED25519 } sig_kind;

typedef struct sig_scheme {
    uint16_t scheme;
    sig_kind kind;
    td_key_type key;
    td_hash_alg hash;
} sig_scheme;

static const sig_scheme schemes[] = {
    {0x0401, SIG_PKCS1, TD_KEY_RSA, TD_HASH_SHA256},
    {0x0501, SIG_PKCS1, TD_KEY_RSA, TD_HASH_SHA384},
    {0x0601, SIG_PKCS1, TD_KEY_RSA, TD_HASH_SHA512},
    {0x0403, SIG_ECDSA, TD_KEY_EC_P256, TD_HASH_SHA256},
    {0x0503, SIG_ECDSA, TD_KEY_EC_P384, TD_HASH_SHA384},
    /* no P-521 keys here: only its TLS 1.2 / certificate meaning,
     * SHA-512 with ECDSA on P-256 or P-384 (td_sig_curve) */
    {0x0603, SIG_ECDSA, TD_KEY_NONE, TD_HASH_SHA512},
    {0x0804, SIG_PSS, TD_KEY_RSA, TD_HASH_SHA256},
    {0x0805, SIG_PSS, TD_KEY_RSA, TD_HASH_SHA384},
    {0x0806, SIG_PSS, TD_KEY_RSA, TD_HASH_SHA512},
    {0x0807, SIG_ED25519, TD_KEY_ED25519, TD_HASH_SHA512},
};

/* RFC 8017 9.2 Note 1: the DER of DigestInfo up to the digest */
static const uint8_t digest_info_sha256[] = {
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
static const uint8_t digest_info_sha384[] = {
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
static const uint8_t digest_info_sha512[] = {
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
#define TD_DIGEST_INFO_PREFIX 19u

/* The group orders q (FIPS 186-4 D.1.2.3, D.1.2.4) */
static const uint8_t order_p256[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
    0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
static const uint8_t order_p384[48] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf, 0x58, 0x1a, 0x0d, 0xb2,
    0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73};

static const sig_scheme *scheme_find(uint16_t scheme)
{
    size_t i;

    for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (schemes[i].scheme == scheme)
            return &schemes[i];
    return NULL;
}

int td_sig_supported(uint16_t scheme) { return scheme_find(scheme) != NULL; }

int td_sig_fits_key(uint16_t scheme, td_sig_curve curve, const td_key *key)
{
    const sig_scheme *s = scheme_find(scheme);
    size_t hl, k;

    if (!s || !key || key->type == TD_KEY_NONE)
        return 0;
    /* td_crypto.h: an ECDSA code point in TLS 1.2 names a hash only */
    if (s->kind == SIG_ECDSA && curve == TD_SIG_CURVE_FREE)
        return key->type == TD_KEY_EC_P256 || key->type == TD_KEY_EC_P384;
    if (key->type != s->key)
        return 0;
    if (s->key != TD_KEY_RSA)
        return 1;
    hl = td_hash_len(s->hash);
    k = (key->bits + 7) / 8;
    if (k > TD_WC_RSA_MAX_LEN)
        return 0;
    if (s->kind == SIG_PKCS1) /* RFC 8017 9.2 step 3: emLen >= tLen + 11 */
        return k >= TD_DIGEST_INFO_PREFIX + hl + 11;
    /* RFC 8017 9.1.1 step 3: emLen >= hLen + sLen + 2, sLen = hLen */
    return key->bits >= 2 && (key->bits - 1 + 7) / 8 >= 2 * hl + 2;
}

/* ------------------------------------------------------------------------
 * Encodings
 * ------------------------------------------------------------------------ */

/* EMSA-PKCS1-v1_5-ENCODE (RFC 8017 9.2) into k bytes. */
static td_err pkcs1_encode(td_hash_alg alg, td_span msg, uint8_t *em, size_t k)
{
    const uint8_t *prefix = alg == TD_HASH_SHA256   ? digest_info_sha256
                            : alg == TD_HASH_SHA384 ? digest_info_sha384
                                                    : digest_info_sha512;
    size_t hl = td_hash_len(alg), t_len = TD_DIGEST_INFO_PREFIX + hl;

    ENSURE(k >= t_len + 11, TD_ERR_INTERNAL); /* 9.2 step 3 */
    em[0] = 0x00;
    em[1] = 0x01;
    memset(em + 2, 0xff, k - t_len - 3);
    em[k - t_len - 1] = 0x00;
    memcpy(em + k - t_len, prefix, TD_DIGEST_INFO_PREFIX);
    return td_hash(alg, msg, em + k - hl);
}

/* MGF1 (RFC 8017 B.2.1), xored into out[0..len). */
static td_err mgf1_xor(td_hash_alg alg, const uint8_t *seed, size_t seed_len,
                       uint8_t *out, size_t len)
{
    size_t hl = td_hash_len(alg), done = 0, i;
    uint32_t counter = 0;

    while (done < len) {
        uint8_t c[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
                        (uint8_t)(counter >> 8), (uint8_t)counter};
        uint8_t t[TD_HASH_MAX_LEN];
        td_span s = {seed, seed_len}, cs = {c, 4};
        td_hash_ctx h;

        TRY(td_hash_init(&h, alg));
        TRY(td_hash_update(&h, s));
        TRY(td_hash_update(&h, cs));
        TRY(td_hash_peek(&h, t));
        for (i = 0; i < hl && done < len; i++)
            out[done++] ^= t[i];
        counter++;
    }
    return TD_OK;
}

/* EMSA-PSS-ENCODE (RFC 8017 9.1.1) into k bytes, left-padded with a zero
 * octet when emLen = k - 1. mod_bits is the modulus length in bits. */
static td_err pss_encode(td_hash_alg alg, td_span msg, td_span salt,
                         size_t mod_bits, uint8_t *out, size_t k)
{
    static const uint8_t zeros[8] = {0};
    size_t hl = td_hash_len(alg), em_bits = mod_bits - 1;
    size_t em_len = (em_bits + 7) / 8, db_len, i;
    uint8_t m_hash[TD_HASH_MAX_LEN], *em, *h_out;
    td_span zs = {zeros, sizeof zeros}, mh;
    td_hash_ctx h;

    /* step 3: emLen >= hLen + sLen + 2; RFC 8446 4.2.3: sLen = hLen */
    ENSURE(salt.len == hl && em_len >= 2 * hl + 2, TD_ERR_INTERNAL);
    ENSURE(em_len == k || em_len + 1 == k, TD_ERR_INTERNAL);
    memset(out, 0, k);
    em = out + (k - em_len);
    db_len = em_len - hl - 1;
    h_out = em + db_len;
    TRY(td_hash(alg, msg, m_hash)); /* step 2 */
    mh.p = m_hash;
    mh.len = hl;
    /* steps 5, 6: H = Hash(0x00 x 8 || mHash || salt) */
    TRY(td_hash_init(&h, alg));
    TRY(td_hash_update(&h, zs));
    TRY(td_hash_update(&h, mh));
    TRY(td_hash_update(&h, salt));
    TRY(td_hash_peek(&h, h_out));
    /* steps 7, 8: DB = PS || 0x01 || salt (PS zeros, already there) */
    em[db_len - hl - 1] = 0x01;
    memcpy(em + db_len - hl, salt.p, hl);
    /* steps 9, 10: maskedDB = DB xor MGF(H, emLen - hLen - 1) */
    TRY(mgf1_xor(alg, h_out, hl, em, db_len));
    /* step 11: clear the leftmost 8emLen - emBits bits */
    for (i = 0; i < 8 * em_len - em_bits; i++)
        em[0] &= (uint8_t)~(0x80u >> i);
    em[em_len - 1] = 0xbc; /* step 12 */
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * RSA
 * ------------------------------------------------------------------------ */

static td_err rsa_sign_with(RsaKey *rsa, const sig_scheme *s, const td_key *key,
                            td_span msg, td_span random, uint8_t *sig,
                            size_t *sig_len, uint8_t em[TD_WC_RSA_MAX_LEN])
{
    size_t k;

    TRY(td_wc_rsa_load(key, rsa));
    TRY(td_wc_rsa_modulus(rsa, em, &k));
    ENSURE(k == (key->bits + 7) / 8, TD_ERR_INTERNAL);
    if (s->kind == SIG_PKCS1)
        TRY(pkcs1_encode(s->hash, msg, em, k));
    else
        TRY(pss_encode(s->hash, msg, random, key->bits, em, k));
    TRY(td_wc_rsa_private(rsa, em, k, sig)); /* RSASP1 */
    *sig_len = k;
    return TD_OK;
}

static td_err rsa_verify_with(RsaKey *rsa, const sig_scheme *s,
                              const td_key *key, td_span msg, td_span sig,
                              uint8_t em[TD_WC_RSA_MAX_LEN])
{
    uint8_t buf[TD_WC_RSA_MAX_LEN], want[TD_WC_RSA_MAX_LEN];
    uint8_t m_hash[TD_HASH_MAX_LEN];
    size_t k, hl = td_hash_len(s->hash);
    int ret;

    TRY(td_wc_rsa_load(key, rsa));
    TRY(td_wc_rsa_modulus(rsa, em, &k));
    /* RFC 8017 8.1.2 / 8.2.2 step 1: "If the length of the signature S is
     * not k octets, output "invalid signature"" */
    ENSURE(sig.len == k, TD_ALERT_DECRYPT_ERROR);
    memcpy(buf, sig.p, k);
    /* RFC 8017 5.2.2 step 1: s outside [0, n-1] is invalid */
    ENSURE(td_wc_ct_lt(buf, em, k), TD_ALERT_DECRYPT_ERROR);
    if (s->kind == SIG_PKCS1) {
        TRY(td_wc_rsa_public(rsa, buf, k, em)); /* RSAVP1 */
        TRY(pkcs1_encode(s->hash, msg, want, k));
        /* RFC 8017 8.2.2 step 4: EM and EM' must be the same */
        ENSURE(td_wc_ct_diff(em, want, k) == 0, TD_ALERT_DECRYPT_ERROR);
        return TD_OK;
    }
    TRY(td_hash(s->hash, msg, m_hash));
    /* wolfCrypt's EMSA-PSS-VERIFY with sLen = hLen (RFC 8446 4.2.3) */
    ret = wc_RsaPSS_VerifyCheck(buf, (word32)k, want, sizeof want, m_hash,
                                (word32)hl, td_wc_hash_type(s->hash),
                                s->hash == TD_HASH_SHA256   ? WC_MGF1SHA256
                                : s->hash == TD_HASH_SHA384 ? WC_MGF1SHA384
                                                            : WC_MGF1SHA512,
                                rsa);
    ENSURE(ret >= 0, TD_ALERT_DECRYPT_ERROR);
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * ECDSA with the RFC 6979 nonce
 * ------------------------------------------------------------------------ */

/* HMAC_K(V || [sep] || [x || h]) -> out */
static td_err hmac_k(td_hash_alg alg, const uint8_t *key, const uint8_t *v,
                     size_t hl, int sep, const uint8_t *x, const uint8_t *h,
                     size_t rl, uint8_t *out)
{
    uint8_t sep_byte = (uint8_t)sep;
    td_span k = {key, hl};
    Hmac m;

    TRY(td_wc_hmac_begin(&m, alg, k));
    TRY(td_wc_hmac_add(&m, v, hl));
    if (sep >= 0)
        TRY(td_wc_hmac_add(&m, &sep_byte, 1));
    if (x) {
        TRY(td_wc_hmac_add(&m, x, rl));
        TRY(td_wc_hmac_add(&m, h, rl));
    }
    return td_wc_hmac_end(&m, out);
}

/* RFC 6979 3.2: the nonce k (rl bytes) for the private key x (rl bytes)
 * and the message hash h1 (td_hash_len(alg) bytes) over the order q of
 * rl bytes. kv holds K and V, 2 * TD_HASH_MAX_LEN bytes, wiped by the
 * caller. */
static td_err rfc6979_k(td_hash_alg alg, const uint8_t *q, const uint8_t *x,
                        const uint8_t *h1, size_t rl, uint8_t *kv,
                        uint8_t *k_out)
{
    uint8_t z1[TD_WC_ECC_MAX_ORDER], h[TD_WC_ECC_MAX_ORDER], diff[TD_WC_ECC_MAX_ORDER];
    uint8_t t[TD_WC_ECC_MAX_ORDER + TD_HASH_MAX_LEN];
    static const uint8_t no_bits[TD_WC_ECC_MAX_ORDER] = {0};
    uint8_t *K = kv, *V = kv + TD_HASH_MAX_LEN;
    size_t hl = td_hash_len(alg), i, tlen;
    unsigned ge, borrow = 0, tries;

    ENSURE(rl <= TD_WC_ECC_MAX_ORDER && hl <= TD_HASH_MAX_LEN, TD_ERR_INTERNAL);
    /* bits2int(h1) (2.3.2): the qlen leftmost bits when the hash is
     * longer, zeros on the left when it is shorter */
    memset(z1, 0, rl);
    if (hl >= rl)
        memcpy(z1, h1, rl);
    else
        memcpy(z1 + rl - hl, h1, hl);
    /* bits2octets(h1) (2.3.4): z2 = z1 mod q, one conditional subtraction
     * since z1 < 2^qlen < 2q */
    for (i = rl; i-- > 0;) {
        unsigned d = (unsigned)z1[i] - q[i] - borrow;
        diff[i] = (uint8_t)d;
        borrow = (d >> 8) & 1u;
    }
    ge = ~td_wc_ct_lt(z1, q, rl);
    for (i = 0; i < rl; i++)
        h[i] = (uint8_t)((diff[i] & ge) | (z1[i] & ~ge));
    memset(V, 0x01, hl); /* step b */
    memset(K, 0x00, hl); /* step c */
    TRY(hmac_k(alg, K, V, hl, 0x00, x, h, rl, K)); /* step d */
    TRY(hmac_k(alg, K, V, hl, -1, NULL, NULL, rl, V)); /* step e */
    TRY(hmac_k(alg, K, V, hl, 0x01, x, h, rl, K)); /* step f */
    TRY(hmac_k(alg, K, V, hl, -1, NULL, NULL, rl, V)); /* step g */
    for (tries = 0; tries < 64; tries++) { /* step h */
        unsigned zero;
        for (tlen = 0; tlen < rl; tlen += hl) { /* h.2 */
            TRY(hmac_k(alg, K, V, hl, -1, NULL, NULL, rl, V));
            memcpy(t + tlen, V, hl);
        }
        /* h.3: k = bits2int(T), the rl leftmost bytes, in [1, q-1] */
        zero = td_wc_ct_is_zero(td_wc_ct_diff(t, no_bits, rl));
        if ((td_wc_ct_lt(t, q, rl) & ~zero) != 0) {
            memcpy(k_out, t, rl);
            td_secure_zero(t, sizeof t);
            td_secure_zero(z1, sizeof z1);
            td_secure_zero(h, sizeof h);
            td_secure_zero(diff, sizeof diff);
            return TD_OK;
        }
        TRY(hmac_k(alg, K, V, hl, 0x00, NULL, NULL, rl, K));
        TRY(hmac_k(alg, K, V, hl, -1, NULL, NULL, rl, V));
    }
    return TD_ERR_CRYPTO;
}

static td_err ecdsa_sign_with(ecc_key *ecc, const sig_scheme *s,
                              const td_key *key, td_span msg, uint8_t *sig,
                              size_t *sig_len, uint8_t *secrets)
{
    /* secrets: x | k | K | V, wiped by the caller */
    uint8_t *x = secrets, *k = secrets + TD_WC_ECC_MAX_ORDER,
            *kv = secrets + 2 * TD_WC_ECC_MAX_ORDER;
    const uint8_t *q = key->type == TD_KEY_EC_P256 ? order_p256 : order_p384;
    size_t rl = key->type == TD_KEY_EC_P256 ? 32 : 48;
    uint8_t h1[TD_HASH_MAX_LEN];
    word32 x_len = TD_WC_ECC_MAX_ORDER, len = TD_SIG_MAX_LEN;
    td_wc_blind blind;
    int ret;

    TRY(td_wc_ecc_load(key, ecc));
    TRY(td_hash(s->hash, msg, h1));
    ENSURE(wc_ecc_export_private_only(ecc, x, &x_len) == 0 && x_len == rl,
           TD_ERR_CRYPTO);
    TRY(rfc6979_k(s->hash, q, x, h1, rl, kv, k));
    ENSURE(wc_ecc_sign_set_k(k, (word32)rl, ecc) == 0, TD_ERR_CRYPTO);
    TRY(td_wc_blind_begin(&blind));
    /* wolfCrypt applies the same bits2int truncation to a longer hash
     * (FIPS 186-4 6.4) */
    ret = wc_ecc_sign_hash(h1, (word32)td_hash_len(s->hash), sig, &len, &blind.rng, ecc);
    td_wc_blind_end(&blind);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    *sig_len = len;
    return TD_OK;
}

static td_err ecdsa_verify_with(ecc_key *ecc, const sig_scheme *s,
                                const td_key *key, td_span msg, td_span sig)
{
    uint8_t h[TD_HASH_MAX_LEN];
    int res = 0, ret;

    TRY(td_wc_ecc_load(key, ecc));
    TRY(td_hash(s->hash, msg, h));
    ENSURE(sig.len > 0 && sig.len <= TD_SIG_MAX_LEN, TD_ALERT_DECRYPT_ERROR);
    ret = wc_ecc_verify_hash(sig.p, (word32)sig.len, h,
                             (word32)td_hash_len(s->hash), &res, ecc);
    /* a malformed ECDSA-Sig-Value fails here too */
    ENSURE(ret == 0 && res == 1, TD_ALERT_DECRYPT_ERROR);
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * Ed25519
 * ------------------------------------------------------------------------ */

static td_err ed25519_sign_with(ed25519_key *ed, const td_key *key, td_span msg,
                                uint8_t *sig, size_t *sig_len)
{
    word32 len = TD_SIG_MAX_LEN;

    TRY(td_wc_ed25519_load(key, ed));
    ENSURE(msg.len <= UINT32_MAX, TD_ERR_INTERNAL);
    ENSURE(wc_ed25519_sign_msg(td_wc_ptr(msg), (word32)msg.len, sig, &len,
                               ed) == 0,
           TD_ERR_CRYPTO);
    *sig_len = len;
    return TD_OK;
}

static td_err ed25519_verify_with(ed25519_key *ed, const td_key *key,
                                  td_span msg, td_span sig)
{
    int res = 0;

    TRY(td_wc_ed25519_load(key, ed));
    ENSURE(msg.len <= UINT32_MAX, TD_ERR_INTERNAL);
    /* RFC 8032 5.1.7: a signature is 64 octets */
    ENSURE(sig.len == ED25519_SIG_SIZE, TD_ALERT_DECRYPT_ERROR);
    ENSURE(wc_ed25519_verify_msg(sig.p, (word32)sig.len, td_wc_ptr(msg),
                                 (word32)msg.len, &res, ed) == 0 &&
               res == 1,
           TD_ALERT_DECRYPT_ERROR);
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * The contract
 * ------------------------------------------------------------------------ */

td_err td_wc_sig_sign(uint16_t scheme, td_sig_curve curve, const td_key *key, td_span msg,
                   td_span random, uint8_t *sig, size_t *sig_len)
{
    const sig_scheme *s = scheme_find(scheme);
    uint8_t buf[TD_WC_RSA_MAX_LEN];
    td_err err = TD_ERR_INTERNAL;

    /* the caller picks a scheme its key can make (td_sig_fits_key) */
    ENSURE(s && td_sig_fits_key(scheme, curve, key) && key->is_private,
           TD_ERR_INTERNAL);
    /* RFC 8446 4.2.3: the PSS salt is as long as the digest; the other
     * schemes take no randomness */
    ENSURE(random.len == (s->kind == SIG_PSS ? td_hash_len(s->hash) : 0),
           TD_ERR_INTERNAL);
    if (s->kind == SIG_PKCS1 || s->kind == SIG_PSS) {
        RsaKey rsa;
        ENSURE(wc_InitRsaKey(&rsa, NULL) == 0, TD_ERR_CRYPTO);
        err = rsa_sign_with(&rsa, s, key, msg, random, sig, sig_len, buf);
        wc_FreeRsaKey(&rsa);
        td_secure_zero(&rsa, sizeof rsa);
    } else if (s->kind == SIG_ECDSA) {
        ecc_key ecc;
        ENSURE(wc_ecc_init_ex(&ecc, NULL, INVALID_DEVID) == 0, TD_ERR_CRYPTO);
        err = ecdsa_sign_with(&ecc, s, key, msg, sig, sig_len, buf);
        wc_ecc_free(&ecc);
        td_secure_zero(&ecc, sizeof ecc);
    } else {
        ed25519_key ed;
        ENSURE(wc_ed25519_init(&ed) == 0, TD_ERR_CRYPTO);
        err = ed25519_sign_with(&ed, key, msg, sig, sig_len);
        wc_ed25519_free(&ed);
        td_secure_zero(&ed, sizeof ed);
    }
    td_secure_zero(buf, sizeof buf);
    return err;
}

td_err td_wc_sig_verify(uint16_t scheme, td_sig_curve curve, const td_key *key, td_span msg,
                     td_span sig)
{
    const sig_scheme *s = scheme_find(scheme);
    uint8_t buf[TD_WC_RSA_MAX_LEN];
    td_err err;

    /* td_crypto.h: a scheme that does not fit the key is illegal_parameter
     * (RFC 8446 4.2.3 ties each scheme to its key type and curve) */
    ENSURE(s && td_sig_fits_key(scheme, curve, key), TD_ALERT_ILLEGAL_PARAMETER);
    if (s->kind == SIG_PKCS1 || s->kind == SIG_PSS) {
        RsaKey rsa;
        ENSURE(wc_InitRsaKey(&rsa, NULL) == 0, TD_ERR_CRYPTO);
        err = rsa_verify_with(&rsa, s, key, msg, sig, buf);
        wc_FreeRsaKey(&rsa);
        td_secure_zero(&rsa, sizeof rsa); /* a private td_key verifies too */
    } else if (s->kind == SIG_ECDSA) {
        ecc_key ecc;
        ENSURE(wc_ecc_init_ex(&ecc, NULL, INVALID_DEVID) == 0, TD_ERR_CRYPTO);
        err = ecdsa_verify_with(&ecc, s, key, msg, sig);
        wc_ecc_free(&ecc);
        td_secure_zero(&ecc, sizeof ecc);
    } else {
        ed25519_key ed;
        ENSURE(wc_ed25519_init(&ed) == 0, TD_ERR_CRYPTO);
        err = ed25519_verify_with(&ed, key, msg, sig);
        wc_ed25519_free(&ed);
        td_secure_zero(&ed, sizeof ed);
    }
    return err;
}
