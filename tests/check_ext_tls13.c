/*
 * ext_tls13: the TLS 1.3 extension codecs key_share, psk_key_exchange_modes,
 * pre_shared_key, early_data, cookie, padding, record_size_limit and
 * certificate_authorities (harness/ref/codec/ext).
 *
 * Positive cases are the extensions of the TLS 1.3 example traces
 * (the .vec files of vectors/tls13, from shared/rfc/tls13-traces.txt), reached by a
 * walk over each message written here from the RFC 8446 4 structs, so the
 * test does not depend on the message codecs. Expected field values come
 * from the trace text (quoted next to each) or from other lines of the
 * traces (the key pairs, the NewSessionTicket, the PSK binder).
 * certificate_authorities appears in no trace; its bytes are derived by
 * hand below. Every negative case names the clause it checks.
 */
#include "td_vec.h" /* first: it selects POSIX for mkdtemp */

#include "td_ext.h"
#include "td_record.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTX_BIT(c) (1u << (c))
#define CH CTX_BIT(TD_EXT_CTX_CLIENT_HELLO)
#define SH12 CTX_BIT(TD_EXT_CTX_SERVER_HELLO12)
#define SH CTX_BIT(TD_EXT_CTX_SERVER_HELLO13)
#define HRR CTX_BIT(TD_EXT_CTX_HELLO_RETRY_REQUEST)
#define EE CTX_BIT(TD_EXT_CTX_ENCRYPTED_EXTENSIONS)
#define CT CTX_BIT(TD_EXT_CTX_CERTIFICATE)
#define CR CTX_BIT(TD_EXT_CTX_CERTIFICATE_REQUEST)
#define NST CTX_BIT(TD_EXT_CTX_NEW_SESSION_TICKET)

/* Built inputs and encoder output: up to a 2^16-1 byte body plus prefixes. */
static uint8_t big[2 * 0x10000 + 64];
static uint8_t enc_buf[2 * 0x10000 + 64];

/* ------------------------------------------------------------ helpers */

typedef union ext_out {
    td_ext_key_share key_share;
    td_ext_psk_key_exchange_modes pkm;
    td_ext_pre_shared_key psk;
    td_ext_early_data early_data;
    td_ext_cookie cookie;
    td_ext_padding padding;
    td_ext_record_size_limit rsl;
    td_ext_certificate_authorities ca;
} ext_out;

static td_err ext_decode(uint16_t type, td_span d, td_ext_ctx ctx, ext_out *o)
{
    switch (type) {
    case TD_EXT_KEY_SHARE:
        return td_ext_key_share_decode(d, ctx, &o->key_share);
    case TD_EXT_PSK_KEY_EXCHANGE_MODES:
        return td_ext_psk_key_exchange_modes_decode(d, ctx, &o->pkm);
    case TD_EXT_PRE_SHARED_KEY:
        return td_ext_pre_shared_key_decode(d, ctx, &o->psk);
    case TD_EXT_EARLY_DATA:
        return td_ext_early_data_decode(d, ctx, &o->early_data);
    case TD_EXT_COOKIE:
        return td_ext_cookie_decode(d, ctx, &o->cookie);
    case TD_EXT_PADDING:
        return td_ext_padding_decode(d, ctx, &o->padding);
    case TD_EXT_RECORD_SIZE_LIMIT:
        return td_ext_record_size_limit_decode(d, ctx, &o->rsl);
    case TD_EXT_CERTIFICATE_AUTHORITIES:
        return td_ext_certificate_authorities_decode(d, ctx, &o->ca);
    }
    ck_abort_msg("no codec for type %u", type);
    return TD_ERR_INTERNAL;
}

static td_err ext_encode(td_wr *w, uint16_t type, td_ext_ctx ctx, const ext_out *o)
{
    switch (type) {
    case TD_EXT_KEY_SHARE:
        return td_ext_key_share_encode(w, ctx, &o->key_share);
    case TD_EXT_PSK_KEY_EXCHANGE_MODES:
        return td_ext_psk_key_exchange_modes_encode(w, ctx, &o->pkm);
    case TD_EXT_PRE_SHARED_KEY:
        return td_ext_pre_shared_key_encode(w, ctx, &o->psk);
    case TD_EXT_EARLY_DATA:
        return td_ext_early_data_encode(w, ctx, &o->early_data);
    case TD_EXT_COOKIE:
        return td_ext_cookie_encode(w, ctx, &o->cookie);
    case TD_EXT_PADDING:
        return td_ext_padding_encode(w, ctx, &o->padding);
    case TD_EXT_RECORD_SIZE_LIMIT:
        return td_ext_record_size_limit_encode(w, ctx, &o->rsl);
    case TD_EXT_CERTIFICATE_AUTHORITIES:
        return td_ext_certificate_authorities_encode(w, ctx, &o->ca);
    }
    ck_abort_msg("no codec for type %u", type);
    return TD_ERR_INTERNAL;
}

static void ck_span_eq(td_span got, td_span want)
{
    ck_assert_uint_eq(got.len, want.len);
    if (want.len)
        ck_assert_mem_eq(got.p, want.p, want.len);
}

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

/* Decode must fail with `want` and leave *out as it was. The input is
 * copied to a buffer of its exact size so that a read past it is caught
 * by the address sanitizer. */
static void expect_fail(uint16_t type, td_ext_ctx ctx, td_span d, td_err want)
{
    uint8_t *copy = malloc(d.len ? d.len : 1);
    ext_out o, before;
    td_err err;

    ck_assert_ptr_nonnull(copy);
    if (d.len)
        memcpy(copy, d.p, d.len);
    memset(&o, 0xa5, sizeof o);
    memcpy(&before, &o, sizeof o);
    err = ext_decode(type, span_of(copy, d.len), ctx, &o);
    free(copy);
    ck_assert_msg(err == want, "type %u ctx %s len %zu: got %s, want %s", type,
                  td_ext_ctx_name(ctx), d.len, td_err_name(err), td_err_name(want));
    ck_assert_msg(memcmp(&o, &before, sizeof o) == 0, "type %u: failed decode changed *out", type);
}

/* Decode must succeed (in an exact-size copy, then in place so that *o
 * points into d). */
static void expect_ok(uint16_t type, td_ext_ctx ctx, td_span d, ext_out *o)
{
    uint8_t *copy = malloc(d.len ? d.len : 1);
    td_err err;

    ck_assert_ptr_nonnull(copy);
    if (d.len)
        memcpy(copy, d.p, d.len);
    err = ext_decode(type, span_of(copy, d.len), ctx, o);
    free(copy);
    ck_assert_msg(err == TD_OK, "type %u ctx %s len %zu: %s", type, td_ext_ctx_name(ctx), d.len,
                  td_err_name(err));
    ck_assert_int_eq(ext_decode(type, d, ctx, o), TD_OK);
}

/* Encoding *o must give exactly d; a writer too small by any amount fails
 * with nospace and stays as it was. */
static void expect_roundtrip(uint16_t type, td_ext_ctx ctx, const ext_out *o, td_span d)
{
    td_wr w;
    td_span got;
    size_t cap;

    td_wr_init(&w, enc_buf, sizeof enc_buf);
    ck_assert_int_eq(ext_encode(&w, type, ctx, o), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &got), TD_OK);
    ck_span_eq(got, d);
    /* one byte already written, then too little room for the rest */
    for (cap = 1; cap < 1 + d.len; cap++) {
        td_wr_init(&w, enc_buf, cap);
        ck_assert_int_eq(td_wr_u8(&w, 0x99), TD_OK);
        ck_assert_int_eq(ext_encode(&w, type, ctx, o), TD_ERR_NOSPACE);
        ck_assert_uint_eq(td_wr_len(&w), 1);
        if (d.len > 1000 && cap > 16)
            cap += d.len / 64; /* large inputs: sample the sizes */
    }
}

