/*
 * wolfSSL's public-key callbacks, memoised (harness/subject/td_wolfssl_pk.c),
 * and the primitives no callback covers (harness/core/td_wolfssl_memo.c,
 * at the end): a hit is served, and what it serves is what the
 * computation gives.
 *
 * Each case is one whole handshake of the scripted peer against the
 * wolfSSL subject (td_peer_run, unedited, the peer's first message as the
 * message under test, so that everything wolfSSL sends after its own
 * ClientHello is observed), run four times in this process:
 *   0. with no callback installed (TD_WOLFSSL_PK=0): wolfSSL's own path,
 *      what the callbacks must reproduce;
 *   1. with the callbacks and memoisation off (td_memo_set_enabled(0)): the callbacks
 *      compute every time, and nothing can hit;
 *   2. on, from an empty cache (td_memo_clear): every callback misses;
 *   3. on again: every callback hits, the randomised ones (key
 *      generation, ECDSA, RSA blinding, the PSS salt, PKCS#1 v1.5
 *      padding, ECDH blinding) included, since the world replays the same
 *      stream; a randomised operation keys on the stream's state, so
 *      each of them hitting also shows that every hit before it left the
 *      stream where the computation would have.
 * The four observations must be the same byte for byte (td_obs_digest:
 * every message wolfSSL sent, its signatures and key shares included,
 * its alerts and state), and the handshake must have completed. A key
 * pair a hit rebuilt (ECDHE, X25519 in TLS 1.2) then goes through
 * wolfSSL's own shared-secret code in the TLS 1.2 cases, so a key the hit
 * filled in differently would change the Finished. Each
 * case names the operations it must reach, so a callback that is no
 * longer called fails here instead of silently costing time.
 *
 * Then another seed (another stream): the randomised operations miss,
 * the certificate chain's RSA signatures (the same chain, the same
 * issuer keys) still hit, and the observation is wolfSSL's own for that
 * seed.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_memo.h"
#include "td_peer.h"
#include "td_testlib.h"
#include "td_wolfssl_memo.h"
#include "../harness/subject/td_wolfssl_pk.h"

Suite *td_wolfssl_pk_suite(void);

/* The peer's first message (HandshakeType): ClientHello to a server,
 * ServerHello to a client. */
#define FIRST(role) ((role) == TD_ROLE_SERVER ? 1 : 2)
#define MAX_OPS 4

static void pkcs1_only(td_profile *p)
{
    size_t r;

    for (r = 0; r < 2; r++) {
        p->side[r].sigalgs.v[0] = 0x0401; /* rsa_pkcs1_sha256 (RFC 8446 4.2.3) */
        p->side[r].sigalgs.n = 1;
    }
}

/* The server's Ed25519 key and certificate (vectors/pki), signing with
 * ed25519 (0x0807). */
static void ed25519_server(td_profile *p)
{
    size_t r;

    snprintf(p->side[TD_ROLE_SERVER].chain, sizeof p->side[TD_ROLE_SERVER].chain, "%s",
             "pki/server-ed25519.chain.pem");
    snprintf(p->side[TD_ROLE_SERVER].key, sizeof p->side[TD_ROLE_SERVER].key, "%s",
             "pki/server-ed25519.key.pem");
    for (r = 0; r < 2; r++) {
        p->side[r].sigalgs.v[0] = 0x0807;
        p->side[r].sigalgs.n = 1;
    }
}

typedef struct pk_case {
    const char *profile;
    td_role role; /* the wolfSSL subject's */
    void (*tweak)(td_profile *p);
    td_memo_op ops[MAX_OPS]; /* operations the handshake must reach */
} pk_case;

