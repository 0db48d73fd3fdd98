/*
 * edit: edit scripts (td_edit.h).
 *
 *   text       parse/print round trip on scripts written by hand, the
 *              canonical form of non-canonical input, errors that name
 *              the edit and the problem;
 *   binary     encode/decode round trip; td_edit_decode on random and
 *              corrupted bytes is total (a fixed-seed PRNG);
 *   apply      each edit on the RFC 8448 section 3 messages
 *              (vectors/tls13/s3-1rtt.vec), checked against bytes derived
 *              here from the RFC 8446 structs with plain offsets, not with
 *              the codecs;
 *   mutate     the fuzz mutation step: every result decodes and applies
 *              (or fails cleanly);
 *   schema     the field tables agree with td_msg.h.
 */
#include "td_vec.h" /* first: it selects POSIX */

#include "td_edit.h"
#include "td_ext.h"
#include "td_msg.h"
#include "td_names.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OUT_MAX 8192u

/* ------------------------------------------------------------ helpers */

static td_vec trace;

static void trace_setup(void)
{
    td_err err = td_vec_load("tls13/s3-1rtt.vec", &trace);

    ck_assert_msg(err == TD_OK, "%s/tls13/s3-1rtt.vec: %s", td_vectors_dir(), td_err_name(err));
}

static void trace_teardown(void)
{
    td_vec_free(&trace);
}

/* A whole handshake message (header + body) of the trace. */
static td_span trace_msg(const char *side, const char *name)
{
    const td_vec_entry *e = td_vec_find(&trace, side, "handshake", name, "message", 0);

    ck_assert_msg(e != NULL, "no %s %s in s3-1rtt.vec", side, name);
    ck_assert_uint_ge(e->len, 4);
    return td_vec_span(e);
}