/* A valid example: decodes, re-encodes byte for byte, and (when the
 * extension has a fixed extent) every strict prefix and the example with
 * one trailing byte are decode_error (RFC 8446 6: "a message could not be
 * decoded because ... the length of the message was incorrect"). */
static void check_valid(uint16_t type, td_ext_ctx ctx, td_span d, ext_out *o, int fixed_extent)
{
    size_t k;

    expect_ok(type, ctx, d, o);
    expect_roundtrip(type, ctx, o, d);
    if (!fixed_extent)
        return;
    for (k = 0; k < d.len; k++)
        expect_fail(type, ctx, span_of(d.p, k), TD_ALERT_DECODE_ERROR);
    ck_assert_uint_lt(d.len, sizeof big);
    if (d.len)
        memmove(big, d.p, d.len);
    big[d.len] = 0x00;
    expect_fail(type, ctx, span_of(big, d.len + 1), TD_ALERT_DECODE_ERROR);
}

/* The encoder writes *o as exactly `want` (encoders are permissive,
 * td_ext.h), and the decoder rejects those bytes with `alert`: the invalid
 * value reaches the wire and is caught on receipt. */
static void encode_then_reject(uint16_t type, td_ext_ctx ctx, const ext_out *o, td_span want,
                               td_err alert)
{
    td_wr w;
    td_span got;

    td_wr_init(&w, enc_buf, sizeof enc_buf);
    ck_assert_int_eq(ext_encode(&w, type, ctx, o), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &got), TD_OK);
    ck_span_eq(got, want);
    expect_fail(type, ctx, got, alert);
}

/* Encoding must fail with want and leave the writer as it was. */
static void expect_encode_fail(uint16_t type, td_ext_ctx ctx, const ext_out *o, td_err want)
{
    td_wr w;

    td_wr_init(&w, enc_buf, sizeof enc_buf);
    ck_assert_int_eq(td_wr_u8(&w, 0x99), TD_OK);
    ck_assert_int_eq(ext_encode(&w, type, ctx, o), want);
    ck_assert_uint_eq(td_wr_len(&w), 1);
}

/* ------------------------------------------------------------ vectors */

static void vec_load(const char *rel, td_vec *v)
{
    td_err err = td_vec_load(rel, v);

    ck_assert_msg(err == TD_OK, "%s/%s: %s", td_vectors_dir(), rel, td_err_name(err));
}

static td_span vec_get(const td_vec *v, const char *side, const char *kind, const char *name,
                       const char *field, int nth)
{
    const td_vec_entry *e = td_vec_find(v, side, kind, name, field, nth);

    ck_assert_msg(e != NULL, "no %s %s %s %s #%d in vectors", side, kind, name, field, nth);
    return td_vec_span(e);
}

/* The extensions block body of a whole handshake message (msg_type,
 * uint24 length, body), walked by the structs of RFC 8446 4.1.2
 * (ClientHello), 4.1.3 (ServerHello and HelloRetryRequest), 4.3.1
 * (EncryptedExtensions) and 4.6.1 (NewSessionTicket). *ticket gets the
 * NewSessionTicket's ticket when not NULL. */
static td_span msg_ext_block(td_span msg, td_span *ticket)
{
    td_rd r, body, v;
    uint8_t type, u8;
    uint16_t u16;
    uint32_t len, u32;
    td_span s;

    td_rd_init_span(&r, msg);
    ck_assert_int_eq(td_rd_u8(&r, &type), TD_OK);
    ck_assert_int_eq(td_rd_u24(&r, &len), TD_OK);
    ck_assert_int_eq(td_rd_span(&r, len, &s), TD_OK);
    ck_assert_int_eq(td_rd_done(&r), TD_OK);
    td_rd_init_span(&body, s);
    switch (type) {
    case TD_HS_CLIENT_HELLO: /* legacy_version, random[32],
        legacy_session_id<0..32>, cipher_suites<2..2^16-2>,
        legacy_compression_methods<1..2^8-1> */
        ck_assert_int_eq(td_rd_u16(&body, &u16), TD_OK);
        ck_assert_int_eq(td_rd_span(&body, 32, &s), TD_OK);
        ck_assert_int_eq(td_rd_vec8(&body, 0, 32, &v), TD_OK);
        ck_assert_int_eq(td_rd_vec16(&body, 2, 0xfffe, &v), TD_OK);
        ck_assert_int_eq(td_rd_vec8(&body, 1, 0xff, &v), TD_OK);
        break;
    case TD_HS_SERVER_HELLO: /* legacy_version, random[32],
        legacy_session_id_echo<0..32>, cipher_suite,
        legacy_compression_method */
        ck_assert_int_eq(td_rd_u16(&body, &u16), TD_OK);
        ck_assert_int_eq(td_rd_span(&body, 32, &s), TD_OK);
        ck_assert_int_eq(td_rd_vec8(&body, 0, 32, &v), TD_OK);
        ck_assert_int_eq(td_rd_u16(&body, &u16), TD_OK);
        ck_assert_int_eq(td_rd_u8(&body, &u8), TD_OK);
        break;
    case TD_HS_NEW_SESSION_TICKET: /* ticket_lifetime, ticket_age_add,
        ticket_nonce<0..255>, ticket<1..2^16-1> */
        ck_assert_int_eq(td_rd_u32(&body, &u32), TD_OK);
        ck_assert_int_eq(td_rd_u32(&body, &u32), TD_OK);
        ck_assert_int_eq(td_rd_vec8(&body, 0, 255, &v), TD_OK);
        ck_assert_int_eq(td_rd_vec16(&body, 1, 0xffff, &v), TD_OK);
        if (ticket)
            td_rd_rest(&v, ticket);
        break;
    case TD_HS_ENCRYPTED_EXTENSIONS:
        break;
    default:
        ck_abort_msg("message type %u has no walker here", type);
    }
    ck_assert_int_eq(td_rd_vec16(&body, 0, 0xffff, &v), TD_OK);
    ck_assert_int_eq(td_rd_done(&body), TD_OK);
    td_rd_rest(&v, &s);
    return s;
}

/* extension_data of `type` in a message; the test fails if absent. */
static td_span msg_ext(td_span msg, uint16_t type)
{
    td_span d;

    ck_assert_msg(td_ext_find(msg_ext_block(msg, NULL), type, &d), "extension %u missing", type);
    return d;
}

/* The nth ClientHello of a trace. s4 has only the `partial` one as a
 * handshake line; its complete form is the payload of the record that
 * follows (vectors/tls13/README.md). */
static td_span client_hello(const td_vec *v, int nth)
{
    const td_vec_entry *e = td_vec_find(v, "client", "handshake", "client_hello", "message", nth);

    if (e)
        return td_vec_span(e);
    ck_assert_int_eq(nth, 0);
    return vec_get(v, "client", "record", "handshake", "payload", 0);
}

/* ------------------------------------------------------------ key_share */

static const char *const traces[] = {"tls13/s3-1rtt.vec", "tls13/s4-0rtt.vec", "tls13/s5-hrr.vec",
                                     "tls13/s6-client-auth.vec", "tls13/s7-compat.vec"};

