/* Property: loads and dumps with allocation request N failing (jc_fault_arm:
 * CPython's MEM and OBJ domains, so Python objects as well as the core's own
 * blocks):
 *   - the armed call raises exactly MemoryError whenever a failure was injected
 *     (and behaves as unarmed when N was past its last request);
 *   - nothing leaks: the allocator layer's live bytes are back where they were
 *     once the key cache is emptied, and LeakSanitizer sees every Python object
 *     (the interpreter runs on malloc);
 *   - the cyclic GC is enabled again after a failed loads;
 *   - the next, unarmed call succeeds with the same outcome as before.
 * Input: byte 0 = mode (bit 0 dumps, bit 1 persistent, bit 2 cold key cache,
 * bit 3 str input, bit 4 OPT_INDENT_2, bit 5 OPT_SORT_KEYS, bit 6 every N in
 * turn), bytes 1-2 = N
 * (taken modulo the call's request count, plus one), the rest = the document
 * (for dumps: the tree loads makes of it, or the text as a str when it is not
 * JSON, surrogates and all). */
#include "fuzz_common.h"

#include "alloc.h"
#include "testing.h"
#include "encode/options.h"

static PyObject *cache_clear; /* jcodec._cache_clear */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    cache_clear = jc_fuzz_attr(jc_fuzz.jcodec, "_cache_clear");
    return 0;
}

static void clear_cache(void)
{
    PyObject *done = PyObject_CallNoArgs(cache_clear);
    JC_FUZZ_REQUIRE(done != NULL, "_cache_clear");
    Py_DECREF(done);
}

/* The outcome of one call: the result, or the exception's type and str(). */
typedef struct outcome {
    PyObject *value;
    PyObject *error_type;
    PyObject *error_text;
} outcome;

static outcome call(PyObject *fn, PyObject *arg, PyObject *option)
{
    outcome o = {NULL, NULL, NULL};
    PyObject *args[] = {arg, Py_None, option};
    o.value = PyObject_Vectorcall(fn, args, option ? 3 : 1, NULL);
    if (o.value == NULL) {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        PyErr_NormalizeException(&type, &value, &traceback);
        o.error_type = type;
        o.error_text = value ? PyObject_Str(value) : NULL;
        JC_FUZZ_REQUIRE(value == NULL || o.error_text != NULL, "str(exception)");
        Py_XDECREF(value);
        Py_XDECREF(traceback);
    }
    return o;
}

static void outcome_clear(outcome *o)
{
    Py_CLEAR(o->value);
    Py_CLEAR(o->error_type);
    Py_CLEAR(o->error_text);
}

static void require_same_outcome(const outcome *got, const outcome *want, const char *what)
{
    if (want->value != NULL) {
        JC_FUZZ_REQUIRE(got->value != NULL, "%s: the call after a failed one raised %s", what,
                        jc_fuzz_repr(got->error_text, 300));
        jc_fuzz_require_same(got->value, want->value, true, what);
        return;
    }
    JC_FUZZ_REQUIRE(got->value == NULL && got->error_type == want->error_type &&
                        PyObject_RichCompareBool(got->error_text, want->error_text, Py_EQ) == 1,
                    "%s: expected %s, got %s", what, jc_fuzz_repr(want->error_text, 200),
                    got->value ? "a value" : jc_fuzz_repr(got->error_text, 200));
}

