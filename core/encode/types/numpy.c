/* numpy arrays and scalars, with OPT_SERIALIZE_NUMPY, read through numpy's
 * array interface (__array_struct__: a capsule holding a PyArrayInterface)
 * for arrays and the buffer protocol for scalars: jcodec neither links nor
 * imports numpy. Arrays of any dimension become nested lists.
 *
 * Item types: float64, float32 and float16 (the shortest decimal that reads
 * back as the same float32, float16 widened exactly to float32 first, as
 * orjson does; NaN and infinities as null), int8..int64, uint8..uint64, bool,
 * and datetime64 in units from years to nanoseconds (a UTC time, written as a
 * naive datetime; the datetime options apply).
 *
 * An array that is not C-contiguous, 0-dimensional, or of another dtype or
 * datetime unit goes to `default` when one is given, else it is refused; a
 * malformed array interface, or a byte order that is not native, is refused. */
#include <math.h>

#include "encode/float_print.h"
#include "encode/number.h"
#include "encode/types/types.h"

/* The C side of numpy's array interface (numpy's documentation, "The array
 * interface protocol"), version 2. */
typedef struct {
    int two;
    int nd;
    char typekind;
    int itemsize;
    int flags;
    Py_intptr_t *shape;
    Py_intptr_t *strides;
    void *data;
    PyObject *descr;
} array_interface;

#define ARRAY_C_CONTIGUOUS 0x1
#define ARRAY_NOTSWAPPED   0x200

typedef enum {
    ITEM_F64,
    ITEM_F32,
    ITEM_F16,
    ITEM_I64,
    ITEM_I32,
    ITEM_I16,
    ITEM_I8,
    ITEM_U64,
    ITEM_U32,
    ITEM_U16,
    ITEM_U8,
    ITEM_BOOL,
    ITEM_DATETIME,
    ITEM_UNSUPPORTED,
} item_kind;

/* datetime64 units as numpy names them in a dtype's str: those orjson writes,
 * then those it refuses (from UNIT_NONE on). */
typedef enum {
    UNIT_Y,
    UNIT_M,
    UNIT_W,
    UNIT_D,
    UNIT_h,
    UNIT_m,
    UNIT_s,
    UNIT_ms,
    UNIT_us,
    UNIT_ns,
    UNIT_NONE, /* the first unit not written */
    UNIT_ps = UNIT_NONE,
    UNIT_fs,
    UNIT_as,
    UNIT_GENERIC,
    UNIT_COUNTED, /* a multiple of a unit ("10s", "2D"), or text not recognised */
} time_unit;

/* Room for the text of a unit as a message names it: its name, or for
 * UNIT_COUNTED the text between the dtype's brackets (cut to fit). */
#define UNIT_TEXT_MAX 32

static const char *const unit_codes[] = {"Y",  "M",  "W",  "D",  "h",  "m", "s",
                                         "ms", "us", "ns", "ps", "fs", "as"};
/* In messages, as orjson words them. */
static const char *const unit_names[] = {
    "years",       "months",       "weeks",        "days",         "hours",
    "minutes",     "seconds",      "milliseconds", "microseconds", "nanoseconds",
    "picoseconds", "femtoseconds", "attoseconds",  "generic"};

bool jc_is_numpy_type(const jc_numpy_types *np, PyTypeObject *type)
{
    return type == np->ndarray || type == np->float64 || type == np->float32 ||
           type == np->float16 || type == np->int64 || type == np->int32 || type == np->int16 ||
           type == np->int8 || type == np->uint64 || type == np->uint32 || type == np->uint16 ||
           type == np->uint8 || type == np->bool_ || type == np->datetime64;
}

