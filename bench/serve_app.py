"""The benchmark app (``app_report.describe_app``) for a real server.

``serve_app:flask_app``, ``serve_app:fastroute_app``, ``serve_app:falcon_app``
(and ``serve_app:router_app``, Flask with fastroute's router only): each is
built on first use, so a server process imports only its framework.

What a response's shape costs a server: ``list_body_app``, ``iter_body_app``
and ``werkzeug_app`` answer every request with the params endpoint's JSON
(same status, headers and bytes) -- as a one-item list, as werkzeug's
``ClosingIterator`` over a generator (what ``Response.__call__`` returns), and
through a werkzeug ``Response`` object built and called per request.
"""

from __future__ import annotations

import typing as t

import app_report

_BODY = b'{"slug":"hello-world","user_id":42}\n'
_HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(_BODY)))]


def _list_body(environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]) -> t.Iterable[bytes]:
    start_response("200 OK", list(_HEADERS))
    return [_BODY]


def _iter_body(environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]) -> t.Iterable[bytes]:
    from werkzeug.wsgi import ClosingIterator

    start_response("200 OK", list(_HEADERS))
    return ClosingIterator(iter([_BODY]), lambda: None)


def _werkzeug(environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]) -> t.Iterable[bytes]:
    from werkzeug.wrappers import Response

    return Response(_BODY, mimetype="application/json")(environ, start_response)  # type: ignore[no-any-return]


def __getattr__(name: str) -> t.Any:
    factories: dict[str, t.Callable[[], t.Any]] = {
        "flask_app": lambda: app_report.describe_app(__import__("flask").Flask),
        "fastroute_app": lambda: app_report.describe_app(app_report.fastroute_class()),
        "router_app": lambda: app_report.describe_app(app_report.router_class()),
        "falcon_app": app_report.falcon_app,
        "list_body_app": lambda: _list_body,
        "iter_body_app": lambda: _iter_body,
        "werkzeug_app": lambda: _werkzeug,
    }
    if name not in factories:
        raise AttributeError(name)
    app = factories[name]()
    globals()[name] = app
    return app
