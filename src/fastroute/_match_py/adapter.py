"""The adapter: ``MapBase``, ``AdapterBase`` and the methods a subclass
overrides (the twin of ``_match_parts/adapter.pxi``).

``fastroute.routing.map``'s ``Map`` and ``MapAdapter`` derive from these;
``AdapterBase.match`` is the public ``MapAdapter.match``.
"""

from __future__ import annotations

import copyreg
import typing as t
from urllib.parse import quote
from weakref import WeakKeyDictionary

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing.exceptions import BuildError, RequestRedirect

from .._spec import (
    ADAPTER_HOOKS as _ADAPTER_HOOKS,
    H_DEFAULT_REDIRECT,
    H_KNOWN,
    H_PARTIAL_BUILD,
    H_STANDARD_UNKNOWN,
    H_UPDATE,
    HIT,
    MAP_HOOKS as _MAP_HOOKS,
    PATH_SAFE as _PATH_SAFE,
    REDIRECT,
)
from .build import _plans_build
from .errors import _no_match_error, _redirect_error
from .tree import Matcher


class MapBase:
    """Base of ``Map``: the state ``AdapterBase.match`` reads.

    ``_matcher`` (a core ``Matcher``), ``_remap``, ``host_matching``,
    ``redirect_defaults`` and ``_default_sources`` (rule id -> rules whose
    defaults may redirect it) are plain attributes here; the compiled twin
    keeps them in C fields.
    """

    __slots__ = ("__dict__",)

    def __reduce__(self) -> tuple[t.Any, ...]:
        """``copy.copy`` and pickling as werkzeug's Map: a new map of the
        same class with this one's attributes (a shallow copy shares the
        rules; ``deepcopy`` and pickling fail with ``TypeError``, as
        werkzeug's do).  The compiled twin's C fields are plain attributes
        here: none go beside the __dict__."""
        return (copyreg.__newobj__, (type(self),), (vars(self), ()))

    def __setstate__(self, state: tuple[dict[str, t.Any], tuple[t.Any, ...]]) -> None:
        attributes, _fields = state
        vars(self).update(attributes)


