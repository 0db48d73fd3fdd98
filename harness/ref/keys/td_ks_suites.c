/*
 * The cipher suites of the reference and what the key schedules and
 * record protection need from each.
 *
 * TLS 1.3 (RFC 8446 B.4; 5.3: iv_length = max(8, N_MIN) = 12 for these
 * AEADs; no explicit nonce, the per-record nonce is iv XOR seq):
 *     TLS_AES_128_GCM_SHA256        {0x13,0x01}
 *     TLS_AES_256_GCM_SHA384        {0x13,0x02}
 *     TLS_CHACHA20_POLY1305_SHA256  {0x13,0x03}
 *
 * TLS 1.2 AES-GCM (RFC 5288 3: "The salt length
 * (SecurityParameters.fixed_iv_length) is 4 octets", "The nonce_explicit
 * length (SecurityParameters.record_iv_length) is 8 octets"; "For cipher
 * suites ending with _SHA256, the PRF is the TLS PRF [RFC5246] with
 * SHA-256 as the hash function", _SHA384 with SHA-384; RFC 5289 3.2 the
 * same for the ECDHE suites):
 *     TLS_RSA_WITH_AES_128_GCM_SHA256          {0x00,0x9C}
 *     TLS_RSA_WITH_AES_256_GCM_SHA384          {0x00,0x9D}
 *     TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256  {0xC0,0x2B}
 *     TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384  {0xC0,0x2C}
 *     TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256    {0xC0,0x2F}
 *     TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384    {0xC0,0x30}
 *
 * TLS 1.2 ChaCha20-Poly1305 (RFC 7905 2: the 96-bit nonce is the padded
 * sequence number XORed with client_write_IV or server_write_IV, so the
 * write IVs are 12 bytes (fixed_iv_length 12) and no explicit nonce is
 * sent (record_iv_length 0); the PRF uses SHA-256):
 *     TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256    {0xCC,0xA8}
 *     TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256  {0xCC,0xA9}
 */
#include "td_keys.h"

static const td_ks_suite suites[] = {
    /* cipher_suite, version, hash, aead, key, fixed_iv, record_iv */
    {0x1301, 0x0304, TD_HASH_SHA256, TD_AEAD_AES_128_GCM, 16, 12, 0},
    {0x1302, 0x0304, TD_HASH_SHA384, TD_AEAD_AES_256_GCM, 32, 12, 0},
    {0x1303, 0x0304, TD_HASH_SHA256, TD_AEAD_CHACHA20_POLY1305, 32, 12, 0},
    {0x009c, 0x0303, TD_HASH_SHA256, TD_AEAD_AES_128_GCM, 16, 4, 8},
    {0x009d, 0x0303, TD_HASH_SHA384, TD_AEAD_AES_256_GCM, 32, 4, 8},
    {0xc02b, 0x0303, TD_HASH_SHA256, TD_AEAD_AES_128_GCM, 16, 4, 8},
    {0xc02c, 0x0303, TD_HASH_SHA384, TD_AEAD_AES_256_GCM, 32, 4, 8},
    {0xc02f, 0x0303, TD_HASH_SHA256, TD_AEAD_AES_128_GCM, 16, 4, 8},
    {0xc030, 0x0303, TD_HASH_SHA384, TD_AEAD_AES_256_GCM, 32, 4, 8},
    {0xcca8, 0x0303, TD_HASH_SHA256, TD_AEAD_CHACHA20_POLY1305, 32, 12, 0},
    {0xcca9, 0x0303, TD_HASH_SHA256, TD_AEAD_CHACHA20_POLY1305, 32, 12, 0},
};

#define N_SUITES (sizeof suites / sizeof suites[0])

td_err td_ks_suite_find(uint16_t cipher_suite, td_ks_suite *out)
{
    size_t i;

    for (i = 0; i < N_SUITES; i++) {
        if (suites[i].cipher_suite == cipher_suite) {
            *out = suites[i];
            return TD_OK;
        }
    }
    return TD_ERR_NOT_FOUND;
}

const td_ks_suite *td_ks_suite_at(size_t i)
{
    return i < N_SUITES ? &suites[i] : NULL;
}
