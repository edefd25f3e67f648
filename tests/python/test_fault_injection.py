"""Fault injection: every allocation request a loads makes, failed in turn.

jcodec._fail_alloc_after(k) makes the k-th allocation request (CPython's MEM and
OBJ domains, so Python objects too) of the next jcodec call fail; k=0 counts
only. For each document: learn k_total, then for every k in 1..k_total the armed
loads must raise exactly MemoryError with exactly one injected failure, and the
next plain loads must succeed with the right result. Both with the key cache
empty (so cache insertions and their raw-byte copies allocate) and warm (hits),
and in persistent mode (every request from the k-th on fails). Finally nothing
may leak: tracemalloc and the allocator layer's live byte count.
"""
import gc
import json
import sys
import tracemalloc

import pytest

import jcodec
import _helpers_alloc as helpers
from _helpers_alloc import SMALL_DOCUMENTS, outcome, shared_document, sweep


@pytest.fixture(autouse=True)
def default_cache():
    jcodec._cache_configure(ways=4, enabled=True)
    jcodec._cache_force_hash(None)
    yield
    jcodec._cache_configure(ways=4, enabled=True)
    jcodec._cache_force_hash(None)
    jcodec._cache_clear()


def expected_for(doc):
    return ("ok", json.loads(doc))


# ---------------------------------------------------------------------------
# Valid documents
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("cold", [True, False], ids=["cold_cache", "warm_cache"])
@pytest.mark.parametrize("persistent", [False, True], ids=["nth", "persistent"])
@pytest.mark.parametrize("name", sorted(SMALL_DOCUMENTS))
def test_sweep_small_documents(name, cold, persistent):
    doc = SMALL_DOCUMENTS[name]
    expected = expected_for(doc)
    assert outcome(doc) == expected
    sweep(doc, expected, cold=cold, persistent=persistent)


def _input_variants():
    """The same kinds of content through every input type: str (ASCII, and
    non-ASCII so loads encodes a temporary), bytearray and memoryview (copied)."""
    text = helpers.doc_escaped_keys().decode("utf-8")
    ascii_text = helpers.doc_many_values(150).decode("ascii")
    return {
        "str_ascii": ascii_text,
        "str_non_ascii": text,
        "bytearray": bytearray(helpers.doc_nested()),
        "memoryview": memoryview(helpers.doc_strings()),
    }


@pytest.mark.parametrize("name", sorted(_input_variants()))
def test_sweep_input_types(name):
    doc = _input_variants()[name]
    expected = expected_for(bytes(doc) if not isinstance(doc, str) else doc)
    assert outcome(doc) == expected
    sweep(doc, expected, cold=True)
    sweep(doc, expected, cold=True, persistent=True)


def test_sweep_forced_collisions():
    """Every key in one set: each miss evicts, so the sweep also fails the
    allocations around evictions of keys with raw-byte copies."""
    jcodec._cache_force_hash(0)
    doc = helpers.doc_escaped_keys()
    expected = expected_for(doc)
    sweep(doc, expected, cold=True)
    sweep(doc, expected, cold=False)
    doc = helpers.doc_many_keys(100)
    sweep(doc, expected_for(doc), cold=False)


GITHUB = shared_document("github.json")
needs_github = pytest.mark.skipif(GITHUB is None, reason="../shared/corpus/github.json absent")


@needs_github
@pytest.mark.parametrize("cold", [True, False], ids=["cold_cache", "warm_cache"])
@pytest.mark.parametrize("persistent", [False, True], ids=["nth", "persistent"])
def test_sweep_github(cold, persistent):
    expected = expected_for(GITHUB)
    assert outcome(GITHUB) == expected
    sweep(GITHUB, expected, cold=cold, persistent=persistent)


