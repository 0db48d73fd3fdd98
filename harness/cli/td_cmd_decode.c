/*
 * tlsdiff decode: print the fields of TLS handshake messages or records
 * with the reference codecs.
 *
 *   tlsdiff decode [--json] [--hex | --bin] [--records | --handshake]
 *                  [--tls12 | --tls13] [--kx rsa|ecdhe] FILE...
 *
 * Input is hex (whitespace, ':' and '#' comments allowed) or binary,
 * detected unless forced; "-" is stdin. It holds either handshake
 * messages back to back or whole records, detected from the first byte
 * unless forced. Forms that the bytes do not say (TLS 1.2 or 1.3
 * Certificate, RSA or ECDHE ClientKeyExchange, the Finished length) follow
 * the ServerHello when one was decoded, else the flags (default TLS 1.3,
 * ECDHE).
 *
 * Exit: 0 everything decoded; 1 some input did not decode (each failure
 * is one line on stderr: file, offset, message, alert, reason); 2 a usage
 * error or a file that could not be read (the other files still run).
 */
#include "td_cli.h"
#include "td_msg.h"
#include "td_names.h"
#include "td_record.h"
#include "td_render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECODE_MAX_INPUT (16u << 20)

typedef enum { FMT_AUTO, FMT_HEX, FMT_BIN } in_format;
typedef enum { FRAME_AUTO, FRAME_HANDSHAKE, FRAME_RECORDS } in_framing;

typedef struct decode_opts {
    int json;
    in_format format;
    in_framing framing;
    uint16_t version;
    td_kx kx;
} decode_opts;

/* One input being decoded. */
typedef struct decode_run {
    const char *name;
    const uint8_t *buf;
    size_t len;
    td_msg_ctx ctx;
    td_render render;
    td_view view;
    int json;
    int failed;
    /* the first failure, for the JSON "error" member */
    size_t err_offset;
    const char *err_in;
    td_err err;
    char err_reason[128];
} decode_run;

static void usage(FILE *f)
{
    fprintf(f, "usage: tlsdiff decode [--json] [--hex | --bin] [--records | "
               "--handshake]\n"
               "                      [--tls12 | --tls13] [--kx rsa|ecdhe] "
               "FILE...\n");
}