static item_kind kind_of(char typekind, int itemsize)
{
    switch (typekind) {
    case 'f':
        return itemsize == 8   ? ITEM_F64
               : itemsize == 4 ? ITEM_F32
               : itemsize == 2 ? ITEM_F16
                               : ITEM_UNSUPPORTED;
    case 'i':
        return itemsize == 8   ? ITEM_I64
               : itemsize == 4 ? ITEM_I32
               : itemsize == 2 ? ITEM_I16
               : itemsize == 1 ? ITEM_I8
                               : ITEM_UNSUPPORTED;
    case 'u':
        return itemsize == 8   ? ITEM_U64
               : itemsize == 4 ? ITEM_U32
               : itemsize == 2 ? ITEM_U16
               : itemsize == 1 ? ITEM_U8
                               : ITEM_UNSUPPORTED;
    case 'b': return itemsize == 1 ? ITEM_BOOL : ITEM_UNSUPPORTED;
    case 'M': return itemsize == 8 ? ITEM_DATETIME : ITEM_UNSUPPORTED;
    default: return ITEM_UNSUPPORTED;
    }
}

/* The unit of a datetime64 array or scalar, from its dtype's str ("<M8[ns]",
 * "<M8[10s]"; "<M8" for the generic unit), with the unit's text for a message
 * in `text` (UNIT_TEXT_MAX bytes). The str is numpy's typestr getter, which
 * checks what it allocates (dtype.descr, which wraps it in a list and a
 * tuple, does not in numpy 1.24: a failed request left NULL in the tuple).
 * -1: an error is set. */
static int datetime_unit(jc_types *types, PyObject *obj, char *text)
{
    PyObject *dtype = NULL, *str = NULL;
    const char *s = "", *open = NULL;
    Py_ssize_t len = 0;
    int unit = -1;
    dtype = PyObject_GetAttr(obj, types->s_dtype);
    str = dtype != NULL ? PyObject_GetAttr(dtype, types->s_str) : NULL;
    if (str == NULL)
        goto done;
    if (PyUnicode_Check(str) && (s = PyUnicode_AsUTF8AndSize(str, &len)) == NULL)
        goto done;
    open = memchr(s, '[', (size_t)len);
    if (open == NULL) {
        unit = UNIT_GENERIC;
    } else {
        const char *inner = open + 1;
        size_t n = (size_t)(s + len - inner);
        if (n > 0 && inner[n - 1] == ']')
            n--;
        unit = UNIT_COUNTED;
        for (int u = 0; u < UNIT_GENERIC; u++) {
            if (strlen(unit_codes[u]) == n && memcmp(inner, unit_codes[u], n) == 0)
                unit = u;
        }
        if (unit == UNIT_COUNTED) /* as numpy writes it: "10s", "2D" */
            snprintf(text, UNIT_TEXT_MAX, "%.*s", n < UNIT_TEXT_MAX ? (int)n : UNIT_TEXT_MAX - 1,
                     inner);
    }
    if (unit != UNIT_COUNTED)
        snprintf(text, UNIT_TEXT_MAX, "%s", unit_names[unit]);
done:
    Py_XDECREF(str);
    Py_XDECREF(dtype);
    return unit;
}

/*==============================================================================
 * Items
 *============================================================================*/

/* Days since 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's
 * days_from_civil, inverted). */
static void civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

JC_INLINE int64_t floor_div(int64_t a, int64_t b, int64_t *rem)
{
    int64_t q = a / b, r = a % b;
    if (r < 0) {
        q--;
        r += b;
    }
    *rem = r;
    return q;
}

/* A datetime64 value in `unit` as a datetime's text; -1 with the error
 * recorded when it is NaT or outside the years 1 to 9999. */
