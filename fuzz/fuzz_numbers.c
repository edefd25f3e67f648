/* Property: numbers are exact both ways.
 *   - float text parses to float(text) (CPython's correctly rounded
 *     PyOS_string_to_double, the converter float() uses), bit for bit, and is
 *     refused as out of range exactly when that is infinite;
 *   - integer text parses to int(text), exactly, and is refused exactly when
 *     it has more digits than sys.get_int_max_str_digits() allows;
 *   - double bits print as repr(): dumps(x) == repr(x) for finite x (and
 *     "null" otherwise), jc_write_double_repr too, and loads reads it back to
 *     the same bits;
 *   - jc_decimal_to_double(w, q, sign), when it decides, equals float("we q").
 * Input: byte 0 selects the mode (mode % 5): 0 the rest is number text as is;
 * 1 a grammar-valid literal assembled from the rest; 2 eight bytes of double;
 * 3 an integer of up to ~5000 digits; 4 (w, q, sign) for the decimal converter. */
#include "fuzz_common.h"

#include <math.h>

#include "decode/float_parse.h"
#include "encode/float_print.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    return 0;
}

/* jcodec.loads on number text: the value, or NULL (JSONDecodeError taken,
 * its message in *msg, which the caller frees). */
static PyObject *jcodec_parse(const char *text, size_t len, PyObject **msg)
{
    PyObject *doc = PyBytes_FromStringAndSize(text, (Py_ssize_t)len);
    PyObject *value = PyObject_CallOneArg(jc_fuzz.loads, doc);
    Py_DECREF(doc);
    *msg = NULL;
    if (value == NULL) {
        PyObject *exc = jc_fuzz_take_exception(jc_fuzz.JSONDecodeError, "jcodec.loads");
        *msg = jc_fuzz_attr(exc, "msg");
        Py_DECREF(exc);
    }
    return value;
}

static bool msg_starts(PyObject *msg, const char *prefix)
{
    const char *s = msg ? PyUnicode_AsUTF8(msg) : NULL;
    return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_integer_literal(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] == '.' || text[i] == 'e' || text[i] == 'E')
            return false;
    return true;
}

/* A grammar-valid JSON number (the caller knows): jcodec's value or refusal
 * must be exactly CPython's. */
static void check_literal(const char *text, size_t len)
{
    PyObject *msg;
    PyObject *got = jcodec_parse(text, len, &msg);
    char *copy = PyMem_Malloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = 0;
    if (is_integer_literal(text, len)) {
        PyObject *want = PyLong_FromString(copy, NULL, 10);
        if (want == NULL) { /* over the digit limit */
            jc_fuzz_clear_expected("int(text)", PyExc_ValueError, NULL);
            JC_FUZZ_REQUIRE(got == NULL && msg_starts(msg, "integer literal has"),
                            "int(%.80s) is over the digit limit; loads %s", copy,
                            got ? "accepted it" : PyUnicode_AsUTF8(msg));
        } else {
            JC_FUZZ_REQUIRE(got != NULL, "loads rejects the integer %.200s: %s", copy,
                            PyUnicode_AsUTF8(msg));
            jc_fuzz_require_same(got, want, true, copy);
            Py_DECREF(want);
        }
    } else {
        double want = PyOS_string_to_double(copy, NULL, NULL);
        JC_FUZZ_REQUIRE(!(want == -1.0 && PyErr_Occurred()), "float(%.200s) failed", copy);
        if (isinf(want)) {
            JC_FUZZ_REQUIRE(got == NULL && msg_starts(msg, "number out of range"),
                            "float(%.200s) is infinite; loads %s", copy,
                            got ? "accepted it" : PyUnicode_AsUTF8(msg));
        } else {
            JC_FUZZ_REQUIRE(got != NULL, "loads rejects %.200s: %s", copy, PyUnicode_AsUTF8(msg));
            PyObject *want_obj = PyFloat_FromDouble(want);
            jc_fuzz_require_same(got, want_obj, true, copy);
            Py_DECREF(want_obj);
        }
    }
    PyMem_Free(copy);
    Py_XDECREF(got);
    Py_XDECREF(msg);
}

/* Mode 0: any text. Accepted as a number means equal to CPython's reading. */
static void check_raw_text(const uint8_t *data, size_t len)
{
    PyObject *msg;
    PyObject *got = jcodec_parse((const char *)data, len, &msg);
    if (got != NULL && (PyFloat_CheckExact(got) || PyLong_CheckExact(got))) {
        /* Accepted: the text is a number, perhaps with surrounding whitespace. */
        const char *text = (const char *)data;
        while (len > 0 && strchr(" \t\r\n", text[len - 1]))
            len--;
        while (len > 0 && strchr(" \t\r\n", *text))
            text++, len--;
        Py_DECREF(got);
        check_literal(text, len);
        return;
    }
    Py_XDECREF(got);
    Py_XDECREF(msg);
}

/* Mode 1: sign, integer digits, fraction, exponent, each shaped by a byte:
 * long mantissas, exponents near the double range's edges, and halfway cases
 * all come out of a few bytes. */
