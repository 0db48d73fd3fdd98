/*
 * The reducer (td_reduce.h) on findings whose minimal form is known by
 * hand:
 *   - script: a ClientHello script of six edits where only `ext drop
 *     signature_algorithms` matters (RFC 8446 4.2.3, 9.2: a server
 *     authenticating with a certificate MUST abort with missing_extension
 *     when the ClientHello has none; wolfSSL 5.7.2 goes on) and five
 *     GREASE extensions (RFC 8701 2, 3: reserved values a server ignores
 *     as it ignores any unrecognized extension, RFC 8446 4.1.2) keep the
 *     handshake as it was: reduced to exactly that edit;
 *   - simplify: a value cut to its first byte, then zeroed;
 *   - raw: the canonical ClientHello with the first byte of the
 *     signature_algorithms extension type changed (0x000d -> 0xff0d, an
 *     unassigned type, RFC 8446 4.2) becomes `bytes OFFSET ff`;
 *   - raw to script, pure: hand-built messages and the script that says
 *     them; the budget; an input that shows no difference; what counts
 *     as the same difference.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_reduce.h"

Suite *td_reduce_suite(void);

static td_divergences known;

static void load_divergences(void)
{
    char path[1024], why[512];

    ck_assert_int_eq(td_vectors_path("divergences", path, sizeof path), TD_OK);
    ck_assert_msg(td_divergences_load(path, &known, why, sizeof why) == TD_OK, "%s", why);
}

/* variant, mode 0, the script's binary form */
static size_t script_input(const char *text, uint8_t variant, uint8_t *buf, size_t cap)
{
    td_edit_script s;
    td_wr wr;
    char why[256];

    ck_assert_msg(td_edit_parse(text, &s, why, sizeof why) == TD_OK, "%s: %s", text, why);
    buf[0] = variant;
    buf[1] = 0;
    td_wr_init(&wr, buf + 2, cap - 2);
    ck_assert_int_eq(td_edit_encode(&s, &wr), TD_OK);
    return 2 + td_wr_len(&wr);
}

static td_reduce_trial run_script(const td_target *t, const char *text)
{
    static uint8_t buf[TD_REDUCE_SCRIPT_MAX];
    td_reduce_trial tr;
    char why[256];
    size_t n = script_input(text, 0, buf, sizeof buf);

    ck_assert_msg(td_reduce_trial_run(t, (td_span){buf, n}, &known, &tr, why, sizeof why) == TD_OK,
                  "%s", why);
    return tr;
}

/* Reduce `text` (variant 0) and check the reduced script prints as
 * `expect`, shows the original's difference and replays as it. */
static void reduce_to(const td_target *t, const char *text, const char *expect)
{
    static uint8_t in[TD_REDUCE_SCRIPT_MAX], out[2 * TD_REDUCE_SCRIPT_MAX];
    static td_reduce_result res;
    td_reduce_trial again;
    td_edit_script back;
    char why[256], printed[1024];
    size_t n = script_input(text, 0, in, sizeof in);

    ck_assert_msg(td_reduce_run(t, (td_span){in, n}, &known, NULL, out, sizeof out, &res, why,
                                sizeof why) == TD_OK,
                  "%s", why);
    ck_assert(td_reduce_diverges(&res.original));
    ck_assert_int_eq(res.form, TD_REDUCE_SCRIPT);
    ck_assert(!res.exhausted);
    ck_assert_uint_le(res.trials, TD_REDUCE_MAX_TRIALS);
    (void)td_edit_print(&res.script, printed, sizeof printed);
    ck_assert_msg(strcmp(printed, expect) == 0, "'%s' reduced to '%s', expected '%s'", text,
                  printed, expect);
    ck_assert(td_reduce_same(&res.original, &res.reduced));
    /* out is the reduced input: variant 0, mode 0, the script */
    ck_assert_uint_ge(res.out_len, 2);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_uint_eq(out[1], 0);
    ck_assert_int_eq(td_edit_decode((td_span){out + 2, res.out_len - 2}, &back), TD_OK);
    ck_assert(td_edit_script_eq(&back, &res.script));
    ck_assert_int_eq(
        td_reduce_trial_run(t, (td_span){out, res.out_len}, &known, &again, why, sizeof why),
        TD_OK);
    ck_assert(td_reduce_same(&res.original, &again));
}

