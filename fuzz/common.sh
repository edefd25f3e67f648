# shellcheck shell=bash
# Shared by fuzz/run.sh, fuzz/run_afl.sh, fuzz/fuzz_*.sh, fuzz/oss-fuzz/build.sh
# and ci/gate_fuzz_smoke.sh (sourced, with $root set to the project root).
# Builds configure the whole project in their own directory under
# $FUZZ_BUILD_DIR, so the core is compiled with the same compiler,
# instrumentation and sanitizers as the targets.
: "${root:?fuzz/common.sh: set root to the project root before sourcing it}"

# The targets, from the one list (fuzz/targets.txt); JC_FUZZ_JSON_TARGETS
# (" a b ") those marked json: their input is a JSON document (after a short
# header at most), so they also start from ../shared/corpus.
JC_FUZZ_TARGETS=()
JC_FUZZ_JSON_TARGETS=" "
while read -r jc_name jc_tags; do
    case "$jc_name" in '' | '#'*) continue ;; esac
    JC_FUZZ_TARGETS+=("$jc_name")
    if [[ " $jc_tags " == *" json "* ]]; then JC_FUZZ_JSON_TARGETS+="$jc_name "; fi
done <"$root/fuzz/targets.txt"
unset jc_name jc_tags

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-$root/build-fuzz}
FUZZ_JOBS=${FUZZ_JOBS:-2}
JC_SHARED_DIR=${JCODEC_SHARED_DIR:-$root/../shared}

# Whether $1 is a target of fuzz/targets.txt.
jc_fuzz_is_target() {
    [[ " ${JC_FUZZ_TARGETS[*]} " == *" $1 "* ]]
}

# The calling script's header comment (its usage), without the "# ".
jc_fuzz_usage() {
    sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"
}

# jc_fuzz_args "OPTIONS" ARG...: a driver's command line. OPTIONS lists the
# script's options: "--name" sets $name to 1, "--name=" takes the next
# argument as $name's value (a dash in the name is an underscore in the
# variable); -h or --help prints the script's header comment. Every other
# argument must be a target of fuzz/targets.txt: they go to the array
# targets, all of the list when none is named.
jc_fuzz_args() {
    local allowed=" $1 " arg var
    shift
    targets=()
    while [ $# -gt 0 ]; do
        arg=$1
        shift
        var=${arg#--}
        var=${var//-/_}
        if [ "$arg" = -h ] || [ "$arg" = --help ]; then
            jc_fuzz_usage
            exit 0
        elif [[ $allowed == *" $arg= "* && $# -gt 0 ]]; then
            printf -v "$var" '%s' "$1"
            shift
        elif [[ $allowed == *" $arg "* ]]; then
            printf -v "$var" '%s' 1
        elif jc_fuzz_is_target "$arg"; then
            targets+=("$arg")
        else
            echo "$(basename "$0"): unknown argument $arg (options:${allowed%% }; targets: fuzz/targets.txt)" >&2
            exit 2
        fi
    done
    [ ${#targets[@]} -gt 0 ] || targets=("${JC_FUZZ_TARGETS[@]}")
}

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

# jc_fuzz_build DIR [CMAKE_TARGET...]: builds the targets (default: fuzzers).
jc_fuzz_build() {
    local dir=$1
    shift
    cmake --build "$dir" --target "${@:-fuzzers}" -j "$FUZZ_JOBS" >"$dir/build.log" 2>&1 \
        || { tail -n 40 "$dir/build.log" >&2; return 1; }
}

# The large seeds (a million '[' and such) are generated, never committed.
jc_fuzz_generate_large_seeds() {
    python3 "$root/corpus/seeds/generate.py" --large "$FUZZ_BUILD_DIR/generated-seeds"
}

# The directories `make check` replays for a target, those that exist, one a
# line: corpus/seeds/<target>, corpus/regressions/<target> and the generated
# large seeds GENERATED/<target> (default $FUZZ_BUILD_DIR/generated-seeds).
# jc_fuzz_replay_dirs TARGET [GENERATED]
jc_fuzz_replay_dirs() {
    local dir
    for dir in "$root/corpus/seeds/$1" "$root/corpus/regressions/$1" \
               "${2:-$FUZZ_BUILD_DIR/generated-seeds}/$1"; do
        if [ -d "$dir" ]; then echo "$dir"; fi
    done
}

# Read-only seed directories of a target, one per line: the replayed ones,
# and ../shared/corpus for a json target when present.
jc_fuzz_seed_dirs() {
    local target=$1
    jc_fuzz_replay_dirs "$target"
    if [[ $JC_FUZZ_JSON_TARGETS == *" $target "* ]]; then
        if [ -d "$JC_SHARED_DIR/corpus" ]; then
            echo "$JC_SHARED_DIR/corpus"
        else
            echo "run: ../shared/corpus absent: fuzzing $target from the project's seeds only" >&2
        fi
    fi
    return 0
}

# jc_fuzz_gather DEST DIR...: the units of DIR... (regular files, no
# dot-files, under AFL++'s 1 MB limit) copied into DEST, each named by a hash
# of its content, so that the same unit found twice is kept once.
jc_fuzz_gather() {
    local dest=$1 f
    shift
    mkdir -p "$dest"
    find "$@" -maxdepth 1 -type f ! -name '.*' -size -1000k -print0 |
        while IFS= read -r -d '' f; do cp "$f" "$dest/$(md5sum <"$f" | cut -c1-16)"; done
}

# jc_fuzz_binary ENGINE TARGET: the path of TARGET's executable for ENGINE
# (libfuzzer or afl), building the engine's targets first when it is absent.
jc_fuzz_binary() {
    local binary="$FUZZ_BUILD_DIR/$1/fuzzers/$2"
    if [ ! -x "$binary" ]; then
        if [ "$1" = afl ]; then
            bash "$root/fuzz/run_afl.sh" --build-only >&2
        else
            bash "$root/fuzz/run.sh" --build-only >&2
        fi
    fi
    echo "$binary"
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

# AFL++'s settings (fuzz/run_afl.sh, and afl-cmin/afl-tmin in fuzz/fuzz_*.sh).
# A shared machine: no CPU frequency or core-dump settings to check, no binding
# to a core another user's job may have, no UI. Leaks are libFuzzer's to find.
jc_fuzz_afl_env() {
    export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
    export ASAN_OPTIONS="abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1"
    export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:symbolize=0"
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
        if [ -n "$artifact" ] && [ ! -s "$artifact" ] && grep -q "LeakSanitizer" "$log"; then
            # LeakSanitizer's check at exit: the leaked objects stayed reachable
            # (a key in the key cache, until evicted) past the input that leaked them.
            result="$result"$'\n'"    leak:      reported at exit, by no single input (the leak stacks are in the log)"
        elif [ -n "$artifact" ]; then
            result="$result"$'\n'"    reproduce: $binary $artifact"$'\n'"    replay:    build/fuzz-build/replay_$target $artifact"
        fi
        result="$result"$'\n'"    log:       $log"
    fi
    printf '%-17s %10s %8s %8s %16s  %s\n' "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
        "${units} (${bytes}K)" "$result"
}
