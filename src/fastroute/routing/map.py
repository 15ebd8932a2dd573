"""The rule map and its adapter (``Map.bind``) for matching and building.

``Map`` and ``MapAdapter`` are written here as the Python half of each
class; :func:`classes_for` puts them over one core's ``MapBase`` and
``AdapterBase`` (whose maps compile that core's ``Matcher``), once per core.
The module exports the pair of the core :mod:`fastroute._cores` picked.
"""

from __future__ import annotations

import types
import typing as t
import warnings
import weakref
from pprint import pformat
from threading import Lock
from urllib.parse import urlencode, urljoin, urlunsplit

from werkzeug.datastructures import ImmutableDict, iter_multi_items
from werkzeug.exceptions import BadHost, HTTPException, MethodNotAllowed
from werkzeug.wsgi import get_host

from .. import _cores, _spec
from .converters import DEFAULT_CONVERTERS, BaseConverter
from .exceptions import RequestRedirect
from .matcher import compile_matcher
from .rules import Rule, RuleFactory, _arguments_of, _methods_of, foreign_parts, is_ours, redirect_target

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment
    from werkzeug.wrappers.request import Request

    from .converters import BaseConverter

__all__ = ["Map", "MapAdapter", "classes_for"]

if t.TYPE_CHECKING:
    # The cores have the same names and signatures (tests/test_core_shape.py):
    # the pure twin's annotations type both.
    from .._match_py import AdapterBase as _AdapterBase, MapBase as _MapBase
else:
    # The halves below are plain classes; classes_for adds the core's base.
    _AdapterBase = _MapBase = object


def _urlencode(query: t.Any) -> str:
    items = [item for item in iter_multi_items(query) if item[1] is not None]
    return urlencode(items, safe="!$'()*,/:;?@")


def _idna_host(host: str) -> str:
    """The host name in IDNA (ASCII) form; ``BadHost`` when it has none.

    ASCII names are checked as the ``idna`` codec checks them (labels of 1
    to 63 characters, the last may be empty) without the codec's cost.
    """
    if host.isascii():
        labels = host.split(".")
        if any(not 0 < len(label) < 64 for label in labels[:-1]) or len(labels[-1]) >= 64:
            raise BadHost()
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as e:
        raise BadHost() from e


# Host names longer than any valid one (253 characters, a port and some
# slack) are worked out each time, not remembered.
_REMEMBERED_HOST_MAX = _spec.REMEMBERED_HOST_LENGTH
_REMEMBERED_MAX = _spec.REMEMBERED_HOSTS_MAX


def _remember(cache: dict[t.Any, t.Any], key: t.Any, value: t.Any) -> None:
    """Store *value*; a cache that outgrows ``_REMEMBERED_MAX`` starts over,
    so a stream of distinct hosts cannot grow it without bound."""
    if len(cache) >= _REMEMBERED_MAX:
        cache.clear()
    cache[key] = value


def _wsgi_str(value: str | None) -> str | None:
    """WSGI strings are latin-1 code points standing for bytes; decode as UTF-8
    (to a plain str, as werkzeug's decoding gives, also from a str subclass)."""
    if value is None or (value.__class__ is str and value.isascii()):
        # ASCII is the same in latin-1 and UTF-8: nothing to decode.
        return value
    try:
        raw = value.encode("latin1")
    except UnicodeEncodeError:
        # Not a valid WSGI string; it already holds real characters.
        return value
    return raw.decode(errors="replace")


