/* The decoder: JSON bytes to Python objects in a single pass.
 *
 * The pipeline, one stage per file, in the order a byte meets them:
 *   loads.c        input types (bytes, str, buffers) and the one exit
 *   parse.c        structure: values, arrays, objects, nesting, whitespace
 *   str.[ch]       strings: scanning, escapes, UTF-8 validation, str creation,
 *                  object keys through the key cache (keycache.[ch], hash.h)
 *   number.[ch]    numbers: grammar, integers, floats (float_parse.c)
 * Errors are recorded as {pos, code, msg} (error.h) and raised once, by
 * loads.c, so no stage touches Python's error state for bad input. */
#ifndef JC_DECODE_PARSE_H
#define JC_DECODE_PARSE_H

#include "compat.h"
#include <stdint.h>

#include "decode/error.h"
#include "decode/keycache.h"

/* Deeper nesting is rejected (at any input depth: the parser is iterative). */
#define JC_PARSE_MAX_DEPTH 1024

/* Parses data[0, len). data[len] must be readable and hold 0: the parser uses it
 * as a sentinel instead of bounds checks (bytes and str buffers have it; other
 * inputs are copied). Returns a new reference, or NULL with err filled in; when
 * err->code is JC_PARSE_PYTHON a Python exception is set. */
PyObject *jc_parse(const uint8_t *data, size_t len, jc_keycache *keys, jc_parse_error *err);

#endif /* JC_DECODE_PARSE_H */
