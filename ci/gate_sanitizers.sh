#!/usr/bin/env bash
# Gate 3, sanitizers: the instrumented build ($CI_BUILD-asan; clang ASan+UBSan,
# -fno-sanitize-recover, and source coverage) runs the whole ctest suite again:
# the C tests, the Python tests against the instrumented module, and the fuzz
# corpus replay, at CI_REPEAT_SCALE (ci/lib.sh): every test and path, fewer
# random examples. How CPython runs under ASan: instrumented_suite in ci/lib.sh.
# The same run leaves the coverage profiles the coverage gate reports.
source "$(dirname "$0")/lib.sh"
instrumented_suite
status=$?
[ $status -ne 2 ] || fail "sanitizer build failed (see $CI_LOG)"
[ $status -ne 3 ] || fail "no ASan runtime: apt-get install libclang-rt-14-dev (see $CI_LOG)"
summary=$(grep -E 'tests passed' "$CI_LOG" | tail -1)
reports=$(grep -cE 'ERROR: AddressSanitizer|runtime error:' "$CI_LOG")
[ $status -eq 0 ] && [ "$reports" -eq 0 ] || fail "${summary:-ctest failed}, $reports sanitizer reports (see $CI_LOG)"
pass "ASan+UBSan: $summary, 0 reports"
