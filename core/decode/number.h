/* Decoder stage: numbers.
 *
 * Grammar per RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
 * Integers of up to 19 digits fit a uint64_t and become ints directly; longer
 * ones go to CPython's converter, which enforces sys.get_int_max_str_digits()
 * before doing any quadratic work. Floats are split into 19 significant digits
 * and a decimal exponent for jc_decimal_to_double (float_parse.c); when that
 * cannot decide, or digits were dropped and the two candidates disagree,
 * CPython's correctly rounded converter (the one float() uses) decides.
 *
 * The grammar and the fast paths are inline here because parse.c runs them
 * per number; the rare paths are in number.c. */
#ifndef JC_DECODE_NUMBER_H
#define JC_DECODE_NUMBER_H

#include <math.h>

#include "decode/float_parse.h"
#include "decode/state.h"

/* Integers beyond 19 digits, through CPython's converter; NULL with the error
 * recorded (beyond sys.get_int_max_str_digits(): JC_PARSE_INT_DIGITS). */
JC_NOINLINE PyObject *jc_parse_big_int(jc_parser *ps, const uint8_t *start, const uint8_t *stop,
                                       size_t digits);

/* The exact conversion for the rare literals the fast algorithms leave open;
 * false with the error recorded. */
JC_NOINLINE bool jc_exact_decimal_to_double(jc_parser *ps, const uint8_t *start,
                                            const uint8_t *stop, double *out);

/* A literal's significant digits as w * 10^q; truncated: a nonzero digit was
 * dropped (the value lies between w and w + 1, times 10^q). */
typedef struct jc_long_mantissa {
    uint64_t w;
    int64_t q;
    bool truncated;
} jc_long_mantissa;

/* Significant digits of [int_start, int_end) followed by [frac_start, frac_end),
 * times 10^exponent: the first 19 after leading zeros, the exponent adjusted
 * for the rest. Returned by value, so the caller's w and q stay in registers. */
JC_NOINLINE jc_long_mantissa jc_split_long_mantissa(const uint8_t *int_start,
                                                    const uint8_t *int_end,
                                                    const uint8_t *frac_start,
                                                    const uint8_t *frac_end, int64_t exponent);

/* Exponents are accumulated up to this magnitude (and one digit beyond): a
 * larger one makes a double 0 or infinite whatever the digits. */
#define JC_EXPONENT_CAP INT64_C(10000000000)

/* loads(decimal=True): the number [start, stop), which has a fraction or an
 * exponent (of `exponent`, as accumulated: at most 10^10 in magnitude, the
 * cap telling a huge one), as ps->decimal(its text). Returns stop, or NULL
 * with the error recorded. */
JC_NOINLINE const uint8_t *jc_parse_decimal(jc_parser *ps, const uint8_t *start,
                                            const uint8_t *stop, int64_t exponent, PyObject **out);

/* Records "invalid number: expected <expected>, found ...". */
JC_COLD void jc_fail_number(jc_parser *ps, const uint8_t *at, const char *expected);

JC_INLINE bool is_digit(uint8_t c)
{
    return (uint8_t)(c - '0') < 10;
}

/* SWAR over eight bytes (the first at the lowest address): a nonzero byte
 * of the result where the byte of chunk is not an ASCII digit. A digit lands
 * in 0x30..0x39 and, plus 6, in 0x36..0x3F: both high nibbles 3. The addition
 * carries only out of bytes from 0xFA, which are not digits, and only into
 * the bytes after them, so every byte before the first non-digit is exact. */