static const pk_case cases[] = {
    /* TLS 1.3 only: ECDH through the callback, both sides */
    {"tls13-p256-rsa-pss", TD_ROLE_SERVER, NULL,
     {TD_MEMO_WOLF_ECC_KEYGEN, TD_MEMO_WOLF_ECC_SHARED, TD_MEMO_WOLF_RSA_PSS_SIGN}},
    {"tls13-p256-rsa-pss", TD_ROLE_CLIENT, NULL,
     {TD_MEMO_WOLF_ECC_KEYGEN, TD_MEMO_WOLF_ECC_SHARED, TD_MEMO_WOLF_RSA_PSS_VERIFY,
      TD_MEMO_WOLF_RSA_VERIFY}},
    /* after a HelloRetryRequest: the client's second share (its key found
     * by the server's point, td_wolfssl_pk.c own_share) */
    {"tls13-hrr", TD_ROLE_CLIENT, NULL, {TD_MEMO_WOLF_ECC_KEYGEN, TD_MEMO_WOLF_ECC_SHARED}},
    {"tls13-hrr", TD_ROLE_SERVER, NULL,
     {TD_MEMO_WOLF_ECC_KEYGEN, TD_MEMO_WOLF_ECC_SHARED, TD_MEMO_WOLF_ECC_SIGN}},
    {"tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, NULL, {TD_MEMO_WOLF_ECC_SIGN}},
    {"tls13-client-auth", TD_ROLE_SERVER, NULL,
     {TD_MEMO_WOLF_ECC_SIGN, TD_MEMO_WOLF_ECC_VERIFY, TD_MEMO_WOLF_RSA_VERIFY}},
    {"tls13-client-auth", TD_ROLE_CLIENT, NULL, {TD_MEMO_WOLF_ECC_SIGN, TD_MEMO_WOLF_ECC_VERIFY}},
    {"tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, ed25519_server, {TD_MEMO_WOLF_ED25519_SIGN}},
    {"tls13-x25519-ecdsa-p256", TD_ROLE_CLIENT, ed25519_server, {TD_MEMO_WOLF_ED25519_VERIFY}},
    /* TLS 1.2 */
    {"tls12-ecdhe-ecdsa-aes128-gcm", TD_ROLE_SERVER, NULL,
     {TD_MEMO_WOLF_ECC_KEYGEN, TD_MEMO_WOLF_ECC_SIGN}},
    {"tls12-ecdhe-ecdsa-aes128-gcm", TD_ROLE_CLIENT, NULL,
     {TD_MEMO_WOLF_ECC_KEYGEN, TD_MEMO_WOLF_ECC_VERIFY, TD_MEMO_WOLF_RSA_VERIFY}},
    {"tls12-rsa-aes128-gcm", TD_ROLE_SERVER, NULL, {TD_MEMO_WOLF_RSA_DEC}},
    {"tls12-rsa-aes128-gcm", TD_ROLE_CLIENT, NULL, {TD_MEMO_WOLF_RSA_ENC, TD_MEMO_WOLF_RSA_VERIFY}},
    {"tls12-ecdhe-rsa-chacha20", TD_ROLE_SERVER, pkcs1_only,
     {TD_MEMO_WOLF_X25519_KEYGEN, TD_MEMO_WOLF_RSA_SIGN, TD_MEMO_WOLF_RSA_SIGN_CHECK}},
    {"tls12-ecdhe-rsa-chacha20", TD_ROLE_SERVER, NULL,
     {TD_MEMO_WOLF_X25519_KEYGEN, TD_MEMO_WOLF_RSA_PSS_SIGN}},
    {"tls12-client-auth", TD_ROLE_CLIENT, pkcs1_only,
     {TD_MEMO_WOLF_ECC_KEYGEN, TD_MEMO_WOLF_RSA_SIGN, TD_MEMO_WOLF_RSA_SIGN_CHECK,
      TD_MEMO_WOLF_RSA_VERIFY}},
};

#define N_CASES (sizeof cases / sizeof cases[0])
#define N_OPS 32 /* TD_MEMO_WOLF_* codes from TD_MEMO_WOLF_ECC_KEYGEN */

typedef struct run_counts {
    td_wolfssl_pk_counts all, op[N_OPS];
} run_counts;

static void counts_now(run_counts *c)
{
    size_t i;

    td_wolfssl_pk_counts_get(0, &c->all);
    for (i = 0; i < N_OPS; i++)
        td_wolfssl_pk_counts_get((int)(TD_MEMO_WOLF_ECC_KEYGEN + i), &c->op[i]);
}

static void counts_since(run_counts *c, const run_counts *before)
{
    size_t i;

    counts_now(c);
    c->all.calls -= before->all.calls;
    c->all.hits -= before->all.hits;
    for (i = 0; i < N_OPS; i++) {
        c->op[i].calls -= before->op[i].calls;
        c->op[i].hits -= before->op[i].hits;
    }
}

static const td_wolfssl_pk_counts *op_counts(const run_counts *c, td_memo_op op)
{
    return &c->op[op - TD_MEMO_WOLF_ECC_KEYGEN];
}

/* One handshake against wolfSSL; the callbacks' counts during it. */
static void run_once(const pk_case *pc, uint64_t seed, td_observation *obs, run_counts *c)
{
    static td_profile p;
    td_peer_case k;
    run_counts before;
    char why[256] = "";

    td_test_profile(&p, pc->profile);
    if (pc->tweak)
        pc->tweak(&p);
    memset(&k, 0, sizeof k);
    k.profile = &p;
    k.subject_role = pc->role;
    k.msg_type = FIRST(pc->role);
    k.seed = seed;
    counts_now(&before);
    ck_assert_msg(td_peer_run(&k, TD_IMPL_WOLFSSL, obs, why, sizeof why) == TD_OK, "%s: %s",
                  pc->profile, why);
    counts_since(c, &before);
    if (!obs->has_state || !obs->state.handshake_done) {
        td_obs_print(obs, stdout);
        ck_abort_msg("%s (subject %s): the handshake did not complete", pc->profile,
                     pc->role == TD_ROLE_SERVER ? "server" : "client");
    }
}

static void expect_same(const pk_case *pc, const char *what, const td_observation *a,
                        const td_observation *b)
{
    char da[33], db[33], line[512] = "";

    td_obs_digest(a, da);
    td_obs_digest(b, db);
    if (strcmp(da, db) != 0) {
        (void)td_obs_compare_named(a, "wolfSSL's own path", b, what, line, sizeof line);
        td_obs_print(a, stdout);
        td_obs_print(b, stdout);
        ck_abort_msg("%s (subject %s): %s differs from wolfSSL's own path: %s", pc->profile,
                     pc->role == TD_ROLE_SERVER ? "server" : "client", what, line);
    }
}

static td_observation native, off, first, second;

START_TEST(test_hit_equals_computed)
{
    const pk_case *pc = &cases[_i];
    run_counts c_native, c_off, c1, c2;
    size_t j;

    ck_assert_int_eq(setenv("TD_WOLFSSL_PK", "0", 1), 0);
    run_once(pc, 1, &native, &c_native);
    ck_assert_int_eq(unsetenv("TD_WOLFSSL_PK"), 0);
    ck_assert_msg(c_native.all.calls == 0, "%s: TD_WOLFSSL_PK=0 still called %llu callbacks",
                  pc->profile, (unsigned long long)c_native.all.calls);
    td_memo_set_enabled(0);
    run_once(pc, 1, &off, &c_off);
    td_memo_set_enabled(1);
    td_memo_clear();
    run_once(pc, 1, &first, &c1);
    run_once(pc, 1, &second, &c2);

    ck_assert_msg(c_off.all.calls > 0 && c_off.all.hits == 0,
                  "%s: memoisation off: %llu calls, %llu hits", pc->profile,
                  (unsigned long long)c_off.all.calls, (unsigned long long)c_off.all.hits);
    ck_assert_msg(c1.all.calls == c_off.all.calls && c1.all.hits == 0,
                  "%s: first run: %llu calls (off: %llu), %llu hits", pc->profile,
                  (unsigned long long)c1.all.calls, (unsigned long long)c_off.all.calls,
                  (unsigned long long)c1.all.hits);
    ck_assert_msg(c2.all.calls == c1.all.calls && c2.all.hits == c2.all.calls,
                  "%s: second run: %llu calls (first: %llu), %llu hits", pc->profile,
                  (unsigned long long)c2.all.calls, (unsigned long long)c1.all.calls,
                  (unsigned long long)c2.all.hits);
    for (j = 0; j < MAX_OPS && pc->ops[j]; j++)
        ck_assert_msg(op_counts(&c2, pc->ops[j])->hits > 0, "%s: operation %d not reached",
                      pc->profile, (int)pc->ops[j]);
    expect_same(pc, "the callbacks with memoisation off", &native, &off);
    expect_same(pc, "the first run with memoisation", &native, &first);
    expect_same(pc, "the run served from the cache", &native, &second);
}
END_TEST

/* The same chain, another stream: the TLS 1.2 client verifies the
 * server's chain (two sha256WithRSAEncryption signatures by the RSA
 * intermediate and root, vectors/pki/gen.sh) and ServerKeyExchange (an
 * ECDSA signature made with the peer's stream), generates its ECDHE key
 * and encrypts under the new keys. */
START_TEST(test_other_stream)
{
    const pk_case *pc = NULL;
    run_counts c1, c2, c_native;
    const td_wolfssl_pk_counts *keygen, *verify, *chain;
    char d1[33], d2[33];
    size_t i;

    for (i = 0; i < N_CASES && !pc; i++)
        if (strcmp(cases[i].profile, "tls12-ecdhe-ecdsa-aes128-gcm") == 0 &&
            cases[i].role == TD_ROLE_CLIENT)
            pc = &cases[i];
    ck_assert_ptr_nonnull(pc);
    td_memo_set_enabled(1);
    td_memo_clear();
    run_once(pc, 1, &first, &c1);
    run_once(pc, 2, &second, &c2);
    ck_assert_int_eq(setenv("TD_WOLFSSL_PK", "0", 1), 0);
    run_once(pc, 2, &native, &c_native);
    ck_assert_int_eq(unsetenv("TD_WOLFSSL_PK"), 0);

    keygen = op_counts(&c2, TD_MEMO_WOLF_ECC_KEYGEN);
    verify = op_counts(&c2, TD_MEMO_WOLF_ECC_VERIFY);
    chain = op_counts(&c2, TD_MEMO_WOLF_RSA_VERIFY);
    ck_assert_msg(keygen->calls == 1 && keygen->hits == 0, "key generation: %llu calls, %llu hits",
                  (unsigned long long)keygen->calls, (unsigned long long)keygen->hits);
    ck_assert_msg(verify->calls == 1 && verify->hits == 0,
                  "ServerKeyExchange verification: %llu calls, %llu hits",
                  (unsigned long long)verify->calls, (unsigned long long)verify->hits);
    ck_assert_msg(chain->calls == 2 && chain->hits == 2, "chain: %llu calls, %llu hits",
                  (unsigned long long)chain->calls, (unsigned long long)chain->hits);
    td_obs_digest(&first, d1);
    td_obs_digest(&second, d2);
    ck_assert_msg(strcmp(d1, d2) != 0, "seeds 1 and 2 gave the same observation");
    expect_same(pc, "seed 2 with memoisation", &native, &second);
}
END_TEST

/* ---- the primitives no callback covers (harness/core/td_wolfssl_memo.c) ----
 *
 * wolfSSL's TLS code calls wc_ecc_shared_secret (EccSharedSecret: TLS
 * 1.2 ECDHE, and TLS 1.3 on a context that can also negotiate TLS 1.2),
 * wc_curve25519_shared_secret_ex (TLS 1.2 and 1.3) and
 * wc_curve25519_make_key (the TLS 1.3 key share) through memoising
 * wrappers. Each case runs four times, as above: with no callbacks and
 * memoisation off (wolfSSL's own path: the wrappers compute every call),
 * with the callbacks and memoisation off, then twice with memoisation on
 * from an empty cache. The wrappers must be called, never hit with
 * memoisation off or on the first run, hit on every call of the second
 * run, and the four observations must be the same byte for byte. The
 * wrappers' randomised operations (the X25519 key, ECDH's coordinate
 * blinding) key on the stream, so a hit that left the stream anywhere
 * else would change what wolfSSL draws next (its signatures, its
 * Finished) and so the observation. */

/* Both sides offer TLS 1.2 and 1.3 and agree on 1.3: no ECDH callback is
 * installed (td_wolfssl_pk_install), so TLSX_KeyShare_ProcessEcc goes
 * through EccSharedSecret. */
static void tls12_and_13(td_profile *p)
{
    size_t r;

    for (r = 0; r < 2; r++)
        p->side[r].min_version = 0x0303;
}

static const pk_case prim_cases[] = {
    {"tls12-ecdhe-ecdsa-aes128-gcm", TD_ROLE_SERVER, NULL, {TD_MEMO_WOLF_PRIM_ECC_SHARED}},
    {"tls12-ecdhe-ecdsa-aes128-gcm", TD_ROLE_CLIENT, NULL, {TD_MEMO_WOLF_PRIM_ECC_SHARED}},
    {"tls12-ecdhe-rsa-chacha20", TD_ROLE_SERVER, NULL, {TD_MEMO_WOLF_PRIM_X25519_SHARED}},
    {"tls12-ecdhe-rsa-chacha20", TD_ROLE_CLIENT, NULL, {TD_MEMO_WOLF_PRIM_X25519_SHARED}},
    {"tls13-x25519-ecdsa-p256", TD_ROLE_SERVER, NULL,
     {TD_MEMO_WOLF_PRIM_X25519_KEYGEN, TD_MEMO_WOLF_PRIM_X25519_SHARED}},
    {"tls13-x25519-ecdsa-p256", TD_ROLE_CLIENT, NULL,
     {TD_MEMO_WOLF_PRIM_X25519_KEYGEN, TD_MEMO_WOLF_PRIM_X25519_SHARED}},
    {"tls13-p256-rsa-pss", TD_ROLE_SERVER, tls12_and_13, {TD_MEMO_WOLF_PRIM_ECC_SHARED}},
    {"tls13-p256-rsa-pss", TD_ROLE_CLIENT, tls12_and_13, {TD_MEMO_WOLF_PRIM_ECC_SHARED}},
};

#define N_PRIM_CASES (sizeof prim_cases / sizeof prim_cases[0])
#define N_PRIM_OPS 3 /* TD_MEMO_WOLF_PRIM_* codes */

typedef struct prim_counts {
    td_wolfssl_memo_counts all, op[N_PRIM_OPS];
} prim_counts;

static void prim_counts_now(prim_counts *c)
{
    size_t i;

    td_wolfssl_memo_counts_get(0, &c->all);
    for (i = 0; i < N_PRIM_OPS; i++)
        td_wolfssl_memo_counts_get((int)(TD_MEMO_WOLF_PRIM_ECC_SHARED + i), &c->op[i]);
}

/* One handshake (run_once); the wrappers' counts during it. */
static void prim_run(const pk_case *pc, td_observation *obs, prim_counts *c)
{
    prim_counts before;
    run_counts ignored;
    size_t i;

    prim_counts_now(&before);
    run_once(pc, 1, obs, &ignored);
    prim_counts_now(c);
    c->all.calls -= before.all.calls;
    c->all.hits -= before.all.hits;
    for (i = 0; i < N_PRIM_OPS; i++) {
        c->op[i].calls -= before.op[i].calls;
        c->op[i].hits -= before.op[i].hits;
    }
}

START_TEST(test_primitives)
{
    const pk_case *pc = &prim_cases[_i];
    const char *who = pc->role == TD_ROLE_SERVER ? "server" : "client";
    prim_counts c_native, c_off, c1, c2;
    size_t j;

    td_memo_set_enabled(0);
    ck_assert_int_eq(setenv("TD_WOLFSSL_PK", "0", 1), 0);
    prim_run(pc, &native, &c_native);
    ck_assert_int_eq(unsetenv("TD_WOLFSSL_PK"), 0);
    prim_run(pc, &off, &c_off);
    td_memo_set_enabled(1);
    td_memo_clear();
    prim_run(pc, &first, &c1);
    prim_run(pc, &second, &c2);

    ck_assert_msg(c_native.all.calls > 0 && c_native.all.hits == 0,
                  "%s (subject %s): no callbacks, memoisation off: %llu calls, %llu hits",
                  pc->profile, who, (unsigned long long)c_native.all.calls,
                  (unsigned long long)c_native.all.hits);
    ck_assert_msg(c_off.all.calls > 0 && c_off.all.hits == 0,
                  "%s (subject %s): memoisation off: %llu calls, %llu hits", pc->profile, who,
                  (unsigned long long)c_off.all.calls, (unsigned long long)c_off.all.hits);
    ck_assert_msg(c1.all.calls == c_off.all.calls && c1.all.hits == 0,
                  "%s (subject %s): first run: %llu calls (off: %llu), %llu hits", pc->profile,
                  who, (unsigned long long)c1.all.calls, (unsigned long long)c_off.all.calls,
                  (unsigned long long)c1.all.hits);
    ck_assert_msg(c2.all.calls == c1.all.calls && c2.all.hits == c2.all.calls,
                  "%s (subject %s): second run: %llu calls (first: %llu), %llu hits",
                  pc->profile, who, (unsigned long long)c2.all.calls,
                  (unsigned long long)c1.all.calls, (unsigned long long)c2.all.hits);
    for (j = 0; j < MAX_OPS && pc->ops[j]; j++)
        ck_assert_msg(c2.op[pc->ops[j] - TD_MEMO_WOLF_PRIM_ECC_SHARED].hits > 0,
                      "%s (subject %s): primitive %d not reached", pc->profile, who,
                      (int)pc->ops[j]);
    expect_same(pc, "the callbacks with memoisation off", &native, &off);
    expect_same(pc, "the first run with memoisation", &native, &first);
    expect_same(pc, "the run served from the cache", &native, &second);
}
END_TEST

Suite *td_wolfssl_pk_suite(void)
{
    Suite *s = suite_create("wolfssl_pk");
    TCase *tc = tcase_create("memo");
    TCase *prim = tcase_create("primitives");

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_hit_equals_computed, 0, (int)N_CASES);
    tcase_add_test(tc, test_other_stream);
    suite_add_tcase(s, tc);
    tcase_set_timeout(prim, 120);
    tcase_add_loop_test(prim, test_primitives, 0, (int)N_PRIM_CASES);
    suite_add_tcase(s, prim);
    return s;
}
