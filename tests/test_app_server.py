"""``fastroute.Flask`` under real servers: gunicorn (sync and gthread workers, ``module:app`` and
``'module:create_app()'``), granian (a WSGI worker, ``--factory``) and Flask's own ``flask run``,
plus ``flask routes``.

The same app code runs on ``flask.Flask`` and on ``fastroute.Flask`` under the
same server, and the answers must be the same (status, headers but ``Date``
and ``Server``, body).

Servers listen only on 127.0.0.1 on a free port, every test sends a bounded
number of requests and the server process is always stopped in ``finally``.
Bad input (garbage request lines and paths, bad percent-encoding, invalid
JSON, huge headers, bad cookies, a view that raises) must get a proper 4xx/5xx
answer, and the server must keep serving afterwards.
"""

from __future__ import annotations

import http.client
import json
import os
import pathlib
import socket
import subprocess
import sys
import time

import pytest

import fastroute

# The servers import the fastroute under test, the one this process imported
# (an installed build, or src/ of a checkout), never a source tree beside tests/.
SRC = str(pathlib.Path(fastroute.__file__).resolve().parent.parent)

# The same app code on either class: SERVERAPP_FLASK=flask serves it on
# flask.Flask, anything else on fastroute.Flask.
APP_SOURCE = """
import os

import flask

from fastroute import Flask, abort, jsonify, request, session

if os.environ.get("SERVERAPP_FLASK") == "flask":
    Flask = flask.Flask


def create_app(name=__name__):
    app = Flask(name)
    app.config["SECRET_KEY"] = "server-test"

    @app.route("/")
    def index():
        return "Hello, World!"

    @app.route("/users/<int:user_id>/posts/<slug>")
    def post(user_id, slug):
        return {"user": user_id, "slug": slug}

    @app.post("/json")
    def post_json():
        return jsonify(received=request.get_json())

    @app.post("/form")
    def post_form():
        return {"form": request.form.to_dict()}

    @app.route("/count")
    def count():
        session["n"] = session.get("n", 0) + 1
        return {"n": session["n"]}

    @app.route("/cookie")
    def cookie():
        return {"c": request.cookies.get("c")}

    @app.route("/raise")
    def boom():
        raise RuntimeError("view failed")

    @app.route("/gone")
    def gone():
        abort(410)

    return app


app = create_app()
"""

# Requests whose answers must be the same on both classes, under one server.
TRANSCRIPT: list[tuple[str, str, bytes | None, dict[str, str]]] = [
    ("GET", "/", None, {}),
    ("HEAD", "/", None, {}),
    ("OPTIONS", "/", None, {}),
    ("POST", "/", None, {}),
    ("GET", "/static/hello.txt", None, {}),
    ("GET", "/static/missing.txt", None, {}),
    ("GET", "/users/7/posts/hi%20there", None, {}),
    ("GET", "/users/x/posts/y", None, {}),
    ("GET", "/nope", None, {}),
    ("GET", "/gone", None, {}),
    ("GET", "/raise", None, {}),
    ("POST", "/json", b'{"a": [1, 2]}', {"Content-Type": "application/json"}),
    ("POST", "/json", b"{broken", {"Content-Type": "application/json"}),
    ("POST", "/form", b"x=1&y=two", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("GET", "/count", None, {}),
    ("GET", "/count", None, {"Cookie": "session=eyJuIjo0MX0.bad.signature"}),
    ("GET", "/cookie", None, {"Cookie": "c=v"}),
    ("GET", "/users/1/posts/a//b", None, {}),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"server exited early ({proc.returncode}): {out}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start in time")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _env(flask_class: str = "fastroute") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, env.get("PYTHONPATH", "")) if p)
    env["SERVERAPP_FLASK"] = flask_class
    return env


def _request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def _raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


@pytest.fixture
def app_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "serverapp.py").write_text(APP_SOURCE)
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "hello.txt").write_text("static hello\n")
    return tmp_path


