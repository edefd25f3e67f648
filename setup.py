"""setuptools build of the extension module from the same core/ sources CMake
uses (core/sources.txt) and the same version (VERSION). The type stub
jcodec.pyi and the py.typed marker are installed beside the module."""
import pathlib
import shutil

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def core_sources():
    lines = (ROOT / "core" / "sources.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


VERSION = (ROOT / "VERSION").read_text().strip()


class build_ext_with_stub(build_ext):
    """A single-module extension has no package directory for package_data:
    put the stub and marker beside the module in the build tree."""

    def run(self):
        super().run()
        for name in ("jcodec.pyi", "py.typed"):
            shutil.copy(ROOT / name, pathlib.Path(self.build_lib) / name)


setup(
    version=VERSION,
    ext_modules=[
        Extension(
            "jcodec",
            sources=core_sources(),
            include_dirs=["core"],
            define_macros=[("JCODEC_VERSION", f'"{VERSION}"')],
            extra_compile_args=["-std=gnu11", "-O3", "-fvisibility=hidden",
                                "-Wall", "-Wextra"],
        )
    ],
    cmdclass={"build_ext": build_ext_with_stub},
    # Keep setuptools out of CMake's build directory.
    options={"build": {"build_base": "build/setuptools"}},
)
