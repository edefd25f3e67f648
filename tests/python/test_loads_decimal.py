"""loads(data, decimal=True): every number with a fraction or an exponent is a
decimal.Decimal made from the literal's exact text (no float in between);
integers stay int. Differential against json.loads(parse_float=Decimal) and
simplejson.loads(use_decimal=True) (Debian's python3-simplejson) on number
literals of every shape (the float corpus of test_loads_numbers: shortest
reprs, long mantissas, the double range's edges and beyond it, huge
exponents), on documents, and on hypothesis-generated literals and Decimals;
Decimals are compared by type and str(), so 1.10 and 1.1 differ.

Without the keyword (orjson's call) nothing changes: the same floats, the same
errors, and the decimal module is not even imported."""
import decimal
import json
import math
import random
import sys
from decimal import Decimal

import pytest

import jcodec
from support import child_env, run_child, shared_document_bytes, scaled_examples

simplejson = pytest.importorskip("simplejson")

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - Debian's python3-hypothesis is a test dependency
    given = None

needs_hypothesis = pytest.mark.skipif(given is None, reason="hypothesis is not installed")


# ---------------------------------------------------------------------------
# helpers


def exact_difference(a, b, path="$"):
    """Where a and b differ, or None: the same types at every level, Decimals
    with the same str() (so the same digits and exponent), floats bit for
    bit, dicts with the same keys in the same order."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} {a!r:.80} vs {type(b).__name__} {b!r:.80}"
    if isinstance(a, Decimal):
        return None if str(a) == str(b) else f"{path}: {a!r:.80} vs {b!r:.80}"
    if isinstance(a, float):
        return None if a.hex() == b.hex() else f"{path}: {a!r} vs {b!r}"
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            found = exact_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)[:5]} vs {list(b)[:5]}"
        for key in a:
            found = exact_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r:.80} vs {b!r:.80}"


def assert_exact(got, want):
    found = exact_difference(got, want)
    assert found is None, found


def json_decimal(data):
    return json.loads(data, parse_float=Decimal)


def simplejson_decimal(data):
    return simplejson.loads(data, use_decimal=True)


def assert_matches_references(data):
    got = jcodec.loads(data, decimal=True)
    assert_exact(got, json_decimal(data))
    assert_exact(got, simplejson_decimal(data))
    return got


# ---------------------------------------------------------------------------
# The number corpus


def random_literals(seed, n):
    """Float literals of every shape: shortest reprs of random doubles (in
    both exponent cases), long mantissas with small and large exponents,
    leading and trailing zeros, negative zero."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        kind = rng.randrange(6)
        if kind == 0:
            x = struct_double(rng)
            if math.isfinite(x):
                text = repr(x)
                out.append(text if any(c in text for c in ".e") else text + ".0")
        elif kind == 1:
            digits = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 800)))
            digits = digits.lstrip("0") or "0"
            out.append(f"{digits}e{rng.randrange(-400, 400)}")
        elif kind == 2:
            whole = str(rng.randrange(10 ** rng.randrange(1, 30)))
            frac = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 60)))
            out.append(f"{'-' if rng.random() < 0.5 else ''}{whole}.{frac}")
        elif kind == 3:
            out.append(f"{rng.randrange(10)}.{'0' * rng.randrange(1, 30)}"
                       f"E{rng.choice(['', '+', '-'])}{rng.randrange(0, 10 ** rng.randrange(1, 9))}")
        elif kind == 4:
            out.append(f"-0.{'0' * rng.randrange(1, 5)}{'e-' + str(rng.randrange(400)) if rng.random() < 0.5 else ''}")
        else:
            out.append(f"{rng.randrange(1, 10)}e{rng.choice(['', '+', '-'])}{rng.randrange(10 ** 6)}")
    return out


def struct_double(rng):
    import struct

    return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]


