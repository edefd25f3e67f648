#!/usr/bin/env python3
"""Side-by-side timing of jcodec against orjson, json and ujson.

Every implementation runs in this one process, on the same document, in
alternating rounds (the order rotates each round), so drift on a noisy machine
hits all of them alike. Each round times a batch of calls sized to take about
--batch seconds; the table shows the median per-call time over the rounds and
the ratio to orjson (below 1.00: faster than orjson).

Why beside ./bench: ./bench (Google Benchmark, bench/README.md) is the
benchmark tool, with every family, counter and JSON output. This script is the
README's Numbers table, and it answers where ./bench cannot: it needs only the
built (or pip-installed) module, not a C++ compiler and libbenchmark, it
includes ujson, and it interleaves the implementations round by round instead
of running each benchmark to completion in turn, which keeps the ratios steady
on a shared machine. It times the same documents as ./bench: the paths given,
else bench/bench_data.py's datasets (the shared corpus, ../shared/corpus or
JCODEC_SHARED_DIR, when present; then the generated corpus at 256 KiB a shape,
read from ./bench's cache directory, $JCODEC_BENCH_DATA or build/bench-data,
and generated there on first use). Peers that are not importable are left out
with a note. Debian's dist-packages is searched last for ujson.

    PYTHONPATH=build python3 scripts/compare.py [--op loads|dumps|both] [docs...]
"""
import argparse
import gc
import importlib
import json
import os
import pathlib
import statistics
import sys
import time

import project

ROOT = project.ROOT
# ./bench's generated datasets: the same size and cache (bench/datasets.h, kGeneratedSize).
GENERATED_SIZE = 256 * 1024
sys.path.insert(0, str(ROOT / "bench"))
sys.path.append(str(ROOT / "build"))  # after PYTHONPATH, which may name another build


def load_implementations(wanted):
    sys.path.append(project.DEBIAN_DIST_PACKAGES)
    impls, missing = {}, []
    for name in wanted:
        try:
            impls[name] = importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return impls, missing


def loads_callable(name, module):
    return module.loads


def dumps_callable(name, module):
    if name == "json":
        # The output the other implementations produce: compact, UTF-8 bytes.
        return project.reference_dumps
    if name == "ujson":
        return lambda obj: module.dumps(obj, ensure_ascii=False, escape_forward_slashes=False).encode()
    return module.dumps


def time_batch(fn, arg, count):
    start = time.perf_counter()
    for _ in range(count):
        fn(arg)
    return (time.perf_counter() - start) / count


def calibrate(fn, arg, batch_seconds):
    count = 1
    while True:
        elapsed = time_batch(fn, arg, count) * count
        if elapsed >= batch_seconds / 4 or count >= 1 << 20:
            return max(1, int(count * batch_seconds / max(elapsed, 1e-9)))
        count *= 4


def measure(calls, make_arg, rounds, batch_seconds):
    """make_arg() builds the argument afresh, untimed, before every batch: for
    dumps each implementation then serializes an object it has not seen, built
    the same way just before (where objects sit in memory changes the timing
    of large documents by 10%, and orjson caches a UTF-8 form inside each str
    it serializes, which another implementation must not inherit)."""
    counts = {name: calibrate(fn, make_arg(), batch_seconds) for name, fn in calls.items()}
    samples = {name: [] for name in calls}
    names = list(calls)
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            arg = make_arg()
            gc.collect()
            samples[name].append(time_batch(calls[name], arg, counts[name]))
            del arg
    return {name: statistics.median(values) for name, values in samples.items()}


def documents(paths):
    if paths:
        return [(pathlib.Path(p).name, pathlib.Path(p).read_bytes()) for p in paths]
    import bench_data

    shared = bench_data.shared_documents()
    if not shared:
        print(f"note: {project.SHARED_CORPUS_DIR} is absent; timing the generated corpus only\n")
    docs = [(pathlib.Path(p).name, pathlib.Path(p).read_bytes()) for p in shared]
    data_dir = os.environ.get("JCODEC_BENCH_DATA") or ROOT / "build" / "bench-data"
    docs += [(f"{shape}.json", bench_data.generated(shape, GENERATED_SIZE, data_dir))
             for shape in bench_data.shapes()]
    return docs


def format_time(seconds):
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def report(op, rows, names):
    peers = [n for n in names if n != "orjson"]
    header = ["document", "size"] + names + [f"{n}/orjson" for n in peers]
    print(f"### {op}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for doc, size, times in rows:
        cells = [doc, f"{size / 1024:.0f} KiB"]
        cells += [format_time(times[n]) if n in times else "n/a" for n in names]
        if "orjson" in times:
            cells += [f"{times[n] / times['orjson']:.2f}" if n in times else "n/a" for n in peers]
        print("| " + " | ".join(cells) + " |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--op", choices=("loads", "dumps", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--batch", type=float, default=0.05, help="seconds per timed batch")
    parser.add_argument("--impl", action="append",
                        help="implementations (default: jcodec orjson json ujson)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("docs", nargs="*")
    options = parser.parse_args()

    impls, missing = load_implementations(options.impl or ["jcodec", "orjson", "json", "ujson"])
    if "jcodec" not in impls:
        sys.exit("jcodec is not importable: build it first (make) and set PYTHONPATH=build")
    for name in missing:
        print(f"note: {name} is not importable; left out")
    names = list(impls)
    ops = ["loads", "dumps"] if options.op == "both" else [options.op]
    if "dumps" in ops and not hasattr(impls["jcodec"], "dumps"):
        print("note: jcodec.dumps does not exist yet; timing loads only")
        ops = [op for op in ops if op != "dumps"]
    print(f"python {sys.version.split()[0]}, rounds={options.rounds}, batch={options.batch}s, "
          f"jcodec scanner={impls['jcodec']._isa()}\n")

    results = {}
    docs = documents(options.docs)
    for op in ops:
        rows = []
        for doc, data in docs:
            if op == "loads":
                calls = {n: loads_callable(n, m) for n, m in impls.items()}
                make_arg = lambda data=data: data
                reference = json.loads(data)
                for n, fn in list(calls.items()):
                    try:
                        same = fn(data) == reference
                    except Exception as exc:  # a peer that rejects this document
                        same, exc_note = False, repr(exc)
                    else:
                        exc_note = "a different value"
                    if same:
                        continue
                    if n == "jcodec":
                        sys.exit(f"jcodec.loads({doc}) differs from json.loads: not timing it")
                    print(f"note: {n}.loads({doc}) gives {exc_note}; left out")
                    del calls[n]
            else:
                calls = {n: dumps_callable(n, m) for n, m in impls.items()}
                make_arg = lambda data=data: json.loads(data)
                for n, fn in list(calls.items()):
                    try:
                        fn(make_arg())
                    except Exception as exc:  # a peer that cannot encode this document
                        print(f"note: {n}.dumps({doc}) fails ({exc!r}); left out")
                        del calls[n]
            times = measure(calls, make_arg, options.rounds, options.batch)
            rows.append((doc, len(data), times))
            results.setdefault(op, {})[doc] = times
        report(op, rows, names)
    if options.json:
        pathlib.Path(options.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
