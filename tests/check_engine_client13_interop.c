/*
 * The reference TLS 1.3 client against the wolfSSL server, in memory:
 * every TLS 1.3 suite x group x server signature scheme of issue 4 (the
 * test PKI's P-256, P-384, RSA-2048 and Ed25519 certificates), a
 * HelloRetryRequest for each group, and client authentication. Each run
 * must complete, carry application data both ways, and negotiate what was
 * offered (RFC 8446 4.1.3 suite, 4.2.8 group, 4.4.3 scheme).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "td_pump.h"
#include "td_testlib.h"
#include "../harness/subject/td_subject_impl.h"

Suite *td_engine_client13_interop_suite(void);

typedef struct server_id {
    const char *chain, *key;
    uint16_t scheme;
} server_id;

static const uint16_t suites13[] = {0x1301, 0x1302, 0x1303};
static const uint16_t groups13[] = {0x001d, 0x0017, 0x0018};
static const server_id servers[] = {
    {"pki/server-p256.chain.pem", "pki/server-p256.key.pem", 0x0403},
    {"pki/server-p384.chain.pem", "pki/server-p384.key.pem", 0x0503},
    {"pki/server-rsa2048.chain.pem", "pki/server-rsa2048.key.pem", 0x0804},
    {"pki/server-rsa2048.chain.pem", "pki/server-rsa2048.key.pem", 0x0805},
    {"pki/server-rsa2048.chain.pem", "pki/server-rsa2048.key.pem", 0x0806},
    {"pki/server-ed25519.chain.pem", "pki/server-ed25519.key.pem", 0x0807},
};

#define N_SUITES (sizeof suites13 / sizeof suites13[0])
#define N_GROUPS (sizeof groups13 / sizeof groups13[0])
#define N_SERVERS (sizeof servers / sizeof servers[0])

static void one(td_code_list *l, uint16_t v)
{
    l->v[0] = v;
    l->n = 1;
}

/* TLS 1.3 only, the server's files, the client trusting the test root. */
static void base_profile(td_profile *p, const server_id *sv)
{
    int r;

    td_profile_defaults(p, "client13-interop");
    for (r = 0; r < 2; r++) {
        p->side[r].min_version = p->side[r].max_version = 0x0304;
        if (sv)
            one(&p->side[r].sigalgs, sv->scheme);
    }
    snprintf(p->side[TD_ROLE_SERVER].chain, TD_PROFILE_MAX_PATH, "%s",
             sv ? sv->chain : "pki/server-p256.chain.pem");
    snprintf(p->side[TD_ROLE_SERVER].key, TD_PROFILE_MAX_PATH, "%s",
             sv ? sv->key : "pki/server-p256.key.pem");
    snprintf(p->side[TD_ROLE_CLIENT].trust, TD_PROFILE_MAX_PATH,
             "pki/root-ca.crt.pem");
    snprintf(p->sni, sizeof p->sni, "server.tlsdiff.test");
}

/* Move everything a has for b, until neither has anything. */
static void pump(td_subject *a, td_subject *b)
{
    uint8_t buf[16384];
    size_t n;

    while (td_subject_pending(a) > 0) {
        td_subject_drain(a, buf, sizeof buf, &n);
        ck_assert_int_eq(td_subject_feed(b, buf, n), TD_OK);
    }
}

static void app_one_way(td_subject *a, td_subject *b, const char *msg)
{
    uint8_t got[256];
    size_t n;

    ck_assert_int_eq(td_subject_write_app(a, (const uint8_t *)msg,
                                          strlen(msg)),
                     TD_OK);
    pump(a, b);
    td_subject_read_app(b, got, sizeof got, &n);
    ck_assert_uint_eq(n, strlen(msg));
    ck_assert_mem_eq(got, msg, n);
}

/* How many plaintext ClientHello records the client sent (RFC 8446 5.1:
 * content type 22, then handshake type 1). */
static size_t client_hellos(const td_transcript *t)
{
    size_t i, count = 0;

    for (i = 0; i < t->n_chunks; i++) {
        const uint8_t *p = t->bytes + t->chunks[i].off;
        size_t len = t->chunks[i].len, off = 0;

        if (t->chunks[i].from != TD_ROLE_CLIENT)
            continue;
        while (off + 5 <= len) {
            size_t rlen = (size_t)p[off + 3] << 8 | p[off + 4];

            if (p[off] == 22 && off + 5 < len && p[off + 5] == 1)
                count++;
            off += 5 + rlen;
        }
    }
    return count;
}

typedef struct result {
    td_state client, server;
    size_t hellos;
} result;

