/*
 * Helpers of the engine_client13 suites: the reference client configured
 * to offer exactly an RFC 8448 trace's ClientHello, and TLS 1.3 record
 * protection with a trace's keys to read what the client sends and to
 * seal edited server messages.
 *
 * Header-only (static inline) so that a suite can use it without a change
 * to the runner's source list; include td_vec.h first.
 */
#ifndef TD_CLIENT13_TEST_H
#define TD_CLIENT13_TEST_H

#include "td_conn.h"
#include "td_keys.h"
#include "td_msg.h"
#include "td_protect.h"
#include "td_vec.h"

#include <check.h>
#include <string.h>

/* Connections and configurations are large: one of each, static. */
static inline td_conn *t13_conn(void)
{
    static td_conn c;
    return &c;
}

static inline td_conn_config *t13_cfg(void)
{
    static td_conn_config cfg;
    return &cfg;
}

static inline td_draw_script *t13_script(void)
{
    static td_draw_script s;
    return &s;
}

static inline td_span t13_span(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

static inline void t13_vec_load(const char *rel, td_vec *v)
{
    td_err err = td_vec_load(rel, v);

    ck_assert_msg(err == TD_OK, "%s/%s: %s", td_vectors_dir(), rel,
                  td_err_name(err));
}

/* The nth entry with these columns; the test fails if there is none. */
static inline const td_vec_entry *t13_vec_find(const td_vec *v,
                                               const char *side,
                                               const char *kind,
                                               const char *name,
                                               const char *field, int nth)
{
    const td_vec_entry *e = td_vec_find(v, side, kind, name, field, nth);

    ck_assert_msg(e != NULL, "no %s %s %s %s #%d in vectors",
                  side ? side : "*", kind ? kind : "*", name ? name : "*",
                  field ? field : "*", nth);
    return e;
}

static inline void t13_list(td_code_list *l, const uint16_t *v, size_t n)
{
    ck_assert(n <= TD_PROFILE_MAX_LIST);
    memcpy(l->v, v, n * sizeof v[0]);
    l->n = n;
}

static inline void t13_script_add(td_draw what, const uint8_t *p, size_t n)
{
    td_draw_script *s = t13_script();

    ck_assert(s->n < TD_DRAW_SCRIPT_MAX && n <= TD_DRAW_ITEM_MAX);
    s->item[s->n].what = what;
    s->item[s->n].len = n;
    memcpy(s->item[s->n].bytes, p, n);
    s->n++;
}

/* The first certificate of a Certificate message (header included). */
static inline void t13_first_cert(const td_vec_entry *msg, td_cert_list *out)
{
    td_certificate13 m;
    td_certificate_entry e;
    td_rd list;
    int got;

    ck_assert_int_eq(td_certificate13_decode(t13_span(msg->data + 4,
                                                      msg->len - 4),
                                             &m),
                     TD_OK);
    td_rd_init_span(&list, m.certificate_list);
    ck_assert_int_eq(td_certificate_entry_next(&list, &e, &got), TD_OK);
    ck_assert(got && e.cert_data.len <= TD_CONN_MAX_CERT_LEN);
    memcpy(out->der[0], e.cert_data.p, e.cert_data.len);
    out->len[0] = e.cert_data.len;
    out->n = 1;
}

/* A DER INTEGER (X.690 8.3) of a positive big-endian number. */
static inline void t13_der_int(td_wr *w, const td_vec_entry *e)
{
    const uint8_t *p = e->data;
    size_t n = e->len;
    int pad;

    while (n > 1 && p[0] == 0) {
        p++;
        n--;
    }
    pad = p[0] & 0x80 ? 1 : 0; /* a leading 1 bit would make it negative */
    ck_assert_int_eq(td_wr_u8(w, 0x02), TD_OK);
    /* X.690 10.1: the shortest length form */
    if (n + pad < 0x80) {
        ck_assert_int_eq(td_wr_u8(w, (uint32_t)(n + pad)), TD_OK);
    } else if (n + pad < 0x100) {
        ck_assert_int_eq(td_wr_u8(w, 0x81), TD_OK);
        ck_assert_int_eq(td_wr_u8(w, (uint32_t)(n + pad)), TD_OK);
    } else {
        ck_assert_int_eq(td_wr_u8(w, 0x82), TD_OK);
        ck_assert_int_eq(td_wr_u16(w, (uint32_t)(n + pad)), TD_OK);
    }
    if (pad)
        ck_assert_int_eq(td_wr_u8(w, 0), TD_OK);
    ck_assert_int_eq(td_wr_bytes(w, p, n), TD_OK);
}

/* The trace's section 2 RSA key as RFC 8017 A.1.2 RSAPrivateKey:
 *     SEQUENCE { version 0, modulus, publicExponent, privateExponent,
 *                prime1, prime2, exponent1, exponent2, coefficient } */
static inline void t13_s2_private_key(td_key *out)
{
    static const char *const fields[] = {
        "modulus_public", "public_exponent", "private_exponent",
        "prime1",         "prime2",          "exponent1",
        "exponent2",      "coefficient",
    };
    uint8_t body[2048], der[2100];
    td_span b;
    td_wr w;
    td_vec v;
    size_t i;

    t13_vec_load("tls13/s2-keys.vec", &v);
    td_wr_init(&w, body, sizeof body);
    ck_assert_int_eq(td_wr_bytes(&w, (const uint8_t *)"\x02\x01\x00", 3),
                     TD_OK);
    for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
        t13_der_int(&w, t13_vec_find(&v, "server", "key", "server_rsa",
                                     fields[i], 0));
    ck_assert_int_eq(td_wr_finish(&w, &b), TD_OK);
    td_wr_init(&w, der, sizeof der);
    ck_assert_int_eq(td_wr_u8(&w, 0x30), TD_OK);
    ck_assert_uint_ge(b.len, 0x100); /* so 82 is the shortest form */
    ck_assert_int_eq(td_wr_u8(&w, 0x82), TD_OK);
    ck_assert_int_eq(td_wr_u16(&w, (uint32_t)b.len), TD_OK);
    ck_assert_int_eq(td_wr_span(&w, b), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &b), TD_OK);
    ck_assert_int_eq(td_key_load_private(b, out), TD_OK);
    ck_assert_int_eq(out->type, TD_KEY_RSA);
    td_vec_free(&v);
}

