"""ci/baseline.json and the verdict line, for the gates' Python measurers
(instructions.py, keycache_rates.py).

    BASELINE               the file: {"instructions": {...}, "hit_rates": {...}}
    recorded(section)      one section ({} when absent)
    update(section, values)
                           rewrites one section (`make baseline` only)
    verdict(figure, failures)
                           prints "PASS figure" or "FAIL figure: failures" as
                           the last line (ci/lib.sh, verdict_of) and returns
                           the exit status
"""
import json
import pathlib

BASELINE = pathlib.Path(__file__).resolve().parent / "baseline.json"


def _load():
    return json.loads(BASELINE.read_text()) if BASELINE.exists() else {}


def recorded(section):
    return _load().get(section, {})


def update(section, values):
    baseline = _load()
    baseline[section] = values
    BASELINE.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(values)} {section} entries to {BASELINE}")
    return 0


def verdict(figure, failures):
    if failures:
        print("FAIL " + figure + ": " + ", ".join(failures))
        return 1
    print("PASS " + figure)
    return 0
