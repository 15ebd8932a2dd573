"""Build the optional Cython cores ``fastroute._match`` and ``fastroute._local``.

Each ``src/fastroute/_*.pyx`` is compiled to an extension module; each has a
pure-Python twin (``_match_py``, ``_local_py``) that the package falls back to.

* ``FASTROUTE_NO_EXTENSIONS=1`` at build time, a non-CPython interpreter, or
  no Cython: no extension modules at all, so the wheel is a pure
  ``py3-none-any`` one.
* A failed compile (no C compiler, broken toolchain): a warning, and the build
  goes on without the extensions; the install works with the pure twins and
  ``fastroute.COMPILED`` is False.  With ``FASTROUTE_REQUIRE_COMPILED=1`` at
  build time a failed compile is an error instead (cibuildwheel, CI).

Cython runs from ``build_ext`` (not at import of this file) and writes the
generated C into the build directory, so ``sdist`` and ``egg_info`` never
create ``.c`` files and the sdist ships the Cython sources only (``.pyx``,
``.pxd`` and the ``.pxi`` parts ``_match.pyx`` includes).
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path
from typing import Any

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
PACKAGE_DIR = Path("src", "fastroute")


def _flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0")


def _warn(msg: str) -> None:
    # setuptools' and pip's output is noisy; make the line easy to spot.  pip
    # shows it with -v, `python -m build` always.
    print(f"\nWARNING: fastroute: {msg}\n", file=sys.stderr, flush=True)


def _why_no_extensions() -> str | None:
    """The reason to build a pure package, or None to build the extensions."""
    if _flag("FASTROUTE_NO_EXTENSIONS"):
        return "FASTROUTE_NO_EXTENSIONS is set"
    if sys.implementation.name != "cpython":
        return f"{sys.implementation.name} is not CPython"
    try:
        import Cython  # noqa: F401
    except ImportError:
        return "Cython is not installed"
    return None


def _extensions() -> list[Extension]:
    reason = _why_no_extensions()
    if reason is not None:
        _warn(f"{reason}: building the pure-Python package (fastroute.COMPILED will be False).")
        return []
    # -g0: no debug info, which would make the modules ~5 times larger.
    compile_args = [] if os.name == "nt" else ["-O3", "-g0"]
    return [
        Extension(
            f"fastroute.{pyx.stem}",
            [(PACKAGE_DIR / pyx.name).as_posix()],
            extra_compile_args=compile_args,
            depends=_declarations_and_parts(pyx.stem),
        )
        for pyx in sorted((HERE / PACKAGE_DIR).glob("_*.pyx"))
    ]


def _declarations_and_parts(stem: str) -> list[str]:
    """A module's ``.pxd`` and the ``.pxi`` parts its ``.pyx`` includes (in
    ``<stem>_parts/``).  cythonize finds them itself and regenerates the C when
    one is newer; as the extension's ``depends`` they also make ``build_ext``
    rebuild a module older than one of them."""
    found = [
        HERE / PACKAGE_DIR / f"{stem}.pxd",
        *sorted((HERE / PACKAGE_DIR / f"{stem}_parts").glob("*.pxi")),
    ]
    return [f.relative_to(HERE).as_posix() for f in found if f.exists()]


class OptionalBuildExt(build_ext):
    """Cythonize at build time; a failed compile leaves a working pure install."""

    def run(self) -> None:
        if not self.extensions:
            return
        try:
            from Cython.Build import cythonize

            generated = cythonize(
                self.extensions,
                # The C goes to build/, never next to the .pyx in src/.
                build_dir=os.path.join(self.build_temp, "cython"),
                language_level=3,
                compiler_directives={
                    "boundscheck": False,
                    "wraparound": False,
                    "cdivision": True,
                    "embedsignature": True,
                    # Not declared free-threading compatible: the cores rely on
                    # the GIL (see [tool.cibuildwheel] in pyproject.toml), so a
                    # free-threaded CPython re-enables it when importing them.
                    "freethreading_compatible": False,
                },
            )
            # Keep the Extension objects build_ext has finalized; only their
            # sources change, from .pyx to the generated .c.
            sources = {ext.name: ext.sources for ext in generated}
            for ext in self.extensions:
                ext.sources = sources[ext.name]
            super().run()
        except Exception as exc:  # Cython failed, or no compiler at all (DistutilsPlatformError)
            self._failed(exc)

    def build_extension(self, ext: Any) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # CompileError, LinkError, a missing CC, ...
            self._failed(exc, ext.name)

    def _failed(self, exc: Exception, name: str = "the C extensions") -> None:
        if _flag("FASTROUTE_REQUIRE_COMPILED"):
            raise exc
        _warn(
            f"could not compile {name} ({type(exc).__name__}: {exc}); installing the "
            "pure-Python version instead, which behaves the same but is slower "
            "(fastroute.COMPILED will be False).  Install a C compiler and the Python "
            "headers, then reinstall with --no-cache-dir --no-binary fastroute to compile."
        )


if sysconfig.get_config_var("Py_GIL_DISABLED"):
    _warn(
        "this is a free-threaded CPython; the compiled cores rely on the GIL, "
        "which the interpreter turns back on when they are imported."
    )

setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
