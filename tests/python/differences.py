"""The one list of deliberate differences: jcodec.loads against json.loads,
and jcodec (dumps and loads) against orjson 3.11, whose drop-in jcodec is.

loads against json: every difference has the same direction: json.loads
ACCEPTS a document that jcodec.loads REJECTS with JSONDecodeError (jcodec is
strict RFC 8259 over UTF-8; json is lenient). jcodec never accepts a document
json rejects, with one exception: nesting between json's recursion limit and
jcodec's 1024 levels (json raises RecursionError there, a limit rather than a
grammar choice).

against orjson: ORJSON_DIFFERENCES, each with what jcodec does, what orjson
does and why; test_differences.py shows each one (side by side with orjson
3.8.3, installed, where it behaves as 3.11 on that point).

README.md's table "Differences from json and orjson, on purpose" lists them:
each entry's `readme` is the first cell of its row (entries may share a row),
and the table has no other rows (test_differences.py checks both ways).

Tests import this module instead of keeping their own lists:

    DIFFERENCES                  loads against json: name -> Difference
    json_differences(doc)        names of the differences a document triggers
                                 (computed from json's behaviour, not jcodec's)
    expected_to_differ(doc)      bool(json_differences(doc))
    ORJSON_DIFFERENCES           against orjson: name -> OrjsonDifference
    README_ROWS                  every entry's README row (first cell)
"""
import json
import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Difference:
    name: str
    what: str          # what json does that jcodec does not
    example: object    # a document (bytes or str) showing it
    jcodec_msg: str    # substring of jcodec's JSONDecodeError.msg for the example
    jcodec_pos: int    # jcodec's JSONDecodeError.pos for the example
    readme: str = ""   # the first cell of its row in README's table ("" when it has none)


# README rows that stand for several loads entries.
_CONSTANTS_ROW = "`NaN`, `Infinity` literals"
_UTF8_ROW = "UTF-8 BOM, UTF-16/32, encoded surrogates in bytes"


_LIST = [
    # -- the deliberate grammar differences -----------------------------------
    Difference("nan", "json accepts the non-standard constant NaN (float('nan'))",
               b"[NaN]", "NaN is not valid JSON", 1, _CONSTANTS_ROW),
    Difference("infinity", "json accepts the non-standard constant Infinity",
               b"[Infinity]", "Infinity is not valid JSON", 1, _CONSTANTS_ROW),
    Difference("-infinity", "json accepts the non-standard constant -Infinity",
               b"[-Infinity]", "-Infinity is not valid JSON", 1, _CONSTANTS_ROW),
    Difference("lone_surrogate_escape",
               "json decodes a \\u escape of a lone surrogate (or a reversed/broken pair) "
               "into a str holding a surrogate code point",
               b'["\\ud800"]', "lone surrogate \\ud800", 2,
               '`"\\ud800"` (lone surrogate escape)'),
    Difference("float_overflow", "json turns a float literal beyond the double range into inf",
               b"[1e400]", "number out of range", 1, "`1e400`"),
    Difference("bom", "json.loads(bytes) strips a UTF-8 byte order mark (utf-8-sig)",
               b"\xef\xbb\xbf[1]", "byte order mark is not allowed", 0, _UTF8_ROW),
    # -- input-decoding differences that follow from the same strictness ------
    # json.loads(bytes) decodes with json.detect_encoding() and 'surrogatepass';
    # jcodec reads bytes as UTF-8 only and validates it per RFC 3629.
    Difference("utf16_utf32",
               "json.loads(bytes) detects UTF-16/UTF-32 (a BOM, or NUL among the first "
               "bytes) and decodes it; jcodec reads UTF-8 only",
               "[1]".encode("utf-16-le"), "expected a value, found byte 0x00", 1, _UTF8_ROW),
    Difference("utf8_encoded_surrogate",
               "json.loads(bytes) decodes with 'surrogatepass', so UTF-8-encoded "
               "surrogates (ED A0..BF xx) become surrogate code points",
               b'["\xed\xa0\x80"]', "invalid UTF-8 byte 0xED (encoded surrogate)", 2, _UTF8_ROW),
    Difference("str_surrogate",
               "json.loads(str) accepts a str holding surrogate code points; jcodec "
               "needs the str to be encodable as UTF-8",
               '["\ud800"]', "str is not valid UTF-8: lone surrogate U+D800", 2,
               "a `str` holding a surrogate in `loads`"),
    # -- a limit, not a grammar choice ----------------------------------------
    Difference("depth",
               "json's nesting limit is the interpreter's recursion limit (RecursionError), "
               "jcodec's is 1024 levels (JSONDecodeError)",
               # 100,000 levels: json's RecursionError comes at a depth that depends on
               # the version (3.12 and 3.13 count C stack, not Python frames, and accept
               # 1025 or 3000 levels); every supported version refuses this one.
               b"[" * 100_000 + b"]" * 100_000, "nesting depth exceeds 1024", 1024,
               "nesting depth in `loads`"),
]

