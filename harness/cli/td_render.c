/*
 * Renderers for td_view: text (one field per line, two spaces per level,
 * list elements marked "-") and JSON (objects and arrays; byte strings as
 * lower-case hex; a value with a registry name becomes
 * {"value": N, "name": "..."}).
 */
#include "td_render.h"

#include <string.h>

void td_render_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void indent(td_render *r)
{
    unsigned i;

    for (i = 0; i < r->depth; i++)
        fputs("  ", r->out);
}

/* Start a member: the JSON comma and key, or the text indent and key. */
static void member(td_render *r, const char *key)
{
    unsigned d = r->depth < 64 ? r->depth : 63;

    if (r->json) {
        if (r->has_member[d])
            fputc(',', r->out);
        r->has_member[d] = 1;
        if (key) {
            td_render_json_string(r->out, key);
            fputc(':', r->out);
        }
        return;
    }
    indent(r);
    if (key)
        fprintf(r->out, "%s:", key);
    else
        fputs("-", r->out);
}

static void r_open(void *ctx, const char *key, int is_list)
{
    td_render *r = ctx;

    member(r, key);
    if (r->json)
        fputc(is_list ? '[' : '{', r->out);
    else
        fputc('\n', r->out);
    r->depth++;
    if (r->depth < 64) {
        r->has_member[r->depth] = 0;
        r->in_list[r->depth] = (unsigned char)is_list;
    }
}

static void r_close(void *ctx, int is_list)
{
    td_render *r = ctx;

    r->depth--;
    if (r->json)
        fputc(is_list ? ']' : '}', r->out);
}

static void r_uint(void *ctx, const char *key, uint64_t v, const char *name)
{
    td_render *r = ctx;

    member(r, key);
    if (r->json) {
        if (name) {
            fprintf(r->out, "{\"value\":%llu,\"name\":", (unsigned long long)v);
            td_render_json_string(r->out, name);
            fputc('}', r->out);
        } else {
            fprintf(r->out, "%llu", (unsigned long long)v);
        }
        return;
    }
    if (name)
        fprintf(r->out, " %s (0x%04llx)\n", name, (unsigned long long)v);
    else
        fprintf(r->out, " %llu\n", (unsigned long long)v);
}

static void r_bytes(void *ctx, const char *key, td_span b)
{
    td_render *r = ctx;
    size_t i;

    member(r, key);
    if (r->json) {
        fputc('"', r->out);
        for (i = 0; i < b.len; i++)
            fprintf(r->out, "%02x", b.p[i]);
        fputc('"', r->out);
        return;
    }
    fprintf(r->out, " (%zu bytes)", b.len);
    if (b.len)
        fputc(' ', r->out);
    for (i = 0; i < b.len && i < 64; i++)
        fprintf(r->out, "%02x", b.p[i]);
    if (b.len > 64)
        fputs("...", r->out);
    fputc('\n', r->out);
}

static void r_text(void *ctx, const char *key, td_span s)
{
    td_render *r = ctx;
    char buf[256];
    size_t n = s.len < sizeof buf - 1 ? s.len : sizeof buf - 1;

    if (n)
        memcpy(buf, s.p, n);
    buf[n] = '\0';
    member(r, key);
    if (r->json) {
        td_render_json_string(r->out, buf);
        return;
    }
    fputc(' ', r->out);
    td_render_json_string(r->out, buf);
    fputc('\n', r->out);
}

void td_render_init(td_render *r, FILE *out, int json, unsigned depth)
{
    memset(r, 0, sizeof *r);
    r->out = out;
    r->json = json;
    r->depth = depth;
}

td_view td_render_view(td_render *r)
{
    td_view v;

    v.ctx = r;
    v.open = r_open;
    v.close = r_close;
    v.uint = r_uint;
    v.bytes = r_bytes;
    v.text = r_text;
    return v;
}
