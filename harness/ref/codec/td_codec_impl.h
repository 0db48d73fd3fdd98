/*
 * Private to harness/ref/codec: the vector helpers the message and
 * extension codecs share, and the extension encoders' form check. Not a
 * public header; the codec API is td_msg.h and td_ext.h.
 */
#ifndef TD_CODEC_IMPL_H
#define TD_CODEC_IMPL_H

#include "td_bytes.h"
#include "td_err.h"
#include "td_ext.h"

#include <stddef.h>
#include <stdint.h>

/* Read `T list<min..max>` with a `width`-byte length prefix (1, 2 or 3)
 * from r; *body is the list body. elem is the size of T in bytes (1 for
 * opaque, 2 for uint16 values such as NamedGroup or CipherSuite): a body
 * that is not a whole number of elements cannot be decoded (RFC 8446
 * 3.4). All of these are decode_error (RFC 8446 6); on error r and *body
 * are unchanged. */
TD_MUST_USE td_err td_codec_vec_read(td_rd *r, unsigned width, size_t min, size_t max, size_t elem,
                                     td_span *body);

/* A field that is exactly one such list (extension_data, mostly): the
 * same checks, and no byte after it (RFC 8446 6: decode_error). */
TD_MUST_USE td_err td_codec_vec_decode(td_span data, unsigned width, size_t min, size_t max,
                                       size_t elem, td_span *body);

/* One step over a list body whose elements are each `opaque x<min..max>`
 * with a `width`-byte prefix (DistinguishedName, PskBinderEntry,
 * ASN.1Cert, ProtocolName): *got = 1 and the element, or *got = 0 at the
 * end. decode_error for a broken element; on error nothing changes. */
TD_MUST_USE td_err td_codec_vec_next(td_rd *list, unsigned width, size_t min, size_t max,
                                     td_span *elem, int *got);

/* Walk such a list body to its end: *count = its elements. */
TD_MUST_USE td_err td_codec_vec_count(td_span list, unsigned width, size_t min, size_t max,
                                      size_t *count);

/* Whether a list body of uint8 values (CompressionMethod, ECPointFormat)
 * holds v. */
int td_codec_u8_list_has(td_span list, uint8_t v);

/* Write `opaque body<..>` with a `width`-byte length prefix (1, 2 or 3),
 * by the encoder rule of td_ext.h and td_msg.h: any body its prefix can
 * express is written, whatever the RFC's <min..max> for the field (that
 * is the receiver's check). TD_ERR_INTERNAL when body.len does not fit
 * the prefix (no wire form) or width is not 1..3; TD_ERR_NOSPACE when the
 * writer is too small. On error the writer is unchanged. */
TD_MUST_USE td_err td_codec_vec_write(td_wr *wr, unsigned width, td_span body);

/* The extension encoders' counterpart of td_ext_form_check
 * (ext/td_ext_block.c), from the same table: TD_ERR_INTERNAL for a ctx
 * outside td_ext_ctx or one in which `type` has no form. A receiver
 * answers such an extension with illegal_parameter (RFC 8446 4.2); for a
 * sender there is no wire form to write, so it is a caller bug. */
TD_MUST_USE td_err td_ext_encode_check(uint16_t type, td_ext_ctx ctx);

#endif
