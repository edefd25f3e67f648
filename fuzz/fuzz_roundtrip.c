/* Property: whenever loads accepts a document, with dumps options chosen by the
 * first input byte (the rest is the document):
 *   - d1 = dumps(v, option=opts) succeeds, except that OPT_STRICT_INTEGER may
 *     refuse with JSONEncodeError "Integer exceeds 53-bit range" when v holds an
 *     int beyond 53 bits (then the rest runs without that option);
 *   - loads(d1) == v, types included (dict order too, unless OPT_SORT_KEYS);
 *   - dumps(loads(d1), option=opts) == d1: dumps is a fixed point;
 *   - a value nested deeper than dumps' 254 levels (loads takes 1024) is
 *     refused with JSONEncodeError "maximum nesting depth of 254 exceeded".
 * Option byte: bit 0 INDENT_2, 1 SORT_KEYS, 2 APPEND_NEWLINE, 3 NON_STR_KEYS,
 * 4 PASSTHROUGH_SUBCLASS, 5 STRICT_INTEGER; bits 6-7 reconfigure the key cache
 * the loads calls use (1: direct-mapped, 2: 64 ways, 3: off). */
#include "fuzz_common.h"

#include "encode/options.h"

static PyObject *cache_configure; /* jcodec._cache_configure */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    cache_configure = jc_fuzz_attr(jc_fuzz.jcodec, "_cache_configure");
    return 0;
}

static void configure_cache(long ways, bool enabled)
{
    PyObject *args = PyTuple_New(0);
    PyObject *kwargs =
        Py_BuildValue("{slsO}", "ways", ways, "enabled", enabled ? Py_True : Py_False);
    PyObject *done = args && kwargs ? PyObject_Call(cache_configure, args, kwargs) : NULL;
    JC_FUZZ_REQUIRE(done != NULL, "_cache_configure(ways=%ld)", ways);
    Py_DECREF(done);
    Py_DECREF(kwargs);
    Py_DECREF(args);
}

static PyObject *dumps(PyObject *value, long opts)
{
    PyObject *option = PyLong_FromLong(opts);
    PyObject *args[] = {value, Py_None, option};
    PyObject *out = PyObject_Vectorcall(jc_fuzz.dumps, args, 3, NULL);
    Py_DECREF(option);
    return out;
}

/* Nesting of non-empty containers, as dumps counts it. */
static int nesting(PyObject *v)
{
    Py_ssize_t n = PyList_CheckExact(v)   ? PyList_GET_SIZE(v)
                   : PyDict_CheckExact(v) ? PyDict_GET_SIZE(v)
                                          : 0;
    if (n == 0)
        return 0;
    int deepest = 0;
    Py_ssize_t pos = 0;
    PyObject *key, *item;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (PyList_CheckExact(v))
            item = PyList_GET_ITEM(v, i);
        else
            PyDict_Next(v, &pos, &key, &item);
        int d = nesting(item);
        if (d > deepest)
            deepest = d;
    }
    return deepest + 1;
}

/* The message of dumps' JSONEncodeError (which is taken), for the refusals a
 * decoded document can meet: OPT_STRICT_INTEGER, and nesting over 254 (loads
 * accepts 1024 levels). */
static bool refused_with(const char *prefix)
{
    PyObject *exc = jc_fuzz_take_exception(jc_fuzz.JSONEncodeError, "jcodec.dumps");
    PyObject *text = PyObject_Str(exc);
    const char *msg = text ? PyUnicode_AsUTF8(text) : NULL;
    bool match = msg != NULL && strncmp(msg, prefix, strlen(prefix)) == 0;
    if (!match)
        fprintf(stderr, "==jcodec-fuzz== JSONEncodeError: %s\n", msg ? msg : "?");
    Py_XDECREF(text);
    Py_DECREF(exc);
    return match;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > JC_FUZZ_MAX_INPUT)
        return -1;
    uint8_t selector = data[0];
    static const long option_bits[] = {JC_OPT_INDENT_2,
                                       JC_OPT_SORT_KEYS,
                                       JC_OPT_APPEND_NEWLINE,
                                       JC_OPT_NON_STR_KEYS,
                                       JC_OPT_PASSTHROUGH_SUBCLASS,
                                       JC_OPT_STRICT_INTEGER};
    long opts = 0;
    for (int i = 0; i < 6; i++)
        if (selector & (1 << i))
            opts |= option_bits[i];
    bool sorted = opts & JC_OPT_SORT_KEYS;
    unsigned cache_mode = selector >> 6;
    if (cache_mode != 0)
        configure_cache(cache_mode == 1 ? 1 : cache_mode == 2 ? 64 : 4, cache_mode != 3);

    PyObject *doc = PyBytes_FromStringAndSize((const char *)data + 1, (Py_ssize_t)size - 1);
    PyObject *value = PyObject_CallOneArg(jc_fuzz.loads, doc);
    PyObject *d1 = NULL, *again = NULL, *d2 = NULL;
    if (value == NULL) {
        Py_DECREF(jc_fuzz_take_exception(jc_fuzz.JSONDecodeError, "jcodec.loads"));
        goto done;
    }
    if (nesting(value) > JC_ENCODE_MAX_DEPTH) {
        JC_FUZZ_REQUIRE(dumps(value, opts) == NULL && refused_with("maximum nesting depth of 254"),
                        "dumps must refuse nesting over %d", JC_ENCODE_MAX_DEPTH);
        goto done;
    }
    d1 = dumps(value, opts);
    if (d1 == NULL && (opts & JC_OPT_STRICT_INTEGER)) {
        JC_FUZZ_REQUIRE(refused_with("Integer exceeds 53-bit range"),
                        "dumps refused a decoded document for a reason other than "
                        "OPT_STRICT_INTEGER");
        opts &= ~(long)JC_OPT_STRICT_INTEGER;
        d1 = dumps(value, opts);
    }
    JC_FUZZ_REQUIRE(d1 != NULL, "dumps(loads(doc), option=%ld) failed", opts);
    again = PyObject_CallOneArg(jc_fuzz.loads, d1);
    JC_FUZZ_REQUIRE(again != NULL, "loads rejects dumps' output %s", jc_fuzz_repr(d1, 400));
    jc_fuzz_require_same(value, again, !sorted, "loads(dumps(v)) vs v");
    d2 = dumps(again, opts);
    JC_FUZZ_REQUIRE(d2 != NULL, "dumps(loads(dumps(v))) failed");
    if (PyBytes_GET_SIZE(d1) != PyBytes_GET_SIZE(d2) ||
        memcmp(PyBytes_AS_STRING(d1), PyBytes_AS_STRING(d2), (size_t)PyBytes_GET_SIZE(d1)) != 0) {
        fprintf(stderr, "==jcodec-fuzz== d1: %s\n", jc_fuzz_repr(d1, 800));
        jc_fuzz_fail("dumps is not a fixed point (option=%ld): d2 = %s", opts,
                     jc_fuzz_repr(d2, 800));
    }
done:
    Py_XDECREF(d2);
    Py_XDECREF(again);
    Py_XDECREF(d1);
    Py_XDECREF(value);
    Py_DECREF(doc);
    if (cache_mode != 0)
        configure_cache(4, true);
    return 0;
}
