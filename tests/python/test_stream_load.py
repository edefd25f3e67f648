"""jcodec.load: a binary file object's contents parsed as loads parses them. A
plain regular file (FileIO, or a BufferedReader/BufferedRandom over one) is
read once from its position straight into the document's bytes, and left at
its end as read() leaves it; anything else is read with one fp.read(). Text
files are refused; errors are loads' (README, "load").
"""
import gc
import gzip
import io
import json
import os
import threading
import tracemalloc

import pytest

import jcodec
import _memory_helpers as mh
from _stream_helpers import Pieces, assert_text_files_refused, lines_of, records
from support import assert_same

pytestmark = pytest.mark.usefixtures("default_cache")

DOC = json.dumps({"records": records(2000), "text": "caf\u00e9 \U0001F600"}).encode()


def error_fields(e):
    return (type(e), e.msg, e.doc, e.pos, e.lineno, e.colno, str(e))


def loads_outcome(data):
    try:
        return jcodec.loads(data)
    except jcodec.JSONDecodeError as e:
        return error_fields(e)


def load_outcome(fp):
    try:
        return jcodec.load(fp)
    except jcodec.JSONDecodeError as e:
        return error_fields(e)


@pytest.mark.parametrize("buffering", [-1, 0, 7, 1 << 20])
def test_regular_file(tmp_path, buffering):
    path = tmp_path / "doc.json"
    path.write_bytes(DOC)
    with open(path, "rb", buffering=buffering) as f:
        assert_same(jcodec.load(f), json.loads(DOC))
        assert f.tell() == len(DOC)
        assert f.read() == b""


def test_from_the_current_position(tmp_path):
    path = tmp_path / "doc.json"
    path.write_bytes(b"garbage" + DOC)
    with open(path, "rb") as f:
        f.read(7)  # the buffered reader has read ahead: tell() is what counts
        assert_same(jcodec.load(f), json.loads(DOC))
        assert f.tell() == len(DOC) + 7
    with open(path, "r+b") as f:  # BufferedRandom
        f.seek(7)
        assert_same(jcodec.load(f), json.loads(DOC))
    with open(path, "rb") as f:
        f.seek(len(DOC) + 100)  # past the end: nothing to read
        with pytest.raises(jcodec.JSONDecodeError, match="empty document"):
            jcodec.load(f)


@pytest.mark.parametrize("doc", [DOC, b"", b"  ", b"[1,]", b"{\"a\" 1}", b"1\n2\n[", b"\"\xc3\"",
                                 b"\xef\xbb\xbf[]", b"[\"\xe2\x82\xac\", x]"])
def test_same_result_or_error_as_loads(tmp_path, doc):
    path = tmp_path / "doc.json"
    path.write_bytes(doc)
    expected = loads_outcome(doc)
    with open(path, "rb") as f:
        assert load_outcome(f) == expected
    assert load_outcome(io.BytesIO(doc)) == expected
    assert load_outcome(Pieces(doc)) == expected


def test_other_file_objects(tmp_path):
    expected = json.loads(DOC)
    assert_same(jcodec.load(io.BytesIO(DOC)), expected)
    # A GzipFile has a fileno() too, the compressed file's: read() it must be.
    path = tmp_path / "doc.json.gz"
    with gzip.open(path, "wb") as f:
        f.write(DOC)
    with gzip.open(path, "rb") as f:
        assert_same(jcodec.load(f), expected)

    class ByteArrays:
        def read(self):
            return bytearray(DOC)

    assert_same(jcodec.load(ByteArrays()), expected)

    class Views:
        def read(self):
            return memoryview(DOC)

    assert_same(jcodec.load(Views()), expected)


def test_pipe():
    read_end, write_end = os.pipe()

    def feed():
        with open(write_end, "wb") as w:
            w.write(DOC)

    feeder = threading.Thread(target=feed)
    feeder.start()
    with open(read_end, "rb") as r:
        got = jcodec.load(r)
    feeder.join()
    assert_same(got, json.loads(DOC))


def test_text_files_refused(tmp_path):
    assert_text_files_refused(jcodec.load, tmp_path)
    with pytest.raises(TypeError, match="read"):
        jcodec.load(b"[]")


def test_errors_of_the_file_propagate(tmp_path):
    path = tmp_path / "doc.json"
    path.write_bytes(DOC)
    f = open(path, "rb")
    f.close()
    with pytest.raises(ValueError, match="closed file"):
        jcodec.load(f)
    with open(path, "wb") as f, pytest.raises(io.UnsupportedOperation):
        jcodec.load(f)

    class Failing:
        def read(self):
            raise OSError("gone")

    with pytest.raises(OSError, match="gone"):
        jcodec.load(Failing())


def test_one_copy_of_the_document(tmp_path):
    """load() from a regular file holds the document once: its traced peak is
    the document's size (the result here is tiny: the document is mostly
    whitespace). loads(f.read()) of a BufferedReader that has read ahead
    peaks at twice that (read() joins its buffer with the rest);
    scripts/stream_memory.py shows the same in RSS on 200 MB."""
    doc = b"[1," + b" " * (8 * 1024 * 1024) + b"2]"
    path = tmp_path / "big.json"
    path.write_bytes(doc)
    peaks = {}
    for name, fn in (("load", jcodec.load), ("loads_read", lambda f: jcodec.loads(f.read()))):
        with open(path, "rb") as f:
            f.peek(1)  # the read-ahead buffer is full
            gc.collect()
            tracemalloc.start()
            try:
                assert fn(f) == [1, 2]
                peaks[name] = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    assert peaks["load"] <= len(doc) + 16 * 1024, peaks
    assert peaks["loads_read"] >= 2 * len(doc) - 64 * 1024, peaks


def test_nothing_retained(tmp_path):
    path = tmp_path / "doc.json"
    path.write_bytes(DOC)
    bad = tmp_path / "bad.json"
    bad.write_bytes(DOC[:-10])

    def round_fn(i):
        with open(path if i % 2 else bad, "rb", buffering=0 if i % 3 else -1) as f:
            try:
                jcodec.load(f)
            except jcodec.JSONDecodeError:
                pass
        jcodec.load(io.BytesIO(DOC))

    retained = mh.retained_after(round_fn, rounds=30, warmup=6)
    assert retained.bytes == 0, retained.top
    assert retained.own_bytes == 0
