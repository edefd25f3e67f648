#!/usr/bin/env python3
"""Seeds of the fuzz targets (fuzz/README.md): the one source of the files in
corpus/seeds/<target>/ and of the large seeds that are never committed.

    python3 corpus/seeds/generate.py --small        # rewrite corpus/seeds/<target>/
    python3 corpus/seeds/generate.py --large DIR    # DIR/<target>/ (fuzz/CMakeLists.txt, fuzz/common.sh)

The targets are fuzz/targets.txt's (the one list); fuzz_NAME's seeds come
from NAME_seeds() here, its large ones from NAME_large_seeds() when defined.

Small seeds are committed (each < 100 KB) and cover every grammar rule, escape,
number edge case and bad-input class; the binary targets' seeds are encoded
here in their input formats (documented at the top of each fuzz/<target>.c).
Large seeds (a million '[', a long string, a huge number) are generated at
build time. Deterministic: the same version writes the same bytes.
"""
import argparse
import functools
import json
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent

# ---------------------------------------------------------------------------
# JSON documents: the grammar, escapes, numbers, and every bad-input class.

VALID = {
    "literals": b"[true,false,null]",
    "empty_containers": b'[[],{},[[]],{"a":{}},""]',
    "whitespace": b' \t\r\n{ "a" : [ 1 , 2 ] , "b" : { } } \n',
    "object": b'{"name":"jcodec","version":1,"tags":["json","fast"],"ok":true,"none":null}',
    "duplicate_keys": b'{"a":1,"b":2,"a":3}',
    "repeated_keys": b'[' + b",".join(b'{"id":%d,"name":"n%d","x":null}' % (i, i) for i in range(20)) + b"]",
    "long_keys": b'{"' + b"k" * 65 + b'":1,"' + b"k" * 64 + b'":2,"' + b"k" * 65 + b'":3,"' + b"\\u006b" * 20 + b'":4}',
    "escapes": b'["\\" \\\\ \\/ \\b \\f \\n \\r \\t", "\\u0000\\u001f\\u0041\\u00e9\\u20ac\\uffff"]',
    "escaped_keys": b'{"a\\u0062":1,"ab":2,"\\u00e9t\\u00e9":3,"\xc3\xa9t\xc3\xa9":4,"k\\\\ey":5,"\\ud83d\\ude00":6}',
    "surrogate_pairs": b'["\\ud83d\\ude00", "\\ud800\\udc00", "\\udbff\\udfff", "x\\uD834\\uDD1Ey"]',
    "utf8": '["é", "€", "😀", "日本語", "\u07ff\u0800\uffff\U00010000\U0010ffff"]'.encode(),
    "utf8_keys": '{"日本":1,"é":2,"😀😀":3}'.encode(),
    "strings_every_length": json.dumps(["x" * n for n in range(0, 40)] + ["é" * n for n in range(0, 20)]).encode(),
    "string_escape_positions": json.dumps(["a" * n + "\n" + "b" * (31 - n) for n in range(32)]).encode(),
    "long_ascii_string": json.dumps("abcdefghij" * 50).encode(),
    "long_unicode_string": json.dumps("é€😀 " * 100, ensure_ascii=False).encode(),
    "ints": b"[0,-0,1,-1,9,10,99,100,12345678,123456789,9223372036854775807,-9223372036854775808,"
            b"9223372036854775808,-9223372036854775809,18446744073709551615,18446744073709551616,"
            b"1234567890123456789,12345678901234567890,-12345678901234567890123]",
    "floats": b"[0.0,-0.0,1.5,-1.5,0.1,1e5,1E5,1e+5,1e-5,1.0e10,123.456e-7,1e22,1e23,"
              b"1.7976931348623157e308,2.2250738585072014e-308,2.2250738585072011e-308,5e-324,"
              b"4.9406564584124654e-324,2.4703282292062327e-324,2.4703282292062328e-324,1e-400,-1e-400,"
              b"9007199254740993,9007199254740993.0,9007199254740992.5,0.30000000000000000000000000000001]",
    "long_mantissas": b"[123456789012345678901234567890e-10,0.1234567890123456789012345678901234567890,"
                      b"1797693134862315708145274237317043567980.0e269,"
                      b"7.2057594037927933e16,7.205759403792793199999e16,7.2057594037927933000001e16]",
    "exponent_edges": b"[1e308,1.8e308e0,1e-323,1e-324,0e999999999999,1e0000000000000000000001,"
                      b"0.0000000000000000000000000000000000000000001e-300]",
    "int_4300_digits": ("[" + "7" * 4300 + "]").encode(),
    "nesting_1024": b"[" * 1024 + b"]" * 1024,
    "nesting_mixed": b'{"a":[{"b":[{"c":[[[{"d":null}]]]}]}]}',
    "scalars_top": b'"top"',
    "number_top": b"  -12.5e-3  ",
}

INVALID = {
    "empty": b"",
    "only_ws": b" \n\t ",
    "bom": b"\xef\xbb\xbf[1]",
    "utf16": "[1]".encode("utf-16-le"),
    "utf16_bom": "[1]".encode("utf-16"),
    "unexpected": b"[1}",
    "trailing_comma_array": b"[1,2,]",
    "trailing_comma_object": b'{"a":1,}',
    "leading_comma": b"[,1]",
    "missing_colon": b'{"a" 1}',
    "missing_value": b'{"a":}',
    "key_not_string": b"{1:2}",
    "extra_data": b"[1] [2]",
    "extra_data_utf8": "1 é".encode(),
    "depth_1025": b"[" * 1025 + b"]" * 1025,
    "depth_objects": b'{"a":' * 1025 + b"1" + b"}" * 1025,
    "bad_literals": b"[tru]",
    "bad_literal_null": b"[nul]",
    "bad_literal_false": b"[fals]",
    "nan": b"[NaN]",
    "infinity": b"[Infinity]",
    "minus_infinity": b"[-Infinity]",
    "leading_zero": b"[01]",
    "minus_alone": b"[-]",
    "dot_no_digits": b"[1.]",
    "exp_no_digits": b"[1e]",
    "exp_sign_no_digits": b"[1e+]",
    "leading_dot": b"[.5]",
    "plus_sign": b"[+1]",
    "hex": b"[0x10]",
    "float_overflow": b"[1e400]",
    "float_overflow_negative": b"[-1.5e309]",
    "float_overflow_long": b"[" + b"9" * 400 + b".0]",
    "int_4301_digits": ("[" + "7" * 4301 + "]").encode(),
    "unterminated_string": b'["abc',
    "unterminated_escape": b'["abc\\',
    "unterminated_long": b'["' + b"a" * 100,
    "control_character": b'["a\x01b"]',
    "control_newline": b'["a\nb"]',
    "control_tab_key": b'{"a\tb":1}',
    "bad_escape": b'["\\x41"]',
    "bad_escape_u_short": b'["\\u12"]',
    "bad_escape_u_nonhex": b'["\\u12G4"]',
    "lone_high": b'["\\ud800"]',
    "lone_low": b'["\\udc00"]',
    "high_then_char": b'["\\ud800a"]',
    "high_then_bmp": b'["\\ud800\\u0041"]',
    "high_high": b'["\\ud800\\ud800"]',
    "reversed_pair": b'["\\ude00\\ud83d"]',
    "high_at_end": b'["ab\\ud83d"]',
    "lone_surrogate_key": b'{"\\udfff":1}',
    "utf8_continuation": b'["\x80"]',
    "utf8_overlong_c0": b'["\xc0\x80"]',
    "utf8_overlong_c1": b'["\xc1\xbf"]',
    "utf8_overlong_e0": b'["\xe0\x80\x80"]',
    "utf8_overlong_f0": b'["\xf0\x80\x80\x80"]',
    "utf8_surrogate": b'["\xed\xa0\x80"]',
    "utf8_surrogate_low": b'["\xed\xbf\xbf"]',
    "utf8_above_max": b'["\xf4\x90\x80\x80"]',
    "utf8_f5": b'["\xf5\x80\x80\x80"]',
    "utf8_ff": b'["\xff"]',
    "utf8_truncated_2": b'["\xc3"]',
    "utf8_truncated_3": b'["\xe2\x82"]',
    "utf8_truncated_4": b'["\xf0\x9f\x98"]',
    "utf8_truncated_eof": b'["\xf0\x9f',
    "utf8_bad_second": b'["\xe2\x28\xa1"]',
    "utf8_bad_third": b'["\xf0\x9f\x28\x80"]',
    "utf8_outside_string": b"[1,\xc3\xa9]",
    "utf8_bad_outside": b"[\xff]",
    "utf8_in_key": b'{"\xc3":1}',
    "nul_byte": b"[1,\x00]",
}


