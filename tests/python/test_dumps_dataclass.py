"""jcodec.dumps of dataclasses: a map of dataclasses.fields() in definition
order (no ClassVar or InitVar; names starting with "_" left out, as orjson),
for plain, frozen, __slots__, nested and inheriting classes; a field value it
cannot write goes to default; OPT_PASSTHROUGH_DATACLASS sends them all to
default; the field list is cached per class (64 entries, 2 per set of the
class's address) and must follow a
class that changes: a new __dataclass_fields__, a class decorated again, a
class replaced by another of the same name (and maybe the same address), more
classes than the cache holds.

Against reference.expected (dataclasses.fields() and getattr) and literal
bytes, and against orjson 3.8.3 where it writes the same (instances without
attributes outside their fields: orjson writes a non-slots instance's
__dict__, differences.py: dataclass_fields).
"""
import copy
import dataclasses
import gc
import sys

import pytest

import jcodec
from _types import Base, Derived, FrozenPoint, Member, Nothing, Pseudo, SlotsPoint, Tree, slots_dataclass
from support import Unknown, assert_reference, run_child, scaled_examples

pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402

import _types_strategies as T  # noqa: E402


def orjson_same(value, option=0, default=None):
    orjson = pytest.importorskip("orjson", reason="orjson 3.8.3 is not installed: no side-by-side check")
    assert orjson.dumps(value, default, option) == jcodec.dumps(value, default, option)


def test_member():
    assert jcodec.dumps(Member(7, True, "é", 1.5)) == b'{"id":7,"active":true,"name":"\xc3\xa9","score":1.5}'
    orjson_same([Member(7, True, "é", 1.5)] * 3)


def test_frozen_slots_nested_inheriting():
    assert jcodec.dumps(FrozenPoint(1, 2)) == b'{"x":1,"y":2}'
    assert jcodec.dumps(SlotsPoint(1, FrozenPoint(3))) == b'{"x":1,"y":{"x":3,"y":0}}'
    assert jcodec.dumps(Derived()) == b'{"a":10,"b":2,"c":3}'
    tree = Tree("root", [Tree("a"), Tree("b", [Tree("c")])])
    assert jcodec.dumps(tree) == (b'{"label":"root","children":[{"label":"a","children":[]},'
                                  b'{"label":"b","children":[{"label":"c","children":[]}]}]}')
    assert jcodec.dumps(Nothing()) == b"{}"
    assert jcodec.dumps([Nothing()], option=jcodec.OPT_INDENT_2) == b"[\n  {}\n]"
    assert jcodec.dumps(tree, option=jcodec.OPT_INDENT_2) == (
        b'{\n  "label": "root",\n  "children": [\n    {\n      "label": "a",\n      "children": []\n    },\n'
        b'    {\n      "label": "b",\n      "children": [\n        {\n          "label": "c",\n'
        b'          "children": []\n        }\n      ]\n    }\n  ]\n}')
    values = [FrozenPoint(1, 2), SlotsPoint(1, FrozenPoint(3)), Derived(), tree, Nothing()]
    for option in (0, jcodec.OPT_INDENT_2, jcodec.OPT_SORT_KEYS, jcodec.OPT_INDENT_2 | jcodec.OPT_SORT_KEYS):
        assert_reference(values, option)
        orjson_same(values, option)


def test_sort_keys_leaves_fields_in_order():
    """OPT_SORT_KEYS sorts dict keys; a dataclass keeps its definition order
    (as orjson)."""
    @dataclasses.dataclass
    class Unsorted:
        b: int = 1
        a: object = None

    value = Unsorted(a={"z": 1, "y": 2})
    assert jcodec.dumps(value) == b'{"b":1,"a":{"z":1,"y":2}}'
    assert jcodec.dumps(value, option=jcodec.OPT_SORT_KEYS) == b'{"b":1,"a":{"y":2,"z":1}}'
    assert_reference(value, jcodec.OPT_SORT_KEYS)
    orjson_same(value, jcodec.OPT_SORT_KEYS)