#define GREASE5_WITH(mid)                                                                          \
    "ext insert 0x0a0a -; ext insert 0x1a1a -; " mid "; ext insert 0x2a2a -; "                     \
    "ext insert 0x3a3a -; ext insert 0x4a4a -"

START_TEST(test_script_six_edits)
{
    const td_target *t = td_target_find("client_hello");
    td_reduce_trial six, grease, drop;

    ck_assert_ptr_nonnull(t);
    load_divergences();
    six = run_script(t, GREASE5_WITH("ext drop signature_algorithms"));
    grease = run_script(t, "ext insert 0x0a0a -; ext insert 0x1a1a -; ext insert 0x2a2a -; "
                           "ext insert 0x3a3a -; ext insert 0x4a4a -");
    drop = run_script(t, "ext drop signature_algorithms");
    /* the premises: the five GREASE edits alone do not show it (the
     * handshake goes on as the canonical one), the drop alone does */
    ck_assert(td_reduce_diverges(&six));
    ck_assert_str_eq(six.field, "verdict");
    ck_assert_str_eq(six.ref, "alert:missing_extension");
    ck_assert(!td_reduce_same(&six, &grease));
    ck_assert_str_eq(grease.ref, "continue");
    ck_assert(td_reduce_same(&six, &drop));
    reduce_to(t, GREASE5_WITH("ext drop signature_algorithms"), "ext drop signature_algorithms");
}
END_TEST

/* The triage finding of corpus/triage/client_hello: without
 * supported_versions the server negotiates TLS 1.2 at most and a TLS
 * 1.3-only wolfSSL refuses with protocol_version (RFC 8446 4.2.1, D.2);
 * the reference first refuses a post_handshake_auth whose
 * extension_data is not empty (RFC 8446 4.2.6: "The extension_data
 * field of the post_handshake_auth extension is zero length") with
 * decode_error. The value matters only by being non-empty: ff*58 is cut
 * to its first byte ff (the empty value is tried first and is valid),
 * then zeroed. */
START_TEST(test_script_simplify)
{
    const td_target *t = td_target_find("client_hello");
    td_reduce_trial orig, one, empty;

    load_divergences();
    orig = run_script(t, "ext drop supported_versions; ext insert post_handshake_auth ff*58");
    one = run_script(t, "ext drop supported_versions");
    empty = run_script(t, "ext drop supported_versions; ext insert post_handshake_auth -");
    /* the premises: both edits are needed, and the empty value is not it */
    ck_assert_str_eq(orig.ref, "alert:decode_error");
    ck_assert_str_eq(orig.wolf, "alert:protocol_version");
    ck_assert(!td_reduce_same(&orig, &one));
    ck_assert(!td_reduce_same(&orig, &empty));
    reduce_to(t, "ext drop supported_versions; ext insert post_handshake_auth ff*58",
              "ext drop supported_versions; ext insert post_handshake_auth 00");
}
END_TEST

/* The offset of extension type `type` in a ClientHello body, walked by
 * hand (RFC 8446 4.1.2): legacy_version 2, random 32, legacy_session_id
 * <0..32>, cipher_suites <2..2^16-2>, legacy_compression_methods
 * <1..2^8-1>, extensions <8..2^16-1> of {type u16, extension_data
 * <0..2^16-1>}. */
static size_t ext_type_offset(const uint8_t *b, size_t len, uint16_t type)
{
    size_t o = 2 + 32, end;

    o += 1 + b[o];
    o += 2 + (((size_t)b[o] << 8) | b[o + 1]);
    o += 1 + b[o];
    ck_assert_uint_le(o + 2, len);
    end = o + 2 + (((size_t)b[o] << 8) | b[o + 1]);
    ck_assert_uint_eq(end, len);
    for (o += 2; o + 4 <= end; o += 4 + (((size_t)b[o + 2] << 8) | b[o + 3]))
        if ((((size_t)b[o] << 8) | b[o + 1]) == type)
            return o;
    ck_abort_msg("no extension %u", type);
    return 0;
}

