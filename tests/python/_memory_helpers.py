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
  each (test_memory_dumps, test_memory_fault_injection); dumps_type_cases() and
  dumps_type_error_cases() are the ones of the further types (datetime, UUID,
  enum, dataclass, numpy when it is installed, Fragment), included in both.
"""
import dataclasses
import datetime
import functools
import gc
import importlib
import json
import re
import sys
import tracemalloc
import uuid
import zoneinfo
from typing import NamedTuple

import jcodec
from _types import Color, Member, SlotsPoint, Wrapping
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


@functools.lru_cache(maxsize=None)
def bench_types():
    """bench/bench_types.py, the rich-type datasets of ./bench (one place
    for them), or None when it is not there."""
    bench = str(ROOT / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    try:
        import bench_types as module  # noqa: E402 - bench/bench_types.py, found through the path above
    except ImportError:
        return None
    return module


def type_dataset_names():
    """The names of the rich-type datasets (the numpy ones only with numpy)."""
    module = bench_types()
    return [] if module is None else module.available()[0]


def type_dataset(name):
    """(a new copy of the dataset's value, the option dumps needs for it)."""
    module = bench_types()
    option = jcodec.OPT_SERIALIZE_NUMPY if module.DATASETS[name].numpy else 0
    return module.value(name), option


def document_params():
    """For the suites that measure every document: a pytest.param(name,
    load) per shared document (one skipped param without ../shared) and per
    generated document, where load() gives the document's bytes (read when the
    test runs). Imports pytest: for test modules only."""
    import pytest

    from support import shared_corpus_params

    params = []
    for param in shared_corpus_params():
        (path,) = param.values
        if path is None:
            params.append(pytest.param(None, None, id=param.id, marks=param.marks))
        else:
            params.append(pytest.param(path.name, path.read_bytes, id=path.name))
    for name in sorted(generated_documents()):
        params.append(pytest.param(name, functools.partial(_generated_document, name), id=name))
    return params


def _generated_document(name):
    return generated_documents()[name]


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


def walk_all(*roots):
    """Every object reachable from roots through lists, tuples and dict
    values, containers and leaves, iteratively."""
    stack = list(roots)
    while stack:
        value = stack.pop()
        yield value
        if type(value) in (list, tuple):
            stack.extend(value)
        elif type(value) is dict:
            stack.extend(value.values())


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


def deactivate_opcache():
    """CPython 3.9 and 3.10 give a code object its opcode cache on its 1,024th
    run (Python/ceval.c, _PyCode_InitOpcache): two blocks, traced at the
    function's first line, that live as long as the code. A function whose
    1,024th run falls in the measured rounds (a harness function called from
    test to test, a parametrized test's lambda) shows them as retained, and
    a failed request for them returns from the frame without an exception
    (SystemError). 3.10's sys._deactivate_opcache() stops the caches being
    made, as regrtest -R does for its leak hunting; 3.9 has no way to (its
    debug builds disable the cache for that reason, bpo-37146); 3.11 has no
    such cache. Process-wide, and only speed changes."""
    deactivate = getattr(sys, "_deactivate_opcache", None)
    if deactivate is not None:
        deactivate()


# From this import on no code object gets an opcode cache (3.10).
deactivate_opcache()

# 3.9, where nothing stops them: the exact retention checks over many calls
# skip themselves (pytest.mark.skipif(mh.OPCACHE_ALWAYS_MADE, reason=...)).
OPCACHE_ALWAYS_MADE = sys.version_info < (3, 10)
OPCACHE_REASON = (
    "CPython 3.9 allocates a code object's opcode cache on its 1,024th run (_PyCode_InitOpcache) and "
    "nothing stops it (3.10 has sys._deactivate_opcache()): a harness function or test lambda whose "
    "1,024th run falls in the measured calls shows the cache's two blocks as retained")


def settle():
    """Drops what is kept on purpose, so only a leak can remain: jcodec's key
    cache and dataclass cache, cyclic garbage (exception tracebacks), and
    CPython 3.11's type attribute cache, which holds a strong reference to the
    name of every attribute lookup it caches, even to the temporary str
    PyObject_GetAttrString makes for a C caller (the error paths make such
    lookups).

    The dataclass cache holds two classes per set of the class's address:
    classes of one workload beyond that in one set take its entries in turn,
    and which of them holds one after a pass depends on where their type
    objects landed, so that passes can alternate between two states (seen on
    3.13 when the cache was direct-mapped, 72 bytes: a two-field class's
    snapshot tuple). Emptied, every pass starts alike, on every version:
    before 3.11 sys._clear_type_cache() also invalidates every type's version
    tag, so the entries would be read again anyway."""
    jcodec._cache_clear(dataclasses=True)
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
    from then on any growth is retained by the rounds themselves.

    The free lists are primed first (prime_free_lists), which makes every pop
    and push traced-neutral, whatever a round replaces in them."""
    settle()
    own_start = jcodec._alloc_stats()["live_bytes"]
    tracemalloc.start(1)
    try:
        prime_free_lists()
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
    cases = {
        "nested": (nested, None, None),
        "nested_sorted_indent": (nested, None, jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2 | jcodec.OPT_APPEND_NEWLINE),
        "subclasses": (subclasses, None, None),
        "non_str_keys": (non_str, None, NSK),
        "non_str_keys_sorted": (non_str, None, NSK | jcodec.OPT_SORT_KEYS),
        "default": ([Unknown(), {_key("u"): Unknown()}], default_containers, None),
        "default_passthrough": ([StrSub("s"), DictSub(a=1)], default_containers, jcodec.OPT_PASSTHROUGH_SUBCLASS),
        "long_strings": (["x" * 70000, "é" * 30000, "€" * 20000, "😀" * 10000], None, None),
        # leaf sequences (one reservation each) while the output grows, and
        # ones that turn out not to be leaves
        "leaves": ([[i * 0.5, -i, None] for i in range(3000)] + [(1, 2**70), [2.5, "s"]], None, None),
    }
    cases.update(dumps_type_cases())
    return cases


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

    cases = {
        "unsupported": ({_key("users"): [0, {_key("id"): Unknown()}]}, None, None),
        "default_memory_error": ([1, Unknown()], _default_memory_error, None),
        "default_depth": ([Unknown()], _default_self, None),
        "key_not_str": ({_key("a"): {(1, 2): 3}}, None, None),
        "key_not_str_sorted": ({_key("a"): 1, 5: 3}, None, jcodec.OPT_SORT_KEYS),
        "key_type": ({_key("a"): {1j: 3}}, None, NSK),
        "key_type_sorted": ({_key("z"): 1, b"x": 3}, None, NSK | jcodec.OPT_SORT_KEYS),
        "strict_integer": ([{_key("n"): 2**60}], None, jcodec.OPT_STRICT_INTEGER),
        "strict_integer_in_leaf": ([[1, 2.5, 2**60]], None, jcodec.OPT_STRICT_INTEGER),
        "surrogate_value": ([_key("ok"), "é\ud800"], None, None),
        "surrogate_key": ({"\udc00" + _key("k"): 1}, None, None),
        "depth": (deep, None, None),
        "circular_list": (looped, None, None),
        "circular_dict": (looped_dict, None, None),
        "dict_changed": (changing, grow_or_shrink, None),
        "invalid_option": ([1], None, 1 << 20),
        "default_not_callable": ([Unknown()], 5, None),
    }
    cases.update(dumps_cause_cases())
    cases.update(dumps_type_error_cases())
    return cases


def dumps_cause_cases():
    """{name: (obj, default, option)} whose JSONEncodeError carries the
    exception it was made from as __cause__ (taking it may allocate: CPython
    creates many exceptions lazily, as a type and a message): default failing
    every way, and ints over sys.get_int_max_str_digits() as values and as
    OPT_NON_STR_KEYS keys. Built-in types only (they run on every build)."""
    return {
        "default_raises": ({_key("a b"): [Unknown()]}, _default_raises, None),
        "default_zero_division": ([{_key("k"): Unknown()}], _default_divides_by_zero, None),
        "default_int_conversion": ({_key("a"): [1, Unknown()]}, _default_converts, None),
        "default_key_error": ([Unknown()], _default_looks_up, None),
        "default_unsupported_result": ([[Unknown()]], _default_object, None),
        "int_digits": ([10**5000], None, None),
        "int_digits_nested": ({_key("n"): [1, -(10**4400)]}, None, None),
        "int_digits_key": ({_key("a"): {10**5000: 1}}, None, NSK),
        "int_digits_key_sorted": ({_key("b"): 1, 10**4400: 2}, None, NSK | jcodec.OPT_SORT_KEYS),
    }


def _default_divides_by_zero(obj):
    return 1 / 0


def _default_converts(obj):
    return int("x")


def _default_looks_up(obj):
    return {}[_key("missing")]


def _default_object(obj):
    return object()


# ---------------------------------------------------------------------------
# The further types


def optional_module(name):
    """The module, or None when it is not installed (numpy, pytz)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@dataclasses.dataclass
class Unreadable:
    a: int  # no class default to fall back on once the instance's is deleted


class _FailingZone(datetime.tzinfo):
    def utcoffset(self, dt):
        return 1 / 0  # ZeroDivisionError, created lazily


def _datetimes():
    values = [datetime.datetime(2000, 1, 2, 3, 4, 5, 678901), datetime.datetime(2000, 1, 2, tzinfo=datetime.timezone.utc),
              datetime.datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=-3, seconds=-31))),
              datetime.datetime(2021, 11, 7, 1, 30, fold=1, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
              datetime.date(2000, 1, 2), datetime.time(3, 4, 5, 6)]
    pytz = optional_module("pytz")
    if pytz is not None:
        values.append(datetime.datetime(2000, 6, 1, tzinfo=pytz.timezone("Europe/Paris")))
    return values


