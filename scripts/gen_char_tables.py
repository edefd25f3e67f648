#!/usr/bin/env python3
"""Writes core/tables/char_tables.h: the 256-entry byte classification tables of the
parser and serializer. Run from anywhere:  python3 scripts/gen_char_tables.py
"""
import table_header

HEX = "0123456789abcdef"


def plain_string_byte(b):
    # Bytes a string body holds as is: printable ASCII except '"' and '\\'.
    return int(0x20 <= b < 0x80 and b not in (ord('"'), ord("\\")))


def whitespace(b):
    return int(b in (0x20, 0x09, 0x0A, 0x0D))


def hex_digit_value(b):
    # Bit 4 marks a hex digit so one AND over four entries validates them.
    c = chr(b).lower()
    return 0x10 | HEX.index(c) if b < 0x80 and c in HEX else 0


SHORT_ESCAPES = {0x22: '"', 0x5C: "\\", 0x08: "b", 0x0C: "f", 0x0A: "n", 0x0D: "r", 0x09: "t"}


def json_escape(b):
    # The letter after the backslash when the serializer must escape byte b:
    # the short forms json.dumps uses, 'u' for the other control bytes
    # (written as \u00XX), 0 for bytes written as they are.
    if b in SHORT_ESCAPES:
        return ord(SHORT_ESCAPES[b])
    return ord("u") if b < 0x20 else 0


TABLES = [
    ("jc_plain_string_byte", "1 for printable ASCII other than '\"' and '\\\\'", plain_string_byte),
    ("jc_whitespace_byte", "1 for the four JSON whitespace bytes", whitespace),
    ("jc_hex_digit_value", "0x10 | value for hex digits, 0 otherwise", hex_digit_value),
    ("jc_json_escape", "escape letter for bytes the serializer escapes, else 0", json_escape),
]


def render(name, doc, fn):
    lines = [f"/* {doc} */", f"static const uint8_t {name}[256] = {{"]
    for row in range(16):
        cells = ", ".join(f"0x{fn(row * 16 + col):02x}" for col in range(16))
        lines.append(f"    {cells}, /* 0x{row * 16:02x} */")
    lines.append("};")
    return "\n".join(lines)


def main():
    parts = []
    for name, doc, fn in TABLES:
        parts += [render(name, doc, fn), ""]
    pairs = "".join(f"{i:02d}" for i in range(100))
    parts += [
        "/* \"00\" to \"99\": integer and float printing emit two digits per step. */",
        "static const char jc_digit_pairs[200] = {",
        *("    " + ", ".join(f"'{c}'" for c in pairs[row:row + 20]) + ","
          for row in range(0, 200, 20)),
        "};",
        "",
        "/* 10^0 to 10^19: every power of ten a uint64_t holds. */",
        "static const uint64_t jc_pow10_u64[20] = {",
        *(f"    UINT64_C({10 ** i})," for i in range(20)),
        "};",
        "",
    ]
    table_header.write("char_tables.h", __file__, parts)


if __name__ == "__main__":
    main()
