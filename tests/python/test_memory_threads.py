"""Eight threads running loads and dumps over the corpus at once.

The key cache is one per module, shared by every thread; the GIL serialises the
calls, but a dumps can be suspended in the middle while its `default` runs
Python code (here it sleeps, which releases the GIL, and calls loads), and the
switch interval is lowered so threads change often. One thread also clears the
cache's keys (not its statistics) every round, so insertions and evictions
happen against entries other threads hold in their results.

Checked afterwards:
  * every result and every output was right;
  * the cache's statistics add up: hits + misses + too_long + bypassed equals
    the number of keys parsed, counted per document by a tokenizer that knows
    nothing of the parser (_memory_helpers.raw_keys) times the calls made, and
    too_long equals the keys over 64 document bytes among them; every miss was
    an insertion, and no more entries remain than insertions minus evictions;
  * nothing is retained: tracemalloc snapshots before and after the run,
    after a warm-up run and with CPython's free lists primed (the interleaving
    is not deterministic, so the free lists must not depend on it:
    _memory_helpers.prime_free_lists), and the allocator layer's live bytes.

About 3 seconds on this machine: 4 KiB generated documents (every shape) and
github.json when ../shared is present, ROUNDS rounds per thread under
tracemalloc.
"""
import json
import sys
import threading
import time

import pytest

import jcodec
import _memory_helpers as mh
from support import reference_dumps_with, shared_document_bytes

THREADS = 8
ROUNDS = 24
WARMUP_ROUNDS = 2
KEY_LIMIT = 64
NESTED_DOC = b'{"nested": [1, "x"]}'

pytestmark = pytest.mark.usefixtures("default_cache")


class Custom:
    """Not serializable: dumps calls `default` for it."""


# [calls made by all threads, default calls during which another thread made
# one]: shows the threads did run inside each other's dumps.
progress = [0, 0]

# What `default` sleeps to let the other threads run. time.sleep(0) releases
# the GIL, but on CPython 3.9 and 3.10 the sleeping thread nearly always takes
# it back before a waiting one has (8 threads, 1,600 sleeps: 3.10 switched 7
# times, 3.9 154, 3.11 1,418), so the warm-up's 16 could see none: 10 us
# lets a waiting thread in there (1,511 of 1,600 on 3.10).
SWITCH_SLEEP = 0 if sys.version_info >= (3, 11) else 1e-5


def suspending_default(obj):
    if isinstance(obj, Custom):
        before = progress[0]
        time.sleep(SWITCH_SLEEP)  # releases the GIL in the middle of the outer dumps
        if progress[0] != before:
            progress[1] += 1
        return jcodec.loads(NESTED_DOC)
    raise TypeError(type(obj).__name__)


CUSTOM_VALUE = {"before": [1, 2], "custom": Custom(), "after": "\u00e9"}
CUSTOM_OUTPUT = '{"before":[1,2],"custom":{"nested":[1,"x"]},"after":"\u00e9"}'.encode()


def workload():
    """[(name, document, expected result, expected dumps output or None,
    keys in the document, keys over the limit)]."""
    docs = dict(mh.generated_documents(4 * 1024))
    shared = shared_document_bytes()
    if "github.json" in shared:
        docs["github.json"] = shared["github.json"]
    # Keys over the cache's limit, repeated: the per-call memo.
    docs["long_keys"] = json.dumps([{"L" * 70: i, "\u00e9" * 40: [i]} for i in range(50)],
                                   ensure_ascii=False).encode()
    items = []
    for name, doc in sorted(docs.items()):
        expected = json.loads(doc)
        try:
            output = jcodec.dumps(expected)
        except jcodec.JSONEncodeError:
            output = None  # gen_deep: deeper than dumps allows
        else:
            assert output == reference_dumps_with(expected), name
        keys = mh.raw_keys(doc)
        assert len(keys) == sum(len(d) for d in mh.walk(expected) if type(d) is dict), \
            f"{name}: the tokenizer disagrees with json (duplicate keys?)"
        items.append((name, doc, expected, output, len(keys),
                      sum(len(k) > KEY_LIMIT for k in keys)))
    return items


