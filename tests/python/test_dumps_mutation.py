"""Python code that dumps runs (a tzinfo's utcoffset(), an enum key's value)
changing the containers being written: never a crash or a read of a freed
object (the sanitizers gate runs this file under ASan), always either the
output or a JSONEncodeError that says where.

Without `default`, the encoder holds no reference to dict keys and walks a
dict's table directly (core/dict_table.h): these are the cases where
that would go wrong if it were not checked.
"""
import datetime
import gc
import json

import pytest

import jcodec


class Meddling(datetime.tzinfo):
    """A zone whose utcoffset() runs `action` first, then returns `offset`."""

    def __init__(self, action, offset=datetime.timedelta(0)):
        self.action = action
        self.offset = offset

    def utcoffset(self, dt):
        self.action()
        gc.collect()
        return self.offset

    def dst(self, dt):
        return None


def unique_key(n):
    # Built at run time so that only the dict holds it (no interned constant).
    return "".join(["member-", str(n), "-" * 40])


def fresh_dict(action_of, offset=datetime.timedelta(0), extra=()):
    target = {}
    for n in extra:
        target[unique_key(n)] = n
    zone = Meddling(lambda: None, offset)
    target[unique_key(99)] = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=zone)
    zone.action = action_of(target)
    return target


TOO_FAR = datetime.timedelta(hours=30)  # refused: the member fails after the action


@pytest.mark.parametrize("extra", [(), (1, 2, 3)])
def test_member_deleted_then_failing_names_the_deleted_key(extra):
    target = fresh_dict(lambda d: d.clear, TOO_FAR, extra)
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(target)
    assert str(info.value).endswith("at $[<key deleted during serialization>]"), str(info.value)


def test_member_deleted_then_written_stops_with_changed_size():
    target = fresh_dict(lambda d: d.clear, extra=(1, 2))
    with pytest.raises(jcodec.JSONEncodeError, match="dict changed size during serialization"):
        jcodec.dumps(target)


def test_dict_grown_mid_walk_stops_with_changed_size():
    # Enough members to resize the table: the walk must not go on over the old one.
    def grow(d):
        return lambda: d.update({unique_key(1000 + n): n for n in range(200)})

    target = fresh_dict(grow, extra=(1, 2))
    target[unique_key(5000)] = "after"
    with pytest.raises(jcodec.JSONEncodeError, match="dict changed size during serialization"):
        jcodec.dumps(target)


def test_value_replaced_in_place_is_written_or_refused():
    # Same size, same table: the walk reads the slot again and writes what is there.
    def replace(d):
        return lambda: d.__setitem__(unique_key(1), "replaced")

    target = fresh_dict(replace, extra=())
    target[unique_key(1)] = "original"
    out = jcodec.dumps(target)
    assert json.loads(out)[unique_key(1)] == "replaced"


def test_list_emptied_mid_write_stops_short():
    items = []
    zone = Meddling(items.clear)
    items += [1, datetime.datetime(2020, 1, 1, tzinfo=zone), 2, 3]
    out = jcodec.dumps(items)
    assert json.loads(out) == [1, "2020-01-01T00:00:00+00:00"]


def test_non_str_key_deleting_its_member():
    target = {}
    zone = Meddling(lambda: None)  # hashing the key calls utcoffset() too
    target[datetime.datetime(2020, 1, 1, tzinfo=zone)] = 1
    zone.action, zone.offset = target.clear, TOO_FAR
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(target, option=jcodec.OPT_NON_STR_KEYS)
    assert "utcoffset" in str(info.value)


def test_nested_member_deleted_from_the_outer_dict():
    outer = {}
    zone = Meddling(outer.clear, TOO_FAR)
    outer[unique_key(7)] = {"inner": [datetime.datetime(2020, 1, 1, tzinfo=zone)]}
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(outer)
    assert str(info.value).endswith("at $[<key deleted during serialization>].inner[0]"), str(info.value)
