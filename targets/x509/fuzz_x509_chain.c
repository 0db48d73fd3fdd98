/*
 * fuzz_x509_chain: td_x509_verify (the reference's path validation, with
 * td_x509_decode and the checks of td_x509_verify.c / td_x509_match.c)
 * against td_x509_wolfssl_verify (wolfSSL 5.7.2's certificate manager
 * walked as its TLS stack walks a peer's chain) on the same chain,
 * anchors, clock, host name and purpose; td_x509_encode (every
 * certificate that decodes re-encodes to its own bytes); vectors/
 * divergences (td_divergences_match) for every difference.
 *
 * Input (td_x509_input.h):
 *   byte 0   flags
 *              bit 0    purpose client (id-kp-clientAuth; wolfSSL as the
 *                       TLS server); else server
 *              bit 1    check the host name (server purpose only: a TLS
 *                       server checks no name on a client certificate)
 *              bit 2    static-RSA key_encipherment (the leaf's key
 *                       carries the TLS 1.2 premaster secret; server
 *                       purpose only, as bit 1)
 *              bit 3    raw mode: the rest of the input is one DER
 *                       certificate, used as the leaf with the test
 *                       PKI's intermediate (vectors/pki/intermediate-ca)
 *                       after it
 *              bits 4-5 one more trust anchor: 0 none, 1 intermediate-ca,
 *                       2 pinned-leaf, 3 selfsigned-server (vectors/x509)
 *              bits 6-7 the host name: 0 server.tlsdiff.test,
 *                       1 127.0.0.1, 2 ::1, 3 tlsdiff.test
 *   then     (normal mode) up to 8 certificates, the leaf first, each a
 *            2-byte big-endian length and that many bytes of DER; the
 *            bytes after the last whole one are ignored.
 * Trust anchors: vectors/pki root-ca and client-ca, and vectors/x509's
 * own roots (other-root, p256-root, p384-root, ed25519-root, v1-root),
 * plus the one bits 4-5 name (at most 8: TD_X509_MAX_ANCHORS). Clock:
 * TD_CLOCK_DEFAULT (2026-01-01T00:00:00Z).
 *
 * Outcomes are "accept" or "reject:REASON" (the reason class, wolfSSL's
 * error mapped by td_x509_wolfssl_reason). When they differ, the pair is
 * looked up in vectors/divergences (message "certificate", edit "fuzz" or
 * "fuzz MECHANISM"); a difference no entry matches aborts with one
 * paragraph on stderr, so libFuzzer keeps the input. The mechanism is
 * named when the target can tell it from both results, so that entries
 * for it need not match every input with the same two outcomes:
 *   off-path    wolfSSL's error is about a presented certificate that is
 *               not on the path the reference built (wolfSSL judges every
 *               presented certificate, RFC 8446 4.4.2 extras included);
 *   order       wolfSSL found no issuer for a certificate on that path
 *               whose issuer is presented before it (wolfSSL walks the
 *               list from its end);
 *   aki         wolfSSL found no issuer, and a certificate on that path
 *               has an authorityKeyIdentifier that is not its issuer's
 *               subjectKeyIdentifier (wolfSSL looks issuers up by it);
 *   pinned      wolfSSL found no issuer, and that path ends at an anchor
 *               that is not a CA certificate, or the leaf is an anchor;
 *   shadow      wolfSSL found no issuer, or a signature that does not
 *               verify or fit the issuer's key, and a presented
 *               certificate has the key identifier of another one or of
 *               an anchor with another key or subject, or its subject
 *               with another key (wolfSSL keeps one signer per key
 *               identifier, the subjectKeyIdentifier or else the SHA-1
 *               of the key, and tries one issuer per name);
 *   crit-aki    wolfSSL found no issuer, and a certificate on that path
 *               has a critical authorityKeyIdentifier (which wolfSSL
 *               refuses to read);
 *   cn          the reference rejects the name and wolfSSL accepts, and
 *               the leaf's subjectAltName has no dNSName, iPAddress or
 *               URI (wolfSSL then matches the CN, RFC 6125 6.4.4);
 *   leaf-order  both reject about the leaf, and wolfSSL run again without
 *               its verify callback and/or without the host name (so that
 *               its later leaf checks do not overwrite an earlier error)
 *               names the reference's reason;
 *   other-cert  both reject, each for a different certificate (the first
 *               problem in its own order of work);
 *   (none)      "fuzz" alone.
 * For triage, TD_X509_FUZZ_VERBOSE=1 prints one line per input (outcomes,
 * mechanism, the entry that matched), and TD_X509_FUZZ_VERBOSE=2 does too
 * but only reports a new difference (a line with "NEW") instead of
 * aborting; TD_X509_MUTATE_STATS=1 prints the mutator's signature counts
 * at exit.
 *
 * Under the fuzz preset LLVMFuzzerCustomMutator is td_x509_mutate
 * (td_x509_mutate.h): structure-aware edits, re-signed with the test keys.
 */