def json_docs():
    docs = {"valid_" + k: v for k, v in VALID.items()}
    docs.update({"invalid_" + k: v for k, v in INVALID.items()})
    return docs


# ---------------------------------------------------------------------------
# fuzz_dumps: an encoder for the tree format of fuzz/fuzz_dumps.c.

NONE, TRUE, FALSE, SMALLINT, INT, HUGEINT, FLOAT, STR, LIST, DICT, TUPLE = range(11)
STRSUB, INTSUB, FLOATSUB, DICTSUB, LISTSUB, TUPLESUB, BOX, CYCLE, CHAIN, OBJECT = range(11, 21)
TABLE = "\"\\/\x7f aZ09~"


def enc_char(ch):
    o = ord(ch)
    if o < 0x20:
        return bytes([o])
    if ch in TABLE:
        return bytes([0x20 + TABLE.index(ch)])
    if 0x20 <= o < 0x40:
        return bytes([0x40 | (o - 0x20)])
    if 0x60 <= o < 0x80:
        return bytes([0x60 | (o - 0x60)])
    if 0x40 <= o < 0x60:  # no direct encoding: the lower-case letter
        return enc_char(ch.lower()) if ch.lower() != ch else enc_char("~")
    if o < 0x10000:
        return bytes([0x80]) + struct.pack("<H", o - 0x80)
    v = o - 0x10000
    return bytes([0xC0, v & 0xFF, (v >> 8) & 0xFF, v >> 16])


def enc_str(s, repeat=1):
    body = b"".join(enc_char(c) for c in s)
    if repeat > 1:
        assert 1 <= len(s) <= 8 and repeat <= 256
        return bytes([0x80 | (len(s) - 1), repeat - 1]) + body
    assert len(s) < 128
    return bytes([len(s)]) + body


def enc_int(v):
    n = (v.bit_length() + 8) // 8 if v else 0
    assert n <= 24
    return bytes([n]) + v.to_bytes(n, "little", signed=True)


def enc_float(x):
    return struct.pack("<d", x)


def d_int(v):
    return bytes([INT]) + enc_int(v)


def d_str(s, repeat=1, tag=STR):
    return bytes([tag]) + enc_str(s, repeat)


def d_float(x, tag=FLOAT):
    return bytes([tag]) + enc_float(x)


def d_list(*items, tag=LIST):
    assert len(items) <= 8, "a list holds at most 8 items (the count byte is taken modulo 9)"
    return bytes([tag, len(items)]) + b"".join(items)


def d_many(*items):
    """Any number of items: a list of lists of at most 8."""
    return d_list(*(d_list(*items[i:i + 8]) for i in range(0, len(items), 8)))


def key_str(s):
    return bytes([0]) + enc_str(s)


def d_dict(*members, tag=DICT):
    assert len(members) <= 8, "a dict holds at most 8 members"
    return bytes([tag, len(members)]) + b"".join(k + v for k, v in members)


def k_strsub(s):
    return bytes([6]) + enc_str(s)


def k_int(v):
    return bytes([8, 0]) + enc_int(v)


def k_float(x):
    return bytes([9]) + enc_float(x)


def k_const(which):  # 0 True, 1 False, 2 None
    return bytes([10, which])


def k_tuple(v):
    return bytes([11, v])


INDENT, NON_STR_KEYS, SORT_KEYS, STRICT, PASSTHROUGH, NEWLINE, DEFAULT, MORE = (1 << i for i in range(8))
# The second options byte (present when byte 0 has MORE).
NAIVE_UTC, OMIT_MICRO, UTC_Z, PASS_DATETIME, PASS_DATACLASS, NUMPY, ODD = (1 << i for i in range(7))


def header(flags=0, more=0, odd=None):
    """The options header: byte 0, the second options byte when `more` (or an
    odd argument) is given, and the odd argument's byte."""
    if odd is not None:
        more |= ODD
    if not more:
        return bytes([flags])
    return bytes([flags | MORE, more]) + (bytes([odd]) if odd is not None else b"")

PLAIN_TREE = d_dict(
    (key_str("b"), d_list(d_int(1), d_int(-2), d_float(1.5), bytes([TRUE]), bytes([NONE]))),
    (key_str("a"), d_str("text with \"quotes\" and \\ and \n")),
    (key_str("é"), d_dict((key_str("z"), bytes([FALSE])), (key_str("y"), d_list()))),
)


# The further types (fuzz/fuzz_tree.h: tags from 21 on, parameters read by
# fuzz/fuzz_helpers.py's build_rich and build_rich_key; the encoders below
# follow those readers).
RICH = {name: 42 + i for i, name in enumerate(
    ["datetime", "date", "time", "uuid", "enum", "dataclass", "array", "scalar", "fragment", "subclass"])}
RICH_KEY = {name: 24 + i for i, name in enumerate(
    ["datetime", "date", "time", "uuid", "enum", "scalar", "fragment", "other"])}
TZ = {name: i for i, name in enumerate(
    ["naive", "utc", "seconds", "micro", "minutes", "zoneinfo", "pytz", "pytz_localize", "dateutil",
     "dateutil_offset", "pendulum", "none", "raises", "wrong", "any", "normalize", "convert", "zero"])}
ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
         "Pacific/Chatham", "America/St_Johns", "Asia/Kathmandu", "Africa/Monrovia",
         "Europe/Amsterdam", "Pacific/Kiritimati", "America/Adak", "Etc/GMT+12", "Europe/Dublin",
         "America/Sao_Paulo", "Asia/Tehran"]
DTYPES = ["<f8", "<f4", "<f2", "<i8", "<i4", "<i2", "i1", "<u8", "<u4", "<u2", "u1", "?",
          "<M8[Y]", "<M8[M]", "<M8[W]", "<M8[D]", "<M8[h]", "<M8[m]", "<M8[s]", "<M8[ms]",
          "<M8[us]", "<M8[ns]", "<M8[ps]", "<M8[fs]", "<M8[as]", "<M8", "<m8[s]", "<c8", "<c16",
          "<f16", "O", "<U2", "S3", "V4", "struct", "<M8[10s]", "<M8[2D]"]
SCALAR_DTYPES = DTYPES[:29] + ["<U2", "S3"]
ITEMSIZE = {"f8": 8, "f4": 4, "f2": 2, "i8": 8, "i4": 4, "i2": 2, "i1": 1, "u8": 8, "u4": 4, "u2": 2,
            "u1": 1, "?": 1, "m8[s]": 8, "c8": 8, "c16": 16, "f16": 16, "U2": 8, "S3": 3, "V4": 4, "struct": 5, "O": 0}
LAYOUTS = ["c", "c", "fortran", "step", "reversed", "transposed", "broadcast", "unaligned", "swapped",
           "readonly", "subclass", "contiguous"]


def le(value, n):
    return (value % (1 << (8 * n))).to_bytes(n, "little")


