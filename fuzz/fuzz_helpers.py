"""Python side of the fuzz targets, imported by the embedded interpreter.

fuzz_dumps builds two trees from its input (fuzz/fuzz_tree.c): the object
handed to jcodec.dumps, and, while the object holds only built-in types, the
"expected" tree handed to json.dumps, the first oracle. The expected tree says
what jcodec must write in json's vocabulary: exact builtin types only,
non-finite floats as None (jcodec writes null, json would write NaN), dict keys
already converted as OPT_NON_STR_KEYS converts them, and REFUSE wherever jcodec
must raise JSONEncodeError (json.dumps then raises too). The second oracle, for
every tree, is the project's reference encoder (tests/python/reference.py:
expected(obj, option, default) or reference.Refused).

The further types (datetime, date, time, UUID, enum members, dataclasses,
numpy arrays and scalars, jcodec.Fragment, subclasses of those) are made here,
from the input: build_rich(kind, data, children) and build_rich_key(kind,
data) read their parameters from `data` (the rest of the input, at most
MAX_TAKE bytes; reads past its end give zeros, as in the C cursor) and return
(object, bytes consumed). The parameter formats are documented per function
and encoded by corpus/seeds/generate.py. `children` are values the C builder
made first (field values, member values, array items).
"""
import dataclasses
import datetime as _dt
import enum
import math
import os
import struct
import sys
import typing
import uuid
import warnings
from collections import OrderedDict

import jcodec

# The subclasses, the fixed zone and the oracle are the Python suites'
# (tests/python/support.py, on sys.path beside this file: fuzz_common.c,
# fuzz/oss-fuzz/build.sh).
# reference_dumps(tree, sort_keys, indent) is json.dumps's bytes for the
# expected tree as dumps writes them (no OPT_APPEND_NEWLINE); it raises where
# json cannot encode the tree (UnicodeEncodeError for a lone surrogate).
from support import DictSub, FixedZone, FloatSub, IntSub, ListSub, StrSub, TupleSub, reference_dumps  # noqa: F401

# tests/python/reference.py: expected(obj, option=0, default=None) -> bytes,
# raising reference.Refused where jcodec must raise JSONEncodeError.
import reference  # noqa: E402

expected = reference.expected
Refused = reference.Refused

# Optional modules: numpy (fuzz_common.c puts the system's dist-packages on
# sys.path for it), and the third-party zones. Each part that needs one is
# left out when it cannot be imported (fuzz_dumps says so once, at start-up).
np = sys.modules.get("numpy")
try:
    import pytz
except ImportError:
    pytz = None
try:
    import dateutil.tz as dateutil_tz
except ImportError:
    dateutil_tz = None
try:
    import pendulum
except ImportError:
    pendulum = None
try:
    import zoneinfo
    zoneinfo.ZoneInfo("Europe/Paris")
except Exception:
    zoneinfo = None

MAX_TAKE = 8192  # bytes of the input the C builder hands to one build_rich call

# JCODEC_FUZZ_AVOID=name,...: steer around an open finding while a campaign
# runs on (never set in make check or CI; fuzz/README.md, "Open findings"):
#   numpy_datetime64    no datetime64 dtypes (ints of the same size instead)
#   numpy_datetime64_W  no datetime64 in weeks (days instead)
#   enum_cycle          no enum member whose value leads back to it
#   utcoffset_minus_day no utcoffset() of exactly -1 day (-1 day + 1 s instead)
#   float_subclass_key  no numpy.float64 keys (floats instead)
#   empty_dataclass     no dataclass without any field (an underscore one added)
AVOID = set(filter(None, os.environ.get("JCODEC_FUZZ_AVOID", "").split(",")))

# Set by fuzz_alloc_fail: the trees leave out what swallows an injected
# allocation failure itself and then answers differently. numpy's
# __array_struct__ of a structured dtype clears the MemoryError of its
# descr (array_struct_get: PyErr_Clear) and returns other flags.
FAULT_INJECTION = False

warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", category=FutureWarning)


class Box:
    """A value only dumps' `default` can serialize: default returns its payload."""

    __slots__ = ("payload",)

    def __init__(self, payload):
        self.payload = payload


