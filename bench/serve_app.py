"""The benchmark app (``app_report.describe_app``) for a real server.

``serve_app:flask_app``, ``serve_app:fastroute_app``, ``serve_app:falcon_app``
(and ``serve_app:router_app``, Flask with fastroute's router only): each is
built on first use, so a server process imports only its framework.
"""

from __future__ import annotations

import typing as t

import app_report


def __getattr__(name: str) -> t.Any:
    factories: dict[str, t.Callable[[], t.Any]] = {
        "flask_app": lambda: app_report.describe_app(__import__("flask").Flask),
        "fastroute_app": lambda: app_report.describe_app(app_report.fastroute_class()),
        "router_app": lambda: app_report.describe_app(app_report.router_class()),
        "falcon_app": app_report.falcon_app,
    }
    if name not in factories:
        raise AttributeError(name)
    app = factories[name]()
    globals()[name] = app
    return app
