/*
 * Deprecated versions are refused. A wolfSSL client offering only SSLv3,
 * TLS 1.0 or TLS 1.1 meets a wolfSSL server configured for TLS 1.2-1.3.
 *
 * RFC 8446 D.2: "If the supported_versions extension is absent and the
 * server only supports versions greater than ClientHello.legacy_version,
 * the server MUST abort the handshake with a protocol_version alert."
 * (RFC 8996 4-5 deprecates TLS 1.0 and 1.1; RFC 7568 3 SSLv3.)
 */
#include <check.h>
#include <string.h>

#include "td_hello.h"
#include "td_names.h"
#include "td_testlib.h"

Suite *td_refusal_suite(void);

/* The profiles of vectors/profiles/matrix.list that expect a refusal (expect_alert). */
static char names[64][TD_PROFILE_MAX_NAME];
static size_t n_names;

START_TEST(refused_with_protocol_version)
{
    td_transcript t = {0};
    td_run_result r;
    const uint8_t *ch;
    size_t len, i;
    td_hello_view v;
    td_profile p;

    td_test_profile(&p, names[_i]);
    ck_assert_uint_eq(p.expect_alert, TD_ALERT_PROTOCOL_VERSION);
    ck_assert_uint_lt(p.side[TD_ROLE_CLIENT].max_version, TD_TLS1_2);
    td_test_run(names[_i], 1, &t, &r);
    /* The client really offered only the old version. */
    ch = td_test_hello(&t, TD_ROLE_CLIENT, 1, &len);
    ck_assert(td_hello_view_parse(ch, len, &v));
    ck_assert_uint_eq(v.legacy_version, p.side[TD_ROLE_CLIENT].max_version);
    ck_assert(!td_hello_has_ext(&v, 43 /* supported_versions */));
    /* The server answered with exactly one fatal protocol_version alert. */
    ck_assert(r.first.server.sent.present);
    ck_assert_uint_eq(r.first.server.sent.level, 2);
    ck_assert_uint_eq(r.first.server.sent.description, TD_ALERT_PROTOCOL_VERSION);
    ck_assert_int_eq(r.first.server.verdict, TD_VERDICT_ALERT);
    ck_assert(!r.first.server.handshake_done && !r.first.client.handshake_done);
    for (i = 0; i < t.n_chunks; i++)
        if (t.chunks[i].from == TD_ROLE_SERVER) {
            const uint8_t *rec = t.bytes + t.chunks[i].off;
            ck_assert_uint_eq(t.chunks[i].len, 7); /* one alert record: 5 + 2 */
            ck_assert_uint_eq(rec[0], 21);         /* ContentType alert */
            ck_assert_uint_eq(rec[5], 2);
            ck_assert_uint_eq(rec[6], 70);
        }
    ck_assert(r.ok);
    td_transcript_free(&t);
}
END_TEST

Suite *td_refusal_suite(void)
{
    Suite *s = suite_create("refusal");
    TCase *t = tcase_create("deprecated_versions");
    char all[64][TD_PROFILE_MAX_NAME];
    size_t n = td_test_matrix_list(all, 64), i;

    for (i = 0; i < n; i++) {
        td_profile p;
        char why[256];
        /* Select by what the profile says, not by its name; an unreadable
         * profile is kept so that the test itself reports it. */
        if (td_profile_load(&p, all[i], why, sizeof why) != TD_OK || p.expect_alert)
            memcpy(names[n_names++], all[i], sizeof all[i]);
    }
    tcase_add_loop_test(t, refused_with_protocol_version, 0, (int)n_names);
    suite_add_tcase(s, t);
    return s;
}
