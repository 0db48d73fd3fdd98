/*
 * Every handshake message of the reference traces through the message
 * codecs (td_msg.h):
 *
 *   - vectors/tls13/ (.vec files): the RFC 8448 example handshakes (sections 3-7),
 *     the messages themselves and the plaintext of every handshake record
 *     (section 4's ClientHello appears with its binders only there);
 *   - vectors/tls12/ (.vec files): TLS 1.2 handshakes captured from openssl, an
 *     independent implementation (vectors/tls12/README.md).
 *
 * For each message:
 *   roundtrip   decode, encode, compare byte for byte (header and body);
 *   truncated   the body cut at every length decodes to decode_error
 *               (RFC 8446 6: "a message could not be decoded because ...
 *               the length of the message was incorrect"), except where
 *               the cut leaves a shorter message the RFC also allows
 *               (a TLS 1.2 Hello without extensions, RFC 5246 7.4.1.2);
 *   lengths     every length prefix the encoder wrote, one too large and
 *               one too small, is rejected (RFC 8446 3.4 / 6).
 * Forms the body does not say (TLS 1.2 or 1.3 Certificate, Finished
 * length, RSA or ECDHE ClientKeyExchange) follow the ServerHello of the
 * same trace, as a receiver would.
 *
 * And the two RFC 8446 4.2 block rules on real messages: a duplicated
 * extension, and an extension in a message that does not allow it.
 */
#include "td_vec.h" /* first: it selects POSIX for mkdtemp */

#include "td_msg.h"
#include "td_names.h"

#include <check.h>
#include <dirent.h>
#include <string.h>

#define MAX_MSG 8192u

typedef struct trace_ctx {
    td_msg_ctx ctx;
    unsigned messages;
} trace_ctx;

static void trace_follow(trace_ctx *t, const td_msg *m)
{
    const td_server_hello *sh = &m->u.server_hello;
    const char *suite;
    size_t hash;

    if (m->msg_type != TD_HS_SERVER_HELLO || sh->is_hello_retry_request)
        return;
    suite = td_name_of(TD_NAMES_SUITE, sh->cipher_suite);
    ck_assert_msg(suite != NULL, "unknown suite 0x%04x", sh->cipher_suite);
    hash = strstr(suite, "SHA384") ? 48 : 32;
    t->ctx.version = sh->version;
    t->ctx.hash_len = hash;
    /* RFC 5246 7.4.9: verify_data_length is 12 for every TLS 1.2 suite
     * here; RFC 8446 4.4.4: Hash.length in TLS 1.3. */
    t->ctx.verify_data_len = sh->version >= TD_TLS1_3 ? hash : 12;
    t->ctx.kx = strncmp(suite, "TLS_RSA_WITH_", 13) == 0 ? TD_KX_RSA
                                                         : TD_KX_ECDHE;
}

/* A truncated body that is itself a valid message: a TLS 1.2 Hello cut
 * right before its extension block (RFC 5246 7.4.1.2, 7.4.1.3). */
static int legal_cut(uint8_t type, td_span body, size_t cut)
{
    td_msg m;
    td_msg_ctx c = {TD_TLS1_2, TD_KX_ECDHE, 0, 0};
    size_t ext_start;

    if (type != TD_HS_CLIENT_HELLO && type != TD_HS_SERVER_HELLO)
        return 0;
    if (td_msg_decode(type, body, &c, &m) != TD_OK)
        return 0;
    if (type == TD_HS_CLIENT_HELLO) {
        if (!m.u.client_hello.has_extensions)
            return 0;
        ext_start = (size_t)(m.u.client_hello.extensions.p - body.p) - 2;
    } else {
        if (!m.u.server_hello.has_extensions)
            return 0;
        ext_start = (size_t)(m.u.server_hello.extensions.p - body.p) - 2;
    }
    return cut == ext_start;
}

