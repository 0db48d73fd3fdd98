/*
 * ext_basic: the extension codecs of server_name, max_fragment_length,
 * status_request, supported_groups, ec_point_formats,
 * signature_algorithms(_cert), ALPN, the empty extensions
 * (extended_master_secret, encrypt_then_mac, post_handshake_auth),
 * session_ticket, renegotiation_info and supported_versions, and the name
 * tables of td_ext.h.
 *
 * Expected values come from:
 *   - the messages of the TLS 1.3 example traces (vectors/tls13, RFC 8448
 *     style), walked here without the message codecs; each extension's
 *     fields are written out next to the trace bytes they come from;
 *   - TLS 1.2 captures in vectors/tls12 when that folder exists (decoded
 *     and re-encoded byte for byte);
 *   - bytes given by the RFCs (RFC 8422 5.1.2 "00 0B 00 02 01 00", RFC
 *     7627 5.1 "00 17 00 00") and hand derivations from the RFC structs,
 *     each with its derivation in a comment.
 * Every negative case names the RFC clause it checks.
 */
#include "td_vec.h" /* first: it selects POSIX */

#include "td_ext.h"

#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

/* Every struct the codecs under test fill. */
typedef union ext_out {
    td_ext_server_name sni;
    td_ext_max_fragment_length mfl;
    td_ext_status_request sr;
    td_ext_supported_groups sg;
    td_ext_ec_point_formats pf;
    td_ext_signature_algorithms sa;
    td_ext_alpn alpn;
    td_ext_session_ticket st;
    td_ext_renegotiation_info ri;
    td_ext_supported_versions sv;
} ext_out;

/* The types this suite covers. */
static const uint16_t types[] = {
    TD_EXT_SERVER_NAME,          TD_EXT_MAX_FRAGMENT_LENGTH,
    TD_EXT_STATUS_REQUEST,       TD_EXT_SUPPORTED_GROUPS,
    TD_EXT_EC_POINT_FORMATS,     TD_EXT_SIGNATURE_ALGORITHMS,
    TD_EXT_SIGNATURE_ALGORITHMS_CERT, TD_EXT_ALPN,
    TD_EXT_EXTENDED_MASTER_SECRET, TD_EXT_ENCRYPT_THEN_MAC,
    TD_EXT_POST_HANDSHAKE_AUTH,  TD_EXT_SESSION_TICKET,
    TD_EXT_RENEGOTIATION_INFO,   TD_EXT_SUPPORTED_VERSIONS,
};
#define NTYPES (sizeof types / sizeof types[0])

static int covered(uint16_t type)
{
    size_t i;

    for (i = 0; i < NTYPES; i++)
        if (types[i] == type)
            return 1;
    return 0;
}

static td_err ext_decode(uint16_t type, td_span data, td_ext_ctx ctx,
                         ext_out *o)
{
    switch (type) {
    case TD_EXT_SERVER_NAME:
        return td_ext_server_name_decode(data, ctx, &o->sni);
    case TD_EXT_MAX_FRAGMENT_LENGTH:
        return td_ext_max_fragment_length_decode(data, ctx, &o->mfl);
    case TD_EXT_STATUS_REQUEST:
        return td_ext_status_request_decode(data, ctx, &o->sr);
    case TD_EXT_SUPPORTED_GROUPS:
        return td_ext_supported_groups_decode(data, ctx, &o->sg);
    case TD_EXT_EC_POINT_FORMATS:
        return td_ext_ec_point_formats_decode(data, ctx, &o->pf);
    case TD_EXT_SIGNATURE_ALGORITHMS:
    case TD_EXT_SIGNATURE_ALGORITHMS_CERT:
        return td_ext_signature_algorithms_decode(data, ctx, &o->sa);
    case TD_EXT_ALPN:
        return td_ext_alpn_decode(data, ctx, &o->alpn);
    case TD_EXT_EXTENDED_MASTER_SECRET:
    case TD_EXT_ENCRYPT_THEN_MAC:
    case TD_EXT_POST_HANDSHAKE_AUTH:
        return td_ext_empty_decode(type, data, ctx);
    case TD_EXT_SESSION_TICKET:
        return td_ext_session_ticket_decode(data, ctx, &o->st);
    case TD_EXT_RENEGOTIATION_INFO:
        return td_ext_renegotiation_info_decode(data, ctx, &o->ri);
    case TD_EXT_SUPPORTED_VERSIONS:
        return td_ext_supported_versions_decode(data, ctx, &o->sv);
    default:
        ck_abort_msg("type %u not covered", type);
        return TD_ERR_INTERNAL;
    }
}

static td_err ext_encode(td_wr *wr, uint16_t type, td_ext_ctx ctx,
                         const ext_out *o)
{
    switch (type) {
    case TD_EXT_SERVER_NAME:
        return td_ext_server_name_encode(wr, ctx, &o->sni);
    case TD_EXT_MAX_FRAGMENT_LENGTH:
        return td_ext_max_fragment_length_encode(wr, ctx, &o->mfl);
    case TD_EXT_STATUS_REQUEST:
        return td_ext_status_request_encode(wr, ctx, &o->sr);
    case TD_EXT_SUPPORTED_GROUPS:
        return td_ext_supported_groups_encode(wr, ctx, &o->sg);
    case TD_EXT_EC_POINT_FORMATS:
        return td_ext_ec_point_formats_encode(wr, ctx, &o->pf);
    case TD_EXT_SIGNATURE_ALGORITHMS:
    case TD_EXT_SIGNATURE_ALGORITHMS_CERT:
        return td_ext_signature_algorithms_encode(wr, ctx, &o->sa);
    case TD_EXT_ALPN:
        return td_ext_alpn_encode(wr, ctx, &o->alpn);
    case TD_EXT_EXTENDED_MASTER_SECRET:
    case TD_EXT_ENCRYPT_THEN_MAC:
    case TD_EXT_POST_HANDSHAKE_AUTH:
        return td_ext_empty_encode(wr, type, ctx);
    case TD_EXT_SESSION_TICKET:
        return td_ext_session_ticket_encode(wr, ctx, &o->st);
    case TD_EXT_RENEGOTIATION_INFO:
        return td_ext_renegotiation_info_encode(wr, ctx, &o->ri);
    case TD_EXT_SUPPORTED_VERSIONS:
        return td_ext_supported_versions_encode(wr, ctx, &o->sv);
    default:
        ck_abort_msg("type %u not covered", type);
        return TD_ERR_INTERNAL;
    }
}

/* Hex with optional spaces into buf; returns the byte count. */
static size_t hex(const char *s, uint8_t *buf, size_t cap)
{
    size_t n = 0;

    while (*s) {
        int hi, lo;
        if (*s == ' ') {
            s++;
            continue;
        }
        hi = td_vec_hexval(s[0]);
        lo = s[1] ? td_vec_hexval(s[1]) : -1;
        ck_assert_msg(hi >= 0 && lo >= 0, "bad hex in test: %s", s);
        ck_assert_uint_lt(n, cap);
        buf[n++] = (uint8_t)(hi << 4 | lo);
        s += 2;
    }
    return n;
}

static uint8_t hexbuf[4096];

static td_span H(const char *s)
{
    td_span sp;

    sp.len = hex(s, hexbuf, sizeof hexbuf);
    sp.p = hexbuf;
    return sp;
}

static void ck_span_eq(td_span got, td_span want)
{
    ck_assert_uint_eq(got.len, want.len);
    if (want.len)
        ck_assert_mem_eq(got.p, want.p, want.len);
}

static void ck_span_hex(td_span got, const char *want)
{
    uint8_t b[512];
    td_span w;

    w.len = hex(want, b, sizeof b);
    w.p = b;
    ck_span_eq(got, w);
}

/* Decode must succeed; encode must give the same bytes back, and fail
 * with TD_ERR_NOSPACE, writer unchanged, into any shorter buffer. */
static void roundtrip(uint16_t type, td_ext_ctx ctx, td_span data,
                      ext_out *o)
{
    static uint8_t out[(1u << 24) + 16];
    td_wr wr;
    size_t before;
    td_span got;
    td_err err;

    memset(o, 0, sizeof *o);
    err = ext_decode(type, data, ctx, o);
    ck_assert_msg(err == TD_OK, "%s in %s: %s", td_ext_name(type),
                  td_ext_ctx_name(ctx), td_err_name(err));
    td_wr_init(&wr, out, sizeof out);
    ck_assert_int_eq(td_wr_u8(&wr, 0xee), TD_OK); /* a byte before */
    err = ext_encode(&wr, type, ctx, o);
    ck_assert_msg(err == TD_OK, "encode %s in %s: %s", td_ext_name(type),
                  td_ext_ctx_name(ctx), td_err_name(err));
    ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
    ck_assert_uint_eq(got.len, data.len + 1);
    ck_assert_uint_eq(out[0], 0xee);
    if (data.len)
        ck_assert_mem_eq(out + 1, data.p, data.len);
    if (data.len > 0 && data.len < 4096) {
        /* one byte short: nothing written */
        td_wr_init(&wr, out, data.len);
        ck_assert_int_eq(td_wr_u8(&wr, 0xee), TD_OK);
        before = td_wr_len(&wr);
        ck_assert_int_eq(ext_encode(&wr, type, ctx, o), TD_ERR_NOSPACE);
        ck_assert_uint_eq(td_wr_len(&wr), before);
        ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK); /* none open */
    }
}

/* Decode must fail with want and leave *out as it was. */
static void expect_alert(uint16_t type, td_ext_ctx ctx, td_span data,
                         td_err want, const char *clause)
{
    ext_out o, sentinel;
    td_err err;

    memset(&o, 0xa5, sizeof o);
    memset(&sentinel, 0xa5, sizeof sentinel);
    err = ext_decode(type, data, ctx, &o);
    ck_assert_msg(err == want, "%s in %s (%zu bytes): got %s, want %s (%s)",
                  td_ext_name(type), td_ext_ctx_name(ctx), data.len,
                  td_err_name(err), td_err_name(want), clause);
    ck_assert_msg(memcmp(&o, &sentinel, sizeof o) == 0,
                  "%s: failed decode changed *out", td_ext_name(type));
}

/* Every strict prefix of data is decode_error (RFC 8446 6: a length
 * beyond the message boundary or a message too short for its struct). */
static void truncations(uint16_t type, td_ext_ctx ctx, td_span data)
{
    td_span p;
    size_t k;

    for (k = 0; k < data.len; k++) {
        p.p = data.p;
        p.len = k;
        expect_alert(type, ctx, p, TD_ALERT_DECODE_ERROR,
                     "RFC 8446 6 truncated");
    }
}

/* ------------------------------------------------ walking the traces */

/* SHA-256("HelloRetryRequest"), the ServerHello.random of a
 * HelloRetryRequest (RFC 8446 4.1.3). */
static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
    0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
    0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

