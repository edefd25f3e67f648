/* The serializer: Python objects to JSON bytes.
 *
 * One file per concern, in the order an object meets them:
 *   serialize.c    dispatch by exact type pointer (str, int, dict, list, float,
 *                  bool, None, tuple inline); subclasses, non-str keys and
 *                  `default` in one out-of-line function; containers; errors
 *   ser_str.h      str: UCS1/2/4 straight to UTF-8, escaping with SIMD scanning
 *   ser_number.h   int (any size) and float (shortest round trip, as repr)
 *   writer.h       the output bytes object, grown in place
 * Errors are recorded as {code, msg, path, cause} in jc_encode_error and raised
 * once, by dumps.c, with the path of the offending value ("at $.users[3].id"). */
#ifndef JC_SERIALIZE_H
#define JC_SERIALIZE_H

#include <Python.h>
#include <stdint.h>

#include "writer.h"

/* orjson 3.8.3's option names and bit values (X(name, bit, built)): `built` is
 * 0 for options whose feature jcodec does not have yet; dumps refuses them by
 * name instead of ignoring them. */
#define JC_OPTIONS(X)                \
  X(INDENT_2, 1 << 0, 1)             \
  X(NAIVE_UTC, 1 << 1, 0)            \
  X(NON_STR_KEYS, 1 << 2, 1)         \
  X(OMIT_MICROSECONDS, 1 << 3, 0)    \
  X(SERIALIZE_NUMPY, 1 << 4, 0)      \
  X(SORT_KEYS, 1 << 5, 1)            \
  X(STRICT_INTEGER, 1 << 6, 1)       \
  X(UTC_Z, 1 << 7, 0)                \
  X(PASSTHROUGH_SUBCLASS, 1 << 8, 1) \
  X(PASSTHROUGH_DATETIME, 1 << 9, 0) \
  X(APPEND_NEWLINE, 1 << 10, 1)      \
  X(PASSTHROUGH_DATACLASS, 1 << 11, 0)

enum {
#define JC_OPTION_ENUM(name, bit, built) JC_OPT_##name = (bit),
    JC_OPTIONS(JC_OPTION_ENUM)
#undef JC_OPTION_ENUM
        JC_OPT_ALL = (1 << 12) - 1,
};

/* orjson's recursion limits, as the project specifies them: containers nested
 * deeper than this, or `default` calls nested deeper, are refused. */
#define JC_ENCODE_MAX_DEPTH         254
#define JC_ENCODE_MAX_DEFAULT_DEPTH 254
/* Path segments kept for an error message (the innermost ones). */
#define JC_ENCODE_MAX_PATH (JC_ENCODE_MAX_DEPTH + 2)

#define JC_ENCODE_ERRORS(X)                                            \
  X(OK, "no error")                                                    \
  X(PYTHON, "a Python exception is set (MemoryError and the like)")    \
  X(UNSUPPORTED_TYPE, "no serializer for the type and no default")     \
  X(DEFAULT_RAISED, "default raised an exception (kept as __cause__)") \
  X(DEFAULT_DEPTH, "default calls nested too deep")                    \
  X(KEY_NOT_STR, "a dict key is not str and OPT_NON_STR_KEYS is off")  \
  X(KEY_TYPE, "a dict key type OPT_NON_STR_KEYS cannot convert")       \
  X(INT_RANGE, "an int beyond 53 bits with OPT_STRICT_INTEGER")        \
  X(INT_DIGITS, "an int beyond sys.get_int_max_str_digits()")          \
  X(SURROGATE, "a str holding a lone surrogate")                       \
  X(DEPTH, "containers nested deeper than JC_ENCODE_MAX_DEPTH")        \
  X(CIRCULAR, "a container that contains itself")                      \
  X(DICT_CHANGED, "a dict changed size while it was being serialized")

typedef enum jc_encode_code {
#define JC_ENCODE_ENUM(name, what) JC_ENCODE_##name,
    JC_ENCODE_ERRORS(JC_ENCODE_ENUM)
#undef JC_ENCODE_ENUM
} jc_encode_code;

/* One step of the path to the offending value, innermost first. */
typedef struct jc_path_segment {
    PyObject *container; /* strong reference; identifies cycles */
    PyObject *key;       /* strong reference for dict members, else NULL */
    Py_ssize_t index;    /* for list and tuple items */
} jc_path_segment;

typedef struct jc_encode_error {
    jc_encode_code code;
    char msg[160];
    PyObject *cause; /* exception raised by default or a conversion */
    size_t path_len;
    /* JC_ENCODE_MAX_PATH segments, allocated by the first one recorded: the
     * encoder lives on the C stack of every (re-entrant) dumps call, so it
     * stays small. */
    jc_path_segment *path;
} jc_encode_error;

typedef struct jc_encoder {
    jc_writer out;
    uint32_t opts;
    PyObject *default_fn; /* borrowed; NULL when not given */
    int depth;
    int default_depth;
    const char *stack_floor; /* stack_guard.h; NULL: unknown */
    jc_encode_error err;
} jc_encoder;

/* Serializes obj into a new bytes object, or returns NULL with e->err filled in
 * (a Python exception is set only when e->err.code is JC_ENCODE_PYTHON). The
 * caller initialises opts, default_fn and stack_floor, and calls
 * jc_encode_error_clear. */
PyObject *jc_serialize(jc_encoder *e, PyObject *obj);

/* Releases the references an error record holds. */
void jc_encode_error_clear(jc_encode_error *err);

/* "$.users[3].id": the record's path, outermost first (NULL on failure). */
PyObject *jc_encode_error_path(const jc_encode_error *err);

const char *jc_encode_code_name(jc_encode_code code);

#endif /* JC_SERIALIZE_H */
