"""The hashes loads gives the keys it makes (core/decode/py_hash.h).

loads computes CPython's str hash (SipHash with the interpreter's secret) for
every new key itself and stores it in the str. Each key must then hash as a
copy of it made by Python does, on every path a key takes: cached, past a
paused cache, with the cache off, escaped, of each str kind, too long to cache.
"""
import os
import subprocess
import sys

import pytest

import jcodec

pytestmark = pytest.mark.usefixtures("default_cache")

# code points of each str kind, and escapes
PIECES = ["a", "\u00e9", "\u20ac", "\U0001f600", "\\n", "\\u00e9", "\\ud83d\\ude00"]


def fresh_copy(text):
    """An equal str whose hash CPython computes itself."""
    return "".join(list(text))


def key_texts():
    """Keys of every length 0-80 (as text) over each piece, in document form."""
    for piece in PIECES:
        for n in range(81):
            yield "".join(("k" if i % 3 else piece) for i in range(n))


def document(texts):
    return "{" + ",".join(f'"{text}":{i}' for i, text in enumerate(texts)) + "}"


def check_hashes(mapping):
    for key in mapping:
        assert hash(key) == hash(fresh_copy(key)), repr(key)
        assert mapping[fresh_copy(key)] is mapping[key]


def test_the_interpreters_own_hash_is_used():
    """jcodec hashes itself exactly when the interpreter's str hash is a
    SipHash it implements; a self-test that disagreed would fall back."""
    algorithm = sys.hash_info.algorithm
    expected = algorithm if algorithm in ("siphash13", "siphash24") else "PyObject_Hash"
    assert sys.hash_info.width == 64
    assert jcodec._key_hash() == expected


def test_keys_of_every_kind_and_length_hash_as_python_does():
    texts = list(key_texts())
    check_hashes(jcodec.loads(document(texts)))
    check_hashes(jcodec.loads(document(texts)))  # now from the cache


@pytest.mark.parametrize("enabled", [True, False])
def test_keys_past_the_cache_hash_as_python_does(enabled):
    """Over 1024 misses in a row pause the cache: those keys and those of a
    cache switched off are made directly, and hashed there."""
    jcodec._cache_configure(enabled=enabled)
    texts = [f"unique_{i:06d}_{piece}" for i in range(3000) for piece in PIECES[:4]]
    result = jcodec.loads(document(texts))
    assert len(result) == len(texts)
    check_hashes(result)
    info = jcodec._cache_info()
    assert (info.unstored if enabled else info.bypassed) > 0


def test_keys_in_nested_objects_hash_as_python_does():
    texts = list(key_texts())
    records = "[" + ",".join(document(texts[i : i + 5]) for i in range(0, len(texts), 5)) + "]"
    for mapping in jcodec.loads(records):
        check_hashes(mapping)


@pytest.mark.parametrize("seed", ["0", "1", "4242", "random"])
def test_every_hash_seed(seed):
    """The secret differs per process; PYTHONHASHSEED=0 makes it all zeros."""
    code = (
        "import sys, jcodec\n"
        "texts = [('k' * n) + t for n in range(70) for t in ('', '\\u00e9', '\\u20ac', '\\U0001f600')]\n"
        "doc = '{' + ','.join('\"%s\":0' % t for t in texts) + '}'\n"
        "keys = list(jcodec.loads(doc))\n"
        "assert keys and all(hash(k) == hash(''.join(list(k))) for k in keys)\n"
        "print(jcodec._key_hash())\n"
    )
    env = dict(os.environ, PYTHONHASHSEED=seed)
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == jcodec._key_hash()