static void check_message(trace_ctx *t, const char *where, td_span raw)
{
    td_rd r;
    td_handshake hs;
    td_msg m, m2;
    uint8_t out[MAX_MSG], mut[MAX_MSG];
    td_wr w;
    td_wr_log log;
    td_span enc;
    size_t cut, i;
    const char *name;

    td_rd_init_span(&r, raw);
    ck_assert_int_eq(td_handshake_decode(&r, &hs), TD_OK);
    ck_assert_int_eq(td_rd_done(&r), TD_OK);
    name = td_hs_name(hs.msg_type);
    ck_assert_msg(name != NULL, "%s: unknown type %u", where, hs.msg_type);
    ck_assert_uint_le(hs.body.len, MAX_MSG);

    /* roundtrip */
    {
        td_err e = td_msg_decode(hs.msg_type, hs.body, &t->ctx, &m);

        ck_assert_msg(e == TD_OK, "%s: %s: %s", where, name, td_err_name(e));
    }
    td_wr_init(&w, out, sizeof out);
    td_wr_set_log(&w, &log);
    ck_assert_int_eq(td_msg_encode(&w, &m), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &enc), TD_OK);
    ck_assert_msg(enc.len == hs.body.len &&
                      (enc.len == 0 || memcmp(enc.p, hs.body.p, enc.len) == 0),
                  "%s: %s: re-encoding differs (%zu vs %zu bytes)", where,
                  name, enc.len, hs.body.len);
    {
        td_handshake h2 = {hs.msg_type, enc, {NULL, 0}};
        uint8_t hdr[MAX_MSG + 4];
        td_span henc;

        td_wr_init(&w, hdr, sizeof hdr);
        ck_assert_int_eq(td_handshake_encode(&w, &h2), TD_OK);
        ck_assert_int_eq(td_wr_finish(&w, &henc), TD_OK);
        ck_assert(henc.len == raw.len && memcmp(henc.p, raw.p, raw.len) == 0);
    }

    /* truncated: every shorter body */
    for (cut = 0; cut < hs.body.len; cut++) {
        td_span s = {hs.body.p, cut};
        td_err e = td_msg_decode(hs.msg_type, s, &t->ctx, &m2);

        /* Cut before the extensions, a Hello is a TLS 1.2 one without
         * extensions; a HelloRetryRequest (known by its random) without
         * supported_versions is missing_extension instead (RFC 8446
         * 4.1.4, 4.2.1). */
        if (legal_cut(hs.msg_type, hs.body, cut) &&
            (e == TD_OK || e == TD_ALERT_MISSING_EXTENSION))
            continue;
        ck_assert_msg(e == TD_ALERT_DECODE_ERROR,
                      "%s: %s cut to %zu of %zu bytes: %s", where, name, cut,
                      hs.body.len, td_err_name(e));
    }

    /* lengths: each prefix the encoder back-filled, +1 and -1 */
    ck_assert_uint_le(log.n, TD_WR_LOG_MAX);
    for (i = 0; i < log.n; i++) {
        const td_wr_mark *mk = &log.marks[i];
        uint32_t v = 0, lim = (uint32_t)1 << (8 * mk->width);
        int d;
        unsigned k;

        for (k = 0; k < mk->width; k++)
            v = v << 8 | out[mk->start + k];
        for (d = -1; d <= 1; d += 2) {
            uint32_t nv = v + (uint32_t)d;
            td_span s = {mut, enc.len};
            td_err e;

            if ((d < 0 && v == 0) || (d > 0 && nv >= lim))
                continue;
            memcpy(mut, out, enc.len);
            for (k = 0; k < mk->width; k++)
                mut[mk->start + k] =
                    (uint8_t)(nv >> (8 * (mk->width - 1 - k)));
            e = td_msg_decode(hs.msg_type, s, &t->ctx, &m2);
            ck_assert_msg(e != TD_OK,
                          "%s: %s: length at offset %zu (%u bytes) %u -> %u "
                          "still decodes",
                          where, name, mk->start, mk->width, v, nv);
        }
    }
    t->messages++;
    trace_follow(t, &m);
}

/* Every .vec file of a vectors/ subfolder, sorted by name. */
static size_t list_vec(const char *sub, char names[][64], size_t max)
{
    char dir[1024];
    DIR *d;
    struct dirent *de;
    size_t n = 0, i, j;

    snprintf(dir, sizeof dir, "%s/%s", td_vectors_dir(), sub);
    d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    while ((de = readdir(d)) != NULL && n < max) {
        size_t l = strlen(de->d_name);

        if (l > 4 && l < 60 && strcmp(de->d_name + l - 4, ".vec") == 0)
            snprintf(names[n++], 64, "%s/%s", sub, de->d_name);
    }
    closedir(d);
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char tmp[64];

            memcpy(tmp, names[j], 64);
            memcpy(names[j], names[j - 1], 64);
            memcpy(names[j - 1], tmp, 64);
        }
    return n;
}

