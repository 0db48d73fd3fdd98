/*
 * td_x509_wolfssl: wolfSSL's verdict on a certificate chain, computed as
 * wolfSSL 5.7.2's TLS stack computes it when a peer's Certificate message
 * arrives. What follows reproduces ProcessPeerCerts (src/internal.c,
 * lines 14362-16085 of the pinned Debian tree 5.7.2-0.1+deb13u2) for this
 * build's settings (cmake/wolfssl/user_settings.h: OPENSSL_EXTRA,
 * WOLFSSL_ALWAYS_VERIFY_CB, WOLFSSL_VERIFY_CB_ALL_CERTS, KEEP_PEER_CERT,
 * SESSION_CERTS; no WOLFSSL_ALT_CERT_CHAINS, WOLFSSL_TRUST_PEER_CERT,
 * HAVE_CRL, HAVE_OCSP, WOLFSSL_SMALL_CERT_VERIFY, OPENSSL_ALL) with the
 * verify mode of the wolfSSL subject (WOLFSSL_VERIFY_PEER, a callback
 * that returns preverify, no PK callbacks, the context's default minimum
 * key sizes and verify depth).
 *
 * The steps, each with the line of src/internal.c it stands for:
 *
 *  0. Trust anchors: wolfSSL_CertManagerLoadCABuffer_ex, the route of
 *     wolfSSL_CTX_load_verify_locations (AddCA with WOLFSSL_USER_CA). One
 *     difference, on purpose: the anchors are loaded with
 *     WOLFSSL_LOAD_FLAG_DATE_ERR_OKAY, as if loaded while they were valid;
 *     wolfSSL never looks at an anchor's dates again after loading, and
 *     RFC 5280 6.1.1 (d) takes an anchor as input, not as a certificate to
 *     check. (The subject loads at the world's clock, so an anchor
 *     expired at that clock is a configuration error there.)
 *  1. No certificate (14639-14657): NO_PEER_CERT. (wolfSSL raises it for
 *     TLS 1.3 and for a TLS 1.2 server that requires a client
 *     certificate; a TLS 1.2 client goes on and fails later.)
 *  2. The leaf first, without verification (14684-14686, the OPENSSL_EXTRA
 *     untrusted-depth probe): ParseCertRelative(CERT_TYPE, NO_VERIFY).
 *     Any error here (a decoding error, ASN_CRIT_EXT_E; dates are not
 *     checked under NO_VERIFY) ends the walk before the chain is looked
 *     at, with no verify callback.
 *  3. The chain from the last certificate down to chain[1] (14722-15068):
 *     ParseCertRelative(CHAIN_CERT_TYPE, VERIFY) against the CAs known so
 *     far (14734; in ProcessPeerCertParse, 14146), then the key size
 *     check of ProcessPeerCertCheckKey (14225-14335, 14766). A certificate
 *     that verifies and has cA TRUE is added as a CA with AddCA(...,
 *     WOLFSSL_CHAIN_CA, NO_VERIFY) unless already known (15016-15047,
 *     the subject hash of ProcessPeerCertParse 14180-14187); AddCA itself
 *     refuses a non-self-signed CA without keyCertSign (NOT_CA_ERROR,
 *     src/ssl.c AddCA). One that verifies without cA TRUE is passed over
 *     (14776). Any error on any of them is fatal (15048-15063: the verify
 *     callback returns preverify, so the error stands, and there is no
 *     alternative-chain mode): a certificate that does not chain to what
 *     is known, even an unrelated extra one, fails the whole chain, and
 *     the order matters only through this walk from the end.
 *  4. The leaf with verification (15090): ParseCertRelative(CERT_TYPE,
 *     VERIFY) -- what wolfSSL_CertManagerVerifyBuffer runs
 *     (src/ssl_certman.c CM_VerifyBuffer_ex); both are run and must agree.
 *     A wolfSSL server (policy purpose CLIENT) records ASN_VERSION_E for
 *     a non-v3 leaf as a non-fatal last error (15138-15161). A decoding
 *     error is fatal (15176-15191); another error is not, because a
 *     verify callback is installed (15213-15219): the leaf checks below
 *     still run and each may replace the error code (with opts
 *     no_verify_callback, the error is fatal here, 15233-15237).
 *  5. The leaf checks, each overwriting the error code in this order
 *     (15423-15479, 15510-15565, 15567-15954):
 *       keyUsage (when present): keyEncipherment for a client under
 *         static RSA (KEYUSE_ENCIPHER_E), digitalSignature under a TLS 1.2
 *         signed key exchange (KEYUSE_SIGNATURE_E); nothing in TLS 1.3;
 *       extKeyUsage (when present): serverAuth or anyExtendedKeyUsage for
 *         a client, clientAuth or any for a server (EXTKEYUSE_AUTH_E);
 *       the host name set with wolfSSL_check_domain_name (the subject's
 *         call, also for IP literals; checked in either role, as wolfSSL
 *         checks whatever name was set): CheckForAltNames over the SANs when
 *         there are any, else MatchDomainName on the CN
 *         (DOMAIN_NAME_MISMATCH); an IP SAN takes part as its text
 *         form ("127.0.0.1", WOLFSSL_IP_ALT_NAME in user_settings.h);
 *       the public key decoded as the handshake will use it
 *         (PEER_KEY_ERROR) and, when that worked and nothing failed
 *         before, its size against the context's minimum (RSA_KEY_SIZE_E,
 *         ECC_KEY_SIZE_E).
 *  6. The last error when nothing else failed (15969-15972), then the
 *     verify callback, which leaves the code as it is (16005).
 * Length: wolfSSL reads at most MAX_CHAIN_DEPTH (9) certificates of a
 * message and records MAX_CHAIN_ERROR (14557-14566, with peerVerifyRet
 * X509_V_ERR_CERT_CHAIN_TOO_LONG); the walk then runs on the nine it read
 * (the probe of step 2 overwrites that code), and the unread rest of the
 * message fails it afterwards (TLS 1.2: DECODE_E, 17321). Here: a longer
 * chain is walked on its first nine, and when those pass the verdict is
 * MAX_CHAIN_ERROR about certificate 9. The verifyDepth + 1 checks (14885,
 * 15980) cannot trigger below that.
 *
 * The certificate manager is fresh for every call: in TLS, the CAs a chain
 * adds stay in the WOLFSSL_CTX's manager for later connections; here
 * every call starts from the anchors alone. The clock is policy->now: a
 * private world is bound for the call (wolfSSL reads time through XTIME ->
 * td_wolfssl_time, harness/core/td_wolfssl_hooks.c), and the caller's
 * binding is restored after.
 *
 * wolfssl/internal.h and wolfssl/wolfcrypt/asn.h are included for the
 * functions ProcessPeerCerts itself calls (ParseCertRelative, AddCA,
 * AlreadySigner, CheckForAltNames, MatchDomainName) and DecodedCert.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <wolfssl/wolfcrypt/settings.h> /* first: the build's settings */

