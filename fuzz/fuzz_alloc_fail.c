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
 * turn, bit 7 with bit 0: tree mode), bytes 1-2 = N
 * (taken modulo the call's request count, plus one), the rest = the document
 * (for dumps: the tree loads makes of it, or the text as a str when it is not
 * JSON, surrogates and all).
 * Tree mode: the rest is a fuzz_dumps input (fuzz_tree.h: its own options and
 * default, the further types: datetime, UUID, enum, dataclasses, numpy,
 * Fragment, their keys); bits 4-5 are unused and bit 3 modifies every
 * dataclass type of the tree before each call, so each call reads the
 * classes' fields again (the field cache's miss path) and makes the same
 * requests. A tree whose arguments dumps refuses before it starts (invalid
 * option, default not callable) allocates nothing that can be failed: it is
 * only called twice, with the same outcome. */
#include "fuzz_common.h"
#include "fuzz_tree.h"

#include "alloc.h"
#include "testing.h"
#include "encode/options.h"

static PyObject *cache_clear;   /* jcodec._cache_clear */
static PyObject *touch_classes; /* fuzz_helpers.touch_classes */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    cache_clear = jc_fuzz_attr(jc_fuzz.jcodec, "_cache_clear");
    jc_fuzz_import_numpy("fuzz_alloc_fail");
    PyObject *helpers = jc_fuzz_tree_helpers();
    touch_classes = jc_fuzz_attr(helpers, "touch_classes");
    JC_FUZZ_REQUIRE(PyObject_SetAttrString(helpers, "FAULT_INJECTION", Py_True) == 0,
                    "fuzz_helpers.FAULT_INJECTION");
    return 0;
}

/* The arguments of one call, and what to do before each. */
typedef struct call_args {
    PyObject *fn, *arg, *default_fn, *option;
    bool touch; /* touch_classes() first */
    /* Tree mode: Python code runs inside dumps (reprs in an error's path,
     * zones, default, numpy), and CPython ignores some failed allocations
     * of its own (Py_ReprLeave's list shrink): an injected failure may then
     * leave no trace, and the call's outcome must be the unarmed one. */
    bool swallowed_ok;
} call_args;

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

/* Modifies the tree's dataclass types, so dumps reads their fields again. */
static void touch(void)
{
    PyObject *done = PyObject_CallNoArgs(touch_classes);
    JC_FUZZ_REQUIRE(done != NULL, "fuzz_helpers.touch_classes");
    Py_DECREF(done);
}

