/* Serializer: dispatch, containers, the rare types, and error records. See
 * serialize.h for the pipeline. */
#include "serialize.h"

#include <stdarg.h>

#include "ser_number.h"
#include "ser_str.h"
#include "stack_guard.h"

/*==============================================================================
 * Errors
 *============================================================================*/

JC_COLD static int fail(jc_encoder *e, jc_encode_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

JC_COLD static int fail(jc_encoder *e, jc_encode_code code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    e->err.code = code;
    vsnprintf(e->err.msg, sizeof e->err.msg, format, args);
    va_end(args);
    return -1;
}

/* A Python exception (MemoryError and the like) is set and propagates as is. */
JC_COLD static int fail_python(jc_encoder *e)
{
    e->err.code = JC_ENCODE_PYTHON;
    return -1;
}

JC_COLD static int fail_surrogate(jc_encoder *e)
{
    return fail(e, JC_ENCODE_SURROGATE, "str is not valid UTF-8: surrogates not allowed");
}

/* The raised exception, normalised, with its traceback attached, to become the
 * __cause__ of the JSONEncodeError raised for it. */
JC_COLD static PyObject *take_exception(void)
{
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (value != NULL && traceback != NULL)
        PyException_SetTraceback(value, traceback);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    return value;
}

/* The type's short name, as orjson reports it. */
static const char *type_name(PyObject *obj)
{
    const char *name = Py_TYPE(obj)->tp_name;
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

/* Called while unwinding out of a container: records where in it the error
 * happened. Returns -1 so callers can `return note_path(...)`. */
JC_COLD static int note_path(jc_encoder *e, PyObject *container, PyObject *key, Py_ssize_t index)
{
    jc_encode_error *err = &e->err;
    if (err->code == JC_ENCODE_PYTHON || err->path_len == JC_ENCODE_MAX_PATH)
        return -1;
    if (err->path == NULL) {
        err->path = jc_malloc(JC_ENCODE_MAX_PATH * sizeof *err->path);
        if (err->path == NULL) {
            /* No room to describe the place: the error becomes MemoryError. */
            jc_encode_error_clear(err);
            PyErr_NoMemory();
            return fail_python(e);
        }
    }
    jc_path_segment *segment = &err->path[err->path_len++];
    segment->container = Py_NewRef(container);
    segment->key = Py_XNewRef(key);
    segment->index = index;
    return -1;
}

void jc_encode_error_clear(jc_encode_error *err)
{
    for (size_t i = 0; i < err->path_len; i++) {
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

/* Too deep is a cycle when some container is its own ancestor on the path. */
static void classify_depth_error(jc_encode_error *err)
{
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
        Py_ssize_t size = Py_SIZE(key);
        if (size > JC_PATH_INT_MAX_DIGITS || size < -JC_PATH_INT_MAX_DIGITS)
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
        return PyUnicode_FromFormat("[<%s>]", type_name(key));
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

PyObject *jc_encode_error_path(const jc_encode_error *err)
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
                goto error;
            }
            Py_DECREF(ellipsis);
            step = n - keep - 1;
            continue;
        }
        if (append_segment(parts, &err->path[n - 1 - step]) < 0)
            goto error;
    }
    empty = PyUnicode_New(0, 0);
    if (empty == NULL)
        goto error;
    joined = PyUnicode_Join(empty, parts);
    if (joined == NULL)
        goto error;
    path = PyUnicode_FromFormat("$%U", joined);
error:
    Py_XDECREF(joined);
    Py_XDECREF(empty);
    Py_DECREF(parts);
    return path;
}

const char *jc_encode_code_name(jc_encode_code code)
{
    switch (code) {
#define JC_ENCODE_NAME(name, what) \
  case JC_ENCODE_##name: return #name;
        JC_ENCODE_ERRORS(JC_ENCODE_NAME)
#undef JC_ENCODE_NAME
    }
    return "UNKNOWN";
}

/*==============================================================================
 * Scalars
 *============================================================================*/

#define MAX_SAFE_INTEGER ((INT64_C(1) << 53) - 1)

JC_INLINE int check_strict_integer(jc_encoder *e, int64_t v)
{
    if (jc_unlikely(e->opts & JC_OPT_STRICT_INTEGER) &&
        (v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER))
        return fail(e, JC_ENCODE_INT_RANGE, "Integer exceeds 53-bit range");
    return 0;
}

/* An int no smaller than 2**630 (21 30-bit digits; below it at most 190
 * decimal digits) may exceed sys.get_int_max_str_digits(), whose smallest
 * limit is 640 digits. */
#define JC_INT_MAY_EXCEED_DIGITS 21

/* int's own decimal conversion (not a subclass's __repr__), or NULL with the
 * error recorded: beyond sys.get_int_max_str_digits() its ValueError becomes
 * the cause. That ValueError is a new object (created when it is taken) and
 * may start a cyclic collection, whose finalizers would run Python code while
 * the dicts being written lend their keys (encode_members): the collector is
 * paused for ints that big, so that no Python code runs without `default`. */
static PyObject *int_to_decimal(jc_encoder *e, PyObject *obj)
{
    Py_ssize_t size = Py_SIZE(obj);
    bool may_exceed = size >= JC_INT_MAY_EXCEED_DIGITS || size <= -JC_INT_MAY_EXCEED_DIGITS;
    int collecting = may_exceed ? PyGC_Disable() : 0;
    PyObject *text = PyLong_Type.tp_repr(obj);
    if (text == NULL) {
        if (PyErr_ExceptionMatches(PyExc_ValueError)) {
            e->err.cause = take_exception();
            fail(e, JC_ENCODE_INT_DIGITS,
                 "Integer exceeds the limit for integer string conversion "
                 "(sys.set_int_max_str_digits())");
        } else {
            fail_python(e);
        }
    }
    if (collecting)
        PyGC_Enable();
    return text;
}

/* Beyond 64 bits: CPython's conversion (int's own, not a subclass's __repr__),
 * which refuses more digits than sys.get_int_max_str_digits() allows. */
JC_NOINLINE static int write_big_int(jc_encoder *e, PyObject *obj)
{
    if (e->opts & JC_OPT_STRICT_INTEGER)
        return fail(e, JC_ENCODE_INT_RANGE, "Integer exceeds 53-bit range");
    PyObject *text = int_to_decimal(e, obj);
    if (text == NULL)
        return -1;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    int status = jc_writer_reserve(&e->out, (size_t)len);
    if (status == 0)
        jc_writer_put_bytes(&e->out, PyUnicode_1BYTE_DATA(text), (size_t)len);
    else
        fail_python(e);
    Py_DECREF(text);
    return status;
}

JC_INLINE int write_int(jc_encoder *e, PyObject *obj)
{
    int64_t v;
    Py_ssize_t size = Py_SIZE(obj);
    /* CPython 3.11's layout: a sign-magnitude array of 30-bit digits. */
    if (jc_likely(size <= 1 && size >= -1)) {
        v = size * (int64_t)((PyLongObject *)obj)->ob_digit[0];
    } else {
        int overflow;
        v = PyLong_AsLongLongAndOverflow(obj, &overflow);
        if (jc_unlikely(overflow))
            return write_big_int(e, obj);
        if (jc_unlikely(v == -1 && PyErr_Occurred()))
            return fail_python(e);
    }
    if (jc_unlikely(check_strict_integer(e, v) < 0))
        return -1;
    if (jc_unlikely(write_i64(&e->out, v) < 0))
        return fail_python(e);
    return 0;
}

JC_INLINE int write_literal(jc_encoder *e, const char *text, size_t len)
{
    if (jc_unlikely(jc_writer_reserve(&e->out, 8) < 0))
        return fail_python(e);
    memcpy(jc_writer_pos(&e->out), text, 8); /* whole word; len counts */
    e->out.len += len;
    return 0;
}

/*==============================================================================
 * Containers
 *============================================================================*/

static int encode_value(jc_encoder *e, PyObject *obj);
JC_INLINE int encode_value_inline(jc_encoder *e, PyObject *obj);
static int encode_dict(jc_encoder *e, PyObject *dict);
static int encode_sequence(jc_encoder *e, PyObject *seq, bool is_list);
static int encode_other(jc_encoder *e, PyObject *obj);

/* OPT_INDENT_2: a newline and two spaces per level. */
JC_INLINE int write_newline_indent(jc_encoder *e, int depth)
{
    size_t spaces = 2 * (size_t)depth;
    if (jc_unlikely(jc_writer_reserve(&e->out, spaces + 1) < 0))
        return fail_python(e);
    char *o = jc_writer_pos(&e->out);
    o[0] = '\n';
    memset(o + 1, ' ', spaces);
    e->out.len += spaces + 1;
    return 0;
}

JC_INLINE int write_byte(jc_encoder *e, char c)
{
    if (jc_unlikely(jc_writer_reserve(&e->out, 1) < 0))
        return fail_python(e);
    jc_writer_put(&e->out, c);
    return 0;
}

/* An empty container is written without entering it, but it is one level
 * all the same (orjson counts it too). */
JC_INLINE int check_empty_depth(jc_encoder *e)
{
    if (jc_unlikely(e->depth >= JC_ENCODE_MAX_DEPTH))
        return fail(e, JC_ENCODE_DEPTH, "maximum nesting depth of %d exceeded",
                    JC_ENCODE_MAX_DEPTH);
    return 0;
}

/* Containers recurse on the C stack: each level checks it has room (a
 * re-entrant call may start with little left). */
JC_INLINE int enter_container(jc_encoder *e)
{
    if (jc_unlikely(++e->depth > JC_ENCODE_MAX_DEPTH))
        return fail(e, JC_ENCODE_DEPTH, "maximum nesting depth of %d exceeded",
                    JC_ENCODE_MAX_DEPTH);
    if (jc_stack_exhausted(e->stack_floor)) {
        e->depth--;
        jc_stack_fail(" while encoding a JSON object");
        return fail_python(e);
    }
    return 0;
}

/* list and tuple. The size is read on every step: `default` may shrink a
 * list while it is being written (the rest is then simply not there), and the
 * reference held on the sequence keeps it alive meanwhile. */
static int encode_sequence(jc_encoder *e, PyObject *seq, bool is_list)
{
    Py_ssize_t n = Py_SIZE(seq);
    if (n == 0)
        return check_empty_depth(e) < 0 ? -1 : write_literal(e, "[]      ", 2);
    if (jc_unlikely(enter_container(e) < 0))
        return -1;
    bool indent = e->opts & JC_OPT_INDENT_2;
    Py_INCREF(seq);
    int status = write_byte(e, '[');
    for (Py_ssize_t i = 0; status == 0 && i < Py_SIZE(seq); i++) {
        if (i > 0)
            status = write_byte(e, ',');
        if (status == 0 && indent)
            status = write_newline_indent(e, e->depth);
        if (status < 0)
            break;
        PyObject *item = is_list ? PyList_GET_ITEM(seq, i) : PyTuple_GET_ITEM(seq, i);
        if (jc_unlikely(encode_value_inline(e, item) < 0))
            status = note_path(e, seq, NULL, i);
    }
    e->depth--;
    if (status == 0 && indent)
        status = write_newline_indent(e, e->depth);
    if (status == 0)
        status = write_byte(e, ']');
    Py_DECREF(seq);
    return status;
}

/* A dict key that is not an exact str, as a new str (OPT_NON_STR_KEYS), or
 * NULL with the error recorded. Conversions follow orjson: str subclasses
 * as is, bool and None as their JSON literals, int in decimal, float as
 * repr() writes it (non-finite: "null"). */
JC_NOINLINE static PyObject *key_to_str(jc_encoder *e, PyObject *key)
{
    if (!(e->opts & JC_OPT_NON_STR_KEYS)) {
        fail(e, JC_ENCODE_KEY_NOT_STR, "Dict key must be str");
        return NULL;
    }
    char buffer[JC_DOUBLE_REPR_MAX + 8];
    PyObject *str = NULL;
    if (PyUnicode_Check(key)) {
        str = PyUnicode_FromObject(key);
    } else if (key == Py_True || key == Py_False || key == Py_None) {
        str = PyUnicode_FromString(key == Py_True ? "true" : key == Py_False ? "false" : "null");
    } else if (PyLong_Check(key)) {
        return int_to_decimal(e, key);
    } else if (PyFloat_Check(key)) {
        double v = PyFloat_AS_DOUBLE(key);
        size_t len = isfinite(v) ? jc_write_double_repr(v, buffer) : 4;
        if (!isfinite(v))
            memcpy(buffer, "null", 4);
        str = PyUnicode_FromStringAndSize(buffer, (Py_ssize_t)len);
    } else {
        fail(e, JC_ENCODE_KEY_TYPE,
             "Dict key must be a type serializable with OPT_NON_STR_KEYS, not %s", type_name(key));
        return NULL;
    }
    if (str == NULL)
        fail_python(e);
    return str;
}

/* One "key": value member; `first` says whether a comma goes before it. */
JC_INLINE int encode_member(jc_encoder *e, PyObject *dict, PyObject *key, PyObject *value,
                            bool first, bool indent)
{
    if (!first && jc_unlikely(write_byte(e, ',') < 0))
        return -1;
    if (indent && jc_unlikely(write_newline_indent(e, e->depth) < 0))
        return -1;
    int status;
    if (jc_likely(PyUnicode_CheckExact(key))) {
        status = write_str(e, key);
    } else {
        PyObject *text = key_to_str(e, key);
        if (text == NULL)
            return note_path(e, dict, key, 0);
        status = write_str(e, text);
        Py_DECREF(text);
    }
    if (jc_unlikely(status < 0)) {
        if (e->err.code == JC_ENCODE_OK)
            fail_python(e);
        return note_path(e, dict, key, 0);
    }
    if (jc_unlikely(jc_writer_reserve(&e->out, 2) < 0))
        return fail_python(e);
    jc_writer_put(&e->out, ':');
    if (indent)
        jc_writer_put(&e->out, ' ');
    if (jc_unlikely(encode_value_inline(e, value) < 0))
        return note_path(e, dict, key, 0);
    return 0;
}

typedef struct sort_item {
    PyObject *text; /* the key as a str (converted for OPT_NON_STR_KEYS) */
    PyObject *key;
    PyObject *value;
    size_t order; /* insertion order, so equal texts keep it */
} sort_item;

static int compare_sort_items(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    int c = PyUnicode_Compare(x->text, y->text);
    if (c != 0)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* OPT_SORT_KEYS: members ordered by key text (code point order, as sorted()). */
JC_NOINLINE static int encode_dict_sorted(jc_encoder *e, PyObject *dict, bool indent)
{
    Py_ssize_t n = PyDict_GET_SIZE(dict);
    sort_item *items = jc_calloc((size_t)n, sizeof *items);
    if (items == NULL) {
        PyErr_NoMemory();
        return fail_python(e);
    }
    Py_ssize_t pos = 0, count = 0;
    PyObject *key, *value;
    int status = 0;
    while (count < n && PyDict_Next(dict, &pos, &key, &value)) {
        sort_item *item = &items[count];
        item->key = Py_NewRef(key);
        item->value = Py_NewRef(value);
        item->order = (size_t)count++;
        item->text = PyUnicode_CheckExact(key) ? Py_NewRef(key) : key_to_str(e, key);
        if (item->text == NULL) {
            status = note_path(e, dict, key, 0);
            break;
        }
    }
    if (status == 0) {
        qsort(items, (size_t)count, sizeof *items, compare_sort_items);
        for (Py_ssize_t i = 0; status == 0 && i < count; i++)
            status = encode_member(e, dict, items[i].text, items[i].value, i == 0, indent);
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_XDECREF(items[i].text);
        Py_DECREF(items[i].key);
        Py_DECREF(items[i].value);
    }
    jc_free(items, (size_t)n * sizeof *items);
    return status;
}

/* The members in insertion order. PyDict_Next lends the key and the value;
 * with `default` given, Python code runs while a member is written and may
 * delete it from the dict, so the key, which an error's path names after the
 * value is written, is held meanwhile (the value is held by whatever writes
 * it: encode_dict, encode_sequence, encode_with_default). Without `default` no
 * Python code runs here (conversions that may raise pause the cyclic GC, see
 * int_to_decimal), the dict's own references suffice, and the loop pays
 * nothing for the case it cannot meet. */
JC_INLINE int encode_members(jc_encoder *e, PyObject *dict, bool indent, bool hold_keys)
{
    Py_ssize_t n = PyDict_GET_SIZE(dict), pos = 0;
    PyObject *key, *value;
    bool first = true;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        if (hold_keys)
            Py_INCREF(key);
        int status = encode_member(e, dict, key, value, first, indent);
        if (hold_keys)
            Py_DECREF(key);
        if (jc_unlikely(status < 0))
            return -1;
        /* `default` changed the dict under us: its iteration order is no
         * longer defined, so stop rather than write a mix. */
        if (jc_unlikely(PyDict_GET_SIZE(dict) != n))
            return fail(e, JC_ENCODE_DICT_CHANGED, "dict changed size during serialization");
        first = false;
    }
    return 0;
}

JC_NOINLINE static int encode_members_holding_keys(jc_encoder *e, PyObject *dict, bool indent)
{
    return encode_members(e, dict, indent, true);
}

static int encode_dict(jc_encoder *e, PyObject *dict)
{
    Py_ssize_t n = PyDict_GET_SIZE(dict);
    if (n == 0)
        return check_empty_depth(e) < 0 ? -1 : write_literal(e, "{}      ", 2);
    if (jc_unlikely(enter_container(e) < 0))
        return -1;
    bool indent = e->opts & JC_OPT_INDENT_2;
    Py_INCREF(dict);
    int status = write_byte(e, '{');
    if (status == 0) {
        if (jc_unlikely(e->opts & JC_OPT_SORT_KEYS))
            status = encode_dict_sorted(e, dict, indent);
        else if (e->default_fn != NULL)
            status = encode_members_holding_keys(e, dict, indent);
        else
            status = encode_members(e, dict, indent, false);
    }
    e->depth--;
    if (status == 0 && indent)
        status = write_newline_indent(e, e->depth);
    if (status == 0)
        status = write_byte(e, '}');
    Py_DECREF(dict);
    return status;
}

/*==============================================================================
 * The rare types: subclasses and `default`
 *============================================================================*/

JC_NOINLINE static int encode_with_default(jc_encoder *e, PyObject *obj)
{
    if (e->default_fn == NULL)
        return fail(e, JC_ENCODE_UNSUPPORTED_TYPE, "Type is not JSON serializable: %s",
                    type_name(obj));
    if (e->default_depth >= JC_ENCODE_MAX_DEFAULT_DEPTH)
        return fail(e, JC_ENCODE_DEFAULT_DEPTH, "default serializer exceeds recursion limit");
    /* default's result is encoded from here, one level deeper on the C stack. */
    if (jc_stack_exhausted(e->stack_floor)) {
        jc_stack_fail(" while encoding a JSON object");
        return fail_python(e);
    }
    /* obj may be borrowed from a container default empties: it must outlive
     * the call, whose failure names its type. */
    Py_INCREF(obj);
    int status = -1;
    PyObject *replacement = PyObject_CallOneArg(e->default_fn, obj);
    if (replacement == NULL) {
        /* Running out of memory or of recursion depth (a default that calls
         * dumps again, without end), or an interrupt (KeyboardInterrupt,
         * SystemExit: not Exceptions), is not default's answer about obj. */
        if (PyErr_ExceptionMatches(PyExc_MemoryError) ||
            PyErr_ExceptionMatches(PyExc_RecursionError) ||
            !PyErr_ExceptionMatches(PyExc_Exception)) {
            fail_python(e);
            goto error;
        }
        e->err.cause = take_exception();
        fail(e, JC_ENCODE_DEFAULT_RAISED, "Type is not JSON serializable: %s", type_name(obj));
        goto error;
    }
    e->default_depth++;
    status = encode_value(e, replacement);
    e->default_depth--;
error:
    Py_XDECREF(replacement);
    Py_DECREF(obj);
    return status;
}

JC_NOINLINE static int encode_other(jc_encoder *e, PyObject *obj)
{
    if (!(e->opts & JC_OPT_PASSTHROUGH_SUBCLASS)) {
        if (PyUnicode_Check(obj)) {
            if (write_str(e, obj) < 0)
                return e->err.code == JC_ENCODE_OK ? fail_python(e) : -1;
            return 0;
        }
        if (PyLong_Check(obj))
            return write_int(e, obj);
        if (PyDict_Check(obj))
            return encode_dict(e, obj);
        if (PyList_Check(obj))
            return encode_sequence(e, obj, true);
    }
    return encode_with_default(e, obj);
}

/*==============================================================================
 * Dispatch
 *============================================================================*/

/* Exact type pointers for the common types, most frequent first; containers
 * and everything rare leave the inline path. Inlined into the container loops,
 * so a scalar member costs no call. */
JC_INLINE int encode_value_inline(jc_encoder *e, PyObject *obj)
{
    PyTypeObject *type = Py_TYPE(obj);
    if (type == &PyUnicode_Type) {
        if (jc_likely(write_str(e, obj) == 0))
            return 0;
        return e->err.code == JC_ENCODE_OK ? fail_python(e) : -1;
    }
    if (type == &PyLong_Type)
        return write_int(e, obj);
    if (type == &PyDict_Type)
        return encode_dict(e, obj);
    if (type == &PyList_Type)
        return encode_sequence(e, obj, true);
    if (type == &PyFloat_Type) {
        if (jc_unlikely(write_double(&e->out, PyFloat_AS_DOUBLE(obj)) < 0))
            return fail_python(e);
        return 0;
    }
    if (obj == Py_None)
        return write_literal(e, "null    ", 4);
    if (obj == Py_True)
        return write_literal(e, "true    ", 4);
    if (obj == Py_False)
        return write_literal(e, "false   ", 5);
    if (type == &PyTuple_Type)
        return encode_sequence(e, obj, false);
    return encode_other(e, obj);
}

static int encode_value(jc_encoder *e, PyObject *obj)
{
    return encode_value_inline(e, obj);
}

PyObject *jc_serialize(jc_encoder *e, PyObject *obj)
{
    e->depth = 0;
    e->default_depth = 0;
    if (jc_writer_init(&e->out, JC_WRITER_INITIAL) < 0) {
        fail_python(e);
        return NULL;
    }
    int status = encode_value(e, obj);
    if (status == 0 && (e->opts & JC_OPT_APPEND_NEWLINE))
        status = write_byte(e, '\n');
    if (status == 0) {
        PyObject *result = jc_writer_finish(&e->out);
        if (result == NULL)
            fail_python(e);
        return result;
    }
    if (e->err.code == JC_ENCODE_DEPTH)
        classify_depth_error(&e->err);
    jc_writer_discard(&e->out);
    return NULL;
}