class Map(_MapBase):
    """All URL rules of an application and the options shared by them.

    :param rules: rules and rule factories to add.
    :param default_subdomain: subdomain of rules that do not name one.
    :param strict_slashes: redirect a branch URL reached without its
        trailing slash to the URL with the slash.
    :param merge_slashes: treat runs of slashes as one when matching (with a
        redirect to the merged URL) and building.
    :param redirect_defaults: redirect to the rule that provides the matched
        values as defaults, so each resource has one URL.
    :param converters: extra converters by name (override the built-ins).
    :param sort_parameters: sort query arguments when building.
    :param sort_key: key function for that sort.
    :param host_matching: match rules' ``host`` against the whole host
        instead of ``subdomain`` against the subdomain.
    """

    default_converters = ImmutableDict(DEFAULT_CONVERTERS)
    lock_class = Lock
    # Set by classes_for: the core under this class, and its adapter class.
    _core: t.ClassVar[types.ModuleType]
    _adapter_class: t.ClassVar[type[MapAdapter]]

    def __init__(
        self,
        rules: t.Iterable[RuleFactory] | None = None,
        default_subdomain: str = "",
        strict_slashes: bool = True,
        merge_slashes: bool = True,
        redirect_defaults: bool = True,
        converters: t.Mapping[str, type[BaseConverter]] | None = None,
        sort_parameters: bool = False,
        sort_key: t.Callable[[t.Any], t.Any] | None = None,
        host_matching: bool = False,
    ) -> None:
        # The lock first: copy.deepcopy and pickle fail on it, as on
        # werkzeug's map (the first attribute they cannot take decides the
        # exception: TypeError, or PicklingError for pickle protocols 0-1).
        self._remap_lock = self.lock_class()
        self._matchable: list[Rule] = []
        # The parsed parts and converters of rules of another class
        # (werkzeug's Rule), by id, worked out when they are added.
        self._foreign_parts: dict[int, tuple[t.Any, ...]] = {}
        self._rules_by_endpoint: dict[t.Any, tuple[Rule, ...]] = {}
        self._remap = True
        # This map and its shallow copies (copy.copy), which share its rules
        # as werkzeug's share their matcher: a rule added to one, or a
        # merge_slashes set on one, is matched by all (see _changed).
        self._sharing: list[weakref.ref[Map]] = [weakref.ref(self)]
        self._matcher: t.Any = None
        self._default_sources: dict[int, list[Rule]] = {}
        self._build_index: dict[t.Any, t.Any] = {}
        # Equal variable slots of the build plans, shared (see _plans_for).
        self._build_slots: dict[t.Any, t.Any] = {}
        self._merge_slashes = merge_slashes
        # Built-in converters the rules share (Rule._converter_piece).
        self._shared_pieces: dict[t.Any, t.Any] = {}
        # bind() and bind_to_environ() run once per request in Flask: what
        # they work out from a host name is remembered (see _remember).
        self._bound_hosts: dict[str, str] = {}
        self._environ_hosts: dict[tuple[t.Any, ...], tuple[str, str | None]] = {}
        self.default_subdomain = default_subdomain
        self.strict_slashes = strict_slashes
        self.redirect_defaults = redirect_defaults
        self.host_matching = host_matching
        self.converters = self.default_converters.copy()
        if converters:
            self.converters.update(converters)
        self.sort_parameters = sort_parameters
        self.sort_key = sort_key
        for factory in rules or ():
            self.add(factory)

    @property
    def merge_slashes(self) -> bool:
        """Whether matching retries with runs of slashes merged."""
        return self._merge_slashes

    @merge_slashes.setter
    def merge_slashes(self, value: bool) -> None:
        for other in self._sharers():
            other._merge_slashes = value
            other._remap = True

    def _sharers(self) -> list[Map]:
        """This map and its live shallow copies (and their originals)."""
        return [m for m in (ref() for ref in self._sharing) if m is not None]

    def __setstate__(self, state: t.Any) -> None:
        # A shallow copy (or an unpickled map) shares the rules of the map
        # it was made from.
        super().__setstate__(state)
        self._sharing[:] = [ref for ref in self._sharing if ref() is not None]
        self._sharing.append(weakref.ref(self))

    def is_endpoint_expecting(self, endpoint: t.Any, *arguments: str) -> bool:
        """Whether some rule of *endpoint* has all of *arguments*."""
        self.update()
        wanted = set(arguments)
        return any(wanted.issubset(_arguments_of(rule)) for rule in self._rules_by_endpoint[endpoint])

    @property
    def _rules(self) -> list[Rule]:
        # A snapshot of the values: add() may insert an endpoint meanwhile.
        return [rule for rules in list(self._rules_by_endpoint.values()) for rule in rules]

    def iter_rules(self, endpoint: t.Any | None = None) -> t.Iterator[Rule]:
        """Iterate over all rules, or over the rules of *endpoint*."""
        self.update()
        if endpoint is not None:
            return iter(self._rules_by_endpoint[endpoint])
        return iter(self._rules)

    def add(self, rulefactory: RuleFactory) -> None:
        """Bind and add a rule, or every rule of a factory."""
        for rule in rulefactory.get_rules(self):
            rule.bind(self)
            # A werkzeug Rule was just compiled by its own bind: its parts,
            # as the cores take them, are worked out now, from the same
            # domain (subdomain or host) and converters.
            foreign = None if is_ours(rule) or rule.build_only else foreign_parts(rule)
            with self._remap_lock:
                if foreign is not None:
                    self._foreign_parts[id(rule)] = foreign
                if not rule.build_only:
                    self._matchable.append(rule)
                # Copy on write: a concurrent build or match may be iterating
                # the endpoint's current rules.  Tuples: smaller than lists,
                # and most endpoints have a single rule.
                rules = self._rules_by_endpoint.get(rule.endpoint)
                self._rules_by_endpoint[rule.endpoint] = (rule,) if rules is None else (*rules, rule)
                self._remap = True
                if len(self._sharing) > 1:  # shallow copies match it too
                    for other in self._sharers():
                        other._remap = True

    def bind(
        self,
        server_name: str,
        script_name: str | None = None,
        subdomain: str | None = None,
        url_scheme: str = "http",
        default_method: str = "GET",
        path_info: str | None = None,
        query_args: t.Mapping[str, t.Any] | str | None = None,
    ) -> MapAdapter:
        """An adapter for matching and building on *server_name*.

        Raises ``BadHost`` when *server_name* is not a valid host name.
        """
        server_name = server_name.lower()
        if self.host_matching:
            if subdomain is not None:
                raise RuntimeError("host matching enabled and a subdomain was provided")
        elif subdomain is None:
            subdomain = self.default_subdomain
        if script_name is None:
            script_name = "/"
        if path_info is None:
            path_info = "/"
        name = self._bound_hosts.get(server_name)
        if name is None:
            host, sep, port = server_name.partition(":")
            name = f"{_idna_host(host)}{sep}{port}"
            if len(server_name) <= _REMEMBERED_HOST_MAX:
                _remember(self._bound_hosts, server_name, name)
        return self._adapter_class(
            self,
            name,
            script_name,
            subdomain,
            url_scheme,
            path_info,
            default_method,
            query_args,
        )

    def bind_to_environ(
        self,
        environ: WSGIEnvironment | Request,
        server_name: str | None = None,
        subdomain: str | None = None,
    ) -> MapAdapter:
        """Like :meth:`bind`, with host, scheme, method and paths from a WSGI
        environ (or a request object with an ``environ``).

        Without *subdomain* it is worked out from the request's host and
        *server_name*; a host that does not end in *server_name* gets a
        warning and the subdomain ``<invalid>`` (so nothing matches).
        """
        # A Request is not a WSGIEnvironment: its .environ is.
        env: WSGIEnvironment = (
            environ if environ.__class__ is dict else getattr(environ, "environ", environ)  # type: ignore[arg-type]
        )
        scheme = env["wsgi.url_scheme"]
        connection = env.get("HTTP_CONNECTION", "")
        # (werkzeug lowers any value there: None or an int raises as with it.)
        if connection.__class__ is not str or connection:
            connection = connection.lower()
            if (
                "upgrade" in connection
                and env.get("HTTP_UPGRADE", "").lower() == "websocket"
                # Only spaces and tabs surround a token (werkzeug >= 3.1.9): a
                # token padded with other whitespace is not "upgrade".
                and any(token.strip(" \t") == "upgrade" for token in connection.split(","))
            ):
                scheme = "wss" if scheme == "https" else "ws"
        # With a Host header, the server name and subdomain depend only on
        # it, the scheme (ws/wss strip ports as http/https do), the
        # arguments and host_matching.
        host_header = env.get("HTTP_HOST")
        key = None
        known = None
        if host_header.__class__ is str and len(host_header) <= _REMEMBERED_HOST_MAX:
            key = (host_header, scheme, server_name, subdomain, self.host_matching)
            known = self._environ_hosts.get(key)
        if known is None:
            server_name, subdomain, warned = self._names_from_environ(env, scheme, server_name, subdomain)
            if key is not None and not warned:  # a mismatch warns on every request
                _remember(self._environ_hosts, key, (server_name, subdomain))
        else:
            server_name, subdomain = known
        return _MapHalf.bind(
            self,
            server_name,
            _wsgi_str(env.get("SCRIPT_NAME")),
            subdomain,
            scheme,
            env["REQUEST_METHOD"],
            _wsgi_str(env.get("PATH_INFO")),
            query_args=_wsgi_str(env.get("QUERY_STRING")),
        )

    def _names_from_environ(
        self, env: WSGIEnvironment, scheme: str, server_name: str | None, subdomain: str | None
    ) -> tuple[str, str | None, bool]:
        """``(server_name, subdomain, warned)`` for :meth:`bind_to_environ`."""
        wsgi_host = get_host(env).lower()
        if server_name is None:
            server_name = wsgi_host
        else:
            server_name = server_name.lower()
            if scheme in ("http", "ws") and server_name.endswith(":80"):
                server_name = server_name[:-3]
            elif scheme in ("https", "wss") and server_name.endswith(":443"):
                server_name = server_name[:-4]
        if subdomain is None and not self.host_matching:
            current = wsgi_host.split(".")
            configured = server_name.split(".")
            offset = -len(configured)
            if current[offset:] != configured:
                warnings.warn(
                    f"Current server name {wsgi_host!r} doesn't match configured server name {server_name!r}",
                    stacklevel=3,  # bind_to_environ's caller
                )
                return server_name, "<invalid>", True
            subdomain = ".".join(filter(None, current[:offset]))
        return server_name, subdomain, False

    def update(self) -> None:
        """Compile the matcher and order the build rules after changes.

        Called lazily by matching and building; thread-safe.  The new matcher
        replaces the old one in a single assignment, so concurrent matches
        see either the old or the new rules, never a half-built tree.
        """
        if not self._remap:
            return
        with self._remap_lock:
            if not self._remap:
                return  # type: ignore[unreachable]  # another thread compiled it meanwhile
            matcher = compile_matcher(self._core, self._merge_slashes, self._matchable, self._foreign_parts)
            sources: dict[int, list[Rule]] = {}
            for endpoint, rules in list(self._rules_by_endpoint.items()):
                if len(rules) < 2:
                    continue  # nothing to order, no other rule to give defaults
                # A new sorted tuple, not an in-place sort: readers iterating
                # the old one keep a consistent view.
                rules = tuple(sorted(rules, key=_build_key))
                self._rules_by_endpoint[endpoint] = rules
                for i, rule in enumerate(rules):
                    # An overridden provides_defaults_for is left to the
                    # match (get_default_redirect), where werkzeug calls it.
                    found = [r for r in rules[:i] if _own_defaults_check(r) or r.provides_defaults_for(rule)]
                    if found:
                        sources[id(rule)] = found
            self._default_sources = sources
            # Build plans are made per endpoint when it is first built
            # (_plans_for): most endpoints of a large map never are.
            self._build_index = {}
            self._build_slots = {}
            self._matcher = matcher
            self._remap = False

    def _plans_for(self, endpoint: t.Any) -> t.Any:
        """The cores' build plans of *endpoint* (made and kept on its first
        build), or None when no rule has that endpoint.

        Unknown endpoints are not remembered: they come from callers, and
        would grow the index without bound.  Two threads may make the same
        plans at once; either result is kept.
        """
        index = self._build_index  # update() replaces, never clears, it
        rules = self._rules_by_endpoint.get(endpoint)
        if not rules:
            return None
        plans = self._core.build_plans([_build_entry(rule) for rule in rules], self._build_slots)
        index[endpoint] = plans
        return plans

    def __repr__(self) -> str:
        return f"{type(self).__name__}({pformat(list(self.iter_rules()))})"


