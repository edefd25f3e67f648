"""Runs pytest for the test files named (one, or a group: tests/CMakeLists.txt).

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



class _CollectionSkips:
    """Counts the files skipped whole while collecting."""

    skipped = 0

    def pytest_collectreport(self, report):
        if report.skipped:
            self.skipped += 1


skips = _CollectionSkips()
status = pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[1:]], plugins=[skips])
# A file skipped whole, with its reason (pytest.importorskip at module level:
# Debian's numpy is built for the main CPython only), collects no test, which
# pytest reports as status 5; a file that collects nothing otherwise still fails.
if status == pytest.ExitCode.NO_TESTS_COLLECTED and skips.skipped:
    status = 0
sys.exit(status)
