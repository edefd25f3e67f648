/* The embedded interpreter and the helpers every target shares. See fuzz_common.h. */
#include "fuzz_common.h"

#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "module.h"

#if defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#    define JC_FUZZ_HAVE_LSAN 1
#  endif
#elif defined(__SANITIZE_ADDRESS__)
#  define JC_FUZZ_HAVE_LSAN 1
#endif
#ifdef JC_FUZZ_HAVE_LSAN
#  include <sanitizer/lsan_interface.h>
#endif

jc_fuzz_handles jc_fuzz;

/*==============================================================================
 * Failure reporting
 *============================================================================*/

void jc_fuzz_fail(const char *format, ...)
{
    fflush(stdout);
    fprintf(stderr, "\n==jcodec-fuzz== PROPERTY VIOLATED: ");
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fprintf(stderr, "\n");
    if (PyErr_Occurred()) {
        fprintf(stderr, "==jcodec-fuzz== pending Python exception:\n");
        PyErr_Print();
    }
    fflush(stderr);
    abort();
}

const char *jc_fuzz_repr(PyObject *obj, size_t max)
{
    static char text[1024];
    if (max >= sizeof text)
        max = sizeof text - 1;
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyObject *repr = obj ? PyObject_Repr(obj) : NULL;
    const char *utf8 = repr ? PyUnicode_AsUTF8(repr) : NULL;
    if (utf8 == NULL) {
        PyErr_Clear();
        utf8 = obj ? "<repr failed>" : "<NULL>";
    }
    size_t len = strlen(utf8);
    if (len > max) {
        memcpy(text, utf8, max - 3);
        memcpy(text + max - 3, "...", 4);
    } else {
        memcpy(text, utf8, len + 1);
    }
    Py_XDECREF(repr);
    PyErr_Restore(type, value, traceback);
    return text;
}

void jc_fuzz_print_input(const uint8_t *data, size_t size)
{
    fprintf(stderr, "==jcodec-fuzz== input (%zu bytes): b'", size);
    size_t shown = size > 512 ? 512 : size;
    for (size_t i = 0; i < shown; i++) {
        uint8_t c = data[i];
        if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\')
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02x", c);
    }
    fprintf(stderr, "'%s\n", shown < size ? "..." : "");
}

/*==============================================================================
 * Modules and exceptions
 *============================================================================*/

PyObject *jc_fuzz_import(const char *name)
{
    PyObject *module = PyImport_ImportModule(name);
    JC_FUZZ_REQUIRE(module != NULL, "cannot import %s (sys.path: %s)", name,
                    jc_fuzz_repr(PySys_GetObject("path"), 600));
    return module;
}

PyObject *jc_fuzz_attr(PyObject *obj, const char *name)
{
    PyObject *attr = PyObject_GetAttrString(obj, name);
    JC_FUZZ_REQUIRE(attr != NULL, "missing attribute %s", name);
    return attr;
}

PyObject *jc_fuzz_take_exception(PyObject *type, const char *call)
{
    PyObject *exc_type, *value, *traceback;
    JC_FUZZ_REQUIRE(PyErr_Occurred(), "%s returned NULL without an exception", call);
    PyErr_Fetch(&exc_type, &value, &traceback);
    PyErr_NormalizeException(&exc_type, &value, &traceback);
    if (exc_type != type) {
        PyErr_Restore(exc_type, value, traceback);
        jc_fuzz_fail("%s raised an exception other than %s", call, ((PyTypeObject *)type)->tp_name);
    }
    Py_XDECREF(exc_type);
    Py_XDECREF(traceback);
    return value;
}

bool jc_fuzz_clear_expected(const char *call, ...)
{
    if (!PyErr_Occurred())
        return false;
    va_list args;
    va_start(args, call);
    PyObject *type;
    while ((type = va_arg(args, PyObject *)) != NULL) {
        if (PyErr_ExceptionMatches(type)) {
            va_end(args);
            PyErr_Clear();
            return true;
        }
    }
    va_end(args);
    jc_fuzz_fail("%s raised an exception the property does not allow", call);
}

/*==============================================================================
 * Strict comparison
 *============================================================================*/

