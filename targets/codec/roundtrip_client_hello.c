/*
 * roundtrip_client_hello: td_client_hello_decode/_encode and every
 * extension codec in its ClientHello form (td_ext_block_check,
 * td_ext_any_decode/_encode), td_view_msg.
 * Input: a ClientHello body (RFC 8446 4.1.2), without the handshake header.
 */
#include "td_fuzz.h"
#include "td_fuzz_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_msg_ctx ctx = {0x0304, TD_KX_ECDHE, 0, 0};

    td_fuzz_roundtrip_msg(TD_HS_CLIENT_HELLO, &ctx, data, size);
    return 0;
}