@pytest.mark.parametrize("name", ["twitter.json", "citm_catalog.json", "canada.json"])
def test_sweep_large_corpus_sampled(name):
    """The larger shared documents make tens of thousands of requests: a full
    sweep would take minutes, so about 40 evenly spaced k (and the last)."""
    doc = shared_document(name)
    if doc is None:
        pytest.skip("../shared/corpus/%s absent" % name)
    expected = expected_for(doc)
    assert outcome(doc) == expected
    total = helpers.count_allocations(doc, cold=True)
    sweep(doc, expected, cold=True, step=max(1, total // 40))


# ---------------------------------------------------------------------------
# Invalid documents: the error path allocates too (JSONDecodeError and its
# arguments); a failure there must still give MemoryError.
# ---------------------------------------------------------------------------

INVALID = {
    "bad_literal": b'[1, 2, {"a": tru}]',
    "trailing_comma_str": '[1, "\u00e9", ]',
    "extra_data": b'{"a": 1} x',
    "truncated_bytearray": bytearray(b'[1, 2, {"k": "v"'),
    "missing_colon_memoryview": memoryview(b'{"key" 1}'),
    "unterminated_str": '["\u00e9' + "x" * 100,
    "bad_escape_in_key": b'{"a\\qb": 1}',
    "control_char": b'["abc\x01"]',
    "bad_utf8": b'["\xff"]',
    "lone_surrogate": b'["\\ud800"]',
    "after_many_values": json.dumps(list(range(300))).encode()[:-1] + b",]",
}


@pytest.mark.parametrize("persistent", [False, True], ids=["nth", "persistent"])
@pytest.mark.parametrize("name", sorted(INVALID))
def test_sweep_invalid_documents(name, persistent):
    doc = INVALID[name]
    expected = outcome(doc)
    assert expected[0] == "error" and expected[1] is jcodec.JSONDecodeError
    sweep(doc, expected, cold=True, persistent=persistent)


def test_sweep_int_over_digit_limit():
    """An integer literal over sys.get_int_max_str_digits(). CPython's
    PyLong_FromString raises the ValueError with PyErr_Format, which replaces a
    MemoryError raised while formatting its message by that ValueError: those
    requests can only give the ordinary JSONDecodeError, so the sweep accepts
    exactly that error (same message, same position) besides MemoryError. What
    it does not accept is a different error: a failed request must never change
    the limit the message reports."""
    doc = b"[" + b"9" * 5000 + b"]"
    expected = outcome(doc)
    assert expected[0] == "error" and "limit of 4300" in expected[2]
    sweep(doc, expected, cold=True, same_error_ok=True)


# ---------------------------------------------------------------------------
# Leaks
# ---------------------------------------------------------------------------


def _all_sweeps(documents):
    for doc, step in documents:
        expected = outcome(doc)
        for cold in (True, False):
            sweep(doc, expected, cold=cold, step=step)
        sweep(doc, expected, cold=True, persistent=True, step=step)


def _settle():
    """Drops what is cached on purpose: jcodec's key cache, garbage, and
    CPython 3.11's type attribute cache, which keeps a strong reference to the
    name of each attribute lookup it caches, even to the temporary str that
    PyObject_GetAttrString creates for a C caller (the error path makes such
    lookups): thousands of entries fill up slowly and would look like a leak."""
    jcodec._cache_clear()
    gc.collect()
    sys._clear_type_cache()


def _traced_bytes(snapshot):
    """Traced bytes outside tracemalloc's own module (take_snapshot's objects)."""
    return sum(trace.size for trace in
               snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]).traces)


def test_no_leak():
    documents = [(doc, 1) for doc in SMALL_DOCUMENTS.values()]
    documents += [(doc, 1) for doc in INVALID.values()]
    if GITHUB is not None:
        # Every 5th k: tracemalloc makes each request ~10x slower.
        documents.append((GITHUB, 5))
    _settle()
    live_start = jcodec._alloc_stats()["live_bytes"]

    tracemalloc.start(1)
    try:
        # Warm-up, with tracing on. CPython keeps freed floats, dicts, lists,
        # tuples, dict key tables, MemoryError instances and more on per-type
        # free lists instead of freeing them, and the next allocation of the
        # type pops one without a malloc. So the first pass leaves traced
        # blocks behind that are not leaks: the lists filling up to the depth
        # the workload needs, and blocks allocated before tracing started
        # (untraced, so their free is not seen either) swapped on the lists for
        # traced ones. After one complete pass the lists are in the state every
        # later pass leaves them in, and a second identical pass must not change
        # the traced total at all.
        _all_sweeps(documents)
        _settle()
        before = tracemalloc.take_snapshot()
        _all_sweeps(documents)
        _settle()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()

    growth = _traced_bytes(after) - _traced_bytes(before)
    if growth > 0:
        top = "\n".join(str(stat) for stat in after.compare_to(before, "lineno")[:10])
        pytest.fail("%d bytes more traced after the second pass:\n%s" % (growth, top))
    # The allocator layer's own count: scratch blocks and key copies all freed
    # (the key cache itself, allocated at import, is in both numbers).
    assert jcodec._alloc_stats()["live_bytes"] == live_start