bool jc_fuzz_same(PyObject *a, PyObject *b, bool dict_order)
{
    if (Py_TYPE(a) != Py_TYPE(b))
        return false;
    if (PyFloat_CheckExact(a)) {
        double x = PyFloat_AS_DOUBLE(a), y = PyFloat_AS_DOUBLE(b);
        return memcmp(&x, &y, sizeof x) == 0;
    }
    if (PyList_CheckExact(a) || PyTuple_CheckExact(a)) {
        Py_ssize_t n = Py_SIZE(a);
        if (Py_SIZE(b) != n)
            return false;
        PyObject **x = PySequence_Fast_ITEMS(a), **y = PySequence_Fast_ITEMS(b);
        for (Py_ssize_t i = 0; i < n; i++)
            if (!jc_fuzz_same(x[i], y[i], dict_order))
                return false;
        return true;
    }
    if (PyDict_CheckExact(a)) {
        if (PyDict_GET_SIZE(a) != PyDict_GET_SIZE(b))
            return false;
        Py_ssize_t pa = 0, pb = 0;
        PyObject *ka, *va, *kb, *vb;
        while (PyDict_Next(a, &pa, &ka, &va)) {
            if (dict_order) {
                if (!PyDict_Next(b, &pb, &kb, &vb) || !jc_fuzz_same(ka, kb, true))
                    return false;
            } else {
                vb = PyDict_GetItemWithError(b, ka);
                JC_FUZZ_REQUIRE(vb != NULL || !PyErr_Occurred(), "dict lookup failed");
                if (vb == NULL)
                    return false;
            }
            if (!jc_fuzz_same(va, vb, dict_order))
                return false;
        }
        return true;
    }
    int equal = PyObject_RichCompareBool(a, b, Py_EQ);
    JC_FUZZ_REQUIRE(equal >= 0, "comparison failed");
    return equal == 1;
}

void jc_fuzz_require_same(PyObject *a, PyObject *b, bool dict_order, const char *what)
{
    if (jc_fuzz_same(a, b, dict_order))
        return;
    fprintf(stderr, "==jcodec-fuzz== left:  %s\n", jc_fuzz_repr(a, 800));
    fprintf(stderr, "==jcodec-fuzz== right: %s\n", jc_fuzz_repr(b, 800));
    jc_fuzz_fail("%s: values differ", what);
}

/*==============================================================================
 * The interpreter
 *============================================================================*/

