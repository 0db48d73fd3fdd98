/*
 * The TLS 1.3 key schedule: RFC 8446 7.1, with 7.2 (KeyUpdate), 7.3
 * (traffic keys), 4.4.4 (Finished), 4.2.11.2 (PSK binder), 4.6.1 (ticket
 * PSK) and 4.4.1 (message_hash).
 *
 *     HKDF-Expand-Label(Secret, Label, Context, Length) =
 *          HKDF-Expand(Secret, HkdfLabel, Length)
 *
 *     struct {
 *         uint16 length = Length;
 *         opaque label<7..255> = "tls13 " + Label;
 *         opaque context<0..255> = Context;
 *     } HkdfLabel;
 *
 *     Derive-Secret(Secret, Label, Messages) =
 *          HKDF-Expand-Label(Secret, Label,
 *                            Transcript-Hash(Messages), Hash.length)
 *
 *              0
 *              |
 *              v
 *    PSK ->  HKDF-Extract = Early Secret
 *              +-----> Derive-Secret(., "ext binder" | "res binder", "")
 *              |                     = binder_key
 *              +-----> Derive-Secret(., "c e traffic", ClientHello)
 *              |                     = client_early_traffic_secret
 *              +-----> Derive-Secret(., "e exp master", ClientHello)
 *              |                     = early_exporter_master_secret
 *              v
 *        Derive-Secret(., "derived", "")
 *              v
 *    (EC)DHE -> HKDF-Extract = Handshake Secret
 *              +-----> Derive-Secret(., "c hs traffic",
 *              |                     ClientHello...ServerHello)
 *              |                     = client_handshake_traffic_secret
 *              +-----> Derive-Secret(., "s hs traffic",
 *              |                     ClientHello...ServerHello)
 *              |                     = server_handshake_traffic_secret
 *              v
 *        Derive-Secret(., "derived", "")
 *              v
 *    0 -> HKDF-Extract = Master Secret
 *              +-----> Derive-Secret(., "c ap traffic",
 *              |                     ClientHello...server Finished)
 *              |                     = client_application_traffic_secret_0
 *              +-----> Derive-Secret(., "s ap traffic",
 *              |                     ClientHello...server Finished)
 *              |                     = server_application_traffic_secret_0
 *              +-----> Derive-Secret(., "exp master",
 *              |                     ClientHello...server Finished)
 *              |                     = exporter_master_secret
 *              +-----> Derive-Secret(., "res master",
 *                                    ClientHello...client Finished)
 *                                    = resumption_master_secret
 *
 * "If a given secret is not available, then the 0-value consisting of a
 * string of Hash.length bytes set to zeros is used." One function per box;
 * each checks that its input secret is held (a derivation out of order is
 * a harness bug, TD_ERR_INTERNAL) and wipes what its stage ends.
 */
#include "td_keys.h"

#include "td_record.h"

#include <string.h>

#ifdef TD_INJECT_BUGS
#include "td_inject.h"
#endif

/* ------------------------------------------------------------ helpers */

#define HELD(s) (1u << (unsigned)(s))

static uint8_t *slot(td_ks13 *ks, td_ks13_secret which)
{
    switch (which) {
    case TD_KS13_EARLY_SECRET:
        return ks->early_secret;
    case TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET:
        return ks->client_early_traffic_secret;
    case TD_KS13_EARLY_EXPORTER_MASTER_SECRET:
        return ks->early_exporter_master_secret;
    case TD_KS13_HANDSHAKE_SECRET:
        return ks->handshake_secret;
    case TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET:
        return ks->client_handshake_traffic_secret;
    case TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET:
        return ks->server_handshake_traffic_secret;
    case TD_KS13_MASTER_SECRET:
        return ks->master_secret;
    case TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET:
        return ks->client_application_traffic_secret;
    case TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET:
        return ks->server_application_traffic_secret;
    case TD_KS13_EXPORTER_MASTER_SECRET:
        return ks->exporter_master_secret;
    case TD_KS13_RESUMPTION_MASTER_SECRET:
        return ks->resumption_master_secret;
    case TD_KS13_N_SECRETS:
        break;
    }
    return NULL;
}

static int held(const td_ks13 *ks, td_ks13_secret which)
{
    return (ks->held & HELD(which)) != 0;
}

static void forget(td_ks13 *ks, td_ks13_secret which)
{
    uint8_t *p = slot(ks, which);

    if (p)
        td_secure_zero(p, TD_HASH_MAX_LEN);
    ks->held &= ~HELD(which);
}

