/*
 * Path validation (RFC 5280 6.1) for the TLS roles (RFC 8446 4.4.2.2,
 * RFC 5246 7.4.2, 7.4.6): build a path from the leaf to a trust anchor,
 * then run one check per rule along it, each with its own reason
 * (td_x509.h), in the order RFC 5280 6.1.3 and 6.1.4 process a path: from
 * the certificate the anchor issued down to the leaf, then the leaf's
 * own checks.
 *
 * Choices the RFCs leave to the relying party:
 *   - trust anchors contribute their name and key only (RFC 5280 6.1.1
 *     (d)); their own validity, basicConstraints, keyUsage and name
 *     constraints are not applied;
 *   - every issuer on the path must carry basicConstraints with cA TRUE,
 *     version 1 and 2 certificates included (6.1.4 (k) asks it of v3
 *     ones; 4.2.1.9: "Conforming CAs MUST include this extension in all
 *     CA certificates that contain public keys used to validate digital
 *     signatures on certificates");
 *   - path building takes, for each certificate, the anchors first and
 *     then the presented certificates whose subject is its issuer, in the
 *     order presented, trying the next when a signature does not verify
 *     (RFC 8446 4.4.2: the chain may hold extra certificates and come in
 *     another order); the first path that reaches an anchor is judged,
 *     alternatives are not tried when a later check fails;
 *   - a leaf byte-identical to an anchor is a path by itself; the leaf's
 *     checks (validity, key usage, extKeyUsage, name) still apply;
 *   - names are compared as DER bytes (RFC 5280 7.1 allows more lenient
 *     matching).
 */
#include "td_x509_check.h"

#include "td_crypto.h"

#include <stdio.h>
#include <string.h>

#define ANCHOR(i) (TD_X509_MAX_CHAIN + (i))

static int span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* ---- single checks ------------------------------------------------------ */

td_x509_reason td_x509_check_validity(const td_x509_cert *c, int64_t now)
{
    if (now < c->not_before)
        return TD_X509_NOT_YET_VALID;
    if (now > c->not_after)
        return TD_X509_EXPIRED;
    return TD_X509_OK;
}

/* rsaEncryption (RFC 3279 2.3.1) */
static const uint8_t oid_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};

/* An RSA-PSS key (RFC 4055 1.2) as the rsaEncryption SPKI of the same
 * RSAPublicKey, which is what the crypto adapter loads. */
static td_err rewrap_pss(const td_x509_cert *c, uint8_t *buf, size_t cap, td_span *out)
{
    uint8_t bits[TD_KEY_MAX_DER];
    td_wr_mark spki, alg;
    td_wr w;

    ENSURE(c->key_bits.len + 1 <= sizeof bits, TD_ERR_UNSUPPORTED);
    bits[0] = 0x00; /* no unused bits */
    memcpy(bits + 1, c->key_bits.p, c->key_bits.len);
    td_wr_init(&w, buf, cap);
    TRY(td_der_open(&w, TD_DER_SEQUENCE, &spki));
    TRY(td_der_open(&w, TD_DER_SEQUENCE, &alg));
    TRY(td_der_write(&w, TD_DER_OID, (td_span){oid_rsa, sizeof oid_rsa}));
    TRY(td_der_write(&w, TD_DER_NULL, (td_span){NULL, 0}));
    TRY(td_der_close(&w, &alg));
    TRY(td_der_write(&w, TD_DER_BIT_STRING, (td_span){bits, c->key_bits.len + 1}));
    TRY(td_der_close(&w, &spki));
    return td_wr_finish(&w, out);
}

