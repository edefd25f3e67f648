"""jcodec.loads_lines: JSON Lines from bytes-like input or str, against json
line by line; and what iter_lines must agree with (test_lines_iter.py).

The convention for a bad line (README, "JSON Lines"): JSONDecodeError with
msg as loads(line) gives it, doc the line (no '\\n', no CR of a CRLF), pos the
offset in the whole input (bytes; code points for str), lineno the line's
number in the input and colno the column in the line (1-based, bytes or
code points), str(e) ending "line L column C (byte P)".
"""
import json
import pickle

import pytest

import jcodec
import _memory_helpers as mh
from _stream_helpers import lines_of, records, reference_lines
from support import assert_same

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, strategies as st  # noqa: E402

pytestmark = pytest.mark.usefixtures("default_cache")

INPUT_KINDS = {
    "bytes": lambda b: b,
    "bytearray": bytearray,
    "memoryview": memoryview,
    "str": lambda b: b.decode(),
}


@pytest.mark.parametrize("kind", INPUT_KINDS)
def test_records_equal_json_line_by_line(kind):
    data = lines_of(records(3000))
    got = jcodec.loads_lines(INPUT_KINDS[kind](data))
    assert_same(got, reference_lines(data))
    assert got == [jcodec.loads(line) for line in data.splitlines()]


def test_every_generated_document_as_a_line():
    """Each shape of the generated corpus (nesting, long strings, numbers,
    unique keys) minified onto a line, several times over."""
    docs = [json.loads(d) for d in mh.generated_documents(16 * 1024).values()]
    data = lines_of(docs * 3)
    assert_same(jcodec.loads_lines(data), docs * 3)


@pytest.mark.parametrize("data, expected", [
    (b"", []),
    (b"\n", []),
    (b"\n\n\r\n \t \n", []),
    (b"1", [1]),
    (b"1\n", [1]),
    (b"1\n2", [1, 2]),
    (b"1\r\n2\r\n", [1, 2]),
    (b"  {\"a\": 1}  \r\n\r\n\n[ 2 ]\t\n", [{"a": 1}, [2]]),
    (b"\n\n\"x\"\n\n", ["x"]),
    (b"null\ntrue\nfalse\n-0\n1e5\n\"\"\n[]\n{}", [None, True, False, 0, 1e5, "", [], {}]),
])
def test_blank_lines_crlf_and_final_newline(data, expected):
    for kind in INPUT_KINDS.values():
        assert_same(jcodec.loads_lines(kind(data)), expected)


def _error(fn, *args):
    with pytest.raises(jcodec.JSONDecodeError) as info:
        fn(*args)
    return info.value


def expected_error(data, is_str=False):
    """The error loads_lines must raise for data, derived from loads of the
    first bad line alone: (msg, doc, pos, lineno, colno)."""
    text = data.decode() if is_str else data
    newline = "\n" if is_str else b"\n"
    offset = 0
    for lineno, line in enumerate(text.split(newline), 1):
        if line.strip(" \t\r\n" if is_str else b" \t\r\n"):
            try:
                jcodec.loads(line)
            except jcodec.JSONDecodeError as e:
                doc = line[:-1] if line.endswith("\r" if is_str else b"\r") else line
                return (e.msg, doc, offset + e.pos, lineno, e.pos + 1)
        offset += len(line) + 1
    return None


def error_fields(e):
    return (e.msg, e.doc, e.pos, e.lineno, e.colno)


