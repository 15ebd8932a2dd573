"""``FastRequestPath``: Flask 3.1's request lifecycle with less work per request.

A mixin for a :class:`flask.Flask` subclass (``class Flask(FastRequestPath,
flask.Flask)``).  It overrides :meth:`wsgi_app` and ``json_provider_class``
(:class:`JSONProvider`, whose ``jsonify`` responses are made from a template).  A request performs
Flask's steps in Flask's order, on Flask's own objects:

1. a :class:`flask.ctx.RequestContext` (made without its ``__init__``, with
   the attributes ``__init__`` sets) holding ``request_class(environ)`` and the
   URL adapter ``create_url_adapter`` would bind;
2. an :class:`flask.ctx.AppContext` when none of this app is active, pushed
   on ``flask.globals._cv_app``; the request context on ``_cv_request``;
3. the session opened through ``session_interface``; the URL matched;
4. ``request_started``, url value preprocessors and ``before_request``
   functions (app, then the blueprints), the view, error handlers;
5. ``make_response`` / ``after_request`` functions / session save /
   ``request_finished``; the response written to the server;
6. ``teardown_request`` functions, ``request.close()``, the app context's
   teardown, the pops.

What it saves: signals are sent only when they have receivers (blinker's
``Signal.receivers``); hook dictionaries are looked up only when not empty;
the blueprint list is computed once per endpoint; a routing 404/405 is
handled without a raise when no handler could see the traceback; a session
that the stock cookie interface would open empty is made without building
its serializer; a plain ``str``/``bytes``/``dict``/``list`` value is written
without a ``Response`` object when nothing (``after_request``, a session to
save, ``request_finished`` receivers, an overridden ``make_response``...)
could read that object; and a non-streamed response is handed to the
server as a one-item list, the shape servers send without iterating.

Every Flask method a subclass overrides is called where Flask calls it: the
overrides are found once per class and checked again whenever the class or a base
changes (``_plan_for``, CPython's type version tag; on every request where it is
unknown), and an app whose
``request_context``/``app_context`` differ from Flask's, or that is run with
``werkzeug.debug.preserve_context``, takes Flask's own ``wsgi_app``.
No cache here changes an answer: each is keyed by every value its answer
depends on.
"""

from __future__ import annotations

import sys
import typing as t
from contextvars import Token
from inspect import CO_COROUTINE
from operator import attrgetter
from types import FunctionType

import flask
from flask import signals
from flask.ctx import AppContext, RequestContext
from flask.globals import _cv_app, _cv_request
from flask.json.provider import DefaultJSONProvider, JSONProvider as _FlaskJSONProvider
from werkzeug.exceptions import BadRequestKeyError, HTTPException, NotFound
from werkzeug.routing import RoutingException
from werkzeug.wrappers import Request as _WzRequest
from werkzeug.wsgi import get_host

from ._cores import local_core
from ._request_steps import (
    _has_plain_host,
    _has_plain_init,
    _hooked,
    _new_request,
    _plain_host,
    _plain_request_init,
    _request_blueprints,
)
from ._responses import (
    _BARE_ERROR,
    _FLASK_JSON_RESPONSE,
    _STOCK_JSON_RESPONSES,
    _WZ_GET_HEADERS,
    _WZ_GET_RESPONSE,
    JSONProvider,
    _by_template,
    _dumps,
    _head,
    _is_writable,
    _not_found_page,
    _template_response,
    _write,
)
from ._session_steps import (
    _has_stock_steps,
    _is_stock,
    _new_session,
    _not_null,
    _session_is_idle,
    _stock_interfaces,
)
from .routing import Map, MapAdapter
from .routing.map import _wsgi_str

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["FastRequestPath"]

_Flask = flask.Flask
#: CPython's version tag of a class (new on any change to it or a base), or
#: 0 when unknown (always, for the pure-Python core).
_class_version: t.Callable[[type], int] = local_core.class_version
#: ``check(cls)`` remembered per version of the class (``_responses._remembered``).
_remembered = local_core.remembered
_ASYNC_FLAGS = CO_COROUTINE

