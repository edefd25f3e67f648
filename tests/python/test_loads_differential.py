"""Differential tests against json.loads: identical values and types (floats bit
for bit, dict key order), on the shared corpus and on hypothesis-generated
documents; on arbitrary bytes, jcodec either agrees with json or raises
JSONDecodeError with 0 <= pos <= len(doc), json accepting only where
differences.py says so."""
import json
import random

import pytest

import jcodec
from support import first_difference, shared_corpus_params, scaled_examples
from differences import DIFFERENCES, json_differences

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


# =============================================================================
# The listed differences: each example behaves as differences.py says


@pytest.mark.parametrize("name", list(DIFFERENCES))
def test_listed_difference(name):
    d = DIFFERENCES[name]
    assert json_differences(d.example) == [name]
    if name == "depth":
        # json's limit is the interpreter's: a RecursionError at 100,000 levels
        with pytest.raises(RecursionError):
            json.loads(d.example)
    else:
        json.loads(d.example)  # json accepts
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(d.example)
    assert d.jcodec_msg in info.value.msg
    assert info.value.pos == d.jcodec_pos


def test_no_difference_for_plain_documents():
    for doc in (b"[1, 2.5, \"x\", {\"a\": null}]", "[\"\\ud83d\\ude00\"]", b"1e308", b"[-0.0]", b"",
                b"[1,]", b"\"\xff\"", b"[" * 10):
        assert json_differences(doc) == [], doc


# =============================================================================
# The shared corpus


@pytest.mark.parametrize("path", shared_corpus_params())
def test_corpus_document(path):
    raw = path.read_bytes()
    assert not json_differences(raw)
    want = json.loads(raw)
    for kind, doc in (("bytes", raw), ("str", raw.decode("utf-8")), ("bytearray", bytearray(raw)),
                      ("memoryview", memoryview(raw))):
        diff = first_difference(jcodec.loads(doc), want)
        assert diff is None, f"{path.name} as {kind}: {diff}"


@pytest.mark.parametrize("path", shared_corpus_params())
def test_corpus_document_reserialized(path):
    """The corpus value re-serialized in other styles (ASCII escapes, indented)."""
    value = json.loads(path.read_bytes())
    for text in (json.dumps(value, ensure_ascii=True), json.dumps(value, ensure_ascii=False, indent=1),
                 json.dumps(value, separators=(",", ":"), ensure_ascii=False)):
        diff = first_difference(jcodec.loads(text.encode()), value)
        assert diff is None, diff


# =============================================================================
# Hypothesis: values serialized by json.dumps

# surrogates (Cs) cannot be encoded as UTF-8 and, escaped, are a listed difference
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)
ASTRAL_TEXT = st.text(st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF,
                                    blacklist_categories=("Cs",)), min_size=1, max_size=6)
BIG_INTS = st.integers(min_value=20, max_value=1200).flatmap(
    lambda n: st.integers(min_value=-(10**n), max_value=10**n))
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
SUBNORMALS = st.floats(min_value=-2.2250738585072014e-308, max_value=2.2250738585072014e-308,
                       allow_nan=False, allow_subnormal=True)
SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(), st.integers(min_value=-(2**65), max_value=2**65), BIG_INTS,
    FLOATS, SUBNORMALS, st.sampled_from([0.0, -0.0, 5e-324, 1.7976931348623157e308, 2.0**53 + 2]),
    TEXT, ASTRAL_TEXT,
    st.text(st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\x7f\u2028é€😀'), max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=6) | st.dictionaries(TEXT | ASTRAL_TEXT, children, max_size=6),
    max_leaves=24,
)
DUMPS_OPTIONS = st.fixed_dictionaries({
    "ensure_ascii": st.booleans(),
    "indent": st.sampled_from([None, 0, 1, 2, "\t", " \r\n"]),
    "separators": st.sampled_from([None, (",", ":"), (", ", ": "), (" ,\t", " :\n"), (",\r\n", ":   ")]),
    "sort_keys": st.booleans(),
})


