#!/usr/bin/env python3
"""Session cookie cost per request: Flask's interface against fastroute's.

    python bench/session_report.py [--repeat N] [--number N]

Each case runs the session interface as Flask's request path does, in a
pushed request context carrying a session cookie: ``open_session`` on the
request, then (for the write cases) a changed value, then ``save_session``
on a fresh response.  The session holds a few values (a user id, a name, a
40-character token, a flag, a short list).  Cases:

- ``read``: open and save a session that was only read (no Set-Cookie);
- ``read+write``: open, change one value, save (a new signed cookie);
- ``new write``: no cookie yet, set the values, save;
- ``loads`` / ``dumps``: the signing serializer alone (verify+decode,
  encode+sign), and ``get_signing_serializer`` alone;
- ``response()``: building the empty response each cycle uses, for scale.

Samples of the two interfaces are interleaved so that a busy machine slows
them alike, and are timed with this process's CPU clock
(``time.process_time``) so that time spent descheduled is not counted
(``--wall`` uses ``time.perf_counter``); the median (and min) per operation
is shown with the ratio Flask / fastroute.  Speed is reported, never asserted.

Note: ``zlib.compress`` (which itsdangerous calls on every signed payload, to
keep it if shorter) allocates about 260 KB of state per call; when glibc
gives that memory back to the system after each call, every call pays for
fresh pages (tens of microseconds), otherwise a few.  Both interfaces pay it
alike; run with ``MALLOC_TRIM_THRESHOLD_=100000000`` to see the steady-state
figure.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import statistics
import sys
import time
import timeit
import typing as t
from pathlib import Path

try:
    import fastroute  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import flask
from flask.sessions import SecureCookieSessionInterface as FlaskInterface

from fastroute.sessions import SecureCookieSessionInterface as FastInterface

CONTENTS = {
    "user_id": 42,
    "name": "alice",
    "csrf_token": "5f2b9c0e7a1d4e8f9b3c6a2d0e1f4a7b8c9d0e1f",
    "_fresh": True,
    "cart": [3, 14, 15],
}


def make_app() -> flask.Flask:
    app = flask.Flask("session_report")
    app.secret_key = "a-long-random-secret-key-for-the-report"
    return app


def cases(app: flask.Flask, iface: t.Any) -> dict[str, t.Callable[[], object]]:
    """The timed callables for one interface; each expects the request context pushed."""
    req = flask.request._get_current_object()  # type: ignore[attr-defined]
    response_class = app.response_class
    open_session, save_session = iface.open_session, iface.save_session

    def read() -> object:
        session = open_session(app, req)
        session["user_id"]
        return save_session(app, session, response_class())

    def read_write() -> object:
        session = open_session(app, req)
        session["cart"] = [3, 14, 16]
        return save_session(app, session, response_class())

    empty_req = app.test_request_context().request

    def new_write() -> object:
        session = open_session(app, empty_req)
        session.update(CONTENTS)
        return save_session(app, session, response_class())

    signer = iface.get_signing_serializer(app)
    cookie = signer.dumps(CONTENTS)

    return {
        "read": read,
        "read+write": read_write,
        "new write": new_write,
        "loads": lambda: signer.loads(cookie, max_age=3600),
        "dumps": lambda: signer.dumps(CONTENTS),
        "get_signing_serializer": lambda: iface.get_signing_serializer(app),
        "response()": response_class,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=15, help="samples per case")
    parser.add_argument("--number", type=int, default=2000, help="calls per sample")
    parser.add_argument("--wall", action="store_true", help="time with the wall clock")
    args = parser.parse_args()
    timer = time.perf_counter if args.wall else time.process_time

    app = make_app()
    impls = {"flask": FlaskInterface(), "fastroute": FastInterface()}
    with app.test_request_context():
        cookie = impls["flask"].get_signing_serializer(app).dumps(CONTENTS)
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        timed = {name: cases(app, iface) for name, iface in impls.items()}
        # Same cookie bytes from both, as a sanity check of what is timed.
        flask_cookie = timed["flask"]["dumps"]()
        fast_cookie = timed["fastroute"]["dumps"]()
        assert flask_cookie.rsplit(".", 2)[0] == fast_cookie.rsplit(".", 2)[0]
        samples: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for case in timed["flask"]:
                for name in impls:
                    seconds = timeit.timeit(timed[name][case], timer=timer, number=args.number)
                    samples.setdefault((case, name), []).append(seconds / args.number * 1e6)

    versions = ", ".join(f"{pkg} {importlib.metadata.version(pkg)}" for pkg in ("flask", "itsdangerous"))
    print(
        f"# Session cookie cost per operation ({platform.python_implementation()} "
        f"{platform.python_version()}, {versions})"
    )
    clock = "wall clock" if args.wall else "process CPU time"
    print(f"# median (min) of {args.repeat} samples x {args.number} calls, microseconds of {clock}\n")
    print(f"{'case':24} {'flask':>17} {'fastroute':>17} {'ratio':>7}")
    for case in timed["flask"]:
        flask_s, fast_s = samples[(case, "flask")], samples[(case, "fastroute")]
        fm, qm = statistics.median(flask_s), statistics.median(fast_s)
        print(f"{case:24} {fm:9.2f} ({min(flask_s):5.2f}) {qm:9.2f} ({min(fast_s):5.2f}) {fm / qm:6.1f}x")


if __name__ == "__main__":
    main()
