#!/usr/bin/env python3
"""Writes core/tables/utf8_tables.h: the byte-shuffle tables with which the SIMD
str writers (core/simd/utf8_avx2.h) squeeze fixed-width UTF-8 code words into
a contiguous run of bytes, one 16-byte lane (one pshufb) at a time.

  jc_utf8_pack2[m]  8 16-bit words per lane, each holding a 1- or 2-byte
                    sequence from its low byte up; bit k of m set when word k
                    has 2 bytes. jc_utf8_pack2_len[m] = 8 + popcount(m).
  jc_utf8_pack4[m]  4 32-bit words per lane, each holding a 1- to 4-byte
                    sequence from its low byte up; bits 2k..2k+1 of m are word
                    k's length - 1. jc_utf8_pack4_len[m] = the lengths' sum.

Unused shuffle positions are 0x80 (pshufb writes a zero there); the kernels
store all 16 bytes and advance by the length.
Run from anywhere:  python3 scripts/gen_utf8_tables.py
"""
import table_header


def pack2(mask):
    picks = []
    for k in range(8):
        picks.append(2 * k)
        if mask >> k & 1:
            picks.append(2 * k + 1)
    return picks


def pack4(mask):
    picks = []
    for k in range(4):
        length = (mask >> (2 * k) & 3) + 1
        picks += [4 * k + i for i in range(length)]
    return picks


def render(name, doc, fn):
    rows = []
    lengths = []
    for mask in range(256):
        picks = fn(mask)
        lengths.append(len(picks))
        cells = ", ".join(f"0x{b:02x}" for b in picks + [0x80] * (16 - len(picks)))
        rows.append(f"    {{{cells}}}, /* 0x{mask:02x} */")
    return [
        f"/* {doc} */",
        f"static const uint8_t {name}[256][16] __attribute__((aligned(16))) = {{",
        *rows,
        "};",
        "",
        f"/* The bytes {name}[m] keeps. */",
        f"static const uint8_t {name}_len[256] = {{",
        *("    " + ", ".join(f"{n:2d}" for n in lengths[row:row + 16]) + ","
          for row in range(0, 256, 16)),
        "};",
        "",
    ]


def main():
    body = render("jc_utf8_pack2", "8 words of 1 or 2 bytes (bit k: word k has 2)", pack2)
    body += render("jc_utf8_pack4", "4 words of 1 to 4 bytes (bits 2k..2k+1: word k's length - 1)",
                   pack4)
    table_header.write("utf8_tables.h", __file__, body)


if __name__ == "__main__":
    main()
