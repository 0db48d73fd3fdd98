/*
 * The single checks of path validation (td_x509_check.h) on hand-built
 * inputs, and td_x509_verify on the test PKI (vectors/pki, properties in
 * its README.md: root-ca -> intermediate-ca (pathLen 0) -> server-*,
 * validity 2025-01-01..2036-01-01, SAN server.tlsdiff.test, localhost,
 * 127.0.0.1, EKU serverAuth; client-ca -> client-*, EKU clientAuth, no
 * SAN; server-rsa2048 keyUsage digitalSignature + keyEncipherment, the
 * EC and Ed25519 leaves digitalSignature only).
 *
 * Expected values: RFC 6125 6.4.3 and its examples for wildcards, RFC
 * 5280 4.2.1.10 for name constraints (its example: "host.example.com"
 * satisfies "example.com", "host1.example.com" does not satisfy
 * ".host.example.com"... written out case by case below), RFC 4291 2.2
 * for IPv6 text forms.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_conn.h"
#include "td_profile.h"
#include "td_ref_config.h"
#include "td_world.h"
#include "td_x509_check.h"

Suite *td_x509_verify_suite(void);

static td_span str(const char *s) { return (td_span){(const uint8_t *)s, strlen(s)}; }

/* ---- RFC 6125 host matching --------------------------------------------- */

START_TEST(test_dns_match)
{
    static const struct {
        const char *presented, *host;
        int match;
    } cases[] = {
        {"server.tlsdiff.test", "server.tlsdiff.test", 1},
        {"SERVER.TlsDiff.test", "server.tlsdiff.TEST", 1}, /* 6.4.1: case-insensitive */
        /* the host's absolute form; a dNSName has no trailing dot (RFC
         * 5280 4.2.1.6 preferred name syntax) */
        {"server.tlsdiff.test", "server.tlsdiff.test.", 1},
        {"server.tlsdiff.test.", "server.tlsdiff.test", 0},
        {"server.tlsdiff.test.", "server.tlsdiff.test.", 0},
        {"server.tlsdiff.test", "other.tlsdiff.test", 0},
        {"server.tlsdiff.test", "server.tlsdiff.test.evil", 0},
        {"tlsdiff.test", "server.tlsdiff.test", 0},
        /* 6.4.3: the wildcard is the whole left-most label, one label */
        {"*.tlsdiff.test", "server.tlsdiff.test", 1},
        {"*.tlsdiff.test", "a.b.tlsdiff.test", 0},
        {"*.tlsdiff.test", "tlsdiff.test", 0},
        {"*.tlsdiff.test", ".tlsdiff.test", 0},
        {"f*.tlsdiff.test", "foo.tlsdiff.test", 0}, /* partial: refused here */
        {"*o.tlsdiff.test", "foo.tlsdiff.test", 0},
        {"a.*.tlsdiff.test", "a.b.tlsdiff.test", 0}, /* not left-most */
        {"*.*.test", "a.b.test", 0},
        {"*.test", "tlsdiff.test", 0}, /* one label after it: the public-suffix rule */
        {"*", "localhost", 0},
        {"*.co.uk", "example.co.uk", 1}, /* two labels pass: no suffix list */
        {"server.tlsdiff.test", "*.tlsdiff.test", 0}, /* a host is never a pattern */
        {"", "server.tlsdiff.test", 0},
    };
    static const uint8_t with_nul[] = "server.tlsdiff.test\0.evil.example";
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(td_x509_dns_match(str(cases[i].presented), cases[i].host) ==
                          cases[i].match,
                      "%s vs %s: expected %d", cases[i].presented, cases[i].host,
                      cases[i].match);
    /* an embedded NUL never matches either name */
    ck_assert(!td_x509_dns_match((td_span){with_nul, sizeof with_nul - 1}, "server.tlsdiff.test"));
    ck_assert(!td_x509_dns_match((td_span){with_nul, sizeof with_nul - 1},
                                 "server.tlsdiff.test.evil.example"));
}
END_TEST