/* The issuer's key as a td_key; TD_X509_OK or the reason. */
static td_x509_reason issuer_key(const td_x509_cert *issuer, td_key *key)
{
    uint8_t buf[TD_KEY_MAX_DER];
    td_span spki = issuer->spki;
    td_key_type type;
    td_err e;

    switch (issuer->key) {
    case TD_X509_KEY_RSA:
        type = TD_KEY_RSA;
        break;
    case TD_X509_KEY_RSA_PSS:
        type = TD_KEY_RSA;
        if (rewrap_pss(issuer, buf, sizeof buf, &spki) != TD_OK)
            return TD_X509_UNSUPPORTED_KEY;
        break;
    case TD_X509_KEY_EC_P256:
        type = TD_KEY_EC_P256;
        break;
    case TD_X509_KEY_EC_P384:
        type = TD_KEY_EC_P384;
        break;
    case TD_X509_KEY_ED25519:
        type = TD_KEY_ED25519;
        break;
    default:
        return TD_X509_UNSUPPORTED_KEY;
    }
    e = td_key_from_spki(spki, type, key);
    if (e == TD_ERR_UNSUPPORTED)
        return TD_X509_UNSUPPORTED_KEY;
    /* a key that does not decode verifies nothing */
    return e == TD_OK ? TD_X509_OK : TD_X509_BAD_SIGNATURE;
}

/* The SignatureScheme that computes c's signature algorithm, with the
 * key family it needs (RFC 4055 1.2: an id-RSASSA-PSS key "MUST only be
 * used" for RSASSA-PSS), or the reason it cannot. */
static td_x509_reason scheme_for(const td_x509_cert *c, const td_x509_cert *issuer,
                                 uint16_t *scheme)
{
    const td_x509_alg *a = &c->sig_alg, *k = &issuer->spki_alg;
    td_x509_key issuer_key_type = issuer->key;
    int rsa = issuer_key_type == TD_X509_KEY_RSA, pss_key = issuer_key_type == TD_X509_KEY_RSA_PSS;
    int ec = issuer_key_type == TD_X509_KEY_EC_P256 || issuer_key_type == TD_X509_KEY_EC_P384;

    switch (a->sig) {
    case TD_X509_SIG_RSA_PKCS1_SHA256:
    case TD_X509_SIG_RSA_PKCS1_SHA384:
    case TD_X509_SIG_RSA_PKCS1_SHA512:
        *scheme = a->sig == TD_X509_SIG_RSA_PKCS1_SHA256   ? 0x0401
                  : a->sig == TD_X509_SIG_RSA_PKCS1_SHA384 ? 0x0501
                                                           : 0x0601;
        return rsa ? TD_X509_OK : TD_X509_SIG_KEY_MISMATCH;
    case TD_X509_SIG_RSA_PSS:
        if (!rsa && !pss_key)
            return TD_X509_SIG_KEY_MISMATCH;
        /* the parameters TLS uses (RFC 8446 4.2.3): MGF1 with the same
         * hash, the salt as long as the hash */
        if (a->pss_hash_len == 0 || a->pss_mgf_hash_len != a->pss_hash_len ||
            a->pss_salt_len != a->pss_hash_len)
            return TD_X509_UNSUPPORTED_SIG;
        /* RFC 4055 3.3: a PSS key with parameters signs only with the
         * same hash and mask, and a salt at least as long */
        if (pss_key && k->params.len > 0 &&
            (k->pss_hash_len != a->pss_hash_len || k->pss_mgf_hash_len != a->pss_mgf_hash_len ||
             a->pss_salt_len < k->pss_salt_len))
            return TD_X509_SIG_KEY_MISMATCH;
        *scheme = a->pss_hash_len == 32 ? 0x0804 : a->pss_hash_len == 48 ? 0x0805 : 0x0806;
        return TD_X509_OK;
    case TD_X509_SIG_ECDSA_SHA256:
    case TD_X509_SIG_ECDSA_SHA384:
    case TD_X509_SIG_ECDSA_SHA512:
        /* the hash of the code point, on the issuer's curve */
        *scheme = a->sig == TD_X509_SIG_ECDSA_SHA256   ? 0x0403
                  : a->sig == TD_X509_SIG_ECDSA_SHA384 ? 0x0503
                                                       : 0x0603;
        return ec ? TD_X509_OK : TD_X509_SIG_KEY_MISMATCH;
    case TD_X509_SIG_ED25519:
        *scheme = 0x0807;
        return issuer_key_type == TD_X509_KEY_ED25519 ? TD_X509_OK : TD_X509_SIG_KEY_MISMATCH;
    default:
        return TD_X509_UNSUPPORTED_SIG;
    }
}

