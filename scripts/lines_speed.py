#!/usr/bin/env python3
"""JSON Lines speed: jcodec.loads_lines and jcodec.dumps_lines against the
obvious loops with orjson and json, on a file of small records (README, "JSON
Lines"; default 100 MB, bench/bench_lines.py's datasets).

    loads  jcodec.loads_lines(data)   vs  [orjson.loads(l) for l in data.splitlines()]
    dumps  jcodec.dumps_lines(items)  vs  b"\\n".join([orjson.dumps(x) for x in items])

The implementations run in this one process in alternating rounds (the order
rotates each round), so drift on a shared machine hits them alike; each
output is checked once (bench_lines.check); the table gives the median time
per call over the rounds and the ratio to orjson's loop (below 1.00: faster).
./bench's lines/ family measures the same calls on 8 MiB under Google
Benchmark.

    PYTHONPATH=build python3 scripts/lines_speed.py [--size MB] [--rounds N] [--dataset events|metrics]
"""
import argparse
import gc
import statistics
import sys
import time

import project

sys.path.insert(0, str(project.ROOT / "bench"))
import bench_lines  # noqa: E402  (bench/bench_lines.py: the datasets and the calls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=100, help="megabytes of JSON Lines (10**6 bytes)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dataset", default="events", choices=bench_lines.available())
    args = parser.parse_args()
    size = int(args.size * 1e6)
    data = bench_lines.data(args.dataset, size)
    print(f"{args.dataset}: {len(data) / 1e6:.1f} MB, {bench_lines.count(args.dataset, size):,} lines")
    impls = []
    for impl in bench_lines.IMPLEMENTATIONS:
        try:
            for op in bench_lines.OPERATIONS:
                bench_lines.call(op, impl)
        except ImportError as e:
            print(f"{impl}: left out ({e})")
            continue
        impls.append(impl)
    for op in bench_lines.OPERATIONS:
        arguments = {impl: bench_lines.argument(args.dataset, op, size) for impl in impls}
        calls = {impl: bench_lines.call(op, impl) for impl in impls}
        for impl in impls:
            why = bench_lines.check(args.dataset, op, impl, calls[impl](arguments[impl]), size)
            if why:
                sys.exit(f"{impl} {op}: {why}")
        times = {impl: [] for impl in impls}
        for r in range(args.rounds):
            order = impls[r % len(impls):] + impls[:r % len(impls)]
            for impl in order:
                gc.collect()
                start = time.perf_counter()
                result = calls[impl](arguments[impl])
                times[impl].append(time.perf_counter() - start)
                del result
        medians = {impl: statistics.median(t) for impl, t in times.items()}
        reference = medians.get("orjson")
        for impl in impls:
            ratio = f"{medians[impl] / reference:.2f}" if reference else "n/a"
            print(f"{op:5} {impl:7} {medians[impl] * 1e3:9.1f} ms  {len(data) / medians[impl] / 1e6:7.1f} MB/s"
                  f"  /orjson {ratio}")


if __name__ == "__main__":
    main()