@settings(max_examples=scaled_examples(1000), deadline=None, derandomize=True, database=None)
@given(value=VALUES, options=DUMPS_OPTIONS)
def test_generated_documents(value, options):
    text = json.dumps(value, **options)
    raw = text.encode("utf-8")
    want = json.loads(text)
    for doc in (text, raw, bytearray(raw)):
        diff = first_difference(jcodec.loads(doc), want)
        assert diff is None, f"{type(doc).__name__} {text[:200]!r}: {diff}"


# =============================================================================
# Hypothesis: documents written token by token (every escape form, upper/lower
# hex, surrogate pairs, duplicate keys, every whitespace byte, number forms
# json.dumps never writes). Hypothesis draws a seed and the document is built
# from it in plain Python: a tenth of the cost of composing strategies per token.

WS = ["", " ", "\t", "\n", "\r", "\r\n", "  \n\t "]
SHORT_ESCAPES = ['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]
SPECIAL_CHARS = ["é", "€", "😀", "\U0010ffff", "\u0080", "\u07ff", "\u0800", "\uffff", "\x7f", "\u2028", "~", " "]
KEYS = ['"a"', '"\\u0061"', '"b"', '""', '"\\u00e9"', '"é"']  # duplicates, also via escapes


def _u_escape(cp, upper):
    if cp >= 0x10000:
        cp -= 0x10000
        units = (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF))
    else:
        units = (cp,)
    return "".join(("\\u%04X" if upper else "\\u%04x") % u for u in units)


def _random_code_point(rng):
    while True:
        cp = rng.choice([rng.randint(0x20, 0x7E), rng.randint(0x80, 0x7FF), rng.randint(0x800, 0xFFFF),
                         rng.randint(0x10000, 0x10FFFF), rng.randint(0, 0x1F)])
        if not 0xD800 <= cp <= 0xDFFF:
            return cp


def _random_string(rng):
    out = ['"']
    for _ in range(rng.choice([0, 1, 3, 8, 20, 40])):
        kind = rng.randrange(6)
        cp = _random_code_point(rng)
        if kind == 0:
            out.append(rng.choice(SHORT_ESCAPES))
        elif kind == 1 or cp < 0x20:
            out.append(_u_escape(cp, rng.random() < 0.5))
        elif kind == 2:
            out.append(rng.choice(SPECIAL_CHARS))
        elif chr(cp) not in '"\\':
            out.append(chr(cp))
    out.append('"')
    return "".join(out)


def _random_number(rng):
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    text = rng.choice(["", "-"])
    text += "0" if rng.random() < 0.2 else str(rng.randint(1, 9)) + digits(rng.choice([0, 1, 5, 18, 19, 25]))
    if rng.random() < 0.5:
        text += "." + digits(rng.choice([1, 3, 17, 30]))
    if rng.random() < 0.4:
        text += rng.choice("eE") + rng.choice(["", "+", "-"]) + digits(rng.randint(1, 3))
    return text


def _random_value(rng, depth=0):
    kind = rng.randrange(8 if depth < 6 else 5)
    if kind == 0:
        return rng.choice(["true", "false", "null"])
    if kind in (1, 2):
        return _random_number(rng)
    if kind in (3, 4):
        return _random_string(rng)
    ws = lambda: rng.choice(WS)  # noqa: E731
    n = rng.choice([0, 1, 2, 4])
    if kind in (5, 6):
        return "[" + ws() + ",".join(ws() + _random_value(rng, depth + 1) + ws() for _ in range(n)) + "]"
    members = []
    for _ in range(n):
        key = rng.choice(KEYS) if rng.random() < 0.3 else _random_string(rng)
        members.append(ws() + key + ws() + ":" + ws() + _random_value(rng, depth + 1) + ws())
    return "{" + ws() + ",".join(members) + "}"


def random_document(seed):
    rng = random.Random(seed)
    return rng.choice(WS) + _random_value(rng) + rng.choice(WS)


