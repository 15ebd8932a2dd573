"""Pure-Python matcher core (the twin of the compiled ``_match``).

The routing layer hands this module plain data: for every matchable rule its
parts (static text, or a regex plus a description of its converter slots), the
rule object as an opaque payload, and the rule's options.  :meth:`Matcher.finish`
freezes them into a tree; :meth:`Matcher.match` walks it.

The walk reproduces werkzeug 3.1's state machine result for result: per
segment, the static child first, then the dynamic children in weight order,
with backtracking; the leaf checks methods and websocket; a branch rule reached
without its trailing slash asks for a redirect; ``merge_slashes`` retries with
``//`` collapsed.  It differs only in how it gets there: the tree is built
once, each dynamic child owns a compiled pattern (or a regex-free check for the
common built-in converters), fully static paths are one dict lookup, and the
walk signals its outcome with return values, not exceptions.
"""

from __future__ import annotations

import re
import typing as t
from _sre import MAXREPEAT
from urllib.parse import quote

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing.converters import ValidationError
from werkzeug.routing.exceptions import BuildError, RequestRedirect, WebsocketMismatch

__all__ = ["HIT", "NOMATCH", "REDIRECT", "AdapterBase", "MapBase", "Matcher", "build_index"]

# Status codes of Matcher.match().  The adapter turns them into werkzeug's
# exceptions: HIT -> (rule, values); REDIRECT -> RequestRedirect to the path;
# NOMATCH -> MethodNotAllowed / WebsocketMismatch / NotFound.
HIT = 0
REDIRECT = 1
NOMATCH = 2

# Converter kind codes (see fastroute.routing.converters).
_STRING = 1
_INT = 2
_PATH = 6

# Edge check modes: how one dynamic child tests its segment.
_BY_REGEX = 0
_BY_LENGTH = 1  # a lone string converter: only the length matters
_BY_DIGITS = 2  # a lone unsigned int converter: str.isdecimal() == r"\d+"

_MERGE = re.compile("/{2,}")
_TRAILING_SLASH = [""]  # the parts left after a slash-suffixed final part


class _Leaf:
    """A rule as the matcher sees it."""

    __slots__ = (
        "converters",
        "defaults",
        "merge_slashes",
        "methods",
        "names",
        "plain",
        "rule",
        "strict_slashes",
        "websocket",
    )

    def __init__(
        self,
        rule: t.Any,
        names: tuple[str, ...],
        converters: tuple[t.Any, ...],
        methods: t.AbstractSet[str] | None,
        websocket: bool,
        strict_slashes: bool,
        merge_slashes: bool,
        defaults: t.Mapping[str, t.Any] | None,
    ) -> None:
        self.rule = rule
        self.names = names
        # None marks a converter whose to_python is the identity.
        self.converters = converters
        self.methods = methods
        self.websocket = websocket
        self.strict_slashes = strict_slashes
        self.merge_slashes = merge_slashes
        self.defaults = dict(defaults) if defaults else None
        # A hit on a plain rule needs no alias or redirect_to handling.
        self.plain = not getattr(rule, "alias", False) and getattr(rule, "redirect_to", None) is None


