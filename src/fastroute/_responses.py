"""How ``fastroute.Flask`` writes responses: Flask's answers, made with less work.

``_write`` turns a response whose class keeps werkzeug's writing methods
into status, headers and body without werkzeug's ``get_wsgi_response``
walk; ``_template_response`` copies a response object from one werkzeug
made for the class and mimetype (what werkzeug's constructor leaves, minus
the body); :class:`JSONProvider` is Flask's ``DefaultJSONProvider`` whose
responses are made that way; ``_not_found_page`` is werkzeug's own 404 page,
made once.  Each is used only where its answer is the one werkzeug or Flask
gives (see the checks next to each); ``_request_path`` decides where.
"""

from __future__ import annotations

import typing as t
from operator import attrgetter

import flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.sansio.response import Response as _SansioResponse
from werkzeug.wrappers import Response as _WzResponse

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


_new_object = object.__new__


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
_writable: dict[type, bool] = {}


def _is_writable(cls: type) -> bool:
    ok = _writable.get(cls)
    if ok is None:
        ok = issubclass(cls, _WzResponse) and all(
            getattr(cls, name) is getattr(_WzResponse, name) for name in _WRITE_METHODS
        )
        _writable[cls] = ok
    return ok


def _write(response: t.Any, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
    """``response(environ, start_response)`` with the body as a list when it is one.

    Same status line, headers and bytes as werkzeug's ``Response.__call__``;
    a streamed, passthrough or on-close response goes through werkzeug.
    """
    body = response.response
    code = response.status_code
    if (
        response.direct_passthrough
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
_built_by_template: dict[type, bool] = {}
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


def _by_template(cls: type) -> bool:
    """Whether ``cls(value[, mimetype=])`` is Flask's ``Response`` but for data defaults."""
    ok = _built_by_template.get(cls)
    if ok is None:
        ok = issubclass(cls, flask.Response) and _is_writable(cls)
        if ok:
            for klass in cls.__mro__:
                if klass is flask.Response:
                    break
                if not set(vars(klass)) <= _TEMPLATE_SAFE_NAMES:
                    ok = False
                    break
            ok = ok and flask.Response.__mro__[1:4] == (_WzResponse, _SansioResponse, object)
        _built_by_template[cls] = ok
    return ok


_Head = tuple[str, list[tuple[str, str]], int, bool]
_head_cache: dict[tuple[t.Any, ...], _Head | None] = {}
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
    this has no side effect) and keyed by every input it reads.
    """
    key = (cls, mimetype, cls.default_status, cls.default_mimetype)
    try:
        return _head_cache[key]
    except KeyError:
        pass
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
    if len(_head_cache) < 1024:
        _head_cache[key] = head
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
        obj = self._prepare_response_obj(args, kwargs)
        if (self.compact is None and self._app.debug) or self.compact is False:
            text = f"{self.dumps(obj, indent=2)}\n"
        else:
            text = f"{self.dumps(obj, separators=(',', ':'))}\n"
        cls = self._app.response_class
        mimetype = self.mimetype
        response = _template_response(cls, text.encode(), mimetype) if _head_copyable(cls, mimetype) else None
        if response is None:
            return cls(text, mimetype=mimetype)
        return response


#: ``response`` methods whose answer is Flask's ``DefaultJSONProvider.response``'s.
_STOCK_JSON_RESPONSES = (DefaultJSONProvider.response, JSONProvider.response)


def _head_copyable(cls: type, mimetype: str | None) -> bool:
    head = _head(cls, mimetype)
    return head is not None and head[3]


# -- the not-found page ------------------------------------------------------------

#: What werkzeug's error page is made from: a ``NotFound`` whose class has
#: these as this module found them, and no instance attribute but
#: ``response=None``, has one page, whatever the request (its ``get_body``,
#: ``get_headers`` and ``get_description`` read no environ).
_page_state = attrgetter(
    "code", "description", "name", "get_response", "get_body", "get_description", "get_headers", "__call__",
    "__init__", "__str__",
)  # fmt: skip
_NOT_FOUND_STATE = _page_state(NotFound)
_BARE_ERROR = {"response": None}
_made_not_found_page: tuple[str, list[tuple[str, str]], list[bytes]] | None = None


def _not_found_page(error: HTTPException, environ: WSGIEnvironment) -> t.Any:
    """The page of ``_make_not_found_page``, made on the first call."""
    return _made_not_found_page or _make_not_found_page(error, environ)


def _make_not_found_page(error: HTTPException, environ: WSGIEnvironment) -> t.Any:
    """Status, headers and body ``_write`` writes for ``error.get_response(environ)``
    (for a GET), remembered; ``None`` when it is not written by ``_write``."""
    global _made_not_found_page
    response = error.get_response(environ)
    if not _is_writable(type(response)) or "Location" in response.headers:
        return None
    seen: list[t.Any] = []
    body = _write(response, {"REQUEST_METHOD": "GET"}, lambda status, headers: seen.append((status, headers)))
    if type(body) is not list or len(body) != 1 or type(body[0]) is not bytes:
        return None
    _made_not_found_page = (seen[0][0], list(seen[0][1]), body)
    return _made_not_found_page
