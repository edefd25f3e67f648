/* Portable string scanning, eight bytes at a time (SWAR), then bytewise. */
#include "scan.h"

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* High bit of each byte of the result set where the byte of x equals the byte
 * replicated in `pattern` (no false positives: the classic exact zero-byte test). */
JC_INLINE uint64_t swar_equal(uint64_t x, uint64_t pattern)
{
    uint64_t y = x ^ pattern;
    return ~(((y & ~HIGHS) + ~HIGHS) | y) & HIGHS;
}

JC_INLINE uint64_t swar_special(uint64_t x)
{
    /* A byte is below 0x20 or at least 0x80 exactly when its high bit is set
     * or it is below 0x20: compute "below 0x20" exactly per byte. */
    uint64_t below_space = ~((x & ~HIGHS) + (~HIGHS - ONES * 0x1F)) & ~x & HIGHS;
    return below_space | (x & HIGHS) | swar_equal(x, ONES * '"') | swar_equal(x, ONES * '\\');
}

const uint8_t *jc_scan_string_scalar(const uint8_t *p, const uint8_t *end)
{
    while (end - p >= 8) {
        uint64_t mask = swar_special(jc_load64(p));
        if (mask != 0)
            return p + (jc_ctz64(mask) >> 3);
        p += 8;
    }
    while (p < end && jc_plain_string_byte[*p])
        p++;
    return p;
}