def p_tz(kind, param=0):
    """A zone (fuzz_helpers.make_tzinfo): kind and its parameters."""
    k = TZ[kind]
    if kind in ("seconds", "dateutil_offset", "normalize", "convert"):
        return bytes([k]) + le(param + 86399, 4)
    if kind == "micro":
        return bytes([k]) + le(param + 86400 * 10**6 - 1, 5)
    if kind == "minutes":
        return bytes([k]) + le(param + 1439, 2)
    if kind in ("zoneinfo", "pytz", "dateutil", "pendulum"):
        return bytes([k, ZONES.index(param)])
    if kind == "pytz_localize":
        return bytes([k, ZONES.index(param), 0])
    if kind == "wrong":
        return bytes([k, param])
    if kind == "any":
        return bytes([k]) + le(param // 8, 4)
    return bytes([k])


def p_date(year, month, day):
    return le(year - 1, 2) + bytes([month - 1, day - 1])


def p_time(hour, minute, second, micro=0, fold=0):
    form = 1 if micro == 0 else 0  # bits 1-2 of the flags: 0 the given microsecond, 1 none
    return bytes([hour, minute, second, fold | form << 1]) + le(micro, 3)


def d_datetime(year=2018, month=6, day=1, hour=2, minute=3, second=4, micro=123, fold=0, tz=("naive",)):
    return bytes([RICH["datetime"]]) + p_date(year, month, day) + p_time(hour, minute, second, micro, fold) + p_tz(*tz)


def d_date(year, month, day):
    return bytes([RICH["date"]]) + p_date(year, month, day)


def d_time(hour, minute, second, micro=0, zone=0, minutes=0):
    """zone: 0 none, 4 UTC, 5 a fixed offset of `minutes`, 6 ZoneInfo (Paris), 7 utcoffset() None."""
    extra = le(minutes + 1439, 2) if zone == 5 else bytes([1]) if zone == 6 else b""
    return bytes([RICH["time"]]) + p_time(hour, minute, second, micro) + bytes([zone]) + extra


def d_uuid(value, form=0):
    return bytes([RICH["uuid"]]) + le(value, 16) + bytes([form])


def children(*values):
    assert len(values) <= 3, "at most 3 children (the count byte is taken modulo 4)"
    return bytes([len(values)]) + b"".join(values)


def d_enum(base, count=2, pick=0, *kids, params=b""):
    """base: 0 Enum (a child's value), 1 Enum (a small value from params),
    2 IntEnum, 3 StrEnum, 4 Flag, 5 IntFlag, 6 float mixin."""
    return bytes([RICH["enum"]]) + children(*kids) + bytes([base, count - 1, pick]) + params


def d_dataclass(fields, *kids, flags=0):
    """fields: (name index, kind, default) each (fuzz_helpers.make_dataclass)."""
    assert len(fields) <= 5, "at most 5 fields"
    body = b"".join(bytes([n, k, v & 0xFF]) for n, k, v in fields)
    return bytes([RICH["dataclass"]]) + children(*kids) + bytes([flags, len(fields)]) + body


def dtype_byte(name, table=DTYPES):
    index = table.index(name)
    if index < 12:
        return index
    return next(b for b in range(128, 256) if b % len(table) == index)


def d_array(dtype, shape, data=b"", layout="c", specials=None, *kids):
    """An array (fuzz_helpers.make_array): dtype, shape, layout, the items'
    bytes (or, for datetime64, `specials`: indices into the edge values)."""
    assert len(shape) <= 4 and all(n <= 4 for n in shape), "at most 4 dimensions of at most 4"
    index = LAYOUTS.index(layout)
    layout_byte = index if specials is None else next(b for b in range(128, 256) if b % 12 == index)
    body = bytes([dtype_byte(dtype), len(shape)] + list(shape) + [layout_byte])
    body += bytes(specials) if specials is not None else data
    return bytes([RICH["array"]]) + children(*kids) + body


def d_scalar(dtype, data):
    return bytes([RICH["scalar"], dtype_byte(dtype, SCALAR_DTYPES)]) + data


def d_fragment(form, raw=b"", *kids):
    """form: 0 bytes, 2 str (UTF-8, surrogateescape), 3 str (latin-1), 4 a
    bytes subclass, 5 other contents (a child, else by length)."""
    return bytes([RICH["fragment"]]) + children(*kids) + bytes([form, len(raw)]) + raw


def d_subclass(kind, params=b""):
    return bytes([RICH["subclass"], kind]) + params


def k_rich(kind, params):
    return bytes([RICH_KEY[kind]]) + params


def rich_dumps_inputs():
    dt = d_datetime
    naive = dt()
    seeds = {
        # datetime: every zone kind, and the options
        "datetime_naive": header() + d_list(naive, dt(micro=0), dt(1, 1, 1, 0, 0, 0, 0), dt(9999, 12, 31, 23, 59, 59, 999999)),
        "datetime_naive_utc": header(more=NAIVE_UTC) + d_list(naive, dt(micro=0)),
        "datetime_naive_utc_z": header(more=NAIVE_UTC | UTC_Z) + naive,
        "datetime_omit_micro": header(INDENT, more=OMIT_MICRO) + d_list(naive, dt(tz=("utc",)), dt(micro=999999)),
        "datetime_utc": header() + d_list(dt(tz=("utc",)), dt(tz=("zero",))),
        "datetime_utc_z": header(more=UTC_Z) + d_list(dt(tz=("utc",)), dt(tz=("zero",)), dt(tz=("seconds", 20)), dt(tz=("seconds", -20))),
        "datetime_offsets": header() + d_many(*(dt(tz=("seconds", s)) for s in (3600, -3600, 19800, -34200, 29, 30, -30, -31, 86399, -86399, 59, 90))),
        "datetime_offsets_micro": header() + d_list(*(dt(tz=("micro", m)) for m in (1, -1, 29_500_000, -29_500_000, 30_000_001, 86_399_999_999))),
        "datetime_offsets_minutes": header() + d_list(*(dt(tz=("minutes", m)) for m in (0, 1, -1, 330, -570, 1439, -1439))),
        "datetime_zoneinfo": header() + d_many(*(dt(tz=("zoneinfo", z)) for z in ZONES)),
        "datetime_zoneinfo_fold": header() + d_list(dt(2021, 11, 7, 1, 30, 0, 0, 0, ("zoneinfo", "America/New_York")),
                                                    dt(2021, 11, 7, 1, 30, 0, 0, 1, ("zoneinfo", "America/New_York")),
                                                    dt(2021, 3, 14, 2, 30, 0, 0, 0, ("zoneinfo", "America/New_York"))),
        "datetime_zoneinfo_old": header() + d_list(dt(1900, 1, 1, tz=("zoneinfo", "Africa/Monrovia")),
                                                   dt(1920, 6, 1, tz=("zoneinfo", "Europe/Amsterdam")),
                                                   dt(1, 1, 1, tz=("zoneinfo", "Europe/Paris")),
                                                   dt(9999, 12, 31, 23, tz=("zoneinfo", "Pacific/Kiritimati"))),
        "datetime_pytz": header() + d_list(dt(tz=("pytz", "Europe/Paris")), dt(tz=("pytz", "Asia/Kolkata")),
                                           dt(tz=("pytz_localize", "America/New_York")), dt(tz=("pytz", "UTC"))),
        "datetime_dateutil": header() + d_list(dt(tz=("dateutil", "Europe/Paris")), dt(tz=("dateutil_offset", -12345))),
        "datetime_pendulum": header() + d_list(dt(tz=("pendulum", "Europe/Paris")), dt(tz=("pendulum", "UTC"))),
        "datetime_odd_zones": header() + d_list(dt(tz=("none",)), dt(tz=("normalize", 5400)), dt(tz=("convert", 5400))),
        "datetime_none_zone_naive_utc": header(more=NAIVE_UTC) + dt(tz=("none",)),
        "datetime_zone_raises": header() + d_list(dt(tz=("raises",))),
        "datetime_zone_wrong": header() + d_list(*(dt(tz=("wrong", i)) for i in range(4))),
        "datetime_zone_day": header() + d_list(dt(tz=("any", 86400))),
        "datetime_zone_minus_day": header() + d_list(dt(tz=("any", -86400))),
        "datetime_zone_any_ok": header() + d_list(dt(tz=("any", -3600))),
        "datetime_passthrough": header(DEFAULT, more=PASS_DATETIME) + d_list(naive, d_date(2000, 2, 29), d_time(1, 2, 3)),
        "datetime_passthrough_no_default": header(more=PASS_DATETIME) + d_list(naive),
        # date, time
        "date": header() + d_list(d_date(1, 1, 1), d_date(2000, 2, 29), d_date(9999, 12, 31), d_date(999, 10, 5)),
        "time": header() + d_list(d_time(0, 0, 0), d_time(23, 59, 59, 999999), d_time(12, 15, 59, 111)),
        "time_omit_micro": header(more=OMIT_MICRO | UTC_Z | NAIVE_UTC) + d_list(d_time(12, 15, 59, 111)),
        "time_utc_refused": header() + d_list(d_time(1, 2, 3, zone=4)),
        "time_offset_refused": header() + d_list(d_time(1, 2, 3, zone=5, minutes=60)),
        "time_zoneinfo_refused": header() + d_time(1, 2, 3, zone=6),
        "time_none_zone_refused": header() + d_time(1, 2, 3, zone=7),
        # UUID
        "uuid": header() + d_list(d_uuid(0), d_uuid(2**128 - 1), d_uuid(0x7202D1157FF34C81A7C12A1F067B1ECE),
                                  d_uuid(0x0123456789ABCDEF0123456789ABCDEF)),
        "uuid_int_negative": header() + d_uuid(0, form=6),
        "uuid_int_too_big": header() + d_uuid(1, form=6),
        "uuid_int_str": header() + d_uuid(2, form=6),
        "uuid_int_float": header() + d_uuid(3, form=6),
        "uuid_int_subclass": header() + d_uuid(12345, form=7),
        # enum
        "enum_values": header() + d_list(d_enum(0, 2, 1, d_list(d_int(1), d_str("x")), d_dict((key_str("k"), bytes([NONE])))),
                                         d_enum(0, 1, 0, naive), d_enum(0, 1, 0, d_uuid(5)), d_enum(1, 3, 2, params=bytes([2, 7]))),
        "enum_int": header() + d_list(d_enum(2, 2, 0, params=le(5, 8) + bytes([0]) + le(-1, 8) + bytes([69]))),
        "enum_int_strict": header(STRICT) + d_enum(2, 1, 0, params=le(1, 8) + bytes([60])),
        "enum_str": header() + d_list(d_enum(3, 2, 1, d_str("a\"b"), d_str("é€😀"))),
        "enum_str_surrogate": header() + d_enum(3, 1, 0, d_str("x\udc80")),
        "enum_flag": header() + d_list(d_enum(4, 3, 0, params=bytes([5])), d_enum(4, 3, 0, params=bytes([0])),
                                       d_enum(5, 2, 1, params=le(-7, 4)), d_enum(5, 2, 0, params=bytes([3]))),
        "enum_float": header() + d_list(d_enum(6, 1, 0, params=struct.pack("<d", 1.5)), d_enum(6, 1, 0, params=struct.pack("<d", float("nan")))),
        "enum_passthrough_subclass": header(PASSTHROUGH) + d_list(d_enum(2, 1, 0, params=le(3, 8) + bytes([0])), d_enum(3, 1, 0, d_str("s"))),
        "enum_of_box": header(DEFAULT) + d_enum(0, 1, 0, bytes([BOX]) + d_int(1)),
        # dataclasses (fields: (FIELD_NAMES index, kind, default); kinds 0 plain,
        # 1 default, 2 ClassVar, 3 InitVar, 4 init=False with default, 5 without)
        "dataclass": header() + d_dataclass([(0, 0, 0), (1, 0, 0), (2, 0, 0)], d_int(1), d_str("x"), d_list(bytes([TRUE]))),
        "dataclass_indent_sorted": header(INDENT | SORT_KEYS) + d_dataclass([(2, 0, 0), (0, 0, 0)], d_int(1), naive),
        "dataclass_kinds": header() + d_dataclass([(0, 0, 0), (1, 1, 5), (3, 2, 7), (6, 3, 0), (9, 4, 9)], d_int(1), d_int(2)),
        "dataclass_underscore": header() + d_dataclass([(4, 0, 0), (5, 0, 0), (10, 0, 0), (7, 0, 0), (8, 0, 0)],
                                                       d_int(1), d_int(2), d_int(3)),
        "dataclass_long_name": header() + d_dataclass([(11, 0, 0), (4, 1, 3)], d_str("long")),
        "dataclass_slots": header() + d_dataclass([(0, 0, 0), (1, 1, 2)], d_int(1), flags=1),
        "dataclass_frozen": header() + d_dataclass([(0, 0, 0)], d_str("f"), flags=2),
        "dataclass_slots_frozen_base": header() + d_dataclass([(0, 0, 0)], d_int(3), flags=1 | 2 | 4),
        "dataclass_base": header() + d_dataclass([(2, 0, 0)], d_int(3), flags=4),
        "dataclass_plain_subclass": header() + d_dataclass([(0, 0, 0)], d_int(3), flags=8),
        "dataclass_plain_subclass_default": header(DEFAULT) + d_dataclass([(0, 0, 0)], d_int(3), flags=8 | 1),
        "dataclass_touched": header() + d_list(d_dataclass([(0, 0, 0)], d_int(1), flags=32), d_dataclass([(0, 0, 0)], d_int(2), flags=32)),
        "dataclass_extra_attribute": header() + d_dataclass([(0, 0, 0)], d_int(1), d_int(2), flags=64),
        "dataclass_missing_field": header() + d_dataclass([(0, 5, 0)]),
        "dataclass_missing_field_slots": header() + d_dataclass([(0, 0, 0), (1, 5, 0)], d_int(1), flags=1),
        "dataclass_empty": header() + d_list(d_dataclass([]), d_dataclass([(4, 0, 0)], d_int(1))),
        "dataclass_nested": header() + d_dataclass([(0, 0, 0)], d_dataclass([(1, 0, 0)], d_dataclass([(2, 0, 0)], d_list()))),
        "dataclass_unserializable_field": header(DEFAULT) + d_dataclass([(0, 0, 0), (1, 0, 0)], bytes([BOX]) + d_int(1), bytes([OBJECT])),
        "dataclass_passthrough": header(DEFAULT, more=PASS_DATACLASS) + d_dataclass([(0, 0, 0)], d_int(1)),
        "dataclass_passthrough_no_default": header(more=PASS_DATACLASS) + d_dataclass([(0, 0, 0)], d_int(1)),
        "dataclass_depth_254": header() + bytes([CHAIN, 252]) + d_dataclass([(0, 0, 0)], d_list()),
        "dataclass_depth_255": header() + bytes([CHAIN, 253]) + d_dataclass([(0, 0, 0)], d_list()),
        "dataclass_empty_depth_255": header() + bytes([CHAIN, 253]) + d_dataclass([]),
        # jcodec.Fragment
        "fragment": header() + d_list(d_fragment(0, b'{"a":[1,2]}'), d_fragment(0, b""), d_fragment(0, b"not json \xff"),
                                      d_fragment(3, "é".encode("latin-1")), d_fragment(2, "ok €".encode()), d_fragment(4, b"[1]")),
        "fragment_indent": header(INDENT | NEWLINE) + d_dict((key_str("f"), d_fragment(0, b'{ "a" : 1 }'))),
        "fragment_surrogate": header() + d_fragment(2, b"bad \xed\xa0\x80"),
        "fragment_invalid_utf8": header() + d_fragment(2, b"\xff"),
        "fragment_not_bytes": header() + d_list(d_fragment(5, b"x"), d_fragment(5, b"", d_int(1)), d_fragment(5, b"ab"), d_fragment(5, b"abc")),
        # subclasses of the further types go to default
        "subclasses_default": header(DEFAULT) + d_list(d_subclass(0, p_date(2000, 1, 1) + p_time(1, 2, 3) + p_tz("utc")),
                                                       d_subclass(1, p_date(2000, 1, 2)), d_subclass(2, p_time(4, 5, 6)),
                                                       d_subclass(3, le(9, 16)), d_subclass(4, p_date(2000, 1, 3) + p_time(1, 2, 3) + bytes([1]))),
        "subclasses_refused": header() + d_list(d_subclass(1, p_date(2000, 1, 2))),
        "subclass_uuid_refused": header() + d_subclass(3, le(9, 16)),
        "subclass_dataclass": header(DEFAULT) + d_subclass(6, bytes([0, 1, 0, 0, 0])),
        # keys
        "keys_rich": header(NON_STR_KEYS) + d_dict(
            (k_rich("datetime", p_date(2000, 1, 1) + p_time(1, 2, 3, 4) + p_tz("seconds", 3600)), d_int(1)),
            (k_rich("date", p_date(2000, 1, 2)), d_int(2)),
            (k_rich("time", p_time(1, 2, 3) + bytes([0])), d_int(3)),
            (k_rich("uuid", le(0xABC, 16)), d_int(4)),
            (k_rich("enum", bytes([2, 0, 0]) + le(7, 8) + bytes([0])), d_int(5)),
            (k_rich("enum", bytes([3, 0, 0, 9])), d_int(6)),
            (k_rich("enum", bytes([1, 1, 1, 7]) + p_date(2001, 1, 1) + p_time(0, 0, 0) + p_tz("utc")), d_int(7))),
        "keys_rich_sorted": header(NON_STR_KEYS | SORT_KEYS | INDENT, more=UTC_Z | OMIT_MICRO) + d_dict(
            (k_rich("datetime", p_date(2000, 1, 1) + p_time(1, 2, 3, 4) + p_tz("utc")), d_int(1)),
            (key_str("2000-01-01T01:02:03Z"), d_int(2)), (k_rich("date", p_date(1999, 1, 2)), d_int(3)),
            (k_rich("uuid", le(0, 16)), d_int(4))),
        "keys_rich_naive_utc": header(NON_STR_KEYS, more=NAIVE_UTC | PASS_DATETIME) + d_dict(
            (k_rich("datetime", p_date(2000, 1, 1) + p_time(1, 2, 3) + p_tz("naive")), d_int(1))),
        "keys_rich_refused": header() + d_dict((k_rich("date", p_date(2000, 1, 2)), d_int(1))),
        "key_time_zone_refused": header(NON_STR_KEYS) + d_dict((k_rich("time", p_time(1, 2, 3) + bytes([4])), d_int(1))),
        "key_enum_unserializable": header(NON_STR_KEYS) + d_dict((k_rich("enum", bytes([1, 0, 0, 6, 1])), d_int(1))),
        "key_fragment_refused": header(NON_STR_KEYS) + d_dict((k_rich("fragment", bytes([2]) + b"ab"), d_int(1))),
        "key_others_refused": header(NON_STR_KEYS) + d_dict((k_rich("other", bytes([0, 1])), d_int(1))),
        "key_datetime_subclass_refused": header(NON_STR_KEYS) + d_dict((k_rich("other", bytes([1, 5])), d_int(1))),
    }
    seeds.update(numpy_dumps_inputs())
    return seeds


def numpy_dumps_inputs():
    seeds = {}
    for dtype in DTYPES[:12]:
        size = ITEMSIZE.get(dtype.lstrip("<"), 1)
        data = bytes((7 * i + 3) & 0xFF for i in range(size * 6))
        name = dtype.strip("<").replace("?", "bool")
        seeds[f"numpy_{name}"] = header(more=NUMPY) + d_array(dtype, [2, 3], data)
        seeds[f"numpy_{name}_scalar"] = header(more=NUMPY) + d_list(d_scalar(dtype, data[:size]), d_scalar(dtype, data[size:2 * size]))
    seeds["numpy_f8_specials"] = header(more=NUMPY) + d_array("<f8", [2, 3], b"".join(struct.pack("<d", x) for x in (0.0, -0.0, float("nan"), float("inf"), 1e16, 5e-324)))
    seeds["numpy_f4_specials"] = header(more=NUMPY) + d_array("<f4", [2, 4], b"".join(struct.pack("<f", x) for x in (1.1, -0.0, float("nan"), float("-inf"), 3.4e38, 1e-45, 16777216.0, 0.1)))
    seeds["numpy_f2_specials"] = header(more=NUMPY) + d_array("<f2", [2, 3], b"".join(struct.pack("<e", x) for x in (1.1, -0.0, float("nan"), float("inf"), 65504.0, 6e-8)))
    seeds["numpy_int_edges"] = header(more=NUMPY) + d_list(d_array("<i8", [2], le(-2**63, 8) + le(2**63 - 1, 8)), d_array("<u8", [1], le(2**64 - 1, 8)),
                                                           d_array("i1", [2], bytes([0x80, 0x7F])), d_array("?", [3], bytes([0, 1, 2])))
    seeds["numpy_indent"] = header(INDENT, more=NUMPY) + d_array("<i4", [2, 2], bytes(range(16)))
    seeds["numpy_shapes"] = header(more=NUMPY) + d_list(d_array("<f8", [0]), d_array("<f8", [2, 0]), d_array("<f8", [0, 3]),
                                                        d_array("<i2", [1, 1, 1, 1], bytes(2)), d_array("u1", [4, 4, 4, 4], bytes(range(256))),
                                                        d_array("<f4", [3, 1, 2], bytes(range(24))))
    seeds["numpy_0d"] = header(more=NUMPY) + d_array("<f8", [], struct.pack("<d", 1.5))
    seeds["numpy_0d_default"] = header(DEFAULT, more=NUMPY) + d_array("<f8", [], struct.pack("<d", 1.5))
    for layout in LAYOUTS[2:]:
        for default in (0, DEFAULT):
            seeds[f"numpy_layout_{layout}{'_default' if default else ''}"] = header(default, more=NUMPY) + d_array("<i4", [3, 2], bytes(range(24)), layout)
    seeds["numpy_swapped_u1"] = header(more=NUMPY) + d_array("u1", [3], b"abc", "swapped")
    seeds["numpy_step_one_item"] = header(more=NUMPY) + d_array("<f8", [1, 2], bytes(16), "step")
    for dtype in DTYPES[12:26] + DTYPES[35:]:
        unit = dtype[dtype.index("[") + 1:-1] if "[" in dtype else "generic"
        seeds[f"numpy_datetime64_{unit}"] = header(more=NUMPY) + d_array(dtype, [4], specials=[1, 2, 3, 4])
        seeds[f"numpy_datetime64_{unit}_edges"] = header(more=NUMPY | UTC_Z | NAIVE_UTC) + d_array(dtype, [2, 4], specials=list(range(4, 12)))
        seeds[f"numpy_datetime64_{unit}_nat"] = header(more=NUMPY) + d_array(dtype, [1], specials=[0])
        seeds[f"numpy_datetime64_{unit}_default"] = header(DEFAULT, more=NUMPY) + d_array(dtype, [2], specials=[1, 4])
        seeds[f"numpy_datetime64_{unit}_raw"] = header(more=NUMPY | OMIT_MICRO) + d_array(dtype, [2], le(1234567890123, 8) + le(-987654321, 8))
        seeds[f"numpy_datetime64_{unit}_scalar"] = header(more=NUMPY) + d_scalar(dtype, le(1600000000, 8)) if dtype in SCALAR_DTYPES else b""
    for dtype in DTYPES[26:35]:
        name = dtype.strip("<").replace("[s]", "_s")
        size = ITEMSIZE[dtype.strip("<")]
        for default in (0, DEFAULT):
            seeds[f"numpy_unsupported_{name}{'_default' if default else ''}"] = header(default, more=NUMPY) + d_array(dtype, [2], bytes(range(1, 2 * size + 1)), "c", None,
                                                                                                                      *((d_int(1), d_str("o"), bytes([BOX]) + bytes([NONE])) if name == "O" else ()))
        if dtype in SCALAR_DTYPES:
            seeds[f"numpy_unsupported_{name}_scalar_default"] = header(DEFAULT, more=NUMPY) + d_scalar(dtype, bytes(range(1, size + 1)))
    seeds["numpy_str_scalar"] = header(more=NUMPY) + d_scalar("<U2", le(0xE9, 4) + le(0x41, 4))
    seeds["numpy_without_option"] = header() + d_list(d_array("<f8", [1], bytes(8)))
    seeds["numpy_without_option_default"] = header(DEFAULT) + d_list(d_array("<f8", [1], bytes(8)), d_scalar("<f8", bytes(8)), d_scalar("<i4", bytes(4)))
    seeds["numpy_keys"] = header(NON_STR_KEYS, more=NUMPY) + d_dict((k_rich("scalar", bytes([0]) + struct.pack("<d", 2.5)), d_int(1)))
    seeds["numpy_keys_refused"] = header(NON_STR_KEYS, more=NUMPY) + d_dict((k_rich("scalar", bytes([4]) + le(7, 4)), d_int(1)))
    seeds["numpy_key_str"] = header(NON_STR_KEYS) + d_dict((k_rich("scalar", bytes([dtype_byte("<U2", SCALAR_DTYPES)]) + le(0x41, 4) + le(0x42, 4)), d_int(1)))
    seeds["numpy_depth_255"] = header(more=NUMPY) + bytes([CHAIN, 252]) + d_array("<i4", [1, 1], bytes(4))
    seeds["numpy_depth_254"] = header(more=NUMPY) + bytes([CHAIN, 251]) + d_array("<i4", [1, 1], bytes(4))
    seeds["numpy_empty_depth_255"] = header(more=NUMPY) + bytes([CHAIN, 252]) + d_array("<i4", [1, 0])
    return {name: data for name, data in seeds.items() if data}


def dumps_seeds():
    seeds = {
        "plain": bytes([0]) + PLAIN_TREE,
        "plain_indent_sorted": bytes([INDENT | SORT_KEYS]) + PLAIN_TREE,
        "plain_newline_indent": bytes([INDENT | NEWLINE]) + PLAIN_TREE,
        "scalars": bytes([0]) + d_list(bytes([NONE]), bytes([TRUE]), bytes([FALSE]), bytes([SMALLINT, 0x85]),
                                       d_int(2**63), d_int(-2**63 - 1), d_int(2**64 + 5)),
        "floats_special": bytes([0]) + d_many(*(d_float(x) for x in (0.0, -0.0, float("nan"), float("inf"),
                                                                      float("-inf"), 5e-324, 1.7976931348623157e308, 0.1, 1e16, 1e22, 123456.789))),
        "strings_every_class": bytes([0]) + d_list(d_str("\x00\x01\x1f\"\\/\x7f"), d_str("é\xff"), d_str("€\u07ff\uffff"),
                                                    d_str("😀\U0010ffff"), d_str(""), d_str("a")),
        "string_long_ascii": bytes([0]) + d_str("abcdefgh", repeat=200),
        "string_long_escapes": bytes([0]) + d_str("abc\"def", repeat=100),
        "string_long_ucs2": bytes([0]) + d_str("é€a\n", repeat=120),
        "string_long_ucs2_plain": bytes([0]) + d_str("€abcdefg", repeat=120),
        "string_long_ucs4": bytes([0]) + d_str("😀a\x01", repeat=100),
        "string_long_latin1": bytes([0]) + d_str("éa\"", repeat=150),
        "surrogate_lone": bytes([0]) + d_list(d_str("a\ud800b")),
        "surrogate_in_ucs2_block": bytes([0]) + d_str("€abc\udc00ef", repeat=20),
        "surrogate_key": bytes([0]) + d_dict((key_str("\udfff"), bytes([NONE]))),
        "huge_int_over_limit": bytes([0]) + d_list(bytes([HUGEINT, 1, 0, 240, 0])),
        "huge_int_ok": bytes([0]) + d_list(bytes([HUGEINT, 7, 0, 20, 5])),
        "strict_integer_refuses": bytes([STRICT]) + d_list(d_int(2**53)),
        "strict_integer_big": bytes([STRICT]) + d_list(d_int(2**70), d_int(-(2**70))),
        "strict_integer_huge_ok": bytes([0]) + d_list(d_int(2**70), d_int(-(2**90))),
        "sort_non_str_key_refused": bytes([SORT_KEYS]) + d_dict((key_str("a"), bytes([NONE])), (k_int(1), bytes([NONE]))),
        "sort_collision": bytes([NON_STR_KEYS | SORT_KEYS]) + d_dict((k_int(1), bytes([NONE])), (key_str("1"), bytes([TRUE])), (key_str("0"), bytes([TRUE]))),
        "strict_integer_edge": bytes([STRICT]) + d_list(d_int(2**53 - 1), d_int(-(2**53 - 1))),
        "strict_integer_subclass": bytes([STRICT]) + bytes([INTSUB, 0]) + enc_int(2**60),
        "subclasses": bytes([0]) + d_list(d_str("s", tag=STRSUB), bytes([INTSUB, 0]) + enc_int(7),
                                          d_dict((key_str("k"), bytes([NONE])), tag=DICTSUB),
                                          d_list(bytes([TRUE]), tag=LISTSUB)),
        "subclasses_passthrough": bytes([PASSTHROUGH]) + d_list(d_str("s", tag=STRSUB)),
        "float_subclass": bytes([0]) + d_float(1.0, tag=FLOATSUB),
        "tuple": bytes([0]) + d_list(d_int(1), d_str("t"), tag=TUPLE),
        "tuple_subclass": bytes([0]) + d_list(d_int(1), tag=TUPLESUB),
        "non_str_keys_refused": bytes([0]) + d_dict((k_int(1), bytes([NONE]))),
        "non_str_keys": bytes([NON_STR_KEYS]) + d_dict(
            (k_int(1), bytes([NONE])), (k_float(2.5), bytes([TRUE])), (k_float(float("nan")), bytes([FALSE])),
            (k_const(0), d_int(1)), (k_const(1), d_int(2)), (k_const(2), d_int(3)), (k_strsub("sub"), d_int(4)),
            (k_int(-(2**70)), d_int(5))),
        "non_str_keys_sorted": bytes([NON_STR_KEYS | SORT_KEYS | INDENT]) + d_dict(
            (k_int(10), bytes([NONE])), (key_str("b"), bytes([NONE])), (k_float(-0.0), bytes([NONE])), (k_const(2), bytes([NONE]))),
        "non_str_key_collision": bytes([NON_STR_KEYS]) + d_dict((k_int(1), bytes([NONE])), (key_str("1"), bytes([TRUE]))),
        "non_str_key_tuple": bytes([NON_STR_KEYS]) + d_dict((k_tuple(1), bytes([NONE]))),
        "non_str_key_huge": bytes([NON_STR_KEYS]) + d_dict((bytes([8, 1, 1, 0, 240, 0]), bytes([NONE]))),
        "str_subclass_key_refused": bytes([0]) + d_dict((k_strsub("k"), bytes([NONE]))),
        "sort_keys_unicode": bytes([SORT_KEYS]) + d_dict(*((key_str(k), d_int(i)) for i, k in enumerate(["é", "a", "😀", "€", "", "aa", "A"]))),
        "box_default": bytes([DEFAULT]) + d_list(bytes([BOX]) + d_str("boxed"), bytes([BOX, BOX]) + d_int(3)),
        "box_no_default": bytes([0]) + bytes([BOX]) + d_int(1),
        "box_255_deep": bytes([DEFAULT]) + bytes([BOX]) * 255 + bytes([NONE]),
        "box_254_deep": bytes([DEFAULT]) + bytes([BOX]) * 254 + bytes([NONE]),
        "unsupported_type": bytes([0]) + d_list(bytes([OBJECT])),
        "unsupported_type_default": bytes([DEFAULT]) + d_list(bytes([OBJECT])),
        "cycle": bytes([0]) + bytes([CYCLE]) + d_int(1),
        "depth_254": bytes([0]) + bytes([CHAIN, 253]) + bytes([NONE]),
        "depth_255": bytes([0]) + bytes([CHAIN, 254]) + bytes([NONE]),
        "depth_255_dict": bytes([0]) + bytes([CHAIN, 253]) + d_dict((key_str("k"), d_int(1))),
        "depth_indent": bytes([INDENT]) + bytes([CHAIN, 40]) + d_list(d_int(1), d_int(2)),
        "option_valid_int": header(odd=0) + struct.pack("<h", 1 | 32 | 1024),
        "option_rich_bits": header(odd=0) + struct.pack("<h", 2 | 8 | 16 | 128 | 512 | 2048) + bytes([NONE]),
        "option_negative": header(odd=0) + struct.pack("<h", -1) + bytes([NONE]),
        "option_too_big": header(odd=0) + struct.pack("<h", 4096) + bytes([NONE]),
        "option_huge": header(odd=4 | (31 << 3)) + struct.pack("<h", 3) + bytes([NONE]),
        "option_float": header(odd=1) + bytes([NONE]),
        "default_not_callable": header(odd=2) + bytes([NONE]),
        "option_none": header(INDENT, odd=3) + PLAIN_TREE,
        "empty_containers_indent": bytes([INDENT]) + d_list(d_list(), d_dict(), d_list(tag=TUPLE)),
    }
    seeds.update(rich_dumps_inputs())
    return seeds


# ---------------------------------------------------------------------------
# fuzz_keycache: byte 0 = alphabets, then operations (fuzz/fuzz_keycache.c).

GET, FIND_INSERT, CLEAR, SET_WAYS, SET_ENABLED, FORCE_HASH, STATS_RESET, RENEW = 0, 2, 4, 5, 6, 7, 8, 9
WAYS_INDEX = {1: 0, 2: 1, 4: 2, 8: 3, 16: 4, 32: 5, 64: 6, 0: 7, 3: 8, 128: 9, 6: 10, 4096: 11}


def k_get(*letters):
    return bytes([GET, len(letters)] + list(letters))


def k_find(*tokens):
    return bytes([FIND_INSERT, len(tokens)] + list(tokens))


def keycache_seeds():
    collide = bytes([FORCE_HASH, 0x00])
    return {
        "gets": bytes([0x0F]) + k_get(0, 1) + k_get(0, 1) + k_get(1, 0) + k_get() + k_get(2) + k_get(*[3] * 64),
        "collisions_evict": bytes([0x03]) + collide + b"".join(k_get(a, b) for a in range(3) for b in range(3)) + k_get(0, 0),
        "direct_mapped": bytes([0x07, SET_WAYS, WAYS_INDEX[1]]) + collide + k_get(0, 1) + k_get(1, 0) + k_get(0, 1),
        "sixty_four_ways": bytes([0x07, SET_WAYS, WAYS_INDEX[64]]) + collide + b"".join(k_get(a, b, c) for a in range(4) for b in range(4) for c in range(5)),
        "invalid_ways": bytes([0x01]) + b"".join(bytes([SET_WAYS, WAYS_INDEX[w]]) for w in (0, 3, 128, 6, 4096, 2)),
        "escaped_tokens": bytes([0xF3]) + k_find(0, 0) + k_find(1, 1) + k_find(0, 0) + k_find(6, 7) + k_find(8, 9) + k_find(3, 4, 5) + k_find(11, 14, 15) + k_get(0, 0),
        "escaped_collide": bytes([0xF3]) + collide + b"".join(k_find(a, b) for a in range(0, 16, 3) for b in range(0, 16, 5)),
        "disabled": bytes([0x33]) + k_get(0, 1) + bytes([SET_ENABLED, 0]) + k_get(0, 1) + k_find(1, 6) + bytes([SET_ENABLED, 1]) + k_get(0, 1),
        "clear_and_reset": bytes([0x33]) + k_get(0, 1) + k_find(1, 2) + bytes([CLEAR]) + k_get(0, 1) + bytes([STATS_RESET]) + k_get(0, 1),
        "renew": bytes([0x33]) + k_get(0, 1) + k_find(6, 6) + bytes([RENEW]) + k_get(0, 1),
        "force_hash_high_bits": bytes([0x33, FORCE_HASH, 0x7D]) + k_get(0, 1) + k_get(1, 1) + bytes([FORCE_HASH, 0x80]) + k_get(0, 1),
        # Operation bytes 240-249: the same operations with an allocation failing.
        "faulty": bytes([0xF3]) + faulty(k_get(0, 1)) + k_get(0, 1) + faulty(k_find(6, 7)) + k_find(6, 7)
                  + faulty(k_find(0, 0)) + faulty(bytes([RENEW])) + bytes([SET_ENABLED, 0]) + faulty(k_get(1, 1)),
    }


def faulty(op):
    return bytes([240 + op[0]]) + op[1:]


# ---------------------------------------------------------------------------
# Other binary targets.

def alloc_fail_seeds():
    docs = {
        "nested": b'{"a":[1,2,{"b":[[],{},[[[]]],{"c":{"d":null}}]}],"f":[true,false,-0,0.5,"s"]}',
        "strings": json.dumps(["x" * 40, "é" * 10, "€" * 10, "😀" * 5, "esc\"\\\n\u0001"], ensure_ascii=False).encode(),
        "escaped": json.dumps(["é€😀" * 3]).encode(),
        "keys": b'{"a\\u0062":1,"ab":2,"\\u00e9":3,"' + b"k" * 70 + b'":4,"' + b"k" * 70 + b'":5}',
        "numbers": b"[12345678901234567890123,-9223372036854775809,1.5,0.30000000000000000000000000000001,1e300]",
        "many_values": b"[" + b",".join(b"%d" % i for i in range(200)) + b"]",
        "invalid": b'[1, 2, {"a": tru}]',
        "invalid_str": b'["abc\\x"]',
    }
    seeds = {}
    for name, doc in docs.items():
        for mode, n in ((0, 1), (0, 5), (4, 9), (2, 3), (8, 2), (1, 1), (1, 4), (5, 7), (0x31, 3), (3, 2)):
            seeds[f"{name}_mode{mode:02x}_n{n}"] = bytes([mode]) + struct.pack("<H", n) + doc
    seeds["not_json_dumps_str"] = bytes([1]) + struct.pack("<H", 2) + b"plain text \xff\xfe"
    # Mode bit 6: every allocation request of the call fails in turn.
    for name in ("nested", "strings", "escaped", "keys", "numbers", "invalid", "invalid_str"):
        for mode in (0x40, 0x44, 0x48, 0x41, 0x51, 0x61, 0x45):
            seeds[f"sweep_{name}_mode{mode:02x}"] = bytes([mode, 0, 0]) + docs[name]
    seeds["sweep_not_json_dumps_str"] = bytes([0x41, 0, 0]) + b"text \xff \\ \" \x01 \xc3\xa9 \xe2\x82\xac"
    # Tree mode (mode bit 7 with bit 0): the rest is a fuzz_dumps input, so
    # every further type's path runs with an allocation failing; bit 3
    # modifies the dataclass types before each call (their fields read again).
    trees = dumps_seeds()
    for name in ALLOC_FAIL_TREES:
        for mode, n in ((0x81, 1), (0x81, 7), (0x83, 3), (0xC1, 0), (0xC3, 0)):
            seeds[f"tree_{name}_mode{mode:02x}_n{n}"] = bytes([mode]) + struct.pack("<H", n) + trees[name]
    for name in ALLOC_FAIL_TREES:
        if name.startswith("dataclass"):
            seeds[f"tree_{name}_mode89_n2"] = bytes([0x89]) + struct.pack("<H", 2) + trees[name]
            seeds[f"tree_{name}_modec9"] = bytes([0xC9, 0, 0]) + trees[name]
    return seeds


# The fuzz_dumps seeds fuzz_alloc_fail also starts from, in its tree mode.
ALLOC_FAIL_TREES = [
    "plain", "box_default", "non_str_keys_sorted", "huge_int_over_limit",
    "datetime_naive_utc", "datetime_offsets_minutes", "datetime_zoneinfo_fold", "datetime_pytz",
    "datetime_dateutil", "datetime_pendulum", "datetime_odd_zones", "datetime_zone_raises",
    "datetime_zone_wrong", "datetime_passthrough", "date", "time", "time_utc_refused", "uuid",
    "uuid_int_negative", "uuid_int_str", "enum_values", "enum_str", "enum_str_surrogate", "enum_flag",
    "enum_of_box", "dataclass", "dataclass_indent_sorted", "dataclass_kinds", "dataclass_slots",
    "dataclass_nested", "dataclass_missing_field", "dataclass_passthrough",
    "dataclass_unserializable_field", "dataclass_depth_255", "fragment", "fragment_indent",
    "fragment_surrogate", "fragment_not_bytes", "subclasses_default", "keys_rich", "keys_rich_sorted",
    "key_enum_unserializable", "key_time_zone_refused", "numpy_f8", "numpy_f4_specials", "numpy_f2",
    "numpy_i4", "numpy_u8", "numpy_bool", "numpy_indent", "numpy_shapes", "numpy_0d_default",
    "numpy_layout_fortran_default", "numpy_layout_swapped", "numpy_unsupported_O_default",
    "numpy_f4_scalar", "numpy_datetime64_ns_edges", "numpy_datetime64_s", "numpy_datetime64_Y_nat",
    "numpy_datetime64_us_scalar", "numpy_datetime64_ps_default", "numpy_keys", "numpy_without_option_default",
]


def numbers_seeds():
    seeds = {}
    for i, text in enumerate([b"0", b"-0", b"1.5", b"-0.0", b"1e5", b"1E-5", b"1e308", b"1e309", b"5e-324", b"2.4703282292062327e-324",
                              b"9007199254740993", b"18446744073709551616", b"0.1e1", b" 7 ", b"1.", b"01", b"-", b"1e400",
                              b"123456789012345678901234567890", b"0.000000000000000000000000000000000000001e-290"]):
        seeds[f"raw_{i:02d}"] = b"\x00" + text
    # mode 1: shape byte, digit bytes, ...
    for i, shape in enumerate([0x00, 0x01, 0x02, 0x06, 0x0C, 0x0E, 0x2C, 0x3D, 0x4E, 0x8F, 0x1C]):
        seeds[f"assembled_{i:02d}"] = bytes([1, shape]) + bytes(range(7, 250, 3))
    for i, x in enumerate([0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1e16, 1e22, 1e23,
                           123456789.0, 2.0**53, float("nan"), float("inf"), -1.5, 1e-7, 9.999999999999999e22]):
        seeds[f"double_{i:02d}"] = bytes([2]) + struct.pack("<d", x)
    for i, shape in enumerate([0x00, 0x01, 0x26, 0x27]):
        seeds[f"integer_{i:02d}"] = bytes([3, shape]) + bytes(range(1, 60))
    for digits in (4300, 4301):
        seeds[f"integer_{digits}_digits"] = bytes([3, 0x80]) + struct.pack("<H", digits - 1) + bytes([7]) * digits
    for i, (w, q, flags) in enumerate([(1, 0, 0), (9007199254740993, 0, 2), (17976931348623157, 292, 2),
                                        (24703282292062327, -340, 2), (1, -343, 2), (1, 309, 0), (2**64 - 1, 300, 0),
                                        (12345678901234567, -27, 3), (0, 5, 1)]):
        seeds[f"decimal_{i:02d}"] = bytes([4]) + struct.pack("<QBh", w, flags, q)
    # Byte 0 bit 7: the Decimal mode, its flags 1 assembled, 2 Decimal(text),
    # 4 capitals=0, 8 huge exponents, 0x10 InvalidOperation not trapped.
    for i, text in enumerate([b"1.10", b" -0.0e-5\r\n", b"5e0", b"-0", b"1E+400", b"0.0000001", b"1e999999999999999999",
                              b"1e1000000000000000000", b"15e999999999999999999", b"1e-1999999999999999997",
                              b"0e-1999999999999999998", b"1" * 60 + b".5e-3", b"[1.5]", b"1.5x"]):
        seeds[f"dec_raw_{i:02d}"] = bytes([0x80 | (0x14 if i % 2 else 0x10)]) + text
    for i, shape in enumerate([0x04, 0x0E, 0x2C, 0x3D, 0x4E, 0x8F]):
        seeds[f"dec_assembled_{i:02d}"] = bytes([0x81 | (i % 2) * 4]) + bytes([shape]) + bytes(range(7, 250, 3))
    for i, pick in enumerate([0x80, 0x81, 0x7E, 0x82, 0xFF, 0x03]):
        seeds[f"dec_huge_exponent_{i:02d}"] = bytes([0x99, 0x0C | (i % 2), 5, 3, 1, pick])
    for i, text in enumerate([b"NaN", b"-sNaN123", b"Infinity", b"-inf", b"1_000.5e-3", "\u0661\u0662.\u0665".encode(),
                              b"  12.50E+7 ", b"0E-8", b"-0", b"1e999999999999999999", b"nan42"]):
        seeds[f"dec_object_{i:02d}"] = bytes([0x82 | (i % 2) * 4]) + text
    return seeds


def lines_seeds():
    """Byte 0 the chunk size (1 + b % 64), byte 1 the reader (bit 7: loads_lines
    reads a memoryview; bits 0-6: 0 io.BytesIO, else the cuts' seed), then the
    lines (fuzz/fuzz_lines.c)."""
    docs = {
        "records": b'{"id":1,"tags":["a","b"]}\n{"id":2,"tags":[]}\n{"id":3,"note":"\\u00e9\\n"}\n',
        "crlf_blank": b'1\r\n\r\n  \t \n"two"\r\n[3]\n\n',
        "no_final_newline": b"[1,2]\n{}\nnull",
        "lone_cr": b"1\r2\n3\r\n",
        "bad_third": b'1\n2\r\n\n[3,]\n4\n',
        "extra_data": b'{"a":1} {"b":2}\n',
        "utf8_then_bad": "\"\u00e9\u20ac\U0001f600\"\n[\"\u00e9\",]\n".encode(),
        "invalid_utf8": b'"ok"\n"\xc3"\n',
        "bom_second": b"1\n\xef\xbb\xbf2\n",
        "nul_in_line": b"1\n2\x003\n",
        "only_blank": b"\n\r\n \n\t",
        "empty": b"",
        "open_string": b'"abc\n"\n',
        "numbers": b"1.5\n-0\n1e400\n12345678901234567890123\n",
        "long_line": b"[" + b"1," * 150 + b"1]\n" + b'{"k":' * 20 + b"0" + b"}" * 20 + b"\n",
        "deep": b"[" * 1025 + b"\n",
        "cr_in_error": b"[1,\r\n",
    }
    seeds = {}
    for name, doc in docs.items():
        for chunk, reader in ((63, 0x00), (0, 0x00), (4, 0x05), (6, 0x80 | 0x2A)):
            seeds[f"{name}_c{chunk + 1}_r{reader:02x}"] = bytes([chunk, reader]) + doc
    return seeds


def scan_seeds():
    return {
        "plain_64": b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-",
        "all_bytes": bytes(range(256)),
        "quote_at_each_16": b"".join(b"a" * k + b'"' for k in range(0, 48, 5)),
        "backslash_late": b"x" * 70 + b"\\" + b"y" * 10,
        "control_late": b"x" * 33 + b"\x1f" + b"y" * 33,
        "high_late": b"x" * 95 + b"\x80",
        "boundaries": b"\x20\x1f\x7f\x80\xff\x21\x22\x5b\x5c\x5d" * 8,
    }


def loads_seeds():
    return json_docs()


def roundtrip_seeds():
    """Byte 0 is the option byte (fuzz/fuzz_roundtrip.c), then a document."""
    return ({f"{name}_o{opt:02x}": bytes([opt]) + doc
             for name, doc in json_docs().items()
             for opt in ((0x00, 0x03, 0x0C) if name.startswith("valid_") else (0x00,))}
            | {"valid_ints_strict_o20": bytes([0x20]) + VALID["ints"],
               "valid_object_cache_direct_o47": bytes([0x47]) + VALID["repeated_keys"],
               "valid_object_cache_64_o84": bytes([0x84]) + VALID["escaped_keys"],
               "valid_object_cache_off_oc1": bytes([0xC1]) + VALID["long_keys"]})


# ---------------------------------------------------------------------------
# Large seeds: too big to commit; written at build time (--large).

@functools.cache
def large_docs():
    return {
        "million_brackets": b"[" * 1_000_000,
        "long_strings": json.dumps(["é€😀 \"\\\n" * 20000, "a" * 300_000], ensure_ascii=False).encode(),
        "huge_number": b"1" + b"0" * 200_000 + b".5e-200000",
        "deep_valid": b'{"a":' * 500 + b"[" * 524 + b"1" + b"]" * 524 + b"}" * 500,
        "many_keys": json.dumps({f"key{i}": i for i in range(20000)}).encode(),
    }


def loads_large_seeds():
    return large_docs()


def roundtrip_large_seeds():
    headers = {"million_brackets": b"\x00", "long_strings": b"\x03", "deep_valid": b"\x01", "many_keys": b"\x42"}
    return {name: header + large_docs()[name] for name, header in headers.items()}


def alloc_fail_large_seeds():
    headers = {"long_strings": b"\x00\x34\x12", "many_keys": b"\x01\x99\x01", "million_brackets": b"\x00\x01\x00"}
    return {name: header + large_docs()[name] for name, header in headers.items()}


def numbers_large_seeds():
    return {"huge_number": b"\x00" + large_docs()["huge_number"]}


# ---------------------------------------------------------------------------
# The targets: fuzz/targets.txt, the one list. Target fuzz_NAME's committed
# seeds are NAME_seeds() (required), its large ones NAME_large_seeds()
# (optional).

def targets():
    """The names in fuzz/targets.txt (the first word of each line)."""
    lines = (HERE.parent.parent / "fuzz" / "targets.txt").read_text().splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def seed_functions():
    """{target: (small, large or None)}, checked against fuzz/targets.txt."""
    names = targets()
    functions = {}
    for target in names:
        short = target.removeprefix("fuzz_")
        small = globals().get(f"{short}_seeds")
        if small is None:
            raise SystemExit(f"generate.py: {target} (fuzz/targets.txt) has no seeds: write {short}_seeds()")
        functions[target] = (small, globals().get(f"{short}_large_seeds"))
    known = {f"{t.removeprefix('fuzz_')}_{kind}seeds" for t in names for kind in ("", "large_")}
    stray = sorted(n for n in globals() if n.endswith("_seeds") and n not in known)
    if stray:
        raise SystemExit(f"generate.py: {', '.join(stray)}: no such target in fuzz/targets.txt")
    return functions


def write_dir(directory, files, limit=None):
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        assert limit is None or len(data) < limit, name
        (directory / name).write_bytes(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="rewrite corpus/seeds/<target>/")
    parser.add_argument("--large", type=pathlib.Path, metavar="DIR", help="write the large seeds to DIR/<target>/")
    args = parser.parse_args()
    if not args.small and not args.large:
        parser.error("nothing to do: --small and/or --large DIR")
    for target, (small, large) in seed_functions().items():
        if args.small:
            write_dir(HERE / target, small(), limit=100_000)
        if args.large and large is not None:
            write_dir(args.large / target, large())


if __name__ == "__main__":
    main()
