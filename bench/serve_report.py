"""Requests/s through a real server: the benchmark app on Flask 3.1, on
fastroute's fast request path and on Falcon 4, driven by wrk on 127.0.0.1.

    python bench/serve_report.py                       # granian, 5 s per endpoint
    python bench/serve_report.py --server gunicorn --duration 3

The app is ``app_report.describe_app`` (a blueprint, app and blueprint hooks,
the session), served from ``bench/serve_app.py``.  Servers: granian (``--interface
wsgi``, one worker) or gunicorn (one gthread worker, for reference), each with
``--threads`` Python threads running the app (default 1).  One thread is how a
CPU-bound WSGI app is best served per worker: every request needs the GIL.
granian's default lets up to half its backpressure of blocking threads run a
WSGI app (63 threads in the worker under this 16-connection load); they
queue for the GIL and take it from each other, which costs each app a share
of its rate that grows with its time per request (``--threads 0`` shows it).
For each endpoint of ``app_report.CASES`` every app is served in turn (a fresh
server per app, a 1 s warm-up), and wrk sends that one request (method, body,
session cookie) for ``--duration`` seconds (at most 10) over ``--connections``
keep-alive connections.  A run whose answers have the wrong status class
(wrk's "Non-2xx" count) or socket errors is reported as failed.

The report gives requests/s per app and the ratios to Flask and to Falcon
(where Falcon has the endpoint), all from the same run.  The machine is
shared: compare ratios within one run, not numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import app_report  # noqa: E402

TARGETS = {
    "flask": "serve_app:flask_app",
    "fastroute": "serve_app:fastroute_app",
    "falcon": "serve_app:falcon_app",
    # what a response's shape costs the server (serve_app's doc); params only
    "wsgi-list": "serve_app:list_body_app",
    "wsgi-iter": "serve_app:iter_body_app",
    "wsgi-werkzeug": "serve_app:werkzeug_app",
}
DEFAULT_APPS = ("flask", "fastroute", "falcon")
SHAPE_APPS = ("wsgi-list", "wsgi-iter", "wsgi-werkzeug")
MAX_DURATION = 10.0


def free_port() -> int:
    """A loopback port nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0, path: str = "/") -> None:
    """Return once the server on *port* answers *path* (any status); raise if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as r:
                r.read()
            return
        except urllib.error.HTTPError:  # an answer: up
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start in time")


def server_command(
    server: str, target: str, port: int, workers: int = 1, threads: int | None = None
) -> list[str]:
    """The command line serving the WSGI app *target* (``module:name``) on *port*.

    *threads*: the Python threads running the app per worker (granian's
    ``--blocking-threads``, gunicorn's ``--threads``); ``None`` is the
    server's default for granian (one per two requests it lets in at once:
    hundreds) and 4 for gunicorn.
    """
    if server == "granian":
        blocking = [] if threads is None else ["--blocking-threads", str(threads)]
        return [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", str(workers), *blocking,
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-ws", target,
        ]  # fmt: skip
    if server == "gunicorn":
        return [
            sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "gthread",
            "--threads", str(4 if threads is None else threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "--keep-alive", "5", target,
        ]  # fmt: skip
    raise ValueError(f"unknown server {server!r}")


def start_server(
    server: str, target: str, pythonpath: Path, workers: int = 1, threads: int | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start *server* on a free port with *pythonpath* first on ``PYTHONPATH``."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(pythonpath), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen(
        server_command(server, target, port, workers, threads),
        env=env, cwd=pythonpath, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    return proc, port


def stop_server(name: str, proc: subprocess.Popen[bytes]) -> None:
    """Stop the server we started (this process only); show its tracebacks."""
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    if err and b"Traceback" in err:
        print(f"{name}: server errors:\n{err.decode(errors='replace')[-2000:]}", file=sys.stderr)


def run_wrk(
    port: int, script: Path, duration: float, threads: int, connections: int, path: str = ""
) -> dict[str, t.Any]:
    """One wrk run; requests/s, totals and error counts parsed from its output."""
    out = subprocess.run(
        [
            "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, int(duration))}s", "--latency",
            "-s", str(script), f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True, text=True, timeout=duration + 60, check=True,
    ).stdout  # fmt: skip
    result: dict[str, t.Any] = {"raw": out}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result["requests_per_s"] = float(rps.group(1)) if rps else 0.0
    total = re.search(r"(\d+) requests in", out)
    result["requests"] = int(total.group(1)) if total else 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = sum(int(g) for g in socket_errors.groups()) if socket_errors else 0
    for tag in ("CHECK", "LAT", "ERR"):
        line = re.search(rf"^{tag} (.*)$", out, re.M)
        for key, value in re.findall(r"(\w+)=(\d+)", line.group(1) if line else ""):
            result[f"{tag.lower()}_{key}"] = int(value)
    return result


def wrk_missing() -> bool:
    """Say so (on stderr) when wrk is not installed."""
    if shutil.which("wrk") is None:
        print("wrk not found: install the Debian package 'wrk'", file=sys.stderr)
        return True
    return False


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def case_script(case: app_report.Case, cookie: str) -> str:
    """A wrk script sending *case*'s request."""
    lines = [f"wrk.method = {_lua_string(case.method)}", f"wrk.path = {_lua_string(case.path)}"]
    if case.body:
        lines.append(f"wrk.body = {_lua_string(case.body.decode())}")
        lines.append("wrk.headers['Content-Type'] = 'application/json'")
    if case.cookie:
        lines.append(f"wrk.headers['Cookie'] = {_lua_string(cookie)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per endpoint and app (max 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="Python threads running the app per worker (granian --blocking-threads, gunicorn "
        "--threads); 0: the server's default (granian: up to half its backpressure; gunicorn here: 4)",
    )
    parser.add_argument(
        "--apps", default=",".join(DEFAULT_APPS), help="comma-separated: " + ", ".join(TARGETS)
    )
    parser.add_argument("--cases", default=",".join(app_report.CASES), help="comma-separated endpoints")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    args.duration = min(args.duration, MAX_DURATION)
    if wrk_missing():
        return 2
    apps = [a.strip() for a in args.apps.split(",") if a.strip()]
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    cookie = app_report.session_cookie()
    results: dict[str, dict[str, dict[str, t.Any]]] = {}
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for app in apps:
            proc, port = start_server(args.server, TARGETS[app], HERE, threads=args.threads or None)
            try:
                wait_ready(port, proc)
                for case_name in cases:
                    if app == "falcon" and case_name not in app_report.FALCON_CASES:
                        continue
                    if app in SHAPE_APPS and case_name != "params":
                        continue
                    case = app_report.CASES[case_name]
                    script = Path(tmp) / f"{case_name}.lua"
                    script.write_text(case_script(case, cookie))
                    run_wrk(port, script, 1, 1, 4)  # warm-up
                    r = run_wrk(port, script, args.duration, args.wrk_threads, args.connections)
                    r["server_alive"] = proc.poll() is None
                    expect_error = case.status >= 400
                    r["ok"] = (
                        r["requests"] > 0
                        and r["socket_errors"] == 0
                        and r["server_alive"]
                        and (r["non_2xx"] == r["requests"] if expect_error else r["non_2xx"] == 0)
                    )
                    failed |= not r["ok"]
                    results.setdefault(case_name, {})[app] = r
                    print(f"{args.server} {app:10} {case_name:10} {r['requests_per_s']:>10,.0f} req/s"
                          f"{'' if r['ok'] else '  FAILED'}", flush=True)  # fmt: skip
            finally:
                stop_server(app, proc)
    print(
        f"\n{args.server} (one worker, {args.threads or 'default'} thread(s)), wrk {args.wrk_threads} thread(s), {args.connections} connections, "
        f"{args.duration:.0f} s per endpoint; requests/s"
    )
    widths = {a: max(12, len(a) + 2) for a in apps}
    print(f"{'case':10}" + "".join(f"{a:>{widths[a]}}" for a in apps) + "   fastroute vs flask | vs falcon")
    for case_name, row in results.items():
        line = f"{case_name:10}" + "".join(
            f"{row[a]['requests_per_s']:>{widths[a]},.0f}" if a in row else f"{'-':>{widths[a]}}"
            for a in apps
        )
        fr = row.get("fastroute", {}).get("requests_per_s")
        if fr and "flask" in row:
            line += f"   {fr / row['flask']['requests_per_s']:6.2f}x"
        if fr and "falcon" in row:
            line += f" | {fr / row['falcon']['requests_per_s']:5.2f}x"
        print(line)
    if args.json:
        args.json.write_text(json.dumps(
            {c: {a: {k: v for k, v in r.items() if k != "raw"} for a, r in row.items()} for c, row in results.items()},
            indent=2,
        ))  # fmt: skip
    print(
        "\nFAILED: wrong status, socket errors or a dead server"
        if failed
        else "\nall runs answered as expected"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
