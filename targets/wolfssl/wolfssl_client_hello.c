/*
 * wolfssl_client_hello: wolfSSL alone as a server (wolfSSL_accept through
 * the wolfSSL subject, td_fuzz_wolfssl.h), under the profile of the
 * client_hello target's first variant, tls13-x25519-ecdsa-p256. The input
 * is raw bytes, the client's first flight as records (RFC 8446 5.1,
 * 4.1.2); the server runs until it wants more input, so a valid
 * ClientHello gets its whole first flight (ServerHello with an X25519 key
 * share, EncryptedExtensions, Certificate, CertificateVerify signed with
 * ECDSA P-256, Finished), computed on every run. The OSS-Fuzz style
 * baseline of the client_hello target (ci/bench-fuzz.sh).
 */
#include "td_fuzz_wolfssl.h"

#define PROFILE "tls13-x25519-ecdsa-p256"

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The profile is read and wolfSSL initialised once, before the first
 * input (under libFuzzer, outside any input's coverage). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    td_wolf_server ws;

    (void)argc;
    (void)argv;
    td_wolf_server_start(&ws, td_wolf_profile(PROFILE));
    td_wolf_server_stop(&ws);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_wolf_server ws;

    td_wolf_server_start(&ws, td_wolf_profile(PROFILE));
    td_wolf_server_feed(&ws, data, size);
    td_wolf_server_stop(&ws);
    return 0;
}
