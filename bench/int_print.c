/* The encoder's integer writer, reached from the benchmarks. encode/number.h
 * keeps it inline for the encoder, so this file includes it the same way and
 * loops over it: the code measured is the code dumps runs. */
#include "encode/number.h"

PyObject *jc_bench_print_i64s(const int64_t *values, size_t count);

PyObject *jc_bench_print_i64s(const int64_t *values, size_t count)
{
    jc_writer w;
    if (jc_writer_init(&w, count * 21 + 1) < 0)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        if (write_i64(&w, values[i]) < 0)
            return NULL; /* the writer has released its buffer */
        jc_writer_put(&w, ',');
    }
    return jc_writer_finish(&w);
}
