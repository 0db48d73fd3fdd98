/*
 * td_dict_gen: the TLS dictionary of the fuzz targets (libFuzzer's -dict,
 * the "dict = tls.dict" of every targets/<kind>/<target>.options), written
 * from the harness's own code-point tables so that it cannot drift from
 * them:
 *
 *   version_, suite_, group_, sigscheme_   td_names (IANA registries;
 *       RFC 8446 4.2.1, B.4, 4.2.7, 4.2.3; RFC 5246 A.5; RFC 8422; RFC 7919)
 *   ext_       td_ext_name (ExtensionType, RFC 8446 4.2), and the same type
 *              with an empty extension_data
 *   hs_        td_hs_name (HandshakeType, RFC 8446 4, RFC 5246 7.4), and
 *              the 4-byte header of an empty body
 *   ct_        ContentType (RFC 8446 5.1) and record header prefixes
 *   alert_     td_err_name on 0..255 (AlertDescription, RFC 8446 6), and
 *              the fatal alert body (level 2, RFC 8446 6)
 *
 * Each value is its big-endian wire form. Besides the bare values, the
 * common length-prefixed forms: a one-entry CipherSuite, NamedGroup or
 * SignatureScheme list (a 2-byte length, RFC 8446 4.1.2, 4.2.7, 4.2.3)
 * and a one-entry supported_versions list of a ClientHello (a 1-byte
 * length, RFC 8446 4.2.1).
 *
 * Usage: td_dict_gen [OUT]   (stdout without OUT). Each line is
 * name="\xNN..." (libFuzzer's and AFL's dictionary format), every byte
 * hex-escaped.
 */
#include "td_err.h"
#include "td_msg.h"
#include "td_names.h"
#include "td_record.h"

#include <stdio.h>
#include <string.h>

#define NAME_MAX_LEN 96

/* One entry: the prefix and name (anything outside [A-Za-z0-9_]
 * becomes '_': "TLSv1.3" is version_TLSv1_3), then the bytes. */
static void entry(FILE *f, const char *prefix, const char *name, const char *suffix,
                  const uint8_t *v, size_t n)
{
    char buf[NAME_MAX_LEN];
    size_t i;

    snprintf(buf, sizeof buf, "%s%s%s", prefix, name, suffix);
    for (i = 0; buf[i]; i++) {
        char c = buf[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            buf[i] = '_';
    }
    fprintf(f, "%s=\"", buf);
    for (i = 0; i < n; i++)
        fprintf(f, "\\x%02x", v[i]);
    fprintf(f, "\"\n");
}

/* The four td_names tables: the 2-byte value, and where the value sits in
 * a list, a one-entry list. */
static void names(FILE *f)
{
    static const struct {
        td_names_kind kind;
        const char *prefix;
        int list_len_bytes; /* 0: no list form */
    } kinds[] = {
        {TD_NAMES_VERSION, "version_", 1},     /* RFC 8446 4.2.1 versions<2..254> */
        {TD_NAMES_SUITE, "suite_", 2},         /* RFC 8446 4.1.2 cipher_suites<2..2^16-2> */
        {TD_NAMES_GROUP, "group_", 2},         /* RFC 8446 4.2.7 named_group_list<2..2^16-1> */
        {TD_NAMES_SIGSCHEME, "sigscheme_", 2}, /* RFC 8446 4.2.3 <2..2^16-2> */
    };
    size_t k, i, n;

    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const td_name *t = td_names_table(kinds[k].kind, &n);

        fprintf(f, "# %s\n", kinds[k].prefix);
        for (i = 0; i < n; i++) {
            uint8_t v[4] = {0, 2, (uint8_t)(t[i].code >> 8), (uint8_t)t[i].code};

            entry(f, kinds[k].prefix, t[i].name, "", v + 2, 2);
            if (kinds[k].list_len_bytes == 2)
                entry(f, kinds[k].prefix, t[i].name, "_list", v, 4);
            else
                entry(f, kinds[k].prefix, t[i].name, "_list", v + 1, 3);
        }
    }
}

/* ExtensionType (RFC 8446 4.2): extension_type and, with an empty
 * extension_data<0..2^16-1>, the whole extension. */
static void extensions(FILE *f)
{
    unsigned type;

    fprintf(f, "# ext_\n");
    for (type = 0; type <= 0xffff; type++) {
        const char *name = td_ext_name((uint16_t)type);
        uint8_t v[4] = {(uint8_t)(type >> 8), (uint8_t)type, 0, 0};

        if (!name)
            continue;
        entry(f, "ext_", name, "", v, 2);
        entry(f, "ext_", name, "_empty", v, 4);
    }
}

/* HandshakeType (RFC 8446 4): msg_type and the header of an empty body
 * (uint24 length 0). */
static void handshake_types(FILE *f)
{
    unsigned type;

    fprintf(f, "# hs_\n");
    for (type = 0; type <= 0xff; type++) {
        const char *name = td_hs_name((uint8_t)type);
        uint8_t v[4] = {(uint8_t)type, 0, 0, 0};

        if (!name)
            continue;
        entry(f, "hs_", name, "", v, 1);
        entry(f, "hs_", name, "_empty", v, 4);
    }
}

/* ContentType (RFC 8446 5.1, RFC 6520 3 for heartbeat) and the first
 * bytes of a record header: the type and legacy_record_version 0x0303,
 * and 0x0301 for a first ClientHello (RFC 8446 5.1). */
static void content_types(FILE *f)
{
    static const struct {
        uint8_t type;
        const char *name;
    } ct[] = {
        {TD_CT_CHANGE_CIPHER_SPEC, "change_cipher_spec"},
        {TD_CT_ALERT, "alert"},
        {TD_CT_HANDSHAKE, "handshake"},
        {TD_CT_APPLICATION_DATA, "application_data"},
        {TD_CT_HEARTBEAT, "heartbeat"},
    };
    size_t i;

    fprintf(f, "# ct_\n");
    for (i = 0; i < sizeof ct / sizeof ct[0]; i++) {
        uint8_t v[3] = {ct[i].type, 0x03, 0x03};

        entry(f, "ct_", ct[i].name, "", v, 1);
        entry(f, "ct_", ct[i].name, "_tls12", v, 3);
        v[2] = 0x01;
        entry(f, "ct_", ct[i].name, "_tls10", v, 3);
    }
}

/* AlertDescription (RFC 8446 6): the names td_err knows for 0..255, and
 * the fatal alert (AlertLevel fatal(2), then the description). */
static void alerts(FILE *f)
{
    int d;

    fprintf(f, "# alert_\n");
    for (d = 0; d <= 255; d++) {
        const char *name = td_err_name(d);
        uint8_t v[2] = {2, (uint8_t)d};

        if (strncmp(name, "unknown", 7) == 0)
            continue;
        entry(f, "alert_", name, "", v + 1, 1);
        entry(f, "alert_", name, "_fatal", v, 2);
    }
}

int main(int argc, char **argv)
{
    FILE *f = stdout;

    if (argc > 2) {
        fprintf(stderr, "usage: td_dict_gen [OUT]\n");
        return 2;
    }
    if (argc == 2 && (f = fopen(argv[1], "w")) == NULL) {
        perror(argv[1]);
        return 1;
    }
    fprintf(f, "# The TLS dictionary of the fuzz targets, written by td_dict_gen\n"
               "# (targets/common/td_dict_gen.c) from the harness's code-point tables.\n");
    names(f);
    extensions(f);
    handshake_types(f);
    content_types(f);
    alerts(f);
    if (f != stdout && fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