class MapAdapter(_AdapterBase):
    """A :class:`Map` bound to one server name, script root, subdomain and
    scheme: matches paths to rules and builds URLs.

    ``__init__`` and :meth:`match` come from the matcher core's
    ``AdapterBase`` (compiled when available); the rest is here.
    """

    map: Map

    def dispatch(
        self,
        view_func: t.Callable[[t.Any, t.Mapping[str, t.Any]], WSGIApplication],
        path_info: str | None = None,
        method: str | None = None,
        catch_http_exceptions: bool = False,
    ) -> WSGIApplication:
        """Match, then call ``view_func(endpoint, values)`` and return its result.

        A redirect is returned (it is a WSGI application); other HTTP errors
        are raised, or returned when *catch_http_exceptions* is true.
        """
        try:
            try:
                endpoint, args = self.match(path_info, method)
            except RequestRedirect as e:
                return e
            return view_func(endpoint, args)
        except HTTPException as e:
            if catch_http_exceptions:
                return e
            raise

    def _redirect_to(self, rule: Rule, values: t.Mapping[str, t.Any]) -> t.NoReturn:
        if isinstance(rule.redirect_to, str):
            target = redirect_target(rule, values)
        else:
            target = rule.redirect_to(self, **values)  # type: ignore[misc]
        netloc = f"{self.subdomain}.{self.server_name}" if self.subdomain else self.server_name
        raise RequestRedirect(urljoin(f"{self.url_scheme or 'http'}://{netloc}{self.script_name}", target))

    def test(self, path_info: str | None = None, method: str | None = None) -> bool:
        """Whether the path matches (a redirect counts as a match)."""
        try:
            self.match(path_info, method)
        except RequestRedirect:
            pass
        except HTTPException:
            return False
        return True

    def allowed_methods(self, path_info: str | None = None) -> t.Iterable[str]:
        """The methods the path accepts (empty when any or none)."""
        try:
            self.match(path_info, method="--")
        except MethodNotAllowed as e:
            return e.valid_methods  # type: ignore[return-value]
        except HTTPException:
            pass
        return []

    def get_host(self, domain_part: str | None) -> str:
        """The full host for a domain part (a subdomain, or with host
        matching a host); ``None`` means the bound one."""
        if self.map.host_matching:
            return self.server_name if domain_part is None else domain_part
        subdomain = self.subdomain if domain_part is None else domain_part
        return f"{subdomain}.{self.server_name}" if subdomain else self.server_name

    def get_default_redirect(
        self,
        rule: Rule,
        method: str,
        values: t.MutableMapping[str, t.Any],
        query_args: t.Mapping[str, t.Any] | str,
    ) -> str | None:
        """The URL of an earlier rule of the endpoint whose defaults cover
        *values*, when ``redirect_defaults`` asks for one."""
        assert self.map.redirect_defaults
        for other in self.map._rules_by_endpoint[rule.endpoint]:
            if other is rule:
                break
            if other.provides_defaults_for(rule) and other.suitable_for(values, method):
                values.update(other.defaults)  # type: ignore[arg-type]
                domain_part, path = other.build(values)  # type: ignore[misc]
                return self.make_redirect_url(path, query_args, domain_part=domain_part)
        return None

    def encode_query_args(self, query_args: t.Mapping[str, t.Any] | str) -> str:
        if not isinstance(query_args, str):
            return _urlencode(query_args)
        return query_args

    def make_redirect_url(
        self,
        path_info: str,
        query_args: t.Mapping[str, t.Any] | str | None = None,
        domain_part: str | None = None,
    ) -> str:
        """The absolute URL of *path_info* on this adapter's host."""
        if query_args is None:
            query_args = self.query_args
        query = self.encode_query_args(query_args) if query_args else None
        path = "/".join((self.script_name.strip("/"), path_info.lstrip("/")))
        return urlunsplit((self.url_scheme or "http", self.get_host(domain_part), path, query, None))

    def make_alias_redirect_url(
        self,
        path: str,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any],
        method: str,
        query_args: t.Mapping[str, t.Any] | str,
    ) -> str:
        """The canonical URL an alias rule redirects to."""
        url = self.build(endpoint, values, method, append_unknown=False, force_external=True)
        if query_args:
            url += f"?{self.encode_query_args(query_args)}"
        assert url != path, "detected invalid alias setting. No canonical URL found"
        return url

    def _partial_build(
        self,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any],
        method: str | None,
        append_unknown: bool,
    ) -> tuple[str, str, bool] | None:
        """``(domain_part, path, websocket)`` of the first rule of *endpoint*
        that can be built from *values* (preferring *method*, then the
        adapter's default method; with host matching, the bound host)."""
        if method is None:
            # As werkzeug: through self, so an override sees the retry.
            found = self._partial_build(endpoint, values, self.default_method, append_unknown)
            if found is not None:
                return found
        map = self.map
        plans = None if map._remap else map._build_index.get(endpoint)
        if plans is None:
            plans = map._plans_for(endpoint)  # the rules as they are now, as werkzeug reads them
            if plans is None:
                return None
        if type(values) is not dict:
            values = dict(values)
        return t.cast(
            "tuple[str, str, bool] | None", map._core.select_plan(self, plans, values, method, append_unknown)
        )


