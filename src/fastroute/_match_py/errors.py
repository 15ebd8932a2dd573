"""werkzeug's routing exceptions as ``MapAdapter.match`` raises them (the
twin of ``_match_parts/errors.pxi``).

The compiled core makes them without running their ``__init__`` (two
Python frames each, more than a whole match); this core calls the classes.
The caller raises them ``from None``, as werkzeug does.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing.exceptions import RequestRedirect, WebsocketMismatch

from .methods import _passed_methods

# C only: _new_error (an HTTPException made without __init__, from a template of its attributes)
# C only: _suppressed (raise ... from None's flag, set on the instance)
# C only: _http_error (cls() made without __init__ by _new_error; here the class is called)


def _redirect_error(url: str) -> RequestRedirect:
    """werkzeug's ``RequestRedirect(url)`` for a slash or merge-slashes
    redirect."""
    return RequestRedirect(url)


# C only: _check_direct_exceptions (whether _new_error makes what __init__ would)


def _no_match_error(have: t.AbstractSet[str] | None, wsm: bool) -> HTTPException:
    """The error of a match that found no rule: 405 with the methods the
    path has (in ``_passed_methods`` order), or a websocket mismatch, or
    404."""
    if have:
        return MethodNotAllowed(valid_methods=_passed_methods(have))
    if wsm:
        return WebsocketMismatch()
    return NotFound()
