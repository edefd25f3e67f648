#!/usr/bin/env bash
# `make baseline`: rewrites ci/baseline.json's instruction counts and key-cache
# hit rates from the current build, with the seeds the gates use (ci/lib.sh).
# Run it only on purpose (a faster parser, a different cache policy) and say in
# the commit why the numbers moved; the diff shows by how much.
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
CI_BUILD=$CI_BUILD "$PYTHON" "$CI_ROOT/ci/instructions.py" regression --update || exit 1
PYTHONPATH=$CI_BUILD "$PYTHON" "$CI_ROOT/ci/keycache_rates.py" --update || exit 1
git -C "$CI_ROOT" --no-pager diff --stat -- ci/baseline.json
