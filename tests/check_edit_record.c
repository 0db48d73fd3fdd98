/*
 * edit_record: the record edits of the edit language (td_edit.h,
 * `record CT PAYLOAD` and `plain CT PAYLOAD`).
 *
 *   text     what a script becomes (content type, payload length and its
 *            stored form) and its canonical print;
 *   check    every edit has one representation: a stored form that is not
 *            the canonical one is refused (td_edit_check, decode);
 *   payload  td_edit_payload gives the bytes back;
 *   binary   the encoding written out by hand from td_edit.h's "Binary
 *            form";
 *   apply    the edits are reported in td_edit_flags and change no byte.
 * The round trips (text, binary, decode on corrupted bytes) and the
 * mutator's coverage of every op are in check_edit.c, which lists record
 * edits among its canonical scripts.
 */
#include "td_edit.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

Suite *td_edit_record_suite(void);

static td_edit_script parse_ok(const char *text)
{
    td_edit_script s;
    char why[256] = "";
    td_err err = td_edit_parse(text, &s, why, sizeof why);

    ck_assert_msg(err == TD_OK, "parse '%s': %s (%s)", text, td_err_name(err), why);
    return s;
}

static void printed(const char *text, const char *want)
{
    td_edit_script s = parse_ok(text), back;
    char buf[512];

    td_edit_print(&s, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, want) == 0, "print(parse('%s')) = '%s', want '%s'", text, buf, want);
    back = parse_ok(buf);
    ck_assert(td_edit_script_eq(&s, &back));
}

START_TEST(test_record_text)
{
    td_edit_script s;

    s = parse_ok("record change_cipher_spec 01");
    ck_assert_uint_eq(s.e[0].op, TD_EDIT_RECORD);
    ck_assert_uint_eq(s.e[0].type, 20); /* RFC 8446 5.1 ContentType */
    ck_assert_uint_eq(s.e[0].len, 1);
    ck_assert_int_eq(s.e[0].num, 1);
    ck_assert_uint_eq(s.e[0].bytes[0], 1);

    s = parse_ok("plain 0x63 00; record handshake -");
    ck_assert_uint_eq(s.e[0].op, TD_EDIT_PLAIN);
    ck_assert_uint_eq(s.e[0].type, 0x63);
    ck_assert_uint_eq(s.e[1].type, 22);
    ck_assert_uint_eq(s.e[1].len, 0);
    ck_assert_int_eq(s.e[1].num, 0);

    /* 2^14 + 1 zeros: one byte stored, the length in num */
    s = parse_ok("record application_data 00*16385");
    ck_assert_uint_eq(s.e[0].type, 23);
    ck_assert_uint_eq(s.e[0].len, 1);
    ck_assert_int_eq(s.e[0].num, 16385);
    /* a prefix, then the last run */
    s = parse_ok("record 23 1603+00*20000");
    ck_assert_uint_eq(s.e[0].len, 3);
    ck_assert_int_eq(s.e[0].num, 20002);
    ck_assert(memcmp(s.e[0].bytes, "\x16\x03\x00", 3) == 0);
    /* up to 512 bytes: stored whole, even as one run */
    s = parse_ok("record 23 00*512");
    ck_assert_uint_eq(s.e[0].len, 512);
    ck_assert_int_eq(s.e[0].num, 512);
    s = parse_ok("record 23 01*511+00*2");
    ck_assert_uint_eq(s.e[0].len, 512); /* 511 ones and the first zero */
    ck_assert_int_eq(s.e[0].num, 513);
    ck_assert_uint_eq(s.e[0].bytes[510], 1);
    ck_assert_uint_eq(s.e[0].bytes[511], 0);
    s = parse_ok("record alert 00*32768"); /* TD_EDIT_RECORD_MAX */
    ck_assert_int_eq(s.e[0].num, TD_EDIT_RECORD_MAX);

    printed("record 21 0228", "record alert 0228");
    printed("plain 99 00", "plain 0x63 00");
    printed("record 0 -", "record 0x00 -");
    printed("record 24 00*600", "record heartbeat 00*600");
    printed("record 23 00*512", "record application_data 00*512");
    printed("record 22 01*511+00*2", "record handshake 01*511+0000");
    printed("record 22 0000+00*600", "record handshake 00*602");
    printed("record 22 01020304050607+ff*1000", "record handshake 01020304050607+ff*1000");
    printed("plain 20 01; record 20 01",
            "plain change_cipher_spec 01; record change_cipher_spec 01");
}
END_TEST

