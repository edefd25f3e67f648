"""dumps with OPT_SERIALIZE_DECIMAL: decimal.Decimal written as its digits,
exactly as str() writes them (exponent marker 'E'), always a JSON number;
NaN, sNaN and the infinities refused with the value's path. Without the
option a Decimal goes to `default` exactly as in orjson. Differential against
simplejson.dumps(use_decimal=True), which writes str(d), on trees of
Decimals; round trips through loads(decimal=True) keep the digits."""
import decimal
import enum
import json
from decimal import Decimal

import pytest

import jcodec
from support import scaled_examples

simplejson = pytest.importorskip("simplejson")

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

OPT = jcodec.OPT_SERIALIZE_DECIMAL
NSK = jcodec.OPT_NON_STR_KEYS


def test_option_bit():
    assert OPT == 1 << 24
    assert jcodec.dumps(1, option=OPT | ((1 << 12) - 1)) == b"1\n"  # with every orjson bit
    for invalid in (1 << 12, 1 << 23, 1 << 25, OPT | (1 << 12), OPT << 1):
        with pytest.raises(jcodec.JSONEncodeError, match="^Invalid opts$"):
            jcodec.dumps(1, option=invalid)


# ---------------------------------------------------------------------------
# The text


CANONICAL = {
    "1.10": b"1.10", "-0": b"-0", "0": b"0", "-0.00": b"-0.00", "1E3": b"1E+3", "1e3": b"1E+3",
    "1E+3": b"1E+3", "0.0000001": b"1E-7", "0.000001": b"0.000001", "123E2": b"1.23E+4",
    "0E-8": b"0E-8", "-0E+2": b"-0E+2", ".5": b"0.5", "5.": b"5", "00012.50": b"12.50",
    "-1.5e-400": b"-1.5E-400", "12345678901234567890123456789012345678901234567890":
        b"12345678901234567890123456789012345678901234567890",
    "3.141592653589793238462643383279502884197": b"3.141592653589793238462643383279502884197",
}


@pytest.mark.parametrize("text", sorted(CANONICAL))
def test_text(text):
    value = Decimal(text)
    out = jcodec.dumps(value, option=OPT)
    assert out == CANONICAL[text] == str(value).encode()
    # Valid JSON whose number has the same digits.
    back = json.loads(out, parse_float=Decimal)
    assert str(back) == str(value) if isinstance(back, Decimal) else back == value


def test_long_digits():
    value = Decimal("9" * 20000 + "." + "1" * 20000)
    assert jcodec.dumps([value], option=OPT) == b"[" + str(value).encode() + b"]"
    assert jcodec.dumps(Decimal("1e-999999999999999999"), option=OPT) == b"1E-999999999999999999"


def test_exponent_marker_is_always_capital():
    value = Decimal("1.5E+7")
    with decimal.localcontext() as context:
        context.capitals = 0
        assert str(value) == "1.5e+7"
        assert jcodec.dumps([value, {"k": value}], option=OPT) == b'[1.5E+7,{"k":1.5E+7}]'
        assert jcodec.dumps({value: 1}, option=OPT | NSK) == b'{"1.5E+7":1}'


def test_context_precision_does_not_round():
    with decimal.localcontext() as context:
        context.prec = 2
        assert jcodec.dumps(Decimal("1.23456"), option=OPT) == b"1.23456"


@pytest.mark.parametrize("text", ["NaN", "-NaN", "sNaN", "-sNaN", "NaN123", "Infinity", "-Infinity", "inf"])
def test_not_a_number_is_refused_with_the_path(text):
    value = Decimal(text)
    shown = str(value)
    for obj, path in ((value, ""), ([1, value], " at $[1]"), ({"a": {"b": [value]}}, " at $.a.b[0]")):
        with pytest.raises(jcodec.JSONEncodeError) as info:
            jcodec.dumps(obj, option=OPT)
        assert str(info.value) == f"Decimal {shown} is not a JSON number{path}"
    # default is not consulted for a Decimal jcodec writes (or refuses).
    with pytest.raises(jcodec.JSONEncodeError):
        jcodec.dumps(value, default=str, option=OPT)


def test_long_nan_payload_is_cut_in_the_message():
    value = Decimal("NaN" + "1" * 60)
    with pytest.raises(jcodec.JSONEncodeError, match=r"^Decimal NaN1{29}\.\.\. is not a JSON number$"):
        jcodec.dumps(value, option=OPT)


# ---------------------------------------------------------------------------
# Without the option, subclasses, keys


class DecimalSub(Decimal):
    pass


def test_without_the_option_as_orjson():
    with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: Decimal$"):
        jcodec.dumps(Decimal("1.5"))
    assert jcodec.dumps([Decimal("1.5")], default=str) == b'["1.5"]'
    assert jcodec.dumps(Decimal("NaN"), default=str) == b'"NaN"'
    orjson = pytest.importorskip("orjson")
    with pytest.raises(orjson.JSONEncodeError):  # its message names decimal.Decimal (differences.py)
        orjson.dumps(Decimal("1.5"))
    assert jcodec.dumps([Decimal("1.5")], default=float) == orjson.dumps([Decimal("1.5")], default=float)
    calls = []
    jcodec.dumps({"a": Decimal("2.5")}, default=lambda d: calls.append(d) or 0)
    assert calls == [Decimal("2.5")]


def test_subclasses_go_to_default():
    value = DecimalSub("2.50")
    with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: DecimalSub$"):
        jcodec.dumps(value, option=OPT)
    assert jcodec.dumps(value, default=lambda d: Decimal(d), option=OPT) == b"2.50"


