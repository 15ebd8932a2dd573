"""Flask's signed-cookie sessions, with the signer made once per app and secret.

:class:`SecureCookieSessionInterface` is a subclass of
:class:`flask.sessions.SecureCookieSessionInterface` whose cookies are the very
bytes Flask writes, and which reads Flask's cookies (Flask reads its own).
Flask builds a new ``URLSafeTimedSerializer`` for every request, derives the
HMAC key on every signature and walks the session through
``TaggedJSONSerializer``'s eight type checks per value; here:

- :meth:`~SecureCookieSessionInterface.get_signing_serializer` returns a
  serializer cached on the app, keyed by everything Flask's construction reads
  (the interface, ``SECRET_KEY``, ``SECRET_KEY_FALLBACKS``, the interface's
  ``salt``, ``digest_method``, ``key_derivation`` and ``serializer``), so a
  config change or a subclass is seen on the next call and two apps never
  share one;
- that serializer (:class:`SigningSerializer`, a ``URLSafeTimedSerializer``)
  keeps the derived keys, signs and verifies with them, and runs the tag walk
  by exact type for the builtin types (delegating anything else to Flask's
  tags), then hands the tagged value to the JSON provider of the current app
  exactly as ``flask.json.tag`` does (the provider is looked up on every
  call, as Flask does, so it is no part of the cache key); any input it
  cannot take the short way (another salt, a custom tag registered, a cookie
  that does not verify, a payload that does not load) goes through
  itsdangerous's and Flask's own code, so errors are theirs too.

Every cookie hook (``get_cookie_*``, ``should_set_cookie``,
``get_expiration_time``, ``is_null_session``, ...) is Flask's;
``open_session`` and ``save_session`` call them in Flask's order.
``open_session`` fills ``request.cookies`` as werkzeug's property would,
without its walk over every environ key (``_fill_cookies``);
``save_session`` writes the ``Set-Cookie`` line from pieces ``dump_cookie``
made once per cookie settings (``_set_cookie``) and adds ``Vary: Cookie``
without parsing the header when werkzeug's ``vary`` is in use.
Flask's session classes are re-exported, so ``from fastroute.sessions import
SessionMixin`` gives Flask's.
"""

from __future__ import annotations

import binascii
import hmac
import json
import typing as t
import zlib
from base64 import b64encode
from operator import attrgetter

import flask
import flask.globals
import flask.wrappers
import werkzeug.http as _wz_http
import werkzeug.sansio.request as _wz_request
import werkzeug.sansio.response as _wz_response
from flask.globals import _cv_app
from flask.json.provider import DefaultJSONProvider
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import (
    NullSession,
    SecureCookieSession,
    SecureCookieSessionInterface as _FlaskInterface,
    SessionInterface,
    SessionMixin,
)
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.encoding import bytes_to_int, int_to_bytes
from itsdangerous.signer import HMACAlgorithm
from itsdangerous.timed import TimestampSigner
from werkzeug.datastructures import EnvironHeaders, Headers
from werkzeug.sansio.http import parse_cookie as _parse_cookie
from werkzeug.sansio.request import Request as _SansioRequest
from werkzeug.sansio.response import Response as _SansioResponse

if t.TYPE_CHECKING:  # pragma: no cover
    from flask import Flask
    from flask.wrappers import Response

__all__ = [
    "NullSession",
    "SecureCookieSession",
    "SecureCookieSessionInterface",
    "SessionInterface",
    "SessionMixin",
    "SigningSerializer",
]

# The app attribute holding the cached serializers: {id(interface): entry}.
_CACHE_ATTR = "_fastroute_session_serializers"
_CACHE_SIZE = 8

# werkzeug's ``Response.vary``: reading it parses the header into a HeaderSet
# whose updates write it back with ``headers[name] = ...``.
_VARY = _SansioResponse.__dict__["vary"]
#: What ``_vary_cookie`` reads and writes a Vary header with, as werkzeug has them.
_headers_methods = attrgetter("get", "_get_key", "__setitem__", "set")
_HEADERS_METHODS = _headers_methods(Headers)


