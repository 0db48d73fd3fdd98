/*
 * td_x509_wolfssl: wolfSSL's verdict on a certificate chain, reached the
 * way wolfSSL's own TLS code reaches it for a peer's Certificate message
 * (ProcessPeerCerts, src/internal.c), so that it can be set beside the
 * reference's td_x509_verify for the same chain, anchors and policy.
 *
 * The chain runs through a fresh WOLFSSL_CERT_MANAGER per call (anchors
 * loaded, presented CAs added while the chain is walked, all dropped at
 * the end), with the clock at policy->now. harness/subject/td_x509_wolfssl.c
 * has the step-by-step correspondence with src/internal.c and the table
 * from wolfSSL's error codes to td_x509_reason.
 */
#ifndef TD_X509_WOLFSSL_H
#define TD_X509_WOLFSSL_H

#include "td_bytes.h"
#include "td_err.h"
#include "td_x509.h"

#include <stddef.h>

/* Certificates presented, and anchors, per call: wolfSSL itself reads at
 * most 9 of a chain (its MAX_CHAIN_DEPTH; a longer one ends in
 * MAX_CHAIN_ERROR), this is only the adapter's bound on its input. */
#define TD_X509_WOLFSSL_MAX_CERTS 32u

/* What of the connection wolfSSL's leaf keyUsage check reads (ssl->specs
 * of the negotiated suite, src/internal.c ProcessPeerCerts, "#ifndef
 * IGNORE_KEY_EXTENSIONS"). */
typedef enum td_x509_wolfssl_kx {
    /* From the policy: STATIC_RSA when policy->key_encipherment, else
     * SIGNED (the reference's reading of RFC 5246 7.4.2). */
    TD_X509_WOLFSSL_KX_POLICY = 0,
    /* A TLS 1.3 suite: specs.kea and specs.sig_algo are 0 (src/keys.c,
     * SetCipherSpecs), so wolfSSL checks no keyUsage at all. */
    TD_X509_WOLFSSL_KX_TLS13,
    /* A TLS 1.2 (EC)DHE_RSA / ECDHE_ECDSA suite: digitalSignature when
     * keyUsage is present. */
    TD_X509_WOLFSSL_KX_SIGNED,
    /* A TLS 1.2 TLS_RSA_* suite (kea rsa_kea): keyEncipherment when
     * keyUsage is present, checked by the client only. */
    TD_X509_WOLFSSL_KX_STATIC_RSA,
} td_x509_wolfssl_kx;

typedef struct td_x509_wolfssl_opts {
    td_x509_wolfssl_kx kx;
    /* 0 (default): as the wolfSSL subject (td_subject_wolfssl.c), whose
     * verify callback observes and returns preverify: a failure of the
     * leaf's own verification is then not fatal at once, and a later leaf
     * check (keyUsage, extKeyUsage, host name, key) may replace its error
     * code. 1: as a WOLFSSL with no verify callback, where that failure
     * ends the walk. */
    int no_verify_callback;
} td_x509_wolfssl_opts;

typedef struct td_x509_wolfssl_result {
    int accept;            /* wolfSSL accepted the chain for the policy */
    int err;               /* wolfSSL's error code (0 when accepted) */
    char err_name[80];     /* wolfSSL_ERR_error_string_n of err */
    td_x509_reason reason; /* err in the reference's terms (TD_X509_OK
                              when accepted): td_x509_wolfssl_reason(err),
                              except ASN_SIG_OID_E raised by the signature
                              check (the certificate decodes without it):
                              TD_X509_SIG_KEY_MISMATCH */
    size_t cert;           /* which presented certificate err is about,
                              0 = leaf (also for the leaf checks) */
    size_t anchors_loaded; /* anchors wolfSSL took */
    int anchor_err;        /* the first anchor's load error, or 0 */
} td_x509_wolfssl_result;

/* wolfSSL's verdict on chain[0..n_chain) (the leaf first, in the order a
 * peer sends it) with the DER trust anchors, at policy->now, for
 * policy->purpose (SERVER: wolfSSL as the TLS client; CLIENT: as the
 * server) and policy->host (NULL: no name check; checked in either role,
 * as wolfSSL checks whatever name it was given). An anchor wolfSSL does
 * not load is skipped (counted in out). Returns TD_OK with the verdict in
 * *out, TD_ERR_NOSPACE over TD_X509_WOLFSSL_MAX_CERTS (either list) or a
 * certificate over 2^24 - 1 bytes, or
 * TD_ERR_LIBRARY when wolfSSL cannot be set up. Deterministic; binds its
 * own world for the call and restores the caller's binding. */
TD_MUST_USE td_err td_x509_wolfssl_verify(const td_span *chain, size_t n_chain,
                                          const td_span *anchors, size_t n_anchors,
                                          const td_x509_policy *policy,
                                          td_x509_wolfssl_result *out);
/* The same with the connection details (opts NULL: all defaults). */
TD_MUST_USE td_err td_x509_wolfssl_verify_opts(const td_span *chain, size_t n_chain,
                                               const td_span *anchors, size_t n_anchors,
                                               const td_x509_policy *policy,
                                               const td_x509_wolfssl_opts *opts,
                                               td_x509_wolfssl_result *out);

/* The mapping table: wolfSSL error code -> reason (an unlisted code is
 * TD_X509_BAD_DER, the catch-all), and the table row's comment (for an
 * unlisted code, a line saying so). */
td_x509_reason td_x509_wolfssl_reason(int err);
const char *td_x509_wolfssl_reason_doc(int err);

#endif
