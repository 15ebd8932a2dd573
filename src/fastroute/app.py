"""``Flask``: the application object, a Flask 3.1-compatible WSGI app on fastroute's router.

The lifecycle is Flask's (see ``wsgi_app``).  What makes it fast:

* the URL adapter is bound from a few environ fields with a per-app cache of
  normalised host names instead of ``Map.bind_to_environ``;
* the werkzeug ``Request``, the session and ``g`` are created on first use
  (see :mod:`fastroute.ctx`);
* hooks are looked up only when some are registered (empty dicts are skipped);
* when nothing needs a response object — no ``after_request`` function, no
  session to save, the stock ``make_response``/``process_response`` — a view
  returning ``str``/``bytes``/``dict``/``list`` is written straight to WSGI
  with exactly the status and headers ``Response`` would send, and an
  unhandled HTTP error (404, 405, redirects) is served by the exception itself.
"""

from __future__ import annotations

import logging
import os
import sys
import typing as t
from collections.abc import Iterator as _abc_Iterator
from datetime import timedelta
from itertools import chain
from types import CoroutineType
from urllib.parse import quote as _url_quote

from werkzeug.datastructures import Headers, ImmutableDict
from werkzeug.exceptions import (
    Aborter,
    BadRequestKeyError,
    HTTPException,
    InternalServerError,
)
from werkzeug.routing import BuildError, RoutingException
from werkzeug.utils import redirect as _wz_redirect
from werkzeug.wsgi import get_host

from .config import DEFAULT_CONFIG, Config, ConfigAttribute
from .ctx import _NO_ADAPTER, AppContext, RequestContext, _AppCtxGlobals, _sentinel
from .globals import _cv_app, _cv_request, request, request_ctx
from .helpers import get_debug_flag
from .json import DefaultJSONProvider, JSONProvider
from .routing import Map, MapAdapter, Rule
from .routing.map import _idna_host, _wsgi_str
from .scaffold import Scaffold, _endpoint_from_view_func, setupmethod
from .sessions import SecureCookieSessionInterface, SessionInterface
from .wrappers import Request, Response, _split_blueprint_path

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.wrappers import Response as BaseResponse

    from .blueprints import Blueprint
    from .testing import FlaskClient

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
_NO = _NO_ADAPTER
_HTML = "text/html; charset=utf-8"


def _drop_traceback(e: BaseException) -> None:
    """Forget a handled exception's traceback once its response is made.

    The traceback holds the frames the exception passed through, and those
    frames hold the request context and the exception itself: a reference
    cycle per error response, left for the garbage collector.  Error
    handlers still see the traceback; only code that keeps the exception
    past its handler finds ``__traceback__`` empty (docs/compat.md).  The
    exceptions it was raised from or during (bad JSON's decode error, say)
    hold frames too, and lose theirs as well.
    """
    seen: set[int] = set()
    current: BaseException | None = e
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__


def _make_timedelta(value: timedelta | int | None) -> timedelta | None:
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(seconds=value)


def _has_level_handler(logger: logging.Logger) -> bool:
    level = logger.getEffectiveLevel()
    current: logging.Logger | None = logger
    while current:
        if any(handler.level <= level for handler in current.handlers):
            return True
        if not current.propagate:
            break
        current = current.parent
    return False