#: Methods whose override (on the class or the instance) changes how a step is
#: done: the plan records which are Flask's own.
_STEP_METHODS = (
    "request_context",
    "app_context",
    "create_url_adapter",
    "full_dispatch_request",
    "preprocess_request",
    "dispatch_request",
    "raise_routing_exception",
    "make_default_options_response",
    "handle_user_exception",
    "handle_http_exception",
    "trap_http_exception",
    "finalize_request",
    "make_response",
    "process_response",
    "do_teardown_request",
    "do_teardown_appcontext",
    "ensure_sync",
    "_find_error_handler",
)


#: Flask's own step methods, as this module found them: a class whose method
#: is another object (overridden, or patched onto the class or onto
#: ``flask.Flask`` later) gets that step called as Flask calls it.
_step_getter = attrgetter(*_STEP_METHODS, "secret_key")
_FLASK_STEPS = _step_getter(_Flask)


class _Plan:
    """Which lifecycle steps of a class are Flask's own (``True``) or overridden.

    A pure function of ``funcs`` (the class's step methods and its
    ``secret_key`` attribute): ``stock`` maps each of ``_STEP_METHODS`` to
    whether it is Flask's.
    """

    __slots__ = (
        "adapter",
        "contexts",
        "dispatch",
        "finish",
        "funcs",
        "preprocess",
        "routing_inline",
        "secret",
        "stock",
        "sync",
        "teardown_app",
        "teardown_request",
        "user_exc",
        "version",
        "view",
    )  # fmt: skip

    def __init__(self, funcs: tuple[t.Any, ...]) -> None:
        self.funcs = funcs
        #: The ``class_version`` of the class whose ``funcs`` were last found
        #: equal to these (0: none).  CPython hands out each tag once, so
        #: a class showing this tag is that class, unchanged since.
        self.version = 0
        stock = {
            name: func is flask_func
            for name, func, flask_func in zip(_STEP_METHODS, funcs[:-1], _FLASK_STEPS[:-1], strict=True)
        }
        self.stock = stock
        #: ensure_sync is Flask's: a plain function is called as it is.
        self.sync = stock["ensure_sync"]
        #: ``secret_key`` is Flask's ``ConfigAttribute`` (reads the config).
        self.secret = funcs[-1] is _FLASK_STEPS[-1]
        #: contexts made without their constructors; else Flask's wsgi_app.
        self.contexts = stock["request_context"] and stock["app_context"]
        #: make_response + process_response + request_finished inlined.
        self.finish = stock["finalize_request"] and stock["make_response"] and stock["process_response"]
        #: preprocess + dispatch inlined (full_dispatch_request is Flask's).
        self.dispatch = stock["full_dispatch_request"]
        self.user_exc = stock["handle_user_exception"]
        self.adapter = stock["create_url_adapter"]
        self.preprocess = stock["preprocess_request"]
        self.view = stock["dispatch_request"]
        self.teardown_request = stock["do_teardown_request"]
        self.teardown_app = stock["do_teardown_appcontext"]
        #: a routing error may be handed to the error handling without a raise.
        self.routing_inline = (
            stock["dispatch_request"]
            and stock["raise_routing_exception"]
            and stock["handle_user_exception"]
            and stock["handle_http_exception"]
            and stock["trap_http_exception"]
            and stock["_find_error_handler"]
            and stock["ensure_sync"]
        )


def _plan_for(cls: type) -> _Plan:
    """The plan of ``cls``, checked against its methods on every request.

    Kept on the class (``_fastroute_plan``, inherited by subclasses: a plan is
    right for every class with the same ``funcs``), so it goes with the
    class; a method patched onto the class or onto ``flask.Flask`` after a
    request makes ``funcs`` differ, and the plan is made again.
    """
    funcs = _step_getter(cls)
    plan = cls.__dict__.get("_fastroute_plan")
    if plan is None or plan.funcs != funcs:
        plan = _Plan(funcs)
        type.__setattr__(cls, "_fastroute_plan", plan)
    return plan


