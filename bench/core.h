// The C core's headers, for the C++ glue. The measured code is all C: these
// declarations are linked against jcodec_core, the library the module is built
// from, so the benchmarks run exactly what users import.
#ifndef JC_BENCH_CORE_H
#define JC_BENCH_CORE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

extern "C" {
#include "alloc.h"
#include "decode/float_parse.h"
#include "decode/keycache.h"
#include "decode/parse.h"
#include "decode/str.h"
#include "encode/float_print.h"
#include "module.h"
#include "simd/scan.h"
#include "tables/char_tables.h"

// bench/int_print.c: the encoder's integer writer (core/encode/number.h) over
// `count` values, comma separated, into a new bytes object.
PyObject *jc_bench_print_i64s(const int64_t *values, size_t count);
}

#endif  // JC_BENCH_CORE_H
