"""werkzeug's own objects in a fastroute Map, and fastroute's in werkzeug's.

A fastroute ``Map`` takes ``werkzeug.routing.Rule`` (and subclasses), its
rule factories (``Submount``, ``Subdomain``, ``EndpointPrefix``,
``RuleTemplate``) and converter classes built on werkzeug's ``BaseConverter``,
mixed freely with fastroute's own.  Each test builds the same rule set as a
werkzeug map of werkzeug's objects (the reference) and as fastroute maps of
several mixes, and compares what matching, building, ``iter_rules``,
``is_endpoint_expecting``, ``allowed_methods``, ``repr`` and
``_rules_by_endpoint`` give.  The random version of this is
``test_differential.py::test_mixed_objects``.

A fastroute ``Rule`` in a werkzeug ``Map`` raises ``TypeError`` when it is
added (werkzeug's matcher cannot read it; it used to match with no values).
"""

from __future__ import annotations

import typing as t

import flask
import pytest
import werkzeug.routing as wz

import fastroute
import fastroute.routing as fr
from tests.support import cores
from tests.support.outcomes import call_outcome as outcome
from tests.support.strategies import CONVERTERS

# The modules whose classes make the objects of a rule set: one half of the
# rules, the other half, the factories.  werkzeug's map takes werkzeug's.
MIXES = [(wz, wz, wz), (wz, fr, wz), (fr, wz, fr), (wz, wz, fr), (fr, fr, wz)]
MIX_IDS = [
    "all-wz",
    "mixed-rules-wz-factories",
    "mixed-rules-fr-factories",
    "wz-rules-fr-factories",
    "fr-rules-wz-factories",
]


def rules_view(m: t.Any) -> list[t.Any]:
    return [(repr(r), r.endpoint, sorted(r.arguments), r.map is m) for r in m.iter_rules()]


def compare(
    entries: t.Callable[[t.Any, t.Any, t.Any], list[t.Any]],
    paths: list[tuple[str, str]],
    builds: list[tuple[t.Any, dict[str, t.Any], str | None]],
    mixes: list[tuple[t.Any, t.Any, t.Any]] = MIXES,
    converters: dict[str, t.Any] | None = None,
    server: str = "example.com",
    **options: t.Any,
) -> None:
    """Build ``entries(rules, other_rules, factories)`` (modules) as
    werkzeug's map of werkzeug's objects and as fastroute maps of each mix;
    every answer must be werkzeug's."""
    ref = wz.Map(entries(wz, wz, wz), converters=converters, **options)
    wad = ref.bind(server)
    for mix in mixes:
        m = fr.Map(entries(*mix), converters=converters, **options)
        ad = m.bind(server)
        label = tuple(mod.__name__ for mod in mix)
        # werkzeug's rules in our map are the very objects of the factories.
        assert rules_view(m) == rules_view(ref), label
        assert sorted(map(repr, m._rules_by_endpoint)) == sorted(map(repr, ref._rules_by_endpoint)), label
        for endpoint, rules in ref._rules_by_endpoint.items():
            assert [repr(r) for r in m._rules_by_endpoint[endpoint]] == [repr(r) for r in rules], label
        for path, method in paths:
            for rr in (False, True):
                expected = outcome(wad.match, path, method, return_rule=rr)
                got = outcome(ad.match, path, method, return_rule=rr)
                if rr and isinstance(got[0], tuple):
                    # match(return_rule=True) gives the map's own rule object
                    # (werkzeug's class for a rule werkzeug's class made).
                    found = ad.match(path, method, return_rule=True)[0]
                    assert any(found is r for r in m.iter_rules()), label
                assert got == expected, (label, path, method, rr)
            assert sorted(ad.allowed_methods(path)) == sorted(wad.allowed_methods(path)), (label, path)
            assert ad.test(path, method) == wad.test(path, method), (label, path)
        for endpoint, values, method in builds:
            for external in (False, True):
                expected = outcome(wad.build, endpoint, values, method, force_external=external)
                got = outcome(ad.build, endpoint, values, method, force_external=external)
                assert got == expected, (label, endpoint, values, method)
        for endpoint in ref._rules_by_endpoint:
            for names in ([], ["x"], ["id"], ["x", "page"], ["lang"]):
                assert m.is_endpoint_expecting(endpoint, *names) == ref.is_endpoint_expecting(
                    endpoint, *names
                )
        assert repr(m).replace("fastroute.routing.map.", "") == repr(ref).replace("werkzeug.routing.map.", "")


# --------------------------------------------------------------------------
# The issue's examples.


