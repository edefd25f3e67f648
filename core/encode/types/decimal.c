/* decimal.Decimal, with OPT_SERIALIZE_DECIMAL: its digits exactly, as str()
 * writes them (Decimal('1.10') as 1.10, Decimal('-0') as -0, Decimal('1E3')
 * as 1E+3, Decimal('0.0000001') as 1E-7), the exponent marker always 'E'
 * (str() writes 'e' in a context with capitals=0). For a finite Decimal that
 * text is always a JSON number; NaN, sNaN and the infinities are not, and
 * are refused. The text comes from the type's own C conversion, once per
 * value: decimal has no C API to read the digits from (as_tuple() would make
 * a tuple of ints, several times slower), and the text needs only checking.
 * Only decimal.Decimal itself is written: subclasses go to default, as
 * subclasses of datetime and UUID do. */
#include "compat.h"
#include "encode/types/types.h"

/* Whether s[0, n) is one JSON number (RFC 8259: -? (0 | [1-9][0-9]*)
 * (. [0-9]+)? ([eE] [+-]? [0-9]+)?); *exponent_at is where its 'e' or 'E'
 * is, or -1. */
static bool is_json_number(const char *s, size_t n, Py_ssize_t *exponent_at)
{
    size_t i = 0;
    *exponent_at = -1;
#define JC_DIGIT_AT(k) ((k) < n && s[k] >= '0' && s[k] <= '9')
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (JC_DIGIT_AT(i))
        while (JC_DIGIT_AT(i))
            i++;
    else
        return false;
    if (i < n && s[i] == '.') {
        if (!JC_DIGIT_AT(i + 1))
            return false;
        for (i++; JC_DIGIT_AT(i); i++) {
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        *exponent_at = (Py_ssize_t)i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!JC_DIGIT_AT(i))
            return false;
        while (JC_DIGIT_AT(i))
            i++;
    }
#undef JC_DIGIT_AT
    return i == n;
}

/* The Decimal's text as dumps writes it, a new str (ASCII); NULL with the
 * error recorded. */
static PyObject *decimal_json_text(jc_encoder *e, PyObject *obj)
{
    PyObject *text = NULL, *result = NULL;
    Py_ssize_t exponent_at = -1;
    /* str() makes no container, but the first conversion in a thread creates
     * its decimal context (a context variable set, which allocates tracked
     * objects): the collector is paused so that no finalizer runs Python code
     * while the dicts being written lend their keys (encoder.c,
     * encode_members), as for big ints (number.c). */
    int collecting = jc_gc_pause(&e->types->gc);
    if (collecting < 0) {
        jc_encode_fail_python(&e->err);
        goto done;
    }
    text = Py_TYPE(obj)->tp_str(obj);
    jc_gc_restore(&e->types->gc, collecting);
    if (text == NULL) {
        jc_encode_fail_raised(&e->err, JC_ENCODE_DECIMAL, "str() of a Decimal raised");
        goto done;
    }
    if (!PyUnicode_Check(text) || !PyUnicode_IS_COMPACT_ASCII(text) ||
        !is_json_number((const char *)PyUnicode_1BYTE_DATA(text),
                        (size_t)PyUnicode_GET_LENGTH(text), &exponent_at)) {
        /* NaN, sNaN (with their payloads), Infinity, and their negatives. */
        const char *s = PyUnicode_Check(text) ? PyUnicode_AsUTF8(text) : NULL;
        if (s == NULL) {
            PyErr_Clear();
            s = "?";
        }
        size_t n = strlen(s);
        jc_encode_fail(&e->err, JC_ENCODE_DECIMAL, "Decimal %.*s%s is not a JSON number",
                       (int)(n > 32 ? 32 : n), s, n > 32 ? "..." : "");
        goto done;
    }
    if (exponent_at < 0 || PyUnicode_1BYTE_DATA(text)[exponent_at] == 'E') {
        result = Py_NewRef(text);
        goto done;
    }
    /* A context with capitals=0: the same text with 'E'. */
    result = PyUnicode_New(PyUnicode_GET_LENGTH(text), 127);
    if (result == NULL) {
        jc_encode_fail_python(&e->err);
        goto done;
    }
    memcpy(PyUnicode_1BYTE_DATA(result), PyUnicode_1BYTE_DATA(text),
           (size_t)PyUnicode_GET_LENGTH(text));
    PyUnicode_1BYTE_DATA(result)[exponent_at] = 'E';
done:
    Py_XDECREF(text);
    return result;
}

int jc_encode_decimal(jc_encoder *e, PyObject *obj)
{
    PyObject *text = decimal_json_text(e, obj);
    if (text == NULL)
        return -1;
    int status = jc_encode_raw(e, (const char *)PyUnicode_1BYTE_DATA(text),
                               (size_t)PyUnicode_GET_LENGTH(text), false);
    Py_DECREF(text);
    return status;
}

PyObject *jc_decimal_key(jc_encoder *e, PyObject *obj)
{
    return decimal_json_text(e, obj);
}
