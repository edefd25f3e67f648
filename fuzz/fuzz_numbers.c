/* Property: numbers are exact both ways.
 *   - float text parses to float(text) (CPython's correctly rounded
 *     PyOS_string_to_double, the converter float() uses), bit for bit, and is
 *     refused as out of range exactly when that is infinite;
 *   - integer text parses to int(text), exactly, and is refused exactly when
 *     it has more digits than sys.get_int_max_str_digits() allows;
 *   - double bits print as repr(): dumps(x) == repr(x) for finite x (and
 *     "null" otherwise), jc_write_double_repr too, and loads reads it back to
 *     the same bits;
 *   - jc_decimal_to_double(w, q, sign), when it decides, equals float("we q");
 *   - Decimal both ways: loads(text, decimal=True) is exactly
 *     json.loads(text, parse_float=decimal.Decimal) (same types; a Decimal
 *     with the same str(), so the same digits and exponent), or both refuse,
 *     and refuses the same way in a context that does not trap
 *     InvalidOperation; every Decimal dumps(d, option=OPT_SERIALIZE_DECIMAL)
 *     writes as str(d) with the marker 'E' (whatever the context's capitals),
 *     as a key too (OPT_NON_STR_KEYS), and reads back with decimal=True as a
 *     Decimal of that str() (an int when that text is an integer literal);
 *     NaN, sNaN and the infinities raise JSONEncodeError.
 * Input: byte 0 below 0x80 selects the mode (byte % 5): 0 the rest is number
 * text as is; 1 a grammar-valid literal assembled from the rest; 2 eight bytes
 * of double; 3 an integer of up to ~5000 digits; 4 (w, q, sign) for the
 * decimal converter. Byte 0 with bit 7 set is the Decimal mode, its other bits
 * flags: bit 0 the text as mode 1 assembles it (else as mode 0 takes it);
 * bit 1 the text (UTF-8, errors replaced) given to decimal.Decimal itself
 * instead, for dumps only (NaN, sNaN, Infinity, payloads, underscores,
 * non-ASCII digits); bit 2 dumps under capitals=0; bit 3 an assembled
 * exponent near Decimal's limits and the parser's cap; bit 4 loads again in a
 * context not trapping InvalidOperation. */
#include "fuzz_common.h"

#include <math.h>

#include "decode/float_parse.h"
#include "encode/float_print.h"

/* The Decimal mode's handles. */
static PyObject *decimal_type;      /* decimal.Decimal */
static PyObject *invalid_operation; /* decimal.InvalidOperation */
static PyObject *decimal_context;   /* decimal.getcontext(): this thread's, for good */
static PyObject *decimal_traps;     /* its traps */
static PyObject *loads_decimal_kw;  /* {"decimal": True} */
static PyObject *json_decimal_kw;   /* {"parse_float": decimal.Decimal} */
static PyObject *dumps_value_kw;    /* {"option": OPT_SERIALIZE_DECIMAL} */
static PyObject *dumps_key_kw;      /* {"option": OPT_SERIALIZE_DECIMAL | OPT_NON_STR_KEYS} */

