/* JSON Lines: loads_lines() and iter_lines(), one parser over a stream of
 * lines (README, "JSON Lines"). See stream.h.
 *
 * A line is the bytes up to the next '\n' (JSON strings cannot hold a raw
 * newline, so the first '\n' ends the value's line unambiguously): it must be
 * one JSON value with only whitespace around it; a trailing '\r' is JSON
 * whitespace, so CRLF files need nothing of their own; a line of whitespace
 * only is skipped; the last line needs no '\n'.
 *
 * The parser wants a NUL after the document (its sentinel, parse.h), so lines
 * are parsed in a buffer of the reader's own, where the '\n' can be
 * overwritten: the source (a bytes-like object, or fp.read()) is copied in a
 * chunk at a time, and a line cut by the end of a chunk is moved to the front
 * and completed by the next. A line longer than a chunk grows the buffer for
 * as long as it lasts; it shrinks back afterwards. So memory is one chunk and
 * a partial line, whatever the stream's size, and the copy costs about 1% of
 * the parse (memcpy against the parser's speed).
 *
 * One parser (jc_parser_new) serves every line, its scratch kept, and the key
 * cache sees the stream as one document: loads_lines opens one window for the
 * call; an iter_lines iterator keeps its own across next() calls (saved and
 * put back, so a loads() between two lines does not reset it). Lines of the
 * same shape then hit the cache as the records of one large document would,
 * and a stream of unique keys pauses it as one such document does. */
#include "stream/stream.h"

#include "alloc.h"
#include "decode/error.h"
#include "decode/parse.h"
#include "stack_guard.h"
#include "tables/char_tables.h"
#include "testing.h"

/* The parser's frame array is on the C stack (as for loads). */
#define JC_LINES_STACK ((size_t)64 * 1024)

/*==============================================================================
 * The line reader
 *============================================================================*/

typedef struct line_reader {
    jc_parser *parser;
    uint8_t *buf; /* buf[0, len) read, buf[len] writable (the sentinel's room) */
    size_t cap;
    size_t start; /* the next line begins at buf[start] */
    size_t len;
    size_t scanned; /* buf[start, scanned) holds no '\n' */
    size_t chunk;   /* bytes read at a time */
    uint64_t base;  /* offset in the stream of buf[0] */
    uint64_t lines; /* lines before buf[start] */
    bool eof;
    /* The source: a buffer (loads_lines) or a file's read method (iter_lines). */
    const uint8_t *mem;
    size_t mem_len, mem_pos;
    bool is_str;        /* loads_lines(str): positions in code points */
    PyObject *read;     /* owned */
    PyObject *size_arg; /* owned: chunk as an int, read()'s argument */
} line_reader;

/* The buffer's size in the common case: a partial line of up to a chunk, the
 * next chunk, and the sentinel. */
static size_t normal_capacity(const line_reader *r)
{
    return 2 * r->chunk + 1;
}

static void reader_release(line_reader *r)
{
    jc_parser_free(r->parser);
    r->parser = NULL;
    jc_free(r->buf, r->cap);
    r->buf = NULL;
    r->cap = r->start = r->len = r->scanned = 0;
    Py_CLEAR(r->read);
    Py_CLEAR(r->size_arg);
    r->mem = NULL;
    r->eof = true;
}

/* Room for `extra` bytes after what the buffer holds, and the sentinel: the
 * unconsumed part moved to the front first. A long line doubles the buffer
 * as often as it needs (amortised: each byte is moved a bounded number of
 * times); once the line is gone, the buffer shrinks back to its normal size.
 * -1 with MemoryError set. */
static int make_room(line_reader *r, size_t extra)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->base += r->start;
        r->len -= r->start;
        r->scanned -= r->start;
        r->start = 0;
    }
    size_t need = r->len + extra + 1, normal = normal_capacity(r), want;
    if (need <= r->cap) {
        if (r->cap <= normal || need > normal)
            return 0;
        want = normal;
    } else {
        want = r->cap * 2 > need ? r->cap * 2 : need;
        if (want < normal)
            want = normal;
    }
    uint8_t *moved = jc_realloc(r->buf, r->cap, want);
    if (moved == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    r->buf = moved;
    r->cap = want;
    return 0;
}

/* The next piece of the source after what the buffer holds; at its end,
 * r->eof. -1 with the exception set. */
