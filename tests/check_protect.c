/*
 * td_protect: record protection (RFC 8446 5.2-5.4; RFC 5246 6.2.3.3,
 * RFC 5288 3, RFC 7905 2).
 *
 * Expected values:
 *   - TLS 1.3: every protected record of the example traces
 *     (vectors/tls13/s3..s7, RFC 8448 text), sealed from its payload and
 *     opened back, with the write keys and ivs the traces derive;
 *   - TLS 1.2: three OpenSSL 3.0.19 connections captured on the wire
 *     (below: the records, randoms and master secrets), and the Finished
 *     records of the vectors/tls12 .vec files, whose record headers OpenSSL
 *     printed (their ciphertext is not in those files);
 *   - limits and alerts from the RFC clauses named at each check.
 */
#include "td_vec.h" /* first: it selects POSIX */

#include "td_crypto.h"
#include "td_protect.h"
#include "td_record.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t wbuf[TD_MAX_CIPHERTEXT12_LEN + 64];
static uint8_t pbuf[TD_MAX_CIPHERTEXT12_LEN + 64];
static uint8_t rbuf[TD_MAX_CIPHERTEXT12_LEN + 64];
static uint8_t ibuf[TD_MAX_CIPHERTEXT12_LEN + 64];
static uint8_t untouched[sizeof pbuf]; /* all 0xee, set by open_fails */

static void ck_span_eq(td_span got, td_span want)
{
    ck_assert_uint_eq(got.len, want.len);
    if (want.len)
        ck_assert_mem_eq(got.p, want.p, want.len);
}

static td_span span(const uint8_t *p, size_t len)
{
    td_span s = {p, len};
    return s;
}

static size_t hex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = strlen(h) / 2, i;

    ck_assert_uint_eq(strlen(h) % 2, 0);
    ck_assert_uint_le(n, cap);
    for (i = 0; i < n; i++) {
        int hi = td_vec_hexval(h[2 * i]), lo = td_vec_hexval(h[2 * i + 1]);
        ck_assert(hi >= 0 && lo >= 0);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return n;
}

static void install(td_protect *st, td_record_version v, td_aead_alg alg,
                    td_span key, td_span iv)
{
    ck_assert_int_eq(td_protect_install(st, v, alg, key, iv), TD_OK);
}

/* After a record: the next sequence number, or, after 2^64-1, none
 * (RFC 8446 5.3, RFC 5246 6.1: no wrap). */
static void seq_moved(const td_protect *st, uint64_t before)
{
    if (before == UINT64_MAX) {
        ck_assert_uint_eq(st->seq, UINT64_MAX);
        ck_assert_int_eq(st->seq_exhausted, 1);
    } else {
        ck_assert_uint_eq(st->seq, before + 1);
        ck_assert_int_eq(st->seq_exhausted, 0);
    }
}

/* Seal and compare with the record on the wire. */
static void seal_eq(td_protect *st, uint8_t type, td_span content,
                    td_span want, const char *what)
{
    uint64_t seq = st->seq;
    td_span got;
    td_wr wr;
    td_err err;

    td_wr_init(&wr, wbuf, sizeof wbuf);
    err = td_protect_seal(st, type, content, 0, &wr);
    ck_assert_msg(err == TD_OK, "%s: seal: %s", what, td_err_name(err));
    ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
    ck_assert_msg(got.len == want.len && !memcmp(got.p, want.p, want.len),
                  "%s: sealed record differs", what);
    seq_moved(st, seq);
}

/* Open a whole record and compare the type and content. */
static void open_eq(td_protect *st, td_span rec, uint8_t type, td_span want,
                    const char *what)
{
    uint64_t seq = st->seq;
    td_protect_plain p;
    td_rd rd;
    td_err err;

    td_rd_init_span(&rd, rec);
    err = td_protect_open(st, &rd, pbuf, sizeof pbuf, &p);
    ck_assert_msg(err == TD_OK, "%s: open: %s", what, td_err_name(err));
    ck_assert_int_eq(td_rd_done(&rd), TD_OK);
    ck_assert_uint_eq(p.type, type);
    ck_span_eq(p.content, want);
    ck_assert_uint_eq(p.length_of_padding, 0);
    if (want.len)
        ck_assert_ptr_eq(p.content.p, pbuf);
    seq_moved(st, seq);
}

/* A failed open: err as expected, and nothing moved (rd, the caller's
 * buffer, *out, the state). */
static void open_fails(const td_protect *st0, td_span rec, td_err want,
                       const char *what, size_t at)
{
    td_protect st;
    td_protect_plain p, p0;
    td_rd rd;
    td_err err;

    memcpy(&st, st0, sizeof st); /* a snapshot: padding bytes included */
    memset(&p0, 0xee, sizeof p0);
    p = p0;
    memset(pbuf, 0xee, sizeof pbuf);
    memset(untouched, 0xee, sizeof untouched);
    td_rd_init_span(&rd, rec);
    err = td_protect_open(&st, &rd, pbuf, sizeof pbuf, &p);
    ck_assert_msg(err == want, "%s (at %zu): got %s, want %s", what, at,
                  td_err_name(err), td_err_name(want));
    ck_assert_uint_eq(rd.off, 0);
    ck_assert_mem_eq(&p, &p0, sizeof p);
    ck_assert_mem_eq(&st, st0, sizeof st);
    ck_assert_msg(!memcmp(pbuf, untouched, sizeof pbuf),
                  "%s: buffer written", what);
}

/* ---------------------------------------------------------------------
 * TLS 1.3: the example traces
 * --------------------------------------------------------------------- */

static const char *const trace_files[] = {
    "tls13/s3-1rtt.vec", "tls13/s4-0rtt.vec", "tls13/s5-hrr.vec",
    "tls13/s6-client-auth.vec", "tls13/s7-compat.vec",
};
/* Protected records per trace, counted by hand in the text: s3 EE..Fin,
 * client Finished, NewSessionTicket, 2 application data, 2 alerts; s4 the
 * same without a ticket plus 0-RTT data and EndOfEarlyData; s5, s6, s7
 * server flight, client flight, 2 alerts. */
static const size_t trace_records[] = {7, 8, 4, 4, 4};

typedef struct dir {
    td_protect seal, open;
    int have;
} dir;

static uint8_t content_type(const char *name)
{
    if (!strcmp(name, "handshake"))
        return TD_CT_HANDSHAKE;
    if (!strcmp(name, "alert"))
        return TD_CT_ALERT;
    ck_assert_str_eq(name, "application_data");
    return TD_CT_APPLICATION_DATA;
}

static int has_prefix(const char *s, const char *p)
{
    return !strncmp(s, p, strlen(p));
}

/* Walk one trace in order. "derive write traffic keys" of a side is that
 * side's new write key; "derive read traffic keys" of a side is the other
 * side's (RFC 8446 7.3). Each key starts at sequence number 0 (RFC 8446
 * 5.3); the same key derived again by the peer changes nothing. Returns
 * how many protected records were checked. */
static size_t walk_trace(const char *rel, dir d[2])
{
    const td_vec_entry *key = NULL;
    size_t i, checked = 0;
    td_vec v;
    td_err err = td_vec_load(rel, &v);

    ck_assert_msg(err == TD_OK, "%s: %s", rel, td_err_name(err));
    memset(d, 0, 2 * sizeof d[0]);
    for (i = 0; i < v.n; i++) {
        const td_vec_entry *e = &v.e[i];
        int side = !strcmp(e->side, "server");

        if (!strcmp(e->kind, "kdf") && !strcmp(e->field, "key_expanded") &&
            has_prefix(e->name, "derive_")) {
            key = e;
        } else if (!strcmp(e->kind, "kdf") &&
                   !strcmp(e->field, "iv_expanded") &&
                   has_prefix(e->name, "derive_")) {
            int wr = has_prefix(e->name, "derive_write_traffic_keys");
            dir *t = &d[wr ? side : !side];

            ck_assert(wr || has_prefix(e->name, "derive_read_traffic_keys"));
            ck_assert_msg(key && !strcmp(key->name, e->name) &&
                              !strcmp(key->side, e->side),
                          "%s line %u: iv without key", rel, e->line);
            /* TLS_AES_128_GCM_SHA256 in every trace */
            ck_assert_uint_eq(key->len, 16);
            ck_assert_uint_eq(e->len, 12);
            if (!t->have || memcmp(t->seal.key, key->data, 16)) {
                install(&t->seal, TD_RECORD_TLS13, TD_AEAD_AES_128_GCM,
                        td_vec_span(key), td_vec_span(e));
                install(&t->open, TD_RECORD_TLS13, TD_AEAD_AES_128_GCM,
                        td_vec_span(key), td_vec_span(e));
                t->have = 1;
            }
            key = NULL;
        } else if (!strcmp(e->kind, "record") &&
                   !strcmp(e->field, "protected")) {
            const td_vec_entry *pl;
            char what[160];

            ck_assert_msg(i > 0, "%s line %u: no payload", rel, e->line);
            pl = &v.e[i - 1];
            ck_assert_msg(!strcmp(pl->field, "payload") &&
                              !strcmp(pl->name, e->name) &&
                              !strcmp(pl->side, e->side),
                          "%s line %u: no payload", rel, e->line);
            ck_assert_msg(d[side].have, "%s line %u: no key", rel, e->line);
            snprintf(what, sizeof what, "%s line %u (%s %s, seq %llu)", rel,
                     e->line, e->side, e->name,
                     (unsigned long long)d[side].seal.seq);
            seal_eq(&d[side].seal, content_type(e->name), td_vec_span(pl),
                    td_vec_span(e), what);
            open_eq(&d[side].open, td_vec_span(e), content_type(e->name),
                    td_vec_span(pl), what);
            checked++;
        }
    }
    /* all of them: as many as the file has protected records */
    ck_assert_ptr_null(td_vec_find(&v, NULL, "record", NULL, "protected",
                                   (int)checked));
    td_vec_free(&v);
    return checked;
}

