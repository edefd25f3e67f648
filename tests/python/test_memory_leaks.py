"""No call retains memory: after a warm-up, 1,000 rounds of loads and dumps of
each document, and of every error path, leave tracemalloc's traced total
exactly where it was (snapshots compared after clearing the key cache, so its
entries are not counted as retained), and the allocator layer's live bytes too.

Why a warm-up, and why it is enough: _memory_helpers.retained_after's docstring.
In short, CPython 3.11 keeps freed floats (100), lists (80), dicts (80), dict
key tables of the minimum size (80), tuples (2000 per length), MemoryErrors
(16) and more on free lists, and the first rounds swap blocks allocated before
tracing began for traced ones there; once the deterministic workload has run
once through every variant a round can take, each round leaves the lists as
it found them, and any traced growth is the rounds' own.

Rounds: 1,000 (times JCODEC_TEST_SCALE, support.scaled_rounds; the checker's
own test, test_checker_sees_a_small_leak, always 1,000) for the generated
documents (corpus/generate.py at 4 KiB a shape, every shape), for the shared
documents up to 64 KiB, and for the error paths. Under tracemalloc a loads of
the 2 MB shared documents takes about half a second (every allocation is
traced), so those run 8 MiB / size rounds (at least 3): canada 3, citm_catalog
4, twitter 13. Their shapes are covered at 1,000 rounds by the generated
documents of the same names.

Not repeated here: the fault-injection sweeps' leak checks, loads' and
dumps' (test_memory_fault_injection.py, test_*_sweeps_leave_nothing); the
MemoryError paths below are single failures in rounds, to put them
through the same 1,000 rounds as every other error.
"""
import json
import sys

import pytest

import jcodec
import _memory_helpers as mh
from support import reference_dumps_with, scaled_rounds, shared_corpus_params

ROUNDS = scaled_rounds(1000)
# test_checker_sees_a_small_leak keeps one int every 100th of these rounds.
DETECTOR_ROUNDS = 1000
BIG_DOCUMENT = 64 * 1024
BIG_DOCUMENT_BUDGET = 8 * 1024 * 1024
SMALL_GENERATED = 4 * 1024

OPTIONS = (0, jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2)

pytestmark = pytest.mark.usefixtures("default_cache")


def assert_nothing_retained(name, round_fn, rounds, warmup, capsys):
    retained = mh.retained_after(round_fn, rounds, warmup)
    with capsys.disabled():
        print(f"\n[leaks] {name}: {rounds} rounds after {warmup} warm-up: traced {retained.bytes:+,} B, "
              f"allocator layer {retained.own_bytes:+,} B")
    assert retained.bytes == 0, (
        f"{name}: {retained.bytes:+,} B traced after {rounds} rounds; largest differences:\n"
        + retained.top)
    assert retained.own_bytes == 0, f"{name}: allocator layer live bytes {retained.own_bytes:+,}"


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------


def _input(doc, kind):
    if kind == 1:
        return doc.decode("utf-8")           # str: ASCII in place, else a UTF-8 temporary
    if kind == 2:
        return bytearray(doc)                # copied
    if kind == 3:
        return memoryview(doc)               # copied through the buffer protocol
    return doc


def document_rounds(doc, check_every_round):
    """round_fn(i) for a document: loads from input kind i % 4, with the key
    cache cleared first on odd rounds (misses and insertions) and warm on even
    ones (hits), then dumps of the result with option i % 2. The variants
    repeat every 4 rounds: the warm-up is one cycle."""
    expected = json.loads(doc)
    expected_out = [reference_dumps_with(expected, option) for option in OPTIONS]

    def round_fn(i):
        if i % 2:
            jcodec._cache_clear()
        obj = jcodec.loads(_input(doc, i % 4))
        try:
            out = jcodec.dumps(obj, option=OPTIONS[i % 2])
        except jcodec.JSONEncodeError:  # gen_deep: deeper than dumps' 254 levels
            out = None
        if check_every_round or i < 4:
            assert obj == expected
            assert out is None or out == expected_out[i % 2]
    return round_fn


