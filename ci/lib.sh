# Shared by the gate scripts: where logs go, how a gate reports.
# A gate writes its details to $CI_LOG and ends with exactly one verdict line on
# stdout: "PASS <figure>" or "FAIL <figure>" (the runner prints it).

set -uo pipefail

CI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CI_BUILD=${CI_BUILD:-$CI_ROOT/build}
CI_LOG_DIR=${CI_LOG_DIR:-$CI_BUILD/ci}
mkdir -p "$CI_LOG_DIR"
CI_LOG=$CI_LOG_DIR/$(basename "$0" .sh).log
: > "$CI_LOG"
SHARED=${JCODEC_SHARED_DIR:-$CI_ROOT/../shared}
# Deterministic hashing for everything measured: CPython's and the key cache's.
export PYTHONHASHSEED=0 JCODEC_HASH_SEED=0x9e3779b97f4a7c15
# The real interpreter (python3 may be a pyenv shim script, which valgrind
# would follow instead of Python).
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
JOBS=${JOBS:-2}

pass() { echo "PASS $*"; exit 0; }
fail() { echo "FAIL $*"; exit 1; }
log() { "$@" >>"$CI_LOG" 2>&1; }

# Configures and builds one build directory; extra arguments go to cmake.
build_tree() {  # dir cc [cmake args...]
    local dir=$1 cc=$2
    shift 2
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        CC=$cc log cmake -S "$CI_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" || return 1
    fi
    log cmake --build "$dir" -j "$JOBS"
}
