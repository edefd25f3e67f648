"""jcodec.dumps of uuid.UUID (canonical lowercase 8-4-4-4-12 text, every
version, from the int) and of enum members (Enum, IntEnum, StrEnum, Flag,
IntFlag: the member's value, written with the same options), as values and as
OPT_NON_STR_KEYS keys. Against reference.expected (str(uuid), .value), literal
bytes, and orjson 3.8.3 where it writes the same. The enum classes are
_types.py's.
"""
import enum
import sys
import uuid

import pytest

import jcodec
from _types import Bits, Coded, Color, Name, Number, Perm, Rich, Wrapping
from support import assert_reference, scaled_examples

pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import _types_strategies as T  # noqa: E402

NSK = jcodec.OPT_NON_STR_KEYS


def orjson_same(value, option=0, default=None):
    orjson = pytest.importorskip("orjson", reason="orjson 3.8.3 is not installed: no side-by-side check")
    assert orjson.dumps(value, default, option) == jcodec.dumps(value, default, option)


# =============================================================================
# UUID


def with_version(value, version):
    """value's bits with the version nibble and the RFC 4122 variant set."""
    value &= ~(0xF000 << 64) & ~(0xC000 << 48)
    return uuid.UUID(int=value | version << 76 | 0x8000 << 48)


def test_documented_example():
    value = uuid.UUID("7202d115-7ff3-4c81-a7c1-2a1f067b1ece")
    assert jcodec.dumps(value) == b'"7202d115-7ff3-4c81-a7c1-2a1f067b1ece"'
    assert jcodec.dumps(uuid.UUID("7202D1157FF34C81A7C12A1F067B1ECE")) == b'"7202d115-7ff3-4c81-a7c1-2a1f067b1ece"'


