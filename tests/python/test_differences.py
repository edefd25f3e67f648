"""differences.py, the one list of deliberate differences: each difference
from orjson shown (jcodec's behaviour, and orjson 3.8.3's beside it where it
behaves as 3.11 does on that point: OrjsonDifference.side_by_side), each
loads difference from json shown, and README.md's table "Differences from
json and orjson, on purpose" listing exactly the entries (by their `readme`,
the first cell of a row), no row more and none missing.
"""
import datetime
import dataclasses
import json
import pickle
import re
import sys

import pytest

import jcodec
from differences import DIFFERENCES, ORJSON_DIFFERENCES, README_ROWS
from support import ROOT, Unknown

NSK = jcodec.OPT_NON_STR_KEYS


def orjson_module():
    """orjson (3.8.3 here) or None when it is not installed."""
    try:
        import orjson
    except ImportError:
        return None
    return orjson


def nest(depth, leaf):
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def chain(calls):
    """A default answering with another Unknown until its n-th call."""
    count = [0]

    def default(obj):
        count[0] += 1
        return Unknown() if count[0] < calls else "done"

    return default


# =============================================================================
# Against orjson: one show_<name>(orjson) per entry; orjson is None when it is
# not installed, or for an entry that is not side by side.


def show_float_repr(orjson):
    assert jcodec.dumps([1e16, 1e-7, 1.5e300]) == b"[1e+16,1e-07,1.5e+300]"
    if orjson is not None:
        assert orjson.dumps([1e16, 1e-7, 1.5e300]) == b"[1e16,1e-7,1.5e300]"
    np = sys.modules.get("numpy")
    if np is not None:
        array = np.array([1e16, 3.4e38], dtype=np.float32)
        assert jcodec.dumps(array, option=jcodec.OPT_SERIALIZE_NUMPY) == b"[1e+16,3.4e+38]"
        if orjson is not None:
            assert orjson.dumps(array, option=orjson.OPT_SERIALIZE_NUMPY) == b"[1e16,3.4e38]"


def show_big_ints(orjson):
    assert jcodec.dumps([2**64, -(2**100)]) == b"[18446744073709551616,-1267650600228229401496703205376]"
    assert jcodec.dumps({2**70: 1}, option=NSK) == b'{"1180591620717411303424":1}'
    if orjson is not None:
        for value, option in (([2**64], None), ({2**70: 1}, orjson.OPT_NON_STR_KEYS)):
            with pytest.raises(TypeError, match="64-bit range"):
                orjson.dumps(value, option=option)


def show_loads_big_ints(orjson):
    assert jcodec.loads(b"[18446744073709551616]") == [18446744073709551616]
    assert type(jcodec.loads(b"18446744073709551616")) is int
    if orjson is not None:
        assert type(orjson.loads(b"18446744073709551616")) is float


def show_error_position(orjson):
    doc = '["é€", tru]'.encode()
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(doc)
    assert info.value.pos == doc.index(b"tru")  # a byte offset
    if orjson is not None:
        with pytest.raises(orjson.JSONDecodeError) as other:
            orjson.loads(doc)
        assert other.value.pos != info.value.pos


def show_error_path(orjson):
    value = {"users": [{"id": 1}, {"id": object()}]}
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(value)
    assert str(info.value) == "Type is not JSON serializable: object at $.users[1].id"
    if orjson is not None:
        with pytest.raises(TypeError) as other:
            orjson.dumps(value)
        assert str(other.value) == "Type is not JSON serializable: object"


def show_default_exceptions_propagate(orjson):
    for exception in (MemoryError("m"), RecursionError("r"), KeyboardInterrupt()):
        def default(obj, exception=exception):
            raise exception

        with pytest.raises(type(exception)) as info:
            jcodec.dumps([Unknown()], default=default)
        assert info.value is exception
        if orjson is not None:
            with pytest.raises(TypeError):  # JSONEncodeError
                orjson.dumps([Unknown()], default=default)


def show_default_reentry(orjson):
    """At nesting 1 and a high recursion limit, in a child (orjson 3.8.3
    crashes there: not run)."""
    from support import run_child

    proc = run_child("""
        import sys, jcodec
        sys.setrecursionlimit(3000)
        class X: pass
        def default(o):
            return jcodec.dumps([X()], default=default).decode()
        try:
            jcodec.dumps([X()], default=default)
        except RecursionError:
            print("RecursionError")
    """)
    assert proc.returncode == 0, proc.stderr[-1000:]
    assert proc.stdout.strip() == "RecursionError"


def show_default_depth(orjson):
    assert jcodec.dumps(Unknown(), default=chain(254)) == b'"done"'
    with pytest.raises(jcodec.JSONEncodeError, match="^default serializer exceeds recursion limit$"):
        jcodec.dumps(Unknown(), default=chain(255))
    if orjson is not None:
        assert orjson.dumps(Unknown(), default=chain(255)) == b'"done"'
        with pytest.raises(TypeError):
            orjson.dumps(Unknown(), default=chain(256))


def show_container_depth(orjson):
    assert jcodec.dumps(nest(254, 1)) == b"[" * 254 + b"1" + b"]" * 254
    with pytest.raises(jcodec.JSONEncodeError, match="^maximum nesting depth of 254 exceeded"):
        jcodec.dumps(nest(255, 1))
    if orjson is not None:
        assert orjson.dumps(nest(255, 1)) == b"[" * 255 + b"1" + b"]" * 255
        with pytest.raises(TypeError):
            orjson.dumps(nest(256, 1))


