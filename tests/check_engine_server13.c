/*
 * The reference TLS 1.3 server (harness/ref/engine/td_hs_server*.c,
 * td_hs_auth.c) driven through td_conn.
 *
 * Expected values:
 *   - replay: the TLS 1.3 example traces of vectors/tls13 (RFC 8448
 *     sections 3, 5, 6, 7): every record the trace's server sends is the
 *     expected output byte for byte; the trace's kdf lines are the
 *     expected td_ks13 secrets. The server is given the trace's inputs:
 *     its certificate (the trace's Certificate message), its RSA key
 *     (section 2, DER-encoded here), its random and ephemeral key (the
 *     trace's), the RSA-PSS salts (vectors/tls13/derived/pss-salts.vec,
 *     recovered from the trace's signatures by pss_salts.py) and, for the
 *     HelloRetryRequest, the trace's cookie bytes;
 *   - interop: the wolfSSL client, an independent implementation, must
 *     complete handshakes with the server and exchange data both ways;
 *   - negatives: ClientHellos edited from the trace's, each check naming
 *     the RFC clause whose alert it expects.
 */
#include "td_vec.h" /* first: it selects POSIX for mkdtemp */

#include "td_conn.h"
#include "td_hello.h"
#include "td_keys.h"
#include "td_protect.h"
#include "td_pump.h"
#include "td_subject.h"
#include "td_world.h"

#include "../harness/subject/td_subject_impl.h" /* td_subject_ref_new */

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Suite *td_engine_server13_suite(void);

/* ------------------------------------------------------------ helpers */

static void vec_load(const char *rel, td_vec *v)
{
    td_err e = td_vec_load(rel, v);

    ck_assert_msg(e == TD_OK, "%s/%s: %s", td_vectors_dir(), rel,
                  td_err_name(e));
}

static td_span vget(const td_vec *v, const char *side, const char *kind,
                    const char *name, const char *field, int nth)
{
    const td_vec_entry *e = td_vec_find(v, side, kind, name, field, nth);

    ck_assert_msg(e != NULL, "no %s %s %s %s #%d in vectors", side, kind,
                  name, field, nth);
    return td_vec_span(e);
}

static void assert_bytes(td_span got, td_span want, const char *what)
{
    size_t i = 0;

    while (i < got.len && i < want.len && got.p[i] == want.p[i])
        i++;
    ck_assert_msg(got.len == want.len && i == want.len,
                  "%s: %zu bytes, expected %zu; first difference at %zu",
                  what, got.len, want.len, i);
}

/* A handshake message's body (after the 4-byte header). */
static td_span hs_body(td_span msg)
{
    td_span b = {msg.p + 4, msg.len - 4};

    ck_assert_uint_ge(msg.len, 4);
    return b;
}

/* DER (X.690 8.1.3) length octets. */
static void der_len(td_wr *w, size_t n)
{
    if (n < 0x80) {
        ck_assert_int_eq(td_wr_u8(w, (uint32_t)n), TD_OK);
    } else if (n < 0x100) {
        ck_assert_int_eq(td_wr_u8(w, 0x81), TD_OK);
        ck_assert_int_eq(td_wr_u8(w, (uint32_t)n), TD_OK);
    } else {
        ck_assert_uint_lt(n, 0x10000);
        ck_assert_int_eq(td_wr_u8(w, 0x82), TD_OK);
        ck_assert_int_eq(td_wr_u16(w, (uint32_t)n), TD_OK);
    }
}

/* An unsigned big-endian value as a DER INTEGER (X.690 8.3: two's
 * complement in the fewest octets, so a 00 in front when the top bit is
 * set): 02 len [00] value. */
static void der_uint(td_wr *w, td_span v)
{
    size_t i = 0;
    int pad;

    while (i + 1 < v.len && v.p[i] == 0)
        i++;
    pad = (v.p[i] & 0x80) != 0;
    ck_assert_int_eq(td_wr_u8(w, 0x02), TD_OK);
    der_len(w, v.len - i + (size_t)pad);
    if (pad)
        ck_assert_int_eq(td_wr_u8(w, 0x00), TD_OK);
    ck_assert_int_eq(td_wr_bytes(w, v.p + i, v.len - i), TD_OK);
}

/* The server's RSA key of section 2 as a td_key. RFC 8017 A.1.2:
 *     RSAPrivateKey ::= SEQUENCE {
 *         version Version (0), modulus, publicExponent, privateExponent,
 *         prime1, prime2, exponent1, exponent2, coefficient }
 * every field an INTEGER taken from the trace's values in this order:
 * 30 82 LL LL | 02 01 00 | 02 81 81 00 b4 bb ... (n) | 02 03 01 00 01 (e)
 * | d | p | q | dP | dQ | qInv. */
static void trace_rsa_key(td_key *key)
{
    static const char *const fields[] = {
        "modulus_public", "public_exponent", "private_exponent", "prime1",
        "prime2", "exponent1", "exponent2", "coefficient"};
    static const uint8_t zero = 0;
    uint8_t body[1200], der[1210];
    td_span b, d, z = {&zero, 1};
    td_vec v;
    td_wr w;
    size_t i;

    vec_load("tls13/s2-keys.vec", &v);
    td_wr_init(&w, body, sizeof body);
    der_uint(&w, z);
    for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
        der_uint(&w, vget(&v, "server", "key", "server_rsa", fields[i], 0));
    ck_assert_int_eq(td_wr_finish(&w, &b), TD_OK);
    td_wr_init(&w, der, sizeof der);
    ck_assert_int_eq(td_wr_u8(&w, 0x30), TD_OK); /* SEQUENCE */
    der_len(&w, b.len);
    ck_assert_int_eq(td_wr_span(&w, b), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &d), TD_OK);
    ck_assert_int_eq(td_key_load_private(d, key), TD_OK);
    ck_assert_int_eq(key->type, TD_KEY_RSA);
    ck_assert_uint_eq(key->bits, 1024);
    td_vec_free(&v);
}

static void script_add(td_draw_script *s, td_draw what, td_span bytes)
{
    ck_assert_uint_lt(s->n, TD_DRAW_SCRIPT_MAX);
    ck_assert_uint_le(bytes.len, TD_DRAW_ITEM_MAX);
    s->item[s->n].what = what;
    s->item[s->n].len = bytes.len;
    memcpy(s->item[s->n].bytes, bytes.p, bytes.len);
    s->n++;
}

/* A protection state from the trace's key and iv lines. */
static void trace_protect(td_protect *st, const td_vec *v, const char *side,
                          const char *name)
{
    td_span key = vget(v, side, "kdf", name, "key_expanded", 0);
    td_span iv = vget(v, side, "kdf", name, "iv_expanded", 0);

    memset(st, 0, sizeof *st);
    ck_assert_int_eq(td_protect_install(st, TD_RECORD_TLS13,
                                        TD_AEAD_AES_128_GCM, key, iv),
                     TD_OK);
}

/* ------------------------------------------------------------ replay */

typedef struct replay {
    td_vec v;
    td_conn_config cfg;
    td_draw_script script;
    td_rng rng;
    td_conn *c;
    uint8_t out[65536];
    size_t out_len;
    uint8_t flight[65536]; /* the server's first output (after_flight) */
    size_t flight_len;
} replay;

/* The groups of the traces' servers, as their EncryptedExtensions list
 * them: sections 3, 6, 7 "00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03
 * 01 04" (x25519, P-256, P-384, P-521, ffdhe2048..8192); section 5
 * "00 17 00 18 00 1d" (P-256 first: why it retries an X25519 share). */
static const uint16_t groups_s3[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100,
                                     0x0101, 0x0102, 0x0103, 0x0104};
static const uint16_t groups_s5[] = {0x0017, 0x0018, 0x001d};

/* Section `file` with the server's inputs from the trace. salt_name NULL:
 * no salt (the ECDSA server of section 6). */
