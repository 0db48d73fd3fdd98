/*
 * td_x509: the reference's X.509 certificates (RFC 5280 4) and path
 * validation (RFC 5280 6, RFC 6125, RFC 8446 4.4.2.2). No allocation: a
 * decoded certificate is scalars and spans into the DER it came from, and
 * every list has a fixed maximum (over it: TD_X509_LIMIT).
 *
 * Decoding keeps two things side by side:
 *   - the raw parts (names, extensions as OID/critical/value, the SPKI),
 *     from which td_x509_encode rebuilds the same bytes:
 *     encode(decode(der)) == der for every certificate decode accepts;
 *   - the meaning of the known extensions (basicConstraints, keyUsage,
 *     ...), which path validation reads.
 * The mutator edits the raw parts (putting new values in its own storage)
 * and re-encodes; td_x509_decode of the result gives the new meaning.
 *
 * Path validation is one function per check (td_x509_verify.c), each with
 * its own reason below; td_x509_reason_alert maps a reason to the alert
 * RFC 8446 6.2 / RFC 5246 7.2.2 prescribe.
 */
#ifndef TD_X509_H
#define TD_X509_H

#include "td_bytes.h"
#include "td_der.h"

#include <stdint.h>

/* Fixed maxima (documented limits, not RFC ones). */
#define TD_X509_MAX_CERT_LEN 8192u /* bytes of one certificate */
#define TD_X509_MAX_CHAIN 8u       /* certificates presented */
#define TD_X509_MAX_ANCHORS 8u     /* trust anchors */
#define TD_X509_MAX_DEPTH 6u       /* certificates on a built path, anchor included */
#define TD_X509_MAX_EXTS 24u       /* extensions of one certificate */
#define TD_X509_MAX_SAN 32u        /* subjectAltName entries */
#define TD_X509_MAX_EKU 16u        /* extKeyUsage purposes */
#define TD_X509_MAX_SUBTREES 16u   /* per permitted / excluded list */
#define TD_X509_MAX_NAME_ATTRS 16u /* AttributeTypeAndValue per Name */

/* ---- algorithms and keys ---------------------------------------------- */

/* The signature algorithms the reference verifies (RFC 4055, RFC 5758
 * 3.2, RFC 8410 3). */
typedef enum td_x509_sig {
    TD_X509_SIG_UNKNOWN = 0,
    TD_X509_SIG_RSA_PKCS1_SHA256, /* sha256WithRSAEncryption, params NULL */
    TD_X509_SIG_RSA_PKCS1_SHA384,
    TD_X509_SIG_RSA_PKCS1_SHA512,
    TD_X509_SIG_RSA_PSS,          /* id-RSASSA-PSS with RSASSA-PSS-params */
    TD_X509_SIG_ECDSA_SHA256,     /* ecdsa-with-SHA256, params absent */
    TD_X509_SIG_ECDSA_SHA384,
    TD_X509_SIG_ECDSA_SHA512,
    TD_X509_SIG_ED25519,          /* id-Ed25519, params absent */
} td_x509_sig;

typedef enum td_x509_key {
    TD_X509_KEY_UNKNOWN = 0,
    TD_X509_KEY_RSA,     /* rsaEncryption, params NULL */
    TD_X509_KEY_RSA_PSS, /* id-RSASSA-PSS (RFC 4055 1.2), params optional */
    TD_X509_KEY_EC_P256, /* id-ecPublicKey, namedCurve secp256r1 */
    TD_X509_KEY_EC_P384,
    TD_X509_KEY_EC_OTHER, /* id-ecPublicKey, another or explicit curve */
    TD_X509_KEY_ED25519,
} td_x509_key;

typedef struct td_x509_alg {
    td_span whole;  /* the AlgorithmIdentifier element */
    td_span oid;    /* OID contents */
    td_span params; /* the parameters element (tag included), or empty */
    td_x509_sig sig;
    /* RSASSA-PSS-params (RFC 4055 3.1), when sig is TD_X509_SIG_RSA_PSS:
     * the hash (SHA-256/384/512 as 32/48/64), MGF1's hash, the salt
     * length; 0 where a value is not one the reference verifies. */
    unsigned pss_hash_len, pss_mgf_hash_len, pss_salt_len;
} td_x509_alg;

/* ---- names ------------------------------------------------------------ */

typedef struct td_x509_attr {
    td_span oid;   /* AttributeType contents */
    uint8_t tag;   /* the value's string tag */
    td_span value; /* the value's contents */
} td_x509_attr;

typedef struct td_x509_name {
    td_span whole; /* the Name element (compared as bytes, RFC 5280 7.1) */
    size_t n_attrs;
    td_x509_attr attrs[TD_X509_MAX_NAME_ATTRS]; /* in order, RDNs flattened */
    td_span cn; /* the last commonName value (RFC 6125 6.4.4), or empty */
} td_x509_name;

