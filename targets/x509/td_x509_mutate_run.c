/*
 * td_x509_mutate_run: the mutator without libFuzzer, for every build
 * (gcc included). For each file of a corpus (sorted by name) it runs
 * ROUNDS chains of mutations: each round mutates the previous round's
 * output with a seed derived from the file and the round, and checks
 *   - determinism: the same input and seed give the same output;
 *   - the output is a well-formed input (td_xin_parse) within max_size;
 *   - LLVMFuzzerTestOneInput of fuzz_x509_chain (the differential check,
 *     linked in) holds on it: an unknown divergence aborts as it would
 *     under libFuzzer.
 * It ends with a count per mutation class. TD_X509_MUTATE_TRACE=1 prints
 * each input's file, round and class on stderr before it runs (with
 * TD_X509_FUZZ_VERBOSE, the target's line follows); TD_X509_MUTATE_SAVE=DIR
 * writes each output to DIR/FILE.ROUND.
 *
 *     td_x509_mutate_run CORPUS_DIR [ROUNDS] [MAX_SIZE]
 *
 * Exit: 0 ok, 1 a check failed, 2 usage or I/O.
 */
#include "td_fuzz.h"
#include "td_x509_input.h"
#include "td_x509_mutate.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_FILES 1024u
#define BUF (80u * 1024u)

static char names[MAX_FILES][256];

static int by_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

int main(int argc, char **argv)
{
    static uint8_t cur[BUF], again[BUF], before[BUF];
    static size_t per_class[64], none;
    DIR *d;
    struct dirent *e;
    size_t n = 0, i, r, rounds = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 8;
    size_t max_size = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 16384, runs = 0;
    int trace = getenv("TD_X509_MUTATE_TRACE") != NULL;
    const char *save = getenv("TD_X509_MUTATE_SAVE");

    if (argc < 2 || max_size > BUF) {
        fprintf(stderr, "usage: %s CORPUS_DIR [ROUNDS] [MAX_SIZE <= %u]\n", argv[0], BUF);
        return 2;
    }
    LLVMFuzzerInitialize(&argc, &argv);
    if ((d = opendir(argv[1])) == NULL) {
        fprintf(stderr, "%s: cannot open %s\n", argv[0], argv[1]);
        return 2;
    }
    while ((e = readdir(d)) != NULL && n < MAX_FILES) {
        char path[1024];
        struct stat st;

        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        /* the files of the corpus itself (not regressions/) */
        if (e->d_name[0] != '.' && strlen(e->d_name) < sizeof names[0] &&
            stat(path, &st) == 0 && S_ISREG(st.st_mode))
            memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (i = 0; i < n; i++) {
        char path[1024];
        FILE *f;
        size_t len;

        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        if ((f = fopen(path, "rb")) == NULL) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], path);
            return 2;
        }
        len = fread(cur, 1, max_size, f);
        fclose(f);
        for (r = 0; r < rounds; r++) {
            unsigned seed = (unsigned)(i * 7919u + r * 104729u + 1u);
            size_t out, out2, k;
            td_xin in;

            memcpy(before, cur, len);
            out = td_x509_mutate(cur, len, max_size, seed);
            memcpy(again, before, len);
            out2 = td_x509_mutate(again, len, max_size, seed);
            if (out != out2 || memcmp(cur, again, out) != 0) {
                fprintf(stderr, "%s: %s round %zu: not deterministic (%s)\n", argv[0], names[i],
                        r, td_x509_mutate_last_class());
                return 1;
            }
            if (out > max_size || td_xin_parse(cur, out, &in) != TD_OK) {
                fprintf(stderr, "%s: %s round %zu: %zu bytes, not an input (%s)\n", argv[0],
                        names[i], r, out, td_x509_mutate_last_class());
                return 1;
            }
            for (k = 0; k < td_x509_mutate_n_classes(); k++)
                if (strcmp(td_x509_mutate_class_name(k), td_x509_mutate_last_class()) == 0)
                    break;
            if (k < td_x509_mutate_n_classes())
                per_class[k]++;
            else
                none++;
            if (save) {
                char out_path[1024];
                FILE *o;

                snprintf(out_path, sizeof out_path, "%s/%s.%zu", save, names[i], r);
                if ((o = fopen(out_path, "wb")) != NULL) {
                    fwrite(cur, 1, out, o);
                    fclose(o);
                }
            }
            if (trace)
                fprintf(stderr, "td_x509_mutate_run: %s round %zu: %s\n", names[i], r,
                        td_x509_mutate_last_class());
            LLVMFuzzerTestOneInput(cur, out);
            len = out;
            runs++;
        }
    }
    printf("td_x509_mutate_run: %zu inputs, %zu mutations (%zu unchanged)\n", n, runs, none);
    for (i = 0; i < td_x509_mutate_n_classes(); i++)
        printf("  %-18s %zu\n", td_x509_mutate_class_name(i), per_class[i]);
    return 0;
}
