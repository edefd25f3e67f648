#!/usr/bin/env python3
"""Key cache hit rates per document, for the CI gate (ci/README.md).

For each ../shared document (when present) and each generated one: the cold
rate (a parse into an empty cache) and the warm rate (the next parse of the
same document), measured by scripts/keycache_hitrates.py's cold_and_warm (the
one implementation, shared with the per-associativity table). The gate fails
when a rate falls more than 0.5 percentage points below ci/baseline.json;
--update rewrites the baseline. The hash seed is fixed by ci/lib.sh
(JCODEC_HASH_SEED), so the rates are exact, not sampled.
"""
import argparse
import pathlib
import sys

import baseline

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
import project  # noqa: E402  (scripts/project.py: paths, stated once)
from keycache_hitrates import cold_and_warm  # noqa: E402

sys.path.insert(0, str(project.ROOT / "corpus"))
MARGIN = 0.005


def measure():
    import generate

    documents = {p.name: p.read_bytes() for p in project.shared_documents()}
    documents.update({f"{n}.json": d for n, d in generate.generate_all(256 * 1024).items()})
    rates = {}
    for name, data in documents.items():
        rates[f"{name} cold"], rates[f"{name} warm"] = cold_and_warm(data)
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()
    rates = measure()
    if args.update:
        return baseline.update("hit_rates", {k: round(v, 6) for k, v in rates.items()})
    recorded = baseline.recorded("hit_rates")
    shared_names = {p.name for p in project.shared_documents()}
    failures, lowest_margin = [], None
    for key, value in rates.items():
        if key not in recorded:
            if key.split()[0] in shared_names or key.startswith("gen_"):
                failures.append(f"{key}: no baseline (make baseline)")
            continue
        margin = value - recorded[key]
        lowest_margin = margin if lowest_margin is None else min(lowest_margin, margin)
        print(f"{key:28} {value:8.2%} baseline {recorded[key]:8.2%} {margin * 100:+6.2f} pp")
        if margin < -MARGIN:
            failures.append(f"{key} {margin * 100:+.2f} pp")
    shared_note = "" if project.SHARED_CORPUS_DIR.is_dir() else " (../shared absent: generated documents only)"
    figure = (f"{len(rates)} rates, lowest change {0 if lowest_margin is None else lowest_margin * 100:+.2f} pp "
              f"(limit -0.50 pp){shared_note}")
    return baseline.verdict(figure, failures)


if __name__ == "__main__":
    sys.exit(main())
