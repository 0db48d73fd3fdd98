/* Renderers for td_view: an indented text tree and JSON. */
#ifndef TD_RENDER_H
#define TD_RENDER_H

#include "td_view.h"

#include <stdio.h>

typedef struct td_render {
    FILE *out;
    int json;
    unsigned depth;
    /* JSON: whether the container at each depth already has a member */
    unsigned char has_member[64];
    /* text: whether the container at each depth is a list */
    unsigned char in_list[64];
} td_render;

/* A td_view sink that writes to r->out. */
void td_render_init(td_render *r, FILE *out, int json, unsigned depth);
td_view td_render_view(td_render *r);

/* JSON string literal of s (escaped). */
void td_render_json_string(FILE *out, const char *s);

#endif