def Fragment(contents):
    """jcodec.Fragment(contents); on a build older than the Fragment type (the
    suites also run against old builds, to see what a fix changed) the
    contents as they are."""
    make = getattr(jcodec, "Fragment", None)
    return contents if make is None else make(contents)


def dumps_type_cases():
    """{name: (obj, default, option)} of the further types that dumps writes:
    each type, its options, its keys, numpy's dtypes (when installed)."""
    datetimes = _datetimes()
    rows = [Member(i, i % 2 == 0, _key("n%d" % i), i / 4) for i in range(20)]
    rich = {_key("rows"): rows, _key("slots"): SlotsPoint(datetimes[1], Color.LIST), _key("times"): datetimes,
            _key("ids"): [uuid.UUID(int=i * 0x1234567) for i in range(10)], _key("enums"): list(Color),
            _key("fragment"): Fragment(b'{"raw": [1, 2]}'), _key("text"): Fragment("é😀")}
    keys = {datetimes[0]: 1, datetimes[2]: 2, datetime.date(2000, 1, 1): 3, datetime.time(1): 4,
            uuid.UUID(int=5): 5, Color.RED: 6, 7: 7}
    cases = {
        "types": (rich, None, None),
        "types_options": (rich, None, jcodec.OPT_NAIVE_UTC | jcodec.OPT_UTC_Z | jcodec.OPT_OMIT_MICROSECONDS
                          | jcodec.OPT_INDENT_2 | jcodec.OPT_SORT_KEYS),
        "types_keys": (keys, None, NSK),
        "types_keys_sorted": (keys, None, NSK | jcodec.OPT_SORT_KEYS | jcodec.OPT_UTC_Z),
        "types_passthrough": ([rows[0], datetimes[0], Color.RED, SlotsPoint(Unknown())], default_containers,
                              jcodec.OPT_PASSTHROUGH_DATETIME | jcodec.OPT_PASSTHROUGH_DATACLASS),
        "dataclass_field_default": ([SlotsPoint(Unknown(), [Unknown()])], default_containers, None),
    }
    np = sys.modules.get("numpy") or optional_module("numpy")
    if np is not None:
        arrays = [(np.arange(24) % 7).astype(dtype).reshape(2, 3, 4) for dtype in
                  ("float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint64", "uint32", "uint16",
                   "uint8", "bool")]
        arrays += [np.zeros((2, 0)), np.array([1.1, np.nan, 3.4e38], dtype=np.float32)]
        scalars = [np.float64(0.1), np.float32(1.1), np.float16(0.1), np.int64(-5), np.uint8(7), np.bool_(True)]
        cases["numpy"] = (arrays + scalars, None, jcodec.OPT_SERIALIZE_NUMPY)
        cases["numpy_datetime64"] = ([np.array(["2000-01-02T03:04:05.678"], dtype="datetime64[ms]"),
                                      np.datetime64("2000-01-01", "D")], None,
                                     jcodec.OPT_SERIALIZE_NUMPY | jcodec.OPT_NAIVE_UTC)
        cases["numpy_default"] = ([np.arange(6)[::2], np.array(1.5), np.array([1j])], default_containers,
                                  jcodec.OPT_SERIALIZE_NUMPY)
    return cases


