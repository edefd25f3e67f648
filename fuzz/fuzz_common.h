/* What every fuzz target shares: the embedded interpreter, the jcodec module
 * handles, failure reporting, strict value comparison and an input cursor.
 *
 * A target is one file with LLVMFuzzerInitialize (calls jc_fuzz_init) and
 * LLVMFuzzerTestOneInput (checks one property). The same object links against
 * libFuzzer, AFL++'s libAFLDriver, or fuzz/replay_main.c. */
#ifndef JC_FUZZ_COMMON_H
#define JC_FUZZ_COMMON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Inputs longer than this are skipped by every target (fuzz/README.md, "Input
 * cap"): large enough for the generated million-'[' seed, small enough that no
 * single input takes more than a fraction of a second. The fuzzing runs pass a
 * much smaller -max_len (the .options files). */
#define JC_FUZZ_MAX_INPUT (1u << 20)

/* The fuzzing engines' entry points (libFuzzer's names, also used by AFL++'s
 * driver and the replay main). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct jc_fuzz_handles {
    PyObject *jcodec;          /* the module, registered with PyImport_AppendInittab */
    PyObject *loads;           /* jcodec.loads */
    PyObject *dumps;           /* jcodec.dumps */
    PyObject *JSONDecodeError; /* jcodec.JSONDecodeError */
    PyObject *JSONEncodeError; /* jcodec.JSONEncodeError */
    PyObject *json_loads;      /* json.loads, the reference decoder */
    PyObject *json_dumps;      /* json.dumps, the reference encoder */
} jc_fuzz_handles;

extern jc_fuzz_handles jc_fuzz;

/* Starts CPython once (idempotent): jcodec in the inittab, signal handlers off,
 * the plain malloc allocator (so ASan sees every PyMem block), a fixed hash
 * seed, and sys.path extended with fuzz/ and tests/python/ (or the directory
 * shipped next to the executable, for OSS-Fuzz). Aborts on failure. */
void jc_fuzz_init(int *argc, char ***argv);

/* LeakSanitizer ignores what this thread allocates between the two calls (no-ops
 * in a build without it). For imports of third-party extension modules
 * (numpy's Cython modules keep objects where LeakSanitizer's scan cannot
 * see them), never around a jcodec call. Nested calls are counted. */
void jc_fuzz_lsan_disable(void);
void jc_fuzz_lsan_enable(void);

/* For the targets that build numpy values (fuzz_dumps, fuzz_alloc_fail):
 * appends the system's packages directory (JCODEC_FUZZ_SYSTEM_PACKAGES, by
 * default /usr/lib/python3/dist-packages, where Debian's python3-numpy,
 * pytz, dateutil and pendulum live) to sys.path, after the interpreter's own
 * paths and the project's, and imports numpy. Returns whether it imported;
 * when it did not (JCODEC_FUZZ_NUMPY=0 leaves it out on purpose), prints one
 * line saying that `target` runs without its numpy part. LeakSanitizer
 * ignores what the import allocates. */
bool jc_fuzz_import_numpy(const char *target);

/* Prints the message and the pending Python exception, if any, then aborts:
 * the fuzzing engine records the input as a crash. */
__attribute__((noreturn, format(printf, 1, 2))) void jc_fuzz_fail(const char *format, ...);

/* For a property's own checking loops (a scan of every cache slot after each
 * operation): their comparisons would only feed the engine the oracle's
 * branches, and the coverage hooks on them cost most of a target's time
 * (fuzz_keycache ran at ~580 exec/s, 70% of it in __sanitizer_cov_trace_cmp
 * inside its slot scan). The code under test stays instrumented. */
#if defined(__clang__)
#  define JC_FUZZ_ORACLE __attribute__((no_sanitize("coverage")))
#else
#  define JC_FUZZ_ORACLE
#endif

#define JC_FUZZ_REQUIRE(cond, ...) \
  do {                             \
    if (!(cond))                   \
      jc_fuzz_fail(__VA_ARGS__);   \
  } while (0)

/* Imports a module or fetches an attribute; aborts when that fails. */
PyObject *jc_fuzz_import(const char *name);
PyObject *jc_fuzz_attr(PyObject *obj, const char *name);

/* The pending exception must be exactly `type` (not a subclass, not another
 * error): returns it (a new reference, error indicator cleared), else aborts
 * naming `call`. */
PyObject *jc_fuzz_take_exception(PyObject *type, const char *call);

/* Clears the pending exception if it is an instance of one of the NULL-ended
 * types and returns true; returns false when nothing is pending; aborts on any
 * other exception. */
bool jc_fuzz_clear_expected(const char *call, ...);

/* Equal values of identical types at every level: floats bit for bit (so -0.0
 * differs from 0.0), dicts with equal keys, in the same order when
 * `dict_order`. Recursive: parsed values nest at most 1024 levels. */
bool jc_fuzz_same(PyObject *a, PyObject *b, bool dict_order);

/* Aborts with both reprs (cut to a readable length) when the values differ. */
void jc_fuzz_require_same(PyObject *a, PyObject *b, bool dict_order, const char *what);

/* repr() of an object, cut to `max` characters, as a C string that lives until
 * the next call (for failure messages). */
const char *jc_fuzz_repr(PyObject *obj, size_t max);

/* Prints the input as a Python bytes literal to stderr (failure context). */
void jc_fuzz_print_input(const uint8_t *data, size_t size);

/* A cursor over the input for targets that decode a structure from it. Reads
 * past the end yield zeros, so every input decodes to something. */
typedef struct jc_fuzz_input {
    const uint8_t *p;
    const uint8_t *end;
} jc_fuzz_input;

static inline size_t jc_fuzz_left(const jc_fuzz_input *in)
{
    return (size_t)(in->end - in->p);
}

static inline uint8_t jc_fuzz_byte(jc_fuzz_input *in)
{
    return in->p < in->end ? *in->p++ : 0;
}

/* n (<= 8) bytes, little-endian. */
static inline uint64_t jc_fuzz_uint(jc_fuzz_input *in, unsigned n)
{
    uint64_t value = 0;
    for (unsigned i = 0; i < n; i++)
        value |= (uint64_t)jc_fuzz_byte(in) << (8 * i);
    return value;
}

/* Up to n bytes from the input (fewer at its end); returns how many. */
static inline size_t jc_fuzz_take(jc_fuzz_input *in, size_t n, const uint8_t **bytes)
{
    size_t left = jc_fuzz_left(in);
    if (n > left)
        n = left;
    *bytes = in->p;
    in->p += n;
    return n;
}

#endif /* JC_FUZZ_COMMON_H */