DIFFERENCES = {d.name: d for d in _LIST}


# =============================================================================
# Against orjson 3.11


@dataclass(frozen=True)
class OrjsonDifference:
    name: str
    direction: str     # "dumps" or "loads"
    jcodec: str        # what jcodec does
    orjson: str        # what orjson does (3.11; 3.8.3 where it is said)
    reason: str        # why jcodec does it its way
    readme: str        # the first cell of its row in README's table
    side_by_side: bool  # orjson 3.8.3 behaves as 3.11 here: the test runs both


_ORJSON_LIST = [
    OrjsonDifference(
        "float_repr", "dumps",
        "floats as repr() writes them: 1e+16, 1e-07, and so numpy float64/float32/float16 values too "
        "(3.4e+38)",
        "Ryu's shortest form in its own layout: 1e16, 1e-7, 3.4e38",
        "output equal to json.dumps's, byte for byte, is the project's promise",
        "floats in `dumps`", True),
    OrjsonDifference(
        "big_ints", "dumps",
        "ints beyond 64 bits written exactly, as values and as OPT_NON_STR_KEYS keys (within "
        "sys.get_int_max_str_digits())",
        'refused: "Integer exceeds 64-bit range"',
        "Python ints have no size; json writes them, and loads reads them back exactly",
        "ints over 64 bits in `dumps`", True),
    OrjsonDifference(
        "loads_big_ints", "loads",
        "integer literals beyond 64 bits read as exact ints",
        "read as floats (precision lost)",
        "json.loads gives the exact int; a round trip must not change a value",
        "ints over 64 bits in `loads`", True),
    OrjsonDifference(
        "error_position", "loads",
        "JSONDecodeError.pos at the offending byte (bytes input) or character (str input)",
        "often the end of the data, counted in characters",
        "an error should say where it is",
        "error position, bytes input", True),
    OrjsonDifference(
        "error_path", "dumps",
        'JSONEncodeError messages name the path of the value: "Type is not JSON serializable: '
        'object at $.users[1].id"',
        "the message alone",
        "in a large document the type alone does not say which value",
        "`dumps` error messages", True),
    OrjsonDifference(
        "default_exceptions_propagate", "dumps",
        "MemoryError, RecursionError and exceptions that are not Exceptions (KeyboardInterrupt, "
        "SystemExit) raised by default propagate as they are",
        "JSONEncodeError (a TypeError) with the exception as its cause",
        "they are not serialization errors: an interrupt or running out of memory must stay what it is",
        "`KeyboardInterrupt`, `MemoryError`, `RecursionError` in `default`", True),
    OrjsonDifference(
        "default_reentry", "dumps",
        "default calling dumps again without end: RecursionError, at any sys.setrecursionlimit()",
        "orjson 3.8.3: TypeError, or a crash past nesting 50",
        "each call counts against the recursion limit and checks the C stack (issue 16)",
        "`default` calling `dumps` again without end", False),
    OrjsonDifference(
        "default_depth", "dumps",
        'default calls nest at most 254 deep ("default serializer exceeds recursion limit" at the 255th)',
        "255",
        "one limit for both kinds of nesting, 254, kept on the C stack's budget",
        "nested `default` calls", True),
    OrjsonDifference(
        "container_depth", "dumps",
        'containers nest at most 254 deep ("maximum nesting depth of 254 exceeded")',
        "255",
        "the encoder's per-level C stack budget; a cycle is found at the limit",
        "nesting depth in `dumps`", True),
    OrjsonDifference(
        "default_not_callable", "dumps",
        'a default that is not callable is refused at once ("default must be callable"), whether or not '
        "a value needs it",
        "orjson 3.8.3: refused only when called",
        "the mistake shows on the first call, not on the first odd value",
        "`default` not callable", True),
    OrjsonDifference(
        "fragment_pickle", "dumps",
        "jcodec.Fragment pickles (and copies) as the call that makes it; its repr says jcodec.Fragment",
        "orjson.Fragment cannot be pickled",
        "a Fragment is plain data (cached JSON); it should cross processes like the rest of a value",
        "`Fragment`", False),
    OrjsonDifference(
        "dataclass_fields", "dumps",
        "dataclasses written from their fields (dataclasses.fields(): no attribute set outside the "
        "fields appears)",
        "a non-slots instance's __dict__ is written, so attributes set outside the fields appear too",
        "the fields are the dataclass's declared shape (as dataclasses.asdict); the same instance "
        "writes the same with or without __slots__",
        "dataclass attributes outside the fields", True),
    OrjsonDifference(
        "offset_carry", "dumps",
        'a UTC offset with seconds rounding up to a whole hour carries into it: +01:59:30 -> "+02:00"',
        'orjson 3.8.3: "+01:60"',
        "RFC 3339: minutes are 00-59",
        "UTC offset rounding up to the hour", True),
    OrjsonDifference(
        "utcoffset_none", "dumps",
        "a datetime whose tzinfo's utcoffset() returns None is written without an offset, as "
        "isoformat() writes it (OPT_NAIVE_UTC does not add one)",
        'orjson 3.8.3: "+00:00"',
        "isoformat() is the reference: such a datetime has no known offset",
        "`utcoffset()` returning `None`", True),
    OrjsonDifference(
        "datetime64_range", "dumps",
        "numpy.datetime64 values outside years 1..9999 refused (JSONEncodeError)",
        "written (years beyond 9999 as more digits, or negative)",
        "datetime's range: what dumps writes for a datetime64 is what a datetime can hold and "
        "isoformat() can write",
        "`numpy.datetime64` outside years 1..9999", False),
    OrjsonDifference(
        "numpy_endian_wording", "dumps",
        'a non-native byte order array: "numpy array is not native-endian"',
        '"numpy array is not native-endianness"',
        "plain English",
        "non-native byte order `numpy` array", False),
    OrjsonDifference(
        "module_name", "dumps",
        "the module is jcodec: jcodec.JSONEncodeError and jcodec.JSONDecodeError are jcodec's own "
        "classes (subclasses of TypeError and of json.JSONDecodeError)",
        "orjson, whose JSONEncodeError is TypeError itself",
        "a module of its own, importable as orjson with `import jcodec as orjson`",
        "module and exception classes", True),
]

