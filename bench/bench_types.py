"""The rich-type datasets of ./bench's dumps family (dumps/<dataset>/<impl>,
bench/types_bench.cc), imported by ./bench's embedded interpreter and by
scripts/bench_summary.py (which reads the bars from DATASETS).

Each dataset is a Python value built deterministically (fixed seeds) and anew
for every caller, so each implementation serializes its own copy. The peers:
jcodec and orjson (with OPT_SERIALIZE_NUMPY for the numpy datasets) and json
with a `default` converting each type as the standard library would
(isoformat(), dataclasses.asdict, str(uuid), .value, tolist()).

numpy is looked for on sys.path, then in Debian's dist-packages (appended,
never prepended); without it the np_* datasets are not registered and
available() says why, once.
"""
import collections
import dataclasses
import datetime
import enum
import importlib
import json
import os
import pathlib
import random
import sys
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
import project  # noqa: E402  (scripts/project.py: paths, stated once)

COUNT = 10_000  # instances, datetimes, dates, UUIDs, enum members
NUMPY_COUNT = 100_000  # elements of the 1-D numpy arrays
NUMPY_ROWS, NUMPY_COLUMNS = 1000, 100  # np_float64_2d


@dataclasses.dataclass
class Record:
    id: int
    active: bool
    name: str
    score: float


