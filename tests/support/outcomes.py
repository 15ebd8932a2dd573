"""What a routing call did, in a form that compares across werkzeug and
fastroute, and the small helpers that run one call on both libraries."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import werkzeug.routing as wz
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect

import fastroute.routing as fr

GUARD_SECONDS = 30


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


def call_outcome(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """:func:`outcome` of ``call(*args, **kwargs)`` with exception texts; a
    matched rule (``return_rule=True``) by its repr."""
    found = outcome(functools.partial(call, *args, **kwargs), message=True)
    if found[0] == "ok" and isinstance(found[1], tuple) and isinstance(found[1][0], (wz.Rule, fr.Rule)):
        return ("ok", repr(found[1][0]), found[1][1])
    return found


def match_outcome(adapter: Any, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """A comparable summary of what ``adapter.match(*args, **kwargs)`` does."""
    try:
        endpoint, values = adapter.match(*args, **kwargs)
    except RequestRedirect as e:
        return ("redirect", e.new_url, e.code)
    except MethodNotAllowed as e:
        return ("405", sorted(e.valid_methods or ()))
    except HTTPException as e:
        return (type(e).__name__,)
    if isinstance(endpoint, (fr.Rule, wz.Rule)):
        endpoint = ("rule", endpoint.rule, endpoint.endpoint)
    return ("match", endpoint, values)


def build_outcome(adapter: Any, *args: Any, **kwargs: Any) -> Any:
    """``adapter.build(*args, **kwargs)``, or the exception's type name and text."""
    try:
        return adapter.build(*args, **kwargs)
    except Exception as e:  # compared by type and message
        return (type(e).__name__, str(e))


def both(fn: Callable[[Any], Any]) -> list[Any]:
    """``fn(module)`` for fastroute and werkzeug; exceptions become (type, msg)."""
    results = []
    for module in (fr, wz):
        try:
            results.append(fn(module))
        except Exception as e:
            results.append((type(e).__name__, str(e)))
    return results


def assert_same(fn: Callable[[Any], Any]) -> Any:
    """:func:`both`, asserting the two answers are equal; fastroute's answer."""
    ours, theirs = both(fn)
    assert ours == theirs
    return ours


def both_maps(rules: list[tuple[str, dict[str, Any]]], **options: Any) -> tuple[Any, Any]:
    """The same rules (``(string, options)`` pairs) as a werkzeug Map and a
    fastroute Map, in that order."""
    wmap, fmap = (
        mod.Map([mod.Rule(string, **opts) for string, opts in rules], **options) for mod in (wz, fr)
    )
    return wmap, fmap


def guarded(fn: Callable[[], Any], seconds: float = GUARD_SECONDS) -> tuple[Any, ...]:
    """``outcome(fn)``; fails the test when it has not finished within *seconds*."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = outcome(fn)
        except BaseException as e:  # RecursionError, MemoryError, ...
            box["result"] = ("crash", type(e))

    start = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    elapsed = time.monotonic() - start
    if thread.is_alive() or elapsed > seconds:
        pytest.fail(f"no answer within {seconds} s (took {elapsed:.1f} s so far)")
    return box["result"]  # type: ignore[no-any-return]