#include <wolfssl/error-ssl.h>
#include <wolfssl/internal.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/rsa.h>

#include "td_world.h"
#include "td_x509_wolfssl.h"

/* ---- wolfSSL error code -> reason --------------------------------------- */

typedef struct reason_row {
    int err;
    td_x509_reason reason;
    const char *doc; /* the row's comment, for reports */
} reason_row;

static const reason_row reason_table[] = {
    /* validity (ValidateDate at the world's clock) */
    {ASN_AFTER_DATE_E, TD_X509_EXPIRED, "the clock is after notAfter"},
    {ASN_BEFORE_DATE_E, TD_X509_NOT_YET_VALID, "the clock is before notBefore"},
    /* path building */
    {ASN_NO_SIGNER_E, TD_X509_NO_PATH, "no known CA (anchor or CA added from the chain) issued it"},
    {ASN_SELF_SIGNED_E, TD_X509_NO_PATH, "self-signed and not an anchor (OPENSSL_ALL builds only)"},
    {NO_PEER_CERT, TD_X509_EMPTY_CHAIN, "no certificate presented"},
    {MAX_CHAIN_ERROR, TD_X509_PATH_TOO_LONG, "over wolfSSL's chain depth"},
    /* signatures */
    {ASN_SIG_CONFIRM_E, TD_X509_BAD_SIGNATURE,
     "the issuer's signature does not verify (ConfirmSignature maps every "
     "verification failure to this code)"},
    {ASN_SIG_OID_E, TD_X509_SIG_ALG_MISMATCH,
     "TBSCertificate.signature differs from signatureAlgorithm; raised by "
     "the signature check instead (the algorithm does not fit the issuer's "
     "key, SigOidMatchesKeyOid) it is reported as sig_key_mismatch"},
    {ASN_SIG_KEY_E, TD_X509_UNSUPPORTED_KEY, "the issuer's key type is not supported"},
    {ASN_SIG_HASH_E, TD_X509_UNSUPPORTED_SIG, "the signature's hash is not supported"},
    {SIG_TYPE_E, TD_X509_UNSUPPORTED_SIG, "the signature type is not compiled in"},
    {HASH_TYPE_E, TD_X509_UNSUPPORTED_SIG, "the hash type is not compiled in"},
    /* CA constraints */
    {ASN_PATHLEN_INV_E, TD_X509_PATH_LEN, "a CA below an issuer whose path length is used up"},
    {ASN_PATHLEN_SIZE_E, TD_X509_PATH_LEN, "pathLenConstraint over WOLFSSL_MAX_PATH_LEN"},
    {NOT_CA_ERROR, TD_X509_CA_KEY_USAGE,
     "a presented CA without keyCertSign, also when it has no keyUsage at "
     "all (AddCA, WOLFSSL_CHAIN_CA)"},
    {KEYUSAGE_E, TD_X509_NOT_CA,
     "keyUsage asserts keyCertSign without basicConstraints cA TRUE "
     "(RFC 5280 4.2.1.9), refused on any certificate (ParseCertRelative)"},
    {EXTKEYUSAGE_E, TD_X509_BAD_EXTENSION, "an extKeyUsage value wolfSSL refuses"},
    {ASN_NAME_INVALID_E, TD_X509_NAME_CONSTRAINTS, "a name outside the issuer's name constraints"},
    /* the leaf for TLS */
    {KEYUSE_SIGNATURE_E, TD_X509_LEAF_KEY_USAGE,
     "the leaf's keyUsage lacks digitalSignature (TLS 1.2 signed key exchange)"},
    {KEYUSE_ENCIPHER_E, TD_X509_LEAF_KEY_USAGE,
     "the leaf's keyUsage lacks keyEncipherment (TLS 1.2 static RSA)"},
    {EXTKEYUSE_AUTH_E, TD_X509_EKU,
     "the leaf's extKeyUsage has neither the role's purpose nor anyExtendedKeyUsage"},
    {DOMAIN_NAME_MISMATCH, TD_X509_NAME_MISMATCH,
     "the host name matches no SAN (or, without SANs, not the CN)"},
    {IPADDR_MISMATCH, TD_X509_NAME_MISMATCH,
     "the IP address does not match (X509_VERIFY_PARAM ip check)"},
    {PEER_KEY_ERROR, TD_X509_UNSUPPORTED_KEY,
     "the leaf's public key does not decode for the handshake"},
    {RSA_KEY_SIZE_E, TD_X509_UNSUPPORTED_KEY,
     "an RSA key under the minimum (WOLFSSL_MIN_RSA_BITS); the reference has "
     "no weak-key reason"},
    {ECC_KEY_SIZE_E, TD_X509_UNSUPPORTED_KEY,
     "an ECC key under the minimum (WOLFSSL_MIN_ECC_BITS); the reference has "
     "no weak-key reason"},
    /* decoding */
    {ASN_CRIT_EXT_E, TD_X509_UNKNOWN_CRITICAL, "a critical extension wolfSSL does not know"},
    {ASN_VERSION_E, TD_X509_BAD_VERSION,
     "a version wolfSSL refuses (or a server's non-v3 client certificate)"},
    {ECC_CURVE_OID_E, TD_X509_UNSUPPORTED_KEY, "an EC curve not compiled in"},
    {ASN_DH_KEY_E, TD_X509_UNSUPPORTED_KEY, "a key that does not decode as its type"},
    {ASN_ALT_NAME_E, TD_X509_BAD_EXTENSION, "a subjectAltName wolfSSL refuses"},
    {ASN_NO_SKID, TD_X509_BAD_EXTENSION, "subjectKeyIdentifier missing where required"},
    {ASN_NO_AKID, TD_X509_BAD_EXTENSION, "authorityKeyIdentifier missing where required"},
    {ASN_NO_KEYUSAGE, TD_X509_BAD_EXTENSION, "keyUsage missing where required"},
    {ASN_UNKNOWN_OID_E, TD_X509_BAD_DER,
     "an OID whose bytes differ from the known OID with the same sum"},
    {ASN_PARSE_E, TD_X509_BAD_DER, "the DER does not parse (structure, lengths, tags)"},
    {ASN_EXPECT_0_E, TD_X509_BAD_DER, "a BIT STRING or NULL with unexpected contents"},
    {ASN_BITSTR_E, TD_X509_BAD_DER, "a malformed BIT STRING"},
    {ASN_GETINT_E, TD_X509_BAD_DER, "an INTEGER that does not convert"},
    {ASN_OBJECT_ID_E, TD_X509_BAD_DER,
     "an OBJECT IDENTIFIER missing or malformed; also a second instance of "
     "a known extension (VERIFY_AND_SET_OID), the reference's duplicate_extension"},
    {ASN_TAG_NULL_E, TD_X509_BAD_DER, "NULL parameters expected"},
    {ASN_DATE_SZ_E, TD_X509_BAD_DER, "a time of the wrong size"},
    {ASN_TIME_E, TD_X509_BAD_DER, "a time of neither UTCTime nor GeneralizedTime"},
    {ASN_INPUT_E, TD_X509_BAD_DER, "not enough data"},
    {ASN_RSA_KEY_E, TD_X509_BAD_DER, "an RSA key that does not decode"},
    {ASN_ECC_KEY_E, TD_X509_BAD_DER, "an EC key that does not decode"},
    {ASN_LEN_E, TD_X509_BAD_DER, "an invalid ASN.1 length"},
    {ASN_DEPTH_E, TD_X509_BAD_DER, "ASN.1 nested too deep"},
    {BUFFER_E, TD_X509_LIMIT, "over one of wolfSSL's buffers"},
};