#include "td_fuzz.h"

#include "td_divergence.h"
#include "td_profile.h"
#include "td_world.h"
#include "td_x509.h"
#include "td_x509_input.h"
#include "td_x509_mutate.h"
#include "td_x509_wolfssl.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);

#define N_BASE_ANCHORS 7u

static const char *const base_anchor_files[N_BASE_ANCHORS] = {
    "pki/root-ca.crt.der",        "pki/client-ca.crt.der",     "x509/anchors/other-root.pem",
    "x509/anchors/p256-root.pem", "x509/anchors/p384-root.pem", "x509/anchors/ed25519-root.pem",
    "x509/anchors/v1-root.pem",
};
static const char *const extra_anchor_files[4] = {
    NULL,
    "x509/anchors/intermediate-ca.pem",
    "x509/anchors/pinned-leaf.pem",
    "x509/anchors/selfsigned-server.pem",
};

static struct {
    int ready;
    uint8_t store[32 * 1024];
    size_t used;
    td_span base[N_BASE_ANCHORS], extra[4], intermediate;
    td_divergences div;
    int verbose;
} g;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_x509_chain: %s: %s\n", what, detail);
    abort();
}

static void load_one(const char *rel, td_span *out)
{
    size_t n = 0;

    if (td_xin_load_certs(rel, g.store, sizeof g.store, &g.used, out, 1, &n) != TD_OK || n != 1)
        die("cannot load", rel);
}

/* Everything read from vectors/, once (LLVMFuzzerInitialize, or the
 * first input in the replay build). */
static void init_once(void)
{
    char path[1024], why[512];
    size_t i;

    if (g.ready)
        return;
    for (i = 0; i < N_BASE_ANCHORS; i++)
        load_one(base_anchor_files[i], &g.base[i]);
    for (i = 1; i < 4; i++)
        load_one(extra_anchor_files[i], &g.extra[i]);
    load_one("pki/intermediate-ca.crt.der", &g.intermediate);
    if (td_vectors_path("divergences", path, sizeof path) != TD_OK ||
        td_divergences_load(path, &g.div, why, sizeof why) != TD_OK)
        die("vectors/divergences", why);
    g.verbose = getenv("TD_X509_FUZZ_VERBOSE") ? atoi(getenv("TD_X509_FUZZ_VERBOSE")) : 0;
    g.ready = 1;
}

/* TD_X509_MUTATE_STATS=1: the mutator's signature counts at exit. */
static void print_sign_stats(void)
{
    size_t made, cached;

    td_x509_mutate_sign_stats(&made, &cached);
    fprintf(stderr, "fuzz_x509_chain: mutator signatures: %zu made, %zu from the cache\n", made,
            cached);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    init_once();
    if (getenv("TD_X509_MUTATE_STATS"))
        atexit(print_sign_stats);
    if (td_x509_mutate_init() != TD_OK)
        die("td_x509_mutate_init", "cannot load the test keys");
    return 0;
}

#ifdef TD_FUZZ_LIBFUZZER
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    td_x509_mutate_set_fallback(LLVMFuzzerMutate);
    return td_x509_mutate(data, size, max_size, seed);
}
#endif

static void outcome(int accept, td_x509_reason r, char *buf, size_t cap)
{
    if (accept)
        snprintf(buf, cap, "accept");
    else
        snprintf(buf, cap, "reject:%s", td_x509_reason_name(r));
}

/* A printable copy of a name's CN. */
static void cn_text(td_span cn, char *buf, size_t cap)
{
    size_t i, n = 0;

    for (i = 0; i < cn.len && n + 1 < cap; i++)
        buf[n++] = cn.p[i] >= 0x20 && cn.p[i] < 0x7f ? (char)cn.p[i] : '?';
    buf[n] = '\0';
}

