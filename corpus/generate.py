#!/usr/bin/env python3
"""Deterministic generated JSON documents, written by this project.

Each generator takes a target size in bytes and returns a JSON document (bytes)
of roughly that size with a fixed shape, from a fixed seed, so the same version
of this file always produces the same bytes. Used by scripts/compare.py, the
benchmarks and the tests when ../shared is absent.

    python3 corpus/generate.py OUTDIR [--size BYTES]   # writes every shape
"""
import argparse
import json
import pathlib
import random

WORDS = ("alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega "
         "status user created text entities media retweet count id name value").split()
UNICODE_WORDS = ["日本語", "テキスト", "ユーザー", "café", "naïve", "Ελληνικά", "Русский",
                 "emoji 😀", "中文字符", "한국어", "עברית", "ascii"]


def _words(rng, n, pool=WORDS):
    return " ".join(rng.choice(pool) for _ in range(n))


def _twitter_status(rng):
    return {
        "created_at": "Sun Aug 31 00:29:15 +0000 2014",
        "id": rng.randrange(10**17, 10**18),
        "id_str": str(rng.randrange(10**17, 10**18)),
        "text": _words(rng, rng.randrange(3, 20), WORDS + UNICODE_WORDS),
        "truncated": rng.random() < 0.1,
        "entities": {"hashtags": [], "urls": [], "user_mentions": [
            {"screen_name": _words(rng, 1), "id": rng.randrange(10**9), "indices": [3, 14]}
            for _ in range(rng.randrange(0, 3))]},
        "user": {"id": rng.randrange(10**9), "name": _words(rng, 2, UNICODE_WORDS),
                 "followers_count": rng.randrange(10**6), "verified": False,
                 "profile_background_color": "C0DEED", "lang": "ja"},
        "retweet_count": rng.randrange(1000), "favorited": False, "lang": "ja",
        "geo": None, "coordinates": None,
    }


def twitter_like(size, seed=1):
    """Statuses with repeated keys, mixed ASCII/unicode text, nested users."""
    rng = random.Random(seed)
    statuses = []
    # len(json.dumps(statuses, ensure_ascii=False)), kept as a running sum (each
    # item plus its ", " or the brackets) so generation stays linear in size.
    compact_length = 0
    while True:
        status = _twitter_status(rng)
        statuses.append(status)
        compact_length += len(json.dumps(status, ensure_ascii=False)) + 2
        if len(statuses) % 16 == 0 and compact_length >= size:
            break
    return json.dumps({"statuses": statuses}, ensure_ascii=False, indent=1).encode()


def twitter_scaled(size, seed=1):
    """twitter_like's statuses and layout, as many as fit in `size` bytes (at
    least one), counted exactly at every status: the scaling benchmarks' same
    shape from 1 KiB to 64 MiB, in time linear in the size."""
    rng = random.Random(seed)
    head, separator, tail = '{\n "statuses": [\n  ', ",\n  ", "\n ]\n}"
    # Each status as json.dumps(..., indent=1) writes it two levels deep.
    items = []
    length = len(head) + len(tail)
    while True:
        item = json.dumps(_twitter_status(rng), ensure_ascii=False, indent=1).replace("\n", "\n  ")
        added = len(item.encode()) + (len(separator) if items else 0)
        if items and length + added > size:
            break
        items.append(item)
        length += added
    return (head + separator.join(items) + tail).encode()


def citm_like(size, seed=2):
    """Key-heavy: many small objects whose keys come from a few hundred names."""
    rng = random.Random(seed)
    names = [f"{rng.choice(WORDS)}{i}" for i in range(300)]
    events = {}
    i = 0
    # len(json.dumps(events)), kept as members are added (the braces, each
    # member's key, ": " and value, ", " between members), so that generating
    # 64 MiB is linear: the documents are the same as measuring the whole map.
    length = 2
    while True:
        key = str(138586341 + i)
        events[key] = value = {
            "description": None, "id": 138586341 + i, "logo": None,
            "name": _words(rng, 3), "subTopicIds": [rng.randrange(10**9) for _ in range(3)],
            "subjectCode": None, "subtitle": None,
            "topicIds": [rng.randrange(10**9) for _ in range(2)],
            rng.choice(names): rng.randrange(100), rng.choice(names): [],
        }
        length += len(json.dumps(key)) + 2 + len(json.dumps(value)) + (2 if i else 0)
        i += 1
        if i % 32 == 0 and length >= size:
            break
    return json.dumps({"events": events, "areaNames": {str(k): _words(rng, 2) for k in range(50)}},
                      indent=4).encode()


