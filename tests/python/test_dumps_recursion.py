"""Re-entry through ``default``: dumps (and loads) called again from inside
``default`` must end in RecursionError or JSONEncodeError, never a crash, at
any recursion limit and any nesting (issue 16: the C stack overflowed at
nesting 13 under the default limit, and at nesting 1 with a limit of 3000).

Each case runs in its own interpreter: a crash there is a failed test here,
with the case named, rather than the end of the suite.
"""
import pytest

from support import run_child

RECURSION_LIMITS = (100, 1000, 3000, 10_000, 100_000)
NESTINGS = (0, 1, 13, 100, 254, 1000)

REENTRANT_DUMPS = """
import sys, jcodec
sys.setrecursionlimit({limit})
class X: pass
obj = X()
for _ in range({nesting}):
    obj = [obj]
def default(o):
    return jcodec.dumps(obj, default=default).decode()
try:
    jcodec.dumps(obj, default=default)
except RecursionError as e:
    print("RecursionError", e)
except jcodec.JSONEncodeError as e:
    print("JSONEncodeError", e)
else:
    print("no error")
# The interpreter is still sound: the next call is right.
assert jcodec.dumps([1, {{"a": 2}}]) == b'[1,{{"a":2}}]'
print("after: ok")
"""


@pytest.mark.parametrize("nesting", NESTINGS)
@pytest.mark.parametrize("limit", RECURSION_LIMITS)
def test_default_calling_dumps_never_crashes(limit, nesting):
    proc = run_child(REENTRANT_DUMPS.format(limit=limit, nesting=nesting), timeout=120)
    assert proc.returncode == 0, f"limit {limit}, nesting {nesting}: exit {proc.returncode}\n{proc.stderr[-2000:]}"
    first, after = proc.stdout.splitlines()
    if nesting > 254:
        # Too deep for the encoder before any default runs.
        assert first.startswith("JSONEncodeError maximum nesting depth of 254 exceeded"), first
    else:
        assert first.startswith("RecursionError maximum recursion depth exceeded"), first
    assert after == "after: ok"


REENTRANT_LOADS = """
import sys, jcodec
sys.setrecursionlimit({limit})
doc = b'[' * 1000 + b']' * 1000
class X: pass
def default(o):
    jcodec.loads(doc)
    return jcodec.dumps(X(), default=default).decode()
try:
    jcodec.dumps(X(), default=default)
except RecursionError as e:
    print("RecursionError")
assert jcodec.loads(b'[1]') == [1]
print("after: ok")
"""


@pytest.mark.parametrize("limit", RECURSION_LIMITS)
def test_default_calling_loads_and_dumps_never_crashes(limit):
    """loads keeps its frame array (1024 open containers) on the C stack: its
    entry checks for that room too."""
    proc = run_child(REENTRANT_LOADS.format(limit=limit), timeout=120)
    assert proc.returncode == 0, f"limit {limit}: exit {proc.returncode}\n{proc.stderr[-2000:]}"
    assert proc.stdout.split("\n")[:2] == ["RecursionError", "after: ok"]


SMALL_THREAD_STACK = """
import sys, threading, jcodec
sys.setrecursionlimit(100_000)
threading.stack_size({size})
class X: pass
outcome = []
def default(o):
    return jcodec.dumps([[o]], default=default).decode()
def work():
    try:
        jcodec.dumps(X(), default=default)
    except RecursionError:
        outcome.append("RecursionError")
    outcome.append(jcodec.dumps({{"a": [1, 2]}}))
t = threading.Thread(target=work)
t.start()
t.join()
print(outcome)
"""


@pytest.mark.parametrize("size", (256 * 1024, 1024 * 1024))
def test_small_thread_stack(size):
    """A thread's own (smaller) stack is the one measured."""
    proc = run_child(SMALL_THREAD_STACK.format(size=size), timeout=120)
    assert proc.returncode == 0, f"stack {size}: exit {proc.returncode}\n{proc.stderr[-2000:]}"
    assert proc.stdout.strip() == "['RecursionError', b'{\"a\":[1,2]}']"


def test_recursion_error_propagates_unwrapped():
    """Running out of recursion depth is not default's answer about the
    object: like MemoryError it propagates as it is, not as JSONEncodeError
    (orjson wraps it; differences.py)."""
    import jcodec

    def default(o):
        raise RecursionError("deep")

    with pytest.raises(RecursionError, match="deep"):
        jcodec.dumps(object(), default=default)
