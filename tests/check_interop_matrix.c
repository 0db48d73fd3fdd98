/*
 * In-memory interop over every valid combination (issue 4): version x
 * cipher suite x group x server certificate/signature scheme x client
 * authentication x resumption x HelloRetryRequest. For each one the
 * reference client runs against the wolfSSL server and the wolfSSL client
 * against the reference server (td_pump_profile); each run must complete,
 * carry application data both ways, resume when asked, and negotiate what
 * was offered:
 *   version, cipher_suite   RFC 8446 4.1.3, RFC 5246 7.4.1.3
 *   group                   RFC 8446 4.2.8, RFC 8422 5.4 (none for
 *                           static RSA, RFC 5246 7.4.7.1)
 *   server scheme           RFC 8446 4.4.3, RFC 5246 7.4.1.4.1
 *   HelloRetryRequest       RFC 8446 4.1.4: sent exactly when the client's
 *                           key_share lacks the server's group
 *
 * The suites come from the reference's suite table (td_ks_suite_at),
 * split by the version each belongs to; the key exchange of a TLS 1.2
 * suite is read from its IANA name (td_names.h). Combinations the RFCs
 * rule out are skipped and counted per reason:
 *   - an ECDHE_ECDSA suite needs an ECDSA or EdDSA key (RFC 8422 5.1.1,
 *     5.3; RFC 5289 3.2);
 *   - an ECDHE_RSA or RSA suite needs an RSA key (RFC 8422 2.2; RFC 5246
 *     7.4.2, 7.4.7.1);
 *   - static RSA key transport uses no group: one run per suite, not one
 *     per group (RFC 5246 7.4.7.1);
 *   - static RSA: the server signs nothing (no ServerKeyExchange, RFC
 *     5246 7.4.3), so the rsa_pkcs1_sha256 and rsa_pss_rsae_sha256 server
 *     variants are the same handshake; only the first runs;
 *   - rsa_pkcs1_* must not sign a TLS 1.3 CertificateVerify (RFC 8446
 *     4.4.3);
 *   - session-ID resumption does not exist in TLS 1.3 (RFC 8446 2.2: PSK
 *     only);
 *   - HelloRetryRequest exists only in TLS 1.3 (RFC 8446 4.1.4).
 * Ed25519 with TLS 1.2 ECDHE_ECDSA suites is valid (RFC 8422 5.1.1, 5.10)
 * and runs. The reference also runs against itself in every combination,
 * and every one of those runs must pass.
 *
 * Explained refusals. wolfSSL's TLS 1.2 ties the client certificate's key
 * type to the suite's authentication: SendCertificateRequest
 * (src/internal.c) lists one ClientCertificateType, ecdsa_sign for an
 * ECDSA suite and rsa_sign otherwise, and PickHashSigAlgo starts from the
 * suite's signature algorithm when the client picks its CertificateVerify
 * scheme. With a client certificate of the other key type a run against
 * wolfSSL then ends in an alert. Such a run counts as explained only when
 * the combination has that mismatch and the messages on the wire show one
 * of these, each with the reference doing what the RFC says:
 *   - type not requested (wolfSSL server): the CertificateRequest's
 *     certificate_types lacks the client's type, the reference client
 *     sends an empty Certificate ("If no suitable certificate is
 *     available, the client MUST send a certificate message containing no
 *     certificates", RFC 5246 7.4.6) and the server ends with
 *     handshake_failure (7.4.6: it "MAY ... respond with a fatal
 *     handshake_failure alert");
 *   - scheme not offered (wolfSSL client): its CertificateVerify uses a
 *     scheme the reference's CertificateRequest did not list ("MUST be one
 *     of those present in the supported_signature_algorithms field",
 *     7.4.8) and the reference server sends illegal_parameter;
 *   - client gives up (wolfSSL client): it sends handshake_failure after a
 *     CertificateRequest that listed its certificate type and a scheme its
 *     key makes.
 * Any other failure fails the test.
 *
 * TD_INTEROP_MATRIX_EVERY=N runs every Nth valid combination only (the
 * asan test preset sets 3: the sanitizers make each run five times
 * slower); the default preset runs them all. The enumeration and its
 * counts are checked either way.
 */
#include <stdlib.h>
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "td_bytes.h"
#include "td_keys.h"
#include "td_msg.h"
#include "td_names.h"
#include "td_pump.h"
#include "td_testlib.h"

