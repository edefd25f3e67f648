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
 * Two ways to apply the rule, with the same answers:
 *
 * shortest_decimal_exact scales v and both ends of R by 10^-k with a 64x128-bit
 * multiplication each, rounded to odd, which keeps two fraction bits plus a sticky
 * bit: enough to compare them exactly with grid points and midpoints.
 * scripts/gen_float_print_table.py --verify proves the table and the sticky
 * threshold make those products exact.
 *
 * shortest_decimal_fast (after Yaoyuan Guo's yy_double and Victor Zverovich's
 * zmij) scales only v: X = v * 10^-k, with the half-width W = 2^(q-1) * 10^-k in
 * [1/2, 5). R holds the multiple of 10 below X iff (X mod 10) < W, the one above
 * iff (X mod 10) + W > 10, and otherwise the answer is X rounded to the nearest
 * integer, which is always in R because W >= 1/2. Those three comparisons run on
 * 64-bit fixed-point numbers that are off by less than one unit in the last place;
 * when a comparison is within a few units of a tie the fixed-point answer could be
 * wrong (or the tie needs the even/odd rule), so the fast path hands over to the
 * exact one. That happens for about one double in 2^57 drawn at random, and for
 * structured values such as exact ties (1 + 2^-17) and big integers whose interval
 * ends are round numbers; everything else costs one multiplication. */
#include "encode/float_print.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "compiler.h"
#include "tables/char_tables.h"
#include "tables/float_print_table.h"

/* -DJC_FLOAT_PRINT_PORTABLE builds the code other architectures get, so that it
 * can be tested on x86-64 too. */
#if JC_HAVE_SSE2 && !defined(JC_FLOAT_PRINT_PORTABLE)
#  define FLOAT_PRINT_SSE2 1
#  include <emmintrin.h>
#else
#  define FLOAT_PRINT_SSE2 0
#endif

#define SIGNIFICAND_BITS 52
#define SIGNIFICAND_MASK ((UINT64_C(1) << SIGNIFICAND_BITS) - 1)
#define HIDDEN_BIT       (UINT64_C(1) << SIGNIFICAND_BITS)
#define EXPONENT_MASK    0x7FFu
#define EXPONENT_BIAS    1023u
/* q = biased exponent - 1075 makes the significand c an integer. */
#define INTEGER_EXPONENT_OFFSET 1075
#define Q_MIN                   (-1074)

#define ASCII_ZEROS UINT64_C(0x3030303030303030)
#define TEN_TO_8    UINT64_C(100000000)
#define TEN_TO_16   UINT64_C(10000000000000000)

/* cond ? a : b through a mask: GCC turns plain ternaries on unpredictable data into
 * branches. */
JC_INLINE uint64_t select_u64(bool cond, uint64_t a, uint64_t b)
{
    return b ^ ((a ^ b) & (0 - (uint64_t)cond));
}

JC_INLINE uint64_t multiply_high(uint64_t a, uint64_t b)
{
    return (uint64_t)(((__uint128_t)a * b) >> 64);
}

/* n / 10 for n < 2^62 with one multiplication: ceil(2^64 / 10) over-estimates
 * 2^64 / 10 by 0.4, which adds less than 0.1 to n / 10 in that range. */
JC_INLINE uint64_t divide_by_10(uint64_t n)
{
    return multiply_high(n, UINT64_C(0x199999999999999A));
}

/* The integer approximations below are exact over every q and k a finite double
 * can produce (checked by the generator's --verify). Right shifts of negative
 * values are arithmetic under GCC and Clang. */
JC_INLINE int floor_log10_pow2(int q)
{
    return (q * 315653) >> 20;
}
JC_INLINE int floor_log10_three_quarters_pow2(int q)
{
    return (q * 315653 - 131237) >> 20;
}
JC_INLINE int floor_log2_pow10(int e)
{
    return (e * 1741647) >> 19;
}

typedef struct {
    uint64_t digits; /* no trailing-zero guarantee */
    int exponent;    /* value = digits * 10^exponent */
} decimal;

/* ------------------------------------------------------------------------- */
/* The exact path: three scaled products rounded to odd. */

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

