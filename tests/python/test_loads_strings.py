"""Strings past the fast path (core/decode/str.c): escapes and non-ASCII text
are decoded into the narrowest units seen so far and widened in place when a
wider code point comes (one byte, then two, then four per character). Every
widening, at every offset of the plain run before it and with the run's
blocks cut at every length, must give json.loads's str, of the same kind:
str equality compares kinds first, so a str of a wider kind than its text
needs compares unequal, and the size tells a Latin-1 str holding only ASCII
from the compact ASCII str it must be."""
import json
import sys

import pytest

import jcodec

# One segment per way of reaching each width: raw UTF-8 and escapes.
SEGMENTS = {
    "ascii_escape": "\\n",
    "quote_escape": '\\"',
    "latin1": "é",
    "latin1_escape": "\\u00e9",
    "bmp": "中",
    "bmp_escape": "\\u4e2d",
    "astral": "😀",
    "astral_escape": "\\ud83d\\ude00",
}
ORDERS = [(a, b) for a in SEGMENTS for b in SEGMENTS]


@pytest.mark.parametrize("first,second", ORDERS, ids=[f"{a}-{b}" for a, b in ORDERS])
def test_widening_at_every_offset(first, second):
    for n in range(0, 40):
        for tail in (0, 1, 17):
            body = "a" * n + SEGMENTS[first] + "b" * (n % 19) + SEGMENTS[second] + "c" * tail
            doc = '["' + body + '", {"' + body + '": 1}]'
            want = json.loads(doc)
            for data in (doc.encode(), doc):
                got = jcodec.loads(data)
                assert got == want, (n, tail, body)
                assert sys.getsizeof(got[0]) == sys.getsizeof(want[0]), (n, tail, body)
                key = got[1].popitem()[0]
                assert key == got[0] and sys.getsizeof(key) == sys.getsizeof(want[0])


def test_long_bodies_of_every_kind():
    """Bodies longer than the scratch path's limit are measured, then written
    straight into their str."""
    for segment in SEGMENTS.values():
        body = ("x" * 300 + segment) * 40
        doc = '"' + body + '"'
        got, want = jcodec.loads(doc.encode()), json.loads(doc)
        assert got == want and sys.getsizeof(got) == sys.getsizeof(want)


def str_header(text):
    """A str's header after its reference count and type, padding left out:
    length, the state's named bits (its first byte: CPython leaves the other
    24 unset) and, before 3.12, the wstr pointer (the hash is compared through
    hash())."""
    import ctypes

    raw = ctypes.string_at(id(text) + 16, 32)
    fields = raw[0:8] + raw[16:17]
    return fields + raw[24:32] if sys.version_info < (3, 12) else fields


@pytest.mark.skipif(sys.maxsize < 2**32, reason="header offsets of a 64-bit build")
def test_ascii_strs_have_cpythons_header():
    """Plain ASCII values and keys are made by jcodec's own constructor
    (compat.h, jc_ascii_str_new): each must be the compact ASCII str CPython
    makes, field for field, and behave as one."""
    for n in range(0, 80):
        text = "".join(chr(32 + (i * 7 + n) % 95) for i in range(n)).replace('"', "q").replace("\\", "s")
        doc = '["' + text + '", {"' + text + '": 1}]'
        value, mapping = jcodec.loads(doc)
        (key,) = mapping
        copy = "".join(list(text)) + ""
        for got in (value, key):
            assert got == copy and got.isascii()
            assert sys.getsizeof(got) == sys.getsizeof(copy)
            assert got.encode() == copy.encode() and hash(got) == hash(copy)
            if n > 1:  # the empty and one-character strs are CPython's singletons
                assert str_header(got) == str_header(copy), n
        assert sys.intern(value) is sys.intern(copy)
