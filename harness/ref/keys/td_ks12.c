/*
 * The TLS 1.2 key schedule: RFC 5246 8.1 (master secret), 6.3 (key
 * expansion), 7.4.9 (Finished), RFC 7627 4 (extended master secret), with
 * the AEAD key block layouts of RFC 5288 3 (AES-GCM) and RFC 7905 2
 * (ChaCha20-Poly1305).
 *
 *     master_secret = PRF(pre_master_secret, "master secret",
 *                         ClientHello.random + ServerHello.random)
 *                         [0..47];                          (RFC 5246 8.1)
 *
 *     master_secret = PRF(pre_master_secret, "extended master secret",
 *                         session_hash)
 *                         [0..47];                          (RFC 7627 4)
 *
 *     key_block = PRF(SecurityParameters.master_secret,
 *                     "key expansion",
 *                     SecurityParameters.server_random +
 *                     SecurityParameters.client_random);
 *
 *     client_write_MAC_key[SecurityParameters.mac_key_length]
 *     server_write_MAC_key[SecurityParameters.mac_key_length]
 *     client_write_key[SecurityParameters.enc_key_length]
 *     server_write_key[SecurityParameters.enc_key_length]
 *     client_write_IV[SecurityParameters.fixed_iv_length]
 *     server_write_IV[SecurityParameters.fixed_iv_length]    (RFC 5246 6.3)
 *
 *     verify_data
 *        PRF(master_secret, finished_label, Hash(handshake_messages))
 *           [0..verify_data_length-1];                   (RFC 5246 7.4.9)
 *
 * The PRF is P_<hash> of RFC 5246 5 with the suite's hash (td_tls12_prf):
 * SHA-256 for the *_SHA256 suites and SHA-384 for *_SHA384 (RFC 5288 3,
 * RFC 5289 3.2). The AEAD suites have no MAC keys (mac_key_length 0,
 * RFC 5246 6.2.3.3); fixed_iv_length is 4 for AES-GCM (the salt, RFC 5288
 * 3) and 12 for ChaCha20-Poly1305 (RFC 7905 2).
 */
#include "td_keys.h"

#include <string.h>

#ifdef TD_INJECT_BUGS
#include "td_inject.h"
#endif

/* key_block for the largest AEAD layout: 2 * 32 + 2 * 12 */
#define KEY_BLOCK_MAX (2u * TD_AEAD_MAX_KEY_LEN + 2u * TD_KS12_MAX_FIXED_IV)

static int ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint8_t d = 0;
    size_t i;

    for (i = 0; i < n; i++)
        d |= (uint8_t)(a[i] ^ b[i]);
    return d == 0;
}

td_err td_ks12_init(td_ks12 *ks, td_hash_alg prf_hash)
{
    ENSURE(prf_hash == TD_HASH_SHA256 || prf_hash == TD_HASH_SHA384,
           TD_ERR_INTERNAL);
    memset(ks, 0, sizeof *ks);
    ks->prf_hash = prf_hash;
    return TD_OK;
}

/* master_secret = PRF(pre_master_secret, label, seed)[0..47] */
static td_err master_from(td_ks12 *ks, td_span pre_master_secret,
                          const char *label, td_span seed)
{
    ENSURE(!ks->have_master_secret, TD_ERR_INTERNAL);
    ENSURE(pre_master_secret.len != 0, TD_ERR_INTERNAL);
    TRY(td_tls12_prf(ks->prf_hash, pre_master_secret, label, seed,
                     ks->master_secret, TD_KS12_MASTER_SECRET_LEN));
    ks->have_master_secret = 1;
    return TD_OK;
}

td_err td_ks12_master_secret(td_ks12 *ks, td_span pre_master_secret,
                             td_span client_random, td_span server_random)
{
    uint8_t seed[2 * TD_KS12_RANDOM_LEN];
    td_span s = {seed, sizeof seed};

    ENSURE(client_random.len == TD_KS12_RANDOM_LEN &&
               server_random.len == TD_KS12_RANDOM_LEN,
           TD_ERR_INTERNAL);
    /* RFC 5246 8.1: ClientHello.random + ServerHello.random */
    memcpy(seed, client_random.p, TD_KS12_RANDOM_LEN);
    memcpy(seed + TD_KS12_RANDOM_LEN, server_random.p, TD_KS12_RANDOM_LEN);
    return master_from(ks, pre_master_secret, "master secret", s);
}

td_err td_ks12_extended_master_secret(td_ks12 *ks, td_span pre_master_secret,
                                      td_span session_hash)
{
    /* RFC 7627 3: session_hash = Hash(handshake_messages) with the hash
     * of the PRF */
    ENSURE(session_hash.len == td_hash_len(ks->prf_hash), TD_ERR_INTERNAL);
    return master_from(ks, pre_master_secret, "extended master secret",
                       session_hash);
}

td_err td_ks12_set_master_secret(td_ks12 *ks, td_span master_secret)
{
    ENSURE(!ks->have_master_secret, TD_ERR_INTERNAL);
    ENSURE(master_secret.len == TD_KS12_MASTER_SECRET_LEN, TD_ERR_INTERNAL);
    memcpy(ks->master_secret, master_secret.p, TD_KS12_MASTER_SECRET_LEN);
    ks->have_master_secret = 1;
    return TD_OK;
}

