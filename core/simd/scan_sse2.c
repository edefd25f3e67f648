/* SSE2 string scanning (the x86-64 baseline), 16 bytes at a time. */
#include "simd/kernels.h"

#if JC_HAVE_SSE2
const uint8_t *jc_scan_string_sse2(const uint8_t *p, const uint8_t *end)
{
    while (end - p >= 16) {
        unsigned mask = jc_sse2_special_mask(_mm_loadu_si128((const __m128i *)p));
        if (mask != 0)
            return p + jc_ctz32(mask);
        p += 16;
    }
    return jc_scan_string_scalar(p, end);
}
#endif
