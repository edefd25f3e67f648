"""The object-key cache, seen through loads.

Keys up to 64 bytes (as they appear in the document, escapes included) are
cached: the same key in two documents is the same str object while it stays
cached. jcodec._cache_force_hash(v) makes every key hash to v, so all keys
collide in one set of 4 ways and hits must be confirmed by the bytes.
"""
import json
import sys

import pytest

import jcodec

pytestmark = pytest.mark.usefixtures("default_cache")


def info():
    return jcodec._cache_info()


def key_of(mapping, text):
    """The key object of `mapping` equal to `text` (not `text` itself)."""
    for key in mapping:
        if key == text:
            return key
    raise KeyError(text)


def lookups(i):
    """hits + misses + too_long + bypassed + unstored: one per key parsed."""
    return i.hits + i.misses + i.too_long + i.bypassed + i.unstored


# ---------------------------------------------------------------------------
# Sharing
# ---------------------------------------------------------------------------


def test_keys_shared_across_documents():
    a = jcodec.loads(b'{"alpha": 1, "beta": {"gamma": 2}}')
    b = jcodec.loads(b'[{"gamma": 3, "alpha": 4}, {"beta": null}]')
    assert key_of(a, "alpha") is key_of(b[0], "alpha")
    assert key_of(a["beta"], "gamma") is key_of(b[0], "gamma")
    assert key_of(a, "beta") is key_of(b[1], "beta")
    # Within one document too.
    c = jcodec.loads(b'[{"id": 1}, {"id": 2}, {"id": 3}]')
    assert key_of(c[0], "id") is key_of(c[1], "id") is key_of(c[2], "id")


def test_escaped_and_non_ascii_keys_shared():
    docs = [b'{"a\\u0062": 1, "\xc3\xa9t\xc3\xa9": 2, "\\u00e9t\\u00e9": 3, "\\ud83d\\ude00": 4}'] * 2
    a, b = (jcodec.loads(doc) for doc in docs)
    assert a == b == json.loads(docs[0])
    for text in ("ab", "\u00e9t\u00e9", "\U0001F600"):
        assert key_of(a, text) is key_of(b, text)


def test_same_text_different_bytes_are_different_entries():
    """"a\\u0062" and "ab" are the same str but different document bytes: each
    spelling is its own cache entry, each equal to "ab"."""
    escaped = jcodec.loads(b'{"a\\u0062": 1}')
    plain = jcodec.loads(b'{"ab": 2}')
    escaped2 = jcodec.loads(b'{"a\\u0062": 3}')
    assert list(escaped) == list(plain) == ["ab"]
    assert key_of(escaped, "ab") is key_of(escaped2, "ab")
    assert key_of(escaped, "ab") is not key_of(plain, "ab")
    assert info().currsize == 2


def test_not_shared_after_clear():
    a = jcodec.loads(b'{"cleared": 1}')
    jcodec._cache_clear()
    b = jcodec.loads(b'{"cleared": 2}')
    assert key_of(a, "cleared") is not key_of(b, "cleared")
    assert key_of(a, "cleared") == key_of(b, "cleared")


def test_disabled_cache():
    # (Keys of more than one character: one-character strs below U+0100 are
    # CPython's shared singletons whatever the cache does.)
    doc = b'{"kept": 1, "a\\u0062": 2, "\xc3\xa9t\xc3\xa9": 3, "' + b"k" * 70 + b'": 4}'
    warm = jcodec.loads(doc)
    size = info().currsize
    assert size == 3
    jcodec._cache_configure(enabled=False)
    assert info().enabled is False
    jcodec._cache_clear(keys=False, stats=True)
    x = jcodec.loads(doc)
    y = jcodec.loads(doc)
    assert x == y == warm == json.loads(doc)
    for text in ("kept", "ab", "\u00e9t\u00e9", "k" * 70):
        assert key_of(x, text) is not key_of(y, text)
        assert key_of(x, text) is not key_of(warm, text)
    i = info()
    assert (i.hits, i.misses, i.inserts, i.evictions) == (0, 0, 0, 0)
    assert i.bypassed == 6 and i.too_long == 2
    assert i.currsize == size  # nothing added or dropped
    jcodec._cache_configure(enabled=True)
    z = jcodec.loads(doc)
    assert key_of(z, "kept") is key_of(warm, "kept")


# ---------------------------------------------------------------------------
# Forced collisions
# ---------------------------------------------------------------------------