/* The shortest decimal in the rounding interval of c * 2^q; `asymmetric` when
 * c is a power of two above the smallest normal, whose lower gap is half the
 * upper. For powers of two and the rare doubles the fast path cannot decide,
 * and for every float32 (where c < 2^24 keeps each product further from the
 * bounds the proof needs). */
JC_INLINE decimal shortest_decimal_exact(uint64_t c, int q, bool asymmetric)
{
    uint64_t cb = c << 2;
    uint64_t cbl;
    uint64_t cbr = cb + 2;
    int k;
    if (!asymmetric) {
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

/* ------------------------------------------------------------------------- */
/* The fast path: one scaled product, 4.60 fixed point. */

#define FIXED_ONE     (UINT64_C(1) << 60)
#define FIXED_TEN     (UINT64_C(10) << 60)
#define FRACTION_HALF (UINT64_C(1) << 63)
/* Comparisons closer than this many units of 2^-60 go to the exact path. The
 * error analysis below needs 1 (2 for the upper end); the margin is free. */
#define FIXED_SLACK UINT64_C(4)

/* The shortest decimal as its first 16 digits and the 17th: d = 10 * head + last,
 * value = d * 10^(decpt - 17), head in [10^15, 10^16) (a 16-digit shortest gets
 * last = 0). */
typedef struct {
    uint64_t head;
    unsigned last;
    int decpt;
} digits17;

/* For a normal c * 2^q, c not a power of two: the shortest decimal, or false when
 * the exact path must decide.
 *
 * g over-estimates 10^-k * 2^(127 - b) by at most one unit, and the scaled
 * significand c << h is below 2^57, so the 192-bit product is X * 2^128 plus less
 * than 2^57. The exact path's proof shows the fraction of X never comes within
 * 2^-70 of 1 when X is not an integer, so the top word is floor(X) exactly, and the
 * next one, `fraction`, is frac(X) * 2^64 rounded down after adding less than
 * 2^-7. `rem` = (X mod 10) * 2^60 and `half` = W * 2^60 are thus each rounded down
 * after adding less than 1/2^11: their difference is within one unit of the true
 * one, their sum within two. */
JC_INLINE bool shortest_fast(uint64_t c, int q, digits17 *out)
{
    int k = floor_log10_pow2(q);
    int h = q + floor_log2_pow10(-k) + 1; /* 1 <= h <= 4 */
    const uint64_t *g = jc_fp_pow10_128[-k - JC_FP_POW10_SMALLEST_POWER];
    uint64_t scaled = c << h;

    __uint128_t low = (__uint128_t)g[1] * scaled;
    __uint128_t high = (__uint128_t)g[0] * scaled + (uint64_t)(low >> 64);
    uint64_t integral = (uint64_t)(high >> 64); /* floor(X), in [2^52, 10 * 2^53) */
    uint64_t fraction = (uint64_t)high;

    uint64_t tenth = divide_by_10(integral);
    uint64_t digit = integral - tenth * 10;
    uint64_t rem = (digit << 60) | (fraction >> 4);
    /* 2W * 2^128 = g << h, so W * 2^60 = g >> (69 - h) */
    uint64_t half = g[0] >> (5 - h);
    uint64_t sum = rem + half;

    bool near_lower = rem - half + FIXED_SLACK <= 2 * FIXED_SLACK;
    bool near_upper = sum - FIXED_TEN + FIXED_SLACK <= 2 * FIXED_SLACK;
    /* frac(X) = 1/2 exactly happens (1 + 2^-17 scales to ...312.5) and needs the
     * even rule; otherwise frac(X) is at least 2^-70 away from 1/2. */
    bool near_tie = fraction - FRACTION_HALF + 1 <= 2;
    if (jc_unlikely(near_lower | near_upper | near_tie))
        return false;

    /* The multiple of 10 below X, the one above (never both, as 2W < 10), or X
     * rounded to nearest. Masks rather than conditionals: compilers would branch,
     * on bits that are as good as random. */
    bool lower_in = rem < half;
    bool upper_in = sum > FIXED_TEN;
    uint64_t shorter = (tenth + upper_in) * 10;
    uint64_t nearest = integral + (fraction > FRACTION_HALF);
    uint64_t d = select_u64(lower_in | upper_in, shorter, nearest);
    /* X >= 2^52 > 10^15, so d has 16 or 17 digits */
    bool sixteen = d < TEN_TO_16;
    uint64_t d_tenth = divide_by_10(d);
    out->head = select_u64(sixteen, d, d_tenth);
    out->last = (unsigned)((d - d_tenth * 10) & ((uint64_t)sixteen - 1));
    out->decpt = k + 17 - sixteen;
    return true;
}

/* n >= 1 and n < 10^17 */
JC_INLINE unsigned count_digits(uint64_t n)
{
    unsigned t = ((64 - jc_clz64(n)) * 1233) >> 12;
    return t + 1 - (n < jc_pow10_u64[t]);
}

/* d * 10^k for the exact path, d >= 1 */
JC_INLINE digits17 split_decimal(uint64_t d, int k)
{
    unsigned count = count_digits(d);
    uint64_t d17 = d * jc_pow10_u64[17 - count];
    uint64_t head = divide_by_10(d17);
    return (digits17){head, (unsigned)(d17 - head * 10), k + (int)count};
}

/* ------------------------------------------------------------------------- */
/* Digits to ASCII. */

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

/* Sixteen ASCII digits as one block, first digit in byte 0, and the operations the
 * layouts need on it. With SSE2 (the x86-64 baseline) the two 8-digit halves are
 * converted side by side in one register; elsewhere two eight_digits words. */
#if FLOAT_PRINT_SSE2

typedef __m128i digit_block;

/* v, through a register the optimizer cannot see into: GCC rewrites a vector
 * multiplication by a known constant into shifts and adds, four instructions
 * where one pmullw does. */
JC_INLINE __m128i opaque_constant(__m128i v)
{
    __asm__("" : "+x"(v));
    return v;
}

/* n < 10^16, leading zeros included. The lanes run in the reverse of reading
 * order until the final shuffle: splitting 8 digits into 4 + 4 with one
 * multiply-add leaves the last four in the low half of the lane. */
JC_INLINE digit_block digit_block_from(uint64_t n)
{
    uint64_t first8 = n / TEN_TO_8;
    uint64_t last8 = n - first8 * TEN_TO_8;
    __m128i x = _mm_set_epi64x((long long)first8, (long long)last8);
    /* 32-bit lanes (last 4 of last8, first 4 of last8, last 4, first 4 of first8):
     * v + (2^32 - 10^4) * (v / 10^4), where 109951163 / 2^40 rounds 10^-4 up by
     * little enough for v < 10^8 */
    __m128i quotient = _mm_srli_epi64(_mm_mul_epu32(x, _mm_set1_epi64x(109951163)), 40);
    __m128i fours = _mm_add_epi64(x, _mm_mul_epu32(quotient, _mm_set1_epi64x((1LL << 32) - 10000)));
    /* each 4-digit lane w into (w / 100, w % 100) in 16-bit halves, reading order:
     * 5243 / 2^19 rounds 1/100 up harmlessly below 10^4 */
    __m128i hundreds = _mm_srli_epi16(_mm_mulhi_epu16(fours, _mm_set1_epi32(5243)), 3);
    __m128i below_100 = _mm_sub_epi16(fours, _mm_mullo_epi16(hundreds, _mm_set1_epi32(100)));
    __m128i twos = _mm_or_si128(_mm_slli_epi32(below_100, 16), hundreds);
    /* each 2-digit lane u into bytes (u / 10, u % 10): 256 * u - 2559 * (u / 10)
     * = 256 * (u % 10) + u / 10 */
    __m128i tens = _mm_mulhi_epu16(twos, _mm_set1_epi16(6554));
    __m128i ones = _mm_sub_epi16(_mm_slli_epi16(twos, 8),
                                 _mm_mullo_epi16(tens, opaque_constant(_mm_set1_epi16(2559))));
    __m128i ordered = _mm_shuffle_epi32(ones, _MM_SHUFFLE(0, 1, 2, 3));
    return _mm_or_si128(ordered, _mm_set1_epi8('0'));
}

/* Significant digits of the block followed by a 17th digit `last`: 1 + the index of
 * the last digit that is not 0; the block does not start with '0'. */
JC_INLINE unsigned digit_block_significant(digit_block d, unsigned last)
{
    unsigned zeros = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(d, _mm_set1_epi8('0')));
    unsigned nonzero = (zeros ^ 0xFFFF) | (unsigned)(last != 0) << 16;
    unsigned highest = 31 ^ (unsigned)__builtin_clz(nonzero); /* one bsr */
    return highest + 1;
}

JC_INLINE void digit_block_store(char *p, digit_block d)
{
    _mm_storeu_si128((__m128i *)(void *)p, d);
}

/* Two sliding windows: 16 bytes loaded from keep + 16 - pos are 0xFF below pos,
 * from point + 16 - pos '.' at pos and 0xFF elsewhere. One array, so that one
 * address serves both. */
static const uint8_t point_windows[64] = {
#  define KEEP_WINDOW 0
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
#  define POINT_WINDOW 32
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    '.',  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/* The 16 digits with a point after the first pos of them (1 <= pos <= 15), then
 * `last`: bytes 0..17. The digits after the point move up one byte inside the
 * register; the point goes in through an unsigned minimum, since '.' sorts below
 * every digit. */
JC_INLINE void digit_block_store_point(char *p, digit_block d, unsigned pos, char last)
{
    const uint8_t *window = point_windows + 16 - pos;
    __m128i keep = _mm_loadu_si128((const __m128i *)(const void *)(window + KEEP_WINDOW));
    __m128i point = _mm_loadu_si128((const __m128i *)(const void *)(window + POINT_WINDOW));
    __m128i moved = _mm_slli_si128(d, 1);
    __m128i merged = _mm_or_si128(_mm_and_si128(keep, d), _mm_andnot_si128(keep, moved));
    _mm_storeu_si128((__m128i *)(void *)p, _mm_min_epu8(merged, point));
    p[16] = (char)((unsigned)_mm_extract_epi16(d, 7) >> 8); /* pushed out by the point */
    p[17] = last;
}

#else /* portable: two words */

typedef struct {
    uint64_t head; /* digits 1..8 */
    uint64_t tail; /* digits 9..16 */
} digit_block;

JC_INLINE digit_block digit_block_from(uint64_t n)
{
    uint32_t first8 = (uint32_t)(n / TEN_TO_8);
    uint32_t last8 = (uint32_t)(n - first8 * TEN_TO_8);
    return (digit_block){eight_digits(first8) | ASCII_ZEROS, eight_digits(last8) | ASCII_ZEROS};
}

/* '0' bytes at the top of a word of ASCII digits */
JC_INLINE unsigned trailing_ascii_zeros(uint64_t word)
{
    uint64_t values = word ^ ASCII_ZEROS;
    return (jc_clz64(values | 1) + (values == 0)) / 8;
}

JC_INLINE unsigned digit_block_significant(digit_block d, unsigned last)
{
    if (last != 0)
        return 17;
    if ((d.tail ^ ASCII_ZEROS) != 0)
        return 16 - trailing_ascii_zeros(d.tail);
    return 8 - trailing_ascii_zeros(d.head);
}

JC_INLINE void digit_block_store(char *p, digit_block d)
{
    jc_store64(p, d.head);
    jc_store64(p + 8, d.tail);
}

/* Bytes below pos (1 <= pos <= 15) of a 16-byte block, as {low word, high word}.
 * A table because compilers turn the equivalent 128-bit shifts into shift-double
 * chains. */
static const uint64_t keep_masks[16][2] = {
    {0, 0},
    {UINT64_C(0xff), 0},
    {UINT64_C(0xffff), 0},
    {UINT64_C(0xffffff), 0},
    {UINT64_C(0xffffffff), 0},
    {UINT64_C(0xffffffffff), 0},
    {UINT64_C(0xffffffffffff), 0},
    {UINT64_C(0xffffffffffffff), 0},
    {UINT64_C(0xffffffffffffffff), 0},
    {UINT64_C(0xffffffffffffffff), UINT64_C(0xff)},
    {UINT64_C(0xffffffffffffffff), UINT64_C(0xffff)},
    {UINT64_C(0xffffffffffffffff), UINT64_C(0xffffff)},
    {UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffff)},
    {UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffff)},
    {UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffff)},
    {UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffffff)},
};