START_TEST(test_key_share_valid)
{
    td_vec v;
    td_span d, pub;
    ext_out o;
    td_key_share_entry e;
    td_rd list;
    int got, hrr = _i == 2; /* s5 */
    int ch_nth = hrr ? 1 : 0, sh_nth = hrr ? 1 : 0;

    vec_load(traces[_i], &v);
    /* ClientHello: one share, x25519 ("00 33 00 26 00 24 00 1d 00 20"), or
     * in s5's second ClientHello secp256r1 ("00 33 00 47 00 45 00 17 00
     * 41"); key_exchange is the client's public key of the trace */
    d = msg_ext(client_hello(&v, ch_nth), TD_EXT_KEY_SHARE);
    check_valid(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, d, &o, 1);
    ck_assert_uint_eq(o.key_share.count, 1);
    td_rd_init_span(&list, o.key_share.client_shares);
    ck_assert_int_eq(td_key_share_entry_next(&list, &e, &got), TD_OK);
    ck_assert_int_eq(got, 1);
    pub =
        vec_get(&v, "client", "key",
                hrr ? "create_an_ephemeral_p_256_key_pair" : "create_an_ephemeral_x25519_key_pair",
                "public_key", 0);
    ck_assert_uint_eq(e.group, hrr ? 0x0017 : 0x001d);
    ck_span_eq(e.key_exchange, pub);
    ck_assert_int_eq(td_key_share_entry_next(&list, &e, &got), TD_OK);
    ck_assert_int_eq(got, 0);

    /* ServerHello: server_share in the same group, the server's key */
    d = msg_ext(vec_get(&v, "server", "handshake", "server_hello", "message", sh_nth),
                TD_EXT_KEY_SHARE);
    check_valid(TD_EXT_KEY_SHARE, TD_EXT_CTX_SERVER_HELLO13, d, &o, 1);
    pub =
        vec_get(&v, "server", "key",
                hrr ? "create_an_ephemeral_p_256_key_pair" : "create_an_ephemeral_x25519_key_pair",
                "public_key", 0);
    ck_assert_uint_eq(o.key_share.server_share.group, hrr ? 0x0017 : 0x001d);
    ck_span_eq(o.key_share.server_share.key_exchange, pub);

    if (hrr) {
        /* s5's first ClientHello offers x25519 only */
        d = msg_ext(vec_get(&v, "client", "handshake", "client_hello", "message", 0),
                    TD_EXT_KEY_SHARE);
        check_valid(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, d, &o, 1);
        ck_assert_uint_eq(o.key_share.count, 1);
        /* the first ServerHello of s5 is the HelloRetryRequest:
         * "00 33 00 02 00 17", selected_group secp256r1 */
        d = msg_ext(vec_get(&v, "server", "handshake", "server_hello", "message", 0),
                    TD_EXT_KEY_SHARE);
        check_valid(TD_EXT_KEY_SHARE, TD_EXT_CTX_HELLO_RETRY_REQUEST, d, &o, 1);
        ck_assert_uint_eq(o.key_share.selected_group, 0x0017);
    }
    td_vec_free(&v);
}
END_TEST

START_TEST(test_key_share_rfc_negative)
{
    /* RFC 8446 4.2.8: key_exchange<1..2^16-1>. client_shares length 4 =
     * group 00 1d + key_exchange length 00 00 */
    static const uint8_t ch_empty_kx[] = {0x00, 0x04, 0x00, 0x1d, 0x00, 0x00};
    static const uint8_t sh_empty_kx[] = {0x00, 0x1d, 0x00, 0x00};
    /* RFC 8446 4.2.8 "Clients MUST NOT offer multiple KeyShareEntry values
     * for the same group": 00 1d twice (length 00 01 each) */
    static const uint8_t ch_dup[] = {0x00, 0x0a, 0x00, 0x1d, 0x00, 0x01,
                                     0xaa, 0x00, 0x1d, 0x00, 0x01, 0xbb};
    /* the same with the second group 00 17: valid, two entries */
    static const uint8_t ch_two[] = {0x00, 0x0a, 0x00, 0x1d, 0x00, 0x01,
                                     0xaa, 0x00, 0x17, 0x00, 0x01, 0xbb};
    /* dup after another group: 1d, 17, 1d */
    static const uint8_t ch_dup3[] = {0x00, 0x0f, 0x00, 0x1d, 0x00, 0x01, 0xaa, 0x00, 0x17,
                                      0x00, 0x01, 0xbb, 0x00, 0x1d, 0x00, 0x01, 0xcc};
    ext_out o;
    td_key_share_entry e;
    td_rd list;
    int got = 7;

    expect_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, span_of(ch_empty_kx, sizeof ch_empty_kx),
                TD_ALERT_DECODE_ERROR);
    expect_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_SERVER_HELLO13,
                span_of(sh_empty_kx, sizeof sh_empty_kx), TD_ALERT_DECODE_ERROR);
    expect_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, span_of(ch_dup, sizeof ch_dup),
                TD_ALERT_ILLEGAL_PARAMETER);
    expect_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, span_of(ch_dup3, sizeof ch_dup3),
                TD_ALERT_ILLEGAL_PARAMETER);
    check_valid(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, span_of(ch_two, sizeof ch_two), &o, 1);
    ck_assert_uint_eq(o.key_share.count, 2);

    /* the encoder writes what the decoder refuses, and the decoder
     * refuses it on receipt: the duplicate group (RFC 8446 4.2.8,
     * illegal_parameter) and the empty key_exchange (decode_error) */
    o.key_share.client_shares = span_of(ch_dup + 2, sizeof ch_dup - 2);
    encode_then_reject(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, &o,
                       span_of(ch_dup, sizeof ch_dup), TD_ALERT_ILLEGAL_PARAMETER);
    o.key_share.server_share.group = 0x001d;
    o.key_share.server_share.key_exchange = span_of(NULL, 0);
    encode_then_reject(TD_EXT_KEY_SHARE, TD_EXT_CTX_SERVER_HELLO13, &o,
                       span_of(sh_empty_kx, sizeof sh_empty_kx), TD_ALERT_DECODE_ERROR);

    /* the iterator leaves the reader and outputs as they were on a
     * malformed entry (RFC 8446 4.2.8 key_exchange<1..2^16-1>) */
    td_rd_init(&list, ch_empty_kx + 2, sizeof ch_empty_kx - 2);
    memset(&e, 0xa5, sizeof e);
    ck_assert_int_eq(td_key_share_entry_next(&list, &e, &got), TD_ALERT_DECODE_ERROR);
    ck_assert_uint_eq(td_rd_left(&list), 4);
    ck_assert_int_eq(got, 7);
    ck_assert_uint_eq(e.group, 0xa5a5);

    /* HRR: exactly a uint16 (RFC 8446 4.2.8 KeyShareHelloRetryRequest) */
    expect_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_HELLO_RETRY_REQUEST, span_of(ch_two, 1),
                TD_ALERT_DECODE_ERROR);
    expect_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_HELLO_RETRY_REQUEST, span_of(ch_two, 3),
                TD_ALERT_DECODE_ERROR);
    /* SH: exactly one KeyShareEntry; none, or a second, is decode_error */
    expect_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_SERVER_HELLO13, span_of(NULL, 0),
                TD_ALERT_DECODE_ERROR);
    expect_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_SERVER_HELLO13, span_of(ch_two + 2, sizeof ch_two - 2),
                TD_ALERT_DECODE_ERROR);
}
END_TEST

