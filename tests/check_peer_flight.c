/*
 * peer_flight: the scripted peer's framing edits (split, merge, reorder)
 * and record edits (record, plain), td_edit.h "What the scripted peer
 * does", against the reference (TD_IMPL_REF) and wolfSSL.
 *
 * Each case says what the RFC demands of a receiver. The reference is
 * held to it. wolfSSL is held to it where it complies; where it does not
 * (listed in `wolf` below as not checked) its outcome is printed, not
 * asserted. The peer's own records are checked on the wire too (the
 * on_wire hook of td_peer_case), so a case fails when the peer does not
 * frame what the edit says.
 *
 * The writer: the unchecked seal and encode (td_protect_seal_unchecked,
 * td_record_encode_unchecked) write what the checked ones write for a
 * legal record, and what the checked ones refuse; the receiver's codec
 * answers those with the alert the RFC names.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "td_peer.h"
#include "td_protect.h"
#include "td_testlib.h"

Suite *td_peer_flight_suite(void);

#define T13 "tls13-x25519-ecdsa-p256"
#define T12 "tls12-ecdhe-rsa-chacha20"
#define T12_GCM "tls12-rsa-aes128-gcm"
#define CLI TD_ROLE_CLIENT /* the subject's role */
#define SRV TD_ROLE_SERVER

/* ------------------------------------------------------------ runs */

/* What the peer sent the reference subject, as records. */
#define WIRE_MAX (1u << 17)
#define RECS_MAX 512u
typedef struct rec {
    uint8_t type;
    uint16_t version;
    size_t len;
    const uint8_t *frag;
} rec;

static uint8_t wire[WIRE_MAX];
static size_t wire_len;
static rec recs[RECS_MAX];
static size_t n_recs;
static td_observation obs_ref, obs_wolf;

static void on_wire(void *ctx, int from_subject, td_span b)
{
    (void)ctx;
    if (from_subject || b.len > WIRE_MAX - wire_len)
        return;
    memcpy(wire + wire_len, b.p, b.len);
    wire_len += b.len;
}

/* RFC 8446 5.1: type, legacy_record_version, uint16 length, fragment */
static void split_records(void)
{
    size_t off = 0;

    n_recs = 0;
    while (off + 5 <= wire_len && n_recs < RECS_MAX) {
        rec *r = &recs[n_recs++];

        r->type = wire[off];
        r->version = (uint16_t)(wire[off + 1] << 8 | wire[off + 2]);
        r->len = (size_t)wire[off + 3] << 8 | wire[off + 4];
        r->frag = wire + off + 5;
        ck_assert_uint_le(off + 5 + r->len, wire_len);
        off += 5 + r->len;
    }
    ck_assert_uint_eq(off, wire_len);
}

/* Run the case against both subjects; the peer's records of the
 * reference run go to recs. */
static void run_both(const char *profile, td_role role, uint8_t msg, const char *script)
{
    static td_profile p;
    static td_edit_script s;
    td_peer_case pc;
    char why[256] = "";

    td_test_profile(&p, profile);
    memset(&pc, 0, sizeof pc);
    pc.profile = &p;
    pc.subject_role = role;
    pc.msg_type = msg;
    pc.seed = 1;
    ck_assert_msg(td_edit_parse(script, &s, why, sizeof why) == TD_OK, "%s: %s", script, why);
    pc.edit = &s;
    pc.on_wire = on_wire;
    wire_len = 0;
    ck_assert_msg(td_peer_run(&pc, TD_IMPL_REF, &obs_ref, why, sizeof why) == TD_OK, "%s", why);
    split_records();
    pc.on_wire = NULL;
    ck_assert_msg(td_peer_run(&pc, TD_IMPL_WOLFSSL, &obs_wolf, why, sizeof why) == TD_OK, "%s",
                  why);
}

/* "done": the handshake completed (outcome continue); else an outcome. */
static int outcome_is(const td_observation *o, const char *want, char *got, size_t cap)
{
    td_obs_outcome(o, got, cap);
    if (strcmp(want, "done") == 0)
        return strcmp(got, "continue") == 0 && o->state.handshake_done;
    return strcmp(got, want) == 0;
}

