/* AVX-512 (F, BW, VL) str writers (utf8.h). Latin-1 (and long ASCII strs)
 * goes in 512-bit blocks of 64 bytes, stored as they are and tested in one
 * pass; UCS2 and UCS4 go in blocks of 16 units in 256-bit registers, as AVX2
 * does (utf8_avx2.h's encoders, inlined here: their byte shuffles work per
 * 128-bit lane, so 512-bit blocks would not shuffle more at once, and on
 * Intel 512-bit instructions take a vector port from the 256-bit work around
 * them; measured, 512-bit UCS2 blocks were slower), with the tests that AVX-512
 * adds: compares straight into mask registers, and tails loaded by one masked
 * load whose missing lanes are pad units (JC_UTF8_PAD, one byte each,
 * subtracted from the end again), which reads nothing past the str (masked-off
 * lanes cannot fault). An escape or a surrogate in a block: the units before
 * it are encoded as a block padded from there, the unit itself goes to
 * jc_utf8_special. Compiled for AVX-512 through target attributes only; runs
 * only when jc_utf8_select found it. */
#include "simd/kernels.h"
#include "simd/utf8_avx2.h"

#if JC_HAVE_SSE2

#  define JC_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vl")))

/* The low `count` bits set (count <= 64). */
JC_INLINE uint64_t low_bits(int count)
{
    return count >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << count) - 1;
}

/* Latin-1 (and long ASCII strs): 64 bytes a block, stored as they are
 * first, which is the whole job for plain ASCII; a block with bytes >= 0x80 is
 * widened 16 bytes at a time. */
JC_INLINE JC_AVX512 char *ucs1_block(char *o, const void *units, int lanes, int *count,
                                     bool *stopped)
{
    const __m512i pad = _mm512_set1_epi8(JC_UTF8_PAD);
    __m512i v = _mm512_mask_loadu_epi8(pad, low_bits(lanes), units);
    _mm512_storeu_si512(o, v);
    /* Signed, after JC_QUOTE_FOLD (kernels.h): controls, '"' and bytes >= 0x80
     * in one compare. */
    __m512i folded = _mm512_xor_si512(v, _mm512_set1_epi8(JC_QUOTE_FOLD));
    uint64_t flags = _mm512_cmplt_epi8_mask(folded, _mm512_set1_epi8(0x21)) |
                     _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\'));
    if (jc_likely(flags == 0))
        return o + jc_utf8_stop_at(0, 0, lanes, count, stopped);
    uint64_t high = _mm512_movepi8_mask(v);
    lanes = jc_utf8_latin1_stop(flags, &high, lanes, count, stopped);
    if (high == 0)
        return o + lanes;
    v = _mm512_mask_mov_epi8(pad, low_bits(lanes), v);
    o = avx2_latin1_16(o, _mm512_castsi512_si128(v));
    o = avx2_latin1_16(o, _mm512_extracti32x4_epi32(v, 1));
    o = avx2_latin1_16(o, _mm512_extracti32x4_epi32(v, 2));
    return avx2_latin1_16(o, _mm512_extracti32x4_epi32(v, 3)) - (64 - lanes);
}

/* A mask bit per 16-bit lane whose unit needs an escape or is a surrogate
 * (as utf8_avx2.c's special16, into a mask register). */
JC_INLINE JC_AVX512 __mmask16 special16(__m256i v)
{
    return _mm256_cmpeq_epi16_mask(_mm256_srli_epi16(v, 5), _mm256_setzero_si256()) |
           _mm256_cmpeq_epi16_mask(v, _mm256_set1_epi16('"')) |
           _mm256_cmpeq_epi16_mask(v, _mm256_set1_epi16('\\')) |
           _mm256_cmpeq_epi16_mask(_mm256_srli_epi16(v, 11), _mm256_set1_epi16(0x1B));
}

/* UCS2: 16 units a block; a tail is one masked load. */
JC_INLINE JC_AVX512 char *ucs2_block(char *o, const void *units, int lanes, int *count,
                                     bool *stopped)
{
    const __m256i pad = _mm256_set1_epi16(JC_UTF8_PAD);
    __m256i v = lanes == 16 ? _mm256_loadu_si256((const __m256i *)units)
                            : _mm256_mask_loadu_epi16(pad, (__mmask16)low_bits(lanes), units);
    lanes = jc_utf8_stop_at(special16(v), 0, lanes, count, stopped);
    return lanes > 0 ? avx2_bmp_16(o, _mm256_mask_mov_epi16(pad, (__mmask16)low_bits(lanes), v)) -
                           (16 - lanes)
                     : o;
}

/* UCS4: 16 units a block, two 256-bit masked loads (the missing lanes are pad
 * units) narrowed to 16 bits (packus: an astral unit saturates to 0xFFFF,
 * which is not special) for the tests and, when none is astral, the BMP
 * encoder (avx2_ucs4_16). */
JC_INLINE JC_AVX512 char *ucs4_block(char *o, const void *units, int lanes, int *count,
                                     bool *stopped)
{
    const uint32_t *s = units;
    const __m256i pad = _mm256_set1_epi32(JC_UTF8_PAD);
    uint64_t live = low_bits(lanes);
    __m256i a = _mm256_mask_loadu_epi32(pad, (__mmask8)live, s);
    __m256i b = _mm256_mask_loadu_epi32(pad, (__mmask8)(live >> 8), s + 8);
    __m256i v = _mm256_permute4x64_epi64(_mm256_packus_epi32(a, b), _MM_SHUFFLE(3, 1, 2, 0));
    lanes = jc_utf8_stop_at(special16(v), 0, lanes, count, stopped);
    if (jc_unlikely(*stopped)) {
        uint64_t keep = low_bits(lanes);
        a = _mm256_mask_mov_epi32(pad, (__mmask8)keep, a);
        b = _mm256_mask_mov_epi32(pad, (__mmask8)(keep >> 8), b);
        v = _mm256_mask_mov_epi16(_mm256_set1_epi16(JC_UTF8_PAD), (__mmask16)keep, v);
    }
    return lanes > 0 ? avx2_ucs4_16(o, a, b, v, lanes) : o;
}

JC_UTF8_BLOCKS_KERNEL(JC_AVX512, jc_utf8_ucs1_avx512, uint8_t, 64, ucs1_block)
JC_UTF8_BLOCKS_KERNEL(JC_AVX512, jc_utf8_ucs2_avx512, uint16_t, 16, ucs2_block)
JC_UTF8_BLOCKS_KERNEL(JC_AVX512, jc_utf8_ucs4_avx512, uint32_t, 16, ucs4_block)

#endif
