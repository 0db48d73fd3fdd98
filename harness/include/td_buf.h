/* td_buf: a growable byte buffer for the harness layers that may allocate
 * (subjects, transcripts, the CLI). harness/ref never uses it. */
#ifndef TD_BUF_H
#define TD_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "td_err.h"

typedef struct td_buf {
    uint8_t *p;
    size_t len, cap;
} td_buf;

TD_MUST_USE td_err td_buf_append(td_buf *b, const uint8_t *data, size_t len);
/* Move up to cap bytes from the front of b into out. */
void td_buf_take(td_buf *b, uint8_t *out, size_t cap, size_t *len);
void td_buf_free(td_buf *b);

#endif
