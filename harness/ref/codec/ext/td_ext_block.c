/*
 * Extension blocks: RFC 8446 4.2, RFC 5246 7.4.1.4.
 *
 *     struct {
 *         ExtensionType extension_type;
 *         opaque extension_data<0..2^16-1>;
 *     } Extension;
 *
 *     enum { ..., (65535) } ExtensionType;
 *
 * The block codec checks what holds across a block: the framing, no type
 * twice, each known type allowed in the message that carries it, and
 * pre_shared_key last in a ClientHello. Each known extension's own body is
 * checked by its codec through td_ext_any_decode.
 */
#include "../td_codec_impl.h"

#include <string.h>

#ifdef TD_INJECT_BUGS
#include "td_inject.h"
#endif

#define CH (1u << TD_EXT_CTX_CLIENT_HELLO)
#define SH12 (1u << TD_EXT_CTX_SERVER_HELLO12)
#define SH (1u << TD_EXT_CTX_SERVER_HELLO13)
#define HRR (1u << TD_EXT_CTX_HELLO_RETRY_REQUEST)
#define EE (1u << TD_EXT_CTX_ENCRYPTED_EXTENSIONS)
#define CT (1u << TD_EXT_CTX_CERTIFICATE)
#define CR (1u << TD_EXT_CTX_CERTIFICATE_REQUEST)
#define NST (1u << TD_EXT_CTX_NEW_SESSION_TICKET)

/* Where each known extension may appear. The TLS 1.3 columns are the RFC
 * 8446 4.2 table (record_size_limit: RFC 8449 4). The SH12 column lists
 * what a TLS 1.2 server may answer (RFC 5246 7.4.1.4 and each extension's
 * RFC); the extensions only TLS 1.3 defines have no TLS 1.2 ServerHello
 * form. The TLS 1.2-only extensions (ec_point_formats, EMS, EtM,
 * session_ticket, renegotiation_info) have no TLS 1.3 form beyond the
 * ClientHello, which offers both versions at once.
 *
 * This table is the one answer to "where may this extension appear": the
 * block check, every typed decoder (td_ext_form_check) and every typed
 * encoder (td_ext_encode_check) read it. A codec only picks which of its
 * forms applies in a context the table allows. */
static const struct {
    uint16_t type;
    unsigned allowed;
} td_ext_table[] = {
    {TD_EXT_SERVER_NAME, CH | SH12 | EE},
    {TD_EXT_MAX_FRAGMENT_LENGTH, CH | SH12 | EE},
    {TD_EXT_STATUS_REQUEST, CH | SH12 | CR | CT},
    {TD_EXT_SUPPORTED_GROUPS, CH | EE},
    {TD_EXT_EC_POINT_FORMATS, CH | SH12},
    {TD_EXT_SIGNATURE_ALGORITHMS, CH | CR},
    {TD_EXT_USE_SRTP, CH | SH12 | EE},
    {TD_EXT_HEARTBEAT, CH | SH12 | EE},
    {TD_EXT_ALPN, CH | SH12 | EE},
    {TD_EXT_SIGNED_CERTIFICATE_TIMESTAMP, CH | SH12 | CR | CT},
    {TD_EXT_CLIENT_CERTIFICATE_TYPE, CH | SH12 | EE},
    {TD_EXT_SERVER_CERTIFICATE_TYPE, CH | SH12 | EE},
    {TD_EXT_PADDING, CH},
    {TD_EXT_ENCRYPT_THEN_MAC, CH | SH12},
    {TD_EXT_EXTENDED_MASTER_SECRET, CH | SH12},
    {TD_EXT_RECORD_SIZE_LIMIT, CH | SH12 | EE},
    {TD_EXT_SESSION_TICKET, CH | SH12},
    {TD_EXT_PRE_SHARED_KEY, CH | SH},
    {TD_EXT_EARLY_DATA, CH | EE | NST},
    {TD_EXT_SUPPORTED_VERSIONS, CH | SH | HRR},
    {TD_EXT_COOKIE, CH | HRR},
    {TD_EXT_PSK_KEY_EXCHANGE_MODES, CH},
    {TD_EXT_CERTIFICATE_AUTHORITIES, CH | CR},
    {TD_EXT_OID_FILTERS, CR},
    {TD_EXT_POST_HANDSHAKE_AUTH, CH},
    {TD_EXT_SIGNATURE_ALGORITHMS_CERT, CH | CR},
    {TD_EXT_KEY_SHARE, CH | SH | HRR},
    {TD_EXT_RENEGOTIATION_INFO, CH | SH12},
};

int td_ext_allowed(uint16_t type, td_ext_ctx ctx)
{
    size_t i;

    if ((unsigned)ctx >= TD_EXT_CTX_COUNT)
        return 0;
    for (i = 0; i < sizeof td_ext_table / sizeof td_ext_table[0]; i++)
        if (td_ext_table[i].type == type)
            return (td_ext_table[i].allowed >> ctx) & 1u;
    return 1; /* unknown: the receiver ignores it (RFC 8446 4.2) */
}