/* Walk one trace file in order; returns the messages checked. */
static unsigned check_file(const char *rel, uint16_t version)
{
    td_vec v;
    trace_ctx t;
    size_t i;
    char where[160];

    ck_assert_msg(td_vec_load(rel, &v) == TD_OK, "cannot load %s", rel);
    memset(&t, 0, sizeof t);
    t.ctx.version = version;
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        td_span s = {e->data, e->len};

        snprintf(where, sizeof where, "%s:%u", rel, e->line);
        if (strcmp(e->kind, "handshake") == 0 &&
            strcmp(e->field, "message") == 0) {
            check_message(&t, where, s);
        } else if (strcmp(e->kind, "record") == 0 &&
                   strcmp(e->name, "handshake") == 0 &&
                   strcmp(e->field, "payload") == 0) {
            /* a record's plaintext: whole messages back to back */
            td_rd r;
            td_handshake hs;

            td_rd_init_span(&r, s);
            while (td_rd_left(&r)) {
                ck_assert_int_eq(td_handshake_decode(&r, &hs), TD_OK);
                /* the messages sent after ServerHello are already in the
                 * trace as `message` entries; checking them again under
                 * the same context is harmless and covers any the trace
                 * shows only inside a record */
                check_message(&t, where, hs.raw);
            }
        }
    }
    td_vec_free(&v);
    return t.messages;
}

START_TEST(test_tls13_traces)
{
    char names[16][64];
    size_t n = list_vec("tls13", names, 16), i, files = 0;
    unsigned total = 0;

    for (i = 0; i < n; i++) {
        unsigned got;

        if (strstr(names[i], "s2-keys"))
            continue; /* keys only */
        got = check_file(names[i], TD_TLS1_3);
        ck_assert_msg(got > 0, "%s: no handshake messages", names[i]);
        total += got;
        files++;
    }
    /* RFC 8448 sections 3 to 7 */
    ck_assert_uint_eq(files, 5);
    ck_assert_uint_ge(total, 40);
}
END_TEST

START_TEST(test_tls12_traces)
{
    char names[16][64];
    size_t n = list_vec("tls12", names, 16), i;

    ck_assert_uint_ge(n, 5);
    for (i = 0; i < n; i++)
        ck_assert_msg(check_file(names[i], TD_TLS1_2) >= 5,
                      "%s: too few handshake messages", names[i]);
}
END_TEST

/* The s3 message named `name` of the given side, header stripped. */
static td_span s3_body(td_vec *v, const char *side, const char *name)
{
    const td_vec_entry *e;
    td_rd r;
    td_handshake hs;

    ck_assert_int_eq(td_vec_load("tls13/s3-1rtt.vec", v), TD_OK);
    e = td_vec_find(v, side, "handshake", name, "message", 0);
    ck_assert_ptr_nonnull(e);
    td_rd_init(&r, e->data, e->len);
    ck_assert_int_eq(td_handshake_decode(&r, &hs), TD_OK);
    return hs.body;
}

/* RFC 8446 4.2: "There MUST NOT be more than one extension of the same
 * type in a given extension block." The s3 ClientHello with its
 * supported_versions extension written twice. */
START_TEST(test_rfc8446_4_2_duplicate_extension)
{
    td_vec v;
    td_span body = s3_body(&v, "client", "client_hello"), sv, enc;
    td_client_hello ch;
    uint8_t exts[1024], out[2048];
    td_wr w;
    td_span block;

    ck_assert_int_eq(td_client_hello_decode(body, &ch), TD_OK);
    ck_assert(td_ext_find(ch.extensions, TD_EXT_SUPPORTED_VERSIONS, &sv));
    td_wr_init(&w, exts, sizeof exts);
    ck_assert_int_eq(td_wr_span(&w, ch.extensions), TD_OK);
    ck_assert_int_eq(td_ext_write(&w, TD_EXT_SUPPORTED_VERSIONS, sv), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &block), TD_OK);
    ch.extensions = block;
    td_wr_init(&w, out, sizeof out);
    ck_assert_int_eq(td_client_hello_encode(&w, &ch), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &enc), TD_OK);
    ck_assert_int_eq(td_client_hello_decode(enc, &ch),
                     TD_ALERT_ILLEGAL_PARAMETER);
    ck_assert_int_eq(td_ext_block_check(block, TD_EXT_CTX_CLIENT_HELLO),
                     TD_ALERT_ILLEGAL_PARAMETER);
    td_vec_free(&v);
}
END_TEST

/* RFC 8446 4.2: "If an implementation receives an extension which it
 * recognizes and which is not specified for the message in which it
 * appears, it MUST abort the handshake with an "illegal_parameter"
 * alert." The table there allows key_share in CH, SH and HRR only; here
 * it is added to the s3 EncryptedExtensions, with the server's key share
 * from the s3 ServerHello. */