START_TEST(test_ip_parse)
{
    static const struct {
        const char *text;
        size_t len;
        uint8_t ip[16];
    } good[] = {
        {"127.0.0.1", 4, {127, 0, 0, 1}},
        {"255.255.255.255", 4, {255, 255, 255, 255}},
        {"::1", 16, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
        {"2001:db8::8:800:200c:417a", 16, /* RFC 4291 2.2 */
         {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0x08, 0x08, 0x00, 0x20, 0x0c, 0x41, 0x7a}},
        {"2001:DB8:0:0:8:800:200C:417A", 16,
         {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0x08, 0x08, 0x00, 0x20, 0x0c, 0x41, 0x7a}},
        {"::", 16, {0}},
        {"fe80::", 16, {0xfe, 0x80}},
    };
    static const char *const bad[] = {
        "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ", "server.tlsdiff.test",
        ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "g::1", "1:", "",
    };
    uint8_t ip[16];
    size_t i, len;

    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        ck_assert_msg(td_x509_ip_parse(good[i].text, ip, &len), "%s", good[i].text);
        ck_assert_uint_eq(len, good[i].len);
        ck_assert_mem_eq(ip, good[i].ip, len);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!td_x509_ip_parse(bad[i], ip, &len), "%s parsed", bad[i]);
}
END_TEST

/* ---- host and name constraints on hand-built certificates --------------- */

static void san(td_x509_cert *c, uint8_t type, const void *v, size_t n)
{
    c->has_san = 1;
    c->san[c->n_san].type = type;
    c->san[c->n_san].value = (td_span){(const uint8_t *)v, n};
    c->n_san++;
}

START_TEST(test_check_host)
{
    static td_x509_cert c;
    static const uint8_t lo[4] = {127, 0, 0, 1}, v6[16] = {[15] = 1};

    memset(&c, 0, sizeof c);
    c.subject.cn = str("server.tlsdiff.test");
    /* no SAN at all: the CN (RFC 6125 6.4.4) */
    ck_assert_int_eq(td_x509_check_host(&c, "server.tlsdiff.test"), TD_X509_OK);
    ck_assert_int_eq(td_x509_check_host(&c, "other.tlsdiff.test"), TD_X509_NAME_MISMATCH);
    ck_assert_int_eq(td_x509_check_host(&c, "127.0.0.1"), TD_X509_NAME_MISMATCH);
    /* any SAN turns the CN off, even one of another type */
    san(&c, TD_X509_GN_IP, lo, 4);
    ck_assert_int_eq(td_x509_check_host(&c, "server.tlsdiff.test"), TD_X509_NAME_MISMATCH);
    ck_assert_int_eq(td_x509_check_host(&c, "127.0.0.1"), TD_X509_OK);
    ck_assert_int_eq(td_x509_check_host(&c, "127.0.0.2"), TD_X509_NAME_MISMATCH);
    ck_assert_int_eq(td_x509_check_host(&c, "::1"), TD_X509_NAME_MISMATCH);
    san(&c, TD_X509_GN_IP, v6, 16);
    ck_assert_int_eq(td_x509_check_host(&c, "::1"), TD_X509_OK);
    san(&c, TD_X509_GN_DNS, "*.tlsdiff.test", 14);
    ck_assert_int_eq(td_x509_check_host(&c, "server.tlsdiff.test"), TD_X509_OK);
    /* an IP literal is never a DNS name: "127.0.0.1" as a dNSName */
    memset(&c, 0, sizeof c);
    san(&c, TD_X509_GN_DNS, "127.0.0.1", 9);
    ck_assert_int_eq(td_x509_check_host(&c, "127.0.0.1"), TD_X509_NAME_MISMATCH);
}
END_TEST