static int format_datetime64(jc_encoder *e, int64_t value, int unit, char *out)
{
    int64_t year = 0, days = 0, seconds = 0, micros = 0, rem;
    int month = 1, day = 1;
    bool civil = true;
    /* Scaling by the unit first would overflow the extreme values: NaT
     * (INT64_MIN) and anything beyond ±2^62 seconds is out of range anyway. */
    bool in_range = value > INT64_MIN;
    switch (unit) {
    case UNIT_Y:
        civil = false;
        in_range &= value < 10000;
        year = in_range ? value + 1970 : 0;
        break;
    case UNIT_M:
        year = floor_div(value, 12, &rem) + 1970;
        month = (int)rem + 1;
        civil = false;
        in_range &= value < 120000 && value > -120000;
        break;
    case UNIT_W:
        in_range &= value < 600000 && value > -600000;
        days = in_range ? value * 7 : 0; /* NaT * 7 would overflow */
        break;
    case UNIT_D:
        in_range &= value < 4000000 && value > -4000000;
        days = value;
        break;
    case UNIT_h:
        days = floor_div(value, 24, &rem);
        seconds = rem * 3600;
        break;
    case UNIT_m:
        days = floor_div(value, 1440, &rem);
        seconds = rem * 60;
        break;
    case UNIT_s: days = floor_div(value, 86400, &seconds); break;
    case UNIT_ms: {
        int64_t s = floor_div(value, 1000, &rem);
        micros = rem * 1000;
        days = floor_div(s, 86400, &seconds);
        break;
    }
    case UNIT_us: {
        int64_t s = floor_div(value, 1000000, &micros);
        days = floor_div(s, 86400, &seconds);
        break;
    }
    default: { /* nanoseconds: microseconds written, the rest dropped (as orjson) */
        int64_t s = floor_div(value, 1000000000, &rem);
        micros = rem / 1000;
        days = floor_div(s, 86400, &seconds);
        break;
    }
    }
    if (in_range && civil && days > -4000000 && days < 4000000)
        civil_from_days(days, &year, &month, &day);
    if (!in_range || year < 1 || year > 9999)
        return jc_encode_fail(&e->err, JC_ENCODE_NUMPY, "unrepresentable numpy.datetime64: %lld %s",
                              (long long)value, unit_names[unit]);
    return jc_format_utc_fields(e->opts, (int)year, month, day, (int)(seconds / 3600),
                                (int)(seconds / 60 % 60), (int)(seconds % 60), (int)micros, out);
}

