"""Every byte jcodec allocates is visible to tracemalloc: its scratch goes
through PyMem, and nothing else hides beside it.

One loads or dumps runs alone under tracemalloc (_memory_helpers.traced_call).
What tracemalloc sees during the call:
  * the result, still alive afterwards: `final` (with loads, also the key
    cache's new entries, which the result shares, and their raw-byte copies);
  * the scratch, freed before the call returns: peak - final;
  * temporary Python objects the call makes and drops: for loads, the UTF-8
    copy of a non-ASCII str input and the per-call memo of keys over the cache's
    64-byte limit (both documented in core/decode/loads.c and core/decode/str.c, and
    neither counted by the allocator layer, since they are Python objects), and
    CPython's own transients, chiefly a dict's old table while PyDict_SetItem
    grows it.
The allocator layer counts its own scratch (jcodec._alloc_stats(): peak_bytes
over the live bytes after the call, after _alloc_stats_reset()). The scratch
only grows during a call and is freed at its end, when the result is complete,
so the traced peak is reached there: peak - final must equal the layer's
scratch plus the temporaries computed here independently, exactly from below,
and from above within a tolerance for CPython's transients, stated per
document: half the largest dict of the result (the old table a resize frees)
plus 1 KiB (small objects such as the memo's dict header, which comes from a
free list or not).

It fails when a block the layer counts is allocated outside PyMem (tracemalloc
sees less than the layer reports: test_checker_sees_counted_malloc shows it),
and when the core allocates scratch through PyMem that the layer does not count
or the accounting here does not explain, such as a temporary copy of the input
(tracemalloc sees more: test_checker_sees_hidden_scratch).

For dumps the result is the output bytes object (and nothing else stays), and
the scratch is its slack: it grows in place and is trimmed once, so peak -
final is at least buffer_peak_bytes - len(output), the traced peak holds the
layer's own scratch (OPT_SORT_KEYS's buffer) next to the output object, and
peak - final is at most the slack plus the layer's scratch plus 1 KiB (Python
temporaries, such as the str of an int over 64 bits): no second buffer.

Result sizes are test_memory_result_size.py's subject; dumps' leaks and peak
of its own are test_memory_dumps.py's, its fault injection
test_memory_fault_injection.py's.
"""
import ctypes
import json
import sys

import pytest

import jcodec
import _memory_helpers as mh
from support import reference_dumps_with, shared_document_bytes

SLACK = 1024

pytestmark = pytest.mark.usefixtures("default_cache")


# ---------------------------------------------------------------------------
# What loads allocates besides the layer's scratch, computed without jcodec
# ---------------------------------------------------------------------------


def utf8_temporary(doc):
    """loads encodes a str that is neither ASCII nor carries a cached UTF-8
    form into a temporary bytes object, alive until the parse ends."""
    if isinstance(doc, str) and not doc.isascii():
        return sys.getsizeof(doc.encode("utf-8", "surrogatepass"))
    return 0


def long_key_memo(doc):
    """The table of the per-call dict that shares keys over 64 document bytes
    (as json's memo does), built here the way the parser builds it: setdefault
    in document order. Its header is left to the tolerance: it may come from
    the dict free list, untraced."""
    raw = doc.encode("utf-8") if isinstance(doc, str) else bytes(doc)
    memo = {}
    for key in mh.raw_keys(raw):
        if len(key) > 64:
            text = mh.decode_raw_key(key)
            memo.setdefault(text, text)
    return sys.getsizeof(memo) - sys.getsizeof({}) if memo else 0


def check_loads(doc, loads=jcodec.loads):
    """Measures loads(doc) and returns (problem or None, description)."""
    loads(doc)  # first-call allocations (free lists, singletons) out of the way
    jcodec._cache_clear()
    t = mh.traced_call(loads, doc)
    if isinstance(t.value, BaseException):
        raise t.value
    uncounted = utf8_temporary(doc) + long_key_memo(doc)
    expected = t.own_scratch + uncounted
    tolerance = mh.largest_dict_size(t.value) // 2 + SLACK
    text = (f"traced scratch {t.scratch:,} B; allocator layer {t.own_scratch:,} B + Python "
            f"temporaries {uncounted:,} B = {expected:,} B (tolerance +{tolerance:,} B); "
            f"result {t.final:,} B")
    if t.own_scratch <= 0 and not uncounted:
        return "the document needs no scratch: nothing to compare", text
    if t.scratch < expected:
        return "tracemalloc saw less scratch than the allocator layer counts: " + text, text
    if t.scratch > expected + tolerance:
        return "tracemalloc saw scratch the accounting does not explain: " + text, text
    return None, text


# Documents that make each kind of scratch large, next to the corpora: the
# value stack (a flat array), the code point buffer (long non-ASCII strings),
# the text copy for CPython's number converters (long numbers), the long-key
# memo, and copied or encoded inputs.
SYNTHETIC = {
    "flat_array": json.dumps(list(range(200_000))).encode(),
    # Below the parser's long-string size (decoded in place, no scratch), so the
    # code-point scratch of each kind is used.
    "non_ascii_strings": json.dumps(["\u00e9" * 2000, "\u20ac" * 1000 + "x",
                                     "\U0001F600" * 500] * 20, ensure_ascii=False).encode(),
    "long_numbers": json.dumps([10**k + 7 for k in range(20, 4000, 37)]
                               + [1.2345678901234567890123e-300] * 3).encode(),
    "long_keys": json.dumps([{("key%d" % (i % 500)) * 12: i} for i in range(3000)]).encode(),
}


