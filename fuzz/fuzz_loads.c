/* Property: jcodec.loads on any bytes, and on the same text as a str when the
 * bytes are valid UTF-8.
 *   - never a crash, never an exception other than jcodec.JSONDecodeError;
 *   - a rejection has 0 <= pos <= len (bytes: byte offset; str: code points);
 *   - the bytes and str forms agree (same value, or the same error position);
 *   - an acceptance means json.loads accepts and returns an equal value of the
 *     same types (floats bit for bit, dict key order included);
 *   - where jcodec and json disagree, tests/python/differences.py (the one list
 *     of deliberate differences) must name a difference the document triggers,
 *     and the only one in the accepting direction is "depth". */
#include "fuzz_common.h"

static PyObject *json_differences; /* differences.json_differences */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    PyObject *differences = jc_fuzz_import("differences");
    json_differences = jc_fuzz_attr(differences, "json_differences");
    Py_DECREF(differences);
    return 0;
}

/* jcodec.loads(doc): the value, or NULL with *pos set from the JSONDecodeError. */
static PyObject *jcodec_loads(PyObject *doc, Py_ssize_t len, Py_ssize_t *pos)
{
    PyObject *value = PyObject_CallOneArg(jc_fuzz.loads, doc);
    if (value != NULL)
        return value;
    PyObject *exc = jc_fuzz_take_exception(jc_fuzz.JSONDecodeError, "jcodec.loads");
    PyObject *pos_obj = jc_fuzz_attr(exc, "pos");
    *pos = PyLong_AsSsize_t(pos_obj);
    JC_FUZZ_REQUIRE(*pos >= 0 && *pos <= len, "JSONDecodeError.pos %zd outside [0, %zd]", *pos,
                    len);
    Py_DECREF(pos_obj);
    Py_DECREF(exc);
    return NULL;
}

/* json.loads(doc), or NULL when it rejects it (ValueError, including
 * JSONDecodeError and UnicodeDecodeError, or RecursionError). */
static PyObject *reference_loads(PyObject *doc)
{
    PyObject *value = PyObject_CallOneArg(jc_fuzz.json_loads, doc);
    if (value == NULL)
        jc_fuzz_clear_expected("json.loads", PyExc_ValueError, PyExc_RecursionError, NULL);
    return value;
}

/* Where the two decoders disagree, the document must trigger a listed
 * difference; "depth" is the only one where jcodec accepts. */
static void require_listed_difference(PyObject *doc, bool jcodec_accepted)
{
    PyObject *names = PyObject_CallOneArg(json_differences, doc);
    JC_FUZZ_REQUIRE(names != NULL && PyList_Check(names), "differences.json_differences failed");
    if (PyList_GET_SIZE(names) == 0)
        jc_fuzz_fail("jcodec %s a document json.loads %s, and differences.py lists no "
                     "difference for it: %s",
                     jcodec_accepted ? "accepts" : "rejects",
                     jcodec_accepted ? "rejects" : "accepts", jc_fuzz_repr(doc, 300));
    if (jcodec_accepted) {
        PyObject *depth = PyUnicode_FromString("depth");
        int listed = PySequence_Contains(names, depth);
        Py_DECREF(depth);
        JC_FUZZ_REQUIRE(listed == 1, "jcodec accepts a document json rejects for %s",
                        jc_fuzz_repr(names, 200));
    }
    Py_DECREF(names);
}

/* Checks one document; returns jcodec's value (new reference) or NULL. */
static PyObject *check_document(PyObject *doc, Py_ssize_t len, Py_ssize_t *pos)
{
    PyObject *got = jcodec_loads(doc, len, pos);
    PyObject *want = reference_loads(doc);
    if (got != NULL && want != NULL)
        jc_fuzz_require_same(got, want, true, "jcodec.loads vs json.loads");
    else if (got != NULL || want != NULL)
        require_listed_difference(doc, got != NULL);
    Py_XDECREF(want);
    return got;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > JC_FUZZ_MAX_INPUT)
        return -1;
    PyObject *bytes = PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)size);
    JC_FUZZ_REQUIRE(bytes != NULL, "PyBytes_FromStringAndSize");
    Py_ssize_t bytes_pos = -1;
    PyObject *from_bytes = check_document(bytes, (Py_ssize_t)size, &bytes_pos);

    PyObject *str = PyUnicode_DecodeUTF8((const char *)data, (Py_ssize_t)size, "strict");
    if (str == NULL) {
        jc_fuzz_clear_expected("bytes.decode", PyExc_UnicodeDecodeError, NULL);
    } else {
        Py_ssize_t str_pos = -1;
        PyObject *from_str = check_document(str, PyUnicode_GET_LENGTH(str), &str_pos);
        JC_FUZZ_REQUIRE((from_bytes == NULL) == (from_str == NULL),
                        "loads(bytes) and loads(str) disagree on acceptance");
        if (from_bytes != NULL) {
            jc_fuzz_require_same(from_bytes, from_str, true, "loads(bytes) vs loads(str)");
        } else {
            /* The str's position counts the code points before the byte. */
            Py_ssize_t code_points = 0;
            for (Py_ssize_t i = 0; i < bytes_pos; i++)
                code_points += (data[i] & 0xC0) != 0x80;
            JC_FUZZ_REQUIRE(str_pos == code_points,
                            "error at byte %zd should be at code point %zd in the str, not %zd",
                            bytes_pos, code_points, str_pos);
        }
        Py_XDECREF(from_str);
        Py_DECREF(str);
    }
    Py_XDECREF(from_bytes);
    Py_DECREF(bytes);
    return 0;
}