td_x509_reason td_x509_check_signature(const td_x509_cert *c, const td_x509_cert *issuer)
{
    uint16_t scheme = 0;
    td_x509_reason r;
    td_key key;

    if (issuer->key == TD_X509_KEY_UNKNOWN || issuer->key == TD_X509_KEY_EC_OTHER)
        return c->sig_alg.sig == TD_X509_SIG_UNKNOWN ? TD_X509_UNSUPPORTED_SIG
                                                     : TD_X509_UNSUPPORTED_KEY;
    r = scheme_for(c, issuer, &scheme);
    if (r != TD_X509_OK)
        return r;
    r = issuer_key(issuer, &key);
    if (r != TD_X509_OK)
        return r;
    /* certificate signatures do not bind the curve (td_crypto.h) */
    return td_sig_verify(scheme, TD_SIG_CURVE_FREE, &key, c->tbs, c->signature) == TD_OK
               ? TD_X509_OK
               : TD_X509_BAD_SIGNATURE;
}

/* RFC 5280 6.1.4 (k): an issuer is a CA. */
static td_x509_reason check_ca(const td_x509_cert *ca)
{
    return ca->has_basic_constraints && ca->ca ? TD_X509_OK : TD_X509_NOT_CA;
}

/* RFC 5280 6.1.4 (l), (m): `below` non-self-issued intermediates lie
 * between this CA and the leaf. */
static td_x509_reason check_path_len(const td_x509_cert *ca, size_t below)
{
    return !ca->has_path_len || below <= ca->path_len ? TD_X509_OK : TD_X509_PATH_LEN;
}

/* RFC 5280 6.1.4 (n), 4.2.1.3: "the keyCertSign bit is asserted". */
static td_x509_reason check_ca_key_usage(const td_x509_cert *ca)
{
    return !ca->has_key_usage || (ca->key_usage & TD_X509_KU_KEY_CERT_SIGN)
               ? TD_X509_OK
               : TD_X509_CA_KEY_USAGE;
}

/* RFC 5280 4.2.1.3 for the TLS use of the leaf's key: signing
 * (digitalSignature), or for TLS 1.2 static RSA carrying the premaster
 * secret (keyEncipherment, RFC 5246 7.4.2). */
static td_x509_reason check_leaf_key_usage(const td_x509_cert *leaf, const td_x509_policy *p)
{
    unsigned need = p->key_encipherment ? TD_X509_KU_KEY_ENCIPHERMENT
                                        : TD_X509_KU_DIGITAL_SIGNATURE;

    return !leaf->has_key_usage || (leaf->key_usage & need) ? TD_X509_OK
                                                            : TD_X509_LEAF_KEY_USAGE;
}

/* RFC 5280 4.2.1.12: present, it must hold the purpose or
 * anyExtendedKeyUsage. */
static td_x509_reason check_eku(const td_x509_cert *leaf, td_x509_purpose purpose)
{
    td_span want = purpose == TD_X509_PURPOSE_SERVER ? td_x509_oid_server_auth
                                                     : td_x509_oid_client_auth;
    size_t i;

    if (!leaf->has_eku)
        return TD_X509_OK;
    for (i = 0; i < leaf->n_eku; i++)
        if (span_eq(leaf->eku[i], want) || span_eq(leaf->eku[i], td_x509_oid_any_eku))
            return TD_X509_OK;
    return TD_X509_EKU;
}

/* The leaf's key is one TLS can use here: a type the reference verifies
 * whose key material decodes as that type (RFC 3279 2.3.1: an
 * RSAPublicKey; RFC 5480 2.2: a point on the curve; RFC 8410 4), as the
 * handshake will load it to check the peer's CertificateVerify. */
