/*
 * The engine's certificate check is td_x509_verify (td_hs_peer_cert.c):
 * in a real handshake against wolfSSL, each reason ends the handshake
 * with the alert RFC 8446 6.2 / RFC 5246 7.2.2 name (td_x509_reason_alert),
 * sent by the reference, in both versions and both roles:
 *   - the server's certificate does not name the server_name the client
 *     sent (RFC 6125 6): bad_certificate;
 *   - its chain does not reach the client's anchors: unknown_ca;
 *   - the clock is past every notAfter (2036-01-01): certificate_expired;
 *   - the client authenticates with a serverAuth-only certificate
 *     (RFC 5280 4.2.1.12, the reference server wants clientAuth):
 *     bad_certificate.
 * The test PKI's properties are in vectors/pki/README.md.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "td_pump.h"
#include "td_testlib.h"
#include "td_world.h"

Suite *td_engine_x509_suite(void);

static void base(td_profile *p, const char *versions)
{
    td_side *cl = &p->side[TD_ROLE_CLIENT], *sv = &p->side[TD_ROLE_SERVER];

    td_profile_defaults(p, "engine-x509");
    cl->min_version = sv->min_version = strcmp(versions, "1.2") == 0 ? 0x0303 : 0x0304;
    cl->max_version = sv->max_version = cl->min_version;
    snprintf(sv->chain, TD_PROFILE_MAX_PATH, "pki/server-p256.chain.pem");
    snprintf(sv->key, TD_PROFILE_MAX_PATH, "pki/server-p256.key.pem");
    snprintf(cl->trust, TD_PROFILE_MAX_PATH, "pki/root-ca.crt.pem");
    snprintf(p->sni, sizeof p->sni, "server.tlsdiff.test");
}

/* Run p (client_impl against server_impl) at clock `now`; `who` must have
 * sent alert(fatal, alert) and no handshake completed. */
static void expect_alert(const td_profile *p, td_impl client_impl, td_impl server_impl,
                         int64_t now, td_role who, td_err alert, const char *what)
{
    td_world w;
    td_transcript t;
    td_run_result r;
    const td_state *st;

    memset(&t, 0, sizeof t);
    td_world_init(&w, 7);
    w.clock = now;
    ck_assert_int_eq(td_pump_profile(client_impl, server_impl, p, &w, &t, &r), TD_OK);
    st = who == TD_ROLE_CLIENT ? &r.first.client : &r.first.server;
    ck_assert_msg(!r.first.client.handshake_done || !r.first.server.handshake_done,
                  "%s: the handshake completed", what);
    ck_assert_msg(st->sent.present && st->sent.level == 2 && st->sent.description == alert,
                  "%s: expected the %s to send alert(fatal, %s): %s", what,
                  who == TD_ROLE_CLIENT ? "client" : "server", td_err_name(alert), r.why);
    td_transcript_free(&t);
    td_world_free(&w);
}

START_TEST(test_server_certificate)
{
    static const char *const versions[] = {"1.2", "1.3"};
    td_profile p;
    size_t i;

    for (i = 0; i < 2; i++) {
        base(&p, versions[i]);
        snprintf(p.sni, sizeof p.sni, "other.tlsdiff.test");
        expect_alert(&p, TD_IMPL_REF, TD_IMPL_WOLFSSL, TD_CLOCK_DEFAULT, TD_ROLE_CLIENT,
                     TD_ALERT_BAD_CERTIFICATE, "wrong server name");
        base(&p, versions[i]);
        snprintf(p.side[TD_ROLE_CLIENT].trust, TD_PROFILE_MAX_PATH, "pki/client-ca.crt.pem");
        expect_alert(&p, TD_IMPL_REF, TD_IMPL_WOLFSSL, TD_CLOCK_DEFAULT, TD_ROLE_CLIENT,
                     TD_ALERT_UNKNOWN_CA, "other anchor");
        base(&p, versions[i]);
        /* 2036-01-01T00:00:01Z, one second after every notAfter */
        expect_alert(&p, TD_IMPL_REF, TD_IMPL_WOLFSSL, INT64_C(2082758401), TD_ROLE_CLIENT,
                     TD_ALERT_CERTIFICATE_EXPIRED, "expired");
        /* the control: the same profile completes at the default clock */
        {
            td_world w;
            td_transcript t;
            td_run_result r;

            memset(&t, 0, sizeof t);
            td_world_init(&w, 7);
            ck_assert_int_eq(td_pump_profile(TD_IMPL_REF, TD_IMPL_WOLFSSL, &p, &w, &t, &r),
                             TD_OK);
            ck_assert_msg(r.ok && r.first.client.peer_verified, "control: %s", r.why);
            td_transcript_free(&t);
            td_world_free(&w);
        }
    }
}
END_TEST

START_TEST(test_client_certificate)
{
    static const char *const versions[] = {"1.2", "1.3"};
    td_profile p;
    size_t i;

    for (i = 0; i < 2; i++) {
        td_side *cl = &p.side[TD_ROLE_CLIENT], *sv = &p.side[TD_ROLE_SERVER];

        base(&p, versions[i]);
        p.client_auth = TD_CLIENT_AUTH_REQUIRE;
        /* a serverAuth-only certificate as the client's */
        snprintf(cl->chain, TD_PROFILE_MAX_PATH, "pki/server-p256.chain.pem");
        snprintf(cl->key, TD_PROFILE_MAX_PATH, "pki/server-p256.key.pem");
        snprintf(sv->trust, TD_PROFILE_MAX_PATH, "pki/root-ca.crt.pem");
        expect_alert(&p, TD_IMPL_WOLFSSL, TD_IMPL_REF, TD_CLOCK_DEFAULT, TD_ROLE_SERVER,
                     TD_ALERT_BAD_CERTIFICATE, "client certificate without clientAuth");
        /* the client's own chain, but the server trusts only root-ca */
        snprintf(cl->chain, TD_PROFILE_MAX_PATH, "pki/client-p256.chain.pem");
        snprintf(cl->key, TD_PROFILE_MAX_PATH, "pki/client-p256.key.pem");
        expect_alert(&p, TD_IMPL_WOLFSSL, TD_IMPL_REF, TD_CLOCK_DEFAULT, TD_ROLE_SERVER,
                     TD_ALERT_UNKNOWN_CA, "client chain to another anchor");
    }
}
END_TEST

Suite *td_engine_x509_suite(void)
{
    Suite *s = suite_create("engine_x509");
    TCase *tc = tcase_create("alerts");

    tcase_add_test(tc, test_server_certificate);
    tcase_add_test(tc, test_client_certificate);
    suite_add_tcase(s, tc);
    return s;
}