static dir trace_dir[2];

START_TEST(test_tls13_traces)
{
    size_t n = walk_trace(trace_files[_i], trace_dir);

    ck_assert_uint_eq(n, trace_records[_i]);
    fprintf(stderr, "protect: %s: %zu protected records sealed and opened\n",
            trace_files[_i], n);
}
END_TEST

START_TEST(test_tls13_traces_total)
{
    size_t i, n = 0;

    for (i = 0; i < sizeof trace_files / sizeof trace_files[0]; i++)
        n += walk_trace(trace_files[i], trace_dir);
    ck_assert_uint_eq(n, 27);
    fprintf(stderr, "protect: TLS 1.3 traces: %zu records checked\n", n);
}
END_TEST

/* s3, "send handshake record" of the client (its Finished): the key and
 * iv of the server's "derive read traffic keys for handshake data", the
 * payload and the protected record. Used by the tests below. */
typedef struct t13 {
    uint8_t key[16], iv[12], payload[64], rec[128];
    size_t payload_len, rec_len;
} t13;

static void load_t13(t13 *t)
{
    td_vec v;
    const td_vec_entry *k, *iv, *pl, *rec;

    ck_assert_int_eq(td_vec_load("tls13/s3-1rtt.vec", &v), TD_OK);
    k = td_vec_find(&v, "server", "kdf",
                    "derive_read_traffic_keys_for_handshake_data",
                    "key_expanded", 0);
    iv = td_vec_find(&v, "server", "kdf",
                     "derive_read_traffic_keys_for_handshake_data",
                     "iv_expanded", 0);
    pl = td_vec_find(&v, "client", "record", "handshake", "payload", 1);
    rec = td_vec_find(&v, "client", "record", "handshake", "protected", 0);
    ck_assert(k && iv && pl && rec);
    ck_assert_uint_eq(k->len, 16);
    ck_assert_uint_eq(iv->len, 12);
    /* 14 00 00 20 = Finished, 32 bytes of verify_data */
    ck_assert_uint_eq(pl->len, 36);
    ck_assert_uint_eq(pl->data[0], TD_HS_FINISHED);
    /* 17 03 03 00 35: 0x35 = 53 = 36 content + 1 type + 16 tag */
    ck_assert_uint_eq(rec->len, 58);
    memcpy(t->key, k->data, 16);
    memcpy(t->iv, iv->data, 12);
    memcpy(t->payload, pl->data, pl->len);
    memcpy(t->rec, rec->data, rec->len);
    t->payload_len = pl->len;
    t->rec_len = rec->len;
    td_vec_free(&v);
}

static void t13_install(const t13 *t, td_protect *st)
{
    install(st, TD_RECORD_TLS13, TD_AEAD_AES_128_GCM, span(t->key, 16),
            span(t->iv, 12));
}

/* A TLS 1.3 record built by hand around an arbitrary TLSInnerPlaintext:
 * header 17 03 03 len (RFC 8446 5.2), nonce = iv XOR seq (5.3), AAD =
 * header, sealed with the AEAD directly. The test checks it against the
 * trace first, so it can then make records the sealer refuses to. */
