"""Conformance: the project's own table (tests/conformance/cases.py) and, when
../shared is present, JSONTestSuite's test_parsing files.

* Table: every case on bytes, bytearray, memoryview and (valid UTF-8 only) str;
  the outcome must also agree with json.loads unless differences.py says the
  document is a deliberate difference.
* JSONTestSuite: y_ files parse (equal to json.loads where json agrees), n_ files
  raise JSONDecodeError (never another exception), i_ files behave as I_DECISIONS
  says; every i_ file must be in I_DECISIONS.
"""
import json
import os

import pytest

import jcodec
from cases import CASES, Err, Ok
from differences import json_differences
from support import JSONTESTSUITE_DIR, first_difference, missing_shared

SUITE_MISSING = missing_shared("JSONTestSuite")

# =============================================================================
# The project's own table
# =============================================================================


def test_table_size():
    assert len(CASES) >= 200, len(CASES)
    assert len({c.name for c in CASES}) == len(CASES)
    errors = sum(isinstance(c.expected, Err) for c in CASES)
    assert errors >= 100 and len(CASES) - errors >= 100


def _str_pos(doc, pos):
    """The code-point offset of byte offset `pos` in UTF-8 `doc`."""
    return len(doc[:pos].decode("utf-8"))


def _inputs(doc):
    yield "bytes", doc, doc
    yield "bytearray", bytearray(doc), doc
    yield "memoryview", memoryview(doc), doc
    yield "memoryview-slice", memoryview(b"  " + doc + b"  ")[2 : 2 + len(doc)], doc
    try:
        text = doc.decode("utf-8")
    except UnicodeDecodeError:
        return
    yield "str", text, text


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_table_case(case):
    for kind, data, expected_doc in _inputs(case.doc):
        if isinstance(case.expected, Ok):
            try:
                got = jcodec.loads(data)
            except jcodec.JSONDecodeError as e:
                pytest.fail(f"{kind}: rejected valid document: {e}")
            diff = first_difference(got, case.expected.value)
            assert diff is None, f"{kind}: {diff}"
        else:
            with pytest.raises(jcodec.JSONDecodeError) as info:
                jcodec.loads(data)
            e = info.value
            want_pos = _str_pos(case.doc, case.expected.pos) if kind == "str" else case.expected.pos
            assert case.expected.msg in e.msg, f"{kind}: message {e.msg!r}"
            assert e.pos == want_pos, f"{kind}: pos {e.pos} != {want_pos} ({e.msg})"
            assert e.doc == expected_doc and type(e.doc) is type(expected_doc), kind
            assert 0 <= e.pos <= len(expected_doc)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_table_agrees_with_json(case):
    """The table is cross-checked against json.loads: same value, or both reject,
    or a listed deliberate difference."""
    differences = json_differences(case.doc)
    try:
        want = json.loads(case.doc)
    except RecursionError:
        # json's limit is the recursion limit, jcodec's 1024 levels
        assert differences == ["depth"]
        return
    except ValueError:
        json_accepts = False
    else:
        json_accepts = True
    if isinstance(case.expected, Ok):
        assert json_accepts, "jcodec's table accepts what json rejects"
        assert not differences, differences
        diff = first_difference(case.expected.value, want)
        assert diff is None, diff
    elif json_accepts:
        assert differences, "json accepts this document and differences.py lists no reason"


# =============================================================================
# JSONTestSuite
# =============================================================================