def _vary_cookie(response: Response) -> None:
    """``response.vary.add("Cookie")``, without the HeaderSet when the answer is plain.

    With werkzeug's ``vary`` property: no (or an empty) Vary header gets
    ``Cookie`` set as the property's update does, a header that is just
    ``Cookie`` is left as it is; anything else goes through the property.
    """
    if type(response).vary is _VARY:
        headers = response.headers
        if type(headers) is Headers and _headers_methods(Headers) == _HEADERS_METHODS:
            # ``headers.get("Vary")``: the first value of that name, read
            # without the BadRequestKeyError ``get`` raises and catches when
            # there is none (an exception costs more than the walk).
            for key, value in headers._list:
                if key.lower() == "vary":
                    current = value
                    break
            else:
                # No Vary at all: ``headers["Vary"] = "Cookie"`` appends it.
                headers._list.append(("Vary", "Cookie"))
                return
        else:
            current = headers.get("Vary")
        if not current:
            headers["Vary"] = "Cookie"
            return
        if current == "Cookie":
            return
    response.vary.add("Cookie")


# -- the Cookie header -------------------------------------------------------------

# werkzeug's ``Request.cookies`` (a cached property) reads
# ``";".join(headers.getlist("Cookie"))`` -- for ``EnvironHeaders`` a walk that
# title-cases every environ key -- and parses it with ``parse_cookie``.
_COOKIES = _SansioRequest.__dict__["cookies"]
_ENVIRON_ITER = EnvironHeaders.__iter__
_GETLIST = Headers.getlist
_COOKIE_SPECIALS = frozenset(' \t;"')


_JUST_STR = {str}


def _cookie_values(environ: t.Any) -> list[str] | None:
    """The ``Cookie`` values the header walk finds, in its order, or ``None``
    when a key is not an ASCII ``str`` or a value not a ``str``."""
    values = []
    for key, value in environ.items():
        if type(key) is not str or not key.isascii():
            return None
        if len(key) == 11 and key[:5] == "HTTP_" and key[5:].lower() == "cookie":
            if type(value) is not str:
                return None
            values.append(value)
    return values


def _fill_cookies(request: t.Any) -> None:
    """Make ``request.cookies`` as werkzeug's property would, now, the cheap way.

    Taken only for werkzeug's property, ``EnvironHeaders`` and
    ``parse_cookie`` as this module found them, and environ keys that are
    ASCII ``str`` (for which the header walk keeps exactly the keys
    ``HTTP_`` + ``cookie`` in any case).  A header that is one
    ``name=value`` pair without a space, tab, ``;`` or ``"`` is what
    ``parse_cookie`` reads as that one pair; anything else is parsed by it.
    The value is stored where the property stores it, so it is computed at
    the moment Flask computes it.
    """
    if (
        getattr(type(request), "cookies", None) is not _COOKIES
        or type(request.headers) is not EnvironHeaders
        or EnvironHeaders.__iter__ is not _ENVIRON_ITER
        or EnvironHeaders.getlist is not _GETLIST
        or _wz_request.parse_cookie is not _parse_cookie
    ):
        return
    fields = getattr(request, "__dict__", None)
    if fields is None or "cookies" in fields:
        return
    environ = request.headers.environ
    keys = "\0".join(environ) if set(map(type, environ)) == _JUST_STR else None
    if keys is not None and keys.isascii() and type(environ) is dict:
        # The usual environ, read in C rather than walked in Python: when
        # "http_cookie" occurs once in any case and the key HTTP_COOKIE is
        # there, that key is the only one the walk below would keep.
        seen = keys.lower().count("http_cookie")
        if seen == 0:
            values = []
        elif seen == 1 and type(environ.get("HTTP_COOKIE")) is str:
            values = [environ["HTTP_COOKIE"]]
        else:
            values = _cookie_values(environ)
    else:
        values = _cookie_values(environ)
    if values is None:
        return
    header = ";".join(values)
    storage = request.dict_storage_class
    eq = header.find("=")
    if eq > 0 and _COOKIE_SPECIALS.isdisjoint(header):
        fields["cookies"] = storage([(header[:eq], header[eq + 1 :])])
    else:
        fields["cookies"] = _parse_cookie(header, cls=storage)


