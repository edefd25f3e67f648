#!/usr/bin/env python3
"""Instruction scaling guard, for the CI gate `scaling` (ci/README.md).

Cost stays linear in the size of the document: for each generated shape
(corpus/generate.py, through bench/bench_data.py's cache), callgrind counts the
instructions of one loads and one dumps at 1 MiB and at 64 MiB, and the gate
fails when the instructions per byte at 64 MiB exceed 1.10x those at 1 MiB.

    python3 ci/scaling.py                     the gate: table, then the verdict
    python3 ci/scaling.py prepare SHAPE       (internal) the two documents
    python3 ci/scaling.py measure OPS SMALL LARGE
                                              (internal) what callgrind runs

How it stays within its budget and measures only the codec:
  - the documents are generated once per generator version (bench_data's cache,
    keyed by a digest of generate.py) into $CI_BUILD/scaling/;
  - one valgrind process per shape runs both sizes and both ops; only the
    inside of jc_loads/jc_dumps is counted (--collect-atstart=no,
    --toggle-collect), and a dump point between the calls writes one profile
    per call, so each call is counted on its own;
  - dumps writes the object its loads just returned (no second parse), and the
    process ends without freeing the 64 MiB tree.
In that process: a warm-up loads and dumps of the small document (not
counted: first-call costs), the per-call fixed cost (loads of b"[]", dumps of
[]), subtracted from every count, then the small document and the large one,
each loaded into an empty key cache (as a fresh process would).

The generators are asked for sizes that give documents of 1 MiB and 64 MiB
(some write more bytes than asked: twitter's indentation, numbers' digits), and
their composition must be the same at both sizes, otherwise the ratio measures
the generator: the frequency per unit of each structural character and of
non-ASCII bytes must agree within 2% (DRIFT_LIMIT), or the gate fails on drift.
"""
import concurrent.futures
import json
import os
import pathlib
import subprocess
import sys
import time

import callgrind

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("CI_BUILD", ROOT / "build"))
CACHE = BUILD / "scaling"
SMALL = 1 << 20
LARGE = 64 << 20
TOLERANCE = 1.10
DRIFT_LIMIT = 0.02
JOBS = int(os.environ.get("JOBS", "2"))
# Shapes measured per key-value pair rather than per byte: gen_unique_keys is
# a key cache miss per member, the cost the gate is about (its keys have a
# fixed-width counter, so they are as long at 64 MiB as at 1 MiB).
UNITS = {"gen_unique_keys": ("member", b":")}
# Shapes left out, and why (ci/README.md): none.
EXCLUDED = {}
# The heaviest under callgrind first, so that the two workers end together
# (gen_deep is 8 G instructions at 64 MiB, more than a third of the total).
FIRST = ("gen_deep", "gen_numbers", "gen_unique_keys")
NO_DUMPS = {"gen_deep"}  # deeper than dumps allows (254), as in instructions.py
# Characters whose frequency says what the parser and the writer do per byte:
# containers, strings, members and items, escapes; and non-ASCII bytes (UTF-8
# validation on loads, the str kinds on dumps).
STRUCTURE = (b"{", b"[", b'"', b",", b":", b"\\")
ASCII = bytes(range(128))


# -- run under callgrind -----------------------------------------------------

def measure(ops, small, large):
    """The calls, in the order the driver reads their profiles: warm-up
    (small), fixed cost, small, large; loads then dumps in each. Every call
    follows a jcodec._cache_clear(), callgrind's dump point
    (callgrind.DUMP_POINT), and one more ends the run, so each profile
    holds exactly one call. Prints the dumps output sizes."""
    import gc
    import jcodec

    gc.disable()  # nothing here is a cycle; no collection over the 64 MiB tree
    sizes, kept = {}, []
    for label, path in (("warmup", small), ("fixed", None), ("small", small), ("large", large)):
        data = pathlib.Path(path).read_bytes() if path else b"[]"
        jcodec._cache_clear(keys=True)  # an empty key cache, as a fresh process has
        value = jcodec.loads(data)  # loads is in every op list
        # Kept, not freed: each call then builds its tree in fresh memory, as
        # the large one does, rather than in the pools the last one freed.
        kept.append(value)
        if "dumps" in ops:
            jcodec._cache_clear(keys=False)  # a dump point only
            sizes[label] = len(jcodec.dumps(value))
    jcodec._cache_clear(keys=False)
    print(json.dumps(sizes), flush=True)
    os._exit(0)  # without freeing the large tree (seconds under valgrind)


