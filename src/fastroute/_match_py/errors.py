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


def _http_error(cls: type[HTTPException], valid_methods: list[str] | None = None) -> HTTPException:
    """werkzeug's ``cls()`` (``cls(valid_methods=...)`` for a 405)."""
    return cls() if valid_methods is None else cls(valid_methods=valid_methods)  # type: ignore[call-arg]


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
        return _http_error(MethodNotAllowed, _passed_methods(have))
    if wsm:
        return _http_error(WebsocketMismatch)
    return _http_error(NotFound)
