"""The same example apps under real Flask and under fastroute give the same answers.

Each app is built by a function taking the framework module (``flask`` or
``fastroute``); every request is sent to both through their test clients and
status, headers and body are compared.  ``Allow`` is compared as a set (its
order follows set iteration in both), session cookies by their decoded content.
"""

from __future__ import annotations

import io
import json
import types
import typing as t

import pytest

import fastroute

flask = pytest.importorskip("flask")

MODULES = {"flask": flask, "fastroute": fastroute}


def _method_view(fw: types.ModuleType) -> t.Any:
    if fw is flask:
        from flask.views import MethodView

        return MethodView
    return fw.MethodView


def build_basic(fw: types.ModuleType, static_dir: str) -> t.Any:
    app = fw.Flask("diffapp", static_folder=static_dir)
    app.config["SECRET_KEY"] = "differential"

    class Item(_method_view(fw)):
        def get(self, item_id: int) -> t.Any:
            return {"item": item_id}

        def put(self, item_id: int) -> t.Any:
            return {"updated": item_id, "data": fw.request.get_json()}, 202

        def delete(self, item_id: int) -> t.Any:
            return "", 204

    @app.route("/")
    def index() -> str:
        return "Hello, World!"

    @app.route("/bytes")
    def as_bytes() -> bytes:
        return b"\x00\x01raw"

    @app.route("/users/<int:user_id>/posts/<slug>")
    def post(user_id: int, slug: str) -> str:
        return f"user={user_id} slug={slug}"

    @app.route("/json")
    def as_json() -> t.Any:
        return {"b": 1, "a": [1, 2, {"z": None, "y": True}], "text": "é"}

    @app.route("/list")
    def as_list() -> t.Any:
        return [1, "two", 3.5]

    @app.route("/jsonify")
    def use_jsonify() -> t.Any:
        return fw.jsonify(answer=42, items=[3, 2, 1])

    @app.route("/tuple/status")
    def tuple_status() -> t.Any:
        return "created", 201

    @app.route("/tuple/headers")
    def tuple_headers() -> t.Any:
        return "with headers", {"X-Custom": "yes"}

    @app.route("/tuple/all")
    def tuple_all() -> t.Any:
        return {"ok": True}, "418 I'M A TEAPOT", [("X-A", "1"), ("X-B", "2")]

    @app.route("/response")
    def response_obj() -> t.Any:
        resp = fw.make_response("made", 200)
        resp.headers["X-Made"] = "1"
        resp.set_cookie("plain", "cookie")
        return resp

    @app.route("/stream")
    def stream() -> t.Any:
        def gen() -> t.Iterator[str]:
            yield "a"
            yield "b"
            yield "c"

        return gen()

    @app.post("/echo")
    def echo() -> t.Any:
        data = fw.request.get_json()
        return fw.jsonify(got=data, ctype=fw.request.content_type)

    @app.post("/form")
    def form() -> t.Any:
        return {"form": fw.request.form.to_dict(), "args": fw.request.args.to_dict()}

    @app.route("/methods", methods=["GET", "POST", "PUT"])
    def methods() -> str:
        return fw.request.method

    @app.route("/no-options", methods=["GET"], provide_automatic_options=False)
    def no_options() -> str:
        return "no options"

    @app.route("/branch/")
    def branch() -> str:
        return "branch"

    @app.route("/abort/<int:code>")
    def do_abort(code: int) -> t.Any:
        fw.abort(code)

    @app.route("/redirect")
    def do_redirect() -> t.Any:
        return fw.redirect(fw.url_for("post", user_id=1, slug="x", q="1"))

    @app.route("/urls")
    def urls() -> t.Any:
        return {
            "plain": fw.url_for("post", user_id=2, slug="a b"),
            "external": fw.url_for("index", _external=True),
            "scheme": fw.url_for("index", _scheme="https", _external=True),
            "anchor": fw.url_for("index", _anchor="top part"),
            "static": fw.url_for("static", filename="hello.txt"),
            "query": fw.url_for("index", page=2, tags=["a", "b"]),
        }

    @app.route("/raise")
    def boom() -> t.Any:
        raise ValueError("boom")

    @app.route("/session/set/<value>")
    def session_set(value: str) -> str:
        fw.session["value"] = value
        return "set"

    @app.route("/session/get")
    def session_get() -> t.Any:
        return {"value": fw.session.get("value")}

    @app.route("/session/clear")
    def session_clear() -> str:
        fw.session.clear()
        return "cleared"

    @app.route("/flash/<msg>")
    def do_flash(msg: str) -> str:
        fw.flash(msg)
        fw.flash(msg.upper(), "error")
        return "flashed"

    @app.route("/flashes")
    def flashes() -> t.Any:
        return {
            "all": fw.get_flashed_messages(with_categories=True),
            "errors": fw.get_flashed_messages(category_filter=["error"]),
        }

    @app.route("/g")
    def use_g() -> t.Any:
        return {"user": fw.g.user, "app": fw.current_app.name}

    @app.before_request
    def set_user() -> t.Any:
        fw.g.user = fw.request.headers.get("X-User", "anon")
        if fw.request.path == "/blocked":
            return "blocked by hook", 403
        return None

    @app.after_request
    def stamp(response: t.Any) -> t.Any:
        response.headers["X-After"] = fw.request.endpoint or "-"
        return response

    @app.errorhandler(404)
    def not_found(e: t.Any) -> t.Any:
        return {"error": "not found", "path": fw.request.path}, 404

    @app.errorhandler(ValueError)
    def value_error(e: Exception) -> t.Any:
        return f"handled {e}", 500

    app.add_url_rule("/items/<int:item_id>", view_func=Item.as_view("item"))

    bp = fw.Blueprint("shop", __name__, url_prefix="/shop")

    @bp.route("/")
    def shop_index() -> t.Any:
        return {
            "endpoint": fw.request.endpoint,
            "blueprint": fw.request.blueprint,
            "rel": fw.url_for(".product", pid=3),
        }

    @bp.route("/product/<int:pid>")
    def product(pid: int) -> str:
        return f"product {pid}"

    @bp.before_request
    def bp_before() -> None:
        fw.g.in_shop = True

    @bp.after_request
    def bp_after(response: t.Any) -> t.Any:
        response.headers["X-Shop"] = "1"
        return response

    @bp.errorhandler(404)
    def bp_missing(e: t.Any) -> t.Any:
        return "shop 404", 404

    @bp.route("/missing")
    def shop_missing() -> t.Any:
        fw.abort(404)

    inner = fw.Blueprint("inner", __name__, url_prefix="/inner")

    @inner.route("/<name>")
    def inner_view(name: str) -> t.Any:
        return {"name": name, "endpoint": fw.request.endpoint, "blueprints": fw.request.blueprints}

    bp.register_blueprint(inner)
    app.register_blueprint(bp)

    lang = fw.Blueprint("lang", __name__, url_prefix="/<lang>")

    @lang.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        fw.g.lang = values.pop("lang") if values else None

    @lang.url_defaults
    def add_lang(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang", fw.g.get("lang", "en"))

    @lang.route("/about")
    def about() -> t.Any:
        return {
            "lang": fw.g.lang,
            "self": fw.url_for("lang.about"),
            "other": fw.url_for("lang.about", lang="fr"),
        }

    app.register_blueprint(lang)
    return app


REQUESTS: list[tuple[str, str, dict[str, t.Any]]] = [
    ("GET", "/", {}),
    ("HEAD", "/", {}),
    ("OPTIONS", "/", {}),
    ("POST", "/", {}),
    ("GET", "/bytes", {}),
    ("GET", "/users/12/posts/hello-world", {}),
    ("GET", "/users/x/posts/hello", {}),
    ("GET", "/json", {}),
    ("GET", "/list", {}),
    ("GET", "/jsonify", {}),
    ("GET", "/tuple/status", {}),
    ("GET", "/tuple/headers", {}),
    ("GET", "/tuple/all", {}),
    ("GET", "/response", {}),
    ("GET", "/stream", {}),
    ("POST", "/echo", {"json": {"k": [1, 2], "n": None}}),
    ("POST", "/echo", {"data": "{not json", "content_type": "application/json"}),
    ("POST", "/echo", {"data": "x=1", "content_type": "text/plain"}),
    ("POST", "/form?x=1", {"data": {"a": "1", "b": "two"}}),
    ("GET", "/methods", {}),
    ("PUT", "/methods", {}),
    ("DELETE", "/methods", {}),
    ("OPTIONS", "/methods", {}),
    ("OPTIONS", "/no-options", {}),
    ("GET", "/branch", {}),
    ("GET", "/branch?x=1", {}),
    ("POST", "/branch", {}),
    ("GET", "/branch/", {}),
    ("GET", "/abort/400", {}),
    ("GET", "/abort/401", {}),
    ("GET", "/abort/404", {}),
    ("GET", "/abort/418", {}),
    ("GET", "/abort/500", {}),
    ("GET", "/redirect", {}),
    ("GET", "/urls", {}),
    ("GET", "/raise", {}),
    ("GET", "/blocked", {}),
    ("GET", "/g", {"headers": {"X-User": "alice"}}),
    ("GET", "/missing/page", {}),
    ("GET", "/static/hello.txt", {}),
    ("HEAD", "/static/hello.txt", {}),
    ("GET", "/static/nope.txt", {}),
    ("GET", "/static/../secret", {}),
    ("GET", "/items/5", {}),
    ("PUT", "/items/5", {"json": {"name": "x"}}),
    ("DELETE", "/items/5", {}),
    ("POST", "/items/5", {}),
    ("OPTIONS", "/items/5", {}),
    ("GET", "/shop/", {}),
    ("GET", "/shop", {}),
    ("GET", "/shop/product/7", {}),
    ("GET", "/shop/missing", {}),
    ("GET", "/shop/inner/bob", {}),
    ("GET", "/de/about", {}),
    ("GET", "/session/get", {}),
    ("GET", "/session/set/abc", {}),
    ("GET", "/session/get", {}),
    ("GET", "/session/clear", {}),
    ("GET", "/session/get", {}),
    ("GET", "/flash/hi", {}),
    ("GET", "/flashes", {}),
    ("GET", "/flashes", {}),
    ("GET", "/%zz", {}),
    ("GET", "/users/%E2%82%AC/posts/%F0%9F%98%80", {}),
]


def _normalise(resp: t.Any, secret: str) -> dict[str, t.Any]:
    headers = []
    cookies = []
    for key, value in resp.headers.items():
        if key == "Allow":
            headers.append((key, frozenset(v.strip() for v in value.split(","))))
        elif key == "Set-Cookie":
            name, _, rest = value.partition("=")
            val, _, attrs = rest.partition(";")
            if name == "session" and val:
                # Signed with a timestamp: compare the payload, not the signature.
                val = json.dumps(_decode_session(val, secret), sort_keys=True)
            attrs = ";".join(a for a in attrs.split(";") if not a.strip().startswith("Expires"))
            cookies.append((name, val, attrs))
        elif key in ("Last-Modified", "ETag", "Date"):
            headers.append((key, "<varies>"))
        else:
            headers.append((key, value))
    return {"status": resp.status, "headers": headers, "cookies": cookies, "body": resp.get_data()}


def _decode_session(value: str, secret: str) -> t.Any:
    from fastroute.sessions import SecureCookieSessionInterface

    app = fastroute.Flask("decoder")
    app.secret_key = secret
    s = SecureCookieSessionInterface().get_signing_serializer(app)
    assert s is not None
    return s.loads(value)


@pytest.fixture
def static_dir(tmp_path: t.Any) -> str:
    (tmp_path / "hello.txt").write_text("static hello\n")
    return str(tmp_path)


def _run(fw: types.ModuleType, static_dir: str) -> list[dict[str, t.Any]]:
    app = build_basic(fw, static_dir)
    app.logger.disabled = True
    client = app.test_client()
    out = []
    for method, path, kwargs in REQUESTS:
        resp = client.open(path, method=method, **kwargs)
        out.append(_normalise(resp, "differential"))
        resp.close()
    return out


def test_same_answers(static_dir: str) -> None:
    expected = _run(flask, static_dir)
    got = _run(fastroute, static_dir)
    for (method, path, _), exp, act in zip(REQUESTS, expected, got, strict=True):
        assert act == exp, f"{method} {path}"


def test_follow_redirects_same(static_dir: str) -> None:
    results = []
    for fw in (flask, fastroute):
        client = build_basic(fw, static_dir).test_client()
        resp = client.get("/redirect", follow_redirects=True)
        results.append((resp.status, resp.get_data(), [r.status for r in resp.history], resp.request.path))
    assert results[0] == results[1]


def test_cookies_interchangeable(static_dir: str) -> None:
    """A session cookie set by Flask is read by fastroute and the other way round."""
    for writer, reader in ((flask, fastroute), (fastroute, flask)):
        wclient = build_basic(writer, static_dir).test_client()
        resp = wclient.get("/session/set/shared")
        cookie = resp.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
        rclient = build_basic(reader, static_dir).test_client()
        rclient.set_cookie("session", cookie)
        assert rclient.get("/session/get").get_json() == {"value": "shared"}


def test_wsgi_level_same(static_dir: str) -> None:
    """Raw WSGI calls (no test client) give byte-identical status lines and bodies."""

    def call(app: t.Any, path: str, method: str = "GET") -> tuple[str, list[tuple[str, str]], bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "HTTP_HOST": "localhost",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        seen: list[t.Any] = []
        body = b"".join(app(environ, lambda s, h, e=None: seen.extend((s, h))))
        status, headers = seen
        return status, [(k, v) for k, v in headers if k not in ("Allow",)], body

    def plain(fw: types.ModuleType) -> t.Any:
        app = fw.Flask("plain", static_folder=static_dir)

        @app.route("/")
        def index() -> str:
            return "Hello"

        @app.route("/p/<int:a>/<b>")
        def params(a: int, b: str) -> t.Any:
            return {"a": a, "b": b}

        @app.route("/b")
        def raw() -> bytes:
            return b"bytes"

        return app

    apps = {name: plain(fw) for name, fw in MODULES.items()}
    for path, method in [
        ("/", "GET"),
        ("/", "HEAD"),
        ("/p/1/x", "GET"),
        ("/b", "GET"),
        ("/nope", "GET"),
        ("/nope", "HEAD"),
        ("/", "POST"),
        ("/", "OPTIONS"),
        ("/p/1/x/", "GET"),
    ]:
        assert call(apps["fastroute"], path, method) == call(apps["flask"], path, method), (method, path)


def test_config_defaults_match_flask() -> None:
    fapp = flask.Flask("a")
    rapp = fastroute.Flask("a")
    assert dict(rapp.config) == dict(fapp.config)


@pytest.mark.parametrize("debug", [False, True])
def test_json_formatting_matches(debug: bool) -> None:
    bodies = []
    for fw in (flask, fastroute):
        app = fw.Flask("j")
        app.debug = debug

        @app.route("/")
        def index() -> t.Any:
            import datetime
            import decimal
            import uuid

            return {
                "z": 1,
                "a": {
                    "d": datetime.datetime(2024, 1, 2, 3, 4, 5),
                    "u": uuid.UUID(int=5),
                    "dec": decimal.Decimal("1.5"),
                },
                "s": "ü",
            }

        bodies.append(app.test_client().get("/").get_data())
    assert bodies[0] == bodies[1]


def test_unbound_messages_match() -> None:
    for fw_name in ("current_app", "g", "request", "session"):
        messages = []
        for fw in (flask, fastroute):
            with pytest.raises(RuntimeError) as info:
                getattr(fw, fw_name).anything  # noqa: B018
            messages.append(str(info.value))
        assert messages[0] == messages[1], fw_name


def test_routes_table_sorted_like_flask_cli(static_dir: str) -> None:
    from click.testing import CliRunner
    from flask.cli import ScriptInfo, routes_command

    from fastroute.cli import format_routes

    fapp = build_basic(flask, static_dir)
    rapp = build_basic(fastroute, static_dir)
    for sort in ("endpoint", "rule"):
        result = CliRunner().invoke(routes_command, ["--sort", sort], obj=ScriptInfo(create_app=lambda: fapp))
        assert result.exit_code == 0, result.output
        expected = [line.rstrip() for line in result.output.strip().splitlines()]
        got = format_routes(rapp, sort).splitlines()
        # Method lists are sorted in both; compare row by row.
        assert got == expected
