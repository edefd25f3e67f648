#!/usr/bin/env bash
# `make fuzz`: builds every fuzz target with libFuzzer + ASan + UBSan (clang),
# runs each for FUZZ_SECONDS from the seeds (plus ../shared/corpus when
# present) with the dictionary, and prints one line per target: executions per
# second, coverage (cov/ft), corpus size, and a reproduce command per finding.
# Exit status 1 when anything was found.
#
#   bash fuzz/run.sh [--plant leak|overflow] [--build-only] [TARGET...]
#
# TARGET: a name from fuzz/targets.txt (default: all of them).
#
# Environment: FUZZ_SECONDS (60), FUZZ_BUILD_DIR (<root>/build-fuzz, git-ignored),
# FUZZ_JOBS (build parallelism, 2), FUZZ_EXTRA_ARGS (more libFuzzer flags),
# FUZZ_SKIP_BUILD=1 (use the targets a --build-only run built).
# The grown corpus stays in $FUZZ_BUILD_DIR/corpus/<target> (kept between
# runs, never committed); findings go to $FUZZ_BUILD_DIR/findings/<target>/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=fuzz/common.sh
source "$root/fuzz/common.sh"

plant="" build_only=0
jc_fuzz_args "--plant= --build-only" "$@"

"$root/scripts/ensure-deps.sh" fuzz

build="$FUZZ_BUILD_DIR/libfuzzer${plant:+-plant-$plant}"
# FUZZ_SKIP_BUILD=1: the targets and large seeds are already built (by a
# --build-only run), so several runs can share them in parallel.
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
    echo "== building the libFuzzer targets in $build${plant:+ (PLANTED $plant BUG: test-only build)}"
    jc_fuzz_configure "$build" clang clang++ "-fsanitize=fuzzer-no-link" "-fsanitize=fuzzer" \
        -DJCODEC_SANITIZE=address,undefined -DJCODEC_FUZZ_PLANT="$plant"
    jc_fuzz_build "$build"
    jc_fuzz_generate_large_seeds
fi
[ "$build_only" = 1 ] && exit 0

jc_fuzz_sanitizer_env
results=()
status=0
for target in "${targets[@]}"; do
    corpus="$FUZZ_BUILD_DIR/corpus/$target"
    if [ -n "$plant" ]; then # a plant must be found from the committed seeds alone
        corpus="$FUZZ_BUILD_DIR/corpus-plant-$plant/$target"
        rm -rf "$corpus"
    fi
    findings="$FUZZ_BUILD_DIR/findings/$target${plant:+-plant-$plant}"
    log="$FUZZ_BUILD_DIR/logs/$target${plant:+-plant-$plant}.log"
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    mapfile -t seeds < <(jc_fuzz_seed_dirs "$target")
    mapfile -t options < <(jc_fuzz_libfuzzer_options "$target")
    echo "== $target: ${FUZZ_SECONDS}s (log: $log)"
    stamp="$FUZZ_BUILD_DIR/logs/$target.stamp"
    touch "$stamp"
    rc=0
    # Phase 1, fuzzing. libFuzzer's per-input leak check (a LeakSanitizer scan
    # of the whole interpreter heap whenever an input mallocs more than it
    # frees, which CPython's free lists make almost every input do) costs
    # ~100x in speed, so it is off here; LeakSanitizer still checks the whole
    # run at exit.
    # shellcheck disable=SC2086
    "$build/fuzzers/$target" "${options[@]}" -max_total_time="$FUZZ_SECONDS" -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix="$findings/" ${FUZZ_EXTRA_ARGS:-} \
        "$corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
    # Phase 2, leaks per input: the units this run added to the corpus (every
    # new code path, so every new leak site) replayed with the leak check on,
    # which names the leaking input.
    if [ "$rc" = 0 ] || grep -q "LeakSanitizer" "$log"; then
        fresh="$FUZZ_BUILD_DIR/logs/$target.fresh"
        rm -rf "$fresh" && mkdir -p "$fresh"
        mapfile -t added < <(find "$corpus" -type f -newer "$stamp")
        [ ${#added[@]} -eq 0 ] || cp -t "$fresh" "${added[@]:0:${FUZZ_LEAK_UNITS:-1500}}"
        leak_rc=0
        ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" \
        "$build/fuzzers/$target" "${options[@]}" -runs=0 -detect_leaks=1 \
            -artifact_prefix="$findings/" "$fresh" >"$log.leaks" 2>&1 || leak_rc=$?
        echo "   leak check: $(find "$fresh" -type f | wc -l) new units replayed with per-input leak detection"
        if [ "$leak_rc" != 0 ]; then
            cat "$log.leaks" >>"$log"
            rc=$leak_rc
        fi
    fi
    results+=("$(jc_fuzz_summarize "$target" "$log" "$corpus" "$rc" "$build/fuzzers/$target")")
    [ "$rc" = 0 ] || status=1
    tail -n 3 "$log" | sed 's/^/   /'
done

echo
printf '%-17s %10s %8s %8s %16s  %s\n' target "exec/s" cov ft "corpus" result
printf '%s\n' "${results[@]}"
exit $status
