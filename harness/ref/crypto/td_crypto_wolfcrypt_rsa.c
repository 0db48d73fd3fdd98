/*
 * The crypto adapter on wolfCrypt, part 5: the raw RSA operations and RSA
 * key transport. One of the files td_crypto_wolfcrypt*.c that may include
 * wolfCrypt (td_crypto_wolfcrypt.h).
 *
 * Raw RSA (RFC 8017 5.1.1, 5.1.2): RSAEP c = m^e mod n, RSADP m = c^d mod n,
 * each refusing a representative outside [0, n-1].
 *
 * EME-PKCS1-v1_5 (RFC 8017 7.2.1):
 *     EM = 0x00 || 0x02 || PS || 0x00 || M
 *   "PS consisting of k - mLen - 3 nonzero pseudo-randomly generated
 *   octets", "If mLen > k - 11, output "message too long"".
 *
 * The premaster secret (RFC 5246 7.4.7.1): decryption must not reveal
 * whether the padding was right; the RFC's countermeasure is that the
 * server "generate a random 48-byte value R", decrypt, and use R "if the
 * PKCS#1 padding is not correct, or the length of message M is not exactly
 * 48 bytes". Here the check is computed with masks over every byte
 * (BoringSSL's RSA_padding_check_PKCS1_type_2 and its TLS caller do the
 * same for a fixed 48-byte message): for a modulus of k bytes the only
 * acceptable block is
 *     EM[0] = 0x00, EM[1] = 0x02, EM[2 .. k-50] nonzero, EM[k-49] = 0x00,
 *     M = EM[k-48 .. k-1]
 * and the caller substitutes its random premaster from *ok without
 * branching on it.
 */
#include "td_crypto_wolfcrypt.h"

#include <string.h>

#define TD_PREMASTER_LEN 48u

td_err td_wc_rsa_modulus(RsaKey *rsa, uint8_t n[TD_WC_RSA_MAX_LEN], size_t *k)
{
    uint8_t e[TD_WC_RSA_MAX_LEN];
    word32 e_len = sizeof e, n_len = TD_WC_RSA_MAX_LEN;
    int size = wc_RsaEncryptSize(rsa);

    ENSURE(size > 0 && (size_t)size <= TD_WC_RSA_MAX_LEN, TD_ERR_CRYPTO);
    ENSURE(wc_RsaFlattenPublicKey(rsa, e, &e_len, n, &n_len) == 0,
           TD_ERR_CRYPTO);
    ENSURE(n_len == (word32)size, TD_ERR_CRYPTO);
    *k = (size_t)size;
    return TD_OK;
}

/* The representative must be below n (RFC 8017 5.1.1 step 1, 5.1.2 step 1,
 * 5.2.2 step 1). n and the representative are public. */
static td_err rsa_in_range(RsaKey *rsa, const uint8_t *in, size_t k)
{
    uint8_t n[TD_WC_RSA_MAX_LEN];
    size_t n_len;

    TRY(td_wc_rsa_modulus(rsa, n, &n_len));
    ENSURE(n_len == k, TD_ERR_INTERNAL);
    ENSURE(td_wc_ct_lt(in, n, k), TD_ERR_CRYPTO);
    return TD_OK;
}

td_err td_wc_rsa_public(RsaKey *rsa, const uint8_t *in, size_t k, uint8_t *out)
{
    word32 len = (word32)k;

    TRY(rsa_in_range(rsa, in, k));
    ENSURE(wc_RsaFunction(in, (word32)k, out, &len, RSA_PUBLIC_ENCRYPT, rsa,
                          NULL) == 0,
           TD_ERR_CRYPTO);
    ENSURE(len == k, TD_ERR_CRYPTO);
    return TD_OK;
}