/* The reference client against the wolfSSL server with profile p. */
static void run(const td_profile *p, uint64_t seed, result *r)
{
    td_subject *c = NULL, *s = NULL;
    td_transcript t;
    td_world w;
    char cd[160], sd[160];

    memset(&t, 0, sizeof t);
    td_world_init(&w, seed);
    ck_assert_msg(td_subject_ref_new(TD_ROLE_CLIENT, p, &w, &c) == TD_OK,
                  "%s", td_subject_last_error());
    ck_assert_msg(td_subject_new(TD_IMPL_WOLFSSL, TD_ROLE_SERVER, p, &w, &s) ==
                      TD_OK,
                  "%s", td_subject_last_error());
    ck_assert_int_eq(td_pump_run(c, s, &t), TD_OK);
    td_subject_state(c, &r->client);
    td_subject_state(s, &r->server);
    td_state_describe(&r->client, cd, sizeof cd);
    td_state_describe(&r->server, sd, sizeof sd);
    ck_assert_msg(r->client.handshake_done && r->server.handshake_done &&
                      r->client.verdict == TD_VERDICT_CONTINUE &&
                      r->server.verdict == TD_VERDICT_CONTINUE,
                  "client %s (%s), server %s", cd, r->client.lib_error_name,
                  sd);
    app_one_way(c, s, "GET / from the reference client");
    app_one_way(s, c, "200 OK from the wolfSSL server");
    td_subject_state(c, &r->client);
    ck_assert_int_eq(r->client.verdict, TD_VERDICT_CONTINUE);
    r->hellos = client_hellos(&t);
    td_transcript_free(&t);
    td_subject_free(c);
    td_subject_free(s);
    td_world_free(&w);
}

START_TEST(test_suite_group_scheme)
{
    size_t i, j, k, runs = 0;

    for (i = 0; i < N_SUITES; i++)
        for (j = 0; j < N_GROUPS; j++)
            for (k = 0; k < N_SERVERS; k++) {
                td_profile p;
                result r;
                int side;

                base_profile(&p, &servers[k]);
                for (side = 0; side < 2; side++) {
                    one(&p.side[side].suites, suites13[i]);
                    one(&p.side[side].groups, groups13[j]);
                }
                run(&p, 1000 + runs, &r);
                ck_assert_uint_eq(r.client.version, 0x0304);
                ck_assert_uint_eq(r.client.cipher_suite, suites13[i]);
                ck_assert_uint_eq(r.client.group, groups13[j]);
                /* RFC 8446 4.4.3: the one scheme the client offered */
                ck_assert_uint_eq(r.client.sig_scheme, servers[k].scheme);
                ck_assert(r.client.peer_verified);
                ck_assert_uint_eq(r.hellos, 1);
                runs++;
            }
    printf("engine_client13_interop: %zu suite x group x scheme handshakes "
           "against wolfSSL\n",
           runs);
    ck_assert_uint_eq(runs, N_SUITES * N_GROUPS * N_SERVERS);
}
END_TEST

START_TEST(test_hello_retry_request)
{
    size_t j, runs = 0;

    /* The server takes only group j; the client offers all three but
     * sends its one share for another (RFC 8446 4.1.4, 4.2.8). */
    for (j = 0; j < N_GROUPS; j++) {
        td_profile p;
        result r;
        size_t g, n = 0;

        base_profile(&p, NULL);
        one(&p.side[TD_ROLE_SERVER].groups, groups13[j]);
        for (g = 0; g < N_GROUPS; g++)
            p.side[TD_ROLE_CLIENT].groups.v[n++] = groups13[g];
        p.side[TD_ROLE_CLIENT].groups.n = n;
        one(&p.side[TD_ROLE_CLIENT].key_shares, groups13[(j + 1) % N_GROUPS]);
        p.side[TD_ROLE_CLIENT].key_shares_set = true;
        p.hrr_cookie = j == 0; /* once with a cookie (RFC 8446 4.2.2) */
        run(&p, 2000 + j, &r);
        ck_assert_uint_eq(r.client.group, groups13[j]);
        ck_assert_uint_eq(r.hellos, 2); /* ClientHello1 and ClientHello2 */
        runs++;
    }
    printf("engine_client13_interop: %zu HelloRetryRequest handshakes\n", runs);
}
END_TEST

START_TEST(test_profiles)
{
    static const char *const names[] = {
        "tls13-x25519-ecdsa-p256",
        "tls13-p256-rsa-pss",
        "tls13-hrr",
        "tls13-client-auth",
    };
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        td_profile p;
        result r;

        td_test_profile(&p, names[i]);
        run(&p, 3000 + i, &r);
        ck_assert_uint_eq(r.client.version, 0x0304);
        ck_assert_uint_eq(r.hellos, strcmp(names[i], "tls13-hrr") ? 1 : 2);
        if (!strcmp(names[i], "tls13-client-auth"))
            /* the server required and verified our certificate */
            ck_assert(r.server.peer_verified);
    }
    printf("engine_client13_interop: %zu profiles of vectors/profiles\n", i);
}
END_TEST

START_TEST(test_client_auth_rsa)
{
    td_profile p;
    result r;

    /* tls13-client-auth with the RSA-2048 client certificate: the client
     * must sign with RSA-PSS (RFC 8446 4.4.3) */
    td_test_profile(&p, "tls13-client-auth");
    snprintf(p.side[TD_ROLE_CLIENT].chain, TD_PROFILE_MAX_PATH,
             "pki/client-rsa2048.chain.pem");
    snprintf(p.side[TD_ROLE_CLIENT].key, TD_PROFILE_MAX_PATH,
             "pki/client-rsa2048.key.pem");
    run(&p, 4000, &r);
    ck_assert(r.server.peer_verified);
}
END_TEST

Suite *td_engine_client13_interop_suite(void)
{
    Suite *s = suite_create("engine_client13_interop");
    TCase *tc = tcase_create("wolfssl_server");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_suite_group_scheme);
    tcase_add_test(tc, test_hello_retry_request);
    tcase_add_test(tc, test_profiles);
    tcase_add_test(tc, test_client_auth_rsa);
    suite_add_tcase(s, tc);
    return s;
}
