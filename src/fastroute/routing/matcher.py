"""Choose the matcher core: the compiled ``_match`` or its pure twin.

``FASTROUTE_NO_EXTENSIONS`` (any value but empty or ``0``) forces the pure
core; so does a missing extension (no compiler at install time, PyPy).
Both cores expose the same names and give the same answers.
"""

from __future__ import annotations

import os
import types
import typing as t

from .. import _match_py

__all__ = ["COMPILED", "NO_EXTENSIONS", "StateMachineMatcher", "compiled_core", "core", "pure_core"]

NO_EXTENSIONS = os.environ.get("FASTROUTE_NO_EXTENSIONS", "") not in ("", "0")

pure_core: types.ModuleType = _match_py
compiled_core: types.ModuleType | None
try:
    from .. import _match as _compiled
except ImportError:  # pragma: no cover - depends on the build
    compiled_core = None
else:
    compiled_core = _compiled

#: The core new maps use.
core: types.ModuleType = pure_core if NO_EXTENSIONS or compiled_core is None else compiled_core
COMPILED = core is not pure_core


class StateMachineMatcher:
    """werkzeug's matcher interface on top of the active core.

    ``add(rule)`` takes bound rules, ``update()`` compiles, and ``match()``
    returns ``(rule, values)`` or raises werkzeug's internal ``NoMatch`` /
    ``RequestPath`` / ``RequestAliasRedirect``, as werkzeug's class does.
    ``Map`` does not use it; it exists for code written against werkzeug.
    """

    def __init__(self, merge_slashes: bool) -> None:
        self.merge_slashes = merge_slashes
        self._rules: list[t.Any] = []
        self._compiled: t.Any = None

    def add(self, rule: t.Any) -> None:
        self._rules.append(rule)
        self._compiled = None

    def update(self) -> None:
        from .map import compile_matcher

        self._compiled = compile_matcher(core, self.merge_slashes, self._rules)

    def match(self, domain: str, path: str, method: str, websocket: bool) -> tuple[t.Any, dict[str, t.Any]]:
        from .exceptions import NoMatch, RequestAliasRedirect, RequestPath

        if self._compiled is None:
            self.update()
        status, found, values = self._compiled.match(domain, path, method, websocket)
        if status == core.HIT:
            if found.alias and found.map.redirect_defaults:
                raise RequestAliasRedirect(values, found.endpoint)
            return found, values
        if status == core.REDIRECT:
            raise RequestPath(found)
        raise NoMatch(set(found or ()), values)
