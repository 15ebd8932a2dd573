"""Subclass hooks and ``str`` subclasses, compared with werkzeug.

werkzeug calls a number of methods that a subclass may override (the
adapter's ``get_host``, ``make_redirect_url``, ..., the map's ``update``, a
rule's ``build``, ``suitable_for``, ..., a converter's ``to_python``).  Each
test here derives the same subclass of fastroute's class and of werkzeug's,
overriding one such method to record its calls and change its answer, runs
one scenario of matches, builds, redirects and bindings through both, and
requires the same calls (same arguments, same order) and the same results.

The second half passes ``str`` subclasses (a plain one and markupsafe's
``Markup``, whose ``+`` and ``%`` escape) wherever werkzeug takes a ``str``
and requires werkzeug's answers, down to the type of the result.

The ``core`` fixture runs each test on a whole core (its ``Map``,
``MapAdapter`` and matcher).
"""

# The scenarios pass lambdas over loop variables to step(), which calls them at
# once, in the same iteration: B023 (late binding) does not apply.
# ruff: noqa: B023

from __future__ import annotations

import typing as t
import uuid
import warnings

import pytest
import werkzeug.routing as wz
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.test import create_environ

import fastroute.routing as fr

MODULES = {"fastroute": fr, "werkzeug": wz}
UID = uuid.UUID("12345678-1234-5678-1234-567812345678")

# ---------------------------------------------------------------------------
# helpers