static replay *replay_new(const char *file, const uint16_t *groups,
                          size_t n_groups, const char *salt_name)
{
    replay *r = calloc(1, sizeof *r);
    td_certificate13 cert;
    td_certificate_entry e;
    td_rd list;
    const td_vec_entry *sh;
    td_span random;
    int got, i;

    ck_assert_ptr_nonnull(r);
    r->c = calloc(1, sizeof *r->c);
    ck_assert_ptr_nonnull(r->c);
    vec_load(file, &r->v);
    r->cfg.role = TD_ROLE_SERVER;
    r->cfg.min_version = 0x0303;
    r->cfg.max_version = 0x0304;
    r->cfg.groups.n = n_groups;
    for (i = 0; i < (int)n_groups; i++)
        r->cfg.groups.v[i] = groups[i];
    /* the certificate: the first entry of the trace's Certificate */
    ck_assert_int_eq(
        td_certificate13_decode(
            hs_body(vget(&r->v, "server", "handshake", "certificate",
                         "message", 0)),
            &cert),
        TD_OK);
    td_rd_init_span(&list, cert.certificate_list);
    ck_assert_int_eq(td_certificate_entry_next(&list, &e, &got), TD_OK);
    ck_assert(got);
    r->cfg.chain.n = 1;
    r->cfg.chain.len[0] = e.cert_data.len;
    memcpy(r->cfg.chain.der[0], e.cert_data.p, e.cert_data.len);
    if (salt_name) {
        td_vec salts;

        trace_rsa_key(&r->cfg.key);
        vec_load("tls13/derived/pss-salts.vec", &salts);
        script_add(&r->script, TD_DRAW_SIGNATURE,
                   vget(&salts, "server", "signature", salt_name, "salt", 0));
        td_vec_free(&salts);
    }
    /* ServerHello.random: the last ServerHello (after any HRR), bytes
     * 6..37 of the message (type, length, legacy_version, random) */
    for (i = 0; td_vec_find(&r->v, "server", "handshake", "server_hello",
                            "message", i + 1);
         i++)
        ;
    sh = td_vec_find(&r->v, "server", "handshake", "server_hello", "message",
                     i);
    random.p = sh->data + 6;
    random.len = 32;
    script_add(&r->script, TD_DRAW_RANDOM, random);
    /* the server's ephemeral private key (the one "create" step it has) */
    for (i = 0; i < (int)r->v.n; i++)
        if (strcmp(r->v.e[i].side, "server") == 0 &&
            strcmp(r->v.e[i].kind, "key") == 0 &&
            strcmp(r->v.e[i].field, "private_key") == 0) {
            script_add(&r->script, TD_DRAW_KEY_SHARE, td_vec_span(&r->v.e[i]));
            break;
        }
    r->cfg.script = &r->script;
    td_rng_init(&r->rng, 1, "server");
    return r;
}

static void replay_start(replay *r)
{
    ck_assert_int_eq(td_conn_init(r->c, &r->cfg, &r->rng), TD_OK);
    ck_assert_int_eq(td_conn_start(r->c), TD_OK);
}

static void replay_free(replay *r)
{
    td_vec_free(&r->v);
    free(r->c);
    free(r);
}

static td_span drain(replay *r)
{
    td_span s;

    td_conn_drain(r->c, r->out, sizeof r->out, &r->out_len);
    ck_assert_uint_eq(td_conn_pending(r->c), 0);
    s.p = r->out;
    s.len = r->out_len;
    return s;
}

static td_err feed(replay *r, td_span in)
{
    return td_conn_feed(r->c, in);
}

static int is_hs_record(const td_vec_entry *e)
{
    return strcmp(e->kind, "record") == 0 &&
           (strcmp(e->field, "plaintext") == 0 ||
            strcmp(e->field, "protected") == 0) &&
           (strcmp(e->name, "handshake") == 0 ||
            strcmp(e->name, "change_cipher_spec") == 0);
}

/* Index of the client record that carries its Finished: its last
 * protected handshake record. */
static size_t client_finished_index(const td_vec *v)
{
    size_t i, at = v->n;

    for (i = 0; i < v->n; i++)
        if (strcmp(v->e[i].side, "client") == 0 && is_hs_record(&v->e[i]) &&
            strcmp(v->e[i].field, "protected") == 0)
            at = i;
    ck_assert_uint_lt(at, v->n);
    return at;
}

/* Walk the trace's handshake and CCS records [from, to): feed the
 * client's, and compare everything the server sends with the server's
 * records that precede the next client record, byte for byte. */
static void walk(replay *r, size_t from, size_t to)
{
    static uint8_t want[65536];
    size_t i, n = 0;
    char what[96];

    for (i = from; i <= to; i++) {
        const td_vec_entry *e = i < to ? &r->v.e[i] : NULL;

        if (e && !is_hs_record(e))
            continue;
        if (e && strcmp(e->side, "server") == 0) {
            ck_assert_uint_le(n + e->len, sizeof want);
            memcpy(want + n, e->data, e->len);
            n += e->len;
            continue;
        }
        {
            td_span w = {want, n};

            if (e)
                snprintf(what, sizeof what, "server records before line %u",
                         e->line);
            else
                snprintf(what, sizeof what, "server records up to line %u",
                         to > 0 ? r->v.e[to - 1].line : 0);
            assert_bytes(drain(r), w, what);
            n = 0;
        }
        if (e) {
            td_err err = feed(r, td_vec_span(e));

            ck_assert_msg(err == TD_OK, "line %u: %s (%s)", e->line,
                          td_err_name(err), r->c->failure.why);
        }
    }
}

static void check_secret(replay *r, td_ks13_secret which, const char *side,
                         const char *name, const char *field)
{
    assert_bytes(td_ks13_get(&r->c->ks13, which),
                 vget(&r->v, side, "kdf", name, field, 0), name);
}

/* After the server's flight: the secrets the schedule holds are the
 * trace's; the early and handshake secrets are gone (RFC 8446 7.1). */
static void check_flight_secrets(replay *r)
{
    check_secret(r, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET, "server",
                 "derive_secret_tls13_c_hs_traffic", "expanded");
    check_secret(r, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET, "server",
                 "derive_secret_tls13_s_hs_traffic", "expanded");
    check_secret(r, TD_KS13_MASTER_SECRET, "server", "extract_secret_master",
                 "secret");
    check_secret(r, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET, "server",
                 "derive_secret_tls13_c_ap_traffic", "expanded");
    check_secret(r, TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET, "server",
                 "derive_secret_tls13_s_ap_traffic", "expanded");
    check_secret(r, TD_KS13_EXPORTER_MASTER_SECRET, "server",
                 "derive_secret_tls13_exp_master", "expanded");
    ck_assert_uint_eq(td_ks13_get(&r->c->ks13, TD_KS13_EARLY_SECRET).len, 0);
    ck_assert_uint_eq(td_ks13_get(&r->c->ks13, TD_KS13_HANDSHAKE_SECRET).len,
                      0);
}

/* The whole handshake of a section, then the client's close_notify. */
static replay *replay_handshake(const char *file, const uint16_t *groups,
                                size_t n_groups, const char *salt_name)
{
    replay *r = replay_new(file, groups, n_groups, salt_name);
    size_t fin;

    replay_start(r);
    fin = client_finished_index(&r->v);
    walk(r, 0, fin);
    check_flight_secrets(r);
    ck_assert_int_eq(r->c->state, TD_ST_SRV_WAIT_FINISHED);
    /* the client's Finished; this server sends no NewSessionTicket, so
     * nothing comes back */
    walk(r, fin, fin + 1);
    ck_assert_int_eq(r->c->state, TD_ST_CONNECTED);
    check_secret(r, TD_KS13_RESUMPTION_MASTER_SECRET, "client",
                 "derive_secret_tls13_res_master", "expanded");
    ck_assert_uint_eq(td_ks13_get(&r->c->ks13, TD_KS13_MASTER_SECRET).len, 0);
    ck_assert_uint_eq(
        td_ks13_get(&r->c->ks13, TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET).len,
        0);
    ck_assert_uint_eq(r->c->params.version, 0x0304);
    ck_assert_uint_eq(r->c->params.cipher_suite, 0x1301);
    return r;
}

static void close_from_client(replay *r)
{
    ck_assert_int_eq(
        feed(r, vget(&r->v, "client", "record", "alert", "protected", 0)),
        TD_OK);
    ck_assert_int_eq(r->c->state, TD_ST_CLOSED);
    ck_assert_int_eq(r->c->received_alert, 1 + TD_ALERT_CLOSE_NOTIFY);
}

START_TEST(test_replay_s3_1rtt)
{
    replay *r = replay_handshake("tls13/s3-1rtt.vec", groups_s3, 9,
                                 "s3_1rtt_certificate_verify");
    uint8_t got[256];
    size_t n;
    td_protect st;
    td_protect_plain p;
    td_rd rd;
    td_span app = vget(&r->v, "server", "record", "application_data",
                       "payload", 0);

    ck_assert_uint_eq(r->c->params.group, 0x001d);
    ck_assert_uint_eq(r->c->params.sig_scheme, 0x0804);
    /* the client's application data arrives */
    ck_assert_int_eq(feed(r, vget(&r->v, "client", "record",
                                  "application_data", "protected", 0)),
                     TD_OK);
    td_conn_read_app(r->c, got, sizeof got, &n);
    assert_bytes((td_span){got, n},
                 vget(&r->v, "client", "record", "application_data",
                      "payload", 0),
                 "client application data");
    /* ours opens under the trace's server application key, sequence 0
     * (the trace's record is sequence 1, after its NewSessionTicket) */
    ck_assert_int_eq(td_conn_write_app(r->c, app), TD_OK);
    trace_protect(&st, &r->v, "server",
                  "derive_write_traffic_keys_for_application_data");
    td_rd_init_span(&rd, drain(r));
    ck_assert_int_eq(td_protect_open(&st, &rd, got, sizeof got, &p), TD_OK);
    ck_assert_uint_eq(p.type, TD_CT_APPLICATION_DATA);
    assert_bytes(p.content, app, "server application data");
    ck_assert_uint_eq(td_rd_left(&rd), 0);
    close_from_client(r);
    replay_free(r);
}
END_TEST

