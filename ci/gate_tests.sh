#!/usr/bin/env bash
# Gate 2, tests: every unit, conformance, differential and allocation test
# (ctest over tests/c, tests/python, the fuzz corpus replay and the bench
# smoke run). The whole output of every test is kept ($CI_TESTS_OUTPUT), so
# the memory and conformance gates report the figures these tests print
# without running them again (ci/README.md, "What each gate runs").
source "$(dirname "$0")/lib.sh"
rm -f "$CI_TESTS_OUTPUT"
log ctest --test-dir "$CI_BUILD" --output-on-failure -j "$JOBS"
status=$?
cp "$CI_BUILD/Testing/Temporary/LastTest.log" "$CI_TESTS_OUTPUT" 2>/dev/null
summary=$(grep -E 'tests passed' "$CI_LOG" | tail -1)
[ $status -eq 0 ] || fail "${summary:-ctest failed} (see $CI_LOG)"
pass "$summary"