static size_t u16at(const uint8_t *p)
{
    return (size_t)p[0] << 8 | p[1];
}
static size_t u24at(const uint8_t *p)
{
    return (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
}
static void put16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static void put24(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}

/* RFC 8446 4.1.2, offsets in the whole message (4-byte header first):
 * legacy_version 4, random 6..37, legacy_session_id<0..32> at 38,
 * cipher_suites<2..2^16-2>, legacy_compression_methods<1..2^8-1>, then
 * the extensions length. */
static size_t ch_suites_at(const uint8_t *m)
{
    return 39 + m[38];
}
static size_t ch_ext_at(const uint8_t *m)
{
    size_t p = ch_suites_at(m);

    p += 2 + u16at(m + p);
    return p + 1 + m[p];
}

/* RFC 8446 4.1.3: legacy_version 4, random 6..37, session id echo at 38,
 * cipher_suite, legacy_compression_method, extensions length. */
static size_t sh_suite_at(const uint8_t *m)
{
    return 39 + m[38];
}
static size_t sh_ext_at(const uint8_t *m)
{
    return sh_suite_at(m) + 3;
}

/* The extension `type` in the block whose length is at m[at]: its offset
 * and total size (4 + extension_data), 0 if absent. */
static size_t ext_in(const uint8_t *m, size_t at, uint16_t type, size_t *size)
{
    size_t p = at + 2, end = at + 2 + u16at(m + at);

    while (p + 4 <= end) {
        size_t n = 4 + u16at(m + p + 2);
        if (u16at(m + p) == type) {
            *size = n;
            return p;
        }
        p += n;
    }
    *size = 0;
    return 0;
}

/* buf[0..*len): n bytes removed at off, or src inserted at off */
static void cut(uint8_t *buf, size_t *len, size_t off, size_t n)
{
    memmove(buf + off, buf + off + n, *len - off - n);
    *len -= n;
}
static void ins(uint8_t *buf, size_t *len, size_t off, const uint8_t *src, size_t n)
{
    memmove(buf + off + n, buf + off, *len - off);
    memcpy(buf + off, src, n);
    *len += n;
}

static td_edit_script parse_ok(const char *text)
{
    td_edit_script s;
    char why[256];
    td_err err = td_edit_parse(text, &s, why, sizeof why);

    ck_assert_msg(err == TD_OK, "parse '%s': %s (%s)", text, td_err_name(err), why);
    return s;
}

/* Apply `text` to the trace message (header + body); the result in out. */
static size_t apply_ok(const char *text, td_span msg, const td_msg_ctx *ctx, uint8_t *out,
                       td_edit_flags *flags)
{
    td_edit_script s = parse_ok(text);
    td_span body = {msg.p + 4, msg.len - 4};
    td_edit_flags f, *fl = flags ? flags : &f;
    size_t len;
    td_err err;

    err = td_edit_apply(&s, msg.p[0], body, ctx, out, OUT_MAX, &len, fl);
    ck_assert_msg(err == TD_OK, "apply '%s': %s (%s)", text, td_err_name(err), fl->why);
    return len;
}

/* Apply must fail with err and a why containing each of the words. */
static void apply_fails(const char *text, td_span msg, td_err want, const char *w1, const char *w2)
{
    td_edit_script s = parse_ok(text);
    td_span body = {msg.p + 4, msg.len - 4};
    td_edit_flags f;
    uint8_t out[OUT_MAX];
    size_t len;
    td_err err;

    err = td_edit_apply(&s, msg.p[0], body, NULL, out, sizeof out, &len, &f);
    ck_assert_msg(err == want, "apply '%s': %s, want %s (%s)", text, td_err_name(err),
                  td_err_name(want), f.why);
    ck_assert_msg(strstr(f.why, w1) && (!w2 || strstr(f.why, w2)),
                  "apply '%s': f.why '%s' lacks '%s' / '%s'", text, f.why, w1, w2 ? w2 : "");
}

static void assert_bytes(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len,
                         const char *what)
{
    size_t i;

    ck_assert_msg(got_len == want_len, "%s: %zu bytes, want %zu", what, got_len, want_len);
    for (i = 0; i < want_len; i++)
        ck_assert_msg(got[i] == want[i], "%s: byte %zu is %02x, want %02x", what, i, got[i],
                      want[i]);
}

/* ------------------------------------------------------------ text */

/* Canonical scripts: print(parse(x)) == x. */
static const char *const canonical[] = {
    "",
    "set legacy_version 0x0301",
    "set cipher_suite TLS_AES_256_GCM_SHA384",
    "set random 00*32",
    "set random 0102+ff*30",
    "set legacy_session_id -",
    "set legacy_session_id 0102+ff*30",
    "set legacy_session_id_echo aa*32",
    "set cipher_suites TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,0x0a0a",
    "set cipher_suites hex:130113",
    "set cipher_suites -",
    "set legacy_compression_methods 0,1",
    "set legacy_compression_method 1",
    "set has_extensions 0",
    "set extensions 002b0003020304",
    "set algorithm rsa_pss_rsae_sha256; set signature -",
    "set curve_type 3; set namedcurve x25519; set point 04+aa*64",
    "set ticket_lifetime 4294967295; set ticket_age_add 0; set ticket_nonce 00; set ticket ab*100",
    "set ticket_lifetime_hint 7200",
    "set request_update 1",
    "set verify_data 00*48",
    "set hash 0102030405+00*27",
    "set exchange_keys 04",
    "set certificate_request_context 01; set certificate_list -",
    "set certificate_types 1,64",
    "set supported_signature_algorithms ecdsa_secp256r1_sha256,0x0000",
    "set certificate_authorities 0003010101",
    ("ext drop supported_versions; ext dup key_share; ext move key_share first; "
     "ext move 0x0a0a last; ext move server_name 3"),
    "ext insert 0x0a0a - at first; ext insert padding 00*16; ext set supported_versions 020303",
    "ext insert 0xfe0d 01 at 2",
    "bytes 0 0303; truncate 10; length +1; length -3; type server_hello; type 99; replace 01020304",
    "stale; skip; repeat; repeat 3; inject key_update 00; reorder; split 1; merge",
    "inject 200 -; split 16384; length +16777215; truncate 16777215",
    "record change_cipher_spec 01; record alert 0228; plain 0x63 00; record handshake -",
    "record application_data 00*16385; plain heartbeat 16+00*32767; record 0x00 ab*600",
};

/* Other spellings and their canonical form. */
static const char *const spelled[][2] = {
    {"set legacy_version TLSv1.0", "set legacy_version 0x0301"},
    {"set cipher_suite 0x1302", "set cipher_suite TLS_AES_256_GCM_SHA384"},
    {"set cipher_suites 4865", "set cipher_suites TLS_AES_128_GCM_SHA256"},
    {"set legacy_compression_methods 00,01", "set legacy_compression_methods 0,1"},
    {"  ext drop 43 ;\n# a comment\n\next insert 10 0017 at 0 # trailing",
     "ext drop supported_versions; ext insert supported_groups 0017 at first"},
    {"set random 00*16+00*16", "set random 00*32"},
    {"set random AABBCCDDEEFF00112233445566778899aabbccddeeff00112233445566778899",
     "set random aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899"},
    {"length 0", "length +0"},
    {"length 5", "length +5"},
    {"length 0x10", "length +16"},
    {"ext insert key_share 00 at last", "ext insert key_share 00"},
    {"ext move key_share 0", "ext move key_share first"},
    {"repeat 1", "repeat"},
    {"type 1", "type client_hello"},
    {"bytes 0x10 0000000000", "bytes 16 0000000000"},
    {"set ticket 0000000000000000", "set ticket 00*8"},
    {"set namedcurve 0x001d", "set namedcurve x25519"},
    {";;set request_update 0;;", "set request_update 0"},
};

START_TEST(test_text_roundtrip)
{
    size_t i;
    char buf[4096];

    for (i = 0; i < sizeof canonical / sizeof canonical[0]; i++) {
        td_edit_script s = parse_ok(canonical[i]), s2;
        size_t n = td_edit_print(&s, buf, sizeof buf);

        ck_assert_uint_eq(n, strlen(buf));
        ck_assert_msg(strcmp(buf, canonical[i]) == 0, "print(parse('%s')) = '%s'", canonical[i],
                      buf);
        s2 = parse_ok(buf);
        ck_assert_msg(td_edit_script_eq(&s, &s2), "'%s' does not parse back", buf);
    }
    for (i = 0; i < sizeof spelled / sizeof spelled[0]; i++) {
        td_edit_script s = parse_ok(spelled[i][0]), s2;

        td_edit_print(&s, buf, sizeof buf);
        ck_assert_msg(strcmp(buf, spelled[i][1]) == 0, "print(parse('%s')) = '%s', want '%s'",
                      spelled[i][0], buf, spelled[i][1]);
        s2 = parse_ok(buf);
        ck_assert(td_edit_script_eq(&s, &s2));
    }
}
END_TEST

START_TEST(test_text_values)
{
    td_edit_script s;

    /* what the values become */
    s = parse_ok("set cipher_suites 0x1301,TLS_AES_256_GCM_SHA384");
    ck_assert_uint_eq(s.n, 1);
    ck_assert_uint_eq(s.e[0].op, TD_EDIT_SET);
    ck_assert_uint_eq(s.e[0].field, TD_EF_CIPHER_SUITES);
    ck_assert_uint_eq(s.e[0].len, 4);
    ck_assert(memcmp(s.e[0].bytes, "\x13\x01\x13\x02", 4) == 0);

    s = parse_ok("set legacy_session_id 0102+ff*30");
    ck_assert_uint_eq(s.e[0].len, 32);
    ck_assert_uint_eq(s.e[0].bytes[1], 2);
    ck_assert_uint_eq(s.e[0].bytes[31], 0xff);

    s = parse_ok("ext insert key_share 0017 at 2; length -1; repeat; ext move key_share last");
    ck_assert_uint_eq(s.n, 4);
    ck_assert_uint_eq(s.e[0].type, TD_EXT_KEY_SHARE);
    ck_assert_int_eq(s.e[0].num, 2);
    ck_assert_int_eq(s.e[1].num, -1);
    ck_assert_int_eq(s.e[2].num, 1);
    ck_assert_int_eq(s.e[3].num, -1);

    /* the print is cut to cap and says how long it would be */
    {
        char small[8];
        size_t n;

        s = parse_ok("set cipher_suite TLS_AES_256_GCM_SHA384");
        n = td_edit_print(&s, small, sizeof small);
        ck_assert_uint_eq(n, strlen("set cipher_suite TLS_AES_256_GCM_SHA384"));
        ck_assert_str_eq(small, "set cip");
    }
}
END_TEST

/* Bad scripts: the error names the edit (from 1) and the problem. */
static const struct {
    const char *text;
    td_err err;
    const char *why; /* a prefix of the message */
} bad[] = {
    {"foo", TD_ERR_SYNTAX, "edit 1: unknown edit 'foo'"},
    {"set legacy_version 0x0301; set foo 1", TD_ERR_SYNTAX, "edit 2: unknown field 'foo'"},
    {"set legacy_version", TD_ERR_SYNTAX, "edit 1: set legacy_version: missing value"},
    {"set legacy_version 0x10000", TD_ERR_SYNTAX, "edit 1: set legacy_version: 65536 out of"},
    {"set legacy_version TLSv9", TD_ERR_SYNTAX, "edit 1: set legacy_version: bad value 'TLSv9'"},
    {"set cipher_suites 0x1301,NOPE", TD_ERR_SYNTAX,
     "edit 1: set cipher_suites: bad value '0x1301,NOPE'"},
    {"set cipher_suites 0x1301,", TD_ERR_SYNTAX, "edit 1: set cipher_suites: bad value"},
    {"set legacy_compression_methods 256", TD_ERR_SYNTAX,
     "edit 1: set legacy_compression_methods: bad value '256'"},
    {"set random 00*31", TD_ERR_SYNTAX, "edit 1: set random: 31 bytes, not 32"},
    {"set legacy_session_id 00*256", TD_ERR_SYNTAX,
     "edit 1: set legacy_session_id: 256 bytes, over its maximum 255"},
    {"set ticket 00*513", TD_ERR_NOSPACE, "edit 1: set ticket: value over 512 bytes"},
    {"set has_extensions 2", TD_ERR_SYNTAX, "edit 1: set has_extensions: 2 out of 0..1"},
    {"ext", TD_ERR_SYNTAX, "edit 1: ext: missing"},
    {"ext frob key_share", TD_ERR_SYNTAX, "edit 1: unknown edit 'frob'"},
    {"ext drop", TD_ERR_SYNTAX, "edit 1: ext drop: missing extension type"},
    {"ext drop no_such_ext", TD_ERR_SYNTAX, "edit 1: ext drop: bad extension type 'no_such_ext'"},
    {"ext drop 65536", TD_ERR_SYNTAX, "edit 1: ext drop: bad extension type '65536'"},
    {"ext move key_share", TD_ERR_SYNTAX, "edit 1: ext move: missing position"},
    {"ext move key_share middle", TD_ERR_SYNTAX, "edit 1: ext move: bad position 'middle'"},
    {"ext insert key_share 00 in 1", TD_ERR_SYNTAX, "edit 1: ext insert: unexpected 'in'"},
    {"ext insert key_share 00 at", TD_ERR_SYNTAX, "edit 1: ext insert: missing position"},
    {"bytes 0 abc", TD_ERR_SYNTAX, "edit 1: bytes: bad hex bytes 'abc'"},
    {"bytes 0 ab+", TD_ERR_SYNTAX, "edit 1: bytes: bad hex bytes 'ab+'"},
    {"bytes 0 ab*0", TD_ERR_SYNTAX, "edit 1: bytes: bad hex bytes 'ab*0'"},
    {"bytes 0 ab*513", TD_ERR_NOSPACE, "edit 1: bytes: over 512 bytes: hex bytes"},
    {"bytes -1 00", TD_ERR_SYNTAX, "edit 1: bytes: bad number '-1'"},
    {"truncate", TD_ERR_SYNTAX, "edit 1: truncate: missing number"},
    {"truncate 16777216", TD_ERR_SYNTAX, "edit 1: truncate: 16777216 out of range"},
    {"length +16777216", TD_ERR_SYNTAX, "edit 1: length: 16777216 out of range"},
    {"length ++1", TD_ERR_SYNTAX, "edit 1: length: bad number '++1'"},
    {"type 256", TD_ERR_SYNTAX, "edit 1: type: bad handshake type '256'"},
    {"type hello", TD_ERR_SYNTAX, "edit 1: type: bad handshake type 'hello'"},
    {"repeat 0", TD_ERR_SYNTAX, "edit 1: repeat: 0 out of range"},
    {"repeat 2 3", TD_ERR_SYNTAX, "edit 1: repeat: unexpected '3'"},
    {"split 0", TD_ERR_SYNTAX, "edit 1: split: 0 out of range"},
    {"split 16385", TD_ERR_SYNTAX, "edit 1: split: 16385 out of range"},
    {"stale now", TD_ERR_SYNTAX, "edit 1: stale: unexpected 'now'"},
    {"inject key_update", TD_ERR_SYNTAX, "edit 1: inject: missing hex bytes"},
    {"record alert", TD_ERR_SYNTAX, "edit 1: record: missing payload"},
    {"record 256 00", TD_ERR_SYNTAX, "edit 1: record: bad content type '256'"},
    {"plain ccs 01", TD_ERR_SYNTAX, "edit 1: plain: bad content type 'ccs'"},
    {"record alert 00*32769", TD_ERR_NOSPACE, "edit 1: record: over 32768 bytes, or over 512"},
    {"record alert ab*600+cd", TD_ERR_NOSPACE, "edit 1: record: over 32768 bytes, or over 512"},
    {"skip;skip;skip;skip;skip;skip;skip;skip;skip;skip;skip;skip;skip;skip;skip;skip;skip",
     TD_ERR_NOSPACE, "edit 17: more than 16 edits"},
};

START_TEST(test_text_errors)
{
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        td_edit_script s;
        char why[256];
        td_err err;

        memset(&s, 0xa5, sizeof s);
        err = td_edit_parse(bad[i].text, &s, why, sizeof why);
        ck_assert_msg(err == bad[i].err, "'%s': %s, want %s (%s)", bad[i].text, td_err_name(err),
                      td_err_name(bad[i].err), why);
        ck_assert_msg(strncmp(why, bad[i].why, strlen(bad[i].why)) == 0,
                      "'%s': why '%s', want '%s...'", bad[i].text, why, bad[i].why);
        ck_assert_uint_eq(s.n, 0); /* nothing half-parsed */
    }
}
END_TEST