START_TEST(test_rfc8446_4_2_extension_not_allowed)
{
    td_vec v, v2;
    td_span ee_body = s3_body(&v, "server", "encrypted_extensions");
    td_span sh_body = s3_body(&v2, "server", "server_hello"), ks, enc;
    td_encrypted_extensions ee;
    td_server_hello sh;
    uint8_t exts[1024], out[2048];
    td_wr w;
    td_span block;

    ck_assert_int_eq(td_encrypted_extensions_decode(ee_body, &ee), TD_OK);
    ck_assert_int_eq(td_server_hello_decode(sh_body, &sh), TD_OK);
    ck_assert(td_ext_find(sh.extensions, TD_EXT_KEY_SHARE, &ks));
    td_wr_init(&w, exts, sizeof exts);
    ck_assert_int_eq(td_wr_span(&w, ee.extensions), TD_OK);
    ck_assert_int_eq(td_ext_write(&w, TD_EXT_KEY_SHARE, ks), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &block), TD_OK);
    ee.extensions = block;
    td_wr_init(&w, out, sizeof out);
    ck_assert_int_eq(td_encrypted_extensions_encode(&w, &ee), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &enc), TD_OK);
    ck_assert_int_eq(td_encrypted_extensions_decode(enc, &ee),
                     TD_ALERT_ILLEGAL_PARAMETER);
    /* the key_share alone is fine in the ServerHello it came from */
    {
        uint8_t one[256];
        td_span only;

        td_wr_init(&w, one, sizeof one);
        ck_assert_int_eq(td_ext_write(&w, TD_EXT_KEY_SHARE, ks), TD_OK);
        ck_assert_int_eq(td_wr_finish(&w, &only), TD_OK);
        ck_assert_int_eq(td_ext_block_check(only, TD_EXT_CTX_SERVER_HELLO13),
                         TD_OK);
    }
    td_vec_free(&v);
    td_vec_free(&v2);
}
END_TEST

/* RFC 8446 4.2.11: pre_shared_key "MUST be the last extension in the
 * ClientHello"; servers "fail the handshake with an illegal_parameter
 * alert". The full section 4 ClientHello (from its record) with a
 * padding extension appended after pre_shared_key. */
START_TEST(test_rfc8446_4_2_11_psk_not_last)
{
    td_vec v;
    const td_vec_entry *e;
    td_rd r;
    td_handshake hs;
    td_client_hello ch;
    td_span psk, block;
    uint8_t exts[1024];
    static const uint8_t zero[1] = {0};
    td_span pad = {zero, 1};
    td_wr w;

    ck_assert_int_eq(td_vec_load("tls13/s4-0rtt.vec", &v), TD_OK);
    e = td_vec_find(&v, "client", "record", "handshake", "payload", 0);
    ck_assert_ptr_nonnull(e);
    td_rd_init(&r, e->data, e->len);
    ck_assert_int_eq(td_handshake_decode(&r, &hs), TD_OK);
    ck_assert_int_eq(hs.msg_type, TD_HS_CLIENT_HELLO);
    ck_assert_int_eq(td_client_hello_decode(hs.body, &ch), TD_OK);
    ck_assert(td_ext_find(ch.extensions, TD_EXT_PRE_SHARED_KEY, &psk));
    td_wr_init(&w, exts, sizeof exts);
    ck_assert_int_eq(td_wr_span(&w, ch.extensions), TD_OK);
    ck_assert_int_eq(td_ext_write(&w, TD_EXT_PADDING, pad), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &block), TD_OK);
    ck_assert_int_eq(td_ext_block_check(block, TD_EXT_CTX_CLIENT_HELLO),
                     TD_ALERT_ILLEGAL_PARAMETER);
    td_vec_free(&v);
}
END_TEST

Suite *td_codec_traces_suite(void);

Suite *td_codec_traces_suite(void)
{
    Suite *s = suite_create("codec_traces");
    TCase *tc;

    tc = tcase_create("traces");
    tcase_add_test(tc, test_tls13_traces);
    tcase_add_test(tc, test_tls12_traces);
    suite_add_tcase(s, tc);

    tc = tcase_create("rfc_negative");
    tcase_add_test(tc, test_rfc8446_4_2_duplicate_extension);
    tcase_add_test(tc, test_rfc8446_4_2_extension_not_allowed);
    tcase_add_test(tc, test_rfc8446_4_2_11_psk_not_last);
    suite_add_tcase(s, tc);
    return s;
}
