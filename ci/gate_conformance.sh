#!/usr/bin/env bash
# Gate 9, conformance: JSONTestSuite's y_ and n_ files 100% right when
# ../shared is present (and every i_ file as the decision table says), and the
# project's own conformance table, on every input type.
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT"
PYTHONPATH=$CI_BUILD JCODEC_SHARED_DIR=$SHARED \
    log "$PYTHON" tests/run_pytest.py tests/python/test_conformance.py -rs -s
status=$?
suite=$(grep -oE 'JSONTestSuite: y\+n [0-9]+/[0-9]+' "$CI_LOG" | tail -1)
table=$(PYTHONPATH=$CI_BUILD:$CI_ROOT/tests/conformance "$PYTHON" -c 'from cases import CASES; print(len(CASES))')
[ -n "$suite" ] || suite="JSONTestSuite skipped (../shared absent)"
[ $status -eq 0 ] || fail "$suite, own table of $table cases: failures (see $CI_LOG)"
pass "$suite, own table $table/$table cases"