def test_keys():
    obj = {Decimal("1.10"): 1, Decimal("-0"): 2, Decimal("1E3"): 3}
    assert jcodec.dumps(obj, option=OPT | NSK) == b'{"1.10":1,"-0":2,"1E+3":3}'
    assert jcodec.dumps(obj, option=OPT | NSK | jcodec.OPT_SORT_KEYS) == b'{"-0":2,"1.10":1,"1E+3":3}'
    # Without OPT_SERIALIZE_DECIMAL a Decimal key is one OPT_NON_STR_KEYS
    # cannot convert, as in orjson; without OPT_NON_STR_KEYS no key is.
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(obj, option=NSK)
    assert str(info.value) == ("Dict key must be a type serializable with OPT_NON_STR_KEYS, not "
                               "Decimal at $[Decimal('1.10')]")
    with pytest.raises(jcodec.JSONEncodeError, match=r"^Dict key must be str at "):
        jcodec.dumps(obj, option=OPT)
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps({"a": {Decimal("NaN"): 1}}, option=OPT | NSK)
    assert str(info.value) == "Decimal NaN is not a JSON number at $.a[Decimal('NaN')]"
    with pytest.raises(jcodec.JSONEncodeError, match="^Dict key must be a type serializable"):
        jcodec.dumps({DecimalSub("1"): 1}, option=OPT | NSK)


def test_with_other_options():
    obj = {"b": [Decimal("1.10"), {"c": Decimal("-2E-3")}], "a": Decimal("0")}
    for option in (0, jcodec.OPT_INDENT_2, jcodec.OPT_SORT_KEYS, jcodec.OPT_APPEND_NEWLINE,
                   jcodec.OPT_INDENT_2 | jcodec.OPT_SORT_KEYS, jcodec.OPT_STRICT_INTEGER):
        want = simplejson.dumps(obj, use_decimal=True, ensure_ascii=False,
                                separators=(",", ": ") if option & jcodec.OPT_INDENT_2 else (",", ":"),
                                indent=2 if option & jcodec.OPT_INDENT_2 else None,
                                sort_keys=bool(option & jcodec.OPT_SORT_KEYS)).encode()
        if option & jcodec.OPT_APPEND_NEWLINE:
            want += b"\n"
        assert jcodec.dumps(obj, option=option | OPT) == want, option


class Price(enum.Enum):
    LOW = Decimal("0.99")


def test_inside_other_types():
    import dataclasses

    @dataclasses.dataclass
    class Item:
        price: Decimal
        tags: list

    assert jcodec.dumps(Price.LOW, option=OPT) == b"0.99"
    assert jcodec.dumps(Item(Decimal("5.00"), [Decimal("1E2")]), option=OPT) == \
        b'{"price":5.00,"tags":[1E+2]}'
    with pytest.raises(jcodec.JSONEncodeError, match="Type is not JSON serializable: Decimal"):
        jcodec.dumps(Price.LOW)


def test_default_may_return_a_decimal():
    class Money:
        def __init__(self, amount):
            self.amount = amount

    assert jcodec.dumps([Money(Decimal("3.50"))], default=lambda m: m.amount, option=OPT) == b"[3.50]"


def test_decimal_not_loaded():
    """A type named Decimal that is not decimal.Decimal is not written."""
    from support import run_child

    proc = run_child("""
        import sys, jcodec
        class Decimal:
            pass
        try:
            jcodec.dumps([Decimal()], option=jcodec.OPT_SERIALIZE_DECIMAL)
        except jcodec.JSONEncodeError as e:
            print(e)
        assert "decimal" not in sys.modules
        import decimal
        print(jcodec.dumps([decimal.Decimal("1.5")], option=jcodec.OPT_SERIALIZE_DECIMAL).decode())
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["Type is not JSON serializable: Decimal at $[0]", "[1.5]"]


# ---------------------------------------------------------------------------
# Round trips and trees (hypothesis)


def test_round_trip_keeps_the_digits():
    values = [Decimal(t) for t in CANONICAL] + [Decimal("1.000"), Decimal("-7.25E+100")]
    out = jcodec.dumps(values, option=OPT)
    back = jcodec.loads(out, decimal=True)
    for value, got in zip(values, back):
        text = str(value)
        if any(c in text for c in ".E"):
            assert type(got) is Decimal and str(got) == text
        else:
            assert type(got) is int and got == value


if given is not None:
    FINITE = st.decimals(allow_nan=False, allow_infinity=False)
    TREES = st.recursive(
        st.one_of(FINITE, st.integers(), st.text(max_size=5), st.booleans(), st.none()),
        lambda children: st.one_of(st.lists(children, max_size=5),
                                   st.dictionaries(st.text(max_size=5), children, max_size=5)),
        max_leaves=30)

    @settings(max_examples=scaled_examples(300))
    @given(FINITE)
    def test_hypothesis_round_trip(value):
        out = jcodec.dumps(value, option=OPT)
        assert out == str(value).encode()
        got = jcodec.loads(out, decimal=True)
        if any(c in str(value) for c in ".E"):
            assert type(got) is Decimal and str(got) == str(value)
        else:
            assert type(got) is int and got == value
        assert str(json.loads(out, parse_float=Decimal)) == str(got)

    @settings(max_examples=scaled_examples(200))
    @given(TREES, st.sampled_from([0, jcodec.OPT_INDENT_2, jcodec.OPT_SORT_KEYS]))
    def test_hypothesis_trees_match_simplejson(tree, option):
        indent = option & jcodec.OPT_INDENT_2
        want = simplejson.dumps(tree, use_decimal=True, ensure_ascii=False,
                                separators=(",", ": ") if indent else (",", ":"),
                                indent=2 if indent else None,
                                sort_keys=bool(option & jcodec.OPT_SORT_KEYS)).encode()
        assert jcodec.dumps(tree, option=option | OPT) == want
