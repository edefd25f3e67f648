"""Hypothesis strategies for the types dumps writes besides the built-in ones
(datetime, date, time, UUID, enum, dataclasses, numpy, Fragment), shared by
the test_dumps_* suites of those types; the expected output is always
reference.expected's. The enum and dataclass classes are _types.py's.

Not a test module. Needs hypothesis; numpy, pytz, dateutil and pendulum are
used when installed (their strategies are empty otherwise: see AVAILABLE).
"""
import datetime
import importlib
import uuid
import zoneinfo

from hypothesis import strategies as st

import _types
import jcodec
from _dumps_strategies import FLOATS, INTS, TEXT
from _types import (ENUM_CLASSES, Bits, Derived, FrozenPoint, Member, Nothing, Perm, Pseudo, SlotsPoint,  # noqa: F401
                    Tree)


def optional_module(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


np = optional_module("numpy")
pytz = optional_module("pytz")
dateutil_tz = optional_module("dateutil.tz")
pendulum = optional_module("pendulum")
AVAILABLE = {"numpy": np, "pytz": pytz, "dateutil": dateutil_tz, "pendulum": pendulum}

# ---------------------------------------------------------------------------
# Zones and datetimes

# Zones with DST, with odd historical offsets (seconds in LMT), and far from UTC.
ZONE_NAMES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
              "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns", "Europe/Amsterdam",
              "Africa/Monrovia", "Asia/Kathmandu", "America/Caracas"]


def zone_strategies():
    zones = [st.none(), st.just(datetime.timezone.utc),
             st.integers(-86399, 86399).map(lambda s: datetime.timezone(datetime.timedelta(seconds=s))),
             st.integers(-1439, 1439).map(lambda m: datetime.timezone(datetime.timedelta(minutes=m))),
             st.sampled_from(ZONE_NAMES).map(zoneinfo.ZoneInfo)]
    if pytz is not None:
        zones.append(st.sampled_from(ZONE_NAMES).map(pytz.timezone))
        zones.append(st.integers(-1439, 1439).map(pytz.FixedOffset))
    if dateutil_tz is not None:
        zones.append(st.sampled_from(ZONE_NAMES).map(dateutil_tz.gettz))
        zones.append(st.integers(-86399, 86399).map(lambda s: dateutil_tz.tzoffset(None, s)))
    if pendulum is not None:
        zones.append(st.sampled_from(ZONE_NAMES).map(pendulum.timezone))
    return st.one_of(zones)


ZONES = zone_strategies()


def _attach(dt, tz, fold):
    dt = dt.replace(tzinfo=tz, fold=fold)
    if pytz is not None and isinstance(tz, pytz.tzinfo.DstTzInfo) and fold:
        # pytz's way: localize() picks the offset (normalize() fixes it up
        # again in dumps, as in orjson).
        dt = tz.localize(dt.replace(tzinfo=None, fold=0), is_dst=False)
    return dt


# Years 2..9998: a zone's offset keeps the UTC time within datetime's range.
DATETIMES = st.builds(_attach,
                      st.datetimes(min_value=datetime.datetime(2, 1, 1), max_value=datetime.datetime(9998, 12, 31)),
                      ZONES, st.integers(0, 1))
NAIVE_DATETIMES = st.one_of(st.datetimes(), st.sampled_from([datetime.datetime.min, datetime.datetime.max]))
DATES = st.dates()
TIMES = st.times()  # naive: a time with a tzinfo is refused (test_dumps_datetime)

# ---------------------------------------------------------------------------
# UUID and enum (_types.py's classes)

UUIDS = st.one_of(st.uuids(), st.integers(0, 2**128 - 1).map(lambda i: uuid.UUID(int=i)),
                  st.sampled_from([uuid.UUID(int=0), uuid.UUID(int=2**128 - 1), uuid.NAMESPACE_DNS]))


ENUMS = st.one_of(st.sampled_from([m for cls in ENUM_CLASSES for m in cls]),
                  st.sampled_from([Perm.R | Perm.W, Perm(0), Bits.A | Bits.BIG]))