def as_input(doc, kind):
    """Every input type in turn: bytes, str, bytearray, memoryview."""
    kind %= 4
    if kind == 1:
        return doc.decode("utf-8")
    if kind == 2:
        return bytearray(doc)
    if kind == 3:
        return memoryview(doc)
    return doc


def run_threads(items, rounds):
    """Runs the threads; returns (keys parsed, keys over the limit, failures)."""
    parsed = [0] * THREADS
    too_long = [0] * THREADS
    failures = []
    start = threading.Barrier(THREADS)

    def worker(index):
        try:
            start.wait()
            for r in range(rounds):
                if index == 0:
                    jcodec._cache_clear(keys=True, stats=False)
                for j in range(len(items)):
                    name, doc, expected, output, keys, long_keys = items[(j + index) % len(items)]
                    result = jcodec.loads(as_input(doc, r + j + index))
                    progress[0] += 1
                    parsed[index] += keys
                    too_long[index] += long_keys
                    if result != expected:
                        failures.append(f"thread {index}: loads {name} gave a different result")
                    if output is not None and jcodec.dumps(result) != output:
                        failures.append(f"thread {index}: dumps {name} gave a different output")
                    del result
                if jcodec.dumps(CUSTOM_VALUE, default=suspending_default) != CUSTOM_OUTPUT:
                    failures.append(f"thread {index}: dumps with default gave a different output")
                parsed[index] += 1  # the key of NESTED_DOC
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(f"thread {index}: {exc!r}")

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(THREADS)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    return sum(parsed), sum(too_long), failures


def check_run(items, parsed, too_long, failures):
    assert not failures, "\n".join(failures[:20])
    assert progress[1] > 0, "no thread ran while another was suspended in dumps' default"
    info = jcodec._cache_info()
    lookups = info.hits + info.misses + info.too_long + info.bypassed
    assert lookups == parsed, (lookups, parsed, info)
    assert info.too_long == too_long, info
    assert info.bypassed == 0, info
    assert info.inserts == info.misses, info
    assert info.hits > 0 and info.misses > 0, info
    assert 0 < info.currsize <= min(info.maxsize, info.inserts - info.evictions), info
    return f"{parsed:,} keys parsed; {progress[1]} dumps suspended while others ran; {info}"


# CPython 3.9 and 3.10 allocate frame objects: each code object keeps the
# last frame it ran in (co_zombieframe) and up to 200 more wait on a free
# list, resized to each code they serve. Which frame, of which size, ends up
# where after eight threads ran the same functions depends on how they
# interleaved, so the traced total moves by tens of bytes from run to run
# (frames of worker's calls, of threading's waits: -16 B, -24 B, +399 B) and
# cannot be compared exactly there; the allocator layer's live bytes still
# are. 3.11 keeps frames on per-thread stacks.
FRAMES_FOLLOW_INTERLEAVING = sys.version_info < (3, 11)


def test_threads(capsys):
    items = workload()

    def one_run(i):
        # Checked here, inside the measured run: what the check keeps (its
        # numbers, its message) is gone before the snapshot.
        # The warm-up run takes the same path, printing included (its first
        # use allocates a little for good).
        jcodec._cache_clear(keys=True, stats=True)
        if i == 0:
            mh.prime_free_lists()
        rounds = WARMUP_ROUNDS if i == 0 else ROUNDS
        began = time.perf_counter()
        summary = check_run(items, *run_threads(items, rounds))
        progress[:] = [0, 0]  # small ints again: nothing of the run kept
        with capsys.disabled():
            print(f"\n[threads] {THREADS} threads x {rounds} rounds x {len(items)} documents in "
                  f"{time.perf_counter() - began:.1f} s: {summary}")

    retained = mh.retained_after(one_run, rounds=1, warmup=1)
    with capsys.disabled():
        print(f"[threads] retained {retained.bytes:+,} B traced, {retained.own_bytes:+,} B by the "
              "allocator layer")
    assert retained.own_bytes == 0, retained
    if FRAMES_FOLLOW_INTERLEAVING:
        return
    assert retained.bytes == 0, f"{retained.bytes:+,} B retained:\n{retained.top}"