START_TEST(test_replay_s5_hrr)
{
    replay *r = replay_new("tls13/s5-hrr.vec", groups_s5, 3,
                           "s5_hrr_certificate_verify");
    td_server_hello hrr;
    td_span data;
    td_ext_cookie ck;
    size_t fin;

    /* the cookie is the trace server's own (opaque to anyone else) */
    ck_assert_int_eq(
        td_server_hello_decode(hs_body(vget(&r->v, "server", "handshake",
                                            "server_hello", "message", 0)),
                               &hrr),
        TD_OK);
    ck_assert(hrr.is_hello_retry_request);
    ck_assert(td_ext_find(hrr.extensions, TD_EXT_COOKIE, &data));
    ck_assert_int_eq(
        td_ext_cookie_decode(data, TD_EXT_CTX_HELLO_RETRY_REQUEST, &ck),
        TD_OK);
    script_add(&r->script, TD_DRAW_COOKIE, ck.cookie);
    r->cfg.hrr_cookie = 1;
    replay_start(r);
    fin = client_finished_index(&r->v);
    /* ClientHello1 -> HelloRetryRequest, ClientHello2 -> the flight */
    walk(r, 0, fin);
    ck_assert(r->c->hrr_done);
    check_flight_secrets(r);
    walk(r, fin, fin + 1);
    ck_assert_int_eq(r->c->state, TD_ST_CONNECTED);
    ck_assert_uint_eq(r->c->params.group, 0x0017);
    check_secret(r, TD_KS13_RESUMPTION_MASTER_SECRET, "client",
                 "derive_secret_tls13_res_master", "expanded");
    close_from_client(r);
    replay_free(r);
}
END_TEST

START_TEST(test_replay_s7_compat)
{
    replay *r = replay_handshake("tls13/s7-compat.vec", groups_s3, 9,
                                 "s7_compat_certificate_verify");

    /* RFC 8446 D.4: the session id echoed, the CCS after ServerHello (in
     * the walk's byte comparison); the client's CCS was dropped */
    ck_assert_uint_eq(r->c->session_id_len, 32);
    ck_assert(r->c->ccs_seen);
    close_from_client(r);
    replay_free(r);
}
END_TEST

/* Section 6 as far as it goes: its server's ECDSA key is not published,
 * so the server here signs with vectors/pki's P-256 key. Everything up to
 * and including the Certificate is the trace's; the CertificateVerify is
 * checked against our key over the trace's transcript, and the Finished
 * against the trace's server_handshake_traffic_secret. */
START_TEST(test_replay_s6_client_auth)
{
    replay *r = replay_new("tls13/s6-client-auth.vec", groups_s3, 9, NULL);
    /* the trace's CertificateRequest lists these schemes (its
     * signature_algorithms); our server offers its configured list */
    static const uint16_t cr_schemes[] = {0x0403, 0x0503, 0x0603, 0x0203,
                                          0x0804, 0x0805, 0x0806, 0x0401,
                                          0x0501, 0x0601, 0x0201, 0x0402,
                                          0x0502, 0x0602, 0x0202};
    static const char *const before_cv[] = {"encrypted_extensions",
                                            "certificate_request",
                                            "certificate"};
    static uint8_t plain[20000], transcript[8192];
    char path[1024];
    FILE *f;
    uint8_t pem[8192], th[32], content[200], vd[32];
    size_t n, i, tlen = 0, off = 0;
    td_span out, sh_rec, rest, s;
    td_protect st;
    td_protect_plain p;
    td_rd rd;
    td_handshake hs;
    td_certificate_verify cv;
    td_key pub;

    for (i = 0; i < sizeof cr_schemes / sizeof cr_schemes[0]; i++)
        r->cfg.sigalgs.v[i] = cr_schemes[i];
    r->cfg.sigalgs.n = i;
    r->cfg.client_auth = TD_CLIENT_AUTH_REQUIRE;
    ck_assert_int_eq(td_vectors_path("pki/server-p256.key.pem", path,
                                     sizeof path),
                     TD_OK);
    f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    n = fread(pem, 1, sizeof pem, f);
    fclose(f);
    ck_assert_int_eq(td_key_load_private((td_span){pem, n}, &r->cfg.key),
                     TD_OK);
    replay_start(r);
    ck_assert_int_eq(feed(r, vget(&r->v, "client", "record", "handshake",
                                  "plaintext", 0)),
                     TD_OK);
    out = drain(r);
    sh_rec = vget(&r->v, "server", "record", "handshake", "plaintext", 0);
    ck_assert_uint_gt(out.len, sh_rec.len);
    assert_bytes((td_span){out.p, sh_rec.len}, sh_rec, "ServerHello record");
    check_secret(r, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET, "server",
                 "derive_secret_tls13_s_hs_traffic", "expanded");
    ck_assert_int_eq(r->c->state, TD_ST_SRV_WAIT_CERTIFICATE);

    /* the protected flight, under the trace's server handshake key */
    rest.p = out.p + sh_rec.len;
    rest.len = out.len - sh_rec.len;
    trace_protect(&st, &r->v, "server",
                  "derive_write_traffic_keys_for_handshake_data");
    td_rd_init_span(&rd, rest);
    ck_assert_int_eq(td_protect_open(&st, &rd, plain, sizeof plain, &p),
                     TD_OK);
    ck_assert_uint_eq(td_rd_left(&rd), 0);
    /* the transcript from the trace: ClientHello, ServerHello, then the
     * three messages that must match */
    s = vget(&r->v, "client", "handshake", "client_hello", "message", 0);
    memcpy(transcript, s.p, s.len);
    tlen = s.len;
    s = vget(&r->v, "server", "handshake", "server_hello", "message", 0);
    memcpy(transcript + tlen, s.p, s.len);
    tlen += s.len;
    for (i = 0; i < 3; i++) {
        td_span want = vget(&r->v, "server", "handshake", before_cv[i],
                            "message", 0);

        ck_assert_uint_le(off + want.len, p.content.len);
        assert_bytes((td_span){p.content.p + off, want.len}, want,
                     before_cv[i]);
        memcpy(transcript + tlen, want.p, want.len);
        tlen += want.len;
        off += want.len;
    }
    /* CertificateVerify: ecdsa_secp256r1_sha256 (the first of the
     * configured list our key makes), a valid signature by our key over
     * RFC 8446 4.4.3's content for Hash(ClientHello..Certificate) */
    td_rd_init(&rd, p.content.p + off, p.content.len - off);
    ck_assert_int_eq(td_handshake_decode(&rd, &hs), TD_OK);
    ck_assert_uint_eq(hs.msg_type, TD_HS_CERTIFICATE_VERIFY);
    ck_assert_int_eq(td_certificate_verify_decode(hs.body, &cv), TD_OK);
    ck_assert_uint_eq(cv.algorithm, 0x0403);
    ck_assert_int_eq(td_hash(TD_HASH_SHA256, (td_span){transcript, tlen}, th),
                     TD_OK);
    memset(content, 0x20, 64);
    memcpy(content + 64, "TLS 1.3, server CertificateVerify", 33);
    content[97] = 0x00;
    memcpy(content + 98, th, 32);
    ck_assert_int_eq(td_vectors_path("pki/server-p256.crt.der", path,
                                     sizeof path),
                     TD_OK);
    f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    n = fread(pem, 1, sizeof pem, f);
    fclose(f);
    ck_assert_int_eq(td_key_from_cert((td_span){pem, n}, &pub), TD_OK);
    ck_assert_int_eq(td_sig_verify(0x0403, TD_SIG_CURVE_BOUND, &pub, (td_span){content, 130},
                                   cv.signature),
                     TD_OK);
    memcpy(transcript + tlen, hs.raw.p, hs.raw.len);
    tlen += hs.raw.len;
    /* Finished = HMAC(finished_key(trace SHTS), Hash(..CertificateVerify)) */
    ck_assert_int_eq(td_handshake_decode(&rd, &hs), TD_OK);
    ck_assert_uint_eq(hs.msg_type, TD_HS_FINISHED);
    ck_assert_uint_eq(td_rd_left(&rd), 0);
    ck_assert_int_eq(td_hash(TD_HASH_SHA256, (td_span){transcript, tlen}, th),
                     TD_OK);
    ck_assert_int_eq(
        td_ks13_verify_data(TD_HASH_SHA256,
                            vget(&r->v, "server", "kdf",
                                 "derive_secret_tls13_s_hs_traffic",
                                 "expanded", 0),
                            (td_span){th, 32}, vd),
        TD_OK);
    assert_bytes(hs.body, (td_span){vd, 32}, "server Finished");
    ck_assert_int_eq(r->c->client_cert_requested, 1);
    replay_free(r);
}
END_TEST

START_TEST(test_salts_fresh)
{
    static const char *const files[] = {"tls13/derived/pss-salts.vec"};
    char input[1024];
    td_err err;

    snprintf(input, sizeof input, "%s/tls13/s2-keys.vec", td_vectors_dir());
    err = td_vec_check_fresh("tls13/pss_salts.py", input, files, 1);
    if (err == TD_ERR_NOT_FOUND)
        fprintf(stderr, "salts_fresh: skipped, no python3\n");
    else
        ck_assert_msg(err == TD_OK,
                      "pss-salts.vec differs from pss_salts.py's output: %s",
                      td_err_name(err));
}
END_TEST