# -- the Set-Cookie header ---------------------------------------------------------

_SET_COOKIE = _SansioResponse.set_cookie
_DUMP_COOKIE = _wz_http.dump_cookie
#: (domain, path, secure, httponly, samesite, partitioned, quote) -> the
#: attributes dump_cookie writes before and after ``Expires``.
_cookie_attrs: dict[tuple[t.Any, ...], tuple[str, str]] = {}
_STR_OR_NONE = (str, type(None))


def _expires(expires: t.Any) -> str:
    if expires is None:
        return ""
    return f"; Expires={expires if isinstance(expires, str) else _wz_http.http_date(expires)}"


_FLASK_MAX_COOKIE_SIZE = flask.Response.__dict__["max_cookie_size"]
_CURRENT_APP = flask.globals.current_app


def _max_cookie_size(response: t.Any) -> t.Any:
    """``response.max_cookie_size``; for Flask's property (``MAX_COOKIE_SIZE``
    of ``current_app`` when it is bound and true) read from the app context
    itself rather than through werkzeug's proxy, twice."""
    if (
        type(response).max_cookie_size is _FLASK_MAX_COOKIE_SIZE
        and flask.wrappers.current_app is _CURRENT_APP
    ):
        app_ctx = _cv_app.get(None)
        if app_ctx is not None:
            app = app_ctx.app
            if app:
                return app.config["MAX_COOKIE_SIZE"]
    return response.max_cookie_size


def _set_cookie(
    response: t.Any,
    key: t.Any,
    value: t.Any,
    expires: t.Any,
    httponly: t.Any,
    domain: t.Any,
    path: t.Any,
    secure: t.Any,
    partitioned: t.Any,
    samesite: t.Any,
) -> None:
    """``response.set_cookie(key, value, expires=..., ...)``: the same header line.

    ``dump_cookie`` writes ``key=value``, then Domain, Expires, Max-Age (none
    here), Secure, HttpOnly, Path, SameSite, Partitioned.  All but the key,
    value and Expires depend only on the cookie settings: those two pieces
    are made by ``dump_cookie`` itself once per settings (and ``quote``, its
    path encoder) and joined around the value.  Taken for werkzeug's
    ``set_cookie``/``dump_cookie`` as imported (none set on the response
    object), ``str`` key and value that
    need no quoting, settings of exact types, and a line within
    ``max_cookie_size``; anything else (a value to quote, a size warning)
    is werkzeug's own call.
    """
    if (
        type(response).set_cookie is _SET_COOKIE
        and "set_cookie" not in getattr(response, "__dict__", ("set_cookie",))
        and _wz_response.dump_cookie is _DUMP_COOKIE
        and _wz_http.dump_cookie is _DUMP_COOKIE
        and type(key) is str
        and type(value) is str
        and type(domain) in _STR_OR_NONE
        and type(path) in _STR_OR_NONE
        and type(samesite) in _STR_OR_NONE
        and type(secure) is bool
        and type(httponly) is bool
        and type(partitioned) is bool
        and _wz_http._cookie_no_quote_re.fullmatch(value)
    ):
        attrs = (domain, path, secure, httponly, samesite, partitioned, _wz_http.quote)
        parts = _cookie_attrs.get(attrs)
        # (In dump_cookie's order: Domain, then Expires, then the rest, so a
        # bad setting raises what werkzeug raises.)
        if parts is None:
            before = _DUMP_COOKIE("k", "v", path=None, domain=domain, max_size=0)[3:]
            when = _expires(expires)
            after = _DUMP_COOKIE(
                "k",
                "v",
                path=path,
                secure=secure,
                httponly=httponly,
                samesite=samesite,
                partitioned=partitioned,
                max_size=0,
            )[3:]
            parts = (before, after)
            if len(_cookie_attrs) >= 64:
                _cookie_attrs.clear()
            _cookie_attrs[attrs] = parts
        else:
            when = _expires(expires)
        line = f"{key.encode().decode('latin1')}={value}{parts[0]}{when}{parts[1]}"
        max_size = _max_cookie_size(response)
        if not (max_size and len(line) > max_size):
            response.headers.add("Set-Cookie", line)
            return
    response.set_cookie(
        key,
        value,
        expires=expires,
        httponly=httponly,
        domain=domain,
        path=path,
        secure=secure,
        partitioned=partitioned,
        samesite=samesite,
    )


