"""A pytest plugin that runs Flask's own test suite against ``fastroute.Flask``.

Loaded with ``-p flask_as_fastroute`` (this folder on ``PYTHONPATH``) by
``tests/test_flask_suite.py``, it runs before pytest imports Flask's
``conftest.py`` and test modules, and makes ``flask.Flask`` and
``flask.app.Flask`` (the two names Flask's tests use) fastroute's subclass.
Everything the tests import from Flask afterwards is Flask's own.

``FLASK_AS_FASTROUTE=0`` leaves Flask alone: the same command then gives
plain Flask's result, which the test compares against.
"""

from __future__ import annotations

import os

import _pytest.monkeypatch

# Flask 3.1.3's conftest.py and test_cli.py import `notset` from
# _pytest.monkeypatch, a private name newer pytest calls NOTSET.  The same
# sentinel under the old name; it changes no test's outcome.
if not hasattr(_pytest.monkeypatch, "notset"):
    _pytest.monkeypatch.notset = _pytest.monkeypatch.NOTSET  # type: ignore[attr-defined]

if os.environ.get("FLASK_AS_FASTROUTE", "1") != "0":
    import flask
    import flask.app

    from fastroute.app import Flask

    flask.Flask = Flask  # type: ignore[misc]
    flask.app.Flask = Flask  # type: ignore[misc]


def pytest_report_header() -> str:
    """One line saying which Flask runs, and on which core (the test reads it)."""
    import flask

    import fastroute

    return f"flask.Flask is {flask.Flask.__module__}.{flask.Flask.__qualname__}; fastroute.COMPILED={fastroute.COMPILED}"