static const reason_row *reason_row_of(int err)
{
    size_t i;

    for (i = 0; i < sizeof reason_table / sizeof reason_table[0]; i++)
        if (reason_table[i].err == err)
            return &reason_table[i];
    return NULL;
}

td_x509_reason td_x509_wolfssl_reason(int err)
{
    const reason_row *r;

    if (err == 0)
        return TD_X509_OK;
    r = reason_row_of(err);
    return r ? r->reason : TD_X509_BAD_DER; /* the catch-all */
}

const char *td_x509_wolfssl_reason_doc(int err)
{
    const reason_row *r;

    if (err == 0)
        return "accepted";
    r = reason_row_of(err);
    return r ? r->doc : "not in the table: mapped to bad_der, the catch-all";
}

/* ---- the walk ------------------------------------------------------------ */

typedef struct walk {
    WOLFSSL_CERT_MANAGER *cm;
    const td_span *chain;
    size_t n;
    const td_x509_policy *policy;
    td_x509_wolfssl_kx kx;
    int no_cb;
    int client; /* wolfSSL is the TLS client: it checks a server's chain */
    int err;
    size_t cert;
} walk;

static const byte *bytes_of(td_span s)
{
    static const byte none[1];
    return s.p ? s.p : none;
}

static int is_decode_error(int ret)
{
    /* The codes ProcessPeerCerts treats as "could not parse" (15176). */
    return ret == ASN_PARSE_E || ret == BUFFER_E || ret == MEMORY_E || ret == BAD_FUNC_ARG;
}

