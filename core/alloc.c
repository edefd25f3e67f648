/* Allocator layer over PyMem_*: counters and fault injection. See alloc.h. */
#include <Python.h>

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

/*==============================================================================
 * Result lists
 *============================================================================*/

int jc_list_reserve(PyObject *list, size_t capacity)
{
    PyListObject *self = (PyListObject *)list;
    if (capacity > (size_t)PY_SSIZE_T_MAX / sizeof(PyObject *)) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject **items = PyMem_Realloc(self->ob_item, capacity * sizeof(PyObject *));
    if (jc_unlikely(items == NULL)) {
        PyErr_NoMemory();
        return -1;
    }
    self->ob_item = items;
    self->allocated = (Py_ssize_t)capacity;
    return 0;
}

/*==============================================================================
 * Fault injection: a wrapping hook over the MEM and OBJ domains
 *============================================================================*/

/* The hook wraps whatever allocator is installed when it is armed (pymalloc,
 * malloc, tracemalloc's hook, the debug hooks), as CPython's contract for
 * installing an allocator after start-up requires. */
typedef struct {
    PyMemAllocatorEx wrapped;
    PyMemAllocatorDomain domain;
} fault_domain;

static fault_domain fault_mem = {.domain = PYMEM_DOMAIN_MEM};
static fault_domain fault_obj = {.domain = PYMEM_DOMAIN_OBJ};

static struct {
    bool armed;     /* applies to the next outermost call */
    bool installed; /* the hook is in place */
    bool persistent;
    uint64_t fail_at; /* 0: count only */
    uint64_t count;
    uint64_t failures;
    uint64_t last_count;
    uint64_t last_failures;
} fault;

/* Depth of jcodec calls on this thread: allocations by other threads (which can
 * run while `default` executes Python code) are neither counted nor failed. */
static _Thread_local unsigned call_depth;
/* The thread whose call the hook is counting. */
static _Thread_local bool counting_thread;

JC_INLINE bool fault_should_fail(void)
{
    if (!counting_thread || call_depth == 0)
        return false;
    uint64_t n = ++fault.count;
    if (fault.fail_at != 0 && (n == fault.fail_at || (fault.persistent && n > fault.fail_at))) {
        fault.failures++;
        return true;
    }
    return false;
}

static void *fault_malloc(void *ctx, size_t size)
{
    fault_domain *d = ctx;
    if (fault_should_fail())
        return NULL;
    return d->wrapped.malloc(d->wrapped.ctx, size);
}

static void *fault_calloc(void *ctx, size_t count, size_t size)
{
    fault_domain *d = ctx;
    if (fault_should_fail())
        return NULL;
    return d->wrapped.calloc(d->wrapped.ctx, count, size);
}

static void *fault_realloc(void *ctx, void *block, size_t size)
{
    fault_domain *d = ctx;
    if (fault_should_fail())
        return NULL;
    return d->wrapped.realloc(d->wrapped.ctx, block, size);
}

static void fault_free(void *ctx, void *block)
{
    fault_domain *d = ctx;
    d->wrapped.free(d->wrapped.ctx, block);
}

static void fault_install_domain(fault_domain *d)
{
    PyMemAllocatorEx hook = {d, fault_malloc, fault_calloc, fault_realloc, fault_free};
    PyMem_GetAllocator(d->domain, &d->wrapped);
    PyMem_SetAllocator(d->domain, &hook);
}

static bool fault_hook_on_top(fault_domain *d)
{
    PyMemAllocatorEx current;
    PyMem_GetAllocator(d->domain, &current);
    return current.ctx == d && current.malloc == fault_malloc;
}

void jc_fault_arm(uint64_t n, bool persistent)
{
    if (!fault.installed) {
        fault_install_domain(&fault_mem);
        fault_install_domain(&fault_obj);
        fault.installed = true;
    }
    fault.armed = true;
    fault.persistent = persistent;
    fault.fail_at = n;
    fault.count = 0;
    fault.failures = 0;
}

void jc_fault_disarm(void)
{
    fault.armed = false;
    fault.fail_at = 0;
    counting_thread = false;
    /* The wrapped allocators are restored only if both hooks are still on
     * top. If another hook was installed over ours (tracemalloc.start(), say),
     * ours stays in the chain, forwarding, harmless while nothing is armed,
     * and still installed: the next arm must not wrap it again, or it would
     * end up wrapping itself once that other hook is gone. */
    if (fault.installed && fault_hook_on_top(&fault_obj) && fault_hook_on_top(&fault_mem)) {
        PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &fault_obj.wrapped);
        PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &fault_mem.wrapped);
        fault.installed = false;
    }
}

uint64_t jc_fault_last_count(void)
{
    return fault.last_count;
}
uint64_t jc_fault_last_failures(void)
{
    return fault.last_failures;
}

void jc_call_enter(void)
{
    if (call_depth++ == 0 && jc_unlikely(fault.armed)) {
        counting_thread = true;
        fault.count = 0;
        fault.failures = 0;
    }
}

void jc_call_exit(void)
{
    if (--call_depth == 0 && jc_unlikely(counting_thread)) {
        fault.last_count = fault.count;
        fault.last_failures = fault.failures;
        jc_fault_disarm();
    }
}
