#!/usr/bin/env bash
# Gate 4, fuzz smoke: every libFuzzer target (ASan+UBSan) for FUZZ_SECONDS
# (10: eight targets in four rounds of two, one a core; the long runs are
# make fuzz-campaign's) from the committed seeds, which replay first; any finding
# (crash, sanitizer report, leak, property violation) fails the gate. The
# corpus grown here stays in $CI_BUILD-fuzz/corpus/ (git-ignored) and is reused.
source "$(dirname "$0")/lib.sh"
# The fuzzers' build tree follows CI_BUILD, like every gate's.
export FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-$CI_BUILD-fuzz}
export FUZZ_SECONDS=${FUZZ_SECONDS:-10}
root=$CI_ROOT
# shellcheck source=fuzz/common.sh
source "$CI_ROOT/fuzz/common.sh"
log bash "$CI_ROOT/fuzz/run.sh" --build-only || fail "fuzz build failed (see $CI_LOG)"
targets=("${JC_FUZZ_TARGETS[@]}")
half=$(( (${#targets[@]} + 1) / 2 ))
FUZZ_SKIP_BUILD=1 bash "$CI_ROOT/fuzz/run.sh" "${targets[@]:0:half}" >"$CI_LOG.a" 2>&1 &
first=$!
FUZZ_SKIP_BUILD=1 bash "$CI_ROOT/fuzz/run.sh" "${targets[@]:half}" >"$CI_LOG.b" 2>&1
second=$?
wait $first
first=$?
cat "$CI_LOG.a" "$CI_LOG.b" >>"$CI_LOG"
rows=$(grep -E '^fuzz_[a-z_]+ +[0-9?]' "$CI_LOG")
ok=$(grep -cE '  ok$' <<<"$rows")
execs=$(awk '$2 ~ /^[0-9]+$/ { n += $2 } END { printf "%d", n }' <<<"$rows")
[ $first -eq 0 ] && [ $second -eq 0 ] || fail "$((${#targets[@]} - ok)) of ${#targets[@]} targets found something in ${FUZZ_SECONDS}s (see $CI_LOG)"
pass "${#targets[@]} targets x ${FUZZ_SECONDS}s, 0 findings, $execs exec/s summed"
