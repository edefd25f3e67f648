"""JSONDecodeError: message and exact position for every error class, for bytes
and str input (positions: bytes offsets vs code-point offsets), lineno/colno,
e.doc, str(e), pickling, the exception hierarchy, input types, and nesting depth.
"""
import array
import json
import pickle
import sys
import time

import pytest

import jcodec

# Every error class of the parser (core/decode/error.h JC_PARSE_ERRORS) as
# (id, tail, message, byte offset of the error in tail). A tail is placed after
# each PREFIX below, inside an array that PREFIX opens, so the same error is seen
# at offset 0, after ASCII, and after multi-byte characters and newlines.
ERROR_CLASSES = [
    ("unexpected_value", b"}]", "expected a value, found '}'", 0),
    ("unexpected_end", b"", "expected a value, found end of data", 0),
    ("unexpected_after_element", b"1 2]", "expected ',' or ']' after array element, found '2'", 2),
    ("unexpected_non_ascii", "€]".encode(), "expected a value, found '€'", 0),
    ("unexpected_byte", b"\x01]", "expected a value, found byte 0x01", 0),
    ("unexpected_object_colon", b'{"a" 1}]', "expected ':' after object key, found '1'", 5),
    ("unexpected_object_key", b"{1:2}]", "expected '\"' to start an object key, found '1'", 1),
    ("unexpected_object_member", b'{"a":1 2}]', "expected ',' or '}' after object member, found '2'", 7),
    ("trailing_comma_array", b"1,]", "trailing comma before ']'", 1),
    ("trailing_comma_object", b'{"a":1 ,}]', "trailing comma before '}'", 7),
    ("extra_data", b"1] x", "extra data after the JSON value: 'x'", 3),
    ("extra_data_non_ascii", "1]😀".encode(), "extra data after the JSON value: '😀'", 2),
    ("depth", b"[" * 1024, "nesting depth exceeds 1024", 1023),
    ("literal_true", b"tru]", "invalid literal: expected 'true'", 0),
    ("literal_false", b"fals]", "invalid literal: expected 'false'", 0),
    ("literal_null", b"nul]", "invalid literal: expected 'null'", 0),
    ("literal_nan", b"NaN]", "NaN is not valid JSON", 0),
    ("literal_infinity", b"Infinity]", "Infinity is not valid JSON", 0),
    ("literal_minus_infinity", b"-Infinity]", "-Infinity is not valid JSON", 0),
    ("number_leading_zero", b"01]", "leading zero in number", 0),
    ("number_negative_leading_zero", b"-00]", "leading zero in number", 1),
    ("number_minus", b"-]", "invalid number: expected a digit after '-', found ']'", 1),
    ("number_fraction", b"1.]", "invalid number: expected a digit after the decimal point, found ']'", 2),
    ("number_exponent", b"1e+]", "invalid number: expected a digit in the exponent, found ']'", 3),
    ("number_range", b"1e400]", "number out of range: 1e400 is beyond the largest double", 0),
    ("number_range_negative", b"-1.5e999]", "number out of range: -1.5e999 is beyond the largest double", 0),
    ("int_digits", b"1" * 4301 + b"]",
     "integer literal has 4301 digits, over the limit of 4300 set by sys.set_int_max_str_digits()", 0),
    ("unterminated_string", b'"abc', "unterminated string", 0),
    ("unterminated_string_non_ascii", '"é€'.encode(), "unterminated string", 0),
    ("control_character", b'"a\x01"]', "unescaped control character 0x01 in string", 2),
    ("control_character_after_non_ascii", '"é€'.encode() + b'\n"]', "unescaped control character 0x0A in string", 6),
    ("escape", b'"\\x"]', "invalid escape: backslash followed by 'x'", 1),
    ("escape_after_non_ascii", '"é€😀\\x"]'.encode(), "invalid escape: backslash followed by 'x'", 10),
    ("escape_u", b'"\\u12"]', "invalid \\u escape: expected four hex digits", 1),
    ("surrogate", b'"\\ud800"]', "lone surrogate \\ud800", 1),
    ("surrogate_low", '"é\\udc00"]'.encode(), "lone surrogate \\udc00", 3),
    # invalid UTF-8: bytes input only (a str cannot hold it)
    ("utf8_continuation", b'"\x80"]', "invalid UTF-8 byte 0x80 (continuation byte without a lead byte)", 1),
    ("utf8_overlong", b'"\xc0\x80"]', "invalid UTF-8 byte 0xC0 (overlong encoding)", 1),
    ("utf8_overlong_3", b'"\xe0\x80\xaf"]', "invalid UTF-8 byte 0xE0 (overlong encoding)", 1),
    ("utf8_surrogate", b'"\xed\xa0\x80"]', "invalid UTF-8 byte 0xED (encoded surrogate)", 1),
    ("utf8_above", b'"\xf4\x90\x80\x80"]', "invalid UTF-8 byte 0xF4 (above U+10FFFF)", 1),
    ("utf8_not_lead", b'"\xf8\x80\x80\x80"]', "invalid UTF-8 byte 0xF8 (not a UTF-8 lead byte)", 1),
    ("utf8_truncated", '"é'.encode() + b'\xe2\x82"]', "invalid UTF-8 byte 0xE2 (truncated sequence)", 3),
]