/* GeneralName (RFC 5280 4.2.1.6): the context tag and its contents. */
enum {
    TD_X509_GN_OTHER = 0, /* [0] otherName, constructed */
    TD_X509_GN_EMAIL = 1, /* [1] rfc822Name */
    TD_X509_GN_DNS = 2,   /* [2] dNSName */
    TD_X509_GN_X400 = 3,
    TD_X509_GN_DIR = 4,   /* [4] directoryName, constructed */
    TD_X509_GN_EDI = 5,
    TD_X509_GN_URI = 6,
    TD_X509_GN_IP = 7,    /* [7] iPAddress: 4 or 16 octets; in name
                             constraints 8 or 32 (address and mask) */
    TD_X509_GN_RID = 8,
};

typedef struct td_x509_gname {
    uint8_t type;  /* TD_X509_GN_* */
    td_span value; /* contents (for [4], the Name element inside) */
} td_x509_gname;

/* ---- extensions --------------------------------------------------------- */

typedef enum td_x509_ext_id {
    TD_X509_EXT_OTHER = 0,
    TD_X509_EXT_BASIC_CONSTRAINTS,
    TD_X509_EXT_KEY_USAGE,
    TD_X509_EXT_EXT_KEY_USAGE,
    TD_X509_EXT_SUBJECT_ALT_NAME,
    TD_X509_EXT_NAME_CONSTRAINTS,
    TD_X509_EXT_AUTHORITY_KEY_ID,
    TD_X509_EXT_SUBJECT_KEY_ID,
    TD_X509_EXT_CERTIFICATE_POLICIES,
} td_x509_ext_id;

typedef struct td_x509_ext {
    td_span oid;        /* extnID contents */
    int critical;       /* the value */
    int critical_field; /* 1 when the BOOLEAN was present (DER: only when
                           TRUE, X.690 11.5; FALSE present is refused) */
    td_span value;      /* extnValue OCTET STRING contents */
    td_x509_ext_id id;
} td_x509_ext;

/* KeyUsage bits (RFC 5280 4.2.1.3), bit n as (1u << n). */
enum {
    TD_X509_KU_DIGITAL_SIGNATURE = 1u << 0,
    TD_X509_KU_NON_REPUDIATION = 1u << 1,
    TD_X509_KU_KEY_ENCIPHERMENT = 1u << 2,
    TD_X509_KU_DATA_ENCIPHERMENT = 1u << 3,
    TD_X509_KU_KEY_AGREEMENT = 1u << 4,
    TD_X509_KU_KEY_CERT_SIGN = 1u << 5,
    TD_X509_KU_CRL_SIGN = 1u << 6,
    TD_X509_KU_ENCIPHER_ONLY = 1u << 7,
    TD_X509_KU_DECIPHER_ONLY = 1u << 8,
};

/* ---- the certificate ---------------------------------------------------- */

typedef struct td_x509_cert {
    td_span der; /* the whole Certificate */
    td_span tbs; /* the TBSCertificate element: what is signed */
    int version; /* 0 (v1), 1 (v2), 2 (v3) */
    int version_field; /* 1 when [0] was present (DER: absent for v1) */
    td_span serial;    /* INTEGER contents (may be negative: kept, judged
                          by validation, RFC 5280 4.1.2.2) */
    td_x509_alg tbs_sig; /* TBSCertificate.signature */
    td_x509_name issuer, subject;
    uint8_t not_before_tag, not_after_tag;
    int64_t not_before, not_after; /* seconds since the epoch */
    td_span issuer_uid, subject_uid; /* [1] [2] contents, or empty */
    int has_issuer_uid, has_subject_uid;

    td_span spki;     /* the SubjectPublicKeyInfo element */
    td_x509_alg spki_alg; /* its AlgorithmIdentifier (sig unused) */
    td_x509_key key;
    td_span key_bits; /* subjectPublicKey's bits */

    int has_extensions; /* [3] present */
    size_t n_exts;
    td_x509_ext exts[TD_X509_MAX_EXTS];

    td_x509_alg sig_alg; /* Certificate.signatureAlgorithm */
    td_span signature;   /* signatureValue's bits */

    /* The meaning of the known extensions (valid when has_*). */
    int has_basic_constraints, ca, has_path_len;
    uint64_t path_len;
    int has_key_usage;
    unsigned key_usage; /* TD_X509_KU_* */
    int has_eku;
    size_t n_eku;
    td_span eku[TD_X509_MAX_EKU]; /* KeyPurposeId OID contents */
    int has_san;
    size_t n_san;
    td_x509_gname san[TD_X509_MAX_SAN];
    int has_name_constraints;
    size_t n_permitted, n_excluded;
    td_x509_gname permitted[TD_X509_MAX_SUBTREES], excluded[TD_X509_MAX_SUBTREES];
    td_span authority_key_id; /* keyIdentifier [0] contents, or empty */
    td_span subject_key_id;
    td_span policies;         /* certificatePolicies value, kept opaque */
} td_x509_cert;