/* One representation per payload (td_edit.h): what td_edit_check
 * refuses, built by hand. */
START_TEST(test_record_check)
{
    td_edit_script s = parse_ok("record handshake 00*600");
    td_edit e;
    char why[160];

    ck_assert_int_eq(td_edit_check(&s.e[0], why, sizeof why), TD_OK);
    e = s.e[0];
    e.len = 2; /* 00 00 then zeros: the run starts one byte early */
    ck_assert_int_eq(td_edit_check(&e, why, sizeof why), TD_ERR_SYNTAX);
    ck_assert_msg(strstr(why, "record: a payload of 600 bytes") != NULL, "%s", why);
    e = s.e[0];
    e.num = 512; /* short enough to be stored whole */
    ck_assert_int_eq(td_edit_check(&e, NULL, 0), TD_ERR_SYNTAX);
    e = s.e[0];
    e.len = 0; /* nothing to repeat */
    ck_assert_int_eq(td_edit_check(&e, NULL, 0), TD_ERR_SYNTAX);
    e = s.e[0];
    e.num = TD_EDIT_RECORD_MAX + 1;
    ck_assert_int_eq(td_edit_check(&e, NULL, 0), TD_ERR_SYNTAX);
    e = s.e[0];
    e.type = 256; /* ContentType is a uint8 */
    ck_assert_int_eq(td_edit_check(&e, NULL, 0), TD_ERR_SYNTAX);

    s = parse_ok("plain alert 0228");
    e = s.e[0];
    e.num = 1; /* shorter than what is stored */
    ck_assert_int_eq(td_edit_check(&e, NULL, 0), TD_ERR_SYNTAX);
    e = s.e[0];
    e.field = 1; /* a member the op does not use */
    ck_assert_int_eq(td_edit_check(&e, NULL, 0), TD_ERR_SYNTAX);
}
END_TEST

START_TEST(test_record_payload)
{
    static uint8_t buf[TD_EDIT_RECORD_MAX];
    td_edit_script s = parse_ok("record 23 1603+ab*700; record 21 0228; record 22 -");
    size_t i;

    ck_assert_uint_eq(td_edit_payload(&s.e[0], buf, sizeof buf), 702);
    ck_assert_uint_eq(buf[0], 0x16);
    ck_assert_uint_eq(buf[1], 0x03);
    for (i = 2; i < 702; i++)
        ck_assert_uint_eq(buf[i], 0xab);
    ck_assert_uint_eq(td_edit_payload(&s.e[0], buf, 701), 0); /* does not fit */
    ck_assert_uint_eq(td_edit_payload(&s.e[1], buf, sizeof buf), 2);
    ck_assert(memcmp(buf, "\x02\x28", 2) == 0);
    ck_assert_uint_eq(td_edit_payload(&s.e[2], buf, sizeof buf), 0);
}
END_TEST

/* td_edit.h "Binary form": op, CT u8, PAYLOAD length u16, then the
 * stored form as HEX (len u16 + bytes). */
