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
