/*
 * wolfSSL build configuration for tlsdiff (WOLFSSL_USER_SETTINGS).
 *
 * wolfSSL is compiled from source by cmake/wolfssl.cmake with this file in
 * place of ./configure. Every translation unit that includes a wolfSSL
 * header (wolfSSL itself, the wolfSSL subject, the reference's crypto
 * adapter) sees this same file, so structure layouts always agree.
 *
 * Each block says what it is for; docs/ARCHITECTURE.md has the table of
 * configure flags these macros correspond to.
 */
#ifndef TD_WOLFSSL_USER_SETTINGS_H
#define TD_WOLFSSL_USER_SETTINGS_H

/* ---- determinism (DESIGN.md "Determinism") -------------------------------
 * All randomness comes from the test case's seeded stream
 * (harness/core/td_wolfssl_hooks.c). With a custom block generator wolfSSL
 * compiles no Hash-DRBG and never reads /dev/urandom. */
extern int td_wolfssl_rand_block(unsigned char *out, unsigned int sz);
#define CUSTOM_RAND_GENERATE_BLOCK td_wolfssl_rand_block
#define CUSTOM_RAND_GENERATE_SEED td_wolfssl_rand_block
/* The clock is the test case's fixed clock: XTIME() and wolfSSL's tick
 * functions LowResTimer() and TimeNowInMilliseconds() (USER_TICKS) are
 * supplied by the harness; XGMTIME stays gmtime_r, a pure conversion.
 * (TIME_OVERRIDES would be the obvious switch, but with OPENSSL_EXTRA it
 * leaves GetFormattedTime() undefined in wolfSSL 5.7.2.) */
#include <time.h>
extern time_t td_wolfssl_time(time_t *t);
#define XTIME(tl) td_wolfssl_time((tl))
#define USER_TICKS
/* No fixed-point ECC cache (configure --disable-fpecc): it is global state
 * that would make one test case depend on the ones before it. */
#undef FP_ECC
/* Session state lives in the test case's world, not in wolfSSL's global
 * cache (wolfSSL_CTX_sess_set_{new,get,remove}_cb). */
#define HAVE_EXT_CACHE
/* No sockets: subjects do memory I/O through wolfSSL_CTX_SetIORecv/Send. */
#define WOLFSSL_USER_IO
#define WOLFSSL_IGNORE_FILE_WARN

/* ---- protocol versions ---------------------------------------------------
 * TLS 1.2 and 1.3 are what is tested. SSLv3, TLS 1.0 and 1.1 stay compiled
 * in so that tests can prove a 1.2+ configuration refuses them. */
#define WOLFSSL_TLS13
#define WOLFSSL_ALLOW_TLSV10
#define WOLFSSL_ALLOW_SSLV3
#define HAVE_FALLBACK_SCSV
#define WOLFSSL_STATIC_RSA /* TLS_RSA_WITH_*: RSA premaster secret */
#define HAVE_AES_CBC       /* suites the old versions need */

/* ---- extensions and features ---------------------------------------------- */
#define HAVE_TLS_EXTENSIONS
#define HAVE_SUPPORTED_CURVES
#define HAVE_EXTENDED_MASTER           /* RFC 7627 */
#define HAVE_ENCRYPT_THEN_MAC          /* RFC 7366 */
#define HAVE_SNI                       /* RFC 6066 3 */
#define HAVE_ALPN                      /* RFC 7301 */
#define HAVE_MAX_FRAGMENT              /* RFC 6066 4 */
#define HAVE_SESSION_TICKET            /* RFC 5077, RFC 8446 4.6.1 */
#define HAVE_SECURE_RENEGOTIATION      /* RFC 5746 */
#define HAVE_SERVER_RENEGOTIATION_INFO
#define WOLFSSL_SEND_HRR_COOKIE        /* RFC 8446 4.2.2 */
#define WOLFSSL_POST_HANDSHAKE_AUTH    /* RFC 8446 4.6.2 */
#define WOLFSSL_EARLY_DATA             /* RFC 8446 4.2.10 */
#define HAVE_ENCRYPT_THEN_MAC
/* PSK stays enabled: NO_PSK is not defined. */