static int reader_fill(line_reader *r)
{
    if (r->read == NULL) {
        size_t n = r->mem_len - r->mem_pos < r->chunk ? r->mem_len - r->mem_pos : r->chunk;
        if (n == 0) {
            r->eof = true;
            return 0;
        }
        if (make_room(r, n) < 0)
            return -1;
        memcpy(r->buf + r->len, r->mem + r->mem_pos, n);
        r->mem_pos += n;
        r->len += n;
        return 0;
    }
    PyObject *data = PyObject_CallOneArg(r->read, r->size_arg);
    if (data == NULL)
        return -1;
    if (PyUnicode_Check(data) || !PyObject_CheckBuffer(data)) {
        PyErr_Format(PyExc_TypeError,
                     "iter_lines() needs a binary file object: fp.read() returned %.100s",
                     Py_TYPE(data)->tp_name);
        Py_DECREF(data);
        return -1;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) {
        Py_DECREF(data);
        return -1;
    }
    int status = 0;
    if (view.len == 0)
        r->eof = true;
    else if ((status = make_room(r, (size_t)view.len)) == 0) {
        /* read() may give fewer bytes than asked (a pipe) or, if it does not
         * follow the protocol, more: either fits. */
        memcpy(r->buf + r->len, view.buf, (size_t)view.len);
        r->len += (size_t)view.len;
    }
    PyBuffer_Release(&view);
    Py_DECREF(data);
    return status;
}

/* The parse error of a line as JSONDecodeError: msg as loads gives it, doc
 * the line (without its '\n', and without the '\r' of a CRLF), pos the
 * offset in the whole stream, lineno the line's number in the stream, colno
 * the column in the line, all 1-based but pos, in bytes (code points for
 * loads_lines(str)). */
JC_COLD static void raise_line_error(jc_module_state *st, const line_reader *r,
                                     const jc_parse_error *err, const uint8_t *line, size_t len,
                                     uint64_t line_start, uint64_t lineno)
{
    if (err->code == JC_PARSE_PYTHON)
        return;
    size_t doc_len = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
    uint64_t pos = line_start + err->pos, colno = err->pos + 1;
    PyObject *doc = NULL, *msg = NULL, *exc = NULL, *text = NULL, *text_args = NULL;
    PyObject *lineno_obj = NULL, *colno_obj = NULL;
    if (r->is_str) {
        pos = jc_decode_code_points_before(r->mem, line_start + err->pos);
        colno = jc_decode_code_points_before(line, err->pos) + 1;
        doc = PyUnicode_DecodeUTF8((const char *)line, (Py_ssize_t)doc_len, "replace");
    } else {
        doc = PyBytes_FromStringAndSize((const char *)line, (Py_ssize_t)doc_len);
    }
    if (doc == NULL)
        goto done;
    exc = jc_parse_error_new(st, err, doc, pos, &msg);
    if (exc == NULL)
        goto done;
    /* The exception's own line and column are computed from doc, the line
     * alone: set to the stream's. */
    text = PyUnicode_FromFormat("%S: line %llu column %llu (%s %llu)", msg,
                                (unsigned long long)lineno, (unsigned long long)colno,
                                r->is_str ? "char" : "byte", (unsigned long long)pos);
    lineno_obj = PyLong_FromUnsignedLongLong(lineno);
    colno_obj = PyLong_FromUnsignedLongLong(colno);
    if (text == NULL || lineno_obj == NULL || colno_obj == NULL)
        goto done;
    text_args = PyTuple_Pack(1, text);
    if (text_args == NULL || PyObject_SetAttrString(exc, "args", text_args) < 0 ||
        PyObject_SetAttrString(exc, "lineno", lineno_obj) < 0 ||
        PyObject_SetAttrString(exc, "colno", colno_obj) < 0)
        goto done;
    PyErr_SetObject(st->JSONDecodeError, exc);
done:
    Py_XDECREF(colno_obj);
    Py_XDECREF(lineno_obj);
    Py_XDECREF(text_args);
    Py_XDECREF(text);
    Py_XDECREF(exc);
    Py_XDECREF(msg);
    Py_XDECREF(doc);
}

/* The next line's value: 1 with *value set, 0 at the end of the stream, -1
 * with the exception set (a JSONDecodeError for a bad line). pause_gc: the
 * cyclic GC is paused around each parse here (iter_lines; loads_lines pauses
 * it for the whole call). */
