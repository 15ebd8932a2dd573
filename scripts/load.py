"""A real server under load: gunicorn serving a fastroute app and Flask apps
of the same shape, driven by wrk, side by side.

    python scripts/load.py                 # 10 s per app
    python scripts/load.py --duration 30 --json load.json

Each app (``scripts/load_app.py``: the GitHub API table, 90% hits and 10%
404/405 requests) runs under gunicorn with 2 gthread workers (or granian,
``--server granian``; servers are started by ``bench/serve_report.py``) on a free
loopback port.  wrk (Debian package ``wrk``) sends the same request mix to
each in turn; its Lua hooks check every response: the status, and for a hit
the body, must be what Flask's test client answered for that request before
the run (responses name their request in ``X-Method``/``X-Path``).  The report
gives requests/s, latency percentiles, socket errors, and answers checked and
wrong, per app; the exit status is 1 if any answer was wrong, any socket error
occurred, or a server failed.

Runs are bounded: at most 30 s of load per app, and every child process is
stopped in ``finally``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import typing as t
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bench"))

from serve_report import run_wrk, start_server, stop_server, wait_ready, wrk_missing  # noqa: E402

APPS = {
    "fastroute": "load_app:fastroute_app",
    "flask": "load_app:flask_app",
    "flask+fastroute Map": "load_app:flask_fastroute_app",
}
MAX_DURATION = 30.0


def requests_and_answers(
    count: int, seed: int
) -> tuple[list[tuple[str, str]], dict[str, tuple[int, str | None]]]:
    """The request mix and, per ``"METHOD path"``, the status and (for 200)
    the body that Flask answers."""
    sys.path.insert(0, str(HERE))
    import load_app
    from fastroute.bench.tables import case_requests

    mix = case_requests(load_app.TABLE, "mix", count, seed)
    reference = load_app.flask_app.test_client()
    answers: dict[str, tuple[int, str | None]] = {}
    for req in mix:
        response = reference.open(req.path, method=req.method)
        body = response.get_data(as_text=True) if response.status_code == 200 else None
        answers[f"{req.method} {req.path}"] = (response.status_code, body)
    requests = [(req.method, req.path) for req in mix]
    random.Random(seed).shuffle(requests)
    return requests, answers


def _lua_string(text: str) -> str:
    """A Lua string literal of *text*'s UTF-8 bytes (3-digit decimal escapes)."""
    safe = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /-_.,()[]:"
    return "'" + "".join(chr(b) if b in safe else f"\\{b:03d}" for b in text.encode()) + "'"


def lua_script(requests: list[tuple[str, str]], answers: dict[str, tuple[int, str | None]]) -> str:
    reqs = ",\n".join(f"{{{_lua_string(m)}, {_lua_string(p)}}}" for m, p in requests)
    expect = ",\n".join(
        f"[{_lua_string(key)}] = {{{status}, {'nil' if body is None else _lua_string(body)}}}"
        for key, (status, body) in answers.items()
    )
    return f"""
local reqs = {{
{reqs}
}}
local expect = {{
{expect}
}}
local threads = {{}}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  i = (id * 7919) % #reqs
  checked = 0
  wrong = 0
  unknown = 0
end

function request()
  i = i % #reqs + 1
  return wrk.format(reqs[i][1], reqs[i][2])
end

function response(status, headers, body)
  checked = checked + 1
  local key = (headers["X-Method"] or "?") .. " " .. (headers["X-Path"] or "?")
  local want = expect[key]
  if want == nil then
    unknown = unknown + 1
    wrong = wrong + 1
  elseif want[1] ~= status or (want[2] ~= nil and want[2] ~= body) then
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local c, w, u = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("checked")
    w = w + thread:get("wrong")
    u = u + thread:get("unknown")
  end
  io.write(string.format("CHECK checked=%d wrong=%d unknown=%d\\n", c, w, u))
  io.write(string.format("LAT p50=%d p90=%d p99=%d max=%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
  io.write(string.format("ERR connect=%d read=%d write=%d status=%d timeout=%d\\n",
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
"""


def serve_and_load(name: str, target: str, script: Path, args: argparse.Namespace) -> dict[str, t.Any]:
    server, port = start_server(args.server, target, HERE, args.workers, args.threads)
    try:
        wait_ready(port, server)
        run_wrk(port, script, 1, 1, 4)  # warm-up: imports, first compile of the map
        result = run_wrk(port, script, args.duration, args.wrk_threads, args.connections)
        result["server_alive"] = server.poll() is None
        return result
    finally:
        stop_server(name, server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per app (max 30)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--requests", type=int, default=2000, help="distinct requests in the mix")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--apps", default=",".join(APPS), help="comma-separated: " + ", ".join(APPS))
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    args.duration = min(args.duration, MAX_DURATION)
    if wrk_missing():
        return 2
    names = [n.strip() for n in args.apps.split(",") if n.strip()]
    unknown = [n for n in names if n not in APPS]
    if unknown:
        parser.error(f"unknown app(s): {unknown}")
    requests, answers = requests_and_answers(args.requests, args.seed)
    results: dict[str, dict[str, t.Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "check.lua"
        script.write_text(lua_script(requests, answers))
        for name in names:
            print(f"loading {name} for {args.duration:.0f} s ...", flush=True)
            results[name] = serve_and_load(name, APPS[name], script, args)
    failed = False
    print(
        f"\n{args.server} {args.workers} workers (gunicorn: gthread x {args.threads} threads); wrk {args.wrk_threads} threads, "
        f"{args.connections} connections, {args.duration:.0f} s; {len(requests)} distinct requests "
        "(GitHub API table, 90% hits, 5% 404, 5% 405)\n"
    )
    header = f"{'app':<22}{'req/s':>10}{'ratio':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'checked':>10}{'wrong':>7}{'errors':>8}"
    print(header)
    base = results.get("flask", {}).get("requests_per_s")
    for name, r in results.items():
        # wrk counts 4xx answers as "status" errors; those are checked above.
        errors = sum(v for k, v in r.items() if k.startswith("err_") and k != "err_status")
        wrong = r.get("check_wrong", -1)
        ratio = f"{r['requests_per_s'] / base:.2f}x" if base else "-"
        print(
            f"{name:<22}{r['requests_per_s']:>10,.0f}{ratio:>8}{r.get('lat_p50', 0) / 1000:>9.2f}"
            f"{r.get('lat_p90', 0) / 1000:>9.2f}{r.get('lat_p99', 0) / 1000:>9.2f}"
            f"{r.get('check_checked', 0):>10,}{wrong:>7}{errors:>8}"
        )
        if wrong != 0 or errors or not r.get("server_alive") or r.get("check_checked", 0) == 0:
            failed = True
    if args.json:
        args.json.write_text(
            json.dumps(
                {k: {kk: vv for kk, vv in v.items() if kk != "raw"} for k, v in results.items()}, indent=2
            )
        )
    print(
        "\nFAILED: wrong answers, errors or a dead server" if failed else "\nall answers correct, no errors"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
