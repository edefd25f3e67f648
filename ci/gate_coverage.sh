#!/usr/bin/env bash
# Gate 10, coverage: line coverage of core/ from the whole test suite plus the
# fuzz corpus replay (ctest runs both), by clang source-based coverage. The
# instrumented build the sanitizers gate runs ($CI_BUILD-asan: ASan+UBSan and
# coverage in one tree, ci/lib.sh instrumented_suite) writes the profiles: in
# ci/run.sh this gate reports that run's, and run alone it runs the suite
# there itself (so it needs what the sanitizers gate needs: clang and its ASan
# runtime, Debian's libclang-rt-14-dev). Every process the tests start (pytest, its subprocesses, the C
# tests, the replay executables) writes its own profile; llvm-cov reports them
# merged, per file. The gate is the total over core/ at or above COVERAGE_MIN
# (90%). The suites run at CI_REPEAT_SCALE (ci/lib.sh): coverage is of the paths
# the tests name, which every test still runs, not of how many random examples
# reach them. A failing test still leaves the profiles of the processes that
# exited; the sanitizers and tests gates report the failure.
source "$(dirname "$0")/lib.sh"
minimum=${COVERAGE_MIN:-90}
suffix=${LLVM_SUFFIX:--14}
command -v "llvm-profdata$suffix" >/dev/null && command -v "llvm-cov$suffix" >/dev/null \
    || fail "llvm-profdata$suffix/llvm-cov$suffix missing (apt-get install llvm-14)"
dir=$INSTRUMENTED
profiles=$INSTRUMENTED_PROFILES
if instrumented_profiles_current; then
    echo "coverage: the profiles of this run's instrumented suite (gate sanitizers)" >>"$CI_LOG"
else
    instrumented_suite
    status=$?
    [ $status -ne 2 ] || fail "instrumented build failed (see $CI_LOG)"
    [ $status -ne 3 ] || fail "no ASan runtime: apt-get install libclang-rt-14-dev (see $CI_LOG)"
fi
compgen -G "$profiles/*.profraw" >/dev/null || fail "no coverage profiles in $profiles (see $CI_LOG)"
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
