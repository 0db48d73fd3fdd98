/*
 * tlsdiff edit encode SCRIPT   the binary form of an edit script, as hex
 * tlsdiff edit print HEX       the text of a binary edit script
 *
 * The binary form is what the message-level targets read after their two
 * leading bytes (td_target.h) and what the fuzz mutator mutates; these two
 * turn a script a person writes into a seed, and a saved input back into
 * words. Exit 0, or 2 with one line saying what is wrong.
 */
#include "td_cli.h"

#include "td_edit.h"

#include <stdio.h>
#include <string.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* argv[0] is "edit" */
int td_cmd_edit(int argc, char **argv)
{
    static td_edit_script s;
    static uint8_t buf[16384];
    static char text[16384];
    char why[256] = "";

    if (argc == 3 && strcmp(argv[1], "encode") == 0) {
        td_wr w;
        td_span out;
        size_t i;

        if (td_edit_parse(argv[2], &s, why, sizeof why) != TD_OK) {
            fprintf(stderr, "tlsdiff: edit: %s\n", why);
            return 2;
        }
        td_wr_init(&w, buf, sizeof buf);
        if (td_edit_encode(&s, &w) != TD_OK || td_wr_finish(&w, &out) != TD_OK) {
            fprintf(stderr, "tlsdiff: edit: the script does not encode\n");
            return 2;
        }
        for (i = 0; i < out.len; i++)
            printf("%02x", out.p[i]);
        printf("\n");
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "print") == 0) {
        const char *h = argv[2];
        size_t n = 0, i;

        for (i = 0; h[i] && h[i + 1] && n < sizeof buf; i += 2) {
            int hi = hexval((unsigned char)h[i]), lo = hexval((unsigned char)h[i + 1]);
            if (hi < 0 || lo < 0) {
                fprintf(stderr, "tlsdiff: edit: not hex at character %zu\n", i);
                return 2;
            }
            buf[n++] = (uint8_t)(hi << 4 | lo);
        }
        if (h[i]) {
            fprintf(stderr, "tlsdiff: edit: an odd number of hex digits\n");
            return 2;
        }
        if (td_edit_decode((td_span){buf, n}, &s) != TD_OK) {
            fprintf(stderr, "tlsdiff: edit: not an edit script\n");
            return 2;
        }
        (void)td_edit_print(&s, text, sizeof text);
        printf("%s\n", s.n ? text : "(empty: the canonical message)");
        return 0;
    }
    fprintf(argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr,
            "usage: tlsdiff edit encode SCRIPT | tlsdiff edit print HEX\n");
    return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
}
