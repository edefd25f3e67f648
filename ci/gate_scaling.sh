#!/usr/bin/env bash
# Gate, scaling: cost stays linear in the document's size. Callgrind counts
# the instructions of loads and dumps of each generated shape at 1 MiB and at
# 64 MiB (only inside jc_loads/jc_dumps); the instructions per byte at 64 MiB
# must stay within 1.10x of those at 1 MiB (ci/scaling.py says how, and what
# is measured per key-value pair rather than per byte). The documents are
# generated once per version of corpus/generate.py into $CI_BUILD/scaling/.
# Details in $CI_LOG; the table is printed above the verdict.
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || fail "valgrind is not installed (scripts/ensure-deps.sh check)"
log "$PYTHON" "$CI_ROOT/ci/scaling.py"
status=$?
# The table: its lines are the ones the measurer indents by two spaces.
grep '^  ' "$CI_LOG"
# The measurer's verdict is now the last line of $CI_LOG; verdict_of judges
# it with the measurer's exit status (a command that adds nothing to the log).
exit_status() { return "$1"; }
verdict_of exit_status "$status"
