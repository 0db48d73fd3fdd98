/*
 * Edit scripts: the binary form (td_edit.h, "Binary form"), for the fuzz
 * mutator. Each op byte is followed by its arguments in the order of
 * td_edit_ops (td_edit_ops.h); decode checks every edit it reads
 * (td_edit_check), so any bytes give a well-formed script or an error.
 */
#include "td_edit.h"

#include "td_edit_ops.h"

#include <stddef.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Binary form
 * ------------------------------------------------------------------------ */
static td_err wr_hex(td_wr *w, const td_edit *e)
{
    TRY(td_wr_u16(w, e->len));
    return td_wr_bytes(w, e->bytes, e->len);
}

static td_err encode_edit(td_wr *w, const td_edit *e)
{
    unsigned i, a;

    TRY(td_wr_u8(w, e->op));
    for (i = 0; i < 3 && (a = td_edit_ops[e->op].args[i]) != A_END; i++) {
        switch (a) {
        case A_FIELD: {
            const td_edit_field_info *f = td_edit_field_about(e->field);

            TRY(td_wr_u8(w, e->field));
            switch (f->kind) {
            case TD_EK_U8:
            case TD_EK_BOOL:
                TRY(td_wr_u8(w, (uint32_t)e->num));
                break;
            case TD_EK_U16:
                TRY(td_wr_u16(w, (uint32_t)e->num));
                break;
            case TD_EK_U32:
                TRY(td_wr_u32(w, (uint32_t)e->num));
                break;
            default:
                TRY(wr_hex(w, e));
                break;
            }
            break;
        }
        case A_EXT:
            TRY(td_wr_u16(w, e->type));
            break;
        case A_HS:
        case A_CT:
            TRY(td_wr_u8(w, e->type));
            break;
        case A_RECORD:
            TRY(td_wr_u16(w, (uint32_t)e->num));
            TRY(wr_hex(w, e));
            break;
        case A_POS:
        case A_AT:
            TRY(td_wr_u16(w, e->num < 0 ? 0xffffu : (uint32_t)e->num));
            break;
        case A_HEX:
            TRY(wr_hex(w, e));
            break;
        case A_U24:
            TRY(td_wr_u24(w, (uint32_t)e->num));
            break;
        case A_DELTA:
            TRY(td_wr_u32(w, (uint32_t)(int32_t)e->num));
            break;
        case A_COUNT:
            TRY(td_wr_u8(w, (uint32_t)e->num));
            break;
        case A_SPLIT:
            TRY(td_wr_u16(w, (uint32_t)e->num));
            break;
        }
    }
    return TD_OK;
}

td_err td_edit_encode(const td_edit_script *s, td_wr *wr)
{
    td_wr w = *wr;
    size_t i;

    ENSURE(s->n <= TD_EDIT_MAX, TD_ERR_SYNTAX);
    for (i = 0; i < s->n; i++) {
        ENSURE(td_edit_check(&s->e[i], NULL, 0) == TD_OK, TD_ERR_SYNTAX);
        TRY(encode_edit(&w, &s->e[i]));
    }
    *wr = w;
    return TD_OK;
}

static td_err rd_hex(td_rd *r, td_edit *e)
{
    uint16_t n;
    td_span s;

    TRY(td_rd_u16(r, &n));
    ENSURE(n <= TD_EDIT_BYTES_MAX, TD_ERR_SYNTAX);
    TRY(td_rd_span(r, n, &s));
    if (n)
        memcpy(e->bytes, s.p, n);
    e->len = n;
    return TD_OK;
}

static td_err decode_edit(td_rd *r, td_edit *e)
{
    uint8_t op, u8;
    uint16_t u16;
    uint32_t u32;
    unsigned i, a;

    memset(e, 0, sizeof *e);
    TRY(td_rd_u8(r, &op));
    ENSURE(op > 0 && op < TD_EDIT_OP_END, TD_ERR_SYNTAX);
    e->op = op;
    for (i = 0; i < 3 && (a = td_edit_ops[op].args[i]) != A_END; i++) {
        switch (a) {
        case A_FIELD: {
            const td_edit_field_info *f;

            TRY(td_rd_u8(r, &u8));
            f = td_edit_field_about(u8);
            ENSURE(f != NULL, TD_ERR_SYNTAX);
            e->field = u8;
            switch (f->kind) {
            case TD_EK_U8:
            case TD_EK_BOOL:
                TRY(td_rd_u8(r, &u8));
                e->num = u8;
                break;
            case TD_EK_U16:
                TRY(td_rd_u16(r, &u16));
                e->num = u16;
                break;
            case TD_EK_U32:
                TRY(td_rd_u32(r, &u32));
                e->num = u32;
                break;
            default:
                TRY(rd_hex(r, e));
                break;
            }
            break;
        }
        case A_EXT:
            TRY(td_rd_u16(r, &e->type));
            break;
        case A_HS:
        case A_CT:
            TRY(td_rd_u8(r, &u8));
            e->type = u8;
            break;
        case A_RECORD:
            TRY(td_rd_u16(r, &u16));
            e->num = u16;
            TRY(rd_hex(r, e));
            break;
        case A_POS:
        case A_AT:
            TRY(td_rd_u16(r, &u16));
            e->num = u16 == 0xffff ? -1 : u16;
            break;
        case A_HEX:
            TRY(rd_hex(r, e));
            break;
        case A_U24:
            TRY(td_rd_u24(r, &u32));
            e->num = u32;
            break;
        case A_DELTA:
            TRY(td_rd_u32(r, &u32));
            e->num = (int32_t)u32;
            break;
        case A_COUNT:
            TRY(td_rd_u8(r, &u8));
            e->num = u8;
            break;
        case A_SPLIT:
            TRY(td_rd_u16(r, &u16));
            e->num = u16;
            break;
        }
    }
    return td_edit_check(e, NULL, 0);
}

td_err td_edit_decode(td_span in, td_edit_script *out)
{
    td_rd r;

    memset(out, 0, sizeof *out);
    td_rd_init_span(&r, in);
    while (td_rd_left(&r) > 0) {
        if (out->n == TD_EDIT_MAX || decode_edit(&r, &out->e[out->n]) != TD_OK) {
            memset(out, 0, sizeof *out);
            return TD_ERR_SYNTAX;
        }
        out->n++;
    }
    return TD_OK;
}
