"""The benchmark binary's documents, imported by ./bench's embedded interpreter.

Generated documents (corpus/generate.py) are written once into a cache directory
(build/bench-data by default) and read back on later runs. A file's name carries
a digest of generate.py's source, so a changed generator is never answered from
a stale file. The reference corpus (../shared/corpus) is read where it is and
never copied.
"""
import hashlib
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus"))

import generate  # noqa: E402  (corpus/generate.py, found through the line above)

_GENERATOR_DIGEST = hashlib.sha256(pathlib.Path(generate.__file__).read_bytes()).hexdigest()[:12]


def shapes():
    """Names of the generated documents, in generate.py's order."""
    return list(generate.SHAPES)


def scaled_shapes():
    return list(generate.SCALED_SHAPES)


def shared_documents(corpus_dir):
    """Sorted paths of the reference corpus's *.json, or [] when it is absent."""
    corpus = pathlib.Path(corpus_dir)
    return [str(p) for p in sorted(corpus.glob("*.json"))] if corpus.is_dir() else []


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