START_TEST(test_key_share_bounds)
{
    static const uint8_t empty_list[] = {0x00, 0x00};
    /* key_exchange of 1 byte: the minimum of <1..2^16-1> */
    static const uint8_t sh_min[] = {0x00, 0x1d, 0x00, 0x01, 0x42};
    /* client_shares length 6 with 5 bytes present (RFC 8446 6) */
    static const uint8_t ch_short[] = {0x00, 0x06, 0x00, 0x1d, 0x00, 0x01, 0x42};
    ext_out o;
    size_t n;

    /* RFC 8446 4.2.8: client_shares<0..2^16-1> "MAY be empty" */
    check_valid(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, span_of(empty_list, 2), &o, 1);
    ck_assert_uint_eq(o.key_share.count, 0);
    check_valid(TD_EXT_KEY_SHARE, TD_EXT_CTX_SERVER_HELLO13, span_of(sh_min, sizeof sh_min), &o, 1);
    expect_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, span_of(ch_short, sizeof ch_short),
                TD_ALERT_DECODE_ERROR);

    /* key_exchange of 2^16-1 bytes, the maximum (SH) */
    n = 0xffff;
    big[0] = 0x00, big[1] = 0x1d, big[2] = 0xff, big[3] = 0xff;
    memset(big + 4, 0x42, n);
    expect_ok(TD_EXT_KEY_SHARE, TD_EXT_CTX_SERVER_HELLO13, span_of(big, 4 + n), &o);
    ck_assert_uint_eq(o.key_share.server_share.key_exchange.len, n);
    expect_roundtrip(TD_EXT_KEY_SHARE, TD_EXT_CTX_SERVER_HELLO13, &o, span_of(big, 4 + n));

    /* client_shares of 2^16-1 bytes: one entry, 2 + 2 + 65531 */
    big[0] = 0xff, big[1] = 0xff, big[2] = 0x00, big[3] = 0x1d;
    big[4] = 0xff, big[5] = 0xfb; /* 65531 */
    memset(big + 6, 0x42, 65531);
    expect_ok(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, span_of(big, 2 + 0xffff), &o);
    ck_assert_uint_eq(o.key_share.count, 1);
    expect_roundtrip(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, &o, span_of(big, 2 + 0xffff));
    /* a body of 2^16 bytes has no vec16 prefix: no wire form, a caller
     * bug (td_ext.h) */
    o.key_share.client_shares = span_of(big, 0x10000);
    big[0] = 0x00, big[1] = 0x1d, big[2] = 0xff, big[3] = 0xfc; /* 65532 */
    expect_encode_fail(TD_EXT_KEY_SHARE, TD_EXT_CTX_CLIENT_HELLO, &o, TD_ERR_INTERNAL);
}
END_TEST

/* ------------------------------------------------------- pre_shared_key */

START_TEST(test_psk_valid)
{
    td_vec v3, v4;
    td_span ch, d, ticket, prefix, partial;
    ext_out o;
    td_psk_identity id;
    td_span binder;
    td_rd list;
    int got;

    vec_load("tls13/s3-1rtt.vec", &v3);
    vec_load("tls13/s4-0rtt.vec", &v4);
    /* the identity is the ticket of s3's NewSessionTicket ("00 b2": 178
     * bytes) */
    msg_ext_block(vec_get(&v3, "server", "handshake", "new_session_ticket", "message", 0), &ticket);
    ck_assert_uint_eq(ticket.len, 178);

    ch = client_hello(&v4, 0);
    ck_assert_uint_eq(ch.len, 512); /* "payload (512 octets)" */
    d = msg_ext(ch, TD_EXT_PRE_SHARED_KEY);
    /* "00 29 00 dd": 221 bytes = identities (2 + 184) + binders (2 + 33) */
    ck_assert_uint_eq(d.len, 221);
    check_valid(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, d, &o, 1);
    ck_assert_uint_eq(o.psk.identity_count, 1);
    ck_assert_uint_eq(o.psk.binder_count, 1);
    ck_assert_uint_eq(o.psk.identities.len, 0xb8); /* "00 b8" */
    ck_assert_uint_eq(o.psk.binders.len, 0x21);    /* "00 21" */
    td_rd_init_span(&list, o.psk.identities);
    ck_assert_int_eq(td_psk_identity_next(&list, &id, &got), TD_OK);
    ck_assert_int_eq(got, 1);
    ck_span_eq(id.identity, ticket);
    /* the 4 bytes after the identity in the trace: "93 3d 09 37" (s3's
     * ticket_age_add "93 3d 09 32" plus an age of 5 ms, RFC 8446
     * 4.2.11.1) */
    ck_assert_uint_eq(id.obfuscated_ticket_age, 0x933d0937);
    ck_assert_int_eq(td_psk_identity_next(&list, &id, &got), TD_OK);
    ck_assert_int_eq(got, 0);
    /* the binder is the trace's "calculate PSK binder" finished value */
    td_rd_init_span(&list, o.psk.binders);
    ck_assert_int_eq(td_psk_binder_next(&list, &binder, &got), TD_OK);
    ck_assert_int_eq(got, 1);
    ck_assert_uint_eq(binder.len, 32);
    ck_span_eq(binder, vec_get(&v4, "client", "kdf", "calculate_psk_binder", "finished", 0));
    ck_assert_int_eq(td_psk_binder_next(&list, &binder, &got), TD_OK);
    ck_assert_int_eq(got, 0);
    /* RFC 8446 4.2.11.2: the binder hash covers the ClientHello without
     * the binders list; the trace's client_hello_prefix is that part */
    ck_assert_uint_eq(td_ext_pre_shared_key_binders_len(&o.psk), 35);
    prefix = vec_get(&v4, "client", "kdf", "calculate_psk_binder", "client_hello_prefix", 0);
    ck_assert_uint_eq(ch.len - td_ext_pre_shared_key_binders_len(&o.psk), prefix.len);
    ck_span_eq(span_of(ch.p, prefix.len), prefix);

    /* the `partial` ClientHello ends after the identities: "00 29 00 dd"
     * announces 221 bytes, 186 are there (2 + 184 from offset 291 of 477);
     * without its binders the extension is decode_error (RFC 8446 6) */
    partial = vec_get(&v4, "client", "handshake", "client_hello", "partial", 0);
    ck_assert_uint_eq(partial.len, 477);
    ck_assert_uint_eq(partial.p[287], 0x00);
    ck_assert_uint_eq(partial.p[288], 0x29);
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, span_of(partial.p + 291, 186),
                TD_ALERT_DECODE_ERROR);
    ck_span_eq(span_of(partial.p + 293, 184), o.psk.identities);

    /* s4 ServerHello: "00 29 00 02 00 00", selected_identity 0 */
    d = msg_ext(vec_get(&v4, "server", "handshake", "server_hello", "message", 0),
                TD_EXT_PRE_SHARED_KEY);
    check_valid(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_SERVER_HELLO13, d, &o, 1);
    ck_assert_uint_eq(o.psk.selected_identity, 0);
    td_vec_free(&v3);
    td_vec_free(&v4);
}
END_TEST

/* OfferedPsks into big: n_ids identities of id_len bytes ('A') with age
 * 0, then n_binders binders of binder_len bytes (0x5a). */
static td_span psk_build(size_t n_ids, size_t id_len, size_t n_binders, size_t binder_len)
{
    size_t p = 2, i, ids, bs;

    for (i = 0; i < n_ids; i++) {
        big[p++] = (uint8_t)(id_len >> 8);
        big[p++] = (uint8_t)id_len;
        memset(big + p, 'A', id_len);
        p += id_len;
        memset(big + p, 0, 4);
        p += 4;
    }
    ids = p - 2;
    big[0] = (uint8_t)(ids >> 8);
    big[1] = (uint8_t)ids;
    bs = n_binders * (1 + binder_len);
    big[p++] = (uint8_t)(bs >> 8);
    big[p++] = (uint8_t)bs;
    for (i = 0; i < n_binders; i++) {
        big[p++] = (uint8_t)binder_len;
        memset(big + p, 0x5a, binder_len);
        p += binder_len;
    }
    ck_assert_uint_le(p, sizeof big);
    return span_of(big, p);
}

