/*
 * The conformance suite's machinery (td_conform.h): the case reader and
 * its errors, the judgement of outcomes against the expected ones and
 * vectors/divergences, and real cases run against both subjects.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "td_conform.h"
#include "td_msg.h"

Suite *td_conform_suite(void);

/* Write text to a fresh temporary .cases file; its path goes to path. */
static void temp_cases(const char *text, char *path, size_t cap)
{
    char dir[] = "/tmp/td_conformXXXXXX";
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, cap, "%s/t.cases", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static td_err load_text(const char *text, td_cases *cs, char *why, size_t cap)
{
    char path[256];

    memset(cs, 0, sizeof *cs);
    temp_cases(text, path, sizeof path);
    return td_cases_load_file(cs, path, why, cap);
}

static const char one_case[] =
    "# a comment\n"
    "case tls13.client_hello.compression-not-null\n"
    "  rfc       RFC 8446 4.1.2\n"
    "  quote     the server MUST abort the handshake with an \"illegal_parameter\" alert\n"
    "  profile   tls13-x25519-ecdsa-p256\n"
    "  subject   server\n"
    "  message   client_hello\n"
    "  edit      set legacy_compression_methods 0,1\n"
    "  edit      ext dup supported_versions\n"
    "  expect    alert(illegal_parameter) | alert(decode_error)\n"
    "\n"
    "case tls13.client_hello2.canonical\n"
    "  rfc       RFC 8446 4.1.4\n"
    "  quote     the client MUST send the same ClientHello\n"
    "  profile   tls13-hrr\n"
    "  with      groups = secp256r1\n"
    "  subject   server\n"
    "  message   client_hello#2\n"
    "  expect    accept\n";

START_TEST(test_reads_cases)
{
    td_cases cs;
    char why[256] = "", text[128];
    const td_case *c;

    ck_assert_int_eq(load_text(one_case, &cs, why, sizeof why), TD_OK);
    ck_assert_uint_eq(cs.n, 2);
    c = &cs.c[0];
    ck_assert_str_eq(c->id, "tls13.client_hello.compression-not-null");
    ck_assert_str_eq(c->rfc, "RFC 8446 4.1.2");
    ck_assert_str_eq(c->section, "RFC 8446 4.1");
    ck_assert_int_eq(c->subject_role, TD_ROLE_SERVER);
    ck_assert_uint_eq(c->msg_type, TD_HS_CLIENT_HELLO);
    ck_assert_uint_eq(c->occurrence, 0);
    /* two edit lines are one script */
    ck_assert_str_eq(c->edit, "set legacy_compression_methods 0,1\next dup supported_versions");
    ck_assert_uint_eq(c->n_expect, 2);
    ck_assert_int_eq(c->expect[0].kind, TD_EXPECT_ALERT);
    ck_assert_uint_eq(c->expect[0].alert, 47); /* RFC 8446 B.2: illegal_parameter(47) */
    ck_assert_uint_eq(c->expect[1].alert, 50); /* decode_error(50) */
    ck_assert_str_eq(c->file, "t.cases");
    ck_assert_uint_eq(c->line, 2);
    td_case_expect_text(c, text, sizeof text);
    ck_assert_str_eq(text, "alert(illegal_parameter) | alert(decode_error)");

    c = &cs.c[1];
    ck_assert_uint_eq(c->occurrence, 1); /* client_hello#2 */
    ck_assert_str_eq(c->with, "groups = secp256r1");
    ck_assert_int_eq(c->expect[0].kind, TD_EXPECT_ACCEPT);
    td_cases_free(&cs);
}
END_TEST

START_TEST(test_sections)
{
    static const struct {
        const char *rfc, *section;
    } v[] = {
        {"RFC 5246 7.4.1.2", "RFC 5246 7.4"},
        {"RFC 8446 5", "RFC 8446 5"},
        {"RFC 8446 4.4.2.4", "RFC 8446 4.4"},
        {"RFC 5746 3.6", "RFC 5746 3.6"},
        {"RFC 8446 D.4", "RFC 8446 D.4"}, /* an appendix */
        {"RFC eight", NULL},              /* refused */
        {"8446 4.1", NULL},
    };
    size_t i;

    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        char text[512], why[256] = "";
        td_cases cs;
        td_err e;

        snprintf(text, sizeof text,
                 "case a\n rfc %s\n quote q\n profile p\n subject client\n"
                 " message server_hello\n expect accept\n",
                 v[i].rfc);
        e = load_text(text, &cs, why, sizeof why);
        if (v[i].section) {
            ck_assert_int_eq(e, TD_OK);
            ck_assert_str_eq(cs.c[0].section, v[i].section);
        } else {
            ck_assert_int_eq(e, TD_ERR_SYNTAX);
        }
        td_cases_free(&cs);
    }
}
END_TEST

