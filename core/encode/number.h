/* Encoder stage: numbers.
 *
 * int: values that fit 64 bits are printed here from a table of digit pairs,
 * in independent groups of four and eight digits; larger ones go through
 * CPython's int-to-decimal conversion (number.c), which enforces
 * sys.get_int_max_str_digits() as str(int) does. float: the shortest decimal
 * that round-trips, formatted as repr() formats it (float_print.c), so output
 * equals the standard library's; NaN and infinities become null, as orjson.
 *
 * The 64-bit and float writers are inline because the encoder runs them per
 * value (and bench/int_print.c measures them as the encoder inlines them). */
#ifndef JC_ENCODE_NUMBER_H
#define JC_ENCODE_NUMBER_H

#include <math.h>

#include "compat.h"
#include "encode/encoder.h"
#include "encode/float_print.h"
#include "tables/char_tables.h"

/* int's own decimal conversion (not a subclass's __repr__), or NULL with the
 * error recorded: beyond sys.get_int_max_str_digits() its ValueError becomes
 * the cause (JC_ENCODE_INT_DIGITS). Also converts OPT_NON_STR_KEYS int keys. */
PyObject *jc_int_to_decimal(jc_encoder *e, PyObject *obj);
/* Beyond 64 bits: the conversion above, written out; -1 with the error recorded. */
JC_NOINLINE int jc_write_big_int(jc_encoder *e, PyObject *obj);

/* Two, four and eight digits with leading zeros. Splitting a number into
 * independent groups keeps the divisions (multiplications, for constants) off
 * one long dependency chain. */
JC_INLINE void write_2digits(char *o, uint32_t v)
{
    memcpy(o, jc_digit_pairs + (size_t)2 * v, 2);
}

JC_INLINE void write_4digits(char *o, uint32_t v)
{
    write_2digits(o, v / 100);
    write_2digits(o + 2, v % 100);
}

JC_INLINE void write_8digits(char *o, uint32_t v)
{
    write_4digits(o, v / 10000);
    write_4digits(o + 4, v % 10000);
}

/* v < 10^8 without leading zeros; returns the end. */
JC_INLINE char *write_u32_short(char *o, uint32_t v)
{
    if (v < 100) {
        if (v < 10) {
            *o = (char)('0' + v);
            return o + 1;
        }
        write_2digits(o, v);
        return o + 2;
    }
    if (v < 10000) {
        uint32_t hundreds = v / 100;
        if (hundreds < 10) {
            *o = (char)('0' + hundreds);
            write_2digits(o + 1, v % 100);
            return o + 3;
        }
        write_4digits(o, v);
        return o + 4;
    }
    /* 5 to 8 digits: one to four leading ones, then four. */
    uint32_t high = v / 10000;
    char *end;
    if (high < 10) {
        *o = (char)('0' + high);
        end = o + 1;
    } else if (high < 100) {
        write_2digits(o, high);
        end = o + 2;
    } else if (high < 1000) {
        *o = (char)('0' + high / 100);
        write_2digits(o + 1, high % 100);
        end = o + 3;
    } else {
        write_4digits(o, high);
        end = o + 4;
    }
    write_4digits(end, v % 10000);
    return end + 4;
}

/* Writes v in decimal at out (20 bytes there); returns the end. */
JC_INLINE char *write_u64(char *out, uint64_t v)
{
    if (jc_likely(v < 100000000))
        return write_u32_short(out, (uint32_t)v);
    uint64_t high = v / 100000000;
    uint32_t low = (uint32_t)(v % 100000000);
    char *o;
    if (high < 100000000) {
        o = write_u32_short(out, (uint32_t)high);
    } else {
        o = write_u32_short(out, (uint32_t)(high / 100000000));
        write_8digits(o, (uint32_t)(high % 100000000));
        o += 8;
    }
    write_8digits(o, low);
    return o + 8;
}

JC_INLINE int write_u64_value(jc_writer *w, uint64_t v)
{
    if (jc_unlikely(jc_writer_reserve(w, 21) < 0))
        return -1;
    w->len = (size_t)(write_u64(jc_writer_pos(w), v) - w->data);
    return 0;
}

/* Writes v in decimal at out (21 bytes there); returns the end. */
JC_INLINE char *write_i64_at(char *out, int64_t v)
{
    uint64_t magnitude = (uint64_t)v;
    if (v < 0) {
        *out++ = '-';
        magnitude = 0 - magnitude;
    }
    return write_u64(out, magnitude);
}

JC_INLINE int write_i64(jc_writer *w, int64_t v)
{
    if (jc_unlikely(jc_writer_reserve(w, 21) < 0))
        return -1;
    w->len = (size_t)(write_i64_at(jc_writer_pos(w), v) - w->data);
    return 0;
}

JC_INLINE int write_double(jc_writer *w, double v)
{
    if (jc_unlikely(jc_writer_reserve(w, JC_DOUBLE_REPR_MAX) < 0))
        return -1;
    if (jc_unlikely(!isfinite(v))) {
        memcpy(jc_writer_pos(w), "null", 4);
        w->len += 4;
        return 0;
    }
    w->len += jc_write_double_repr(v, jc_writer_pos(w));
    return 0;
}

#define MAX_SAFE_INTEGER ((INT64_C(1) << 53) - 1)

JC_INLINE bool outside_strict_range(const jc_encoder *e, int64_t v)
{
    return jc_unlikely(e->opts & JC_OPT_STRICT_INTEGER) &&
           (v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER);
}

JC_INLINE int check_strict_integer(jc_encoder *e, int64_t v)
{
    if (outside_strict_range(e, v))
        return jc_encode_fail(&e->err, JC_ENCODE_INT_RANGE, "Integer exceeds 53-bit range");
    return 0;
}

JC_INLINE int write_int(jc_encoder *e, PyObject *obj)
{
    int64_t v;
    if (jc_unlikely(!jc_long_is_small(obj, &v)) && !jc_long_is_two_digits(obj, &v)) {
        int overflow;
        v = PyLong_AsLongLongAndOverflow(obj, &overflow);
        if (jc_unlikely(overflow))
            return jc_write_big_int(e, obj);
        if (jc_unlikely(v == -1 && PyErr_Occurred()))
            return jc_encode_fail_python(&e->err);
    }
    if (jc_unlikely(check_strict_integer(e, v) < 0))
        return -1;
    if (jc_unlikely(write_i64(&e->out, v) < 0))
        return jc_encode_fail_python(&e->err);
    return 0;
}

#endif /* JC_ENCODE_NUMBER_H */