/* --------------------------------------------------- post-handshake */

static td_span seal(td_protect *st, uint8_t type, td_span content,
                    uint8_t *buf, size_t cap)
{
    td_wr w;
    td_span s;

    td_wr_init(&w, buf, cap);
    ck_assert_int_eq(td_protect_seal(st, type, content, 0, &w), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &s), TD_OK);
    return s;
}

/* A protection state for secret_N+1 of a trace secret (RFC 8446 7.2:
 * application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N,
 * "traffic upd", "", Hash.length)), keys by RFC 8446 7.3. */
static void next_protect(td_protect *st, td_span secret_n)
{
    uint8_t next[32];
    td_traffic_keys k;

    ck_assert_int_eq(td_ks13_next_traffic_secret(TD_HASH_SHA256, secret_n,
                                                 next),
                     TD_OK);
    ck_assert_int_eq(td_ks13_traffic_keys(TD_HASH_SHA256,
                                          (td_span){next, 32},
                                          TD_AEAD_AES_128_GCM, &k),
                     TD_OK);
    memset(st, 0, sizeof *st);
    ck_assert_int_eq(td_protect_install(st, TD_RECORD_TLS13, k.aead,
                                        (td_span){k.key, k.key_length},
                                        (td_span){k.iv, 12}),
                     TD_OK);
}

/* RFC 8446 4.6.3: a KeyUpdate with update_requested is answered by one
 * with update_not_requested under the old key; then both directions use
 * application_traffic_secret_1. Neither is in the transcript (4.4.1). */
START_TEST(test_key_update)
{
    replay *r = replay_handshake("tls13/s3-1rtt.vec", groups_s3, 9,
                                 "s3_1rtt_certificate_verify");
    /* KeyUpdate: 18 (key_update) 00 00 01 (length) 01 (update_requested) */
    static const uint8_t ku_req[] = {0x18, 0x00, 0x00, 0x01, 0x01};
    static const uint8_t ku_not[] = {0x18, 0x00, 0x00, 0x01, 0x00};
    static const uint8_t hello[] = "hello";
    uint8_t rec[256], got[256];
    size_t tlen = r->c->transcript_len, n;
    td_protect cli, srv;
    td_protect_plain p;
    td_rd rd;

    trace_protect(&cli, &r->v, "client",
                  "derive_write_traffic_keys_for_application_data");
    trace_protect(&srv, &r->v, "server",
                  "derive_write_traffic_keys_for_application_data");
    ck_assert_int_eq(feed(r, seal(&cli, TD_CT_HANDSHAKE,
                                  (td_span){ku_req, sizeof ku_req}, rec,
                                  sizeof rec)),
                     TD_OK);
    ck_assert_int_eq(r->c->state, TD_ST_CONNECTED);
    ck_assert_uint_eq(r->c->transcript_len, tlen);
    td_rd_init_span(&rd, drain(r));
    ck_assert_int_eq(td_protect_open(&srv, &rd, got, sizeof got, &p), TD_OK);
    ck_assert_uint_eq(p.type, TD_CT_HANDSHAKE);
    assert_bytes(p.content, (td_span){ku_not, sizeof ku_not},
                 "KeyUpdate answer");
    ck_assert_uint_eq(td_rd_left(&rd), 0);
    /* both directions on secret_1 */
    next_protect(&srv, vget(&r->v, "server", "kdf",
                            "derive_secret_tls13_s_ap_traffic", "expanded",
                            0));
    next_protect(&cli, vget(&r->v, "server", "kdf",
                            "derive_secret_tls13_c_ap_traffic", "expanded",
                            0));
    ck_assert_int_eq(td_conn_write_app(r->c, (td_span){hello, 5}), TD_OK);
    td_rd_init_span(&rd, drain(r));
    ck_assert_int_eq(td_protect_open(&srv, &rd, got, sizeof got, &p), TD_OK);
    assert_bytes(p.content, (td_span){hello, 5}, "data after KeyUpdate");
    ck_assert_int_eq(feed(r, seal(&cli, TD_CT_APPLICATION_DATA,
                                  (td_span){hello, 5}, rec, sizeof rec)),
                     TD_OK);
    td_conn_read_app(r->c, got, sizeof got, &n);
    assert_bytes((td_span){got, n}, (td_span){hello, 5},
                 "client data after KeyUpdate");
    replay_free(r);
}
END_TEST

/* RFC 8446 4.2.10: a server that accepts no early data may "Ignore the
 * extension and return a regular 1-RTT response". Section 4's ClientHello
 * (a PSK and early_data) gets a full handshake: no pre_shared_key in the
 * ServerHello, no early_data in EncryptedExtensions. The flight is opened
 * with keys computed here from the trace client's X25519 key and our
 * ServerHello (RFC 8446 7.1 with PSK = 0, 7.3). */
START_TEST(test_early_data_ignored)
{
    replay *r = replay_new("tls13/s3-1rtt.vec", groups_s3, 9,
                           "s3_1rtt_certificate_verify");
    static uint8_t transcript[4096], plain[16384];
    td_vec s4;
    td_span ch, out, data;
    td_rd rd;
    td_record rec;
    td_record_mode mode = {TD_RECORD_TLS12, TD_RECORD_PLAINTEXT};
    td_handshake hs;
    td_server_hello sh;
    td_ext_key_share ks;
    td_encrypted_extensions ee;
    td_ks13 k13;
    td_traffic_keys k;
    td_protect st;
    td_protect_plain p;
    uint8_t shared[32], th[32];
    size_t n;

    vec_load("tls13/s4-0rtt.vec", &s4);
    replay_start(r);
    ck_assert_int_eq(feed(r, vget(&s4, "client", "record", "handshake",
                                  "plaintext", 0)),
                     TD_OK);
    ck_assert_int_eq(r->c->state, TD_ST_SRV_WAIT_FINISHED);
    out = drain(r);
    td_rd_init_span(&rd, out);
    ck_assert_int_eq(td_record_decode(&rd, mode, &rec), TD_OK);
    {
        td_rd hr;

        td_rd_init_span(&hr, rec.fragment);
        ck_assert_int_eq(td_handshake_decode(&hr, &hs), TD_OK);
    }
    ck_assert_int_eq(td_server_hello_decode(hs.body, &sh), TD_OK);
    ck_assert_uint_eq(sh.cipher_suite, 0x1301);
    ck_assert(!td_ext_find(sh.extensions, TD_EXT_PRE_SHARED_KEY, &data));
    ck_assert(td_ext_find(sh.extensions, TD_EXT_KEY_SHARE, &data));
    ck_assert_int_eq(
        td_ext_key_share_decode(data, TD_EXT_CTX_SERVER_HELLO13, &ks), TD_OK);
    ck_assert_uint_eq(ks.server_share.group, 0x001d);
    ck_assert_int_eq(
        td_kx_shared(0x001d,
                     vget(&s4, "client", "key",
                          "create_an_ephemeral_x25519_key_pair", "private_key",
                          0),
                     ks.server_share.key_exchange, shared),
        TD_OK);
    ch = vget(&s4, "client", "record", "handshake", "payload", 0);
    memcpy(transcript, ch.p, ch.len);
    memcpy(transcript + ch.len, hs.raw.p, hs.raw.len);
    n = ch.len + hs.raw.len;
    ck_assert_int_eq(td_hash(TD_HASH_SHA256, (td_span){transcript, n}, th),
                     TD_OK);
    memset(&k13, 0, sizeof k13);
    ck_assert_int_eq(td_ks13_init(&k13, TD_HASH_SHA256), TD_OK);
    ck_assert_int_eq(td_ks13_early_secret(&k13, (td_span){NULL, 0}), TD_OK);
    ck_assert_int_eq(td_ks13_handshake_secret(&k13, (td_span){shared, 32}),
                     TD_OK);
    ck_assert_int_eq(
        td_ks13_server_handshake_traffic_secret(&k13, (td_span){th, 32}),
        TD_OK);
    ck_assert_int_eq(
        td_ks13_traffic_keys(
            TD_HASH_SHA256,
            td_ks13_get(&k13, TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET),
            TD_AEAD_AES_128_GCM, &k),
        TD_OK);
    memset(&st, 0, sizeof st);
    ck_assert_int_eq(td_protect_install(&st, TD_RECORD_TLS13, k.aead,
                                        (td_span){k.key, k.key_length},
                                        (td_span){k.iv, 12}),
                     TD_OK);
    ck_assert_int_eq(td_protect_open(&st, &rd, plain, sizeof plain, &p),
                     TD_OK);
    {
        td_rd hr;

        td_rd_init_span(&hr, p.content);
        ck_assert_int_eq(td_handshake_decode(&hr, &hs), TD_OK);
    }
    ck_assert_uint_eq(hs.msg_type, TD_HS_ENCRYPTED_EXTENSIONS);
    ck_assert_int_eq(td_encrypted_extensions_decode(hs.body, &ee), TD_OK);
    ck_assert(!td_ext_find(ee.extensions, TD_EXT_EARLY_DATA, &data));
    ck_assert(td_ext_find(ee.extensions, TD_EXT_SERVER_NAME, &data));
    td_ks13_wipe(&k13);
    td_vec_free(&s4);
    replay_free(r);
}
END_TEST