def _check_all(port: int) -> None:
    status, headers, body = _request(port, "GET", "/")
    assert (status, body) == (200, b"Hello, World!")
    assert headers["content-type"] == "text/html; charset=utf-8"
    status, headers, body = _request(port, "GET", "/static/hello.txt")
    assert (status, body) == (200, b"static hello\n")
    assert headers["content-type"].startswith("text/plain")
    assert _request(port, "GET", "/static/missing.txt")[0] == 404
    status, _, body = _request(port, "GET", "/users/7/posts/hi%20there")
    assert status == 200 and json.loads(body) == {"user": 7, "slug": "hi there"}
    assert _request(port, "GET", "/nope")[0] == 404
    status, headers, _ = _request(port, "POST", "/")
    assert status == 405 and set(headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    status, _, body = _request(port, "POST", "/json", b'{"a": [1, 2]}', {"Content-Type": "application/json"})
    assert status == 200 and json.loads(body) == {"received": {"a": [1, 2]}}
    status, _, body = _request(
        port, "POST", "/form", b"x=1&y=two", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 200 and json.loads(body) == {"form": {"x": "1", "y": "two"}}
    # the session cookie round trip
    status, headers, body = _request(port, "GET", "/count")
    assert json.loads(body) == {"n": 1}
    cookie = headers["set-cookie"].split(";")[0]
    status, headers, body = _request(port, "GET", "/count", headers={"Cookie": cookie})
    assert json.loads(body) == {"n": 2}
    assert _request(port, "GET", "/cookie", headers={"Cookie": "c=v"})[2] == b'{"c":"v"}\n'


def _check_bad_input(port: int) -> None:
    def still_serving() -> None:
        assert _request(port, "GET", "/")[0] == 200

    assert _request(port, "GET", "/%zz%")[0] == 404
    assert _request(port, "GET", "/users/%ff%fe/posts/%c3%28")[0] == 404
    status, _, body = _request(port, "POST", "/json", b"{broken", {"Content-Type": "application/json"})
    assert status == 400 and b"Bad Request" in body
    assert _request(port, "POST", "/json", b"[]", {"Content-Type": "text/plain"})[0] == 415
    # a malformed cookie header: the app ignores the junk (the server may reject the control character)
    assert _request(port, "GET", "/cookie", headers={"Cookie": 'c=\x7f"\\;;;=;session=garbage'})[0] in (
        200,
        400,
    )
    assert _request(port, "GET", "/cookie", headers={"Cookie": ';;;=;c="unterminated;session=...'})[0] == 200
    status, _, body = _request(port, "GET", "/count", headers={"Cookie": "session=not.a.valid.cookie"})
    assert status == 200 and json.loads(body) == {"n": 1}
    status, _, body = _request(port, "GET", "/raise")
    assert status == 500 and b"Internal Server Error" in body
    still_serving()
    # huge header: rejected by the server with a 4xx (or the connection is closed), never a hang
    reply = _raw(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
    assert reply == b"" or reply.split(b" ", 2)[1].startswith(b"4")
    still_serving()
    # garbage request line and path
    for garbage in (
        b"\x00\x01\x02 garbage\r\n\r\n",
        b"GET nothing-like-a-path HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    ):
        reply = _raw(port, garbage)
        assert reply == b"" or reply.split(b" ", 2)[1][:1] in (b"4", b"2")
        still_serving()
    status, _, _ = _request(port, "GET", "/" + "a/" * 2000)
    assert status in (404, 414, 400)
    still_serving()


def _transcript(port: int) -> list[tuple[int, dict[str, str], bytes]]:
    """The answers to TRANSCRIPT (Date and Server dropped: they differ by
    time and by nothing else; Allow as a set: werkzeug lists the methods in
    set order, which changes with the hash seed from process to process;
    a session cookie by its payload: its timestamp and signature change with
    the second it was made)."""
    answers = []
    for method, path, body, headers in TRANSCRIPT:
        status, got, data = _request(port, method, path, body, headers)
        got.pop("date", None)
        got.pop("server", None)
        if "allow" in got:
            got["allow"] = ", ".join(sorted(got["allow"].split(", ")))
        if "set-cookie" in got:
            value, _, attributes = got["set-cookie"].partition(";")
            got["set-cookie"] = f"{value.split('.')[0]};{attributes}"
        answers.append((status, got, data))
    return answers


def _gunicorn(
    app_dir: pathlib.Path, worker: str, target: str, flask_class: str
) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    cmd = [
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
        "--worker-class", worker, "--threads", "2", "--timeout", "30", "--graceful-timeout", "2", target,
    ]  # fmt: skip
    env = _env(flask_class)
    proc = subprocess.Popen(cmd, cwd=app_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc, port


@pytest.mark.parametrize(
    ("worker", "target"), [("sync", "serverapp:app"), ("gthread", "serverapp:create_app()")]
)
def test_gunicorn(app_dir: pathlib.Path, worker: str, target: str) -> None:
    pytest.importorskip("gunicorn")
    answers = {}
    for flask_class in ("flask", "fastroute"):
        proc, port = _gunicorn(app_dir, worker, target, flask_class)
        try:
            _wait_ready(port, proc)
            answers[flask_class] = _transcript(port)
            if flask_class == "fastroute":
                _check_all(port)
                _check_bad_input(port)
                _check_all(port)
        finally:
            _stop(proc)
    assert answers["fastroute"] == answers["flask"]


def test_granian(app_dir: pathlib.Path) -> None:
    pytest.importorskip("granian")  # in the test extra; absent only where it has no wheel
    answers = {}
    for flask_class in ("flask", "fastroute"):
        port = _free_port()
        cmd = [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--factory", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--blocking-threads", "2", "serverapp:create_app",
        ]  # fmt: skip
        proc = subprocess.Popen(
            cmd, cwd=app_dir, env=_env(flask_class), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            _wait_ready(port, proc)
            answers[flask_class] = _transcript(port)
            if flask_class == "fastroute":
                _check_all(port)
        finally:
            _stop(proc)
    assert answers["fastroute"] == answers["flask"]


def _flask_cli(
    app_dir: pathlib.Path, *args: str, flask_class: str = "fastroute"
) -> subprocess.CompletedProcess[str]:
    """``python -m flask ARGS`` (Flask's own command line) in *app_dir*."""
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=app_dir, env=_env(flask_class), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_flask_run_serves_a_fastroute_app(app_dir: pathlib.Path) -> None:
    port = _free_port()
    cmd = [
        sys.executable, "-m", "flask", "--app", "serverapp:create_app()", "run",
        "--host", "127.0.0.1", "--port", str(port), "--no-reload",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=app_dir, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_ready(port, proc)
        _check_all(port)
        assert _request(port, "GET", "/raise")[0] == 500
        assert _request(port, "GET", "/")[0] == 200
    finally:
        _stop(proc)
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    assert "Serving Flask app 'serverapp:create_app()'" in out


@pytest.mark.parametrize("args", [(), ("--sort", "rule"), ("--sort", "methods", "--all-methods")])
def test_flask_routes_lists_a_fastroute_app_as_flask_does(
    app_dir: pathlib.Path, args: tuple[str, ...]
) -> None:
    ours = _flask_cli(app_dir, "--app", "serverapp", "routes", *args)
    theirs = _flask_cli(app_dir, "--app", "serverapp", "routes", *args, flask_class="flask")
    assert ours.returncode == theirs.returncode == 0, ours.stderr + theirs.stderr
    assert ours.stdout == theirs.stdout
    assert "/users/<int:user_id>/posts/<slug>" in ours.stdout


def test_flask_routes_of_a_missing_module(app_dir: pathlib.Path) -> None:
    bad = _flask_cli(app_dir, "--app", "no_such_module", "routes")
    assert bad.returncode == 2 and "Could not import 'no_such_module'" in bad.stderr
