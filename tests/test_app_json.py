"""``jsonify`` and JSON returns on ``fastroute.Flask`` against ``flask.Flask``.

``fastroute.Flask``'s JSON provider makes ``jsonify``'s response object from a
template of the response class (``fastroute._responses.JSONProvider``).
Generated apps vary everything that answer depends on: the provider (Flask's,
a subclass with changed class attributes or an overridden ``dumps`` /
``_prepare_response_obj`` / ``response``, attributes set on the instance),
``debug``, the response class (changed defaults, an overridden constructor, a
plain werkzeug response), the values and how the view returns them, and an
``after_request`` hook that reads and changes the response object.  Status,
headers (not ``Date``), body and what the hook saw must be equal.
"""

from __future__ import annotations

import contextlib
import typing as t

import flask
import pytest
from flask.json.provider import DefaultJSONProvider
from hypothesis import HealthCheck, given, settings, strategies as st
from werkzeug.wrappers import Response as WerkzeugResponse

import fastroute
from fastroute._responses import JSONProvider


def _provider_class(base: type, spec: dict[str, t.Any]) -> type:
    """The provider class of the generated app on *base*."""
    parent = base.json_provider_class if spec["provider_parent"] == "app's" else DefaultJSONProvider
    attrs: dict[str, t.Any] = dict(spec["provider_attrs"])
    override = spec["provider_override"]
    if override == "dumps":

        def dumps(self: t.Any, obj: t.Any, **kwargs: t.Any) -> str:
            return "/*x*/" + parent.dumps(self, obj, **kwargs)

        attrs["dumps"] = dumps
    elif override == "prepare":

        def _prepare_response_obj(self: t.Any, args: t.Any, kwargs: t.Any) -> t.Any:
            return {"wrapped": parent._prepare_response_obj(self, args, kwargs)}

        attrs["_prepare_response_obj"] = _prepare_response_obj
    elif override == "response":

        def response(self: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
            rv = parent.response(self, *args, **kwargs)
            rv.headers["X-Provider"] = "mine"
            return rv

        attrs["response"] = response
    if not attrs and spec["provider_parent"] == "app's":
        return parent  # type: ignore[no-any-return]
    return type("Provider", (parent,), attrs)


def _response_class(kind: str) -> type:
    if kind == "flask":
        return flask.Response
    if kind == "defaults":
        return type(
            "Defaults",
            (flask.Response,),
            {
                "default_mimetype": "text/x-mine",
                "default_status": 201,
                "automatically_set_content_length": False,
            },
        )
    if kind == "init":

        class Init(flask.Response):
            def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
                super().__init__(*args, **kwargs)
                self.headers["X-Init"] = "1"

        return Init
    if kind == "set_data":

        class SetData(flask.Response):
            def set_data(self, value: t.Any) -> None:
                super().set_data(value + b"!" if isinstance(value, bytes) else value + "?")

        return SetData
    return type("Plain", (WerkzeugResponse,), {})  # a werkzeug response: no json property


def build(base: type, spec: dict[str, t.Any], log: list[t.Any]) -> t.Any:
    class App(base):  # type: ignore[misc,valid-type]
        json_provider_class = _provider_class(base, spec)
        response_class = _response_class(spec["response_class"])

    app = App("json_app")
    app.debug = spec["debug"]
    for name, value in spec["instance_attrs"]:
        setattr(app.json, name, value)
    args = spec["args"] if spec["pass"] != "kwargs" else []
    kwargs = spec["kwargs"] if spec["pass"] != "args" else {}

    @app.route("/")
    def view() -> t.Any:
        how = spec["how"]
        if how == "jsonify":
            return flask.jsonify(*args, **kwargs)
        if how == "provider":
            return flask.current_app.json.response(*args, **kwargs)
        return kwargs if how == "dict" else list(args)

    if spec["hook"]:

        @app.after_request
        def after(response: t.Any) -> t.Any:
            log.append(
                (
                    type(response).__name__,
                    list(vars(response)),
                    list(response.headers.items()),
                    response.status,
                    response.mimetype,
                    response.get_data(),
                    response.content_length,
                )
            )
            response.headers["X-After"] = "1"
            return response

    return app


def run(base: type, spec: dict[str, t.Any]) -> list[t.Any]:
    log: list[t.Any] = []
    app = build(base, spec, log)
    client = app.test_client()
    out: list[t.Any] = []
    for method in ("GET", "HEAD", "GET"):
        try:
            response = client.open("/", method=method)
        except Exception as e:  # debug mode raises through the client
            out.append(("raised", type(e).__name__, str(e)))
            continue
        headers = [(k, v) for k, v in response.headers.items() if k != "Date"]
        out.append((response.status, headers, response.get_data()))
        response.close()
    return [isinstance(app.json, JSONProvider), out, log]


def _default_repr(o: t.Any) -> str:
    return repr(o)


def _default_str(o: t.Any) -> str:
    return f"<{o}>"


_text = st.text(alphabet=st.sampled_from('aZ09 _"\\\u00e9\u2603\U0001f600\x00\n'), max_size=6)
_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), _text, st.floats(allow_nan=False)
)
_value = st.recursive(
    _scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_text, inner, max_size=3)),
    max_leaves=6,
)

