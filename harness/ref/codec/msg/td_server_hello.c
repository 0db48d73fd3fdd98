/*
 * ServerHello and HelloRetryRequest: RFC 8446 4.1.3, 4.1.4; RFC 5246
 * 7.4.1.3.
 *
 * RFC 8446 4.1.3:
 *
 *     struct {
 *         ProtocolVersion legacy_version = 0x0303;    (TLS v1.2)
 *         Random random;
 *         opaque legacy_session_id_echo<0..32>;
 *         CipherSuite cipher_suite;
 *         uint8 legacy_compression_method = 0;
 *         Extension extensions<6..2^16-1>;
 *     } ServerHello;
 *
 * RFC 5246 7.4.1.3:
 *
 *     struct {
 *         ProtocolVersion server_version;
 *         Random random;
 *         SessionID session_id;
 *         CipherSuite cipher_suite;
 *         CompressionMethod compression_method;
 *         select (extensions_present) {
 *             case false:
 *                 struct {};
 *             case true:
 *                 Extension extensions<0..2^16-1>;
 *         };
 *     } ServerHello;
 *
 * RFC 8446 4.1.4: a HelloRetryRequest "has the same format as a
 * ServerHello message", told apart by its random.
 *
 * Which of the three the bytes are decides the extension context the
 * block is checked in, and that follows from the message alone (RFC 8446
 * 4.1.3: "implementations MUST first examine the Random value"; 4.2.1:
 * the version is in supported_versions). So the block is framed and
 * scanned for supported_versions first, then checked in the chosen
 * context.
 *
 * Rules that need the ClientHello (session id echo, offered cipher suite,
 * offered version; RFC 8446 4.1.3, 4.2.1) and the downgrade sentinel
 * check (which depends on what the client supports) are the handshake
 * layer's; the decoder reports the sentinel in `downgrade`.
 *
 * The encoder writes the struct as given (derived fields ignored); only
 * a length its prefix cannot express fails (TD_ERR_INTERNAL).
 */
#include "../td_codec_impl.h"
#include "td_msg.h"

#include <string.h>

/* RFC 8446 4.1.3: "the special value of the SHA-256 of
 * "HelloRetryRequest"". */
const uint8_t td_hrr_random[TD_RANDOM_LEN] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

/* RFC 8446 4.1.3: "If negotiating TLS 1.2, TLS 1.3 servers MUST set the
 * last 8 bytes of their Random value to the bytes: 44 4F 57 4E 47 52 44
 * 01"; "If negotiating TLS 1.1 or below ... 44 4F 57 4E 47 52 44 00". */
const uint8_t td_downgrade_tls12[8] = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};
const uint8_t td_downgrade_tls11[8] = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00};

#define TD_SENTINEL_OFF (TD_RANDOM_LEN - 8u)

/* TLS 1.3 (RFC 8446 4.2.1); anything below is a TLS 1.2-or-older version. */
#define TD_VERSION_TLS13 0x0304u

static int random_ends_with(const uint8_t random[TD_RANDOM_LEN], const uint8_t tail[8])
{
    size_t i;

    for (i = 0; i < 8; i++)
        if (random[TD_SENTINEL_OFF + i] != tail[i])
            return 0;
    return 1;
}

td_downgrade td_downgrade_of(const uint8_t random[TD_RANDOM_LEN])
{
    if (random_ends_with(random, td_downgrade_tls12))
        return TD_DOWNGRADE_TLS12;
    if (random_ends_with(random, td_downgrade_tls11))
        return TD_DOWNGRADE_TLS11;
    return TD_DOWNGRADE_NONE;
}

/* Frame-only scan of a block body for supported_versions. decode_error on
 * broken framing; *found = 0 when absent. */
static td_err find_supported_versions(td_span block, int *found, td_span *data)
{
    td_ext_iter it;
    uint16_t type;
    td_span d;
    int got;

    *found = 0;
    td_ext_iter_init(&it, block);
    for (;;) {
        TRY(td_ext_iter_next(&it, &type, &d, &got));
        if (!got)
            return TD_OK;
        if (type == TD_EXT_SUPPORTED_VERSIONS && !*found) {
            *found = 1;
            *data = d;
        }
    }
}

