/* Run-time choice of the str writers (utf8.h), made once per process. */
#include "simd/utf8.h"

#include <pthread.h>

static const jc_utf8_kernels kernels[] = {
    {jc_utf8_ucs1_scalar, jc_utf8_ucs2_scalar, jc_utf8_ucs4_scalar, JC_ISA_SCALAR},
#if JC_HAVE_SSE2
    {jc_utf8_ucs1_sse2, jc_utf8_ucs2_sse2, jc_utf8_ucs4_sse2, JC_ISA_SSE2},
    {jc_utf8_ucs1_avx2, jc_utf8_ucs2_avx2, jc_utf8_ucs4_avx2, JC_ISA_AVX2},
    {jc_utf8_ucs1_avx512, jc_utf8_ucs2_avx512, jc_utf8_ucs4_avx512, JC_ISA_AVX512},
#endif
};

#if JC_HAVE_SSE2
jc_utf8_kernels jc_utf8 = {jc_utf8_ucs1_sse2, jc_utf8_ucs2_sse2, jc_utf8_ucs4_sse2, JC_ISA_SSE2};
#else
jc_utf8_kernels jc_utf8 = {jc_utf8_ucs1_scalar, jc_utf8_ucs2_scalar, jc_utf8_ucs4_scalar,
                           JC_ISA_SCALAR};
#endif

const jc_utf8_kernels *jc_utf8_kernels_for(jc_isa isa)
{
    if (isa > jc_cpu_isa() || (size_t)isa >= sizeof kernels / sizeof kernels[0])
        return NULL;
    return &kernels[isa];
}

/* Once per process (pthread_once): the pointers are shared by every
 * interpreter, including those with their own GIL importing at the same time. */
static void choose_kernels(void)
{
    const jc_utf8_kernels *wanted = jc_utf8_kernels_for(jc_isa_wanted());
    if (wanted != NULL)
        jc_utf8 = *wanted;
}

const char *jc_utf8_select(void)
{
    static pthread_once_t chosen = PTHREAD_ONCE_INIT;
    pthread_once(&chosen, choose_kernels);
    return jc_isa_name(jc_utf8.isa);
}
