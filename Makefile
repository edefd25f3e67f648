# Thin front end over CMake. `make check` is the project's test command.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all build check test bench fuzz fuzz-afl fuzz-campaign baseline clean deps wheels

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Every regression gate (ci/README.md): builds, tests, sanitizers, fuzz smoke,
# instruction counts, peers, key cache, memory, conformance, coverage, lint.
# GATES="build tests" runs a subset.
check: deps
	CI_BUILD=$(abspath $(BUILD)) JOBS=$(JOBS) bash ci/run.sh

# Just the build and ctest, for the edit-compile-test loop.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Rewrites the instruction-count and hit-rate baselines from the current code
# (ci/baseline.json); commit the result saying why the numbers moved.
baseline: build
	CI_BUILD=$(abspath $(BUILD)) bash ci/update_baseline.sh

deps:
	@scripts/ensure-deps.sh check

# Each harness has a driver script in its own directory.
bench:
	@if [ -f bench/run.sh ]; then bash bench/run.sh; else echo "make bench: not built yet"; fi

fuzz:
	@if [ -f fuzz/run.sh ]; then bash fuzz/run.sh; else echo "make fuzz: not built yet"; fi

fuzz-afl:
	@if [ -f fuzz/run_afl.sh ]; then bash fuzz/run_afl.sh; else echo "make fuzz-afl: not built yet"; fi

# Every target for CAMPAIGN_SECONDS (1200), the new coverage merged into
# corpus/seeds/, a line per target in fuzz/campaigns.tsv; CAMPAIGN_ARGS=--afl
# adds AFL++ with cmplog. Commit the seeds and the log afterwards.
fuzz-campaign:
	bash fuzz/campaign.sh $(CAMPAIGN_ARGS)

# The build and the gates' trees named after it (ci/lib.sh).
# One wheel per supported CPython found (scripts/pythons.py), into dist/, each
# installed into a fresh venv of its version and smoke-tested there.
wheels:
	bash scripts/build_wheels.sh

clean:
	rm -rf $(BUILD) $(BUILD)-clang $(BUILD)-asan $(BUILD)-portable $(BUILD)-tidy $(BUILD)-fuzz \
		$(BUILD)-py3.* $(BUILD)-coverage
