/* Shortest round-trip double printing in Python's repr layout. See float_print.h.
 *
 * The digits come from Schubfach (R. Giulietti, "The Schubfach way to render
 * doubles", 2020). A finite double is v = c * 2^q. Every real in its rounding
 * interval R = [v - 2^(q-1), v + 2^(q-1)] reads back as v; the lower half-gap is
 * 2^(q-2) when c is a power of two above the smallest normal, and the ends belong
 * to R iff c is even because strtod breaks ties to even. Picking
 * k = floor(log10(width of R)) puts between 1 and 10 points of the grid 10^k into
 * R, so R holds at most one multiple of 10^(k+1): if it holds one, that is the only
 * candidate with the fewest digits; otherwise the shortest candidates are the grid
 * points in R, and the nearest of them to v is one of the two around v. That is
 * the rule of David Gay's dtoa mode 0 behind CPython's repr: fewest digits, then
 * nearest to v, then even last digit on a tie.
 *
 * R and v are scaled by 4 * 10^-k with a 64x128-bit multiplication each and rounded
 * to odd, which keeps two fraction bits plus a sticky bit: enough to compare them
 * exactly with 4 * (grid point) and 4 * (midpoint). scripts/gen_float_print_table.py
 * --verify proves the table and the sticky threshold make those products exact. */
#include "float_print.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "char_tables.h"
#include "compiler.h"
#include "float_print_table.h"

#define SIGNIFICAND_BITS 52
#define SIGNIFICAND_MASK ((UINT64_C(1) << SIGNIFICAND_BITS) - 1)
#define HIDDEN_BIT (UINT64_C(1) << SIGNIFICAND_BITS)
#define EXPONENT_MASK 0x7FFu
#define EXPONENT_BIAS 1023u
/* q = biased exponent - 1075 makes the significand c an integer. */
#define INTEGER_EXPONENT_OFFSET 1075
#define Q_MIN (-1074)

#define ASCII_ZEROS UINT64_C(0x3030303030303030)
#define TEN_TO_16 UINT64_C(10000000000000000)

/* cond ? a : b through a mask: GCC turns plain ternaries on unpredictable data into
 * branches. */
JC_INLINE uint64_t select_u64(bool cond, uint64_t a, uint64_t b)
{
    return b ^ ((a ^ b) & (0 - (uint64_t)cond));
}

/* The integer approximations below are exact over every q and k a finite double
 * can produce (checked by the generator's --verify). Right shifts of negative
 * values are arithmetic under GCC and Clang. */
JC_INLINE int floor_log10_pow2(int q) { return (q * 315653) >> 20; }
JC_INLINE int floor_log10_three_quarters_pow2(int q) { return (q * 315653 - 131237) >> 20; }
JC_INLINE int floor_log2_pow10(int e) { return (e * 1741647) >> 19; }

/* floor(g * cp / 2^128), with the lowest bit forced to 1 when the exact product
 * is not an integer. The table over-estimates, adding less than 2^60 to the low
 * 128 bits, while a non-integral exact product has a fraction of at least 2^-68
 * (some come within 2^-65.4 of an integer, so the top 64 fraction bits alone
 * would not do). */
JC_INLINE uint64_t round_to_odd(const uint64_t g[2], uint64_t cp)
{
    __uint128_t low = (__uint128_t)g[1] * cp;
    __uint128_t high = (__uint128_t)g[0] * cp + (uint64_t)(low >> 64);
    uint64_t fraction_high = (uint64_t)high;
    uint64_t fraction_low = (uint64_t)low;
    return (uint64_t)(high >> 64) | ((fraction_high | (fraction_low >> 60)) != 0);
}

typedef struct {
    uint64_t digits;  /* no trailing-zero guarantee */
    int exponent;     /* value = digits * 10^exponent */
} decimal;

