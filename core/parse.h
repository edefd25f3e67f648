/* The parser: JSON bytes to Python objects in a single pass.
 *
 * The pipeline, one stage per file, in the order a byte meets them:
 *   parse.c          structure: values, arrays, objects, nesting, whitespace
 *   parse_string.h   strings: scanning, escapes, UTF-8 validation, str creation
 *   parse_number.h   numbers: grammar, integers, floats (float_parse.c)
 * Errors are recorded as {pos, code, msg} in jc_parse_error and raised once, by
 * the caller (loads.c), so no stage touches Python's error state for bad input. */
#ifndef JC_PARSE_H
#define JC_PARSE_H

#include <Python.h>
#include <stdint.h>

#include "keycache.h"

/* Deeper nesting is rejected (at any input depth: the parser is iterative). */
#define JC_PARSE_MAX_DEPTH 1024

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

/* Parses data[0, len). data[len] must be readable and hold 0: the parser uses it
 * as a sentinel instead of bounds checks (bytes and str buffers have it; other
 * inputs are copied). Returns a new reference, or NULL with err filled in; when
 * err->code is JC_PARSE_PYTHON a Python exception is set. */
PyObject *jc_parse(const uint8_t *data, size_t len, jc_keycache *keys, jc_parse_error *err);

/* The code's name, e.g. "TRAILING_COMMA", for tests and reports. */
const char *jc_parse_code_name(jc_parse_code code);

#endif /* JC_PARSE_H */