/* A held secret as a span (TD_ERR_INTERNAL when not held: out of order). */
static td_err input(const td_ks13 *ks, td_ks13_secret which, td_span *out)
{
    ENSURE(held(ks, which), TD_ERR_INTERNAL);
    *out = td_ks13_get(ks, which);
    return TD_OK;
}

/* Constant-time equality of two equal-length byte strings. */
static int ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint8_t d = 0;
    size_t i;

    for (i = 0; i < n; i++)
        d |= (uint8_t)(a[i] ^ b[i]);
    return d == 0;
}

/* ------------------------------------------------- HKDF-Expand-Label */

/* The largest HkdfLabel: 2 + (1 + 255) + (1 + 255). */
#define HKDF_LABEL_MAX 514u

td_err td_ks13_expand_label(td_hash_alg alg, td_span secret,
                            const char *label, td_span context, uint8_t *out,
                            size_t length)
{
    uint8_t info[HKDF_LABEL_MAX];
    size_t label_len;
    td_wr w;
    td_wr_mark m;
    td_span hkdf_label;

    ENSURE(label != NULL, TD_ERR_INTERNAL);
    label_len = strlen(label);
    /* RFC 8446 7.1: opaque label<7..255> = "tls13 " + Label */
    ENSURE(label_len >= 1 && label_len <= TD_KS13_MAX_LABEL, TD_ERR_INTERNAL);
    /* RFC 8446 7.1: opaque context<0..255> */
    ENSURE(context.len <= TD_KS13_MAX_CONTEXT, TD_ERR_INTERNAL);
    /* RFC 8446 7.1: uint16 length */
    ENSURE(length <= 0xffffu, TD_ERR_INTERNAL);

    td_wr_init(&w, info, sizeof info);
    TRY(td_wr_u16(&w, (uint32_t)length));
    TRY(td_wr_open8(&w, &m));
    TRY(td_wr_bytes(&w, (const uint8_t *)TD_KS13_LABEL_PREFIX,
                    sizeof TD_KS13_LABEL_PREFIX - 1));
    TRY(td_wr_bytes(&w, (const uint8_t *)label, label_len));
    TRY(td_wr_close(&w, &m));
    TRY(td_wr_open8(&w, &m));
    TRY(td_wr_span(&w, context));
    TRY(td_wr_close(&w, &m));
    TRY(td_wr_finish(&w, &hkdf_label));
    return td_hkdf_expand(alg, secret, hkdf_label, out, length);
}

td_err td_ks13_derive_secret(td_hash_alg alg, td_span secret,
                             const char *label, td_span transcript_hash,
                             uint8_t *out)
{
    size_t hl = td_hash_len(alg);

    ENSURE(hl != 0 && transcript_hash.len == hl, TD_ERR_INTERNAL);
    return td_ks13_expand_label(alg, secret, label, transcript_hash, out, hl);
}

/* Derive-Secret(., label, Messages) from held secret `from` into `to`. */
static td_err derive_into(td_ks13 *ks, td_ks13_secret from, const char *label,
                          td_span transcript_hash, td_ks13_secret to)
{
    td_span s;

    TRY(input(ks, from, &s));
    TRY(td_ks13_derive_secret(ks->hash, s, label, transcript_hash,
                              slot(ks, to)));
    ks->held |= HELD(to);
    return TD_OK;
}

/* HKDF-Extract(Derive-Secret(from, "derived", ""), ikm) into `to`, then
 * from is wiped: "derived" is the last value taken from it (RFC 8446 7.1
 * "that secret SHOULD be erased"). An empty ikm is the 0-value. */
static td_err extract_next(td_ks13 *ks, td_ks13_secret from, td_span ikm,
                           td_ks13_secret to)
{
    static const uint8_t zeros[TD_HASH_MAX_LEN];
    uint8_t empty_hash[TD_HASH_MAX_LEN];
    uint8_t derived[TD_HASH_MAX_LEN];
    td_span s, h = {empty_hash, ks->hash_len};
    td_span salt = {derived, ks->hash_len};
    td_span none = {NULL, 0};
    td_err err;

    TRY(input(ks, from, &s));
    if (ikm.len == 0) {
        ikm.p = zeros;
        ikm.len = ks->hash_len;
    }
    /* Transcript-Hash("") = Hash("") */
    TRY(td_hash(ks->hash, none, empty_hash));
    err = td_ks13_derive_secret(ks->hash, s, "derived", h, derived);
    if (err == TD_OK)
        err = td_hkdf_extract(ks->hash, salt, ikm, slot(ks, to));
    td_secure_zero(derived, sizeof derived);
    TRY(err);
    ks->held |= HELD(to);
    forget(ks, from);
    return TD_OK;
}

