"""jcodec.dumps of numpy arrays and scalars with OPT_SERIALIZE_NUMPY: every
dtype of README's table, every dimension 0..4 and empty ones, float32 and
float16 as the shortest float32, datetime64 of units Y..ns as naive UTC
datetimes (the datetime options apply); what goes to default (not
C-contiguous, 0-dimensional, another dtype or unit, ndarray subclasses, any
numpy value without the option) and what is refused (non-native byte order,
NaT, years outside 1..9999, numpy scalars as OPT_NON_STR_KEYS keys). jcodec
never imports numpy itself (a child interpreter shows it).

Against reference.expected (tolist(), with the float32 rule worked out
exactly), literal bytes, and orjson 3.8.3 where it writes the same (integer,
bool and float64 arrays of numbers repr and Ryu write alike).
"""
import itertools
import math
import os
import random
import struct
import warnings

import pytest

import jcodec
import reference
from support import assert_reference, run_child, scaled_examples

np = pytest.importorskip("numpy", reason="numpy (Debian's python3-numpy) is not installed")
pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import _types_strategies as T  # noqa: E402

NUMPY = jcodec.OPT_SERIALIZE_NUMPY
NSK = jcodec.OPT_NON_STR_KEYS
NUMERIC = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint64", "uint32", "uint16",
           "uint8", "bool"]
UNITS = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns"]


def dumps(value, option=NUMPY, default=None):
    return jcodec.dumps(value, default, option)


def refused(value, message, option=NUMPY, default=None):
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(value, default, option)
    assert str(info.value) == message
    return info.value


def orjson_same(value, option=NUMPY, default=None):
    orjson = pytest.importorskip("orjson", reason="orjson 3.8.3 is not installed: no side-by-side check")
    assert orjson.dumps(value, default, option) == jcodec.dumps(value, default, option)


