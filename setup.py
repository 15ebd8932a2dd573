"""Build the optional Cython cores.

Every ``src/fastroute/_*.pyx`` is compiled to an extension module.  Without
Cython, without a C compiler, or with ``FASTROUTE_NO_EXTENSIONS`` set, the
build goes on without them and the package uses its pure-Python twins
(``fastroute.COMPILED`` is then False).
"""

import os
import sys
import warnings
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).parent
NO_EXTENSIONS = os.environ.get("FASTROUTE_NO_EXTENSIONS", "") not in ("", "0") or (
    sys.implementation.name != "cpython"
)


def _extensions():
    if NO_EXTENSIONS:
        return []
    sources = sorted((HERE / "src" / "fastroute").glob("_*.pyx"))
    if not sources:
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        warnings.warn("Cython is not installed: building the pure-Python fastroute", stacklevel=1)
        return []
    exts = [
        Extension(f"fastroute.{src.stem}", [str(src.relative_to(HERE))], extra_compile_args=["-O3"] if os.name != "nt" else [])
        for src in sources
    ]
    return cythonize(
        exts,
        language_level=3,
        compiler_directives={
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "embedsignature": True,
        },
    )


class OptionalBuildExt(build_ext):
    """A failed compile leaves a working pure-Python install, with a warning."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # no compiler, broken toolchain
            self._warn(exc)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._warn(exc)

    @staticmethod
    def _warn(exc):
        msg = (
            f"fastroute: could not compile the C extensions ({exc}); "
            "installing the pure-Python version, which is slower but equivalent."
        )
        warnings.warn(msg, stacklevel=1)
        print(f"WARNING: {msg}", file=sys.stderr)


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
