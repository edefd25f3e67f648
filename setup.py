"""setuptools build of the extension module from the same core/ sources CMake
uses (CMakeLists.txt, JCODEC_CORE_SOURCES). The type stub jcodec.pyi and the
py.typed marker are installed beside the module."""
import pathlib
import re
import shutil

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def core_sources():
    cmake = (ROOT / "CMakeLists.txt").read_text()
    block = re.search(r"set\(JCODEC_CORE_SOURCES\s+(.*?)\)", cmake, re.S).group(1)
    return block.split()


class build_ext_with_stub(build_ext):
    """A single-module extension has no package directory for package_data:
    put the stub and marker beside the module in the build tree."""

    def run(self):
        super().run()
        for name in ("jcodec.pyi", "py.typed"):
            shutil.copy(ROOT / name, pathlib.Path(self.build_lib) / name)


setup(
    ext_modules=[
        Extension(
            "jcodec",
            sources=core_sources(),
            include_dirs=["core"],
            extra_compile_args=["-std=gnu11", "-O3", "-fvisibility=hidden",
                                "-Wall", "-Wextra"],
        )
    ],
    cmdclass={"build_ext": build_ext_with_stub},
    # Keep setuptools out of CMake's build directory.
    options={"build": {"build_base": "build/setuptools"}},
)
