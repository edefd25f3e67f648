#!/usr/bin/env python3
"""Writes core/tables/float_print_table.h: 128-bit approximations of 10**e for the
Schubfach shortest-digits printer (core/encode/float_print.c).

For every e in [-292, 324] (e = -k for the decimal exponents k that the printer
can select, k = floor(log10(2**q)) or floor(log10(3/4 * 2**q)) with q the binary
exponent of a finite double) the table holds

    g(e) = floor(10**e * 2**(127 - b)) + 1,    b = floor(log2(10**e)),

so 2**127 < g(e) < 2**128. Rounding up (even when 10**e * 2**(127 - b) is an
integer) makes every product in float_print.c an over-estimate by a known tiny
amount, so a product whose exact value is an integer is never truncated to the
integer below; that is what the round-to-odd argument of Schubfach needs
(R. Giulietti, "The Schubfach way to render doubles", 2020).

Run from anywhere:  python3 scripts/gen_float_print_table.py
With --verify it also proves, with exact integer arithmetic over every binary
exponent and every significand, that the 128-bit table, the sticky-bit threshold
and the integer log approximations used in float_print.c are precise enough.
"""
import math
import sys

import table_header

SMALLEST_POWER = -292
LARGEST_POWER = 324
COMMENT = ["/* {high, low} 64-bit halves of floor(10^e * 2^(127 - floor(log2(10^e)))) + 1,",
           " * for e = JC_FP_POW10_SMALLEST_POWER + index. */"]

# Binary exponents q of finite doubles: value = c * 2**q.
Q_MIN = -1074
Q_MAX = 971
C_MIN = 1 << 52


def floor_log2_pow10(e):
    """floor(log2(10**e)), exactly."""
    if e >= 0:
        return (10 ** e).bit_length() - 1
    # 10**-e is not a power of two, so ceil(log2(10**-e)) is its bit length.
    return -((10 ** -e).bit_length())


def table_entry(e):
    b = floor_log2_pow10(e)
    shift = 127 - b
    if e >= 0:
        num, den = 10 ** e, 1
    else:
        num, den = 1, 10 ** -e
    if shift >= 0:
        num <<= shift
    else:
        den <<= -shift
    g = num // den + 1
    assert (1 << 127) < g < (1 << 128), e
    return g


# ----------------------------------------------------------------------------
# Exact floors the C code computes with multiply-and-shift approximations.

def exact_floor_log10_pow2(q):
    """floor(log10(2**q)), exactly."""
    if q >= 0:
        return len(str(1 << q)) - 1
    # 2**-q is not a power of ten, so ceil(log10(2**-q)) is its digit count.
    return -len(str(1 << -q))


def exact_floor_log10_three_quarters_pow2(q):
    """floor(log10(3 * 2**q / 4)): largest k with 4 * 10**k <= 3 * 2**q."""
    # compare 4 * 10**k <= 3 * 2**q using integers scaled by the smaller power
    def le(k):
        lhs_num, rhs_num = 4, 3
        lhs_num *= 10 ** k if k >= 0 else 1
        rhs_num *= 1 << q if q >= 0 else 1
        lhs_den = 10 ** -k if k < 0 else 1
        rhs_den = 1 << -q if q < 0 else 1
        return lhs_num * rhs_den <= rhs_num * lhs_den
    k = exact_floor_log10_pow2(q)
    while not le(k):
        k -= 1
    while le(k + 1):
        k += 1
    return k


def c_flog10_pow2(q):
    return (q * 315653) >> 20


def c_flog10_three_quarters_pow2(q):
    return (q * 315653 - 131237) >> 20


def c_flog2_pow10(e):
    return (e * 1741647) >> 19


