"""In-process WSGI requests: one realistic app on Flask 3.1, on fastroute's fast
request path, and (where it has the endpoint) on Falcon 4.

The app (``describe_app``, applied to each Flask class) has a blueprint
``api`` under ``/api``, an app ``before_request`` (sets ``g.request_id``), an
app ``teardown_request``, a blueprint ``before_request`` (``g.user`` from the
session) and a blueprint ``after_request`` (an ``X-API`` header), and a
secret key (the session is used).  The endpoints (``CASES``):

``hello``      ``GET /`` -> ``"Hello, World!"``
``params``     ``GET /users/<int:user_id>/posts/<slug>`` -> ``jsonify(...)``
``session``    ``GET /session`` with a session cookie: read + write
``404``        ``GET /missing/page``
``json_post``  ``POST /api/echo`` with a JSON body -> ``jsonify``
``api``        ``GET /api/items/<int:item_id>`` with the cookie: ``g``,
               the session, the app and blueprint hooks

The Flask apps are: ``flask`` (Flask 3.1), ``flask+router`` (Flask with
fastroute's ``Map``/``Rule`` only) and ``fastroute`` (``fastroute.Flask``:
its request path, router and session interface; :func:`fastroute_class`).
``--session module:Class`` gives the fastroute app another session interface.

A request is one call of ``app(environ, start_response)`` with a copy of a
prebuilt environ (a fresh ``wsgi.input``), the body consumed and ``close()``
called.  Run ``python bench/app_report.py`` (``--number``, ``--repeat``); it
prints the best time per request and the ratios, side by side from one run.
``build_apps``/``request_runner`` are shared with ``bench/test_bench_app.py``
and the server benchmark (``bench/serve_report.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import timeit
import typing as t

WSGIApp = t.Callable[[dict[str, t.Any], t.Callable[..., t.Any]], t.Iterable[bytes]]

SECRET_KEY = "bench-secret-key"
SESSION = {"visits": 1, "user": "alice"}
POST_BODY = json.dumps({"name": "widget", "tags": ["a", "b"], "count": 3}).encode()


class Case(t.NamedTuple):
    path: str
    method: str = "GET"
    cookie: bool = False
    body: bytes = b""
    status: int = 200


CASES: dict[str, Case] = {
    "hello": Case("/"),
    "params": Case("/users/42/posts/hello-world"),
    "session": Case("/session", cookie=True),
    "404": Case("/missing/page", status=404),
    "json_post": Case("/api/echo", "POST", body=POST_BODY),
    "api": Case("/api/items/7", cookie=True),
}
#: the cases Falcon has (no sessions, no Flask hooks there)
FALCON_CASES = ("hello", "params", "404", "json_post")


def describe_app(cls: type) -> t.Any:
    """The benchmark app on the Flask class *cls* (the same code for every class)."""
    import flask
    from flask import jsonify

    import fastroute

    # The context globals come from the framework the app is written for: a
    # fastroute.Flask app takes fastroute's (faster proxies over Flask's
    # ContextVars, the same objects; docs/migrating.md); the code below is
    # the same for every class.
    g, request, session = (
        (fastroute.g, fastroute.request, fastroute.session)
        if issubclass(cls, fastroute.Flask)
        else (flask.g, flask.request, flask.session)
    )

    app = cls("bench_app")
    app.secret_key = SECRET_KEY
    api = flask.Blueprint("api", "bench_app", url_prefix="/api")

    @app.before_request
    def request_id() -> None:
        g.request_id = 1

    @app.teardown_request
    def release(exc: BaseException | None) -> None:
        g.pop("db", None)

    @app.route("/")
    def hello() -> str:
        return "Hello, World!"

    @app.route("/users/<int:user_id>/posts/<slug>")
    def post(user_id: int, slug: str) -> t.Any:
        return jsonify(user_id=user_id, slug=slug)

    @app.route("/session")
    def visits() -> str:
        session["visits"] = session.get("visits", 0) + 1
        return f"visits {session['visits']}"

    @api.before_request
    def load_user() -> None:
        g.user = session.get("user")

    @api.after_request
    def api_header(response: t.Any) -> t.Any:
        response.headers["X-API"] = "1"
        return response

    @api.route("/echo", methods=["POST"])
    def echo() -> t.Any:
        data = request.get_json()
        return jsonify(received=data, count=len(data))

    @api.route("/items/<int:item_id>")
    def item(item_id: int) -> t.Any:
        return {"item": item_id, "user": g.user, "request": g.request_id}

    app.register_blueprint(api)
    return app


def fastroute_class(session_interface: t.Any = None) -> type:
    """``fastroute.Flask``, optionally with another session interface."""
    import fastroute

    if session_interface is None:
        return fastroute.Flask
    return type("FastrouteFlask", (fastroute.Flask,), {"session_interface": session_interface})


def router_class() -> type:
    import flask

    import fastroute.routing

    return type("RoutedFlask", (flask.Flask,), {
        "url_map_class": fastroute.routing.Map, "url_rule_class": fastroute.routing.Rule,
    })  # fmt: skip


def falcon_app() -> WSGIApp:
    import falcon

    class Hello:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = "Hello, World!"

    class Post:
        def on_get(self, req: t.Any, resp: t.Any, user_id: int, slug: str) -> None:
            resp.media = {"slug": slug, "user_id": user_id}

    class Echo:
        def on_post(self, req: t.Any, resp: t.Any) -> None:
            data = req.get_media()
            resp.media = {"count": len(data), "received": data}

    app = falcon.App()
    app.add_route("/", Hello())
    app.add_route("/users/{user_id:int}/posts/{slug}", Post())
    app.add_route("/api/echo", Echo())
    return app  # type: ignore[no-any-return]


def build_apps(session_interface: t.Any = None, falcon: bool = True) -> dict[str, WSGIApp]:
    """The apps by name; Falcon is left out when it is not installed."""
    import flask

    apps: dict[str, WSGIApp] = {
        "flask": describe_app(flask.Flask),
        "flask+router": describe_app(router_class()),
        "fastroute": describe_app(fastroute_class(session_interface)),
    }
    if falcon:
        with contextlib.suppress(ImportError):
            apps["falcon"] = falcon_app()
    return apps


def session_cookie() -> str:
    """The ``Cookie`` header holding ``SESSION``, signed as Flask signs it."""
    import flask

    app = flask.Flask("cookie")
    app.secret_key = SECRET_KEY
    value = app.session_interface.get_signing_serializer(app).dumps(SESSION)  # type: ignore[union-attr]
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def make_environ(case: Case, cookie: str | None = None) -> dict[str, t.Any]:
    """A complete WSGI environ for *case* (``wsgi.input`` is set per request)."""
    environ: dict[str, t.Any] = {
        "REQUEST_METHOD": case.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": case.path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "HTTP_USER_AGENT": "bench",
        "HTTP_ACCEPT": "*/*",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if case.body:
        environ["CONTENT_TYPE"] = "application/json"
        environ["CONTENT_LENGTH"] = str(len(case.body))
    if case.cookie:
        environ["HTTP_COOKIE"] = cookie or session_cookie()
    return environ


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> None:
    return None


def request_runner(app: WSGIApp, case: Case) -> t.Callable[[], None]:
    """A zero-argument function doing one request of *app* for *case*."""
    environ = make_environ(case)
    body = case.body

    def run() -> None:
        env = environ.copy()
        env["wsgi.input"] = io.BytesIO(body)
        it = app(env, _start_response)
        for _ in it:
            pass
        close = getattr(it, "close", None)
        if close is not None:
            close()

    return run


def answer(app: WSGIApp, case: Case) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status, headers and body of one request."""
    seen: list[t.Any] = []
    env = make_environ(case)
    env["wsgi.input"] = io.BytesIO(case.body)
    it = app(env, lambda s, h, e=None: seen.append((s, h)))
    body = b"".join(it)
    getattr(it, "close", lambda: None)()
    return seen[0][0], seen[0][1], body


