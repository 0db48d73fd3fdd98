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
 * 6). Any other type is a caller bug: TD_ERR_INTERNAL. The encoder has
 * nothing to write; it fails only where the type has no form.
 */
#include "../td_codec_impl.h"

/* The types this file serves; where each may appear is the RFC 8446 4.2
 * table of td_ext_block.c (EMS and EtM: CH and the TLS 1.2 ServerHello,
 * RFC 7627 5.1, RFC 7366 2; post_handshake_auth: CH). */
static int empty_type(uint16_t type)
{
    return type == TD_EXT_EXTENDED_MASTER_SECRET || type == TD_EXT_ENCRYPT_THEN_MAC ||
           type == TD_EXT_POST_HANDSHAKE_AUTH;
}

td_err td_ext_empty_decode(uint16_t type, td_span data, td_ext_ctx ctx)
{
    ENSURE(empty_type(type), TD_ERR_INTERNAL);
    TRY(td_ext_form_check(type, ctx));
    /* RFC 7627 5.1, RFC 7366 2, RFC 8446 4.2.6: empty (RFC 8446 6) */
    ENSURE(data.len == 0, TD_ALERT_DECODE_ERROR);
    return TD_OK;
}

td_err td_ext_empty_encode(td_wr *wr, uint16_t type, td_ext_ctx ctx)
{
    (void)wr; /* nothing to write */
    ENSURE(empty_type(type), TD_ERR_INTERNAL);
    return td_ext_encode_check(type, ctx);
}
