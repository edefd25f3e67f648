"""Helpers of the stream suites (test_stream_*.py, test_lines_*.py): file-like
objects that misbehave on purpose, and JSON Lines documents. Not a test module.

* Recorder: write() keeps each chunk it is handed (bytes, as dump promises).
* Pieces(data, sizes): read(n) hands out at most n bytes, and fewer whenever
  `sizes` says so (the split points a pipe or a socket would make).
* null_writer(): a writer whose write is the builtin len: no Python frame, no
  allocation, so tracemalloc sees only what dump itself allocates.
* records(n, seed): small JSON-able records of a few shapes (the values JSON
  Lines files hold: log events), deterministic.
* lines_of(values, newline=b"\\n"): their JSON Lines (json's compact output).
* reference_lines(data): what loads_lines must give, by json alone: one
  json.loads per line that is not blank.
* StrReader: a reader whose read() gives str, as a text file's does.
* assert_text_files_refused(read_first, tmp_path): what load and iter_lines
  both promise of text file objects.
"""
import io
import json
import random
import types

import pytest

JSON_WHITESPACE = b" \t\r\n"


class Recorder:
    def __init__(self):
        self.chunks = []

    def write(self, chunk):
        self.chunks.append(chunk)
        return len(chunk)

    @property
    def data(self):
        return b"".join(self.chunks)


class Pieces:
    """A binary reader over data whose read(n) gives at most n bytes, cut
    shorter at the points `sizes` (cycled) says."""

    def __init__(self, data, sizes=(None,)):
        self.data = data
        self.pos = 0
        self.sizes = list(sizes) or [None]
        self.calls = 0

    def read(self, n=-1):
        size = self.sizes[self.calls % len(self.sizes)]
        self.calls += 1
        if n is None or n < 0:
            n = len(self.data) - self.pos
        if size is not None:
            n = min(n, size)
        piece = self.data[self.pos:self.pos + n]
        self.pos += len(piece)
        return piece


def null_writer():
    return types.SimpleNamespace(write=len)


def records(n, seed=0):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        shape = i % 3
        if shape == 0:
            out.append({"id": i, "user": f"user-{rng.randrange(1000)}", "ok": rng.random() < 0.5,
                        "score": round(rng.uniform(-100, 100), 3), "tags": ["a", "b"][: rng.randrange(3)]})
        elif shape == 1:
            out.append({"id": i, "event": "click", "at": {"x": rng.randrange(1920), "y": rng.randrange(1080)},
                        "note": None, "text": "caf\u00e9 \u20ac \U0001F600"[: rng.randrange(10)]})
        else:
            out.append([i, rng.randrange(-2**40, 2**40), rng.random(), "x" * rng.randrange(20)])
    return out


def lines_of(values, newline=b"\n"):
    return b"".join(json.dumps(v, ensure_ascii=False, separators=(",", ":")).encode() + newline
                    for v in values)


def reference_lines(data):
    if isinstance(data, str):
        data = data.encode()
    return [json.loads(line) for line in data.split(b"\n") if line.strip(JSON_WHITESPACE)]


class StrReader:
    def read(self, *size):
        return "1\n"


def assert_text_files_refused(read_first, tmp_path):
    """read_first(fp), a reader's first value from fp (load, next(iter_lines)),
    refuses with TypeError: a StringIO, a file opened in text mode, a reader
    whose read() gives str, and an object without read()."""
    with pytest.raises(TypeError, match="binary file object"):
        read_first(io.StringIO("1\n"))
    path = tmp_path / "t.json"
    path.write_text("1\n")
    with open(path) as f, pytest.raises(TypeError, match="binary file object"):
        read_first(f)
    with pytest.raises(TypeError, match=r"fp.read\(\) returned str"):
        read_first(StrReader())
    with pytest.raises(TypeError, match="read"):
        read_first(object())
