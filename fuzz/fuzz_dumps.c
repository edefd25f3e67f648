/* Property: jcodec.dumps(obj, default, option) on object trees built from the
 * input (fuzz_tree.h: built-in types, and datetime, date, time, UUID, enum
 * members, dataclasses, numpy arrays and scalars, jcodec.Fragment, those as
 * OPT_NON_STR_KEYS keys, under every option):
 *   - the output is exactly reference.expected(obj, option, default) of
 *     tests/python/reference.py, the project's reference encoder, or both
 *     refuse: dumps with jcodec.JSONEncodeError (nothing else), the reference
 *     with reference.Refused;
 *   - while the tree holds only built-in types, json is a second oracle:
 *     where json can encode the expected tree (fuzz_helpers.py), its bytes
 *     json.dumps(expected, ensure_ascii=False, separators=(",", ":"),
 *     sort_keys=..., indent=...) (plus "\n" with OPT_APPEND_NEWLINE) are the
 *     reference's too, and where it cannot (REFUSE in the tree: unsupported
 *     types, float and tuple subclasses, non-str keys without
 *     OPT_NON_STR_KEYS, lone surrogates, ints over the digit limit or over
 *     53 bits with OPT_STRICT_INTEGER, nesting over 254, cycles, invalid
 *     arguments) the reference refuses; a disagreement there is reported as
 *     the reference's, not jcodec's;
 *   - never a crash, a sanitizer report or a leak.
 * numpy comes from the system's packages (fuzz_common.c); without it the
 * trees have no numpy values (one message at start-up). */
#include "fuzz_common.h"
#include "fuzz_tree.h"

#include "encode/options.h"

static struct {
    PyObject *reference_dumps, *expected, *Refused;
} py;

/* JCODEC_FUZZ_SHOW=1: every input's tree, arguments and both outcomes on
 * stderr (to see what a seed builds: replay_fuzz_dumps FILE...). */
static bool show_all;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    jc_fuzz_import_numpy("fuzz_dumps");
    PyObject *helpers = jc_fuzz_tree_helpers();
    py.reference_dumps = jc_fuzz_attr(helpers, "reference_dumps");
    py.expected = jc_fuzz_attr(helpers, "expected");
    py.Refused = jc_fuzz_attr(helpers, "Refused");
    show_all = getenv("JCODEC_FUZZ_SHOW") != NULL;
    return 0;
}

/* json's verdict on the expected tree of a built-in tree: its bytes, or NULL
 * where json cannot encode it (jcodec must refuse). */
static PyObject *json_oracle(const jc_fuzz_tree *t)
{
    if (t->bad_arguments)
        return NULL;
    /* reference_dumps(exp, sort_keys, indent): indent 2 or None. */
    PyObject *want = PyObject_CallFunction(
        py.reference_dumps, "ONN", t->exp, PyBool_FromLong((t->opts & JC_OPT_SORT_KEYS) != 0),
        (t->opts & JC_OPT_INDENT_2) ? PyLong_FromLong(2) : Py_NewRef(Py_None));
    if (want == NULL)
        jc_fuzz_clear_expected("json.dumps", PyExc_TypeError, PyExc_ValueError,
                               PyExc_RecursionError, NULL);
    else if (t->opts & JC_OPT_APPEND_NEWLINE)
        PyBytes_ConcatAndDel(&want, PyBytes_FromString("\n"));
    JC_FUZZ_REQUIRE(want != NULL || !PyErr_Occurred(), "appending the newline");
    return want;
}

static bool same_bytes(PyObject *a, PyObject *b)
{
    return PyBytes_GET_SIZE(a) == PyBytes_GET_SIZE(b) &&
           memcmp(PyBytes_AS_STRING(a), PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(a)) == 0;
}

/* Both refuse (NULL), or both give the same bytes. */
static bool same_verdict(PyObject *a, PyObject *b)
{
    return a == NULL ? b == NULL : b != NULL && same_bytes(a, b);
}

/* One line of a failure's context (jc_fuzz_repr's text lives until its next
 * call: one value a line). */
static void show(const char *label, PyObject *value, const char *if_null)
{
    fprintf(stderr, "==jcodec-fuzz== %-10s %s\n", label,
            value ? jc_fuzz_repr(value, 800) : if_null);
}

static void show_call(const jc_fuzz_tree *t, const uint8_t *data, size_t size)
{
    show("obj:", t->obj, "");
    show("option:", t->option, "");
    show("default:", t->default_fn, "");
    jc_fuzz_print_input(data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > JC_FUZZ_MAX_INPUT)
        return -1;
    jc_fuzz_tree t;
    jc_fuzz_tree_build(&t, data, size);

    PyObject *args[] = {t.obj, t.default_fn, t.option};
    PyObject *out = PyObject_Vectorcall(jc_fuzz.dumps, args, 3, NULL);
    PyObject *error = out ? NULL : jc_fuzz_take_exception(jc_fuzz.JSONEncodeError, "jcodec.dumps");

    /* expected(obj, option, default): the order of its signature. */
    PyObject *ref_args[] = {t.obj, t.option, t.default_fn};
    PyObject *want = PyObject_Vectorcall(py.expected, ref_args, 3, NULL), *refusal = NULL;
    if (want == NULL) {
        if (!PyErr_ExceptionMatches(py.Refused)) {
            show("jcodec:", out ? out : error, "");
            show_call(&t, data, size);
            jc_fuzz_fail("reference.expected raised an exception other than reference.Refused "
                         "(a bug of tests/python/reference.py, or of the tree)");
        }
        refusal = jc_fuzz_take_exception(py.Refused, "reference.expected");
    } else {
        JC_FUZZ_REQUIRE(PyBytes_CheckExact(want), "reference.expected returned %s, not bytes",
                        jc_fuzz_repr(want, 200));
    }

    if (show_all) {
        show("jcodec:", out ? out : error, "");
        show("reference:", want ? want : refusal, "");
        show_call(&t, data, size);
    }

    /* A tree of built-in types only: json's verdict is the reference's. */
    if (!t.rich && !t.inexpressible) {
        PyObject *json = json_oracle(&t);
        if (!same_verdict(want, json)) {
            show("reference:", want ? want : refusal, "");
            show("json:", json, "a refusal");
            show("jcodec:", out ? out : error, "");
            show("expected:", t.exp, "");
            show_call(&t, data, size);
            jc_fuzz_fail("reference.expected disagrees with the json oracle on a tree of "
                         "built-in types: a bug of tests/python/reference.py, not of jcodec");
        }
        Py_XDECREF(json);
    }

    if (!same_verdict(out, want)) {
        show("jcodec:", out ? out : error, "");
        show("reference:", want ? want : refusal, "");
        show_call(&t, data, size);
        jc_fuzz_fail("jcodec.dumps differs from reference.expected");
    }
    Py_XDECREF(want);
    Py_XDECREF(out);
    Py_XDECREF(error);
    Py_XDECREF(refusal);
    jc_fuzz_tree_release(&t);
    return 0;
}