PREFIXES = [
    ("plain", "["),
    ("ascii", '[1, "ab", '),
    ("non_ascii", '["é€😀", '),
    ("lines", '[\n  "é",\n  {"k😀": [1,\n2]},\n  '),
]


def _line_col(doc, pos, newline):
    """Independent lineno/colno as json defines them (1-based)."""
    lineno = doc.count(newline, 0, pos) + 1
    colno = pos - doc.rfind(newline, 0, pos)
    return lineno, colno


def _check(e, msg, doc, pos, unit):
    assert isinstance(e, jcodec.JSONDecodeError)
    assert isinstance(e, json.JSONDecodeError)
    assert isinstance(e, ValueError)
    assert e.msg == msg
    assert e.pos == pos, (e.pos, pos, msg)
    assert e.doc == doc and type(e.doc) is type(doc)
    newline = "\n" if isinstance(doc, str) else b"\n"
    lineno, colno = _line_col(doc, pos, newline)
    assert (e.lineno, e.colno) == (lineno, colno)
    assert str(e) == f"{msg}: line {lineno} column {colno} ({unit} {pos})"
    assert e.args == (str(e),)


@pytest.mark.parametrize("prefix_id,prefix", PREFIXES, ids=[p[0] for p in PREFIXES])
@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=[c[0] for c in ERROR_CLASSES])
def test_error_class_bytes(cls, prefix_id, prefix):
    name, tail, msg, offset = cls
    doc = prefix.encode() + tail
    pos = len(prefix.encode()) + offset
    if name == "depth":
        depth_before = prefix.count("[") + prefix.count("{") - prefix.count("]") - prefix.count("}")
        doc = prefix.encode() + b"[" * (1025 - depth_before)
        pos = len(prefix.encode()) + 1024 - depth_before
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc)
    _check(info.value, msg, doc, pos, "byte")
    # bytearray and memoryview: the same error, doc is a bytes copy
    for data in (bytearray(doc), memoryview(doc), memoryview(bytearray(doc))):
        with pytest.raises(jcodec.JSONDecodeError) as info:
            jcodec.loads(data)
        _check(info.value, msg, doc, pos, "byte")


@pytest.mark.parametrize("prefix_id,prefix", PREFIXES, ids=[p[0] for p in PREFIXES])
@pytest.mark.parametrize("cls", [c for c in ERROR_CLASSES if not c[0].startswith("utf8")],
                         ids=[c[0] for c in ERROR_CLASSES if not c[0].startswith("utf8")])