static size_t make13(const t13 *t, uint64_t seq, td_span inner, uint8_t *out)
{
    uint8_t nonce[12];
    size_t len = inner.len + TD_AEAD_TAG_LEN;
    unsigned i;

    memcpy(nonce, t->iv, 12);
    for (i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
    out[0] = 0x17;
    out[1] = 0x03;
    out[2] = 0x03;
    out[3] = (uint8_t)(len >> 8);
    out[4] = (uint8_t)len;
    ck_assert_int_eq(td_aead_seal(TD_AEAD_AES_128_GCM, span(t->key, 16),
                                  nonce, span(out, 5), inner, out + 5),
                     TD_OK);
    return 5 + len;
}

/* RFC 8446 5.4: padding is zeros after the type; it changes the length
 * and nothing before it (GCM is a counter mode: with the same key and
 * nonce the first bytes of ciphertext are the same, NIST SP 800-38D
 * 6.5). */
START_TEST(test_tls13_padding)
{
    static const size_t pads[] = {1, 7, 255, 1000};
    td_protect s, o;
    td_protect_plain p;
    td_span got;
    t13 t;
    td_wr wr;
    td_rd rd;
    size_t i;

    load_t13(&t);
    for (i = 0; i < sizeof pads / sizeof pads[0]; i++) {
        t13_install(&t, &s);
        t13_install(&t, &o);
        td_wr_init(&wr, wbuf, sizeof wbuf);
        ck_assert_int_eq(td_protect_seal(&s, TD_CT_HANDSHAKE,
                                         span(t.payload, t.payload_len),
                                         pads[i], &wr),
                         TD_OK);
        ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
        /* length = 36 content + 1 type + pad + 16 tag */
        ck_assert_uint_eq(got.len, 5 + 36 + 1 + pads[i] + 16);
        ck_assert_uint_eq(wbuf[3], (36 + 1 + pads[i] + 16) >> 8);
        ck_assert_uint_eq(wbuf[4], (uint8_t)(36 + 1 + pads[i] + 16));
        ck_assert_mem_eq(wbuf, t.rec, 3);
        ck_assert_mem_eq(wbuf + 5, t.rec + 5, 37);
        td_rd_init_span(&rd, got);
        ck_assert_int_eq(td_protect_open(&o, &rd, pbuf, sizeof pbuf, &p),
                         TD_OK);
        ck_assert_uint_eq(p.type, TD_CT_HANDSHAKE);
        ck_assert_uint_eq(p.length_of_padding, pads[i]);
        ck_span_eq(p.content, span(t.payload, t.payload_len));
    }
}
END_TEST

/* RFC 8446 5.3: nonce = iv XOR the sequence number, left-padded with
 * zeros to 12 bytes. So sealing at sequence number N must equal sealing
 * at 0 with an iv whose last 8 bytes were XORed with N by hand. */
START_TEST(test_tls13_nonce)
{
    static const uint64_t seqs[] = {1, 0x0102030405060708ull, UINT64_MAX};
    td_span payload, got;
    td_protect a, b, o;
    t13 t, u;
    td_wr wr;
    size_t i;
    unsigned j;

    load_t13(&t);
    payload = span(t.payload, t.payload_len);
    for (i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        t13_install(&t, &a);
        a.seq = seqs[i];
        u = t;
        for (j = 0; j < 8; j++)
            u.iv[11 - j] ^= (uint8_t)(seqs[i] >> (8 * j));
        t13_install(&u, &b);
        td_wr_init(&wr, wbuf, sizeof wbuf);
        ck_assert_int_eq(td_protect_seal(&a, TD_CT_HANDSHAKE, payload, 0, &wr),
                         TD_OK);
        ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
        memcpy(rbuf, got.p, got.len);
        seal_eq(&b, TD_CT_HANDSHAKE, payload, span(rbuf, got.len), "iv^N");
        /* the trace's record is sequence number 0 */
        ck_assert(memcmp(rbuf, t.rec, t.rec_len) != 0);
        t13_install(&t, &o);
        o.seq = seqs[i];
        open_eq(&o, span(rbuf, got.len), TD_CT_HANDSHAKE, payload, "seq N");
    }
}
END_TEST

/* RFC 8446 5.4 and 5: what the inner plaintext may be. */
START_TEST(test_tls13_inner)
{
    static const uint8_t zero1[] = {0x00};
    static const uint8_t hs0[] = {0x16};      /* handshake, no content */
    static const uint8_t al0[] = {0x15};      /* alert, no content */
    static const uint8_t app0[] = {0x17};     /* application_data, empty */
    static const uint8_t ccs[] = {0x01, 0x14}; /* change_cipher_spec */
    static const uint8_t unk[] = {0x01, 0x63}; /* type 99 */
    static const uint8_t padded[] = {0x41, 0x17, 0x00, 0x00, 0x00};
    td_protect st, o;
    td_protect_plain p;
    td_rd rd;
    t13 t;
    size_t n;

    load_t13(&t);
    t13_install(&t, &st);
    /* the hand-made record is the trace's: content || 16 (handshake) */
    memcpy(ibuf, t.payload, t.payload_len);
    ibuf[t.payload_len] = 0x16;
    n = make13(&t, 0, span(ibuf, t.payload_len + 1), rbuf);
    ck_assert_uint_eq(n, t.rec_len);
    ck_assert_mem_eq(rbuf, t.rec, n);

    /* RFC 8446 5.4: no non-zero octet at all: unexpected_message */
    n = make13(&t, 0, span(zero1, 1), rbuf);
    open_fails(&st, span(rbuf, n), TD_ALERT_UNEXPECTED_MESSAGE, "5.4 zeros", 1);
    memset(ibuf, 0, 50);
    n = make13(&t, 0, span(ibuf, 50), rbuf);
    open_fails(&st, span(rbuf, n), TD_ALERT_UNEXPECTED_MESSAGE, "5.4 zeros",
               50);
    /* RFC 8446 5.4: zero-length Handshake or Alert content */
    n = make13(&t, 0, span(hs0, 1), rbuf);
    open_fails(&st, span(rbuf, n), TD_ALERT_UNEXPECTED_MESSAGE, "5.4 hs", 0);
    n = make13(&t, 0, span(al0, 1), rbuf);
    open_fails(&st, span(rbuf, n), TD_ALERT_UNEXPECTED_MESSAGE, "5.4 alert", 0);
    /* RFC 8446 5: a protected change_cipher_spec, an unknown type */
    n = make13(&t, 0, span(ccs, 2), rbuf);
    open_fails(&st, span(rbuf, n), TD_ALERT_UNEXPECTED_MESSAGE, "5 ccs", 0);
    n = make13(&t, 0, span(unk, 2), rbuf);
    open_fails(&st, span(rbuf, n), TD_ALERT_UNEXPECTED_MESSAGE, "5 type", 0);
    /* a record that is only a tag: empty inner plaintext, no type */
    n = make13(&t, 0, span(NULL, 0), rbuf);
    ck_assert_uint_eq(n, 5 + 16);
    open_fails(&st, span(rbuf, n), TD_ALERT_UNEXPECTED_MESSAGE, "5.4 empty", 0);

    /* RFC 8446 5.4: empty application data is allowed */
    n = make13(&t, 0, span(app0, 1), rbuf);
    o = st;
    open_eq(&o, span(rbuf, n), TD_CT_APPLICATION_DATA, span(NULL, 0), "app0");
    /* 41 = 'A', 17 = application_data, three zeros of padding */
    n = make13(&t, 0, span(padded, sizeof padded), rbuf);
    o = st;
    td_rd_init(&rd, rbuf, n);
    ck_assert_int_eq(td_protect_open(&o, &rd, pbuf, sizeof pbuf, &p), TD_OK);
    ck_assert_uint_eq(p.type, TD_CT_APPLICATION_DATA);
    ck_assert_uint_eq(p.length_of_padding, 3);
    ck_span_eq(p.content, span(padded, 1));

    /* RFC 8446 5.4: at most 2^14 + 1 octets of TLSInnerPlaintext; more
     * is record_overflow even when it authenticates */
    memset(ibuf, 0x41, TD_MAX_INNER_PLAINTEXT_LEN + 239);
    ibuf[TD_MAX_PLAINTEXT_LEN] = 0x17;
    n = make13(&t, 0, span(ibuf, TD_MAX_INNER_PLAINTEXT_LEN), rbuf);
    o = st;
    open_eq(&o, span(rbuf, n), TD_CT_APPLICATION_DATA,
            span(ibuf, TD_MAX_PLAINTEXT_LEN), "2^14+1");
    n = make13(&t, 0, span(ibuf, TD_MAX_INNER_PLAINTEXT_LEN + 1), rbuf);
    open_fails(&st, span(rbuf, n), TD_ALERT_RECORD_OVERFLOW, "5.4 2^14+2", 0);
    /* 2^14 + 240 + 16 = 2^14 + 256: the largest TLSCiphertext.length,
     * so the inner length is what refuses it */
    n = make13(&t, 0, span(ibuf, TD_MAX_PLAINTEXT_LEN + 240), rbuf);
    ck_assert_uint_eq(n, 5 + TD_MAX_CIPHERTEXT13_LEN);
    open_fails(&st, span(rbuf, n), TD_ALERT_RECORD_OVERFLOW, "5.4 2^14+240", 0);
}
END_TEST

/* The record around the encrypted part (RFC 8446 5.2). */
START_TEST(test_tls13_outer)
{
    static const uint8_t ccs[] = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};
    static const size_t lens[] = {0, 1, 15};
    td_protect st;
    t13 t;
    size_t i;

    load_t13(&t);
    t13_install(&t, &st);
    /* RFC 8446 5: change_cipher_spec is never protected; here it is not
     * dropped, so unexpected_message */
    open_fails(&st, span(ccs, sizeof ccs), TD_ALERT_UNEXPECTED_MESSAGE,
               "5 ccs", 0);
    /* RFC 8446 5.2: TLSCiphertext.length over 2^14 + 256 */
    memset(rbuf, 0, sizeof rbuf);
    rbuf[0] = 0x17;
    rbuf[1] = rbuf[2] = 0x03;
    rbuf[3] = (uint8_t)((TD_MAX_CIPHERTEXT13_LEN + 1) >> 8);
    rbuf[4] = (uint8_t)(TD_MAX_CIPHERTEXT13_LEN + 1);
    open_fails(&st, span(rbuf, 5 + TD_MAX_CIPHERTEXT13_LEN + 1),
               TD_ALERT_RECORD_OVERFLOW, "5.2 2^14+257", 0);
    /* exactly 2^14 + 256 of garbage: framing accepts, the AEAD does not */
    rbuf[3] = (uint8_t)(TD_MAX_CIPHERTEXT13_LEN >> 8);
    rbuf[4] = (uint8_t)TD_MAX_CIPHERTEXT13_LEN;
    open_fails(&st, span(rbuf, 5 + TD_MAX_CIPHERTEXT13_LEN),
               TD_ALERT_BAD_RECORD_MAC, "5.2 2^14+256", 0);
    /* RFC 8446 5.2: shorter than a tag cannot authenticate */
    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        rbuf[3] = 0;
        rbuf[4] = (uint8_t)lens[i];
        open_fails(&st, span(rbuf, 5 + lens[i]), TD_ALERT_BAD_RECORD_MAC,
                   "5.2 short", lens[i]);
    }
}
END_TEST

/* What a receiver answers a once-valid record whose byte `at` changed
 * (rec is the changed record). */
static td_err flip_expect(td_record_version v, const uint8_t *rec, size_t len,
                          size_t at)
{
    size_t limit = v == TD_RECORD_TLS13 ? TD_MAX_CIPHERTEXT13_LEN
                                        : TD_MAX_CIPHERTEXT12_LEN;
    size_t l = (size_t)rec[3] << 8 | rec[4];

    if (at == 0) {
        /* RFC 8446 5.2: opaque_type is application_data, else
         * unexpected_message (RFC 8446 5); RFC 5246 6: an unknown type
         * is unexpected_message, a known one changes additional_data */
        if (v == TD_RECORD_TLS13)
            return TD_ALERT_UNEXPECTED_MESSAGE;
        return rec[0] >= 20 && rec[0] <= 24 ? TD_ALERT_BAD_RECORD_MAC
                                            : TD_ALERT_UNEXPECTED_MESSAGE;
    }
    if (at == 3 || at == 4) {
        if (l > limit) /* RFC 8446 5.2, RFC 5246 6.2.3 */
            return TD_ALERT_RECORD_OVERFLOW;
        if (l > len - 5) /* the record is cut short */
            return TD_ALERT_DECODE_ERROR;
    }
    /* version, length, nonce, ciphertext or tag changed: RFC 8446 5.2,
     * RFC 5246 6.2.3.3 (the version and length are additional data) */
    return TD_ALERT_BAD_RECORD_MAC;
}

