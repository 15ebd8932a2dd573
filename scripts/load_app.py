"""Apps of one shape for the load test (``scripts/load.py``): the GitHub API
route table served by ``fastroute.Flask``, by Flask, and by Flask with
fastroute's Map and Rule.

Every view answers ``"<endpoint> <sorted arguments>"`` and every response,
errors included, carries ``X-Method`` and ``X-Path`` headers, so the load
generator can check each answer against the one expected for its request.

gunicorn imports ``load_app:fastroute_app``, ``load_app:flask_app`` or
``load_app:flask_fastroute_app``.
"""

from __future__ import annotations

import typing as t
from collections import defaultdict

from fastroute.bench.tables import get_table

TABLE = "github"


def routes() -> list[tuple[str, list[str]]]:
    """The table's paths, each with its methods, in table order."""
    methods: dict[str, list[str]] = defaultdict(list)
    for route in get_table(TABLE).routes:
        methods[route.path].append(route.method)
    return list(methods.items())


def _view(endpoint: str) -> t.Callable[..., str]:
    def view(**kwargs: t.Any) -> str:
        return f"{endpoint} {sorted(kwargs.items())}"

    view.__name__ = endpoint
    return view


def make(flask_module: t.Any, fastroute_routing: bool = False) -> t.Any:
    """The app, built with *flask_module* (``fastroute`` or ``flask``)."""
    cls = flask_module.Flask
    if fastroute_routing:
        import fastroute.routing

        cls = type("FlaskOnFastroute", (cls,), {
            "url_map_class": fastroute.routing.Map,
            "url_rule_class": fastroute.routing.Rule,
        })  # fmt: skip
    app = cls(__name__)
    request = flask_module.request

    @app.after_request
    def tag(response: t.Any) -> t.Any:
        response.headers["X-Method"] = request.method
        response.headers["X-Path"] = request.path
        return response

    for i, (path, methods) in enumerate(routes()):
        app.add_url_rule(path, f"r{i}", _view(f"r{i}"), methods=methods)
    return app


def _fastroute_app() -> t.Any:
    import fastroute

    return make(fastroute)


def _flask_app(fastroute_routing: bool = False) -> t.Any:
    import flask

    return make(flask, fastroute_routing)


def __getattr__(name: str) -> t.Any:
    # Built on first use, so each server process imports only its framework.
    factories = {
        "fastroute_app": _fastroute_app,
        "flask_app": _flask_app,
        "flask_fastroute_app": lambda: _flask_app(True),
    }
    if name not in factories:
        raise AttributeError(name)
    app = factories[name]()
    globals()[name] = app
    return app
