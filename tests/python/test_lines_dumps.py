"""jcodec.dumps_lines and jcodec.dump_lines: one compact document per item,
each followed by '\\n' (JSON Lines); OPT_INDENT_2 refused with
JSONEncodeError; an item that cannot be written is named by its index in the
path ("at $[3].id"); dump_lines writes in chunks as dump does.
"""
import io
import json

import pytest

import jcodec
import _memory_helpers as mh
from _stream_helpers import Recorder, lines_of, records
from support import Unknown, assert_same

pytestmark = pytest.mark.usefixtures("default_cache")

ITEMS = records(3000) + [None, 1, "s", [], {}, {"deep": [[[{"x": 1.5}]]]}]


def dump_lines_bytes(items, **kwargs):
    out = io.BytesIO()
    assert jcodec.dump_lines(items, out, **kwargs) is None
    return out.getvalue()


def test_lines_equal_json_per_item():
    expected = lines_of(ITEMS)
    assert jcodec.dumps_lines(ITEMS) == expected
    assert dump_lines_bytes(ITEMS) == expected
    assert b"\n".join(jcodec.dumps(x) for x in ITEMS) + b"\n" == expected


def test_round_trip():
    assert_same(jcodec.loads_lines(jcodec.dumps_lines(ITEMS)), ITEMS)


@pytest.mark.parametrize("name", sorted(mh.dumps_success_cases()))
def test_each_item_as_dumps_writes_it(name):
    obj, default, option = mh.dumps_success_cases()[name]
    if option and option & jcodec.OPT_INDENT_2:
        option &= ~jcodec.OPT_INDENT_2
    option = (option or 0) & ~jcodec.OPT_APPEND_NEWLINE
    line = jcodec.dumps(obj, default=default, option=option) + b"\n"
    assert jcodec.dumps_lines([obj, obj], default=default, option=option) == line * 2
    assert dump_lines_bytes([obj, obj], default=default, option=option) == line * 2


def test_iterables():
    assert jcodec.dumps_lines([]) == b""
    assert jcodec.dumps_lines(iter([])) == b""
    assert jcodec.dumps_lines(x * 2 for x in range(3)) == b"0\n2\n4\n"
    assert jcodec.dumps_lines((1, "a")) == b'1\n"a"\n'
    assert jcodec.dumps_lines({"k": 1, "j": 2}) == b'"k"\n"j"\n'
    assert dump_lines_bytes(x for x in range(3)) == b"0\n1\n2\n"
    with pytest.raises(TypeError):
        jcodec.dumps_lines(5)
    with pytest.raises(TypeError):
        jcodec.dump_lines(5, io.BytesIO())


def test_options():
    items = [{"b": 1, "a": {2: 3}}]
    assert jcodec.dumps_lines(items, option=jcodec.OPT_SORT_KEYS | jcodec.OPT_NON_STR_KEYS) == \
        b'{"a":{"2":3},"b":1}\n'
    # A newline ends every line already: OPT_APPEND_NEWLINE adds nothing.
    assert jcodec.dumps_lines([1], option=jcodec.OPT_APPEND_NEWLINE) == b"1\n"
    for fn in (jcodec.dumps_lines, lambda it, **kw: jcodec.dump_lines(it, io.BytesIO(), **kw)):
        with pytest.raises(jcodec.JSONEncodeError, match="OPT_INDENT_2 is not allowed"):
            fn([1], option=jcodec.OPT_INDENT_2)
        with pytest.raises(jcodec.JSONEncodeError, match="Invalid opts"):
            fn([1], option=1.5)
    assert jcodec.dumps_lines([Unknown()], lambda o: "u") == b'"u"\n'
    with pytest.raises(TypeError, match="unexpected keyword"):
        jcodec.dumps_lines([1], indent=2)


@pytest.mark.parametrize("fn", ["dumps_lines", "dump_lines"])
def test_item_errors_name_the_item(fn):
    call = jcodec.dumps_lines if fn == "dumps_lines" else \
        (lambda items, **kw: jcodec.dump_lines(items, io.BytesIO(), **kw))
    with pytest.raises(jcodec.JSONEncodeError, match=r"^Type is not JSON serializable: Unknown at \$\[2\]\.id$"):
        call([1, 2, {"id": Unknown()}])
    with pytest.raises(jcodec.JSONEncodeError, match=r"at \$\[1\]$"):
        call([1, Unknown()])

    def default(obj):
        raise ValueError("nope")

    with pytest.raises(jcodec.JSONEncodeError) as info:
        call([1, [Unknown()]], default=default)
    assert isinstance(info.value.__cause__, ValueError)
    assert str(info.value).endswith("at $[1][0]")

    def failing():
        yield 1
        raise KeyError("from the iterator")

    with pytest.raises(KeyError):
        call(failing())


def test_dump_lines_in_chunks_and_what_was_written():
    items = records(30000)
    recorder = Recorder()
    jcodec.dump_lines(items, recorder)
    assert recorder.data == lines_of(items)
    assert len(recorder.chunks) > 10
    assert all(len(c) >= 64 * 1024 for c in recorder.chunks[:-1])
    # An item that fails: the chunks before it are written, nothing after.
    recorder = Recorder()
    with pytest.raises(jcodec.JSONEncodeError, match=r"\$\[20000\]"):
        jcodec.dump_lines(items[:20000] + [Unknown()] + items, recorder)
    assert lines_of(items[:20000]).startswith(recorder.data)
    assert len(lines_of(items[:20000])) - len(recorder.data) < 80 * 1024


def test_dump_lines_text_file_refused():
    with pytest.raises(TypeError, match="binary file object"):
        jcodec.dump_lines([1], io.StringIO())


def test_nothing_retained():
    def round_fn(i):
        jcodec.dumps_lines(ITEMS[:300])
        jcodec.dump_lines(ITEMS[:300], io.BytesIO())
        try:
            jcodec.dumps_lines([1, {"a": Unknown()}])
        except jcodec.JSONEncodeError:
            pass

    retained = mh.retained_after(round_fn, rounds=50, warmup=2)
    assert retained.bytes == 0, retained.top
    assert retained.own_bytes == 0