def _many_key_documents():
    """Documents with hundreds of distinct keys: ASCII of many lengths (up to
    and past 64 bytes), escapes that spell the same text as plain keys,
    non-ASCII keys raw and escaped, and keys repeated across nesting levels."""
    docs = []
    plain = ["k%d" % i for i in range(300)]
    docs.append(json.dumps({k: i for i, k in enumerate(plain)}).encode())
    lengths = ["x" * n + "%d" % n for n in range(0, 80)]
    docs.append(json.dumps({k: len(k) for k in lengths}).encode())
    # Escaped and unescaped spellings of the same texts, in one document and
    # with the object key order json.loads gives (last duplicate wins).
    parts = []
    for i in range(100):
        parts.append('"a\\u0062%d": %d' % (i, i))
        parts.append('"ab%d": %d' % (i, -i))
        parts.append('"\\u00e9l\\u00e8ve%d": %d' % (i, i))
        parts.append('"\u00e9l\u00e8ve%d": "%s"' % (i, "v" * (i % 7)))
        parts.append('"\u20ac\U0001F600%d": [%d]' % (i, i))
        parts.append('"\\u20ac\\ud83d\\ude00%d": {"\u00e9l\u00e8ve%d": %d}' % (i, i, i))
    docs.append(("{" + ", ".join(parts) + "}").encode("utf-8"))
    # The same few keys at every level, interleaved with distinct ones.
    nested = [{"id": i, "name": "n%d" % i, "tag%d" % i: {"id": -i, "tag%d" % (i + 1): i}}
              for i in range(200)]
    docs.append(json.dumps(nested).encode())
    docs.append(json.dumps(nested, ensure_ascii=False).encode("utf-8"))
    # Non-ASCII keys of exactly 64 and 65 bytes.
    docs.append(json.dumps({"\u00e9" * 32: 1, "\u00e9" * 32 + "x": 2, "\u20ac" * 21 + "y": 3,
                            "\u20ac" * 21 + "yz": 4}, ensure_ascii=False).encode("utf-8"))
    return docs