# itsdangerous.encoding's base64 (URL-safe alphabet, no padding) for bytes,
# through binascii as the base64 module does, without its argument checks.
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def _b64encode(data: bytes) -> bytes:
    return binascii.b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=")


def _b64decode(data: bytes) -> bytes:
    """itsdangerous's base64_decode of bytes; raises binascii.Error where it raises BadData."""
    data += b"=" * (-len(data) % 4)
    return binascii.a2b_base64(data.translate(_FROM_URLSAFE))


# HMAC by its definition (RFC 2104) from the digest method's own hash objects:
# the padded key is hashed once per key, each signature copies the two states.
# The signer checks this against itsdangerous's signature before using it.
_TRANS_5C = bytes(x ^ 0x5C for x in range(256))
_TRANS_36 = bytes(x ^ 0x36 for x in range(256))


def _hmac_states(key: bytes, digest_method: t.Any) -> tuple[t.Any, t.Any]:
    """The inner and outer hash states of HMAC(``key``) with ``digest_method``."""
    inner = digest_method()
    outer = digest_method()
    block_size = getattr(inner, "block_size", 64)
    if len(key) > block_size:
        key = digest_method(key).digest()
    key = key.ljust(block_size, b"\0")
    inner.update(key.translate(_TRANS_36))
    outer.update(key.translate(_TRANS_5C))
    return inner, outer


# Flask's default tags, and the methods they had when this module was imported:
# the exact-type walk below is their behaviour for builtin types, so it is only
# taken while a serializer's tags are these, unpatched, in this order.
_DEFAULT_TAG_CLASSES = tuple(TaggedJSONSerializer.default_tags)
_TAG_METHODS = ("check", "tag", "to_json", "to_python")
_DEFAULT_TAG_FUNCS = tuple(
    tuple(cls.__dict__.get(name) for name in _TAG_METHODS) for cls in _DEFAULT_TAG_CLASSES
)
_SERIALIZER_METHODS = ("dumps", "loads", "tag", "untag", "_untag_scan")
_DEFAULT_SERIALIZER_FUNCS = tuple(getattr(TaggedJSONSerializer, n) for n in _SERIALIZER_METHODS)
_DEFAULT_DUMPS = DefaultJSONProvider.dumps
_DEFAULT_LOADS = DefaultJSONProvider.loads
_json_loads = json.loads

# DefaultJSONProvider.dumps is json.dumps(obj, default=..., ensure_ascii=...,
# sort_keys=..., separators=(",", ":")), which builds this encoder each call.
# ``default`` is left out: it is only called for values the walk marks exotic.
_encoders: dict[tuple[bool, bool], json.JSONEncoder] = {}


def _encoder(ensure_ascii: bool, sort_keys: bool) -> json.JSONEncoder:
    key = (bool(ensure_ascii), bool(sort_keys))
    enc = _encoders.get(key)
    if enc is None:
        enc = _encoders[key] = json.JSONEncoder(ensure_ascii=key[0], sort_keys=key[1], separators=(",", ":"))
    return enc