/* ProcessPeerCertCheckKey (14225) with the context's default minimums
 * (InitSSL_Ctx: MIN_RSAKEY_SZ, MIN_ECCKEY_SZ, in bytes). */
static int check_chain_key(const DecodedCert *d)
{
    switch (d->keyOID) {
    case RSAk:
    case RSAPSSk:
        return d->pubKeySize < (word32)MIN_RSAKEY_SZ ? RSA_KEY_SIZE_E : 0;
    case ECDSAk:
        return d->pubKeySize < (word32)MIN_ECCKEY_SZ ? ECC_KEY_SIZE_E : 0;
    case ED25519k:
        return ED25519_KEY_SIZE < MIN_ECCKEY_SZ ? ECC_KEY_SIZE_E : 0;
    default:
        return 0;
    }
}

/* Step 2: the leaf decoded without verification (14684). */
static int leaf_probe(walk *w)
{
    DecodedCert d;
    int ret;

    InitDecodedCert(&d, bytes_of(w->chain[0]), (word32)w->chain[0].len, NULL);
    ret = ParseCertRelative(&d, CERT_TYPE, NO_VERIFY, w->cm, NULL);
    FreeDecodedCert(&d);
    return ret;
}

/* Step 3 for chain[i], i >= 1: verify, then add as a CA (14734-15063). */
static int chain_step(walk *w, size_t i)
{
    DecodedCert d;
    DerBuffer *add = NULL;
    const byte *subject_hash;
    int ret, already = 0;

    InitDecodedCert(&d, bytes_of(w->chain[i]), (word32)w->chain[i].len, NULL);
    ret = ParseCertRelative(&d, CHAIN_CERT_TYPE, VERIFY, w->cm, NULL);
    if (ret == 0 || ret == ASN_BEFORE_DATE_E || ret == ASN_AFTER_DATE_E) {
        /* ProcessPeerCertParse (14182): the SKID when an AKID was read */
        subject_hash = d.extAuthKeyIdSet ? d.extSubjKeyId : d.subjectHash;
        already = AlreadySigner(w->cm, (byte *)subject_hash);
    }
    if (ret == 0)
        ret = check_chain_key(&d);
    if (ret == 0 && d.isCA && !already) {
        ret = wc_AllocDer(&add, (word32)w->chain[i].len, CA_TYPE, NULL);
        if (ret == 0) {
            memcpy(add->buffer, bytes_of(w->chain[i]), w->chain[i].len);
            ret = AddCA(w->cm, &add, WOLFSSL_CHAIN_CA, NO_VERIFY); /* frees add */
            if (ret == WOLFSSL_SUCCESS)
                ret = 0;
        }
    }
    FreeDecodedCert(&d);
    return ret;
}

