#!/usr/bin/env bash
# `make fuzz-afl`: the same targets under AFL++ (Debian's afl++). Two builds,
# each a configure of the whole project in its own directory:
#   afl          afl-clang-fast -fsanitize=fuzzer (persistent mode through
#                libAFLDriver) with ASan + UBSan
#   afl-cmplog   the same without sanitizers, with AFL_LLVM_CMPLOG=1 (the
#                main instance's -c binary: input-to-state comparison solving)
# then, per target, one main (-M, with cmplog) and one secondary (-S)
# instance, one per core, for FUZZ_SECONDS, and a summary line per target.
# Each session starts from the seeds, libFuzzer's corpus and the previous
# session's queues.
# Exit status 1 when a crash or hang was saved.
#
#   bash fuzz/run_afl.sh [--build-only] [TARGET...]   (TARGET: from fuzz/targets.txt)
#
# Environment: FUZZ_SECONDS (60), FUZZ_BUILD_DIR (<root>/build-fuzz).
# Output: $FUZZ_BUILD_DIR/afl-out/<target>/{main,secondary}/ (queue, crashes).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=fuzz/common.sh
source "$root/fuzz/common.sh"

build_only=0
jc_fuzz_args "--build-only" "$@"

"$root/scripts/ensure-deps.sh" fuzz afl

echo "== building the AFL++ targets in $FUZZ_BUILD_DIR/afl and $FUZZ_BUILD_DIR/afl-cmplog"
AFL_QUIET=1 jc_fuzz_configure "$FUZZ_BUILD_DIR/afl" afl-clang-fast afl-clang-fast++ "" \
    "-fsanitize=fuzzer" -DJCODEC_SANITIZE=address,undefined -DJCODEC_FUZZ_PLANT=
AFL_QUIET=1 jc_fuzz_build "$FUZZ_BUILD_DIR/afl"
AFL_QUIET=1 AFL_LLVM_CMPLOG=1 jc_fuzz_configure "$FUZZ_BUILD_DIR/afl-cmplog" afl-clang-fast \
    afl-clang-fast++ "" "-fsanitize=fuzzer" -DJCODEC_SANITIZE= -DJCODEC_FUZZ_PLANT=
AFL_QUIET=1 AFL_LLVM_CMPLOG=1 jc_fuzz_build "$FUZZ_BUILD_DIR/afl-cmplog"
[ "$build_only" = 1 ] && exit 0
jc_fuzz_generate_large_seeds

jc_fuzz_afl_env

status=0
summary=()
for target in "${targets[@]}"; do
    out="$FUZZ_BUILD_DIR/afl-out/$target"
    inputs="$FUZZ_BUILD_DIR/afl-in/$target"
    rm -rf "$inputs" && mkdir -p "$inputs"
    # One input directory: the seeds, regressions and generated seeds under
    # AFL++'s 1 MB file limit, plus what libFuzzer grew and the previous AFL++
    # session's queues, when present (a fresh session over them, rather than
    # AFL++'s resume, which refuses an output directory it thinks in use).
    mapfile -t seeds < <(jc_fuzz_seed_dirs "$target" 2>/dev/null)
    for dir in "$FUZZ_BUILD_DIR/corpus/$target" "$out"/*/queue; do
        [ -d "$dir" ] && seeds+=("$dir")
    done
    jc_fuzz_gather "$inputs" "${seeds[@]}"
    rm -rf "$out" && mkdir -p "$out"
    dict=()
    dict_file=$(jc_fuzz_option "$target" dict "") # corpus/<target>.options names it
    [ -z "$dict_file" ] || dict=(-x "$dict_file")
    in_arg=(-i "$inputs")
    timeout_ms=$(( $(jc_fuzz_option "$target" timeout 25) * 1000 ))
    max_len=$(jc_fuzz_option "$target" max_len 4096)
    echo "== $target: main + secondary for ${FUZZ_SECONDS}s (output: $out)"
    common=(-o "$out" -m none -t "$timeout_ms" -V "$FUZZ_SECONDS" -G "$max_len" "${dict[@]}")
    afl-fuzz "${in_arg[@]}" "${common[@]}" -M main -c "$FUZZ_BUILD_DIR/afl-cmplog/fuzzers/$target" \
        -- "$FUZZ_BUILD_DIR/afl/fuzzers/$target" >"$out/main.log" 2>&1 &
    main_pid=$!
    sleep 2 # the main instance creates the output directory first
    afl-fuzz "${in_arg[@]}" "${common[@]}" -S secondary \
        -- "$FUZZ_BUILD_DIR/afl/fuzzers/$target" >"$out/secondary.log" 2>&1 &
    secondary_pid=$!
    rc=0
    wait "$main_pid" || rc=$?
    wait "$secondary_pid" || rc=$?
    [ "$rc" = 0 ] || { echo "   afl-fuzz exited with $rc; see $out/*.log" >&2; tail -n 5 "$out/main.log" "$out/secondary.log" >&2; status=1; }

    execs=0 corpus=0 crashes=0 hangs=0
    for instance in main secondary; do
        stats="$out/$instance/fuzzer_stats"
        [ -f "$stats" ] || continue
        value() { sed -n "s/^$1 *: *//p" "$stats"; }
        execs=$(awk -v a="$execs" -v b="$(value execs_per_sec)" 'BEGIN { printf "%.0f", a + b }')
        corpus=$(( corpus > $(value corpus_count) ? corpus : $(value corpus_count) ))
        crashes=$(( crashes + $(value saved_crashes) ))
        hangs=$(( hangs + $(value saved_hangs) ))
    done
    line=$(printf '%-17s %12s %10s %9s %7s' "$target" "$execs" "$corpus" "$crashes" "$hangs")
    if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
        status=1
        for found in "$out"/*/crashes/id:* "$out"/*/hangs/id:*; do
            [ -f "$found" ] && line+=$'\n'"    reproduce: $FUZZ_BUILD_DIR/afl/fuzzers/$target '$found'"
        done
    fi
    summary+=("$line")
done

echo
printf '%-17s %12s %10s %9s %7s\n' target "exec/s (sum)" corpus crashes hangs
printf '%s\n' "${summary[@]}"
exit $status
