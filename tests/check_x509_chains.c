/*
 * The crafted chains of vectors/x509 (cases.list, written by gen.py with a
 * verdict and an RFC 5280 / 6125 / 8446 justification per case) through
 * the reference and through wolfSSL's certificate manager
 * (td_x509_wolfssl):
 *   - the reference must reach the expected verdict, and for a rejection
 *     one of the expected reasons: anything else fails the test;
 *   - every case where wolfSSL's outcome (verdict, and reason class for a
 *     rejection) differs from the reference's is a disagreement, printed
 *     one per line; it fails the test unless vectors/divergences records
 *     it (message "certificate", edit "case ID").
 * The summary line gives the counts.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_conn.h"
#include "td_divergence.h"
#include "td_profile.h"
#include "td_ref_config.h"
#include "td_testlib.h"
#include "td_world.h"
#include "td_x509.h"
#include "td_x509_wolfssl.h"

Suite *td_x509_chains_suite(void);

#define MAX_CASES 400

typedef struct x509_case {
    char id[96], expect[128], purpose[16], host[128], anchors[256];
    size_t line;
} x509_case;

static char *slurp(const char *rel)
{
    char path[1024];
    FILE *f;
    char *buf;
    long n;

    ck_assert_int_eq(td_vectors_path(rel, path, sizeof path), TD_OK);
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* cases.list: "ID EXPECT PURPOSE HOST ANCHORS | JUSTIFICATION" (the
 * separator is " | ": EXPECT may hold '|' between reasons) */
static size_t read_cases(x509_case *cases, size_t max)
{
    char *text = slurp("x509/cases.list"), *line, *save = NULL;
    size_t n = 0, no = 0;

    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        x509_case *c = &cases[n];
        char *bar = strstr(line, " | ");

        no++;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        ck_assert_msg(bar != NULL, "cases.list line %zu: no ' | '", no);
        *bar++ = '\0';
        ck_assert_msg(sscanf(line, "%95s %127s %15s %127s %255s", c->id, c->expect, c->purpose,
                             c->host, c->anchors) == 5,
                      "cases.list line %zu: five fields before '|'", no);
        ck_assert_msg(strlen(bar + 2) > 10, "cases.list line %zu: no justification", no);
        c->line = no;
        ck_assert_uint_lt(++n, max);
    }
    free(text);
    return n;
}

#define MAX_PEM 16 /* more than a td_cert_list holds: the limit cases */

typedef struct pem_list {
    td_cert_list one[MAX_PEM]; /* one certificate each */
    size_t n;
} pem_list;

/* Every CERTIFICATE block of a PEM file, one at a time through
 * td_pem_certs. */
static void load_pem(const char *rel, pem_list *out)
{
    static const char end[] = "-----END CERTIFICATE-----";
    char *text = slurp(rel), *p = text, *e;

    out->n = 0;
    while ((e = strstr(p, end)) != NULL) {
        char keep = e[sizeof end - 1];

        e[sizeof end - 1] = '\0';
        ck_assert_uint_lt(out->n, MAX_PEM);
        ck_assert_msg(td_pem_certs(p, &out->one[out->n]) == TD_OK && out->one[out->n].n == 1,
                      "%s: PEM certificate %zu", rel, out->n);
        out->n++;
        e[sizeof end - 1] = keep;
        p = e + sizeof end - 1;
    }
    ck_assert_msg(out->n > 0, "%s: no certificate", rel);
    free(text);
}

static td_span pem_at(const pem_list *l, size_t i)
{
    return (td_span){l->one[i].der[0], l->one[i].len[0]};
}

/* "accept" or "reject:REASON" */
static void outcome(int accept, td_x509_reason r, char *buf, size_t cap)
{
    if (accept)
        snprintf(buf, cap, "accept");
    else
        snprintf(buf, cap, "reject:%s", td_x509_reason_name(r));
}

/* Is the reference's outcome one the case allows ("reject:A|B")? */
static int expected(const char *expect, const char *got)
{
    const char *alts;
    size_t n;

    if (strcmp(expect, "accept") == 0 || strcmp(got, "accept") == 0)
        return strcmp(expect, got) == 0;
    if (strncmp(expect, "reject:", 7) != 0)
        return 0;
    alts = expect + 7;
    got += 7;
    n = strlen(got);
    while (*alts) {
        const char *bar = strchr(alts, '|');
        size_t len = bar ? (size_t)(bar - alts) : strlen(alts);

        if (len == n && strncmp(alts, got, n) == 0)
            return 1;
        alts += len + (bar ? 1 : 0);
    }
    return 0;
}

