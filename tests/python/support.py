"""Helpers the Python suites share (not a test module: pytest collects only
test_*.py). Tests import them from here; conftest.py holds the fixtures and
pytest's settings, and nothing imports it. Importing this module needs neither
pytest nor hypothesis: fuzz/fuzz_helpers.py (in the fuzz targets' embedded
interpreter), _memory_helpers.py (so scripts/memreport.py) and the child
interpreters of test_module.py import it too.

    ROOT, SHARED_DIR, SHARED_CORPUS_DIR, JSONTESTSUITE_DIR, shared_documents(),
    missing_shared(what), reference_dumps(obj, sort_keys=False, indent=None)
                                       re-exported from scripts/project.py
    reference_dumps_with(obj, option)  reference_dumps for jcodec.dumps's option
                                       bits (OPT_INDENT_2, OPT_SORT_KEYS,
                                       OPT_APPEND_NEWLINE)
    shared_document_bytes()            {file name: bytes} of the shared documents
    shared_corpus_params()             a pytest.param per shared document (one
                                       skipped param without ../shared)
    first_difference(a, b), assert_same(a, b)
                                       strict equality: identical types, floats
                                       bit for bit, dict key order
    all_objects(root)                  every object of a value (keys too), once
    StrSub, IntSub, DictSub, ListSub   subclasses dumps writes as their base
    FloatSub, TupleSub                 subclasses it does not (they go to default)
    Unknown                            a type dumps has no serializer for
    FixedZone(offset)                  a tzinfo whose utcoffset() is `offset`
                                       (any timedelta, a day or more included,
                                       or None)
    child_env(**extra), run_child(code, *args, env=None, timeout=60, argv=())
                                       a child interpreter that imports this
                                       jcodec (for crashes, sub-interpreters,
                                       start-up and environment variables)
    scanner_documents(), scanner_fingerprint()
                                       documents for the string scanner, and a
                                       digest of what loads makes of them (the
                                       same under every JCODEC_ISA)
    render_path(steps)                 a path as jcodec's messages write it
                                       ("$.users[3].id")
    dumps_outcome(obj, option, default)
                                       jcodec.dumps's bytes, or its
                                       JSONEncodeError
    assert_reference(obj, option=0, default=None)
                                       jcodec.dumps agrees with the reference
                                       encoder (reference.py): the same bytes,
                                       or JSONEncodeError where it refuses,
                                       with its reason and path
"""
import datetime
import hashlib
import json
import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

TESTS_PYTHON_DIR = Path(__file__).resolve().parent

sys.path.insert(0, str(TESTS_PYTHON_DIR.parents[1] / "scripts"))

from project import (  # noqa: E402,F401  (re-exported)
    JSONTESTSUITE_DIR,
    ROOT,
    SHARED_CORPUS_DIR,
    SHARED_DIR,
    missing_shared,
    reference_dumps,
    shared_documents,
)

import jcodec  # noqa: E402

# ---------------------------------------------------------------------------
# References and documents


# How hard the suites search, scaled by JCODEC_TEST_SCALE (default 1): the
# hypothesis examples per test and the rounds of the leak checks. The tests
# gate runs at 1 and does the searching; the gates that run the suites again
# to show something else (another CPython version, sanitizer reports,
# coverage) run at a fraction (CI_REPEAT_SCALE in ci/lib.sh), where every test
# still runs every path it names, with fewer random inputs and rounds.
TEST_SCALE = float(os.environ.get("JCODEC_TEST_SCALE", "1"))


def scaled(count):
    """`count` under the current scale, at least 10: hypothesis examples, or
    rounds of a leak check (where a byte retained a round still shows as 10
    bytes or more)."""
    return max(10, round(count * TEST_SCALE))


# The two uses, named for what they scale.
scaled_examples = scaled_rounds = scaled