static PyObject *option_kw(const char *name, long option)
{
    PyObject *kw = PyDict_New(), *value = PyLong_FromLong(option);
    JC_FUZZ_REQUIRE(kw != NULL && value != NULL && PyDict_SetItemString(kw, name, value) == 0,
                    "building the keywords");
    Py_DECREF(value);
    return kw;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv);
    PyObject *decimal = jc_fuzz_import("decimal");
    decimal_type = jc_fuzz_attr(decimal, "Decimal");
    invalid_operation = jc_fuzz_attr(decimal, "InvalidOperation");
    decimal_context = PyObject_CallMethod(decimal, "getcontext", NULL);
    JC_FUZZ_REQUIRE(decimal_context != NULL, "decimal.getcontext()");
    decimal_traps = jc_fuzz_attr(decimal_context, "traps");
    Py_DECREF(decimal);
    PyObject *serialize = jc_fuzz_attr(jc_fuzz.jcodec, "OPT_SERIALIZE_DECIMAL");
    PyObject *non_str_keys = jc_fuzz_attr(jc_fuzz.jcodec, "OPT_NON_STR_KEYS");
    long serialize_bit = PyLong_AsLong(serialize), keys_bit = PyLong_AsLong(non_str_keys);
    Py_DECREF(serialize);
    Py_DECREF(non_str_keys);
    loads_decimal_kw = PyDict_New();
    json_decimal_kw = PyDict_New();
    JC_FUZZ_REQUIRE(loads_decimal_kw && json_decimal_kw &&
                        PyDict_SetItemString(loads_decimal_kw, "decimal", Py_True) == 0 &&
                        PyDict_SetItemString(json_decimal_kw, "parse_float", decimal_type) == 0,
                    "building the keywords");
    dumps_value_kw = option_kw("option", serialize_bit);
    dumps_key_kw = option_kw("option", serialize_bit | keys_bit);
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

/* Exponents at the edges of Decimal's range (decimal.MAX_EMAX, -MIN_ETINY),
 * of the parser's accumulation cap (JC_EXPONENT_CAP) and of int64. */
static const uint64_t huge_exponents[] = {UINT64_C(999999999999999999),
                                          UINT64_C(1999999999999999997), UINT64_C(10000000000),
                                          UINT64_C(9223372036854775807)};

#define JC_ASSEMBLED_MAX 2200

/* Mode 1: sign, integer digits, fraction, exponent, each shaped by a byte:
 * long mantissas, exponents near the double range's edges, and halfway cases
 * all come out of a few bytes. With `huge`, the exponent is one of
 * huge_exponents plus -32..31 instead. Returns the length. */
static size_t assemble_literal(jc_fuzz_input *in, char text[JC_ASSEMBLED_MAX], bool huge)
{
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
        if (huge) {
            uint8_t pick = jc_fuzz_byte(in);
            unsigned long long exponent = huge_exponents[pick % 4] + (pick >> 2) - 32;
            n += (size_t)snprintf(text + n, JC_ASSEMBLED_MAX - n, shape & 0x10 ? "%022llu" : "%llu",
                                  exponent);
        } else {
            int exponent = (int)jc_fuzz_uint(in, 2) % (shape & 0x20 ? 100000 : 400);
            n += (size_t)snprintf(text + n, JC_ASSEMBLED_MAX - n, shape & 0x10 ? "%05d" : "%d",
                                  exponent);
        }
    }
    return n;
}

