#!/usr/bin/env bash
# One wheel per supported CPython this machine has (scripts/pythons.py), built
# from pyproject.toml with the setuptools each interpreter has, into dist/;
# each wheel is then installed into a fresh venv of its version and imported
# there for a smoke test, and its tag checked (cp3X-cp3X-linux_x86_64).
#
# No network: what an interpreter lacks to build a wheel comes from Debian's
# pure-Python packages, put on the build's path through a shim directory
# (nothing else from dist-packages): `wheel` for every version, and
# setuptools where the interpreter has none (3.12 and later ship without it)
# or one older than 61, which cannot read pyproject.toml's [project] table
# (scripts/ensure-deps.sh wheels installs them with apt when missing, as root,
# or prints the command).
# Usage: scripts/build_wheels.sh [version...]   (default: all found)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dist=$root/dist
dist_packages=/usr/lib/python3/dist-packages
mkdir -p "$dist"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/scripts/ensure-deps.sh" wheels

# The shim for one interpreter: Debian's wheel, and Debian's setuptools when
# the interpreter has none of its own.
shim_for() {  # python dir
    local python=$1 dir=$2 name
    mkdir -p "$dir"
    # A package and its .dist-info (the commands it adds to setuptools are
    # entry points recorded there).
    link() {  # name (with a trailing '-': its .dist-info/.egg-info only)
        local path
        for path in "$dist_packages/${1%-}" "$dist_packages/${1%-}"-*.dist-info "$dist_packages/${1%-}"-*.egg-info; do
            [ "${1: -1}" = - ] && [ "$path" = "$dist_packages/${1%-}" ] && continue
            [ -e "$path" ] && ln -sfn "$path" "$dir/$(basename "$path")"
        done
        return 0
    }
    link wheel
    # pyproject.toml's [project] table needs setuptools 61 or later.
    if ! "$python" -c 'import setuptools, sys; sys.exit(int(setuptools.__version__.split(".")[0]) < 61)' 2>/dev/null; then
        link pkg_resources
        link _distutils_hack
        # Debian's setuptools, copied: Debian patches it to read an
        # `install_layout` (and `prefix_option`) only Debian's own distutils defines, and a
        # pyenv interpreter has setuptools' bundled distutils instead. In the
        # copy that option is left unset, as it is outside Debian's layout.
        cp -r "$dist_packages/setuptools" "$dir/setuptools"
        link setuptools-
        sed -i -e "s/self.set_undefined_options('install',('install_layout','install_layout'))/pass/" \
            -e "s/self.set_undefined_options('install',('prefix_option','prefix_option'))/pass/" \
            "$dir/setuptools/command/install_lib.py" "$dir/setuptools/command/install_egg_info.py"
    fi
}

# One version's wheel: built, installed into a fresh venv, smoke-tested. Its
# output goes to $work/log-<version>; the status says whether it passed.
one_wheel() {  # version python
    local version=$1 python=$2 tag shim wheel venv src
    tag="cp${version/./}"
    shim=$work/shim-$version
    shim_for "$python" "$shim"
    rm -f "$dist"/jcodec-*-"$tag"-"$tag"-*.whl
    echo "== CPython $version: building"
    # Each version builds from its own copy of what the wheel is made of
    # (pyproject.toml's and setup.py's inputs), so that two builds at once
    # never share setuptools' build/ and .egg-info directories.
    src=$work/src-$version
    mkdir -p "$src"
    cp -r "$root"/{pyproject.toml,setup.py,VERSION,README.md,core,python} "$src"/
    if ! PYTHONPATH=$shim "$python" -m pip wheel --no-build-isolation --no-deps --no-index \
            --quiet -w "$dist" "$src" </dev/null; then
        echo "build_wheels: $version: the wheel did not build" >&2
        return 1
    fi
    wheel=$(compgen -G "$dist/jcodec-*-$tag-$tag-linux_x86_64.whl" | head -1 || true)
    if [ -z "$wheel" ]; then
        echo "build_wheels: $version: no wheel tagged $tag-$tag-linux_x86_64 in $dist" >&2
        ls "$dist" >&2
        return 1
    fi
    venv=$work/venv-$version
    # A venv without its own pip (ensurepip takes 9 s a version here), which
    # the version's pip installs into (pip --python, pip 22.3 and later); with
    # an older pip, a venv with its own.
    if "$python" -m pip --python "$python" --version >/dev/null 2>&1; then
        "$python" -m venv --without-pip "$venv"
        "$python" -m pip --python "$venv/bin/python" install --no-index --quiet "$wheel"
    else
        "$python" -m venv "$venv"
        "$venv/bin/python" -m pip install --no-index --quiet "$wheel"
    fi
    # The smoke test runs outside the source tree, so the installed module is
    # the one imported.
    if (cd "$work" && "$venv/bin/python" - "$version" <<'PY'); then
import datetime, pathlib, subprocess, sys, uuid
import jcodec
version = sys.argv[1]
assert "%d.%d" % sys.version_info[:2] == version, sys.version
assert "site-packages" in jcodec.__file__, jcodec.__file__
# The package (python/jcodec/) around its extension, with the stub and marker.
package = pathlib.Path(jcodec.__file__).parent
assert package.name == "jcodec" and jcodec._jcodec.__file__.startswith(str(package))
for name in ("__init__.py", "__main__.py", "__init__.pyi", "py.typed"):
    assert (package / name).exists(), name
doc = {"a": [1, 2.5, "\u00e9", None, True], "b": {"c": 10**30}}
assert jcodec.loads(jcodec.dumps(doc)) == doc
assert jcodec.dumps([datetime.date(2000, 1, 2), uuid.UUID(int=1)]) == \
    b'["2000-01-02","00000000-0000-0000-0000-000000000001"]'
assert jcodec.dumps(jcodec.loads(b"[1.10]", decimal=True), option=jcodec.OPT_SERIALIZE_DECIMAL) == b"[1.10]"
# python -m jcodec, the package's command line.
check = subprocess.run([sys.executable, "-m", "jcodec", "--check"], input=b"[1,]", capture_output=True)
assert check.returncode == 1 and check.stderr.startswith(b"<stdin>:1:3: trailing comma"), check
print(f"{version}: import and smoke test passed ({jcodec._jcodec.__file__})")
PY
        echo "   $(basename "$wheel")"
    else
        echo "build_wheels: $version: the smoke test failed" >&2
        return 1
    fi
}

# JOBS (2) versions at a time: a build compiles one file at a time.
wanted=" $* "
versions=()
pids=()
while read -r version python; do
    [ -z "${*}" ] || [[ $wanted == *" $version "* ]] || continue
    while [ "$(jobs -rp | wc -l)" -ge "${JOBS:-2}" ]; do wait -n || true; done
    one_wheel "$version" "$python" >"$work/log-$version" 2>&1 </dev/null &
    versions+=("$version")
    pids+=($!)
done < <(python3 "$root/scripts/pythons.py")
built=0
failed=0
for i in "${!versions[@]}"; do
    if wait "${pids[$i]}"; then built=$((built + 1)); else failed=$((failed + 1)); fi
    cat "$work/log-${versions[$i]}"
done
echo "build_wheels: $built wheels built and smoke-tested in $dist, $failed failed"
[ "$failed" -eq 0 ] && [ "$built" -gt 0 ]
