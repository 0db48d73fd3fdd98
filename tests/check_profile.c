/* Profile parsing: every shipped profile loads, and malformed text fails
 * with the line at fault. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "td_names.h"
#include "td_profile.h"
#include "td_testlib.h"

Suite *td_profile_suite(void);

START_TEST(shipped_profiles_load)
{
    char names[64][TD_PROFILE_MAX_NAME];
    size_t n = td_test_matrix_list(names, 64), i;

    ck_assert_uint_ge(n, 12);
    for (i = 0; i < n; i++) {
        td_profile p;
        td_test_profile(&p, names[i]);
        ck_assert_str_eq(p.name, names[i]);
        ck_assert_msg(p.summary[0], "%s has no summary", names[i]);
    }
}
END_TEST

START_TEST(sides_and_defaults)
{
    td_profile p;
    size_t line = 0;
    char why[128];
    const char *text = "# comment\n"
                       "versions = 1.2-1.3\n"
                       "groups = x25519, secp256r1   # trailing comment\n"
                       "server.groups = secp384r1\n"
                       "client.key_shares =\n"
                       "client_auth = require\n"
                       "expect_alert = protocol_version\n"
                       "resume = session_id\n";

    ck_assert_int_eq(td_profile_parse(&p, "t", text, &line, why, sizeof why), TD_OK);
    ck_assert_uint_eq(p.side[TD_ROLE_CLIENT].min_version, TD_TLS1_2);
    ck_assert_uint_eq(p.side[TD_ROLE_SERVER].max_version, TD_TLS1_3);
    ck_assert_uint_eq(p.side[TD_ROLE_CLIENT].groups.n, 2);
    ck_assert_uint_eq(p.side[TD_ROLE_CLIENT].groups.v[1], 0x0017);
    ck_assert_uint_eq(p.side[TD_ROLE_SERVER].groups.n, 1);
    ck_assert_uint_eq(p.side[TD_ROLE_SERVER].groups.v[0], 0x0018);
    ck_assert(p.side[TD_ROLE_CLIENT].key_shares_set);
    ck_assert_uint_eq(p.side[TD_ROLE_CLIENT].key_shares.n, 0);
    ck_assert(!p.side[TD_ROLE_SERVER].key_shares_set);
    ck_assert_int_eq(p.client_auth, TD_CLIENT_AUTH_REQUIRE);
    ck_assert_uint_eq(p.expect_alert, TD_ALERT_PROTOCOL_VERSION);
    ck_assert_int_eq(p.resume, TD_RESUME_SESSION_ID);
    ck_assert(!p.tickets);
}
END_TEST

/* Each malformed line is rejected, and the error names its line. */
START_TEST(malformed)
{
    static const struct {
        const char *text;
        size_t line;
        const char *reason;
    } cases[] = {
        {"versions = 1.3\nnonsense\n", 2, "key = value"},
        {"versions = 1.4\n", 1, "unknown version"},
        {"versions = 1.3-1.2\n", 1, "backwards"},
        {"\n\nsuites = TLS_AES_128_GCM_SHA257\n", 3, "unknown name"},
        {"colour = blue\n", 1, "unknown key"},
        {"client.client_auth = require\n", 1, "unknown key"},
        {"tickets = maybe\n", 1, "on or off"},
        {"client_auth = sometimes\n", 1, "none, request or require"},
        {"expect_alert = no_such_alert\n", 1, "unknown alert"},
        {"groups = x25519,x25519,x25519,x25519,x25519,x25519,x25519,x25519,x25519,x25519,"
         "x25519,x25519,x25519,x25519,x25519,x25519,x25519,x25519,x25519,x25519,x25519,"
         "x25519,x25519,x25519,x25519\n",
         1, "more than"},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        td_profile p;
        size_t line = 0;
        char why[160] = "";
        td_err e = td_profile_parse(&p, "t", cases[i].text, &line, why, sizeof why);
        ck_assert_msg(e != TD_OK, "case %zu accepted", i);
        ck_assert_uint_eq(line, cases[i].line);
        ck_assert_msg(strstr(why, cases[i].reason), "case %zu: '%s'", i, why);
    }
}
END_TEST

START_TEST(missing_file)
{
    td_profile p;
    char why[600];

    ck_assert_int_eq(td_profile_load(&p, "no-such-profile", why, sizeof why), TD_ERR_IO);
    ck_assert_ptr_nonnull(strstr(why, "no-such-profile.profile: cannot open"));
}
END_TEST

Suite *td_profile_suite(void)
{
    Suite *s = suite_create("profile");
    TCase *t = tcase_create("parse");

    tcase_add_test(t, shipped_profiles_load);
    tcase_add_test(t, sides_and_defaults);
    tcase_add_test(t, malformed);
    tcase_add_test(t, missing_file);
    suite_add_tcase(s, t);
    return s;
}