td_err td_ext_form_check(uint16_t type, td_ext_ctx ctx)
{
    ENSURE((unsigned)ctx < TD_EXT_CTX_COUNT, TD_ERR_INTERNAL);
    /* RFC 8446 4.2: "If an implementation receives an extension which it
     * recognizes and which is not specified for the message in which it
     * appears, it MUST abort the handshake with an "illegal_parameter"
     * alert." */
    ENSURE(td_ext_allowed(type, ctx), TD_ALERT_ILLEGAL_PARAMETER);
    return TD_OK;
}

td_err td_ext_encode_check(uint16_t type, td_ext_ctx ctx)
{
    /* the same table; no form to write is a caller bug, not an alert */
    ENSURE(td_ext_form_check(type, ctx) == TD_OK, TD_ERR_INTERNAL);
    return TD_OK;
}

void td_ext_iter_init(td_ext_iter *it, td_span body)
{
    td_rd_init_span(&it->rd, body);
}

td_err td_ext_iter_next(td_ext_iter *it, uint16_t *type, td_span *data,
                        int *got)
{
    td_rd r = it->rd, body;
    uint16_t t;

    if (td_rd_left(&r) == 0) {
        *got = 0;
        return TD_OK;
    }
    TRY(td_rd_u16(&r, &t));
    TRY(td_rd_vec16(&r, 0, 0xffff, &body));
    td_rd_rest(&body, data);
    *type = t;
    *got = 1;
    it->rd = r;
    return TD_OK;
}

td_err td_ext_block_check(td_span body, td_ext_ctx ctx)
{
    /* One bit per ExtensionType: a block holds at most 2^16-1 bytes, so
     * up to 16383 extensions; a bitmap keeps the duplicate check linear. */
    uint8_t seen[65536 / 8];
    td_ext_iter it;
    uint16_t type;
    td_span data;
    int got;

    ENSURE((unsigned)ctx < TD_EXT_CTX_COUNT, TD_ERR_INTERNAL);
    memset(seen, 0, sizeof seen);
    td_ext_iter_init(&it, body);
    for (;;) {
        td_ext_any any;

        TRY(td_ext_iter_next(&it, &type, &data, &got));
        if (!got)
            break;
        /* RFC 8446 4.2: "There MUST NOT be more than one extension of the
         * same type in a given extension block." RFC 5246 7.4.1.4: "There
         * MUST NOT be more than one extension of the same type." Neither
         * names the alert; illegal_parameter is RFC 8446 6.2's "a field in
         * the handshake was incorrect or inconsistent with other fields". */
#ifdef TD_INJECT_BUGS
        if (td_injected_bug == TD_BUG_DUP_EXTENSION) /* test-only */
            seen[type >> 3] &= (uint8_t)~(1u << (type & 7));
#endif
        ENSURE(!(seen[type >> 3] & (1u << (type & 7))),
               TD_ALERT_ILLEGAL_PARAMETER);
        seen[type >> 3] |= (uint8_t)(1u << (type & 7));
        /* RFC 8446 4.2: "If an implementation receives an extension which
         * it recognizes and which is not specified for the message in
         * which it appears, it MUST abort the handshake with an
         * "illegal_parameter" alert." */
        ENSURE(td_ext_allowed(type, ctx), TD_ALERT_ILLEGAL_PARAMETER);
        /* RFC 8446 4.2.11: "The "pre_shared_key" extension MUST be the
         * last extension in the ClientHello ... Servers MUST check that it
         * is the last extension and otherwise fail the handshake with an
         * "illegal_parameter" alert." */
        ENSURE(!(ctx == TD_EXT_CTX_CLIENT_HELLO &&
                 type == TD_EXT_PRE_SHARED_KEY && td_rd_left(&it.rd) != 0),
               TD_ALERT_ILLEGAL_PARAMETER);
        /* each known extension in the form this message gives it */
        TRY(td_ext_any_decode(type, data, ctx, &any));
    }
    return TD_OK;
}

td_err td_ext_block_decode(td_rd *rd, td_ext_ctx ctx, size_t min, td_span *out)
{
    td_rd r = *rd, body;
    td_span s;

    TRY(td_rd_vec16(&r, min, 0xffff, &body));
    td_rd_rest(&body, &s);
    TRY(td_ext_block_check(s, ctx));
    *out = s;
    *rd = r;
    return TD_OK;
}

int td_ext_find(td_span body, uint16_t type, td_span *data)
{
    td_ext_iter it;
    uint16_t t;
    td_span d;
    int got;

    td_ext_iter_init(&it, body);
    while (td_ext_iter_next(&it, &t, &d, &got) == TD_OK && got)
        if (t == type) {
            *data = d;
            return 1;
        }
    return 0;
}

td_err td_ext_write(td_wr *wr, uint16_t type, td_span data)
{
    td_wr w = *wr;

    TRY(td_wr_u16(&w, type));
    /* extension_data<0..2^16-1>: a longer one has no wire form */
    TRY(td_codec_vec_write(&w, 2, data));
    *wr = w;
    return TD_OK;
}