static void subtree(td_x509_gname *list, size_t *n, uint8_t type, const void *v, size_t len)
{
    list[*n].type = type;
    list[*n].value = (td_span){(const uint8_t *)v, len};
    (*n)++;
}

START_TEST(test_name_constraints)
{
    static td_x509_cert ca, leaf;
    /* 10.0.0.0/8 (RFC 5280 4.2.1.10: address then mask) */
    static const uint8_t net10[8] = {10, 0, 0, 0, 255, 0, 0, 0}, ip_in[4] = {10, 1, 2, 3},
                         ip_out[4] = {192, 168, 0, 1};

    memset(&ca, 0, sizeof ca);
    ca.has_name_constraints = 1;
    subtree(ca.permitted, &ca.n_permitted, TD_X509_GN_DNS, "tlsdiff.test", 12);
    memset(&leaf, 0, sizeof leaf);
    san(&leaf, TD_X509_GN_DNS, "server.tlsdiff.test", 19);
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_OK);
    san(&leaf, TD_X509_GN_DNS, "tlsdiff.test", 12); /* zero labels added */
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_OK);
    san(&leaf, TD_X509_GN_DNS, "eviltlsdiff.test", 16); /* not a label boundary */
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_NAME_CONSTRAINTS);
    /* the CN of a leaf without SAN is checked as a DNS name */
    memset(&leaf, 0, sizeof leaf);
    leaf.subject.cn = str("server.example.com");
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_NAME_CONSTRAINTS);
    leaf.subject.cn = str("server.tlsdiff.test");
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_OK);
    /* a CA's CN is a name, not a host */
    leaf.subject.cn = str("tlsdiff Test Intermediate CA");
    leaf.has_basic_constraints = leaf.ca = 1;
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_OK);
    /* a leading dot: below the domain only */
    memset(&ca, 0, sizeof ca);
    ca.has_name_constraints = 1;
    subtree(ca.permitted, &ca.n_permitted, TD_X509_GN_DNS, ".tlsdiff.test", 13);
    memset(&leaf, 0, sizeof leaf);
    san(&leaf, TD_X509_GN_DNS, "tlsdiff.test", 12);
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_NAME_CONSTRAINTS);
    /* excluded wins over permitted */
    memset(&ca, 0, sizeof ca);
    ca.has_name_constraints = 1;
    subtree(ca.permitted, &ca.n_permitted, TD_X509_GN_DNS, "tlsdiff.test", 12);
    subtree(ca.excluded, &ca.n_excluded, TD_X509_GN_DNS, "bad.tlsdiff.test", 16);
    memset(&leaf, 0, sizeof leaf);
    san(&leaf, TD_X509_GN_DNS, "x.bad.tlsdiff.test", 18);
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_NAME_CONSTRAINTS);
    /* a DNS constraint says nothing about IP addresses, and back */
    memset(&leaf, 0, sizeof leaf);
    san(&leaf, TD_X509_GN_IP, ip_out, 4);
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_OK);
    subtree(ca.permitted, &ca.n_permitted, TD_X509_GN_IP, net10, 8);
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_NAME_CONSTRAINTS);
    memset(&leaf, 0, sizeof leaf);
    san(&leaf, TD_X509_GN_IP, ip_in, 4);
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_OK);
    /* a form the reference does not evaluate, present below: reject */
    memset(&ca, 0, sizeof ca);
    ca.has_name_constraints = 1;
    subtree(ca.permitted, &ca.n_permitted, TD_X509_GN_URI, "https://tlsdiff.test", 20);
    memset(&leaf, 0, sizeof leaf);
    san(&leaf, TD_X509_GN_DNS, "server.tlsdiff.test", 19);
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_OK);
    san(&leaf, TD_X509_GN_URI, "https://server.tlsdiff.test/", 28);
    ck_assert_int_eq(td_x509_check_name_constraints(&ca, &leaf), TD_X509_NAME_CONSTRAINTS);
}
END_TEST

