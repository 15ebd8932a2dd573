"""The request object of the request path (``_request_path``), with less work.

``request_class(environ)`` made without werkzeug's constructor when the class
keeps it, whether ``host`` is werkzeug's cached property, and
``request.blueprints`` worked out once per endpoint.  Each answers as the
request class itself would, for every class: one that is not werkzeug's and
Flask's own as imported (a constructor, property or attribute of its own, a
patch since) is asked, as Flask asks it.
"""

from __future__ import annotations

import typing as t
from operator import attrgetter

import flask
from werkzeug.datastructures import EnvironHeaders, Headers
from werkzeug.sansio.request import Request as _SansioRequest
from werkzeug.wrappers import Request as _WzRequest
from werkzeug.wsgi import _get_server

from ._cores import local_core

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment

#: ``check(cls)`` remembered per version of the class (``_responses._remembered``).
_remembered = local_core.remembered


# -- the blueprints of an endpoint ----------------------------------------------

_blueprints_of: dict[str, list[str]] = {}


def _endpoint_blueprints(endpoint: str | None) -> list[str]:
    """``request.blueprints`` for *endpoint*: ``"a.b.view"`` -> ``["a.b", "a"]``.

    A pure function of the endpoint, so its cache (``str`` endpoints, with or
    without a dot) cannot go stale; callers get a new list each time
    (Flask's property does too).
    """
    if endpoint is None:
        return []
    cached = type(endpoint) is str
    found = _blueprints_of.get(endpoint) if cached else None
    if found is None:
        if "." not in endpoint:
            found = []
        else:
            name = endpoint.rpartition(".")[0]
            parts = name.split(".")
            found = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
        if cached and len(_blueprints_of) < 4096:
            _blueprints_of[endpoint] = found
    return found[:]


_stock_request_props: dict[type, tuple[int, bool]] = {}


#: ``endpoint``, ``blueprint`` and ``blueprints`` of Flask's request, as
#: this module found them (patched onto ``flask.Request`` later, they are not).
_request_props = attrgetter("endpoint", "blueprint", "blueprints")
_FLASK_REQUEST_PROPS = _request_props(flask.Request)


def _has_stock_props(cls: type) -> bool:
    """``endpoint``, ``blueprint`` and ``blueprints`` of ``cls`` are Flask's;
    remembered per version of the class in ``_stock_request_props``."""
    return _request_props(cls) == _FLASK_REQUEST_PROPS


def _request_blueprints(request: t.Any) -> list[str]:
    """``request.blueprints``, computed from the rule when the request class
    does not change how (``endpoint``/``blueprint``/``blueprints`` are Flask's).

    Called a few times per request (hooks, error handlers, teardown): a
    known endpoint is answered here, without a further call.
    """
    cls = type(request)
    if not _remembered(_stock_request_props, cls, _has_stock_props):
        return request.blueprints  # type: ignore[no-any-return]
    rule = request.url_rule
    if rule is None:
        return []
    endpoint = rule.endpoint
    if type(endpoint) is str:
        found = _blueprints_of.get(endpoint)
        if found is not None:
            return found[:]
    return _endpoint_blueprints(endpoint)


def _hooked(funcs: dict[str | None, t.Any], blueprints: list[str]) -> bool:
    """*funcs* (a hook dictionary) has functions for one of *blueprints*."""
    for name in blueprints:  # noqa: SIM110 (no generator: a hot path)
        if name in funcs:
            return True
    return False


# -- the request object ------------------------------------------------------------

#: The attributes werkzeug's ``Request.__init__`` sets on a new request.
_REQUEST_FIELDS = (
    "method", "scheme", "server", "root_path", "path", "query_string", "headers", "remote_addr",
    "environ", "shallow",
)  # fmt: skip
_WZ_REQUEST_INIT = _WzRequest.__init__
_SANSIO_REQUEST_INIT = _SansioRequest.__init__
_plain_request_init: dict[type, tuple[int, bool]] = {}


