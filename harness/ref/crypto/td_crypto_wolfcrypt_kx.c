/*
 * The crypto adapter on wolfCrypt, part 2: key exchange. One of the files
 * td_crypto_wolfcrypt*.c that may include wolfCrypt (td_crypto_wolfcrypt.h).
 *
 * X25519 (RFC 7748 5, 6.1):
 *     "the private key is 32 random bytes ... decodeScalar25519:
 *         k_list[0] &= 248; k_list[31] &= 127; k_list[31] |= 64"
 *     "When receiving such an array, implementations of X25519 ... MUST
 *      mask the most significant bit in the final byte."
 *     public = X25519(a, 9); shared = X25519(a, peer public)
 *   and RFC 8446 7.4.2: "For X25519 and X448, implementations MUST check
 *   whether the computed Diffie-Hellman shared secret is the all-zero value
 *   and abort if so".
 *
 * ECDH over secp256r1 / secp384r1 (RFC 8446 4.2.8.2, 7.4.2; RFC 8422 5.4):
 *     struct {
 *         uint8 legacy_form = 4;
 *         opaque X[coordinate_length];
 *         opaque Y[coordinate_length];
 *     } UncheckedECPoint;
 *   "peers MUST validate each other's public value Q by ensuring that the
 *   point is a valid point on the elliptic curve"; the shared secret is
 *   "the x-coordinate of the ECDH shared secret elliptic curve point
 *   represented as an octet string" of the coordinate length.
 *
 * A bad peer value is illegal_parameter (td_crypto.h; RFC 8446 6.2:
 * "A field in the handshake was incorrect or inconsistent with other
 * fields").
 */
#include "td_crypto_wolfcrypt.h"

#include <wolfssl/wolfcrypt/curve25519.h>

#include <string.h>

enum {
    TD_GROUP_SECP256R1 = 0x0017,
    TD_GROUP_SECP384R1 = 0x0018,
    TD_GROUP_X25519 = 0x001d,
};

size_t td_kx_priv_len(uint16_t group)
{
    switch (group) {
    case TD_GROUP_X25519:
    case TD_GROUP_SECP256R1:
        return 32;
    case TD_GROUP_SECP384R1:
        return 48;
    }
    return 0;
}

size_t td_kx_pub_len(uint16_t group)
{
    switch (group) {
    case TD_GROUP_X25519:
        return 32; /* RFC 8446 4.2.8.2: 32 bytes */
    case TD_GROUP_SECP256R1:
        return 65; /* 1 + 2 * 32 */
    case TD_GROUP_SECP384R1:
        return 97; /* 1 + 2 * 48 */
    }
    return 0;
}

size_t td_kx_shared_len(uint16_t group) { return td_kx_priv_len(group); }

static int ecc_curve_of(uint16_t group)
{
    return group == TD_GROUP_SECP256R1 ? ECC_SECP256R1 : ECC_SECP384R1;
}

/* ------------------------------------------------------------------------
 * X25519
 * ------------------------------------------------------------------------ */

/* RFC 7748 5: decodeScalar25519 */
static void x25519_clamp(uint8_t k[32], td_span priv)
{
    memcpy(k, priv.p, 32);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
}

static td_err x25519_public(td_span priv, uint8_t *pub)
{
    uint8_t k[32];
    int ret;

    x25519_clamp(k, priv);
    ret = wc_curve25519_make_pub(32, pub, 32, k);
    td_secure_zero(k, sizeof k);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    return TD_OK;
}

