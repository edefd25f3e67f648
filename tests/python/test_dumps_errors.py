"""jcodec.dumps errors: every error class (core/encode/error.h JC_ENCODE_ERRORS)
with its full message and the path of the offending value.

Messages end with " at $.users[3].id" inside containers: a key that is an ASCII
identifier after a dot, any other key as its repr in brackets (['a b']), list
and tuple items by index; paths over 16 steps keep the outer and inner 8 with
"...(N more)..." between. JSONEncodeError is a TypeError; an exception raised
by default (or by int-to-str conversion) is kept as __cause__, except
MemoryError, which propagates as it is.

Also: default mutating the container being written. A dict that changes size is
refused; a list may shrink or grow (what is written is documented below), and
nothing may read freed memory: those cases run in a child interpreter with
PYTHONMALLOC=debug, where freed blocks are overwritten and a stale read shows.
"""
import json
import textwrap

import pytest

import jcodec
from support import FloatSub, IntSub, StrSub, Unknown, child_env, reference_dumps, run_child


class FixedRepr:
    """A hashable key type with a stable repr (no address)."""

    def __repr__(self):
        return "FixedRepr()"


def encode_error(obj, *args, **kwargs):
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps(obj, *args, **kwargs)
    assert type(info.value) is jcodec.JSONEncodeError
    return info.value


def nest(depth, leaf):
    for _ in range(depth):
        leaf = [leaf]
    return leaf


NSK = jcodec.OPT_NON_STR_KEYS
UNSUPPORTED = "Type is not JSON serializable: Unknown"
NOT_STR = "Dict key must be str"
SURROGATE = "str is not valid UTF-8: surrogates not allowed"
DIGITS = "Integer exceeds the limit for integer string conversion (sys.set_int_max_str_digits())"


def test_hierarchy():
    assert issubclass(jcodec.JSONEncodeError, TypeError)
    assert not issubclass(jcodec.JSONEncodeError, ValueError)
    with pytest.raises(TypeError):
        jcodec.dumps(Unknown())
    error = encode_error(Unknown())
    assert error.args == (UNSUPPORTED,)


# =============================================================================
# Every error class, full message and path