def test_pseudo_fields_and_private_names_are_left_out():
    value = Pseudo(5)
    assert [f.name for f in dataclasses.fields(value)] == ["kept", "_private", "_Pseudo__mangled"]
    assert vars(value) == {"kept": 5, "_private": 1, "_Pseudo__mangled": 2, "seen_start": 4}
    # Only the fields, and of those not the private ones; not seen_start,
    # which orjson 3.8.3 writes from __dict__ (differences.py: dataclass_fields).
    assert jcodec.dumps(value) == b'{"kept":5}'
    assert_reference(value)


def test_fields_needing_default():
    @dataclasses.dataclass
    class Holder:
        plain: int
        odd: object
        inner: object = None

    value = Holder(1, Unknown(), [Unknown(), {1, 2}])
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps({"h": value})
    assert str(info.value) == "Type is not JSON serializable: Unknown at $.h.odd"
    default = lambda o: sorted(o) if isinstance(o, set) else type(o).__name__  # noqa: E731
    assert jcodec.dumps(value, default=default) == b'{"plain":1,"odd":"Unknown","inner":["Unknown",[1,2]]}'
    assert_reference({"h": value})
    assert_reference(value, default=default)
    orjson_same(value, default=default)


def test_unreadable_field():
    @dataclasses.dataclass
    class Lazy:
        a: int
        b: int = 2

    missing = Lazy(1)
    del missing.a  # no class default to fall back on: AttributeError
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps([missing])
    assert str(info.value) == "dataclass field cannot be read at $[0].a"
    assert type(info.value.__cause__) is AttributeError
    assert_reference([missing])
    fallback = Lazy(1)
    del fallback.b  # the class default, as getattr finds it
    assert jcodec.dumps(fallback) == b'{"a":1,"b":2}'
    assert_reference(fallback)

    @slots_dataclass
    class SlotsLazy:
        a: int

    empty = SlotsLazy(1)
    del empty.a
    with pytest.raises(jcodec.JSONEncodeError, match=r"^dataclass field cannot be read at \$\.a$"):
        jcodec.dumps(empty)


def test_field_read_through_a_failing_property():
    @slots_dataclass
    class Computed:
        a: int

    class Raising(Computed):
        __slots__ = ()

        @property
        def a(self):
            return 1 / 0

    Raising = dataclasses.dataclass(Raising)  # its own __dataclass_fields__
    with pytest.raises(jcodec.JSONEncodeError) as info:
        jcodec.dumps({"k": Raising.__new__(Raising)})
    assert str(info.value) == "dataclass field cannot be read at $.k.a"
    assert type(info.value.__cause__) is ZeroDivisionError


def test_undecorated_subclass_goes_to_default():
    """__dataclass_fields__ must be the class's own (as orjson): a subclass
    that is not decorated itself is not a dataclass to dumps."""
    class Plain(Base):
        pass

    assert dataclasses.is_dataclass(Plain())
    with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: Plain$"):
        jcodec.dumps(Plain())
    assert jcodec.dumps(Plain(), default=lambda o: "D") == b'"D"'
    assert_reference([Plain()], default=lambda o: "D")
    orjson_same([Plain()], default=lambda o: "D")


def test_a_class_itself_is_not_an_instance():
    with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: type$"):
        jcodec.dumps(Member)


def test_passthrough_dataclass():
    value = [Member(1, False, "a", 0.5), SlotsPoint(1)]
    out = jcodec.dumps(value, lambda o: type(o).__name__, jcodec.OPT_PASSTHROUGH_DATACLASS)
    assert out == b'["Member","SlotsPoint"]'
    with pytest.raises(jcodec.JSONEncodeError, match=r"^Type is not JSON serializable: Member at \$\[0\]$"):
        jcodec.dumps(value, option=jcodec.OPT_PASSTHROUGH_DATACLASS)
    orjson_same(value, jcodec.OPT_PASSTHROUGH_DATACLASS, lambda o: type(o).__name__)
    assert_reference(value, jcodec.OPT_PASSTHROUGH_DATACLASS, lambda o: type(o).__name__)