/* The directory holding the running executable, for files shipped beside it. */
static void executable_dir(char **argv, char *out, size_t size)
{
    char path[PATH_MAX];
    out[0] = 0;
    if (argv == NULL || argv[0] == NULL || realpath(argv[0], path) == NULL)
        return;
    snprintf(out, size, "%s", dirname(path));
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void append_path(PyObject *sys_path, const char *dir)
{
    if (!is_dir(dir))
        return;
    PyObject *entry = PyUnicode_DecodeFSDefault(dir);
    JC_FUZZ_REQUIRE(entry != NULL && PyList_Append(sys_path, entry) == 0, "sys.path");
    Py_DECREF(entry);
}

static void check_status(PyStatus status, const char *what)
{
    if (PyStatus_Exception(status)) {
        fprintf(stderr, "==jcodec-fuzz== %s: %s\n", what, status.err_msg ? status.err_msg : "");
        abort();
    }
}

void jc_fuzz_init(int *argc, char ***argv)
{
    (void)argc;
    if (Py_IsInitialized())
        return;
    char exe_dir[PATH_MAX], dir[PATH_MAX + 64];
    executable_dir(argv ? *argv : NULL, exe_dir, sizeof exe_dir);

    /* Reproducible runs: the key cache's seed and str hashing are fixed. */
    setenv("JCODEC_HASH_SEED", "0x5eed", 0);
    if (PyImport_AppendInittab("jcodec", PyInit_jcodec) < 0)
        jc_fuzz_fail("PyImport_AppendInittab failed");

    /* Every PyMem/PyObject block from malloc: pymalloc carves small blocks out
     * of 256 KiB arenas, where an overrun lands in a neighbour unseen by ASan
     * and arenas are invisible to LeakSanitizer's reachability scan. */
    PyPreConfig preconfig;
    PyPreConfig_InitIsolatedConfig(&preconfig);
    preconfig.allocator = PYMEM_ALLOCATOR_MALLOC;
    check_status(Py_PreInitialize(&preconfig), "Py_PreInitialize");

    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.install_signal_handlers = 0; /* the engine owns SIGSEGV, SIGINT, ... */
    config.site_import = 0;
    config.write_bytecode = 0;
    config.use_hash_seed = 1;
    config.hash_seed = 0;
    /* OSS-Fuzz's runner has no Python installation: build.sh ships the
     * standard library in <out>/jcodec_python (see fuzz/oss-fuzz/build.sh). */
    const char *home = getenv("JCODEC_FUZZ_PYTHONHOME");
    snprintf(dir, sizeof dir, "%s/jcodec_python", exe_dir);
    if (home == NULL && exe_dir[0] && is_dir(dir))
        home = dir;
    if (home != NULL)
        check_status(PyConfig_SetBytesString(&config, &config.home, home), "PyConfig home");
    check_status(Py_InitializeFromConfig(&config), "Py_InitializeFromConfig");
    PyConfig_Clear(&config);

    PyObject *sys_path = PySys_GetObject("path"); /* borrowed */
    JC_FUZZ_REQUIRE(sys_path != NULL, "no sys.path");
    const char *extra = getenv("JCODEC_FUZZ_PYTHONPATH");
    if (extra != NULL)
        append_path(sys_path, extra);
    snprintf(dir, sizeof dir, "%s/jcodec_fuzz_py", exe_dir);
    append_path(sys_path, dir);
#ifdef JC_FUZZ_SOURCE_DIR
    append_path(sys_path, JC_FUZZ_SOURCE_DIR "/fuzz");
    append_path(sys_path, JC_FUZZ_SOURCE_DIR "/tests/python");
#endif

    jc_fuzz.jcodec = jc_fuzz_import("jcodec");
    jc_fuzz.loads = jc_fuzz_attr(jc_fuzz.jcodec, "loads");
    jc_fuzz.dumps = jc_fuzz_attr(jc_fuzz.jcodec, "dumps");
    jc_fuzz.JSONDecodeError = jc_fuzz_attr(jc_fuzz.jcodec, "JSONDecodeError");
    jc_fuzz.JSONEncodeError = jc_fuzz_attr(jc_fuzz.jcodec, "JSONEncodeError");
    PyObject *json = jc_fuzz_import("json");
    jc_fuzz.json_loads = jc_fuzz_attr(json, "loads");
    jc_fuzz.json_dumps = jc_fuzz_attr(json, "dumps");
    Py_DECREF(json);
}

void jc_fuzz_lsan_disable(void)
{
#ifdef JC_FUZZ_HAVE_LSAN
    __lsan_disable();
#endif
}

void jc_fuzz_lsan_enable(void)
{
#ifdef JC_FUZZ_HAVE_LSAN
    __lsan_enable();
#endif
}

bool jc_fuzz_import_numpy(const char *target)
{
    const char *off = getenv("JCODEC_FUZZ_NUMPY");
    if (off != NULL && strcmp(off, "0") == 0) {
        fprintf(stderr,
                "==jcodec-fuzz== %s: JCODEC_FUZZ_NUMPY=0: numpy left out (no numpy "
                "arrays or scalars in the trees)\n",
                target);
        return false;
    }
    const char *dir = getenv("JCODEC_FUZZ_SYSTEM_PACKAGES");
    PyObject *sys_path = PySys_GetObject("path"); /* borrowed */
    JC_FUZZ_REQUIRE(sys_path != NULL, "no sys.path");
    append_path(sys_path, dir ? dir : "/usr/lib/python3/dist-packages");
    jc_fuzz_lsan_disable();
    PyObject *numpy = PyImport_ImportModule("numpy");
    jc_fuzz_lsan_enable();
    if (numpy == NULL) {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        fprintf(stderr,
                "==jcodec-fuzz== %s: numpy cannot be imported (%s): no numpy arrays or "
                "scalars in the trees\n",
                target, jc_fuzz_repr(value, 200));
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(traceback);
        return false;
    }
    Py_DECREF(numpy);
    return true;
}