/* ------------------------------------------------------------ binary */

static size_t encode_ok(const td_edit_script *s, uint8_t *buf, size_t cap)
{
    td_wr w;
    td_span out;

    td_wr_init(&w, buf, cap);
    ck_assert_int_eq(td_edit_encode(s, &w), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &out), TD_OK);
    return out.len;
}

START_TEST(test_binary_roundtrip)
{
    uint8_t buf[TD_EDIT_MAX * (TD_EDIT_BYTES_MAX + 8)], again[sizeof buf];
    size_t i;

    for (i = 0; i < sizeof canonical / sizeof canonical[0]; i++) {
        td_edit_script s = parse_ok(canonical[i]), d;
        size_t n = encode_ok(&s, buf, sizeof buf);
        td_span in = {buf, n};

        ck_assert_int_eq(td_edit_decode(in, &d), TD_OK);
        ck_assert_msg(td_edit_script_eq(&s, &d), "'%s' does not decode back", canonical[i]);
        ck_assert(memcmp(&s, &d, sizeof s) == 0); /* unused members are zero too */
        ck_assert_uint_eq(encode_ok(&d, again, sizeof again), n);
        ck_assert(memcmp(buf, again, n) == 0);
    }
    /* compact: `set legacy_version 0x0301` is op, field, u16 */
    {
        td_edit_script s = parse_ok("set legacy_version 0x0301; ext drop key_share; skip");
        const uint8_t want[] = {TD_EDIT_SET, TD_EF_LEGACY_VERSION, 0x03,
                                0x01,        TD_EDIT_EXT_DROP,     0x00,
                                0x33,        TD_EDIT_SKIP};

        assert_bytes(buf, encode_ok(&s, buf, sizeof buf), want, sizeof want, "binary");
    }
    /* a writer too small: NOSPACE and the writer unchanged */
    {
        td_edit_script s = parse_ok("set random 00*32");
        td_wr w;

        td_wr_init(&w, buf, 10);
        ck_assert_int_eq(td_edit_encode(&s, &w), TD_ERR_NOSPACE);
        ck_assert_uint_eq(td_wr_len(&w), 0);
    }
    /* an edit td_edit_check refuses is not encoded */
    {
        td_edit_script s = parse_ok("skip");
        td_wr w;

        s.e[0].num = 7; /* skip takes no number */
        td_wr_init(&w, buf, sizeof buf);
        ck_assert_int_eq(td_edit_encode(&s, &w), TD_ERR_SYNTAX);
        ck_assert_int_eq(td_edit_check(&s.e[0], NULL, 0), TD_ERR_SYNTAX);
    }
}
END_TEST

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Any bytes decode to a well-formed script or fail cleanly; a decoded
 * script prints, parses back and re-encodes to the same bytes. */
START_TEST(test_binary_decode_total)
{
    uint64_t seed = 0x7464656469747331ULL; /* fixed */
    uint8_t in[600], again[TD_EDIT_MAX * (TD_EDIT_BYTES_MAX + 8)];
    static char text[65536];
    unsigned i, decoded = 0;

    for (i = 0; i < 5000; i++) {
        size_t n = (size_t)(rng_next(&seed) % 64), j;
        td_edit_script s;
        td_span sp;

        if (i % 2) {
            /* a valid encoding, corrupted: reaches past the first op */
            td_edit_script c =
                parse_ok(canonical[rng_next(&seed) % (sizeof canonical / sizeof canonical[0])]);
            n = encode_ok(&c, again, sizeof again);
            if (n > sizeof in)
                n = sizeof in;
            memcpy(in, again, n);
            switch (rng_next(&seed) % 3) {
            case 0:
                if (n)
                    in[rng_next(&seed) % n] ^= (uint8_t)(1u << (rng_next(&seed) % 8));
                break;
            case 1:
                n = n ? (size_t)(rng_next(&seed) % n) : 0;
                break;
            default:
                if (n < sizeof in)
                    in[n++] = (uint8_t)rng_next(&seed);
                break;
            }
        } else {
            /* op bytes mostly in range, so that the arguments get read */
            for (j = 0; j < n; j++)
                in[j] = (uint8_t)(rng_next(&seed) % (j == 0 ? 20 : 256));
        }
        sp.p = in;
        sp.len = n;
        memset(&s, 0x5a, sizeof s);
        if (td_edit_decode(sp, &s) != TD_OK) {
            ck_assert_uint_eq(s.n, 0);
            continue;
        }
        decoded++;
        ck_assert_uint_le(s.n, TD_EDIT_MAX);
        for (j = 0; j < s.n; j++)
            ck_assert_int_eq(td_edit_check(&s.e[j], NULL, 0), TD_OK);
        ck_assert_uint_eq(encode_ok(&s, again, sizeof again), n);
        ck_assert(n == 0 || memcmp(again, in, n) == 0);
        ck_assert_uint_lt(td_edit_print(&s, text, sizeof text), sizeof text);
        {
            td_edit_script p = parse_ok(text);
            ck_assert_msg(td_edit_script_eq(&s, &p), "'%s' does not parse back", text);
        }
    }
    ck_assert_uint_gt(decoded, 500); /* the loop did reach decodable scripts */
}
END_TEST

