/*
 * What the files of the edit language share (harness/peer only): the op
 * table (each op's name and its arguments, in order) that check, parse
 * (td_edit.c), print (td_edit_print.c), encode and decode
 * (td_edit_binary.c) all walk, and the ContentType names of the record
 * edits.
 */
#ifndef TD_EDIT_OPS_H
#define TD_EDIT_OPS_H

#include "td_edit.h"

#include <stddef.h>
#include <stdint.h>

/* The arguments of an op, in the order they are written. Short names:
 * this header is private to td_edit*.c. */
enum td_edit_arg {
    A_END = 0,
    A_FIELD,  /* field and its value */
    A_EXT,    /* type: ExtensionType */
    A_HS,     /* type: HandshakeType */
    A_POS,    /* num: position, -1 last */
    A_AT,     /* optional `at POS`, default -1 */
    A_HEX,    /* bytes */
    A_U24,    /* num: 0..2^24-1 */
    A_DELTA,  /* num: -(2^24-1)..2^24-1 */
    A_COUNT,  /* optional num 1..255, default 1 */
    A_SPLIT,  /* num: 1..2^14 */
    A_CT,     /* type: ContentType */
    A_RECORD, /* num = payload length, bytes = its stored form
                    (td_edit.h, "record") */
};

#define U24_MAX 0xffffffLL
#define SPLIT_MAX 16384 /* RFC 8446 5.1: TLSPlaintext.fragment <= 2^14 */

typedef struct td_edit_op_info {
    const char *name;
    uint8_t args[3]; /* enum td_edit_arg, A_END-terminated */
} td_edit_op_info;

/* Indexed by td_edit_op; [0] is empty. */
extern const td_edit_op_info td_edit_ops[TD_EDIT_OP_END];

/* "handshake" for 22 (RFC 8446 5.1 ContentType; heartbeat, RFC 6520);
 * NULL for other values. */
const char *td_edit_ct_name(unsigned ct);

#endif
