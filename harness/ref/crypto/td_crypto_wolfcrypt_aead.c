/*
 * The crypto adapter on wolfCrypt, part 6: AEAD. One of the files
 * td_crypto_wolfcrypt*.c that may include wolfCrypt (td_crypto_wolfcrypt.h).
 *
 * AEAD (RFC 5116 2.1, 2.2): AEAD_AES_128_GCM, AEAD_AES_256_GCM (RFC 5116
 * 5.1, 5.2; RFC 5288 for TLS 1.2) and AEAD_CHACHA20_POLY1305 (RFC 8439
 * 2.8), 12-byte nonces and 16-byte tags; the output is ciphertext || tag.
 * Opening fails with bad_record_mac (RFC 8446 5.2: "If the decryption
 * fails, the receiver MUST terminate the connection with a
 * "bad_record_mac" alert"; RFC 5246 6.2.3.3 likewise), and no unverified
 * plaintext is handed out: the output is zeroed.
 */
#include "td_crypto_wolfcrypt.h"

#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/error-crypt.h>


/* ------------------------------------------------------------------------
 * AEAD (RFC 5116)
 * ------------------------------------------------------------------------ */

size_t td_aead_key_len(td_aead_alg alg)
{
    switch (alg) {
    case TD_AEAD_AES_128_GCM:
        return 16; /* RFC 5116 5.1: K_LEN is 16 octets */
    case TD_AEAD_AES_256_GCM:
        return 32; /* RFC 5116 5.2: K_LEN is 32 octets */
    case TD_AEAD_CHACHA20_POLY1305:
        return 32; /* RFC 8439 2.8: a 256-bit key */
    }
    return 0;
}

static td_err aead_args(td_aead_alg alg, td_span key, td_span aad, size_t len)
{
    ENSURE(td_aead_key_len(alg) != 0 && key.len == td_aead_key_len(alg),
           TD_ERR_INTERNAL);
    ENSURE(aad.len <= UINT32_MAX && len <= UINT32_MAX - TD_AEAD_TAG_LEN,
           TD_ERR_INTERNAL);
    return TD_OK;
}

static int gcm_with(Aes *aes, int seal, td_span key,
                    const uint8_t nonce[TD_AEAD_NONCE_LEN], td_span aad,
                    td_span in, uint8_t *tag_out, td_span tag_in, uint8_t *out)
{
    int ret = wc_AesGcmSetKey(aes, key.p, (word32)key.len);

    if (ret != 0)
        return ret;
    if (seal)
        return wc_AesGcmEncrypt(aes, out, td_wc_ptr(in), (word32)in.len,
                                nonce, TD_AEAD_NONCE_LEN, tag_out,
                                TD_AEAD_TAG_LEN, td_wc_ptr(aad),
                                (word32)aad.len);
    return wc_AesGcmDecrypt(aes, out, td_wc_ptr(in), (word32)in.len, nonce,
                            TD_AEAD_NONCE_LEN, tag_in.p, TD_AEAD_TAG_LEN,
                            td_wc_ptr(aad), (word32)aad.len);
}

/* One AEAD operation. Sealing writes in.len bytes to out and the tag to
 * tag_out; opening checks tag_in. Returns wolfCrypt's code. */
static int aead_run(td_aead_alg alg, int seal, td_span key,
                    const uint8_t nonce[TD_AEAD_NONCE_LEN], td_span aad,
                    td_span in, uint8_t *tag_out, td_span tag_in, uint8_t *out)
{
    uint8_t scratch[1]; /* out for an empty text: never written */
    uint8_t *o = in.len ? out : scratch;
    Aes aes;
    int ret;

    if (alg == TD_AEAD_CHACHA20_POLY1305) {
        if (seal)
            return wc_ChaCha20Poly1305_Encrypt(
                key.p, nonce, td_wc_ptr(aad), (word32)aad.len, td_wc_ptr(in),
                (word32)in.len, o, tag_out);
        return wc_ChaCha20Poly1305_Decrypt(key.p, nonce, td_wc_ptr(aad),
                                           (word32)aad.len, td_wc_ptr(in),
                                           (word32)in.len, tag_in.p, o);
    }
    ret = wc_AesInit(&aes, NULL, INVALID_DEVID);
    if (ret != 0)
        return ret;
    ret = gcm_with(&aes, seal, key, nonce, aad, in, tag_out, tag_in, o);
    wc_AesFree(&aes);
    td_secure_zero(&aes, sizeof aes);
    return ret;
}

td_err td_aead_seal(td_aead_alg alg, td_span key,
                    const uint8_t nonce[TD_AEAD_NONCE_LEN], td_span aad,
                    td_span plaintext, uint8_t *out)
{
    static const td_span no_tag = {NULL, 0};
    int ret;

    TRY(aead_args(alg, key, aad, plaintext.len));
    ret = aead_run(alg, 1, key, nonce, aad, plaintext, out + plaintext.len,
                   no_tag, out);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

td_err td_aead_open(td_aead_alg alg, td_span key,
                    const uint8_t nonce[TD_AEAD_NONCE_LEN], td_span aad,
                    td_span in, uint8_t *out)
{
    td_span ciphertext, tag;
    td_rd r;
    int ret;

    /* RFC 8446 5.2 / RFC 5246 6.2.3.3: shorter than a tag cannot
     * authenticate */
    ENSURE(in.len >= TD_AEAD_TAG_LEN, TD_ALERT_BAD_RECORD_MAC);
    TRY(aead_args(alg, key, aad, in.len - TD_AEAD_TAG_LEN));
    td_rd_init_span(&r, in);
    TRY(td_rd_span(&r, in.len - TD_AEAD_TAG_LEN, &ciphertext));
    TRY(td_rd_span(&r, TD_AEAD_TAG_LEN, &tag));
    ret = aead_run(alg, 0, key, nonce, aad, ciphertext, NULL, tag, out);
    if (ret != 0) {
        /* RFC 5116 2.2: on failure no plaintext is returned */
        td_secure_zero(out, ciphertext.len);
        /* RFC 8446 5.2: bad_record_mac */
        ENSURE(ret != AES_GCM_AUTH_E && ret != MAC_CMP_FAILED_E,
               TD_ALERT_BAD_RECORD_MAC);
        return TD_ERR_CRYPTO;
    }
    return TD_OK;
}
