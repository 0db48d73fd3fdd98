/*
 * Record layer framing: RFC 8446 5.1, 5.2, 5.4 (B.1) and RFC 5246 6.2.
 *
 *     enum {
 *         invalid(0),
 *         change_cipher_spec(20),
 *         alert(21),
 *         handshake(22),
 *         application_data(23),
 *         heartbeat(24),  /+ RFC 6520 +/
 *         (255)
 *     } ContentType;
 *
 *     struct {
 *         ContentType type;
 *         ProtocolVersion legacy_record_version;
 *         uint16 length;
 *         opaque fragment[TLSPlaintext.length];
 *     } TLSPlaintext;
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
 * (RFC 5246 6.2.3's TLSCiphertext has the same header; its fragment is a
 * GenericStreamCipher/BlockCipher/AEADCipher, opaque to this codec.)
 *
 * (Comments inside the quoted structs are written /+ +/ here.)
 *
 * legacy_record_version is not checked: RFC 8446 5.1 says it "MUST be
 * ignored for all purposes"; RFC 5246 version checks belong to the
 * handshake layer (RFC 5246 E.1).
 */
#include "td_record.h"

static int ct_known(uint8_t type)
{
    return type == TD_CT_CHANGE_CIPHER_SPEC || type == TD_CT_ALERT ||
           type == TD_CT_HANDSHAKE || type == TD_CT_APPLICATION_DATA ||
           type == TD_CT_HEARTBEAT;
}

size_t td_record_max_len(td_record_mode mode, uint8_t type)
{
    if (mode.version == TD_RECORD_TLS13) {
        /* RFC 8446 5.1: "Application Data records MUST NOT be written to
         * the wire unprotected", so a TLS 1.3 application_data record is
         * always a TLSCiphertext (also 0-RTT data a server skips). */
        if (type == TD_CT_APPLICATION_DATA)
            return TD_MAX_CIPHERTEXT13_LEN; /* RFC 8446 5.2 */
        return TD_MAX_PLAINTEXT_LEN;        /* RFC 8446 5.1 */
    }
    if (mode.protection == TD_RECORD_PROTECTED)
        return TD_MAX_CIPHERTEXT12_LEN; /* RFC 5246 6.2.3 */
    return TD_MAX_PLAINTEXT_LEN;        /* RFC 5246 6.2.1 */
}

/* The rules that depend on type and length only; err is what a receiver
 * answers (decode) or TD_ERR_INTERNAL (encode: MUST NOT send). */
static td_err record_check(td_record_mode mode, uint8_t type, size_t length,
                           int sending)
{
    /* RFC 8446 5, RFC 5246 6: unexpected record type */
    ENSURE(ct_known(type),
           sending ? TD_ERR_INTERNAL : TD_ALERT_UNEXPECTED_MESSAGE);
    if (mode.version == TD_RECORD_TLS13 &&
        mode.protection == TD_RECORD_PROTECTED) {
        /* RFC 8446 5.2: opaque_type is always application_data; the only
         * record that may still arrive unprotected is change_cipher_spec
         * (RFC 8446 5). */
        ENSURE(type == TD_CT_APPLICATION_DATA ||
                   type == TD_CT_CHANGE_CIPHER_SPEC,
               sending ? TD_ERR_INTERNAL : TD_ALERT_UNEXPECTED_MESSAGE);
    }
    /* RFC 8446 5.1, 5.2; RFC 5246 6.2.1, 6.2.3 */
    ENSURE(length <= td_record_max_len(mode, type),
           sending ? TD_ERR_INTERNAL : TD_ALERT_RECORD_OVERFLOW);
    if (length == 0 && (type == TD_CT_HANDSHAKE || type == TD_CT_ALERT)) {
        /* RFC 8446 5.1: MUST NOT send zero-length fragments of Handshake
         * types; an Alert record carries exactly one message. RFC 8446 5.4
         * names the receiver's answer for the protected case
         * (unexpected_message); the reference answers the same for the
         * unprotected one. TLS 1.2 receivers are not told to check
         * (RFC 5246 6.2.1 only forbids sending), so it is accepted. */
        if (sending)
            return TD_ERR_INTERNAL;
        ENSURE(mode.version != TD_RECORD_TLS13, TD_ALERT_UNEXPECTED_MESSAGE);
    }
    if (sending && length == 0 && type == TD_CT_CHANGE_CIPHER_SPEC)
        return TD_ERR_INTERNAL; /* RFC 5246 6.2.1 */
    return TD_OK;
}