specs = st.fixed_dictionaries(
    {
        "provider_parent": st.sampled_from(["app's", "flask"]),
        "provider_attrs": st.lists(
            st.one_of(
                st.tuples(st.just("sort_keys"), st.booleans()),
                st.tuples(st.just("compact"), st.sampled_from([None, True, False])),
                st.tuples(st.just("ensure_ascii"), st.booleans()),
                st.tuples(
                    st.just("mimetype"), st.sampled_from(["application/json", "text/json", "text/plain"])
                ),
            ),
            max_size=3,
        ),
        "provider_override": st.sampled_from([None, None, None, "dumps", "prepare", "response"]),
        "instance_attrs": st.lists(
            st.one_of(
                st.tuples(st.just("sort_keys"), st.booleans()),
                st.tuples(st.just("compact"), st.sampled_from([None, True, False])),
                st.tuples(st.just("ensure_ascii"), st.booleans()),
                st.tuples(st.just("mimetype"), st.sampled_from(["application/vnd.x+json", "text/html"])),
                # encoders are cached by these values: each must be seen
                st.tuples(st.just("default"), st.sampled_from([_default_repr, _default_str])),
                st.tuples(st.just("sort_keys"), st.sampled_from([0, 1, "", None])),
            ),
            max_size=2,
        ),
        # a stdlib json function patched after import (the encoder cache must step aside)
        "json_patch": st.sampled_from([None, None, None, "dumps", "encoder"]),
        "response_class": st.sampled_from(["flask", "flask", "defaults", "init", "set_data", "werkzeug"]),
        "debug": st.booleans(),
        "hook": st.booleans(),
        "how": st.sampled_from(["jsonify", "jsonify", "provider", "dict", "list"]),
        "pass": st.sampled_from(["args", "kwargs", "args", "kwargs", "both"]),
        "args": st.lists(_value, max_size=3),
        "kwargs": st.dictionaries(st.sampled_from(["a", "b", "\u00e9", "z"]), _value, max_size=3),
    }
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs)
def test_json_responses_are_flasks(spec: dict[str, t.Any]) -> None:
    with _json_patched(spec.get("json_patch")):
        theirs = run(flask.Flask, spec)
        ours = run(fastroute.Flask, spec)
    assert ours[1:] == theirs[1:]


@contextlib.contextmanager
def _json_patched(how: str | None) -> t.Iterator[None]:
    """The stdlib's ``json.dumps`` or ``json.JSONEncoder`` replaced by one
    that writes differently, for the duration."""
    import json

    saved = json.dumps, json.JSONEncoder
    if how == "dumps":
        json.dumps = lambda obj, **kw: saved[0]({"patched": obj}, **kw)
    elif how == "encoder":

        class Encoder(saved[1]):  # type: ignore[misc,valid-type]
            def encode(self, o: t.Any) -> str:
                return "[" + super().encode(o) + "]"

        json.JSONEncoder = Encoder  # type: ignore[misc]
    try:
        yield
    finally:
        json.dumps, json.JSONEncoder = saved  # type: ignore[misc]


def test_the_provider_is_flasks_but_for_the_response_object() -> None:
    app = fastroute.Flask("x")
    assert type(app.json) is JSONProvider and isinstance(app.json, DefaultJSONProvider)
    # The template is used for the stock case (the object has werkzeug's fields, in order).
    with app.app_context():
        ours = flask.jsonify(b=1, a=[1, "\u00e9"])
    theirs_app = flask.Flask("x")
    with theirs_app.app_context():
        theirs = flask.jsonify(b=1, a=[1, "\u00e9"])
    assert list(vars(ours)) == list(vars(theirs))
    assert list(ours.headers.items()) == list(theirs.headers.items())
    assert ours.get_data() == theirs.get_data() and ours.status == theirs.status
    assert ours.json == theirs.json == {"a": [1, "\u00e9"], "b": 1}


@pytest.mark.parametrize("kind", ["flask", "defaults", "init", "set_data", "werkzeug"])
def test_each_response_class(kind: str) -> None:
    spec = {
        "provider_parent": "app's",
        "provider_attrs": [],
        "provider_override": None,
        "instance_attrs": [],
        "response_class": kind,
        "debug": False,
        "hook": True,
        "how": "jsonify",
        "pass": "kwargs",
        "args": [],
        "kwargs": {"a": 1, "b": [None, "x"]},
    }
    theirs = run(flask.Flask, spec)
    ours = run(fastroute.Flask, spec)
    assert ours[0] is True  # fastroute's provider is the one used
    assert ours[1:] == theirs[1:]
