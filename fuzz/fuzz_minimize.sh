#!/usr/bin/env bash
# Crash minimisation: the smallest input that still fails the same way.
#
#   fuzz/fuzz_minimize.sh [--afl] TARGET CRASH_FILE [OUTPUT]
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

engine=libfuzzer
if [ "${1:-}" = "--afl" ]; then engine=afl; shift; fi
[ $# -ge 2 ] || { jc_fuzz_usage >&2; exit 2; }
target=$1 crash=$2 output=${3:-$2.min}
jc_fuzz_is_target "$target" || { echo "fuzz_minimize.sh: $target is not in fuzz/targets.txt" >&2; exit 2; }
binary=$(jc_fuzz_binary "$engine" "$target")

if [ "$engine" = afl ]; then
    jc_fuzz_afl_env
    afl-tmin -i "$crash" -o "$output" -m none -t 25000 -- "$binary"
else
    jc_fuzz_sanitizer_env
    "$binary" -minimize_crash=1 -max_total_time="$FUZZ_SECONDS" -exact_artifact_path="$output" \
        "$crash" 2>&1 | grep -E '^(CRASH_MIN|INFO: Done)|PROPERTY|ERROR' || true
fi
[ -f "$output" ] || { echo "minimize: no smaller input found" >&2; exit 1; }
echo "minimize: $(wc -c <"$crash") bytes -> $(wc -c <"$output") bytes: $output"
echo "keep it:  cp '$output' '$root/corpus/regressions/$target/<what-it-shows>'"
