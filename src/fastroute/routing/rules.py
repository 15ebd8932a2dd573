"""Rules and rule factories.

A :class:`Rule` is parsed once, when it is bound to a map, into

* ``_parts``: one :class:`PartSpec` per URL segment (plain data the matcher
  cores compile into their tree; the cores never import this module),
* ``_trace``: the rule's tokens, used for equality, ``repr`` and building
  (read again from the rule's text when asked: matching does not need them),
* a build plan: literal chunks and converter slots for the domain and path,
  made when the rule is first built (or at once when a default fills a
  variable: werkzeug converts such defaults when it compiles the rule).

Parsing, ordering weights and the values built follow werkzeug 3.1 exactly,
so the same rules sort, match and build the same URLs.
"""

from __future__ import annotations

import re
import threading
import typing as t
from string import Template
from urllib.parse import urlencode

from werkzeug.datastructures import iter_multi_items
from werkzeug.routing import Map as _WerkzeugMap

from .. import _spec
from .converters import (
    DEFAULT_CONVERTERS,
    BaseConverter,
    ValidationError,
    converter_kind,
)
from .parse import (
    _BAR_TOKEN,
    _EMPTY_PART,
    _QUOTED,
    _SEGMENTS,
    _STATIC_PARTS,
    _TOKEN,
    PartSpec,
    _lone_variable_part,
    _make_part,
    _Remembered,
    _tokenize,
    parse_converter_args,
)

if t.TYPE_CHECKING:
    from .map import Map

__all__ = [
    "EndpointPrefix",
    "PartSpec",
    "Rule",
    "RuleFactory",
    "RuleTemplate",
    "RuleTemplateFactory",
    "Subdomain",
    "Submount",
    "parse_converter_args",
]

# Placeholders in a ``redirect_to`` string.
_PLACEHOLDER = re.compile(r"<([^>]+)>")


class BuildPlanParts(t.NamedTuple):
    """How a rule builds a URL: literal chunks (str) and ``(name,)``
    variable slots for the domain and the path, the names that do not go
    into the query string, and the variables a build needs."""

    domain: tuple[t.Any, ...]
    path: tuple[t.Any, ...]
    params: frozenset[str] | set[str]
    required: tuple[str, ...]


_T = t.TypeVar("_T")


class _SetMadeOnRead(t.Generic[_T]):
    """A werkzeug set attribute of :class:`Rule` (``methods``,
    ``arguments``) that the rule makes on first read.

    The rule keeps the names in ``_<name>`` (a shared tuple, in the order
    werkzeug adds them, or None) and the set in ``_<name>_set`` (``_LAZY``
    until made).  The set is made by the same adds, so it iterates in
    werkzeug's order; once made (or assigned) it is the rule's own.
    """

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.names_slot = f"_{name}"
        self.set_slot = f"_{name}_set"

    @t.overload
    def __get__(self, rule: None, owner: type) -> _SetMadeOnRead[_T]: ...
    @t.overload
    def __get__(self, rule: Rule, owner: type) -> _T: ...
    def __get__(self, rule: Rule | None, owner: type) -> t.Any:
        if rule is None:
            return self
        found = getattr(rule, self.set_slot)
        if found is _LAZY:
            with _MAKE_SET_LOCK:  # one set per rule, whichever thread reads first
                found = getattr(rule, self.set_slot)
                if found is _LAZY:
                    names = getattr(rule, self.names_slot)
                    found = None if names is None else set(names)
                    setattr(rule, self.set_slot, found)
        return found

    def __set__(self, rule: Rule, value: _T) -> None:
        setattr(rule, self.set_slot, value)


class RuleFactory:
    """Base class of objects that contribute rules to a map.

    Subclasses override :meth:`get_rules` to yield :class:`Rule` objects.
    """

    __slots__ = ()  # subclasses without __slots__ get a __dict__ as usual

    def get_rules(self, map: Map) -> t.Iterable[Rule]:
        raise NotImplementedError()