@settings(max_examples=scaled_examples(2000), deadline=None, derandomize=True, database=None)
@given(seed=st.integers(min_value=0, max_value=2**64))
def test_generated_token_documents(seed):
    text = random_document(seed)
    raw = text.encode("utf-8")
    if json_differences(raw):  # number tokens beyond the double range
        assert json_differences(raw) == ["float_overflow"]
        with pytest.raises(jcodec.JSONDecodeError, match="number out of range"):
            jcodec.loads(raw)
        return
    want = json.loads(raw)
    for doc in (text, raw, memoryview(raw)):
        diff = first_difference(jcodec.loads(doc), want)
        assert diff is None, f"{type(doc).__name__} {text[:200]!r}: {diff}"


# =============================================================================
# Hypothesis: arbitrary and mutated bytes

TOKENS = [b"[", b"]", b"{", b"}", b",", b":", b'"', b"\\", b"\\u", b"d800", b"dc00", b"00e9", b"0", b"1",
          b"-", b"+", b"e", b"E", b".", b"true", b"false", b"null", b"NaN", b"Infinity", b" ", b"\n", b"\t",
          b"\r", b"\x0c", b"\x00", b"\x1f", b"\x7f", b"\xc3\xa9", b"\xc3", b"\xa9", b"\xed\xa0\x80",
          b"\xf0\x9f\x98\x80", b"\xf4\x90\x80\x80", b"\xff", b"\xef\xbb\xbf", b"a", b"'", b"/", b"*",
          b"9" * 25, b"1e400", b"0.5"]


def _fuzz_bytes(seed):
    """Token soup, or a generated document with one byte-level mutation."""
    rng = random.Random(seed)
    if rng.random() < 0.4:
        return b"".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 30)))
    doc = random_document(rng.getrandbits(64)).encode()
    i = rng.randint(0, len(doc))
    mode = rng.randrange(4)
    insert = rng.choice(TOKENS) if rng.random() < 0.5 else bytes([rng.randrange(256)])
    if mode == 0:
        return doc[:i] + insert + doc[i:]
    if mode == 1:
        return doc[:i] + insert + doc[i + len(insert):]
    if mode == 2:
        return doc[:i] + doc[i + 1:]
    return doc[:i]


ARBITRARY = st.one_of(st.binary(max_size=40), st.integers(min_value=0, max_value=2**64).map(_fuzz_bytes))


def _json_outcome(doc):
    try:
        return True, json.loads(doc)
    except (ValueError, RecursionError):
        return False, None


@settings(max_examples=scaled_examples(2500), deadline=None, derandomize=True, database=None)
@given(doc=ARBITRARY)
def test_arbitrary_bytes(doc):
    json_ok, want = _json_outcome(doc)
    differences = json_differences(doc)
    try:
        got = jcodec.loads(doc)
    except jcodec.JSONDecodeError as e:
        assert 0 <= e.pos <= len(doc), (e.pos, len(doc))
        assert e.doc == doc
        assert not json_ok or differences, f"json accepts {doc!r} and differences.py lists no reason"
        error = e
    else:
        error = None
        assert json_ok, f"jcodec accepts what json rejects: {doc!r}"
        assert not differences, differences
        diff = first_difference(got, want)
        assert diff is None, f"{doc!r}: {diff}"

    # the other input types behave the same
    for other in (bytearray(doc), memoryview(doc)):
        try:
            got2 = jcodec.loads(other)
        except jcodec.JSONDecodeError as e:
            assert error is not None and (e.msg, e.pos, e.doc) == (error.msg, error.pos, doc)
        else:
            assert error is None and first_difference(got2, got) is None
    # str input (when the bytes are UTF-8): same outcome, position in code points
    try:
        text = doc.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        got3 = jcodec.loads(text)
    except jcodec.JSONDecodeError as e:
        assert error is not None, f"str rejected, bytes accepted: {doc!r}"
        assert e.msg == error.msg
        assert e.pos == len(doc[:error.pos].decode("utf-8")), (e.pos, error.pos, doc)
    else:
        assert error is None, f"str accepted, bytes rejected: {doc!r}"
        assert first_difference(got3, got) is None
