/* The jcodec module: definition, per-module state and exception types. The
 * test-only functions (names starting with an underscore) are testing.c's. */
#include "module.h"

#include "decode/error.h"
#include "decode/py_hash.h"
#include "encode/options.h"
#include "simd/scan.h"
#include "simd/utf8.h"
#include "stack_guard.h"
#include "stream/stream.h"
#include "testing.h"

/* The one version number (the file VERSION), passed by the build. */
#ifndef JCODEC_VERSION
#  error "JCODEC_VERSION must be defined by the build (CMakeLists.txt, setup.py read VERSION)"
#endif

/*==============================================================================
 * Module definition
 *============================================================================*/

PyDoc_STRVAR(loads_doc,
             "loads(obj, /, *, decimal=False)\n--\n\n"
             "Deserialize JSON (bytes, bytearray, memoryview or str) to Python objects.\n"
             "Raises JSONDecodeError, with pos a byte offset for bytes-like input and a\n"
             "character offset for str input. With decimal=True, numbers with a fraction\n"
             "or an exponent become decimal.Decimal built from their exact text.");

PyDoc_STRVAR(dumps_doc, "dumps(obj, /, default=None, option=None)\n--\n\n"
                        "Serialize obj to JSON as bytes. default(obj) is called for objects of\n"
                        "unsupported types; option is a bitwise OR of OPT_* constants.");

PyDoc_STRVAR(dump_doc, "dump(obj, fp, /, default=None, option=None)\n--\n\n"
                       "Serialize obj to JSON, as dumps, into the binary file object fp: the\n"
                       "output goes to fp.write() in chunks of about 64 KiB as it is made.");
PyDoc_STRVAR(load_doc, "load(fp, /)\n--\n\n"
                       "Deserialize the contents of the binary file object fp, as loads.");
PyDoc_STRVAR(loads_lines_doc,
             "loads_lines(data, /)\n--\n\n"
             "Deserialize JSON Lines (bytes, bytearray, memoryview or str): a list of one\n"
             "value per line; blank lines are skipped, CRLF and a missing final newline\n"
             "are accepted. A bad line raises JSONDecodeError with pos the offset in data\n"
             "and lineno the line's number.");
PyDoc_STRVAR(iter_lines_doc,
             "iter_lines(fp, /, chunk_size=65536)\n--\n\n"
             "An iterator over the values of the JSON Lines in the binary file object fp,\n"
             "read chunk_size bytes at a time. After an error it is exhausted.");
PyDoc_STRVAR(dumps_lines_doc,
             "dumps_lines(iterable, /, default=None, option=None)\n--\n\n"
             "Serialize each item as one compact JSON document followed by a newline\n"
             "(JSON Lines), as bytes. OPT_INDENT_2 is refused.");
PyDoc_STRVAR(dump_lines_doc,
             "dump_lines(iterable, fp, /, default=None, option=None)\n--\n\n"
             "dumps_lines into the binary file object fp, in chunks of about 64 KiB.");

