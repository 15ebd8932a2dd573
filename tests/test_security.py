"""Security properties of routing and of the app layer, checked against werkzeug / Flask 3.1.

* Redirects made by routing (strict slashes, merged slashes, redirect
  defaults, ``redirect_to``, aliases) never leave the host: the ``Location``
  is parsed with ``urllib.parse`` and its ``netloc`` asserted, and it equals
  werkzeug's (``Map.bind``, ``bind_to_environ``) or Flask's (test client).
* ``path`` values served by ``send_from_directory`` and the ``static`` route
  cannot escape their directory: 404, as in Flask.
* ``TRUSTED_HOSTS`` and ``SERVER_NAME`` are honoured as in Flask 3.1 (an
  untrusted ``Host`` is a 400; with ``SERVER_NAME`` the redirect host is the
  configured one).
* Tampered session cookies give an empty session, no exception, as in Flask.
* ``MapAdapter.build`` / ``url_for`` quote values so that they cannot add a
  query, a fragment, a scheme or a host to the URL.

What werkzeug itself leaves open is pinned as werkzeug's behaviour, not
"fixed": the default ``string`` converter keeps ``/`` unquoted when building
(``build("s", {"s": "../x"}) == "/s/../x"``), and a ``redirect_to`` template
that *starts* with a variable lets the value pick the scheme and host.  A
drop-in replacement must give the same answers; applications must not pass
untrusted values there.

Every test takes the ``core`` fixture: maps and apps built inside it use
each matcher core in turn.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import time
import warnings
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.exceptions import NotFound
from werkzeug.test import create_environ
from werkzeug.wrappers import Request

import fastroute
from tests.support.outcomes import both_maps, outcome as _outcome

flask = pytest.importorskip("flask")
from flask.sessions import TaggedJSONSerializer  # noqa: E402

FRAMEWORKS = (flask, fastroute)
HOST = "example.com"

#: :func:`tests.support.outcomes.outcome` with the text of unexpected exceptions.
outcome = functools.partial(_outcome, message=True)


def wsgi_str(text: str) -> str:
    """*text* as a WSGI string (its UTF-8 bytes as latin-1 code points)."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def off_host(url: str, host: str) -> str | None:
    """Why *url* does not stay on *host*, or None when it does."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return f"scheme {parts.scheme!r}"
    if parts.netloc != host:
        return f"netloc {parts.netloc!r}"
    if any(c in url for c in "\r\n\t \\"):
        return "unquoted whitespace or backslash"
    return None


class Answer(NamedTuple):
    status: int
    location: str | None
    body: bytes


def send(
    app: Any,
    path_info: str,
    *,
    host: str = "localhost",
    query: str = "",
    script: str = "",
    client: Any = None,
) -> Answer:
    """One request through the app's test client, with a raw ``PATH_INFO``.

    The test client's URL argument would parse ``//evil.example`` as a host
    and normalise other odd paths, so the environ is made here, as a server
    would pass it, and handed to the client as a request.
    """
    environ = create_environ("/", "http://localhost/")
    environ.update(PATH_INFO=wsgi_str(path_info), SCRIPT_NAME=script, QUERY_STRING=query, HTTP_HOST=host)
    client = client if client is not None else app.test_client()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # werkzeug's "server name doesn't match" warning
        response = client.open(Request(environ))
    try:
        return Answer(response.status_code, response.headers.get("Location"), response.get_data())
    finally:
        response.close()


# ---------------------------------------------------------------------------
# Open redirects: routing


def _redirect_by_build(adapter: Any, s: str) -> str:
    return adapter.build("s_branch", {"s": s})  # type: ignore[no-any-return]


REDIRECT_RULES: list[tuple[str, dict[str, Any]]] = [
    ("/", {"endpoint": "root"}),
    ("/b/", {"endpoint": "branch"}),
    ("/evil.example/", {"endpoint": "evil_branch"}),
    ("/<top>/", {"endpoint": "top_branch"}),
    ("/s/<s>/", {"endpoint": "s_branch"}),
    ("/d/<path:p>/", {"endpoint": "p_branch"}),
    ("/loose/", {"endpoint": "loose", "strict_slashes": False}),
    ("/strict/", {"endpoint": "strict", "strict_slashes": True}),
    ("/page/", {"endpoint": "page", "defaults": {"n": 1}}),
    ("/page/<int:n>", {"endpoint": "page"}),
    ("/go/<path:p>", {"redirect_to": "/<p>"}),
    ("/to/<s>", {"redirect_to": "to/<s>"}),
    ("/fixed/<path:p>", {"redirect_to": "/b/"}),
    ("/call/<s>", {"redirect_to": _redirect_by_build}),
    ("/alias/<path:p>", {"endpoint": "canon", "alias": True}),
    ("/canon/<path:p>", {"endpoint": "canon"}),
    ("/keep/<path:p>", {"endpoint": "keep", "merge_slashes": False}),
    ("/merge/<path:p>", {"endpoint": "merge", "merge_slashes": True}),
]

REDIRECT_PATHS = [
    "//evil.example",
    "//evil.example/",
    "//evil.example//",
    "///evil.example",
    "////evil.example/",
    "///evil.example//x",
    "/\\evil.example",
    "/\\\\evil.example",
    "/\\/evil.example",
    "//\\evil.example",
    "/%2F%2Fevil.example",
    "/%2f%2fevil.example/",
    "/%5C%5Cevil",
    "/%5c/evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "//evil.example:80",
    "//user@evil.example",
    "/@evil.example",
    "//evil.example?next=x",
    "//evil.example#frag",
    "//evil.example/%2F..",
    "/http://evil.example",
    "/https:/evil.example",
    "/\r\nLocation: http://evil.example",
    "/b\r\nSet-Cookie: x=1",
    "/é//x",
    "/evil.example\x00",
    "/b",
    "//b",
    "/b//",
    "///b",
    "/s/x",
    "/s//x",
    "/s/x//",
    "/s/\\evil.example",
    "/d/a//b",
    "/d//evil.example",
    "/d/http://evil.example",
    "/page/1",
    "/page//1",
    "/go/evil.example",
    "/go//evil.example",
    "/go/%2F%2Fevil.example",
    "/go/\\\\evil.example",
    "/go/http:%2F%2Fevil.example",
    "/go/http://evil.example",
    "/go/a//evil.example",
    "/to/evil.example",
    "/to//evil.example",
    "/to/\\evil.example",
    "/to/http:evil.example",
    "/fixed//evil.example",
    "/call/\\\\evil.example",
    "/call//evil.example",
    "/alias/evil.example",
    "/alias//evil.example",
    "/alias/a//evil.example",
    "/keep//evil.example",
    "/keep/a//b",
    "/merge/a//b",
    "/loose",
    "/loose//",
    "/strict",
]

MAP_OPTIONS = [
    {"merge_slashes": merge, "strict_slashes": strict, "redirect_defaults": defaults}
    for merge in (True, False)
    for strict in (True, False)
    for defaults in (True, False)
]


@pytest.mark.parametrize("options", MAP_OPTIONS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()))
def test_routing_redirects_stay_on_the_host_under_bind(core: Any, options: dict[str, Any]) -> None:
    pair = both_maps(REDIRECT_RULES, **options)
    mismatches, escapes = [], []
    redirects = 0
    for script_name in ("/", "/app", "/app/"):
        adapters = [m.bind(HOST, script_name=script_name) for m in pair]
        for path in REDIRECT_PATHS:
            results = [outcome(lambda a=a, p=path: a.match(p)) for a in adapters]
            if results[1] != results[0]:
                mismatches.append((script_name, path, results))
            if results[1][0] == "redirect":
                redirects += 1
                why = off_host(results[1][2], HOST)
                if why:
                    escapes.append((script_name, path, results[1][2], why))
    assert mismatches == []
    assert escapes == []
    assert redirects > 30  # the table does redirect


WSGI_HOSTS = [HOST, f"{HOST}:8080", "sub.example.com"]
QUERIES = ["", "next=//evil.example", "a=%2F%2Fevil.example&b", "x=1#@evil.example", "u=http://evil.example/"]


@pytest.mark.parametrize("merge_slashes", [True, False])
def test_routing_redirects_stay_on_the_host_under_bind_to_environ(core: Any, merge_slashes: bool) -> None:
    pair = both_maps(REDIRECT_RULES, merge_slashes=merge_slashes)
    mismatches, escapes = [], []
    for host in WSGI_HOSTS:
        for query in QUERIES:
            for path in REDIRECT_PATHS:
                # As a server passes it: raw, and percent-decoded (a client
                # that sent %2F or %5C).
                for path_info in {path, unquote(path)}:
                    environ = create_environ("/", f"http://{host}/")
                    environ.update(PATH_INFO=wsgi_str(path_info), QUERY_STRING=query, SCRIPT_NAME="/app")
                    results = [
                        outcome(lambda m=m, e=environ: m.bind_to_environ(dict(e)).match()) for m in pair
                    ]
                    if results[1] != results[0]:
                        mismatches.append((host, query, path_info, results))
                    if results[1][0] == "redirect":
                        why = off_host(results[1][2], host)
                        if why:
                            escapes.append((host, query, path_info, results[1][2], why))
    assert mismatches == []
    assert escapes == []


@pytest.mark.parametrize(
    "host",
    ["evil.example", "example.com.evil", "evilexample.com", "api.example.com", "a.b.example.com", "", "x y"],
)
def test_bind_to_environ_server_name_decides_the_redirect_host(core: Any, host: str) -> None:
    """With a server name the redirect host is built from it and the
    subdomain, never taken from the ``Host`` header as it was sent."""
    rules = [*REDIRECT_RULES, ("/b/", {"endpoint": "sub_branch", "subdomain": "<sub>"})]
    pair = both_maps(rules)
    for path in ("/b", "//evil.example", "/page/1", "/go/evil.example", "/alias/x"):
        environ = create_environ(path, "http://placeholder/")
        environ["HTTP_HOST"] = host
        results = []
        for m in pair:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                got = outcome(lambda m=m, e=environ: m.bind_to_environ(dict(e), server_name=HOST).match())
            results.append((got, [str(w.message) for w in caught]))
        assert results[1] == results[0], path
        got = results[1][0]
        if got[0] == "redirect":
            netloc = urlsplit(got[2]).netloc
            assert netloc == HOST or netloc.endswith(f".{HOST}"), (host, path, got[2])


def test_bind_to_environ_leaves_trusted_hosts_to_the_app_like_werkzeug(core: Any) -> None:
    """werkzeug's ``bind_to_environ`` reads the host without checking a
    request's ``trusted_hosts`` (Flask checks them first, see below); so
    does fastroute's."""
    pair = both_maps(REDIRECT_RULES)
    for host in ("evil.example", HOST):
        environ = create_environ("/b", f"http://{host}/")
        results = []
        for m in pair:
            request = Request(dict(environ))
            request.trusted_hosts = [HOST]
            results.append(outcome(lambda m=m, r=request: m.bind_to_environ(r).match()))
        assert results[1] == results[0]
        assert results[1] == ("redirect", 308, f"http://{host}/b/")


