"""The app layer against Flask: generated apps answer generated requests the same.

One description function (``describe``) builds each generated app on two
bases: plain ``flask.Flask`` and ``fastroute.Flask`` (``FastRequestPath`` on
Flask with fastroute's router and session interface).  Both get the same
request sequence; the status, the headers (not ``Date``; ``Set-Cookie``
decoded), the body, what escaped as an exception, and the order in which the
hooks, handlers, signals and overridden methods ran must be equal
(``Allow`` is compared as a set: its order is set order in werkzeug too).  Runs on
both matcher cores (the ``core`` fixture).

The generated apps combine: ``before_request``/``after_request``/
``teardown_request``/url value preprocessors on the app, a blueprint and a
nested blueprint; error handlers by code and by class on the app and the
blueprint; views returning every kind of value Flask accepts, ``abort`` with
dict/Markup/lazy descriptions, an ``HTTPException`` subclass with a code per
instance, redirects, session values of every tagged type through a custom
JSON provider; changed ``response_class``/``request_class``; signal
receivers; overrides of Flask's request-path methods.  Requests vary method,
path, ``SCRIPT_NAME`` (a mount, the mount point itself, empty ``PATH_INFO``),
body and the session cookie from the previous answer.
"""

from __future__ import annotations

import abc
import datetime
import decimal
import json
import logging
import typing as t
import uuid

import itsdangerous
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

flask = pytest.importorskip("flask")

import werkzeug.datastructures  # noqa: E402
import werkzeug.http  # noqa: E402
import werkzeug.sansio.request  # noqa: E402
import werkzeug.wrappers  # noqa: E402
import werkzeug.wrappers.response  # noqa: E402
from flask import signals  # noqa: E402
from flask.json.provider import DefaultJSONProvider  # noqa: E402
from markupsafe import Markup  # noqa: E402
from werkzeug.exceptions import HTTPException, NotFound  # noqa: E402
from werkzeug.http import parse_cookie  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

import fastroute  # noqa: E402
import fastroute.routing  # noqa: E402
from fastroute._request_path import FastRequestPath  # noqa: E402

#: The product class itself: its request path, router and session interface.
App = fastroute.Flask


BASES = {"flask": flask.Flask, "fastroute": App}


class APIError(HTTPException):
    """An HTTP error whose code is chosen per instance."""

    code = 400

    def __init__(self, code: int, description: t.Any = None) -> None:
        super().__init__(description)
        self.code = code


