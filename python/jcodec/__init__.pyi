"""Type stubs for jcodec, the fast exact JSON codec."""
import json
from typing import Any, Callable, Iterable, Iterator, Optional, Protocol, Union

__version__: str

class JSONDecodeError(json.JSONDecodeError):
    """Invalid JSON. ``pos`` is a byte offset for bytes-like input and a
    character offset for str input."""

class JSONEncodeError(TypeError):
    """An object that cannot be serialized."""

class Fragment:
    """Already serialized JSON, which dumps writes as it is (no validation,
    no reformatting). A str must encode to UTF-8."""

    contents: Union[bytes, str]
    def __init__(self, contents: Union[bytes, str], /) -> None: ...

def loads(obj: Union[bytes, bytearray, memoryview, str], /, *, decimal: bool = ...) -> Any:
    """decimal=True: numbers with a fraction or an exponent become
    decimal.Decimal made from their exact text; integers stay int."""
def dumps(
    obj: Any,
    /,
    default: Optional[Callable[[Any], Any]] = ...,
    option: Optional[int] = ...,
) -> bytes: ...

# Files, streams and JSON Lines (README, "Files and streams", "JSON Lines").

class _BinaryWriter(Protocol):
    # Handed bytes; a text file (io.TextIOBase) is refused with TypeError.
    def write(self, data: bytes, /) -> Any: ...

class _BinaryReader(Protocol):
    # Must return bytes-like data (str raises TypeError).
    def read(self, size: int = ..., /) -> Union[bytes, bytearray, memoryview]: ...

def dump(
    obj: Any,
    fp: _BinaryWriter,
    /,
    default: Optional[Callable[[Any], Any]] = ...,
    option: Optional[int] = ...,
) -> None: ...
def load(fp: _BinaryReader, /) -> Any: ...
def loads_lines(data: Union[bytes, bytearray, memoryview, str], /) -> list[Any]: ...

class LinesIterator(Iterator[Any]):
    """What iter_lines returns; exhausted after an error."""
    def __iter__(self) -> "LinesIterator": ...
    def __next__(self) -> Any: ...

def iter_lines(fp: _BinaryReader, /, chunk_size: Optional[int] = ...) -> LinesIterator: ...
def dumps_lines(
    iterable: Iterable[Any],
    /,
    default: Optional[Callable[[Any], Any]] = ...,
    option: Optional[int] = ...,
) -> bytes: ...
def dump_lines(
    iterable: Iterable[Any],
    fp: _BinaryWriter,
    /,
    default: Optional[Callable[[Any], Any]] = ...,
    option: Optional[int] = ...,
) -> None: ...

OPT_APPEND_NEWLINE: int
OPT_INDENT_2: int
OPT_NAIVE_UTC: int
OPT_NON_STR_KEYS: int
OPT_OMIT_MICROSECONDS: int
OPT_PASSTHROUGH_DATACLASS: int
OPT_PASSTHROUGH_DATETIME: int
OPT_PASSTHROUGH_SUBCLASS: int
OPT_SERIALIZE_DATACLASS: int
OPT_SERIALIZE_NUMPY: int
OPT_SERIALIZE_UUID: int
OPT_SORT_KEYS: int
OPT_STRICT_INTEGER: int
OPT_UTC_Z: int
# jcodec's own (not orjson's): decimal.Decimal written as its digits.
OPT_SERIALIZE_DECIMAL: int
