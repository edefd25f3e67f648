"""Runs pytest for one test file.

Debian's pytest and hypothesis live in /usr/lib/python3/dist-packages, which the
pyenv CPython does not search. Appending (not prepending) that directory lets
them import without shadowing anything installed for this interpreter.
"""
import os
import sys

DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"

if os.path.isdir(DEBIAN_DIST_PACKAGES) and DEBIAN_DIST_PACKAGES not in sys.path:
    sys.path.append(DEBIAN_DIST_PACKAGES)

import pytest  # noqa: E402

sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[1:]]))