JC_INLINE decimal shortest_decimal(uint64_t c, int q)
{
    uint64_t cb = c << 2;
    uint64_t cbl;
    uint64_t cbr = cb + 2;
    int k;
    if (jc_likely(c != HIDDEN_BIT || q == Q_MIN)) {
        cbl = cb - 2;
        k = floor_log10_pow2(q);
    } else {
        /* the gap below a power of two is half the gap above */
        cbl = cb - 1;
        k = floor_log10_three_quarters_pow2(q);
    }
    /* 1 <= h <= 4, so every cp << h stays below 2^60 */
    int h = q + floor_log2_pow10(-k) + 1;
    const uint64_t *g = jc_fp_pow10_128[-k - JC_FP_POW10_SMALLEST_POWER];

    uint64_t vb = round_to_odd(g, cb << h);
    uint64_t vbl = round_to_odd(g, cbl << h);
    uint64_t vbr = round_to_odd(g, cbr << h);
    /* an odd c loses ties to its even neighbours, so R is open */
    uint64_t excluded = c & 1;
    uint64_t lower = vbl + excluded;
    uint64_t upper = vbr - excluded;

    /* Branch-free: for random input each test below goes either way about as
     * often, which a predictor cannot learn. */
    uint64_t s = vb >> 2;
    uint64_t t = s + 1;
    bool s_in = lower <= s << 2;
    bool t_in = t << 2 <= upper;
    /* both in R: vb against 4 * (s + 1/2), exact thanks to the sticky bit */
    uint64_t midpoint = (s << 2) + 2;
    bool nearer_t = (vb > midpoint) | ((vb == midpoint) & (bool)(s & 1));
    uint64_t digits = s + (t_in & (!s_in | nearer_t));

    uint64_t s10 = s / 10 * 10;
    bool s10_in = lower <= s10 << 2;
    bool t10_in = (s10 + 10) << 2 <= upper;
    digits = select_u64(s10_in, s10, digits);
    digits = select_u64(t10_in, s10 + 10, digits);
    return (decimal){digits, k};
}

/* n >= 1 and n < 10^17 */
JC_INLINE unsigned count_digits(uint64_t n)
{
    unsigned t = ((64 - jc_clz64(n)) * 1233) >> 12;
    return t + 1 - (n < jc_pow10_u64[t]);
}

/* Digit values (not ASCII) of n < 10^8, first digit in the lowest byte, so that a
 * little-endian store writes them in reading order. Lane-parallel division: split
 * into two 4-digit halves, then four 2-digit quarters, then eight digits; the
 * reciprocal multipliers are exact for the lane ranges involved. */
JC_INLINE uint64_t eight_digits(uint32_t n)
{
    uint64_t halves = (n / 10000) | ((uint64_t)(n % 10000) << 32);
    uint64_t hundreds = ((halves * 10486) >> 20) & ((UINT64_C(0x7F) << 32) | 0x7F);
    uint64_t quarters = ((halves - hundreds * 100) << 16) | hundreds;
    uint64_t tens = ((quarters * 103) >> 10) & UINT64_C(0x000F000F000F000F);
    return ((quarters - tens * 10) << 8) | tens;
}

/* d in [10^16, 10^17): first digit, then digits 2..9 and 10..17 as digit bytes. */
typedef struct {
    uint32_t first;
    uint64_t middle;
    uint64_t last;
} digits17;

JC_INLINE digits17 split_digits(uint64_t d)
{
    uint32_t top = (uint32_t)(d / 100000000);       /* 9 digits */
    uint32_t low = (uint32_t)(d - (uint64_t)top * 100000000);
    uint32_t first = top / 100000000;
    uint32_t middle = top - first * 100000000;
    return (digits17){first, eight_digits(middle), eight_digits(low)};
}

/* For a point after digit pos (1 <= pos <= 16; row 0 is unused) of a 16-byte
 * digit string: which bytes stay, and the point byte, as {low word, high word}.
 * A table because GCC turns the equivalent 128-bit shifts into shift-double and
 * multiply chains. */