def _default_tags(serializer: t.Any) -> bool:
    """Whether ``serializer`` is a plain ``TaggedJSONSerializer`` with Flask's tags as shipped."""
    if type(serializer) is not TaggedJSONSerializer:
        return False
    if tuple(getattr(TaggedJSONSerializer, n) for n in _SERIALIZER_METHODS) != (_DEFAULT_SERIALIZER_FUNCS):
        return False
    order = serializer.order
    if tuple(type(tag) for tag in order) != _DEFAULT_TAG_CLASSES:
        return False
    if (
        tuple(tuple(cls.__dict__.get(name) for name in _TAG_METHODS) for cls in _DEFAULT_TAG_CLASSES)
        != _DEFAULT_TAG_FUNCS
    ):
        return False
    keyed = [tag for tag in order if tag.key]
    return serializer.tags == {tag.key: tag for tag in keyed} and all(
        tag.serializer is serializer for tag in order
    )


class SigningSerializer(URLSafeTimedSerializer):
    """The ``URLSafeTimedSerializer`` Flask builds for sessions, built once.

    Constructed with Flask's arguments (keys oldest to newest, salt,
    ``serializer``, ``key_derivation``, ``digest_method``), it is that
    serializer to every caller; its :meth:`dumps` and :meth:`loads` give the
    same bytes and values with the keys derived once.  Anything off the common
    path (another ``salt``, a serializer with other tags, a cookie that does
    not verify) goes through the base class, which raises itsdangerous's own
    errors.
    """

    def __init__(
        self,
        secret_keys: list[str | bytes],
        salt: str | bytes,
        serializer: t.Any,
        key_derivation: str,
        digest_method: t.Any,
    ) -> None:
        super().__init__(
            secret_keys,  # type: ignore[arg-type]
            salt=salt,
            serializer=serializer,
            signer_kwargs={"key_derivation": key_derivation, "digest_method": digest_method},
        )
        signer = self.make_signer()
        # The signer Flask's serializer would make for each call; its
        # get_timestamp/timestamp_to_datetime are used as itsdangerous does.
        self._signer = t.cast(TimestampSigner, signer)
        # Newest key first: the order Signer.verify_signature tries them in.
        try:
            derived = [signer.derive_key(key) for key in reversed(signer.secret_keys)]
        except Exception:
            # A key itsdangerous cannot derive from (an int, say) fails only
            # when a signature is made or checked (a cookie without one is
            # refused first): every call is left to itsdangerous then.
            derived = None
        self._keys = derived or []
        self._digest_method = digest_method
        self._states: list[tuple[t.Any, t.Any]] | None = None
        self._fast = (
            derived is not None
            and type(signer) is TimestampSigner
            and signer.sep == b"."
            and type(signer.algorithm) is HMACAlgorithm
            and not self.fallback_signers
            and not self.serializer_kwargs
            and self.is_text_serializer
        )
        if self._fast:
            # The copied states must give the signer's own signatures (a short
            # and a longer-than-a-block message); if not, sign as it does.
            try:
                self._states = [_hmac_states(key, digest_method) for key in self._keys]
                algorithm = signer.algorithm
                for probe in (b"fastroute", b"fastroute.sessions" * 20):
                    for i, key in enumerate(self._keys):
                        if self._mac(i, probe) != algorithm.get_signature(key, probe):
                            self._states = None
            except Exception:  # a digest method hmac.new would also refuse
                self._states = None
        # Whether the exact-type tag walk may stand in for serializer.tag/_untag_scan.
        self._tags = serializer.tags if _default_tags(serializer) else None
        self._tag_order = list(serializer.order) if self._tags is not None else None
        self._tag_keys = dict(serializer.tags) if self._tags is not None else None

    # -- signing -------------------------------------------------------------

    def _mac(self, index: int, value: bytes) -> bytes:
        """HMAC of ``value`` with the ``index``-th newest derived key."""
        states = self._states
        if states is None:
            return hmac.new(self._keys[index], value, digestmod=self._digest_method).digest()
        inner, outer = states[index]
        inner = inner.copy()
        inner.update(value)
        outer = outer.copy()
        outer.update(inner.digest())
        return outer.digest()  # type: ignore[no-any-return]

    def dumps(self, obj: t.Any, salt: str | bytes | None = None) -> str:
        """Sign ``obj`` as ``URLSafeTimedSerializer.dumps`` does, with the cached key."""
        if salt is not None or not self._fast:
            return super().dumps(obj, salt)
        text: t.Any = self._dump_text(obj)  # str from a text serializer, as checked
        payload = text.encode("utf-8") if isinstance(text, str) else text
        compressed = zlib.compress(payload)
        # Compressed (marked by a leading ".") only when that is shorter.
        shorter = len(compressed) < len(payload) - 1
        body = b"." + _b64encode(compressed) if shorter else _b64encode(payload)
        value = body + b"." + _b64encode(int_to_bytes(self._signer.get_timestamp()))
        return (value + b"." + _b64encode(self._mac(0, value))).decode("utf-8")

    def loads(  # type: ignore[override]
        self,
        s: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
        salt: str | bytes | None = None,
    ) -> t.Any:
        """Verify and load ``s`` as ``URLSafeTimedSerializer.loads`` does.

        A cookie that verifies under a current or fallback key, within
        ``max_age``, is loaded here; every other outcome (bad signature,
        malformed timestamp, payload errors) is left to the base class so the
        exception is itsdangerous's.
        """
        if salt is not None or not self._fast:
            return super().loads(s, max_age, return_timestamp, salt)
        if isinstance(s, str):
            signed = s.encode("utf-8")
        elif type(s) is bytes:
            signed = s
        else:
            return super().loads(s, max_age, return_timestamp, salt)
        value, sep, sig = signed.rpartition(b".")
        try:
            if not sep:
                raise ValueError
            sig = _b64decode(sig)
            for i in range(len(self._keys)):
                if hmac.compare_digest(sig, self._mac(i, value)):
                    break
            else:
                raise ValueError
            body, sep, stamp = value.rpartition(b".")
            if not sep:
                raise ValueError
            ts = bytes_to_int(_b64decode(stamp))
        except Exception:
            return super().loads(s, max_age, return_timestamp, salt)
        signer = self._signer
        if max_age is not None:
            # TimestampSigner.unsign's checks, in its order, with its messages.
            age = signer.get_timestamp() - ts
            if age > max_age:
                raise SignatureExpired(
                    f"Signature age {age} > {max_age} seconds",
                    payload=body,
                    date_signed=signer.timestamp_to_datetime(ts),
                )
            if age < 0:
                raise SignatureExpired(
                    f"Signature age {age} < 0 seconds",
                    payload=body,
                    date_signed=signer.timestamp_to_datetime(ts),
                )
        # TimedSerializer.loads always asks unsign for the timestamp's datetime
        # (which can raise), before the payload is loaded.
        signed_at = signer.timestamp_to_datetime(ts)
        try:
            payload = self._load_body(body)
        except Exception:
            return super().loads(s, max_age, return_timestamp, salt)
        if return_timestamp:
            return payload, signed_at
        return payload

    def _load_body(self, body: bytes) -> t.Any:
        compressed = body[:1] == b"."
        data = zlib.decompress(_b64decode(body[1:])) if compressed else _b64decode(body)
        return self._load_text(data.decode("utf-8"))

    # -- the tag walk ----------------------------------------------------------

    def _tags_unchanged(self) -> bool:
        ser = self.serializer
        return (
            self._tags is not None
            and ser.order == self._tag_order  # type: ignore[attr-defined]
            and ser.tags == self._tag_keys  # type: ignore[attr-defined]
        )

    def _dump_text(self, obj: t.Any) -> str:
        """``serializer.dumps(obj)``: Flask's tagged JSON text through the current app's provider."""
        ser = self.serializer
        ctx = _cv_app.get(None)
        if ctx is None or not self._tags_unchanged():
            return ser.dumps(obj)
        provider: t.Any = ctx.app.json
        tags = self._tags
        default_dumps = getattr(provider.dumps, "__func__", None) is _DEFAULT_DUMPS
        if default_dumps and _untouched(obj, tags):
            # Flask's walk would copy obj unchanged and the provider's ``default``
            # is never called for builtin JSON types: the cached encoder writes
            # json.dumps's text for obj itself.
            return _encoder(provider.ensure_ascii, provider.sort_keys).encode(obj)
        exotic: list[bool] = []
        tagged = _tag(obj, ser, tags, exotic)
        if default_dumps and not exotic:
            return _encoder(provider.ensure_ascii, provider.sort_keys).encode(tagged)
        return provider.dumps(tagged, separators=(",", ":"))  # type: ignore[no-any-return]

    def _load_text(self, text: str) -> t.Any:
        """``serializer.loads(text)``: the current app's provider, then Flask's untagging."""
        ser = self.serializer
        ctx = _cv_app.get(None)
        if ctx is None or not self._tags_unchanged():
            return ser.loads(text)
        provider = ctx.app.json
        if getattr(provider.loads, "__func__", None) is not _DEFAULT_LOADS:
            return ser._untag_scan(provider.loads(text))  # type: ignore[attr-defined]
        data = _json_loads(text)
        if type(data) is dict or type(data) is list:
            return _untag_fresh(data, self._tags)
        return data