static void check_assembled(jc_fuzz_input *in)
{
    char text[JC_ASSEMBLED_MAX];
    size_t n = assemble_literal(in, text, false);
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

/*------------------------------------------------------------------------------
 * The Decimal mode (byte 0's bit 7)
 *----------------------------------------------------------------------------*/

enum {
    DEC_ASSEMBLED = 1,  /* the text as mode 1 assembles it */
    DEC_OBJECT = 2,     /* decimal.Decimal(text), for dumps only */
    DEC_LOWERCASE = 4,  /* dumps with the context's capitals = 0 */
    DEC_HUGE_EXP = 8,   /* assembled exponents near Decimal's limits */
    DEC_NO_TRAP = 0x10, /* loads again with InvalidOperation not trapped */
};

static bool is_decimal(PyObject *obj)
{
    return obj != NULL && Py_TYPE(obj) == (PyTypeObject *)decimal_type;
}

static PyObject *call_kw(PyObject *callable, PyObject *arg, PyObject *kw)
{
    PyObject *args = PyTuple_Pack(1, arg);
    JC_FUZZ_REQUIRE(args != NULL, "PyTuple_Pack");
    PyObject *result = PyObject_Call(callable, args, kw);
    Py_DECREF(args);
    return result;
}

/* str(obj) as a new str; aborts when str() fails. */
static PyObject *str_of(PyObject *obj)
{
    PyObject *text = PyObject_Str(obj);
    JC_FUZZ_REQUIRE(text != NULL, "str()");
    return text;
}

static bool same_str(PyObject *a, PyObject *b)
{
    PyObject *x = str_of(a), *y = str_of(b);
    int equal = PyUnicode_Compare(x, y) == 0;
    Py_DECREF(x);
    Py_DECREF(y);
    return equal;
}

/* jcodec.loads(text, decimal=True): the value, or NULL (JSONDecodeError taken). */
static PyObject *loads_decimal(const char *text, size_t len)
{
    PyObject *doc = PyBytes_FromStringAndSize(text, (Py_ssize_t)len);
    PyObject *value = call_kw(jc_fuzz.loads, doc, loads_decimal_kw);
    Py_DECREF(doc);
    if (value == NULL)
        Py_DECREF(jc_fuzz_take_exception(jc_fuzz.JSONDecodeError, "loads(decimal=True)"));
    return value;
}

/* json.loads(text, parse_float=Decimal) of ASCII text, or NULL when it refuses
 * (ValueError: the grammar, the int digit limit; InvalidOperation: beyond
 * Decimal's exponent range). */
static PyObject *reference_loads_decimal(const char *text, size_t len)
{
    PyObject *doc = PyUnicode_DecodeASCII(text, (Py_ssize_t)len, "strict");
    JC_FUZZ_REQUIRE(doc != NULL, "number text is ASCII");
    PyObject *value = call_kw(jc_fuzz.json_loads, doc, json_decimal_kw);
    Py_DECREF(doc);
    if (value == NULL)
        jc_fuzz_clear_expected("json.loads(parse_float=Decimal)", PyExc_ValueError,
                               invalid_operation, NULL);
    return value;
}

/* Identical types, and a Decimal's str() (its digits and exponent) the same. */
static void require_same_number(PyObject *got, PyObject *want, const char *what, const char *text,
                                size_t len)
{
    if (is_decimal(got) && is_decimal(want) && same_str(got, want))
        return;
    if (!is_decimal(got) && !is_decimal(want) && jc_fuzz_same(got, want, true))
        return;
    fprintf(stderr, "==jcodec-fuzz== left:  %s\n", jc_fuzz_repr(got, 400));
    fprintf(stderr, "==jcodec-fuzz== right: %s\n", jc_fuzz_repr(want, 400));
    jc_fuzz_fail("%s of %.*s: values differ", what, (int)(len > 200 ? 200 : len), text);
}

static void set_context(const char *name, PyObject *value)
{
    JC_FUZZ_REQUIRE(PyObject_SetAttrString(decimal_context, name, value) == 0,
                    "setting the context's %s", name);
}

static void set_trap(PyObject *value)
{
    JC_FUZZ_REQUIRE(PyObject_SetItem(decimal_traps, invalid_operation, value) == 0,
                    "setting the InvalidOperation trap");
}

/* dumps(d, option=OPT_SERIALIZE_DECIMAL), as a value and as a key: str(d) with
 * 'E', read back by loads(decimal=True); JSONEncodeError for what is not
 * finite. */
static void check_decimal_dumps(PyObject *d, uint8_t flags)
{
    PyObject *finite = PyObject_CallMethod(d, "is_finite", NULL);
    JC_FUZZ_REQUIRE(finite != NULL, "Decimal.is_finite()");
    PyObject *zero = NULL, *one = NULL;
    if (flags & DEC_LOWERCASE) {
        zero = PyLong_FromLong(0);
        one = PyLong_FromLong(1);
        set_context("capitals", zero);
    }
    PyObject *out = call_kw(jc_fuzz.dumps, d, dumps_value_kw);
    PyObject *out_error = out ? NULL : jc_fuzz_take_exception(jc_fuzz.JSONEncodeError, "dumps");
    /* As a key (a signaling NaN cannot be hashed: no key). */
    PyObject *dict = PyDict_New(), *key_out = NULL, *key_error = NULL;
    JC_FUZZ_REQUIRE(dict != NULL, "PyDict_New");
    if (PyDict_SetItem(dict, d, Py_None) == 0) {
        key_out = call_kw(jc_fuzz.dumps, dict, dumps_key_kw);
        if (key_out == NULL)
            key_error = jc_fuzz_take_exception(jc_fuzz.JSONEncodeError, "dumps(key)");
    } else {
        jc_fuzz_clear_expected("hash(Decimal)", PyExc_TypeError, NULL);
        JC_FUZZ_REQUIRE(finite != Py_True, "hash() of a finite Decimal failed");
    }
    Py_DECREF(dict);
    if (flags & DEC_LOWERCASE) {
        set_context("capitals", one);
        Py_DECREF(zero);
        Py_DECREF(one);
    }
    PyObject *text = str_of(d); /* capitals=1: the marker is 'E' */
    const char *want = PyUnicode_AsUTF8(text);
    if (finite != Py_True) {
        JC_FUZZ_REQUIRE(out == NULL && key_out == NULL, "dumps(Decimal('%s')) = %s, not refused",
                        want, PyBytes_AS_STRING(out ? out : key_out));
    } else {
        JC_FUZZ_REQUIRE(out != NULL && key_out != NULL, "dumps(Decimal('%s')) refused: %s", want,
                        jc_fuzz_repr(out ? key_error : out_error, 200));
        JC_FUZZ_REQUIRE(strcmp(PyBytes_AS_STRING(out), want) == 0, "dumps(Decimal('%s')) = %s",
                        want, PyBytes_AS_STRING(out));
        size_t n = strlen(want);
        const char *key = PyBytes_AS_STRING(key_out);
        JC_FUZZ_REQUIRE((size_t)PyBytes_GET_SIZE(key_out) == n + 9 && memcmp(key, "{\"", 2) == 0 &&
                            memcmp(key + 2, want, n) == 0 && strcmp(key + 2 + n, "\":null}") == 0,
                        "dumps({Decimal('%s'): None}) = %s", want, key);
        PyObject *back = loads_decimal(PyBytes_AS_STRING(out), n);
        if (is_integer_literal(want, n)) {
            PyObject *as_int = PyLong_FromString(want, NULL, 10);
            if (as_int == NULL) /* over the digit limit */
                jc_fuzz_clear_expected("int(text)", PyExc_ValueError, NULL);
            JC_FUZZ_REQUIRE((back == NULL) == (as_int == NULL) &&
                                (back == NULL || jc_fuzz_same(back, as_int, true)),
                            "loads(%.100s, decimal=True) = %s", want, jc_fuzz_repr(back, 100));
            Py_XDECREF(as_int);
        } else {
            JC_FUZZ_REQUIRE(is_decimal(back) && same_str(back, text),
                            "loads(%.100s, decimal=True) = %s", want, jc_fuzz_repr(back, 100));
        }
        Py_XDECREF(back);
    }
    Py_DECREF(text);
    Py_XDECREF(key_error);
    Py_XDECREF(key_out);
    Py_XDECREF(out_error);
    Py_XDECREF(out);
    Py_DECREF(finite);
}

/* A document that is one JSON number with whitespace around it: jcodec's
 * outcome is json's, in both contexts; its Decimal dumps back. */
static void check_decimal_literal(const char *text, size_t len, uint8_t flags)
{
    PyObject *got = loads_decimal(text, len);
    PyObject *want = reference_loads_decimal(text, len);
    int shown = (int)(len > 200 ? 200 : len);
    JC_FUZZ_REQUIRE((got == NULL) == (want == NULL), "loads(%.*s, decimal=True) %s; json %s", shown,
                    text, got ? "accepts" : "refuses", want ? "accepts" : "refuses");
    if (got != NULL)
        require_same_number(got, want, "loads(decimal=True) vs json.loads(parse_float=Decimal)",
                            text, len);
    if (flags & DEC_NO_TRAP) {
        set_trap(Py_False);
        PyObject *again = loads_decimal(text, len);
        set_trap(Py_True);
        JC_FUZZ_REQUIRE((again == NULL) == (got == NULL),
                        "loads(%.*s, decimal=True) %s without the InvalidOperation trap", shown,
                        text, again ? "accepts" : "refuses");
        if (again != NULL)
            require_same_number(again, got, "loads(decimal=True) without the trap", text, len);
        Py_XDECREF(again);
    }
    if (is_decimal(got))
        check_decimal_dumps(got, flags);
    Py_XDECREF(want);
    Py_XDECREF(got);
}

static bool is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit_at(const char *s, size_t n, size_t i)
{
    return i < n && s[i] >= '0' && s[i] <= '9';
}

/* RFC 8259's number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool is_json_number(const char *s, size_t n)
{
    size_t i = 0;
    i += i < n && s[i] == '-';
    if (i < n && s[i] == '0')
        i++;
    else if (!is_digit_at(s, n, i))
        return false;
    while (is_digit_at(s, n, i))
        i++;
    if (i < n && s[i] == '.') {
        if (!is_digit_at(s, n, ++i))
            return false;
        while (is_digit_at(s, n, i))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        i += i < n && (s[i] == '+' || s[i] == '-');
        if (!is_digit_at(s, n, i))
            return false;
        while (is_digit_at(s, n, i))
            i++;
    }
    return i == n;
}

/* Any text: one number with whitespace around it is checked against json;
 * anything else must not come back as an int or a Decimal. */
static void check_decimal_raw(const char *text, size_t len, uint8_t flags)
{
    size_t start = 0, stop = len;
    while (start < stop && is_json_space(text[start]))
        start++;
    while (stop > start && is_json_space(text[stop - 1]))
        stop--;
    if (is_json_number(text + start, stop - start)) {
        check_decimal_literal(text, len, flags);
        return;
    }
    PyObject *got = loads_decimal(text, len);
    JC_FUZZ_REQUIRE(got == NULL || !(PyLong_CheckExact(got) || is_decimal(got)),
                    "loads(decimal=True) reads %s from text that is not a number",
                    jc_fuzz_repr(got, 100));
    Py_XDECREF(got);
}

/* decimal.Decimal(text) of any text it takes: what dumps does with it. */
static void check_decimal_object(const char *text, size_t len, uint8_t flags)
{
    PyObject *str = PyUnicode_DecodeUTF8(text, (Py_ssize_t)len, "replace");
    JC_FUZZ_REQUIRE(str != NULL, "decoding with errors replaced");
    PyObject *d = PyObject_CallOneArg(decimal_type, str);
    Py_DECREF(str);
    if (d == NULL) {
        jc_fuzz_clear_expected("Decimal(text)", invalid_operation, PyExc_ValueError, NULL);
        return;
    }
    check_decimal_dumps(d, flags);
    Py_DECREF(d);
}

static void check_decimal_mode(uint8_t flags, jc_fuzz_input *in)
{
    if (flags & DEC_OBJECT) {
        check_decimal_object((const char *)in->p, jc_fuzz_left(in), flags);
    } else if (flags & DEC_ASSEMBLED) {
        char text[JC_ASSEMBLED_MAX];
        size_t n = assemble_literal(in, text, flags & DEC_HUGE_EXP);
        check_decimal_literal(text, n, flags);
    } else {
        check_decimal_raw((const char *)in->p, jc_fuzz_left(in), flags);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > JC_FUZZ_MAX_INPUT)
        return -1;
    jc_fuzz_input in = {data + 1, data + size};
    if (data[0] & 0x80) {
        check_decimal_mode(data[0], &in);
        return 0;
    }
    switch (data[0] % 5) {
    case 0: check_raw_text(data + 1, size - 1); break;
    case 1: check_assembled(&in); break;
    case 2: check_double(&in); break;
    case 3: check_integer(&in); break;
    default: check_decimal_to_double(&in); break;
    }
    return 0;
}