def test_redirect_to_template_starting_with_a_variable_is_werkzeug_s_risk(core: Any) -> None:
    """A ``redirect_to`` template that *starts* with a variable is joined to
    the base URL, so a value can name another scheme or host, in werkzeug
    as in fastroute.  The answers are the same; it is the template's author
    who opens the redirect (a leading ``/``, as in the table above, closes it)."""
    pair = both_maps([("/r/<path:p>", {"redirect_to": "<p>"})], merge_slashes=False)
    for path in ("/r/x", "/r/http://evil.example/", "/r/javascript:alert(1)", "/r/a//evil.example"):
        results = [outcome(lambda m=m, p=path: m.bind(HOST).match(p)) for m in pair]
        assert results[1] == results[0], path
    assert results[1][0] == "redirect"
    got = outcome(lambda: pair[1].bind(HOST).match("/r/http://evil.example/"))
    assert got == ("redirect", 308, "http://evil.example/")


# ---------------------------------------------------------------------------
# Open redirects: the app layer


def redirect_app(fw: Any, merge_slashes: bool = True, **config: Any) -> Any:
    app = fw.Flask("security_redirects", static_folder=None)
    app.config.update(config)
    app.url_map.merge_slashes = merge_slashes

    def view(**kwargs: Any) -> str:
        return f"{fw.request.endpoint} {sorted(kwargs.items())}"

    for rule, options in REDIRECT_RULES:
        if "redirect_to" in options:
            app.add_url_rule(rule, endpoint=f"redirect {rule}", **options)
        else:
            app.add_url_rule(rule, view_func=view, **options)

    @app.route("/back/<path:p>")
    def back(p: str) -> Any:
        return fw.redirect(fw.url_for("canon", p=p))

    @app.route("/top/<top>")
    def top(top: str) -> Any:
        return fw.redirect(fw.url_for("top_branch", top=top))

    return app


