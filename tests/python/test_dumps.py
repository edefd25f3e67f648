"""jcodec.dumps: the API and the options, against orjson 3.8.3 where jcodec
claims compatibility.

Signature dumps(obj, /, default=None, option=None); option None or an int of
orjson's known bits ("Invalid opts" otherwise), every combination accepted;
OPT_STRICT_INTEGER, OPT_PASSTHROUGH_SUBCLASS, OPT_NON_STR_KEYS, OPT_INDENT_2,
OPT_SORT_KEYS, OPT_APPEND_NEWLINE on the built-in types (the options of the
further types: test_dumps_types.py and the test_dumps_<type>.py files); default
(callable, its result serialized, nested calls up to 254); nesting up to 254
containers; circular references.

The project's limits are 254 containers and 254 nested default calls (orjson
3.8.3 allows one more of each), and its errors are JSONEncodeError (a
TypeError, as orjson's) with jcodec's own messages.
"""
import enum
import json

import pytest

import jcodec
from support import DictSub, FloatSub, IntSub, ListSub, StrSub, TupleSub, Unknown, reference_dumps

ORJSON_BITS = {
    "INDENT_2": 1 << 0, "NAIVE_UTC": 1 << 1, "NON_STR_KEYS": 1 << 2, "OMIT_MICROSECONDS": 1 << 3,
    "SERIALIZE_NUMPY": 1 << 4, "SORT_KEYS": 1 << 5, "STRICT_INTEGER": 1 << 6, "UTC_Z": 1 << 7,
    "PASSTHROUGH_SUBCLASS": 1 << 8, "PASSTHROUGH_DATETIME": 1 << 9, "APPEND_NEWLINE": 1 << 10,
    "PASSTHROUGH_DATACLASS": 1 << 11, "SERIALIZE_DATACLASS": 0, "SERIALIZE_UUID": 0,
}

def raises_encode(message, obj, *args, **kwargs):
    """dumps(obj, ...) raises JSONEncodeError with exactly this message."""
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(obj, *args, **kwargs)
    assert str(info.value) == message
    return info.value


def nest(depth, leaf, kind="list"):
    """`depth` containers, one inside the other, the innermost holding leaf."""
    value = leaf
    for level in range(depth):
        k = kind if kind != "mixed" else ("list", "dict", "tuple")[level % 3]
        value = [value] if k == "list" else {"k": value} if k == "dict" else (value,)
    return value


def nest_empty(depth, kind="list"):
    """`depth` containers, the innermost one empty."""
    return nest(depth - 1, [] if kind == "list" else {}, kind)


# =============================================================================
# Signature


def test_signature_positional_and_keyword():
    def default(obj):
        return "D"

    obj = {"b": Unknown(), "a": 1}
    want = b'{"a":1,"b":"D"}'
    assert jcodec.dumps(obj, default, jcodec.OPT_SORT_KEYS) == want
    assert jcodec.dumps(obj, default, option=jcodec.OPT_SORT_KEYS) == want
    assert jcodec.dumps(obj, default=default, option=jcodec.OPT_SORT_KEYS) == want
    assert jcodec.dumps(obj, option=jcodec.OPT_SORT_KEYS, default=default) == want
    assert jcodec.dumps([1], None, None) == b"[1]"
    assert jcodec.dumps([1], default=None) == b"[1]"
    assert jcodec.dumps([1], option=None) == b"[1]"
    assert type(jcodec.dumps("x")) is bytes


@pytest.mark.parametrize("call", [
    lambda: jcodec.dumps(),
    lambda: jcodec.dumps(obj=1),
    lambda: jcodec.dumps(1, None, None, None),
    lambda: jcodec.dumps(1, sort_keys=True),
    lambda: jcodec.dumps(1, indent=2),
    lambda: jcodec.dumps(1, lambda o: o, default=lambda o: o),
    lambda: jcodec.dumps(1, None, 0, option=0),
    lambda: jcodec.dumps(1, **{"option": 0, "default": None, "extra": 1}),
], ids=["no_args", "obj_keyword", "four_positional", "unknown_kwarg", "json_kwarg", "default_twice",
        "option_twice", "extra_kwarg"])
def test_signature_errors(call):
    with pytest.raises(TypeError) as info:
        call()
    assert not isinstance(info.value, jcodec.JSONEncodeError)
    assert "dumps()" in str(info.value)


def test_unknown_keyword_is_named():
    with pytest.raises(TypeError, match="unexpected keyword argument 'sort_keys'"):
        jcodec.dumps(1, sort_keys=True)