static td_x509_reason check_leaf_key(const td_x509_cert *leaf)
{
    td_key key;

    switch (leaf->key) {
    case TD_X509_KEY_RSA:
    case TD_X509_KEY_RSA_PSS:
    case TD_X509_KEY_EC_P256:
    case TD_X509_KEY_EC_P384:
    case TD_X509_KEY_ED25519:
        /* a key that does not decode is no key TLS can use */
        return issuer_key(leaf, &key) == TD_X509_OK ? TD_X509_OK : TD_X509_UNSUPPORTED_KEY;
    default:
        return TD_X509_UNSUPPORTED_KEY;
    }
}

/* ---- path building ------------------------------------------------------ */

typedef struct builder {
    td_x509_work *w;
    size_t n_chain, n_anchors;
    int anchor_ok[TD_X509_MAX_ANCHORS];
    int used[TD_X509_MAX_CHAIN];
    size_t path[TD_X509_MAX_DEPTH];
    size_t len;
    td_x509_reason best; /* why no path, the most telling seen */
    size_t best_cert;
} builder;

static const td_x509_cert *cert_at(const builder *b, size_t i)
{
    return i >= TD_X509_MAX_CHAIN ? &b->w->anchors[i - TD_X509_MAX_CHAIN] : &b->w->chain[i];
}

/* A signature that did not verify says more than "no issuer found". */
static void note(builder *b, td_x509_reason r, size_t cert)
{
    if (b->best == TD_X509_NO_PATH || b->best == TD_X509_PATH_TOO_LONG) {
        b->best = r;
        b->best_cert = cert;
    }
}

/* Extend the path ending at presented certificate cur; 1 when it reaches
 * an anchor. */
static int extend(builder *b, size_t cur)
{
    const td_x509_cert *c = &b->w->chain[cur];
    size_t i;

    for (i = 0; i < b->n_anchors; i++) {
        td_x509_reason r;

        if (!b->anchor_ok[i] || !span_eq(b->w->anchors[i].subject.whole, c->issuer.whole))
            continue;
        r = td_x509_check_signature(c, &b->w->anchors[i]);
        if (r == TD_X509_OK) {
            b->path[b->len++] = ANCHOR(i);
            return 1;
        }
        note(b, r, cur);
    }
    if (b->len + 1 >= TD_X509_MAX_DEPTH) {
        note(b, TD_X509_PATH_TOO_LONG, cur);
        return 0;
    }
    for (i = 0; i < b->n_chain; i++) {
        td_x509_reason r;

        if (b->used[i] || !span_eq(b->w->chain[i].subject.whole, c->issuer.whole))
            continue;
        r = td_x509_check_signature(c, &b->w->chain[i]);
        if (r != TD_X509_OK) {
            note(b, r, cur);
            continue;
        }
        b->used[i] = 1;
        b->path[b->len++] = i;
        if (extend(b, i))
            return 1;
        b->len--;
        b->used[i] = 0;
    }
    return 0;
}

static int self_issued(const td_x509_cert *c)
{
    return span_eq(c->subject.whole, c->issuer.whole);
}

/* ---- the whole ---------------------------------------------------------- */