/* ------------------------------------------------------------ apply */

START_TEST(test_apply_identity)
{
    static const char *const names[][2] = {
        {"client", "client_hello"},         {"server", "server_hello"},
        {"server", "encrypted_extensions"}, {"server", "certificate"},
        {"server", "certificate_verify"},   {"server", "finished"},
        {"server", "new_session_ticket"},
    };
    td_msg_ctx ctx = {TD_TLS1_3, TD_KX_ECDHE, 32, 32};
    uint8_t out[OUT_MAX];
    size_t i;

    /* no edit, and `set` of a field to its own value: the same bytes */
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        td_span m = trace_msg(names[i][0], names[i][1]);

        assert_bytes(out, apply_ok("", m, &ctx, out, NULL), m.p, m.len, names[i][1]);
        assert_bytes(out, apply_ok("stale; reorder", m, &ctx, out, NULL), m.p, m.len, names[i][1]);
    }
    {
        td_span m = trace_msg("client", "client_hello");
        assert_bytes(out, apply_ok("set legacy_version 0x0303", m, NULL, out, NULL), m.p, m.len,
                     "set to itself");
    }
}
END_TEST

START_TEST(test_apply_client_hello_fields)
{
    td_span m = trace_msg("client", "client_hello");
    uint8_t out[OUT_MAX], want[OUT_MAX];
    size_t n, s, i;

    /* legacy_version: exactly bytes 4..5 */
    n = apply_ok("set legacy_version 0x0301", m, NULL, out, NULL);
    memcpy(want, m.p, m.len);
    want[4] = 0x03;
    want[5] = 0x01;
    assert_bytes(out, n, want, m.len, "set legacy_version");
    /* the same through a raw edit */
    n = apply_ok("bytes 0 0301", m, NULL, out, NULL);
    assert_bytes(out, n, want, m.len, "bytes 0 0301");

    /* random: bytes 6..37 */
    n = apply_ok("set random 00*32", m, NULL, out, NULL);
    memcpy(want, m.p, m.len);
    memset(want + 6, 0, 32);
    assert_bytes(out, n, want, m.len, "set random");

    /* legacy_session_id: the trace's is empty (m[38] = 0); 32 bytes
     * inserted after its length byte, and the handshake length + 32 */
    ck_assert_uint_eq(m.p[38], 0);
    n = apply_ok("set legacy_session_id ab*32", m, NULL, out, NULL);
    memcpy(want, m.p, 38);
    want[38] = 32;
    memset(want + 39, 0xab, 32);
    memcpy(want + 71, m.p + 39, m.len - 39);
    put24(want + 1, m.len - 4 + 32);
    assert_bytes(out, n, want, m.len + 32, "set legacy_session_id");

    /* cipher_suites: the trace offers 3 (6 bytes); 2 offered is 2 bytes
     * shorter, the list length 4 */
    s = ch_suites_at(m.p);
    ck_assert_uint_eq(u16at(m.p + s), 6);
    n = apply_ok("set cipher_suites 0x1301,0x1302", m, NULL, out, NULL);
    memcpy(want, m.p, s);
    put16(want + s, 4);
    memcpy(want + s + 2, "\x13\x01\x13\x02", 4);
    memcpy(want + s + 6, m.p + s + 8, m.len - s - 8);
    put24(want + 1, m.len - 4 - 2);
    assert_bytes(out, n, want, m.len - 2, "set cipher_suites");

    /* legacy_compression_methods: one more byte */
    s = ch_suites_at(m.p);
    s += 2 + u16at(m.p + s);
    n = apply_ok("set legacy_compression_methods 00,01", m, NULL, out, NULL);
    memcpy(want, m.p, s);
    want[s] = 2;
    want[s + 1] = 0;
    want[s + 2] = 1;
    memcpy(want + s + 3, m.p + s + 2, m.len - s - 2);
    put24(want + 1, m.len - 4 + 1);
    assert_bytes(out, n, want, m.len + 1, "set legacy_compression_methods");

    /* has_extensions 0: the message ends after the compression methods */
    i = ch_ext_at(m.p);
    n = apply_ok("set has_extensions 0", m, NULL, out, NULL);
    memcpy(want, m.p, i);
    put24(want + 1, i - 4);
    assert_bytes(out, n, want, i, "set has_extensions 0");

    /* extensions: the block replaced as a whole */
    n = apply_ok("set extensions 002b0003020304", m, NULL, out, NULL);
    memcpy(want, m.p, i);
    put16(want + i, 7);
    memcpy(want + i + 2, "\x00\x2b\x00\x03\x02\x03\x04", 7);
    put24(want + 1, i + 9 - 4);
    assert_bytes(out, n, want, i + 9, "set extensions");

    /* a field ServerHello has and ClientHello has not */
    apply_fails("set cipher_suite TLS_AES_128_GCM_SHA256", m, TD_ERR_SYNTAX,
                "edit 1 (set): client_hello has no field cipher_suite", NULL);
}
END_TEST

