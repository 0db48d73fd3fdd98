/*
 * Round trips for the codec targets: decode, encode, compare with the
 * input, decode again; each extension block walked and each extension
 * round-tripped through td_ext_any; the decoded message rendered through
 * td_view into a sink that reads every value (so the view code runs under
 * the sanitizers too).
 */
#include "td_fuzz_codec.h"
#include "td_fuzz.h"
#include "td_view.h"

#include <string.h>

static uint8_t enc_buf[1u << 17];

static void sink_open(void *c, const char *k, int l) { (void)c; (void)k; (void)l; }
static void sink_close(void *c, int l) { (void)c; (void)l; }
static void sink_uint(void *c, const char *k, uint64_t v, const char *n)
{
    (void)k;
    *(uint64_t *)c += v + (n ? (uint64_t)strlen(n) : 0);
}
static void sink_bytes(void *c, const char *k, td_span b)
{
    size_t i;

    (void)k;
    for (i = 0; i < b.len; i++)
        *(uint64_t *)c += b.p[i];
}

static void view_all(const td_msg *m)
{
    uint64_t sum = 0;
    td_view v = {&sum, sink_open, sink_close, sink_uint, sink_bytes, sink_bytes};

    td_view_msg(&v, m);
}

void td_fuzz_roundtrip_ext(uint16_t type, td_ext_ctx ctx, const uint8_t *data,
                           size_t len)
{
    td_span in = {len ? data : NULL, len}, out;
    td_ext_any a, b;
    td_wr w;

    if (td_ext_any_decode(type, in, ctx, &a) != TD_OK)
        return;
    td_wr_init(&w, enc_buf, sizeof enc_buf);
    TD_FUZZ_CHECK(td_ext_any_encode(&w, ctx, &a) == TD_OK);
    TD_FUZZ_CHECK(td_wr_finish(&w, &out) == TD_OK);
    TD_FUZZ_CHECK(out.len == len && (len == 0 || memcmp(out.p, data, len) == 0));
    TD_FUZZ_CHECK(td_ext_any_decode(type, out, ctx, &b) == TD_OK);
    TD_FUZZ_CHECK(b.known == a.known);
}

static void roundtrip_block(td_span block, td_ext_ctx ctx)
{
    td_ext_iter it;
    uint16_t type;
    td_span data;
    int got;

    td_ext_iter_init(&it, block);
    while (td_ext_iter_next(&it, &type, &data, &got) == TD_OK && got) {
        uint8_t copy[1u << 16];

        /* through a copy: the encoder may not read the input it replaces */
        if (data.len)
            memcpy(copy, data.p, data.len);
        td_fuzz_roundtrip_ext(type, ctx, copy, data.len);
    }
}

static void roundtrip_blocks(const td_msg *m)
{
    switch (m->msg_type) {
    case TD_HS_CLIENT_HELLO:
        if (m->u.client_hello.has_extensions)
            roundtrip_block(m->u.client_hello.extensions,
                            TD_EXT_CTX_CLIENT_HELLO);
        break;
    case TD_HS_SERVER_HELLO:
        if (m->u.server_hello.has_extensions)
            roundtrip_block(m->u.server_hello.extensions,
                            m->u.server_hello.ext_ctx);
        break;
    case TD_HS_ENCRYPTED_EXTENSIONS:
        roundtrip_block(m->u.encrypted_extensions.extensions,
                        TD_EXT_CTX_ENCRYPTED_EXTENSIONS);
        break;
    case TD_HS_CERTIFICATE_REQUEST:
        if (m->version >= 0x0304)
            roundtrip_block(m->u.certificate_request13.extensions,
                            TD_EXT_CTX_CERTIFICATE_REQUEST);
        break;
    case TD_HS_NEW_SESSION_TICKET:
        if (m->version >= 0x0304)
            roundtrip_block(m->u.new_session_ticket13.extensions,
                            TD_EXT_CTX_NEW_SESSION_TICKET);
        break;
    case TD_HS_CERTIFICATE:
        if (m->version >= 0x0304) {
            td_rd r;
            td_certificate_entry e;
            int got;

            td_rd_init_span(&r, m->u.certificate13.certificate_list);
            while (td_certificate_entry_next(&r, &e, &got) == TD_OK && got)
                roundtrip_block(e.extensions, TD_EXT_CTX_CERTIFICATE);
        }
        break;
    default:
        break;
    }
}

void td_fuzz_roundtrip_msg(uint8_t msg_type, const td_msg_ctx *ctx,
                           const uint8_t *body, size_t len)
{
    td_span in = {len ? body : NULL, len}, out;
    td_msg m, m2;
    td_wr w;

    if (td_msg_decode(msg_type, in, ctx, &m) != TD_OK)
        return;
    td_wr_init(&w, enc_buf, sizeof enc_buf);
    TD_FUZZ_CHECK(td_msg_encode(&w, &m) == TD_OK);
    TD_FUZZ_CHECK(td_wr_finish(&w, &out) == TD_OK);
    TD_FUZZ_CHECK(out.len == len && (len == 0 || memcmp(out.p, body, len) == 0));
    TD_FUZZ_CHECK(td_msg_decode(msg_type, out, ctx, &m2) == TD_OK);
    TD_FUZZ_CHECK(m2.msg_type == m.msg_type);
    roundtrip_blocks(&m);
    view_all(&m);
}
