"""The context globals: ``current_app``, ``g``, ``request``, ``session``.

Each is a :class:`fastroute.local.LocalProxy` over one of two context
variables, the current application context and the current request context,
so reading ``request.args`` costs one ``ContextVar`` read and one attribute
access.  Outside a context they raise ``RuntimeError`` with Flask's messages.
"""

from __future__ import annotations

import typing as t
from contextvars import ContextVar

from .local import LocalProxy

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .ctx import AppContext, RequestContext, _AppCtxGlobals
    from .sessions import SessionMixin
    from .wrappers import Request

_no_app_msg = """\
Working outside of application context.

This typically means that you attempted to use functionality that needed
the current application. To solve this, set up an application context
with app.app_context(). See the documentation for more information.\
"""
_no_req_msg = """\
Working outside of request context.

This typically means that you attempted to use functionality that needed
an active HTTP request. Consult the documentation on testing for
information about how to avoid this problem.\
"""

#: The application context of the current execution context.
_cv_app: ContextVar[AppContext] = ContextVar("fastroute.app_ctx")
#: The request context of the current execution context.
_cv_request: ContextVar[RequestContext] = ContextVar("fastroute.request_ctx")

app_ctx: AppContext = LocalProxy(_cv_app, unbound_message=_no_app_msg)  # type: ignore[assignment]
current_app: Flask = LocalProxy(_cv_app, "app", unbound_message=_no_app_msg)  # type: ignore[assignment]
g: _AppCtxGlobals = LocalProxy(_cv_app, "g", unbound_message=_no_app_msg)  # type: ignore[assignment]

request_ctx: RequestContext = LocalProxy(_cv_request, unbound_message=_no_req_msg)  # type: ignore[assignment]
request: Request = LocalProxy(_cv_request, "request", unbound_message=_no_req_msg)  # type: ignore[assignment]
session: SessionMixin = LocalProxy(_cv_request, "session", unbound_message=_no_req_msg)  # type: ignore[assignment]