td_err td_server_hello_decode(td_span body, td_server_hello *out)
{
    td_server_hello sh;
    td_ext_supported_versions sv;
    td_rd rd;
    td_span random, sv_data = {NULL, 0};
    int has_sv = 0;

    memset(&sh, 0, sizeof sh);
    td_rd_init_span(&rd, body);
    TRY(td_rd_u16(&rd, &sh.legacy_version));
    TRY(td_rd_span(&rd, TD_RANDOM_LEN, &random));
    memcpy(sh.random, random.p, TD_RANDOM_LEN);
    /* RFC 8446 4.1.3 legacy_session_id_echo<0..32>, RFC 5246 7.4.1.3
     * SessionID<0..32>: longer is out of range, decode_error (RFC 8446 6) */
    TRY(td_codec_vec_read(&rd, 1, 0, TD_MAX_SESSION_ID_LEN, 1, &sh.legacy_session_id_echo));
    TRY(td_rd_u16(&rd, &sh.cipher_suite));
    TRY(td_rd_u8(&rd, &sh.legacy_compression_method));
    /* RFC 5246 7.4.1.3: "The presence of extensions can be detected by
     * determining whether there are bytes following the
     * compression_method field". */
    if (td_rd_left(&rd) > 0) {
        sh.has_extensions = 1;
        TRY(td_codec_vec_read(&rd, 2, 0, 0xffff, 1, &sh.extensions));
    }
    /* RFC 5246 7.4 / RFC 8446 6: data after the message is decode_error */
    TRY(td_rd_done(&rd));
    TRY(find_supported_versions(sh.extensions, &has_sv, &sv_data));

    /* RFC 8446 4.1.3: "Upon receiving a message with type server_hello,
     * implementations MUST first examine the Random value and, if it
     * matches this value, process it as described in Section 4.1.4". */
    sh.is_hello_retry_request = memcmp(sh.random, td_hrr_random, TD_RANDOM_LEN) == 0;
    if (sh.is_hello_retry_request)
        sh.ext_ctx = TD_EXT_CTX_HELLO_RETRY_REQUEST;
    else if (has_sv)
        sh.ext_ctx = TD_EXT_CTX_SERVER_HELLO13;
    else
        sh.ext_ctx = TD_EXT_CTX_SERVER_HELLO12;

    /* RFC 8446 4.2 (allowed types, no duplicates) in the chosen context */
    TRY(td_ext_block_check(sh.extensions, sh.ext_ctx));

    /* RFC 8446 4.1.4: "The server's extensions MUST contain
     * "supported_versions"." 9.2: it "is REQUIRED for all ClientHello,
     * ServerHello, and HelloRetryRequest messages". Without it the
     * HelloRetryRequest names no version; RFC 8446 6.2 missing_extension:
     * "a handshake message not containing an extension that is mandatory
     * to send for the offered TLS version". (A ServerHello without it is a
     * TLS 1.2 ServerHello, so only the HelloRetryRequest can lack it.) */
    ENSURE(has_sv || !sh.is_hello_retry_request, TD_ALERT_MISSING_EXTENSION);
    sh.version = sh.legacy_version;
    if (has_sv) {
        TRY(td_ext_supported_versions_decode(sv_data, sh.ext_ctx, &sv));
        /* RFC 8446 4.2.1: "If the "supported_versions" extension in the
         * ServerHello contains ... a version prior to TLS 1.3, the client
         * MUST abort the handshake with an "illegal_parameter" alert."
         * 4.1.4 applies the same processing to the HelloRetryRequest. */
        ENSURE(sv.selected_version >= TD_VERSION_TLS13, TD_ALERT_ILLEGAL_PARAMETER);
        sh.version = sv.selected_version;
        /* RFC 8446 4.1.3: legacy_compression_method "A single byte which
         * MUST have the value 0"; 4.1.4: the client "MUST check the ...
         * legacy_compression_method as specified in Section 4.1.3". No
         * alert is named there; RFC 8446 6.2 gives illegal_parameter for a
         * message that is "syntactically correct but semantically
         * invalid". (TLS 1.2 lets the server pick any offered method,
         * RFC 5246 7.4.1.3, which only the handshake layer can check.) */
        ENSURE(sh.legacy_compression_method == 0, TD_ALERT_ILLEGAL_PARAMETER);
    }
    sh.downgrade = td_downgrade_of(sh.random);

    *out = sh;
    return TD_OK;
}

td_err td_server_hello_encode(td_wr *wr, const td_server_hello *in)
{
    td_wr w = *wr;

    TRY(td_wr_u16(&w, in->legacy_version));
    TRY(td_wr_bytes(&w, in->random, TD_RANDOM_LEN));
    TRY(td_codec_vec_write(&w, 1, in->legacy_session_id_echo));
    TRY(td_wr_u16(&w, in->cipher_suite));
    TRY(td_wr_u8(&w, in->legacy_compression_method));
    if (in->has_extensions)
        TRY(td_codec_vec_write(&w, 2, in->extensions));
    *wr = w;
    return TD_OK;
}
