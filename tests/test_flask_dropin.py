"""fastroute.routing as a drop-in for werkzeug.routing inside real Flask apps.

A Flask user switches with::

    class FastFlask(Flask):
        url_map_class = fastroute.routing.Map
        url_rule_class = fastroute.routing.Rule

The central tests are differential: one app factory is built twice, once as
plain Flask (werkzeug's Map and Rule) and once as ``FastFlask``, the same
requests go through both test clients and the answers must be the same
(status, Location, Allow, Content-Type, Content-Length and body).  The other
tests state the expected answers explicitly, so a change that broke Flask and
fastroute alike would still be caught.

Every test that builds an app takes the ``core`` fixture, and builds the app
inside the test: the app's Map is of the core under test when it is constructed.
"""

from __future__ import annotations

import json
import uuid
import warnings
from dataclasses import dataclass, field
from typing import Any

import pytest
import werkzeug.routing
from flask import Blueprint, Flask, g, jsonify, request, url_for
from flask.cli import cli as flask_cli
from werkzeug.routing import BaseConverter as WerkzeugBaseConverter, BuildError, ValidationError

import fastroute.routing as fr
from tests.support import cores


class FastFlask(Flask):
    url_map_class = cores.CurrentMap()  # fr.Map of the core under test
    url_rule_class = fr.Rule


FLAVOURS = {"werkzeug": Flask, "fastroute": FastFlask}


# ---------------------------------------------------------------------------
# Custom converters, written against werkzeug's BaseConverter as a Flask user
# would write them.


class ListConverter(WerkzeugBaseConverter):
    """``<list:items>`` or ``<list(sep="+"):items>``: a separated list."""

    def __init__(self, map: Any, sep: str = ",") -> None:
        super().__init__(map)
        self.sep = sep

    def to_python(self, value: str) -> list[str]:
        return value.split(self.sep)

    def to_url(self, value: Any) -> str:
        return self.sep.join(WerkzeugBaseConverter.to_url(self, v) for v in value)


class RegexConverter(WerkzeugBaseConverter):
    """``<re("[a-z]{3}"):code>``: the argument is the regex."""

    def __init__(self, map: Any, pattern: str) -> None:
        super().__init__(map)
        self.regex = pattern


class EvenConverter(WerkzeugBaseConverter):
    """Even numbers only; odd ones fall through to the next rule."""

    regex = r"\d+"
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        if number % 2:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        if int(value) % 2:
            raise ValidationError()
        return str(int(value))


class SlugPathConverter(WerkzeugBaseConverter):
    """Lower-case words joined by slashes (not part-isolating: the regex has a slash)."""

    regex = r"[a-z]+(?:/[a-z]+)*"


class LowerConverter(werkzeug.routing.UnicodeConverter):
    """A subclass of a werkzeug built-in: lower-cases the value."""

    def to_python(self, value: str) -> str:
        return value.lower()


def _tenfold_converter(routing: Any) -> type:
    """A subclass of the flavour's own IntegerConverter with a new to_python."""

    class TenfoldConverter(routing.IntegerConverter):
        def to_python(self, value: str) -> int:
            return super().to_python(value) * 10

        def to_url(self, value: Any) -> str:
            return super().to_url(int(value) // 10)

    return TenfoldConverter


CUSTOM_CONVERTERS = {
    "list": ListConverter,
    "re": RegexConverter,
    "even": EvenConverter,
    "slugpath": SlugPathConverter,
    "lower": LowerConverter,
    # werkzeug's own built-in class registered under another name
    "wzint": werkzeug.routing.IntegerConverter,
}


# ---------------------------------------------------------------------------
# Views.  One echo view serves every endpoint; it reports what Flask saw.


def _describe(value: Any) -> str:
    return f"{type(value).__name__}:{value!r}"


def echo(**kwargs: Any) -> Any:
    rule = request.url_rule
    return jsonify(
        endpoint=request.endpoint,
        blueprint=request.blueprint,
        view_args={k: _describe(v) for k, v in sorted(request.view_args.items())},
        kwargs={k: _describe(v) for k, v in sorted(kwargs.items())},
        rule=rule.rule,
        rule_methods=sorted(rule.methods or ()),
        subdomain=rule.subdomain,
        host=rule.host,
        url=request.url,
        lang=g.get("lang"),
        method=request.method,
    )


def _try_url_for(*args: Any, **kwargs: Any) -> str:
    try:
        return url_for(*args, **kwargs)
    except Exception as e:  # the differential compares the error too
        return f"!{type(e).__name__}: {e}"


# Calls of url_for made inside a request to /urls, by name.
MAIN_URL_FOR_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "index": (("index",), {}),
    "user": (("user",), {"id": 42}),
    "user_external": (("user",), {"id": 42, "_external": True}),
    "user_scheme": (("user",), {"id": 42, "_scheme": "https", "_external": True}),
    "user_anchor": (("user",), {"id": 42, "_anchor": "top section/ü"}),
    "user_query": (("user",), {"id": 7, "q": "a b&c", "tags": ["x", "y"], "empty": None}),
    "user_bad_value": (("user",), {"id": "abc"}),
    "user_missing": (("user",), {}),
    "scheme_not_external": (("user",), {"id": 1, "_scheme": "https", "_external": False}),
    "signed": (("signed",), {"n": -5}),
    "ratio": (("ratio",), {"x": 2.5}),
    "files": (("files",), {"p": "a/b c/ü.txt"}),
    "uuid": (("by_uuid",), {"u": uuid.UUID("12345678-1234-5678-1234-567812345678")}),
    "any_ok": (("section",), {"name": "help"}),
    "any_bad": (("section",), {"name": "nope"}),
    "lang2": (("lang2",), {"code": "de"}),
    "item_get": (("item",), {"_method": "GET"}),
    "item_post": (("item",), {"_method": "POST"}),
    "item_put": (("item",), {"_method": "PUT"}),
    "only_post": (("only_post",), {"_method": "POST"}),
    "branch": (("branch",), {}),
    "pages_default": (("pages",), {}),
    "pages_1": (("pages",), {"n": 1}),
    "pages_3": (("pages",), {"n": 3}),
    "list": (("conv_list",), {"items": ["a", "b c", "d"]}),
    "list_plus": (("conv_list_plus",), {"items": ["1", "2"]}),
    "regex": (("conv_re",), {"code": "abc"}),
    "even": (("conv_even",), {"n": 4}),
    "even_odd": (("conv_even",), {"n": 3}),
    "slugpath": (("conv_slug",), {"s": "a/b/c"}),
    "static": (("static",), {"filename": "hello.txt"}),
    "static_nested": (("static",), {"filename": "sub/data.json", "v": "1"}),
    "admin": (("admin.index",), {}),
    "admin_user": (("admin.user",), {"uid": 3}),
    "nested": (("admin.reports.year",), {"year": 2024}),
    "nested_relative": ((".reports.year",), {"year": 1999}),
    "relative": ((".user",), {"uid": 9}),
    "year_relative": ((".year",), {"year": 1998}),
    "admin2_user": (("admin2.user",), {"uid": 3}),
    "i18n_page": (("i18n.page",), {"name": "x", "lang": "fr"}),
    "i18n_page_inherit": (("i18n.page",), {"name": "y"}),
    "ws": (("ws",), {}),
    "ws_scheme": (("ws",), {"_scheme": "https", "_external": True}),
    "unknown": (("no_such_endpoint",), {}),
    "about": (("about",), {}),
    "loose": (("loose",), {}),
    "lower": (("conv_lower",), {"word": "MiXed"}),
    "wzint": (("conv_wzint",), {"n": 7}),
    "wzint_too_big": (("conv_wzint",), {"n": 100}),
    "tenfold": (("conv_tenfold",), {"n": 50}),
    "paged_default": (("paged.list",), {}),
    "paged_1": (("paged.list",), {"page": 1}),
    "paged_4": (("paged.list",), {"page": 4}),
    "tenant_page": (("tenant_page",), {}),
    "tenant_page_explicit": (("tenant_page",), {"tenant": "other"}),
}


