# Thin front end over CMake. `make check` is the project's test command.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all build check bench fuzz clean deps

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

check: deps build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

deps:
	@scripts/ensure-deps.sh check

bench:
	@echo "make bench: the benchmark binary is not built yet (issue: benchmark harness)"

fuzz:
	@echo "make fuzz: the fuzz targets are not built yet (issue: fuzz harness)"

clean:
	rm -rf $(BUILD)
