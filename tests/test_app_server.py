"""The app under real servers: gunicorn (sync and gthread workers) and ``python -m fastroute run``,
plus ``python -m fastroute routes``.

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
import typing as t

import pytest

import fastroute

# The servers import the fastroute under test, the one this process imported
# (an installed build, or src/ of a checkout), never a source tree beside tests/.
SRC = str(pathlib.Path(fastroute.__file__).resolve().parent.parent)

APP_SOURCE = """
from fastroute import Flask, jsonify, request, session, abort

app = Flask(__name__)
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
"""


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


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, env.get("PYTHONPATH", "")) if p)
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


@pytest.mark.parametrize("worker", ["sync", "gthread"])
def test_gunicorn(app_dir: pathlib.Path, worker: str) -> None:
    pytest.importorskip("gunicorn")
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--worker-class",
        worker,
        "--threads",
        "2",
        "--timeout",
        "30",
        "--graceful-timeout",
        "2",
        "serverapp:app",
    ]
    proc = subprocess.Popen(cmd, cwd=app_dir, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_ready(port, proc)
        _check_all(port)
        _check_bad_input(port)
        _check_all(port)
    finally:
        _stop(proc)


def test_cli_run(app_dir: pathlib.Path) -> None:
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "fastroute",
        "run",
        "serverapp:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-reload",
    ]
    proc = subprocess.Popen(cmd, cwd=app_dir, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_ready(port, proc)
        _check_all(port)
        assert _request(port, "GET", "/raise")[0] == 500
        assert _request(port, "GET", "/")[0] == 200
    finally:
        _stop(proc)


def test_cli_routes(app_dir: pathlib.Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "fastroute", "routes", "serverapp"],
        cwd=app_dir,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    lines = out.splitlines()
    assert lines[0].split() == ["Endpoint", "Methods", "Rule"]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert set(rows) == {"index", "post", "post_json", "post_form", "count", "cookie", "boom", "static"}
    assert rows["post"].split()[-1] == "/users/<int:user_id>/posts/<slug>"
    assert "POST" in rows["post_json"]
    by_rule = subprocess.run(
        [sys.executable, "-m", "fastroute", "routes", "serverapp.py", "--sort", "rule", "--all-methods"],
        cwd=app_dir,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    assert by_rule[2].split()[-1] == "/" and "OPTIONS" in by_rule[2]
    bad = subprocess.run(
        [sys.executable, "-m", "fastroute", "routes", "no_such_module"],
        cwd=app_dir,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "Error" in bad.stderr


def test_cli_parser_is_extensible() -> None:
    from fastroute import cli

    called: list[t.Any] = []
    saved = dict(cli.COMMANDS)
    try:
        cli.register_command(
            "hello",
            "say hello",
            lambda p: p.add_argument("--n", type=int),
            lambda args: called.append(args.n) or 0,
        )
        assert cli.main(["hello", "--n", "3"]) == 0 and called == [3]
    finally:
        cli.COMMANDS.clear()
        cli.COMMANDS.update(saved)
