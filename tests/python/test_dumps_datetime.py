"""jcodec.dumps of datetime.datetime, date and time: RFC 3339 text as
isoformat() writes it, the offset from every kind of zone, the options
OPT_NAIVE_UTC, OPT_OMIT_MICROSECONDS, OPT_UTC_Z and OPT_PASSTHROUGH_DATETIME,
and the refusals (a time with a tzinfo, a utcoffset() that fails).

Each case against reference.expected (isoformat() and utcoffset(), with
orjson's offset rule) and the documented ones against literal bytes; where
orjson 3.8.3 (installed) behaves as 3.11 (zones with whole-minute offsets,
the options), side by side with it too. Third-party zones (pytz, dateutil,
pendulum) skip with a message when the package is missing.
"""
import datetime
import zoneinfo

import pytest

import jcodec
import reference
from support import FixedZone, assert_reference, scaled_examples

pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import _types_strategies as T  # noqa: E402

UTC = datetime.timezone.utc
NAIVE_UTC = jcodec.OPT_NAIVE_UTC
OMIT = jcodec.OPT_OMIT_MICROSECONDS
UTC_Z = jcodec.OPT_UTC_Z
PASSTHROUGH = jcodec.OPT_PASSTHROUGH_DATETIME
DATETIME_OPTIONS = [0, NAIVE_UTC, OMIT, UTC_Z, NAIVE_UTC | UTC_Z, NAIVE_UTC | OMIT | UTC_Z,
                    jcodec.OPT_INDENT_2 | OMIT, jcodec.OPT_NON_STR_KEYS | NAIVE_UTC]


def tz(**delta):
    return datetime.timezone(datetime.timedelta(**delta))


def needs(name):
    module = T.AVAILABLE[name]
    if module is None:
        pytest.skip("%s is not installed: its zones are not tested" % name)
    return module


def orjson_or_skip():
    return pytest.importorskip("orjson", reason="orjson 3.8.3 is not installed: no side-by-side check")


def check(obj, *, options=DATETIME_OPTIONS, orjson=False):
    """obj (and [obj] and {"k": obj}) under each option against the reference,
    and against orjson 3.8.3 when asked."""
    for option in options:
        for value in (obj, [obj], {"k": obj}):
            out = assert_reference(value, option)
            if orjson:
                other = orjson_or_skip()
                assert other.dumps(value, option=option) == out, (value, option)


# =============================================================================
# The documented examples


