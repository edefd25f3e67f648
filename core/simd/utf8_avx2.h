/* The 256-bit block encoders of the AVX2 str writers, static inline so that
 * utf8_avx2.c and utf8_avx512.c (which has wider loads and tests but the same
 * per-lane byte shuffles) both inline them; compiled for AVX2 by a target
 * attribute, which an AVX-512 caller includes.
 *
 * Every encoder takes units that need no escape and are not surrogates (the
 * kernels route those to jc_utf8_special) and writes their UTF-8 at o,
 * storing whole 16-byte lanes: each unit's UTF-8 is built in a fixed-width
 * code word (its bytes from the low byte up), and a pshufb per lane, from
 * the tables of scripts/gen_utf8_tables.py indexed by the words' lengths,
 * squeezes the words' bytes together. */
#ifndef JC_SIMD_UTF8_AVX2_H
#define JC_SIMD_UTF8_AVX2_H

#include "simd/utf8.h"
#include "tables/utf8_tables.h"

#if JC_HAVE_SSE2
#  include <immintrin.h>

#  define JC_AVX2_INLINE static inline __attribute__((always_inline, target("avx2")))
#  define JC_AVX2        __attribute__((target("avx2")))

/* The first `bytes` bytes at s (fewer than 32, whole units), the rest of the
 * vector taken from pad: the whole 4-byte words by a masked load, which reads
 * nothing past them (and masked-off words cannot fault), the 1 to 3 bytes
 * after those one by one. */
JC_AVX2_INLINE __m256i avx2_load_tail(const void *s, int bytes, __m256i pad)
{
    const __m256i word_index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i byte_index =
        _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                         21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
    const uint8_t *p = s;
    int words = bytes >> 2, rest = bytes & 3;
    __m256i v = _mm256_maskload_epi32((const int *)p,
                                      _mm256_cmpgt_epi32(_mm256_set1_epi32(words), word_index));
    if (rest != 0) {
        const uint8_t *r = p + (size_t)words * 4;
        uint32_t last = r[0];
        if (rest > 1)
            last |= (uint32_t)r[1] << 8;
        if (rest > 2)
            last |= (uint32_t)r[2] << 16;
        v = _mm256_blendv_epi8(v, _mm256_set1_epi32((int)last),
                               _mm256_cmpeq_epi32(_mm256_set1_epi32(words), word_index));
    }
    return _mm256_blendv_epi8(pad, v, _mm256_cmpgt_epi8(_mm256_set1_epi8((char)bytes), byte_index));
}

/* Two 16-byte table rows as the two lanes of one shuffle control. */
JC_AVX2_INLINE __m256i avx2_rows(const uint8_t *low, const uint8_t *high)
{
    return _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_load_si128((const __m128i *)low)),
                                   _mm_load_si128((const __m128i *)high), 1);
}

/* 16 UCS2 units below 0x800 as 16-bit code words (`words`: 0xxxxxxx, or
 * 110xxxxx 10xxxxxx), with bit k of `two` set where unit k has two bytes:
 * two lanes of 8 words, each squeezed by jc_utf8_pack2. */
JC_AVX2_INLINE char *avx2_pack_upto2(char *o, __m256i words, unsigned two)
{
    unsigned low = two & 0xFF, high = two >> 8;
    __m256i bytes = _mm256_shuffle_epi8(words, avx2_rows(jc_utf8_pack2[low], jc_utf8_pack2[high]));
    _mm_storeu_si128((__m128i *)o, _mm256_castsi256_si128(bytes));
    o += jc_utf8_pack2_len[low];
    _mm_storeu_si128((__m128i *)o, _mm256_extracti128_si256(bytes, 1));
    return o + jc_utf8_pack2_len[high];
}

/* 16 Latin-1 bytes as UTF-8: as they are when all are ASCII, else widened to
 * 16-bit code words (bytes >= 0x80 become 0xC2 or 0xC3 and a continuation). */
JC_AVX2_INLINE char *avx2_latin1_16(char *o, __m128i bytes)
{
    unsigned two = (unsigned)_mm_movemask_epi8(bytes);
    if (two == 0) {
        _mm_storeu_si128((__m128i *)o, bytes);
        return o + 16;
    }
    __m256i v = _mm256_cvtepu8_epi16(bytes);
    __m256i lead_and_tail = _mm256_or_si256(
        _mm256_or_si256(_mm256_srli_epi16(v, 6),
                        _mm256_and_si256(_mm256_slli_epi16(v, 8), _mm256_set1_epi16(0x3F00))),
        _mm256_set1_epi16((short)0x80C0));
    __m256i ascii = _mm256_cmpeq_epi16(_mm256_srli_epi16(v, 7), _mm256_setzero_si256());
    return avx2_pack_upto2(o, _mm256_blendv_epi8(lead_and_tail, v, ascii), two);
}

