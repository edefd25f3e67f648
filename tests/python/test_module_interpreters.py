"""Sub-interpreters with their own GIL (3.12 and later): the module declares
Py_MOD_PER_INTERPRETER_GIL_SUPPORTED, so loads and dumps must run in several
of them at once, each right, and leave nothing behind when they are destroyed.

Each test runs in a child interpreter process (support.run_child): a crash is
a failure here, not the end of the suite.
"""
import sys

import pytest

from support import run_child

pytestmark = pytest.mark.skipif(sys.version_info < (3, 12),
                                reason="own-GIL sub-interpreters need CPython 3.12 or later")

# The child: N threads, each creating an isolated interpreter (its own GIL)
# that imports jcodec and checks ROUNDS loads/dumps against json; then every
# interpreter is destroyed and the allocator layer's live bytes (process-wide
# counters) must be back where they were.
CHILD = r"""
import sys, threading
try:
    import _interpreters as interpreters          # 3.13
    def create():
        return interpreters.create("isolated")
    def run(iid, code):
        failure = interpreters.exec(iid, code)
        if failure is not None:
            raise RuntimeError(f"{failure.type.__name__}: {failure.msg}")
except ImportError:
    import _xxsubinterpreters as interpreters     # 3.12
    def create():
        return interpreters.create(isolated=True)
    def run(iid, code):
        interpreters.run_string(iid, code)

import jcodec

WORK = '''
import json, jcodec, uuid
doc = {"name": "interpreter %d", "values": list(range(200)), "nested": {"a": [1.5, None, True]},
       "text": "\u00e9\u20ac\U0001F600", "id": str(uuid.UUID(int=%d))}
data = json.dumps(doc).encode()
for _ in range(%d):
    assert jcodec.loads(data) == doc
    assert jcodec.loads(jcodec.dumps(doc)) == doc
    assert jcodec.dumps(uuid.UUID(int=%d)) == ('"%%s"' %% uuid.UUID(int=%d)).encode()
'''

THREADS, ROUNDS = int(sys.argv[1]), int(sys.argv[2])
before = jcodec._alloc_stats()["live_bytes"]
ids = [create() for _ in range(THREADS)]
errors = []

def work(i):
    try:
        run(ids[i], WORK % (i, i, ROUNDS, i, i))
    except Exception as e:
        errors.append(f"interpreter {i}: {e}")

threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
during = jcodec._alloc_stats()["live_bytes"]
for iid in ids:
    interpreters.destroy(iid)
after = jcodec._alloc_stats()["live_bytes"]
print("errors", errors)
print("live", before, during, after)
"""


@pytest.mark.parametrize("threads", [4])
def test_loads_and_dumps_in_own_gil_interpreters_at_once(threads):
    proc = run_child(CHILD, argv=(str(threads), "300"), timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert lines["errors"] == "[]", lines["errors"]
    before, during, after = (int(x) for x in lines["live"].split())
    # Each interpreter's key cache is allocated through the allocator layer
    # while it lives, and released when it is destroyed.
    assert during > before
    assert after == before, f"{after - before} bytes left after the interpreters were destroyed"


NO_C_DATETIME = r'''
try:
    import _interpreters as interpreters          # 3.13
    iid = interpreters.create("isolated")
    def run(code):
        failure = interpreters.exec(iid, code)
        assert failure is None, failure
except ImportError:
    import _xxsubinterpreters as interpreters     # 3.12
    iid = interpreters.create(isolated=True)
    def run(code):
        interpreters.run_string(iid, code)
run("""
import datetime, jcodec
assert jcodec.loads(b"[1]") == [1]
out = jcodec.dumps(datetime.date(2000, 1, 2), default=lambda o: o.isoformat())
assert out == b'"2000-01-02"', out
""")
interpreters.destroy(iid)
print("ok")
'''


def test_import_in_own_gil_interpreter_without_c_datetime():
    """A 3.12 isolated interpreter has the pure-Python datetime (no C API):
    jcodec still imports there, and such datetimes go to default (3.13's
    isolated interpreters have the C datetime, written natively)."""
    proc = run_child(NO_C_DATETIME, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "ok"
