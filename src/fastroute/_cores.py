"""Which cores run: the one place that reads ``FASTROUTE_NO_EXTENSIONS``.

fastroute has two compiled cores, ``_match`` (matching and building) and
``_local`` (context locals), each with a pure-Python twin (``_match_py``,
``_local_py``) of the same names and behaviour.  The compiled ones run unless
``FASTROUTE_NO_EXTENSIONS`` is set (any value but empty or ``0``) or they are
not built (no compiler at install time, PyPy); then the twins run.  The
choice is made once, at import; ``fastroute.routing`` and ``fastroute.local``
build their public classes on it.
"""

from __future__ import annotations

import os
import types

from . import _local_py, _match_py

__all__ = [
    "COMPILED",
    "NO_EXTENSIONS",
    "compiled_local",
    "compiled_match",
    "local_core",
    "match_core",
    "pure_local",
    "pure_match",
]

#: True when the environment asks for the pure-Python twins.
NO_EXTENSIONS: bool = os.environ.get("FASTROUTE_NO_EXTENSIONS", "") not in ("", "0")

pure_match: types.ModuleType = _match_py
pure_local: types.ModuleType = _local_py

compiled_match: types.ModuleType | None
compiled_local: types.ModuleType | None
try:
    from . import _match as compiled_match
except ImportError:  # pragma: no cover - depends on the build
    compiled_match = None
try:
    from . import _local as compiled_local
except ImportError:  # pragma: no cover - depends on the build
    compiled_local = None

#: The matcher core: what ``fastroute.routing``'s classes are built on.
match_core: types.ModuleType = pure_match if NO_EXTENSIONS or compiled_match is None else compiled_match
#: The context-locals core: what ``fastroute.local`` exports.
local_core: types.ModuleType = pure_local if NO_EXTENSIONS or compiled_local is None else compiled_local
#: True when both compiled cores are in use.
COMPILED: bool = match_core is not pure_match and local_core is not pure_local
