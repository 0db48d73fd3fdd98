/*
 * The differential targets' glue (td_fuzz_diff.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "td_fuzz_diff.h"

#include "td_edit.h"
#include "td_target.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Classes of divergence one process has recorded (td_fuzz_diff.h); past
 * this many, the folder alone says which are recorded. */
#define SEEN_MAX 1024

#ifdef TD_FUZZ_LIBFUZZER
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);
#endif

static td_divergences *divergences(void)
{
    static td_divergences d;
    static int loaded;
    char path[1024], why[512];

    if (!loaded) {
        if (td_vectors_path("divergences", path, sizeof path) != TD_OK ||
            td_divergences_load(path, &d, why, sizeof why) != TD_OK) {
            fprintf(stderr, "td_fuzz_diff: %s\n", why);
            abort();
        }
        loaded = 1;
    }
    return &d;
}

static const td_target *target_of(const char *name)
{
    const td_target *t = td_target_find(name);

    if (!t) {
        fprintf(stderr, "td_fuzz_diff: no target %s\n", name);
        abort();
    }
    return t;
}

/* FNV-1a over the fields of a class, each followed by a separator. */
static uint64_t fnv1a(uint64_t h, const char *str)
{
    for (; *str; str++) {
        h ^= (uint8_t)*str;
        h *= 0x100000001b3ull;
    }
    h ^= 0x1f;
    return h * 0x100000001b3ull;
}

static int seen_before(uint64_t key)
{
    static uint64_t seen[SEEN_MAX];
    static size_t n;
    size_t i;

    for (i = 0; i < n; i++)
        if (seen[i] == key)
            return 1;
    if (n < SEEN_MAX)
        seen[n++] = key;
    return 0;
}

static int write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    int bad;

    if (!f)
        return -1;
    bad = n > 0 && fwrite(p, 1, n, f) != n;
    return fclose(f) != 0 || bad ? -1 : 0;
}

static void record_failed(const char *what, const char *path)
{
    fprintf(stderr, "td_fuzz_diff: cannot %s %s: %s\n", what, path, strerror(errno));
    abort();
}

/* A new divergence under TD_FUZZ_DIVERGENCE_DIR: the input as
 * DIR/divergence-KEY (what tlsdiff replay takes) and its one-line
 * explanation as DIR/divergence-KEY.txt, once per class (target, profile,
 * first difference). The input is linked into place, so of the processes
 * that find a class at once (libFuzzer -fork) one records it; the
 * explanation is renamed into place after it, so whoever reads it reads
 * it whole. */
static void record_divergence(const char *dir, const char *name, const td_target_result *res,
                              const uint8_t *data, size_t size)
{
    uint64_t key = fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ull, name), res->profile), res->line);
    char path[1024], tmp[1024], line[1024];
    unsigned long long k = (unsigned long long)key;

    if (seen_before(key))
        return;
    snprintf(line, sizeof line, "%s [%s] %s; edit: %.160s\n", name, res->profile, res->line,
             res->edit);
    snprintf(tmp, sizeof tmp, "%s/.divergence-%016llx.%ld", dir, k, (long)getpid());
    snprintf(path, sizeof path, "%s/divergence-%016llx", dir, k);
    if (write_file(tmp, data, size) != 0)
        record_failed("write", tmp);
    if (link(tmp, path) != 0) {
        int already = errno == EEXIST;

        unlink(tmp);
        if (already)
            return;
        record_failed("create", path);
    }
    unlink(tmp);
    if (write_file(tmp, line, strlen(line)) != 0)
        record_failed("write", tmp);
    snprintf(path, sizeof path, "%s/divergence-%016llx.txt", dir, k);
    if (rename(tmp, path) != 0)
        record_failed("create", path);
    fprintf(stderr, "tlsdiff: divergence %s", line);
}

int td_fuzz_diff_one(const char *name, const uint8_t *data, size_t size)
{
    static td_target_result res;
    const td_target *t = target_of(name);
    const char *dir = getenv("TD_FUZZ_DIVERGENCE_DIR");
    char why[512] = "";

    if (td_target_run(t, (td_span){data, size}, divergences(), &res, why, sizeof why) !=
        TD_OK) {
        fprintf(stderr, "%s: the harness could not run this input: %s\n", name, why);
        abort();
    }
    if (res.judgement == TD_JUDGE_NEW && dir && *dir) {
        record_divergence(dir, name, &res, data, size);
        return 0;
    }
    if (res.judgement == TD_JUDGE_NEW) {
        fprintf(stderr,
                "%s: DIVERGENCE not in vectors/divergences\n"
                "  profile: %s\n  edit: %s\n  first difference: %s\n  reference:\n",
                name, res.profile, res.edit, res.line);
        td_obs_print(&res.ref, stderr);
        fprintf(stderr, "  wolfSSL:\n");
        td_obs_print(&res.wolf, stderr);
        abort();
    }
    return 0;
}

/* The edit script after the variant and mode bytes, mutated for the
 * variant's message (a picking target's differs per variant) with the
 * edits the target prefers (td_target_kind). */
static size_t mutate_script(const td_target *t, uint8_t *data, size_t size, size_t max,
                            unsigned int seed)
{
    td_target_variant tv;

    td_target_variant_of(t, data[0] % td_target_variants(t), &tv);
    switch (t->kind) {
    case TD_TARGET_FLIGHT:
        return td_edit_mutate_flight(data + 2, size - 2, max - 2, seed, tv.msg_type);
    case TD_TARGET_RECORD:
        return td_edit_mutate_record(data + 2, size - 2, max - 2, seed, tv.msg_type);
    default:
        return td_edit_mutate(data + 2, size - 2, max - 2, seed, tv.msg_type);
    }
}

size_t td_fuzz_diff_mutate(const char *name, uint8_t *data, size_t size, size_t max,
                           unsigned int seed)
{
    const td_target *t = target_of(name);

#ifdef TD_FUZZ_LIBFUZZER
    const char *raw = getenv("TD_FUZZ_RAW");

    if (raw && raw[0] == '1')
        return LLVMFuzzerMutate(data, size, max);
#endif
    if (max < 2)
        return size;
    if (size < 2) {
        data[0] = 0;
        data[1] = 0;
        size = 2;
    }
    /* now and then another profile variant */
    if (seed % 16 == 0)
        data[0] = (uint8_t)(seed >> 8);
    if (data[1] & 1) { /* raw bytes of the message */
#ifdef TD_FUZZ_LIBFUZZER
        return 2 + LLVMFuzzerMutate(data + 2, size - 2, max - 2);
#else
        return size;
#endif
    }
    return 2 + mutate_script(t, data, size, max, seed);
}
