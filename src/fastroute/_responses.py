"""How ``fastroute.Flask`` writes responses: Flask's answers, made with less work.

``_write`` turns a response whose class keeps werkzeug's writing methods
into status, headers and body without werkzeug's ``get_wsgi_response``
walk; ``_template_response`` copies a response object from one werkzeug
made for the class and mimetype (what werkzeug's constructor leaves, minus
the body); :class:`JSONProvider` is Flask's ``DefaultJSONProvider`` whose
responses are made that way; ``_not_found_page`` is werkzeug's own 404 page,
made once.  Each is used only where its answer is the one werkzeug or Flask
gives (see the checks next to each); ``_request_path`` decides where.

What is worked out from a class is remembered with the class's version
(``class_version``: CPython's type version tag, new whenever the class or a
class in its MRO changes), so a method or default patched onto a response
class, ``flask.Response``, werkzeug's ``Response`` or ``NotFound`` later is
seen by the next response.  Where no version is known (the pure-Python core
cannot read it) nothing is remembered and each answer is worked out again.
"""

from __future__ import annotations

import json
import sys
import typing as t
from operator import attrgetter
from types import FunctionType

import flask
import flask.json.provider as _flask_provider
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.sansio.response import Response as _SansioResponse
from werkzeug.wrappers import Response as _WzResponse

from ._cores import local_core

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


_new_object = object.__new__
class_version: t.Callable[[type], int] = local_core.class_version
#: ``check(cls)`` remembered in a table per version of the class (the core's
#: ``remembered``: ``check`` reads only the class and its bases, so a change to
#: either, a method patched on after the first request say, asks again; with
#: the version unknown, the pure-Python core, it is asked every time).
_remembered: t.Callable[[dict[type, tuple[int, t.Any]], type, t.Callable[[type], t.Any]], t.Any] = (
    local_core.remembered
)
#: Classes remembered per table at most (a class made per request is not kept).
_CLASSES_MAX = local_core.REMEMBERED_MAX


def _werkzeug_error_methods(name: str) -> frozenset[t.Any]:
    """The ``name`` methods werkzeug's HTTP errors define (routing's included)."""
    import werkzeug.exceptions
    import werkzeug.routing.exceptions

    return frozenset(
        vars(cls)[name]
        for module in (werkzeug.exceptions, werkzeug.routing.exceptions)
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, HTTPException) and name in vars(cls)
    )


#: ``get_response``/``get_headers`` of werkzeug's errors, as this module found
#: them: they act only on the error, so one may be called to see the headers
#: and the error then left to ``make_response``, which calls it again.
_WZ_GET_RESPONSE = _werkzeug_error_methods("get_response")
_WZ_GET_HEADERS = _werkzeug_error_methods("get_headers")


# -- responses ------------------------------------------------------------------

#: the werkzeug methods that turn a response into status, headers and body;
#: a class that overrides none of them is written by ``_write``.
_WRITE_METHODS = (
    "__call__",
    "get_wsgi_response",
    "get_wsgi_headers",
    "get_app_iter",
    "iter_encoded",
    "close",
    "is_sequence",
    "status_code",
    "status",
)
#: werkzeug's own, as this module found them (werkzeug's class may be patched later).
_STOCK_WRITE = attrgetter(*_WRITE_METHODS)(_WzResponse)
_writable: dict[type, tuple[int, bool]] = {}
#: (Set on a response object, a method shadows the class's.)
_WRITE_METHOD_NAMES = frozenset(_WRITE_METHODS)


def _is_writable(cls: type) -> bool:
    """Whether werkzeug's own methods write ``cls``'s responses (``_write``)."""
    return _remembered(_writable, cls, _check_writable)  # type: ignore[no-any-return]


def _check_writable(cls: type) -> bool:
    return issubclass(cls, _WzResponse) and all(
        getattr(cls, name) is stock for name, stock in zip(_WRITE_METHODS, _STOCK_WRITE, strict=True)
    )


