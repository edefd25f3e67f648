"""The module itself: sub-interpreters, attributes, teardown, reload, and the
choice of string scanner (jcodec._isa(), JCODEC_ISA)."""
import json
import platform
import re
import textwrap

import pytest

import jcodec
from support import ROOT, SHARED_CORPUS_DIR, TESTS_PYTHON_DIR, child_env, run_child, scanner_fingerprint

try:
    import _xxsubinterpreters as interpreters
except ImportError:  # not every build has it
    interpreters = None

needs_subinterpreters = pytest.mark.skipif(interpreters is None,
                                           reason="_xxsubinterpreters not available")

ISAS = ("avx2", "sse2", "scalar")

# orjson 3.8.3's option names and values (jcodec mirrors them exactly).
ORJSON_383_OPTIONS = {
    "OPT_APPEND_NEWLINE": 1024,
    "OPT_INDENT_2": 1,
    "OPT_NAIVE_UTC": 2,
    "OPT_NON_STR_KEYS": 4,
    "OPT_OMIT_MICROSECONDS": 8,
    "OPT_PASSTHROUGH_DATACLASS": 2048,
    "OPT_PASSTHROUGH_DATETIME": 512,
    "OPT_PASSTHROUGH_SUBCLASS": 256,
    "OPT_SERIALIZE_DATACLASS": 0,
    "OPT_SERIALIZE_NUMPY": 16,
    "OPT_SERIALIZE_UUID": 0,
    "OPT_SORT_KEYS": 32,
    "OPT_STRICT_INTEGER": 64,
    "OPT_UTC_Z": 128,
}

# jcodec's own options, on bits no orjson option uses (core/encode/options.h).
JCODEC_OPTIONS = {"OPT_SERIALIZE_DECIMAL": 1 << 24}


# ---------------------------------------------------------------------------
# Sub-interpreters
# ---------------------------------------------------------------------------

SUBINTERPRETER_CODE = """
import json, jcodec
assert jcodec.loads(b'[1]') == [1]
doc = b'{"a\\\\u0062": [1, 2.5, "\\xc3\\xa9"], "ab": {"key": null}, "key": true}'
assert jcodec.loads(doc) == json.loads(doc)
first, second = jcodec.loads(doc), jcodec.loads(doc)
k1 = [k for k in first if k == "key"][0]
k2 = [k for k in second if k == "key"][0]
assert k1 is k2, "this interpreter's key cache"
assert issubclass(jcodec.JSONDecodeError, json.JSONDecodeError)
try:
    jcodec.loads(b'[1, ')
except json.JSONDecodeError as exc:
    assert type(exc) is jcodec.JSONDecodeError and exc.pos == 4, exc
else:
    raise AssertionError("no error")
jcodec._fail_alloc_after(1)
try:
    jcodec.loads(doc)
except MemoryError:
    pass
else:
    raise AssertionError("no MemoryError")
assert jcodec.loads(doc) == json.loads(doc)
assert jcodec._isa() in ("avx2", "sse2", "scalar")
"""


@needs_subinterpreters
def test_subinterpreters_repeatedly():
    main_doc = b'{"main_key": 1}'
    main_result = jcodec.loads(main_doc)
    main_info = jcodec._cache_info()
    decode_error = jcodec.JSONDecodeError
    live = jcodec._alloc_stats()["live_bytes"]
    for _ in range(5):
        iid = interpreters.create()
        try:
            interpreters.run_string(iid, SUBINTERPRETER_CODE)
            # Another run in the same interpreter: the module is already there.
            interpreters.run_string(iid, "import jcodec; assert jcodec.loads(b'{\"x\": [1]}') == {'x': [1]}")
        finally:
            interpreters.destroy(iid)
        # Everything the sub-interpreter's module allocated (its key cache and
        # the key copies in it) went with it.
        assert jcodec._alloc_stats()["live_bytes"] == live
    # The main interpreter's module is untouched: same cache, same types.
    info = jcodec._cache_info()
    assert (info.currsize, info.hits, info.misses) == (main_info.currsize, main_info.hits,
                                                        main_info.misses)
    assert jcodec.JSONDecodeError is decode_error
    again = jcodec.loads(main_doc)
    assert again == main_result
    assert [k for k in again][0] is [k for k in main_result][0]
    with pytest.raises(jcodec.JSONDecodeError):
        jcodec.loads(b"[")


