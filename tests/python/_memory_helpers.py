"""Helpers of the test_memory_* suites, and the measurements of
scripts/memreport.py.

Not a test module (pytest collects only test_*.py), and free of pytest, so the
report can import it. What it measures, and why that way:

* traced_call(fn, *args): one call under tracemalloc, started just before it,
  with the allocator layer's counters reset. `final` is what the call leaves
  traced (the result, plus whatever the call keeps, such as new key-cache
  entries), `peak` the highest traced total during the call; both relative to
  the traced total just before the call and with the measuring harness's own
  few allocations (calibrated on a call that does nothing) taken out.
  peak - final is then the memory the call needed only while it ran: its
  scratch.
* retained_after(round_fn, rounds, warmup): traced bytes (and allocator-layer
  live bytes) gained over `rounds` calls of round_fn after a traced warm-up,
  snapshots compared after settle() (key cache cleared, garbage collected,
  type attribute cache cleared); prime_free_lists() for workloads that do not
  repeat exactly (threads).
* raw_keys(doc): every object key of a document as the bytes between its
  quotes, found by a tokenizer that knows nothing of jcodec's parser: the key
  cache makes exactly one lookup per element (hit, miss, too_long or bypassed).
* generated_documents(size): the generated corpus (corpus/generate.py) at a
  given size; the shared documents are support.py's.
* dumps_success_cases(), dumps_error_cases(): objects for dumps, one per
  success path and per error path, for the suites that follow the memory of
  each (test_memory_dumps, test_memory_fault_injection).
"""
import datetime
import functools
import gc
import json
import re
import sys
import tracemalloc
from typing import NamedTuple

import jcodec
from support import ROOT, DictSub, IntSub, ListSub, StrSub, Unknown
from support import SHARED_CORPUS_DIR  # noqa: F401 - re-exported (scripts/memreport.py at HEAD reads it here)

KIB = 1024


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _generate_module():
    corpus = str(ROOT / "corpus")
    if corpus not in sys.path:
        sys.path.insert(0, corpus)
    import generate  # noqa: E402 - corpus/generate.py, found through the path above

    return generate


@functools.lru_cache(maxsize=None)
def generated_documents(size=256 * KIB):
    """{shape name: bytes} from corpus/generate.py (deterministic), cached per
    size: generating the default size takes about half a second."""
    return dict(_generate_module().generate_all(size))


# ---------------------------------------------------------------------------
# Keys, found without jcodec
# ---------------------------------------------------------------------------

# A JSON string (the unrolled form of "(?:[^"\\]|\\.)*", linear in its length),
# and whether the next non-blank byte is ':'. Tokens are found left to right, so
# a quote inside a string never starts one; a string followed by ':' is a key.
_STRING_TOKEN = re.compile(rb'"([^"\\]*(?:\\.[^"\\]*)*)"([ \t\r\n]*:)?', re.S)


def raw_keys(doc):
    """The object keys of a valid JSON document (bytes), in document order,
    duplicates included, each as the bytes between its quotes."""
    return [m.group(1) for m in _STRING_TOKEN.finditer(doc) if m.group(2)]


def decode_raw_key(raw):
    return json.loads(b'"' + raw + b'"')


# ---------------------------------------------------------------------------
# Object graphs
# ---------------------------------------------------------------------------


def walk(*roots):
    """Every dict and list reachable from roots, iteratively (any depth)."""
    stack = list(roots)
    while stack:
        value = stack.pop()
        if type(value) is dict:
            yield value
            stack.extend(value.values())
        elif type(value) is list:
            yield value
            stack.extend(value)


def largest_dict_size(obj):
    """sys.getsizeof of the largest dict in obj (0 when there is none)."""
    return max((sys.getsizeof(d) for d in walk(obj) if type(d) is dict), default=0)


# ---------------------------------------------------------------------------
# One call under tracemalloc
# ---------------------------------------------------------------------------


PYMALLOC_ALIGNMENT = 16
PYMALLOC_THRESHOLD = 512


