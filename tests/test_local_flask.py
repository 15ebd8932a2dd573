"""fastroute's LocalProxy plugged into Flask 3.1 in place of werkzeug's.

Flask's globals (``request``, ``session``, ``g``, ``current_app``,
``request_ctx``, ``app_ctx``) are ``werkzeug.local.LocalProxy`` objects over
Flask's own ContextVars.  Here they are rebuilt from ``fastroute.local``'s
``LocalProxy`` (pure and compiled) over the same variables with the same
unbound messages, swapped into ``flask.globals`` and every Flask module that
imported them, and a small app must behave exactly as with werkzeug's
proxies: the same transcript of responses, hooks and errors.
"""

from __future__ import annotations

import importlib
import sys
import types
import typing as t

import pytest

flask = pytest.importorskip("flask")

import flask.globals as fg  # noqa: E402
import werkzeug.local as wl  # noqa: E402

from tests.support import cores  # noqa: E402

FLASK_MODULES = [
    "flask",
    "flask.app",
    "flask.blueprints",
    "flask.cli",
    "flask.ctx",
    "flask.debughelpers",
    "flask.globals",
    "flask.helpers",
    "flask.json",
    "flask.logging",
    "flask.sessions",
    "flask.templating",
    "flask.testing",
    "flask.views",
    "flask.wrappers",
]

# name in flask.globals -> (variable, attribute, unbound message), as Flask builds them
SPECS = {
    "app_ctx": (fg._cv_app, None, fg._no_app_msg),
    "current_app": (fg._cv_app, "app", fg._no_app_msg),
    "g": (fg._cv_app, "g", fg._no_app_msg),
    "request_ctx": (fg._cv_request, None, fg._no_req_msg),
    "request": (fg._cv_request, "request", fg._no_req_msg),
    "session": (fg._cv_request, "session", fg._no_req_msg),
}