class Lazy:
    """A lazily translated string, as Flask-Babel's ``lazy_gettext`` gives."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        return Markup.escape(self.text)


class CustomJSON(DefaultJSONProvider):
    """A JSON provider knowing ``Decimal``, with unsorted keys."""

    sort_keys = False

    @staticmethod
    def default(o: t.Any) -> t.Any:
        if isinstance(o, decimal.Decimal):
            return str(o)
        return DefaultJSONProvider.default(o)


class PlainResponse(flask.Response):
    default_mimetype = "text/plain"


class CreatedResponse(flask.Response):
    default_status = 201
    automatically_set_content_length = False


class TolerantRequest(flask.Request):
    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        return {"bad": True}


class InitRequest(flask.Request):
    """Its own constructor: built by calling it (``request.path`` shows it ran)."""

    def __init__(self, environ: dict[str, t.Any], *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(environ, *args, **kwargs)
        self.path = self.path + "!"


class PathPropertyRequest(flask.Request):
    """A property over a field the constructor sets: it must see the assignment."""

    @property
    def path(self) -> str:
        return self.__dict__["_path"]

    @path.setter
    def path(self, value: str) -> None:
        self.__dict__["_path"] = value.upper()


# -- what an app is made of ---------------------------------------------------------

SESSION_VALUES = [
    ("tuple", (1, "two", (3,))),
    ("bytes", b"\x00\xffbin"),
    ("markup", Markup("<b>bold</b>")),
    ("uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ("datetime", datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)),
    ("tagdict", {" t": [1, 2], "plain": {" di": "x"}}),
    ("list", [1, [2, (3, b"4")], {"k": Markup("m")}]),
    ("decimal", decimal.Decimal("1.50")),
    ("date", datetime.date(2020, 1, 2)),
    ("text", "héllo"),
]
VIEWS = [
    "str", "bytes", "dict", "list", "tuple_status", "tuple_headers", "tuple_all", "response",
    "jsonify", "generator", "stream_ctx", "none", "abort404", "abort_dict", "abort_markup",
    "abort_lazy", "api_error", "api_error_429", "key_error", "redirect", "session_set",
    "session_read", "session_clear", "session_permanent", "g", "after_this_request",
    "copy_ctx", "url_for", "json_body", "return_exception", "response_tuple", "request_fields",
]  # fmt: skip
PLAIN_VIEWS = ["str", "bytes", "dict", "list", "abort404", "jsonify", "request_fields"]
BEFORE = [None, "noop", "return", "abort", "session_touch", "raise", "own_close"]
#: (``session_read``/``session_write``: the session first touched after the view,
#: where only the cookie and ``Vary`` show it; ``own_write``: a method set on the
#: response object.)
AFTER = [
    None, "header", "replace", "raise", "inspect", "session_read", "session_write", "own_write",
    "own_set_cookie",
]  # fmt: skip
HANDLERS = [None, "tuple", "exception", "dict"]
HANDLED = ["404", "500", "422", "405", "APIError", "KeyError", "HTTPException"]
OVERRIDES = [
    "make_response", "process_response", "full_dispatch_request", "dispatch_request",
    "handle_exception", "handle_user_exception", "handle_http_exception", "preprocess_request",
    "create_url_adapter", "finalize_request", "request_context", "app_context",
    "do_teardown_request", "do_teardown_appcontext", "log_exception", "should_ignore_error",
    "raise_routing_exception", "trap_http_exception", "make_default_options_response",
]  # fmt: skip
SIGNALS = [
    "request_started", "request_finished", "got_request_exception", "request_tearing_down",
    "appcontext_pushed", "appcontext_popped", "appcontext_tearing_down",
]  # fmt: skip
SCOPES = ["app", "bp", "inner"]
ROUTES = {"root": "/", "num": "/v/<int:n>", "bp": "/bp/x", "inner": "/bp/in/y", "slash": "/slash/"}


def _often_none(choices: list[t.Any]) -> st.SearchStrategy[t.Any]:
    """One of *choices*, ``None`` half of the time."""
    return st.one_of(st.none(), st.sampled_from(choices))


specs = st.fixed_dictionaries(
    {
        # Plain values (written without a response object when nothing reads
        # it) half of the time, any kind of view the other half.
        "views": st.fixed_dictionaries(
            {name: st.one_of(st.sampled_from(PLAIN_VIEWS), st.sampled_from(VIEWS)) for name in ROUTES}
        ),
        "session_value": st.sampled_from(SESSION_VALUES),
        # Hooks, handlers, overrides and signals are often absent, so that
        # the paths taken only without them (a plain value written without a
        # response object) come up as often as the others.
        "before": st.fixed_dictionaries({s: _often_none(BEFORE) for s in SCOPES}),
        "after": st.fixed_dictionaries({s: _often_none(AFTER) for s in SCOPES}),
        "teardown": st.fixed_dictionaries({s: st.booleans() for s in SCOPES}),
        "preprocessor": st.fixed_dictionaries({s: st.booleans() for s in SCOPES}),
        "handlers": st.fixed_dictionaries(
            {h: st.tuples(_often_none(HANDLERS), st.sampled_from(["app", "bp"])) for h in HANDLED}
        ),
        "secret": st.booleans(),
        "trap_http": st.booleans(),
        "custom_json": st.booleans(),
        "response_class": st.sampled_from([None, PlainResponse, CreatedResponse]),
        "request_class": st.sampled_from([None, TolerantRequest, InitRequest, PathPropertyRequest]),
        "overrides": st.one_of(st.just(set()), st.sets(st.sampled_from(OVERRIDES), max_size=4)),
        "signals": st.one_of(st.just(set()), st.sets(st.sampled_from(SIGNALS), max_size=4)),
        "appctx_teardown": st.booleans(),
        "server_name": st.sampled_from([None, "localhost"]),
    }
)

ENVIRON_TWEAKS = [
    "lower_method", "double_slash", "latin1_path", "latin1_query", "latin1_script", "script_slash",
    "no_port", "bad_port", "keep_alive", "close", "websocket", "keep_alive_websocket", "upgrade_h2c",
    "upgradex_websocket",
]  # fmt: skip
PATHS = ["/", "/v/3", "/v/x", "/bp/x", "/bp/in/y", "/slash", "/slash/", "/nope", "", "/bp/"]
requests = st.lists(
    st.fixed_dictionaries(
        {
            "method": st.sampled_from(["GET", "GET", "POST", "HEAD", "OPTIONS", "PUT"]),
            "path": st.sampled_from(PATHS),
            "script": st.sampled_from(["", "", "/mount"]),
            "body": st.sampled_from([None, b'{"a": 1}', b"{bad json"]),
            "cookie": st.booleans(),
            "query": st.sampled_from(["", "q=1&q=2"]),
            # None: the test client's own (localhost). The others reach the
            # URL adapter, SERVER_NAME checks and the Location fix-up of
            # redirects: a port, IPv6 (valid and not: urlsplit rejects
            # "[a:b]" when a redirect's URL is written), an unprintable one.
            "host": st.sampled_from(
                [
                    None,
                    None,
                    None,
                    "localhost:8080",
                    "sub.localhost",
                    "[::1]",
                    "[a:b]",
                    "bad\x7fhost",
                    "h" * 300,
                ]
            ),
            # No Host header at all (HTTP/1.0): the host is SERVER_NAME:SERVER_PORT.
            "server": st.sampled_from([None, None, ("a.localhost", "80"), ("b.localhost", "8080")]),
            # What the request object is made from: a lower-case method, a
            # path with a leading "//", non-ASCII (latin-1 WSGI) path, query
            # and mount, a mount with a trailing slash, no or a non-numeric
            # SERVER_PORT.
            "tweak": st.sampled_from([None, None, *ENVIRON_TWEAKS]),
        }
    ),
    min_size=1,
    max_size=4,
)


def describe(base: type, spec: dict[str, t.Any], events: list[str]) -> t.Any:
    """The app *spec* describes, on the Flask class *base* (the same code for both)."""
    from flask import abort, g, jsonify, redirect, request, session, url_for

    def ev(text: str) -> None:
        events.append(text)

    attrs: dict[str, t.Any] = {}
    if spec["response_class"] is not None:
        attrs["response_class"] = spec["response_class"]
    if spec["request_class"] is not None:
        attrs["request_class"] = spec["request_class"]
    if spec["custom_json"]:
        attrs["json_provider_class"] = CustomJSON
    for name in spec["overrides"]:
        attrs[name] = _override(name, ev)
    cls = type("Generated", (base,), attrs)
    app = cls("generated")
    app.logger.disabled = True
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["TRAP_HTTP_EXCEPTIONS"] = spec["trap_http"]
    if spec["server_name"]:
        app.config["SERVER_NAME"] = spec["server_name"]
    if spec["secret"]:
        app.secret_key = "differential"
    bp = flask.Blueprint("bp", __name__, url_prefix="/bp")
    inner = flask.Blueprint("inner", __name__, url_prefix="/in")
    scopes = {"app": app, "bp": bp, "inner": inner}
    key, value = spec["session_value"]

    for scope_name, scope in scopes.items():
        _add_hooks(scope, scope_name, spec, ev)

    def view(kind: str, where: str) -> t.Callable[..., t.Any]:
        def run(**kwargs: t.Any) -> t.Any:
            ev(f"view {where} {kind} {sorted(kwargs.items())}")
            if kind == "str":
                return f"text {where}"
            if kind == "bytes":
                return b"\x00bytes"
            if kind == "dict":
                return {"where": where, "b": [1, 2], "a": None}
            if kind == "list":
                return [where, 1, 2.5]
            if kind == "tuple_status":
                return "created", 201
            if kind == "tuple_headers":
                return "headed", {"X-Tuple": "1"}
            if kind == "tuple_all":
                return {"x": 1}, "299 CUSTOM", [("X-All", "a")]
            if kind == "response":
                return flask.Response("resp", status=202, headers={"X-Resp": "r"}, mimetype="text/csv")
            if kind == "response_tuple":
                return app.response_class("rt"), 203
            if kind == "jsonify":
                return jsonify(where=where, n=kwargs.get("n"))
            if kind == "generator":
                return (part for part in ["a", "b", "c"])
            if kind == "stream_ctx":

                @flask.stream_with_context
                def gen() -> t.Iterator[str]:
                    yield request.path
                    yield "|"
                    yield str(session.get(key, "none") if spec["secret"] else "nosecret")

                return gen()
            if kind == "none":
                return None
            if kind == "abort404":
                abort(404)
            if kind == "abort_dict":
                abort(422, description={"field": ["bad"], "n": 1})
            if kind == "abort_markup":
                abort(400, description=Markup("<em>bad</em> input"))
            if kind == "abort_lazy":
                abort(403, description=Lazy("lazy <denied>"))
            if kind == "api_error":
                raise APIError(400, "api bad")
            if kind == "api_error_429":
                raise APIError(429, {"retry": 5})
            if kind == "key_error":
                raise KeyError("missing")
            if kind == "redirect":
                return redirect("/v/1?x=é")
            if kind == "session_set":
                session[key] = value
                return "set"
            if kind == "session_read":
                return f"read {session.get(key)!r}"
            if kind == "session_clear":
                session.clear()
                return "cleared"
            if kind == "session_permanent":
                session.permanent = True
                session["p"] = 1
                return "permanent"
            if kind == "g":
                g.seen = g.get("seen", 0) + 1
                return f"g {g.seen} {'before' in g}"
            if kind == "after_this_request":

                @flask.after_this_request
                def later(response: t.Any) -> t.Any:
                    ev("after_this_request")
                    response.headers["X-Later"] = "1"
                    return response

                return "later"
            if kind == "copy_ctx":

                @flask.copy_current_request_context
                def copied() -> str:
                    return f"copied {request.path} {flask.current_app.name}"

                return copied()
            if kind == "url_for":
                return (
                    url_for("num", n=5) + " " + url_for(".root" if where == "app" else "root", _external=True)
                )
            if kind == "request_fields":
                fields = ("method", "scheme", "server", "root_path", "path", "query_string", "remote_addr")
                made = {name: getattr(request, name) for name in fields}
                return repr((made, request.url, request.environ.get("werkzeug.request") is request))
            if kind == "json_body":
                return {"json": request.get_json(silent=False)}
            if kind == "return_exception":
                return APIError(418, "teapot")
            raise AssertionError(kind)

        run.__name__ = where
        return run

    views = spec["views"]
    app.add_url_rule(ROUTES["root"], "root", view(views["root"], "app"), methods=["GET", "POST"])
    app.add_url_rule(ROUTES["num"], "num", view(views["num"], "num"))
    app.add_url_rule(ROUTES["slash"], "slash", view(views["slash"], "slash"))
    bp.add_url_rule("/x", "root", view(views["bp"], "bp"), methods=["GET", "POST"])
    inner.add_url_rule("/y", "y", view(views["inner"], "inner"))
    for handled, (kind, where) in spec["handlers"].items():
        if kind is None:
            continue
        target = app if where == "app" else bp
        exc: t.Any = {"APIError": APIError, "KeyError": KeyError, "HTTPException": HTTPException}.get(handled)
        target.register_error_handler(exc or int(handled), _handler(kind, f"{where} {handled}", ev))
    bp.register_blueprint(inner)
    app.register_blueprint(bp)

    if spec["appctx_teardown"]:

        @app.teardown_appcontext
        def appctx_down(exc: BaseException | None) -> None:
            ev(f"teardown_appcontext {type(exc).__name__}")

    return app


def _add_hooks(scope: t.Any, name: str, spec: dict[str, t.Any], ev: t.Callable[[str], None]) -> None:
    from flask import abort, g, request, session

    before = spec["before"][name]
    if before is not None:

        @scope.before_request
        def before_hook() -> t.Any:
            ev(f"before {name} {before}")
            g.before = True
            if before == "return" and request.args.get("q"):
                return f"short-circuit by {name}", 299
            if before == "abort" and request.method == "PUT":
                abort(409)
            if before == "session_touch" and spec["secret"]:
                session["touched"] = name
            if before == "raise" and request.method == "OPTIONS":
                raise KeyError(name)
            if before == "own_close":
                # Set on the request object, close shadows the class's.
                request.close = lambda: ev(f"own close {name}")
            return None

    after = spec["after"][name]
    if after is not None:

        @scope.after_request
        def after_hook(response: t.Any) -> t.Any:
            ev(f"after {name} {after} {response.status}")
            if after == "header":
                response.headers[f"X-After-{name}"] = name
            if after == "replace":
                return flask.current_app.response_class(f"replaced by {name}", status=response.status_code)
            if after == "raise" and response.status_code == 404:
                raise RuntimeError(f"after {name}")
            if after == "own_write":
                # A write method set on the response object shadows the class's.
                made = response.get_wsgi_headers

                def get_wsgi_headers(environ: t.Any) -> t.Any:
                    headers = made(environ)
                    headers.add("X-Own-Write", name)
                    return headers

                response.get_wsgi_headers = get_wsgi_headers
            if after == "own_set_cookie":
                # So does set_cookie (the session's cookie is set through it).
                setter = response.set_cookie

                def set_cookie(key: str, *args: t.Any, **kwargs: t.Any) -> None:
                    ev(f"own set_cookie {name} {key}")
                    setter(key, *args, **kwargs)

                response.set_cookie = set_cookie
            if after == "session_read":
                ev(f"session {sorted(session.items())!r}")
            if after == "session_write" and spec["secret"]:
                session[f"after_{name}"] = response.status_code
            if after == "inspect":
                # The response object itself, as a hook sees it (made from a
                # template for a plain value): its fields, headers, body.
                # (A list's items by value when plain, else by type: a
                # bound method's repr holds an address.)
                state = {
                    k: (
                        type(v).__name__,
                        v
                        if type(v) in (str, int, bool)
                        else [i if type(i) in (bytes, str, int) else type(i).__name__ for i in v]
                        if type(v) is list
                        else None,
                    )
                    for k, v in vars(response).items()
                    if k != "headers"
                }
                # (Allow lists a set of methods in set order.)
                items = [
                    (k, ", ".join(sorted(v.split(", "))) if k == "Allow" else v)
                    for k, v in response.headers.to_wsgi_list()
                ]
                ev(
                    f"inspect {type(response).__name__} {state!r} {items!r} {type(response.headers).__name__}"
                    f" {sorted(vars(response.headers))} {response.mimetype}"
                    f" {response.content_length} {response.is_sequence} {response.get_data()!r}"
                )
                response.headers.add("X-Inspected", name)
                response.set_data(response.get_data() + b"!")
            return response

    if spec["teardown"][name]:

        @scope.teardown_request
        def teardown_hook(exc: BaseException | None) -> None:
            ev(f"teardown {name} {type(exc).__name__}")

    if spec["preprocessor"][name]:

        @scope.url_value_preprocessor
        def preprocess(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
            ev(f"url_value_preprocessor {name} {endpoint} {values}")


def _handler(kind: str, label: str, ev: t.Callable[[str], None]) -> t.Callable[[t.Any], t.Any]:
    def handle(e: t.Any) -> t.Any:
        ev(f"handler {label} {type(e).__name__} {getattr(e, 'code', None)}")
        if kind == "tuple":
            return f"handled by {label}: {getattr(e, 'description', e)}", getattr(e, "code", None) or 500
        if kind == "dict":
            return {"handled": label, "code": getattr(e, "code", None)}
        return e if isinstance(e, HTTPException) else f"handled {label}"

    return handle


def _override(name: str, ev: t.Callable[[str], None]) -> t.Callable[..., t.Any]:
    """A method *name* that records its call, calls Flask's, and changes something visible."""

    def method(self: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        ev(f"override {name} {[type(a).__name__ for a in args]}")
        rv = getattr(super(type(self), self), name)(*args, **kwargs)
        if name in ("make_response", "process_response", "finalize_request", "full_dispatch_request"):
            rv.headers[f"X-Override-{name}"] = "1"
        if name == "should_ignore_error":
            return isinstance(args[0], KeyError)
        if name == "trap_http_exception":
            return rv or getattr(args[0], "code", None) == 429
        return rv

    method.__name__ = name
    return method


# -- requests and answers --------------------------------------------------------------


def _environ(req: dict[str, t.Any], cookie: str | None) -> dict[str, t.Any]:
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if req.get("host") is not None:
        headers["Host"] = req["host"]
    builder = EnvironBuilder(
        path=req["path"] or "/",
        base_url="http://localhost" + req["script"],
        method=req["method"],
        data=req["body"],
        content_type="application/json" if req["body"] is not None else None,
        query_string=req["query"],
        headers=headers,
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    if not req["path"]:
        environ["PATH_INFO"] = ""
    if req.get("server") is not None:
        del environ["HTTP_HOST"]
        environ["SERVER_NAME"], environ["SERVER_PORT"] = req["server"]
    _tweak(environ, req.get("tweak"))
    return environ


def _tweak(environ: dict[str, t.Any], tweak: str | None) -> None:
    latin1 = "é".encode().decode("latin1")  # how a server passes UTF-8 bytes
    if tweak == "lower_method":
        environ["REQUEST_METHOD"] = environ["REQUEST_METHOD"].lower()
    elif tweak == "double_slash":
        environ["PATH_INFO"] = "/" + environ["PATH_INFO"]
    elif tweak == "latin1_path":
        environ["PATH_INFO"] += latin1
    elif tweak == "latin1_query":
        environ["QUERY_STRING"] += "&z=" + latin1
    elif tweak == "latin1_script":
        environ["SCRIPT_NAME"] += "/" + latin1
    elif tweak == "script_slash":
        environ["SCRIPT_NAME"] += "/"
    elif tweak == "no_port":
        environ.pop("SERVER_PORT", None)
    elif tweak == "bad_port":
        environ["SERVER_PORT"] = "x"
    elif tweak is not None:
        # Connection headers as browsers, proxies and websocket clients send
        # them: only an "upgrade" token with "Upgrade: websocket" changes the
        # scheme the URL adapter binds.
        environ["HTTP_CONNECTION"] = {
            "keep_alive": "keep-alive",
            "close": "close",
            "websocket": "Upgrade",
            "keep_alive_websocket": "keep-alive, Upgrade",
            "upgrade_h2c": "Upgrade, HTTP2-Settings",
            "upgradex_websocket": "upgradex",
        }[tweak]
        if tweak != "keep_alive" and tweak != "close":
            environ["HTTP_UPGRADE"] = "h2c" if tweak == "upgrade_h2c" else "websocket"


def _decode_cookies(app: t.Any, headers: list[tuple[str, str]]) -> list[t.Any]:
    """``Set-Cookie`` headers with the session payload decoded and ``Expires`` dropped."""
    out = []
    for key, value in headers:
        if key.lower() != "set-cookie":
            continue
        first, _, attributes = value.partition(";")
        name, _, payload = first.partition("=")
        attrs = sorted(
            a.strip() for a in attributes.split(";") if not a.strip().lower().startswith("expires")
        )
        decoded: t.Any = payload
        serializer = flask.sessions.SecureCookieSessionInterface().get_signing_serializer(app)
        if payload and serializer is not None:
            with app.app_context():
                try:
                    decoded = serializer.loads(payload)
                except itsdangerous.BadSignature:
                    # Signed otherwise (an interface with its own salt): the
                    # payload without its timestamp and signature.
                    decoded = ("signed otherwise", payload.rsplit(".", 2)[0])
        out.append((name, repr(decoded), attrs))
    return out


def _wsgi_call(app: t.Any, environ: dict[str, t.Any]) -> tuple[t.Any, ...]:
    """``(status, headers, body)`` of one WSGI call (its iterable closed), or
    ``("raised", name, message)`` for what escaped the app."""
    seen: list[t.Any] = []
    try:
        it = app(environ, lambda status, headers, exc_info=None: seen.append((status, headers)))
        try:
            body = b"".join(it)
        finally:
            getattr(it, "close", lambda: None)()
    except Exception as e:
        return ("raised", type(e).__name__, str(e))
    return (*seen[0], body)


def _answer(app: t.Any, req: dict[str, t.Any], cookie: str | None) -> tuple[t.Any, str | None]:
    """(what the client saw, the session cookie for the next request)."""
    called = _wsgi_call(app, _environ(req, cookie))
    if called[0] == "raised":
        return called, cookie
    status, headers, body = called
    # Allow lists a set of methods in set order (werkzeug's too): compared as a set.
    plain = sorted(
        (k, ", ".join(sorted(v.split(", "))) if k.lower() == "allow" else v)
        for k, v in headers
        if k.lower() not in ("date", "set-cookie")
    )
    next_cookie = cookie
    for key, value in headers:
        if key.lower() == "set-cookie":
            parsed = parse_cookie(value.partition(";")[0])
            name = app.config["SESSION_COOKIE_NAME"]
            if name in parsed:
                next_cookie = f"{name}={parsed[name]}" if parsed[name] else None
    return (status, plain, body, _decode_cookies(app, headers)), next_cookie


def _run(base: type, spec: dict[str, t.Any], reqs: list[dict[str, t.Any]]) -> list[t.Any]:
    events: list[str] = []
    app = describe(base, spec, events)
    receivers = []
    for name in spec["signals"]:

        def receiver(sender: t.Any, _name: str = name, **extra: t.Any) -> None:
            events.append(f"signal {_name} {sorted(extra)}")

        getattr(signals, name).connect(receiver, app, weak=False)
        receivers.append((getattr(signals, name), receiver))
    results: list[t.Any] = []
    cookie = None
    try:
        for req in reqs:
            outcome, next_cookie = _answer(app, req, cookie if req["cookie"] else None)
            cookie = next_cookie if req["cookie"] or next_cookie else cookie
            results.append((outcome, list(events)))
            events.clear()
    finally:
        for signal, receiver in receivers:
            # Without a sender: blinker keeps a receiver disconnected from
            # one sender in Signal.receivers, and the next apps would see one.
            signal.disconnect(receiver)
    return results


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs, reqs=requests)
def _check(core: t.Any, spec: dict[str, t.Any], reqs: list[dict[str, t.Any]]) -> None:
    expected = _run(flask.Flask, spec, reqs)
    got = _run(App, spec, reqs)
    for i, (want, have) in enumerate(zip(expected, got, strict=True)):
        assert have == want, f"request {i}: {reqs[i]}"


def test_generated_apps_answer_as_flask(core: t.Any) -> None:
    logging.getLogger("generated").disabled = True
    _check(core)


class WerkzeugRoutedApp(FastRequestPath, flask.Flask):
    """The fast request path on werkzeug's own router (a user's ``url_map_class``)."""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs, reqs=requests)
