/*
 * td_ks13 / td_ks12 / td_ks_suite: the TLS 1.3 and TLS 1.2 key schedules.
 *
 * Expected values:
 *   - TLS 1.3: the example traces of vectors/tls13 (RFC 8448-style, every
 *     secret, key, IV and message of five handshakes). Transcript hashes
 *     are computed here with td_hash over the trace's messages, in order.
 *   - TLS 1.2: the openssl captures of vectors/tls12 (master secrets from
 *     s_client's key log, Finished messages as openssl sent them).
 *   - Where neither has a value (KeyUpdate, SHA-384, the TLS 1.2 key block
 *     and the non-extended master secret), the value is the output of the
 *     openssl 3.0 command line written next to it, over inputs taken from
 *     the vectors, and HkdfLabel bytes are built by hand with each byte
 *     explained.
 */
#include "td_vec.h" /* first: it selects POSIX for mkdtemp */

#include "td_crypto.h"
#include "td_keys.h"
#include "td_record.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tls13_files[] = {
    "tls13/s3-1rtt.vec", "tls13/s4-0rtt.vec", "tls13/s5-hrr.vec",
    "tls13/s6-client-auth.vec", "tls13/s7-compat.vec",
};
#define N_TLS13 (sizeof tls13_files / sizeof tls13_files[0])

static const char *const tls12_files[] = {
    "tls12/client-auth.vec", "tls12/downgrade.vec",
    "tls12/ecdhe-ecdsa-aes128-gcm.vec", "tls12/ecdhe-rsa-chacha20.vec",
    "tls12/rsa-aes128-gcm.vec",
};
#define N_TLS12 (sizeof tls12_files / sizeof tls12_files[0])

/* ------------------------------------------------------------ helpers */

static void vec_load(const char *rel, td_vec *v)
{
    td_err err = td_vec_load(rel, v);

    ck_assert_msg(err == TD_OK, "%s/%s: %s", td_vectors_dir(), rel,
                  td_err_name(err));
}

/* The first entry with these columns (NULL matches any); must exist. */
static td_span vec_get(const td_vec *v, const char *side, const char *kind,
                       const char *name, const char *field)
{
    const td_vec_entry *e = td_vec_find(v, side, kind, name, field, 0);

    ck_assert_msg(e != NULL, "no %s %s %s %s in vectors", side ? side : "*",
                  kind, name, field);
    return td_vec_span(e);
}

static void ck_span_eq(td_span got, td_span want)
{
    ck_assert_uint_eq(got.len, want.len);
    if (want.len)
        ck_assert_mem_eq(got.p, want.p, want.len);
}

static void ck_bytes_eq(const uint8_t *got, td_span want)
{
    td_span g = {got, want.len};

    ck_span_eq(g, want);
}

/* Hex (no spaces) into out; returns the byte count. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s) / 2, i;

    ck_assert_uint_eq(strlen(s) % 2, 0);
    ck_assert_uint_le(n, cap);
    for (i = 0; i < n; i++) {
        int hi = td_vec_hexval(s[2 * i]), lo = td_vec_hexval(s[2 * i + 1]);
        ck_assert(hi >= 0 && lo >= 0);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return n;
}

static int all_zero(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static td_span span_of(const uint8_t *p, size_t n)
{
    td_span s = {p, n};
    return s;
}

/* ------------------------------------------------- TLS 1.3 transcripts */

#define MAX_MSGS 16
#define H256 32u /* every trace uses TLS_AES_128_GCM_SHA256 */

/* RFC 8446 4.1.3: the ServerHello.random of a HelloRetryRequest */
static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
    0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
    0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

typedef struct trace {
    td_vec v;
    size_t n;
    const char *side[MAX_MSGS];
    const char *name[MAX_MSGS];
    td_span msg[MAX_MSGS];
    /* th[i] = Transcript-Hash(msg[0..i]) (RFC 8446 4.4.1) */
    uint8_t th[MAX_MSGS][H256];
    int hrr;                /* msg[1] is a HelloRetryRequest */
    uint8_t mh[4 + H256];   /* message_hash that replaces msg[0] then */
} trace;

static trace tr;

static void trace_load(const char *rel, trace *t)
{
    td_hash_ctx h;
    size_t i;

    memset(t, 0, sizeof *t);
    vec_load(rel, &t->v);
    for (i = 0; i < t->v.n; i++) {
        const td_vec_entry *e = &t->v.e[i];
        if (strcmp(e->kind, "handshake"))
            continue;
        ck_assert_uint_lt(t->n, MAX_MSGS);
        t->side[t->n] = e->side;
        t->name[t->n] = e->name;
        t->msg[t->n] = td_vec_span(e);
        if (!strcmp(e->field, "partial")) {
            /* s4: the ClientHello before its binders; the whole message is
             * the payload of the first client handshake record */
            td_span full = vec_get(&t->v, "client", "record", "handshake",
                                   "payload");
            ck_assert_uint_gt(full.len, e->len);
            ck_assert_mem_eq(full.p, e->data, e->len);
            t->msg[t->n] = full;
        }
        t->n++;
    }
    ck_assert_uint_ge(t->n, 4);
    /* msg = type(1) length(3) legacy_version(2) random(32) ... */
    t->hrr = !strcmp(t->name[1], "server_hello") && t->msg[1].len >= 38 &&
             !memcmp(t->msg[1].p + 6, hrr_random, 32);
    if (t->hrr) {
        /* RFC 8446 4.4.1: Hash(message_hash || 00 00 Hash.length ||
         * Hash(ClientHello1) || HelloRetryRequest || ... ): fe = 254,
         * 00 00 20 = length 32 */
        t->mh[0] = 0xfe;
        t->mh[1] = 0x00;
        t->mh[2] = 0x00;
        t->mh[3] = 0x20;
        ck_assert_int_eq(td_hash(TD_HASH_SHA256, t->msg[0], t->mh + 4), TD_OK);
    }
    ck_assert_int_eq(td_hash_init(&h, TD_HASH_SHA256), TD_OK);
    for (i = 0; i < t->n; i++) {
        td_span m = t->msg[i];
        if (i == 0 && t->hrr)
            m = span_of(t->mh, sizeof t->mh);
        ck_assert_int_eq(td_hash_update(&h, m), TD_OK);
        ck_assert_int_eq(td_hash_peek(&h, t->th[i]), TD_OK);
    }
}

/* Index of the last message of this side and name. */
static size_t msg_idx(const trace *t, const char *side, const char *name)
{
    size_t i, found = MAX_MSGS;

    for (i = 0; i < t->n; i++)
        if (!strcmp(t->side[i], side) && !strcmp(t->name[i], name))
            found = i;
    ck_assert_msg(found < MAX_MSGS, "no %s %s message", side, name);
    return found;
}

/* Transcript-Hash of everything up to and including message i. */
static td_span th_at(const trace *t, size_t i)
{
    return span_of(t->th[i], H256);
}

static td_span kdf(const trace *t, const char *side, const char *name,
                   const char *field)
{
    return vec_get(&t->v, side, "kdf", name, field);
}

static int has_kdf(const trace *t, const char *name)
{
    return td_vec_find(&t->v, NULL, "kdf", name, NULL, 0) != NULL;
}

/* A Finished message's verify_data: the body after the 4-byte header. */
static td_span finished_body(const trace *t, size_t i)
{
    ck_assert_uint_eq(t->msg[i].p[0], TD_HS_FINISHED);
    ck_assert_uint_eq(t->msg[i].len, 4 + H256);
    return span_of(t->msg[i].p + 4, H256);
}

/* ----------------------------------------- every kdf step, one by one */

/* HkdfLabel (RFC 8446 7.1) parsed from a trace's `info` line. */
typedef struct hkdf_label {
    uint16_t length;
    char label[256]; /* without "tls13 " */
    td_span context;
} hkdf_label;

static void parse_info(td_span info, hkdf_label *out)
{
    td_rd r, lab, ctx;
    td_span l;

    td_rd_init_span(&r, info);
    ck_assert_int_eq(td_rd_u16(&r, &out->length), TD_OK);
    ck_assert_int_eq(td_rd_vec8(&r, 7, 255, &lab), TD_OK);
    ck_assert_int_eq(td_rd_vec8(&r, 0, 255, &ctx), TD_OK);
    ck_assert_int_eq(td_rd_done(&r), TD_OK);
    td_rd_rest(&lab, &l);
    ck_assert_mem_eq(l.p, "tls13 ", 6);
    memcpy(out->label, l.p + 6, l.len - 6);
    out->label[l.len - 6] = '\0';
    td_rd_rest(&ctx, &out->context);
}

/* One step of the trace: the kdf lines of one (side, name) in a row. */
typedef struct kdf_step {
    const td_vec_entry *f[8];
    size_t n;
    unsigned used; /* bit i: field f[i] was compared or used */
} kdf_step;

