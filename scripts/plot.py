#!/usr/bin/env python3
"""Bar chart of ./bench's loads and dumps results: throughput (MB/s of document
read or JSON written, from CPU time) per dataset and implementation, plus the
scaling family's cost per byte against size when it ran.

Uses matplotlib, from Debian's python3-matplotlib (its dist-packages is
appended to sys.path, never prepended); without it, gnuplot when installed;
with neither, says so and exits 0 (the chart is optional).

    python3 scripts/plot.py build/bench.json build/bench.png
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_results  # noqa: E402
import project  # noqa: E402  (DEBIAN_DIST_PACKAGES)

IMPLEMENTATIONS = ("jcodec", "orjson", "json")


def throughput(results):
    """{op: (datasets, {impl: [MB/s or 0 when skipped]})}."""
    table = {}
    for op in ("loads", "dumps"):
        datasets = []
        for name in results:
            parts = bench_results.split_name(name)
            if parts[0] == op and len(parts) == 3 and parts[1] not in datasets:
                datasets.append(parts[1])
        bars = {impl: [] for impl in IMPLEMENTATIONS}
        for dataset in datasets:
            for impl in IMPLEMENTATIONS:
                result = results.get(f"{op}/{dataset}/{impl}")
                rate = None
                if result is not None and result.error is None:
                    # bytes_per_second comes from CPU time, like the summary.
                    rate = result.counter("bytes_per_second")
                bars[impl].append(rate / 1e6 if rate else 0.0)
        if datasets:
            table[op] = (datasets, bars)
    return table


def scaling(results):
    series = {}
    for name, result in results.items():
        parts = bench_results.split_name(name)
        if parts[0] == "scaling" and len(parts) == 5 and result.error is None:
            size, per_byte = result.counter("bytes"), result.counter("time_per_byte")
            if size and per_byte:
                series.setdefault(f"{parts[1]} {parts[4]}", []).append((size, per_byte * 1e9))
    return {label: sorted(points) for label, points in series.items()}


def plot_matplotlib(table, series, output, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = list(table) + (["scaling"] if series else [])
    fig, axes = plt.subplots(len(panels), 1, figsize=(13, 4.2 * len(panels)), squeeze=False)
    for ax, panel in zip(axes[:, 0], panels):
        if panel == "scaling":
            for label, points in sorted(series.items()):
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=label)
            ax.set_xscale("log", base=2)
            ax.set_xlabel("document bytes")
            ax.set_ylabel("ns per byte (CPU)")
            ax.set_title("scaling: cost per byte by size (flat is linear)")
            ax.legend()
            ax.grid(alpha=0.3)
            continue
        datasets, bars = table[panel]
        width = 0.8 / len(IMPLEMENTATIONS)
        for i, impl in enumerate(IMPLEMENTATIONS):
            xs = [d + (i - (len(IMPLEMENTATIONS) - 1) / 2) * width for d in range(len(datasets))]
            ax.bar(xs, bars[impl], width, label=impl)
        ax.set_xticks(range(len(datasets)))
        ax.set_xticklabels(datasets, rotation=20, ha="right")
        ax.set_ylabel("MB/s (CPU time)")
        ax.set_title(f"{panel}: throughput per dataset (missing bar: skipped)")
        ax.legend()
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 1, 0.98))  # room for the title above the first panel
    fig.savefig(output, dpi=110)


def plot_gnuplot(table, output, title):
    """Clustered bars for loads and dumps (no scaling panel)."""
    with tempfile.TemporaryDirectory() as tmp:
        script = [f"set terminal pngcairo size 1300,{420 * len(table)}" if _has_cairo()
                  else f"set terminal png size 1300,{420 * len(table)}",
                  f"set output '{output}'", f"set multiplot layout {len(table)},1 title '{title}'",
                  "set termoption noenhanced",  # dataset names hold underscores
                  "set style data histograms", "set style histogram clustered gap 1",
                  "set style fill solid border -1", "set ylabel 'MB/s (CPU time)'",
                  "set xtics rotate by -20", "set grid ytics", "set key top right"]
        for op, (datasets, bars) in table.items():
            data = pathlib.Path(tmp) / f"{op}.dat"
            lines = ["# dataset " + " ".join(IMPLEMENTATIONS)]
            for i, dataset in enumerate(datasets):
                lines.append(dataset + " " + " ".join(f"{bars[impl][i]:.3f}" for impl in IMPLEMENTATIONS))
            data.write_text("\n".join(lines) + "\n")
            columns = ", ".join(f"'' using {j + 2}:xtic(1) title '{impl}'" if j else
                                f"'{data}' using {j + 2}:xtic(1) title '{impl}'"
                                for j, impl in enumerate(IMPLEMENTATIONS))
            script += [f"set title '{op}: throughput per dataset'", f"plot {columns}"]
        script.append("unset multiplot")
        subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=True)


def _has_cairo():
    probe = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True)
    return "pngcairo" in probe.stdout + probe.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=pathlib.Path)
    parser.add_argument("output", type=pathlib.Path)
    args = parser.parse_args()
    results, context = bench_results.load(args.results)
    table = throughput(results)
    series = scaling(results)
    if not table and not series:
        print("plot: no loads, dumps or scaling results to chart")
        return
    title = (f"jcodec vs orjson {context.get('orjson', '?')} vs json, "
             f"python {context.get('python', '?')} ({context.get('date', '')[:10]})")
    sys.path.append(project.DEBIAN_DIST_PACKAGES)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        if shutil.which("gnuplot") and table:
            plot_gnuplot(table, args.output, title)
            print(f"chart: {args.output} (gnuplot)")
        else:
            print("plot: neither matplotlib nor gnuplot is available; no chart "
                  "(apt-get install python3-matplotlib)")
        return
    plot_matplotlib(table, series, args.output, title)
    print(f"chart: {args.output}")


if __name__ == "__main__":
    main()
