/* The parser's state, shared by its stages (parse.c, str.[ch], number.[ch]):
 * the input, the value stack, the scratch buffers. Internal to decode/. */
#ifndef JC_DECODE_STATE_H
#define JC_DECODE_STATE_H

#include "compat.h"
#include <stdbool.h>

#include "alloc.h"
#include "compiler.h"
#include "decode/dict_shape.h"
#include "decode/error.h"
#include "decode/keycache.h"

/* Values of unfinished containers wait here; a container is built once, at its
 * final size, when it closes (unless it is flushed into, below). Small
 * documents never leave the inline array. */
#define JC_INLINE_STACK 128

/* The stack is bounded, so that a large container needs no scratch in
 * proportion to itself: it grows (doubling) up to a window of JC_STACK_WINDOW
 * values, or of 1/JC_STACK_SHARE of the values flushed so far when that is
 * more. Full at its window, it is flushed instead: the pending values of every
 * open container move into the container, built so far (parse.c). Each value
 * moved takes at least a pointer in the result, so the stack stays within
 * 32 KiB or 1/32 of the result; and as the window grows with what was moved,
 * a flush moves at least 1/43 more than all before it, so there are O(log n)
 * flushes and a list's exact-size item array is reallocated O(log n) times. */
#define JC_STACK_WINDOW 4096
#define JC_STACK_SHARE  32

struct jc_frame; /* an open container (parse.c) */

struct jc_parser {
    const uint8_t *start;
    const uint8_t *end; /* *end == 0, the sentinel */
    jc_keycache *keys;
    jc_parse_error *err;
    PyObject *decimal; /* decimal.Decimal (borrowed) for loads(decimal=True), else NULL */

    PyObject **values;
    size_t values_len;
    size_t values_cap;
    size_t values_flushed;        /* values moved into unfinished containers so far */
    struct jc_frame *partial_top; /* the innermost open container flushed into */

    uint32_t *code_points; /* string decoding scratch */
    size_t code_points_cap;
    char *text; /* NUL-terminated copies for CPython's converters */
    size_t text_cap;
    PyObject *long_keys;   /* str -> str memo for keys over the cache's limit */
    jc_dict_shapes shapes; /* the last object per sequence of keys (dict_shape.h) */

    PyObject *inline_values[JC_INLINE_STACK];
};

/* Grows the string scratch to at least `need` units; false on failure
 * (nothing set: the caller raises MemoryError). */
JC_COLD bool jc_parser_grow_code_points(jc_parser *ps, size_t need);

/* A NUL-terminated copy of [from, to) for CPython's string converters, in
 * scratch reused across calls; NULL with MemoryError set on failure. */
JC_COLD const char *jc_parser_copy_text(jc_parser *ps, const uint8_t *from, const uint8_t *to);

#endif /* JC_DECODE_STATE_H */