static void flip_all(const td_protect *st, td_span rec)
{
    static const uint8_t masks[] = {0x01, 0x80, 0xff};
    size_t at, m;

    for (at = 0; at < rec.len; at++) {
        for (m = 0; m < sizeof masks; m++) {
            memcpy(rbuf, rec.p, rec.len);
            rbuf[at] ^= masks[m];
            open_fails(st, span(rbuf, rec.len),
                       flip_expect(st->version, rbuf, rec.len, at), "flip",
                       at);
        }
    }
}

START_TEST(test_tls13_flip)
{
    td_protect st;
    t13 t;

    load_t13(&t);
    t13_install(&t, &st);
    flip_all(&st, span(t.rec, t.rec_len));
}
END_TEST

START_TEST(test_tls13_truncated)
{
    td_protect st;
    size_t n;
    t13 t;

    load_t13(&t);
    t13_install(&t, &st);
    /* the input ends early: the record is incomplete, decode_error */
    for (n = 0; n < t.rec_len; n++)
        open_fails(&st, span(t.rec, n), TD_ALERT_DECODE_ERROR, "cut", n);
    /* the fragment shortened (tag cut, or more) with a consistent header:
     * RFC 8446 5.2 bad_record_mac */
    for (n = 0; n < t.rec_len - 5; n++) {
        memcpy(rbuf, t.rec, 5 + n);
        rbuf[3] = (uint8_t)(n >> 8);
        rbuf[4] = (uint8_t)n;
        open_fails(&st, span(rbuf, 5 + n), TD_ALERT_BAD_RECORD_MAC, "short",
                   n);
    }
}
END_TEST

/* RFC 8446 5.2/5.3: another sequence number, key or iv is another nonce
 * or key: bad_record_mac. */
START_TEST(test_tls13_wrong_keys)
{
    static const uint64_t seqs[] = {1, 2, UINT64_MAX};
    td_protect st;
    t13 t, u;
    size_t i;

    load_t13(&t);
    for (i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        t13_install(&t, &st);
        st.seq = seqs[i];
        open_fails(&st, span(t.rec, t.rec_len), TD_ALERT_BAD_RECORD_MAC,
                   "seq", (size_t)seqs[i]);
    }
    u = t;
    u.key[15] ^= 1;
    t13_install(&u, &st);
    open_fails(&st, span(t.rec, t.rec_len), TD_ALERT_BAD_RECORD_MAC, "key", 0);
    u = t;
    u.iv[0] ^= 1;
    t13_install(&u, &st);
    open_fails(&st, span(t.rec, t.rec_len), TD_ALERT_BAD_RECORD_MAC, "iv", 0);
    /* right keys, right sequence number: it opens (the test can fail) */
    t13_install(&t, &st);
    open_eq(&st, span(t.rec, t.rec_len), TD_CT_HANDSHAKE,
            span(t.payload, t.payload_len), "right");
}
END_TEST

/* ---------------------------------------------------------------------
 * TLS 1.2: OpenSSL on the wire
 *
 * Captured with OpenSSL 3.0.19 (27 Jan 2026) on 127.0.0.1, from
 * vectors/, for each CIPHER below:
 *   openssl s_server -accept 127.0.0.1:0 -naccept 1 -rev -msg -debug
 *       -tls1_2 -cipher CIPHER -cert pki/server-rsa2048.crt.pem
 *       -key pki/server-rsa2048.key.pem -no_ticket
 *   (printf 'tlsdiff\n'; sleep 1) | openssl s_client
 *       -connect 127.0.0.1:PORT -tls1_2 -cipher CIPHER -msg -debug
 *       -keylogfile FILE -no_ticket -CAfile pki/root-ca.crt.pem
 * From s_client's output: the randoms from the ClientHello and
 * ServerHello bytes (-debug), the master secret from the key log
 * (CLIENT_RANDOM line), each protected record as written or read on the
 * socket (-debug), and the plaintexts: the Finished messages printed by
 * -msg, "tlsdiff\n" (74 6c 73 64 69 66 66 0a) typed by the client,
 * "ffidslt\n" (66 66 69 64 73 6c 74 0a) echoed reversed by -rev, and the
 * close_notify alerts (01 00, -msg). Each side's records are numbered
 * from its ChangeCipherSpec: Finished 0, data 1, alert 2.
 *
 * OpenSSL's AES-GCM nonce_explicit is not the sequence number: it starts
 * at a random value and counts up (869c96e54e342ab9, ...ba, ...bb), so
 * these records are reproduced with td_protect12_seal_explicit.
 * --------------------------------------------------------------------- */

typedef struct cap_rec {
    int client;
    unsigned seq;
    uint8_t type;
    const char *plain, *rec;
} cap_rec;

typedef struct capture {
    const char *cipher;
    td_hash_alg hash;
    td_aead_alg aead;
    size_t key_len, iv_len;
    const char *client_random, *server_random, *master_secret;
    cap_rec recs[6];
} capture;

static const capture caps[] = {
    {
        "ECDHE-RSA-AES128-GCM-SHA256", /* c02f */
        TD_HASH_SHA256, TD_AEAD_AES_128_GCM, 16, 4,
        /* client_random */
        "f353ffa25fc36d1145506363a118fa4910b53e2b54ee3bebcc7fbbea487f2d7f",
        /* server_random */
        "f16df5c04429e8c4208a7063fdb4ecc328a27d66e8d6eb432e97a10da6e09b26",
        /* master_secret */
        "2f53a60d94678727d72d49d9e5e82cae68cfd0d326cfb55e447cb389fac2935d"
        "548e190f43af0a753cc60c8bfe6bce0b",
        {
            {1, 0, 22,
             "1400000c0dbd32a30d092fd5d4c15a93",
             "1603030028869c96e54e342ab9557e979e82d883cc1cd6e97f3b19e834960592"
             "6a07ac11f78b124f5bc9e473c4"},
            {1, 1, 23,
             "746c73646966660a",
             "1703030020869c96e54e342aba4cf5346501fe0a5a16751c7dd89e63d1ae9569"
             "9006a09f12"},
            {1, 2, 21,
             "0100",
             "150303001a869c96e54e342abb6bcee66b79dd6193d279ed3ad5e1e7c6e4f3"},
            {0, 0, 22,
             "1400000c3177794be987c7365d0ee856",
             "1603030028e2b1231c4999f9ae72827f44eed75a211aeaa0a573c1e987cf8bc7"
             "828404395975cb49b1174f2f55"},
            {0, 1, 23,
             "66666964736c740a",
             "1703030020e2b1231c4999f9afb412957a1338c5e5903cfb74282ab735247df7"
             "954f059993"},
            {0, 2, 21,
             "0100",
             "150303001ae2b1231c4999f9b04da6052a661194dca4c7da322ea74c19a877"},
        },
    },
    {
        "ECDHE-RSA-AES256-GCM-SHA384", /* c030 */
        TD_HASH_SHA384, TD_AEAD_AES_256_GCM, 32, 4,
        /* client_random */
        "cbe9f1dba9b62522d2dceeb8c81215b8b372f9ab1556c26a2282b60d19f36e97",
        /* server_random */
        "ce5b5e7e402983d7ab5a3774ec5c23cc061b0b108828b100f7ec0f24bc5dedbe",
        /* master_secret */
        "5fb096a56be842c5e6b0271108a36843cfc6c06a3bd9737dbc956af86d48968a"
        "9ba8b321e2680062c320285243964b86",
        {
            {1, 0, 22,
             "1400000cf94addddb6f8b01499418488",
             "1603030028f49ae8de483040bacf12d6d45072a26716ce1306d3a4915dde098e"
             "96952722b181bcf6a223a647d8"},
            {1, 1, 23,
             "746c73646966660a",
             "1703030020f49ae8de483040bbd5f165e293fe506c5190242db56652c0ece0fd"
             "fe47deea04"},
            {1, 2, 21,
             "0100",
             "150303001af49ae8de483040bcd503be116042cf666bff2877d0bec8e00985"},
            {0, 0, 22,
             "1400000c5011c87310a592a3ad81d6b2",
             "160303002868a12c287d33a9671148319fab61df365bbb748943a739d4e09325"
             "092cfaea4c8a01b8790b445d16"},
            {0, 1, 23,
             "66666964736c740a",
             "170303002068a12c287d33a968776bd7a1129da320b5807819c8f7a23f74f8ec"
             "5d9eebff14"},
            {0, 2, 21,
             "0100",
             "150303001a68a12c287d33a9695c411c648ceaaaabe2fffb193bd3ebe40d6d"},
        },
    },
    {
        "ECDHE-RSA-CHACHA20-POLY1305", /* cca8 */
        TD_HASH_SHA256, TD_AEAD_CHACHA20_POLY1305, 32, 12,
        /* client_random */
        "2d35325a5ab1bb22f3c8a089c9999695b9f02e70fbbf73bbfc25ab83f9067aaa",
        /* server_random */
        "8475d50ff5ffdae690774aae09ff3cec29bf8b11b0a0aceb608bc6063952e797",
        /* master_secret */
        "5efef1a72e4bad465363dfb74778ea91a6966c85dca328eec68293eaf2b22b50"
        "0fd159035da9c51a5b4888a377e30818",
        {
            {1, 0, 22,
             "1400000cfa1ca710c0974af0900da691",
             "160303002013f75cfba763fb8b817f89f0a048d37f7bf4943e560a79a8ccf685"
             "32135fb4f7"},
            {1, 1, 23,
             "746c73646966660a",
             "17030300187174911f2ab93b6023d17c8b82d0535d515ed2cc9f41301b"},
            {1, 2, 21,
             "0100",
             "15030300125289b566da7685a75cd43f87cc3f0457cf02"},
            {0, 0, 22,
             "1400000cd920bac24fa4a8fb3f974279",
             "16030300207f8940933d5e82118ab12e7ab9ee58ed9d2d58eef159e022fe05eb"
             "72cb2c7362"},
            {0, 1, 23,
             "66666964736c740a",
             "170303001870f7afd55554a63a22de08636775b63e5dd268047089a035"},
            {0, 2, 21,
             "0100",
             "150303001275496fec55c0b68ede745b8f45fdfa830edf"},
        },
    },
};