/* As the SSE2 version: the bytes after the point move up by one inside registers,
 * so no byte is stored twice at different offsets (which would defeat
 * store-to-load forwarding). The byte at pos is clear after the move, so the point
 * goes in with an OR. */
JC_INLINE void digit_block_store_point(char *p, digit_block d, unsigned pos, char last)
{
    uint64_t keep_low = keep_masks[pos][0];
    uint64_t keep_high = keep_masks[pos][1];
    uint64_t moved_low = d.head & ~keep_low;
    uint64_t moved_high = d.tail & ~keep_high;
    uint64_t point_low = pos < 8 ? (uint64_t)'.' << (8 * pos) : 0;
    uint64_t point_high = pos >= 8 ? (uint64_t)'.' << (8 * (pos - 8)) : 0;
    jc_store64(p, (d.head & keep_low) | (moved_low << 8) | point_low);
    jc_store64(p + 8, (d.tail & keep_high) | (moved_high << 8) | (moved_low >> 56) | point_high);
    p[16] = (char)(d.tail >> 56); /* pushed out by the point */
    p[17] = last;
}

#endif /* FLOAT_PRINT_SSE2 */

/* "e+XX", "e-XX" or "e+XXX" at q, branch-free because random input has two- and
 * three-digit exponents about equally often. Stores 8 bytes. */