def test_error_class_str(cls, prefix_id, prefix):
    name, raw_tail, msg, byte_offset = cls
    tail = raw_tail.decode("utf-8")
    offset = len(raw_tail[:byte_offset].decode("utf-8"))  # code points before the error
    doc = prefix + tail
    pos = len(prefix) + offset
    if name == "depth":
        depth_before = prefix.count("[") + prefix.count("{") - prefix.count("]") - prefix.count("}")
        doc = prefix + "[" * (1025 - depth_before)
        pos = len(prefix) + 1024 - depth_before
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc)
    _check(info.value, msg, doc, pos, "char")
    # a str the parser must encode (non-compact: a subclass) gives the same error
    class Sub(str):
        pass

    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(Sub(doc))
    assert (info.value.msg, info.value.pos) == (msg, pos)
    if prefix_id in ("non_ascii", "lines") and name != "depth":
        assert pos < len(prefix.encode()) + byte_offset  # code points, not bytes


def test_str_and_bytes_positions_differ():
    text = '{"😀é€": [1, 2,]}'
    with pytest.raises(jcodec.JSONDecodeError) as b:
        jcodec.loads(text.encode())
    with pytest.raises(jcodec.JSONDecodeError) as s:
        jcodec.loads(text)
    assert b.value.msg == s.value.msg == "trailing comma before ']'"
    assert text[s.value.pos] == ","
    assert text.encode()[b.value.pos:b.value.pos + 1] == b","
    assert (s.value.pos, b.value.pos) == (13, 19)
    assert str(s.value).endswith("(char 13)") and str(b.value).endswith("(byte 19)")


def test_empty_document():
    for doc in (b"", bytearray(), memoryview(b""), ""):
        with pytest.raises(jcodec.JSONDecodeError) as info:
            jcodec.loads(doc)
        e = info.value
        assert (e.msg, e.pos, e.lineno, e.colno) == ("empty document", 0, 1, 1)


def test_whitespace_only_document():
    for doc in (b" \n\t\r", " \n\t\r"):
        with pytest.raises(jcodec.JSONDecodeError) as info:
            jcodec.loads(doc)
        e = info.value
        assert (e.msg, e.pos, e.lineno, e.colno) == ("expected a value, found end of data", 4, 2, 3)


def test_bom():
    for doc, unit in ((b"\xef\xbb\xbf[1]", "byte"), ("\ufeff[1]", "char")):
        with pytest.raises(jcodec.JSONDecodeError) as info:
            jcodec.loads(doc)
        _check(info.value, "byte order mark is not allowed at the start of JSON", doc, 0, unit)


def test_str_with_lone_surrogate_code_point():
    doc = '["é😀", "x\ud800y"]'
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc)
    _check(info.value, "str is not valid UTF-8: lone surrogate U+D800", doc, 9, "char")
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads("\udfff")
    _check(info.value, "str is not valid UTF-8: lone surrogate U+DFFF", "\udfff", 0, "char")


# =============================================================================
# Error positions at every offset: the SIMD scanners (16/32-byte blocks) must
# report the exact byte whatever its alignment.


@pytest.mark.parametrize("bad,msg_start", [
    (b"\x00", "unescaped control character 0x00"),
    (b"\x1f", "unescaped control character 0x1F"),
    (b"\x80", "invalid UTF-8 byte 0x80"),
    (b"\xc3(", "invalid UTF-8 byte 0xC3"),
    (b"\\q", "invalid escape: backslash followed by 'q'"),
    (b"\\ud800", "lone surrogate \\ud800"),
])
def test_string_error_at_every_offset(bad, msg_start):
    for n in range(0, 100):
        for lead in (b"", "é".encode()):
            body = b"a" * n + lead
            doc = b'["' + body + bad + b'"]'
            with pytest.raises(jcodec.JSONDecodeError) as info:
                jcodec.loads(doc)
            assert info.value.msg.startswith(msg_start), (n, info.value.msg)
            assert info.value.pos == 2 + len(body), n
            text_ok = bad not in (b"\x80", b"\xc3(")
            if text_ok:
                with pytest.raises(jcodec.JSONDecodeError) as info:
                    jcodec.loads(doc.decode())
                assert info.value.pos == 2 + len(body.decode()), n


def test_unterminated_string_at_every_length():
    for n in range(0, 100):
        for doc, start in ((b'[1, "' + b"b" * n, 4), (b'{"' + b"k" * n, 1), (b'["' + b"c" * n + b'\\"', 1),
                           ('["é' .encode() + b"d" * n, 1)):
            with pytest.raises(jcodec.JSONDecodeError) as info:
                jcodec.loads(doc)
            assert info.value.msg == "unterminated string"
            assert info.value.pos == start, (n, doc)