/* ---- reasons ------------------------------------------------------------ */

typedef enum td_x509_reason {
    TD_X509_OK = 0,
    /* decoding (td_x509_decode) */
    TD_X509_BAD_DER,           /* a DER rule (td_der_failure_last says which) */
    TD_X509_LIMIT,             /* a fixed maximum above */
    TD_X509_BAD_VERSION,       /* not v1..v3, v1/v2 with extensions, or
                                  [0] present with v1 (DER default) */
    TD_X509_SIG_ALG_MISMATCH,  /* TBSCertificate.signature differs from
                                  signatureAlgorithm (RFC 5280 4.1.1.2) */
    TD_X509_DUPLICATE_EXTENSION, /* RFC 5280 4.2: "MUST NOT include more
                                    than one instance" */
    TD_X509_BAD_EXTENSION,     /* a known extension that does not decode */
    TD_X509_UNKNOWN_CRITICAL,  /* RFC 5280 4.2: "MUST reject" */
    TD_X509_BAD_SERIAL,        /* negative, zero or over 20 octets
                                  (RFC 5280 4.1.2.2) */
    TD_X509_UNSUPPORTED_KEY,   /* a key type or curve not verified here */
    TD_X509_UNSUPPORTED_SIG,   /* a signature algorithm not verified here */
    /* path validation (td_x509_verify) */
    TD_X509_EMPTY_CHAIN,
    TD_X509_NO_PATH,           /* no path to a trust anchor (unknown_ca) */
    TD_X509_PATH_TOO_LONG,
    TD_X509_SIG_KEY_MISMATCH,  /* the algorithm does not fit the issuer's
                                  key type or parameters */
    TD_X509_BAD_SIGNATURE,
    TD_X509_EXPIRED,           /* now > notAfter */
    TD_X509_NOT_YET_VALID,     /* now < notBefore */
    TD_X509_NOT_CA,            /* an issuer without cA TRUE (6.1.4 (k)) */
    TD_X509_PATH_LEN,          /* pathLenConstraint exceeded (6.1.4 (l)) */
    TD_X509_CA_KEY_USAGE,      /* an issuer's keyUsage without keyCertSign
                                  (6.1.4 (n)) */
    TD_X509_LEAF_KEY_USAGE,    /* the leaf's keyUsage does not allow the
                                  TLS use */
    TD_X509_EKU,               /* extKeyUsage without serverAuth /
                                  clientAuth (or anyExtendedKeyUsage) */
    TD_X509_NAME_MISMATCH,     /* the host name is not the certificate's */
    TD_X509_NAME_CONSTRAINTS,  /* a name outside a CA's constraints */
    TD_X509_N_REASONS
} td_x509_reason;

/* "not_ca", ... */
const char *td_x509_reason_name(td_x509_reason r);
/* The alert for a reason (td_err alert value):
 *   bad_certificate          BAD_DER, LIMIT, BAD_VERSION, SIG_ALG_MISMATCH,
 *                            DUPLICATE_EXTENSION, BAD_EXTENSION,
 *                            BAD_SERIAL, EMPTY_CHAIN, SIG_KEY_MISMATCH,
 *                            BAD_SIGNATURE, NOT_CA, PATH_LEN,
 *                            CA_KEY_USAGE, LEAF_KEY_USAGE, EKU,
 *                            NAME_MISMATCH, NAME_CONSTRAINTS
 *   unsupported_certificate  UNKNOWN_CRITICAL, UNSUPPORTED_KEY,
 *                            UNSUPPORTED_SIG
 *   certificate_expired      EXPIRED, NOT_YET_VALID ("has expired or is
 *                            not currently valid", RFC 8446 6.2)
 *   unknown_ca               NO_PATH, PATH_TOO_LONG
 * (RFC 8446 6.2; RFC 5246 7.2.2.) */
td_err td_x509_reason_alert(td_x509_reason r);

/* ---- decoding and encoding ---------------------------------------------- */

/* Decode one certificate: every DER rule, the structure of RFC 5280 4.1,
 * the known extensions. TD_X509_OK or the first problem; on failure *out
 * is partly filled (diagnostics only). */
td_x509_reason td_x509_decode(td_span der, td_x509_cert *out);