static int read_all(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    uint8_t *buf;
    size_t n = 0, cap = 4096;

    if (!f)
        return -1;
    buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);

        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            uint8_t *nb = cap < DECODE_MAX_INPUT ? realloc(buf, cap * 2) : NULL;

            if (!nb) {
                free(buf);
                buf = NULL;
                errno = EFBIG;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    if (f != stdin)
        fclose(f);
    if (!buf)
        return -1;
    *out = buf;
    *len = n;
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex text to bytes, in place. Returns 0, or -1 with *bad at the first
 * character that is neither hex, separator nor comment. */
static int unhex(uint8_t *buf, size_t *len, size_t *bad)
{
    size_t i, n = 0;
    int hi = -1;

    for (i = 0; i < *len; i++) {
        int c = buf[i], v;

        if (c == '#') {
            while (i < *len && buf[i] != '\n')
                i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':')
            continue;
        v = hexval(c);
        if (v < 0) {
            *bad = i;
            return -1;
        }
        if (hi < 0) {
            hi = v;
        } else {
            buf[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0) {
        *bad = *len;
        return -1;
    }
    *len = n;
    return 0;
}

static int looks_hex(const uint8_t *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        int c = buf[i];

        if (c == '#')
            return 1;
        if (hexval(c) < 0 && c != ' ' && c != '\t' && c != '\r' &&
            c != '\n' && c != ':')
            return 0;
    }
    return len > 0;
}

/* The failure position: where the reader gave up when that is inside the
 * input, else the start of the element. */
static void report(decode_run *run, size_t start, const char *what, td_err e)
{
    td_rd_failure f = td_rd_failure_last();
    size_t off = start;
    char reason[128] = "";

    if (e == TD_ALERT_DECODE_ERROR && f.why != TD_RD_OK && f.at &&
        f.at >= run->buf && f.at <= run->buf + run->len) {
        off = (size_t)(f.at - run->buf);
        td_rd_failure_describe(&f, reason, sizeof reason);
    }
    fprintf(stderr, "tlsdiff: decode: %s: offset %zu: %s: %s%s%s\n", run->name,
            off, what, td_err_name(e), reason[0] ? ": " : "", reason);
    if (!run->failed) {
        run->err_offset = off;
        run->err_in = what;
        run->err = e;
        memcpy(run->err_reason, reason, sizeof reason);
    }
    run->failed = 1;
}

/* After a ServerHello, later messages take the negotiated forms. */
static void follow_server_hello(decode_run *run, const td_server_hello *sh)
{
    const char *suite = td_name_of(TD_NAMES_SUITE, sh->cipher_suite);
    size_t hash = suite && strstr(suite, "SHA384") ? 48 : 32;

    if (sh->is_hello_retry_request)
        return;
    run->ctx.version = sh->version >= TD_TLS1_3 ? TD_TLS1_3 : sh->version;
    if (run->ctx.version >= TD_TLS1_3) {
        run->ctx.verify_data_len = hash;
    } else {
        run->ctx.verify_data_len = 12; /* RFC 5246 7.4.9 */
        run->ctx.kx = suite && strncmp(suite, "TLS_RSA_WITH_", 13) == 0
                          ? TD_KX_RSA
                          : TD_KX_ECDHE;
    }
    run->ctx.hash_len = hash;
}

/* One handshake message: header offset `start` in the input. */
static void emit_message(decode_run *run, size_t start, const td_handshake *hs)
{
    const char *name = td_hs_name(hs->msg_type);
    td_msg m;
    td_err e;

    td_rd_failure_clear();
    e = td_msg_decode(hs->msg_type, hs->body, &run->ctx, &m);
    if (e != TD_OK) {
        report(run, start, name ? name : "handshake", e);
        return;
    }
    if (run->json) {
        run->view.open(run->view.ctx, NULL, 0);
        run->view.uint(run->view.ctx, "offset", start, NULL);
        run->view.uint(run->view.ctx, "length", hs->body.len, NULL);
    } else {
        printf("%s: offset %zu: %s (%zu bytes)\n", run->name, start,
               name ? name : "unknown", hs->body.len);
    }
    td_view_msg(&run->view, &m);
    if (run->json)
        run->view.close(run->view.ctx, 0);
    if (hs->msg_type == TD_HS_SERVER_HELLO)
        follow_server_hello(run, &m.u.server_hello);
}

static void decode_handshakes(decode_run *run)
{
    td_rd r;

    td_rd_init(&r, run->buf, run->len);
    while (td_rd_left(&r) && !run->failed) {
        size_t start = run->len - td_rd_left(&r);
        td_handshake hs;
        td_err e;

        td_rd_failure_clear();
        e = td_handshake_decode(&r, &hs);
        if (e != TD_OK) {
            report(run, start, "handshake header", e);
            return;
        }
        emit_message(run, start, &hs);
    }
}

static void decode_records(decode_run *run)
{
    static td_hs_reasm reasm; /* 70 KiB: not on the stack */
    td_record_mode mode = {TD_RECORD_TLS13, TD_RECORD_PLAINTEXT};
    int encrypted = 0;
    td_rd r;

    td_hs_reasm_init(&reasm);
    td_rd_init(&r, run->buf, run->len);
    while (td_rd_left(&r) && !run->failed) {
        size_t start = run->len - td_rd_left(&r);
        td_record rec;
        td_err e;

        td_rd_failure_clear();
        /* TLS 1.2 framing admits every content type and the larger
         * ciphertext limit; what a TLS 1.3 peer may send is the engine's
         * judgement, not the decoder's. */
        mode.version = TD_RECORD_TLS12;
        e = td_record_decode(&r, mode, &rec);
        if (e != TD_OK) {
            report(run, start, "record", e);
            return;
        }
        if (!run->json)
            printf("%s: offset %zu: record type %u version 0x%04x length %zu\n",
                   run->name, start, rec.type, rec.legacy_record_version,
                   rec.fragment.len);
        if (encrypted) {
            /* RFC 5246 7.1: what follows a ChangeCipherSpec is under the
             * keys it announced; nothing here to decode */
            if (!run->json)
                printf("  encrypted (after ChangeCipherSpec)\n");
        } else if (rec.type == TD_CT_CHANGE_CIPHER_SPEC) {
            encrypted = 1;
        } else if (rec.type == TD_CT_HANDSHAKE) {
            td_handshake hs;
            int got;

            if ((e = td_hs_reasm_feed(&reasm, rec.fragment)) != TD_OK) {
                report(run, start, "record", e);
                return;
            }
            while ((e = td_hs_reasm_next(&reasm, &hs, &got)) == TD_OK && got)
                emit_message(run, start + TD_RECORD_HEADER_LEN, &hs);
            if (e != TD_OK)
                report(run, start, "handshake", e);
        } else if (rec.type == TD_CT_ALERT) {
            td_alert a;

            if ((e = td_alert_decode(rec.fragment, &a)) != TD_OK) {
                report(run, start + TD_RECORD_HEADER_LEN, "alert", e);
            } else if (!run->json) {
                printf("  alert: level %u description %s\n", a.level,
                       td_err_name(a.description));
            }
        }
    }
}

static int decode_one(const char *name, const decode_opts *o)
{
    uint8_t *buf;
    size_t len, bad;
    decode_run run;
    int records;

    if (read_all(name, &buf, &len) != 0) {
        fprintf(stderr, "tlsdiff: decode: %s: cannot read: %s\n", name,
                strerror(errno));
        return 2;
    }
    if (o->format == FMT_HEX || (o->format == FMT_AUTO && looks_hex(buf, len))) {
        if (unhex(buf, &len, &bad) != 0) {
            fprintf(stderr,
                    "tlsdiff: decode: %s: not hex at character %zu (use --bin "
                    "for binary input)\n",
                    name, bad);
            free(buf);
            return 2;
        }
    }
    memset(&run, 0, sizeof run);
    run.name = name;
    run.buf = buf;
    run.len = len;
    run.json = o->json;
    run.ctx.version = o->version;
    run.ctx.kx = o->kx;
    run.ctx.verify_data_len = o->version == TD_TLS1_2 ? 12 : 0;
    td_render_init(&run.render, stdout, o->json, o->json ? 0 : 1);
    run.view = td_render_view(&run.render);
    /* A record starts with a content type (20..24) and a 3.x version. */
    records = o->framing == FRAME_RECORDS ||
              (o->framing == FRAME_AUTO && len >= 3 && buf[0] >= 20 &&
               buf[0] <= 24 && buf[1] == 3);
    if (o->json) {
        fputs("{\"file\":", stdout);
        td_render_json_string(stdout, name);
        fprintf(stdout, ",\"framing\":\"%s\",\"messages\":[",
                records ? "records" : "handshake");
        run.render.depth = 1; /* inside the messages array */
    }
    if (len == 0)
        report(&run, 0, "input", TD_ALERT_DECODE_ERROR);
    else if (records)
        decode_records(&run);
    else
        decode_handshakes(&run);
    if (o->json) {
        fputs("],\"error\":", stdout);
        if (run.failed) {
            fprintf(stdout, "{\"offset\":%zu,\"in\":", run.err_offset);
            td_render_json_string(stdout, run.err_in);
            fputs(",\"alert\":", stdout);
            td_render_json_string(stdout, td_err_name(run.err));
            fputs(",\"reason\":", stdout);
            td_render_json_string(stdout, run.err_reason);
            fputc('}', stdout);
        } else {
            fputs("null", stdout);
        }
        fputs("}\n", stdout);
    }
    free(buf);
    return run.failed ? 1 : 0;
}

int td_cmd_decode(int argc, char **argv)
{
    decode_opts o = {0, FMT_AUTO, FRAME_AUTO, TD_TLS1_3, TD_KX_ECDHE};
    int i, rc = 0, files = 0;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--json") == 0) o.json = 1;
        else if (strcmp(a, "--hex") == 0) o.format = FMT_HEX;
        else if (strcmp(a, "--bin") == 0) o.format = FMT_BIN;
        else if (strcmp(a, "--records") == 0) o.framing = FRAME_RECORDS;
        else if (strcmp(a, "--handshake") == 0) o.framing = FRAME_HANDSHAKE;
        else if (strcmp(a, "--tls12") == 0) o.version = TD_TLS1_2;
        else if (strcmp(a, "--tls13") == 0) o.version = TD_TLS1_3;
        else if (strcmp(a, "--kx") == 0 && i + 1 < argc) {
            const char *k = argv[++i];

            if (strcmp(k, "rsa") == 0) o.kx = TD_KX_RSA;
            else if (strcmp(k, "ecdhe") == 0) o.kx = TD_KX_ECDHE;
            else {
                fprintf(stderr, "tlsdiff: decode: --kx takes rsa or ecdhe, not '%s'\n", k);
                return 2;
            }
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "tlsdiff: decode: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else {
            break;
        }
    }
    for (; i < argc; i++) {
        int r = decode_one(argv[i], &o);

        files++;
        if (r > rc)
            rc = r;
    }
    if (!files) {
        usage(stderr);
        return 2;
    }
    return rc;
}
