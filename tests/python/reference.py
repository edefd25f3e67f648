"""The reference encoder: what jcodec.dumps must return, worked out in Python
from the standard library's own facts (and numpy's, when numpy is loaded),
not from jcodec's code. The oracle of the dumps tests and of the fuzz target
fuzz_dumps.

    expected(obj, option=0, default=None) -> bytes
        exactly what jcodec.dumps(obj, default, option) must return; raises
        Refused where dumps must raise JSONEncodeError. MemoryError,
        RecursionError and exceptions that are not Exceptions
        (KeyboardInterrupt, SystemExit) raised by `default` propagate as
        they are, as they do from dumps.
    Refused(reason, path)
        .reason: what is refused (jcodec's message starts the same way for
        the reasons listed in REASONS); .path: the steps from the root to the
        refused value (dict keys as they are, list indices as ints, dataclass
        field names); __cause__ set when default (or a zone, a property...)
        raised.
    float32_repr(x) -> str
        the shortest decimal that reads back as the float32 x, in repr's
        layout (numpy.float32(1.1) -> "1.1", 3.4e38 -> "3.4e+38").
    shortest_digits(x, prev, next, even) -> (digits, exponent)
        the rule float32_repr applies, for any binary format given x's
        neighbours (the tests check it against repr() on doubles).

Needs neither pytest nor hypothesis nor jcodec (jcodec.Fragment is found in
sys.modules), and imports numpy only when numpy is already in sys.modules: the
fuzz harness imports this module inside an embedded interpreter.

The rules, one per type (README "dumps", "Types" and "Options"):

* str, int, float, bool, None, list, tuple, dict as
  json.dumps(obj, ensure_ascii=False, separators=(",", ":")) writes them
  (json's own string escaper, float.__repr__, int.__repr__); indent=2 and
  sort_keys=True for OPT_INDENT_2 and OPT_SORT_KEYS; NaN and infinities as
  null; a str holding a surrogate, an int beyond
  sys.get_int_max_str_digits() and, with OPT_STRICT_INTEGER, an int beyond
  +-(2**53 - 1) refused. Subclasses of str, int, dict and list as their base
  type (the base type's own data: str.__str__, int.__int__, dict.items,
  list iteration), unless OPT_PASSTHROUGH_SUBCLASS. Containers nest at most
  254 deep (an empty one counts; so do dataclasses and each dimension of a
  numpy array); default calls nest at most 254 deep.
* datetime.datetime, date, time (exact types; OPT_PASSTHROUGH_DATETIME sends
  them to default): isoformat() without its offset, microseconds left out by
  OPT_OMIT_MICROSECONDS; the offset from datetime.utcoffset() (which
  validates it), after tzinfo.normalize(dt) for pytz-style zones (a zone
  class with `normalize` and without pendulum's `convert`, as orjson),
  written as orjson writes it: whole seconds (days * 86400 + seconds of the
  timedelta; its microseconds dropped), "+00:00" (or "Z" with OPT_UTC_Z) when
  they are 0, else the sign and the magnitude rounded to the nearest minute
  (half a minute up), "+HH:MM". A naive datetime gets "+00:00"/"Z" with
  OPT_NAIVE_UTC; a utcoffset() of None writes no offset (as isoformat()).
  A time with a tzinfo is refused; so is a utcoffset() that raises.
* uuid.UUID (exact type): str(uuid); an `int` slot that is not an int within
  128 bits is refused.
* enum.Enum members: .value, written with the same options.
* dataclasses (a class with __dataclass_fields__ in its own __dict__, as
  orjson: an undecorated subclass goes to default; OPT_PASSTHROUGH_DATACLASS
  sends them all there): a map of dataclasses.fields() (so no ClassVar or
  InitVar) in definition order, names starting with "_" left out, each value
  getattr(obj, name); a field that cannot be read is refused.
* numpy, with OPT_SERIALIZE_NUMPY: ndarray (exact type) through tolist(),
  scalars of the exact types float64...bool_ and datetime64. float32 and
  float16 (widened exactly to float32) as float32_repr; datetime64 of units
  Y, M, W, D, h, m, s, ms, us, ns (a unit count of 1) as naive datetimes in
  UTC (ns floored to the microsecond), NaT and years outside 1..9999
  refused. Checks in order: an array that is not C-contiguous goes to
  default, one not in native byte order is refused, a 0-dimensional array, or
  another dtype or unit, goes to default.
* jcodec.Fragment: its contents verbatim (bytes as they are, a str as UTF-8,
  a surrogate refused, anything else refused).
* anything else: default(obj) when given (its result written in its place),
  else refused.
* OPT_NON_STR_KEYS: keys may be str, str subclasses (their text), bool
  ("true"/"false"), None ("null"), int and int subclasses (decimal, digit
  limit applies; OPT_STRICT_INTEGER does not), exact floats (repr, non-finite
  "null"), datetime/date/time (their text with the datetime options, also
  under OPT_PASSTHROUGH_DATETIME), UUID (its text) and enum members (their
  value, converted as a key); anything else (float subclasses such as
  numpy.float64 included, as orjson) is refused. OPT_SORT_KEYS sorts by the
  key's text, equal texts in insertion order. Without the option a key must
  be an exact str.
* OPT_APPEND_NEWLINE: a final b"\\n". `option` must be None or an exact int of
  orjson's 12 bits, and `default` None or a callable ("Invalid opts",
  "default must be callable", whether or not anything needs it).
"""
import datetime
import json.encoder
import math
import struct
import sys
from fractions import Fraction