def test_documented_examples():
    assert jcodec.dumps(datetime.datetime(2018, 6, 1, 2, 3, 4, 123, tzinfo=tz(hours=2))) == (
        b'"2018-06-01T02:03:04.000123+02:00"')
    assert jcodec.dumps(datetime.date(2000, 1, 13)) == b'"2000-01-13"'
    assert jcodec.dumps(datetime.time(12, 15, 59, 111)) == b'"12:15:59.000111"'
    assert jcodec.dumps(datetime.datetime(2000, 1, 1, 0, 0, 0)) == b'"2000-01-01T00:00:00"'
    assert jcodec.dumps(datetime.datetime(2000, 1, 1, tzinfo=UTC)) == b'"2000-01-01T00:00:00+00:00"'
    assert jcodec.dumps(datetime.datetime(2000, 1, 1, tzinfo=UTC), option=UTC_Z) == b'"2000-01-01T00:00:00Z"'
    assert jcodec.dumps(datetime.datetime(2000, 1, 1), option=NAIVE_UTC) == b'"2000-01-01T00:00:00+00:00"'
    assert jcodec.dumps(datetime.datetime(2000, 1, 1), option=NAIVE_UTC | UTC_Z) == b'"2000-01-01T00:00:00Z"'
    assert jcodec.dumps(datetime.datetime(2000, 1, 1, 1, 2, 3, 456789), option=OMIT) == b'"2000-01-01T01:02:03"'
    assert jcodec.dumps(datetime.time(1, 2, 3, 456789), option=OMIT) == b'"01:02:03"'
    # RFC 3339 section 5.8: Amsterdam's +00:19:32.13 of 1937 is written as the
    # closest representable offset. zoneinfo has it to the second.
    amsterdam = datetime.datetime(1937, 1, 1, 12, 0, 27, 870000, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
    assert amsterdam.utcoffset() == datetime.timedelta(minutes=19, seconds=32)
    assert jcodec.dumps(amsterdam) == b'"1937-01-01T12:00:27.870000+00:20"'


def test_isoformat_layout():
    """The text is isoformat()'s, without its seconds of offset: years below
    1000 zero-padded, microseconds only when non-zero."""
    for value in (datetime.datetime(1, 1, 1), datetime.datetime(999, 12, 31, 23, 59, 59, 1),
                  datetime.datetime(2000, 2, 29, 12, 0, 0, 100000), datetime.date(1, 1, 1), datetime.date(999, 9, 9),
                  datetime.time(0, 0), datetime.time(23, 59, 59, 999999), datetime.time(0, 0, 0, 1)):
        assert jcodec.dumps(value) == ('"%s"' % value.isoformat()).encode()
        check(value, orjson=True)


def test_min_and_max():
    values = [datetime.datetime.min, datetime.datetime.max, datetime.date.min, datetime.date.max,
              datetime.time.min, datetime.time.max,
              datetime.datetime.min.replace(tzinfo=tz(hours=23, minutes=59)),
              datetime.datetime.max.replace(tzinfo=tz(hours=-23, minutes=-59)),
              datetime.datetime.max.replace(tzinfo=tz(hours=-23, minutes=-59, seconds=-59, microseconds=-999999))]
    assert jcodec.dumps(values[:6]) == (b'["0001-01-01T00:00:00","9999-12-31T23:59:59.999999","0001-01-01",'
                                         b'"9999-12-31","00:00:00","23:59:59.999999"]')
    assert jcodec.dumps(values[6]) == b'"0001-01-01T00:00:00+23:59"'
    assert jcodec.dumps(values[7]) == b'"9999-12-31T23:59:59.999999-23:59"'
    for value in values:
        check(value)
    check(values[:8], orjson=True)


# =============================================================================
# Offsets: datetime.timezone, any offset


@pytest.mark.parametrize("delta,text", [
    (dict(hours=2), "+02:00"), (dict(hours=-5), "-05:00"), (dict(hours=5, minutes=30), "+05:30"),
    (dict(minutes=-90), "-01:30"), (dict(hours=23, minutes=59), "+23:59"), (dict(hours=-23, minutes=-59), "-23:59"),
    (dict(minutes=19, seconds=32), "+00:20"),  # RFC 3339's example: to the closest minute
    (dict(seconds=29), "+00:00"), (dict(seconds=30), "+00:01"), (dict(seconds=-30), "-00:01"),
    (dict(seconds=89), "+00:01"), (dict(seconds=90), "+00:02"), (dict(seconds=-90), "-00:02"),
    (dict(hours=1, minutes=59, seconds=30), "+02:00"),  # carried into the hour (orjson 3.8.3: "+01:60")
    (dict(hours=-1, minutes=-59, seconds=-59), "-02:00"),
    # Whole seconds of the timedelta, as orjson reads it (its microseconds dropped).
    (dict(seconds=29, microseconds=999999), "+00:00"),
    # An offset that is not zero keeps its sign, even when it rounds to 00:00 (as orjson).
    (dict(seconds=-20), "-00:00"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_fixed_offsets(delta, text):
    dt = datetime.datetime(2020, 5, 6, 7, 8, 9, tzinfo=tz(**delta))
    assert jcodec.dumps(dt) == ('"2020-05-06T07:08:09%s"' % text).encode()
    check(dt)


def test_whole_minute_offsets_as_orjson():
    """Every whole-minute offset of a day, as orjson 3.8.3 writes it."""
    values = [datetime.datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=tz(minutes=m)) for m in range(-1439, 1440)]
    for option in (0, UTC_Z, OMIT):
        assert_reference(values, option)
        assert jcodec.dumps(values, option=option) == orjson_or_skip().dumps(values, option=option)


def test_every_second_offset():
    """All 172,799 offsets of datetime.timezone, against the reference."""
    values = [datetime.datetime(2001, 2, 3, tzinfo=tz(seconds=s)) for s in range(-86399, 86400)]
    assert_reference(values)
    assert_reference(values, UTC_Z)


def test_zero_offset_is_z_with_utc_z():
    zero = [UTC, tz(), tz(hours=0, microseconds=1)]
    for zone in zero:
        dt = datetime.datetime(2000, 1, 1, tzinfo=zone)
        assert jcodec.dumps(dt) == b'"2000-01-01T00:00:00+00:00"'
        assert jcodec.dumps(dt, option=UTC_Z) == b'"2000-01-01T00:00:00Z"'
    # 20 seconds is not a zero offset: no Z (as orjson).
    assert jcodec.dumps(datetime.datetime(2000, 1, 1, tzinfo=tz(seconds=20)), option=UTC_Z) == (
        b'"2000-01-01T00:00:00+00:00"')


# =============================================================================
# Zones: zoneinfo, pytz, dateutil, pendulum, custom tzinfo


# Around the transitions: New York's 2021 DST start (02:00 -> 03:00, a gap)
# and end (02:00 -> 01:00, a fold), Lord Howe's half-hour DST, Kathmandu's +05:45.
INSTANTS = [(2021, 3, 14, 1, 59, 59), (2021, 3, 14, 2, 30), (2021, 3, 14, 3, 0), (2021, 11, 7, 0, 59),
            (2021, 11, 7, 1, 0), (2021, 11, 7, 1, 30), (2021, 11, 7, 2, 0), (2022, 4, 3, 1, 45),
            (1970, 1, 1), (1900, 1, 1), (2038, 1, 19, 3, 14, 8), (3000, 6, 15, 12)]


@pytest.mark.parametrize("name", T.ZONE_NAMES)
def test_zoneinfo(name):
    zone = zoneinfo.ZoneInfo(name)
    values = [datetime.datetime(*fields, tzinfo=zone, fold=fold) for fields in INSTANTS for fold in (0, 1)]
    for option in (0, UTC_Z, OMIT | NAIVE_UTC):
        assert_reference(values, option)
        assert jcodec.dumps(values, option=option) == orjson_or_skip().dumps(values, option=option)


def test_zoneinfo_fold():
    zone = zoneinfo.ZoneInfo("America/New_York")
    first = datetime.datetime(2021, 11, 7, 1, 30, tzinfo=zone)
    second = first.replace(fold=1)
    assert jcodec.dumps([first, second]) == b'["2021-11-07T01:30:00-04:00","2021-11-07T01:30:00-05:00"]'
    # In the gap, fold picks the offset before (0) or after (1) the transition.
    gap = datetime.datetime(2021, 3, 14, 2, 30, tzinfo=zone)
    assert jcodec.dumps([gap, gap.replace(fold=1)]) == (
        b'["2021-03-14T02:30:00-05:00","2021-03-14T02:30:00-04:00"]')
    # A naive datetime's fold changes nothing.
    assert jcodec.dumps(datetime.datetime(2021, 11, 7, 1, 30, fold=1)) == b'"2021-11-07T01:30:00"'


def test_pytz():
    pytz = needs("pytz")
    paris = pytz.timezone("Europe/Paris")
    localized = [paris.localize(datetime.datetime(*fields), is_dst=dst) for fields in INSTANTS[8:]
                 for dst in (False, True)]
    localized += [pytz.timezone("America/New_York").localize(datetime.datetime(*f), is_dst=d)
                  for f in INSTANTS[:8] for d in (False, True)]
    assert jcodec.dumps(paris.localize(datetime.datetime(2000, 6, 1, 12))) == b'"2000-06-01T12:00:00+02:00"'
    # Attached without localize(), a pytz zone holds its first (LMT) offset;
    # normalized first, as orjson does, the offset is the one in force then.
    attached = datetime.datetime(2000, 6, 1, 12, tzinfo=paris)
    assert attached.utcoffset() == datetime.timedelta(minutes=9)
    assert jcodec.dumps(attached) == b'"2000-06-01T12:00:00+02:00"'
    values = localized + [attached, datetime.datetime(2000, 1, 1, tzinfo=pytz.utc),
                          datetime.datetime(2000, 1, 1, tzinfo=pytz.FixedOffset(-150))]
    for option in (0, UTC_Z, OMIT):
        assert_reference(values, option)
        assert jcodec.dumps(values, option=option) == orjson_or_skip().dumps(values, option=option)


def test_pytz_at_the_ends_of_the_range():
    """normalize() of year 1 or 9999 overflows inside pytz: JSONEncodeError
    with the OverflowError as its cause (orjson 3.8.3 crashes here)."""
    pytz = needs("pytz")
    for dt in (datetime.datetime(1, 1, 1, tzinfo=pytz.timezone("Europe/Paris")),
               datetime.datetime(9999, 12, 31, 23, 59, tzinfo=pytz.timezone("America/New_York"))):
        got = assert_reference(dt)
        assert isinstance(got, jcodec.JSONEncodeError)
        assert isinstance(got.__cause__, OverflowError)


def test_dateutil():
    tz_module = needs("dateutil")
    zones = [tz_module.gettz("Europe/Paris"), tz_module.gettz("America/New_York"), tz_module.tzutc(),
             tz_module.tzoffset("X", -3600), tz_module.tzoffset(None, 5 * 3600 + 45 * 60), tz_module.UTC]
    values = [datetime.datetime(*fields, tzinfo=zone) for fields in INSTANTS for zone in zones]
    values += [tz_module.enfold(datetime.datetime(2021, 11, 7, 1, 30, tzinfo=zones[1]), fold=f) for f in (0, 1)]
    assert jcodec.dumps(values[-2:]) == b'["2021-11-07T01:30:00-04:00","2021-11-07T01:30:00-05:00"]'
    for option in (0, UTC_Z):
        assert_reference(values, option)
        assert jcodec.dumps(values, option=option) == orjson_or_skip().dumps(values, option=option)
    # Offsets with seconds (tzoffset keeps them): rounded.
    assert jcodec.dumps(datetime.datetime(2000, 1, 1, tzinfo=tz_module.tzoffset(None, 3599))) == (
        b'"2000-01-01T00:00:00+01:00"')


def test_pendulum():
    pendulum = needs("pendulum")
    zones = [pendulum.timezone("Europe/Paris"), pendulum.timezone("America/New_York"), pendulum.UTC,
             pendulum.timezone("Asia/Kolkata")]
    values = [datetime.datetime(*fields, tzinfo=zone) for fields in INSTANTS for zone in zones]
    assert jcodec.dumps(datetime.datetime(2000, 6, 1, tzinfo=zones[0])) == b'"2000-06-01T00:00:00+02:00"'
    for option in (0, UTC_Z):
        assert_reference(values, option)
        assert jcodec.dumps(values, option=option) == orjson_or_skip().dumps(values, option=option)


def test_pendulum_datetime_is_a_subclass():
    """pendulum.DateTime subclasses datetime: default, as any subclass."""
    pendulum = needs("pendulum")
    value = pendulum.datetime(2000, 1, 2, 3, 4, 5, tz="Europe/Paris")
    with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: DateTime$"):
        jcodec.dumps(value)
    assert jcodec.dumps(value, default=lambda o: o.isoformat()) == b'"2000-01-02T03:04:05+01:00"'
    assert_reference([value], default=lambda o: o.isoformat())


def test_custom_tzinfo():
    for offset, text in ((datetime.timedelta(hours=3), b"+03:00"), (datetime.timedelta(hours=-3, seconds=-31), b"-03:01"),
                         (datetime.timedelta(0), b"+00:00")):
        dt = datetime.datetime(2000, 1, 1, tzinfo=FixedZone(offset))
        assert jcodec.dumps(dt) == b'"2000-01-01T00:00:00' + text + b'"'
        check(dt)


def test_utcoffset_none_writes_no_offset():
    """utcoffset() of None: no offset, as isoformat() writes it, and
    OPT_NAIVE_UTC does not add one (the datetime has a tzinfo). orjson 3.8.3
    writes "+00:00" (differences.py: utcoffset_none)."""
    dt = datetime.datetime(2000, 1, 1, tzinfo=FixedZone(None))
    assert dt.isoformat() == "2000-01-01T00:00:00"
    for option in (0, NAIVE_UTC, UTC_Z | NAIVE_UTC):
        assert jcodec.dumps(dt, option=option) == b'"2000-01-01T00:00:00"'
        check(dt, options=[option])


# =============================================================================
# Refusals


def test_time_with_tzinfo_is_refused():
    for zone in (UTC, tz(hours=1), zoneinfo.ZoneInfo("Europe/Paris"), FixedZone(None)):
        for value, path in ((datetime.time(1, 2, tzinfo=zone), ""), ([{"t": datetime.time(1, tzinfo=zone)}], " at $[0].t")):
            with pytest.raises(jcodec.JSONEncodeError) as info:
                jcodec.dumps(value)
            assert str(info.value) == "datetime.time must not have tzinfo set" + path
            check(value)
    orjson = orjson_or_skip()
    with pytest.raises(TypeError):
        orjson.dumps(datetime.time(1, tzinfo=UTC))


class Raising(datetime.tzinfo):
    def utcoffset(self, dt):
        return 1 / 0


class RaisingLater(datetime.tzinfo):
    raising = False

    def utcoffset(self, dt):
        if self.raising:
            return 1 / 0
        return datetime.timedelta(0)


class WrongType(datetime.tzinfo):
    def utcoffset(self, dt):
        return "+01:00"


def test_failing_utcoffset():
    """A utcoffset() that raises: JSONEncodeError with the exception as its
    cause and the path of the datetime."""
    value = {"events": [1, {"at": datetime.datetime(2000, 1, 1, tzinfo=Raising())}]}
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(value)
    assert str(info.value) == "datetime's timezone failed to give its utcoffset() at $.events[1].at"
    assert type(info.value.__cause__) is ZeroDivisionError
    assert info.value.__cause__.__traceback__ is not None
    check(value["events"][1]["at"])
    # The same as a key (in a dict made before the zone starts raising: an
    # aware datetime's hash needs its offset too).
    zone = RaisingLater()
    keyed = {"a": {datetime.datetime(2000, 1, 1, tzinfo=zone): 1}}
    zone.raising = True
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(keyed, option=jcodec.OPT_NON_STR_KEYS)
    assert str(info.value).startswith("datetime's timezone failed to give its utcoffset() at $.a[")
    assert type(info.value.__cause__) is ZeroDivisionError


@pytest.mark.parametrize("zone,message", [
    (WrongType(), "datetime's utcoffset() returned str, not datetime.timedelta"),
    (FixedZone(datetime.timedelta(hours=24)), "datetime's utcoffset() is not within 24 hours of UTC"),
    (FixedZone(datetime.timedelta(days=-2)), "datetime's utcoffset() is not within 24 hours of UTC"),
], ids=["str", "plus_24h", "minus_2_days"])
def test_unusable_utcoffset(zone, message):
    dt = datetime.datetime(2000, 1, 1, tzinfo=zone)
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps([dt])
    assert str(info.value) == message + " at $[0]"
    check(dt)


def test_minus_24_hours_is_refused():
    """datetime wants an offset strictly within a day of UTC: -24h is refused
    as +24h is (it was written "-24:00"), with the same message."""
    dt = datetime.datetime(2000, 1, 1, tzinfo=FixedZone(datetime.timedelta(hours=-24)))
    with pytest.raises(ValueError):
        dt.utcoffset()
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps([dt])
    assert str(info.value) == "datetime's utcoffset() is not within 24 hours of UTC at $[0]"
    check(dt)
    # A microsecond inside the day is an offset datetime accepts, either way.
    for delta in (datetime.timedelta(hours=-24, microseconds=1), datetime.timedelta(hours=24, microseconds=-1)):
        dt = datetime.datetime(2000, 1, 1, tzinfo=FixedZone(delta))
        dt.utcoffset()
        check(dt)


# =============================================================================
# Options


def test_passthrough_datetime():
    values = [datetime.datetime(2000, 1, 1, tzinfo=UTC), datetime.date(2000, 1, 1), datetime.time(1),
              datetime.time(1, tzinfo=UTC)]
    seen = []

    def default(obj):
        seen.append(type(obj))
        return type(obj).__name__

    assert jcodec.dumps(values, default, PASSTHROUGH) == b'["datetime","date","time","time"]'
    assert seen == [datetime.datetime, datetime.date, datetime.time, datetime.time]
    with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: datetime at \\$\\[0\\]$"):
        jcodec.dumps(values, option=PASSTHROUGH)
    # Keys are converted all the same (as orjson).
    assert jcodec.dumps({datetime.date(2000, 1, 1): 1}, option=PASSTHROUGH | jcodec.OPT_NON_STR_KEYS) == (
        b'{"2000-01-01":1}')
    orjson = orjson_or_skip()
    assert orjson.dumps(values, default, orjson.OPT_PASSTHROUGH_DATETIME) == jcodec.dumps(values, default, PASSTHROUGH)
    for option in range(0, 4096, 7):
        assert_reference(values[:3], option | PASSTHROUGH, default)


def test_every_option_combination():
    values = [datetime.datetime(2000, 1, 1, 1, 2, 3, 4), datetime.datetime(2000, 1, 1, 1, 2, 3, 4, tzinfo=UTC),
              datetime.datetime(2000, 1, 1, 1, 2, 3, tzinfo=tz(hours=-2)), datetime.date(2000, 1, 1),
              datetime.time(1, 2, 3, 4), {datetime.datetime(2000, 1, 1, 5): [datetime.time(5)]}]
    default = repr
    for option in range(1 << 12):
        assert_reference(values, option, default)


def test_subclasses_go_to_default():
    class MyDatetime(datetime.datetime):
        pass

    class MyDate(datetime.date):
        pass

    class MyTime(datetime.time):
        pass

    values = [MyDatetime(2000, 1, 1), MyDate(2000, 1, 1), MyTime(1)]
    for value in values:
        with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: %s$" % type(value).__name__):
            jcodec.dumps(value)
    assert jcodec.dumps(values, default=lambda o: type(o).__name__) == b'["MyDatetime","MyDate","MyTime"]'
    orjson = orjson_or_skip()
    assert orjson.dumps(values, default=lambda o: type(o).__name__) == b'["MyDatetime","MyDate","MyTime"]'
    assert_reference(values, default=lambda o: type(o).__name__)


# =============================================================================
# Generated


@settings(max_examples=scaled_examples(300))
@given(value=st.one_of(T.DATETIMES, T.NAIVE_DATETIMES, T.DATES, T.TIMES), option=T.OPTIONS)
def test_generated(value, option):
    assert_reference([value, {"k": value}], option, default=repr)


@settings(max_examples=scaled_examples(150))
@given(values=st.lists(T.DATETIMES, max_size=8), option=st.sampled_from(DATETIME_OPTIONS))
def test_generated_keys(values, option):
    assert_reference({v: i for i, v in enumerate(values)}, option | jcodec.OPT_NON_STR_KEYS)
    assert_reference({v: i for i, v in enumerate(values)},
                     option | jcodec.OPT_NON_STR_KEYS | jcodec.OPT_SORT_KEYS)


def test_reference_offsets():
    """The reference's own rule, on the cases orjson 3.8.3 shows."""
    for seconds, text in ((20, "+00:00"), (-20, "-00:00"), (30, "+00:01"), (-30, "-00:01"), (0, "+00:00"),
                          (7170, "+02:00")):
        got = reference.expected(datetime.datetime(2000, 1, 1, tzinfo=tz(seconds=seconds)))
        assert got == b'"2000-01-01T00:00:00' + text.encode() + b'"'
