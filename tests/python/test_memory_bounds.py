"""Bounds on the memory a call needs beyond its result, for every shared and
generated document.

loads: the allocator layer's peak (jcodec._alloc_stats() peak_bytes after
_alloc_stats_reset(), over the live bytes at the start: value stack, string and
number scratch, copies of bytearray/memoryview input, and the key cache's new
raw-byte copies) is at most 5% of the result plus 64 KiB. The result is
measured with tracemalloc the way test_memory_result_size.py measures it
(traced bytes still alive after the call, cache cleared first). That the layer's count is all
the scratch there is, is test_memory_visibility.py's proof.

dumps: tracemalloc's peak during the call, over the traced total before it, is
at most 1.1x the output plus 64 KiB: the output is written into the bytes object
that is returned (grown in place, trimmed once), never into a second buffer that
is copied at the end, which would make the peak at least twice the output.
test_memory_dumps.py checks dumps' own growth policy; here the bound is checked
on the corpora, with the default options and with OPT_SORT_KEYS | OPT_INDENT_2,
and on ./bench's rich-type datasets (bench/bench_types.py).

Besides the corpora, loads is bounded on the shapes that make its scratch
grow with the document (test_loads_shapes), and every str of a result must
take no more memory than CPython's canonical form of it, which is what json
returns (test_canonical_strs_*).
"""
import json
import sys

import pytest

import jcodec
import _memory_helpers as mh
from support import reference_dumps_with

KIB = 1024
LOADS_SCRATCH_SHARE = 0.05
DUMPS_PEAK_FACTOR = 1.1
ALLOWANCE = 64 * KIB

pytestmark = pytest.mark.usefixtures("default_cache")


def report(capsys, within, figures, excess):
    """Prints the figures as a "[bounds]" line (ci/gate_memory.sh reads them)
    and fails with them when the measure is not within its bound."""
    with capsys.disabled():
        print(f"\n[bounds] {figures}")
    assert within, f"{figures}: {excess}"


def check_loads(name, doc, capsys):
    jcodec.loads(doc)  # one-time allocations of a first call are not scratch
    jcodec._cache_clear()
    t = mh.traced_call(jcodec.loads, doc)
    assert not isinstance(t.value, BaseException), t.value
    bound = LOADS_SCRATCH_SHARE * t.final + ALLOWANCE
    report(capsys, t.own_peak <= bound,
           f"loads {name}: scratch {t.own_peak:,} B (traced {t.scratch:,} B), result {t.final:,} B, "
           f"bound {bound:,.0f} B ({t.own_peak / t.final:.1%} of the result)",
           "over 5% of the result plus 64 KiB")


def check_dumps(name, obj, option, capsys):
    mh.traced_call(jcodec.dumps, obj, None, option)  # first-call allocations out of the way
    t = mh.traced_call(jcodec.dumps, obj, None, option)
    if name == "gen_deep":
        # 400 levels: more than dumps' 254, refused (orjson's limit). The
        # failed call is bounded by the output json gives, all the same.
        assert isinstance(t.value, jcodec.JSONEncodeError), t.value
        size = len(reference_dumps_with(obj, option))
    else:
        assert isinstance(t.value, bytes), t.value
        size = len(t.value)  # its content is the differential tests' subject
    bound = DUMPS_PEAK_FACTOR * size + ALLOWANCE
    report(capsys, t.peak <= bound,
           f"dumps {name} option={option}: peak {t.peak:,} B, output {size:,} B, "
           f"bound {bound:,.0f} B ({t.peak / size:.3f}x)",
           "over 1.1x the output plus 64 KiB")


@pytest.mark.parametrize("name,load", mh.document_params())
def test_loads_documents(name, load, capsys):
    """The shared and the generated documents."""
    check_loads(name, load(), capsys)


# The shapes that make the scratch large, one at a time: the value stack
# holds every value of an open container (a flat array; a dict's keys and
# values), and a string with escapes or non-ASCII text is decoded into a code
# point buffer before its str is made.
SHAPES = {
    "flat_array_of_small_ints": json.dumps([0] * 100_000).encode(),
    "flat_array_of_ints": json.dumps(list(range(100_000))).encode(),
    "dict_of_50000_keys": json.dumps({"k%d" % i: 0 for i in range(50_000)}).encode(),
    "long_non_ascii_string": json.dumps("\u00e9" * 1_000_000, ensure_ascii=False).encode(),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_loads_shapes(name, capsys):
    check_loads(name, SHAPES[name], capsys)


OPTIONS = pytest.mark.parametrize("option", [0, jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2],
                                  ids=["default", "sort_indent"])


@OPTIONS
@pytest.mark.parametrize("name,load", mh.document_params())
def test_dumps_documents(name, load, option, capsys):
    if name == "gen_deep" and option:
        pytest.skip("gen_deep is refused (depth 254); its failed call is bounded with the default "
                    "options, while json's indent=2 form of it (52 MB, by json's pure-Python "
                    "encoder) would take seconds to compute the bound from")
    check_dumps(name, json.loads(load()), option, capsys)


@pytest.mark.parametrize("name", mh.type_dataset_names())
def test_dumps_types(name, capsys):
    """./bench's rich-type datasets (issue 12): dataclasses, datetimes,
    dates, UUIDs, enums, numpy arrays."""
    value, option = mh.type_dataset(name)
    check_dumps(name, value, option, capsys)


# ---------------------------------------------------------------------------
# The result's strs take no more than CPython's canonical form
# ---------------------------------------------------------------------------


def non_canonical_strs(result):
    """Keys and values of result that are not in CPython's canonical form:
    the narrowest kind for their characters, with the compact-ASCII layout
    when all are ASCII (json's; 24 bytes smaller than the Latin-1 layout, and
    what str.isascii() reports). A str built with a wider maximum than its
    characters need is bigger than json's and breaks isascii()."""
    bad = []
    for container in mh.walk(result):
        items = list(container.items()) if type(container) is dict else [(None, v) for v in container]
        for key, value in items:
            for s in (key, value):
                if type(s) is str:
                    canonical = s.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
                    if sys.getsizeof(s) != sys.getsizeof(canonical) or s.isascii() != canonical.isascii():
                        bad.append(s)
    return bad


def check_canonical(name, doc):
    bad = non_canonical_strs(jcodec.loads(doc))
    assert not bad, (f"{name}: {len(bad)} strs larger than their canonical form, e.g. "
                     f"{bad[0][:40]!r}: {sys.getsizeof(bad[0])} B, isascii() {bad[0].isascii()}")


@pytest.mark.parametrize("name,load", mh.document_params())
def test_canonical_strs_documents(name, load):
    check_canonical(name, load())


def test_canonical_strs_escapes():
    """Escapes in ASCII text, in values and keys, on every decoding path."""
    doc = json.dumps({"k\n%d" % i: ["ab\ncd", "x\"y", "a\u0041", "t\tt" * 40, "\u00e9\n",
                                    "\u20ac\\", "\U0001F600\n", "p" * i + "\\"] for i in range(20)},
                     ensure_ascii=True).encode()
    check_canonical("escapes", doc)
