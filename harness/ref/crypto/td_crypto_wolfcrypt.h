/*
 * Private to the crypto adapter (harness/ref/crypto/td_crypto_wolfcrypt*.c):
 * the helpers its files share. Like those files, this header includes
 * wolfCrypt; nothing else in harness/ref may include it.
 *
 * The adapter is split by mechanism:
 *   td_crypto_wolfcrypt.c        hashes, HMAC, HKDF, the TLS 1.2 PRF, and
 *                                the helpers declared here
 *   td_crypto_wolfcrypt_kx.c     X25519 and ECDH key exchange
 *   td_crypto_wolfcrypt_keys.c   private keys, certificate public keys
 *   td_crypto_wolfcrypt_sig.c    signature schemes
 *   td_crypto_wolfcrypt_rsa.c    the raw RSA operations, RSA key transport
 *   td_crypto_wolfcrypt_aead.c   AES-GCM and ChaCha20-Poly1305
 *   td_crypto_memo.c             the public-key entry points of td_crypto.h,
 *                                memoised (td_memo.h) over the td_wc_*
 *                                computations declared at the end here
 */
#ifndef TD_CRYPTO_WOLFCRYPT_H
#define TD_CRYPTO_WOLFCRYPT_H

/* wolfCrypt wants its settings first. */
#include <wolfssl/wolfcrypt/settings.h>

#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>

#include "td_crypto.h"
#include "td_world.h"

/* The largest RSA modulus handled, in bytes (TD_SIG_MAX_LEN: 4096 bits). */
#define TD_WC_RSA_MAX_LEN TD_SIG_MAX_LEN
/* the largest ECDSA group order in bytes (P-384) */
#define TD_WC_ECC_MAX_ORDER 48u

/* ------------------------------------------------------------------------
 * Randomness wolfCrypt insists on
 *
 * wolfCrypt blinds RSA private operations, ECDH and ECDSA signing with
 * random values (WC_RSA_BLINDING, ECC_TIMING_RESISTANT) and refuses to run
 * them without a WC_RNG. The blinding is undone inside the operation, so
 * the result does not depend on those bytes. wolfSSL's RNG here is the
 * harness hook td_wolfssl_rand_block, which reads the td_world bound to
 * the thread; td_wc_blind_begin binds a private world with a fixed seed for
 * the duration of one call and td_wc_blind_end restores the caller's
 * binding. So the adapter never draws from the caller's streams (td_crypto.h:
 * "randomness is never drawn here") and needs no world from its caller.
 * ------------------------------------------------------------------------ */
typedef struct td_wc_blind {
    td_world world;
    td_binding previous;
    WC_RNG rng;
    int rng_ready;
} td_wc_blind;

TD_MUST_USE td_err td_wc_blind_begin(td_wc_blind *b);
void td_wc_blind_end(td_wc_blind *b);

/* ------------------------------------------------------------------------
 * Hashes and HMAC
 * ------------------------------------------------------------------------ */
/* The wolfCrypt hash type of alg; WC_HASH_TYPE_NONE when alg is unknown. */
enum wc_HashType td_wc_hash_type(td_hash_alg alg);

/* An incremental HMAC; end() wipes the state whether or not it succeeds. */
TD_MUST_USE td_err td_wc_hmac_begin(Hmac *h, td_hash_alg alg, td_span key);
TD_MUST_USE td_err td_wc_hmac_add(Hmac *h, const uint8_t *p, size_t n);
TD_MUST_USE td_err td_wc_hmac_end(Hmac *h, uint8_t *out);

/* A non-NULL pointer for an empty span (wolfCrypt refuses NULL even for
 * zero lengths in places). */
const uint8_t *td_wc_ptr(td_span s);

/* ------------------------------------------------------------------------
 * Constant-time helpers (no branch or index depends on the values)
 * ------------------------------------------------------------------------ */
/* All-ones when x == 0, else zero. */
unsigned td_wc_ct_is_zero(unsigned x);
/* All-ones when the big-endian numbers a < b (both n bytes), else zero. */
unsigned td_wc_ct_lt(const uint8_t *a, const uint8_t *b, size_t n);
/* Zero when the n bytes are equal, else non-zero. */
unsigned td_wc_ct_diff(const uint8_t *a, const uint8_t *b, size_t n);

/* ------------------------------------------------------------------------
 * td_key -> wolfCrypt key (td_crypto_wolfcrypt_keys.c). The caller has
 * initialised the wolfCrypt key and frees it afterwards.
 * ------------------------------------------------------------------------ */
TD_MUST_USE td_err td_wc_rsa_load(const td_key *key, RsaKey *rsa);
TD_MUST_USE td_err td_wc_ecc_load(const td_key *key, ecc_key *ecc);
TD_MUST_USE td_err td_wc_ed25519_load(const td_key *key, ed25519_key *ed);
/* wolfCrypt's curve id for an EC key type, else ECC_CURVE_INVALID. */
int td_wc_ecc_curve(td_key_type type);

/* ------------------------------------------------------------------------
 * Raw RSA (RFC 8017 5.1, 5.2), td_crypto_wolfcrypt_rsa.c
 * ------------------------------------------------------------------------ */
/* The modulus n as k big-endian bytes (k = its length in bytes). */
TD_MUST_USE td_err td_wc_rsa_modulus(RsaKey *rsa, uint8_t n[TD_WC_RSA_MAX_LEN],
                                     size_t *k);
/* RSAEP / RSAVP1: out = in^e mod n. in and out are k bytes, in < n. */
TD_MUST_USE td_err td_wc_rsa_public(RsaKey *rsa, const uint8_t *in, size_t k,
                                    uint8_t *out);
/* RSADP / RSASP1: out = in^d mod n, blinded. in and out are k bytes,
 * in < n. */
TD_MUST_USE td_err td_wc_rsa_private(RsaKey *rsa, const uint8_t *in, size_t k,
                                     uint8_t *out);

/* ------------------------------------------------------------------------
 * The public-key operations of td_crypto.h, computed (the kx, sig and rsa
 * files). td_crypto_memo.c defines the td_crypto.h names over these.
 * ------------------------------------------------------------------------ */
TD_MUST_USE td_err td_wc_kx_public(uint16_t group, td_span priv, uint8_t *pub);
TD_MUST_USE td_err td_wc_kx_shared(uint16_t group, td_span priv, td_span peer_pub,
                                   uint8_t *shared);
TD_MUST_USE td_err td_wc_sig_sign(uint16_t scheme, td_sig_curve curve, const td_key *key,
                                  td_span msg, td_span random, uint8_t *sig, size_t *sig_len);
TD_MUST_USE td_err td_wc_sig_verify(uint16_t scheme, td_sig_curve curve, const td_key *key,
                                    td_span msg, td_span sig);
TD_MUST_USE td_err td_wc_rsa_encrypt(const td_key *pub, td_span msg, td_span padding,
                                     uint8_t *out, size_t *out_len);
TD_MUST_USE td_err td_wc_rsa_decrypt_premaster(const td_key *priv, td_span in,
                                               uint8_t out[48], unsigned *ok);

#endif
