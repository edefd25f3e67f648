# Shared by the gate scripts: where builds and logs go, how a gate reports.
# A gate writes its details to $CI_LOG and ends with exactly one verdict line on
# stdout: "PASS <figure>" (exit status 0) or "FAIL <figure>" (exit status 1),
# whether ci/run.sh runs it or it is run alone.

set -uo pipefail

CI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The Release build every gate measures. The gates' other build trees are named
# after it ($CI_BUILD-clang, $CI_BUILD-asan, $CI_BUILD-tidy, ...),
# so two checkouts, or two runs with different CI_BUILD, never share one.
CI_BUILD=$(realpath -m "${CI_BUILD:-$CI_ROOT/build}")
export CI_BUILD
CI_LOG_DIR=${CI_LOG_DIR:-$CI_BUILD/ci}
mkdir -p "$CI_LOG_DIR"
CI_LOG=$CI_LOG_DIR/$(basename "$0" .sh).log
: > "$CI_LOG"
# The whole output of every test in the tests gate's ctest run (ctest's
# LastTest.log, kept by gate_tests.sh), for the gates that report figures the
# tests print (see tests_output).
CI_TESTS_OUTPUT=$CI_LOG_DIR/gate_tests.output
# The reference data (../shared, JCODEC_SHARED_DIR overrides) is found by
# scripts/project.py, in the Python the gates run.
# Deterministic hashing for everything measured: CPython's and the key cache's.
export PYTHONHASHSEED=0 JCODEC_HASH_SEED=0x9e3779b97f4a7c15
# The real interpreter (python3 may be a pyenv shim script, which valgrind
# would follow instead of Python).
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
JOBS=${JOBS:-2}
# The gates that run the test suites again to show something the tests gate
# cannot (another CPython version, sanitizer reports, coverage) run them with
# this fraction of the hypothesis examples and leak-check rounds
# (JCODEC_TEST_SCALE, tests/python/support.py): every test and every path it
# names still runs, with fewer random inputs; the searching at full scale is
# the tests gate's. CI_REPEAT_SCALE=1 repeats it everywhere.
CI_REPEAT_SCALE=${CI_REPEAT_SCALE:-0.1}
# Those gates' trees also run the Python suites as this many pytest processes
# (JCODEC_PYTEST_GROUPS, tests/CMakeLists.txt), not one per file as the tests
# gate does: pytest, hypothesis and numpy start in about 1.3 s (more under
# ASan), which per file was a quarter of such a run. Enough groups that the two
# cores end together, few enough that start-up stays small.
CI_PYTEST_GROUPS=${CI_PYTEST_GROUPS:-4}

pass() { echo "PASS $*"; exit 0; }
fail() { echo "FAIL $*"; exit 1; }
log() { "$@" >>"$CI_LOG" 2>&1; }

# Runs a command that prints its details and ends with its own verdict line
# (ci/instructions.py, ci/keycache_rates.py), details into $CI_LOG, and ends the
# gate with that verdict: PASS only when the line says PASS and the command
# exited 0.
verdict_of() {  # command [args...]
    local status line
    log "$@"
    status=$?
    line=$(tail -n 1 "$CI_LOG")
    case $line in
        "PASS "*) [ $status -eq 0 ] && pass "${line#PASS }"
                  fail "exit status $status after \"$line\" (see $CI_LOG)" ;;
        "FAIL "*) fail "${line#FAIL }" ;;
        *) fail "exit status $status without a verdict (see $CI_LOG)" ;;
    esac
}

# Configures and builds one build directory; extra arguments go to cmake.
# Configured every time (a second or two on an existing tree), so that a tree
# made before a gate's options changed gets them; the compiler is fixed when
# the tree is made.
build_tree() {  # dir cc [cmake args...]
    local dir=$1 cc=$2
    shift 2
    CC=$cc log cmake -S "$CI_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" || return 1
    log cmake --build "$dir" -j "$JOBS"
}

