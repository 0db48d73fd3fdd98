/*
 * Extensions whose extension_data is empty in every form.
 *
 * extended_master_secret (RFC 7627 5.1): "The "extension_data" field of
 *     this extension is empty. Thus, the entire encoding of the extension
 *     is 00 17 00 00 (in hexadecimal.)" Sent by the client in the
 *     ClientHello and answered by the server in the ServerHello (RFC 7627
 *     5.1, 5.2); a TLS 1.2 mechanism, not in the RFC 8446 4.2 table.
 * encrypt_then_mac (RFC 7366 2): "the "extension_data" field of this
 *     extension SHALL be empty"; "the client includes the encrypt_then_mac
 *     extension in its client_hello ... it responds with an
 *     encrypt_then_mac in its server_hello". TLS 1.2 only.
 * post_handshake_auth (RFC 8446 4.2.6): "The "extension_data" field of the
 *     "post_handshake_auth" extension is zero length." ClientHello only
 *     (RFC 8446 4.2 table: CH).
 *
 * Non-empty extension_data has the wrong length: decode_error (RFC 8446
 * 6). Any other type is a caller bug: TD_ERR_INTERNAL.
 */
#include "td_ext.h"

static td_err empty_ctx_check(uint16_t type, td_ext_ctx ctx, int *has_form)
{
    int ch, sh12;

    switch (type) {
    case TD_EXT_EXTENDED_MASTER_SECRET: /* RFC 7627 5.1 */
    case TD_EXT_ENCRYPT_THEN_MAC:       /* RFC 7366 2 */
        ch = 1;
        sh12 = 1;
        break;
    case TD_EXT_POST_HANDSHAKE_AUTH: /* RFC 8446 4.2 */
        ch = 1;
        sh12 = 0;
        break;
    default:
        return TD_ERR_INTERNAL;
    }
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
        *has_form = ch;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO12:
        *has_form = sh12;
        return TD_OK;
    case TD_EXT_CTX_SERVER_HELLO13:
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
    case TD_EXT_CTX_ENCRYPTED_EXTENSIONS:
    case TD_EXT_CTX_CERTIFICATE:
    case TD_EXT_CTX_CERTIFICATE_REQUEST:
    case TD_EXT_CTX_NEW_SESSION_TICKET:
        *has_form = 0;
        return TD_OK;
    default:
        return TD_ERR_INTERNAL;
    }
}

td_err td_ext_empty_decode(uint16_t type, td_span data, td_ext_ctx ctx)
{
    int has_form;

    TRY(empty_ctx_check(type, ctx, &has_form));
    /* RFC 8446 4.2: not specified for this message */
    ENSURE(has_form, TD_ALERT_ILLEGAL_PARAMETER);
    /* RFC 7627 5.1, RFC 7366 2, RFC 8446 4.2.6: empty (RFC 8446 6) */
    ENSURE(data.len == 0, TD_ALERT_DECODE_ERROR);
    return TD_OK;
}

td_err td_ext_empty_encode(td_wr *wr, uint16_t type, td_ext_ctx ctx)
{
    int has_form;

    (void)wr; /* nothing to write */
    TRY(empty_ctx_check(type, ctx, &has_form));
    ENSURE(has_form, TD_ERR_INTERNAL);
    return TD_OK;
}
