/* AVX2 string scanning, 32 bytes at a time. Compiled for AVX2 through the target
 * attribute only, so the rest of the library stays baseline x86-64; it runs only
 * when jc_scan_select found AVX2 on the CPU. */
#include "simd/kernels.h"

#if JC_HAVE_SSE2
#  include <immintrin.h>

__attribute__((target("avx2"))) const uint8_t *jc_scan_string_avx2(const uint8_t *p,
                                                                   const uint8_t *end)
{
    const __m256i fold = _mm256_set1_epi8(JC_QUOTE_FOLD);
    const __m256i limit = _mm256_set1_epi8(0x21);
    const __m256i backslash = _mm256_set1_epi8('\\');
    while (end - p >= 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)p);
        /* controls, '"' and bytes >= 0x80 in one signed compare (kernels.h) */
        __m256i special = _mm256_or_si256(_mm256_cmpgt_epi8(limit, _mm256_xor_si256(v, fold)),
                                          _mm256_cmpeq_epi8(v, backslash));
        unsigned mask = (unsigned)_mm256_movemask_epi8(special);
        if (mask != 0)
            return p + jc_ctz32(mask);
        p += 32;
    }
    return jc_scan_string_sse2(p, end);
}
#endif
