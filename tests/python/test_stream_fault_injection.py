"""Fault injection over the stream entry points: every allocation request of
dump, dump_lines, dumps_lines, load, loads_lines, iter_lines() and of one
next() of its iterator, failed in turn (jcodec._fail_alloc_after, as
test_memory_fault_injection.py drives it for loads and dumps).

For each request k of a call: the call with request k failing raises exactly
MemoryError, with exactly one injected failure; a plain call afterwards gives
what it gave before; an iterator whose next() failed is exhausted. Then the
sweeps run twice under tracemalloc and the second pass must not leave a byte
more, traced or live in the allocator layer (_memory_helpers.retained_after).

A call here is staged: setup() does, unarmed, what comes before the call
being swept (making the file object; creating an iterator and advancing it),
and returns the call, which is armed: the injection applies to the next
jcodec call only, so the iterator's next() is reached this way.
"""
import io
import sys

import pytest

import jcodec
import _memory_helpers as mh
from _stream_helpers import lines_of, records
from support import Unknown

pytestmark = pytest.mark.usefixtures("default_cache", "collector_off")

ERRORS = (jcodec.JSONDecodeError, jcodec.JSONEncodeError)


class SweepFailure(AssertionError):
    pass


def outcome(fn, args):
    try:
        result = fn(*args)
    except ERRORS as e:
        return ("error", type(e), str(e))
    return ("ok", result)


def armed(fn, args, k):
    """fn(*args) with request k failing: (what it raised, fault result).
    From a frame whose frame object exists already (see
    test_memory_fault_injection.armed_call: CPython 3.11 makes a caller's
    frame object on demand, and swallows a MemoryError doing so)."""
    sys._getframe()
    jcodec._fail_alloc_after(k)
    try:
        fn(*args)
    except BaseException as e:  # noqa: B902 - the exact type is the point
        raised = type(e)
    else:
        raised = None
    return raised, jcodec._fault_result()


def sweep(setup, prepare=jcodec._cache_clear, after=None):
    """Every request of the staged call (setup() -> (fn, args)); after(args),
    when given, checks the state an armed failure leaves. Returns the count."""
    fn, args = setup()
    expected = outcome(fn, args)
    for _ in range(2):  # free lists and one-time caches in their steady state
        prepare()
        fn, args = setup()
        outcome(fn, args)
    prepare()
    fn, args = setup()
    raised, result = armed(fn, args, 0)
    total = result["allocations"]
    if total == 0:
        raise SweepFailure("no allocation request at all")
    problems = []
    for k in range(1, total + 1):
        prepare()
        fn, args = setup()
        raised, result = armed(fn, args, k)
        if raised is not MemoryError or result["failures"] != 1:
            problems.append(f"k={k}: raised {raised}, fault result {result}")
        elif after is not None:
            problem = after(args)
            if problem:
                problems.append(f"k={k}: {problem}")
        prepare()
        fn, args = setup()
        again = outcome(fn, args)
        if again != expected:
            problems.append(f"k={k}: the plain call after it gave {again!r:.200}")
        if len(problems) > 10:
            break
    if problems:
        raise SweepFailure(f"{total} requests:\n  " + "\n  ".join(problems))
    return total


# The calls, each staged.

LINES = lines_of(records(12) + [{"long key " * 10: [1.5, None, "\u20ac\U0001F600"]}]) + b"\r\n\n[1]"
BAD_LINES = LINES + b"\n{\"a\": [1, 2,]}\n"
ITEMS = records(12) + [{"k": [1, 2**80, -0.0, "\u00e9" * 40]}]
DOC = jcodec.dumps(ITEMS)
BIG = [{"n": i, "text": "x" * 200, "list": [i] * 20} for i in range(600)]  # about 200 KiB: 3 chunks


def _dump(obj, option=None):
    out = io.BytesIO()
    jcodec.dump(obj, out, option=option)
    return out.getvalue()


def _dump_lines(items):
    out = io.BytesIO()
    jcodec.dump_lines(items, out)
    return out.getvalue()


def _load(data):
    return jcodec.load(io.BytesIO(data))


def _iter_lines(data):
    """The armed call is iter_lines() (the first jcodec call in here); the
    values are read unarmed, for the comparison."""
    return list(jcodec.iter_lines(io.BytesIO(data)))


def staged(fn, *args):
    return lambda: (fn, args)


CALLS = {
    "loads_lines": staged(jcodec.loads_lines, LINES),
    "loads_lines_str": staged(jcodec.loads_lines, LINES.decode()),
    "loads_lines_bytearray": staged(jcodec.loads_lines, bytearray(LINES)),
    "loads_lines_error": staged(jcodec.loads_lines, BAD_LINES),
    "loads_lines_str_error": staged(jcodec.loads_lines, BAD_LINES.decode()),
    "dumps_lines": staged(jcodec.dumps_lines, ITEMS),
    "dumps_lines_error": staged(jcodec.dumps_lines, ITEMS + [{"x": [Unknown()]}]),
    "dump": staged(_dump, BIG),
    "dump_sorted_indent": staged(_dump, BIG[:100], jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2),
    "dump_error": staged(_dump, BIG + [Unknown()]),
    "dump_lines": staged(_dump_lines, BIG),
    "load": staged(_load, DOC),
    "load_error": staged(_load, DOC[:-3]),
    "iter_lines": staged(_iter_lines, LINES),
}


def test_calls_are_what_they_should_be():
    assert _dump(BIG) == jcodec.dumps(BIG)
    assert _dump_lines(BIG) == jcodec.dumps_lines(BIG)
    assert _load(DOC) == ITEMS
    assert len(jcodec.loads_lines(LINES)) == 14


@pytest.mark.parametrize("name", sorted(CALLS))
def test_sweep(name):
    sweep(CALLS[name])


def _iterator_at(data, index, chunk_size):
    it = jcodec.iter_lines(io.BytesIO(data), chunk_size=chunk_size)
    for _ in range(index):
        next(it)
    return it


def _exhausted(args):
    (it,) = args
    try:
        next(it)
    except StopIteration:
        return None
    return "the iterator went on after the failure"


@pytest.mark.parametrize("index", [0, 5, 13, 14])
@pytest.mark.parametrize("chunk_size", [7, 64 * 1024])
def test_sweep_iterator_next(index, chunk_size):
    """One next() at a time: the first (the buffer and the first read), one
    in the middle (a read of the next chunk when the chunk is small), the
    last value, and the end (index 14: StopIteration)."""
    data = BAD_LINES if index == 14 else LINES

    def setup():
        return next, (_iterator_at(data, index, chunk_size),)

    # At index 14 the plain outcome is the bad line's JSONDecodeError.
    sweep(setup, after=_exhausted)


@pytest.mark.skipif(mh.OPCACHE_ALWAYS_MADE, reason=mh.OPCACHE_REASON)
def test_sweeps_leave_nothing():
    def run_all(_):
        for name in ("loads_lines", "loads_lines_error", "dumps_lines_error", "dump", "dump_error",
                     "load", "iter_lines"):
            sweep(CALLS[name])
        sweep(lambda: (next, (_iterator_at(LINES, 5, 7),)), after=_exhausted)

    retained = mh.retained_after(run_all, rounds=1, warmup=1)
    assert retained.bytes == 0, f"{retained.bytes:+d} bytes traced after the second pass:\n{retained.top}"
    assert retained.own_bytes == 0, retained.own_bytes