/* The extension block body of a whole handshake message (header
 * included), and the context it is decoded in. 0 when the message type
 * carries no block this suite reads. The fields skipped are those of RFC
 * 8446 4.1.2 (ClientHello), 4.1.3 (ServerHello), 4.3.1 (EncryptedExtensions)
 * and 4.3.2 (CertificateRequest); RFC 5246 7.4.1.2/7.4.1.3 for TLS 1.2
 * hellos (tls12 = 1), whose extension block may be absent. */
static int msg_ext_block(td_span msg, int tls12, td_ext_ctx *ctx,
                         td_span *block)
{
    td_rd r, body, v;
    uint8_t msg_type, u8;
    uint16_t u16;
    uint32_t len;
    td_span random, b, sv;

    td_rd_init_span(&r, msg);
    ck_assert_int_eq(td_rd_u8(&r, &msg_type), TD_OK);
    ck_assert_int_eq(td_rd_u24(&r, &len), TD_OK);
    ck_assert_uint_eq(len, td_rd_left(&r));
    body = r;
    /* TLS 1.2 has no EncryptedExtensions, and its CertificateRequest has
     * no extensions (RFC 5246 7.4.4) */
    if (tls12 && msg_type != 1 && msg_type != 2)
        return 0;
    switch (msg_type) {
    case 1: /* client_hello */
        ck_assert_int_eq(td_rd_u16(&body, &u16), TD_OK);
        ck_assert_int_eq(td_rd_span(&body, 32, &random), TD_OK);
        ck_assert_int_eq(td_rd_vec8(&body, 0, 32, &v), TD_OK);
        ck_assert_int_eq(td_rd_vec16(&body, 2, 0xfffe, &v), TD_OK);
        ck_assert_int_eq(td_rd_vec8(&body, 1, 0xff, &v), TD_OK);
        *ctx = TD_EXT_CTX_CLIENT_HELLO;
        break;
    case 2: /* server_hello */
        ck_assert_int_eq(td_rd_u16(&body, &u16), TD_OK);
        ck_assert_int_eq(td_rd_span(&body, 32, &random), TD_OK);
        ck_assert_int_eq(td_rd_vec8(&body, 0, 32, &v), TD_OK);
        ck_assert_int_eq(td_rd_u16(&body, &u16), TD_OK);
        ck_assert_int_eq(td_rd_u8(&body, &u8), TD_OK);
        *ctx = TD_EXT_CTX_SERVER_HELLO12;
        if (memcmp(random.p, hrr_random, 32) == 0)
            *ctx = TD_EXT_CTX_HELLO_RETRY_REQUEST;
        break;
    case 8: /* encrypted_extensions */
        *ctx = TD_EXT_CTX_ENCRYPTED_EXTENSIONS;
        break;
    case 13: /* certificate_request (TLS 1.3 form) */
        ck_assert_int_eq(td_rd_vec8(&body, 0, 0xff, &v), TD_OK);
        *ctx = TD_EXT_CTX_CERTIFICATE_REQUEST;
        break;
    default:
        return 0;
    }
    if (td_rd_left(&body) == 0 && (msg_type == 1 || msg_type == 2)) {
        block->p = NULL; /* TLS 1.2 hello without extensions */
        block->len = 0;
        return 1;
    }
    ck_assert_int_eq(td_rd_vec16(&body, 0, 0xffff, &v), TD_OK);
    ck_assert_int_eq(td_rd_done(&body), TD_OK);
    td_rd_rest(&v, &b);
    /* a ServerHello with supported_versions is TLS 1.3 (RFC 8446 4.2.1) */
    if (*ctx == TD_EXT_CTX_SERVER_HELLO12 &&
        td_ext_find(b, TD_EXT_SUPPORTED_VERSIONS, &sv))
        *ctx = TD_EXT_CTX_SERVER_HELLO13;
    *block = b;
    return 1;
}

static void vec_load(const char *rel, td_vec *v)
{
    td_err err = td_vec_load(rel, v);

    ck_assert_msg(err == TD_OK, "%s/%s: %s", td_vectors_dir(), rel,
                  td_err_name(err));
}

/* The extension_data of `type` in the nth `name` message of a trace;
 * the test fails if it is not there. */
static td_span trace_ext_v(const td_vec *v, int tls12, const char *side,
                           const char *name, int nth, uint16_t type,
                           td_ext_ctx want_ctx)
{
    const td_vec_entry *e =
        td_vec_find(v, side, "handshake", name, "message", nth);
    td_ext_ctx ctx;
    td_span block, data;

    ck_assert_msg(e != NULL, "no %s %s #%d", side, name, nth);
    ck_assert_int_eq(msg_ext_block(td_vec_span(e), tls12, &ctx, &block), 1);
    ck_assert_str_eq(td_ext_ctx_name(ctx), td_ext_ctx_name(want_ctx));
    ck_assert_msg(td_ext_find(block, type, &data), "%s: no %s in %s #%d",
                  td_ext_ctx_name(ctx), td_ext_name(type), name, nth);
    return data;
}

static td_span trace_ext(const td_vec *v, const char *side, const char *name,
                         int nth, uint16_t type, td_ext_ctx want_ctx)
{
    return trace_ext_v(v, 0, side, name, nth, type, want_ctx);
}

/* Every covered extension of every hello, EE and CR in a .vec file:
 * decode, encode byte-exact, and every truncation. Returns how many. */
static size_t walk_file(const char *rel, int tls12)
{
    td_vec v;
    size_t i, n = 0;

    vec_load(rel, &v);
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        td_ext_iter it;
        td_ext_ctx ctx;
        td_span block, data;
        uint16_t type;
        ext_out o;
        int got;

        if (strcmp(e->kind, "handshake") || strcmp(e->field, "message") ||
            e->len < 4 ||
            !msg_ext_block(td_vec_span(e), tls12, &ctx, &block))
            continue;
        td_ext_iter_init(&it, block);
        for (;;) {
            ck_assert_int_eq(td_ext_iter_next(&it, &type, &data, &got),
                             TD_OK);
            if (!got)
                break;
            if (!covered(type))
                continue;
            roundtrip(type, ctx, data, &o);
            /* a ClientHello session_ticket is the whole extension_data
             * (RFC 5077 3.2), so each prefix is itself a ticket */
            if (!(type == TD_EXT_SESSION_TICKET &&
                  ctx == TD_EXT_CTX_CLIENT_HELLO))
                truncations(type, ctx, data);
            n++;
        }
    }
    td_vec_free(&v);
    return n;
}

/* ------------------------------------------------------------- traces */

/* The extensions of section 3 (1-RTT), written out from the trace's
 * ClientHello bytes "00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01
 * 00 01 00 00 0a 00 14 00 12 00 1d ... 00 23 00 00 ... 00 2b 00 03 02 03
 * 04 00 0d 00 20 00 1e 04 03 ...". */
START_TEST(test_trace_client_hello)
{
    td_vec v;
    td_span d;
    ext_out o;

    vec_load("tls13/s3-1rtt.vec", &v);
    /* 00 00 | 00 0b | 00 09 list | 00 host_name | 00 06 "server" */
    d = trace_ext(&v, "client", "client_hello", 0, TD_EXT_SERVER_NAME,
                  TD_EXT_CTX_CLIENT_HELLO);
    roundtrip(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, d, &o);
    ck_span_hex(o.sni.server_name_list, "00 0006 736572766572");
    ck_span_hex(o.sni.host_name, "73 65 72 76 65 72"); /* "server" */

    /* ff 01 | 00 01 | 00: renegotiated_connection<0..255> empty, as on
     * an initial handshake (RFC 5746 3.4) */
    d = trace_ext(&v, "client", "client_hello", 0, TD_EXT_RENEGOTIATION_INFO,
                  TD_EXT_CTX_CLIENT_HELLO);
    roundtrip(TD_EXT_RENEGOTIATION_INFO, TD_EXT_CTX_CLIENT_HELLO, d, &o);
    ck_assert_uint_eq(o.ri.renegotiated_connection.len, 0);

    /* 00 0a | 00 14 | 00 12: x25519(001d) secp256r1(0017) secp384r1(0018)
     * secp521r1(0019) ffdhe2048..ffdhe8192(0100..0104) */
    d = trace_ext(&v, "client", "client_hello", 0, TD_EXT_SUPPORTED_GROUPS,
                  TD_EXT_CTX_CLIENT_HELLO);
    roundtrip(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_CLIENT_HELLO, d, &o);
    ck_span_hex(o.sg.named_group_list,
                "001d 0017 0018 0019 0100 0101 0102 0103 0104");

    /* 00 23 | 00 00: no ticket, ready to receive one (RFC 5077 3.2) */
    d = trace_ext(&v, "client", "client_hello", 0, TD_EXT_SESSION_TICKET,
                  TD_EXT_CTX_CLIENT_HELLO);
    roundtrip(TD_EXT_SESSION_TICKET, TD_EXT_CTX_CLIENT_HELLO, d, &o);
    ck_assert_uint_eq(o.st.ticket.len, 0);

    /* 00 2b | 00 03 | 02 03 04: versions = {0x0304} */
    d = trace_ext(&v, "client", "client_hello", 0, TD_EXT_SUPPORTED_VERSIONS,
                  TD_EXT_CTX_CLIENT_HELLO);
    roundtrip(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO, d, &o);
    ck_span_hex(o.sv.versions, "0304");

    /* 00 0d | 00 20 | 00 1e: 15 schemes: ecdsa_secp256r1_sha256(0403)
     * ecdsa_secp384r1_sha384(0503) ecdsa_secp521r1_sha512(0603)
     * ecdsa_sha1(0203) rsa_pss_rsae_sha256..512(0804..0806)
     * rsa_pkcs1_sha256..512(0401 0501 0601) rsa_pkcs1_sha1(0201) and the
     * TLS 1.2 DSA pairs (RFC 5246 7.4.1.4.1: hash sha256/384/512/sha1,
     * signature dsa(2)) 0402 0502 0602 0202 */
    d = trace_ext(&v, "client", "client_hello", 0,
                  TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CLIENT_HELLO);
    roundtrip(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CLIENT_HELLO, d, &o);
    ck_span_hex(o.sa.supported_signature_algorithms,
                "0403 0503 0603 0203 0804 0805 0806 0401 0501 0601 0201 "
                "0402 0502 0602 0202");
    td_vec_free(&v);
}
END_TEST

