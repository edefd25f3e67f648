/* Run-time choice of the string scanner, made once per process. */
#include "simd/scan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if JC_HAVE_SSE2
jc_scan_fn jc_scan_string_long = jc_scan_string_sse2;
static const char *selected = "sse2";
#else
jc_scan_fn jc_scan_string_long = jc_scan_string_scalar;
static const char *selected = "scalar";
#endif

int jc_cpu_has_avx2(void)
{
#if JC_HAVE_SSE2
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}

/* Once per process (pthread_once): the pointer is shared by every interpreter,
 * including those with their own GIL importing at the same time. */
static void choose_scanner(void)
{
    const char *forced = getenv("JCODEC_ISA");
    int avx2 = jc_cpu_has_avx2();
#if JC_HAVE_SSE2
    if (forced != NULL && strcmp(forced, "scalar") == 0) {
        jc_scan_string_long = jc_scan_string_scalar;
        selected = "scalar";
    } else if ((forced != NULL && strcmp(forced, "sse2") == 0) || !avx2) {
        jc_scan_string_long = jc_scan_string_sse2;
        selected = "sse2";
    } else {
        jc_scan_string_long = jc_scan_string_avx2;
        selected = "avx2";
    }
#else
    (void)forced;
    (void)avx2;
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
