"""The types of README's table together: which type goes where (exact types,
subclasses to default, namedtuple to default, TypedDict as a dict), every
option combination over a document of every type, OPT_NON_STR_KEYS with the
key types orjson converts, errors inside these types with their paths and
causes, and generated documents mixing everything, all against
reference.expected. The reference itself is checked here too: on built-in
values it is json.dumps. Each type in depth: test_dumps_datetime,
test_dumps_dataclass, test_dumps_uuid_enum, test_dumps_numpy,
test_dumps_fragment.
"""
import collections
import dataclasses
import datetime
import enum
import typing
import uuid

import pytest

import jcodec
import reference
from support import IntSub, StrSub, Unknown, assert_reference, reference_dumps_with, render_path, scaled_examples

pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402

import _dumps_strategies as S  # noqa: E402
import _types_strategies as T  # noqa: E402

NSK = jcodec.OPT_NON_STR_KEYS
np = T.np


class Suit(enum.Enum):
    HEARTS = "h"
    SPADES = [1, 2]


@dataclasses.dataclass
class Card:
    suit: Suit
    rank: int
    drawn: datetime.datetime = None


def everything():
    """One value of each type, in containers."""
    value = {
        "datetime": datetime.datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone(datetime.timedelta(hours=-3))),
        "naive": datetime.datetime(2020, 1, 2, 3, 4, 5, 6),
        "date": datetime.date(2020, 1, 2),
        "time": datetime.time(3, 4, 5, 6),
        "uuid": uuid.UUID(int=0x1234),
        "enum": [Suit.HEARTS, Suit.SPADES],
        "dataclass": Card(Suit.SPADES, 12, datetime.datetime(1999, 12, 31, 23, 59, 59)),
        "fragment": jcodec.Fragment(b'{"raw": [1,2]}'),
        "subclasses": [StrSub("s"), IntSub(5)],
        "plain": [1, 2.5, None, True, "x", (1, 2)],
        "unknown": Unknown(),
    }
    if np is not None:
        value["numpy"] = [np.arange(6, dtype=np.int16).reshape(2, 3), np.float32(1.1),
                          np.array(["2000-01-01T00:00:00.123"], dtype="datetime64[ms]")]
    return value


def _default(obj):
    return "<%s>" % type(obj).__name__


def test_every_option_combination():
    value = everything()
    for option in range(1 << 12):
        assert_reference(value, option, _default)
        assert_reference(value, option)  # refused: Unknown (and more, depending on the options)


def test_document():
    value = everything()
    del value["unknown"]
    value.pop("numpy", None)
    assert jcodec.dumps(value) == (
        b'{"datetime":"2020-01-02T03:04:05.678901-03:00","naive":"2020-01-02T03:04:05.000006",'
        b'"date":"2020-01-02","time":"03:04:05.000006","uuid":"00000000-0000-0000-0000-000000001234",'
        b'"enum":["h",[1,2]],"dataclass":{"suit":[1,2],"rank":12,"drawn":"1999-12-31T23:59:59"},'
        b'"fragment":{"raw": [1,2]},"subclasses":["s",5],"plain":[1,2.5,null,true,"x",[1,2]]}')


# =============================================================================
# Which type goes where


def test_subclasses_go_to_default():
    class MyDatetime(datetime.datetime):
        pass

    class MyDate(datetime.date):
        pass

    class MyUUID(uuid.UUID):
        pass

    values = [MyDatetime(2000, 1, 1), MyDate(2000, 1, 1), MyUUID(int=1)]
    if np is not None:
        values.append(np.arange(2).view(type("MyArray", (np.ndarray,), {})))
    for value in values:
        with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: %s$" % type(value).__name__):
            jcodec.dumps(value, option=jcodec.OPT_SERIALIZE_NUMPY)
    assert jcodec.dumps(values, _default, jcodec.OPT_SERIALIZE_NUMPY) == (
        b'["<MyDatetime>","<MyDate>","<MyUUID>"' + (b',"<MyArray>"]' if np is not None else b"]"))
    assert_reference(values, jcodec.OPT_SERIALIZE_NUMPY, _default)


def test_namedtuple_goes_to_default():
    Pair = collections.namedtuple("Pair", "a b")

    class Typed(typing.NamedTuple):
        x: int

    for value in (Pair(1, 2), Typed(3)):
        with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: %s$" % type(value).__name__):
            jcodec.dumps(value)
        assert jcodec.dumps([value], default=lambda o: o._asdict()) == b"[%s]" % jcodec.dumps(value._asdict())
        assert_reference([value], default=lambda o: o._asdict())


