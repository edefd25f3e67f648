"""Objects that match no shape, built at their final size (core/dict_table.h,
jc_dict_from_pairs on CPython 3.11 to 3.13; insertion elsewhere).

Each dict must be the one json.loads builds by insertion: equal, its keys in
document order, the same size (sys.getsizeof: the same table), found by every
lookup of an equal str and by none of an absent one, tracked by the GC as
json's is, and a dict CPython can go on growing, shrinking and copying.
Sizes cover every table size up to 2^11 slots and the index widths of 1, 2
and 4 bytes; a repeated key takes the insertion path, which must agree too.
"""
import gc
import json
import sys
import pytest

import _memory_helpers as mh
import jcodec

pytestmark = pytest.mark.usefixtures("default_cache")

# every member count to 100, each side of the table-size steps above it (2/3
# of 256, 512, ..., 65536 slots), the first 2-byte and the first 4-byte index
SIZES = list(range(0, 101)) + [170, 171, 341, 342, 682, 683, 1365, 1366, 43690, 43691]


def object_text(pairs):
    return "{" + ",".join(f'"{key}":{value}' for key, value in pairs) + "}"


def assert_like_json(doc):
    ours, theirs = jcodec.loads(doc), json.loads(doc)
    assert ours == theirs
    assert list(ours) == list(theirs)
    assert sys.getsizeof(ours) == sys.getsizeof(theirs)
    assert gc.is_tracked(ours) == gc.is_tracked(theirs)
    for key in theirs:
        assert ours["".join(list(key))] == theirs[key]
    assert "absent" not in ours and "k-1" not in ours
    return ours, theirs


@pytest.mark.parametrize("n", SIZES)
def test_every_size_is_json_s_table(n):
    ours, theirs = assert_like_json(object_text((f"k{i}", i) for i in range(n)))
    # CPython carries on with the table: growth, deletion, copies
    copy = dict(ours)
    ours.update({f"x{i}": i for i in range(40)})
    for key in list(copy)[::3]:
        del ours[key]
    assert all(ours[key] == copy[key] for key in copy if key in ours)
    assert ours.copy() == ours and len(ours) == n + 40 - len(list(copy)[::3])
    ours.clear()
    assert ours == {}


@pytest.mark.parametrize(
    "doc",
    [
        '{"a":1,"b":2,"a":3}',
        '{"a":[1],"a":2}',  # a replaced container: json's stays tracked
        '{"a":1,"\\u0061":2,"b":{"c":1,"c":[]}}',  # equal keys from different bytes
        '{"k":' + ",\"k\":".join(str(i) for i in range(200)) + "}",
        object_text([(f"k{i % 50}", i) for i in range(300)]),
    ],
    ids=["repeat", "replaced-container", "escaped-equal", "one-key-200-times", "50-keys-6-times"],
)
def test_repeated_keys_as_json(doc):
    """The last value wins, the first key keeps its place, the size is that
    of the keys that stay."""
    assert_like_json(doc)


def test_keys_of_every_kind():
    keys = ["é", "€", "😀", "a€", "é😀", "ascii", "x" * 70, "\\n", "\\u00e9\\u20ac"]
    assert_like_json(object_text((key, i) for i, key in enumerate(keys)))


def test_gc_tracking_follows_the_values():
    for doc in ('{"a":1,"b":"s"}', '{"a":{},"b":1}', '{"a":1,"b":[]}', '{"a":null}'):
        assert_like_json(doc)


def assert_nothing_retained(doc, rounds):
    """The test_memory_leaks check: not a byte traced, nor in the allocator
    layer, gained over the rounds after a warm-up."""
    retained = mh.retained_after(lambda i: jcodec.loads(doc), rounds, warmup=3)
    assert retained.bytes == 0, retained.top
    assert retained.own_bytes == 0


def test_values_are_held_once():
    """The dict takes the references the parser held: nothing leaks over
    repeated calls, and a value's count is json's."""
    doc = object_text((f"key{i}", '{"inner":[1,2]}') for i in range(64))
    assert_nothing_retained(doc, 200)
    ours, theirs = jcodec.loads(doc), json.loads(doc)
    assert sys.getrefcount(ours["key5"]) == sys.getrefcount(theirs["key5"])


def test_repeated_keys_leave_nothing_behind():
    """A repeated key gives up the table it started and inserts instead."""
    assert_nothing_retained(object_text([(f"k{i % 40}", i) for i in range(120)]), 300)


def shared_empty_table_count():
    """dk_refcnt of the table every empty dict shares (read through an empty
    dict: ma_keys after ob_refcnt, ob_type, ma_used and ma_version_tag)."""
    import ctypes

    keys = ctypes.c_void_p.from_address(id({}) + 32).value
    return ctypes.c_ssize_t.from_address(keys).value


@pytest.mark.skipif(sys.maxsize < 2**32, reason="offsets of a 64-bit build")
def test_the_shared_empty_table_is_counted_as_cpython_counts_it():
    """On 3.11 each empty dict counts itself in the shared table, and a dict
    given its own table must give that count back; from 3.12 it is immortal."""
    gc.collect()
    start = shared_empty_table_count()
    results = [jcodec.loads(object_text((f"k{i}", i) for i in range(n))) for n in range(1, 50)]
    results += [jcodec.loads('{"a":1,"b":2,"a":3}') for _ in range(10)]
    del results
    gc.collect()
    assert shared_empty_table_count() == start


def test_under_the_debug_allocators():
    """python -X dev checks that each block is freed by the allocator family
    that made it (dictobject.c frees tables with PyMem from 3.13, PyObject
    before) and fills freed memory: a mismatch aborts the interpreter."""
    code = (
        "import json, jcodec\n"
        "docs = ['{' + ','.join('\"k%d\":[%d]' % (i, i) for i in range(n)) + '}' for n in range(1, 90)]\n"
        "docs += ['{\"\\u00e9\":1,\"\\u20ac\":{\"x\":{}},\"a\":1,\"a\":2}', '[' + ','.join(docs) + ']']\n"
        "for doc in docs:\n"
        "    ours = jcodec.loads(doc)\n"
        "    assert ours == json.loads(doc)\n"
        "    if isinstance(ours, dict):\n"
        "        ours.update({'x%d' % i: i for i in range(30)})\n"
        "        for key in list(ours)[::2]:\n"
        "            del ours[key]\n"
        "    del ours\n"
    )
    import subprocess

    run = subprocess.run([sys.executable, "-X", "dev", "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
