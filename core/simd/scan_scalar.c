/* Portable string scanning, eight bytes at a time (SWAR), then bytewise. */
#include "simd/kernels.h"
#include "tables/char_tables.h"

const uint8_t *jc_scan_string_scalar(const uint8_t *p, const uint8_t *end)
{
    while (end - p >= 8) {
        uint64_t mask = jc_swar_special(jc_load64(p));
        if (mask != 0)
            return p + (jc_ctz64(mask) >> 3);
        p += 8;
    }
    while (p < end && jc_plain_string_byte[*p])
        p++;
    return p;
}