JC_INLINE size_t write_exponent(char *q, int e)
{
    uint64_t sign = e < 0 ? '-' : '+';
    uint32_t magnitude = e < 0 ? (uint32_t)-e : (uint32_t)e;
    uint32_t hundreds = (magnitude * 41) >> 12; /* magnitude / 100 below 1000 */
    uint32_t rest = magnitude - hundreds * 100;
    uint64_t pair = jc_load16(jc_digit_pairs + (size_t)rest * 2);
    uint64_t three = ('0' + hundreds) | (pair << 8);
    uint64_t digits = select_u64(hundreds != 0, three, pair);
    jc_store64(q, 'e' | (sign << 8) | (digits << 16));
    return 4 + (hundreds != 0);
}

/* value = 0.d1d2...d17 * 10^decpt, with d1..d16 = head (d1 != 0) and d17 = last */
JC_INLINE size_t write_digits(char *p, uint64_t head, unsigned last, int decpt)
{
    digit_block block = digit_block_from(head);
    unsigned n = digit_block_significant(block, last);
    char last_char = (char)('0' + last);

    if (jc_likely((unsigned)(decpt - 1) < 15)) { /* 0 < decpt < 16: "12.345" */
        /* digits past n are zeros, so "1234.0" and "1.234" are the same layout */
        digit_block_store_point(p, block, (unsigned)decpt, last_char);
        unsigned end = (unsigned)decpt + 1 > n ? (unsigned)decpt + 1 : n;
        return end + 1;
    }
    if ((unsigned)(decpt + 3) <= 3) {                /* -4 < decpt <= 0: "0.00012345" */
        jc_store64(p, UINT64_C(0x3030303030302E30)); /* "0.000000" */
        char *q = p + 2 - decpt;
        digit_block_store(q, block);
        q[16] = last_char;
        return (size_t)(2 - decpt) + n;
    }
    if (decpt == 16) { /* "1234567890123456.7" */
        digit_block_store(p, block);
        p[16] = '.';
        p[17] = last_char;
        return 18;
    }
    /* "1.2345e+20", and "1e+20" for a lone digit: the exponent overwrites the point */
    digit_block_store_point(p, block, 1, last_char);
    char *q = p + n + (n > 1);
    return (size_t)(q - p) + write_exponent(q, decpt - 1);
}

