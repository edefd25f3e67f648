"""Numbers: every float literal must give exactly float(text), bit for bit;
literals beyond the double range raise "number out of range"; integers are exact
at any size up to sys.get_int_max_str_digits().

Hundreds of thousands of literals from fixed seeds. Most are checked in arrays
of a few thousand (one loads call, then an element-wise bit comparison), a
sample one per document, where the literal ends at the end of the data.
"""
import json
import math
import random
import struct
import sys
from decimal import Decimal, localcontext

import pytest

import jcodec

# The interpreter's limit when the tests start (4300 unless PYTHONINTMAXSTRDIGITS
# or -X int_max_str_digits says otherwise); the tests that change it restore it.
ORIGINAL_INT_DIGITS_LIMIT = sys.get_int_max_str_digits()

# ---------------------------------------------------------------------------
# helpers


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def as_float_literal(text):
    """JSON float literals need a '.' or an exponent (else they are ints)."""
    if not any(c in text for c in ".eE"):
        text += ".0"
    return text


def check_literals(literals, single_every=50):
    """Parses the literals as one JSON array (and every `single_every`-th alone,
    as bytes and str) and compares each result with float(text) bit for bit.
    Literals whose float() is infinite must be rejected instead."""
    finite = []
    overflow = []
    assert all(any(c in t for c in ".eE") for t in literals), "not a float literal"
    for t in literals:
        f = float(t)
        (overflow if math.isinf(f) else finite).append((t, f))
    bad = []
    for i in range(0, len(finite), 4000):
        chunk = finite[i:i + 4000]
        doc = ("[" + ",".join(t for t, _ in chunk) + "]").encode()
        got = jcodec.loads(doc)
        assert len(got) == len(chunk)
        for (t, want), g in zip(chunk, got):
            if type(g) is not float or bits(g) != bits(want):
                bad.append((t, g, want))
    for t, want in finite[::single_every]:
        for doc in (t, t.encode()):
            g = jcodec.loads(doc)
            if type(g) is not float or bits(g) != bits(want):
                bad.append((t, g, want))
    assert not bad, "\n".join(f"{t[:120]!r}: got {g!r} want {w!r} ({w.hex()})" for t, g, w in bad[:20])
    for t, _ in overflow:
        with pytest.raises(jcodec.JSONDecodeError) as info:
            jcodec.loads(t)
        assert info.value.msg.startswith("number out of range"), (t, info.value.msg)
        assert info.value.pos == 0
    return len(finite), len(overflow)


def random_doubles(rng, n, include_subnormal=True):
    out = []
    while len(out) < n:
        x = from_bits(rng.getrandbits(64))
        if math.isfinite(x) and (include_subnormal or x == 0 or abs(x) >= 2.2250738585072014e-308):
            out.append(x)
    return out


# ---------------------------------------------------------------------------
# floats from random bit patterns


def test_random_bit_patterns_formatted():
    rng = random.Random(0x5EED1)
    literals = []
    for x in random_doubles(rng, 40000):
        literals.append(as_float_literal(repr(x)))
        literals.append("%.17e" % x)
        literals.append("%.20e" % x)
        literals.append(as_float_literal("%.25g" % x))
        literals.append(("%.17E" % x))
        literals.append(as_float_literal("%.16g" % x))  # often not the shortest: rounds differently
    finite, overflow = check_literals(literals)
    assert finite == len(literals) and overflow == 0


def test_subnormals():
    rng = random.Random(0x5EED2)
    literals = []
    for _ in range(20000):
        x = from_bits(rng.getrandbits(52) | (rng.getrandbits(1) << 63))
        literals += [as_float_literal(repr(x)), "%.17e" % x, "%.30e" % x, "%.3e" % x]
    # the smallest subnormals and their neighbourhood
    for k in range(1, 200):
        x = from_bits(k)
        literals += [repr(x), "%.25e" % x, "-%.25e" % x]
    finite, _ = check_literals(literals)
    assert finite == len(literals)


