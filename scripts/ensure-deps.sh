#!/usr/bin/env bash
# Checks for what the build and tests need and installs what is missing from
# Debian's archive when run as root; otherwise prints the exact command.
# Usage: scripts/ensure-deps.sh [check|bench|wheels|fuzz|afl]...
set -euo pipefail

DIST=/usr/lib/python3/dist-packages
missing=()

need_cmd() {  # command, package
    command -v "$1" >/dev/null 2>&1 || missing+=("$2")
}
need_py() {  # module, package: importable by python3 with Debian's dist-packages appended
    python3 - "$1" "$DIST" <<'PY' >/dev/null 2>&1 || missing+=("$2")
import importlib, sys
sys.path.append(sys.argv[2])
importlib.import_module(sys.argv[1])
PY
}
need_file() {  # path, package
    [ -e "$1" ] || missing+=("$2")
}

need_cmd cmake cmake
need_cmd cc gcc
need_cmd python3 python3
python3 -c 'import sysconfig,os,sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"],"Python.h")))' \
    || { echo "ensure-deps: python3 has no C headers (Python.h); install its development files" >&2; exit 1; }

for want in "${@:-check}"; do
    case "$want" in
        check)  # make check: every gate in ci/ (see ci/README.md)
            need_py pytest python3-pytest
            need_py hypothesis python3-hypothesis
            # The rich types' tests: numpy arrays, and the third-party zones.
            need_py numpy python3-numpy
            need_py pytz python3-tz
            need_py dateutil python3-dateutil
            need_py pendulum python3-pendulum
            # The pythons gate: Debian's pytest on 3.9 and 3.10 needs these
            # backports (pure Python, found in dist-packages by every version).
            need_file "$DIST/exceptiongroup" python3-exceptiongroup
            need_file "$DIST/tomli" python3-tomli
            need_cmd c++ g++
            need_file /usr/include/benchmark/benchmark.h libbenchmark-dev
            need_cmd clang clang
            need_file "$(clang -print-resource-dir 2>/dev/null || echo /nonexistent)/lib/linux/libclang_rt.fuzzer-x86_64.a" libclang-rt-14-dev
            need_cmd clang-format clang-format
            need_cmd clang-tidy clang-tidy
            need_cmd llvm-profdata-14 llvm-14
            need_cmd llvm-cov-14 llvm-14
            need_cmd valgrind valgrind
            ;;
        bench)
            need_cmd c++ g++
            need_file /usr/include/benchmark/benchmark.h libbenchmark-dev
            need_py numpy python3-numpy
            need_py matplotlib python3-matplotlib
            ;;
        wheels)  # scripts/build_wheels.sh: what an interpreter lacks to build a wheel
            need_file "$DIST/wheel" python3-wheel
            need_file "$DIST/setuptools" python3-setuptools
            ;;
        fuzz)
            need_cmd clang clang
            need_file "$(clang -print-resource-dir 2>/dev/null || echo /nonexistent)/lib/linux/libclang_rt.fuzzer-x86_64.a" libclang-rt-14-dev
            need_cmd llvm-profdata-14 llvm-14
            need_cmd llvm-cov-14 llvm-14
            ;;
        afl)
            need_cmd afl-clang-fast afl++
            ;;
        *) echo "ensure-deps: unknown target $want" >&2; exit 2 ;;
    esac
done

[ ${#missing[@]} -eq 0 ] && exit 0
# De-duplicate while keeping order.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ensure-deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "ensure-deps: missing ${missing[*]}; run as root:" >&2
    echo "    $cmd" >&2
    exit 1
fi
