/* Encoder errors: recording while the encoder unwinds, path rendering, and
 * the one exit where a record becomes JSONEncodeError. See error.h. */
#include "encode/error.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "alloc.h"
#include "compat.h"
#include "encode/float_print.h"

/*==============================================================================
 * Recording
 *============================================================================*/

void jc_encode_error_init(jc_encode_error *err)
{
    err->code = JC_ENCODE_OK;
    err->msg[0] = 0;
    err->cause = NULL;
    err->path_len = 0;
    err->path = NULL;
}

void jc_encode_error_clear(jc_encode_error *err)
{
    for (size_t i = 0; err->path != NULL && i < err->path_len; i++) {
        Py_CLEAR(err->path[i].container);
        Py_CLEAR(err->path[i].key);
    }
    err->path_len = 0;
    jc_free(err->path, JC_ENCODE_MAX_PATH * sizeof *err->path);
    err->path = NULL;
    Py_CLEAR(err->cause);
    err->code = JC_ENCODE_OK;
    err->msg[0] = 0;
}

static int record(jc_encode_error *err, jc_encode_code code, const char *format, va_list args)
    __attribute__((format(printf, 3, 0)));

static int record(jc_encode_error *err, jc_encode_code code, const char *format, va_list args)
{
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, format, args);
    return -1;
}

int jc_encode_fail(jc_encode_error *err, jc_encode_code code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    record(err, code, format, args);
    va_end(args);
    return -1;
}

int jc_encode_fail_python(jc_encode_error *err)
{
    err->code = JC_ENCODE_PYTHON;
    return -1;
}

int jc_encode_take_cause(jc_encode_error *err)
{
    /* Taking the exception may create it (CPython raises many lazily, as a
     * type and a message): if that runs out of memory, the MemoryError is
     * the error, not the cause of one. */
    PyObject *cause = jc_err_take();
    if (cause == NULL || PyErr_GivenExceptionMatches(cause, PyExc_MemoryError)) {
        if (cause != NULL)
            PyErr_SetObject((PyObject *)Py_TYPE(cause), cause);
        else
            PyErr_NoMemory();
        Py_XDECREF(cause);
        return jc_encode_fail_python(err);
    }
    Py_XSETREF(err->cause, cause);
    return 0;
}

int jc_encode_fail_raised(jc_encode_error *err, jc_encode_code code, const char *format, ...)
{
    if (PyErr_ExceptionMatches(PyExc_MemoryError) || PyErr_ExceptionMatches(PyExc_RecursionError) ||
        !PyErr_ExceptionMatches(PyExc_Exception) || jc_encode_take_cause(err) < 0)
        return jc_encode_fail_python(err);
    va_list args;
    va_start(args, format);
    record(err, code, format, args);
    va_end(args);
    return -1;
}

int jc_encode_note_path(jc_encode_error *err, PyObject *container, PyObject *key, Py_ssize_t index)
{
    if (err->code == JC_ENCODE_PYTHON || err->path_len == JC_ENCODE_MAX_PATH)
        return -1;
    if (err->path == NULL) {
        err->path = jc_malloc(JC_ENCODE_MAX_PATH * sizeof *err->path);
        if (err->path == NULL) {
            /* No room to describe the place: the error becomes MemoryError. */
            jc_encode_error_clear(err);
            PyErr_NoMemory();
            return jc_encode_fail_python(err);
        }
    }
    jc_path_segment *segment = &err->path[err->path_len++];
    segment->container = Py_NewRef(container);
    segment->key = Py_XNewRef(key);
    segment->index = index;
    return -1;
}

void jc_encode_error_finish(jc_encode_error *err)
{
    if (err->code != JC_ENCODE_DEPTH)
        return;
    for (size_t i = 0; i < err->path_len; i++) {
        for (size_t j = i + 1; j < err->path_len; j++) {
            if (err->path[i].container == err->path[j].container) {
                err->code = JC_ENCODE_CIRCULAR;
                snprintf(err->msg, sizeof err->msg, "circular reference detected");
                return;
            }
        }
    }
}

