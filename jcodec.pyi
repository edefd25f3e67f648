"""Type stubs for jcodec, the fast exact JSON codec."""
import json
from typing import Any, Callable, Optional, Union

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

def loads(obj: Union[bytes, bytearray, memoryview, str], /) -> Any: ...
def dumps(
    obj: Any,
    /,
    default: Optional[Callable[[Any], Any]] = ...,
    option: Optional[int] = ...,
) -> bytes: ...

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
