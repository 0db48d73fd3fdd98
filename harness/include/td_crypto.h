/*
 * td_crypto: the reference implementation's cryptography. One file,
 * harness/ref/crypto/td_crypto_wolfcrypt.c, implements it on wolfCrypt and
 * is the only file of harness/ref that includes a wolfCrypt header
 * (STYLE.md), so API drift between wolfSSL versions is absorbed there.
 *
 * Rules:
 *   - no allocation visible to callers; state that must survive a call
 *     (a running transcript hash) lives in caller-owned, fixed-size,
 *     pointer-free structs, so a connection snapshot is a memcpy;
 *   - randomness is never drawn here: callers pass the bytes they drew
 *     from their td_rng stream (private keys, RSA-PSS salts, PKCS#1 v1.5
 *     padding), so every output is a function of the inputs. wolfCrypt
 *     blinds RSA private operations, ECDH on P-256/P-384 and ECDSA signing
 *     with random values and insists on a WC_RNG; for those calls the
 *     adapter binds a private td_world with a fixed seed and restores the
 *     caller's binding afterwards. Callers need no world bound, a bound
 *     world is never drawn from, and no result depends on those bytes;
 *   - failures that a peer can cause carry the alert the RFCs name
 *     (bad_record_mac for an AEAD open, decrypt_error for a signature,
 *     illegal_parameter for a bad public value); the adapter's own
 *     failures are TD_ERR_CRYPTO.
 */
#ifndef TD_CRYPTO_H
#define TD_CRYPTO_H

#include "td_bytes.h"
#include "td_err.h"

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Hashes, HMAC, HKDF (RFC 5869), the TLS 1.2 PRF (RFC 5246 5)
 * ------------------------------------------------------------------------ */
typedef enum td_hash_alg {
    TD_HASH_SHA256 = 0,
    TD_HASH_SHA384,
    TD_HASH_SHA512,
} td_hash_alg;

#define TD_HASH_MAX_LEN 64u

size_t td_hash_len(td_hash_alg alg);

/* A running hash (the handshake transcript). Opaque, pointer-free,
 * copyable with memcpy or plain assignment. */
typedef struct td_hash_ctx {
    _Alignas(16) uint8_t state[256];
    td_hash_alg alg;
} td_hash_ctx;

TD_MUST_USE td_err td_hash_init(td_hash_ctx *h, td_hash_alg alg);
TD_MUST_USE td_err td_hash_update(td_hash_ctx *h, td_span data);
/* The digest so far; h stays usable (a transcript is hashed at many
 * points). out holds td_hash_len(alg) bytes. */
TD_MUST_USE td_err td_hash_peek(const td_hash_ctx *h, uint8_t *out);
/* One-shot. */
TD_MUST_USE td_err td_hash(td_hash_alg alg, td_span data, uint8_t *out);

/* HMAC (RFC 2104); out holds td_hash_len(alg) bytes. */
TD_MUST_USE td_err td_hmac(td_hash_alg alg, td_span key, td_span data,
                           uint8_t *out);

/* HKDF-Extract(salt, IKM) -> PRK of td_hash_len(alg) bytes (RFC 5869 2.2). */
TD_MUST_USE td_err td_hkdf_extract(td_hash_alg alg, td_span salt, td_span ikm,
                                   uint8_t *prk);
/* HKDF-Expand(PRK, info, L) (RFC 5869 2.3); L <= 255 * hash length. */
TD_MUST_USE td_err td_hkdf_expand(td_hash_alg alg, td_span prk, td_span info,
                                  uint8_t *out, size_t out_len);

/* TLS 1.2 PRF (RFC 5246 5): P_<hash>(secret, label + seed), out_len bytes. */
TD_MUST_USE td_err td_tls12_prf(td_hash_alg alg, td_span secret,
                                const char *label, td_span seed, uint8_t *out,
                                size_t out_len);

/* ------------------------------------------------------------------------
 * AEAD (RFC 5116): AES-GCM (RFC 5288 for TLS 1.2), ChaCha20-Poly1305
 * (RFC 8439, RFC 7905)
 * ------------------------------------------------------------------------ */
