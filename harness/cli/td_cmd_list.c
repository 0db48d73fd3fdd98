/*
 * tlsdiff list: what can be named on the command line.
 *   profiles      vectors/profiles/<name>.profile, each with its summary line
 *                 (a profile that does not load is listed with its error)
 *   fuzz targets  the libFuzzer targets of targets/, from the table below
 *                 and td_target.c's (the differential targets)
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_cli.h"
#include "td_profile.h"
#include "td_target.h"

#define MAX_PROFILES 256
#define SUFFIX ".profile"

/* The fuzz targets (targets/CMakeLists.txt builds them): one row per
 * target, its folder, and what its input is. New families of targets
 * (messages per role, sequences, x509) add their rows here. */
static const struct {
    const char *name;
    const char *family;
    const char *summary;
} fuzz_targets[] = {
    {"roundtrip_client_hello", "codec", "ClientHello body: decode, re-encode, view"},
    {"roundtrip_server_hello", "codec", "ServerHello / HelloRetryRequest / EncryptedExtensions"},
    {"roundtrip_certificate", "codec",
     "Certificate, CertificateRequest, CertificateVerify (1.2 and 1.3)"},
    {"roundtrip_key_exchange", "codec", "ServerKeyExchange, ClientKeyExchange (RSA, ECDHE)"},
    {"roundtrip_post_handshake", "codec",
     "Finished, NewSessionTicket, KeyUpdate and the small messages"},
    {"roundtrip_extensions", "codec", "every extension codec in every context"},
    {"roundtrip_record", "codec", "records, inner plaintext, alerts, CCS, handshake reassembly"},
    {"fuzz_x509_chain", "x509", "a chain: reference vs wolfSSL verdict (custom mutator, re-signed)"},
    {"wolfssl_client_hello", "wolfssl", "baseline: raw ClientHello to a wolfSSL server, OSS-Fuzz style"},
    {"wolfssl_client_finished", "wolfssl",
     "baseline: raw TLS 1.2 second client flight, the ClientHello replayed each run"},
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Profile names in the vectors directory, sorted; -1 when it cannot be
 * read. */
static int profile_names(char names[][TD_PROFILE_MAX_NAME], const char **sorted, size_t *n)
{
    char dir[1024];
    DIR *d;
    struct dirent *e;

    *n = 0;
    if (td_vectors_path("profiles", dir, sizeof dir) != TD_OK || (d = opendir(dir)) == NULL) {
        fprintf(stderr, "tlsdiff list: cannot read %s/profiles\n", td_vectors_dir());
        return -1;
    }
    while ((e = readdir(d)) != NULL && *n < MAX_PROFILES) {
        size_t len = strlen(e->d_name), sl = strlen(SUFFIX);

        if (len <= sl || len - sl >= TD_PROFILE_MAX_NAME ||
            strcmp(e->d_name + len - sl, SUFFIX) != 0)
            continue;
        memcpy(names[*n], e->d_name, len - sl);
        names[*n][len - sl] = '\0';
        sorted[*n] = names[*n];
        (*n)++;
    }
    closedir(d);
    qsort(sorted, *n, sizeof sorted[0], by_name);
    return 0;
}

static int list_profiles(void)
{
    static char names[MAX_PROFILES][TD_PROFILE_MAX_NAME];
    static const char *sorted[MAX_PROFILES];
    size_t n, i, width = 0;
    int bad = 0;

    if (profile_names(names, sorted, &n) != 0)
        return -1;
    for (i = 0; i < n; i++)
        if (strlen(sorted[i]) > width)
            width = strlen(sorted[i]);
    printf("profiles (%s/profiles):\n", td_vectors_dir());
    for (i = 0; i < n; i++) {
        td_profile p;
        char why[512] = "";

        if (td_profile_load(&p, sorted[i], why, sizeof why) != TD_OK) {
            printf("  %-*s  (does not load: %s)\n", (int)width, sorted[i], why);
            bad = 1;
            continue;
        }
        printf("  %-*s  %s\n", (int)width, sorted[i], p.summary);
    }
    return bad ? -1 : 0;
}

/* A picking target's variants (td_target_variant), grouped by profile
 * and role: "; tls13-x25519-ecdsa-p256 (subject client): server_hello
 * encrypted_extensions ...", the N-th of a type as "server_hello#2". */
static void print_picks(const td_target *t)
{
    size_t v;
    td_target_variant prev = {NULL, TD_ROLE_CLIENT, 0, 0, 0, 0};

    printf("; variants:");
    for (v = 0; v < td_target_variants(t); v++) {
        td_target_variant tv;
        const char *name;

        td_target_variant_of(t, v, &tv);
        if (!prev.profile || strcmp(prev.profile, tv.profile) != 0 ||
            prev.subject_role != tv.subject_role)
            printf("%s %s (subject %s):", prev.profile ? ";" : "", tv.profile,
                   td_role_name(tv.subject_role));
        name = td_hs_name(tv.msg_type);
        if (name)
            printf(" %s", name);
        else
            printf(" %u", (unsigned)tv.msg_type);
        if (tv.occurrence)
            printf("#%u", tv.occurrence + 1);
        if (tv.post_handshake && tv.msg_type == TD_HS_KEY_UPDATE)
            printf("(%s)", tv.request_update ? "update_requested" : "update_not_requested");
        prev = tv;
    }
    printf("\n");
}

/* The table above, then the message-level differential targets from
 * their own table (td_target.c), with their profile variants, and the
 * targets that pick their message per variant (flight, record,
 * post_handshake). */
static void list_fuzz_targets(void)
{
    size_t i, v, width = 0;

    for (i = 0; i < sizeof fuzz_targets / sizeof fuzz_targets[0]; i++)
        if (strlen(fuzz_targets[i].name) > width)
            width = strlen(fuzz_targets[i].name);
    for (i = 0; i < td_target_count(); i++)
        if (strlen(td_target_at(i)->name) > width)
            width = strlen(td_target_at(i)->name);
    printf("fuzz targets (targets/):\n");
    for (i = 0; i < sizeof fuzz_targets / sizeof fuzz_targets[0]; i++)
        printf("  %-*s  %-6s  %s\n", (int)width, fuzz_targets[i].name, fuzz_targets[i].family,
               fuzz_targets[i].summary);
    for (i = 0; i < td_target_count(); i++) {
        const td_target *t = td_target_at(i);

        if (t->variants) {
            printf("  %-*s  %-6s  %s", (int)width, t->name, "diff", t->about);
            print_picks(t);
            continue;
        }
        printf("  %-*s  %-6s  %s; subject: %s; variants:", (int)width, t->name, "diff",
               t->about, t->subject_role == TD_ROLE_CLIENT ? "client" : "server");
        for (v = 0; v < td_target_variants(t); v++)
            printf(" %s", t->profiles[v]);
        printf("\n");
    }
}

int td_cmd_list(int argc, char **argv)
{
    int rc = 0, profiles = 1, fuzz = 1;

    if (argc > 2 ||
        (argc == 2 && strcmp(argv[1], "profiles") != 0 && strcmp(argv[1], "fuzz") != 0)) {
        fprintf(stderr, "usage: tlsdiff list [profiles | fuzz]\n");
        return 2;
    }
    if (argc == 2) {
        profiles = strcmp(argv[1], "profiles") == 0;
        fuzz = !profiles;
    }
    if (profiles && list_profiles() != 0)
        rc = 1;
    if (profiles && fuzz)
        printf("\n");
    if (fuzz)
        list_fuzz_targets();
    return rc;
}
