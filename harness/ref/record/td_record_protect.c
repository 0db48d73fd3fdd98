/*
 * Record protection: RFC 8446 5.2, 5.3, 5.4 (TLS 1.3) and RFC 5246
 * 6.2.3.3 with RFC 5288 3 (AES-GCM) and RFC 7905 2 (ChaCha20-Poly1305)
 * (TLS 1.2 AEAD cipher suites).
 *
 * TLS 1.3 (RFC 8446 5.2):
 *
 *     struct {
 *         opaque content[TLSPlaintext.length];
 *         ContentType type;
 *         uint8 zeros[length_of_padding];
 *     } TLSInnerPlaintext;
 *
 *     struct {
 *         ContentType opaque_type = application_data; /+ 23 +/
 *         ProtocolVersion legacy_record_version = 0x0303; /+ TLS v1.2 +/
 *         uint16 length;
 *         opaque encrypted_record[TLSCiphertext.length];
 *     } TLSCiphertext;
 *
 *     additional_data = TLSCiphertext.opaque_type ||
 *                       TLSCiphertext.legacy_record_version ||
 *                       TLSCiphertext.length
 *
 *     AEADEncrypted =
 *         AEAD-Encrypt(write_key, nonce, additional_data, plaintext)
 *
 *   RFC 8446 5.3, the per-record nonce:
 *     1. The 64-bit record sequence number is encoded in network byte
 *        order and padded to the left with zeros to iv_length.
 *     2. The padded sequence number is XORed with either the static
 *        client_write_iv or server_write_iv (depending on the role).
 *
 * TLS 1.2 (RFC 5246 6.2.3.3):
 *
 *     struct {
 *        opaque nonce_explicit[SecurityParameters.record_iv_length];
 *        aead-ciphered struct {
 *            opaque content[TLSCompressed.length];
 *        };
 *     } GenericAEADCipher;
 *
 *     additional_data = seq_num + TLSCompressed.type +
 *                       TLSCompressed.version + TLSCompressed.length;
 *
 *     AEADEncrypted = AEAD-Encrypt(write_key, nonce, plaintext,
 *                                  additional_data)
 *
 *   RFC 5288 3 (AES-GCM):
 *
 *     struct {
 *        opaque salt[4];
 *        opaque nonce_explicit[8];
 *     } GCMNonce;
 *
 *     salt = client_write_IV or server_write_IV (fixed_iv_length 4);
 *     "The nonce_explicit MAY be the 64-bit sequence number."
 *
 *   RFC 7905 2 (ChaCha20-Poly1305): record_iv_length is 0 (no
 *   nonce_explicit), fixed_iv_length 12, and the nonce is
 *     1. the 64-bit record sequence number serialized as an 8-byte,
 *        big-endian value and padded on the left with four 0x00 bytes,
 *     2. XORed with the client_write_IV or server_write_IV.
 *
 * Null compression is the only one (TLSCompressed = TLSPlaintext). The
 * record framing (header, length limits, content types) is td_record's
 * codec; the AEAD is td_crypto's. A plaintext copy lives in a stack
 * scratch buffer that is wiped on every return.
 */
#include "td_protect.h"

#include <string.h>

/* Room for the largest fragment of either version (RFC 5246 6.2.3:
 * 2^14 + 2048), which also holds the largest TLS 1.3 inner plaintext
 * plus its tag. */
#define SCRATCH_LEN TD_MAX_CIPHERTEXT12_LEN

/* TLS 1.3 TLSCiphertext.legacy_record_version, and the version of every
 * TLS 1.2 record the reference sends (RFC 8446 5.2, RFC 5246 6.2.1). */
#define RECORD_VERSION 0x0303u

typedef struct work {
    uint8_t buf[SCRATCH_LEN];
    uint8_t nonce[TD_AEAD_NONCE_LEN];
} work;

void td_protect_reset(td_protect *st) { td_secure_zero(st, sizeof *st); }

