/*
 * Snapshots of the prefix (td_peer.c) change nothing: for every target,
 * every variant's canonical input and the first inputs of its seed corpus
 * (corpus/<target>/: edits of every kind the mutators make) are run with
 * snapshots off, then twice with them on (the first run of a variant
 * takes the snapshot, a later one restores it), and each subject's
 * observation (td_obs_digest: its state, every message byte for byte, its
 * alerts) and the judgement must be the same all three times. The
 * restores are counted: a comparison of runs that never restored would
 * prove nothing.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_peer.h"
#include "td_target.h"

Suite *td_snapshot_suite(void);

#define CORPUS_INPUTS 4u
#define INPUT_MAX 4096u

typedef struct digests {
    char ref[33], wolf[33];
    td_judgement judgement;
} digests;

static td_divergences known;
static td_target_result res;

static void run(const td_target *t, const uint8_t *in, size_t len, digests *d)
{
    char why[512] = "";

    ck_assert_msg(td_target_run(t, (td_span){in, len}, &known, &res, why, sizeof why) == TD_OK,
                  "%s: %s", t->name, why);
    td_obs_digest(&res.ref, d->ref);
    td_obs_digest(&res.wolf, d->wolf);
    d->judgement = res.judgement;
}

static void same(const td_target *t, const char *what, const digests *a, const digests *b)
{
    ck_assert_msg(strcmp(a->ref, b->ref) == 0, "%s %s: the reference's observation differs",
                  t->name, what);
    ck_assert_msg(strcmp(a->wolf, b->wolf) == 0, "%s %s: wolfSSL's observation differs",
                  t->name, what);
    ck_assert_msg(a->judgement == b->judgement, "%s %s: the judgement differs", t->name, what);
}

static void check_input(const td_target *t, const uint8_t *in, size_t len, const char *what)
{
    digests off, on1, on2;

    td_peer_set_snapshots(0);
    run(t, in, len, &off);
    td_peer_set_snapshots(1);
    run(t, in, len, &on1);
    run(t, in, len, &on2);
    same(t, what, &off, &on1);
    same(t, what, &off, &on2);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first CORPUS_INPUTS files of corpus/<target>/ in name order. */
static void corpus_inputs(const td_target *t)
{
    static uint8_t buf[INPUT_MAX];
    char dir[1024], path[2048], *names[256];
    size_t n = 0, i;
    struct dirent *de;
    DIR *d;

    snprintf(dir, sizeof dir, "%s/corpus/%s", TD_SOURCE_DIR, t->name);
    d = opendir(dir);
    ck_assert_msg(d != NULL, "%s: no seed corpus", dir);
    while ((de = readdir(d)) != NULL && n < 256)
        if (de->d_name[0] != '.')
            names[n++] = strdup(de->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (i = 0; i < n; i++) {
        FILE *f;
        size_t len;

        if (i < CORPUS_INPUTS) {
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            f = fopen(path, "rb");
            ck_assert_msg(f != NULL, "%s", path);
            len = fread(buf, 1, sizeof buf, f);
            fclose(f);
            check_input(t, buf, len, path);
        }
        free(names[i]);
    }
}

START_TEST(test_snapshot_every_target)
{
    const td_target *t = td_target_at((size_t)_i);
    td_peer_snapshot_stats before, after;
    char path[1024], why[512];
    uint8_t seed[2];
    size_t v;

    ck_assert_int_eq(td_vectors_path("divergences", path, sizeof path), TD_OK);
    ck_assert_msg(td_divergences_load(path, &known, why, sizeof why) == TD_OK, "%s", why);
    td_peer_snapshot_stats_get(&before);
    for (v = 0; v < td_target_variants(t); v++) {
        char what[64];

        snprintf(what, sizeof what, "variant %zu canonical", v);
        check_input(t, seed, td_target_seed(v, seed, sizeof seed), what);
    }
    corpus_inputs(t);
    td_peer_snapshot_stats_get(&after);
    /* ClientHello goes out first: nothing comes before it to restore */
    if (strcmp(t->name, "client_hello") != 0)
        ck_assert_msg(after.restored > before.restored, "%s: no run was restored", t->name);
    td_peer_set_snapshots(1);
}
END_TEST

Suite *td_snapshot_suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("equivalence");

    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_snapshot_every_target, 0, (int)td_target_count());
    suite_add_tcase(s, tc);
    return s;
}