static const struct {
    uint64_t keep[2];
    uint64_t point[2];
} point_masks[17] = {
    {{0, 0}, {UINT64_C(0x2e), 0}},   /* 0 */
    {{UINT64_C(0xff), 0}, {UINT64_C(0x2e00), 0}},   /* 1 */
    {{UINT64_C(0xffff), 0}, {UINT64_C(0x2e0000), 0}},   /* 2 */
    {{UINT64_C(0xffffff), 0}, {UINT64_C(0x2e000000), 0}},   /* 3 */
    {{UINT64_C(0xffffffff), 0}, {UINT64_C(0x2e00000000), 0}},   /* 4 */
    {{UINT64_C(0xffffffffff), 0}, {UINT64_C(0x2e0000000000), 0}},   /* 5 */
    {{UINT64_C(0xffffffffffff), 0}, {UINT64_C(0x2e000000000000), 0}},   /* 6 */
    {{UINT64_C(0xffffffffffffff), 0}, {UINT64_C(0x2e00000000000000), 0}},   /* 7 */
    {{UINT64_C(0xffffffffffffffff), 0}, {0, UINT64_C(0x2e)}},   /* 8 */
    {{UINT64_C(0xffffffffffffffff), UINT64_C(0xff)}, {0, UINT64_C(0x2e00)}},   /* 9 */
    {{UINT64_C(0xffffffffffffffff), UINT64_C(0xffff)}, {0, UINT64_C(0x2e0000)}},   /* 10 */
    {{UINT64_C(0xffffffffffffffff), UINT64_C(0xffffff)}, {0, UINT64_C(0x2e000000)}},   /* 11 */
    {{UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffff)}, {0, UINT64_C(0x2e00000000)}},   /* 12 */
    {{UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffff)}, {0, UINT64_C(0x2e0000000000)}},   /* 13 */
    {{UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffff)}, {0, UINT64_C(0x2e000000000000)}},   /* 14 */
    {{UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffffff)}, {0, UINT64_C(0x2e00000000000000)}},   /* 15 */
    {{UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffffffff)}, {0, 0}},   /* 16 */
};

/* Writes the 17 digits with a point after the first pos of them (1 <= pos <= 16):
 * bytes 0..17. The bytes after the point move up by one inside registers, so no
 * byte is stored twice at different offsets (which would defeat store-to-load
 * forwarding). */
JC_INLINE void write_with_point(char *p, char first, uint64_t middle, uint64_t last,
                                unsigned pos)
{
    uint64_t head_low = (middle << 8) | (uint8_t)first;   /* digits 1..8 */
    uint64_t head_high = (last << 8) | (middle >> 56);    /* digits 9..16 */
    uint64_t keep_low = point_masks[pos].keep[0];
    uint64_t keep_high = point_masks[pos].keep[1];
    uint64_t moved_low = head_low & ~keep_low;
    uint64_t moved_high = head_high & ~keep_high;
    jc_store64(p, (head_low & keep_low) | (moved_low << 8) | point_masks[pos].point[0]);
    jc_store64(p + 8, (head_high & keep_high) | (moved_high << 8) | (moved_low >> 56)
                          | point_masks[pos].point[1]);
    p[16] = pos == 16 ? '.' : (char)(last >> 48);
    p[17] = (char)(last >> 56);
}

/* Trailing zero digits of a word from eight_digits: zero bytes at its top. */
JC_INLINE unsigned trailing_zero_digits(uint64_t word)
{
    return (jc_clz64(word | 1) + (word == 0)) / 8;
}

/* "e+XX", "e-XX" or "e+XXX" at q, branch-free because random input has two- and
 * three-digit exponents about equally often. Stores 8 bytes. */
JC_INLINE size_t write_exponent(char *q, int e)
{
    uint64_t sign = e < 0 ? '-' : '+';
    uint32_t magnitude = e < 0 ? (uint32_t)-e : (uint32_t)e;
    uint32_t hundreds = (magnitude * 41) >> 12;   /* magnitude / 100 below 1000 */
    uint32_t rest = magnitude - hundreds * 100;
    uint64_t pair = jc_load16(jc_digit_pairs + 2 * rest);
    uint64_t three = ('0' + hundreds) | (pair << 8);
    uint64_t digits = select_u64(hundreds != 0, three, pair);
    jc_store64(q, 'e' | (sign << 8) | (digits << 16));
    return 4 + (hundreds != 0);
}