def test_typeddict_is_a_dict():
    class Movie(typing.TypedDict):
        name: str
        year: int

    movie = Movie(name="Blade Runner", year=1982)
    assert type(movie) is dict
    assert jcodec.dumps(movie) == b'{"name":"Blade Runner","year":1982}'


def test_enum_before_subclass_and_dataclass():
    """An enum member that is also an int or str subclass, or whose class is
    a dataclass too, is an enum member: its value."""
    class Both(IntSub, enum.Enum):
        A = 5

    assert jcodec.dumps(Both.A) == b"5"
    # Its value is an IntSub (enum makes it with the mixed-in type), which
    # OPT_PASSTHROUGH_SUBCLASS sends to default.
    assert type(Both.A.value) is IntSub
    assert jcodec.dumps(Both.A, int, jcodec.OPT_PASSTHROUGH_SUBCLASS) == b"5"
    assert_reference([Both.A], jcodec.OPT_PASSTHROUGH_SUBCLASS)
    assert_reference([Both.A], jcodec.OPT_PASSTHROUGH_SUBCLASS, int)

    @dataclasses.dataclass
    class Member:
        x: int = 1

    class DataEnum(Member, enum.Enum):
        A = 7

    assert_reference([DataEnum.A])


def test_passthrough_options_together():
    value = everything()
    option = jcodec.OPT_PASSTHROUGH_DATETIME | jcodec.OPT_PASSTHROUGH_DATACLASS | jcodec.OPT_PASSTHROUGH_SUBCLASS
    seen = []

    def default(obj):
        seen.append(type(obj).__name__)
        return _default(obj)

    out = jcodec.dumps(value, default, option)
    assert sorted(set(seen)) == sorted({"datetime", "date", "time", "Card", "StrSub", "IntSub", "Unknown"}
                                       | ({"ndarray", "float32"} if np is not None else set()))
    assert b'"<Card>"' in out and b'"<datetime>"' in out
    assert_reference(value, option, _default)


# =============================================================================
# OPT_NON_STR_KEYS with these types


def test_rich_keys():
    keys = {
        datetime.datetime(2000, 1, 2, 3, 4, 5, 6): 1,
        datetime.datetime(2000, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc): 2,
        datetime.date(2000, 1, 2): 3,
        datetime.time(3, 4, 5, 6): 4,
        uuid.UUID(int=5): 5,
        Suit.HEARTS: 6,
        StrSub("sub"): 7,
        IntSub(8): 8,
        None: 9,
        True: 10,
        2.5: 11,
        "str": 12,
    }
    assert jcodec.dumps(keys, option=NSK) == (
        b'{"2000-01-02T03:04:05.000006":1,"2000-01-02T03:04:05+00:00":2,"2000-01-02":3,"03:04:05.000006":4,'
        b'"00000000-0000-0000-0000-000000000005":5,"h":6,"sub":7,"8":8,"null":9,"true":10,"2.5":11,"str":12}')
    assert jcodec.dumps(keys, option=NSK | jcodec.OPT_NAIVE_UTC | jcodec.OPT_UTC_Z | jcodec.OPT_OMIT_MICROSECONDS
                        | jcodec.OPT_SORT_KEYS) == (
        b'{"00000000-0000-0000-0000-000000000005":5,"03:04:05":4,"2.5":11,"2000-01-02":3,"2000-01-02T03:04:05Z":1,'
        b'"2000-01-02T03:04:05Z":2,"8":8,"h":6,"null":9,"str":12,"sub":7,"true":10}')
    for option in range(0, 1 << 12, 5):
        assert_reference(keys, option | NSK)
    orjson = pytest.importorskip("orjson", reason="orjson 3.8.3 is not installed: no side-by-side check")
    for option in (NSK, NSK | jcodec.OPT_SORT_KEYS, NSK | jcodec.OPT_NAIVE_UTC | jcodec.OPT_UTC_Z):
        assert orjson.dumps(keys, option=option) == jcodec.dumps(keys, option=option)


def test_sorted_non_str_key_path_names_the_key():
    """An error's path names a converted key as the key it is (its repr), with
    OPT_SORT_KEYS as without (the sorted path named the text it sorts by)."""
    for key, step in ((1, "[1]"), (None, "[None]"), (2.5, "[2.5]"), (True, "[True]")):
        for option in (NSK, NSK | jcodec.OPT_SORT_KEYS):
            with pytest.raises(jcodec.JSONEncodeError) as info:
                jcodec.dumps({key: [Unknown()]}, option=option)
            assert str(info.value) == "Type is not JSON serializable: Unknown at $%s[0]" % step, option


