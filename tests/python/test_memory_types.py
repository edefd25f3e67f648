"""Memory of dumps on the further types (issue 12), on ./bench's datasets
(bench/bench_types.py: 10k dataclass instances (id, active, name, score), 10k
tz-aware and 10k naive datetimes, 10k dates, 10k UUIDs, 10k enum members,
numpy float64, int32 and bool arrays of 100k and a 1000x100 float64 array):
after a traced warm-up, 1,000 more dumps of each (200 of the numpy ones,
whose dumps take ~10x longer, under ASan minutes; both times
JCODEC_TEST_SCALE, support.scaled_rounds) leave 0 bytes more traced
(tracemalloc) and 0 bytes more live in jcodec's allocator layer
(_memory_helpers.retained_after). The peak of one dumps of each is bounded
with the other documents' in test_memory_bounds.py (test_dumps_types).

A leak of one byte a call would show as 1,000 (200) bytes here (10 at the
least); every round serializes the same value, so the warm-up brings CPython's free lists to the
state each later round leaves them in.
"""
import pytest

import jcodec
import _memory_helpers as mh
from support import scaled_rounds

ROUNDS = scaled_rounds(1000)
NUMPY_ROUNDS = scaled_rounds(200)

pytestmark = pytest.mark.usefixtures("default_cache")


@pytest.mark.skipif(mh.OPCACHE_ALWAYS_MADE, reason=mh.OPCACHE_REASON)
@pytest.mark.parametrize("name", mh.type_dataset_names())
def test_no_retention(name):
    value, option = mh.type_dataset(name)
    rounds = NUMPY_ROUNDS if option & jcodec.OPT_SERIALIZE_NUMPY else ROUNDS
    retained = mh.retained_after(lambda i: jcodec.dumps(value, None, option), rounds, warmup=2)
    assert retained.bytes == 0, "%+d bytes traced after %d dumps of %s:\n%s" % (
        retained.bytes, rounds, name, retained.top)
    assert retained.own_bytes == 0, "allocator layer live bytes %+d" % retained.own_bytes