static PyMethodDef module_methods[] = {
    {"loads", (PyCFunction)(void (*)(void))jc_loads, METH_FASTCALL | METH_KEYWORDS, loads_doc},
    {"dumps", (PyCFunction)(void (*)(void))jc_dumps, METH_FASTCALL | METH_KEYWORDS, dumps_doc},
    /* Files, streams and JSON Lines (stream/stream.h). */
    {"dump", (PyCFunction)(void (*)(void))jc_dump, METH_FASTCALL | METH_KEYWORDS, dump_doc},
    {"load", jc_load, METH_O, load_doc},
    {"loads_lines", jc_loads_lines, METH_O, loads_lines_doc},
    {"iter_lines", (PyCFunction)(void (*)(void))jc_iter_lines, METH_FASTCALL | METH_KEYWORDS,
     iter_lines_doc},
    {"dumps_lines", (PyCFunction)(void (*)(void))jc_dumps_lines, METH_FASTCALL | METH_KEYWORDS,
     dumps_lines_doc},
    {"dump_lines", (PyCFunction)(void (*)(void))jc_dump_lines, METH_FASTCALL | METH_KEYWORDS,
     dump_lines_doc},
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
        goto done;
    st->json_decode_error = PyObject_GetAttrString(json, "JSONDecodeError");
    if (st->json_decode_error == NULL)
        goto done;
    st->JSONDecodeError = PyErr_NewExceptionWithDoc(
        "jcodec.JSONDecodeError",
        "Invalid JSON. pos is a byte offset for bytes-like input, a character offset for str.",
        st->json_decode_error, NULL);
    if (st->JSONDecodeError == NULL)
        goto done;
    init = PyCFunction_NewEx(&decode_error_init_def, module, NULL);
    if (init == NULL)
        goto done;
    method = PyInstanceMethod_New(init);
    if (method == NULL || PyObject_SetAttrString(st->JSONDecodeError, "__init__", method) < 0)
        goto done;
    if (PyModule_AddObjectRef(module, "JSONDecodeError", st->JSONDecodeError) < 0)
        goto done;
    status = 0;
done:
    Py_XDECREF(method);
    Py_XDECREF(init);
    Py_XDECREF(json);
    return status;
}

static const struct {
    const char *name;
    long value;
} option_constants[] = {
#define JC_OPTION_CONSTANT(name, bit) {"OPT_" #name, bit},
    JC_OPTIONS(JC_OPTION_CONSTANT)
    /* jcodec's own, on bits orjson does not use. */
    JC_OWN_OPTIONS(JC_OPTION_CONSTANT)
#undef JC_OPTION_CONSTANT
    /* 0 in orjson: dataclass and UUID serialization are its defaults. */
    {"OPT_SERIALIZE_DATACLASS", 0},
    {"OPT_SERIALIZE_UUID", 0},
};

static int module_exec(PyObject *module)
{
    jc_module_state *st = jc_state(module);
    jc_scan_select();
    jc_utf8_select();
    if (jc_py_hash_select() < 0)
        return -1;
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
    if (jc_testing_add_to_module(module, st) < 0)
        return -1;
    if (jc_stream_init(module, st) < 0)
        return -1;
    if (jc_types_init(module, &st->types) < 0)
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

/* The references the module state owns (module.h), for traverse and clear;
 * the registry's are jc_types'. One field a line, left as written, as
 * registry.c's lists. */
// clang-format off
#define JC_STATE_OWNED(X) \
    X(JSONDecodeError)    \
    X(JSONEncodeError)    \
    X(json_decode_error)  \
    X(CacheInfo)          \
    X(LinesIterator)
// clang-format on

static int module_traverse(PyObject *module, visitproc visit, void *arg)
{
    jc_module_state *st = jc_state(module);
#define JC_VISIT(field) Py_VISIT(st->field);
    JC_STATE_OWNED(JC_VISIT)
#undef JC_VISIT
    return jc_types_traverse(&st->types, visit, arg);
}

static int module_clear(PyObject *module)
{
    jc_module_state *st = jc_state(module);
#define JC_CLEAR(field) Py_CLEAR(st->field);
    JC_STATE_OWNED(JC_CLEAR)
#undef JC_CLEAR
    jc_types_clear(&st->types);
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
#ifdef Py_mod_multiple_interpreters
    /* True: everything an interpreter uses is in its module state, and what
     * is process-wide is written once (the scanner, the hash seed) or
     * atomically (the allocator counters); see README, Design. */
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
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

/* The extension of the jcodec package, jcodec._jcodec (python/jcodec/). */
PyMODINIT_FUNC PyInit__jcodec(void)
{
    return PyModuleDef_Init(&jcodec_module);
}

/* The same module under the name embedders register it as ("jcodec", with
 * PyImport_AppendInittab: fuzz/, bench/, tests/c/). */
PyMODINIT_FUNC PyInit_jcodec(void)
{
    return PyModuleDef_Init(&jcodec_module);
}
