#!/usr/bin/env bash
# Gate 8, memory: the allocation suite's bounds, with their figures. The
# result-size, bounds, leak and key-cache reference suites (the ctest tests
# named below) against the Release module, and the worst case of each: the
# largest loads result relative to json's, the largest loads scratch relative
# to its bound (5% of the result plus 64 KiB), the largest dumps peak relative
# to its bound (1.1x the output plus 64 KiB), and the bytes retained after the
# leak rounds. The figures are what those suites print: after the tests gate has
# passed in the same ci/run.sh they are read from its output, otherwise (this
# gate run alone) the suites run here (lib.sh, tests_output).
source "$(dirname "$0")/lib.sh"
[ -f "$CI_BUILD/CMakeCache.txt" ] || fail "no build in $CI_BUILD (run the build gate first)"
tests_output py/test_memory_result_size py/test_memory_bounds py/test_memory_leaks py/test_memory_refcounts
status=$?
figures=$("$PYTHON" - "$CI_LOG" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def worst(pattern, key):
    values = [key(m) for m in re.finditer(pattern, text)]
    return (max(values), len(values)) if values else (None, 0)
num = lambda s: float(s.replace(",", ""))
result, n_result = worst(r"\[result size\] \S+: traced jcodec ([\d,]+) B vs json ([\d,]+) B",
                         lambda m: num(m[1]) / max(num(m[2]), 1))
scratch, n_loads = worst(r"\[bounds\] loads \S+: scratch ([\d,]+) B .*bound ([\d,]+) B",
                         lambda m: num(m[1]) / num(m[2]))
dumps, n_dumps = worst(r"\[bounds\] dumps \S+ option=\S+: peak ([\d,]+) B, .*bound ([\d,]+) B",
                       lambda m: num(m[1]) / num(m[2]))
retained, n_leaks = worst(r"\[leaks\] .*: traced ([+-][\d,]+) B", lambda m: abs(num(m[1])))
def show(v, fmt):
    return "n/a" if v is None else fmt.format(v)
print(f"result/json max {show(result, '{:.3f}')} ({n_result} docs), "
      f"loads scratch max {show(scratch, '{:.0%}')} of bound ({n_loads}), "
      f"dumps peak max {show(dumps, '{:.0%}')} of bound ({n_dumps}), "
      f"retained max {show(retained, '{:.0f}')} B ({n_leaks} cases)")
PY
)
[ $status -eq 0 ] || fail "$figures; a memory test failed (see $CI_LOG)"
pass "$figures"