KEY_ENUMS = st.sampled_from(_types.KEY_ENUMS)

# ---------------------------------------------------------------------------
# Dataclasses (_types.py's)


def dataclasses_of(children):
    return st.one_of(
        st.builds(Member, INTS, st.booleans(), TEXT, FLOATS),
        st.builds(FrozenPoint, children, children),
        st.builds(SlotsPoint, children, children),
        st.builds(Pseudo, children),
        st.builds(Derived, children, children, children),
        st.builds(Tree, TEXT, st.lists(children, max_size=3)),
        st.just(Nothing()),
    )


# ---------------------------------------------------------------------------
# numpy

NUMPY_DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint64", "uint32",
                "uint16", "uint8", "bool", "datetime64[Y]", "datetime64[M]", "datetime64[W]", "datetime64[D]",
                "datetime64[h]", "datetime64[m]", "datetime64[s]", "datetime64[ms]", "datetime64[us]",
                "datetime64[ns]"]


def _datetime64_elements(dtype):
    # Within years 1..9999 in every unit (the int64 range of ns is narrower:
    # 1678..2262).
    unit = np.datetime_data(dtype)[0]
    span = {"Y": (-1969, 8029), "M": (-23628, 96359), "W": (-102743, 417753), "D": (-719162, 2932896),
            "h": (-17259888, 70389527), "m": (-1035593280, 4223371679), "s": (-62135596800, 253402300799),
            "ms": (-62135596800000, 253402300799999), "us": (-62135596800000000, 253402300799999999),
            "ns": (-(2**63) + 1, 2**63 - 1)}[unit]
    return st.integers(*span).map(lambda v: np.datetime64(v, unit))


def numpy_arrays():
    if np is None:
        return st.nothing()
    from hypothesis.extra import numpy as hnp

    def array(dtype_name):
        dtype = np.dtype(dtype_name)
        elements = _datetime64_elements(dtype) if dtype.kind == "M" else None
        return hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4),
                          elements=elements)

    return st.sampled_from(NUMPY_DTYPES).flatmap(array)


def numpy_scalars():
    if np is None:
        return st.nothing()
    return numpy_arrays().filter(lambda a: a.size > 0).map(lambda a: a.reshape(-1)[0])


NUMPY_ARRAYS = numpy_arrays()
NUMPY_SCALARS = numpy_scalars()

# ---------------------------------------------------------------------------
# Fragments

FRAGMENTS = st.one_of(
    st.sampled_from([b"", b"1", b"[1,2]", b'{"a": [true, null]}', b"  spaced  ", "é😀", "[\"x\"]"]),
    st.binary(max_size=20),
    TEXT,
).map(jcodec.Fragment)

# ---------------------------------------------------------------------------
# Everything together

RICH_SCALARS = st.one_of(DATETIMES, NAIVE_DATETIMES, DATES, TIMES, UUIDS, ENUMS, NUMPY_ARRAYS, NUMPY_SCALARS,
                         FRAGMENTS)
# Keys OPT_NON_STR_KEYS converts (numpy scalars are refused there).
RICH_KEYS = st.one_of(TEXT, INTS, FLOATS, st.booleans(), st.none(), DATETIMES, NAIVE_DATETIMES, DATES, TIMES,
                      UUIDS, KEY_ENUMS)
SCALARS = st.one_of(st.none(), st.booleans(), INTS, FLOATS, TEXT)


def documents(keys=TEXT):
    """Values mixing every type, in lists, tuples, dicts (with `keys`) and
    dataclasses."""
    return st.recursive(
        st.one_of(SCALARS, RICH_SCALARS),
        lambda children: st.one_of(st.lists(children, max_size=5), st.lists(children, max_size=3).map(tuple),
                                   st.dictionaries(keys, children, max_size=5), dataclasses_of(children)),
        max_leaves=12)


DOCUMENTS = documents()
KEYED_DOCUMENTS = documents(RICH_KEYS)
OPTIONS = st.integers(0, (1 << 12) - 1)
