/* Files, streams and JSON Lines (README, "Files and streams", "JSON Lines"):
 * the entry points module.c registers, and what their files share.
 *
 *   encode_stream.c  the encoder compiled a second time, with safe points
 *                    where the output so far goes to fp.write() (encoder.c)
 *   dump.c           dump(), dumps_lines(), dump_lines()
 *   load.c           load()
 *   lines.c          the line reader over a buffer or a file object,
 *                    loads_lines(), iter_lines() and its iterator type, and
 *                    JSONDecodeError for a line of a stream
 *   fileobj.c        arguments, file objects (binary or not), module set-up
 *
 * Every buffer is the allocator layer's (jc_malloc) or a Python object, so
 * tracemalloc sees it and fault injection can fail it. */
#ifndef JC_STREAM_STREAM_H
#define JC_STREAM_STREAM_H

#include "compat.h"
#include <stdbool.h>

#include "encode/encoder.h"
#include "module.h"

/*==============================================================================
 * Entry points (module.c)
 *============================================================================*/

/* dump(obj, fp, /, default=None, option=None) */
PyObject *jc_dump(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);
/* dumps_lines(iterable, /, default=None, option=None) */
PyObject *jc_dumps_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kwnames);
/* dump_lines(iterable, fp, /, default=None, option=None) */
PyObject *jc_dump_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames);
/* load(fp, /) */
PyObject *jc_load(PyObject *module, PyObject *fp);
/* loads_lines(data, /) */
PyObject *jc_loads_lines(PyObject *module, PyObject *data);
/* iter_lines(fp, /, chunk_size=65536) */
PyObject *jc_iter_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames);

/* At import: the iterator type of iter_lines (st->LinesIterator), and
 * JSONDecodeError.__reduce__, which keeps a line error's stream position
 * through pickling. -1 with an exception set. */
int jc_stream_init(PyObject *module, jc_module_state *st);

/*==============================================================================
 * Shared by the stream files
 *============================================================================*/

/* The chunk dump and dump_lines hand to fp.write(), and the default chunk
 * iter_lines reads: large enough that a call per chunk costs nothing next to
 * encoding or parsing it, small enough to stay in L2. */
#define JC_STREAM_CHUNK ((size_t)64 * 1024)

/* Arguments of the form (positional..., default=None, option=None) and the
 * like, parsed by hand as dumps parses its own: `positional` leading
 * arguments are required and positional-only; the names that follow may be
 * given by position or keyword. out[] receives borrowed references, NULL for
 * what was not given. -1 with TypeError set. */
int jc_stream_parse_args(const char *function, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kwnames, int positional, const char *const *names,
                         PyObject **out);

/* fp's bound method `name` ("write" or "read") for a binary file object, a
 * new reference; TypeError naming `function` for a text file (an instance of
 * io.TextIOBase) or an object without the method. */
PyObject *jc_stream_binary_method(const char *function, PyObject *fp, const char *name);

/* The encoder of dump and dump_lines (encode_stream.c): jc_encoder first, so
 * a pointer to one is a pointer to the other. The output goes to `write` a
 * chunk at a time, at the encoder's safe points. */
typedef struct jc_stream_encoder {
    jc_encoder e;
    PyObject *write;  /* fp.write, borrowed from the caller */
    const char *what; /* "dump" or "dump_lines", for the text-file error */
    size_t flushed;   /* bytes handed to write() so far */
    uint64_t chunks;  /* write() calls so far: Python code that may have run */
} jc_stream_encoder;

/* Opens the stream encoder's writer (its settings and error record set up
 * with jc_encoder_setup). -1 with the error recorded in e.err. */
int jc_stream_open(jc_stream_encoder *s);
/* One value at the encoder's depth 0 (dump's object, a line of dump_lines),
 * its output flushed at safe points as the chunk fills. 0, or -1 with the
 * error recorded in s->e.err (JC_ENCODE_PYTHON when write() raised). */
int jc_stream_encode(jc_stream_encoder *s, PyObject *obj);
/* Between two top-level values: a safe point of its own. */
int jc_stream_safe_point(jc_stream_encoder *s);
/* Hands what is left to write() and releases the writer (also after a
 * failure, when it only releases). 0, or -1 with the error recorded. */
int jc_stream_close(jc_stream_encoder *s, bool flush);

#endif /* JC_STREAM_STREAM_H */
