"""The one list of deliberate differences between jcodec.loads and json.loads.

Every difference has the same direction: json.loads ACCEPTS a document that
jcodec.loads REJECTS with JSONDecodeError (jcodec is strict RFC 8259 over UTF-8;
json is lenient). jcodec never accepts a document json rejects, with one
exception: nesting between json's recursion limit and jcodec's 1024 levels
(json raises RecursionError there, a limit rather than a grammar choice).

Tests import this module instead of keeping their own lists:

    DIFFERENCES                  the data: name -> Difference
    json_differences(doc)        names of the differences a document triggers
                                 (computed from json's behaviour, not jcodec's)
    expected_to_differ(doc)      bool(json_differences(doc))
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


_LIST = [
    # -- the deliberate grammar differences -----------------------------------
    Difference("nan", "json accepts the non-standard constant NaN (float('nan'))",
               b"[NaN]", "NaN is not valid JSON", 1),
    Difference("infinity", "json accepts the non-standard constant Infinity",
               b"[Infinity]", "Infinity is not valid JSON", 1),
    Difference("-infinity", "json accepts the non-standard constant -Infinity",
               b"[-Infinity]", "-Infinity is not valid JSON", 1),
    Difference("lone_surrogate_escape",
               "json decodes a \\u escape of a lone surrogate (or a reversed/broken pair) "
               "into a str holding a surrogate code point",
               b'["\\ud800"]', "lone surrogate \\ud800", 2),
    Difference("float_overflow", "json turns a float literal beyond the double range into inf",
               b"[1e400]", "number out of range", 1),
    Difference("bom", "json.loads(bytes) strips a UTF-8 byte order mark (utf-8-sig)",
               b"\xef\xbb\xbf[1]", "byte order mark is not allowed", 0),
    # -- input-decoding differences that follow from the same strictness ------
    # json.loads(bytes) decodes with json.detect_encoding() and 'surrogatepass';
    # jcodec reads bytes as UTF-8 only and validates it per RFC 3629.
    Difference("utf16_utf32",
               "json.loads(bytes) detects UTF-16/UTF-32 (a BOM, or NUL among the first "
               "bytes) and decodes it; jcodec reads UTF-8 only",
               "[1]".encode("utf-16-le"), "expected a value, found byte 0x00", 1),
    Difference("utf8_encoded_surrogate",
               "json.loads(bytes) decodes with 'surrogatepass', so UTF-8-encoded "
               "surrogates (ED A0..BF xx) become surrogate code points",
               b'["\xed\xa0\x80"]', "invalid UTF-8 byte 0xED (encoded surrogate)", 2),
    Difference("str_surrogate",
               "json.loads(str) accepts a str holding surrogate code points; jcodec "
               "needs the str to be encodable as UTF-8",
               '["\ud800"]', "str is not valid UTF-8: lone surrogate U+D800", 2),
    # -- a limit, not a grammar choice ----------------------------------------
    Difference("depth",
               "json's nesting limit is the interpreter's recursion limit (RecursionError), "
               "jcodec's is 1024 levels (JSONDecodeError)",
               b"[" * 1025 + b"]" * 1025, "nesting depth exceeds 1024", 1024),
]

DIFFERENCES = {d.name: d for d in _LIST}


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