/* One injected failure at request n (or from n on) and the checks around it. */
static void check_failure_at(PyObject *fn, PyObject *arg, PyObject *option, uint64_t n,
                             uint64_t requests, bool persistent, bool cold,
                             const outcome *reference)
{
    if (cold)
        clear_cache();
    jc_fault_arm(n, persistent);
    outcome failed = call(fn, arg, option);
    uint64_t failures = jc_fault_last_failures();
    JC_FUZZ_REQUIRE(PyGC_IsEnabled(), "the cyclic GC is left disabled");
    if (failures == 0) {
        /* N was past the last request (a warm cache can change the count). */
        require_same_outcome(&failed, reference, "armed call without a failure");
    } else {
        JC_FUZZ_REQUIRE(persistent || failures == 1, "%llu failures injected for one N",
                        (unsigned long long)failures);
        JC_FUZZ_REQUIRE(
            failed.value == NULL && failed.error_type == PyExc_MemoryError,
            "allocation %llu of %llu failed%s, and the call %s %s", (unsigned long long)n,
            (unsigned long long)requests, persistent ? " (and every later one)" : "",
            failed.value ? "returned" : "raised",
            failed.value ? jc_fuzz_repr(failed.value, 200) : jc_fuzz_repr(failed.error_text, 200));
    }
    outcome_clear(&failed);

    outcome after = call(fn, arg, option);
    require_same_outcome(&after, reference, "the call after an injected failure");
    outcome_clear(&after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size > JC_FUZZ_MAX_INPUT)
        return -1;
    uint8_t mode = data[0];
    bool is_dumps = mode & 1, persistent = mode & 2, cold = mode & 4, sweep = mode & 64;
    unsigned n_choice = data[1] | (unsigned)data[2] << 8;
    const char *doc = (const char *)data + 3;
    Py_ssize_t len = (Py_ssize_t)size - 3;

    /* The argument: bytes or str for loads; for dumps, a decoded tree. */
    PyObject *arg = NULL, *option = NULL, *fn = is_dumps ? jc_fuzz.dumps : jc_fuzz.loads;
    if (mode & 8 || is_dumps) {
        arg = PyUnicode_DecodeUTF8(doc, len, "surrogateescape");
        JC_FUZZ_REQUIRE(arg != NULL, "decode");
    } else {
        arg = PyBytes_FromStringAndSize(doc, len);
    }
    if (is_dumps) {
        PyObject *tree = PyObject_CallOneArg(jc_fuzz.loads, arg);
        if (tree != NULL)
            Py_SETREF(arg, tree);
        else
            Py_DECREF(jc_fuzz_take_exception(jc_fuzz.JSONDecodeError, "jcodec.loads"));
        option = PyLong_FromLong(((mode & 16) ? JC_OPT_INDENT_2 : 0) |
                                 ((mode & 32) ? JC_OPT_SORT_KEYS : 0));
    }

    clear_cache();
    jc_alloc_stats_reset();
    jc_alloc_stats counters;
    jc_alloc_stats_get(&counters);
    JC_FUZZ_REQUIRE(counters.allocations == 0 && counters.failed == 0 &&
                        counters.peak_bytes == counters.live_bytes,
                    "jc_alloc_stats_reset left counts behind");
    uint64_t live_at_start = counters.live_bytes;
    /* Count the requests the call makes, with the cache as the armed call
     * will find it (warm: after one call already filled it). */
    if (!cold)
        outcome_clear((outcome[]){call(fn, arg, option)});
    jc_fault_arm(0, false);
    outcome reference = call(fn, arg, option);
    uint64_t requests = jc_fault_last_count();
    JC_FUZZ_REQUIRE(jc_fault_last_failures() == 0, "a counting call had failures injected");
    /* Mode bit 6 sweeps every request (inputs whose calls make at most 3000),
     * else the one chosen by bytes 1-2. */
    if (sweep && requests <= 3000) {
        for (uint64_t n = 1; n <= requests; n++)
            check_failure_at(fn, arg, option, n, requests, persistent, cold, &reference);
    } else if (requests > 0) {
        check_failure_at(fn, arg, option, 1 + n_choice % requests, requests, persistent, cold,
                         &reference);
    }
    outcome_clear(&reference);

    clear_cache();
    jc_alloc_stats_get(&counters);
    JC_FUZZ_REQUIRE(counters.live_bytes == live_at_start,
                    "allocator layer: %llu live bytes at the start, %llu at the end",
                    (unsigned long long)live_at_start, (unsigned long long)counters.live_bytes);
    JC_FUZZ_REQUIRE(counters.peak_bytes >= counters.live_bytes &&
                        counters.frees <= counters.allocations,
                    "allocator counters do not add up");
    Py_XDECREF(option);
    Py_DECREF(arg);
    return 0;
}
