/*
 * The differential targets' glue (td_fuzz_diff.h).
 */
#include "td_fuzz_diff.h"

#include "td_edit.h"
#include "td_target.h"

#include <string.h>

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

int td_fuzz_diff_one(const char *name, const uint8_t *data, size_t size)
{
    static td_target_result res;
    const td_target *t = target_of(name);
    char why[512] = "";

    if (td_target_run(t, (td_span){data, size}, divergences(), &res, why, sizeof why) !=
        TD_OK) {
        fprintf(stderr, "%s: the harness could not run this input: %s\n", name, why);
        abort();
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

size_t td_fuzz_diff_mutate(const char *name, uint8_t *data, size_t size, size_t max,
                           unsigned int seed)
{
    const td_target *t = target_of(name);
    size_t n;

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
    n = td_edit_mutate(data + 2, size - 2, max - 2, seed, t->msg_type);
    return 2 + n;
}
