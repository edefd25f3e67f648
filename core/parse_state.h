/* Parser state shared by the stages (parse.c, parse_string.h, parse_number.h):
 * the input, the value stack, scratch buffers and error recording. Internal to
 * the parser. */
#ifndef JC_PARSE_STATE_H
#define JC_PARSE_STATE_H

#include <Python.h>
#include <stdarg.h>
#include <stdbool.h>

#include "alloc.h"
#include "compiler.h"
#include "keycache.h"
#include "parse.h"

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

typedef struct jc_parser {
    const uint8_t *start;
    const uint8_t *end; /* *end == 0, the sentinel */
    jc_keycache *keys;
    jc_parse_error *err;

    PyObject **values;
    size_t values_len;
    size_t values_cap;
    size_t values_flushed;     /* values moved into unfinished containers so far */
    struct frame *partial_top; /* the innermost open container flushed into */

    uint32_t *code_points; /* string decoding scratch */
    size_t code_points_cap;
    char *text; /* NUL-terminated copies for CPython's converters */
    size_t text_cap;
    PyObject *long_keys; /* str -> str memo for keys over the cache's limit */

    PyObject *inline_values[JC_INLINE_STACK];
} jc_parser;

/*==============================================================================
 * Errors: recorded once, raised by the caller
 *============================================================================*/

JC_COLD static void fail_at(jc_parser *ps, const uint8_t *at, jc_parse_code code,
                            const char *format, ...) __attribute__((format(printf, 4, 5)));

JC_COLD static void fail_at(jc_parser *ps, const uint8_t *at, jc_parse_code code,
                            const char *format, ...)
{
    ps->err->pos = (size_t)(at - ps->start);
    ps->err->code = code;
    va_list args;
    va_start(args, format);
    vsnprintf(ps->err->msg, sizeof ps->err->msg, format, args);
    va_end(args);
}

/* A Python exception (MemoryError, or one converted later) is already set. */
JC_COLD static void fail_python(jc_parser *ps, const uint8_t *at)
{
    ps->err->pos = (size_t)(at - ps->start);
    ps->err->code = JC_PARSE_PYTHON;
    ps->err->msg[0] = 0;
}

/* Describes the character at `at` for "found ..." messages: a quoted character
 * when it is printable ASCII or a well-formed UTF-8 sequence, else the byte. */
JC_COLD static void describe_character(const jc_parser *ps, const uint8_t *at, char *out,
                                       size_t size)
{
    if (at >= ps->end) {
        snprintf(out, size, "end of data");
        return;
    }
    uint8_t c = *at;
    if (c >= 0x20 && c < 0x7F) {
        snprintf(out, size, c == '\'' ? "\"'\"" : "'%c'", c);
        return;
    }
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (need != 0 && (size_t)(ps->end - at) >= need) {
        bool well_formed = true;
        for (size_t i = 1; i < need; i++)
            well_formed &= (at[i] & 0xC0) == 0x80;
        if (well_formed && c <= 0xF4) {
            snprintf(out, size, "'%.*s'", (int)need, (const char *)at);
            return;
        }
    }
    snprintf(out, size, "byte 0x%02X", c);
}

/* The common syntax error: something other than what the grammar allows here. */
JC_COLD static void fail_expected(jc_parser *ps, const uint8_t *at, const char *expected)
{
    char found[32];
    describe_character(ps, at, found, sizeof found);
    fail_at(ps, at, JC_PARSE_UNEXPECTED, "expected %s, found %s", expected, found);
}

/*==============================================================================
 * Scratch buffers
 *============================================================================*/

JC_COLD static bool grow_code_points(jc_parser *ps, size_t need)
{
    size_t cap = ps->code_points_cap ? ps->code_points_cap : 256;
    while (cap < need)
        cap *= 2;
    uint32_t *grown =
        jc_realloc(ps->code_points, ps->code_points_cap * sizeof(uint32_t), cap * sizeof(uint32_t));
    if (grown == NULL)
        return false;
    ps->code_points = grown;
    ps->code_points_cap = cap;
    return true;
}

/* A NUL-terminated copy of [from, to) for CPython's string converters. */
JC_COLD static const char *copy_text(jc_parser *ps, const uint8_t *from, const uint8_t *to)
{
    size_t len = (size_t)(to - from);
    if (ps->text == NULL || len + 1 > ps->text_cap) {
        char *grown = jc_realloc(ps->text, ps->text_cap, len + 1);
        if (grown == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        ps->text = grown;
        ps->text_cap = len + 1;
    }
    memcpy(ps->text, from, len);
    ps->text[len] = 0;
    return ps->text;
}

#endif /* JC_PARSE_STATE_H */
