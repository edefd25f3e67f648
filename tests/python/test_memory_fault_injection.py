"""Fault injection, both directions: every allocation request a loads or a
dumps makes, failed in turn.

jcodec._fail_alloc_after(k) makes the k-th allocation request (CPython's MEM and
OBJ domains, so Python objects too) of the next jcodec call fail; k=0 counts
only; with persistent=True every request from the k-th on fails. One sweep
serves both directions: learn k_total for the call, then for every k in
1..k_total the armed call must raise exactly MemoryError with exactly one
injected failure (at least one when persistent), and the next plain call must
give what it gave before (the same result, or the same error). Finally nothing
may leak: tracemalloc and the allocator layer's live byte count.

* loads: valid and invalid documents, every input type, with the key cache
  empty (so cache insertions and their raw-byte copies allocate) and warm
  (hits), and in persistent mode; a failed loads drops every reference it took
  to cached keys.
* dumps: objects of every shape and option, of every further type (datetime
  and its zones and options, UUID, enum, dataclass, numpy, Fragment, their
  keys: _memory_helpers.dumps_type_cases()), and every error path (message,
  path, cause), from _memory_helpers.dumps_error_cases().
* Error paths in full: a malformed document of every loads error class
  (test_loads_errors.ERROR_CLASSES), every way `default` can fail (an
  exception CPython creates lazily, such as ZeroDivisionError from 1 / 0 or
  ValueError from int("x"), one raised by Python code, a result that cannot
  be written, RecursionError, KeyboardInterrupt and MemoryError, which
  propagate), ints over sys.get_int_max_str_digits() as values and as
  OPT_NON_STR_KEYS keys. An error's cause is part of the outcome compared: a
  JSONEncodeError whose cause is the MemoryError of a failed request is a
  failure of the sweep (issue 16: taking the exception of default, or of an
  int's digit limit, can allocate).
"""
import json
import re
import subprocess
import sys

import pytest

import jcodec
import _memory_helpers as mh
from support import DictSub, IntSub, ListSub, StrSub, Unknown, missing_shared, run_child, shared_document_bytes

pytestmark = pytest.mark.usefixtures("default_cache", "collector_off")

JCODEC_ERRORS = (jcodec.JSONDecodeError, jcodec.JSONEncodeError)

# =============================================================================
# The sweep


class SweepFailure(AssertionError):
    pass


# A call is a tuple (function, *arguments): jcodec.loads or jcodec.dumps and
# what to pass it. armed_call calls it from its own frame, whose frame object
# exists before the call: CPython 3.11 creates the frame object of the Python
# caller on demand when a Python function called from C (default) returns with
# a frame object of its own, and swallows a MemoryError there (take_ownership in
# Objects/frameobject.c), so a request failed there would not be jcodec's to
# report. (A closure as the call would be such a caller, made anew each time.)


# Exceptions of default that dumps lets through as they are (besides
# MemoryError, which every armed call must raise).
PROPAGATED = (RecursionError, KeyboardInterrupt)


def error_outcome(exc):
    """(type, str, pos, type of the cause) of one of jcodec's errors (pos
    None for JSONEncodeError, the cause's type NoneType when there is none)."""
    return (type(exc), str(exc), getattr(exc, "pos", None), type(exc.__cause__))


def outcome(call):
    """What a plain call gives: ("ok", its result), ("error", *error_outcome)
    for a JSONDecodeError or JSONEncodeError, or ("raised", type) for an
    exception of default that propagates."""
    fn, *args = call
    try:
        return ("ok", fn(*args))
    except JCODEC_ERRORS as exc:
        return ("error", *error_outcome(exc))
    except PROPAGATED as exc:
        return ("raised", type(exc))


def _plain(call):
    """A plain (unarmed) call whose result is dropped at once."""
    fn, *args = call
    try:
        fn(*args)
    except JCODEC_ERRORS + PROPAGATED:
        pass


# CPython before 3.11: PyErr_SetString and PyErr_Format (Python/errors.c) set
# their exception even when making its message failed, with no value, so the
# MemoryError of that request (the interpreter's own, the message's str) is
# replaced by the exception without its message: `1 / 0` in default then gives
# ZeroDivisionError() instead of ZeroDivisionError('division by zero'), and the
# JSONEncodeError made from it is the plain call's own. 3.11 sets the
# exception only when the message was made, and the MemoryError stays.
MESSAGE_MAY_BE_LOST = sys.version_info < (3, 11)
# armed_call's first item for such an outcome: (MESSAGE_LOST, *error_outcome).
MESSAGE_LOST = "cause without its message"


