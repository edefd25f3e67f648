"""Key cache references at corpus scale: every key str's reference count is
what the live results and the cache explain, and _cache_clear() releases the
cache's references, all of them.

The results of every shared and generated document (each loaded twice, and
some results dropped again, so keys are shared across results and some cached
keys outlive the results they came from) are walked, counting for each key
object the dicts that hold it. For each key:
    sys.getrefcount(key) == dicts holding it + cached (0 or 1) + this test's own
and a key can be cached only if its text fits in 64 bytes of UTF-8 (the cache
holds keys up to 64 document bytes, and a key's document bytes are at least its
UTF-8). The cached ones add up to the cache's size, less the entries that hold
CPython's shared one-character (and empty) strs, whose counts are not the
cache's to explain and are left out. Without evictions the count is exact: the
entries are the distinct document spellings of keys up to 64 bytes, found by a
tokenizer that knows nothing of the parser (_memory_helpers.raw_keys).

After _cache_clear() every key's count is what the results explain alone, and
after the results are dropped, only this test's own references remain: no
reference leaked anywhere.

test_loads_keycache.py checks the same rules on small hand-made documents
(single keys, duplicates, eviction); this is the same accounting over
hundreds of thousands of keys.
"""
import gc
import sys

import pytest

import jcodec
import _memory_helpers as mh
from support import shared_document_bytes

KEY_LIMIT = 64

pytestmark = pytest.mark.usefixtures("default_cache")


def is_shared_singleton(key):
    """CPython shares one str per Latin-1 character, and the empty str."""
    return len(key) == 0 or (len(key) == 1 and ord(key) < 256)


def key_holders(results):
    """{id(key): [key, number of dicts holding it]} over all results."""
    holders = {}
    for d in mh.walk(*results):
        if type(d) is dict:
            for key in d:
                entry = holders.get(id(key))
                if entry is None:
                    holders[id(key)] = [key, 1]
                else:
                    entry[1] += 1
    return holders


def residuals(holders, results_alive=True):
    """{id: references neither the dicts nor this test explain} for the keys
    that are not shared singletons. The test's own references to a key while
    it is counted: its entry in `holders`, the local `key` and getrefcount's
    argument."""
    own = 3
    out = {}
    for ident, entry in holders.items():
        key = entry[0]
        if not is_shared_singleton(key):
            out[ident] = sys.getrefcount(key) - (entry[1] if results_alive else 0) - own
        del key
    return out


def distinct_spellings(docs):
    """The distinct document spellings of cacheable keys, split into those
    whose str is a shared singleton and the rest."""
    singletons, others = set(), set()
    for doc in docs:
        for raw in mh.raw_keys(doc):
            if len(raw) <= KEY_LIMIT:
                (singletons if is_shared_singleton(mh.decode_raw_key(raw)) else others).add(raw)
    return singletons, others


def check_accounting(holders, docs, label):
    info = jcodec._cache_info()
    found = residuals(holders)
    wrong = {ident: n for ident, n in found.items() if n not in (0, 1)}
    assert not wrong, label + ": keys with references nobody explains: " + ", ".join(
        f"{holders[i][0][:40]!r}: {n:+d}" for i, n in list(wrong.items())[:10])
    too_long = [holders[i][0] for i, n in found.items()
                if n == 1 and len(holders[i][0].encode("utf-8", "surrogatepass")) > KEY_LIMIT]
    assert not too_long, f"{label}: keys over {KEY_LIMIT} bytes held by the cache: {too_long[:5]!r}"
    cached = sum(found.values())
    singletons, others = distinct_spellings(docs)
    assert info.currsize - len(singletons) <= cached <= info.currsize, (label, cached, info)
    if info.evictions == 0:
        assert cached == len(others), (label, cached, len(others), info)
        assert info.currsize == len(singletons) + len(others), (label, info)
    return cached, info


def mixed_keys_document():
    """Keys of every kind the cache treats apart: over 64 bytes (never cached,
    shared within a document by the per-call memo), exactly 64, escaped
    spellings of texts that also appear plain (separate entries, separate
    objects), and non-ASCII keys raw and escaped."""
    items = []
    for i in range(300):
        # The two spellings of a text go to different objects: within one,
        # the second would be a duplicate key, whose str the dict drops.
        ab = "a\\u0062%d" if i % 2 else "ab%d"
        ete = "\u00e9t\u00e9%d" if i % 2 else "\\u00e9t\\u00e9%d"
        items.append('{"%s": %d, "%s": 1, "%s": 2, "%s": 3, "%s": 4}' % (
            "L" * 65 + str(i % 7), i, "x" * 62 + "%02d" % (i % 50), ab % (i // 2 % 20),
            ete % (i // 2 % 15), "\u00e9" * 40))
    return ("[" + ", ".join(items) + "]").encode("utf-8")


def load_all(docs):
    """Every document loaded twice; then the first result of every other
    document dropped: its cached keys now outlive it, held by the cache and
    the second result only."""
    results = []
    for doc in docs:
        results.append(jcodec.loads(doc))
        results.append(jcodec.loads(doc))
    for i in range(0, len(results), 4):
        results[i] = None
    return [r for r in results if r is not None]


def run(docs, label, capsys):
    results = load_all(docs)
    holders = key_holders(results)
    cached, info = check_accounting(holders, docs, label)

    jcodec._cache_clear()
    assert jcodec._cache_info().currsize == 0
    released = residuals(holders)
    assert all(n == 0 for n in released.values()), (
        f"{label}: references left after _cache_clear(): "
        + ", ".join(f"{holders[i][0][:40]!r}: {n:+d}" for i, n in released.items() if n)[:2000])

    del results
    gc.collect()
    leaked = {i: n for i, n in residuals(holders, results_alive=False).items() if n}
    assert not leaked, f"{label}: keys still referenced after the results were dropped: " + ", ".join(
        f"{holders[i][0][:40]!r}: {n:+d}" for i, n in list(leaked.items())[:10])
    with capsys.disabled():
        print(f"\n[refcounts] {label}: {len(holders):,} distinct key objects in {len(docs)} documents "
              f"x 2 loads; {cached:,} held by the cache; {info}")
    return info


def test_corpus_without_evictions(capsys):
    """The shared documents and the generated ones but the two made of mostly
    distinct keys (gen_citm's event ids, gen_unique_keys), with 64 ways (32
    sets): about 560 distinct keys, 18 a set on average, so no set overflows
    whatever the hash seed (a Poisson tail beyond 64 of about 1e-15), and the
    count is exact."""
    jcodec._cache_configure(ways=64)
    docs = list(shared_document_bytes().values()) + [mixed_keys_document()]
    docs += [doc for name, doc in sorted(mh.generated_documents().items())
             if name not in ("gen_citm", "gen_unique_keys")]
    info = run(docs, "corpus, 64 ways", capsys)
    assert info.evictions == 0, info
    assert info.too_long > 0, info
    assert info.currsize > 20, info


def test_corpus_with_evictions(capsys):
    """Every document with the default 4 ways: gen_unique_keys alone has tens
    of thousands of distinct keys, so entries are evicted all the time and some
    keys in the results were cached and are no longer."""
    docs = list(shared_document_bytes().values()) + [mixed_keys_document()]
    docs += list(mh.generated_documents().values())
    info = run(docs, "corpus, 4 ways", capsys)
    assert info.evictions > 0, info