@needs_subinterpreters
def test_reload_in_subinterpreter():
    code = """
    import importlib, sys, jcodec
    m = importlib.reload(jcodec)
    assert m is jcodec
    assert m.loads(b'{"a": [1]}') == {"a": [1]}
    # A second module object (new import after removal): its own state.
    del sys.modules["jcodec"]
    import jcodec as j2
    assert j2 is not m
    assert j2.JSONDecodeError is not m.JSONDecodeError
    d1, d2 = m.loads(b'{"shared": 1}'), j2.loads(b'{"shared": 1}')
    assert list(d1)[0] is not list(d2)[0], "separate key caches"
    assert m.loads(b'[2]') == [2] and j2.loads(b'[3]') == [3]
    del m, d1, d2
    import gc; gc.collect()
    assert j2.loads(b'{"after": "old module gone"}') == {"after": "old module gone"}
    """
    live = jcodec._alloc_stats()["live_bytes"]
    iid = interpreters.create()
    try:
        interpreters.run_string(iid, textwrap.dedent(code))
    finally:
        interpreters.destroy(iid)
    assert jcodec._alloc_stats()["live_bytes"] == live
    assert jcodec.loads(b"[1]") == [1]


def test_reload_main_interpreter():
    import importlib

    jcodec.loads(b'{"before_reload": 1}')
    info = jcodec._cache_info()
    module = importlib.reload(jcodec)
    assert module is jcodec
    # Reloading does not re-run the module's initialisation: same state.
    assert jcodec._cache_info().currsize == info.currsize
    assert jcodec.loads(b'{"before_reload": [true]}') == {"before_reload": [True]}


# ---------------------------------------------------------------------------
# Attributes
# ---------------------------------------------------------------------------


def test_version():
    """__version__ is the one version number, VERSION (CMake and setup.py read
    it too); pyproject.toml states none of its own."""
    assert isinstance(jcodec.__version__, str)
    assert re.fullmatch(r"\d+\.\d+\.\d+", jcodec.__version__)
    assert jcodec.__version__ == (ROOT / "VERSION").read_text().strip()
    pyproject = ROOT / "pyproject.toml"
    if pyproject.is_file():
        try:
            import tomllib
        except ImportError:  # 3.9, 3.10: tomli, the parser tomllib is (Debian's python3-tomli)
            tomllib = pytest.importorskip("tomli", reason="pyproject.toml needs tomllib (3.11+) or tomli")

        with open(pyproject, "rb") as f:
            project = tomllib.load(f)["project"]
        assert "version" not in project and "version" in project.get("dynamic", [])


def test_exception_types():
    assert issubclass(jcodec.JSONDecodeError, json.JSONDecodeError)
    assert issubclass(jcodec.JSONDecodeError, ValueError)
    assert issubclass(jcodec.JSONEncodeError, TypeError)
    assert jcodec.JSONDecodeError.__name__ == "JSONDecodeError"
    assert jcodec.JSONEncodeError.__name__ == "JSONEncodeError"
    assert jcodec.JSONDecodeError.__module__ == "jcodec"
    assert jcodec.JSONEncodeError.__module__ == "jcodec"
    for catch in (jcodec.JSONDecodeError, json.JSONDecodeError, ValueError):
        with pytest.raises(catch):
            jcodec.loads(b"[1,]")


def test_option_constants():
    options = {name: getattr(jcodec, name) for name in dir(jcodec) if name.startswith("OPT_")}
    assert options == {**ORJSON_383_OPTIONS, **JCODEC_OPTIONS}
    assert all(type(v) is int for v in options.values())
    orjson_bits = 0
    for bit in ORJSON_383_OPTIONS.values():
        orjson_bits |= bit
    assert all(bit & orjson_bits == 0 and bit >= 1 << 16 for bit in JCODEC_OPTIONS.values())


def test_option_constants_match_installed_orjson():
    orjson = pytest.importorskip("orjson")
    for name in dir(orjson):
        if name.startswith("OPT_"):
            assert getattr(jcodec, name) == getattr(orjson, name), name
    if orjson.__version__ == "3.8.3":
        assert {n for n in dir(jcodec) if n.startswith("OPT_")} - set(JCODEC_OPTIONS) == \
               {n for n in dir(orjson) if n.startswith("OPT_")}
    for name, bit in JCODEC_OPTIONS.items():  # a bit orjson does not know
        assert name not in dir(orjson)
        with pytest.raises(orjson.JSONEncodeError, match="Invalid opts"):
            orjson.dumps(1, option=bit)