# =============================================================================
# Options: values and validation


def test_option_constants_are_orjsons():
    for name, bit in ORJSON_BITS.items():
        assert getattr(jcodec, "OPT_" + name) == bit, name
        assert type(getattr(jcodec, "OPT_" + name)) is int
    assert jcodec.OPT_SERIALIZE_DATACLASS == 0 and jcodec.OPT_SERIALIZE_UUID == 0


def test_option_constants_match_installed_orjson():
    orjson = pytest.importorskip("orjson")
    for name in ORJSON_BITS:
        assert getattr(jcodec, "OPT_" + name) == getattr(orjson, "OPT_" + name), name


@pytest.mark.parametrize("option", [None, 0, jcodec.OPT_SERIALIZE_DATACLASS, jcodec.OPT_SERIALIZE_UUID,
                                    jcodec.OPT_SERIALIZE_DATACLASS | jcodec.OPT_SERIALIZE_UUID])
def test_option_none_and_zero(option):
    obj = {"b": [1, 2.5, None], "a": {"c": "é"}}
    assert jcodec.dumps(obj, option=option) == jcodec.dumps(obj) == b'{"b":[1,2.5,null],"a":{"c":"\xc3\xa9"}}'


@pytest.mark.parametrize("option", ["1", b"1", 1.0, [], -1, -(2**63), 1 << 12, (1 << 12) | 1, 2**31, 2**63,
                                    2**64, -(2**64), 10**30],
                         ids=lambda o: type(o).__name__ + ":" + repr(o)[:12])
def test_invalid_options(option):
    error = raises_encode("Invalid opts", 1, option=option)
    assert isinstance(error, TypeError)


@pytest.mark.parametrize("option", [True, False, IntSub(1), enum.IntFlag("Flag", "A B")(1)],
                         ids=["True", "False", "int_subclass", "IntFlag"])
def test_option_must_be_an_exact_int(option):
    """orjson 3.8.3 accepts only an exact int (or None): bool, IntFlag and other
    int subclasses are "Invalid opts" there, so a program that works with
    jcodec keeps working with orjson."""
    raises_encode("Invalid opts", [], option=option)
    orjson = pytest.importorskip("orjson")
    with pytest.raises(TypeError, match="^Invalid opts$"):
        orjson.dumps([], option=option)


def test_every_option_combination_is_accepted():
    obj = {"b": [1, {}], "a": IntSub(2), 3: None}
    for option in range(1 << 12):
        default = (lambda o: int(o)) if option & jcodec.OPT_PASSTHROUGH_SUBCLASS else None
        if not option & jcodec.OPT_NON_STR_KEYS:
            raises_encode("Dict key must be str at $[3]", obj, default, option)
            continue
        out = jcodec.dumps(obj, default, option)
        assert json.loads(out) == {"b": [1, {}], "a": 2, "3": None}
        assert out.endswith(b"\n") == bool(option & jcodec.OPT_APPEND_NEWLINE)
        assert (b"\n  " in out) == bool(option & jcodec.OPT_INDENT_2)
        assert out.lstrip(b"{\n ").startswith(b'"3"' if option & jcodec.OPT_SORT_KEYS else b'"b"')


# =============================================================================
# The options on the built-in types


def test_indent_2():
    obj = {"a": [1, {}, [], {"b": None}], "c": {}, "d": [], "e": "x"}
    want = reference_dumps(obj, indent=2)
    assert jcodec.dumps(obj, option=jcodec.OPT_INDENT_2) == want
    assert jcodec.dumps([], option=jcodec.OPT_INDENT_2) == b"[]"
    assert jcodec.dumps({}, option=jcodec.OPT_INDENT_2) == b"{}"
    assert jcodec.dumps(1, option=jcodec.OPT_INDENT_2) == b"1"
    deep = nest(254, 0)
    assert jcodec.dumps(deep, option=jcodec.OPT_INDENT_2) == reference_dumps(deep, indent=2)
    orjson = pytest.importorskip("orjson")
    assert jcodec.dumps(obj, option=jcodec.OPT_INDENT_2) == orjson.dumps(obj, option=orjson.OPT_INDENT_2)


def test_sort_keys():
    obj = {"b": 1, "a": {"z": 1, "é": 2, "e": 3, "\U0001F600": 4, "\uffff": 5, "": 6, "A": 7}, "aa": 2}
    assert jcodec.dumps(obj, option=jcodec.OPT_SORT_KEYS) == reference_dumps(obj, sort_keys=True)
    # Code point order, not UTF-16 order: U+FFFF sorts before U+1F600.
    assert jcodec.dumps({"\U0001F600": 1, "\uffff": 2}, option=jcodec.OPT_SORT_KEYS) == (
        '{"\uffff":2,"\U0001F600":1}'.encode())


