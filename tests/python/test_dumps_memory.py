"""jcodec.dumps and memory: references, retained bytes, peak, and every
allocation failing in turn.

* References: sys.getrefcount of every object of the input (containers, keys,
  values), of default and of option is the same after a call as before, for
  successes and for every error path.
* Retention (tracemalloc): after a warm-up, 200 more calls on each shared
  document and on each error path leave 0 more bytes traced.
* Peak: one dumps of a shared document traces at most 1.1 x the output length
  + 64 KiB at its peak: the output bytes object grows in place and is trimmed,
  never copied.
* Fault injection: jcodec._fail_alloc_after(k) fails the k-th allocation request
  (CPython's MEM and OBJ domains) of the next call. For each object the number
  of requests is learnt with k=0, then for every k the call must raise exactly
  MemoryError with exactly one injected failure, and the next call must give the
  right bytes; afterwards nothing is left behind (tracemalloc and the allocator
  layer's live byte count).
"""
import gc
import json
import sys
import tracemalloc

import pytest

import jcodec
from conftest import shared_corpus_params

NSK = jcodec.OPT_NON_STR_KEYS


class Unknown:
    pass


class StrSub(str):
    pass


class IntSub(int):
    pass


class DictSub(dict):
    pass


class ListSub(list):
    pass


def _settle():
    """Drops garbage and CPython's type attribute cache (which keeps the names
    of cached lookups alive: it fills slowly and would look like a leak)."""
    gc.collect()
    sys._clear_type_cache()


def _traced_bytes(snapshot):
    """Traced bytes outside tracemalloc's own module (take_snapshot's objects)."""
    return sum(trace.size for trace in
               snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]).traces)


def _load_corpus(path):
    return json.loads(path.read_bytes())


# =============================================================================
# Inputs: successes and error paths


def _default_containers(obj):
    return {"type": type(obj).__name__, "items": [1, 2.5, "x" * 40]}


def _default_raises(obj):
    raise ValueError("no conversion")


def _default_memory_error(obj):
    raise MemoryError("from default")


def _default_self(obj):
    return obj


def _key(text):
    """A str that is not interned (so its count is the input's own)."""
    return "".join(["_", text])


def success_cases():
    nested = {_key("a"): [1, 2**70, -0.0, 1.5, None, True, "é€😀", (3, [4])], _key("b"): {_key("c"): {}}}
    subclasses = ListSub([StrSub("s"), IntSub(5), DictSub({_key("k"): ListSub([1])})])
    non_str = {1: _key("int"), 2.5: [], None: {}, False: (), 10**30: 1, StrSub("s"): 2, float("nan"): 3}
    return {
        "nested": (nested, None, None),
        "nested_sorted_indent": (nested, None, jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2 | jcodec.OPT_APPEND_NEWLINE),
        "subclasses": (subclasses, None, None),
        "non_str_keys": (non_str, None, NSK),
        "non_str_keys_sorted": (non_str, None, NSK | jcodec.OPT_SORT_KEYS),
        "default": ([Unknown(), {_key("u"): Unknown()}], _default_containers, None),
        "default_passthrough": ([StrSub("s"), DictSub(a=1)], _default_containers, jcodec.OPT_PASSTHROUGH_SUBCLASS),
        "long_strings": (["x" * 70000, "é" * 30000, "€" * 20000, "😀" * 10000], None, None),
    }