def default(obj):
    """The fuzz default: a Box's payload; the further types that reach it
    (subclasses, OPT_PASSTHROUGH_*, numpy that jcodec does not write) as
    plain data; anything else raises TypeError."""
    if type(obj) is Box:
        return obj.payload
    if isinstance(obj, (_dt.date, _dt.time)):  # datetime is a date
        return ["iso", obj.isoformat()]
    if isinstance(obj, uuid.UUID):
        return ["uuid", obj.hex]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {"dataclass": type(obj).__name__}
    if np is not None:
        if isinstance(obj, np.ndarray):
            return obj.tolist()
        if isinstance(obj, np.generic):
            return ["numpy", type(obj).__name__, str(obj)]
    raise TypeError(f"{type(obj).__name__} is not serializable by the fuzz default")


class Refuse:
    """Stands where jcodec must refuse: json.dumps cannot encode it either."""

    def __repr__(self):
        return "REFUSE"


REFUSE = Refuse()


def expected_key(key):
    """The str OPT_NON_STR_KEYS writes for a dict key (json.dumps's key rules,
    except that orjson writes a non-finite float key as "null"), or REFUSE."""
    if isinstance(key, str):
        return str(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, float):
        return float.__repr__(key) if math.isfinite(key) else "null"
    if isinstance(key, int):
        try:
            return int.__repr__(key)
        except ValueError:  # beyond sys.get_int_max_str_digits()
            return REFUSE
    return REFUSE


# ---------------------------------------------------------------------------
# Reading parameters


class Reader:
    """A cursor over the parameter bytes; reads past the end give zeros."""

    __slots__ = ("data", "pos")

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def byte(self):
        pos = self.pos
        if pos < len(self.data):
            self.pos = pos + 1
            return self.data[pos]
        return 0

    def uint(self, n):
        return int.from_bytes(self.take(n).ljust(n, b"\0"), "little")

    def sint(self, n):
        return int.from_bytes(self.take(n).ljust(n, b"\0"), "little", signed=True)

    def take(self, n):
        chunk = self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        return chunk

    def consumed(self):
        return min(self.pos, len(self.data))