static void check_assembled(jc_fuzz_input *in)
{
    char text[2200];
    size_t n = 0;
    uint8_t shape = jc_fuzz_byte(in);
    if (shape & 1)
        text[n++] = '-';
    size_t int_digits = shape & 2 ? 1 + jc_fuzz_byte(in) % 40 : 1 + jc_fuzz_byte(in) % 3;
    if (shape & 0x40)
        int_digits += 4 * (size_t)jc_fuzz_byte(in); /* up to ~1060: longer than any double */
    for (size_t i = 0; i < int_digits; i++) {
        uint8_t d = jc_fuzz_byte(in);
        text[n++] = (char)('0' + (i == 0 && int_digits > 1 ? 1 + d % 9 : d % 10));
    }
    if (shape & 4) {
        text[n++] = '.';
        size_t frac_digits = 1 + jc_fuzz_byte(in) % 40;
        for (size_t i = 0; i < frac_digits; i++)
            text[n++] = (char)('0' + jc_fuzz_byte(in) % 10);
    }
    if (shape & 8) {
        text[n++] = shape & 0x80 ? 'E' : 'e';
        uint8_t exp_sign = jc_fuzz_byte(in) % 3;
        if (exp_sign)
            text[n++] = exp_sign == 1 ? '+' : '-';
        int exponent = (int)jc_fuzz_uint(in, 2) % (shape & 0x20 ? 100000 : 400);
        n += (size_t)snprintf(text + n, sizeof text - n, shape & 0x10 ? "%05d" : "%d", exponent);
    }
    check_literal(text, n);
}

/* Mode 2: a double's bits. */
static void check_double(jc_fuzz_input *in)
{
    uint64_t bits = jc_fuzz_uint(in, 8);
    double x;
    memcpy(&x, &bits, sizeof x);
    PyObject *value = PyFloat_FromDouble(x);
    PyObject *out = PyObject_CallOneArg(jc_fuzz.dumps, value);
    JC_FUZZ_REQUIRE(out != NULL, "dumps(float)");
    if (!isfinite(x)) {
        JC_FUZZ_REQUIRE(strcmp(PyBytes_AS_STRING(out), "null") == 0, "dumps(%g) = %s", x,
                        PyBytes_AS_STRING(out));
    } else {
        PyObject *repr = PyObject_Repr(value);
        const char *want = PyUnicode_AsUTF8(repr);
        JC_FUZZ_REQUIRE(strcmp(PyBytes_AS_STRING(out), want) == 0, "dumps(%s) = %s", want,
                        PyBytes_AS_STRING(out));
        char direct[JC_DOUBLE_REPR_MAX + 1];
        size_t len = jc_write_double_repr(x, direct);
        JC_FUZZ_REQUIRE(len == strlen(want) && memcmp(direct, want, len) == 0,
                        "jc_write_double_repr(%s) = %.*s", want, (int)len, direct);
        PyObject *back = PyObject_CallOneArg(jc_fuzz.loads, out);
        JC_FUZZ_REQUIRE(back != NULL, "loads(%s)", want);
        jc_fuzz_require_same(back, value, true, "loads(dumps(x))");
        Py_DECREF(back);
        Py_DECREF(repr);
    }
    Py_DECREF(out);
    Py_DECREF(value);
}

/* Mode 3: an integer literal of up to ~5000 digits; dumps writes str(int). */
static void check_integer(jc_fuzz_input *in)
{
    static char text[5200];
    size_t n = 0;
    uint8_t shape = jc_fuzz_byte(in);
    if (shape & 1)
        text[n++] = '-';
    size_t digits = 1 + (shape >> 1) % 24;
    if (shape & 0x80)
        digits = 1 + (size_t)jc_fuzz_uint(in, 2) % 5100;
    for (size_t i = 0; i < digits; i++) {
        uint8_t d = jc_fuzz_byte(in);
        text[n++] = (char)('0' + (i == 0 && digits > 1 ? 1 + d % 9 : d % 10));
    }
    text[n] = 0;
    check_literal(text, n);
    PyObject *value = PyLong_FromString(text, NULL, 10);
    if (value == NULL) {
        jc_fuzz_clear_expected("int(text)", PyExc_ValueError, NULL);
        return;
    }
    PyObject *out = PyObject_CallOneArg(jc_fuzz.dumps, value);
    JC_FUZZ_REQUIRE(out != NULL, "dumps(int)");
    JC_FUZZ_REQUIRE(strcmp(PyBytes_AS_STRING(out), strcmp(text, "-0") ? text : "0") == 0,
                    "dumps(%.100s) = %.100s", text, PyBytes_AS_STRING(out));
    Py_DECREF(out);
    Py_DECREF(value);
}

/* Mode 4: the decimal-to-binary core on its own. */
static void check_decimal_to_double(jc_fuzz_input *in)
{
    uint64_t w = jc_fuzz_uint(in, 8);
    uint8_t flags = jc_fuzz_byte(in);
    if (flags & 2)
        w %= UINT64_C(10000000000000000000); /* the parser's 19-digit range */
    int64_t q = (int64_t)(int16_t)jc_fuzz_uint(in, 2) % 400;
    bool negative = flags & 1;
    double got;
    if (!jc_decimal_to_double(w, q, negative, &got))
        return; /* undecided: the parser asks CPython */
    char text[64];
    snprintf(text, sizeof text, "%s%llue%lld", negative ? "-" : "", (unsigned long long)w,
             (long long)q);
    double want = PyOS_string_to_double(text, NULL, NULL);
    JC_FUZZ_REQUIRE(!(want == -1.0 && PyErr_Occurred()), "float(%s)", text);
    JC_FUZZ_REQUIRE(memcmp(&got, &want, sizeof got) == 0, "jc_decimal_to_double(%s) = %a, not %a",
                    text, got, want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > JC_FUZZ_MAX_INPUT)
        return -1;
    jc_fuzz_input in = {data + 1, data + size};
    switch (data[0] % 5) {
    case 0: check_raw_text(data + 1, size - 1); break;
    case 1: check_assembled(&in); break;
    case 2: check_double(&in); break;
    case 3: check_integer(&in); break;
    default: check_decimal_to_double(&in); break;
    }
    return 0;
}