/* RFC 5246 6.3:
 *   key_block = PRF(SecurityParameters.master_secret, "key expansion",
 *                   SecurityParameters.server_random +
 *                   SecurityParameters.client_random);
 * split into client_write_MAC_key (none for AEAD), server_write_MAC_key,
 * client_write_key, server_write_key, client_write_IV, server_write_IV.
 * Index 0 is the client's, 1 the server's. */
typedef struct kb12 {
    uint8_t key[2][32], iv[2][12];
    size_t key_len, iv_len;
} kb12;

static void key_block(td_hash_alg h, td_span ms, td_span client_random,
                      td_span server_random, size_t key_len, size_t iv_len,
                      kb12 *kb)
{
    uint8_t seed[64], block[2 * 32 + 2 * 12];

    ck_assert_uint_eq(client_random.len, 32);
    ck_assert_uint_eq(server_random.len, 32);
    ck_assert_uint_eq(ms.len, 48);
    memcpy(seed, server_random.p, 32);
    memcpy(seed + 32, client_random.p, 32);
    ck_assert_int_eq(td_tls12_prf(h, ms, "key expansion", span(seed, 64),
                                  block, 2 * key_len + 2 * iv_len),
                     TD_OK);
    memcpy(kb->key[0], block, key_len);
    memcpy(kb->key[1], block + key_len, key_len);
    memcpy(kb->iv[0], block + 2 * key_len, iv_len);
    memcpy(kb->iv[1], block + 2 * key_len + iv_len, iv_len);
    kb->key_len = key_len;
    kb->iv_len = iv_len;
}

static void kb_install(const kb12 *kb, int side, td_aead_alg alg,
                       td_protect *st)
{
    install(st, TD_RECORD_TLS12, alg, span(kb->key[side], kb->key_len),
            span(kb->iv[side], kb->iv_len));
}

static void cap_keys(const capture *c, kb12 *kb)
{
    uint8_t cr[32], sr[32], ms[48];

    ck_assert_uint_eq(hex(c->client_random, cr, sizeof cr), 32);
    ck_assert_uint_eq(hex(c->server_random, sr, sizeof sr), 32);
    ck_assert_uint_eq(hex(c->master_secret, ms, sizeof ms), 48);
    key_block(c->hash, span(ms, 48), span(cr, 32), span(sr, 32), c->key_len,
              c->iv_len, kb);
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

START_TEST(test_tls12_openssl)
{
    const capture *c = &caps[_i];
    int gcm = c->aead != TD_AEAD_CHACHA20_POLY1305;
    td_protect sealer[2], opener[2];
    uint8_t plain[64], rec[128];
    kb12 kb;
    size_t i;

    cap_keys(c, &kb);
    for (i = 0; i < 2; i++) {
        kb_install(&kb, (int)i, c->aead, &sealer[i]);
        kb_install(&kb, (int)i, c->aead, &opener[i]);
    }
    for (i = 0; i < 6; i++) {
        const cap_rec *r = &c->recs[i];
        int side = !r->client;
        size_t pn = hex(r->plain, plain, sizeof plain);
        size_t rn = hex(r->rec, rec, sizeof rec);
        char what[96];

        snprintf(what, sizeof what, "%s %s seq %u", c->cipher,
                 r->client ? "client" : "server", r->seq);
        ck_assert_uint_eq(sealer[side].seq, r->seq);
        ck_assert_uint_eq(rec[0], r->type);
        /* length = nonce_explicit (GCM) + plaintext + tag */
        ck_assert_uint_eq(rn - 5, (gcm ? 8u : 0u) + pn + 16);
        if (gcm) {
            td_span got;
            td_wr wr;
            td_wr_init(&wr, wbuf, sizeof wbuf);
            ck_assert_int_eq(td_protect12_seal_explicit(&sealer[side], r->type,
                                                        span(plain, pn),
                                                        be64(rec + 5), &wr),
                             TD_OK);
            ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
            ck_assert_msg(got.len == rn && !memcmp(got.p, rec, rn),
                          "%s: sealed record differs", what);
        } else {
            seal_eq(&sealer[side], r->type, span(plain, pn), span(rec, rn),
                    what);
        }
        open_eq(&opener[side], span(rec, rn), r->type, span(plain, pn), what);
    }
    fprintf(stderr, "protect: %s: 6 OpenSSL records sealed and opened\n",
            c->cipher);
}
END_TEST

/* Records back to back in one buffer: each open takes exactly one. */
START_TEST(test_tls12_coalesced)
{
    const capture *c = &caps[0];
    td_protect o;
    td_protect_plain p;
    uint8_t plain[64];
    size_t i, n = 0;
    td_rd rd;
    kb12 kb;

    cap_keys(c, &kb);
    kb_install(&kb, 0, c->aead, &o);
    for (i = 0; i < 3; i++)
        n += hex(c->recs[i].rec, rbuf + n, sizeof rbuf - n);
    td_rd_init(&rd, rbuf, n);
    for (i = 0; i < 3; i++) {
        size_t pn = hex(c->recs[i].plain, plain, sizeof plain);
        ck_assert_int_eq(td_protect_open(&o, &rd, pbuf, sizeof pbuf, &p),
                         TD_OK);
        ck_assert_uint_eq(p.type, c->recs[i].type);
        ck_span_eq(p.content, span(plain, pn));
    }
    ck_assert_int_eq(td_rd_done(&rd), TD_OK);
}
END_TEST

/* A TLS 1.2 AES-GCM record built by hand (RFC 5246 6.2.3.3, RFC 5288 3):
 * header, nonce = salt || nonce_explicit, AAD = seq || type || 03 03 ||
 * plaintext length. Checked against OpenSSL's first, then used for
 * records the sealer refuses to make. */
static size_t make12(const kb12 *kb, td_aead_alg alg, uint64_t seq,
                     uint8_t type, uint64_t nonce_explicit, td_span plain,
                     uint8_t *out)
{
    uint8_t nonce[12], aad[13];
    size_t len = 8 + plain.len + 16;
    unsigned i;

    memcpy(nonce, kb->iv[0], 4);
    for (i = 0; i < 8; i++) {
        nonce[11 - i] = (uint8_t)(nonce_explicit >> (8 * i));
        aad[7 - i] = (uint8_t)(seq >> (8 * i));
        out[12 - i] = (uint8_t)(nonce_explicit >> (8 * i));
    }
    aad[8] = type;
    aad[9] = aad[10] = 0x03;
    aad[11] = (uint8_t)(plain.len >> 8);
    aad[12] = (uint8_t)plain.len;
    out[0] = type;
    out[1] = out[2] = 0x03;
    out[3] = (uint8_t)(len >> 8);
    out[4] = (uint8_t)len;
    ck_assert_int_eq(td_aead_seal(alg, span(kb->key[0], kb->key_len), nonce,
                                  span(aad, 13), plain, out + 13),
                     TD_OK);
    return 5 + len;
}

START_TEST(test_tls12_limits)
{
    const capture *c = &caps[0];
    uint8_t plain[64], rec[128];
    td_protect st, o;
    size_t pn, rn, n;
    kb12 kb;

    cap_keys(c, &kb);
    kb_install(&kb, 0, c->aead, &st);
    /* the hand-made record is OpenSSL's client record 1 */
    pn = hex(c->recs[1].plain, plain, sizeof plain);
    rn = hex(c->recs[1].rec, rec, sizeof rec);
    n = make12(&kb, c->aead, 1, 23, be64(rec + 5), span(plain, pn), rbuf);
    ck_assert_uint_eq(n, rn);
    ck_assert_mem_eq(rbuf, rec, rn);

    /* RFC 5246 6.2.1: TLSPlaintext.length <= 2^14; one more authenticates
     * but is record_overflow (RFC 5246 7.2.2) */
    memset(ibuf, 0x41, TD_MAX_PLAINTEXT_LEN + 1);
    n = make12(&kb, c->aead, 0, 23, 0, span(ibuf, TD_MAX_PLAINTEXT_LEN), rbuf);
    o = st;
    open_eq(&o, span(rbuf, n), 23, span(ibuf, TD_MAX_PLAINTEXT_LEN), "2^14");
    n = make12(&kb, c->aead, 0, 23, 0, span(ibuf, TD_MAX_PLAINTEXT_LEN + 1),
               rbuf);
    open_fails(&st, span(rbuf, n), TD_ALERT_RECORD_OVERFLOW, "6.2.1 2^14+1", 0);
    /* RFC 5246 6.2.3: TLSCiphertext.length over 2^14 + 2048 */
    memset(rbuf, 0, sizeof rbuf);
    rbuf[0] = 0x17;
    rbuf[1] = rbuf[2] = 0x03;
    rbuf[3] = (uint8_t)((TD_MAX_CIPHERTEXT12_LEN + 1) >> 8);
    rbuf[4] = (uint8_t)(TD_MAX_CIPHERTEXT12_LEN + 1);
    open_fails(&st, span(rbuf, 5 + TD_MAX_CIPHERTEXT12_LEN + 1),
               TD_ALERT_RECORD_OVERFLOW, "6.2.3 2^14+2049", 0);
    rbuf[3] = (uint8_t)(TD_MAX_CIPHERTEXT12_LEN >> 8);
    rbuf[4] = (uint8_t)TD_MAX_CIPHERTEXT12_LEN;
    open_fails(&st, span(rbuf, 5 + TD_MAX_CIPHERTEXT12_LEN),
               TD_ALERT_BAD_RECORD_MAC, "6.2.3 2^14+2048", 0);
    /* RFC 5246 6: an unknown record type */
    rbuf[0] = 0x63;
    rbuf[3] = 0;
    rbuf[4] = 40;
    open_fails(&st, span(rbuf, 45), TD_ALERT_UNEXPECTED_MESSAGE, "6 type", 0);
}
END_TEST

START_TEST(test_tls12_flip)
{
    uint8_t rec[128];
    td_protect st;
    size_t k, rn;
    kb12 kb;

    for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        cap_keys(&caps[k], &kb);
        /* the client's Finished at sequence number 0 */
        kb_install(&kb, 0, caps[k].aead, &st);
        rn = hex(caps[k].recs[0].rec, rec, sizeof rec);
        flip_all(&st, span(rec, rn));
    }
}
END_TEST