def _has_plain_init(cls: type) -> bool:
    """Whether ``cls(environ)`` is werkzeug's constructor filling a plain ``__dict__``.

    No class of ``cls`` but werkzeug's two defines ``__init__``, ``__new__``,
    ``__setattr__`` or a class attribute named like a field the constructor
    sets (a property would see the assignment), werkzeug's constructors are
    the ones this module was imported with, and the metaclass is ``type``.
    Remembered per version of the class in ``_plain_request_init``.
    """
    names = {"__init__", "__new__", "__setattr__", "__slots__", *_REQUEST_FIELDS}
    return (
        type(cls) is type
        and issubclass(cls, _WzRequest)
        and _WzRequest.__init__ is _WZ_REQUEST_INIT
        and _SansioRequest.__init__ is _SANSIO_REQUEST_INIT
        and all(
            klass in (_WzRequest, _SansioRequest, object) or not names.intersection(vars(klass))
            for klass in cls.__mro__
        )
    )


#: How ``EnvironHeaders(environ)`` is made, as this module found it.
_environ_headers_state = attrgetter("__init__", "__new__", "__setattr__")
_ENVIRON_HEADERS_STATE = _environ_headers_state(EnvironHeaders)
_HEADERS_INIT = Headers.__init__
_plain_headers: dict[type, tuple[int, bool]] = {}


def _has_plain_headers(cls: type) -> bool:
    """``EnvironHeaders(environ)`` sets just ``_list`` and ``environ`` (werkzeug's
    two constructors, no ``__new__``/``__setattr__``); remembered per version
    of the class in ``_plain_headers`` (a change to ``Headers`` gives
    ``EnvironHeaders`` a new version too)."""
    return _environ_headers_state(cls) == _ENVIRON_HEADERS_STATE and Headers.__init__ is _HEADERS_INIT


_servers: dict[tuple[t.Any, t.Any], tuple[str, int | None]] = {}
_new_object = object.__new__


def _new_request(cls: type, environ: WSGIEnvironment) -> t.Any:
    """``cls(environ)`` for werkzeug's constructor (``_has_plain_init``).

    The same attribute values in the same order: for ASCII ``str`` paths and
    query the WSGI decoding leaves the text as it is; ``server`` is
    remembered per (``SERVER_NAME``, ``SERVER_PORT``).  Anything else (a
    method, path or query that is not an ASCII ``str``) is built by the
    constructor itself, so its errors are werkzeug's.
    """
    method = environ.get("REQUEST_METHOD", "GET")
    script = environ.get("SCRIPT_NAME") or ""
    path = environ.get("PATH_INFO") or ""
    query = environ.get("QUERY_STRING", "")
    if not (
        type(method) is str
        and type(script) is str
        and type(path) is str
        and type(query) is str
        and script.isascii()
        and path.isascii()
        and query.isascii()
    ):
        return cls(environ)
    name = environ.get("SERVER_NAME")
    if name is None:
        server = None
    else:
        port = environ.get("SERVER_PORT")
        try:
            server = _servers[name, port]
        except (KeyError, TypeError):
            server = _get_server(environ)
            if type(name) is str and type(port) is str and len(_servers) < 256:
                _servers[name, port] = server
    request = _new_object(cls)
    request.method = method.upper()
    request.scheme = environ.get("wsgi.url_scheme", "http")
    request.server = server
    request.root_path = script.rstrip("/")
    request.path = "/" + path.lstrip("/")
    request.query_string = query.encode("latin1")
    if _remembered(_plain_headers, EnvironHeaders, _has_plain_headers):
        # EnvironHeaders(environ): werkzeug's two constructors set just these.
        headers = _new_object(EnvironHeaders)
        headers._list = []
        headers.environ = environ
        request.headers = headers
    else:
        request.headers = EnvironHeaders(environ)
    request.remote_addr = environ.get("REMOTE_ADDR")
    request.environ = environ
    request.shallow = False
    environ["werkzeug.request"] = request
    return request


_plain_host: dict[type, tuple[int, bool]] = {}


def _has_plain_host(cls: type) -> bool:
    """``cls.host`` is werkzeug's cached property (setting it fills ``__dict__``);
    remembered per version of the class in ``_plain_host``."""
    return getattr(cls, "host", None) is _SansioRequest.__dict__["host"]
