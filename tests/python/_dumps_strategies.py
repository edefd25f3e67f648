"""Hypothesis strategies for the jcodec.dumps tests, and the reference output
they are compared with: support.reference_dumps (json.dumps, compact, UTF-8),
after the documented differences are mapped onto json's terms (NaN and
infinities are written as null).

Not a test module (pytest collects only test_*.py). Hypothesis draws structure
where shrinking helps (short values, keys, options); bulk content (wide
containers, long strings, huge ints) is built from a drawn seed in plain Python,
which costs a fraction of drawing every element.
"""
import json
import math
import random
import struct

from hypothesis import strategies as st

import jcodec
from support import DictSub, IntSub, ListSub, StrSub, all_objects, reference_dumps_with

# ---------------------------------------------------------------------------
# Scalars

# Characters an encoder treats specially: the escapes, DEL (not escaped), the
# first and last code point of each UTF-8 length, U+2028 (escaped by some
# encoders, not by json with ensure_ascii=False), non-characters.
SPECIAL_CHARS = ('"\\/\b\f\n\r\t\x00\x01\x0b\x1f\x20\x7e\x7f\x80\xff\u0100\u07ff\u0800'
                 "\u2028\u2029\ud7ff\ue000\ufeff\ufffe\uffff\U00010000\U0001F600\U0010FFFF")

# Every code point except the surrogates, control characters included.
CHARACTERS = st.one_of(
    st.characters(blacklist_categories=("Cs",)),
    st.characters(max_codepoint=0x1F),
    st.sampled_from(SPECIAL_CHARS),
)
TEXT = st.text(CHARACTERS, max_size=40)
# Runs of one str kind (UCS1 ASCII, UCS1 Latin-1, UCS2, UCS4) with specials,
# long enough to cross the 16-byte and 8-unit SIMD blocks.
KIND_TEXT = st.sampled_from([(0x20, 0x7E), (0x80, 0xFF), (0x100, 0xFFFF), (0x10000, 0x10FFFF)]).flatmap(
    lambda r: st.text(st.one_of(st.characters(min_codepoint=r[0], max_codepoint=r[1],
                                              blacklist_categories=("Cs",)),
                                st.sampled_from(SPECIAL_CHARS)), max_size=70))
# With lone surrogates allowed: dumps must refuse exactly the strs holding one.
TEXT_WITH_SURROGATES = st.text(st.one_of(CHARACTERS, st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)),
                               max_size=40)


def float_from_bits(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


FLOAT_BITS = st.integers(min_value=0, max_value=2**64 - 1).map(float_from_bits)
FLOATS = st.one_of(
    FLOAT_BITS,
    st.floats(),  # hypothesis's own edge cases: subnormals, powers of two, nan, inf
    st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                     1e16, 1e-7, 1e22, 1e23, 0.1, 2.0**53, 2.0**63, 2.0**64, float("nan"), float("inf"),
                     float("-inf")]),
)


def big_int(bits, seed, negative):
    """An int of `bits` random bits: 14000 bits is 4215 digits, below CPython's
    default int_max_str_digits (4300)."""
    value = random.Random(seed).getrandbits(bits)
    return -value if negative else value


BIG_INTS = st.builds(big_int, st.integers(min_value=1, max_value=14000),
                     st.integers(min_value=0, max_value=2**32), st.booleans())
INTS = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([0, -1, 2**31, 2**53 - 1, 2**53, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64 - 1,
                     2**64, 10**19, 10**20 - 1, -(10**19)]),
    BIG_INTS,
)

SCALARS = st.one_of(st.none(), st.booleans(), INTS, FLOATS, TEXT, KIND_TEXT)
SUBCLASS_SCALARS = st.one_of(TEXT.map(StrSub), INTS.map(IntSub))


def _containers(children, keys):
    return st.one_of(
        st.lists(children, max_size=8),
        st.lists(children, max_size=8).map(tuple),
        st.dictionaries(keys, children, max_size=8),
    )


def _subclass_containers(children, keys):
    return st.one_of(
        _containers(children, keys),
        st.lists(children, max_size=8).map(ListSub),
        st.dictionaries(keys, children, max_size=8).map(DictSub),
    )


# Values with str keys, and with subclasses of str/int/dict/list mixed in.
VALUES = st.recursive(SCALARS, lambda c: _containers(c, TEXT), max_leaves=30)
SUBCLASS_VALUES = st.recursive(st.one_of(SCALARS, SUBCLASS_SCALARS),
                               lambda c: _subclass_containers(c, st.one_of(TEXT)), max_leaves=30)

# OPT_NON_STR_KEYS keys: str, str subclasses, int (any size), float (any bits),
# bool and None. Equal keys (1, 1.0, True) collapse in the dict, as in Python.
NON_STR_KEYS = st.one_of(TEXT, TEXT.map(StrSub), INTS, INTS.map(IntSub), FLOATS, st.booleans(), st.none(),
                         st.sampled_from(["1", "true", "null", "1.5", "NaN", "-0.0"]))
NON_STR_KEY_VALUES = st.recursive(SCALARS, lambda c: _subclass_containers(c, NON_STR_KEYS), max_leaves=30)


# ---------------------------------------------------------------------------
# Seeded bulk documents: deep and wide nesting


_PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))


def seeded_text(rng):
    """Mostly short strs (lengths around the 8- and 16-unit SIMD blocks), a few
    long ones; printable ASCII mixed with specials and random code points of
    one str kind."""
    n = rng.choice([0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, rng.randrange(100), rng.randrange(300)])
    if rng.random() < 0.02:
        n = rng.randrange(5000)
    top = rng.choice([0x7F, 0xFF, 0xFFFF, 0x10FFFF])
    extra = "".join(chr(c) for c in (rng.randrange(top + 1) for _ in range(16)) if not 0xD800 <= c <= 0xDFFF)
    pool = _PRINTABLE + rng.choice(["", SPECIAL_CHARS]) + extra * rng.choice([1, 4])
    return "".join(rng.choices(pool, k=n))


