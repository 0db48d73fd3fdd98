/* Helpers shared by the td_view walkers (td_view_msg.c, td_view_ext.c). */
#ifndef TD_VIEW_IMPL_H
#define TD_VIEW_IMPL_H

#include "td_names.h"
#include "td_view.h"

/* A list of uint16 values, each with its registry name (kind < 0: none). */
void td_view_u16_list(const td_view *v, const char *key, td_span list,
                      int kind);
/* A list of uint8 values with an optional name function. */
void td_view_u8_list(const td_view *v, const char *key, td_span list,
                     const char *(*name)(uint8_t));
/* A list of opaque<..> elements with a 1- or 2-byte length prefix. */
void td_view_opaque_list(const td_view *v, const char *key, td_span list,
                         unsigned width, int as_text);
/* A scalar with its registry name. */
void td_view_named(const td_view *v, const char *key, uint16_t code, int kind);

#endif
