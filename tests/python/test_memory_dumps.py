"""jcodec.dumps and memory: references, retained bytes and peak.

* References: sys.getrefcount of every object of the input (containers, keys,
  values), of default and of option is the same after a call as before, for
  successes and for every error path (_memory_helpers.dumps_success_cases and
  dumps_error_cases).
* Retention (tracemalloc): after a warm-up, 200 more calls on each shared
  document and on each error path leave 0 more bytes traced.
* Peak: one dumps of a shared document traces at most 1.1 x the output length
  + 64 KiB at its peak: the output bytes object grows in place and is trimmed,
  never copied.

Every allocation failing in turn (on these error paths too): test_memory_fault_injection.py.
"""
import json
import sys

import pytest

import jcodec
import _memory_helpers as mh
from support import all_objects, shared_corpus_params


def _load_corpus(path):
    return json.loads(path.read_bytes())


# =============================================================================
# References


def _call(obj, default, option):
    """dumps, with any exception caught and dropped (no reference kept)."""
    try:
        return jcodec.dumps(obj, default, option)
    except (jcodec.JSONEncodeError, MemoryError):
        return None


# Singletons and cached small ints are shared with the whole interpreter: their
# counts move with anything else that runs, so they are not counted.
def _countable(obj):
    return not (obj is None or type(obj) is bool or (type(obj) is int and -5 <= obj <= 256))


def _counts(objects):
    return [sys.getrefcount(o) for o in objects]


def _check_references(cases):
    problems = []
    for name, (obj, default, option) in cases.items():
        objects = [o for o in all_objects(obj) if _countable(o)] + [default, option]
        objects = [o for o in objects if _countable(o)]
        _call(obj, default, option)  # warm-up (type caches)
        mh.settle()
        before = _counts(objects)
        for _ in range(4):  # even: dict_changed's default toggles a member
            _call(obj, default, option)
        mh.settle()
        after = _counts(objects)
        for o, b, a in zip(objects, before, after):
            if a != b:
                problems.append("%s: %s %.60r: refcount %d -> %d" % (name, type(o).__name__, o, b, a))
    assert not problems, "\n".join(problems)


def test_no_reference_leaks_on_success():
    cases = mh.dumps_success_cases()
    for name, (obj, default, option) in cases.items():
        assert jcodec.dumps(obj, default, option) is not None, name
    _check_references(cases)


def test_no_reference_leaks_on_errors():
    cases = mh.dumps_error_cases()
    for name, (obj, default, option) in cases.items():
        with pytest.raises((jcodec.JSONEncodeError, MemoryError)):
            jcodec.dumps(obj, default, option)
    _check_references(cases)


def test_result_is_the_only_reference():
    out = jcodec.dumps({"a": [1, "x" * 100000]})
    assert sys.getrefcount(out) == 2  # `out` and getrefcount's argument


# =============================================================================
# Retention and peak (tracemalloc)


def _retained(calls, rounds, warm_up=2):
    """Traced bytes added by `rounds` more passes over `calls`, after warm-up
    passes (free lists, type caches) with tracing on: (bytes, top differences)."""
    def one_pass(i):
        for call in calls:
            call()

    retained = mh.retained_after(one_pass, rounds, warm_up)
    return retained.bytes, retained.top


@pytest.mark.parametrize("path", shared_corpus_params())
def test_no_retention_shared_document(path):
    obj = _load_corpus(path)
    calls = [lambda: jcodec.dumps(obj)]
    growth, top = _retained(calls, 200)
    assert growth == 0, "%d bytes retained after 200 dumps:\n%s" % (growth, top)
    calls = [lambda: jcodec.dumps(obj, option=jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2)]
    growth, top = _retained(calls, 20)
    assert growth == 0, "%d bytes retained after 20 sorted, indented dumps:\n%s" % (growth, top)


@pytest.mark.skipif(mh.OPCACHE_ALWAYS_MADE, reason=mh.OPCACHE_REASON)
def test_no_retention_error_paths():
    calls = [lambda case=case: _call(*case) for case in mh.dumps_error_cases().values()]
    calls += [lambda case=case: _call(*case) for case in mh.dumps_success_cases().values()]
    # Ten warm-up passes: dict_changed's dict, which loses and regains a member
    # on every call, reaches its final table size (deleted slots make it
    # resize) only after a few.
    growth, top = _retained(calls, 200, warm_up=10)
    assert growth == 0, "%d bytes retained after 200 rounds of every error path:\n%s" % (growth, top)


def _peak(obj, option=0):
    """(traced peak of one dumps over the traced total before it, output
    length), after a first call (type caches, free lists)."""
    jcodec.dumps(obj, option=option)
    t = mh.traced_call(jcodec.dumps, obj, None, option)
    assert isinstance(t.value, bytes), t.value
    return t.peak, len(t.value)


def _allowed(length):
    return 1.1 * length + 64 * 1024


@pytest.mark.parametrize("path", shared_corpus_params())
def test_peak_memory_shared_document(path):
    """The output is written into one bytes object grown in place (capacity
    at most 64 KiB or 17/16 of the need + 32 KiB) and trimmed: no second copy."""
    obj = _load_corpus(path)
    for option in (0, jcodec.OPT_INDENT_2 | jcodec.OPT_SORT_KEYS):
        peak, length = _peak(obj, option)
        assert peak <= _allowed(length), "option %d: peak %d bytes for %d bytes of output (allowed %d)" % (
            option, peak, length, _allowed(length))


def test_peak_memory_large_generated_output():
    """Same bound on outputs of other shapes: long strings of each kind, many
    small numbers, a big int."""
    docs = [["x" * 3_000_000], ["é€" * 500_000], [i * 0.25 for i in range(200_000)], list(range(300_000)),
            [10**4000] * 300, {("k%d" % i): [i] for i in range(100_000)}]
    for doc in docs:
        peak, length = _peak(doc)
        assert peak <= _allowed(length), (peak, length)
