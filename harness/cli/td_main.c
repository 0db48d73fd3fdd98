/*
 * tlsdiff: TLS handshake conformance and differential fuzzing harness.
 */
#include <stdio.h>
#include <string.h>

#include "td_cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tlsdiff <command> [options]\n"
            "\n"
            "commands:\n"
            "  matrix [--seed N] [--client IMPL] [--server IMPL] [--list FILE] [--digests]\n"
            "         [PROFILE...]\n"
            "          run a client and a server subject against each other in memory for\n"
            "          each profile (default: vectors/profiles/matrix.list) and print a table;\n"
            "          IMPL is wolfssl (ref comes with the reference engine); --digests\n"
            "          prints one transcript digest per profile instead\n"
            "  decode [--json] [--hex | --bin] [--records | --handshake] [--tls12 | --tls13]\n"
            "         [--kx rsa|ecdhe] FILE...\n"
            "          print the fields of the handshake messages (or records) in each FILE,\n"
            "          hex or binary, '-' for stdin; a message that does not decode is one\n"
            "          line on stderr with its offset and reason, and exit status 1\n"
            "  version print the versions of tlsdiff and of the wolfSSL it was built with\n"
            "  help    this text\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "matrix") == 0)
        return td_cmd_matrix(argc - 1, argv + 1);
    if (strcmp(argv[1], "decode") == 0)
        return td_cmd_decode(argc - 1, argv + 1);
    if (strcmp(argv[1], "version") == 0) {
        printf("tlsdiff 0.1.0\nwolfSSL %s\n", TD_WOLFSSL_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "tlsdiff: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