/* RFC 8446 4.1.2: "if a server has negotiated TLS 1.3 and receives a
 * ClientHello at any other time, it MUST terminate the connection with
 * an "unexpected_message" alert." */
START_TEST(test_neg_client_hello_after_handshake)
{
    replay *r = replay_handshake("tls13/s3-1rtt.vec", groups_s3, 9,
                                 "s3_1rtt_certificate_verify");
    td_protect cli;
    uint8_t rec[1024];

    trace_protect(&cli, &r->v, "client",
                  "derive_write_traffic_keys_for_application_data");
    ck_assert_int_eq(
        feed(r, seal(&cli, TD_CT_HANDSHAKE,
                     vget(&r->v, "client", "handshake", "client_hello",
                          "message", 0),
                     rec, sizeof rec)),
        TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(r->c->sent_alert, 1 + TD_ALERT_UNEXPECTED_MESSAGE);
    replay_free(r);
}
END_TEST

/* ------------------------------------------------------- negatives */

/* An extension of the base ClientHello removed (data NULL, drop) or with
 * new extension_data. */
typedef struct ext_edit {
    uint16_t type;
    int drop;
    td_span data;
} ext_edit;

/* The trace ClientHello `base` with edits, as a plaintext record. */
static td_span ch_record(const td_client_hello *base, const ext_edit *ed,
                         size_t n_ed, uint8_t *buf, size_t cap)
{
    uint8_t exts[2048], body[2400], msg[2500];
    td_client_hello ch = *base;
    td_ext_iter it;
    td_handshake hs;
    td_record rec;
    td_record_mode mode = {TD_RECORD_TLS12, TD_RECORD_PLAINTEXT};
    td_wr w;
    td_span s;
    uint16_t type;
    td_span data;
    int got;

    td_wr_init(&w, exts, sizeof exts);
    td_ext_iter_init(&it, base->extensions);
    for (;;) {
        size_t i;
        const ext_edit *e = NULL;

        ck_assert_int_eq(td_ext_iter_next(&it, &type, &data, &got), TD_OK);
        if (!got)
            break;
        for (i = 0; i < n_ed; i++)
            if (ed[i].type == type)
                e = &ed[i];
        if (e && e->drop)
            continue;
        ck_assert_int_eq(td_ext_write(&w, type, e ? e->data : data), TD_OK);
    }
    ck_assert_int_eq(td_wr_finish(&w, &ch.extensions), TD_OK);
    td_wr_init(&w, body, sizeof body);
    ck_assert_int_eq(td_client_hello_encode(&w, &ch), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &hs.body), TD_OK);
    hs.msg_type = TD_HS_CLIENT_HELLO;
    td_wr_init(&w, msg, sizeof msg);
    ck_assert_int_eq(td_handshake_encode(&w, &hs), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &rec.fragment), TD_OK);
    rec.type = TD_CT_HANDSHAKE;
    rec.legacy_record_version = 0x0301;
    td_wr_init(&w, buf, cap);
    ck_assert_int_eq(td_record_encode(&w, mode, &rec), TD_OK);
    ck_assert_int_eq(td_wr_finish(&w, &s), TD_OK);
    return s;
}

/* The server must refuse with `alert`, sent as a plaintext fatal alert
 * record: 15 (alert) 03 03 00 02 | 02 (fatal) alert. */
static void expect_plain_alert(replay *r, td_span in, td_err alert,
                               const char *clause)
{
    uint8_t want[7] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0};
    td_err e = feed(r, in);

    want[6] = (uint8_t)alert;
    ck_assert_msg(e == alert, "%s: got %s, expected %s (%s)", clause,
                  td_err_name(e), td_err_name(alert), r->c->failure.why);
    ck_assert_int_eq(r->c->state, TD_ST_FAILED);
    ck_assert_int_eq(r->c->sent_alert, 1 + alert);
    assert_bytes(drain(r), (td_span){want, 7}, clause);
}

/* A server set up for section 3, and the trace's ClientHello decoded. */
static replay *neg_setup(td_client_hello *ch)
{
    replay *r = replay_new("tls13/s3-1rtt.vec", groups_s3, 9,
                           "s3_1rtt_certificate_verify");

    ck_assert_int_eq(td_client_hello_decode(
                         hs_body(vget(&r->v, "client", "handshake",
                                      "client_hello", "message", 0)),
                         ch),
                     TD_OK);
    return r;
}

START_TEST(test_neg_legacy_version_only)
{
    td_client_hello ch;
    replay *r = neg_setup(&ch);
    ext_edit ed = {TD_EXT_SUPPORTED_VERSIONS, 1, {NULL, 0}};
    uint8_t buf[4096];

    r->cfg.min_version = 0x0304; /* a TLS 1.3-only server */
    replay_start(r);
    ch.legacy_version = 0x0301;
    /* RFC 8446 D.2: no supported_versions and "the server only supports
     * versions greater than ClientHello.legacy_version": protocol_version */
    expect_plain_alert(r, ch_record(&ch, &ed, 1, buf, sizeof buf),
                       TD_ALERT_PROTOCOL_VERSION, "RFC 8446 D.2");
    replay_free(r);
}
END_TEST

START_TEST(test_neg_supported_versions_tls11)
{
    td_client_hello ch;
    replay *r = neg_setup(&ch);
    /* versions<2..254>: 02 (length) 03 02 (TLS 1.1) */
    static const uint8_t sv[] = {0x02, 0x03, 0x02};
    ext_edit ed = {TD_EXT_SUPPORTED_VERSIONS, 0, {sv, sizeof sv}};
    uint8_t buf[4096];

    replay_start(r);
    /* RFC 8446 4.2.1 (only the extension counts), RFC 8996 5 (TLS 1.1 is
     * not negotiated), RFC 8446 6.2 protocol_version */
    expect_plain_alert(r, ch_record(&ch, &ed, 1, buf, sizeof buf),
                       TD_ALERT_PROTOCOL_VERSION, "RFC 8446 4.2.1");
    replay_free(r);
}
END_TEST

START_TEST(test_neg_fallback_scsv)
{
    td_client_hello ch;
    replay *r = neg_setup(&ch);
    /* versions: 02 03 03 (TLS 1.2 only) */
    static const uint8_t sv[] = {0x02, 0x03, 0x03};
    /* the trace's suites 13 01 13 03 13 02, then TLS_FALLBACK_SCSV 56 00 */
    static const uint8_t suites[] = {0x13, 0x01, 0x13, 0x03, 0x13,
                                     0x02, 0x56, 0x00};
    ext_edit ed = {TD_EXT_SUPPORTED_VERSIONS, 0, {sv, sizeof sv}};
    uint8_t buf[4096];

    replay_start(r);
    ch.cipher_suites.p = suites;
    ch.cipher_suites.len = sizeof suites;
    /* RFC 7507 3: our highest version (1.3) is above the client's (1.2) */
    expect_plain_alert(r, ch_record(&ch, &ed, 1, buf, sizeof buf),
                       TD_ALERT_INAPPROPRIATE_FALLBACK, "RFC 7507 3");
    replay_free(r);
}
END_TEST

START_TEST(test_neg_compression)
{
    td_client_hello ch;
    replay *r = neg_setup(&ch);
    static const uint8_t methods[] = {0x00, 0x01}; /* null, DEFLATE */
    uint8_t buf[4096];

    replay_start(r);
    ch.legacy_compression_methods.p = methods;
    ch.legacy_compression_methods.len = 2;
    /* RFC 8446 4.1.2: "exactly one byte, set to zero" */
    expect_plain_alert(r, ch_record(&ch, NULL, 0, buf, sizeof buf),
                       TD_ALERT_ILLEGAL_PARAMETER, "RFC 8446 4.1.2");
    replay_free(r);
}
END_TEST

START_TEST(test_neg_share_not_in_groups)
{
    td_client_hello ch;
    replay *r = neg_setup(&ch);
    /* named_group_list: 00 02 (length) 00 17 (secp256r1); the key_share
     * stays the trace's x25519 share */
    static const uint8_t groups[] = {0x00, 0x02, 0x00, 0x17};
    ext_edit ed = {TD_EXT_SUPPORTED_GROUPS, 0, {groups, sizeof groups}};
    uint8_t buf[4096];

    replay_start(r);
    /* RFC 8446 4.2.8: "Clients MUST NOT offer any KeyShareEntry values
     * for groups not listed in the client's "supported_groups"
     * extension. Servers MAY check ... "illegal_parameter"" */
    expect_plain_alert(r, ch_record(&ch, &ed, 1, buf, sizeof buf),
                       TD_ALERT_ILLEGAL_PARAMETER, "RFC 8446 4.2.8");
    replay_free(r);
}
END_TEST

