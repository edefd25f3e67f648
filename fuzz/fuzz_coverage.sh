#!/usr/bin/env bash
# Source-based coverage of core/ from the fuzz corpus: line and branch
# percentages per file (clang -fprofile-instr-generate -fcoverage-mapping,
# llvm-profdata-14, llvm-cov-14).
#
#   fuzz/fuzz_coverage.sh [--grown] [--html DIR] [TARGET...]
#
# Replays the committed seeds, corpus/regressions/ and the generated large
# seeds (with --grown, also the corpus `make fuzz` grew in build-fuzz/corpus/)
# through replay builds of the targets (TARGET: from fuzz/targets.txt; all by
# default), then prints llvm-cov's per-file table for core/ (but the generated
# core/tables/) and the combined line coverage of the decoder and encoder
# stages, key cache included, and the allocator layer (core/decode/,
# core/encode/, core/alloc.c), the files whose goal is 90%. Exit status 1 below
# that goal.
# Environment: FUZZ_BUILD_DIR (build-fuzz), LLVM_SUFFIX (-14).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=fuzz/common.sh
source "$root/fuzz/common.sh"
suffix=${LLVM_SUFFIX:--14}

grown=0 html=""
jc_fuzz_args "--grown --html=" "$@"

build="$FUZZ_BUILD_DIR/coverage"
jc_fuzz_configure "$build" clang clang++ "" "" -DJCODEC_COVERAGE=ON -DJCODEC_FUZZ_PLANT=
jc_fuzz_build "$build" "${targets[@]/#/replay_}"

profiles="$build/profiles"
rm -rf "$profiles" && mkdir -p "$profiles"
objects=()
for target in "${targets[@]}"; do
    binary="$build/fuzz-build/replay_$target"
    objects+=("$binary")
    mapfile -t inputs < <(jc_fuzz_replay_dirs "$target" "$build/fuzz-build/generated-seeds")
    [ "$grown" = 1 ] && [ -d "$FUZZ_BUILD_DIR/corpus/$target" ] && inputs+=("$FUZZ_BUILD_DIR/corpus/$target")
    mapfile -t files < <(find "${inputs[@]}" -type f ! -name '.*' | sort)
    # Batches of files per process; a batch that aborts (a finding) loses its
    # profile, so its files are replayed one per process, keeping the rest.
    failed=0
    for ((i = 0; i < ${#files[@]}; i += 200)); do
        batch=("${files[@]:i:200}")
        if ! LLVM_PROFILE_FILE="$profiles/$target-%p.profraw" "$binary" "${batch[@]}" >/dev/null 2>&1; then
            for file in "${batch[@]}"; do
                LLVM_PROFILE_FILE="$profiles/$target-%p.profraw" "$binary" "$file" >/dev/null 2>&1 \
                    || { failed=$((failed + 1)); echo "coverage: $target fails on $file (a finding: replay it)" >&2; }
            done
        fi
    done
    echo "coverage: $target: ${#files[@]} inputs replayed$([ "$failed" = 0 ] || echo ", $failed failing")"
done

"llvm-profdata$suffix" merge -sparse "$profiles"/*.profraw -o "$build/fuzz.profdata"
object_args=("${objects[0]}")
for object in "${objects[@]:1}"; do object_args+=(-object "$object"); done

# Every file of core/ but the generated tables, and the files with the 90%
# goal: the decoder and encoder stages (key cache included) and the allocator.
mapfile -t all_files < <(find "$root/core" -path "$root/core/tables" -prune -o -name '*.[ch]' -print | sort)
mapfile -t goal_files < <(find "$root/core/decode" "$root/core/encode" -name '*.[ch]' | sort; echo "$root/core/alloc.c")
report() {
    "llvm-cov$suffix" report "${object_args[@]}" -instr-profile="$build/fuzz.profdata" \
        -show-branch-summary "$@" | sed "s|$root/||"
}
echo
echo "== core/ (every file but core/tables/)"
report "${all_files[@]}"
echo
echo "== the 90% goal: core/decode/, core/encode/, core/alloc.c"
report "${goal_files[@]}" | tee "$build/goal.txt"
if [ -n "$html" ]; then
    "llvm-cov$suffix" show "${object_args[@]}" -instr-profile="$build/fuzz.profdata" \
        -format=html -output-dir="$html" -show-branches=count "${all_files[@]}"
    echo "coverage: HTML report in $html/index.html"
fi
# TOTAL row: ... Lines Missed Cover ... ; the line Cover column is the 3rd
# percentage on that row (regions, functions, lines, branches).
line_cover=$(awk '/^TOTAL/ { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /%$/) { n++; if (n == 3) print $i } }' "$build/goal.txt")
echo "coverage: goal files, lines: $line_cover (goal 90%)"
awk -v c="${line_cover%\%}" 'BEGIN { exit !(c + 0 >= 90) }'