def test_werkzeug_submount_in_fastroute_map(core: t.Any) -> None:
    # It raised AttributeError: 'Rule' object has no attribute '_methods_set'.
    m = fr.Map([wz.Submount("/foo", [wz.Rule("/bar", endpoint="bar")])])
    ref = wz.Map([wz.Submount("/foo", [wz.Rule("/bar", endpoint="bar")])])
    assert m.bind("x").match("/foo/bar") == ref.bind("x").match("/foo/bar") == ("bar", {})
    assert m.bind("x").build("bar") == ref.bind("x").build("bar")
    (rule,) = m.iter_rules()
    assert type(rule) is wz.Rule and rule.map is m


def test_werkzeug_rule_with_variables(core: t.Any) -> None:
    m = fr.Map([wz.Rule("/u/<int:i>", endpoint="u", methods=["GET"])])
    ref = wz.Map([wz.Rule("/u/<int:i>", endpoint="u", methods=["GET"])])
    for path, method in [("/u/5", "GET"), ("/u/5", "POST"), ("/u/x", "GET"), ("/u/5/", "GET")]:
        assert outcome(m.bind("x").match, path, method) == outcome(ref.bind("x").match, path, method)
    assert m.bind("x").build("u", {"i": 7, "q": "a b"}) == ref.bind("x").build("u", {"i": 7, "q": "a b"})


def test_fastroute_rule_in_werkzeug_map_raises() -> None:
    # werkzeug's matcher matched it with no values: ('u', {}).
    with pytest.raises(TypeError, match=r"use werkzeug\.routing\.Rule .*fastroute\.routing\.Map"):
        wz.Map([fr.Rule("/u/<int:i>", endpoint="u")])
    m = wz.Map()
    for factory in (
        fr.Rule("/a", endpoint="a"),
        wz.Submount("/s", [fr.Rule("/a", endpoint="a")]),
        fr.Submount("/s", [fr.Rule("/a", endpoint="a")]),
    ):
        with pytest.raises(TypeError, match=r"fastroute\.routing\.Rule"):
            m.add(factory)
    assert list(m.iter_rules()) == []
    # fastroute's factories of werkzeug's rules are fine in werkzeug's map.
    m.add(fr.Submount("/s", [wz.Rule("/b/<int:i>", endpoint="b")]))
    assert m.bind("x").match("/s/b/3") == ("b", {"i": 3})


def test_fastroute_rule_class_with_werkzeug_map_in_flask() -> None:
    class App(flask.Flask):
        url_rule_class = fr.Rule

    with pytest.raises(TypeError, match=r"werkzeug\.routing\.Rule"):
        App(__name__)  # its static route is the first rule added
    app = App(__name__, static_folder=None)
    with pytest.raises(TypeError, match=r"werkzeug\.routing\.Rule"):
        app.add_url_rule("/u/<int:i>", "u", lambda i: str(i))


# --------------------------------------------------------------------------
# Mixed rule sets against werkzeug.


# The custom converters of the differential tests, built on werkzeug's
# BaseConverter (hex, even, slashy, lst, lower).
WZ_CONVERTERS = CONVERTERS[wz]


def mixed_entries(rmod: t.Any, other: t.Any, fmod: t.Any) -> list[t.Any]:
    """Every kind of factory, nested, with rules of both modules inside."""
    return [
        rmod.Rule("/", endpoint="index"),
        other.Rule("/about", endpoint="about", methods=["GET", "POST"]),
        rmod.Rule("/u/<int:id>", endpoint="user", methods=["GET"]),
        other.Rule("/u/<int:id>", endpoint="user_edit", methods=["PUT"]),
        rmod.Rule("/h/<hex:x>", endpoint="hex"),
        other.Rule("/e/<even:x>", endpoint="even"),
        rmod.Rule("/p/<slashy:x>/", endpoint="slashy"),
        other.Rule("/list/", endpoint="list", defaults={"page": 1}),
        rmod.Rule("/list/<int:page>", endpoint="list"),
        rmod.Rule("/old/<int:id>", endpoint="old", redirect_to="u/<id>"),
        other.Rule("/alias/<int:id>", endpoint="user", alias=True),
        rmod.Rule("/ws", endpoint="ws", websocket=True),
        fmod.Submount(
            "/api",
            [
                rmod.Rule("/v/<x>", endpoint="api_v"),
                other.Rule("/w/<path:rest>", endpoint="api_w"),
                fmod.EndpointPrefix(
                    "api.", [rmod.Rule("/e/<int:x>", endpoint="e"), other.Rule("/f", endpoint="f")]
                ),
            ],
        ),
        fmod.Subdomain(
            "<lang>",
            [rmod.Rule("/doc/<x>", endpoint="doc"), other.Rule("/doc", endpoint="doc_index")],
        ),
        fmod.RuleTemplate(
            [rmod.Rule("/$name/<int:x>", endpoint="$name"), other.Rule("/$name/", endpoint="${name}_list")]
        )(name="tpl"),
        other.Rule("/b/<x>", endpoint="bonly", build_only=True),
    ]