def test_depth_counts_dataclasses():
    """A dataclass is a level of nesting, as a dict is: 252 lists, the
    dataclass and its empty list are 254 levels; one more list is too many."""
    value = Tree("leaf")
    for _ in range(252):
        value = [value]
    assert jcodec.dumps(value) == b"[" * 252 + b'{"label":"leaf","children":[]}' + b"]" * 252
    with pytest.raises(jcodec.JSONEncodeError, match="^maximum nesting depth of 254 exceeded at "):
        jcodec.dumps([value])
    assert_reference(value)
    assert_reference([value])


# =============================================================================
# The field cache


def test_new_dataclass_fields_are_followed():
    @dataclasses.dataclass
    class Changing:
        a: int = 1
        b: int = 2

    @dataclasses.dataclass
    class Wider:
        a: int = 0
        b: int = 0
        c: int = 0

    value = Changing()
    assert jcodec.dumps(value) == b'{"a":1,"b":2}'
    # Remove a field: a new __dataclass_fields__ (the class's version changes).
    Changing.__dataclass_fields__ = {"a": Changing.__dataclass_fields__["a"]}
    assert jcodec.dumps(value) == b'{"a":1}'
    assert_reference(value)
    # Add one.
    value.c = 3
    Changing.__dataclass_fields__ = dict(Wider.__dataclass_fields__)
    assert jcodec.dumps(value) == b'{"a":1,"b":2,"c":3}'
    assert_reference(value)
    # Not a dataclass any more, and one again.
    del Changing.__dataclass_fields__
    with pytest.raises(jcodec.JSONEncodeError, match="^Type is not JSON serializable: Changing$"):
        jcodec.dumps(value)
    Changing.__dataclass_fields__ = dict(Wider.__dataclass_fields__)
    assert jcodec.dumps(value) == b'{"a":1,"b":2,"c":3}'


def two_fields():
    """A new dataclass (a: 1, b: 2) and an instance with an attribute z
    outside its fields."""
    @dataclasses.dataclass
    class TwoFields:
        a: int = 1
        b: int = 2

    value = TwoFields()
    value.z = 26
    assert jcodec.dumps(value) == b'{"a":1,"b":2}'
    return TwoFields, value


def test_fields_mutated_in_place_are_followed():
    """The same __dataclass_fields__ dict, changed in place (the class's
    version tag does not change when a dict it holds is mutated)."""
    cls, value = two_fields()
    del cls.__dataclass_fields__["b"]
    assert jcodec.dumps(value) == b'{"a":1}'
    assert_reference(value)


def test_fields_replaced_in_place_are_followed():
    """A field replaced by another in the same dict, its size unchanged (the
    cache compares the dict's keys and Field objects by identity)."""
    cls, value = two_fields()
    fields = cls.__dataclass_fields__
    field_b = fields.pop("b")
    field_b.name = "z"
    fields["z"] = field_b
    assert [f.name for f in dataclasses.fields(value)] == ["a", "z"]
    assert jcodec.dumps(value) == b'{"a":1,"z":26}'
    assert_reference(value)


def test_field_objects_replaced_in_place_are_followed():
    """The same keys, in the same order, with other Field objects: a field
    made a ClassVar pseudo-field, then a real field again."""
    cls, value = two_fields()
    fields = cls.__dataclass_fields__
    field_b = fields["b"]
    pseudo = copy.copy(field_b)
    pseudo._field_type = dataclasses._FIELD_CLASSVAR
    fields["b"] = pseudo
    assert [f.name for f in dataclasses.fields(value)] == ["a"]
    assert jcodec.dumps(value) == b'{"a":1}'
    assert_reference(value)
    fields["b"] = field_b
    assert jcodec.dumps(value) == b'{"a":1,"b":2}'
    # The same fields in another order.
    fields["a"] = fields.pop("a")
    assert [f.name for f in dataclasses.fields(value)] == ["b", "a"]
    assert jcodec.dumps(value) == b'{"b":2,"a":1}'
    assert_reference(value)