class _Node:
    __slots__ = ("dynamic", "leaves", "paths", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.dynamic: list[_Edge] = []
        self.leaves: list[_Leaf] = []
        # On the root's static children only: whole static path -> node.
        self.paths: dict[str, _Node] = {}


class _Edge:
    """A dynamic transition: a pattern for one segment (or the rest)."""

    __slots__ = ("final", "groups", "hi", "key", "lo", "mode", "node", "pattern", "suffixed", "weight")

    def __init__(self, part: t.Any, at_root: bool) -> None:
        self.key = (part.content, part.final, part.suffixed, part.weight)
        self.weight = part.weight
        self.node = _Node()
        self.final = part.final
        self.suffixed = part.suffixed
        n = sum(1 for p in part.pieces if p.__class__ is not str)
        # Values in the order of the converters (werkzeug >= 3.1.9).
        self.groups = tuple(f"v{i}" for i in range(n))
        self.mode = _BY_REGEX
        self.lo = 0
        self.hi: int | None = None
        # Path segments never hold "/", the domain may: at the root only the
        # regex is exact.
        if not part.final and not at_root and len(part.pieces) == 1:
            kind, args, _ = part.pieces[0]
            if kind == _STRING and plain_length_bounds(*args):
                self.mode = _BY_LENGTH
                self.lo, self.hi = args
            elif kind == _INT and not args[3]:
                self.mode = _BY_DIGITS
        self.pattern: t.Any = None
        if self.mode == _BY_REGEX:
            self.pattern = _compile(part.content)


def plain_length_bounds(lo: int, hi: int | None) -> bool:
    """Whether ``[^/]{lo,hi}`` compiles to "between lo and hi characters".

    Otherwise the regex is what werkzeug uses, with its quirks: bounds past
    sre's MAXREPEAT raise OverflowError and ``lo > hi`` raises re.error when
    the part is tried, and a negative bound is not a repeat at all.
    """
    if not 0 <= lo < MAXREPEAT:
        return False
    return hi is None or lo <= hi < MAXREPEAT


def _compile(content: str) -> t.Any:
    """The part's anchored pattern.  werkzeug compiles a part's regex only
    when a match tries that part: an invalid converter regex fails those
    matches, not the whole map (building and other paths still work)."""
    try:
        return re.compile(content + r"\Z")
    except (re.error, OverflowError) as e:  # OverflowError: "{N}" too large
        return _InvalidPattern(e)


class _InvalidPattern:
    """Stands for a regex that does not compile: raises when it is tried."""

    __slots__ = ("error",)

    def __init__(self, error: re.error) -> None:
        self.error = error

    def match(self, text: str) -> t.NoReturn:
        raise self.error


def _collect_paths(node: _Node, prefix: str, paths: dict[str, _Node], top: bool) -> None:
    if node.leaves:
        paths[prefix] = node
    for text, child in node.static.items():
        _collect_paths(child, text if top else f"{prefix}/{text}", paths, False)


class Matcher:
    """All matchable rules of one map, frozen into a tree."""

    __slots__ = ("_edges", "_root", "merge_slashes")

    def __init__(self, merge_slashes: bool) -> None:
        self.merge_slashes = merge_slashes
        self._root = _Node()
        # Dynamic edges of each node, by key, while rules are being added.
        self._edges: dict[int, dict[t.Any, _Edge]] | None = {}

    def add(
        self,
        parts: t.Sequence[t.Any],
        rule: t.Any,
        names: tuple[str, ...],
        converters: tuple[t.Any, ...],
        methods: t.AbstractSet[str] | None,
        websocket: bool,
        strict_slashes: bool,
        merge_slashes: bool,
        defaults: t.Mapping[str, t.Any] | None,
    ) -> None:
        """Add one rule; equal dynamic parts share a node, as in werkzeug.

        A finished matcher is frozen (the compiled core shares its empty
        containers): build a new one instead of adding to it."""
        if self._edges is None:
            raise RuntimeError("this matcher is finished; build a new one")
        node = self._root
        for part in parts:
            if part.static:
                child = node.static.get(part.content)
                if child is None:
                    child = node.static[part.content] = _Node()
                node = child
                continue
            edges = self._edges.setdefault(id(node), {})
            key = (part.content, part.final, part.suffixed, part.weight)
            edge = edges.get(key)
            if edge is None:
                edge = edges[key] = _Edge(part, node is self._root)
                node.dynamic.append(edge)
            node = edge.node
        node.leaves.append(
            _Leaf(rule, names, converters, methods, websocket, strict_slashes, merge_slashes, defaults)
        )

    def finish(self) -> None:
        """Sort dynamic children by weight and index the fully static paths."""
        self._edges = None
        stack = [self._root]
        while stack:
            node = stack.pop()
            node.dynamic.sort(key=_edge_weight)
            stack.extend(node.static.values())
            stack.extend(edge.node for edge in node.dynamic)
        for domain_node in self._root.static.values():
            _collect_paths(domain_node, "", domain_node.paths, True)

    def match(self, domain: str, path: str, method: str, websocket: bool) -> tuple[int, t.Any, t.Any]:
        """Match ``domain`` + ``path`` (``"/..."`` or ``""``).

        Returns ``(HIT, rule, values)``, ``(REDIRECT, new_path, None)`` or
        ``(NOMATCH, methods_or_None, websocket_mismatch)``.
        """
        found = self._find(domain, path, method, websocket)
        if found[0] == HIT:
            return HIT, found[1].rule, found[2]
        return found

    def _find(self, domain: str, path: str, method: str, websocket: bool) -> tuple[int, t.Any, t.Any]:
        """:meth:`match`, with the hit's leaf instead of its rule."""
        # Fast path: the all-static route is the first leaf werkzeug's walk
        # reaches, so a suitable rule there is the answer.
        domain_node = self._root.static.get(domain)
        if domain_node is not None:
            node = domain_node.paths.get(path)
            if node is not None:
                for leaf in node.leaves:
                    if leaf.websocket == websocket and (leaf.methods is None or method in leaf.methods):
                        return HIT, leaf, dict(leaf.defaults) if leaf.defaults else {}
        ctx = [method, websocket, None, False]
        parts = [domain, *path.split("/")]
        found = _walk(self._root, parts, 0, len(parts), [], ctx)
        if found is _SLASH:
            return REDIRECT, f"{path}/", None
        if found is None and self.merge_slashes:
            if "//" not in path:
                return NOMATCH, ctx[2], ctx[3]
            path = _MERGE.sub("/", path)
            parts = [domain, *path.split("/")]
            found = _walk(self._root, parts, 0, len(parts), [], ctx)
            if found is _SLASH:
                return REDIRECT, f"{path}/", None
            if found is None or not found[0].merge_slashes:
                return NOMATCH, ctx[2], ctx[3]
            return REDIRECT, path, None
        if found is None:
            return NOMATCH, ctx[2], ctx[3]
        leaf, values = found
        result = {}
        try:
            for name, conv, value in zip(leaf.names, leaf.converters, values, strict=False):
                result[name] = value if conv is None else conv.to_python(value)
        except ValidationError:
            return NOMATCH, ctx[2], ctx[3]
        if leaf.defaults:
            result.update(leaf.defaults)
        return HIT, leaf, result


def _edge_weight(edge: _Edge) -> t.Any:
    return edge.weight


_SLASH: t.Any = object()  # walk result: the rule needs a trailing slash


def _accept(leaf: _Leaf, ctx: list[t.Any]) -> bool:
    """The leaf check: record method and websocket mismatches on the way."""
    if leaf.methods is not None and ctx[0] not in leaf.methods:
        if ctx[2] is None:
            ctx[2] = set()
        ctx[2].update(leaf.methods)
        return False
    if leaf.websocket != ctx[1]:
        ctx[3] = True
        return False
    return True


def _walk(node: _Node, parts: list[str], i: int, n: int, values: list[str], ctx: list[t.Any]) -> t.Any:
    """Depth-first search from *node* for ``parts[i:]``; see the module doc.

    While a level offers one way down (only static children, or a lone
    regex-free edge) and no trailing-slash fallback can apply, descend in a
    loop; branch points go to :func:`_branch`.  On failure the values this
    call added are removed, so callers can backtrack.
    """
    start = len(values)
    while i < n:
        part = parts[i]
        if i == n - 1 and part == "":
            break  # the trailing-slash fallback may apply
        dynamic = node.dynamic
        if not dynamic:
            child = node.static.get(part)
            if child is None:
                del values[start:]
                return None
            node = child
        elif len(dynamic) == 1 and not node.static:
            edge = dynamic[0]
            mode = edge.mode
            if mode == _BY_LENGTH:
                size = len(part)
                if size < edge.lo or (edge.hi is not None and size > edge.hi):
                    del values[start:]
                    return None
            elif mode == _BY_DIGITS:
                if not part.isdecimal():
                    del values[start:]
                    return None
            else:
                break
            values.append(part)
            node = edge.node
        else:
            break
        i += 1
    found = _branch(node, parts, i, n, values, ctx)
    if found is None:
        del values[start:]
    return found


def _branch(node: _Node, parts: list[str], i: int, n: int, values: list[str], ctx: list[t.Any]) -> t.Any:
    """One level of the search with every alternative werkzeug tries."""
    if i == n:
        for leaf in node.leaves:
            if _accept(leaf, ctx):
                return leaf, values
        slash_node = node.static.get("")
        if slash_node is not None:
            method, websocket = ctx[0], ctx[1]
            for leaf in slash_node.leaves:
                if leaf.websocket == websocket and (leaf.methods is None or method in leaf.methods):
                    return _SLASH if leaf.strict_slashes else (leaf, values)
        return None
    part = parts[i]
    child = node.static.get(part)
    if child is not None:
        found = _walk(child, parts, i + 1, n, values, ctx)
        if found is not None:
            return found
    for edge in node.dynamic:
        mode = edge.mode
        if mode == _BY_LENGTH:
            size = len(part)
            if size < edge.lo or (edge.hi is not None and size > edge.hi):
                continue
            values.append(part)
            found = _walk(edge.node, parts, i + 1, n, values, ctx)
        elif mode == _BY_DIGITS:
            if not part.isdecimal():
                continue
            values.append(part)
            found = _walk(edge.node, parts, i + 1, n, values, ctx)
        else:
            hit = edge.pattern.match("/".join(parts[i:])) if edge.final else edge.pattern.match(part)
            if hit is None:
                continue
            size = len(values)
            groups = edge.groups
            if len(groups) == 1:
                values.append(hit.group(groups[0]))
            else:
                values.extend(hit.group(*groups))
            if edge.final:
                if edge.suffixed and hit.group("sfx") == "/":
                    found = _walk(edge.node, _TRAILING_SLASH, 0, 1, values, ctx)
                else:
                    found = _walk(edge.node, parts, n, n, values, ctx)
            else:
                found = _walk(edge.node, parts, i + 1, n, values, ctx)
            if found is not None:
                return found
            del values[size:]
            continue
        if found is not None:
            return found
        values.pop()
    if i == n - 1 and part == "":
        for leaf in node.leaves:
            if not leaf.strict_slashes and _accept(leaf, ctx):
                return leaf, values
    return None


_PATH_SAFE = "!$&'()*+,/:;=@"


class MapBase:
    """Base of ``Map``: the state ``AdapterBase.match`` reads.

    ``_matcher`` (a core ``Matcher``), ``_remap``, ``host_matching``,
    ``redirect_defaults`` and ``_default_sources`` (rule id -> rules whose
    defaults may redirect it) are plain attributes here; the compiled twin
    keeps them in C fields.
    """

    __slots__ = ("__dict__",)


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
        if map._remap:
            map.update()
        if path_info is None:
            path_info = self.path_info
        elif path_info.__class__ is not str:
            if not isinstance(path_info, str):
                raise TypeError(f"path_info must be a str, not {type(path_info).__name__}")
            path_info = str(path_info)
        method = (method or self.default_method).upper()
        if websocket is None:
            websocket = self.websocket
        domain_part = self.server_name if map.host_matching or self.subdomain is None else self.subdomain
        if path_info[:1] == "/" and path_info[1:2] != "/":
            path_part = path_info  # already "/" + path_info.lstrip("/")
        else:
            path_part = f"/{path_info.lstrip('/')}" if path_info else ""
        matcher = map._matcher
        if matcher.__class__ is Matcher:
            status, found, values = matcher._find(domain_part, path_part, method, websocket)
            if status == HIT:
                if found.plain and not map._default_sources:
                    return (found.rule if return_rule else found.rule.endpoint), values
                found = found.rule
        else:
            status, found, values = matcher.match(domain_part, path_part, method, websocket)
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
                    )
                if id(rule) in map._default_sources:
                    url = self.get_default_redirect(rule, method, values, query_args)  # type: ignore[attr-defined]
                    if url is not None:
                        raise RequestRedirect(url)
            if rule.redirect_to is not None:
                self._redirect_to(rule, values)  # type: ignore[attr-defined]
            if return_rule:
                return rule, values
            return rule.endpoint, values
        if status == REDIRECT:
            raise RequestRedirect(
                self.make_redirect_url(quote(found, safe=_PATH_SAFE), query_args)  # type: ignore[attr-defined]
            )
        if found:
            raise MethodNotAllowed(valid_methods=list(found))
        if values:
            raise WebsocketMismatch()
        raise NotFound()

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
        if map._remap:
            map.update()
        if values:
            if isinstance(values, MultiDict):
                values = {k: (v[0] if len(v) == 1 else v) for k, v in dict.items(values) if len(v) != 0}
            else:
                values = {k: v for k, v in values.items() if v is not None}
        else:
            values = {}
        host_matching = map.host_matching
        plans = map._build_index.get(endpoint)
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