const char *jc_type_name(PyObject *obj)
{
    const char *name = Py_TYPE(obj)->tp_name;
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

/*==============================================================================
 * Paths
 *============================================================================*/

/* Keys are cut to this many code points in a path (then "..." follows): the
 * message names the place, it does not reproduce a huge key. */
#define JC_PATH_KEY_MAX 64
/* An int key of at most this many 30-bit digits (below 2**210: at most 64
 * decimal digits) is written in a path; a bigger one would cost a quadratic
 * conversion, or fail beyond sys.get_int_max_str_digits(), so it is named by
 * its type. */
#define JC_PATH_INT_MAX_DIGITS 7

/* A key that reads well after a dot in a path: a short ASCII identifier. */
static bool is_plain_name(PyObject *key)
{
    if (!PyUnicode_Check(key) || !PyUnicode_IS_ASCII(key) || PyUnicode_GET_LENGTH(key) == 0 ||
        PyUnicode_GET_LENGTH(key) > JC_PATH_KEY_MAX)
        return false;
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(key);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(key); i++) {
        Py_UCS1 c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                  (i > 0 && c >= '0' && c <= '9');
        if (!ok)
            return false;
    }
    return true;
}

/* "text..." for a text that was cut (steals the reference). */
static PyObject *with_ellipsis(PyObject *text)
{
    if (text == NULL)
        return NULL;
    PyObject *result = PyUnicode_FromFormat("%U...", text);
    Py_DECREF(text);
    return result;
}

/* A str key as repr() quotes it (str's own repr, not a subclass's), cut
 * before quoting so that a huge key is never copied. */
static PyObject *str_key_text(PyObject *key)
{
    if (PyUnicode_GET_LENGTH(key) <= JC_PATH_KEY_MAX)
        return PyUnicode_Type.tp_repr(key);
    PyObject *cut = PyUnicode_Substring(key, 0, JC_PATH_KEY_MAX);
    if (cut == NULL)
        return NULL;
    PyObject *quoted = PyUnicode_Type.tp_repr(cut);
    Py_DECREF(cut);
    return with_ellipsis(quoted);
}

/* Any other key's repr(), cut to JC_PATH_KEY_MAX code points. */
static PyObject *repr_key_text(PyObject *key)
{
    PyObject *repr = PyObject_Repr(key);
    if (repr == NULL || PyUnicode_GET_LENGTH(repr) <= JC_PATH_KEY_MAX)
        return repr;
    PyObject *cut = PyUnicode_Substring(repr, 0, JC_PATH_KEY_MAX);
    Py_DECREF(repr);
    return with_ellipsis(cut);
}

/* The text between a path's brackets for a key, as repr() writes it; NULL
 * with no exception set when the key is better named by its type. Keys dumps
 * can write are converted here without running Python code; anything else
 * (a key dumps refused) needs its repr, which may run a class's __repr__. */
