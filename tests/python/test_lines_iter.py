"""jcodec.iter_lines: an iterator over the JSON Lines of a binary file object,
read a chunk at a time. It gives what loads_lines gives for the same bytes,
whatever the chunk size and wherever read() cuts the stream; its memory is
bounded by the chunk and the longest line; after an error it is exhausted.
"""
import gc
import io
import os
import subprocess
import sys
import threading
import tracemalloc

import pytest

import jcodec
from _stream_helpers import Pieces, StrReader, assert_text_files_refused, lines_of, records, reference_lines
from support import assert_same, child_env

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, strategies as st  # noqa: E402

pytestmark = pytest.mark.usefixtures("default_cache")

DATA = lines_of(records(500)) + b"\n\r\n  \n" + lines_of([{"big": "y" * 5000}, 1]) + b"[2]"
SMALL = lines_of(records(30)) + b"\n\r\n  \n" + lines_of([{"big": "y" * 500}, 1]) + b"[2]"


def error_fields(e):
    return (type(e), e.msg, e.doc, e.pos, e.lineno, e.colno)


def outcome(fn):
    """A list of values, or the fields of the JSONDecodeError raised."""
    try:
        return list(fn())
    except jcodec.JSONDecodeError as e:
        return error_fields(e)


def test_bytesio_equals_loads_lines():
    expected = jcodec.loads_lines(DATA)
    assert_same(list(jcodec.iter_lines(io.BytesIO(DATA))), expected)
    assert_same(expected, reference_lines(DATA))


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 7, 16, 64, 1000, 4096, 1 << 20])
def test_every_chunk_size(chunk_size):
    assert_same(list(jcodec.iter_lines(io.BytesIO(DATA), chunk_size=chunk_size)),
                jcodec.loads_lines(DATA))


def test_chunk_boundary_at_every_position():
    """With chunk_size 1..len(line)+1 the chunk ends fall at every offset of
    every line (and of its CR and LF)."""
    data = b'{"a":[1,"\xc3\xa9"]}\r\n\n[true]\n"s"'
    expected = jcodec.loads_lines(data)
    for chunk_size in range(1, len(data) + 2):
        assert list(jcodec.iter_lines(io.BytesIO(data), chunk_size=chunk_size)) == expected


@given(st.lists(st.integers(1, 300), min_size=1, max_size=20), st.integers(1, 512))
def test_random_split_sizes(sizes, chunk_size):
    """read() giving fewer bytes than asked, at random points."""
    got = outcome(lambda: jcodec.iter_lines(Pieces(SMALL, sizes), chunk_size=chunk_size))
    assert_same(got, jcodec.loads_lines(SMALL))


@given(st.lists(st.sampled_from([b"1", b"[]", b"{\"ab\":[1,2]}", b"", b" \r", b"nul", b"[1,"]),
                max_size=12),
       st.lists(st.integers(1, 9), min_size=1, max_size=8), st.integers(1, 16))
def test_errors_as_loads_lines_gives_them(lines, sizes, chunk_size):
    data = b"\n".join(lines)
    assert outcome(lambda: jcodec.iter_lines(Pieces(data, sizes), chunk_size=chunk_size)) == \
        outcome(lambda: jcodec.loads_lines(data))


def test_long_line_grows_the_buffer_for_that_line_only():
    big = [{"k": "x" * 100} for _ in range(20000)]  # a 2.3 MB line
    data = b"1\n" + lines_of([big]) + lines_of(records(100))
    assert_same(list(jcodec.iter_lines(io.BytesIO(data), chunk_size=4096)),
                [1, big] + records(100))


def test_after_an_error_the_iterator_is_exhausted():
    it = jcodec.iter_lines(io.BytesIO(b"1\n[2,]\n3\n4\n"))
    assert next(it) == 1
    with pytest.raises(jcodec.JSONDecodeError) as info:
        next(it)
    assert (info.value.lineno, info.value.pos, info.value.colno) == (2, 4, 3)  # the comma
    for _ in range(3):
        with pytest.raises(StopIteration):
            next(it)
    assert list(it) == []


def test_after_read_raises_the_iterator_is_exhausted():
    class Failing(Pieces):
        def read(self, n=-1):
            if self.calls == 2:
                self.calls += 1
                raise OSError("disk gone")
            return super().read(n)

    it = jcodec.iter_lines(Failing(b"1\n2\n3\n4\n", [2]), chunk_size=2)
    assert next(it) == 1
    with pytest.raises(OSError, match="disk gone"):
        list(it)
    assert list(it) == []