class _Cache(OrderedDict):
    """A bounded cache of made classes: evicted ones are freed, so new classes
    reuse their addresses (jcodec caches dataclass fields by type address and
    version tag). Making a class costs 50-400 us, so an input makes at most
    NEW_CLASSES_PER_INPUT of them; past that it reuses the newest one."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def get_or_make(self, key, make):
        if key in self:
            self.move_to_end(key)
            return self[key]
        if _new_classes[0] >= NEW_CLASSES_PER_INPUT and self:
            return next(reversed(self.values()))
        _new_classes[0] += 1
        value = self[key] = make()
        if len(self) > self.size:
            self.popitem(last=False)
        return value


NEW_CLASSES_PER_INPUT = 4
_new_classes = [0]


# ---------------------------------------------------------------------------
# datetime, date, time

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
         "Pacific/Chatham", "America/St_Johns", "Asia/Kathmandu", "Africa/Monrovia",
         "Europe/Amsterdam", "Pacific/Kiritimati", "America/Adak", "Etc/GMT+12", "Europe/Dublin",
         "America/Sao_Paulo", "Asia/Tehran"]
_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


class NoOffset(_dt.tzinfo):
    """utcoffset() None: written as a naive datetime."""

    def utcoffset(self, dt):
        return None

    def dst(self, dt):
        return None


class RaisingOffset(_dt.tzinfo):
    def utcoffset(self, dt):
        raise ValueError("utcoffset of the fuzz zone")


class WrongOffset(_dt.tzinfo):
    """utcoffset() of a type other than timedelta."""

    def __init__(self, value):
        self.value = value

    def utcoffset(self, dt):
        return self.value

    def __hash__(self):
        return 0


class Normalizing(_dt.tzinfo):
    """pytz's shape (normalize, no convert): jcodec asks normalize(dt) for the
    datetime whose utcoffset() it writes."""

    def __init__(self, delta):
        self.delta = delta

    def utcoffset(self, dt):
        return _dt.timedelta(0)

    def normalize(self, dt):
        return dt.replace(tzinfo=_dt.timezone(self.delta))


class Converting(Normalizing):
    """normalize and convert (pendulum's shape): not normalized."""

    def convert(self, dt):
        return dt


def _offset(r, span):
    """A timedelta strictly inside (-span, span) seconds, from 4 bytes."""
    return _dt.timedelta(seconds=r.sint(4) % (2 * span - 1) - (span - 1))


def _zone_name(r):
    return ZONES[r.byte() % len(ZONES)]


def make_tzinfo(r, naive, kind):
    """Zone kind (one byte, modulo 18), then its parameters: 0 none, 1 UTC,
    2 timezone(offset in seconds), 3 timezone(offset in microseconds),
    4 timezone(whole minutes, with a name), 5 ZoneInfo, 6 pytz zone attached
    directly (LMT), 7 pytz localize(), 8 dateutil gettz, 9 dateutil tzoffset,
    10 pendulum zone, 11 utcoffset() None, 12 raises, 13 not a timedelta,
    14 any timedelta (a day or more), 15 normalize(), 16 normalize() and
    convert(), 17 timezone.utc as a zone of its own (timezone(timedelta(0)))."""
    kind %= 18
    if kind == 0:
        return naive
    if kind == 1:
        return naive.replace(tzinfo=_dt.timezone.utc)
    if kind == 2:
        return naive.replace(tzinfo=_dt.timezone(_offset(r, 86400)))
    if kind == 3:
        micro = r.sint(5) % (2 * 86400 * 10**6 - 1) - (86400 * 10**6 - 1)
        return naive.replace(tzinfo=_dt.timezone(_dt.timedelta(microseconds=micro)))
    if kind == 4:
        minutes = r.sint(2) % (2 * 1439 + 1) - 1439
        return naive.replace(tzinfo=_dt.timezone(_dt.timedelta(minutes=minutes), "fz"))
    if kind == 5 and zoneinfo is not None:
        return naive.replace(tzinfo=zoneinfo.ZoneInfo(_zone_name(r)))
    if kind == 6 and pytz is not None:
        return naive.replace(tzinfo=pytz.timezone(_zone_name(r)))
    if kind == 7 and pytz is not None:
        zone = pytz.timezone(_zone_name(r))
        is_dst = [False, True, None][r.byte() % 3]
        try:
            return zone.localize(naive, is_dst=is_dst)
        except (pytz.exceptions.AmbiguousTimeError, pytz.exceptions.NonExistentTimeError):
            return zone.localize(naive)
        except OverflowError:  # years 1 and 9999, near the ends of the range
            return naive.replace(tzinfo=zone)
    if kind == 8 and dateutil_tz is not None:
        return naive.replace(tzinfo=dateutil_tz.gettz(_zone_name(r)))
    if kind == 9 and dateutil_tz is not None:
        return naive.replace(tzinfo=dateutil_tz.tzoffset("fz", _offset(r, 86400)))
    if kind == 10 and pendulum is not None:
        return naive.replace(tzinfo=pendulum.timezone(_zone_name(r)))
    if kind == 11:
        return naive.replace(tzinfo=NoOffset())
    if kind == 12:
        return naive.replace(tzinfo=RaisingOffset())
    if kind == 13:
        return naive.replace(tzinfo=WrongOffset([None, 3600, "+01:00", 1.5][r.byte() % 4]))
    if kind == 14:
        delta = _dt.timedelta(seconds=r.sint(4) * 8)
        if "utcoffset_minus_day" in AVOID and delta == _dt.timedelta(days=-1):
            delta += _dt.timedelta(seconds=1)
        return naive.replace(tzinfo=FixedZone(delta))
    if kind == 15:
        return naive.replace(tzinfo=Normalizing(_offset(r, 86400)))
    if kind == 16:
        return naive.replace(tzinfo=Converting(_offset(r, 86400)))
    if kind == 17:
        return naive.replace(tzinfo=_dt.timezone(_dt.timedelta(0)))
    return naive.replace(tzinfo=_dt.timezone.utc)  # the module is missing


def _date_fields(r):
    year = 1 + r.uint(2) % 9999
    month = 1 + r.byte() % 12
    day = 1 + r.byte() % _DAYS[month - 1]
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        day = 28
    return year, month, day


def _time_fields(r):
    hour, minute, second = r.byte() % 24, r.byte() % 60, r.byte() % 60
    flags = r.byte()
    micro = r.uint(3) % 10**6
    # flags: bit 0 fold, bits 1-2 microseconds: 0 random, 1 none, 2 999999, 3 < 1000
    micro = (micro, 0, 999999, micro % 1000)[(flags >> 1) & 3]
    return hour, minute, second, micro, flags & 1


class DatetimeSub(_dt.datetime):
    pass


class DateSub(_dt.date):
    pass


class TimeSub(_dt.time):
    pass


class UUIDSub(uuid.UUID):
    pass


def make_datetime(r, key=False):
    """year (2), month, day, hour, minute, second, flags (fold, microsecond
    form), microsecond (3), zone kind and its parameters (make_tzinfo). As a
    key, zones that raise are replaced by UTC (the key must hash)."""
    year, month, day = _date_fields(r)
    hour, minute, second, micro, fold = _time_fields(r)
    naive = _dt.datetime(year, month, day, hour, minute, second, micro, fold=fold)
    kind = r.byte()
    if key and kind % 18 in (12, 13, 14):
        kind = 1
    return make_tzinfo(r, naive, kind)


def make_date(r):
    """year (2), month, day."""
    return _dt.date(*_date_fields(r))


def make_time(r):
    """hour, minute, second, flags (fold, microsecond form), microsecond (3),
    zone: 0-3 none, 4 UTC, 5 a fixed offset (2 bytes of minutes), 6 ZoneInfo,
    7 utcoffset() None (a time with a tzinfo is refused whatever it is)."""
    hour, minute, second, micro, fold = _time_fields(r)
    zone = r.byte() % 8
    tzinfo = None
    if zone == 4:
        tzinfo = _dt.timezone.utc
    elif zone == 5:
        tzinfo = _dt.timezone(_dt.timedelta(minutes=r.sint(2) % 2879 - 1439))
    elif zone == 6 and zoneinfo is not None:
        tzinfo = zoneinfo.ZoneInfo(_zone_name(r))
    elif zone == 7:
        tzinfo = NoOffset()
    return _dt.time(hour, minute, second, micro, tzinfo=tzinfo, fold=fold)


# ---------------------------------------------------------------------------
# uuid.UUID


def make_uuid(r):
    """16 bytes of int (little-endian), then a form: 0-5 UUID(int=...),
    6 its `int` replaced (object.__setattr__) by a negative, 128-bit-overflowing
    or non-int value, 7 an int subclass as `int`."""
    value = r.uint(16)
    form = r.byte() % 8
    u = uuid.UUID(int=value)
    if form == 6:
        object.__setattr__(u, "int", [-1 - value, value + (1 << 128), str(value), float(value % 1000)][value % 4])
    elif form == 7:
        object.__setattr__(u, "int", IntSub(value))
    return u


# ---------------------------------------------------------------------------
# enum members

_enum_classes = {base: _Cache(64) for base in ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "FloatEnum")}
_FALLBACK_MEMBER = enum.Flag("F0", [("B0", 1)])(0)


