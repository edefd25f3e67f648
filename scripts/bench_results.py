"""Reading Google Benchmark JSON (./bench --benchmark_out=FILE): shared by
bench_summary.py, bench_compare.py and plot.py.

A run with --benchmark_repetitions=N holds N iteration entries per benchmark
(plus mean/median/stddev/cv aggregates); one with
--benchmark_report_aggregates_only holds the aggregates alone. Either way a
benchmark's value here is the median of its repetitions.
"""
import json
import statistics

TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


class Result:
    """One benchmark: its samples (one per repetition) of every metric."""

    def __init__(self, name):
        self.name = name
        self.samples = {}  # metric -> [values]; times in seconds
        self.error = None
        self.label = ""

    def values(self, metric):
        return self.samples.get(metric, [])

    def median(self, metric):
        values = self.values(metric)
        return statistics.median(values) if values else None

    def counter(self, metric):
        return self.median(metric)


def load(path):
    """{run_name: Result} in the file's order, and the file's context."""
    with open(path) as f:
        data = json.load(f)
    results = {}
    medians_only = {}
    for entry in data.get("benchmarks", []):
        name = entry.get("run_name", entry["name"])
        result = results.setdefault(name, Result(name))
        if entry.get("error_occurred"):
            result.error = entry.get("error_message", "error")
            continue
        if entry.get("run_type") == "aggregate":
            if entry.get("aggregate_name") == "median":
                medians_only[name] = entry
            continue
        _add_sample(result, entry)
    # Aggregates-only files: the median entries stand in for the samples.
    for name, entry in medians_only.items():
        if not results[name].samples:
            _add_sample(results[name], entry)
    return results, data.get("context", {})


def _add_sample(result, entry):
    scale = TIME_UNITS.get(entry.get("time_unit", "ns"), 1e-9)
    for key, value in entry.items():
        if key in ("real_time", "cpu_time"):
            result.samples.setdefault(key, []).append(value * scale)
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and key not in (
                "family_index", "per_family_instance_index", "repetitions", "repetition_index",
                "threads"):
            result.samples.setdefault(key, []).append(float(value))
    result.label = entry.get("label", result.label)


def split_name(name):
    """'loads/twitter/jcodec' -> ['loads', 'twitter', 'jcodec']."""
    return name.split("/")


def format_seconds(seconds):
    if seconds is None:
        return "n/a"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_bytes(size):
    if size is None:
        return "n/a"
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size:.0f} B"
