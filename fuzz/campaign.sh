#!/usr/bin/env bash
# `make fuzz-campaign`: a long fuzzing run whose results are kept. Per target:
# libFuzzer (fuzz/run.sh: ASan + UBSan, the leak check of the new units) for
# CAMPAIGN_SECONDS, then the inputs it found that add coverage to the
# committed seeds merged into corpus/seeds/<target> (libFuzzer's -merge=1,
# which keeps the smallest input per feature), and one line appended to the
# campaign log, fuzz/campaigns.tsv:
#   date  commit  engine  target  seconds  execs  exec_per_s  cov  ft  new_inputs  findings
# With --afl, AFL++ (fuzz/run_afl.sh: a main instance with the cmplog binary
# and a secondary) also runs CAMPAIGN_AFL_SECONDS on the --afl-target, queued
# after the libFuzzer runs (it takes the slot the last one leaves), logged
# the same way (cov: AFL++'s bitmap coverage; ft: its corpus count).
# Commit corpus/seeds/ and fuzz/campaigns.tsv afterwards; a finding goes to
# corpus/regressions/<target>/ under a name that says what it found, with the
# fix (fuzz/README.md, "Findings").
#
#   bash fuzz/campaign.sh [--afl] [--afl-target=T] [TARGET...]
#
# Environment: CAMPAIGN_SECONDS (1200 per target), CAMPAIGN_PARALLEL (targets
# at once, 2: one per core), CAMPAIGN_AFL_SECONDS (600), FUZZ_BUILD_DIR and the
# rest of fuzz/run.sh's. Exit status 1 when a run found something.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=fuzz/common.sh
source "$root/fuzz/common.sh"

afl=0 afl_target=fuzz_loads
jc_fuzz_args "--afl --afl-target=" "$@"
jc_fuzz_is_target "$afl_target" || { echo "campaign: --afl-target $afl_target is not in fuzz/targets.txt" >&2; exit 2; }

seconds=${CAMPAIGN_SECONDS:-1200}
parallel=${CAMPAIGN_PARALLEL:-2}
afl_seconds=${CAMPAIGN_AFL_SECONDS:-600}
log_file="$root/fuzz/campaigns.tsv"
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$root" status --porcelain -- core fuzz ':!fuzz/campaigns.tsv' 2>/dev/null)" ] || commit="$commit+dirty"
[ -f "$log_file" ] || printf 'date\tcommit\tengine\ttarget\tseconds\texecs\texec_per_s\tcov\tft\tnew_inputs\tfindings\n' >"$log_file"

bash "$root/fuzz/run.sh" --build-only
binary_dir="$FUZZ_BUILD_DIR/libfuzzer/fuzzers"
work="$FUZZ_BUILD_DIR/campaign"
mkdir -p "$work"

# One target's run, its merge into the seeds and its log line (printed; the
# caller appends them in target order).
run_one() {
    local target=$1 rc=0 before after log findings status_line
    local out="$work/$target.out" stamp="$work/$target.stamp"
    touch "$stamp"
    FUZZ_SECONDS=$seconds FUZZ_SKIP_BUILD=1 bash "$root/fuzz/run.sh" "$target" >"$out" 2>&1 || rc=$?
    log="$FUZZ_BUILD_DIR/logs/$target.log"
    # Crashes, leaks, timeouts and out-of-memory inputs; not libFuzzer's
    # slow-unit-* reports (an input over -report_slow_units, 10 s: fuzz_alloc_fail
    # sweeps every allocation of each input, seconds under ASan on a loaded machine).
    findings=$(find "$FUZZ_BUILD_DIR/findings/$target" -type f -newer "$stamp" \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null | wc -l)
    [ "$rc" = 0 ] || [ "$findings" -gt 0 ] || findings=1 # failed without an artifact (a leak at exit)

    local seeds="$root/corpus/seeds/$target"
    mkdir -p "$seeds"
    before=$(find "$seeds" -type f | wc -l)
    mapfile -t options < <(jc_fuzz_libfuzzer_options "$target")
    jc_fuzz_sanitizer_env
    "$binary_dir/$target" "${options[@]}" -merge=1 -detect_leaks=0 \
        -merge_control_file="$work/$target.merge" "$seeds" "$FUZZ_BUILD_DIR/corpus/$target" \
        >"$work/$target.merge.log" 2>&1 || echo "campaign: merge of $target failed (see $work/$target.merge.log)" >&2
    after=$(find "$seeds" -type f | wc -l)

    status_line=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)
    printf '%s\t%s\tlibfuzzer\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
        "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$target" "$seconds" \
        "$(sed -n 's/^stat::number_of_executed_units:[ ]*//p' "$log" | tail -n 1)" \
        "$(sed -n 's/^stat::average_exec_per_sec:[ ]*//p' "$log" | tail -n 1)" \
        "$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status_line")" \
        "$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status_line")" \
        "$((after - before))" "$findings" >"$work/$target.tsv"
    tail -n 4 "$out"
    return "$rc"
}

