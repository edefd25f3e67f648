"""pytest's side of the Python suites: fixtures, the hypothesis profile and the
import path. Nothing imports this file; plain helpers are in support.py.

* ``default_cache``: the key cache as the module starts it (enabled, 4 ways,
  real hashing) and empty with zeroed statistics, before and after the test.
  The suites that look at the cache or at allocations use it for every test
  (``pytestmark = pytest.mark.usefixtures("default_cache")``).
* ``collector_off``: the cyclic collector run once, then off for the test
  (on again afterwards, if it was). The fault-injection suites use it: a
  collection that starts inside an armed call makes allocations of its own,
  and CPython writes a MemoryError there as unraisable and goes on (3.12 runs
  collections from the eval breaker, within C calls, and builds the phase
  name for gc.callbacks first), so the injected failure would look swallowed;
  and collections at varying points change which requests CPython's free
  lists answer, so a call's count would differ from one run to the next.
* ``int_digits_limit``: sys.set_int_max_str_digits for the test, the
  interpreter's limit restored afterwards.
* A deterministic, database-free hypothesis profile ("jcodec"; the
  JCODEC_HYPOTHESIS_PROFILE environment variable names another), loaded here.
* tests/conformance (the project's own conformance table, cases.py) on the
  import path.
"""
import gc
import os
import sys
from pathlib import Path

import pytest

import jcodec
from support import scaled_examples


def _reset_cache():
    jcodec._cache_force_hash(None)
    jcodec._cache_configure(ways=4, enabled=True)
    jcodec._cache_clear(keys=True, stats=True)


@pytest.fixture
def default_cache():
    """Every test starts from an empty, enabled, 4-way cache with real hashing
    and zeroed stats, and leaves it that way."""
    _reset_cache()
    yield
    _reset_cache()


@pytest.fixture
def collector_off():
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


@pytest.fixture
def int_digits_limit():
    saved = sys.get_int_max_str_digits()
    yield sys.set_int_max_str_digits
    sys.set_int_max_str_digits(saved)


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
        max_examples=scaled_examples(100),  # hypothesis' default, scaled (support.py)
    )
    settings.load_profile(os.environ.get("JCODEC_HYPOTHESIS_PROFILE", "jcodec"))
except ImportError:  # hypothesis-based tests skip themselves via importorskip
    pass


_conformance_dir = str(Path(__file__).resolve().parents[1] / "conformance")
if _conformance_dir not in sys.path:
    sys.path.insert(0, _conformance_dir)
