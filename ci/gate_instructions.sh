#!/usr/bin/env bash
# Gate 5, performance by instruction count: callgrind over fixed loads and
# dumps workloads on the generated corpus, against ci/baseline.json (+2%).
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || fail "valgrind is not installed"
verdict_of "$PYTHON" "$CI_ROOT/ci/instructions.py" regression