APP_PATHS = [
    *REDIRECT_PATHS,
    "/back/evil.example",
    "/back/x//evil.example",
    "/back/\\\\evil.example",
    "/top/evil.example",
    "/top/\\evil.example",
    "/top/%2F%2Fevil.example",
]


@pytest.mark.parametrize("merge_slashes", [True, False])
@pytest.mark.parametrize(
    "config",
    [{}, {"SERVER_NAME": "localhost"}, {"TRUSTED_HOSTS": ["localhost"]}],
    ids=["plain", "server", "trusted"],
)
def test_app_redirects_stay_on_the_host_like_flask(core: Any, merge_slashes: bool, config: dict) -> None:
    apps = [redirect_app(fw, merge_slashes, **config) for fw in FRAMEWORKS]
    mismatches, escapes = [], []
    redirects = 0
    for path in APP_PATHS:
        for path_info in {path, unquote(path)}:
            for script in ("", "/app"):
                answers = [send(app, path_info, script=script) for app in apps]
                if answers[1] != answers[0]:
                    mismatches.append((path_info, script, answers))
                location = answers[1].location
                if location is None:
                    continue
                redirects += 1
                parts = urlsplit(location)
                if parts.netloc:  # routing redirects are absolute
                    why = off_host(location, "localhost")
                else:  # url_for() in a view: a path on this host
                    why = "network-path reference" if location.startswith("//") else None
                    if parts.scheme or "\\" in location:
                        why = f"scheme or backslash in {location!r}"
                if why:
                    escapes.append((path_info, script, location, why))
    assert mismatches == []
    assert escapes == []
    assert redirects > 50  # the app does redirect