/* The same key's public half, from the certificate that carries it
 * (section 3's server certificate "rsa": its modulus is section 2's). */
static inline void t13_s2_public_key(td_key *out)
{
    static td_cert_list certs;
    td_vec v;

    t13_vec_load("tls13/s3-1rtt.vec", &v);
    t13_first_cert(t13_vec_find(&v, "server", "handshake", "certificate",
                                "message", 0),
                   &certs);
    ck_assert_int_eq(td_key_from_cert(t13_span(certs.der[0], certs.len[0]),
                                      out),
                     TD_OK);
    td_vec_free(&v);
}

typedef enum { T13_S3, T13_S5, T13_S6, T13_S7 } t13_section;

/* 2026-01-01T00:00:00Z: inside the validity of the traces' certificates
 * ("rsa", "ecdsa256": 2016-07-30 to 2026-07-30) */
#define T13_TRACE_NOW UINT64_C(1767225600)

/* The configuration that offers exactly the section's ClientHello. */
static inline void t13_trace_config(const td_vec *v, t13_section which,
                                    td_conn_config *cfg)
{
    /* cipher_suites 0006 1301 1303 1302 */
    static const uint16_t suites[] = {0x1301, 0x1303, 0x1302};
    /* supported_groups: x25519, secp256r1, secp384r1, secp521r1,
     * ffdhe2048..8192 (the engine computes the first three only) */
    static const uint16_t groups[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100,
                                      0x0101, 0x0102, 0x0103, 0x0104};
    /* section 5 lists only x25519, secp256r1, secp384r1 */
    static const uint16_t groups5[] = {0x001d, 0x0017, 0x0018};
    /* signature_algorithms, 001e = 15 schemes */
    static const uint16_t sigalgs[] = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804,
                                       0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
                                       0x0201, 0x0402, 0x0502, 0x0602, 0x0202};
    /* extensions beyond the TLS 1.3 defaults: renegotiation_info (ff01),
     * record_size_limit (001c); section 3 also session_ticket (0023),
     * section 5 padding (0015) */
    static const uint16_t extra[] = {0xff01, 0x001c};
    const td_vec_entry *ch =
        t13_vec_find(v, "client", "handshake", "client_hello", "message", 0);
    size_t i;

    memset(cfg, 0, sizeof *cfg);
    memset(t13_script(), 0, sizeof *t13_script());
    cfg->role = TD_ROLE_CLIENT;
    cfg->min_version = cfg->max_version = 0x0304;
    t13_list(&cfg->suites, suites, 3);
    if (which == T13_S5)
        t13_list(&cfg->groups, groups5, 3);
    else
        t13_list(&cfg->groups, groups, 9);
    t13_list(&cfg->sigalgs, sigalgs, 15);
    snprintf(cfg->sni, sizeof cfg->sni, "server");
    /* the trace's certificates (CN=rsa, CN=ecdsa256, no SAN) do not name
     * "server": the replay checks the handshake, not RFC 6125 */
    cfg->no_name_check = 1;
    cfg->tickets = 1; /* psk_key_exchange_modes [psk_dhe_ke] */
    t13_list(&cfg->extra_extensions, extra, 2);
    if (which == T13_S3)
        cfg->extra_extensions.v[cfg->extra_extensions.n++] = 0x0023;
    if (which == T13_S5)
        cfg->extra_extensions.v[cfg->extra_extensions.n++] = 0x0015;
    /* sections 3, 5, 6: legacy_session_id empty; 7: compatibility mode */
    cfg->no_compat_session_id = which != T13_S7;
    cfg->now = T13_TRACE_NOW;
    /* the server's certificate is its own trust anchor (self-signed) */
    t13_first_cert(
        t13_vec_find(v, "server", "handshake", "certificate", "message", 0),
        &cfg->trust);
    if (which == T13_S6) {
        t13_first_cert(t13_vec_find(v, "client", "handshake", "certificate",
                                    "message", 0),
                       &cfg->chain);
        t13_s2_private_key(&cfg->key);
    }
    /* ClientHello: 4 header, 2 legacy_version, 32 random, then
     * legacy_session_id<0..32> */
    t13_script_add(TD_DRAW_RANDOM, ch->data + 6, 32);
    if (which == T13_S7) {
        ck_assert_uint_eq(ch->data[38], 32);
        t13_script_add(TD_DRAW_SESSION_ID, ch->data + 39, 32);
    }
    for (i = 0; i < v->n; i++)
        if (!strcmp(v->e[i].side, "client") && !strcmp(v->e[i].kind, "key") &&
            !strcmp(v->e[i].field, "private_key"))
            t13_script_add(TD_DRAW_KEY_SHARE, v->e[i].data, v->e[i].len);
    cfg->script = t13_script();
}