static td_err x25519_shared(td_span priv, td_span peer, uint8_t *shared)
{
    uint8_t k[32], u[32];
    int ret;

    /* RFC 8446 4.2.8.2: X25519 public values are 32 bytes */
    ENSURE(peer.len == 32, TD_ALERT_ILLEGAL_PARAMETER);
    x25519_clamp(k, priv);
    memcpy(u, peer.p, 32);
    u[31] &= 127; /* RFC 7748 5: mask the most significant bit */
    ret = wc_curve25519_generic(32, shared, 32, k, 32, u);
    td_secure_zero(k, sizeof k);
    ENSURE(ret == 0, TD_ERR_CRYPTO);
    /* RFC 8446 7.4.2, RFC 7748 6.1: an all-zero result comes from a
     * small-order peer value; refuse it. The check looks at the secret's
     * bytes without branching on any single one of them. */
    if (td_wc_ct_is_zero(td_wc_ct_diff(shared, (const uint8_t[32]){0}, 32))) {
        td_secure_zero(shared, 32);
        return TD_ALERT_ILLEGAL_PARAMETER;
    }
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * ECDH
 * ------------------------------------------------------------------------ */

static td_err ecdh_public_with(ecc_key *key, uint16_t group, td_span priv,
                               uint8_t *pub)
{
    word32 len = (word32)td_kx_pub_len(group);

    ENSURE(wc_ecc_import_private_key_ex(priv.p, (word32)priv.len, NULL, 0, key,
                                        ecc_curve_of(group)) == 0,
           TD_ERR_CRYPTO);
    /* wolfCrypt refuses a scalar outside [1, n-1] here (td_crypto.h: the
     * caller then draws again). */
    ENSURE(wc_ecc_make_pub(key, NULL) == 0, TD_ERR_CRYPTO);
    ENSURE(wc_ecc_export_x963(key, pub, &len) == 0, TD_ERR_CRYPTO);
    ENSURE(len == td_kx_pub_len(group), TD_ERR_CRYPTO);
    return TD_OK;
}

static td_err ecdh_public(uint16_t group, td_span priv, uint8_t *pub)
{
    ecc_key key;
    td_err err;

    ENSURE(wc_ecc_init_ex(&key, NULL, INVALID_DEVID) == 0, TD_ERR_CRYPTO);
    err = ecdh_public_with(&key, group, priv, pub);
    wc_ecc_free(&key);
    td_secure_zero(&key, sizeof key);
    return err;
}

/* Import and validate the peer's point (RFC 8446 4.2.8.2). */
static td_err ecdh_peer(ecc_key *peer, uint16_t group, td_span pub)
{
    td_rd r;
    uint8_t legacy_form;

    ENSURE(pub.len == td_kx_pub_len(group), TD_ALERT_ILLEGAL_PARAMETER);
    td_rd_init_span(&r, pub);
    TRY(td_rd_u8(&r, &legacy_form));
    /* RFC 8446 4.2.8.2: legacy_form = 4 (uncompressed); RFC 8422 5.1.2:
     * the compressed forms are deprecated */
    ENSURE(legacy_form == 4, TD_ALERT_ILLEGAL_PARAMETER);
    ENSURE(wc_ecc_import_x963_ex(pub.p, (word32)pub.len, peer,
                                 ecc_curve_of(group)) == 0,
           TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 8446 4.2.8.2: "a valid point on the elliptic curve": coordinates
     * below p, on the curve, not the point at infinity, of order n */
    ENSURE(wc_ecc_check_key(peer) == 0, TD_ALERT_ILLEGAL_PARAMETER);
    return TD_OK;
}

static td_err ecdh_shared_with(ecc_key *key, ecc_key *peer, WC_RNG *rng,
                               uint16_t group, td_span priv, td_span pub,
                               uint8_t *shared)
{
    word32 len = (word32)td_kx_shared_len(group);

    TRY(ecdh_peer(peer, group, pub));
    ENSURE(wc_ecc_import_private_key_ex(priv.p, (word32)priv.len, NULL, 0, key,
                                        ecc_curve_of(group)) == 0,
           TD_ERR_CRYPTO);
    ENSURE(wc_ecc_set_rng(key, rng) == 0, TD_ERR_CRYPTO);
    /* RFC 8446 7.4.2: the x-coordinate, coordinate_length bytes */
    ENSURE(wc_ecc_shared_secret(key, peer, shared, &len) == 0, TD_ERR_CRYPTO);
    ENSURE(len == td_kx_shared_len(group), TD_ERR_CRYPTO);
    return TD_OK;
}

static td_err ecdh_shared(uint16_t group, td_span priv, td_span pub,
                          uint8_t *shared)
{
    ecc_key key, peer;
    td_wc_blind blind;
    td_err err;

    ENSURE(wc_ecc_init_ex(&key, NULL, INVALID_DEVID) == 0, TD_ERR_CRYPTO);
    if (wc_ecc_init_ex(&peer, NULL, INVALID_DEVID) != 0) {
        wc_ecc_free(&key);
        return TD_ERR_CRYPTO;
    }
    err = td_wc_blind_begin(&blind);
    if (err == TD_OK) {
        err = ecdh_shared_with(&key, &peer, &blind.rng, group, priv, pub,
                               shared);
        td_wc_blind_end(&blind);
    }
    wc_ecc_free(&peer);
    wc_ecc_free(&key);
    td_secure_zero(&key, sizeof key);
    if (err != TD_OK)
        td_secure_zero(shared, td_kx_shared_len(group));
    return err;
}

/* ------------------------------------------------------------------------
 * The contract
 * ------------------------------------------------------------------------ */

td_err td_wc_kx_public(uint16_t group, td_span priv, uint8_t *pub)
{
    ENSURE(td_kx_priv_len(group) != 0, TD_ERR_UNSUPPORTED);
    ENSURE(priv.len == td_kx_priv_len(group), TD_ERR_INTERNAL);
    if (group == TD_GROUP_X25519)
        return x25519_public(priv, pub);
    return ecdh_public(group, priv, pub);
}

td_err td_wc_kx_shared(uint16_t group, td_span priv, td_span peer_pub,
                    uint8_t *shared)
{
    ENSURE(td_kx_priv_len(group) != 0, TD_ERR_UNSUPPORTED);
    ENSURE(priv.len == td_kx_priv_len(group), TD_ERR_INTERNAL);
    if (group == TD_GROUP_X25519)
        return x25519_shared(priv, peer_pub, shared);
    return ecdh_shared(group, priv, peer_pub, shared);
}