def _write(response: t.Any, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
    """``response(environ, start_response)`` with the body as a list when it is one.

    Same status line, headers and bytes as werkzeug's ``Response.__call__``;
    a streamed, passthrough or on-close response, or one with a write
    method set on the object itself, goes through werkzeug.
    """
    body = response.response
    code = response.status_code
    if (
        not _WRITE_METHOD_NAMES.isdisjoint(response.__dict__)
        or response.direct_passthrough
        or response._on_close
        or (body.__class__ is not list and body.__class__ is not tuple)
        or code < 200
        or code == 204
        or code == 304
    ):
        return response(environ, start_response)  # type: ignore[no-any-return]
    headers = response.headers
    length = None
    for key, value in headers._list:
        low = key.lower()
        if low == "content-length":
            length = value
        elif low == "location" or low == "content-location":
            # The URL fixes are werkzeug's business.
            start_response(response.status, response.get_wsgi_headers(environ).to_wsgi_list())
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [_join(body)]
    data = _join(body)
    out = list(headers._list)
    if length is None and response.automatically_set_content_length:
        out.append(("Content-Length", str(len(data))))
    start_response(response.status, out)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [data]


def _join(body: list[t.Any] | tuple[t.Any, ...]) -> bytes:
    if len(body) == 1 and body[0].__class__ is bytes:
        return body[0]  # type: ignore[no-any-return]
    return b"".join(item.encode() if isinstance(item, str) else item for item in body)


#: The response class attributes a plain value's response depends on; classes
#: that change only these (and data attributes) are written from a template.
_built_by_template: dict[type, tuple[int, bool]] = {}
_TEMPLATE_SAFE_NAMES = frozenset(
    {
        "__module__",
        "__qualname__",
        "__doc__",
        "__dict__",
        "__weakref__",
        "__annotations__",
        "__firstlineno__",
        "__static_attributes__",
        "default_mimetype",
        "default_status",
        "automatically_set_content_length",
        "autocorrect_location_header",
        "max_cookie_size",
        "json_module",
        "implicit_sequence_conversion",
    }
)


#: How werkzeug makes a response (its constructor, the body and status
#: setters, ``force_type``), as this module found them.
_MAKE_METHODS = ("__init__", "__new__", "set_data", "_clean_status", "calculate_content_length")
_made_by = attrgetter(*_MAKE_METHODS)
_STOCK_MAKE = _made_by(_WzResponse)
_STOCK_FORCE_TYPE = _WzResponse.force_type.__func__


def _by_template(cls: type) -> bool:
    """Whether ``cls(value[, mimetype=])`` is Flask's ``Response`` but for data
    defaults, made and written by werkzeug's own methods; then so is what
    ``cls.force_type`` makes of an error's WSGI output.  (Flask calls an
    app's ``response_class``; one that is not a class is not this.)"""
    return isinstance(cls, type) and _remembered(_built_by_template, cls, _check_by_template)


def _check_by_template(cls: type) -> bool:
    ok = (
        issubclass(cls, flask.Response)
        and _is_writable(cls)
        and _made_by(cls) == _STOCK_MAKE
        and getattr(cls.force_type, "__func__", None) is _STOCK_FORCE_TYPE
    )
    if ok:
        for klass in cls.__mro__:
            if klass is flask.Response:
                break
            if not set(vars(klass)) <= _TEMPLATE_SAFE_NAMES:
                ok = False
                break
        ok = ok and flask.Response.__mro__[1:4] == (_WzResponse, _SansioResponse, object)
    return ok


_Head = tuple[str, list[tuple[str, str]], int, bool]
_head_cache: dict[tuple[type, str | None], tuple[int, _Head | None]] = {}
#: What werkzeug's constructor leaves in a response's ``__dict__`` (in this
#: order) and in its headers' ``__dict__``.
_RESPONSE_FIELDS = ["headers", "_status", "_status_code", "direct_passthrough", "_on_close", "response"]
_HEADERS_FIELDS = ["_list"]


def _head(cls: type, mimetype: str | None) -> _Head | None:
    """Status line, headers but Content-Length, status code of ``cls(body,
    mimetype=mimetype)``, and whether its object may be made from a copy
    (``_template_response``); or ``None`` when such a response is not written
    from a template (a class that changes more than data defaults, a status
    without a body).

    Made by building one such response (its constructor is werkzeug's, so
    this has no side effect) and remembered with the class's version: the
    class (its defaults, its MRO's methods) and the mimetype are all it reads.
    """
    if not isinstance(cls, type):
        return None
    version = class_version(cls)
    key = (cls, mimetype)
    known = _head_cache.get(key)
    if known is not None and known[0] == version:
        return known[1]
    head = None
    if _by_template(cls):
        probe = cls(b"", mimetype=mimetype)
        code = probe.status_code
        if code >= 200 and code != 204 and code != 304:
            ctype = probe.headers.get("Content-Type")
            copyable = (
                list(vars(probe)) == _RESPONSE_FIELDS
                and type(probe.headers) is Headers
                and list(vars(probe.headers)) == _HEADERS_FIELDS
                and probe.direct_passthrough is False
                and probe._on_close == []
                and probe.response == [b""]
                and type(probe._status) is str
                and type(probe._status_code) is int
            )
            head = (probe.status, [] if ctype is None else [("Content-Type", ctype)], code, copyable)
    if version and (known is not None or len(_head_cache) < _CLASSES_MAX):
        _head_cache[key] = (version, head)
    return head


def _template_response(cls: type, body: bytes, mimetype: str | None) -> t.Any:
    """``cls(body, mimetype=mimetype)`` made as a copy of what werkzeug's
    constructor leaves (``_head``), or ``None`` when it may not be."""
    head = _head(cls, mimetype)
    if head is None or not head[3]:
        return None
    headers = _new_object(Headers)
    items = head[1][:]
    if cls.automatically_set_content_length:  # type: ignore[attr-defined]
        items.append(("Content-Length", str(len(body))))
    headers._list = items
    response = _new_object(cls)
    fields = response.__dict__
    fields["headers"] = headers
    fields["_status"] = head[0]
    fields["_status_code"] = head[2]
    fields["direct_passthrough"] = False
    fields["_on_close"] = []
    fields["response"] = [body]
    return response


# -- JSON responses ------------------------------------------------------------------


_PROVIDER_DUMPS = DefaultJSONProvider.dumps
_JSON_DUMPS = json.dumps
_JSON_ENCODER = json.JSONEncoder
#: (default, ensure_ascii, sort_keys, indented) -> the encoder ``json.dumps``
#: would make for them; an encoder keeps no state between ``encode`` calls.
_encoders: dict[tuple[t.Any, ...], json.JSONEncoder] = {}


def _dumps(provider: t.Any, obj: t.Any, indented: bool) -> str:
    """``provider.dumps(obj, indent=2)`` if *indented*, else
    ``provider.dumps(obj, separators=(",", ":"))``.

    For Flask's own ``dumps`` over the stdlib's ``json.dumps`` and
    ``JSONEncoder`` (none patched), the encoder ``json.dumps`` would build
    for these arguments is built once and reused.
    """
    if (
        type(provider).dumps is _PROVIDER_DUMPS
        and "dumps" not in getattr(provider, "__dict__", ("dumps",))
        and _flask_provider.json is json
        and json.dumps is _JSON_DUMPS
        and json.JSONEncoder is _JSON_ENCODER
    ):
        default = provider.default
        ensure_ascii = provider.ensure_ascii
        sort_keys = provider.sort_keys
        if type(default) is FunctionType and type(ensure_ascii) is bool and type(sort_keys) is bool:
            key = (default, ensure_ascii, sort_keys, indented)
            encoder = _encoders.get(key)
            if encoder is None:
                encoder = _JSON_ENCODER(
                    skipkeys=False,
                    ensure_ascii=ensure_ascii,
                    check_circular=True,
                    allow_nan=True,
                    indent=2 if indented else None,
                    separators=None if indented else (",", ":"),
                    default=default,
                    sort_keys=sort_keys,
                )
                if len(_encoders) < 64:
                    _encoders[key] = encoder
            return encoder.encode(obj)
    if indented:
        return provider.dumps(obj, indent=2)  # type: ignore[no-any-return]
    return provider.dumps(obj, separators=(",", ":"))  # type: ignore[no-any-return]


#: Flask's ``DefaultJSONProvider.response``, as this module found it.
_FLASK_JSON_RESPONSE = DefaultJSONProvider.response


class JSONProvider(DefaultJSONProvider):
    """Flask's :class:`~flask.json.provider.DefaultJSONProvider` whose
    ``response`` (what ``jsonify`` returns) makes its object from the
    response class's template (``_template_response``) instead of the
    constructor.

    The same steps as Flask's, in its order: ``_prepare_response_obj``, the
    indent/separators choice from ``compact`` and the app's ``debug``, the
    provider's ``dumps``, then ``response_class(text + "\\n",
    mimetype=self.mimetype)``, so a subclass overriding any of them, or an
    attribute set on the instance, is honoured; a response class the
    template does not know is called as Flask calls it.
    """

    def response(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        if DefaultJSONProvider.response is not _FLASK_JSON_RESPONSE:
            # Flask's method was replaced (patched after import): an app on
            # Flask would call the replacement.
            return DefaultJSONProvider.response(self, *args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        indented = bool((self.compact is None and self._app.debug) or self.compact is False)
        text = f"{_dumps(self, obj, indented)}\n"
        cls = self._app.response_class
        mimetype = self.mimetype
        response = _template_response(cls, text.encode(), mimetype) if _head_copyable(cls, mimetype) else None
        if response is None:
            return cls(text, mimetype=mimetype)
        return response


#: ``response`` methods whose answer is Flask's ``DefaultJSONProvider.response``'s
#: (while that is ``_FLASK_JSON_RESPONSE``).
_STOCK_JSON_RESPONSES = (DefaultJSONProvider.response, JSONProvider.response)


def _head_copyable(cls: type, mimetype: str | None) -> bool:
    head = _head(cls, mimetype)
    return head is not None and head[3]


# -- the not-found page ------------------------------------------------------------

#: What a page of ``HTTPException`` is made by: a ``NotFound`` class that
#: keeps these (data attributes aside) and an instance with no attribute but
#: ``response=None`` has one page for every request, since none of them
#: reads the environ.
_page_methods = attrgetter("get_response", "get_body", "get_description", "get_headers", "__call__", "name")
_STOCK_PAGE_METHODS = _page_methods(HTTPException)
_BARE_ERROR = {"response": None}
_Page = tuple[str, list[tuple[str, str]], list[bytes]]
#: ``(NotFound's version, Response class, its version, status name, page)``
#: of the last page made.
_made_not_found_page: tuple[int, type, int, str, _Page | None] | None = None


def _not_found_page(error: HTTPException, environ: WSGIEnvironment) -> _Page | None:
    """Status, headers and body ``_write`` writes for ``error.get_response(environ)``
    (a GET), where *error* is a bare ``NotFound`` (``rv.__class__ is NotFound and
    rv.__dict__ == _BARE_ERROR``); ``None`` when that page is not the same for
    every request or not written by ``_write``.

    Made once per version of ``NotFound`` and of the ``Response`` class that
    ``get_response`` imports, and per status name (werkzeug's ``name`` reads
    ``HTTP_STATUS_CODES``, a dict an app may change).
    """
    global _made_not_found_page
    response_class = sys.modules["werkzeug.wrappers.response"].Response
    made = _made_not_found_page
    if (
        made is not None
        and made[1] is response_class
        and made[0] == class_version(NotFound)
        and made[2] == class_version(response_class)
        and made[3] == error.name
    ):
        return made[4]
    key = (class_version(NotFound), response_class, class_version(response_class), error.name)
    if (
        _page_methods(NotFound) != _STOCK_PAGE_METHODS
        or type(NotFound.code) is not int
        or type(NotFound.description) is not str
    ):
        return None
    response = error.get_response(environ)
    page: _Page | None = None
    if _is_writable(type(response)) and "Location" not in response.headers:
        seen: list[t.Any] = []
        body = _write(
            response, {"REQUEST_METHOD": "GET"}, lambda status, headers: seen.append((status, headers))
        )
        if type(body) is list and len(body) == 1 and type(body[0]) is bytes:
            page = (seen[0][0], list(seen[0][1]), body)
    if key[0] and key[2]:
        _made_not_found_page = (*key, page)
    return page
