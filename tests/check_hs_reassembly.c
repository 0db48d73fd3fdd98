/*
 * td_hs_reasm: handshake reassembly across records, and the TLS 1.3
 * example traces of RFC 8448 walked record by record.
 *
 * Expected values come from the .vec files of vectors/tls13, extracted
 * from the RFC text by vectors/tls13/extract.py; test_vectors_fresh checks
 * that the committed files are still what extract.py makes of it.
 */
#include "td_vec.h" /* first: it selects POSIX for mkdtemp */

#include "td_record.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static td_hs_reasm reasm[2];
static uint8_t hsbuf[TD_MAX_HANDSHAKE_MSG + 8];

static const char *const vec_files[] = {
    "tls13/s3-1rtt.vec", "tls13/s4-0rtt.vec", "tls13/s5-hrr.vec",
    "tls13/s6-client-auth.vec", "tls13/s7-compat.vec",
};

static void vec_load(const char *rel, td_vec *v)
{
    td_err err = td_vec_load(rel, v);

    ck_assert_msg(err == TD_OK, "%s/%s: %s", td_vectors_dir(), rel,
                  td_err_name(err));
}

/* The nth entry with these columns; the test fails if there is none. */
static const td_vec_entry *vec_find(const td_vec *v, const char *side,
                                    const char *kind, const char *name,
                                    const char *field, int nth)
{
    const td_vec_entry *e = td_vec_find(v, side, kind, name, field, nth);

    ck_assert_msg(e != NULL, "no %s %s %s %s #%d in vectors",
                  side ? side : "*", kind ? kind : "*", name ? name : "*",
                  field ? field : "*", nth);
    return e;
}

static void ck_span_eq(td_span got, td_span want)
{
    ck_assert_uint_eq(got.len, want.len);
    if (want.len)
        ck_assert_mem_eq(got.p, want.p, want.len);
}

/* Feed one fragment; every message it completes must equal want. Returns
 * how many it completed. */
static size_t reasm_expect(td_hs_reasm *r, td_span frag, td_span want)
{
    size_t n = 0;
    int got = 1;

    ck_assert_int_eq(td_hs_reasm_feed(r, frag), TD_OK);
    for (;;) {
        td_handshake h;
        ck_assert_int_eq(td_hs_reasm_next(r, &h, &got), TD_OK);
        if (!got)
            return n;
        ck_span_eq(h.raw, want);
        ck_assert_uint_eq(h.body.len + 4, h.raw.len);
        n++;
    }
}

START_TEST(test_reasm_split)
{
    td_vec v;
    td_span m, a, b;
    size_t k;

    vec_load("tls13/s3-1rtt.vec", &v);
    m = td_vec_span(
        vec_find(&v, "server", "handshake", "certificate", "message", 0));
    ck_assert_uint_eq(m.len, 445); /* "Certificate (445 octets)" */
    /* in two records, split at every point */
    for (k = 0; k <= m.len; k++) {
        td_hs_reasm_init(&reasm[0]);
        a.p = m.p;
        a.len = k;
        b.p = m.p + k;
        b.len = m.len - k;
        ck_assert_uint_eq(reasm_expect(&reasm[0], a, m), k == m.len);
        if (k < m.len) {
            ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]),
                             k ? TD_ALERT_UNEXPECTED_MESSAGE : TD_OK);
            ck_assert_uint_eq(reasm_expect(&reasm[0], b, m), 1);
        }
        ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]), TD_OK);
    }
    /* one byte per record */
    td_hs_reasm_init(&reasm[0]);
    for (k = 0; k < m.len; k++) {
        a.p = m.p + k;
        a.len = 1;
        ck_assert_uint_eq(reasm_expect(&reasm[0], a, m), k + 1 == m.len);
    }
    td_vec_free(&v);
}
END_TEST

START_TEST(test_reasm_coalesced)
{
    static const char *const flight[] = {"encrypted_extensions",
                                         "certificate", "certificate_verify",
                                         "finished"};
    td_vec v;
    td_span payload, part;
    static const size_t chunks[] = {657, 100, 37, 7, 1};
    td_handshake h;
    size_t n, c, chunk, off;

    vec_load("tls13/s3-1rtt.vec", &v);
    /* the server's second handshake record: "payload (657 octets)" */
    payload = td_vec_span(
        vec_find(&v, "server", "record", "handshake", "payload", 1));
    ck_assert_uint_eq(payload.len, 657);
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        chunk = chunks[c];
        td_hs_reasm_init(&reasm[0]);
        for (off = 0, n = 0; off < payload.len; off += part.len) {
            part.p = payload.p + off;
            part.len = payload.len - off < chunk ? payload.len - off : chunk;
            /* compare each message before the next call reuses the buffer */
            ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], part), TD_OK);
            for (;;) {
                int got;
                ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got),
                                 TD_OK);
                if (!got)
                    break;
                ck_assert_uint_lt(n, 4);
                ck_span_eq(h.raw, td_vec_span(vec_find(
                                         &v, "server", "handshake", flight[n],
                                         "message", 0)));
                n++;
            }
        }
        ck_assert_uint_eq(n, 4);
        ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]), TD_OK);
    }
    td_vec_free(&v);
}
END_TEST

