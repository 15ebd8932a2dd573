"""What a routing call did, in a form that compares across werkzeug and
fastroute: shared by the bad-input, hostile-input and security tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect


def outcome(fn: Callable[[], Any], message: bool = False) -> tuple[Any, ...]:
    """``("ok", result)``, a redirect's code and URL, a 405's methods, an HTTP
    error's type and code, or the type (and with *message* the text) of any
    other exception."""
    try:
        return ("ok", fn())
    except RequestRedirect as e:
        return ("redirect", e.code, e.new_url)
    except MethodNotAllowed as e:
        return ("405", sorted(e.valid_methods or ()))
    except HTTPException as e:
        return ("http", type(e), e.code)
    except Exception as e:
        return ("raise", type(e), str(e)) if message else ("raise", type(e))
