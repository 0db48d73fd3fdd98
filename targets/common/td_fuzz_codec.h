/*
 * The round-trip invariant of the codec targets (STYLE.md: "every encoder
 * has a decoder: encode(decode(x)) == x is a test and a fuzz invariant"):
 * whatever decodes re-encodes to the same bytes, decodes again, and every
 * extension in it round-trips through its typed codec the same way.
 */
#ifndef TD_FUZZ_CODEC_H
#define TD_FUZZ_CODEC_H

#include "td_msg.h"

/* Decode body as msg_type under ctx; if it decodes, check the invariant
 * (aborting when it breaks). */
void td_fuzz_roundtrip_msg(uint8_t msg_type, const td_msg_ctx *ctx,
                           const uint8_t *body, size_t len);

/* The same for one extension_data of `type` in ctx. */
void td_fuzz_roundtrip_ext(uint16_t type, td_ext_ctx ctx, const uint8_t *data,
                           size_t len);

#endif
