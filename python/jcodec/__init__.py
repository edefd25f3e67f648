"""Fast, exact JSON for CPython with an orjson-compatible API.

The package is a thin shell around the compiled module, jcodec._jcodec, as
orjson's is around orjson.orjson: every name the extension defines, public or
test-only (the functions starting with an underscore), is an attribute of the
package itself, so `jcodec.loads`, `jcodec.OPT_INDENT_2` and
`jcodec._alloc_stats` are the extension's own objects. `python -m jcodec` is
the command line (__main__.py, imported only then).
"""
import sys as _sys

# A fresh import of the package (the first one, or one after
# `del sys.modules["jcodec"]`) gets a fresh extension module, with its own
# state (exception types, key cache), as importing the bare extension did:
# the package and its extension live and die together. importlib.reload()
# runs this file again in the same namespace, and keeps the extension (and
# its state), as reloading the extension did.
if "_jcodec" not in globals():
    _sys.modules.pop(__name__ + "._jcodec", None)

from . import _jcodec  # noqa: E402

globals().update({name: value for name, value in vars(_jcodec).items()
                  if not name.startswith("__") or name == "__version__"})
__all__ = sorted(name for name in vars(_jcodec) if not name.startswith("_"))

del _sys