def urls_view(**kwargs: Any) -> Any:
    return jsonify({name: _try_url_for(*a, **kw) for name, (a, kw) in MAIN_URL_FOR_CALLS.items()})


def add(scaffold: Any, rule: str, endpoint: str, **options: Any) -> None:
    scaffold.add_url_rule(rule, endpoint, echo, **options)


def make_main_app(flask_cls: type[Flask], static_folder: str) -> Flask:
    """An app without SERVER_NAME: converters, methods, slashes, blueprints."""
    app = flask_cls("dropin_main", static_folder=static_folder, static_url_path="/static")
    app.url_map.converters.update(CUSTOM_CONVERTERS)
    routing = fr if issubclass(flask_cls, FastFlask) else werkzeug.routing
    app.url_map.converters["tenfold"] = _tenfold_converter(routing)

    add(app, "/", "index")
    add(app, "/users/<int:id>", "user")
    add(app, "/signed/<int(signed=True):n>", "signed")
    add(app, "/ratio/<float:x>", "ratio")
    add(app, "/files/<path:p>", "files")
    add(app, "/files/<path:p>/edit", "files_edit", methods=["GET", "POST"])
    add(app, "/uuid/<uuid:u>", "by_uuid")
    add(app, "/section/<any(about, help, 'a b'):name>", "section")
    add(app, "/lang/<string(length=2):code>", "lang2")
    add(app, "/text/<name>", "text")
    add(app, "/thing/<int:id>", "thing_get")
    add(app, "/thing/<name>", "thing_post", methods=["POST"])
    add(app, "/items", "item", methods=["GET", "POST"])
    add(app, "/items", "item_put", methods=["PUT"])
    add(app, "/only-post", "only_post", methods=["POST"])
    add(app, "/branch/", "branch")
    add(app, "/loose/", "loose", strict_slashes=False)
    add(app, "/deep/<a>/<b>/", "deep")
    add(app, "/café/", "cafe")
    add(app, "/pages/", "pages", defaults={"n": 1})
    add(app, "/pages/<int:n>", "pages")
    add(app, "/about", "about")
    add(app, "/about-us", "about", alias=True)
    app.add_url_rule("/old/<int:id>", "old", redirect_to="/users/<id>")
    app.add_url_rule("/legacy", "legacy", redirect_to=lambda adapter: "/about")
    add(app, "/ws", "ws", websocket=True)
    add(app, "/no-options", "no_options", provide_automatic_options=False)
    add(
        app,
        "/explicit-options",
        "explicit_options",
        methods=["GET", "OPTIONS"],
        provide_automatic_options=False,
    )
    add(app, "/conv/list/<list:items>", "conv_list")
    add(app, '/conv/plus/<list(sep="+"):items>', "conv_list_plus")
    add(app, '/conv/re/<re("[a-z]{3}"):code>', "conv_re")
    add(app, "/conv/num/<even:n>", "conv_even")
    add(app, "/conv/num/<n>", "conv_num")
    add(app, "/conv/slug/<slugpath:s>/end", "conv_slug")
    add(app, "/conv/lower/<lower:word>", "conv_lower")
    add(app, "/conv/wzint/<wzint(max=99):n>", "conv_wzint")
    add(app, "/conv/tenfold/<tenfold:n>", "conv_tenfold")
    app.add_url_rule("/urls", "urls", urls_view)

    admin = Blueprint("admin", "dropin_admin", url_prefix="/admin")
    add(admin, "/", "index")
    add(admin, "/users/<int:uid>", "user", methods=["GET", "DELETE"])
    reports = Blueprint("reports", "dropin_reports", url_prefix="/reports")
    add(reports, "/<int:year>", "year")
    admin.add_url_rule("/urls", "urls", urls_view)
    reports.add_url_rule("/<int:year>/urls", "urls", urls_view)
    admin.register_blueprint(reports)
    app.register_blueprint(admin)
    app.register_blueprint(admin, name="admin2", url_prefix="/admin2")

    i18n = Blueprint("i18n", "dropin_i18n", url_prefix="/<lang>")

    @i18n.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
        g.lang = (values or {}).pop("lang", None)

    @i18n.url_defaults
    def add_lang(endpoint: str, values: dict[str, Any]) -> None:
        if "lang" not in values and g.get("lang"):
            values["lang"] = g.lang

    add(i18n, "/page/<name>", "page")
    i18n.add_url_rule("/urls", "urls", urls_view)
    app.register_blueprint(i18n)

    # Blueprint registered with url_defaults: the defaults reach every rule.
    paged = Blueprint("paged", "dropin_paged")
    add(paged, "/", "list")
    add(paged, "/<int:page>", "list")
    app.register_blueprint(paged, url_prefix="/paged", url_defaults={"page": 1})

    # App-level value preprocessor / url defaults.
    @app.url_value_preprocessor
    def pull_tenant(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values is not None and "tenant" in values:
            g.tenant = values.pop("tenant")

    @app.url_defaults
    def add_tenant(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "tenant_page" and "tenant" not in values and g.get("tenant"):
            values["tenant"] = g.tenant

    add(app, "/t/<tenant>/page", "tenant_page")
    app.add_url_rule("/t/<tenant>/urls", "tenant_urls", urls_view)
    return app


def make_subdomain_app(flask_cls: type[Flask], static_folder: str) -> Flask:
    """SERVER_NAME with subdomain matching: fixed, dynamic and blueprint subdomains."""
    app = flask_cls(
        "dropin_sub", static_folder=static_folder, static_url_path="/static", subdomain_matching=True
    )
    app.config["SERVER_NAME"] = "example.com"
    add(app, "/", "index")
    add(app, "/branch/", "branch")
    add(app, "/", "api_index", subdomain="api")
    add(app, "/users/<int:id>", "api_user", subdomain="api")
    add(app, "/", "user_home", subdomain="<user>")
    add(app, "/posts/<int:pid>", "user_post", subdomain="<user>")
    docs = Blueprint("docs", "dropin_docs", subdomain="docs", url_prefix="/v1")
    add(docs, "/", "index")
    add(docs, "/<path:page>", "page")
    app.register_blueprint(docs)

    @app.route("/urls")
    def urls() -> Any:
        calls = {
            "index": (("index",), {}),
            "api_index": (("api_index",), {}),
            "api_user": (("api_user",), {"id": 5}),
            "user_home": (("user_home",), {"user": "bob"}),
            "user_post_https": (
                ("user_post",),
                {"user": "bob", "pid": 1, "_scheme": "https", "_external": True},
            ),
            "docs": (("docs.page",), {"page": "a/b"}),
            "static": (("static",), {"filename": "hello.txt"}),
            "index_external": (("index",), {"_external": True}),
        }
        return jsonify({k: _try_url_for(*a, **kw) for k, (a, kw) in calls.items()})

    return app


def make_host_app(flask_cls: type[Flask], static_folder: str) -> Flask:
    """Host matching with a static host and dynamic hosts."""
    app = flask_cls(
        "dropin_host",
        static_folder=static_folder,
        static_url_path="/static",
        host_matching=True,
        static_host="static.example.com",
    )
    add(app, "/", "main", host="example.com")
    add(app, "/branch/", "branch", host="example.com")
    add(app, "/", "tenant", host="<tenant>.example.org")
    add(app, "/u/<int:id>", "tenant_user", host="<tenant>.example.org", methods=["GET", "PATCH"])
    add(app, "/", "port", host="example.com:8080")

    @app.route("/urls", host="example.com")
    def urls() -> Any:
        calls = {
            "main": (("main",), {}),
            "tenant": (("tenant",), {"tenant": "acme"}),
            "tenant_user": (("tenant_user",), {"tenant": "acme", "id": 3, "x": "1"}),
            "static": (("static",), {"filename": "hello.txt"}),
            "port": (("port",), {}),
            "main_https": (("main",), {"_scheme": "https", "_external": True}),
        }
        return jsonify({k: _try_url_for(*a, **kw) for k, (a, kw) in calls.items()})

    return app


def make_options_app(flask_cls: type[Flask], static_folder: str) -> Flask:
    """Map options changed on app.url_map after the app (and its static rule) exist."""
    app = flask_cls("dropin_options", static_folder=static_folder, static_url_path="/static")
    app.url_map.strict_slashes = False
    app.url_map.merge_slashes = False
    app.url_map.redirect_defaults = False
    app.url_map.sort_parameters = True
    add(app, "/branch/", "branch")
    add(app, "/strict/", "strict", strict_slashes=True)
    add(app, "/leaf", "leaf")
    add(app, "/users/<int:id>", "user")
    add(app, "/pages/", "pages", defaults={"n": 1})
    add(app, "/pages/<int:n>", "pages")

    @app.route("/urls")
    def urls() -> Any:
        return jsonify(
            sorted_query=_try_url_for("user", id=1, z="1", a="2", m=["3", "0"]),
            pages_1=_try_url_for("pages", n=1),
        )

    return app


FACTORIES = {
    "main": make_main_app,
    "subdomain": make_subdomain_app,
    "host": make_host_app,
    "options": make_options_app,
}


@pytest.fixture
def static_dir(tmp_path: Any) -> str:
    folder = tmp_path / "static"
    (folder / "sub").mkdir(parents=True)
    (folder / "hello.txt").write_text("hello static\n")
    (folder / "sub" / "data.json").write_text('{"ok": true}\n')
    (folder / "space name.txt").write_text("spaced\n")
    (tmp_path / "secret.txt").write_text("do not serve\n")
    return str(folder)


# ---------------------------------------------------------------------------
# The differential part.


@dataclass(frozen=True)
class Req:
    path: str
    method: str = "GET"
    base_url: str = "http://localhost/"
    headers: tuple[tuple[str, str], ...] = ()
    path_info: str | None = None  # raw PATH_INFO override (for "//..." paths)
    data: bytes | None = None

    def label(self) -> str:
        host = self.base_url.split("//", 1)[1].rstrip("/")
        return f"{self.method} {host}{self.path_info or self.path}"


@dataclass
class Answer:
    status: int
    headers: dict[str, Any] = field(default_factory=dict)
    body: bytes = b""
    warnings: list[str] = field(default_factory=list)


def _send(app: Flask, req: Req) -> Answer:
    client = app.test_client()
    overrides = {"PATH_INFO": req.path_info} if req.path_info is not None else {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Not the request's: the garbage collector may run here and finalise
        # an earlier test's objects (CPython 3.13 warns of an unclosed SQLite
        # connection).
        warnings.simplefilter("ignore", ResourceWarning)
        response = client.open(
            req.path,
            method=req.method,
            base_url=req.base_url,
            headers=list(req.headers),
            environ_overrides=overrides,
            data=req.data,
        )
    allow = response.headers.get("Allow")
    return Answer(
        status=response.status_code,
        headers={
            "Location": response.headers.get("Location"),
            # werkzeug itself lists the methods in set order: compare as a set.
            "Allow": None if allow is None else sorted(m.strip() for m in allow.split(",")),
            "Content-Type": response.headers.get("Content-Type"),
            "Content-Length": response.headers.get("Content-Length"),
        },
        body=response.get_data(),
        warnings=[f"{w.category.__name__}: {w.message}" for w in caught],
    )


def _pair(factory_name: str, static_folder: str) -> tuple[Flask, Flask]:
    factory = FACTORIES[factory_name]
    reference = factory(FLAVOURS["werkzeug"], static_folder)
    candidate = factory(FLAVOURS["fastroute"], static_folder)
    assert isinstance(candidate.url_map, fr.Map)
    assert not isinstance(reference.url_map, fr.Map)
    return reference, candidate


LOCAL = "http://localhost/"
MAIN_REQUESTS = [
    Req("/"),
    Req("/", "HEAD"),
    Req("/", "OPTIONS"),
    Req("/", "POST"),
    Req("/missing"),
    Req("/users/42"),
    Req("/users/0042"),
    Req("/users/-1"),
    Req("/users/abc"),
    Req("/users/42/"),
    Req("/users/42", "DELETE"),
    Req("/users/" + "9" * 30),
    Req("/signed/-17"),
    Req("/signed/17"),
    Req("/ratio/2.5"),
    Req("/ratio/2"),
    Req("/files/a/b/c.txt"),
    Req("/files/a/b/c.txt/edit", "POST"),
    Req("/files/a/b/c.txt/edit", "PUT"),
    Req("/files/"),
    Req("/files/%C3%BC%20x"),
    Req("/files/a%2Fb"),
    Req("/uuid/12345678-1234-5678-1234-567812345678"),
    Req("/uuid/12345678-1234-5678-1234-56781234567Z"),
    Req("/section/help"),
    Req("/section/a%20b"),
    Req("/section/other"),
    Req("/lang/de"),
    Req("/lang/deu"),
    Req("/text/caf%C3%A9"),
    Req("/text/%00"),
    Req("/thing/5"),
    Req("/thing/5", "POST"),
    Req("/thing/abc"),
    Req("/thing/abc", "POST"),
    Req("/thing/abc", "OPTIONS"),
    Req("/items"),
    Req("/items", "POST"),
    Req("/items", "PUT"),
    Req("/items", "PATCH"),
    Req("/items", "OPTIONS"),
    Req("/items", "HEAD"),
    Req("/only-post"),
    Req("/only-post", "POST"),
    Req("/only-post", "OPTIONS"),
    Req("/only-post", "POST", data=b"x=1"),
    Req("/branch"),
    Req("/branch?x=1&y=%C3%A9"),
    Req("/branch", "POST"),
    Req("/branch", "HEAD"),
    Req("/branch/"),
    Req("/loose"),
    Req("/loose/"),
    Req("/deep/x/y"),
    Req("/deep/x/y/"),
    Req("/users//42"),
    Req("/users//42?q=1"),
    Req("/", path_info="//users///42"),
    Req("/", path_info="//branch"),
    Req("/", path_info="///"),
    Req("/files//a//b"),
    Req("/branch//"),
    Req("/pages/"),
    Req("/pages/1"),
    Req("/pages/2"),
    Req("/about"),
    Req("/about-us"),
    Req("/old/12"),
    Req("/legacy"),
    Req("/ws"),
    Req("/ws", headers=(("Connection", "Upgrade"), ("Upgrade", "websocket"))),
    Req("/no-options", "OPTIONS"),
    Req("/explicit-options", "OPTIONS"),
    Req("/conv/list/a,b,c"),
    Req("/conv/plus/1+2+3"),
    Req("/conv/re/abc"),
    Req("/conv/re/abcd"),
    Req("/conv/num/4"),
    Req("/conv/num/3"),
    Req("/conv/num/x"),
    Req("/conv/slug/a/b/c/end"),
    Req("/conv/slug/a/B/end"),
    Req("/conv/lower/MiXeD"),
    Req("/conv/wzint/42"),
    Req("/conv/wzint/420"),
    Req("/conv/tenfold/5"),
    Req("/conv/tenfold/x"),
    Req("/paged/"),
    Req("/paged/1"),
    Req("/paged/3"),
    Req("/paged"),
    Req("/t/acme/page"),
    Req("/t/acme/urls"),
    Req("/static/hello.txt"),
    Req("/static/hello.txt", "HEAD"),
    Req("/static/sub/data.json"),
    Req("/static/space%20name.txt"),
    Req("/static/missing.txt"),
    Req("/static/../secret.txt"),
    Req("/static/%2E%2E/secret.txt"),
    Req("/static/"),
    Req("/static"),
    Req("/static/hello.txt", "POST"),
    Req("/admin"),
    Req("/admin/"),
    Req("/admin/users/3"),
    Req("/admin/users/3", "DELETE"),
    Req("/admin/users/3", "PUT"),
    Req("/admin/reports/2024"),
    Req("/admin/reports/20x4"),
    Req("/admin2/users/3"),
    Req("/admin2/reports/2024"),
    Req("/de/page/hallo"),
    Req("/de/page/hallo/"),
    Req("/urls"),
    Req("/urls", base_url="https://secure.example.net:8443/app/"),
    Req("/admin/urls"),
    Req("/admin/reports/2000/urls"),
    Req("/fr/urls"),
    Req("/users/42", base_url="http://EXAMPLE.com:8080/"),
    Req("/branch", base_url="https://example.com/"),
    Req("/branch", base_url="http://localhost/mount/"),
    Req("/urls", base_url="http://localhost/mount/"),
    Req("/users/42", base_url="http://bücher.example/"),
    Req("/urls", base_url="http://bücher.example/"),
    Req("/caf%C3%A9"),
    Req("/caf%C3%A9/"),
    Req("/branch?a=%2F&b=+&c=%C3%A9&d"),
]

SUB_REQUESTS = [
    Req("/", base_url="http://example.com/"),
    Req("/branch", base_url="http://example.com/"),
    Req("/branch", base_url="http://api.example.com/"),
    Req("/", base_url="http://api.example.com/"),
    Req("/users/5", base_url="http://api.example.com/"),
    Req("/users/5", base_url="http://example.com/"),
    Req("/users/5", "POST", base_url="http://api.example.com/"),
    Req("/", base_url="http://alice.example.com/"),
    Req("/posts/9", base_url="http://alice.example.com/"),
    Req("/", base_url="http://a.b.example.com/"),
    Req("/v1/", base_url="http://docs.example.com/"),
    Req("/v1", base_url="http://docs.example.com/"),
    Req("/v1/x/y", base_url="http://docs.example.com/"),
    Req("/v1/x/y", base_url="http://example.com/"),
    Req("/static/hello.txt", base_url="http://example.com/"),
    Req("/static/hello.txt", base_url="http://api.example.com/"),
    Req("/urls", base_url="http://example.com/"),
    Req("/urls", base_url="https://example.com/"),
    Req("/", base_url="http://other.org/"),
    Req("/", base_url="http://example.com:80/"),
    Req("/", base_url="http://API.Example.COM/"),
    Req("/", base_url="http://api.example.com:8080/"),
    Req("/users/5", base_url="https://api.example.com:443/"),
    Req("/", base_url="http://example.com./"),
]

HOST_REQUESTS = [
    Req("/", base_url="http://example.com/"),
    Req("/", base_url="http://Example.COM/"),
    Req("/branch", base_url="http://example.com/"),
    Req("/", base_url="http://example.com:8080/"),
    Req("/", base_url="http://acme.example.org/"),
    Req("/u/3", base_url="http://acme.example.org/"),
    Req("/u/3", "PATCH", base_url="http://acme.example.org/"),
    Req("/u/3", "DELETE", base_url="http://acme.example.org/"),
    Req("/u/3", "OPTIONS", base_url="http://acme.example.org/"),
    Req("/u/3", base_url="http://example.com/"),
    Req("/", base_url="http://a.b.example.org/"),
    Req("/static/hello.txt", base_url="http://static.example.com/"),
    Req("/static/hello.txt", base_url="http://example.com/"),
    Req("/urls", base_url="http://example.com/"),
    Req("/urls", base_url="https://example.com/"),
    Req("/", base_url="http://nohost.net/"),
]

OPTIONS_REQUESTS = [
    Req("/branch"),
    Req("/branch/"),
    Req("/strict"),
    Req("/leaf/"),
    Req("/users//42"),
    Req("/static//hello.txt"),
    Req("/pages/1"),
    Req("/pages/"),
    Req("/urls"),
]

DIFF_CASES = (
    [pytest.param("main", r, id=f"main:{r.label()}") for r in MAIN_REQUESTS]
    + [pytest.param("subdomain", r, id=f"subdomain:{r.label()}") for r in SUB_REQUESTS]
    + [pytest.param("host", r, id=f"host:{r.label()}") for r in HOST_REQUESTS]
    + [pytest.param("options", r, id=f"options:{r.label()}") for r in OPTIONS_REQUESTS]
)


@pytest.mark.parametrize(("factory_name", "req"), DIFF_CASES)
def test_same_answer_as_werkzeug(core: Any, static_dir: str, factory_name: str, req: Req) -> None:
    reference, candidate = _pair(factory_name, static_dir)
    expected = _send(reference, req)
    got = _send(candidate, req)
    assert got.status == expected.status
    assert got.headers == expected.headers
    assert got.body == expected.body
    assert got.warnings == expected.warnings


@pytest.mark.parametrize("factory_name", sorted(FACTORIES))
@pytest.mark.parametrize(
    "args",
    [["routes"], ["routes", "--sort", "rule"], ["routes", "--sort", "methods"], ["routes", "--all-methods"]],
    ids=" ".join,
)
def test_flask_routes_output_identical(
    core: Any, static_dir: str, factory_name: str, args: list[str]
) -> None:
    outputs = []
    for app in _pair(factory_name, static_dir):
        # The built-in commands live on flask.cli.cli, not on app.cli.
        result = app.test_cli_runner().invoke(flask_cli, args=args)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert outputs[1] == outputs[0]
    assert outputs[1].count("\n") > 3


@pytest.mark.parametrize("factory_name", sorted(FACTORIES))
def test_url_map_listing_identical(core: Any, static_dir: str, factory_name: str) -> None:
    reference, candidate = _pair(factory_name, static_dir)

    def listing(app: Flask) -> list[tuple[Any, ...]]:
        return [
            (
                r.rule,
                r.endpoint,
                sorted(r.methods or ()),
                r.subdomain,
                r.host,
                r.defaults,
                sorted(r.arguments),
            )
            for r in app.url_map.iter_rules()
        ]

    assert listing(candidate) == listing(reference)
    assert repr(candidate.url_map) == repr(reference.url_map)


# ---------------------------------------------------------------------------
# Explicit expectations on the fastroute app.


@pytest.fixture
def main_app(core: Any, static_dir: str) -> Flask:
    return make_main_app(FastFlask, static_dir)


def _json(response: Any) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data())


def test_app_really_uses_fastroute(core: Any, main_app: Flask) -> None:
    assert type(main_app.url_map) is fr.Map
    assert main_app.url_map._core is core
    assert all(type(r) is fr.Rule for r in main_app.url_map.iter_rules())


def test_converters_and_request_attributes(main_app: Flask) -> None:
    seen = {}

    @main_app.after_request
    def record(response: Any) -> Any:
        seen["rule"] = request.url_rule
        seen["view_args"] = request.view_args
        seen["endpoint"] = request.endpoint
        return response

    client = main_app.test_client()
    data = _json(client.get("/users/42"))
    assert data["endpoint"] == "user"
    assert data["view_args"] == {"id": "int:42"}
    assert data["kwargs"] == {"id": "int:42"}
    assert data["rule"] == "/users/<int:id>"
    assert data["rule_methods"] == ["GET", "HEAD", "OPTIONS"]
    assert isinstance(seen["rule"], fr.Rule)
    assert seen["rule"].endpoint == "user"
    assert seen["view_args"] == {"id": 42}
    assert seen["endpoint"] == "user"

    assert _json(client.get("/signed/-17"))["view_args"] == {"n": "int:-17"}
    assert _json(client.get("/ratio/2.5"))["view_args"] == {"x": "float:2.5"}
    assert _json(client.get("/files/a/b/c.txt"))["view_args"] == {"p": "str:'a/b/c.txt'"}
    assert _json(client.get("/files/a/b/c.txt/edit"))["endpoint"] == "files_edit"
    assert _json(client.get("/uuid/12345678-1234-5678-1234-567812345678"))["view_args"] == {
        "u": "UUID:UUID('12345678-1234-5678-1234-567812345678')"
    }
    assert _json(client.get("/section/a%20b"))["view_args"] == {"name": "str:'a b'"}
    assert _json(client.get("/text/caf%C3%A9"))["view_args"] == {"name": "str:'café'"}
    assert client.get("/lang/deu").status_code == 404
    assert client.get("/users/abc").status_code == 404


def test_custom_werkzeug_converters(main_app: Flask) -> None:
    client = main_app.test_client()
    assert _json(client.get("/conv/list/a,b,c"))["view_args"] == {"items": "list:['a', 'b', 'c']"}
    assert _json(client.get("/conv/plus/1+2"))["view_args"] == {"items": "list:['1', '2']"}
    assert _json(client.get("/conv/re/abc"))["view_args"] == {"code": "str:'abc'"}
    assert client.get("/conv/re/abcd").status_code == 404
    even = _json(client.get("/conv/num/4"))
    assert (even["endpoint"], even["view_args"]) == ("conv_even", {"n": "int:4"})
    # werkzeug 3 does not fall through to the next rule on ValidationError.
    assert client.get("/conv/num/3").status_code == 404
    assert _json(client.get("/conv/num/x"))["endpoint"] == "conv_num"
    assert _json(client.get("/conv/slug/a/b/c/end"))["view_args"] == {"s": "str:'a/b/c'"}
    assert client.get("/conv/slug/a/B/end").status_code == 404
    assert _json(client.get("/conv/lower/MiXeD"))["view_args"] == {"word": "str:'mixed'"}
    assert _json(client.get("/conv/wzint/42"))["view_args"] == {"n": "int:42"}
    assert client.get("/conv/wzint/420").status_code == 404  # max=99
    # A subclass of fastroute's IntegerConverter keeps its own to_python.
    assert _json(client.get("/conv/tenfold/5"))["view_args"] == {"n": "int:50"}
    rule = next(main_app.url_map.iter_rules("conv_list"))
    assert isinstance(rule._converters["items"], ListConverter)


def test_url_for_inside_request(main_app: Flask) -> None:
    urls = _json(main_app.test_client().get("/urls"))
    assert urls["index"] == "/"
    assert urls["user"] == "/users/42"
    assert urls["user_external"] == "http://localhost/users/42"
    assert urls["user_scheme"] == "https://localhost/users/42"
    assert urls["user_anchor"] == "/users/42#top%20section/%C3%BC"
    assert urls["user_query"] == "/users/7?q=a+b%26c&tags=x&tags=y"
    assert urls["files"] == "/files/a/b%20c/%C3%BC.txt"
    assert urls["signed"] == "/signed/-5"
    assert urls["uuid"] == "/uuid/12345678-1234-5678-1234-567812345678"
    assert urls["item_get"] == "/items"
    assert urls["item_put"].startswith("!BuildError")  # PUT /items is another endpoint
    assert urls["only_post"] == "/only-post"
    assert urls["branch"] == "/branch/"
    assert urls["pages_default"] == "/pages/"
    assert urls["pages_1"] == "/pages/"
    assert urls["pages_3"] == "/pages/3"
    assert urls["list"] == "/conv/list/a,b%20c,d"
    assert urls["static"] == "/static/hello.txt"
    assert urls["static_nested"] == "/static/sub/data.json?v=1"
    assert urls["nested"] == "/admin/reports/2024"
    assert urls["admin2_user"] == "/admin2/users/3"
    assert urls["relative"].startswith("!BuildError: Could not build url for endpoint 'user'")
    assert urls["i18n_page"] == "/fr/page/x"
    assert urls["ws"] == "ws://localhost/ws"
    assert urls["ws_scheme"] == "wss://localhost/ws"
    assert urls["about"] == "/about"
    assert urls["even_odd"].startswith("!BuildError")
    assert urls["user_missing"].startswith("!BuildError")
    assert urls["unknown"].startswith("!BuildError")
    assert urls["any_bad"].startswith("!ValueError")
    assert urls["scheme_not_external"].startswith("!ValueError")


def test_url_for_in_blueprints(main_app: Flask) -> None:
    client = main_app.test_client()
    admin = _json(client.get("/admin/urls"))
    assert admin["relative"] == "/admin/users/9"
    assert admin["nested_relative"] == "/admin/reports/1999"
    reports = _json(client.get("/admin/reports/2000/urls"))
    assert reports["year_relative"] == "/admin/reports/1998"
    assert reports["nested_relative"].startswith("!BuildError")  # admin.reports.reports.year
    i18n = _json(client.get("/de/urls"))
    assert i18n["i18n_page_inherit"] == "/de/page/y"  # url_defaults from g.lang
    assert i18n["i18n_page"] == "/fr/page/x"
    # register_blueprint(url_defaults=...) and app-level preprocessor/defaults
    assert _json(client.get("/paged/"))["view_args"] == {"page": "int:1"}
    assert client.get("/paged/3").headers["Location"] == "http://localhost/paged/"
    tenant = _json(client.get("/t/acme/urls"))
    assert (tenant["tenant_page"], tenant["tenant_page_explicit"]) == ("/t/acme/page", "/t/other/page")
    assert tenant["tenfold"] == "/conv/tenfold/5"
    page = _json(client.get("/de/page/hallo"))
    assert page["lang"] == "de"
    assert page["view_args"] == {"name": "str:'hallo'"}  # the preprocessor popped lang


def test_url_for_outside_request_with_server_name(core: Any, static_dir: str) -> None:
    results = {}
    for flavour, cls in FLAVOURS.items():
        app = make_main_app(cls, static_dir)
        app.config.update(
            SERVER_NAME="example.com:8080", APPLICATION_ROOT="/approot", PREFERRED_URL_SCHEME="https"
        )
        with app.app_context():
            results[flavour] = {name: _try_url_for(*a, **kw) for name, (a, kw) in MAIN_URL_FOR_CALLS.items()}
            results[flavour]["relative_ctx"] = _try_url_for("user", id=1, _external=False)
    got = results["fastroute"]
    assert got == results["werkzeug"]
    assert got["user"] == "https://example.com:8080/approot/users/42"
    assert got["user_scheme"] == "https://example.com:8080/approot/users/42"
    assert got["relative_ctx"] == "/approot/users/1"
    assert got["ws"] == "wss://example.com:8080/approot/ws"


def test_url_for_outside_request_without_server_name(main_app: Flask) -> None:
    with main_app.app_context(), pytest.raises(RuntimeError, match="SERVER_NAME"):
        url_for("index")


def test_url_for_build_error_is_werkzeugs(main_app: Flask) -> None:
    with main_app.test_request_context("/"):
        with pytest.raises(BuildError) as info:
            url_for("user")
        assert "Did you forget to specify values ['id']?" in str(info.value)
        with pytest.raises(BuildError, match="Did you mean 'user' instead"):
            url_for("usr", id=1)


def test_redirects(main_app: Flask) -> None:
    client = main_app.test_client()
    for path, location in [
        ("/branch", "http://localhost/branch/"),
        ("/branch?x=1", "http://localhost/branch/?x=1"),
        ("/users//42", "http://localhost/users/42"),
        ("/pages/1", "http://localhost/pages/"),
        ("/about-us", "http://localhost/about"),
        ("/old/12", "http://localhost/users/12"),
        ("/legacy", "http://localhost/about"),
    ]:
        response = client.get(path)
        assert (path, response.status_code, response.headers["Location"]) == (path, 308, location)
    response = client.get("/", environ_overrides={"PATH_INFO": "//branch"})
    assert (response.status_code, response.headers["Location"]) == (308, "http://localhost/branch/")
    assert client.post("/branch").status_code == 404  # no rule takes POST there
    assert client.get("/loose").status_code == 200
    assert client.get("/users/42/").status_code == 404


def test_404_405_options_head(main_app: Flask) -> None:
    client = main_app.test_client()
    assert client.get("/missing").status_code == 404
    response = client.put("/items")
    assert response.status_code == 200
    response = client.patch("/items")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST", "PUT"}
    response = client.get("/only-post")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    response = client.options("/items")
    assert response.status_code == 200
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST", "PUT"}
    assert response.get_data() == b""
    response = client.head("/users/42")
    assert response.status_code == 200
    assert response.get_data() == b""
    assert int(response.headers["Content-Length"]) > 0
    response = client.get("/thing/abc")  # only the POST rule takes a non-int
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    assert client.options("/no-options").status_code == 405
    assert client.get("/ws").status_code == 400  # WebsocketMismatch


def test_static_route(main_app: Flask) -> None:
    client = main_app.test_client()
    response = client.get("/static/hello.txt")
    assert response.status_code == 200
    assert response.get_data() == b"hello static\n"
    assert response.mimetype == "text/plain"
    response.close()
    response = client.get("/static/sub/data.json")
    assert response.get_json() == {"ok": True}
    response.close()
    assert client.get("/static/missing.txt").status_code == 404
    assert client.get("/static/../secret.txt").status_code == 404
    static_rule = next(main_app.url_map.iter_rules("static"))
    assert static_rule.rule == "/static/<path:filename>"
    assert isinstance(static_rule, fr.Rule)


def test_subdomain_matching(core: Any, static_dir: str) -> None:
    app = make_subdomain_app(FastFlask, static_dir)
    client = app.test_client()
    assert _json(client.get("/", base_url="http://example.com/"))["endpoint"] == "index"
    assert _json(client.get("/", base_url="http://api.example.com/"))["endpoint"] == "api_index"
    data = _json(client.get("/users/5", base_url="http://api.example.com/"))
    assert (data["endpoint"], data["view_args"], data["subdomain"]) == ("api_user", {"id": "int:5"}, "api")
    data = _json(client.get("/", base_url="http://alice.example.com/"))
    assert (data["endpoint"], data["view_args"]) == ("user_home", {"user": "str:'alice'"})
    data = _json(client.get("/v1/x/y", base_url="http://docs.example.com/"))
    assert (data["endpoint"], data["blueprint"]) == ("docs.page", "docs")
    assert client.get("/users/5", base_url="http://example.com/").status_code == 404
    response = client.get("/branch", base_url="http://example.com/")
    assert response.headers["Location"] == "http://example.com/branch/"
    with pytest.warns(UserWarning, match="doesn't match configured server name"):
        other = client.get("/", base_url="http://other.org/")
    # werkzeug gives the subdomain "<invalid>", which the "<user>" rule takes.
    assert _json(other)["view_args"] == {"user": "str:'<invalid>'"}
    with pytest.warns(UserWarning, match="doesn't match configured server name"):
        assert client.get("/users/5", base_url="http://other.org/").status_code == 404
    urls = _json(client.get("/urls", base_url="http://example.com/"))
    assert urls["index"] == "/"
    assert urls["api_user"] == "http://api.example.com/users/5"
    assert urls["user_home"] == "http://bob.example.com/"
    assert urls["user_post_https"] == "https://bob.example.com/posts/1"
    assert urls["docs"] == "http://docs.example.com/v1/a/b"
    with app.app_context():
        assert url_for("api_user", id=1) == "http://api.example.com/users/1"
        assert url_for("index") == "http://example.com/"


def test_host_matching(core: Any, static_dir: str) -> None:
    app = make_host_app(FastFlask, static_dir)
    assert app.url_map.host_matching
    client = app.test_client()
    assert _json(client.get("/", base_url="http://example.com/"))["endpoint"] == "main"
    data = _json(client.get("/u/3", base_url="http://acme.example.org/"))
    assert (data["endpoint"], data["view_args"], data["host"]) == (
        "tenant_user",
        {"id": "int:3", "tenant": "str:'acme'"},
        "<tenant>.example.org",
    )
    assert _json(client.get("/", base_url="http://example.com:8080/"))["endpoint"] == "port"
    response = client.get("/static/hello.txt", base_url="http://static.example.com/")
    assert response.get_data() == b"hello static\n"
    response.close()
    assert client.get("/static/hello.txt", base_url="http://example.com/").status_code == 404
    assert client.get("/", base_url="http://nohost.net/").status_code == 404
    urls = _json(client.get("/urls", base_url="http://example.com/"))
    assert urls["main"] == "/"
    assert urls["tenant"] == "http://acme.example.org/"
    assert urls["tenant_user"] == "http://acme.example.org/u/3?x=1"
    assert urls["static"] == "http://static.example.com/static/hello.txt"
    assert urls["port"] == "http://example.com:8080/"


def test_flask_routes_command(core: Any, static_dir: str) -> None:
    app = make_subdomain_app(FastFlask, static_dir)
    result = app.test_cli_runner().invoke(flask_cli, args=["routes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["Endpoint", "Methods", "Subdomain", "Rule"]
    assert any(line.split() == ["api_user", "GET", "api", "/users/<int:id>"] for line in lines)
    assert any(line.split() == ["docs.page", "GET", "docs", "/v1/<path:page>"] for line in lines)


def test_map_set_on_instance_before_routes(core: Any) -> None:
    """The other way to switch: replace the map on a fresh app, then add routes."""
    app = Flask("dropin_instance", static_folder=None)
    app.url_map = fr.Map()
    app.url_rule_class = fr.Rule
    add(app, "/a/<int:n>", "a")
    assert _json(app.test_client().get("/a/3"))["view_args"] == {"n": "int:3"}
    assert isinstance(next(app.url_map.iter_rules()), fr.Rule)
