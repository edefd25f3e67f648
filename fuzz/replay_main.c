/* Replays files, and directories of files (recursively, in name order), through
 * one fuzz target built without a fuzzing engine: `make check` runs the seed
 * corpus and corpus/regressions/ this way, and a crash found by libFuzzer or
 * AFL++ reproduces under gdb or valgrind with the normal compiler.
 *
 *     replay_fuzz_loads corpus/seeds/fuzz_loads crash-1234...
 *
 * A missing path is reported and skipped (git keeps no empty directories).
 * Exit status 0 when every input passed; a violated property aborts. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

static size_t inputs_run;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    uint8_t *data = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? 2 * cap : 4096;
            uint8_t *grown = realloc(data, cap);
            if (grown == NULL) {
                fprintf(stderr, "out of memory reading %s\n", path);
                free(data);
                fclose(f);
                return -1;
            }
            data = grown;
        }
        size_t got = fread(data + size, 1, cap - size, f);
        size += got;
        if (got == 0)
            break;
    }
    fclose(f);
    /* An exactly sized copy, as the engines pass it: ASan sees any over-read. */
    uint8_t *input = malloc(size ? size : 1);
    if (input == NULL) {
        free(data);
        return -1;
    }
    memcpy(input, data, size);
    free(data);
    if (getenv("JCODEC_REPLAY_VERBOSE"))
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
    LLVMFuzzerTestOneInput(input, size);
    free(input);
    inputs_run++;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: absent, skipped\n", path);
        return 0;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    DIR *dir = opendir(path);
    if (dir == NULL) {
        perror(path);
        return -1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') /* ., .., and hidden files such as .gitkeep */
            continue;
        if (count == cap) {
            cap = cap ? 2 * cap : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (grown == NULL)
                abort();
            names = grown;
        }
        names[count++] = strdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare_names);
    int status = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *child = malloc(len);
        snprintf(child, len, "%s/%s", path, names[i]);
        if (run_path(child) != 0)
            status = -1;
        free(child);
        free(names[i]);
    }
    free(names);
    return status;
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i]) != 0)
            status = 1;
    printf("replay %s: %zu inputs passed\n", argv[0], inputs_run);
    return status;
}
