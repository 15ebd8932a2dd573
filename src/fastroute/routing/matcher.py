"""Rules into a core's matcher: :func:`compile_matcher`, and werkzeug's
``StateMachineMatcher`` interface on top of it.  Which core runs is decided
in :mod:`fastroute._cores`.
"""

from __future__ import annotations

import types
import typing as t

from .. import _cores, _spec
from .converters import BaseConverter
from .exceptions import NoMatch, RequestAliasRedirect, RequestPath
from .rules import Rule, _methods_of, foreign_parts, is_ours

__all__ = ["StateMachineMatcher", "compile_matcher"]


def compile_matcher(
    core: types.ModuleType,
    merge_slashes: bool,
    rules: t.Iterable[Rule],
    foreign: dict[int, t.Any] | None = None,
) -> t.Any:
    """A finished matcher of *core* holding *rules*, handed over as plain data.

    A rule that is not one of ours (werkzeug's ``Rule``) has its parts and
    converters in *foreign* (by id), or has them worked out here.
    """
    matcher = core.Matcher(merge_slashes)
    # Equal name tuples (and all-identity converter tuples) are shared by
    # the leaves: they repeat from rule to rule.
    shared: dict[tuple[t.Any, ...], tuple[t.Any, ...]] = {}
    for rule in rules:
        if is_ours(rule):
            parts, convs = rule._parts, rule._converters
        else:
            found = None if foreign is None else foreign.get(id(rule))
            parts, convs = foreign_parts(rule) if found is None else found
        names = tuple(convs)
        names = shared.setdefault(names, names)
        to_python = tuple([_identity_or(c) for c in convs.values()])
        if all(c is None for c in to_python):
            to_python = shared.setdefault(to_python, to_python)
        matcher.add(
            _spec.RuleLeaf(
                parts,
                rule,
                names,
                to_python,
                _methods_of(rule),
                rule.websocket,
                rule.strict_slashes,
                rule.merge_slashes,
                rule.defaults,
            )
        )
    matcher.finish()
    return matcher


def _identity_or(conv: t.Any) -> t.Any:
    """None for converters whose ``to_python`` is the base identity (and
    not replaced on the instance)."""
    if type(conv).to_python is BaseConverter.to_python and "to_python" not in getattr(conv, "__dict__", ()):
        return None
    return conv


class StateMachineMatcher:
    """werkzeug's matcher interface on top of the selected core.

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
        # Read when compiling: the tests switch the core per test.
        self._compiled = compile_matcher(_cores.match_core, self.merge_slashes, self._rules)

    def match(self, domain: str, path: str, method: str, websocket: bool) -> tuple[t.Any, dict[str, t.Any]]:
        if self._compiled is None:
            self.update()
        status, found, values = self._compiled.match(domain, path, method, websocket)
        if status == _spec.HIT:
            if found.alias and found.map.redirect_defaults:
                raise RequestAliasRedirect(values, found.endpoint)
            return found, values
        if status == _spec.REDIRECT:
            raise RequestPath(found)
        raise NoMatch(set(found or ()), values)