/* The chain, one line per certificate, for the abort paragraph. */
static void describe_chain(const td_span *chain, size_t n)
{
    static td_x509_cert c;
    size_t i;

    for (i = 0; i < n; i++) {
        td_x509_reason r = td_x509_decode(chain[i], &c);
        char subj[64], iss[64];

        cn_text(c.subject.cn, subj, sizeof subj);
        cn_text(c.issuer.cn, iss, sizeof iss);
        fprintf(stderr, "  [%zu] %zu bytes, %s; subject CN \"%s\", issuer CN \"%s\"", i,
                chain[i].len, r == TD_X509_OK ? "decodes" : td_x509_reason_name(r), subj, iss);
        if (r == TD_X509_OK)
            fprintf(stderr, ", v%d, %s%s, key %d, sig %d, %s", c.version + 1,
                    c.has_basic_constraints && c.ca ? "CA" : "not CA",
                    c.has_path_len ? " (pathLen)" : "", (int)c.key, (int)c.sig_alg.sig,
                    c.has_san ? "SAN" : "no SAN");
        fprintf(stderr, "\n");
    }
}

static int span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* SHA-1 (RFC 3174), only to compute key identifiers as wolfSSL does
 * (td_crypto has no SHA-1: the reference verifies no SHA-1 signatures). */