def show_default_not_callable(orjson):
    with pytest.raises(jcodec.JSONEncodeError, match="^default must be callable$"):
        jcodec.dumps(1, default=5)
    if orjson is not None:
        assert orjson.dumps(1, default=5) == b"1"


def show_fragment_pickle(orjson):
    fragment = jcodec.Fragment(b'{"a":1}')
    assert pickle.loads(pickle.dumps(fragment)).contents == b'{"a":1}'
    assert repr(fragment).startswith("<jcodec.Fragment object at ")


@dataclasses.dataclass
class _Point:
    x: int


def show_dataclass_fields(orjson):
    point = _Point(1)
    point.label = "outside the fields"
    assert jcodec.dumps(point) == b'{"x":1}'
    if orjson is not None:
        assert orjson.dumps(point) == b'{"x":1,"label":"outside the fields"}'


def show_offset_carry(orjson):
    dt = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=1, minutes=59, seconds=30)))
    assert jcodec.dumps(dt) == b'"2000-01-01T00:00:00+02:00"'
    if orjson is not None:
        assert orjson.dumps(dt) == b'"2000-01-01T00:00:00+01:60"'


class _NoOffset(datetime.tzinfo):
    def utcoffset(self, dt):
        return None


def show_utcoffset_none(orjson):
    dt = datetime.datetime(2000, 1, 1, tzinfo=_NoOffset())
    assert dt.isoformat() == "2000-01-01T00:00:00"
    assert jcodec.dumps(dt) == b'"2000-01-01T00:00:00"'
    assert jcodec.dumps(dt, option=jcodec.OPT_NAIVE_UTC) == b'"2000-01-01T00:00:00"'
    if orjson is not None:
        assert orjson.dumps(dt) == b'"2000-01-01T00:00:00+00:00"'


def show_datetime64_range(orjson):
    np = pytest.importorskip("numpy")
    for value in (np.datetime64("10000-01-01"), np.datetime64("0000-12-31"), np.datetime64("-0001-01-01")):
        with pytest.raises(jcodec.JSONEncodeError, match="^unrepresentable numpy.datetime64"):
            jcodec.dumps(value, option=jcodec.OPT_SERIALIZE_NUMPY)
    assert jcodec.dumps(np.datetime64("9999-12-31"), option=jcodec.OPT_SERIALIZE_NUMPY) == b'"9999-12-31T00:00:00"'


def show_numpy_endian_wording(orjson):
    np = pytest.importorskip("numpy")
    with pytest.raises(jcodec.JSONEncodeError, match="^numpy array is not native-endian$"):
        jcodec.dumps(np.zeros(2, dtype=">f8"), option=jcodec.OPT_SERIALIZE_NUMPY)


def show_module_name(orjson):
    assert jcodec.__name__ == "jcodec"
    assert jcodec.JSONEncodeError.__module__ == "jcodec" and jcodec.JSONEncodeError is not TypeError
    assert issubclass(jcodec.JSONEncodeError, TypeError)
    assert issubclass(jcodec.JSONDecodeError, json.JSONDecodeError)
    if orjson is not None:
        assert orjson.JSONEncodeError is TypeError


@pytest.mark.parametrize("name", sorted(ORJSON_DIFFERENCES))
def test_orjson_difference(name):
    difference = ORJSON_DIFFERENCES[name]
    assert difference.direction in ("dumps", "loads")
    assert difference.jcodec and difference.orjson and difference.reason and difference.readme
    show = globals()["show_" + name]
    show(orjson_module() if difference.side_by_side else None)


def test_every_show_has_its_entry():
    shows = {n[len("show_"):] for n in globals() if n.startswith("show_")}
    assert shows == set(ORJSON_DIFFERENCES)


# =============================================================================
# loads against json


@pytest.mark.parametrize("name", sorted(DIFFERENCES))
def test_json_difference(name):
    difference = DIFFERENCES[name]
    try:
        json.loads(difference.example)
    except RecursionError:
        assert name == "depth"
    with pytest.raises(jcodec.JSONDecodeError) as info:
        jcodec.loads(difference.example)
    assert difference.jcodec_msg in info.value.msg
    assert info.value.pos == difference.jcodec_pos


# =============================================================================
# README's table


def readme_table_rows(text):
    """The first cells of the rows of README's differences table (not the
    header and its separator)."""
    section = re.search(r"^### Differences from json and orjson, on purpose\n(.*?)(?=^#)", text, re.S | re.M)
    assert section, "README.md has no section 'Differences from json and orjson, on purpose'"
    rows = [line for line in section.group(1).splitlines() if line.startswith("|")]
    cells = [re.split(r"(?<!\\)\|", row)[1].strip() for row in rows]
    return cells[2:]  # header, separator


def test_readme_lists_exactly_the_differences():
    rows = readme_table_rows((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(rows) == len(set(rows)), "a row twice in README's table"
    missing = sorted(set(README_ROWS) - set(rows))
    extra = sorted(set(rows) - set(README_ROWS))
    assert not missing and not extra, (
        "README's differences table and differences.py disagree:\n  rows missing from README: %s\n"
        "  README rows no entry names: %s" % (missing, extra))