td_err td_record_header_decode(td_rd *rd, td_record_mode mode, uint8_t *type,
                               uint16_t *legacy_record_version,
                               uint16_t *length)
{
    td_rd r = *rd;
    uint8_t t;
    uint16_t v, n;

    TRY(td_rd_u8(&r, &t));
    TRY(td_rd_u16(&r, &v));
    TRY(td_rd_u16(&r, &n));
    TRY(record_check(mode, t, n, 0));
    *type = t;
    *legacy_record_version = v;
    *length = n;
    *rd = r;
    return TD_OK;
}

td_err td_record_decode(td_rd *rd, td_record_mode mode, td_record *out)
{
    td_rd r = *rd;
    td_record rec;
    uint16_t length;

    TRY(td_record_header_decode(&r, mode, &rec.type,
                                &rec.legacy_record_version, &length));
    TRY(td_rd_span(&r, length, &rec.fragment));
    *out = rec;
    *rd = r;
    return TD_OK;
}

td_err td_record_encode(td_wr *wr, td_record_mode mode, const td_record *rec)
{
    TRY(record_check(mode, rec->type, rec->fragment.len, 1));
    return td_record_encode_unchecked(wr, rec);
}

td_err td_record_encode_unchecked(td_wr *wr, const td_record *rec)
{
    td_wr w = *wr;

    ENSURE(rec->fragment.len <= 0xffff, TD_ERR_INTERNAL); /* uint16 length */
    TRY(td_wr_u8(&w, rec->type));
    TRY(td_wr_u16(&w, rec->legacy_record_version));
    TRY(td_wr_u16(&w, (uint32_t)rec->fragment.len));
    TRY(td_wr_span(&w, rec->fragment));
    *wr = w;
    return TD_OK;
}

td_err td_inner_plaintext_decode(td_span cleartext, td_inner_plaintext *out)
{
    td_rd r;
    td_inner_plaintext ip = {{NULL, 0}, 0, 0};
    size_t i, type_at = 0;
    int found = 0;
    uint8_t b;

    /* RFC 8446 5.4: the full encoded TLSInnerPlaintext MUST NOT exceed
     * 2^14 + 1 octets (record_overflow as for 5.1/5.2 lengths). */
    ENSURE(cleartext.len <= TD_MAX_INNER_PLAINTEXT_LEN,
           TD_ALERT_RECORD_OVERFLOW);
    /* RFC 8446 5.4: the content type is the last non-zero octet. A forward
     * scan through the reader keeps all peer-byte access in td_rd. */
    td_rd_init_span(&r, cleartext);
    for (i = 0; i < cleartext.len; i++) {
        TRY(td_rd_u8(&r, &b));
        if (b != 0) {
            ip.type = b;
            type_at = i;
            found = 1;
        }
    }
    /* RFC 8446 5.4: no non-zero octet is unexpected_message */
    ENSURE(found, TD_ALERT_UNEXPECTED_MESSAGE);
    /* RFC 8446 5: unexpected record type; a protected change_cipher_spec
     * MUST be answered with unexpected_message. */
    ENSURE(ct_known(ip.type) && ip.type != TD_CT_CHANGE_CIPHER_SPEC,
           TD_ALERT_UNEXPECTED_MESSAGE);
    /* RFC 8446 5.4: zero-length Handshake or Alert content */
    ENSURE(type_at > 0 ||
               (ip.type != TD_CT_HANDSHAKE && ip.type != TD_CT_ALERT),
           TD_ALERT_UNEXPECTED_MESSAGE);
    td_rd_init_span(&r, cleartext);
    TRY(td_rd_span(&r, type_at, &ip.content));
    ip.length_of_padding = cleartext.len - type_at - 1;
    *out = ip;
    return TD_OK;
}

td_err td_inner_plaintext_encode(td_wr *wr, const td_inner_plaintext *in)
{
    td_wr w = *wr;
    size_t i;

    ENSURE(ct_known(in->type) && in->type != TD_CT_CHANGE_CIPHER_SPEC,
           TD_ERR_INTERNAL);
    /* RFC 8446 5.4: MUST NOT send zero-length Handshake/Alert content */
    ENSURE(in->content.len > 0 ||
               (in->type != TD_CT_HANDSHAKE && in->type != TD_CT_ALERT),
           TD_ERR_INTERNAL);
    /* RFC 8446 5.4: at most 2^14 + 1 octets in all */
    ENSURE(in->content.len <= TD_MAX_INNER_PLAINTEXT_LEN - 1 &&
               in->length_of_padding <=
                   TD_MAX_INNER_PLAINTEXT_LEN - 1 - in->content.len,
           TD_ERR_INTERNAL);
    TRY(td_wr_span(&w, in->content));
    TRY(td_wr_u8(&w, in->type));
    for (i = 0; i < in->length_of_padding; i++)
        TRY(td_wr_u8(&w, 0)); /* RFC 8446 5.4: padding is all zeros */
    *wr = w;
    return TD_OK;
}