static void sha1(td_span in, uint8_t out[20])
{
    uint32_t h[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};
    uint64_t bits = (uint64_t)in.len * 8;
    /* the data, 0x80, zeros, the 64-bit length: whole 64-octet blocks */
    size_t n_blocks = (in.len + 8) / 64 + 1, blk, i;

    for (blk = 0; blk < n_blocks; blk++) {
        uint8_t block[64];
        uint32_t w[80], a, b, c, d, e, t;

        for (i = 0; i < 64; i++) {
            size_t pos = blk * 64 + i;

            block[i] = pos < in.len ? in.p[pos] : pos == in.len ? 0x80 : 0;
        }
        if (blk == n_blocks - 1)
            for (i = 0; i < 8; i++)
                block[63 - i] = (uint8_t)(bits >> (8 * i));
        for (i = 0; i < 16; i++)
            w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
                   (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
        for (i = 16; i < 80; i++) {
            t = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
            w[i] = t << 1 | t >> 31;
        }
        a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (i = 0; i < 80; i++) {
            uint32_t f = i < 20   ? ((b & c) | (~b & d)) + 0x5a827999u
                         : i < 40 ? (b ^ c ^ d) + 0x6ed9eba1u
                         : i < 60 ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdcu
                                  : (b ^ c ^ d) + 0xca62c1d6u;

            t = (a << 5 | a >> 27) + f + e + w[i];
            e = d, d = c, c = b << 30 | b >> 2, b = a, a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    for (i = 0; i < 20; i++)
        out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* The key identifier wolfSSL files a CA under: the subjectKeyIdentifier
 * (hashed when it is not 20 octets), else the SHA-1 of the key
 * (ParseCertRelative, CalcHashId). */
static void key_id(const td_x509_cert *c, uint8_t out[20])
{
    if (c->subject_key_id.len == 20)
        memcpy(out, c->subject_key_id.p, 20);
    else
        sha1(c->subject_key_id.len > 0 ? c->subject_key_id : c->key_bits, out);
}

static int on_path(const td_x509_result *res, size_t cert)
{
    size_t k;

    for (k = 0; k < res->path_len; k++)
        if (res->path[k] == cert)
            return 1;
    return 0;
}

static const td_x509_cert *path_cert(const td_x509_work *w, size_t idx)
{
    return idx >= TD_X509_MAX_CHAIN ? &w->anchors[idx - TD_X509_MAX_CHAIN] : &w->chain[idx];
}

/* The mechanism of a difference (the header comment), when the results
 * show it. Only "leaf-order" runs wolfSSL again (up to three times). */
static const char *edit_class(const td_span *chain, size_t n_chain, const td_span *anchors,
                              size_t n_anchors, const td_x509_policy *pol,
                              const td_x509_work *w, const td_x509_result *res,
                              td_x509_reason r, const td_x509_wolfssl_result *wres)
{
    size_t k;

    if (!wres->accept && res->path_len > 1) {
        const td_x509_cert *top = path_cert(w, res->path[res->path_len - 1]);

        if (wres->cert >= 1 && wres->cert < n_chain && !on_path(res, wres->cert))
            return "fuzz off-path";
        if (wres->reason == TD_X509_NO_PATH || wres->reason == TD_X509_BAD_SIGNATURE ||
            wres->reason == TD_X509_SIG_KEY_MISMATCH) {
            size_t i, j;

            /* a presented certificate against the others and the anchors */
            for (i = 0; i < n_chain; i++)
                for (j = i + 1; j < TD_X509_MAX_CHAIN + n_anchors; j++) {
                    const td_x509_cert *o;

                    if (j >= n_chain && j < TD_X509_MAX_CHAIN)
                        continue;
                    o = path_cert(w, j);
                    uint8_t id_a[20], id_b[20];
                    int same_ski;

                    key_id(&w->chain[i], id_a);
                    key_id(o, id_b);
                    same_ski = memcmp(id_a, id_b, 20) == 0;
                    int same_name = span_eq(w->chain[i].subject.whole, o->subject.whole);
                    int same_key = span_eq(w->chain[i].spki, o->spki);

                    if ((same_ski && (!same_key || !same_name)) || (same_name && !same_key))
                        return "fuzz shadow";
                }
        }
        if (wres->reason == TD_X509_NO_PATH) {
            for (k = 0; k + 1 < res->path_len; k++)
                if (res->path[k + 1] < TD_X509_MAX_CHAIN && res->path[k + 1] < res->path[k])
                    return "fuzz order";
            for (k = 0; k + 1 < res->path_len; k++) {
                const td_x509_cert *sub = path_cert(w, res->path[k]),
                                   *iss = path_cert(w, res->path[k + 1]);

                if (sub->authority_key_id.len > 0 &&
                    !span_eq(sub->authority_key_id, iss->subject_key_id))
                    return "fuzz aki";
            }
            for (k = 0; k + 1 < res->path_len; k++) {
                const td_x509_cert *c = path_cert(w, res->path[k]);
                size_t e;

                for (e = 0; e < c->n_exts; e++)
                    if (c->exts[e].id == TD_X509_EXT_AUTHORITY_KEY_ID && c->exts[e].critical)
                        return "fuzz crit-aki";
            }
            if (res->path[res->path_len - 1] >= TD_X509_MAX_CHAIN &&
                ((res->path_len == 2 && span_eq(w->chain[0].der, top->der)) ||
                 !(top->has_basic_constraints && top->ca)))
                return "fuzz pinned";
        }
    }
    if (r == TD_X509_NAME_MISMATCH && wres->accept && w->chain[0].has_san) {
        int other = 1;

        for (k = 0; k < w->chain[0].n_san; k++)
            other &= w->chain[0].san[k].type != TD_X509_GN_DNS &&
                     w->chain[0].san[k].type != TD_X509_GN_IP &&
                     w->chain[0].san[k].type != TD_X509_GN_URI;
        if (other)
            return "fuzz cn";
    }
    if (r != TD_X509_OK && !wres->accept) {
        static td_x509_wolfssl_result again;
        td_x509_policy no_host = *pol;
        int i;

        no_host.host = NULL;
        for (i = 0; i < 3 && res->cert == 0 && wres->cert == 0; i++) {
            td_x509_wolfssl_opts opts = {TD_X509_WOLFSSL_KX_POLICY, i != 1};

            if (i > 0 && !pol->host)
                break;
            if (td_x509_wolfssl_verify_opts(chain, n_chain, anchors, n_anchors,
                                            i == 0 ? pol : &no_host, &opts, &again) == TD_OK &&
                !again.accept && again.reason == r && again.cert == 0)
                return "fuzz leaf-order";
        }
        if (wres->cert != res->cert)
            return "fuzz other-cert";
    }
    return "fuzz";
}

/* encode(decode(x)) == x for every certificate decode accepts (STYLE.md). */
static void check_roundtrip(const td_span *chain, size_t n)
{
    static td_x509_cert c;
    static uint8_t buf[TD_X509_MAX_CERT_LEN + 64];
    size_t i;

    for (i = 0; i < n; i++) {
        td_wr w;
        td_span out;

        if (td_x509_decode(chain[i], &c) != TD_X509_OK)
            continue;
        td_wr_init(&w, buf, sizeof buf);
        TD_FUZZ_CHECK(td_x509_encode(&w, &c) == TD_OK);
        TD_FUZZ_CHECK(td_wr_finish(&w, &out) == TD_OK);
        TD_FUZZ_CHECK(out.len == chain[i].len && memcmp(out.p, chain[i].p, out.len) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static td_x509_work work;
    td_span chain[TD_XIN_MAX_CERTS + 1], anchors[N_BASE_ANCHORS + 1];
    size_t n_chain, n_anchors = N_BASE_ANCHORS;
    td_x509_policy pol;
    td_x509_result res;
    td_x509_wolfssl_result wres;
    td_x509_reason r;
    td_divergence *hit;
    const char *edit;
    char ref_out[64], wolf_out[64];
    td_xin in;
    td_err e;

    init_once();
    if (td_xin_parse(data, size, &in) != TD_OK)
        return 0;
    memcpy(chain, in.certs, in.n * sizeof chain[0]);
    n_chain = in.n;
    if (in.flags & TD_XIN_RAW)
        chain[n_chain++] = g.intermediate;
    memcpy(anchors, g.base, sizeof g.base);
    if (TD_XIN_ANCHOR(in.flags) != 0)
        anchors[n_anchors++] = g.extra[TD_XIN_ANCHOR(in.flags)];

    memset(&pol, 0, sizeof pol);
    pol.now = TD_CLOCK_DEFAULT;
    pol.purpose = (in.flags & TD_XIN_CLIENT) ? TD_X509_PURPOSE_CLIENT : TD_X509_PURPOSE_SERVER;
    pol.host = !(in.flags & TD_XIN_CLIENT) && (in.flags & TD_XIN_HOST) ? td_xin_host(in.flags)
                                                                       : NULL;
    pol.key_encipherment = !(in.flags & TD_XIN_CLIENT) && (in.flags & TD_XIN_KEYENC);

    check_roundtrip(chain, n_chain);
    r = td_x509_verify(chain, n_chain, anchors, n_anchors, &pol, &work, &res);
    e = td_x509_wolfssl_verify(chain, n_chain, anchors, n_anchors, &pol, &wres);
    if (e != TD_OK) {
        fprintf(stderr, "fuzz_x509_chain: td_x509_wolfssl_verify failed: %s\n", td_err_name(e));
        describe_chain(chain, n_chain);
        abort();
    }
    outcome(r == TD_X509_OK, r, ref_out, sizeof ref_out);
    outcome(wres.accept, wres.reason, wolf_out, sizeof wolf_out);
    if (strcmp(ref_out, wolf_out) == 0) {
        if (g.verbose)
            fprintf(stderr, "fuzz_x509_chain: agree %s\n", ref_out);
        return 0;
    }
    edit = edit_class(chain, n_chain, anchors, n_anchors, &pol, &work, &res, r, &wres);
    hit = td_divergences_match(&g.div, "certificate", edit, ref_out, wolf_out);
    if (hit) {
        if (g.verbose)
            fprintf(stderr, "fuzz_x509_chain: known %s [%s] reference=%s wolfssl=%s (%s; %s)\n",
                    hit->id, edit, ref_out, wolf_out, res.detail, wres.err_name);
        return 0;
    }
    if (g.verbose >= 2) {
        fprintf(stderr,
                "fuzz_x509_chain: NEW [%s] reference=%s wolfssl=%s (%s; %d %s at %zu) flags "
                "0x%02x\n",
                edit, ref_out, wolf_out, res.detail, wres.err, wres.err_name, wres.cert,
                in.flags);
        return 0;
    }
    fprintf(stderr,
            "fuzz_x509_chain: NEW DIVERGENCE: the reference says %s (%s) and wolfSSL says %s "
            "(error %d %s, about certificate %zu; %s), with purpose %s, host %s, "
            "key_encipherment %d, %zu anchors, clock %lld; no entry of vectors/divergences "
            "(message certificate, edit \"%s\") matches reference=%s wolfssl=%s. The chain:\n",
            ref_out, res.detail, wolf_out, wres.err, wres.err_name[0] ? wres.err_name : "-",
            wres.cert, td_x509_wolfssl_reason_doc(wres.err),
            pol.purpose == TD_X509_PURPOSE_CLIENT ? "client" : "server",
            pol.host ? pol.host : "(none)", pol.key_encipherment, n_anchors,
            (long long)pol.now, edit, ref_out, wolf_out);
    describe_chain(chain, n_chain);
    abort();
}
