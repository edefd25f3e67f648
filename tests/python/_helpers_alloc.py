"""Helpers shared by test_alloc, test_fault_injection, test_keycache and
test_module: locations, deterministic documents, and the fault-injection sweep.

Not a test module (pytest collects only test_*.py). Kept apart from conftest.py,
which another test suite owns.
"""
import hashlib
import json
import os
import pathlib

import jcodec

HERE = pathlib.Path(__file__).resolve().parent
SOURCE_DIR = pathlib.Path(os.environ.get("JCODEC_SOURCE_DIR") or HERE.parent.parent)
SHARED_DIR = pathlib.Path(os.environ.get("JCODEC_SHARED_DIR") or SOURCE_DIR.parent / "shared")
CORPUS_DIR = SHARED_DIR / "corpus"


def shared_document(name):
    """The bytes of a shared corpus document, or None when ../shared is absent."""
    path = CORPUS_DIR / name
    try:
        return path.read_bytes()
    except OSError:
        return None


# ---------------------------------------------------------------------------
# Documents (all deterministic)
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# String scanner documents (test_module runs them under each JCODEC_ISA)
# ---------------------------------------------------------------------------


def scanner_documents():
    """Strings with one byte the fast scan must stop at ('"' escaped, '\\\\',
    non-ASCII of each UTF-8 length, DEL which it must not stop at) at every
    offset around the 16- and 32-byte block boundaries, as values and as keys;
    and invalid documents whose error position depends on the scan."""
    specials = ['\\"', "\\\\", "\u00e9", "\u20ac", "\U0001F600", "\x7f", "\\n", "\\u0041"]
    values, keys = [], []
    for offset in range(0, 80):
        for special in specials:
            text = "a" * offset + special + "b" * ((offset * 7) % 40)
            values.append('"%s"' % text)
            keys.append('"%s%d": %d' % (text, offset, offset))
    good = ('{"values": [%s], "plain": [%s], "object": {%s}}' % (
        ", ".join(values),
        ", ".join('"%s"' % ("p" * n) for n in range(0, 140)),
        ", ".join(keys))).encode("utf-8")
    bad = []  # (document, position of the error)
    for offset in range(0, 72):
        prefix = b"a" * offset
        at = 2 + offset
        bad.append((b'["' + prefix + b'\x01"]', at))                     # control character
        bad.append((b'["' + prefix + b"\xff" + b"c" * 40 + b'"]', at))   # invalid UTF-8
        bad.append((b'["' + prefix + b"\\q" + b"c" * 40 + b'"]', at))   # invalid escape
        bad.append((b'{"' + prefix + b'\x1f": 1}', at))                  # control char in a key
        bad.append((b'["' + prefix, 1))                                  # unterminated
    return good, bad


def scanner_fingerprint():
    """A digest of what loads makes of scanner_documents(): results (with key
    order) and every error's message and position."""
    good, bad = scanner_documents()
    result = jcodec.loads(good)
    assert result == json.loads(good)
    parts = [json.dumps(result, ensure_ascii=True)]
    str_result = jcodec.loads(good.decode("utf-8"))
    parts.append(json.dumps(str_result, ensure_ascii=True))
    for doc, position in bad:
        try:
            jcodec.loads(doc)
        except jcodec.JSONDecodeError as exc:
            assert exc.pos == position, (doc, exc.pos, exc.msg)
            parts.append("%s@%d" % (exc.msg, exc.pos))
        else:
            raise AssertionError("no error for %r" % (doc,))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# ---------------------------------------------------------------------------
# The fault-injection sweep
# ---------------------------------------------------------------------------


class SweepFailure(AssertionError):
    pass


def outcome(doc):
    """What a plain loads(doc) gives: ("ok", result) or ("error", type, msg, pos)
    for a JSONDecodeError."""
    try:
        return ("ok", jcodec.loads(doc))
    except jcodec.JSONDecodeError as exc:
        return ("error", type(exc), exc.msg, exc.pos)


def _plain(doc):
    """A plain (unarmed) loads whose result is dropped at once."""
    try:
        jcodec.loads(doc)
    except jcodec.JSONDecodeError:
        pass


def _armed_call(doc, k, persistent):
    """loads(doc) with allocation request k failing. Returns (outcome, fault
    result), where outcome is None for a success, else (type, msg, pos); msg and
    pos are None for anything but a JSONDecodeError. Keeps no reference to the
    exception (its traceback would hold this frame)."""
    jcodec._fail_alloc_after(k, persistent)
    try:
        jcodec.loads(doc)
    except jcodec.JSONDecodeError as exc:
        raised = (type(exc), exc.msg, exc.pos)
    except BaseException as exc:  # noqa: B902 - the exact type is the point
        raised = (type(exc), None, None)
    else:
        raised = None
    return raised, jcodec._fault_result()


def prepare(doc, cold):
    """Brings the key cache to the same state before every armed call, so the
    allocation sequence is the same every time: empty (cold) or holding exactly
    what one loads from empty leaves (warm)."""
    jcodec._cache_clear()
    if not cold:
        _plain(doc)


def count_allocations(doc, cold):
    """Allocation requests of one loads(doc), in the state the sweep arms from:
    after a plain loads (free lists and one-time caches in their steady state; the
    first call can make more requests than later ones) and prepare()."""
    _plain(doc)
    prepare(doc, cold)
    jcodec._fail_alloc_after(0)
    _plain(doc)
    return jcodec._fault_result()["allocations"]


def sweep(doc, expected, *, cold, persistent=False, step=1, same_error_ok=False):
    """For every k in 1..k_total (every `step`-th, and the last): loads(doc) with
    allocation request k failing (and every later one when persistent) raises
    exactly MemoryError, with exactly one injected failure (at least one when
    persistent); then a plain loads gives `expected` again (an outcome()).

    same_error_ok: for a document that is invalid JSON, an armed call may also
    raise the very JSONDecodeError (type, msg, pos) of the plain call, when the
    failed request was one whose MemoryError CPython itself replaces (see
    test_fault_injection). Returns the number of armed calls."""
    total = count_allocations(doc, cold)
    if total == 0:
        raise SweepFailure("loads made no allocation request at all")
    same_error = expected[1:] if expected[0] == "error" else None
    problems = []
    ks = list(range(1, total + 1, step))
    if ks[-1] != total:
        ks.append(total)
    for k in ks:
        prepare(doc, cold)
        raised, result = _armed_call(doc, k, persistent)
        if raised is None or raised[0] is not MemoryError:
            if not (same_error_ok and raised == same_error):
                problems.append("k=%d: %s, not MemoryError (fault_result %r)"
                                % (k, "no error" if raised is None else "raised %r" % (raised,),
                                   result))
        if persistent and result["failures"] < 1:
            problems.append("k=%d persistent: fault_result %r" % (k, result))
        elif not persistent and result["failures"] != 1:
            problems.append("k=%d: fault_result %r" % (k, result))
        again = outcome(doc)
        if again != expected:
            problems.append("k=%d: the plain loads after the failure gave %.200r" % (k, again))
        del again
        if len(problems) >= 12:
            problems.append("...")
            break
    if problems:
        raise SweepFailure(
            "%d allocation requests (cold=%s, persistent=%s):\n  " % (total, cold, persistent)
            + "\n  ".join(problems)
        )
    return len(ks)