def test_decorated_again():
    class Grown:
        a: int = 1

    Grown = dataclasses.dataclass(Grown)
    value = Grown()
    assert jcodec.dumps(value) == b'{"a":1}'
    Grown.__annotations__["b"] = int
    Grown.b = 5
    dataclasses.dataclass(Grown)
    assert jcodec.dumps(value) == b'{"a":1,"b":5}'
    assert_reference(value)


def make_class(i):
    """A new dataclass named Replaced, its fields depending on i."""
    names = ["f%d_%d" % (i % 5, j) for j in range(i % 4 + 1)]
    cls = dataclasses.make_dataclass("Replaced", [(n, int, dataclasses.field(default=j)) for j, n in enumerate(names)])
    return cls, b"{" + b",".join(b'"%s":%d' % (n.encode(), j) for j, n in enumerate(names)) + b"}"


def test_class_replaced_at_the_same_name():
    """New classes of the same name, the old one freed each time (its memory,
    and so its address, is likely reused by the next: with pymalloc most are,
    under ASan's quarantine none): each written with its own fields."""
    for i in range(60):
        cls, want = make_class(i)
        assert jcodec.dumps(cls()) == want, i
        del cls
        gc.collect()


def test_more_classes_than_the_cache_holds():
    classes = [make_class(i) for i in range(200)]
    instances = [(cls(), want) for cls, want in classes]
    for _ in range(3):
        for value, want in instances:
            assert jcodec.dumps(value) == want
    assert jcodec.dumps([v for v, _ in instances]) == b"[" + b",".join(w for _, w in instances) + b"]"
    assert_reference([v for v, _ in instances])


def test_cache_emptied_by_the_test_helper():
    """_cache_clear(dataclasses=True) (the memory suites' settle) releases the
    entry's reference to __dataclass_fields__, and the next dumps reads the
    fields again."""
    cls, value = two_fields()
    fields = cls.__dataclass_fields__
    cached = sys.getrefcount(fields)
    jcodec._cache_clear(keys=False, dataclasses=True)
    assert sys.getrefcount(fields) == cached - 1
    assert jcodec.dumps(value) == b'{"a":1,"b":2}'
    assert sys.getrefcount(fields) == cached