START_TEST(test_psk_rfc_negative)
{
    /* RFC 8446 4.2.11: identities<7..2^16-1>. A 6-byte list ("00 06"),
     * followed by a valid binders list (00 21, 20, 32 bytes). */
    static const uint8_t ids6[] = {0x00, 0x06, 0x00, 0x01, 0x41, 0x00, 0x00, 0x00};
    ext_out o;
    td_span d;
    td_rd list;
    td_span b;
    int got = 7;

    memcpy(big, ids6, sizeof ids6);
    big[8] = 0x00, big[9] = 0x21, big[10] = 0x20;
    memset(big + 11, 0x5a, 32);
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, span_of(big, 43),
                TD_ALERT_DECODE_ERROR);

    /* empty identities or binders lists are out of range, not a count
     * mismatch: identities "00 00" + one binder; one identity + "00 00" */
    d = psk_build(1, 1, 1, 32);
    memmove(big + 2, big + 9, 35);
    big[1] = 0x00;
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, span_of(big, 37),
                TD_ALERT_DECODE_ERROR);
    d = psk_build(1, 1, 1, 32);
    big[10] = 0x00;
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, span_of(big, 11),
                TD_ALERT_DECODE_ERROR);
    /* written as the 11 bytes just rejected (00 07, the identity, 00 00),
     * and rejected again on receipt */
    o.psk.identities = span_of(big + 2, 7);
    o.psk.binders = span_of(NULL, 0);
    encode_then_reject(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, &o, span_of(big, 11),
                       TD_ALERT_DECODE_ERROR);

    /* RFC 8446 4.2.11: PskBinderEntry<32..255>. One binder of 31 bytes
     * makes binders 32 bytes long, under binders<33..>; */
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, psk_build(1, 1, 1, 31),
                TD_ALERT_DECODE_ERROR);
    /* two binders (32 and 31 bytes) pass the list bound and fail the
     * entry bound: binders 00 41 = 33 + 32 */
    d = psk_build(2, 1, 2, 32); /* 00 0e, 14 bytes of ids, 00 42, ... */
    ck_assert_uint_eq(big[16], 0x00);
    ck_assert_uint_eq(big[17], 0x42);
    big[17] = 0x41;    /* binders list length 65 */
    big[18 + 33] = 31; /* second binder 31 bytes */
    d.len -= 1;
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, d, TD_ALERT_DECODE_ERROR);
    td_rd_init(&list, big + 18, 65);
    ck_assert_int_eq(td_psk_binder_next(&list, &b, &got), TD_OK);
    ck_assert_int_eq(td_psk_binder_next(&list, &b, &got), TD_ALERT_DECODE_ERROR);
    ck_assert_uint_eq(td_rd_left(&list), 32); /* unchanged by the failure */

    /* RFC 8446 4.2.11: identity<1..2^16-1>; an empty identity (00 00)
     * followed by its age makes a 6-byte entry, padded to the 7-byte
     * minimum list by a second, valid, identity */
    d = psk_build(2, 1, 2, 32);
    big[2] = 0x00, big[3] = 0x00;         /* first identity length 0 */
    memmove(big + 4, big + 5, d.len - 5); /* drop its 'A' */
    big[1] = 13;                          /* identities 6 + 7 */
    d.len -= 1;
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, d, TD_ALERT_DECODE_ERROR);

    /* RFC 8446 4.2.11 "one [binder] for each value in the identities
     * list": a count mismatch is illegal_parameter (RFC 8446 6.2, "errors
     * which conform to the formal protocol syntax but are otherwise
     * incorrect"); see td_ext_pre_shared_key.c */
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, psk_build(2, 1, 1, 32),
                TD_ALERT_ILLEGAL_PARAMETER);
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, psk_build(1, 1, 2, 32),
                TD_ALERT_ILLEGAL_PARAMETER);
    check_valid(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, psk_build(3, 5, 3, 48), &o, 1);
    ck_assert_uint_eq(o.psk.identity_count, 3);
    ck_assert_uint_eq(o.psk.binder_count, 3);
    /* the encoder writes the mismatch (the same bytes: 00 0e, two
     * identities, 00 21, one binder) and the receiver rejects it */
    d = psk_build(2, 1, 1, 32);
    o.psk.identities = span_of(d.p + 2, 14);
    o.psk.binders = span_of(d.p + 18, 33);
    encode_then_reject(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, &o, d,
                       TD_ALERT_ILLEGAL_PARAMETER);
    /* identities of 6 bytes, under <7..>: 00 06, the first 6 bytes of the
     * identities, then the binders as above */
    {
        uint8_t want[2 + 6 + 2 + 33];

        want[0] = 0x00, want[1] = 0x06;
        memcpy(want + 2, d.p + 2, 6);
        memcpy(want + 8, d.p + 16, 2 + 33);
        o.psk.identities = span_of(d.p + 2, 6);
        encode_then_reject(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, &o,
                           span_of(want, sizeof want), TD_ALERT_DECODE_ERROR);
    }

    /* SH: exactly a uint16 selected_identity */
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_SERVER_HELLO13, span_of(ids6, 1),
                TD_ALERT_DECODE_ERROR);
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_SERVER_HELLO13, span_of(ids6, 3),
                TD_ALERT_DECODE_ERROR);
}
END_TEST

START_TEST(test_psk_bounds)
{
    ext_out o;
    td_span d;

    /* identities of exactly 7 bytes and binders of exactly 33 */
    d = psk_build(1, 1, 1, 32);
    ck_assert_uint_eq(d.len, 2 + 7 + 2 + 33);
    check_valid(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, d, &o, 1);
    /* binder of 255 bytes, the entry maximum */
    check_valid(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, psk_build(1, 1, 1, 255), &o, 1);
    /* identities of 2^16-1 bytes: one identity of 65529 (2 + 65529 + 4) */
    d = psk_build(1, 65529, 1, 32);
    ck_assert_uint_eq(big[0], 0xff);
    ck_assert_uint_eq(big[1], 0xff);
    expect_ok(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, d, &o);
    expect_roundtrip(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, &o, d);
    /* one more byte in the identity: 2^16 has no vec16 form; the list
     * prefix wraps to 0, under the minimum of 7 */
    d = psk_build(1, 65530, 1, 32);
    ck_assert_uint_eq(big[0], 0x00);
    expect_fail(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, d, TD_ALERT_DECODE_ERROR);
    /* binders of 2^16-1 bytes: 255 binders of 255 (256 bytes each) and
     * one of 254, 65280 + 255; as many identities (7 bytes each) */
    d = psk_build(256, 1, 256, 255);
    ck_assert_uint_eq(d.len, 2 + 256 * 7 + 2 + 256 * 256);
    d.len = 2 + 256 * 7; /* keep the identities, rewrite the binders */
    {
        size_t p = d.len, i;
        big[p++] = 0xff, big[p++] = 0xff;
        for (i = 0; i < 256; i++) {
            size_t bl = i < 255 ? 255 : 254;
            big[p++] = (uint8_t)bl;
            memset(big + p, 0x5a, bl);
            p += bl;
        }
        d.len = p;
    }
    expect_ok(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, d, &o);
    ck_assert_uint_eq(o.psk.binders.len, 0xffff);
    ck_assert_uint_eq(o.psk.binder_count, 256);
    ck_assert_uint_eq(td_ext_pre_shared_key_binders_len(&o.psk), 0x10001);
    expect_roundtrip(TD_EXT_PRE_SHARED_KEY, TD_EXT_CTX_CLIENT_HELLO, &o, d);
}
END_TEST

