"""Context-local objects with ``werkzeug.local``'s API: ``Local``, ``LocalStack``,
``LocalProxy``, ``LocalManager`` and ``release_local``.

The classes come from the compiled core ``fastroute._local`` unless
``FASTROUTE_NO_EXTENSIONS`` is set (any value but empty or ``0``) or the
extension is not built (no compiler at install time, PyPy); then from its
pure-Python twin ``fastroute._local_py``.  Both behave the same; ``COMPILED``
tells which one is loaded, ``core`` is the module itself.

Storage is keyed by the current execution context (a ``ContextVar``), so
threads, asyncio tasks and greenlets each see their own values;
``Local(ident_func=...)`` keeps the older ident-keyed storage.
"""

from __future__ import annotations

import types
import typing as t

from . import _cores

__all__ = [
    "COMPILED",
    "NO_EXTENSIONS",
    "Local",
    "LocalManager",
    "LocalProxy",
    "LocalStack",
    "compiled_core",
    "core",
    "pure_core",
    "release_local",
]

NO_EXTENSIONS = _cores.NO_EXTENSIONS
pure_core: types.ModuleType = _cores.pure_local
compiled_core: types.ModuleType | None = _cores.compiled_local
#: The core whose classes this module exports (chosen by :mod:`fastroute._cores`).
core: types.ModuleType = _cores.local_core
#: True when the classes are the compiled ones.
COMPILED: bool = core is not pure_core

if t.TYPE_CHECKING:  # the stub of the compiled core carries the typed API
    from ._local import Local, LocalManager, LocalProxy, LocalStack, release_local
else:
    Local = core.Local
    LocalStack = core.LocalStack
    LocalProxy = core.LocalProxy
    LocalManager = core.LocalManager
    release_local = core.release_local