def _untouched(value: t.Any, tags: t.Any) -> bool:
    """Whether Flask's tag walk leaves ``value`` as it is (up to copies of its containers).

    True for exact ``str``/``int``/``float``/``bool``/``None`` and lists and
    dicts of them without a one-key dict whose key is a tag.
    """
    cls = type(value)
    if cls is dict:
        if len(value) == 1 and next(iter(value)) in tags:
            return False
        items = value.values()
    elif cls is list:
        items = value
    else:
        return cls is str or cls is int or cls is float or cls is bool or value is None
    for item in items:
        cls = type(item)
        if cls is str or cls is int or cls is bool or cls is float or item is None:
            continue
        if not _untouched(item, tags):
            return False
    return True


def _tag(value: t.Any, ser: t.Any, tags: t.Any, exotic: list[bool]) -> t.Any:
    """``TaggedJSONSerializer.tag`` with Flask's default tags, by exact type.

    Flask's checks are ``isinstance`` (and ``__html__``), so a subclass of a
    builtin, a Markup, UUID or datetime, or anything else goes to ``ser.tag``
    itself, and ``exotic`` records that the result may need the JSON
    provider's ``default``.
    """
    cls = type(value)
    if cls is str or cls is int or cls is float or cls is bool or value is None:
        return value
    if cls is dict:
        if len(value) == 1:
            key = next(iter(value))
            if key in tags:
                if type(key) is not str:
                    exotic.append(True)
                    return ser.tag(value)
                return {" di": {f"{key}__": _tag(value[key], ser, tags, exotic)}}
        return {k: _tag(v, ser, tags, exotic) for k, v in value.items()}
    if cls is list:
        return [_tag(item, ser, tags, exotic) for item in value]
    if cls is tuple:
        return {" t": [_tag(item, ser, tags, exotic) for item in value]}
    if cls is bytes:
        return {" b": b64encode(value).decode("ascii")}
    exotic.append(True)
    return ser.tag(value)