def canada_like(size, seed=3):
    """Float-heavy: coordinate pairs with 15-17 significant digits."""
    rng = random.Random(seed)
    rings = []
    total = 0
    while total < size:
        ring = [[round(rng.uniform(-180, 180), 15), round(rng.uniform(-90, 90), 14)]
                for _ in range(256)]
        rings.append(ring)
        total += 256 * 40
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Generated"},
         "geometry": {"type": "Polygon", "coordinates": rings}}]}
    return json.dumps(doc, separators=(",", ":")).encode()


def numbers(size, seed=4):
    """Mixed integers (small, 64-bit, huge) and floats (short and round-trip)."""
    rng = random.Random(seed)
    out = []
    while len(out) * 12 < size:
        kind = rng.randrange(5)
        if kind == 0:
            out.append(rng.randrange(-1000, 1000))
        elif kind == 1:
            out.append(rng.randrange(-2**63, 2**63))
        elif kind == 2:
            out.append(rng.randrange(10**25, 10**30))
        elif kind == 3:
            out.append(round(rng.uniform(-1e6, 1e6), 2))
        else:
            out.append(rng.uniform(-1, 1) * 10 ** rng.randrange(-300, 300))
    return json.dumps(out).encode()


def deep_nesting(size, seed=5):
    """Arrays and objects nested 400 deep (json.loads recurses, and stops near
    1000), repeated to reach the size."""
    del seed
    one = "[" * 200 + '{"k":' * 200 + "1" + "}" * 200 + "]" * 200
    count = max(1, size // len(one))
    return ("[" + ",".join([one] * count) + "]").encode()


def long_strings(size, seed=6):
    """Long ASCII strings with rare escapes, and long non-ASCII strings."""
    rng = random.Random(seed)
    out = []
    total = 0
    while total < size:
        ascii_text = _words(rng, 400) + ("\n\t\"quoted\"" if rng.random() < 0.3 else "")
        unicode_text = _words(rng, 200, UNICODE_WORDS)
        out += [ascii_text, unicode_text]
        total += len(ascii_text) + len(unicode_text.encode())
    return json.dumps(out, ensure_ascii=False).encode()


def unique_keys(size, seed=7):
    """Objects whose keys are all distinct: the key cache's worst case. The
    counter in each key has a fixed width, so keys are as long at 64 MiB as at
    1 MiB (the scaling gate compares the two per member)."""
    rng = random.Random(seed)
    objects = []
    total = 0
    n = 0
    while total < size:
        obj = {f"key_{n + i:08d}_{rng.randrange(10**6)}": i for i in range(64)}
        n += 64
        objects.append(obj)
        total += 64 * 24
    return json.dumps(objects).encode()


SHAPES = {
    "gen_twitter": twitter_like,
    "gen_citm": citm_like,
    "gen_canada": canada_like,
    "gen_numbers": numbers,
    "gen_deep": deep_nesting,
    "gen_long_strings": long_strings,
    "gen_unique_keys": unique_keys,
}

# Generators whose documents grow by small steps, for the scaling benchmarks.
SCALED_SHAPES = {
    "gen_twitter": twitter_scaled,
}


def generate_all(size=256 * 1024):
    """{name: document bytes} for every shape at about `size` bytes."""
    return {name: make(size) for name, make in SHAPES.items()}


def main():
    parser = argparse.ArgumentParser(description="Write the generated corpus.")
    parser.add_argument("outdir", type=pathlib.Path)
    parser.add_argument("--size", type=int, default=256 * 1024)
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    for name, data in generate_all(args.size).items():
        (args.outdir / f"{name}.json").write_bytes(data)
        print(f"{name}.json {len(data)} bytes")


if __name__ == "__main__":
    main()
