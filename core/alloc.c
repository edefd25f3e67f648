/* Allocator layer over PyMem_*, with its counters. See alloc.h. */
#include "compat.h"

#include <stdatomic.h>

#include "alloc.h"
#include "compiler.h"

/*==============================================================================
 * Counted scratch allocation
 *============================================================================*/

/* Process-wide: every interpreter shares the one heap, and interpreters with
 * their own GIL (3.12 and later) allocate at the same time, so the counters
 * are atomic. Relaxed order: they are statistics, nothing is ordered by them. */
static struct {
    _Atomic uint64_t allocations, reallocs, frees, live_bytes, peak_bytes, failed;
    _Atomic uint64_t buffer_allocations, buffer_resizes, buffer_peak_bytes;
} stats;

JC_INLINE uint64_t add(_Atomic uint64_t *counter, uint64_t n)
{
    return atomic_fetch_add_explicit(counter, n, memory_order_relaxed) + n;
}

JC_INLINE void sub(_Atomic uint64_t *counter, uint64_t n)
{
    atomic_fetch_sub_explicit(counter, n, memory_order_relaxed);
}

JC_INLINE uint64_t get(_Atomic uint64_t *counter)
{
    return atomic_load_explicit(counter, memory_order_relaxed);
}

JC_INLINE void set(_Atomic uint64_t *counter, uint64_t value)
{
    atomic_store_explicit(counter, value, memory_order_relaxed);
}

/* *peak = max(*peak, value) */
JC_INLINE void raise_to(_Atomic uint64_t *peak, uint64_t value)
{
    uint64_t seen = get(peak);
    while (value > seen && !atomic_compare_exchange_weak_explicit(
                               peak, &seen, value, memory_order_relaxed, memory_order_relaxed)) {
    }
}

JC_INLINE void note_alloc(size_t size)
{
    add(&stats.allocations, 1);
    raise_to(&stats.peak_bytes, add(&stats.live_bytes, size));
}

void *jc_malloc(size_t size)
{
    void *block = PyMem_Malloc(size ? size : 1);
    if (jc_unlikely(block == NULL)) {
        add(&stats.failed, 1);
        return NULL;
    }
    note_alloc(size);
    return block;
}

void *jc_calloc(size_t count, size_t size)
{
    void *block = PyMem_Calloc(count ? count : 1, size ? size : 1);
    if (jc_unlikely(block == NULL)) {
        add(&stats.failed, 1);
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
        add(&stats.failed, 1);
        return NULL;
    }
    add(&stats.reallocs, 1);
    sub(&stats.live_bytes, old_size);
    raise_to(&stats.peak_bytes, add(&stats.live_bytes, new_size));
    return moved;
}

void jc_free(void *block, size_t size)
{
    if (block == NULL)
        return;
    PyMem_Free(block);
    add(&stats.frees, 1);
    sub(&stats.live_bytes, size);
}

void jc_alloc_stats_get(jc_alloc_stats *out)
{
    *out = (jc_alloc_stats){
        .allocations = get(&stats.allocations),
        .reallocs = get(&stats.reallocs),
        .frees = get(&stats.frees),
        .live_bytes = get(&stats.live_bytes),
        .peak_bytes = get(&stats.peak_bytes),
        .failed = get(&stats.failed),
        .buffer_allocations = get(&stats.buffer_allocations),
        .buffer_resizes = get(&stats.buffer_resizes),
        .buffer_peak_bytes = get(&stats.buffer_peak_bytes),
    };
}

void jc_alloc_stats_reset(void)
{
    _Atomic uint64_t *events[] = {
        &stats.allocations,      &stats.reallocs,           &stats.frees,
        &stats.failed,           &stats.buffer_allocations, &stats.buffer_resizes,
        &stats.buffer_peak_bytes};
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        set(events[i], 0);
    set(&stats.peak_bytes, get(&stats.live_bytes));
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
    add(&stats.buffer_allocations, 1);
    raise_to(&stats.buffer_peak_bytes, capacity);
    return bytes;
}

int jc_bytes_resize(PyObject **bytes, size_t capacity)
{
    if (jc_unlikely(_PyBytes_Resize(bytes, (Py_ssize_t)capacity) < 0))
        return -1;
    add(&stats.buffer_resizes, 1);
    raise_to(&stats.buffer_peak_bytes, capacity);
    return 0;
}
