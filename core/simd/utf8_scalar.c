/* Portable str writers (utf8.h): what architectures other than x86-64 run, and
 * the kernels every other set is compared with. Plain ASCII runs move several
 * units per step in a uint64_t (SWAR); everything else goes unit by unit. */
#include "simd/kernels.h"
#include "simd/utf8.h"

/* Latin-1: eight bytes at a time while they are plain ASCII (jc_swar_special
 * flags '"', '\\', < 0x20 and >= 0x80); from the first flagged byte on, one
 * unit. */
char *jc_utf8_ucs1_scalar(char *o, const uint8_t *s, size_t n)
{
    const uint8_t *end = s + n;
    while (s < end) {
        if (end - s >= 8) {
            uint64_t x = jc_load64(s);
            uint64_t flagged = jc_swar_special(x);
            jc_store64(o, x);
            if (jc_likely(flagged == 0)) {
                s += 8;
                o += 8;
                continue;
            }
            unsigned plain = jc_ctz64(flagged) >> 3;
            s += plain;
            o += plain;
        }
        o = jc_utf8_code_point(o, *s++);
    }
    return o;
}

/* Four UCS2 units in a uint64_t, all ASCII (checked by the caller), as four
 * bytes. */
JC_INLINE uint32_t pack_ascii_ucs2(uint64_t x)
{
    return (uint32_t)((x & 0xFF) | ((x >> 8) & 0xFF00) | ((x >> 16) & 0xFF0000) |
                      ((x >> 24) & 0xFF000000));
}

/* UCS2: four units at a time while they are ASCII and need no escape (packed
 * to four bytes, which jc_swar_special checks with four pad bytes above
 * them); otherwise one unit. */
char *jc_utf8_ucs2_scalar(char *o, const uint16_t *s, size_t n)
{
    const uint16_t *end = s + n;
    while (s < end) {
        if (end - s >= 4) {
            uint64_t x = jc_load64(s);
            if ((x & UINT64_C(0xFF80FF80FF80FF80)) == 0) {
                uint32_t bytes = pack_ascii_ucs2(x);
                if (jc_swar_special(bytes | JC_SWAR_ONES * JC_UTF8_PAD << 32) == 0) {
                    jc_store32(o, bytes);
                    s += 4;
                    o += 4;
                    continue;
                }
            }
        }
        o = jc_utf8_code_point(o, *s++);
        if (jc_unlikely(o == NULL))
            return NULL;
    }
    return o;
}

/* UCS4 (astral text): unit by unit. */
char *jc_utf8_ucs4_scalar(char *o, const uint32_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        o = jc_utf8_code_point(o, s[i]);
        if (jc_unlikely(o == NULL))
            return NULL;
    }
    return o;
}
