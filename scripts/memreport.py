#!/usr/bin/env python3
"""Memory report: jcodec next to orjson and json, per document.

For each document (../shared/corpus/*.json when present, then the generated
corpus from corpus/generate.py) and each library:

  loads
    result      traced bytes the call leaves alive: the result (and, for the
                key-caching libraries, the cache entries it added, which the
                result shares)
    scratch     tracemalloc's peak during the call minus the result: what the
                call needed only while it ran, as far as tracemalloc sees
    own         jcodec only: the same by its allocator layer's counters
                (_alloc_stats peak_bytes over the live bytes at the start)
    retained    traced bytes gained over N rounds of loads + dumps after a
                warm-up (N printed; --rounds, --big-rounds)
    RSS peak    VmHWM of a separate process during one loads, over its own
                baseline after importing the library and reading the file
    unseen      RSS peak minus the allocated peak (the result in pymalloc's
                16-byte size classes, plus the scratch): memory tracemalloc
                cannot see (malloc outside PyMem), and what remains of
                allocator overhead (pool headers, partly filled pools)
  dumps (of json.loads's object)
    output, traced peak (and its ratio to the output), what the returned
    bytes object holds beyond its length, jcodec's buffer peak, and the RSS
    peak of one dumps in a separate process.

Result, scratch and RSS are measured in fresh processes (one per document,
library and kind of measurement), so every library starts with a cold key
cache and no tracing overhead is in the RSS numbers. Retained is measured in
this process, under tracemalloc.

    PYTHONPATH=/tmp/build-x python3 scripts/memreport.py [--rounds 1000]
        [--big-rounds 5] [--big-size 65536] [--gen-size 262144] [--libs ...] [docs...]

The measurement code is tests/python/_memory_helpers.py, shared with the
test_memory_* suites.
"""
import argparse
import gc
import importlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import project

ROOT = project.ROOT
sys.path.insert(0, str(ROOT / "tests" / "python"))
sys.path.append(str(ROOT / "build"))  # after PYTHONPATH, which may name another build

LIBS = ("jcodec", "orjson", "json")
KIB = 1024
WARM_DOC = b'[1, 2.5, "warm", {"__memreport_warm__": [null, true]}]'


# ---------------------------------------------------------------------------
# Library calls
# ---------------------------------------------------------------------------


def loads_of(name, module):
    return module.loads


def dumps_of(name, module):
    if name == "json":
        # The output the others produce: compact, UTF-8 bytes.
        return project.reference_dumps
    return module.dumps


# ---------------------------------------------------------------------------
# Child processes
# ---------------------------------------------------------------------------


