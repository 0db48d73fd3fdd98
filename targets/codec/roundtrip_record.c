/*
 * roundtrip_record: td_record_decode/_encode under each record mode,
 * td_inner_plaintext_decode/_encode, td_alert and td_ccs codecs, and
 * td_hs_reasm over the handshake fragments.
 * Input: a mode byte (bit 0: TLS 1.3 framing, bit 1: protected), then
 * records back to back.
 */
#include "td_fuzz.h"
#include "td_record.h"

#include <string.h>

static uint8_t out_buf[TD_RECORD_HEADER_LEN + TD_MAX_CIPHERTEXT12_LEN];
static td_hs_reasm reasm;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_record_mode mode;
    td_rd r;

    if (size < 1)
        return 0;
    mode.version = data[0] & 1 ? TD_RECORD_TLS13 : TD_RECORD_TLS12;
    mode.protection = data[0] & 2 ? TD_RECORD_PROTECTED : TD_RECORD_PLAINTEXT;
    td_rd_init(&r, data + 1, size - 1);
    td_hs_reasm_init(&reasm);
    for (;;) {
        size_t before = td_rd_left(&r);
        const uint8_t *start = data + 1 + (size - 1 - before);
        td_record rec;
        td_wr w;
        td_span out;

        if (before == 0 || td_record_decode(&r, mode, &rec) != TD_OK)
            break;
        td_wr_init(&w, out_buf, sizeof out_buf);
        if (td_record_encode(&w, mode, &rec) != TD_OK) {
            /* The one asymmetry: RFC 5246 6.2.1 forbids sending
             * zero-length handshake, alert and change_cipher_spec
             * fragments but does not tell the receiver to refuse them,
             * so the decoder accepts what the encoder will not write. */
            TD_FUZZ_CHECK(rec.fragment.len == 0 &&
                          rec.type != TD_CT_APPLICATION_DATA);
            continue;
        }
        TD_FUZZ_CHECK(td_wr_finish(&w, &out) == TD_OK);
        TD_FUZZ_CHECK(out.len == before - td_rd_left(&r));
        TD_FUZZ_CHECK(memcmp(out.p, start, out.len) == 0);

        if (mode.protection == TD_RECORD_PROTECTED &&
            mode.version == TD_RECORD_TLS13) {
            td_inner_plaintext ip;
            uint8_t ibuf[TD_MAX_CIPHERTEXT13_LEN];

            /* the fragment read as if it were decrypted */
            if (td_inner_plaintext_decode(rec.fragment, &ip) == TD_OK) {
                td_wr_init(&w, ibuf, sizeof ibuf);
                TD_FUZZ_CHECK(td_inner_plaintext_encode(&w, &ip) == TD_OK);
                TD_FUZZ_CHECK(td_wr_finish(&w, &out) == TD_OK);
                TD_FUZZ_CHECK(out.len == rec.fragment.len &&
                              memcmp(out.p, rec.fragment.p, out.len) == 0);
            }
            continue;
        }
        if (rec.type == TD_CT_ALERT) {
            td_alert a;
            uint8_t b[2];

            if (td_alert_decode(rec.fragment, &a) == TD_OK) {
                td_wr_init(&w, b, sizeof b);
                TD_FUZZ_CHECK(td_alert_encode(&w, &a) == TD_OK);
                TD_FUZZ_CHECK(memcmp(b, rec.fragment.p, 2) == 0);
            }
        } else if (rec.type == TD_CT_CHANGE_CIPHER_SPEC) {
            td_ccs c;
            uint8_t b[1];

            if (td_ccs_decode(rec.fragment, mode.version, &c) == TD_OK) {
                td_wr_init(&w, b, sizeof b);
                TD_FUZZ_CHECK(td_ccs_encode(&w, &c) == TD_OK);
                TD_FUZZ_CHECK(b[0] == rec.fragment.p[0]);
            }
        } else if (rec.type == TD_CT_HANDSHAKE) {
            td_handshake hs;
            int got;
            td_err e;

            if (td_hs_reasm_feed(&reasm, rec.fragment) != TD_OK)
                break;
            while ((e = td_hs_reasm_next(&reasm, &hs, &got)) == TD_OK && got)
                TD_FUZZ_CHECK(hs.raw.len == TD_HANDSHAKE_HEADER_LEN + hs.body.len);
            if (e != TD_OK)
                break;
        }
    }
    return 0;
}