def reference_dumps_with(obj, option=None):
    """What jcodec.dumps(obj, option=option) must return, for an obj json can
    write as it is: OPT_INDENT_2 as indent=2, OPT_SORT_KEYS as sort_keys=True,
    OPT_APPEND_NEWLINE as a final newline (other bits change nothing here)."""
    option = option or 0
    out = reference_dumps(obj, sort_keys=bool(option & jcodec.OPT_SORT_KEYS),
                          indent=2 if option & jcodec.OPT_INDENT_2 else None)
    return out + b"\n" if option & jcodec.OPT_APPEND_NEWLINE else out


def shared_document_bytes():
    """{file name: bytes} of the shared documents, {} when ../shared is absent."""
    return {path.name: path.read_bytes() for path in shared_documents()}


def shared_corpus_params():
    """pytest.param per shared document (id = file name); one skipped param
    when ../shared is absent, so the suite says why it did not run them."""
    import pytest

    files = shared_documents()
    if not files:
        return [pytest.param(None, id="no-shared-corpus",
                             marks=pytest.mark.skip(reason=missing_shared("the shared corpus")))]
    return [pytest.param(f, id=f.name) for f in files]


# ---------------------------------------------------------------------------
# Strict comparison


def _float_bits(x):
    return struct.pack("<d", x)


def first_difference(a, b, path="$"):
    """A description of where a and b first differ, or None when they are equal
    with identical types at every level: floats bit for bit (so -0.0 != 0.0),
    dicts with the same keys in the same order. Iterative: any depth works."""
    stack = [(a, b, path)]
    while stack:
        a, b, path = stack.pop()
        if type(a) is not type(b):
            return f"{path}: type {type(a).__name__} != {type(b).__name__} ({a!r:.80} vs {b!r:.80})"
        if type(a) is float:
            if _float_bits(a) != _float_bits(b):
                return f"{path}: float {a!r} ({a.hex()}) != {b!r} ({b.hex()})"
        elif type(a) is list:
            if len(a) != len(b):
                return f"{path}: list length {len(a)} != {len(b)}"
            stack.extend((x, y, f"{path}[{i}]") for i, (x, y) in reversed(list(enumerate(zip(a, b)))))
        elif type(a) is dict:
            ka, kb = list(a.keys()), list(b.keys())
            if ka != kb:
                return f"{path}: dict keys differ (order or content): {ka!r:.200} vs {kb!r:.200}"
            for k1, k2 in zip(ka, kb):
                if type(k1) is not type(k2):
                    return f"{path}: key type {type(k1).__name__} != {type(k2).__name__}"
            stack.extend((a[k], b[k], f"{path}[{k!r}]") for k in reversed(ka))
        elif a != b:
            return f"{path}: {a!r:.100} != {b!r:.100}"
    return None


def assert_same(a, b):
    diff = first_difference(a, b)
    assert diff is None, diff


def all_objects(root):
    """Every object of a value, each once (by identity, so cycles end): root,
    the items of lists and tuples, the keys and values of dicts; in the order
    found."""
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


# ---------------------------------------------------------------------------
# Types for dumps


class StrSub(str):
    pass


class IntSub(int):
    pass


class DictSub(dict):
    pass


class ListSub(list):
    pass


class FloatSub(float):
    """Not written as a float: dumps hands it to default (as orjson 3.8.3)."""


class TupleSub(tuple):
    """Not written as a list: dumps hands it to default (as orjson 3.8.3)."""


class Unknown:
    """A type dumps has no serializer for."""


class FixedZone(datetime.tzinfo):
    """A tzinfo of our own: utcoffset() gives what it was made with, any
    timedelta (only datetime.utcoffset() checks the range, not
    tzinfo.utcoffset()) or None (written as a naive datetime)."""

    def __init__(self, offset):
        self.offset = offset

    def utcoffset(self, dt):
        return self.offset

    def dst(self, dt):
        return None


# ---------------------------------------------------------------------------
# Child interpreters