/* --------------------------------------------------------- the schedule */

td_err td_ks13_init(td_ks13 *ks, td_hash_alg hash)
{
    /* RFC 8446 B.4: the TLS 1.3 suites use SHA-256 or SHA-384 */
    ENSURE(hash == TD_HASH_SHA256 || hash == TD_HASH_SHA384, TD_ERR_INTERNAL);
    memset(ks, 0, sizeof *ks);
    ks->hash = hash;
    ks->hash_len = td_hash_len(hash);
    ENSURE(ks->hash_len != 0 && ks->hash_len <= TD_HASH_MAX_LEN,
           TD_ERR_INTERNAL);
    return TD_OK;
}

td_span td_ks13_get(const td_ks13 *ks, td_ks13_secret which)
{
    td_span s = {NULL, 0};
    uint8_t *p;

    if (which >= TD_KS13_N_SECRETS || !held(ks, which))
        return s;
    /* slot() only computes an address; the cast keeps one switch */
    p = slot((td_ks13 *)ks, which);
    s.p = p;
    s.len = ks->hash_len;
    return s;
}

td_err td_ks13_early_secret(td_ks13 *ks, td_span psk)
{
    static const uint8_t zeros[TD_HASH_MAX_LEN];
    td_span salt = {zeros, ks->hash_len};

    ENSURE(ks->hash_len != 0 && ks->held == 0, TD_ERR_INTERNAL);
    if (psk.len == 0) { /* no PSK: IKM is the 0-value (RFC 8446 7.1) */
        psk.p = zeros;
        psk.len = ks->hash_len;
    }
    /* Early Secret = HKDF-Extract(salt = 0, IKM = PSK) */
    TRY(td_hkdf_extract(ks->hash, salt, psk, ks->early_secret));
    ks->held |= HELD(TD_KS13_EARLY_SECRET);
    return TD_OK;
}

td_err td_ks13_binder_key(const td_ks13 *ks, td_ks13_psk_kind kind,
                          uint8_t *out)
{
    uint8_t empty_hash[TD_HASH_MAX_LEN];
    td_span s, none = {NULL, 0}, h = {empty_hash, ks->hash_len};

    TRY(input(ks, TD_KS13_EARLY_SECRET, &s));
    ENSURE(kind == TD_KS13_PSK_EXTERNAL || kind == TD_KS13_PSK_RESUMPTION,
           TD_ERR_INTERNAL);
    TRY(td_hash(ks->hash, none, empty_hash));
    return td_ks13_derive_secret(
        ks->hash, s, kind == TD_KS13_PSK_EXTERNAL ? "ext binder" : "res binder",
        h, out);
}

td_err td_ks13_client_early_traffic_secret(td_ks13 *ks, td_span ch_hash)
{
    return derive_into(ks, TD_KS13_EARLY_SECRET, "c e traffic", ch_hash,
                       TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET);
}

td_err td_ks13_early_exporter_master_secret(td_ks13 *ks, td_span ch_hash)
{
    return derive_into(ks, TD_KS13_EARLY_SECRET, "e exp master", ch_hash,
                       TD_KS13_EARLY_EXPORTER_MASTER_SECRET);
}

td_err td_ks13_handshake_secret(td_ks13 *ks, td_span ecdhe)
{
    return extract_next(ks, TD_KS13_EARLY_SECRET, ecdhe,
                        TD_KS13_HANDSHAKE_SECRET);
}

td_err td_ks13_client_handshake_traffic_secret(td_ks13 *ks, td_span hash)
{
    return derive_into(ks, TD_KS13_HANDSHAKE_SECRET, "c hs traffic", hash,
                       TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET);
}

td_err td_ks13_server_handshake_traffic_secret(td_ks13 *ks, td_span hash)
{
    return derive_into(ks, TD_KS13_HANDSHAKE_SECRET, "s hs traffic", hash,
                       TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET);
}

td_err td_ks13_master_secret(td_ks13 *ks)
{
    td_span zero = {NULL, 0}; /* IKM = 0 */

    return extract_next(ks, TD_KS13_HANDSHAKE_SECRET, zero,
                        TD_KS13_MASTER_SECRET);
}

td_err td_ks13_client_application_traffic_secret_0(td_ks13 *ks, td_span hash)
{
    return derive_into(ks, TD_KS13_MASTER_SECRET, "c ap traffic", hash,
                       TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET);
}

