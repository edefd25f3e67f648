"""Python side of the fuzz targets, imported by the embedded interpreter.

fuzz_dumps builds two trees from its input: the object handed to jcodec.dumps,
and the "expected" tree handed to json.dumps, the oracle. The expected tree
says what jcodec must write in json's vocabulary: exact builtin types only,
non-finite floats as None (jcodec writes null, json would write NaN), dict keys
already converted as OPT_NON_STR_KEYS converts them, and REFUSE wherever jcodec
must raise JSONEncodeError (json.dumps then raises too).
"""
import math

# The subclasses and the oracle are the Python suites' (tests/python/support.py,
# on sys.path beside this file: fuzz_common.c, fuzz/oss-fuzz/build.sh).
# reference_dumps(tree, sort_keys, indent) is json.dumps's bytes for the
# expected tree as dumps writes them (no OPT_APPEND_NEWLINE); it raises where
# json cannot encode the tree (UnicodeEncodeError for a lone surrogate).
from support import DictSub, FloatSub, IntSub, ListSub, StrSub, TupleSub, reference_dumps  # noqa: F401


class Box:
    """A value only dumps' `default` can serialize: default returns its payload."""

    __slots__ = ("payload",)

    def __init__(self, payload):
        self.payload = payload


def default(obj):
    if type(obj) is Box:
        return obj.payload
    raise TypeError(f"{type(obj).__name__} is not serializable by the fuzz default")


class Refuse:
    """Stands where jcodec must refuse: json.dumps cannot encode it either."""

    def __repr__(self):
        return "REFUSE"


REFUSE = Refuse()


def expected_key(key):
    """The str OPT_NON_STR_KEYS writes for a dict key (json.dumps's key rules,
    except that orjson writes a non-finite float key as "null"), or REFUSE."""
    if isinstance(key, str):
        return str(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, float):
        return float.__repr__(key) if math.isfinite(key) else "null"
    if isinstance(key, int):
        try:
            return int.__repr__(key)
        except ValueError:  # beyond sys.get_int_max_str_digits()
            return REFUSE
    return REFUSE