START_TEST(test_raw_one_byte)
{
    const td_target *t = td_target_find("client_hello");
    static uint8_t canon[4096], in[4096 + 2], out[4096 + 2 + TD_REDUCE_SCRIPT_MAX];
    static td_reduce_result res;
    char why[256], printed[256], expect[64];
    size_t n, off;

    load_divergences();
    ck_assert_msg(td_reduce_canonical(t, 0, canon, sizeof canon, &n, why, sizeof why) == TD_OK,
                  "%s", why);
    /* RFC 8446 4: client_hello(1), uint24 length of the body */
    ck_assert_uint_gt(n, 4);
    ck_assert_uint_eq(canon[0], 1);
    ck_assert_uint_eq(((size_t)canon[1] << 16) | ((size_t)canon[2] << 8) | canon[3], n - 4);
    off = ext_type_offset(canon + 4, n - 4, 13); /* signature_algorithms(13) */
    in[0] = 0;
    in[1] = 1; /* raw */
    memcpy(in + 2, canon, n);
    in[2 + 4 + off] = 0xff;
    ck_assert_msg(td_reduce_run(t, (td_span){in, n + 2}, &known, NULL, out, sizeof out, &res, why,
                                sizeof why) == TD_OK,
                  "%s", why);
    ck_assert_str_eq(res.original.ref, "alert:missing_extension");
    ck_assert_int_eq(res.form, TD_REDUCE_SCRIPT);
    ck_assert(res.from_raw);
    (void)td_edit_print(&res.script, printed, sizeof printed);
    snprintf(expect, sizeof expect, "bytes %zu ff", off);
    ck_assert_msg(strcmp(printed, expect) == 0, "reduced to '%s', expected '%s'", printed, expect);
    ck_assert(td_reduce_same(&res.original, &res.reduced));
}
END_TEST

static void raw_script_is(const uint8_t *raw, size_t rn, const uint8_t *canon, size_t cn,
                          int replace_form, const char *expect)
{
    td_edit_script s;
    char printed[512];

    ck_assert_int_eq(
        td_reduce_raw_script((td_span){raw, rn}, (td_span){canon, cn}, replace_form, &s), TD_OK);
    (void)td_edit_print(&s, printed, sizeof printed);
    ck_assert_msg(strcmp(printed, expect) == 0, "'%s', expected '%s'", printed, expect);
}

/* Hand-built messages: header (type, uint24 length) and body. */
START_TEST(test_raw_script_forms)
{
    static const uint8_t canon[] = {1, 0, 0, 8, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7};
    /* the same: no edit */
    raw_script_is(canon, sizeof canon, canon, sizeof canon, 0, "");
    {
        /* body bytes 2 and 7 changed, 4 equal bytes between them: at
         * most td_reduce_raw.c's merge gap (4), so one run 2..7 */
        static const uint8_t raw[] = {1, 0, 0, 8, 0xa0, 0xa1, 0x00, 0xa3, 0xa4, 0xa5, 0xa6, 0x07};
        raw_script_is(raw, sizeof raw, canon, sizeof canon, 0, "bytes 2 00a3a4a5a607");
    }
    {
        /* type 2, body cut to 3 bytes, byte 1 changed, header says 5:
         * length delta 5 - 3 */
        static const uint8_t raw[] = {2, 0, 0, 5, 0xa0, 0xee, 0xa2};
        raw_script_is(raw, sizeof raw, canon, sizeof canon, 0,
                      "type server_hello; truncate 3; bytes 1 ee; length +2");
        raw_script_is(raw, sizeof raw, canon, sizeof canon, 1,
                      "type server_hello; replace a0eea2; length +2");
    }
    {
        /* a longer body: the tail is written past the end */
        static const uint8_t raw[] = {1,    0,    0,    10,   0xa0, 0xa1, 0xa2,
                                      0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0x01, 0x02};
        raw_script_is(raw, sizeof raw, canon, sizeof canon, 0, "bytes 8 0102");
    }
    {
        static const uint8_t raw[] = {1, 0, 0};
        td_edit_script s;

        ck_assert_int_eq(
            td_reduce_raw_script((td_span){raw, sizeof raw}, (td_span){canon, sizeof canon}, 0, &s),
            TD_ERR_SYNTAX);
    }
}
END_TEST