/* value = 0.d1d2...d17 * 10^decpt, d = d1..d17 in [10^16, 10^17) */
JC_INLINE size_t write_digits(char *p, uint64_t d, int decpt)
{
    digits17 dg = split_digits(d);
    unsigned last_zeros = trailing_zero_digits(dg.last);
    unsigned middle_zeros = trailing_zero_digits(dg.middle);
    unsigned n = 17 - last_zeros - (middle_zeros & (0u - (dg.last == 0)));   /* significant */
    char first = (char)('0' + dg.first);
    uint64_t middle = dg.middle | ASCII_ZEROS;
    uint64_t last = dg.last | ASCII_ZEROS;

    if (jc_likely((unsigned)(decpt + 3) <= 19)) {   /* -4 < decpt <= 16: fixed */
        if (jc_likely(decpt > 0)) {
            /* digits past n are zeros, so "1234.0" and "1.234" are the same layout */
            write_with_point(p, first, middle, last, (unsigned)decpt);
            unsigned end = (unsigned)decpt + 1 > n ? (unsigned)decpt + 1 : n;
            return end + 1;
        }
        jc_store64(p, UINT64_C(0x3030303030302E30));   /* "0.000000" */
        char *q = p + 2 - decpt;
        q[0] = first;
        jc_store64(q + 1, middle);
        jc_store64(q + 9, last);
        return (size_t)(2 - decpt) + n;
    }

    p[0] = first;
    p[1] = '.';
    jc_store64(p + 2, middle);
    jc_store64(p + 10, last);
    char *q = p + n + (n > 1);   /* a lone digit takes no point */
    return (size_t)(q - p) + write_exponent(q, decpt - 1);
}

/* 1 <= n < 2^53: exactly representable, so its digits are the shortest form and
 * it always prints in fixed notation ("12.0") */
JC_INLINE size_t write_integer(char *p, uint64_t n)
{
    if (n < 100000000) {
        /* leading zero digits are the zero bytes at the bottom of the word */
        uint64_t word = eight_digits((uint32_t)n);
        unsigned leading = jc_ctz64(word) / 8;
        jc_store64(p, (word >> (8 * leading)) | ASCII_ZEROS);
        jc_store16(p + 8 - leading, ('0' << 8) | '.');
        return 10 - leading;
    }
    unsigned count = count_digits(n);
    digits17 dg = split_digits(n * jc_pow10_u64[17 - count]);
    p[0] = (char)('0' + dg.first);
    jc_store64(p + 1, dg.middle | ASCII_ZEROS);
    jc_store64(p + 9, dg.last | ASCII_ZEROS);
    jc_store16(p + count, ('0' << 8) | '.');
    return count + 2;
}

size_t jc_write_double_repr(double x, char *out)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    char *p = out;
    *p = '-';
    p += bits >> 63;

    uint64_t fraction = bits & SIGNIFICAND_MASK;
    unsigned biased = (unsigned)(bits >> SIGNIFICAND_BITS) & EXPONENT_MASK;
    uint64_t c;
    int q;
    if (jc_likely(biased != 0)) {
        c = fraction | HIDDEN_BIT;
        q = (int)biased - INTEGER_EXPONENT_OFFSET;
        if (biased - EXPONENT_BIAS <= SIGNIFICAND_BITS) {   /* 1 <= |x| < 2^53 */
            unsigned shift = (unsigned)-q;
            if ((c & ((UINT64_C(1) << shift) - 1)) == 0)
                return (size_t)(p - out) + write_integer(p, c >> shift);
        }
    } else {
        if (fraction == 0) {
            memcpy(p, "0.0", 3);
            return (size_t)(p - out) + 3;
        }
        c = fraction;
        q = Q_MIN;
    }

    decimal dec = shortest_decimal(c, q);
    uint64_t d = dec.digits;
    int k = dec.exponent;
    /* normals give 16 or 17 digits, about a third of them 16 */
    bool sixteen = d < TEN_TO_16;
    d = select_u64(sixteen, d * 10, d);
    k -= sixteen;
    if (jc_unlikely(d < TEN_TO_16)) {   /* subnormals can give fewer */
        unsigned missing = 17 - count_digits(d);
        d *= jc_pow10_u64[missing];
        k -= (int)missing;
    }
    return (size_t)(p - out) + write_digits(p, d, k + 17);
}
