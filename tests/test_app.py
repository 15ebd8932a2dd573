"""``fastroute.Flask`` against ``flask.Flask``: the same app code, the same answers.

Each scenario is an app factory taking the Flask class and a list of requests;
``appcompare.assert_same_answers`` builds the app on both classes and compares
status, headers (not ``Date``), body, cookies and what hooks and signals
logged, request by request.  The scenarios cover what fastroute's router
decides (matching, methods, redirects, ``url_for``, subdomains and hosts,
``SCRIPT_NAME``) and what runs around it (hooks, error handlers, blueprints,
views, sessions, templates, signals).  The module also checks what is
fastroute's own: the package's lazy app layer and the context proxies.
Flask 3.1.3's own suite runs against ``fastroute.Flask`` in
``test_flask_suite.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import typing as t
from pathlib import Path

import flask
import flask.globals
import flask.views
import pytest
import werkzeug.local
import werkzeug.routing
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

import fastroute
import fastroute.routing as fr
from tests.support.appcompare import assert_same_answers, get, req

App = t.Any  # either class's app


# -- routing ------------------------------------------------------------------------


def routing_app(cls: type[flask.Flask]) -> App:
    app = cls("routing")

    @app.route("/")
    def index() -> str:
        return "index"

    @app.route("/users/<int:uid>/posts/<slug>", methods=["GET", "POST"])
    def post(uid: int, slug: str) -> t.Any:
        return {"uid": uid, "slug": slug, "method": flask.request.method}

    @app.route("/files/<path:name>")
    def files(name: str) -> str:
        return name

    @app.route("/branch/")
    def branch() -> str:
        return "branch"

    @app.route("/leaf", strict_slashes=False)
    def leaf() -> str:
        return "leaf"

    @app.route("/pages/", defaults={"n": 1})
    @app.route("/pages/<int:n>")
    def pages(n: int) -> str:
        return f"page {n}"

    @app.route("/float/<float:x>/<uuid:u>/<any(a,b):c>")
    def typed(x: float, u: t.Any, c: str) -> str:
        return f"{x!r} {u} {c}"

    app.add_url_rule("/old/<int:n>", "old", redirect_to="/pages/<n>")
    app.add_url_rule("/r", "only_post", lambda: "posted", methods=["POST"])
    app.add_url_rule("/no-options", "no_options", lambda: "no", provide_automatic_options=False)
    app.add_url_rule("/custom-options", "custom_options", lambda: "mine " + flask.request.method,
                     methods=["GET", "OPTIONS"])  # fmt: skip
    for verb in ("get", "post", "put", "patch", "delete"):
        getattr(app, verb)(f"/verb/{verb}", endpoint=f"verb_{verb}")(lambda verb=verb: verb)
    return app


ROUTING_REQUESTS = [
    get("/"),
    get("/users/7/posts/hi%20there"),
    req("POST", "/users/7/posts/x"),
    req("DELETE", "/users/7/posts/x"),
    req("HEAD", "/users/7/posts/x"),
    req("OPTIONS", "/users/7/posts/x"),
    get("/users/x/posts/y"),
    get("/files/a/b/c.txt"),
    get("/branch"),
    get("/branch?q=1&q=2"),
    get("/leaf/"),
    get("/leaf"),
    get("/pages/"),
    get("/pages/1"),
    get("/pages/2"),
    get("/float/1.5/12345678-1234-5678-1234-567812345678/b"),
    get("/float/1/12345678-1234-5678-1234-567812345678/b"),
    get("/old/3"),
    get("/r"),
    req("POST", "/r"),
    req("OPTIONS", "/r"),
    req("OPTIONS", "/no-options"),
    req("HEAD", "/no-options"),
    req("OPTIONS", "/custom-options"),
    get("/users//7/posts/x"),
    get("/missing"),
    get("/%zz"),
    get("/caf%C3%A9"),
    *(
        req(verb, f"/verb/{name}")
        for name in ("get", "post", "put", "patch", "delete")
        for verb in ("GET", "POST", "PUT", "PATCH", "DELETE")
    ),
    get("/", base_url="http://example.com/mount"),
    get("/branch", base_url="http://example.com/mount"),
    get("/", headers={"Host": "Example.COM:8080"}),
    get("/", environ_overrides={"PATH_INFO": ""}),
]


def test_routing() -> None:
    assert_same_answers(routing_app, ROUTING_REQUESTS)


def test_routing_with_config() -> None:
    # The answers change with these settings; fastroute must change them alike.
    def factory(cls: type[flask.Flask]) -> App:
        app = routing_app(cls)
        app.url_map.strict_slashes = False
        app.url_map.merge_slashes = False
        app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
        return app

    assert_same_answers(factory, ROUTING_REQUESTS)


def test_debug_mode_routing() -> None:
    # Flask's raise_routing_exception looks at the redirect's code in debug mode.
    def factory(cls: type[flask.Flask]) -> App:
        app = cls("debug")
        app.debug = True
        app.add_url_rule("/form/", "form", lambda: "ok", methods=["POST"])
        return app

    theirs = assert_same_answers(factory, [req("POST", "/form", data={"a": "1"}), req("POST", "/form/"),
                                           get("/form/"), get("/nothing")])  # fmt: skip
    assert [a[2] for a in theirs] == [
        "308 PERMANENT REDIRECT",
        "200 OK",
        "405 METHOD NOT ALLOWED",
        "404 NOT FOUND",
    ]


# -- url_for, subdomains, hosts, SERVER_NAME -----------------------------------------


def url_app(cls: type[flask.Flask], **config: t.Any) -> App:
    app = cls("urls", subdomain_matching=config.pop("subdomain_matching", False),
              host_matching=config.pop("host_matching", False),
              static_host=config.pop("static_host", None))  # fmt: skip
    app.config.update(config)
    host_matching = app.url_map.host_matching

    @app.route("/u/<int:n>", **({"host": "api.example.com"} if host_matching else {}))
    def user(n: int) -> t.Any:
        f = flask.url_for
        return {
            "plain": f("user", n=n),
            "external": f("user", n=n, _external=True),
            "anchor": f("user", n=n, _anchor="a b", q=["x", "y"]),
            "scheme": f("user", n=n, _scheme="https", _external=True),
            "static": f("static", filename="x/y.css"),
            "method": f("user", n=n, _method="GET"),
            "bp": f("bp.thing", tid=n),
            "sub": f("bp.sub", _external=True),
        }

    @app.route("/bad-build")
    def bad_build() -> str:
        return flask.url_for("nope", x=1)

    bp = flask.Blueprint("bp", __name__, url_prefix="/bp")

    @bp.route("/things/<int:tid>")
    def thing(tid: int) -> str:
        return flask.url_for(".thing", tid=tid + 1)

    if host_matching:
        bp.add_url_rule("/sub", "sub", lambda: flask.request.host, host="sub.example.com")
    else:
        bp.add_url_rule("/sub", "sub", lambda: flask.request.host, subdomain="sub")
    app.register_blueprint(bp)
    app.url_build_error_handlers.append(lambda error, endpoint, values: f"/fallback/{endpoint}")
    return app


URL_REQUESTS = [
    get("/u/3"),
    get("/u/3", base_url="https://example.com:8443/root"),
    get("/u/3", headers={"Host": "api.example.com"}),
    get("/u/3", headers={"Host": "sub.example.com"}),
    get("/u/3", headers={"Host": "other.test"}),
    get("/bp/things/4"),
    get("/bp/sub"),
    get("/bp/sub", headers={"Host": "sub.example.com"}),
    get("/bp/sub", headers={"Host": "SUB.Example.com"}),
    get("/bad-build"),
    get("/static/missing.css"),
]


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"SERVER_NAME": "example.com"},
        {"SERVER_NAME": "example.com", "subdomain_matching": True},
        {"SERVER_NAME": "example.com:80", "subdomain_matching": True, "APPLICATION_ROOT": "/app"},
        {"host_matching": True, "static_host": "static.example.com"},
        {"host_matching": True, "static_host": "static.example.com", "SERVER_NAME": "example.com"},
        {"TRUSTED_HOSTS": ["example.com", ".example.com"]},
        {"PREFERRED_URL_SCHEME": "https", "SERVER_NAME": "example.com"},
    ],
    ids=repr,
)
def test_url_for_subdomains_and_hosts(config: dict[str, t.Any]) -> None:
    assert_same_answers(lambda cls: url_app(cls, **dict(config)), URL_REQUESTS)


@pytest.mark.parametrize("server_name", [None, "example.com", "example.com:8080"])
def test_url_for_outside_a_request(server_name: str | None) -> None:
    def built(cls: type[flask.Flask]) -> list[t.Any]:
        app = url_app(cls, SERVER_NAME=server_name, APPLICATION_ROOT="/root", PREFERRED_URL_SCHEME="https")
        out: list[t.Any] = []
        with app.app_context():
            for endpoint, values in [("user", {"n": 1}), ("bp.thing", {"tid": 2}), ("nope", {}),
                                     ("bp.sub", {}), ("static", {"filename": "a"})]:  # fmt: skip
                try:
                    out.append(flask.url_for(endpoint, **values))
                except Exception as e:  # the same error, as text
                    out.append((type(e).__name__, str(e)))
        with app.test_request_context("/u/5", base_url="http://h.example.com/x"):
            out.append(flask.url_for("user", n=9, _external=True))
            out.append(flask.request.url_rule.rule if flask.request.url_rule else None)
            out.append(flask.request.view_args)
        return out

    assert built(fastroute.Flask) == built(flask.Flask)


# -- hooks, error handlers, blueprints, views ----------------------------------------


class Teapot(HTTPException):
    code = 418
    description = "short and stout"


def hooks_app(cls: type[flask.Flask]) -> App:
    app = cls("hooks")
    log: list[str] = []
    app.extensions["log"] = log

    @app.url_value_preprocessor
    def pull(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        log.append(f"preprocess {endpoint} {sorted(values or {})}")

    @app.url_defaults
    def add_lang(endpoint: str, values: dict[str, t.Any]) -> None:
        if "lang" in values or not app.url_map.is_endpoint_expecting(endpoint, "lang"):
            return
        values["lang"] = flask.g.get("lang", "en")

    @app.before_request
    def before() -> t.Any:
        log.append(f"before {flask.request.path}")
        if flask.request.args.get("stop"):
            return "stopped by before_request", 203
        return None

    @app.after_request
    def after(response: flask.Response) -> flask.Response:
        log.append(f"after {response.status_code}")
        response.headers["X-After"] = "1"
        return response

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        log.append(f"teardown {type(exc).__name__ if exc else None}")

    @app.teardown_appcontext
    def teardown_app(exc: BaseException | None) -> None:
        log.append("teardown app")

    @app.errorhandler(404)
    def not_found(e: HTTPException) -> t.Any:
        return {"not found": flask.request.path, "description": e.description}, 404

    @app.errorhandler(Teapot)
    def teapot(e: Teapot) -> t.Any:
        return f"teapot {e.description}", e.code

    @app.errorhandler(KeyError)
    def key_error(e: KeyError) -> t.Any:
        return {"key": str(e.args[0])}, 400

    @app.route("/ok")
    def ok() -> t.Any:
        flask.g.lang = "fr"

        @flask.after_this_request
        def tag(response: flask.Response) -> flask.Response:
            response.headers["X-This"] = "yes"
            return response

        return {"link": flask.url_for("bp.lang", page="p")}

    @app.route("/abort/<int:code>")
    def aborting(code: int) -> t.Any:
        flask.abort(code)

    @app.route("/abort-desc")
    def abort_desc() -> t.Any:
        flask.abort(422, description={"field": ["bad"]})

    @app.route("/abort-markup")
    def abort_markup() -> t.Any:
        flask.abort(400, description=Markup("<b>bold</b>"))

    @app.route("/abort-response")
    def abort_response() -> t.Any:
        flask.abort(flask.make_response(("custom", 299, {"X-C": "1"})))

    @app.route("/teapot/<int:code>")
    def teapot_view(code: int) -> t.Any:
        e = Teapot()
        e.code = code  # a per-instance code
        raise e

    @app.route("/key")
    def key() -> t.Any:
        raise KeyError("k")

    @app.route("/crash")
    def crash() -> t.Any:
        raise RuntimeError("crash")

    @app.route("/none")
    def none() -> t.Any:
        return None

    @app.route("/tuple")
    def tuples() -> t.Any:
        return "body", 201, [("X-A", "1"), ("X-A", "2")]

    @app.route("/redirect")
    def redirecting() -> t.Any:
        return flask.redirect(flask.url_for("ok"), 303)

    @app.route("/list")
    def listing() -> t.Any:
        return [1, "two", None]

    @app.route("/generator")
    def generating() -> t.Any:
        def gen() -> t.Iterator[str]:
            yield flask.request.path
            yield "!"

        return flask.stream_with_context(gen())

    bp = flask.Blueprint("bp", __name__, url_prefix="/<lang>/bp")

    @bp.url_value_preprocessor
    def bp_pull(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        flask.g.lang = (values or {}).pop("lang", None)

    @bp.before_request
    def bp_before() -> None:
        log.append(f"bp before {flask.g.lang}")

    @bp.after_request
    def bp_after(response: flask.Response) -> flask.Response:
        log.append("bp after")
        return response

    @bp.errorhandler(404)
    def bp_not_found(e: HTTPException) -> t.Any:
        return "bp not found", 404

    @bp.route("/<page>")
    def lang(page: str) -> t.Any:
        if page == "missing":
            flask.abort(404)
        return {"lang": flask.g.lang, "page": page, "self": flask.url_for(".lang", page=page)}

    child = flask.Blueprint("child", __name__, url_prefix="/child")
    child.add_url_rule("/c", "c", lambda: flask.request.blueprint or "")

    @child.before_request
    def child_before() -> None:
        log.append(f"child before {flask.request.blueprints}")

    bp.register_blueprint(child)
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again", url_prefix="/again/<lang>")

    class Hello(flask.views.View):
        methods = ["GET", "POST"]

        def __init__(self, greeting: str) -> None:
            self.greeting = greeting

        def dispatch_request(self, name: str) -> str:
            return f"{self.greeting} {name} {flask.request.method}"

    class Counter(flask.views.MethodView):
        init_every_request = False

        def __init__(self) -> None:
            self.n = 0

        def get(self) -> t.Any:
            self.n += 1
            return {"n": self.n}

        def put(self) -> t.Any:
            return {"put": flask.request.get_json()}

    app.add_url_rule("/hello/<name>", view_func=Hello.as_view("hello", "hi"))
    app.add_url_rule("/counter", view_func=Counter.as_view("counter"))
    return app


HOOK_REQUESTS = [
    get("/ok"),
    get("/ok?stop=1"),
    get("/abort/404"),
    get("/abort/410"),
    get("/abort/405"),
    get("/abort-desc"),
    get("/abort-markup"),
    get("/abort-response"),
    get("/teapot/418"),
    get("/teapot/429"),
    get("/teapot/400"),
    get("/key"),
    get("/crash"),
    get("/none"),
    get("/tuple"),
    get("/redirect"),
    get("/list"),
    get("/generator"),
    get("/missing"),
    get("/de/bp/home"),
    get("/de/bp/missing"),
    get("/de/bp/child/c"),
    get("/again/it/home"),
    get("/again/it/child/c"),
    req("POST", "/ok"),
    get("/hello/bob"),
    req("POST", "/hello/bob"),
    req("PUT", "/hello/bob"),
    get("/counter"),
    get("/counter"),
    req("PUT", "/counter", json={"a": 1}),
    req("DELETE", "/counter"),
    req("OPTIONS", "/counter"),
]


def test_hooks_error_handlers_blueprints_and_views() -> None:
    assert_same_answers(hooks_app, HOOK_REQUESTS)


def test_unhandled_errors_propagate_in_testing_mode() -> None:
    def factory(cls: type[flask.Flask]) -> App:
        app = hooks_app(cls)
        app.testing = True
        return app

    theirs = assert_same_answers(factory, [get("/crash"), get("/none"), get("/key"), get("/abort/404")])
    assert [a[2] for a in theirs] == ["raised", "raised", "400 BAD REQUEST", "404 NOT FOUND"]


# -- requests, JSON, sessions, flash, templates, signals, static ----------------------


def data_app(cls: type[flask.Flask]) -> App:
    app = cls("data", root_path=str(Path(__file__).parent))
    app.config.update(SECRET_KEY="secret", MAX_CONTENT_LENGTH=64, PERMANENT_SESSION_LIFETIME=3600)
    log: list[str] = []
    app.extensions["log"] = log

    def started(sender: t.Any, **extra: t.Any) -> None:
        log.append(f"started {flask.request.path}")

    def finished(sender: t.Any, response: flask.Response, **extra: t.Any) -> None:
        log.append(f"finished {response.status_code}")

    def rendered(sender: t.Any, template: t.Any, context: dict[str, t.Any], **extra: t.Any) -> None:
        log.append(f"rendered {sorted(context)}")

    flask.request_started.connect(started, app)
    flask.request_finished.connect(finished, app)
    flask.template_rendered.connect(rendered, app)
    app.extensions["receivers"] = (started, finished, rendered)  # keep them alive

    @app.context_processor
    def inject() -> dict[str, t.Any]:
        return {"site": "fast"}

    @app.template_filter("shout")
    def shout(s: str) -> str:
        return s.upper() + "!"

    @app.post("/json")
    def post_json() -> t.Any:
        return flask.jsonify(got=flask.request.get_json(), b=1, a=2)

    @app.post("/form")
    def post_form() -> t.Any:
        return {"form": flask.request.form.to_dict(flat=False), "args": flask.request.args.to_dict()}

    @app.route("/set", methods=["POST"])
    def set_session() -> t.Any:
        import datetime
        import uuid

        flask.session.permanent = flask.request.args.get("permanent") == "1"
        flask.session["values"] = {
            "tuple": (1, 2),
            "bytes": b"\x00\xff",
            "markup": Markup("<b>x</b>"),
            "uuid": uuid.UUID(int=5),
            "date": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
            "dict": {" t": 1},
        }
        flask.flash("saved")
        flask.flash("careful", "warning")
        return "set"

    @app.route("/get")
    def get_session() -> t.Any:
        values = flask.session.get("values")
        return flask.render_template_string(
            "{{ site }} {{ v | shout }} {{ messages }}",
            v=repr(values),
            messages=flask.get_flashed_messages(with_categories=True),
        )

    @app.route("/clear")
    def clear() -> str:
        flask.session.clear()
        return "cleared"

    @app.route("/stream-template")
    def stream_template() -> t.Any:
        return flask.stream_template_string("{% for i in range(3) %}{{ i }}{{ site }}{% endfor %}")

    @app.route("/file")
    def file() -> t.Any:
        return flask.send_file(__file__, mimetype="text/x-python", max_age=60, etag=False)

    return app


DATA_REQUESTS = [
    req("POST", "/json", json={"x": [1, 2, {"y": None}]}),
    req("POST", "/json", data=b"{bad", content_type="application/json"),
    req("POST", "/json", data=b"[]", content_type="text/plain"),
    req("POST", "/json", data=b"x" * 100, content_type="application/json"),
    req("POST", "/form?q=1", data={"a": ["1", "2"], "b": "3"}),
    get("/get"),
    req("POST", "/set"),
    get("/get"),
    get("/get"),
    req("POST", "/set?permanent=1"),
    get("/get"),
    get("/clear"),
    get("/get"),
    get("/get", headers={"Cookie": "session=forged.value.x"}),
    get("/stream-template"),
    get("/file"),
    req("HEAD", "/file"),
]


def test_requests_sessions_templates_signals(monkeypatch: pytest.MonkeyPatch) -> None:
    # send_file's Expires is the clock plus max_age: one clock for both runs,
    # else Flask's run and ours differ when they straddle a second.
    import werkzeug.utils
    from werkzeug.http import http_date

    now = 1_700_000_000.25
    monkeypatch.setattr(werkzeug.utils, "time", lambda: now)
    theirs = assert_same_answers(data_app, DATA_REQUESTS)
    # The frozen clock is the one send_file read: Expires is now + 60 on both.
    sent = [dict(a[3]) for a in theirs if a[1] == "/file"]
    assert [h["Expires"] for h in sent] == [http_date(int(now + 60))] * 2


def test_session_without_secret_key() -> None:
    def factory(cls: type[flask.Flask]) -> App:
        app = data_app(cls)
        app.secret_key = None
        return app

    # Writing fails ("The session is unavailable..."): a 500, or raised in testing mode.
    theirs = assert_same_answers(factory, [get("/get"), req("POST", "/set")])
    assert [a[2] for a in theirs] == ["200 OK", "500 INTERNAL SERVER ERROR"]

    def testing(cls: type[flask.Flask]) -> App:
        app = factory(cls)
        app.testing = True
        return app

    theirs = assert_same_answers(testing, [req("POST", "/set")])
    assert theirs[0][2:4] == ("raised", "RuntimeError")


# -- what is fastroute's own ----------------------------------------------------------


def test_the_subclass_uses_fastroute_routing() -> None:
    app = fastroute.Flask("x")
    assert isinstance(app, flask.Flask)
    assert type(app.url_map) is fr.Map and app.url_rule_class is fr.Rule
    assert all(type(rule) is fr.Rule for rule in app.url_map.iter_rules())  # the static route too
    with app.test_request_context("/static/x"):
        assert type(flask.globals.request_ctx.url_adapter) is fr.MapAdapter
    assert fastroute.Blueprint is flask.Blueprint


def test_package_names_are_flasks_objects() -> None:
    for name in fastroute.__all__:
        if name in ("COMPILED", "__version__", "Flask", "request", "session", "g", "current_app"):
            continue
        source = (
            flask.views
            if name in ("View", "MethodView")
            else flask.ctx
            if name.endswith("Context")
            else flask
        )
        assert getattr(fastroute, name) is getattr(source, name), name
    assert set(dir(fastroute)) >= set(fastroute.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'nothing_here'"):
        fastroute.nothing_here  # noqa: B018


def test_werkzeug_rules_in_the_apps_map() -> None:
    # Flask's own tests and older apps add werkzeug's rules (and factories of them) to app.url_map.
    def factory(cls: type[flask.Flask]) -> App:
        app = cls("wz")
        app.url_map.add(
            werkzeug.routing.Submount("/foo", [
                werkzeug.routing.Rule("/bar/<int:n>", endpoint="bar", methods=["POST", "GET"]),
                werkzeug.routing.Rule("/", endpoint="index", defaults={"n": 0}, strict_slashes=True),
            ])
        )  # fmt: skip
        app.url_map.add(werkzeug.routing.Rule("/w/s", endpoint="bar", websocket=False, merge_slashes=False))
        app.view_functions["bar"] = lambda n=1: f"bar {n} {flask.url_for('bar', n=n)}"
        app.view_functions["index"] = lambda n: f"index {n}"
        return app

    requests = [get("/foo/"), get("/foo"), get("/foo/bar/3"), req("PUT", "/foo/bar/3"), get("/w/s"),
                get("/w//s"), get("/w/s/"), req("OPTIONS", "/foo/bar/1")]  # fmt: skip
    theirs = assert_same_answers(factory, requests)
    assert theirs[5][2] == "404 NOT FOUND"  # the rule's merge_slashes=False was kept


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """Run *code* in a new interpreter that imports this very fastroute."""
    here = str(Path(fastroute.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")])))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_import_does_not_load_flask_or_the_app_layer() -> None:
    code = (
        "import sys, fastroute, fastroute.routing, fastroute.local\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'flask' or m == 'fastroute.app')\n"
        "assert not bad, bad\n"
        "fastroute.routing.Map([fastroute.routing.Rule('/', endpoint='i')]).bind('h').match('/')\n"
        "assert 'flask' not in sys.modules\n"
        "from fastroute import Flask, request\n"
        "assert 'flask' in sys.modules and 'fastroute.app' in sys.modules\n"
        "print('ok')\n"
    )
    done = _python(code)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


def test_without_flask_the_app_layer_says_what_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['flask'] = None  # as if Flask were not installed\n"
        "import fastroute, fastroute.routing\n"
        "try:\n"
        "    from fastroute import Flask\n"
        "except ModuleNotFoundError as e:\n"
        "    print(e.name, e)\n"
    )
    done = _python(code)
    assert done.stdout.startswith("flask fastroute.Flask is part of fastroute's app layer"), done.stderr
    assert "pip install 'fastroute[flask]'" in done.stdout


PROXIES = ["request", "session", "g", "current_app"]


@pytest.mark.parametrize("name", PROXIES)
def test_proxies_outside_a_context_fail_as_flasks(name: str) -> None:
    ours, theirs = getattr(fastroute, name), getattr(flask, name)
    assert type(ours) is fastroute.local.LocalProxy and type(theirs) is werkzeug.local.LocalProxy

    def outcome(proxy: t.Any, op: t.Callable[[t.Any], t.Any]) -> tuple[str, str]:
        try:
            return "ok", repr(op(proxy))
        except Exception as e:
            return type(e).__name__, str(e)

    ops: list[t.Callable[[t.Any], t.Any]] = [
        lambda p: p.anything, lambda p: p["k"], lambda p: len(p), lambda p: bool(p), lambda p: repr(p),
        lambda p: p == 1, lambda p: "k" in p, lambda p: p._get_current_object(), lambda p: setattr(p, "x", 1),
        lambda p: dir(p), lambda p: p.__class__ is type(p), lambda p: iter(p),
    ]  # fmt: skip
    assert [outcome(ours, op) for op in ops] == [outcome(theirs, op) for op in ops]


def test_proxies_stand_for_flasks_objects() -> None:
    app = fastroute.Flask("proxies")
    app.secret_key = "s"
    with app.test_request_context("/a?x=1", method="POST", data={"f": "v"}):
        for name in PROXIES:
            ours, theirs = getattr(fastroute, name), getattr(flask, name)
            assert ours._get_current_object() is theirs._get_current_object()
            assert ours.__class__ is theirs.__class__ and repr(ours) == repr(theirs)
            assert bool(ours) == bool(theirs) and dir(ours) == dir(theirs)
        assert fastroute.request.args == flask.request.args and fastroute.request.form["f"] == "v"
        fastroute.g.x = 1
        assert flask.g.x == 1 and "x" in fastroute.g and fastroute.g.get("x") == 1
        fastroute.session["k"] = [1]
        assert flask.session["k"] == [1] and flask.session.modified and len(fastroute.session) == 1
        assert fastroute.current_app.name == "proxies" and fastroute.current_app == flask.current_app
        del fastroute.g.x
        assert "x" not in flask.g
    # A nested app context on another app: both proxies follow it.
    other = flask.Flask("other")
    with app.app_context(), other.app_context():
        assert fastroute.current_app._get_current_object() is other is flask.current_app._get_current_object()


async def _async_reads() -> tuple[t.Any, ...]:
    return fastroute.request.path, fastroute.g.get("who"), fastroute.current_app.name


def test_proxies_in_an_async_view() -> None:
    def factory(cls: type[flask.Flask]) -> App:
        app = cls("async")

        @app.before_request
        def who() -> None:
            flask.g.who = flask.request.args.get("who")

        @app.route("/a")
        async def view() -> t.Any:
            return list(await _async_reads())

        return app

    assert_same_answers(factory, [get("/a?who=me"), get("/a")])


# -- Flask's command line -------------------------------------------------------------


@pytest.mark.parametrize("config", [{}, {"subdomain_matching": True, "SERVER_NAME": "example.com"},
                                    {"host_matching": True, "static_host": "static.example.com"}], ids=repr)  # fmt: skip
def test_flask_routes_and_run_through_the_cli_runner(
    config: dict[str, t.Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import flask.cli

    served: list[t.Any] = []
    # What `flask run` would serve, and how: recorded instead of serving.
    monkeypatch.setattr(flask.cli, "run_simple", lambda *args, **kwargs: served.append((args, kwargs)))

    def run(cls: type[flask.Flask]) -> list[t.Any]:
        app = url_app(cls, **dict(config))
        hooks = hooks_app(cls)
        runner = app.test_cli_runner()
        out = []
        for args in ([], ["--sort", "rule"], ["--sort", "methods", "--all-methods"], ["--sort", "domain"]):
            done = runner.invoke(flask.cli.routes_command, args=args)
            out.append((done.exit_code, done.output))
        done = hooks.test_cli_runner().invoke(flask.cli.routes_command, args=["--sort", "match"])
        out.append((done.exit_code, done.output))
        group = flask.cli.FlaskGroup(create_app=lambda: app)
        done = runner.invoke(group, args=["run", "--host", "127.0.0.1", "--port", "5123", "--no-reload"])
        (host, port, served_app), kwargs = served.pop()
        assert served_app is app
        out.append((done.exit_code, done.output, host, port, sorted(kwargs.items())))
        return out

    ours, theirs = run(fastroute.Flask), run(flask.Flask)
    assert ours == theirs
    assert all(code == 0 for code, *_ in ours)
    assert "/u/<int:n>" in ours[0][1] and "Debug mode: off" in ours[-1][1]