START_TEST(test_neg_no_common_group)
{
    td_client_hello ch;
    replay *r = neg_setup(&ch);
    static const uint16_t x25519_only[] = {0x001d};
    /* named_group_list 00 02 00 17 (secp256r1); client_shares: the
     * P-256 share of section 5's second ClientHello */
    static const uint8_t groups[] = {0x00, 0x02, 0x00, 0x17};
    td_vec s5;
    td_client_hello ch2;
    td_span ks;
    ext_edit ed[2];
    uint8_t buf[4096];

    vec_load("tls13/s5-hrr.vec", &s5);
    ck_assert_int_eq(td_client_hello_decode(
                         hs_body(vget(&s5, "client", "handshake",
                                      "client_hello", "message", 1)),
                         &ch2),
                     TD_OK);
    ck_assert(td_ext_find(ch2.extensions, TD_EXT_KEY_SHARE, &ks));
    ed[0] = (ext_edit){TD_EXT_SUPPORTED_GROUPS, 0, {groups, sizeof groups}};
    ed[1] = (ext_edit){TD_EXT_KEY_SHARE, 0, ks};
    r->cfg.groups.v[0] = x25519_only[0];
    r->cfg.groups.n = 1;
    replay_start(r);
    /* RFC 8446 4.1.1: no overlap of supported_groups: handshake_failure */
    expect_plain_alert(r, ch_record(&ch, ed, 2, buf, sizeof buf),
                       TD_ALERT_HANDSHAKE_FAILURE, "RFC 8446 4.1.1");
    td_vec_free(&s5);
    replay_free(r);
}
END_TEST

START_TEST(test_neg_no_signature_algorithms)
{
    td_client_hello ch;
    replay *r = neg_setup(&ch);
    ext_edit ed = {TD_EXT_SIGNATURE_ALGORITHMS, 1, {NULL, 0}};
    uint8_t buf[4096];

    replay_start(r);
    /* RFC 8446 4.2.3, 9.2: missing_extension */
    expect_plain_alert(r, ch_record(&ch, &ed, 1, buf, sizeof buf),
                       TD_ALERT_MISSING_EXTENSION, "RFC 8446 4.2.3");
    replay_free(r);
}
END_TEST

START_TEST(test_neg_zero_x25519_share)
{
    td_client_hello ch;
    replay *r = neg_setup(&ch);
    /* client_shares: 00 24 (length) | 00 1d (x25519) 00 20 (32 bytes) |
     * 32 zero bytes: a point of small order, the shared secret is zero */
    uint8_t ks[2 + 4 + 32] = {0x00, 0x24, 0x00, 0x1d, 0x00, 0x20};
    ext_edit ed = {TD_EXT_KEY_SHARE, 0, {ks, sizeof ks}};
    uint8_t buf[4096];

    replay_start(r);
    /* RFC 8446 7.4.2 (X25519): "Implementations MUST check whether the
     * computed Diffie-Hellman shared secret is the all-zero value and
     * abort if so"; the alert: illegal_parameter (4.2.8.2, 6.2).
     * Nothing but the alert goes out. */
    expect_plain_alert(r, ch_record(&ch, &ed, 1, buf, sizeof buf),
                       TD_ALERT_ILLEGAL_PARAMETER, "RFC 8446 7.4.2");
    replay_free(r);
}
END_TEST

/* Section 5 up to the HelloRetryRequest (compared with the trace's). */
static replay *hrr_setup(int script_cookie)
{
    replay *r = replay_new("tls13/s5-hrr.vec", groups_s5, 3,
                           "s5_hrr_certificate_verify");

    if (script_cookie) {
        td_server_hello hrr;
        td_span data;
        td_ext_cookie ck;

        ck_assert_int_eq(
            td_server_hello_decode(hs_body(vget(&r->v, "server", "handshake",
                                                "server_hello", "message",
                                                0)),
                                   &hrr),
            TD_OK);
        ck_assert(td_ext_find(hrr.extensions, TD_EXT_COOKIE, &data));
        ck_assert_int_eq(
            td_ext_cookie_decode(data, TD_EXT_CTX_HELLO_RETRY_REQUEST, &ck),
            TD_OK);
        script_add(&r->script, TD_DRAW_COOKIE, ck.cookie);
    }
    r->cfg.hrr_cookie = 1;
    replay_start(r);
    ck_assert_int_eq(feed(r, vget(&r->v, "client", "record", "handshake",
                                  "plaintext", 0)),
                     TD_OK);
    ck_assert_int_eq(r->c->state, TD_ST_SRV_WAIT_SECOND_CLIENT_HELLO);
    return r;
}

START_TEST(test_neg_second_hello_suites)
{
    replay *r = hrr_setup(1);
    /* cipher_suites 13 01 only: the trace's list was 13 01 13 03 13 02 */
    static const uint8_t suites[] = {0x13, 0x01};
    td_client_hello ch2;
    uint8_t buf[4096];

    assert_bytes(drain(r),
                 vget(&r->v, "server", "record", "handshake", "plaintext", 0),
                 "HelloRetryRequest record");
    ck_assert_int_eq(td_client_hello_decode(
                         hs_body(vget(&r->v, "client", "handshake",
                                      "client_hello", "message", 1)),
                         &ch2),
                     TD_OK);
    ch2.cipher_suites.p = suites;
    ch2.cipher_suites.len = sizeof suites;
    /* RFC 8446 4.1.2: "the client MUST send the same ClientHello without
     * modification, except as follows" -- the suites are not an
     * exception */
    expect_plain_alert(r, ch_record(&ch2, NULL, 0, buf, sizeof buf),
                       TD_ALERT_ILLEGAL_PARAMETER, "RFC 8446 4.1.2");
    replay_free(r);
}
END_TEST

/* The unscripted cookie is HMAC-SHA256(key, SHA-256(ClientHello1)) with
 * the key the first 32 bytes of the server's RNG stream (nothing is drawn
 * before it); and a second ClientHello echoing a cookie the server never
 * sent changes the first one: illegal_parameter (RFC 8446 4.1.2). */
START_TEST(test_hrr_cookie)
{
    replay *r = hrr_setup(0);
    td_rng rng;
    uint8_t key[32], h[32], mac[32];
    td_span rec = drain(r), data;
    td_rd rd;
    td_record record;
    td_record_mode mode = {TD_RECORD_TLS12, TD_RECORD_PLAINTEXT};
    td_handshake hs;
    td_server_hello hrr;
    td_ext_cookie ck;

    td_rng_init(&rng, 1, "server");
    td_rng_bytes(&rng, key, sizeof key);
    ck_assert_int_eq(td_hash(TD_HASH_SHA256,
                             vget(&r->v, "client", "handshake",
                                  "client_hello", "message", 0),
                             h),
                     TD_OK);
    ck_assert_int_eq(td_hmac(TD_HASH_SHA256, (td_span){key, 32},
                             (td_span){h, 32}, mac),
                     TD_OK);
    td_rd_init_span(&rd, rec);
    ck_assert_int_eq(td_record_decode(&rd, mode, &record), TD_OK);
    td_rd_init_span(&rd, record.fragment);
    ck_assert_int_eq(td_handshake_decode(&rd, &hs), TD_OK);
    ck_assert_int_eq(td_server_hello_decode(hs.body, &hrr), TD_OK);
    ck_assert(hrr.is_hello_retry_request);
    ck_assert(td_ext_find(hrr.extensions, TD_EXT_COOKIE, &data));
    ck_assert_int_eq(
        td_ext_cookie_decode(data, TD_EXT_CTX_HELLO_RETRY_REQUEST, &ck),
        TD_OK);
    assert_bytes(ck.cookie, (td_span){mac, 32}, "cookie");
    replay_free(r);

    /* no cookie sent: the trace's second ClientHello carries one */
    r = replay_new("tls13/s5-hrr.vec", groups_s5, 3,
                   "s5_hrr_certificate_verify");
    replay_start(r);
    ck_assert_int_eq(feed(r, vget(&r->v, "client", "record", "handshake",
                                  "plaintext", 0)),
                     TD_OK);
    rec = drain(r);
    ck_assert_uint_gt(rec.len, 0);
    ck_assert_uint_eq(r->c->cookie_len, 0);
    expect_plain_alert(r,
                       vget(&r->v, "client", "record", "handshake",
                            "plaintext", 1),
                       TD_ALERT_ILLEGAL_PARAMETER, "RFC 8446 4.1.2");
    replay_free(r);
}
END_TEST

/* The server after its flight, and the client's handshake write key
 * (the trace's: the key schedule up to ServerHello is the trace's). */
static replay *after_flight(td_client_auth auth, td_protect *cli)
{
    replay *r = replay_new("tls13/s3-1rtt.vec", groups_s3, 9,
                           "s3_1rtt_certificate_verify");
    td_span sh = vget(&r->v, "server", "record", "handshake", "plaintext", 0);
    td_span out;

    r->cfg.client_auth = auth;
    replay_start(r);
    ck_assert_int_eq(feed(r, vget(&r->v, "client", "record", "handshake",
                                  "plaintext", 0)),
                     TD_OK);
    out = drain(r);
    ck_assert_uint_gt(out.len, sh.len);
    assert_bytes((td_span){out.p, sh.len}, sh, "ServerHello record");
    memcpy(r->flight, out.p, out.len);
    r->flight_len = out.len;
    trace_protect(cli, &r->v, "server",
                  "derive_read_traffic_keys_for_handshake_data");
    return r;
}

