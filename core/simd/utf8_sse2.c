/* SSE2 str writers (utf8.h), the x86-64 baseline: blocks of 16 bytes (16
 * Latin-1 units, 8 UCS2 units, 8 UCS4 units in two loads). SSE2 has no byte
 * shuffle, so a block that is not plain ASCII has its UTF-8 code words and
 * lengths computed in vectors and written one unit at a time, one 4-byte
 * store each, without branches.
 *
 * A block holding a unit that needs an escape or is a surrogate has the units
 * before it written through the same block code, with the rest of the block
 * replaced by pad units (JC_UTF8_PAD, one byte each, subtracted again); the
 * unit itself goes to jc_utf8_special. A tail shorter than a block is copied
 * into a padded buffer first. */
#include "simd/kernels.h"
#include "simd/utf8.h"

#if JC_HAVE_SSE2

/* Lane i of v (16-bit lanes) where i < k, the pad unit elsewhere. */
JC_INLINE __m128i pad16_from(__m128i v, int k)
{
    const __m128i lane = _mm_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7);
    __m128i keep = _mm_cmpgt_epi16(_mm_set1_epi16((short)k), lane);
    return _mm_or_si128(_mm_and_si128(keep, v),
                        _mm_andnot_si128(keep, _mm_set1_epi16(JC_UTF8_PAD)));
}

/* The first `bytes` bytes at s (fewer than 16, whole units), the rest of the
 * vector taken from pad: a tail shorter than a block, copied into a buffer so
 * that nothing past the str is read. */
JC_INLINE __m128i load_padded(const void *s, size_t bytes, __m128i pad)
{
    uint8_t buffer[16];
    _mm_storeu_si128((__m128i *)buffer, pad);
    memcpy(buffer, s, bytes);
    return _mm_loadu_si128((const __m128i *)buffer);
}

/* 0xFFFF in each 16-bit lane whose unit needs an escape or is a surrogate. */
JC_INLINE __m128i special16(__m128i v)
{
    __m128i control = _mm_cmpeq_epi16(_mm_subs_epu16(v, _mm_set1_epi16(0x1F)), _mm_setzero_si128());
    __m128i quote = _mm_cmpeq_epi16(v, _mm_set1_epi16('"'));
    __m128i backslash = _mm_cmpeq_epi16(v, _mm_set1_epi16('\\'));
    __m128i surrogate = _mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xF800)),
                                        _mm_set1_epi16((short)0xD800));
    return _mm_or_si128(_mm_or_si128(control, quote), _mm_or_si128(backslash, surrogate));
}

/* Eight BMP units that need no escape and are not surrogates, as UTF-8.
 * All ASCII: packed to 8 bytes. Otherwise each unit's code word (its 1 to 3
 * UTF-8 bytes from the low byte up) and length are computed for all eight
 * at once, then stored unit by unit. */
static inline char *utf8_8(char *o, __m128i v)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i ascii = _mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xFF80)), zero);
    if (_mm_movemask_epi8(ascii) == 0xFFFF) {
        _mm_storel_epi64((__m128i *)o, _mm_packus_epi16(v, v));
        return o + 8;
    }
    __m128i upto2 = _mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xF800)), zero);
    /* 110xxxxx 10xxxxxx, and 1110xxxx 10xxxxxx (the third byte in `third`). */
    __m128i two =
        _mm_or_si128(_mm_or_si128(_mm_srli_epi16(v, 6),
                                  _mm_and_si128(_mm_slli_epi16(v, 8), _mm_set1_epi16(0x3F00))),
                     _mm_set1_epi16((short)0x80C0));
    __m128i three =
        _mm_or_si128(_mm_or_si128(_mm_srli_epi16(v, 12),
                                  _mm_and_si128(_mm_slli_epi16(v, 2), _mm_set1_epi16(0x3F00))),
                     _mm_set1_epi16((short)0x80E0));
    __m128i third = _mm_or_si128(_mm_and_si128(v, _mm_set1_epi16(0x3F)), _mm_set1_epi16(0x80));
    __m128i low = _mm_or_si128(_mm_and_si128(ascii, v), _mm_andnot_si128(ascii, two));
    low = _mm_or_si128(_mm_and_si128(upto2, low), _mm_andnot_si128(upto2, three));
    /* 3 - (ascii ? 1 : 0) - (upto2 ? 1 : 0): the masks are -1 where true. */
    __m128i length = _mm_add_epi16(_mm_set1_epi16(3), _mm_add_epi16(ascii, upto2));
    union {
        __m128i v[2];
        uint32_t word[8];
    } words;
    union {
        __m128i v;
        uint16_t n[8];
    } lengths;
    words.v[0] = _mm_unpacklo_epi16(low, third);
    words.v[1] = _mm_unpackhi_epi16(low, third);
    lengths.v = length;
    for (int k = 0; k < 8; k++) {
        jc_store32(o, words.word[k]);
        o += lengths.n[k];
    }
    return o;
}

/* Latin-1: 16 bytes a block, stored as they are first; a block with bytes
 * >= 0x80 is widened to two blocks of 8 units. */