static int alg_known(td_aead_alg alg)
{
    return alg == TD_AEAD_AES_128_GCM || alg == TD_AEAD_AES_256_GCM ||
           alg == TD_AEAD_CHACHA20_POLY1305;
}

static int is_tls12_gcm(const td_protect *st)
{
    return st->version == TD_RECORD_TLS12 &&
           st->alg != TD_AEAD_CHACHA20_POLY1305;
}

td_err td_protect_install(td_protect *st, td_record_version version,
                          td_aead_alg alg, td_span key, td_span iv)
{
    size_t want_iv;

    ENSURE(version == TD_RECORD_TLS12 || version == TD_RECORD_TLS13,
           TD_ERR_INTERNAL);
    ENSURE(alg_known(alg), TD_ERR_INTERNAL);
    /* RFC 5288 3: fixed_iv_length 4 for TLS 1.2 AES-GCM; RFC 8446 5.3
     * and RFC 7905 2: 12 otherwise */
    want_iv = (version == TD_RECORD_TLS12 && alg != TD_AEAD_CHACHA20_POLY1305)
                  ? TD_PROTECT12_GCM_SALT_LEN
                  : TD_PROTECT_IV_LEN;
    ENSURE(key.len == td_aead_key_len(alg) && key.len <= TD_AEAD_MAX_KEY_LEN &&
               key.p != NULL,
           TD_ERR_INTERNAL);
    ENSURE(iv.len == want_iv && iv.p != NULL, TD_ERR_INTERNAL);
    td_protect_reset(st);
    st->installed = 1;
    st->version = version;
    st->alg = alg;
    st->key_len = key.len;
    memcpy(st->key, key.p, key.len);
    st->iv_len = iv.len;
    memcpy(st->iv, iv.p, iv.len);
    /* RFC 8446 5.3: "the first record transmitted under a particular
     * traffic key MUST use sequence number 0"; RFC 5246 6.1 likewise */
    st->seq = 0;
    st->seq_exhausted = 0;
    return TD_OK;
}

static td_err usable(const td_protect *st)
{
    ENSURE(st->installed, TD_ERR_INTERNAL);
    /* RFC 8446 5.3: sequence numbers MUST NOT wrap (rekey or terminate);
     * RFC 5246 6.1: "Sequence numbers do not wrap." */
    ENSURE(!st->seq_exhausted, TD_ERR_NOSPACE);
    return TD_OK;
}

/* After a record was sealed or opened (RFC 8446 5.3, RFC 5246 6.1). The
 * record with 2^64-1 is the last: after it the state refuses to work. */
static void seq_advance(td_protect *st)
{
    if (st->seq == UINT64_MAX)
        st->seq_exhausted = 1;
    else
        st->seq++;
}

static td_span key_span(const td_protect *st)
{
    td_span s = {st->key, st->key_len};
    return s;
}

/* RFC 8446 5.3, RFC 7905 2: write_iv XOR seq, big-endian, left-padded
 * with zeros to 12 bytes. */
