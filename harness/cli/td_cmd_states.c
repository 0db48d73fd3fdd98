/*
 * tlsdiff states: the reference engine's handshake table
 * (harness/ref/engine/td_hs_table.c), both roles and both versions.
 *
 *   tlsdiff states          one line per row: the state, the handshake
 *                           message it takes there, the states the
 *                           handler may go to
 *   tlsdiff states --dot    the same as a Graphviz digraph
 *                           (td_hs_table_dot); docs/states.svg is
 *                           `tlsdiff states --dot | dot -Tsvg`, checked
 *                           by ci/states.sh
 *
 * Exit: 0, or 2 on a usage error.
 */
#include "td_cli.h"
#include "td_conn.h"
#include "td_msg.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: tlsdiff states [--dot]\n");
}

static int print_dot(void)
{
    static char buf[1 << 18];
    size_t len = 0;

    if (td_hs_table_dot(buf, sizeof buf, &len) != TD_OK) {
        fprintf(stderr, "tlsdiff states: the diagram does not fit\n");
        return 1;
    }
    fwrite(buf, 1, len, stdout);
    return 0;
}

static void print_table(void)
{
    size_t n, i, j;
    const td_hs_row *rows = td_hs_table(&n);

    printf("%-34s %-22s %s\n", "state", "message", "next states");
    for (i = 0; i < n; i++) {
        const char *m = td_hs_name(rows[i].msg_type);

        printf("%-34s %-22s ", td_hs_state_name(rows[i].state), m ? m : "?");
        for (j = 0; j < TD_HS_MAX_NEXT; j++) {
            if (j > 0 && rows[i].next[j] == TD_ST_START)
                break; /* the end of the list */
            printf("%s%s", j ? ", " : "", td_hs_state_name(rows[i].next[j]));
        }
        printf("%s\n", rows[i].in_transcript ? "" : "  (not in the transcript)");
    }
    printf("\n%zu rows. Any other (state, message) pair is unexpected_message."
           "\nThe TLS 1.2 ChangeCipherSpec is a record, not a handshake "
           "message:\nCLI12_WAIT_CHANGE_CIPHER_SPEC -> CLI12_WAIT_FINISHED and "
           "SRV12_WAIT_CHANGE_CIPHER_SPEC -> SRV12_WAIT_FINISHED\nare the "
           "driver's (td_conn.c).\n",
           n);
}

int td_cmd_states(int argc, char **argv)
{
    int i, dot = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dot") == 0) {
            dot = 1;
        } else if (strcmp(argv[i], "--help") == 0 ||
                   strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "tlsdiff states: unknown argument '%s'\n",
                    argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (dot)
        return print_dot();
    print_table();
    return 0;
}