START_TEST(test_apply_client_hello_ext)
{
    td_span m = trace_msg("client", "client_hello");
    uint8_t out[OUT_MAX], want[OUT_MAX], out2[OUT_MAX];
    size_t n, e = ch_ext_at(m.p), sv, svn, ks, ksn, first, firstn;

    sv = ext_in(m.p, e, TD_EXT_SUPPORTED_VERSIONS, &svn);
    ks = ext_in(m.p, e, TD_EXT_KEY_SHARE, &ksn);
    ck_assert_uint_gt(sv, 0);
    ck_assert_uint_eq(svn, 4 + 3); /* RFC 8448: versions<2..254> = {0x0304} */
    ck_assert_uint_gt(ks, 0);
    first = e + 2;
    firstn = 4 + u16at(m.p + first + 2);

    /* drop: its 4+N bytes gone, extensions and handshake lengths N+4 less */
    n = apply_ok("ext drop supported_versions", m, NULL, out, NULL);
    memcpy(want, m.p, sv);
    memcpy(want + sv, m.p + sv + svn, m.len - sv - svn);
    put24(want + 1, m.len - 4 - svn);
    put16(want + e, u16at(m.p + e) - svn);
    assert_bytes(out, n, want, m.len - svn, "ext drop supported_versions");
    /* by number, the same */
    assert_bytes(out2, apply_ok("ext drop 43", m, NULL, out2, NULL), want, m.len - svn,
                 "ext drop 43");

    /* dup: a copy right after it */
    n = apply_ok("ext dup supported_versions", m, NULL, out, NULL);
    memcpy(want, m.p, sv + svn);
    memcpy(want + sv + svn, m.p + sv, svn);
    memcpy(want + sv + 2 * svn, m.p + sv + svn, m.len - sv - svn);
    put24(want + 1, m.len - 4 + svn);
    put16(want + e, u16at(m.p + e) + svn);
    assert_bytes(out, n, want, m.len + svn, "ext dup supported_versions");

    /* move first: same length, the extension at the start of the block */
    n = apply_ok("ext move supported_versions first", m, NULL, out, NULL);
    memcpy(want, m.p, e + 2);
    memcpy(want + e + 2, m.p + sv, svn);
    memcpy(want + e + 2 + svn, m.p + e + 2, sv - e - 2);
    memcpy(want + sv + svn, m.p + sv + svn, m.len - sv - svn);
    assert_bytes(out, n, want, m.len, "ext move supported_versions first");

    /* move last: the first extension (server_name) to the end */
    n = apply_ok("ext move server_name last", m, NULL, out, NULL);
    ck_assert_uint_eq(u16at(m.p + first), TD_EXT_SERVER_NAME);
    memcpy(want, m.p, first);
    memcpy(want + first, m.p + first + firstn, m.len - first - firstn);
    memcpy(want + m.len - firstn, m.p + first, firstn);
    assert_bytes(out, n, want, m.len, "ext move server_name last");
    /* and back */
    {
        td_edit_script s = parse_ok("ext move server_name last; ext move server_name 0");
        td_span body = {m.p + 4, m.len - 4};
        td_edit_flags f;

        ck_assert_int_eq(td_edit_apply(&s, m.p[0], body, NULL, out, sizeof out, &n, &f), TD_OK);
        assert_bytes(out, n, m.p, m.len, "move there and back");
    }
    /* move to index 2: after the second extension */
    {
        size_t second = first + firstn, secondn = 4 + u16at(m.p + second + 2);
        size_t third = second + secondn, thirdn = 4 + u16at(m.p + third + 2);

        n = apply_ok("ext move server_name 2", m, NULL, out, NULL);
        memcpy(want, m.p, m.len);
        memcpy(want + first, m.p + second, secondn + thirdn);
        memcpy(want + first + secondn + thirdn, m.p + first, firstn);
        assert_bytes(out, n, want, m.len, "ext move server_name 2");
    }

    /* insert: 4 bytes (type, empty data) at the start of the block */
    n = apply_ok("ext insert 0x0a0a - at 0", m, NULL, out, NULL);
    memcpy(want, m.p, e + 2);
    memcpy(want + e + 2, "\x0a\x0a\x00\x00", 4);
    memcpy(want + e + 6, m.p + e + 2, m.len - e - 2);
    put24(want + 1, m.len - 4 + 4);
    put16(want + e, u16at(m.p + e) + 4);
    assert_bytes(out, n, want, m.len + 4, "ext insert at 0");
    /* default: last */
    n = apply_ok("ext insert 0xfe0d 0102", m, NULL, out, NULL);
    memcpy(want, m.p, m.len);
    memcpy(want + m.len, "\xfe\x0d\x00\x02\x01\x02", 6);
    put24(want + 1, m.len - 4 + 6);
    put16(want + e, u16at(m.p + e) + 6);
    assert_bytes(out, n, want, m.len + 6, "ext insert last");

    /* set: a new extension_data of the same length, then a longer one */
    n = apply_ok("ext set supported_versions 020303", m, NULL, out, NULL);
    memcpy(want, m.p, m.len);
    want[sv + 6] = 0x03;
    assert_bytes(out, n, want, m.len, "ext set same length");
    n = apply_ok("ext set supported_versions 0403040303", m, NULL, out, NULL);
    memcpy(want, m.p, sv);
    memcpy(want + sv, "\x00\x2b\x00\x05\x04\x03\x04\x03\x03", 9);
    memcpy(want + sv + 9, m.p + sv + svn, m.len - sv - svn);
    put24(want + 1, m.len - 4 + 2);
    put16(want + e, u16at(m.p + e) + 2);
    assert_bytes(out, n, want, m.len + 2, "ext set longer");

    /* a dup the decoder would refuse, and later edits still apply: the
     * struct is kept between edits */
    n = apply_ok("ext dup key_share; set legacy_version 0x0301; ext drop supported_versions", m,
                 NULL, out, NULL);
    {
        size_t w = m.len, at = sv > ks ? sv + ksn : sv; /* sv after the dup */

        memcpy(want, m.p, m.len);
        ins(want, &w, ks + ksn, m.p + ks, ksn);
        want[4] = 0x03;
        want[5] = 0x01;
        cut(want, &w, at, svn);
        put24(want + 1, w - 4);
        put16(want + e, u16at(m.p + e) + ksn - svn);
        assert_bytes(out, n, want, w, "dup, set, drop");
    }

    /* absent extension */
    apply_fails("ext drop cookie", m, TD_ERR_SYNTAX, "edit 1 (ext drop): no cookie extension",
                NULL);
    apply_fails("ext drop supported_versions; ext set supported_versions 00", m, TD_ERR_SYNTAX,
                "edit 2 (ext set): no supported_versions extension in client_hello", NULL);
}
END_TEST

START_TEST(test_apply_raw)
{
    td_span m = trace_msg("client", "client_hello");
    uint8_t out[OUT_MAX], want[OUT_MAX];
    td_edit_flags f;
    size_t n;

    /* length +1: only the header changes */
    n = apply_ok("length +1", m, NULL, out, NULL);
    memcpy(want, m.p, m.len);
    put24(want + 1, m.len - 4 + 1);
    assert_bytes(out, n, want, m.len, "length +1");
    ck_assert_uint_eq(u24at(out + 1), u24at(m.p + 1) + 1);
    n = apply_ok("length -2; length +1", m, NULL, out, NULL);
    put24(want + 1, m.len - 4 - 1);
    assert_bytes(out, n, want, m.len, "length -2 +1");

    /* truncate 10: a 10-byte body and header length 10 */
    n = apply_ok("truncate 10", m, NULL, out, NULL);
    ck_assert_uint_eq(n, 14);
    ck_assert_uint_eq(out[0], TD_HS_CLIENT_HELLO);
    ck_assert_uint_eq(u24at(out + 1), 10);
    ck_assert(memcmp(out + 4, m.p + 4, 10) == 0);
    /* with length: the header says 11 over a 10-byte body */
    n = apply_ok("truncate 10; length +1", m, NULL, out, NULL);
    ck_assert_uint_eq(n, 14);
    ck_assert_uint_eq(u24at(out + 1), 11);
    n = apply_ok("truncate 0", m, NULL, out, NULL);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(u24at(out + 1), 0);

    /* type: only byte 0 */
    n = apply_ok("type server_hello", m, NULL, out, NULL);
    memcpy(want, m.p, m.len);
    want[0] = TD_HS_SERVER_HELLO;
    assert_bytes(out, n, want, m.len, "type");

    /* replace: the whole body */
    n = apply_ok("replace 0102", m, NULL, out, NULL);
    assert_bytes(out, n, (const uint8_t *)"\x01\x00\x00\x02\x01\x02", 6, "replace");
    n = apply_ok("replace -", m, NULL, out, NULL);
    assert_bytes(out, n, (const uint8_t *)"\x01\x00\x00\x00", 4, "replace -");

    /* bytes past the end extends the body; at the end appends */
    n = apply_ok("truncate 2; bytes 2 aabb", m, NULL, out, NULL);
    assert_bytes(out, n, (const uint8_t *)"\x01\x00\x00\x04\x03\x03\xaa\xbb", 8, "append");
    n = apply_ok("truncate 2; bytes 1 aabb", m, NULL, out, NULL);
    assert_bytes(out, n, (const uint8_t *)"\x01\x00\x00\x03\x03\xaa\xbb", 7, "overlap end");

    /* raw then set: the body decodes again */
    n = apply_ok("bytes 0 0302; set random 11*32", m, NULL, out, NULL);
    memcpy(want, m.p, m.len);
    want[5] = 0x02;
    memset(want + 6, 0x11, 32);
    assert_bytes(out, n, want, m.len, "bytes then set");
    /* set, raw, set, raw: the two work buffers alternate */
    n = apply_ok("set legacy_session_id 01; bytes 0 0302; set legacy_session_id 0203; "
                 "bytes 1 01; set random 22*32",
                 m, NULL, out, NULL);
    memcpy(want, m.p, 38);
    want[4] = 0x03;
    want[5] = 0x01;
    memset(want + 6, 0x22, 32);
    want[38] = 2;
    want[39] = 2;
    want[40] = 3;
    memcpy(want + 41, m.p + 39, m.len - 39);
    put24(want + 1, m.len - 4 + 2);
    assert_bytes(out, n, want, m.len + 2, "set/raw alternation");

    /* flight edits: reported, bytes unchanged */
    n = apply_ok("stale; skip; repeat 3; repeat; inject key_update 00; reorder; split 5; merge; "
                 "inject finished -",
                 m, NULL, out, &f);
    assert_bytes(out, n, m.p, m.len, "flight edits");
    ck_assert_int_eq(f.stale, 1);
    ck_assert_int_eq(f.skip, 1);
    ck_assert_uint_eq(f.repeat, 4);
    ck_assert_int_eq(f.reorder, 1);
    ck_assert_int_eq(f.merge, 1);
    ck_assert_uint_eq(f.split, 5);
    ck_assert_uint_eq(f.n_inject, 2);
    ck_assert_uint_eq(f.inject[0], 4);
    ck_assert_uint_eq(f.inject[1], 8);
    n = apply_ok("", m, NULL, out, &f);
    ck_assert(!f.stale && !f.skip && !f.repeat && !f.reorder && !f.merge && !f.split &&
              !f.n_inject);
}
END_TEST