# ---------------------------------------------------------------------------
# send_from_directory and the static route


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """``static/`` and ``files/`` with a secret next to them; no symlinks anywhere."""
    root = tmp_path / "site"
    (root / "static" / "sub").mkdir(parents=True)
    (root / "files").mkdir()
    (root / "static-private").mkdir()
    (root / "static" / "hello.txt").write_text("hello")
    (root / "static" / "sub" / "a.txt").write_text("sub file")
    (root / "files" / "f.txt").write_text("file f")
    (root / "secret.txt").write_text("SECRET")
    (root / "static-private" / "key.txt").write_text("SECRET")
    assert not any(p.is_symlink() for p in root.rglob("*"))
    return root


def static_app(fw: Any, root: Path, merge_slashes: bool = True) -> Any:
    app = fw.Flask("security_static", static_folder=str(root / "static"), root_path=str(root))
    app.url_map.merge_slashes = merge_slashes

    @app.route("/files/<path:name>")
    def files(name: str) -> Any:
        return fw.send_from_directory(root / "files", name)

    @app.route("/rel")
    def relative() -> Any:
        # A directory relative to the app's root path, the name from the query.
        return fw.send_from_directory("files", fw.request.args["n"])

    return app


def escape_paths(root: Path) -> list[str]:
    secret = str(root / "secret.txt")
    return [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E/secret.txt",
        "/static/..%2fsecret.txt",
        "/static/..%2Fsecret.txt",
        "/static/.%2e/secret.txt",
        "/static/sub/../../secret.txt",
        "/static/sub/%2e%2e/%2e%2e/secret.txt",
        "/static/../static-private/key.txt",
        "/static/..",
        "/static/../",
        "/static/..\\secret.txt",
        "/static/..%5csecret.txt",
        "/static/\\..\\secret.txt",
        f"/static/{secret}",
        f"/static/{secret.replace('/', '%2f')}",
        "/static//etc/passwd",
        "/static/%2fetc/passwd",
        "/static/hello.txt\x00",
        "/static/hello.txt%00",
        "/static/hello.txt\x00.png",
        "/static/%00/../secret.txt",
        "/files/../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/..%2fsecret.txt",
        "/files/..",
        "/files/.",
        "/files/f.txt/../../secret.txt",
        f"/files/{secret}",
        "/files/..\\secret.txt",
        "/files/f.txt\x00",
    ]


SERVED = [
    ("/static/hello.txt", b"hello"),
    ("/static/./hello.txt", b"hello"),
    ("/static/sub/../hello.txt", b"hello"),
    ("/static/sub/a.txt", b"sub file"),
    ("/files/f.txt", b"file f"),
]