JC_INLINE uint64_t non_digit_bytes(uint64_t chunk)
{
    return ((chunk & UINT64_C(0xF0F0F0F0F0F0F0F0)) |
            (((chunk + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) >> 4)) ^
           UINT64_C(0x3333333333333333);
}

/* The number written by eight digit values (each byte 0..9, the first the
 * most significant), by three multiplications pairing neighbours. */
JC_INLINE uint32_t eight_digits_value(uint64_t digits)
{
    digits = (digits * 10) + (digits >> 8);
    digits = (((digits & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x000F424000000064)) +
              (((digits >> 16) & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x0000271000000001))) >>
             32;
    return (uint32_t)digits;
}

/* Eight ASCII digits at p as a number, if they are all digits. */
JC_INLINE bool read_eight_digits(const uint8_t *p, uint32_t *value)
{
    uint64_t chunk = jc_load64(p);
    if (non_digit_bytes(chunk) != 0)
        return false;
    *value = eight_digits_value(chunk - UINT64_C(0x3030303030303030));
    return true;
}

static const uint32_t jc_small_pow10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

/* Consumes digits from p, accumulating into *w; returns the first non-digit.
 * Eight at a time while eight bytes are readable, and the last three to
 * seven of them from the same eight bytes, without a loop: the digits before
 * the first non-digit are shifted to the low end of an eight-digit number
 * (the bytes shifted in are zeros) and converted as one. One or two (small
 * ints, the ends of ids) cost fewer instructions one at a time. The byte at
 * `end` is the parser's sentinel, which is not a digit, so the byte loops
 * stop by it. */
JC_INLINE const uint8_t *accumulate_digits(const uint8_t *p, const uint8_t *end, uint64_t *w)
{
    uint64_t value = *w;
    while (end - p >= 8) {
        uint64_t chunk = jc_load64(p);
        uint64_t non_digits = non_digit_bytes(chunk);
        /* Borrows out of a non-digit byte reach only the bytes after it. */
        uint64_t digits = chunk - UINT64_C(0x3030303030303030);
        if (non_digits == 0) {
            value = value * 100000000 + eight_digits_value(digits);
            p += 8;
            continue;
        }
        unsigned n = jc_ctz64(non_digits) / 8;
        if (n > 2) {
            value = value * jc_small_pow10[n] + eight_digits_value(digits << (64 - 8 * n));
            p += n;
        } else {
            while (is_digit(*p))
                value = value * 10 + (uint64_t)(*p++ - '0');
        }
        *w = value;
        return p;
    }
    while (is_digit(*p))
        value = value * 10 + (uint64_t)(*p++ - '0');
    *w = value;
    return p;
}

/* p: the '-' or first digit. Returns the byte after the number, or NULL. */
JC_INLINE const uint8_t *jc_parse_number(jc_parser *ps, const uint8_t *p, PyObject **out)
{
    const uint8_t *start = p;
    const uint8_t *end = ps->end;
    bool negative = *p == '-';
    p += negative;

    const uint8_t *int_start = p;
    uint64_t w = 0;
    if (*p == '0') {
        p++;
        if (jc_unlikely(is_digit(*p))) {
            jc_parse_fail_at(ps, p - 1, JC_PARSE_NUMBER, "leading zero in number");
            return NULL;
        }
    } else if (jc_likely(is_digit(*p))) {
        p = accumulate_digits(p, end, &w);
    } else {
        if (end - p >= 8 && memcmp(p, "Infinity", 8) == 0) {
            jc_parse_fail_at(ps, start, JC_PARSE_LITERAL, "-Infinity is not valid JSON");
            return NULL;
        }
        jc_fail_number(ps, p, "a digit after '-'");
        return NULL;
    }
    const uint8_t *int_end = p;
    size_t int_digits = (size_t)(int_end - int_start);

    if (jc_likely(*p != '.' && (*p | 0x20) != 'e')) {
        if (jc_likely(int_digits <= 19)) {
            if (!negative)
                *out = PyLong_FromUnsignedLongLong(w);
            else if (w <= (uint64_t)INT64_MAX)
                *out = PyLong_FromLongLong(-(int64_t)w);
            else
                *out = NULL; /* below INT64_MIN (or equal): rare, let CPython do it */
            if (jc_likely(*out != NULL))
                return p;
            if (PyErr_Occurred()) {
                jc_parse_fail_python(ps, start);
                return NULL;
            }
        }
        *out = jc_parse_big_int(ps, start, p, int_digits);
        return *out != NULL ? p : NULL;
    }

    const uint8_t *frac_start = p, *frac_end = p;
    if (*p == '.') {
        p++;
        if (jc_unlikely(!is_digit(*p))) {
            jc_fail_number(ps, p, "a digit after the decimal point");
            return NULL;
        }
        frac_start = p;
        p = accumulate_digits(p, end, &w);
        frac_end = p;
    }
    int64_t exponent = 0;
    if ((*p | 0x20) == 'e') {
        p++;
        bool exponent_negative = *p == '-';
        p += *p == '-' || *p == '+';
        if (jc_unlikely(!is_digit(*p))) {
            jc_fail_number(ps, p, "a digit in the exponent");
            return NULL;
        }
        do {
            /* Past 10^10 the value is 0 or infinity whatever the mantissa; keep
             * accumulating only while the sum cannot overflow. */
            if (exponent < JC_EXPONENT_CAP)
                exponent = exponent * 10 + (*p - '0');
            p++;
        } while (is_digit(*p));
        if (exponent_negative)
            exponent = -exponent;
    }
    /* The one test loads(decimal=True) costs, on numbers with a fraction or
     * an exponent only; taken, it replaces the conversion to double. */
    if (jc_unlikely(ps->decimal != NULL))
        return jc_parse_decimal(ps, start, p, exponent, out);

    size_t frac_digits = (size_t)(frac_end - frac_start);
    int64_t q = exponent - (int64_t)frac_digits;
    bool truncated = false;
    if (jc_unlikely(int_digits + frac_digits > 19)) {
        jc_long_mantissa m =
            jc_split_long_mantissa(int_start, int_end, frac_start, frac_end, exponent);
        w = m.w;
        q = m.q;
        truncated = m.truncated;
    }

    double value;
    bool decided = jc_decimal_to_double(w, q, negative, &value);
    if (jc_unlikely(truncated) && decided) {
        /* The literal lies between w and w + 1 (times 10^q): if both round to the
         * same double, so does it. */
        double upper;
        decided = jc_decimal_to_double(w + 1, q, negative, &upper) && upper == value;
    }
    if (jc_unlikely(!decided) && !jc_exact_decimal_to_double(ps, start, p, &value))
        return NULL;
    if (jc_unlikely(isinf(value))) {
        jc_parse_fail_at(ps, start, JC_PARSE_NUMBER_RANGE,
                         "number out of range: %.*s%s is beyond the largest double",
                         (int)(p - start > 40 ? 40 : p - start), (const char *)start,
                         p - start > 40 ? "..." : "");
        return NULL;
    }
    *out = PyFloat_FromDouble(value);
    if (jc_unlikely(*out == NULL)) {
        jc_parse_fail_python(ps, start);
        return NULL;
    }
    return p;
}

#endif /* JC_DECODE_NUMBER_H */