__all__ = ["Refused", "expected", "float32_repr", "shortest_digits", "REASONS"]

# orjson's option bits (jcodec's are the same; this module does not import jcodec).
OPT_INDENT_2 = 1
OPT_NAIVE_UTC = 2
OPT_NON_STR_KEYS = 4
OPT_OMIT_MICROSECONDS = 8
OPT_SERIALIZE_NUMPY = 16
OPT_SORT_KEYS = 32
OPT_STRICT_INTEGER = 64
OPT_UTC_Z = 128
OPT_PASSTHROUGH_SUBCLASS = 256
OPT_PASSTHROUGH_DATETIME = 512
OPT_APPEND_NEWLINE = 1024
OPT_PASSTHROUGH_DATACLASS = 2048
OPTION_BITS = (1 << 12) - 1

MAX_DEPTH = 254          # containers
MAX_DEFAULT_DEPTH = 254  # nested default calls
STRICT_INTEGER_MAX = 2**53 - 1

# The reasons, as jcodec's messages begin (the type name, when there is one,
# follows the colon).
INVALID_OPTS = "Invalid opts"
DEFAULT_NOT_CALLABLE = "default must be callable"
UNSUPPORTED = "Type is not JSON serializable"
DEFAULT_DEPTH = "default serializer exceeds recursion limit"
ENUM_DEPTH = "enum member values nested deeper than 254"  # a chain of members' values (one hop counts as a default call)
DEPTH = "maximum nesting depth of 254 exceeded"
KEY_NOT_STR = "Dict key must be str"
KEY_TYPE = "Dict key must be a type serializable with OPT_NON_STR_KEYS"
SURROGATE = "str is not valid UTF-8: surrogates not allowed"
STRICT = "Integer exceeds 53-bit range"
DIGITS = "Integer exceeds the limit for integer string conversion"
TIME_TZINFO = "datetime.time must not have tzinfo set"
UTCOFFSET = "datetime's "  # utcoffset() raised, returned no timedelta, or one out of range
UUID_INT = "UUID int is not"
DATACLASS_FIELD = "dataclass field cannot be read"
FRAGMENT_TYPE = "Fragment contents must be bytes or str"
FRAGMENT_SURROGATE = "Fragment str is not valid UTF-8"
NUMPY_ENDIAN = "numpy array is not native-endian"
NUMPY_DATETIME = "unrepresentable numpy.datetime64"
# numpy values that go to default, when there is none:
NUMPY_LAYOUT = "numpy array is not C contiguous"
NUMPY_DTYPE = "unsupported datatype in numpy array"  # also a 0-dimensional array
NUMPY_UNIT = "unsupported numpy.datetime64 unit"
REASONS = (INVALID_OPTS, DEFAULT_NOT_CALLABLE, UNSUPPORTED, DEFAULT_DEPTH, ENUM_DEPTH, DEPTH, KEY_NOT_STR, KEY_TYPE,
           SURROGATE, STRICT, DIGITS, TIME_TZINFO, UTCOFFSET, UUID_INT, DATACLASS_FIELD, FRAGMENT_TYPE,
           FRAGMENT_SURROGATE, NUMPY_ENDIAN, NUMPY_DATETIME, NUMPY_LAYOUT, NUMPY_DTYPE, NUMPY_UNIT)