/* ------------------------------------------ early_data, psk modes, cookie */

START_TEST(test_early_data_valid)
{
    static const uint8_t one[] = {0x00, 0x00, 0x00, 0x00, 0x00};
    td_vec v3, v4;
    td_span d;
    ext_out o;

    vec_load("tls13/s3-1rtt.vec", &v3);
    vec_load("tls13/s4-0rtt.vec", &v4);
    /* s4 ClientHello "00 2a 00 00" and EncryptedExtensions "00 2a 00 00":
     * Empty */
    d = msg_ext(client_hello(&v4, 0), TD_EXT_EARLY_DATA);
    check_valid(TD_EXT_EARLY_DATA, TD_EXT_CTX_CLIENT_HELLO, d, &o, 1);
    ck_assert_uint_eq(d.len, 0);
    d = msg_ext(vec_get(&v4, "server", "handshake", "encrypted_extensions", "message", 0),
                TD_EXT_EARLY_DATA);
    check_valid(TD_EXT_EARLY_DATA, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, d, &o, 1);
    /* s3 NewSessionTicket "00 2a 00 04 00 00 04 00":
     * max_early_data_size 0x400 = 1024 */
    d = msg_ext(vec_get(&v3, "server", "handshake", "new_session_ticket", "message", 0),
                TD_EXT_EARLY_DATA);
    check_valid(TD_EXT_EARLY_DATA, TD_EXT_CTX_NEW_SESSION_TICKET, d, &o, 1);
    ck_assert_uint_eq(o.early_data.max_early_data_size, 1024);
    /* RFC 8446 4.2.10: CH and EE carry Empty; one byte is decode_error */
    expect_fail(TD_EXT_EARLY_DATA, TD_EXT_CTX_CLIENT_HELLO, span_of(one, 1), TD_ALERT_DECODE_ERROR);
    expect_fail(TD_EXT_EARLY_DATA, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, span_of(one, 1),
                TD_ALERT_DECODE_ERROR);
    /* NST: uint32; 3 and 5 bytes are decode_error, 0xffffffff is valid */
    expect_fail(TD_EXT_EARLY_DATA, TD_EXT_CTX_NEW_SESSION_TICKET, span_of(one, 3),
                TD_ALERT_DECODE_ERROR);
    expect_fail(TD_EXT_EARLY_DATA, TD_EXT_CTX_NEW_SESSION_TICKET, span_of(one, 5),
                TD_ALERT_DECODE_ERROR);
    memset(big, 0xff, 4);
    check_valid(TD_EXT_EARLY_DATA, TD_EXT_CTX_NEW_SESSION_TICKET, span_of(big, 4), &o, 1);
    ck_assert_uint_eq(o.early_data.max_early_data_size, 0xffffffffu);
    td_vec_free(&v3);
    td_vec_free(&v4);
}
END_TEST

START_TEST(test_psk_key_exchange_modes_valid)
{
    /* RFC 8446 4.2.9: ke_modes<1..255>; length 0 is decode_error */
    static const uint8_t empty[] = {0x00};
    /* length 2 announced, 1 present */
    static const uint8_t short2[] = {0x02, 0x01};
    td_vec v;
    td_span d;
    ext_out o;

    /* every ClientHello of the traces: "00 2d 00 02 01 01", psk_dhe_ke */
    vec_load(traces[_i], &v);
    d = msg_ext(client_hello(&v, 0), TD_EXT_PSK_KEY_EXCHANGE_MODES);
    check_valid(TD_EXT_PSK_KEY_EXCHANGE_MODES, TD_EXT_CTX_CLIENT_HELLO, d, &o, 1);
    ck_assert_uint_eq(o.pkm.ke_modes.len, 1);
    ck_assert_uint_eq(o.pkm.ke_modes.p[0], TD_PSK_DHE_KE);
    td_vec_free(&v);

    expect_fail(TD_EXT_PSK_KEY_EXCHANGE_MODES, TD_EXT_CTX_CLIENT_HELLO, span_of(empty, 1),
                TD_ALERT_DECODE_ERROR);
    expect_fail(TD_EXT_PSK_KEY_EXCHANGE_MODES, TD_EXT_CTX_CLIENT_HELLO, span_of(short2, 2),
                TD_ALERT_DECODE_ERROR);
    /* 255 modes, the maximum */
    big[0] = 0xff;
    memset(big + 1, TD_PSK_KE, 255);
    check_valid(TD_EXT_PSK_KEY_EXCHANGE_MODES, TD_EXT_CTX_CLIENT_HELLO, span_of(big, 256), &o, 1);
    /* an empty ke_modes is written as its length 00 and rejected on
     * receipt (RFC 8446 4.2.9 ke_modes<1..255>) */
    o.pkm.ke_modes = span_of(NULL, 0);
    encode_then_reject(TD_EXT_PSK_KEY_EXCHANGE_MODES, TD_EXT_CTX_CLIENT_HELLO, &o,
                       span_of(empty, 1), TD_ALERT_DECODE_ERROR);
    /* 256 modes have no 1-byte length: no wire form */
    o.pkm.ke_modes = span_of(big, 256);
    expect_encode_fail(TD_EXT_PSK_KEY_EXCHANGE_MODES, TD_EXT_CTX_CLIENT_HELLO, &o,
                       TD_ERR_INTERNAL);
}
END_TEST

START_TEST(test_cookie_valid)
{
    static const uint8_t empty[] = {0x00, 0x00};
    static const uint8_t one[] = {0x00, 0x01, 0x63};
    td_vec v;
    td_span d, c;
    ext_out o;

    vec_load("tls13/s5-hrr.vec", &v);
    /* HelloRetryRequest "00 2c 00 74 00 72 ...": a 114-byte cookie */
    d = msg_ext(vec_get(&v, "server", "handshake", "server_hello", "message", 0), TD_EXT_COOKIE);
    check_valid(TD_EXT_COOKIE, TD_EXT_CTX_HELLO_RETRY_REQUEST, d, &o, 1);
    ck_assert_uint_eq(o.cookie.cookie.len, 0x72);
    c = o.cookie.cookie;
    /* RFC 8446 4.2.2: the second ClientHello copies it */
    d = msg_ext(vec_get(&v, "client", "handshake", "client_hello", "message", 1), TD_EXT_COOKIE);
    check_valid(TD_EXT_COOKIE, TD_EXT_CTX_CLIENT_HELLO, d, &o, 1);
    ck_span_eq(o.cookie.cookie, c);
    td_vec_free(&v);

    /* RFC 8446 4.2.2: cookie<1..2^16-1> */
    expect_fail(TD_EXT_COOKIE, TD_EXT_CTX_CLIENT_HELLO, span_of(empty, 2), TD_ALERT_DECODE_ERROR);
    check_valid(TD_EXT_COOKIE, TD_EXT_CTX_CLIENT_HELLO, span_of(one, 3), &o, 1);
    big[0] = 0xff, big[1] = 0xff;
    memset(big + 2, 0x63, 0xffff);
    expect_ok(TD_EXT_COOKIE, TD_EXT_CTX_HELLO_RETRY_REQUEST, span_of(big, 2 + 0xffff), &o);
    expect_roundtrip(TD_EXT_COOKIE, TD_EXT_CTX_HELLO_RETRY_REQUEST, &o, span_of(big, 2 + 0xffff));
    /* an empty cookie is written as 00 00 and rejected on receipt */
    o.cookie.cookie = span_of(NULL, 0);
    encode_then_reject(TD_EXT_COOKIE, TD_EXT_CTX_CLIENT_HELLO, &o, span_of(empty, 2),
                       TD_ALERT_DECODE_ERROR);
    /* 2^16 bytes have no vec16 length: no wire form */
    o.cookie.cookie = span_of(big, 0x10000);
    expect_encode_fail(TD_EXT_COOKIE, TD_EXT_CTX_CLIENT_HELLO, &o, TD_ERR_INTERNAL);
}
END_TEST