static td_span step_field(kdf_step *s, const char *field, int need)
{
    size_t i;
    td_span none = {NULL, 0};

    for (i = 0; i < s->n; i++)
        if (!strcmp(s->f[i]->field, field)) {
            s->used |= 1u << i;
            return td_vec_span(s->f[i]);
        }
    ck_assert_msg(!need, "%s: no field %s", s->f[0]->name, field);
    return none;
}

static int step_has(const kdf_step *s, const char *field)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (!strcmp(s->f[i]->field, field))
            return 1;
    return 0;
}

/* HKDF-Expand-Label(prk, label, context, length) == expanded */
static void check_expand(kdf_step *s, const trace *t)
{
    hkdf_label hl;
    uint8_t out[64];
    td_span prk = step_field(s, "prk", 1), hash = step_field(s, "hash", 1);
    td_span expanded = step_field(s, "expanded", 1);
    const char *name = s->f[0]->name;

    parse_info(step_field(s, "info", 1), &hl);
    ck_assert_uint_eq(hl.length, expanded.len);
    /* the context is the hash shown, when the text shows one */
    if (hash.len)
        ck_span_eq(hl.context, hash);
    ck_assert_int_eq(td_ks13_expand_label(TD_HASH_SHA256, prk, hl.label,
                                          hl.context, out, hl.length),
                     TD_OK);
    ck_bytes_eq(out, expanded);

    if (!strncmp(name, "derive_secret", 13)) {
        ck_assert_int_eq(td_ks13_derive_secret(TD_HASH_SHA256, prk, hl.label,
                                               hash, out),
                         TD_OK);
        ck_bytes_eq(out, expanded);
        if (!strcmp(hl.label, "derived")) {
            /* Transcript-Hash("") = SHA-256("") */
            uint8_t e[H256];
            ck_assert_int_eq(td_hash(TD_HASH_SHA256, span_of(NULL, 0), e),
                             TD_OK);
            ck_bytes_eq(e, hash);
        }
    } else if (!strcmp(name, "calculate_finished_tls13_finished") ||
               !strcmp(name, "calculate_psk_binder")) {
        /* finished_key = HKDF-Expand-Label(BaseKey, "finished", "", 32) */
        ck_assert_str_eq(hl.label, "finished");
        ck_assert_int_eq(td_ks13_finished_key(TD_HASH_SHA256, prk, out),
                         TD_OK);
        ck_bytes_eq(out, expanded);
        if (step_has(s, "binder_hash")) {
            td_span bh = step_field(s, "binder_hash", 1);
            uint8_t h[H256];
            /* binder_hash = Transcript-Hash(Truncate(ClientHello1)) */
            ck_assert_int_eq(
                td_hash(TD_HASH_SHA256, step_field(s, "client_hello_prefix", 1),
                        h),
                TD_OK);
            ck_bytes_eq(h, bh);
            ck_assert_int_eq(td_ks13_verify_data(TD_HASH_SHA256, prk, bh, out),
                             TD_OK);
            ck_bytes_eq(out, step_field(s, "finished", 1));
        } else {
            /* verify_data over Transcript-Hash(... up to the Finished) */
            size_t f = msg_idx(t, s->f[0]->side, "finished");
            ck_assert_int_eq(td_ks13_verify_data(TD_HASH_SHA256, prk,
                                                 th_at(t, f - 1), out),
                             TD_OK);
            ck_bytes_eq(out, step_field(s, "finished", 1));
            ck_bytes_eq(out, finished_body(t, f));
        }
    } else {
        /* generate resumption secret "tls13 resumption": the context is
         * the ticket_nonce (RFC 8446 4.6.1) */
        ck_assert_str_eq(name, "generate_resumption_secret_tls13_resumption");
        ck_assert_str_eq(hl.label, "resumption");
    }
}

/* [sender]_write_key/iv (RFC 8446 7.3) */
static void check_traffic_keys(kdf_step *s)
{
    hkdf_label kl, il;
    td_traffic_keys k;

    parse_info(step_field(s, "key_info", 1), &kl);
    parse_info(step_field(s, "iv_info", 1), &il);
    ck_assert_str_eq(kl.label, "key");
    ck_assert_str_eq(il.label, "iv");
    ck_assert_uint_eq(kl.context.len, 0);
    ck_assert_uint_eq(il.context.len, 0);
    ck_assert_uint_eq(kl.length, 16); /* AES-128-GCM key_length */
    ck_assert_uint_eq(il.length, 12); /* iv_length, RFC 8446 5.3 */
    ck_assert_int_eq(td_ks13_traffic_keys(TD_HASH_SHA256,
                                          step_field(s, "prk", 1),
                                          TD_AEAD_AES_128_GCM, &k),
                     TD_OK);
    ck_assert_uint_eq(k.key_length, 16);
    ck_bytes_eq(k.key, step_field(s, "key_expanded", 1));
    ck_bytes_eq(k.iv, step_field(s, "iv_expanded", 1));
}

/* Early Secret = HKDF-Extract(0, IKM) */
static void check_early(kdf_step *s)
{
    td_ks13 ks;
    td_span ikm = step_field(s, "ikm", 1);

    ck_assert_int_eq(td_ks13_init(&ks, TD_HASH_SHA256), TD_OK);
    /* all zeros is "no PSK": take the schedule's own 0-value path */
    if (all_zero(ikm.p, ikm.len)) {
        ck_assert_uint_eq(ikm.len, H256);
        ikm.len = 0;
    }
    ck_assert_int_eq(td_ks13_early_secret(&ks, ikm), TD_OK);
    ck_span_eq(td_ks13_get(&ks, TD_KS13_EARLY_SECRET),
               step_field(s, "secret", 1));
}

START_TEST(test_kdf_steps)
{
    size_t i = 0, steps = 0;
    const td_vec *v = &tr.v;

    trace_load(tls13_files[_i], &tr);
    while (i < v->n) {
        kdf_step s;
        const char *name, *side;
        size_t k;

        if (strcmp(v->e[i].kind, "kdf")) {
            i++;
            continue;
        }
        memset(&s, 0, sizeof s);
        name = v->e[i].name;
        side = v->e[i].side;
        while (i < v->n && !strcmp(v->e[i].kind, "kdf") &&
               !strcmp(v->e[i].name, name) && !strcmp(v->e[i].side, side)) {
            ck_assert_uint_lt(s.n, 8);
            s.f[s.n++] = &v->e[i++];
        }
        steps++;
        if (step_has(&s, "key_info")) {
            check_traffic_keys(&s);
        } else if (step_has(&s, "info")) {
            check_expand(&s, &tr);
        } else if (!strcmp(name, "extract_secret_early")) {
            check_early(&s);
        } else {
            /* extract_secret_handshake / _master take their salt from the
             * schedule itself ("derived"): test_schedule compares their
             * salt, ikm and secret */
            ck_assert_msg(!strcmp(name, "extract_secret_handshake") ||
                              !strcmp(name, "extract_secret_master"),
                          "unknown kdf step %s (line %u)", name,
                          s.f[0]->line);
            s.used = (1u << s.n) - 1;
        }
        /* every line of the step was compared or used as an input */
        for (k = 0; k < s.n; k++)
            ck_assert_msg(s.used & (1u << k), "line %u (%s %s) not checked",
                          s.f[k]->line, name, s.f[k]->field);
    }
    ck_assert_uint_ge(steps, 18); /* 18 steps in each 1-RTT trace */
    td_vec_free(&tr.v);
}
END_TEST

/* ----------------------------------------- the schedule, box by box */

static int is_zero_secret(const uint8_t *p)
{
    return all_zero(p, TD_HASH_MAX_LEN);
}

/* The (EC)DHE input agrees with the trace's key pairs (RFC 8446 7.4). */
static void check_ecdhe(const trace *t, td_span ecdhe)
{
    const td_vec_entry *cpriv = NULL, *spub = NULL;
    uint8_t shared[TD_KX_MAX_SHARED_LEN];
    uint16_t group;
    size_t i;

    for (i = 0; i < t->v.n; i++) {
        const td_vec_entry *e = &t->v.e[i];
        if (strcmp(e->kind, "key"))
            continue;
        if (!strcmp(e->side, "client") && !strcmp(e->field, "private_key"))
            cpriv = e; /* the last: s5's second ClientHello */
        if (!strcmp(e->side, "server") && !strcmp(e->field, "public_key"))
            spub = e;
    }
    ck_assert_ptr_nonnull(cpriv);
    ck_assert_ptr_nonnull(spub);
    ck_assert_str_eq(cpriv->name, spub->name);
    group = strstr(cpriv->name, "p_256") ? 0x0017 : 0x001d;
    ck_assert_uint_eq(td_kx_shared_len(group), ecdhe.len);
    ck_assert_int_eq(td_kx_shared(group, td_vec_span(cpriv),
                                  td_vec_span(spub), shared),
                     TD_OK);
    ck_bytes_eq(shared, ecdhe);
}