START_TEST(test_reasm_boundary)
{
    static const uint8_t two[] = {0x05, 0x00, 0x00, 0x00, 0x05, 0x00};
    td_span s = {two, sizeof two};
    td_handshake h;
    int got;

    td_hs_reasm_init(&reasm[0]);
    ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]), TD_OK);
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_OK);
    /* fed bytes not drained: a second feed is a caller bug */
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]),
                     TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_OK);
    ck_assert_int_eq(got, 1); /* EndOfEarlyData, empty body */
    ck_assert_uint_eq(h.msg_type, TD_HS_END_OF_EARLY_DATA);
    ck_assert_uint_eq(h.body.len, 0);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_OK);
    ck_assert_int_eq(got, 0);
    /* half a header left over: RFC 8446 5.1 */
    ck_assert_int_eq(td_hs_reasm_check_boundary(&reasm[0]),
                     TD_ALERT_UNEXPECTED_MESSAGE);
}
END_TEST

START_TEST(test_reasm_overflow)
{
    td_span s = {hsbuf, TD_MAX_HANDSHAKE_MSG};
    td_handshake h;
    int got = 7;
    uint32_t body = TD_MAX_HANDSHAKE_BODY;

    memset(hsbuf, 0x61, sizeof hsbuf);
    hsbuf[0] = TD_HS_CERTIFICATE;
    hsbuf[1] = (uint8_t)(body >> 16);
    hsbuf[2] = (uint8_t)(body >> 8);
    hsbuf[3] = (uint8_t)body;
    td_hs_reasm_init(&reasm[0]);
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_OK);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_OK);
    ck_assert_int_eq(got, 1);
    ck_assert_uint_eq(h.body.len, TD_MAX_HANDSHAKE_BODY);

    body++;
    hsbuf[1] = (uint8_t)(body >> 16);
    hsbuf[2] = (uint8_t)(body >> 8);
    hsbuf[3] = (uint8_t)body;
    s.len = 4;
    td_hs_reasm_init(&reasm[0]);
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_OK);
    got = 7;
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_ERR_NOSPACE);
    ck_assert_int_eq(got, 7);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_ERR_NOSPACE);
    /* the largest length a uint24 can say */
    hsbuf[1] = hsbuf[2] = hsbuf[3] = 0xff;
    td_hs_reasm_init(&reasm[0]);
    ck_assert_int_eq(td_hs_reasm_feed(&reasm[0], s), TD_OK);
    ck_assert_int_eq(td_hs_reasm_next(&reasm[0], &h, &got), TD_ERR_NOSPACE);
}
END_TEST

/* ------------------------------------------------------------ vectors */

/* Walk one trace: every record decodes and re-encodes byte for byte; the
 * handshake payloads of each side reassemble into exactly that side's
 * handshake messages, in order; alerts and CCS decode. */
