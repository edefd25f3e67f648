#!/usr/bin/env bash
# Gate 2, tests: every unit, conformance, differential and allocation test
# (ctest over tests/c, tests/python and the fuzz corpus replay).
source "$(dirname "$0")/lib.sh"
log ctest --test-dir "$CI_BUILD" --output-on-failure -j "$JOBS"
status=$?
summary=$(grep -E 'tests passed' "$CI_LOG" | tail -1)
[ $status -eq 0 ] || fail "${summary:-ctest failed} (see $CI_LOG)"
pass "$summary"