def _own_defaults_check(rule: Rule) -> bool:
    """Whether *rule*'s class has a ``provides_defaults_for`` of its own."""
    return type(rule).provides_defaults_for is not Rule.provides_defaults_for


def _build_key(rule: Rule) -> t.Any:
    # Through the instance: subclasses may override build_compare_key.
    return rule.build_compare_key()


def _build_entry(rule: Rule) -> _spec.BuildEntry:
    """What a core needs to build URLs for *rule*, as plain data.

    A rule of another class (werkzeug's ``Rule``) builds through its own
    ``suitable_for`` and ``build``: its plan has no chunks."""
    if not is_ours(rule):
        return _spec.BuildEntry(
            rule,
            False,
            rule.methods,
            rule.websocket,
            rule.arguments,
            rule.defaults,
            {},
            (),
            (),
            frozenset(),
            (),
        )
    cls = type(rule)
    plain = (
        cls.suitable_for is Rule.suitable_for
        and cls.build is Rule.build
        and cls._encode_query_vars is Rule._encode_query_vars
    )
    return _spec.BuildEntry(
        rule,
        plain,
        _methods_of(rule),
        rule.websocket,
        _arguments_of(rule),
        rule.defaults,
        rule._converters,
        *rule._ensure_build_plan(),
    )