# The instrumented build the sanitizers and coverage gates share: clang
# ASan+UBSan and source coverage in one tree, so the whole suite runs once and
# yields both the sanitizer reports and the coverage profiles (ci/README.md).
INSTRUMENTED=$CI_BUILD-asan
INSTRUMENTED_PROFILES=$INSTRUMENTED/profiles
# Builds $INSTRUMENTED and runs the whole ctest suite there at CI_REPEAT_SCALE,
# output to $CI_LOG, each process writing its coverage profile. CPython is not
# instrumented, so the ASan runtime is preloaded into it, and
# PYTHONMALLOC=malloc sends PyMem blocks through malloc, where ASan sees
# overruns (pymalloc's arenas would hide them). Leak detection is off: an
# interpreter exits with deliberate leaks; the fuzz harness checks leaks with
# suppressions, and the allocation suite through tracemalloc. Writes the run's
# CI_RUN_ID (ci/run.sh) beside the profiles, so a later gate of the same run
# can tell they are this code's (instrumented_profiles_current). Status: 2 when
# the build failed, 3 when clang's ASan runtime is missing, 1 when a test
# failed, else 0.
instrumented_suite() {
    local runtime status
    build_tree "$INSTRUMENTED" clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DJCODEC_SANITIZE=address,undefined -DJCODEC_COVERAGE=ON -DJCODEC_BUILD_BENCH=OFF \
        -DJCODEC_PYTEST_GROUPS="$CI_PYTEST_GROUPS" \
        -DCMAKE_C_FLAGS=-shared-libasan -DCMAKE_CXX_FLAGS=-shared-libasan || return 2
    runtime=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
    if [ ! -f "$runtime" ]; then
        echo "no ASan runtime at $runtime (Debian: libclang-rt-14-dev)" >>"$CI_LOG"
        return 3
    fi
    rm -rf "$INSTRUMENTED_PROFILES" && mkdir -p "$INSTRUMENTED_PROFILES"
    LD_PRELOAD=$runtime PYTHONMALLOC=malloc JCODEC_TEST_SCALE=$CI_REPEAT_SCALE \
        LLVM_PROFILE_FILE="$INSTRUMENTED_PROFILES/%p-%m.profraw" \
        ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        log ctest --test-dir "$INSTRUMENTED" --output-on-failure -j "$JOBS"
    status=$?
    [ -z "${CI_RUN_ID:-}" ] || echo "$CI_RUN_ID" >"$INSTRUMENTED_PROFILES/run_id"
    [ $status -eq 0 ] || return 1
}
# True when $INSTRUMENTED_PROFILES were written by this ci/run.sh run.
instrumented_profiles_current() {
    [ -n "${CI_RUN_ID:-}" ] && [ "$(cat "$INSTRUMENTED_PROFILES/run_id" 2>/dev/null)" = "$CI_RUN_ID" ]
}

# Appends to $CI_LOG the output of the named ctest tests in $CI_BUILD (e.g.
# py/test_memory_bounds), for a gate that reports figures those tests print and
# would otherwise run them a second time. Inside a `ci/run.sh` run in which the
# tests gate passed (ci/run.sh then exports CI_TESTS_PASSED=1) the output is
# taken from that gate's run; otherwise (the gate run alone, or the tests gate
# not run or failed) the tests are run here. Status 1 when one of them fails
# or is missing.
tests_output() {  # test names...
    local names=" $* " regex status=0 record=$CI_TESTS_OUTPUT
    regex="^($(IFS='|'; echo "$*"))\$"
    if [ "${CI_TESTS_PASSED:-}" = 1 ] && [ -f "$CI_TESTS_OUTPUT" ]; then
        echo "== from the tests gate's run ($CI_TESTS_OUTPUT): $*" >>"$CI_LOG"
    else
        log ctest --test-dir "$CI_BUILD" -R "$regex" --output-on-failure -j "$JOBS" || status=1
        record=$CI_BUILD/Testing/Temporary/LastTest.log
    fi
    # ctest's LastTest.log: a block per test from "N/M Test: NAME" on.
    awk -v names="$names" '
        /^[0-9]+\/[0-9]+ Test: / { keep = index(names, " " $3 " ") > 0; if (keep) found[$3] = 1 }
        keep { print }
        END {
            n = split(names, wanted, " ")
            for (i = 1; i <= n; i++)
                if (!(wanted[i] in found)) { print "missing from the output: " wanted[i]; missing = 1 }
            exit missing
        }' "$record" >>"$CI_LOG" 2>&1 || status=1
    return $status
}