ERRORS = [
    # (id, object, kwargs, message)
    ("unsupported", Unknown(), {}, UNSUPPORTED),
    ("unsupported_path", {"users": [0, 1, 2, {"id": Unknown()}]}, {}, UNSUPPORTED + " at $.users[3].id"),
    ("unsupported_tuple", ((1, Unknown()),), {}, UNSUPPORTED + " at $[0][1]"),
    ("unsupported_sorted", {"b": 1, "a": [Unknown()]}, {"option": jcodec.OPT_SORT_KEYS}, UNSUPPORTED + " at $.a[0]"),
    ("unsupported_indent", {"b": [[1, Unknown()]]}, {"option": jcodec.OPT_INDENT_2}, UNSUPPORTED + " at $.b[0][1]"),
    ("key_space", {"a b": [Unknown()]}, {}, UNSUPPORTED + " at $['a b'][0]"),
    ("key_quote", {"a'b": Unknown()}, {}, UNSUPPORTED + " at $[\"a'b\"]"),
    ("key_empty", {"": Unknown()}, {}, UNSUPPORTED + " at $['']"),
    ("key_non_ascii", {"é": Unknown()}, {}, UNSUPPORTED + " at $['é']"),
    ("key_digit_first", {"1x": Unknown()}, {}, UNSUPPORTED + " at $['1x']"),
    ("key_dot", {"a.b": Unknown()}, {}, UNSUPPORTED + " at $['a.b']"),
    ("key_dash", {"a-b": Unknown()}, {}, UNSUPPORTED + " at $['a-b']"),
    ("key_identifier", {"_x1": {"A9": Unknown()}}, {}, UNSUPPORTED + " at $._x1.A9"),
    ("key_escape", {"\n": Unknown()}, {}, UNSUPPORTED + " at $['\\n']"),
    ("key_int", {1: [Unknown()]}, {"option": NSK}, UNSUPPORTED + " at $[1][0]"),
    ("key_none", {None: Unknown()}, {"option": NSK}, UNSUPPORTED + " at $[None]"),
    ("key_str_subclass", {StrSub("k"): Unknown()}, {"option": NSK}, UNSUPPORTED + " at $.k"),
    ("float_subclass", [FloatSub(1.0)], {}, "Type is not JSON serializable: FloatSub at $[0]"),
    ("not_str_int", {"a": {1: 2}}, {}, NOT_STR + " at $.a[1]"),
    ("not_str_int_sorted", {"a": {1: 2}}, {"option": jcodec.OPT_SORT_KEYS}, NOT_STR + " at $.a[1]"),
    ("not_str_float", {1.5: 0}, {}, NOT_STR + " at $[1.5]"),
    ("not_str_bool", {True: 0}, {}, NOT_STR + " at $[True]"),
    ("not_str_none", {None: 0}, {}, NOT_STR + " at $[None]"),
    ("not_str_tuple", {(1,): 0}, {}, NOT_STR + " at $[(1,)]"),
    ("not_str_bytes", {b"x": 0}, {}, NOT_STR + " at $[b'x']"),
    ("not_str_subclass", {StrSub("k"): 0}, {}, NOT_STR + " at $.k"),
    ("not_str_after_members", {"a": 1, "b": [2], 3: 4}, {}, NOT_STR + " at $[3]"),
    ("key_type_tuple", {"x": {(1,): 0}}, {"option": NSK},
     "Dict key must be a type serializable with OPT_NON_STR_KEYS, not tuple at $.x[(1,)]"),
    ("key_type_bytes", {b"x": 0}, {"option": NSK},
     "Dict key must be a type serializable with OPT_NON_STR_KEYS, not bytes at $[b'x']"),
    ("key_type_frozenset", {frozenset(): 0}, {"option": NSK | jcodec.OPT_SORT_KEYS},
     "Dict key must be a type serializable with OPT_NON_STR_KEYS, not frozenset at $[frozenset()]"),
    ("key_type_object", {FixedRepr(): 0}, {"option": NSK},
     "Dict key must be a type serializable with OPT_NON_STR_KEYS, not FixedRepr at $[FixedRepr()]"),
    ("strict_integer", [1, {"n": 2**53}], {"option": jcodec.OPT_STRICT_INTEGER},
     "Integer exceeds 53-bit range at $[1].n"),
    ("strict_big_integer", -(2**100), {"option": jcodec.OPT_STRICT_INTEGER}, "Integer exceeds 53-bit range"),
    ("surrogate", "\ud800", {}, SURROGATE),
    ("surrogate_low", ["ok", "abc\udfff"], {}, SURROGATE + " at $[1]"),
    ("surrogate_ucs4", {"k": "\U0001F600" * 20 + "\udc00"}, {}, SURROGATE + " at $.k"),
    ("surrogate_long", ["é" * 5000 + "\ud83d"], {}, SURROGATE + " at $[0]"),
    ("surrogate_subclass", [StrSub("\ud800")], {}, SURROGATE + " at $[0]"),
    ("surrogate_key", {"a": {"\udc00": 1}}, {}, SURROGATE + " at $.a['\\udc00']"),
    ("surrogate_key_sorted", {"\udc00": 1, "a": 2}, {"option": jcodec.OPT_SORT_KEYS}, SURROGATE + " at $['\\udc00']"),
    ("surrogate_key_subclass", {StrSub("\ud800"): 1}, {"option": NSK}, SURROGATE + " at $['\\ud800']"),
    ("default_depth", [Unknown()], {"default": lambda o: o}, "default serializer exceeds recursion limit at $[0]"),
    ("depth", nest(255, 1), {},
     "maximum nesting depth of 254 exceeded at $" + "[0]" * 8 + "...(238 more)..." + "[0]" * 8),
    ("depth_dicts", {"a": [nest(300, 1)]}, {},
     "maximum nesting depth of 254 exceeded at $.a[0]" + "[0]" * 6 + "...(238 more)..." + "[0]" * 8),
]


