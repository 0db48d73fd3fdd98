/*
 * roundtrip_server_hello: td_server_hello_decode/_encode (ServerHello of
 * both versions, HelloRetryRequest, downgrade sentinels),
 * td_encrypted_extensions_decode/_encode, and the extension codecs in the
 * SH12, SH, HRR and EE forms; td_view_msg.
 * Input: one selector byte (even: ServerHello, odd: EncryptedExtensions),
 * then the message body.
 */
#include "td_fuzz.h"
#include "td_fuzz_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_msg_ctx ctx = {0x0304, TD_KX_ECDHE, 0, 0};

    if (size < 1)
        return 0;
    td_fuzz_roundtrip_msg(data[0] & 1 ? TD_HS_ENCRYPTED_EXTENSIONS
                                      : TD_HS_SERVER_HELLO,
                          &ctx, data + 1, size - 1);
    return 0;
}
