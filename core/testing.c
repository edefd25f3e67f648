/* Test-only machinery: fault injection and the module's underscore
 * functions. See testing.h. */
#include "testing.h"

#include <stdatomic.h>

#include "alloc.h"
#include "compiler.h"
#include "decode/keycache.h"
#include "decode/py_hash.h"
#include "simd/scan.h"
#include "simd/utf8.h"

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

/* Fault injection is for tests, one armed call at a time. The one part every
 * call reads is `armed`, atomic so that interpreters running at once (their
 * own GILs, 3.12 and later) see it whole, and claimed by exactly one call. */
static struct {
    _Atomic bool armed; /* applies to the next outermost call */
    bool installed;     /* the hook is in place */
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
    fault.persistent = persistent;
    fault.fail_at = n;
    fault.count = 0;
    fault.failures = 0;
    atomic_store(&fault.armed, true);
}

void jc_fault_disarm(void)
{
    atomic_store(&fault.armed, false);
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
    if (call_depth++ == 0 &&
        jc_unlikely(atomic_load_explicit(&fault.armed, memory_order_relaxed)) &&
        atomic_exchange(&fault.armed, false)) {
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

/*==============================================================================
 * The module's functions: allocator counters and fault injection
 *============================================================================*/

static PyObject *alloc_stats(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    jc_alloc_stats s;
    jc_alloc_stats_get(&s);
    return Py_BuildValue("{sKsKsKsKsKsKsKsKsK}", "allocations", s.allocations, "reallocs",
                         s.reallocs, "frees", s.frees, "live_bytes", s.live_bytes, "peak_bytes",
                         s.peak_bytes, "failed", s.failed, "buffer_allocations",
                         s.buffer_allocations, "buffer_resizes", s.buffer_resizes,
                         "buffer_peak_bytes", s.buffer_peak_bytes);
}

static PyObject *alloc_stats_reset(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    jc_alloc_stats_reset();
    Py_RETURN_NONE;
}

static PyObject *fail_alloc_after(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    static char *keywords[] = {"n", "persistent", NULL};
    unsigned long long n;
    int persistent = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "K|p:_fail_alloc_after", keywords, &n,
                                     &persistent))
        return NULL;
    jc_fault_arm(n, persistent);
    Py_RETURN_NONE;
}

static PyObject *fault_result(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    return Py_BuildValue("{sKsK}", "allocations", jc_fault_last_count(), "failures",
                         jc_fault_last_failures());
}

/*==============================================================================
 * The module's functions: key cache and scanner
 *============================================================================*/

#define JC_CACHE_INFO_FIELDS 11

static PyStructSequence_Field cache_info_fields[] = {
    {"hits", "lookups answered from the cache"},
    {"misses", "cacheable keys not found"},
    {"inserts", "keys stored"},
    {"evictions", "keys replaced by another"},
    {"too_long", "keys over 64 bytes, created directly"},
    {"bypassed", "keys created directly while the cache was off"},
    {"unstored", "misses not stored: their document's keys were nearly all misses"},
    {"maxsize", "slots"},
    {"currsize", "occupied slots"},
    {"ways", "slots per set (1: direct-mapped)"},
    {"enabled", "whether lookups use the cache"},
    {NULL, NULL},
};

static PyStructSequence_Desc cache_info_desc = {
    "jcodec.CacheInfo", "Key cache statistics, like functools.lru_cache's cache_info().",
    cache_info_fields, JC_CACHE_INFO_FIELDS};

static PyObject *cache_info(PyObject *module, PyObject *unused)
{
    (void)unused;
    jc_module_state *st = jc_state(module);
    jc_keycache_stats s;
    jc_keycache_stats_get(st->keys, &s);
    PyObject *info = PyStructSequence_New((PyTypeObject *)st->CacheInfo);
    if (info == NULL)
        return NULL;
    PyObject *items[JC_CACHE_INFO_FIELDS] = {
        PyLong_FromUnsignedLongLong(s.hits),
        PyLong_FromUnsignedLongLong(s.misses),
        PyLong_FromUnsignedLongLong(s.inserts),
        PyLong_FromUnsignedLongLong(s.evictions),
        PyLong_FromUnsignedLongLong(s.too_long),
        PyLong_FromUnsignedLongLong(s.bypassed),
        PyLong_FromUnsignedLongLong(s.unstored),
        PyLong_FromLong(JC_KEYCACHE_SLOTS),
        PyLong_FromSize_t(jc_keycache_occupied(st->keys)),
        PyLong_FromUnsignedLong(st->keys->ways),
        PyBool_FromLong(st->keys->enabled),
    };
    bool failed = false;
    for (int i = 0; i < JC_CACHE_INFO_FIELDS; i++) {
        failed |= items[i] == NULL;
        PyStructSequence_SetItem(info, i, items[i]);
    }
    if (failed)
        Py_CLEAR(info);
    return info;
}