# =============================================================================
# Exception object


def _errors():
    """(error, original doc) for a bytes, a bytearray, a str, and an input-type error."""
    out = []
    for doc in (b'{"a":\n [1, 2,]}', bytearray(b"[1 x"), '["é😀",\n nul]'):
        try:
            jcodec.loads(doc)
        except jcodec.JSONDecodeError as e:
            out.append(e)
    try:
        jcodec.loads(12)
    except jcodec.JSONDecodeError as e:
        out.append(e)
    return out


def test_pickle_round_trip():
    errors = _errors()
    assert len(errors) == 4
    assert [type(e.doc) for e in errors] == [bytes, bytes, str, str]
    for e in errors:
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            e2 = pickle.loads(pickle.dumps(e, protocol))
            assert type(e2) is jcodec.JSONDecodeError
            assert (e2.msg, e2.doc, e2.pos, e2.lineno, e2.colno) == (e.msg, e.doc, e.pos, e.lineno, e.colno)
            assert str(e2) == str(e)
            assert type(e2.doc) is type(e.doc)


def test_hierarchy_and_catching():
    assert issubclass(jcodec.JSONDecodeError, json.JSONDecodeError)
    assert issubclass(jcodec.JSONDecodeError, ValueError)
    for exc_type in (json.JSONDecodeError, ValueError, jcodec.JSONDecodeError):
        with pytest.raises(exc_type):
            jcodec.loads(b"[")
    # json's own constructor still works for user code
    e = jcodec.JSONDecodeError("boom", "ab\ncd", 4)
    assert (e.msg, e.doc, e.pos, e.lineno, e.colno) == ("boom", "ab\ncd", 4, 2, 2)
    assert str(e) == "boom: line 2 column 2 (char 4)"
    e = jcodec.JSONDecodeError("boom", b"ab\ncd", 4)
    assert (e.lineno, e.colno) == (2, 2) and str(e) == "boom: line 2 column 2 (byte 4)"


def test_doc_identity_and_copies():
    doc = b"[1,]"
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc)
    assert info.value.doc is doc
    text = "[1,]"
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(text)
    assert info.value.doc is text
    buf = bytearray(b"[1,]")
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(buf)
    assert type(info.value.doc) is bytes and info.value.doc == b"[1,]"
    buf[0:1] = b"{"  # the error keeps its own copy
    assert info.value.doc == b"[1,]"
    view = memoryview(b"xx[1,]yy")[2:6]
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(view)
    assert type(info.value.doc) is bytes and info.value.doc == b"[1,]" and info.value.pos == 2

    class B(bytes):
        pass

    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(B(b"[1,]"))
    assert info.value.doc == b"[1,]" and info.value.pos == 2


# =============================================================================
# Input types

NOT_DOCUMENTS = [None, 1, 1.5, True, [], {}, (), object(), array.array("b", b"[1]"), b"[1]".decode,
                 bytes, type("X", (), {})()]


@pytest.mark.parametrize("obj", NOT_DOCUMENTS, ids=[type(o).__name__ for o in NOT_DOCUMENTS])
def test_input_type_error(obj):
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(obj)
    e = info.value
    assert e.msg == "Input must be bytes, bytearray, memoryview, or str"
    assert (e.doc, e.pos, e.lineno, e.colno) == ("", 0, 1, 1)


def test_bytes_like_inputs_parse():
    doc = '{"a": [1, 2.5, "é😀"]}'
    want = {"a": [1, 2.5, "é😀"]}
    raw = doc.encode()
    assert jcodec.loads(raw) == want
    assert jcodec.loads(bytearray(raw)) == want
    assert jcodec.loads(memoryview(raw)) == want
    assert jcodec.loads(memoryview(bytearray(raw))) == want
    assert jcodec.loads(memoryview(b"#" + raw + b"#")[1:-1]) == want
    assert jcodec.loads(memoryview(raw).cast("B", (1, len(raw)))) == want  # C-contiguous 2-D
    assert jcodec.loads(doc) == want


