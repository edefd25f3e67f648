/* Decoder errors: recording for the stages, and the one exit where a record
 * becomes JSONDecodeError. See error.h. */
#include "decode/error.h"

#include <stdarg.h>
#include <stdio.h>

#include "decode/state.h"

const char *jc_parse_code_name(jc_parse_code code)
{
    switch (code) {
#define JC_PARSE_NAME(name, what) \
  case JC_PARSE_##name: return #name;
        JC_PARSE_ERRORS(JC_PARSE_NAME)
#undef JC_PARSE_NAME
    }
    return "UNKNOWN";
}

/*==============================================================================
 * Recording
 *============================================================================*/

void jc_parse_fail_at(jc_parser *ps, const uint8_t *at, jc_parse_code code, const char *format, ...)
{
    ps->err->pos = (size_t)(at - ps->start);
    ps->err->code = code;
    va_list args;
    va_start(args, format);
    vsnprintf(ps->err->msg, sizeof ps->err->msg, format, args);
    va_end(args);
}

void jc_parse_fail_python(jc_parser *ps, const uint8_t *at)
{
    ps->err->pos = (size_t)(at - ps->start);
    ps->err->code = JC_PARSE_PYTHON;
    ps->err->msg[0] = 0;
}

void jc_parse_describe(const jc_parser *ps, const uint8_t *at, char *out, size_t size)
{
    if (at >= ps->end) {
        snprintf(out, size, "end of data");
        return;
    }
    uint8_t c = *at;
    if (c >= 0x20 && c < 0x7F) {
        snprintf(out, size, c == '\'' ? "\"'\"" : "'%c'", c);
        return;
    }
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (need != 0 && (size_t)(ps->end - at) >= need) {
        bool well_formed = true;
        for (size_t i = 1; i < need; i++)
            well_formed &= (at[i] & 0xC0) == 0x80;
        if (well_formed && c <= 0xF4) {
            snprintf(out, size, "'%.*s'", (int)need, (const char *)at);
            return;
        }
    }
    snprintf(out, size, "byte 0x%02X", c);
}

void jc_parse_fail_expected(jc_parser *ps, const uint8_t *at, const char *expected)
{
    char found[32];
    jc_parse_describe(ps, at, found, sizeof found);
    jc_parse_fail_at(ps, at, JC_PARSE_UNEXPECTED, "expected %s, found %s", expected, found);
}

/*==============================================================================
 * Raising
 *============================================================================*/

PyObject *jc_decode_error_raise(jc_module_state *st, const char *msg, PyObject *doc, Py_ssize_t pos)
{
    PyObject *exc = doc ? PyObject_CallFunction(st->JSONDecodeError, "sOn", msg, doc, pos)
                        : PyObject_CallFunction(st->JSONDecodeError, "ssn", msg, "", pos);
    if (exc != NULL) {
        PyErr_SetObject(st->JSONDecodeError, exc);
        Py_DECREF(exc);
    }
    return NULL;
}

void jc_decode_error_unencodable_str(jc_module_state *st, PyObject *input)
{
    if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError))
        return;
    PyObject *error = jc_err_take();
    Py_ssize_t start = 0;
    if (error != NULL && PyUnicodeEncodeError_GetStart(error, &start) < 0)
        PyErr_Clear();
    Py_XDECREF(error);
    char msg[80];
    Py_UCS4 c = start < PyUnicode_GET_LENGTH(input) ? PyUnicode_READ_CHAR(input, start) : 0;
    snprintf(msg, sizeof msg, "str is not valid UTF-8: lone surrogate U+%04X", (unsigned)c);
    jc_decode_error_raise(st, msg, input, start);
}

/* The bytes that are not continuation bytes. */
uint64_t jc_decode_code_points_before(const uint8_t *data, size_t pos)
{
    uint64_t count = 0;
    for (size_t i = 0; i < pos; i++)
        count += (data[i] & 0xC0) != 0x80;
    return count;
}