def build_index(entries: dict[t.Any, list[tuple[t.Any, ...]]]) -> dict[t.Any, t.Any]:
    """Build plans per endpoint for ``AdapterBase.build``.

    *entries* maps an endpoint to ``(rule, plain, methods, websocket,
    arguments, defaults, converters, domain_chunks, path_chunks, params,
    required)`` per rule, in build order.  A chunk is literal text or a
    ``(name,)`` slot.  Rules whose class overrides ``suitable_for``,
    ``build`` or ``_encode_query_vars`` (``plain`` false) build through them.
    """
    return {endpoint: tuple(_Plan(*entry) for entry in plans) for endpoint, plans in entries.items()}


# Text that quote(text, safe=PATH_SAFE) returns unchanged.
_URL_SAFE = re.compile(r"[A-Za-z0-9_.\-~!$&'()*+,/:;=@]*")


def _quote_value(value: t.Any) -> str:
    text = value if value.__class__ is str else str(value)
    return text if _URL_SAFE.fullmatch(text) else quote(text, safe=_PATH_SAFE)


class _Plan:
    """One rule's build recipe, the pure twin of the compiled ``BuildPlan``."""

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
        self.methods = methods
        self.websocket = websocket
        self.arguments = arguments
        self.defaults = dict(defaults) if defaults else None
        self.domain = _slots(domain, converters)
        self.path = _slots(path, converters)
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