/* 1 <= n < 2^53: exactly representable, so its digits are the shortest form and
 * it always prints in fixed notation ("12.0") */
JC_INLINE size_t write_integer(char *p, uint64_t n)
{
    if (n < TEN_TO_8) {
        /* leading zero digits are the zero bytes at the bottom of the word */
        uint64_t word = eight_digits((uint32_t)n);
        unsigned leading = jc_ctz64(word) / 8;
        jc_store64(p, (word >> (8 * leading)) | ASCII_ZEROS);
        jc_store16(p + 8 - leading, ('0' << 8) | '.');
        return 10 - leading;
    }
    /* scaled to 16 digits, so the block starts with the first one */
    unsigned count = count_digits(n);
    digit_block_store(p, digit_block_from(n * jc_pow10_u64[16 - count]));
    jc_store16(p + count, ('0' << 8) | '.');
    return count + 2;
}

/* The exact path, out of line and entered by a tail call, so that nothing in the
 * caller lives across a call and the common path saves no registers. */
JC_NOINLINE static size_t write_exact(char *p, uint64_t c, int q, size_t sign)
{
    decimal dec = shortest_decimal_exact(c, q, c == HIDDEN_BIT && q != Q_MIN);
    digits17 d = split_decimal(dec.digits, dec.exponent);
    return sign + write_digits(p, d.head, d.last, d.decpt);
}