/* td_conn_init with the client's stream of `seed`, then start. */
static inline void t13_start(td_conn *c, const td_conn_config *cfg,
                             uint64_t seed)
{
    td_rng rng;

    td_rng_init(&rng, seed, "client");
    ck_assert_int_eq(td_conn_init(c, cfg, &rng), TD_OK);
    ck_assert_msg(td_conn_start(c) == TD_OK, "start: %s (%s)",
                  td_err_name(c->failure.err), c->failure.why);
}

/* The one TLS 1.3 AES-128-GCM record rec (the traces' suite) opened with
 * a trace key at sequence number seq; the content into buf. */
static inline void t13_open(td_span key, td_span iv, uint64_t seq,
                            td_span rec, uint8_t *buf, size_t cap,
                            td_span *content)
{
    td_protect p;
    td_protect_plain pl;
    td_rd r;

    memset(&p, 0, sizeof p);
    ck_assert_int_eq(td_protect_install(&p, TD_RECORD_TLS13,
                                        TD_AEAD_AES_128_GCM, key, iv),
                     TD_OK);
    p.seq = seq;
    td_rd_init_span(&r, rec);
    ck_assert_int_eq(td_protect_open(&p, &r, buf, cap, &pl), TD_OK);
    ck_assert_uint_eq(td_rd_left(&r), 0);
    *content = pl.content;
}

/* content of `type` sealed the same way; returns the record's length. */
static inline size_t t13_seal(td_span key, td_span iv, uint64_t seq,
                              uint8_t type, td_span content, uint8_t *out,
                              size_t cap)
{
    td_protect p;
    td_wr w;

    memset(&p, 0, sizeof p);
    ck_assert_int_eq(td_protect_install(&p, TD_RECORD_TLS13,
                                        TD_AEAD_AES_128_GCM, key, iv),
                     TD_OK);
    p.seq = seq;
    td_wr_init(&w, out, cap);
    ck_assert_int_eq(td_protect_seal(&p, type, content, 0, &w), TD_OK);
    return td_wr_len(&w);
}

/* A plaintext record (RFC 8446 5.1) of one handshake message. */
static inline size_t t13_hs_record(uint8_t msg_type, td_span body,
                                   uint8_t *out, size_t cap)
{
    td_wr w;
    td_wr_mark m;
    td_handshake h;

    h.msg_type = msg_type;
    h.body = body;
    td_wr_init(&w, out, cap);
    ck_assert_int_eq(td_wr_u8(&w, TD_CT_HANDSHAKE), TD_OK);
    ck_assert_int_eq(td_wr_u16(&w, 0x0303), TD_OK);
    ck_assert_int_eq(td_wr_open16(&w, &m), TD_OK);
    ck_assert_int_eq(td_handshake_encode(&w, &h), TD_OK);
    ck_assert_int_eq(td_wr_close(&w, &m), TD_OK);
    return td_wr_len(&w);
}

#endif