def test_generated_apps_on_werkzeugs_router(spec: dict[str, t.Any], reqs: list[dict[str, t.Any]]) -> None:
    expected = _run(flask.Flask, spec, reqs)
    got = _run(WerkzeugRoutedApp, spec, reqs)
    for i, (want, have) in enumerate(zip(expected, got, strict=True)):
        assert have == want, f"request {i}: {reqs[i]}"


# -- targeted cases (the bugs of the earlier fast path, and the fast path's edges) -------


def _both(build: t.Callable[[type], t.Any], *reqs: dict[str, t.Any]) -> None:
    runs = []
    for base in (flask.Flask, App):
        app = build(base)
        runs.append([_answer(app, {**_REQ, **req}, req.get("cookie"))[0] for req in reqs])
    assert runs[1] == runs[0]


_REQ = {"method": "GET", "path": "/", "script": "", "body": None, "cookie": None, "query": ""}


def test_per_instance_codes_are_never_cached(core: t.Any) -> None:
    """An ``APIError(429)`` after an ``APIError(400)`` of the same class answers 429."""

    def build(base: type) -> t.Any:
        app = base("codes")

        @app.route("/<int:code>")
        def fail(code: int) -> t.Any:
            raise APIError(code, "same description")

        return app

    _both(build, {"path": "/400"}, {"path": "/429"}, {"path": "/400"}, {"path": "/418"})