class Refused(Exception):
    """jcodec.dumps must raise JSONEncodeError for this object."""

    def __init__(self, reason, path=()):
        super().__init__(reason)
        self.reason = reason
        self.path = list(path)

    def __str__(self):
        return self.reason + (" at %r" % (self.path,) if self.path else "")


# json's own escaper for ensure_ascii=False (the C one when built).
_escape = json.encoder.encode_basestring


# =============================================================================
# Shortest float32 decimals


def _f32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def _f32_from_bits(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _decimal_exponent(value):
    """floor(log10(value)) for a positive Fraction, exactly."""
    k = math.floor(math.log10(value.numerator) - math.log10(value.denominator))
    while Fraction(10) ** k > value:
        k -= 1
    while Fraction(10) ** (k + 1) <= value:
        k += 1
    return k


def shortest_digits(x, prev, nxt, even, max_digits=17):
    """The shortest decimal (digits, exponent: value = 0.d1d2... * 10**(exponent + 1),
    i.e. d1.d2... * 10**exponent) that reads back as x, for x > 0 with the
    neighbours prev and nxt in its binary format (nxt may be the power of two
    just past the largest finite value) and `even`, whether x's significand
    is even. Reading back rounds to nearest, ties to the even significand: the
    midpoints belong to x when its significand is even. Among the shortest decimals the one nearest x wins, a tie to the
    even last digit (as repr and the shortest printers do)."""
    X, P, N = Fraction(x), Fraction(prev), Fraction(nxt)
    low, high = (P + X) / 2, (X + N) / 2
    inclusive = even

    def reads_back(c):
        return (low <= c <= high) if inclusive else (low < c < high)

    k = _decimal_exponent(X)
    for p in range(1, max_digits + 1):
        unit = Fraction(10) ** (k - p + 1)
        q = X / unit
        lo = q.numerator // q.denominator
        best = None
        for d in ((lo,) if q == lo else (lo, lo + 1)):
            c = d * unit
            if not reads_back(c):
                continue
            dist = abs(c - X)
            if best is None or dist < best[0] or (dist == best[0] and d % 2 == 0):
                best = (dist, d)
        if best is not None:
            digits = str(best[1])
            exponent = k
            if len(digits) > p:  # lo + 1 reached 10**p
                exponent += 1
            return digits.rstrip("0") or "0", exponent
    raise AssertionError("no decimal of %d digits reads back as %r" % (max_digits, x))


def repr_layout(negative, digits, exponent):
    """digits (no trailing zeros) * 10**(exponent - len + 1), laid out as
    float.__repr__ lays out its shortest digits: positional when
    -4 <= exponent < 16 (with ".0" when there is no fraction), else
    "d.ddde+XX" with at least two exponent digits."""
    sign = "-" if negative else ""
    if -4 <= exponent < 16:
        point = exponent + 1
        if point <= 0:
            text = "0." + "0" * -point + digits
        elif point >= len(digits):
            text = digits + "0" * (point - len(digits)) + ".0"
        else:
            text = digits[:point] + "." + digits[point:]
    else:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        text = "%se%s%02d" % (mantissa, "-" if exponent < 0 else "+", abs(exponent))
    return sign + text


def float32_repr(x):
    """x (a Python float holding a float32 value exactly): the shortest decimal
    that reads back as the same float32, in repr's layout; "null" for NaN and
    infinities (as dumps writes them)."""
    if not math.isfinite(x):
        return "null"
    bits = _f32_bits(x)
    if bits != _f32_bits(float(x)) or _f32_from_bits(bits) != x:
        raise ValueError("%r is not a float32 value" % (x,))
    negative = bits >> 31
    magnitude = bits & 0x7FFFFFFF
    if magnitude == 0:
        return "-0.0" if negative else "0.0"
    value = _f32_from_bits(magnitude)
    prev = _f32_from_bits(magnitude - 1)
    # Past the largest float32 the next value would be 2**128.
    nxt = 2.0**128 if magnitude == 0x7F7FFFFF else _f32_from_bits(magnitude + 1)
    digits, exponent = shortest_digits(value, prev, nxt, magnitude % 2 == 0, max_digits=9)
    return repr_layout(bool(negative), digits, exponent)


# =============================================================================
# Datetimes


def _offset_text(seconds, option):
    if seconds == 0:
        return "Z" if option & OPT_UTC_Z else "+00:00"
    minutes = (abs(seconds) + 30) // 60
    return "%s%02d:%02d" % ("-" if seconds < 0 else "+", minutes // 60, minutes % 60)


def _naive_text(obj, option):
    """isoformat() of a datetime or time without its tzinfo (and without its
    microseconds under OPT_OMIT_MICROSECONDS)."""
    if option & OPT_OMIT_MICROSECONDS:
        obj = obj.replace(microsecond=0)
    return obj.replace(tzinfo=None).isoformat()


def _has_attribute(cls, name):
    return any(name in vars(k) for k in cls.__mro__)


def _utcoffset(dt):
    """dt's offset in whole seconds (days * 86400 + seconds, as orjson reads
    the timedelta), or None; Refused when it cannot be had."""
    tz = dt.tzinfo
    try:
        if _has_attribute(type(tz), "normalize") and not _has_attribute(type(tz), "convert"):
            delta = tz.normalize(dt).utcoffset()  # pytz: the offset in force then
        else:
            delta = dt.utcoffset()  # validated: a timedelta strictly within a day, or None
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise Refused(UTCOFFSET) from exc
    if delta is None:
        return None
    return delta.days * 86400 + delta.seconds


def datetime_text(obj, option):
    """The text of a datetime, date or time (exact types), as value and key."""
    if type(obj) is datetime.date:
        return obj.isoformat()
    if type(obj) is datetime.time:
        if obj.tzinfo is not None:
            raise Refused(TIME_TZINFO)
        return _naive_text(obj, option)
    text = _naive_text(obj, option)
    if obj.tzinfo is None:
        return text + _offset_text(0, option) if option & OPT_NAIVE_UTC else text
    seconds = _utcoffset(obj)
    return text if seconds is None else text + _offset_text(seconds, option)


_DATETIME_TYPES = (datetime.datetime, datetime.date, datetime.time)


# =============================================================================
# numpy (only when it is loaded)

_NUMPY_UNITS = {"Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns"}
_EPOCH = datetime.datetime(1970, 1, 1)
_NAT = -(2**63)
_TIMEDELTA_UNIT = {"W": "weeks", "D": "days", "h": "hours", "m": "minutes", "s": "seconds",
                   "ms": "milliseconds", "us": "microseconds"}


def _numpy():
    return sys.modules.get("numpy")


def _numpy_scalar_types(np):
    return (np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint64, np.uint32,
            np.uint16, np.uint8, np.bool_, np.datetime64)


def datetime64_value(value, unit):
    """A datetime64 of `unit` holding `value` (the int64) as a naive datetime
    in UTC; Refused for NaT and outside years 1..9999."""
    if value == _NAT:
        raise Refused(NUMPY_DATETIME)
    try:
        if unit == "Y":
            return datetime.datetime(1970 + value, 1, 1)
        if unit == "M":
            years, month = divmod(value, 12)
            return datetime.datetime(1970 + years, month + 1, 1)
        if unit == "ns":
            return _EPOCH + datetime.timedelta(microseconds=value // 1000)
        return _EPOCH + datetime.timedelta(**{_TIMEDELTA_UNIT[unit]: value})
    except (OverflowError, ValueError):
        raise Refused(NUMPY_DATETIME) from None


def _datetime64_unit(np, dtype):
    """The unit of a datetime64 dtype when dumps writes it, else None."""
    unit, count = np.datetime_data(dtype)
    return unit if unit in _NUMPY_UNITS and count == 1 else None


def _supported_dtype(dtype):
    kind, size = dtype.kind, dtype.itemsize
    return ((kind == "f" and size in (8, 4, 2)) or (kind in "iu" and size in (8, 4, 2, 1))
            or (kind == "b" and size == 1) or (kind == "M" and size == 8))


# =============================================================================
# The writer


class _Writer:
    def __init__(self, option, default):
        self.option = option
        self.default = default
        self.indent = bool(option & OPT_INDENT_2)
        self.out = []
        self.path = []

    def refuse(self, reason, cause=None):
        error = Refused(reason, self.path)
        if cause is not None:
            error.__cause__ = cause
        return error

    def raw(self, text):
        self.out.append(text.encode("utf-8") if isinstance(text, str) else text)

    def string(self, s):
        try:
            self.out.append(_escape(s).encode("utf-8"))
        except UnicodeEncodeError:
            raise self.refuse(SURROGATE) from None

    def integer(self, value):
        if self.option & OPT_STRICT_INTEGER and abs(value) > STRICT_INTEGER_MAX:
            raise self.refuse(STRICT)
        self.raw(self.int_text(value))

    def int_text(self, value):
        try:
            return int.__repr__(value)
        except ValueError as exc:  # beyond sys.get_int_max_str_digits()
            raise self.refuse(DIGITS, exc) from None

    def newline(self, depth):
        if self.indent:
            self.raw("\n" + "  " * depth)

    # -- containers ----------------------------------------------------------

    def enter(self, depth):
        if depth + 1 > MAX_DEPTH:
            raise self.refuse(DEPTH)
        return depth + 1

    def sequence(self, items, depth, ddepth, write=None):
        """items: a list (read as it is) or any sequence; write(item, depth)
        writes one (default: self.value)."""
        inner = self.enter(depth)
        if len(items) == 0:
            self.raw("[]")
            return
        self.raw("[")
        for i, item in enumerate(items):
            if i:
                self.raw(",")
            self.newline(inner)
            self.path.append(i)
            if write is None:
                self.value(item, inner, ddepth)
            else:
                write(item, inner)
            self.path.pop()
        self.newline(depth)
        self.raw("]")

    def mapping(self, pairs, depth, ddepth):
        """pairs: [(key text, the key as it was, value)] in writing order."""
        inner = self.enter(depth)
        if not pairs:
            self.raw("{}")
            return
        self.raw("{")
        for i, (text, key, value) in enumerate(pairs):
            if i:
                self.raw(",")
            self.newline(inner)
            self.path.append(key)
            self.string(text)
            self.raw(": " if self.indent else ":")
            self.value(value, inner, ddepth)
            self.path.pop()
        self.newline(depth)
        self.raw("}")

    def dict_pairs(self, obj, ddepth):
        pairs = []
        for key, value in dict.items(obj):
            self.path.append(key)
            pairs.append((self.key_text(key, ddepth), key, value))
            self.path.pop()
        if self.option & OPT_SORT_KEYS:
            pairs.sort(key=lambda pair: pair[0])  # stable: equal texts keep insertion order
        return pairs

    def key_text(self, key, ddepth):
        t = type(key)
        if t is str:
            return key
        if not self.option & OPT_NON_STR_KEYS:
            raise self.refuse(KEY_NOT_STR)
        if isinstance(key, str):
            return str.__str__(key)
        if t is bool:
            return "true" if key else "false"
        if key is None:
            return "null"
        enum = sys.modules.get("enum")
        if enum is not None and isinstance(key, enum.Enum):
            if ddepth >= MAX_DEFAULT_DEPTH:  # a chain of members' values, as for values
                raise self.refuse(ENUM_DEPTH)
            return self.key_text(key.value, ddepth + 1)
        if isinstance(key, int):
            return self.int_text(int.__int__(key))
        if t is float:
            return float.__repr__(key) if math.isfinite(key) else "null"
        if t in _DATETIME_TYPES:
            return self.datetime_text(key)
        uuid = sys.modules.get("uuid")
        if uuid is not None and t is uuid.UUID:
            return self.uuid_text(key)
        raise self.refuse(KEY_TYPE)

    # -- rich types ----------------------------------------------------------

    def datetime_text(self, obj):
        try:
            return datetime_text(obj, self.option)
        except Refused as exc:
            raise self.refuse(exc.reason, exc.__cause__) from None

    def uuid_text(self, obj):
        value = obj.int
        if not isinstance(value, int):
            raise self.refuse(UUID_INT + " an int")
        if not 0 <= value < 2**128:
            raise self.refuse(UUID_INT + " within 128 bits")
        return str(obj)

    def dataclass(self, obj, depth, ddepth):
        import dataclasses  # loaded: obj's class was made by it

        pairs = []
        for field in dataclasses.fields(type(obj)):
            name = field.name
            if name.startswith("_"):
                continue
            self.path.append(name)
            try:
                value = getattr(obj, name)
            except (MemoryError, RecursionError):
                raise
            except Exception as exc:
                raise self.refuse(DATACLASS_FIELD, exc) from None
            self.path.pop()
            pairs.append((name, name, value))
        self.mapping(pairs, depth, ddepth)

    def fragment(self, obj):
        contents = obj.contents
        if isinstance(contents, bytes):
            self.raw(bytes(contents))
        elif isinstance(contents, str):
            try:
                self.raw(contents.encode("utf-8"))
            except UnicodeEncodeError:
                raise self.refuse(FRAGMENT_SURROGATE) from None
        else:
            raise self.refuse(FRAGMENT_TYPE)

    def numpy_scalar(self, np, obj):
        """Writes obj and returns None, or returns the reason it goes to default."""
        t = type(obj)
        if t is np.datetime64:
            unit = _datetime64_unit(np, obj.dtype)
            if unit is None:
                return NUMPY_UNIT
            self.numpy_datetime(int(obj.view(np.int64)), unit)
        elif t is np.bool_:
            self.raw("true" if obj else "false")
        elif t is np.float64:
            x = float(obj)
            self.raw(float.__repr__(x) if math.isfinite(x) else "null")
        elif t in (np.float32, np.float16):
            self.raw(float32_repr(float(np.float32(obj))))
        else:
            self.raw(int.__repr__(int(obj)))
        return None

    def numpy_datetime(self, value, unit):
        try:
            dt = datetime64_value(value, unit)
        except Refused as exc:
            raise self.refuse(exc.reason) from None
        self.string(datetime_text(dt, self.option))

    def numpy_array(self, np, obj, depth):
        """Writes obj and returns None, or returns the reason it goes to default."""
        dtype = obj.dtype
        # A structured dtype reads as not C-contiguous too (as in orjson).
        if not obj.flags["C_CONTIGUOUS"] or dtype.names is not None:
            return NUMPY_LAYOUT
        if not dtype.isnative:
            raise self.refuse(NUMPY_ENDIAN)
        if obj.ndim == 0 or not _supported_dtype(dtype):
            return NUMPY_DTYPE
        kind = dtype.kind
        if kind == "M":
            unit = _datetime64_unit(np, dtype)
            if unit is None:
                return NUMPY_UNIT
            leaves = obj.view(np.int64).tolist()

            def leaf(v):
                self.numpy_datetime(v, unit)
        elif kind == "f" and dtype.itemsize < 8:
            leaves = obj.astype(np.float32).tolist()  # float16 widens exactly

            def leaf(v):
                self.raw(float32_repr(v))
        elif kind == "f":
            leaves = obj.tolist()

            def leaf(v):
                self.raw(float.__repr__(v) if math.isfinite(v) else "null")
        elif kind == "b":
            leaves = obj.tolist()

            def leaf(v):
                self.raw("true" if v else "false")
        else:
            leaves = obj.tolist()

            def leaf(v):
                self.raw(int.__repr__(v))

        def write(item, d):
            if isinstance(item, list):
                self.sequence(item, d, 0, write)
            else:
                leaf(item)

        self.sequence(leaves, depth, 0, write)
        return None

    # -- one value -----------------------------------------------------------

    def value(self, obj, depth, ddepth):
        t = type(obj)
        option = self.option
        if t is str:
            return self.string(obj)
        if t is int:
            return self.integer(obj)
        if t is float:
            return self.raw(float.__repr__(obj) if math.isfinite(obj) else "null")
        if t is bool:
            return self.raw("true" if obj else "false")
        if obj is None:
            return self.raw("null")
        if t is list or t is tuple:
            return self.sequence(obj, depth, ddepth)
        if t is dict:
            return self.mapping(self.dict_pairs(obj, ddepth), depth, ddepth)
        if t in _DATETIME_TYPES and not option & OPT_PASSTHROUGH_DATETIME:
            return self.string(self.datetime_text(obj))
        uuid = sys.modules.get("uuid")
        if uuid is not None and t is uuid.UUID:
            return self.string(self.uuid_text(obj))
        jcodec = sys.modules.get("jcodec")
        if jcodec is not None and t is getattr(jcodec, "Fragment", None):
            return self.fragment(obj)
        enum = sys.modules.get("enum")
        if enum is not None and isinstance(obj, enum.Enum):
            if ddepth >= MAX_DEFAULT_DEPTH:
                raise self.refuse(ENUM_DEPTH)
            return self.value(obj.value, depth, ddepth + 1)
        if not option & OPT_PASSTHROUGH_SUBCLASS:
            if isinstance(obj, str):
                return self.string(str.__str__(obj))
            if isinstance(obj, int):
                return self.integer(int.__int__(obj))
            if isinstance(obj, dict):
                return self.mapping(self.dict_pairs(obj, ddepth), depth, ddepth)
            if isinstance(obj, list):
                return self.sequence(list(list.__iter__(obj)), depth, ddepth)
        if not option & OPT_PASSTHROUGH_DATACLASS and isinstance(vars(t).get("__dataclass_fields__"), dict):
            return self.dataclass(obj, depth, ddepth)
        reason = "%s: %s" % (UNSUPPORTED, t.__name__)
        if option & OPT_SERIALIZE_NUMPY:
            np = _numpy()
            if np is not None:
                if t is np.ndarray:
                    reason = self.numpy_array(np, obj, depth)
                elif t in _numpy_scalar_types(np):
                    reason = self.numpy_scalar(np, obj)
                if reason is None:
                    return None
        return self.with_default(obj, depth, ddepth, reason)

    def with_default(self, obj, depth, ddepth, reason):
        """default(obj) written in obj's place; without default, Refused(reason)."""
        if self.default is None:
            raise self.refuse(reason)
        if ddepth >= MAX_DEFAULT_DEPTH:
            raise self.refuse(DEFAULT_DEPTH)
        try:
            result = self.default(obj)
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:
            raise self.refuse("%s: %s" % (UNSUPPORTED, type(obj).__name__), exc) from None
        return self.value(result, depth, ddepth + 1)


def expected(obj, option=0, default=None):
    """What jcodec.dumps(obj, default, option) must return (bytes), or raises
    Refused where it must raise JSONEncodeError (see the module's docstring)."""
    if option is None:
        option = 0
    if type(option) is not int or not 0 <= option <= OPTION_BITS:
        raise Refused(INVALID_OPTS)
    if default is not None and not callable(default):
        raise Refused(DEFAULT_NOT_CALLABLE)
    writer = _Writer(option, default)
    # 254 containers and 254 default calls, a few Python frames each.
    limit = sys.getrecursionlimit()
    if limit < 4000:
        sys.setrecursionlimit(4000)
    try:
        writer.value(obj, 0, 0)
    finally:
        if limit < 4000:
            sys.setrecursionlimit(limit)
    if option & OPT_APPEND_NEWLINE:
        writer.raw("\n")
    return b"".join(writer.out)