def test_every_version():
    values = [uuid.uuid1(), uuid.uuid3(uuid.NAMESPACE_DNS, "jcodec"), uuid.uuid4(),
              uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org"), uuid.NAMESPACE_X500]
    values += [with_version(0x0123456789ABCDEF_FEDCBA9876543210, v) for v in range(16)]
    assert [v.version for v in values[-16:]][1:6] == [1, 2, 3, 4, 5]
    for value in values:
        assert jcodec.dumps(value) == b'"%s"' % str(value).encode()
    assert_reference(values)
    orjson_same(values)


@pytest.mark.parametrize("value", [0, 1, 2**128 - 1, 2**64, 2**64 - 1, 2**127, 0x0123456789ABCDEF0123456789ABCDEF,
                                   0xFEDCBA9876543210FEDCBA9876543210, 0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,
                                   0x00000000FFFF00000000FFFFFFFFFFFF],
                         ids=lambda v: "%032x" % v)
def test_int_extremes(value):
    u = uuid.UUID(int=value)
    assert jcodec.dumps(u) == b'"%s"' % str(u).encode()
    assert jcodec.dumps({u: 1}, option=NSK) == b'{"%s":1}' % str(u).encode()
    orjson_same([u, {u: 1}], NSK)


def test_every_hex_digit_at_every_place():
    values = [uuid.UUID(int=d << (4 * place)) for place in range(32) for d in range(16)]
    assert jcodec.dumps(values) == ("[%s]" % ",".join('"%s"' % v for v in values)).encode()


def test_subclass_goes_to_default():
    class MyUUID(uuid.UUID):
        pass

    value = MyUUID(int=5)
    with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: MyUUID$"):
        jcodec.dumps(value)
    assert jcodec.dumps([value], default=str) == b'["00000000-0000-0000-0000-000000000005"]'
    assert_reference([value], default=str)
    orjson_same([value], default=str)


@pytest.mark.parametrize("slot,message", [(2**128, "UUID int is not within 128 bits"),
                                          (-1, "UUID int is not within 128 bits"),
                                          ("x", "UUID int is not an int")],
                         ids=["too_big", "negative", "str"])
def test_uuid_whose_int_slot_was_overwritten(slot, message):
    value = uuid.UUID(int=1)
    object.__setattr__(value, "int", slot)
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps({"id": value})
    assert str(info.value) == message + " at $.id"
    assert_reference({"id": value})


# =============================================================================
# Enum


def test_members_are_their_values():
    assert jcodec.dumps([Color.RED, Color.GREEN, Color.LIST, Color.NONE]) == (
        b'[1,"green",[1,[2.5,null],{"k":"v"}],null]')
    assert jcodec.dumps([Number.ONE, Number.BIG]) == b"[1,18446744073709551617]"
    assert jcodec.dumps([Name.ALICE, Name.EMOJI]) == '["alice","😀\\n"]'.encode()
    assert jcodec.dumps([Perm.R, Perm.R | Perm.W, Perm(0), Bits.A | Bits.B, Bits(0)]) == b"[4,6,0,3,0]"
    assert jcodec.dumps([Coded.A, Coded.B]) == b'[10,"b"]'
    assert jcodec.dumps(Rich.NESTED) == b'[1,[2.5,null],{"k":"v"}]'
    values = [list(Color), list(Number), list(Name), list(Perm), list(Bits), list(Coded), Rich.NESTED,
              list(Rich)]
    for option in (0, jcodec.OPT_INDENT_2, jcodec.OPT_SORT_KEYS, jcodec.OPT_PASSTHROUGH_SUBCLASS,
                   jcodec.OPT_STRICT_INTEGER):
        assert_reference(values, option)
    orjson_same(values[:1] + values[2:], jcodec.OPT_INDENT_2)


def test_values_written_with_the_same_options():
    with pytest.raises(jcodec.JSONEncodeError, match="^Integer exceeds 53-bit range$"):
        jcodec.dumps(Number.BIG, option=jcodec.OPT_STRICT_INTEGER)
    assert jcodec.dumps(Color.LIST, option=jcodec.OPT_INDENT_2) == (
        b'[\n  1,\n  [\n    2.5,\n    null\n  ],\n  {\n    "k": "v"\n  }\n]')
    # A value that needs default, goes to default (with the value, not the member).
    seen = []
    assert jcodec.dumps(Wrapping.ODD, default=lambda o: seen.append(o) or "D") == b'"D"'
    assert seen == [Wrapping.ODD.value]
    assert jcodec.dumps(Wrapping.SET, default=sorted) == b"[1]"
    with pytest.raises(jcodec.JSONEncodeError, match=r"^Type is not JSON serializable: Unknown at \$\[0\]$"):
        jcodec.dumps([Wrapping.ODD])
    assert_reference([Wrapping.ODD, Wrapping.SET], default=lambda o: type(o).__name__)


def test_passthrough_subclass_keeps_int_and_str_enums():
    """IntEnum and StrEnum members are int and str subclasses; they are
    written as enum members (their value) under OPT_PASSTHROUGH_SUBCLASS too."""
    option = jcodec.OPT_PASSTHROUGH_SUBCLASS
    assert jcodec.dumps([Number.ONE, Name.ALICE, Bits.A], option=option) == b'[1,"alice",1]'
    orjson_same([Number.ONE, Name.ALICE, Bits.A], option)


def test_enum_keys():
    value = {Color.RED: 1, Color.GREEN: 2, Number.BIG: 3, Name.ALICE: 4, Perm.W: 5, Coded.B: 6}
    assert jcodec.dumps(value, option=NSK) == (
        b'{"1":1,"green":2,"18446744073709551617":3,"alice":4,"2":5,"b":6}')
    assert jcodec.dumps(value, option=NSK | jcodec.OPT_SORT_KEYS) == (
        b'{"1":1,"18446744073709551617":3,"2":5,"alice":4,"b":6,"green":2}')
    for option in (NSK, NSK | jcodec.OPT_SORT_KEYS, NSK | jcodec.OPT_INDENT_2):
        assert_reference(value, option)
    orjson_same({Color.RED: 1, Color.GREEN: 2, Name.ALICE: 4, Perm.W: 5}, NSK)
    # Without the option a StrEnum key is a str subclass, not a str.
    with pytest.raises(jcodec.JSONEncodeError, match=r"^Dict key must be str at \$\.alice$"):
        jcodec.dumps({Name.ALICE: 1})


def test_enum_keys_of_rich_values():
    import datetime

    class When(enum.Enum):
        DAY = datetime.date(2000, 1, 2)
        ID = uuid.UUID(int=7)
        NESTED = Color.GREEN
        PAIR = (1, 2)

    assert jcodec.dumps({When.DAY: 1, When.ID: 2, When.NESTED: 3}, option=NSK) == (
        b'{"2000-01-02":1,"00000000-0000-0000-0000-000000000007":2,"green":3}')
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps({When.PAIR: 1}, option=NSK)
    assert str(info.value).startswith("Dict key must be a type serializable with OPT_NON_STR_KEYS, not tuple")
    assert_reference({When.PAIR: 1}, NSK)


def test_enum_class_is_not_a_member():
    # The metaclass is EnumType from 3.11, EnumMeta (the same class, its old
    # name) before.
    metaclass = "EnumType" if sys.version_info >= (3, 11) else "EnumMeta"
    assert type(Color).__name__ == metaclass
    with pytest.raises(jcodec.JSONEncodeError, match=f"^Type is not JSON serializable: {metaclass}$"):
        jcodec.dumps(Color)


# =============================================================================
# Generated


@settings(max_examples=scaled_examples(200))
@given(values=st.lists(st.one_of(T.UUIDS, T.ENUMS), max_size=6), option=T.OPTIONS)
def test_generated(values, option):
    assert_reference(values, option, default=repr)


@settings(max_examples=scaled_examples(200))
@given(keys=st.lists(st.one_of(T.UUIDS, T.KEY_ENUMS), max_size=6), option=T.OPTIONS)
def test_generated_keys(keys, option):
    assert_reference({k: i for i, k in enumerate(keys)}, option | NSK)


# ---------------------------------------------------------------------------
# Chains of members' values (issue 16's findings: fuzz_dumps and fuzz_alloc_fail
# overflowed the C stack on a cycle, as a value and as an OPT_NON_STR_KEYS key)


def enum_chain(length, end=7):
    """A member whose value is a member ... `length` members deep, the last
    one's value `end`."""
    value = end
    for i in range(length):
        member = enum.Enum(f"Chain{i}", [("M", 0)]).M
        member._value_ = value
        value = member
    return value


@pytest.mark.parametrize("as_key", [False, True])
def test_enum_value_chain_up_to_254_and_a_cycle(as_key):
    def dumps(member):
        if as_key:
            return jcodec.dumps({member: 1}, option=jcodec.OPT_NON_STR_KEYS)
        return jcodec.dumps(member)

    assert dumps(enum_chain(254)) == (b'{"7":1}' if as_key else b"7")
    with pytest.raises(jcodec.JSONEncodeError, match="^enum member values nested deeper than 254"):
        dumps(enum_chain(255))
    cyclic = enum.Enum("Cyclic", [("A", 1)]).A
    cyclic._value_ = cyclic
    with pytest.raises(jcodec.JSONEncodeError, match="^enum member values nested deeper than 254"):
        dumps(cyclic)