def _small_value(r):
    """A small value from one kind byte: int, str, float, None, bool, tuple,
    list, datetime, UUID, or a str with a lone surrogate."""
    kind = r.byte() % 10
    if kind == 0:
        return r.sint(1)
    if kind == 1:
        return r.sint(8) << (r.byte() % 80)
    if kind == 2:
        return "s%d" % r.byte()
    if kind == 3:
        return _float_from(r)
    if kind == 4:
        return [None, True, False][r.byte() % 3]
    if kind == 5:
        return (r.sint(1), "t")
    if kind == 6:
        return [r.sint(1), {"k": r.byte()}]
    if kind == 7:
        return make_datetime(r, key=True)
    if kind == 8:
        return uuid.UUID(int=r.uint(16))
    return "x\ud800" if r.byte() & 1 else "\U0001f600"


def _float_from(r):
    return struct.unpack("<d", r.take(8).ljust(8, b"\0"))[0]


def make_enum(r, children):
    """A member of an enum class: base (one byte, modulo 7): 0-1 Enum (the
    member's value: a child, or a small value), 2 IntEnum, 3 StrEnum, 4 Flag
    (members and their combinations), 5 IntFlag (any int, undefined bits
    kept), 6 a float mixin (`Enum(..., type=float)`); then the member count
    (1-4) and which member."""
    base = r.byte() % 7
    count = 1 + r.byte() % 4
    pick = r.byte()
    try:
        return _enum_member(r, children, base, count, pick)
    except (ValueError, TypeError):  # a value the base refuses
        return _FALLBACK_MEMBER


def _leads_to(value, member):
    """Whether a chain of enum values from `value` reaches `member`."""
    seen = set()
    while isinstance(value, enum.Enum) and id(value) not in seen:
        if value is member:
            return True
        seen.add(id(value))
        value = value._value_
    return False