# -- the documents -------------------------------------------------------------

def composition(data, unit):
    """Count per unit of each structural character, and of non-ASCII bytes."""
    units = len(data) if unit is None else data.count(unit)
    counts = {c.decode(): data.count(c) for c in STRUCTURE}
    counts["non-ASCII"] = len(data.translate(None, ASCII))
    return {k: v / units for k, v in counts.items()}, counts, units


def drift(small, large, unit):
    """The largest relative change, small to large, of the per-unit frequency
    of a class that is at least 1 in 1000 bytes of the small document."""
    (f_small, counts, _), (f_large, _, _) = composition(small, unit), composition(large, unit)
    worst, which = 0.0, "-"
    for k, count in counts.items():
        if count < len(small) / 1000:
            continue  # a fixed header or a rare character: no weight in the cost
        change = abs(f_large[k] / f_small[k] - 1)
        if change >= worst:
            worst, which = change, k
    return worst, which


def prepare(shape):
    """Generates (or reads from the cache) the shape at 1 MiB and 64 MiB, the
    sizes asked for scaled so that the documents have about those sizes.
    Prints {small, large: paths, drift, drift_class, units...}."""
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_data  # the benchmarks' generated documents and their cache

    probe = len(bench_data.generated(shape, SMALL, CACHE)) / SMALL
    paths, documents = {}, {}
    for label, size in (("small", SMALL), ("large", LARGE)):
        asked = max(1, round(size / probe))
        documents[label] = bench_data.generated(shape, asked, CACHE)
        # bench_data's file name for it (generated() has just written it).
        paths[label] = str(CACHE / f"{shape}-{asked}-{bench_data._GENERATOR_DIGEST}.json")
        if not pathlib.Path(paths[label]).is_file():
            raise RuntimeError(f"bench_data did not cache {shape} at {asked} bytes as {paths[label]}")
    unit = UNITS.get(shape, (None, None))[1]
    worst, which = drift(documents["small"], documents["large"], unit)
    result = {"small": paths["small"], "large": paths["large"], "drift": worst, "drift_class": which}
    for label, data in documents.items():
        result[f"{label}_bytes"] = len(data)
        result[f"{label}_units"] = len(data) if unit is None else data.count(unit)
    print(json.dumps(result), flush=True)


# -- the driver ----------------------------------------------------------------

def python_command(*args):
    return [sys.executable, str(pathlib.Path(__file__).resolve()), *args]


def run_shape(shape):
    """prepare, then the callgrind process: {op: {label: instructions}} and
    the documents' facts."""
    t0 = time.monotonic()
    done = subprocess.run(python_command("prepare", shape), capture_output=True, text=True)
    if done.returncode != 0:
        raise callgrind.failure(f"generating {shape}", done.stderr)
    facts = json.loads(done.stdout.splitlines()[-1])
    t1 = time.monotonic()
    ops = ("loads",) if shape in NO_DUMPS else ("loads", "dumps")
    # glibc's malloc moves its mmap threshold up to the size of the last
    # large block freed (at most 32 MiB): a 1 MiB output buffer would then
    # grow by copying (memcpy, counted per byte) after the warm-up, and a
    # 64 MiB one by mremap (in the kernel, not counted). A fixed threshold
    # (the default's starting value) makes both sizes grow by mremap.
    env = dict(os.environ, PYTHONPATH=str(BUILD), GLIBC_TUNABLES="glibc.malloc.mmap_threshold=131072")
    counts, stdout = callgrind.segments(python_command("measure", ",".join(ops), facts["small"], facts["large"]),
                                        toggles=[f"jc_{op}" for op in ops], env=env,
                                        name=shape, directory=CACHE)
    labels = ("warmup", "fixed", "small", "large")
    # The first dump point has no call before it: nothing may be counted there.
    if counts[:1] == [0]:
        counts = counts[1:]
    if len(counts) != len(labels) * len(ops):
        raise RuntimeError(f"callgrind on {shape}: {len(counts)} per-call profiles, "
                           f"expected {len(labels) * len(ops)}")
    # The calls alternate loads, dumps within each label (measure's order).
    per_op = {op: dict(zip(labels, counts[i::len(ops)])) for i, op in enumerate(ops)}
    facts["dumps_sizes"] = json.loads(stdout.splitlines()[-1]) if "dumps" in ops else {}
    facts["seconds"] = (t1 - t0, time.monotonic() - t1)
    return per_op, facts


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        return measure(sys.argv[2].split(","), sys.argv[3], sys.argv[4])
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        return prepare(sys.argv[2])
    return run_gate()