START_TEST(test_record_binary)
{
    static const uint8_t want[] = {
        TD_EDIT_RECORD, 23,   0x40, 0x01, 0x00, 0x01, 0x00, /* 00*16385 */
        TD_EDIT_PLAIN,  0x63, 0x00, 0x01, 0x00, 0x01, 0x00, /* 00 */
        TD_EDIT_RECORD, 22,   0x00, 0x00, 0x00, 0x00,       /* - */
    };
    td_edit_script s = parse_ok("record application_data 00*16385; plain 0x63 00; record 22 -"), d;
    uint8_t buf[64], bad[sizeof want];
    td_wr w;
    td_span out;

    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_edit_encode(&s, &w), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &out), TD_OK);
    ck_assert_uint_eq(out.len, sizeof want);
    ck_assert(memcmp(out.p, want, sizeof want) == 0);
    ck_assert_int_eq(td_edit_decode(out, &d), TD_OK);
    ck_assert(td_edit_script_eq(&s, &d));

    /* a stored form that is not the one form: decode refuses it */
    memcpy(bad, want, sizeof want);
    bad[2] = 0x00;
    bad[3] = 0x05; /* length 5 with one stored byte: under 513 */
    ck_assert_int_eq(td_edit_decode((td_span){bad, sizeof bad}, &d), TD_ERR_SYNTAX);
    ck_assert_uint_eq(d.n, 0);
    memcpy(bad, want, sizeof want);
    bad[2] = 0x80; /* 32769 bytes: over TD_EDIT_RECORD_MAX */
    ck_assert_int_eq(td_edit_decode((td_span){bad, sizeof bad}, &d), TD_ERR_SYNTAX);
}
END_TEST

/* The record edits change no byte; td_edit_flags lists them in script
 * order, by index. KeyUpdate (RFC 8446 4.6.3): type 24, body
 * request_update. */
START_TEST(test_record_apply)
{
    static const uint8_t msg[] = {24, 0, 0, 1, 1};
    td_edit_script s = parse_ok("record alert 0228; set request_update 0; plain 0x63 00; split 3");
    td_span body = {msg + 4, 1};
    td_edit_flags f;
    uint8_t out[16];
    size_t n;

    ck_assert_int_eq(td_edit_apply(&s, 24, body, NULL, out, sizeof out, &n, &f), TD_OK);
    ck_assert_uint_eq(n, 5);
    ck_assert(memcmp(out, "\x18\x00\x00\x01\x00", 5) == 0);
    ck_assert_uint_eq(f.n_record, 2);
    ck_assert_uint_eq(f.record[0], 0);
    ck_assert_uint_eq(f.record[1], 2);
    ck_assert_uint_eq(f.split, 3);
    s = parse_ok("set request_update 0");
    ck_assert_int_eq(td_edit_apply(&s, 24, body, NULL, out, sizeof out, &n, &f), TD_OK);
    ck_assert_uint_eq(f.n_record, 0);
}
END_TEST

/* A raw edit after a struct edit that left the body empty writes into
 * it (a fuzz finding: the empty body's span had no pointer, and `bytes`
 * extended it). TLS 1.2 Finished (RFC 5246 7.4.9): type 20, body
 * verify_data; `set verify_data -` empties it, `bytes 0 ff` writes one
 * byte: the message is 14 00 00 01 ff. */
START_TEST(test_raw_edit_after_empty_body)
{
    static const uint8_t msg[] = {20, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    td_edit_script s = parse_ok("set verify_data -; bytes 0 ff");
    td_span body = {msg + 4, 12};
    td_msg_ctx ctx;
    td_edit_flags f;
    uint8_t out[32];
    size_t n;

    memset(&ctx, 0, sizeof ctx);
    ctx.version = 0x0303;
    ctx.verify_data_len = 12;
    ck_assert_int_eq(td_edit_apply(&s, 20, body, &ctx, out, sizeof out, &n, &f), TD_OK);
    ck_assert_uint_eq(n, 5);
    ck_assert(memcmp(out, "\x14\x00\x00\x01\xff", 5) == 0);
}
END_TEST

Suite *td_edit_record_suite(void)
{
    Suite *s = suite_create("edit_record");
    TCase *tc = tcase_create("record");

    tcase_add_test(tc, test_record_text);
    tcase_add_test(tc, test_record_check);
    tcase_add_test(tc, test_record_payload);
    tcase_add_test(tc, test_record_binary);
    tcase_add_test(tc, test_record_apply);
    tcase_add_test(tc, test_raw_edit_after_empty_body);
    suite_add_tcase(s, tc);
    return s;
}