def rounds_for(doc):
    if len(doc) <= BIG_DOCUMENT:
        return ROUNDS
    return max(3, min(ROUNDS, BIG_DOCUMENT_BUDGET // len(doc)))


@pytest.mark.skipif(mh.OPCACHE_ALWAYS_MADE, reason=mh.OPCACHE_REASON)
@pytest.mark.parametrize("name", sorted(mh.generated_documents(SMALL_GENERATED)))
def test_generated(name, capsys):
    doc = mh.generated_documents(SMALL_GENERATED)[name]
    assert_nothing_retained(name, document_rounds(doc, True), ROUNDS, 4, capsys)


@pytest.mark.skipif(mh.OPCACHE_ALWAYS_MADE, reason=mh.OPCACHE_REASON)
@pytest.mark.parametrize("path", shared_corpus_params())
def test_shared(path, capsys):
    doc = path.read_bytes()
    rounds = rounds_for(doc)
    if rounds < ROUNDS:
        # The big documents: bytes input and the default options only, so
        # the warm-up (with and without the cache) is two rounds.
        expected = json.loads(doc)

        def round_fn(i):
            if i % 2:
                jcodec._cache_clear()
            obj = jcodec.loads(doc)
            out = jcodec.dumps(obj)
            if i < 2:
                assert obj == expected and out == reference_dumps_with(expected)
        assert_nothing_retained(path.name, round_fn, rounds, 2, capsys)
    else:
        assert_nothing_retained(path.name, document_rounds(doc, True), rounds, 4, capsys)


# ---------------------------------------------------------------------------
# Error paths
# ---------------------------------------------------------------------------

_MANY_VALUES = json.dumps(list(range(300))).encode()   # the value stack on the heap
_LONG_TEXT = ("\u00e9\u20ac\U0001F600" * 400).encode()  # code point scratch grown
_LONG_KEY = b'"' + b"k" * 80 + b'"'                   # the long-key memo exists

# One document per error class of the parser (core/decode/error.h JC_PARSE_ERRORS),
# with a fragment of its message; several reach the error with scratch
# allocated (heap value stack, grown code point buffer, long-key memo), which
# the error exit must free.
DECODE_ERRORS = {
    "EMPTY": (b"", "empty document"),
    "BOM": (b"\xef\xbb\xbf[1]", "byte order mark"),
    "UNEXPECTED": (b'{"a" 1}', "expected ':' after object key"),
    "UNEXPECTED_end": (b'[1, {"k": [' + _MANY_VALUES, "found end of data"),
    "TRAILING_COMMA": (_MANY_VALUES[:-1] + b",]", "trailing comma"),
    "EXTRA_DATA": (b'{"a": [1, 2]} x', "extra data"),
    "DEPTH": (b"[" * 1025, "nesting depth"),
    "LITERAL": (b"[true, fals]", "invalid literal"),
    "LITERAL_nan": (b"[NaN]", "NaN is not valid JSON"),
    "NUMBER": (b"[1, 01]", "leading zero"),
    "NUMBER_RANGE": (b"[1.5, 1e400]", "number out of range"),
    "INT_DIGITS": (b"[" + b"7" * 4301 + b"]", "over the limit of"),
    "UNTERMINATED_STRING": (b'["' + _LONG_TEXT, "unterminated string"),
    "CONTROL_CHARACTER": (b'["' + _LONG_TEXT + b'\x01"]', "unescaped control character"),
    "ESCAPE": (b"{" + _LONG_KEY + b': ["\\x"]}', "invalid escape"),
    "SURROGATE": (b'["' + _LONG_TEXT + b'\\ud800"]', "lone surrogate"),
    "UTF8": (b'["' + _LONG_TEXT + b'\xff"]', "invalid UTF-8"),
}


def _decode_error_cases():
    """(name, input) pairs: every document as bytes, as str where it is valid
    UTF-8 (positions in code points), and in a bytearray (a copy to free)."""
    cases = []
    for name, (doc, _) in DECODE_ERRORS.items():
        cases.append((name, doc))
        cases.append((name + "/bytearray", bytearray(doc)))
        try:
            cases.append((name + "/str", doc.decode("utf-8")))
        except UnicodeDecodeError:
            pass
    return cases


def _input_errors():
    """Inputs refused before parsing: (input, exception type)."""
    return [
        (12345, jcodec.JSONDecodeError),
        ("[\"\ud800\"]", jcodec.JSONDecodeError),  # a str with no UTF-8 form
        (memoryview(b"[1, 2, 3, 4]")[::2], jcodec.JSONDecodeError),  # not contiguous
    ]


class Unsupported:
    pass


def _raising_default(obj):
    raise ValueError("refused by default")


def _self_returning_default(obj):
    return obj


def _circular_list():
    a = [1, {"k": []}]
    a[1]["k"].append(a)
    return a


def _circular_dict():
    d = {"a": {"b": [1, 2]}}
    d["a"]["b"].append(d)
    return d


def _deep(n):
    value = []
    for _ in range(n):
        value = [value]
    return value


def _encode_error_cases():
    """(name, args, kwargs, exception type) for dumps: every refusal, several
    from inside containers (the error path string is built) and with the
    OPT_SORT_KEYS buffer allocated when it happens."""
    big = {"k%03d" % i: [i, "v"] for i in range(200)}
    sort = jcodec.OPT_SORT_KEYS
    return [
        ("default_raises", ({"a": [1, Unsupported()]},), {"default": _raising_default},
         jcodec.JSONEncodeError),
        ("default_raises_sorted", ({**big, "z": Unsupported()},),
         {"default": _raising_default, "option": sort}, jcodec.JSONEncodeError),
        ("default_recursion", (Unsupported(),), {"default": _self_returning_default},
         jcodec.JSONEncodeError),
        ("circular_list", (_circular_list(),), {}, jcodec.JSONEncodeError),
        ("circular_dict_sorted", (_circular_dict(),), {"option": sort}, jcodec.JSONEncodeError),
        ("depth", (_deep(300),), {}, jcodec.JSONEncodeError),
        ("unsupported_type", ({"a": {"b": [Unsupported()]}},), {}, jcodec.JSONEncodeError),
        ("unsupported_set", ([1, {2, 3}],), {}, jcodec.JSONEncodeError),
        ("unsupported_sorted", ({**big, "m": Unsupported()},), {"option": sort},
         jcodec.JSONEncodeError),
        ("non_str_key", ({"a": {(1, 2): 3}},), {}, jcodec.JSONEncodeError),
        ("non_str_key_sorted", ({**big, 5: 1},), {"option": sort}, jcodec.JSONEncodeError),
        ("surrogate", (["ok", "\ud800"],), {}, jcodec.JSONEncodeError),
        ("invalid_option", ([1],), {"option": 1 << 30}, jcodec.JSONEncodeError),
        ("default_not_callable", ([1],), {"default": 3}, jcodec.JSONEncodeError),
        ("bad_keyword", ([1],), {"indent": 2}, TypeError),
    ]


def _memory_error_cases():
    """(name, call) pairs that fail the k-th allocation request of one loads or
    dumps: the first, one in the middle and the last (counted once first, so
    the k are right for this build)."""
    doc = b'{"a": [1, 2.5, "x\\u00e9", {"' + b"k" * 70 + b'": null}], "b": ' + _MANY_VALUES + b"}"
    obj = json.loads(doc)
    jcodec._cache_clear()
    jcodec.loads(doc)
    jcodec._cache_clear()
    jcodec._fail_alloc_after(0)
    jcodec.loads(doc)
    loads_total = jcodec._fault_result()["allocations"]
    jcodec.dumps(obj, option=jcodec.OPT_SORT_KEYS)
    jcodec._fail_alloc_after(0)
    jcodec.dumps(obj, option=jcodec.OPT_SORT_KEYS)
    dumps_total = jcodec._fault_result()["allocations"]
    assert loads_total > 2 and dumps_total > 2

    def failing_loads(k, persistent=False):
        def call():
            jcodec._cache_clear()  # the same allocation sequence every time
            jcodec._fail_alloc_after(k, persistent)
            jcodec.loads(doc)
        return call

    def failing_dumps(k):
        def call():
            jcodec._fail_alloc_after(k)
            jcodec.dumps(obj, option=jcodec.OPT_SORT_KEYS)
        return call

    cases = [("loads_k%d" % k, failing_loads(k)) for k in (1, loads_total // 2, loads_total)]
    cases.append(("loads_persistent", failing_loads(loads_total // 3, True)))
    cases += [("dumps_k%d" % k, failing_dumps(k)) for k in (1, dumps_total // 2, dumps_total)]
    return cases


def error_round_fn():
    decode_cases = _decode_error_cases()
    input_errors = _input_errors()
    encode_cases = _encode_error_cases()
    memory_cases = _memory_error_cases()

    def round_fn(i):
        for name, doc in decode_cases:
            try:
                jcodec.loads(doc)
            except jcodec.JSONDecodeError:
                pass
            else:
                raise AssertionError("loads accepted %s" % name)
        for doc, error in input_errors:
            try:
                jcodec.loads(doc)
            except error:
                pass
            else:
                raise AssertionError("loads accepted %r" % (doc,))
        for name, args, kwargs, error in encode_cases:
            try:
                jcodec.dumps(*args, **kwargs)
            except error:
                pass
            else:
                raise AssertionError("dumps accepted %s" % name)
        for name, call in memory_cases:
            try:
                call()
            except MemoryError:
                pass
            else:
                raise AssertionError("no MemoryError from %s" % name)
    return round_fn


@pytest.mark.skipif(mh.OPCACHE_ALWAYS_MADE, reason=mh.OPCACHE_REASON)
def test_error_paths(capsys):
    assert_nothing_retained("error paths", error_round_fn(), ROUNDS, 1, capsys)


@pytest.mark.parametrize("name", sorted(DECODE_ERRORS))
def test_error_documents_reach_their_class(name):
    """Each document above fails with its class's message, so the rounds do
    go through every error exit."""
    doc, fragment = DECODE_ERRORS[name]
    inputs = [doc, bytearray(doc)]
    if name != "UTF8":
        inputs.append(doc.decode("utf-8"))
    for value in inputs:
        with pytest.raises(jcodec.JSONDecodeError) as info:
            jcodec.loads(value)
        assert fragment in info.value.msg, (name, type(value), info.value.msg)


def _kept_int(i):
    return 10**6 + i  # as leaking_round makes them


def traced_int_size():
    """What tracemalloc records for one int as the leaking round makes them
    (one 30-bit digit): 32 bytes from CPython 3.11 (sizeof(PyLongObject),
    _PyLong_FromMedium), 28 before (the header and the one digit); pymalloc's
    32-byte size class either way."""
    _kept_int(0)  # 3.9 and 3.10 keep a code object's first frame (co_zombieframe)
    size = mh.traced_call(_kept_int, 1).final
    assert mh.allocated_size(size) == 32 and size >= sys.getsizeof(10**6), size
    return size


@pytest.mark.skipif(mh.OPCACHE_ALWAYS_MADE, reason=mh.OPCACHE_REASON)
def test_checker_sees_a_small_leak():
    """The comparison is exact: one int kept every 100th round, over the same
    workload as above, shows as the 10 ints it is (320 bytes on 3.11)."""
    int_size = traced_int_size()
    assert sys.version_info < (3, 11) or int_size == 32
    kept = [None] * 20  # allocated up front: a growing list would add its own bytes
    document_round = document_rounds(mh.generated_documents(SMALL_GENERATED)["gen_twitter"], False)

    def leaking_round(i):
        document_round(i)
        if i % 100 == 0:
            kept[i // 100] = 10**6 + i

    retained = mh.retained_after(leaking_round, DETECTOR_ROUNDS, 4)
    assert retained.bytes == 10 * int_size, retained
