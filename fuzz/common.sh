# Shared by fuzz/run.sh, fuzz/run_afl.sh and scripts/fuzz_*.sh (sourced, with
# $root set to the project root). Builds configure the whole project in their
# own directory under $FUZZ_BUILD_DIR, so the core is compiled with the same
# compiler, instrumentation and sanitizers as the targets.

JC_FUZZ_TARGETS=(fuzz_loads fuzz_roundtrip fuzz_dumps fuzz_keycache fuzz_alloc_fail fuzz_numbers fuzz_scan)
# Targets whose input is a JSON document (after a short header at most): they
# also start from ../shared/corpus and use corpus/json.dict.
JC_FUZZ_JSON_TARGETS=" fuzz_loads fuzz_roundtrip fuzz_alloc_fail "

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-$root/build-fuzz}
FUZZ_JOBS=${FUZZ_JOBS:-2}
JC_SHARED_DIR=${JCODEC_SHARED_DIR:-$root/../shared}

# jc_fuzz_configure DIR CC CXX CFLAGS ENGINE_LINK_FLAG [CMAKE_ARGS...]
jc_fuzz_configure() {
    local dir=$1 cc=$2 cxx=$3 cflags=$4 engine=$5
    shift 5
    mkdir -p "$dir"
    cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_C_FLAGS="$cflags" -DCMAKE_CXX_FLAGS="$cflags" \
        -DJCODEC_BUILD_TESTS=OFF -DJCODEC_FUZZ_ENGINE="$engine" "$@" >"$dir/configure.log" 2>&1 \
        || { cat "$dir/configure.log" >&2; return 1; }
}

jc_fuzz_build() {
    cmake --build "$1" --target fuzzers -j "$FUZZ_JOBS" >"$1/build.log" 2>&1 \
        || { tail -n 40 "$1/build.log" >&2; return 1; }
}

# The large seeds (a million '[' and such) are generated, never committed.
jc_fuzz_generate_large_seeds() {
    python3 "$root/corpus/seeds/generate.py" --large "$FUZZ_BUILD_DIR/generated-seeds"
}

# Read-only seed directories of a target, one per line (those that exist).
jc_fuzz_seed_dirs() {
    local target=$1 dir
    for dir in "$root/corpus/seeds/$target" "$root/corpus/regressions/$target" \
               "$FUZZ_BUILD_DIR/generated-seeds/$target"; do
        [ -d "$dir" ] && echo "$dir"
    done
    if [[ $JC_FUZZ_JSON_TARGETS == *" $target "* ]]; then
        if [ -d "$JC_SHARED_DIR/corpus" ]; then
            echo "$JC_SHARED_DIR/corpus"
        else
            echo "run: ../shared/corpus absent: fuzzing $target from the project's seeds only" >&2
        fi
    fi
    return 0
}

# corpus/<target>.options ([libfuzzer] section, OSS-Fuzz's format) as flags.
jc_fuzz_libfuzzer_options() {
    local file="$root/corpus/$1.options"
    [ -f "$file" ] || return 0
    awk -v dir="$root/corpus" '
        /^\[/ { section = $0; next }
        section == "[libfuzzer]" && /=/ {
            key = $1; sub(/^[^=]*=[ \t]*/, ""); value = $0
            if (key == "dict") value = dir "/" value
            print "-" key "=" value
        }' "$file"
}

# Option value of a target's .options file (e.g. max_len), or $2 when absent.
jc_fuzz_option() {
    local value
    value=$(jc_fuzz_libfuzzer_options "$1" | sed -n "s/^-$2=//p")
    echo "${value:-$3}"
}

# ASan/UBSan/LSan settings for every run. LeakSanitizer reports only real leaks:
# CPython runs on malloc (fuzz_common.c), so every object is visible to its
# reachability scan and the interpreter's own start-up allocations stay
# reachable from its globals; fuzz/lsan.supp lists the few that are not.
jc_fuzz_sanitizer_env() {
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1}"
    export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp:print_suppressions=0}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
}

# One line of the results table, plus a reproduce command per finding.
# jc_fuzz_summarize TARGET LOG CORPUS_DIR EXIT_STATUS BINARY
jc_fuzz_summarize() {
    local target=$1 log=$2 corpus=$3 rc=$4 binary=$5
    local status_line execs cov ft units bytes result artifact
    status_line=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::average_exec_per_sec:[ ]*//p' "$log" | tail -n 1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status_line")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status_line")
    units=$(find "$corpus" -type f | wc -l)
    bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{ n += $1 } END { printf "%d", n / 1024 }')
    result="ok"
    if [ "$rc" != 0 ]; then
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        result="FINDING ($(grep -m1 -oE 'ERROR: [A-Za-z]+: [a-z-]+|PROPERTY VIOLATED|ERROR: libFuzzer: [a-z-]+|runtime error' "$log" || echo "exit $rc"))"
        [ -n "$artifact" ] && result="$result"$'\n'"    reproduce: $binary $artifact"$'\n'"    replay:    build/fuzz-build/replay_$target $artifact"
        result="$result"$'\n'"    log:       $log"
    fi
    printf '%-17s %10s %8s %8s %16s  %s\n' "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
        "${units} (${bytes}K)" "$result"
}
