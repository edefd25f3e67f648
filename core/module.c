/* The jcodec module: definition, per-module state, exception types, and the
 * test-only helpers (names starting with an underscore; see README). */
#include "module.h"

#include "alloc.h"
#include "parse.h"
#include "scan.h"
#include "serialize.h"
#include "stack_guard.h"

#define JCODEC_VERSION "0.1.0"

/*==============================================================================
 * Test-only helpers: allocator counters and fault injection
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
 * Test-only helpers: key cache
 *============================================================================*/

static PyStructSequence_Field cache_info_fields[] = {
    {"hits", "lookups answered from the cache"},
    {"misses", "cacheable keys not found"},
    {"inserts", "keys stored"},
    {"evictions", "keys replaced by another"},
    {"too_long", "keys over 64 bytes, created directly"},
    {"bypassed", "keys created directly while the cache was off"},
    {"maxsize", "slots"},
    {"currsize", "occupied slots"},
    {"ways", "slots per set (1: direct-mapped)"},
    {"enabled", "whether lookups use the cache"},
    {NULL, NULL},
};

static PyStructSequence_Desc cache_info_desc = {
    "jcodec.CacheInfo", "Key cache statistics, like functools.lru_cache's cache_info().",
    cache_info_fields, 10};

static PyObject *cache_info(PyObject *module, PyObject *unused)
{
    (void)unused;
    jc_module_state *st = jc_state(module);
    jc_keycache_stats s;
    jc_keycache_stats_get(st->keys, &s);
    PyObject *info = PyStructSequence_New((PyTypeObject *)st->CacheInfo);
    if (info == NULL)
        return NULL;
    PyObject *items[10] = {
        PyLong_FromUnsignedLongLong(s.hits),     PyLong_FromUnsignedLongLong(s.misses),
        PyLong_FromUnsignedLongLong(s.inserts),  PyLong_FromUnsignedLongLong(s.evictions),
        PyLong_FromUnsignedLongLong(s.too_long), PyLong_FromUnsignedLongLong(s.bypassed),
        PyLong_FromLong(JC_KEYCACHE_SLOTS),      PyLong_FromSize_t(jc_keycache_occupied(st->keys)),
        PyLong_FromUnsignedLong(st->keys->ways), PyBool_FromLong(st->keys->enabled),
    };
    bool failed = false;
    for (int i = 0; i < 10; i++) {
        failed |= items[i] == NULL;
        PyStructSequence_SetItem(info, i, items[i]);
    }
    if (failed)
        Py_CLEAR(info);
    return info;
}

static PyObject *cache_clear(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"keys", "stats", NULL};
    int keys = 1, stats = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$pp:_cache_clear", keywords, &keys, &stats))
        return NULL;
    jc_module_state *st = jc_state(module);
    if (keys)
        jc_keycache_clear(st->keys);
    if (stats)
        jc_keycache_stats_reset(st->keys);
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
        long n = PyLong_AsLong(ways);
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
    unsigned long long hash = PyLong_AsUnsignedLongLongMask(value);
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

/*==============================================================================
 * Module definition
 *============================================================================*/

PyDoc_STRVAR(loads_doc,
             "loads(obj, /)\n--\n\n"
             "Deserialize JSON (bytes, bytearray, memoryview or str) to Python objects.\n"
             "Raises JSONDecodeError, with pos a byte offset for bytes-like input and a\n"
             "character offset for str input.");

PyDoc_STRVAR(dumps_doc, "dumps(obj, /, default=None, option=None)\n--\n\n"
                        "Serialize obj to JSON as bytes. default(obj) is called for objects of\n"
                        "unsupported types; option is a bitwise OR of OPT_* constants.");

