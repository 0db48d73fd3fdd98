/*
 * The engine's default lists and the list helpers every handler file
 * uses. A list left empty in the config (td_code_list n = 0) means the
 * engine default: the whole supported set of issue 4, in the order issue
 * 4 lists it. Each list is sent, or used to choose, most preferred
 * first:
 *
 * RFC 8446 4.1.2: cipher_suites "in descending order of client
 *   preference"; RFC 5246 7.4.1.2: "in order of the client's preference
 *   (favorite choice first)".
 * RFC 8446 4.2.7: supported_groups "ordered from most preferred to least
 *   preferred".
 * RFC 8446 4.2.3, RFC 5246 7.4.1.4.1: signature algorithms "in
 *   descending order of preference".
 *
 * The orders:
 *   TLS 1.3 suites   TLS_AES_128_GCM_SHA256 first, the one suite "A
 *                    TLS-compliant application MUST implement", then the
 *                    two it "SHOULD implement", in the order RFC 8446 9.1
 *                    names them (AES-256-GCM, ChaCha20-Poly1305).
 *   TLS 1.2 suites   ECDHE before RSA key transport (RFC 8446 1.2: TLS
 *                    1.3 removed static RSA so that "all public-key based
 *                    key exchange mechanisms now provide forward
 *                    secrecy"); within ECDHE, AES-GCM (RFC 5289 3.2, RFC
 *                    5288 3) before ChaCha20-Poly1305 (RFC 7905 2), ECDSA
 *                    before RSA authentication, 128-bit before 256-bit.
 *   groups           x25519, secp256r1, secp384r1: the order of the RFC
 *                    8448 ClientHellos (00 1d 00 17 00 18 ...) restricted
 *                    to the groups the crypto adapter computes; RFC 8446
 *                    9.1: "MUST support key exchange with secp256r1 (NIST
 *                    P-256) and SHOULD support key exchange with X25519".
 *   signatures       the order of the RFC 8448 ClientHellos' list (04 03
 *                    05 03 06 03 02 03 08 04 08 05 08 06 04 01 05 01 06 01
 *                    ...) restricted to the schemes the crypto adapter
 *                    makes (no P-521, no SHA-1), then ed25519; it holds
 *                    the three of RFC 8446 9.1 ("MUST support digital
 *                    signatures with rsa_pkcs1_sha256 ..., rsa_pss_rsae_sha256
 *                    ..., and ecdsa_secp256r1_sha256").
 *
 * Both roles and both versions use the same group and signature lists;
 * the suite list is the one of the version (the client offering both
 * sends TLS 1.3's then TLS 1.2's, td_hs_client_hello.c).
 */
#include "td_hs.h"

const td_code_list td_hs_default_suites13 = {
    {
        0x1301, /* TLS_AES_128_GCM_SHA256 */
        0x1302, /* TLS_AES_256_GCM_SHA384 */
        0x1303, /* TLS_CHACHA20_POLY1305_SHA256 */
    },
    3};

const td_code_list td_hs_default_suites12 = {
    {
        0xc02b, /* TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 */
        0xc02c, /* TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 */
        0xc02f, /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
        0xc030, /* TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 */
        0xcca9, /* TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 */
        0xcca8, /* TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 */
        0x009c, /* TLS_RSA_WITH_AES_128_GCM_SHA256 */
        0x009d, /* TLS_RSA_WITH_AES_256_GCM_SHA384 */
    },
    8};

const td_code_list td_hs_default_groups = {
    {
        0x001d, /* x25519 */
        0x0017, /* secp256r1 */
        0x0018, /* secp384r1 */
    },
    3};

const td_code_list td_hs_default_sigalgs = {
    {
        0x0403, /* ecdsa_secp256r1_sha256 */
        0x0503, /* ecdsa_secp384r1_sha384 */
        0x0804, /* rsa_pss_rsae_sha256 */
        0x0805, /* rsa_pss_rsae_sha384 */
        0x0806, /* rsa_pss_rsae_sha512 */
        0x0401, /* rsa_pkcs1_sha256 */
        0x0501, /* rsa_pkcs1_sha384 */
        0x0601, /* rsa_pkcs1_sha512 */
        0x0807, /* ed25519 */
    },
    9};

const td_code_list *td_hs_our_suites(const td_conn *c, uint16_t version)
{
    if (c->cfg->suites.n)
        return &c->cfg->suites;
    return version == 0x0304 ? &td_hs_default_suites13
                             : &td_hs_default_suites12;
}

const td_code_list *td_hs_our_groups(const td_conn *c)
{
    return c->cfg->groups.n ? &c->cfg->groups : &td_hs_default_groups;
}

const td_code_list *td_hs_our_sigalgs(const td_conn *c)
{
    return c->cfg->sigalgs.n ? &c->cfg->sigalgs : &td_hs_default_sigalgs;
}

int td_hs_u16_in(td_span list, uint16_t v)
{
    td_rd r;
    uint16_t x;

    /* The codecs checked the list's syntax, so an odd trailing byte
     * cannot occur; it is ignored all the same. */
    td_rd_init_span(&r, list);
    while (td_rd_u16(&r, &x) == TD_OK)
        if (x == v)
            return 1;
    return 0;
}

int td_hs_code_in(const td_code_list *l, uint16_t v)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (l->v[i] == v)
            return 1;
    return 0;
}

td_err td_hs_code_list_body(const td_code_list *l, uint8_t *buf, size_t cap,
                            td_span *out)
{
    td_wr w;
    size_t i;

    td_wr_init(&w, buf, cap);
    for (i = 0; i < l->n; i++)
        TRY(td_wr_u16(&w, l->v[i]));
    return td_wr_finish(&w, out);
}
