#!/usr/bin/env python3
"""Decimal speed: jcodec's loads(decimal=True) and dumps(option=
OPT_SERIALIZE_DECIMAL) beside the standard library's json.loads(parse_float=
Decimal) and simplejson's use_decimal=True (json cannot write a Decimal as a
number), and beside jcodec's own float path (what the exact digits cost).

Documents: the shared canada.json when it is present (floats only, ../shared
or JCODEC_SHARED_DIR), else the generated corpus's gen_canada; and "prices",
records of a price, a quantity and a rate (generated, fixed seed). For dumps,
each document's value as loads(decimal=True) makes it. Implementations run in
alternating rounds in this one process (as scripts/compare.py), each round a
batch of about --batch seconds; the table shows medians per call and ratios
to jcodec.

    PYTHONPATH=build:/usr/lib/python3/dist-packages python3 scripts/decimal_speed.py [--rounds 9]

--callgrind counts instructions per call instead (valgrind: the difference
between a run making 3 calls and one making 1, as ci/instructions.py's peers
did before a458fa1),
exact where wall time on a shared machine is not.
"""
import argparse
import concurrent.futures
import gc
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from decimal import Decimal

import project

sys.path.append(str(project.ROOT / "build"))  # after PYTHONPATH, which may name another build
sys.path.append(project.DEBIAN_DIST_PACKAGES)

import jcodec  # noqa: E402

try:
    import simplejson  # noqa: E402
except ImportError:  # Debian's python3-simplejson
    simplejson = None


def prices_document(n=20000, seed=1):
    rng = random.Random(seed)
    records = [{"id": i, "price": f"{rng.randrange(1, 100000)}.{rng.randrange(100):02d}",
                "qty": rng.randrange(1, 50), "rate": f"0.{rng.randrange(10 ** 6):06d}"}
               for i in range(n)]
    text = json.dumps(records)
    # The prices as numbers, not strings.
    return text.replace('"price": "', '"price": ').replace('", "qty"', ', "qty"') \
               .replace('"rate": "', '"rate": ').replace('"}', "}").encode()


def documents():
    docs = {}
    shared = {p.name: p for p in project.shared_documents()}
    if "canada.json" in shared:
        docs["canada.json"] = shared["canada.json"].read_bytes()
    else:
        sys.path.insert(0, str(project.ROOT / "corpus"))
        import generate

        docs["gen_canada"] = generate.generate_all(256 * 1024)["gen_canada"]
    docs["prices"] = prices_document()
    return docs


def time_batch(fn, arg, batch):
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn(arg)
        elapsed = time.perf_counter() - start
        if elapsed >= batch or n >= 1 << 20:
            return elapsed / n, n
        n *= 2


def measure(impls, arg, rounds, batch):
    per_call = {name: [] for name in impls}
    sizes = {name: time_batch(fn, arg, batch / 4)[1] for name, fn in impls.items()}
    names = list(impls)
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            fn, n = impls[name], max(1, sizes[name] * 4)
            gc.collect()
            start = time.perf_counter()
            for _ in range(n):
                fn(arg)
            per_call[name].append((time.perf_counter() - start) / n)
    return {name: statistics.median(times) for name, times in per_call.items()}


def fmt(seconds):
    return f"{seconds * 1e3:.2f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.1f} µs"


def implementations():
    """{op: {impl: (function, takes the Decimal value)}}: "jcodec float" is
    jcodec's float path (orjson's calls) on the same document."""
    loads = {
        "jcodec": (lambda d: jcodec.loads(d, decimal=True), True),
        "json": (lambda d: json.loads(d, parse_float=Decimal), True),
        "jcodec float": (jcodec.loads, True),
    }
    dumps = {
        "jcodec": (lambda v: jcodec.dumps(v, option=jcodec.OPT_SERIALIZE_DECIMAL), True),
        "jcodec float": (jcodec.dumps, False),
    }
    if simplejson is not None:
        loads["simplejson"] = (lambda d: simplejson.loads(d, use_decimal=True), True)
        dumps["simplejson"] = (lambda v: simplejson.dumps(v, use_decimal=True, separators=(",", ":")),
                               True)
    return {"loads": loads, "dumps": dumps}


def argument(op, data, decimal):
    if op == "loads":
        return data
    return jcodec.loads(data, decimal=True) if decimal else jcodec.loads(data)


def child(doc, op, impl, count):
    """The program callgrind runs: `count` calls of one implementation."""
    fn, decimal = implementations()[op][impl]
    arg = argument(op, documents()[doc], decimal)
    for _ in range(count):
        fn(arg)


COLLECTED = re.compile(r"Collected : (\d+)")


def callgrind(doc, op, impl, count):
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
               __file__, "--child", doc, op, impl, str(count)]
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"))
    found = COLLECTED.findall(done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"callgrind {doc} {op} {impl} failed:\n{done.stderr[-2000:]}")
    return int(found[-1])


def instructions(docs):
    jobs = {}
    for name in docs:
        for op, impls in implementations().items():
            for impl in impls:
                for count in (1, 3):
                    jobs[(name, op, impl, count)] = (name, op, impl, count)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(callgrind, *job) for key, job in jobs.items()}
        counts = {key: future.result() for key, future in futures.items()}
    return {(name, op, impl): (counts[(name, op, impl, 3)] - counts[(name, op, impl, 1)]) / 2
            for (name, op, impl, count) in counts if count == 1}


def fmt_instructions(n):
    return f"{n / 1e6:.1f} M"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--batch", type=float, default=0.2, help="seconds per batch")
    parser.add_argument("--callgrind", action="store_true", help="instructions per call (valgrind)")
    parser.add_argument("--child", nargs=4, metavar=("DOC", "OP", "IMPL", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        doc, op, impl, count = args.child
        return child(doc, op, impl, int(count))
    docs = documents()
    for name, data in docs.items():
        value = jcodec.loads(data, decimal=True)
        assert value == json.loads(data, parse_float=Decimal)
        if simplejson is not None:
            assert simplejson.loads(jcodec.dumps(value, option=jcodec.OPT_SERIALIZE_DECIMAL),
                                    use_decimal=True) == value
    rows = []
    if args.callgrind:
        counts = instructions(docs)
        fmt_cell = fmt_instructions
        unit = "instructions per call (callgrind)"
    else:
        fmt_cell = fmt
        unit = f"medians of {args.rounds} rounds"
    for name, data in docs.items():
        for op, impls in implementations().items():
            if args.callgrind:
                cells = {impl: counts[(name, op, impl)] for impl in impls}
            else:
                cells, by_arg = {}, {}
                for impl, (fn, decimal) in impls.items():
                    by_arg.setdefault(decimal, {})[impl] = fn
                for decimal, group in by_arg.items():
                    cells.update(measure(group, argument(op, data, decimal), args.rounds, args.batch))
            rows.append((name, f"{len(data) // 1024} KiB", op, cells))
    impls = ["jcodec", "json", "simplejson", "jcodec float"]
    print(f"Python {sys.version.split()[0]}, simplejson "
          f"{getattr(simplejson, '__version__', 'missing')}; {unit}\n")
    print("| document | size | op | " + " | ".join(impls) + " | json/jcodec | simplejson/jcodec |")
    print("|---" * (len(impls) + 5) + "|")
    for name, size, op, times in rows:
        cells = [fmt_cell(times[i]) if i in times else "n/a" for i in impls]
        ratios = [f"{times[i] / times['jcodec']:.1f}x" if i in times else "n/a" for i in ("json", "simplejson")]
        print(f"| {name} | {size} | {op} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")


if __name__ == "__main__":
    sys.exit(main())
