"""Signed-cookie sessions (itsdangerous), with Flask's cookie format.

The session is a dict stored in one cookie, signed with ``SECRET_KEY``
(``SECRET_KEY_FALLBACKS`` still verify) by ``URLSafeTimedSerializer`` with
the ``cookie-session`` salt, HMAC-SHA1 and a tagged JSON payload, so cookies
are interchangeable with Flask's.  Without a secret key the session is a
:class:`NullSession` that can be read but not written.
"""

from __future__ import annotations

import hashlib
import typing as t
from base64 import b64decode, b64encode
from collections.abc import MutableMapping
from datetime import datetime, timezone
from uuid import UUID

from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import CallbackDict
from werkzeug.http import http_date, parse_date

from . import json as _fjson

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .wrappers import Request, Response


class SessionMixin(MutableMapping):  # type: ignore[type-arg]
    """What every session offers besides the mapping: ``permanent``, ``new``, ``modified``, ``accessed``."""

    @property
    def permanent(self) -> bool:
        """Whether the cookie outlives the browser session (``PERMANENT_SESSION_LIFETIME``)."""
        return self.get("_permanent", False)  # type: ignore[no-any-return]

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    new = False
    modified = True
    accessed = False


class SecureCookieSession(CallbackDict, SessionMixin):  # type: ignore[type-arg]
    """The session dict: tracks whether it was changed (``modified``).

    ``accessed`` is set by the request context whenever the session is read
    through it (as in Flask 3.1.3), not by the dict itself.
    """

    modified = False

    def __init__(self, initial: t.Any = None) -> None:
        def on_update(self: SecureCookieSession) -> None:
            self.modified = True

        super().__init__(initial, on_update)


class NullSession(SecureCookieSession):
    """The session when no secret key is set: empty, and writing raises ``RuntimeError``."""

    def _fail(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise RuntimeError(
            "The session is unavailable because no secret key was set.  Set the"
            " secret_key on the application to something unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail
    del _fail


# -- tagged JSON: the cookie payload format --------------------------------------


class TaggedJSONSerializer:
    """JSON that round-trips tuples, bytes, Markup, UUIDs and datetimes.

    A tagged value is a one-key object whose key is a space and a tag:
    ``{" t": [...]}`` tuple, ``{" b": base64}`` bytes, ``{" m": html}`` Markup,
    ``{" u": hex}`` UUID, ``{" d": http-date}`` datetime, and ``{" di": {...}}``
    for a plain dict whose only key looks like a tag.
    """

    _tags = (" di", " t", " b", " m", " u", " d")

    def _tag(self, value: t.Any) -> t.Any:
        if isinstance(value, dict):
            if len(value) == 1:
                key = next(iter(value))
                if key in self._tags:
                    return {" di": {f"{key}__": self._tag(value[key])}}
            return {k: self._tag(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return {" t": [self._tag(v) for v in value]}
        if isinstance(value, bytes):
            return {" b": b64encode(value).decode("ascii")}
        if callable(getattr(value, "__html__", None)):
            return {" m": str(value.__html__())}
        if isinstance(value, list):
            return [self._tag(v) for v in value]
        if isinstance(value, UUID):
            return {" u": value.hex}
        if isinstance(value, datetime):
            return {" d": http_date(value)}
        return value

    def _untag(self, value: t.Any) -> t.Any:
        if isinstance(value, list):
            return [self._untag(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            key = next(iter(value))
            inner = value[key]
            if key == " t":
                return tuple(self._untag(v) for v in inner)
            if key == " b":
                return b64decode(inner)
            if key == " m":
                from markupsafe import Markup

                return Markup(inner)
            if key == " u":
                return UUID(inner)
            if key == " d":
                return parse_date(inner)
            if key == " di":
                k = next(iter(inner))
                return {k[:-2]: self._untag(inner[k])}
        return {k: self._untag(v) for k, v in value.items()}

    def dumps(self, value: t.Any) -> str:
        return _fjson._json.dumps(self._tag(value), separators=(",", ":"))  # type: ignore[attr-defined,no-any-return]

    def loads(self, value: str | bytes) -> t.Any:
        return self._untag(_fjson._json.loads(value))  # type: ignore[attr-defined]


session_json_serializer = TaggedJSONSerializer()


class SessionInterface:
    """How sessions are opened from a request and saved into a response.

    Subclass and set ``app.session_interface`` to store sessions elsewhere.
    """

    null_session_class: type[NullSession] = NullSession
    pickle_based = False

    def make_null_session(self, app: Flask) -> NullSession:
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: Flask) -> str:
        return app.config["SESSION_COOKIE_NAME"]  # type: ignore[no-any-return]

    def get_cookie_domain(self, app: Flask) -> str | None:
        return app.config["SESSION_COOKIE_DOMAIN"]  # type: ignore[no-any-return]

    def get_cookie_path(self, app: Flask) -> str:
        return app.config["SESSION_COOKIE_PATH"] or app.config["APPLICATION_ROOT"]  # type: ignore[no-any-return]

    def get_cookie_httponly(self, app: Flask) -> bool:
        return app.config["SESSION_COOKIE_HTTPONLY"]  # type: ignore[no-any-return]

    def get_cookie_secure(self, app: Flask) -> bool:
        return app.config["SESSION_COOKIE_SECURE"]  # type: ignore[no-any-return]

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return app.config["SESSION_COOKIE_SAMESITE"]  # type: ignore[no-any-return]

    def get_cookie_partitioned(self, app: Flask) -> bool:
        return app.config["SESSION_COOKIE_PARTITIONED"]  # type: ignore[no-any-return]

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> datetime | None:
        if session.permanent:
            return datetime.now(timezone.utc) + app.permanent_session_lifetime
        return None

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        return session.modified or (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"])

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        raise NotImplementedError()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        raise NotImplementedError()


class SecureCookieSessionInterface(SessionInterface):
    """Sessions in a signed (not encrypted) cookie, Flask's default."""

    salt = "cookie-session"
    digest_method = staticmethod(hashlib.sha1)
    key_derivation = "hmac"
    serializer = session_json_serializer
    session_class = SecureCookieSession

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys: list[str | bytes] = []
        fallbacks = app.config["SECRET_KEY_FALLBACKS"]
        if fallbacks:
            keys.extend(fallbacks)
        keys.append(app.secret_key)
        return URLSafeTimedSerializer(
            keys,  # type: ignore[arg-type]
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method},
        )

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data = s.loads(val, max_age=max_age)
        except BadSignature:
            return self.session_class()
        except Exception:  # a malformed payload is an invalid session, not a 500
            return self.session_class()
        return self.session_class(data)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        secure = self.get_cookie_secure(app)
        partitioned = self.get_cookie_partitioned(app)
        samesite = self.get_cookie_samesite(app)
        httponly = self.get_cookie_httponly(app)
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:
                response.delete_cookie(
                    name,
                    domain=domain,
                    path=path,
                    secure=secure,
                    partitioned=partitioned,
                    samesite=samesite,
                    httponly=httponly,
                )
                response.vary.add("Cookie")
            return
        if not self.should_set_cookie(app, session):
            return
        expires = self.get_expiration_time(app, session)
        s = self.get_signing_serializer(app)
        assert s is not None
        val = s.dumps(dict(session))
        response.set_cookie(
            name,
            val,
            expires=expires,
            httponly=httponly,
            domain=domain,
            path=path,
            secure=secure,
            partitioned=partitioned,
            samesite=samesite,
        )
        response.vary.add("Cookie")