def test_cache_emptied_while_an_entry_runs_python_code():
    """Emptying the cache releases each entry's snapshot of
    __dataclass_fields__, which may hold the last reference to a field removed
    from it in place; that field's finalizer dumps the same class again. The
    entry must already be empty then (it was read half-released: a crash). In
    a child interpreter, so that a crash fails this test alone."""
    result = run_child("""
        import dataclasses, jcodec

        @dataclasses.dataclass
        class C:
            a: int = 1

        value = C()
        written = []

        class Released:
            # read as a real field (dataclasses._FIELD), then dropped
            _field_type = dataclasses._FIELD

            def __del__(self):
                written.append(jcodec.dumps(value))

        C.__dataclass_fields__["b"] = Released()  # in place: the class's tag stays
        value.b = 2
        assert jcodec.dumps(value) == b'{"a":1,"b":2}'
        del C.__dataclass_fields__["b"]  # only the cache's snapshot holds it now
        jcodec._cache_clear(keys=False, dataclasses=True)
        print(written)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == """[b'{"a":1}']"""


def test_instance_freed_by_its_container_while_fields_are_read():
    """Reading a class's fields may run Python code (a field's _field_type)
    that empties the list holding the only reference to the instance being
    written: dumps holds the instance meanwhile (ASan's use-after-free check
    in the sanitizers gate, the bytes here)."""
    holder = []

    class Clearing:
        @property
        def _field_type(self):
            holder.clear()
            return dataclasses._FIELD

    @dataclasses.dataclass
    class Held:
        a: int = 1

    Held.__dataclass_fields__["a"] = Clearing()
    holder.append(Held())
    assert jcodec.dumps(holder) == b'[{"a":1}]'
    assert holder == []


def test_any_two_classes_stay_cached_together():
    """Every pair of 40 classes, dumped in turn from an empty cache: both keep
    their entry (which holds __dataclass_fields__), whichever set their
    addresses pick. A direct-mapped cache of 64 would fail the pairs that
    share an entry (40 classes: some always do), and read those classes'
    fields again on every instance."""
    classes = [make_class(i) for i in range(40)]
    values = [(cls(), want) for cls, want in classes]
    fields = [cls.__dataclass_fields__ for cls, _ in classes]
    jcodec._cache_clear(keys=False, dataclasses=True)
    uncached = [sys.getrefcount(fields[k]) for k in range(len(fields))]
    shared = []
    for i in range(len(classes)):
        for j in range(i + 1, len(classes)):
            jcodec._cache_clear(keys=False, dataclasses=True)
            for _ in range(2):
                assert jcodec.dumps(values[i][0]) == values[i][1]
                assert jcodec.dumps(values[j][0]) == values[j][1]
            if (sys.getrefcount(fields[i]) - uncached[i], sys.getrefcount(fields[j]) - uncached[j]) != (1, 1):
                shared.append((i, j))
    jcodec._cache_clear(keys=False, dataclasses=True)
    assert shared == []


# =============================================================================
# Generated


@settings(max_examples=scaled_examples(200))
@given(value=T.dataclasses_of(T.documents()), option=T.OPTIONS)
def test_generated(value, option):
    assert_reference(value, option, default=repr)


@dataclasses.dataclass
class WithDefault:
    a: int
    b: str = "class default"
    c: float = 0.5


def test_instance_dicts_in_any_state():
    """The fields are read from the instance's __dict__ table where the
    expected entry holds the field's own name object (dict_table.h:
    jc_dict_value_at), else looked up: either way each field's value, whatever
    order, sharing or keys the dict has."""
    plain = [WithDefault(i, str(i), i / 4) for i in range(4)]  # split tables, shared keys
    reordered = WithDefault(1)
    reordered.__dict__ = {"extra": 0, "c": 2.5, "b": "x", "a": 7}  # combined, other order
    readded = WithDefault(2, "y", 1.5)
    del readded.a
    readded.a = 9  # deleted and set again
    missing = WithDefault(3, "z")
    del missing.b  # not in __dict__: the class attribute, as getattr reads it
    equal_names = WithDefault(4)
    equal_names.__dict__ = {"".join([name, ""]): v for name, v in (("a", 1), ("b", "q"), ("c", 3.0))}
    # keys equal to the field names but other objects: the table read must miss
    assert all(key is not sys.intern(key) for key in equal_names.__dict__)

    class Mapping(dict):
        def __getitem__(self, key):
            raise AssertionError("not read through __getitem__")

    subclass_dict = WithDefault(5)
    subclass_dict.__dict__ = Mapping(a=5, b="m", c=0.25)
    widened = WithDefault(6)
    widened.extra = [1]  # the shared keys grow past the fields
    after_widening = WithDefault(7, "w", 7.5)
    values = [*plain, reordered, readded, missing, equal_names, subclass_dict, widened, after_widening]
    expected = [{"a": v.a, "b": v.b, "c": v.c} for v in values]
    assert jcodec.dumps(values) == jcodec.dumps(expected)
    assert jcodec.dumps(missing) == b'{"a":3,"b":"class default","c":0.5}'
    assert jcodec.dumps(readded) == b'{"a":9,"b":"y","c":1.5}'
    for option in (jcodec.OPT_SORT_KEYS, jcodec.OPT_INDENT_2):
        assert jcodec.dumps(values, option=option) == jcodec.dumps(expected, option=option)
