/* String scanning: find the first byte of a JSON string body that the fast path
 * cannot copy as is: '"', '\\', a control byte (< 0x20) or a non-ASCII byte (>= 0x80).
 *
 * SSE2 is the x86-64 baseline and is inlined for the first 16 bytes, which covers
 * most object keys without a call. Longer strings continue in the widest
 * implementation the CPU has, chosen once at import (jc_scan_select) into a
 * function pointer. Other architectures use the portable scalar code. Every
 * implementation returns the same pointer for the same input; fuzz/ checks that. */
#ifndef JC_SCAN_H
#define JC_SCAN_H

#include "char_tables.h"
#include "compiler.h"

#if JC_HAVE_SSE2
#  include <emmintrin.h>
#endif

typedef const uint8_t *(*jc_scan_fn)(const uint8_t *p, const uint8_t *end);

/* Implementations, each in its own file. Return `end` when no byte qualifies. */
const uint8_t *jc_scan_string_scalar(const uint8_t *p, const uint8_t *end);
#if JC_HAVE_SSE2
const uint8_t *jc_scan_string_sse2(const uint8_t *p, const uint8_t *end);
const uint8_t *jc_scan_string_avx2(const uint8_t *p, const uint8_t *end);
#endif

/* The implementation used past the first 16 bytes; set by jc_scan_select. */
extern jc_scan_fn jc_scan_string_long;

/* Picks the implementation for this CPU; "avx2", "sse2" or "scalar" is returned
 * for reporting. JCODEC_ISA=scalar|sse2|avx2 in the environment forces a choice
 * (for tests and benchmarks); a forced ISA the CPU lacks is ignored. */
const char *jc_scan_select(void);
const char *jc_scan_selected_name(void);
/* Whether the running CPU supports AVX2 (tests skip the AVX2 comparison if not). */
int jc_cpu_has_avx2(void);

/* SWAR (eight bytes in a uint64_t): the high bit of each byte of the result is
 * set where the byte of x is '"', '\\', < 0x20 or >= 0x80, with no false
 * positives (every test is exact per byte, no carries between bytes). */
#define JC_SWAR_ONES  UINT64_C(0x0101010101010101)
#define JC_SWAR_HIGHS UINT64_C(0x8080808080808080)

JC_INLINE uint64_t jc_swar_equal(uint64_t x, uint64_t pattern)
{
    uint64_t y = x ^ pattern;
    return ~(((y & ~JC_SWAR_HIGHS) + ~JC_SWAR_HIGHS) | y) & JC_SWAR_HIGHS;
}

JC_INLINE uint64_t jc_swar_special(uint64_t x)
{
    /* (x & 0x7F) + 0x60 reaches the high bit exactly when the low seven bits
     * are >= 0x20; bytes with the high bit set are flagged by x itself. */
    uint64_t below_space =
        ~((x & ~JC_SWAR_HIGHS) + (~JC_SWAR_HIGHS - JC_SWAR_ONES * 0x1F)) & ~x & JC_SWAR_HIGHS;
    return below_space | (x & JC_SWAR_HIGHS) | jc_swar_equal(x, JC_SWAR_ONES * '"') |
           jc_swar_equal(x, JC_SWAR_ONES * '\\');
}

#if JC_HAVE_SSE2
/* Bit i of the result is set when byte i of v is '"', '\\', < 0x20 or >= 0x80. */
JC_INLINE unsigned jc_sse2_special_mask(__m128i v)
{
    /* Signed compare: bytes >= 0x80 are negative, so one compare catches both
     * control bytes and non-ASCII bytes. */
    __m128i below_space = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(below_space, quote), backslash));
}
#endif

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

#endif /* JC_SCAN_H */