START_TEST(test_vec_records)
{
    const td_record_mode m13 = {TD_RECORD_TLS13, TD_RECORD_PLAINTEXT};
    const td_record_mode m13p = {TD_RECORD_TLS13, TD_RECORD_PROTECTED};
    td_vec v;
    size_t i, plain = 0, want_next[2] = {0, 0};
    td_span payload = {NULL, 0};
    uint8_t out[2048];

    vec_load(vec_files[_i], &v);
    td_hs_reasm_init(&reasm[0]);
    td_hs_reasm_init(&reasm[1]);
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        int side = !strcmp(e->side, "server");
        td_rd rd;
        td_record rec;
        td_wr wr;
        td_span enc;

        if (strcmp(e->kind, "record"))
            continue;
        if (!strcmp(e->field, "payload")) {
            payload = td_vec_span(e);
            if (!strcmp(e->name, "handshake")) {
                td_hs_reasm *r = &reasm[side];
                int got = 1;
                ck_assert_int_eq(td_hs_reasm_feed(r, payload), TD_OK);
                while (got) {
                    td_handshake h;
                    const td_vec_entry *w;
                    ck_assert_int_eq(td_hs_reasm_next(r, &h, &got), TD_OK);
                    if (!got)
                        break;
                    w = vec_find(&v, e->side, "handshake", NULL, NULL,
                                 (int)want_next[side]++);
                    ck_assert_msg(w->line < e->line, "line %u", e->line);
                    if (!strcmp(w->field, "partial")) {
                        /* s4: the ClientHello shown before its binders */
                        ck_assert_uint_gt(h.raw.len, w->len);
                        ck_assert_mem_eq(h.raw.p, w->data, w->len);
                    } else {
                        ck_span_eq(h.raw, td_vec_span(w));
                    }
                }
                /* every trace record ends on a message boundary */
                ck_assert_int_eq(td_hs_reasm_check_boundary(r), TD_OK);
            } else if (!strcmp(e->name, "alert")) {
                td_alert a;
                ck_assert_int_eq(td_alert_decode(payload, &a), TD_OK);
                ck_assert_uint_eq(a.level, TD_ALERT_LEVEL_WARNING);
                ck_assert_uint_eq(a.description, TD_ALERT_CLOSE_NOTIFY);
            } else if (!strcmp(e->name, "change_cipher_spec")) {
                td_ccs c;
                ck_assert_int_eq(
                    td_ccs_decode(payload, TD_RECORD_TLS13, &c), TD_OK);
            }
            continue;
        }
        td_rd_init(&rd, e->data, e->len);
        if (!strcmp(e->field, "plaintext")) {
            plain++;
            ck_assert_int_eq(td_record_decode(&rd, m13, &rec), TD_OK);
            ck_span_eq(rec.fragment, payload);
        } else {
            ck_assert_str_eq(e->field, "protected");
            ck_assert_int_eq(td_record_decode(&rd, m13p, &rec), TD_OK);
            ck_assert_uint_eq(rec.type, TD_CT_APPLICATION_DATA);
            ck_assert_uint_eq(rec.legacy_record_version, 0x0303);
        }
        ck_assert_int_eq(td_rd_done(&rd), TD_OK);
        td_wr_init(&wr, out, sizeof out);
        ck_assert_int_eq(td_record_encode(&wr, rec.type == 23 ? m13p : m13,
                                          &rec),
                         TD_OK);
        ck_assert_int_eq(td_wr_finish(&wr, &enc), TD_OK);
        ck_span_eq(enc, td_vec_span(e));
    }
    /* every handshake message of the trace came out of a record */
    ck_assert_ptr_null(td_vec_find(&v, "client", "handshake", NULL, NULL,
                                   (int)want_next[0]));
    ck_assert_ptr_null(td_vec_find(&v, "server", "handshake", NULL, NULL,
                                   (int)want_next[1]));
    ck_assert_uint_ge(plain, 2); /* at least ClientHello and ServerHello */
    td_vec_free(&v);
}
END_TEST

/* The committed .vec files are what extract.py makes of the text now. */
START_TEST(test_vectors_fresh)
{
    static const char *const all[] = {
        "tls13/s2-keys.vec", "tls13/s3-1rtt.vec", "tls13/s4-0rtt.vec",
        "tls13/s5-hrr.vec", "tls13/s6-client-auth.vec", "tls13/s7-compat.vec",
    };
    const char *shared = getenv("TLSDIFF_SHARED");
    char text[4096];
    td_err err;

    if (shared && *shared)
        snprintf(text, sizeof text, "%s/rfc/tls13-traces.txt", shared);
    else /* <repo>/../shared */
        snprintf(text, sizeof text, "%s/../../shared/rfc/tls13-traces.txt",
                 td_vectors_dir());
    err = td_vec_check_fresh("tls13/extract.py", text, all,
                             sizeof all / sizeof all[0]);
    if (err == TD_ERR_NOT_FOUND)
        fprintf(stderr, "vectors_fresh: skipped, no %s or no python3\n", text);
    else
        ck_assert_msg(err == TD_OK, "tls13 vectors differ from extract.py's "
                      "output of %s: %s", text, td_err_name(err));
}
END_TEST

Suite *td_hs_reassembly_suite(void);

Suite *td_hs_reassembly_suite(void)
{
    Suite *s = suite_create("hs_reassembly");
    TCase *tc;

    tc = tcase_create("overflow");
    tcase_add_test(tc, test_reasm_overflow);
    suite_add_tcase(s, tc);

    tc = tcase_create("split");
    tcase_add_test(tc, test_reasm_split);
    tcase_add_test(tc, test_reasm_boundary);
    suite_add_tcase(s, tc);

    tc = tcase_create("coalesced");
    tcase_add_test(tc, test_reasm_coalesced);
    suite_add_tcase(s, tc);

    tc = tcase_create("roundtrip");
    tcase_add_loop_test(tc, test_vec_records, 0, 5);
    tcase_add_test(tc, test_vectors_fresh);
    suite_add_tcase(s, tc);
    return s;
}