START_TEST(test_budget)
{
    const td_target *t = td_target_find("client_hello");
    static uint8_t in[TD_REDUCE_SCRIPT_MAX], out[2 * TD_REDUCE_SCRIPT_MAX];
    static td_reduce_result res;
    td_reduce_opts o = {2};
    char why[256];
    size_t n = script_input(GREASE5_WITH("ext drop signature_algorithms"), 0, in, sizeof in);

    load_divergences();
    ck_assert_int_eq(
        td_reduce_run(t, (td_span){in, n}, &known, &o, out, sizeof out, &res, why, sizeof why),
        TD_OK);
    /* the original and the empty script (which does not show it) */
    ck_assert_uint_eq(res.trials, 2);
    ck_assert(res.exhausted);
    ck_assert_uint_eq(res.script.n, 6);
}
END_TEST

/* legacy_version 0x0300 with supported_versions present: both servers
 * negotiate from supported_versions (RFC 8446 4.2.1) and refuse alike */
START_TEST(test_no_difference)
{
    const td_target *t = td_target_find("client_hello");
    static uint8_t in[TD_REDUCE_SCRIPT_MAX], out[2 * TD_REDUCE_SCRIPT_MAX];
    static td_reduce_result res;
    char why[256];
    size_t n = script_input("set legacy_version 0x0300", 0, in, sizeof in);

    load_divergences();
    ck_assert_int_eq(
        td_reduce_run(t, (td_span){in, n}, &known, NULL, out, sizeof out, &res, why, sizeof why),
        TD_OK);
    ck_assert(!td_reduce_diverges(&res.original));
    ck_assert_uint_eq(res.trials, 1);
    ck_assert_uint_eq(res.out_len, n);
    ck_assert_mem_eq(out, in, n);
}
END_TEST

START_TEST(test_same_rule)
{
    td_reduce_trial a, b;

    memset(&a, 0, sizeof a);
    a.ran = 1;
    a.judgement = TD_JUDGE_NEW;
    snprintf(a.field, sizeof a.field, "verdict");
    snprintf(a.ref, sizeof a.ref, "alert:decode_error");
    snprintf(a.wolf, sizeof a.wolf, "closed");
    b = a;
    b.judgement = TD_JUDGE_KNOWN; /* known or new: the difference is what counts */
    ck_assert(td_reduce_same(&a, &b));
    snprintf(b.wolf, sizeof b.wolf, "alert:decode_error");
    ck_assert(!td_reduce_same(&a, &b));
    b = a;
    snprintf(b.field, sizeof b.field, "server_hello.cipher_suite");
    ck_assert(!td_reduce_same(&a, &b));
    b = a;
    b.judgement = TD_JUDGE_SAME;
    ck_assert(!td_reduce_same(&a, &b));
    /* a crash: in the same subject */
    memset(&a, 0, sizeof a);
    a.crashed = 1;
    snprintf(a.who, sizeof a.who, "wolfSSL");
    b = a;
    ck_assert(td_reduce_diverges(&a));
    ck_assert(td_reduce_same(&a, &b));
    snprintf(b.who, sizeof b.who, "reference");
    ck_assert(!td_reduce_same(&a, &b));
}
END_TEST

Suite *td_reduce_suite(void)
{
    Suite *s = suite_create("reduce");
    TCase *tc = tcase_create("reduce");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_script_six_edits);
    tcase_add_test(tc, test_script_simplify);
    tcase_add_test(tc, test_raw_one_byte);
    tcase_add_test(tc, test_raw_script_forms);
    tcase_add_test(tc, test_budget);
    tcase_add_test(tc, test_no_difference);
    tcase_add_test(tc, test_same_rule);
    suite_add_tcase(s, tc);
    return s;
}