START_TEST(test_crafted_chains)
{
    static x509_case cases[MAX_CASES];
    static pem_list chain, anchors, one;
    static td_x509_work work;
    static td_divergences div;
    char why[512], path[1024];
    size_t n, i, ref_ok = 0, agree = 0, known = 0, fresh = 0, accepts = 0;
    size_t ref_wrong = 0;

    n = read_cases(cases, MAX_CASES);
    ck_assert_int_eq(td_vectors_path("divergences", path, sizeof path), TD_OK);
    ck_assert_msg(td_divergences_load(path, &div, why, sizeof why) == TD_OK, "%s", why);
    for (i = 0; i < n; i++) {
        const x509_case *c = &cases[i];
        td_span certs[MAX_PEM], roots[MAX_PEM];
        td_x509_policy pol;
        td_x509_result res;
        td_x509_wolfssl_result wres;
        td_x509_reason r;
        char rel[256], list[256], *tok, *save = NULL, ref_out[64], wolf_out[64], edit[128];
        size_t k;

        snprintf(rel, sizeof rel, "x509/chains/%s.pem", c->id);
        load_pem(rel, &chain);
        anchors.n = 0;
        snprintf(list, sizeof list, "%s", c->anchors);
        for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            snprintf(rel, sizeof rel, "x509/anchors/%s.pem", tok);
            load_pem(rel, &one);
            ck_assert_uint_eq(one.n, 1);
            ck_assert_uint_lt(anchors.n, MAX_PEM);
            anchors.one[anchors.n++] = one.one[0];
        }
        for (k = 0; k < chain.n; k++)
            certs[k] = pem_at(&chain, k);
        for (k = 0; k < anchors.n; k++)
            roots[k] = pem_at(&anchors, k);
        memset(&pol, 0, sizeof pol);
        pol.now = TD_CLOCK_DEFAULT;
        pol.purpose = strcmp(c->purpose, "client") == 0 ? TD_X509_PURPOSE_CLIENT
                                                        : TD_X509_PURPOSE_SERVER;
        pol.host = strcmp(c->host, "-") == 0 ? NULL : c->host;
        r = td_x509_verify(certs, chain.n, roots, anchors.n, &pol, &work, &res);
        outcome(r == TD_X509_OK, r, ref_out, sizeof ref_out);
        accepts += r == TD_X509_OK;
        if (expected(c->expect, ref_out)) {
            ref_ok++;
        } else {
            ref_wrong++;
            printf("x509_chains: REFERENCE %s: expected %s, got %s (%s)\n", c->id, c->expect,
                   ref_out, res.detail);
        }
        ck_assert_int_eq(td_x509_wolfssl_verify(certs, chain.n, roots, anchors.n, &pol, &wres),
                         TD_OK);
        outcome(wres.accept, wres.reason, wolf_out, sizeof wolf_out);
        if (strcmp(ref_out, wolf_out) == 0) {
            agree++;
            continue;
        }
        snprintf(edit, sizeof edit, "case %s", c->id);
        if (td_divergences_match(&div, "certificate", edit, ref_out, wolf_out)) {
            known++;
            printf("x509_chains: known   %-36s reference %-28s wolfSSL %s (%s)\n", c->id,
                   ref_out, wolf_out, wres.err_name);
        } else {
            fresh++;
            printf("x509_chains: NEW     %-36s reference %-28s wolfSSL %s (%s)\n", c->id,
                   ref_out, wolf_out, wres.err_name);
        }
    }
    printf("x509_chains: %zu cases (%zu accept), reference as expected in %zu; wolfSSL agrees "
           "in %zu, known divergences %zu, new %zu\n",
           n, accepts, ref_ok, agree, known, fresh);
    fflush(stdout);
    ck_assert_uint_ge(n, 80);
    ck_assert_msg(ref_wrong == 0, "the reference missed %zu expected verdicts (above)",
                  ref_wrong);
    ck_assert_msg(fresh == 0, "%zu disagreements are not in vectors/divergences (above)",
                  fresh);
}
END_TEST

Suite *td_x509_chains_suite(void)
{
    Suite *s = suite_create("x509_chains");
    TCase *tc = tcase_create("crafted");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_crafted_chains);
    suite_add_tcase(s, tc);
    return s;
}
