#!/usr/bin/env bash
# Corpus minimisation: keeps the smallest set of units that covers what the
# whole grown corpus covers.
#
#   fuzz/fuzz_cmin.sh [--afl] [TARGET...]   (TARGET: from fuzz/targets.txt)
#
# libFuzzer (default): fuzz_<target> -merge=1 into a fresh directory, from the
# grown corpus (build-fuzz/corpus/<target>) plus the AFL++ queues when present,
# which then replaces the grown corpus.
# --afl: afl-cmin over the same units with the AFL++ build, written to
# build-fuzz/afl-cmin/<target> (usable as `afl-fuzz -i`).
# The committed seeds are never touched: they are chosen by hand
# (corpus/seeds/generate.py).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=fuzz/common.sh
source "$root/fuzz/common.sh"

afl=0
jc_fuzz_args "--afl" "$@"
if [ "$afl" = 1 ]; then engine=afl; jc_fuzz_afl_env; else engine=libfuzzer; jc_fuzz_sanitizer_env; fi

for target in "${targets[@]}"; do
    binary=$(jc_fuzz_binary "$engine" "$target")
    sources=()
    for dir in "$FUZZ_BUILD_DIR/corpus/$target" "$FUZZ_BUILD_DIR"/afl-out/"$target"/*/queue; do
        [ -d "$dir" ] && sources+=("$dir")
    done
    if [ ${#sources[@]} -eq 0 ]; then
        echo "cmin: $target: no grown corpus yet (run make fuzz first)"
        continue
    fi
    before=$(find "${sources[@]}" -maxdepth 1 -type f | wc -l)
    if [ "$afl" = 1 ]; then
        out="$FUZZ_BUILD_DIR/afl-cmin/$target"
        all="$FUZZ_BUILD_DIR/afl-cmin/$target.all"
        rm -rf "$out" "$all"
        jc_fuzz_gather "$all" "${sources[@]}"
        AFL_ALLOW_TMP=1 afl-cmin -i "$all" -o "$out" -m none -t 25000 -- "$binary" >"$out.log" 2>&1 \
            || { tail -n 20 "$out.log" >&2; exit 1; }
        rm -rf "$all"
    else
        out="$FUZZ_BUILD_DIR/corpus/$target.merged"
        rm -rf "$out" && mkdir -p "$out"
        mapfile -t options < <(jc_fuzz_libfuzzer_options "$target")
        "$binary" "${options[@]}" -merge=1 -detect_leaks=0 "$out" "${sources[@]}" >"$out.log" 2>&1 \
            || { tail -n 20 "$out.log" >&2; exit 1; }
        rm -rf "$FUZZ_BUILD_DIR/corpus/$target"
        mv "$out" "$FUZZ_BUILD_DIR/corpus/$target"
        out="$FUZZ_BUILD_DIR/corpus/$target"
    fi
    echo "cmin: $target: $before units -> $(find "$out" -type f | wc -l) in $out"
done
