#!/usr/bin/env python3
"""Compare two ./bench JSON results, benchmark by benchmark, for regressions.

Each side's value is the median of its repetitions (run ./bench with
--benchmark_repetitions=N, N >= 5 on a shared machine). A benchmark is flagged
when the new median is worse than the old by more than --threshold AND the two
sides' samples do not overlap (every new sample worse than every old one), so
a single noisy repetition cannot flag it; with fewer than 3 repetitions a side
has no spread to judge by and only the threshold applies.

The metric is CPU time by default (lower is better); --metric names another
time (real_time) or a counter (hit_rate, allocs_per_doc, ...), with
--higher-is-better for counters such as hit_rate or bytes_per_second.

    python3 scripts/bench_compare.py OLD.json NEW.json [--filter REGEX] [--fail]
Exit status: 1 with --fail when a benchmark regressed, 2 on bad input.
"""
import argparse
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_results  # noqa: E402


def compare(old, new, metric, higher_is_better, threshold, pattern):
    rows = []
    for name, result in new.items():
        if pattern and not re.search(pattern, name):
            continue
        before = old.get(name)
        if before is None or before.error or result.error:
            continue
        a, b = before.values(metric), result.values(metric)
        if not a or not b:
            continue
        median_a, median_b = before.median(metric), result.median(metric)
        if median_a == 0:
            continue
        change = median_b / median_a  # > 1: larger
        worse = change < 1 - threshold if higher_is_better else change > 1 + threshold
        better = change > 1 + threshold if higher_is_better else change < 1 - threshold
        if len(a) >= 3 and len(b) >= 3:
            separated_worse = min(b) > max(a) if not higher_is_better else max(b) < min(a)
            separated_better = max(b) < min(a) if not higher_is_better else min(b) > max(a)
            worse = worse and separated_worse
            better = better and separated_better
        verdict = "REGRESSED" if worse else "improved" if better else ""
        rows.append((name, median_a, median_b, change, len(a), len(b), verdict))
    return rows


def show(value, metric):
    return bench_results.format_seconds(value) if metric.endswith("_time") else f"{value:.4g}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=pathlib.Path)
    parser.add_argument("new", type=pathlib.Path)
    parser.add_argument("--metric", default="cpu_time")
    parser.add_argument("--higher-is-better", action="store_true")
    parser.add_argument("--threshold", type=float, default=0.05,
                        help="relative change that counts (default 0.05: 5%%)")
    parser.add_argument("--filter", help="regular expression on benchmark names")
    parser.add_argument("--fail", action="store_true", help="exit 1 when something regressed")
    parser.add_argument("--all", action="store_true", help="list unchanged benchmarks too")
    args = parser.parse_args()
    try:
        old, _ = bench_results.load(args.old)
        new, _ = bench_results.load(args.new)
    except (OSError, ValueError, KeyError) as exc:
        print(f"bench_compare: {exc}", file=sys.stderr)
        return 2
    rows = compare(old, new, args.metric, args.higher_is_better, args.threshold, args.filter)
    if not rows:
        print(f"bench_compare: no benchmark has {args.metric} on both sides", file=sys.stderr)
        return 2
    rows.sort(key=lambda row: row[3], reverse=not args.higher_is_better)
    width = max(len(row[0]) for row in rows)
    print(f"{'benchmark':<{width}}  {'old':>10}  {'new':>10}  {'new/old':>7}  reps  verdict")
    for name, a, b, change, na, nb, verdict in rows:
        if verdict or args.all:
            print(f"{name:<{width}}  {show(a, args.metric):>10}  {show(b, args.metric):>10}  "
                  f"{change:7.3f}  {na}/{nb}  {verdict}")
    regressed = sum(row[6] == "REGRESSED" for row in rows)
    improved = sum(row[6] == "improved" for row in rows)
    print(f"\n{len(rows)} compared on {args.metric} (threshold {args.threshold:.0%}): "
          f"{regressed} regressed, {improved} improved, {len(rows) - regressed - improved} unchanged")
    return 1 if args.fail and regressed else 0


if __name__ == "__main__":
    sys.exit(main())