static int reader_next(line_reader *r, jc_module_state *st, bool pause_gc, PyObject **value)
{
    *value = NULL;
    for (;;) {
        size_t end;
        const uint8_t *newline =
            r->len > r->scanned ? memchr(r->buf + r->scanned, '\n', r->len - r->scanned) : NULL;
        if (newline != NULL) {
            end = (size_t)(newline - r->buf);
        } else if (!r->eof) {
            r->scanned = r->len;
            if (reader_fill(r) < 0)
                return -1;
            continue;
        } else if (r->start == r->len) {
            return 0;
        } else {
            end = r->len; /* the last line, without a '\n' */
        }
        uint8_t *line = r->buf + r->start;
        size_t len = end - r->start;
        uint64_t line_start = r->base + r->start, lineno = ++r->lines;
        r->buf[end] = 0; /* the '\n', or the room after the data: the sentinel */
        r->start = r->scanned = end < r->len ? end + 1 : end;

        const uint8_t *p = line;
        while (jc_whitespace_byte[*p])
            p++;
        if (p == line + len)
            continue; /* blank */
        jc_parse_error err;
        int gc_was_enabled = pause_gc ? jc_gc_pause_for_speed() : 0;
        *value = jc_parser_parse(r->parser, line, len, &err);
        if (pause_gc)
            jc_gc_resume(gc_was_enabled);
        if (*value != NULL)
            return 1;
        raise_line_error(st, r, &err, line, len, line_start, lineno);
        return -1;
    }
}

/* A reader over mem[0, len) (loads_lines) or fp.read (iter_lines: read, a
 * new reference the reader takes). -1 with MemoryError set. */
static int reader_open(line_reader *r, jc_module_state *st, const uint8_t *mem, size_t len,
                       bool is_str, PyObject *read, size_t chunk)
{
    static const jc_parse_options orjson_options = {NULL};
    memset(r, 0, sizeof *r);
    r->mem = mem;
    r->mem_len = len;
    r->is_str = is_str;
    r->read = read;
    r->chunk = chunk;
    if (read != NULL && (r->size_arg = PyLong_FromSize_t(chunk)) == NULL)
        return -1;
    r->parser = jc_parser_new(st->keys, &orjson_options);
    return r->parser == NULL ? -1 : 0;
}

/*==============================================================================
 * loads_lines
 *============================================================================*/

PyObject *jc_loads_lines(PyObject *module, PyObject *input)
{
    jc_module_state *st = jc_state(module);
    Py_buffer view = {0};
    PyObject *owner = NULL, *result = NULL, *value = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    bool is_str = false;
    line_reader reader;
    memset(&reader, 0, sizeof reader);
    const char *floor;
    if (jc_recursion_enter(" while decoding a JSON document", JC_LINES_STACK, &floor) < 0)
        return NULL;
    jc_call_enter();
    /* The input as loads takes it, but a buffer is not copied: it is read a
     * chunk at a time into the reader's own, and held meanwhile (a bytearray
     * cannot be resized while it is). */
    if (PyBytes_Check(input)) {
        data = (const uint8_t *)PyBytes_AS_STRING(input);
        len = (size_t)PyBytes_GET_SIZE(input);
    } else if (PyUnicode_Check(input)) {
        is_str = true;
        if (PyUnicode_IS_COMPACT_ASCII(input)) {
            data = PyUnicode_1BYTE_DATA(input);
            len = (size_t)PyUnicode_GET_LENGTH(input);
        } else {
            owner = PyUnicode_AsUTF8String(input);
            if (owner == NULL) {
                jc_decode_error_unencodable_str(st, input);
                goto done;
            }
            data = (const uint8_t *)PyBytes_AS_STRING(owner);
            len = (size_t)PyBytes_GET_SIZE(owner);
        }
    } else if (PyByteArray_Check(input) || PyMemoryView_Check(input)) {
        if (PyObject_GetBuffer(input, &view, PyBUF_FULL_RO) < 0)
            goto done;
        if (!PyBuffer_IsContiguous(&view, 'C')) {
            jc_decode_error_raise(st, "Input memoryview must be C-contiguous", NULL, 0);
            goto done;
        }
        data = view.buf;
        len = (size_t)view.len;
    } else {
        jc_decode_error_raise(st, "Input must be bytes, bytearray, memoryview, or str", NULL, 0);
        goto done;
    }
    if (reader_open(&reader, st, data, len, is_str, NULL, JC_STREAM_CHUNK) < 0)
        goto done;
    result = PyList_New(0);
    if (result == NULL)
        goto done;
    /* No Python code runs until the call returns: the GC is paused for all of
     * it, as loads pauses it (the result is a tree of new containers). */
    int gc_was_enabled = jc_gc_pause_for_speed();
    jc_keycache_begin_document(st->keys);
    int status;
    while ((status = reader_next(&reader, st, false, &value)) > 0) {
        status = PyList_Append(result, value);
        Py_CLEAR(value);
        if (status < 0)
            break;
    }
    jc_gc_resume(gc_was_enabled);
    if (status < 0)
        Py_CLEAR(result);
done:
    reader_release(&reader);
    if (view.obj != NULL)
        PyBuffer_Release(&view);
    Py_XDECREF(owner);
    jc_call_exit();
    jc_recursion_leave();
    return result;
}