def _sync(app: t.Any, plan: _Plan, func: t.Any) -> t.Any:
    """``app.ensure_sync(func)``: Flask's returns a plain function unchanged
    unless ``inspect.iscoroutinefunction`` says otherwise, which for a plain
    function reads only its code flags and (Python 3.12+) a marker in its
    ``__dict__``; anything else asks ``ensure_sync``."""
    if (
        plan.sync
        and type(func) is FunctionType
        and not func.__code__.co_flags & _ASYNC_FLAGS
        and not func.__dict__
    ):
        return func
    return app.ensure_sync(func)


# -- Flask's contexts -----------------------------------------------------------

#: What the request path does in place of ``RequestContext``'s and
#: ``AppContext``'s own methods: per class, how to read them and what they
#: were when this module was imported.
_CONTEXT_STEPS = {
    RequestContext: attrgetter("__init__", "push", "pop", "match_request"),
    AppContext: attrgetter("__init__", "push", "pop"),
}
_FLASK_CONTEXT_STEPS = {cls: steps(cls) for cls, steps in _CONTEXT_STEPS.items()}
#: ``_has_flasks_steps``, remembered per version of each context class.
_flask_contexts: dict[type, tuple[int, bool]] = {}


def _has_flasks_steps(cls: type) -> bool:
    """Flask's context class *cls* keeps the methods the request path does
    in their place (no patch since import)."""
    return _CONTEXT_STEPS[cls](cls) == _FLASK_CONTEXT_STEPS[cls]


#: The names fastroute's ``Map.bind_to_environ`` binds, keyed by all it reads
#: for them (and the map: one entry per map and host at a time).  An app sees
#: a handful of Host values; past _BINDS_MAX (a stream of made-up hosts) the
#: cache starts over, so it never holds more than a few dozen maps alive.
_binds: dict[tuple[t.Any, ...], tuple[t.Any, str, str | None]] = {}
_BINDS_MAX = 64

#: The hosts ``get_host`` answers for an environ without trusted hosts, keyed
#: by everything it reads.
_hosts: dict[tuple[t.Any, ...], str] = {}
#: fastroute's ``Map.bind_to_environ``, whose answers ``_binds`` stands in for,
#: and ``MapAdapter.match``, whose ``_match_outcome`` is the match without a raise.
_MAP_BIND_TO_ENVIRON = Map.bind_to_environ
_ADAPTER_MATCH = MapAdapter.match


_FLASK_PREPARE = DefaultJSONProvider._prepare_response_obj
#: The provider fields ``_fastroute_body`` looks for, as an object without a
#: ``__dict__`` is taken to hold them: all of them.
_NO_FIELDS = ("response", "_prepare_response_obj")