/* float16 to float32, exactly (every float16 is a float32). */
static float widen_half(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1F;
    uint32_t fraction = h & 0x3FF;
    uint32_t bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000 | (fraction << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (fraction << 13);
    } else if (fraction == 0) {
        bits = sign;
    } else { /* subnormal: normalise */
        int shift = 0;
        while (!(fraction & 0x400)) {
            fraction <<= 1;
            shift++;
        }
        bits = sign | ((uint32_t)(113 - shift) << 23) | ((fraction & 0x3FF) << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static int write_float32(jc_encoder *e, float v)
{
    if (jc_unlikely(jc_writer_reserve(&e->out, JC_DOUBLE_REPR_MAX) < 0))
        return jc_encode_fail_python(&e->err);
    if (!isfinite(v)) {
        jc_writer_put_bytes(&e->out, "null", 4);
        return 0;
    }
    e->out.len += jc_write_float32_repr(v, jc_writer_pos(&e->out));
    return 0;
}

static int write_bool(jc_encoder *e, bool v)
{
    return jc_encode_raw(e, v ? "true" : "false", v ? 4 : 5, false);
}

/* One item at p. */
static int write_item(jc_encoder *e, item_kind kind, int unit, const char *p)
{
    int status = 0;
    switch (kind) {
    case ITEM_F64: {
        double v;
        memcpy(&v, p, sizeof v);
        status = write_double(&e->out, v);
        break;
    }
    case ITEM_F32: {
        float v;
        memcpy(&v, p, sizeof v);
        return write_float32(e, v);
    }
    case ITEM_F16: {
        uint16_t v;
        memcpy(&v, p, sizeof v);
        return write_float32(e, widen_half(v));
    }
#define JC_INT_ITEM(KIND, ctype)    \
  case KIND: {                      \
    ctype v;                        \
    memcpy(&v, p, sizeof v);        \
    status = write_i64(&e->out, v); \
    break;                          \
  }
        JC_INT_ITEM(ITEM_I64, int64_t)
        JC_INT_ITEM(ITEM_I32, int32_t)
        JC_INT_ITEM(ITEM_I16, int16_t)
        JC_INT_ITEM(ITEM_I8, int8_t)
        JC_INT_ITEM(ITEM_U32, uint32_t)
        JC_INT_ITEM(ITEM_U16, uint16_t)
        JC_INT_ITEM(ITEM_U8, uint8_t)
#undef JC_INT_ITEM
    case ITEM_U64: {
        uint64_t v;
        memcpy(&v, p, sizeof v);
        status = write_u64_value(&e->out, v);
        break;
    }
    case ITEM_BOOL: return write_bool(e, *p != 0);
    case ITEM_DATETIME: {
        int64_t v;
        memcpy(&v, p, sizeof v);
        char text[JC_DATETIME_MAX];
        int len = format_datetime64(e, v, unit, text);
        return len < 0 ? -1 : jc_encode_raw(e, text, (size_t)len, true);
    }
    case ITEM_UNSUPPORTED: break;
    }
    return status < 0 ? jc_encode_fail_python(&e->err) : 0;
}

/*==============================================================================
 * Arrays
 *============================================================================*/

typedef struct {
    const array_interface *array;
    item_kind kind;
    int unit;
    const char *next; /* the next item, in C order */
} array_walk;

/* The innermost dimension of a compact (not indented) array of n > 0 items
 * of a fixed-size kind: items and commas written in batches with one
 * reservation each, the item writers inlined. Returns the items written (n
 * unless the writer failed, then -1). */
#define JC_BATCH 256
#define JC_DEFINE_FAST_ROW(name, ctype, room, put)                                   \
  static int name(jc_encoder *e, const char *p, Py_intptr_t n)                       \
  {                                                                                  \
    for (Py_intptr_t done = 0; done < n;) {                                          \
      Py_intptr_t batch = n - done < JC_BATCH ? n - done : JC_BATCH;                 \
      if (jc_unlikely(jc_writer_reserve(&e->out, (size_t)batch * ((room) + 1)) < 0)) \
        return -1;                                                                   \
      char *o = jc_writer_pos(&e->out);                                              \
      for (Py_intptr_t i = 0; i < batch; i++, p += sizeof(ctype)) {                  \
        ctype v;                                                                     \
        memcpy(&v, p, sizeof v);                                                     \
        if (done + i != 0)                                                           \
          *o++ = ',';                                                                \
        put;                                                                         \
      }                                                                              \
      e->out.len = (size_t)(o - e->out.data);                                        \
      done += batch;                                                                 \
    }                                                                                \
    return 0;                                                                        \
  }

JC_INLINE char *put_signed(char *o, int64_t v)
{
    uint64_t magnitude = (uint64_t)v;
    if (v < 0) {
        *o++ = '-';
        magnitude = 0 - magnitude;
    }
    return write_u64(o, magnitude);
}

/* int32 (and narrower) items: random data has random signs and a random 9 or
 * 10 digits, so the sign and the leading pair are written without branches. */
JC_INLINE char *put_i32(char *o, int32_t v)
{
    uint32_t magnitude = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    *o = '-';
    o += v < 0;
    if (jc_likely(magnitude >= 100000000)) {
        uint32_t high = magnitude / 100000000, low = magnitude % 100000000;
        const char *pair = jc_digit_pairs + 2 * (size_t)high;
        o[0] = pair[high < 10];
        o[1] = pair[1];
        o += 1 + (high >= 10);
        write_8digits(o, low);
        return o + 8;
    }
    return write_u32_short(o, magnitude);
}

JC_INLINE char *put_double(char *o, double v)
{
    if (jc_unlikely(!isfinite(v))) {
        memcpy(o, "null", 4);
        return o + 4;
    }
    return o + jc_write_double_repr(v, o);
}

JC_INLINE char *put_bool(char *o, uint8_t v)
{
    /* "true" and "false" as one 8-byte store each (room is reserved). */
    jc_store64(o, v ? UINT64_C(0x65757274) : UINT64_C(0x65736c6166));
    return o + (v ? 4 : 5);
}

JC_DEFINE_FAST_ROW(row_f64, double, JC_DOUBLE_REPR_MAX, o = put_double(o, v))
JC_DEFINE_FAST_ROW(row_i64, int64_t, 20, o = put_signed(o, v))
JC_DEFINE_FAST_ROW(row_i32, int32_t, 11, o = put_i32(o, v))
JC_DEFINE_FAST_ROW(row_i16, int16_t, 6, o = put_i32(o, v))
JC_DEFINE_FAST_ROW(row_i8, int8_t, 4, o = put_i32(o, v))
JC_DEFINE_FAST_ROW(row_u64, uint64_t, 20, o = write_u64(o, v))
JC_DEFINE_FAST_ROW(row_u32, uint32_t, 10, o = write_u64(o, v))
JC_DEFINE_FAST_ROW(row_u16, uint16_t, 5, o = write_u64(o, v))
JC_DEFINE_FAST_ROW(row_u8, uint8_t, 3, o = write_u64(o, v))
JC_DEFINE_FAST_ROW(row_bool, uint8_t, 8, o = put_bool(o, v))
#undef JC_DEFINE_FAST_ROW

/* The fast row for a kind, or NULL (float32/16 and datetime64 take the
 * general path). */
static int (*fast_row(item_kind kind))(jc_encoder *, const char *, Py_intptr_t)
{
    switch (kind) {
    case ITEM_F64: return row_f64;
    case ITEM_I64: return row_i64;
    case ITEM_I32: return row_i32;
    case ITEM_I16: return row_i16;
    case ITEM_I8: return row_i8;
    case ITEM_U64: return row_u64;
    case ITEM_U32: return row_u32;
    case ITEM_U16: return row_u16;
    case ITEM_U8: return row_u8;
    case ITEM_BOOL: return row_bool;
    default: return NULL;
    }
}

/* Dimension `dim` and everything inside it, as nested lists. */
static int write_dimension(jc_encoder *e, PyObject *array, array_walk *walk, int dim)
{
    Py_intptr_t n = walk->array->shape[dim];
    if (n == 0)
        return jc_encode_empty(e, '[', ']');
    if (jc_encode_open(e, '[') < 0)
        return -1;
    bool innermost = dim == walk->array->nd - 1;
    int (*row)(jc_encoder *, const char *, Py_intptr_t) = fast_row(walk->kind);
    if (innermost && row != NULL && !(e->opts & JC_OPT_INDENT_2)) {
        if (row(e, walk->next, n) < 0)
            return jc_encode_fail_python(&e->err);
        walk->next += n * walk->array->itemsize;
        return jc_encode_close(e, ']');
    }
    for (Py_intptr_t i = 0; i < n; i++) {
        int status = jc_encode_next(e, i == 0);
        if (status == 0 && innermost) {
            status = write_item(e, walk->kind, walk->unit, walk->next);
            walk->next += walk->array->itemsize;
        } else if (status == 0) {
            status = write_dimension(e, array, walk, dim + 1);
        }
        if (status < 0) {
            e->depth--;
            return jc_encode_note_path(&e->err, array, NULL, i);
        }
    }
    return jc_encode_close(e, ']');
}

/* JC_TYPE_DEFAULT when default is given (and the array goes to it), else the
 * refusal. */
static int unsupported(jc_encoder *e, const char *message)
{
    if (e->default_fn != NULL)
        return JC_TYPE_DEFAULT;
    return jc_encode_fail(&e->err, JC_ENCODE_NUMPY, "%s", message);
}

/* A unit not written: its text as datetime_unit gave it ("picoseconds",
 * "generic", "10s"). */
static int unsupported_unit(jc_encoder *e, const char *unit_text)
{
    if (e->default_fn != NULL)
        return JC_TYPE_DEFAULT;
    return jc_encode_fail(&e->err, JC_ENCODE_NUMPY, "unsupported numpy.datetime64 unit: %s",
                          unit_text);
}

static int encode_array(jc_encoder *e, PyObject *obj)
{
    jc_types *types = e->types;
    PyObject *capsule = PyObject_GetAttr(obj, types->s_array_struct);
    if (capsule == NULL) {
        if (PyErr_ExceptionMatches(PyExc_MemoryError) || !PyErr_ExceptionMatches(PyExc_Exception))
            return jc_encode_fail_python(&e->err);
        PyErr_Clear();
        return jc_encode_fail(&e->err, JC_ENCODE_NUMPY, "numpy array is malformed");
    }
    int status;
    const array_interface *array = PyCapsule_CheckExact(capsule)
                                       ? PyCapsule_GetPointer(capsule, PyCapsule_GetName(capsule))
                                       : NULL;
    if (array == NULL || array->two != 2 || array->nd < 0) {
        PyErr_Clear();
        status = jc_encode_fail(&e->err, JC_ENCODE_NUMPY, "numpy array is malformed");
    } else if (!(array->flags & ARRAY_C_CONTIGUOUS)) {
        status = unsupported(e, "numpy array is not C contiguous; use ndarray.tolist() in default");
    } else if (!(array->flags & ARRAY_NOTSWAPPED)) {
        status = jc_encode_fail(&e->err, JC_ENCODE_NUMPY, "numpy array is not native-endian");
    } else if (array->nd == 0 || kind_of(array->typekind, array->itemsize) == ITEM_UNSUPPORTED) {
        status = unsupported(e, "unsupported datatype in numpy array");
    } else {
        array_walk walk = {array, kind_of(array->typekind, array->itemsize), UNIT_NONE,
                           array->data};
        char unit_text[UNIT_TEXT_MAX] = "";
        if (walk.kind == ITEM_DATETIME)
            walk.unit = datetime_unit(types, obj, unit_text);
        if (walk.unit < 0)
            status = jc_encode_fail_python(&e->err);
        else if (walk.kind == ITEM_DATETIME && walk.unit >= UNIT_NONE)
            status = unsupported_unit(e, unit_text);
        else
            status = write_dimension(e, obj, &walk, 0);
    }
    Py_DECREF(capsule);
    return status;
}

/*==============================================================================
 * Scalars
 *============================================================================*/

static int encode_scalar(jc_encoder *e, PyObject *obj, const jc_numpy_types *np)
{
    PyTypeObject *type = Py_TYPE(obj);
    if (type == np->float64) /* a float subclass */
        return write_double(&e->out, PyFloat_AS_DOUBLE(obj)) < 0 ? jc_encode_fail_python(&e->err)
                                                                 : 0;
    item_kind kind = type == np->float32      ? ITEM_F32
                     : type == np->float16    ? ITEM_F16
                     : type == np->int64      ? ITEM_I64
                     : type == np->int32      ? ITEM_I32
                     : type == np->int16      ? ITEM_I16
                     : type == np->int8       ? ITEM_I8
                     : type == np->uint64     ? ITEM_U64
                     : type == np->uint32     ? ITEM_U32
                     : type == np->uint16     ? ITEM_U16
                     : type == np->uint8      ? ITEM_U8
                     : type == np->bool_      ? ITEM_BOOL
                     : type == np->datetime64 ? ITEM_DATETIME
                                              : ITEM_UNSUPPORTED;
    static const int sizes[] = {8, 4, 2, 8, 4, 2, 1, 8, 4, 2, 1, 1, 8, 0};
    int unit = UNIT_NONE;
    if (kind == ITEM_DATETIME) {
        char unit_text[UNIT_TEXT_MAX] = "";
        unit = datetime_unit(e->types, obj, unit_text);
        if (unit < 0)
            return jc_encode_fail_python(&e->err);
        if (unit >= UNIT_NONE)
            return unsupported_unit(e, unit_text);
    }
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0)
        return jc_encode_fail_python(&e->err);
    int status;
    if (view.len != sizes[kind])
        status = jc_encode_fail(&e->err, JC_ENCODE_NUMPY, "numpy scalar is malformed");
    else
        status = write_item(e, kind, unit, view.buf);
    PyBuffer_Release(&view);
    return status;
}

int jc_encode_numpy(jc_encoder *e, PyObject *obj, const jc_numpy_types *np)
{
    /* No Python code runs while an array's data is read; the object is held
     * all the same, as the caller may have borrowed it. */
    Py_INCREF(obj);
    int status = Py_TYPE(obj) == np->ndarray ? encode_array(e, obj) : encode_scalar(e, obj, np);
    Py_DECREF(obj);
    return status;
}
