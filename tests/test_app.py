"""The app layer (``from fastroute import Flask``) through its test client, per Flask 3.1's documented behaviour."""

from __future__ import annotations

import threading
import typing as t
from datetime import timedelta

import pytest
from werkzeug.exceptions import HTTPException, NotFound

import fastroute
from fastroute import (
    Blueprint,
    Flask,
    MethodView,
    View,
    abort,
    after_this_request,
    copy_current_request_context,
    current_app,
    g,
    has_app_context,
    has_request_context,
    jsonify,
    request,
    session,
    url_for,
)
from fastroute.routing import Map, Rule


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test")
    return app


@pytest.fixture
def client(app: Flask) -> t.Any:
    return app.test_client()


# -- registration -----------------------------------------------------------------


def test_public_api_and_types() -> None:
    assert isinstance(fastroute.COMPILED, bool)
    assert isinstance(fastroute.__version__, str)
    app = Flask("x")
    assert isinstance(app.url_map, Map)
    assert app.url_rule_class is Rule
    assert isinstance(app.config, fastroute.Config)


def test_endpoint_defaults_to_function_name(app: Flask, client: t.Any) -> None:
    @app.route("/a")
    def alpha() -> str:
        return "a"

    assert "alpha" in app.view_functions
    assert [r.endpoint for r in app.url_map.iter_rules() if r.rule == "/a"] == ["alpha"]
    assert client.get("/a").data == b"a"


def test_remapping_endpoint_to_other_function_fails(app: Flask) -> None:
    @app.route("/a")
    def view() -> str:
        return "a"

    app.add_url_rule("/b", view_func=view)  # same function: fine
    with pytest.raises(AssertionError, match="overwriting an existing endpoint function: view"):

        @app.route("/c", endpoint="view")
        def other() -> str:
            return "c"


def test_methods_must_be_a_list(app: Flask) -> None:
    with pytest.raises(TypeError, match="list of strings"):
        app.add_url_rule("/", "x", lambda: "", methods="POST")
    with pytest.raises(TypeError, match="Use the 'route' decorator"):
        app.get("/", methods=["POST"])


@pytest.mark.parametrize("verb", ["get", "post", "put", "patch", "delete"])
def test_method_shortcuts(app: Flask, client: t.Any, verb: str) -> None:
    getattr(app, verb)("/v")(lambda: verb)
    assert client.open("/v", method=verb.upper()).data == verb.encode()
    other = "post" if verb != "post" else "get"
    assert client.open("/v", method=other.upper()).status_code == 405


