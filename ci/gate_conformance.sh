#!/usr/bin/env bash
# Gate 9, conformance: JSONTestSuite's y_ and n_ files 100% right when
# ../shared is present (and every i_ file as the decision table says), and the
# project's own conformance table, on every input type: ctest's
# py/test_loads_conformance. After the tests gate has passed in the same
# ci/run.sh its figures are read from that gate's output, otherwise (this gate
# run alone) the suite runs here (lib.sh, tests_output).
source "$(dirname "$0")/lib.sh"
[ -f "$CI_BUILD/CMakeCache.txt" ] || fail "no build in $CI_BUILD (run the build gate first)"
tests_output py/test_loads_conformance
status=$?
suite=$(grep -oE 'JSONTestSuite: y\+n [0-9]+/[0-9]+' "$CI_LOG" | tail -1)
table=$(PYTHONPATH=$CI_BUILD:$CI_ROOT/tests/conformance "$PYTHON" -c 'from cases import CASES; print(len(CASES))')
[ -n "$suite" ] || suite="JSONTestSuite skipped (../shared absent)"
[ $status -eq 0 ] || fail "$suite, own table of $table cases: failures (see $CI_LOG)"
pass "$suite, own table $table/$table cases"