def test_append_newline():
    for obj, want in ((1, b"1\n"), ([], b"[]\n"), ({"a": [1]}, b'{"a":[1]}\n'), ("x", b'"x"\n'), (None, b"null\n")):
        assert jcodec.dumps(obj, option=jcodec.OPT_APPEND_NEWLINE) == want
    assert jcodec.dumps({"a": [1]}, option=jcodec.OPT_APPEND_NEWLINE | jcodec.OPT_INDENT_2) == (
        b'{\n  "a": [\n    1\n  ]\n}\n')


def test_strict_integer():
    strict = jcodec.OPT_STRICT_INTEGER
    limit = 2**53 - 1
    ok = [0, 1, -1, limit, -limit, limit - 1, True, IntSub(limit)]
    assert jcodec.dumps(ok, option=strict) == reference_dumps(ok)
    for value in (limit + 1, -limit - 1, 2**63 - 1, -(2**63), 2**63, 2**64, -(2**64) - 1, 10**100,
                  IntSub(limit + 1), IntSub(10**30)):
        raises_encode("Integer exceeds 53-bit range", value, option=strict)
        raises_encode("Integer exceeds 53-bit range at $[1].a", [0, {"a": value}], option=strict)
        assert jcodec.dumps(value) == str(int(value)).encode()  # only with the option
    orjson = pytest.importorskip("orjson")
    assert orjson.dumps(ok, option=orjson.OPT_STRICT_INTEGER) == jcodec.dumps(ok, option=strict)
    with pytest.raises(TypeError, match="Integer exceeds 53-bit range"):
        orjson.dumps(limit + 1, option=orjson.OPT_STRICT_INTEGER)


def test_passthrough_subclass():
    passthrough = jcodec.OPT_PASSTHROUGH_SUBCLASS
    seen = []

    def default(obj):
        seen.append(type(obj))
        return "<%s>" % type(obj).__name__

    subclasses = [StrSub("s"), IntSub(1), DictSub(a=1), ListSub([1])]
    assert jcodec.dumps(subclasses) == b'["s",1,{"a":1},[1]]'
    assert jcodec.dumps(subclasses, default, passthrough) == b'["<StrSub>","<IntSub>","<DictSub>","<ListSub>"]'
    assert seen == [StrSub, IntSub, DictSub, ListSub]
    for value in subclasses:
        raises_encode("Type is not JSON serializable: %s" % type(value).__name__, value, option=passthrough)
    # Exact types and bool (an int subclass, but its own type) are unaffected.
    exact = ["s", 1, {"a": 1}, [1], (1,), True, False, None, 1.5]
    assert jcodec.dumps(exact, option=passthrough) == b'["s",1,{"a":1},[1],[1],true,false,null,1.5]'
    # A str subclass key is still a key (with OPT_NON_STR_KEYS).
    assert jcodec.dumps({StrSub("k"): 1}, option=passthrough | jcodec.OPT_NON_STR_KEYS) == b'{"k":1}'
    orjson = pytest.importorskip("orjson")
    assert orjson.dumps(subclasses, default, orjson.OPT_PASSTHROUGH_SUBCLASS) == jcodec.dumps(
        subclasses, default, passthrough)


def test_subclasses_and_tuples_as_base_types():
    class Big(int):
        pass

    obj = (StrSub("a\n"), IntSub(-5), Big(2**70), DictSub(k=ListSub([(1, 2), ()])), ListSub())
    want = reference_dumps(obj)
    assert want == b'["a\\n",-5,1180591620717411303424,{"k":[[1,2],[]]},[]]'
    assert jcodec.dumps(obj) == want


@pytest.mark.parametrize("value", [{1}, frozenset(), b"x", bytearray(b"x"), 1j, Unknown(), range(3),
                                   FloatSub(1.5), TupleSub((1,))],
                         ids=lambda v: type(v).__name__)
def test_types_without_a_serializer_go_to_default(value):
    """As in orjson 3.8.3 for these types: float and tuple subclasses are not
    serialized as their base type (json.dumps would)."""
    raises_encode("Type is not JSON serializable: %s" % type(value).__name__, value)
    assert jcodec.dumps([value], default=lambda o: "D") == b'["D"]'