def dumps_type_error_cases():
    """{name: (obj, default, option)} of the further types that dumps refuses,
    from inside containers."""
    unreadable = Unreadable(1)
    del unreadable.a
    cases = {
        "time_with_tzinfo": ([datetime.time(1, tzinfo=datetime.timezone.utc)], None, None),
        "utcoffset_raises": ({_key("at"): [datetime.datetime(2000, 1, 1, tzinfo=_FailingZone())]}, None, None),
        "dataclass_field_unreadable": ([unreadable], None, None),
        "dataclass_field_unsupported": ({_key("row"): SlotsPoint(Unknown())}, None, None),
        "enum_value_unsupported": ([Wrapping.ODD], None, None),
        "fragment_not_bytes": ([Fragment(None)], None, None),
        "fragment_surrogate": ({_key("f"): Fragment("a\ud800")}, None, None),
        "key_time_tzinfo": ({datetime.time(1, tzinfo=datetime.timezone.utc): 1}, None, NSK),
    }
    np = sys.modules.get("numpy") or optional_module("numpy")
    if np is not None:
        cases["numpy_not_native"] = ([np.zeros(3, dtype=">f8")], None, jcodec.OPT_SERIALIZE_NUMPY)
        cases["numpy_not_contiguous"] = ([np.arange(6)[::2]], None, jcodec.OPT_SERIALIZE_NUMPY)
        cases["numpy_nat"] = ({_key("t"): np.array(["NaT"], dtype="datetime64[s]")}, None, jcodec.OPT_SERIALIZE_NUMPY)
    return cases
