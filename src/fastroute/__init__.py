"""fastroute: a compiled, werkzeug-compatible URL router, and Flask on it.

``fastroute.routing`` is a drop-in replacement for ``werkzeug.routing`` and
``fastroute.local`` for ``werkzeug.local``.  ``COMPILED`` is True when both
Cython cores are in use; it is False when ``FASTROUTE_NO_EXTENSIONS`` is set or
no extension was built for this interpreter, and the pure-Python twins (same
behaviour, slower) are running.

``from fastroute import Flask`` gives :class:`fastroute.app.Flask`, a subclass
of ``flask.Flask`` that routes with ``fastroute.routing``.  The other names
Flask exports (``Blueprint``, ``request``, ``jsonify``, ``render_template``,
the signals, ...) are importable from here too, so migrating an app is one
changed import line; they are Flask's own objects, except ``request``,
``session``, ``g`` and ``current_app``, which are fastroute proxies standing
for the same objects as Flask's (see :mod:`fastroute.app`).

The app layer is resolved on first use (PEP 562): ``import fastroute``,
``import fastroute.routing`` and ``import fastroute.local`` do not import
Flask, which only the app layer needs.
"""

from __future__ import annotations

import typing as t

# The cores are chosen in one place; routing and local are loaded with the
# package, as they always were (neither imports Flask).
from . import local as local, routing as routing
from ._cores import COMPILED as COMPILED

__version__ = "0.1.0.dev0"

# -- the app layer, imported on first use -----------------------------------------

#: Names whose objects are fastroute's own (:mod:`fastroute.app`).
_FROM_APP = frozenset({"Flask", "Blueprint", "current_app", "g", "request", "session"})
#: Names taken as they are from the ``flask`` package.
_FROM_FLASK = frozenset(
    {
        "Config",
        "Request",
        "Response",
        "abort",
        "after_this_request",
        "appcontext_popped",
        "appcontext_pushed",
        "appcontext_tearing_down",
        "before_render_template",
        "copy_current_request_context",
        "flash",
        "get_flashed_messages",
        "get_template_attribute",
        "got_request_exception",
        "has_app_context",
        "has_request_context",
        "json",
        "jsonify",
        "make_response",
        "message_flashed",
        "redirect",
        "render_template",
        "render_template_string",
        "request_finished",
        "request_started",
        "request_tearing_down",
        "send_file",
        "send_from_directory",
        "stream_template",
        "stream_template_string",
        "stream_with_context",
        "template_rendered",
        "url_for",
    }
)
#: Names ``flask.views`` holds (``from fastroute import MethodView``).
_FROM_FLASK_VIEWS = frozenset({"MethodView", "View"})
#: Names ``flask.ctx`` holds.
_FROM_FLASK_CTX = frozenset({"AppContext", "RequestContext"})
_APP_LAYER = _FROM_APP | _FROM_FLASK | _FROM_FLASK_VIEWS | _FROM_FLASK_CTX

if t.TYPE_CHECKING:
    from flask import (
        Config as Config,
        Request as Request,
        Response as Response,
        abort as abort,
        after_this_request as after_this_request,
        appcontext_popped as appcontext_popped,
        appcontext_pushed as appcontext_pushed,
        appcontext_tearing_down as appcontext_tearing_down,
        before_render_template as before_render_template,
        copy_current_request_context as copy_current_request_context,
        flash as flash,
        get_flashed_messages as get_flashed_messages,
        get_template_attribute as get_template_attribute,
        got_request_exception as got_request_exception,
        has_app_context as has_app_context,
        has_request_context as has_request_context,
        json as json,
        jsonify as jsonify,
        make_response as make_response,
        message_flashed as message_flashed,
        redirect as redirect,
        render_template as render_template,
        render_template_string as render_template_string,
        request_finished as request_finished,
        request_started as request_started,
        request_tearing_down as request_tearing_down,
        send_file as send_file,
        send_from_directory as send_from_directory,
        stream_template as stream_template,
        stream_template_string as stream_template_string,
        stream_with_context as stream_with_context,
        template_rendered as template_rendered,
        url_for as url_for,
    )
    from flask.ctx import AppContext as AppContext, RequestContext as RequestContext
    from flask.views import MethodView as MethodView, View as View

    from .app import (
        Blueprint as Blueprint,
        Flask as Flask,
        current_app as current_app,
        g as g,
        request as request,
        session as session,
    )
else:

    def __getattr__(name: str) -> t.Any:
        """Import the app layer when one of its names is first asked for."""
        if name not in _APP_LAYER:
            # Also how `from fastroute import <submodule>` falls through to
            # importing the submodule.
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        try:
            if name in _FROM_APP:
                from . import app as source
            elif name in _FROM_FLASK:
                import flask as source
            elif name in _FROM_FLASK_VIEWS:
                import flask.views as source
            else:
                import flask.ctx as source
        except ModuleNotFoundError as e:
            if e.name != "flask":
                raise
            raise ModuleNotFoundError(
                f"fastroute.{name} is part of fastroute's app layer, which is Flask: "
                "install Flask 3.1 (pip install 'fastroute[flask]')",
                name="flask",
            ) from e
        value = getattr(source, name)
        globals()[name] = value  # later reads skip this function
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_APP_LAYER})


__all__ = ["COMPILED", "__version__", *sorted(_APP_LAYER)]
