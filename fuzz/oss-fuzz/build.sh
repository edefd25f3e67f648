#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script: every fuzz target, its seed corpus
# (<target>_seed_corpus.zip: the committed seeds and corpus/regressions/), its
# dictionary (<target>.dict) and options (<target>.options) into $OUT.
#
# Honours $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT $SRC (and $WORK
# for the build tree). Runs locally too, e.g. with libFuzzer:
#   CC=clang CXX=clang++ CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   CXXFLAGS="$CFLAGS" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   OUT=/tmp/ossfuzz-out SRC=/work bash fuzz/oss-fuzz/build.sh
#
# The targets embed CPython 3.11: the image provides python3.11 with its
# headers and a shared libpython (fuzz/oss-fuzz/Dockerfile builds it in
# /opt/python3.11). The runner image has no Python, so $OUT also gets
#   lib/libpython3.11.so.1.0   found through the targets' $ORIGIN/lib rpath
#   jcodec_python/             the standard library (PYTHONHOME, found by
#                              fuzz_common.c next to the executable)
#   jcodec_fuzz_py/            fuzz/fuzz_helpers.py and what it imports:
#                              tests/python/differences.py, tests/python/support.py,
#                              tests/python/reference.py, scripts/project.py
# The runner has no numpy (nor pytz, dateutil, pendulum): fuzz_dumps and
# fuzz_alloc_fail say so once and build their trees without them.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# OSS-Fuzz runs a copy of this file as $SRC/build.sh, outside the tree.
[ -f "$root/fuzz/targets.txt" ] || root=$SRC/jcodec
# shellcheck source=fuzz/common.sh
source "$root/fuzz/common.sh" # JC_FUZZ_TARGETS: fuzz/targets.txt
: "${SRC:=$(dirname "$root")}"
build=${WORK:-/tmp}/jcodec-fuzz-build
python=$(command -v python3)
mkdir -p "$OUT"

# The build type "OSSFuzz" has no flags of its own: $CFLAGS decides.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=OSSFuzz \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
    -DCMAKE_BUILD_RPATH='$ORIGIN/lib' \
    -DJCODEC_PYTHON="$python" -DJCODEC_WERROR=OFF -DJCODEC_BUILD_TESTS=OFF \
    -DJCODEC_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
cmake --build "$build" --target fuzzers -j "$(nproc)"

for target in "${JC_FUZZ_TARGETS[@]}"; do
    cp "$build/fuzzers/$target" "$OUT/"
    rm -f "$OUT/${target}_seed_corpus.zip"
    (cd "$root/corpus" && find "seeds/$target" "regressions/$target" -type f 2>/dev/null |
        zip -q -j "$OUT/${target}_seed_corpus.zip" -@)
    cp "$root/corpus/$target.options" "$OUT/"
    if grep -q '^dict' "$root/corpus/$target.options"; then
        cp "$root/corpus/json.dict" "$OUT/$target.dict"
        sed -i "s/^dict = .*/dict = $target.dict/" "$OUT/$target.options"
    fi
done

# The Python runtime the targets embed.
mkdir -p "$OUT/lib" "$OUT/jcodec_fuzz_py"
libdir=$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))')
ldlibrary=$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("INSTSONAME"))')
cp -L "$libdir/$ldlibrary" "$OUT/lib/"
stdlib=$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
version=$("$python" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')
rm -rf "$OUT/jcodec_python" && mkdir -p "$OUT/jcodec_python/lib"
(cd "$(dirname "$stdlib")" && tar -cf - --exclude='test' --exclude='tests' --exclude='idlelib' \
    --exclude='tkinter' --exclude='turtledemo' --exclude='ensurepip' --exclude='site-packages' \
    --exclude='lib2to3' --exclude='__pycache__' --exclude='config-*' "$(basename "$stdlib")") |
    (cd "$OUT/jcodec_python/lib" && tar -xf -)
[ "$(basename "$stdlib")" = "$version" ]
cp "$root/fuzz/fuzz_helpers.py" "$root/tests/python/differences.py" "$root/tests/python/support.py" \
    "$root/tests/python/reference.py" \
    "$root/scripts/project.py" "$OUT/jcodec_fuzz_py/"
echo "oss-fuzz build: ${#JC_FUZZ_TARGETS[@]} targets in $OUT"
