/*
 * td_view: the semantic fields of a decoded handshake message, as a tree
 * of named values handed to a sink.
 *
 * The same walk feeds `tlsdiff decode` (text and JSON renderers) and the
 * observation of what a subject sent (the comparator names the first field
 * that differs). Field keys are the RFC's field names; values are numbers
 * with an optional registry name, byte strings, or text.
 */
#ifndef TD_VIEW_H
#define TD_VIEW_H

#include "td_bytes.h"
#include "td_err.h"
#include "td_ext.h"
#include "td_msg.h"

#include <stdint.h>

/* A sink. key is NULL for the elements of a list. */
typedef struct td_view {
    void *ctx;
    void (*open)(void *ctx, const char *key, int is_list);
    void (*close)(void *ctx, int is_list);
    /* name: the registry name of v ("TLS_AES_128_GCM_SHA256"), or NULL */
    void (*uint)(void *ctx, const char *key, uint64_t v, const char *name);
    void (*bytes)(void *ctx, const char *key, td_span b);
    /* printable ASCII (host names, ALPN protocol names) */
    void (*text)(void *ctx, const char *key, td_span s);
} td_view;

/* Decode msg_type/body under ctx and emit its fields inside an object
 * keyed by the message name. Returns the decoder's error; nothing is
 * emitted on error. */
TD_MUST_USE td_err td_view_message(const td_view *v, uint8_t msg_type,
                                   td_span body, const td_msg_ctx *ctx);

/* Emit a decoded message. */
void td_view_msg(const td_view *v, const td_msg *m);

/* Emit a checked extension block as a list, one object per extension
 * (type, name, and the typed fields, or the opaque bytes). */
void td_view_extensions(const td_view *v, const char *key, td_span block,
                        td_ext_ctx ctx);

#endif
