#!/usr/bin/env bash
# `make bench`: builds ./bench, runs the default set, writes $BUILD/bench.json
# (Google Benchmark JSON, for the CI gates and scripts/bench_compare.py),
# $BUILD/bench.txt (the console output) and $BUILD/bench.png (scripts/plot.py),
# and prints the summary table (scripts/bench_summary.py).
#
# Environment:
#   BUILD=build            build directory (configured here when new)
#   JOBS=2                 build parallelism
#   BENCH_FILTER=REGEX     benchmarks to run (default: all registered)
#   BENCH_MIN_TIME=0.1     seconds per benchmark
#   BENCH_REPETITIONS=N    repetitions (medians in the summary and compare script)
#   BENCH_FULL=1           also the 64 MiB scaling points (generated on first use)
#   BENCH_VERBOSE=1        print the console output (always, when not on a terminal)
#   JCODEC_SHARED_DIR=DIR  the reference corpus's parent (default ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
JOBS=${JOBS:-2}

if ! scripts/ensure-deps.sh bench; then
    echo "make bench: needs a C++ compiler and Google Benchmark (see the command above)" >&2
    exit 1
fi
# Configured when new; re-run otherwise, so a tree configured before
# libbenchmark-dev was installed finds it now.
if [ -f "$BUILD/CMakeCache.txt" ]; then
    cmake "$BUILD" >/dev/null
else
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" -j "$JOBS" --target jcodec_bench

bin="$BUILD/bench"
if [ ! -x "$bin" ]; then
    echo "make bench: $bin was not built (see the CMake messages above)" >&2
    exit 1
fi

out="$BUILD/bench.json"
log="$BUILD/bench.txt"
args=(--benchmark_min_time="${BENCH_MIN_TIME:-0.1}" --benchmark_out="$out"
      --benchmark_out_format=json --benchmark_color=false)
[ -n "${BENCH_FILTER:-}" ] && args+=("--benchmark_filter=$BENCH_FILTER")
[ -n "${BENCH_REPETITIONS:-}" ] && args+=("--benchmark_repetitions=$BENCH_REPETITIONS")

# On a terminal, one progress line instead of ~250 result lines (they are in $log).
declare -A listed=()
while IFS= read -r name; do listed[$name]=1; done < <(
    "$bin" --benchmark_list_tests ${BENCH_FILTER:+"--benchmark_filter=$BENCH_FILTER"} 2>/dev/null)
total=$((${#listed[@]} * ${BENCH_REPETITIONS:-1}))
echo "bench: running $total benchmarks ($bin; ${BENCH_MIN_TIME:-0.1} s each; console output in $log)"
start=$SECONDS
: >"$log"
done_count=0
"$bin" "${args[@]}" 2>&1 | while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    if [ -t 1 ] && [ -z "${BENCH_VERBOSE:-}" ]; then
        name=${line%% *}
        if [ -n "$name" ] && [ -n "${listed[$name]:-}" ]; then
            done_count=$((done_count + 1))
            printf '\r\033[K[%d/%d] %s' "$done_count" "$total" "$name"
        fi
    else
        printf '%s\n' "$line"
    fi
done
[ -t 1 ] && printf '\r\033[K'
echo "bench: done in $((SECONDS - start)) s; results in $out"

python3 scripts/bench_summary.py "$out"
python3 scripts/plot.py "$out" "$BUILD/bench.png"
