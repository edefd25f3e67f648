"""setuptools build of the jcodec package: python/jcodec/ (pyproject.toml's
[tool.setuptools]: __init__.py, __main__.py, the stub __init__.pyi, py.typed)
around the extension jcodec._jcodec, built from the same core/ sources CMake
uses (core/sources.txt) and the same version (VERSION)."""
import pathlib
import subprocess
import sysconfig

from setuptools import Extension, setup

ROOT = pathlib.Path(__file__).resolve().parent


def core_sources():
    lines = (ROOT / "core" / "sources.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


VERSION = (ROOT / "VERSION").read_text().strip()


def link_time_optimisation():
    """-flto=auto when the interpreter's compiler is gcc, as CMake's Release
    build links the module (CMakeLists.txt, JCODEC_LTO): the hot paths cross
    the core's files. Other compilers build without it."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    try:
        banner = subprocess.run([compiler, "--version"], capture_output=True, text=True,
                                check=False).stdout
    except OSError:
        return []
    return ["-flto=auto"] if "Free Software Foundation" in banner else []


LTO = link_time_optimisation()


setup(
    version=VERSION,
    ext_modules=[
        Extension(
            "jcodec._jcodec",
            sources=core_sources(),
            include_dirs=["core"],
            define_macros=[("JCODEC_VERSION", f'"{VERSION}"')],
            extra_compile_args=["-std=gnu11", "-O3", "-fvisibility=hidden",
                                "-Wall", "-Wextra", *LTO],
            extra_link_args=["-O3", *LTO],
        )
    ],
    # Keep setuptools out of CMake's build directory.
    options={"build": {"build_base": "build/setuptools"}},
)