typedef struct flight_case {
    const char *profile;
    td_role role;
    uint8_t msg;
    const char *script;
    const char *rfc; /* what the RFC demands: "done" or an outcome */
    int wolf;        /* 1: wolfSSL is held to it; 0: it differs, printed */
} flight_case;

static void run_case(const flight_case *c)
{
    char got[TD_OBS_OUTCOME_LEN];

    run_both(c->profile, c->role, c->msg, c->script);
    if (!outcome_is(&obs_ref, c->rfc, got, sizeof got)) {
        td_obs_print(&obs_ref, stdout);
        ck_abort_msg("%s, %s, '%s': reference %s, RFC: %s (%s)", c->profile, td_hs_name(c->msg),
                     c->script, got, c->rfc, obs_ref.note);
    }
    if (outcome_is(&obs_wolf, c->rfc, got, sizeof got))
        return;
    if (c->wolf) {
        td_obs_print(&obs_wolf, stdout);
        ck_abort_msg("%s, %s, '%s': wolfSSL %s, RFC: %s (%s)", c->profile, td_hs_name(c->msg),
                     c->script, got, c->rfc, obs_wolf.state.lib_error_name);
    }
    printf("peer_flight: %s, %s, '%s': wolfSSL %s (%s), RFC: %s\n", c->profile, td_hs_name(c->msg),
           c->script, got, obs_wolf.state.lib_error_name, c->rfc);
}