@pytest.mark.parametrize("obj,kwargs,message", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_error_message(obj, kwargs, message):
    error = encode_error(obj, **kwargs)
    assert str(error) == message
    assert error.__cause__ is None


def test_circular_reference_messages():
    looped = []
    looped.append(looped)
    error = encode_error(looped)
    assert str(error) == "circular reference detected at $" + "[0]" * 8 + "...(238 more)..." + "[0]" * 8
    looped_dict = {}
    looped_dict["self"] = looped_dict
    error = encode_error({"root": looped_dict})
    assert str(error) == ("circular reference detected at $.root" + ".self" * 7 + "...(238 more)..."
                          + ".self" * 8)


@pytest.mark.parametrize("depth,elided", [(1, 0), (15, 0), (16, 0), (17, 1), (30, 14), (254, 238)])
def test_path_elision(depth, elided):
    error = encode_error(nest(depth, Unknown()))
    if elided == 0:
        assert str(error) == UNSUPPORTED + " at $" + "[0]" * depth
    else:
        assert str(error) == UNSUPPORTED + " at $" + "[0]" * 8 + "...(%d more)..." % elided + "[0]" * 8


def test_path_of_a_wide_container():
    value = [0] * 1000 + [{"key": list(range(70000)) + [Unknown()]}]
    assert str(encode_error(value)) == UNSUPPORTED + " at $[1000].key[70000]"


# =============================================================================
# default raising


def test_default_exception_is_the_cause():
    raised = []

    def default(obj):
        raised.append(ValueError("no conversion for %s" % type(obj).__name__))
        raise raised[-1]

    error = encode_error({"a": [1, Unknown()]}, default=default)
    assert str(error) == UNSUPPORTED + " at $.a[1]"
    assert error.__cause__ is raised[0]
    assert error.__suppress_context__
    # The cause keeps its traceback, which shows default's frame.
    assert error.__cause__.__traceback__ is not None
    assert error.__cause__.__traceback__.tb_frame.f_code is default.__code__


# RecursionError propagates unwrapped, as MemoryError does (test_dumps_recursion.py).
@pytest.mark.parametrize("exception", [TypeError("t"), ZeroDivisionError(), KeyError("k"),
                                       jcodec.JSONEncodeError("inner"), StopIteration()],
                         ids=lambda e: type(e).__name__)
def test_default_exception_types(exception):
    def default(obj):
        raise exception

    error = encode_error(Unknown(), default=default)
    assert str(error) == UNSUPPORTED
    assert error.__cause__ is exception


def test_nested_dumps_failing_inside_default():
    def default(obj):
        return json.loads(jcodec.dumps([obj]))  # fails: no default inside

    error = encode_error({"k": Unknown()}, default=default)
    assert str(error) == UNSUPPORTED + " at $.k"
    assert type(error.__cause__) is jcodec.JSONEncodeError
    assert str(error.__cause__) == UNSUPPORTED + " at $[0]"


def test_memory_error_from_default_propagates():
    raised = MemoryError("from default")

    def default(obj):
        raise raised

    with pytest.raises(MemoryError) as info:
        jcodec.dumps([1, {"a": Unknown()}], default=default)
    assert info.value is raised
    assert jcodec.dumps([1]) == b"[1]"


@pytest.mark.parametrize("exception", [KeyboardInterrupt(), SystemExit(3), GeneratorExit()],
                         ids=lambda e: type(e).__name__)
def test_base_exceptions_from_default_propagate(exception):
    """Exceptions that are not Exceptions (an interrupt, an exit) are not
    serialization errors: they propagate as they are, like MemoryError."""

    def default(obj):
        raise exception

    with pytest.raises(type(exception)) as info:
        jcodec.dumps({"a": [Unknown()]}, default=default)
    assert info.value is exception
    assert jcodec.dumps([1]) == b"[1]"


def test_path_of_a_long_key_is_cut():
    key = "a" * 1000
    error = encode_error({key: [Unknown()]})
    message = str(error)
    assert message.startswith(UNSUPPORTED + " at $['" + "a" * 64)
    assert message.endswith("'...][0]")
    assert len(message) < 200


def test_path_of_a_huge_int_key():
    error = encode_error({"a": {10**70: Unknown()}}, option=NSK)
    assert str(error) == UNSUPPORTED + " at $.a[<int>]"


# =============================================================================
# int beyond sys.get_int_max_str_digits()


def int_str_error(n):
    """The message of the ValueError str(n) raises under the current limit."""
    with pytest.raises(ValueError) as info:
        str(n)
    return str(info.value)


def test_int_beyond_digit_limit(int_digits_limit):
    int_digits_limit(4300)
    big = [10**4299, -(10**4300 - 1)]
    assert jcodec.dumps(big) == reference_dumps(big)
    for value, path, n in ((10**4300, "", 10**4300), ([1, -(10**4300)], " at $[1]", -(10**4300)),
                           ({"n": IntSub(10**5000)}, " at $.n", 10**5000)):
        error = encode_error(value)
        assert str(error) == DIGITS + path
        assert type(error.__cause__) is ValueError
        # int's own message, whose wording is the interpreter's ("(4300)" on
        # 3.9 and 3.10, "(4300 digits)" from 3.11).
        assert str(error.__cause__) == int_str_error(n)
        assert "(4300" in str(error.__cause__)
    int_digits_limit(640)
    error = encode_error([10**640])
    assert str(error) == DIGITS + " at $[0]"
    assert str(error.__cause__) == int_str_error(10**640)
    assert "(640" in str(error.__cause__)
    int_digits_limit(0)  # no limit
    assert jcodec.dumps(10**10000) == b"1" + b"0" * 10000


def test_int_key_beyond_digit_limit(int_digits_limit):
    """OPT_NON_STR_KEYS with an int key too long to convert: a JSONEncodeError
    (cause: int's ValueError), as for an int value. The error's path must not
    need the key's repr, which fails the same way."""
    int_digits_limit(4300)
    assert jcodec.dumps({10**4299: 1}, option=NSK) == b'{"1' + b"0" * 4299 + b'":1}'
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps({"a": {10**4300: 1}}, option=NSK)
    assert str(info.value).startswith(DIGITS)
    assert type(info.value.__cause__) is ValueError


def test_key_whose_repr_raises():
    """The error for a key type dumps refuses is a JSONEncodeError, whatever
    the key's __repr__ does (it may raise, or be slow: the message must not
    depend on running it)."""

    class BadRepr:
        def __repr__(self):
            raise RuntimeError("__repr__ called")

    for option in (0, NSK, NSK | jcodec.OPT_SORT_KEYS):
        with pytest.raises(jcodec.JSONEncodeError) as info:
            jcodec.dumps({"a": {BadRepr(): 1}}, option=option)
        assert str(info.value).startswith(NOT_STR if option == 0 else
                                          "Dict key must be a type serializable with OPT_NON_STR_KEYS, not BadRepr")
        assert str(info.value).endswith(" at $.a[<BadRepr>]")


# =============================================================================
# default mutating what is being written


def test_dict_changing_size_inside_default():
    grows = {"a": Unknown(), "b": 1}

    def add(obj):
        grows["new%d" % len(grows)] = 0
        return 0

    error = encode_error(grows, default=add)
    assert str(error) == "dict changed size during serialization"
    shrinks = {"a": Unknown(), "b": 1, "c": 2}
    error = encode_error({"outer": [shrinks]}, default=lambda o: shrinks.pop("c"))
    assert str(error) == "dict changed size during serialization at $.outer[0]"
    assert jcodec.dumps({"a": 1}) == b'{"a":1}'


def test_dict_changing_size_inside_default_with_sort_keys():
    """OPT_SORT_KEYS takes the members (with references) before writing any:
    the members as they were when the dict was reached are written."""
    d = {"b": 1, "a": Unknown(), "c": 3}

    def mutate(obj):
        d["z"] = 26
        del d["c"]
        d.pop("b")
        return "A"

    assert jcodec.dumps(d, default=mutate, option=jcodec.OPT_SORT_KEYS) == b'{"a":"A","b":1,"c":3}'
    assert d == {"a": d["a"], "z": 26}


def test_dict_replacing_members_inside_default():
    """Same size, other members: not detected by size; the output is some
    mix of old and new members but valid JSON, and nothing crashes."""
    d = {"a": Unknown(), "b": 1, "c": 2}

    def swap(obj):
        del d["b"]
        d["x"] = 9
        return 0

    out = jcodec.dumps(d, default=swap)
    assert set(json.loads(out)) <= {"a", "b", "c", "x"}


def test_list_shrinking_inside_default():
    """A list that shrinks while written: the items already written stay,
    the removed ones after the current position are not written."""
    items = [1, Unknown(), 3, 4, 5]

    def remove_rest(obj):
        del items[2:]
        return "D"

    assert jcodec.dumps(items, default=remove_rest) == b'[1,"D"]'
    items = [Unknown(), 2, 3]

    def clear(obj):
        items.clear()
        return "D"

    assert jcodec.dumps({"l": items}, default=clear) == b'{"l":["D"]}'
    # Removing items before the current position skips the ones that move
    # into the written positions (as a Python for loop over the list does).
    items = [0, 1, Unknown(), 3, 4, 5]

    def remove_front(obj):
        del items[:2]
        return "D"

    assert jcodec.dumps(items, default=remove_front) == b'[0,1,"D",5]'


def test_list_growing_inside_default():
    """Items appended while the list is written are written too."""
    items = [Unknown()]
    calls = [0]

    def append(obj):
        calls[0] += 1
        if calls[0] < 5:
            items.append(Unknown())
        return calls[0]

    assert jcodec.dumps(items, default=append) == b"[1,2,3,4,5]"
    # A tuple cannot change; a list inside it can.
    inner = [Unknown()]
    assert jcodec.dumps((inner,), default=lambda o: inner.append(7)) == b"[[null,7]]"


# Each case runs in a child interpreter under the debug allocator: a read of a
# freed object sees 0xDD bytes there and crashes or prints garbage.
MUTATION_CASES = {
    "dict_cleared_then_unsupported": ("""
        d = {"".join(["ke", "y"]): Unknown()}
        def default(o):
            if isinstance(o, Unknown):
                d.clear()
                return object()
            raise TypeError("no")
        run(d, default)
        """, "JSONEncodeError: Type is not JSON serializable: object at $.key"),
    "dict_cleared_then_raises": ("""
        d = {"".join(["ke", "y"]): Unknown()}
        def default(o):
            d.clear()
            raise ValueError("no")
        run(d, default)
        """, "JSONEncodeError: Type is not JSON serializable: Unknown at $.key"),
    "list_cleared_argument_dropped_then_raises": ("""
        items = [Unknown()]
        def default(o):
            items.clear()
            del o
            raise ValueError("no")
        run(items, default)
        """, "JSONEncodeError: Type is not JSON serializable: Unknown at $[0]"),
    "list_cleared_then_container_with_unsupported": ("""
        items = [Unknown()]
        def default(o):
            if isinstance(o, Unknown):
                items.clear()
                del o
                return [object()]
            raise TypeError("no")
        run(items, default)
        """, "JSONEncodeError: Type is not JSON serializable: object at $[0][0]"),
    "list_cleared_then_ok": ("""
        items = [Unknown(), {"k": [1]}, 3]
        def default(o):
            items.clear()
            return [o.__class__.__name__]
        run(items, default)
        """, 'ok: [["Unknown"]]'),
    "sorted_dict_cleared_then_raises": ("""
        d = {"".join(["ke", "y"]): Unknown(), "a": 1}
        def default(o):
            d.clear()
            del o
            raise ValueError("no")
        run(d, default, jcodec.OPT_SORT_KEYS)
        """, "JSONEncodeError: Type is not JSON serializable: Unknown at $.key"),
}

CHILD_PRELUDE = """
import jcodec
class Unknown:
    pass
def run(obj, default, option=None):
    try:
        out = jcodec.dumps(obj, default=default, option=option)
    except Exception as exc:
        print("%s: %s" % (type(exc).__name__, exc))
    else:
        print("ok: %s" % out.decode())
"""


@pytest.mark.parametrize("name", list(MUTATION_CASES))
def test_mutation_inside_default_reads_no_freed_memory(name):
    code, expected = MUTATION_CASES[name]
    proc = run_child(CHILD_PRELUDE + textwrap.dedent(code), env=child_env(PYTHONMALLOC="debug"))
    assert proc.returncode == 0, "child died (%d): %s" % (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout.strip() == expected
