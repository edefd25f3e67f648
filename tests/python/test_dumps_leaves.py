"""dumps of leaf sequences: a list or tuple of 1 to 32 members whose first is a
number is tried as a leaf, written in one reservation with no call per member
(core/encode/encoder.c, write_leaf_sequence), as long as every member is an
exact float, an int of 64 bits, None, True or False. Anything else at any
position (a str, a container, a bigger int, a subclass, an int outside
OPT_STRICT_INTEGER's range) leaves the output as it was and the general path
writes the sequence, so the output, the errors and their paths must be the
same wherever the first such member stands, at every length around the limit,
and whatever the leaf's depth, options and neighbours.
"""
import math

import pytest

import jcodec
from support import FloatSub, IntSub, Unknown, reference_dumps, reference_dumps_with

LEAF_MAX_ITEMS = 32

SCALARS = [0, -1, 7, 2**31, -(2**62), 2**63 - 1, -(2**63), 0.5, -1e-7, 1e22, 123.456,
           -0.0, 5e-324, None, True, False]
# Each is no leaf member, for its own reason.
BREAKERS = {
    "str": "x",
    "list": [1],
    "dict": {"k": 1},
    "empty": [],
    "tuple": (2.5,),
    "int_65_bits": 2**64,
    "int_negative_65_bits": -(2**64),
    "big_int": 10**40,
    "int_subclass": IntSub(3),
    "float_subclass_via_default": FloatSub(1.5),
}


def scalars(n, start=0):
    return [SCALARS[(start + i) % len(SCALARS)] for i in range(n)]


@pytest.mark.parametrize("n", list(range(1, 36)) + [64, 100])
@pytest.mark.parametrize("first", [1, 2.5])
def test_every_length_around_the_limit(n, first):
    items = [first] + scalars(n - 1)
    for obj in (items, tuple(items), [items, items], {"a": items, "b": [items]},
                [[items], tuple(items), 3]):
        assert jcodec.dumps(obj) == reference_dumps(obj)


@pytest.mark.parametrize("name", sorted(BREAKERS))
@pytest.mark.parametrize("n", [2, 5, LEAF_MAX_ITEMS])
def test_a_non_leaf_member_at_each_position(name, n):
    breaker = BREAKERS[name]
    default = (lambda o: float(o)) if name == "float_subclass_via_default" else None
    for position in range(1, n):
        items = scalars(n, position)
        items[0] = 1
        items[position] = breaker
        for obj in (items, tuple(items), [items, items], {"k": [0.25, items]}):
            want = reference_dumps(obj)
            assert jcodec.dumps(obj, default=default) == want, (name, position)


def test_non_finite_floats_are_null():
    obj = [[1.5, math.nan, math.inf, -math.inf, 2]] * 3
    assert jcodec.dumps(obj) == b"[" + b",".join([b"[1.5,null,null,null,2]"] * 3) + b"]"


def test_strict_integer_error_names_the_member():
    strict = jcodec.OPT_STRICT_INTEGER
    for position in range(1, 5):
        items = [1, 2.5, 3, None, True]
        items[position] = 2**53
        with pytest.raises(jcodec.JSONEncodeError) as info:
            jcodec.dumps([[0], items], option=strict)
        assert str(info.value) == f"Integer exceeds 53-bit range at $[1][{position}]"
    ok = [[1, 2**53 - 1, -(2**53 - 1)]]
    assert jcodec.dumps(ok, option=strict) == reference_dumps(ok)


def test_options_write_leaves_as_everything_else():
    obj = {"b": [[1, 2.5], [3, None]], "a": (True, 1e100, -7)}
    for option in (jcodec.OPT_INDENT_2, jcodec.OPT_SORT_KEYS,
                   jcodec.OPT_INDENT_2 | jcodec.OPT_SORT_KEYS | jcodec.OPT_APPEND_NEWLINE):
        assert jcodec.dumps(obj, option=option) == reference_dumps_with(obj, option)


def test_a_leaf_is_a_level_of_nesting():
    def nest(depth, leaf):
        for _ in range(depth):
            leaf = [leaf]
        return leaf

    assert jcodec.dumps(nest(253, [1, 2.5])) == b"[" * 254 + b"1,2.5" + b"]" * 254
    with pytest.raises(jcodec.JSONEncodeError, match="^maximum nesting depth of 254 exceeded at "):
        jcodec.dumps(nest(254, [1, 2.5]))


def test_many_leaves_grow_the_output():
    """Coordinates, as in canada.json: the output grows many times while
    leaves reserve their room."""
    rings = [[[i * 0.001 - 3.5, -i * 1.25e-3] for i in range(j, j + 500)] for j in range(0, 20000, 500)]
    obj = {"type": "Polygon", "coordinates": rings}
    assert jcodec.dumps(obj) == reference_dumps(obj)


def test_default_still_sees_what_leaves_do_not_write():
    seen = []

    def default(obj):
        seen.append(type(obj).__name__)
        return 0

    assert jcodec.dumps([[1, Unknown(), 2.5]], default=default) == b"[[1,0,2.5]]"
    assert seen == ["Unknown"]