def norm(x: t.Any) -> t.Any:
    """*x* in a form that compares across fastroute and werkzeug (rules,
    maps, adapters and converters by what they stand for; the type of a
    ``str`` subclass kept)."""
    if isinstance(x, (fr.Rule, wz.Rule)):
        return ("Rule", x.rule, x.endpoint)
    if isinstance(x, (fr.MapAdapter, wz.MapAdapter)):
        return "adapter"
    if isinstance(x, (fr.Map, wz.Map)):
        return "map"
    if isinstance(x, (fr.BaseConverter, wz.BaseConverter)):
        return ("converter", type(x).__name__)
    if isinstance(x, str):
        return x if type(x) is str else (type(x).__name__, str(x))
    if isinstance(x, MultiDict):
        return ("MultiDict", [(k, norm(v)) for k, v in x.items(multi=True)])
    if isinstance(x, dict):
        if "wsgi.version" in x:
            return "environ"
        return {k: norm(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(norm(v) for v in x)
    if isinstance(x, (set, frozenset)):
        return sorted(x)
    return x


def attempt(fn: t.Callable[[], t.Any]) -> t.Any:
    """What ``fn()`` gives or raises, comparable across the two libraries."""
    try:
        result = fn()
    except wz.RequestRedirect as e:
        return ("redirect", norm(e.new_url), e.code)
    except MethodNotAllowed as e:
        return ("405", sorted(e.valid_methods or ()))
    except wz.BuildError as e:
        return ("BuildError", e.endpoint, norm(e.values), e.method)
    except HTTPException as e:
        return (type(e).__name__,)
    except Exception as e:
        return ("raise", type(e).__name__)
    if isinstance(result, wz.RequestRedirect):  # from dispatch
        return ("returned redirect", norm(result.new_url))
    return ("ok", norm(result))


def recording(base: type, name: str, change: t.Callable[..., t.Any], log: list[t.Any]) -> type:
    """A subclass of *base* whose *name* logs ``(name, args, kwargs)``, calls
    the base method and returns ``change(self, result, *args, **kwargs)``."""

    def method(self: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        log.append((name, norm(args), norm(kwargs)))
        result = getattr(super(cls, self), name)(*args, **kwargs)
        return change(self, result, *args, **kwargs)

    cls = type(f"Recording{base.__name__}", (base,), {name: method})
    return cls


def _rules(mod: t.Any, R: type, host_matching: bool) -> list[t.Any]:
    """The scenario's rules, written with the rule class *R*."""
    home = {"host": "example.com"} if host_matching else {}
    api = {"host": "api.example.com"} if host_matching else {"subdomain": "api"}
    rules = [
        R("/", endpoint="index", **home),
        R("/page/", defaults={"n": 1}, endpoint="page", **home),
        R("/page/<int:n>", endpoint="page", **home),
        R("/x/", defaults={"a": 1}, endpoint="x", **home),
        R("/x/<int:a>/<int:b>", endpoint="x", **home),
        R("/dir/", endpoint="dir", **home),
        R("/alias/<name>", endpoint="named", alias=True, **home),
        R("/named/<name>", endpoint="named", **home),
        R("/old/<int:id>", redirect_to="new/<id>", **home),
        R("/new/<int:id>", endpoint="new", **home),
        R("/only-post", endpoint="post", methods=["POST"], **home),
        R("/f/<float:f>/<uuid:u>", endpoint="conv", **home),
        R("/p/<path:rest>", endpoint="path", **home),
        R("/any/<any(a,b):k>", endpoint="any", **home),
        R("/s/<string(length=2):s>", endpoint="short", **home),
        R("/name/<name>", endpoint="name", **home),
        R("/ws", endpoint="ws", websocket=True, **home),
        R("/api", endpoint="api", **api),
        mod.Submount("/sub", [R("/in/<name>", endpoint="sub", **home)]),
        mod.EndpointPrefix("ep.", [R("/ep", endpoint="e", **home)]),
    ]
    if not host_matching:
        rules.append(mod.Subdomain("<user>", [R("/home", endpoint="user")]))
    return rules


MATCHES: list[tuple[str, dict[str, t.Any]]] = [
    ("/", {}),
    ("/page/", {}),
    ("/page/1", {}),
    ("/page/2", {}),
    ("/page/2", {"return_rule": True}),
    ("/page/123", {}),
    ("/page/-3", {}),
    ("/x/1/2", {}),
    ("/dir", {}),
    ("/dir", {"query_args": {"q": "1 2"}}),
    ("/dir", {"query_args": "z=3"}),
    ("//page/2", {}),
    ("/alias/joe", {}),
    ("/alias/joe", {"query_args": {"k": "v"}}),
    ("/old/5", {}),
    ("/only-post", {}),
    ("/only-post", {"method": "post"}),
    ("/missing", {}),
    (f"/f/1.5/{UID}", {}),
    (f"/f/2.25/{UID}", {}),
    (f"/f/1.5/{str(UID).upper()}", {}),
    ("/f/1.5/12345678123456781234567812345678", {}),
    ("/p/a/b", {}),
    ("/p/a/b/c", {}),
    ("/any/a", {}),
    ("/any/c", {}),
    ("/s/ab", {}),
    ("/s/abc", {}),
    ("/s/zz", {}),
    ("/name/abcdef", {}),
    ("/name/cab", {}),
    ("/name/x", {}),
    ("/sub/in/zz", {}),
    ("/ep", {}),
    ("/ws", {}),
    ("/ws", {"websocket": True}),
    ("/api", {}),
    ("/home", {}),
]

BUILDS: list[tuple[t.Any, ...]] = [
    ("index", {}),
    ("page", {"n": 1}),
    ("page", {"n": 3, "q": "x y"}),
    ("page", {}),
    ("page", {"n": 3}, "POST"),
    ("page", MultiDict([("n", 4), ("q", "a"), ("q", "b")])),
    ("x", {"a": 1, "b": 2}),
    ("named", {"name": "a b"}),
    ("conv", {"f": 1.5, "u": UID}),
    ("path", {"rest": "a/b c"}),
    ("any", {"k": "b"}),
    ("any", {"k": "zz"}),
    ("short", {"s": "ab"}),
    ("name", {"name": "n"}),
    ("sub", {"name": "n"}),
    ("ep.e", {}),
    ("api", {}),
    ("user", {"user": "bob"}),
    ("ws", {}),
    ("nope", {}),
    ("index", {}, None, True),
    ("index", {}, None, True, True, "https"),
    ("page", {"n": 3, "q": "x"}, None, False, False),
]


def scenario(
    mod: t.Any,
    log: list[t.Any],
    *,
    host_matching: bool = False,
    map_cls: type | None = None,
    adapter_cls: type | None = None,
    rule_cls: type | None = None,
    converters: dict[str, type] | None = None,
) -> list[t.Any]:
    """Matches, builds, redirects and bindings through *mod*'s classes (or
    the given subclasses); returns what each gave, with *log*'s length after
    each step, so that calls are compared step by step."""
    out: list[t.Any] = []

    def step(label: t.Any, fn: t.Callable[[], t.Any]) -> None:
        out.append((label, attempt(fn), len(log)))

    holder: dict[str, t.Any] = {}

    def make_map() -> None:
        holder["map"] = (map_cls or mod.Map)(
            _rules(mod, rule_cls or mod.Rule, host_matching),
            host_matching=host_matching,
            converters=converters,
        )

    step("map", make_map)
    if "map" not in holder:
        return out
    m = holder["map"]
    names = ["example.com", "api.example.com"] if host_matching else ["example.com"]
    subdomains = [None] if host_matching else ["", "api", "bob"]
    adapters = []
    for server in names:
        for sub in subdomains:
            for scheme in ["http", "wss"]:
                if adapter_cls is not None:
                    adapters.append(adapter_cls(m, server, "/app", sub, scheme, "/", "GET", None))
                else:
                    holder["adapter"] = None
                    step(
                        ("bind", server, sub, scheme),
                        lambda: holder.__setitem__("adapter", m.bind(server, "/app", sub, scheme)),
                    )
                    adapters.append(holder["adapter"])
    for a in adapters:
        if a is None:
            continue
        for path, kwargs in MATCHES:
            step(("match", path, kwargs), lambda: a.match(path, **kwargs))
        for args in BUILDS:
            step(("build", args), lambda: a.build(*args))
        step("allowed 405", lambda: a.allowed_methods("/only-post"))
        step("allowed", lambda: a.allowed_methods("/page/2"))
        step("test 404", lambda: a.test("/missing"))
        step("test redirect", lambda: a.test("/dir"))
        step("dispatch", lambda: a.dispatch(lambda e, v: (e, v), "/page/2"))
        step("dispatch redirect", lambda: a.dispatch(lambda e, v: (e, v), "/dir"))
    step("expecting", lambda: m.is_endpoint_expecting("page", "n"))
    step("iter_rules", lambda: list(m.iter_rules()))
    for url, server in [
        ("http://api.example.com/page/2", None),
        ("http://api.example.com/dir", "example.com"),
    ]:

        def environ_match() -> t.Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                a = m.bind_to_environ(create_environ(url, method="GET"), server_name=server)
            return (a.script_name, a.subdomain, a.match())

        step(("environ", url, server), environ_match)
    return out


def compare(core: t.Any, **kwargs: t.Any) -> None:
    """Run the scenario with fastroute and werkzeug: same results, same calls."""
    results = {}
    for name, mod in MODULES.items():
        log: list[t.Any] = []
        made = {key: (make(mod, log) if callable(make) else make) for key, make in kwargs.items()}
        results[name] = (scenario(mod, log, **made), log)
    ours, theirs = results["fastroute"], results["werkzeug"]
    for step_ours, step_theirs in zip(ours[0], theirs[0], strict=True):
        assert step_ours[:2] == step_theirs[:2]
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    assert theirs[1], "the override was never called: the scenario does not test it"


# ---------------------------------------------------------------------------
# Overridden methods: called where werkzeug calls them, with its arguments


def _suffixed(suffix: str) -> t.Callable[..., t.Any]:
    return lambda self, result, *a, **k: result if result is None else result + suffix


def _same(self: t.Any, result: t.Any, *a: t.Any, **k: t.Any) -> t.Any:
    return result


def _moved_script(self: t.Any, adapter: t.Any, *a: t.Any, **k: t.Any) -> t.Any:
    adapter.script_name = "/moved/"
    return adapter


def _other_path(self: t.Any, result: t.Any, *a: t.Any, **k: t.Any) -> t.Any:
    return result if result is None else (result[0], result[1] + "/pb", *result[2:])


def _vetoed(self: t.Any, result: bool, values: t.Any, method: t.Any = None) -> bool:
    return result and values.get("n") != 3


def _defaults_for_more(self: t.Any, result: bool, rule: t.Any) -> bool:
    return result or bool(self.defaults and self.endpoint == rule.endpoint and self is not rule)


def _short_strings(self: t.Any, conv: t.Any, variable: str, name: str, args: t.Any, kwargs: t.Any) -> t.Any:
    if name == "default":
        return self.map.converters["string"](self.map, maxlength=4)
    return conv


def _twin_index(self: t.Any, result: t.Any, map: t.Any) -> t.Any:
    rules = list(result)
    if self.endpoint == "index":
        rules.append(type(self)("/index", endpoint="index", host=self.host))
    return rules


def _loose_copy(self: t.Any, copy: t.Any) -> t.Any:
    copy.strict_slashes = False
    return copy


def _with_post(self: t.Any, kwargs: t.Any) -> t.Any:
    return dict(kwargs, methods=["GET", "POST"])


# (class name, method, change): one line per hook.
ADAPTER_HOOKS = [
    ("get_host", lambda self, host, domain_part: f"h.{host}"),
    ("get_default_redirect", _suffixed("#default")),
    ("make_redirect_url", _suffixed("#redirect")),
    ("make_alias_redirect_url", _suffixed("#alias")),
    ("encode_query_args", _suffixed("&e=1")),
    ("allowed_methods", lambda self, methods, *a: [*sorted(methods), "BREW"]),
    ("match", lambda self, r, *a, **k: (r[0], {**r[1], "hooked": True})),
    ("build", _suffixed("#built")),
    ("_partial_build", _other_path),
]
MAP_HOOKS = [
    ("bind", _moved_script),
    ("bind_to_environ", _moved_script),
    ("update", _same),
]
RULE_HOOKS = [
    ("build", _other_path),
    ("suitable_for", _vetoed),
    ("provides_defaults_for", _defaults_for_more),
    ("get_converter", _short_strings),
    ("get_rules", _twin_index),
    ("empty", _loose_copy),
    ("get_empty_kwargs", _with_post),
]


@pytest.mark.parametrize("host_matching", [False, True], ids=["subdomains", "hosts"])
@pytest.mark.parametrize(("name", "change"), ADAPTER_HOOKS, ids=[h[0] for h in ADAPTER_HOOKS])
def test_adapter_override_called_as_werkzeug_calls_it(core, name, change, host_matching):
    compare(
        core,
        host_matching=host_matching,
        adapter_cls=lambda mod, log: recording(mod.MapAdapter, name, change, log),
    )


@pytest.mark.parametrize("host_matching", [False, True], ids=["subdomains", "hosts"])
@pytest.mark.parametrize(("name", "change"), MAP_HOOKS, ids=[h[0] for h in MAP_HOOKS])
def test_map_override_called_as_werkzeug_calls_it(core, name, change, host_matching):
    compare(core, host_matching=host_matching, map_cls=lambda mod, log: recording(mod.Map, name, change, log))


@pytest.mark.parametrize("host_matching", [False, True], ids=["subdomains", "hosts"])
@pytest.mark.parametrize(("name", "change"), RULE_HOOKS, ids=[h[0] for h in RULE_HOOKS])
def test_rule_override_called_as_werkzeug_calls_it(core, name, change, host_matching):
    compare(
        core, host_matching=host_matching, rule_cls=lambda mod, log: recording(mod.Rule, name, change, log)
    )


def _marked(self: t.Any, value: t.Any, *a: t.Any) -> t.Any:
    return ("marked", value)


# (converter class, the names it is registered under, method, change)
CONVERTER_HOOKS = [
    ("UnicodeConverter", ("default", "string"), "to_python", lambda self, v, text: f"{v}!"),
    ("UnicodeConverter", ("default", "string"), "to_url", _suffixed("~")),
    ("IntegerConverter", ("int",), "to_python", lambda self, v, text: v + 1000),
    ("IntegerConverter", ("int",), "to_url", _suffixed("0")),
    ("FloatConverter", ("float",), "to_python", lambda self, v, text: -v),
    ("FloatConverter", ("float",), "to_url", _suffixed("5")),
    ("UUIDConverter", ("uuid",), "to_python", _marked),
    ("UUIDConverter", ("uuid",), "to_url", lambda self, v, value: v.upper()),
    ("PathConverter", ("path",), "to_python", lambda self, v, text: v.split("/")),
    ("PathConverter", ("path",), "to_url", _suffixed("/end")),
    ("AnyConverter", ("any",), "to_python", _marked),
    ("AnyConverter", ("any",), "to_url", _suffixed("b")),
]


@pytest.mark.parametrize(
    ("cls_name", "names", "name", "change"), CONVERTER_HOOKS, ids=[f"{h[0]}.{h[2]}" for h in CONVERTER_HOOKS]
)
def test_converter_override_called_as_werkzeug_calls_it(core, cls_name, names, name, change):
    def converters(mod: t.Any, log: list[t.Any]) -> dict[str, type]:
        cls = recording(getattr(mod, cls_name), name, change, log)
        return dict.fromkeys(names, cls)

    compare(core, converters=converters)


# A regex set on the instance (as werkzeug's own string and any converters
# do in __init__), or one that differs from the class's.
INSTANCE_REGEXES = [
    ("IntegerConverter", ("int",), r"\d{1,2}"),
    ("IntegerConverter", ("int",), r"-?\d+"),
    ("UnicodeConverter", ("default", "string"), "[a-c]+"),
    ("UnicodeConverter", ("default", "string"), "[^/]{2}"),
    ("FloatConverter", ("float",), r"\d+\.5"),
    ("UUIDConverter", ("uuid",), "[0-9a-f-]+"),
    ("PathConverter", ("path",), "[^/]+/[^/]+"),
    ("AnyConverter", ("any",), "(?:a|c)"),
]


@pytest.mark.parametrize(
    ("cls_name", "names", "regex"), INSTANCE_REGEXES, ids=[f"{h[0]}-{h[2]}" for h in INSTANCE_REGEXES]
)
def test_converter_instance_regex(core, cls_name, names, regex):
    def converters(mod: t.Any, log: list[t.Any]) -> dict[str, type]:
        base = getattr(mod, cls_name)

        def __init__(self: t.Any, map: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
            base.__init__(self, map, *args, **kwargs)
            log.append(("init", cls_name, norm(args), norm(kwargs)))
            self.regex = regex

        return dict.fromkeys(names, type(f"Instance{cls_name}", (base,), {"__init__": __init__}))

    compare(core, converters=converters)
    # The scenario tells the instance's regex from the class's.
    log: list[t.Any] = []
    changed = scenario(wz, log, converters=converters(wz, log))
    assert [s[:2] for s in changed] != [s[:2] for s in scenario(wz, [])]


# The same, on instances of the built-in classes themselves, changed by a
# rule's get_converter: a regex, to_python or to_url set on the instance.
INSTANCE_CHANGES = [
    ("int", "regex", r"\d{1,2}"),
    ("int", "regex", r"-?\d+"),
    ("string", "regex", "[a-c]+"),
    ("default", "regex", "[^/]{2}"),
    ("any", "regex", "(?:a|c)"),
    ("float", "regex", r"\d+\.5"),
    ("uuid", "regex", "[0-9a-f-]+"),
    ("path", "regex", "[^/]+/[^/]+"),
    ("int", "to_python", lambda text: -int(text)),
    ("int", "to_url", lambda value: f"{value}0"),
    ("default", "to_python", lambda text: text.upper()),
    ("default", "to_url", lambda value: f"{value}~"),
    ("path", "to_url", lambda value: f"{value}/end"),
    ("any", "to_python", lambda text: text * 2),
    ("uuid", "to_python", lambda text: text),
]


@pytest.mark.parametrize(
    ("converter", "attribute", "value"),
    INSTANCE_CHANGES,
    ids=[f"{c[0]}.{c[1]}-{i}" for i, c in enumerate(INSTANCE_CHANGES)],
)
def test_builtin_converter_changed_on_the_instance(core, converter, attribute, value):
    def change(self: t.Any, conv: t.Any, variable: str, name: str, args: t.Any, kwargs: t.Any) -> t.Any:
        if name == converter:
            setattr(conv, attribute, value)
        return conv

    compare(core, rule_cls=lambda mod, log: recording(mod.Rule, "get_converter", change, log))
    # The scenario tells the changed instance from a plain one.
    plain = recording(wz.Rule, "get_converter", _same, [])
    changed = recording(wz.Rule, "get_converter", change, [])
    assert [s[:2] for s in scenario(wz, [], rule_cls=plain)] != [
        s[:2] for s in scenario(wz, [], rule_cls=changed)
    ]


# ---------------------------------------------------------------------------
# str subclasses wherever werkzeug takes a str


class S(str):
    """A plain str subclass."""


WRAPPERS = {"S": S, "Markup": Markup}


def _wrapped_rules(mod: t.Any, wrap: t.Callable[[str], str], host_matching: bool) -> list[t.Any]:
    """The scenario's rules with every str argument wrapped."""

    def rule(text: str, **kwargs: t.Any) -> t.Any:
        return mod.Rule(wrap(text), **{k: wrap(v) if isinstance(v, str) else v for k, v in kwargs.items()})

    return _rules(mod, rule, host_matching)  # type: ignore[arg-type]


def str_scenario(mod: t.Any, wrap: t.Callable[[str], str], position: str, host_matching: bool) -> list[t.Any]:
    """Matches and builds through *mod* with a str subclass at *position*."""
    w = wrap if position != "none" else str
    bind = {
        "server_name": "example.com",
        "script_name": "/app",
        "subdomain": None if host_matching else "",
        "url_scheme": "http",
        "default_method": "GET",
        "path_info": "/dir",
        "query_args": "a=1&b=<x>",
    }
    if position.startswith("bind "):
        name = position[5:]
        if name == "subdomain" and host_matching:
            bind["server_name"] = w("api.example.com")
        else:
            bind[name] = w("api" if name == "subdomain" else bind[name])
    out: list[t.Any] = []
    holder: dict[str, t.Any] = {}

    def make() -> None:
        rules = (
            _wrapped_rules(mod, w, host_matching)
            if position == "rules"
            else _rules(mod, mod.Rule, host_matching)
        )
        holder["map"] = mod.Map(rules, host_matching=host_matching)

    out.append(attempt(make))
    if "map" not in holder:
        return out
    m = holder["map"]
    if position == "environ":
        environ = create_environ("/dir?a=1&b=%3Cx%3E", "http://api.example.com/app", method="GET")
        environ = {k: w(v) if type(v) is str and k != "wsgi.url_scheme" else v for k, v in environ.items()}
        environ["wsgi.url_scheme"] = w("https")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            holder["adapter"] = m.bind_to_environ(
                environ, server_name=None if host_matching else "example.com"
            )
        out.append(attempt(lambda: holder["adapter"].match()))
    else:
        out.append(attempt(lambda: holder.__setitem__("adapter", m.bind(**bind))))
    a = holder.get("adapter")
    if a is None:
        return out
    out.append(
        norm(
            [
                a.server_name,
                a.script_name,
                a.subdomain,
                a.url_scheme,
                a.path_info,
                a.default_method,
                a.query_args,
            ]
        )
    )
    out.append(attempt(lambda: a.match()))
    for path, kwargs in MATCHES:
        if position == "match path":
            path = w(path)
        if position == "match method":
            kwargs = {**kwargs, "method": w(kwargs.get("method", "get"))}
        if position == "match query_args":
            kwargs = {**kwargs, "query_args": w("q=<1>&r=2")}
        out.append(attempt(lambda: a.match(path, **kwargs)))
    for endpoint, values, *rest in BUILDS:
        if position == "build endpoint" and isinstance(endpoint, str):
            endpoint = w(endpoint)
        if position == "build values" and isinstance(values, dict):
            values = {k: w(v) if isinstance(v, str) else v for k, v in values.items()}
        extra = {"url_scheme": w("https")} if position == "build url_scheme" else {}
        for external in (False, True):
            args = [endpoint, values, *rest]
            if len(args) < 4:
                args += [None] * (3 - len(args)) + [external]
            out.append(attempt(lambda: a.build(*args, **extra)))
    return out


STR_POSITIONS = [
    "bind server_name",
    "bind script_name",
    "bind subdomain",
    "bind url_scheme",
    "bind default_method",
    "bind path_info",
    "bind query_args",
    "match path",
    "match method",
    "match query_args",
    "build endpoint",
    "build values",
    "build url_scheme",
    "rules",
    "environ",
]


@pytest.mark.parametrize("host_matching", [False, True], ids=["subdomains", "hosts"])
@pytest.mark.parametrize("wrapper", list(WRAPPERS))
@pytest.mark.parametrize("position", STR_POSITIONS)
def test_str_subclass_as_werkzeug(core, position, wrapper, host_matching):
    wrap = WRAPPERS[wrapper]
    ours = str_scenario(fr, wrap, position, host_matching)
    theirs = str_scenario(wz, wrap, position, host_matching)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a == b, i
    assert ours == theirs


# ---------------------------------------------------------------------------
# Through Flask: the app layer calls the map's and adapter's methods as
# Flask calls werkzeug's


@pytest.mark.parametrize(("name", "change"), MAP_HOOKS, ids=[h[0] for h in MAP_HOOKS])
def test_flask_calls_map_overrides_as_with_werkzeug(core, name, change):
    import flask

    import fastroute

    seen = {}
    for flavour, (app_class, mod) in {
        "werkzeug": (flask.Flask, wz),
        "fastroute": (fastroute.Flask, fr),
    }.items():
        log: list[t.Any] = []

        class App(app_class):  # type: ignore[misc,valid-type]
            url_map_class = recording(mod.Map, name, change, log)

        app = App(__name__)
        app.config["SERVER_NAME"] = "example.com"

        @app.route("/a/<int:x>")
        def a(x: int) -> str:
            return flask.url_for("a", x=x + 1, _external=True)

        @app.route("/dir/", methods=["GET", "POST"])
        def d() -> str:
            return "dir"

        client = app.test_client()
        responses = [
            (r.status_code, r.headers.get("Location"), sorted(r.headers.get("Allow", "").split(", ")), r.data)
            for r in (client.get("/a/1"), client.get("/dir"), client.put("/dir/"), client.options("/dir/"))
        ]
        with app.app_context():
            responses.append(flask.url_for("a", x=2))
        seen[flavour] = (responses, log)
    for ours, theirs in zip(seen["fastroute"][0], seen["werkzeug"][0], strict=True):
        assert ours == theirs
    assert seen["fastroute"][1] == seen["werkzeug"][1]
    assert seen["werkzeug"][1]