START_TEST(test_tls12_truncated)
{
    uint8_t rec[128];
    td_protect st;
    size_t k, n, rn;
    kb12 kb;

    for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        cap_keys(&caps[k], &kb);
        kb_install(&kb, 0, caps[k].aead, &st);
        rn = hex(caps[k].recs[0].rec, rec, sizeof rec);
        for (n = 0; n < rn; n++)
            open_fails(&st, span(rec, n), TD_ALERT_DECODE_ERROR, "cut", n);
        /* RFC 5246 6.2.3.3: shorter than nonce_explicit + tag (GCM: 24,
         * ChaCha20-Poly1305: 16), or a cut tag: bad_record_mac */
        for (n = 0; n < rn - 5; n++) {
            memcpy(rbuf, rec, 5 + n);
            rbuf[3] = 0;
            rbuf[4] = (uint8_t)n;
            open_fails(&st, span(rbuf, 5 + n), TD_ALERT_BAD_RECORD_MAC,
                       "short", n);
        }
    }
}
END_TEST

/* RFC 5246 6.2.3.3: seq_num is additional data; RFC 7905 2: and the
 * nonce. A wrong one is bad_record_mac. RFC 5288 3: with the sequence
 * number as nonce_explicit, the record carries it big-endian. */
START_TEST(test_tls12_seq)
{
    static const uint64_t seqs[] = {1, 0x0102030405060708ull};
    uint8_t rec[128], plain[64];
    td_protect st;
    td_span got;
    size_t k, i, rn, pn;
    td_wr wr;
    kb12 kb;

    for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        cap_keys(&caps[k], &kb);
        rn = hex(caps[k].recs[0].rec, rec, sizeof rec);
        pn = hex(caps[k].recs[0].plain, plain, sizeof plain);
        for (i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
            kb_install(&kb, 0, caps[k].aead, &st);
            st.seq = seqs[i];
            open_fails(&st, span(rec, rn), TD_ALERT_BAD_RECORD_MAC, "seq", i);
            td_wr_init(&wr, wbuf, sizeof wbuf);
            ck_assert_int_eq(td_protect_seal(&st, 22, span(plain, pn), 0, &wr),
                             TD_OK);
            ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
            if (caps[k].aead != TD_AEAD_CHACHA20_POLY1305) {
                /* 16 03 03 00 28, then the 8 bytes of the seq */
                ck_assert_uint_eq(got.len, 5 + 8 + pn + 16);
                ck_assert_uint_eq(be64(wbuf + 5), seqs[i]);
            } else {
                ck_assert_uint_eq(got.len, 5 + pn + 16);
            }
        }
        /* the other direction's key */
        kb_install(&kb, 1, caps[k].aead, &st);
        open_fails(&st, span(rec, rn), TD_ALERT_BAD_RECORD_MAC, "key", 1);
    }
}
END_TEST

/* RFC 7905 2: nonce = client_write_IV XOR padded seq, so sealing at N
 * equals sealing at 0 with the IV XORed with N by hand. */
