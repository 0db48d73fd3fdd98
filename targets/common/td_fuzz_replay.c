/*
 * The replay main: run a fuzz target's LLVMFuzzerTestOneInput over files
 * and directories given on the command line, the way libFuzzer runs a
 * corpus. A file that cannot be read is one line on stderr naming it; the
 * others still run. An invariant failure aborts (the input is named on
 * stderr just before).
 *
 * Exit: 0 all inputs ran, 2 some could not be read.
 */
#include "td_fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX (1u << 20)

static int run_file(const char *path)
{
    static uint8_t buf[REPLAY_MAX];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f) {
        fprintf(stderr, "replay: %s: cannot read: %s\n", path, strerror(errno));
        return 2;
    }
    n = fread(buf, 1, sizeof buf, f);
    if (ferror(f)) {
        fprintf(stderr, "replay: %s: cannot read: %s\n", path, strerror(errno));
        fclose(f);
        return 2;
    }
    fclose(f);
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
    LLVMFuzzerTestOneInput(buf, n);
    return 0;
}

static int run_path(const char *path, unsigned *count)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    int rc = 0;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        (*count)++;
        return run_file(path);
    }
    d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: %s: cannot open: %s\n", path, strerror(errno));
        return 2;
    }
    while ((de = readdir(d)) != NULL) {
        char sub[4096];
        int r;

        if (de->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
        r = run_path(sub, count);
        if (r > rc)
            rc = r;
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned count = 0;
    int i, rc = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (i = 1; i < argc; i++) {
        int r = run_path(argv[i], &count);

        if (r > rc)
            rc = r;
    }
    fprintf(stderr, "replay: %u input%s\n", count, count == 1 ? "" : "s");
    return rc;
}
