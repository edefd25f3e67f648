/* Decoder stage: numbers, the paths past the inline fast path (number.h):
 * integers beyond 19 digits, floats the fast algorithms leave open, errors. */
#include "decode/number.h"

/* An integer over the digit limit. Reading the limit back can itself fail
 * (out of memory); that error then stands. */
JC_COLD static void fail_int_digits(jc_parser *ps, const uint8_t *start, size_t digits)
{
    PyObject *sys = PyImport_ImportModule("sys");
    PyObject *value = sys ? PyObject_CallMethod(sys, "get_int_max_str_digits", NULL) : NULL;
    long limit = value ? PyLong_AsLong(value) : -1;
    Py_XDECREF(value);
    Py_XDECREF(sys);
    if (limit == -1 && PyErr_Occurred()) {
        jc_parse_fail_python(ps, start);
        return;
    }
    jc_parse_fail_at(ps, start, JC_PARSE_INT_DIGITS,
                     "integer literal has %zu digits, over the limit of %ld set by "
                     "sys.set_int_max_str_digits()",
                     digits, limit);
}

#if defined(__SIZEOF_INT128__)
/* Up to 38 digits (10^38 < 2^127) fit 128 bits: the int is built from them
 * directly, a tenth of what CPython's decimal-string conversion costs for
 * ids, hashes and timestamps of this length. */
#  define JC_INT128_DIGITS 38

/* n (at most 19) ASCII digits as a number. */
static uint64_t digits_value(const uint8_t *p, size_t n)
{
    uint64_t value = 0;
    uint32_t eight;
    for (; n >= 8 && read_eight_digits(p, &eight); p += 8, n -= 8)
        value = value * 100000000 + eight;
    for (; n > 0; p++, n--)
        value = value * 10 + (uint64_t)(*p - '0');
    return value;
}

static PyObject *int128_to_long(const uint8_t *start, size_t digits)
{
    bool negative = *start == '-';
    const uint8_t *p = start + negative;
    /* The leading digits beyond the last 19, then the last 19. */
    size_t head = digits > 19 ? digits - 19 : 0;
    __uint128_t value = (__uint128_t)digits_value(p, head) * UINT64_C(10000000000000000000) +
                        digits_value(p + head, digits - head);
    return jc_long_from_u128((uint64_t)(value >> 64), (uint64_t)value, negative);
}
#endif

PyObject *jc_parse_big_int(jc_parser *ps, const uint8_t *start, const uint8_t *stop, size_t digits)
{
#if defined(JC_INT128_DIGITS)
    /* Under every digit limit (sys.set_int_max_str_digits allows no less
     * than 640). */
    if (digits <= JC_INT128_DIGITS) {
        PyObject *value = int128_to_long(start, digits);
        if (value == NULL)
            jc_parse_fail_python(ps, start);
        return value;
    }
#endif
    const char *text = jc_parser_copy_text(ps, start, stop);
    if (text == NULL) {
        jc_parse_fail_python(ps, start);
        return NULL;
    }
    PyObject *value = PyLong_FromString(text, NULL, 10);
    if (value == NULL) {
        if (PyErr_ExceptionMatches(PyExc_ValueError)) {
            PyErr_Clear();
            fail_int_digits(ps, start, digits);
        } else {
            jc_parse_fail_python(ps, start);
        }
    }
    return value;
}

bool jc_exact_decimal_to_double(jc_parser *ps, const uint8_t *start, const uint8_t *stop,
                                double *out)
{
    const char *text = jc_parser_copy_text(ps, start, stop);
    if (text == NULL) {
        jc_parse_fail_python(ps, start);
        return false;
    }
    *out = PyOS_string_to_double(text, NULL, NULL);
    if (*out == -1.0 && PyErr_Occurred()) {
        jc_parse_fail_python(ps, start);
        return false;
    }
    return true;
}

/* A literal Decimal cannot hold: its exponent is beyond Decimal's limit
 * (decimal.MAX_EMAX, 999999999999999999 on 64-bit builds). */
JC_COLD static void fail_decimal_range(jc_parser *ps, const uint8_t *start, const uint8_t *stop)
{
    jc_parse_fail_at(ps, start, JC_PARSE_NUMBER_RANGE,
                     "number out of range: %.*s%s is beyond Decimal's exponent limit",
                     (int)(stop - start > 40 ? 40 : stop - start), (const char *)start,
                     stop - start > 40 ? "..." : "");
}

const uint8_t *jc_parse_decimal(jc_parser *ps, const uint8_t *start, const uint8_t *stop,
                                int64_t exponent, PyObject **out)
{
    const uint8_t *next = NULL;
    PyObject *text = NULL, *value = NULL, *finite = NULL;
    Py_ssize_t len = (Py_ssize_t)(stop - start);
    /* The literal is ASCII: its str is one allocation and a copy. */
    text = PyUnicode_New(len, 127);
    if (text == NULL)
        goto python_error;
    memcpy(PyUnicode_1BYTE_DATA(text), start, (size_t)len);
    value = PyObject_CallOneArg(ps->decimal, text);
    if (value == NULL) {
        /* decimal.InvalidOperation: the exponent is beyond Decimal's range
         * (the only thing Decimal refuses in a JSON number). Running out of
         * memory, and what is not an Exception, propagate as they are. */
        if (PyErr_ExceptionMatches(PyExc_MemoryError) ||
            PyErr_ExceptionMatches(PyExc_RecursionError) ||
            !PyErr_ExceptionMatches(PyExc_Exception))
            goto python_error;
        PyErr_Clear();
        fail_decimal_range(ps, start, stop);
        goto done;
    }
    /* Beyond Decimal's range a context that does not trap InvalidOperation
     * makes NaN rather than raise; only a capped exponent can be beyond it
     * (the digits of a document in memory cannot make up the difference). */
    if (jc_unlikely(exponent >= JC_EXPONENT_CAP || exponent <= -JC_EXPONENT_CAP)) {
        finite = PyObject_CallMethod(value, "is_finite", NULL);
        if (finite == NULL)
            goto python_error;
        if (finite != Py_True) {
            fail_decimal_range(ps, start, stop);
            goto done;
        }
    }
    *out = Py_NewRef(value);
    next = stop;
    goto done;
python_error:
    jc_parse_fail_python(ps, start);
done:
    Py_XDECREF(finite);
    Py_XDECREF(value);
    Py_XDECREF(text);
    return next;
}

jc_long_mantissa jc_split_long_mantissa(const uint8_t *int_start, const uint8_t *int_end,
                                        const uint8_t *frac_start, const uint8_t *frac_end,
                                        int64_t q)
{
    uint64_t value = 0;
    int taken = 0;
    int64_t exponent = 0;
    bool dropped = false;
    for (const uint8_t *d = int_start; d < int_end; d++) {
        if (taken < 19) {
            value = value * 10 + (uint64_t)(*d - '0');
            taken += value != 0;
        } else {
            exponent++;
            dropped |= *d != '0';
        }
    }
    for (const uint8_t *d = frac_start; d < frac_end; d++) {
        if (taken < 19) {
            value = value * 10 + (uint64_t)(*d - '0');
            taken += value != 0;
            exponent--;
        } else {
            dropped |= *d != '0';
        }
    }
    return (jc_long_mantissa){value, q + exponent, dropped};
}

void jc_fail_number(jc_parser *ps, const uint8_t *at, const char *expected)
{
    char found[32];
    jc_parse_describe(ps, at, found, sizeof found);
    jc_parse_fail_at(ps, at, JC_PARSE_NUMBER, "invalid number: expected %s, found %s", expected,
                     found);
}