I_DECISIONS = {
    # name: (decision, message substring when rejected, reason)
    "i_number_double_huge_neg_exp.json": ("accept", None, "123.456e-789 underflows to 0.0, as float() does"),
    "i_number_huge_exp.json": ("reject", "number out of range", "0.4e0066999... overflows the double range"),
    "i_number_neg_int_huge_exp.json": ("reject", "number out of range", "-1e+9999 overflows the double range"),
    "i_number_pos_double_huge_exp.json": ("reject", "number out of range", "1.5e+9999 overflows the double range"),
    "i_number_real_neg_overflow.json": ("reject", "number out of range", "-123123e100000 overflows"),
    "i_number_real_pos_overflow.json": ("reject", "number out of range", "123123e100000 overflows"),
    "i_number_real_underflow.json": ("accept", None, "123e-10000000 underflows to 0.0, as float() does"),
    "i_number_too_big_neg_int.json": ("accept", None, "integers are exact at any size (Python int)"),
    "i_number_too_big_pos_int.json": ("accept", None, "integers are exact at any size (Python int)"),
    "i_number_very_big_negative_int.json": ("accept", None, "integers are exact up to sys.get_int_max_str_digits()"),
    "i_object_key_lone_2nd_surrogate.json": ("reject", "lone surrogate", "lone surrogate escape in a key"),
    "i_string_1st_surrogate_but_2nd_missing.json": ("reject", "lone surrogate", "high surrogate escape without its low half"),
    "i_string_1st_valid_surrogate_2nd_invalid.json": ("reject", "lone surrogate", "high surrogate followed by a non-surrogate escape"),
    "i_string_UTF-16LE_with_BOM.json": ("reject", "expected a value", "input is UTF-8 only; no UTF-16 detection"),
    "i_string_UTF-8_invalid_sequence.json": ("reject", "invalid UTF-8", "0xFA is not UTF-8"),
    "i_string_UTF8_surrogate_U+D800.json": ("reject", "encoded surrogate", "UTF-8-encoded surrogates are invalid UTF-8"),
    "i_string_incomplete_surrogate_and_escape_valid.json": ("reject", "lone surrogate", "high surrogate followed by \\n"),
    "i_string_incomplete_surrogate_pair.json": ("reject", "lone surrogate", "high surrogate followed by plain text"),
    "i_string_incomplete_surrogates_escape_valid.json": ("reject", "lone surrogate", "two high surrogates"),
    "i_string_invalid_lonely_surrogate.json": ("reject", "lone surrogate", "a lone high surrogate"),
    "i_string_invalid_surrogate.json": ("reject", "lone surrogate", "high surrogate followed by text"),
    "i_string_invalid_utf-8.json": ("reject", "invalid UTF-8 byte 0xFF", "0xFF is never UTF-8"),
    "i_string_inverted_surrogates_U+1D11E.json": ("reject", "lone surrogate", "low surrogate before the high one"),
    "i_string_iso_latin_1.json": ("reject", "invalid UTF-8 byte 0xE9", "Latin-1 text is not UTF-8"),
    "i_string_lone_second_surrogate.json": ("reject", "lone surrogate", "a lone low surrogate"),
    "i_string_lone_utf8_continuation_byte.json": ("reject", "continuation byte without a lead byte", "stray continuation byte"),
    "i_string_not_in_unicode_range.json": ("reject", "above U+10FFFF", "F4 BF.. encodes beyond U+10FFFF"),
    "i_string_overlong_sequence_2_bytes.json": ("reject", "overlong encoding", "C0 AF is an overlong '/'"),
    "i_string_overlong_sequence_6_bytes.json": ("reject", "invalid UTF-8 byte 0xFC", "6-byte sequences are not UTF-8"),
    "i_string_overlong_sequence_6_bytes_null.json": ("reject", "invalid UTF-8 byte 0xFC", "6-byte sequences are not UTF-8"),
    "i_string_truncated-utf-8.json": ("reject", "truncated sequence", "E0 followed by a non-continuation byte"),
    "i_string_utf16BE_no_BOM.json": ("reject", "expected a value", "input is UTF-8 only; no UTF-16 detection"),
    "i_string_utf16LE_no_BOM.json": ("reject", "expected a value", "input is UTF-8 only; no UTF-16 detection"),
    "i_structure_500_nested_arrays.json": ("accept", None, "500 levels is within the 1024 nesting limit"),
    "i_structure_UTF-8_BOM_empty_object.json": ("reject", "byte order mark", "RFC 8259 8.1: no BOM"),
}