START_TEST(test_apply_server_hello)
{
    td_span m = trace_msg("server", "server_hello");
    uint8_t out[OUT_MAX], want[OUT_MAX];
    size_t n, cs = sh_suite_at(m.p), e = sh_ext_at(m.p), ks, ksn, sv, svn;

    ck_assert_uint_eq(u16at(m.p + cs), 0x1301);
    n = apply_ok("set cipher_suite TLS_AES_256_GCM_SHA384", m, NULL, out, NULL);
    memcpy(want, m.p, m.len);
    put16(want + cs, 0x1302);
    assert_bytes(out, n, want, m.len, "set cipher_suite");

    n = apply_ok("set legacy_compression_method 1", m, NULL, out, NULL);
    memcpy(want, m.p, m.len);
    want[cs + 2] = 1;
    assert_bytes(out, n, want, m.len, "set legacy_compression_method");

    n = apply_ok("set legacy_session_id_echo 0102", m, NULL, out, NULL);
    memcpy(want, m.p, 38);
    want[38] = 2;
    want[39] = 1;
    want[40] = 2;
    memcpy(want + 41, m.p + 39, m.len - 39);
    put24(want + 1, m.len - 4 + 2);
    assert_bytes(out, n, want, m.len + 2, "set legacy_session_id_echo");

    ks = ext_in(m.p, e, TD_EXT_KEY_SHARE, &ksn);
    sv = ext_in(m.p, e, TD_EXT_SUPPORTED_VERSIONS, &svn);
    ck_assert_uint_eq(ksn, 4 + 36); /* x25519: group, length, 32 bytes */
    n = apply_ok("ext drop key_share", m, NULL, out, NULL);
    memcpy(want, m.p, ks);
    memcpy(want + ks, m.p + ks + ksn, m.len - ks - ksn);
    put24(want + 1, m.len - 4 - ksn);
    put16(want + e, u16at(m.p + e) - ksn);
    assert_bytes(out, n, want, m.len - ksn, "ext drop key_share");

    /* without supported_versions the body would decode as a TLS 1.2
     * ServerHello, where key_share is illegal; the kept struct lets the
     * next edit apply anyway */
    n = apply_ok("ext drop supported_versions; set cipher_suite 0x1303", m, NULL, out, NULL);
    memcpy(want, m.p, sv);
    memcpy(want + sv, m.p + sv + svn, m.len - sv - svn);
    put16(want + cs, 0x1303);
    put24(want + 1, m.len - 4 - svn);
    put16(want + e, u16at(m.p + e) - svn);
    assert_bytes(out, n, want, m.len - svn, "drop then set");
    /* ... whereas after a raw edit it is decoded again, and refused */
    apply_fails("ext drop supported_versions; bytes 0 0303; set cipher_suite 0x1303", m,
                TD_ERR_SYNTAX, "edit 3 (set): the body", "does not decode as server_hello");
    /* ServerHello has no cipher_suites */
    apply_fails("set cipher_suites 0x1301", m, TD_ERR_SYNTAX,
                "edit 1 (set): server_hello has no field cipher_suites", NULL);
}
END_TEST

START_TEST(test_apply_other_messages)
{
    td_msg_ctx ctx = {TD_TLS1_3, TD_KX_ECDHE, 32, 32};
    uint8_t out[OUT_MAX], want[OUT_MAX];
    size_t n;

    {
        /* EncryptedExtensions: supported_groups, record_size_limit,
         * server_name (empty) */
        td_span m = trace_msg("server", "encrypted_extensions");

        ck_assert_uint_eq(u16at(m.p + m.len - 4), TD_EXT_SERVER_NAME);
        n = apply_ok("ext drop server_name", m, &ctx, out, NULL);
        memcpy(want, m.p, m.len - 4);
        put24(want + 1, m.len - 8);
        put16(want + 4, u16at(m.p + 4) - 4);
        assert_bytes(out, n, want, m.len - 4, "ee: ext drop server_name");
        n = apply_ok("ext move server_name first", m, &ctx, out, NULL);
        memcpy(want, m.p, 6);
        memcpy(want + 6, m.p + m.len - 4, 4);
        memcpy(want + 10, m.p + 6, m.len - 10);
        assert_bytes(out, n, want, m.len, "ee: ext move");
    }
    {
        /* CertificateVerify: algorithm at 4..5 (RFC 8446 4.4.3) */
        td_span m = trace_msg("server", "certificate_verify");

        n = apply_ok("set algorithm ecdsa_secp256r1_sha256", m, &ctx, out, NULL);
        memcpy(want, m.p, m.len);
        put16(want + 4, 0x0403);
        assert_bytes(out, n, want, m.len, "cv: set algorithm");
        n = apply_ok("set signature 00", m, &ctx, out, NULL);
        assert_bytes(out, n, (const uint8_t *)"\x0f\x00\x00\x05\x08\x04\x00\x01\x00", 9,
                     "cv: set signature");
    }
    {
        /* Finished: verify_data is the body */
        td_span m = trace_msg("server", "finished");

        n = apply_ok("set verify_data 00*32", m, &ctx, out, NULL);
        memcpy(want, m.p, 4);
        memset(want + 4, 0, 32);
        assert_bytes(out, n, want, 36, "fin: set verify_data");
        /* a shorter one (no longer a valid Finished for SHA-256) */
        n = apply_ok("set verify_data 0102", m, &ctx, out, NULL);
        assert_bytes(out, n, (const uint8_t *)"\x14\x00\x00\x02\x01\x02", 6, "fin: short");
    }
    {
        /* NewSessionTicket: ticket_lifetime 4..7, ticket_age_add 8..11 */
        td_span m = trace_msg("server", "new_session_ticket");

        n = apply_ok("set ticket_lifetime 0; set ticket_age_add 0xffffffff", m, &ctx, out, NULL);
        memcpy(want, m.p, m.len);
        memset(want + 4, 0, 4);
        memset(want + 8, 0xff, 4);
        assert_bytes(out, n, want, m.len, "nst: set lifetime, age_add");
        /* the extension block is last: early_data (RFC 8448 3) */
        n = apply_ok("ext insert 0x0a0a - at first", m, &ctx, out, NULL);
        ck_assert_uint_eq(n, m.len + 4);
    }
    {
        /* Certificate 1.3: certificate_request_context<0..255> at 4 */
        td_span m = trace_msg("server", "certificate");

        ck_assert_uint_eq(m.p[4], 0);
        n = apply_ok("set certificate_request_context 0102", m, &ctx, out, NULL);
        memcpy(want, m.p, 4);
        want[4] = 2;
        want[5] = 1;
        want[6] = 2;
        memcpy(want + 7, m.p + 5, m.len - 5);
        put24(want + 1, m.len - 4 + 2);
        assert_bytes(out, n, want, m.len + 2, "cert: set context");
        apply_fails("ext drop status_request", m, TD_ERR_SYNTAX,
                    "edit 1 (ext drop): certificate has no extension block", NULL);
    }
    {
        /* KeyUpdate by hand: request_update (RFC 8446 4.6.3) */
        static const uint8_t ku[] = {0x18, 0x00, 0x00, 0x01, 0x00};
        td_span m = {ku, sizeof ku};

        n = apply_ok("set request_update 1", m, &ctx, out, NULL);
        assert_bytes(out, n, (const uint8_t *)"\x18\x00\x00\x01\x01", 5, "ku");
        n = apply_ok("set request_update 255", m, &ctx, out, NULL);
        assert_bytes(out, n, (const uint8_t *)"\x18\x00\x00\x01\xff", 5, "ku 255");
    }
    {
        /* a type without fields, and one tlsdiff does not know */
        static const uint8_t shd[] = {0x0e, 0x00, 0x00, 0x00};
        static const uint8_t unk[] = {0x63, 0x00, 0x00, 0x01, 0x07};
        td_span m = {shd, sizeof shd}, u = {unk, sizeof unk};

        apply_fails("set random 00*32", m, TD_ERR_SYNTAX,
                    "edit 1 (set): server_hello_done has no fields", NULL);
        apply_fails("ext drop key_share", u, TD_ERR_SYNTAX,
                    "edit 1 (ext drop): message type 99 has no fields", NULL);
        n = apply_ok("bytes 0 08; length +1", u, &ctx, out, NULL);
        assert_bytes(out, n, (const uint8_t *)"\x63\x00\x00\x02\x08", 5, "unknown type raw");
    }
}
END_TEST