def _enum_member(r, children, base, count, pick):
    if base <= 1:
        # One class per member count; the member's value is set for this
        # input (Enum keeps it in _value_, which dumps reads).
        cls = _enum_classes["Enum"].get_or_make(count, lambda: enum.Enum(
            "E%d" % count, [("M%d" % i, i) for i in range(count)]))
        members = list(cls)
        member = members[pick % len(members)]
        value = children[pick % len(children)] if children and base == 0 else _small_value(r)
        if "enum_cycle" in AVOID and _leads_to(value, member):
            value = 0
        member._value_ = value
        return member
    if base == 2:
        values = tuple(r.sint(8) << (r.byte() % 70) for _ in range(count))
        cls = _enum_classes["IntEnum"].get_or_make(values, lambda: enum.IntEnum(
            "IE", [("M%d" % i, v) for i, v in enumerate(values)]))
    elif base == 3:
        strs = [c for c in children if type(c) is str] if children else []
        values = tuple(strs[:count]) or tuple("v%d" % r.byte() for _ in range(count))
        values = tuple(dict.fromkeys(values))
        cls = _enum_classes["StrEnum"].get_or_make(values, lambda: enum.StrEnum(
            "SE", [("M%d" % i, v) for i, v in enumerate(values)]))
    elif base in (4, 5):
        flag = enum.Flag if base == 4 else enum.IntFlag
        cls = _enum_classes[flag.__name__].get_or_make(count, lambda: flag(
            "F%d" % count, [("B%d" % i, 1 << i) for i in range(count)]))
        bits = len(cls.__members__)
        if base == 4 or not pick & 1:
            return cls(r.byte() % (1 << bits))  # members and their combinations
        return cls(r.sint(4))  # undefined bits kept
    else:
        value = _float_from(r)
        cls = _enum_classes["FloatEnum"].get_or_make(repr(value), lambda: enum.Enum(
            "FE", [("A", value)], type=float))
    members = list(cls)
    return members[pick % len(members)]


# ---------------------------------------------------------------------------
# dataclasses

FIELD_NAMES = ["a", "b", "name", "id", "_private", "_", "x1", "é", "值", "A", "__x__",
               "long_field_name_" * 5]
_dataclasses = _Cache(128)
_touch = [0]
classes_in_use = []  # the dataclass types made for this input (touch_classes)


@dataclasses.dataclass
class Base:
    base_a: int = 1
    _base_b: int = 2


@dataclasses.dataclass(frozen=True)
class FrozenBase:
    base_a: int = 1


def _make_dataclass(spec):
    nfields, field_specs, slots, frozen, based, plain_sub, eq = spec
    fields = []
    for name_index, kind, value in field_specs:
        name = FIELD_NAMES[name_index]
        if kind == 0:
            fields.append((name, typing.Any))
        elif kind == 1:
            fields.append((name, typing.Any, dataclasses.field(default=value)))
        elif kind == 2:
            fields.append((name, typing.ClassVar[int], value))
        elif kind == 3:
            fields.append((name, dataclasses.InitVar[int]))
        elif kind == 4:
            fields.append((name, typing.Any, dataclasses.field(init=False, default=value)))
        else:  # init=False, no default: the instance may lack the attribute
            fields.append((name, typing.Any, dataclasses.field(init=False)))
    bases = ()
    if based:
        bases = (FrozenBase,) if frozen else (Base,)
    elif not fields and "empty_dataclass" in AVOID:
        fields.append(("_", typing.Any, dataclasses.field(default=None)))
    cls = dataclasses.make_dataclass("DC", fields, bases=bases, slots=slots, frozen=frozen,
                                     eq=eq, kw_only=True)
    if plain_sub:  # a subclass that is not itself a dataclass: default
        cls = type("DCSub", (cls,), {"__slots__": ()} if slots else {})
    cls._fuzz_spec = spec
    return cls


def make_dataclass(r, children, force=0):
    """An instance of a dataclass made from a field list: flags (bit 0 slots,
    bit 1 frozen, bit 2 a dataclass base, bit 3 a plain subclass, bit 4
    eq=False, bit 5 the class modified before use, bit 6 an extra instance
    attribute), field count (0-5), then per field its name (FIELD_NAMES) and
    kind (0 plain, 1 default, 2 ClassVar, 3 InitVar, 4 init=False with a
    default, 5 init=False without one) and a small int default. Init fields
    take the children in order (None when there are fewer)."""
    flags = r.byte() | force
    nfields = r.byte() % 6
    specs, seen = [], set()
    for _ in range(nfields):
        name_index, kind, value = r.byte() % len(FIELD_NAMES), r.byte() % 6, r.sint(1)
        if name_index in seen:
            continue
        seen.add(name_index)
        specs.append((name_index, kind, value))
    spec = (nfields, tuple(specs), bool(flags & 1), bool(flags & 2), bool(flags & 4),
            bool(flags & 8), not flags & 16)
    cls = _dataclasses.get_or_make(spec, lambda: _make_dataclass(spec))
    if flags & 32:
        _touch[0] += 1
        type.__setattr__(cls, "_fuzz_touch", _touch[0])
    classes_in_use.append(cls)
    kwargs = {}
    values = iter(children)
    spec = cls._fuzz_spec  # the cache's newest class, past the input's budget
    flags = (flags & ~15) | spec[2] | spec[3] << 1 | spec[4] << 2 | spec[5] << 3
    for name_index, kind, value in spec[1]:
        if kind in (0, 3):
            kwargs[FIELD_NAMES[name_index]] = next(values, None)
    obj = cls(**kwargs)
    if flags & 64 and not flags & 3:
        obj.extra_attribute = next(values, "extra")
    return obj


