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

/* What loads' keywords change; all zero is orjson's loads (jc_parse). */
typedef struct jc_parse_options {
    /* decimal.Decimal (borrowed), or NULL: numbers with a fraction or an
     * exponent become Decimal(their text) rather than float; ints stay int. */
    PyObject *decimal;
} jc_parse_options;

/* jc_parse with options. */
PyObject *jc_parse_with(const uint8_t *data, size_t len, jc_keycache *keys,
                        const jc_parse_options *options, jc_parse_error *err);

/* A stream of documents (JSON Lines, core/stream/lines.c): one parser for all
 * of them, whose scratch (value stack, string buffers) is kept from one
 * document to the next, and no key-cache window of its own: the caller opens
 * the stream's (jc_keycache_begin_document, or a saved jc_keycache_window), so
 * the cache's pause policy sees the stream as one document of many small
 * values, not each line as a document of its own. NULL with MemoryError set
 * on failure. */
jc_parser *jc_parser_new(jc_keycache *keys, const jc_parse_options *options);
/* One document, as jc_parse_with (data[len] == 0), in the stream's window. */
PyObject *jc_parser_parse(jc_parser *ps, const uint8_t *data, size_t len, jc_parse_error *err);
void jc_parser_free(jc_parser *ps);

#endif /* JC_DECODE_PARSE_H */