START_TEST(test_trace_server)
{
    td_vec v;
    td_span d;
    ext_out o;

    vec_load("tls13/s3-1rtt.vec", &v);
    /* ServerHello "... 00 2b 00 02 03 04": selected_version 0x0304 */
    d = trace_ext(&v, "server", "server_hello", 0, TD_EXT_SUPPORTED_VERSIONS,
                  TD_EXT_CTX_SERVER_HELLO13);
    roundtrip(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_SERVER_HELLO13, d, &o);
    ck_assert_uint_eq(o.sv.selected_version, 0x0304);
    ck_assert_uint_eq(o.sv.versions.len, 0);
    /* EncryptedExtensions "08 00 00 24 00 22 00 0a 00 14 00 12 00 1d ...
     * 00 1c 00 02 40 01 00 00 00 00": server_name with empty data */
    d = trace_ext(&v, "server", "encrypted_extensions", 0,
                  TD_EXT_SERVER_NAME, TD_EXT_CTX_ENCRYPTED_EXTENSIONS);
    ck_assert_uint_eq(d.len, 0);
    roundtrip(TD_EXT_SERVER_NAME, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, d, &o);
    ck_assert_uint_eq(o.sni.server_name_list.len, 0);
    ck_assert_uint_eq(o.sni.host_name.len, 0);
    d = trace_ext(&v, "server", "encrypted_extensions", 0,
                  TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_ENCRYPTED_EXTENSIONS);
    roundtrip(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, d,
              &o);
    ck_span_hex(o.sg.named_group_list,
                "001d 0017 0018 0019 0100 0101 0102 0103 0104");
    td_vec_free(&v);

    vec_load("tls13/s5-hrr.vec", &v);
    /* HelloRetryRequest "... 00 2b 00 02 03 04" */
    d = trace_ext(&v, "server", "server_hello", 0, TD_EXT_SUPPORTED_VERSIONS,
                  TD_EXT_CTX_HELLO_RETRY_REQUEST);
    roundtrip(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_HELLO_RETRY_REQUEST, d,
              &o);
    ck_assert_uint_eq(o.sv.selected_version, 0x0304);
    /* first ClientHello "00 0a 00 08 00 06 00 1d 00 17 00 18" */
    d = trace_ext(&v, "client", "client_hello", 0, TD_EXT_SUPPORTED_GROUPS,
                  TD_EXT_CTX_CLIENT_HELLO);
    roundtrip(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_CLIENT_HELLO, d, &o);
    ck_span_hex(o.sg.named_group_list, "001d 0017 0018");
    /* EncryptedExtensions "00 0a 00 08 00 06 00 17 00 18 00 1d" */
    d = trace_ext(&v, "server", "encrypted_extensions", 0,
                  TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_ENCRYPTED_EXTENSIONS);
    roundtrip(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, d,
              &o);
    ck_span_hex(o.sg.named_group_list, "0017 0018 001d");
    td_vec_free(&v);

    vec_load("tls13/s6-client-auth.vec", &v);
    /* CertificateRequest "0d 00 00 27 00 00 24 00 0d 00 20 00 1e 04 03
     * ...": the same 15 schemes as the ClientHello */
    d = trace_ext(&v, "server", "certificate_request", 0,
                  TD_EXT_SIGNATURE_ALGORITHMS,
                  TD_EXT_CTX_CERTIFICATE_REQUEST);
    roundtrip(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CERTIFICATE_REQUEST, d,
              &o);
    ck_span_hex(o.sa.supported_signature_algorithms,
                "0403 0503 0603 0203 0804 0805 0806 0401 0501 0601 0201 "
                "0402 0502 0602 0202");
    td_vec_free(&v);
}
END_TEST

START_TEST(test_trace_walk)
{
    static const char *const files[] = {
        "tls13/s3-1rtt.vec", "tls13/s5-hrr.vec", "tls13/s6-client-auth.vec",
        "tls13/s7-compat.vec", "tls13/s4-0rtt.vec"};
    size_t i, n = 0;

    for (i = 0; i < sizeof files / sizeof files[0]; i++)
        n += walk_file(files[i], 0);
    /* Counted by hand in the traces' messages. ClientHello: server_name,
     * renegotiation_info, supported_groups, supported_versions,
     * signature_algorithms, and in s3 also session_ticket: 6 + 5 * 4 (s5
     * twice, s6, s7). ServerHello/HRR: supported_versions, one each in
     * s3, s4, s5 (two), s6, s7: 6. EncryptedExtensions: supported_groups
     * and server_name in s3, s4, s5, s6, s7: 10. CertificateRequest (s6):
     * signature_algorithms: 1. s4's ClientHello is only "partial" in the
     * trace and is not walked. */
    ck_assert_uint_eq(n, 26 + 6 + 10 + 1);
}
END_TEST

/* The .vec files of vectors/tls12 (TLS 1.2 captures), when present. */
START_TEST(test_tls12_captures)
{
    char dir[4096];
    DIR *d;
    struct dirent *de;
    size_t files = 0, n = 0;

    snprintf(dir, sizeof dir, "%s/tls12", td_vectors_dir());
    d = opendir(dir);
    if (!d)
        return; /* no captures in this tree */
    while ((de = readdir(d)) != NULL) {
        char rel[512];
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".vec"))
            continue;
        snprintf(rel, sizeof rel, "tls12/%s", de->d_name);
        n += walk_file(rel, 1);
        files++;
    }
    closedir(d);
    /* vectors/tls12/README.md: "In every file the client offers ...
     * server_name, encrypt_then_mac, extended_master_secret and
     * signature_algorithms [4 x 5 files]; in the ECDHE files [4 of them]
     * also ec_point_formats, supported_groups (the one group) and
     * session_ticket [3 x 4], and ALPN in the first [1]. The server answers
     * with renegotiation_info ... and extended_master_secret [2 x 5], plus
     * ec_point_formats and session_ticket in the ECDHE files [2 x 4] and
     * ALPN in the first [1]" */
    ck_assert_uint_eq(files, 5);
    ck_assert_uint_eq(n, (4 * 5 + 3 * 4 + 1) + (2 * 5 + 2 * 4 + 1));
}
END_TEST

/* The first TLS 1.2 capture, field by field (vectors/tls12/README.md:
 * "SNI server.tlsdiff.test, ALPN (client offers h2, http/1.1; server
 * selects h2), extended master secret, session ticket"). */
START_TEST(test_tls12_fields)
{
    char path[4096];
    DIR *dir;
    td_vec v;
    td_span d;
    ext_out o;
    const td_ext_ctx ch = TD_EXT_CTX_CLIENT_HELLO,
                     sh = TD_EXT_CTX_SERVER_HELLO12;

    snprintf(path, sizeof path, "%s/tls12", td_vectors_dir());
    dir = opendir(path);
    if (!dir)
        return; /* no captures in this tree */
    closedir(dir);
    vec_load("tls12/ecdhe-ecdsa-aes128-gcm.vec", &v);
    /* 00 16 list | 00 host_name | 00 13 "server.tlsdiff.test" (19) */
    d = trace_ext_v(&v, 1, "client", "client_hello", 0, TD_EXT_SERVER_NAME,
                    ch);
    roundtrip(TD_EXT_SERVER_NAME, ch, d, &o);
    ck_span_hex(o.sni.host_name, "7365727665722e746c73646966662e74657374");
    /* 03 | 00 uncompressed, 01 ansiX962_compressed_prime, 02 ..._char2,
     * in both hellos */
    d = trace_ext_v(&v, 1, "client", "client_hello", 0,
                    TD_EXT_EC_POINT_FORMATS, ch);
    roundtrip(TD_EXT_EC_POINT_FORMATS, ch, d, &o);
    ck_span_hex(o.pf.ec_point_format_list, "00 01 02");
    d = trace_ext_v(&v, 1, "server", "server_hello", 0,
                    TD_EXT_EC_POINT_FORMATS, sh);
    roundtrip(TD_EXT_EC_POINT_FORMATS, sh, d, &o);
    ck_span_hex(o.pf.ec_point_format_list, "00 01 02");
    /* "supported_groups (the one group)": secp256r1 0017 */
    d = trace_ext_v(&v, 1, "client", "client_hello", 0,
                    TD_EXT_SUPPORTED_GROUPS, ch);
    roundtrip(TD_EXT_SUPPORTED_GROUPS, ch, d, &o);
    ck_span_hex(o.sg.named_group_list, "0017");
    /* ALPN: 00 0c | 02 "h2" | 08 "http/1.1"; the answer 00 03 | 02 "h2" */
    d = trace_ext_v(&v, 1, "client", "client_hello", 0, TD_EXT_ALPN, ch);
    roundtrip(TD_EXT_ALPN, ch, d, &o);
    ck_assert_uint_eq(o.alpn.count, 2);
    ck_span_hex(o.alpn.protocol_name_list, "02 6832 08 687474702f312e31");
    d = trace_ext_v(&v, 1, "server", "server_hello", 0, TD_EXT_ALPN, sh);
    roundtrip(TD_EXT_ALPN, sh, d, &o);
    ck_assert_uint_eq(o.alpn.count, 1);
    ck_span_hex(o.alpn.protocol_name_list, "02 6832");
    /* session_ticket: an empty ticket offered, an empty answer */
    d = trace_ext_v(&v, 1, "client", "client_hello", 0,
                    TD_EXT_SESSION_TICKET, ch);
    roundtrip(TD_EXT_SESSION_TICKET, ch, d, &o);
    ck_assert_uint_eq(o.st.ticket.len, 0);
    d = trace_ext_v(&v, 1, "server", "server_hello", 0,
                    TD_EXT_SESSION_TICKET, sh);
    roundtrip(TD_EXT_SESSION_TICKET, sh, d, &o);
    /* extended_master_secret both ways, encrypt_then_mac offered */
    d = trace_ext_v(&v, 1, "client", "client_hello", 0,
                    TD_EXT_EXTENDED_MASTER_SECRET, ch);
    roundtrip(TD_EXT_EXTENDED_MASTER_SECRET, ch, d, &o);
    d = trace_ext_v(&v, 1, "server", "server_hello", 0,
                    TD_EXT_EXTENDED_MASTER_SECRET, sh);
    roundtrip(TD_EXT_EXTENDED_MASTER_SECRET, sh, d, &o);
    d = trace_ext_v(&v, 1, "client", "client_hello", 0,
                    TD_EXT_ENCRYPT_THEN_MAC, ch);
    roundtrip(TD_EXT_ENCRYPT_THEN_MAC, ch, d, &o);
    /* renegotiation_info "ff01 0001 00": empty renegotiated_connection */
    d = trace_ext_v(&v, 1, "server", "server_hello", 0,
                    TD_EXT_RENEGOTIATION_INFO, sh);
    ck_span_hex(d, "00");
    roundtrip(TD_EXT_RENEGOTIATION_INFO, sh, d, &o);
    ck_assert_uint_eq(o.ri.renegotiated_connection.len, 0);
    /* signature_algorithms: 00 28, 20 schemes */
    d = trace_ext_v(&v, 1, "client", "client_hello", 0,
                    TD_EXT_SIGNATURE_ALGORITHMS, ch);
    roundtrip(TD_EXT_SIGNATURE_ALGORITHMS, ch, d, &o);
    ck_assert_uint_eq(o.sa.supported_signature_algorithms.len, 40);
    td_vec_free(&v);
}
END_TEST

/* -------------------------------------------------- hand-built valid */

