/*
 * List helpers for the td_view walkers. The lists were checked by the
 * codecs before they get here; the readers still go through td_rd and stop
 * at the first short read.
 */
#include "td_view_impl.h"

void td_view_named(const td_view *v, const char *key, uint16_t code, int kind)
{
    v->uint(v->ctx, key, code,
            kind < 0 ? NULL : td_name_or_hex((td_names_kind)kind, code));
}

void td_view_u16_list(const td_view *v, const char *key, td_span list,
                      int kind)
{
    td_rd r;
    uint16_t x;

    td_rd_init_span(&r, list);
    v->open(v->ctx, key, 1);
    while (td_rd_u16(&r, &x) == TD_OK)
        td_view_named(v, NULL, x, kind);
    v->close(v->ctx, 1);
}

void td_view_u8_list(const td_view *v, const char *key, td_span list,
                     const char *(*name)(uint8_t))
{
    td_rd r;
    uint8_t x;

    td_rd_init_span(&r, list);
    v->open(v->ctx, key, 1);
    while (td_rd_u8(&r, &x) == TD_OK)
        v->uint(v->ctx, NULL, x, name ? name(x) : NULL);
    v->close(v->ctx, 1);
}

void td_view_opaque_list(const td_view *v, const char *key, td_span list,
                         unsigned width, int as_text)
{
    td_rd r, e;
    td_span s;

    td_rd_init_span(&r, list);
    v->open(v->ctx, key, 1);
    while ((width == 1 ? td_rd_vec8(&r, 0, 0xff, &e)
                       : td_rd_vec16(&r, 0, 0xffff, &e)) == TD_OK) {
        td_rd_rest(&e, &s);
        if (as_text)
            v->text(v->ctx, NULL, s);
        else
            v->bytes(v->ctx, NULL, s);
    }
    v->close(v->ctx, 1);
}