EDGE_LITERALS = [
    "0.0", "-0.0", "0e0", "0E-0", "-0e+0", "0.000", "1.10", "1.1", "1E+3", "1e3", "100E-2",
    "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9e-324", "5e-324", "2e-324",
    "1.7976931348623157e308", "1.7976931348623159e308", "1e308", "1e309", "1e400", "-1e400",
    "1e-400", "123456789012345678901234567890.123456789012345678901234567890",
    "0.1", "0.30000000000000004", "9007199254740993.0", "1e1000000", "1e-1000000",
    "1e999999999", "1e-999999999", "1" + "0" * 5000 + ".5", "0." + "0" * 5000 + "1",
]


def test_edge_literals_alone_and_in_arrays():
    for literal in EDGE_LITERALS:
        for doc in (literal, literal.encode(), f"[{literal}]", f'{{"n": {literal}}}'.encode()):
            assert_matches_references(doc)
    assert_matches_references("[" + ",".join(EDGE_LITERALS) + "]")


@pytest.mark.parametrize("seed", range(4))
def test_number_corpus(seed):
    literals = random_literals(seed, 3000)
    got = assert_matches_references(("[" + ",".join(literals) + "]").encode())
    assert all(type(v) is Decimal for v in got)
    assert [str(v) for v in got] == [str(Decimal(t)) for t in literals]
    for literal in literals[::97]:  # alone: the literal ends at the end of the data
        assert_matches_references(literal.encode())


def test_literals_of_test_loads_numbers():
    """The literal families test_loads_numbers checks against float(): here
    against Decimal(text), and floats are left as they were without the
    keyword."""
    import test_loads_numbers as numbers

    rng = random.Random(7)
    literals = [numbers.as_float_literal(repr(x)) for x in numbers.random_doubles(rng, 2000)]
    doc = ("[" + ",".join(literals) + "]").encode()
    assert [str(v) for v in jcodec.loads(doc, decimal=True)] == [str(Decimal(t)) for t in literals]
    assert_exact(jcodec.loads(doc), json.loads(doc))


def test_integers_stay_int():
    doc = b'[0, -0, 1, -1, 9223372036854775807, -9223372036854775808, 18446744073709551616, ' \
          b'123456789012345678901234567890, 1.0, 1e0]'
    got = assert_matches_references(doc)
    assert [type(v) for v in got] == [int] * 8 + [Decimal] * 2
    assert got[1] == 0 and str(got[-1]) == "1" and str(got[-2]) == "1.0"


def test_documents_with_every_kind_of_value():
    doc = ('{"a": [1.5, -2, {"b": 3.25e-5, "c": [true, false, null, "x\\u00e9"]}], '
           '"d": -0.0, "e": 1E+2, "f": [[[[2.50]]]], "g": ""}')
    for data in (doc, doc.encode(), bytearray(doc.encode()), memoryview(doc.encode())):
        got = jcodec.loads(data, decimal=True)
        assert_exact(got, json_decimal(doc))
    assert str(got["f"][0][0][0][0]) == "2.50"


def test_large_flat_array_crosses_the_value_stack_window():
    """More values than the parser's stack window (4096), so the array is
    flushed into while it is parsed."""
    literals = random_literals(11, 20000)
    assert_matches_references(("[" + ",".join(literals) + "]").encode())


def test_shared_documents():
    documents = shared_document_bytes()
    if not documents:
        pytest.skip("the shared corpus (../shared) is absent")
    for name, data in documents.items():
        got = jcodec.loads(data, decimal=True)
        assert_exact(got, json_decimal(data))


def test_str_input_positions_are_characters():
    doc = '["\u00e9\u00e9", 1.5, 1e99999999999999999999]'
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc, decimal=True)
    assert info.value.pos == doc.index("1e") and info.value.colno == doc.index("1e") + 1
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc.encode(), decimal=True)
    assert info.value.pos == doc.encode().index(b"1e")


# ---------------------------------------------------------------------------
# Exactness: no context, no float


def test_context_precision_and_traps_do_not_round():
    with decimal.localcontext() as context:
        context.prec = 3
        context.traps[decimal.Inexact] = True
        context.traps[decimal.Rounded] = True
        got = jcodec.loads(b"[3.14159265358979323846264338327950288, 1e-50]", decimal=True)
    assert [str(v) for v in got] == ["3.14159265358979323846264338327950288", "1E-50"]


