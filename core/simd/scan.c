/* Run-time choice of the string scanner, made once per process. */
#include "simd/scan.h"

#include <pthread.h>

#if JC_HAVE_SSE2
jc_scan_fn jc_scan_string_long = jc_scan_string_sse2;
static const char *selected = "sse2";
#else
jc_scan_fn jc_scan_string_long = jc_scan_string_scalar;
static const char *selected = "scalar";
#endif

/* Once per process (pthread_once): the pointer is shared by every interpreter,
 * including those with their own GIL importing at the same time. The widest
 * kernel here is AVX2 (JCODEC_ISA=avx512 runs it too). */
static void choose_scanner(void)
{
#if JC_HAVE_SSE2
    switch (jc_isa_wanted()) {
    case JC_ISA_SCALAR:
        jc_scan_string_long = jc_scan_string_scalar;
        selected = "scalar";
        break;
    case JC_ISA_SSE2:
        jc_scan_string_long = jc_scan_string_sse2;
        selected = "sse2";
        break;
    case JC_ISA_AVX2:
    case JC_ISA_AVX512:
        jc_scan_string_long = jc_scan_string_avx2;
        selected = "avx2";
        break;
    }
#endif
}

const char *jc_scan_select(void)
{
    static pthread_once_t chosen = PTHREAD_ONCE_INIT;
    pthread_once(&chosen, choose_scanner);
    return selected;
}

const char *jc_scan_selected_name(void)
{
    return selected;
}
