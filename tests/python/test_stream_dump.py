"""jcodec.dump: the bytes dumps returns, written to a binary file object in
chunks as they are made, with memory bounded by a chunk however large the
output; text files refused; errors part-way propagate as from dumps, after
the chunks already handed to write() (README, "dump").
"""
import errno
import gc
import io
import os
import tracemalloc

import pytest

import jcodec
import _memory_helpers as mh
from _stream_helpers import Recorder, null_writer, records
from support import Unknown

pytestmark = pytest.mark.usefixtures("default_cache")

CHUNK = 64 * 1024

# An object whose output is about 5 MiB: the same sub-object repeated.
BLOCK = {"id": 1, "name": "caf\u00e9 \u20ac", "values": [1.5, -2, None, True, "x" * 50],
         "nested": {"a": [[], {}], "b": "\U0001F600"}}
BIG = [BLOCK] * 30000


def dumped(obj, **kwargs):
    out = io.BytesIO()
    assert jcodec.dump(obj, out, **kwargs) is None
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(mh.dumps_success_cases()))
def test_same_bytes_as_dumps(name):
    obj, default, option = mh.dumps_success_cases()[name]
    assert dumped(obj, default=default, option=option) == jcodec.dumps(obj, default=default, option=option)


@pytest.mark.parametrize("option", [None, jcodec.OPT_INDENT_2, jcodec.OPT_SORT_KEYS | jcodec.OPT_INDENT_2,
                                    jcodec.OPT_APPEND_NEWLINE, jcodec.OPT_NON_STR_KEYS])
def test_big_output_in_chunks(option):
    recorder = Recorder()
    jcodec.dump(BIG, recorder, option=option)
    expected = jcodec.dumps(BIG, option=option)
    assert recorder.data == expected
    sizes = [len(c) for c in recorder.chunks]
    assert len(sizes) >= len(expected) // (CHUNK + 16 * 1024)
    # Every chunk but the last is a chunk's worth, handed over at the first
    # safe point past it; each one a bytes object of its own.
    assert all(CHUNK <= n < CHUNK + 16 * 1024 for n in sizes[:-1]), sizes[:5]
    assert all(type(c) is bytes for c in recorder.chunks)
    assert len({id(c) for c in recorder.chunks}) == len(recorder.chunks)


def test_positional_and_keyword_arguments():
    out = io.BytesIO()
    jcodec.dump({"a": Unknown()}, out, lambda o: "u", jcodec.OPT_SORT_KEYS)
    assert out.getvalue() == b'{"a":"u"}'
    with pytest.raises(TypeError):
        jcodec.dump(1)
    with pytest.raises(TypeError):
        jcodec.dump(obj=1, fp=io.BytesIO())
    with pytest.raises(TypeError, match="unexpected keyword"):
        jcodec.dump(1, io.BytesIO(), indent=2)
    with pytest.raises(jcodec.JSONEncodeError, match="Invalid opts"):
        jcodec.dump(1, io.BytesIO(), option=True)
    with pytest.raises(jcodec.JSONEncodeError, match="default must be callable"):
        jcodec.dump(1, io.BytesIO(), default=3)


def test_real_files(tmp_path):
    path = tmp_path / "out.json"
    for buffering in (-1, 0, 1 << 20):
        with open(path, "wb", buffering=buffering) as f:
            jcodec.dump(BIG, f)
        assert path.read_bytes() == jcodec.dumps(BIG)


def test_text_files_refused(tmp_path):
    with pytest.raises(TypeError, match="binary file object"):
        jcodec.dump(1, io.StringIO())
    with open(tmp_path / "t.json", "w") as f, pytest.raises(TypeError, match="binary file object"):
        jcodec.dump(1, f)
    with pytest.raises(TypeError, match="write"):
        jcodec.dump(1, object())

    class TextLike:  # not an io.TextIOBase, but refuses bytes as one does
        def __init__(self):
            self.calls = 0

        def write(self, s):
            self.calls += 1
            if not isinstance(s, str):
                raise TypeError("write() argument must be str, not bytes")

    fp = TextLike()
    with pytest.raises(TypeError, match=r"dump\(\) needs a binary file object: fp.write\(bytes\) raised") as info:
        jcodec.dump(BIG, fp)
    assert fp.calls == 1
    assert isinstance(info.value.__cause__, TypeError)


