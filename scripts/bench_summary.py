#!/usr/bin/env python3
"""The short summary `make bench` prints from ./bench's JSON output.

Per dataset: jcodec's loads and dumps times and the ratios jcodec/orjson,
jcodec/json and (loads) jcodec/marshal (below 1.00: jcodec is faster), dumps
as a multiple of copying its output's bytes (limit/<dataset>/memcpy), the key cache's hit rate in loads,
and the cache's gain (time with the cache switched off / time with it on, for a
whole jc_parse and for the key stream replayed alone). Then the rich-type
dumps datasets (bench/bench_types.py): jcodec/orjson per dataset against its
bar from issue 12 (bench_types.DATASETS, the one place the bars live), with a
verdict. Then the scaling family: cost per byte at each size and the
least-squares slope of time against bytes. Times are CPU times (the machine
may be shared), medians over repetitions.

    python3 scripts/bench_summary.py build/bench.json
"""
import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "bench"))
import bench_data  # noqa: E402  (the speed bars, SPEED_BARS)
import bench_results  # noqa: E402
import bench_types  # noqa: E402  (the rich-type datasets and their bars; numpy not imported)

METRIC = "cpu_time"


def ratio(numerator, denominator, digits=2):
    if numerator is None or denominator is None or denominator == 0:
        return "n/a"
    return f"{numerator / denominator:.{digits}f}"


def time_of(results, name):
    result = results.get(name)
    return result.median(METRIC) if result is not None and result.error is None else None


def datasets_in(results):
    """Documents of the loads/dumps families, in the order they ran (the
    rich-type datasets have their own table)."""
    seen = []
    for name in results:
        parts = bench_results.split_name(name)
        if (parts[0] in ("loads", "dumps") and len(parts) == 3 and parts[1] not in seen
                and parts[1] not in bench_types.DATASETS):
            seen.append(parts[1])
    return seen


def codec_table(results):
    header = ["dataset", "size", "loads jcodec", "/orjson", "/json", "/marshal", "dumps jcodec",
              "/orjson", "/json", "/memcpy", "hit rate", "cache gain parse", "replay"]
    rows = []
    for dataset in datasets_in(results):
        row = [dataset]
        loads = results.get(f"loads/{dataset}/jcodec")
        size = loads.counter("document_bytes") if loads is not None else None
        row.append(bench_results.format_bytes(size))
        for op, peers in (("loads", ("orjson", "json", "marshal")),
                          ("dumps", ("orjson", "json"))):
            jc = time_of(results, f"{op}/{dataset}/jcodec")
            row.append(bench_results.format_seconds(jc) if jc is not None else _why(results, f"{op}/{dataset}/jcodec"))
            for peer in peers:
                row.append(ratio(jc, time_of(results, f"{op}/{dataset}/{peer}")))
        # dumps as a multiple of copying its output's bytes (the limit).
        row.insert(9, ratio(time_of(results, f"dumps/{dataset}/jcodec"),
                            time_of(results, f"limit/{dataset}/memcpy"), digits=1))
        hit = loads.counter("hit_rate") if loads is not None and loads.error is None else None
        row.append(f"{hit:.2%}" if hit is not None else "n/a")
        for on, off in (("parse_cache_on", "parse_cache_off"), ("cache_on", "cache_off")):
            row.append(ratio(time_of(results, f"keys/{dataset}/{off}"),
                             time_of(results, f"keys/{dataset}/{on}")))
        rows.append(row)
    return header, rows


def bars_table(results):
    """Issue 15's bars (bench_data.SPEED_BARS; elsewhere loads at or under
    marshal and both directions at or under orjson): the ratio each one
    measures, and whether it is met."""
    header = ["dataset", "op", "measure", "ratio", "bar", "verdict"]
    rows = []
    for dataset in datasets_in(results):
        bars = bench_data.SPEED_BARS.get(dataset, {})
        for op in ("loads", "dumps"):
            jc = time_of(results, f"{op}/{dataset}/jcodec")
            checks = [("/orjson 3.8.3", time_of(results, f"{op}/{dataset}/orjson"),
                       bars.get(op, bench_data.BAR_ORJSON))]
            if op == "loads":
                checks.append(("/marshal", time_of(results, f"loads/{dataset}/marshal"),
                               bench_data.BAR_MARSHAL))
            for measure, peer, bar in checks:
                if jc is None or peer is None:
                    continue
                value = jc / peer
                rows.append([dataset, op, measure, f"{value:.2f}", f"{bar:.2f}",
                             "met" if value <= bar else "not met"])
    return header, rows


