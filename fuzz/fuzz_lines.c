/* Property: the JSON Lines readers are loads applied line by line.
 *   - loads_lines(data) == [loads(line) for each line of data.split(b"\n")
 *     that is not empty or whitespace only (space, tab, CR)], each line given
 *     to loads as it is (a trailing CR is whitespace); or, at the first line
 *     loads refuses, JSONDecodeError with loads(line)'s msg, doc the line
 *     without its CR, pos the line's offset in data plus loads(line)'s pos,
 *     lineno the line's number (blank lines counted), colno that pos + 1, and
 *     str(e) "msg: line L column C (byte P)";
 *   - loads_lines(str) of the same text, when data is UTF-8: the same values,
 *     or the same error with pos and colno in code points ("(char P)");
 *   - iter_lines(fp, chunk_size) over the bytes, fp an io.BytesIO or a reader
 *     whose read(n) hands out 1..2n bytes as bytes, bytearray or memoryview,
 *     yields the same values, then raises the same error or stops; after an
 *     error, StopIteration.
 * Input: byte 0: chunk_size = 1 + byte % 64; byte 1: bit 7 loads_lines reads
 * a memoryview of the bytes; bits 0-6 zero: fp is io.BytesIO, else the seed of
 * the reader's cuts and types. The rest: the lines. */
#include "fuzz_common.h"

static PyObject *loads_lines; /* jcodec.loads_lines */
static PyObject *iter_lines;  /* jcodec.iter_lines */
static PyObject *bytes_io;    /* io.BytesIO */
static PyObject *cut_reader;  /* CutReader below */

static const char cut_reader_source[] =
    "class CutReader:\n"
    "    def __init__(self, data, seed):\n"
    "        self.data, self.pos, self.seed = data, 0, seed\n"
    "    def read(self, n):\n"
    "        self.seed = (self.seed * 1103515245 + 12345) & 0x7FFFFFFF\n"
    "        k = 1 + (self.seed >> 8) % (2 * n)\n"
    "        piece = self.data[self.pos:self.pos + k]\n"
    "        self.pos += len(piece)\n"
    "        kind = (self.seed >> 4) % 3\n"
    "        return piece if kind == 0 else bytearray(piece) if kind == 1 else memoryview(piece)\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    loads_lines = jc_fuzz_attr(jc_fuzz.jcodec, "loads_lines");
    iter_lines = jc_fuzz_attr(jc_fuzz.jcodec, "iter_lines");
    PyObject *io = jc_fuzz_import("io");
    bytes_io = jc_fuzz_attr(io, "BytesIO");
    Py_DECREF(io);
    PyObject *globals = PyDict_New();
    JC_FUZZ_REQUIRE(globals != NULL &&
                        PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) == 0,
                    "globals");
    PyObject *done = PyRun_String(cut_reader_source, Py_file_input, globals, globals);
    JC_FUZZ_REQUIRE(done != NULL, "defining CutReader");
    Py_DECREF(done);
    cut_reader = PyDict_GetItemString(globals, "CutReader");
    JC_FUZZ_REQUIRE(cut_reader != NULL, "CutReader");
    Py_INCREF(cut_reader);
    Py_DECREF(globals);
    return 0;
}

/* What the readers must give: the values of the lines before the first bad
 * one, and that line's error. */
typedef struct expected {
    PyObject *values;    /* list */
    PyObject *error;     /* loads(line)'s JSONDecodeError, or NULL */
    const uint8_t *line; /* the bad line */
    size_t len;          /* its length, without the '\n' */
    size_t start;        /* its offset in the data */
    size_t lineno;       /* its number, from 1 */
    Py_ssize_t pos;      /* loads(line)'s pos */
} expected;

static bool is_blank(const uint8_t *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            return false;
    return true;
}

static Py_ssize_t int_attr(PyObject *obj, const char *name)
{
    PyObject *value = jc_fuzz_attr(obj, name);
    Py_ssize_t n = PyLong_AsSsize_t(value);
    JC_FUZZ_REQUIRE(!(n == -1 && PyErr_Occurred()), "%s is not an int", name);
    Py_DECREF(value);
    return n;
}

