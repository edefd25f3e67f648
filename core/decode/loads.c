/* jcodec.loads: input types, the parser call and the one place parse errors
 * become JSONDecodeError. */
#include "alloc.h"
#include "compat.h"
#include "decode/error.h"
#include "decode/parse.h"
#include "module.h"
#include "stack_guard.h"
#include "testing.h"

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
        if (doc->owner == NULL) {
            jc_decode_error_unencodable_str(st, input);
            return -1;
        }
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
        if (!PyBuffer_IsContiguous(&view, 'C')) {
            status = -1;
            jc_decode_error_raise(st, "Input memoryview must be C-contiguous", NULL, 0);
        } else {
            status = copy_buffer(doc, view.buf, (size_t)view.len);
        }
        PyBuffer_Release(&view);
        return status;
    }
    jc_decode_error_raise(st, "Input must be bytes, bytearray, memoryview, or str", NULL, 0);
    return -1;
}

/*==============================================================================
 * loads
 *============================================================================*/

/* The parser's frames: its frame array (JC_PARSE_MAX_DEPTH open containers)
 * is on the C stack, nothing else is deep. */
#define JC_LOADS_STACK ((size_t)64 * 1024)

/* loads(obj, /, *, decimal=False), parsed by hand: orjson's call, one
 * positional argument, reads nothing else. On return *options holds what
 * the keywords ask for; -1 with the error set. */
static int parse_arguments(jc_module_state *st, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames, jc_parse_options *options)
{
    options->decimal = NULL;
    if (jc_unlikely(nargs != 1)) {
        PyErr_Format(PyExc_TypeError, "loads() takes exactly one argument (%zd given)", nargs);
        return -1;
    }
    if (jc_likely(kwnames == NULL))
        return 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, i);
        if (PyUnicode_CompareWithASCIIString(name, "decimal") != 0) {
            PyErr_Format(PyExc_TypeError, "loads() got an unexpected keyword argument '%U'", name);
            return -1;
        }
        int wanted = PyObject_IsTrue(args[nargs + i]);
        if (wanted < 0)
            return -1;
        if (wanted && (options->decimal = (PyObject *)jc_types_decimal(&st->types)) == NULL)
            return -1;
    }
    return 0;
}

PyObject *jc_loads(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    jc_module_state *st = jc_state(module);
    jc_parse_options options;
    if (parse_arguments(st, args, nargs, kwnames, &options) < 0)
        return NULL;
    PyObject *input = args[0];
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
        int gc_was_enabled = jc_gc_pause_for_speed();
        result = jc_parse_with(doc.data, doc.len, st->keys, &options, &err);
        jc_gc_resume(gc_was_enabled);
        if (result == NULL) {
            jc_error_document where = {input, doc.data, doc.len, doc.is_str};
            jc_parse_error_raise(st, &where, &err);
        }
    }
    document_release(&doc);
    jc_call_exit();
    jc_recursion_leave();
    return result;
}