def test_short_random_decimals():
    rng = random.Random(0x5EED3)
    literals = []
    for _ in range(60000):
        digits = rng.randint(1, 19)
        mantissa = str(rng.randint(1, 10**digits - 1))
        exp = rng.choice([rng.randint(-30, 30), rng.randint(-350, -290), rng.randint(280, 310),
                          rng.randint(-330, -320)])
        sign = rng.choice(["", "-"])
        form = rng.randrange(5)
        if form == 0:
            t = f"{sign}{mantissa}e{exp}"
        elif form == 1:
            t = f"{sign}{mantissa}E{exp:+d}"
        elif form == 2 and len(mantissa) > 1:
            cut = rng.randint(1, len(mantissa) - 1)
            t = f"{sign}{mantissa[:cut]}.{mantissa[cut:]}e{exp}"
        elif form == 3:
            t = f"{sign}0.{'0' * rng.randint(0, 20)}{mantissa}"
        else:
            t = f"{sign}{mantissa}.{rng.randint(0, 999)}"
        literals.append(t)
    finite, overflow = check_literals(literals)
    assert finite + overflow == len(literals)


def test_long_mantissas():
    rng = random.Random(0x5EED4)
    literals = []
    for _ in range(6000):
        n = rng.randint(20, 800)
        digits = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(n - 1))
        point = rng.randint(1, n)
        exp = rng.choice([rng.randint(-400, 400), rng.randint(-30, 30), -n - rng.randint(290, 330),
                          310 - point])
        body = digits[:point] + ("." + digits[point:] if point < n else ".0")
        literals.append(f"{body}e{exp}")
        literals.append(f"-0.{'0' * rng.randint(0, 300)}{digits}")
    # mantissas of 19-21 digits around 2^64, where the fast path's input is full
    for _ in range(20000):
        w = rng.randint(10**18, 10**21)
        literals.append(f"{w}e{rng.randint(-340, 290)}")
        literals.append(f"{w}.{rng.randint(0, 99)}")
    finite, overflow = check_literals(literals, single_every=20)
    assert finite + overflow == len(literals)


def test_halfway_cases():
    """Exact decimal midpoints between adjacent doubles (ties to even), and the
    midpoint with one more digit either way."""
    rng = random.Random(0x5EED5)
    literals = []
    with localcontext() as ctx:
        ctx.prec = 1200
        doubles = random_doubles(rng, 3000) + [from_bits(rng.getrandbits(52)) for _ in range(300)]
        doubles += [2.0**53, 2.0**54, 1.0, 0.1, 1e23, 2.0**-1022, 5e-324, 1.7976931348623157e308 / 2]
        for x in doubles:
            x = abs(x)
            y = math.nextafter(x, math.inf)
            if not math.isfinite(y):
                continue
            mid = (Decimal(x) + Decimal(y)) / 2
            text = format(mid, "f") if abs(mid.adjusted()) < 30 else format(mid, "e")
            literals.append(as_float_literal(text))
            m, _, e = format(mid, "e").partition("e")
            literals.append(m + "1e" + e if "." in m else m + ".1e" + e)  # just above
            literals.append(format(mid - Decimal(10) ** (mid.adjusted() - 60), "e"))  # just below
    literals += [
        "9007199254740993", "9007199254740993.0", "9007199254740995.0", "9007199254740993.0000000000000000001",
        "2.2250738585072011e-308", "2.2250738585072012e-308", "2.225073858507201136057409796709131975934819546351645648e-308",
        "1e23", "8.988465674311580536566680e307", "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126",
        "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
        "4.9406564584124654e-324", "2.4703282292062328e-324", "2.4703282292062327e-324",
        "1.7976931348623157e308", "1.7976931348623158e308",
        "1.797693134862315708145274237317043567980705675258449965989174768031572607800285387605895586327668781715404589535143824642343213268894641827684675467035375169860499105765512820762454900903893289440758685084551339423045832369032229481658085593321233482747978262041447231687381771809192998812504040261841248583680e308",
        "179769313486231580793728971405301e276", "0." + "0" * 400 + "1", "0." + "0" * 320 + "25",
        "7.2057594037927933e16", "3.0517578125e-05", "4.35679908e-2", "123456789012345678901234567890e-30",
        "1e-324", "3e-324", "2.5e-324", "1E+0", "1e-0", "0e+0", "-0e-0", "0.0E-999999", "1e0000000000000000000001",
    ]
    finite, overflow = check_literals([as_float_literal(t) for t in literals], single_every=5)
    assert finite > 9000


