/*
 * td_bytes: the one bounds-checked reader (td_rd) for peer bytes and the
 * writer (td_wr) into caller storage. Neither allocates.
 *
 * Reader rules (STYLE.md "Parsing"):
 *   - every read is charged against the reader's remaining length;
 *   - a failed read leaves the reader AND the output untouched, so a caller
 *     may retry or report without having lost its position;
 *   - vectors take the RFC's <min..max> and hand back a child reader over
 *     the body; the parent has then consumed prefix + body;
 *   - td_rd_done() fails with decode_error when bytes remain, so every
 *     element must be consumed exactly (BearSSL close-elt, picotls
 *     ptls_decode_assert_block_close).
 *
 * Writer rules:
 *   - not sticky: a failed write returns TD_ERR_NOSPACE (or TD_ERR_INTERNAL
 *     for a caller bug) and leaves the writer exactly as it was; the caller
 *     must stop on the first error (TRY);
 *   - td_wr_open8/16/24 reserve a length prefix and td_wr_close back-fills
 *     it with the length of everything written since (picotls
 *     ptls_buffer_push_block). Blocks nest; td_wr_finish checks that every
 *     block was closed.
 *
 * No code outside td_rd.c does pointer arithmetic on peer bytes.
 */
#ifndef TD_BYTES_H
#define TD_BYTES_H

#include "td_err.h"

#include <stddef.h>
#include <stdint.h>

/* A read-only view of bytes owned by someone else. */
typedef struct td_span {
    const uint8_t *p;
    size_t len;
} td_span;

/* ------------------------------------------------------------------------
 * Reader
 * ------------------------------------------------------------------------ */

/* Fields are private to td_rd.c; a reader may be copied by value (a copy is
 * an independent cursor over the same bytes, e.g. to peek). */
typedef struct td_rd {
    const uint8_t *p;
    size_t len; /* total bytes in view */
    size_t off; /* bytes consumed */
} td_rd;

/* A reader over p[0..len). p may be NULL when len is 0. */
void td_rd_init(td_rd *rd, const uint8_t *p, size_t len);
void td_rd_init_span(td_rd *rd, td_span s);

/* Bytes not yet consumed. */
size_t td_rd_left(const td_rd *rd);

/* Fixed-width big-endian integers (RFC 8446 3.3). decode_error when fewer
 * bytes remain than the width. */
TD_MUST_USE td_err td_rd_u8(td_rd *rd, uint8_t *out);
TD_MUST_USE td_err td_rd_u16(td_rd *rd, uint16_t *out);
TD_MUST_USE td_err td_rd_u24(td_rd *rd, uint32_t *out);
TD_MUST_USE td_err td_rd_u32(td_rd *rd, uint32_t *out);

/* The next n bytes as a span into the input. decode_error if fewer remain. */
TD_MUST_USE td_err td_rd_span(td_rd *rd, size_t n, td_span *out);

/* Everything that remains, as a span; the reader is then done. */
void td_rd_rest(td_rd *rd, td_span *out);

/* A variable-length vector `opaque x<min..max>` with a 1/2/3-byte length
 * prefix (RFC 8446 3.4). The body becomes *child; the parent moves past it.
 *   decode_error   prefix truncated, length < min, length > max, or
 *                  length > bytes remaining (RFC 8446 6)
 *   TD_ERR_INTERNAL  min > max, or max does not fit the prefix (a caller bug)
 * min and max are in bytes, as the RFC writes them. */
TD_MUST_USE td_err td_rd_vec8(td_rd *rd, size_t min, size_t max, td_rd *child);
TD_MUST_USE td_err td_rd_vec16(td_rd *rd, size_t min, size_t max, td_rd *child);
TD_MUST_USE td_err td_rd_vec24(td_rd *rd, size_t min, size_t max, td_rd *child);

/* OK when every byte was consumed, else decode_error. */
TD_MUST_USE td_err td_rd_done(const td_rd *rd);

/* Why the last failed read of this thread failed, for error messages
 * ("offset 41: vector length 33 over its maximum 32"). Diagnostics only:
 * nothing decides on it. `at` points into the caller's input, so a
 * caller that knows where its input starts can compute the offset. */
typedef enum td_rd_why {
    TD_RD_OK = 0,
    TD_RD_SHORT,       /* wanted `want` bytes, `left` remained */
    TD_RD_LEN_RANGE,   /* a vector length `want` outside <min..max> */
    TD_RD_LEN_OVERRUN, /* a vector length `want` beyond the `left` bytes */
    TD_RD_TRAILING,    /* `left` bytes after the end of an element */
} td_rd_why;