static PyObject *cache_clear(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"keys", "stats", "dataclasses", NULL};
    int keys = 1, stats = 0, dataclasses = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$ppp:_cache_clear", keywords, &keys, &stats,
                                     &dataclasses))
        return NULL;
    jc_module_state *st = jc_state(module);
    if (keys)
        jc_keycache_clear(st->keys);
    if (stats)
        jc_keycache_stats_reset(st->keys);
    if (dataclasses)
        jc_types_forget_dataclasses(&st->types);
    Py_RETURN_NONE;
}

static PyObject *cache_configure(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"ways", "enabled", NULL};
    PyObject *ways = Py_None, *enabled = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$OO:_cache_configure", keywords, &ways,
                                     &enabled))
        return NULL;
    jc_module_state *st = jc_state(module);
    if (ways != Py_None) {
        /* An int or an object with __index__ on every version: before 3.10,
         * PyLong_AsLong also took __int__ (a float, with a
         * DeprecationWarning). */
        PyObject *index = PyNumber_Index(ways);
        long n = index ? PyLong_AsLong(index) : -1;
        Py_XDECREF(index);
        if (n == -1 && PyErr_Occurred())
            return NULL;
        if (n < 1 || n > 64) {
            PyErr_Format(PyExc_ValueError, "ways must be a power of two from 1 to 64, not %ld", n);
            return NULL;
        }
        if (jc_keycache_set_ways(st->keys, (unsigned)n) < 0)
            return NULL;
    }
    if (enabled != Py_None) {
        int on = PyObject_IsTrue(enabled);
        if (on < 0)
            return NULL;
        jc_keycache_set_enabled(st->keys, on);
    }
    Py_RETURN_NONE;
}

static PyObject *cache_force_hash(PyObject *module, PyObject *value)
{
    jc_module_state *st = jc_state(module);
    if (value == Py_None) {
        jc_keycache_force_hash(st->keys, false, 0);
        Py_RETURN_NONE;
    }
    PyObject *index = PyNumber_Index(value); /* as ways: no __int__ before 3.10 */
    unsigned long long hash = index ? PyLong_AsUnsignedLongLongMask(index) : (unsigned long long)-1;
    Py_XDECREF(index);
    if (hash == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    jc_keycache_force_hash(st->keys, true, hash);
    Py_RETURN_NONE;
}

static PyObject *isa(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    return PyUnicode_FromString(jc_scan_selected_name());
}

static PyObject *str_isa(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    return PyUnicode_FromString(jc_isa_name(jc_utf8.isa));
}

static PyObject *key_hash(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    return PyUnicode_FromString(jc_py_hash_name());
}

static PyMethodDef testing_methods[] = {
    {"_alloc_stats", alloc_stats, METH_NOARGS, "Test-only: allocator layer counters."},
    {"_alloc_stats_reset", alloc_stats_reset, METH_NOARGS, "Test-only: reset the counters."},
    {"_fail_alloc_after", (PyCFunction)(void (*)(void))fail_alloc_after,
     METH_VARARGS | METH_KEYWORDS,
     "Test-only: make allocation n of the next call fail (n=0 counts only)."},
    {"_fault_result", fault_result, METH_NOARGS,
     "Test-only: allocations counted and failed during the last armed call."},
    {"_cache_info", cache_info, METH_NOARGS, "Test-only: key cache statistics."},
    {"_cache_clear", (PyCFunction)(void (*)(void))cache_clear, METH_VARARGS | METH_KEYWORDS,
     "Test-only: release every cached key (keys=True), zero the stats (stats=True), empty the "
     "dataclass cache (dataclasses=True)."},
    {"_cache_configure", (PyCFunction)(void (*)(void))cache_configure, METH_VARARGS | METH_KEYWORDS,
     "Test-only: set ways and/or switch the cache on or off."},
    {"_cache_force_hash", cache_force_hash, METH_O,
     "Test-only: give every key this hash (None restores hashing)."},
    {"_isa", isa, METH_NOARGS, "The string scanner chosen for this CPU."},
    {"_str_isa", str_isa, METH_NOARGS, "The str writers dumps chose for this CPU."},
    {"_key_hash", key_hash, METH_NOARGS,
     "How loads hashes new keys: siphash13 or siphash24 itself, or PyObject_Hash."},
    {NULL, NULL, 0, NULL},
};

int jc_testing_add_to_module(PyObject *module, jc_module_state *st)
{
    st->CacheInfo = (PyObject *)PyStructSequence_NewType(&cache_info_desc);
    if (st->CacheInfo == NULL)
        return -1;
    return PyModule_AddFunctions(module, testing_methods);
}