def test_exponents_near_limits():
    literals = []
    for mantissa in ("1", "9", "2.2250738585072014", "4.9406564584124654", "1.7976931348623157", "17976931348623157",
                     "123456789", "0.1", "999999999999999999999", "5"):
        for e in list(range(280, 320)) + list(range(-345, -280)):
            for sign in ("", "-"):
                literals += [f"{sign}{mantissa}e{e}", f"{sign}{mantissa}E{e:+d}"]
    finite, overflow = check_literals(literals, single_every=3)
    assert overflow > 0 and finite > 0


def test_negative_zero_preserved():
    for t in ("-0.0", "-0e0", "-0E+5", "-0.000", "-0.0e-400", "-1e-400", "-" + "0." + "0" * 400 + "1"):
        x = jcodec.loads(t)
        assert type(x) is float and x == 0.0 and math.copysign(1.0, x) == -1.0, t
        assert jcodec.loads(f"[{t}]")[0].hex() == "-0x0.0p+0"
    for t in ("0.0", "0e0", "1e-400", "0.0e999999999999"):
        x = jcodec.loads(t)
        assert type(x) is float and math.copysign(1.0, x) == 1.0
    assert type(jcodec.loads("-0")) is int and jcodec.loads("-0") == 0


# ---------------------------------------------------------------------------
# overflow


@pytest.mark.parametrize("text", [
    "1e309", "-1e400", "1" + "0" * 400 + ".0", "-1" + "0" * 400 + ".5", "1.7976931348623159e308",
    str(2**1024 - 2**970) + ".0",  # exactly halfway from the largest double to 2^1024: ties to even = inf
    "2e308", "1e99999999999999999999999", "0.1e310", "123123e100000", "1.5E+9999", "-1e+309",
    "0." + "0" * 100 + "1e410",
])
def test_overflow_raises(text):
    assert math.isinf(float(text))
    for doc, offset in ((text, 0), (f"[1, {text}]", 4), (text.encode(), 0), (f'{{"k": {text}}}'.encode(), 6)):
        with pytest.raises(jcodec.JSONDecodeError) as info:
            jcodec.loads(doc)
        e = info.value
        assert e.msg.startswith("number out of range: "), e.msg
        assert e.msg.endswith(" is beyond the largest double")
        assert e.pos == offset
    literal_in_msg = e.msg[len("number out of range: "):-len(" is beyond the largest double")]
    if len(text) > 40:
        assert literal_in_msg == text[:40] + "..."
    else:
        assert literal_in_msg == text


def test_largest_finite_does_not_overflow():
    # just below max + half an ulp: rounds down to the maximum
    t = str(2**1024 - 2**970 - 1) + ".9e0"
    assert jcodec.loads(t) == sys.float_info.max
    assert jcodec.loads("-" + t) == -sys.float_info.max


def test_underflow_is_fine():
    for t in ("1e-400", "1e-99999999999999999", "0." + "0" * 1000 + "1", "2e-324", "1" + "e-" + "9" * 30):
        assert jcodec.loads(t) == 0.0
        assert jcodec.loads("-" + t) == 0.0 and math.copysign(1, jcodec.loads("-" + t)) == -1


# ---------------------------------------------------------------------------
# integers


def test_integer_boundaries():
    values = [0, 1, -1, 9, 10, -10]
    for k in range(0, 70):
        for d in (-2, -1, 0, 1, 2):
            values += [2**k + d, -(2**k + d)]
    for k in range(0, 45):
        for d in (-1, 0, 1):
            values += [10**k + d, -(10**k + d)]
    values += [2**63, -(2**63), 2**63 - 1, -(2**63) + 1, -(2**63) - 1, 2**63 + 1,
               2**64, -(2**64), 2**64 - 1, 2**64 + 1, -(2**64) + 1, -(2**64) - 1,
               9999999999999999999, 10000000000000000000, -9999999999999999999, -10000000000000000000,
               18446744073709551615, 18446744073709551616, 99999999999999999999]
    doc = "[" + ",".join(str(v) for v in values) + "]"
    got = jcodec.loads(doc)
    assert got == values
    assert all(type(g) is int for g in got)
    for v in values:
        g = jcodec.loads(str(v))
        assert type(g) is int and g == v, v
        assert jcodec.loads(str(v).encode()) == v