def touch_classes():
    """Modifies every dataclass type made for this input (a class attribute),
    so jcodec reads their fields again (fuzz_alloc_fail, tree mode)."""
    for cls in classes_in_use:
        _touch[0] += 1
        type.__setattr__(cls, "_fuzz_touch", _touch[0])


def begin_input():
    """Called before each input is built."""
    classes_in_use.clear()
    _new_classes[0] = 0


# ---------------------------------------------------------------------------
# numpy

DTYPES = ["<f8", "<f4", "<f2", "<i8", "<i4", "<i2", "i1", "<u8", "<u4", "<u2", "u1", "?",
          "<M8[Y]", "<M8[M]", "<M8[W]", "<M8[D]", "<M8[h]", "<M8[m]", "<M8[s]", "<M8[ms]",
          "<M8[us]", "<M8[ns]", "<M8[ps]", "<M8[fs]", "<M8[as]", "<M8", "<m8[s]", "<c8", "<c16",
          "<f16", "O", "<U2", "S3", "V4", [("a", "<i4"), ("b", "u1")], "<M8[10s]", "<M8[2D]"]
N_PLAIN_DTYPES = 12  # the first ones, drawn more often


def _avoided(dtype):
    if "numpy_datetime64" in AVOID and dtype.kind == "M":
        return np.dtype("<i8")
    if "numpy_datetime64_W" in AVOID and dtype.kind == "M" and np.datetime_data(dtype)[0] == "W":
        return np.dtype("<M8[D]")
    return dtype


def _dtype(r):
    index = r.byte()
    index = index % N_PLAIN_DTYPES if index < 128 else index % len(DTYPES)
    dtype = _avoided(np.dtype(DTYPES[index]))
    if FAULT_INJECTION and dtype.names:
        return np.dtype("V%d" % dtype.itemsize)  # no fields, no descr
    return dtype


def _datetime_specials(dtype):
    unit = np.datetime_data(dtype)[0]
    values = [np.iinfo(np.int64).min, 0, -1, 1]
    for text in ("0001-01-01", "9999-12-31T23:59:59.999999", "1969-12-31T23:59:59.999999",
                 "2000-02-29T12:00:00.000001", "1677-09-21T00:12:43.145225"):
        try:
            values.append(int(np.datetime64(text).astype(dtype).view("i8")))
        except (OverflowError, ValueError):
            pass
    for edge in list(values[4:6]):
        values += [edge - 1, edge + 1]
    return [v for v in values if -2**63 <= v < 2**63]


class ArraySub(np.ndarray if np is not None else object):
    pass


def make_array(r, children):
    """dtype (DTYPES: below 128 one of the first N_PLAIN_DTYPES, else any),
    shape (ndim 0-4, each 0-4; ndim byte bit 7: a one-item dimension added),
    layout (0-1 C order, 2 Fortran order, 3 every other item of axis 0, 4
    reversed, 5 transposed, 6 broadcast (zero strides), 7 unaligned, 8
    byte-swapped, 9 read-only, 10 an ndarray subclass, 11 made contiguous
    again), then the items' bytes (datetime64: layout bit 7 picks each item
    from edge values: NaT, 0001-01-01, 9999-12-31, ...). Object arrays hold
    the children, then None."""
    dtype = _dtype(r)
    ndim_byte = r.byte()
    shape = [r.byte() % 5 for _ in range(ndim_byte % 5)]
    if ndim_byte & 0x80:
        shape.insert(ndim_byte % (len(shape) + 1), 1)
    layout_byte = r.byte()
    layout = layout_byte % 12
    count = math.prod(shape)
    if dtype.kind == "O":  # each child once (a cycle repeated 256 times costs)
        array = np.empty(count, dtype=object)
        for i, item in enumerate(children[:count]):
            array[i] = item
        array = array.reshape(shape)
    elif dtype.kind == "M" and layout_byte & 0x80:
        specials = _datetime_specials(dtype)
        data = [specials[r.byte() % len(specials)] for _ in range(count)]
        array = np.array(data, dtype="<i8").view(dtype).reshape(shape)
    elif dtype.kind == "U":  # code points of str (numpy makes invalid strs of others)
        chars = count * dtype.itemsize // 4
        raw = b"".join((r.uint(4) % 0x110000).to_bytes(4, "little") for _ in range(chars))
        array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    else:
        size = dtype.itemsize * count
        raw = r.take(size).ljust(size, b"\0")
        array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if layout == 2:
        array = np.asfortranarray(array)
    elif layout == 3 and array.ndim:
        array = array[::2]
    elif layout == 4 and array.ndim:
        array = array[::-1]
    elif layout == 5:
        array = array.T
    elif layout == 6 and array.ndim:
        array = np.broadcast_to(array[:1], (2,) + array.shape[1:]) if array.shape[0] else array
    elif layout == 7 and dtype.kind != "O" and array.size:
        raw = bytearray(array.nbytes + 1)
        unaligned = np.frombuffer(raw, dtype=dtype, count=array.size, offset=1).reshape(array.shape)
        unaligned[...] = array
        array = unaligned
    elif layout == 8 and dtype.kind != "O":
        array = array.astype(dtype.newbyteorder())
    elif layout == 9:
        array.flags.writeable = False
    elif layout == 10:
        array = array.view(ArraySub)
    elif layout == 11:
        array = np.ascontiguousarray(array[::2] if array.ndim else array)
    return array


