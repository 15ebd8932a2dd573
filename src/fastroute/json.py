"""JSON for the app: ``app.json`` (a :class:`DefaultJSONProvider`) and ``jsonify``.

Like Flask 3.1: keys are sorted, output is ASCII-escaped, compact outside
debug mode and indented in debug mode, and dates, UUIDs, decimals,
dataclasses and objects with ``__html__`` are serialised.
"""

from __future__ import annotations

import dataclasses
import decimal
import json as _json
import typing as t
import uuid
import weakref
from datetime import date

from werkzeug.http import http_date

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .wrappers import Response


def _default(o: t.Any) -> t.Any:
    if isinstance(o, date):
        return http_date(o)
    if isinstance(o, (decimal.Decimal, uuid.UUID)):
        return str(o)
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    if hasattr(o, "__html__"):
        return str(o.__html__())
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


class JSONProvider:
    """The interface of ``app.json``: ``dumps``, ``loads``, ``dump``, ``load``, ``response``."""

    def __init__(self, app: Flask) -> None:
        self._app: Flask = weakref.proxy(app)  # type: ignore[assignment]

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        raise NotImplementedError

    def dump(self, obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
        fp.write(self.dumps(obj, **kwargs))

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        raise NotImplementedError

    def load(self, fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
        return self.loads(fp.read(), **kwargs)

    def _prepare_response_obj(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> t.Any:
        if args and kwargs:
            raise TypeError("app.json.response() takes either args or kwargs, not both")
        if not args and not kwargs:
            return None
        if len(args) == 1:
            return args[0]
        return args or kwargs

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """A response with the arguments as JSON (one argument, a list of them, or the keywords as a dict)."""
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self.dumps(obj), mimetype="application/json")


class DefaultJSONProvider(JSONProvider):
    """JSON with the standard library, configured like Flask's default provider."""

    default: t.Callable[[t.Any], t.Any] = staticmethod(_default)
    ensure_ascii = True
    sort_keys = True
    compact: bool | None = None
    mimetype = "application/json"

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return _json.dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        return _json.loads(s, **kwargs)

    _encoder: tuple[t.Any, _json.JSONEncoder] | None = None

    def _compact_encoder(self) -> _json.JSONEncoder | None:
        """A reusable encoder equal to what :meth:`response` uses, or None in indented mode."""
        if self.compact is False or (self.compact is None and self._app.debug):
            return None
        key = (self.default, self.ensure_ascii, self.sort_keys)
        cached = self._encoder
        if cached is None or cached[0] != key:
            enc = _json.JSONEncoder(
                default=self.default,
                ensure_ascii=self.ensure_ascii,
                sort_keys=self.sort_keys,
                separators=(",", ":"),
            )
            cached = self._encoder = (key, enc)
        return cached[1]

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        if (self.compact is None and self._app.debug) or self.compact is False:
            text = self.dumps(obj, indent=2)
        else:
            text = self.dumps(obj, separators=(",", ":"))
        return self._app.response_class(f"{text}\n", mimetype=self.mimetype)


def _app() -> t.Any:
    from .globals import _cv_app

    ctx = _cv_app.get(None)
    return None if ctx is None else ctx.app


def dumps(obj: t.Any, **kwargs: t.Any) -> str:
    """Serialise with the current app's provider, or the standard library outside an app."""
    app = _app()
    if app is not None:
        return app.json.dumps(obj, **kwargs)  # type: ignore[no-any-return]
    kwargs.setdefault("default", _default)
    return _json.dumps(obj, **kwargs)


def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
    """Parse with the current app's provider, or the standard library outside an app."""
    app = _app()
    if app is not None:
        return app.json.loads(s, **kwargs)
    return _json.loads(s, **kwargs)


def dump(obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
    fp.write(dumps(obj, **kwargs))


def load(fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
    return loads(fp.read(), **kwargs)


def jsonify(*args: t.Any, **kwargs: t.Any) -> Response:
    """A JSON response from one value, several values (a list) or keywords (an object)."""
    from .globals import current_app

    return current_app.json.response(*args, **kwargs)