/* ---- td_x509_verify on the test PKI -------------------------------------- */

typedef struct pki_run {
    td_cert_list chain, anchors;
} pki_run;

static void load(const char *rel, td_cert_list *out, int append)
{
    char path[1024], *text;
    FILE *f;
    long n;

    ck_assert_int_eq(td_vectors_path(rel, path, sizeof path), TD_OK);
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    if (!append) {
        ck_assert_int_eq(td_pem_certs(text, out), TD_OK);
    } else {
        static td_cert_list more; /* td_pem_certs fills a list from 0 */
        size_t i;

        ck_assert_int_eq(td_pem_certs(text, &more), TD_OK);
        for (i = 0; i < more.n; i++) {
            ck_assert_uint_lt(out->n, TD_CONN_MAX_CERTS);
            memcpy(out->der[out->n], more.der[i], more.len[i]);
            out->len[out->n++] = more.len[i];
        }
    }
    free(text);
}

static td_x509_reason run(const pki_run *r, int64_t now, td_x509_purpose purpose,
                          const char *host, int key_encipherment, td_x509_result *res)
{
    static td_x509_work work;
    td_span c[TD_CONN_MAX_CERTS], a[TD_CONN_MAX_CERTS];
    td_x509_policy p;
    size_t i;

    for (i = 0; i < r->chain.n; i++)
        c[i] = (td_span){r->chain.der[i], r->chain.len[i]};
    for (i = 0; i < r->anchors.n; i++)
        a[i] = (td_span){r->anchors.der[i], r->anchors.len[i]};
    memset(&p, 0, sizeof p);
    p.now = now;
    p.purpose = purpose;
    p.host = host;
    p.key_encipherment = key_encipherment;
    return td_x509_verify(c, r->chain.n, a, r->anchors.n, &p, &work, res);
}