def test_no_float_in_between():
    got = jcodec.loads(b"[0.1, 1e400, 1e-400, 9007199254740993.0]", decimal=True)
    assert got == [Decimal("0.1"), Decimal("1E+400"), Decimal("1E-400"), Decimal("9007199254740993.0")]
    assert got[0] != Decimal(0.1)


def test_beyond_decimals_exponent_limit():
    """Decimal cannot hold an exponent beyond decimal.MAX_EMAX: a
    JSONDecodeError at the literal (json lets decimal.InvalidOperation
    through), also in a context that does not trap InvalidOperation (where
    Decimal(text) would be NaN)."""
    big = "1e" + "9" * 25
    for untrapped in (False, True):
        with decimal.localcontext() as context:
            context.traps[decimal.InvalidOperation] = not untrapped
            for literal in (big, "-" + big, "1e-" + "9" * 25, "2.5E+" + "9" * 19):
                with pytest.raises(jcodec.JSONDecodeError) as info:
                    jcodec.loads(f"[1, {literal}]".encode(), decimal=True)
                assert info.value.pos == 4
                assert info.value.msg.startswith(f"number out of range: {literal[:40]}")
                assert "Decimal's exponent limit" in info.value.msg
    with pytest.raises(decimal.InvalidOperation):
        json_decimal(f"[{big}]")
    # Up to the limit it is a Decimal.
    edge = f"1e{decimal.MAX_EMAX}"
    assert str(jcodec.loads(edge, decimal=True)) == str(Decimal(edge))


def test_grammar_errors_are_unchanged():
    bad = [b"[1.]", b"[1.e5]", b"[1e]", b"[1e+]", b"[-]", b"[01.5]", b"[.5]", b"[1.5", b"[1.5,]",
           b"NaN", b"-Infinity", b"[1.5 2.5]", b"1.5x"]
    for doc in bad:
        with pytest.raises(jcodec.JSONDecodeError) as plain:
            jcodec.loads(doc)
        with pytest.raises(jcodec.JSONDecodeError) as with_decimal:
            jcodec.loads(doc, decimal=True)
        assert (with_decimal.value.msg, with_decimal.value.pos) == (plain.value.msg, plain.value.pos)


def test_out_of_range_float_is_a_decimal_with_the_keyword_only():
    with pytest.raises(jcodec.JSONDecodeError, match="number out of range"):
        jcodec.loads(b"1e400")
    assert jcodec.loads(b"1e400", decimal=True) == Decimal("1e400")


# ---------------------------------------------------------------------------
# The keyword


def test_keyword_values():
    for falsy in (False, 0, None, "", []):
        assert type(jcodec.loads(b"1.5", decimal=falsy)) is float
    for truthy in (True, 1, "yes", [0]):
        assert type(jcodec.loads(b"1.5", decimal=truthy)) is Decimal


def test_keyword_truth_test_can_raise():
    class Unjudgeable:
        def __bool__(self):
            raise ZeroDivisionError("no")

    with pytest.raises(ZeroDivisionError):
        jcodec.loads(b"1.5", decimal=Unjudgeable())


def test_argument_errors():
    with pytest.raises(TypeError, match=r"loads\(\) got an unexpected keyword argument 'parse_float'"):
        jcodec.loads(b"1.5", parse_float=Decimal)
    with pytest.raises(TypeError, match=r"loads\(\) takes exactly one argument \(2 given\)"):
        jcodec.loads(b"1.5", True)
    with pytest.raises(TypeError, match=r"loads\(\) takes exactly one argument \(0 given\)"):
        jcodec.loads()
    with pytest.raises(TypeError, match=r"loads\(\) takes exactly one argument \(0 given\)"):
        jcodec.loads(decimal=True)
    with pytest.raises(jcodec.JSONDecodeError, match="Input must be bytes"):
        jcodec.loads(1.5, decimal=True)