START_TEST(test_valid_hand)
{
    ext_out o;

    /* RFC 8422 5.1.2: a client "MUST send the following octets ... 00 0B
     * 00 02 01 00": extension_data 01 00 = list of one, uncompressed */
    roundtrip(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO, H("01 00"),
              &o);
    ck_span_hex(o.pf.ec_point_format_list, "00");
    roundtrip(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_SERVER_HELLO12, H("01 00"),
              &o);
    /* 03 | 00 01 02: uncompressed, ansiX962_compressed_prime/char2 */
    roundtrip(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO,
              H("03 00 01 02"), &o);
    ck_span_hex(o.pf.ec_point_format_list, "00 01 02");

    /* RFC 7627 5.1: "the entire encoding of the extension is 00 17 00 00":
     * empty extension_data, in CH and the TLS 1.2 ServerHello */
    roundtrip(TD_EXT_EXTENDED_MASTER_SECRET, TD_EXT_CTX_CLIENT_HELLO, H(""),
              &o);
    roundtrip(TD_EXT_EXTENDED_MASTER_SECRET, TD_EXT_CTX_SERVER_HELLO12, H(""),
              &o);
    roundtrip(TD_EXT_ENCRYPT_THEN_MAC, TD_EXT_CTX_CLIENT_HELLO, H(""), &o);
    roundtrip(TD_EXT_ENCRYPT_THEN_MAC, TD_EXT_CTX_SERVER_HELLO12, H(""), &o);
    roundtrip(TD_EXT_POST_HANDSHAKE_AUTH, TD_EXT_CTX_CLIENT_HELLO, H(""), &o);

    /* ALPN, RFC 7301 3.1: 00 0c list | 02 "h2" | 08 "http/1.1" */
    roundtrip(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO,
              H("00 0c 02 6832 08 687474702f312e31"), &o);
    ck_assert_uint_eq(o.alpn.count, 2);
    ck_span_hex(o.alpn.protocol_name_list, "02 6832 08 687474702f312e31");
    /* the server's one name: 00 03 | 02 "h2" */
    roundtrip(TD_EXT_ALPN, TD_EXT_CTX_SERVER_HELLO12, H("00 03 02 6832"), &o);
    ck_assert_uint_eq(o.alpn.count, 1);
    roundtrip(TD_EXT_ALPN, TD_EXT_CTX_ENCRYPTED_EXTENSIONS,
              H("00 03 02 6832"), &o);
    ck_span_hex(o.alpn.protocol_name_list, "02 6832");

    /* max_fragment_length, RFC 6066 4: 2^9(1) .. 2^12(4) */
    roundtrip(TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_CLIENT_HELLO, H("01"),
              &o);
    ck_assert_uint_eq(o.mfl.max_fragment_length, 1);
    roundtrip(TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_SERVER_HELLO12, H("04"),
              &o);
    ck_assert_uint_eq(o.mfl.max_fragment_length, 4);
    roundtrip(TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_ENCRYPTED_EXTENSIONS,
              H("03"), &o);

    /* status_request, RFC 6066 8: 01 ocsp | 00 00 no responder ids |
     * 00 00 no request extensions */
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO,
              H("01 0000 0000"), &o);
    ck_assert_uint_eq(o.sr.status_type, TD_STATUS_TYPE_OCSP);
    ck_assert_uint_eq(o.sr.responder_id_list.len, 0);
    ck_assert_uint_eq(o.sr.request_extensions.len, 0);
    /* 01 | 00 06: ResponderID 00 01 aa, ResponderID 00 01 bb | 00 02 30 00 */
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO,
              H("01 0006 0001aa 0001bb 0002 3000"), &o);
    ck_span_hex(o.sr.responder_id_list, "0001aa 0001bb");
    ck_span_hex(o.sr.request_extensions, "3000");
    /* a status_type RFC 6066 does not define: kept opaque */
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO, H("02 dead"),
              &o);
    ck_assert_uint_eq(o.sr.status_type, 2);
    ck_span_hex(o.sr.request_extensions, "dead");
    ck_assert_uint_eq(o.sr.responder_id_list.len, 0);
    /* TLS 1.2 ServerHello and TLS 1.3 CertificateRequest: empty (RFC 6066
     * 8, RFC 8446 4.4.2.1) */
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_SERVER_HELLO12, H(""), &o);
    ck_assert_uint_eq(o.sr.status_type, 0);
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE_REQUEST, H(""),
              &o);
    /* CertificateEntry: 01 ocsp | 00 00 03 OCSPResponse 30 01 00 */
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE,
              H("01 000003 300100"), &o);
    ck_assert_uint_eq(o.sr.status_type, TD_STATUS_TYPE_OCSP);
    ck_span_hex(o.sr.ocsp_response, "300100");

    /* session_ticket with a ticket, RFC 5077 3.2: the bytes themselves */
    roundtrip(TD_EXT_SESSION_TICKET, TD_EXT_CTX_CLIENT_HELLO, H("deadbeef"),
              &o);
    ck_span_hex(o.st.ticket, "deadbeef");
    roundtrip(TD_EXT_SESSION_TICKET, TD_EXT_CTX_SERVER_HELLO12, H(""), &o);

    /* renegotiation_info on a renegotiation (RFC 5746 3.5, 3.6): the
     * client's verify_data (12) | the server's: client + server (24) */
    roundtrip(TD_EXT_RENEGOTIATION_INFO, TD_EXT_CTX_CLIENT_HELLO,
              H("0c 000102030405060708090a0b"), &o);
    ck_assert_uint_eq(o.ri.renegotiated_connection.len, 12);
    roundtrip(TD_EXT_RENEGOTIATION_INFO, TD_EXT_CTX_SERVER_HELLO12,
              H("18 000102030405060708090a0b 0c0d0e0f1011121314151617"), &o);
    ck_assert_uint_eq(o.ri.renegotiated_connection.len, 24);

    /* supported_versions: 04 | 0304 0303 (TLS 1.3, TLS 1.2) */
    roundtrip(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO,
              H("04 0304 0303"), &o);
    ck_span_hex(o.sv.versions, "0304 0303");

    /* signature_algorithms_cert shares the codec: 00 02 | 0807 ed25519 */
    roundtrip(TD_EXT_SIGNATURE_ALGORITHMS_CERT, TD_EXT_CTX_CLIENT_HELLO,
              H("0002 0807"), &o);
    roundtrip(TD_EXT_SIGNATURE_ALGORITHMS_CERT,
              TD_EXT_CTX_CERTIFICATE_REQUEST, H("0002 0807"), &o);
    ck_span_hex(o.sa.supported_signature_algorithms, "0807");
}
END_TEST

/* Hand examples of each form, truncated at every offset. */
START_TEST(test_truncated_hand)
{
    static const struct {
        uint16_t type;
        td_ext_ctx ctx;
        const char *hex;
    } ex[] = {
        {TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO, "03 00 01 02"},
        {TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_SERVER_HELLO12, "01 00"},
        {TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO,
         "00 0c 02 6832 08 687474702f312e31"},
        {TD_EXT_ALPN, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, "00 03 02 6832"},
        {TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_CLIENT_HELLO, "02"},
        {TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO,
         "01 0006 0001aa 0001bb 0002 3000"},
        {TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE, "01 000003 300100"},
        {TD_EXT_RENEGOTIATION_INFO, TD_EXT_CTX_SERVER_HELLO12,
         "0c 000102030405060708090a0b"},
        {TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO, "04 0304 0303"},
        {TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_HELLO_RETRY_REQUEST, "0304"},
        {TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO,
         "0009 00 0006 736572766572"},
    };
    size_t i;

    for (i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        uint8_t b[64];
        td_span s;
        s.len = hex(ex[i].hex, b, sizeof b);
        s.p = b;
        truncations(ex[i].type, ex[i].ctx, s);
    }
    /* A status_request with a status_type RFC 6066 does not define keeps
     * the rest opaque, so only the status_type itself can be cut off */
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO, H(""),
                 TD_ALERT_DECODE_ERROR, "RFC 6066 8 status_type");
}
END_TEST

/* ------------------------------------------------------------- bounds */

static uint8_t big[(1u << 16) + 64];

/* A u16-prefixed list of n bytes of value fill at big[0..]. */
static td_span list16(size_t n, uint8_t fill)
{
    td_span s;

    big[0] = (uint8_t)(n >> 8);
    big[1] = (uint8_t)n;
    memset(big + 2, fill, n);
    s.p = big;
    s.len = n + 2;
    return s;
}