/* The server's application write protection computed from its flight
 * when the flight is not the trace's (a CertificateRequest in it). The
 * schedule up to ServerHello is the trace's, so the flight opens under
 * the trace's server handshake key and the Master Secret is the trace's
 * (RFC 8446 7.1: it depends on the (EC)DHE input only); then
 *   server_application_traffic_secret_0 = Derive-Secret(Master Secret,
 *       "s ap traffic", ClientHello...server Finished). */
static void flight_app_protect(replay *r, td_protect *srv)
{
    static uint8_t transcript[16384], plain[16384];
    td_span sh = vget(&r->v, "server", "record", "handshake", "plaintext", 0);
    td_span m;
    td_protect hs;
    td_protect_plain p;
    td_rd rd;
    uint8_t th[32], sats[32];
    td_traffic_keys k;
    size_t n = 0;

    m = vget(&r->v, "client", "handshake", "client_hello", "message", 0);
    memcpy(transcript, m.p, m.len);
    n = m.len;
    m = vget(&r->v, "server", "handshake", "server_hello", "message", 0);
    memcpy(transcript + n, m.p, m.len);
    n += m.len;
    trace_protect(&hs, &r->v, "server",
                  "derive_write_traffic_keys_for_handshake_data");
    td_rd_init(&rd, r->flight + sh.len, r->flight_len - sh.len);
    ck_assert_int_eq(td_protect_open(&hs, &rd, plain, sizeof plain, &p),
                     TD_OK);
    ck_assert_uint_eq(td_rd_left(&rd), 0);
    memcpy(transcript + n, p.content.p, p.content.len);
    n += p.content.len;
    ck_assert_int_eq(td_hash(TD_HASH_SHA256, (td_span){transcript, n}, th),
                     TD_OK);
    ck_assert_int_eq(td_ks13_derive_secret(
                         TD_HASH_SHA256,
                         vget(&r->v, "server", "kdf", "extract_secret_master",
                              "secret", 0),
                         "s ap traffic", (td_span){th, 32}, sats),
                     TD_OK);
    ck_assert_int_eq(td_ks13_traffic_keys(TD_HASH_SHA256, (td_span){sats, 32},
                                          TD_AEAD_AES_128_GCM, &k),
                     TD_OK);
    memset(srv, 0, sizeof *srv);
    ck_assert_int_eq(td_protect_install(srv, TD_RECORD_TLS13, k.aead,
                                        (td_span){k.key, k.key_length},
                                        (td_span){k.iv, 12}),
                     TD_OK);
}

/* The server's fatal alert under its application key (sequence 0):
 * the trace's, or (own_flight) the one its own flight implies. */
static void expect_protected_alert(replay *r, td_err alert, int own_flight)
{
    td_protect srv;
    td_protect_plain p;
    uint8_t got[64];
    uint8_t want[2] = {0x02, (uint8_t)alert};
    td_rd rd;

    if (own_flight)
        flight_app_protect(r, &srv);
    else
        trace_protect(&srv, &r->v, "server",
                      "derive_write_traffic_keys_for_application_data");
    td_rd_init_span(&rd, drain(r));
    ck_assert_int_eq(td_protect_open(&srv, &rd, got, sizeof got, &p), TD_OK);
    ck_assert_uint_eq(p.type, TD_CT_ALERT);
    assert_bytes(p.content, (td_span){want, 2}, "alert");
}

START_TEST(test_neg_finished_flipped)
{
    td_protect cli;
    replay *r = after_flight(TD_CLIENT_AUTH_NONE, &cli);
    uint8_t fin[64], rec[128];
    td_span f = vget(&r->v, "client", "handshake", "finished", "message", 0);
    td_err e;

    memcpy(fin, f.p, f.len);
    fin[f.len - 1] ^= 0x01; /* the last byte of verify_data */
    e = feed(r, seal(&cli, TD_CT_HANDSHAKE, (td_span){fin, f.len}, rec,
                     sizeof rec));
    /* RFC 8446 4.4.4: "MUST terminate the connection with a
     * "decrypt_error" alert" */
    ck_assert_int_eq(e, TD_ALERT_DECRYPT_ERROR);
    ck_assert_int_eq(r->c->sent_alert, 1 + TD_ALERT_DECRYPT_ERROR);
    expect_protected_alert(r, TD_ALERT_DECRYPT_ERROR, 0);
    replay_free(r);
}
END_TEST

START_TEST(test_neg_empty_certificate_required)
{
    /* Certificate: 0b (certificate) 00 00 04 (length) 00 (empty context)
     * 00 00 00 (empty certificate_list) */
    static const uint8_t empty[] = {0x0b, 0x00, 0x00, 0x04,
                                    0x00, 0x00, 0x00, 0x00};
    td_protect cli;
    replay *r = after_flight(TD_CLIENT_AUTH_REQUIRE, &cli);
    uint8_t rec[128];
    td_err e;

    ck_assert_int_eq(r->c->state, TD_ST_SRV_WAIT_CERTIFICATE);
    e = feed(r, seal(&cli, TD_CT_HANDSHAKE, (td_span){empty, sizeof empty},
                     rec, sizeof rec));
    /* RFC 8446 4.4.2.4: abort "with a "certificate_required" alert" */
    ck_assert_int_eq(e, TD_ALERT_CERTIFICATE_REQUIRED);
    expect_protected_alert(r, TD_ALERT_CERTIFICATE_REQUIRED, 1);
    replay_free(r);

    /* only requested: the server goes on without client authentication */
    r = after_flight(TD_CLIENT_AUTH_REQUEST, &cli);
    ck_assert_int_eq(feed(r, seal(&cli, TD_CT_HANDSHAKE,
                                  (td_span){empty, sizeof empty}, rec,
                                  sizeof rec)),
                     TD_OK);
    ck_assert_int_eq(r->c->state, TD_ST_SRV_WAIT_FINISHED);
    ck_assert_uint_eq(td_conn_pending(r->c), 0);
    replay_free(r);
}
END_TEST

/* --------------------------------------------------------- interop */

static unsigned interop_runs;

static void move_all(td_subject *from, td_subject *to)
{
    static uint8_t buf[16384];
    size_t n;

    while (td_subject_pending(from) > 0) {
        td_subject_drain(from, buf, sizeof buf, &n);
        ck_assert_int_eq(td_subject_feed(to, buf, n), TD_OK);
    }
}

static void app_one_way(td_subject *a, td_subject *b, const char *msg,
                        const char *what)
{
    uint8_t got[256];
    size_t n = 0;

    ck_assert_msg(td_subject_write_app(a, (const uint8_t *)msg, strlen(msg)) ==
                      TD_OK,
                  "%s: write", what);
    move_all(a, b);
    td_subject_read_app(b, got, sizeof got, &n);
    ck_assert_msg(n == strlen(msg) && memcmp(got, msg, n) == 0,
                  "%s: application data lost", what);
}

/* The wolfSSL client against the reference server on profile `text`.
 * want_alert: the server must refuse with it; else the handshake must
 * complete, negotiate TLS 1.3 with what both sides report alike, and
 * carry data both ways. want_hrr: whether a HelloRetryRequest was sent. */