def sample(dtype, shape, seed=0):
    """An array of dtype and shape with values across the dtype's range."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    size = math.prod(shape)
    if dtype.kind == "b":
        flat = rng.integers(0, 2, size).astype(bool)
    elif dtype.kind in "iu":
        info = np.iinfo(dtype)
        flat = rng.integers(info.min, info.max, size, dtype=dtype, endpoint=True)
        flat[: min(size, 2)] = [info.min, info.max][: min(size, 2)]
    elif dtype.kind == "f":
        flat = (rng.standard_normal(size) * 10.0 ** rng.integers(-5, 5, size)).astype(dtype)
    else:  # seconds within 1906..2033, in the dtype's unit
        flat = rng.integers(-(2**31), 2**31, size).astype("datetime64[s]").astype(dtype)
    return flat.reshape(shape)


SHAPES = [(0,), (1,), (5,), (2, 3), (3, 0), (0, 3), (2, 1, 2), (2, 2, 0), (1, 2, 3, 2), (2, 0, 2, 2)]


# =============================================================================
# Arrays: every dtype, every dimension


@pytest.mark.parametrize("dtype", NUMERIC + ["datetime64[%s]" % u for u in UNITS])
def test_every_dtype_and_dimension(dtype):
    for shape in SHAPES:
        array = sample(dtype, shape)
        out = assert_reference(array, NUMPY)
        assert isinstance(out, bytes), out
        if np.dtype(dtype).kind in "iub" or dtype == "float64":
            assert out == jcodec.dumps(reference_tolist(array)), shape
    assert_reference(sample(dtype, (2, 3)), NUMPY | jcodec.OPT_INDENT_2)


def reference_tolist(array):
    """tolist() with NaN and infinities as None (for the dtypes whose values
    json writes as dumps does)."""
    return [reference_tolist(a) for a in array] if array.ndim > 1 else [
        None if isinstance(v, float) and not math.isfinite(v) else v for v in array.tolist()]


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint64", "uint32", "uint16", "uint8", "bool"])
def test_integer_arrays_as_orjson(dtype):
    for shape in SHAPES:
        orjson_same(sample(dtype, shape))


def test_documented_shapes():
    assert dumps(np.arange(6, dtype=np.int32).reshape(2, 3)) == b"[[0,1,2],[3,4,5]]"
    assert dumps(np.zeros((2, 0))) == b"[[],[]]"
    assert dumps(np.zeros((0, 3))) == b"[]"
    assert dumps(np.array([True, False])) == b"[true,false]"
    assert dumps(np.array([-128, 127], dtype=np.int8)) == b"[-128,127]"
    assert dumps(np.array([2**64 - 1], dtype=np.uint64)) == b"[18446744073709551615]"
    assert dumps(np.array([np.nan, np.inf, -np.inf, -0.0])) == b"[null,null,null,-0.0]"
    assert dumps(np.arange(4, dtype=np.int8).reshape(2, 2), NUMPY | jcodec.OPT_INDENT_2) == (
        b"[\n  [\n    0,\n    1\n  ],\n  [\n    2,\n    3\n  ]\n]")
    assert dumps(np.ones((1, 1, 1, 1), dtype=np.uint8)) == b"[[[[1]]]]"


def test_large_float64_array():
    array = np.random.default_rng(3).standard_normal((1000, 100))
    assert dumps(array) == jcodec.dumps(array.tolist())
    assert_reference(array, NUMPY)


def test_float64_repr_not_ryu():
    """Floats as repr writes them, in arrays too (differences.py: float_repr)."""
    array = np.array([1e16, 1e-7, 1.5e300, 0.1])
    assert dumps(array) == b"[1e+16,1e-07,1.5e+300,0.1]"


# =============================================================================
# float32 and float16


def test_float32_documented():
    assert dumps(np.float32(1.1)) == b"1.1"
    assert dumps(np.array([1.1, 3.4e38], dtype=np.float32)) == b"[1.1,3.4e+38]"
    specials = np.array([0.0, -0.0, 1e-45, 1.4e-45, 1.1754944e-38, 3.4028235e38, 16777216.0, 16777217.0, 1e16,
                         0.1, 0.3, 2097152.25, np.nan, np.inf, -np.inf, 1e-5, 1e-4, 123456789.0], dtype=np.float32)
    assert dumps(specials) == (b"[0.0,-0.0,1e-45,1e-45,1.1754944e-38,3.4028235e+38,16777216.0,16777216.0,1e+16,"
                               b"0.1,0.3,2097152.2,null,null,null,1e-05,0.0001,123456790.0]")
    assert_reference(specials, NUMPY)


def test_float16_widened_exactly():
    halves = np.array([0.1, 65504, 6e-8, 1.1, -2.5, np.inf, 0.0, 0.333], dtype=np.float16)
    assert dumps(halves) == b"[0.099975586,65504.0,5.9604645e-08,1.0996094,-2.5,null,0.0,0.3330078]"
    assert_reference(halves, NUMPY)
    # Every float16 against jcodec's own float32 path (widened exactly: the
    # same text), and every 7th one, the subnormals and the largest against
    # the reference (its exact rule costs ~80 us a value).
    every = np.arange(2**16, dtype=np.uint16).view(np.float16)
    assert dumps(every) == dumps(every.astype(np.float32))
    some = np.concatenate([every[::7], every[:1024], every[0x7BF0:0x7C01]])
    assert_reference(some, NUMPY)


def float32_from_bits(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def test_float32_bit_patterns():
    """Powers of two and their neighbours, and random bit patterns."""
    rng = random.Random(12)
    patterns = [rng.getrandbits(32) for _ in range(4000)]
    for exponent in range(255):
        base = exponent << 23
        patterns += [base, base + 1, base - 1 if base else 0, base | 0x7FFFFF]
    values = np.array(patterns, dtype=np.uint32).view(np.float32)
    assert_reference(values, NUMPY)
    out = dumps(values).decode()[1:-1].split(",")
    for text, value in zip(out, values.tolist()):
        if text != "null":
            assert np.float32(float(text)) == np.float32(value) or (value == 0 and float(text) == 0), (text, value)


def test_float32_reference_is_shortest():
    """The reference's rule against repr(), on doubles (the same algorithm
    with the double's neighbours gives repr's digits)."""
    rng = random.Random(5)
    doubles = [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(63)))[0] for _ in range(3000)]
    doubles += [2.0**e for e in range(-1074, 1024, 7)] + [5e-324, 1.7976931348623157e308, 0.1, 1e23, 9007199254740993.0]
    for x in doubles:
        if not math.isfinite(x) or x == 0:
            continue
        bits = struct.unpack("<Q", struct.pack("<d", x))[0]
        top = math.nextafter(x, math.inf) if bits != 0x7FEFFFFFFFFFFFFF else 2**1024
        digits, exponent = reference.shortest_digits(x, math.nextafter(x, 0), top, bits % 2 == 0)
        assert reference.repr_layout(False, digits, exponent) == repr(x)


# =============================================================================
# datetime64


def test_datetime64_every_unit():
    for unit in UNITS:
        value = np.datetime64("2001-02-03T04:05:06.789012345", "ns").astype("datetime64[%s]" % unit)
        want = {"Y": "2001-01-01T00:00:00", "M": "2001-02-01T00:00:00", "W": "2001-02-01T00:00:00",
                "D": "2001-02-03T00:00:00", "h": "2001-02-03T04:00:00", "m": "2001-02-03T04:05:00",
                "s": "2001-02-03T04:05:06", "ms": "2001-02-03T04:05:06.789000", "us": "2001-02-03T04:05:06.789012",
                "ns": "2001-02-03T04:05:06.789012"}[unit]
        assert dumps(value) == b'"%s"' % want.encode(), unit
        assert dumps(np.array([value])) == b'["%s"]' % want.encode(), unit
        assert_reference([value, np.array([value, value])], NUMPY)


def test_datetime64_options():
    value = np.array(["2000-01-01T00:00:00.5", "1969-12-31T23:59:59"], dtype="datetime64[ms]")
    assert dumps(value) == b'["2000-01-01T00:00:00.500000","1969-12-31T23:59:59"]'
    assert dumps(value, NUMPY | jcodec.OPT_NAIVE_UTC) == (
        b'["2000-01-01T00:00:00.500000+00:00","1969-12-31T23:59:59+00:00"]')
    assert dumps(value, NUMPY | jcodec.OPT_NAIVE_UTC | jcodec.OPT_UTC_Z | jcodec.OPT_OMIT_MICROSECONDS) == (
        b'["2000-01-01T00:00:00Z","1969-12-31T23:59:59Z"]')
    for option in range(0, 1 << 12, 3):
        assert_reference([value, value[0]], option | NUMPY, default=repr)


def test_datetime64_range():
    # Years 1 and 9999 are the ends, in every unit that reaches them.
    ends = {"Y": (-1969, 8029), "D": (-719162, 2932896), "s": (-62135596800, 253402300799)}
    for unit, (low, high) in ends.items():
        assert_reference(np.array([low, high], dtype="datetime64[%s]" % unit), NUMPY)
        for outside in (low - 1, high + 1):
            error = refused(np.array([0, outside], dtype="datetime64[%s]" % unit),
                            "unrepresentable numpy.datetime64: %d %s at $[1]" % (
                                outside, {"Y": "years", "D": "days", "s": "seconds"}[unit]))
            assert error.__cause__ is None
    # Nanoseconds before the epoch floor to the microsecond.
    assert dumps(np.array([-1, -1000, -1001], dtype="datetime64[ns]")) == (
        b'["1969-12-31T23:59:59.999999","1969-12-31T23:59:59.999999","1969-12-31T23:59:59.999998"]')


def test_nat_is_refused():
    refused(np.array(["NaT"], dtype="datetime64[s]"), "unrepresentable numpy.datetime64: -9223372036854775808 seconds at $[0]")
    with pytest.raises(jcodec.JSONEncodeError, match="^unrepresentable numpy.datetime64"):
        dumps(np.datetime64("NaT", "D"), default=lambda o: "D")


@pytest.mark.parametrize("dtype", ["datetime64[ps]", "datetime64[fs]", "datetime64[as]", "datetime64[10s]",
                                   "datetime64[2D]", "datetime64"])
def test_unsupported_datetime64_units_go_to_default(dtype):
    array = np.array(["NaT", "NaT"], dtype=dtype)
    for value in (array, array[0]):
        assert dumps([value], default=lambda o: "D") == b'["D"]'
        with pytest.raises(jcodec.JSONEncodeError, match=r"^unsupported numpy.datetime64 unit: .* at \$\[0\]$"):
            dumps([value])
        assert_reference([value])


@pytest.mark.parametrize("dtype,unit", [("datetime64[10s]", "10s"), ("datetime64[2D]", "2D"),
                                        ("datetime64[25ms]", "25ms"), ("datetime64[ps]", "picoseconds"),
                                        ("datetime64", "generic")])
def test_unit_with_a_count_is_named(dtype, unit):
    """A unit with a count is named as numpy writes it (it was called
    "generic"); the others as orjson names them."""
    array = np.array(["NaT"], dtype=dtype)
    for value in (array, array[0]):
        with pytest.raises(jcodec.JSONEncodeError) as info:
            dumps([value])
        assert str(info.value) == "unsupported numpy.datetime64 unit: %s at $[0]" % unit


# =============================================================================
# What goes to default, what is refused


UNSUPPORTED_DTYPES = {
    "object": np.array([1, None], dtype=object), "complex": np.array([1j]), "str": np.array(["a"]),
    "bytes": np.array([b"a"]), "void": np.zeros(2, dtype="V4"),
    "float128": np.zeros(2, dtype=np.longdouble), "timedelta64": np.array([1], dtype="timedelta64[s]"),
    "zero_dimensional": np.array(1.5), "zero_dimensional_int": np.array(3, dtype=np.int8),
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED_DTYPES))
def test_unsupported_dtypes_go_to_default(name):
    array = UNSUPPORTED_DTYPES[name]
    assert dumps({"a": array}, default=lambda o: "D") == b'{"a":"D"}'
    refused({"a": array}, "unsupported datatype in numpy array at $.a")
    assert_reference({"a": array})
    assert_reference({"a": array}, default=lambda o: "D")


NOT_CONTIGUOUS = {
    "step": np.arange(6)[::2], "reversed": np.arange(6)[::-1], "transposed": np.arange(6).reshape(2, 3).T,
    "fortran": np.asfortranarray(np.zeros((2, 3))), "column": np.arange(6).reshape(2, 3)[:, 1],
    "object_step": np.array([1, None, 3, 4], dtype=object)[::2],
    "big_endian_step": np.arange(6, dtype=">f8")[::2],
    # A structured array reads as not C-contiguous (its array interface has a
    # descr; orjson 3.8.3 says the same).
    "structured": np.zeros(2, dtype=[("a", "i4")]),
}


@pytest.mark.parametrize("name", sorted(NOT_CONTIGUOUS))
def test_not_c_contiguous_goes_to_default(name):
    array = NOT_CONTIGUOUS[name]
    assert not array.flags["C_CONTIGUOUS"] or name == "structured"
    assert dumps([array], default=lambda o: o.tolist()) == jcodec.dumps([array.tolist()])
    refused([array], "numpy array is not C contiguous; use ndarray.tolist() in default at $[0]")
    assert_reference([array])


def test_contiguous_views_are_written():
    base = np.arange(12).reshape(3, 4)
    for view in (base[1:], base[::1], base[1], np.asfortranarray(np.zeros((1, 3))), base.reshape(-1)[2:5]):
        assert view.flags["C_CONTIGUOUS"]
        assert dumps(view) == jcodec.dumps(view.tolist())


@pytest.mark.parametrize("dtype", [">f8", ">i4", ">u2", ">f4", ">M8[s]", ">c16"])
def test_non_native_byte_order_is_refused(dtype):
    """Refused even with a default (a byte-swapped copy is the caller's to
    make); orjson 3.8.3 writes the bytes as if they were native."""
    array = np.zeros(3, dtype=dtype)
    for default in (None, lambda o: "D"):
        refused([array], "numpy array is not native-endian at $[0]", default=default)
    assert_reference([array])
    assert_reference([array], default=lambda o: "D")


def test_subclasses_go_to_default():
    class MyArray(np.ndarray):
        pass

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)  # numpy.matrix
        matrix = np.matrix([[1, 2]])
    values = [matrix, np.ma.array([1, 2]), np.arange(3).view(MyArray), np.recarray((1,), dtype=[("a", "i4")])]
    for value in values:
        with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: %s$" % type(value).__name__):
            dumps(value)
        assert dumps(value, default=lambda o: type(o).__name__) == b'"%s"' % type(value).__name__.encode()
        assert_reference([value], NUMPY, default=lambda o: type(o).__name__)


def test_depth_counts_each_dimension():
    nested = [np.zeros((1, 1))]
    for _ in range(251):
        nested = [nested]
    assert dumps(nested) == b"[" * 254 + b"0.0" + b"]" * 254
    with pytest.raises(jcodec.JSONEncodeError, match="^maximum nesting depth of 254 exceeded at "):
        dumps([nested])
    assert_reference([nested], NUMPY)


# =============================================================================
# Scalars


SCALARS = [np.float64(1.5), np.float64(-0.0), np.float64(np.nan), np.float32(0.1), np.float32(-3.4e38),
           np.float16(0.1), np.float16(-np.inf), np.int64(-(2**63)), np.int32(2**31 - 1), np.int16(-5), np.int8(-128),
           np.uint64(2**64 - 1), np.uint32(2**32 - 1), np.uint16(7), np.uint8(255), np.bool_(True), np.bool_(False),
           np.datetime64("2000-01-02T03:04:05.678", "ms"), np.datetime64("1970-01-01", "Y")]


def test_scalars():
    assert dumps(SCALARS) == (b'[1.5,-0.0,null,0.1,-3.4e+38,0.099975586,null,-9223372036854775808,2147483647,-5,'
                              b'-128,18446744073709551615,4294967295,7,255,true,false,"2000-01-02T03:04:05.678000",'
                              b'"1970-01-01T00:00:00"]')
    for option in (NUMPY, NUMPY | jcodec.OPT_INDENT_2 | jcodec.OPT_NAIVE_UTC):
        assert_reference(SCALARS, option)


def test_scalars_of_other_types_go_to_default():
    others = [np.longlong(1), np.ulonglong(2), np.longdouble(1.5), np.complex64(1j), np.timedelta64(1, "s"),
              np.str_("s"), np.bytes_(b"b"), np.void(b"\x00")]
    # np.str_ and np.bytes_ are str and bytes subclasses: np.str_ is written as a str.
    for value in others:
        assert_reference([value], NUMPY, default=lambda o: "D")
    assert dumps([np.longlong(1)], default=lambda o: int(o)) == b"[1]"
    with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: longlong$"):
        dumps(np.longlong(1))


def test_without_the_option_numpy_goes_to_default():
    values = [np.zeros(2), np.float64(1.5), np.int64(1), np.bool_(True), np.datetime64("2000-01-01")]
    for value in values:
        with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: "):
            jcodec.dumps(value)
    assert jcodec.dumps(values, default=lambda o: "D") == b'["D","D","D","D","D"]'
    assert_reference(values, 0, default=lambda o: "D")
    orjson_same(values, 0, default=lambda o: "D")


@pytest.mark.parametrize("key", [np.int64(1), np.int32(1), np.uint8(1), np.bool_(True), np.datetime64("2000-01-01"),
                                 np.float32(1.5), np.float16(1.5)], ids=lambda k: type(k).__name__)
def test_numpy_scalar_keys_are_refused(key):
    for option in (NSK, NSK | NUMPY, NSK | NUMPY | jcodec.OPT_SORT_KEYS):
        with pytest.raises(jcodec.JSONEncodeError) as info:
            jcodec.dumps({key: 1}, option=option)
        assert str(info.value).startswith("Dict key must be a type serializable with OPT_NON_STR_KEYS, not %s"
                                          % type(key).__name__)
    assert_reference({key: 1}, NSK | NUMPY)


@pytest.mark.parametrize("key", [np.float64(1.5), "float_subclass"], ids=["float64", "float_subclass"])
def test_float_subclass_keys_are_refused(key):
    """Only exact floats are keys (orjson): a float subclass, numpy.float64
    among them, is refused as the other numpy scalars are."""
    if key == "float_subclass":
        key = type("FloatSub", (float,), {})(1.5)
    for option in (NSK, NSK | NUMPY, NSK | NUMPY | jcodec.OPT_SORT_KEYS):
        with pytest.raises(jcodec.JSONEncodeError) as info:
            jcodec.dumps({key: 1}, option=option)
        assert str(info.value) == ("Dict key must be a type serializable with OPT_NON_STR_KEYS, not %s at $[%r]"
                                   % (type(key).__name__, key)), option
    assert_reference({key: 1}, NSK | NUMPY)
    # An exact float with the same value is a key.
    assert jcodec.dumps({float(key): 1}, option=NSK) == b'{"1.5":1}'


def test_str_subclass_key_is_a_key():
    assert jcodec.dumps({np.str_("k"): 1}, option=NSK) == b'{"k":1}'


# =============================================================================
# numpy is never imported by jcodec


def test_jcodec_does_not_import_numpy():
    code = """
        import sys, datetime, dataclasses, uuid, enum, jcodec
        numpy_dir = sys.argv[1]
        assert "numpy" not in sys.modules
        class Odd: pass
        @dataclasses.dataclass
        class D:
            a: int = 1
        everything = [1.5, "s", {"k": [None]}, datetime.datetime(2000, 1, 1), D(), uuid.UUID(int=1),
                      enum.Enum("E", "A").A, jcodec.Fragment(b"1"), Odd()]
        for option in (0, jcodec.OPT_SERIALIZE_NUMPY, jcodec.OPT_SERIALIZE_NUMPY | jcodec.OPT_NON_STR_KEYS):
            jcodec.dumps(everything, default=lambda o: "odd", option=option)
            jcodec.dumps({1: 2, datetime.date(2000, 1, 1): 3}, option=option | jcodec.OPT_NON_STR_KEYS)
            try:
                jcodec.dumps(Odd(), option=option)
            except jcodec.JSONEncodeError as e:
                assert "Odd" in str(e)
        jcodec.loads(b'[1, "x", {"a": 2.5}]')
        assert "numpy" not in sys.modules, "jcodec imported numpy"
        # Loaded later, numpy's types are found from then on.
        sys.path.append(numpy_dir)
        import numpy
        print(jcodec.dumps([numpy.arange(3), numpy.float32(1.1)], option=jcodec.OPT_SERIALIZE_NUMPY).decode())
    """
    proc = run_child(code, argv=[os.path.dirname(os.path.dirname(np.__file__))])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[[0,1,2],1.1]"


def test_reference_does_not_import_numpy():
    code = """
        import sys
        sys.path.insert(0, sys.argv[1])
        import reference
        assert reference.expected([1, {"a": 2.5}], reference.OPT_SERIALIZE_NUMPY) == b'[1,{"a":2.5}]'
        for name in ("numpy", "pytest", "hypothesis"):
            assert name not in sys.modules, name
        print("ok")
    """
    proc = run_child(code, argv=[str(reference.__file__).rsplit("/", 1)[0]])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


# =============================================================================
# Generated


@settings(max_examples=scaled_examples(200))
@given(array=T.NUMPY_ARRAYS, option=T.OPTIONS)
def test_generated_arrays(array, option):
    assert_reference(array, option | NUMPY, default=repr)


@settings(max_examples=scaled_examples(150))
@given(values=st.lists(T.NUMPY_SCALARS, max_size=6), option=T.OPTIONS)
def test_generated_scalars(values, option):
    assert_reference(values, option | NUMPY)
    assert_reference(values, option & ~NUMPY, default=repr)


def test_every_dtype_combination_of_dimensions():
    """0..4 dimensions of sides 0..2, every numeric dtype."""
    for dtype in NUMERIC:
        for ndim in range(5):
            for shape in itertools.product(range(3), repeat=ndim):
                array = sample(dtype, shape or (), seed=ndim)
                assert_reference(array, NUMPY)
                if ndim == 0:
                    assert dumps(array, default=lambda o: "D") == b'"D"'
