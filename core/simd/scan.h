/* String scanning, the dispatch: which kernel (kernels.h) runs, chosen once
 * at import into a function pointer, and the inline entry the decoder calls
 * per string.
 *
 * SSE2 is the x86-64 baseline and is inlined for the first 16 bytes, which
 * covers most object keys without a call. Longer strings continue in the
 * widest kernel the CPU has. Other architectures use the portable scalar
 * kernel. */
#ifndef JC_SIMD_SCAN_H
#define JC_SIMD_SCAN_H

#include "simd/cpu.h"
#include "simd/kernels.h"

typedef const uint8_t *(*jc_scan_fn)(const uint8_t *p, const uint8_t *end);

/* The kernel used past the first 16 bytes; set by jc_scan_select. */
extern jc_scan_fn jc_scan_string_long;

/* Picks the kernel for this CPU, once per process (later calls return the
 * first choice); "avx2", "sse2" or "scalar" is returned for reporting.
 * JCODEC_ISA=scalar|sse2|avx2|avx512 in the environment forces a choice (for
 * tests and benchmarks; avx512 scans with AVX2, the widest scanner); a forced
 * ISA the CPU lacks is ignored (cpu.h). */
const char *jc_scan_select(void);
const char *jc_scan_selected_name(void);

/* Inline: the decoder's per-string entry (decode/str.h). */
JC_INLINE const uint8_t *jc_scan_string(const uint8_t *p, const uint8_t *end)
{
#if JC_HAVE_SSE2
    if (jc_likely(end - p >= 16)) {
        unsigned mask = jc_sse2_special_mask(_mm_loadu_si128((const __m128i *)p));
        if (jc_likely(mask != 0))
            return p + jc_ctz32(mask);
        return jc_scan_string_long(p + 16, end);
    }
#endif
    return jc_scan_string_scalar(p, end);
}

/* The next '"' or '\\' at or after p, or end: finds where a string with escapes
 * or non-ASCII bytes closes, without looking at anything else. */
JC_INLINE const uint8_t *jc_find_quote_or_backslash(const uint8_t *p, const uint8_t *end)
{
#if JC_HAVE_SSE2
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)p);
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
        if (mask != 0)
            return p + jc_ctz32(mask);
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\\')
        p++;
    return p;
}

#endif /* JC_SIMD_SCAN_H */