/* Each malformed file is refused with the file, the line and the reason. */
START_TEST(test_reader_errors)
{
    static const struct {
        const char *text, *why;
    } v[] = {
        {"rfc RFC 8446 4\n", "t.cases:1: expected 'case ID' first"},
        {"case a\n colour blue\n", "t.cases:2: unknown key: colour"},
        {"case a\n rfc RFC 8446 4\n quote q\n profile p\n subject server\n message client_hello\n",
         "t.cases:1: case without: expect"},
        {"case a b\n", "t.cases:1: a case id is letters, digits and . _ -"},
        {"case a\n expect alert(no_such_alert)\n", "t.cases:2: unknown alert: no_such_alert"},
        {"case a\n expect maybe\n", "t.cases:2: expect is accept"},
        {"case a\n message client_hello#0\n", "t.cases:2: message#N takes N from 1 to 16"},
        {"case a\n message hello_world\n", "t.cases:2: unknown handshake message"},
        {"case a\n subject proxy\n", "t.cases:2: subject is client or server"},
        {"case a\n with groups\n", "t.cases:2: with takes a profile line"},
        {"case a\n rfc RFC 1 1\n quote q\n profile p\n subject server\n message 1\n expect accept\n"
         "case a\n",
         "t.cases:8: duplicate case id: a (first at t.cases:1)"},
    };
    size_t i;

    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        char why[256] = "";
        td_cases cs;

        ck_assert_int_eq(load_text(v[i].text, &cs, why, sizeof why), TD_ERR_SYNTAX);
        ck_assert_msg(strncmp(why, v[i].why, strlen(v[i].why)) == 0, "case %zu: '%s'", i, why);
        td_cases_free(&cs);
    }
}
END_TEST

static td_case judged_case(void)
{
    td_case c;

    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "tls13.x");
    snprintf(c.profile, sizeof c.profile, "tls13-x25519-ecdsa-p256");
    c.msg_type = TD_HS_CLIENT_HELLO;
    return c;
}

static td_case_result outcomes(int ref_pass, const char *ref, int wolf_pass, const char *wolf)
{
    td_case_result r;

    memset(&r, 0, sizeof r);
    r.pass[0] = ref_pass;
    r.pass[1] = wolf_pass;
    snprintf(r.outcome[0], sizeof r.outcome[0], "%s", ref);
    snprintf(r.outcome[1], sizeof r.outcome[1], "%s", wolf);
    return r;
}

/* The failure rule (td_conform.h): the reference failing fails; wolfSSL
 * failing is known only with an entry for this case and these outcomes. */
START_TEST(test_judge)
{
    static td_divergences d;
    td_case c = judged_case();
    td_case_result r;

    memset(&d, 0, sizeof d);
    d.n = 1;
    snprintf(d.e[0].id, sizeof d.e[0].id, "conform-x");
    snprintf(d.e[0].message, sizeof d.e[0].message, "client_hello");
    snprintf(d.e[0].edit, sizeof d.e[0].edit, "case tls13.x");
    snprintf(d.e[0].reference, sizeof d.e[0].reference, "alert:illegal_parameter");
    snprintf(d.e[0].wolfssl, sizeof d.e[0].wolfssl, "closed");

    r = outcomes(1, "alert:illegal_parameter", 1, "alert:illegal_parameter");
    td_conform_judge(&c, &d, &r);
    ck_assert_int_eq(r.status, TD_CONFORM_PASS);

    r = outcomes(1, "alert:illegal_parameter", 0, "closed");
    td_conform_judge(&c, &d, &r);
    ck_assert_int_eq(r.status, TD_CONFORM_KNOWN);
    ck_assert_int_eq(r.divergence, 0);
    ck_assert(!td_conform_failed(r.status));

    /* another wolfSSL outcome than the entry's is new */
    r = outcomes(1, "alert:illegal_parameter", 0, "continue");
    td_conform_judge(&c, &d, &r);
    ck_assert_int_eq(r.status, TD_CONFORM_NEW);
    ck_assert(td_conform_failed(r.status));

    /* another case is new */
    snprintf(c.id, sizeof c.id, "tls13.y");
    r = outcomes(1, "alert:illegal_parameter", 0, "closed");
    td_conform_judge(&c, &d, &r);
    ck_assert_int_eq(r.status, TD_CONFORM_NEW);

    /* the reference failing fails whatever wolfSSL did */
    r = outcomes(0, "continue", 1, "alert:illegal_parameter");
    td_conform_judge(&c, &d, &r);
    ck_assert_int_eq(r.status, TD_CONFORM_REF_FAIL);
    ck_assert(td_conform_failed(r.status));
}
END_TEST

