/*
 * EncryptedExtensions: RFC 8446 4.3.1.
 *
 *     struct {
 *         Extension extensions<0..2^16-1>;
 *     } EncryptedExtensions;
 *
 * RFC 8446 4.3.1: "The client MUST check EncryptedExtensions for the
 * presence of any forbidden extensions and if any are found MUST abort
 * the handshake with an "illegal_parameter" alert." The block check in
 * TD_EXT_CTX_ENCRYPTED_EXTENSIONS does that for the extensions tlsdiff
 * knows (RFC 8446 4.2 table); whether each one was offered is the
 * handshake layer's (RFC 8446 4.2, unsupported_extension).
 *
 * The encoder writes the block as given; only a length its prefix cannot
 * express fails (TD_ERR_INTERNAL).
 */
#include "../td_codec_impl.h"
#include "td_msg.h"

td_err td_encrypted_extensions_decode(td_span body, td_encrypted_extensions *out)
{
    td_encrypted_extensions ee;
    td_rd rd;

    td_rd_init_span(&rd, body);
    TRY(td_ext_block_decode(&rd, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, 0, &ee.extensions));
    /* RFC 8446 6: bytes after the block are a decode_error */
    TRY(td_rd_done(&rd));
    *out = ee;
    return TD_OK;
}

td_err td_encrypted_extensions_encode(td_wr *wr, const td_encrypted_extensions *in)
{
    return td_codec_vec_write(wr, 2, in->extensions);
}