/* The Certificate from the raw parts of c (der, tbs and the meaning
 * fields are not read): version, serial, the two algorithms' `whole`,
 * issuer/subject `whole`, the times with their tags, the unique IDs, the
 * SPKI, the extensions (oid, critical_field/critical, value), the
 * signature. encode(decode(der)) == der. */
TD_MUST_USE td_err td_x509_encode(td_wr *wr, const td_x509_cert *c);
/* Only the TBSCertificate (for signing). */
TD_MUST_USE td_err td_x509_encode_tbs(td_wr *wr, const td_x509_cert *c);

/* Extension values, for the mutator and the tests: the contents of
 * extnValue for the meaning given. */
TD_MUST_USE td_err td_x509_encode_basic_constraints(td_wr *wr, int ca, int has_path_len,
                                                    uint64_t path_len);
TD_MUST_USE td_err td_x509_encode_key_usage(td_wr *wr, unsigned key_usage);
TD_MUST_USE td_err td_x509_encode_eku(td_wr *wr, const td_span *oids, size_t n);
TD_MUST_USE td_err td_x509_encode_general_names(td_wr *wr, const td_x509_gname *names,
                                                size_t n);
TD_MUST_USE td_err td_x509_encode_name_constraints(td_wr *wr, const td_x509_gname *permitted,
                                                   size_t n_permitted,
                                                   const td_x509_gname *excluded,
                                                   size_t n_excluded);
/* A Name of one RDN per attribute, in order. */
TD_MUST_USE td_err td_x509_encode_name(td_wr *wr, const td_x509_attr *attrs, size_t n);

/* OID contents of the known extensions and purposes, for callers that
 * build certificates. */
extern const td_span td_x509_oid_basic_constraints, td_x509_oid_key_usage,
    td_x509_oid_ext_key_usage, td_x509_oid_subject_alt_name, td_x509_oid_name_constraints,
    td_x509_oid_authority_key_id, td_x509_oid_subject_key_id,
    td_x509_oid_certificate_policies, td_x509_oid_server_auth, td_x509_oid_client_auth,
    td_x509_oid_any_eku, td_x509_oid_common_name;

/* ---- path validation ---------------------------------------------------- */

typedef enum td_x509_purpose {
    TD_X509_PURPOSE_SERVER, /* id-kp-serverAuth; the host name applies */
    TD_X509_PURPOSE_CLIENT, /* id-kp-clientAuth */
} td_x509_purpose;

typedef struct td_x509_policy {
    int64_t now;           /* the clock (the world's) */
    td_x509_purpose purpose;
    const char *host;      /* DNS name or IP literal; NULL: no name check */
    int key_encipherment;  /* the leaf's key transports the premaster
                              secret (TLS 1.2 static RSA): keyUsage must
                              allow keyEncipherment, else
                              digitalSignature (RFC 5246 7.4.2) */
} td_x509_policy;

/* What validation found, beyond the reason. */
typedef struct td_x509_result {
    td_x509_reason reason;
    size_t cert;   /* which presented certificate the reason is about
                      (0 = leaf); anchors count after the chain */
    size_t path[TD_X509_MAX_DEPTH]; /* the path built: indices into the
                                       chain, then the anchor as
                                       TD_X509_MAX_CHAIN + i */
    size_t path_len;
    char detail[160]; /* one line for people */
} td_x509_result;

/* Work space for td_x509_verify: the decoded chain and anchors. Large;
 * callers keep one (static, in their state, or on a thread's stack). */
typedef struct td_x509_work {
    td_x509_cert chain[TD_X509_MAX_CHAIN];
    td_x509_cert anchors[TD_X509_MAX_ANCHORS];
} td_x509_work;

/* Validate chain[0] (the leaf) against the trust anchors:
 *   - every presented certificate and anchor is decoded; a presented one
 *     that does not decode fails with its reason (an anchor that does not
 *     decode is skipped);
 *   - a path is built from the leaf through presented certificates whose
 *     subject is the previous one's issuer and whose signature verifies,
 *     in any order and ignoring the ones not on it (RFC 8446 4.4.2), to
 *     an anchor whose subject is the last one's issuer, or to a presented
 *     certificate equal to an anchor; a leaf that is itself an anchor is
 *     accepted as it is;
 *   - along the path, each check of td_x509_verify.c in turn (RFC 5280
 *     6.1.3, 6.1.4) and then the leaf's (key usage, EKU, name).
 * Returns the reason (also in res->reason). */
td_x509_reason td_x509_verify(const td_span *chain, size_t n_chain, const td_span *anchors,
                              size_t n_anchors, const td_x509_policy *policy,
                              td_x509_work *work, td_x509_result *res);

#endif
