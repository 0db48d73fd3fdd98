#include "td_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const td_name versions[] = {
    {TD_SSL3_0, "SSLv3"},  {TD_TLS1_0, "TLSv1.0"}, {TD_TLS1_1, "TLSv1.1"},
    {TD_TLS1_2, "TLSv1.2"}, {TD_TLS1_3, "TLSv1.3"},
};

/* IANA TLS Cipher Suites registry: the suites tlsdiff configures. */
static const td_name suites[] = {
    /* RFC 8446 B.4 */
    {0x1301, "TLS_AES_128_GCM_SHA256"},
    {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
    /* RFC 5288 3 (static RSA, RSA premaster secret) */
    {0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    /* RFC 5246 A.5 (CBC, what the deprecated versions can use) */
    {0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    /* RFC 8422 6 / RFC 5289 3.2 */
    {0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    /* RFC 7905 2 */
    {0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    /* RFC 5288 3 / RFC 7905 2 (finite-field DHE, RFC 7919) */
    {0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    /* RFC 5746 3.3, RFC 7507 6 */
    {0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    {0x5600, "TLS_FALLBACK_SCSV"},
};

/* RFC 8446 4.2.7, RFC 8422 5.1.1, RFC 7919 2 */
static const td_name groups[] = {
    {0x0017, "secp256r1"}, {0x0018, "secp384r1"}, {0x0019, "secp521r1"},
    {0x001d, "x25519"},    {0x001e, "x448"},      {0x0100, "ffdhe2048"},
    {0x0101, "ffdhe3072"}, {0x0102, "ffdhe4096"}, {0x0103, "ffdhe6144"},
    {0x0104, "ffdhe8192"},
};

/* RFC 8446 4.2.3 */
static const td_name sigschemes[] = {
    {0x0401, "rsa_pkcs1_sha256"},
    {0x0501, "rsa_pkcs1_sha384"},
    {0x0601, "rsa_pkcs1_sha512"},
    {0x0403, "ecdsa_secp256r1_sha256"},
    {0x0503, "ecdsa_secp384r1_sha384"},
    {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"},
    {0x0805, "rsa_pss_rsae_sha384"},
    {0x0806, "rsa_pss_rsae_sha512"},
    {0x0807, "ed25519"},
    {0x0808, "ed448"},
    {0x0809, "rsa_pss_pss_sha256"},
    {0x080a, "rsa_pss_pss_sha384"},
    {0x080b, "rsa_pss_pss_sha512"},
    {0x0201, "rsa_pkcs1_sha1"},
    {0x0203, "ecdsa_sha1"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const td_name *td_names_table(td_names_kind kind, size_t *count)
{
    switch (kind) {
    case TD_NAMES_VERSION: *count = N(versions); return versions;
    case TD_NAMES_SUITE: *count = N(suites); return suites;
    case TD_NAMES_GROUP: *count = N(groups); return groups;
    case TD_NAMES_SIGSCHEME: *count = N(sigschemes); return sigschemes;
    }
    *count = 0;
    return NULL;
}

const char *td_name_of(td_names_kind kind, uint16_t code)
{
    size_t n, i;
    const td_name *t = td_names_table(kind, &n);

    for (i = 0; i < n; i++)
        if (t[i].code == code)
            return t[i].name;
    return NULL;
}

const char *td_name_or_hex(td_names_kind kind, uint16_t code)
{
    static _Thread_local char buf[4][8];
    static _Thread_local unsigned next;
    const char *n = td_name_of(kind, code);
    char *b;

    if (n)
        return n;
    b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "0x%04x", code);
    return b;
}

td_err td_name_parse(td_names_kind kind, const char *name, uint16_t *code)
{
    size_t n, i;
    const td_name *t = td_names_table(kind, &n);

    for (i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0) {
            *code = t[i].code;
            return TD_OK;
        }
    if (name[0] == '0' && (name[1] == 'x' || name[1] == 'X') && name[2]) {
        char *end;
        unsigned long v = strtoul(name + 2, &end, 16);
        if (*end == '\0' && v <= 0xffff) {
            *code = (uint16_t)v;
            return TD_OK;
        }
    }
    return TD_ERR_NOT_FOUND;
}