def types_table(results):
    """The rich-type dumps datasets that ran: jcodec/orjson against the bar.
    spread: the ratio's range over the repetitions (slowest jcodec / fastest
    orjson and the reverse); near: datasets whose spread reaches the bar."""
    header = ["dataset", "items", "jcodec", "orjson", "json", "jcodec/orjson", "spread", "bar",
              "verdict"]
    rows, near = [], []
    for dataset, spec in bench_types.DATASETS.items():
        names = {impl: f"dumps/{dataset}/{impl}" for impl in ("jcodec", "orjson", "json")}
        if not any(name in results for name in names.values()):
            continue
        times = {impl: time_of(results, name) for impl, name in names.items()}
        row = [dataset, f"{spec.items:,}"]
        row += [bench_results.format_seconds(times[impl]) if times[impl] is not None
                else _why(results, name) for impl, name in names.items()]
        jc, orjson = times["jcodec"], times["orjson"]
        row.append(ratio(jc, orjson, digits=3))  # the verdict's precision, against 2-digit bars
        spread = ""
        if jc is not None and orjson is not None:
            jcs = results[names["jcodec"]].values(METRIC)
            ors = results[names["orjson"]].values(METRIC)
            low, high = min(jcs) / max(ors), max(jcs) / min(ors)
            if len(jcs) > 1 or len(ors) > 1:
                spread = f"{low:.3f}-{high:.3f}"
                if low <= spec.bar <= high:
                    near.append(dataset)
        row += [spread, f"{spec.bar:.2f}"]
        row.append("n/a" if jc is None or orjson is None
                   else "met" if jc / orjson <= spec.bar else "not met")
        rows.append(row)
    return header, rows, near


def _why(results, name):
    result = results.get(name)
    if result is None:
        return "not run"
    return "skipped" if result.error else "n/a"


def scaling_tables(results):
    """{(op, shape, impl): [(label, bytes, seconds)]} from scaling/op/shape/size/impl."""
    series = {}
    for name, result in results.items():
        parts = bench_results.split_name(name)
        if parts[0] != "scaling" or len(parts) != 5 or result.error:
            continue
        _, op, shape, label, impl = parts
        size = result.counter("bytes")
        seconds = result.median(METRIC)
        if size and seconds:
            series.setdefault((op, shape, impl), []).append((label, size, seconds))
    return series


def least_squares(points):
    """Slope and intercept of seconds against bytes."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None, None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    return slope, mean_y - slope * mean_x


def print_table(header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    line = "  ".join(f"{h:<{w}}" if i == 0 else f"{h:>{w}}" for i, (h, w) in enumerate(zip(header, widths)))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in enumerate(zip(row, widths))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=pathlib.Path)
    args = parser.parse_args()
    results, context = bench_results.load(args.results)

    print(f"\njcodec benchmark summary ({args.results}; CPU times, medians; "
          f"python {context.get('python', '?')}, orjson {context.get('orjson', '?')}, "
          f"numpy {context.get('numpy', '?')}, scanner {context.get('jcodec_scanner', '?')}, "
          f"load average "
          f"{', '.join(f'{x:.1f}' for x in context.get('load_avg', []))})")
    shared = context.get("shared_corpus", "")
    if shared.startswith("absent"):
        print(f"reference corpus {shared}: generated documents only")
    header, rows = codec_table(results)
    if rows:
        print("\njcodec/orjson and jcodec/json: time ratios, below 1.00 means jcodec is faster.")
        print("hit rate: key cache in loads (warm). cache gain: time with the cache off / on.\n")
        print_table(header, rows)

    header, rows = bars_table(results)
    if rows:
        unmet = sum(row[-1] == "not met" for row in rows)
        print(f"\nspeed bars (issue 15; bench/bench_data.py SPEED_BARS): {len(rows) - unmet} of "
              f"{len(rows)} met\n")
        print_table(header, rows)

    header, rows, near = types_table(results)
    if rows:
        print("\nrich types, dumps (bench/bench_types.py): jcodec/orjson time ratio against the bar "
              "(issue 12: at most orjson 3.11.8's ratio to 3.8.3); met when the median ratio is "
              "at or under it.\n")
        print_table(header, rows)
        if near:
            print(f"near the bar (within the spread of the repetitions; rerun): {', '.join(near)}")
    missing_numpy = [d for d, spec in bench_types.DATASETS.items() if spec.numpy
                     and f"dumps/{d}/jcodec" not in results]
    if rows and missing_numpy and str(context.get("numpy", "")).startswith("not importable"):
        print(f"not run: {', '.join(missing_numpy)} (numpy {context['numpy']})")

    series = scaling_tables(results)
    if series:
        print("\nscaling: CPU time per byte at each size; slope = least-squares seconds per byte "
              "over all sizes, intercept = fixed cost per call\n")
        for (op, shape, impl), points in sorted(series.items()):
            points.sort(key=lambda p: p[1])
            per_byte = "  ".join(f"{label} {seconds / size * 1e9:.2f}" for label, size, seconds in points)
            slope, intercept = least_squares([(size, seconds) for _, size, seconds in points])
            drift = (points[-1][2] / points[-1][1]) / (points[0][2] / points[0][1])
            fit = (f"slope {slope * 1e9:.2f} ns/B, intercept {intercept * 1e6:.1f} µs"
                   if slope is not None else "one size only")
            print(f"{op:5} {shape} {impl:6}  ns/B: {per_byte}  | {fit}, "
                  f"largest/smallest per byte {drift:.2f}")

    errors = [(name, r.error) for name, r in results.items() if r.error]
    if errors:
        print(f"\nskipped ({len(errors)}):")
        for name, error in errors:
            print(f"  {name}: {error[:110]}")


if __name__ == "__main__":
    main()
