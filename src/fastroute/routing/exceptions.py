"""Routing exceptions.

These are werkzeug's own classes, re-exported: Flask and user code test them
with ``isinstance``, so fastroute raises exactly what werkzeug raises.
"""

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing.exceptions import (
    BuildError,
    NoMatch,
    RequestAliasRedirect,
    RequestPath,
    RequestRedirect,
    RoutingException,
    WebsocketMismatch,
)

__all__ = [
    "BuildError",
    "MethodNotAllowed",
    "NoMatch",
    "NotFound",
    "RequestAliasRedirect",
    "RequestPath",
    "RequestRedirect",
    "RoutingException",
    "WebsocketMismatch",
]