class Flask(Scaffold):
    """A WSGI application with Flask 3.1's API.

    :param import_name: the application's module or package (``__name__``);
        relative paths (static folder, config files) resolve against its folder.
    :param static_url_path: URL prefix of the static route (default
        ``/<static_folder basename>``).
    :param static_folder: folder of static files, ``None`` for no static route.
    :param static_host: the host of the static route when *host_matching*.
    :param host_matching: rules match the whole ``Host`` (``Rule(host=...)``).
    :param subdomain_matching: match rules' ``subdomain`` against the request
        (needs ``SERVER_NAME``); off by default, as in Flask.
    :param template_folder: kept for API compatibility (templates are not part
        of fastroute).
    :param instance_path: the instance folder (default ``instance`` next to the app).
    :param instance_relative_config: resolve config files against the instance folder.
    :param root_path: override the folder found from *import_name*.
    """

    request_class: type[Request] = Request
    response_class: type[Response] = Response
    aborter_class: type[Aborter] = Aborter
    json_provider_class: type[JSONProvider] = DefaultJSONProvider
    app_ctx_globals_class = _AppCtxGlobals
    config_class = Config
    url_rule_class: type[Rule] = Rule
    url_map_class: type[Map] = Map
    test_client_class: type[FlaskClient] | None = None
    test_cli_runner_class: type[t.Any] | None = None
    session_interface: SessionInterface = SecureCookieSessionInterface()
    default_config = ImmutableDict(DEFAULT_CONFIG)

    testing: ConfigAttribute[bool] = ConfigAttribute("TESTING")
    secret_key: ConfigAttribute[str | bytes | None] = ConfigAttribute("SECRET_KEY")
    permanent_session_lifetime: ConfigAttribute[timedelta] = ConfigAttribute(
        "PERMANENT_SESSION_LIFETIME",
        get_converter=_make_timedelta,  # type: ignore[arg-type]
    )

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if instance_path is None:
            instance_path = os.path.join(self.root_path, "instance")
        elif not os.path.isabs(instance_path):
            raise ValueError(
                "If an instance path is provided it must be absolute. A relative path was given instead."
            )
        self.instance_path = instance_path
        self.config = self.make_config(instance_relative_config)
        self.aborter = self.make_aborter()
        self.json: JSONProvider = self.json_provider_class(self)
        self.url_build_error_handlers: list[t.Callable[[Exception, str, dict[str, t.Any]], str]] = []
        self.teardown_appcontext_funcs: list[t.Callable[[BaseException | None], None]] = []
        self.shell_context_processors: list[t.Callable[[], dict[str, t.Any]]] = []
        self.blueprints: dict[str, Blueprint] = {}
        self.extensions: dict[str, t.Any] = {}
        self.url_map = self.url_map_class(host_matching=host_matching)
        self.subdomain_matching = subdomain_matching
        self._got_first_request = False
        self._host_cache: dict[tuple[str, str, t.Any], str] = {}
        cls = type(self)
        #: the URL adapter can be bound from the environ without a Request
        self._fast_bind = cls.create_url_adapter is Flask.create_url_adapter
        #: plain return values may skip the Response object (stock response path)
        self._fast_finish = (
            cls.make_response is Flask.make_response
            and cls.process_response is Flask.process_response
            and cls.finalize_request is Flask.finalize_request
            and cls.full_dispatch_request is Flask.full_dispatch_request
            and cls.handle_http_exception is Flask.handle_http_exception
            and cls.handle_user_exception is Flask.handle_user_exception
            and cls.dispatch_request is Flask.dispatch_request
            and cls.preprocess_request is Flask.preprocess_request
        )
        #: ``__call__`` may go straight to the inlined lifecycle (no wsgi_app override)
        self._fast_call = self._fast_finish and cls.wsgi_app is Flask.wsgi_app
        if self.has_static_folder:
            assert bool(static_host) == host_matching, "Invalid static_host/host_matching combination"
            self.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                endpoint="static",
                host=static_host,
                view_func=self._static_view,
            )

    def _static_view(self, **kwargs: t.Any) -> t.Any:
        return self.send_static_file(**kwargs)

    # -- properties and setup ------------------------------------------------

    @property
    def name(self) -> str:  # type: ignore[override]
        """The app's name: the import name, or the script's name for ``__main__``."""
        if self.import_name == "__main__":
            fn: str | None = getattr(sys.modules["__main__"], "__file__", None)
            if fn is None:
                return "__main__"
            return os.path.splitext(os.path.basename(fn))[0]
        return self.import_name

    @property
    def debug(self) -> bool:
        """Debug mode (``DEBUG``): unhandled errors propagate, JSON is indented."""
        return self.config["DEBUG"]  # type: ignore[no-any-return]

    @debug.setter
    def debug(self, value: bool) -> None:
        self.config["DEBUG"] = value

    @property
    def logger(self) -> logging.Logger:
        """The ``logging`` logger named after the app (a stderr handler is added if none is configured)."""
        logger = self.__dict__.get("_logger")
        if logger is None:
            logger = logging.getLogger(self.name)
            if self.debug and not logger.level:
                logger.setLevel(logging.DEBUG)
            if not _has_level_handler(logger):
                handler = logging.StreamHandler()
                handler.setFormatter(
                    logging.Formatter("[%(asctime)s] %(levelname)s in %(module)s: %(message)s")
                )
                logger.addHandler(handler)
            self.__dict__["_logger"] = logger
        return logger

    def make_config(self, instance_relative: bool = False) -> Config:
        """The config object, with Flask's defaults and ``DEBUG`` from ``FLASK_DEBUG``."""
        root_path = self.instance_path if instance_relative else self.root_path
        defaults = dict(self.default_config)
        defaults["DEBUG"] = get_debug_flag()
        return self.config_class(root_path, defaults)

    def make_aborter(self) -> Aborter:
        """The object ``abort`` calls."""
        return self.aborter_class()

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_first_request:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called"
                " on the application. It has already handled its first"
                " request, any changes will not be applied"
                " consistently.\n"
                "Make sure all imports, decorators, functions, etc."
                " needed to set up the application are done before"
                " running it."
            )

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: t.Callable[..., t.Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Register *rule* for *endpoint* (default: the view function's name).

        ``methods`` defaults to the view's ``methods`` attribute or ``GET``;
        ``HEAD`` comes with ``GET`` and ``OPTIONS`` is answered automatically
        unless the view handles it.  Other options go to the rule class.
        Re-mapping an endpoint to a different function is an ``AssertionError``.
        """
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)
        options["endpoint"] = endpoint
        methods = options.pop("methods", None)
        if methods is None:
            methods = getattr(view_func, "methods", None) or ("GET",)
        if isinstance(methods, str):
            raise TypeError(
                'Allowed methods must be a list of strings, for example: @app.route(..., methods=["POST"])'
            )
        methods = {item.upper() for item in methods}
        required_methods = set(getattr(view_func, "required_methods", ()))
        if provide_automatic_options is None:
            provide_automatic_options = getattr(view_func, "provide_automatic_options", None)
        if provide_automatic_options is None:
            if "OPTIONS" not in methods and self.config["PROVIDE_AUTOMATIC_OPTIONS"]:
                provide_automatic_options = True
                required_methods.add("OPTIONS")
            else:
                provide_automatic_options = False
        methods |= required_methods
        rule_obj = self.url_rule_class(rule, methods=methods, **options)
        rule_obj.provide_automatic_options = provide_automatic_options  # type: ignore[attr-defined]
        self.url_map.add(rule_obj)
        if view_func is not None:
            old_func = self.view_functions.get(endpoint)
            if old_func is not None and old_func != view_func:
                raise AssertionError(
                    "View function mapping is overwriting an existing endpoint function: " + endpoint
                )
            self.view_functions[endpoint] = view_func

    @setupmethod
    def teardown_appcontext(self, f: F) -> F:
        """Run *f(error)* when the app context is popped."""
        self.teardown_appcontext_funcs.append(f)
        return f

    @setupmethod
    def shell_context_processor(self, f: F) -> F:
        """Register a function adding names to ``shell`` (API compatibility)."""
        self.shell_context_processors.append(f)
        return f

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Register *blueprint*'s routes, hooks and handlers (options: ``url_prefix``, ``subdomain``,
        ``url_defaults``, ``name``)."""
        blueprint.register(self, options)

    def iter_blueprints(self) -> t.ValuesView[Blueprint]:
        """The registered blueprints, in registration order."""
        return self.blueprints.values()

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """Wrap coroutine functions so they run to completion in this thread."""
        import inspect

        if inspect.iscoroutinefunction(func):
            return self.async_to_sync(func)
        return func

    def async_to_sync(
        self, func: t.Callable[..., t.Coroutine[t.Any, t.Any, t.Any]]
    ) -> t.Callable[..., t.Any]:
        """Run a coroutine function in a fresh event loop (with the current context)."""
        import asyncio
        import functools

        @functools.wraps(func)
        def run(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return asyncio.run(func(*args, **kwargs))

        return run

    # -- contexts --------------------------------------------------------------

    def app_context(self) -> AppContext:
        """A new application context for ``with app.app_context():``."""
        return AppContext(self)

    def request_context(self, environ: dict[str, t.Any]) -> RequestContext:
        """A new request context for a WSGI environ."""
        return RequestContext(self, environ)

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> RequestContext:
        """A request context for a made-up request; takes ``EnvironBuilder``'s arguments."""
        from .testing import EnvironBuilder

        builder = EnvironBuilder(self, *args, **kwargs)
        try:
            return self.request_context(builder.get_environ())
        finally:
            builder.close()

    def test_client(self, use_cookies: bool = True, **kwargs: t.Any) -> FlaskClient:
        """A werkzeug test client for this app (cookies kept; ``with client:`` keeps the last context)."""
        cls = self.test_client_class
        if cls is None:
            from .testing import FlaskClient as cls
        return cls(self, self.response_class, use_cookies=use_cookies, **kwargs)  # type: ignore[misc]

    # -- URL adapter -------------------------------------------------------------

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """The adapter for a request (bound to its environ), or from ``SERVER_NAME`` outside one."""
        config = self.config
        if request is not None:
            trusted = config["TRUSTED_HOSTS"]
            if trusted is not None:
                request.trusted_hosts = trusted
            request.host = get_host(request.environ, request.trusted_hosts)
            subdomain = None
            server_name = config["SERVER_NAME"]
            if self.url_map.host_matching:
                server_name = None
            elif not self.subdomain_matching:
                subdomain = self.url_map.default_subdomain or ""
            return self.url_map.bind_to_environ(request.environ, server_name=server_name, subdomain=subdomain)
        if config["SERVER_NAME"] is not None:
            return self.url_map.bind(
                config["SERVER_NAME"],
                script_name=config["APPLICATION_ROOT"],
                url_scheme=config["PREFERRED_URL_SCHEME"],
            )
        return None

    def _bind_adapter(self, ctx: RequestContext) -> MapAdapter | None:
        """``create_url_adapter`` for a request context, without building a Request when possible."""
        if self._fast_bind and "request" not in ctx.__dict__:
            adapter = self._fast_adapter(ctx.environ)
            if adapter is not _NO:
                return adapter  # type: ignore[no-any-return]
        return self.create_url_adapter(ctx.request)

    def _fast_adapter(self, environ: dict[str, t.Any]) -> t.Any:
        config = self.config
        url_map = self.url_map
        http_host = environ.get("HTTP_HOST")
        if (
            http_host is None
            or config["TRUSTED_HOSTS"] is not None
            or url_map.host_matching
            or self.subdomain_matching
            or "HTTP_UPGRADE" in environ
        ):
            return _NO
        scheme = environ["wsgi.url_scheme"]
        configured = config["SERVER_NAME"]
        key = (http_host, scheme, configured)
        server_name = self._host_cache.get(key)
        if server_name is None:
            if configured is None:
                name = get_host(environ).lower()
            else:
                name = configured.lower()
                if scheme == "http" and name.endswith(":80"):
                    name = name[:-3]
                elif scheme == "https" and name.endswith(":443"):
                    name = name[:-4]
            host, sep, port = name.partition(":")
            server_name = f"{_idna_host(host)}{sep}{port}"  # BadHost -> routing exception
            # Bounded in entries and in size: a DNS name has at most 253
            # characters (+ port), so longer Host headers are never cached.
            if len(http_host) <= 300:
                cache = self._host_cache
                if len(cache) > 512:
                    cache.clear()
                cache[key] = server_name
        path = environ.get("PATH_INFO") or "/"
        if not path.isascii():
            path = _wsgi_str(path)
        script = environ.get("SCRIPT_NAME") or "/"
        if not script.isascii():
            script = _wsgi_str(script)
        query = environ.get("QUERY_STRING")
        if query and not query.isascii():
            query = _wsgi_str(query)
        return MapAdapter(
            url_map,
            server_name,
            script,
            url_map.default_subdomain or "",
            scheme,
            path,
            environ["REQUEST_METHOD"],
            query,
        )

    def inject_url_defaults(self, endpoint: str, values: dict[str, t.Any]) -> None:
        """Let the ``url_defaults`` functions of the app and the endpoint's blueprints fill *values*."""
        funcs = self.url_default_functions
        if not funcs:
            return
        names: t.Iterable[str | None] = (None,)
        if "." in endpoint:
            names = chain(names, reversed(_split_blueprint_path(endpoint.rpartition(".")[0])))
        for name in names:
            if name in funcs:
                for func in funcs[name]:
                    func(endpoint, values)

    def handle_url_build_error(self, error: BuildError, endpoint: str, values: dict[str, t.Any]) -> str:
        """Try the ``url_build_error_handlers``; re-raise *error* if none returns a URL."""
        for handler in self.url_build_error_handlers:
            try:
                rv = handler(error, endpoint, values)
            except BuildError as e:
                error = e
            else:
                if rv is not None:
                    return rv
        if error is sys.exc_info()[1]:
            raise
        raise error

    def url_for(
        self,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: t.Any,
    ) -> str:
        """Build the URL of *endpoint*.

        In a request: relative URL (``.name`` means the current blueprint's
        endpoint), external with ``_external`` or ``_scheme``.  Outside one:
        needs ``SERVER_NAME``; external by default.  ``_anchor`` adds a
        fragment, ``_method`` picks the rule by method; unknown values become
        the query string.
        """
        req_ctx = _cv_request.get(None)
        if req_ctx is not None:
            url_adapter = req_ctx.url_adapter
            if endpoint[:1] == ".":
                blueprint_name = req_ctx.request.blueprint
                endpoint = endpoint[1:] if blueprint_name is None else f"{blueprint_name}{endpoint}"
            if _external is None:
                _external = _scheme is not None
        else:
            app_ctx = _cv_app.get(None)
            if app_ctx is not None and app_ctx.app is self:
                url_adapter = app_ctx.url_adapter
            else:
                url_adapter = self.create_url_adapter(None)
            if url_adapter is None:
                raise RuntimeError(
                    "Unable to build URLs outside an active request"
                    " without 'SERVER_NAME' configured. Also configure"
                    " 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as"
                    " needed."
                )
            if _external is None:
                _external = True
        if _scheme is not None and not _external:
            raise ValueError("When specifying '_scheme', '_external' must be True.")
        self.inject_url_defaults(endpoint, values)
        try:
            rv = url_adapter.build(  # type: ignore[union-attr]
                endpoint, values, method=_method, url_scheme=_scheme, force_external=_external
            )
        except BuildError as error:
            values.update(_anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external)
            return self.handle_url_build_error(error, endpoint, values)
        if _anchor is not None:
            rv = f"{rv}#{_url_quote(_anchor, safe='%!#$&()*+,/:;=?@' + chr(39))}"
        return rv

    def redirect(self, location: str, code: int = 302) -> BaseResponse:
        """A redirect response of this app's response class."""
        return _wz_redirect(location, code=code, Response=self.response_class)

    # -- the request lifecycle ----------------------------------------------------

    def __call__(
        self, environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]
    ) -> t.Iterable[bytes]:
        """The WSGI entry point (calls :meth:`wsgi_app`, so middleware can wrap that)."""
        if (
            self._fast_call
            and "wsgi_app" not in self.__dict__
            and "werkzeug.debug.preserve_context" not in environ
        ):
            return self._wsgi_fast(environ, start_response)
        return self.wsgi_app(environ, start_response)

    def wsgi_app(
        self, environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]
    ) -> t.Iterable[bytes]:
        """Handle one request: push the contexts, dispatch, finish the response, tear down.

        An exception that escapes the error handlers becomes a 500 (or
        propagates when ``PROPAGATE_EXCEPTIONS`` / testing / debug).
        """
        if self._fast_finish and "werkzeug.debug.preserve_context" not in environ:
            return self._wsgi_fast(environ, start_response)
        ctx = self.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                response = self.full_dispatch_request()
            except Exception as e:
                error = e
                response = self.handle_exception(e)
            except BaseException:
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            if "werkzeug.debug.preserve_context" in environ:
                environ["werkzeug.debug.preserve_context"](_cv_app.get())
                environ["werkzeug.debug.preserve_context"](_cv_request.get())
            if error is not None and self.should_ignore_error(error):
                error = None
            ctx.pop(error)
            error = None  # the error's traceback holds this frame

    def _wsgi_fast(
        self, environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]
    ) -> t.Iterable[bytes]:
        """``wsgi_app`` for the stock lifecycle: the same steps with the push, match,
        dispatch and pop inlined and the plain-value response shortcut."""
        ctx = RequestContext(self, environ)
        tokens = ctx._cv_tokens
        app_ctx: AppContext | None = _cv_app.get(None)
        if app_ctx is None or app_ctx.app is not self:
            app_ctx = AppContext(self)
            app_ctx._cv_tokens.append(_cv_app.set(app_ctx))
        else:
            app_ctx = None
        tokens.append((_cv_request.set(ctx), app_ctx))
        error: BaseException | None = None
        try:
            try:
                adapter = ctx.url_adapter
                if adapter is not None and "request" in ctx.__dict__:
                    ctx.match_request()
                elif adapter is not None:
                    # The routing error comes back as a value: no raise and
                    # catch for a 404 or 405.
                    outcome = adapter._match_outcome(return_rule=True)  # type: ignore[attr-defined]
                    if outcome.__class__ is tuple:
                        ctx._url_rule, ctx._view_args = outcome
                    else:
                        ctx._routing_exception = outcome
                rv = self._dispatch_value(ctx)
                out = self._write_plain(ctx, environ, rv, start_response)
                if out is not None:
                    return out
                response = self.finalize_request(rv)
            except Exception as e:
                error = e
                response = self.handle_exception(e)
            except BaseException:
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            if (
                len(tokens) == 1
                and not self.teardown_request_funcs
                and not self.teardown_appcontext_funcs
                and "request" not in ctx.__dict__
                and _cv_request.get(None) is ctx
                and (app_ctx is None or (len(app_ctx._cv_tokens) == 1 and _cv_app.get(None) is app_ctx))
            ):
                _cv_request.reset(tokens.pop()[0])
                if app_ctx is not None:
                    _cv_app.reset(app_ctx._cv_tokens.pop())
            else:
                if error is not None and self.should_ignore_error(error):
                    error = None
                ctx.pop(error)
            error = None  # the error's traceback holds this frame

    def _dispatch_value(self, ctx: RequestContext) -> t.Any:
        """``full_dispatch_request`` up to (not including) ``finalize_request``."""
        if not self._got_first_request:
            self._got_first_request = True
        try:
            rv = None
            if self.before_request_funcs or self.url_value_preprocessors:
                rv = self.preprocess_request()
            if rv is None:
                if ctx._routing_exception is None and "request" not in ctx.__dict__:
                    rule = ctx._url_rule
                    # getattr: a rule added to url_map directly (werkzeug's or
                    # ours) has no provide_automatic_options, as in Flask.
                    if (
                        not getattr(rule, "provide_automatic_options", False)
                        or ctx.environ["REQUEST_METHOD"] != "OPTIONS"
                    ):
                        rv = self.view_functions[rule.endpoint](**ctx._view_args)  # type: ignore[union-attr,arg-type]
                        if rv.__class__ is CoroutineType:
                            rv = _run_coroutine(rv)
                        return rv
                rv = self.dispatch_request()
        except Exception as e:
            rv = self.handle_user_exception(e)
            _drop_traceback(e)
        return rv

    def _write_plain(
        self,
        ctx: RequestContext,
        environ: dict[str, t.Any],
        rv: t.Any,
        start_response: t.Callable[..., t.Any],
    ) -> t.Iterable[bytes] | None:
        """Send *rv* without a Response object when nothing could observe the difference; else None."""
        if (
            self.after_request_funcs
            or ctx._after_request_functions
            or self.response_class is not Response
            or self.session_interface.__class__ is not SecureCookieSessionInterface
            or ctx._session is not None
        ):
            return None
        if self.config["SECRET_KEY"]:
            cookie = environ.get("HTTP_COOKIE")
            if cookie and self.config["SESSION_COOKIE_NAME"] in cookie:
                return None
        cls = rv.__class__
        if cls is str:
            body = rv.encode()
            ctype = _HTML
            status = "200 OK"
        elif cls is dict or cls is list:
            json = self.json
            if json.__class__ is not DefaultJSONProvider:
                return None
            encoder = json._compact_encoder()
            if encoder is None:
                return None
            body = (encoder.encode(rv) + "\n").encode()
            ctype = json.mimetype
            status = "200 OK"
        elif cls is bytes:
            body = rv
            ctype = _HTML
            status = "200 OK"
        elif isinstance(rv, HTTPException) and rv.response is None:
            cached = _error_page(rv)
            if cached is None:
                return rv(environ, start_response)
            status, body = cached
            headers = rv.get_headers(environ)
            headers.append(("Content-Length", str(len(body))))
            start_response(status, headers)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        else:
            return None
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        if environ["REQUEST_METHOD"] == "HEAD":
            return []
        return [body]

    def full_dispatch_request(self) -> Response:
        """Pre-process, dispatch, handle user exceptions and finalize: the response for the current request."""
        self._got_first_request = True
        try:
            rv = self.preprocess_request()
            if rv is None:
                rv = self.dispatch_request()
        except Exception as e:
            rv = self.handle_user_exception(e)
            _drop_traceback(e)
        return self.finalize_request(rv)

    def preprocess_request(self) -> t.Any:
        """Run ``url_value_preprocessor`` then ``before_request`` functions (app first, then
        blueprints outermost first); a non-None return value ends the request with it."""
        req = request._get_current_object()  # type: ignore[attr-defined]
        names = (None, *reversed(req.blueprints))
        preprocessors = self.url_value_preprocessors
        if preprocessors:
            for name in names:
                if name in preprocessors:
                    for url_func in preprocessors[name]:
                        url_func(req.endpoint, req.view_args)
        before = self.before_request_funcs
        if before:
            for name in names:
                if name in before:
                    for before_func in before[name]:
                        rv = self.ensure_sync(before_func)()
                        if rv is not None:
                            return rv
        return None

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the request's routing error (404, 405, redirect)."""
        raise request.routing_exception  # type: ignore[misc]

    def dispatch_request(self) -> t.Any:
        """Call the matched view with the URL values (or answer an automatic OPTIONS)."""
        req = request_ctx.request
        if req.routing_exception is not None:
            self.raise_routing_exception(req)
        rule: Rule = req.url_rule
        if getattr(rule, "provide_automatic_options", False) and req.method == "OPTIONS":
            return self.make_default_options_response()
        return self.ensure_sync(self.view_functions[rule.endpoint])(**req.view_args)

    def make_default_options_response(self) -> Response:
        """The automatic OPTIONS answer: empty, with ``Allow``."""
        adapter = request_ctx.url_adapter
        methods = adapter.allowed_methods()  # type: ignore[union-attr]
        rv = self.response_class()
        rv.allow.update(methods)
        return rv

    def make_response(self, rv: t.Any) -> Response:
        """Turn a view's return value into a response object.

        Accepts ``str``/``bytes`` (body), ``dict``/``list`` (JSON), a response
        object or WSGI callable, an iterator (streamed body), and tuples
        ``(body, status)``, ``(body, headers)``, ``(body, status, headers)``.
        """
        status = headers = None
        if isinstance(rv, tuple):
            n = len(rv)
            if n == 3:
                rv, status, headers = rv
            elif n == 2:
                if isinstance(rv[1], (Headers, dict, tuple, list)):
                    rv, headers = rv
                else:
                    rv, status = rv
            else:
                raise TypeError(
                    "The view function did not return a valid response tuple."
                    " The tuple must have the form (body, status, headers),"
                    " (body, status), or (body, headers)."
                )
        if rv is None:
            raise TypeError(
                f"The view function for {request.endpoint!r} did not"
                " return a valid response. The function either returned"
                " None or ended without a return statement."
            )
        if not isinstance(rv, self.response_class):
            if isinstance(rv, (str, bytes, bytearray, _abc_Iterator)):
                rv = self.response_class(rv, status=status, headers=headers)  # type: ignore[arg-type]  # bytearray
                status = headers = None
            elif isinstance(rv, (dict, list)):
                rv = self.json.response(rv)
            elif isinstance(rv, HTTPException) or callable(rv):
                try:
                    rv = self.response_class.force_type(rv, request.environ)
                except TypeError as e:
                    raise TypeError(
                        f"{e}\nThe view function did not return a valid"
                        " response. The return type must be a string,"
                        " dict, list, tuple with headers or status,"
                        " Response instance, or WSGI callable, but it"
                        f" was a {type(rv).__name__}."
                    ).with_traceback(sys.exc_info()[2]) from None
            else:
                raise TypeError(
                    "The view function did not return a valid"
                    " response. The return type must be a string,"
                    " dict, list, tuple with headers or status,"
                    " Response instance, or WSGI callable, but it was a"
                    f" {type(rv).__name__}."
                )
        if status is not None:
            if isinstance(status, (str, bytes, bytearray)):
                rv.status = status
            else:
                rv.status_code = status
        if headers:
            rv.headers.update(headers)
        return rv  # type: ignore[no-any-return]

    def finalize_request(self, rv: t.Any, from_error_handler: bool = False) -> Response:
        """``make_response`` then ``process_response``; errors while finishing an error response are logged."""
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
        except Exception:
            if not from_error_handler:
                raise
            self.logger.exception("Request finalizing failed with an error while handling an error")
        return response

    def process_response(self, response: Response) -> Response:
        """Run ``after_this_request`` and ``after_request`` functions (blueprints first, each
        scope in reverse registration order), then save the session."""
        ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        after = self.after_request_funcs
        if after:
            for name in chain(ctx.request.blueprints, (None,)):
                if name in after:
                    for func in reversed(after[name]):
                        response = self.ensure_sync(func)(response)
        sess = ctx._session
        if sess is None and (
            self.session_interface.__class__ is not SecureCookieSessionInterface
            or (
                self.secret_key
                and self.session_interface.get_cookie_name(self) in ctx.environ.get("HTTP_COOKIE", "")
            )
        ):
            sess = ctx._open_session()
        if sess is not None and not self.session_interface.is_null_session(sess):
            self.session_interface.save_session(self, sess, response)
        return response

    def do_teardown_request(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Run the ``teardown_request`` functions (blueprints first, reverse order)."""
        funcs = self.teardown_request_funcs
        if not funcs:
            return
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        ctx = _cv_request.get()
        for name in chain(ctx._blueprints(), (None,)):
            if name in funcs:
                for func in reversed(funcs[name]):
                    self.ensure_sync(func)(exc)

    def do_teardown_appcontext(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Run the ``teardown_appcontext`` functions in reverse order."""
        if not self.teardown_appcontext_funcs:
            return
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        for func in reversed(self.teardown_appcontext_funcs):
            self.ensure_sync(func)(exc)

    # -- errors ---------------------------------------------------------------------

    def _find_error_handler(self, e: Exception, blueprints: list[str]) -> t.Callable[..., t.Any] | None:
        spec = self.error_handler_spec
        if not spec:
            return None
        exc_class, code = self._get_exc_class_and_code(type(e))
        names = (*blueprints, None)
        for c in (code, None) if code is not None else (None,):
            for name in names:
                handler_map = spec.get(name)
                if not handler_map:
                    continue
                by_class = handler_map.get(c)
                if not by_class:
                    continue
                for cls in exc_class.__mro__:
                    handler = by_class.get(cls)
                    if handler is not None:
                        return handler
        return None

    def trap_http_exception(self, e: Exception) -> bool:
        """Whether an HTTP exception should propagate like any other error
        (``TRAP_HTTP_EXCEPTIONS``, ``TRAP_BAD_REQUEST_ERRORS``)."""
        if self.config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        trap_bad_request = self.config["TRAP_BAD_REQUEST_ERRORS"]
        if trap_bad_request is None and self.debug and isinstance(e, BadRequestKeyError):
            return True
        if trap_bad_request:
            from werkzeug.exceptions import BadRequest

            return isinstance(e, BadRequest)
        return False

    def handle_http_exception(self, e: HTTPException) -> HTTPException | t.Any:
        """The registered handler's result, or *e* itself (rendered by werkzeug); routing
        redirects are never handled."""
        if e.code is None or isinstance(e, RoutingException):
            return e
        if not self.error_handler_spec:
            return e
        handler = self._find_error_handler(e, request.blueprints)
        if handler is None:
            return e
        return self.ensure_sync(handler)(e)

    def handle_user_exception(self, e: Exception) -> HTTPException | t.Any:
        """Handle an exception from hooks or the view: HTTP errors via ``handle_http_exception``,
        others with a registered handler, else re-raise (then ``handle_exception`` makes a 500)."""
        if isinstance(e, BadRequestKeyError) and (self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]):
            e.show_exception = True
        if isinstance(e, HTTPException) and not self.trap_http_exception(e):
            return self.handle_http_exception(e)
        handler = self._find_error_handler(e, request.blueprints)
        if handler is None:
            raise
        return self.ensure_sync(handler)(e)

    def handle_exception(self, e: Exception) -> Response:
        """An unhandled exception: re-raise when propagating (testing/debug/``PROPAGATE_EXCEPTIONS``),
        else log it and answer 500 (through a 500 / ``InternalServerError`` handler if any)."""
        exc_info = sys.exc_info()
        propagate = self.config["PROPAGATE_EXCEPTIONS"]
        if propagate is None:
            propagate = self.testing or self.debug
        if propagate:
            same = exc_info[1] is e
            del exc_info  # this frame joins the traceback: hold no reference to it
            if same:
                raise
            raise e
        self.log_exception(exc_info)
        server_error: InternalServerError | t.Any = InternalServerError(original_exception=e)
        handler = self._find_error_handler(server_error, request.blueprints)
        if handler is not None:
            server_error = self.ensure_sync(handler)(server_error)
        return self.finalize_request(server_error, from_error_handler=True)

    def log_exception(self, exc_info: t.Any) -> None:
        """Log an unhandled exception with the request's path and method."""
        self.logger.error(f"Exception on {request.path} [{request.method}]", exc_info=exc_info)

    def should_ignore_error(self, error: BaseException | None) -> bool:
        """Whether teardown functions should not see *error* (never, by default)."""
        return False

    # -- serving --------------------------------------------------------------------

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool | None = None,
        load_dotenv: bool = True,
        **options: t.Any,
    ) -> None:
        """Serve the app with werkzeug's development server (with the reloader in debug mode).

        Host and port default to those of ``SERVER_NAME``, else 127.0.0.1:5000.
        Other options go to ``werkzeug.serving.run_simple``.  Not for production.
        """
        if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            return
        if debug is not None:
            self.debug = bool(debug)
        server_name = self.config.get("SERVER_NAME")
        sn_host = sn_port = None
        if server_name:
            sn_host, _, sn_port = server_name.partition(":")
        if not host:
            host = sn_host or "127.0.0.1"
        if port or port == 0:
            port = int(port)
        elif sn_port:
            port = int(sn_port)
        else:
            port = 5000
        options.setdefault("use_reloader", self.debug)
        options.setdefault("use_debugger", self.debug)
        options.setdefault("threaded", True)
        from werkzeug.serving import run_simple

        from .cli import show_server_banner

        show_server_banner(self.debug, self.name)
        try:
            run_simple(t.cast(str, host), port, self, **options)
        finally:
            self._got_first_request = False


_error_pages: dict[tuple[type[HTTPException], str | None], tuple[str, bytes]] = {}


def _error_page(e: HTTPException) -> tuple[str, bytes] | None:
    """Status line and HTML body of a plain HTTP error, cached per class and description.

    Only for exceptions whose body depends on nothing but those (not redirects)."""
    cls = e.__class__
    if isinstance(e, RoutingException) or cls.get_body is not HTTPException.get_body:
        return None
    if (
        cls.get_response is not HTTPException.get_response
        or cls.get_description is not HTTPException.get_description
    ):
        return None
    key = (cls, e.description)
    page = _error_pages.get(key)
    if page is None:
        from werkzeug.http import HTTP_STATUS_CODES

        code = e.code or 500
        status = f"{code} {HTTP_STATUS_CODES.get(code, 'UNKNOWN').upper()}"
        page = (status, e.get_body().encode())
        if len(_error_pages) < 256:
            _error_pages[key] = page
    return page


def _run_coroutine(coro: t.Any) -> t.Any:
    import asyncio

    return asyncio.run(coro)