def _ordered(value):
    """A form that compares dict key order too."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


@pytest.mark.parametrize("ways", [1, 2, 4, 64])
@pytest.mark.parametrize("forced", [0, 2**64 - 1, 12345])
def test_forced_hash_gives_correct_dicts(forced, ways):
    jcodec._cache_configure(ways=ways)
    jcodec._cache_force_hash(forced)
    for doc in _many_key_documents():
        expected = _ordered(json.loads(doc))
        for _ in range(3):  # cold, then with whatever survived in the set
            result = jcodec.loads(doc)
            assert _ordered(result) == expected
    i = info()
    assert i.currsize <= ways
    assert i.evictions > 0
    assert i.inserts == i.misses


def test_forced_hash_str_input():
    jcodec._cache_force_hash(0)
    for doc in _many_key_documents():
        text = doc.decode("utf-8")
        assert _ordered(jcodec.loads(text)) == _ordered(json.loads(text))


def test_forced_hash_round_robin_through_loads():
    """With every key in one 4-way set, the fifth new key evicts the first,
    whatever was hit since (round robin)."""
    jcodec._cache_force_hash(0)
    first = jcodec.loads(b'{"k0": 0, "k1": 1, "k2": 2, "k3": 3}')
    again = jcodec.loads(b'{"k0": 0, "k1": 1, "k2": 2, "k3": 3}')
    for text in ("k0", "k1", "k2", "k3"):
        assert key_of(first, text) is key_of(again, text)
    assert info().evictions == 0
    jcodec.loads(b'{"k4": 4}')
    after = jcodec.loads(b'{"k0": 0, "k1": 1, "k2": 2, "k3": 3}')
    # k4 replaced k0; k0 coming back replaced k1, k1 then replaced k2, and so on.
    assert key_of(after, "k0") is not key_of(first, "k0")
    assert info().evictions == 5
    assert info().currsize == 4


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------


def _count_keys(value):
    if isinstance(value, dict):
        return len(value) + sum(_count_keys(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_keys(v) for v in value)
    return 0


@pytest.mark.parametrize("enabled", [True, False])
def test_stats_add_up(enabled):
    jcodec._cache_configure(enabled=enabled)
    total = 0
    for doc in _many_key_documents()[:2] + _many_key_documents()[3:]:
        # No duplicate keys within an object here, so the result counts them.
        keys = _count_keys(json.loads(doc))
        for _ in range(2):
            jcodec.loads(doc)
            total += keys
            assert lookups(info()) == total
    i = info()
    if enabled:
        assert i.bypassed == 0
        assert i.inserts == i.misses
        assert i.hits > 0
    else:
        assert i.hits == i.misses == i.inserts == 0
        assert i.bypassed > 0
    assert i.too_long > 0


def test_stats_exact_sequence():
    jcodec.loads(b'{"a": {"b": 1, "a": 2}, "c": [{"a": 3}]}')
    i = info()
    assert (i.hits, i.misses, i.inserts, i.evictions, i.too_long, i.bypassed) == (2, 3, 3, 0, 0, 0)
    assert i.currsize == 3
    jcodec.loads(b'{"a\\u0062": 1, "ab": 2, "a\\u0062": 3}')
    i = info()
    assert (i.hits, i.misses, i.inserts) == (3, 5, 5)
    # Stats reset alone keeps the keys; key clear alone keeps the stats.
    jcodec._cache_clear(keys=False, stats=True)
    assert info().currsize == 5 and lookups(info()) == 0
    jcodec._cache_clear()
    assert info().currsize == 0 and info().inserts == 0
    jcodec.loads(b'{"a": 1}')
    assert (info().hits, info().misses) == (0, 1)


def test_key_length_limit():
    """64 document bytes are cached, 65 are not: escapes and UTF-8 bytes count,
    not characters."""
    cases = [
        (b"k" * 64, True),
        (b"k" * 65, False),
        (b"\\u0061" * 10 + b"abcd", True),     # 64 raw bytes, 14 characters
        (b"\\u0061" * 10 + b"abcde", False),   # 65 raw bytes, 15 characters
        (("\u00e9" * 32).encode(), True),     # 64 bytes, 32 characters
        (("\u00e9" * 32 + "x").encode(), False),
        (("\u20ac" * 21 + "y").encode(), True),
        (("\u20ac" * 21 + "yz").encode(), False),
    ]
    for raw, cached in cases:
        jcodec._cache_clear(keys=True, stats=True)
        doc = b'{"' + raw + b'": 1}'
        a = jcodec.loads(doc)
        b = jcodec.loads(doc)
        assert a == b == json.loads(doc)
        i = info()
        (key_a,), (key_b,) = a, b
        if cached:
            assert (i.misses, i.inserts, i.hits, i.too_long) == (1, 1, 1, 0), raw
            assert key_a is key_b
            assert i.currsize == 1
        else:
            assert (i.misses, i.inserts, i.hits, i.too_long) == (0, 0, 0, 2), raw
            assert key_a is not key_b
            assert i.currsize == 0


def test_cache_info_fields():
    i = info()
    assert type(i).__name__ == "CacheInfo"
    assert i.maxsize == 2048 and i.ways == 4 and i.enabled is True
    assert i == tuple(i) and len(i) == 11
    jcodec.loads(b'{"x": 1, "y": 2}')
    assert info().currsize == 2


# ---------------------------------------------------------------------------
# A document whose keys are nearly all misses pauses the cache
# ---------------------------------------------------------------------------

PROBE, RATIO, PAUSE = 1024, 8, 8192  # core/decode/keycache.h


def unique_keys_document(n, prefix="k"):
    return ("{" + ",".join('"%s%d":%d' % (prefix, i, i) for i in range(n)) + "}").encode()


def test_unique_keys_pause_the_cache():
    n = PROBE + 5000
    doc = unique_keys_document(n)
    assert jcodec.loads(doc) == json.loads(doc)
    i = info()
    # Misses until the probe proves the document miss-heavy, then the rest
    # made directly: the cache stores no more of them.
    assert i.misses == PROBE and i.unstored == n - PROBE, i
    assert i.inserts == PROBE
    assert lookups(i) == n


def test_the_cache_is_tried_again_after_the_pause():
    n = PROBE + PAUSE + 10
    jcodec.loads(unique_keys_document(n))
    i = info()
    assert i.unstored == PAUSE and i.misses == PROBE + 10, i
    assert lookups(i) == n


def test_repeated_keys_never_pause():
    rows = ",".join('{"id":%d,"name":"n","tags":[]}' % i for i in range(5000))
    doc = ("[" + rows + "]").encode()
    jcodec.loads(doc)
    i = info()
    assert i.unstored == 0 and i.hits == 3 * 5000 - 3, i


def test_each_document_starts_with_the_cache_on():
    jcodec.loads(unique_keys_document(PROBE + 100))
    assert info().unstored == 100
    jcodec._cache_clear(keys=True, stats=True)
    jcodec.loads(b'{"a": 1, "b": 2}')
    i = info()
    assert (i.misses, i.unstored) == (2, 0), i


def test_escaped_keys_follow_the_pause():
    """Keys the parser decodes itself (escapes) are paused alike."""
    doc = ("{" + ",".join('"k\\u00e9%d":%d' % (i, i) for i in range(PROBE + 300)) + "}").encode()
    assert jcodec.loads(doc) == json.loads(doc)
    i = info()
    assert i.unstored == 300 and lookups(i) == PROBE + 300, i


# ---------------------------------------------------------------------------
# Predicted keys: the key after a key, and an object's first key, are tried
# first as the ones that came there last time (keycache.h,
# jc_keycache_predicted); a wrong guess must change nothing
# ---------------------------------------------------------------------------


def _records_then(variant):
    """Twenty records of one shape (which teach the links), then `variant`
    (the text of an object or the tail of a document), in a list."""
    record = '{"id": 1, "name": "x", "tags": {"first": 1, "second": [2]}, "last": null}'
    return ("[" + ", ".join([record] * 20) + ", " + variant).encode()


# Each one breaks the prediction somewhere: at a key's end, in its middle, by
# an escape or non-ASCII byte where the predicted key's bytes were, or in the
# shape itself.
PREDICTION_BREAKERS = {
    "prefix": '{"i": 1, "nam": "x", "tags": {"firs": 1}, "las": null}]',
    "longer": '{"idx": 1, "names": "x", "tags": {"firstly": 1}, "lastly": null}]',
    "escaped_quote_at_end": '{"id\\"": 1, "name\\"x": 2}]',
    "escape_same_text": '{"\\u0069d": 1, "n\\u0061me": "x", "tags": {"fir\\u0073t": 1}}]',
    "non_ascii_after": '{"id\u00e9": 1, "name\u00e9": "x"}]',
    "reordered": '{"name": "x", "id": 1, "last": null, "tags": {"second": [2], "first": 1}}]',
    "fewer": '{"id": 1}]',
    "more": '{"id": 1, "name": "x", "tags": {"first": 1, "second": [2], "third": 3}, "last": null, "x": 0}]',
    "as_values": '{"id": "id", "name": {"name": "name"}, "tags": ["tags"], "last": "last"}]',
    "whitespace": '{ "id" : 1 ,\n"name"\t: "x" , "tags" : { "first" : 1 } , "last" : null }]',
    "duplicate": '{"id": 1, "id": 2, "name": "x", "name": "y"}]',
}


@pytest.mark.parametrize("name", sorted(PREDICTION_BREAKERS))
def test_wrong_predictions_change_nothing(name):
    doc = _records_then(PREDICTION_BREAKERS[name])
    expected = _ordered(json.loads(doc))
    assert _ordered(jcodec.loads(doc)) == expected
    # Again with the links warm from the first loads, and from str input.
    assert _ordered(jcodec.loads(doc)) == expected
    assert _ordered(jcodec.loads(doc.decode())) == expected


@pytest.mark.parametrize("tail", ['{"id', '{"id"', '{"id": 1, "na', '{"id": 1, "name\\', '{"id": 1, "name"'])
def test_truncated_after_predicted_bytes(tail):
    """The predicted key's bytes run to the end of the input (no closing
    quote to check): the error is the one the ordinary path gives."""
    doc = _records_then(tail)
    jcodec.loads(doc[: doc.rindex(b"{")] + b"{}]")  # teach the links
    with pytest.raises(jcodec.JSONDecodeError) as warm:
        jcodec.loads(doc)
    jcodec._cache_configure(enabled=False)
    with pytest.raises(jcodec.JSONDecodeError) as off:
        jcodec.loads(doc)
    jcodec._cache_configure(enabled=True)
    assert (str(warm.value), warm.value.pos) == (str(off.value), off.value.pos)
    with pytest.raises(json.JSONDecodeError) as reference:
        json.loads(doc)
    assert warm.value.pos == reference.value.pos


def test_predicted_keys_count_as_the_hits_they_are():
    """A predicted key is the hit the probe would have counted: the counts
    are those of a cache without predictions (every repeat a hit)."""
    doc = _records_then('{"id": 2}]')
    jcodec.loads(doc)
    i = info()
    # 6 distinct keys (id, name, tags, first, second, last), 20 records of 6 and one of 1.
    assert (i.misses, i.inserts, i.hits) == (6, 6, 20 * 6 + 1 - 6)
    jcodec.loads(doc)
    assert info().hits == i.hits + 20 * 6 + 1 and info().misses == 6


def test_predicted_keys_are_the_cached_objects():
    first = jcodec.loads(_records_then('{"id": 2}]'))
    second = jcodec.loads(_records_then('{"id": 3}]'))
    for a, b in zip(first, second):
        for x, y in zip(a, b):
            assert x is y


@pytest.mark.parametrize("ways", [1, 4])
def test_predictions_through_evictions(ways):
    """Every key in one set (forced hash): the links name slots that have
    changed hands by the time they are followed."""
    jcodec._cache_configure(ways=ways)
    jcodec._cache_force_hash(7)
    shapes = ['{"a%d": %d, "b%d": [%d], "c%d": {"d%d": null}}' % (n % 3, n, n % 5, n, n % 2, n % 7)
              for n in range(60)]
    doc = ("[" + ", ".join(shapes) + "]").encode()
    for _ in range(3):
        assert _ordered(jcodec.loads(doc)) == _ordered(json.loads(doc))
    assert info().evictions > 0


# ---------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("ways", [1, 2, 4, 8, 16, 32, 64])
def test_configure_ways(ways):
    jcodec.loads(b'{"before": 1}')
    jcodec._cache_configure(ways=ways)
    assert info().ways == ways
    assert info().currsize == 0  # a new geometry starts empty
    doc = b'{"p": 1, "q": {"p": 2}}'
    assert jcodec.loads(doc) == json.loads(doc)


@pytest.mark.parametrize("ways", [0, 3, 5, 6, 12, 100, 128, 2048, -1, -4, 2**32, 2**32 + 4, 2**33 + 2])
def test_configure_ways_invalid(ways):
    jcodec.loads(b'{"kept": 1}')
    with pytest.raises((ValueError, OverflowError)):
        jcodec._cache_configure(ways=ways)
    # Nothing changed.
    assert info().ways == 4
    assert info().currsize == 1


def test_configure_ways_type():
    with pytest.raises(TypeError):
        jcodec._cache_configure(ways="4")
    with pytest.raises(TypeError):
        jcodec._cache_configure(ways=4.0)
    assert info().ways == 4
    # A float is no hash either (before 3.10 PyLong_AsUnsignedLongLongMask
    # took __int__).
    with pytest.raises(TypeError):
        jcodec._cache_force_hash(1.0)


# ---------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------


def test_refcounts_single_key():
    d1 = jcodec.loads(b'{"refcounted": 1, "other": 2}')
    k = key_of(d1, "refcounted")
    # the cache + d1 + k + getrefcount's argument
    assert sys.getrefcount(k) == 4
    d2 = jcodec.loads(b'[{"refcounted": 1}, {"refcounted": 2}]')
    assert sys.getrefcount(k) == 6
    del d2
    assert sys.getrefcount(k) == 4
    jcodec._cache_clear()
    assert sys.getrefcount(k) == 3
    # A new loads makes a new key; ours keeps only its own references.
    d3 = jcodec.loads(b'{"refcounted": 3}')
    assert key_of(d3, "refcounted") is not k
    assert sys.getrefcount(k) == 3


def test_refcounts_duplicate_keys():
    """A key repeated in one object: the dict keeps one reference to it."""
    d = jcodec.loads(b'{"dup": 1, "dup": 2, "dup": 3}')
    assert d == {"dup": 3}
    k = key_of(d, "dup")
    assert sys.getrefcount(k) == 4  # cache + d + k + argument
    long_key = "L" * 65
    d = jcodec.loads(json.dumps({long_key: 1}).encode()[:-1] + b', "' + long_key.encode() + b'": 2}')
    assert d == {long_key: 2}
    k = key_of(d, long_key)
    assert sys.getrefcount(k) == 3  # d + k + argument


def test_long_keys_shared_within_one_document():
    """Keys over 64 bytes are not cached, but one document repeating one holds
    one str for it (as json's memo); the per-call memo itself is released."""
    long_key = "L" * 65
    escaped_text = "\u00e9" * 11  # \\u00e9 x 11: 66 document bytes
    doc = json.dumps([{long_key: i, escaped_text: i} for i in range(5)]).encode()
    assert b"\\u00e9" in doc
    first = jcodec.loads(doc)
    second = jcodec.loads(doc)
    assert first == second == json.loads(doc)
    for text in (long_key, escaped_text):
        keys = [key_of(d, text) for d in first]
        assert all(k is keys[0] for k in keys)
        assert key_of(second[0], text) is not keys[0]
        k = keys[0]
        del keys
        assert sys.getrefcount(k) == 5 + 2  # the 5 dicts + k + argument
    assert info().too_long == 20 and info().currsize == 0


def test_refcounts_not_cached():
    long_key = "L" * 65
    d = jcodec.loads(json.dumps({long_key: 1}).encode())
    k = key_of(d, long_key)
    assert sys.getrefcount(k) == 3  # d + k + argument


def test_refcounts_many_keys():
    """Every key's references are exactly the cache's one plus the results'."""
    # 64 ways (32 sets): 500 keys cannot overflow a set whatever the seed.
    jcodec._cache_configure(ways=64)
    keys = ["key%d" % i for i in range(250)] + ["\u00e9%d" % i for i in range(125)]
    keys += ["a\\u0062%d" % i for i in range(125)]
    doc = ("{" + ", ".join('"%s": %d' % (k, i) for i, k in enumerate(keys)) + "}").encode()
    results = [jcodec.loads(doc) for _ in range(3)]
    i = info()
    assert i.evictions == 0 and i.currsize == len(keys)
    for key in results[0]:
        assert key is key_of(results[2], key)
        # cache + 3 results + `key` + the argument
        assert sys.getrefcount(key) == 6, key
    held = list(results[0])
    jcodec._cache_clear()
    for key in held:
        # 3 results + `held` + `key` + argument
        assert sys.getrefcount(key) == 6, key
    del results
    for key in held:
        assert sys.getrefcount(key) == 3, key


def test_refcounts_after_eviction():
    jcodec._cache_force_hash(0)
    d = jcodec.loads(b'{"victim": 1}')
    k = key_of(d, "victim")
    assert sys.getrefcount(k) == 4
    jcodec.loads(b'{"e1": 1, "e2": 2, "e3": 3}')
    assert sys.getrefcount(k) == 4  # the set had room
    jcodec.loads(b'{"e4": 4}')
    assert sys.getrefcount(k) == 3  # evicted: the cache's reference is gone


def test_clear_releases_objects():
    """After clear, cached keys nobody else holds are freed."""
    doc = json.dumps({"kk%d" % i: i for i in range(100)}).encode()
    result = jcodec.loads(doc)
    keys = list(result)
    before = [sys.getrefcount(k) for k in keys]
    del result
    jcodec._cache_clear()
    after = [sys.getrefcount(k) for k in keys]
    assert all(a == b - 2 for a, b in zip(after, before))  # - result - cache
    assert all(a == 3 for a in after)  # `keys` + the comprehension's k + argument


# ---------------------------------------------------------------------------
# Hashes of cached keys
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("forced", [None, 0])
def test_cached_keys_hash_and_lookup(forced):
    """Cached keys carry a precomputed Python hash: it must be the real one
    (the cache's own hash, forced or not, is a different thing)."""
    jcodec._cache_force_hash(forced)
    texts = ["k", "key", "ab", "\u00e9t\u00e9", "\u20ac", "\U0001F600", "x" * 64, "y" * 65, ""]
    doc = b'{"k": 1, "key": 2, "a\\u0062": 3, "\\u00e9t\\u00e9": 4, "\xe2\x82\xac": 5, ' \
          b'"\\ud83d\\ude00": 6, "' + b"x" * 64 + b'": 7, "' + b"y" * 65 + b'": 8, "": 9}'
    for _ in range(2):  # inserted, then hit
        result = jcodec.loads(doc)
        assert result == json.loads(doc)
        for n, text in enumerate(texts, 1):
            fresh = "".join(list(text))  # an equal str that is a different object
            key = key_of(result, text)
            assert hash(key) == hash(fresh) == hash(text)
            assert result[fresh] == n
            assert fresh in result
            probe = {key: n}
            assert probe[fresh] == n
            assert {fresh: n}[key] == n
        assert set(result) == set(texts)
