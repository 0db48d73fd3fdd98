/*
 * td_x509_wolfssl: wolfSSL's verdict on the chains of the test PKI
 * (vectors/pki). The expected verdicts come from the PKI's documented
 * properties (vectors/pki/README.md: root-ca -> intermediate-ca (pathlen
 * 0) -> server-*, client-ca -> client-*, validity 2025-01-01T00:00:00Z to
 * 2036-01-01T00:00:00Z, SANs server.tlsdiff.test / localhost / 127.0.0.1
 * on the servers, EKU serverAuth / clientAuth, keyUsage digitalSignature
 * (plus keyEncipherment on server-rsa2048)) and from the order in which
 * wolfSSL's ProcessPeerCerts walks a chain (from the last certificate
 * towards the leaf, src/internal.c), never from what the adapter printed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_profile.h"
#include "td_world.h"
#include "td_x509_wolfssl.h"

Suite *td_x509_wolfssl_suite(void);

/* 2026-01-01T00:00:00Z, inside every certificate's validity. */
#define CLOCK TD_CLOCK_DEFAULT
#define NOT_BEFORE INT64_C(1735689600) /* 2025-01-01T00:00:00Z */
#define NOT_AFTER INT64_C(2082758400)  /* 2036-01-01T00:00:00Z */
#define HOST "server.tlsdiff.test"

/* wolfSSL error codes the expectations name (wolfssl/wolfcrypt/error-crypt.h,
 * wolfssl/error-ssl.h), spelled out so the test reads no wolfSSL header. */
enum {
    W_ASN_AFTER_DATE_E = -151,
    W_ASN_BEFORE_DATE_E = -150,
    W_ASN_SIG_CONFIRM_E = -155,
    W_ASN_NO_SIGNER_E = -188,
    W_DOMAIN_NAME_MISMATCH = -322,
    W_NO_PEER_CERT = -345,
    W_MAX_CHAIN_ERROR = -368,
    W_KEYUSE_ENCIPHER_E = -385,
    W_EXTKEYUSE_AUTH_E = -386,
};

typedef struct der {
    uint8_t *p;
    size_t len;
} der;