def allocated_size(size):
    """What pymalloc hands out for a request (16-byte size classes up to 512
    bytes); tracemalloc records the requested size."""
    if size <= PYMALLOC_THRESHOLD:
        return -(-size // PYMALLOC_ALIGNMENT) * PYMALLOC_ALIGNMENT
    return size


class Traced(NamedTuple):
    value: object      # what the call returned, or the exception it raised
    final: int         # traced bytes left by the call (its result and what it keeps)
    peak: int          # the highest traced total during the call, over the start
    counters: dict     # jcodec._alloc_stats() after the call
    live_before: int   # the allocator layer's live bytes when the call began
    allocated: int = 0  # `final` in pymalloc's size classes (traced_call(..., allocated=True))

    @property
    def scratch(self):
        """Traced bytes the call needed only while it ran."""
        return self.peak - self.final

    @property
    def own_scratch(self):
        """The same by the allocator layer's own counters: its peak over what
        is still live after the call (key-cache copies the call made stay live
        and count in `final` too)."""
        return self.counters["peak_bytes"] - self.counters["live_bytes"]

    @property
    def own_peak(self):
        """The allocator layer's peak over its live bytes at the start: scratch
        and new key copies together (the bound's measure)."""
        return self.counters["peak_bytes"] - self.live_before


def _traced_call(fn, args, allocated=False):
    if tracemalloc.is_tracing():
        raise RuntimeError("tracemalloc is already tracing (python -X tracemalloc?): "
                           "one call cannot be measured alone")
    gc.collect()
    tracemalloc.start(1)
    try:
        jcodec._alloc_stats_reset()
        live_before = jcodec._alloc_stats()["live_bytes"]
        start = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        try:
            value = fn(*args)
        except Exception as exc:  # noqa: BLE001 - measured like a result
            value = exc
        final, peak = tracemalloc.get_traced_memory()
        counters = jcodec._alloc_stats()
        rounded = 0
        if allocated:
            # Every traced block alive now was allocated after tracing began:
            # the call's, and the harness's few (in both numbers alike).
            snapshot = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__)])
            rounded = sum(allocated_size(t.size) for t in snapshot.traces)
            del snapshot
    finally:
        tracemalloc.stop()
    return Traced(value, final - start, peak - start, counters, live_before, rounded)


def _nothing():
    return None


@functools.lru_cache(maxsize=None)
def _harness_bytes():
    """What _traced_call itself leaves traced around a call that allocates
    nothing (the int it keeps for the start, and the like): a few dozen bytes,
    the same for every call."""
    samples = [_traced_call(_nothing, ()) for _ in range(3)]
    return min(s.final for s in samples), min(s.peak for s in samples)


def traced_call(fn, *args, allocated=False):
    """fn(*args) alone under tracemalloc: a Traced."""
    harness_final, harness_peak = _harness_bytes()
    t = _traced_call(fn, args, allocated)
    return t._replace(final=t.final - harness_final, peak=t.peak - harness_peak)


# ---------------------------------------------------------------------------
# Leaks
# ---------------------------------------------------------------------------


def settle():
    """Drops what is kept on purpose, so only a leak can remain: jcodec's key
    cache, cyclic garbage (exception tracebacks), and CPython 3.11's type
    attribute cache, which holds a strong reference to the name of every
    attribute lookup it caches, even to the temporary str PyObject_GetAttrString
    makes for a C caller (the error paths make such lookups)."""
    jcodec._cache_clear()
    gc.collect()
    sys._clear_type_cache()


def prime_free_lists():
    """Fills CPython 3.11's free lists with blocks allocated now (traced, when
    tracing): floats (100 kept), lists (80), dicts and minimum-size dict key
    tables (80 each), tuples of every cached length (2000 each). Afterwards
    every block a pop can return is traced, so popping or pushing back changes
    nothing and the traced total follows live objects only, whatever order
    concurrent threads allocate and free in (a warm-up alone evens out the
    lists only for a workload that repeats exactly)."""
    floats = [float(i) + 0.5 for i in range(200)]
    lists = [[i] for i in range(160)]
    dicts = [{"k": i} for i in range(160)]
    tuples = [tuple(range(n)) for n in range(1, 20) for _ in range(2001)]
    del floats, lists, dicts, tuples


def traced_bytes(snapshot):
    """Traced bytes outside tracemalloc's own module (take_snapshot's objects)."""
    return sum(t.size for t in
               snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]).traces)


