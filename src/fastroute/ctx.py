"""Application and request contexts.

``AppContext`` holds ``current_app`` and ``g``; ``RequestContext`` holds the
request, its session, the URL adapter and the match result.  Pushing a
request context pushes an app context first when the current one belongs to
another app (or there is none).

To keep a request cheap the request context creates things on first use:
the werkzeug ``Request`` object (built from the environ when ``request`` is
first touched), the session (opened when ``session`` is first touched, or at
the end of the request when the session cookie is present), ``g`` and the
app context's URL adapter.  What the application sees is the same as with
eager creation.
"""

from __future__ import annotations

import contextvars
import functools
import sys
import typing as t
from types import TracebackType

from werkzeug.exceptions import HTTPException

from .globals import _cv_app, _cv_request
from .wrappers import _split_blueprint_path

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .routing import MapAdapter, Rule
    from .sessions import SessionMixin
    from .wrappers import Request

_sentinel = object()
#: what ``Flask._fast_adapter`` returns when the environ needs the full ``create_url_adapter``
_NO_ADAPTER = object()
F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class _lazy:
    """A non-data descriptor computing an attribute once and storing it in the
    instance ``__dict__``, so later reads are plain attribute reads."""

    def __init__(self, func: t.Callable[[t.Any], t.Any]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj: t.Any, owner: t.Any = None) -> t.Any:
        if obj is None:
            return self
        value = self.func(obj)
        obj.__dict__[self.name] = value
        return value


class _AppCtxGlobals:
    """``g``: a namespace for data that lives as long as the app context."""

    def __getattr__(self, name: str) -> t.Any:
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default: t.Any | None = None) -> t.Any:
        """The attribute *name*, or *default*."""
        return self.__dict__.get(name, default)

    def pop(self, name: str, default: t.Any = _sentinel) -> t.Any:
        """Remove and return *name* (``KeyError`` without a *default*)."""
        if default is _sentinel:
            return self.__dict__.pop(name)
        return self.__dict__.pop(name, default)

    def setdefault(self, name: str, default: t.Any = None) -> t.Any:
        """The attribute *name*, set to *default* first if missing."""
        return self.__dict__.setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in self.__dict__

    def __iter__(self) -> t.Iterator[str]:
        return iter(self.__dict__)

    def __repr__(self) -> str:
        ctx = _cv_app.get(None)
        if ctx is not None:
            return f"<fastroute.g of '{ctx.app.name}'>"
        return object.__repr__(self)


