/* Encoder errors: what went wrong and where, recorded as data while the
 * encoder unwinds, and raised as JSONEncodeError at one exit (dumps.c).
 *
 * A failing step records {code, msg, cause} and returns -1; each container it
 * unwinds through adds a path segment, so the message names the offending
 * value ("at $.users[3].id"). JC_ENCODE_PYTHON means a Python exception
 * (MemoryError, RecursionError, an interrupt) is set and propagates as it
 * is. Whatever allocation fails while an error is recorded or raised, the
 * caller gets MemoryError. Every function here is cold. */
#ifndef JC_ENCODE_ERROR_H
#define JC_ENCODE_ERROR_H

#include "compat.h"
#include <stddef.h>

#include "compiler.h"
#include "encode/options.h"
#include "module.h"

/* Path segments kept for an error message (the innermost ones). */
#define JC_ENCODE_MAX_PATH (JC_ENCODE_MAX_DEPTH + 2)

#define JC_ENCODE_ERRORS(X)                                                  \
  X(OK, "no error")                                                          \
  X(PYTHON, "a Python exception is set (MemoryError and the like)")          \
  X(UNSUPPORTED_TYPE, "no serializer for the type and no default")           \
  X(DEFAULT_RAISED, "default raised an exception (kept as __cause__)")       \
  X(DEFAULT_DEPTH, "default calls nested too deep")                          \
  X(KEY_NOT_STR, "a dict key is not str and OPT_NON_STR_KEYS is off")        \
  X(KEY_TYPE, "a dict key type OPT_NON_STR_KEYS cannot convert")             \
  X(INT_RANGE, "an int beyond 53 bits with OPT_STRICT_INTEGER")              \
  X(INT_DIGITS, "an int beyond sys.get_int_max_str_digits()")                \
  X(SURROGATE, "a str holding a lone surrogate")                             \
  X(DEPTH, "containers nested deeper than JC_ENCODE_MAX_DEPTH")              \
  X(CIRCULAR, "a container that contains itself")                            \
  X(DICT_CHANGED, "a dict changed size while it was being serialized")       \
  X(DATETIME, "a time with a tzinfo, or a datetime without a usable offset") \
  X(ATTRIBUTE, "reading a field of a dataclass, UUID or enum raised")        \
  X(NUMPY, "a numpy array jcodec cannot read (byte order, layout)")          \
  X(FRAGMENT, "a Fragment whose contents are not bytes or UTF-8 str")        \
  X(DECIMAL, "a Decimal that is NaN or infinite (OPT_SERIALIZE_DECIMAL)")

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

/* An empty record. */
void jc_encode_error_init(jc_encode_error *err);
/* Releases the references and the path an error record holds; empty again. */
void jc_encode_error_clear(jc_encode_error *err);

/*==============================================================================
 * Recording (the encoder)
 *============================================================================*/

/* Records `code` with a printf-style message; returns -1. */
JC_COLD int jc_encode_fail(jc_encode_error *err, jc_encode_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* A Python exception (MemoryError and the like) is set; returns -1. */
JC_COLD int jc_encode_fail_python(jc_encode_error *err);
/* The Python exception being raised becomes the record's cause: 0, or -1 when
 * taking it failed for lack of memory (then MemoryError is set and the
 * record is JC_ENCODE_PYTHON: the caller must not record anything else). */
JC_COLD int jc_encode_take_cause(jc_encode_error *err);
/* The Python exception being raised, recorded: MemoryError, RecursionError and
 * what is not an Exception (KeyboardInterrupt, SystemExit) propagate as they
 * are (JC_ENCODE_PYTHON); any other becomes the cause of `code` with the
 * printf-style message. Returns -1. */
JC_COLD int jc_encode_fail_raised(jc_encode_error *err, jc_encode_code code, const char *format,
                                  ...) __attribute__((format(printf, 3, 4)));
/* Called while unwinding out of a container: records where in it the error
 * happened (a dict key, or a sequence index when key is NULL; with index
 * JC_PATH_DELETED_KEY, a dict member whose key Python code deleted while its
 * value was written). Returns -1, so callers can `return jc_encode_note_path(...)`. */
#define JC_PATH_DELETED_KEY ((Py_ssize_t)-1)
JC_COLD int jc_encode_note_path(jc_encode_error *err, PyObject *container, PyObject *key,
                                Py_ssize_t index);
/* After a failed call: a depth error is reclassified as a circular reference
 * when a container on the path is its own ancestor. */
JC_COLD void jc_encode_error_finish(jc_encode_error *err);

/* The type's short name, as orjson reports it ("Decimal", not "decimal.Decimal"). */
const char *jc_type_name(PyObject *obj);

/*==============================================================================
 * Raising (dumps.c, the one exit)
 *============================================================================*/

/* Raises the recorded error as JSONEncodeError with its path and cause; a
 * JC_ENCODE_PYTHON record's exception is already set. */
JC_COLD void jc_encode_error_raise(jc_module_state *st, jc_encode_error *err);

#endif /* JC_ENCODE_ERROR_H */
