#!/usr/bin/env bash
# Runs every regression gate (ci/README.md) and prints one line per gate, then
# "N passed, M failed". Exit status 1 when a gate fails. GATES="build tests"
# runs a subset.
set -uo pipefail
cd "$(dirname "$0")/.."

ALL_GATES="build tests sanitizers fuzz_smoke instructions peers keycache memory conformance coverage lint"
passed=0
failed=0
start=$SECONDS
for gate in ${GATES:-$ALL_GATES}; do
    t0=$SECONDS
    output=$(bash "ci/gate_$gate.sh")
    verdict=$(tail -n 1 <<<"$output")
    # A gate may print details (the coverage table) above its verdict.
    details=$(head -n -1 <<<"$output")
    [ -z "$details" ] || printf '%s\n' "$details"
    [ -n "$verdict" ] || verdict="FAIL no verdict (see build/ci/gate_$gate.log)"
    printf '%-4s  %-12s %s  (%ds)\n' "${verdict%% *}" "$gate" "${verdict#* }" $((SECONDS - t0))
    if [ "${verdict%% *}" = PASS ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed ($((SECONDS - start))s; logs in build/ci/)"
[ "$failed" -eq 0 ]