def child_env(**extra):
    """The environment for a child Python that must import this jcodec."""
    env = dict(os.environ)
    module_dir = os.path.dirname(jcodec.__file__)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (module_dir, env.get("PYTHONPATH")) if p)
    env.pop("JCODEC_ISA", None)
    env.update(extra)
    return env


def run_child(code, *args, env=None, timeout=60, argv=()):
    """Runs `code` (dedented) in a child interpreter; the CompletedProcess.
    `args` go to the interpreter before -c (options such as -X dev), `argv`
    to the code (sys.argv[1:]); TimeoutExpired propagates."""
    return subprocess.run([sys.executable, *args, "-c", textwrap.dedent(code), *argv],
                          env=env or child_env(), capture_output=True, text=True, timeout=timeout)


# ---------------------------------------------------------------------------
# String scanner documents (test_module runs them under each JCODEC_ISA)


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
# The reference encoder (reference.py), as the dumps tests use it


_PATH_KEY_MAX = 64


def _key_step(key):
    if isinstance(key, str):
        text = str.__str__(key)
        if text.isascii() and text.isidentifier() and len(text) <= _PATH_KEY_MAX:
            return "." + text
        cut = str.__repr__(text[:_PATH_KEY_MAX])
        return "[%s%s]" % (cut, "..." if len(text) > _PATH_KEY_MAX else "")
    if isinstance(key, int) and type(key) is not bool:
        return "[%d]" % key if abs(key) < 2**210 else "[<int>]"
    try:
        text = repr(key)
    except Exception:  # noqa: BLE001 - a key whose repr fails is named by its type
        return "[<%s>]" % type(key).__name__
    return "[%s%s]" % (text[:_PATH_KEY_MAX], "..." if len(text) > _PATH_KEY_MAX else "")


def render_path(steps):
    """The path of an error as jcodec's messages write it: "$", then ".name"
    for a key that is a short ASCII identifier, "['a b']" (repr, cut after 64
    code points) for other keys, "[3]" for an index; over 16 steps the outer
    and inner 8 with "...(N more)..." between."""
    parts = [_key_step(step) for step in steps]  # an index and an int key read alike: "[3]"
    if len(parts) > 16:
        parts = parts[:8] + ["...(%d more)..." % (len(parts) - 16)] + parts[-8:]
    return "$" + "".join(parts)


def dumps_outcome(obj, option=0, default=None):
    try:
        return jcodec.dumps(obj, default, option)
    except jcodec.JSONEncodeError as exc:
        return exc


def assert_reference(obj, option=0, default=None):
    """jcodec.dumps(obj, default, option) gives what reference.expected gives:
    the same bytes; or, where the reference refuses, a JSONEncodeError whose
    message starts with the reason and ends with the path. Returns the
    outcome (bytes or the JSONEncodeError)."""
    import reference

    try:
        want = reference.expected(obj, option, default)
    except reference.Refused as refused:
        got = dumps_outcome(obj, option, default)
        assert isinstance(got, jcodec.JSONEncodeError), (
            "reference refuses (%s), jcodec wrote %.300r" % (refused, got))
        message = str(got)
        assert message.startswith(refused.reason), (message, refused.reason)
        if refused.path:
            assert " at $" in message, (message, refused.path)
            # With OPT_SORT_KEYS | OPT_NON_STR_KEYS jcodec's path names a
            # converted key by its text (test_dumps_types.py,
            # test_sorted_non_str_key_path_names_the_key, xfail).
            sorted_converted = (option or 0) & 36 == 36 and any(type(s) is not str for s in refused.path)
            if not sorted_converted and all(isinstance(s, (str, int)) and type(s) is not bool
                                            for s in refused.path):
                assert message.endswith(" at " + render_path(refused.path)), (message, refused.path)
        else:
            assert " at $" not in message, message
        return got
    got = dumps_outcome(obj, option, default)
    if got != want:
        raise AssertionError("jcodec %.300r\n reference %.300r" % (got, want))
    return got