/* Runs the whole 7.1 diagram over a trace, comparing every secret with
 * the trace and every Finished with the Finished message. Leaves ks after
 * the resumption master secret. */
static void run_schedule(const trace *t, td_ks13 *ks)
{
    size_t sh = msg_idx(t, "server", "server_hello");
    size_t sf = msg_idx(t, "server", "finished");
    size_t cf = msg_idx(t, "client", "finished");
    td_span psk = kdf(t, NULL, "extract_secret_early", "ikm");
    td_span ecdhe = kdf(t, NULL, "extract_secret_handshake", "ikm");
    uint8_t vd[H256];

    ck_assert_int_eq(td_ks13_init(ks, TD_HASH_SHA256), TD_OK);
    ck_assert_uint_eq(ks->hash_len, H256);
    if (all_zero(psk.p, psk.len))
        psk.len = 0; /* no PSK: the 0-value */
    ck_assert_int_eq(td_ks13_early_secret(ks, psk), TD_OK);
    ck_span_eq(td_ks13_get(ks, TD_KS13_EARLY_SECRET),
               kdf(t, NULL, "extract_secret_early", "secret"));

    if (has_kdf(t, "derive_secret_tls13_c_e_traffic")) {
        /* Derive-Secret(., "c e traffic", ClientHello) */
        ck_span_eq(th_at(t, 0),
                   kdf(t, NULL, "derive_secret_tls13_c_e_traffic", "hash"));
        ck_assert_int_eq(td_ks13_client_early_traffic_secret(ks, th_at(t, 0)),
                         TD_OK);
        ck_span_eq(td_ks13_get(ks, TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET),
                   kdf(t, NULL, "derive_secret_tls13_c_e_traffic",
                       "expanded"));
        ck_assert_int_eq(
            td_ks13_early_exporter_master_secret(ks, th_at(t, 0)), TD_OK);
        ck_span_eq(td_ks13_get(ks, TD_KS13_EARLY_EXPORTER_MASTER_SECRET),
                   kdf(t, NULL, "derive_secret_tls13_e_exp_master",
                       "expanded"));
    }

    /* Handshake Secret; the salt is Derive-Secret(Early, "derived", "") */
    ck_span_eq(kdf(t, NULL, "extract_secret_handshake", "salt"),
               kdf(t, NULL, "derive_secret_for_handshake_tls13_derived",
                   "expanded"));
    check_ecdhe(t, ecdhe);
    ck_assert_int_eq(td_ks13_handshake_secret(ks, ecdhe), TD_OK);
    ck_span_eq(td_ks13_get(ks, TD_KS13_HANDSHAKE_SECRET),
               kdf(t, NULL, "extract_secret_handshake", "secret"));
    /* RFC 8446 7.1: the early secret is erased once "derived" is taken */
    ck_assert(is_zero_secret(ks->early_secret));
    ck_assert_uint_eq(td_ks13_get(ks, TD_KS13_EARLY_SECRET).len, 0);

    /* ClientHello...ServerHello */
    ck_span_eq(th_at(t, sh),
               kdf(t, NULL, "derive_secret_tls13_c_hs_traffic", "hash"));
    ck_assert_int_eq(td_ks13_client_handshake_traffic_secret(ks, th_at(t, sh)),
                     TD_OK);
    ck_assert_int_eq(td_ks13_server_handshake_traffic_secret(ks, th_at(t, sh)),
                     TD_OK);
    ck_span_eq(td_ks13_get(ks, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET),
               kdf(t, NULL, "derive_secret_tls13_c_hs_traffic", "expanded"));
    ck_span_eq(td_ks13_get(ks, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET),
               kdf(t, NULL, "derive_secret_tls13_s_hs_traffic", "expanded"));

    /* Master Secret = HKDF-Extract(Derive-Secret(., "derived", ""), 0) */
    ck_span_eq(kdf(t, NULL, "extract_secret_master", "salt"),
               kdf(t, NULL, "derive_secret_for_master_tls13_derived",
                   "expanded"));
    ck_assert(all_zero(kdf(t, NULL, "extract_secret_master", "ikm").p, H256));
    ck_assert_int_eq(td_ks13_master_secret(ks), TD_OK);
    ck_span_eq(td_ks13_get(ks, TD_KS13_MASTER_SECRET),
               kdf(t, NULL, "extract_secret_master", "secret"));
    ck_assert(is_zero_secret(ks->handshake_secret));

    /* server Finished over ClientHello...(CertificateVerify | EE) */
    ck_assert_int_eq(
        td_ks13_verify_data(
            TD_HASH_SHA256,
            td_ks13_get(ks, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET),
            th_at(t, sf - 1), vd),
        TD_OK);
    ck_bytes_eq(vd, finished_body(t, sf));
    ck_bytes_eq(vd, kdf(t, "server", "calculate_finished_tls13_finished",
                        "finished"));
    ck_assert_int_eq(
        td_ks13_finished_check(
            TD_HASH_SHA256,
            td_ks13_get(ks, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET),
            th_at(t, sf - 1), finished_body(t, sf)),
        TD_OK);

    /* ClientHello...server Finished */
    ck_span_eq(th_at(t, sf),
               kdf(t, NULL, "derive_secret_tls13_c_ap_traffic", "hash"));
    ck_assert_int_eq(
        td_ks13_client_application_traffic_secret_0(ks, th_at(t, sf)), TD_OK);
    ck_assert_int_eq(
        td_ks13_server_application_traffic_secret_0(ks, th_at(t, sf)), TD_OK);
    ck_assert_int_eq(td_ks13_exporter_master_secret(ks, th_at(t, sf)), TD_OK);
    ck_span_eq(td_ks13_get(ks, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET),
               kdf(t, NULL, "derive_secret_tls13_c_ap_traffic", "expanded"));
    ck_span_eq(td_ks13_get(ks, TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET),
               kdf(t, NULL, "derive_secret_tls13_s_ap_traffic", "expanded"));
    ck_span_eq(td_ks13_get(ks, TD_KS13_EXPORTER_MASTER_SECRET),
               kdf(t, NULL, "derive_secret_tls13_exp_master", "expanded"));

    /* client Finished over ClientHello...server Finished (+
     * EndOfEarlyData, client Certificate, CertificateVerify) */
    ck_assert_int_eq(
        td_ks13_verify_data(
            TD_HASH_SHA256,
            td_ks13_get(ks, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET),
            th_at(t, cf - 1), vd),
        TD_OK);
    ck_bytes_eq(vd, finished_body(t, cf));
    ck_bytes_eq(vd, kdf(t, "client", "calculate_finished_tls13_finished",
                        "finished"));

    /* ClientHello...client Finished */
    ck_span_eq(th_at(t, cf),
               kdf(t, NULL, "derive_secret_tls13_res_master", "hash"));
    ck_assert_int_eq(td_ks13_resumption_master_secret(ks, th_at(t, cf)),
                     TD_OK);
    ck_span_eq(td_ks13_get(ks, TD_KS13_RESUMPTION_MASTER_SECRET),
               kdf(t, NULL, "derive_secret_tls13_res_master", "expanded"));
    ck_assert(is_zero_secret(ks->master_secret));
}

START_TEST(test_schedule)
{
    td_ks13 ks;

    trace_load(tls13_files[_i], &tr);
    run_schedule(&tr, &ks);
    td_ks13_handshake_end(&ks);
    ck_assert(is_zero_secret(ks.client_handshake_traffic_secret));
    ck_assert(is_zero_secret(ks.server_handshake_traffic_secret));
    td_ks13_wipe(&ks);
    td_vec_free(&tr.v);
}
END_TEST

/* s5: ClientHello1 is replaced by message_hash (RFC 8446 4.4.1). */
START_TEST(test_message_hash)
{
    uint8_t buf[4 + TD_HASH_MAX_LEN];
    td_wr w;
    td_span out;

    trace_load("tls13/s5-hrr.vec", &tr);
    ck_assert(tr.hrr);
    td_wr_init(&w, buf, sizeof buf);
    ck_assert_int_eq(td_ks13_message_hash(TD_HASH_SHA256, tr.msg[0], &w),
                     TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &out), TD_OK);
    ck_span_eq(out, span_of(tr.mh, sizeof tr.mh));
    /* no room: the writer is left as it was */
    td_wr_init(&w, buf, 4 + H256 - 1);
    ck_assert_int_eq(td_ks13_message_hash(TD_HASH_SHA256, tr.msg[0], &w),
                     TD_ERR_NOSPACE);
    ck_assert_uint_eq(td_wr_len(&w), 0);
    td_vec_free(&tr.v);
}
END_TEST

/* s4: the PSK binder (RFC 8446 4.2.11.2) equals the one in the sent
 * ClientHello. */