static outcome call(const call_args *c)
{
    outcome o = {NULL, NULL, NULL};
    if (c->touch)
        touch();
    PyObject *args[] = {c->arg, c->default_fn ? c->default_fn : Py_None, c->option};
    o.value = PyObject_Vectorcall(c->fn, args, c->option ? 3 : 1, NULL);
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

/* The same value (strictly, jc_fuzz_same), or the same exception type and text. */
static bool same_outcome(const outcome *got, const outcome *want)
{
    if (want->value != NULL)
        return got->value != NULL && jc_fuzz_same(got->value, want->value, true);
    return got->value == NULL && got->error_type == want->error_type &&
           PyObject_RichCompareBool(got->error_text, want->error_text, Py_EQ) == 1;
}

static void require_same_outcome(const outcome *got, const outcome *want, const char *what)
{
    if (same_outcome(got, want))
        return;
    if (want->value != NULL) {
        JC_FUZZ_REQUIRE(got->value != NULL, "%s: the call after a failed one raised %s", what,
                        jc_fuzz_repr(got->error_text, 300));
        jc_fuzz_require_same(got->value, want->value, true, what);
    }
    fprintf(stderr, "==jcodec-fuzz== expected: %s\n", jc_fuzz_repr(want->error_type, 100));
    fprintf(stderr, "==jcodec-fuzz==           %s\n", jc_fuzz_repr(want->error_text, 300));
    fprintf(stderr, "==jcodec-fuzz== got:      %s\n",
            got->value ? "a value" : jc_fuzz_repr(got->error_type, 100));
    fprintf(stderr, "==jcodec-fuzz==           %s\n",
            jc_fuzz_repr(got->value ? got->value : got->error_text, 300));
    jc_fuzz_fail("%s: not the outcome of the unarmed call", what);
}

/* CPython's repr-recursion guard keeps the objects being repr'd in a list of
 * the thread state (Py_ReprEnter); when shrinking that list fails,
 * Py_ReprLeave ignores it and the object stays marked, so that every later
 * repr of it is "[...]" or "{...}" (an error path names a key by its repr).
 * Outside any repr the list is empty: emptied after each armed call. */
static void reset_repr_guard(void)
{
    PyObject *state = PyThreadState_GetDict(); /* borrowed */
    PyObject *list = state ? PyDict_GetItemString(state, "Py_Repr") : NULL;
    if (list != NULL && PyList_Check(list) && PyList_GET_SIZE(list) > 0)
        JC_FUZZ_REQUIRE(PyList_SetSlice(list, 0, PY_SSIZE_T_MAX, NULL) == 0, "Py_Repr list");
}

/* One injected failure at request n (or from n on) and the checks around it. */
static void check_failure_at(const call_args *c, uint64_t n, uint64_t requests, bool persistent,
                             bool cold, const outcome *reference)
{
    if (cold)
        clear_cache();
    if (c->touch) /* before arming: changing a class allocates */
        touch();
    call_args armed = *c;
    armed.touch = false;
    jc_fault_arm(n, persistent);
    outcome failed = call(&armed);
    uint64_t failures = jc_fault_last_failures();
    jc_fault_disarm(); /* in case the call did not start (nothing claimed the arm) */
    reset_repr_guard();
    JC_FUZZ_REQUIRE(PyGC_IsEnabled(), "the cyclic GC is left disabled");
    if (failures == 0) {
        /* N was past the last request (a warm cache can change the count). */
        require_same_outcome(&failed, reference, "armed call without a failure");
    } else if (!(c->swallowed_ok && failed.error_type != PyExc_MemoryError &&
                 same_outcome(&failed, reference))) {
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

    outcome after = call(c);
    require_same_outcome(&after, reference, "the call after an injected failure");
    outcome_clear(&after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size > JC_FUZZ_MAX_INPUT)
        return -1;
    uint8_t mode = data[0];
    bool is_dumps = mode & 1, persistent = mode & 2, cold = mode & 4, sweep = mode & 64;
    bool tree_mode = is_dumps && (mode & 128);
    unsigned n_choice = data[1] | (unsigned)data[2] << 8;
    const char *doc = (const char *)data + 3;
    Py_ssize_t len = (Py_ssize_t)size - 3;

    /* The arguments: bytes or str for loads; for dumps, a decoded tree, or in
     * tree mode a fuzz_dumps tree with its own options and default. */
    call_args c = {is_dumps ? jc_fuzz.dumps : jc_fuzz.loads, NULL, NULL, NULL, false, tree_mode};
    jc_fuzz_tree tree = {0};
    if (tree_mode) {
        jc_fuzz_tree_build(&tree, (const uint8_t *)doc, (size_t)len);
        c.arg = Py_NewRef(tree.obj);
        c.default_fn = Py_NewRef(tree.default_fn);
        c.option = Py_NewRef(tree.option);
        c.touch = mode & 8;
    } else if (mode & 8 || is_dumps) {
        c.arg = PyUnicode_DecodeUTF8(doc, len, "surrogateescape");
        JC_FUZZ_REQUIRE(c.arg != NULL, "decode");
    } else {
        c.arg = PyBytes_FromStringAndSize(doc, len);
    }
    if (is_dumps && !tree_mode) {
        PyObject *value = PyObject_CallOneArg(jc_fuzz.loads, c.arg);
        if (value != NULL)
            Py_SETREF(c.arg, value);
        else
            Py_DECREF(jc_fuzz_take_exception(jc_fuzz.JSONDecodeError, "jcodec.loads"));
        c.option = PyLong_FromLong(((mode & 16) ? JC_OPT_INDENT_2 : 0) |
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
        outcome_clear((outcome[]){call(&c)});
    if (c.touch) /* as check_failure_at does */
        touch();
    call_args counted = c;
    counted.touch = false;
    bool starts = !(tree_mode && tree.bad_arguments); /* else it claims no arm */
    if (starts)
        jc_fault_arm(0, false);
    outcome reference = call(&counted);
    uint64_t requests = starts ? jc_fault_last_count() : 0;
    JC_FUZZ_REQUIRE(!starts || jc_fault_last_failures() == 0,
                    "a counting call had failures injected");
    if (!starts) {
        outcome again = call(&c);
        require_same_outcome(&again, &reference, "the call repeated");
        outcome_clear(&again);
    }
    /* Mode bit 6 sweeps every request (inputs whose calls make at most 3000,
     * or 200 in tree mode, whose calls run Python code), else the one chosen
     * by bytes 1-2. */
    if (sweep && requests <= (tree_mode ? 200u : 3000u)) {
        for (uint64_t n = 1; n <= requests; n++)
            check_failure_at(&c, n, requests, persistent, cold, &reference);
    } else if (requests > 0) {
        check_failure_at(&c, 1 + n_choice % requests, requests, persistent, cold, &reference);
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
    Py_XDECREF(c.option);
    Py_XDECREF(c.default_fn);
    Py_DECREF(c.arg);
    if (tree_mode)
        jc_fuzz_tree_release(&tree);
    return 0;
}
