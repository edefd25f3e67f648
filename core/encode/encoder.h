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

#include <Python.h>
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
    jc_encode_error err;
} jc_encoder;

/* Serializes obj into a new bytes object, or returns NULL with e->err filled in
 * (a Python exception is set only when e->err.code is JC_ENCODE_PYTHON). The
 * caller initialises opts, default_fn, stack_floor and err (jc_encode_error_init),
 * and calls jc_encode_error_clear. */
PyObject *jc_serialize(jc_encoder *e, PyObject *obj);

#endif /* JC_ENCODE_ENCODER_H */
