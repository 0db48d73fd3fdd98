/*
 * roundtrip_extensions: every typed extension codec in every context,
 * through td_ext_any_decode/_encode, and td_ext_block_check on the same
 * bytes read as a whole block.
 * Input: a context byte (mod TD_EXT_CTX_COUNT), the ExtensionType (2
 * bytes), then extension_data.
 */
#include "td_fuzz.h"
#include "td_fuzz_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_ext_ctx ctx;
    uint16_t type;
    td_span block;
    td_err e;

    if (size < 3)
        return 0;
    ctx = (td_ext_ctx)(data[0] % TD_EXT_CTX_COUNT);
    type = (uint16_t)(data[1] << 8 | data[2]);
    td_fuzz_roundtrip_ext(type, ctx, data + 3, size - 3);
    block.p = size > 3 ? data + 3 : NULL;
    block.len = size - 3;
    e = td_ext_block_check(block, ctx);
    TD_FUZZ_CHECK(e == TD_OK || td_err_is_alert(e));
    return 0;
}