def input_variants():
    """(id, document) pairs over every input type."""
    variants = [(name, doc) for name, doc in SYNTHETIC.items()]
    generated = mh.generated_documents()
    variants.append(("str_non_ascii", generated["gen_twitter"].decode("utf-8")))
    variants.append(("str_ascii", generated["gen_citm"].decode("ascii")))
    variants.append(("str_long_keys", SYNTHETIC["long_keys"].decode("ascii")))
    variants.append(("bytearray", bytearray(generated["gen_numbers"])))
    variants.append(("memoryview", memoryview(generated["gen_canada"])))
    return variants


def _assert_visible(name, doc, capsys):
    problem, text = check_loads(doc)
    with capsys.disabled():
        print(f"\n[visibility] loads {name}: {text}")
    assert problem is None, f"{name}: {problem}"


@pytest.mark.parametrize("name,load", mh.document_params())
def test_loads_documents(name, load, capsys):
    """The shared and the generated documents."""
    _assert_visible(name, load(), capsys)


@pytest.mark.parametrize("name,doc", input_variants(), ids=[n for n, _ in input_variants()])
def test_loads_scratch_kinds(name, doc, capsys):
    _assert_visible(name, doc, capsys)


# ---------------------------------------------------------------------------
# The check can fail
# ---------------------------------------------------------------------------


def test_checker_sees_hidden_scratch():
    """A loads that makes a temporary copy of its input through PyMem (as a
    core that copied the document would) is caught."""
    doc = SYNTHETIC["flat_array"]

    def loads_with_copy(raw):
        copy = bytearray(raw)  # alive during the parse, freed after it
        result = jcodec.loads(raw)
        del copy
        return result

    problem, text = check_loads(doc, loads_with_copy)
    assert problem is not None and "does not explain" in problem, text


def test_checker_sees_counted_malloc():
    """A block the layer counts but malloc provides is caught: simulated by
    reporting a libc malloc'd block of 256 KiB as part of the layer's scratch."""
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    hidden = 256 * 1024
    real_stats = jcodec._alloc_stats

    def loads_with_malloc(raw):
        block = libc.malloc(hidden)
        ctypes.memset(block, 1, hidden)
        try:
            return jcodec.loads(raw)
        finally:
            libc.free(block)

    def stats_counting_it():
        s = real_stats()
        s["peak_bytes"] += hidden
        return s

    jcodec._alloc_stats = stats_counting_it
    try:
        problem, text = check_loads(SYNTHETIC["flat_array"], loads_with_malloc)
    finally:
        jcodec._alloc_stats = real_stats
    assert problem is not None and "saw less" in problem, text


# ---------------------------------------------------------------------------
# dumps
# ---------------------------------------------------------------------------


def check_dumps(obj, option):
    jcodec.dumps(obj, option=option)
    t = mh.traced_call(jcodec.dumps, obj, None, option)
    if isinstance(t.value, BaseException):
        raise t.value
    out = t.value
    if not option:  # (json's indent=2 runs its pure-Python encoder: slow on 2 MB)
        assert out == reference_dumps_with(obj, option)
    slack = t.counters["buffer_peak_bytes"] - len(out)
    own = t.own_scratch
    text = (f"output {len(out):,} B; traced final {t.final:,} B, scratch {t.scratch:,} B; "
            f"buffer peak {t.counters['buffer_peak_bytes']:,} B (slack {slack:,} B), "
            f"allocator layer scratch {own:,} B")
    # The bytes object is the result and nothing else stays.
    assert sys.getsizeof(out) <= t.final <= sys.getsizeof(out) + SLACK, text
    # The output buffer at its largest was traced, and so was the layer's own
    # scratch, next to the output object (which exists from the start).
    assert t.scratch >= slack, text
    assert t.peak >= own + sys.getsizeof(b""), text
    # And nothing else of size: no second buffer, no copy of the output.
    # (SLACK: Python temporaries, such as the str of an int over 64 bits.)
    assert t.scratch <= slack + own + SLACK, text
    return text


def dumps_documents():
    docs = shared_document_bytes()
    docs.update(mh.generated_documents())
    # One dict of 20,000 keys: OPT_SORT_KEYS's buffer (a few pointers a key)
    # outweighs the output, so the check above sees whether it is traced.
    docs["big_dict"] = json.dumps({"k%d" % i: i for i in range(20_000)}).encode()
    # Deeper than dumps' 254 levels: refused, so it has no output to measure
    # (its failure path is in test_memory_leaks and test_memory_dumps).
    docs.pop("gen_deep")
    return docs


@pytest.mark.parametrize("option", [None, jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2],
                         ids=["default", "sort_indent"])
@pytest.mark.parametrize("name", sorted(dumps_documents()))
def test_dumps(name, option, capsys):
    obj = json.loads(dumps_documents()[name])
    text = check_dumps(obj, option or 0)
    with capsys.disabled():
        print(f"\n[visibility] dumps {name} option={option}: {text}")