def _comparable(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Sorted headers with a session cookie's value decoded (its signature
    carries a timestamp)."""
    import flask

    app = flask.Flask("cookie")
    app.secret_key = SECRET_KEY
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[union-attr]
    out = []
    for key, value in headers:
        if key.lower() == "set-cookie":
            first, _, rest = value.partition(";")
            name, _, payload = first.partition("=")
            with app.app_context():
                value = f"{name}={serializer.loads(payload)!r};{rest}"
        out.append((key, value))
    return sorted(out)


def check(apps: dict[str, WSGIApp]) -> None:
    """Every app answers every case it has as Flask does (so we time the right thing)."""
    flask_answers = {name: answer(apps["flask"], case) for name, case in CASES.items()}
    for name, app in apps.items():
        for case_name, case in CASES.items():
            if name == "falcon":
                if case_name in FALCON_CASES:
                    status = answer(app, case)[0]
                    assert status.startswith(str(case.status)), (name, case_name, status)
                continue
            status, headers, body = answer(app, case)
            assert status.startswith(str(case.status)), (name, case_name, status)
            expected = flask_answers[case_name]
            assert (status, _comparable(headers), body) == (
                expected[0],
                _comparable(expected[1]),
                expected[2],
            ), (
                name,
                case_name,
            )


def measure(apps: dict[str, WSGIApp], number: int, repeat: int) -> dict[str, dict[str, float]]:
    """Best microseconds per request, by case then app (interleaved per case)."""
    times: dict[str, dict[str, float]] = {}
    for case_name, case in CASES.items():
        row = times[case_name] = {}
        for name, app in apps.items():
            if name == "falcon" and case_name not in FALCON_CASES:
                continue
            run = request_runner(app, case)
            run()
            row[name] = min(timeit.repeat(run, number=number, repeat=repeat)) / number * 1e6
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=5000, help="requests per timing run")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs (best is reported)")
    parser.add_argument(
        "--session",
        default="fastroute",
        help="session interface of the fastroute app: 'fastroute' (its own), 'flask' "
        "(Flask's SecureCookieSessionInterface) or module:Class",
    )
    args = parser.parse_args(argv)
    import fastroute

    interface = None
    if args.session == "flask":
        import flask.sessions

        interface = flask.sessions.SecureCookieSessionInterface()
    elif args.session != "fastroute":
        import importlib

        module, _, name = args.session.partition(":")
        interface = getattr(importlib.import_module(module), name)()
    apps = build_apps(interface)
    check(apps)
    times = measure(apps, args.number, args.repeat)
    names = list(apps)
    print(
        f"fastroute {fastroute.__version__} (compiled cores: {fastroute.COMPILED}); "
        f"session interface: {args.session}; best of {args.repeat} x {args.number} requests, us/request"
    )
    print(
        f"{'case':10}"
        + "".join(f"{n:>14}" for n in names)
        + "   fastroute vs flask | vs falcon | router only vs flask"
    )
    for case_name, row in times.items():
        line = f"{case_name:10}" + "".join(f"{row[n]:>12.2f}us" if n in row else f"{'-':>14}" for n in names)
        line += f"   {row['flask'] / row['fastroute']:6.1f}x"
        line += f" | {row['falcon'] / row['fastroute']:5.2f}x" if "falcon" in row else " |     - "
        line += f" | {row['flask'] / row['flask+router']:4.2f}x"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
