"""Shared fixtures and helpers for the Python tests.

* ``REPO_ROOT`` / ``SHARED_DIR``: the project root and the reference data at
  ``../shared`` (``JCODEC_SHARED_DIR`` overrides; CTest sets it). The project must
  pass without ``../shared``: the fixtures below skip with a clear message.
* ``shared_corpus`` / ``jsontestsuite_dir`` fixtures, and ``shared_corpus_params()``
  for parametrising at collection time.
* ``assert_same(a, b)``: recursive equality with identical types, bitwise float
  comparison and equal dict key order.
* A deterministic, database-free hypothesis profile ("jcodec"), loaded here.

Other test files import from here (``from conftest import ...``): only add to this
file, never remove or rename.
"""
import math
import os
import struct
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTS_DIR = REPO_ROOT / "tests"


def _shared_dir():
    env = os.environ.get("JCODEC_SHARED_DIR")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared"


SHARED_DIR = _shared_dir()
SHARED_CORPUS_DIR = SHARED_DIR / "corpus"
JSONTESTSUITE_DIR = SHARED_DIR / "conformance" / "JSONTestSuite" / "test_parsing"

CORPUS_SKIP_REASON = f"../shared/corpus not present: skipping tests on the shared corpus ({SHARED_CORPUS_DIR})"
JSONTESTSUITE_SKIP_REASON = (
    f"../shared/conformance/JSONTestSuite not present: skipping JSONTestSuite tests ({JSONTESTSUITE_DIR})"
)


def shared_corpus_files():
    """The shared corpus documents (sorted Paths), or [] when ../shared is absent."""
    if not SHARED_CORPUS_DIR.is_dir():
        return []
    return sorted(SHARED_CORPUS_DIR.glob("*.json"))


def shared_corpus_params():
    """pytest.param per corpus file (id = file name); one skipped param when absent."""
    files = shared_corpus_files()
    if not files:
        return [pytest.param(None, id="no-shared-corpus", marks=pytest.mark.skip(reason=CORPUS_SKIP_REASON))]
    return [pytest.param(f, id=f.name) for f in files]


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED_DIR.is_dir():
        pytest.skip(f"../shared not present: skipping ({SHARED_DIR})")
    return SHARED_DIR


@pytest.fixture(scope="session")
def shared_corpus():
    """The shared corpus as a list of Paths; skips when ../shared/corpus is absent."""
    files = shared_corpus_files()
    if not files:
        pytest.skip(CORPUS_SKIP_REASON)
    return files


@pytest.fixture(scope="session")
def jsontestsuite_dir():
    if not JSONTESTSUITE_DIR.is_dir():
        pytest.skip(JSONTESTSUITE_SKIP_REASON)
    return JSONTESTSUITE_DIR


# ---------------------------------------------------------------------------
# Strict comparison


def float_bits(x):
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
            if float_bits(a) != float_bits(b):
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


def same(a, b):
    """True when first_difference(a, b) finds nothing."""
    return first_difference(a, b) is None


def assert_same(a, b):
    diff = first_difference(a, b)
    assert diff is None, diff


def is_finite_float(x):
    return type(x) is float and math.isfinite(x)


# ---------------------------------------------------------------------------
# Hypothesis: deterministic and without an example database.

try:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "jcodec",
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.load_profile(os.environ.get("JCODEC_HYPOTHESIS_PROFILE", "jcodec"))
except ImportError:  # hypothesis-based tests skip themselves via importorskip
    pass


# tests/conformance (the project's own conformance table) is importable as a
# top-level module from the tests here.
_conformance_dir = str(TESTS_DIR / "conformance")
if _conformance_dir not in sys.path:
    sys.path.insert(0, _conformance_dir)
