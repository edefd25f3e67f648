"""The benchmark binary's documents, imported by ./bench's embedded interpreter
(and by scripts/compare.py, which times the same documents).

Generated documents (corpus/generate.py) are written once into a cache directory
(build/bench-data by default) and read back on later runs. A file's name carries
a digest of generate.py's source, so a changed generator is never answered from
a stale file. The reference corpus (../shared/corpus, or JCODEC_SHARED_DIR's:
scripts/project.py says where) is read where it is and never copied.
"""
import hashlib
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus"))
sys.path.insert(0, str(ROOT / "scripts"))

import generate  # noqa: E402  (corpus/generate.py, found through the lines above)
import project  # noqa: E402  (scripts/project.py: paths, stated once)

_GENERATOR_DIGEST = hashlib.sha256(pathlib.Path(generate.__file__).read_bytes()).hexdigest()[:12]


def shapes():
    """Names of the generated documents, in generate.py's order."""
    return list(generate.SHAPES)


def scaled_shapes():
    return list(generate.SCALED_SHAPES)


# Issue 15's bars: jcodec time / orjson 3.8.3 time at most, per shared
# document ({document: {"loads": bar, "dumps": bar}}; orjson 3.11.8's ratios
# to 3.8.3, measured elsewhere). Every other dataset's bars: loads at or
# under marshal.loads of the same value, and neither direction slower than
# orjson 3.8.3 (BAR_MARSHAL, BAR_ORJSON). scripts/bench_summary.py reads them.
SPEED_BARS = {
    "twitter": {"loads": 0.74, "dumps": 0.39},
    "citm_catalog": {"loads": 0.74, "dumps": 0.48},
    "canada": {"loads": 0.65, "dumps": 0.53},
    "github": {"loads": 0.71, "dumps": 0.32},
}
BAR_MARSHAL = 1.00
BAR_ORJSON = 1.00


# What jcodec.dumps must return, as json writes it: the json implementation of
# the dumps benchmarks, and the reference they are checked against.
reference_dumps = project.reference_dumps


def shared_corpus_dir():
    """Where the reference corpus is (or would be)."""
    return str(project.SHARED_CORPUS_DIR)


def shared_documents():
    """Sorted paths of the reference corpus's *.json, or [] when it is absent."""
    return [str(p) for p in project.shared_documents()]


def _cached(cache_dir, stem, make):
    path = pathlib.Path(cache_dir) / f"{stem}-{_GENERATOR_DIGEST}.json"
    if path.is_file():
        return path.read_bytes()
    data = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name and renamed, so a run interrupted midway
    # (or two runs at once) never leaves a truncated document behind.
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return data


def generated(shape, size, cache_dir):
    """generate.SHAPES[shape](size): the benchmark datasets."""
    return _cached(cache_dir, f"{shape}-{size}", lambda: generate.SHAPES[shape](size))


def scaled(shape, size, cache_dir):
    """generate.SCALED_SHAPES[shape](size): the scaling family's documents."""
    return _cached(cache_dir, f"{shape}-scaled-{size}",
                   lambda: generate.SCALED_SHAPES[shape](size))