@pytest.mark.parametrize("merge_slashes", [True, False])
def test_path_converter_and_static_route_cannot_escape(core: Any, site: Path, merge_slashes: bool) -> None:
    apps = [static_app(fw, site, merge_slashes) for fw in FRAMEWORKS]
    mismatches, leaks = [], []
    for path in escape_paths(site):
        for path_info in {path, unquote(path)}:
            answers = [send(app, path_info) for app in apps]
            if answers[1] != answers[0]:
                mismatches.append((path_info, answers))
            answer = answers[1]
            if answer.status == 308:  # merged slashes: follow once
                location = answer.location or ""
                assert off_host(location, "localhost") is None, location
                answer = send(apps[1], unquote(urlsplit(location).path))
            if answer.status != 404 or b"SECRET" in answer.body:
                leaks.append((path_info, answer.status, answer.body[:40]))
    assert mismatches == []
    assert leaks == []
    for path, content in SERVED:
        answers = [send(app, path) for app in apps]
        assert answers[1] == answers[0], path
        assert (answers[1].status, answers[1].body) == (200, content), path


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "..",
        ".",
        "",
        "f.txt/../../secret.txt",
        "/etc/passwd",
        "//etc/passwd",
        "..\\secret.txt",
        "a\x00b",
        "f.txt\x00",
        "%2e%2e/secret.txt",
        "ABSOLUTE",
    ],
)
def test_send_from_directory_refuses_names_outside(core: Any, site: Path, name: str) -> None:
    if name == "ABSOLUTE":
        name = str(site / "secret.txt")
    answers = []
    for fw in FRAMEWORKS:
        app = static_app(fw, site)
        answers.append(app.test_client().get("/rel", query_string={"n": name}).status_code)
        with app.test_request_context("/"):
            with pytest.raises(NotFound):
                fw.send_from_directory(site / "files", name)
            with pytest.raises(NotFound):
                fw.send_from_directory(str(site / "static"), name)
    assert answers == [404, 404]


# ---------------------------------------------------------------------------
# TRUSTED_HOSTS and SERVER_NAME in the app


HOST_HEADERS = [
    "example.com",
    "example.com:8080",
    "example.com:80",
    "EXAMPLE.COM",
    "sub.example.org",
    "example.org",
    "xexample.org",
    "example.com.evil",
    "evil.example",
    "evil.example#example.com",
    "evil.example@example.com",
    "example.com@evil.example",
    "exa mple.com",
    "example.com:99999",
    "[::1]",
    "",
    "a" * 300,
    "api.example.com",
]

HOST_CONFIGS = {
    "trusted": {"TRUSTED_HOSTS": ["example.com", ".example.org"]},
    "trusted-str": {"TRUSTED_HOSTS": "example.com"},
    "server": {"SERVER_NAME": "example.com"},
    "server+trusted": {"SERVER_NAME": "example.com", "TRUSTED_HOSTS": ["example.com"]},
    "none": {},
}


def host_app(fw: Any, config: dict, **app_options: Any) -> Any:
    app = fw.Flask("security_hosts", static_folder=None, **app_options)
    app.config.update(config)

    @app.route("/")
    def index() -> str:
        return f"host={fw.request.host} url={fw.url_for('index', _external=True)}"

    @app.route("/b/")
    def branch() -> str:
        return "branch"

    if app_options.get("subdomain_matching"):

        @app.route("/", subdomain="api", endpoint="api")
        def api() -> str:
            return "api"

    return app


@pytest.mark.parametrize("subdomain_matching", [False, True])
@pytest.mark.parametrize("config_name", list(HOST_CONFIGS))
def test_trusted_hosts_and_server_name_like_flask(
    core: Any, config_name: str, subdomain_matching: bool
) -> None:
    config = HOST_CONFIGS[config_name]
    apps = [host_app(fw, config, subdomain_matching=subdomain_matching) for fw in FRAMEWORKS]
    trusted = config.get("TRUSTED_HOSTS")
    mismatches = []
    for host in HOST_HEADERS:
        for path in ("/", "/b", "//b"):
            answers = [send(app, path, host=host) for app in apps]
            if answers[1] != answers[0]:
                mismatches.append((host, path, answers))
            answer = answers[1]
            name = host.rpartition(":")[0] if host.rpartition(":")[2].isdigit() else host
            if trusted is not None:
                allowed = [trusted] if isinstance(trusted, str) else trusted
                ok = any(
                    name == h or (h.startswith(".") and (name == h[1:] or name.endswith(h))) for h in allowed
                )
                if not ok or host.endswith(":99999"):
                    assert answer.status == 400, (host, path, answer)
            if answer.location is not None:
                netloc = urlsplit(answer.location).netloc
                if "SERVER_NAME" in config:
                    assert netloc == "example.com", (host, answer.location)
                else:
                    assert off_host(answer.location, netloc) is None
                    assert netloc in ("", host.lower().removesuffix(":80")), (host, answer.location)
    assert mismatches == []