def test_str_with_cached_utf8():
    """A str whose UTF-8 form CPython has cached is parsed from that cache:
    positions must still be code points."""
    import ctypes

    as_utf8 = ctypes.pythonapi.PyUnicode_AsUTF8
    as_utf8.restype = ctypes.c_char_p
    as_utf8.argtypes = [ctypes.py_object]
    doc = "".join(['["é😀", ', "1,]"])  # built at run time: not shared with other tests
    assert as_utf8(doc) == doc.encode()
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc)
    _check(info.value, "trailing comma before ']'", doc, 8, "char")
    ok = "".join(['["é😀", ', "1]"])
    as_utf8(ok)
    assert jcodec.loads(ok) == ["é😀", 1]


def test_gc_state_preserved():
    import gc

    assert gc.isenabled()
    jcodec.loads(b"[1]")
    with pytest.raises(jcodec.JSONDecodeError):
        jcodec.loads(b"[1,")
    assert gc.isenabled()
    gc.disable()
    try:
        jcodec.loads(b"[[]]")
        with pytest.raises(jcodec.JSONDecodeError):
            jcodec.loads(b"[[],")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_non_contiguous_memoryview():
    for view in (memoryview(b"[1, 2]")[::2], memoryview(b"[[1,2],[3,4]]")[::-1]):
        with pytest.raises(jcodec.JSONDecodeError) as info:
            jcodec.loads(view)
        e = info.value
        assert "contiguous" in e.msg
        assert e.pos == 0


def test_released_memoryview():
    """A released memoryview must be refused (ValueError, as every buffer
    consumer does), never parsed from the memory it no longer owns."""
    view = memoryview(bytes(b"[12345]"))
    view.release()
    with pytest.raises(ValueError):
        jcodec.loads(view)


# =============================================================================
# Nesting depth


def test_depth_1024_arrays_parse():
    value = jcodec.loads(b"[" * 1024 + b"]" * 1024)
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    assert depth == 1024


def test_depth_1024_objects_parse():
    value = jcodec.loads(b'{"a":' * 1024 + b"1" + b"}" * 1024)
    depth = 0
    while isinstance(value, dict):
        depth += 1
        value = value["a"]
    assert (depth, value) == (1024, 1)


def test_depth_1024_mixed_parse():
    doc = b'[{"a":' * 512 + b"null" + b"}]" * 512
    assert jcodec.loads(doc) is not None


@pytest.mark.parametrize("opener", [b"[", b'{"a":', b'[{"a":'])
def test_depth_1025_fails_at_the_1025th_opener(opener):
    levels = len(opener.replace(b'"a":', b""))
    n = 1025 // levels + 1
    doc = opener * n
    # byte offset of the 1025th '[' or '{'
    count = 0
    for pos, c in enumerate(doc):
        if c in b"[{":
            count += 1
            if count == 1025:
                break
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc + b"1" + b"]}" * n)
    assert info.value.msg == "nesting depth exceeds 1024"
    assert info.value.pos == pos


def test_depth_limit_independent_of_recursion_limit():
    old = sys.getrecursionlimit()
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    sys.setrecursionlimit(depth + 40)  # far below 1024 levels
    try:
        assert jcodec.loads(b"[" * 1024 + b"]" * 1024) is not None
        with pytest.raises(jcodec.JSONDecodeError):
            jcodec.loads(b"[" * 1025 + b"]" * 1025)
    finally:
        sys.setrecursionlimit(old)


@pytest.mark.parametrize("opener", [b"[", b'{"a":', b" [ "])
def test_million_openers_fail_fast(opener):
    doc = opener * 1_000_000
    start = time.perf_counter()
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc)
    elapsed = time.perf_counter() - start
    assert info.value.msg == "nesting depth exceeds 1024"
    assert info.value.pos == 1024 * len(opener) + opener.index(opener.strip()[:1])
    assert elapsed < 1.0, elapsed
    # the str path too
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc.decode())
    assert info.value.msg == "nesting depth exceeds 1024"