MIXED_PATHS = [
    (path, method)
    for path in [
        "/", "/about", "/u/5", "/u/x", "/h/ff", "/h/zz", "/e/4", "/e/3", "/p/ab/cd/", "/p/ab/cd",
        "/list/", "/list/1", "/list/2", "/list", "/old/3", "/alias/4", "/ws", "/api/v/1",
        "/api/w/a/b/c", "/api/e/3", "/api/f", "/doc", "/doc/x", "/tpl/3", "/tpl/", "/tpl", "/b/x",
        "//about", "/nope",
    ]
    for method in ["GET", "POST", "PUT", "HEAD", "DELETE"]
]  # fmt: skip

MIXED_BUILDS = [
    ("index", {}, None),
    ("about", {"q": "1"}, "POST"),
    ("user", {"id": 3}, None),
    ("user", {"id": 3}, "PUT"),
    ("user_edit", {"id": 3}, "PUT"),
    ("hex", {"x": 255}, None),
    ("even", {"x": 4}, None),
    ("slashy", {"x": "ab/cd"}, None),
    ("list", {}, None),
    ("list", {"page": 1}, None),
    ("list", {"page": 2}, None),
    ("api_v", {"x": "a b"}, None),
    ("api_w", {"rest": "a/b"}, None),
    ("api.e", {"x": 1}, None),
    ("api.f", {}, None),
    ("doc", {"lang": "de", "x": "y"}, None),
    ("doc_index", {"lang": "en"}, None),
    ("tpl", {"x": 2}, None),
    ("tpl_list", {}, None),
    ("bonly", {"x": "y"}, None),
    ("ws", {}, None),
    ("missing", {}, None),
    ("user", {}, None),
]


@pytest.mark.parametrize("mix", MIXES, ids=MIX_IDS)
def test_mixed_map(core: t.Any, mix: tuple[t.Any, t.Any, t.Any]) -> None:
    compare(mixed_entries, MIXED_PATHS, MIXED_BUILDS, mixes=[mix], converters=WZ_CONVERTERS)


def test_mixed_map_redirect_defaults_off(core: t.Any) -> None:
    compare(mixed_entries, MIXED_PATHS, MIXED_BUILDS, converters=WZ_CONVERTERS, redirect_defaults=False)


def test_mixed_map_strict_and_merge_slashes_off(core: t.Any) -> None:
    compare(
        mixed_entries,
        MIXED_PATHS,
        MIXED_BUILDS,
        converters=WZ_CONVERTERS,
        strict_slashes=False,
        merge_slashes=False,
    )


def test_mixed_host_matching(core: t.Any) -> None:
    def entries(rmod: t.Any, other: t.Any, fmod: t.Any) -> list[t.Any]:
        return [
            rmod.Rule("/", endpoint="index", host="example.com"),
            other.Rule("/", endpoint="api", host="api.example.com"),
            rmod.Rule("/u/<int:id>", endpoint="user", host="<sub>.example.com"),
            fmod.Submount("/s", [other.Rule("/<x>", endpoint="s", host="example.com")]),
        ]

    paths = [(p, "GET") for p in ["/", "/u/1", "/s/x", "/s/"]]
    builds = [
        ("index", {}, None),
        ("api", {}, None),
        ("user", {"id": 1, "sub": "a"}, None),
        ("s", {"x": 1}, None),
    ]
    for server in ("example.com", "api.example.com", "b.example.com"):
        compare(entries, paths, builds, server=server, host_matching=True)


def test_werkzeug_builtin_converter_classes(core: t.Any) -> None:
    # werkzeug's own built-in converter classes as the map's converters.
    def entries(rmod: t.Any, other: t.Any, fmod: t.Any) -> list[t.Any]:
        return [
            rmod.Rule("/i/<int(min=3, fixed_digits=2):x>", endpoint="i"),
            other.Rule("/f/<float(signed=True):x>", endpoint="f"),
            rmod.Rule("/s/<string(length=2):x>", endpoint="s"),
            other.Rule("/a/<any(red, blue):x>", endpoint="a"),
            rmod.Rule("/p/<path:x>", endpoint="p"),
            other.Rule("/id/<uuid:x>", endpoint="id"),
        ]

    paths = [
        (p, "GET")
        for p in ["/i/05", "/i/02", "/i/5", "/f/-1.5", "/f/1", "/s/ab", "/s/abc", "/a/red", "/a/x", "/p/a/b",
                  "/id/12345678-1234-1234-1234-123456789abc", "/id/x"]
    ]  # fmt: skip
    builds = [
        ("i", {"x": 7}, None),
        ("f", {"x": -2.5}, None),
        ("a", {"x": "red"}, None),
        ("p", {"x": "a/b"}, None),
    ]
    converters = dict(wz.Map.default_converters)
    compare(entries, paths, builds, converters=converters)


