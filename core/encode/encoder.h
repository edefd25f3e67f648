/* The encoder: Python objects to JSON bytes.
 *
 * The pipeline, one file per stage, in the order an object meets them:
 *   dumps.c          arguments and options, and the one exit (errors raised)
 *   encoder.c        dispatch by exact type pointer (str, int, dict, list,
 *                    float, bool, None, tuple inline); containers; subclasses,
 *                    non-str keys and `default` out of line
 *   types/           one file per further type (README, "Types")
 *   str.[ch]         str: UCS1/2/4 straight to UTF-8, escaping with SIMD
 *   number.[ch]      int (any size) and float (float_print.c: shortest round
 *                    trip, as repr)
 *   writer.[ch]      the output bytes object, grown in place
 * Errors are recorded as {code, msg, path, cause} (error.h) and raised once,
 * by dumps.c, with the path of the offending value ("at $.users[3].id"). */
#ifndef JC_ENCODE_ENCODER_H
#define JC_ENCODE_ENCODER_H

#include "compat.h"
#include <stdbool.h>
#include <stdint.h>

#include "encode/error.h"
#include "encode/options.h"
#include "encode/writer.h"

typedef struct jc_encoder {
    jc_writer out;
    uint32_t opts;
    PyObject *default_fn; /* borrowed; NULL when not given */
    int depth;
    int default_depth;
    const char *stack_floor; /* stack_guard.h; NULL: unknown */
    struct jc_types *types;  /* the module's registry (types/registry.h) */
    /* How the type files (types/) write a value of theirs and where they may
     * let Python code run between their members: dumps' buffered writer and
     * no safe point (jc_encoder_setup), or the stream copy's, which hands the
     * output to fp.write() at its safe points (core/stream/encode_stream.c). */
    int (*write_value)(struct jc_encoder *e, PyObject *obj);
    int (*safe_point)(struct jc_encoder *e); /* NULL: none */
    /* Counts the entries into the paths where Python code may run without
     * `default` (the rare types, encode_other; non-str keys): a dict walked
     * through its table re-checks the table after a member only when this
     * moved. Its value is meaningless, its changes are what count. */
    size_t rare_entries;
    jc_encode_error err;
} jc_encoder;

/* Serializes obj into a new bytes object, or returns NULL with e->err filled in
 * (a Python exception is set only when e->err.code is JC_ENCODE_PYTHON). The
 * caller initialises opts, default_fn, stack_floor and err (jc_encode_error_init),
 * and calls jc_encode_error_clear. */
PyObject *jc_serialize(jc_encoder *e, PyObject *obj);

/* dumps.c: opts, default_fn and types from dumps' `default` and `option`
 * arguments, checked as dumps checks them (JSONEncodeError("Invalid opts"),
 * "default must be callable"), and err initialised; -1 with the error set.
 * For the other entry points that take them (core/stream/). */
int jc_encoder_setup(jc_encoder *e, jc_module_state *st, PyObject *default_fn, PyObject *option);

/* For the type files (types/), which write values and containers of their
 * own with the encoder's rules (depth, OPT_INDENT_2, paths). Each returns 0,
 * or -1 with the error recorded. */

/* One value of any type, with e->write_value. */
int jc_encode_value(jc_encoder *e, PyObject *obj);
/* Between two members the caller holds (and whatever it reads next): the
 * stream copy may run fp.write() here; 0, or -1 with the error recorded. */
int jc_encode_safe_point(jc_encoder *e);
/* dumps' value writer (the default write_value): no safe point inside. */
int jc_encode_value_buffered(jc_encoder *e, PyObject *obj);
/* '[' or '{', one level deeper (the depth and the C stack checked). */
int jc_encode_open(jc_encoder *e, char bracket);
/* Before each member: ',' unless first, and OPT_INDENT_2's newline. */
int jc_encode_next(jc_encoder *e, bool first);
/* A str key and its ':' (": " with OPT_INDENT_2). */
int jc_encode_key(jc_encoder *e, PyObject *key);
/* Back one level, OPT_INDENT_2's newline, and the closing bracket. */
int jc_encode_close(jc_encoder *e, char bracket);
/* An empty container: "[]" or "{}", which counts as a level all the same. */
int jc_encode_empty(jc_encoder *e, char open, char close);
/* text[0, len) as it is (already JSON, or text that needs no escaping),
 * in quotes or not. */
int jc_encode_raw(jc_encoder *e, const char *text, size_t len, bool quoted);

#endif /* JC_ENCODE_ENCODER_H */
