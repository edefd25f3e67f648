#!/usr/bin/env bash
# Gate, pythons: the module on every supported CPython this machine has
# (scripts/pythons.py: 3.9 to 3.13 under pyenv; a missing one is skipped with a
# line in the log, never a failure).
#
# Each version other than the main one gets its own build tree
# ($CI_BUILD-py3.X, built with -DJCODEC_PYTHON) and runs the suites there, with
# CI_REPEAT_SCALE of the hypothesis examples and leak-check rounds and the
# Python files in CI_PYTEST_GROUPS processes (ci/lib.sh), and without what is
# the same C on every version (SAME_ON_EVERY_VERSION, below); the main version's run is
# the tests gate's (the same run is not repeated). The heavy gates
# (sanitizers, fuzzing, instruction counts, coverage) run on the main version
# only (ci/README.md). Then scripts/build_wheels.sh: a wheel per version,
# installed into a fresh venv of its version and smoke-tested there, two
# versions at a time. Figure: pytest cases per version, and the wheels.
source "$(dirname "$0")/lib.sh"
main=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
counts=()
failed=()
# ctest names; py/test_dumps_isa keeps its own in a grouped tree because
# tests/CMakeLists.txt runs it alone (JCODEC_PYTEST_ALONE).
SAME_ON_EVERY_VERSION='^(c/test_float_print.*|c/test_str_kernels|py/test_dumps_isa)$'

# Sums pytest's "N passed, M skipped" lines in a ctest log.
tally() {  # log
    "$PYTHON" - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
total = {"passed": 0, "failed": 0, "skipped": 0, "error": 0, "xfailed": 0}
for line in re.findall(r"^=*\s*(\d+ (?:passed|failed|skipped|errors?|xfailed)[^\n]*) in [\d.]+s", text, re.M):
    for n, word in re.findall(r"(\d+) (passed|failed|skipped|errors?|xfailed)", line):
        total["error" if word.startswith("error") else word] += int(n)
print(f"{total['passed']} passed, {total['skipped']} skipped, {total['failed'] + total['error']} failed")
PY
}
while read -r version python; do
    if [ "$version" = "$main" ]; then
        record=${CI_TESTS_OUTPUT:-}
        if [ "${CI_TESTS_PASSED:-}" != 1 ] || [ ! -f "$record" ]; then
            log ctest --test-dir "$CI_BUILD" -R '^(py|c)/' -j "$JOBS" || failed+=("$version")
            record=$CI_BUILD/Testing/Temporary/LastTest.log
        fi
    else
        dir=$CI_BUILD-py$version
        # Without link-time optimisation, which takes a quarter of the build
        # and changes no behaviour a version shows: the tests gate's build and
        # every wheel are linked with it.
        build_tree "$dir" gcc -DJCODEC_PYTHON="$python" -DJCODEC_WERROR=ON -DJCODEC_LTO=OFF \
            -DJCODEC_BUILD_BENCH=OFF -DJCODEC_BUILD_FUZZ=OFF -DJCODEC_PYTEST_GROUPS="$CI_PYTEST_GROUPS" \
            || { failed+=("$version (build)"); counts+=("$version build failed"); continue; }
        echo "== CPython $version ($python)" >>"$CI_LOG"
        # The suites at CI_REPEAT_SCALE, less what is the same C on every
        # version, which the tests gate runs: the float printer's exhaustive
        # sweeps (c/test_float_print*: arithmetic on doubles) and the string
        # kernels' equivalence under each instruction set (c/test_str_kernels,
        # py/test_dumps_isa: byte buffers, whatever CPython made the str).
        JCODEC_TEST_SCALE=$CI_REPEAT_SCALE \
            log ctest --test-dir "$dir" -E "$SAME_ON_EVERY_VERSION" -j "$JOBS" --output-on-failure \
            || failed+=("$version")
        record=$dir/Testing/Temporary/LastTest.log
    fi
    counts+=("$version $(tally "$record")")
done < <("$PYTHON" "$CI_ROOT/scripts/pythons.py" 2>>"$CI_LOG")
[ ${#counts[@]} -gt 0 ] || fail "no supported CPython found (scripts/pythons.py)"
# The wheels: one per version, each installed into a fresh venv and imported.
if log bash "$CI_ROOT/scripts/build_wheels.sh"; then
    wheels=$(grep -o '[0-9]* wheels built and smoke-tested' "$CI_LOG" | tail -1)
else
    failed+=("wheels")
    wheels="wheels failed"
fi
figure="$(IFS=';'; echo "${counts[*]}" | sed 's/;/; /g'); ${wheels:-}"
[ ${#failed[@]} -eq 0 ] || fail "${failed[*]} failed: $figure (see $CI_LOG)"
pass "$figure"