def error_cases():
    looped = [1]
    looped.append(looped)
    looped_dict = {}
    looped_dict[_key("self")] = looped_dict
    deep = [1]
    for _ in range(300):
        deep = [deep]
    changing = {_key("a"): Unknown(), _key("b"): 1}
    extra = _key("extra")

    def grow_or_shrink(obj):
        # Alternately adds and removes a member: every call changes the size,
        # and every second call leaves the dict as it was.
        if extra in changing:
            del changing[extra]
        else:
            changing[extra] = 0
        return 0

    return {
        "unsupported": ({_key("users"): [0, {_key("id"): Unknown()}]}, None, None),
        "default_raises": ({_key("a b"): [Unknown()]}, _default_raises, None),
        "default_memory_error": ([1, Unknown()], _default_memory_error, None),
        "default_depth": ([Unknown()], _default_self, None),
        "key_not_str": ({_key("a"): {(1, 2): 3}}, None, None),
        "key_not_str_sorted": ({_key("a"): 1, 5: 3}, None, jcodec.OPT_SORT_KEYS),
        "key_type": ({_key("a"): {1j: 3}}, None, NSK),
        "key_type_sorted": ({_key("z"): 1, b"x": 3}, None, NSK | jcodec.OPT_SORT_KEYS),
        "strict_integer": ([{_key("n"): 2**60}], None, jcodec.OPT_STRICT_INTEGER),
        "int_digits": ([10**5000], None, None),
        "surrogate_value": ([_key("ok"), "é\ud800"], None, None),
        "surrogate_key": ({"\udc00" + _key("k"): 1}, None, None),
        "depth": (deep, None, None),
        "circular_list": (looped, None, None),
        "circular_dict": (looped_dict, None, None),
        "dict_changed": (changing, grow_or_shrink, None),
        "invalid_option": ([1], None, 1 << 20),
        "unbuilt_option": ([1], None, jcodec.OPT_NAIVE_UTC),
        "default_not_callable": ([Unknown()], 5, None),
    }


def _call(obj, default, option):
    """dumps, with any exception caught and dropped (no reference kept)."""
    try:
        return jcodec.dumps(obj, default, option)
    except (jcodec.JSONEncodeError, MemoryError):
        return None