def seeded_scalar(rng):
    kind = rng.randrange(9)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.randrange(-(2**70), 2**70) >> rng.randrange(70)
    if kind == 2:
        bits = rng.randrange(1, 14000) if rng.random() < 0.05 else rng.randrange(1, 400)
        return big_int(bits, rng.randrange(2**32), rng.random() < 0.5)
    if kind == 3:
        return float_from_bits(rng.getrandbits(64))
    if kind == 4:
        return rng.uniform(-1e6, 1e6)
    return seeded_text(rng)


def seeded_document(seed):
    """A deep and wide value from a seed: a spine of up to 254 containers (the
    innermost holding a scalar) with lists, tuples, dicts and subclasses of
    them hanging off it, up to 1500 values in all, a list of up to 1000."""
    rng = random.Random(seed)
    budget = [rng.choice([20, 200, 1500])]

    def value(depth):
        budget[0] -= 1
        if depth >= 254 or budget[0] <= 0 or rng.random() < 0.5:
            return seeded_scalar(rng)
        kind = rng.randrange(6)
        width = rng.choice([0, 1, 2, 5, rng.randrange(50), rng.randrange(1000)])
        children = []
        while len(children) < width and budget[0] > 0:
            children.append(value(depth + 1))
        if kind == 0:
            return children
        if kind == 1:
            return tuple(children)
        if kind == 2:
            return ListSub(children)
        members = {seeded_text(rng)[:rng.choice([3, 20, 80])]: child for child in children}
        return DictSub(members) if kind == 5 else members

    depth = rng.choice([1, 2, 10, 100, 200, 253, 254])
    root = inner = []
    for level in range(1, depth):
        child = {} if rng.random() < 0.5 else []
        if isinstance(inner, list):
            if rng.random() < 0.2:
                inner.append(value(level))
            inner.append(child)
        else:
            if rng.random() < 0.2:
                inner[seeded_text(rng)[:10]] = value(level)
            inner["k%d" % level] = child
        inner = child
    leaf = value(depth)
    if isinstance(inner, list):
        inner.append(leaf)
    else:
        inner["leaf"] = leaf
    return root


SEEDED_DOCUMENTS = st.integers(min_value=0, max_value=2**63).map(seeded_document)


# ---------------------------------------------------------------------------
# The reference


def key_text(key):
    """The text of an OPT_NON_STR_KEYS key: json.dumps's own conversion (float
    by repr, True as "true", None as "null", int in decimal), except that
    non-finite floats become "null" as in orjson (json writes NaN/Infinity)."""
    if type(key) is str:
        return key
    if isinstance(key, float) and not math.isfinite(key):
        return "null"
    (text,) = json.loads(json.dumps({key: 0}))
    return text


class _Pairs(dict):
    """A dict that json.dumps writes as exactly these (text, value) members,
    duplicates and order included: json's encoders (C and Python) take the
    members of a dict subclass from items()."""

    def __init__(self, pairs):
        super().__init__(pairs)  # empty exactly when there are no pairs
        self._pairs = pairs

    def items(self):
        return list(self._pairs)


def json_terms(value, *, non_str_keys=False, sort_keys=False):
    """value with NaN/inf as None; with non_str_keys, every dict as its members
    with keys converted to text (sorted stably by text when sort_keys, as dumps
    sorts converted keys). Tuples and subclasses are kept: json writes them
    itself."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        items = [json_terms(v, non_str_keys=non_str_keys, sort_keys=sort_keys) for v in value]
        return tuple(items) if type(value) is tuple else type(value)(items)
    if isinstance(value, dict):
        if not non_str_keys:
            members = {k: json_terms(v, sort_keys=sort_keys) for k, v in value.items()}
            return DictSub(members) if type(value) is DictSub else members
        pairs = [(key_text(k), json_terms(v, non_str_keys=True, sort_keys=sort_keys)) for k, v in value.items()]
        if sort_keys:
            pairs.sort(key=lambda pair: pair[0])  # stable: equal texts keep insertion order
        return _Pairs(pairs)
    return value


def reference(value, option=0):
    """What jcodec.dumps(value, option=option) must return, via json.dumps
    (OPT_INDENT_2, OPT_SORT_KEYS, OPT_APPEND_NEWLINE, OPT_NON_STR_KEYS)."""
    non_str_keys = bool(option & jcodec.OPT_NON_STR_KEYS)
    terms = json_terms(value, non_str_keys=non_str_keys, sort_keys=bool(option & jcodec.OPT_SORT_KEYS))
    # With non_str_keys the members are already in order (json_terms sorted
    # them by their converted text): json must not sort them again.
    return reference_dumps_with(terms, option & ~jcodec.OPT_SORT_KEYS if non_str_keys else option)


def loaded(value):
    """What jcodec.loads(jcodec.dumps(value)) must give: exact types, tuples as
    lists, NaN/inf as None, non-str keys as their text (a repeated text keeps
    the position of its first occurrence and the last value, as loads does)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [loaded(v) for v in value]
    result = {}
    for k, v in value.items():
        result[key_text(k)] = loaded(v)
    return result


def has_nonfinite(value):
    """True when value holds a NaN or infinity anywhere, keys included."""
    return any(isinstance(v, float) and not math.isfinite(v) for v in all_objects(value))