# CPython before 3.11 (3.9 above all, where mh.deactivate_opcache() cannot
# stop it): a Python function's 1,024th run allocates its opcode cache, and
# when that request fails the frame returns without an exception, which the
# interpreter reports as this SystemError (raised, or the cause of the
# JSONEncodeError made from default's failure). The request is the
# interpreter's; the outcome stands for the MemoryError.
OPCACHE_FAILURE = re.compile(r"_PyEval_EvalFrameDefault returned NULL without setting an (error|exception)")


def _opcache_failure(exc):
    if sys.version_info >= (3, 11):
        return False
    return any(type(e) is SystemError and OPCACHE_FAILURE.fullmatch(str(e))
               for e in (exc, exc.__cause__))


def _cause_args(call):
    """The args of the cause of the error a plain call raises (None: no cause)."""
    fn, *args = call
    try:
        fn(*args)
    except JCODEC_ERRORS as exc:
        return None if exc.__cause__ is None else exc.__cause__.args
    return None


def armed_call(call, k, persistent=False):
    """The call with allocation request k failing (k=0: counted only). Returns
    (raised, fault result), where raised is None for a success, else
    error_outcome() for jcodec's errors and (type, None, None, None) for any
    other exception (MemoryError's for OPCACHE_FAILURE). Keeps no reference to the exception (its traceback would
    hold this frame)."""
    fn, *args = call
    sys._getframe()  # this frame's object, made now (see above)
    jcodec._fail_alloc_after(k, persistent)
    try:
        fn(*args)
    except BaseException as exc:  # noqa: B902 - the exact type is the point
        if _opcache_failure(exc):
            raised = (MemoryError, None, None, None)
        elif isinstance(exc, JCODEC_ERRORS):
            raised = error_outcome(exc)
            if MESSAGE_MAY_BE_LOST and exc.__cause__ is not None and exc.__cause__.args == ():
                raised = (MESSAGE_LOST, *raised)
        else:
            raised = (type(exc), None, None, None)
    else:
        raised = None
    return raised, jcodec._fault_result()


def count_allocations(call, prepare=None):
    """Allocation requests of one call, in the state the sweep arms from:
    after two plain calls (free lists and one-time caches in their steady
    state; the first call can make more requests than later ones) and
    prepare()."""
    _plain(call)
    _plain(call)
    if prepare is not None:
        prepare()
    raised, result = armed_call(call, 0)
    assert result["failures"] == 0, result
    return result["allocations"]


def sweep(call, expected, *, prepare=None, persistent=False, step=1, same_error_ok=False,
          unreached_ok=0):
    """For every k in 1..k_total (every `step`-th, and the last), after
    prepare(): the call with allocation request k failing (and every later one
    when persistent) raises exactly MemoryError, with exactly one injected
    failure (at least one when persistent); then a plain call gives `expected`
    (an outcome()) again.

    same_error_ok: for a call that fails anyway, an armed call may also raise
    the very error (type, message, position, type of the cause) of the plain
    call, when the failed request was one whose MemoryError CPython itself
    replaces: int's conversion raises its digit-limit ValueError with
    PyErr_Format, which replaces a MemoryError raised while formatting the
    message by that ValueError. What it does not accept is a different error:
    a failed request must never change the limit the message reports, nor
    leave a JSONEncodeError caused by the MemoryError.

    Before 3.11 an armed call of a failing call may also raise the plain
    call's error with its cause (made by CPython, a message in its args)
    without a message: the failed request was that message's (see
    MESSAGE_MAY_BE_LOST), one failure all the same.

    unreached_ok: how many k may lie beyond the armed call's own count (no
    failure, fewer requests than k): error paths that run Python code (default,
    the exception machinery) may make one or two requests fewer from call to
    call (free lists).

    Returns k_total."""
    total = count_allocations(call, prepare)
    if total == 0:
        raise SweepFailure("the call made no allocation request at all")
    same_error = expected[1:] if expected[0] == "error" else None
    plain_cause_args = None  # found when first needed
    problems = []
    unreached = 0
    ks = list(range(1, total + 1, step))
    if ks[-1] != total:
        ks.append(total)
    for k in ks:
        if prepare is not None:
            prepare()
        raised, result = armed_call(call, k, persistent)
        if unreached_ok and result["failures"] == 0 and result["allocations"] < k:
            unreached += 1
        else:
            if raised is not None and raised[0] == MESSAGE_LOST and raised[1:] == same_error:
                if plain_cause_args is None:
                    plain_cause_args = _cause_args(call)
                if not plain_cause_args:
                    problems.append("k=%d: raised %.200r, and the plain call's cause has no message "
                                    "either (%r)" % (k, raised, plain_cause_args))
            elif raised is None or raised[0] is not MemoryError:
                if not (same_error_ok and raised == same_error):
                    problems.append("k=%d: %s, not MemoryError (fault_result %r)"
                                    % (k, "no error" if raised is None else "raised %.200r" % (raised,),
                                       result))
            if persistent and result["failures"] < 1:
                problems.append("k=%d persistent: fault_result %r" % (k, result))
            elif not persistent and result["failures"] != 1:
                problems.append("k=%d: fault_result %r" % (k, result))
        again = outcome(call)
        if again != expected:
            problems.append("k=%d: the plain call after the failure gave %.200r" % (k, again))
        del again
        if len(problems) >= 12:
            problems.append("...")
            break
    if unreached > unreached_ok:
        problems.append("%d of %d requests not reached" % (unreached, total))
    if problems:
        raise SweepFailure(
            "%d allocation requests (persistent=%s):\n  " % (total, persistent) + "\n  ".join(problems))
    return total


