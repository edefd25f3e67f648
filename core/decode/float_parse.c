/* Clinger's fast path and the Eisel-Lemire algorithm. See float_parse.h. */
#include "decode/float_parse.h"

#include <string.h>

#include "compiler.h"
#include "tables/pow5_table.h"

#define MANTISSA_BITS  52
#define EXPONENT_BIAS  1023
#define INFINITE_POWER 0x7FF

/* 10^0 .. 10^22 are exact doubles. */
static const double exact_powers_of_ten[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

JC_INLINE double double_from_bits(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

JC_INLINE double assemble(uint64_t mantissa, int32_t power2, bool negative)
{
    uint64_t bits = mantissa | ((uint64_t)power2 << MANTISSA_BITS);
    return double_from_bits(bits | ((uint64_t)negative << 63));
}

/* floor(log2(10^q)) + 63 without a loop: 217706 / 2^16 approximates log2(10)
 * exactly enough for every q in the table's range. */
JC_INLINE int32_t binary_exponent_of_power_of_ten(int64_t q)
{
    return (int32_t)(((217706 * q) >> 16) + 63);
}

bool jc_decimal_to_double(uint64_t w, int64_t q, bool negative, double *out)
{
    if (w == 0 || q < JC_POW5_SMALLEST_POWER) {
        /* w < 10^19, so w * 10^-343 is below half the smallest subnormal. */
        *out = negative ? -0.0 : 0.0;
        return true;
    }
    if (q > JC_POW5_LARGEST_POWER) {
        *out = assemble(0, INFINITE_POWER, negative);
        return true;
    }

    /* Clinger: both operands exact, so one IEEE operation rounds correctly. */
    if (q >= -22 && q <= 22 && w <= (UINT64_C(1) << 53)) {
        double value = (double)w;
        value = q < 0 ? value / exact_powers_of_ten[-q] : value * exact_powers_of_ten[q];
        *out = negative ? -value : value;
        return true;
    }

    /* Eisel-Lemire: the top bits of w * 5^q, with w normalised to bit 63. */
    unsigned leading_zeros = jc_clz64(w);
    w <<= leading_zeros;
    const uint64_t *power = jc_pow5_128[q - JC_POW5_SMALLEST_POWER];
    __uint128_t product = (__uint128_t)w * power[0];
    uint64_t high = (uint64_t)(product >> 64);
    uint64_t low = (uint64_t)product;
    /* 55 bits are needed (52 + hidden + round + one for the normalisation
     * shift); refine with the table's low half only when the bits below them
     * are all ones, where the truncated low half could still carry in. */
    const uint64_t below_precision = UINT64_MAX >> (MANTISSA_BITS + 3);
    if ((high & below_precision) == below_precision) {
        __uint128_t refinement = (__uint128_t)w * power[1];
        uint64_t carry_in = (uint64_t)(refinement >> 64);
        uint64_t sum = low + carry_in;
        high += sum < low;
        low = sum;
        /* Still all ones: the exact product could be on either side of a
         * rounding boundary. Proven decidable only for -27 <= q <= 55. */
        if (low == UINT64_MAX && (q < -27 || q > 55))
            return false;
    }

    unsigned upper_bit = (unsigned)(high >> 63);
    uint64_t mantissa = high >> (upper_bit + 64 - MANTISSA_BITS - 3);
    int32_t power2 = binary_exponent_of_power_of_ten(q) + (int32_t)upper_bit -
                     (int32_t)leading_zeros + EXPONENT_BIAS;

    if (power2 <= 0) {
        /* Subnormal (or zero): shift into place and round once. */
        if (-power2 + 1 >= 64) {
            *out = negative ? -0.0 : 0.0;
            return true;
        }
        mantissa >>= -power2 + 1;
        mantissa += mantissa & 1;
        mantissa >>= 1;
        /* Rounding up may have produced the smallest normal number. */
        power2 = mantissa < (UINT64_C(1) << MANTISSA_BITS) ? 0 : 1;
        *out = assemble(mantissa & ((UINT64_C(1) << MANTISSA_BITS) - 1), power2, negative);
        return true;
    }

    /* An exact halfway case rounds to even; it can only arise for small q,
     * where the product was exact, and shows as a low half of 0 or 1. */
    if (low <= 1 && q >= -4 && q <= 23 && (mantissa & 3) == 1 &&
        (mantissa << (upper_bit + 64 - MANTISSA_BITS - 3)) == high)
        mantissa &= ~UINT64_C(1);

    mantissa += mantissa & 1;
    mantissa >>= 1;
    if (mantissa >= (UINT64_C(2) << MANTISSA_BITS)) {
        mantissa = UINT64_C(1) << MANTISSA_BITS;
        power2++;
    }
    mantissa &= ~(UINT64_C(1) << MANTISSA_BITS);
    if (power2 >= INFINITE_POWER) {
        *out = assemble(0, INFINITE_POWER, negative);
        return true;
    }
    *out = assemble(mantissa, power2, negative);
    return true;
}