def _suite_files(prefix):
    if not JSONTESTSUITE_DIR.is_dir():
        return [pytest.param(None, id=f"{prefix}no-suite", marks=pytest.mark.skip(reason=SUITE_MISSING))]
    names = sorted(n for n in os.listdir(JSONTESTSUITE_DIR) if n.startswith(prefix) and n.endswith(".json"))
    return [pytest.param(n, id=n) for n in names]


def _read(name):
    return (JSONTESTSUITE_DIR / name).read_bytes()


def _decodes_as_utf8(doc):
    try:
        return doc.decode("utf-8")
    except UnicodeDecodeError:
        return None


@pytest.mark.parametrize("name", _suite_files("y_"))
def test_suite_y(name):
    doc = _read(name)
    got = jcodec.loads(doc)
    text = _decodes_as_utf8(doc)
    if text is not None:
        diff = first_difference(jcodec.loads(text), got)
        assert diff is None, f"str input: {diff}"
    diff = first_difference(jcodec.loads(bytearray(doc)), got)
    assert diff is None, f"bytearray input: {diff}"
    if not json_differences(doc):
        diff = first_difference(got, json.loads(doc))
        assert diff is None, f"differs from json.loads: {diff}"


def _assert_rejects(data, doc_len):
    try:
        value = jcodec.loads(data)
    except jcodec.JSONDecodeError as e:
        assert isinstance(e, json.JSONDecodeError)
        assert 0 <= e.pos <= doc_len, (e.pos, doc_len)
        assert e.msg
        return e
    except BaseException as e:  # noqa: B036 - any other exception type is a bug
        pytest.fail(f"raised {type(e).__name__} instead of JSONDecodeError: {e!r}")
    pytest.fail(f"accepted an invalid document: {value!r:.200}")


@pytest.mark.parametrize("name", _suite_files("n_"))
def test_suite_n(name):
    doc = _read(name)
    _assert_rejects(doc, len(doc))
    _assert_rejects(memoryview(doc), len(doc))
    text = _decodes_as_utf8(doc)
    if text is not None:
        _assert_rejects(text, len(text))


@pytest.mark.parametrize("name", _suite_files("i_"))
def test_suite_i(name):
    assert name in I_DECISIONS, f"{name} has no entry in I_DECISIONS: decide and document it"
    decision, msg, reason = I_DECISIONS[name]
    doc = _read(name)
    if decision == "accept":
        try:
            got = jcodec.loads(doc)
        except jcodec.JSONDecodeError as e:
            pytest.fail(f"decided 'accept' ({reason}) but rejected: {e}")
        if not json_differences(doc):
            diff = first_difference(got, json.loads(doc))
            assert diff is None, diff
    else:
        e = _assert_rejects(doc, len(doc))
        assert msg in e.msg, f"decided 'reject' ({reason}) with {msg!r}, got {e.msg!r}"


def test_suite_counts(capsys):
    if not JSONTESTSUITE_DIR.is_dir():
        pytest.skip(SUITE_MISSING)
    names = [n for n in os.listdir(JSONTESTSUITE_DIR) if n.endswith(".json")]
    y = [n for n in names if n.startswith("y_")]
    n = [n for n in names if n.startswith("n_")]
    i = sorted(n for n in names if n.startswith("i_"))
    passed = 0
    for name in y:
        try:
            jcodec.loads(_read(name))
            passed += 1
        except jcodec.JSONDecodeError:
            pass
    for name in n:
        try:
            jcodec.loads(_read(name))
        except jcodec.JSONDecodeError:
            passed += 1
    accepted_i = []
    for name in i:
        try:
            jcodec.loads(_read(name))
            accepted_i.append(name)
        except jcodec.JSONDecodeError:
            pass
    with capsys.disabled():
        print(f"\nJSONTestSuite: y+n {passed}/{len(y) + len(n)} (y={len(y)}, n={len(n)}); "
              f"i={len(i)}: {len(accepted_i)} accepted, {len(i) - len(accepted_i)} rejected")
    assert passed == len(y) + len(n) == 283
    # every i_ file is decided, and the table has no stale entries
    assert sorted(I_DECISIONS) == i