# AFL++ on one target (fuzz/run_afl.sh: the cmplog main instance and a
# secondary), its line in the same format (cov: AFL++'s bitmap coverage; ft:
# its corpus count). Queued after the libFuzzer runs, so it takes the slot
# the last of them leaves.
run_afl() {
    local rc=0 out="$FUZZ_BUILD_DIR/afl-out/$afl_target" execs=0 rate=0 crashes=0
    FUZZ_SECONDS=$afl_seconds bash "$root/fuzz/run_afl.sh" "$afl_target" >"$work/afl.out" 2>&1 || rc=$?
    tail -n 3 "$work/afl.out"
    for instance in main secondary; do
        local stats="$out/$instance/fuzzer_stats"
        [ -f "$stats" ] || continue
        value() { sed -n "s/^$1 *: *//p" "$stats"; }
        execs=$((execs + $(value execs_done)))
        rate=$(awk -v a="$rate" -v b="$(value execs_per_sec)" 'BEGIN { printf "%.0f", a + b }')
        crashes=$((crashes + $(value saved_crashes) + $(value saved_hangs)))
    done
    local main_stats="$out/main/fuzzer_stats"
    local bitmap queue
    bitmap=$(sed -n 's/^bitmap_cvg *: *//p' "$main_stats" 2>/dev/null)
    queue=$(sed -n 's/^corpus_count *: *//p' "$main_stats" 2>/dev/null)
    [ "$rc" = 0 ] || [ "$crashes" -gt 0 ] || crashes=1
    printf '%s\t%s\tafl++-cmplog\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
        "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$afl_target" "$afl_seconds" "$execs" "$rate" \
        "${bitmap:-?}" "${queue:-?}" 0 "$crashes" >"$work/afl.tsv"
    [ "$crashes" = 0 ]
}

status=0
pids=() jobs_run=() queue=("${targets[@]}")
if [ "$afl" = 1 ]; then
    rm -f "$work/afl.tsv"
    queue+=(afl)
fi
for job in "${queue[@]}"; do
    if [ "$job" = afl ]; then
        run_afl &
        echo "== AFL++ on $afl_target: ${afl_seconds}s started, main (cmplog) + secondary"
    else
        run_one "$job" &
        echo "== $job: ${seconds}s started"
    fi
    pids+=($!) jobs_run+=("$job")
    if [ ${#pids[@]} -ge "$parallel" ]; then
        wait "${pids[0]}" || status=1
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
for job in "${jobs_run[@]}"; do cat "$work/$job.tsv" >>"$log_file"; done

echo
echo "campaign log: $log_file (last runs):"
tail -n "${#jobs_run[@]}" "$log_file" | column -t -s $'\t'
echo "grown seeds: git -C $root status --short corpus/seeds | wc -l -> $(git -C "$root" status --short corpus/seeds | wc -l) changed"
exit $status