class _RuleCopies(RuleFactory):
    """A factory that yields a changed copy of each rule of *rules*."""

    rules: t.Iterable[RuleFactory]

    def get_rules(self, map: Map) -> t.Iterator[Rule]:
        for factory in self.rules:
            for rule in factory.get_rules(map):
                copy = rule.empty()
                self._change(copy)
                yield copy

    def _change(self, copy: Rule) -> None:
        raise NotImplementedError()


class Subdomain(_RuleCopies):
    """Give every rule produced by *rules* the subdomain *subdomain*."""

    def __init__(self, subdomain: str, rules: t.Iterable[RuleFactory]) -> None:
        self.subdomain = subdomain
        self.rules = rules

    def _change(self, copy: Rule) -> None:
        copy.subdomain = self.subdomain


class Submount(_RuleCopies):
    """Prefix the path of every rule produced by *rules* with *path*."""

    def __init__(self, path: str, rules: t.Iterable[RuleFactory]) -> None:
        self.path = path.rstrip("/")
        self.rules = rules

    def _change(self, copy: Rule) -> None:
        copy.rule = self.path + copy.rule


class EndpointPrefix(_RuleCopies):
    """Prefix the (string) endpoint of every rule produced by *rules*."""

    def __init__(self, prefix: str, rules: t.Iterable[RuleFactory]) -> None:
        self.prefix = prefix
        self.rules = rules

    def _change(self, copy: Rule) -> None:
        copy.endpoint = self.prefix + copy.endpoint


class RuleTemplate:
    """Rules with ``$placeholders`` filled in when the template is called.

    ``RuleTemplate([Rule('/$name/', endpoint='$name.list')])(name='user')``
    yields a factory for ``Rule('/user/', endpoint='user.list')``.
    """

    def __init__(self, rules: t.Iterable[Rule]) -> None:
        self.rules = list(rules)

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> RuleTemplateFactory:
        return RuleTemplateFactory(self.rules, dict(*args, **kwargs))


class RuleTemplateFactory(RuleFactory):
    """The factory a :class:`RuleTemplate` call returns."""

    def __init__(self, rules: t.Iterable[RuleFactory], context: dict[str, t.Any]) -> None:
        self.rules = rules
        self.context = context

    def _fill(self, text: str) -> str:
        return Template(text).substitute(self.context)

    def get_rules(self, map: Map) -> t.Iterator[Rule]:
        for factory in self.rules:
            for rule in factory.get_rules(map):
                defaults = None
                if rule.defaults:
                    defaults = {
                        k: self._fill(v) if isinstance(v, str) else v for k, v in rule.defaults.items()
                    }
                subdomain = None if rule.subdomain is None else self._fill(rule.subdomain)
                endpoint = rule.endpoint
                if isinstance(endpoint, str):
                    endpoint = self._fill(endpoint)
                # Only these options carry over, as in werkzeug.
                yield Rule(
                    self._fill(rule.rule),
                    defaults,
                    subdomain,
                    rule.methods,
                    rule.build_only,
                    endpoint,
                    rule.strict_slashes,
                )


