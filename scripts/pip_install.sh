#!/usr/bin/env bash
# pip install --no-build-isolation . for an interpreter without the `wheel`
# package and without PyPI: setuptools < 70 needs `wheel` to build a wheel, so
# this puts Debian's python3-wheel (installed with apt if missing, as root) on
# the build's path, and nothing else from Debian's dist-packages (Debian's
# patched setuptools must not replace the interpreter's own).
# Usage: scripts/pip_install.sh [python] [extra pip args...]
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}
shift || true
shim=""
if ! "$python" -c 'import wheel' 2>/dev/null; then
    dist=/usr/lib/python3/dist-packages
    if ! ls -d "$dist"/wheel-*info >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-wheel
        else
            echo "pip_install: run as root: apt-get install -y python3-wheel" >&2
            exit 1
        fi
    fi
    shim=$(mktemp -d)
    trap 'rm -rf "$shim"' EXIT
    ln -s "$dist/wheel" "$shim/wheel"
    ln -s "$(ls -d "$dist"/wheel-*info | head -1)" "$shim/"
fi
PYTHONPATH="$shim" "$python" -m pip install --no-build-isolation --no-index "$@" .