def test_dict_and_markup_descriptions(core: t.Any) -> None:
    def build(base: type) -> t.Any:
        app = base("descriptions")

        @app.route("/dict")
        def as_dict() -> t.Any:
            flask.abort(422, description={"field": ["required"]})

        @app.route("/markup")
        def as_markup() -> t.Any:
            flask.abort(400, description=Markup("<b>x</b>"))

        return app

    _both(build, {"path": "/dict"}, {"path": "/markup"}, {"path": "/dict", "method": "HEAD"})


def test_process_response_reads_after_the_apps_code(core: t.Any) -> None:
    """What ``process_response`` reads (the blueprints, the after-request
    functions, the session and its interface) is read after the app's code
    that runs before it (an ``after_this_request`` function, a JSON value's
    ``default``, a WSGI callable returned by the view, the after-request
    functions themselves), as Flask reads it."""

    class Later:
        """A JSON ``default`` that moves the request to the blueprint's rule."""

    def build(base: type) -> t.Any:
        app = base("late")
        app.secret_key = "late"
        bp = flask.Blueprint("bp", "late")

        @bp.route("/bp")
        def in_bp() -> t.Any:
            return "bp"

        @bp.after_request
        def bp_after(response: t.Any) -> t.Any:
            response.headers["X-BP"] = "1"
            return response

        app.register_blueprint(bp)

        def to_bp() -> None:
            flask.request.url_rule = app.url_map._rules_by_endpoint["bp.in_bp"][0]

        class Provider(DefaultJSONProvider):
            @staticmethod
            def default(o: t.Any) -> t.Any:
                to_bp()
                return "later"

        app.json = Provider(app)

        @app.route("/this")
        def this() -> t.Any:
            flask.after_this_request(lambda r: (to_bp(), r)[1])
            return "this"

        @app.route("/json")
        def json() -> t.Any:
            return {"v": Later()}

        @app.route("/wsgi")
        def wsgi() -> t.Any:
            def inner(environ: t.Any, start_response: t.Any) -> t.Any:
                to_bp()
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"wsgi"]

            return inner

        @app.route("/touch")
        def touch() -> t.Any:
            flask.after_this_request(lambda r: (flask.session.__setitem__("late", 1), r)[1])
            return "touch"

        @app.route("/read")
        def read() -> t.Any:
            flask.after_this_request(lambda r: (flask.session.get("x"), r)[1])
            return "read"

        return app

    _both(
        build,
        {"path": "/this"},
        {"path": "/json"},
        {"path": "/wsgi"},
        {"path": "/touch"},
        {"path": "/read"},
        {"path": "/this", "method": "HEAD"},
    )


def test_cookies_read_when_first_read_without_a_session_cookie(core: t.Any) -> None:
    """A documented difference (docs/compat.md): without the session cookie
    in the request, ``request.cookies`` is parsed when the app first reads
    it, not when the session opens. Only an app that changes the environ's
    ``Cookie`` header before that first read can tell."""

    def build(base: type) -> t.Any:
        app = base("cookies")
        app.secret_key = "cookies"

        @app.before_request
        def rewrite() -> None:
            if flask.request.path == "/rewritten":
                flask.request.environ["HTTP_COOKIE"] = "late=1"

        @app.route("/<name>")
        def read(name: str) -> t.Any:
            return repr(sorted(flask.request.cookies.items()))

        return app

    plain = {**_REQ, "path": "/plain", "cookie": "other=2"}
    rewritten = {**_REQ, "path": "/rewritten", "cookie": "other=2"}
    for base, late in ((flask.Flask, [("other", "2")]), (App, [("late", "1")])):
        app = build(base)
        assert _answer(app, plain, plain["cookie"])[0][2] == b"[('other', '2')]"
        assert _answer(app, rewritten, rewritten["cookie"])[0][2] == repr(late).encode()


def test_an_errors_own_methods_are_called_once(core: t.Any) -> None:
    """An HTTP error whose ``get_headers``/``get_response`` are the app's own
    (a ``Location`` header among them) is run once per request, as
    ``make_response`` runs it, also when nothing else reads the response."""

    def build(base: type) -> t.Any:
        app = base("errors")
        calls: list[str] = []

        class Moved(HTTPException):
            code = 301

            def get_headers(self, environ: t.Any = None, scope: t.Any = None) -> t.Any:
                calls.append("headers")
                return [("Location", "/elsewhere"), ("Content-Type", "text/plain")]

        class Built(HTTPException):
            code = 418

            def get_response(self, environ: t.Any = None, scope: t.Any = None) -> t.Any:
                calls.append("response")
                response = werkzeug.wrappers.Response("built", 418)
                response.headers["Content-Location"] = "/built"
                return response

        @app.route("/<kind>")
        def fail(kind: str) -> t.Any:
            if kind == "calls":
                return repr(calls)
            if kind == "own":
                # Set on the error object, get_headers shadows the class's.
                error = HTTPException()
                error.code = 303
                error.get_headers = lambda environ=None, scope=None: (  # type: ignore[method-assign]
                    calls.append("own headers") or [("Location", "/own")]
                )
                raise error
            raise Moved() if kind == "moved" else Built()

        return app

    _both(
        build,
        {"path": "/moved"},
        {"path": "/built"},
        {"path": "/moved", "method": "HEAD"},
        {"path": "/own"},
        {"path": "/calls"},
    )