typedef enum td_aead_alg {
    TD_AEAD_AES_128_GCM = 0,
    TD_AEAD_AES_256_GCM,
    TD_AEAD_CHACHA20_POLY1305,
} td_aead_alg;

#define TD_AEAD_NONCE_LEN 12u
#define TD_AEAD_TAG_LEN 16u
#define TD_AEAD_MAX_KEY_LEN 32u

size_t td_aead_key_len(td_aead_alg alg);

/* out receives plaintext.len + TD_AEAD_TAG_LEN bytes: ciphertext || tag.
 * out may equal plaintext.p (in place). */
TD_MUST_USE td_err td_aead_seal(td_aead_alg alg, td_span key,
                                const uint8_t nonce[TD_AEAD_NONCE_LEN],
                                td_span aad, td_span plaintext, uint8_t *out);
/* in = ciphertext || tag; out receives in.len - TD_AEAD_TAG_LEN bytes.
 * bad_record_mac when in is shorter than a tag or does not authenticate
 * (RFC 8446 5.2, RFC 5246 6.2.3.3); out is then zeroed. */
TD_MUST_USE td_err td_aead_open(td_aead_alg alg, td_span key,
                                const uint8_t nonce[TD_AEAD_NONCE_LEN],
                                td_span aad, td_span in, uint8_t *out);

/* ------------------------------------------------------------------------
 * Key exchange: X25519 (RFC 7748), ECDH over P-256 and P-384 (uncompressed
 * points, RFC 8446 4.2.8.2, RFC 8422 5.4)
 * ------------------------------------------------------------------------ */
#define TD_KX_MAX_PRIV_LEN 48u
#define TD_KX_MAX_PUB_LEN 97u
#define TD_KX_MAX_SHARED_LEN 48u

/* Lengths for a NamedGroup (0x001d, 0x0017, 0x0018); 0 if unsupported. */
size_t td_kx_priv_len(uint16_t group);
size_t td_kx_pub_len(uint16_t group);
size_t td_kx_shared_len(uint16_t group);

/* The public value of a private key the caller drew from its RNG (X25519:
 * any 32 bytes, clamped as RFC 7748 5 says; ECDH: a scalar that must be
 * in [1, n-1], else TD_ERR_CRYPTO and the caller draws again). */
TD_MUST_USE td_err td_kx_public(uint16_t group, td_span priv, uint8_t *pub);
/* The shared secret (X25519: the u-coordinate, all-zero refused;
 * ECDH: the x-coordinate, RFC 8446 7.4.2). A malformed or off-curve peer
 * value is illegal_parameter (RFC 8446 4.2.8.2: peers "MUST validate"). */
TD_MUST_USE td_err td_kx_shared(uint16_t group, td_span priv,
                                td_span peer_pub, uint8_t *shared);

/* ------------------------------------------------------------------------
 * Keys from the profile's files, and signatures
 * ------------------------------------------------------------------------ */
typedef enum td_key_type {
    TD_KEY_NONE = 0,
    TD_KEY_RSA,
    TD_KEY_EC_P256,
    TD_KEY_EC_P384,
    TD_KEY_ED25519,
} td_key_type;

/* A key held as DER (PKCS#8 or the type's own form for private keys,
 * SubjectPublicKeyInfo for public ones) in caller storage; parsed on use.
 * Pointer-free so it can sit in a snapshot. */
#define TD_KEY_MAX_DER 2600u
typedef struct td_key {
    td_key_type type;
    int is_private;
    size_t bits; /* RSA modulus bits; curve bits for EC */
    size_t der_len;
    uint8_t der[TD_KEY_MAX_DER];
} td_key;

/* PEM or DER private key -> td_key. */
TD_MUST_USE td_err td_key_load_private(td_span pem_or_der, td_key *out);
/* The subjectPublicKeyInfo of a DER certificate -> td_key. A certificate
 * that does not parse is bad_certificate; an unsupported key type
 * unsupported_certificate. */
