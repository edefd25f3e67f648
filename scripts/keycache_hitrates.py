#!/usr/bin/env python3
"""Key cache hit rates per associativity on the reference documents.

For each `ways` setting (1 = direct-mapped, 2, 4, 8; 2048 slots in all) and each
document: the cold hit rate (first loads into an empty cache) and the warm one
(a loads after the same document was parsed once). The cache's hash is seeded
per process, so the whole measurement is repeated in several processes and the
table shows the mean and the worst process.

Usage: PYTHONPATH=build python3 scripts/keycache_hitrates.py [--processes N] [docs...]
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

import project

WAYS = (1, 2, 4, 8)


def hit_rate(info):
    """Hits over every key the cache saw in jcodec._cache_info()'s counters
    (hits, misses, keys too long to cache, keys that bypassed a disabled
    cache); 1.0 for a document without keys."""
    lookups = info.hits + info.misses + info.too_long + info.bypassed
    return info.hits / lookups if lookups else 1.0


def cold_and_warm(data):
    """(cold, warm) hit rates of jcodec.loads(data) with the cache as it is
    configured: cold, a parse into an empty cache; warm, the next parse of the
    same document. The one measurement of hit rates: this script's table and
    the keycache gate (ci/keycache_rates.py) both use it."""
    import jcodec

    jcodec._cache_clear(stats=True)
    jcodec.loads(data)
    cold = hit_rate(jcodec._cache_info())
    jcodec._cache_clear(keys=False, stats=True)
    jcodec.loads(data)
    return cold, hit_rate(jcodec._cache_info())


def measure(paths):
    import jcodec

    result = {}
    for ways in WAYS:
        for path in paths:
            jcodec._cache_configure(ways=ways)
            result[f"{ways}:{pathlib.Path(path).name}"] = cold_and_warm(pathlib.Path(path).read_bytes())
    jcodec._cache_configure(ways=4)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("docs", nargs="*")
    args = parser.parse_args()
    docs = args.docs or [str(p) for p in project.shared_documents()]
    if not docs:
        sys.exit(f"no documents given and {project.SHARED_CORPUS_DIR} is absent")
    if args.child:
        print(json.dumps(measure(docs)))
        return
    runs = []
    for _ in range(args.processes):
        out = subprocess.run([sys.executable, __file__, "--child", *docs], check=True,
                             capture_output=True, text=True, env=os.environ).stdout
        runs.append(json.loads(out))
    names = [pathlib.Path(d).name for d in docs]
    print("| ways | " + " | ".join(f"{n} cold / warm (worst warm)" for n in names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for ways in WAYS:
        cells = []
        for name in names:
            key = f"{ways}:{name}"
            cold = sum(r[key][0] for r in runs) / len(runs)
            warm = sum(r[key][1] for r in runs) / len(runs)
            worst = min(r[key][1] for r in runs)
            cells.append(f"{cold:.2%} / {warm:.2%} ({worst:.2%})")
        print(f"| {ways} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
