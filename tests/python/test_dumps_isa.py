"""dumps writes the same bytes under every JCODEC_ISA: the str writers
(core/simd/utf8.h) are chosen once per process, so each instruction set runs
in its own child interpreter (support.run_child) on the same documents, and
every child's digest must equal this process's, whose output equals json.dumps
(ensure_ascii=False). The documents are strs of every kind (ASCII, Latin-1,
2-byte, 3-byte and astral text) of every length 0..300 with an escape at
every offset near the kernels' block boundaries, as values and as keys, long
strs past the encoder's 4096-unit chunks, random mixtures, strs holding a
surrogate at every offset (refused, with today's message), and the shared and
generated corpus documents. Children import this module, so it does not
import pytest."""
import hashlib
import json
import platform
import random
import sys

import jcodec
from support import (ROOT, TESTS_PYTHON_DIR, child_env, reference_dumps, run_child,
                     shared_document_bytes)

# Narrowest first: a forced ISA the CPU lacks falls back to the widest it has.
ISAS = ("scalar", "sse2", "avx2", "avx512")

BACKGROUNDS = ("a", "\u00e9", "\u0436", "\u65e5", "\U0001F600")
SPECIALS = ('"', "\\", "\n", "\x00", "\x1f", "\t", "\x08", "\x7f")
BOUNDARIES = (0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 127, 128, 129)
SURROGATE_MESSAGE = "str is not valid UTF-8: surrogates not allowed"


def offsets(n):
    """Every offset of a short str; the block boundaries and the tail of a long one."""
    if n <= 140:
        return range(n)
    return sorted({i for i in BOUNDARIES if i < n} | {n - 1, n - 2, n - 17, n - 33, n - 65})


def str_documents():
    """The documents above, built the same way in every process."""
    rng = random.Random(15)
    docs = []
    for background in BACKGROUNDS:
        values = []
        for n in range(301):
            values.append(background * n)
            for i in offsets(n):
                special = SPECIALS[(n + i) % len(SPECIALS)]
                values.append(background * i + special + background * (n - i - 1))
        docs.append(values)
        docs.append({s: i for i, s in enumerate(values[::7])})
    pools = [[chr(c) for c in range(0x20, 0x7F)], [chr(c) for c in range(0x80, 0x100)],
             [chr(c) for c in range(0x100, 0x800, 7)], [chr(c) for c in range(0x800, 0xD800, 61)],
             [chr(c) for c in range(0xE000, 0x10000, 13)],
             [chr(c) for c in range(0x10000, 0x110000, 4099)], list(SPECIALS)]
    mixed = []
    for _ in range(3000):
        chosen = rng.sample(pools, rng.randrange(1, len(pools) + 1))
        mixed.append("".join(rng.choice(rng.choice(chosen)) for _ in range(rng.randrange(0, 200))))
    docs.append(mixed)
    for background in BACKGROUNDS:
        for n in (4095, 4096, 4097, 9000, 70000):
            text = "".join(rng.choice((background, background, "x", "\n")) for _ in range(n))
            docs += [text, background * n]
    return docs


def surrogate_documents():
    """A str with one surrogate at each offset: every one refused."""
    docs = []
    for background in ("a", "\u00e9", "\u65e5", "\U0001F600"):
        for n in range(1, 130):
            for i in offsets(n):
                docs.append(background * i + chr(0xD800 + (n * 31 + i) % 0x800)
                            + background * (n - i - 1))
    return docs


def corpus_documents():
    sys.path.insert(0, str(ROOT / "corpus"))
    import generate
    docs = [json.loads(data) for data in shared_document_bytes().values()]
    docs += [json.loads(generate.long_strings(64 * 1024)), json.loads(generate.twitter_like(64 * 1024))]
    return docs


def fingerprint():
    """A digest of dumps' bytes for every document (its message where it refuses)."""
    digest = hashlib.sha256()
    for doc in str_documents() + corpus_documents():
        digest.update(jcodec.dumps(doc))
    for doc in surrogate_documents():
        for obj in (doc, [doc], {doc: 1}):
            try:
                digest.update(jcodec.dumps(obj))
            except jcodec.JSONEncodeError as e:
                digest.update(str(e).encode())
    return digest.hexdigest()


CHILD_CODE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import jcodec
from test_dumps_isa import fingerprint
print(json.dumps({"isa": jcodec._str_isa(), "fingerprint": fingerprint()}))
"""


def in_child(isa):
    env = child_env() if isa is None else child_env(JCODEC_ISA=isa)
    proc = run_child(CHILD_CODE, argv=[str(TESTS_PYTHON_DIR)], env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_str_isa_name():
    assert jcodec._str_isa() in ISAS


def test_output_is_the_reference():
    """This process's kernels (the widest the CPU has, or JCODEC_ISA's) write
    what json.dumps writes, and refuse every surrogate with today's message."""
    for doc in str_documents() + corpus_documents():
        assert jcodec.dumps(doc) == reference_dumps(doc)
    for doc in surrogate_documents():
        for obj in (doc, [doc], {doc: 1}):
            try:
                jcodec.dumps(obj)
            except jcodec.JSONEncodeError as e:
                message = str(e)
            else:
                message = None
            assert message is not None and message.startswith(SURROGATE_MESSAGE), (obj, message)


def test_every_isa_writes_the_same_bytes():
    default = in_child(None)
    widest = default["isa"]
    if platform.machine() not in ("x86_64", "AMD64"):
        assert widest == "scalar"  # other architectures have only the portable writers
    else:
        assert ISAS.index(widest) >= ISAS.index("sse2")  # x86-64 always has SSE2
    here = fingerprint()
    assert default["fingerprint"] == here
    for isa in ISAS + ("no-such-isa",):
        child = in_child(isa)
        if isa in ISAS and ISAS.index(isa) <= ISAS.index(widest):
            assert child["isa"] == isa
        else:
            assert child["isa"] == widest  # a forced ISA the CPU lacks is ignored
        assert child["fingerprint"] == here, isa
