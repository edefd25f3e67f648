/* AVX2 str writers (utf8.h): blocks of 32 Latin-1 bytes, 16 UCS2 units or 16
 * UCS4 units (two loads), encoded by utf8_avx2.h. Compiled for AVX2 through
 * target attributes only, so the rest of the library stays baseline x86-64;
 * they run only when jc_utf8_select found AVX2.
 *
 * A block holding a unit that needs an escape or is a surrogate has the units
 * before it encoded as a block whose remaining lanes are pad units
 * (JC_UTF8_PAD, one byte each, subtracted from the end again); the unit
 * itself goes to jc_utf8_special. A tail shorter than a block is loaded with
 * pad units in the missing lanes (avx2_load_tail). */
#include "simd/kernels.h"
#include "simd/utf8_avx2.h"

#if JC_HAVE_SSE2

/* Lane i of v (8-bit lanes) where i < k, the pad unit elsewhere. */
JC_AVX2_INLINE __m256i pad8_from(__m256i v, int k)
{
    const __m256i lane =
        _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                         21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
    __m256i keep = _mm256_cmpgt_epi8(_mm256_set1_epi8((char)k), lane);
    return _mm256_blendv_epi8(_mm256_set1_epi8(JC_UTF8_PAD), v, keep);
}

/* The same for 16-bit lanes. */
JC_AVX2_INLINE __m256i pad16_from(__m256i v, int k)
{
    const __m256i lane = _mm256_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m256i keep = _mm256_cmpgt_epi16(_mm256_set1_epi16((short)k), lane);
    return _mm256_blendv_epi8(_mm256_set1_epi16(JC_UTF8_PAD), v, keep);
}

/* The same for 32-bit lanes (k may be negative or above 8: the second half of
 * a 16-unit block passes k - 8). */
JC_AVX2_INLINE __m256i pad32_from(__m256i v, int k)
{
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32(k), lane);
    return _mm256_blendv_epi8(_mm256_set1_epi32(JC_UTF8_PAD), v, keep);
}

/* 0xFFFF in each 16-bit lane whose unit needs an escape or is a surrogate:
 * v >> 5 == 0 for the controls, v >> 11 == 0x1B for the surrogates. */
JC_AVX2_INLINE __m256i special16(__m256i v)
{
    __m256i control = _mm256_cmpeq_epi16(_mm256_srli_epi16(v, 5), _mm256_setzero_si256());
    __m256i quote = _mm256_cmpeq_epi16(v, _mm256_set1_epi16('"'));
    __m256i backslash = _mm256_cmpeq_epi16(v, _mm256_set1_epi16('\\'));
    __m256i surrogate = _mm256_cmpeq_epi16(_mm256_srli_epi16(v, 11), _mm256_set1_epi16(0x1B));
    return _mm256_or_si256(_mm256_or_si256(control, quote), _mm256_or_si256(backslash, surrogate));
}

/* Bit i set when byte i of v is '"', '\\', < 0x20 or >= 0x80 (signed: bytes
 * >= 0x80 are below 0x21 too; their own high bits tell them apart). */
JC_AVX2_INLINE unsigned flagged8(__m256i v)
{
    /* controls and '"' in one compare after JC_QUOTE_FOLD (kernels.h) */
    __m256i folded = _mm256_xor_si256(v, _mm256_set1_epi8(JC_QUOTE_FOLD));
    __m256i below = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x21), folded);
    __m256i backslash = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'));
    return (unsigned)_mm256_movemask_epi8(_mm256_or_si256(below, backslash));
}

/* A Latin-1 block of `count` units (the rest pad), already stored as it is
 * at o, with `flags` (flagged8) not 0: widened when it holds bytes >= 0x80,
 * and up to the first escape, which is written; *s and *n advance past what
 * was done. */
JC_AVX2_INLINE char *latin1_block(char *o, __m256i v, int count, unsigned flags, const uint8_t **s,
                                  size_t *n)
{
    uint64_t high = (unsigned)_mm256_movemask_epi8(v);
    bool stopped;
    count = jc_utf8_latin1_stop(flags, &high, count, &count, &stopped);
    if (high != 0) {
        v = pad8_from(v, count);
        o = avx2_latin1_16(o, _mm256_castsi256_si128(v));
        o = avx2_latin1_16(o, _mm256_extracti128_si256(v, 1)) - (32 - count);
    } else {
        o += count;
    }
    *s += count;
    *n -= (size_t)count;
    if (stopped) {
        o = jc_utf8_escape(o, **s);
        *s += 1;
        *n -= 1;
    }
    return o;
}

