/*
 * roundtrip_certificate: td_certificate13/12, td_certificate_request13/12
 * and td_certificate_verify decode/encode, the CT and CR extension forms;
 * td_view_msg.
 * Input: one selector byte, then the message body:
 *   0 Certificate 1.3, 1 Certificate 1.2, 2 CertificateRequest 1.3,
 *   3 CertificateRequest 1.2, 4 CertificateVerify (selector mod 5).
 */
#include "td_fuzz.h"
#include "td_fuzz_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct {
        uint8_t type;
        uint16_t version;
    } v[] = {
        {TD_HS_CERTIFICATE, 0x0304},
        {TD_HS_CERTIFICATE, 0x0303},
        {TD_HS_CERTIFICATE_REQUEST, 0x0304},
        {TD_HS_CERTIFICATE_REQUEST, 0x0303},
        {TD_HS_CERTIFICATE_VERIFY, 0x0304},
    };
    td_msg_ctx ctx = {0x0304, TD_KX_ECDHE, 0, 0};
    unsigned i;

    if (size < 1)
        return 0;
    i = data[0] % (sizeof v / sizeof v[0]);
    ctx.version = v[i].version;
    td_fuzz_roundtrip_msg(v[i].type, &ctx, data + 1, size - 1);
    return 0;
}