/*==============================================================================
 * iter_lines: the iterator
 *============================================================================*/

typedef struct lines_iterator {
    PyObject_HEAD line_reader reader;
    jc_keycache_window window; /* the stream's, between calls */
    bool busy;                 /* inside next(): a second next() from read() is refused */
    bool done;                 /* ended, or failed: next() stops */
} lines_iterator;

static int lines_iterator_traverse(PyObject *self, visitproc visit, void *arg)
{
    lines_iterator *it = (lines_iterator *)self;
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(it->reader.read);
    return 0;
}

static int lines_iterator_clear(PyObject *self)
{
    lines_iterator *it = (lines_iterator *)self;
    Py_CLEAR(it->reader.read);
    return 0;
}

static void lines_iterator_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    reader_release(&((lines_iterator *)self)->reader);
    type->tp_free(self);
    Py_DECREF(type);
}

static PyObject *lines_iterator_next(PyObject *self)
{
    lines_iterator *it = (lines_iterator *)self;
    /* An iterator that failed is exhausted: StopIteration from here on. */
    if (it->done || it->reader.parser == NULL)
        return NULL;
    if (it->busy) {
        PyErr_SetString(PyExc_ValueError, "iter_lines() iterator already executing");
        return NULL;
    }
    jc_module_state *st = PyType_GetModuleState(Py_TYPE(self));
    if (st == NULL)
        return NULL;
    const char *floor;
    if (jc_recursion_enter(" while decoding a JSON document", JC_LINES_STACK, &floor) < 0)
        return NULL;
    it->busy = true;
    jc_call_enter();
    jc_keycache_window_restore(st->keys, &it->window);
    PyObject *value = NULL;
    int status = reader_next(&it->reader, st, true, &value);
    jc_keycache_window_save(st->keys, &it->window);
    if (status <= 0) {
        it->done = true;
        reader_release(&it->reader);
    }
    jc_call_exit();
    it->busy = false;
    jc_recursion_leave();
    return value;
}

PyDoc_STRVAR(lines_iterator_doc,
             "The iterator iter_lines() returns: one value per line of a binary file.");

static PyType_Slot lines_iterator_slots[] = {
    {Py_tp_dealloc, lines_iterator_dealloc},
    {Py_tp_traverse, lines_iterator_traverse},
    {Py_tp_clear, lines_iterator_clear},
    {Py_tp_iter, PyObject_SelfIter},
    {Py_tp_iternext, lines_iterator_next},
    {Py_tp_doc, (void *)lines_iterator_doc},
    {0, NULL},
};

static PyType_Spec lines_iterator_spec = {
    .name = "jcodec.LinesIterator",
    .basicsize = sizeof(lines_iterator),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | JC_TPFLAGS_DISALLOW_INSTANTIATION |
             JC_TPFLAGS_IMMUTABLETYPE,
    .slots = lines_iterator_slots,
};

static const char *const iter_lines_names[] = {"chunk_size", NULL};