def run_gate():
    sys.path.insert(0, str(ROOT / "ci"))
    sys.path.insert(0, str(ROOT / "bench"))
    from baseline import verdict  # ci/baseline.py: the verdict line, as the other measurers
    import bench_data

    CACHE.mkdir(parents=True, exist_ok=True)
    shapes = [s for s in bench_data.shapes() if s not in EXCLUDED]
    order = [s for s in FIRST if s in shapes] + [s for s in shapes if s not in FIRST]
    for shape, why in EXCLUDED.items():
        print(f"{shape}: not measured ({why}; ci/README.md)")
    start = time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=JOBS)
    futures = {shape: pool.submit(run_shape, shape) for shape in order}
    try:
        results = {shape: future.result() for shape, future in futures.items()}
    except Exception as error:  # noqa: BLE001  (any failure is the gate's verdict)
        pool.shutdown(cancel_futures=True)  # the shapes not started yet
        print(error)
        return verdict("could not measure", [str(error).splitlines()[0]])
    pool.shutdown()
    failures, worst = [], (0.0, "-", "-")
    rows = [f"  {'shape':17} {'op':5} {'unit':6} {'Ir/unit 1 MiB':>13} {'Ir/unit 64 MiB':>14} "
            f"{'ratio':>6} {'drift':>6} {'fixed Ir':>8}"]
    for shape in shapes:
        per_op, facts = results[shape]
        unit = UNITS.get(shape, ("byte",))[0]
        print(f"{shape}: {facts['small_bytes']:,} and {facts['large_bytes']:,} bytes, generated in "
              f"{facts['seconds'][0]:.0f}s, callgrind {facts['seconds'][1]:.0f}s; composition drift "
              f"{facts['drift']:.2%} ({facts['drift_class']})")
        if facts["drift"] > DRIFT_LIMIT:
            failures.append(f"{shape} composition drift {facts['drift']:.1%} ({facts['drift_class']})")
        for op, counts in per_op.items():
            per_unit = {}
            for label in ("small", "large"):
                units = facts[f"{label}_units"]
                if op == "dumps" and unit == "byte":
                    units = facts["dumps_sizes"][label]  # per byte written
                per_unit[label] = (counts[label] - counts["fixed"]) / units
            ratio = per_unit["large"] / per_unit["small"]
            worst = max(worst, (ratio, shape, op))
            rows.append(f"  {shape:17} {op:5} {unit:6} {per_unit['small']:13.3f} {per_unit['large']:14.3f} "
                        f"{ratio:6.3f} {facts['drift']:6.2%} {counts['fixed']:8,}"
                        + ("  SUPERLINEAR" if ratio > TOLERANCE else ""))
            if ratio > TOLERANCE:
                failures.append(f"{shape} {op} {ratio:.3f}x")
    print(f"measured in {time.monotonic() - start:.0f}s")
    print("\n".join(rows))
    ratio, shape, op = worst
    workloads = sum(len(results[s][0]) for s in shapes)
    return verdict(f"worst {shape} {op} {ratio:.3f}x, instructions per unit at 64 MiB / 1 MiB "
                   f"(tolerance {TOLERANCE:.2f}x; {workloads} workloads)", failures)


if __name__ == "__main__":
    sys.exit(main())
