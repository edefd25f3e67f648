#!/usr/bin/env bash
# Gate 5, performance by instruction count: callgrind over fixed loads and
# dumps workloads on the generated corpus, against ci/baseline.json (+2%).
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || fail "valgrind is not installed"
CI_BUILD=$CI_BUILD "$PYTHON" "$CI_ROOT/ci/instructions.py" regression >>"$CI_LOG" 2>&1
tail -n 1 "$CI_LOG"