@pytest.mark.parametrize("config_name", ["trusted", "server", "none"])
def test_host_matching_app_host_checks_like_flask(core: Any, config_name: str) -> None:
    apps = []
    for fw in FRAMEWORKS:
        app = fw.Flask("security_host_matching", static_folder=None, host_matching=True)
        app.config.update(HOST_CONFIGS[config_name])
        app.add_url_rule("/", "main", lambda: "main", host="example.com")
        app.add_url_rule("/", "sub", lambda sub: f"sub={sub}", host="<sub>.example.org")
        app.add_url_rule("/b/", "b", lambda: "b", host="example.com")
        apps.append(app)
    for host in HOST_HEADERS:
        for path in ("/", "/b"):
            answers = [send(app, path, host=host) for app in apps]
            assert answers[1] == answers[0], (host, path)
            if answers[1].location is not None:
                assert urlsplit(answers[1].location).netloc == "example.com"


# ---------------------------------------------------------------------------
# Tampered session cookies


SECRET = "the right key"


def session_app(fw: Any, **config: Any) -> Any:
    app = fw.Flask("security_sessions", static_folder=None)
    app.secret_key = SECRET
    app.config.update(config)

    @app.route("/get")
    def get() -> Any:
        return {"session": dict(fw.session)}

    @app.route("/set")
    def set_() -> Any:
        fw.session["seen"] = fw.session.get("seen", 0) + 1
        return {"session": dict(fw.session)}

    return app


def serializer(key: str | bytes, salt: str = "cookie-session", digest: Any = hashlib.sha1) -> Any:
    return URLSafeTimedSerializer(
        key,
        salt=salt,
        serializer=TaggedJSONSerializer(),
        signer_kwargs={"key_derivation": "hmac", "digest_method": digest},
    )


GOOD_DATA = {"user": "alice", "admin": False}


def _aged_cookie(seconds: int) -> str:
    """A valid cookie whose timestamp is *seconds* in the past (negative: future)."""

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds

    s = serializer(SECRET)
    s.signer = Signer  # type: ignore[assignment]
    return s.dumps(GOOD_DATA)  # type: ignore[no-any-return]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def tampered_cookies() -> dict[str, str]:
    good = serializer(SECRET).dumps(GOOD_DATA)
    payload, stamp, sig = good.split(".")
    admin = _b64(b'{"admin":true,"user":"alice"}')
    return {
        "wrong key": serializer("another key").dumps({"user": "mallory", "admin": True}),
        "other salt": serializer(SECRET, salt="other-salt").dumps({"admin": True}),
        "sha256": serializer(SECRET, digest=hashlib.sha256).dumps({"admin": True}),
        "bytes key": serializer(SECRET.encode() + b"!").dumps({"admin": True}),
        "payload swapped": f"{admin}.{stamp}.{sig}",
        "signature dropped": f"{payload}.{stamp}",
        "signature empty": f"{payload}.{stamp}.",
        "stamp dropped": f"{payload}.{sig}",
        "unsigned": admin,
        "compressed marker": f".{good}",
        "truncated by one": good[:-1],
        "truncated to payload": payload,
        "doubled": good + good,
        "garbage base64": "!!!not*base64!!!",
        "base64 of random": f"{_b64(os.urandom(40))}.{_b64(os.urandom(4))}.{_b64(os.urandom(20))}",
        "dots": "...",
        "empty parts": "..",
        "non ascii": "é" + good,
        "huge": "A" * 4000 + "." + stamp + "." + sig,
        "expired": _aged_cookie(32 * 24 * 3600),
        "from the future": _aged_cookie(-3600),
        "nul": good[:10] + "\x00" + good[11:],
    }


def session_answer(app: Any, cookie: str | None, path: str = "/get") -> tuple[Any, ...]:
    client = app.test_client()
    if cookie is not None:
        client.set_cookie("session", cookie)
    response = client.get(path)
    return (
        response.status_code,
        response.get_json(),
        response.headers.get("Vary"),
        "session=" in response.headers.get("Set-Cookie", ""),
    )