def test_automatic_options_and_head(app: Flask, client: t.Any) -> None:
    @app.route("/r", methods=["POST"])
    def r() -> str:
        return "r"

    @app.route("/custom", methods=["GET", "OPTIONS"])
    def custom() -> str:
        return "mine " + request.method

    @app.route("/none", provide_automatic_options=False)
    def none() -> str:
        return "none"

    resp = client.options("/r")
    assert resp.status_code == 200 and set(resp.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    assert client.options("/custom").data == b"mine OPTIONS"
    assert client.options("/none").status_code == 405
    head = client.head("/none")
    assert head.status_code == 200 and head.data == b"" and head.headers["Content-Length"] == "4"


def test_provide_automatic_options_config(app: Flask, client: t.Any) -> None:
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.add_url_rule("/x", "x", lambda: "x")
    assert client.options("/x").status_code == 405


def test_class_based_views(app: Flask, client: t.Any) -> None:
    class Hello(View):
        methods = ["GET", "POST"]

        def __init__(self, greeting: str) -> None:
            self.greeting = greeting

        def dispatch_request(self, name: str) -> str:
            return f"{self.greeting} {name} {request.method}"

    class Counter(MethodView):
        init_every_request = False

        def __init__(self) -> None:
            self.n = 0

        def get(self) -> t.Any:
            self.n += 1
            return {"n": self.n}

        def post(self) -> t.Any:
            return "posted", 201

    app.add_url_rule("/hello/<name>", view_func=Hello.as_view("hello", "Hi"))
    app.add_url_rule("/count", view_func=Counter.as_view("count"))
    assert client.post("/hello/bob").data == b"Hi bob POST"
    assert Counter.methods == {"GET", "POST"}
    assert client.get("/count").json == {"n": 1}
    assert client.get("/count").json == {"n": 2}
    assert client.head("/count").status_code == 200
    assert client.post("/count").status_code == 201
    assert client.delete("/count").status_code == 405


def test_setup_after_first_request_fails(app: Flask, client: t.Any) -> None:
    app.add_url_rule("/", "i", lambda: "i")
    client.get("/")
    with pytest.raises(AssertionError, match="can no longer be called"):
        app.add_url_rule("/late", "late", lambda: "")
    with pytest.raises(AssertionError):
        app.before_request(lambda: None)


def test_custom_map_and_rule_classes(client: t.Any) -> None:
    class MyRule(Rule):
        pass

    class MyApp(Flask):
        url_rule_class = MyRule

    app = MyApp("m")
    app.add_url_rule("/r", "r", lambda: "r")
    assert all(isinstance(r, MyRule) for r in app.url_map.iter_rules())
    assert app.test_client().get("/r").data == b"r"


def test_custom_url_map_class() -> None:
    made: list[dict[str, t.Any]] = []

    class MyMap(Map):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            made.append(kwargs)
            super().__init__(*args, **kwargs)

    class MyApp(Flask):
        url_map_class = MyMap

    app = MyApp("m", host_matching=True, static_host="static.test")
    assert type(app.url_map) is MyMap and made == [{"host_matching": True}]
    app.add_url_rule("/r", "r", lambda: "r", host="a.test")
    assert app.test_client().get("/r", base_url="http://a.test/").data == b"r"


def test_globals_are_fastroute_local_proxies() -> None:
    import fastroute.local

    for proxy in (current_app, g, request, session):
        assert type(proxy) is fastroute.local.LocalProxy


# -- config --------------------------------------------------------------------------


def test_config_loaders(monkeypatch: pytest.MonkeyPatch, tmp_path: t.Any) -> None:
    app = Flask("c")

    class Settings:
        DEBUG_LEVEL = 3
        lower = "ignored"

    app.config.from_object(Settings)
    app.config.from_mapping({"A_KEY": 1, "lower": 2}, B_KEY=2)
    monkeypatch.setenv("FLASK_NUM", "42")
    monkeypatch.setenv("FLASK_TEXT", "hello")
    monkeypatch.setenv("FLASK_NESTED__INNER", "true")
    monkeypatch.setenv("MYAPP_SECRET_KEY", '"abc"')
    app.config.from_prefixed_env()
    app.config.from_prefixed_env("MYAPP")
    (tmp_path / "cfg.py").write_text("FROM_FILE = 'yes'\nlower = 1\n")
    app.config.from_pyfile(str(tmp_path / "cfg.py"))
    assert app.config["DEBUG_LEVEL"] == 3 and "lower" not in app.config
    assert (app.config["A_KEY"], app.config["B_KEY"]) == (1, 2)
    assert app.config["NUM"] == 42 and app.config["TEXT"] == "hello"
    assert app.config["NESTED"] == {"INNER": True}
    assert app.secret_key == "abc"
    assert app.config["FROM_FILE"] == "yes"
    assert app.config.get_namespace("FROM_") == {"file": "yes"}
    assert app.config.from_pyfile("missing.py", silent=True) is False


def test_config_attributes(app: Flask) -> None:
    app.debug = True
    app.testing = True
    app.permanent_session_lifetime = 60  # type: ignore[assignment]
    assert app.config["DEBUG"] is True and app.config["TESTING"] is True
    assert app.permanent_session_lifetime == timedelta(seconds=60)


# -- contexts ------------------------------------------------------------------------


def test_globals_outside_context() -> None:
    assert not has_app_context() and not has_request_context()
    with pytest.raises(RuntimeError, match="application context"):
        current_app.name  # noqa: B018
    with pytest.raises(RuntimeError, match="request context"):
        request.path  # noqa: B018


def test_app_context(app: Flask) -> None:
    with app.app_context():
        assert has_app_context() and not has_request_context()
        assert current_app._get_current_object() is app
        g.value = 1
        assert g.get("value") == 1 and "value" in g and g.pop("value") == 1
        assert g.setdefault("x", 5) == 5
    assert not has_app_context()


def test_test_request_context(app: Flask) -> None:
    app.add_url_rule("/u/<int:n>", "u", lambda n: str(n), methods=["GET", "POST"])
    with app.test_request_context("/u/3?x=1", method="POST", headers={"X-A": "b"}):
        assert has_request_context() and has_app_context()
        assert request.path == "/u/3" and request.args["x"] == "1" and request.method == "POST"
        assert request.endpoint == "u" and request.view_args == {"n": 3}
        assert request.headers["X-A"] == "b"
        assert url_for("u", n=4) == "/u/4"
    with app.test_request_context("/nothing"):
        assert isinstance(request.routing_exception, NotFound)
        assert request.url_rule is None


def test_teardown_hooks_get_the_error(app: Flask) -> None:
    seen: list[t.Any] = []
    app.teardown_request(lambda exc: seen.append(("request", exc)))
    app.teardown_appcontext(lambda exc: seen.append(("app", exc)))

    @app.route("/ok")
    def ok() -> str:
        return "ok"

    @app.route("/fail")
    def fail() -> str:
        raise KeyError("k")

    client = app.test_client()
    client.get("/ok")
    assert seen == [("request", None), ("app", None)]
    seen.clear()
    assert client.get("/fail").status_code == 500
    assert [k for k, _ in seen] == ["request", "app"]
    assert all(isinstance(e, KeyError) for _, e in seen)


def test_copy_current_request_context_and_after_this_request(app: Flask, client: t.Any) -> None:
    results: list[str] = []

    @app.route("/bg")
    def bg() -> str:
        @copy_current_request_context
        def work() -> None:
            results.append(request.args["v"])

        th = threading.Thread(target=work)
        th.start()
        th.join()

        @after_this_request
        def add_header(response: t.Any) -> t.Any:
            response.headers["X-Later"] = "yes"
            return response

        return "done"

    resp = client.get("/bg?v=7")
    assert results == ["7"] and resp.headers["X-Later"] == "yes"
    with pytest.raises(RuntimeError):
        copy_current_request_context(lambda: None)


def test_client_preserves_context(app: Flask) -> None:
    app.add_url_rule("/p", "p", lambda: "p")
    with app.test_client() as c:
        c.get("/p?q=1")
        assert request.args["q"] == "1"
    assert not has_request_context()


# -- lifecycle -----------------------------------------------------------------------


def test_hook_order_and_short_circuit(app: Flask, client: t.Any) -> None:
    calls: list[str] = []

    @app.url_value_preprocessor
    def pre(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        calls.append(f"pre:{endpoint}")

    @app.before_request
    def first() -> t.Any:
        calls.append("before1")
        if request.args.get("stop"):
            return "stopped", 401
        return None

    @app.before_request
    def second() -> None:
        calls.append("before2")

    @app.after_request
    def a1(resp: t.Any) -> t.Any:
        calls.append("after1")
        return resp

    @app.after_request
    def a2(resp: t.Any) -> t.Any:
        calls.append("after2")
        return resp

    @app.route("/")
    def index() -> str:
        calls.append("view")
        return "v"

    client.get("/")
    assert calls == ["pre:index", "before1", "before2", "view", "after2", "after1"]
    calls.clear()
    resp = client.get("/?stop=1")
    assert resp.status_code == 401 and resp.data == b"stopped"
    assert calls == ["pre:index", "before1", "after2", "after1"]


def test_error_handlers_by_code_and_class(app: Flask, client: t.Any) -> None:
    with pytest.raises(ValueError, match="not a recognized HTTP error code"):
        app.errorhandler(999)(lambda e: "")
    with pytest.raises(TypeError):
        app.register_error_handler(ValueError(), lambda e: "")  # type: ignore[arg-type]

    class MyError(Exception):
        pass

    class SubError(MyError):
        pass

    @app.errorhandler(MyError)
    def my(e: Exception) -> t.Any:
        return f"my {type(e).__name__}", 409

    app.register_error_handler(405, lambda e: ("no such method", 405))

    @app.errorhandler(HTTPException)
    def any_http(e: HTTPException) -> t.Any:
        return f"http {e.code}", e.code

    @app.route("/sub")
    def sub() -> str:
        raise SubError()

    @app.route("/teapot")
    def teapot() -> str:
        abort(418)

    assert client.get("/sub").data == b"my SubError"
    assert client.post("/sub").data == b"no such method"
    assert client.get("/teapot").data == b"http 418"
    assert client.get("/nope").data == b"http 404"


def test_unhandled_exception_500_and_propagation() -> None:
    def make() -> Flask:
        app = Flask("boom")

        @app.route("/boom")
        def boom() -> str:
            raise RuntimeError("boom")

        app.logger.disabled = True
        return app

    resp = make().test_client().get("/boom")
    assert resp.status_code == 500 and b"Internal Server Error" in resp.data

    app = make()
    app.register_error_handler(500, lambda e: (f"custom {type(e.original_exception).__name__}", 500))
    assert app.test_client().get("/boom").data == b"custom RuntimeError"

    app.testing = True
    with pytest.raises(RuntimeError, match="boom"):
        app.test_client().get("/boom")
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(RuntimeError, match="boom"):
        app.test_client().get("/boom")


def test_invalid_return_values(app: Flask, client: t.Any) -> None:
    app.testing = True
    app.add_url_rule("/none", "none", lambda: None)
    app.add_url_rule("/int", "int", lambda: 5)
    app.add_url_rule("/tuple4", "tuple4", lambda: ("a", 200, {}, 1))
    with pytest.raises(TypeError, match="did not return a valid response"):
        client.get("/none")
    with pytest.raises(TypeError, match="but it was a int"):
        client.get("/int")
    with pytest.raises(TypeError, match="valid response tuple"):
        client.get("/tuple4")


def test_slash_redirect_and_follow(app: Flask, client: t.Any) -> None:
    app.add_url_rule("/dir/", "dir", lambda: "dir")
    resp = client.get("/dir?a=1")
    assert resp.status_code == 308 and resp.headers["Location"].endswith("/dir/?a=1")
    followed = client.get("/dir", follow_redirects=True)
    assert followed.data == b"dir" and followed.request.path == "/dir/"


def test_redirect_and_abort_helpers(app: Flask, client: t.Any) -> None:
    @app.route("/r")
    def r() -> t.Any:
        return fastroute.redirect("/target", 301)

    @app.route("/a")
    def a() -> t.Any:
        abort(403, description="nope")

    assert client.get("/r").status_code == 301 and client.get("/r").location == "/target"
    resp = client.get("/a")
    assert resp.status_code == 403 and b"nope" in resp.data


def test_request_json_and_bad_json(app: Flask, client: t.Any) -> None:
    @app.post("/j")
    def j() -> t.Any:
        return jsonify(request.json)

    assert client.post("/j", json={"a": [1, 2]}).json == {"a": [1, 2]}
    bad = client.post("/j", data="{oops", content_type="application/json")
    assert bad.status_code == 400
    assert client.post("/j", data="x", content_type="text/plain").status_code == 415


def test_jsonify_forms_and_sorting(app: Flask) -> None:
    with app.app_context():
        assert jsonify(b=1, a=2).get_data() == b'{"a":2,"b":1}\n'
        assert jsonify(1, 2).get_json() == [1, 2]
        assert jsonify().get_json() is None
        app.json.sort_keys = False  # type: ignore[attr-defined]
        assert jsonify(b=1, a=2).get_data() == b'{"b":1,"a":2}\n'
        app.debug = True
        assert jsonify(a=1).get_data() == b'{\n  "a": 1\n}\n'


def test_large_body_limit(app: Flask, client: t.Any) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10
    app.add_url_rule("/up", "up", lambda: str(len(request.get_data())), methods=["POST"])
    assert client.post("/up", data="x" * 5).data == b"5"
    assert client.post("/up", data="x" * 100).status_code == 413


# -- url_for -------------------------------------------------------------------------


def test_url_for_variants(app: Flask) -> None:
    def view(n: int) -> str:
        return ""

    app.add_url_rule("/p/<int:n>", "p", view, methods=["GET"])
    app.add_url_rule("/p/<int:n>", "p", view, methods=["POST"])
    app.add_url_rule("/edit/<int:n>", "edit", view, methods=["POST"])
    with app.test_request_context("/", base_url="http://example.com/root/"):
        assert url_for("p", n=1) == "/root/p/1"
        assert url_for("p", n=1, _external=True) == "http://example.com/root/p/1"
        assert url_for("p", n=1, _scheme="https", _external=True) == "https://example.com/root/p/1"
        assert url_for("p", n=1, _anchor="a b") == "/root/p/1#a%20b"
        assert url_for("edit", n=2, _method="POST", x="y") == "/root/edit/2?x=y"
        with pytest.raises(ValueError, match="_scheme"):
            url_for("p", n=1, _scheme="https", _external=False)
        with pytest.raises(Exception, match="Could not build url"):
            url_for("missing")


def test_url_for_outside_request(app: Flask) -> None:
    app.add_url_rule("/x", "x", lambda: "")
    with app.app_context(), pytest.raises(RuntimeError, match="SERVER_NAME"):
        url_for("x")
    app.config.update(SERVER_NAME="example.org", APPLICATION_ROOT="/app", PREFERRED_URL_SCHEME="https")
    with app.app_context():
        assert url_for("x") == "https://example.org/app/x"
        assert url_for("x", _external=False) == "/app/x"


def test_url_build_error_handler(app: Flask) -> None:
    app.url_build_error_handlers.append(lambda error, endpoint, values: f"/fallback/{endpoint}")
    with app.test_request_context():
        assert url_for("nothing") == "/fallback/nothing"


# -- static and files -----------------------------------------------------------------


def test_static_route_and_send_file(tmp_path: t.Any) -> None:
    static = tmp_path / "assets"
    static.mkdir()
    (static / "a.css").write_text("body{}")
    app = Flask("s", static_folder=str(static), static_url_path="/s")
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 60

    @app.route("/file")
    def file() -> t.Any:
        return fastroute.send_file(str(static / "a.css"), as_attachment=True, download_name="x.css")

    @app.route("/dir/<path:name>")
    def from_dir(name: str) -> t.Any:
        return fastroute.send_from_directory(str(static), name)

    client = app.test_client()
    resp = client.get("/s/a.css")
    assert resp.data == b"body{}" and resp.mimetype == "text/css"
    assert resp.cache_control.max_age == 60
    etag = resp.headers["ETag"]
    assert client.get("/s/a.css", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/s/missing.css").status_code == 404
    assert client.get("/s/../x").status_code == 404
    assert "attachment" in client.get("/file").headers["Content-Disposition"]
    assert client.get("/dir/a.css").data == b"body{}"
    assert client.get("/dir/..%2Fetc").status_code == 404
    with app.test_request_context():
        assert url_for("static", filename="a.css") == "/s/a.css"


def test_no_static_folder() -> None:
    app = Flask("n", static_folder=None)
    assert [r.endpoint for r in app.url_map.iter_rules()] == []


# -- sessions -----------------------------------------------------------------------


def test_session_roundtrip_and_types(app: Flask, client: t.Any) -> None:
    import uuid
    from datetime import datetime, timezone

    @app.route("/set")
    def set_() -> str:
        session["tuple"] = (1, "a")
        session["bytes"] = b"\x00\xff"
        session["uuid"] = uuid.UUID(int=1)
        session["when"] = datetime(2024, 1, 1, tzinfo=timezone.utc)
        session["nested"] = {" t": "looks tagged"}
        return "ok"

    @app.route("/get")
    def get() -> t.Any:
        return repr(sorted(session.items()))

    client.get("/set")
    text = client.get("/get").data.decode()
    assert "('tuple', (1, 'a'))" in text and "b'\\x00\\xff'" in text
    assert "UUID('00000000-0000-0000-0000-000000000001')" in text
    assert "{' t': 'looks tagged'}" in text and "2024" in text


def test_session_cookie_options_and_permanent(app: Flask) -> None:
    app.config.update(
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_PATH="/p",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=False,
    )

    @app.route("/perm")
    def perm() -> str:
        session.permanent = True
        session["x"] = 1
        return "p"

    @app.route("/touch")
    def touch() -> str:
        return "t"

    client = app.test_client()
    cookie = client.get("/perm").headers["Set-Cookie"]
    assert cookie.startswith("sid=") and "Domain=example.com" in cookie and "Path=/p" in cookie
    assert (
        "Secure" in cookie and "SameSite=Lax" in cookie and "HttpOnly" not in cookie and "Expires=" in cookie
    )


def test_permanent_session_refreshed_each_request(app: Flask, client: t.Any) -> None:
    @app.route("/perm")
    def perm() -> str:
        session.permanent = True
        session["x"] = 1
        return "p"

    app.add_url_rule("/other", "other", lambda: "o")
    client.get("/perm")
    assert "session=" in client.get("/other").headers.get("Set-Cookie", "")
    # Without refreshing, an unmodified permanent session is not sent again.
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    assert "Set-Cookie" not in client.get("/other").headers
    assert "session=" in client.get("/perm").headers.get("Set-Cookie", "")


def test_tampered_cookie_gives_empty_session(app: Flask, client: t.Any) -> None:
    app.add_url_rule("/get", "get", lambda: {"x": session.get("x")})
    client.set_cookie("session", "garbage.value.here")
    assert client.get("/get").json == {"x": None}


def test_session_without_secret_key() -> None:
    app = Flask("nokey")

    @app.route("/w")
    def w() -> str:
        session["a"] = 1
        return "never"

    app.add_url_rule("/r", "r", lambda: str(session.get("a")))
    app.testing = True
    with pytest.raises(RuntimeError, match="no secret key"):
        app.test_client().get("/w")
    assert app.test_client().get("/r").data == b"None"


def test_session_transaction_and_fallback_keys(app: Flask, client: t.Any) -> None:
    app.add_url_rule("/get", "get", lambda: {"x": session.get("x")})
    with client.session_transaction() as sess:
        sess["x"] = "preset"
    assert client.get("/get").json == {"x": "preset"}
    app.config["SECRET_KEY_FALLBACKS"] = ["test"]
    app.secret_key = "rotated"
    assert client.get("/get").json == {"x": "preset"}


def test_flash_messages(app: Flask, client: t.Any) -> None:
    @app.route("/f")
    def f() -> str:
        fastroute.flash("one")
        fastroute.flash("two", "warn")
        return ""

    @app.route("/show")
    def show() -> t.Any:
        return {
            "plain": fastroute.get_flashed_messages(),
            "warn": fastroute.get_flashed_messages(True, ["warn"]),
        }

    client.get("/f")
    assert client.get("/show").json == {"plain": ["one", "two"], "warn": [["warn", "two"]]}
    assert client.get("/show").json == {"plain": [], "warn": []}


# -- blueprints ----------------------------------------------------------------------


def test_blueprint_prefix_defaults_hooks_handlers(app: Flask, client: t.Any) -> None:
    bp = Blueprint("api", __name__, url_prefix="/api", url_defaults={"version": 1})
    calls: list[str] = []

    @bp.route("/items/<int:n>")
    def item(n: int, version: int) -> t.Any:
        return {"n": n, "version": version, "endpoint": request.endpoint, "url": url_for(".item", n=n + 1)}

    @bp.before_request
    def bp_before() -> None:
        calls.append("bp_before")

    @bp.before_app_request
    def app_before() -> None:
        calls.append("app_before")

    @bp.errorhandler(ZeroDivisionError)
    def zero(e: Exception) -> t.Any:
        return "bp zero", 400

    @bp.app_errorhandler(404)
    def missing(e: Exception) -> t.Any:
        return "app-wide 404 from bp", 404

    @bp.route("/zero")
    def z(version: int) -> t.Any:
        return 1 // 0

    app.register_blueprint(bp)
    app.register_blueprint(bp, name="api2", url_prefix="/v2", url_defaults={"version": 2})
    with pytest.raises(ValueError, match="already registered"):
        app.register_blueprint(bp)
    resp = client.get("/api/items/3")
    assert resp.json == {"n": 3, "version": 1, "endpoint": "api.item", "url": "/api/items/4"}
    assert client.get("/v2/items/3").json["version"] == 2
    assert client.get("/v2/items/3").json["endpoint"] == "api2.item"
    assert client.get("/api/zero").data == b"bp zero"
    assert client.get("/nothing").data == b"app-wide 404 from bp"
    assert calls[:2] == ["app_before", "bp_before"]


def test_blueprint_names_and_nesting(app: Flask, client: t.Any) -> None:
    with pytest.raises(ValueError):
        Blueprint("a.b", __name__)
    with pytest.raises(ValueError):
        Blueprint("", __name__)
    parent = Blueprint("parent", __name__, url_prefix="/parent")
    child = Blueprint("child", __name__, url_prefix="/child")
    with pytest.raises(ValueError, match="itself"):
        parent.register_blueprint(parent)
    with pytest.raises(ValueError):
        child.add_url_rule("/", "a.b", lambda: "")

    @child.route("/")
    def index() -> t.Any:
        return {
            "endpoint": request.endpoint,
            "blueprint": request.blueprint,
            "blueprints": request.blueprints,
        }

    order: list[str] = []
    child.after_request(lambda r: (order.append("child"), r)[1])
    parent.after_request(lambda r: (order.append("parent"), r)[1])
    app.after_request(lambda r: (order.append("app"), r)[1])
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    assert client.get("/parent/child/").json == {
        "endpoint": "parent.child.index",
        "blueprint": "parent.child",
        "blueprints": ["parent.child", "parent"],
    }
    assert order == ["child", "parent", "app"]
    with app.test_request_context():
        assert url_for("parent.child.index") == "/parent/child/"


def test_blueprint_subdomain(client: t.Any) -> None:
    app = Flask("sub", subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.com"
    bp = Blueprint("admin", __name__, subdomain="admin")
    bp.add_url_rule("/", "index", lambda: "admin home")
    app.add_url_rule("/", "index", lambda: "main home")
    app.register_blueprint(bp)
    c = app.test_client()
    assert c.get("/", base_url="http://admin.example.com/").data == b"admin home"
    assert c.get("/").data == b"main home"
    with app.app_context():
        assert url_for("admin.index") == "http://admin.example.com/"


def test_host_matching() -> None:
    app = Flask("hosts", host_matching=True, static_host="static.test")
    app.add_url_rule("/", "a", lambda: "a", host="a.test")
    app.add_url_rule("/", "b", lambda: "b", host="b.test")
    c = app.test_client()
    assert c.get("/", base_url="http://a.test/").data == b"a"
    assert c.get("/", base_url="http://b.test/").data == b"b"
    assert c.get("/", base_url="http://c.test/").status_code == 404


# -- server and CLI ----------------------------------------------------------------


def test_app_run_uses_werkzeug_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, t.Any] = {}

    def fake_run_simple(host: str, port: int, application: t.Any, **options: t.Any) -> None:
        seen.update(host=host, port=port, app=application, **options)

    monkeypatch.setattr("werkzeug.serving.run_simple", fake_run_simple)
    # Flask's CLI (run by other tests) sets this, and run() then does nothing.
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    app.run(debug=True, port=5123)
    assert seen["host"] == "127.0.0.1" and seen["port"] == 5123 and seen["app"] is app
    assert seen["use_reloader"] is True and seen["threaded"] is True
    seen.clear()
    app.debug = False
    app.config["SERVER_NAME"] = "localhost:6000"
    app.run()
    assert (seen["host"], seen["port"], seen["use_reloader"]) == ("localhost", 6000, False)


def test_handled_error_loses_its_traceback_after_its_handler() -> None:
    """docs/compat.md: a handled exception's traceback is dropped once its
    response is made (it would tie the request's frames into a reference
    cycle); the handler itself still sees it.  Flask keeps it."""
    import flask

    def make(module: t.Any) -> tuple[t.Any, dict[str, t.Any]]:
        app = module.Flask(__name__)
        seen: dict[str, t.Any] = {}

        @app.errorhandler(404)
        def not_found(e: Exception) -> tuple[str, int]:
            seen["in_handler"] = e.__traceback__ is not None
            seen["error"] = e
            return "nf", 404

        @app.route("/abort")
        def gone() -> str:
            abort(404)

        return app, seen

    for path in ("/missing", "/abort"):
        ours, seen = make(fastroute)
        theirs, flask_seen = make(flask)
        assert ours.test_client().get(path).status_code == theirs.test_client().get(path).status_code == 404
        assert seen["in_handler"] and flask_seen["in_handler"]
        assert seen["error"].__traceback__ is None
        assert flask_seen["error"].__traceback__ is not None
