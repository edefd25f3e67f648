#!/usr/bin/env python3
"""Key cache hit rates per document, for the CI gate (ci/README.md).

For each ../shared document (when present) and each generated one: the cold
rate (a parse into an empty cache) and the warm rate (the next parse of the
same document). The gate fails when a rate falls more than 0.5 percentage
points below ci/baseline.json; --update rewrites the baseline. The hash seed is
fixed by ci/lib.sh (JCODEC_HASH_SEED), so the rates are exact, not sampled.
"""
import argparse
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus"))
BASELINE = ROOT / "ci" / "baseline.json"
SHARED = pathlib.Path(os.environ.get("JCODEC_SHARED_DIR", ROOT.parent / "shared")) / "corpus"
MARGIN = 0.005


def rate(info):
    lookups = info.hits + info.misses + info.too_long + info.bypassed
    return info.hits / lookups if lookups else 1.0


def measure():
    import generate
    import jcodec
    documents = {p.name: p.read_bytes() for p in sorted(SHARED.glob("*.json"))}
    documents.update({f"{n}.json": d for n, d in generate.generate_all(256 * 1024).items()})
    rates = {}
    for name, data in documents.items():
        jcodec._cache_clear(stats=True)
        jcodec.loads(data)
        rates[f"{name} cold"] = rate(jcodec._cache_info())
        jcodec._cache_clear(keys=False, stats=True)
        jcodec.loads(data)
        rates[f"{name} warm"] = rate(jcodec._cache_info())
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()
    rates = measure()
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if args.update:
        baseline["hit_rates"] = {k: round(v, 6) for k, v in rates.items()}
        BASELINE.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n")
        print(f"wrote {len(rates)} hit rates to {BASELINE}")
        return
    recorded = baseline.get("hit_rates", {})
    failures, lowest_margin = [], None
    for key, value in rates.items():
        if key not in recorded:
            if key.split()[0] in {p.name for p in SHARED.glob("*.json")} or key.startswith("gen_"):
                failures.append(f"{key}: no baseline (make baseline)")
            continue
        margin = value - recorded[key]
        lowest_margin = margin if lowest_margin is None else min(lowest_margin, margin)
        print(f"{key:28} {value:8.2%} baseline {recorded[key]:8.2%} {margin * 100:+6.2f} pp")
        if margin < -MARGIN:
            failures.append(f"{key} {margin * 100:+.2f} pp")
    shared_note = "" if SHARED.is_dir() else " (../shared absent: generated documents only)"
    figure = (f"{len(rates)} rates, lowest change {0 if lowest_margin is None else lowest_margin * 100:+.2f} pp "
              f"(limit -0.50 pp){shared_note}")
    print(("FAIL " + figure + ": " + ", ".join(failures)) if failures else "PASS " + figure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