START_TEST(test_binder)
{
    td_ks13 ks;
    uint8_t bk[H256], binder[H256], h[H256];
    td_span partial, full, sent, bh;

    trace_load("tls13/s4-0rtt.vec", &tr);
    ck_assert_int_eq(td_ks13_init(&ks, TD_HASH_SHA256), TD_OK);
    ck_assert_int_eq(
        td_ks13_early_secret(&ks, kdf(&tr, NULL, "extract_secret_early",
                                      "ikm")),
        TD_OK);
    /* binder_key = Derive-Secret(Early Secret, "res binder", "") */
    ck_assert_int_eq(td_ks13_binder_key(&ks, TD_KS13_PSK_RESUMPTION, bk),
                     TD_OK);
    ck_bytes_eq(bk, kdf(&tr, NULL, "calculate_psk_binder", "prk"));

    /* Transcript-Hash(Truncate(ClientHello1)) over the partial message */
    partial = vec_get(&tr.v, "client", "handshake", "client_hello",
                      "partial");
    full = tr.msg[0];
    ck_assert_int_eq(td_hash(TD_HASH_SHA256, partial, h), TD_OK);
    bh = span_of(h, H256);
    ck_span_eq(bh, kdf(&tr, NULL, "calculate_psk_binder", "binder_hash"));
    ck_assert_int_eq(td_ks13_binder(&ks, TD_KS13_PSK_RESUMPTION, bh, binder),
                     TD_OK);
    ck_bytes_eq(binder, kdf(&tr, NULL, "calculate_psk_binder", "finished"));

    /* The ClientHello ends with the binders: 00 21 (binders<33..2^16-1>,
     * 33 bytes) 20 (PskBinderEntry, 32 bytes) and the binder itself */
    ck_assert_uint_eq(full.len, partial.len + 2 + 1 + H256);
    ck_assert_uint_eq(full.p[partial.len], 0x00);
    ck_assert_uint_eq(full.p[partial.len + 1], 0x21);
    ck_assert_uint_eq(full.p[partial.len + 2], 0x20);
    sent = span_of(full.p + partial.len + 3, H256);
    ck_bytes_eq(binder, sent);
    ck_assert_int_eq(td_ks13_binder_check(&ks, TD_KS13_PSK_RESUMPTION, bh,
                                          sent),
                     TD_OK);

    /* RFC 8446 7.1: "ext binder" and "res binder" differ, so a resumption
     * PSK's binder does not validate as an external PSK's (RFC 8446
     * 4.2.11, 6.2 decrypt_error) */
    ck_assert_int_eq(td_ks13_binder_check(&ks, TD_KS13_PSK_EXTERNAL, bh,
                                          sent),
                     TD_ALERT_DECRYPT_ERROR);
    /* RFC 8446 4.2.11.2: the binder covers the ClientHello: another
     * transcript gives another binder */
    ck_assert_int_eq(td_ks13_binder_check(&ks, TD_KS13_PSK_RESUMPTION,
                                          th_at(&tr, 0), sent),
                     TD_ALERT_DECRYPT_ERROR);
    /* RFC 8446 4.2.11: PskBinderEntry<32..255>; 31 bytes of the right
     * binder, or the right one with a byte more, are not the binder
     * (6.2 decrypt_error) */
    sent.len--;
    ck_assert_int_eq(td_ks13_binder_check(&ks, TD_KS13_PSK_RESUMPTION, bh,
                                          sent),
                     TD_ALERT_DECRYPT_ERROR);
    {
        uint8_t longer[H256 + 1];
        memcpy(longer, binder, H256);
        longer[H256] = 0;
        ck_assert_int_eq(td_ks13_binder_check(&ks, TD_KS13_PSK_RESUMPTION,
                                              bh, span_of(longer, H256 + 1)),
                         TD_ALERT_DECRYPT_ERROR);
    }
    td_ks13_wipe(&ks);
    td_vec_free(&tr.v);
}
END_TEST

/* s3's ticket PSK (RFC 8446 4.6.1) is s4's PSK. */
START_TEST(test_ticket_psk)
{
    td_ks13 ks;
    td_vec s4;
    td_rd r, nonce_rd;
    td_span nst, nonce;
    uint32_t u;
    uint8_t psk[H256];

    trace_load("tls13/s3-1rtt.vec", &tr);
    run_schedule(&tr, &ks);
    /* NewSessionTicket: type(1) length(3) ticket_lifetime(4)
     * ticket_age_add(4) ticket_nonce<0..255> ... (RFC 8446 4.6.1) */
    nst = tr.msg[msg_idx(&tr, "server", "new_session_ticket")];
    td_rd_init_span(&r, nst);
    ck_assert_int_eq(td_rd_u32(&r, &u), TD_OK);
    ck_assert_uint_eq(u >> 24, TD_HS_NEW_SESSION_TICKET);
    ck_assert_int_eq(td_rd_u32(&r, &u), TD_OK);
    ck_assert_int_eq(td_rd_u32(&r, &u), TD_OK);
    ck_assert_int_eq(td_rd_vec8(&r, 0, 255, &nonce_rd), TD_OK);
    td_rd_rest(&nonce_rd, &nonce);
    ck_span_eq(nonce, kdf(&tr, NULL,
                          "generate_resumption_secret_tls13_resumption",
                          "hash"));
    ck_assert_int_eq(td_ks13_ticket_psk(&ks, nonce, psk), TD_OK);
    ck_bytes_eq(psk, kdf(&tr, NULL,
                         "generate_resumption_secret_tls13_resumption",
                         "expanded"));
    vec_load("tls13/s4-0rtt.vec", &s4);
    ck_bytes_eq(psk, vec_get(&s4, NULL, "kdf", "extract_secret_early", "ikm"));
    td_vec_free(&s4);
    /* another nonce, another PSK (RFC 8446 4.6.1: "each ticket" distinct) */
    nonce.len = 0;
    {
        uint8_t other[H256];
        ck_assert_int_eq(td_ks13_ticket_psk(&ks, nonce, other), TD_OK);
        ck_assert_mem_ne(other, psk, H256);
    }
    td_ks13_wipe(&ks);
    /* wiped: no resumption secret to derive from */
    ck_assert_int_eq(td_ks13_ticket_psk(&ks, nonce, psk), TD_ERR_INTERNAL);
    td_vec_free(&tr.v);
}
END_TEST

/* The traffic keys open the trace's first protected record: s3's server
 * handshake flight, sequence number 0, so the nonce is the IV itself
 * (RFC 8446 5.3), additional_data the 5-byte record header (5.2). */
START_TEST(test_traffic_keys_open)
{
    td_ks13 ks;
    td_traffic_keys k;
    td_span rec, payload, key;
    static uint8_t plain[TD_MAX_CIPHERTEXT13_LEN];

    trace_load("tls13/s3-1rtt.vec", &tr);
    run_schedule(&tr, &ks);
    ck_assert_int_eq(
        td_ks13_traffic_keys(
            TD_HASH_SHA256,
            td_ks13_get(&ks, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET),
            TD_AEAD_AES_128_GCM, &k),
        TD_OK);
    rec = vec_get(&tr.v, "server", "record", "handshake", "protected");
    /* the server's second handshake record: EE...Finished */
    ck_assert_ptr_nonnull(
        td_vec_find(&tr.v, "server", "record", "handshake", "payload", 1));
    payload = td_vec_span(
        td_vec_find(&tr.v, "server", "record", "handshake", "payload", 1));
    ck_assert_uint_gt(payload.len, 0);
    key = span_of(k.key, k.key_length);
    ck_assert_int_eq(td_aead_open(TD_AEAD_AES_128_GCM, key, k.iv,
                                  span_of(rec.p, 5),
                                  span_of(rec.p + 5, rec.len - 5), plain),
                     TD_OK);
    /* TLSInnerPlaintext: content || type 22 (handshake), no padding */
    ck_assert_uint_eq(rec.len - 5 - TD_AEAD_TAG_LEN, payload.len + 1);
    ck_assert_mem_eq(plain, payload.p, payload.len);
    ck_assert_uint_eq(plain[payload.len], TD_CT_HANDSHAKE);
    /* the client's keys do not open the server's record */
    ck_assert_int_eq(
        td_ks13_traffic_keys(
            TD_HASH_SHA256,
            td_ks13_get(&ks, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET),
            TD_AEAD_AES_128_GCM, &k),
        TD_OK);
    ck_assert_int_eq(td_aead_open(TD_AEAD_AES_128_GCM, key, k.iv,
                                  span_of(rec.p, 5),
                                  span_of(rec.p + 5, rec.len - 5), plain),
                     TD_ALERT_BAD_RECORD_MAC);
    td_ks13_wipe(&ks);
    td_vec_free(&tr.v);
}
END_TEST

/* KeyUpdate (RFC 8446 7.2) from s3's client_application_traffic_secret_0.
 * The traces have no KeyUpdate; the expected values are
 *     openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt mode:EXPAND_ONLY
 *         -kdfopt hexkey:<secret_N> -kdfopt hexinfo:<HkdfLabel> HKDF
 * with the HkdfLabel below, and the same HKDF-Expand through the adapter
 * over the hand-built label. */
