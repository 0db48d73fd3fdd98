/*
 * td_wolfssl_seeds: the seed corpora of the wolfSSL-only targets, from
 * handshakes in the targets' own deterministic world (td_fuzz_wolfssl.h).
 *
 *   td_wolfssl_seeds CORPUS            write CORPUS/<target>/<SHA-1>
 *   td_wolfssl_seeds --check CORPUS    exit 1 unless every seed is there
 *                                      with these bytes
 *
 * wolfssl_client_hello: the first flight of the reference client and of
 * the wolfSSL client under each profile of the client_hello target
 * (harness/peer/td_target.c); the target's own profile is the first.
 *
 * wolfssl_client_finished: the reference client's second flight in the
 * canonical handshake the target replays (wolfssl_client_finished.c),
 * whole (it completes the handshake), cut after its first and its second
 * record (RFC 5246 6.2.1 framing), and followed by one application data
 * record.
 *
 * The second flight is only valid after the very ClientHello and server
 * flight the target replays, so the check (ctest fuzz.seeds.wolfssl)
 * fails when the reference client or wolfSSL changes what they send;
 * rerunning this writes the new seeds.
 */
#include "td_fuzz_wolfssl.h"

#include <wolfssl/wolfcrypt/settings.h>

#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/sha.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define TLS12_PROFILE "tls12-ecdhe-ecdsa-aes128-gcm"
#define RECORD_HEADER 5 /* RFC 5246 6.2.1: type, version, length */

/* the client_hello target's variants */
static const char *const hello_profiles[] = {
    "tls13-x25519-ecdsa-p256",  "tls13-p256-rsa-pss",   "tls13-hrr",
    "tls12-ecdhe-rsa-chacha20", "tls12-rsa-aes128-gcm", "tls12-ecdhe-ecdsa-aes128-gcm",
};

static int check_only;
static int failed;

static void put(const char *corpus, const char *target, const uint8_t *p, size_t n)
{
    static uint8_t have[TD_WOLF_FLIGHT_MAX * 2];
    uint8_t md[WC_SHA_DIGEST_SIZE];
    char path[4096];
    size_t i, k, got = 0;
    FILE *f;

    if (wc_ShaHash(p, (word32)n, md) != 0) {
        fprintf(stderr, "td_wolfssl_seeds: SHA-1 failed\n");
        exit(2);
    }
    k = (size_t)snprintf(path, sizeof path, "%s/%s/", corpus, target);
    for (i = 0; i < sizeof md && k + 2 < sizeof path; i++, k += 2)
        snprintf(path + k, sizeof path - k, "%02x", md[i]);
    f = fopen(path, check_only ? "rb" : "wb");
    if (f && check_only)
        got = fread(have, 1, sizeof have, f);
    else if (f)
        got = fwrite(p, 1, n, f);
    if (!f || got != n || (check_only && memcmp(have, p, n) != 0)) {
        fprintf(stderr, "td_wolfssl_seeds: %s: %s\n", path,
                check_only ? "missing or different" : "cannot write");
        failed = 1;
    }
    if (f)
        fclose(f);
}

/* The first flight of a client subject under profile `name`. */
static void client_hello_of(td_impl impl, const char *name, td_wolf_flight *out)
{
    td_subject *s = NULL;
    char why[512] = "";
    td_profile p;
    td_world w;

    out->len = 0;
    if (td_profile_load(&p, name, why, sizeof why) != TD_OK) {
        fprintf(stderr, "td_wolfssl_seeds: %s\n", why);
        exit(2);
    }
    td_world_init(&w, TD_WOLF_SEED);
    if (td_subject_new(impl, TD_ROLE_CLIENT, &p, &w, &s) != TD_OK ||
        td_subject_feed(s, NULL, 0) != TD_OK || td_subject_pending(s) > sizeof out->p) {
        fprintf(stderr, "td_wolfssl_seeds: %s client of %s: %s\n", td_impl_name(impl), name,
                td_subject_last_error());
        exit(2);
    }
    td_subject_drain(s, out->p, sizeof out->p, &out->len);
    td_subject_free(s);
    td_world_free(&w);
}

static void client_hello_seeds(const char *corpus)
{
    static const td_impl impls[] = {TD_IMPL_REF, TD_IMPL_WOLFSSL};
    static td_wolf_flight f;
    size_t v, i;

    for (v = 0; v < sizeof hello_profiles / sizeof hello_profiles[0]; v++) {
        for (i = 0; i < 2; i++) {
            client_hello_of(impls[i], hello_profiles[v], &f);
            put(corpus, "wolfssl_client_hello", f.p, f.len);
        }
    }
}

/* The length of the first `records` records of f (all of it if fewer). */
static size_t records_len(const td_wolf_flight *f, size_t records)
{
    size_t off = 0;

    while (records-- > 0 && off + RECORD_HEADER <= f->len)
        off += RECORD_HEADER + ((size_t)f->p[off + 3] << 8 | f->p[off + 4]);
    return off < f->len ? off : f->len;
}

static void client_finished_seeds(const char *corpus)
{
    static td_wolf_canon c;
    static uint8_t both[2 * TD_WOLF_FLIGHT_MAX];
    char why[512] = "";
    td_profile p;

    if (td_profile_load(&p, TLS12_PROFILE, why, sizeof why) != TD_OK ||
        td_wolf_canonical(TD_IMPL_REF, &p, &c, why, sizeof why) != TD_OK) {
        fprintf(stderr, "td_wolfssl_seeds: %s: %s\n", TLS12_PROFILE, why);
        exit(2);
    }
    put(corpus, "wolfssl_client_finished", c.client_second.p, c.client_second.len);
    put(corpus, "wolfssl_client_finished", c.client_second.p, records_len(&c.client_second, 1));
    put(corpus, "wolfssl_client_finished", c.client_second.p, records_len(&c.client_second, 2));
    memcpy(both, c.client_second.p, c.client_second.len);
    memcpy(both + c.client_second.len, c.client_app.p, c.client_app.len);
    put(corpus, "wolfssl_client_finished", both, c.client_second.len + c.client_app.len);
}

int main(int argc, char **argv)
{
    const char *corpus = argc == 2 ? argv[1] : argc == 3 ? argv[2] : NULL;

    check_only = argc == 3 && strcmp(argv[1], "--check") == 0;
    if (!corpus || (argc == 3 && !check_only)) {
        fprintf(stderr, "usage: td_wolfssl_seeds [--check] CORPUS_DIR\n");
        return 2;
    }
    if (!check_only) {
        static const char *const dirs[] = {"wolfssl_client_hello", "wolfssl_client_finished"};
        char path[4096];
        size_t i;

        for (i = 0; i < 2; i++) {
            snprintf(path, sizeof path, "%s/%s", corpus, dirs[i]);
            if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "td_wolfssl_seeds: %s: %s\n", path, strerror(errno));
                return 2;
            }
        }
    }
    client_hello_seeds(corpus);
    client_finished_seeds(corpus);
    if (failed && check_only)
        fprintf(stderr, "td_wolfssl_seeds: the seeds are stale: run td_wolfssl_seeds %s\n", corpus);
    return failed;
}