static void nonce_xor(const td_protect *st, uint64_t seq,
                      uint8_t nonce[TD_AEAD_NONCE_LEN])
{
    unsigned i;

    memcpy(nonce, st->iv, TD_AEAD_NONCE_LEN);
    for (i = 0; i < 8; i++)
        nonce[TD_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(seq >> (8 * i));
}

/* RFC 5288 3: GCMNonce = salt[4] || nonce_explicit[8] */
static void nonce_gcm12(const td_protect *st, uint64_t nonce_explicit,
                        uint8_t nonce[TD_AEAD_NONCE_LEN])
{
    unsigned i;

    memcpy(nonce, st->iv, TD_PROTECT12_GCM_SALT_LEN);
    for (i = 0; i < 8; i++)
        nonce[TD_AEAD_NONCE_LEN - 1 - i] = (uint8_t)(nonce_explicit >> (8 * i));
}

/* RFC 8446 5.2: additional_data = opaque_type || legacy_record_version ||
 * length (the record header as it is on the wire). */
static td_err aad13(uint8_t aad[TD_RECORD_HEADER_LEN], uint8_t type,
                    uint16_t version, size_t length)
{
    td_wr w;

    td_wr_init(&w, aad, TD_RECORD_HEADER_LEN);
    TRY(td_wr_u8(&w, type));
    TRY(td_wr_u16(&w, version));
    return td_wr_u16(&w, (uint32_t)length);
}

/* RFC 5246 6.2.3.3: additional_data = seq_num + TLSCompressed.type +
 * TLSCompressed.version + TLSCompressed.length (the plaintext length). */
#define AAD12_LEN 13u
static td_err aad12(uint8_t aad[AAD12_LEN], uint64_t seq, uint8_t type,
                    uint16_t version, size_t length)
{
    td_wr w;

    td_wr_init(&w, aad, AAD12_LEN);
    TRY(td_wr_u32(&w, (uint32_t)(seq >> 32)));
    TRY(td_wr_u32(&w, (uint32_t)seq));
    TRY(td_wr_u8(&w, type));
    TRY(td_wr_u16(&w, version));
    return td_wr_u16(&w, (uint32_t)length);
}

/* ------------------------------------------------------------------------
 * Seal
 * ------------------------------------------------------------------------ */

static td_err seal13(td_protect *st, uint8_t type, td_span content,
                     size_t length_of_padding, td_wr *wr, work *k)
{
    static const td_record_mode mode = {TD_RECORD_TLS13,
                                        TD_RECORD_PROTECTED};
    td_inner_plaintext ip;
    td_record rec;
    td_span inner;
    td_wr w;
    uint8_t aad[TD_RECORD_HEADER_LEN];

    ip.content = content;
    ip.type = type;
    ip.length_of_padding = length_of_padding;
    /* RFC 8446 5.4: padding all zeros, no zero-length handshake/alert
     * content, at most 2^14 + 1 octets (TD_ERR_INTERNAL: MUST NOT send) */
    td_wr_init(&w, k->buf, SCRATCH_LEN - TD_AEAD_TAG_LEN);
    TRY(td_inner_plaintext_encode(&w, &ip));
    TRY(td_wr_finish(&w, &inner));
    /* RFC 8446 5.2: length = inner plaintext + AEAD expansion */
    TRY(aad13(aad, TD_CT_APPLICATION_DATA, RECORD_VERSION,
              inner.len + TD_AEAD_TAG_LEN));
    nonce_xor(st, st->seq, k->nonce);
    {
        td_span a = {aad, sizeof aad};
        TRY(td_aead_seal(st->alg, key_span(st), k->nonce, a, inner, k->buf));
    }
    rec.type = TD_CT_APPLICATION_DATA; /* RFC 8446 5.2 opaque_type */
    rec.legacy_record_version = RECORD_VERSION;
    rec.fragment.p = k->buf;
    rec.fragment.len = inner.len + TD_AEAD_TAG_LEN;
    TRY(td_record_encode(wr, mode, &rec));
    seq_advance(st);
    return TD_OK;
}

static td_err seal12(td_protect *st, uint8_t type, td_span content,
                     uint64_t nonce_explicit, td_wr *wr, work *k)
{
    static const td_record_mode mode = {TD_RECORD_TLS12,
                                        TD_RECORD_PROTECTED};
    td_record rec;
    td_span plain, a;
    td_wr w;
    size_t explicit_len = 0;
    uint8_t aad[AAD12_LEN];

    /* RFC 5246 6.2.1: TLSPlaintext.length MUST NOT exceed 2^14 */
    ENSURE(content.len <= TD_MAX_PLAINTEXT_LEN, TD_ERR_INTERNAL);
    /* RFC 5246 6.2.1: MUST NOT send zero-length fragments of Handshake,
     * Alert, or ChangeCipherSpec content types */
    ENSURE(content.len > 0 || type == TD_CT_APPLICATION_DATA,
           TD_ERR_INTERNAL);
    td_wr_init(&w, k->buf, SCRATCH_LEN);
    if (is_tls12_gcm(st)) {
        /* RFC 5288 3: nonce_explicit is sent before the ciphertext */
        TRY(td_wr_u32(&w, (uint32_t)(nonce_explicit >> 32)));
        TRY(td_wr_u32(&w, (uint32_t)nonce_explicit));
        explicit_len = TD_PROTECT12_GCM_EXPLICIT_LEN;
        nonce_gcm12(st, nonce_explicit, k->nonce);
    } else {
        nonce_xor(st, st->seq, k->nonce); /* RFC 7905 2 */
    }
    TRY(td_wr_span(&w, content));
    TRY(aad12(aad, st->seq, type, RECORD_VERSION, content.len));
    plain.p = k->buf + explicit_len;
    plain.len = content.len;
    a.p = aad;
    a.len = sizeof aad;
    TRY(td_aead_seal(st->alg, key_span(st), k->nonce, a, plain,
                     k->buf + explicit_len));
    rec.type = type;
    rec.legacy_record_version = RECORD_VERSION;
    rec.fragment.p = k->buf;
    rec.fragment.len = explicit_len + content.len + TD_AEAD_TAG_LEN;
    /* RFC 5246 6.2.3: TLSCiphertext.length <= 2^14 + 2048; known type */
    TRY(td_record_encode(wr, mode, &rec));
    seq_advance(st);
    return TD_OK;
}

td_err td_protect_seal(td_protect *st, uint8_t type, td_span content,
                       size_t length_of_padding, td_wr *wr)
{
    work k;
    td_err err;

    TRY(usable(st));
    if (st->version == TD_RECORD_TLS13) {
        err = seal13(st, type, content, length_of_padding, wr, &k);
    } else {
        /* TLS 1.2 AEAD records carry no padding */
        ENSURE(length_of_padding == 0, TD_ERR_INTERNAL);
        /* RFC 5288 3: "The nonce_explicit MAY be the 64-bit sequence
         * number" (distinct for every record under one key) */
        err = seal12(st, type, content, st->seq, wr, &k);
    }
    td_secure_zero(&k, sizeof k);
    return err;
}

/* ------------------------------------------------------------------------
 * Seal without the sending rules (the scripted peer's records)
 * ------------------------------------------------------------------------ */

/* Room for the largest unchecked content, the TLS 1.3 inner type or the
 * TLS 1.2 nonce_explicit, and the tag. */
typedef struct work_unchecked {
    uint8_t buf[TD_RECORD_UNCHECKED_MAX + TD_PROTECT12_GCM_EXPLICIT_LEN +
                TD_AEAD_TAG_LEN];
    uint8_t nonce[TD_AEAD_NONCE_LEN];
} work_unchecked;

/* The fragment into k->buf, *type_out the record header's type: TLS 1.3
 * TLSInnerPlaintext{content, type} with no padding (RFC 8446 5.2, 5.4);
 * TLS 1.2 GenericAEADCipher (RFC 5246 6.2.3.3, RFC 5288 3, RFC 7905 2).
 * No limit of those clauses is checked. */
static td_err seal_unchecked(td_protect *st, uint8_t type, td_span content,
                             work_unchecked *k, td_span *frag,
                             uint8_t *type_out)
{
    uint8_t aad[AAD12_LEN];
    size_t explicit_len = 0, plain_len = content.len;
    td_span a, plain;

    ENSURE(content.len <= TD_RECORD_UNCHECKED_MAX, TD_ERR_INTERNAL);
    if (st->version == TD_RECORD_TLS13) {
        if (content.len)
            memcpy(k->buf, content.p, content.len);
        k->buf[content.len] = type;
        plain_len++;
        TRY(aad13(aad, TD_CT_APPLICATION_DATA, RECORD_VERSION,
                  plain_len + TD_AEAD_TAG_LEN));
        a.len = TD_RECORD_HEADER_LEN;
        nonce_xor(st, st->seq, k->nonce);
        *type_out = TD_CT_APPLICATION_DATA;
    } else {
        if (is_tls12_gcm(st)) {
            unsigned i;

            for (i = 0; i < 8; i++)
                k->buf[i] = (uint8_t)(st->seq >> (56 - 8 * i));
            explicit_len = TD_PROTECT12_GCM_EXPLICIT_LEN;
            nonce_gcm12(st, st->seq, k->nonce);
        } else {
            nonce_xor(st, st->seq, k->nonce);
        }
        if (content.len)
            memcpy(k->buf + explicit_len, content.p, content.len);
        TRY(aad12(aad, st->seq, type, RECORD_VERSION, content.len));
        a.len = AAD12_LEN;
        *type_out = type;
    }
    a.p = aad;
    plain.p = k->buf + explicit_len;
    plain.len = plain_len;
    TRY(td_aead_seal(st->alg, key_span(st), k->nonce, a, plain,
                     k->buf + explicit_len));
    frag->p = k->buf;
    frag->len = explicit_len + plain_len + TD_AEAD_TAG_LEN;
    return TD_OK;
}

td_err td_protect_seal_unchecked(td_protect *st, uint8_t type,
                                 td_span content, td_wr *wr)
{
    work_unchecked k;
    td_record rec;
    td_err err;

    TRY(usable(st));
    err = seal_unchecked(st, type, content, &k, &rec.fragment, &rec.type);
    rec.legacy_record_version = RECORD_VERSION;
    if (err == TD_OK)
        err = td_record_encode_unchecked(wr, &rec);
    if (err == TD_OK)
        seq_advance(st);
    td_secure_zero(&k, sizeof k);
    return err;
}

td_err td_protect12_seal_explicit(td_protect *st, uint8_t type,
                                  td_span content, uint64_t nonce_explicit,
                                  td_wr *wr)
{
    work k;
    td_err err;

    TRY(usable(st));
    ENSURE(is_tls12_gcm(st), TD_ERR_INTERNAL);
    err = seal12(st, type, content, nonce_explicit, wr, &k);
    td_secure_zero(&k, sizeof k);
    return err;
}

/* ------------------------------------------------------------------------
 * Open
 * ------------------------------------------------------------------------ */

static td_err open13(const td_protect *st, const td_record *rec, work *k,
                     td_protect_plain *plain)
{
    td_inner_plaintext ip;
    td_span a, cleartext;
    uint8_t aad[TD_RECORD_HEADER_LEN];

    /* RFC 8446 5.2: opaque_type is application_data. The codec lets an
     * unprotected change_cipher_spec through for the caller to drop
     * (RFC 8446 5); handed to open, it is unexpected_message as any
     * change_cipher_spec that may not be dropped (RFC 8446 5). */
    ENSURE(rec->type == TD_CT_APPLICATION_DATA, TD_ALERT_UNEXPECTED_MESSAGE);
    /* TLSCiphertext.length <= 2^14 + 256 was checked by td_record_decode
     * (RFC 8446 5.2, record_overflow). A fragment shorter than the tag
     * cannot authenticate: RFC 8446 5.2 bad_record_mac. */
    ENSURE(rec->fragment.len >= TD_AEAD_TAG_LEN, TD_ALERT_BAD_RECORD_MAC);
    /* RFC 8446 5.2: additional_data is the header as received */
    TRY(aad13(aad, rec->type, rec->legacy_record_version,
              rec->fragment.len));
    nonce_xor(st, st->seq, k->nonce);
    a.p = aad;
    a.len = sizeof aad;
    /* RFC 8446 5.2: "If the decryption fails, the receiver MUST terminate
     * the connection with a "bad_record_mac" alert." */
    TRY(td_aead_open(st->alg, key_span(st), k->nonce, a, rec->fragment,
                     k->buf));
    cleartext.p = k->buf;
    cleartext.len = rec->fragment.len - TD_AEAD_TAG_LEN;
    /* RFC 8446 5.4: record_overflow over 2^14 + 1 octets; no non-zero
     * octet (no content type), zero-length handshake/alert content, or a
     * protected change_cipher_spec: unexpected_message (RFC 8446 5.4, 5) */
    TRY(td_inner_plaintext_decode(cleartext, &ip));
    plain->type = ip.type;
    plain->content = ip.content;
    plain->length_of_padding = ip.length_of_padding;
    return TD_OK;
}

static td_err open12(const td_protect *st, const td_record *rec, work *k,
                     td_protect_plain *plain)
{
    td_rd f;
    td_span ct, a;
    size_t explicit_len = is_tls12_gcm(st) ? TD_PROTECT12_GCM_EXPLICIT_LEN : 0;
    size_t plen;
    uint32_t hi, lo;
    uint8_t aad[AAD12_LEN];

    /* TLSCiphertext.length <= 2^14 + 2048 was checked by td_record_decode
     * (RFC 5246 6.2.3, record_overflow). A fragment shorter than
     * nonce_explicit + tag cannot authenticate: bad_record_mac
     * (RFC 5246 6.2.3.3). */
    ENSURE(rec->fragment.len >= explicit_len + TD_AEAD_TAG_LEN,
           TD_ALERT_BAD_RECORD_MAC);
    td_rd_init_span(&f, rec->fragment);
    if (explicit_len) {
        /* RFC 5288 3: salt || nonce_explicit from the record */
        TRY(td_rd_u32(&f, &hi));
        TRY(td_rd_u32(&f, &lo));
        nonce_gcm12(st, ((uint64_t)hi << 32) | lo, k->nonce);
    } else {
        nonce_xor(st, st->seq, k->nonce); /* RFC 7905 2 */
    }
    td_rd_rest(&f, &ct);
    plen = ct.len - TD_AEAD_TAG_LEN;
    /* RFC 5246 6.2.3.3: TLSCompressed.version is the received record's;
     * the length is that of the plaintext */
    TRY(aad12(aad, st->seq, rec->type, rec->legacy_record_version, plen));
    a.p = aad;
    a.len = sizeof aad;
    /* RFC 5246 6.2.3.3, 7.2.2: decryption failure is bad_record_mac */
    TRY(td_aead_open(st->alg, key_span(st), k->nonce, a, ct, k->buf));
    /* RFC 5246 6.2.1: TLSPlaintext.length MUST NOT exceed 2^14 (null
     * compression: TLSCompressed = TLSPlaintext); RFC 5246 7.2.2 answers
     * a record that decrypts too long with record_overflow */
    ENSURE(plen <= TD_MAX_PLAINTEXT_LEN, TD_ALERT_RECORD_OVERFLOW);
    plain->type = rec->type;
    plain->content.p = k->buf;
    plain->content.len = plen;
    plain->length_of_padding = 0;
    return TD_OK;
}

td_err td_protect_open(td_protect *st, td_rd *rd, uint8_t *buf, size_t cap,
                       td_protect_plain *out)
{
    td_record_mode mode;
    td_protect_plain plain;
    td_record rec;
    td_rd r = *rd;
    work k;
    td_err err;

    TRY(usable(st));
    ENSURE(buf != NULL || cap == 0, TD_ERR_INTERNAL);
    mode.version = st->version;
    mode.protection = TD_RECORD_PROTECTED;
    /* decode_error (truncated), unexpected_message (unknown type),
     * record_overflow (RFC 8446 5.2, RFC 5246 6.2.3) */
    TRY(td_record_decode(&r, mode, &rec));
    if (st->version == TD_RECORD_TLS13)
        err = open13(st, &rec, &k, &plain);
    else
        err = open12(st, &rec, &k, &plain);
    if (err == TD_OK && plain.content.len > cap)
        err = TD_ERR_NOSPACE;
    if (err == TD_OK) {
        if (plain.content.len)
            memcpy(buf, plain.content.p, plain.content.len);
        plain.content.p = buf;
        *out = plain;
        *rd = r;
        seq_advance(st);
    }
    td_secure_zero(&k, sizeof k);
    return err;
}