td_err td_ks13_server_application_traffic_secret_0(td_ks13 *ks, td_span hash)
{
    return derive_into(ks, TD_KS13_MASTER_SECRET, "s ap traffic", hash,
                       TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET);
}

td_err td_ks13_exporter_master_secret(td_ks13 *ks, td_span hash)
{
    return derive_into(ks, TD_KS13_MASTER_SECRET, "exp master", hash,
                       TD_KS13_EXPORTER_MASTER_SECRET);
}

td_err td_ks13_resumption_master_secret(td_ks13 *ks, td_span hash)
{
    TRY(derive_into(ks, TD_KS13_MASTER_SECRET, "res master", hash,
                    TD_KS13_RESUMPTION_MASTER_SECRET));
    /* the last value the diagram takes from the Master Secret */
    forget(ks, TD_KS13_MASTER_SECRET);
    return TD_OK;
}

void td_ks13_end_of_early_data(td_ks13 *ks)
{
    forget(ks, TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET);
    forget(ks, TD_KS13_EARLY_EXPORTER_MASTER_SECRET);
}

void td_ks13_handshake_end(td_ks13 *ks)
{
    forget(ks, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET);
    forget(ks, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET);
}

void td_ks13_wipe(td_ks13 *ks)
{
    td_hash_alg hash = ks->hash;
    size_t hash_len = ks->hash_len;

    td_secure_zero(ks, sizeof *ks);
    ks->hash = hash;
    ks->hash_len = hash_len;
}

/* --------------------------------------------- tickets and KeyUpdate */

td_err td_ks13_ticket_psk(const td_ks13 *ks, td_span ticket_nonce,
                          uint8_t *out)
{
    td_span s;

    TRY(input(ks, TD_KS13_RESUMPTION_MASTER_SECRET, &s));
    /* RFC 8446 4.2.11: opaque ticket_nonce<0..255> fits the context */
    return td_ks13_expand_label(ks->hash, s, "resumption", ticket_nonce, out,
                                ks->hash_len);
}

td_err td_ks13_next_traffic_secret(td_hash_alg alg, td_span secret,
                                   uint8_t *out)
{
    uint8_t next[TD_HASH_MAX_LEN];
    size_t hl = td_hash_len(alg);
    td_span none = {NULL, 0};
    td_err err;

    ENSURE(hl != 0 && hl <= sizeof next && secret.len == hl, TD_ERR_INTERNAL);
    /* into a local first: out may be the secret itself */
    err = td_ks13_expand_label(alg, secret, "traffic upd", none, next, hl);
    if (err == TD_OK)
        memcpy(out, next, hl);
    td_secure_zero(next, sizeof next);
    return err;
}

td_err td_ks13_key_update(td_ks13 *ks, td_ks13_side side)
{
    td_ks13_secret which = side == TD_KS13_CLIENT
                               ? TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET
                               : TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET;
    td_span s;

    ENSURE(side == TD_KS13_CLIENT || side == TD_KS13_SERVER, TD_ERR_INTERNAL);
    TRY(input(ks, which, &s));
    /* secret_N is overwritten by secret_N+1 (RFC 8446 7.2) */
    return td_ks13_next_traffic_secret(ks->hash, s, slot(ks, which));
}

/* ------------------------------------------------------ traffic keys */

td_err td_ks13_traffic_keys(td_hash_alg alg, td_span secret, td_aead_alg aead,
                            td_traffic_keys *out)
{
    td_traffic_keys k;
    td_span none = {NULL, 0};
    td_err err;

    memset(&k, 0, sizeof k);
    k.aead = aead;
    k.key_length = td_aead_key_len(aead);
    ENSURE(k.key_length != 0 && k.key_length <= sizeof k.key,
           TD_ERR_INTERNAL);
    ENSURE(secret.len == td_hash_len(alg) && secret.len != 0,
           TD_ERR_INTERNAL);
    /* RFC 8446 7.3 */
    err = td_ks13_expand_label(alg, secret, "key", none, k.key, k.key_length);
    if (err == TD_OK) /* iv_length: 12, RFC 8446 5.3 */
        err = td_ks13_expand_label(alg, secret, "iv", none, k.iv,
                                   TD_AEAD_NONCE_LEN);
    if (err == TD_OK)
        *out = k;
    td_secure_zero(&k, sizeof k);
    return err;
}

/* ------------------------------------------------- Finished, binders */

td_err td_ks13_finished_key(td_hash_alg alg, td_span base_key, uint8_t *out)
{
    size_t hl = td_hash_len(alg);
    td_span none = {NULL, 0};

    ENSURE(hl != 0 && base_key.len == hl, TD_ERR_INTERNAL);
    return td_ks13_expand_label(alg, base_key, "finished", none, out, hl);
}