static td_case real_case(const char *edit, const char *expect)
{
    char text[1024], why[256] = "", path[256];
    td_cases cs = {0};
    td_case c;

    snprintf(text, sizeof text,
             "case t\n rfc RFC 8446 4.1.2\n quote q\n profile tls13-x25519-ecdsa-p256\n"
             " subject server\n message client_hello\n%s%s%s expect %s\n",
             edit ? " edit " : "", edit ? edit : "", edit ? "\n" : "", expect);
    temp_cases(text, path, sizeof path);
    ck_assert_msg(td_cases_load_file(&cs, path, why, sizeof why) == TD_OK, "%s", why);
    c = cs.c[0];
    td_cases_free(&cs);
    return c;
}

/* Real runs. RFC 8446 4.1.2: "For every TLS 1.3 ClientHello, this vector
 * MUST contain exactly one byte, set to zero ... If a TLS 1.3 ClientHello
 * is received with any other value in this field, the server MUST abort
 * the handshake with an "illegal_parameter" alert." Both subjects are
 * observed to do so; the canonical ClientHello completes. */
START_TEST(test_runs_cases)
{
    td_case c = real_case(NULL, "accept");
    td_case_result r;

    td_conform_run(&c, NULL, 1, &r);
    ck_assert_msg(r.status == TD_CONFORM_PASS, "%s / %s: %s", r.outcome[0], r.outcome[1],
                  r.note[0]);
    ck_assert_str_eq(r.outcome[0], "continue");

    c = real_case("set legacy_compression_methods 0,1", "alert(illegal_parameter)");
    td_conform_run(&c, NULL, 1, &r);
    ck_assert_int_eq(r.status, TD_CONFORM_PASS);
    ck_assert_str_eq(r.outcome[0], "alert:illegal_parameter");
    ck_assert_str_eq(r.outcome[1], "alert:illegal_parameter");

    /* the same run against a wrong expectation fails: the check can fail */
    c = real_case("set legacy_compression_methods 0,1", "accept");
    td_conform_run(&c, NULL, 1, &r);
    ck_assert_int_eq(r.status, TD_CONFORM_REF_FAIL);
    ck_assert(!r.pass[0] && !r.pass[1]);
}
END_TEST

/* A case whose edit does not apply, or whose message never goes out, is
 * a case error, never a pass. */
START_TEST(test_case_errors)
{
    td_case c = real_case("ext drop early_data", "accept");
    td_case_result r;

    td_conform_run(&c, NULL, 1, &r);
    ck_assert_int_eq(r.status, TD_CONFORM_ERROR);
    ck_assert_msg(strstr(r.note[0], "edit not applied") != NULL, "%s", r.note[0]);

    c = real_case(NULL, "accept");
    c.msg_type = TD_HS_CERTIFICATE_VERIFY; /* no client certificate here */
    td_conform_run(&c, NULL, 1, &r);
    ck_assert_int_eq(r.status, TD_CONFORM_ERROR);
    ck_assert_str_eq(r.note[0], "the message under test was never sent");
}
END_TEST

Suite *td_conform_suite(void)
{
    Suite *s = suite_create("conform");
    TCase *tc = tcase_create("conform");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_reads_cases);
    tcase_add_test(tc, test_sections);
    tcase_add_test(tc, test_reader_errors);
    tcase_add_test(tc, test_judge);
    tcase_add_test(tc, test_runs_cases);
    tcase_add_test(tc, test_case_errors);
    suite_add_tcase(s, tc);
    return s;
}
