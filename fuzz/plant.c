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
 *   leak      jc_str_from_ascii takes one reference too many for a string
 *             of two or more bytes starting with 'L' (no seed has one): the
 *             str is never freed (a missing Py_DECREF), which only
 *             LeakSanitizer can see;
 *   overflow  jc_realloc hands the parser's NUL-terminated text copy one byte
 *             less than asked when the size is a multiple of 16 below 256 (a
 *             missing "+ 1"): writing the NUL overruns the block by one byte,
 *             which only ASan on malloc-backed PyMem blocks can see. */
#include <Python.h>

#include <stdint.h>

#ifdef JCODEC_FUZZ_PLANT_LEAK
PyObject *__real_jc_str_from_ascii(const uint8_t *text, size_t len);
PyObject *__wrap_jc_str_from_ascii(const uint8_t *text, size_t len);

PyObject *__wrap_jc_str_from_ascii(const uint8_t *text, size_t len)
{
    PyObject *str = __real_jc_str_from_ascii(text, len);
    if (str != NULL && len >= 2 && text[0] == 'L')
        Py_INCREF(str); /* PLANTED LEAK */
    return str;
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
