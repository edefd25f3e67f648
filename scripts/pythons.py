#!/usr/bin/env python3
"""The CPython versions jcodec supports, stated once, and where this machine
has them.

    SUPPORTED            ("3.9", ..., "3.13"), oldest first
    MAIN                 the version `make` builds for: the python3 on PATH
    find()               {version: interpreter path} for the supported versions
                         installed under pyenv (PYENV_ROOT, else ~/.pyenv),
                         the newest patch release of each
    missing()            the supported versions not found

As a command: `python3 scripts/pythons.py` prints "version path" lines for the
versions found (what ci/gate_pythons.sh and scripts/build_wheels.sh loop over)
and, on stderr, one line per supported version it cannot find.
"""
import os
import pathlib
import re
import sys

SUPPORTED = ("3.9", "3.10", "3.11", "3.12", "3.13")
MAIN = f"{sys.version_info.major}.{sys.version_info.minor}"


def _pyenv_root():
    return pathlib.Path(os.environ.get("PYENV_ROOT") or pathlib.Path.home() / ".pyenv")


def find():
    found = {}
    versions = _pyenv_root() / "versions"
    if not versions.is_dir():
        return found
    best = {}
    for entry in versions.iterdir():
        match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", entry.name)
        python = entry / "bin" / "python3"
        if not match or not python.exists():
            continue
        minor = f"{match[1]}.{match[2]}"
        patch = int(match[3])
        if minor in SUPPORTED and patch >= best.get(minor, -1):
            best[minor] = patch
            found[minor] = str(python)
    return {v: found[v] for v in SUPPORTED if v in found}


def missing():
    have = find()
    return [v for v in SUPPORTED if v not in have]


def main():
    for version, path in find().items():
        print(version, path)
    for version in missing():
        print(f"pythons: CPython {version} not found under {_pyenv_root()}/versions: skipped",
              file=sys.stderr)


if __name__ == "__main__":
    main()