@pytest.mark.parametrize("key", [datetime.time(1, tzinfo=datetime.timezone.utc), (1, 2), frozenset(), b"x",
                                 jcodec.Fragment(b"1"), Card(Suit.HEARTS, 1)], ids=lambda k: type(k).__name__)
def test_refused_keys(key):
    if isinstance(key, Card):
        Card.__hash__ = object.__hash__  # a dataclass with eq=True is unhashable
    try:
        for option in (NSK, NSK | jcodec.OPT_SORT_KEYS):
            with pytest.raises(jcodec.JSONEncodeError):
                jcodec.dumps({"a": {key: 1}}, option=option)
            assert_reference({"a": {key: 1}}, option)
    finally:
        if isinstance(key, Card):
            Card.__hash__ = None


def test_keys_without_the_option_must_be_str():
    for key in (datetime.date(2000, 1, 1), uuid.UUID(int=1), Suit.HEARTS):
        with pytest.raises(jcodec.JSONEncodeError, match="^Dict key must be str at "):
            jcodec.dumps({key: 1})


# =============================================================================
# Errors inside the types: message, path, cause


class FailingZone(datetime.tzinfo):
    def __init__(self):
        self.fail = False

    def utcoffset(self, dt):
        if self.fail:
            return int("x")
        return None


def test_error_paths_through_the_types():
    zone = FailingZone()
    failing = datetime.datetime(2000, 1, 1, tzinfo=zone)
    cases = [
        ({"when": [failing]}, "datetime's timezone failed to give its utcoffset()", ["when", 0], ValueError),
        ([Card(Suit.HEARTS, 1, failing)], "datetime's timezone failed to give its utcoffset()", [0, "drawn"],
         ValueError),
        ({"c": Card(Unknown(), 1)}, "Type is not JSON serializable: Unknown", ["c", "suit"], None),
        ([{"t": datetime.time(1, tzinfo=datetime.timezone.utc)}], "datetime.time must not have tzinfo set", [0, "t"],
         None),
        ({"f": [jcodec.Fragment(None)]}, "Fragment contents must be bytes or str, not NoneType", ["f", 0], None),
    ]
    zone.fail = True
    for value, message, path, cause in cases:
        with pytest.raises(jcodec.JSONEncodeError) as info:
            jcodec.dumps(value)
        assert str(info.value) == message + " at " + render_path(path)
        assert (type(info.value.__cause__) if cause else info.value.__cause__) is cause
        assert_reference(value)


def test_default_exceptions_inside_the_types():
    def default(obj):
        raise KeyError("no")

    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps({"card": Card(Suit.HEARTS, Unknown())}, default=default)
    assert str(info.value) == "Type is not JSON serializable: Unknown at $.card.rank"
    assert type(info.value.__cause__) is KeyError

    def interrupted(obj):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        jcodec.dumps([Card(Suit.HEARTS, Unknown())], default=interrupted)
    with pytest.raises(KeyboardInterrupt):
        reference.expected([Card(Suit.HEARTS, Unknown())], default=interrupted)


# =============================================================================
# The reference itself


@settings(max_examples=scaled_examples(150))
@given(value=S.VALUES, option=T.OPTIONS)
def test_reference_is_json_on_builtin_values(value, option):
    """On values json writes as dumps does (no NaN, str keys), the reference
    is json.dumps under OPT_INDENT_2, OPT_SORT_KEYS and OPT_APPEND_NEWLINE."""
    if S.has_nonfinite(value):
        return
    try:
        json_out = reference_dumps_with(value, option)
    except ValueError:
        return
    try:
        want = reference.expected(value, option)
    except reference.Refused:
        assert option & jcodec.OPT_STRICT_INTEGER or any(
            0xD800 <= ord(c) <= 0xDFFF for s in S.all_objects(value) if isinstance(s, str) for c in s)
        return
    assert want == json_out


def test_reference_option_checks():
    for option in (-1, 1 << 12, True, IntSub(1), 1.0, "1"):
        with pytest.raises(reference.Refused, match="^Invalid opts$"):
            reference.expected(1, option)
        with pytest.raises(jcodec.JSONEncodeError, match="^Invalid opts$"):
            jcodec.dumps(1, option=option)
    with pytest.raises(reference.Refused, match="^default must be callable$"):
        reference.expected(1, default=5)
    assert reference.expected(1, None) == b"1"


# =============================================================================
# Generated


@settings(max_examples=scaled_examples(300))
@given(value=T.DOCUMENTS, option=T.OPTIONS)
def test_generated(value, option):
    assert_reference(value, option, _default)


@settings(max_examples=scaled_examples(200))
@given(value=T.KEYED_DOCUMENTS, option=T.OPTIONS)
def test_generated_keys(value, option):
    assert_reference(value, option | NSK, _default)