Suite *td_interop_matrix_suite(void);

/* ---- the dimensions ---------------------------------------------------- */

typedef enum { KX_TLS13, KX_ECDHE_ECDSA, KX_ECDHE_RSA, KX_RSA, KX_UNKNOWN } kx_kind;
typedef enum { KEY_EC, KEY_ED25519, KEY_RSA } key_kind;

typedef struct cert_id {
    const char *label, *chain, *key;
    uint16_t scheme; /* the SignatureScheme the server must sign with */
    key_kind kind;
    int pkcs1; /* an RSASSA-PKCS1-v1_5 scheme */
} cert_id;

/* vectors/pki: leaf + intermediate chains, trusted through root-ca. */
static const cert_id certs[] = {
    {"P-256", "pki/server-p256.chain.pem", "pki/server-p256.key.pem", 0x0403, KEY_EC, 0},
    {"P-384", "pki/server-p384.chain.pem", "pki/server-p384.key.pem", 0x0503, KEY_EC, 0},
    {"RSA-2048/pss", "pki/server-rsa2048.chain.pem", "pki/server-rsa2048.key.pem", 0x0804,
     KEY_RSA, 0},
    {"RSA-2048/pkcs1", "pki/server-rsa2048.chain.pem", "pki/server-rsa2048.key.pem", 0x0401,
     KEY_RSA, 1},
    {"Ed25519", "pki/server-ed25519.chain.pem", "pki/server-ed25519.key.pem", 0x0807,
     KEY_ED25519, 0},
};

/* RFC 5246 7.4.4 ClientCertificateType rsa_sign(1); RFC 8422 5.5
 * ecdsa_sign(64) */
#define CERT_TYPE_RSA 1
#define CERT_TYPE_ECDSA 64

typedef struct auth_id {
    const char *label, *chain, *key; /* chain NULL: no client auth */
    uint16_t scheme;
    uint8_t cert_type;
} auth_id;

/* vectors/pki/client-*: trusted through client-ca. */
static const auth_id auths[] = {
    {"none", NULL, NULL, 0, 0},
    {"client-p256", "pki/client-p256.chain.pem", "pki/client-p256.key.pem", 0x0403,
     CERT_TYPE_ECDSA},
    {"client-rsa2048", "pki/client-rsa2048.chain.pem", "pki/client-rsa2048.key.pem", 0x0804,
     CERT_TYPE_RSA},
};

/* x25519, secp256r1, secp384r1 (RFC 8446 4.2.7) */
static const uint16_t groups[] = {0x001d, 0x0017, 0x0018};
static const td_resume resumes[] = {TD_RESUME_NONE, TD_RESUME_SESSION_ID, TD_RESUME_TICKET};
static const char *const resume_label[] = {"none", "session_id", "ticket"};

#define N_CERTS (sizeof certs / sizeof certs[0])
#define N_AUTHS (sizeof auths / sizeof auths[0])
#define N_GROUPS (sizeof groups / sizeof groups[0])
#define N_RESUMES (sizeof resumes / sizeof resumes[0])

typedef enum {
    SKIP_ECDSA_NEEDS_EC,
    SKIP_RSA_NEEDS_RSA,
    SKIP_RSA_NO_GROUP,
    SKIP_RSA_NO_SIGNATURE,
    SKIP_PKCS1_IN_13,
    SKIP_SESSION_ID_IN_13,
    SKIP_HRR_IN_12,
    N_SKIPS
} skip_reason;

static const char *const skip_label[N_SKIPS] = {
    "ECDSA suite without EC/Ed25519 key",
    "RSA suite without RSA key",
    "static RSA has no group",
    "static RSA signs nothing (scheme variant)",
    "rsa_pkcs1 in TLS 1.3 CertificateVerify",
    "session_id resumption in TLS 1.3",
    "HelloRetryRequest in TLS 1.2",
};

typedef struct combo {
    const td_ks_suite *suite;
    kx_kind kx;
    size_t group, cert, auth, resume;
    int hrr;
} combo;

/* The key exchange of a suite, from its IANA name (RFC 5246 A.5, RFC 8422
 * 6, RFC 8446 B.4). */