typedef struct td_rd_failure {
    td_rd_why why;
    const uint8_t *at; /* where the failed read started */
    size_t want, left, min, max;
} td_rd_failure;

void td_rd_failure_clear(void);
td_rd_failure td_rd_failure_last(void);
/* One line: "vector length 33 over its maximum 32". */
void td_rd_failure_describe(const td_rd_failure *f, char *buf, size_t cap);

/* ------------------------------------------------------------------------
 * Writer
 * ------------------------------------------------------------------------ */

/* Fields are private to td_wr.c. */
/* An open length-prefixed block: where its prefix starts and how wide. */
typedef struct td_wr_mark {
    size_t start;
    unsigned width;
} td_wr_mark;

/* Optional record of every block a writer closed: where the length
 * prefixes of an encoding are. Tests use it to break each length field of
 * a message in turn. Marks past TD_WR_LOG_MAX are counted, not kept. */
#define TD_WR_LOG_MAX 512u
typedef struct td_wr_log {
    td_wr_mark marks[TD_WR_LOG_MAX];
    size_t n;
} td_wr_log;

typedef struct td_wr {
    uint8_t *buf;
    size_t cap;
    size_t len;
    unsigned open;  /* blocks opened and not yet closed */
    td_wr_log *log; /* NULL unless td_wr_set_log */
} td_wr;

void td_wr_init(td_wr *wr, uint8_t *buf, size_t cap);
/* Record closed blocks into *log (cleared here) from now on. */
void td_wr_set_log(td_wr *wr, td_wr_log *log);

/* Bytes written so far (including prefixes of open blocks). */
size_t td_wr_len(const td_wr *wr);

/* Big-endian integers. A value wider than the field is TD_ERR_INTERNAL. */
TD_MUST_USE td_err td_wr_u8(td_wr *wr, uint32_t v);
TD_MUST_USE td_err td_wr_u16(td_wr *wr, uint32_t v);
TD_MUST_USE td_err td_wr_u24(td_wr *wr, uint32_t v);
TD_MUST_USE td_err td_wr_u32(td_wr *wr, uint32_t v);

/* n bytes copied from p (p may be NULL when n is 0; may overlap buf). */
TD_MUST_USE td_err td_wr_bytes(td_wr *wr, const uint8_t *p, size_t n);
TD_MUST_USE td_err td_wr_span(td_wr *wr, td_span s);

/* Open a block with a 1/2/3-byte length prefix (written as zeros). */
TD_MUST_USE td_err td_wr_open8(td_wr *wr, td_wr_mark *m);
TD_MUST_USE td_err td_wr_open16(td_wr *wr, td_wr_mark *m);
TD_MUST_USE td_err td_wr_open24(td_wr *wr, td_wr_mark *m);

/* A DER element (X.690 8.1) whose length is known only at the end: open
 * writes the identifier octet `tag` and a one-octet length placeholder
 * and counts as an open block (its mark has width 0, so td_wr_close
 * refuses it and td_wr_close_der refuses the others). close_der encodes
 * the content length in the fewest octets (X.690 10.1: short form below
 * 128, else 0x81..0x84 and the length big-endian) and moves the contents
 * forward to make room.
 *   TD_ERR_NOSPACE   no room for the longer length encoding, or
 *                    contents of 2^32 octets or more
 *   TD_ERR_INTERNAL  m is not an open DER block of this writer
 * On error nothing changes (the block stays open). With a log, the mark
 * recorded is the length value's octets (after 0x8N in the long form),
 * and marks already logged inside the block move with its contents. */
TD_MUST_USE td_err td_wr_open_der(td_wr *wr, uint8_t tag, td_wr_mark *m);
TD_MUST_USE td_err td_wr_close_der(td_wr *wr, const td_wr_mark *m);

/* Back-fill the prefix of block m with the length of its body.
 *   TD_ERR_NOSPACE   body longer than the prefix can express
 *   TD_ERR_INTERNAL  m is not a block of this writer, or none is open
 * On error nothing changes (the block stays open). */
TD_MUST_USE td_err td_wr_close(td_wr *wr, const td_wr_mark *m);

/* The written bytes; TD_ERR_INTERNAL while a block is still open. */
TD_MUST_USE td_err td_wr_finish(const td_wr *wr, td_span *out);

#endif