/* key_block, partitioned in the order of RFC 5246 6.3 */
static td_err partition(const td_ks_suite *suite, const uint8_t *key_block,
                        td_ks12_keys *k)
{
    td_rd r;
    td_span client_write_key, server_write_key;
    td_span client_write_IV, server_write_IV;
    size_t kl = suite->key_length, ivl = suite->fixed_iv_length;

    td_rd_init(&r, key_block, 2 * kl + 2 * ivl);
    /* client_write_MAC_key, server_write_MAC_key: mac_key_length 0 */
    TRY(td_rd_span(&r, kl, &client_write_key));
    TRY(td_rd_span(&r, kl, &server_write_key));
    TRY(td_rd_span(&r, ivl, &client_write_IV));
    TRY(td_rd_span(&r, ivl, &server_write_IV));
    TRY(td_rd_done(&r));
    memcpy(k->client_write_key, client_write_key.p, kl);
    memcpy(k->server_write_key, server_write_key.p, kl);
    memcpy(k->client_write_IV, client_write_IV.p, ivl);
    memcpy(k->server_write_IV, server_write_IV.p, ivl);
    return TD_OK;
}

td_err td_ks12_key_expansion(const td_ks12 *ks, const td_ks_suite *suite,
                             td_span client_random, td_span server_random,
                             td_ks12_keys *out)
{
    uint8_t seed[2 * TD_KS12_RANDOM_LEN];
    uint8_t key_block[KEY_BLOCK_MAX];
    td_span s = {seed, sizeof seed};
    td_span ms = {ks->master_secret, TD_KS12_MASTER_SECRET_LEN};
    td_ks12_keys k;
    size_t kl = suite->key_length, ivl = suite->fixed_iv_length;
    td_err err;

    ENSURE(ks->have_master_secret, TD_ERR_INTERNAL);
    ENSURE(suite->version == 0x0303, TD_ERR_INTERNAL);
    /* the suite's PRF hash is the schedule's (RFC 5246 5, RFC 5288 3) */
    ENSURE(suite->hash == ks->prf_hash, TD_ERR_INTERNAL);
    ENSURE(kl == td_aead_key_len(suite->aead) && kl <= TD_AEAD_MAX_KEY_LEN,
           TD_ERR_INTERNAL);
    ENSURE(ivl <= TD_KS12_MAX_FIXED_IV &&
               ivl + suite->record_iv_length == TD_AEAD_NONCE_LEN,
           TD_ERR_INTERNAL);
    ENSURE(client_random.len == TD_KS12_RANDOM_LEN &&
               server_random.len == TD_KS12_RANDOM_LEN,
           TD_ERR_INTERNAL);

    /* RFC 5246 6.3: server_random + client_random (the reverse of 8.1) */
    memcpy(seed, server_random.p, TD_KS12_RANDOM_LEN);
    memcpy(seed + TD_KS12_RANDOM_LEN, client_random.p, TD_KS12_RANDOM_LEN);

    memset(&k, 0, sizeof k);
    k.aead = suite->aead;
    k.enc_key_length = kl;
    k.fixed_iv_length = ivl;
    k.record_iv_length = suite->record_iv_length;
    err = td_tls12_prf(ks->prf_hash, ms, "key expansion", s, key_block,
                       2 * kl + 2 * ivl);
    if (err == TD_OK)
        err = partition(suite, key_block, &k);
    if (err == TD_OK)
        *out = k;
    td_secure_zero(key_block, sizeof key_block);
    td_secure_zero(&k, sizeof k);
    return err;
}

td_err td_ks12_verify_data(const td_ks12 *ks, td_ks12_sender sender,
                           td_span handshake_hash,
                           uint8_t out[TD_KS12_VERIFY_DATA_LEN])
{
    td_span ms = {ks->master_secret, TD_KS12_MASTER_SECRET_LEN};

    ENSURE(ks->have_master_secret, TD_ERR_INTERNAL);
    ENSURE(sender == TD_KS12_CLIENT || sender == TD_KS12_SERVER,
           TD_ERR_INTERNAL);
    /* RFC 5246 7.4.9: "the Hash MUST be the Hash used as the basis for
     * the PRF" */
    ENSURE(handshake_hash.len == td_hash_len(ks->prf_hash), TD_ERR_INTERNAL);
    /* finished_label: "client finished" / "server finished" */
    return td_tls12_prf(ks->prf_hash, ms,
                        sender == TD_KS12_CLIENT ? "client finished"
                                                 : "server finished",
                        handshake_hash, out, TD_KS12_VERIFY_DATA_LEN);
}

td_err td_ks12_finished_check(const td_ks12 *ks, td_ks12_sender sender,
                              td_span handshake_hash, td_span verify_data)
{
    uint8_t want[TD_KS12_VERIFY_DATA_LEN];
    int same;

    /* RFC 5246 7.4.9: verify_data_length is 12 for these suites; another
     * length is a malformed message (RFC 5246 7.2.2 decode_error) */
    ENSURE(verify_data.len == TD_KS12_VERIFY_DATA_LEN, TD_ALERT_DECODE_ERROR);
    TRY(td_ks12_verify_data(ks, sender, handshake_hash, want));
    same = ct_equal(want, verify_data.p, TD_KS12_VERIFY_DATA_LEN);
#ifdef TD_INJECT_BUGS
    if (td_injected_bug == TD_BUG_SKIP_FINISHED) /* test-only */
        same = 1;
#endif
    td_secure_zero(want, sizeof want);
    /* RFC 5246 7.4.9: "Recipients of Finished messages MUST verify that
     * the contents are correct"; 7.2.2: decrypt_error when unable to
     * "validate a Finished message" */
    ENSURE(same, TD_ALERT_DECRYPT_ERROR);
    return TD_OK;
}

void td_ks12_wipe(td_ks12 *ks)
{
    td_secure_zero(ks->master_secret, sizeof ks->master_secret);
    ks->have_master_secret = 0;
}