/* Step 5, the public key as the handshake decodes it (15567-15954). */
static int leaf_key(const DecodedCert *d, int ret)
{
    word32 idx = 0;
    int bad;

    switch (d->keyOID) {
    case RSAk:
    case RSAPSSk: {
        RsaKey k;
        if (wc_InitRsaKey(&k, NULL) != 0)
            return PEER_KEY_ERROR;
        bad = wc_RsaPublicKeyDecode(d->publicKey, &idx, &k, d->pubKeySize) != 0;
        if (bad)
            ret = PEER_KEY_ERROR;
        else if (ret == 0 && wc_RsaEncryptSize(&k) < MIN_RSAKEY_SZ)
            ret = RSA_KEY_SIZE_E;
        wc_FreeRsaKey(&k);
        return ret;
    }
    case ECDSAk: {
        ecc_key k;
        if (wc_ecc_init(&k) != 0)
            return PEER_KEY_ERROR;
        bad = wc_EccPublicKeyDecode(d->publicKey, &idx, &k, d->pubKeySize) != 0;
        if (bad)
            ret = PEER_KEY_ERROR;
        else if (ret == 0 && wc_ecc_size(&k) < MIN_ECCKEY_SZ)
            ret = ECC_KEY_SIZE_E;
        wc_ecc_free(&k);
        return ret;
    }
    case ED25519k: {
        ed25519_key k;
        if (wc_ed25519_init(&k) != 0)
            return PEER_KEY_ERROR;
        bad = wc_ed25519_import_public(d->publicKey, d->pubKeySize, &k) != 0;
        if (bad)
            ret = PEER_KEY_ERROR;
        else if (ret == 0 && ED25519_KEY_SIZE < MIN_ECCKEY_SZ)
            ret = ECC_KEY_SIZE_E;
        wc_ed25519_free(&k);
        return ret;
    }
    default:
        return ret;
    }
}

