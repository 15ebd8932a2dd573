"""In-process WSGI request benchmark: fastroute vs Flask 3.1 vs Falcon 4 (when importable).

``flask+fastroute`` is Flask 3.1 with ``url_map_class``/``url_rule_class`` set
to fastroute's (the drop-in router, nothing else changed).

Each framework serves the same four cases — ``hello`` (a plain-text
hello-world), ``params`` (a route with an ``int`` and a string parameter),
``json`` (a view returning a small dict as JSON) and ``404`` (an unknown
path).  A request is one call of ``app(environ, start_response)`` with a copy
of a prebuilt environ, the body consumed and ``close()`` called.

Run ``python bench/app_report.py`` (``--number N``, ``--repeat R``); it prints
the best time per request and the ratios to Flask.  ``build_apps`` and
``make_environ`` are shared with ``bench/test_bench_app.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import timeit
import typing as t

CASES: dict[str, str] = {
    "hello": "/",
    "params": "/users/42/posts/hello-world",
    "json": "/json",
    "404": "/missing/page",
}

WSGIApp = t.Callable[[dict[str, t.Any], t.Callable[..., t.Any]], t.Iterable[bytes]]


def make_environ(path: str, method: str = "GET") -> dict[str, t.Any]:
    """A minimal, complete WSGI environ for *path*."""
    return {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
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
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def _flask_like(module: t.Any, router: t.Any = None) -> WSGIApp:
    """The same app on *module*'s ``Flask``; with *router* (``fastroute.routing``)
    as its ``url_map_class``/``url_rule_class``, the Flask drop-in."""
    cls = module.Flask
    if router is not None:
        cls = type("RoutedFlask", (cls,), {"url_map_class": router.Map, "url_rule_class": router.Rule})
    app = cls("bench_app")

    @app.route("/")
    def hello() -> str:
        return "Hello, World!"

    @app.route("/users/<int:user_id>/posts/<slug>")
    def post(user_id: int, slug: str) -> str:
        return f"user {user_id} post {slug}"

    @app.route("/json")
    def as_json() -> t.Any:
        return {"hello": "world", "items": [1, 2, 3]}

    return app  # type: ignore[no-any-return]


def _falcon() -> WSGIApp:
    import falcon

    class Hello:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = "Hello, World!"

    class Post:
        def on_get(self, req: t.Any, resp: t.Any, user_id: int, slug: str) -> None:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = f"user {user_id} post {slug}"

    class Json:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            resp.media = {"hello": "world", "items": [1, 2, 3]}

    app = falcon.App()
    app.add_route("/", Hello())
    app.add_route("/users/{user_id:int}/posts/{slug}", Post())
    app.add_route("/json", Json())
    return app  # type: ignore[no-any-return]


def build_apps() -> dict[str, WSGIApp]:
    """The apps by framework name; frameworks that are not installed are left out."""
    import fastroute

    apps: dict[str, WSGIApp] = {"fastroute": _flask_like(fastroute)}
    try:
        import flask
    except ImportError:  # pragma: no cover
        pass
    else:
        apps["flask"] = _flask_like(flask)
        import fastroute.routing

        apps["flask+fastroute"] = _flask_like(flask, fastroute.routing)
    with contextlib.suppress(ImportError):
        apps["falcon"] = _falcon()
    return apps


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> None:
    return None


def request_runner(app: WSGIApp, path: str) -> t.Callable[[], None]:
    """A zero-argument function doing one request of *app* for *path*."""
    environ = make_environ(path)

    def run() -> None:
        env = environ.copy()
        it = app(env, _start_response)
        for _ in it:
            pass
        close = getattr(it, "close", None)
        if close is not None:
            close()

    return run


def check(apps: dict[str, WSGIApp]) -> None:
    """Every app answers every case with the expected status (so we time the right thing)."""
    for name, app in apps.items():
        for case, path in CASES.items():
            seen: list[str] = []
            it = app(make_environ(path), lambda s, h, e=None, seen=seen: seen.append(s))
            b"".join(it)
            expect = "404" if case == "404" else "200"
            assert seen and seen[0].startswith(expect), (name, case, seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=20000, help="requests per timing run")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs (best is reported)")
    args = parser.parse_args(argv)
    import fastroute

    apps = build_apps()
    check(apps)
    names = list(apps)
    print(
        f"fastroute {fastroute.__version__} (compiled cores: {fastroute.COMPILED}); best of {args.repeat} x {args.number}"
    )
    print(
        f"{'case':8}"
        + "".join(f"{n:>16}" for n in names)
        + "   fastroute vs flask / vs falcon; flask+fastroute vs flask"
    )
    for case, path in CASES.items():
        times = {}
        for name in names:
            run = request_runner(apps[name], path)
            times[name] = min(timeit.repeat(run, number=args.number, repeat=args.repeat)) / args.number * 1e6
        row = f"{case:8}" + "".join(f"{times[n]:>14.2f}us" for n in names)
        if "flask" in times:
            row += f"   {times['flask'] / times['fastroute']:5.1f}x faster"
        if "falcon" in times:
            row += f" / {times['falcon'] / times['fastroute']:4.2f}x Falcon's speed"
        if "flask+fastroute" in times:
            row += f"; {times['flask'] / times['flask+fastroute']:4.2f}x"
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