def floor_sum(n, m, a, b):
    """sum(floor((a*i + b) / m) for i in range(n)), a, b >= 0 (AtCoder's algorithm)."""
    ans = 0
    while True:
        if a >= m:
            ans += (n - 1) * n // 2 * (a // m)
            a %= m
        if b >= m:
            ans += n * (b // m)
            b %= m
        y_max = a * n + b
        if y_max < m:
            return ans
        n, b = divmod(y_max, m)
        m, a = a, m


def count_residues(a, b, m, n, lo, hi):
    """Number of i in [0, n) with lo <= (a*i + b) mod m <= hi, 0 <= lo <= hi < m."""
    def at_most(v):  # residues <= v
        return floor_sum(n, m, a, b + m) - floor_sum(n, m, a, b + m - v - 1)
    return at_most(hi) - (at_most(lo - 1) if lo > 0 else 0)


def verify(table):
    # 1. The log approximations are exact over the ranges float_print.c uses.
    for q in range(Q_MIN, Q_MAX + 1):
        assert c_flog10_pow2(q) == exact_floor_log10_pow2(q), q
        if q > Q_MIN:
            assert c_flog10_three_quarters_pow2(q) == exact_floor_log10_three_quarters_pow2(q), q
    for e in range(SMALLEST_POWER, LARGEST_POWER + 1):
        assert c_flog2_pow10(e) == floor_log2_pow10(e), e

    # 2. The products are exact where Schubfach needs them to be.
    # float_print.c computes vb = floor(P / 2**128) | sticky with P = (cp << h) * g
    # (192 bits), sticky = (P mod 2**128) >= 2**60, cp in {4c-2, 4c-1, 4c, 4c+2}.
    # The exact value is X = cp * 2**q * 10**-k and P = X * 2**128 + E where
    # E = (cp << h) * (g - 10**-k * 2**(127 - b)) lies in (0, 2**60) because
    # cp << h < 2**60 and the table over-estimates by at most one unit. So the
    # result equals floor(X) | (X is not an integer) provided every non-integral X
    # has 2**-68 <= frac(X) < 1 - 2**-68. (Some have frac(X) near 2**-65.4, so a
    # sticky bit taken from the top 64 fraction bits alone would not be enough.)
    for q in range(Q_MIN, Q_MAX + 1):
        for asymmetric in (False, True):
            if asymmetric and q == Q_MIN:
                continue
            k = c_flog10_three_quarters_pow2(q) if asymmetric else c_flog10_pow2(q)
            e = -k
            h = q + c_flog2_pow10(e) + 1
            assert 1 <= h <= 4, (q, h)
            g = table[e - SMALLEST_POWER]
            # X = cp * num / den, reduced
            num, den = 1, 1
            num *= (1 << q) if q >= 0 else 1
            den *= (1 << -q) if q < 0 else 1
            num *= 10 ** e if e >= 0 else 1
            den *= 10 ** -e if e < 0 else 1
            common = math.gcd(num, den)
            num //= common
            den //= common
            if asymmetric:
                # only c = 2**52: check the three products directly
                for cp in (4 * C_MIN - 1, 4 * C_MIN, 4 * C_MIN + 2):
                    p = (cp << h) * g
                    got = (p >> 128) | int((p & ((1 << 128) - 1)) >= (1 << 60))
                    exact_int, rem = divmod(cp * num, den)
                    assert got == (exact_int | int(rem != 0)), (q, cp)
                continue
            # symmetric: cp = 2*y with y in [lo, hi] (all c of this exponent)
            y_lo = 1 if q == Q_MIN else 2 * C_MIN - 1
            y_hi = 4 * C_MIN + 1
            assert (y_hi * 2 << h) < (1 << 60)
            if den == 1:
                continue
            a = (2 * num) % den
            b = (a * y_lo) % den
            n = y_hi - y_lo + 1
            # forbidden residues: 0 < r < den * 2**-68 and r >= den * (1 - 2**-68)
            low_max = (den - 1) >> 68
            if low_max >= 1:
                assert count_residues(a, b, den, n, 1, low_max) == 0, ("low", q)
            high_min = -(-(den * ((1 << 68) - 1)) >> 68)
            if high_min <= den - 1:
                assert count_residues(a, b, den, n, high_min, den - 1) == 0, ("high", q)
    return True


def main():
    table = [table_entry(e) for e in range(SMALLEST_POWER, LARGEST_POWER + 1)]
    if "--verify" in sys.argv[1:]:
        verify(table)
        print("verified: log approximations exact, 128-bit products exact where needed")
    table_header.write_u128_table("float_print_table.h", __file__, "jc_fp_pow10_128", "FP_POW10",
                                  SMALLEST_POWER, table, COMMENT, "10^")


if __name__ == "__main__":
    main()