START_TEST(test_apply_errors)
{
    td_span m = trace_msg("client", "client_hello");
    td_edit_script s = parse_ok("set random 00*32");
    td_span body = {m.p + 4, m.len - 4};
    td_edit_flags f;
    uint8_t out[OUT_MAX];
    size_t n;

    apply_fails("truncate 10; set legacy_version 0x0301", m, TD_ERR_SYNTAX,
                "edit 2 (set): the body (10 bytes) does not decode as client_hello: decode_error",
                NULL);
    apply_fails("truncate 500", m, TD_ERR_SYNTAX, "edit 1 (truncate): the body is only 192 bytes",
                NULL);
    apply_fails("bytes 193 00", m, TD_ERR_SYNTAX,
                "edit 1 (bytes): offset 193 past the end of the 192-byte body", NULL);
    apply_fails("truncate 3; length -4", m, TD_ERR_SYNTAX,
                "edit 2 (length): header length -1 out of 0..2^24-1", NULL);
    apply_fails("length -1; set random 00*32; length -200", m, TD_ERR_SYNTAX,
                "edit 3 (length): header length", NULL);
    apply_fails("set extensions 00; ext drop key_share", m, TD_ERR_SYNTAX,
                "edit 2 (ext drop): the extension block of client_hello does not parse", NULL);
    /* an output too small */
    ck_assert_int_eq(td_edit_apply(&s, m.p[0], body, NULL, out, m.len - 1, &n, &f), TD_ERR_NOSPACE);
    ck_assert_msg(strstr(f.why, "does not fit"), "%s", f.why);
    /* a script broken by hand is refused, naming the edit */
    s.e[0].len = 31;
    ck_assert_int_eq(td_edit_apply(&s, m.p[0], body, NULL, out, sizeof out, &n, &f), TD_ERR_SYNTAX);
    ck_assert_msg(strstr(f.why, "edit 1 (set): set random: 31 bytes"), "%s", f.why);
}
END_TEST

/* ------------------------------------------------------------ mutate */

/* The fuzz loop: mutate, decode, apply. Strict apply succeeds or fails
 * naming an edit; lenient apply always gives a message. */
START_TEST(test_mutate)
{
    static const struct {
        const char *side, *name;
    } msgs[] = {{"client", "client_hello"},
                {"server", "server_hello"},
                {"server", "encrypted_extensions"},
                {"server", "certificate_verify"},
                {"server", "new_session_ticket"}};
    uint8_t data[4096], out[OUT_MAX * 2];
    unsigned k, i, applied = 0, failed = 0, ops_seen = 0;
    unsigned long edits = 0, skipped = 0, ext_named = 0, ext_present = 0;
    uint32_t seen = 0;

    for (k = 0; k < sizeof msgs / sizeof msgs[0]; k++) {
        td_span m = trace_msg(msgs[k].side, msgs[k].name);
        td_span body = {m.p + 4, m.len - 4};
        size_t size = 0;

        for (i = 0; i < 1500; i++) {
            td_edit_script s;
            td_edit_flags f;
            td_span in;
            size_t n, j, unused;
            td_err err;

            /* one in four without the message: td_edit_mutate */
            if (i % 4 == 0)
                size = td_edit_mutate(data, size, sizeof data, i * 7919u + k, m.p[0]);
            else
                size =
                    td_edit_mutate_msg(data, size, sizeof data, i * 7919u + k, m.p[0], body, NULL);
            ck_assert_uint_le(size, sizeof data);
            in.p = data;
            in.len = size;
            ck_assert_int_eq(td_edit_decode(in, &s), TD_OK);
            for (j = 0; j < s.n; j++) {
                const td_edit *e = &s.e[j];

                seen |= 1u << e->op;
                /* the blocks of CH, SH and EE, where ext_in can find them */
                if ((e->op == TD_EDIT_EXT_DROP || e->op == TD_EDIT_EXT_SET) && k <= 2) {
                    ext_named++;
                    ext_present += ext_in(m.p,
                                          k == 0   ? ch_ext_at(m.p)
                                          : k == 1 ? sh_ext_at(m.p)
                                                   : 4,
                                          e->type, &unused) != 0;
                }
            }
            err = td_edit_apply(&s, m.p[0], body, NULL, out, sizeof out, &n, &f);
            if (err == TD_OK) {
                applied++;
                ck_assert_uint_ge(n, 4);
            } else {
                failed++;
                ck_assert_msg(strncmp(f.why, "edit ", 5) == 0, "no why: %s", f.why);
            }
            err = td_edit_apply_lenient(&s, m.p[0], body, NULL, out, sizeof out, &n, &f);
            ck_assert_msg(err == TD_OK, "lenient: %s (%s)", td_err_name(err), f.why);
            edits += s.n;
            skipped += (unsigned long)__builtin_popcount(f.skipped);
            if (i % 100 == 99)
                size = 0; /* start over now and then: short scripts too */
        }
    }
    /* a garbage input starts from empty */
    memset(data, 0xff, 64);
    ck_assert_uint_le(td_edit_mutate(data, 64, sizeof data, 1, 1), sizeof data);
    /* max too small to hold any edit: the input stays */
    ck_assert_uint_eq(td_edit_mutate(data, 0, 0, 1, 1), 0);

    for (k = 1; k < TD_EDIT_OP_END; k++)
        ops_seen += (seen >> k) & 1u;
    ck_assert_uint_eq(ops_seen, TD_EDIT_OP_END - 1); /* every op was generated */
    ck_assert_uint_gt(applied, 500);
    ck_assert_uint_gt(failed, 10);
    /* most edits apply; drop and set mostly name extensions there are */
    ck_assert_msg(skipped * 3 < edits, "%lu of %lu edits skipped", skipped, edits);
    ck_assert_msg(ext_present * 2 > ext_named, "%lu of %lu ext edits name one present", ext_present,
                  ext_named);
}
END_TEST