def test_public_names():
    for name in ("loads", "JSONDecodeError", "JSONEncodeError", "__version__"):
        assert hasattr(jcodec, name)
    assert callable(jcodec.loads)


# ---------------------------------------------------------------------------
# Teardown
# ---------------------------------------------------------------------------

TEARDOWN_CODE = """
import json, sys, jcodec
corpus = sys.argv[1]
import os
docs = []
for name in ("twitter.json", "github.json", "citm_catalog.json", "canada.json"):
    path = os.path.join(corpus, name)
    if os.path.exists(path):
        with open(path, "rb") as f:
            docs.append(f.read())
docs.append(json.dumps({"k%d" % i: ["\\u00e9" * i, i * 1.5, 10 ** 30] for i in range(300)}).encode())
KEEP = [jcodec.loads(doc) for doc in docs]  # alive (and their keys cached) at exit
assert KEEP[-1] == json.loads(docs[-1])
try:
    jcodec.loads(b'{"unterminated')
except jcodec.JSONDecodeError as exc:
    ERROR = exc  # an exception alive at exit too
print("done", len(KEEP))
"""


@pytest.mark.parametrize("options", [[], ["-X", "dev"]], ids=["default", "dev_mode"])
def test_clean_exit(options):
    """A process that imports jcodec, loads the corpus and exits with results
    still alive must exit cleanly (dev mode installs CPython's debug allocator
    hooks, which check every block freed at teardown)."""
    proc = run_child(TEARDOWN_CODE, *options, argv=[str(SHARED_CORPUS_DIR)], timeout=120)
    assert proc.returncode == 0, proc.stderr
    present = sum((SHARED_CORPUS_DIR / name).is_file()
                  for name in ("twitter.json", "github.json", "citm_catalog.json", "canada.json"))
    assert proc.stdout.split() == ["done", str(present + 1)]
    assert proc.stderr == ""


def test_clean_exit_pymalloc_debug():
    proc = run_child("""
        import jcodec
        jcodec._cache_force_hash(0)
        for i in range(50):
            jcodec.loads(('{"k%d": "\\u00e9\\u00e9", "a\\\\u0062": [1, 2]}' % i).encode())
    """, env=child_env(PYTHONMALLOC="debug"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_clean_exit_with_armed_fault_hook():
    """Arming fault injection and never making the call leaves the hook
    installed (forwarding) at exit: teardown must still be clean."""
    proc = run_child("""
        import jcodec
        jcodec.loads(b'{"a": 1}')
        jcodec._fail_alloc_after(3, persistent=True)
        x = [str(i) for i in range(1000)]
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


# ---------------------------------------------------------------------------
# String scanner selection
# ---------------------------------------------------------------------------


SCANNER_CODE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import jcodec
from support import scanner_fingerprint
print(json.dumps({"isa": jcodec._isa(), "fingerprint": scanner_fingerprint()}))
"""


def isa_in_child(isa):
    env = child_env() if isa is None else child_env(JCODEC_ISA=isa)
    proc = run_child(SCANNER_CODE, argv=[str(TESTS_PYTHON_DIR)], env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_isa_name():
    assert jcodec._isa() in ISAS


def test_forced_isas_give_identical_results():
    default = isa_in_child(None)
    if platform.machine() not in ("x86_64", "AMD64"):
        # Other architectures have only the portable scanner.
        assert default["isa"] == isa_in_child("sse2")["isa"] == "scalar"
        return
    assert default["isa"] in ("avx2", "sse2")  # x86-64 always has SSE2
    has_avx2 = default["isa"] == "avx2"
    scalar = isa_in_child("scalar")
    sse2 = isa_in_child("sse2")
    avx2 = isa_in_child("avx2")
    bogus = isa_in_child("no-such-isa")
    assert scalar["isa"] == "scalar"
    assert sse2["isa"] == "sse2"
    assert avx2["isa"] == ("avx2" if has_avx2 else "sse2")  # a missing ISA is ignored
    assert bogus["isa"] == default["isa"]
    here = scanner_fingerprint()
    for child in (default, scalar, sse2, avx2, bogus):
        assert child["fingerprint"] == here, child["isa"]