/* ------------------------------------- padding, record_size_limit, CAs */

START_TEST(test_padding_valid)
{
    static const uint8_t nonzero[] = {0x00, 0x01, 0x00};
    td_vec v4, v5;
    td_span d;
    ext_out o;
    size_t i;

    vec_load("tls13/s4-0rtt.vec", &v4);
    vec_load("tls13/s5-hrr.vec", &v5);
    /* s4 ClientHello "00 15 00 57": 87 zero bytes */
    d = msg_ext(client_hello(&v4, 0), TD_EXT_PADDING);
    check_valid(TD_EXT_PADDING, TD_EXT_CTX_CLIENT_HELLO, d, &o, 0);
    ck_assert_uint_eq(o.padding.padding.len, 0x57);
    for (i = 0; i < o.padding.padding.len; i++)
        ck_assert_uint_eq(o.padding.padding.p[i], 0);
    /* s5 second ClientHello "00 15 00 af": 175 zero bytes */
    d = msg_ext(vec_get(&v5, "client", "handshake", "client_hello", "message", 1), TD_EXT_PADDING);
    check_valid(TD_EXT_PADDING, TD_EXT_CTX_CLIENT_HELLO, d, &o, 0);
    ck_assert_uint_eq(o.padding.padding.len, 0xaf);
    td_vec_free(&v4);
    td_vec_free(&v5);

    /* RFC 7685 3: "the padding extension_data field may be empty" */
    check_valid(TD_EXT_PADDING, TD_EXT_CTX_CLIENT_HELLO, span_of(NULL, 0), &o, 0);
    /* RFC 7685 3 asks the client for zeros and the receiver for nothing:
     * non-zero padding decodes and round-trips unchanged (see
     * td_ext_padding.c) */
    check_valid(TD_EXT_PADDING, TD_EXT_CTX_CLIENT_HELLO, span_of(nonzero, 3), &o, 0);
    ck_assert_uint_eq(o.padding.padding.p[1], 0x01);
    /* 2^16-1 bytes fill extension_data<0..2^16-1>; one more has no wire
     * form (RFC 8446 4.2) */
    memset(big, 0, 0x10000);
    o.padding.padding = span_of(big, 0xffff);
    expect_roundtrip(TD_EXT_PADDING, TD_EXT_CTX_CLIENT_HELLO, &o, span_of(big, 0xffff));
    o.padding.padding = span_of(big, 0x10000);
    expect_encode_fail(TD_EXT_PADDING, TD_EXT_CTX_CLIENT_HELLO, &o, TD_ERR_INTERNAL);
}
END_TEST

START_TEST(test_record_size_limit_valid)
{
    static const uint8_t v63[] = {0x00, 0x3f}, v64[] = {0x00, 0x40}, v0[] = {0x00, 0x00},
                         vmax[] = {0xff, 0xff};
    td_vec v;
    td_span d;
    ext_out o;

    /* every ClientHello and EncryptedExtensions of the traces:
     * "00 1c 00 02 40 01", 0x4001 = 2^14 + 1, TLS 1.3's limit (RFC 8449
     * 4) */
    vec_load(traces[_i], &v);
    d = msg_ext(client_hello(&v, 0), TD_EXT_RECORD_SIZE_LIMIT);
    check_valid(TD_EXT_RECORD_SIZE_LIMIT, TD_EXT_CTX_CLIENT_HELLO, d, &o, 1);
    ck_assert_uint_eq(o.rsl.record_size_limit, 0x4001);
    d = msg_ext(vec_get(&v, "server", "handshake", "encrypted_extensions", "message", 0),
                TD_EXT_RECORD_SIZE_LIMIT);
    check_valid(TD_EXT_RECORD_SIZE_LIMIT, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, d, &o, 1);
    ck_assert_uint_eq(o.rsl.record_size_limit, 0x4001);
    td_vec_free(&v);

    /* RFC 8449 4: "An endpoint MUST treat receipt of a smaller value [than
     * 64] as a fatal error and generate an "illegal_parameter" alert." */
    expect_fail(TD_EXT_RECORD_SIZE_LIMIT, TD_EXT_CTX_CLIENT_HELLO, span_of(v63, 2),
                TD_ALERT_ILLEGAL_PARAMETER);
    expect_fail(TD_EXT_RECORD_SIZE_LIMIT, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, span_of(v0, 2),
                TD_ALERT_ILLEGAL_PARAMETER);
    check_valid(TD_EXT_RECORD_SIZE_LIMIT, TD_EXT_CTX_SERVER_HELLO12, span_of(v64, 2), &o, 1);
    ck_assert_uint_eq(o.rsl.record_size_limit, 64);
    /* the upper limit depends on the negotiated version (RFC 8449 4):
     * not the codec's to judge */
    check_valid(TD_EXT_RECORD_SIZE_LIMIT, TD_EXT_CTX_CLIENT_HELLO, span_of(vmax, 2), &o, 1);
    /* RFC 8449 4: "Endpoints MUST NOT send ... a value smaller than 64";
     * the encoder writes 63 (00 3f) all the same, so that a test can send
     * it, and the receiver answers illegal_parameter */
    o.rsl.record_size_limit = 63;
    encode_then_reject(TD_EXT_RECORD_SIZE_LIMIT, TD_EXT_CTX_CLIENT_HELLO, &o, span_of(v63, 2),
                       TD_ALERT_ILLEGAL_PARAMETER);
}
END_TEST

/* A DistinguishedName derived by hand (X.501 Name, DER per X.690):
 * 30 0c                  SEQUENCE, 12 bytes (RDNSequence)
 *   31 0a                SET, 10 bytes (RelativeDistinguishedName)
 *     30 08              SEQUENCE, 8 bytes (AttributeTypeAndValue)
 *       06 03 55 04 03   OID 2.5.4.3 (commonName)
 *       0c 01 41         UTF8String "A"
 * 14 bytes. In the extension each name has its own length (00 0e) inside
 * the authorities list. */
static const uint8_t dn_a[] = {0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06,
                               0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0x41};