/* 16 BMP units as UTF-8 (1 to 3 bytes each):
 *  - all ASCII: packed to 16 bytes;
 *  - all below 0x800: 16-bit code words, avx2_pack_upto2;
 *  - otherwise 32-bit code words (1110xxxx 10xxxxxx in the low 16 bits and
 *    the third byte, 10xxxxxx, in the high 16), four lanes of 4 words, each
 *    squeezed by jc_utf8_pack4.
 * Ranges are tested by shifts (v >> 7 == 0: ASCII), which need no constants:
 * with fewer vector constants live, GCC keeps them in registers. */
JC_AVX2_INLINE char *avx2_bmp_16(char *o, __m256i v)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i ascii = _mm256_cmpeq_epi16(_mm256_srli_epi16(v, 7), zero);
    unsigned ascii_bits = (unsigned)_mm256_movemask_epi8(ascii); /* 2 bits a unit */
    if (ascii_bits == 0xFFFFFFFF) {
        __m128i packed =
            _mm_packus_epi16(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        _mm_storeu_si128((__m128i *)o, packed);
        return o + 16;
    }
    /* 110xxxxx 10xxxxxx: the lead byte low, the last continuation high. */
    __m256i last =
        _mm256_or_si256(_mm256_and_si256(_mm256_slli_epi16(v, 8), _mm256_set1_epi16(0x3F00)),
                        _mm256_set1_epi16((short)0x80C0));
    __m256i two = _mm256_or_si256(_mm256_srli_epi16(v, 6), last);
    __m256i low = _mm256_blendv_epi8(two, v, ascii);
    __m256i upto2 = _mm256_cmpeq_epi16(_mm256_srli_epi16(v, 11), zero);
    unsigned upto2_bits = (unsigned)_mm256_movemask_epi8(upto2);
    if (upto2_bits == 0xFFFFFFFF) {
        /* One bit a unit: the signed pack keeps the masks' sign bits. */
        __m128i ascii8 =
            _mm_packs_epi16(_mm256_castsi256_si128(ascii), _mm256_extracti128_si256(ascii, 1));
        return avx2_pack_upto2(o, low, ~(unsigned)_mm_movemask_epi8(ascii8) & 0xFFFF);
    }
    /* 1110xxxx 10xxxxxx, and the third byte: the last continuation. */
    __m256i three = _mm256_or_si256(
        _mm256_or_si256(_mm256_srli_epi16(v, 12),
                        _mm256_and_si256(_mm256_slli_epi16(v, 2), _mm256_set1_epi16(0x3F00))),
        _mm256_set1_epi16((short)0x80E0));
    __m256i third = _mm256_srli_epi16(last, 8);
    low = _mm256_blendv_epi8(three, low, upto2);
    /* unpack works within 128-bit lanes: w0 holds units 0-3 and 8-11, w1
     * units 4-7 and 12-15. */
    __m256i w0 = _mm256_unpacklo_epi16(low, third);
    __m256i w1 = _mm256_unpackhi_epi16(low, third);
    /* Length - 1 in 2 bits a unit, unit k at bits 2k and 2k + 1 (the masks'
     * movemasks repeat each unit's bit twice): bit 2k when exactly two
     * bytes, bit 2k + 1 when three. */
    unsigned codes = ((~ascii_bits & upto2_bits) & 0x55555555u) | (~upto2_bits & 0xAAAAAAAAu);
    unsigned c0 = codes & 0xFF, c1 = (codes >> 8) & 0xFF, c2 = (codes >> 16) & 0xFF,
             c3 = codes >> 24;
    __m256i b0 = _mm256_shuffle_epi8(w0, avx2_rows(jc_utf8_pack4[c0], jc_utf8_pack4[c2]));
    __m256i b1 = _mm256_shuffle_epi8(w1, avx2_rows(jc_utf8_pack4[c1], jc_utf8_pack4[c3]));
    _mm_storeu_si128((__m128i *)o, _mm256_castsi256_si128(b0));
    o += jc_utf8_pack4_len[c0];
    _mm_storeu_si128((__m128i *)o, _mm256_castsi256_si128(b1));
    o += jc_utf8_pack4_len[c1];
    _mm_storeu_si128((__m128i *)o, _mm256_extracti128_si256(b0, 1));
    o += jc_utf8_pack4_len[c2];
    _mm_storeu_si128((__m128i *)o, _mm256_extracti128_si256(b1, 1));
    return o + jc_utf8_pack4_len[c3];
}

