"""jcodec.dumps against json.dumps, byte for byte.

dumps(x) must equal support.reference_dumps(x), json.dumps(x,
ensure_ascii=False, separators=(",", ":")) encoded as UTF-8; OPT_INDENT_2
equals indent=2, OPT_SORT_KEYS sort_keys=True, OPT_APPEND_NEWLINE adds
b"\\n" (support.reference_dumps_with). The one deliberate difference: NaN and
infinities are written as null (as orjson), where json writes NaN/Infinity;
_dumps_strategies.reference() maps them so before asking json. On the shared
corpus and on generated values: every code point, ints of any size below
int_max_str_digits, floats from random bit patterns, nesting up to 254 deep,
wide containers, tuples, subclasses, non-str keys (OPT_NON_STR_KEYS); and
loads(dumps(x)) gives x back (in JSON's terms).
"""
import json
import math
import random

import pytest

import jcodec
from support import (StrSub, assert_same, first_difference, reference_dumps, reference_dumps_with,
                     scaled_examples, shared_corpus_params)

pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import _dumps_strategies as S  # noqa: E402

OPTION_SETS = {
    "plain": 0,
    "indent": jcodec.OPT_INDENT_2,
    "sort": jcodec.OPT_SORT_KEYS,
    "indent_sort": jcodec.OPT_INDENT_2 | jcodec.OPT_SORT_KEYS,
    "newline": jcodec.OPT_APPEND_NEWLINE,
    "all": jcodec.OPT_INDENT_2 | jcodec.OPT_SORT_KEYS | jcodec.OPT_APPEND_NEWLINE,
}


# json_bytes(value, option): json.dumps in jcodec's style, the value as it is
# (no NaN mapping: for values without non-finite floats); reference(value,
# option): the same after the documented differences are mapped.
json_bytes = reference_dumps_with
reference = S.reference


def first_byte_difference(got, want):
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return "first difference at byte %d: got %r, want %r" % (i, got[max(0, i - 40):i + 40],
                                                                     want[max(0, i - 40):i + 40])
    return "lengths %d != %d; tails %r vs %r" % (len(got), len(want), got[-60:], want[-60:])


def assert_bytes(got, want):
    assert type(got) is bytes
    if got != want:
        pytest.fail(first_byte_difference(got, want))


# =============================================================================
# The shared corpus


@pytest.mark.parametrize("option_name", list(OPTION_SETS))
@pytest.mark.parametrize("path", shared_corpus_params())
def test_corpus(path, option_name):
    option = OPTION_SETS[option_name]
    value = json.loads(path.read_bytes())
    assert_bytes(jcodec.dumps(value, option=option), json_bytes(value, option))


@pytest.mark.parametrize("path", shared_corpus_params())
def test_corpus_round_trip(path):
    raw = path.read_bytes()
    value = json.loads(raw)
    assert_same(jcodec.loads(jcodec.dumps(value)), value)
    # Our own output parsed by json too (it is what other tools will read).
    assert_same(json.loads(jcodec.dumps(value, option=jcodec.OPT_INDENT_2)), value)


# =============================================================================
# Deterministic sweeps (cheap, exhaustive where it matters)