def assert_sweeps_leave_nothing(run_sweeps):
    """run_sweeps() three times, traced (mh.retained_after: the first two
    passes are the warm-up, which brings CPython's free lists and caches to the
    state every later pass leaves them in; one pass is not always enough: on
    3.13 the second pass of the dumps error cases still left one more 2-tuple
    on the tuple free list than the first, and the third none): the last pass
    must not add a byte, traced or live in the allocator layer (the key cache
    itself, allocated at import, is in both counts)."""
    retained = mh.retained_after(lambda i: run_sweeps(), rounds=1, warmup=2)
    assert retained.bytes == 0, (
        "%+d bytes more traced after the second pass:\n%s" % (retained.bytes, retained.top))
    assert retained.own_bytes == 0, "allocator layer live bytes %+d" % retained.own_bytes


# =============================================================================
# loads


def loads_of(doc):
    return (jcodec.loads, doc)


def cache_state(doc, cold):
    """A sweep's prepare for loads(doc): the key cache brought to the same state
    before every armed call, so the allocation sequence is the same every time:
    empty (cold) or holding exactly what one loads from empty leaves (warm)."""
    def prepare():
        jcodec._cache_clear()
        if not cold:
            _plain(loads_of(doc))
    return prepare


def sweep_loads(doc, expected, *, cold, **options):
    return sweep(loads_of(doc), expected, prepare=cache_state(doc, cold), **options)


def expected_for(doc):
    return ("ok", json.loads(doc))


# Documents (all deterministic)


def doc_nested():
    return (
        b'{"a": [1, 2, {"b": [[], {}, [[[]]], {"c": {"d": {"e": null}}}]}], '
        b'"f": {"g": [true, false, null, -0, 0.5, "s"]}, "h": [[[[[[[[1]]]]]]]]}'
    )


def doc_strings():
    """Long and non-ASCII strings of every str kind, with escapes."""
    values = [
        "x" * 5000,
        "\u00e9" * 3000,               # UCS1, non-ASCII
        "\u20ac" * 1500,               # UCS2
        "\U0001F600" * 700,            # UCS4
        "mixed \u00e9\u20ac\U0001F600 " * 200,
        "esc\"\\/\b\f\n\r\t\u0001" * 100,
        "",
        "a",
    ]
    text = json.dumps(values, ensure_ascii=False)
    escaped = json.dumps(values[1:5], ensure_ascii=True)  # \\u escapes, surrogate pairs
    return ('{"raw": %s, "escaped": %s}' % (text, escaped)).encode("utf-8")


def doc_escaped_keys():
    return (
        b'{"a\\u0062": 1, "ab": 2, "\\u00e9t\\u00e9": 3, "\xc3\xa9t\xc3\xa9": 4, '
        b'"k\\\\ey": 5, "q\\"uote": 6, "\\ud83d\\ude00": 7, "\xf0\x9f\x98\x80": 8, '
        b'"\\u20ac": [{"a\\u0062": 9, "\\u00e9t\\u00e9": {"\\u20ac": 10}}], '
        b'"tab\\t": 11, "\xe2\x82\xac\xe2\x82\xac": 12}'
    )


