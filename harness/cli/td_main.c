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
            "  conform [--filter GLOB]... [--junit FILE] [--report FILE] [--jobs N]\n"
            "          [--cases DIR] [--divergences FILE] [--seed N] [--verbose] [--list]\n"
            "          [--seeds]\n"
            "          the conformance suite (vectors/conformance) against the reference and\n"
            "          wolfSSL: a summary by RFC section, JUnit XML, a Markdown matrix; exit 1\n"
            "          when the reference fails a case or wolfSSL differs from the RFC in a\n"
            "          way vectors/divergences does not record, 2 on input errors; --list\n"
            "          prints the cases, --seeds the fuzz target inputs of their flights\n"
            "  decode [--json] [--hex | --bin] [--records | --handshake] [--tls12 | --tls13]\n"
            "         [--kx rsa|ecdhe] FILE...\n"
            "          print the fields of the handshake messages (or records) in each FILE,\n"
            "          hex or binary, '-' for stdin; a message that does not decode is one\n"
            "          line on stderr with its offset and reason, and exit status 1\n"
            "  serve [--port N] [--profile NAME] [--count N] [--timeout S] [--seed N]\n"
            "          the reference engine as a TLS server on 127.0.0.1 (default port 4433,\n"
            "          0 for any free one; profile server-rsa): one line per handshake,\n"
            "          application data echoed back, until SIGINT/SIGTERM or N connections\n"
            "  connect HOST:PORT [--profile NAME] [--send TEXT] [--timeout S] [--seed N]\n"
            "          the reference engine as a TLS client (profile client): the handshake\n"
            "          line, TEXT and a newline sent (default ping), what comes back printed;\n"
            "          exit 1 when the handshake fails, 2 on usage or network errors\n"
            "          (both write an NSS key log to $SSLKEYLOGFILE when it is set)\n"
            "  list [profiles | fuzz]\n"
            "          the profiles of vectors/profiles with their summaries, and the fuzz\n"
            "          targets\n"
            "  states [--dot]\n"
            "          the reference engine's handshake table: one line per (state, message)\n"
            "          row with the states it leads to; --dot: a Graphviz digraph\n"
            "  bench [--seconds S] [PROFILE...]\n"
            "          in-memory full handshakes per second for ref/ref, wolfssl/wolfssl and\n"
            "          the mixed pairs on each profile (default: the handshake profiles of\n"
            "          vectors/profiles/matrix.list), S seconds each (default 1), and the\n"
            "          ratio ref/wolfSSL; figures only, no pass or fail on a rate\n"
            "  x509 verify CHAIN.pem --ca ROOTS.pem [--host NAME] [--at TIME]\n"
            "       [--purpose server|client] [--json]\n"
            "          the chain checked by the reference and by wolfSSL under the same\n"
            "          anchors, clock and name: each certificate, both verdicts and\n"
            "          reasons, whether they agree; exit 0 when the reference accepts,\n"
            "          1 when it rejects, 2 on usage or input errors\n"
            "  replay TARGET PATH...\n"
            "          run saved inputs of a message-level target (files, folders,\n"
            "          libFuzzer artifacts) against the reference and wolfSSL: each\n"
            "          observation and same, the known divergence, the new one or the\n"
            "          crash; exit 1 on a new divergence or a crash, 2 on unreadable files\n"
            "  explain TARGET FILE [-o OUT]\n"
            "          reduce a diverging or crashing input of a target to the smallest edit\n"
            "          script over the canonical message that shows the same difference;\n"
            "          the reduced input goes to OUT (default FILE.min); exit 1 when the\n"
            "          input shows no difference, 2 on usage or input errors\n"
            "  fuzz TARGET [--time S] [--jobs N] [--runs N] [--raw] [--build DIR]\n"
            "          run a libFuzzer target of the fuzz preset (build/fuzz, or DIR) with its\n"
            "          corpus, the TLS dictionary and its .options; progress while it runs,\n"
            "          then a summary with each new divergence; --jobs: fork mode, --raw:\n"
            "          byte mutation; exit 1 on a crash of ours, 3 on new divergences or\n"
            "          wolfSSL crashes only, 2 on usage errors or no fuzz build\n"
            "  edit encode SCRIPT | edit print HEX\n"
            "          an edit script (e.g. 'ext drop key_share; set legacy_version 0x0301')\n"
            "          in the binary form the targets read, as hex, and back\n"
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
    if (strcmp(argv[1], "conform") == 0)
        return td_cmd_conform(argc - 1, argv + 1);
    if (strcmp(argv[1], "decode") == 0)
        return td_cmd_decode(argc - 1, argv + 1);
    if (strcmp(argv[1], "serve") == 0)
        return td_cmd_serve(argc - 1, argv + 1);
    if (strcmp(argv[1], "connect") == 0)
        return td_cmd_connect(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return td_cmd_list(argc - 1, argv + 1);
    if (strcmp(argv[1], "states") == 0)
        return td_cmd_states(argc - 1, argv + 1);
    if (strcmp(argv[1], "bench") == 0)
        return td_cmd_bench(argc - 1, argv + 1);
    if (strcmp(argv[1], "x509") == 0)
        return td_cmd_x509(argc - 1, argv + 1);
    if (strcmp(argv[1], "replay") == 0)
        return td_cmd_replay(argc - 1, argv + 1);
    if (strcmp(argv[1], "explain") == 0)
        return td_cmd_explain(argc - 1, argv + 1);
    if (strcmp(argv[1], "edit") == 0)
        return td_cmd_edit(argc - 1, argv + 1);
    if (strcmp(argv[1], "fuzz") == 0)
        return td_cmd_fuzz(argc - 1, argv + 1);
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