def test_non_str_keys():
    nsk = jcodec.OPT_NON_STR_KEYS
    obj = {True: 1, False: 2, None: 3, 5: 4, -2**63: 5, 2**64: 6, 1.5: 7, -0.0: 8, 1e16: 9, 1e-7: 10,
           StrSub("s"): 11, IntSub(-3): 12, "str": 13}
    assert jcodec.dumps(obj, option=nsk) == reference_dumps(obj)
    # json's conversions: float keys by repr (1e+16, 1e-07), True as "true".
    assert b'"1e+16":9,"1e-07":10' in jcodec.dumps(obj, option=nsk)
    # Non-finite float keys: "null", as orjson (json writes NaN/Infinity).
    special = {float("nan"): 1, float("inf"): 2, float("-inf"): 3}
    assert jcodec.dumps(special, option=nsk) == b'{"null":1,"null":2,"null":3}'
    orjson = pytest.importorskip("orjson")
    assert orjson.dumps(special, option=orjson.OPT_NON_STR_KEYS) == b'{"null":1,"null":2,"null":3}'
    agree = {True: 1, False: 2, None: 3, 5: 4, -2**63: 5, 1.5: 7, -0.0: 8, StrSub("s"): 11, "str": 13}
    assert jcodec.dumps(agree, option=nsk) == orjson.dumps(agree, option=orjson.OPT_NON_STR_KEYS)
    both = nsk | jcodec.OPT_SORT_KEYS
    mixed = {"b": 1, 1: 2, "a": 3, False: 4, "false": 5, None: 6}
    assert jcodec.dumps(mixed, option=both) == b'{"1":2,"a":3,"b":1,"false":4,"false":5,"null":6}'
    assert jcodec.dumps(mixed, option=both) == orjson.dumps(mixed, option=orjson.OPT_NON_STR_KEYS
                                                             | orjson.OPT_SORT_KEYS)
    # Equal texts keep insertion order.
    assert jcodec.dumps({1: "int", "1": "str"}, option=both) == b'{"1":"int","1":"str"}'
    assert jcodec.dumps({"1": "str", 1: "int"}, option=both) == b'{"1":"str","1":"int"}'


def test_non_str_keys_with_indent():
    obj = {1: [1, {2.5: None}], None: {}}
    assert jcodec.dumps(obj, option=jcodec.OPT_NON_STR_KEYS | jcodec.OPT_INDENT_2) == reference_dumps(obj, indent=2)


# =============================================================================
# default


def test_default_must_be_callable():
    for default in (1, "str", [], Unknown()):
        raises_encode("default must be callable", Unknown(), default=default)
        # Checked up front, whether or not the object needs it (orjson 3.8.3
        # would write b"1" here and fail only when called).
        raises_encode("default must be callable", 1, default)


def test_default_result_is_serialized():
    calls = []

    def default(obj):
        calls.append(obj)
        return {"type": type(obj).__name__, "items": [1, (2.5, None)], "text": "é\n"}

    a, b = Unknown(), Unknown()
    out = jcodec.dumps({"x": [a, b], "y": a}, default=default)
    item = '{"type":"Unknown","items":[1,[2.5,null]],"text":"é\\n"}'
    assert out == ('{"x":[%s,%s],"y":%s}' % (item, item, item)).encode()
    assert calls == [a, b, a]
    assert jcodec.dumps(Unknown(), default=lambda o: None) == b"null"
    # default's result may itself need default (a chain of conversions).
    chain = {Unknown: lambda o: {1, 2}, set: sorted}
    assert jcodec.dumps([Unknown()], default=lambda o: chain[type(o)](o)) == b"[[1,2]]"
    # Classes and builtins are callables too.
    assert jcodec.dumps(Unknown(), default=str).startswith(b'"<')
    assert jcodec.dumps({1}, default=list) == b"[1]"


def _default_chain(calls_allowed):
    """A default that answers with another Unknown until its n-th call."""
    count = [0]

    def default(obj):
        count[0] += 1
        return Unknown() if count[0] < calls_allowed else "done"

    return default, count


def test_default_nesting_limit():
    for n in (1, 2, 100, 254):
        default, count = _default_chain(n)
        assert jcodec.dumps(Unknown(), default=default) == b'"done"'
        assert count[0] == n
    for n in (255, 256, 1000):
        default, count = _default_chain(n)
        raises_encode("default serializer exceeds recursion limit", Unknown(), default=default)
        assert count[0] == 254
    # The limit is on nested calls, not on calls: many siblings are fine.
    assert jcodec.dumps([Unknown()] * 1000, default=lambda o: 0) == b"[" + b",".join([b"0"] * 1000) + b"]"
    # default returning its own argument: nested forever.
    raises_encode("default serializer exceeds recursion limit at $[0]", [Unknown()], default=lambda o: o)