def test_live_bytes_after_failures():
    """Scratch blocks freed on every error path: live bytes of the allocator
    layer come back to where they started after a sweep over the documents that
    use the most scratch (long strings, value stack, big ints)."""
    jcodec._cache_clear()
    live_start = jcodec._alloc_stats()["live_bytes"]
    for doc in (helpers.doc_strings(), helpers.doc_many_values(), helpers.doc_numbers(),
                helpers.doc_escaped_keys()):
        expected = outcome(doc)
        sweep(doc, expected, cold=True)
        sweep(doc, expected, cold=True, persistent=True)
        jcodec._cache_clear()
        assert jcodec._alloc_stats()["live_bytes"] == live_start


def test_count_only_mode_changes_nothing():
    doc = helpers.doc_escaped_keys()
    expected = json.loads(doc)
    jcodec._fail_alloc_after(0)
    assert jcodec.loads(doc) == expected
    result = jcodec._fault_result()
    assert result["failures"] == 0 and result["allocations"] > 0
    # The hook applies to one call only: the next is neither counted nor failed.
    jcodec._fail_alloc_after(1)
    with pytest.raises(MemoryError):
        jcodec.loads(doc)
    assert jcodec.loads(doc) == expected
    assert jcodec._fault_result()["failures"] == 1


def test_arming_after_tracemalloc_restart():
    """tracemalloc.start() while the fault hook is installed wraps it, so the
    armed call cannot remove it on return; tracemalloc.stop() then puts the
    (forwarding) hook back as the active allocator. Arming again must still
    work: the hook must not end up wrapping itself. Run in a child process with
    a timeout, since a hook that forwards to itself never returns."""
    import os
    import subprocess

    code = (
        "import jcodec, tracemalloc\n"
        "jcodec._fail_alloc_after(0)\n"
        "tracemalloc.start()\n"
        "assert jcodec.loads(b'[1, \"x\"]') == [1, 'x']\n"
        "tracemalloc.stop()\n"
        "jcodec._fail_alloc_after(0)\n"
        "assert jcodec.loads(b'[1, \"x\"]') == [1, 'x']\n"
        "assert jcodec._fault_result()['allocations'] > 0\n"
        "jcodec._fail_alloc_after(1)\n"
        "try:\n"
        "    jcodec.loads(b'[1, \"x\"]')\n"
        "except MemoryError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('no MemoryError')\n"
        "assert jcodec.loads(b'[1, \"x\"]') == [1, 'x']\n"
        "print('ok')\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (os.path.dirname(jcodec.__file__), env.get("PYTHONPATH")) if p)
    try:
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("loads never returned after arming again (the fault hook wraps itself)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


@pytest.mark.parametrize("persistent", [False, True], ids=["nth", "persistent"])
def test_cached_key_refcounts_after_failures(persistent):
    """A failed loads drops every reference it took to cached keys: the
    refcount of a key held here (and in the cache) is the same after each
    armed call as before."""
    doc = (b'{"refkey": [1, 2, {"refkey": "v", "a\\u0062": 3}], "a\\u0062": {"refkey": '
           + json.dumps(list(range(200))).encode() + b'}, "tail": "' + b"x" * 300 + b'"}')
    expected = json.loads(doc)
    total = helpers.count_allocations(doc, cold=False)  # leaves the cache warm
    held = jcodec.loads(doc)  # all hits: its keys are the cached objects
    keys = [k for k in held if k in ("refkey", "ab")]
    assert len(keys) == 2
    baseline = [sys.getrefcount(k) for k in keys]
    for k in range(1, total + 1):
        raised, _ = helpers._armed_call(doc, k, persistent)
        assert raised is not None and raised[0] is MemoryError, k
        assert [sys.getrefcount(key) for key in keys] == baseline, k
    result = jcodec.loads(doc)
    assert result == expected
    assert all(a is b for a, b in zip([k for k in result if k in ("refkey", "ab")], keys))