def _proc_status_bytes(field):
    """A size field of /proc/self/status (VmHWM, VmRSS), in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * KIB
    raise RuntimeError(f"no {field} in /proc/self/status")


def _vm_hwm():
    return _proc_status_bytes("VmHWM")


def _vm_rss():
    return _proc_status_bytes("VmRSS")


def _reset_hwm():
    """Sets the high-water mark to the current RSS (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def child(mode, lib, path):
    """One measurement in this (fresh) process; prints a JSON object."""
    module = importlib.import_module(lib)
    data = pathlib.Path(path).read_bytes()
    op, kind = mode.split("-")
    fn = loads_of(lib, module) if op == "loads" else dumps_of(lib, module)
    arg = data if op == "loads" else json.loads(data)
    # One call on another document first: one-time initialisations (lazy
    # module state, first-use buffers) are not this document's cost.
    if op == "loads":
        fn(WARM_DOC)
    else:
        fn(json.loads(WARM_DOC))
    gc.collect()
    if kind == "rss":
        exact = _reset_hwm()
        base = _vm_hwm() if exact else _vm_rss()
        try:
            value = fn(arg)
        except Exception as exc:  # noqa: BLE001 - reported
            value = exc
        out = {"rss_peak": _vm_hwm() - base, "rss_after": _vm_rss() - base, "hwm_reset": exact}
    else:
        import _memory_helpers as mh
        t = mh.traced_call(fn, arg, allocated=True)
        value = t.value
        out = {"final": t.final, "peak": t.peak, "scratch": t.scratch, "allocated": t.allocated}
        if lib == "jcodec":
            out.update(own_peak=t.own_peak, own_scratch=t.own_scratch,
                       buffer_peak=t.counters["buffer_peak_bytes"])
    if isinstance(value, BaseException):
        out["error"] = f"{type(value).__name__}: {value}"[:120]
    elif op == "dumps":
        out.update(output=len(value), held=sys.getsizeof(value))
    print(json.dumps(out))


def run_child(mode, lib, path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "tests" / "python"), os.environ.get("PYTHONPATH"), str(ROOT / "build"))
        if p)
    proc = subprocess.run([sys.executable, __file__, "--child", mode, lib, str(path)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"child {mode} {lib} {path} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# Retained over rounds (this process)
# ---------------------------------------------------------------------------


def retained(lib, module, data, rounds):
    import _memory_helpers as mh
    loads, dumps = loads_of(lib, module), dumps_of(lib, module)

    def round_fn(i):
        obj = loads(data)
        try:
            dumps(obj)
        except Exception:  # noqa: BLE001 - gen_deep is too deep for jcodec's and orjson's dumps
            pass
    # Two warm-up rounds: the first fills free lists and caches, the second
    # runs exactly as every measured round (see retained_after).
    return mh.retained_after(round_fn, rounds, warmup=2).bytes


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


ALLOCATOR_SYMBOLS = ("malloc", "calloc", "realloc", "free", "PyMem_Malloc", "PyMem_Calloc",
                     "PyMem_Realloc", "PyMem_Free", "PyMem_RawMalloc", "PyMem_RawCalloc",
                     "PyMem_RawRealloc", "PyMem_RawFree", "PyObject_Malloc", "PyObject_Calloc",
                     "PyObject_Realloc", "PyObject_Free", "_PyBytes_Resize",
                     "PyBytes_FromStringAndSize")


def allocator_imports(module):
    """The allocation functions an extension module imports (nm -D), or None
    for a pure-Python module or without nm. What it imports decides what
    tracemalloc can see: PyMem_* and PyObject_* go through CPython's hooks,
    malloc does not."""
    path = getattr(module, "__file__", "") or ""
    if not path.endswith(".so"):
        # A package around its extension: orjson.orjson, jcodec._jcodec.
        sub = getattr(module, module.__name__, None) or getattr(module, "_" + module.__name__, None)
        path = getattr(sub, "__file__", "") or ""
        if not path.endswith(".so"):
            return None
    try:
        out = subprocess.run(["nm", "-D", "--undefined-only", path], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    names = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}
    return sorted(names & set(ALLOCATOR_SYMBOLS))


NOTES = """### What tracemalloc sees

tracemalloc hooks CPython's allocator domains (PyMem_Raw*, PyMem_*, PyObject_*):
it sees every Python object and every block a C extension takes through those
functions, and nothing it takes from malloc directly.

- jcodec: everything. The core allocates only through core/alloc.c (jc_malloc
  and friends over PyMem_*; test_alloc.py checks that no other file calls
  malloc), and dumps writes into the bytes object it returns. Its own counter
  equals tracemalloc's scratch (test_memory_visibility.py proves it per
  document, within a stated tolerance for CPython's dict-resize transients),
  and the returned bytes hold nothing beyond their length.
- json: everything (CPython's _json.c and Python code; all through PyMem/
  PyObject). Its scratch is large because loads(bytes) first decodes the
  document into a str, and dumps builds a str and then encodes it.
- orjson 3.8.3: only the Python objects it creates. The allocation functions
  its extension imports (nm -D on the .so): {orjson_imports}. None is PyMem_*
  or PyObject_Malloc: the yyjson document it parses into and the Rust side's
  buffers come from the C library's malloc, out of tracemalloc's sight. Its
  traced loads scratch is 0 B on every document; "RSS peak - allocated peak"
  shows that memory instead. Its dumps output is a bytes object (visible),
  grown by _PyBytes_Resize and not shrunk to the output's length, so the
  returned bytes keep the buffer's capacity ("held beyond output"), and on a
  first dumps it also caches a UTF-8 copy inside every non-ASCII str it
  serializes (PyUnicode_AsUTF8AndSize), which stays with the input objects
  (counted in the same column).

RSS peaks count only pages newly touched during the call: pymalloc reuses free
space in arenas it already holds, and pages a large block reserves but never
writes (overallocated capacity) are not resident, so for small documents, and
for json's overallocated decode buffers, the RSS peak is below the traced peak
("RSS peak - allocated peak" negative). At megabyte scale a large positive value
is memory outside tracemalloc's sight, as orjson's parse buffer is.
"""


def fmt_bytes(n):
    if n is None:
        return "-"
    sign = "-" if n < 0 else ""
    n = abs(n)
    if n >= 10 * KIB * KIB:
        return f"{sign}{n / KIB / KIB:.1f} MiB"
    if n >= 10 * KIB:
        return f"{sign}{n / KIB:.0f} KiB"
    return f"{sign}{n:,} B"


def print_table(title, header, align, rows):
    """A Markdown table under "### title"; align: "l" or "r" per column."""
    print(f"### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "".join("---:|" if a == "r" else "---|" for a in align))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def documents(args):
    import _memory_helpers as mh
    docs = []
    if args.docs:
        return [(pathlib.Path(p).name, pathlib.Path(p)) for p in args.docs], None
    docs += [(p.name, p) for p in project.shared_documents()]
    if not docs:
        print(f"note: {project.SHARED_CORPUS_DIR} not present: generated corpus only\n")
    tmp = tempfile.TemporaryDirectory(prefix="memreport-")
    for name, data in sorted(mh.generated_documents(args.gen_size).items()):
        path = pathlib.Path(tmp.name) / f"{name}.json"
        path.write_bytes(data)
        docs.append((name, path))
    return docs, tmp


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="*", help="documents (default: shared + generated corpus)")
    parser.add_argument("--rounds", type=int, default=1000,
                        help="rounds of loads + dumps for the retained column (default 1000)")
    parser.add_argument("--big-rounds", type=int, default=5,
                        help="rounds for documents over --big-size (default 5: under tracemalloc "
                             "a loads of a 2 MB document takes about half a second)")
    parser.add_argument("--big-size", type=int, default=64 * KIB)
    parser.add_argument("--gen-size", type=int, default=256 * KIB,
                        help="size of each generated document (default 256 KiB)")
    parser.add_argument("--libs", nargs="+", default=list(LIBS))
    parser.add_argument("--child", nargs=3, metavar=("MODE", "LIB", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    libs = {}
    for name in args.libs:
        try:
            libs[name] = importlib.import_module(name)
        except ImportError:
            print(f"note: {name} is not importable: left out\n")
    docs, tmp = documents(args)
    loads_rows, dumps_rows, verdicts = [], [], []
    for doc_name, path in docs:
        data = path.read_bytes()
        rounds = args.rounds if len(data) <= args.big_size else args.big_rounds
        per_lib = {}
        for lib, module in libs.items():
            traced = run_child("loads-traced", lib, path)
            rss = run_child("loads-rss", lib, path)
            kept = retained(lib, module, data, rounds)
            per_lib[lib] = traced
            # The traced peak with the result in pymalloc's size classes (what
            # the pages really hold); the scratch is mostly large blocks.
            peak = traced["allocated"] + traced["scratch"]
            loads_rows.append([
                doc_name, fmt_bytes(len(data)), lib, fmt_bytes(traced["final"]),
                fmt_bytes(traced["scratch"]), fmt_bytes(traced.get("own_peak")),
                f"{fmt_bytes(kept)} ({rounds})", fmt_bytes(rss["rss_peak"]),
                fmt_bytes(rss["rss_peak"] - peak)])
            dtraced = run_child("dumps-traced", lib, path)
            drss = run_child("dumps-rss", lib, path)
            if "error" in dtraced:
                dumps_rows.append([doc_name, lib, dtraced["error"][:60], "-", "-", "-", "-",
                                   fmt_bytes(drss["rss_peak"])])
            else:
                dumps_rows.append([
                    doc_name, lib, fmt_bytes(dtraced["output"]), fmt_bytes(dtraced["peak"]),
                    f"{dtraced['peak'] / dtraced['output']:.3f}",
                    fmt_bytes(dtraced["final"] - dtraced["held"]),
                    fmt_bytes(dtraced.get("buffer_peak")), fmt_bytes(drss["rss_peak"])])
            print(f"  measured {doc_name} {lib}", file=sys.stderr)
        if "jcodec" in per_lib:
            ours = per_lib["jcodec"]
            bound = 0.05 * ours["final"] + 64 * KIB
            line = (f"{doc_name}: jcodec scratch {fmt_bytes(ours['own_peak'])} "
                    f"{'within' if ours['own_peak'] <= bound else 'OVER'} 5% of the result + 64 KiB "
                    f"({fmt_bytes(int(bound))})")
            if "json" in per_lib:
                theirs = per_lib["json"]["final"]
                line += (f"; result {ours['final']:,} B {'<=' if ours['final'] <= theirs else '>'} "
                         f"json's {theirs:,} B ({ours['final'] / theirs:.4f}x)")
            verdicts.append(line)

    print_table("loads", ["document", "size", "library", "result (traced)", "scratch (traced)",
                          "scratch (own counter)", "retained (rounds)", "RSS peak, one loads",
                          "RSS peak - allocated peak"], "lrlrrrrrr", loads_rows)
    print_table("dumps", ["document", "library", "output", "traced peak", "peak / output",
                          "held beyond output", "buffer peak (own counter)", "RSS peak, one dumps"],
                "llrrrrrr", dumps_rows)
    print("### bounds\n")
    for line in verdicts:
        print("- " + line)
    print()
    imports = allocator_imports(libs["orjson"]) if "orjson" in libs else None
    print(NOTES.format(orjson_imports=", ".join(imports) if imports else "(not inspected: nm or orjson missing)"))
    print(f"Rounds: {args.rounds} for documents up to {fmt_bytes(args.big_size)}, {args.big_rounds} "
          f"above (--rounds, --big-rounds, --big-size). Generated documents: {fmt_bytes(args.gen_size)} "
          f"a shape (--gen-size).")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