START_TEST(test_key_update)
{
    /* 00 20 = length 32; 11 = 17, the length of "tls13 traffic upd";
     * 74 6c 73 31 33 20 = "tls13 "; 74 72 61 66 66 69 63 20 75 70 64 =
     * "traffic upd"; 00 = empty context */
    static const uint8_t label[] = {
        0x00, 0x20, 0x11, 0x74, 0x6c, 0x73, 0x31, 0x33, 0x20, 0x74, 0x72,
        0x61, 0x66, 0x66, 0x69, 0x63, 0x20, 0x75, 0x70, 0x64, 0x00};
    uint8_t want1[H256], want2[H256], via_hkdf[H256], s0[H256], out[H256];
    td_ks13 ks;
    td_span c0;

    unhex("0c08b3504d2c97bae7b067b914a0b45ce4eb9789fbc936c1a5d9947f04a8a187",
          want1, sizeof want1);
    unhex("5beabc4ad6b36c1ed2af7128ccb1585fa02af1412716a887d1bd69aa6b5e47fd",
          want2, sizeof want2);
    trace_load("tls13/s3-1rtt.vec", &tr);
    run_schedule(&tr, &ks);
    c0 = td_ks13_get(&ks, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET);
    memcpy(s0, c0.p, H256);
    ck_assert_int_eq(td_hkdf_expand(TD_HASH_SHA256, c0,
                                    span_of(label, sizeof label), via_hkdf,
                                    H256),
                     TD_OK);
    ck_assert_mem_eq(via_hkdf, want1, H256);

    /* stateless */
    ck_assert_int_eq(td_ks13_next_traffic_secret(TD_HASH_SHA256, c0, out),
                     TD_OK);
    ck_assert_mem_eq(out, want1, H256);
    /* in the schedule: secret_N is replaced (RFC 8446 7.2) */
    ck_assert_int_eq(td_ks13_key_update(&ks, TD_KS13_CLIENT), TD_OK);
    ck_assert_mem_eq(ks.client_application_traffic_secret, want1, H256);
    ck_assert_mem_ne(ks.client_application_traffic_secret, s0, H256);
    ck_assert_int_eq(td_ks13_key_update(&ks, TD_KS13_CLIENT), TD_OK);
    ck_assert_mem_eq(ks.client_application_traffic_secret, want2, H256);
    /* the other direction is untouched */
    ck_span_eq(td_ks13_get(&ks, TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET),
               kdf(&tr, NULL, "derive_secret_tls13_s_ap_traffic", "expanded"));
    /* in place: out may be the secret itself */
    memcpy(out, s0, H256);
    ck_assert_int_eq(td_ks13_next_traffic_secret(TD_HASH_SHA256,
                                                 span_of(out, H256), out),
                     TD_OK);
    ck_assert_mem_eq(out, want1, H256);
    td_ks13_wipe(&ks);
    ck_assert_int_eq(td_ks13_key_update(&ks, TD_KS13_SERVER),
                     TD_ERR_INTERNAL);
    td_vec_free(&tr.v);
}
END_TEST

/* SHA-384 (TLS_AES_256_GCM_SHA384), no PSK, and the 0-value for (EC)DHE.
 * Expected values from openssl 3.0 with Z = 48 zero bytes:
 *   early:     openssl kdf -keylen 48 -kdfopt digest:SHA384
 *              -kdfopt mode:EXTRACT_ONLY -kdfopt hexkey:Z -kdfopt hexsalt:Z
 *              HKDF
 *   derived:   ... mode:EXPAND_ONLY -kdfopt hexkey:<early> -kdfopt hexinfo:
 *              00 30 (length 48) 0d (13, "tls13 derived")
 *              746c7331332064657269766564 ("tls13 derived") 30 (48)
 *              SHA-384("") = 38b060a7...98b95b (openssl dgst -sha384)
 *              = 1591dac5...8f282b
 *   handshake: ... mode:EXTRACT_ONLY -kdfopt hexkey:Z
 *              -kdfopt hexsalt:<derived> */
START_TEST(test_sha384)
{
    uint8_t early[48], handshake[48], out[48];
    td_ks13 ks;
    td_span none = {NULL, 0};

    unhex("7ee8206f5570023e6dc7519eb1073bc4e791ad37b5c382aa10ba18e2357e7169"
          "71f9362f2c2fe2a76bfd78dfec4ea9b5",
          early, sizeof early);
    unhex("dc75ca409045b063051d27e6b3f88641b70172b22204b96cf7d82d8c6c185503"
          "e145e2f1a1f6f34bc066ba682e8f23af",
          handshake, sizeof handshake);
    ck_assert_int_eq(td_ks13_init(&ks, TD_HASH_SHA384), TD_OK);
    ck_assert_uint_eq(ks.hash_len, 48);
    ck_assert_int_eq(td_ks13_early_secret(&ks, none), TD_OK);
    ck_assert_mem_eq(ks.early_secret, early, 48);
    ck_assert_int_eq(td_ks13_handshake_secret(&ks, none), TD_OK);
    ck_assert_mem_eq(ks.handshake_secret, handshake, 48);
    ck_assert(is_zero_secret(ks.early_secret));
    /* a 32-byte transcript hash is not a SHA-384 one */
    ck_assert_int_eq(td_ks13_client_handshake_traffic_secret(
                         &ks, span_of(early, 32)),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_ks13_client_handshake_traffic_secret(
                         &ks, span_of(early, 48)),
                     TD_OK);
    /* traffic keys of AES-256-GCM: 32-byte key, 12-byte iv */
    {
        td_traffic_keys k;
        ck_assert_int_eq(
            td_ks13_traffic_keys(TD_HASH_SHA384, span_of(handshake, 48),
                                 TD_AEAD_AES_256_GCM, &k),
            TD_OK);
        ck_assert_uint_eq(k.key_length, 32);
    }
    ck_assert_int_eq(td_ks13_finished_key(TD_HASH_SHA384,
                                          span_of(handshake, 48), out),
                     TD_OK);
    /* TLS 1.3 has no SHA-512 suite (RFC 8446 B.4) */
    ck_assert_int_eq(td_ks13_init(&ks, TD_HASH_SHA512), TD_ERR_INTERNAL);
}
END_TEST

/* ---------------------------------------------------- TLS 1.3 negative */

/* RFC 8446 4.4.4: "Recipients of Finished messages MUST verify that the
 * contents are correct and if incorrect MUST terminate the connection
 * with a "decrypt_error" alert." */
START_TEST(test_finished_negative)
{
    td_ks13 ks;
    size_t sf;
    td_span good, skey, ckey;
    uint8_t vd[H256], bad[H256];

    trace_load("tls13/s3-1rtt.vec", &tr);
    run_schedule(&tr, &ks);
    sf = msg_idx(&tr, "server", "finished");
    good = finished_body(&tr, sf);
    skey = td_ks13_get(&ks, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET);
    ckey = td_ks13_get(&ks, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET);

    /* a transcript without the CertificateVerify */
    ck_assert_int_eq(td_ks13_verify_data(TD_HASH_SHA256, skey,
                                         th_at(&tr, sf - 2), vd),
                     TD_OK);
    ck_assert_mem_ne(vd, good.p, H256);
    ck_assert_int_eq(td_ks13_finished_check(TD_HASH_SHA256, skey,
                                            th_at(&tr, sf - 2), good),
                     TD_ALERT_DECRYPT_ERROR);
    /* the client's key for the server's Finished */
    ck_assert_int_eq(td_ks13_finished_check(TD_HASH_SHA256, ckey,
                                            th_at(&tr, sf - 1), good),
                     TD_ALERT_DECRYPT_ERROR);
    /* one bit flipped, first and last byte */
    memcpy(bad, good.p, H256);
    bad[0] ^= 0x01;
    ck_assert_int_eq(td_ks13_finished_check(TD_HASH_SHA256, skey,
                                            th_at(&tr, sf - 1),
                                            span_of(bad, H256)),
                     TD_ALERT_DECRYPT_ERROR);
    bad[0] ^= 0x01;
    bad[H256 - 1] ^= 0x80;
    ck_assert_int_eq(td_ks13_finished_check(TD_HASH_SHA256, skey,
                                            th_at(&tr, sf - 1),
                                            span_of(bad, H256)),
                     TD_ALERT_DECRYPT_ERROR);
    /* verify_data is opaque[Hash.length]: a shorter one cannot be
     * decoded (RFC 8446 4.4.4, 6.2 decode_error) */
    ck_assert_int_eq(td_ks13_finished_check(TD_HASH_SHA256, skey,
                                            th_at(&tr, sf - 1),
                                            span_of(good.p, H256 - 1)),
                     TD_ALERT_DECODE_ERROR);
    /* and the untouched one passes */
    ck_assert_int_eq(td_ks13_finished_check(TD_HASH_SHA256, skey,
                                            th_at(&tr, sf - 1), good),
                     TD_OK);
    td_ks13_wipe(&ks);
    td_vec_free(&tr.v);
}
END_TEST

