"""The same app code on ``flask.Flask`` and on ``fastroute.Flask``: their answers, side by side.

A *factory* takes the Flask class and returns an app; :func:`assert_same_answers`
builds the app twice, sends the same requests through each app's test client
(Flask's ``FlaskClient``, cookies kept between requests) and compares, request
by request: the status, the headers (not ``Date``), the body and the cookies
set.  Some parts of an answer differ between two runs of Flask itself and are
compared by meaning:

* ``Allow`` as a set: werkzeug lists the methods in set order, which changes
  with the hash seed;
* a signed session cookie by its decoded value (its timestamp and signature
  change with the second it was signed) and its attributes, ``Expires`` cut
  to the day (it is now plus the lifetime).

``app.extensions["log"]``, when the factory fills it (hooks, signals), is
compared too, after every request; so are an exception the test client
raises (in testing or debug mode), by class name and message, and the
warnings issued, with the file they are attributed to.
"""

from __future__ import annotations

import typing as t
import warnings
from http.cookies import SimpleCookie
from pathlib import Path

import flask

import fastroute

Request = tuple[str, str, dict[str, t.Any]]  # method, path, test client keyword arguments


def _cookie(app: flask.Flask, header: str) -> tuple[t.Any, ...]:
    parsed = SimpleCookie()
    parsed.load(header)
    ((name, morsel),) = parsed.items()
    value: t.Any = morsel.value
    if name == app.config["SESSION_COOKIE_NAME"] and value:
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        value = ("session", serializer.loads(value)) if serializer is not None else value
    attributes = {k: v for k, v in morsel.items() if v}
    if "expires" in attributes:
        attributes["expires"] = attributes["expires"][:16]  # "Wed, 21 Oct 2015"
    return name, value, sorted(attributes.items())


def answer(app: flask.Flask, response: t.Any) -> tuple[t.Any, ...]:
    """What is compared of one response."""
    headers = []
    cookies = []
    for key, value in response.headers.items():
        if key == "Date":
            continue
        if key == "Allow":
            value = sorted(value.split(", "))
        if key == "Set-Cookie":
            cookies.append(_cookie(app, value))
            continue
        headers.append((key, value))
    return response.status, headers, response.get_data(), cookies


def answers(
    app: flask.Flask, requests: t.Iterable[Request], scrub: t.Callable[[t.Any], t.Any] | None = None
) -> list[tuple[t.Any, ...]]:
    """The answers of *app* to *requests*, in order, through one test client.

    A keyword argument of a request may be a callable: it is called with the
    previous response (to send back a token that response carried).  *scrub*
    maps each answer to what is compared (to take out random values)."""
    client = app.test_client()
    out = []
    log = app.extensions.get("log")
    last: t.Any = None
    for method, path, kwargs in requests:
        kwargs = {k: v(last) if callable(v) else v for k, v in kwargs.items()}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                response = client.open(path, method=method, **kwargs)
            except Exception as e:  # raised through the test client (TESTING, debug): the same error
                got: tuple[t.Any, ...] = ("raised", type(e).__name__, str(e))
            else:
                got = answer(app, response)
                response.close()
                last = response
        warned = [(w.category.__name__, str(w.message), Path(w.filename).name) for w in caught]
        got = (method, path, *got, list(log) if log is not None else None, warned)
        out.append(scrub(got) if scrub is not None else got)
    return out


def assert_same_answers(
    factory: t.Callable[[type[flask.Flask]], flask.Flask],
    requests: t.Sequence[Request],
    scrub: t.Callable[[t.Any], t.Any] | None = None,
) -> list[tuple[t.Any, ...]]:
    """Build *factory*'s app on both classes; every answer must be the same.
    Returns Flask's answers (for checks that the requests did what they meant)."""
    theirs = answers(factory(flask.Flask), requests, scrub)
    app = factory(fastroute.Flask)
    assert isinstance(app, fastroute.Flask)
    ours = answers(app, requests, scrub)
    assert len(ours) == len(theirs)
    for mine, flasks in zip(ours, theirs, strict=True):
        assert mine == flasks
    return theirs


def get(path: str, **kwargs: t.Any) -> Request:
    return ("GET", path, kwargs)


def req(method: str, path: str, **kwargs: t.Any) -> Request:
    return (method, path, kwargs)