class Retained(NamedTuple):
    bytes: int           # traced bytes gained between the snapshots
    own_bytes: int       # the allocator layer's live bytes gained
    top: str             # the largest differences, for a failure message


def _run_rounds(round_fn, first, stop):
    # A function of its own, so that the loop's last int (1000 is no cached
    # small int) is gone with the frame before the snapshot: a 32-byte block
    # that would otherwise show as retained.
    for i in range(first, stop):
        round_fn(i)


def retained_after(round_fn, rounds, warmup=1):
    """Runs round_fn(i) for i in range(warmup) (the warm-up, traced), takes a
    snapshot, runs round_fn(i) for i in range(warmup, warmup + rounds), and
    takes another, each after settle(). Returns a Retained.

    Why a traced warm-up: CPython keeps freed objects of several types on free
    lists (in 3.11: 100 floats, 80 lists, 80 dicts, 80 dict key tables of the
    minimum size, 2000 tuples of each length under 20, 16 MemoryErrors, ...)
    and the next allocation of the type pops one without calling the
    allocator. A list can hold blocks allocated before tracing began: popping
    one is not traced, and freeing it later is not traced either (tracemalloc
    forgets frees of blocks it never saw), while the traced block freed in its
    place goes onto the list and stays traced. So the first rounds leave traced
    bytes behind that are no leak, as do one-time allocations (the Latin-1
    one-character str singletons, created on first use; interned names). The
    workload is deterministic, so after it has run once in full every round
    leaves the lists holding the same traced blocks it found: the warm-up
    covers each variant a round can take (round_fn(i) may vary with i), and
    from then on any growth is retained by the rounds themselves."""
    settle()
    own_start = jcodec._alloc_stats()["live_bytes"]
    tracemalloc.start(1)
    try:
        _run_rounds(round_fn, 0, warmup)
        settle()
        before = tracemalloc.take_snapshot()
        _run_rounds(round_fn, warmup, warmup + rounds)
        settle()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    growth = traced_bytes(after) - traced_bytes(before)
    top = ""
    if growth:
        stats = after.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]).compare_to(
            before.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]), "lineno")
        top = "\n".join(str(s) for s in stats[:8])
    return Retained(growth, jcodec._alloc_stats()["live_bytes"] - own_start, top)


# ---------------------------------------------------------------------------
# Objects for dumps: every success path and every error path
# ---------------------------------------------------------------------------

NSK = jcodec.OPT_NON_STR_KEYS


def default_containers(obj):
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


def dumps_success_cases():
    """{name: (obj, default, option)} that dumps writes: nesting, options,
    subclasses, non-str keys, default, long strs of every kind."""
    nested = {_key("a"): [1, 2**70, -0.0, 1.5, None, True, "é€😀", (3, [4])], _key("b"): {_key("c"): {}}}
    subclasses = ListSub([StrSub("s"), IntSub(5), DictSub({_key("k"): ListSub([1])})])
    non_str = {1: _key("int"), 2.5: [], None: {}, False: (), 10**30: 1, StrSub("s"): 2, float("nan"): 3}
    return {
        "nested": (nested, None, None),
        "nested_sorted_indent": (nested, None, jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2 | jcodec.OPT_APPEND_NEWLINE),
        "subclasses": (subclasses, None, None),
        "non_str_keys": (non_str, None, NSK),
        "non_str_keys_sorted": (non_str, None, NSK | jcodec.OPT_SORT_KEYS),
        "default": ([Unknown(), {_key("u"): Unknown()}], default_containers, None),
        "default_passthrough": ([StrSub("s"), DictSub(a=1)], default_containers, jcodec.OPT_PASSTHROUGH_SUBCLASS),
        "long_strings": (["x" * 70000, "é" * 30000, "€" * 20000, "😀" * 10000], None, None),
    }


def dumps_error_cases():
    """{name: (obj, default, option)} that dumps refuses: unsupported types,
    default raising, recursing or not callable, refused keys, options and
    integers, surrogates, depth, cycles, a dict changing size; several from
    inside containers (the error's path is built)."""
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
        "time_with_tzinfo": ([datetime.time(1, tzinfo=datetime.timezone.utc)], None, None),
        "default_not_callable": ([Unknown()], 5, None),
    }