/* RFC 8446 7.1: "Once all the values which are to be derived from a given
 * secret have been computed, that secret SHOULD be erased." Each stage
 * end leaves zero bytes, and the erased secret can no longer be used. */
START_TEST(test_wipe_stages)
{
    td_ks13 ks, fresh;
    uint8_t out[H256];
    td_span h0, hsh, ecdhe;

    trace_load("tls13/s4-0rtt.vec", &tr);
    h0 = th_at(&tr, 0);
    hsh = th_at(&tr, msg_idx(&tr, "server", "server_hello"));
    ecdhe = kdf(&tr, NULL, "extract_secret_handshake", "ikm");

    ck_assert_int_eq(td_ks13_init(&ks, TD_HASH_SHA256), TD_OK);
    /* out of order: nothing derived yet */
    ck_assert_int_eq(td_ks13_handshake_secret(&ks, ecdhe), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_ks13_binder_key(&ks, TD_KS13_PSK_RESUMPTION, out),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(
        td_ks13_early_secret(&ks, kdf(&tr, NULL, "extract_secret_early",
                                      "ikm")),
        TD_OK);
    /* an early secret is made once */
    ck_assert_int_eq(td_ks13_early_secret(&ks, span_of(NULL, 0)),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_ks13_client_early_traffic_secret(&ks, h0), TD_OK);
    ck_assert_int_eq(td_ks13_early_exporter_master_secret(&ks, h0), TD_OK);

    ck_assert_int_eq(td_ks13_handshake_secret(&ks, ecdhe), TD_OK);
    ck_assert(is_zero_secret(ks.early_secret));
    ck_assert_int_eq(td_ks13_binder_key(&ks, TD_KS13_PSK_RESUMPTION, out),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_ks13_client_early_traffic_secret(&ks, h0),
                     TD_ERR_INTERNAL);
    /* 0-RTT data is still read until EndOfEarlyData (RFC 8446 4.5) */
    ck_assert(!is_zero_secret(ks.client_early_traffic_secret));
    td_ks13_end_of_early_data(&ks);
    ck_assert(is_zero_secret(ks.client_early_traffic_secret));
    ck_assert(is_zero_secret(ks.early_exporter_master_secret));
    ck_assert_uint_eq(
        td_ks13_get(&ks, TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET).len, 0);

    ck_assert_int_eq(td_ks13_client_handshake_traffic_secret(&ks, hsh), TD_OK);
    ck_assert_int_eq(td_ks13_server_handshake_traffic_secret(&ks, hsh), TD_OK);
    ck_assert_int_eq(td_ks13_master_secret(&ks), TD_OK);
    ck_assert(is_zero_secret(ks.handshake_secret));
    ck_assert_int_eq(td_ks13_client_handshake_traffic_secret(&ks, hsh),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_ks13_master_secret(&ks), TD_ERR_INTERNAL);

    ck_assert_int_eq(td_ks13_exporter_master_secret(&ks, hsh), TD_OK);
    ck_assert_int_eq(td_ks13_resumption_master_secret(&ks, hsh), TD_OK);
    ck_assert(is_zero_secret(ks.master_secret));
    ck_assert_int_eq(td_ks13_client_application_traffic_secret_0(&ks, hsh),
                     TD_ERR_INTERNAL);

    /* the handshake traffic secrets live until the client Finished */
    ck_assert(!is_zero_secret(ks.client_handshake_traffic_secret));
    td_ks13_handshake_end(&ks);
    ck_assert(is_zero_secret(ks.client_handshake_traffic_secret));
    ck_assert(is_zero_secret(ks.server_handshake_traffic_secret));

    ck_assert(!is_zero_secret(ks.resumption_master_secret));
    td_ks13_wipe(&ks);
    /* every byte of every secret, and nothing held */
    ck_assert_int_eq(td_ks13_init(&fresh, TD_HASH_SHA256), TD_OK);
    ck_assert_uint_eq(ks.held, 0);
    ck_assert_mem_eq(&ks, &fresh, sizeof ks);
    td_vec_free(&tr.v);
}
END_TEST

/* HkdfLabel bounds (RFC 8446 7.1): label<7..255> with the 6-byte prefix,
 * context<0..255>, uint16 length. Breaking them is a caller bug. */
START_TEST(test_expand_label_bounds)
{
    static const uint8_t secret[H256] = {1};
    static uint8_t ctx[256], out[512];
    char label[260];

    memset(label, 'a', sizeof label);
    label[249] = '\0'; /* "tls13 " + 249 = 255 */
    ck_assert_int_eq(td_ks13_expand_label(TD_HASH_SHA256,
                                          span_of(secret, H256), label,
                                          span_of(ctx, 255), out, 32),
                     TD_OK);
    label[249] = 'a';
    label[250] = '\0'; /* 256 */
    ck_assert_int_eq(td_ks13_expand_label(TD_HASH_SHA256,
                                          span_of(secret, H256), label,
                                          span_of(NULL, 0), out, 32),
                     TD_ERR_INTERNAL);
    /* "tls13 " alone is 6 < 7 */
    ck_assert_int_eq(td_ks13_expand_label(TD_HASH_SHA256,
                                          span_of(secret, H256), "",
                                          span_of(NULL, 0), out, 32),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_ks13_expand_label(TD_HASH_SHA256,
                                          span_of(secret, H256), "key",
                                          span_of(ctx, 256), out, 32),
                     TD_ERR_INTERNAL);
    ck_assert_int_eq(td_ks13_expand_label(TD_HASH_SHA256,
                                          span_of(secret, H256), "key",
                                          span_of(NULL, 0), out, 0x10000),
                     TD_ERR_INTERNAL);
    /* Derive-Secret takes a whole transcript hash */
    ck_assert_int_eq(td_ks13_derive_secret(TD_HASH_SHA256,
                                           span_of(secret, H256), "derived",
                                           span_of(ctx, H256 - 1), out),
                     TD_ERR_INTERNAL);
    /* a finished_key needs a base key of Hash.length */
    ck_assert_int_eq(td_ks13_finished_key(TD_HASH_SHA256,
                                          span_of(secret, H256 - 1), out),
                     TD_ERR_INTERNAL);
}
END_TEST

/* ------------------------------------------------------------ TLS 1.2 */

typedef struct capture {
    td_vec v;
    td_span client_random, server_random;
    uint16_t cipher_suite;
    td_ks_suite suite;
} capture;

static capture cap;

/* Hello.random: type(1) length(3) version(2) random(32); ServerHello then
 * session_id<0..32> cipher_suite (RFC 5246 7.4.1.2, 7.4.1.3). */
static void capture_load(const char *rel, capture *c)
{
    td_span ch, sh, skip;
    td_rd r, sid;

    memset(c, 0, sizeof *c);
    vec_load(rel, &c->v);
    ch = vec_get(&c->v, "client", "handshake", "client_hello", "message");
    sh = vec_get(&c->v, "server", "handshake", "server_hello", "message");
    td_rd_init_span(&r, ch);
    ck_assert_int_eq(td_rd_span(&r, 6, &skip), TD_OK);
    ck_assert_int_eq(td_rd_span(&r, 32, &c->client_random), TD_OK);
    td_rd_init_span(&r, sh);
    ck_assert_int_eq(td_rd_span(&r, 6, &skip), TD_OK);
    ck_assert_int_eq(td_rd_span(&r, 32, &c->server_random), TD_OK);
    ck_assert_int_eq(td_rd_vec8(&r, 0, 32, &sid), TD_OK);
    ck_assert_int_eq(td_rd_u16(&r, &c->cipher_suite), TD_OK);
    ck_assert_int_eq(td_ks_suite_find(c->cipher_suite, &c->suite), TD_OK);
    ck_assert_uint_eq(c->suite.version, 0x0303);
}

static td_span master_of(const capture *c)
{
    return vec_get(&c->v, "client", "kdf", "master_secret", "secret");
}

/* Both Finished of every capture (RFC 5246 7.4.9): verify_data =
 * PRF(master_secret, finished_label, Hash(handshake_messages))[0..11],
 * handshake_messages being every message before this Finished (for the
 * server's, the client's Finished and the NewSessionTicket included). */
START_TEST(test_tls12_finished)
{
    td_ks12 ks;
    td_hash_ctx h;
    uint8_t hh[TD_HASH_MAX_LEN], prev[TD_HASH_MAX_LEN] = {0};
    uint8_t vd[TD_KS12_VERIFY_DATA_LEN];
    size_t i, finished = 0, hl, msgs = 0;

    capture_load(tls12_files[_i], &cap);
    /* every capture's suite has the SHA-256 PRF (RFC 5288 3, RFC 7905) */
    ck_assert_int_eq(cap.suite.hash, TD_HASH_SHA256);
    hl = td_hash_len(cap.suite.hash);
    ck_assert_int_eq(td_ks12_init(&ks, cap.suite.hash), TD_OK);
    ck_assert_int_eq(td_ks12_set_master_secret(&ks, master_of(&cap)), TD_OK);
    ck_assert_int_eq(td_hash_init(&h, cap.suite.hash), TD_OK);
    for (i = 0; i < cap.v.n; i++) {
        const td_vec_entry *e = &cap.v.e[i];
        td_span m = td_vec_span(e), body;
        td_ks12_sender sender;

        if (strcmp(e->kind, "handshake"))
            continue;
        ck_assert_str_eq(e->field, "message");
        ck_assert_int_eq(td_hash_peek(&h, hh), TD_OK);
        if (!strcmp(e->name, "finished")) {
            sender = !strcmp(e->side, "client") ? TD_KS12_CLIENT
                                                : TD_KS12_SERVER;
            /* 14 00 00 0c: Finished, 12 bytes */
            ck_assert_uint_eq(m.len, 4 + TD_KS12_VERIFY_DATA_LEN);
            ck_assert_uint_eq(m.p[0], TD_HS_FINISHED);
            body = span_of(m.p + 4, TD_KS12_VERIFY_DATA_LEN);
            ck_assert_int_eq(
                td_ks12_verify_data(&ks, sender, span_of(hh, hl), vd), TD_OK);
            ck_bytes_eq(vd, body);
            ck_assert_int_eq(td_ks12_finished_check(&ks, sender,
                                                    span_of(hh, hl), body),
                             TD_OK);
            /* RFC 5246 7.4.9: the transcript without the last message
             * gives another verify_data, which does not verify */
            ck_assert_int_eq(
                td_ks12_verify_data(&ks, sender, span_of(prev, hl), vd),
                TD_OK);
            ck_assert_mem_ne(vd, body.p, TD_KS12_VERIFY_DATA_LEN);
            ck_assert_int_eq(td_ks12_finished_check(&ks, sender,
                                                    span_of(prev, hl), body),
                             TD_ALERT_DECRYPT_ERROR);
            finished++;
        }
        memcpy(prev, hh, hl);
        ck_assert_int_eq(td_hash_update(&h, m), TD_OK);
        msgs++;
    }
    ck_assert_uint_eq(finished, 2);
    ck_assert_uint_ge(msgs, 7);
    td_ks12_wipe(&ks);
    td_vec_free(&cap.v);
}
END_TEST

/* RFC 7627 4 on the static-RSA capture: the logged master secret is
 * PRF(pre_master_secret, "extended master secret", session_hash),
 * session_hash = SHA-256(ClientHello ... ClientKeyExchange). */
START_TEST(test_tls12_master_secret)
{
    td_ks12 ks;
    td_hash_ctx h;
    uint8_t sh[TD_HASH_MAX_LEN], ms[48];
    td_span pms;
    size_t i;
    int cke = 0;

    capture_load("tls12/rsa-aes128-gcm.vec", &cap);
    pms = vec_get(&cap.v, "client", "kdf", "pre_master_secret", "secret");
    /* RFC 5246 7.4.7.1: client_version 03 03 + 46 random bytes */
    ck_assert_uint_eq(pms.len, 48);
    ck_assert_int_eq(td_hash_init(&h, TD_HASH_SHA256), TD_OK);
    for (i = 0; i < cap.v.n && !cke; i++) {
        const td_vec_entry *e = &cap.v.e[i];
        if (strcmp(e->kind, "handshake"))
            continue;
        ck_assert_int_eq(td_hash_update(&h, td_vec_span(e)), TD_OK);
        cke = !strcmp(e->name, "client_key_exchange");
    }
    ck_assert(cke);
    ck_assert_int_eq(td_hash_peek(&h, sh), TD_OK);
    ck_assert_int_eq(td_ks12_init(&ks, TD_HASH_SHA256), TD_OK);
    ck_assert_int_eq(
        td_ks12_extended_master_secret(&ks, pms, span_of(sh, 32)), TD_OK);
    ck_bytes_eq(ks.master_secret, master_of(&cap));
    /* one master secret per schedule */
    ck_assert_int_eq(
        td_ks12_extended_master_secret(&ks, pms, span_of(sh, 32)),
        TD_ERR_INTERNAL);
    td_ks12_wipe(&ks);

    /* RFC 5246 8.1, without the extension, over the same inputs:
     *   openssl kdf -keylen 48 -kdfopt digest:SHA256 -kdfopt hexsecret:<pms>
     *     -kdfopt hexseed:6d617374657220736563726574 ("master secret")
     *     <client_random><server_random> TLS1-PRF */
    unhex("7489619367342b4097486edfb27f1c416d16f3a8e1e6181328b2cef0289fdc12"
          "4c83eff3a8c5e983ce469edd92c4c897",
          ms, sizeof ms);
    ck_assert_int_eq(td_ks12_init(&ks, TD_HASH_SHA256), TD_OK);
    ck_assert_int_eq(td_ks12_master_secret(&ks, pms, cap.client_random,
                                           cap.server_random),
                     TD_OK);
    ck_assert_mem_eq(ks.master_secret, ms, 48);
    /* RFC 7627 4: the two differ */
    ck_assert_mem_ne(ks.master_secret, master_of(&cap).p, 48);
    td_ks12_wipe(&ks);
    td_vec_free(&cap.v);
}
END_TEST

/* Key expansion (RFC 5246 6.3) over the captures' master secrets and
 * randoms. key_block from
 *   openssl kdf -keylen N -kdfopt digest:SHA256 -kdfopt hexsecret:<ms>
 *     -kdfopt hexseed:6b657920657870616e73696f6e ("key expansion")
 *     <server_random><client_random> TLS1-PRF
 * and partitioned by hand: client_write_key, server_write_key,
 * client_write_IV, server_write_IV (no MAC keys for AEAD). */
START_TEST(test_tls12_key_expansion)
{
    static const struct {
        const char *file;
        size_t key, iv;
        const char *key_block;
    } cases[] = {
        /* 009c: 16 + 16 + 4 + 4 = 40 bytes */
        {"tls12/rsa-aes128-gcm.vec", 16, 4,
         "8257c827dba84ae4603c3731a78699d878d3a4f06078cdbf3535f1b1f96f733e"
         "85d07856222036f0"},
        /* cca8: 32 + 32 + 12 + 12 = 88 bytes */
        {"tls12/ecdhe-rsa-chacha20.vec", 32, 12,
         "b1bbbec7b94f6ceb8e22a4d0273129a33f306635cdf4af87556519962d6081d9"
         "a9f66df46ec3230d16085f8b5edaf0c13e404bf776f235293279b408669a8e49"
         "cb1d793a7ae456edbba079aa1862b9938d3c9c660c7c43a9"},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t kb[88];
        size_t n, kl = cases[i].key, ivl = cases[i].iv;
        td_ks12 ks;
        td_ks12_keys k;
        td_ks_suite other;

        capture_load(cases[i].file, &cap);
        n = unhex(cases[i].key_block, kb, sizeof kb);
        ck_assert_uint_eq(n, 2 * kl + 2 * ivl);
        ck_assert_uint_eq(cap.suite.key_length, kl);
        ck_assert_uint_eq(cap.suite.fixed_iv_length, ivl);
        ck_assert_int_eq(td_ks12_init(&ks, cap.suite.hash), TD_OK);
        /* no master secret yet */
        ck_assert_int_eq(td_ks12_key_expansion(&ks, &cap.suite,
                                               cap.client_random,
                                               cap.server_random, &k),
                         TD_ERR_INTERNAL);
        ck_assert_int_eq(td_ks12_set_master_secret(&ks, master_of(&cap)),
                         TD_OK);
        ck_assert_int_eq(td_ks12_key_expansion(&ks, &cap.suite,
                                               cap.client_random,
                                               cap.server_random, &k),
                         TD_OK);
        ck_assert_uint_eq(k.enc_key_length, kl);
        ck_assert_uint_eq(k.fixed_iv_length, ivl);
        ck_assert_int_eq(k.aead, cap.suite.aead);
        ck_assert_mem_eq(k.client_write_key, kb, kl);
        ck_assert_mem_eq(k.server_write_key, kb + kl, kl);
        ck_assert_mem_eq(k.client_write_IV, kb + 2 * kl, ivl);
        ck_assert_mem_eq(k.server_write_IV, kb + 2 * kl + ivl, ivl);
        /* the randoms swapped give other keys (RFC 5246 6.3 orders them
         * server_random + client_random, 8.1 the reverse) */
        ck_assert_int_eq(td_ks12_key_expansion(&ks, &cap.suite,
                                               cap.server_random,
                                               cap.client_random, &k),
                         TD_OK);
        ck_assert_mem_ne(k.client_write_key, kb, kl);
        /* a SHA-384 suite on a SHA-256 schedule is a caller bug */
        ck_assert_int_eq(td_ks_suite_find(0xc030, &other), TD_OK);
        ck_assert_int_eq(td_ks12_key_expansion(&ks, &other, cap.client_random,
                                               cap.server_random, &k),
                         TD_ERR_INTERNAL);
        /* a TLS 1.3 suite has no TLS 1.2 key block */
        ck_assert_int_eq(td_ks_suite_find(0x1301, &other), TD_OK);
        ck_assert_int_eq(td_ks12_key_expansion(&ks, &other, cap.client_random,
                                               cap.server_random, &k),
                         TD_ERR_INTERNAL);
        td_ks12_wipe(&ks);
        td_vec_free(&cap.v);
    }
}
END_TEST

/* RFC 5246 7.4.9 "Recipients of Finished messages MUST verify that the
 * contents are correct"; 7.2.2 decrypt_error: unable to "validate a
 * Finished message"; decode_error for a malformed one. */
START_TEST(test_tls12_negative)
{
    td_ks12 ks, zero;
    td_hash_ctx h;
    uint8_t hh[32], vd[TD_KS12_VERIFY_DATA_LEN], bad[TD_KS12_VERIFY_DATA_LEN];
    td_span cf = {NULL, 0};
    size_t i;

    capture_load("tls12/ecdhe-ecdsa-aes128-gcm.vec", &cap);
    ck_assert_int_eq(td_ks12_init(&ks, TD_HASH_SHA256), TD_OK);
    ck_assert_int_eq(td_ks12_set_master_secret(&ks, master_of(&cap)), TD_OK);
    ck_assert_int_eq(td_hash_init(&h, TD_HASH_SHA256), TD_OK);
    for (i = 0; i < cap.v.n; i++) {
        const td_vec_entry *e = &cap.v.e[i];
        if (strcmp(e->kind, "handshake"))
            continue;
        if (!strcmp(e->name, "finished")) {
            cf = span_of(e->data + 4, TD_KS12_VERIFY_DATA_LEN);
            break;
        }
        ck_assert_int_eq(td_hash_update(&h, td_vec_span(e)), TD_OK);
    }
    ck_assert_uint_eq(cf.len, TD_KS12_VERIFY_DATA_LEN);
    ck_assert_int_eq(td_hash_peek(&h, hh), TD_OK);
    ck_assert_int_eq(td_ks12_finished_check(&ks, TD_KS12_CLIENT,
                                            span_of(hh, 32), cf),
                     TD_OK);
    /* the client's verify_data is not the server's: the labels differ */
    ck_assert_int_eq(td_ks12_verify_data(&ks, TD_KS12_SERVER, span_of(hh, 32),
                                         vd),
                     TD_OK);
    ck_assert_mem_ne(vd, cf.p, TD_KS12_VERIFY_DATA_LEN);
    ck_assert_int_eq(td_ks12_finished_check(&ks, TD_KS12_SERVER,
                                            span_of(hh, 32), cf),
                     TD_ALERT_DECRYPT_ERROR);
    /* one bit flipped in the last byte */
    memcpy(bad, cf.p, sizeof bad);
    bad[11] ^= 0x01;
    ck_assert_int_eq(td_ks12_finished_check(&ks, TD_KS12_CLIENT,
                                            span_of(hh, 32),
                                            span_of(bad, sizeof bad)),
                     TD_ALERT_DECRYPT_ERROR);
    /* 11 bytes: not a 12-byte verify_data (decode_error) */
    ck_assert_int_eq(td_ks12_finished_check(&ks, TD_KS12_CLIENT,
                                            span_of(hh, 32),
                                            span_of(cf.p, 11)),
                     TD_ALERT_DECODE_ERROR);
    /* the session ends: the master secret is wiped and unusable */
    td_ks12_wipe(&ks);
    memset(&zero, 0, sizeof zero);
    ck_assert_mem_eq(ks.master_secret, zero.master_secret,
                     sizeof zero.master_secret);
    ck_assert_int_eq(ks.have_master_secret, 0);
    ck_assert_int_eq(td_ks12_verify_data(&ks, TD_KS12_CLIENT, span_of(hh, 32),
                                         vd),
                     TD_ERR_INTERNAL);
    /* a master secret is 48 bytes (RFC 5246 8.1) */
    ck_assert_int_eq(td_ks12_set_master_secret(&ks, span_of(hh, 32)),
                     TD_ERR_INTERNAL);
    td_vec_free(&cap.v);
}
END_TEST

/* --------------------------------------------------------- suite table */

/* Written from the RFCs: RFC 8446 B.4 (1.3 suites, iv_length 12 by 5.3),
 * RFC 5288 3 and RFC 5289 3.2 (AES-GCM: fixed_iv_length 4,
 * record_iv_length 8, PRF hash from the name), RFC 7905 2 (ChaCha20:
 * fixed_iv_length 12, record_iv_length 0, SHA-256). */
START_TEST(test_suites)
{
    static const td_ks_suite want[] = {
        {0x1301, 0x0304, TD_HASH_SHA256, TD_AEAD_AES_128_GCM, 16, 12, 0},
        {0x1302, 0x0304, TD_HASH_SHA384, TD_AEAD_AES_256_GCM, 32, 12, 0},
        {0x1303, 0x0304, TD_HASH_SHA256, TD_AEAD_CHACHA20_POLY1305, 32, 12, 0},
        {0xc02b, 0x0303, TD_HASH_SHA256, TD_AEAD_AES_128_GCM, 16, 4, 8},
        {0xc02f, 0x0303, TD_HASH_SHA256, TD_AEAD_AES_128_GCM, 16, 4, 8},
        {0xc02c, 0x0303, TD_HASH_SHA384, TD_AEAD_AES_256_GCM, 32, 4, 8},
        {0xc030, 0x0303, TD_HASH_SHA384, TD_AEAD_AES_256_GCM, 32, 4, 8},
        {0xcca9, 0x0303, TD_HASH_SHA256, TD_AEAD_CHACHA20_POLY1305, 32, 12, 0},
        {0xcca8, 0x0303, TD_HASH_SHA256, TD_AEAD_CHACHA20_POLY1305, 32, 12, 0},
        {0x009c, 0x0303, TD_HASH_SHA256, TD_AEAD_AES_128_GCM, 16, 4, 8},
        {0x009d, 0x0303, TD_HASH_SHA384, TD_AEAD_AES_256_GCM, 32, 4, 8},
    };
    size_t i, n = 0;
    td_ks_suite s;

    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        memset(&s, 0xa5, sizeof s);
        ck_assert_int_eq(td_ks_suite_find(want[i].cipher_suite, &s), TD_OK);
        ck_assert_uint_eq(s.cipher_suite, want[i].cipher_suite);
        ck_assert_uint_eq(s.version, want[i].version);
        ck_assert_int_eq(s.hash, want[i].hash);
        ck_assert_int_eq(s.aead, want[i].aead);
        ck_assert_uint_eq(s.key_length, want[i].key_length);
        ck_assert_uint_eq(s.fixed_iv_length, want[i].fixed_iv_length);
        ck_assert_uint_eq(s.record_iv_length, want[i].record_iv_length);
        ck_assert_uint_eq(s.key_length, td_aead_key_len(s.aead));
    }
    while (td_ks_suite_at(n))
        n++;
    ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
    /* TLS_RSA_WITH_AES_256_CBC_SHA: not an AEAD suite, not in the table */
    memset(&s, 0xa5, sizeof s);
    ck_assert_int_eq(td_ks_suite_find(0x0035, &s), TD_ERR_NOT_FOUND);
    ck_assert_uint_eq(s.cipher_suite, 0xa5a5);
}
END_TEST

