"""Sample classes of the further types dumps writes (enums, dataclasses),
shared by the test_dumps_* suites, the hypothesis strategies
(_types_strategies.py) and the memory suites (_memory_helpers.py). Needs
neither pytest nor hypothesis.
"""
import dataclasses
import datetime
import enum
import sys
import typing
import uuid

from support import Unknown

# ---------------------------------------------------------------------------
# Enums


class Color(enum.Enum):
    RED = 1
    GREEN = "green"
    LIST = [1, [2.5, None], {"k": "v"}]
    NONE = None


class Number(enum.IntEnum):
    ONE = 1
    BIG = 2**64 + 1
    LOW = -(2**70)


# enum.StrEnum is 3.11+. Before it, a str enum is the str mix-in StrEnum
# standardised (StrEnum is `class StrEnum(str, ReprEnum)`; ReprEnum changes
# only str() and format()): its members are str instances and Enum members as
# StrEnum's are, which is all dumps looks at, so the same cases run on 3.9 and
# 3.10 against this class.
_StrEnum = getattr(enum, "StrEnum", None)
_STR_ENUM_BASES = (_StrEnum,) if _StrEnum is not None else (str, enum.Enum)


class Name(*_STR_ENUM_BASES):
    ALICE = "alice"
    EMOJI = "😀\n"


class Perm(enum.Flag):
    R = 4
    W = 2
    X = 1


class Bits(enum.IntFlag):
    A = 1
    B = 2
    BIG = 2**40


class Coded(enum.Enum):
    """A member whose value is set by __new__ (not the tuple it was defined with)."""

    def __new__(cls, code, label):
        member = object.__new__(cls)
        member._value_ = code
        member.label = label
        return member

    A = (10, "ten")
    B = ("b", "bee")


class Rich(enum.Enum):
    """Values that are themselves of the further types: written with the same
    options."""
    WHEN = datetime.datetime(2000, 1, 2, 3, 4, 5, 678, tzinfo=datetime.timezone.utc)
    DAY = datetime.date(1999, 12, 31)
    ID = uuid.UUID(int=1)
    NESTED = Color.LIST
    MAP = {"k": Perm.R}


class Wrapping(enum.Enum):
    """Values dumps needs default for."""
    ODD = Unknown()
    SET = frozenset([1])


ENUM_CLASSES = (Color, Number, Name, Perm, Bits, Coded, Rich)
# Members whose value is a key type (OPT_NON_STR_KEYS).
KEY_ENUMS = (Color.RED, Color.GREEN, Number.LOW, Name.ALICE, Perm.R, Bits.BIG, Coded.B, Rich.DAY, Rich.ID,
             Rich.WHEN)

# ---------------------------------------------------------------------------
# Dataclasses


@dataclasses.dataclass
class Member:
    """The shape of ./bench's dataclass dataset."""
    id: int
    active: bool
    name: str
    score: float


@dataclasses.dataclass(frozen=True)
class FrozenPoint:
    x: object
    y: object = 0


def slots_dataclass(cls):
    """dataclasses.dataclass(slots=True), which is 3.10+; on 3.9 the same
    class made as 3.10's dataclasses._add_slots makes it (the dataclass made
    again with __slots__ for its fields, the fields' class attributes and
    __dict__ dropped), so the __slots__ cases run on every version."""
    if sys.version_info >= (3, 10):
        return dataclasses.dataclass(slots=True)(cls)
    cls = dataclasses.dataclass(cls)
    body = dict(cls.__dict__)
    names = tuple(f.name for f in dataclasses.fields(cls))
    body["__slots__"] = names
    for name in names:
        body.pop(name, None)
    body.pop("__dict__", None)
    made = type(cls)(cls.__name__, cls.__bases__, body)
    made.__qualname__ = cls.__qualname__
    return made


@slots_dataclass
class SlotsPoint:
    x: object
    y: object = None


@dataclasses.dataclass
class Pseudo:
    """Fields dumps leaves out: private names, ClassVar, InitVar."""
    kept: object
    _private: int = 1
    __mangled: int = 2
    shared: typing.ClassVar[int] = 3
    start: dataclasses.InitVar[int] = 4

    def __post_init__(self, start):
        self.seen_start = start  # an attribute outside the fields


@dataclasses.dataclass
class Base:
    a: object = 1
    b: object = 2


@dataclasses.dataclass
class Derived(Base):
    c: object = 3
    a: object = 10  # redefined: keeps the base's place


@dataclasses.dataclass
class Tree:
    label: str
    children: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Nothing:
    pass


DATACLASS_CLASSES = (Member, FrozenPoint, SlotsPoint, Pseudo, Base, Derived, Tree, Nothing)