static void run_cases(const flight_case *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        run_case(&c[i]);
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The index of the first record of type with fragment length len (0:
 * any) whose fragment starts with first (-1: any), from `from` on;
 * n_recs when there is none. */
static size_t find_rec(size_t from, uint8_t type, size_t len, int first)
{
    size_t i;

    for (i = from; i < n_recs; i++)
        if (recs[i].type == type && (!len || recs[i].len == len) &&
            (first < 0 || (recs[i].len && recs[i].frag[0] == first)))
            return i;
    return n_recs;
}

static size_t u24(const uint8_t *p)
{
    return (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
}

/* ------------------------------------------------------------ split */

/* RFC 8446 5.1: "Handshake messages MAY be ... fragmented across several
 * records"; RFC 5246 6.2.1: "multiple messages of the same ContentType
 * MAY be coalesced into a single TLSPlaintext record, or a single message
 * MAY be fragmented across several records". The handshake completes. */
START_TEST(test_split)
{
    static const flight_case cases[] = {
        /* wolfSSL stops with "parse error on header" when a record holds
         * less than the 4-byte handshake header (test_split_header) */
        {T13, SRV, 1, "split 1", "done", 0},
        {T12, SRV, 1, "split 1", "done", 0},
        {T13, SRV, 1, "split 5", "done", 1},
        {T12, SRV, 1, "split 5", "done", 1},
        {T12, CLI, 11, "split 7", "done", 1},
        {T12_GCM, SRV, 16, "split 5", "done", 1},
        /* encrypted: TLS 1.3 after ServerHello, TLS 1.2 after CCS */
        {T13, CLI, 11, "split 100", "done", 1},
        {T13, CLI, 8, "split 4", "done", 1},
        {T13, SRV, 20, "split 5", "done", 1},
        {T13, CLI, 20, "split 1", "done", 0}, /* wolfSSL: out of order */
        /* wolfSSL: "Buffer error" for an encrypted TLS 1.2 Finished in
         * more than one record */
        {T12, SRV, 20, "split 8", "done", 0},
        {T12_GCM, CLI, 20, "split 10", "done", 0},
    };
    size_t i, total;

    run_cases(cases, N_OF(cases));

    /* the wire of the first case: the first ClientHello in 1-byte
     * handshake records with the first flight's record version (RFC 8446
     * 5.1: 0x0301 allowed), as many as the message has bytes */
    run_both(T13, SRV, 1, "split 1");
    ck_assert_uint_gt(n_recs, 4);
    ck_assert_uint_eq(recs[0].frag[0], 1); /* client_hello */
    total = 4 + ((size_t)recs[1].frag[0] << 16 | (size_t)recs[2].frag[0] << 8 | recs[3].frag[0]);
    ck_assert_uint_ge(n_recs, total);
    for (i = 0; i < total; i++) {
        ck_assert_uint_eq(recs[i].type, 22);
        ck_assert_uint_eq(recs[i].len, 1);
        ck_assert_uint_eq(recs[i].version, 0x0301);
    }

    /* protected: TLS 1.3 Certificate in records of 100 bytes of content,
     * each 100 + 1 (inner type) + 16 (tag) on the wire (RFC 8446 5.2) */
    run_both(T13, CLI, 11, "split 100");
    i = find_rec(0, 23, 117, -1);
    ck_assert_uint_lt(i, n_recs);
    ck_assert_uint_eq(recs[i + 1].len, 117);
}
END_TEST

/* The known finding: a ClientHello whose first record holds only two
 * bytes of the 4-byte handshake header. RFC 8446 5.1 allows it (no
 * minimum fragment); the reference waits for the rest and completes.
 * wolfSSL's outcome is printed (it refuses: "parse error on header"). */
START_TEST(test_split_header)
{
    static const flight_case cases[] = {
        {T13, SRV, 1, "split 2", "done", 0},
        {T12, SRV, 1, "split 2", "done", 0},
        {T13, SRV, 1, "split 3", "done", 0},
        {T13, SRV, 1, "split 4", "done", 1}, /* the whole header in one record */
    };

    run_cases(cases, N_OF(cases));
}
END_TEST

/* ------------------------------------------------------------ merge */

START_TEST(test_merge)
{
    static const flight_case cases[] = {
        /* RFC 8446 5.1: "Implementations MUST verify that all messages
         * immediately preceding a key change align with a record
         * boundary; if not, then they MUST terminate the connection with
         * an "unexpected_message" alert": ServerHello and
         * EncryptedExtensions in one plaintext record */
        {T13, CLI, 2, "merge", "alert:unexpected_message", 1},
        /* under one key: coalescing is allowed (RFC 8446 5.1, RFC 5246
         * 6.2.1) */
        {T13, CLI, 8, "merge", "done", 1},
        {T12, CLI, 11, "merge", "done", 1},
        {"tls12-client-auth", SRV, 11, "merge", "done", 1},
        /* no partner (the last message of the flight): as usual */
        {T13, SRV, 20, "merge", "done", 1},
        /* TLS 1.2 ClientKeyExchange and Finished in one plaintext record
         * after the ChangeCipherSpec: the CCS comes before the key
         * exchange (RFC 5246 7.1, 7.3: out of order; 7.2.2
         * unexpected_message). wolfSSL stops without an alert. */
        {T12, SRV, 16, "merge", "alert:unexpected_message", 0},
    };
    size_t i, sh;

    run_cases(cases, N_OF(cases));

    /* the wire: one plaintext handshake record holding the ServerHello
     * and, right after it, EncryptedExtensions (type 8) */
    run_both(T13, CLI, 2, "merge");
    i = find_rec(0, 22, 0, 2);
    ck_assert_uint_lt(i, n_recs);
    sh = 4 + u24(recs[i].frag + 1);
    ck_assert_uint_gt(recs[i].len, sh + 4);
    ck_assert_uint_eq(recs[i].frag[sh], 8);
    ck_assert_uint_eq(recs[i].len, sh + 4 + u24(recs[i].frag + sh + 1));
}
END_TEST

/* ------------------------------------------------------------ reorder */

START_TEST(test_reorder)
{
    static const flight_case cases[] = {
        /* RFC 8446 4: "A peer which receives a handshake message in an
         * unexpected order MUST abort the handshake with an
         * "unexpected_message" alert" */
        {T13, CLI, 8, "reorder", "alert:unexpected_message", 1},  /* Certificate first */
        {T13, CLI, 11, "reorder", "alert:unexpected_message", 1}, /* CertificateVerify first */
        {T13, CLI, 2, "reorder", "alert:unexpected_message", 1},
        {"tls13-client-auth", SRV, 11, "reorder", "alert:unexpected_message", 1},
        /* RFC 5246 7.3: "sending handshake messages in an unexpected
         * order results in a fatal error"; 7.2.2 unexpected_message */
        {T12, CLI, 12, "reorder", "alert:unexpected_message", 1},
        {T12, CLI, 2, "reorder", "alert:unexpected_message", 1},
        /* wolfSSL takes the ServerKeyExchange first: handshake_failure */
        {T12, CLI, 11, "reorder", "alert:unexpected_message", 0},
        /* wolfSSL: handshake_failure (no certificate) */
        {"tls12-client-auth", SRV, 11, "reorder", "alert:unexpected_message", 0},
        /* wolfSSL takes CertificateVerify before ClientKeyExchange */
        {"tls12-client-auth", SRV, 16, "reorder", "alert:unexpected_message", 0},
        /* no partner: the server's Finished ends its flight */
        {T13, CLI, 20, "reorder", "done", 1},
    };

    run_cases(cases, N_OF(cases));
}
END_TEST

/* ------------------------------------------------------------ record, plain */

/* ChangeCipherSpec where it does not belong. */
START_TEST(test_record_ccs)
{
    static const flight_case cases[] = {
        /* TLS 1.2, before the keys (the CVE-2014-0224 class): RFC 5246
         * 7.1 (the CCS comes after the key exchange), 7.2.2
         * unexpected_message. wolfSSL stops without an alert. */
        {T12, CLI, 12, "record change_cipher_spec 01", "alert:unexpected_message", 0},
        {"tls12-ecdhe-ecdsa-aes128-gcm", CLI, 12, "record change_cipher_spec 01",
         "alert:unexpected_message", 0},
        {T12, SRV, 16, "record change_cipher_spec 01", "alert:unexpected_message", 0},
        /* TLS 1.3, RFC 8446 5: "An implementation which receives any other
         * change_cipher_spec value or which receives a protected
         * change_cipher_spec record MUST abort the handshake with an
         * "unexpected_message" alert" (wolfSSL: illegal_parameter) */
        {T13, CLI, 11, "record change_cipher_spec 01", "alert:unexpected_message", 0},
        {T13, CLI, 11, "plain change_cipher_spec 02", "alert:unexpected_message", 0},
        /* ... and an unprotected 0x01 "MUST simply drop it", also a
         * second one after the client's compatibility CCS (RFC 8446 D.4;
         * wolfSSL: illegal_parameter for the second) */
        {T13, CLI, 11, "plain change_cipher_spec 01", "done", 1},
        {T13, SRV, 20, "plain change_cipher_spec 01", "done", 0},
    };
    size_t i;

    run_cases(cases, N_OF(cases));

    /* the wire: the CCS record right before the ServerKeyExchange's */
    run_both(T12, CLI, 12, "record change_cipher_spec 01");
    i = find_rec(0, 20, 1, 1);
    ck_assert_uint_lt(i + 1, n_recs);
    ck_assert_uint_eq(recs[i + 1].type, 22);
    ck_assert_uint_eq(recs[i + 1].frag[0], 12); /* server_key_exchange */
    ck_assert_uint_eq(recs[i].version, 0x0303);
    /* TLS 1.3: an unprotected CCS between protected records */
    run_both(T13, CLI, 11, "plain change_cipher_spec 01");
    i = find_rec(0, 23, 0, -1);
    ck_assert_uint_lt(find_rec(i, 20, 1, 1), n_recs);
}
END_TEST

/* RFC 8446 5: "If a TLS implementation receives an unexpected record
 * type, it MUST terminate the connection with an "unexpected_message"
 * alert"; RFC 5246 6: "If a TLS implementation receives an unexpected
 * record type, it MUST send an unexpected_message alert." wolfSSL stops
 * without an alert. */
START_TEST(test_record_unknown_type)
{
    static const flight_case cases[] = {
        {T13, CLI, 2, "plain 0x63 00", "alert:unexpected_message", 0},
        {T13, SRV, 1, "plain 0x63 00", "alert:unexpected_message", 0},
        {T12, CLI, 2, "plain 0x63 00", "alert:unexpected_message", 0},
        {T12, SRV, 1, "plain 0x63 00", "alert:unexpected_message", 0},
        /* protected, TLS 1.3 inner type 0x63 */
        {T13, CLI, 11, "record 0x63 00", "alert:unexpected_message", 0},
    };

    run_cases(cases, N_OF(cases));
    /* the wire: the first record of the flight is the unknown type */
    run_both(T13, SRV, 1, "plain 0x63 00");
    ck_assert_uint_eq(recs[0].type, 0x63);
    ck_assert_uint_eq(recs[0].len, 1);
    ck_assert_uint_eq(recs[0].version, 0x0301); /* the first ClientHello's flight */
    ck_assert_uint_eq(recs[1].frag[0], 1);
}
END_TEST

START_TEST(test_record_zero_length)
{
    static const flight_case cases[] = {
        /* RFC 8446 5.4: "Implementations MUST NOT send Handshake and
         * Alert records that have a zero-length TLSInnerPlaintext.content;
         * if such a message is received, the receiving implementation MUST
         * terminate the connection with an "unexpected_message" alert."
         * (wolfSSL, handshake: it stops without an alert) */
        {T13, CLI, 11, "record handshake -", "alert:unexpected_message", 0},
        {T13, SRV, 20, "record handshake -", "alert:unexpected_message", 0},
        {T13, CLI, 11, "record alert -", "alert:unexpected_message", 1},
        /* RFC 5246 6.2.1 forbids sending a zero-length handshake
         * fragment but gives the receiver no rule; the reference accepts
         * it (td_record_codec.c). wolfSSL: record_overflow. */
        {T12, CLI, 11, "record handshake -", "done", 0},
        /* RFC 5246 6.2.1 allows zero-length application data, but not
         * before the handshake is done (7.2.2 unexpected_message) */
        {T12, SRV, 20, "record application_data -", "alert:unexpected_message", 1},
    };

    run_cases(cases, N_OF(cases));
    /* the wire: a protected record of 0 + 1 + 16 bytes */
    run_both(T13, CLI, 11, "record handshake -");
    ck_assert_uint_lt(find_rec(0, 23, 17, -1), n_recs);
}
END_TEST

START_TEST(test_record_overflow)
{
    static const flight_case cases[] = {
        /* RFC 8446 6.2: record_overflow for "a record decrypted to a
         * TLSPlaintext record with more than 2^14 bytes" (5.4: the
         * TLSInnerPlaintext at most 2^14 + 1) */
        {T13, CLI, 8, "record application_data 00*16385", "alert:record_overflow", 1},
        {T13, SRV, 20, "record application_data 00*16385", "alert:record_overflow", 1},
        /* RFC 8446 5.2: TLSCiphertext.length over 2^14 + 256 */
        {T13, CLI, 8, "record handshake 00*16625", "alert:record_overflow", 1},
        /* RFC 8446 5.1: a TLSPlaintext over 2^14 "MUST terminate the
         * connection with a "record_overflow" alert" (wolfSSL:
         * unexpected_message) */
        {T13, SRV, 1, "plain handshake 00*16385", "alert:record_overflow", 0},
        {T13, CLI, 2, "plain handshake 00*16385", "alert:record_overflow", 0},
        /* RFC 5246 7.2.2: "a TLSCiphertext record ... more than
         * 2^14+2048 bytes": in the clear (null cipher) and under AES-GCM
         * (8-byte nonce_explicit + 18409 + 16-byte tag = 2^14 + 2049) */
        {T12, SRV, 1, "plain handshake 00*18433", "alert:record_overflow", 1},
        {T12_GCM, CLI, 20, "record application_data 00*18409", "alert:record_overflow", 1},
        /* RFC 5246 6.2.1: TLSPlaintext.length "MUST NOT exceed 2^14"; both
         * subjects enforce it on receipt (7.2.2 names record_overflow for
         * the limits above only) */
        {T12, CLI, 12, "record application_data 00*16385", "alert:record_overflow", 1},
        {T12, SRV, 20, "record application_data 00*16385", "alert:record_overflow", 1},
    };

    run_cases(cases, N_OF(cases));
    /* the wire: 16385 bytes + inner type + tag */
    run_both(T13, CLI, 8, "record application_data 00*16385");
    ck_assert_uint_lt(find_rec(0, 23, 16385 + 17, -1), n_recs);
    run_both(T13, SRV, 1, "plain handshake 00*16385");
    ck_assert_uint_eq(recs[0].type, 22);
    ck_assert_uint_eq(recs[0].len, 16385);
}
END_TEST

/* An alert in the middle of the flight. RFC 8446 6: error alerts end the
 * connection, and all of 6.2 "MUST be treated as error alerts when
 * received regardless of the AlertLevel" (wolfSSL carries on after a
 * warning-level handshake_failure). */
START_TEST(test_record_alert)
{
    static const flight_case cases[] = {
        {T13, CLI, 11, "record alert 0228", "closed", 1},
        {T12, CLI, 12, "record alert 0228", "closed", 1},
        {T13, CLI, 11, "record alert 0128", "closed", 0},
    };

    run_cases(cases, N_OF(cases));
}
END_TEST

/* ------------------------------------------------------------ writer */

static void install(td_protect *st, td_record_version v, td_aead_alg alg)
{
    static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    static const uint8_t iv[12] = {0xa, 0xb, 0xc};
    size_t iv_len = v == TD_RECORD_TLS12 && alg != TD_AEAD_CHACHA20_POLY1305 ? 4 : 12;

    ck_assert_int_eq(
        td_protect_install(st, v, alg, (td_span){key, td_aead_key_len(alg)}, (td_span){iv, iv_len}),
        TD_OK);
}

/* Seal with the unchecked writer, open with a fresh state: the alert. */
static td_err open_unchecked(td_record_version v, td_aead_alg alg, uint8_t type, size_t len)
{
    static uint8_t content[TD_RECORD_UNCHECKED_MAX], out[TD_RECORD_UNCHECKED_MAX + 64],
        plain[TD_RECORD_UNCHECKED_MAX];
    td_protect w, r;
    td_protect_plain p;
    td_wr wr;
    td_rd rd;
    td_span s;

    install(&w, v, alg);
    install(&r, v, alg);
    td_wr_init(&wr, out, sizeof out);
    ck_assert_int_eq(td_protect_seal_unchecked(&w, type, (td_span){content, len}, &wr), TD_OK);
    ck_assert_int_eq(td_wr_finish(&wr, &s), TD_OK);
    ck_assert_uint_eq(w.seq, 1);
    td_rd_init_span(&rd, s);
    return td_protect_open(&r, &rd, plain, sizeof plain, &p);
}

START_TEST(test_writer)
{
    static const struct {
        td_record_version v;
        td_aead_alg alg;
    } modes[] = {{TD_RECORD_TLS13, TD_AEAD_AES_128_GCM},
                 {TD_RECORD_TLS13, TD_AEAD_CHACHA20_POLY1305},
                 {TD_RECORD_TLS12, TD_AEAD_AES_256_GCM},
                 {TD_RECORD_TLS12, TD_AEAD_CHACHA20_POLY1305}};
    static uint8_t a[TD_RECORD_UNCHECKED_MAX + 64], b[sizeof a], content[16385];
    size_t i;

    for (i = 0; i < N_OF(modes); i++) {
        td_protect x, y;
        td_wr wa, wb;
        td_span sa, sb;
        int tls13 = modes[i].v == TD_RECORD_TLS13;

        /* a legal record: the same bytes either way, twice (the sequence
         * numbers move alike) */
        install(&x, modes[i].v, modes[i].alg);
        y = x;
        td_wr_init(&wa, a, sizeof a);
        td_wr_init(&wb, b, sizeof b);
        ck_assert_int_eq(td_protect_seal(&x, 22, (td_span){content, 100}, 0, &wa), TD_OK);
        ck_assert_int_eq(td_protect_seal(&x, 23, (td_span){content, 16384}, 0, &wa), TD_OK);
        ck_assert_int_eq(td_protect_seal_unchecked(&y, 22, (td_span){content, 100}, &wb), TD_OK);
        ck_assert_int_eq(td_protect_seal_unchecked(&y, 23, (td_span){content, 16384}, &wb), TD_OK);
        ck_assert_int_eq(td_wr_finish(&wa, &sa), TD_OK);
        ck_assert_int_eq(td_wr_finish(&wb, &sb), TD_OK);
        ck_assert_uint_eq(sa.len, sb.len);
        ck_assert(memcmp(sa.p, sb.p, sa.len) == 0);
        /* what the checked writer refuses (MUST NOT send) */
        ck_assert_int_eq(td_protect_seal(&x, 23, (td_span){content, 16385}, 0, &wa),
                         TD_ERR_INTERNAL);
        ck_assert_int_eq(td_protect_seal(&x, 22, (td_span){content, 0}, 0, &wa), TD_ERR_INTERNAL);
        /* ... the unchecked one writes, and the receiver answers:
         * RFC 8446 5.4 / 6.2 and RFC 5246 6.2.1: record_overflow */
        ck_assert_int_eq(open_unchecked(modes[i].v, modes[i].alg, 23, 16385),
                         TD_ALERT_RECORD_OVERFLOW);
        ck_assert_int_eq(open_unchecked(modes[i].v, modes[i].alg, 23, TD_RECORD_UNCHECKED_MAX),
                         TD_ALERT_RECORD_OVERFLOW);
        if (tls13) {
            /* RFC 8446 5: a protected change_cipher_spec, an unknown
             * type; 5.4: a zero-length handshake content */
            ck_assert_int_eq(open_unchecked(modes[i].v, modes[i].alg, 20, 1),
                             TD_ALERT_UNEXPECTED_MESSAGE);
            ck_assert_int_eq(open_unchecked(modes[i].v, modes[i].alg, 0x63, 1),
                             TD_ALERT_UNEXPECTED_MESSAGE);
            ck_assert_int_eq(open_unchecked(modes[i].v, modes[i].alg, 22, 0),
                             TD_ALERT_UNEXPECTED_MESSAGE);
        }
        ck_assert_int_eq(open_unchecked(modes[i].v, modes[i].alg, 23, 0), TD_OK);
    }
    /* plaintext: the checked encoder refuses 2^14 + 1, the unchecked one
     * writes it and the decoder answers record_overflow (RFC 8446 5.1) */
    {
        td_record big = {22, 0x0303, {content, 16385}};
        td_record_mode m = {TD_RECORD_TLS13, TD_RECORD_PLAINTEXT};
        td_record got;
        td_wr w;
        td_rd r;
        td_span s;

        td_wr_init(&w, a, sizeof a);
        ck_assert_int_eq(td_record_encode(&w, m, &big), TD_ERR_INTERNAL);
        ck_assert_int_eq(td_record_encode_unchecked(&w, &big), TD_OK);
        ck_assert_int_eq(td_wr_finish(&w, &s), TD_OK);
        ck_assert_uint_eq(s.len, 5 + 16385);
        td_rd_init_span(&r, s);
        ck_assert_int_eq(td_record_decode(&r, m, &got), TD_ALERT_RECORD_OVERFLOW);
    }
}
END_TEST

Suite *td_peer_flight_suite(void)
{
    Suite *s = suite_create("peer_flight");
    TCase *tc = tcase_create("both_subjects");
    TCase *tw = tcase_create("writer");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_split);
    tcase_add_test(tc, test_split_header);
    tcase_add_test(tc, test_merge);
    tcase_add_test(tc, test_reorder);
    tcase_add_test(tc, test_record_ccs);
    tcase_add_test(tc, test_record_unknown_type);
    tcase_add_test(tc, test_record_zero_length);
    tcase_add_test(tc, test_record_overflow);
    tcase_add_test(tc, test_record_alert);
    suite_add_tcase(s, tc);
    tcase_add_test(tw, test_writer);
    suite_add_tcase(s, tw);
    return s;
}
