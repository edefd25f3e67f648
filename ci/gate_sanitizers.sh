#!/usr/bin/env bash
# Gate 3, sanitizers: an ASan+UBSan build ($CI_BUILD-asan; clang,
# -fno-sanitize-recover) runs the whole ctest suite again, instrumented: the C
# tests, the Python tests against the instrumented module, and the fuzz corpus
# replay. CPython is not instrumented, so the ASan runtime is preloaded into it,
# and PYTHONMALLOC=malloc sends PyMem blocks through malloc, where ASan sees
# overruns (pymalloc's arenas would hide them). The suites run at
# CI_REPEAT_SCALE (ci/lib.sh): every test and path, fewer random examples.
# Leak detection is off here: an interpreter exits with deliberate leaks; the
# fuzz harness checks leaks with suppressions, and the allocation suite checks
# them through tracemalloc.
source "$(dirname "$0")/lib.sh"
dir=$CI_BUILD-asan
build_tree "$dir" clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJCODEC_SANITIZE=address,undefined -DJCODEC_BUILD_BENCH=OFF \
    -DCMAKE_C_FLAGS=-shared-libasan -DCMAKE_CXX_FLAGS=-shared-libasan \
    || fail "sanitizer build failed (see $CI_LOG)"
runtime=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
[ -f "$runtime" ] || fail "no ASan runtime at $runtime (Debian: libclang-rt-14-dev)"
LD_PRELOAD=$runtime PYTHONMALLOC=malloc JCODEC_TEST_SCALE=$CI_REPEAT_SCALE \
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    log ctest --test-dir "$dir" --output-on-failure -j "$JOBS"
status=$?
summary=$(grep -E 'tests passed' "$CI_LOG" | tail -1)
reports=$(grep -cE 'ERROR: AddressSanitizer|runtime error:' "$CI_LOG")
[ $status -eq 0 ] && [ "$reports" -eq 0 ] || fail "${summary:-ctest failed}, $reports sanitizer reports (see $CI_LOG)"
pass "ASan+UBSan: $summary, 0 reports"