_MERGE_SLASHES = re.compile("/{2,}")
_VERBS = {v: v for v in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT")}


class Rule(RuleFactory):
    """One URL pattern and what it maps to.

    ``Rule('/users/<int:id>', endpoint='user', methods=['GET'])``.  The
    options are werkzeug's: ``defaults``, ``subdomain``, ``methods`` (``HEAD``
    is added when ``GET`` is given), ``build_only``, ``endpoint``,
    ``strict_slashes`` and ``merge_slashes`` (``None`` takes the map's
    setting), ``redirect_to`` (a rule-syntax string or a callable),
    ``alias``, ``host`` and ``websocket``.  Any other attribute may be set on
    an instance (Flask sets ``provide_automatic_options``).
    """

    # The attributes every rule has live in slots; ``__dict__`` is still
    # there for the others, but is only allocated when one is set.  A map
    # holds thousands of rules, and a per-rule dict of twenty-odd entries was
    # the largest single allocation of a rule.
    #
    # ``methods`` and ``arguments`` are werkzeug's mutable sets, but a rule
    # keeps the names in the order werkzeug adds them to its set (a tuple
    # shared with the other rules of equal ones) and makes its own set on
    # first read (``_methods_set``, ``_arguments_set``; ``_LAZY`` until
    # then), by the same adds, so that it iterates in werkzeug's order: two
    # sets were a quarter of a rule's memory, and nothing on the matching
    # path reads them.
    __slots__ = (
        "__dict__", "__weakref__", "_arguments", "_arguments_set", "_build_plan",
        "_converters", "_domain_text", "_methods", "_methods_set", "_parts",
        "_path_text", "alias", "build_only",
        "defaults", "endpoint", "host", "is_branch", "is_leaf", "map", "merge_slashes",
        "redirect_to", "rule", "strict_slashes", "subdomain", "websocket",
    )  # fmt: skip

    map: Map

    def __init__(
        self,
        string: str,
        defaults: t.Mapping[str, t.Any] | None = None,
        subdomain: str | None = None,
        methods: t.Iterable[str] | None = None,
        build_only: bool = False,
        endpoint: t.Any | None = None,
        strict_slashes: bool | None = None,
        merge_slashes: bool | None = None,
        redirect_to: str | t.Callable[..., str] | None = None,
        alias: bool = False,
        host: str | None = None,
        websocket: bool = False,
    ) -> None:
        if not isinstance(string, str):
            raise TypeError(f"URL rule must be a str, not {type(string).__name__}")
        if not string.startswith("/"):
            raise ValueError(f"URL rule '{string}' must start with a slash.")
        self.rule = string
        self.is_leaf = not string.endswith("/")
        self.is_branch = string.endswith("/")
        self.map = None  # type: ignore[assignment]
        self.strict_slashes = strict_slashes
        self.merge_slashes = merge_slashes
        self.subdomain = subdomain
        self.host = host
        self.defaults = defaults
        self.build_only = build_only
        self.alias = alias
        self.websocket = websocket
        if methods is not None:
            if isinstance(methods, str):
                raise TypeError("'methods' should be a list of strings.")
            # The standard verbs as one shared string each, not a copy per
            # rule; werkzeug's adds, in order, without the repeats.
            added = dict.fromkeys(_VERBS.get(u, u) for u in (m.upper() for m in methods))
            if "GET" in added and "HEAD" not in added:
                added["HEAD"] = None
            if websocket and added.keys() - {"GET", "HEAD", "OPTIONS"}:
                raise ValueError("WebSocket rules can only use 'GET', 'HEAD', and 'OPTIONS' methods.")
            methods = _NAMES[tuple(added)]
        self._methods: tuple[str, ...] | None = methods
        self._methods_set: t.Any = _LAZY
        self.endpoint: t.Any = endpoint
        self.redirect_to = redirect_to
        self._arguments: tuple[str, ...] = (
            _NAMES[tuple(dict.fromkeys(map(str, defaults)))] if defaults else ()
        )
        self._arguments_set: t.Any = _LAZY
        self._converters: dict[str, BaseConverter] = {}
        self._domain_text: str | None = None  # the texts parsed (None: not yet)
        self._path_text = ""
        self._parts: tuple[PartSpec, ...] = ()

    # -- werkzeug's sets, made on first read ----------------------------------
    methods: _SetMadeOnRead[set[str] | None] = _SetMadeOnRead(
        """The methods the rule allows, upper case (``HEAD`` added where
        ``GET`` is), or None for any.  The rule's own set: changes to it
        count from the next time the map compiles (docs/compat.md)."""
    )
    arguments: _SetMadeOnRead[set[str]] = _SetMadeOnRead(
        """The names of the rule's variables and defaults (the rule's own
        set, as :attr:`methods`)."""
    )

    @property
    def _trace(self) -> tuple[tuple[bool, str], ...]:
        """werkzeug's ``_trace``: the tokens of the texts parsed when the
        rule compiled (``(True, name)`` for a variable, ``(False, text)``
        for the rest, ``(False, "|")`` between domain and path).  Worked out
        when asked, from the texts kept: equality, ``repr`` and a first build
        need it, matching does not."""
        domain = self._domain_text
        if domain is None:
            return ()
        trace: list[tuple[bool, str]] = []
        if domain:
            _tokenize(domain, trace)
        trace.append(_BAR_TOKEN)
        _tokenize(self._path_text, trace)
        return tuple(trace)

    # -- copies -----------------------------------------------------------
    def __getstate__(self) -> tuple[dict[str, t.Any] | None, dict[str, t.Any]]:
        """The attributes, as ``(__dict__, slots)``: copy and pickle (of any
        protocol; 0 and 1 refuse a class with ``__slots__`` and no
        ``__getstate__``) restore them as usual."""
        slots = {}
        for cls in type(self).__mro__:
            for name in cls.__dict__.get("__slots__", ()):
                if name not in ("__dict__", "__weakref__") and name not in slots and hasattr(self, name):
                    slots[name] = getattr(self, name)
        return (vars(self) or None, slots)

    def empty(self) -> Rule:
        """An unbound copy of this rule (see :meth:`get_empty_kwargs`)."""
        return type(self)(self.rule, **self.get_empty_kwargs())

    def get_empty_kwargs(self) -> t.Mapping[str, t.Any]:
        """Keyword arguments :meth:`empty` passes to the copy's constructor.

        ``merge_slashes`` and ``websocket`` are not carried over (as in
        werkzeug); subclasses with extra options override this.
        """
        return dict(
            defaults=dict(self.defaults) if self.defaults else None,
            subdomain=self.subdomain,
            methods=self.methods,  # the set itself, as werkzeug passes it
            build_only=self.build_only,
            endpoint=self.endpoint,
            strict_slashes=self.strict_slashes,
            redirect_to=self.redirect_to,
            alias=self.alias,
            host=self.host,
        )

    def get_rules(self, map: Map) -> t.Iterator[Rule]:
        yield self

    # -- binding and compiling -----------------------------------------------
    def refresh(self) -> None:
        """Re-parse the rule after changing it in place; its map compiles
        again before its next match or build (werkzeug's keeps matching the
        old rule, docs/compat.md)."""
        self.bind(self.map, rebind=True)
        self.map._remap = True

    def bind(self, map: Map, rebind: bool = False) -> None:
        """Attach the rule to *map*, take the map's defaults, and parse it.

        Raises ``TypeError`` for a ``werkzeug.routing.Map``: its matcher
        reads werkzeug's parsed form of a rule, not this class's, and would
        match this rule with no values.
        """
        if isinstance(t.cast(object, map), _WerkzeugMap):
            raise TypeError(
                f"a fastroute.routing.Rule ({type(self).__name__}) cannot be added to a"
                " werkzeug.routing.Map: use werkzeug.routing.Rule with werkzeug's Map,"
                " or fastroute.routing.Map, which takes both rule classes"
            )
        if self.map is not None and not rebind:  # type: ignore[redundant-expr]  # None until bound
            raise RuntimeError(f"url rule {self!r} already bound to map {self.map!r}")
        self.map = map
        if self.strict_slashes is None:
            self.strict_slashes = map.strict_slashes
        if self.merge_slashes is None:
            self.merge_slashes = map.merge_slashes
        if self.subdomain is None:
            self.subdomain = map.default_subdomain
        self.compile()

    def get_converter(
        self,
        variable_name: str,
        converter_name: str,
        args: tuple[t.Any, ...],
        kwargs: t.Mapping[str, t.Any],
    ) -> BaseConverter:
        """Instantiate the converter *converter_name* from the map's converters."""
        if converter_name not in self.map.converters:
            raise LookupError(f"the converter {converter_name!r} does not exist")
        return self.map.converters[converter_name](self.map, *args, **kwargs)

    def compile(self) -> None:
        """Parse the domain rule and the path rule into parts and a build plan."""
        assert self.map is not None, "rule not bound"
        domain = (self.host if self.map.host_matching else self.subdomain) or ""
        self._converters = {}
        parts = self._split(domain) if domain else [_EMPTY_PART]
        path = self.rule
        if self.merge_slashes:
            path = _MERGE_SLASHES.sub("/", path)
        parts.extend(self._split(path))
        convs = self._converters
        if convs:
            # werkzeug adds the variables to the rule's arguments set.
            new = tuple(name for name in convs if name not in self._arguments)
            if new:
                self._arguments = _NAMES[self._arguments + new]
            made = self._arguments_set
            if made is not _LAZY:
                for name in convs:
                    made.add(name)
            self._converters = _interned_converters(self, convs)
        self._domain_text = domain
        self._path_text = path
        # A tuple, not a list: fixed from here on, and the collector can stop
        # tracking a tuple of shared parts (fewer objects to scan per rule).
        self._parts = tuple(parts)
        # Most rules of a large map are never built: their plans wait until
        # then (less memory and a faster Map build).  A default of a
        # variable is converted now, so a bad one fails here as in werkzeug.
        self._build_plan: BuildPlanParts | None = None
        if (self.defaults and not self._converters.keys().isdisjoint(self.defaults)) or not (
            path.isascii() and domain.isascii()
        ):
            # Also a rule with non-ASCII text: quoting a lone surrogate in
            # it fails here, as in werkzeug.
            self._compile_build_plan()

    def _split(self, text: str) -> list[PartSpec]:
        """Tokenise *text* and group the tokens into parts at each slash."""
        parts: list[PartSpec] = []
        pieces: list[t.Any] = []
        static_weights: list[tuple[int, int]] = []
        arg_weights: list[t.Any] = []
        final = False
        pos = 0
        end = len(text)
        # Built-in converters are shared by the rules of a map (see
        # _converter_piece) unless a subclass makes its own converters.
        shared = _shared_pieces(self)
        while pos < end:
            if text[pos] == "/":
                # A slash ends the part, unless a slash-matching converter
                # made this part swallow the rest of the rule.
                pos += 1
                if final:
                    pieces.append("/")
                elif pieces:
                    parts.append(_make_part(pieces, False, static_weights, arg_weights))
                    pieces, static_weights, arg_weights = [], [], []
                else:
                    parts.append(_EMPTY_PART)
                continue
            if not final and not pieces:
                # A whole segment is a part of its own; a literal or a lone
                # variable is parsed once per text, and such segments repeat
                # from rule to rule.
                stop = text.find("/", pos)
                if stop < 0:
                    stop = end
                segment = _SEGMENTS[text[pos:stop]]
                if segment is not None:
                    if segment[0]:
                        parts.append(segment[1])
                        if stop == end:
                            return parts
                        pos = stop + 1
                        continue
                    piece, key = self._add_variable(segment[1], segment[2], segment[3], shared)
                    conv = piece[2]
                    if conv.part_isolating:
                        parts.append(_lone_variable_part(piece, key, shared))
                        if stop == end:
                            return parts
                        pos = stop + 1
                    else:
                        final = True
                        pieces.append(piece)
                        arg_weights.append(conv.weight)
                        pos = stop
                    continue
            # Within a segment of several tokens: werkzeug's tokeniser (a
            # static token is a maximal run without < or /).
            token = _TOKEN.match(text, pos)
            if token is None:
                raise ValueError(f"malformed url rule: {text!r}")
            pos = token.end()
            literal = token.group("text")
            if literal is not None:
                static_weights.append((len(static_weights), -len(literal)))
                pieces.append(literal)
                continue
            name = token.group("var")
            if name is not None:
                piece, _ = self._add_variable(
                    name, token.group("conv") or "default", token.group("args") or "", shared
                )
                conv = piece[2]
                if not conv.part_isolating:
                    final = True
                pieces.append(piece)
                arg_weights.append(conv.weight)
            # (Slashes never get here: they are handled first.)
        suffixed = final and bool(pieces) and pieces[-1] == "/"
        last = _make_part(pieces, final, static_weights, arg_weights, suffixed)
        parts.append(last)
        if suffixed:
            parts.append(_STATIC_PARTS["", last.weight])
        return parts

    def _add_variable(
        self, name: str, conv_name: str, argstr: str, shared: dict[t.Any, t.Any] | None
    ) -> tuple[tuple[int, tuple[t.Any, ...], BaseConverter], t.Any]:
        """Record the variable *name* of this rule; see _converter_piece."""
        if name in self._converters:
            raise ValueError(f"variable {name!r} appears twice in url rule {self.rule!r}")
        piece, key = self._converter_piece(name, conv_name, argstr, shared)
        self._converters[name] = piece[2]
        return piece, key

    def _converter_piece(
        self, name: str, conv_name: str, argstr: str, shared: dict[t.Any, t.Any] | None
    ) -> tuple[tuple[int, tuple[t.Any, ...], BaseConverter], t.Any]:
        """``(kind, kind_args, converter)`` for the variable *name*, and its
        key in *shared* (None when the piece is this rule's own).

        werkzeug makes a converter per variable; a built-in converter holds
        nothing but its arguments, so the rules of one map share one per
        converter class and argument text: less memory and parsing per rule.
        """
        if shared is not None:
            cls = self.map.converters.get(conv_name)
            if cls in _SHAREABLE_CONVERTERS:
                key = (cls, argstr)
                piece = shared.get(key)
                if piece is None:
                    piece, _ = self._converter_piece(name, conv_name, argstr, None)
                    if len(shared) >= _SHARED_PIECES_MAX:
                        return piece, None
                    shared[key] = piece
                return piece, key
        args, kwargs = parse_converter_args(argstr) if argstr else ((), {})
        conv = self.get_converter(name, conv_name, args, kwargs)
        kind, kind_args = converter_kind(conv)
        return (kind, kind_args, conv), None

    def _compile_build_plan(self) -> BuildPlanParts:
        """Literal chunks and converter slots for building, computed once.

        A variable that also has a default is fixed to the default's URL
        form, as werkzeug does.
        """
        defaults = self.defaults or {}
        plans: list[list[t.Any]] = [[], []]
        side = 0
        required: list[str] = []
        for is_dynamic, data in self._trace:
            if data == "|" and side == 0 and not is_dynamic:
                side = 1
                continue
            plan = plans[side]
            if is_dynamic and data in defaults:
                chunk: t.Any = self._converters[data].to_url(defaults[data])
            elif is_dynamic:
                chunk = (data,)
                required.append(data)
            else:
                chunk = _QUOTED[data]
            if isinstance(chunk, str) and plan and isinstance(plan[-1], str):
                plan[-1] += chunk
            else:
                plan.append(chunk)
        # The params: every variable and every default, the rule's
        # arguments, as in werkzeug's suitable_for (a set made by reading
        # them, or a frozenset shared by the rules of equal names).  One
        # tuple, set at once: a thread sees a whole plan.
        names = _arguments_of(self)
        params = _FROZEN[frozenset(names)] if isinstance(names, tuple) else names
        made = BuildPlanParts(tuple(plans[0]), tuple(plans[1]), params, tuple(required))
        self._build_plan = made
        return made

    def _ensure_build_plan(self) -> BuildPlanParts:
        """The build plan, made first if this rule has none yet."""
        plan = self._build_plan
        return self._compile_build_plan() if plan is None else plan

    # -- building -------------------------------------------------------------
    def _encode_query_vars(self, query_vars: t.Mapping[str, t.Any]) -> str:
        items: t.Iterable[tuple[str, t.Any]] = iter_multi_items(query_vars)
        if self.map.sort_parameters:
            items = sorted(items, key=self.map.sort_key)
        return urlencode([item for item in items if item[1] is not None], safe="!$'()*,/:;?@")

    def _fill_plan(self, plan: tuple[t.Any, ...], values: t.Mapping[str, t.Any]) -> str:
        out = []
        convs = self._converters
        for chunk in plan:
            if chunk.__class__ is str:
                out.append(chunk)
            else:
                name = chunk[0]
                out.append(convs[name].to_url(values[name]))
        return "".join(out)

    def build(self, values: t.Mapping[str, t.Any], append_unknown: bool = True) -> tuple[str, str] | None:
        """Build ``(domain_part, path)`` from *values*, or ``None`` when a
        converter rejects a value with ``ValidationError``.

        Values that are not variables of the rule become the query string
        when *append_unknown* is true.
        """
        for key in values:
            if key.__class__ is not str and not isinstance(key, str):
                # werkzeug hands the values to its builder as keyword
                # arguments, which rejects any key that is not a str.
                raise TypeError("keywords must be strings")
        plan = self._ensure_build_plan()
        for name in plan.required:
            if name not in values:
                raise TypeError(f"missing value for {name!r} to build {self.rule!r}")
        # The query string is encoded before any converter runs, as in
        # werkzeug: an error while encoding (e.g. sorting None with a str)
        # wins over a converter's error or ValidationError.
        query = ""
        if append_unknown:
            params = plan.params
            extra = {k: v for k, v in values.items() if k not in params}
            if extra:
                query = self._encode_query_vars(extra)
        try:
            domain = self._fill_plan(plan.domain, values)
            path = self._fill_plan(plan.path, values)
        except ValidationError:
            return None
        if query:
            path = f"{path}?{query}"
        return domain, path

    def provides_defaults_for(self, rule: Rule) -> bool:
        """Whether this rule holds defaults that make *rule* redundant."""
        return bool(
            not self.build_only
            and self.defaults
            and self.endpoint == rule.endpoint
            and self != rule
            and set(_arguments_of(self)) == set(_arguments_of(rule))
        )

    def suitable_for(self, values: t.Mapping[str, t.Any], method: str | None = None) -> bool:
        """Whether *values* (and *method*) are enough to build this rule."""
        methods = _methods_of(self)
        if method is not None and methods is not None and method not in methods:
            return False
        defaults = self.defaults or ()
        for key in _arguments_of(self):
            if key not in defaults and key not in values:
                return False
        if defaults:
            for key, value in defaults.items():
                if key in values and value != values[key]:
                    return False
        return True

    def build_compare_key(self) -> tuple[int, int, int]:
        """Sort key for building: non-aliases first, then more arguments."""
        return (1 if self.alias else 0, -len(_arguments_of(self)), -len(self.defaults or ()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return False
        if self._path_text is other._path_text and self._domain_text == other._domain_text:
            return True  # the same texts: the same tokens
        return self._trace == other._trace

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.rule

    def __repr__(self) -> str:
        if self.map is None:
            return f"<{type(self).__name__} (unbound)>"  # type: ignore[unreachable]  # None until bound
        text = "".join(f"<{d}>" if dyn else d for dyn, d in self._trace).lstrip("|")
        found = _methods_of(self)
        if type(found) is tuple:
            found = set(found)  # iterated in the order of werkzeug's set
        methods = f" ({', '.join(found)})" if found is not None else ""
        return f"<{type(self).__name__} {text!r}{methods} -> {self.endpoint}>"


# Converter classes whose instances _converter_piece may share.
_SHAREABLE_CONVERTERS = frozenset(DEFAULT_CONVERTERS.values())
_SHARED_PIECES_MAX = _spec.SHARED_PIECES_MAX


def _interned_converters(rule: Rule, convs: dict[str, BaseConverter]) -> dict[str, BaseConverter]:
    """An equal converters dict of an earlier rule of the map, if any.

    The variables of a map's rules repeat (``<int:id>`` in rule after rule),
    and so do their shared built-in converters: one dict serves all such
    rules.  A rule only reads its dict once compiled (compiling makes a new
    one).  Rules with converters of their own keep their dict.
    """
    shared = _shared_pieces(rule)
    if shared is None:
        return convs
    for conv in convs.values():
        if type(conv) not in _SHAREABLE_CONVERTERS:
            return convs
    key = (_interned_converters, *convs.items())
    found = shared.get(key)
    if found is None:
        if len(shared) >= _SHARED_PIECES_MAX:
            return convs
        shared[key] = found = convs
    return t.cast("dict[str, BaseConverter]", found)


def _shared_pieces(rule: Rule) -> dict[t.Any, t.Any] | None:
    """The map's cache of shared converter pieces, or None when *rule*'s
    class makes its own converters (it overrides ``get_converter``)."""
    if type(rule).get_converter is not Rule.get_converter:
        return None
    return getattr(rule.map, "_shared_pieces", None)


class _Lazy:
    """The value of ``Rule._methods_set``/``_arguments_set`` while the rule
    has not made its set; the same object after copy or pickle."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "_LAZY"

    def __repr__(self) -> str:
        return "<not made yet>"


_LAZY = _Lazy()
_MAKE_SET_LOCK = threading.Lock()
# Rules' equal method and argument names (in the order of werkzeug's adds),
# one tuple each; equal build params, one frozenset each.
_NAMES: _Remembered[tuple[str, ...], tuple[str, ...]] = _Remembered(lambda names: names)
_FROZEN: _Remembered[frozenset[str], frozenset[str]] = _Remembered(lambda names: names)


def _methods_of(rule: Rule) -> tuple[str, ...] | set[str] | None:
    """*rule*'s methods, without making its set: the set if it was made
    (it may have been changed), else the shared tuple of names (for
    membership and iteration; its order is not werkzeug's set's).  A rule
    that is not one of ours (a ``werkzeug.routing.Rule`` in our map) has
    its own set."""
    try:
        made = rule._methods_set
    except AttributeError:
        return rule.methods
    return rule._methods if made is _LAZY else made


def _arguments_of(rule: Rule) -> tuple[str, ...] | set[str]:
    """*rule*'s arguments, without making its set (see _methods_of)."""
    try:
        made = rule._arguments_set
    except AttributeError:
        return rule.arguments
    return rule._arguments if made is _LAZY else made


def is_ours(rule: object) -> bool:
    """Whether *rule* is a fastroute :class:`Rule`; any other (werkzeug's
    ``Rule``) is bound and compiled by its own code, and the map reads its
    parts with :func:`foreign_parts`."""
    return isinstance(rule, Rule)


class _ForeignParse(Rule):
    """Parses a rule of another class (werkzeug's ``Rule``, bound to our
    map by werkzeug's own ``bind``) into the parts the cores take.

    The variables get the converters werkzeug's ``compile`` made for that
    rule, so ``get_converter`` is called as werkzeug calls it (once per
    variable, by the rule itself) and matching converts with the very
    objects the rule builds with.
    """

    foreign_converters: dict[str, BaseConverter]

    def get_converter(self, variable_name: str, *how: t.Any) -> BaseConverter:
        return self.foreign_converters[variable_name]  # made by werkzeug from *how*


def foreign_parts(rule: t.Any) -> tuple[tuple[PartSpec, ...], dict[str, BaseConverter]]:
    """``(parts, converters)`` of a bound rule that is not one of ours,
    worked out from its public options as werkzeug compiled them (the
    domain part, the path, ``merge_slashes``) and its converters."""
    parsed = _ForeignParse(rule.rule, subdomain=rule.subdomain, host=rule.host)
    parsed.map = rule.map
    parsed.merge_slashes = rule.merge_slashes
    parsed.foreign_converters = rule._converters
    parsed.compile()
    return parsed._parts, parsed._converters


def redirect_target(rule: Rule, values: t.Mapping[str, t.Any]) -> str:
    """Fill the ``<name>`` placeholders of a string ``redirect_to``."""
    convs = rule._converters

    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        return convs[name].to_url(values[name])

    return _PLACEHOLDER.sub(fill, t.cast(str, rule.redirect_to))
