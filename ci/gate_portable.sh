#!/usr/bin/env bash
# Gate, portable: the code other architectures get (JCODEC_PORTABLE: no
# SSE2 path, the scalar scanner and str writers, the SWAR string copies),
# built on x86-64, where the other gates only ever build the SSE2 twins, and
# run through the suites of everything that has such a twin: strings and
# numbers in both directions, their errors, conformance, the differential
# suites, the C kernel and float printer tests and the fuzz corpus replay.
# test_dumps_isa is left out: it asserts that x86-64 builds have SSE2.
source "$(dirname "$0")/lib.sh"
dir=$CI_BUILD-portable
suites='^(c/.*|fuzz/.*|py/test_(loads_strings|loads_numbers|loads_errors|loads_conformance|loads_differential|loads_keycache|dumps|dumps_errors|dumps_leaves|dumps_differential|lines_loads))$'
build_tree "$dir" gcc -DJCODEC_PORTABLE=ON -DJCODEC_BUILD_BENCH=OFF -DJCODEC_LTO=OFF \
    || fail "portable build failed (see $CI_LOG)"
JCODEC_TEST_SCALE=$CI_REPEAT_SCALE log ctest --test-dir "$dir" -R "$suites" --output-on-failure -j "$JOBS"
status=$?
summary=$(grep -E 'tests passed' "$CI_LOG" | tail -1)
[ $status -eq 0 ] || fail "${summary:-ctest failed} (see $CI_LOG)"
isa=$(PYTHONPATH=$dir python3 -c 'import jcodec; print(jcodec._str_isa())')
[ "$isa" = scalar ] || fail "the portable build's str writers are $isa, not scalar"
pass "no SSE2: $summary, str writers $isa"
