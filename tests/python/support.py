"""Helpers the Python suites share (not a test module: pytest collects only
test_*.py). Fixtures live in conftest.py; plain helpers here:

    StrSub, IntSub, DictSub, ListSub   subclasses dumps writes as their base
    Unknown                            a type dumps has no serializer for
    child_env(**extra), run_child(code, *args, env=None, timeout=60)
                                       a child interpreter that imports this
                                       jcodec (for crashes, sub-interpreters,
                                       start-up and environment variables)
    reference_dumps, SHARED_DIR, ...   re-exported from scripts/project.py
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from project import (  # noqa: E402,F401  (re-exported)
    JSONTESTSUITE_DIR,
    ROOT,
    SHARED_CORPUS_DIR,
    SHARED_DIR,
    missing_shared,
    reference_dumps,
    shared_documents,
)

import jcodec  # noqa: E402


class StrSub(str):
    pass


class IntSub(int):
    pass


class DictSub(dict):
    pass


class ListSub(list):
    pass


class Unknown:
    """A type dumps has no serializer for."""


def child_env(**extra):
    """The environment for a child Python that must import this jcodec."""
    env = dict(os.environ)
    module_dir = os.path.dirname(jcodec.__file__)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (module_dir, env.get("PYTHONPATH")) if p)
    env.pop("JCODEC_ISA", None)
    env.update(extra)
    return env


def run_child(code, *args, env=None, timeout=60):
    """Runs `code` (dedented) in a child interpreter; the CompletedProcess."""
    return subprocess.run([sys.executable, *args, "-c", textwrap.dedent(code)],
                          env=env or child_env(), capture_output=True, text=True, timeout=timeout)