def _slots(chunks: tuple[t.Any, ...], converters: t.Mapping[str, t.Any]) -> t.Any:
    """Literal chunks stay strings; a slot becomes ``(name, to_url)``, with
    None for the built-in string and path converters, whose to_url is the
    quoting _quote_value does; an all-literal plan becomes one string."""
    out: list[t.Any] = []
    for chunk in chunks:
        if chunk.__class__ is str:
            out.append(chunk)
        else:
            conv = converters[chunk[0]]
            kind = getattr(conv, "_kind", None)
            quoted = kind is not None and kind()[0] in (_STRING, _PATH)
            out.append((chunk[0], None if quoted else conv.to_url))
    if all(c.__class__ is str for c in out):
        return "".join(out)
    return tuple(out)


def _fill(plan: t.Any, values: dict[str, t.Any]) -> str:
    if plan.__class__ is str:
        return plan  # type: ignore[no-any-return]
    out = []
    for chunk in plan:
        if chunk.__class__ is str:
            out.append(chunk)
        else:
            name, to_url = chunk
            out.append(_quote_value(values[name]) if to_url is None else to_url(values[name]))
    return "".join(out)


def _plans_build(
    adapter: t.Any,
    plans: tuple[_Plan, ...],
    values: dict[str, t.Any],
    method: str | None,
    append_unknown: bool,
    host_matching: bool,
) -> tuple[str, str, bool] | None:
    """MapAdapter._partial_build over the plans: (domain, path, websocket)."""
    if method is None:
        found = _plans_build(adapter, plans, values, adapter.default_method, append_unknown, host_matching)
        if found is not None:
            return found
    first = None
    for plan in plans:
        if plan.suitable(values, method):
            built = plan.build(values, append_unknown)
            if built is not None:
                found = (built[0], built[1], plan.websocket)
                if not host_matching or built[0] == adapter.server_name:
                    return found
                if first is None:
                    first = found
    return first
