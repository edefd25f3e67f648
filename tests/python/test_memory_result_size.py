"""The object graph jcodec.loads returns is no larger than json.loads's.

tracemalloc measures the memory still traced after the call, with the result
kept alive and after a collection: the result plus whatever the call keeps
(the key cache's new entries: it is cleared first, so the keys it shares are
counted on jcodec's side). Both measurements run in this process, one after the
other, on the same bytes.

Two numbers per side: the traced total (the sum of requested sizes, which is
what tracemalloc reports) and the same blocks rounded up to pymalloc's 16-byte
size classes (what the allocator really hands out for requests <= 512 bytes:
a 28-byte and a 32-byte int both take 32). The shared corpus must pass on both;
the synthetic documents on the allocator's number, so that an int built by
PyLong_FromLongLong (32 bytes requested) is not counted as larger than the same
int from PyLong_FromString (28 bytes requested).
"""
import gc
import json
import sys
import tracemalloc

import pytest

import jcodec
import _memory_helpers as mh
from support import first_difference, shared_corpus_params


def traced_size_of_result(loads, raw):
    """(result, bytes requested by the call and still alive, the same rounded to
    the allocator's size classes)."""
    gc.collect()
    if tracemalloc.is_tracing():
        pytest.skip("tracemalloc already tracing (python -X tracemalloc): cannot measure one call alone")
    tracemalloc.start(1)
    try:
        result = loads(raw)
        gc.collect()
        requested = tracemalloc.get_traced_memory()[0]
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    allocated = sum(mh.allocated_size(t.size) for t in snapshot.traces
                    if t.traceback[0].filename != tracemalloc.__file__)
    del snapshot
    return result, requested, allocated


def compare(name, raw, capsys, strict_requested):
    # warm both up (first-call allocations that outlive the call are not the result)
    jcodec.loads(b'{"warm": [1, 2.5, "up"]}')
    json.loads(b'{"warm": [1, 2.5, "up"]}')
    jcodec._cache_clear()
    ours, ours_requested, ours_allocated = traced_size_of_result(jcodec.loads, raw)
    theirs, theirs_requested, theirs_allocated = traced_size_of_result(json.loads, raw)
    with capsys.disabled():
        print(f"\n[result size] {name}: traced jcodec {ours_requested:,} B vs json {theirs_requested:,} B "
              f"({ours_requested / max(theirs_requested, 1):.3f}x); "
              f"allocated {ours_allocated:,} B vs {theirs_allocated:,} B "
              f"({ours_allocated / max(theirs_allocated, 1):.3f}x)")
    diff = first_difference(ours, theirs)
    assert diff is None, diff
    assert ours_allocated <= theirs_allocated, (
        f"{name}: jcodec's result takes {ours_allocated:,} B > json's {theirs_allocated:,} B")
    if strict_requested:
        assert ours_requested <= theirs_requested, (
            f"{name}: jcodec's result traces {ours_requested:,} B > json's {theirs_requested:,} B")


@pytest.mark.parametrize("path", shared_corpus_params())
def test_shared_document(path, capsys):
    compare(path.name, path.read_bytes(), capsys, strict_requested=True)


# Documents of the project's own, so the property is checked without ../shared
# too, including shapes the shared corpus lacks.
SYNTHETIC = {
    "floats": json.dumps([i * 0.1 for i in range(20000)]),
    "ints": json.dumps(list(range(-5000, 50000)) + [2**70 + i for i in range(1000)]),
    "short_repeated_keys": json.dumps([{"id": i, "name": "xy", "tags": ["ab", "cd"]} for i in range(3000)]),
    "non_ascii_short_keys": json.dumps([{"ключ": i, "名前": "xy"} for i in range(2000)], ensure_ascii=False),
    "strings_all_kinds": json.dumps(["a" * (i % 50 + 2) + "é" * (i % 7) + "€" * (i % 3) + "😀" * (i % 2)
                                     for i in range(3000)], ensure_ascii=False),
    "nested_small_containers": json.dumps([[[i], {}, []] for i in range(10000)]),
    "escaped_strings": json.dumps(["line\n\t\"quoted\" \u20ac" * 3 for _ in range(2000)]),
    # one-character strings: CPython (and so json) shares a singleton per
    # Latin-1 character
    "one_char_strings": json.dumps([{"k": c} for c in "xyz\u00e9\n" * 2000], ensure_ascii=False),
    # keys over the key cache's 64-byte limit, repeated: json.loads shares one
    # str per distinct key within a document (its memo)
    "long_repeated_keys": json.dumps([{"k" * 100: i, "x" * 65: i} for i in range(2000)]),
}


def test_more_distinct_keys_than_the_cache_holds():
    """The documented limit (README, "Key cache"): a document cycling through
    more distinct keys than the cache's 2048 slots gets a fresh str for a key
    whose slot was taken meanwhile, where json's per-document memo shares one.
    The result is still equal, and costs at most one extra key str per key
    occurrence over json's."""
    repeats, distinct = 5, 3000
    raw = json.dumps([{f"key{j}": j for j in range(distinct)} for _ in range(repeats)]).encode()
    jcodec._cache_clear()
    our_result, _, ours = traced_size_of_result(jcodec.loads, raw)
    their_result, _, theirs = traced_size_of_result(json.loads, raw)
    assert first_difference(our_result, their_result) is None
    one_key = mh.allocated_size(sys.getsizeof("key2999"))
    print(f"jcodec {ours:,} B, json {theirs:,} B, bound {theirs + repeats * distinct * one_key:,} B")
    assert ours > theirs, "the cache holds more keys than documented: update README and this test"
    assert ours <= theirs + repeats * distinct * one_key, (ours, theirs)


@pytest.mark.parametrize("name", list(SYNTHETIC))
def test_synthetic_document(name, capsys):
    compare(name, SYNTHETIC[name].encode(), capsys, strict_requested=False)
