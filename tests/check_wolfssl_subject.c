/*
 * The handshake matrix, wolfSSL client against wolfSSL server in memory.
 * For every profile of vectors/profiles/matrix.list that expects a
 * handshake, the run must complete, carry application data both ways, and
 * negotiate what the profile and the RFCs allow.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "td_hello.h"
#include "td_names.h"
#include "td_testlib.h"

Suite *td_wolfssl_subject_suite(void);

static bool in_list(const td_code_list *l, uint16_t v)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (l->v[i] == v)
            return true;
    return false;
}

/* The n-th (0-based) chunk from `from` that starts with a handshake record
 * of type msg_type. */
static const uint8_t *nth_hello(const td_transcript *t, td_role from, uint8_t type, int n,
                                size_t *len)
{
    size_t i;
    for (i = 0; i < t->n_chunks; i++) {
        const uint8_t *p = t->bytes + t->chunks[i].off;
        if (t->chunks[i].from == from && t->chunks[i].len >= 9 && p[0] == 22 && p[5] == type &&
            n-- == 0) {
            *len = t->chunks[i].len;
            return p;
        }
    }
    return NULL;
}

static void check_negotiated(const td_profile *p, const td_state *c, const td_state *s)
{
    const td_side *cs = &p->side[TD_ROLE_CLIENT], *ss = &p->side[TD_ROLE_SERVER];
    uint16_t want_version = cs->max_version < ss->max_version ? cs->max_version : ss->max_version;

    /* Both ends agree on what was negotiated. */
    ck_assert_uint_eq(c->version, s->version);
    ck_assert_uint_eq(c->cipher_suite, s->cipher_suite);
    ck_assert_uint_eq(c->group, s->group);
    /* RFC 8446 4.2.1 / RFC 5246 7.4.1.3: the highest version both support. */
    ck_assert_uint_eq(c->version, want_version);
    /* RFC 8446 4.1.3 / RFC 5246 7.4.1.3: a suite the client offered. */
    if (cs->suites.n)
        ck_assert_msg(in_list(&cs->suites, c->cipher_suite), "%s: suite %s not offered", p->name,
                      td_name_or_hex(TD_NAMES_SUITE, c->cipher_suite));
    if (ss->suites.n)
        ck_assert(in_list(&ss->suites, c->cipher_suite));
    /* RFC 8446 4.2.7 / RFC 8422 5.1.1: a group both sides listed. */
    if (c->group) {
        if (cs->groups.n)
            ck_assert(in_list(&cs->groups, c->group));
        if (ss->groups.n)
            ck_assert(in_list(&ss->groups, c->group));
    } else {
        ck_assert_msg(c->version < TD_TLS1_3, "%s: TLS 1.3 without a group", p->name);
    }
    if (c->resumed)
        return;
    /* The server signed with a scheme the client offered (RFC 8446 4.4.3,
     * RFC 5246 7.4.1.4.1), and never PKCS#1 v1.5 in TLS 1.3 (RFC 8446
     * 4.4.3: "RSA signatures MUST use an RSASSA-PSS algorithm"). */
    if (c->group) {
        ck_assert_msg(c->sig_scheme != 0, "%s: no signature scheme observed", p->name);
        if (cs->sigalgs.n)
            ck_assert_msg(in_list(&cs->sigalgs, c->sig_scheme), "%s: scheme %s not offered",
                          p->name, td_name_or_hex(TD_NAMES_SIGSCHEME, c->sig_scheme));
        if (c->version == TD_TLS1_3)
            ck_assert_msg((c->sig_scheme & 0xff) != 0x01, "%s: PKCS#1 v1.5 in TLS 1.3", p->name);
    } else {
        ck_assert_uint_eq(c->sig_scheme, 0); /* static RSA: nothing is signed */
    }
    ck_assert_uint_eq(c->peer_verified, cs->trust[0] != 0);
    ck_assert_uint_eq(s->peer_verified, p->client_auth != TD_CLIENT_AUTH_NONE);
}

/* A client whose key shares name no group the server accepts must get a
 * HelloRetryRequest (RFC 8446 4.1.4), and with a cookie the second
 * ClientHello must echo it (RFC 8446 4.2.2). */
static void check_hrr(const td_profile *p, const td_transcript *t)
{
    const td_side *cs = &p->side[TD_ROLE_CLIENT], *ss = &p->side[TD_ROLE_SERVER];
    bool expect = false;
    size_t i, len;
    const uint8_t *rec;
    td_hello_view v;

    if (cs->key_shares_set && ss->groups.n) {
        expect = true;
        for (i = 0; i < cs->key_shares.n; i++)
            if (in_list(&ss->groups, cs->key_shares.v[i]))
                expect = false;
    }
    rec = nth_hello(t, TD_ROLE_SERVER, 2, 0, &len);
    ck_assert_ptr_nonnull(rec);
    ck_assert(td_hello_view_parse(rec, len, &v));
    ck_assert_uint_eq(memcmp(v.random, td_hrr_random, 32) == 0, expect);
    if (!expect)
        return;
    rec = nth_hello(t, TD_ROLE_CLIENT, 1, 1, &len);
    ck_assert_msg(rec != NULL, "%s: no second ClientHello", p->name);
    ck_assert(td_hello_view_parse(rec, len, &v));
    ck_assert_uint_eq(td_hello_has_ext(&v, 44 /* cookie */), p->hrr_cookie);
}

START_TEST(matrix_profile)
{
    char names[64][TD_PROFILE_MAX_NAME];
    size_t n = td_test_matrix_list(names, 64);
    td_profile p;
    td_transcript t = {0};
    td_run_result r;

    ck_assert_uint_lt((size_t)_i, n);
    td_test_profile(&p, names[_i]);
    if (p.expect_alert) /* refusals: check_refusal.c */
        return;
    td_test_run(names[_i], 1, &t, &r);
    ck_assert_msg(r.ok, "%s: %s", p.name, r.why);
    ck_assert(r.first.app_ok);
    check_negotiated(&p, &r.first.client, &r.first.server);
    check_hrr(&p, &t);
    if (p.resume != TD_RESUME_NONE) {
        ck_assert(r.has_resumed);
        ck_assert(r.resumed.client.resumed && r.resumed.server.resumed);
        ck_assert(r.resumed.app_ok);
        check_negotiated(&p, &r.resumed.client, &r.resumed.server);
    }
    td_transcript_free(&t);
}
END_TEST

/* A profile whose files are missing fails at creation with a reason. */
START_TEST(missing_certificate)
{
    td_profile p;
    td_world w;
    td_subject *s = NULL;

    td_test_profile(&p, "tls13-x25519-ecdsa-p256");
    snprintf(p.side[TD_ROLE_SERVER].chain, sizeof p.side[0].chain, "pki/does-not-exist.pem");
    td_world_init(&w, 1);
    ck_assert_int_eq(td_subject_new(TD_IMPL_WOLFSSL, TD_ROLE_SERVER, &p, &w, &s), TD_ERR_IO);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(td_subject_last_error(), "does-not-exist.pem"));
    td_world_free(&w);
}
END_TEST

Suite *td_wolfssl_subject_suite(void)
{
    Suite *s = suite_create("wolfssl_subject");
    TCase *t = tcase_create("matrix");
    char names[64][TD_PROFILE_MAX_NAME];

    tcase_add_loop_test(t, matrix_profile, 0, (int)td_test_matrix_list(names, 64));
    tcase_add_test(t, missing_certificate);
    suite_add_tcase(s, t);
    return s;
}