def test_integers_19_and_20_digits():
    rng = random.Random(0x5EED6)
    values = []
    for n in range(1, 45):
        for _ in range(200):
            v = rng.randint(10 ** (n - 1), 10**n - 1)
            values += [v, -v]
    got = jcodec.loads(("[" + ",".join(map(str, values)) + "]").encode())
    assert got == values and all(type(g) is int for g in got)


def test_minus_zero_int():
    for doc in ("-0", b"-0", "[-0]"):
        v = jcodec.loads(doc)
        v = v[0] if isinstance(v, list) else v
        assert type(v) is int and v == 0


def test_random_big_integers():
    rng = random.Random(0x5EED7)
    values = [rng.randint(-(10**n), 10**n) for n in rng.choices(range(20, 4300), k=300)]
    assert jcodec.loads("[" + ",".join(map(str, values)) + "]") == values


def _digit_error(doc, pos, digits, limit):
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc)
    e = info.value
    assert e.msg == (f"integer literal has {digits} digits, over the limit of {limit} "
                     "set by sys.set_int_max_str_digits()"), e.msg
    assert e.pos == pos


def test_int_digit_limit_default(int_digits_limit):
    int_digits_limit(4300)  # CPython's default
    ok = "8" * 4300
    assert jcodec.loads(ok) == int(ok)
    assert jcodec.loads("-" + ok) == -int(ok)
    _digit_error("9" * 4301, 0, 4301, 4300)
    _digit_error(b"-" + b"9" * 4301, 0, 4301, 4300)
    _digit_error('{"a": [1, ' + "1" * 5000 + "]}", 10, 5000, 4300)
    # floats have no digit limit
    assert jcodec.loads("1" * 4301 + "e-4300") == float("1" * 4301 + "e-4300")
    assert jcodec.loads("0." + "1" * 10000) == float("0." + "1" * 10000)


@pytest.mark.parametrize("limit", [640, 1000, 5000])
def test_int_digit_limit_set(int_digits_limit, limit):
    int_digits_limit(limit)
    assert jcodec.loads("7" * limit) == int("7" * limit)
    assert jcodec.loads("-" + "7" * limit) == -int("7" * limit)
    _digit_error("7" * (limit + 1), 0, limit + 1, limit)
    _digit_error(" [-" + "7" * (limit + 1) + "]", 2, limit + 1, limit)


def test_int_digit_limit_disabled(int_digits_limit):
    int_digits_limit(0)
    text = "12345678" * 12500  # 100,000 digits
    assert jcodec.loads(text) == int(text)
    assert jcodec.loads("[-" + text + "]") == [-int(text)]


def test_int_digit_limit_restored():
    # the fixture (conftest.py) restored the interpreter's limit after the tests above
    limit = sys.get_int_max_str_digits()
    assert limit == ORIGINAL_INT_DIGITS_LIMIT
    if limit:
        _digit_error("1" * (limit + 1), 0, limit + 1, limit)


def test_digit_runs_end_at_every_offset():
    """Digits are read eight at a time and the last three to seven from the
    same eight bytes (one or two one at a time), when eight bytes are
    readable: a run of every length, in every part of a number, ended by
    every kind of byte, with the data going on (so the eight-byte reads are
    taken) or ending there, is what json reads."""
    rng = random.Random(0xD161)
    followers = [b",1]", b"]", b" ]", b"\n]", b"}", b":", b"/", b"\xfa", b"\xff", b"a", b"0"]
    for n in range(1, 25):
        run = "".join(rng.choice("0123456789") for _ in range(n))
        lead = "1" + run[1:]  # no leading zero
        for literal in (lead, "-" + lead, lead + ".5", "0." + run, "1." + run + "e5",
                        "2e-" + run[:3], "3.5E+" + run[:2]):
            value = jcodec.loads(literal.encode())
            assert value == float(literal) if not literal.lstrip("-").isdigit() else value == int(literal)
            for follower in followers:
                for padding in (b"", b" " * 16):
                    doc = b"[" + literal.encode() + follower + padding
                    try:
                        want = json.loads(doc)
                    except ValueError:
                        with pytest.raises(jcodec.JSONDecodeError):
                            jcodec.loads(doc)
                    else:
                        assert jcodec.loads(doc) == want, doc