class AdapterBase:
    """Base of ``MapAdapter``: the bound state and :meth:`match`.

    Redirect URLs and alias/default redirects are delegated to methods of the
    ``MapAdapter`` subclass (``make_redirect_url``, ``make_alias_redirect_url``,
    ``get_default_redirect``, ``_redirect_to``).
    """

    __slots__ = ("__dict__",)

    def __init__(
        self,
        map: t.Any,
        server_name: str,
        script_name: str,
        subdomain: str | None,
        url_scheme: str,
        path_info: str,
        default_method: str,
        query_args: t.Any = None,
    ) -> None:
        self.map = map
        self.server_name = server_name
        if not script_name.endswith("/"):
            script_name += "/"
        self.script_name = script_name
        self.subdomain = subdomain
        self.url_scheme = url_scheme
        self.path_info = path_info
        self.default_method = default_method
        self.query_args = query_args
        self.websocket = url_scheme in ("ws", "wss")

    def __reduce__(self) -> tuple[t.Any, ...]:
        """``copy.copy`` and pickling as werkzeug's MapAdapter (see
        ``MapBase.__reduce__``): deep copies and pickles fail on the map."""
        return (copyreg.__newobj__, (type(self),), (vars(self), ()))

    def __setstate__(self, state: tuple[dict[str, t.Any], tuple[t.Any, ...]]) -> None:
        attributes, _fields = state
        vars(self).update(attributes)

    def _match_outcome(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: bool = False,
        query_args: t.Any = None,
        websocket: bool | None = None,
    ) -> t.Any:
        """Like :meth:`match`, but a routing error (404, 405, redirect,
        websocket mismatch) is returned, not raised.  Other errors raise."""
        try:
            return self.match(path_info, method, return_rule, query_args, websocket)
        except HTTPException as e:
            # Returned as a value, like the compiled core's: no traceback,
            # whose frames would tie the caller's locals into a cycle.
            e.__traceback__ = None
            return e

    def match(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: bool = False,
        query_args: t.Any = None,
        websocket: bool | None = None,
    ) -> tuple[t.Any, t.Mapping[str, t.Any]]:
        """Match a path to ``(endpoint, values)`` (``(rule, values)`` with
        *return_rule*).

        Raises werkzeug's ``NotFound``, ``MethodNotAllowed`` (with the valid
        methods), ``RequestRedirect`` (slash, merge-slash, default, alias and
        ``redirect_to`` redirects; code 308) and ``WebsocketMismatch``.
        *path_info* and *method* default to the values given to ``bind``;
        *query_args* are appended to redirect URLs; *websocket* overrides the
        scheme's ``ws``/``wss`` detection.
        """
        map = self.map
        if map._remap or _map_hooks(map) & H_UPDATE:
            _update(map)
        if path_info is None:
            path_info = self.path_info
        path_info = _exact_str(path_info, "path_info")
        method = (method or self.default_method).upper()
        if websocket is None:
            websocket = self.websocket
        domain = self.server_name if map.host_matching or self.subdomain is None else self.subdomain
        # A str subclass matches as its text (werkzeug's matcher slices and
        # compares it, which gives plain strs).
        domain_part = _exact_str(domain, "the domain")
        # Hits skip get_default_redirect only while it is MapAdapter's own
        # and no rule has defaults for another (_default_sources): the
        # compiled _default_redirects, inline.
        plain_hits = not (map._default_sources or _hooks_of(type(self)) & H_DEFAULT_REDIRECT)
        if path_info[:1] == "/" and path_info[1:2] != "/":
            path_part = path_info  # already "/" + path_info.lstrip("/")
        else:
            path_part = f"/{path_info.lstrip('/')}" if path_info else ""
        matcher = map._matcher
        if matcher.__class__ is not Matcher:  # a map's update() makes it with the map's own core
            raise TypeError(f"the map's matcher is a {type(matcher).__name__}, not this core's Matcher")
        status, found, values = matcher._find(domain_part, path_part, method, websocket)
        if status == HIT:
            if plain_hits and found.plain:
                return (found.rule if return_rule else found.rule.endpoint), values
            found = found.rule
        if query_args is None:
            query_args = self.query_args or {}
        if status == HIT:
            rule = found
            if map.redirect_defaults:
                if rule.alias:
                    raise RequestRedirect(
                        self.make_alias_redirect_url(  # type: ignore[attr-defined]
                            f"{domain_part}|{path_part}", rule.endpoint, values, method, query_args
                        )
                    ) from None  # as werkzeug (not the redirects below)
                if id(rule) in map._default_sources or _hooks_of(type(self)) & H_DEFAULT_REDIRECT:
                    url = self.get_default_redirect(rule, method, values, query_args)  # type: ignore[attr-defined]
                    if url is not None:
                        raise RequestRedirect(url)
            if rule.redirect_to is not None:
                self._redirect_to(rule, values)  # type: ignore[attr-defined]
            if return_rule:
                return rule, values
            return rule.endpoint, values
        if status == REDIRECT:
            raise _redirect_error(
                self.make_redirect_url(quote(found, safe=_PATH_SAFE), query_args)  # type: ignore[attr-defined]
            ) from None
        if found or values:
            raise _no_match_error(found, values) from None
        raise NotFound() from None  # _no_match_error's 404 without the call: the common miss

    def build(
        self,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any] | None = None,
        method: str | None = None,
        force_external: bool = False,
        append_unknown: bool = True,
        url_scheme: str | None = None,
    ) -> str:
        """Build the URL of *endpoint* from *values*.

        The URL is relative to the host unless the rule lives on another
        subdomain or host, it is a websocket rule, or *force_external* is
        set.  Values that are not rule variables become the query string
        (unless *append_unknown* is false); ``None`` values are dropped;
        MultiDict values with several items become repeated arguments.
        Raises ``BuildError`` when no rule fits.
        """
        map = self.map
        hooks = _hooks_of(type(self))
        if map._remap or _map_hooks(map) & H_UPDATE:
            _update(map)
        if values:
            if isinstance(values, MultiDict):
                values = {k: (v[0] if len(v) == 1 else v) for k, v in dict.items(values) if len(v) != 0}
            else:
                values = {k: v for k, v in values.items() if v is not None}
        else:
            values = {}
        host_matching = map.host_matching
        if hooks & H_PARTIAL_BUILD:
            found = self._partial_build(endpoint, values, method, append_unknown)  # type: ignore[attr-defined]
        else:
            plans = map._build_index.get(endpoint)
            if plans is None:
                plans = map._plans_for(endpoint)
            found = None
            if plans is not None:
                found = _plans_build(self, plans, values, method, append_unknown, host_matching)
        if found is None:
            raise BuildError(endpoint, values, method, self)
        domain_part, path, websocket = found
        host = self.get_host(domain_part)  # type: ignore[attr-defined]
        if url_scheme is None:
            url_scheme = self.url_scheme
        secure = url_scheme in ("https", "wss")
        if websocket:
            force_external = True
            url_scheme = "wss" if secure else "ws"
        elif url_scheme:
            url_scheme = "https" if secure else "http"
        if not force_external and (
            (map.host_matching and host == self.server_name)
            or (not map.host_matching and domain_part == self.subdomain)
        ):
            return f"{self.script_name.rstrip('/')}/{path.lstrip('/')}"
        scheme = f"{url_scheme}:" if url_scheme else ""
        return f"{scheme}//{host}{self.script_name[:-1]}/{path.lstrip('/')}"