/* ---- observation ---------------------------------------------------------- */
#define OPENSSL_EXTRA       /* message callback, SSL_get_peer_signature_nid */
#define HAVE_PK_CALLBACKS
#define HAVE_FUZZER         /* wolfSSL_SetFuzzerCb */
#define HAVE_SECRET_CALLBACK /* key log for pcap decryption */
#define HAVE_EX_DATA
#define KEEP_PEER_CERT
#define SESSION_CERTS
#define WOLFSSL_ALWAYS_VERIFY_CB
#define WOLFSSL_VERIFY_CB_ALL_CERTS
#define WOLFSSL_EXTRA_ALERTS /* send the alert the RFC names where wolfSSL can */
#define WOLFSSL_CHECK_ALERT_ON_ERR
#define DEBUG_WOLFSSL       /* off until wolfSSL_Debugging_ON() */

/* ---- certificates ----------------------------------------------------------
 * iPAddress subjectAltNames are decoded and matched against an IP literal
 * host (asn.c DecodeGeneralName, internal.c CheckForAltNames), as in
 * Debian's own package (--enable-distro). Without it an IP SAN is skipped
 * and an IP literal can only match a CN. It changes certificate verdicts
 * for IP hosts only, never handshake bytes (harness/subject/td_x509_wolfssl.c). */
#define WOLFSSL_IP_ALT_NAME

/* ---- crypto ---------------------------------------------------------------- */
#define WOLFSSL_SP_MATH_ALL
#define SP_INT_BITS 4096
#define TFM_TIMING_RESISTANT
#define ECC_TIMING_RESISTANT
#define WC_RSA_BLINDING
#define WC_RSA_PSS
#define WOLFSSL_PSS_LONG_SALT
#define HAVE_ECC
#define ECC_USER_CURVES
#define HAVE_ECC256
#define HAVE_ECC384
#define HAVE_ECC521
#define ECC_SHAMIR
/* The reference's ECDSA signatures use the deterministic nonce of RFC 6979
 * 3.2, computed in harness/ref/crypto/ with the scheme's own hash, and hand
 * it to wc_ecc_sign_set_k(). (WOLFSSL_ECDSA_DETERMINISTIC_K would not do:
 * wolfSSL 5.7.2 derives that nonce with HMAC-SHA-256 only, so
 * ecdsa_secp384r1_sha384 fails.) This only adds the sign_k field to
 * ecc_key and the setter; a key with no k set signs exactly as before, and
 * nothing in wolfSSL's TLS code sets one. */
#define WOLFSSL_ECDSA_SET_K
#define HAVE_CURVE25519
#define HAVE_ED25519
#define HAVE_ED25519_KEY_IMPORT
#define HAVE_FFDHE_2048  /* RFC 7919 */
#define HAVE_FFDHE_3072
#define HAVE_DH_DEFAULT_PARAMS
#define HAVE_AESGCM
#define GCM_TABLE_4BIT
#define HAVE_AES_DECRYPT
#define WOLFSSL_AES_DIRECT
#define HAVE_CHACHA
#define HAVE_POLY1305
#define HAVE_ONE_TIME_AUTH
#define HAVE_HKDF
#define WOLFSSL_SHA224
#define WOLFSSL_SHA384
#define WOLFSSL_SHA512
#define WOLFSSL_ASN_TEMPLATE
#define WOLFSSL_USE_ALIGN
#define WC_NO_ASYNC_THREADING
#define NO_DSA
#define NO_RC4
#define NO_MD4
#define NO_DES3
#define NO_PWDBASED
#define WOLFSSL_NO_SHAKE128
#define WOLFSSL_NO_SHAKE256

#endif
