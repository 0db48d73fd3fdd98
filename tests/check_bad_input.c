/*
 * Bad input into either wolfSSL subject: every truncation of a real Hello
 * flight, single-byte corruptions, oversized records and random bytes. After
 * the input and an end of stream, the subject must have stopped with an
 * alert or a closed connection: never still waiting, never a crash (the
 * asan preset turns any memory error into a test failure).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "td_rng.h"
#include "td_testlib.h"

Suite *td_bad_input_suite(void);

typedef struct tally {
    size_t inputs, alerts, closed;
} tally;

/* One input into a fresh subject of `role` for profile p. A client first
 * sends its ClientHello, as it would on a real connection. */
static void feed_one(const td_profile *p, td_role role, const uint8_t *in, size_t len, tally *t,
                     const char *what, size_t which)
{
    td_world w;
    td_subject *s = NULL;
    td_state st;
    uint8_t sink[16384];
    size_t n;

    td_world_init(&w, 1);
    ck_assert_int_eq(td_subject_new(TD_IMPL_WOLFSSL, role, p, &w, &s), TD_OK);
    if (role == TD_ROLE_CLIENT) {
        ck_assert_int_eq(td_subject_feed(s, NULL, 0), TD_OK);
        td_subject_drain(s, sink, sizeof sink, &n);
    }
    ck_assert_int_eq(td_subject_feed(s, in, len), TD_OK);
    ck_assert_int_eq(td_subject_feed_eof(s), TD_OK);
    td_subject_state(s, &st);
    ck_assert_msg(st.verdict == TD_VERDICT_ALERT || st.verdict == TD_VERDICT_CLOSED,
                  "%s %s input %s #%zu (%zu bytes): verdict %s", p->name, td_role_name(role),
                  what, which, len, td_verdict_name(st.verdict));
    ck_assert(!st.handshake_done);
    t->inputs++;
    if (st.verdict == TD_VERDICT_ALERT)
        t->alerts++;
    else
        t->closed++;
    td_subject_free(s);
    td_world_free(&w);
}

/* The first bytes `from` sent in a real run of p: a ClientHello record, or
 * the server's first flight. */
static size_t real_flight(const char *profile, td_role from, uint8_t *out, size_t cap)
{
    td_transcript t = {0};
    td_run_result r;
    size_t i, n = 0;

    td_test_run(profile, 1, &t, &r);
    for (i = 0; i < t.n_chunks; i++)
        if (t.chunks[i].from == from) {
            n = t.chunks[i].len < cap ? t.chunks[i].len : cap;
            memcpy(out, t.bytes + t.chunks[i].off, n);
            break;
        }
    td_transcript_free(&t);
    ck_assert_uint_gt(n, 9);
    return n;
}

static void run_family(const char *profile, td_role target, size_t step)
{
    static uint8_t flight[16384], buf[70000];
    td_role from = target == TD_ROLE_SERVER ? TD_ROLE_CLIENT : TD_ROLE_SERVER;
    size_t n = real_flight(profile, from, flight, sizeof flight), i;
    td_profile p;
    td_rng rng;
    tally t = {0};

    td_test_profile(&p, profile);
    /* Every truncation point (every step-th for long flights). */
    for (i = 0; i < n; i += step)
        feed_one(&p, target, flight, i, &t, "truncated", i);
    /* One corrupted byte at a time (xor 0xff keeps every position different). */
    for (i = 0; i < n && i < 400; i += step) {
        memcpy(buf, flight, n);
        buf[i] ^= 0xff;
        feed_one(&p, target, buf, n, &t, "flipped", i);
    }
    /* Oversized records: RFC 8446 5.1 / RFC 5246 6.2.1 cap a plaintext
     * fragment at 2^14 bytes; 2^14 + 1 and the u16 maximum. */
    {
        static const size_t lens[] = {16385, 18432, 65535};
        for (i = 0; i < 3; i++) {
            memset(buf, 0x41, sizeof buf);
            buf[0] = 22;
            buf[1] = 3;
            buf[2] = 3;
            buf[3] = (uint8_t)(lens[i] >> 8);
            buf[4] = (uint8_t)lens[i];
            memcpy(buf + 5, flight + 5, n - 5); /* a real body, then padding */
            feed_one(&p, target, buf, 5 + lens[i], &t, "oversized", i);
        }
    }
    /* Random bytes, half of them behind a plausible handshake record header. */
    td_rng_init(&rng, 1, profile);
    for (i = 0; i < 60; i++) {
        size_t len = 1 + td_rng_below(&rng, 2000);
        td_rng_bytes(&rng, buf, len);
        if (i % 2 && len > 5) {
            buf[0] = 22;
            buf[1] = 3;
            buf[2] = 3;
            buf[3] = (uint8_t)((len - 5) >> 8);
            buf[4] = (uint8_t)(len - 5);
        }
        feed_one(&p, target, buf, len, &t, "random", i);
    }
    fprintf(stderr, "bad input, %s %s: %zu inputs, %zu alerts, %zu closed\n", profile,
            td_role_name(target), t.inputs, t.alerts, t.closed);
    ck_assert_uint_ge(t.inputs, 100);
}

START_TEST(server_tls13) { run_family("tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, 1); }
END_TEST

START_TEST(server_tls12_rsa) { run_family("tls12-rsa-aes128-gcm", TD_ROLE_SERVER, 2); }
END_TEST

START_TEST(client_tls13) { run_family("tls13-x25519-ecdsa-p256", TD_ROLE_CLIENT, 9); }
END_TEST

START_TEST(client_tls12) { run_family("tls12-ecdhe-ecdsa-aes128-gcm", TD_ROLE_CLIENT, 7); }
END_TEST

Suite *td_bad_input_suite(void)
{
    Suite *s = suite_create("bad_input");
    TCase *t = tcase_create("generated");

    tcase_set_timeout(t, 600);
    tcase_add_test(t, server_tls13);
    tcase_add_test(t, server_tls12_rsa);
    tcase_add_test(t, client_tls13);
    tcase_add_test(t, client_tls12);
    suite_add_tcase(s, t);
    return s;
}
