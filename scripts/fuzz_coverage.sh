#!/usr/bin/env bash
# Source-based coverage of core/ from the fuzz corpus: line and branch
# percentages per file (clang -fprofile-instr-generate -fcoverage-mapping,
# llvm-profdata-14, llvm-cov-14).
#
#   scripts/fuzz_coverage.sh [--grown] [--html DIR] [TARGET...]
#
# Replays the committed seeds, corpus/regressions/ and the generated large
# seeds (with --grown, also the corpus `make fuzz` grew in build-fuzz/corpus/)
# through replay builds of the targets, then prints llvm-cov's per-file table
# for core/ and the combined line coverage of the parser, serializer, key cache
# and allocator layer (parse*.{c,h}, serialize.c, ser_*.h, keycache.c,
# alloc.c), the files whose goal is 90%. Exit status 1 below that goal.
# Environment: FUZZ_BUILD_DIR (build-fuzz), LLVM_SUFFIX (-14).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=fuzz/common.sh
source "$root/fuzz/common.sh"
suffix=${LLVM_SUFFIX:--14}

grown=0
html=""
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --grown) grown=1; shift ;;
        --html) html=$2; shift 2 ;;
        fuzz_*) targets+=("$1"); shift ;;
        *) echo "fuzz_coverage.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${JC_FUZZ_TARGETS[@]}")

build="$FUZZ_BUILD_DIR/coverage"
flags="-fprofile-instr-generate -fcoverage-mapping"
mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" -DJCODEC_BUILD_TESTS=OFF \
    -DJCODEC_FUZZ_ENGINE= -DJCODEC_FUZZ_PLANT= >"$build/configure.log" 2>&1 \
    || { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" -j "$FUZZ_JOBS" --target $(printf 'replay_%s ' "${targets[@]}") \
    >"$build/build.log" 2>&1 || { tail -n 30 "$build/build.log" >&2; exit 1; }

profiles="$build/profiles"
rm -rf "$profiles" && mkdir -p "$profiles"
objects=()
for target in "${targets[@]}"; do
    binary="$build/fuzz-build/replay_$target"
    objects+=("$binary")
    inputs=()
    for dir in "$root/corpus/seeds/$target" "$root/corpus/regressions/$target" \
               "$build/fuzz-build/generated-seeds/$target"; do
        [ -d "$dir" ] && inputs+=("$dir")
    done
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
    echo "coverage: $target: ${#files[@]} inputs replayed${failed:+, $failed failing}"
done

"llvm-profdata$suffix" merge -sparse "$profiles"/*.profraw -o "$build/fuzz.profdata"
object_args=("${objects[0]}")
for object in "${objects[@]:1}"; do object_args+=(-object "$object"); done

goal_files=()
for f in "$root"/core/parse*.c "$root"/core/parse*.h "$root"/core/serialize.c "$root"/core/ser_*.h \
         "$root"/core/keycache.c "$root"/core/alloc.c; do
    goal_files+=("$f")
done
echo
echo "== core/ (every file)"
"llvm-cov$suffix" report "${object_args[@]}" -instr-profile="$build/fuzz.profdata" \
    -show-branch-summary "$root"/core/*.c "$root"/core/*.h | sed "s|$root/||"
echo
echo "== the 90% goal: parse*.{c,h}, serialize.c, ser_*.h, keycache.c, alloc.c"
"llvm-cov$suffix" report "${object_args[@]}" -instr-profile="$build/fuzz.profdata" \
    -show-branch-summary "${goal_files[@]}" | sed "s|$root/||" | tee "$build/goal.txt"
if [ -n "$html" ]; then
    "llvm-cov$suffix" show "${object_args[@]}" -instr-profile="$build/fuzz.profdata" \
        -format=html -output-dir="$html" -show-branches=count "$root"/core/*.c "$root"/core/*.h
    echo "coverage: HTML report in $html/index.html"
fi
# TOTAL row: ... Lines Missed Cover ... ; the line Cover column is the 3rd
# percentage on that row (regions, functions, lines, branches).
line_cover=$(awk '/^TOTAL/ { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /%$/) { n++; if (n == 3) print $i } }' "$build/goal.txt")
echo "coverage: goal files, lines: $line_cover (goal 90%)"
awk -v c="${line_cover%\%}" 'BEGIN { exit !(c + 0 >= 90) }'