def doc_numbers():
    """Big ints past 19 digits (and below INT64_MIN), and floats on every path."""
    return (
        b"[12345678901234567890123, -12345678901234567890123, 9223372036854775807, "
        b"9223372036854775808, 18446744073709551615, 18446744073709551616, "
        b"-9223372036854775808, -9223372036854775809, "
        b"100000000000000000000000000000000000000000000000000, "
        b"1.5, -0.0, 1e300, 2.2250738585072014e-308, 0.1, 5e-324, 1.7976931348623157e308, "
        b"123456789012345678901234.5e-3, 9007199254740993.00000000000000000001, "
        b"9007199254740993, 0.30000000000000000000000000000000000000001, 1E+2, 1e-400]"
    )


def doc_many_keys(count=200):
    return json.dumps({"key%03d" % i: i for i in range(count)}).encode()


def doc_many_values(count=300):
    """More than 128 values open at once: the value stack moves to the heap."""
    return json.dumps(
        {"list": list(range(count)), "obj": {"k%d" % i: [i, str(i)] for i in range(count // 2)}}
    ).encode()


def doc_long_keys():
    """Keys over the cache's 64 bytes, repeated within the document (shared per
    document), plain and escaped, next to cacheable ones."""
    plain = "long_" + "p" * 70
    escaped = "\\u00e9" * 12  # 72 document bytes, 12 characters
    items = []
    for i in range(20):
        items.append('{"%s": %d, "%s": [%d], "short": %d, "%s%d": null}' % (plain, i, escaped, i, i, plain, i % 3))
    return ("[" + ", ".join(items) + "]").encode()


def doc_deep(depth=200):
    return b"[" * depth + b'{"k": "v"}' + b"]" * depth


SMALL_DOCUMENTS = {
    "nested": doc_nested(),
    "strings": doc_strings(),
    "escaped_keys": doc_escaped_keys(),
    "numbers": doc_numbers(),
    "many_keys": doc_many_keys(),
    "many_values": doc_many_values(),
    "deep": doc_deep(),
    "long_keys": doc_long_keys(),
}

SHARED = shared_document_bytes()
GITHUB = SHARED.get("github.json")
needs_github = pytest.mark.skipif(GITHUB is None, reason=missing_shared("the sweeps of github.json"))


# Valid documents


@pytest.mark.parametrize("cold", [True, False], ids=["cold_cache", "warm_cache"])
@pytest.mark.parametrize("persistent", [False, True], ids=["nth", "persistent"])
@pytest.mark.parametrize("name", sorted(SMALL_DOCUMENTS))
def test_loads_sweep_small_documents(name, cold, persistent):
    doc = SMALL_DOCUMENTS[name]
    expected = expected_for(doc)
    assert outcome(loads_of(doc)) == expected
    sweep_loads(doc, expected, cold=cold, persistent=persistent)


def _input_variants():
    """The same kinds of content through every input type: str (ASCII, and
    non-ASCII so loads encodes a temporary), bytearray and memoryview (copied)."""
    text = doc_escaped_keys().decode("utf-8")
    ascii_text = doc_many_values(150).decode("ascii")
    return {
        "str_ascii": ascii_text,
        "str_non_ascii": text,
        "bytearray": bytearray(doc_nested()),
        "memoryview": memoryview(doc_strings()),
    }


@pytest.mark.parametrize("name", sorted(_input_variants()))
def test_loads_sweep_input_types(name):
    doc = _input_variants()[name]
    expected = expected_for(bytes(doc) if not isinstance(doc, str) else doc)
    assert outcome(loads_of(doc)) == expected
    sweep_loads(doc, expected, cold=True)
    sweep_loads(doc, expected, cold=True, persistent=True)


def test_loads_sweep_forced_collisions():
    """Every key in one set: each miss evicts, so the sweep also fails the
    allocations around evictions of keys with raw-byte copies."""
    jcodec._cache_force_hash(0)
    doc = doc_escaped_keys()
    expected = expected_for(doc)
    sweep_loads(doc, expected, cold=True)
    sweep_loads(doc, expected, cold=False)
    doc = doc_many_keys(100)
    sweep_loads(doc, expected_for(doc), cold=False)


@needs_github
@pytest.mark.parametrize("cold", [True, False], ids=["cold_cache", "warm_cache"])
@pytest.mark.parametrize("persistent", [False, True], ids=["nth", "persistent"])
def test_loads_sweep_github(cold, persistent):
    expected = expected_for(GITHUB)
    assert outcome(loads_of(GITHUB)) == expected
    sweep_loads(GITHUB, expected, cold=cold, persistent=persistent)


@pytest.mark.parametrize("name", ["twitter.json", "citm_catalog.json", "canada.json"])
def test_loads_sweep_large_corpus_sampled(name):
    """The larger shared documents make tens of thousands of requests: a full
    sweep would take minutes, so about 40 evenly spaced k (and the last)."""
    doc = SHARED.get(name)
    if doc is None:
        pytest.skip(missing_shared("the sampled sweep of " + name))
    expected = expected_for(doc)
    assert outcome(loads_of(doc)) == expected
    total = count_allocations(loads_of(doc), cache_state(doc, cold=True))
    sweep_loads(doc, expected, cold=True, step=max(1, total // 40))


# Invalid documents: the error path allocates too (JSONDecodeError and its
# arguments); a failure there must still give MemoryError.

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
def test_loads_sweep_invalid_documents(name, persistent):
    doc = INVALID[name]
    expected = outcome(loads_of(doc))
    assert expected[0] == "error" and expected[1] is jcodec.JSONDecodeError
    sweep_loads(doc, expected, cold=True, persistent=persistent)


def test_loads_sweep_int_over_digit_limit():
    """An integer literal over sys.get_int_max_str_digits(): CPython's
    PyLong_FromString may turn a failed request into its own digit-limit error,
    which the sweep accepts besides MemoryError (same message, same position;
    see sweep's same_error_ok)."""
    doc = b"[" + b"9" * 5000 + b"]"
    expected = outcome(loads_of(doc))
    assert expected[0] == "error" and "limit of 4300" in expected[2]
    sweep_loads(doc, expected, cold=True, same_error_ok=True)


# Leaks, counters, the hook itself


def test_loads_sweeps_leave_nothing():
    documents = [(doc, 1) for doc in SMALL_DOCUMENTS.values()]
    documents += [(doc, 1) for doc in INVALID.values()]
    if GITHUB is not None:
        # Every 5th k: tracemalloc makes each request ~10x slower.
        documents.append((GITHUB, 5))

    def all_sweeps():
        for doc, step in documents:
            expected = outcome(loads_of(doc))
            for cold in (True, False):
                sweep_loads(doc, expected, cold=cold, step=step)
            sweep_loads(doc, expected, cold=True, persistent=True, step=step)

    assert_sweeps_leave_nothing(all_sweeps)


def test_loads_live_bytes_after_failures():
    """Scratch blocks freed on every error path: live bytes of the allocator
    layer come back to where they started after a sweep over the documents that
    use the most scratch (long strings, value stack, big ints)."""
    jcodec._cache_clear()
    live_start = jcodec._alloc_stats()["live_bytes"]
    for doc in (doc_strings(), doc_many_values(), doc_numbers(), doc_escaped_keys()):
        expected = outcome(loads_of(doc))
        sweep_loads(doc, expected, cold=True)
        sweep_loads(doc, expected, cold=True, persistent=True)
        jcodec._cache_clear()
        assert jcodec._alloc_stats()["live_bytes"] == live_start


def test_count_only_mode_changes_nothing():
    doc = doc_escaped_keys()
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
    code = """
        import jcodec, tracemalloc
        jcodec._fail_alloc_after(0)
        tracemalloc.start()
        assert jcodec.loads(b'[1, "x"]') == [1, 'x']
        tracemalloc.stop()
        jcodec._fail_alloc_after(0)
        assert jcodec.loads(b'[1, "x"]') == [1, 'x']
        assert jcodec._fault_result()['allocations'] > 0
        jcodec._fail_alloc_after(1)
        try:
            jcodec.loads(b'[1, "x"]')
        except MemoryError:
            pass
        else:
            raise AssertionError('no MemoryError')
        assert jcodec.loads(b'[1, "x"]') == [1, 'x']
        print('ok')
    """
    try:
        proc = run_child(code, timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("loads never returned after arming again (the fault hook wraps itself)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


@pytest.mark.parametrize("persistent", [False, True], ids=["nth", "persistent"])
def test_loads_cached_key_refcounts_after_failures(persistent):
    """A failed loads drops every reference it took to cached keys: the
    refcount of a key held here (and in the cache) is the same after each
    armed call as before."""
    doc = (b'{"refkey": [1, 2, {"refkey": "v", "a\\u0062": 3}], "a\\u0062": {"refkey": '
           + json.dumps(list(range(200))).encode() + b'}, "tail": "' + b"x" * 300 + b'"}')
    expected = json.loads(doc)
    total = count_allocations(loads_of(doc), cache_state(doc, cold=False))  # leaves the cache warm
    held = jcodec.loads(doc)  # all hits: its keys are the cached objects
    keys = [k for k in held if k in ("refkey", "ab")]
    assert len(keys) == 2
    baseline = [sys.getrefcount(k) for k in keys]
    for k in range(1, total + 1):
        raised, _ = armed_call(loads_of(doc), k, persistent)
        assert raised is not None and raised[0] is MemoryError, k
        assert [sys.getrefcount(key) for key in keys] == baseline, k
    result = jcodec.loads(doc)
    assert result == expected
    assert all(a is b for a, b in zip([k for k in result if k in ("refkey", "ab")], keys))


# =============================================================================
# dumps


def dumps_of(obj, default, option):
    return (jcodec.dumps, obj, default, option)


NSK = jcodec.OPT_NON_STR_KEYS


def dumps_cases():
    """{name: (obj, default, option)}: the output of every writer (long strs of
    each kind, big ints, floats, options, non-str keys, default, subclasses)."""
    nested = {"a": [1, 2, {"b": [[], {}, [[[]]], {"c": {"d": {"e": None}}}]}], "f": {"g": [True, False, -0.0, "s"]},
              "h": [[[[[[[[1]]]]]]]]}
    unknowns = [Unknown() for _ in range(40)]
    return {
        "nested": (nested, None, 0),
        "long_ascii": (["a" * 100_000, "b" * 70_000 + '"\n' * 1000], None, 0),
        "long_non_ascii": (["é" * 40_000, "€" * 30_000 + "\n", "😀" * 20_000, "mixed é€😀 \x01" * 3000], None, 0),
        "big_ints": ([2**64, -(2**100), 10**500, -(10**4000), IntSub(2**70)] * 3, None, 0),
        "floats": ([i * 0.1 for i in range(8000)] + [float("nan"), -0.0, 5e-324], None, 0),
        "leaves": ([[i * 0.1, -i, True] for i in range(4000)] + [(1, 2**70), [2.5, "s"]], None, 0),
        "sort_keys": ({"k%04d" % ((i * 7919) % 3000): [i, {"z": i, "a": -i}] for i in range(150)}, None,
                      jcodec.OPT_SORT_KEYS),
        "indent": ([nested] * 300, None, jcodec.OPT_INDENT_2 | jcodec.OPT_APPEND_NEWLINE),
        "non_str_keys": ({1: 2, 2.5: [3], None: 4, False: 5, 10**30: 6, StrSub("s"): 7, float("inf"): 8,
                          -(2**63): 9, 1e-7: 10}, None, NSK),
        "non_str_keys_sorted": ({i if i % 3 else i * 0.5: i for i in range(150)}, None, NSK | jcodec.OPT_SORT_KEYS),
        "default_containers": ([unknowns, {"u": unknowns[0]}], mh.default_containers, 0),
        "subclasses": (ListSub([DictSub(a=StrSub("é" * 100)), IntSub(3)] * 50), None, 0),
    }


@pytest.mark.parametrize("name", list(dumps_cases()))
def test_dumps_sweep(name):
    call = dumps_of(*dumps_cases()[name])
    expected = outcome(call)
    assert expected[0] == "ok"
    total = sweep(call, expected)
    # The output grows in place: the output buffer's allocation plus its
    # growths are most of the requests (a sanity check that the count means
    # what it says; default's own objects come on top).
    assert total >= 2 or len(expected[1]) <= 1024


@pytest.mark.parametrize("name", list(mh.dumps_type_cases()))
def test_dumps_sweep_types(name):
    """Every further type, its options and keys, numpy when installed."""
    call = dumps_of(*mh.dumps_type_cases()[name])
    expected = outcome(call)
    assert expected[0] == "ok", expected
    sweep(call, expected, unreached_ok=2 if "default" in name or "passthrough" in name else 0)


def test_dumps_sweep_numpy_datetime64():
    """The datetime64 cases swept in a child process too, where a crash is
    reported rather than ending the run: a failed request inside numpy's
    dtype.descr getter (numpy 1.24 does not check what it makes there) left
    NULL in the ('', '<M8[D]') tuple, which datetime_unit read (a segmentation
    fault); the unit is now read from dtype.str, whose getter checks. The
    cases are in the in-process sweeps as well."""
    if "numpy_datetime64" not in mh.dumps_type_cases():
        pytest.skip("numpy is not installed")
    code = """
        import sys
        sys.path[:0] = sys.argv[1:]
        import test_memory_fault_injection as fi, _memory_helpers as mh
        call = fi.dumps_of(*mh.dumps_type_cases()["numpy_datetime64"])
        fi.sweep(call, fi.outcome(call))
        assert not fi.sweep_error_cases({"numpy_nat": mh.dumps_type_error_cases()["numpy_nat"]})
        print("ok")
    """
    import os
    import numpy

    paths = [os.path.dirname(__file__), os.path.dirname(os.path.dirname(numpy.__file__))]
    proc = run_child(code, argv=paths)
    assert proc.returncode == 0, "the child died (%d): %s" % (proc.returncode, proc.stderr[-1500:])
    assert proc.stdout.strip() == "ok"


# Error paths that make no allocation of dumps' own on the way to the error.
NO_OWN_ALLOCATION = ("default_memory_error", "invalid_option", "default_not_callable")
# Errors CPython may make again itself when a request fails while it formats
# their message (see sweep's same_error_ok): int's digit-limit ValueError, and
# int("x")'s in default (PyErr_Format sets the ValueError without its message
# then). The cause's type is compared all the same: a JSONEncodeError caused by
# the MemoryError is still a failure.
SAME_ERROR_OK = ("int_digits", "int_digits_nested", "int_digits_key", "int_digits_key_sorted",
                 "default_int_conversion")


def sweep_error_cases(cases, skip=()):
    """Each case's call swept in turn (see test_dumps_sweep_error_paths);
    a list of the problems."""
    problems = []
    for name, case in cases.items():
        if name in skip:
            continue
        call = dumps_of(*case)
        expected = outcome(call)
        assert expected[:2] == ("error", jcodec.JSONEncodeError) or expected[0] == "raised", (name, expected)
        try:
            sweep(call, expected, same_error_ok=name in SAME_ERROR_OK, unreached_ok=2)
        except SweepFailure as failure:
            problems.append("%s: %s" % (name, failure))
    return problems


def test_dumps_sweep_error_paths():
    """Allocation failures on the way to an error (message, path, cause):
    exactly MemoryError with one injected failure, never another error; the
    next call raises the right error again. For int_digits the ordinary error
    is also accepted (sweep's same_error_ok). The error paths run Python code
    (default, exception machinery) whose allocation count may differ by one
    or two from call to call (free lists): a k beyond the armed call's own
    count is not reached, and at most two per path may be. One test for all
    paths, in turn: what CPython's free lists hold when a path is swept (and so
    which requests it makes) depends on what ran before."""
    problems = sweep_error_cases(mh.dumps_error_cases(),
                                 skip=NO_OWN_ALLOCATION + tuple(mh.dumps_cause_cases()))
    assert not problems, "\n".join(problems)


def _default_recursion_error(obj):
    raise RecursionError("from default")


def _default_interrupt(obj):
    raise KeyboardInterrupt


def cause_cases():
    """mh.dumps_cause_cases() and the exceptions of default that propagate."""
    cases = dict(mh.dumps_cause_cases())
    cases["default_recursion_error"] = ({"k": [Unknown()]}, _default_recursion_error, None)
    cases["default_interrupt"] = ([1, Unknown()], _default_interrupt, None)
    return cases


@pytest.mark.parametrize("name", list(cause_cases()))
def test_dumps_sweep_causes(name):
    """The error paths that take an exception (issue 16): default failing
    every way, ints over the digit limit as values and keys. A failed request
    anywhere, also while the exception of default or of int's conversion is
    taken and made the cause, is MemoryError, never a JSONEncodeError (with
    the MemoryError as its cause). Built-in types only: these run against any
    build of the module (issue 16's fix was checked against the commit before
    it this way)."""
    problems = sweep_error_cases({name: cause_cases()[name]})
    assert not problems, "\n".join(problems)


# =============================================================================
# loads: a malformed document of every error class


def error_class_documents():
    """{id: document} for every loads error class (test_loads_errors'
    table, its tail after "["), as bytes, and as str for those a str can
    hold (not the invalid UTF-8 ones)."""
    from test_loads_errors import ERROR_CLASSES

    docs = {}
    for name, tail, _msg, _offset in ERROR_CLASSES:
        doc = b"[" * 1025 if name == "depth" else b"[" + tail
        docs[name] = doc
        if not name.startswith("utf8"):
            docs[name + "_str"] = '["é", ' + doc[1:].decode("utf-8")
    return docs


@pytest.mark.parametrize("persistent", [False, True], ids=["nth", "persistent"])
def test_loads_sweep_every_error_class(persistent):
    problems = []
    for name, doc in error_class_documents().items():
        expected = outcome(loads_of(doc))
        assert expected[:2] == ("error", jcodec.JSONDecodeError), (name, expected)
        try:
            sweep_loads(doc, expected, cold=True, persistent=persistent, same_error_ok=name.startswith("int_digits"))
        except SweepFailure as failure:
            problems.append("%s: %s" % (name, failure))
    assert not problems, "\n".join(problems)


def _sweeps(success_cases, error_cases):
    """A function running the sweeps of these cases once."""
    calls = [dumps_of(*case) for case in success_cases]
    expected = [outcome(call) for call in calls]

    def all_sweeps():
        for call, want in zip(calls, expected):
            sweep(call, want, unreached_ok=2)
        assert not sweep_error_cases(error_cases)

    return all_sweeps


def _is_numpy_case(case):
    return bool((case[2] or 0) & jcodec.OPT_SERIALIZE_NUMPY)


def _left_out_of_leak_checks(case):
    """numpy's own (test_dumps_numpy_sweeps_leave_only_numpys_own_leak)."""
    return _is_numpy_case(case)


@pytest.mark.skipif(mh.OPCACHE_ALWAYS_MADE, reason=mh.OPCACHE_REASON)
def test_dumps_sweeps_leave_nothing():
    cases = list(dumps_cases().values())
    cases += [case for case in mh.dumps_type_cases().values() if not _left_out_of_leak_checks(case)]
    errors = {name: case for name, case in {**mh.dumps_error_cases(), **cause_cases()}.items()
              if name not in NO_OWN_ALLOCATION and not _left_out_of_leak_checks(case)}
    assert_sweeps_leave_nothing(_sweeps(cases, errors))


# sizeof(PyArrayInterface), which numpy's __array_struct__ getter mallocs
# (with 2 * ndim npy_intp for the shape and strides) before it makes the
# capsule.
ARRAY_INTERFACE_SIZE = 56


def numpy_capsule_leak(case):
    """The bytes numpy 1.24 leaks when the capsule request of its
    __array_struct__ getter fails (array_struct_get returns NULL without
    freeing the PyArrayInterface and its shape block): one such request per
    ndarray dumps reads, so one leak per array per sweep."""
    np = sys.modules["numpy"]
    return sum(ARRAY_INTERFACE_SIZE + (16 * a.ndim if a.ndim else 0)
               for a in mh.walk_all(case[0]) if type(a) is np.ndarray)


def test_dumps_numpy_sweeps_leave_only_numpys_own_leak():
    """The numpy cases swept: jcodec's allocator layer ends where it began,
    and tracemalloc sees only what numpy itself leaks when its capsule
    request fails (LeakSanitizer names numpy's _multiarray_umath as the
    allocator of those blocks), to the byte."""
    cases = {name: case for name, case in {**mh.dumps_type_cases(), **mh.dumps_type_error_cases()}.items()
             if _is_numpy_case(case)}
    if not cases:
        pytest.skip("numpy is not installed")
    for name, case in cases.items():
        if outcome(dumps_of(*case))[0] == "ok":
            run = _sweeps([case], {})
        else:
            run = _sweeps([], {name: case})
        retained = mh.retained_after(lambda i: run(), rounds=1, warmup=1)
        assert retained.own_bytes == 0, (name, retained)
        assert retained.bytes == numpy_capsule_leak(case), (name, retained.bytes, retained.top)


def test_loads_error_class_sweeps_leave_nothing():
    docs = error_class_documents()

    def all_sweeps():
        for name, doc in docs.items():
            sweep_loads(doc, outcome(loads_of(doc)), cold=True, same_error_ok=name.startswith("int_digits"))

    assert_sweeps_leave_nothing(all_sweeps)