def _untag_fresh(value: t.Any, tags: t.Any) -> t.Any:
    """``TaggedJSONSerializer._untag_scan`` for what ``json.loads`` just returned.

    ``json.loads`` gives fresh, unshared dicts and lists, so untagging them in
    place yields what ``_untag_scan``'s copies hold: children first, then the
    dict itself through the tag's own ``to_python``.
    """
    if type(value) is dict:
        for key, item in value.items():
            if type(item) is dict or type(item) is list:
                value[key] = _untag_fresh(item, tags)
        if len(value) == 1:
            key = next(iter(value))
            if key in tags:
                return tags[key].to_python(value[key])
        return value
    for i in range(len(value)):
        item = value[i]
        if type(item) is dict or type(item) is list:
            value[i] = _untag_fresh(item, tags)
    return value


class SecureCookieSessionInterface(_FlaskInterface):
    """Flask's cookie session interface with the signing serializer cached per app.

    Set it on a Flask app (``app.session_interface = SecureCookieSessionInterface()``)
    or as the class attribute of a Flask subclass.  ``open_session`` and every
    cookie hook are Flask's; :meth:`save_session` calls them as Flask does.
    """

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer for ``app``, built once per app, secret and interface settings.

        Returns ``None`` without a secret key, as Flask does.  The cache lives
        on the app (so it goes with it) and is checked against the current
        ``SECRET_KEY``, ``SECRET_KEY_FALLBACKS`` and this interface's
        ``salt``, ``digest_method``, ``key_derivation`` and ``serializer`` on
        every call.
        """
        secret = app.secret_key
        if not secret:
            return None
        fallbacks = app.config["SECRET_KEY_FALLBACKS"]
        fallback_list = list(fallbacks) if fallbacks else []
        salt = self.salt
        digest_method = self.digest_method
        key_derivation = self.key_derivation
        serializer = self.serializer
        cache = getattr(app, "__dict__", {}).get(_CACHE_ATTR)
        entry = cache.get(id(self)) if cache is not None else None
        if (
            entry is not None
            and entry[1] == secret
            and entry[2] == fallback_list
            and entry[3] is serializer
            and entry[4] is digest_method
            and entry[5] == salt
            and entry[6] == key_derivation
        ):
            return entry[7]  # type: ignore[no-any-return]
        keys: list[str | bytes] = [*fallback_list, secret]  # newest last, as Flask passes them
        built = SigningSerializer(keys, salt, serializer, key_derivation, digest_method)
        # Only immutable secrets are cached: a bytearray changed in place would
        # still compare equal to itself.
        if all(type(k) is str or type(k) is bytes for k in keys) and type(salt) in (str, bytes):
            if cache is None or len(cache) >= _CACHE_SIZE:
                # A fresh dict also bounds an app that makes a new interface per request.
                cache = {}
                try:
                    setattr(app, _CACHE_ATTR, cache)
                except (AttributeError, TypeError):
                    return built
            # The interface itself is held so its id cannot be reused.
            cache[id(self)] = (
                self,
                secret,
                fallback_list,
                serializer,
                digest_method,
                salt,
                key_derivation,
                built,
            )
        return built

    def open_session(self, app: Flask, request: t.Any) -> SecureCookieSession | None:
        """Flask's ``open_session``, the same steps in the same order, with the
        request's cookies parsed the cheap way where that is the same
        (``_fill_cookies``)."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        _fill_cookies(request)
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            return self.session_class(serializer.loads(value, max_age=max_age))
        except BadSignature:
            return self.session_class()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Write, refresh or delete the session cookie, as Flask does.

        The same hooks in the same order: the seven ``get_cookie_*``, then
        ``should_set_cookie``, ``get_expiration_time``,
        ``get_signing_serializer`` and the response's ``set_cookie`` or
        ``delete_cookie``; ``Vary: Cookie`` is added where Flask adds it.
        """
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        secure = self.get_cookie_secure(app)
        partitioned = self.get_cookie_partitioned(app)
        samesite = self.get_cookie_samesite(app)
        httponly = self.get_cookie_httponly(app)
        if session.accessed:
            _vary_cookie(response)
        if not session:
            # An emptied session deletes the cookie; one that was empty stays unset.
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
                _vary_cookie(response)
            return
        if not self.should_set_cookie(app, session):
            return
        expires = self.get_expiration_time(app, session)
        value = self.get_signing_serializer(app).dumps(dict(session))  # type: ignore[union-attr]
        _set_cookie(response, name, value, expires, httponly, domain, path, secure, partitioned, samesite)
        _vary_cookie(response)
