"""Facts about the project that tests, gates, scripts, fuzz helpers and bench
glue all need, stated once:

    ROOT                 the project root
    SHARED_DIR           the reference data (../shared; JCODEC_SHARED_DIR overrides)
    SHARED_CORPUS_DIR    its benchmark documents (*.json)
    JSONTESTSUITE_DIR    its JSONTestSuite test_parsing folder
    DEBIAN_DIST_PACKAGES Debian's dist-packages (numpy, matplotlib, ujson,
                         pytest for a python3 that is not Debian's), searched last
    shared_documents()   the shared documents (sorted Paths; [] when absent)
    missing_shared(what) the message to skip with when ../shared is absent
    reference_dumps(obj, sort_keys=False, indent=None)
                         what jcodec.dumps must return, from the standard
                         library: json.dumps(obj, ensure_ascii=False, compact
                         separators or indent).encode()

Import it with ``sys.path.insert(0, str(ROOT / "scripts"))`` (conftest.py and
the other entry points do).
"""
import json
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED_DIR = pathlib.Path(os.environ.get("JCODEC_SHARED_DIR") or ROOT.parent / "shared")
SHARED_CORPUS_DIR = SHARED_DIR / "corpus"
JSONTESTSUITE_DIR = SHARED_DIR / "conformance" / "JSONTestSuite" / "test_parsing"
DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"


def shared_documents():
    """The shared benchmark documents, sorted; [] when ../shared is absent."""
    if not SHARED_CORPUS_DIR.is_dir():
        return []
    return sorted(SHARED_CORPUS_DIR.glob("*.json"))


def missing_shared(what):
    """The one wording for skipping without the reference data."""
    return f"../shared not present ({SHARED_DIR}): skipping {what}"


def reference_dumps(obj, sort_keys=False, indent=None):
    """jcodec.dumps(obj)'s bytes as the standard library writes them (for
    OPT_SORT_KEYS and OPT_INDENT_2: sort_keys=True, indent=2)."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(obj, ensure_ascii=False, separators=separators, sort_keys=sort_keys,
                      indent=indent).encode()