td_err td_wc_rsa_private(RsaKey *rsa, const uint8_t *in, size_t k, uint8_t *out)
{
    td_wc_blind blind;
    word32 len = (word32)k;
    int ret;

    TRY(rsa_in_range(rsa, in, k));
    TRY(td_wc_blind_begin(&blind));
    ret = wc_RsaFunction(in, (word32)k, out, &len, RSA_PRIVATE_DECRYPT, rsa,
                         &blind.rng);
    td_wc_blind_end(&blind);
    ENSURE(ret == 0 && len == k, TD_ERR_CRYPTO);
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * td_rsa_encrypt
 * ------------------------------------------------------------------------ */

static td_err encrypt_with(RsaKey *rsa, const td_key *key, td_span msg,
                           td_span padding, uint8_t *out, size_t *out_len,
                           uint8_t em[TD_WC_RSA_MAX_LEN])
{
    size_t k, i;
    td_rd pad;

    TRY(td_wc_rsa_load(key, rsa));
    TRY(td_wc_rsa_modulus(rsa, em, &k));
    /* RFC 8017 7.2.1 step 1: "If mLen > k - 11, output "message too
     * long"" */
    ENSURE(k >= 11 && msg.len <= k - 11, TD_ERR_CRYPTO);
    em[0] = 0x00;
    em[1] = 0x02;
    /* PS: k - mLen - 3 nonzero octets, the caller's bytes with its zero
     * bytes skipped */
    td_rd_init_span(&pad, padding);
    for (i = 2; i < k - msg.len - 1; i++) {
        uint8_t b = 0;
        while (b == 0)
            ENSURE(td_rd_u8(&pad, &b) == TD_OK, TD_ERR_CRYPTO);
        em[i] = b;
    }
    em[k - msg.len - 1] = 0x00;
    if (msg.len)
        memcpy(em + k - msg.len, msg.p, msg.len);
    TRY(td_wc_rsa_public(rsa, em, k, out));
    *out_len = k;
    return TD_OK;
}

td_err td_wc_rsa_encrypt(const td_key *pub, td_span msg, td_span padding,
                      uint8_t *out, size_t *out_len)
{
    uint8_t em[TD_WC_RSA_MAX_LEN];
    RsaKey rsa;
    td_err err;

    ENSURE(pub->type == TD_KEY_RSA, TD_ERR_CRYPTO);
    ENSURE(wc_InitRsaKey(&rsa, NULL) == 0, TD_ERR_CRYPTO);
    err = encrypt_with(&rsa, pub, msg, padding, out, out_len, em);
    wc_FreeRsaKey(&rsa);
    td_secure_zero(&rsa, sizeof rsa);
    td_secure_zero(em, sizeof em);
    return err;
}

/* ------------------------------------------------------------------------
 * td_rsa_decrypt_premaster
 * ------------------------------------------------------------------------ */

/* All-ones when the block is 00 02 PS(k-51 nonzero) 00 M(48); the message
 * is copied either way. */
static unsigned premaster_check(const uint8_t *em, size_t k,
                                uint8_t out[TD_PREMASTER_LEN])
{
    size_t sep = k - TD_PREMASTER_LEN - 1, i;
    unsigned good;

    good = td_wc_ct_is_zero(em[0]);
    good &= td_wc_ct_is_zero((unsigned)em[1] ^ 0x02u);
    for (i = 2; i < sep; i++)
        good &= ~td_wc_ct_is_zero(em[i]);
    good &= td_wc_ct_is_zero(em[sep]);
    memcpy(out, em + sep + 1, TD_PREMASTER_LEN);
    return good;
}

static td_err decrypt_with(RsaKey *rsa, const td_key *priv, td_span in,
                           uint8_t out[TD_PREMASTER_LEN], unsigned *ok,
                           uint8_t em[TD_WC_RSA_MAX_LEN])
{
    uint8_t c[TD_WC_RSA_MAX_LEN];
    size_t k;

    TRY(td_wc_rsa_load(priv, rsa));
    TRY(td_wc_rsa_modulus(rsa, em, &k));
    /* RFC 8017 7.2.2 step 1: PS of at least 8 octets around a 48-byte
     * message needs k >= 59; a smaller key cannot carry a premaster */
    ENSURE(k >= TD_PREMASTER_LEN + 11, TD_ERR_CRYPTO);
    /* RFC 8017 7.2.2 step 1: a ciphertext that is not k octets is a
     * decryption error; RFC 5246 7.4.7.1 treats every such failure alike.
     * The length is public. */
    if (in.len != k)
        return TD_OK;
    memcpy(c, in.p, k);
    /* RFC 8017 5.1.2 step 1: c >= n is "ciphertext representative out of
     * range", public as well */
    if (!td_wc_ct_lt(c, em, k))
        return TD_OK;
    TRY(td_wc_rsa_private(rsa, c, k, em));
    *ok = premaster_check(em, k, out) & 1u;
    return TD_OK;
}

td_err td_wc_rsa_decrypt_premaster(const td_key *priv, td_span in,
                                uint8_t out[48], unsigned *ok)
{
    uint8_t em[TD_WC_RSA_MAX_LEN];
    RsaKey rsa;
    td_err err;

    *ok = 0;
    ENSURE(priv->type == TD_KEY_RSA && priv->is_private, TD_ERR_CRYPTO);
    ENSURE(wc_InitRsaKey(&rsa, NULL) == 0, TD_ERR_CRYPTO);
    err = decrypt_with(&rsa, priv, in, out, ok, em);
    wc_FreeRsaKey(&rsa);
    td_secure_zero(&rsa, sizeof rsa);
    td_secure_zero(em, sizeof em);
    return err;
}