@pytest.mark.parametrize("data", [
    b"[1,]",
    b"1\n2\n[1,]\n4",
    b"1\n\n\n{\"a\" 1}\r\n",
    b"{\"a\":1}\n{\"a\":2} 3\n",
    b"[1,\n2]\n",              # a value may not span lines
    b"1\n\xef\xbb\xbf2\n",     # a byte order mark is refused, on any line
    b"1\n[\"\\ud800\"]\n",
    b"1\n\"\xc3\"\n",
    b"1\n[1, 2\x00]\n",        # a NUL inside a line is a bad byte, not the end of it
    b"1\nNaN\n",
    b"1\n 2 \r 3\n",           # a lone CR is whitespace, not a line break
    b"1\n" * 1000 + b"tru\n",
])
@pytest.mark.parametrize("kind", INPUT_KINDS)
def test_error_names_line_and_stream_offset(data, kind):
    if kind == "str":
        try:
            data.decode()
        except UnicodeDecodeError:
            pytest.skip("not UTF-8")
    e = _error(jcodec.loads_lines, INPUT_KINDS[kind](data))
    expected = expected_error(data, kind == "str")
    assert error_fields(e) == expected
    unit = "char" if kind == "str" else "byte"
    assert str(e) == f"{e.msg}: line {e.lineno} column {e.colno} ({unit} {e.pos})"
    assert isinstance(e, ValueError) and isinstance(e, json.JSONDecodeError)


def test_str_positions_are_code_points():
    data = '"\u00e9\u20ac\U0001F600"\n["\u00e9", x]\n'
    e = _error(jcodec.loads_lines, data)
    assert (e.lineno, e.colno) == (2, 7)
    assert e.pos == len('"\u00e9\u20ac\U0001F600"\n["\u00e9", ')
    assert e.doc == '["\u00e9", x]'


def test_error_pickles_with_its_stream_position():
    e = _error(jcodec.loads_lines, b"1\n2\n[3,]\n")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        e2 = pickle.loads(pickle.dumps(e, protocol))
        assert type(e2) is jcodec.JSONDecodeError
        assert error_fields(e2) == error_fields(e) == ("trailing comma before ']'", b"[3,]", 6, 3, 3)
        assert str(e2) == str(e)


def test_input_types_refused_as_loads_refuses_them():
    for bad in (1, None, [b"1"], object()):
        e = _error(jcodec.loads_lines, bad)
        assert str(e).startswith("Input must be bytes, bytearray, memoryview, or str")
    e = _error(jcodec.loads_lines, memoryview(b"1\n2\n3\n")[::2])
    assert "C-contiguous" in str(e)
    e = _error(jcodec.loads_lines, "1\n\ud800\n")
    assert "lone surrogate" in e.msg


def test_huge_line_and_many_lines_across_chunks():
    """A line of several chunks (the reader's buffer grows for it and shrinks
    after it), between short lines."""
    big = {"k": "x" * (300 * 1024), "n": list(range(20000))}
    values = [1, big, 2, [big, big], 3] + records(2000)
    assert_same(jcodec.loads_lines(lines_of(values)), values)


@given(st.lists(st.sampled_from([b"1", b"[]", b"{\"a\":[1,2]}", b"\"x\"", b"", b" ", b"\r", b"nul",
                                 b"[1,", b"{}", b"\"\xc3\xa9\""]), max_size=30),
       st.sampled_from([b"\n", b"\r\n"]), st.booleans())
def test_matches_reference_or_first_bad_line(lines, newline, final):
    data = newline.join(lines) + (newline if final and lines else b"")
    expected = expected_error(data)
    if expected is None:
        assert_same(jcodec.loads_lines(data), reference_lines(data))
    else:
        assert error_fields(_error(jcodec.loads_lines, data)) == expected


def test_key_cache_sees_the_stream_as_one_document():
    """Lines of one shape hit the cache as one document's records do; and a
    stream of unique keys pauses it as one document of them does (each line
    alone has far fewer misses than the pause's probe of 1024)."""
    jcodec._cache_clear(keys=True, stats=True)
    jcodec.loads_lines(lines_of(records(3000)))
    info = jcodec._cache_info()
    assert info.hits > 20 * info.misses
    unique = lines_of([{f"k{i}_{j}": j for j in range(8)} for i in range(5000)])
    jcodec._cache_clear(keys=True, stats=True)
    jcodec.loads_lines(unique)
    as_stream = jcodec._cache_info().unstored
    assert as_stream > 30000
    jcodec._cache_clear(keys=True, stats=True)
    for line in unique.splitlines():
        jcodec.loads(line)
    assert jcodec._cache_info().unstored == 0