def test_default_nesting_limit_inside_containers():
    """Nested default calls and container depth are separate limits."""
    default, count = _default_chain(254)
    assert jcodec.dumps(nest(200, Unknown()), default=default) == b"[" * 200 + b'"done"' + b"]" * 200
    default, count = _default_chain(255)
    raises_encode("default serializer exceeds recursion limit at $.k.k.k", nest(3, Unknown(), "dict"),
                  default=default)


# =============================================================================
# Nesting depth and cycles


@pytest.mark.parametrize("kind", ["list", "dict", "tuple", "mixed"])
def test_nesting_limit(kind):
    for depth in (1, 100, 253, 254):
        value = nest(depth, 1, kind)
        assert jcodec.dumps(value) == reference_dumps(value)
    for depth in (255, 256, 1000):
        with pytest.raises(jcodec.JSONEncodeError) as info:
            jcodec.dumps(nest(depth, 1, kind))
        assert str(info.value).startswith("maximum nesting depth of 254 exceeded at $")


@pytest.mark.parametrize("kind", ["list", "dict"])
def test_nesting_limit_counts_an_empty_innermost_container(kind):
    """255 containers are one too many whether the innermost is empty or not
    (orjson 3.8.3 too counts an empty innermost container: its limit is 255
    containers either way)."""
    value = nest_empty(254, kind)
    assert jcodec.dumps(value) == reference_dumps(value)
    with pytest.raises(jcodec.JSONEncodeError, match="^maximum nesting depth of 254 exceeded at "):
        jcodec.dumps(nest_empty(255, kind))


def test_nesting_limit_through_default():
    """Containers returned by default count towards the same limit."""
    assert jcodec.dumps(nest(250, Unknown()), default=lambda o: nest(4, 0)) == b"[" * 254 + b"0" + b"]" * 254
    with pytest.raises(jcodec.JSONEncodeError, match="^maximum nesting depth of 254 exceeded at "):
        jcodec.dumps(nest(250, Unknown()), default=lambda o: nest(5, 0))


def test_circular_references():
    looped_list = []
    looped_list.append(looped_list)
    looped_dict = {}
    looped_dict["self"] = looped_dict
    through_tuple = [1]
    through_tuple.append((through_tuple,))
    mutual_a, mutual_b = {}, []
    mutual_a["b"] = mutual_b
    mutual_b.append(mutual_a)
    subclass = DictSub()
    subclass["x"] = [subclass]
    for value in (looped_list, looped_dict, through_tuple, mutual_a, mutual_b, subclass, [[1], looped_list]):
        with pytest.raises(jcodec.JSONEncodeError) as info:
            jcodec.dumps(value)
        assert str(info.value).startswith("circular reference detected at $"), str(info.value)[:100]
        for option in (jcodec.OPT_SORT_KEYS, jcodec.OPT_INDENT_2):
            with pytest.raises(jcodec.JSONEncodeError, match="^circular reference detected at "):
                jcodec.dumps(value, option=option)


def test_circular_reference_through_default():
    holder = [Unknown()]
    with pytest.raises(jcodec.JSONEncodeError, match="^circular reference detected at "):
        jcodec.dumps(holder, default=lambda o: holder)
    box = {"item": Unknown()}
    with pytest.raises(jcodec.JSONEncodeError, match="^circular reference detected at "):
        jcodec.dumps(box, default=lambda o: [box])


def test_shared_references_are_not_cycles():
    shared = [1, {"a": 2}]
    value = [shared, shared, {"x": shared, "y": shared}, (shared,)]
    assert jcodec.dumps(value) == reference_dumps(value)
    deep_shared = nest(200, 1)
    assert jcodec.dumps([deep_shared, deep_shared]) == b"[" + b",".join([jcodec.dumps(deep_shared)] * 2) + b"]"


def test_module_state_is_untouched_by_errors():
    """A failed call leaves nothing behind for the next one."""
    for _ in range(3):
        with pytest.raises(jcodec.JSONEncodeError):
            jcodec.dumps([1, Unknown()])
        assert jcodec.dumps([1, 2]) == b"[1,2]"
        with pytest.raises(jcodec.JSONEncodeError):
            jcodec.dumps(nest(300, 1))
        assert jcodec.dumps(nest(254, 1)).count(b"[") == 254
