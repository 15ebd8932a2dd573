"""fastroute: a compiled, werkzeug-compatible URL router.

``fastroute.routing`` is a drop-in replacement for ``werkzeug.routing`` and
``fastroute.local`` for ``werkzeug.local``.  ``COMPILED`` is True when both
Cython cores are in use; it is False when ``FASTROUTE_NO_EXTENSIONS`` is set or
no extension was built for this interpreter, and the pure-Python twins (same
behaviour, slower) are running.
"""

from .local import COMPILED as _LOCAL_COMPILED
from .routing.matcher import COMPILED as _ROUTING_COMPILED

COMPILED: bool = _ROUTING_COMPILED and _LOCAL_COMPILED

__version__ = "0.1.0.dev0"

# -- the Flask-compatible app layer ------------------------------------------------

from .app import Flask as Flask  # noqa: E402
from .blueprints import Blueprint as Blueprint  # noqa: E402
from .config import Config as Config  # noqa: E402
from .ctx import (  # noqa: E402
    AppContext as AppContext,
    RequestContext as RequestContext,
    after_this_request as after_this_request,
    copy_current_request_context as copy_current_request_context,
    has_app_context as has_app_context,
    has_request_context as has_request_context,
)
from .globals import current_app as current_app, g as g, request as request, session as session  # noqa: E402
from .helpers import (  # noqa: E402
    abort as abort,
    flash as flash,
    get_flashed_messages as get_flashed_messages,
    make_response as make_response,
    redirect as redirect,
    send_file as send_file,
    send_from_directory as send_from_directory,
    stream_with_context as stream_with_context,
    url_for as url_for,
)
from .json import jsonify as jsonify  # noqa: E402
from .views import MethodView as MethodView, View as View  # noqa: E402
from .wrappers import Request as Request, Response as Response  # noqa: E402

__all__ = [
    "COMPILED",
    "AppContext",
    "Blueprint",
    "Config",
    "Flask",
    "MethodView",
    "Request",
    "RequestContext",
    "Response",
    "View",
    "__version__",
    "abort",
    "after_this_request",
    "copy_current_request_context",
    "current_app",
    "flash",
    "g",
    "get_flashed_messages",
    "has_app_context",
    "has_request_context",
    "jsonify",
    "make_response",
    "redirect",
    "request",
    "send_file",
    "send_from_directory",
    "session",
    "stream_with_context",
    "url_for",
]