SCALAR_DTYPES = DTYPES[:29] + ["<U2", "S3"]


def make_scalar(r):
    """dtype (SCALAR_DTYPES, as DTYPES are drawn), then the value's bytes."""
    index = r.byte()
    index = index % N_PLAIN_DTYPES if index < 128 else index % len(SCALAR_DTYPES)
    dtype = _avoided(np.dtype(SCALAR_DTYPES[index]))
    if dtype.kind == "U":  # code points numpy accepts
        raw = b"".join((r.uint(4) % 0x110000).to_bytes(4, "little") for _ in range(2))
    else:
        raw = r.take(dtype.itemsize).ljust(dtype.itemsize, b"\0")
    return np.frombuffer(raw, dtype=dtype)[0]


# ---------------------------------------------------------------------------
# jcodec.Fragment


class BytesSub(bytes):
    pass


def make_fragment(r, children):
    """form (0-1 bytes, 2 str from UTF-8 with surrogateescape (so invalid
    UTF-8 is a lone surrogate), 3 str from latin-1, 4 a bytes subclass, 5 a
    child or another non-bytes value as contents), length byte, bytes."""
    form = r.byte() % 6
    raw = r.take(r.byte())
    if form <= 1:
        contents = raw
    elif form == 2:
        contents = raw.decode("utf-8", "surrogateescape")
    elif form == 3:
        contents = raw.decode("latin-1")
    elif form == 4:
        contents = BytesSub(raw)
    else:
        contents = children[0] if children else [bytearray(raw), None, 7, memoryview(raw)][len(raw) % 4]
    return jcodec.Fragment(contents)


# ---------------------------------------------------------------------------
# Subclasses of the further types (all go to default)


def make_subclass(r):
    """0 datetime subclass, 1 date subclass, 2 time subclass, 3 UUID subclass,
    4 pendulum DateTime, 5 ndarray subclass (make_array), 6 a plain subclass
    of a dataclass."""
    kind = r.byte() % 7
    if kind == 0 or (kind == 4 and pendulum is None):
        d = make_datetime(r)
        return DatetimeSub(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond,
                           tzinfo=d.tzinfo, fold=d.fold)
    if kind == 1:
        return DateSub(*_date_fields(r))
    if kind == 2:
        hour, minute, second, micro, fold = _time_fields(r)
        return TimeSub(hour, minute, second, micro, fold=fold)
    if kind == 3:
        return UUIDSub(int=r.uint(16))
    if kind == 4:
        year, month, day = _date_fields(r)
        hour, minute, second, micro, fold = _time_fields(r)
        return pendulum.datetime(year, month, day, hour, minute, second, micro, tz=_zone_name(r))
    if kind == 5 and np is not None:
        return make_array(r, []).view(ArraySub)
    return make_dataclass(r, [], force=8)


# ---------------------------------------------------------------------------
# The entry points (fuzz/fuzz_tree.c)

# build_rich kinds: the value tags 21 + kind of fuzz_tree.c (RICH_KINDS there).
RICH_KINDS = ["datetime", "date", "time", "uuid", "enum", "dataclass", "array", "scalar",
              "fragment", "subclass"]


