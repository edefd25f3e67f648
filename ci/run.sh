#!/usr/bin/env bash
# Runs every regression gate (ci/README.md) and prints one line per gate, then
# "N passed, M failed". Exit status 1 when a gate fails. GATES="build tests"
# runs a subset. A gate passes when its verdict line says PASS and it exits 0.
set -uo pipefail
cd "$(dirname "$0")/.."

ALL_GATES="build tests pythons sanitizers portable fuzz_smoke instructions scaling peers keycache memory conformance coverage lint"
CI_BUILD=$(realpath -m "${CI_BUILD:-build}")
export CI_BUILD
log_dir=${CI_LOG_DIR:-$CI_BUILD/ci}
log_dir=${log_dir#"$PWD"/}  # relative to the project root when under it (build/ci)
# Set once the tests gate has passed in this run: the gates that report what
# the tests print then read it from that gate's output (ci/lib.sh, tests_output).
unset CI_TESTS_PASSED
# Names this run, so a gate can tell what an earlier gate of the same run left
# (the coverage gate reports the profiles of the sanitizers gate's suite).
export CI_RUN_ID="$$-$(date +%s%N)"
passed=0
failed=0
start=$SECONDS
for gate in ${GATES:-$ALL_GATES}; do
    t0=$SECONDS
    output=$(bash "ci/gate_$gate.sh")
    status=$?
    verdict=$(tail -n 1 <<<"$output")
    # A gate may print details (the coverage table) above its verdict.
    details=$(head -n -1 <<<"$output")
    [ -z "$details" ] || printf '%s\n' "$details"
    [ -n "$verdict" ] || verdict="FAIL no verdict (see $log_dir/gate_$gate.log)"
    if [ "${verdict%% *}" = PASS ] && [ $status -ne 0 ]; then
        verdict="FAIL exit status $status after: $verdict"
    fi
    printf '%-4s  %-12s %s  (%ds)\n' "${verdict%% *}" "$gate" "${verdict#* }" $((SECONDS - t0))
    if [ "${verdict%% *}" = PASS ]; then
        passed=$((passed + 1))
        [ "$gate" = tests ] && export CI_TESTS_PASSED=1
    else
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed ($((SECONDS - start))s; logs in $log_dir/)"
[ "$failed" -eq 0 ]