def test_werkzeug_rule_subclass_overrides(core: t.Any) -> None:
    """A werkzeug Rule subclass's overrides are what builds, orders and
    converts, in our map as in werkzeug's."""
    calls: dict[str, list[t.Any]] = {"wz": [], "fr": []}

    def subclass(tag: str) -> type:
        class Tagged(wz.Rule):
            def __init__(self, string: str, tag: str = "", **kwargs: t.Any) -> None:
                super().__init__(string, **kwargs)
                self.tag = tag

            def get_empty_kwargs(self) -> t.Mapping[str, t.Any]:
                return {**super().get_empty_kwargs(), "tag": self.tag}

            def get_converter(
                self, variable_name: str, converter_name: str, args: t.Any, kwargs: t.Any
            ) -> t.Any:
                calls[tag].append(("get_converter", variable_name, converter_name, args, dict(kwargs)))
                return super().get_converter(variable_name, converter_name, args, kwargs)

            def suitable_for(self, values: t.Mapping[str, t.Any], method: str | None = None) -> bool:
                calls[tag].append(("suitable_for", self.rule, sorted(values), method))
                return "skip" not in values and super().suitable_for(values, method)

            def build_compare_key(self) -> tuple[int, int, int]:
                return (0, len(self.arguments), 0)  # fewest arguments first

            def build(self, values: t.Mapping[str, t.Any], append_unknown: bool = True) -> t.Any:
                calls[tag].append(("build", self.rule, sorted(values), append_unknown))
                return super().build(values, append_unknown)

        return Tagged

    def entries(tag: str, fmod: t.Any) -> list[t.Any]:
        cls = subclass(tag)
        return [
            fmod.Submount(
                "/s", [cls("/a/<int:x>", tag="t", endpoint="a"), cls("/a/<int:x>/<y>", endpoint="a")]
            ),
            cls("/b", endpoint="b"),
        ]

    for fmod in (wz, fr):
        calls["wz"].clear()
        calls["fr"].clear()
        ref = wz.Map(entries("wz", wz))
        m = fr.Map(entries("fr", fmod))
        assert [r.tag for r in m.iter_rules()] == [r.tag for r in ref.iter_rules()]
        ad, wad = m.bind("h"), ref.bind("h")
        for values in ({"x": 1}, {"x": 1, "y": "z"}, {"x": 1, "skip": 1}, {}):
            assert outcome(ad.build, "a", values) == outcome(wad.build, "a", values)
        for path in ("/s/a/1", "/s/a/1/z", "/b"):
            assert outcome(ad.match, path) == outcome(wad.match, path)
        assert calls["fr"] == calls["wz"]


# --------------------------------------------------------------------------
# Flask apps that swap in fastroute's Map and still add werkzeug's rules.


class FastMapFlask(flask.Flask):
    url_map_class = cores.CurrentMap()  # fr.Map of the core under test


def _app(cls: type) -> t.Any:
    app = cls(__name__)
    # The old way (Flask's own test suite does this): werkzeug's objects
    # added to the url_map, views registered by endpoint.
    app.url_map.add(
        wz.Submount("/foo", [wz.Rule("/bar", endpoint="bar"), wz.Rule("/u/<int:i>", endpoint="u")])
    )
    app.url_map.add(wz.Rule("/post", endpoint="post", methods=["POST"]))
    # (app.url_for, not flask.url_for: fastroute.Flask's contexts are its own)
    app.view_functions["bar"] = lambda: "bar " + app.url_for("u", i=3)
    app.view_functions["u"] = lambda i: f"u {i!r}"
    app.view_functions["post"] = lambda: "posted"

    @app.route("/new/<int:n>")
    def new(n: int) -> str:
        return f"new {n} " + app.url_for("bar", _external=True)

    return app


APPS = {"fastroute.routing.Map": FastMapFlask, "fastroute.Flask": fastroute.Flask}
REQUESTS = [
    ("GET", "/foo/bar"), ("GET", "/foo/u/5"), ("GET", "/foo/u/x"), ("POST", "/foo/bar"), ("GET", "/post"),
    ("POST", "/post"), ("OPTIONS", "/post"), ("OPTIONS", "/foo/bar"), ("GET", "/new/2"), ("HEAD", "/foo/bar"),
]  # fmt: skip


@pytest.mark.parametrize("flavour", list(APPS))
def test_flask_app_with_werkzeug_rules(core: t.Any, flavour: str) -> None:
    expected_client = _app(flask.Flask).test_client()
    client = _app(APPS[flavour]).test_client()
    for method, path in REQUESTS:
        want = expected_client.open(path, method=method)
        got = client.open(path, method=method)
        assert (got.status_code, got.headers.get("Allow"), got.get_data()) == (
            want.status_code,
            want.headers.get("Allow"),
            want.get_data(),
        ), (method, path)