static kx_kind kx_of(const td_ks_suite *s)
{
    const char *n = td_name_of(TD_NAMES_SUITE, s->cipher_suite);

    if (s->version == TD_TLS1_3)
        return KX_TLS13;
    if (!n)
        return KX_UNKNOWN;
    if (strncmp(n, "TLS_ECDHE_ECDSA_", 16) == 0)
        return KX_ECDHE_ECDSA;
    if (strncmp(n, "TLS_ECDHE_RSA_", 14) == 0)
        return KX_ECDHE_RSA;
    if (strncmp(n, "TLS_RSA_", 8) == 0)
        return KX_RSA;
    return KX_UNKNOWN;
}

/* Why combination c is not valid, or N_SKIPS when it is. */
static skip_reason invalid(const combo *c)
{
    const cert_id *ct = &certs[c->cert];
    int v13 = c->kx == KX_TLS13;

    if (c->kx == KX_ECDHE_ECDSA && ct->kind == KEY_RSA)
        return SKIP_ECDSA_NEEDS_EC; /* RFC 8422 5.3 */
    if ((c->kx == KX_ECDHE_RSA || c->kx == KX_RSA) && ct->kind != KEY_RSA)
        return SKIP_RSA_NEEDS_RSA; /* RFC 8422 2.2, RFC 5246 7.4.2 */
    if (v13 && ct->pkcs1)
        return SKIP_PKCS1_IN_13; /* RFC 8446 4.4.3 */
    if (c->kx == KX_RSA && c->group != 0)
        return SKIP_RSA_NO_GROUP; /* RFC 5246 7.4.7.1 */
    if (c->kx == KX_RSA && ct->pkcs1)
        return SKIP_RSA_NO_SIGNATURE; /* RFC 5246 7.4.3 */
    if (v13 && resumes[c->resume] == TD_RESUME_SESSION_ID)
        return SKIP_SESSION_ID_IN_13; /* RFC 8446 2.2 */
    if (!v13 && c->hrr)
        return SKIP_HRR_IN_12; /* RFC 8446 4.1.4 */
    return N_SKIPS;
}

/* ---- one combination as a profile ------------------------------------- */

static void list_set(td_code_list *l, const uint16_t *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        l->v[i] = v[i];
    l->n = n;
}

static void build_profile(const combo *c, td_profile *p)
{
    const cert_id *ct = &certs[c->cert];
    const auth_id *au = &auths[c->auth];
    td_side *cl = &p->side[TD_ROLE_CLIENT], *sv = &p->side[TD_ROLE_SERVER];
    uint16_t g = groups[c->group], other = groups[(c->group + 1) % N_GROUPS];
    uint16_t schemes[2] = {ct->scheme, au->scheme};
    uint16_t both[2] = {other, g};
    int r;

    td_profile_defaults(p, "interop-matrix");
    snprintf(p->summary, sizeof p->summary, "%s %s %s %s auth=%s resume=%s hrr=%s",
             td_name_or_hex(TD_NAMES_VERSION, c->suite->version),
             td_name_or_hex(TD_NAMES_SUITE, c->suite->cipher_suite),
             c->kx == KX_RSA ? "-" : td_name_or_hex(TD_NAMES_GROUP, g), ct->label, au->label,
             resume_label[c->resume], c->hrr ? "on" : "off");
    for (r = 0; r < 2; r++) {
        td_side *s = &p->side[r];
        s->min_version = s->max_version = c->suite->version;
        list_set(&s->suites, &c->suite->cipher_suite, 1);
        list_set(&s->groups, &g, 1);
        /* The server's scheme first: both implementations pick their own
         * preference among what the peer offered; the client's
         * certificate scheme second when it differs. */
        list_set(&s->sigalgs, schemes, au->chain && au->scheme != ct->scheme ? 2 : 1);
    }
    if (c->hrr) {
        /* RFC 8446 4.1.4: the client shares only a group the server does
         * not accept, but supports the server's one */
        list_set(&cl->groups, both, 2);
        list_set(&cl->key_shares, &other, 1);
        cl->key_shares_set = true;
    }
    snprintf(sv->chain, TD_PROFILE_MAX_PATH, "%s", ct->chain);
    snprintf(sv->key, TD_PROFILE_MAX_PATH, "%s", ct->key);
    snprintf(cl->trust, TD_PROFILE_MAX_PATH, "pki/root-ca.crt.pem");
    snprintf(p->sni, sizeof p->sni, "server.tlsdiff.test");
    if (au->chain) {
        p->client_auth = TD_CLIENT_AUTH_REQUIRE;
        snprintf(cl->chain, TD_PROFILE_MAX_PATH, "%s", au->chain);
        snprintf(cl->key, TD_PROFILE_MAX_PATH, "%s", au->key);
        snprintf(sv->trust, TD_PROFILE_MAX_PATH, "pki/client-ca.crt.pem");
    }
    p->resume = resumes[c->resume];
    p->tickets = p->resume == TD_RESUME_TICKET;
}

