"""The package around the extension (orjson's layout): jcodec/__init__.py,
__main__.py (python -m jcodec), the stub __init__.pyi and py.typed beside the
compiled jcodec/_jcodec. Every name of the extension, public or test-only, is
the package's own attribute; the stub names every public one; importing
jcodec stays cheap (it loads nothing the extension does not need); a fresh
import of the package is a fresh module with its own state."""
import ast
import pathlib
import sys

import jcodec
from support import ROOT, run_child

PACKAGE_DIR = pathlib.Path(jcodec.__file__).parent
EXTENSION = jcodec._jcodec


def test_layout():
    assert jcodec.__path__ and pathlib.Path(jcodec.__file__).name == "__init__.py"
    assert EXTENSION.__name__ == "jcodec._jcodec"
    assert pathlib.Path(EXTENSION.__file__).parent == PACKAGE_DIR
    for name in ("__init__.py", "__main__.py", "__init__.pyi", "py.typed"):
        assert (PACKAGE_DIR / name).is_file(), name
        if (ROOT / "python" / "jcodec").is_dir():  # a build tree: copies of the sources
            assert (PACKAGE_DIR / name).read_bytes() == (ROOT / "python" / "jcodec" / name).read_bytes()


def test_every_name_of_the_extension_is_the_packages():
    names = [name for name in vars(EXTENSION) if not name.startswith("__")] + ["__version__"]
    for name in names:
        assert getattr(jcodec, name) is getattr(EXTENSION, name), name
    assert sorted(jcodec.__all__) == sorted(n for n in names if not n.startswith("_"))
    for hook in ("_alloc_stats", "_alloc_stats_reset", "_fail_alloc_after", "_fault_result",
                 "_cache_info", "_cache_clear", "_cache_configure", "_cache_force_hash", "_isa"):
        assert callable(getattr(jcodec, hook)), hook


def test_names_keep_their_module():
    assert jcodec.Fragment.__module__ == "jcodec"
    assert jcodec.JSONDecodeError.__module__ == "jcodec"
    assert jcodec.JSONEncodeError.__module__ == "jcodec"
    assert repr(jcodec.JSONDecodeError) == "<class 'jcodec.JSONDecodeError'>"
    import pickle

    fragment = pickle.loads(pickle.dumps(jcodec.Fragment(b"[1]")))
    assert type(fragment) is jcodec.Fragment and fragment.contents == b"[1]"
    error = pickle.loads(pickle.dumps(jcodec.JSONDecodeError("m", b"[1,]", 3)))
    assert type(error) is jcodec.JSONDecodeError and error.pos == 3
    assert pickle.loads(pickle.dumps(jcodec.loads)) is jcodec.loads


def _stub_names(path):
    tree = ast.parse(path.read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_stub_names_every_public_name():
    stub = _stub_names(PACKAGE_DIR / "__init__.pyi")
    public = set(jcodec.__all__) | {"__version__"}
    assert public - stub == set(), "missing from __init__.pyi"
    # The stub's own helpers (protocols for file objects) are private names.
    assert {n for n in stub - public if not n.startswith("_")} == set(), "in __init__.pyi, not in jcodec"


def test_import_is_cheap():
    """import jcodec loads the package and its extension, and only what the
    extension itself needs (json, for JSONDecodeError's base, and datetime's
    C API; on 3.9, gc, whose functions are the only way to pause the
    collector there, core/compat.h): not the command line's modules, nor
    decimal, which loads(decimal=True) imports when it is used."""
    proc = run_child("""
        import sys
        import json, datetime
        before = set(sys.modules)
        import jcodec
        print(" ".join(sorted(set(sys.modules) - before)))
    """)
    assert proc.returncode == 0, proc.stderr
    expected = ["jcodec", "jcodec._jcodec"]
    if sys.version_info < (3, 10):
        expected = ["gc"] + expected
    assert proc.stdout.split() == expected


def test_fresh_import_is_a_fresh_module():
    """del sys.modules["jcodec"] and import again: a new extension module
    with its own state (as with the bare extension before the package);
    importlib.reload keeps the state."""
    proc = run_child("""
        import importlib, sys, jcodec
        first = jcodec
        assert importlib.reload(jcodec) is first
        assert jcodec._jcodec is sys.modules["jcodec._jcodec"]
        reloaded_extension = jcodec._jcodec
        del sys.modules["jcodec"]
        import jcodec as second
        assert second is not first
        assert second._jcodec is not reloaded_extension
        assert second.JSONDecodeError is not first.JSONDecodeError
        assert sys.modules["jcodec._jcodec"] is second._jcodec
        a, b = first.loads(b'{"shared": 1}'), second.loads(b'{"shared": 1}')
        assert list(a)[0] is not list(b)[0], "separate key caches"
        print("ok")
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ok"]


def test_python_m_jcodec_is_the_packages_main():
    proc = run_child("""
        import runpy, sys
        sys.argv = ["jcodec", "--compact"]
        import io
        sys.stdin = io.TextIOWrapper(io.BytesIO(b'{"a": [1, 2]}'))
        out = io.BytesIO()
        sys.stdout = io.TextIOWrapper(out)
        try:
            runpy.run_module("jcodec", run_name="__main__")
        except SystemExit as e:
            code = e.code
        sys.stdout.flush()
        sys.__stdout__.write(repr((code, out.getvalue())))
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == repr((0, b'{"a":[1,2]}\n'))