START_TEST(test_certificate_authorities_valid)
{
    /* authorities<3..2^16-1>: length 2 ("00 02" + an empty name "00 00")
     * is under the minimum; length 3 (one 1-byte name) is the minimum */
    static const uint8_t len2[] = {0x00, 0x02, 0x00, 0x00};
    static const uint8_t len0[] = {0x00, 0x00};
    static const uint8_t len3[] = {0x00, 0x03, 0x00, 0x01, 0x30};
    /* DistinguishedName<1..2^16-1>: an empty name inside a 5-byte list */
    static const uint8_t empty_dn[] = {0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x30};
    ext_out o;
    td_rd list;
    td_span dn;
    int got;

    /* one name: 00 10, 00 0e, dn_a; two names: 00 20 (2 x (2 + 14)) */
    big[0] = 0x00, big[1] = 0x10;
    big[2] = 0x00, big[3] = 0x0e;
    memcpy(big + 4, dn_a, sizeof dn_a);
    check_valid(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO, span_of(big, 18), &o, 1);
    ck_assert_uint_eq(o.ca.count, 1);
    big[0] = 0x00, big[1] = 0x20;
    big[2] = 0x00, big[3] = 0x0e;
    memcpy(big + 4, dn_a, sizeof dn_a);
    memcpy(big + 18, big + 2, 16);
    check_valid(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CERTIFICATE_REQUEST, span_of(big, 34),
                &o, 1);
    ck_assert_uint_eq(o.ca.count, 2);
    td_rd_init_span(&list, o.ca.authorities);
    ck_assert_int_eq(td_distinguished_name_next(&list, &dn, &got), TD_OK);
    ck_assert_int_eq(got, 1);
    ck_span_eq(dn, span_of(dn_a, sizeof dn_a));
    ck_assert_int_eq(td_distinguished_name_next(&list, &dn, &got), TD_OK);
    ck_assert_int_eq(got, 1);
    ck_span_eq(dn, span_of(dn_a, sizeof dn_a));
    ck_assert_int_eq(td_distinguished_name_next(&list, &dn, &got), TD_OK);
    ck_assert_int_eq(got, 0);

    expect_fail(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO, span_of(len2, sizeof len2),
                TD_ALERT_DECODE_ERROR);
    expect_fail(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO, span_of(len0, sizeof len0),
                TD_ALERT_DECODE_ERROR);
    /* written as 00 00 and rejected on receipt */
    o.ca.authorities = span_of(NULL, 0);
    encode_then_reject(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO, &o,
                       span_of(len0, sizeof len0), TD_ALERT_DECODE_ERROR);
    check_valid(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO, span_of(len3, sizeof len3),
                &o, 1);
    expect_fail(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO,
                span_of(empty_dn, sizeof empty_dn), TD_ALERT_DECODE_ERROR);
    /* the encoder writes both lists as they are (their own bytes back),
     * and the decoder rejects them */
    o.ca.authorities = span_of(empty_dn + 2, 5);
    encode_then_reject(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO, &o,
                       span_of(empty_dn, sizeof empty_dn), TD_ALERT_DECODE_ERROR);
    o.ca.authorities = span_of(len2 + 2, 2);
    encode_then_reject(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO, &o,
                       span_of(len2, sizeof len2), TD_ALERT_DECODE_ERROR);
    /* 2^16-1 bytes: one name of 65533 */
    big[0] = 0xff, big[1] = 0xff, big[2] = 0xff, big[3] = 0xfd;
    memset(big + 4, 0x30, 65533);
    expect_ok(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO, span_of(big, 2 + 0xffff),
              &o);
    ck_assert_uint_eq(o.ca.count, 1);
    expect_roundtrip(TD_EXT_CERTIFICATE_AUTHORITIES, TD_EXT_CTX_CLIENT_HELLO, &o,
                     span_of(big, 2 + 0xffff));
}
END_TEST

/* --------------------------------------------------------------- context */

/* Where each extension has a form: the RFC 8446 4.2 table; padding: RFC
 * 7685 3 (ClientHello only); record_size_limit: RFC 8449 4 (CH, EE, and
 * the TLS 1.2 ServerHello). */
static const struct {
    uint16_t type;
    unsigned ctxs;
    td_ext_ctx sample_ctx;
    const uint8_t *sample;
    size_t sample_len;
} ctx_table[] = {
    {TD_EXT_KEY_SHARE, CH | SH | HRR, TD_EXT_CTX_HELLO_RETRY_REQUEST, (const uint8_t *)"\x00\x17",
     2},
    {TD_EXT_PSK_KEY_EXCHANGE_MODES, CH, TD_EXT_CTX_CLIENT_HELLO, (const uint8_t *)"\x01\x01", 2},
    {TD_EXT_PRE_SHARED_KEY, CH | SH, TD_EXT_CTX_SERVER_HELLO13, (const uint8_t *)"\x00\x00", 2},
    {TD_EXT_EARLY_DATA, CH | EE | NST, TD_EXT_CTX_NEW_SESSION_TICKET,
     (const uint8_t *)"\x00\x00\x04\x00", 4},
    {TD_EXT_COOKIE, CH | HRR, TD_EXT_CTX_HELLO_RETRY_REQUEST, (const uint8_t *)"\x00\x01\x63", 3},
    {TD_EXT_PADDING, CH, TD_EXT_CTX_CLIENT_HELLO, (const uint8_t *)"\x00\x00", 2},
    {TD_EXT_RECORD_SIZE_LIMIT, CH | SH12 | EE, TD_EXT_CTX_CLIENT_HELLO, (const uint8_t *)"\x40\x01",
     2},
    {TD_EXT_CERTIFICATE_AUTHORITIES, CH | CR, TD_EXT_CTX_CLIENT_HELLO,
     (const uint8_t *)"\x00\x03\x00\x01\x30", 5},
};

START_TEST(test_context)
{
    ext_out o;
    unsigned c;
    size_t i;

    for (i = 0; i < sizeof ctx_table / sizeof ctx_table[0]; i++) {
        uint16_t t = ctx_table[i].type;
        td_span d = span_of(ctx_table[i].sample, ctx_table[i].sample_len);

        expect_ok(t, ctx_table[i].sample_ctx, d, &o);
        for (c = 0; c < TD_EXT_CTX_COUNT; c++) {
            int allowed = (ctx_table[i].ctxs >> c) & 1u;

            /* the block codec's table says the same */
            ck_assert_msg(td_ext_allowed(t, (td_ext_ctx)c) == allowed, "td_ext_allowed(%u, %s)", t,
                          td_ext_ctx_name((td_ext_ctx)c));
            if (allowed)
                continue;
            /* RFC 8446 4.2: an extension "not specified for the message
             * in which it appears" is illegal_parameter; a sender has no
             * form to write there (td_ext.h: TD_ERR_INTERNAL) */
            expect_fail(t, (td_ext_ctx)c, d, TD_ALERT_ILLEGAL_PARAMETER);
            expect_encode_fail(t, (td_ext_ctx)c, &o, TD_ERR_INTERNAL);
        }
        /* a context outside td_ext_ctx is a caller bug in both directions */
        expect_fail(t, TD_EXT_CTX_COUNT, d, TD_ERR_INTERNAL);
        expect_fail(t, (td_ext_ctx)99, d, TD_ERR_INTERNAL);
        expect_encode_fail(t, TD_EXT_CTX_COUNT, &o, TD_ERR_INTERNAL);
    }
}
END_TEST

static void more_tcases(Suite *s)
{
    TCase *tc;
    int n = (int)(sizeof traces / sizeof traces[0]);

    tc = tcase_create("pre_shared_key");
    tcase_add_test(tc, test_psk_valid);
    tcase_add_test(tc, test_psk_rfc_negative);
    tcase_add_test(tc, test_psk_bounds);
    suite_add_tcase(s, tc);

    tc = tcase_create("small");
    tcase_add_test(tc, test_early_data_valid);
    tcase_add_loop_test(tc, test_psk_key_exchange_modes_valid, 0, n);
    tcase_add_test(tc, test_cookie_valid);
    tcase_add_test(tc, test_padding_valid);
    tcase_add_loop_test(tc, test_record_size_limit_valid, 0, n);
    tcase_add_test(tc, test_certificate_authorities_valid);
    suite_add_tcase(s, tc);

    tc = tcase_create("context");
    tcase_add_test(tc, test_context);
    suite_add_tcase(s, tc);
}

/* ------------------------------------------------------------- suite */

Suite *td_ext_tls13_suite(void);

Suite *td_ext_tls13_suite(void)
{
    Suite *s = suite_create("ext_tls13");
    TCase *tc;

    tc = tcase_create("key_share");
    tcase_add_loop_test(tc, test_key_share_valid, 0, (int)(sizeof traces / sizeof traces[0]));
    tcase_add_test(tc, test_key_share_rfc_negative);
    tcase_add_test(tc, test_key_share_bounds);
    suite_add_tcase(s, tc);
    more_tcases(s);
    return s;
}