class FailingWriter(Recorder):
    def __init__(self, fail_at, exc):
        super().__init__()
        self.fail_at, self.exc = fail_at, exc

    def write(self, chunk):
        if len(self.chunks) == self.fail_at:
            raise self.exc
        return super().write(chunk)


def test_write_raising_part_way():
    """The exception is write()'s own, and what was written is the chunks
    handed over before it: a prefix of the output."""
    exc = OSError(errno.EIO, "device failed")
    fp = FailingWriter(3, exc)
    with pytest.raises(OSError) as info:
        jcodec.dump(BIG, fp)
    assert info.value is exc
    assert len(fp.chunks) == 3
    assert jcodec.dumps(BIG).startswith(fp.data)
    # A TypeError after the first chunk is write()'s, not a text-file refusal.
    fp = FailingWriter(1, TypeError("late"))
    with pytest.raises(TypeError, match="^late$"):
        jcodec.dump(BIG, fp)


def test_disk_full():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as f, pytest.raises(OSError) as info:
        jcodec.dump(BIG, f)
    assert info.value.errno == errno.ENOSPC


def test_default_raising_part_way():
    """As dumps: JSONEncodeError naming the value, with the cause. Written
    before it: the whole chunks of the output up to that value."""
    def default(obj):
        raise ValueError("no")

    obj = BIG[:20000] + [Unknown()] + BIG[:10]
    recorder = Recorder()
    with pytest.raises(jcodec.JSONEncodeError, match=r"Unknown at \$\[20000\]") as info:
        jcodec.dump(obj, recorder, default=default)
    assert isinstance(info.value.__cause__, ValueError)
    before = jcodec.dumps(BIG[:20000])[:-1]  # the items before it, without the ']'
    assert before.startswith(recorder.data)
    assert len(before) - len(recorder.data) < CHUNK + 16 * 1024
    assert all(len(c) >= CHUNK for c in recorder.chunks)


def _outcome(fn):
    try:
        return ("ok", fn())
    except BaseException as e:  # noqa: B902 - the same exception is the point
        return (type(e), str(e), type(e.__cause__))


@pytest.mark.parametrize("name", sorted(mh.dumps_error_cases()))
def test_errors_as_dumps(name):
    obj, default, option = mh.dumps_error_cases()[name]
    expected = _outcome(lambda: jcodec.dumps(obj, default=default, option=option))
    assert _outcome(lambda: dumped(obj, default=default, option=option)) == expected


def test_write_changing_the_object_being_written():
    """write() runs between members only, where the encoder holds what it
    reads next: a write() that empties the list or the dict being written
    shortens the output or stops with dumps' error, never reads freed
    memory (the sanitizer build runs this too)."""
    items = ["y" * 100 for _ in range(5000)]

    class Clearing:
        def write(self, chunk):
            items.clear()

    jcodec.dump(items, Clearing())
    assert items == []

    d = {f"k{i}": "v" * 100 for i in range(3000)}

    class ClearingDict:
        def write(self, chunk):
            d.clear()

    with pytest.raises(jcodec.JSONEncodeError, match="dict changed size"):
        jcodec.dump([d], ClearingDict())

    nested = [[{"k": "x" * 200} for _ in range(100)] for _ in range(200)]

    class Replacing(Recorder):
        def write(self, chunk):
            super().write(chunk)
            for inner in nested:
                inner[:] = []

    out = Replacing()
    jcodec.dump(nested, out)
    assert out.data.endswith(b"]")

    keyed = {f"key{i}": [i] * 3000 for i in range(50)}

    class Deleting:
        def write(self, chunk):
            for key in list(keyed)[:5]:
                keyed[key] = None  # same size: replaced values, the walk goes on

    jcodec.dump(keyed, Deleting())

    # A dict rebuilt, same size, same order: a new table (perhaps where the
    # old one was). Either the walk sees it changed, or it goes on through
    # PyDict_Next and writes what the dict holds, which is what it held.
    rebuilt = {f"k{i}": ["x" * 100] * 5 for i in range(2000)}
    expected = jcodec.dumps(rebuilt)

    class Rebuilding(Recorder):
        def write(self, chunk):
            super().write(chunk)
            members = list(rebuilt.items())
            rebuilt.clear()
            rebuilt.update(members)

    out = Rebuilding()
    try:
        jcodec.dump(rebuilt, out)
    except jcodec.JSONEncodeError as e:
        assert "dict changed size" in str(e)
    else:
        assert out.data == expected