@pytest.mark.parametrize("kind", list(tampered_cookies()))
def test_tampered_session_cookie_is_an_empty_session(core: Any, kind: str) -> None:
    cookie = tampered_cookies()[kind]
    apps = [session_app(fw) for fw in FRAMEWORKS]
    read = [session_answer(app, cookie) for app in apps]
    assert read[1] == read[0]
    assert read[1][:2] == (200, {"session": {}})
    # Writing after a tampered read starts from an empty session.
    written = [session_answer(app, cookie, "/set") for app in apps]
    assert written[1] == written[0]
    assert written[1][:2] == (200, {"session": {"seen": 1}})


def test_every_character_and_bit_flip_is_rejected(core: Any) -> None:
    good = serializer(SECRET).dumps(GOOD_DATA)
    apps = [session_app(fw) for fw in FRAMEWORKS]
    assert session_answer(apps[1], good)[:2] == (200, {"session": GOOD_DATA})
    variants = set()
    for i, char in enumerate(good):
        for other in ("A", "B", "_", "-", "."):
            if other != char:
                variants.add(good[:i] + other + good[i + 1 :])
    payload, stamp, sig = good.split(".")
    for part in range(3):
        pieces = [payload, stamp, sig]
        raw = base64.urlsafe_b64decode(pieces[part] + "=" * (-len(pieces[part]) % 4))
        for bit in range(len(raw) * 8):
            flipped = bytearray(raw)
            flipped[bit // 8] ^= 1 << (bit % 8)
            pieces_copy = list(pieces)
            pieces_copy[part] = _b64(bytes(flipped))
            variants.add(".".join(pieces_copy))
    variants.discard(good)
    accepted = []
    for cookie in sorted(variants):
        answers = [session_answer(app, cookie) for app in apps]
        assert answers[1] == answers[0], cookie
        if answers[1][1] != {"session": {}}:
            accepted.append((cookie, answers[1]))
    # base64 padding bits: a flip in the unused low bits of the last
    # character decodes to the same bytes, so the signature still holds.
    assert all(a[1][1] == {"session": GOOD_DATA} for a in accepted), accepted


def test_fallback_key_still_verifies_like_flask(core: Any) -> None:
    old = serializer("old key").dumps(GOOD_DATA)
    answers = [session_answer(session_app(fw, SECRET_KEY_FALLBACKS=["old key"]), old) for fw in FRAMEWORKS]
    assert answers[1] == answers[0]
    assert answers[1][:2] == (200, {"session": GOOD_DATA})


# ---------------------------------------------------------------------------
# Building URLs: values cannot add a query, a fragment, a scheme or a host


BUILD_VALUES = [
    "plain",
    "/",
    "a/b",
    "../x",
    "..",
    ".",
    "?",
    "a?b=c",
    "#",
    "a#frag",
    "%",
    "100%",
    "%2F",
    "%252F",
    "%zz",
    " ",
    "a b",
    "+",
    "a+b",
    "\r\n",
    "a\r\nSet-Cookie: x=1",
    "\t",
    "\x00",
    "\x7f",
    "é",
    "日本",
    "\u2028",
    "\U0001f600",
    "@evil.example",
    "//evil.example",
    "///evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "http://evil.example",
    "javascript:alert(1)",
    "a;b",
    "a&b=c",
    "a=b",
    "~",
    "'\"<>",
    "`{}|^[]",
]

BUILD_RULES: list[tuple[str, dict[str, Any]]] = [
    ("/s/<s>", {"endpoint": "s"}),
    ("/<s>", {"endpoint": "root_s"}),
    ("/s/<s>/end", {"endpoint": "s_end"}),
    ("/p/<path:p>", {"endpoint": "p"}),
    ("/<path:p>", {"endpoint": "root_p"}),
    ("/p/<path:p>/end", {"endpoint": "p_end"}),
    ("/a/<any(one, two):a>", {"endpoint": "a"}),
    ("/sub", {"endpoint": "sub", "subdomain": "<sd>"}),
]
BUILD_ENDPOINTS = [
    ("s", "s"),
    ("root_s", "s"),
    ("s_end", "s"),
    ("p", "p"),
    ("root_p", "p"),
    ("p_end", "p"),
    ("a", "a"),
]


def url_problems(url: str, query: dict[str, Any], external: bool) -> list[str]:
    """What is wrong with *url* if its values could change its structure."""
    problems = []
    parts = urlsplit(url)
    if external:
        if (parts.scheme, parts.netloc) != ("http", HOST):
            problems.append(f"scheme/netloc {parts.scheme!r} {parts.netloc!r}")
    elif parts.scheme or parts.netloc or url.startswith("//"):
        problems.append("scheme or netloc in a relative URL")
    if parts.fragment or "#" in url:
        problems.append("fragment")
    if any(ord(c) <= 32 or ord(c) >= 127 or c == "\\" for c in url):
        problems.append("unquoted character")
    got_query = parse_qs(parts.query, keep_blank_values=True)
    want_query = {k: [str(v)] for k, v in query.items()}
    if got_query != want_query:
        problems.append(f"query {got_query!r}")
    return problems


@pytest.mark.parametrize("external", [False, True])
def test_build_quotes_every_value_like_werkzeug(core: Any, external: bool) -> None:
    pair = both_maps(BUILD_RULES)
    adapters = [m.bind(HOST) for m in pair]
    mismatches, problems = [], []
    for endpoint, name in BUILD_ENDPOINTS:
        for value in BUILD_VALUES:
            for query in ({}, {"q": value}, {value: "v"}, {"next": value, "x": "1"}):
                if name in query:
                    continue
                values = {name: value, **query}
                results = [
                    outcome(lambda a=a, e=endpoint, v=values: a.build(e, dict(v), force_external=external))
                    for a in adapters
                ]
                if results[1] != results[0]:
                    mismatches.append((endpoint, values, results))
                if results[1][0] == "ok":
                    wrong = url_problems(results[1][1], query, external)
                    if wrong:
                        problems.append((endpoint, values, results[1][1], wrong))
    assert mismatches == []
    assert problems == []


def test_built_paths_match_back_like_werkzeug(core: Any) -> None:
    """Building then matching the decoded path gives werkzeug's answer: the
    same values back, except where werkzeug's own quoting lets ``/`` through."""
    pair = both_maps(BUILD_RULES)
    adapters = [m.bind(HOST) for m in pair]
    for endpoint, name in BUILD_ENDPOINTS[:6]:
        for value in BUILD_VALUES:
            results = []
            for a in adapters:
                built = outcome(lambda a=a, e=endpoint, v={name: value}: a.build(e, v))
                back = outcome(lambda a=a, b=built: a.match(unquote(b[1]))) if built[0] == "ok" else None
                results.append((built, back))
            assert results[1] == results[0], (endpoint, value)
    # The string converter keeps "/" (werkzeug's choice): a value can reach
    # another rule, never another host.
    assert adapters[1].build("s", {"s": "../x"}) == adapters[0].build("s", {"s": "../x"}) == "/s/../x"
    assert adapters[1].build("root_s", {"s": "//evil.example"}) == "/evil.example"


def test_build_subdomain_values_cannot_change_the_host(core: Any) -> None:
    pair = both_maps(BUILD_RULES)
    for value in ("api", "evil.example/", "evil.example#", "a@evil.example", "x:80", "a/b", "a?b"):
        results = [
            outcome(lambda m=m, v=value: m.bind(HOST).build("sub", {"sd": v}, force_external=True))
            for m in pair
        ]
        assert results[1] == results[0], value


def test_url_for_quotes_every_value_like_flask(core: Any) -> None:
    apps = []
    for fw in FRAMEWORKS:
        app = fw.Flask("security_url_for", static_folder=None)
        for rule, options in BUILD_RULES:
            app.add_url_rule(rule, view_func=lambda **kw: "", **options)
        apps.append((fw, app))
    mismatches, problems = [], []
    for endpoint, name in BUILD_ENDPOINTS:
        for value in BUILD_VALUES:
            for extra in ({}, {"q": value}, {"_anchor": value}, {"_external": True}):
                urls = []
                for fw, app in apps:
                    with app.test_request_context("/", base_url=f"http://{HOST}/"):
                        values = {name: value, **extra}
                        urls.append(outcome(lambda fw=fw, e=endpoint, v=values: fw.url_for(e, **v)))
                if urls[1] != urls[0]:
                    mismatches.append((endpoint, value, extra, urls))
                if urls[1][0] != "ok":
                    continue
                url = urls[1][1]
                if "_anchor" in extra:
                    # Flask keeps "#" and "?" in the fragment; nothing before it changes.
                    url, _, fragment = url.partition("#")
                    if any(ord(c) <= 32 for c in fragment):
                        problems.append((endpoint, value, urls[1][1], "unquoted fragment"))
                query = {"q": value} if "q" in extra else {}
                wrong = url_problems(url, query, "_external" in extra)
                if wrong:
                    problems.append((endpoint, value, extra, urls[1][1], wrong))
    assert mismatches == []
    assert problems == []
