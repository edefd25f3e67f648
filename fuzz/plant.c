/* Planted bugs, compiled only into the special fuzz builds that prove the
 * harness finds them (JCODEC_FUZZ_PLANT=leak|overflow in fuzz/CMakeLists.txt;
 * `bash fuzz/run.sh --plant leak`). Never part of the product or of a normal
 * fuzz build.
 *
 * The plants need no hook in core/: the build links with -Wl,--wrap=SYMBOL,
 * which sends the core's calls of SYMBOL from other object files to
 * __wrap_SYMBOL (here) and makes __real_SYMBOL the original. Each wrapper
 * behaves exactly like the original except on one rare input, which the
 * fuzzer has to find:
 *   leak      jc_keycache_insert_ascii (the key cache's miss path: a new
 *             str for a plain ASCII object key, stored in the cache) takes
 *             one reference too many for a key of two or more bytes starting
 *             with 'L' (no seed has one): a missing Py_DECREF. While the key
 *             stays cached the cache's slot still points to it; once another
 *             key evicts it (or the cache is cleared) the str is unreachable
 *             and never freed, which only LeakSanitizer can see;
 *   overflow  jc_realloc hands the parser's NUL-terminated text copy one byte
 *             less than asked when the size is a multiple of 16 below 256 (a
 *             missing "+ 1"): writing the NUL overruns the block by one byte,
 *             which only ASan on malloc-backed PyMem blocks can see. */
#include <Python.h>

#include <stdint.h>

#include "decode/keycache.h"

#ifdef JCODEC_FUZZ_PLANT_LEAK
PyObject *__real_jc_keycache_insert_ascii(jc_keycache *cache, const uint8_t *text, size_t len,
                                          uint64_t hash);
PyObject *__wrap_jc_keycache_insert_ascii(jc_keycache *cache, const uint8_t *text, size_t len,
                                          uint64_t hash);

PyObject *__wrap_jc_keycache_insert_ascii(jc_keycache *cache, const uint8_t *text, size_t len,
                                          uint64_t hash)
{
    PyObject *key = __real_jc_keycache_insert_ascii(cache, text, len, hash);
    if (key != NULL && len >= 2 && text[0] == 'L')
        Py_INCREF(key); /* PLANTED LEAK */
    return key;
}
#endif

#ifdef JCODEC_FUZZ_PLANT_OVERFLOW
void *__real_jc_realloc(void *block, size_t old_size, size_t new_size);
void *__wrap_jc_realloc(void *block, size_t old_size, size_t new_size);

void *__wrap_jc_realloc(void *block, size_t old_size, size_t new_size)
{
    if (new_size > 0 && new_size < 256 && new_size % 16 == 0)
        new_size--; /* PLANTED OFF-BY-ONE */
    return __real_jc_realloc(block, old_size, new_size);
}
#endif