/* ---- checking one run --------------------------------------------------- */

/* RFC 8446 4.1.3: the Random of a HelloRetryRequest,
 * SHA-256("HelloRetryRequest"). */
static const uint8_t hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
    0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
    0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

/* 1 when the server's first ServerHello record is a HelloRetryRequest,
 * 0 when it is not, -1 when there is none or it cannot be read. Record
 * header (RFC 8446 5.1: type, legacy_record_version, length), handshake
 * header (4: msg_type, uint24 length), then legacy_version and random
 * (4.1.3). */
static int first_server_hello_is_hrr(const td_transcript *t)
{
    size_t len;
    const uint8_t *rec = td_transcript_find_handshake(t, TD_ROLE_SERVER, 2, &len);
    td_rd rd;
    td_span random;
    uint8_t type, msg_type;
    uint16_t u16;
    uint32_t u24;

    if (!rec)
        return -1;
    td_rd_init(&rd, rec, len);
    if (td_rd_u8(&rd, &type) != TD_OK || td_rd_u16(&rd, &u16) != TD_OK ||
        td_rd_u16(&rd, &u16) != TD_OK || td_rd_u8(&rd, &msg_type) != TD_OK ||
        td_rd_u24(&rd, &u24) != TD_OK || td_rd_u16(&rd, &u16) != TD_OK ||
        td_rd_span(&rd, 32, &random) != TD_OK)
        return -1;
    return memcmp(random.p, hrr_random, sizeof hrr_random) == 0;
}

/* The family of a scheme: 1 ECDSA, 2 RSA (PKCS#1 or PSS with rsaEncryption
 * keys), 0 other (RFC 8446 4.2.3). */
static int scheme_family(uint16_t s)
{
    if ((s & 0xff) == 0x03 && s >= 0x0403 && s <= 0x0603)
        return 1;
    if (((s & 0xff) == 0x01 && s >= 0x0401 && s <= 0x0601) || (s >= 0x0804 && s <= 0x0806))
        return 2;
    return 0;
}

/* The server may sign with any scheme the client offered that its key
 * can make (RFC 5246 7.4.1.4.1, RFC 8446 4.4.2.2). In TLS 1.2 the ECDSA
 * codepoints do not bind the curve (RFC 8446 4.2.3: "the old semantics
 * did not constrain the signing curve"), so with a client certificate the
 * offered list may hold a second scheme the server's key can make. */
static int scheme_ok(const combo *c, uint16_t got)
{
    const cert_id *ct = &certs[c->cert];
    const auth_id *au = &auths[c->auth];

    if (got == ct->scheme)
        return 1;
    return c->kx != KX_TLS13 && au->chain && got == au->scheme &&
           scheme_family(got) != 0 && scheme_family(got) == scheme_family(ct->scheme);
}

/* Did the run negotiate what c offered? Fills why on a mismatch. */
static int negotiated_ok(const combo *c, const td_run_result *r, const td_transcript *t,
                         char *why, size_t cap)
{
    const td_state *cl = &r->first.client, *sv = &r->first.server;
    uint16_t group = c->kx == KX_RSA ? 0 : groups[c->group];
    int hrr = first_server_hello_is_hrr(t);

    if (cl->version != c->suite->version || sv->version != c->suite->version)
        snprintf(why, cap, "version client %04x server %04x", cl->version, sv->version);
    else if (cl->cipher_suite != c->suite->cipher_suite ||
             sv->cipher_suite != c->suite->cipher_suite)
        snprintf(why, cap, "suite client %04x server %04x", cl->cipher_suite, sv->cipher_suite);
    else if (cl->group != group || sv->group != group)
        snprintf(why, cap, "group client %04x server %04x, expected %04x", cl->group, sv->group,
                 group);
    else if (c->kx != KX_RSA && !scheme_ok(c, cl->sig_scheme))
        snprintf(why, cap, "server signed with %s, expected %s",
                 td_name_or_hex(TD_NAMES_SIGSCHEME, cl->sig_scheme),
                 td_name_or_hex(TD_NAMES_SIGSCHEME, certs[c->cert].scheme));
    else if (!cl->peer_verified)
        snprintf(why, cap, "the client did not verify the server certificate");
    else if (auths[c->auth].chain && !sv->peer_verified)
        snprintf(why, cap, "the server did not verify the client certificate");
    else if (c->kx == KX_TLS13 && hrr != c->hrr)
        snprintf(why, cap, "HelloRetryRequest %s", hrr < 0 ? "unreadable" : hrr ? "sent" : "missing");
    else
        return 1;
    return 0;
}