PyObject *jc_parse_error_new(jc_module_state *st, const jc_parse_error *err, PyObject *doc,
                             uint64_t pos, PyObject **msg_out)
{
    PyObject *msg = PyUnicode_DecodeUTF8(err->msg, (Py_ssize_t)strlen(err->msg), "replace");
    if (msg == NULL)
        return NULL;
    PyObject *exc =
        PyObject_CallFunction(st->JSONDecodeError, "OOK", msg, doc, (unsigned long long)pos);
    if (exc != NULL && msg_out != NULL)
        *msg_out = msg;
    else
        Py_DECREF(msg);
    return exc;
}

PyObject *jc_parse_error_raise(jc_module_state *st, const jc_error_document *doc,
                               const jc_parse_error *err)
{
    if (err->code == JC_PARSE_PYTHON)
        return NULL;
    uint64_t pos = doc->is_str ? jc_decode_code_points_before(doc->data, err->pos) : err->pos;
    PyObject *doc_obj;
    /* The exception's doc is the input itself when it is immutable, else a
     * copy of the bytes parsed. */
    if (doc->is_str || PyBytes_CheckExact(doc->input))
        doc_obj = Py_NewRef(doc->input);
    else
        doc_obj = PyBytes_FromStringAndSize((const char *)doc->data, (Py_ssize_t)doc->len);
    if (doc_obj == NULL)
        return NULL;
    PyObject *exc = jc_parse_error_new(st, err, doc_obj, pos, NULL);
    Py_DECREF(doc_obj);
    if (exc != NULL) {
        PyErr_SetObject(st->JSONDecodeError, exc);
        Py_DECREF(exc);
    }
    return NULL;
}

PyObject *jc_decode_error_init(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "JSONDecodeError(msg, doc, pos) takes 3 arguments");
        return NULL;
    }
    PyObject *self = args[0], *msg = args[1], *doc = args[2], *pos_obj = args[3];
    if (!PyObject_CheckBuffer(doc)) {
        jc_module_state *st = jc_state(module);
        PyObject *base_init = PyObject_GetAttrString(st->json_decode_error, "__init__");
        if (base_init == NULL)
            return NULL;
        PyObject *done = PyObject_Vectorcall(base_init, args, 4, NULL);
        Py_DECREF(base_init);
        return done;
    }

    Py_buffer view = {0};
    PyObject *text = NULL, *lineno = NULL, *colno = NULL, *result = NULL;
    Py_ssize_t pos = PyLong_AsSsize_t(pos_obj);
    if (pos == -1 && PyErr_Occurred())
        return NULL;
    if (PyObject_GetBuffer(doc, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const char *bytes = view.buf;
    Py_ssize_t limit = pos < view.len ? pos : view.len;
    Py_ssize_t line = 1, last_newline = -1;
    for (Py_ssize_t i = 0; i < limit; i++) {
        if (bytes[i] == '\n') {
            line++;
            last_newline = i;
        }
    }
    PyBuffer_Release(&view);
    text = PyUnicode_FromFormat("%S: line %zd column %zd (byte %zd)", msg, line, pos - last_newline,
                                pos);
    lineno = PyLong_FromSsize_t(line);
    colno = PyLong_FromSsize_t(pos - last_newline);
    if (text == NULL || lineno == NULL || colno == NULL)
        goto done;
    result = PyObject_CallMethod(PyExc_ValueError, "__init__", "OO", self, text);
    if (result == NULL)
        goto done;
    if (PyObject_SetAttrString(self, "msg", msg) < 0 ||
        PyObject_SetAttrString(self, "doc", doc) < 0 ||
        PyObject_SetAttrString(self, "pos", pos_obj) < 0 ||
        PyObject_SetAttrString(self, "lineno", lineno) < 0 ||
        PyObject_SetAttrString(self, "colno", colno) < 0)
        Py_CLEAR(result);
done:
    Py_XDECREF(text);
    Py_XDECREF(lineno);
    Py_XDECREF(colno);
    return result;
}