char *jc_utf8_ucs1_sse2(char *o, const uint8_t *s, size_t n)
{
    while (n > 0) {
        int count = n < 16 ? (int)n : 16;
        __m128i v = n >= 16 ? _mm_loadu_si128((const __m128i *)s)
                            : load_padded(s, n, _mm_set1_epi8(JC_UTF8_PAD));
        _mm_storeu_si128((__m128i *)o, v);
        /* '"', '\\', < 0x20 and >= 0x80 at once (kernels.h); the high bits
         * tell the last apart. */
        unsigned flagged = jc_sse2_special_mask(v);
        if (jc_likely(flagged == 0)) {
            o += count;
            s += count;
            n -= (size_t)count;
            continue;
        }
        unsigned high = (unsigned)_mm_movemask_epi8(v);
        unsigned escape = flagged & ~high;
        if (escape != 0) {
            count = (int)jc_ctz32(escape);
            high &= (1u << count) - 1;
            v = _mm_packus_epi16(pad16_from(_mm_unpacklo_epi8(v, _mm_setzero_si128()), count),
                                 pad16_from(_mm_unpackhi_epi8(v, _mm_setzero_si128()), count - 8));
        }
        if (high != 0) {
            o = utf8_8(o, _mm_unpacklo_epi8(v, _mm_setzero_si128()));
            o = utf8_8(o, _mm_unpackhi_epi8(v, _mm_setzero_si128())) - (16 - count);
        } else {
            o += count;
        }
        if (escape != 0) /* the unit the block stopped at, passed too */
            o = jc_utf8_escape(o, s[count++]);
        s += count;
        n -= (size_t)count;
    }
    return o;
}

/* UCS2: 8 units a block (jc_utf8_blocks). */
JC_INLINE char *ucs2_block(char *o, const void *units, size_t n, int *count, bool *stopped)
{
    const uint16_t *s = units;
    int lanes = n < 8 ? (int)n : 8;
    __m128i v = n >= 8 ? _mm_loadu_si128((const __m128i *)s)
                       : load_padded(s, 2 * n, _mm_set1_epi16(JC_UTF8_PAD));
    unsigned special = (unsigned)_mm_movemask_epi8(special16(v));
    *stopped = special != 0;
    if (jc_unlikely(special != 0)) {
        lanes = (int)jc_ctz32(special) / 2;
        v = pad16_from(v, lanes);
    }
    *count = lanes;
    return lanes > 0 ? utf8_8(o, v) - (8 - lanes) : o;
}

char *jc_utf8_ucs2_sse2(char *o, const uint16_t *s, size_t n)
{
    return jc_utf8_blocks(o, s, n, sizeof *s, ucs2_block);
}

/* UCS4: 8 units a block (jc_utf8_blocks), narrowed to 16 bits (SSE2 packs
 * signed, hence the bias). A block with an astral unit goes unit by unit. */
JC_INLINE char *ucs4_block(char *o, const void *units, size_t n, int *count, bool *stopped)
{
    const uint32_t *s = units;
    const __m128i bias32 = _mm_set1_epi32(0x8000);
    const __m128i bias16 = _mm_set1_epi16((short)0x8000);
    const __m128i pad = _mm_set1_epi32(JC_UTF8_PAD);
    int lanes = n < 8 ? (int)n : 8;
    __m128i a = n >= 4 ? _mm_loadu_si128((const __m128i *)s) : load_padded(s, 4 * n, pad);
    __m128i b = n >= 8  ? _mm_loadu_si128((const __m128i *)(s + 4))
                : n > 4 ? load_padded(s + 4, 4 * (n - 4), pad)
                        : pad;
    /* Units above 0xFFFF saturate to 0xFFFF, which is not special. */
    __m128i v =
        _mm_add_epi16(_mm_packs_epi32(_mm_sub_epi32(a, bias32), _mm_sub_epi32(b, bias32)), bias16);
    unsigned special = (unsigned)_mm_movemask_epi8(special16(v));
    *stopped = special != 0;
    if (jc_unlikely(special != 0)) {
        lanes = (int)jc_ctz32(special) / 2;
        v = pad16_from(v, lanes);
    }
    *count = lanes;
    __m128i astral = _mm_or_si128(_mm_cmpgt_epi32(a, _mm_set1_epi32(0xFFFF)),
                                  _mm_cmpgt_epi32(b, _mm_set1_epi32(0xFFFF)));
    if (jc_unlikely(_mm_movemask_epi8(astral) != 0)) {
        /* Not special before `lanes`: no escapes, no NULL. */
        for (int i = 0; i < lanes; i++)
            o = jc_utf8_code_point(o, s[i]);
        return o;
    }
    return lanes > 0 ? utf8_8(o, v) - (8 - lanes) : o;
}

char *jc_utf8_ucs4_sse2(char *o, const uint32_t *s, size_t n)
{
    return jc_utf8_blocks(o, s, n, sizeof *s, ucs4_block);
}

#endif