@pytest.fixture(params=["werkzeug", "pure", "compiled"])
def proxies(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """Flask with its globals made by the given LocalProxy implementation."""
    if request.param == "werkzeug":
        return wl
    core = cores.local_core(request.param)
    for name in FLASK_MODULES:
        importlib.import_module(name)
    originals = {name: getattr(fg, name) for name in SPECS}
    for name, (var, attr, message) in SPECS.items():
        replacement = core.LocalProxy(var, attr, unbound_message=message)
        for module_name, module in list(sys.modules.items()):
            if module_name != "flask" and not module_name.startswith("flask."):
                continue
            for key, value in list(vars(module).items()):
                if value is originals[name]:
                    monkeypatch.setattr(module, key, replacement)
    return core


def _check_patched(core: types.ModuleType) -> None:
    for module_name, names in {
        "flask": ["request", "session", "g", "current_app"],
        "flask.app": ["request", "session", "g", "current_app", "request_ctx"],
        "flask.helpers": ["request", "session", "current_app", "request_ctx"],
        "flask.globals": list(SPECS),
    }.items():
        for name in names:
            assert type(getattr(sys.modules[module_name], name)) is core.LocalProxy, (module_name, name)


def _make_app(log: list[t.Any]) -> t.Any:
    app = flask.Flask("proxy_app")
    app.secret_key = "not a secret"
    app.config["GREETING"] = "hello"

    @app.before_request
    def before() -> t.Any:
        flask.g.user = flask.request.args.get("user", "anon")
        flask.g.setdefault("hits", 0)
        flask.g.hits += 1
        if flask.request.args.get("stop"):
            return "stopped by before_request"
        return None

    @app.after_request
    def after(response: t.Any) -> t.Any:
        response.headers["X-User"] = flask.g.user
        response.headers["X-Endpoint"] = str(flask.request.endpoint)
        return response

    @app.teardown_request
    def teardown(exc: t.Any) -> None:
        log.append(("teardown", flask.request.path, exc is None))

    @app.teardown_appcontext
    def teardown_app(exc: t.Any) -> None:
        log.append(("appctx", flask.g.get("user"), flask.current_app.name))

    @app.route("/")
    def index() -> t.Any:
        return {
            "method": flask.request.method,
            "args": flask.request.args.to_dict(flat=False),
            "path": flask.request.path,
            "user": flask.g.user,
            "hits": flask.g.hits,
            "has_user": "user" in flask.g,
            "g_get": flask.g.get("missing", "default"),
            "g_names": sorted(flask.g),
            "app": flask.current_app.name,
            "greeting": flask.current_app.config["GREETING"],
            "same_app": flask.current_app._get_current_object() is app,
            "is_request": isinstance(flask.request, flask.Request),
            "request_cls": flask.request.__class__.__name__,
            "url": flask.url_for("index", q="1", _external=True),
            "ctx_request": flask.globals.request_ctx.request is flask.request._get_current_object(),
            "app_ctx_app": flask.globals.app_ctx.app is app,
        }

    @app.route("/login", methods=["POST"])
    def login() -> t.Any:
        flask.session["name"] = flask.request.form["name"]
        flask.session.permanent = bool(flask.request.form.get("permanent"))
        return flask.redirect(flask.url_for("me"))

    @app.route("/me")
    def me() -> t.Any:
        return {
            "name": flask.session.get("name"),
            "keys": sorted(flask.session),
            "len": len(flask.session),
            "permanent": flask.session.permanent,
            "truthy": bool(flask.session),
        }

    @app.route("/logout")
    def logout() -> t.Any:
        flask.session.pop("name", None)
        flask.session.clear()
        return "bye"

    @app.route("/json", methods=["POST"])
    def echo_json() -> t.Any:
        data = flask.request.get_json()
        return flask.jsonify(echo=data, length=len(flask.request.data), is_json=flask.request.is_json)

    @app.route("/item/<int:item_id>")
    def item(item_id: int) -> t.Any:
        return f"{flask.request.view_args} {flask.request.url_rule} {item_id + 1}"

    @app.route("/teapot")
    def teapot() -> t.Any:
        flask.abort(418)

    @app.errorhandler(418)
    def handle_teapot(error: t.Any) -> t.Any:
        return f"teapot at {flask.request.path} for {flask.g.user}", 418

    @app.route("/fail")
    def fail() -> t.Any:
        raise KeyError("fail")

    @app.errorhandler(KeyError)
    def handle_key_error(error: t.Any) -> t.Any:
        return f"key error {error} in {flask.current_app.name}", 500

    @app.route("/template")
    def template() -> t.Any:
        return flask.render_template_string(
            "{{ request.args.x }}|{{ g.user }}|{{ session.get('name') }}|{{ config.GREETING }}|{{ url_for('index') }}"
        )

    @app.route("/stream")
    def stream() -> t.Any:
        @flask.stream_with_context
        def generate() -> t.Iterator[str]:
            yield "a="
            yield flask.request.args.get("a", "")
            yield f"|{flask.g.user}"

        return flask.Response(generate())

    @app.route("/copied")
    def copied() -> t.Any:
        @flask.copy_current_request_context
        def later() -> str:
            return f"{flask.request.path} {flask.session.get('name')}"

        return later()

    @app.route("/head-options", methods=["GET", "POST"])
    def head_options() -> t.Any:
        return flask.request.method

    return app


def _transcript(app: t.Any, log: list[t.Any]) -> list[t.Any]:
    out: list[t.Any] = []
    client = app.test_client()

    def record(response: t.Any) -> None:
        out.append(
            (
                response.status_code,
                response.get_data(as_text=True),
                response.headers.get("Content-Type"),
                response.headers.get("X-User"),
                response.headers.get("X-Endpoint"),
                response.headers.get("Location"),
                "session=" in response.headers.get("Set-Cookie", ""),
            )
        )

    record(client.get("/?user=ann&tag=a&tag=b"))
    record(client.get("/?stop=1"))
    record(client.post("/login", data={"name": "bob", "permanent": "1"}))
    record(client.get("/me"))
    record(client.get("/template?x=42"))
    record(client.get("/copied"))
    record(client.get("/logout"))
    record(client.get("/me"))
    record(client.post("/json", json={"a": [1, 2]}))
    record(client.get("/item/41"))
    record(client.get("/item/x"))
    record(client.get("/teapot?user=tea"))
    record(client.get("/fail"))
    record(client.get("/stream?a=1&user=st"))
    record(client.head("/head-options"))
    record(client.options("/head-options"))
    record(client.delete("/head-options"))
    out.append(list(log))
    return out


def _outside_contexts(app: t.Any) -> list[t.Any]:
    out: list[t.Any] = []
    for name in ("request", "session", "g", "current_app"):
        proxy = getattr(flask, name)
        out.append((name, repr(proxy), bool(proxy), proxy.__class__.__name__))
        try:
            _ = proxy.anything
        except RuntimeError as exc:
            out.append(str(exc))
    out.append((flask.has_request_context(), flask.has_app_context()))
    with app.app_context():
        flask.g.x = 1
        out.append(
            (flask.current_app.name, flask.g.x, flask.g.pop("x"), "x" in flask.g, flask.has_app_context())
        )
        out.append((repr(flask.request), bool(flask.request)))
        try:
            _ = flask.request.args
        except RuntimeError as exc:
            out.append(str(exc)[:40])
    with app.test_request_context("/?a=1", method="POST"):
        out.append((flask.request.args["a"], flask.request.method, repr(flask.request), flask.session.new))
        out.append((flask.request == flask.globals.request_ctx.request, hash(flask.current_app) == hash(app)))
    return out


def test_flask_app_behaves_the_same(proxies: types.ModuleType) -> None:
    if proxies is not wl:
        _check_patched(proxies)
    log: list[t.Any] = []
    app = _make_app(log)
    got = (_transcript(app, log), _outside_contexts(app))

    # the reference: the same app on Flask's own (werkzeug) proxies
    assert type(fg.__dict__["request"]) is (wl.LocalProxy if proxies is wl else proxies.LocalProxy)
    reference = _reference()
    assert got == reference


_REFERENCE: list[t.Any] = []


def _reference() -> t.Any:
    """The transcript with werkzeug's proxies (Flask as shipped), computed once."""
    if not _REFERENCE:
        current = {name: getattr(fg, name) for name in SPECS}
        assert all(type(p) is wl.LocalProxy for p in current.values()), "reference needs unpatched Flask"
        log: list[t.Any] = []
        app = _make_app(log)
        _REFERENCE.append((_transcript(app, log), _outside_contexts(app)))
    return _REFERENCE[0]


@pytest.fixture(autouse=True, scope="module")
def _reference_first() -> None:
    # compute the reference before any test patches Flask
    _reference()
