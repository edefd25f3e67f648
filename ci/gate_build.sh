#!/usr/bin/env bash
# Gate 1, build: the Release build with -Werror under gcc ($CI_BUILD, build/
# by default: the tree every later gate uses) and clang ($CI_BUILD-clang).
source "$(dirname "$0")/lib.sh"
build_tree "$CI_BUILD" gcc -DJCODEC_WERROR=ON || fail "gcc build failed (see $CI_LOG)"
build_tree "$CI_BUILD-clang" clang -DJCODEC_WERROR=ON -DJCODEC_BUILD_BENCH=OFF || fail "clang build failed (see $CI_LOG)"
warnings=$(grep -c 'warning:' "$CI_LOG")
[ "$warnings" -eq 0 ] || fail "$warnings warnings (see $CI_LOG)"
pass "gcc $(gcc -dumpversion) and clang $(clang -dumpversion): 0 warnings, -Werror"
