/* jcodec.loads: input types, the parser call and the one place parse errors
 * become JSONDecodeError. */
#include "module.h"

#include "alloc.h"
#include "parse.h"
#include "stack_guard.h"

/*==============================================================================
 * Input
 *============================================================================*/

/* The bytes to parse, NUL-terminated (parse.h), and what owns them. */
typedef struct document {
    const uint8_t *data;
    size_t len;
    bool is_str;     /* positions are reported in code points */
    PyObject *owner; /* temporary UTF-8 bytes of a non-ASCII str */
    uint8_t *copy;   /* our copy of a mutable or unterminated buffer */
} document;

static void document_release(document *doc)
{
    Py_CLEAR(doc->owner);
    if (doc->copy != NULL) {
        jc_free(doc->copy, doc->len + 1);
        doc->copy = NULL;
    }
}

/* doc NULL: the input is not a document at all; its doc is "" (as orjson's). */
JC_COLD static int raise_input_error(jc_module_state *st, const char *msg, PyObject *doc,
                                     Py_ssize_t pos)
{
    PyObject *exc = doc ? PyObject_CallFunction(st->JSONDecodeError, "sOn", msg, doc, pos)
                        : PyObject_CallFunction(st->JSONDecodeError, "ssn", msg, "", pos);
    if (exc != NULL) {
        PyErr_SetObject(st->JSONDecodeError, exc);
        Py_DECREF(exc);
    }
    return -1;
}

/* A str holding lone surrogates has no UTF-8 form: report where the first is. */
JC_COLD static int raise_unencodable_str(jc_module_state *st, PyObject *input)
{
    if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError))
        return -1;
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    Py_ssize_t start = 0;
    if (value != NULL && PyUnicodeEncodeError_GetStart(value, &start) < 0)
        PyErr_Clear();
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
    char msg[80];
    Py_UCS4 c = start < PyUnicode_GET_LENGTH(input) ? PyUnicode_READ_CHAR(input, start) : 0;
    snprintf(msg, sizeof msg, "str is not valid UTF-8: lone surrogate U+%04X", (unsigned)c);
    return raise_input_error(st, msg, input, start);
}