static der load(const char *name)
{
    char rel[128], path[4096];
    der d = {NULL, 0};
    FILE *f;
    long n;

    snprintf(rel, sizeof rel, "pki/%s.crt.der", name);
    ck_assert_int_eq(td_vectors_path(rel, path, sizeof path), TD_OK);
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    ck_assert_int_gt(n, 0);
    rewind(f);
    d.p = malloc((size_t)n);
    ck_assert_ptr_nonnull(d.p);
    ck_assert_uint_eq(fread(d.p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    d.len = (size_t)n;
    return d;
}

static td_span span_of(der d)
{
    return (td_span){d.p, d.len};
}

/* The chain of names (NULL-terminated) against the anchors (a
 * comma-separated list), with one policy. */
static td_x509_wolfssl_result run(const char *const *names, const char *anchor_list,
                                  const td_x509_policy *pol)
{
    td_span chain[TD_X509_WOLFSSL_MAX_CERTS], anchors[TD_X509_WOLFSSL_MAX_CERTS];
    der held[2 * TD_X509_WOLFSSL_MAX_CERTS];
    size_t n = 0, na = 0, nh = 0, i;
    char list[256], *tok, *comma;
    td_x509_wolfssl_result r;

    for (; names[n]; n++) {
        held[nh] = load(names[n]);
        chain[n] = span_of(held[nh++]);
    }
    snprintf(list, sizeof list, "%s", anchor_list);
    for (tok = list; *tok; tok = comma ? comma + 1 : tok + strlen(tok)) {
        comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        held[nh] = load(tok);
        anchors[na++] = span_of(held[nh++]);
    }
    ck_assert_int_eq(td_x509_wolfssl_verify(chain, n, anchors, na, pol, &r), TD_OK);
    for (i = 0; i < nh; i++)
        free(held[i].p);
    return r;
}

static td_x509_policy server_policy(int64_t now, const char *host)
{
    td_x509_policy p = {now, TD_X509_PURPOSE_SERVER, host, 0};
    return p;
}

static td_x509_policy client_policy(int64_t now)
{
    td_x509_policy p = {now, TD_X509_PURPOSE_CLIENT, NULL, 0};
    return p;
}

static void expect_accept(const td_x509_wolfssl_result *r, const char *what)
{
    ck_assert_msg(r->accept && r->err == 0 && r->reason == TD_X509_OK,
                  "%s: rejected with %d (%s), reason %d, cert %zu", what, r->err, r->err_name,
                  (int)r->reason, r->cert);
}

static void expect_reject(const td_x509_wolfssl_result *r, td_x509_reason reason, int err,
                          size_t cert, const char *what)
{
    ck_assert_msg(!r->accept, "%s: accepted", what);
    ck_assert_msg(r->reason == reason && r->err == err && r->cert == cert,
                  "%s: got err %d (%s) reason %d cert %zu; want err %d reason %d cert %zu", what,
                  r->err, r->err_name, (int)r->reason, r->cert, err, (int)reason, cert);
    ck_assert_msg(r->err_name[0] != '\0', "%s: no error name", what);
}

static const char *const servers[] = {"server-rsa2048", "server-p256", "server-p384",
                                      "server-ed25519"};

/* ---- valid chains ------------------------------------------------------- */

START_TEST(valid_server_chains)
{
    size_t i;

    for (i = 0; i < sizeof servers / sizeof servers[0]; i++) {
        const char *chain[] = {servers[i], "intermediate-ca", NULL};
        const char *with_root[] = {servers[i], "intermediate-ca", "root-ca", NULL};
        td_x509_policy p = server_policy(CLOCK, HOST);
        td_x509_policy local = server_policy(CLOCK, "localhost");
        td_x509_policy no_host = server_policy(CLOCK, NULL);
        td_x509_wolfssl_result r;

        r = run(chain, "root-ca", &p);
        expect_accept(&r, servers[i]);
        ck_assert_uint_eq(r.anchors_loaded, 1);
        r = run(chain, "root-ca", &local);
        expect_accept(&r, servers[i]);
        r = run(chain, "root-ca", &no_host);
        expect_accept(&r, servers[i]);
        /* RFC 8446 4.4.2: the sender may include the root */
        r = run(with_root, "root-ca", &p);
        expect_accept(&r, servers[i]);
        /* an unrelated extra anchor changes nothing */
        r = run(chain, "client-ca,root-ca", &p);
        expect_accept(&r, servers[i]);
    }
}
END_TEST

START_TEST(valid_client_chains)
{
    const char *p256[] = {"client-p256", NULL}, *rsa[] = {"client-rsa2048", NULL};
    td_x509_policy p = client_policy(CLOCK);
    td_x509_wolfssl_result r;

    r = run(p256, "client-ca", &p);
    expect_accept(&r, "client-p256");
    r = run(rsa, "client-ca", &p);
    expect_accept(&r, "client-rsa2048");
}
END_TEST

/* ---- the clock ---------------------------------------------------------- */

/* RFC 5280 4.1.2.5: the validity period includes both ends. wolfSSL walks
 * from the last certificate, so the first one it finds out of its period
 * is the intermediate (index 1): all certificates share one period. */
START_TEST(clock)
{
    const char *chain[] = {"server-p256", "intermediate-ca", NULL};
    td_x509_policy p;
    td_x509_wolfssl_result r;

    p = server_policy(NOT_AFTER + 86400, HOST);
    r = run(chain, "root-ca", &p);
    expect_reject(&r, TD_X509_EXPIRED, W_ASN_AFTER_DATE_E, 1, "after 2036");
    ck_assert_uint_eq(r.anchors_loaded, 1); /* anchors load whatever the clock */

    p = server_policy(NOT_BEFORE - 86400, HOST);
    r = run(chain, "root-ca", &p);
    expect_reject(&r, TD_X509_NOT_YET_VALID, W_ASN_BEFORE_DATE_E, 1, "before 2025");

    p = server_policy(NOT_AFTER + 1, HOST);
    r = run(chain, "root-ca", &p);
    expect_reject(&r, TD_X509_EXPIRED, W_ASN_AFTER_DATE_E, 1, "one second after notAfter");
    p = server_policy(NOT_BEFORE - 1, HOST);
    r = run(chain, "root-ca", &p);
    expect_reject(&r, TD_X509_NOT_YET_VALID, W_ASN_BEFORE_DATE_E, 1, "one second before notBefore");

    p = server_policy(NOT_AFTER, HOST);
    r = run(chain, "root-ca", &p);
    expect_accept(&r, "at notAfter");
    p = server_policy(NOT_BEFORE, HOST);
    r = run(chain, "root-ca", &p);
    expect_accept(&r, "at notBefore");
}
END_TEST

/* The adapter binds its own clock and gives the caller's binding back. */
START_TEST(clock_binding_restored)
{
    const char *chain[] = {"server-p256", "intermediate-ca", NULL};
    td_x509_policy p = server_policy(NOT_AFTER + 86400, HOST);
    td_world w;
    td_binding before, after, prev;
    td_x509_wolfssl_result r;

    td_world_init(&w, 7);
    prev = td_world_bind(&w, TD_PARTY_CLIENT);
    before = td_world_bound();
    r = run(chain, "root-ca", &p); /* a clock other than the bound world's */
    after = td_world_bound();
    ck_assert_ptr_eq(after.world, before.world);
    ck_assert_int_eq(after.party, before.party);
    ck_assert_int_eq(w.clock, TD_CLOCK_DEFAULT);
    ck_assert_int_eq(r.reason, TD_X509_EXPIRED);
    td_world_restore(prev);
    td_world_free(&w);
}
END_TEST

/* ---- names and purposes ------------------------------------------------- */

START_TEST(wrong_host)
{
    const char *chain[] = {"server-rsa2048", "intermediate-ca", NULL};
    td_x509_policy p = server_policy(CLOCK, "other.tlsdiff.test");
    td_x509_wolfssl_result r;

    r = run(chain, "root-ca", &p);
    expect_reject(&r, TD_X509_NAME_MISMATCH, W_DOMAIN_NAME_MISMATCH, 0, "other host");
    /* the CN is the SAN's name, but with SANs present it is not read */
    p = server_policy(CLOCK, "tlsdiff.test");
    r = run(chain, "root-ca", &p);
    expect_reject(&r, TD_X509_NAME_MISMATCH, W_DOMAIN_NAME_MISMATCH, 0, "parent domain");
    /* the iPAddress SAN 127.0.0.1 (RFC 6125 does not cover IP literals;
     * RFC 5280 4.2.1.6 gives the SAN form) */
    p = server_policy(CLOCK, "127.0.0.1");
    r = run(chain, "root-ca", &p);
    expect_accept(&r, "IP SAN");
    p = server_policy(CLOCK, "127.0.0.2");
    r = run(chain, "root-ca", &p);
    expect_reject(&r, TD_X509_NAME_MISMATCH, W_DOMAIN_NAME_MISMATCH, 0, "other IP");
}
END_TEST

/* A server certificate (EKU serverAuth only) presented by a client, and
 * the reverse. */
START_TEST(purpose)
{
    const char *server[] = {"server-p256", "intermediate-ca", NULL};
    const char *client[] = {"client-rsa2048", NULL};
    td_x509_policy as_client = client_policy(CLOCK);
    td_x509_policy as_server = server_policy(CLOCK, NULL);
    td_x509_wolfssl_result r;

    r = run(server, "root-ca", &as_client);
    expect_reject(&r, TD_X509_EKU, W_EXTKEYUSE_AUTH_E, 0, "server leaf for clientAuth");
    r = run(client, "client-ca", &as_server);
    expect_reject(&r, TD_X509_EKU, W_EXTKEYUSE_AUTH_E, 0, "client leaf for serverAuth");
}
END_TEST

/* TLS 1.2 static RSA: the client wants keyEncipherment (RFC 5246 7.4.2);
 * only server-rsa2048 has it. */
START_TEST(key_usage)
{
    const char *rsa[] = {"server-rsa2048", "intermediate-ca", NULL};
    const char *p256[] = {"server-p256", "intermediate-ca", NULL};
    td_x509_policy p = server_policy(CLOCK, HOST);
    td_x509_wolfssl_result r;

    p.key_encipherment = 1;
    r = run(rsa, "root-ca", &p);
    expect_accept(&r, "server-rsa2048 for static RSA");
    r = run(p256, "root-ca", &p);
    expect_reject(&r, TD_X509_LEAF_KEY_USAGE, W_KEYUSE_ENCIPHER_E, 0,
                  "digitalSignature-only leaf for static RSA");
}
END_TEST

/* ---- paths -------------------------------------------------------------- */

START_TEST(missing_intermediate)
{
    const char *chain[] = {"server-p384", NULL};
    td_x509_policy p = server_policy(CLOCK, HOST);
    td_x509_wolfssl_result r;

    r = run(chain, "root-ca", &p);
    expect_reject(&r, TD_X509_NO_PATH, W_ASN_NO_SIGNER_E, 0, "leaf alone");
}
END_TEST

START_TEST(wrong_anchor)
{
    const char *chain[] = {"server-rsa2048", "intermediate-ca", NULL};
    const char *client[] = {"client-p256", NULL};
    td_x509_policy p = server_policy(CLOCK, HOST), c = client_policy(CLOCK);
    td_x509_wolfssl_result r;

    /* the intermediate, walked first, has no known issuer */
    r = run(chain, "client-ca", &p);
    expect_reject(&r, TD_X509_NO_PATH, W_ASN_NO_SIGNER_E, 1, "server chain, client-ca");
    r = run(client, "root-ca", &c);
    expect_reject(&r, TD_X509_NO_PATH, W_ASN_NO_SIGNER_E, 0, "client leaf, root-ca");
    r = run(chain, "", &p);
    expect_reject(&r, TD_X509_NO_PATH, W_ASN_NO_SIGNER_E, 1, "no anchors");
}
END_TEST

/* wolfSSL walks from the last certificate towards chain[0]: the order
 * matters only through that walk. */
START_TEST(out_of_order)
{
    const char *swapped[] = {"intermediate-ca", "server-p256", NULL};
    const char *root_first[] = {"server-p256", "root-ca", "intermediate-ca", NULL};
    td_x509_policy p = server_policy(CLOCK, HOST);
    td_x509_wolfssl_result r;

    /* The leaf, sent last, is walked first as a chain certificate, before
     * its issuer is known: no signer. */
    r = run(swapped, "root-ca", &p);
    expect_reject(&r, TD_X509_NO_PATH, W_ASN_NO_SIGNER_E, 1, "intermediate first");
    /* The intermediate, sent last, is walked first and learnt; the root
     * is an anchor already; then the leaf verifies. */
    r = run(root_first, "root-ca", &p);
    expect_accept(&r, "leaf, root, intermediate");
}
END_TEST

/* One byte of a signatureValue changed (the last byte of the DER is the
 * last byte of the RSA signature: every certificate is signed
 * sha256WithRSAEncryption). */
START_TEST(bad_signature)
{
    static const char *const which[] = {"server-ed25519", "intermediate-ca"};
    size_t k;

    for (k = 0; k < 2; k++) {
        der leaf = load("server-ed25519"), inter = load("intermediate-ca"), root = load("root-ca");
        der *victim = k == 0 ? &leaf : &inter;
        td_span chain[2] = {span_of(leaf), span_of(inter)}, anchor = span_of(root);
        td_x509_policy p = server_policy(CLOCK, HOST);
        td_x509_wolfssl_result r;

        victim->p[victim->len - 1] ^= 0x01;
        ck_assert_int_eq(td_x509_wolfssl_verify(chain, 2, &anchor, 1, &p, &r), TD_OK);
        expect_reject(&r, TD_X509_BAD_SIGNATURE, W_ASN_SIG_CONFIRM_E, k, which[k]);
        free(leaf.p);
        free(inter.p);
        free(root.p);
    }
}
END_TEST

/* wolfSSL's TLS goes on after a failed leaf verification when a verify
 * callback is installed (the subject's is), and a later leaf check
 * replaces the code; without a callback the first failure stands. */
START_TEST(verify_callback_mode)
{
    const char *chain[] = {"server-p256", NULL};
    td_span leaf;
    der d = load("server-p256"), root = load("root-ca");
    td_span anchor = span_of(root);
    td_x509_policy p = server_policy(CLOCK, "other.tlsdiff.test");
    td_x509_wolfssl_opts no_cb = {TD_X509_WOLFSSL_KX_POLICY, 1};
    td_x509_wolfssl_result r;

    r = run(chain, "root-ca", &p);
    expect_reject(&r, TD_X509_NAME_MISMATCH, W_DOMAIN_NAME_MISMATCH, 0, "with callback");
    leaf = span_of(d);
    ck_assert_int_eq(td_x509_wolfssl_verify_opts(&leaf, 1, &anchor, 1, &p, &no_cb, &r), TD_OK);
    expect_reject(&r, TD_X509_NO_PATH, W_ASN_NO_SIGNER_E, 0, "without callback");
    free(d.p);
    free(root.p);
}
END_TEST

/* ---- edges -------------------------------------------------------------- */

START_TEST(empty_and_limits)
{
    der leaf = load("server-p256"), root = load("root-ca");
    td_span chain[TD_X509_WOLFSSL_MAX_CERTS + 1], anchor = span_of(root);
    td_x509_policy p = server_policy(CLOCK, HOST);
    td_x509_wolfssl_result r;
    size_t i;

    ck_assert_int_eq(td_x509_wolfssl_verify(NULL, 0, &anchor, 1, &p, &r), TD_OK);
    expect_reject(&r, TD_X509_EMPTY_CHAIN, W_NO_PEER_CERT, 0, "empty");
    for (i = 0; i < TD_X509_WOLFSSL_MAX_CERTS + 1; i++)
        chain[i] = span_of(leaf);
    ck_assert_int_eq(
        td_x509_wolfssl_verify(chain, TD_X509_WOLFSSL_MAX_CERTS + 1, &anchor, 1, &p, &r),
        TD_ERR_NOSPACE);
    /* a truncated leaf does not decode (and its error ends the walk) */
    chain[0].len = leaf.len / 2;
    ck_assert_int_eq(td_x509_wolfssl_verify(chain, 1, &anchor, 1, &p, &r), TD_OK);
    ck_assert(!r.accept);
    ck_assert_int_eq(r.reason, TD_X509_BAD_DER);
    ck_assert_uint_eq(r.cert, 0);
    /* an anchor that is not a certificate is skipped and reported */
    chain[0] = span_of(leaf);
    chain[1] = (td_span){leaf.p, 10};
    ck_assert_int_eq(td_x509_wolfssl_verify(chain, 1, chain + 1, 1, &p, &r), TD_OK);
    ck_assert_uint_eq(r.anchors_loaded, 0);
    ck_assert_int_ne(r.anchor_err, 0);
    ck_assert_int_eq(r.reason, TD_X509_NO_PATH);
    free(leaf.p);
    free(root.p);
}
END_TEST

/* wolfSSL reads at most MAX_CHAIN_DEPTH (9) certificates of a Certificate
 * message (src/internal.c ProcessPeerCerts). Padding a good chain with
 * copies of the root (an anchor, so each verifies): nine pass, ten are
 * refused as too long, about the first unread one. */
START_TEST(chain_length)
{
    const char *nine[] = {"server-p256", "intermediate-ca", "root-ca", "root-ca", "root-ca",
                          "root-ca",     "root-ca",         "root-ca", "root-ca", NULL};
    const char *ten[] = {"server-p256", "intermediate-ca", "root-ca", "root-ca",
                         "root-ca",     "root-ca",         "root-ca", "root-ca",
                         "root-ca",     "root-ca",         NULL};
    td_x509_policy p = server_policy(CLOCK, HOST);
    td_x509_wolfssl_result r;

    r = run(nine, "root-ca", &p);
    expect_accept(&r, "nine certificates");
    r = run(ten, "root-ca", &p);
    expect_reject(&r, TD_X509_PATH_TOO_LONG, W_MAX_CHAIN_ERROR, 9, "ten certificates");
}
END_TEST

START_TEST(deterministic)
{
    const char *chain[] = {"server-rsa2048", "intermediate-ca", NULL};
    td_x509_policy p = server_policy(NOT_AFTER + 1, HOST);
    td_x509_wolfssl_result a, b;

    a = run(chain, "root-ca", &p);
    b = run(chain, "root-ca", &p);
    ck_assert_int_eq(a.accept, b.accept);
    ck_assert_int_eq(a.err, b.err);
    ck_assert_str_eq(a.err_name, b.err_name);
    ck_assert_int_eq(a.reason, b.reason);
    ck_assert_uint_eq(a.cert, b.cert);
    ck_assert_int_eq(a.reason, TD_X509_EXPIRED);
}
END_TEST

START_TEST(reason_table)
{
    static const int known[] = {-150, -151, -155, -188, -322, -345, -385, -386};
    int e;
    size_t i;

    ck_assert_int_eq(td_x509_wolfssl_reason(0), TD_X509_OK);
    ck_assert_str_eq(td_x509_wolfssl_reason_doc(0), "accepted");
    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        ck_assert_int_ne(td_x509_wolfssl_reason(known[i]), TD_X509_BAD_DER);
    /* every code maps to a reason with a comment; unlisted ones to the
     * catch-all */
    for (e = -1; e > -600; e--) {
        td_x509_reason r = td_x509_wolfssl_reason(e);
        const char *doc = td_x509_wolfssl_reason_doc(e);
        ck_assert_int_gt(r, TD_X509_OK);
        ck_assert_int_lt(r, TD_X509_N_REASONS);
        ck_assert_ptr_nonnull(doc);
        ck_assert_int_gt(strlen(doc), 10);
    }
    ck_assert_int_eq(td_x509_wolfssl_reason(-1), TD_X509_BAD_DER);
}
END_TEST

Suite *td_x509_wolfssl_suite(void)
{
    Suite *s = suite_create("x509_wolfssl");
    TCase *t = tcase_create("valid");

    tcase_add_test(t, valid_server_chains);
    tcase_add_test(t, valid_client_chains);
    suite_add_tcase(s, t);
    t = tcase_create("clock");
    tcase_add_test(t, clock);
    tcase_add_test(t, clock_binding_restored);
    suite_add_tcase(s, t);
    t = tcase_create("names");
    tcase_add_test(t, wrong_host);
    tcase_add_test(t, purpose);
    tcase_add_test(t, key_usage);
    suite_add_tcase(s, t);
    t = tcase_create("paths");
    tcase_add_test(t, missing_intermediate);
    tcase_add_test(t, wrong_anchor);
    tcase_add_test(t, out_of_order);
    tcase_add_test(t, bad_signature);
    tcase_add_test(t, verify_callback_mode);
    suite_add_tcase(s, t);
    t = tcase_create("edges");
    tcase_add_test(t, empty_and_limits);
    tcase_add_test(t, chain_length);
    tcase_add_test(t, deterministic);
    tcase_add_test(t, reason_table);
    suite_add_tcase(s, t);
    return s;
}