@pytest.mark.parametrize("where", ["object", "class", "adapter"])
def test_bind_to_environ_replaced_after_requests(
    core: t.Any, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``bind_to_environ`` set on the app's map, or patched onto its class,
    after the first requests is called from the next request on (the
    adapter shortcut stands in only for fastroute's own); so is a ``match``
    set on the adapter it returns."""

    def rebound(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        def bind_to_environ(*args: t.Any, **kwargs: t.Any) -> t.Any:
            adapter = original(*args, **kwargs)
            if where == "adapter":
                match = adapter.match
                adapter.match = lambda *a, **k: match("/other", *a[1:], **k)
            else:
                adapter.path_info = "/other"
            return adapter

        return bind_to_environ

    def build(base: type) -> t.Any:
        app = base("rebound")
        app.add_url_rule("/", "root", lambda: "root")
        app.add_url_rule("/other", "other", lambda: "other")
        return app

    apps = [build(flask.Flask), build(App)]
    before = [_answer(app, _REQ, None)[0] for app in apps]
    for app in apps:
        if where != "class":
            app.url_map.bind_to_environ = rebound(app.url_map.bind_to_environ)
        else:
            cls = type(app.url_map)
            monkeypatch.setattr(cls, "bind_to_environ", rebound(cls.bind_to_environ))
    after = [_answer(app, _REQ, None)[0] for app in apps]
    assert before[1] == before[0] and before[0][2] == b"root"
    assert after[1] == after[0] and after[0][2] == b"other"


def test_a_request_with_its_own_environ(core: t.Any) -> None:
    """A request class whose constructor gives the request another environ
    than the server's: routing, host, cookies and the session come from the
    request's, as with Flask, and the response is written with the server's."""

    class Own(flask.Request):
        def __init__(self, environ: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
            own = dict(environ, PATH_INFO="/other", HTTP_HOST="own.example", HTTP_COOKIE="c=1")
            super().__init__(own, *args, **kwargs)

    def build(base: type) -> t.Any:
        app = base("own")
        app.request_class = Own
        app.secret_key = "own"
        app.add_url_rule("/", "root", lambda: "root")
        app.add_url_rule(
            "/other", "other", lambda: repr((flask.request.host, sorted(flask.request.cookies.items())))
        )

        @app.route("/missing-too")
        def gone() -> t.Any:
            flask.abort(404)

        return app

    _both(
        build,
        {"path": "/"},
        {"path": "/", "method": "HEAD"},
        {"path": "/nowhere"},
        {"path": "/", "cookie": "session=x"},
    )


def test_mount_point_itself_redirects(core: t.Any) -> None:
    """Under ``SCRIPT_NAME``, a request for the mount point (empty ``PATH_INFO``) is redirected."""

    def build(base: type) -> t.Any:
        app = base("mounted")
        app.add_url_rule("/", "root", lambda: "root")
        app.add_url_rule("/sub/", "sub", lambda: "sub")
        return app

    _both(
        build,
        {"script": "/mount", "path": ""},
        {"script": "/mount", "path": "/"},
        {"script": "/mount", "path": "/sub"},
        {"script": "", "path": ""},
    )


class _RequestMeta(type):
    """A metaclass of the user's (the request class is then not made the short way)."""


def _request_factory(environ: dict[str, t.Any]) -> flask.Request:
    request = flask.Request(environ)
    request.max_form_parts = 10  # something set on the request by its maker
    return request


@pytest.mark.parametrize(
    "request_class",
    [_request_factory, _RequestMeta("MetaRequest", (flask.Request,), {})],
    ids=["factory", "metaclass"],
)
def test_request_class_may_be_any_callable(core: t.Any, request_class: t.Any) -> None:
    """Flask only calls ``request_class(environ)``: a factory function, or a
    class with a metaclass of its own, answers as with Flask."""

    def build(base: type) -> t.Any:
        app = base("factory")
        app.secret_key = "k"
        app.request_class = request_class

        @app.route("/")
        def index() -> t.Any:
            flask.session["n"] = flask.session.get("n", 0) + 1
            return {
                "kind": type(flask.request).__name__,
                "n": flask.session["n"],
                "args": list(flask.request.args),
            }

        return app

    _both(
        build,
        {"path": "/", "query": "b=1&a=2"},
        {"path": "/", "cookie": "session=x"},
        {"path": "/missing"},
        {"method": "HEAD", "path": "/"},
        {"method": "POST", "path": "/"},
    )


def test_response_class_that_is_not_a_class(core: t.Any) -> None:
    """A ``response_class`` factory: ``jsonify`` calls it, ``make_response``'s
    ``isinstance`` fails; the same exceptions, in the same places, as with
    Flask (none of them fastroute's own)."""

    def run(base: type) -> list[t.Any]:
        app = base("factory")
        app.response_class = lambda *args, **kwargs: flask.Response(*args, **kwargs)
        app.logger.disabled = True
        seen: list[t.Any] = []

        def record(sender: t.Any, exception: BaseException, **extra: t.Any) -> None:
            seen.append((type(exception).__name__, str(exception)))

        app.add_url_rule("/", "text", lambda: "text")
        app.add_url_rule("/json", "json", lambda: {"a": 1})
        app.add_url_rule("/made", "made", lambda: flask.Response("made"))
        app.add_url_rule("/abort", "abort", lambda: flask.abort(418))
        with app.app_context():
            made = flask.jsonify(a=1)
            seen.append((type(made).__name__, made.get_data()))
        with signals.got_request_exception.connected_to(record, app):
            for path in ("/", "/json", "/made", "/abort", "/missing"):
                seen.append(_answer(app, {**_REQ, "path": path}, None)[0])
        return seen

    assert run(App) == run(flask.Flask)


_ODD_CONFIG = st.fixed_dictionaries(
    {},
    optional={
        "SECRET_KEY": st.sampled_from([None, "k", b"k", 1, "", 0]),
        "SESSION_COOKIE_NAME": st.sampled_from([None, 1, b"session", "session", "", "a;b", ("session",)]),
        "TRUSTED_HOSTS": st.sampled_from([None, [], ["localhost"], "localhost", [b"x"]]),
        "SERVER_NAME": st.sampled_from([None, "localhost", "", "other", b"localhost", 1]),
        "APPLICATION_ROOT": st.sampled_from(["/", "/app", "", None, b"/"]),
        "SESSION_COOKIE_DOMAIN": st.sampled_from([None, False, "localhost", ".example.com", b"x", 1]),
        "SESSION_COOKIE_PATH": st.sampled_from([None, "/", "/app", b"/", 1]),
        "SESSION_COOKIE_SECURE": st.sampled_from([False, True, None, 1, "yes"]),
        "SESSION_COOKIE_HTTPONLY": st.sampled_from([True, False, None, 0]),
        "SESSION_COOKIE_SAMESITE": st.sampled_from([None, "Lax", "strict", "None", "bad", 1]),
        "SESSION_COOKIE_PARTITIONED": st.sampled_from([False, True, None]),
        "SESSION_REFRESH_EACH_REQUEST": st.sampled_from([True, False, None, 0]),
        "PERMANENT_SESSION_LIFETIME": st.sampled_from([31, 0, -1, 2.5, None]),
        "MAX_COOKIE_SIZE": st.sampled_from([4093, 0, 10, None, -1]),
        "MAX_CONTENT_LENGTH": st.sampled_from([None, 0, 3, -1]),
        "PREFERRED_URL_SCHEME": st.sampled_from(["http", "https", None]),
    },
)
_ODD_ENVIRON = st.dictionaries(
    st.sampled_from(
        ["HTTP_COOKIE", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "HTTP_CONNECTION", "wsgi.url_scheme",
         "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "REQUEST_METHOD", "CONTENT_TYPE", "CONTENT_LENGTH",
         "REMOTE_ADDR", "HTTP_X_FORWARDED_FOR"]
    ),
    st.sampled_from(
        [None, 5, b"GET", b"/", "session=abc", b"session=abc", "session=", "x=1", "localhost", "upgrade", "",
         "POST", "/app/write", "80", "x", "application/json", "-1", "99"]
    ),
    max_size=3,
)  # fmt: skip


def _raw_answer(app: t.Any, environ: dict[str, t.Any]) -> t.Any:
    """What a server sees: the status, the headers (a session cookie by its
    payload and attributes: no timestamp, no signature), the body; or what
    the app raised."""
    called = _wsgi_call(app, environ)
    if called[0] == "raised":
        return called
    status, headers, body = called
    plain = []
    for key, value in headers:
        if key == "Allow":
            value = ", ".join(sorted(value.split(", ")))
        elif key == "Set-Cookie":
            pair, _, attributes = value.partition(";")
            name, _, signed = pair.partition("=")
            value = (name, signed.lstrip(".").split(".")[0], attributes)
        plain.append((key, value))
    return status, sorted(plain, key=repr), body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    config=_ODD_CONFIG,
    overrides=_ODD_ENVIRON,
    path=st.sampled_from(["/", "/read", "/write", "/missing"]),
)
def test_odd_config_and_environ_values(
    core: t.Any, config: dict[str, t.Any], overrides: dict[str, t.Any], path: str
) -> None:
    """Config values and environ entries of the wrong type (a cookie name that
    is not a str, an int secret key, bytes where WSGI says str): the same
    answer, or the same error, as Flask's."""

    def build(base: type) -> t.Any:
        app = base("odd")
        app.logger.disabled = True
        app.config.update(config)
        app.add_url_rule("/", "index", lambda: "index")
        app.add_url_rule("/read", "read", lambda: repr(sorted(flask.session.items())))

        @app.route("/write", methods=["GET", "POST"])
        def write() -> t.Any:
            flask.session["n"] = 1
            flask.session.permanent = flask.request.method == "POST"
            return {"written": True, "url": flask.url_for("write", _external=True)}

        return app

    answers = []
    for base in (flask.Flask, App):
        environ = EnvironBuilder(path=path).get_environ()
        environ.update(overrides)
        answers.append(_raw_answer(build(base), environ))
    assert answers[1] == answers[0]


def test_session_cookie_of_every_tagged_type(core: t.Any) -> None:
    def build(base: type) -> t.Any:
        app = type("J", (base,), {"json_provider_class": CustomJSON})("sessions")
        app.secret_key = "s"

        @app.route("/set/<int:i>")
        def put(i: int) -> str:
            flask.session["v"] = SESSION_VALUES[i][1]
            return "ok"

        @app.route("/get")
        def get() -> str:
            return repr(flask.session.get("v"))

        return app

    for i in range(len(SESSION_VALUES)):
        runs = []
        for base in (flask.Flask, App):
            app = build(base)
            first, cookie = _answer(app, {**_REQ, "path": f"/set/{i}"}, None)
            second, _ = _answer(app, {**_REQ, "path": "/get"}, cookie)
            runs.append((first, second))
        assert runs[1] == runs[0], SESSION_VALUES[i][0]


def test_request_globals_and_helpers_work_in_the_fast_path(core: t.Any) -> None:
    """``flask.request``, ``g``, ``session``, ``current_app``, ``request_ctx`` are Flask's own objects."""
    seen: list[t.Any] = []
    app = App("globals")
    app.secret_key = "k"

    @app.route("/<name>")
    def look(name: str) -> str:
        from flask.globals import request_ctx

        seen.append(
            (
                type(request_ctx._get_current_object()) is flask.ctx.RequestContext,
                flask.request.view_args,
                flask.current_app._get_current_object() is app,
                isinstance(flask.session._get_current_object(), flask.sessions.SecureCookieSession),
                flask.has_app_context() and flask.has_request_context(),
                type(flask.g._get_current_object()) is app.app_ctx_globals_class,
            )
        )
        return name

    assert app.test_client().get("/abc").data == b"abc"
    assert seen == [(True, {"name": "abc"}, True, True, True, True)]
    assert not flask.has_request_context()


def test_middleware_on_wsgi_app_and_preserved_context(core: t.Any) -> None:
    """``app.wsgi_app = ProxyFix(app.wsgi_app)`` keeps Flask's answers; the test
    client's ``with client:`` keeps the request context after the request."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    answers = []
    for base in (flask.Flask, App):
        app = base("proxied")
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_host=1, x_proto=1)  # type: ignore[method-assign]

        @app.route("/where")
        def where() -> str:
            return f"{flask.request.url} {flask.request.remote_addr} {flask.url_for('where', _external=True)}"

        client = app.test_client()
        headers = {
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Host": "example.org",
            "X-Forwarded-Proto": "https",
        }
        plain = client.get("/where", headers=headers)
        with client:
            kept = client.get("/where?x=1")
            still = (flask.request.path, flask.request.args.get("x"), flask.current_app.name)
        answers.append((plain.status, plain.data, kept.data, still))
    assert answers[1] == answers[0]


# -- the per-class plan --------------------------------------------------------------------


@pytest.mark.parametrize("where", ["subclass", "flask", "base"])
def test_methods_patched_after_the_first_request_are_called(
    core: t.Any, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step method patched onto the app's class (or onto ``flask.Flask``)
    after requests were served is called from the next request on, as Flask
    calls it; taking it away again gives the fast path back."""

    def build(base: type) -> t.Any:
        app = type("Patched", (base,), {})("patched")
        app.secret_key = "s"

        @app.route("/")
        def root() -> t.Any:
            flask.session["n"] = 1
            return {"ok": True}

        @app.route("/raise")
        def fails() -> str:
            raise KeyError("k")

        return app

    calls: list[str] = []
    original = {
        name: getattr(flask.Flask, name)
        for name in ("make_response", "process_response", "handle_user_exception", "preprocess_request")
    }

    def patched(name: str) -> t.Callable[..., t.Any]:
        def method(self: t.Any, *args: t.Any) -> t.Any:
            calls.append(name)
            rv = original[name](self, *args)
            if name in ("make_response", "process_response"):
                rv.headers[f"X-{name}"] = "1"
            return rv

        return method

    runs = []
    for base in (flask.Flask, App):
        app = build(base)
        before = [_answer(app, {**_REQ, "path": p}, None)[0] for p in ("/", "/raise")]
        # "base": the class the app's class derives from (fastroute's own Flask)
        target = type(app) if where == "subclass" else base if where == "base" else flask.Flask
        with monkeypatch.context() as m:
            for name in original:
                m.setattr(target, name, patched(name))
            during = [_answer(app, {**_REQ, "path": p}, None)[0] for p in ("/", "/raise")]
        after = [_answer(app, {**_REQ, "path": p}, None)[0] for p in ("/", "/raise")]
        runs.append((before, during, after, sorted(calls)))
        calls.clear()
    assert runs[1] == runs[0]
    during = runs[1][1]
    assert ("X-make_response", "1") in during[0][1] and ("X-process_response", "1") in during[0][1]
    assert runs[1][3] == sorted(
        ["make_response", "process_response", "preprocess_request"] * 2 + ["handle_user_exception"]
    )


def test_secret_key_replaced_on_the_class_after_requests(core: t.Any) -> None:
    """``secret_key`` set on the app's class (hiding Flask's config attribute)
    after requests were served is what the next request's session sees."""

    def build(base: type) -> t.Any:
        app = type("Secret", (base,), {})("secret")
        app.config["SECRET_KEY"] = "config-secret"

        @app.route("/")
        def root() -> t.Any:
            flask.session["n"] = 1
            return "ok"

        return app

    runs = []
    for base in (flask.Flask, App):
        app = build(base)
        seen = [_answer(app, _REQ, None)[0]]
        for value in (None, "class-secret"):
            type.__setattr__(type(app), "secret_key", value)
            seen.append(_answer(app, _REQ, None)[0])
        runs.append(seen)
    assert runs[1] == runs[0]
    assert runs[0][1][0] != runs[0][0][0]  # no secret: the session step fails


def test_the_plan_does_not_keep_an_app_class_alive(core: t.Any) -> None:
    import gc
    import weakref

    cls = type("Transient", (App,), {"make_response": lambda self, rv: flask.Flask.make_response(self, rv)})
    app = cls("transient")
    app.add_url_rule("/", "root", lambda: "root")
    assert app.test_client().get("/").data == b"root"
    ref = weakref.ref(cls)
    del cls, app
    gc.collect()
    assert ref() is None


# -- the request object ------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    request_class=st.sampled_from([None, TolerantRequest, InitRequest, PathPropertyRequest]),
    reqs=requests,
)
def _check_request_objects(core: t.Any, request_class: type | None, reqs: list[dict[str, t.Any]]) -> None:
    """Every field of the request object the fast path makes without the
    constructor, for generated environs, as Flask's ``request_class(environ)``."""

    def build(base: type) -> t.Any:
        attrs = {} if request_class is None else {"request_class": request_class}
        app = type("Fields", (base,), attrs)("fields")
        fields = ("method", "scheme", "server", "root_path", "path", "query_string", "remote_addr", "shallow")

        def show(**kwargs: t.Any) -> str:
            request = flask.request._get_current_object()  # type: ignore[attr-defined]
            made = [(name, getattr(request, name)) for name in fields]
            own = sorted(k for k in vars(request) if k in fields or k == "environ")
            headers = request.headers
            made_headers = (type(headers).__name__, vars(headers).keys() - {"environ"}, list(headers.items()))
            return repr(
                (
                    made,
                    own,
                    made_headers,
                    headers.environ is request.environ,
                    request.url,
                    request.environ.get("werkzeug.request") is request,
                )
            )

        for i, rule in enumerate(["/", "/v/<int:n>", "/bp/x", "/bp/in/y", "/slash/", "/<path:rest>"]):
            app.add_url_rule(rule, f"r{i}", show, methods=["GET", "POST", "PUT", "get", "post"])
        return app

    runs = []
    for base in (flask.Flask, App):
        app = build(base)
        runs.append([_answer(app, req, None)[0] for req in reqs])
    assert runs[1] == runs[0]