class AppContext:
    """The application context: makes ``current_app`` and ``g`` available.

    Use ``with app.app_context():`` to work with the app outside a request
    (CLI commands, tests, background jobs).
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._cv_tokens: list[contextvars.Token[AppContext]] = []

    @_lazy
    def g(self) -> _AppCtxGlobals:
        """This context's ``g`` object (created on first use)."""
        return self.app.app_ctx_globals_class()

    @_lazy
    def url_adapter(self) -> MapAdapter | None:
        """An adapter bound from ``SERVER_NAME``, or None when it is not set."""
        return self.app.create_url_adapter(None)

    def push(self) -> None:
        """Make this the current app context."""
        self._cv_tokens.append(_cv_app.set(self))

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Run the ``teardown_appcontext`` functions (on the last pop) and restore the previous context."""
        try:
            if len(self._cv_tokens) == 1:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_appcontext(exc)
        finally:
            ctx = _cv_app.get()
            _cv_app.reset(self._cv_tokens.pop())
        if ctx is not self:
            raise AssertionError(f"Popped wrong app context. ({ctx!r} instead of {self!r})")

    def __enter__(self) -> AppContext:
        self.push()
        return self

    def __exit__(
        self, exc_type: type | None, exc_value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.pop(exc_value)


class RequestContext:
    """The request context: makes ``request`` and ``session`` available.

    Created for every request by :meth:`Flask.wsgi_app`; in tests use
    ``with app.test_request_context(...):``.  On push the URL is matched, so
    ``request.url_rule``, ``view_args`` and ``routing_exception`` are set.
    """

    #: set by matching; copied onto the request object when it is built
    _url_rule: Rule | None = None
    _view_args: dict[str, t.Any] | None = None
    _routing_exception: HTTPException | None = None

    def __init__(
        self,
        app: Flask,
        environ: dict[str, t.Any],
        request: Request | None = None,
        session: SessionMixin | None = None,
    ) -> None:
        self.app = app
        if request is not None:
            environ = request.environ
            request.json_module = app.json
            self.__dict__["request"] = request
        self.environ = environ
        if session is not None:
            self._session = session
        self.flashes: list[tuple[str, str]] | None = None
        self._after_request_functions: list[t.Callable[[t.Any], t.Any]] = []
        self._cv_tokens: list[tuple[contextvars.Token[RequestContext], AppContext | None]] = []
        try:
            if request is None and app._fast_bind:
                adapter = app._fast_adapter(environ)
                self.url_adapter: MapAdapter | None = (
                    adapter if adapter is not _NO_ADAPTER else app.create_url_adapter(self.request)
                )
            else:
                self.url_adapter = app._bind_adapter(self)
        except HTTPException as e:
            self.url_adapter = None
            self._set_routing_exception(e)

    @_lazy
    def request(self) -> Request:
        """The werkzeug request object, built from the environ on first use."""
        app = self.app
        req = app.request_class(self.environ)
        req.json_module = app.json
        if self._url_rule is not None:
            req.url_rule = self._url_rule
            req.view_args = self._view_args
        if self._routing_exception is not None:
            req.routing_exception = self._routing_exception
        return req

    #: the opened session, or None until it is first needed
    _session: SessionMixin | None = None

    @property
    def session(self) -> SessionMixin:
        """The session, opened by the app's session interface on first use.

        Reading it (also through the ``session`` proxy) marks it accessed, so
        the response gets ``Vary: Cookie``, as in Flask 3.1.3.
        """
        s = self._session
        if s is None:
            s = self._open_session()
        s.accessed = True
        return s

    @session.setter
    def session(self, value: SessionMixin) -> None:
        self._session = value

    def _open_session(self) -> SessionMixin:
        app = self.app
        s = app.session_interface.open_session(app, self.request)
        if s is None:
            s = app.session_interface.make_null_session(app)
        self._session = s
        return s

    def _blueprints(self) -> list[str]:
        """``request.blueprints`` without building the request object."""
        req: Request | None = self.__dict__.get("request")
        if req is not None:
            return req.blueprints
        rule = self._url_rule
        if rule is None or "." not in rule.endpoint:
            return []
        return _split_blueprint_path(rule.endpoint.rpartition(".")[0])

    def _set_routing_exception(self, e: HTTPException) -> None:
        self._routing_exception = e
        req = self.__dict__.get("request")
        if req is not None:
            req.routing_exception = e

    def copy(self) -> RequestContext:
        """A new context for the same request and session (for other threads or greenlets)."""
        return self.__class__(self.app, environ=self.environ, request=self.request, session=self.session)

    def match_request(self) -> None:
        """Match the URL; the result goes to ``request.url_rule``/``view_args`` or ``routing_exception``."""
        try:
            rule, view_args = self.url_adapter.match(return_rule=True)  # type: ignore[union-attr]
        except HTTPException as e:
            self._set_routing_exception(e)
            return
        self._url_rule = rule
        self._view_args = view_args  # type: ignore[assignment]  # a dict from either core
        req = self.__dict__.get("request")
        if req is not None:
            req.url_rule = rule
            req.view_args = view_args

    def push(self) -> None:
        """Make this the current request context (pushing an app context if needed) and match the URL."""
        app_ctx = _cv_app.get(None)
        if app_ctx is None or app_ctx.app is not self.app:
            app_ctx = self.app.app_context()
            app_ctx.push()
        else:
            app_ctx = None
        self._cv_tokens.append((_cv_request.set(self), app_ctx))
        if self.url_adapter is not None:
            self.match_request()

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Run teardown functions (on the last pop), close the request and restore the previous contexts."""
        clear_request = len(self._cv_tokens) == 1
        try:
            if clear_request:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_request(exc)
                req = self.__dict__.get("request")
                if req is not None:
                    req.close()
        finally:
            ctx = _cv_request.get()
            token, app_ctx = self._cv_tokens.pop()
            _cv_request.reset(token)
            if clear_request:
                req = self.__dict__.get("request")
                if req is not None:
                    req.environ["werkzeug.request"] = None
            if app_ctx is not None:
                app_ctx.pop(exc)
            if ctx is not self:
                raise AssertionError(f"Popped wrong request context. ({ctx!r} instead of {self!r})")

    def __enter__(self) -> RequestContext:
        self.push()
        return self

    def __exit__(
        self, exc_type: type | None, exc_value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.pop(exc_value)

    def __repr__(self) -> str:
        env = self.environ
        return (
            f"<{type(self).__name__} '{env.get('PATH_INFO', '')}'"
            f" [{env.get('REQUEST_METHOD', 'GET')}] of {self.app.name}>"
        )


def has_app_context() -> bool:
    """Whether an application context is active."""
    return _cv_app.get(None) is not None


def has_request_context() -> bool:
    """Whether a request context is active."""
    return _cv_request.get(None) is not None


def after_this_request(f: F) -> F:
    """Run *f(response)* after the current request, before the app's ``after_request`` functions."""
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'after_this_request' can only be used when a request"
            " context is active, such as in a view function."
        )
    ctx._after_request_functions.append(f)
    return f


def copy_current_request_context(f: F) -> F:
    """Wrap *f* so it runs inside a copy of the current request context
    (for greenlets or threads started from a view)."""
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'copy_current_request_context' can only be used when a"
            " request context is active, such as in a view function."
        )
    ctx = ctx.copy()

    @functools.wraps(f)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        with ctx:
            return ctx.app.ensure_sync(f)(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
