// The C core's headers, for the C++ glue. The measured code is all C: these
// declarations are linked against jcodec_core, the library the module is built
// from, so the benchmarks run exactly what users import.
#ifndef JC_BENCH_CORE_H
#define JC_BENCH_CORE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

extern "C" {
#include "alloc.h"
#include "float_parse.h"
#include "float_print.h"
#include "keycache.h"
#include "module.h"
#include "parse.h"
#include "scan.h"

// bench/int_print.c: the serializer's integer writer (core/ser_number.h) over
// `count` values, comma separated, into a new bytes object.
PyObject *jc_bench_print_i64s(const int64_t *values, size_t count);
}

#endif  // JC_BENCH_CORE_H
