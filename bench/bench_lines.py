"""The JSON Lines datasets of ./bench's lines family (lines/<dataset>_<op>/<impl>,
bench/lines_bench.cc), and scripts/lines_speed.py's at any size.

Each dataset is a list of small records built deterministically (fixed seed)
and its JSON Lines (json's compact output, one record and a '\\n' a line).
The operations and their implementations, each the obvious way to do it with
that library:

  loads  jcodec  jcodec.loads_lines(data)
         orjson  [orjson.loads(line) for line in data.splitlines()]
         json    [json.loads(line) for line in data.splitlines()]
  dumps  jcodec  jcodec.dumps_lines(items)
         orjson  b"\\n".join([orjson.dumps(x) for x in items])  (no final newline)
         json    "\\n".join([json.dumps(x, ...) for x in items]).encode()

check() says whether an implementation's output is right before it is timed:
loads must give the records; dumps' lines must be json's (the last line's
newline aside, which the two joins leave out).
"""
import functools
import importlib
import json
import random

SIZE = 8 * 1024 * 1024  # bytes of JSON Lines per dataset in ./bench
IMPLEMENTATIONS = ("jcodec", "orjson", "json")
OPERATIONS = ("loads", "dumps")


def _events(rng, i):
    """A log event: about 200 bytes, 9 keys, a nested object, a short list."""
    return {
        "ts": f"2026-11-{1 + i % 28:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:"
              f"{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z",
        "level": rng.choice(("debug", "info", "info", "info", "warning", "error")),
        "logger": rng.choice(("http.access", "db.pool", "auth", "worker.queue")),
        "msg": rng.choice(("request served", "connection reset", "token refreshed",
                           "job done", "cache miss")),
        "user_id": rng.randrange(1, 10**6),
        "latency_ms": round(rng.lognormvariate(3, 1), 3),
        "ok": rng.random() < 0.95,
        "host": {"name": f"web-{rng.randrange(40):02d}", "region": rng.choice(("eu-west", "us-east"))},
        "tags": rng.sample(("api", "v2", "mobile", "batch", "retry"), rng.randrange(3)),
    }


def _metrics(rng, i):
    """A sample row: a timestamp, a name and eight readings, about 120 bytes."""
    return [1_790_000_000 + i, f"sensor-{rng.randrange(500)}"] + \
        [round(rng.gauss(20, 5), 2) for _ in range(6)] + [rng.randrange(1000), None]


SHAPES = {"events": _events, "metrics": _metrics}


@functools.lru_cache(maxsize=None)
def _build(name, size):
    rng = random.Random(f"jcodec-bench-lines-{name}")
    shape = SHAPES[name]
    items, lines, total = [], [], 0
    while total < size:
        item = shape(rng, len(items))
        line = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        items.append(item)
        lines.append(line)
        total += len(line)
    return items, b"".join(lines)


def available():
    return list(SHAPES)


def data(name, size=SIZE):
    """The dataset's JSON Lines (bytes; the same object on every call)."""
    return _build(name, size)[1]


def items(name, size=SIZE):
    """A new copy of the dataset's records (orjson caches UTF-8 inside strs it
    writes, so each implementation gets its own)."""
    return json.loads(b"[" + data(name, size).replace(b"\n", b",")[:-1] + b"]")


def count(name, size=SIZE):
    return len(_build(name, size)[0])


def _peer(impl):
    try:
        return importlib.import_module(impl)
    except ImportError as e:
        raise ImportError(f"{impl} is not importable ({e})") from None


def call(op, impl):
    """The function timed for op and impl, called with the dataset's bytes
    (loads) or records (dumps). ImportError when impl is not importable."""
    module = json if impl == "json" else _peer(impl)
    if op == "loads":
        if impl == "jcodec":
            return module.loads_lines
        loads = module.loads
        return lambda data: [loads(line) for line in data.splitlines()]
    if impl == "jcodec":
        return module.dumps_lines
    if impl == "orjson":
        dumps = module.dumps
        return lambda items: b"\n".join([dumps(x) for x in items])
    return lambda items: "\n".join([json.dumps(x, ensure_ascii=False, separators=(",", ":"))
                                    for x in items]).encode()


def argument(name, op, size=SIZE):
    return data(name, size) if op == "loads" else items(name, size)


def check(name, op, impl, output, size=SIZE):
    """'' when impl's output for op on the dataset is right, else why not."""
    expected_items, expected_data = _build(name, size)
    if op == "loads":
        if output != expected_items:
            return f"{impl} loads did not give the records"
        return ""
    if not isinstance(output, bytes):
        return f"{impl} dumps did not return bytes"
    if output.rstrip(b"\n") != expected_data.rstrip(b"\n"):
        return f"{impl} dumps did not write json's lines"
    return ""