def test_plain_call_after_a_decimal_call():
    assert type(jcodec.loads(b"[1.5]", decimal=True)[0]) is Decimal
    assert type(jcodec.loads(b"[1.5]")[0]) is float
    assert type(jcodec.loads(b"[1.5]", decimal=False)[0]) is float


def test_decimal_is_imported_only_for_the_keyword():
    proc = run_child("""
        import sys, jcodec
        assert "decimal" not in sys.modules, "imported with jcodec"
        assert jcodec.loads(b'[1.5, 2]') == [1.5, 2]
        assert "decimal" not in sys.modules, "imported by a plain loads"
        jcodec.dumps([1.5], option=jcodec.OPT_SERIALIZE_DECIMAL)
        assert "decimal" not in sys.modules, "imported by dumps"
        value = jcodec.loads(b'[1.5, 2]', decimal=True)
        import decimal
        assert type(value[0]) is decimal.Decimal and value[1] == 2
        print("ok")
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ok"]


def test_without_the_c_decimal():
    """With the pure-Python decimal (no _decimal), its Decimal is what loads
    makes."""
    proc = run_child("""
        import sys
        sys.modules["_decimal"] = None  # the import fails: decimal is _pydecimal
        import decimal, jcodec
        assert decimal.Decimal.__module__ in ("decimal", "_pydecimal")
        value = jcodec.loads(b'[1.10, 1e400]', decimal=True)
        assert [type(v) for v in value] == [decimal.Decimal] * 2, value
        assert [str(v) for v in value] == ["1.10", "1E+400"]
        assert jcodec.dumps(value, option=jcodec.OPT_SERIALIZE_DECIMAL) == b"[1.10,1E+400]"
        print("ok")
    """, env=child_env())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ok"]


try:
    import _xxsubinterpreters as interpreters
except ImportError:  # not every build has it
    interpreters = None


@pytest.mark.skipif(interpreters is None, reason="_xxsubinterpreters not available")
@pytest.mark.skipif(sys.version_info < (3, 13),
                    reason="before 3.13 CPython's _decimal keeps process-wide state: using it "
                           "in a sub-interpreter crashes the main one later, without jcodec")
def test_each_interpreter_gets_its_own_decimal_type():
    """The Decimal type is kept per module (per interpreter): a
    sub-interpreter's loads makes its own decimal module's Decimals."""
    assert type(jcodec.loads(b"1.5", decimal=True)) is Decimal
    code = """
import decimal, jcodec
value = jcodec.loads(b'[1.25]', decimal=True)[0]
assert type(value) is decimal.Decimal, type(value)
assert str(value) == "1.25"
assert jcodec.dumps(value, option=jcodec.OPT_SERIALIZE_DECIMAL) == b"1.25"
"""
    for _ in range(2):
        iid = interpreters.create()
        try:
            interpreters.run_string(iid, code)
        finally:
            interpreters.destroy(iid)
    assert type(jcodec.loads(b"1.5", decimal=True)) is Decimal


# ---------------------------------------------------------------------------
# Hypothesis

if given is not None:
    JSON_NUMBER = st.from_regex(r"-?(0|[1-9][0-9]{0,40})(\.[0-9]{1,40})?([eE][+-]?[0-9]{1,6})?",
                                fullmatch=True)

    @needs_hypothesis
    @settings(max_examples=scaled_examples(400))
    @given(st.lists(JSON_NUMBER, min_size=1, max_size=20))
    def test_hypothesis_literals(literals):
        assert_matches_references("[" + ",".join(literals) + "]")

    @needs_hypothesis
    @settings(max_examples=scaled_examples(300))
    @given(st.decimals(allow_nan=False, allow_infinity=False))
    def test_hypothesis_decimals(value):
        text = str(value)
        got = jcodec.loads(text, decimal=True)
        if any(c in text for c in ".eE"):
            assert type(got) is Decimal and str(got) == text
        else:
            assert type(got) is int and got == value
        assert_exact(got, json_decimal(text))