static void expect_lines(const uint8_t *data, size_t size, expected *ex)
{
    memset(ex, 0, sizeof *ex);
    ex->values = PyList_New(0);
    JC_FUZZ_REQUIRE(ex->values != NULL, "PyList_New");
    size_t start = 0, lineno = 0;
    while (start < size) {
        const uint8_t *newline = memchr(data + start, '\n', size - start);
        size_t end = newline ? (size_t)(newline - data) : size;
        const uint8_t *line = data + start;
        size_t len = end - start;
        lineno++;
        if (!is_blank(line, len)) {
            PyObject *doc = PyBytes_FromStringAndSize((const char *)line, (Py_ssize_t)len);
            PyObject *value = PyObject_CallOneArg(jc_fuzz.loads, doc);
            Py_DECREF(doc);
            if (value == NULL) {
                ex->error = jc_fuzz_take_exception(jc_fuzz.JSONDecodeError, "loads(line)");
                ex->line = line;
                ex->len = len;
                ex->start = start;
                ex->lineno = lineno;
                ex->pos = int_attr(ex->error, "pos");
                return;
            }
            JC_FUZZ_REQUIRE(PyList_Append(ex->values, value) == 0, "list.append");
            Py_DECREF(value);
        }
        start = end + 1;
    }
}

/* Code points in UTF-8 text before byte n. */
static Py_ssize_t code_points(const uint8_t *text, size_t n)
{
    Py_ssize_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += (text[i] & 0xC0) != 0x80;
    return count;
}

/* exc, a reader's error, is the expected one; `data` is the whole input (for
 * code point positions when `chars`). */
static void require_line_error(PyObject *exc, const expected *ex, const uint8_t *data, bool chars,
                               const char *call)
{
    JC_FUZZ_REQUIRE(ex->error != NULL, "%s raised %s; every line is valid", call,
                    jc_fuzz_repr(exc, 200));
    PyObject *msg = jc_fuzz_attr(exc, "msg"), *want_msg = jc_fuzz_attr(ex->error, "msg");
    JC_FUZZ_REQUIRE(PyUnicode_Check(msg) && PyUnicode_Compare(msg, want_msg) == 0,
                    "%s: msg %s, loads(line) says %s", call, jc_fuzz_repr(msg, 200),
                    jc_fuzz_repr(want_msg, 200));
    size_t byte_pos = ex->start + (size_t)ex->pos;
    Py_ssize_t pos = chars ? code_points(data, byte_pos) : (Py_ssize_t)byte_pos;
    Py_ssize_t colno = (chars ? code_points(ex->line, (size_t)ex->pos) : ex->pos) + 1;
    Py_ssize_t got_pos = int_attr(exc, "pos"), got_lineno = int_attr(exc, "lineno"),
               got_colno = int_attr(exc, "colno");
    JC_FUZZ_REQUIRE(got_pos == pos && got_lineno == (Py_ssize_t)ex->lineno && got_colno == colno,
                    "%s: pos %zd lineno %zd colno %zd, not %zd %zu %zd", call, got_pos, got_lineno,
                    got_colno, pos, ex->lineno, colno);
    size_t doc_len = ex->len > 0 && ex->line[ex->len - 1] == '\r' ? ex->len - 1 : ex->len;
    PyObject *want_doc =
        chars ? PyUnicode_DecodeUTF8((const char *)ex->line, (Py_ssize_t)doc_len, "strict")
              : PyBytes_FromStringAndSize((const char *)ex->line, (Py_ssize_t)doc_len);
    JC_FUZZ_REQUIRE(want_doc != NULL, "the line's doc");
    PyObject *doc = jc_fuzz_attr(exc, "doc");
    int same_doc = PyObject_RichCompareBool(doc, want_doc, Py_EQ);
    JC_FUZZ_REQUIRE(same_doc == 1 && Py_TYPE(doc) == Py_TYPE(want_doc), "%s: doc %s, not %s", call,
                    jc_fuzz_repr(doc, 200), jc_fuzz_repr(want_doc, 200));
    PyObject *text = PyObject_Str(exc);
    PyObject *want_text = PyUnicode_FromFormat("%U: line %zu column %zd (%s %zd)", want_msg,
                                               ex->lineno, colno, chars ? "char" : "byte", pos);
    JC_FUZZ_REQUIRE(text != NULL && want_text != NULL && PyUnicode_Compare(text, want_text) == 0,
                    "%s: str(e) %s, not %s", call, jc_fuzz_repr(text, 300),
                    jc_fuzz_repr(want_text, 300));
    Py_DECREF(want_text);
    Py_DECREF(text);
    Py_DECREF(doc);
    Py_DECREF(want_doc);
    Py_DECREF(want_msg);
    Py_DECREF(msg);
}