/* Step 5, the rest (15423-15565). */
static int leaf_checks(const walk *w, DecodedCert *d, int ret)
{
    const char *host = w->policy->host;

    if (d->extKeyUsageSet) {
        if (w->kx == TD_X509_WOLFSSL_KX_STATIC_RSA && w->client &&
            (d->extKeyUsage & KEYUSE_KEY_ENCIPHER) == 0)
            ret = KEYUSE_ENCIPHER_E;
        if (w->kx == TD_X509_WOLFSSL_KX_SIGNED && (d->extKeyUsage & KEYUSE_DIGITAL_SIG) == 0)
            ret = KEYUSE_SIGNATURE_E;
    }
    if (d->extExtKeyUsageSet) {
        byte want = w->client ? EXTKEYUSE_SERVER_AUTH : EXTKEYUSE_CLIENT_AUTH;
        if ((d->extExtKeyUsage & (EXTKEYUSE_ANY | want)) == 0)
            ret = EXTKEYUSE_AUTH_E;
    }
    if (host) {
        word32 len = (word32)strlen(host);
        if (d->altNames) {
            if (CheckForAltNames(d, host, len, NULL) != 1)
                ret = DOMAIN_NAME_MISMATCH;
        } else if (MatchDomainName(d->subjectCN, d->subjectCNLen, host, len) == 0) {
            ret = DOMAIN_NAME_MISMATCH;
        }
    }
    return leaf_key(d, ret);
}

/* Steps 4 to 6. TD_ERR_INTERNAL when the certificate manager's verdict on
 * the leaf and the parse the checks read disagree. */
static td_err leaf_step(walk *w)
{
    DecodedCert d;
    int cm_ret, ret, last = 0;

    cm_ret = wolfSSL_CertManagerVerifyBuffer(w->cm, bytes_of(w->chain[0]), (long)w->chain[0].len,
                                             WOLFSSL_FILETYPE_ASN1);
    if (cm_ret == WOLFSSL_SUCCESS)
        cm_ret = 0;
    InitDecodedCert(&d, bytes_of(w->chain[0]), (word32)w->chain[0].len, NULL);
    ret = ParseCertRelative(&d, CERT_TYPE, VERIFY, w->cm, NULL);
    w->cert = 0;
    if (ret != cm_ret) {
        FreeDecodedCert(&d);
        return TD_ERR_INTERNAL;
    }
    if (ret == 0) {
        if (!w->client && d.version != WOLFSSL_X509_V3)
            last = ASN_VERSION_E;
    } else if (is_decode_error(ret) || w->no_cb) {
        w->err = ret;
        FreeDecodedCert(&d);
        return TD_OK;
    }
    ret = leaf_checks(w, &d, ret);
    if (last != 0 && ret == 0)
        ret = last;
    w->err = ret;
    FreeDecodedCert(&d);
    return TD_OK;
}

static td_err run_walk(walk *w)
{
    size_t i, presented = w->n;
    int ret;
    td_err e;

    if (w->n == 0) {
        w->err = NO_PEER_CERT;
        return TD_OK;
    }
    if (w->n > MAX_CHAIN_DEPTH)
        w->n = MAX_CHAIN_DEPTH; /* what wolfSSL reads (14557) */
    ret = leaf_probe(w);
    if (ret != 0) {
        w->err = ret;
        w->cert = 0;
        return TD_OK;
    }
    for (i = w->n - 1; i >= 1; i--) {
        ret = chain_step(w, i);
        if (ret != 0) {
            w->err = ret;
            w->cert = i;
            return TD_OK;
        }
    }
    e = leaf_step(w);
    if (e == TD_OK && w->err == 0 && presented > w->n) {
        w->err = MAX_CHAIN_ERROR;
        w->cert = w->n;
    }
    return e;
}

/* ASN_SIG_OID_E names two checks; the one that needs no issuer is the
 * decoder's, so a certificate that decodes without it failed the other. */