PyObject *jc_iter_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames)
{
    jc_module_state *st = jc_state(module);
    PyObject *argv[2], *read = NULL;
    lines_iterator *it = NULL;
    size_t chunk = JC_STREAM_CHUNK;
    if (jc_stream_parse_args("iter_lines", args, nargs, kwnames, 1, iter_lines_names, argv) < 0)
        return NULL;
    if (argv[1] != NULL && argv[1] != Py_None) {
        if (!PyLong_Check(argv[1])) {
            PyErr_Format(PyExc_TypeError, "chunk_size must be an int, not %.100s",
                         Py_TYPE(argv[1])->tp_name);
            return NULL;
        }
        Py_ssize_t size = PyLong_AsSsize_t(argv[1]);
        if (size == -1 && PyErr_Occurred())
            return NULL;
        /* The buffer is twice the chunk: keep it addressable. */
        if (size < 1 || (size_t)size > PY_SSIZE_T_MAX / 4) {
            PyErr_Format(PyExc_ValueError, "chunk_size must be positive, not %zd", size);
            return NULL;
        }
        chunk = (size_t)size;
    }
    jc_call_enter();
    read = jc_stream_binary_method("iter_lines", argv[0], "read");
    if (read == NULL)
        goto done;
    PyTypeObject *type = (PyTypeObject *)st->LinesIterator;
    it = (lines_iterator *)type->tp_alloc(type, 0);
    if (it == NULL)
        goto done;
    it->window = JC_KEYCACHE_WINDOW_NEW;
    it->busy = false;
    it->done = false;
    /* The reader takes read; on failure it is released with the iterator. */
    if (reader_open(&it->reader, st, NULL, 0, false, read, chunk) < 0)
        Py_CLEAR(it);
    read = NULL;
done:
    Py_XDECREF(read);
    jc_call_exit();
    return (PyObject *)it;
}

/*==============================================================================
 * Set-up: the iterator type, and pickling a line's error
 *============================================================================*/

/* JSONDecodeError.__reduce__: json's rebuilds the error from (msg, doc, pos)
 * alone, which computes lineno and colno from doc; a line's error has the
 * line as doc and the stream's position, line and column, which are kept as
 * the state pickle restores after the call (and its message, args). For any
 * other error the state equals what the call computes. */
static PyObject *decode_error_reduce(PyObject *module, PyObject *self)
{
    (void)module;
    PyObject *msg = NULL, *doc = NULL, *pos = NULL, *state = NULL, *args = NULL, *result = NULL;
    PyObject *dict = PyObject_GetAttrString(self, "__dict__");
    if (dict == NULL || (state = PyDict_Copy(dict)) == NULL)
        goto done;
    if ((args = PyObject_GetAttrString(self, "args")) == NULL ||
        PyDict_SetItemString(state, "args", args) < 0)
        goto done;
    if ((msg = PyObject_GetAttrString(self, "msg")) == NULL ||
        (doc = PyObject_GetAttrString(self, "doc")) == NULL ||
        (pos = PyObject_GetAttrString(self, "pos")) == NULL)
        goto done;
    result = Py_BuildValue("O(OOO)O", (PyObject *)Py_TYPE(self), msg, doc, pos, state);
done:
    Py_XDECREF(pos);
    Py_XDECREF(doc);
    Py_XDECREF(msg);
    Py_XDECREF(args);
    Py_XDECREF(state);
    Py_XDECREF(dict);
    return result;
}

static PyMethodDef decode_error_reduce_def = {
    "__reduce__", decode_error_reduce, METH_O,
    "Like json.JSONDecodeError's, keeping lineno, colno and the message as they are."};

int jc_stream_init(PyObject *module, jc_module_state *st)
{
    st->LinesIterator = PyType_FromModuleAndSpec(module, &lines_iterator_spec, NULL);
#ifndef Py_TPFLAGS_DISALLOW_INSTANTIATION
    /* 3.9: a heap type inherits object's tp_new, which would make an
     * iterator with no reader; without one, calling the type is a TypeError
     * (what the flag does from 3.10). */
    if (st->LinesIterator != NULL)
        ((PyTypeObject *)st->LinesIterator)->tp_new = NULL;
#endif
    /* Public for isinstance() and annotations; not instantiable. */
    if (st->LinesIterator == NULL ||
        PyModule_AddObjectRef(module, "LinesIterator", st->LinesIterator) < 0)
        return -1;
    PyObject *reduce = PyCFunction_NewEx(&decode_error_reduce_def, module, NULL);
    if (reduce == NULL)
        return -1;
    PyObject *method = PyInstanceMethod_New(reduce);
    Py_DECREF(reduce);
    int status =
        method == NULL ? -1 : PyObject_SetAttrString(st->JSONDecodeError, "__reduce__", method);
    Py_XDECREF(method);
    return status;
}