static PyMethodDef module_methods[] = {
    {"loads", jc_loads, METH_O, loads_doc},
    {"dumps", (PyCFunction)(void (*)(void))jc_dumps, METH_FASTCALL | METH_KEYWORDS, dumps_doc},
    {"_alloc_stats", alloc_stats, METH_NOARGS, "Test-only: allocator layer counters."},
    {"_alloc_stats_reset", alloc_stats_reset, METH_NOARGS, "Test-only: reset the counters."},
    {"_fail_alloc_after", (PyCFunction)(void (*)(void))fail_alloc_after,
     METH_VARARGS | METH_KEYWORDS,
     "Test-only: make allocation n of the next call fail (n=0 counts only)."},
    {"_fault_result", fault_result, METH_NOARGS,
     "Test-only: allocations counted and failed during the last armed call."},
    {"_cache_info", cache_info, METH_NOARGS, "Test-only: key cache statistics."},
    {"_cache_clear", (PyCFunction)(void (*)(void))cache_clear, METH_VARARGS | METH_KEYWORDS,
     "Test-only: release every cached key (keys=True) and/or zero the stats (stats=True)."},
    {"_cache_configure", (PyCFunction)(void (*)(void))cache_configure, METH_VARARGS | METH_KEYWORDS,
     "Test-only: set ways and/or switch the cache on or off."},
    {"_cache_force_hash", cache_force_hash, METH_O,
     "Test-only: give every key this hash (None restores hashing)."},
    {"_isa", isa, METH_NOARGS, "The string scanner chosen for this CPU."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef decode_error_init_def = {
    "__init__", (PyCFunction)(void (*)(void))jc_decode_error_init, METH_FASTCALL,
    "Like json.JSONDecodeError's, and also accepts a bytes document."};

static int add_decode_error(PyObject *module, jc_module_state *st)
{
    PyObject *json = NULL, *init = NULL, *method = NULL;
    int status = -1;
    json = PyImport_ImportModule("json");
    if (json == NULL)
        goto error;
    st->json_decode_error = PyObject_GetAttrString(json, "JSONDecodeError");
    if (st->json_decode_error == NULL)
        goto error;
    st->JSONDecodeError = PyErr_NewExceptionWithDoc(
        "jcodec.JSONDecodeError",
        "Invalid JSON. pos is a byte offset for bytes-like input, a character offset for str.",
        st->json_decode_error, NULL);
    if (st->JSONDecodeError == NULL)
        goto error;
    init = PyCFunction_NewEx(&decode_error_init_def, module, NULL);
    if (init == NULL)
        goto error;
    method = PyInstanceMethod_New(init);
    if (method == NULL || PyObject_SetAttrString(st->JSONDecodeError, "__init__", method) < 0)
        goto error;
    if (PyModule_AddObjectRef(module, "JSONDecodeError", st->JSONDecodeError) < 0)
        goto error;
    status = 0;
error:
    Py_XDECREF(method);
    Py_XDECREF(init);
    Py_XDECREF(json);
    return status;
}

static const struct {
    const char *name;
    long value;
} option_constants[] = {
#define JC_OPTION_CONSTANT(name, bit, built) {"OPT_" #name, bit},
    JC_OPTIONS(JC_OPTION_CONSTANT)
#undef JC_OPTION_CONSTANT
    /* 0 in orjson 3.8.3: dataclass and UUID serialization are its defaults. */
    {"OPT_SERIALIZE_DATACLASS", 0},
    {"OPT_SERIALIZE_UUID", 0},
};

static int module_exec(PyObject *module)
{
    jc_module_state *st = jc_state(module);
    jc_scan_select();
    /* The importing thread's stack bounds, found now: for the main thread
     * glibc reads /proc/self/maps, which would cost a first call more than
     * the call itself. */
    (void)jc_stack_floor();
    if (add_decode_error(module, st) < 0)
        return -1;
    st->JSONEncodeError = PyErr_NewExceptionWithDoc(
        "jcodec.JSONEncodeError", "An object that cannot be serialized (a TypeError, as orjson's).",
        PyExc_TypeError, NULL);
    if (st->JSONEncodeError == NULL ||
        PyModule_AddObjectRef(module, "JSONEncodeError", st->JSONEncodeError) < 0)
        return -1;
    st->CacheInfo = (PyObject *)PyStructSequence_NewType(&cache_info_desc);
    if (st->CacheInfo == NULL)
        return -1;
    st->keys = jc_keycache_new();
    if (st->keys == NULL)
        return -1;
    for (size_t i = 0; i < sizeof option_constants / sizeof option_constants[0]; i++)
        if (PyModule_AddIntConstant(module, option_constants[i].name, option_constants[i].value) <
            0)
            return -1;
    if (PyModule_AddStringConstant(module, "__version__", JCODEC_VERSION) < 0)
        return -1;
    return 0;
}

static int module_traverse(PyObject *module, visitproc visit, void *arg)
{
    jc_module_state *st = jc_state(module);
    Py_VISIT(st->JSONDecodeError);
    Py_VISIT(st->JSONEncodeError);
    Py_VISIT(st->json_decode_error);
    Py_VISIT(st->CacheInfo);
    return 0;
}

static int module_clear(PyObject *module)
{
    jc_module_state *st = jc_state(module);
    Py_CLEAR(st->JSONDecodeError);
    Py_CLEAR(st->JSONEncodeError);
    Py_CLEAR(st->json_decode_error);
    Py_CLEAR(st->CacheInfo);
    if (st->keys != NULL) {
        jc_keycache_free(st->keys);
        st->keys = NULL;
    }
    return 0;
}

static void module_free(void *module)
{
    module_clear(module);
}

static PyModuleDef_Slot module_slots[] = {
    {Py_mod_exec, module_exec},
    {0, NULL},
};

static struct PyModuleDef jcodec_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "jcodec",
    .m_doc = "Fast, exact JSON for CPython with an orjson-compatible API.",
    .m_size = sizeof(jc_module_state),
    .m_methods = module_methods,
    .m_slots = module_slots,
    .m_traverse = module_traverse,
    .m_clear = module_clear,
    .m_free = module_free,
};

PyMODINIT_FUNC PyInit_jcodec(void)
{
    return PyModuleDef_Init(&jcodec_module);
}
