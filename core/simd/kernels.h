/* String-scanning kernels, one file per instruction set (scan_scalar.c,
 * scan_sse2.c, scan_avx2.c), and the block tests they share with the hot
 * paths of both directions.
 *
 * Every kernel returns the first byte of a JSON string body that the fast
 * path cannot copy as is: '"', '\\', a control byte (< 0x20) or a non-ASCII
 * byte (>= 0x80); `end` when no byte qualifies. Every kernel returns the same
 * pointer for the same input (fuzz/fuzz_scan.c checks that). The block tests
 * are inline because the decoder and encoder run them per string. */
#ifndef JC_SIMD_KERNELS_H
#define JC_SIMD_KERNELS_H

#include "compiler.h"

#if JC_HAVE_SSE2
#  include <emmintrin.h>
#endif

const uint8_t *jc_scan_string_scalar(const uint8_t *p, const uint8_t *end);
#if JC_HAVE_SSE2
const uint8_t *jc_scan_string_sse2(const uint8_t *p, const uint8_t *end);
/* Compiled for AVX2 by a target attribute; call it only when the CPU has it. */
const uint8_t *jc_scan_string_avx2(const uint8_t *p, const uint8_t *end);
#endif

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

/* Bit 1 of every byte flipped (JC_QUOTE_FOLD): the control bytes stay below
 * 0x20 among themselves and '"' (0x22) becomes 0x20, while no other byte
 * lands below 0x21, so one comparison with 0x21 finds both classes (and
 * bytes >= 0x80 keep their high bit). */
#define JC_QUOTE_FOLD 0x02

JC_INLINE uint64_t jc_swar_special(uint64_t x)
{
    /* (y & 0x7F) + 0x5F reaches the high bit exactly when the low seven bits
     * are >= 0x21; bytes with the high bit set are flagged by x itself. */
    uint64_t y = x ^ (JC_SWAR_ONES * JC_QUOTE_FOLD);
    uint64_t control_or_quote =
        ~((y & ~JC_SWAR_HIGHS) + (~JC_SWAR_HIGHS - JC_SWAR_ONES * 0x20)) & ~x & JC_SWAR_HIGHS;
    return control_or_quote | (x & JC_SWAR_HIGHS) | jc_swar_equal(x, JC_SWAR_ONES * '\\');
}

#if JC_HAVE_SSE2
/* Bit i of the result is set when byte i of v is '"', '\\', < 0x20 or >= 0x80. */
JC_INLINE unsigned jc_sse2_special_mask(__m128i v)
{
    /* Signed compare after JC_QUOTE_FOLD: bytes >= 0x80 are negative, so one
     * compare catches control bytes, '"' and non-ASCII bytes. */
    __m128i folded = _mm_xor_si128(v, _mm_set1_epi8(JC_QUOTE_FOLD));
    __m128i below = _mm_cmplt_epi8(folded, _mm_set1_epi8(0x21));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(below, backslash));
}
#endif

#endif /* JC_SIMD_KERNELS_H */