td_err td_ks13_verify_data(td_hash_alg alg, td_span base_key,
                           td_span transcript_hash, uint8_t *out)
{
    uint8_t finished_key[TD_HASH_MAX_LEN];
    size_t hl = td_hash_len(alg);
    td_span fk = {finished_key, hl};
    td_err err;

    ENSURE(hl != 0 && transcript_hash.len == hl, TD_ERR_INTERNAL);
    /* RFC 8446 4.4.4: verify_data = HMAC(finished_key, Transcript-Hash) */
    err = td_ks13_finished_key(alg, base_key, finished_key);
    if (err == TD_OK)
        err = td_hmac(alg, fk, transcript_hash, out);
    td_secure_zero(finished_key, sizeof finished_key);
    return err;
}

td_err td_ks13_finished_check(td_hash_alg alg, td_span base_key,
                              td_span transcript_hash, td_span verify_data)
{
    uint8_t want[TD_HASH_MAX_LEN];
    size_t hl = td_hash_len(alg);
    int same;

    /* RFC 8446 4.4.4: opaque verify_data[Hash.length]; another length
     * cannot be decoded (RFC 8446 6.2 decode_error) */
    ENSURE(verify_data.len == hl, TD_ALERT_DECODE_ERROR);
    TRY(td_ks13_verify_data(alg, base_key, transcript_hash, want));
    same = ct_equal(want, verify_data.p, hl);
#ifdef TD_INJECT_BUGS
    if (td_injected_bug == TD_BUG_SKIP_FINISHED) /* test-only */
        same = 1;
#endif
    td_secure_zero(want, sizeof want);
    /* RFC 8446 4.4.4: "if incorrect MUST terminate the connection with a
     * "decrypt_error" alert" */
    ENSURE(same, TD_ALERT_DECRYPT_ERROR);
    return TD_OK;
}

td_err td_ks13_binder(const td_ks13 *ks, td_ks13_psk_kind kind,
                      td_span binder_hash, uint8_t *out)
{
    uint8_t binder_key[TD_HASH_MAX_LEN];
    td_span bk = {binder_key, ks->hash_len};
    td_err err;

    /* RFC 8446 4.2.11.2: "computed in the same way as the Finished
     * message (Section 4.4.4) but with the BaseKey being the binder_key" */
    err = td_ks13_binder_key(ks, kind, binder_key);
    if (err == TD_OK)
        err = td_ks13_verify_data(ks->hash, bk, binder_hash, out);
    td_secure_zero(binder_key, sizeof binder_key);
    return err;
}

td_err td_ks13_binder_check(const td_ks13 *ks, td_ks13_psk_kind kind,
                            td_span binder_hash, td_span binder)
{
    uint8_t want[TD_HASH_MAX_LEN];
    int same;

    /* RFC 8446 4.2.11: PskBinderEntry<32..255> may be of any length in
     * the syntax; one that is not Hash.length long is well-formed but
     * cannot be this PSK's binder, so it fails validation like any other
     * wrong binder (decrypt_error below), without being compared */
    TRY(td_ks13_binder(ks, kind, binder_hash, want));
    same = binder.len == ks->hash_len &&
           ct_equal(want, binder.p, ks->hash_len);
    td_secure_zero(want, sizeof want);
    /* RFC 8446 4.2.11: the server "MUST validate the corresponding binder
     * value"; 6.2: decrypt_error covers failing to "validate ... a PSK
     * binder" */
    ENSURE(same, TD_ALERT_DECRYPT_ERROR);
    return TD_OK;
}

/* ------------------------------------------------------- message_hash */

td_err td_ks13_message_hash(td_hash_alg alg, td_span client_hello1, td_wr *wr)
{
    uint8_t h[TD_HASH_MAX_LEN];
    size_t hl = td_hash_len(alg);
    td_wr w = *wr;

    ENSURE(hl != 0, TD_ERR_INTERNAL);
    TRY(td_hash(alg, client_hello1, h));
    /* RFC 8446 4.4.1: Hash(message_hash ||        -- Handshake type
     *                      00 00 Hash.length  ||  -- Handshake message length
     *                      Hash(ClientHello1) ||  ...) */
    TRY(td_wr_u8(&w, TD_HS_MESSAGE_HASH));
    TRY(td_wr_u24(&w, (uint32_t)hl));
    TRY(td_wr_bytes(&w, h, hl));
    *wr = w;
    return TD_OK;
}