/* ---- explained refusals (the header) ---------------------------------- */

typedef enum {
    EXPL_TYPE_NOT_REQUESTED,
    EXPL_SCHEME_NOT_OFFERED,
    EXPL_CLIENT_GIVES_UP,
    N_EXPLS
} explanation;

static const char *const expl_label[N_EXPLS] = {
    "wolfSSL server did not request the client's certificate type",
    "wolfSSL client signed with a scheme not offered",
    "wolfSSL client gave up on a usable request",
};

/* The TLS 1.2 client certificate's type is not the one the suite's
 * server authentication uses. */
static int cert_type_mismatch(const combo *c)
{
    uint8_t suite_type = c->kx == KX_ECDHE_ECDSA ? CERT_TYPE_ECDSA : CERT_TYPE_RSA;

    return c->kx != KX_TLS13 && auths[c->auth].chain && auths[c->auth].cert_type != suite_type;
}

/* The handshake messages `from` sent in the clear in the first
 * connection: the fragments of its type-22 records up to its first
 * ChangeCipherSpec (RFC 5246 6.2.1, 7.1), concatenated into out. */
static size_t clear_handshake(const td_transcript *t, td_role from, uint8_t *out, size_t cap)
{
    size_t i, n = 0;

    for (i = 0; i < t->n_chunks; i++) {
        const td_chunk *ch = &t->chunks[i];
        td_rd rd;

        if (ch->from != from)
            continue;
        td_rd_init(&rd, t->bytes + ch->off, ch->len);
        while (td_rd_left(&rd) > 0) {
            uint8_t type;
            uint16_t version, len;
            td_span frag;

            if (td_rd_u8(&rd, &type) != TD_OK || td_rd_u16(&rd, &version) != TD_OK ||
                td_rd_u16(&rd, &len) != TD_OK || td_rd_span(&rd, len, &frag) != TD_OK ||
                type == 20)
                return n;
            if (type == 22 && frag.len <= cap - n) {
                memcpy(out + n, frag.p, frag.len);
                n += frag.len;
            }
        }
    }
    return n;
}

/* The body of the first handshake message of type msg_type in hs
 * (RFC 5246 7.4: msg_type, uint24 length, body). */
static int find_message(const uint8_t *hs, size_t n, uint8_t msg_type, td_span *body)
{
    td_rd rd;

    td_rd_init(&rd, hs, n);
    while (td_rd_left(&rd) > 0) {
        uint8_t type;
        uint32_t len;

        if (td_rd_u8(&rd, &type) != TD_OK || td_rd_u24(&rd, &len) != TD_OK ||
            td_rd_span(&rd, len, body) != TD_OK)
            return 0;
        if (type == msg_type)
            return 1;
    }
    return 0;
}

static int u8_in(td_span list, uint8_t v)
{
    size_t i;

    for (i = 0; i < list.len; i++)
        if (list.p[i] == v)
            return 1;
    return 0;
}

static int u16_in(td_span list, uint16_t v)
{
    size_t i;

    for (i = 0; i + 1 < list.len; i += 2)
        if ((uint16_t)(list.p[i] << 8 | list.p[i + 1]) == v)
            return 1;
    return 0;
}

static int sent_fatal(const td_state *st, td_err alert)
{
    return st->sent.present && st->sent.level == 2 && st->sent.description == alert;
}

/* Which explanation (the header) fits a run that did not pass, or N_EXPLS
 * when none does. */