def _objects(root):
    """Every object of the input: containers, keys, values (each once)."""
    seen, order, stack = set(), [], [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        order.append(obj)
        if isinstance(obj, (list, tuple)):
            stack.extend(obj)
        elif isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
    return order


# Singletons and cached small ints are shared with the whole interpreter: their
# counts move with anything else that runs, so they are not counted.
def _countable(obj):
    return not (obj is None or type(obj) is bool or (type(obj) is int and -5 <= obj <= 256))


def _counts(objects):
    return [sys.getrefcount(o) for o in objects]


def _check_references(cases):
    problems = []
    for name, (obj, default, option) in cases.items():
        objects = [o for o in _objects(obj) if _countable(o)] + [default, option]
        objects = [o for o in objects if _countable(o)]
        _call(obj, default, option)  # warm-up (type caches)
        _settle()
        before = _counts(objects)
        for _ in range(4):  # even: dict_changed's default toggles a member
            _call(obj, default, option)
        _settle()
        after = _counts(objects)
        for o, b, a in zip(objects, before, after):
            if a != b:
                problems.append("%s: %s %.60r: refcount %d -> %d" % (name, type(o).__name__, o, b, a))
    assert not problems, "\n".join(problems)


def test_no_reference_leaks_on_success():
    cases = success_cases()
    for name, (obj, default, option) in cases.items():
        assert jcodec.dumps(obj, default, option) is not None, name
    _check_references(cases)


def test_no_reference_leaks_on_errors():
    cases = error_cases()
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
    passes (free lists, type caches) with tracing on."""
    tracemalloc.start(1)
    try:
        for _ in range(warm_up):
            for call in calls:
                call()
        _settle()
        before = tracemalloc.take_snapshot()
        for _ in range(rounds):
            for call in calls:
                call()
        _settle()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    growth = _traced_bytes(after) - _traced_bytes(before)
    top = "\n".join(str(stat) for stat in after.compare_to(before, "lineno")[:8]) if growth else ""
    return growth, top


@pytest.mark.parametrize("path", shared_corpus_params())
def test_no_retention_shared_document(path):
    obj = _load_corpus(path)
    calls = [lambda: jcodec.dumps(obj)]
    growth, top = _retained(calls, 200)
    assert growth == 0, "%d bytes retained after 200 dumps:\n%s" % (growth, top)
    calls = [lambda: jcodec.dumps(obj, option=jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2)]
    growth, top = _retained(calls, 20)
    assert growth == 0, "%d bytes retained after 20 sorted, indented dumps:\n%s" % (growth, top)


def test_no_retention_error_paths():
    cases = error_cases()
    calls = [lambda case=case: _call(*case) for case in cases.values()]
    calls += [lambda case=case: _call(*case) for case in success_cases().values()]
    # Ten warm-up passes: dict_changed's dict, which loses and regains a member
    # on every call, reaches its final table size (deleted slots make it
    # resize) only after a few.
    growth, top = _retained(calls, 200, warm_up=10)
    assert growth == 0, "%d bytes retained after 200 rounds of every error path:\n%s" % (growth, top)


@pytest.mark.parametrize("path", shared_corpus_params())
def test_peak_memory_shared_document(path):
    """The output is written into one bytes object grown in place (capacity
    at most 17/16 of the need + 32 KiB) and trimmed: no second copy."""
    obj = _load_corpus(path)
    for option in (0, jcodec.OPT_INDENT_2 | jcodec.OPT_SORT_KEYS):
        jcodec.dumps(obj, option=option)
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            out = jcodec.dumps(obj, option=option)
            peak = tracemalloc.get_traced_memory()[1] - start
        finally:
            tracemalloc.stop()
        allowed = 1.1 * len(out) + 64 * 1024
        assert peak <= allowed, "option %d: peak %d bytes for %d bytes of output (allowed %d)" % (
            option, peak, len(out), allowed)
        del out


def test_peak_memory_large_generated_output():
    """Same bound on outputs of other shapes: long strings of each kind, many
    small numbers, a big int."""
    docs = [["x" * 3_000_000], ["é€" * 500_000], [i * 0.25 for i in range(200_000)], list(range(300_000)),
            [10**4000] * 300, {("k%d" % i): [i] for i in range(100_000)}]
    for doc in docs:
        jcodec.dumps(doc)
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            out = jcodec.dumps(doc)
            peak = tracemalloc.get_traced_memory()[1] - start
        finally:
            tracemalloc.stop()
        assert peak <= 1.1 * len(out) + 64 * 1024, (peak, len(out))
        del out


# =============================================================================
# Fault injection


def fault_cases():
    nested = {"a": [1, 2, {"b": [[], {}, [[[]]], {"c": {"d": {"e": None}}}]}], "f": {"g": [True, False, -0.0, "s"]},
              "h": [[[[[[[[1]]]]]]]]}
    unknowns = [Unknown() for _ in range(40)]
    return {
        "nested": (nested, None, 0),
        "long_ascii": (["a" * 100_000, "b" * 70_000 + '"\n' * 1000], None, 0),
        "long_non_ascii": (["é" * 40_000, "€" * 30_000 + "\n", "😀" * 20_000, "mixed é€😀 \x01" * 3000], None, 0),
        "big_ints": ([2**64, -(2**100), 10**500, -(10**4000), IntSub(2**70)] * 3, None, 0),
        "floats": ([i * 0.1 for i in range(8000)] + [float("nan"), -0.0, 5e-324], None, 0),
        "sort_keys": ({"k%04d" % ((i * 7919) % 3000): [i, {"z": i, "a": -i}] for i in range(150)}, None,
                      jcodec.OPT_SORT_KEYS),
        "indent": ([nested] * 300, None, jcodec.OPT_INDENT_2 | jcodec.OPT_APPEND_NEWLINE),
        "non_str_keys": ({1: 2, 2.5: [3], None: 4, False: 5, 10**30: 6, StrSub("s"): 7, float("inf"): 8,
                          -(2**63): 9, 1e-7: 10}, None, NSK),
        "non_str_keys_sorted": ({i if i % 3 else i * 0.5: i for i in range(150)}, None, NSK | jcodec.OPT_SORT_KEYS),
        "default_containers": ([unknowns, {"u": unknowns[0]}], _default_containers, 0),
        "subclasses": (ListSub([DictSub(a=StrSub("é" * 100)), IntSub(3)] * 50), None, 0),
    }


def _armed_call(obj, default, option, k):
    """dumps with allocation request k failing: (raised type or None, result)."""
    jcodec._fail_alloc_after(k)
    try:
        jcodec.dumps(obj, default, option)
    except BaseException as exc:  # noqa: B902 - the exact type is the point
        raised = type(exc)
    else:
        raised = None
    return raised, jcodec._fault_result()


def _allocation_count(obj, default, option):
    for _ in range(2):
        jcodec.dumps(obj, default, option)
    jcodec._fail_alloc_after(0)
    jcodec.dumps(obj, default, option)
    result = jcodec._fault_result()
    assert result["failures"] == 0
    return result["allocations"]


def _sweep(name, obj, default, option, expected):
    total = _allocation_count(obj, default, option)
    assert total > 0, name
    problems = []
    for k in range(1, total + 1):
        raised, result = _armed_call(obj, default, option, k)
        if raised is not MemoryError:
            problems.append("k=%d: %s, not MemoryError (%r)" % (k, raised and raised.__name__ or "no error", result))
        elif result["failures"] != 1:
            problems.append("k=%d: fault result %r" % (k, result))
        if jcodec.dumps(obj, default, option) != expected:
            problems.append("k=%d: the next call gave other bytes" % k)
        if len(problems) > 10:
            break
    assert not problems, "%s (%d allocations):\n  %s" % (name, total, "\n  ".join(problems))
    return total


@pytest.mark.parametrize("name", list(fault_cases()))
def test_fault_sweep(name):
    obj, default, option = fault_cases()[name]
    expected = jcodec.dumps(obj, default, option)
    total = _sweep(name, obj, default, option, expected)
    # The output grows in place: the output buffer's allocation plus its
    # growths are most of the requests (a sanity check that the count means
    # what it says; default's own objects come on top).
    assert total >= 2 or len(expected) <= 1024


def test_fault_sweep_leaves_nothing_behind():
    cases = fault_cases()
    expected = {name: jcodec.dumps(*case) for name, case in cases.items()}
    _settle()
    live_start = jcodec._alloc_stats()["live_bytes"]
    tracemalloc.start(1)
    try:
        # First pass: free lists and caches reach the state every later pass
        # leaves them in; the second must not add a byte.
        for name, case in cases.items():
            _sweep(name, *case, expected[name])
        _settle()
        before = tracemalloc.take_snapshot()
        for name, case in cases.items():
            _sweep(name, *case, expected[name])
        _settle()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    growth = _traced_bytes(after) - _traced_bytes(before)
    if growth:
        top = "\n".join(str(stat) for stat in after.compare_to(before, "lineno")[:10])
        pytest.fail("%d bytes more traced after the second sweep:\n%s" % (growth, top))
    assert jcodec._alloc_stats()["live_bytes"] == live_start


def test_fault_sweep_error_paths():
    """Allocation failures on the way to an error (message, path, cause):
    exactly MemoryError with one injected failure, never another error; the
    next call raises the right error again. One exception: int's conversion
    raises its ValueError with PyErr_Format, which replaces a MemoryError
    raised while formatting the message by the ValueError itself, so for
    int_digits the ordinary error is also accepted. The error paths run Python code
    (default, exception machinery) whose allocation count may differ by one
    or two from call to call (free lists): a k beyond the armed call's own
    count is not reached, and at most two per path may be."""
    problems = []
    for name, (obj, default, option) in error_cases().items():
        if name in ("default_memory_error", "invalid_option", "unbuilt_option", "default_not_callable"):
            continue  # no allocation of dumps' own on the way
        try:
            jcodec.dumps(obj, default, option)
        except jcodec.JSONEncodeError as exc:
            message = str(exc)
        total = _allocation_count_error(obj, default, option)
        unreached = 0
        for k in range(1, total + 1):
            jcodec._fail_alloc_after(k)
            try:
                jcodec.dumps(obj, default, option)
            except MemoryError:
                raised = MemoryError
            except BaseException as exc:  # noqa: B902
                raised = (type(exc), str(exc)[:120])
            else:
                raised = None
            result = jcodec._fault_result()
            if result["failures"] == 0 and result["allocations"] < k:
                unreached += 1
            elif name == "int_digits" and raised == (jcodec.JSONEncodeError, message[:120]):
                pass
            elif raised is not MemoryError or result["failures"] != 1:
                problems.append("%s k=%d/%d: %r, %r" % (name, k, total, raised, result))
            try:
                jcodec.dumps(obj, default, option)
            except jcodec.JSONEncodeError as exc:
                if str(exc) != message:
                    problems.append("%s k=%d: next call: %s" % (name, k, exc))
        if unreached > 2:
            problems.append("%s: %d of %d requests not reached" % (name, unreached, total))
    assert not problems, "\n".join(problems[:20])


def _allocation_count_error(obj, default, option):
    for _ in range(2):
        _call(obj, default, option)
    jcodec._fail_alloc_after(0)
    _call(obj, default, option)
    return jcodec._fault_result()["allocations"]
