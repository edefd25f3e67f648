"""jcodec.Fragment: already serialized JSON, written verbatim by dumps (no
validation, no escaping, no reformatting under OPT_INDENT_2 or
OPT_SORT_KEYS). Contents bytes or str (a str must encode to UTF-8: a lone
surrogate is refused); anything else is refused when the fragment is written.
The type: one positional argument, immutable contents, picklable (orjson's is
not: differences.py fragment_pickle), its repr names jcodec. Every
JSONTestSuite file (valid or not) as contents is written back unchanged, and
nothing crashes.
"""
import copy
import pickle

import pytest

import jcodec
from support import JSONTESTSUITE_DIR, assert_reference, missing_shared, scaled_examples

pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import _types_strategies as T  # noqa: E402

F = jcodec.Fragment


def test_contents_verbatim():
    assert jcodec.dumps(F(b'{"a": [1, 2]}')) == b'{"a": [1, 2]}'
    assert jcodec.dumps(F('{"é": "😀"}')) == '{"é": "😀"}'.encode()
    assert jcodec.dumps(F(b"")) == b""
    assert jcodec.dumps(F("")) == b""
    assert jcodec.dumps([F(b""), F("")]) == b"[,]"
    assert jcodec.dumps([1, F(b"not json at all \x00\xff"), 2]) == b"[1,not json at all \x00\xff,2]"
    assert jcodec.dumps({"k": F("\U0001F600")}) == '{"k":😀}'.encode()
    assert jcodec.dumps(F(b"1"), option=jcodec.OPT_APPEND_NEWLINE) == b"1\n"


def test_verbatim_under_indent_and_sort_keys():
    inner = b'{"z":1,  "a":[1,\n2]}'
    value = {"b": F(inner), "a": [F(b"[]"), F(b"")]}
    assert jcodec.dumps(value, option=jcodec.OPT_INDENT_2) == (
        b'{\n  "b": ' + inner + b',\n  "a": [\n    [],\n    \n  ]\n}')
    assert jcodec.dumps(value, option=jcodec.OPT_SORT_KEYS) == b'{"a":[[],],"b":' + inner + b"}"
    for option in (0, jcodec.OPT_INDENT_2, jcodec.OPT_SORT_KEYS, jcodec.OPT_INDENT_2 | jcodec.OPT_SORT_KEYS,
                   jcodec.OPT_APPEND_NEWLINE | jcodec.OPT_NON_STR_KEYS):
        assert_reference(value, option)


def test_contents_subclasses():
    class B(bytes):
        pass

    class S(str):
        pass

    assert jcodec.dumps([F(B(b"1")), F(S("2"))]) == b"[1,2]"
    assert_reference([F(B(b"1")), F(S("2"))])


@pytest.mark.parametrize("contents", [None, 1, 1.5, [1], bytearray(b"1"), memoryview(b"1"), F(b"1")],
                         ids=lambda c: type(c).__name__)
def test_other_contents_are_refused_when_written(contents):
    fragment = F(contents)  # made without complaint
    assert fragment.contents is contents
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps({"a": [fragment]})
    assert str(info.value) == "Fragment contents must be bytes or str, not %s at $.a[0]" % type(contents).__name__
    # default is not asked: a Fragment is not an unknown type.
    with pytest.raises(jcodec.JSONEncodeError):
        jcodec.dumps(fragment, default=lambda o: "D")
    assert_reference({"a": [fragment]})


@pytest.mark.parametrize("text", ["\ud800", "a\udfff", "😀\udc00", "é" * 100 + "\ud83d"], ids=["high", "low", "ucs4", "long"])
def test_lone_surrogate_is_refused(text):
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps([F(text)])
    assert str(info.value) == "Fragment str is not valid UTF-8: surrogates not allowed at $[0]"
    assert_reference([F(text)])


def test_constructor():
    for call in (lambda: F(), lambda: F(b"1", b"2"), lambda: F(contents=b"1"), lambda: F(b"1", x=1)):
        with pytest.raises(TypeError, match=r"^jcodec\.Fragment\(\) takes exactly 1 positional argument$"):
            call()
    assert F.__module__ == "jcodec"
    with pytest.raises(TypeError):
        type("Sub", (F,), {})  # not subclassable (as orjson's)


def test_contents_are_immutable():
    fragment = F(b"[1]")
    with pytest.raises(AttributeError):
        fragment.contents = b"[2]"
    with pytest.raises(AttributeError):
        del fragment.contents
    with pytest.raises(AttributeError):
        fragment.other = 1
    assert fragment.contents == b"[1]"


def test_pickle_and_copy():
    for contents in (b'{"a":1}', "é😀", b"", None, 5):
        fragment = F(contents)
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(fragment, protocol))
            assert type(again) is F and again.contents == contents
        assert copy.copy(fragment).contents == contents
        assert copy.deepcopy(fragment).contents == contents
    assert jcodec.dumps(pickle.loads(pickle.dumps([F(b"[1]")]))) == b"[[1]]"


def test_repr_names_jcodec():
    assert repr(F(b"1")).startswith("<jcodec.Fragment object at 0x")


def test_not_a_key():
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps({F(b"1"): 1}, option=jcodec.OPT_NON_STR_KEYS)
    assert str(info.value).startswith("Dict key must be a type serializable with OPT_NON_STR_KEYS, not Fragment")


def test_reference_cycle_is_collected():
    import gc
    import weakref

    class Holder:
        pass

    holder = Holder()
    fragment = F(holder)
    holder.fragment = fragment
    ref = weakref.ref(holder)
    del holder, fragment
    gc.collect()
    assert ref() is None


# =============================================================================
# JSONTestSuite files as contents


def suite_files():
    if not JSONTESTSUITE_DIR.is_dir():
        return [pytest.param(None, id="no-JSONTestSuite",
                             marks=pytest.mark.skip(reason=missing_shared("JSONTestSuite as Fragment contents")))]
    return [pytest.param(sorted(JSONTESTSUITE_DIR.glob("*.json")), id="JSONTestSuite")]


@pytest.mark.parametrize("files", suite_files())
def test_jsontestsuite_files_written_back(files):
    """Every file, valid or not (invalid UTF-8, NULs, huge nesting), as bytes
    and, where it is UTF-8, as str: written back byte for byte, alone, inside
    containers and under every layout option; as a str decoded with
    surrogateescape (lone surrogates for its invalid bytes), refused exactly
    when it is not UTF-8."""
    assert len(files) > 300
    options = (0, jcodec.OPT_INDENT_2, jcodec.OPT_SORT_KEYS | jcodec.OPT_APPEND_NEWLINE)
    for path in files:
        raw = path.read_bytes()
        for contents in (raw, raw.decode("utf-8", "surrogateescape")):
            fragment = F(contents)
            try:
                raw.decode("utf-8")
                valid = True
            except UnicodeDecodeError:
                valid = isinstance(contents, bytes)
            for option in options:
                for value in (fragment, [fragment, fragment], {"k": fragment}):
                    if valid:
                        out = assert_reference(value, option)
                        assert raw in out, path.name
                    else:
                        with pytest.raises(jcodec.JSONEncodeError, match="^Fragment str is not valid UTF-8"):
                            jcodec.dumps(value, option=option)
        assert jcodec.dumps(F(raw)) == raw


@settings(max_examples=scaled_examples(200))
@given(fragments=st.lists(T.FRAGMENTS, max_size=5), option=T.OPTIONS)
def test_generated(fragments, option):
    assert_reference({"f": fragments, "g": fragments[:1]}, option)