def test_end_and_iter():
    it = jcodec.iter_lines(io.BytesIO(b"1\n"))
    assert iter(it) is it
    assert list(it) == [1]
    with pytest.raises(StopIteration):
        next(it)
    assert list(jcodec.iter_lines(io.BytesIO(b""))) == []
    assert type(it).__name__ == "LinesIterator"
    with pytest.raises(TypeError):
        type(it)()


def test_text_files_refused(tmp_path):
    assert_text_files_refused(lambda fp: next(jcodec.iter_lines(fp)), tmp_path)
    jcodec.iter_lines(StrReader())  # made without a read: the str shows at next()


def test_arguments():
    with pytest.raises(ValueError, match="positive"):
        jcodec.iter_lines(io.BytesIO(b""), chunk_size=0)
    with pytest.raises(TypeError, match="int"):
        jcodec.iter_lines(io.BytesIO(b""), chunk_size=1.5)
    with pytest.raises(TypeError):
        jcodec.iter_lines()
    with pytest.raises(TypeError, match="unexpected keyword"):
        jcodec.iter_lines(io.BytesIO(b""), size=3)
    assert list(jcodec.iter_lines(io.BytesIO(b"1\n2"), 1)) == [1, 2]
    assert list(jcodec.iter_lines(io.BytesIO(b"1\n2"), chunk_size=None)) == [1, 2]


def test_reentrant_next_from_read_is_refused():
    class Reentrant(Pieces):
        def read(self, n=-1):
            if self.calls == 1:
                with pytest.raises(ValueError, match="already executing"):
                    next(self.it)
            return super().read(n)

    reader = Reentrant(b"1\n2\n3\n", [2])
    reader.it = jcodec.iter_lines(reader, chunk_size=2)
    assert list(reader.it) == [1, 2, 3]
    del reader.it


def test_real_file_and_pipe(tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_bytes(DATA)
    expected = jcodec.loads_lines(DATA)
    for buffering in (0, -1):
        with open(path, "rb", buffering=buffering) as f:
            assert_same(list(jcodec.iter_lines(f, chunk_size=1000)), expected)
    read_end, write_end = os.pipe()

    def feed():
        with open(write_end, "wb", buffering=0) as w:
            for i in range(0, len(DATA), 777):
                w.write(DATA[i:i + 777])

    feeder = threading.Thread(target=feed)
    feeder.start()
    with open(read_end, "rb", buffering=0) as r:
        got = list(jcodec.iter_lines(r))
    feeder.join()
    assert_same(got, expected)


def test_subprocess_stdout():
    code = "import sys\nfor i in range(20000): sys.stdout.write('{\"i\": %d, \"s\": \"%s\"}\\n' % (i, 'x' * (i % 50)))\n"
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=child_env()) as child:
        got = list(jcodec.iter_lines(child.stdout, chunk_size=8192))
    assert child.returncode == 0
    assert got == [{"i": i, "s": "x" * (i % 50)} for i in range(20000)]


def test_bounded_memory():
    """Iterating over an 8 MiB stream of small records (128 chunks), each
    value dropped at once: the traced peak stays under two chunks and the
    parser's scratch, whatever the stream's size (scripts/stream_memory.py
    measures it on larger streams)."""
    line = lines_of(records(3))
    data = line * (8 * 1024 * 1024 // len(line))
    count = 0
    gc.collect()
    tracemalloc.start()
    try:
        it = jcodec.iter_lines(Pieces(data), chunk_size=64 * 1024)
        for _ in it:
            count += 1
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 3 * (len(data) // len(line))
    # Pieces.read's 64 KiB bytes, the reader's buffer (2 chunks + 1), the
    # parser (its inline stack) and the values alive at once.
    assert peak <= 3 * 64 * 1024 + 32 * 1024, peak


def test_the_stream_keeps_its_key_cache_window_across_calls():
    """A loads() between two next() calls starts a document window of its
    own; the iterator's window is put back on the next call, so the cache's
    pause policy counts the stream's keys as one document: the same counts as
    loads_lines of the same bytes."""
    unique = lines_of([{f"k{i}_{j}": j for j in range(8)} for i in range(3000)])
    jcodec._cache_clear(keys=True, stats=True)
    jcodec.loads_lines(unique)
    expected = jcodec._cache_info()
    jcodec._cache_clear(keys=True, stats=True)
    for _ in jcodec.iter_lines(io.BytesIO(unique), chunk_size=100):
        jcodec.loads(b"[1]")  # no keys: only a window of its own
    got = jcodec._cache_info()
    assert expected.unstored > 10000
    assert (got.hits, got.misses, got.unstored, got.inserts) == \
        (expected.hits, expected.misses, expected.unstored, expected.inserts)