static PyObject *key_text(PyObject *key)
{
    if (PyUnicode_Check(key))
        return str_key_text(key);
    if (key == Py_True || key == Py_False || key == Py_None)
        return PyUnicode_FromString(key == Py_True ? "True" : key == Py_False ? "False" : "None");
    if (PyLong_Check(key)) {
        if (jc_long_digit_count(key) > JC_PATH_INT_MAX_DIGITS)
            return NULL;
        return PyLong_Type.tp_repr(key);
    }
    if (PyFloat_Check(key)) {
        double v = PyFloat_AS_DOUBLE(key);
        char buffer[JC_DOUBLE_REPR_MAX];
        if (isfinite(v))
            return PyUnicode_FromStringAndSize(buffer, (Py_ssize_t)jc_write_double_repr(v, buffer));
        return PyUnicode_FromString(isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
    }
    return repr_key_text(key);
}

/* One step of a path: "[3]", ".name", "['a b']", "[<Key>]". A key whose repr
 * raises an ordinary exception is named by its type instead: describing the
 * place must not replace the error being reported. MemoryError, and what is
 * not an Exception (KeyboardInterrupt, SystemExit), still propagate. */
static PyObject *segment_text(const jc_path_segment *segment)
{
    PyObject *key = segment->key;
    if (key == NULL && segment->index == JC_PATH_DELETED_KEY)
        return PyUnicode_FromString("[<key deleted during serialization>]");
    if (key == NULL)
        return PyUnicode_FromFormat("[%zd]", segment->index);
    if (is_plain_name(key))
        return PyUnicode_FromFormat(".%U", key);
    PyObject *text = key_text(key);
    if (text == NULL && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_Exception) || PyErr_ExceptionMatches(PyExc_MemoryError))
            return NULL;
        PyErr_Clear();
    }
    if (text == NULL)
        return PyUnicode_FromFormat("[<%s>]", jc_type_name(key));
    PyObject *segment_str = PyUnicode_FromFormat("[%U]", text);
    Py_DECREF(text);
    return segment_str;
}

static int append_segment(PyObject *parts, const jc_path_segment *segment)
{
    PyObject *text = segment_text(segment);
    if (text == NULL)
        return -1;
    int status = PyList_Append(parts, text);
    Py_DECREF(text);
    return status;
}

/* "$.users[3].id": the record's path, outermost first (NULL on failure). */
static PyObject *error_path(const jc_encode_error *err)
{
    /* Deep paths (a cycle, say) keep their outermost and innermost steps. */
    const size_t keep = 8;
    PyObject *parts = PyList_New(0), *empty = NULL, *joined = NULL, *path = NULL;
    if (parts == NULL)
        return NULL;
    size_t n = err->path_len;
    for (size_t step = 0; step < n; step++) {
        if (n > 2 * keep && step == keep) {
            PyObject *ellipsis = PyUnicode_FromFormat("...(%zu more)...", n - 2 * keep);
            if (ellipsis == NULL || PyList_Append(parts, ellipsis) < 0) {
                Py_XDECREF(ellipsis);
                goto done;
            }
            Py_DECREF(ellipsis);
            step = n - keep - 1;
            continue;
        }
        if (append_segment(parts, &err->path[n - 1 - step]) < 0)
            goto done;
    }
    empty = PyUnicode_New(0, 0);
    if (empty == NULL)
        goto done;
    joined = PyUnicode_Join(empty, parts);
    if (joined == NULL)
        goto done;
    path = PyUnicode_FromFormat("$%U", joined);
done:
    Py_XDECREF(joined);
    Py_XDECREF(empty);
    Py_DECREF(parts);
    return path;
}

/*==============================================================================
 * Raising
 *============================================================================*/

/* One exit for every refusal: the recorded message, the path of the value, and
 * the exception that caused it (from `default` or a conversion) as __cause__. */
void jc_encode_error_raise(jc_module_state *st, jc_encode_error *err)
{
    if (err->code == JC_ENCODE_PYTHON)
        return;
    PyObject *path = NULL, *msg = NULL, *exc = NULL;
    if (err->path_len > 0) {
        path = error_path(err);
        if (path == NULL)
            goto done;
        msg = PyUnicode_FromFormat("%s at %U", err->msg, path);
    } else {
        msg = PyUnicode_FromString(err->msg);
    }
    if (msg == NULL)
        goto done;
    exc = PyObject_CallOneArg(st->JSONEncodeError, msg);
    if (exc == NULL)
        goto done;
    if (err->cause != NULL) {
        PyException_SetContext(exc, Py_NewRef(err->cause));
        PyException_SetCause(exc, err->cause);
        err->cause = NULL;
    }
    PyErr_SetObject(st->JSONEncodeError, exc);
done:
    Py_XDECREF(exc);
    Py_XDECREF(msg);
    Py_XDECREF(path);
}
