#!/usr/bin/env bash
# Crash minimisation: the smallest input that still fails the same way.
#
#   scripts/fuzz_minimize.sh [--afl] TARGET CRASH_FILE [OUTPUT]
#
# libFuzzer (default): -minimize_crash=1 with the libFuzzer build (ASan,
# UBSan, the property checks), for FUZZ_SECONDS (60) at most.
# --afl: afl-tmin with the AFL++ build.
# OUTPUT defaults to CRASH_FILE.min. Keep the result as a regression:
#   cp OUTPUT corpus/regressions/TARGET/<what-it-shows>
# (`make check` then replays it for ever).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=fuzz/common.sh
source "$root/fuzz/common.sh"

afl=0
if [ "${1:-}" = "--afl" ]; then afl=1; shift; fi
[ $# -ge 2 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
target=$1 crash=$2 output=${3:-$2.min}

if [ "$afl" = 1 ]; then
    binary="$FUZZ_BUILD_DIR/afl/fuzzers/$target"
    [ -x "$binary" ] || bash "$root/fuzz/run_afl.sh" --build-only
    export ASAN_OPTIONS="abort_on_error=1:symbolize=0:detect_leaks=0"
    AFL_SKIP_CPUFREQ=1 afl-tmin -i "$crash" -o "$output" -m none -t 25000 -- "$binary"
else
    binary="$FUZZ_BUILD_DIR/libfuzzer/fuzzers/$target"
    [ -x "$binary" ] || bash "$root/fuzz/run.sh" --build-only
    jc_fuzz_sanitizer_env
    "$binary" -minimize_crash=1 -max_total_time="$FUZZ_SECONDS" -exact_artifact_path="$output" \
        "$crash" 2>&1 | grep -E '^(CRASH_MIN|INFO: Done)|PROPERTY|ERROR' || true
fi
[ -f "$output" ] || { echo "minimize: no smaller input found" >&2; exit 1; }
echo "minimize: $(wc -c <"$crash") bytes -> $(wc -c <"$output") bytes: $output"
echo "keep it:  cp '$output' '$root/corpus/regressions/$target/<what-it-shows>'"