static void interop(const char *what, const char *text, uint64_t seed,
                    int want_hrr, uint8_t want_alert, td_state *server)
{
    td_profile p;
    char why[256] = "", cd[128], sd[128];
    size_t line = 0, len = 0;
    td_world w;
    td_subject *cl = NULL, *sv = NULL;
    td_transcript t;
    td_state cs, ss;
    td_hello_view hv;
    const uint8_t *sh;

    ck_assert_msg(td_profile_parse(&p, "interop", text, &line, why,
                                   sizeof why) == TD_OK,
                  "%s: profile line %zu: %s", what, line, why);
    td_world_init(&w, seed);
    memset(&t, 0, sizeof t);
    ck_assert_msg(td_subject_new(TD_IMPL_WOLFSSL, TD_ROLE_CLIENT, &p, &w,
                                 &cl) == TD_OK,
                  "%s: wolfSSL client: %s", what, td_subject_last_error());
    ck_assert_msg(td_subject_ref_new(TD_ROLE_SERVER, &p, &w, &sv) == TD_OK,
                  "%s: reference server: %s", what, td_subject_last_error());
    ck_assert_int_eq(td_pump_run(cl, sv, &t), TD_OK);
    td_subject_state(cl, &cs);
    td_subject_state(sv, &ss);
    td_state_describe(&cs, cd, sizeof cd);
    td_state_describe(&ss, sd, sizeof sd);
    if (want_alert) {
        /* (a TLS 1.3 client may count its handshake done once it sent
         * its Finished; the server's is not) */
        ck_assert_msg(ss.sent.present && ss.sent.level == 2 &&
                          ss.sent.description == want_alert &&
                          !ss.handshake_done && cs.received.present &&
                          cs.received.description == want_alert,
                      "%s: expected the server's %s; client %s, server %s",
                      what, td_err_name(want_alert), cd, sd);
    } else {
        ck_assert_msg(cs.handshake_done && ss.handshake_done &&
                          cs.verdict == TD_VERDICT_CONTINUE &&
                          ss.verdict == TD_VERDICT_CONTINUE,
                      "%s: client %s, server %s (%s)", what, cd, sd,
                      ss.lib_error_name);
        ck_assert_uint_eq(cs.version, 0x0304);
        ck_assert_uint_eq(ss.version, 0x0304);
        ck_assert_uint_eq(cs.cipher_suite, ss.cipher_suite);
        ck_assert_uint_eq(cs.group, ss.group);
        app_one_way(cl, sv, "GET / from the wolfSSL client", what);
        app_one_way(sv, cl, "200 OK from the reference server", what);
    }
    sh = td_transcript_find_handshake(&t, TD_ROLE_SERVER, TD_HS_SERVER_HELLO,
                                      &len);
    ck_assert_msg(sh != NULL && td_hello_view_parse(sh, len, &hv),
                  "%s: no ServerHello", what);
    ck_assert_msg((memcmp(hv.random, td_hrr_random, 32) == 0) == !!want_hrr,
                  "%s: HelloRetryRequest %s", what,
                  want_hrr ? "expected" : "not expected");
    if (server)
        *server = ss;
    td_subject_free(cl);
    td_subject_free(sv);
    td_transcript_free(&t);
    td_world_free(&w);
    interop_runs++;
}

static const char *const suite_names[] = {"TLS_AES_128_GCM_SHA256",
                                          "TLS_AES_256_GCM_SHA384",
                                          "TLS_CHACHA20_POLY1305_SHA256"};
static const uint16_t suite_codes[] = {0x1301, 0x1302, 0x1303};
static const char *const group_names[] = {"x25519", "secp256r1", "secp384r1"};
static const uint16_t group_codes[] = {0x001d, 0x0017, 0x0018};
static const char *const cert_names[] = {"p256", "p384", "rsa2048", "ed25519"};
/* the scheme each server key signs with, given wolfSSL's offer */
static const uint16_t cert_schemes[] = {0x0403, 0x0503, 0x0804, 0x0807};

START_TEST(test_interop_matrix)
{
    char text[1024], what[128];
    size_t s, g, k;
    unsigned before = interop_runs;
    td_state ss;

    for (s = 0; s < 3; s++)
        for (g = 0; g < 3; g++)
            for (k = 0; k < 4; k++) {
                snprintf(what, sizeof what, "%s %s %s", suite_names[s],
                         group_names[g], cert_names[k]);
                snprintf(text, sizeof text,
                         "versions = 1.3\n"
                         "suites = %s\n"
                         "groups = %s\n"
                         "server.chain = pki/server-%s.chain.pem\n"
                         "server.key = pki/server-%s.key.pem\n"
                         "client.trust = pki/root-ca.crt.pem\n"
                         "sni = server.tlsdiff.test\n",
                         suite_names[s], group_names[g], cert_names[k],
                         cert_names[k]);
                interop(what, text, 100 + interop_runs, 0, 0, &ss);
                ck_assert_uint_eq(ss.cipher_suite, suite_codes[s]);
                ck_assert_uint_eq(ss.group, group_codes[g]);
                ck_assert_msg(ss.sig_scheme == cert_schemes[k],
                              "%s: scheme %04x", what, ss.sig_scheme);
            }
    fprintf(stderr, "engine_server13 interop: %u suite x group x certificate "
                    "combinations\n",
            interop_runs - before);
    ck_assert_uint_eq(interop_runs - before, 36);
}
END_TEST

START_TEST(test_interop_hrr)
{
    char text[1024], what[128];
    size_t s, g, cookie;
    unsigned before = interop_runs;
    td_state ss;

    /* the client shares X25519 only; the server takes P-256 or P-384 */
    for (s = 0; s < 3; s++)
        for (g = 1; g < 3; g++)
            for (cookie = 0; cookie < 2; cookie++) {
                snprintf(what, sizeof what, "HRR %s %s cookie %s",
                         suite_names[s], group_names[g],
                         cookie ? "on" : "off");
                snprintf(text, sizeof text,
                         "versions = 1.3\n"
                         "suites = %s\n"
                         "client.groups = x25519, secp256r1, secp384r1\n"
                         "client.key_shares = x25519\n"
                         "server.groups = %s\n"
                         "hrr_cookie = %s\n"
                         "server.chain = pki/server-p256.chain.pem\n"
                         "server.key = pki/server-p256.key.pem\n"
                         "client.trust = pki/root-ca.crt.pem\n"
                         "sni = server.tlsdiff.test\n",
                         suite_names[s], group_names[g], cookie ? "on" : "off");
                interop(what, text, 200 + interop_runs, 1, 0, &ss);
                ck_assert_uint_eq(ss.group, group_codes[g]);
            }
    fprintf(stderr, "engine_server13 interop: %u HelloRetryRequest "
                    "combinations\n",
            interop_runs - before);
    ck_assert_uint_eq(interop_runs - before, 12);
}
END_TEST

START_TEST(test_interop_client_auth)
{
    static const char *const modes[] = {"request", "require"};
    static const char *const clients[] = {"p256", "rsa2048"};
    char text[1024], what[128];
    size_t m, k;
    unsigned before = interop_runs;
    td_state ss;
    const char *base = "versions = 1.3\n"
                       "groups = x25519\n"
                       "server.chain = pki/server-p256.chain.pem\n"
                       "server.key = pki/server-p256.key.pem\n"
                       "client.trust = pki/root-ca.crt.pem\n"
                       "server.trust = pki/client-ca.crt.pem\n"
                       "sni = server.tlsdiff.test\n";

    for (m = 0; m < 2; m++)
        for (k = 0; k < 2; k++) {
            snprintf(what, sizeof what, "client auth %s, client %s",
                     modes[m], clients[k]);
            snprintf(text, sizeof text,
                     "%sclient_auth = %s\n"
                     "client.chain = pki/client-%s.chain.pem\n"
                     "client.key = pki/client-%s.key.pem\n",
                     base, modes[m], clients[k], clients[k]);
            interop(what, text, 300 + interop_runs, 0, 0, &ss);
            ck_assert_msg(ss.peer_verified, "%s: client not verified", what);
        }
    /* no client certificate: requested, the server goes on (RFC 8446
     * 4.4.2.4 "MAY ... continue"); required, certificate_required */
    snprintf(text, sizeof text, "%sclient_auth = request\n", base);
    interop("client auth request, no client certificate", text,
            300 + interop_runs, 0, 0, &ss);
    ck_assert(!ss.peer_verified);
    snprintf(text, sizeof text, "%sclient_auth = require\n", base);
    interop("client auth require, no client certificate", text,
            300 + interop_runs, 0, TD_ALERT_CERTIFICATE_REQUIRED, NULL);
    fprintf(stderr, "engine_server13 interop: %u client authentication "
                    "combinations\n",
            interop_runs - before);
    ck_assert_uint_eq(interop_runs - before, 6);
}
END_TEST

Suite *td_engine_server13_suite(void)
{
    Suite *s = suite_create("engine_server13");
    TCase *tc;

    tc = tcase_create("rfc8448_replay");
    tcase_add_test(tc, test_salts_fresh);
    tcase_add_test(tc, test_replay_s3_1rtt);
    tcase_add_test(tc, test_replay_s5_hrr);
    tcase_add_test(tc, test_replay_s6_client_auth);
    tcase_add_test(tc, test_replay_s7_compat);
    tcase_add_test(tc, test_key_update);
    tcase_add_test(tc, test_hrr_cookie);
    tcase_add_test(tc, test_early_data_ignored);
    suite_add_tcase(s, tc);

    tc = tcase_create("rfc_negative");
    tcase_add_test(tc, test_neg_legacy_version_only);
    tcase_add_test(tc, test_neg_supported_versions_tls11);
    tcase_add_test(tc, test_neg_fallback_scsv);
    tcase_add_test(tc, test_neg_compression);
    tcase_add_test(tc, test_neg_share_not_in_groups);
    tcase_add_test(tc, test_neg_no_common_group);
    tcase_add_test(tc, test_neg_no_signature_algorithms);
    tcase_add_test(tc, test_neg_zero_x25519_share);
    tcase_add_test(tc, test_neg_second_hello_suites);
    tcase_add_test(tc, test_neg_finished_flipped);
    tcase_add_test(tc, test_neg_empty_certificate_required);
    tcase_add_test(tc, test_neg_client_hello_after_handshake);
    suite_add_tcase(s, tc);

    tc = tcase_create("interop_wolfssl");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_interop_matrix);
    tcase_add_test(tc, test_interop_hrr);
    tcase_add_test(tc, test_interop_client_auth);
    suite_add_tcase(s, tc);
    return s;
}