START_TEST(test_tls12_chacha_nonce)
{
    const capture *c = &caps[2];
    uint8_t plain[64];
    td_protect a, b;
    td_span got;
    size_t pn;
    unsigned j;
    kb12 kb, kb2;
    td_wr wr;

    ck_assert_int_eq(c->aead, TD_AEAD_CHACHA20_POLY1305);
    cap_keys(c, &kb);
    pn = hex(c->recs[1].plain, plain, sizeof plain);
    kb_install(&kb, 0, c->aead, &a);
    a.seq = UINT64_MAX;
    kb2 = kb;
    for (j = 0; j < 8; j++)
        kb2.iv[0][11 - j] ^= 0xff;
    kb_install(&kb2, 0, c->aead, &b);
    td_wr_init(&wr, wbuf, sizeof wbuf);
    ck_assert_int_eq(td_protect_seal(&a, 23, span(plain, pn), 0, &wr), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
    memcpy(rbuf, got.p, got.len);
    /* the sequence number is also in the additional data, so only the
     * ciphertext (keystream) part can match, not the tag */
    td_wr_init(&wr, wbuf, sizeof wbuf);
    ck_assert_int_eq(td_protect_seal(&b, 23, span(plain, pn), 0, &wr), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
    ck_assert_uint_eq(got.len, 5 + pn + 16);
    ck_assert_mem_eq(got.p, rbuf, 5 + pn);
    ck_assert(memcmp(got.p + 5 + pn, rbuf + 5 + pn, 16) != 0);
}
END_TEST

/* vectors/tls12: the Finished records. Only their headers were captured
 * (comment lines "record header 1603030028"): check the key block from
 * the logged master secret and the randoms, the header and length of the
 * sealed Finished (sequence number 0), and that it opens again. */
static const char *const tls12_files[] = {
    "tls12/client-auth.vec", "tls12/downgrade.vec",
    "tls12/ecdhe-ecdsa-aes128-gcm.vec", "tls12/ecdhe-rsa-chacha20.vec",
    "tls12/rsa-aes128-gcm.vec",
};

static void protected_headers(const char *rel, uint8_t hdr[2][5])
{
    static const char tag[] = "(protected, record header ";
    char path[4096], line[4096];
    int seen[2] = {0, 0};
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", td_vectors_dir(), rel);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s", path);
    while (fgets(line, sizeof line, f)) {
        const char *at = strstr(line, tag);
        int side;
        char h[11];

        if (line[0] != '#' || !at)
            continue;
        side = strstr(line, "{server}") != NULL;
        ck_assert(side || strstr(line, "{client}"));
        memcpy(h, at + strlen(tag), 10);
        h[10] = 0;
        ck_assert_uint_eq(hex(h, hdr[side], 5), 5);
        seen[side]++;
    }
    fclose(f);
    ck_assert_int_eq(seen[0], 1);
    ck_assert_int_eq(seen[1], 1);
}

START_TEST(test_tls12_vectors)
{
    static const char *const sides[] = {"client", "server"};
    const td_vec_entry *ch, *sh, *ms;
    uint8_t hdr[2][5];
    td_span cr, sr, sid;
    uint16_t suite;
    td_aead_alg alg;
    size_t key_len, iv_len, s;
    td_rd rd, child;
    td_vec v;
    kb12 kb;

    ck_assert_int_eq(td_vec_load(tls12_files[_i], &v), TD_OK);
    protected_headers(tls12_files[_i], hdr);
    ch = td_vec_find(&v, "client", "handshake", "client_hello", "message", 0);
    sh = td_vec_find(&v, "server", "handshake", "server_hello", "message", 0);
    ms = td_vec_find(&v, "client", "kdf", "master_secret", "secret", 0);
    ck_assert(ch && sh && ms);
    /* msg_type(1) length(3) version(2) random(32) (RFC 5246 7.4.1.2) */
    td_rd_init(&rd, ch->data, ch->len);
    ck_assert_int_eq(td_rd_span(&rd, 6, &sid), TD_OK);
    ck_assert_int_eq(td_rd_span(&rd, 32, &cr), TD_OK);
    /* ... session_id<0..32>, cipher_suite (RFC 5246 7.4.1.3) */
    td_rd_init(&rd, sh->data, sh->len);
    ck_assert_int_eq(td_rd_span(&rd, 6, &sid), TD_OK);
    ck_assert_int_eq(td_rd_span(&rd, 32, &sr), TD_OK);
    ck_assert_int_eq(td_rd_vec8(&rd, 0, 32, &child), TD_OK);
    ck_assert_int_eq(td_rd_u16(&rd, &suite), TD_OK);
    switch (suite) {
    case 0xc02b: /* TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 */
    case 0x009c: /* TLS_RSA_WITH_AES_128_GCM_SHA256 (RFC 5288 3) */
        alg = TD_AEAD_AES_128_GCM;
        key_len = 16;
        iv_len = 4;
        break;
    case 0xcca8: /* TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (RFC 7905) */
        alg = TD_AEAD_CHACHA20_POLY1305;
        key_len = 32;
        iv_len = 12;
        break;
    default:
        ck_abort_msg("%s: suite %04x", tls12_files[_i], suite);
        return;
    }
    key_block(TD_HASH_SHA256, td_vec_span(ms), cr, sr, key_len, iv_len, &kb);
    for (s = 0; s < 2; s++) {
        const td_vec_entry *fin =
            td_vec_find(&v, sides[s], "handshake", "finished", "message", 0);
        td_protect st, o;
        td_span got;
        td_wr wr;

        ck_assert(fin != NULL);
        /* 14 00 00 0c: Finished, 12 bytes of verify_data */
        ck_assert_uint_eq(fin->len, 16);
        kb_install(&kb, (int)s, alg, &st);
        kb_install(&kb, (int)s, alg, &o);
        td_wr_init(&wr, wbuf, sizeof wbuf);
        ck_assert_int_eq(td_protect_seal(&st, 22, td_vec_span(fin), 0, &wr),
                         TD_OK);
        ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
        ck_assert_mem_eq(got.p, hdr[s], 5);
        ck_assert_uint_eq(got.len, 5 + ((size_t)hdr[s][3] << 8 | hdr[s][4]));
        memcpy(rbuf, got.p, got.len);
        open_eq(&o, span(rbuf, got.len), 22, td_vec_span(fin), sides[s]);
    }
    td_vec_free(&v);
}
END_TEST

/* ---------------------------------------------------------------------
 * Sequence numbers, sending rules, state handling
 * --------------------------------------------------------------------- */

/* RFC 8446 5.3 "sequence numbers MUST NOT wrap"; RFC 5246 6.1 "Sequence
 * numbers do not wrap": the record with 2^64-1 is the last one. */
static void wrap_check(td_protect *s, td_protect *o, uint8_t type,
                       td_span content)
{
    td_protect snap;
    td_span got;
    td_wr wr;

    s->seq = o->seq = UINT64_MAX;
    td_wr_init(&wr, wbuf, sizeof wbuf);
    ck_assert_int_eq(td_protect_seal(s, type, content, 0, &wr), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
    memcpy(rbuf, got.p, got.len);
    ck_assert_int_eq(s->seq_exhausted, 1);
    memcpy(&snap, s, sizeof snap);
    ck_assert_int_eq(td_protect_seal(s, type, content, 0, &wr),
                     TD_ERR_NOSPACE);
    ck_assert_uint_eq(td_wr_len(&wr), got.len);
    ck_assert_mem_eq(s, &snap, sizeof snap);
    open_eq(o, span(rbuf, got.len), type, content, "seq 2^64-1");
    ck_assert_int_eq(o->seq_exhausted, 1);
    open_fails(o, span(rbuf, got.len), TD_ERR_NOSPACE, "wrap", 0);
}

START_TEST(test_seq_wrap)
{
    td_protect s, o;
    uint8_t plain[64];
    size_t k;
    kb12 kb;
    t13 t;

    load_t13(&t);
    t13_install(&t, &s);
    t13_install(&t, &o);
    wrap_check(&s, &o, TD_CT_HANDSHAKE, span(t.payload, t.payload_len));
    for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        size_t n;
        cap_keys(&caps[k], &kb);
        kb_install(&kb, 1, caps[k].aead, &s);
        kb_install(&kb, 1, caps[k].aead, &o);
        n = hex(caps[k].recs[4].plain, plain, sizeof plain);
        wrap_check(&s, &o, 23, span(plain, n));
    }
}
END_TEST

/* Sending rules are the caller's bugs: TD_ERR_INTERNAL, nothing moves. */
static void seal_refused(td_protect *st, uint8_t type, td_span content,
                         size_t pad, size_t cap, td_err want, const char *what)
{
    td_protect snap;
    td_wr wr;
    td_err err;

    memcpy(&snap, st, sizeof snap);
    td_wr_init(&wr, wbuf, cap);
    err = td_protect_seal(st, type, content, pad, &wr);
    ck_assert_msg(err == want, "%s: got %s", what, td_err_name(err));
    ck_assert_uint_eq(td_wr_len(&wr), 0);
    ck_assert_mem_eq(st, &snap, sizeof snap);
}

START_TEST(test_seal_rules)
{
    td_protect st;
    td_span got;
    td_wr wr;
    kb12 kb;
    t13 t;

    load_t13(&t);
    t13_install(&t, &st);
    memset(ibuf, 0x41, TD_MAX_PLAINTEXT_LEN + 1);
    /* RFC 8446 5.4: no zero-length Handshake or Alert content */
    seal_refused(&st, 22, span(NULL, 0), 0, sizeof wbuf, TD_ERR_INTERNAL,
                 "13 hs0");
    seal_refused(&st, 21, span(NULL, 0), 0, sizeof wbuf, TD_ERR_INTERNAL,
                 "13 alert0");
    /* RFC 8446 5: change_cipher_spec is not protected; 99 is no type */
    seal_refused(&st, 20, span(ibuf, 1), 0, sizeof wbuf, TD_ERR_INTERNAL,
                 "13 ccs");
    seal_refused(&st, 99, span(ibuf, 1), 0, sizeof wbuf, TD_ERR_INTERNAL,
                 "13 type");
    /* RFC 8446 5.4: the inner plaintext is at most 2^14 + 1 octets */
    seal_refused(&st, 23, span(ibuf, TD_MAX_PLAINTEXT_LEN), 1, sizeof wbuf,
                 TD_ERR_INTERNAL, "13 2^14+pad");
    seal_refused(&st, 23, span(ibuf, TD_MAX_PLAINTEXT_LEN + 1), 0,
                 sizeof wbuf, TD_ERR_INTERNAL, "13 2^14+1");
    seal_refused(&st, 23, span(ibuf, 1), TD_MAX_PLAINTEXT_LEN, sizeof wbuf,
                 TD_ERR_INTERNAL, "13 pad");
    /* the writer one byte short: 5 + 36 + 1 + 16 = 58 needed */
    seal_refused(&st, 22, span(t.payload, t.payload_len), 0, 57,
                 TD_ERR_NOSPACE, "13 nospace");
    seal_eq(&st, 22, span(t.payload, t.payload_len),
            span(t.rec, t.rec_len), "after refusals");
    /* RFC 8446 5.4: empty application data may be sent: 17 03 03 00 11,
     * 0x11 = 17 = 1 type + 16 tag */
    td_wr_init(&wr, wbuf, sizeof wbuf);
    ck_assert_int_eq(td_protect_seal(&st, 23, span(NULL, 0), 0, &wr), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &got), TD_OK);
    ck_assert_uint_eq(got.len, 22);
    ck_assert_uint_eq(wbuf[4], 0x11);
    /* content 2^14 and type: exactly 2^14 + 1 */
    td_wr_init(&wr, wbuf, sizeof wbuf);
    ck_assert_int_eq(td_protect_seal(&st, 23, span(ibuf, TD_MAX_PLAINTEXT_LEN),
                                     0, &wr),
                     TD_OK);
    ck_assert_uint_eq(td_wr_len(&wr), 5 + TD_MAX_INNER_PLAINTEXT_LEN + 16);
    /* TLS 1.2 has no padding and no explicit-nonce variant */
    ck_assert_int_eq(td_protect12_seal_explicit(&st, 23, span(ibuf, 1), 0, &wr),
                     TD_ERR_INTERNAL);

    cap_keys(&caps[0], &kb);
    kb_install(&kb, 0, caps[0].aead, &st);
    /* RFC 5246 6.2.1: no zero-length Handshake, Alert, ChangeCipherSpec */
    seal_refused(&st, 22, span(NULL, 0), 0, sizeof wbuf, TD_ERR_INTERNAL,
                 "12 hs0");
    seal_refused(&st, 21, span(NULL, 0), 0, sizeof wbuf, TD_ERR_INTERNAL,
                 "12 alert0");
    seal_refused(&st, 20, span(NULL, 0), 0, sizeof wbuf, TD_ERR_INTERNAL,
                 "12 ccs0");
    /* RFC 5246 6.2.1: TLSPlaintext.length <= 2^14 */
    seal_refused(&st, 23, span(ibuf, TD_MAX_PLAINTEXT_LEN + 1), 0,
                 sizeof wbuf, TD_ERR_INTERNAL, "12 2^14+1");
    seal_refused(&st, 23, span(ibuf, 1), 1, sizeof wbuf, TD_ERR_INTERNAL,
                 "12 pad");
    seal_refused(&st, 99, span(ibuf, 1), 0, sizeof wbuf, TD_ERR_INTERNAL,
                 "12 type");
    /* 5 + 8 + 1 + 16 = 30 needed */
    seal_refused(&st, 23, span(ibuf, 1), 0, 29, TD_ERR_NOSPACE, "12 nospace");
    /* empty application data: 8 + 0 + 16 = 24 = 0x18 */
    td_wr_init(&wr, wbuf, sizeof wbuf);
    ck_assert_int_eq(td_protect_seal(&st, 23, span(NULL, 0), 0, &wr), TD_OK);
    ck_assert_uint_eq(td_wr_len(&wr), 29);
    ck_assert_uint_eq(wbuf[4], 0x18);
    td_wr_init(&wr, wbuf, sizeof wbuf);
    ck_assert_int_eq(td_protect_seal(&st, 23, span(ibuf, TD_MAX_PLAINTEXT_LEN),
                                     0, &wr),
                     TD_OK);
    ck_assert_uint_eq(td_wr_len(&wr), 5 + 8 + TD_MAX_PLAINTEXT_LEN + 16);
    cap_keys(&caps[2], &kb);
    kb_install(&kb, 0, caps[2].aead, &st);
    ck_assert_int_eq(td_protect12_seal_explicit(&st, 23, span(ibuf, 1), 0, &wr),
                     TD_ERR_INTERNAL);
}
END_TEST

