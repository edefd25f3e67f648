"""Objects built as copies of the last object with the same keys
(core/decode/dict_shape.h), seen through loads.

A copied object must be the dict that inserting its members would have built:
equal, with its keys in document order, the same size (sys.getsizeof: the same
table), tracked by the GC exactly when json's is, and holding its own
references. Each test compares with json.loads of the same document, dict by
dict, so a difference anywhere in the tree fails it.
"""
import gc
import json
import sys

import pytest

import jcodec
from support import shared_corpus_params

pytestmark = pytest.mark.usefixtures("default_cache")


def assert_same_tree(ours, theirs, path="$"):
    assert type(ours) is type(theirs), path
    if isinstance(ours, dict):
        assert list(ours) == list(theirs), path
        assert sys.getsizeof(ours) == sys.getsizeof(theirs), path
        assert gc.is_tracked(ours) == gc.is_tracked(theirs), path
        for key in ours:
            assert_same_tree(ours[key], theirs[key], f"{path}[{key!r}]")
    elif isinstance(ours, list):
        assert len(ours) == len(theirs), path
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same_tree(a, b, f"{path}[{i}]")
    else:
        assert ours == theirs and type(ours) is type(theirs), path


def check(doc):
    ours = jcodec.loads(doc)
    assert_same_tree(ours, json.loads(doc))
    return ours


KEYS = ("a", "b", "c", "d", "e", "f")  # JC_SHAPE_MIN_MEMBERS: smaller objects are built at size


def records(values, keys=KEYS):
    """A list of objects with the same keys, one per value."""
    return json.dumps([{k: v for k in keys} for v in values]).encode()


@pytest.mark.parametrize("path", shared_corpus_params())
def test_shared_documents(path):
    check(path.read_bytes())


def test_records_of_every_size():
    # under 6 members (built at their size on 3.11-3.13, else copied), 6 to 64
    # (copied), 65 (too large to be).
    for n in (1, 2, 3, 5, 6, 7, 11, 22, 43, 64, 65):
        keys = [f"k{i}" for i in range(n)]
        check(records(range(5), keys))


@pytest.mark.parametrize("values", [
    [1, [], 2, {}, None, {"x": 1}, "s", [[]], 3.5, True],  # the first untracked
    [[], 1, {}, 2, None, {"x": 1}, "s", [[]], 3.5, True],  # the first tracked
])
def test_tracking_follows_the_values_both_ways(values):
    # The copies start from the first object's tracking (the one inserted and
    # remembered) and must end at their own.
    ours = check(records(values))
    assert [gc.is_tracked(d) for d in ours] == [not isinstance(v, (int, float, str, type(None)))
                                                for v in values]


def test_copies_hold_their_own_values():
    ours = jcodec.loads(records(["first", "second", "third"]))
    second = ours[1]
    del ours[0], ours[0]  # the object it was copied from is gone
    gc.collect()
    assert second == {key: "second" for key in KEYS}
    # Each value is its own str, held by its dict alone: here, by the dict,
    # `value` and getrefcount's argument; then by the last two.
    value = second["a"]
    assert sys.getrefcount(value) == 3
    del second
    assert sys.getrefcount(value) == 2


def test_same_keys_in_another_order_or_count():
    base = {key: i for i, key in enumerate(KEYS)}
    doc = json.dumps([base, dict(reversed(list(base.items()))), dict(list(base.items())[:-1]),
                      dict(base, g=7), {("x" if k == "b" else k): v for k, v in base.items()},
                      {key: -i for i, key in enumerate(KEYS)}]).encode()
    check(doc)


def test_duplicate_keys_last_wins():
    rest = b'"c":0,"d":0,"e":0,"f":0'
    doc = b'[' + b",".join([b'{"a":1,"b":2,"a":3,' + rest + b'}'] * 4
                           + [b'{"a":1,"b":2,' + rest + b'}'] * 3
                           + [b'{"a":1,"a":2,' + rest + b'}'] * 3) + b']'
    ours = check(doc)
    assert ours[0] == {"a": 3, "b": 2, "c": 0, "d": 0, "e": 0, "f": 0}
    assert ours[-1] == {"a": 2, "c": 0, "d": 0, "e": 0, "f": 0}


def test_nested_records():
    inner = {"id": 1, "name": "n", "tags": ["t"], "x": 0, "y": 0, "z": 0}
    doc = json.dumps([{"user": dict(inner, id=i), "meta": dict(inner, id=i, tags=[]), "a": 0,
                       "b": 0, "c": 0, "d": 0} for i in range(50)]).encode()
    check(doc)


def test_an_object_copied_from_one_it_contains():
    # The innermost object is remembered first; each object around it has
    # the same keys, so it is copied from the one it holds as a value.
    rest = b',"c":0,"d":0,"e":0,"f":0'
    inner = b'{"a":1,"b":2' + rest + b'}'
    middle = b'{"a":' + inner + b',"b":[]' + rest + b'}'
    check(b'[{"a":' + middle + b',"b":2' + rest + b'},{"a":1,"b":' + inner + rest + b'}]')


def test_without_the_key_cache():
    # Keys are new str objects each time: never the same keys by identity.
    jcodec._cache_configure(enabled=False)
    try:
        check(records(range(20)))
    finally:
        jcodec._cache_configure(enabled=True)


def test_json_lines_results_are_independent():
    # The objects of one line are forgotten before the caller gets them: a
    # change to one cannot reach the next line's copies.
    record = {"a": 1, "b": [2], "c": "x", "d": 0, "e": 0, "f": 0}
    line = json.dumps(record).encode()
    data = b"\n".join([line] * 4)
    it = jcodec.iter_lines(__import__("io").BytesIO(data))
    first = next(it)
    first["a"] = "changed"
    del first["b"]
    rest = list(it)
    assert rest == [record] * 3
    for obj in jcodec.loads_lines(data):
        assert_same_tree(obj, json.loads(line))


def test_failed_document_releases_everything():
    doc = records(range(10))[:-2] + b"]"  # cut inside the last object
    with pytest.raises(jcodec.JSONDecodeError):
        jcodec.loads(doc)
    check(records(range(10)))