TD_MUST_USE td_err td_key_from_cert(td_span cert_der, td_key *out);
/* A SubjectPublicKeyInfo element the caller has already classified (the
 * X.509 decoder) -> td_key of that type: the key material must decode as
 * one (an RSA modulus, a point on the curve). TD_ERR_UNSUPPORTED for other
 * types or sizes, TD_ERR_SYNTAX when the key does not decode. */
TD_MUST_USE td_err td_key_from_spki(td_span spki, td_key_type type, td_key *out);

/* SignatureScheme values (RFC 8446 4.2.3) the reference signs and
 * verifies: rsa_pkcs1_sha256/384/512, ecdsa_secp256r1_sha256,
 * ecdsa_secp384r1_sha384, rsa_pss_rsae_sha256/384/512, ed25519; and
 * ecdsa_secp521r1_sha512 curve-free only (SHA-512 on a P-256 or P-384
 * key: there are no P-521 keys). */
int td_sig_supported(uint16_t scheme);
/* How an ECDSA scheme binds the curve (RFC 8446 4.2.3). In TLS 1.3
 * ecdsa_secp256r1_sha256 is SHA-256 with ECDSA on P-256 and nothing else;
 * in TLS 1.2 the same code point is the pair (sha256, ecdsa) of RFC 5246
 * 7.4.1.4.1, on whatever curve the key is ("the old semantics did not
 * constrain the signing curve"). Certificate signatures (RFC 5758 3.2)
 * do not bind the curve either. The other schemes are the same both
 * ways. */
typedef enum td_sig_curve { TD_SIG_CURVE_BOUND, TD_SIG_CURVE_FREE } td_sig_curve;

/* Whether a key of this type can make signatures of this scheme. */
int td_sig_fits_key(uint16_t scheme, td_sig_curve curve, const td_key *key);

#define TD_SIG_MAX_LEN 512u

/* Sign msg (the whole message; the scheme's hash is applied here).
 * `random`: the RSA-PSS salt the caller drew, exactly the hash length
 * (RFC 8446 4.2.3: salt length = digest length); empty for the other
 * schemes: ECDSA uses the deterministic nonce of RFC 6979, PKCS#1 v1.5 and
 * Ed25519 need none. *sig_len <= TD_SIG_MAX_LEN. */
TD_MUST_USE td_err td_sig_sign(uint16_t scheme, td_sig_curve curve, const td_key *key,
                               td_span msg, td_span random, uint8_t *sig,
                               size_t *sig_len);
/* decrypt_error when the signature does not verify (RFC 8446 4.4.3,
 * RFC 5246 7.4.8); illegal_parameter when the scheme does not fit the
 * key. */
TD_MUST_USE td_err td_sig_verify(uint16_t scheme, td_sig_curve curve, const td_key *key,
                                 td_span msg, td_span sig);

/* ------------------------------------------------------------------------
 * RSA key transport (RFC 5246 7.4.7.1)
 * ------------------------------------------------------------------------ */

/* PKCS#1 v1.5 encryption of msg to a public RSA key. `padding` holds the
 * caller's random bytes for the padding string (at least modulus length
 * bytes; zero bytes in it are skipped). *out_len = modulus length. */
TD_MUST_USE td_err td_rsa_encrypt(const td_key *pub, td_span msg,
                                  td_span padding, uint8_t *out,
                                  size_t *out_len);
/* PKCS#1 v1.5 decryption of a premaster secret, in constant time with
 * respect to the padding: *ok = 1 and out holds the 48 decrypted bytes
 * when the padding is right and the message is 48 bytes; else *ok = 0
 * and out is unspecified. The caller substitutes its random premaster
 * (RFC 5246 7.4.7.1) without branching on *ok. TD_ERR_CRYPTO only for a
 * key or length problem. */
TD_MUST_USE td_err td_rsa_decrypt_premaster(const td_key *priv, td_span in,
                                            uint8_t out[48], unsigned *ok);

/* Wipe secrets (not optimised away). */
void td_secure_zero(void *p, size_t n);

#endif