/* loads_lines(input): the list, or its error checked against ex. */
static void check_loads_lines(PyObject *input, const expected *ex, const uint8_t *data, bool chars,
                              const char *call)
{
    PyObject *got = PyObject_CallOneArg(loads_lines, input);
    if (got == NULL) {
        PyObject *exc = jc_fuzz_take_exception(jc_fuzz.JSONDecodeError, call);
        require_line_error(exc, ex, data, chars, call);
        Py_DECREF(exc);
        return;
    }
    JC_FUZZ_REQUIRE(ex->error == NULL, "%s accepts; loads refuses line %zu: %s", call, ex->lineno,
                    jc_fuzz_repr(ex->error, 200));
    jc_fuzz_require_same(got, ex->values, true, call);
    Py_DECREF(got);
}

static void check_iter_lines(PyObject *fp, size_t chunk, const expected *ex, const uint8_t *data)
{
    PyObject *it = PyObject_CallFunction(iter_lines, "On", fp, (Py_ssize_t)chunk);
    JC_FUZZ_REQUIRE(it != NULL, "iter_lines(fp, %zu)", chunk);
    PyObject *got = PyList_New(0);
    JC_FUZZ_REQUIRE(got != NULL, "PyList_New");
    PyObject *value;
    while ((value = PyIter_Next(it)) != NULL) {
        JC_FUZZ_REQUIRE(PyList_Append(got, value) == 0, "list.append");
        Py_DECREF(value);
    }
    if (PyErr_Occurred()) {
        PyObject *exc = jc_fuzz_take_exception(jc_fuzz.JSONDecodeError, "iter_lines");
        require_line_error(exc, ex, data, false, "iter_lines");
        Py_DECREF(exc);
        value = PyIter_Next(it);
        JC_FUZZ_REQUIRE(value == NULL && !PyErr_Occurred(),
                        "next() after iter_lines' error gives %s, not StopIteration",
                        jc_fuzz_repr(value, 100));
    } else {
        JC_FUZZ_REQUIRE(ex->error == NULL, "iter_lines stops; loads refuses line %zu: %s",
                        ex->lineno, jc_fuzz_repr(ex->error, 200));
    }
    jc_fuzz_require_same(got, ex->values, true, "iter_lines vs loads per line");
    Py_DECREF(got);
    Py_DECREF(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > JC_FUZZ_MAX_INPUT)
        return -1;
    size_t chunk = 1 + data[0] % 64;
    bool memoryview = data[1] & 0x80;
    unsigned seed = data[1] & 0x7F;
    data += 2;
    size -= 2;

    expected ex;
    expect_lines(data, size, &ex);
    PyObject *bytes = PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)size);
    JC_FUZZ_REQUIRE(bytes != NULL, "PyBytes_FromStringAndSize");

    PyObject *input = memoryview ? PyMemoryView_FromObject(bytes) : Py_NewRef(bytes);
    JC_FUZZ_REQUIRE(input != NULL, "memoryview");
    check_loads_lines(input, &ex, data, false, "loads_lines(bytes)");
    Py_DECREF(input);

    PyObject *str = PyUnicode_DecodeUTF8((const char *)data, (Py_ssize_t)size, "strict");
    if (str == NULL) {
        jc_fuzz_clear_expected("bytes.decode", PyExc_UnicodeDecodeError, NULL);
    } else {
        check_loads_lines(str, &ex, data, true, "loads_lines(str)");
        Py_DECREF(str);
    }

    PyObject *fp = seed == 0 ? PyObject_CallOneArg(bytes_io, bytes)
                             : PyObject_CallFunction(cut_reader, "OI", bytes, seed);
    JC_FUZZ_REQUIRE(fp != NULL, "the file object");
    check_iter_lines(fp, chunk, &ex, data);
    Py_DECREF(fp);

    Py_DECREF(bytes);
    Py_XDECREF(ex.error);
    Py_DECREF(ex.values);
    return 0;
}