static explanation explain(const combo *c, td_impl client, td_impl server,
                           const td_run_result *r, const td_transcript *t)
{
    static uint8_t cl_hs[1 << 16], sv_hs[1 << 16];
    size_t cl_n, sv_n;
    td_certificate_request12 cr;
    td_certificate12 cert;
    td_certificate_verify cv;
    td_span body;
    const td_state *cl = &r->first.client, *sv = &r->first.server;

    if (!cert_type_mismatch(c) || cl->handshake_done)
        return N_EXPLS;
    sv_n = clear_handshake(t, TD_ROLE_SERVER, sv_hs, sizeof sv_hs);
    cl_n = clear_handshake(t, TD_ROLE_CLIENT, cl_hs, sizeof cl_hs);
    if (!find_message(sv_hs, sv_n, 13, &body) ||
        td_certificate_request12_decode(body, &cr) != TD_OK)
        return N_EXPLS;
    if (client == TD_IMPL_REF && server == TD_IMPL_WOLFSSL &&
        !u8_in(cr.certificate_types, auths[c->auth].cert_type) &&
        find_message(cl_hs, cl_n, 11, &body) && td_certificate12_decode(body, &cert) == TD_OK &&
        cert.count == 0 && sent_fatal(sv, TD_ALERT_HANDSHAKE_FAILURE))
        return EXPL_TYPE_NOT_REQUESTED;
    if (client == TD_IMPL_WOLFSSL && server == TD_IMPL_REF &&
        find_message(cl_hs, cl_n, 15, &body) &&
        td_certificate_verify_decode(body, &cv) == TD_OK &&
        !u16_in(cr.supported_signature_algorithms, cv.algorithm) &&
        sent_fatal(sv, TD_ALERT_ILLEGAL_PARAMETER))
        return EXPL_SCHEME_NOT_OFFERED;
    if (client == TD_IMPL_WOLFSSL && server == TD_IMPL_REF &&
        u8_in(cr.certificate_types, auths[c->auth].cert_type) &&
        u16_in(cr.supported_signature_algorithms, auths[c->auth].scheme) &&
        sent_fatal(cl, TD_ALERT_HANDSHAKE_FAILURE))
        return EXPL_CLIENT_GIVES_UP;
    return N_EXPLS;
}

typedef struct tally {
    size_t valid, ran, failed, skipped[N_SKIPS], explained[N_EXPLS];
} tally;

static void run_direction(const combo *c, const td_profile *p, td_impl client, td_impl server,
                          uint64_t seed, tally *tl)
{
    td_world w;
    td_transcript t;
    td_run_result r;
    char why[256] = "";
    td_err e;

    memset(&t, 0, sizeof t);
    td_world_init(&w, seed);
    e = td_pump_profile(client, server, p, &w, &t, &r);
    if (e != TD_OK)
        snprintf(why, sizeof why, "harness error %s: %s", td_err_name(e), r.why);
    else if (!r.ok)
        snprintf(why, sizeof why, "%s", r.why);
    else if (!r.first.app_ok || (p->resume != TD_RESUME_NONE && !r.resumed.app_ok))
        snprintf(why, sizeof why, "application data lost");
    else if (p->resume != TD_RESUME_NONE && !(r.has_resumed && r.resumed.client.resumed &&
                                              r.resumed.server.resumed))
        snprintf(why, sizeof why, "not resumed");
    else
        (void)negotiated_ok(c, &r, &t, why, sizeof why);
    if (why[0] && e == TD_OK) {
        explanation x = explain(c, client, server, &r, &t);

        if (x != N_EXPLS) {
            tl->explained[x]++;
            why[0] = '\0';
        }
    }
    if (why[0]) {
        tl->failed++;
        printf("interop_matrix: FAIL %s client, %s server: %s\n    %s\n", td_impl_name(client),
               td_impl_name(server), p->summary, why);
        fflush(stdout);
    }
    td_transcript_free(&t);
    td_world_free(&w);
}

/* ---- the enumeration ---------------------------------------------------- */

