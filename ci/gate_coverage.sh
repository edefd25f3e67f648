#!/usr/bin/env bash
# Gate 10, coverage: line coverage of core/ from the whole test suite plus the
# fuzz corpus replay (ctest runs both), by clang source-based coverage in its
# own instrumented build ($CI_BUILD-coverage), so ctest runs again there. Every
# process the tests start (pytest, its subprocesses, the C tests, the replay
# executables) writes its own profile; llvm-cov reports them merged, per file.
# The gate is the total over core/ at or above COVERAGE_MIN (90%). The suites
# run at CI_REPEAT_SCALE (ci/lib.sh): coverage is of the paths the tests name,
# which every test still runs, not of how many random examples reach them.
source "$(dirname "$0")/lib.sh"
minimum=${COVERAGE_MIN:-90}
suffix=${LLVM_SUFFIX:--14}
command -v "llvm-profdata$suffix" >/dev/null && command -v "llvm-cov$suffix" >/dev/null \
    || fail "llvm-profdata$suffix/llvm-cov$suffix missing (apt-get install llvm-14)"
dir=$CI_BUILD-coverage
build_tree "$dir" clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJCODEC_COVERAGE=ON -DJCODEC_BUILD_BENCH=OFF \
    || fail "coverage build failed (see $CI_LOG)"
profiles=$dir/profiles
rm -rf "$profiles" && mkdir -p "$profiles"
# A failing test still leaves its profile; the tests gate reports the failure.
LLVM_PROFILE_FILE="$profiles/%p-%m.profraw" JCODEC_TEST_SCALE=$CI_REPEAT_SCALE log ctest --test-dir "$dir" --output-on-failure -j "$JOBS" \
    || echo "coverage: some tests failed in the coverage build (the tests gate reports them)" >>"$CI_LOG"
log "llvm-profdata$suffix" merge -sparse "$profiles"/*.profraw -o "$dir/all.profdata" \
    || fail "llvm-profdata merge failed (see $CI_LOG)"
objects=("$dir"/jcodec/_jcodec*.so)  # the package's extension (CMakeLists.txt)
for binary in "$dir"/tests-build/test_* "$dir"/fuzz-build/replay_*; do
    [ -x "$binary" ] && objects+=(-object "$binary")
done
"llvm-cov$suffix" report "${objects[@]}" -instr-profile="$dir/all.profdata" \
    $(git -C "$CI_ROOT" ls-files "core/*.[ch]" | grep -v "^core/tables/" | sed "s|^|$CI_ROOT/|") >"$dir/coverage.txt" 2>>"$CI_LOG" \
    || fail "llvm-cov report failed (see $CI_LOG)"
# Per file: name, line coverage (columns: regions, missed, cover, functions,
# missed, executed, lines, missed, cover, branches...).
awk 'NR > 2 && $1 != "TOTAL" && NF >= 10 && $1 !~ /^-/ { sub(".*/core/", "core/", $1); printf "  %-28s %8s lines %7s\n", $1, $8, $10 }' \
    "$dir/coverage.txt" | tee -a "$CI_LOG"
total=$(awk '$1 == "TOTAL" { print $10 }' "$dir/coverage.txt")
[ -n "$total" ] || fail "no TOTAL in llvm-cov's report (see $dir/coverage.txt)"
awk -v t="${total%\%}" -v m="$minimum" 'BEGIN { exit !(t >= m) }' \
    || fail "core/ line coverage $total < $minimum%"
pass "core/ line coverage $total (>= $minimum%; per file in $CI_LOG)"
