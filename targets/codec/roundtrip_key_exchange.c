/*
 * roundtrip_key_exchange: td_server_key_exchange (TLS 1.2 form with the
 * signature algorithm, and the older one without) and
 * td_client_key_exchange (ECDHE point, RSA-encrypted premaster)
 * decode/encode; td_view_msg.
 * Input: one selector byte, then the message body:
 *   0 ServerKeyExchange 1.2, 1 ServerKeyExchange 1.0/1.1 form,
 *   2 ClientKeyExchange ECDHE, 3 ClientKeyExchange RSA (selector mod 4).
 */
#include "td_fuzz.h"
#include "td_fuzz_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct {
        uint8_t type;
        uint16_t version;
        td_kx kx;
    } v[] = {
        {TD_HS_SERVER_KEY_EXCHANGE, 0x0303, TD_KX_ECDHE},
        {TD_HS_SERVER_KEY_EXCHANGE, 0x0302, TD_KX_ECDHE},
        {TD_HS_CLIENT_KEY_EXCHANGE, 0x0303, TD_KX_ECDHE},
        {TD_HS_CLIENT_KEY_EXCHANGE, 0x0303, TD_KX_RSA},
    };
    td_msg_ctx ctx = {0x0303, TD_KX_ECDHE, 0, 0};
    unsigned i;

    if (size < 1)
        return 0;
    i = data[0] % (sizeof v / sizeof v[0]);
    ctx.version = v[i].version;
    ctx.kx = v[i].kx;
    td_fuzz_roundtrip_msg(v[i].type, &ctx, data + 1, size - 1);
    return 0;
}