START_TEST(test_every_combination)
{
    tally tl;
    combo c;
    size_t i, total = 0, skipped = 0, every = 1;
    size_t valid_by_version[2] = {0, 0};
    const char *every_env = getenv("TD_INTEROP_MATRIX_EVERY");
    const td_ks_suite *s;
    struct timespec t0, t1;
    char reasons[512] = "";
    size_t used = 0;

    memset(&tl, 0, sizeof tl);
    if (every_env && atoi(every_env) > 0)
        every = (size_t)atoi(every_env);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; (s = td_ks_suite_at(i)) != NULL; i++) {
        memset(&c, 0, sizeof c);
        c.suite = s;
        c.kx = kx_of(s);
        ck_assert_msg(c.kx != KX_UNKNOWN, "suite %04x: unknown key exchange", s->cipher_suite);
        for (c.group = 0; c.group < N_GROUPS; c.group++)
            for (c.cert = 0; c.cert < N_CERTS; c.cert++)
                for (c.auth = 0; c.auth < N_AUTHS; c.auth++)
                    for (c.resume = 0; c.resume < N_RESUMES; c.resume++)
                        for (c.hrr = 0; c.hrr < 2; c.hrr++) {
                            skip_reason why = invalid(&c);
                            td_profile p;
                            uint64_t seed = 1 + total++;

                            if (why != N_SKIPS) {
                                tl.skipped[why]++;
                                skipped++;
                                continue;
                            }
                            valid_by_version[s->version == TD_TLS1_3]++;
                            if (tl.valid++ % every != 0)
                                continue;
                            build_profile(&c, &p);
                            run_direction(&c, &p, TD_IMPL_REF, TD_IMPL_WOLFSSL, seed, &tl);
                            run_direction(&c, &p, TD_IMPL_WOLFSSL, TD_IMPL_REF, seed, &tl);
                            run_direction(&c, &p, TD_IMPL_REF, TD_IMPL_REF, seed, &tl);
                            tl.ran++;
                        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    for (i = 0; i < N_SKIPS; i++) {
        int k = snprintf(reasons + used, sizeof reasons - used, "%s%s: %zu", used ? "; " : "",
                         skip_label[i], tl.skipped[i]);
        if (k > 0 && (size_t)k < sizeof reasons - used)
            used += (size_t)k;
    }
    printf("interop_matrix: %zu combinations (TLS 1.2: %zu, TLS 1.3: %zu), %zu skipped (%s); "
           "%zu of them run (every %zu), %zu runs (ref/wolfSSL, wolfSSL/ref, ref/ref), "
           "%zu failed, %.1f s\n",
           tl.valid, valid_by_version[0], valid_by_version[1], skipped, reasons, tl.ran, every,
           3 * tl.ran, tl.failed,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    for (i = 0; i < N_EXPLS; i++)
        printf("interop_matrix: explained: %s: %zu\n", expl_label[i], tl.explained[i]);
    fflush(stdout);
    ck_assert_uint_eq(tl.valid + skipped, total);
    ck_assert_uint_eq(tl.ran, (tl.valid + every - 1) / every);
    /* The count by hand, for the table's 3 TLS 1.3 suites and 8 TLS 1.2
     * ones (2 static RSA, 3 ECDHE_ECDSA, 3 ECDHE_RSA):
     *   TLS 1.3:     3 suites x 3 groups x 4 certs (no pkcs1) x 3 auth
     *                x 2 resume (none, ticket) x 2 HRR          = 432
     *   ECDHE_ECDSA: 3 x 3 groups x 3 certs (P-256, P-384, Ed25519)
     *                x 3 auth x 3 resume                        = 243
     *   ECDHE_RSA:   3 x 3 groups x 2 (pss, pkcs1) x 3 x 3      = 162
     *   static RSA:  2 x 1 x 1 x 3 x 3                          =  18
     * TLS 1.2: 423; of the 11 x 3 x 5 x 3 x 3 x 2 = 2970 in the product,
     * 2970 - 855 = 2115 are skipped. A change to the suite table shows
     * here first. */
    ck_assert_uint_eq(total, 2970);
    ck_assert_uint_eq(valid_by_version[1], 432);
    ck_assert_uint_eq(valid_by_version[0], 423);
    ck_assert_msg(tl.failed == 0, "%zu of %zu runs failed (listed above)", tl.failed, 3 * tl.ran);
}
END_TEST

Suite *td_interop_matrix_suite(void)
{
    Suite *s = suite_create("interop_matrix");
    TCase *tc = tcase_create("ref_wolfssl_both_ways");

    tcase_set_timeout(tc, 1200);
    tcase_add_test(tc, test_every_combination);
    suite_add_tcase(s, tc);
    return s;
}