def build_rich(kind, data, children):
    """(value, bytes of data consumed) for a RICH_KINDS kind. A value that
    cannot be made (a third-party zone overflowing at the ends of the year
    range, say) is None."""
    r = Reader(data)
    try:
        return _build_rich(kind, r, children), r.consumed()
    except (OverflowError, ValueError):
        return None, r.consumed()


def _build_rich(kind, r, children):
    name = RICH_KINDS[kind]
    if name in ("array", "scalar") and np is None:
        value = None
    elif name == "datetime":
        value = make_datetime(r)
    elif name == "date":
        value = make_date(r)
    elif name == "time":
        value = make_time(r)
    elif name == "uuid":
        value = make_uuid(r)
    elif name == "enum":
        value = make_enum(r, children)
    elif name == "dataclass":
        value = make_dataclass(r, children)
    elif name == "array":
        value = make_array(r, children)
    elif name == "scalar":
        value = make_scalar(r)
    elif name == "fragment":
        value = make_fragment(r, children)
    else:
        value = make_subclass(r)
    return value


# build_rich_key kinds: the key kinds 12 + kind of fuzz_tree.c.
RICH_KEY_KINDS = ["datetime", "date", "time", "uuid", "enum", "scalar", "fragment", "other"]


def build_rich_key(kind, data):
    """(key, bytes consumed) for a RICH_KEY_KINDS kind: hashable values of the
    further types (a datetime's zone never raises); None when it cannot be
    made."""
    r = Reader(data)
    try:
        return _build_rich_key(kind, r), r.consumed()
    except (OverflowError, ValueError):
        return None, r.consumed()


def _build_rich_key(kind, r):
    name = RICH_KEY_KINDS[kind]
    if name == "datetime":
        key = make_datetime(r, key=True)
    elif name == "date":
        key = make_date(r)
    elif name == "time":
        key = make_time(r)
    elif name == "uuid":
        key = uuid.UUID(int=r.uint(16))
    elif name == "enum":
        key = make_enum(r, [])
    elif name == "scalar":
        key = make_scalar(r) if np is not None else None
        if np is not None and isinstance(key, np.datetime64) and np.isnat(key):
            key = np.datetime64(0, "s")
        if "float_subclass_key" in AVOID and isinstance(key, float):
            key = float(key)
    elif name == "fragment":
        key = jcodec.Fragment(r.take(r.byte() % 8))
    else:
        which = r.byte() % 4
        if which == 0:
            key = FrozenKey(r.sint(1))
        elif which == 1:
            key = DatetimeSub(2000, 1, 1, r.byte() % 24)
        elif which == 2:
            key = UUIDSub(int=r.uint(16))
        else:
            key = DateSub(*_date_fields(r))
    return key


@dataclasses.dataclass(frozen=True)
class FrozenKey:
    """A hashable dataclass instance: not a key type."""
    value: int


def _warm_up():
    """Runs once at import (LeakSanitizer ignoring it, fuzz_tree.c): what the
    third-party modules load or cache on first use (zone files, numpy's
    lazily imported parts), so that no input is the first to do it."""
    for name in ZONES:
        if zoneinfo is not None:
            zoneinfo.ZoneInfo(name)
        if pytz is not None:
            pytz.timezone(name).localize(_dt.datetime(2000, 1, 1)).isoformat()
        if dateutil_tz is not None:
            _dt.datetime(2000, 1, 1, tzinfo=dateutil_tz.gettz(name)).isoformat()
        if pendulum is not None:
            _dt.datetime(2000, 1, 1, tzinfo=pendulum.timezone(name)).isoformat()
            pendulum.datetime(2000, 1, 1, tz=name).isoformat()
    if np is None:
        return
    for name in DTYPES:
        dtype = np.dtype(name)
        array = np.zeros(2, dtype=dtype)
        array.tolist(), array.dtype.descr, array.dtype.str, array.__array_struct__
        try:
            str(array), repr(array)
        except ValueError:  # generic datetime64 units
            pass
        array.astype(dtype.newbyteorder()).tolist(), np.asfortranarray(array.reshape(1, 2)).tolist()
        array.view(ArraySub).tolist(), np.broadcast_to(array[:1], (2,)).tolist()
        if dtype.kind == "M":
            _datetime_specials(dtype), np.datetime_data(dtype)
    for name in SCALAR_DTYPES:
        scalar = np.zeros(1, dtype=name)[0]
        try:
            str(scalar), repr(scalar), memoryview(scalar)
        except (ValueError, TypeError):
            pass


_warm_up()
