/* Allocator layer: every heap byte the core allocates for itself (parser stacks,
 * scratch buffers, key-cache copies) goes through these functions, which sit on
 * CPython's PyMem_* API so tracemalloc sees all of it. The GIL must be held.
 *
 * Sizes are passed to free and realloc (a sized API, as in Rust's allocator) so
 * live and peak byte counts cost no per-block header.
 *
 * Tests make allocations fail through CPython's allocator hooks instead
 * (testing.h), which covers these blocks and every Python object the core
 * creates alike. */
#ifndef JC_ALLOC_H
#define JC_ALLOC_H

#include "compat.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *jc_malloc(size_t size);
void *jc_calloc(size_t count, size_t size);
/* On failure returns NULL and leaves the old block (of old_size bytes) untouched. */
void *jc_realloc(void *block, size_t old_size, size_t new_size);
void jc_free(void *block, size_t size);

/* Counters of the core's own scratch blocks. Always on: four adds per
 * allocation, and the core allocates a handful of blocks per call. */
typedef struct jc_alloc_stats {
    uint64_t allocations; /* successful malloc/calloc, plus realloc of NULL */
    uint64_t reallocs;    /* successful realloc of a live block */
    uint64_t frees;
    uint64_t live_bytes;
    uint64_t peak_bytes; /* highest live_bytes since the last reset */
    uint64_t failed;     /* requests that returned NULL (injected or real) */
    /* Output buffers (the bytes objects dumps writes into): */
    uint64_t buffer_allocations;
    uint64_t buffer_resizes;    /* growths and the final trim */
    uint64_t buffer_peak_bytes; /* largest capacity since the last reset */
} jc_alloc_stats;

void jc_alloc_stats_get(jc_alloc_stats *out);
/* Zeroes the event counts and sets peak_bytes to the current live_bytes. */
void jc_alloc_stats_reset(void);

/* Output buffers: a bytes object of `capacity` bytes to write into, grown in
 * place and trimmed once at the end, so the finished document is never copied.
 * Both return NULL/-1 with MemoryError set on failure (resize leaves *bytes
 * freed, as _PyBytes_Resize does). */
PyObject *jc_bytes_new(size_t capacity);
int jc_bytes_resize(PyObject **bytes, size_t capacity);

#endif /* JC_ALLOC_H */
