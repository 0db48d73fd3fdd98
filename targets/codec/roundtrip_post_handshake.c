/*
 * roundtrip_post_handshake: Finished, NewSessionTicket (1.3 with the NST
 * extension forms, and 1.2), KeyUpdate, EndOfEarlyData, HelloRequest,
 * ServerHelloDone and message_hash decode/encode; td_view_msg.
 * Input: one selector byte, then the message body:
 *   0 Finished (any length), 1 Finished 1.3/SHA-256, 2 NewSessionTicket 1.3,
 *   3 NewSessionTicket 1.2, 4 KeyUpdate, 5 EndOfEarlyData, 6 HelloRequest,
 *   7 ServerHelloDone, 8 message_hash (selector mod 9).
 */
#include "td_fuzz.h"
#include "td_fuzz_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct {
        uint8_t type;
        uint16_t version;
        size_t verify_data_len;
    } v[] = {
        {TD_HS_FINISHED, 0x0304, 0},
        {TD_HS_FINISHED, 0x0304, 32},
        {TD_HS_NEW_SESSION_TICKET, 0x0304, 0},
        {TD_HS_NEW_SESSION_TICKET, 0x0303, 0},
        {TD_HS_KEY_UPDATE, 0x0304, 0},
        {TD_HS_END_OF_EARLY_DATA, 0x0304, 0},
        {TD_HS_HELLO_REQUEST, 0x0303, 0},
        {TD_HS_SERVER_HELLO_DONE, 0x0303, 0},
        {TD_HS_MESSAGE_HASH, 0x0304, 0},
    };
    td_msg_ctx ctx = {0x0304, TD_KX_ECDHE, 0, 0};
    unsigned i;

    if (size < 1)
        return 0;
    i = data[0] % (sizeof v / sizeof v[0]);
    ctx.version = v[i].version;
    ctx.verify_data_len = v[i].verify_data_len;
    td_fuzz_roundtrip_msg(v[i].type, &ctx, data + 1, size - 1);
    return 0;
}