START_TEST(test_verify_pki)
{
    static pki_run r;
    static const char *const servers[] = {"server-rsa2048", "server-p256", "server-p384",
                                          "server-ed25519"};
    /* 2036-01-01T00:00:00Z and one second later; 2025-01-01 minus one */
    const int64_t not_after = INT64_C(2082758400), not_before = INT64_C(1735689600);
    td_x509_result res;
    char rel[128];
    size_t i;

    load("pki/root-ca.crt.pem", &r.anchors, 0);
    for (i = 0; i < sizeof servers / sizeof servers[0]; i++) {
        snprintf(rel, sizeof rel, "pki/%s.chain.pem", servers[i]);
        load(rel, &r.chain, 0);
        ck_assert_uint_eq(r.chain.n, 2);
        ck_assert_msg(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, "server.tlsdiff.test",
                          0, &res) == TD_X509_OK,
                      "%s: %s", servers[i], res.detail);
        ck_assert_uint_eq(res.path_len, 3);
        ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, "LOCALHOST", 0, &res),
                         TD_X509_OK);
        ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, "127.0.0.1", 0, &res),
                         TD_X509_OK);
        ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, "client.tlsdiff.test",
                             0, &res),
                         TD_X509_NAME_MISMATCH);
        /* RFC 5280 4.1.2.5: both ends inclusive */
        ck_assert_int_eq(run(&r, not_after, TD_X509_PURPOSE_SERVER, NULL, 0, &res), TD_X509_OK);
        ck_assert_int_eq(run(&r, not_after + 1, TD_X509_PURPOSE_SERVER, NULL, 0, &res),
                         TD_X509_EXPIRED);
        ck_assert_int_eq(run(&r, not_before, TD_X509_PURPOSE_SERVER, NULL, 0, &res), TD_X509_OK);
        ck_assert_int_eq(run(&r, not_before - 1, TD_X509_PURPOSE_SERVER, NULL, 0, &res),
                         TD_X509_NOT_YET_VALID);
        /* EKU serverAuth only */
        ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_CLIENT, NULL, 0, &res),
                         TD_X509_EKU);
        /* keyEncipherment: only the RSA leaf has it */
        ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, NULL, 1, &res),
                         i == 0 ? TD_X509_OK : TD_X509_LEAF_KEY_USAGE);
        /* the leaf alone: no path to the root */
        r.chain.n = 1;
        ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, NULL, 0, &res),
                         TD_X509_NO_PATH);
    }
    /* out of order with an unrelated certificate: intermediate, a client
     * certificate, then the leaf last is not how chains go, but RFC 8446
     * 4.4.2 lets the leaf's issuers come in any order after it */
    load("pki/server-p256.crt.pem", &r.chain, 0);
    load("pki/client-p256.crt.pem", &r.chain, 1);
    load("pki/intermediate-ca.crt.pem", &r.chain, 1);
    ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, "server.tlsdiff.test", 0,
                         &res),
                     TD_X509_OK);
    ck_assert_uint_eq(res.path[1], 2);
    /* a client chain against the server root: no path */
    load("pki/client-p256.chain.pem", &r.chain, 0);
    ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_CLIENT, NULL, 0, &res),
                     TD_X509_NO_PATH);
    load("pki/client-ca.crt.pem", &r.anchors, 0);
    ck_assert_msg(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_CLIENT, NULL, 0, &res) == TD_X509_OK,
                  "%s", res.detail);
    ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, NULL, 0, &res),
                     TD_X509_EKU);
    /* a flipped bit in the leaf's signature */
    load("pki/server-rsa2048.chain.pem", &r.chain, 0);
    load("pki/root-ca.crt.pem", &r.anchors, 0);
    r.chain.der[0][r.chain.len[0] - 1] ^= 0x01;
    ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, NULL, 0, &res),
                     TD_X509_BAD_SIGNATURE);
    ck_assert_int_eq(td_x509_reason_alert(TD_X509_BAD_SIGNATURE), TD_ALERT_BAD_CERTIFICATE);
    ck_assert_int_eq(td_x509_reason_alert(TD_X509_NO_PATH), TD_ALERT_UNKNOWN_CA);
    ck_assert_int_eq(td_x509_reason_alert(TD_X509_EXPIRED), TD_ALERT_CERTIFICATE_EXPIRED);
    ck_assert_int_eq(td_x509_reason_alert(TD_X509_UNKNOWN_CRITICAL),
                     TD_ALERT_UNSUPPORTED_CERTIFICATE);
}
END_TEST

/* The intermediate's pathLenConstraint 0 (vectors/pki) forbids another CA
 * below it: the root-issued intermediate presented as the issuer of a
 * second intermediate. Built from the PKI: the server leaf's chain with
 * the intermediate used twice is a loop the builder must not take; the
 * path is still leaf -> intermediate -> root. */
START_TEST(test_verify_no_loops)
{
    static pki_run r;
    td_x509_result res;

    load("pki/root-ca.crt.pem", &r.anchors, 0);
    load("pki/server-p256.chain.pem", &r.chain, 0);
    load("pki/intermediate-ca.crt.pem", &r.chain, 1);
    load("pki/intermediate-ca.crt.pem", &r.chain, 1);
    ck_assert_int_eq(run(&r, TD_CLOCK_DEFAULT, TD_X509_PURPOSE_SERVER, NULL, 0, &res),
                     TD_X509_OK);
    ck_assert_uint_eq(res.path_len, 3);
}
END_TEST

Suite *td_x509_verify_suite(void)
{
    Suite *s = suite_create("x509_verify");
    TCase *tc = tcase_create("checks");

    tcase_add_test(tc, test_dns_match);
    tcase_add_test(tc, test_ip_parse);
    tcase_add_test(tc, test_check_host);
    tcase_add_test(tc, test_name_constraints);
    tcase_add_test(tc, test_verify_pki);
    tcase_add_test(tc, test_verify_no_loops);
    suite_add_tcase(s, tc);
    return s;
}