# -- Methods a subclass overrides -------------------------------------------
#
# werkzeug calls the adapter's get_host, get_default_redirect,
# make_redirect_url, _partial_build and match, and the map's update, where it
# needs them, and a subclass may override any of them.  The shortcuts above
# skip such a call only while the class keeps fastroute's own method (and
# then give what it would give).  What a class overrides is worked out once
# per class, against MapAdapter and Map as fastroute.routing.map registers
# them.  (This core calls get_host, make_redirect_url and match always.)


_STANDARD_ADAPTER: t.Any = None
_STANDARD_MAP: t.Any = None
_CLASS_HOOKS: WeakKeyDictionary[type, int] = WeakKeyDictionary()  # classes come and go (tests make many)


def register_standard(adapter_class: type, map_class: type) -> None:
    """Tell the core which classes are fastroute's own ``MapAdapter`` and
    ``Map``: a subclass's overrides of their methods get called."""
    global _STANDARD_ADAPTER, _STANDARD_MAP
    _STANDARD_ADAPTER = adapter_class
    _STANDARD_MAP = map_class
    _CLASS_HOOKS.clear()


def _hooks_of(cls: type) -> int:
    """The H_ flags of the methods *cls* overrides."""
    hooks = _CLASS_HOOKS.get(cls)
    return _class_hooks(cls) if hooks is None else hooks


def _class_hooks(cls: type) -> int:
    if _STANDARD_ADAPTER is None:
        return H_KNOWN | H_STANDARD_UNKNOWN
    hooks = H_KNOWN
    for standard, names in ((_STANDARD_ADAPTER, _ADAPTER_HOOKS), (_STANDARD_MAP, _MAP_HOOKS)):
        for name, flag in names:
            if getattr(cls, name, None) is not getattr(standard, name):
                hooks |= flag
    _CLASS_HOOKS[cls] = hooks
    return hooks


def _map_hooks(map: t.Any) -> int:
    """The H_ flags of *map*'s class, worked out with its first match."""
    hooks: int = map.__dict__.get("_hooks", 0)
    if not hooks:
        hooks = map._hooks = _class_hooks(type(map))
    return hooks


def _update(map: t.Any) -> None:
    """``map.update()``, as werkzeug calls it before each match and build.
    A subclass's update that does not compile the rules (werkzeug's matcher
    takes rules as they are added) still gets them compiled."""
    map.update()
    if map._remap and _STANDARD_MAP is not None:
        _STANDARD_MAP.update(map)


# C only: _default_redirects (whether a hit may redirect to a rule with defaults; inline in AdapterBase.match here)
# C only: _as_str (_exact_str with its common case inline; the pure match calls _exact_str)


def _exact_str(value: t.Any, what: str) -> str:
    """*value* as a plain str: a str subclass matches as its text."""
    if value.__class__ is str:
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        return str.__str__(value)
    raise TypeError(f"{what} must be a str, not {type(value).__name__}")


# C only: _match_entry (the C method shim: match() raises without a traceback entry of its own; here match is a method)
