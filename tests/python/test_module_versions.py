"""The supported CPython versions are one list (scripts/pythons.py): the
packaging metadata, the release wheel configuration and the module's build
agree with it."""
import re
import sys

import pytest

import jcodec
from support import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import pythons  # noqa: E402

try:
    import tomllib
except ImportError:  # before 3.11: Debian's tomli
    tomllib = pytest.importorskip("tomli")


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_running_version_is_supported():
    assert pythons.MAIN in pythons.SUPPORTED


def test_classifiers_list_the_supported_versions():
    classifiers = pyproject()["project"]["classifiers"]
    listed = [c.rsplit(" :: ", 1)[1] for c in classifiers
              if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert tuple(listed) == pythons.SUPPORTED


def test_requires_python_is_the_oldest_supported():
    assert pyproject()["project"]["requires-python"] == ">=" + pythons.SUPPORTED[0]


def test_release_wheels_cover_the_supported_versions():
    build = pyproject()["tool"]["cibuildwheel"]["build"].split()
    assert build == ["cp%s-*" % v.replace(".", "") for v in pythons.SUPPORTED]


def test_module_suffix_is_this_versions():
    tag = "cpython-%d%d" % sys.version_info[:2]
    # The package's extension (jcodec/_jcodec.<SOABI>.so).
    assert tag in jcodec._jcodec.__file__, jcodec._jcodec.__file__
