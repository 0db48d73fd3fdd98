/*
 * The fuzz_x509_chain input format and the vectors/ files its target and
 * mutator load (td_x509_input.h). Only at start-up does anything here
 * touch files; parsing and writing work in caller storage.
 */
#include "td_x509_input.h"

#include "td_profile.h" /* td_vectors_path */

#include <stdio.h>
#include <string.h>

const char *td_xin_host(uint8_t flags)
{
    static const char *const hosts[4] = {"server.tlsdiff.test", "127.0.0.1", "::1",
                                         "tlsdiff.test"};
    return hosts[TD_XIN_HOST_INDEX(flags)];
}

td_err td_xin_parse(const uint8_t *data, size_t size, td_xin *out)
{
    td_rd rd;
    uint16_t len;
    td_span s;

    memset(out, 0, sizeof *out);
    td_rd_init(&rd, data, size);
    if (td_rd_u8(&rd, &out->flags) != TD_OK)
        return TD_ERR_SYNTAX;
    if (out->flags & TD_XIN_RAW) {
        td_rd_rest(&rd, &out->certs[0]);
        out->n = 1;
        return TD_OK;
    }
    while (out->n < TD_XIN_MAX_CERTS) {
        td_rd save = rd;

        if (td_rd_u16(&rd, &len) != TD_OK || td_rd_span(&rd, len, &s) != TD_OK) {
            rd = save;
            break;
        }
        out->certs[out->n++] = s;
    }
    return TD_OK;
}

td_err td_xin_write(uint8_t flags, const td_span *certs, size_t n, uint8_t *out, size_t cap,
                    size_t *len)
{
    td_wr w;
    td_span all;
    size_t i;

    td_wr_init(&w, out, cap);
    TRY(td_wr_u8(&w, flags & (uint8_t)~TD_XIN_RAW));
    for (i = 0; i < n; i++) {
        ENSURE(certs[i].len <= 0xffffu, TD_ERR_NOSPACE);
        TRY(td_wr_u16(&w, (uint32_t)certs[i].len));
        TRY(td_wr_span(&w, certs[i]));
    }
    TRY(td_wr_finish(&w, &all));
    *len = all.len;
    return TD_OK;
}

td_err td_xin_read_file(const char *rel, uint8_t *buf, size_t cap, size_t *len)
{
    char path[1024];
    FILE *f;
    size_t n;
    int bad, more;

    TRY(td_vectors_path(rel, path, sizeof path));
    f = fopen(path, "rb");
    if (!f)
        return TD_ERR_IO;

    n = fread(buf, 1, cap, f);
    bad = ferror(f);
    more = !bad && fgetc(f) != EOF; /* larger than cap */
    fclose(f);
    if (bad || more)
        return bad ? TD_ERR_IO : TD_ERR_NOSPACE;
    *len = n;
    return TD_OK;
}

static int b64_value(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Base64 text[from..to) (whitespace skipped, '=' ends it) into out. */
static td_err b64_decode(const uint8_t *text, size_t from, size_t to, uint8_t *out, size_t cap,
                         size_t *len)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t i, n = 0;

    for (i = from; i < to && text[i] != '='; i++) {
        int v = b64_value(text[i]);

        if (v < 0) {
            ENSURE(text[i] == '\n' || text[i] == '\r' || text[i] == ' ' || text[i] == '\t',
                   TD_ERR_SYNTAX);
            continue;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            ENSURE(n < cap, TD_ERR_NOSPACE);
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    *len = n;
    return TD_OK;
}

static size_t find(const uint8_t *hay, size_t from, size_t len, const char *needle)
{
    size_t nl = strlen(needle), i;

    for (i = from; i + nl <= len; i++)
        if (memcmp(hay + i, needle, nl) == 0)
            return i;
    return len;
}

td_err td_xin_load_certs(const char *rel, uint8_t *store, size_t cap, size_t *used,
                         td_span *certs, size_t max, size_t *n)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
    static uint8_t text[64 * 1024];
    size_t len, at = 0, found = 0;

    TRY(td_xin_read_file(rel, text, sizeof text, &len));
    for (;;) {
        size_t b = find(text, at, len, begin), e, der_len;

        if (b == len)
            break;
        e = find(text, b, len, end);
        ENSURE(e < len, TD_ERR_SYNTAX);
        ENSURE(*n < max, TD_ERR_NOSPACE);
        TRY(b64_decode(text, b + sizeof begin - 1, e, store + *used, cap - *used, &der_len));
        certs[(*n)++] = (td_span){store + *used, der_len};
        *used += der_len;
        found++;
        at = e + sizeof end - 1;
    }
    if (found > 0)
        return TD_OK;
    /* no PEM block: the file is one DER certificate */
    ENSURE(len > 0 && len <= cap - *used, TD_ERR_NOSPACE);
    ENSURE(*n < max, TD_ERR_NOSPACE);
    memcpy(store + *used, text, len);
    certs[(*n)++] = (td_span){store + *used, len};
    *used += len;
    return TD_OK;
}