/* '-' for a negative number: always stored, counted only when negative
 * (branch-free). Returns the count. */
JC_INLINE size_t put_sign(char *out, size_t negative)
{
    *out = '-';
    return negative;
}

size_t jc_write_double_repr(double x, char *out)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    size_t sign = put_sign(out, bits >> 63);
    char *p = out + sign;

    uint64_t fraction = bits & SIGNIFICAND_MASK;
    unsigned biased = (unsigned)(bits >> SIGNIFICAND_BITS) & EXPONENT_MASK;
    if (jc_unlikely(biased == 0)) {
        if (fraction == 0) {
            memcpy(p, "0.0", 3);
            return sign + 3;
        }
        return write_exact(p, fraction, Q_MIN, sign); /* subnormal */
    }
    uint64_t c = fraction | HIDDEN_BIT;
    int q = (int)biased - INTEGER_EXPONENT_OFFSET;
    /* 1 <= |x| < 2^53 and no fraction bits below the binary point (the two
     * shifts total at most 64, each below 64) */
    unsigned integer_bits = biased - EXPONENT_BIAS;
    if (integer_bits <= SIGNIFICAND_BITS && ((bits << 12) << integer_bits) == 0)
        return sign + write_integer(p, c >> (SIGNIFICAND_BITS - integer_bits));
    /* powers of two have an asymmetric interval */
    digits17 d;
    if (jc_unlikely(fraction == 0) || jc_unlikely(!shortest_fast(c, q, &d)))
        return write_exact(p, c, q, sign);
    return sign + write_digits(p, d.head, d.last, d.decpt);
}

/* ------------------------------------------------------------------------- */
/* float32 (numpy): the shortest decimal that reads back as the same float32,
 * through the exact path, in the same layout. */

#define F32_SIGNIFICAND_BITS 23
#define F32_HIDDEN_BIT       (UINT32_C(1) << F32_SIGNIFICAND_BITS)
#define F32_Q_MIN            (-149)

size_t jc_write_float32_repr(float x, char *out)
{
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    size_t sign = put_sign(out, bits >> 31);
    char *p = out + sign;
    uint32_t fraction = bits & (F32_HIDDEN_BIT - 1);
    unsigned biased = (bits >> F32_SIGNIFICAND_BITS) & 0xFF;
    uint64_t c;
    int q;
    if (biased == 0) {
        if (fraction == 0) {
            memcpy(p, "0.0", 3);
            return sign + 3;
        }
        c = fraction;
        q = F32_Q_MIN;
    } else {
        c = fraction | F32_HIDDEN_BIT;
        q = (int)biased - 150;
    }
    decimal dec = shortest_decimal_exact(c, q, fraction == 0 && biased > 1);
    digits17 d = split_decimal(dec.digits, dec.exponent);
    return sign + write_digits(p, d.head, d.last, d.decpt);
}