START_TEST(test_bounds_u16_lists)
{
    ext_out o;
    td_span s;

    /* RFC 8446 4.2.7: named_group_list<2..2^16-1> of uint16 */
    expect_alert(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_CLIENT_HELLO,
                 list16(0, 0), TD_ALERT_DECODE_ERROR, "RFC 8446 4.2.7 min");
    expect_alert(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_CLIENT_HELLO,
                 list16(1, 0x1d), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 4.2.7 min-1");
    roundtrip(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_CLIENT_HELLO,
              list16(2, 0x17), &o);
    /* the largest even length: 65534 bytes, 32767 groups */
    roundtrip(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_ENCRYPTED_EXTENSIONS,
              list16(0xfffe, 0x17), &o);
    ck_assert_uint_eq(o.sg.named_group_list.len, 0xfffe);
    /* 2^16-1 is the maximum but odd */
    expect_alert(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_CLIENT_HELLO,
                 list16(0xffff, 0x17), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 4.2.7 odd max");

    /* RFC 8446 4.2.3: supported_signature_algorithms<2..2^16-2> */
    expect_alert(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CLIENT_HELLO,
                 list16(0, 0), TD_ALERT_DECODE_ERROR, "RFC 8446 4.2.3 min");
    expect_alert(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CLIENT_HELLO,
                 list16(1, 4), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 4.2.3 min-1");
    roundtrip(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CLIENT_HELLO,
              list16(2, 8), &o);
    roundtrip(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CERTIFICATE_REQUEST,
              list16(0xfffe, 8), &o);
    expect_alert(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CLIENT_HELLO,
                 list16(0xffff, 8), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 4.2.3 max+1");
    expect_alert(TD_EXT_SIGNATURE_ALGORITHMS_CERT, TD_EXT_CTX_CLIENT_HELLO,
                 list16(0xffff, 8), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 4.2.3 max+1");

    /* a list prefix longer than the data, and bytes after the list */
    s = list16(4, 0x17);
    s.len--;
    expect_alert(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 8446 6 beyond boundary");
    s.len += 2;
    expect_alert(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 8446 6 trailing byte");
    expect_alert(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 8446 6 trailing byte");
}
END_TEST

START_TEST(test_odd_lengths)
{
    size_t n;

    /* uint16 vectors hold whole elements (RFC 8446 3.4); every odd
     * length inside the bounds is decode_error (RFC 8446 6) */
    for (n = 3; n < 64; n += 2) {
        expect_alert(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_CLIENT_HELLO,
                     list16(n, 0x17), TD_ALERT_DECODE_ERROR,
                     "RFC 8446 4.2.7 odd");
        expect_alert(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_ENCRYPTED_EXTENSIONS,
                     list16(n, 0x17), TD_ALERT_DECODE_ERROR,
                     "RFC 8446 4.2.7 odd");
        expect_alert(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CLIENT_HELLO,
                     list16(n, 4), TD_ALERT_DECODE_ERROR,
                     "RFC 8446 4.2.3 odd");
        expect_alert(TD_EXT_SIGNATURE_ALGORITHMS,
                     TD_EXT_CTX_CERTIFICATE_REQUEST, list16(n, 4),
                     TD_ALERT_DECODE_ERROR, "RFC 8446 4.2.3 odd");
    }
    /* supported_versions<2..254>: 03 | 03 04 03 */
    expect_alert(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO,
                 H("03 030403"), TD_ALERT_DECODE_ERROR, "RFC 8446 4.2.1 odd");
}
END_TEST

START_TEST(test_bounds_supported_versions)
{
    ext_out o;
    uint8_t b[260];
    td_span s;
    size_t i;

    s.p = b;
    for (i = 0; i < sizeof b; i++)
        b[i] = (uint8_t)(i % 2 ? 0x04 : 0x03);
    /* RFC 8446 4.2.1: versions<2..254> */
    b[0] = 0;
    s.len = 1;
    expect_alert(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 8446 4.2.1 empty");
    b[0] = 1;
    s.len = 2;
    expect_alert(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 8446 4.2.1 min-1");
    b[0] = 2;
    s.len = 3;
    roundtrip(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO, s, &o);
    b[0] = 254;
    s.len = 255;
    roundtrip(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO, s, &o);
    ck_assert_uint_eq(o.sv.versions.len, 254);
    b[0] = 255;
    s.len = 256;
    expect_alert(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 8446 4.2.1 max+1");
    /* RFC 8446 4.2.1: selected_version is exactly one uint16 */
    expect_alert(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_SERVER_HELLO13,
                 H("03"), TD_ALERT_DECODE_ERROR, "RFC 8446 4.2.1 short");
    expect_alert(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_SERVER_HELLO13,
                 H("030403"), TD_ALERT_DECODE_ERROR, "RFC 8446 4.2.1 long");
    expect_alert(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_HELLO_RETRY_REQUEST,
                 H("02 0304"), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 4.2.1 list in HRR");
    /* the codec does not judge the version: 0x0303 parses (RFC 8446 4.2.1
     * has the client check it against its offer) */
    roundtrip(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_SERVER_HELLO13,
              H("0303"), &o);
    ck_assert_uint_eq(o.sv.selected_version, 0x0303);
}
END_TEST

START_TEST(test_bounds_server_name)
{
    ext_out o;
    td_span s;

    /* RFC 6066 3: server_name_list<1..2^16-1> */
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, H("0000"),
                 TD_ALERT_DECODE_ERROR, "RFC 6066 3 empty list");
    /* RFC 6066 3: HostName<1..2^16-1>: 00 03 | 00 | 00 00 */
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO,
                 H("0003 00 0000"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 3 empty HostName");
    /* 00 04 | 00 | 00 01 "a": the shortest valid list */
    roundtrip(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, H("0004 00 0001 61"),
              &o);
    ck_span_hex(o.sni.host_name, "61");
    /* the longest list, 2^16-1: one name of 2^16-1 - 3 bytes */
    s = list16(0xffff, 0x61);
    big[2] = TD_SNI_HOST_NAME;
    big[3] = (0xffff - 3) >> 8;
    big[4] = (uint8_t)(0xffff - 3);
    roundtrip(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, s, &o);
    ck_assert_uint_eq(o.sni.host_name.len, 0xffff - 3);
    /* the list one byte shorter than its only entry */
    big[0] = 0xff;
    big[1] = 0xfe;
    s.len--;
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 6066 3 entry beyond list");
    /* RFC 6066 3: server forms "SHALL be empty" */
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, H("00"),
                 TD_ALERT_DECODE_ERROR, "RFC 6066 3 server form not empty");
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_SERVER_HELLO12,
                 H("0004 00 0001 61"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 3 server form not empty");
}
END_TEST

START_TEST(test_bounds_alpn)
{
    ext_out o;
    td_span s;
    size_t i;

    /* RFC 7301 3.1: protocol_name_list<2..2^16-1> */
    expect_alert(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, H("0000"),
                 TD_ALERT_DECODE_ERROR, "RFC 7301 3.1 list min-2");
    expect_alert(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, H("0001 00"),
                 TD_ALERT_DECODE_ERROR, "RFC 7301 3.1 list min-1");
    /* 00 02 | 01 "a": the shortest */
    roundtrip(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, H("0002 01 61"), &o);
    ck_assert_uint_eq(o.alpn.count, 1);
    /* RFC 7301 3.1: ProtocolName<1..2^8-1>, "Empty strings MUST NOT be
     * included": 00 03 | 00 | 01 "a" */
    expect_alert(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, H("0003 00 0161"),
                 TD_ALERT_DECODE_ERROR, "RFC 7301 3.1 empty name");
    expect_alert(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, H("0003 0161 00"),
                 TD_ALERT_DECODE_ERROR, "RFC 7301 3.1 empty name");
    /* "byte strings MUST NOT be truncated": 00 03 | 05 "ab" */
    expect_alert(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, H("0003 05 6162"),
                 TD_ALERT_DECODE_ERROR, "RFC 7301 3.1 truncated name");
    /* a name of 2^8-1 bytes, the longest */
    s = list16(256, 0x61);
    big[2] = 0xff;
    roundtrip(TD_EXT_ALPN, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, s, &o);
    ck_assert_uint_eq(o.alpn.count, 1);
    /* the longest list: 255 names of 255 bytes (256 each) and one of 254
     * (255): 255 * 256 + 255 = 65535 */
    s = list16(0xffff, 0x61);
    for (i = 0; i < 255; i++)
        big[2 + 256 * i] = 0xff;
    big[2 + 256 * 255] = 0xfe;
    roundtrip(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, s, &o);
    ck_assert_uint_eq(o.alpn.count, 256);
    /* RFC 7301 3.1: the server's list "MUST contain exactly one" name */
    expect_alert(TD_EXT_ALPN, TD_EXT_CTX_SERVER_HELLO12, s,
                 TD_ALERT_DECODE_ERROR, "RFC 7301 3.1 one name");
    expect_alert(TD_EXT_ALPN, TD_EXT_CTX_SERVER_HELLO12,
                 H("0006 02 6832 02 6833"), TD_ALERT_DECODE_ERROR,
                 "RFC 7301 3.1 one name");
    expect_alert(TD_EXT_ALPN, TD_EXT_CTX_ENCRYPTED_EXTENSIONS,
                 H("0006 02 6832 02 6833"), TD_ALERT_DECODE_ERROR,
                 "RFC 7301 3.1 one name");
    /* trailing bytes after the list */
    expect_alert(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, H("0002 0161 00"),
                 TD_ALERT_DECODE_ERROR, "RFC 8446 6 trailing byte");
}
END_TEST

START_TEST(test_bounds_ec_point_formats)
{
    ext_out o;
    uint8_t b[260];
    td_span s;

    /* RFC 8422 5.1.2: ec_point_format_list<1..2^8-1> */
    expect_alert(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO, H("00"),
                 TD_ALERT_DECODE_ERROR, "RFC 8422 5.1.2 empty list");
    expect_alert(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO, H(""),
                 TD_ALERT_DECODE_ERROR, "RFC 8422 5.1.2 no list");
    /* 2^8-1 formats with uncompressed last */
    memset(b, 0x01, sizeof b);
    b[0] = 0xff;
    b[255] = 0x00;
    s.p = b;
    s.len = 256;
    roundtrip(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_SERVER_HELLO12, s, &o);
    ck_assert_uint_eq(o.pf.ec_point_format_list.len, 255);
    /* trailing byte */
    expect_alert(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO,
                 H("01 00 00"), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 6 trailing byte");
}
END_TEST

START_TEST(test_bounds_status_request)
{
    uint8_t *huge;
    ext_out o;
    td_span s;
    const size_t max24 = 0xffffff;

    /* RFC 6066 8: ResponderID<1..2^16-1>: 01 | 00 02 00 00 | 00 00 */
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO,
                 H("01 0002 0000 0000"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 8 empty ResponderID");
    /* a ResponderID longer than its list: 01 | 00 03 00 05 aa | 00 00 */
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO,
                 H("01 0003 0005aa 0000"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 8 ResponderID beyond list");
    /* request_extensions missing, or too long */
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO,
                 H("01 0000"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 8 no request_extensions");
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO,
                 H("01 0000 0001"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 8 request_extensions beyond data");
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO,
                 H("01 0000 0000 00"), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 6 trailing byte");
    /* RFC 6066 8 (SH12), RFC 8446 4.4.2.1 (CR): empty */
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_SERVER_HELLO12, H("00"),
                 TD_ALERT_DECODE_ERROR, "RFC 6066 8 empty in ServerHello");
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE_REQUEST,
                 H("01 0000 0000"), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 4.4.2.1 empty in CertificateRequest");
    /* RFC 6066 8: OCSPResponse<1..2^24-1> */
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE,
                 H("01 000000"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 8 empty OCSPResponse");
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE,
                 H("01 000001 30 00"), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 6 trailing byte");
    /* a response of another status_type cannot be read (RFC 6066 8 has
     * only ocsp): 02 | 00 00 01 30 */
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE,
                 H("02 000001 30"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 8 status_type in CertificateStatus");
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE, H("00"),
                 TD_ALERT_DECODE_ERROR,
                 "RFC 6066 8 status_type in CertificateStatus");

    /* the largest of each vector */
    s = list16(0xffff, 0xaa); /* responder_id_list: one id of 2^16-3 */
    memmove(big + 1, big, s.len);
    big[0] = TD_STATUS_TYPE_OCSP;
    big[3] = (0xffff - 2) >> 8;
    big[4] = (uint8_t)(0xffff - 2);
    s.len += 1;
    big[s.len] = 0; /* request_extensions 00 00 */
    big[s.len + 1] = 0;
    s.len += 2;
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO, s, &o);
    ck_assert_uint_eq(o.sr.responder_id_list.len, 0xffff);
    s = list16(0xffff, 0x30); /* request_extensions of 2^16-1 */
    memmove(big + 3, big, s.len);
    big[0] = TD_STATUS_TYPE_OCSP;
    big[1] = 0;
    big[2] = 0;
    s.len += 3;
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO, s, &o);
    ck_assert_uint_eq(o.sr.request_extensions.len, 0xffff);

    huge = malloc(4 + max24);
    ck_assert_ptr_nonnull(huge);
    huge[0] = TD_STATUS_TYPE_OCSP;
    huge[1] = 0xff;
    huge[2] = 0xff;
    huge[3] = 0xff;
    memset(huge + 4, 0x30, max24);
    s.p = huge;
    s.len = 4 + max24;
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE, s, &o);
    ck_assert_uint_eq(o.sr.ocsp_response.len, max24);
    s.len--;
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE, s,
                 TD_ALERT_DECODE_ERROR, "RFC 6066 8 OCSPResponse truncated");
    free(huge);
}
END_TEST

START_TEST(test_bounds_opaque)
{
    static uint8_t t[(1u << 16) + 1];
    ext_out o;
    td_span s;

    /* RFC 5746 3.2: renegotiated_connection<0..255> */
    memset(t, 0x5a, sizeof t);
    t[0] = 0xff;
    s.p = t;
    s.len = 256;
    roundtrip(TD_EXT_RENEGOTIATION_INFO, TD_EXT_CTX_CLIENT_HELLO, s, &o);
    ck_assert_uint_eq(o.ri.renegotiated_connection.len, 255);
    s.len = 255;
    expect_alert(TD_EXT_RENEGOTIATION_INFO, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 5746 3.2 beyond data");
    s.len = 257;
    expect_alert(TD_EXT_RENEGOTIATION_INFO, TD_EXT_CTX_SERVER_HELLO12, s,
                 TD_ALERT_DECODE_ERROR, "RFC 8446 6 trailing byte");
    expect_alert(TD_EXT_RENEGOTIATION_INFO, TD_EXT_CTX_SERVER_HELLO12, H(""),
                 TD_ALERT_DECODE_ERROR, "RFC 5746 3.2 no length");

    /* RFC 5077 3.2: the ticket fills extension_data<0..2^16-1> */
    s.len = 0xffff;
    roundtrip(TD_EXT_SESSION_TICKET, TD_EXT_CTX_CLIENT_HELLO, s, &o);
    ck_assert_uint_eq(o.st.ticket.len, 0xffff);
    s.len = 0x10000;
    expect_alert(TD_EXT_SESSION_TICKET, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 8446 4.2 extension_data max+1");
    /* a status_request of a type RFC 6066 8 does not define: status_type
     * and opaque bytes, within extension_data<0..2^16-1> */
    t[0] = 0x02;
    s.len = 0xffff;
    roundtrip(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO, s, &o);
    ck_assert_uint_eq(o.sr.request_extensions.len, 0xfffe);
    s.len = 0x10000;
    expect_alert(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO, s,
                 TD_ALERT_DECODE_ERROR, "RFC 8446 4.2 extension_data max+1");
    /* RFC 5077 3.2: the server's is zero-length */
    expect_alert(TD_EXT_SESSION_TICKET, TD_EXT_CTX_SERVER_HELLO12, H("00"),
                 TD_ALERT_DECODE_ERROR, "RFC 5077 3.2 zero-length");
}
END_TEST

/* --------------------------------------------------------- rfc_negative */

START_TEST(test_rfc_server_name)
{
    /* RFC 6066 3: "The ServerNameList MUST NOT contain more than one name
     * of the same name_type": 00 08 | 00 0001 61 | 00 0001 62 */
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO,
                 H("0008 00 0001 61 00 0001 62"), TD_ALERT_ILLEGAL_PARAMETER,
                 "RFC 6066 3 one name per type");
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO,
                 H("0008 00 0001 61 00 0001 61"), TD_ALERT_ILLEGAL_PARAMETER,
                 "RFC 6066 3 one name per type");
    /* RFC 6066 3: host_name(0) only; an entry of another NameType cannot
     * be delimited: 00 04 | 01 0001 61 */
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO,
                 H("0004 01 0001 61"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 3 unknown NameType");
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO,
                 H("0008 00 0001 61 ff 0001 62"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 3 unknown NameType after host_name");
    /* syntax is judged before the duplicate: two names, then junk */
    expect_alert(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO,
                 H("0009 00 0001 61 00 0001 62 00"), TD_ALERT_DECODE_ERROR,
                 "RFC 6066 3 truncated third entry");
}
END_TEST

START_TEST(test_rfc_max_fragment_length)
{
    static const uint8_t bad[] = {0, 5, 6, 0x7f, 0xff};
    size_t i;
    td_span s;

    /* RFC 6066 4: "a value other than the allowed values" ->
     * "illegal_parameter"; the client's check of a response that "differs
     * from the length it requested" gives the same alert */
    for (i = 0; i < sizeof bad; i++) {
        s.p = &bad[i];
        s.len = 1;
        expect_alert(TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_CLIENT_HELLO, s,
                     TD_ALERT_ILLEGAL_PARAMETER, "RFC 6066 4 value");
        expect_alert(TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_SERVER_HELLO12, s,
                     TD_ALERT_ILLEGAL_PARAMETER, "RFC 6066 4 value");
        expect_alert(TD_EXT_MAX_FRAGMENT_LENGTH,
                     TD_EXT_CTX_ENCRYPTED_EXTENSIONS, s,
                     TD_ALERT_ILLEGAL_PARAMETER, "RFC 6066 4 value");
    }
    /* one byte exactly (RFC 6066 4 MaxFragmentLength; RFC 8446 6) */
    expect_alert(TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_CLIENT_HELLO, H(""),
                 TD_ALERT_DECODE_ERROR, "RFC 6066 4 empty");
    expect_alert(TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_CLIENT_HELLO,
                 H("0101"), TD_ALERT_DECODE_ERROR, "RFC 6066 4 two bytes");
    /* a wrong length is decode_error even when the value is wrong too */
    expect_alert(TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_CLIENT_HELLO,
                 H("0500"), TD_ALERT_DECODE_ERROR, "RFC 6066 4 two bytes");
}
END_TEST

START_TEST(test_rfc_ec_point_formats)
{
    /* RFC 8422 5.1: "it MUST contain the value 0 (uncompressed)"; 5.1.2:
     * "the server MUST abort the handshake and return an
     * illegal_parameter alert"; 5.2: the server's list too */
    expect_alert(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO, H("01 01"),
                 TD_ALERT_ILLEGAL_PARAMETER, "RFC 8422 5.1.2 uncompressed");
    expect_alert(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO,
                 H("02 01 02"), TD_ALERT_ILLEGAL_PARAMETER,
                 "RFC 8422 5.1.2 uncompressed");
    expect_alert(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_SERVER_HELLO12,
                 H("01 02"), TD_ALERT_ILLEGAL_PARAMETER,
                 "RFC 8422 5.2 uncompressed");
    /* a truncated list is decode_error before the content is judged */
    expect_alert(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO,
                 H("03 01 02"), TD_ALERT_DECODE_ERROR,
                 "RFC 8446 6 beyond boundary");
}
END_TEST

START_TEST(test_rfc_empty)
{
    static const uint16_t empty_types[] = {TD_EXT_EXTENDED_MASTER_SECRET,
                                           TD_EXT_ENCRYPT_THEN_MAC,
                                           TD_EXT_POST_HANDSHAKE_AUTH};
    uint8_t buf[4];
    td_wr wr;
    size_t i;

    /* RFC 7627 5.1, RFC 7366 2, RFC 8446 4.2.6: extension_data empty */
    for (i = 0; i < 3; i++) {
        expect_alert(empty_types[i], TD_EXT_CTX_CLIENT_HELLO, H("00"),
                     TD_ALERT_DECODE_ERROR, "empty extension_data");
        expect_alert(empty_types[i], TD_EXT_CTX_CLIENT_HELLO, H("0000"),
                     TD_ALERT_DECODE_ERROR, "empty extension_data");
    }
    expect_alert(TD_EXT_EXTENDED_MASTER_SECRET, TD_EXT_CTX_SERVER_HELLO12,
                 H("00"), TD_ALERT_DECODE_ERROR, "RFC 7627 5.1");
    expect_alert(TD_EXT_ENCRYPT_THEN_MAC, TD_EXT_CTX_SERVER_HELLO12,
                 H("16"), TD_ALERT_DECODE_ERROR, "RFC 7366 2");
    /* another type is a caller bug, in decode and encode */
    ck_assert_int_eq(td_ext_empty_decode(TD_EXT_SERVER_NAME, H(""),
                                         TD_EXT_CTX_CLIENT_HELLO),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_ext_empty_decode(TD_EXT_SESSION_TICKET, H(""),
                                         TD_EXT_CTX_CLIENT_HELLO),
                     TD_ERR_INTERNAL);
    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(
        td_ext_empty_encode(&wr, TD_EXT_RENEGOTIATION_INFO,
                            TD_EXT_CTX_CLIENT_HELLO),
        TD_ERR_INTERNAL);
    ck_assert_uint_eq(td_wr_len(&wr), 0);
}
END_TEST

/* ------------------------------------------------------------ contexts */

/* A valid extension_data for each (type, context) that has a form. */
static const char *valid_in(uint16_t type, td_ext_ctx ctx)
{
    int ch = ctx == TD_EXT_CTX_CLIENT_HELLO;

    switch (type) {
    case TD_EXT_SERVER_NAME:
        return ch ? "0004 00 0001 61" : "";
    case TD_EXT_MAX_FRAGMENT_LENGTH:
        return "02";
    case TD_EXT_STATUS_REQUEST:
        if (ctx == TD_EXT_CTX_CERTIFICATE)
            return "01 000001 30";
        return ch ? "01 0000 0000" : "";
    case TD_EXT_SUPPORTED_GROUPS:
        return "0002 001d";
    case TD_EXT_EC_POINT_FORMATS:
        return "01 00";
    case TD_EXT_SIGNATURE_ALGORITHMS:
    case TD_EXT_SIGNATURE_ALGORITHMS_CERT:
        return "0002 0804";
    case TD_EXT_ALPN:
        return "0003 02 6832";
    case TD_EXT_SESSION_TICKET:
        return ch ? "abcd" : "";
    case TD_EXT_RENEGOTIATION_INFO:
        return "00";
    case TD_EXT_SUPPORTED_VERSIONS:
        return ch ? "02 0304" : "0304";
    default: /* the empty extensions */
        return "";
    }
}

START_TEST(test_contexts)
{
    size_t i;
    int c;
    size_t forms = 0;

    for (i = 0; i < NTYPES; i++) {
        for (c = 0; c < TD_EXT_CTX_COUNT; c++) {
            td_ext_ctx ctx = (td_ext_ctx)c;
            ext_out o;
            uint8_t b[64], wbuf[64];
            td_span s;
            td_wr wr;

            /* the check every codec makes first says the same */
            ck_assert_int_eq(td_ext_form_check(types[i], ctx),
                             td_ext_allowed(types[i], ctx)
                                 ? TD_OK
                                 : TD_ALERT_ILLEGAL_PARAMETER);
            if (td_ext_allowed(types[i], ctx)) {
                /* a form in every message the table allows */
                s.len = hex(valid_in(types[i], ctx), b, sizeof b);
                s.p = b;
                roundtrip(types[i], ctx, s, &o);
                forms++;
                continue;
            }
            /* RFC 8446 4.2: "which is not specified for the message in
             * which it appears" -> illegal_parameter, whatever the data */
            s.len = hex(valid_in(types[i], TD_EXT_CTX_CLIENT_HELLO), b,
                        sizeof b);
            s.p = b;
            expect_alert(types[i], ctx, s, TD_ALERT_ILLEGAL_PARAMETER,
                         "RFC 8446 4.2 table");
            s.len = 0;
            expect_alert(types[i], ctx, s, TD_ALERT_ILLEGAL_PARAMETER,
                         "RFC 8446 4.2 table");
            /* and the reference never sends it */
            memset(&o, 0, sizeof o);
            td_wr_init(&wr, wbuf, sizeof wbuf);
            ck_assert_int_eq(ext_encode(&wr, types[i], ctx, &o),
                             TD_ERR_INTERNAL);
            ck_assert_uint_eq(td_wr_len(&wr), 0);
        }
        /* a context outside td_ext_ctx is a caller bug, for the decoder
         * and the encoder alike */
        expect_alert(types[i], TD_EXT_CTX_COUNT, H(""), TD_ERR_INTERNAL,
                     "ctx out of range");
        expect_alert(types[i], (td_ext_ctx)99, H(""), TD_ERR_INTERNAL,
                     "ctx out of range");
        ck_assert_int_eq(td_ext_form_check(types[i], TD_EXT_CTX_COUNT),
                         TD_ERR_INTERNAL);
        {
            ext_out o;
            uint8_t wbuf[8];
            td_wr wr;

            memset(&o, 0, sizeof o);
            td_wr_init(&wr, wbuf, sizeof wbuf);
            ck_assert_int_eq(ext_encode(&wr, types[i], TD_EXT_CTX_COUNT, &o),
                             TD_ERR_INTERNAL);
            ck_assert_uint_eq(td_wr_len(&wr), 0);
        }
    }
    /* The forms by type, from the RFCs (RFC 8446 4.2 table for TLS 1.3,
     * each extension's RFC for the TLS 1.2 ServerHello):
     *   server_name CH SH12 EE (3), max_fragment_length CH SH12 EE (3),
     *   status_request CH SH12 CR CT (4), supported_groups CH EE (2),
     *   ec_point_formats CH SH12 (2), signature_algorithms(_cert) CH CR
     *   (2 + 2), ALPN CH SH12 EE (3), EMS CH SH12 (2), EtM CH SH12 (2),
     *   post_handshake_auth CH (1), session_ticket CH SH12 (2),
     *   renegotiation_info CH SH12 (2), supported_versions CH SH HRR (3) */
    ck_assert_uint_eq(forms, 3 + 3 + 4 + 2 + 2 + 4 + 3 + 2 + 2 + 1 + 2 + 2 +
                                 3);
}
END_TEST

/* ------------------------------------------------------------- encoder */

/* The encoder writes *in (td_ext.h: encoders are permissive) as exactly
 * the bytes `want`, derived by hand next to each call, into a writer that
 * holds one byte already. */
static void encode_gives(uint16_t type, td_ext_ctx ctx, const ext_out *in,
                         const char *want)
{
    static uint8_t buf[256];
    td_wr wr;
    td_span got, body;
    td_err err;

    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_wr_u8(&wr, 0xee), TD_OK);
    err = ext_encode(&wr, type, ctx, in);
    ck_assert_msg(err == TD_OK, "encode %s in %s: %s", td_ext_name(type),
                  td_ext_ctx_name(ctx), td_err_name(err));
    ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
    ck_assert_uint_eq(got.p[0], 0xee);
    body.p = got.p + 1;
    body.len = got.len - 1;
    ck_span_hex(body, want);
}

/* What the decoder rejects, the encoder still writes: the bytes `want`,
 * and then the decoder answers them with `alert` (the RFC clause in
 * `clause`). So the invalid value reaches the wire and is caught on
 * receipt. */
static void encode_then_reject(uint16_t type, td_ext_ctx ctx,
                               const ext_out *in, const char *want,
                               td_err alert, const char *clause)
{
    static uint8_t buf[256];
    td_wr wr;
    td_span got;

    encode_gives(type, ctx, in, want);
    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(ext_encode(&wr, type, ctx, in), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
    expect_alert(type, ctx, got, alert, clause);
}

/* Only what has no wire form fails: TD_ERR_INTERNAL, nothing written. */
static void encode_fails(uint16_t type, td_ext_ctx ctx, const ext_out *in)
{
    static uint8_t buf[256];
    td_wr wr;

    td_wr_init(&wr, buf, sizeof buf);
    ck_assert_int_eq(td_wr_u8(&wr, 0xee), TD_OK);
    ck_assert_int_eq(ext_encode(&wr, type, ctx, in), TD_ERR_INTERNAL);
    ck_assert_uint_eq(td_wr_len(&wr), 1);
}

START_TEST(test_encoder)
{
    static uint8_t huge[0x10000];
    static const uint8_t name[] = {'s', 'e', 'r', 'v', 'e', 'r'};
    static const uint8_t list_server[] = {0x00, 0x00, 0x06, 's', 'e', 'r', 'v', 'e', 'r'};
    static const uint8_t list_a[] = {0x00, 0x00, 0x01, 'a'};
    static const uint8_t list_ab[] = {0x00, 0x00, 0x01, 'a', 0x00, 0x00, 0x01, 'b'};
    static const uint8_t two[] = {0x02, 0x68, 0x32, 0x02, 0x68, 0x33};
    static const uint8_t fmt1[] = {0x01};
    static const uint8_t empty_id[] = {0x00, 0x00};
    ext_out o;
    td_span d;

    /* server_name from host_name alone: the trace's bytes 00 09 00 00 06
     * "server" */
    memset(&o, 0, sizeof o);
    o.sni.host_name.p = name;
    o.sni.host_name.len = sizeof name;
    encode_gives(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, &o,
                 "0009 00 0006 736572766572");
    /* the list body with the same host_name: the same bytes */
    o.sni.server_name_list.p = list_server;
    o.sni.server_name_list.len = sizeof list_server;
    encode_gives(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, &o,
                 "0009 00 0006 736572766572");
    /* a set list is what is written; host_name ("server") is then an
     * output of decode only, and decoding gives the list's "a" */
    o.sni.server_name_list.p = list_a;
    o.sni.server_name_list.len = sizeof list_a;
    encode_gives(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, &o,
                 "0004 00 0001 61");
    ck_assert_int_eq(td_ext_server_name_decode(H("0004 00 0001 61"),
                                               TD_EXT_CTX_CLIENT_HELLO,
                                               &o.sni),
                     TD_OK);
    ck_span_hex(o.sni.host_name, "61");
    /* RFC 6066 3: "The ServerNameList MUST NOT contain more than one name
     * of the same name_type": written (length 8 = 2 x (1 + 2 + 1)), and
     * the receiver says illegal_parameter */
    memset(&o, 0, sizeof o);
    o.sni.server_name_list.p = list_ab;
    o.sni.server_name_list.len = sizeof list_ab;
    encode_then_reject(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, &o,
                       "0008 00 0001 61 00 0001 62",
                       TD_ALERT_ILLEGAL_PARAMETER, "RFC 6066 3 one host_name");
    /* RFC 6066 3: HostName<1..2^16-1>; an empty host_name is written as
     * list length 3 = name_type 00 + HostName length 00 00 */
    memset(&o, 0, sizeof o);
    encode_then_reject(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, &o,
                       "0003 00 0000", TD_ALERT_DECODE_ERROR,
                       "RFC 6066 3 HostName<1..2^16-1>");
    /* the server form is empty extension_data (RFC 6066 3): it has no
     * field, so a name in the struct is not read */
    o.sni.server_name_list.p = list_a;
    o.sni.server_name_list.len = sizeof list_a;
    encode_gives(TD_EXT_SERVER_NAME, TD_EXT_CTX_ENCRYPTED_EXTENSIONS, &o, "");
    /* a host_name the list's 2-byte length cannot hold with its 3 bytes
     * of framing: 0xffff - 2 bytes */
    memset(&o, 0, sizeof o);
    o.sni.host_name.p = huge;
    o.sni.host_name.len = 0xffff - 2;
    encode_fails(TD_EXT_SERVER_NAME, TD_EXT_CTX_CLIENT_HELLO, &o);
    o.sni.host_name.len = 0xffff - 3; /* the longest that fits */
    {
        static uint8_t out[0x10000 + 8];
        td_wr wr;

        td_wr_init(&wr, out, sizeof out);
        ck_assert_int_eq(td_ext_server_name_encode(&wr, TD_EXT_CTX_CLIENT_HELLO,
                                                   &o.sni),
                         TD_OK);
        ck_assert_uint_eq(td_wr_len(&wr), 2 + 0xffff);
    }

    /* ALPN: RFC 7301 3.1 the server's list "MUST contain exactly one
     * "ProtocolName"": two names (02 "h2", 02 "h3") in the TLS 1.2
     * ServerHello are written and the receiver says decode_error (see
     * td_ext_alpn.c for the alert) */
    memset(&o, 0, sizeof o);
    o.alpn.protocol_name_list.p = two;
    o.alpn.protocol_name_list.len = sizeof two;
    o.alpn.count = 2;
    encode_gives(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, &o,
                 "0006 026832 026833");
    encode_then_reject(TD_EXT_ALPN, TD_EXT_CTX_SERVER_HELLO12, &o,
                       "0006 026832 026833", TD_ALERT_DECODE_ERROR,
                       "RFC 7301 3.1 exactly one name");
    /* count is an output of decode only */
    o.alpn.count = 1;
    encode_gives(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, &o,
                 "0006 026832 026833");
    /* RFC 7301 3.1 protocol_name_list<2..2^16-1>: an empty list is
     * written as its length 00 00 */
    memset(&o, 0, sizeof o);
    encode_then_reject(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, &o, "0000",
                       TD_ALERT_DECODE_ERROR, "RFC 7301 3.1 list<2..>");
    /* 2^16 bytes have no 2-byte length */
    o.alpn.protocol_name_list.p = huge;
    o.alpn.protocol_name_list.len = 0x10000;
    encode_fails(TD_EXT_ALPN, TD_EXT_CTX_CLIENT_HELLO, &o);

    /* RFC 6066 4: a max_fragment_length other than 1..4 is
     * illegal_parameter */
    memset(&o, 0, sizeof o);
    o.mfl.max_fragment_length = 5;
    encode_then_reject(TD_EXT_MAX_FRAGMENT_LENGTH, TD_EXT_CTX_CLIENT_HELLO, &o,
                       "05", TD_ALERT_ILLEGAL_PARAMETER, "RFC 6066 4 1..4");
    /* RFC 8422 5.1, 5.1.2: a list without uncompressed(0) is
     * illegal_parameter; the list 01 (ansiX962_compressed_prime) is
     * written as length 01 + 01 */
    memset(&o, 0, sizeof o);
    o.pf.ec_point_format_list.p = fmt1;
    o.pf.ec_point_format_list.len = 1;
    encode_then_reject(TD_EXT_EC_POINT_FORMATS, TD_EXT_CTX_CLIENT_HELLO, &o,
                       "01 01", TD_ALERT_ILLEGAL_PARAMETER,
                       "RFC 8422 5.1.2 uncompressed");
    /* RFC 8446 4.2.1 versions<2..254> of uint16: one byte is written as
     * length 01 + 01, and is decode_error (RFC 8446 6) */
    memset(&o, 0, sizeof o);
    o.sv.versions.p = fmt1;
    o.sv.versions.len = 1;
    encode_then_reject(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_CLIENT_HELLO, &o,
                       "01 01", TD_ALERT_DECODE_ERROR,
                       "RFC 8446 4.2.1 versions<2..254>");
    /* ServerHello: selected_version (0 here); versions is the other
     * form's field and is not read */
    encode_gives(TD_EXT_SUPPORTED_VERSIONS, TD_EXT_CTX_SERVER_HELLO13, &o,
                 "0000");

    /* status_request in a Certificate with a zero struct: status_type 00
     * and OCSPResponse length 00 00 00; RFC 6066 8 ocsp(1) is the only
     * CertificateStatusType with a response and OCSPResponse<1..2^24-1>:
     * decode_error */
    memset(&o, 0, sizeof o);
    encode_then_reject(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CERTIFICATE, &o,
                       "00 000000", TD_ALERT_DECODE_ERROR,
                       "RFC 6066 8 CertificateStatus");
    /* the TLS 1.2 ServerHello form is empty (RFC 6066 8): status_type is
     * not a field of it */
    o.sr.status_type = TD_STATUS_TYPE_OCSP;
    encode_gives(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_SERVER_HELLO12, &o, "");
    /* RFC 6066 8 ResponderID<1..2^16-1>: a responder_id_list holding one
     * empty ResponderID (00 00) is written as 01, list length 00 02, 00
     * 00, request_extensions length 00 00 */
    o.sr.responder_id_list.p = empty_id;
    o.sr.responder_id_list.len = sizeof empty_id;
    encode_then_reject(TD_EXT_STATUS_REQUEST, TD_EXT_CTX_CLIENT_HELLO, &o,
                       "01 0002 0000 0000", TD_ALERT_DECODE_ERROR,
                       "RFC 6066 8 ResponderID<1..>");
    /* RFC 5077 3.2: the server's SessionTicket extension is zero-length;
     * a ticket of one byte is written and is decode_error (RFC 8446 6) */
    memset(&o, 0, sizeof o);
    o.st.ticket.p = fmt1;
    o.st.ticket.len = 1;
    encode_then_reject(TD_EXT_SESSION_TICKET, TD_EXT_CTX_SERVER_HELLO12, &o,
                       "01", TD_ALERT_DECODE_ERROR, "RFC 5077 3.2 zero-length");
    /* a ticket longer than extension_data<0..2^16-1> has no wire form */
    o.st.ticket.p = huge;
    o.st.ticket.len = 0x10000;
    encode_fails(TD_EXT_SESSION_TICKET, TD_EXT_CTX_CLIENT_HELLO, &o);
    /* RFC 8446 4.2.3 <2..2^16-2>, RFC 8446 4.2.7 <2..2^16-1> of uint16:
     * an odd list (00 01 + 01) is written, and is decode_error */
    memset(&o, 0, sizeof o);
    o.sa.supported_signature_algorithms.p = fmt1;
    o.sa.supported_signature_algorithms.len = 1;
    encode_then_reject(TD_EXT_SIGNATURE_ALGORITHMS, TD_EXT_CTX_CLIENT_HELLO, &o,
                       "0001 01", TD_ALERT_DECODE_ERROR,
                       "RFC 8446 4.2.3 uint16 list");
    memset(&o, 0, sizeof o);
    o.sg.named_group_list.p = fmt1;
    o.sg.named_group_list.len = 1;
    encode_then_reject(TD_EXT_SUPPORTED_GROUPS, TD_EXT_CTX_ENCRYPTED_EXTENSIONS,
                       &o, "0001 01", TD_ALERT_DECODE_ERROR,
                       "RFC 8446 4.2.7 uint16 list");
    /* RFC 5746 3.2 renegotiated_connection<0..255>: 256 bytes have no
     * 1-byte length */
    memset(&o, 0, sizeof o);
    o.ri.renegotiated_connection.p = huge;
    o.ri.renegotiated_connection.len = 256;
    encode_fails(TD_EXT_RENEGOTIATION_INFO, TD_EXT_CTX_CLIENT_HELLO, &o);
    d.p = huge;
    d.len = 255;
    o.ri.renegotiated_connection = d;
    {
        static uint8_t out[300];
        td_wr wr;

        td_wr_init(&wr, out, sizeof out);
        ck_assert_int_eq(td_ext_renegotiation_info_encode(
                             &wr, TD_EXT_CTX_SERVER_HELLO12, &o.ri),
                         TD_OK);
        ck_assert_uint_eq(td_wr_len(&wr), 256);
        ck_assert_uint_eq(out[0], 0xff);
    }
    /* td_ext_write (RFC 8446 4.2 Extension): type 00 2b, extension_data
     * length 00 03, then the data 02 0304; 2^16 bytes of data have no
     * 2-byte length */
    {
        static uint8_t out[16];
        td_wr wr;
        td_span got;

        td_wr_init(&wr, out, sizeof out);
        ck_assert_int_eq(td_ext_write(&wr, TD_EXT_SUPPORTED_VERSIONS, H("02 0304")), TD_OK);
        ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
        ck_span_hex(got, "002b 0003 02 0304");
        d.p = huge;
        d.len = 0x10000;
        ck_assert_int_eq(td_ext_write(&wr, TD_EXT_PADDING, d), TD_ERR_INTERNAL);
        ck_assert_uint_eq(td_wr_len(&wr), 7);
    }
}
END_TEST

/* --------------------------------------------------------------- names */

START_TEST(test_names)
{
    static const struct {
        uint16_t type;
        const char *name;
    } iana[] = {
        /* IANA TLS ExtensionType Values */
        {0, "server_name"},
        {1, "max_fragment_length"},
        {5, "status_request"},
        {10, "supported_groups"},
        {11, "ec_point_formats"},
        {13, "signature_algorithms"},
        {14, "use_srtp"},
        {15, "heartbeat"},
        {16, "application_layer_protocol_negotiation"},
        {18, "signed_certificate_timestamp"},
        {19, "client_certificate_type"},
        {20, "server_certificate_type"},
        {21, "padding"},
        {22, "encrypt_then_mac"},
        {23, "extended_master_secret"},
        {28, "record_size_limit"},
        {35, "session_ticket"},
        {41, "pre_shared_key"},
        {42, "early_data"},
        {43, "supported_versions"},
        {44, "cookie"},
        {45, "psk_key_exchange_modes"},
        {47, "certificate_authorities"},
        {48, "oid_filters"},
        {49, "post_handshake_auth"},
        {50, "signature_algorithms_cert"},
        {51, "key_share"},
        {0xff01, "renegotiation_info"},
    };
    size_t i;
    unsigned t, grease = 0;

    for (i = 0; i < sizeof iana / sizeof iana[0]; i++) {
        const char *n = td_ext_name(iana[i].type);
        ck_assert_msg(n != NULL, "no name for %u", iana[i].type);
        ck_assert_str_eq(n, iana[i].name);
    }
    ck_assert_ptr_null(td_ext_name(2));      /* client_certificate_url */
    ck_assert_ptr_null(td_ext_name(0x0a0a)); /* GREASE */
    ck_assert_ptr_null(td_ext_name(0xfffe));

    /* RFC 8701 2: 0x0A0A, 0x1A1A, ..., 0xFAFA and nothing else */
    for (t = 0; t <= 0xffff; t++) {
        int want = (t >> 8) == (t & 0xff) && (t & 0x0f) == 0x0a;
        ck_assert_int_eq(td_ext_is_grease((uint16_t)t), want);
        grease += (unsigned)want;
    }
    ck_assert_uint_eq(grease, 16);
    ck_assert_int_eq(td_ext_is_grease(0x0a0a), 1);
    ck_assert_int_eq(td_ext_is_grease(0xfafa), 1);
    ck_assert_int_eq(td_ext_is_grease(0x0a1a), 0);
    ck_assert_int_eq(td_ext_is_grease(0x0b0b), 0);
    ck_assert_int_eq(td_ext_is_grease(0xaaaa), 1);
    ck_assert_int_eq(td_ext_is_grease(0xabab), 0);

    ck_assert_str_eq(td_ext_ctx_name(TD_EXT_CTX_CLIENT_HELLO), "client_hello");
    ck_assert_str_eq(td_ext_ctx_name(TD_EXT_CTX_SERVER_HELLO12),
                     "server_hello(1.2)");
    ck_assert_str_eq(td_ext_ctx_name(TD_EXT_CTX_SERVER_HELLO13),
                     "server_hello");
    ck_assert_str_eq(td_ext_ctx_name(TD_EXT_CTX_HELLO_RETRY_REQUEST),
                     "hello_retry_request");
    ck_assert_str_eq(td_ext_ctx_name(TD_EXT_CTX_ENCRYPTED_EXTENSIONS),
                     "encrypted_extensions");
    ck_assert_str_eq(td_ext_ctx_name(TD_EXT_CTX_CERTIFICATE), "certificate");
    ck_assert_str_eq(td_ext_ctx_name(TD_EXT_CTX_CERTIFICATE_REQUEST),
                     "certificate_request");
    ck_assert_str_eq(td_ext_ctx_name(TD_EXT_CTX_NEW_SESSION_TICKET),
                     "new_session_ticket");
    ck_assert_str_eq(td_ext_ctx_name(TD_EXT_CTX_COUNT), "unknown");
}
END_TEST

Suite *td_ext_basic_suite(void);

Suite *td_ext_basic_suite(void)
{
    Suite *s = suite_create("ext_basic");
    TCase *tc;

    tc = tcase_create("valid");
    tcase_add_test(tc, test_trace_client_hello);
    tcase_add_test(tc, test_trace_server);
    tcase_add_test(tc, test_valid_hand);
    tcase_add_test(tc, test_tls12_fields);
    suite_add_tcase(s, tc);

    tc = tcase_create("roundtrip");
    tcase_add_test(tc, test_trace_walk);
    tcase_add_test(tc, test_tls12_captures);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncated");
    tcase_add_test(tc, test_truncated_hand);
    suite_add_tcase(s, tc);

    tc = tcase_create("bounds");
    tcase_add_test(tc, test_bounds_u16_lists);
    tcase_add_test(tc, test_odd_lengths);
    tcase_add_test(tc, test_bounds_supported_versions);
    tcase_add_test(tc, test_bounds_server_name);
    tcase_add_test(tc, test_bounds_alpn);
    tcase_add_test(tc, test_bounds_ec_point_formats);
    tcase_add_test(tc, test_bounds_status_request);
    tcase_add_test(tc, test_bounds_opaque);
    suite_add_tcase(s, tc);

    tc = tcase_create("rfc_negative");
    tcase_add_test(tc, test_rfc_server_name);
    tcase_add_test(tc, test_rfc_max_fragment_length);
    tcase_add_test(tc, test_rfc_ec_point_formats);
    tcase_add_test(tc, test_rfc_empty);
    suite_add_tcase(s, tc);

    tc = tcase_create("contexts");
    tcase_add_test(tc, test_contexts);
    suite_add_tcase(s, tc);

    tc = tcase_create("encoder");
    tcase_add_test(tc, test_encoder);
    suite_add_tcase(s, tc);

    tc = tcase_create("names");
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);
    return s;
}