/* 8 code points (32-bit lanes, any below 0x110000) as UTF-8, 1 to 4 bytes
 * each: every unit's bytes are spread as if it had 4 (00000xxx 00xxxxxx
 * 00xxxxxx 00xxxxxx, first byte lowest), the marker bits of its length are
 * or-ed in and the word shifted down to its first byte; ASCII units are
 * themselves. Two lanes of 4 words, each squeezed by jc_utf8_pack4. */
JC_AVX2_INLINE char *avx2_utf32_8(char *o, __m256i c)
{
    __m256i multi = _mm256_cmpgt_epi32(c, _mm256_set1_epi32(0x7F));
    __m256i code =
        _mm256_sub_epi32(_mm256_sub_epi32(_mm256_sub_epi32(_mm256_setzero_si256(), multi),
                                          _mm256_cmpgt_epi32(c, _mm256_set1_epi32(0x7FF))),
                         _mm256_cmpgt_epi32(c, _mm256_set1_epi32(0xFFFF))); /* length - 1 */
    __m256i spread = _mm256_or_si256(
        _mm256_or_si256(_mm256_srli_epi32(c, 18),
                        _mm256_and_si256(_mm256_srli_epi32(c, 4), _mm256_set1_epi32(0x3F00))),
        _mm256_or_si256(_mm256_and_si256(_mm256_slli_epi32(c, 10), _mm256_set1_epi32(0x3F0000)),
                        _mm256_and_si256(_mm256_slli_epi32(c, 24), _mm256_set1_epi32(0x3F000000))));
    const __m256i markers =
        _mm256_setr_epi32(0, (int)0x80C00000, (int)0x8080E000, (int)0x808080F0, 0, 0, 0, 0);
    const __m256i shifts = _mm256_setr_epi32(0, 16, 8, 0, 0, 0, 0, 0);
    __m256i words =
        _mm256_srlv_epi32(_mm256_or_si256(spread, _mm256_permutevar8x32_epi32(markers, code)),
                          _mm256_permutevar8x32_epi32(shifts, code));
    words = _mm256_blendv_epi8(c, words, multi);
    /* The table index of each lane: code k << 2k, summed over its 4 units. */
    __m256i index = _mm256_sllv_epi32(code, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6));
    index = _mm256_or_si256(index, _mm256_shuffle_epi32(index, _MM_SHUFFLE(2, 3, 0, 1)));
    index = _mm256_or_si256(index, _mm256_shuffle_epi32(index, _MM_SHUFFLE(1, 0, 3, 2)));
    unsigned low = (unsigned)_mm256_cvtsi256_si32(index);
    unsigned high = (unsigned)_mm256_extract_epi32(index, 4);
    __m256i bytes = _mm256_shuffle_epi8(words, avx2_rows(jc_utf8_pack4[low], jc_utf8_pack4[high]));
    _mm_storeu_si128((__m128i *)o, _mm256_castsi256_si128(bytes));
    o += jc_utf8_pack4_len[low];
    _mm_storeu_si128((__m128i *)o, _mm256_extracti128_si256(bytes, 1));
    return o + jc_utf8_pack4_len[high];
}

/* 16 UCS4 units, the first `count` the str's (count > 0, none special) and
 * the rest pad units, as UTF-8 with the pad bytes taken off: `a` and `b` the
 * units as loaded (32-bit lanes), `v` them narrowed to 16 bits. BMP units go
 * through the BMP encoder; a block with an astral unit goes 8 code points at a
 * time. Shared by the AVX2 and AVX-512 UCS4 kernels, which differ only in how
 * they load and test. */
JC_AVX2_INLINE char *avx2_ucs4_16(char *o, __m256i a, __m256i b, __m256i v, int count)
{
    if (jc_likely(_mm256_testz_si256(_mm256_or_si256(a, b), _mm256_set1_epi32((int)0xFFFF0000)))) {
        o = avx2_bmp_16(o, v);
    } else {
        o = avx2_utf32_8(o, a);
        o = avx2_utf32_8(o, b);
    }
    return o - (16 - count);
}

#endif
#endif /* JC_SIMD_UTF8_AVX2_H */