static td_x509_reason refine_reason(const walk *w)
{
    DecodedCert d;
    int ret;

    if (w->err != ASN_SIG_OID_E || w->cert >= w->n)
        return td_x509_wolfssl_reason(w->err);
    InitDecodedCert(&d, bytes_of(w->chain[w->cert]), (word32)w->chain[w->cert].len, NULL);
    ret = ParseCertRelative(&d, CHAIN_CERT_TYPE, NO_VERIFY, w->cm, NULL);
    FreeDecodedCert(&d);
    return ret == ASN_SIG_OID_E ? TD_X509_SIG_ALG_MISMATCH : TD_X509_SIG_KEY_MISMATCH;
}

static void load_anchors(WOLFSSL_CERT_MANAGER *cm, const td_span *anchors, size_t n,
                         td_x509_wolfssl_result *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int rc = anchors[i].len == 0
                     ? BAD_FUNC_ARG
                     : wolfSSL_CertManagerLoadCABuffer_ex(
                           cm, bytes_of(anchors[i]), (long)anchors[i].len, WOLFSSL_FILETYPE_ASN1, 0,
                           WOLFSSL_LOAD_FLAG_DATE_ERR_OKAY);
        if (rc == WOLFSSL_SUCCESS)
            out->anchors_loaded++;
        else if (out->anchor_err == 0)
            out->anchor_err = rc;
    }
}

static int spans_fit(const td_span *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i].len > 0xffffffu || (!s[i].p && s[i].len)) /* a TLS uint24 */
            return 0;
    return 1;
}

td_err td_x509_wolfssl_verify_opts(const td_span *chain, size_t n_chain, const td_span *anchors,
                                   size_t n_anchors, const td_x509_policy *policy,
                                   const td_x509_wolfssl_opts *opts, td_x509_wolfssl_result *out)
{
    static int initialised;
    td_world world;
    td_binding prev;
    walk w;
    td_err e = TD_OK;

    if (!out || !policy || (n_chain && !chain) || (n_anchors && !anchors))
        return TD_ERR_INTERNAL;
    memset(out, 0, sizeof *out);
    if (n_chain > TD_X509_WOLFSSL_MAX_CERTS || n_anchors > TD_X509_WOLFSSL_MAX_CERTS ||
        !spans_fit(chain, n_chain) || !spans_fit(anchors, n_anchors))
        return TD_ERR_NOSPACE;

    memset(&w, 0, sizeof w);
    w.chain = chain;
    w.n = n_chain;
    w.policy = policy;
    w.kx = opts ? opts->kx : TD_X509_WOLFSSL_KX_POLICY;
    if (w.kx == TD_X509_WOLFSSL_KX_POLICY)
        w.kx = policy->key_encipherment ? TD_X509_WOLFSSL_KX_STATIC_RSA : TD_X509_WOLFSSL_KX_SIGNED;
    w.no_cb = opts ? opts->no_verify_callback : 0;
    w.client = policy->purpose == TD_X509_PURPOSE_SERVER;

    td_world_init(&world, 0);
    world.clock = policy->now;
    prev = td_world_bind(&world, TD_PARTY_PEER);
    if (!initialised) {
        wolfSSL_Init();
        initialised = 1;
    }
    w.cm = wolfSSL_CertManagerNew();
    if (!w.cm) {
        e = TD_ERR_LIBRARY;
        goto cleanup;
    }
    load_anchors(w.cm, anchors, n_anchors, out);
    e = run_walk(&w);
    if (e != TD_OK)
        goto cleanup;
    out->accept = w.err == 0;
    out->err = w.err;
    out->cert = w.cert;
    out->reason = refine_reason(&w);
    if (w.err != 0)
        wolfSSL_ERR_error_string_n((unsigned long)w.err, out->err_name, sizeof out->err_name);

cleanup:
    wolfSSL_CertManagerFree(w.cm);
    td_world_restore(prev);
    td_world_free(&world);
    return e;
}

td_err td_x509_wolfssl_verify(const td_span *chain, size_t n_chain, const td_span *anchors,
                              size_t n_anchors, const td_x509_policy *policy,
                              td_x509_wolfssl_result *out)
{
    return td_x509_wolfssl_verify_opts(chain, n_chain, anchors, n_anchors, policy, NULL, out);
}
