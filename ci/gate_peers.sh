#!/usr/bin/env bash
# Gate 6, peers: jcodec vs orjson instructions per loads and per dumps on each
# shared document, at or under 1.00. Wall-time ratios from ./bench's JSON
# ($CI_BUILD/bench.json, written by `make bench`) are printed beside them, not
# gated.
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || fail "valgrind is not installed"
"$PYTHON" -c 'import orjson' 2>/dev/null || pass "skipped: orjson is not importable"
verdict_of "$PYTHON" "$CI_ROOT/ci/instructions.py" peers
