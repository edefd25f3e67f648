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

/* `bytes` bytes at s (whole units, at most 16): one load for a whole block;
 * a tail shorter than a block is copied into a buffer of pad units first, so
 * that nothing past the str is read. */
JC_INLINE __m128i load_units(const void *s, size_t bytes, __m128i pad)
{
    if (bytes >= 16)
        return _mm_loadu_si128((const __m128i *)s);
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

/* Latin-1: 16 bytes a block, stored as they are first, which is the whole
 * job for plain ASCII; a block with bytes >= 0x80 is widened to two blocks of
 * 8 units. */
JC_INLINE char *ucs1_block(char *o, const void *units, int lanes, int *count, bool *stopped)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i v = load_units(units, (size_t)lanes, _mm_set1_epi8(JC_UTF8_PAD));
    _mm_storeu_si128((__m128i *)o, v);
    /* '"', '\\', < 0x20 and >= 0x80 at once (kernels.h). */
    unsigned flags = jc_sse2_special_mask(v);
    if (jc_likely(flags == 0))
        return o + jc_utf8_stop_at(0, 0, lanes, count, stopped);
    uint64_t high = (unsigned)_mm_movemask_epi8(v);
    lanes = jc_utf8_latin1_stop(flags, &high, lanes, count, stopped);
    if (high == 0)
        return o + lanes;
    __m128i low_half = pad16_from(_mm_unpacklo_epi8(v, zero), lanes);
    o = utf8_8(o, low_half);
    return utf8_8(o, pad16_from(_mm_unpackhi_epi8(v, zero), lanes - 8)) - (16 - lanes);
}

/* UCS2: 8 units a block. */
JC_INLINE char *ucs2_block(char *o, const void *units, int lanes, int *count, bool *stopped)
{
    __m128i v = load_units(units, 2 * (size_t)lanes, _mm_set1_epi16(JC_UTF8_PAD));
    lanes = jc_utf8_stop_at((unsigned)_mm_movemask_epi8(special16(v)), 1, lanes, count, stopped);
    return lanes > 0 ? utf8_8(o, pad16_from(v, lanes)) - (8 - lanes) : o;
}

/* UCS4: 8 units a block, narrowed to 16 bits (SSE2 packs signed, hence the
 * bias). A block with an astral unit goes unit by unit. */
JC_INLINE char *ucs4_block(char *o, const void *units, int lanes, int *count, bool *stopped)
{
    const uint32_t *s = units;
    const __m128i bias32 = _mm_set1_epi32(0x8000);
    const __m128i pad = _mm_set1_epi32(JC_UTF8_PAD);
    __m128i a = load_units(s, 4 * (size_t)lanes, pad);
    __m128i b = lanes > 4 ? load_units(s + 4, 4 * (size_t)(lanes - 4), pad) : pad;
    /* Units above 0xFFFF saturate to 0xFFFF, which is not special. */
    __m128i v = _mm_add_epi16(_mm_packs_epi32(_mm_sub_epi32(a, bias32), _mm_sub_epi32(b, bias32)),
                              _mm_set1_epi16((short)0x8000));
    lanes = jc_utf8_stop_at((unsigned)_mm_movemask_epi8(special16(v)), 1, lanes, count, stopped);
    __m128i astral = _mm_or_si128(_mm_cmpgt_epi32(a, _mm_set1_epi32(0xFFFF)),
                                  _mm_cmpgt_epi32(b, _mm_set1_epi32(0xFFFF)));
    if (jc_unlikely(_mm_movemask_epi8(astral) != 0)) {
        /* Not special before `lanes`: no escapes, no NULL. */
        for (int i = 0; i < lanes; i++)
            o = jc_utf8_code_point(o, s[i]);
        return o;
    }
    return lanes > 0 ? utf8_8(o, pad16_from(v, lanes)) - (8 - lanes) : o;
}

JC_UTF8_BLOCKS_KERNEL(, jc_utf8_ucs1_sse2, uint8_t, 16, ucs1_block)
JC_UTF8_BLOCKS_KERNEL(, jc_utf8_ucs2_sse2, uint16_t, 8, ucs2_block)
JC_UTF8_BLOCKS_KERNEL(, jc_utf8_ucs4_sse2, uint32_t, 8, ucs4_block)

#endif
