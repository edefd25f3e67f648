#!/usr/bin/env python3
"""Memory of the streaming calls, at sizes too large for the test suite
(README, "Files and streams", "JSON Lines"; the tests measure 64 MiB and 8
MiB, test_stream_dump.py and test_lines_iter.py).

  dump        1 GiB of output (a list of one 180-byte object repeated, so the
              input is small) written to a null writer (write = len) and to a
              real file: tracemalloc's peak and the process's RSS peak over
              its start
  iter_lines  1 GiB of JSON Lines produced by a reader as they are read,
              every value dropped: the same two peaks
  load        a 200 MB file, of compact records, and of small ints deep in
              indented output (OPT_INDENT_2: mostly whitespace, so its result
              is smaller than itself): the RSS peak of jcodec.load(f) over the
              process's start, against the document and the result
              (measured as the RSS the result keeps), and of the obvious
              alternatives, jcodec.loads(f.read()), orjson.loads(f.read()),
              json.load(f); "_peeked": from a reader that has read ahead
              (f.peek(1)), where f.read() joins its buffer with the rest

Each measurement runs in a process of its own (RSS peaks only grow).

    PYTHONPATH=build python3 scripts/stream_memory.py [--dump-size GiB] [--lines-size GiB] [--load-size MB]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap

import project

CHILD = textwrap.dedent('''
    import gc, json, os, sys, time, tracemalloc, types
    import jcodec
    try:
        import orjson
    except ImportError:
        orjson = None

    def rss_now():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def rss_peak():
        # VmHWM, the peak since the last reset_peak() (Linux 4.0 and later).
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024

    def reset_peak():
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")

    what, size, path, trace = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
    BLOCK = {"id": 12345, "name": "caf\\u00e9 \\u20ac", "values": [1.5, -2, None, True, "x" * 50],
             "nested": {"a": [[], {}], "b": "\\U0001F600"}, "more": "y" * 40}
    prepared = None
    if what in ("dump_null", "dump_file"):
        n = size // len(jcodec.dumps(BLOCK))
        obj = [BLOCK] * n
        fp = types.SimpleNamespace(write=len) if what == "dump_null" else open(path, "wb")
        run = lambda: jcodec.dump(obj, fp)
    elif what == "iter_lines":
        line = jcodec.dumps_lines([BLOCK, [1, 2.5, "z" * 30], {"k": BLOCK}])
        block = line * (1024 * 1024 // len(line))
        class Producer:
            produced = 0
            total = -(-size // len(block)) * len(block)  # whole blocks: whole lines
            def read(self, n):
                if self.produced >= self.total:
                    return b""
                start = self.produced % len(block)
                piece = block[start:start + n]
                self.produced += len(piece)
                return piece
        def run():
            count = 0
            for _ in jcodec.iter_lines(Producer()):
                count += 1
            return count
    else:
        f = open(path, "rb")
        if what.endswith("_peeked"):
            f.peek(1)  # a reader that has read ahead, as one that was read from has
        run = {
            "load": lambda: jcodec.load(f),
            "load_peeked": lambda: jcodec.load(f),
            "loads_read_peeked": lambda: jcodec.loads(f.read()),
            "loads_read": lambda: jcodec.loads(f.read()),
            "orjson_read": lambda: orjson.loads(f.read()),
            "json_load": lambda: json.load(f),
        }[what]
    gc.collect()
    reset_peak()
    base_now = rss_now()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] if trace else 0
    peak, kept = rss_peak(), rss_now()
    print(json.dumps({"peak": max(0, peak - base_now), "kept": max(0, kept - base_now),
                      "traced": traced, "seconds": seconds}))
''')


def child(what, size, path="", trace=False):
    done = subprocess.run([sys.executable, "-c", CHILD, what, str(size), path, "1" if trace else "0"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{what}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def mib(n):
    return f"{n / 2**20:,.1f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump-size", type=float, default=1.0, help="GiB written by dump")
    parser.add_argument("--lines-size", type=float, default=1.0, help="GiB read by iter_lines")
    parser.add_argument("--load-size", type=float, default=200, help="MB of the file load reads")
    args = parser.parse_args()
    import jcodec  # noqa: F401 - fail early when it is not on the path

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        dump_size = int(args.dump_size * 2**30)
        print(f"dump, {mib(dump_size)} of output:")
        for what, label in (("dump_null", "null writer"), ("dump_file", "a real file")):
            traced = child(what, dump_size, out, trace=True)
            plain = child(what, dump_size, out)
            print(f"  to {label:12} tracemalloc peak {traced['traced']:,} B, RSS peak +{mib(plain['peak'])}, "
                  f"{plain['seconds']:.1f} s")
            if os.path.exists(out):
                os.unlink(out)
        lines_size = int(args.lines_size * 2**30)
        print(f"iter_lines, {mib(lines_size)} of JSON Lines:")
        traced = child("iter_lines", lines_size, trace=True)
        plain = child("iter_lines", lines_size)
        print(f"  tracemalloc peak {traced['traced']:,} B, RSS peak +{mib(plain['peak'])}, "
              f"{plain['seconds']:.1f} s")

        import jcodec as jc
        sys.path.insert(0, str(project.ROOT / "bench"))
        import bench_lines
        load_size = int(args.load_size * 1e6)
        records = bench_lines.items("events", load_size // 4)
        # Small ints deep in indented output: the text is about twice the size
        # of its result (the ints are CPython's cached ones), where reading the
        # document twice shows.
        numbers = [{"series": {"sample": {"points": {"values": [(i * 7 + j) % 200 for j in range(1000)]}}}}
                   for i in range(100)]
        documents = {}
        for name, value, option in (("compact records", records, None),
                                    ("indented small ints", numbers, jc.OPT_INDENT_2)):
            path = os.path.join(tmp, name.replace(" ", "_") + ".json")
            with open(path, "wb") as f:
                copies = -(-load_size // len(jc.dumps(value, option=option)))
                jc.dump(value * copies, f, option=option)
            documents[name] = path
        del records, numbers
        for name, path in documents.items():
            size = os.path.getsize(path)
            print(f"load, {name}, {mib(size)}:")
            for what in ("load", "load_peeked", "loads_read", "loads_read_peeked", "orjson_read",
                         "json_load"):
                r = child(what, 0, path)
                extra = r["peak"] - r["kept"]
                print(f"  {what:17} RSS peak +{mib(r['peak'])} = result {mib(r['kept'])} + "
                      f"{mib(extra)} ({extra / size:.2f}x the document), {r['seconds']:.2f} s")


if __name__ == "__main__":
    main()
