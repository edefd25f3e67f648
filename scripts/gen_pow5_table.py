#!/usr/bin/env python3
"""Writes core/tables/pow5_table.h: 128-bit approximations of 5**q for the parser's
Eisel-Lemire decimal-to-binary conversion (core/decode/float_parse.c).

For every q in [-342, 308] the table holds the 128 most significant bits of 5**q,
normalised so bit 127 is set. The rounding direction follows the error analysis
of Lemire's algorithm ("Number Parsing at a Gigabyte per Second", 2021): powers
q >= 0 are truncated (exact up to 5**55), reciprocals 5**q for -27 <= q < 0 are
rounded up so that exact halfway cases are recognised, and smaller reciprocals
are truncated; float_parse.c falls back to an exact conversion whenever the
product lands where that error could matter. Run from the project root:  python3 scripts/gen_pow5_table.py
"""
import table_header

SMALLEST_POWER = -342
LARGEST_POWER = 308
COMMENT = ["/* {high, low} 64-bit halves of 5^q normalised to 128 significant bits,",
           " * for q = JC_POW5_SMALLEST_POWER + index. */"]


def normalised_power_of_five(q):
    if q >= 0:
        value = 5 ** q
        shift = value.bit_length() - 128
        return value >> shift if shift > 0 else value << -shift
    divisor = 5 ** -q
    # 2**k / divisor lies in (2**127, 2**128): its floor has exactly 128 bits and
    # is never exact, because divisor is an odd number above 1.
    k = divisor.bit_length() + 127
    floor = (1 << k) // divisor
    return floor + 1 if q >= -27 else floor


def main():
    values = [normalised_power_of_five(q) for q in range(SMALLEST_POWER, LARGEST_POWER + 1)]
    assert all(value.bit_length() == 128 for value in values)
    table_header.write_u128_table("pow5_table.h", __file__, "jc_pow5_128", "POW5", SMALLEST_POWER,
                                  values, COMMENT, "5^")


if __name__ == "__main__":
    main()