class FastRequestPath:
    """Mixin: Flask's ``wsgi_app`` with the same steps and less work (module doc)."""

    #: The class's plan (``_plan_for``), made on its first request.
    _fastroute_plan: _Plan | None = None
    #: Flask's JSON provider but for how ``jsonify``'s response object is made
    #: (the same answer); an app or subclass may set its own, as with Flask.
    json_provider_class: type[_FlaskJSONProvider] = JSONProvider

    def __setattr__(self, name: str, value: t.Any) -> None:
        # An instance attribute named like a step method overrides it: the
        # plan (per class) no longer describes this app.
        if name in _STEP_METHODS:
            object.__setattr__(self, "_fastroute_own_steps", True)
        super().__setattr__(name, value)

    def wsgi_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        """Handle one request as :meth:`flask.Flask.wsgi_app` does (module doc)."""
        app: t.Any = self
        cls = type(self)
        plan = cls._fastroute_plan
        # The class's step methods are compared with the plan's only when the
        # class or a base changed since the last comparison (its version tag;
        # 0, unknown, always compares).  Read first: a change made after it
        # gives the class a tag the plan does not hold.
        version = _class_version(cls)
        if plan is None or not version or plan.version != version:
            if plan is None or plan.funcs != _step_getter(cls):
                plan = _plan_for(cls)  # sets a class attribute: a new version
            else:
                plan.version = version
        if (
            not plan.contexts
            or "werkzeug.debug.preserve_context" in environ
            or "_fastroute_own_steps" in self.__dict__
            or not _remembered(_flask_contexts, RequestContext, _has_flasks_steps)
            or not _remembered(_flask_contexts, AppContext, _has_flasks_steps)
        ):
            return super().wsgi_app(environ, start_response)  # type: ignore[misc,no-any-return]
        # -- RequestContext(app, environ): request, json module, URL adapter.
        request_class = app.request_class
        # (Flask only calls request_class: it may be a factory, not a class.)
        if type(request_class) is type and _remembered(_plain_request_init, request_class, _has_plain_init):
            request = _new_request(request_class, environ)
        else:
            request = request_class(environ)
        request.json_module = app.json
        # Flask reads the environ from the request from here on (a request
        # class may hold another than the server's); only the response is
        # written with the server's.
        renv = request.environ
        ctx = RequestContext.__new__(RequestContext)
        ctx.app = app
        ctx.request = request
        ctx.url_adapter = None
        try:
            if plan.adapter:
                ctx.url_adapter = self._fastroute_adapter(request, renv)
            else:
                ctx.url_adapter = app.create_url_adapter(request)
        except HTTPException as e:
            request.routing_exception = e
        ctx.flashes = None
        ctx._session = None
        ctx._after_request_functions = []
        tokens: list[tuple[Token[RequestContext], AppContext | None]] = []
        ctx._cv_tokens = tokens
        error: BaseException | None = None
        app_ctx: AppContext | None = None
        try:
            try:
                # -- ctx.push()
                current = _cv_app.get(None)
                if current is None or current.app is not app:
                    app_ctx = AppContext.__new__(AppContext)
                    app_ctx.app = app
                    if plan.adapter and app.config["SERVER_NAME"] is None:
                        app_ctx.url_adapter = None
                    else:
                        app_ctx.url_adapter = app.create_url_adapter(None)
                    app_ctx.g = app.app_ctx_globals_class()
                    app_ctx._cv_tokens = [_cv_app.set(app_ctx)]
                    if signals.appcontext_pushed.receivers:
                        signals.appcontext_pushed.send(app, _async_wrapper=app.ensure_sync)
                tokens.append((_cv_request.set(ctx), app_ctx))
                # -- the session (Flask's own interface opens an empty one
                # without a cookie: that case needs no serializer).
                interface = app.session_interface
                config = app.config
                if (
                    # _is_stock(interface), inlined (a stock class's object has a __dict__)
                    _remembered(_stock_interfaces, type(interface), _has_stock_steps)
                    and not interface.__dict__
                    and plan.secret
                    and config["SECRET_KEY"]
                    and type(name := config["SESSION_COOKIE_NAME"]) is str
                    and type(raw := renv.get("HTTP_COOKIE", "")) is str
                    and name not in raw
                ):
                    ctx._session = _new_session(interface.session_class)
                else:
                    self._fastroute_open_session(plan, ctx, request, renv)
                adapter = ctx.url_adapter
                if adapter is not None:
                    if (
                        type(adapter) is not MapAdapter
                        or MapAdapter.match is not _ADAPTER_MATCH
                        or "match" in adapter.__dict__
                    ):
                        try:
                            request.url_rule, request.view_args = adapter.match(return_rule=True)
                        except HTTPException as e:
                            request.routing_exception = e
                    else:
                        # fastroute's adapter returns a routing error, no raise.
                        found = adapter._match_outcome(return_rule=True)
                        if found.__class__ is tuple:
                            request.url_rule, request.view_args = found
                        else:
                            request.routing_exception = found
                # -- full_dispatch_request()
                if plan.dispatch:
                    rv = self._fastroute_dispatch(plan, ctx, request)
                    if plan.finish and renv is environ:
                        # (The plain write mixes the two environs otherwise.)
                        response = self._fastroute_finish(plan, ctx, request, rv, environ)
                    else:
                        response = app.finalize_request(rv)
                else:
                    response = app.full_dispatch_request()
            except Exception as e:
                error = e
                response = app.handle_exception(e)
            except BaseException:
                error = sys.exc_info()[1]
                raise
            # Written outside the error handling, as Flask writes it.
            if response.__class__ is tuple:
                start_response(response[0], response[1])
                return response[2]  # type: ignore[no-any-return]
            if _is_writable(type(response)):
                return _write(response, environ, start_response)
            return response(environ, start_response)  # type: ignore[no-any-return]
        finally:
            if error is not None and app.should_ignore_error(error):
                error = None
            self._fastroute_pop(plan, ctx, request, tokens, app_ctx, error)
            error = None  # the traceback holds this frame

    # -- the steps -------------------------------------------------------------------

    def _fastroute_adapter(self, request: t.Any, environ: WSGIEnvironment) -> t.Any:
        """``flask.Flask.create_url_adapter(request)``, with ``get_host`` remembered."""
        app: t.Any = self
        if app.subdomain_matching and not app.url_map.host_matching:
            # The subdomain comes from the host, and bind_to_environ may warn
            # of a server name mismatch: Flask's own method calls it, so the
            # warning names Flask's frame as with Flask (filters by module).
            return _Flask.create_url_adapter(app, request)
        config = app.config
        trusted = config["TRUSTED_HOSTS"]
        if trusted is not None:
            request.trusted_hosts = trusted
        # What both caches below are keyed by, read once (get_host reads
        # the scheme first too, so a missing one fails the same way).
        scheme = environ["wsgi.url_scheme"]
        http_host = environ.get("HTTP_HOST")
        server = environ.get("SERVER_NAME")
        port = environ.get("SERVER_PORT")
        if request.trusted_hosts is None:
            key = (scheme, http_host, server, port)
            host = _hosts.get(key)
            if host is None:
                host = get_host(environ)
                if len(_hosts) > 1024:
                    _hosts.clear()
                if http_host is None or len(http_host) <= 300:
                    _hosts[key] = host
        else:
            host = get_host(environ, request.trusted_hosts)
        if _remembered(_plain_host, type(request), _has_plain_host):
            request.__dict__["host"] = host  # what cached_property's __set__ does
        else:
            request.host = host
            # (A property's setter may change the environ: read it again.)
            scheme = environ["wsgi.url_scheme"]
            http_host = environ.get("HTTP_HOST")
            server = environ.get("SERVER_NAME")
            port = environ.get("SERVER_PORT")
        url_map = app.url_map
        subdomain = None
        server_name = config["SERVER_NAME"]
        if url_map.host_matching:
            server_name = None
        elif not app.subdomain_matching:
            subdomain = url_map.default_subdomain or ""
        connection = environ.get("HTTP_CONNECTION")
        if (
            type(url_map) is not Map
            or Map.bind_to_environ is not _MAP_BIND_TO_ENVIRON
            or "bind_to_environ" in url_map.__dict__
            or (connection is not None and (type(connection) is not str or "upgrade" in connection.lower()))
        ):
            return url_map.bind_to_environ(environ, server_name=server_name, subdomain=subdomain)
        # fastroute's bind_to_environ: the names it binds depend only on these
        # (no "upgrade" in a Connection header, as browsers and proxies send
        # "keep-alive" or "close": no websocket scheme; a given subdomain or
        # host matching: no mismatch warning); the paths are the request's.
        # (Without a Host header the host is SERVER_NAME:SERVER_PORT.)
        key = (http_host, scheme, server, port, server_name, subdomain, url_map.host_matching)
        names = _binds.get(key)
        if names is None or names[0] is not url_map:
            adapter = url_map.bind_to_environ(environ, server_name=server_name, subdomain=subdomain)
            if (subdomain is not None or url_map.host_matching) and (
                http_host is None or len(http_host) <= 300
            ):
                if len(_binds) >= _BINDS_MAX:
                    _binds.clear()
                _binds[key] = (url_map, adapter.server_name, adapter.subdomain)
            return adapter
        script = environ.get("SCRIPT_NAME")
        path = environ.get("PATH_INFO")
        query = environ.get("QUERY_STRING")
        return MapAdapter(
            url_map,
            names[1],
            "/" if script is None else script if script.isascii() else _wsgi_str(script),
            names[2],
            scheme,
            "/" if path is None else path if path.isascii() else _wsgi_str(path),
            environ["REQUEST_METHOD"],
            query if query is None or query.isascii() else _wsgi_str(query),
        )

    def _fastroute_open_session(
        self, plan: _Plan, ctx: RequestContext, request: t.Any, environ: WSGIEnvironment
    ) -> None:
        """``RequestContext.push``'s session step."""
        app: t.Any = self
        interface = app.session_interface
        if _is_stock(interface):
            # Flask's own interface opens an empty session without a cookie:
            # answer that case without its serializer.
            if not (app.config["SECRET_KEY"] if plan.secret else app.secret_key):
                ctx._session = interface.make_null_session(app)
                return
            raw = environ.get("HTTP_COOKIE", "")
            name = app.config["SESSION_COOKIE_NAME"]
            # (Another name, or header, is looked up as Flask looks it up.)
            if type(name) is str and type(raw) is str and name not in raw:
                ctx._session = _new_session(interface.session_class)
                return
        session = interface.open_session(app, request)
        if session is None:
            session = interface.make_null_session(app)
        ctx._session = session

    def _fastroute_dispatch(self, plan: _Plan, ctx: RequestContext, request: t.Any) -> t.Any:
        """``full_dispatch_request`` up to its ``finalize_request``: the return value."""
        app: t.Any = self
        if not app._got_first_request:
            app._got_first_request = True
        try:
            if signals.request_started.receivers:
                signals.request_started.send(app, _async_wrapper=app.ensure_sync)
            rv = None
            if plan.preprocess:
                if app.url_value_preprocessors or app.before_request_funcs:
                    rv = self._fastroute_preprocess(plan, request)
            else:
                rv = app.preprocess_request()
            if rv is None:
                if not plan.view:
                    return app.dispatch_request()
                error = request.routing_exception
                if error is not None:
                    if plan.routing_inline and isinstance(error, HTTPException):
                        found = self._fastroute_routing_error(request, error)
                        if found is not None:
                            return found
                    app.raise_routing_exception(request)
                rule = request.url_rule
                if getattr(rule, "provide_automatic_options", False) and request.method == "OPTIONS":
                    return app.make_default_options_response()
                return _sync(app, plan, app.view_functions[rule.endpoint])(**request.view_args)
            return rv
        except Exception as e:
            if plan.user_exc:
                return self._fastroute_user_exception(plan, request, e)
            return app.handle_user_exception(e)

    def _fastroute_routing_error(self, request: t.Any, error: HTTPException) -> t.Any:
        """The unhandled routing error itself, when Flask would answer with it.

        ``handle_user_exception`` returns the exception when it is not trapped
        and no error handler is registered for it (``RoutingException``\\ s
        never reach handlers); then no handler can tell that it was not
        raised.  ``None`` means: raise it as Flask does.
        """
        app: t.Any = self
        if isinstance(error, BadRequestKeyError) or app.trap_http_exception(error):
            return None
        if error.code is None or isinstance(error, RoutingException):
            return error
        if app._find_error_handler(error, _request_blueprints(request)) is None:
            return error
        return None

    def _fastroute_preprocess(self, plan: _Plan, request: t.Any) -> t.Any:
        """``flask.Flask.preprocess_request`` (called when some hook is registered)."""
        app: t.Any = self
        blueprints = _request_blueprints(request)
        names = (None, *reversed(blueprints)) if blueprints else (None,)
        preprocessors = app.url_value_preprocessors
        if preprocessors:
            for name in names:
                if name in preprocessors:
                    for url_func in preprocessors[name]:
                        url_func(request.endpoint, request.view_args)
        before = app.before_request_funcs
        if before:
            for name in names:
                if name in before:
                    for before_func in before[name]:
                        rv = _sync(app, plan, before_func)()
                        if rv is not None:
                            return rv
        return None

    def _fastroute_user_exception(self, plan: _Plan, request: t.Any, e: Exception) -> t.Any:
        """``flask.Flask.handle_user_exception``, called from an ``except`` block."""
        app: t.Any = self
        if isinstance(e, BadRequestKeyError) and (app.debug or app.config["TRAP_BAD_REQUEST_ERRORS"]):
            e.show_exception = True
        if isinstance(e, HTTPException) and not app.trap_http_exception(e):
            return app.handle_http_exception(e)
        handler = app._find_error_handler(e, _request_blueprints(request))
        if handler is None:
            raise
        return _sync(app, plan, handler)(e)

    def _fastroute_finish(
        self,
        plan: _Plan,
        ctx: RequestContext,
        request: t.Any,
        rv: t.Any,
        environ: WSGIEnvironment,
    ) -> t.Any:
        """``finalize_request(rv)``: the response, or ``(status, headers, body)``
        to write for a plain value.

        Without anything to read the response (no after-request function,
        an idle session, no ``request_finished`` receiver), a plain value or
        an unhandled HTTP error is written without the Response object.
        """
        app: t.Any = self
        # A JSON value is dumped first: its ``default`` is the app's code,
        # which make_response runs before process_response reads anything.
        cls = rv.__class__
        parts = self._fastroute_body(rv) if cls is dict or cls is list else None
        blueprints = _request_blueprints(request)
        after = app.after_request_funcs
        later = ctx._after_request_functions
        if (
            not later
            and not (after and (None in after or (blueprints and _hooked(after, blueprints))))
            and _session_is_idle(app.session_interface, ctx._session)
            and not signals.request_finished.receivers
        ):
            out = self._fastroute_plain(rv, environ, parts)
            if out is not None:
                return out
        # make_response(rv): a plain value's response made from a template.
        response_class = app.response_class
        ran = bool(later)  # the app's code ran since the blueprints were read
        if type(rv) is response_class and not issubclass(response_class, tuple):
            # make_response (Flask's: plan.finish) returns an object of its
            # response class as it is; isinstance answers from the type alone.
            response = rv
        else:
            # (A JSON value's ``default``, a WSGI callable, a response
            # class's constructor are the app's code; a str or bytes body not.)
            if parts is None:
                ran = ran or not (cls is str or cls is bytes)
                parts = self._fastroute_body(rv)
            response = None if parts is None else _template_response(*parts)
            if response is None:
                response = app.make_response(rv)
        # process_response: what it reads is read after make_response (which
        # may run the app's code: a WSGI callable, a response class) and the
        # after_this_request functions, as Flask reads it.
        for func in later:
            response = _sync(app, plan, func)(response)
        after = app.after_request_funcs
        if after:
            for name in (*(_request_blueprints(request) if ran else blueprints), None):
                if name in after:
                    for func in reversed(after[name]):
                        response = _sync(app, plan, func)(response)
        # The session as the after-request functions left it (they may read,
        # change or replace it): read now, as Flask reads it.
        interface = app.session_interface
        session = ctx._session
        if not _session_is_idle(interface, session) and (
            _not_null(interface, session) or not interface.is_null_session(session)
        ):
            interface.save_session(app, session, response)
        if signals.request_finished.receivers:
            signals.request_finished.send(app, _async_wrapper=app.ensure_sync, response=response)
        return response

    def _fastroute_body(self, rv: t.Any) -> tuple[type, bytes, str | None] | None:
        """For a plain value: the response class, body and mimetype of the
        response ``make_response(rv)`` makes; else ``None``."""
        app: t.Any = self
        cls = rv.__class__
        if cls is str:
            return app.response_class, rv.encode(), None
        if cls is bytes:
            return app.response_class, rv, None
        if cls is dict or cls is list:
            provider = app.json
            fields = getattr(provider, "__dict__", _NO_FIELDS)
            if (
                type(provider).response not in _STOCK_JSON_RESPONSES
                or DefaultJSONProvider.response is not _FLASK_JSON_RESPONSE
                or type(provider)._prepare_response_obj is not _FLASK_PREPARE
                or "response" in fields
                or "_prepare_response_obj" in fields
            ):
                # (Set on the provider object, either is called as Flask calls it.)
                return None
            owner = provider._app  # what the provider's response reads
            indented = bool((provider.compact is None and owner.debug) or provider.compact is False)
            body = (_dumps(provider, rv, indented) + "\n").encode()
            return owner.response_class, body, provider.mimetype
        return None

    def _fastroute_plain(
        self, rv: t.Any, environ: WSGIEnvironment, parts: tuple[type, bytes, str | None] | None
    ) -> t.Any:
        """What ``make_response(rv)`` would write, as ``(status, headers, body)``
        without building it, or the error's own response; else ``None``.
        *parts* is ``_fastroute_body(rv)`` when the caller made it already."""
        if isinstance(rv, HTTPException):
            # make_response(rv) is response_class.force_type(rv, environ): the
            # error's WSGI output, made into and written by that class.
            if type(rv).__call__ is not HTTPException.__call__ or not _by_template(self.response_class):
                return None
            if rv.__class__ is NotFound and rv.__dict__ == _BARE_ERROR:
                # The router's own 404: werkzeug's page, the same bytes for
                # every such error (made once per version of its classes).
                page = _not_found_page(rv, environ)
                if page is not None:
                    return page[0], page[1][:], [] if environ["REQUEST_METHOD"] == "HEAD" else page[2][:]
            cls = type(rv)
            fields = rv.__dict__
            if (
                cls.get_response not in _WZ_GET_RESPONSE
                or cls.get_headers not in _WZ_GET_HEADERS
                or "get_response" in fields
                or "get_headers" in fields
            ):
                # The app's own: its headers may send the error to make_response,
                # which would call it a second time.
                return None
            # make_response would run the error as a WSGI app: its response.
            response = rv.get_response(environ)
            headers = response.headers
            if "Location" in headers or "Content-Location" in headers:
                # Running it fixes the URL (iri_to_uri), which may raise
                # (a Host like "[a:b]"): inside make_response, where Flask
                # answers that with a 500.
                return None
            return response
        if parts is None:
            parts = self._fastroute_body(rv)
        if parts is None:
            return None
        response_class, body, mimetype = parts
        head = _head(response_class, mimetype)
        if head is None:
            return None
        headers = head[1][:]
        if response_class.automatically_set_content_length:
            headers.append(("Content-Length", str(len(body))))
        return head[0], headers, [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _fastroute_pop(
        self,
        plan: _Plan,
        ctx: RequestContext,
        request: t.Any,
        tokens: list[t.Any],
        app_ctx: AppContext | None,
        error: BaseException | None,
    ) -> None:
        """``ctx.pop(error)``: teardown functions, ``request.close()``, the pops."""
        app: t.Any = self
        if (
            len(tokens) != 1
            or _cv_request.get(None) is not ctx
            or (app_ctx is not None and (len(app_ctx._cv_tokens) != 1 or _cv_app.get(None) is not app_ctx))
        ):
            # Pushed more than once, or not at all (push failed): the
            # context's own pop does what Flask's does then.
            ctx.pop(error)
            return
        try:
            try:
                if plan.teardown_request:
                    funcs = app.teardown_request_funcs
                    if funcs:
                        for name in (*_request_blueprints(request), None):
                            if name in funcs:
                                for func in reversed(funcs[name]):
                                    _sync(app, plan, func)(error)
                    if signals.request_tearing_down.receivers:
                        signals.request_tearing_down.send(app, _async_wrapper=app.ensure_sync, exc=error)
                else:
                    app.do_teardown_request(error)
                fields = request.__dict__
                if type(request).close is _WzRequest.close and "close" not in fields:
                    # werkzeug's close only closes the parsed files.
                    if "files" in fields:
                        request.close()
                else:
                    close = getattr(request, "close", None)
                    if close is not None:
                        close()
            finally:
                _cv_request.reset(tokens.pop()[0])
                request.environ["werkzeug.request"] = None
                if app_ctx is not None:
                    self._fastroute_pop_app(plan, app_ctx, error)
        finally:
            tokens.clear()

    def _fastroute_pop_app(self, plan: _Plan, app_ctx: AppContext, error: BaseException | None) -> None:
        """``AppContext.pop(error)`` for the context this request pushed."""
        app: t.Any = self
        try:
            if plan.teardown_app:
                for func in reversed(app.teardown_appcontext_funcs):
                    _sync(app, plan, func)(error)
                if signals.appcontext_tearing_down.receivers:
                    signals.appcontext_tearing_down.send(app, _async_wrapper=app.ensure_sync, exc=error)
            else:
                app.do_teardown_appcontext(error)
        finally:
            _cv_app.reset(app_ctx._cv_tokens.pop())
        if signals.appcontext_popped.receivers:
            signals.appcontext_popped.send(app, _async_wrapper=app.ensure_sync)