class Colour(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


def _rng(name):
    return random.Random(f"jcodec-bench-{name}")


def _dataclass():
    rng = _rng("dataclass")
    # Two decimals in [0, 100): printed alike by repr and orjson's Ryu.
    return [Record(i, rng.random() < 0.5, f"user-{i:05d}", round(rng.uniform(0, 100), 2))
            for i in range(COUNT)]


def _datetimes(name, tz):
    rng = _rng(name)
    base = datetime.datetime(2000, 1, 1, tzinfo=tz)
    return [base + datetime.timedelta(seconds=rng.randrange(30 * 365 * 86400),
                                      microseconds=rng.randrange(1_000_000))
            for _ in range(COUNT)]


def _dates():
    rng = _rng("date")
    base = datetime.date(1970, 1, 1)
    return [base + datetime.timedelta(days=rng.randrange(100 * 365)) for _ in range(COUNT)]


def _uuids():
    rng = _rng("uuid")
    return [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(COUNT)]


def _enums():
    rng = _rng("enum")
    members = list(Colour)
    return [rng.choice(members) for _ in range(COUNT)]


def _numpy_rng(name):
    return _numpy().random.default_rng(list(f"jcodec-bench-{name}".encode()))


def _np_float64():
    return _numpy_rng("np_float64").random(NUMPY_COUNT)


def _np_int32():
    return _numpy_rng("np_int32").integers(-2**31, 2**31, NUMPY_COUNT, dtype="int32")


def _np_bool():
    return _numpy_rng("np_bool").random(NUMPY_COUNT) < 0.5


def _np_float64_2d():
    return _numpy_rng("np_float64_2d").random((NUMPY_ROWS, NUMPY_COLUMNS))


# build: makes the value; numpy: needs numpy and OPT_SERIALIZE_NUMPY; exact:
# jcodec's bytes must equal orjson 3.8.3's (float64 arrays: jcodec writes
# repr's floats, orjson Ryu's, so there the parsed values must be equal); items:
# values per document; bar: issue 12's goal, jcodec time / orjson 3.8.3 time at
# most (orjson 3.11.8's own ratio to 3.8.3, measured in the issue; np_bool 1.00).
Dataset = collections.namedtuple("Dataset", "build numpy exact items bar")
DATASETS = {
    "dataclass": Dataset(_dataclass, False, True, COUNT, 0.73),
    "datetime_tz": Dataset(lambda: _datetimes("datetime_tz", datetime.timezone.utc),
                           False, True, COUNT, 0.81),
    "datetime_naive": Dataset(lambda: _datetimes("datetime_naive", None), False, True, COUNT,
                              0.61),
    "date": Dataset(_dates, False, True, COUNT, 0.64),
    "uuid": Dataset(_uuids, False, True, COUNT, 0.27),
    "enum": Dataset(_enums, False, True, COUNT, 0.95),
    "np_float64": Dataset(_np_float64, True, False, NUMPY_COUNT, 0.79),
    "np_int32": Dataset(_np_int32, True, True, NUMPY_COUNT, 0.73),
    "np_bool": Dataset(_np_bool, True, True, NUMPY_COUNT, 1.00),
    "np_float64_2d": Dataset(_np_float64_2d, True, False, NUMPY_ROWS * NUMPY_COLUMNS, 0.78),
}

_numpy_module = None
_numpy_error = None


def _numpy():
    """numpy, imported once (sys.path first, then Debian's dist-packages), or
    ImportError with the reason."""
    global _numpy_module, _numpy_error
    if _numpy_module is None and _numpy_error is None:
        # The benchmarks use no BLAS: no idle thread pool in the measured process.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        if project.DEBIAN_DIST_PACKAGES not in sys.path:
            sys.path.append(project.DEBIAN_DIST_PACKAGES)
        try:
            import numpy
            _numpy_module = numpy
        except ImportError as e:
            _numpy_error = f"{type(e).__name__}: {e}"
    if _numpy_module is None:
        raise ImportError(_numpy_error)
    return _numpy_module


def numpy_version():
    """numpy's version, or 'not importable: <why>'."""
    try:
        return _numpy().__version__
    except ImportError as e:
        return f"not importable: {e}"


def available():
    """(the datasets to register, in order; '' or why the numpy ones are not)."""
    try:
        _numpy()
        return list(DATASETS), ""
    except ImportError as e:
        names = [name for name, d in DATASETS.items() if not d.numpy]
        skipped = ", ".join(name for name, d in DATASETS.items() if d.numpy)
        return names, (f"numpy is not importable ({e}; searched sys.path and "
                       f"{project.DEBIAN_DIST_PACKAGES}): dumps of {skipped} not registered "
                       f"(apt-get install python3-numpy)")


def value(name):
    """A new copy of the dataset's value."""
    return DATASETS[name].build()


def items(name):
    return DATASETS[name].items


def stdlib_default(obj):
    """json's `default` for the rich types, converting each as the standard library would."""
    if isinstance(obj, (datetime.date, datetime.time)):  # datetime is a date
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if isinstance(obj, uuid.UUID):
        return str(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(obj, (numpy.ndarray, numpy.generic)):
        return obj.tolist()
    raise TypeError(f"Type is not JSON serializable: {type(obj).__name__}")


def stdlib_dumps(obj):
    """The json implementation: the project's reference encoding, with stdlib_default."""
    return json.dumps(obj, default=stdlib_default, ensure_ascii=False,
                      separators=(",", ":")).encode()


def dumps_call(name, impl):
    """(function, option): impl's dumps for the dataset, called fn(obj) when
    option is None, else fn(obj, option=option). ImportError when impl is not
    importable."""
    if impl == "json":
        return stdlib_dumps, None
    try:
        module = importlib.import_module(impl)
    except ImportError as e:
        raise ImportError(f"{impl} is not importable ({e})") from None
    return module.dumps, module.OPT_SERIALIZE_NUMPY if DATASETS[name].numpy else None


def _first_difference(got, expected):
    i = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b),
             min(len(got), len(expected)))
    start = max(0, i - 20)
    return (f"at byte {i}: ...{got[start:i + 20].decode(errors='replace')}... instead of "
            f"...{expected[start:i + 20].decode(errors='replace')}...")


def check(name, impl, output):
    """('' or why impl's output for the dataset is wrong, the reference's size
    in bytes). Every implementation's output must parse to the value json's
    does; jcodec's must also equal orjson's bytes (parsed values for the
    float64 datasets), when orjson is importable."""
    reference = stdlib_dumps(value(name))
    if not isinstance(output, bytes):
        return f"{impl}.dumps did not return bytes", len(reference)
    if json.loads(output) != json.loads(reference):
        return (f"{impl}.dumps output does not parse to the value json with stdlib_default "
                f"writes ({_first_difference(output, reference)})"), len(reference)
    if impl == "jcodec":
        try:
            fn, option = dumps_call(name, "orjson")
        except ImportError:
            return "", len(reference)  # orjson's own benchmarks say so
        peer = fn(value(name)) if option is None else fn(value(name), option=option)
        if DATASETS[name].exact and output != peer:
            return f"jcodec.dumps differs from orjson's {_first_difference(output, peer)}", \
                len(reference)
        if not DATASETS[name].exact and json.loads(output) != json.loads(peer):
            return "jcodec.dumps output does not parse to orjson's value", len(reference)
    return "", len(reference)