def test_short_writes_completed():
    """A raw file may take fewer bytes than given, and says how many."""
    class Short(Recorder):
        def write(self, chunk):
            taken = bytes(chunk[:1000])
            self.chunks.append(taken)
            return len(taken)

    fp = Short()
    jcodec.dump(BIG[:2000], fp)
    assert fp.data == jcodec.dumps(BIG[:2000])

    class Stuck:
        def write(self, chunk):
            return 0

    with pytest.raises(OSError, match="wrote 0"):
        jcodec.dump(BIG, Stuck())

    class Odd(Recorder):  # any answer but a count within the chunk: all of it
        def write(self, chunk):
            super().write(chunk)
            return -5 if len(self.chunks) % 2 else "ok"

    fp = Odd()
    jcodec.dump(BIG, fp)
    assert fp.data == jcodec.dumps(BIG)


def test_reentrant_write():
    class Reentrant(Recorder):
        def write(self, chunk):
            inner = io.BytesIO()
            jcodec.dump({"n": len(chunk)}, inner)
            assert jcodec.loads(inner.getvalue()) == {"n": len(chunk)}
            assert jcodec.loads(jcodec.dumps(records(3))) == records(3)
            return super().write(chunk)

    fp = Reentrant()
    jcodec.dump(BIG, fp)
    assert fp.data == jcodec.dumps(BIG)


def test_peak_memory_is_one_chunk():
    """64 MiB of output: the traced peak is one chunk's buffer (64 KiB and
    the 16 KiB of room after it) and a few hundred bytes, not the output
    (scripts/stream_memory.py measures 1 GiB)."""
    obj = [BLOCK] * (64 * 1024 * 1024 // len(jcodec.dumps(BLOCK)))
    writer = null_writer()
    # A warm-up call first, untraced: whatever the first call of a test
    # process makes once and keeps (caches of the interpreter's, not dump's
    # memory) would otherwise count as left over.
    jcodec.dump(obj[:1000], writer)
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        jcodec.dump(obj, writer)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= CHUNK + 16 * 1024 + 4 * 1024, peak
    assert current < 1024, current


@pytest.mark.parametrize("holder", ["dataclass", "enum", "fields"])
def test_rich_types_stream_their_contents(holder):
    """A dataclass's field values and an enum member's value are written by
    the stream encoder too (safe points inside them, and between a
    dataclass's fields), so a big one leaves in chunks, not as one write."""
    import dataclasses
    import enum

    @dataclasses.dataclass
    class Box:
        items: object
        more: object = None

    big = [BLOCK] * (2 * 1024 * 1024 // len(jcodec.dumps(BLOCK)))
    if holder == "dataclass":
        obj = [Box(big)]
    elif holder == "enum":
        obj = [enum.Enum("Big", [("ALL", 0)]).ALL]
        obj[0]._value_ = big
    else:  # many fields of a moderate size: the safe point between fields
        obj = [Box(big[: len(big) // 2], big[len(big) // 2:])]
    recorder = Recorder()
    jcodec.dump(obj, recorder)
    assert recorder.data == jcodec.dumps(obj)
    sizes = [len(c) for c in recorder.chunks]
    assert len(sizes) > 20 and max(sizes) < CHUNK + 16 * 1024, sizes[:5]


def test_nothing_retained():
    obj = BIG[:3000]
    out = [None]

    def round_fn(i):
        out[0] = io.BytesIO()
        jcodec.dump(obj, out[0], option=jcodec.OPT_SORT_KEYS if i % 2 else None)
        try:
            jcodec.dump(obj + [Unknown()], io.BytesIO())
        except jcodec.JSONEncodeError:
            pass

    retained = mh.retained_after(round_fn, rounds=50, warmup=2)
    assert retained.bytes == 0, retained.top
    assert retained.own_bytes == 0
