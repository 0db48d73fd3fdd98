/*
 * ClientHello: RFC 8446 4.1.2, RFC 5246 7.4.1.2.
 *
 * RFC 8446 4.1.2:
 *
 *     uint16 ProtocolVersion;
 *     opaque Random[32];
 *
 *     uint8 CipherSuite[2];    (Cryptographic suite selector)
 *
 *     struct {
 *         ProtocolVersion legacy_version = 0x0303;    (TLS v1.2)
 *         Random random;
 *         opaque legacy_session_id<0..32>;
 *         CipherSuite cipher_suites<2..2^16-2>;
 *         opaque legacy_compression_methods<1..2^8-1>;
 *         Extension extensions<8..2^16-1>;
 *     } ClientHello;
 *
 * RFC 5246 7.4.1.2 (the same bytes, with the extensions optional):
 *
 *     struct {
 *         ProtocolVersion client_version;
 *         Random random;
 *         SessionID session_id;
 *         CipherSuite cipher_suites<2..2^16-2>;
 *         CompressionMethod compression_methods<1..2^8-1>;
 *         select (extensions_present) {
 *             case false:
 *                 struct {};
 *             case true:
 *                 Extension extensions<0..2^16-1>;
 *         };
 *     } ClientHello;
 *
 * One decoder serves both versions: which version the client offers is in
 * supported_versions, which the handshake layer reads. So the extension
 * block is read with the TLS 1.2 floor of 0 (an empty block, 00 00, is a
 * valid TLS 1.2 ClientHello), and the TLS 1.3-only rules (legacy_version
 * 0x0303, exactly one compression method; RFC 8446 4.1.2) are the
 * handshake layer's once it has chosen TLS 1.3.
 *
 * The encoder writes the struct as given, so that a test message can
 * carry an out-of-range field; only a length its prefix cannot express
 * fails (TD_ERR_INTERNAL).
 */
#include "../td_codec_impl.h"
#include "td_msg.h"

#include <string.h>

/* RFC 5246 7.4.1.2: enum { null(0), (255) } CompressionMethod; */
#define TD_COMPRESSION_NULL 0u

td_err td_client_hello_decode(td_span body, td_client_hello *out)
{
    td_client_hello ch;
    td_rd rd;
    td_span random;

    memset(&ch, 0, sizeof ch);
    td_rd_init_span(&rd, body);
    TRY(td_rd_u16(&rd, &ch.legacy_version));
    TRY(td_rd_span(&rd, TD_RANDOM_LEN, &random));
    memcpy(ch.random, random.p, TD_RANDOM_LEN);

    /* RFC 8446 4.1.2 legacy_session_id<0..32>, RFC 5246 7.4.1.2
     * SessionID<0..32>: a longer vector is out of range, decode_error
     * (RFC 8446 6). */
    TRY(td_codec_vec_read(&rd, 1, 0, TD_MAX_SESSION_ID_LEN, 1, &ch.legacy_session_id));

    /* RFC 8446 4.1.2 / RFC 5246 7.4.1.2: CipherSuite cipher_suites
     * <2..2^16-2>. A CipherSuite is two bytes, so an odd length cannot be
     * decoded into suites: decode_error (RFC 8446 6). */
    TRY(td_codec_vec_read(&rd, 2, 2, 0xfffe, 2, &ch.cipher_suites));

    /* RFC 8446 4.1.2 legacy_compression_methods<1..2^8-1> */
    TRY(td_codec_vec_read(&rd, 1, 1, 0xff, 1, &ch.legacy_compression_methods));

    /* RFC 5246 7.4.1.2: "The presence of extensions can be detected by
     * determining whether there are bytes following the
     * compression_methods"; RFC 8446 4.1.2 likewise. */
    if (td_rd_left(&rd) > 0) {
        ch.has_extensions = 1;
        TRY(td_ext_block_decode(&rd, TD_EXT_CTX_CLIENT_HELLO, 0, &ch.extensions));
    }
    /* RFC 5246 7.4.1.2: the server "MUST check that the amount of data in
     * the message precisely matches one of these formats; if not, then it
     * MUST send a fatal "decode_error" alert." RFC 8446 4.1.2: "a valid
     * extensions block with no data following". */
    TRY(td_rd_done(&rd));

    /* Checked after the syntax, so a message broken in both ways gets
     * decode_error.
     * RFC 5246 7.4.1.2: "This vector MUST contain, and all implementations
     * MUST support, CompressionMethod.null." RFC 8446 4.1.2: a TLS 1.3
     * ClientHello with any other value "the server MUST abort the
     * handshake with an "illegal_parameter" alert". A list without null
     * is wrong for every version, so the codec rejects it with the alert
     * RFC 8446 4.1.2 names. */
    ENSURE(td_codec_u8_list_has(ch.legacy_compression_methods, TD_COMPRESSION_NULL),
           TD_ALERT_ILLEGAL_PARAMETER);

    *out = ch;
    return TD_OK;
}

td_err td_client_hello_encode(td_wr *wr, const td_client_hello *in)
{
    td_wr w = *wr;

    TRY(td_wr_u16(&w, in->legacy_version));
    TRY(td_wr_bytes(&w, in->random, TD_RANDOM_LEN));
    TRY(td_codec_vec_write(&w, 1, in->legacy_session_id));
    TRY(td_codec_vec_write(&w, 2, in->cipher_suites));
    TRY(td_codec_vec_write(&w, 1, in->legacy_compression_methods));
    if (in->has_extensions)
        TRY(td_codec_vec_write(&w, 2, in->extensions));
    *wr = w;
    return TD_OK;
}