START_TEST(test_state)
{
    static const uint8_t k32[32], iv12[12];
    td_protect st, snap, zero;
    td_protect_plain p;
    td_rd rd;
    td_wr wr;
    size_t i;
    t13 t;

    memset(&zero, 0, sizeof zero);
    load_t13(&t);
    /* never installed */
    memset(&st, 0, sizeof st);
    td_wr_init(&wr, wbuf, sizeof wbuf);
    ck_assert_int_eq(td_protect_seal(&st, 23, span(iv12, 1), 0, &wr),
                     TD_ERR_INTERNAL);
    open_fails(&st, span(t.rec, t.rec_len), TD_ERR_INTERNAL, "uninstalled", 0);

    /* wrong lengths for the AEAD and version (RFC 5288 3: salt 4; RFC 8446
     * 5.3, RFC 7905 2: iv 12) leave the state as it was */
    t13_install(&t, &st);
    memcpy(&snap, &st, sizeof snap);
    ck_assert_int_eq(td_protect_install(&st, TD_RECORD_TLS13,
                                        TD_AEAD_AES_128_GCM, span(k32, 15),
                                        span(iv12, 12)),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_protect_install(&st, TD_RECORD_TLS13,
                                        TD_AEAD_AES_128_GCM, span(k32, 16),
                                        span(iv12, 4)),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_protect_install(&st, TD_RECORD_TLS12,
                                        TD_AEAD_AES_256_GCM, span(k32, 32),
                                        span(iv12, 12)),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_protect_install(&st, TD_RECORD_TLS12,
                                        TD_AEAD_CHACHA20_POLY1305,
                                        span(k32, 32), span(iv12, 4)),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_protect_install(&st, (td_record_version)0x0302,
                                        TD_AEAD_AES_128_GCM, span(k32, 16),
                                        span(iv12, 12)),
                     TD_ERR_INTERNAL);
    ck_assert_mem_eq(&st, &snap, sizeof st);

    /* the caller's buffer too small for the content: nothing moves */
    memset(pbuf, 0xee, sizeof pbuf);
    td_rd_init(&rd, t.rec, t.rec_len);
    ck_assert_int_eq(td_protect_open(&st, &rd, pbuf, t.payload_len - 1, &p),
                     TD_ERR_NOSPACE);
    ck_assert_uint_eq(rd.off, 0);
    ck_assert_mem_eq(&st, &snap, sizeof st);
    for (i = 0; i < t.payload_len; i++)
        ck_assert_uint_eq(pbuf[i], 0xee);
    ck_assert_int_eq(td_protect_open(&st, &rd, pbuf, t.payload_len, &p),
                     TD_OK);
    ck_span_eq(p.content, span(t.payload, t.payload_len));

    /* reinstalling starts again at 0 (RFC 8446 5.3) */
    t13_install(&t, &st);
    ck_assert_uint_eq(st.seq, 0);
    /* reset wipes key material */
    td_protect_reset(&st);
    ck_assert_mem_eq(&st, &zero, sizeof st);
    ck_assert_int_eq(td_protect_seal(&st, 23, span(iv12, 1), 0, &wr),
                     TD_ERR_INTERNAL);
}
END_TEST

Suite *td_protect_suite(void);

Suite *td_protect_suite(void)
{
    Suite *s = suite_create("protect");
    TCase *tc;

    tc = tcase_create("tls13_valid");
    tcase_add_loop_test(tc, test_tls13_traces, 0,
                        (int)(sizeof trace_files / sizeof trace_files[0]));
    tcase_add_test(tc, test_tls13_traces_total);
    tcase_add_test(tc, test_tls13_padding);
    tcase_add_test(tc, test_tls13_nonce);
    suite_add_tcase(s, tc);

    tc = tcase_create("tls13_rfc_negative");
    tcase_add_test(tc, test_tls13_inner);
    tcase_add_test(tc, test_tls13_outer);
    tcase_add_test(tc, test_tls13_flip);
    tcase_add_test(tc, test_tls13_truncated);
    tcase_add_test(tc, test_tls13_wrong_keys);
    suite_add_tcase(s, tc);

    tc = tcase_create("tls12_valid");
    tcase_add_loop_test(tc, test_tls12_openssl, 0,
                        (int)(sizeof caps / sizeof caps[0]));
    tcase_add_test(tc, test_tls12_coalesced);
    tcase_add_test(tc, test_tls12_chacha_nonce);
    tcase_add_loop_test(tc, test_tls12_vectors, 0,
                        (int)(sizeof tls12_files / sizeof tls12_files[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("tls12_rfc_negative");
    tcase_add_test(tc, test_tls12_limits);
    tcase_add_test(tc, test_tls12_flip);
    tcase_add_test(tc, test_tls12_truncated);
    tcase_add_test(tc, test_tls12_seq);
    suite_add_tcase(s, tc);

    tc = tcase_create("state");
    tcase_add_test(tc, test_seq_wrap);
    tcase_add_test(tc, test_seal_rules);
    tcase_add_test(tc, test_state);
    suite_add_tcase(s, tc);
    return s;
}
