/* Allocator layer over PyMem_*, with its counters. See alloc.h. */
#include "compat.h"

#include "alloc.h"
#include "compiler.h"

/*==============================================================================
 * Counted scratch allocation
 *============================================================================*/

/* Module-global rather than per-interpreter: every interpreter shares the one
 * process heap, and the GIL serialises the updates. */
static jc_alloc_stats stats;

JC_INLINE void note_alloc(size_t size)
{
    stats.allocations++;
    stats.live_bytes += size;
    if (stats.live_bytes > stats.peak_bytes)
        stats.peak_bytes = stats.live_bytes;
}

void *jc_malloc(size_t size)
{
    void *block = PyMem_Malloc(size ? size : 1);
    if (jc_unlikely(block == NULL)) {
        stats.failed++;
        return NULL;
    }
    note_alloc(size);
    return block;
}

void *jc_calloc(size_t count, size_t size)
{
    void *block = PyMem_Calloc(count ? count : 1, size ? size : 1);
    if (jc_unlikely(block == NULL)) {
        stats.failed++;
        return NULL;
    }
    note_alloc(count * size);
    return block;
}

void *jc_realloc(void *block, size_t old_size, size_t new_size)
{
    if (block == NULL)
        return jc_malloc(new_size);
    void *moved = PyMem_Realloc(block, new_size ? new_size : 1);
    if (jc_unlikely(moved == NULL)) {
        stats.failed++;
        return NULL;
    }
    stats.reallocs++;
    stats.live_bytes += new_size;
    stats.live_bytes -= old_size;
    if (stats.live_bytes > stats.peak_bytes)
        stats.peak_bytes = stats.live_bytes;
    return moved;
}

void jc_free(void *block, size_t size)
{
    if (block == NULL)
        return;
    PyMem_Free(block);
    stats.frees++;
    stats.live_bytes -= size;
}

void jc_alloc_stats_get(jc_alloc_stats *out)
{
    *out = stats;
}

void jc_alloc_stats_reset(void)
{
    uint64_t live = stats.live_bytes;
    memset(&stats, 0, sizeof stats);
    stats.live_bytes = live;
    stats.peak_bytes = live;
}

/*==============================================================================
 * Output buffers
 *============================================================================*/

/* Bytes objects live in CPython's OBJ domain, so they are resized with
 * _PyBytes_Resize (documented in the C API) rather than jc_realloc: mixing
 * domains would be caught by the debug allocators. */
PyObject *jc_bytes_new(size_t capacity)
{
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)capacity);
    if (jc_unlikely(bytes == NULL))
        return NULL;
    stats.buffer_allocations++;
    if (capacity > stats.buffer_peak_bytes)
        stats.buffer_peak_bytes = capacity;
    return bytes;
}

int jc_bytes_resize(PyObject **bytes, size_t capacity)
{
    if (jc_unlikely(_PyBytes_Resize(bytes, (Py_ssize_t)capacity) < 0))
        return -1;
    stats.buffer_resizes++;
    if (capacity > stats.buffer_peak_bytes)
        stats.buffer_peak_bytes = capacity;
    return 0;
}