ORJSON_DIFFERENCES = {d.name: d for d in _ORJSON_LIST}
README_ROWS = sorted({d.readme for d in _LIST if d.readme} | {d.readme for d in _ORJSON_LIST})


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(s):
    return _SURROGATE.search(s) is not None


class _Pairs(list):
    """An object as json saw it: every (key, value) pair, duplicates included
    (a dict would drop the earlier values of a duplicate key)."""


def _strings_and_depth(value):
    """All strs (keys included) in a value decoded with object_pairs_hook=_Pairs,
    and its container nesting depth."""
    strings = []
    depth = 0
    stack = [(value, 0)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, _Pairs):
            depth = max(depth, d + 1)
            for key, item in v:
                strings.append(key)
                stack.append((item, d + 1))
        elif isinstance(v, list):
            depth = max(depth, d + 1)
            stack.extend((x, d + 1) for x in v)
    return strings, depth


def json_differences(doc):
    """The names (from DIFFERENCES) of the deliberate differences `doc` triggers,
    decided from json's behaviour alone: [] means jcodec.loads(doc) must behave as
    json.loads(doc) does (both accept with equal results, or both raise).
    doc: bytes, bytearray, memoryview or str."""
    if isinstance(doc, (bytearray, memoryview)):
        doc = bytes(doc)
    found = []
    if isinstance(doc, bytes):
        encoding = json.detect_encoding(doc)
        if encoding == "utf-8-sig":
            found.append("bom")
        elif encoding != "utf-8":
            found.append("utf16_utf32")
        try:
            text = doc.decode(encoding, "surrogatepass")
        except UnicodeDecodeError:
            return found if _json_accepts(doc) else []
        if encoding in ("utf-8", "utf-8-sig") and _has_surrogate(text):
            found.append("utf8_encoded_surrogate")
    else:
        text = doc
        if _has_surrogate(text):
            found.append("str_surrogate")

    seen = set()

    def parse_constant(name):
        seen.add({"NaN": "nan", "Infinity": "infinity", "-Infinity": "-infinity"}[name])
        return float(name)

    def parse_float(s):
        value = float(s)
        if math.isinf(value):
            seen.add("float_overflow")
        return value

    try:
        result = json.loads(text, parse_constant=parse_constant, parse_float=parse_float,
                            object_pairs_hook=_Pairs)
    except RecursionError:
        return found + ["depth"]
    except ValueError:  # json rejects too: no difference in the outcome
        return []
    found.extend(sorted(seen))
    # Surrogates in the result come from raw ones in the text (flagged above) or
    # from \u escapes of lone surrogates.
    strings, depth = _strings_and_depth(result)
    if not _has_surrogate(text) and any(_has_surrogate(s) for s in strings):
        found.append("lone_surrogate_escape")
    if depth > 1024:
        found.append("depth")
    return found


def _json_accepts(doc):
    try:
        json.loads(doc)
    except (ValueError, RecursionError):
        return False
    return True


def expected_to_differ(doc):
    """Whether jcodec.loads(doc) is expected to differ from json.loads(doc)."""
    return bool(json_differences(doc))