# -- one pair of classes per core -------------------------------------------------

#: The Python halves, whatever ``Map`` and ``MapAdapter`` are bound to below.
_MapHalf, _AdapterHalf = Map, MapAdapter


class RoutingClasses(t.NamedTuple):
    """The ``Map`` and ``MapAdapter`` of one core."""

    Map: type[Map]
    MapAdapter: type[MapAdapter]


_CLASSES: dict[types.ModuleType, RoutingClasses] = {}


def classes_for(core: types.ModuleType) -> RoutingClasses:
    """``Map`` and ``MapAdapter`` over *core*'s ``MapBase`` and ``AdapterBase``
    (made on the first call for *core*, then the same classes)."""
    found = _CLASSES.get(core)
    if found is not None:
        return found

    def made(half: type, base: type, extra: dict[str, t.Any]) -> t.Any:
        # Named, placed and documented as the half: pickle finds the class
        # of the selected core as fastroute.routing.map.<name>.
        names = {"__module__": __name__, "__qualname__": half.__qualname__, "__doc__": half.__doc__}
        return type(half.__name__, (half, base), {**names, **extra})

    adapter_class = made(_AdapterHalf, core.AdapterBase, {})
    map_class = made(_MapHalf, core.MapBase, {"_core": core, "_adapter_class": adapter_class})
    # The core's shortcuts skip a method only while a subclass keeps these
    # classes' own (see "Methods a subclass overrides" in the cores).
    core.register_standard(adapter_class, map_class)
    found = _CLASSES[core] = RoutingClasses(map_class, adapter_class)
    return found


if not t.TYPE_CHECKING:  # to a type checker they are the halves, on the cores' stub
    Map, MapAdapter = classes_for(_cores.match_core)