Suite *td_keys_suite(void);

Suite *td_keys_suite(void)
{
    Suite *s = suite_create("keys");
    TCase *tc;

    tc = tcase_create("valid");
    tcase_add_loop_test(tc, test_kdf_steps, 0, N_TLS13);
    tcase_add_loop_test(tc, test_schedule, 0, N_TLS13);
    tcase_add_test(tc, test_message_hash);
    tcase_add_test(tc, test_binder);
    tcase_add_test(tc, test_ticket_psk);
    tcase_add_test(tc, test_traffic_keys_open);
    tcase_add_test(tc, test_key_update);
    tcase_add_test(tc, test_sha384);
    tcase_add_loop_test(tc, test_tls12_finished, 0, N_TLS12);
    tcase_add_test(tc, test_tls12_master_secret);
    tcase_add_test(tc, test_tls12_key_expansion);
    tcase_add_test(tc, test_suites);
    suite_add_tcase(s, tc);

    tc = tcase_create("rfc_negative");
    tcase_add_test(tc, test_finished_negative);
    tcase_add_test(tc, test_wipe_stages);
    tcase_add_test(tc, test_tls12_negative);
    suite_add_tcase(s, tc);

    tc = tcase_create("bounds");
    tcase_add_test(tc, test_expand_label_bounds);
    suite_add_tcase(s, tc);
    return s;
}