START_TEST(test_apply_lenient)
{
    td_span m = trace_msg("client", "client_hello");
    td_span body = {m.p + 4, m.len - 4};
    td_edit_script s;
    td_edit_flags f;
    uint8_t out[OUT_MAX], want[OUT_MAX];
    size_t n;

    /* edits that do not apply are skipped; the others apply */
    s = parse_ok("ext drop cookie; set legacy_version 0x0301; set cipher_suite 0x1301; "
                 "truncate 500; length -1000");
    ck_assert_int_eq(td_edit_apply_lenient(&s, m.p[0], body, NULL, out, sizeof out, &n, &f), TD_OK);
    ck_assert_uint_eq(f.skipped, 1u << 0 | 1u << 2 | 1u << 3 | 1u << 4);
    ck_assert_msg(strstr(f.why, "edit 1 (ext drop): no cookie extension"), "%s", f.why);
    memcpy(want, m.p, m.len);
    want[4] = 0x03;
    want[5] = 0x01;
    put24(want + 1, 0); /* length -1000: clamped */
    assert_bytes(out, n, want, m.len, "lenient");

    /* a value with no wire form here (ECDHE exchange_keys<1..2^8-1>) */
    {
        static const uint8_t cke[] = {0x10, 0x00, 0x00, 0x02, 0x01, 0x04};
        td_span b = {cke + 4, 2};
        td_msg_ctx ctx = {TD_TLS1_2, TD_KX_ECDHE, 12, 0};

        /* strict: the struct is encoded when needed, here at the end */
        s = parse_ok("set exchange_keys 00*300");
        ck_assert_int_eq(td_edit_apply(&s, cke[0], b, &ctx, out, sizeof out, &n, &f),
                         TD_ERR_SYNTAX);
        ck_assert_msg(strstr(f.why, "has no wire form"), "%s", f.why);
        /* lenient: at once, and skipped */
        s = parse_ok("set exchange_keys 00*300; set exchange_keys 0505");
        ck_assert_int_eq(td_edit_apply_lenient(&s, cke[0], b, &ctx, out, sizeof out, &n, &f),
                         TD_OK);
        ck_assert_uint_eq(f.skipped, 1);
        assert_bytes(out, n, (const uint8_t *)"\x10\x00\x00\x03\x02\x05\x05", 7, "cke");
    }
}
END_TEST

/* ------------------------------------------------------------ schema */

START_TEST(test_schema)
{
    static const uint8_t types[] = {
        TD_HS_CLIENT_HELLO,        TD_HS_SERVER_HELLO,        TD_HS_ENCRYPTED_EXTENSIONS,
        TD_HS_CERTIFICATE,         TD_HS_CERTIFICATE_REQUEST, TD_HS_SERVER_KEY_EXCHANGE,
        TD_HS_CLIENT_KEY_EXCHANGE, TD_HS_CERTIFICATE_VERIFY,  TD_HS_FINISHED,
        TD_HS_NEW_SESSION_TICKET,  TD_HS_KEY_UPDATE,          TD_HS_MESSAGE_HASH,
    };
    static const uint16_t versions[] = {TD_TLS1_2, TD_TLS1_3};
    uint32_t used = 0;
    size_t t, v, i, total = 0;
    unsigned f;

    for (t = 0; t < sizeof types; t++)
        for (v = 0; v < 2; v++) {
            size_t n;
            const char *name;
            const td_edit_slot *s = td_edit_slots(types[t], versions[v], &n, &name);

            ck_assert_msg(s && n > 0, "no fields for %u", types[t]);
            ck_assert_str_eq(name, td_hs_name(types[t]));
            for (i = 0; i < n; i++) {
                const td_edit_field_info *fi = td_edit_field_about(s[i].field);
                size_t want = 0;

                ck_assert(fi != NULL);
                switch (fi->kind) {
                case TD_EK_U8:
                    want = 1;
                    break;
                case TD_EK_U16:
                    want = 2;
                    break;
                case TD_EK_U32:
                    want = 4;
                    break;
                case TD_EK_BOOL:
                    want = sizeof(int);
                    break;
                case TD_EK_RANDOM:
                    want = TD_RANDOM_LEN;
                    break;
                default:
                    want = sizeof(td_span);
                    break;
                }
                ck_assert_msg(s[i].size == want, "%s: size %zu, want %zu", fi->name, s[i].size,
                              want);
                ck_assert_uint_le(s[i].off + s[i].size, sizeof(td_msg));
                used |= 1u << s[i].field;
                total++;
            }
        }
    /* every field belongs to some message */
    for (f = 1; f < TD_EF_END; f++)
        ck_assert_msg((used >> f) & 1u, "field %s in no message", td_edit_field_about(f)->name);
    ck_assert(td_edit_field_about(0) == NULL);
    ck_assert(td_edit_field_about(TD_EF_END) == NULL);
    ck_assert(td_edit_op_name(0) == NULL);
    ck_assert_str_eq(td_edit_op_name(TD_EDIT_EXT_DROP), "ext drop");
    {
        size_t n = 1;
        ck_assert(td_edit_slots(TD_HS_SERVER_HELLO_DONE, TD_TLS1_3, &n, NULL) == NULL);
        ck_assert_uint_eq(n, 0);
    }
    ck_assert_uint_gt(total, 40);

    /* every extension name td_ext.h has can be written by name */
    {
        size_t nk, k;
        const uint16_t *known = td_edit_ext_types(&nk);
        unsigned ty;

        for (ty = 0; ty <= 0xffff; ty++) {
            const char *name = td_ext_name((uint16_t)ty);
            char text[96];

            if (!name)
                continue;
            for (k = 0; k < nk && known[k] != ty; k++)
                ;
            ck_assert_msg(k < nk, "extension %s (%u) missing from td_edit_ext_types", name, ty);
            snprintf(text, sizeof text, "ext drop %s", name);
            ck_assert_uint_eq(parse_ok(text).e[0].type, ty);
        }
    }
}
END_TEST

Suite *td_edit_suite(void);

Suite *td_edit_suite(void)
{
    Suite *s = suite_create("edit");
    TCase *tc;

    tc = tcase_create("text");
    tcase_add_test(tc, test_text_roundtrip);
    tcase_add_test(tc, test_text_values);
    tcase_add_test(tc, test_text_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("binary");
    tcase_add_test(tc, test_binary_roundtrip);
    tcase_add_test(tc, test_binary_decode_total);
    suite_add_tcase(s, tc);

    tc = tcase_create("apply");
    tcase_add_checked_fixture(tc, trace_setup, trace_teardown);
    tcase_add_test(tc, test_apply_identity);
    tcase_add_test(tc, test_apply_client_hello_fields);
    tcase_add_test(tc, test_apply_client_hello_ext);
    tcase_add_test(tc, test_apply_raw);
    tcase_add_test(tc, test_apply_server_hello);
    tcase_add_test(tc, test_apply_other_messages);
    tcase_add_test(tc, test_apply_errors);
    tcase_add_test(tc, test_apply_lenient);
    suite_add_tcase(s, tc);

    tc = tcase_create("mutate");
    tcase_add_checked_fixture(tc, trace_setup, trace_teardown);
    tcase_add_test(tc, test_mutate);
    suite_add_tcase(s, tc);

    tc = tcase_create("schema");
    tcase_add_test(tc, test_schema);
    suite_add_tcase(s, tc);
    return s;
}