def test_every_code_point():
    """One str of all 1,112,064 scalar values, and each control character and
    special character alone and between ASCII, as value and as key."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert_bytes(jcodec.dumps(everything), json_bytes(everything))
    assert_bytes(jcodec.dumps({everything: everything[::-1]}), json_bytes({everything: everything[::-1]}))
    singles = [chr(c) for c in range(0x100)] + list(S.SPECIAL_CHARS)
    for c in singles:
        for text in (c, "a" + c, c + "b" * 20, "x" * 15 + c):
            assert_bytes(jcodec.dumps([text, {text: text}]), json_bytes([text, {text: text}]))


@pytest.mark.parametrize("background", ["a", "\u00e9", "\u20ac", "\U0001F600"], ids=["ascii", "latin1", "ucs2", "ucs4"])
def test_special_character_at_every_block_offset(background):
    """Each special character at every offset around the SIMD blocks (16 ASCII
    bytes, 8 UCS2 units) and the 4096-unit chunks of non-ASCII strs."""
    specials = ['"', "\\", "\n", "\x00", "\x1f", "\x7f", "\u00e9", "\u2028", "\uffff", "\U0010FFFF"]
    values = []
    for special in specials:
        for offset in range(0, 40):
            values.append(background * offset + special + background * ((offset * 5) % 19))
        for offset in (4094, 4095, 4096, 4097, 8191, 8192):
            values.append(background * offset + special + background * 3)
    assert_bytes(jcodec.dumps(values), json_bytes(values))


def test_float_bit_patterns():
    """200,000 random 64-bit patterns: finite ones as repr writes them, the
    rest as null; and each as a dict value and an OPT_NON_STR_KEYS key."""
    rng = random.Random(20240601)
    floats = [S.float_from_bits(rng.getrandbits(64)) for _ in range(200_000)]
    # Every exponent, with random and extreme mantissas.
    for exponent in range(2048):
        for mantissa in (0, 1, (1 << 52) - 1, rng.getrandbits(52)):
            for sign in (0, 1):
                floats.append(S.float_from_bits(sign << 63 | exponent << 52 | mantissa))
    floats += [0.0, -0.0, 1e16, 1e-7, 1e-5, 1e-4, 1e15, 9007199254740993.0, 5e-324, 1.7976931348623157e308]
    got = jcodec.dumps(floats)
    want = json_bytes([x if math.isfinite(x) else None for x in floats])
    assert_bytes(got, want)
    for x in floats[:2000]:
        assert jcodec.dumps(x) == (repr(x).encode() if math.isfinite(x) else b"null"), x.hex()
    keyed = {x: i for i, x in enumerate(floats[:5000])}
    assert_bytes(jcodec.dumps(keyed, option=jcodec.OPT_NON_STR_KEYS),
                 reference(keyed, jcodec.OPT_NON_STR_KEYS))


def test_ints_up_to_the_digit_limit():
    """Ints of every bit length up to the conversion limit, both signs, and the
    64-bit boundaries, as repr writes them."""
    rng = random.Random(7)
    limit = 4300  # CPython's default sys.get_int_max_str_digits()
    ints = [rng.getrandbits(bits) * rng.choice([1, -1]) for bits in range(1, 14000, 7)]
    ints += [2**k + d for k in (31, 32, 53, 62, 63, 64, 65, 127, 128) for d in (-1, 0, 1)]
    ints += [-(2**k) + d for k in (31, 32, 53, 62, 63, 64, 65, 127, 128) for d in (-1, 0, 1)]
    ints += [10**k + d for k in range(1, 25) for d in (-1, 0, 1)]
    ints += [10**limit - 1, -(10**limit - 1), True, False]
    assert_bytes(jcodec.dumps(ints), json_bytes(ints))


# =============================================================================
# Hypothesis


def examples(count):
    """Deterministic, no database, no deadline (as conftest's profile); count
    scaled as every suite's (support.scaled_examples)."""
    return settings(max_examples=scaled_examples(count), deadline=None, derandomize=True, database=None)


# Examples are costly to draw here (a few ms each on a shared machine), so each
# example is checked under every option set, and bulk content comes from seeds.


def check_all_options(value, option_names=tuple(OPTION_SETS), *, extra=0, json_too=True):
    """dumps(value) under each option set equals the reference; and equals
    json.dumps of the very same object when json can write it (no NaN/inf,
    no non-str keys)."""
    direct = json_too and not S.has_nonfinite(value)
    for name in option_names:
        option = OPTION_SETS[name] | extra
        got = jcodec.dumps(value, option=option)
        assert_bytes(got, reference(value, option))
        if direct:
            assert got == json_bytes(value, option & ~jcodec.OPT_NON_STR_KEYS), name


@examples(300)
@given(value=S.VALUES)
def test_generated_values(value):
    check_all_options(value)
    assert_same(jcodec.loads(jcodec.dumps(value)), S.loaded(value))


@examples(300)
@given(values=st.lists(st.one_of(S.TEXT, S.KIND_TEXT), min_size=1, max_size=8))
def test_generated_strings(values):
    """Strings as values and as keys, every kind."""
    doc = [values, {v: i for i, v in enumerate(values)}]
    assert_bytes(jcodec.dumps(doc), json_bytes(doc))
    assert_same(jcodec.loads(jcodec.dumps(doc)), doc)


@examples(200)
@given(text=S.TEXT_WITH_SURROGATES)
def test_generated_surrogates_refused(text):
    """A str holding a lone surrogate cannot be UTF-8: refused, as a value, as a
    key, and as a subclass; without one it is written as json writes it."""
    has_surrogate = any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    for value in (text, [1, text], {text: 1}, StrSub(text), "\U0001F600" + text):
        if has_surrogate:
            with pytest.raises(jcodec.JSONEncodeError) as info:
                jcodec.dumps(value)
            assert str(info.value).startswith("str is not valid UTF-8: surrogates not allowed")
        else:
            assert_bytes(jcodec.dumps(value), json_bytes(value))


@examples(100)
@given(floats=st.lists(S.FLOATS, min_size=1, max_size=64))
def test_generated_floats(floats):
    assert_bytes(jcodec.dumps(floats), reference(floats))
    assert_same(jcodec.loads(jcodec.dumps(floats)), S.loaded(floats))


@examples(100)
@given(ints=st.lists(S.INTS, min_size=1, max_size=16))
def test_generated_ints(ints):
    assert_bytes(jcodec.dumps(ints), json_bytes(ints))
    assert jcodec.loads(jcodec.dumps(ints)) == ints


@examples(150)
@given(value=S.SEEDED_DOCUMENTS, option_name=st.sampled_from(list(OPTION_SETS)))
def test_generated_deep_and_wide(value, option_name):
    """Up to 254 containers deep, lists of up to 1000 items, long strings,
    ints of thousands of digits, tuples and subclasses."""
    option = OPTION_SETS[option_name]
    got = jcodec.dumps(value, option=option)
    assert_bytes(got, reference(value, option))
    if option == 0:
        assert_same(jcodec.loads(got), S.loaded(value))


@examples(150)
@given(value=S.SUBCLASS_VALUES)
def test_generated_subclasses(value):
    """Subclasses of str, int, dict and list are written as their base type
    (json agrees: these subclasses override nothing)."""
    check_all_options(value)
    assert_same(jcodec.loads(jcodec.dumps(value)), S.loaded(value))


@examples(200)
@given(value=S.NON_STR_KEY_VALUES)
def test_generated_non_str_keys(value):
    """OPT_NON_STR_KEYS: keys converted as json.dumps converts them (float by
    repr, True as "true", None as "null", int in decimal, str subclasses as
    their text); NaN/inf keys as "null" (as orjson). OPT_SORT_KEYS orders by the
    converted text, equal texts in insertion order. json converts the keys
    itself in the unsorted sets (it cannot sort mixed key types)."""
    check_all_options(value, ("sort", "indent_sort"), extra=jcodec.OPT_NON_STR_KEYS, json_too=False)
    check_all_options(value, ("plain", "indent", "newline"), extra=jcodec.OPT_NON_STR_KEYS)
    assert_same(jcodec.loads(jcodec.dumps(value, option=jcodec.OPT_NON_STR_KEYS)), S.loaded(value))


def test_reference_is_json():
    """The reference itself: plain values go to json untouched, non-finite
    floats become null, converted keys keep duplicates and sort stably."""
    value = {"b": [1.5, (2, 3)], "a": StrSub("x")}
    assert reference(value) == reference_dumps(value)
    assert reference([float("nan"), -float("inf")]) == b"[null,null]"
    keyed = {1: "int", "1": "str", float("nan"): 0, None: 1, 0.5: 2}
    assert reference(keyed, jcodec.OPT_NON_STR_KEYS) == b'{"1":"int","1":"str","null":0,"null":1,"0.5":2}'
    assert (reference(keyed, jcodec.OPT_NON_STR_KEYS | jcodec.OPT_SORT_KEYS)
            == b'{"0.5":2,"1":"int","1":"str","null":0,"null":1}')
    assert first_difference(S.loaded(keyed), {"1": "str", "null": 1, "0.5": 2}) is None
