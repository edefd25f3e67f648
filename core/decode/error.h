/* Decoder errors: what went wrong and where, recorded as data by the stages
 * and raised as JSONDecodeError at one exit (loads.c).
 *
 * A stage that meets bad input records {pos, code, msg} and returns NULL up
 * the pipeline; no stage touches Python's error state for bad input. Only
 * JC_PARSE_PYTHON means a Python exception (MemoryError and the like) is
 * already set. Every function here is cold: it runs once per failed call. */
#ifndef JC_DECODE_ERROR_H
#define JC_DECODE_ERROR_H

#include "compat.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler.h"
#include "module.h"

#define JC_PARSE_ERRORS(X)                                                     \
  X(OK, "no error")                                                            \
  X(PYTHON, "a Python exception is set (MemoryError and the like)")            \
  X(EMPTY, "the document is empty")                                            \
  X(BOM, "a byte order mark starts the document")                              \
  X(UNEXPECTED, "a character or the end of data where something else must be") \
  X(TRAILING_COMMA, "a comma before ']' or '}'")                               \
  X(EXTRA_DATA, "data after the document's value")                             \
  X(DEPTH, "nesting deeper than JC_PARSE_MAX_DEPTH")                           \
  X(LITERAL, "a misspelt true/false/null, or NaN/Infinity")                    \
  X(NUMBER, "a number that breaks the grammar (leading zero, missing digits)") \
  X(NUMBER_RANGE, "a float literal beyond the double range")                   \
  X(INT_DIGITS, "an integer longer than sys.get_int_max_str_digits()")         \
  X(UNTERMINATED_STRING, "a string without its closing quote")                 \
  X(CONTROL_CHARACTER, "an unescaped control character in a string")           \
  X(ESCAPE, "an invalid escape sequence")                                      \
  X(SURROGATE, "a \\u escape for a lone surrogate")                            \
  X(UTF8, "invalid UTF-8")

typedef enum jc_parse_code {
#define JC_PARSE_ENUM(name, what) JC_PARSE_##name,
    JC_PARSE_ERRORS(JC_PARSE_ENUM)
#undef JC_PARSE_ENUM
} jc_parse_code;

typedef struct jc_parse_error {
    size_t pos; /* byte offset of the offending character */
    jc_parse_code code;
    char msg[200];
} jc_parse_error;

/* The code's name, e.g. "TRAILING_COMMA", for tests and reports. */
const char *jc_parse_code_name(jc_parse_code code);

/*==============================================================================
 * Recording (the stages)
 *============================================================================*/

typedef struct jc_parser jc_parser; /* decode/state.h */

/* Records `code` at `at` with a printf-style message. */
JC_COLD void jc_parse_fail_at(jc_parser *ps, const uint8_t *at, jc_parse_code code,
                              const char *format, ...) __attribute__((format(printf, 4, 5)));
/* A Python exception (MemoryError, or one converted later) is already set. */
JC_COLD void jc_parse_fail_python(jc_parser *ps, const uint8_t *at);
/* The common syntax error: "expected <expected>, found <the character at at>". */
JC_COLD void jc_parse_fail_expected(jc_parser *ps, const uint8_t *at, const char *expected);
/* The character at `at` for "found ..." messages: a quoted character when it
 * is printable ASCII or a well-formed UTF-8 sequence, "end of data", else the
 * byte in hex. */
JC_COLD void jc_parse_describe(const jc_parser *ps, const uint8_t *at, char *out, size_t size);

/*==============================================================================
 * Raising (loads.c, the one exit)
 *============================================================================*/

/* The document a parse error is reported against. */
typedef struct jc_error_document {
    PyObject *input;     /* what loads was given */
    const uint8_t *data; /* the UTF-8 bytes parsed */
    size_t len;
    bool is_str; /* positions are reported in code points */
} jc_error_document;

/* Raises JSONDecodeError(msg, doc, pos); doc NULL: the input is not a document
 * at all, and doc is "" (as orjson's). Returns NULL. */
JC_COLD PyObject *jc_decode_error_raise(jc_module_state *st, const char *msg, PyObject *doc,
                                        Py_ssize_t pos);
/* A str that PyUnicode_AsUTF8String refused: a UnicodeEncodeError (a lone
 * surrogate, which has no UTF-8 form) becomes JSONDecodeError naming the first
 * one, as loads and loads_lines report it; any other exception is left set. */
JC_COLD void jc_decode_error_unencodable_str(jc_module_state *st, PyObject *input);
/* Code points before byte `pos` of valid UTF-8: positions of str input, which
 * are reported in code points (loads and loads_lines). */
JC_COLD uint64_t jc_decode_code_points_before(const uint8_t *data, size_t pos);
/* JSONDecodeError(msg, doc, pos) for a recorded error, msg its message decoded
 * from UTF-8 (a cut character replaced): the exception, and in *msg_out (when
 * not NULL) the message str, new references; NULL with the exception set.
 * What loads and loads_lines raise both start here. */
JC_COLD PyObject *jc_parse_error_new(jc_module_state *st, const jc_parse_error *err, PyObject *doc,
                                     uint64_t pos, PyObject **msg_out);
/* Raises the recorded error (unless it is JC_PARSE_PYTHON, already set), with
 * the position in bytes, or in code points for str input. Returns NULL. */
JC_COLD PyObject *jc_parse_error_raise(jc_module_state *st, const jc_error_document *doc,
                                       const jc_parse_error *err);

/* JSONDecodeError.__init__(self, msg, doc, pos), bound as an instance method:
 * json's, which computes line and column with str methods, and for a bytes
 * document (positions in bytes) the same computed here, with "byte" instead
 * of "char" in the message. */
PyObject *jc_decode_error_init(PyObject *module, PyObject *const *args, Py_ssize_t nargs);

#endif /* JC_DECODE_ERROR_H */