static td_x509_reason fail(td_x509_result *res, td_x509_reason r, size_t cert,
                           const td_x509_cert *c)
{
    char cn[64];
    size_t i, n = 0;

    if (c)
        for (i = 0; i < c->subject.cn.len && n + 1 < sizeof cn; i++) {
            uint8_t ch = c->subject.cn.p[i];
            cn[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
        }
    cn[n] = '\0';
    res->reason = r;
    res->cert = cert;
    if (r == TD_X509_OK)
        snprintf(res->detail, sizeof res->detail, "accepted, path of %zu", res->path_len);
    else
        snprintf(res->detail, sizeof res->detail, "%s at certificate %zu%s%s%s",
                 td_x509_reason_name(r), cert, n ? " (CN=" : "", cn, n ? ")" : "");
    return r;
}

/* RFC 5280 6.1.3, 6.1.4 along path[0..k) (presented certificates, leaf
 * first), issued from the anchor at path[k]. */
static td_x509_reason check_path(const builder *b, const td_x509_policy *p,
                                 td_x509_result *res)
{
    size_t k = b->len - 1, i, m;

    for (i = k; i-- > 0;) {
        const td_x509_cert *c = cert_at(b, b->path[i]);
        td_x509_reason r = td_x509_check_validity(c, p->now);

        if (r != TD_X509_OK)
            return fail(res, r, b->path[i], c);
        /* 6.1.3 (b), (c): the constraints of every CA above, unless c is
         * a self-issued intermediate */
        if (i == 0 || !self_issued(c))
            for (m = i + 1; m < k; m++) {
                r = td_x509_check_name_constraints(cert_at(b, b->path[m]), c);
                if (r != TD_X509_OK)
                    return fail(res, r, b->path[i], c);
            }
        if (i > 0) {
            size_t below = 0, j;

            for (j = 1; j < i; j++)
                below += !self_issued(cert_at(b, b->path[j]));
            if ((r = check_ca(c)) != TD_X509_OK || (r = check_path_len(c, below)) != TD_X509_OK ||
                (r = check_ca_key_usage(c)) != TD_X509_OK)
                return fail(res, r, b->path[i], c);
        }
    }
    return TD_X509_OK;
}

static td_x509_reason check_leaf(const td_x509_cert *leaf, const td_x509_policy *p,
                                 td_x509_result *res)
{
    td_x509_reason r = check_leaf_key(leaf);

    if (r == TD_X509_OK)
        r = check_leaf_key_usage(leaf, p);
    if (r == TD_X509_OK)
        r = check_eku(leaf, p->purpose);
    if (r == TD_X509_OK && p->purpose == TD_X509_PURPOSE_SERVER && p->host)
        r = td_x509_check_host(leaf, p->host);
    return r == TD_X509_OK ? TD_X509_OK : fail(res, r, 0, leaf);
}

td_x509_reason td_x509_verify(const td_span *chain, size_t n_chain, const td_span *anchors,
                              size_t n_anchors, const td_x509_policy *policy,
                              td_x509_work *work, td_x509_result *res)
{
    builder b;
    td_x509_reason r;
    size_t i;

    memset(res, 0, sizeof *res);
    memset(&b, 0, sizeof b);
    b.w = work;
    b.best = TD_X509_NO_PATH;
    if (n_chain == 0)
        return fail(res, TD_X509_EMPTY_CHAIN, 0, NULL);
    if (n_chain > TD_X509_MAX_CHAIN)
        return fail(res, TD_X509_LIMIT, TD_X509_MAX_CHAIN, NULL);
    b.n_chain = n_chain;
    b.n_anchors = n_anchors < TD_X509_MAX_ANCHORS ? n_anchors : TD_X509_MAX_ANCHORS;
    for (i = 0; i < n_chain; i++) {
        r = td_x509_decode(chain[i], &work->chain[i]);
        if (r != TD_X509_OK)
            return fail(res, r, i, NULL);
    }
    for (i = 0; i < b.n_anchors; i++)
        b.anchor_ok[i] = td_x509_decode(anchors[i], &work->anchors[i]) == TD_X509_OK;
    b.used[0] = 1;
    b.path[b.len++] = 0;
    for (i = 0; i < b.n_anchors; i++)
        if (b.anchor_ok[i] && span_eq(chain[0], anchors[i])) {
            b.path[b.len++] = ANCHOR(i); /* the leaf is an anchor */
            break;
        }
    if (b.len == 1 && !extend(&b, 0))
        return fail(res, b.best, b.best_cert, &work->chain[b.best_cert]);
    res->path_len = b.len;
    memcpy(res->path, b.path, b.len * sizeof b.path[0]);
    r = check_path(&b, policy, res);
    if (r != TD_X509_OK)
        return r;
    r = check_leaf(&work->chain[0], policy, res);
    if (r != TD_X509_OK)
        return r;
    return fail(res, TD_X509_OK, 0, NULL);
}