def test_request_objects_are_flasks(core: t.Any) -> None:
    _check_request_objects(core)


def test_request_headers_with_patched_constructor(core: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``request.headers`` is made by ``EnvironHeaders``' own constructor once
    it is patched (the fast path copies what the stock one sets)."""
    from werkzeug.datastructures import EnvironHeaders

    stock = EnvironHeaders.__init__

    def init(self: t.Any, environ: t.Any) -> None:
        stock(self, environ)
        self.patched = True

    monkeypatch.setattr(EnvironHeaders, "__init__", init)
    app = App("patched_headers")
    app.add_url_rule("/", "r", lambda: str(getattr(flask.request.headers, "patched", False)))
    assert app.test_client().get("/").get_data() == b"True"


# -- the not-found page ------------------------------------------------------------------


class OwnNotFound(NotFound):
    description = "gone elsewhere"


@pytest.mark.parametrize(
    "patch",
    [None, ("description", "patched <text>"), ("name", "Nowhere"), ("code", 410), ("get_body", "body")],
)
def test_not_found_pages(core: t.Any, patch: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The router's 404, ``abort(404)`` with and without a description, a
    ``NotFound`` subclass and an instance with its own attributes, before and
    after ``NotFound`` itself is patched: each answered as Flask does."""

    def build(base: type) -> t.Any:
        app = base("pages")

        @app.route("/abort")
        def aborts() -> t.Any:
            flask.abort(404)

        @app.route("/described")
        def described() -> t.Any:
            flask.abort(404, description="<i>nothing</i> here")

        @app.route("/own")
        def own() -> t.Any:
            raise OwnNotFound()

        @app.route("/instance")
        def instance() -> t.Any:
            error = NotFound()
            error.code = 410
            raise error

        return app

    paths = ["/missing", "/abort", "/described", "/own", "/instance", "/missing"]
    reqs = [{"path": p} for p in paths] + [{"path": "/missing", "method": "HEAD"}]
    _both(build, *reqs)
    if patch is not None:
        name, value = patch
        if name == "get_body":
            original = NotFound.get_body
            value = lambda self, *a, **k: original(self, *a, **k).replace("<p>", "<p class=x>")  # noqa: E731
        monkeypatch.setattr(NotFound, name, value)
        _both(build, *reqs)


# -- response classes changed between requests -------------------------------------


def _header_adder(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def get_wsgi_headers(self: t.Any, environ: t.Any) -> t.Any:
        headers = original(self, environ)
        headers["X-Patched"] = environ.get("PATH_INFO", "")
        return headers

    return get_wsgi_headers


def _describer(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    # A description that reads the environ: the page differs per request.
    def get_description(self: t.Any, environ: t.Any = None, scope: t.Any = None) -> str:
        path = "" if environ is None else environ.get("PATH_INFO", "")
        return original(self, environ, scope) + f"<!-- {path} -->"

    return get_description


class _WerkzeugResponse(werkzeug.wrappers.Response):
    # Written as werkzeug's class is (the write methods are its own): only
    # the headers show it made the page.
    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers["X-Other"] = "1"


def _step_strategy(get: st.SearchStrategy[t.Any], patches: list[t.Any]) -> st.SearchStrategy[t.Any]:
    """One step of a patch/undo/request sequence (``_compare_steps``): *get*
    (a ``("get", what, *more)`` tuple), a patch of one of *patches*, or an undo."""
    return st.one_of(
        get,
        st.tuples(st.just("patch"), st.integers(0, len(patches) - 1)),
        st.tuples(st.just("undo"), st.just("")),
    )


#: (what, how): each changes a class the response shortcuts work from; ``"R"``
#: is the app's own ``response_class``.
_CLASS_PATCHES: list[tuple[t.Any, str, t.Callable[[t.Any], t.Any]]] = [
    ("R", "default_mimetype", lambda old: "application/xml"),
    ("R", "default_status", lambda old: 203),
    ("R", "automatically_set_content_length", lambda old: False),
    ("R", "get_wsgi_headers", _header_adder),
    (flask.Response, "default_mimetype", lambda old: "text/csv"),
    (werkzeug.wrappers.Response, "get_wsgi_headers", _header_adder),
    (werkzeug.wrappers.Response, "automatically_set_content_length", lambda old: False),
    (werkzeug.wrappers.response, "Response", lambda old: _WerkzeugResponse),
    (NotFound, "description", lambda old: "patched <b>away</b>"),
    (NotFound, "get_description", _describer),
    (HTTPException, "get_headers", lambda old: lambda self, *a, **k: [("Content-Type", "text/plain")]),
    (werkzeug.http.HTTP_STATUS_CODES, 404, lambda old: "Nowhere"),
]

_STEP = _step_strategy(
    st.tuples(st.just("get"), st.sampled_from(["/", "/json", "/made", "/missing", "/abort"]), st.booleans()),
    _CLASS_PATCHES,
)


@pytest.fixture(params=["compiled", "pure"])
def class_versions(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> t.Any:
    """Each core's ``class_version`` and ``remembered`` in the response and
    request-class shortcuts (the pure one knows no versions)."""
    from fastroute import _cores, _request_path, _request_steps, _responses, _session_steps

    local = _cores.compiled_local if request.param == "compiled" else _cores.pure_local
    if local is None:
        pytest.skip("the compiled core is not built")
    monkeypatch.setattr(_responses, "class_version", local.class_version)
    monkeypatch.setattr(_request_path, "_class_version", local.class_version)
    monkeypatch.setattr(_session_steps, "_class_version", local.class_version)
    for module in (_responses, _request_path, _session_steps, _request_steps):
        monkeypatch.setattr(module, "_remembered", local.remembered)
    return local


def _apply_step(
    patches: list[tuple[t.Any, str, t.Callable[[t.Any], t.Any]]],
    own: dict[str, type],
    undo: list[t.Callable[[], None]],
    kind: str,
    what: t.Any,
) -> None:
    """A ``patch`` (of ``patches[what]``; a target named in *own* is that
    class) or an ``undo`` of the last one still applied."""
    if kind == "undo":
        if undo:
            undo.pop()()
        return
    target, name, make = patches[what]
    target = own.get(target, target) if isinstance(target, str) else target
    if isinstance(target, dict):
        had, old = name in target, target.get(name)
        target[name] = make(old)
        undo.append(lambda d=target, k=name, h=had, o=old: d.__setitem__(k, o) if h else d.pop(k))
    else:
        had, old = name in vars(target), vars(target).get(name)
        setattr(target, name, make(getattr(target, name, None)))
        undo.append(lambda o_=target, k=name, h=had, o=old: setattr(o_, k, o) if h else delattr(o_, k))


#: The patch/undo/request tests: the fixtures only choose the cores (the same
#: for every example).
_patch_sequences = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _compare_steps(
    apps: list[t.Any],
    patches: list[tuple[t.Any, str, t.Callable[[t.Any], t.Any]]],
    own: dict[str, type],
    steps: list[t.Any],
    request_for: t.Callable[..., dict[str, t.Any]],
) -> None:
    """Run *steps* (``("get", what, *more)`` asks every app ``request_for(what,
    *more)``, with its ``send_cookie`` as the ``Cookie`` header; a ``patch`` or
    ``undo`` goes to ``_apply_step``), asserting that each answer is the first
    app's; every patch is undone at the end."""
    undo: list[t.Callable[[], None]] = []
    try:
        for kind, what, *more in steps:
            if kind != "get":
                _apply_step(patches, own, undo, kind, what)
            else:
                req = request_for(what, *more)
                answers = [_answer(app, req, req.get("send_cookie"))[0] for app in apps]
                assert answers[1] == answers[0], (what, *more)
    finally:
        while undo:
            undo.pop()()


@_patch_sequences
@given(steps=st.lists(_STEP, min_size=1, max_size=14))
def test_response_classes_changed_between_requests(
    core: t.Any, class_versions: t.Any, steps: list[t.Any]
) -> None:
    """Response classes, ``flask.Response``, werkzeug's ``Response`` (the class
    and the module's name), ``NotFound``/``HTTPException`` and the status
    names changed and restored between requests: every answer is Flask's, so
    nothing worked out from a class outlives a change to it."""

    class R(flask.Response):
        pass

    def build(base: type) -> t.Any:
        app = base("patched")
        app.response_class = R

        @app.route("/")
        def hello() -> t.Any:
            return "hello"

        @app.route("/json")
        def json() -> t.Any:
            return {"a": 1}

        @app.route("/made")
        def made() -> t.Any:
            return app.response_class("made")

        @app.route("/abort")
        def aborts() -> t.Any:
            flask.abort(404)

        return app

    _compare_steps(
        [build(flask.Flask), build(App)],
        _CLASS_PATCHES,
        {"R": R},
        steps,
        lambda path, head: {**_REQ, "path": path, "method": "HEAD" if head else "GET"},
    )


def _init_marker(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def __init__(self: t.Any, environ: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        original(self, environ, *args, **kwargs)
        self.marked = "init"

    return __init__


def _copying_init(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    """A constructor that gives the request its own environ: another host, and
    ``/missing`` read as ``/``."""

    def __init__(self: t.Any, environ: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        path = environ.get("PATH_INFO", "")
        own = dict(environ, HTTP_HOST="copy.example", PATH_INFO="/" if path == "/missing" else path)
        original(self, own, *args, **kwargs)

    return __init__


def _shouting_host(original: t.Any) -> property:
    # Flask sets request.host in create_url_adapter: a setter sees it.
    return property(
        lambda self: self.__dict__.get("host", "unset"),
        lambda self, value: self.__dict__.__setitem__("host", value.upper()),
    )


def _setattr_marker(original: t.Any) -> t.Callable[..., None]:
    def __setattr__(self: t.Any, name: str, value: t.Any) -> None:
        object.__setattr__(self, name, f"<{value}>" if name == "method" else value)

    return __setattr__


def _headers_init_marker(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def __init__(self: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        original(self, *args, **kwargs)
        self.marked = "headers"

    return __init__


def _headers_setattr_marker(original: t.Any) -> t.Callable[..., None]:
    def __setattr__(self: t.Any, name: str, value: t.Any) -> None:
        object.__setattr__(self, name, value)
        object.__setattr__(self, "marked", f"set {name}")

    return __setattr__


def _session_init_marker(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def __init__(self: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        original(self, *args, **kwargs)
        dict.__setitem__(self, "marked", "init")

    return __init__


def _session_new_marker(original: t.Any) -> t.Callable[..., t.Any]:
    def __new__(cls: type, *args: t.Any, **kwargs: t.Any) -> t.Any:
        made = dict.__new__(cls)
        made.__dict__["made"] = "new"
        return made

    return __new__


def _on_update_property(original: t.Any) -> property:
    # CallbackDict.__init__ sets on_update: a setter sees it.
    return property(
        lambda self: self.__dict__.get("on_update"),
        lambda self, value: (
            self.__dict__.__setitem__("on_update", value),
            dict.__setitem__(self, "seen", 1),
        ),
    )


def _session_setattr_marker(original: t.Any) -> t.Callable[..., None]:
    def __setattr__(self: t.Any, name: str, value: t.Any) -> None:
        object.__setattr__(self, name, value)
        if name == "on_update":
            dict.__setitem__(self, "set", name)

    return __setattr__


def _abc_call_marker(original: t.Any) -> t.Callable[..., t.Any]:
    def __call__(cls: type, *args: t.Any, **kwargs: t.Any) -> t.Any:
        made = type.__call__(cls, *args, **kwargs)
        if isinstance(made, dict):
            dict.__setitem__(made, "called", "meta")
        return made

    return __call__


def _traced(original: t.Callable[..., t.Any], step: str) -> t.Callable[..., t.Any]:
    """*original* (a context's method), then *step* noted in the request's
    environ (a request context) or in ``g`` (an app context)."""

    def traced(self: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        done = original(self, *args, **kwargs)
        if isinstance(self, flask.ctx.RequestContext):
            self.request.environ.setdefault("trace", []).append(step)
        else:
            self.g.__dict__.setdefault("trace", []).append(step)
        return done

    return traced


def _raising_pop(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def pop(self: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        original(self, *args, **kwargs)
        raise RuntimeError(f"patched {type(self).__name__}.pop")

    return pop


#: Changes to what the request path works out from a request class; ``"Q"``
#: is the app's own ``request_class``.
_REQUEST_PATCHES: list[tuple[t.Any, str, t.Callable[[t.Any], t.Any]]] = [
    ("Q", "__init__", _init_marker),
    ("Q", "__init__", _copying_init),
    ("Q", "__setattr__", _setattr_marker),
    ("Q", "blueprints", lambda old: property(lambda self: ["bp"])),
    ("Q", "blueprint", lambda old: property(lambda self: "bp")),
    ("Q", "endpoint", lambda old: property(lambda self: "bp.view")),
    ("Q", "host", _shouting_host),
    ("Q", "path", lambda old: "/class-level"),
    (flask.Request, "blueprints", lambda old: property(lambda self: ["bp"])),
    (werkzeug.wrappers.Request, "__init__", _init_marker),
    (werkzeug.sansio.request.Request, "__init__", _init_marker),
    # How the request's headers and an empty session are made.
    (werkzeug.datastructures.EnvironHeaders, "__init__", _init_marker),
    (werkzeug.datastructures.Headers, "__init__", _headers_init_marker),
    (werkzeug.datastructures.EnvironHeaders, "__setattr__", _headers_setattr_marker),
    (flask.sessions.SecureCookieSession, "__init__", _session_init_marker),
    (werkzeug.datastructures.CallbackDict, "__init__", _session_init_marker),
    (werkzeug.datastructures.CallbackDict, "__new__", _session_new_marker),
    (werkzeug.datastructures.UpdateDictMixin, "on_update", _on_update_property),
    (flask.sessions.SessionMixin, "__setattr__", _session_setattr_marker),
    (abc.ABCMeta, "__call__", _abc_call_marker),
    # Flask's contexts, whose steps the request path does in their place.
    (flask.ctx.RequestContext, "__init__", lambda old: _traced(old, "rc.init")),
    (flask.ctx.RequestContext, "push", lambda old: _traced(old, "rc.push")),
    (flask.ctx.RequestContext, "match_request", lambda old: _traced(old, "rc.match")),
    (flask.ctx.RequestContext, "pop", _raising_pop),
    (flask.ctx.AppContext, "__init__", lambda old: _traced(old, "ac.init")),
    (flask.ctx.AppContext, "push", lambda old: _traced(old, "ac.push")),
    (flask.ctx.AppContext, "pop", _raising_pop),
]

_REQUEST_STEP = _step_strategy(
    st.tuples(st.just("get"), st.sampled_from(["/", "/bp/", "/missing", "/write"])),
    _REQUEST_PATCHES,
)


@_patch_sequences
@given(steps=st.lists(_REQUEST_STEP, min_size=1, max_size=12))
def test_request_classes_changed_between_requests(
    core: t.Any, class_versions: t.Any, steps: list[t.Any]
) -> None:
    """The app's request class, ``flask.Request`` and werkzeug's two request
    classes changed and restored between requests (constructors, properties
    the request path reads, attributes it sets): every answer is Flask's, so
    nothing worked out from a request class outlives a change to it."""

    class Q(flask.Request):
        pass

    def build(base: type) -> t.Any:
        app = base("patched")
        app.secret_key = "patched"
        app.request_class = Q
        bp = flask.Blueprint("bp", "patched")

        @bp.before_app_request
        def app_wide() -> None:
            flask.g.seen = ["app"]

        @bp.before_request
        def own() -> None:
            flask.g.seen.append("bp")

        @bp.route("/bp/")
        def view() -> t.Any:
            return "bp"

        @app.after_request
        def report(response: t.Any) -> t.Any:
            r = flask.request
            response.headers["X-Seen"] = repr(
                (
                    flask.g.get("seen"), r.host, r.method, r.path, r.blueprints, getattr(r, "marked", None),
                    getattr(r.headers, "marked", None), sorted(flask.session.items()),
                    sorted(vars(flask.session)), type(flask.session).__name__,
                    r.environ.get("trace"), flask.g.get("trace"),
                )
            )  # fmt: skip
            return response

        @app.route("/")
        def hello() -> t.Any:
            return "hello"

        @app.route("/write")
        def write() -> t.Any:
            flask.session["n"] = flask.session.get("n", 0) + 1
            return str(flask.session.modified)

        app.register_blueprint(bp)
        return app

    _compare_steps(
        [build(flask.Flask), build(App)],
        _REQUEST_PATCHES,
        {"Q": Q},
        steps,
        lambda path: {**_REQ, "path": path},
    )


def _wrapped_open(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def open_session(self: t.Any, app: t.Any, request: t.Any) -> t.Any:
        session = original(self, app, request)
        if session is not None:
            dict.__setitem__(session, "opened", "patched")
        return session

    return open_session


def _wrapped_save(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def save_session(self: t.Any, app: t.Any, session: t.Any, response: t.Any) -> None:
        response.headers["X-Saved"] = repr(sorted(session.items()))
        original(self, app, session, response)

    return save_session


def _wrapped_null(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def make_null_session(self: t.Any, app: t.Any) -> t.Any:
        session = original(self, app)
        dict.__setitem__(session, "null", "patched")
        return session

    return make_null_session


#: Changes to a stock session interface class (``"C"``: the one both apps
#: use), to Flask's base class, and to the interface object itself (``"I"``).
_INTERFACE_PATCHES: list[tuple[t.Any, str, t.Callable[[t.Any], t.Any]]] = [
    ("C", "open_session", _wrapped_open),
    ("C", "save_session", _wrapped_save),
    ("C", "get_signing_serializer", lambda old: lambda self, app: None),
    ("C", "get_cookie_name", lambda old: lambda self, app: "renamed"),
    ("C", "is_null_session", lambda old: lambda self, obj: True),
    ("C", "null_session_class", lambda old: flask.sessions.SecureCookieSession),
    (flask.sessions.SessionInterface, "make_null_session", _wrapped_null),
    (flask.sessions.SessionInterface, "get_cookie_name", lambda old: lambda self, app: "base"),
    ("I", "open_session", lambda old: lambda app, request: flask.sessions.SecureCookieSession({"own": 1})),
    ("I", "save_session", lambda old: lambda app, session, response: response.headers.add("X-Own", "1")),
    ("I", "get_cookie_name", lambda old: lambda app: "own"),
    ("I", "salt", lambda old: "own-salt"),
]

_INTERFACE_STEP = _step_strategy(
    st.tuples(st.just("get"), st.sampled_from(["/", "/write", "/read"]), st.booleans()),
    _INTERFACE_PATCHES,
)


@pytest.mark.parametrize("interface_class", ["flask", "fastroute"])
@_patch_sequences
@given(steps=st.lists(_INTERFACE_STEP, min_size=1, max_size=12))
def test_session_interfaces_changed_between_requests(
    core: t.Any, class_versions: t.Any, interface_class: str, steps: list[t.Any]
) -> None:
    """Flask's or fastroute's session interface (the same one on both apps),
    its class, Flask's base class and the interface object changed and
    restored between requests, with and without a session cookie: every
    answer is Flask's, so no session shortcut outlives a change to what it
    stands in for."""
    # The stock classes themselves (each patch is undone at the end): the
    # shortcuts stand in only for them.
    cls = (
        flask.sessions.SecureCookieSessionInterface
        if interface_class == "flask"
        else fastroute.sessions.SecureCookieSessionInterface
    )
    cookie_app = flask.Flask("cookie")
    cookie_app.secret_key = "patched"
    signed = cookie_app.session_interface.get_signing_serializer(cookie_app).dumps({"user": "a"})  # type: ignore[union-attr]
    interface = cls()  # one object for both apps: a change to it is seen by both

    def build(base: type, interface: t.Any) -> t.Any:
        app = base("patched")
        app.secret_key = "patched"
        app.session_interface = interface

        @app.route("/")
        def hello() -> t.Any:
            return "hello"

        @app.route("/write")
        def write() -> t.Any:
            flask.session["n"] = flask.session.get("n", 0) + 1
            return "written"

        @app.route("/read")
        def read() -> t.Any:
            return repr((type(flask.session).__name__, sorted(flask.session.items())))

        return app

    apps = [build(flask.Flask, interface), build(App, interface)]
    _compare_steps(
        apps,
        _INTERFACE_PATCHES,
        {"C": cls, "I": interface},
        steps,
        lambda path, cookie: {**_REQ, "path": path, "send_cookie": f"session={signed}" if cookie else None},
    )


class _Both:
    """Stands for several objects in ``_apply_step``: an attribute set on it
    or deleted from it is set on or deleted from each; read from the first."""

    def __init__(self, *targets: t.Any) -> None:
        object.__setattr__(self, "_targets", targets)

    @property  # type: ignore[misc]
    def __dict__(self) -> dict[str, t.Any]:  # type: ignore[override]
        return vars(self._targets[0])

    def __getattr__(self, name: str) -> t.Any:
        return getattr(self._targets[0], name)

    def __setattr__(self, name: str, value: t.Any) -> None:
        for target in self._targets:
            setattr(target, name, value)

    def __delattr__(self, name: str) -> None:
        for target in self._targets:
            delattr(target, name)


def _marked_response(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def response(self: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        made = original(self, *args, **kwargs)
        made.headers["X-Response"] = "patched"
        return made

    return response


def _wrapping_prepare(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def _prepare_response_obj(self: t.Any, args: t.Any, kwargs: t.Any) -> t.Any:
        return {"wrapped": original(self, args, kwargs)}

    return _prepare_response_obj


def _spaced_dumps(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    def dumps(self: t.Any, obj: t.Any, **kwargs: t.Any) -> str:
        return original(self, obj, **kwargs) + " "

    return dumps


_SETTINGS = (
    ("sort_keys", lambda old: False),
    ("ensure_ascii", lambda old: False),
    ("compact", lambda old: False),
    ("mimetype", lambda old: "application/x-patched"),
)

#: Changes to Flask's JSON provider class and to the app's provider object
#: (``"P"``: both apps' providers at once; set on the object, a function is
#: not bound).
_PROVIDER_PATCHES: list[tuple[t.Any, str, t.Callable[[t.Any], t.Any]]] = [
    (DefaultJSONProvider, "response", _marked_response),
    (DefaultJSONProvider, "_prepare_response_obj", _wrapping_prepare),
    (DefaultJSONProvider, "dumps", _spaced_dumps),
    (DefaultJSONProvider, "default", lambda old: staticmethod(lambda o: "defaulted")),
    *((DefaultJSONProvider, name, make) for name, make in _SETTINGS),
    ("P", "response", lambda old: lambda *args, **kwargs: flask.Response(repr(args), mimetype="text/x-own")),
    ("P", "_prepare_response_obj", lambda old: lambda args, kwargs: {"own": [*args, *sorted(kwargs)]}),
    ("P", "dumps", lambda old: lambda obj, **kwargs: json.dumps(obj, default=str, **kwargs) + " "),
    ("P", "default", lambda old: lambda o: "own default"),
    *(("P", name, make) for name, make in _SETTINGS),
]

_PROVIDER_STEP = _step_strategy(
    st.tuples(st.just("get"), st.sampled_from(["/dict", "/list", "/jsonify", "/str"])),
    _PROVIDER_PATCHES,
)


@_patch_sequences
@given(steps=st.lists(_PROVIDER_STEP, min_size=1, max_size=12))
def test_json_providers_changed_between_requests(core: t.Any, steps: list[t.Any]) -> None:
    """Flask's ``DefaultJSONProvider`` and each app's provider object changed
    and restored between requests (``response``, ``_prepare_response_obj``,
    ``dumps``, ``default``, the settings): returned dicts and lists and
    ``jsonify`` answer as Flask's, so the JSON shortcuts stand in for the
    provider only while it is Flask's as imported."""
    odd = uuid.UUID(int=7)

    def build(base: type) -> t.Any:
        app = base("provider")

        @app.route("/dict")
        def as_dict() -> t.Any:
            return {"b": "é", "a": [1, odd]}

        @app.route("/list")
        def as_list() -> t.Any:
            return [odd, {"z": 1, "y": 2}]

        @app.route("/jsonify")
        def as_jsonify() -> t.Any:
            return flask.jsonify(b=1, a=odd)

        @app.route("/str")
        def as_str() -> t.Any:
            return "plain"

        return app

    apps = [build(flask.Flask), build(App)]
    # (The fastroute app's provider is fastroute's subclass of Flask's.)
    assert isinstance(apps[1].json, DefaultJSONProvider)
    _compare_steps(
        apps,
        _PROVIDER_PATCHES,
        {"P": _Both(apps[0].json, apps[1].json)},
        steps,
        lambda path: {**_REQ, "path": path},
    )