/* Latin-1 (and long ASCII strs): 32 bytes a block, stored as they are first,
 * which is the whole job for plain ASCII; a block with bytes >= 0x80 is
 * widened 16 bytes at a time. The tail of a str whose last 32 bytes before
 * it were written as they are is the last 32 bytes of the str, loaded and
 * stored over those again. */
JC_AVX2 char *jc_utf8_ucs1_avx2(char *o, const uint8_t *s, size_t n)
{
    size_t plain = 0; /* units just before s written as they are */
    while (n >= 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)s);
        _mm256_storeu_si256((__m256i *)o, v);
        unsigned flags = flagged8(v);
        if (jc_unlikely(flags != 0)) {
            o = latin1_block(o, v, 32, flags, &s, &n);
            plain = 0;
            continue;
        }
        o += 32;
        s += 32;
        n -= 32;
        plain += 32;
    }
    if (n == 0)
        return o;
    if (plain >= 32 - n) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(s + n - 32));
        if (jc_likely(flagged8(v) == 0)) {
            _mm256_storeu_si256((__m256i *)(o + n - 32), v);
            return o + n;
        }
    }
    while (n > 0) {
        int count = (int)n;
        __m256i v = avx2_load_tail(s, count, _mm256_set1_epi8(JC_UTF8_PAD));
        _mm256_storeu_si256((__m256i *)o, v);
        unsigned flags = flagged8(v);
        if (jc_likely(flags == 0))
            return o + count;
        o = latin1_block(o, v, count, flags, &s, &n);
    }
    return o;
}

/* `bytes` bytes at s (whole units): one load for a whole block, else
 * avx2_load_tail. */
JC_AVX2_INLINE __m256i load_units(const void *s, int bytes, __m256i pad)
{
    return bytes >= 32 ? _mm256_loadu_si256((const __m256i *)s) : avx2_load_tail(s, bytes, pad);
}

/* UCS2: 16 units a block. */
JC_AVX2_INLINE char *ucs2_block(char *o, const void *units, int lanes, int *count, bool *stopped)
{
    __m256i v = load_units(units, 2 * lanes, _mm256_set1_epi16(JC_UTF8_PAD));
    /* 2 mask bits a unit */
    lanes = jc_utf8_stop_at((unsigned)_mm256_movemask_epi8(special16(v)), 1, lanes, count, stopped);
    if (jc_unlikely(*stopped))
        v = pad16_from(v, lanes);
    return lanes > 0 ? avx2_bmp_16(o, v) - (16 - lanes) : o;
}

/* UCS4: 16 units a block, narrowed to 16 bits (an astral unit saturates to
 * 0xFFFF, which is not special) for the tests and, when none is astral, the
 * BMP encoder (avx2_ucs4_16). */
JC_AVX2_INLINE char *ucs4_block(char *o, const void *units, int lanes, int *count, bool *stopped)
{
    const uint32_t *s = units;
    const __m256i pad = _mm256_set1_epi32(JC_UTF8_PAD);
    __m256i a =
        lanes >= 8 ? _mm256_loadu_si256((const __m256i *)s) : avx2_load_tail(s, 4 * lanes, pad);
    __m256i b = lanes == 16 ? _mm256_loadu_si256((const __m256i *)(s + 8))
                : lanes > 8 ? avx2_load_tail(s + 8, 4 * (lanes - 8), pad)
                            : pad;
    /* packus works within 128-bit lanes; the permute puts units in order. */
    __m256i v = _mm256_permute4x64_epi64(_mm256_packus_epi32(a, b), _MM_SHUFFLE(3, 1, 2, 0));
    lanes = jc_utf8_stop_at((unsigned)_mm256_movemask_epi8(special16(v)), 1, lanes, count, stopped);
    if (jc_unlikely(*stopped)) {
        v = pad16_from(v, lanes);
        a = pad32_from(a, lanes);
        b = pad32_from(b, lanes - 8);
    }
    return lanes > 0 ? avx2_ucs4_16(o, a, b, v, lanes) : o;
}

JC_UTF8_BLOCKS_KERNEL(JC_AVX2, jc_utf8_ucs2_avx2, uint16_t, 16, ucs2_block)
JC_UTF8_BLOCKS_KERNEL(JC_AVX2, jc_utf8_ucs4_avx2, uint32_t, 16, ucs4_block)

#endif
