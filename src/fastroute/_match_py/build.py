"""URL building: quoting, build plans and their selection (the twin of
``_match_parts/build.pxi``).

``routing/`` hands :func:`build_plans` a ``_spec.BuildEntry`` per rule of an
endpoint; ``AdapterBase.build`` picks the first plan that fits, as
werkzeug's ``MapAdapter._partial_build`` picks a rule, and fills it in.
"""

from __future__ import annotations

import re
import typing as t
from urllib.parse import quote

from werkzeug.routing.converters import ValidationError

from .. import _spec
from .._spec import (
    K_PATH,
    K_STRING,
    PATH_SAFE as _PATH_SAFE,
)
from .methods import _frozen_methods

# Text that quote(text, safe=PATH_SAFE) returns unchanged.
_URL_SAFE = re.compile(_spec.PATH_SAFE_RE)


def _quote(value: t.Any) -> str:
    """quote(str(value), safe=PATH_SAFE), without the call for safe text."""
    text = value if value.__class__ is str else str(value)
    return text if _URL_SAFE.fullmatch(text) else quote(text, safe=_PATH_SAFE)


class Slot:
    """A variable in a build plan: its name and how to turn a value into URL
    text (*to_url* None: the quoting ``_quote`` does, which is the
    built-in string and path converters' to_url)."""

    __slots__ = ("name", "to_url")

    def __init__(self, name: str, converter: t.Any) -> None:
        self.name = name
        kind = getattr(converter, "_kind", None)
        quoted = kind is not None and kind()[0] in (K_STRING, K_PATH)
        self.to_url: t.Callable[[t.Any], str] | None = None if quoted else converter.to_url


def _plan_chunks(chunks: tuple[t.Any, ...], converters: t.Mapping[str, t.Any]) -> t.Any:
    """Literal chunks stay strings; a ``(name,)`` slot becomes a
    :class:`Slot`; an all-literal plan becomes one string."""
    out: list[t.Any] = []
    for chunk in chunks:
        if chunk.__class__ is str:
            out.append(chunk)
        else:
            out.append(Slot(chunk[0], converters[chunk[0]]))
    if all(c.__class__ is str for c in out):
        return "".join(out)
    return tuple(out)


class BuildPlan:
    """One rule's build recipe."""

    __slots__ = (
        "arguments",
        "defaults",
        "domain",
        "methods",
        "params",
        "path",
        "plain",
        "required",
        "rule",
        "websocket",
    )

    def __init__(
        self,
        rule: t.Any,
        plain: bool,
        methods: t.AbstractSet[str] | None,
        websocket: bool,
        arguments: t.AbstractSet[str],
        defaults: t.Mapping[str, t.Any] | None,
        converters: t.Mapping[str, t.Any],
        domain: tuple[t.Any, ...],
        path: tuple[t.Any, ...],
        params: t.AbstractSet[str],
        required: tuple[str, ...],
    ) -> None:
        self.rule = rule
        self.plain = plain
        self.methods = _frozen_methods(methods)
        self.websocket = websocket
        self.arguments = arguments
        self.defaults = dict(defaults) if defaults else None
        self.domain = _plan_chunks(domain, converters)
        self.path = _plan_chunks(path, converters)
        self.params = params
        self.required = required

    def suitable(self, values: dict[str, t.Any], method: str | None) -> bool:
        """Rule.suitable_for."""
        if not self.plain:
            return bool(self.rule.suitable_for(values, method))
        if method is not None and self.methods is not None and method not in self.methods:
            return False
        defaults = self.defaults
        for key in self.arguments:
            if key not in values and (defaults is None or key not in defaults):
                return False
        if defaults:
            for key, value in defaults.items():
                if key in values and value != values[key]:
                    return False
        return True

    def build(self, values: dict[str, t.Any], append_unknown: bool) -> tuple[str, str] | None:
        """Rule.build: ``(domain_part, path)``, or None on ValidationError."""
        if not self.plain:
            return self.rule.build(values, append_unknown)  # type: ignore[no-any-return]
        for key in values:
            if key.__class__ is not str and not isinstance(key, str):
                raise TypeError("keywords must be strings")  # as werkzeug's **values
        for name in self.required:
            if name not in values:
                raise TypeError(f"missing value for {name!r} to build {self.rule.rule!r}")
        query = ""
        if append_unknown and len(values) > len(self.required):
            params = self.params
            extra = {k: v for k, v in values.items() if k not in params}
            if extra:
                query = self.rule._encode_query_vars(extra)
        try:
            domain = _fill(self.domain, values)
            path = _fill(self.path, values)
        except ValidationError:
            return None
        if query:
            path = f"{path}?{query}"
        return domain, path


# C only: _query_safe (text urlencode leaves alone, by a C table)
# C only: _simple_query (the query string of plain str/int pairs without urlencode; here Rule._encode_query_vars)


def _fill(plan: t.Any, values: dict[str, t.Any]) -> str:
    if plan.__class__ is str:
        return plan  # type: ignore[no-any-return]
    out = []
    for chunk in plan:
        if chunk.__class__ is str:
            out.append(chunk)
        else:
            to_url = chunk.to_url
            value = values[chunk.name]
            out.append(_quote(value) if to_url is None else to_url(value))
    return "".join(out)


def build_plans(entries: list[_spec.BuildEntry], slots: dict[t.Any, t.Any]) -> tuple[t.Any, ...]:
    """The build plans of one endpoint for ``AdapterBase.build``.

    *entries* holds a :class:`~fastroute._spec.BuildEntry` per rule, in
    build order.  *slots* is the map's cache of
    equal variable slots, which the compiled core shares between plans (this
    core makes a :class:`Slot` per plan).
    """
    return tuple(BuildPlan(*entry) for entry in entries)


# An endpoint's plans, and what a selection gives: (domain, path, websocket) or None.
_Plans = tuple["BuildPlan", ...]
_Values = dict[str, t.Any]
_Built = tuple[str, str, bool] | None


def _plans_build(
    adapter: t.Any, plans: _Plans, values: _Values, method: str | None, append_unknown: bool, hosts: bool
) -> _Built:
    """MapAdapter._partial_build over the plans: (domain, path, websocket)."""
    if method is None:
        found = _plans_build(adapter, plans, values, adapter.default_method, append_unknown, hosts)
        if found is not None:
            return found
    return _plans_select(adapter, plans, values, method, append_unknown, hosts)


def _plans_select(
    adapter: t.Any, plans: _Plans, values: _Values, method: str | None, append_unknown: bool, hosts: bool
) -> _Built:
    """The first plan suitable for *values* and *method* that builds (with
    host matching, one on the bound host first): werkzeug's loop over an
    endpoint's rules in ``_partial_build``."""
    first = None
    for plan in plans:
        if plan.suitable(values, method):
            built = plan.build(values, append_unknown)
            if built is not None:
                found = (built[0], built[1], plan.websocket)
                if not hosts or built[0] == adapter.server_name:
                    return found
                if first is None:
                    first = found
    return first


def select_plan(
    adapter: t.Any, plans: _Plans, values: _Values, method: str | None, append_unknown: bool
) -> _Built:
    """``(domain, path, websocket)`` of the first of an endpoint's *plans*
    that builds from *values* for *method*, or None: the selection of
    ``MapAdapter._partial_build``, which makes werkzeug's retry with the
    default method itself (through ``self``, so an override sees it)."""
    return _plans_select(adapter, plans, values, method, append_unknown, adapter.map.host_matching)
