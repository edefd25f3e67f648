#!/usr/bin/env bash
# Gate 7, key cache: hit rate per shared and generated document at least the
# recorded baseline minus 0.5 percentage points.
source "$(dirname "$0")/lib.sh"
PYTHONPATH=$CI_BUILD verdict_of "$PYTHON" "$CI_ROOT/ci/keycache_rates.py"
