/*
 * message_hash: RFC 8446 4.4.1.
 *
 * "when the server responds to a ClientHello with a HelloRetryRequest,
 * the value of ClientHello1 is replaced with a special synthetic
 * handshake message of handshake type "message_hash" containing
 * Hash(ClientHello1)":
 *
 *     Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
 *         Hash(message_hash ||        (Handshake type)
 *              00 00 Hash.length  ||  (Handshake message length (bytes))
 *              Hash(ClientHello1) ||  (Hash of ClientHello1)
 *              HelloRetryRequest  || ... || Mn)
 *
 * So the body is the hash and nothing else: opaque hash[Hash.length].
 * It never crosses the wire; it is decoded when a server rebuilds the
 * transcript from a cookie (RFC 8446 4.2.2). The hashes of the TLS 1.3
 * cipher suites (RFC 8446 B.4) are SHA-256 (32) and SHA-384 (48); another
 * body length is a length error, decode_error (RFC 8446 6.2). The encoder
 * writes the hash as given, of any length; the decoder judges it.
 */
#include "td_msg.h"

td_err td_message_hash_decode(td_span body, size_t hash_len,
                              td_message_hash *out)
{
    td_rd r;
    td_message_hash h;

    ENSURE(hash_len == 0 || hash_len == 32 || hash_len == 48,
           TD_ERR_INTERNAL);
    /* RFC 8446 4.4.1: exactly Hash.length bytes (decode_error, 6.2) */
    if (hash_len == 0)
        ENSURE(body.len == 32 || body.len == 48, TD_ALERT_DECODE_ERROR);
    else
        ENSURE(body.len == hash_len, TD_ALERT_DECODE_ERROR);
    td_rd_init_span(&r, body);
    td_rd_rest(&r, &h.hash);
    *out = h;
    return TD_OK;
}

td_err td_message_hash_encode(td_wr *wr, const td_message_hash *in)
{
    return td_wr_span(wr, in->hash);
}
