"""The allocator layer, seen from Python: jcodec._alloc_stats() counters around
loads, and the rule that the core allocates only through it (no raw
malloc/calloc/realloc/free in core/ outside core/alloc.c)."""
import json
import re

import pytest

import jcodec
from support import ROOT

STAT_NAMES = {"allocations", "reallocs", "frees", "live_bytes", "peak_bytes", "failed"}

pytestmark = pytest.mark.usefixtures("default_cache")


def stats():
    return jcodec._alloc_stats()


def big_non_ascii_document():
    """Non-ASCII strings just under the parser's long-string size (the code
    point scratch grows to hold the longest; longer ones are decoded in place)
    and more than 128 values (the value stack moves to the heap)."""
    strings = ["\u00e9" * 3000, "\u20ac" * 2000 + "x", "\U0001F600" * 1500, "mixed \u00e9 " * 700]
    doc = {
        "strings": strings,
        "escaped_\u00e9": json.dumps(strings[:2]),
        "numbers": list(range(1000)),
        "objects": [{"name_\u00e9%d" % i: "v\u00e9" * i} for i in range(200)],
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8"), 4 * 1500


def test_stats_fields():
    s = stats()
    assert STAT_NAMES <= set(s)  # the serializer may add counters of its own
    assert all(type(s[name]) is int and s[name] >= 0 for name in STAT_NAMES)
    # The key cache of this module is allocated through the layer and is live.
    assert s["live_bytes"] > 0
    assert s["peak_bytes"] >= s["live_bytes"]


def test_reset():
    jcodec.loads(b'["\xc3\xa9"]')
    jcodec._alloc_stats_reset()
    s = stats()
    assert s["allocations"] == s["reallocs"] == s["frees"] == s["failed"] == 0
    assert s["peak_bytes"] == s["live_bytes"]


def test_counters_on_big_document():
    doc, min_scratch = big_non_ascii_document()
    expected = json.loads(doc)
    jcodec._alloc_stats_reset()
    start = stats()
    assert jcodec.loads(doc) == expected
    # Raw-byte copies of the non-ASCII keys stay live in the cache until cleared.
    jcodec._cache_clear()
    end = stats()
    assert end["allocations"] > 0
    assert end["frees"] == end["allocations"]
    assert end["live_bytes"] == start["live_bytes"]
    assert end["failed"] == 0
    # The scratch for the astral string (4 bytes for each of its 1500 code
    # points at least) was live at some point.
    assert end["peak_bytes"] >= start["live_bytes"] + min_scratch
    assert end["peak_bytes"] > 0

    # Same again with the cache warm: no key copies, the same balance.
    jcodec.loads(doc)
    jcodec._alloc_stats_reset()
    before = stats()
    for _ in range(3):
        assert jcodec.loads(doc) == expected
    after = stats()
    assert after["allocations"] > 0
    assert after["frees"] == after["allocations"]
    assert after["live_bytes"] == before["live_bytes"]


def test_key_copies_are_counted():
    """Keys whose document bytes differ from their text (escapes, non-ASCII)
    keep a copy of those bytes in the cache, through the layer."""
    jcodec._alloc_stats_reset()
    start = stats()
    raw_keys = [b"a\\u0062", b"\xc3\xa9t\xc3\xa9", b"\\n"]
    jcodec.loads(b"{" + b", ".join(b'"%s": 1' % k for k in raw_keys) + b"}")
    mid = stats()
    assert mid["live_bytes"] == start["live_bytes"] + sum(len(k) for k in raw_keys)
    jcodec._cache_clear()
    end = stats()
    assert end["live_bytes"] == start["live_bytes"]
    assert end["frees"] == end["allocations"]


@pytest.mark.parametrize("kind", [bytearray, memoryview])
def test_copied_inputs_are_counted(kind):
    doc = b'{"k": [1, 2, 3]}' * 1 + b" " * 1000
    jcodec._alloc_stats_reset()
    start = stats()
    assert jcodec.loads(kind(doc)) == json.loads(doc)
    end = stats()
    assert end["allocations"] >= 1
    assert end["frees"] == end["allocations"]
    assert end["live_bytes"] == start["live_bytes"]
    assert end["peak_bytes"] >= start["live_bytes"] + len(doc) + 1


def test_failed_counter():
    """A failed request for one of the core's own blocks counts as failed."""
    doc = b'["' + "\u00e9".encode() * 1000 + b'"]'
    # The first request of this loads is the code point scratch.
    jcodec._alloc_stats_reset()
    jcodec._fail_alloc_after(1)
    with pytest.raises(MemoryError):
        jcodec.loads(doc)
    s = stats()
    assert s["failed"] == 1
    assert s["allocations"] == s["frees"] == 0
    # A bytearray's first request is its copy.
    jcodec._fail_alloc_after(1)
    with pytest.raises(MemoryError):
        jcodec.loads(bytearray(doc))
    assert stats()["failed"] == 2
    assert jcodec.loads(doc) == json.loads(doc)
    s = stats()
    assert s["failed"] == 2
    assert s["frees"] == s["allocations"]


# ---------------------------------------------------------------------------
# No raw malloc in the core
# ---------------------------------------------------------------------------

RAW_CALL = re.compile(r"(?<![\w.>])(malloc|calloc|realloc|free)\s*\(")
COMMENT_OR_LITERAL = re.compile(
    r"""//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'""", re.S)


def _blank(match):
    """Replaces a comment or literal by spaces, keeping its newlines so line
    numbers stay right."""
    text = match.group(0)
    if text.startswith(("//", "/*")):
        return re.sub(r"[^\n]", " ", text)
    return text[0] + " " * (len(text) - 2) + text[-1]


def raw_allocator_calls(source):
    """(line, name) of every call of malloc/calloc/realloc/free in C source,
    outside comments and string/char literals. Prefixed names (jc_malloc,
    PyMem_Malloc, PyMem_RawFree, ...) and member calls (a->free(...),
    a.malloc(...)) are not raw calls."""
    code = COMMENT_OR_LITERAL.sub(_blank, source)
    found = []
    for match in RAW_CALL.finditer(code):
        line = code.count("\n", 0, match.start()) + 1
        found.append((line, match.group(1)))
    return found


def test_raw_call_scanner():
    sample = """
    /* malloc(1) in a comment */ // free(p) too
    void *a = malloc(10);
    char *s = "calloc(1, 2)";
    p = realloc (p, 20);
    jc_malloc(3); jc_free(p, 3); PyMem_Malloc(4); PyMem_RawFree(p); PyObject_Free(p);
    ctx->free(ctx, p); d->wrapped.malloc(c, 1); my_free(p); freelist(p);
    free(p);
    /* multi-line
       free(p)
    */ calloc(1, 1);
    """
    assert raw_allocator_calls(sample) == [(3, "malloc"), (5, "realloc"), (8, "free"), (11, "calloc")]


def test_no_raw_malloc_in_core():
    core = ROOT / "core"
    if not core.is_dir():
        pytest.skip("core/ not found under %s" % ROOT)
    files = sorted(p for p in core.rglob("*.[ch]") if p != core / "alloc.c")
    assert files, "no C sources found in %s" % core
    offenders = []
    for path in files:
        for line, name in raw_allocator_calls(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append("%s:%d: %s()" % (path.relative_to(core.parent), line, name))
    assert not offenders, "raw allocator calls outside core/alloc.c (use jc_*):\n" + "\n".join(offenders)