static int copy_buffer(document *doc, const void *data, size_t len)
{
    doc->copy = jc_malloc(len + 1);
    if (doc->copy == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(doc->copy, data, len);
    doc->copy[len] = 0;
    doc->data = doc->copy;
    doc->len = len;
    return 0;
}

static int document_open(jc_module_state *st, PyObject *input, document *doc)
{
    memset(doc, 0, sizeof *doc);
    if (jc_likely(PyBytes_Check(input))) {
        doc->data = (const uint8_t *)PyBytes_AS_STRING(input);
        doc->len = (size_t)PyBytes_GET_SIZE(input);
        return 0;
    }
    if (PyUnicode_Check(input)) {
        doc->is_str = true;
        if (PyUnicode_IS_COMPACT_ASCII(input)) {
            doc->data = PyUnicode_1BYTE_DATA(input);
            doc->len = (size_t)PyUnicode_GET_LENGTH(input);
            return 0;
        }
        PyCompactUnicodeObject *compact = (PyCompactUnicodeObject *)input;
        if (PyUnicode_IS_COMPACT(input) && compact->utf8 != NULL) {
            doc->data = (const uint8_t *)compact->utf8;
            doc->len = (size_t)compact->utf8_length;
            return 0;
        }
        /* Encoded into a temporary rather than cached inside the caller's str
         * (as PyUnicode_AsUTF8AndSize would), which would double its size for
         * as long as it lives. */
        doc->owner = PyUnicode_AsUTF8String(input);
        if (doc->owner == NULL)
            return raise_unencodable_str(st, input);
        doc->data = (const uint8_t *)PyBytes_AS_STRING(doc->owner);
        doc->len = (size_t)PyBytes_GET_SIZE(doc->owner);
        return 0;
    }
    /* A bytearray can change while Python code runs (a finaliser during a
     * collection, say), and a memoryview's buffer has no NUL after it: parse a
     * private copy of either, taken through the buffer protocol, which also
     * refuses a released memoryview. */
    if (PyByteArray_Check(input) || PyMemoryView_Check(input)) {
        Py_buffer view;
        if (PyObject_GetBuffer(input, &view, PyBUF_FULL_RO) < 0)
            return -1;
        int status;
        if (!PyBuffer_IsContiguous(&view, 'C'))
            status = raise_input_error(st, "Input memoryview must be C-contiguous", NULL, 0);
        else
            status = copy_buffer(doc, view.buf, (size_t)view.len);
        PyBuffer_Release(&view);
        return status;
    }
    return raise_input_error(st, "Input must be bytes, bytearray, memoryview, or str", NULL, 0);
}

/*==============================================================================
 * Errors: the one exit where a parse error becomes JSONDecodeError
 *============================================================================*/

/* Code points before byte `pos` of valid UTF-8: the bytes that are not
 * continuation bytes. */
static Py_ssize_t code_points_before(const uint8_t *data, size_t pos)
{
    Py_ssize_t count = 0;
    for (size_t i = 0; i < pos; i++)
        count += (data[i] & 0xC0) != 0x80;
    return count;
}

JC_COLD static PyObject *raise_parse_error(jc_module_state *st, PyObject *input,
                                           const document *doc, const jc_parse_error *err)
{
    if (err->code == JC_PARSE_PYTHON)
        return NULL;
    Py_ssize_t pos = doc->is_str ? code_points_before(doc->data, err->pos) : (Py_ssize_t)err->pos;
    PyObject *doc_obj = NULL, *msg = NULL, *exc = NULL;
    if (doc->is_str || PyBytes_CheckExact(input))
        doc_obj = Py_NewRef(input);
    else
        doc_obj = PyBytes_FromStringAndSize((const char *)doc->data, (Py_ssize_t)doc->len);
    if (doc_obj == NULL)
        goto error;
    msg = PyUnicode_DecodeUTF8(err->msg, (Py_ssize_t)strlen(err->msg), "replace");
    if (msg == NULL)
        goto error;
    exc = PyObject_CallFunction(st->JSONDecodeError, "OOn", msg, doc_obj, pos);
    if (exc == NULL)
        goto error;
    PyErr_SetObject(st->JSONDecodeError, exc);
error:
    Py_XDECREF(exc);
    Py_XDECREF(msg);
    Py_XDECREF(doc_obj);
    return NULL;
}

/*==============================================================================
 * loads
 *============================================================================*/

/* The parser's frames: its frame array (JC_PARSE_MAX_DEPTH open containers)
 * is on the C stack, nothing else is deep. */
#define JC_LOADS_STACK ((size_t)64 * 1024)

PyObject *jc_loads(PyObject *module, PyObject *input)
{
    jc_module_state *st = jc_state(module);
    const char *floor;
    /* loads nests no deeper, but a `default` may call it at any depth. */
    if (jc_recursion_enter(" while decoding a JSON document", JC_LOADS_STACK, &floor) < 0)
        return NULL;
    jc_call_enter();
    document doc;
    PyObject *result = NULL;
    if (document_open(st, input, &doc) == 0) {
        jc_parse_error err;
        /* A parsed document is a tree: it holds no reference cycles, so a
         * collection run while it is being built cannot free anything, yet it
         * would traverse the growing result (a third of the time on float-heavy
         * documents). The new containers still count towards the next
         * collection, which runs as usual after the call. */
        int gc_was_enabled = PyGC_Disable();
        result = jc_parse(doc.data, doc.len, st->keys, &err);
        if (gc_was_enabled)
            PyGC_Enable();
        if (result == NULL)
            raise_parse_error(st, input, &doc, &err);
    }
    document_release(&doc);
    jc_call_exit();
    jc_recursion_leave();
    return result;
}

/*==============================================================================
 * JSONDecodeError.__init__
 *============================================================================*/

/* json.JSONDecodeError computes line and column with str methods; for a bytes
 * document (positions in bytes) they are computed here, and the message says
 * "byte" instead of "char". Called as __init__(self, msg, doc, pos). */
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
    PyObject *text = NULL, *lineno = NULL, *colno = NULL, *done = NULL;
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
        goto error;
    done = PyObject_CallMethod(PyExc_ValueError, "__init__", "OO", self, text);
    if (done == NULL)
        goto error;
    if (PyObject_SetAttrString(self, "msg", msg) < 0 ||
        PyObject_SetAttrString(self, "doc", doc) < 0 ||
        PyObject_SetAttrString(self, "pos", pos_obj) < 0 ||
        PyObject_SetAttrString(self, "lineno", lineno) < 0 ||
        PyObject_SetAttrString(self, "colno", colno) < 0)
        Py_CLEAR(done);
error:
    Py_XDECREF(text);
    Py_XDECREF(lineno);
    Py_XDECREF(colno);
    return done;
}
