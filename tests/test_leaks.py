"""Leaks and reference cycles: the checks of ``scripts/leaks.py`` with small counts.

The workloads and the measuring are in ``tests/support/leakcheck.py``.  Matching
runs on both matcher cores (the ``core`` fixture); the app and the context
locals use the process's cores (CI runs the suite once more with
``FASTROUTE_NO_EXTENSIONS=1``).

The bounds are far below what a leak of one object per operation would
add (the harness self-tests below show that such leaks are caught) and far
above the noise of the bounded caches (host names) after the warm-up.
Nothing here asserts on time.

``fastroute.Flask`` is Flask: where Flask's own request handling leaves
objects in reference cycles (an exception's traceback holds the frames that
hold the exception), so does it.  The request checks compare with
``flask.Flask`` running the same workload: fastroute's app may leave no more
cycle garbage than Flask for any kind of request, and none at all for a
kind where Flask leaves only what its werkzeug router does.
"""

from __future__ import annotations

import gc
import io
import sys
import typing as t

import flask
import pytest

import fastroute.routing as fr
from fastroute import Flask, abort, has_app_context, has_request_context
from tests.support import leakcheck

KiB = 1 << 10


def _problems(report: leakcheck.Report) -> str:
    return leakcheck.format_report(report)


@pytest.fixture(autouse=True)
def _no_context_before_or_after() -> t.Iterator[None]:
    assert not has_request_context() and not has_app_context()
    yield
    assert not has_request_context() and not has_app_context()


# --------------------------------------------------------------------------
# matching and building


def test_matches_and_builds_leak_nothing(core: t.Any) -> None:
    m = leakcheck.make_map(fr)
    assert m._core is core
    report = leakcheck.measure(
        "matches", leakcheck.match_kinds(m, fr), 20_000, batch=1_000, check_contexts=False
    )
    assert report.wrong_answers == 0, _problems(report)
    assert report.operations >= 19_000
    # Not one object left in a reference cycle by any kind of operation.
    assert report.cycles == {}, _problems(report)
    assert report.traced_growth < 128 * KiB, _problems(report)
    assert report.objects_growth < 200, _problems(report)


# --------------------------------------------------------------------------
# requests


def test_requests_leak_nothing_and_leave_no_context(core: t.Any) -> None:
    plain, full, wrapped = leakcheck.make_apps()
    assert plain.url_map._core is core and full.url_map._core is core
    kinds = leakcheck.request_kinds(plain, full, wrapped)
    report = leakcheck.measure("requests", kinds, 2_000, warmup=1_000, batch=200)
    assert report.wrong_answers == 0, _problems(report)
    assert report.contexts_left == 0, _problems(report)
    assert report.operations >= 1_900
    assert report.traced_growth < 512 * KiB, _problems(report)
    assert report.objects_growth < 500, _problems(report)
    extra = full.extensions["leakcheck"]
    assert extra["teardowns"]["request"] == extra["teardowns"]["app"] > 0
    assert not list(extra["local"])
    # The same workload on flask.Flask: no more reference cycles than it.
    theirs = leakcheck.measure(
        "flask",
        leakcheck.request_kinds(*leakcheck.make_apps(flask.Flask)),
        2_000,
        warmup=200,
        batch=200,
        trace=False,
    )
    assert theirs.wrong_answers == 0, _problems(theirs)
    assert not leakcheck.cycles_beyond_flask(report, theirs), (
        leakcheck.cycles_beyond_flask(report, theirs),
        _problems(report),
    )


def _request_kind_names() -> list[str]:
    # The names without building the apps at collection time would need a
    # second list to keep in sync; building them is cheap.
    return list(leakcheck.request_kinds(*leakcheck.make_apps()))


def _kinds_report(flask_class: type[t.Any]) -> leakcheck.Report:
    kinds = leakcheck.request_kinds(*leakcheck.make_apps(flask_class))
    return leakcheck.measure(
        flask_class.__module__, kinds, 25 * len(kinds), warmup=5 * len(kinds), batch=25, trace=False
    )


def test_each_request_kind_leaves_no_more_cycles_than_flask() -> None:
    ours, theirs = _kinds_report(Flask), _kinds_report(flask.Flask)
    assert set(ours.per_kind) == set(theirs.per_kind) == set(_request_kind_names())
    assert ours.wrong_answers == theirs.wrong_answers == 0, _problems(ours)
    assert ours.contexts_left == 0, _problems(ours)
    assert not leakcheck.cycles_beyond_flask(ours, theirs), (
        leakcheck.cycles_beyond_flask(ours, theirs),
        _problems(ours),
    )


# --------------------------------------------------------------------------
# the smallest apps


def _cycles_after(app: Flask, path: str, requests: int = 10) -> int:
    """Objects gc.collect() finds in reference cycles after *requests* calls of *app*."""

    def call() -> int:
        env = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "HTTP_HOST": "localhost",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
        }
        status: list[str] = []
        body = b"".join(app(env, lambda s, h, e=None: status.append(s)))
        assert body is not None
        return int(status[0][:3])

    call()  # warm-up
    enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(requests):
            call()
        gc.collect()
        return len(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()
        if enabled:
            gc.enable()


def _tiny_app(flask_class: type[t.Any] = Flask) -> t.Any:
    app = flask_class("cycles")

    @app.route("/ok")
    def ok() -> str:
        return "ok"

    @app.route("/abort")
    def aborting() -> str:
        abort(404)

    @app.route("/crash")
    def crash() -> str:
        raise RuntimeError("crash")

    app.logger.disabled = True
    return app


def test_success_response_leaves_no_cycle() -> None:
    # flask.Flask leaves some here: werkzeug's router's, which fastroute's has not.
    assert _cycles_after(_tiny_app(), "/ok") == 0


@pytest.mark.parametrize("path", ["/missing", "/abort", "/crash"])
def test_error_response_leaves_no_more_cycles_than_flask(path: str) -> None:
    assert _cycles_after(_tiny_app(), path) <= _cycles_after(_tiny_app(flask.Flask), path)


# --------------------------------------------------------------------------
# the harness catches what it looks for


def test_harness_catches_a_leak_of_one_object_per_operation() -> None:
    kept: list[t.Any] = []
    # A list is always GC-tracked (a dict of atomic values may be untracked:
    # then only the traced size shows it, as in the next test).
    report = leakcheck.measure("leaky", {"leak": lambda i: kept.append([i]) or None}, 2_000, warmup=100)
    assert report.objects_growth >= 2_000 > 500
    assert report.traced_growth > 128 * KiB
    assert report.cycles == {}


def test_harness_catches_a_leak_of_bytes() -> None:
    kept: list[bytes] = []
    # Not GC-tracked: only the traced size shows it.
    report = leakcheck.measure(
        "leaky", {"leak": lambda i: kept.append(b"%0300d" % i) or None}, 2_000, warmup=100
    )
    assert report.traced_growth > 512 * KiB


def test_harness_catches_cycles() -> None:
    def cyclic(i: int) -> None:
        a: list[t.Any] = [i]
        a.append(a)

    report = leakcheck.measure(
        "cycles", {"cyclic": cyclic, "clean": lambda i: None}, 1_000, warmup=10, batch=100
    )
    assert report.cycles == {"cyclic": 500}
    assert report.cycles_per_op("cyclic") == 1.0


def test_harness_catches_a_context_left_pushed() -> None:
    app = Flask("left")
    pushed: list[t.Any] = []

    def push(i: int) -> None:
        if i == 50:
            ctx = app.app_context()
            ctx.push()
            pushed.append(ctx)

    try:
        report = leakcheck.measure("left", {"push": push}, 100, warmup=0, trace=False)
    finally:
        for ctx in reversed(pushed):
            ctx.pop()
    assert report.contexts_left == 50


def test_rss_is_read() -> None:
    rss = leakcheck.rss_bytes()
    if sys.platform.startswith("linux"):
        assert rss is not None and rss > 1 << 20


def test_oversized_host_headers_are_not_cached() -> None:
    """The app's map caches what it works out per Host header (up to 512
    entries); a Host longer than any DNS name is answered but never cached,
    so distinct 64 KB headers cannot pin tens of MB."""
    app = Flask("host_cache")

    @app.route("/")
    def index() -> str:
        return "ok"

    client = app.test_client()
    for i in range(40):
        host = f"{i}{'a' * 65536}.example"
        assert client.get("/", headers={"Host": host}).status_code in (200, 400)
    assert client.get("/", headers={"Host": "example.com"}).data == b"ok"
    keys = list(app.url_map._environ_hosts)
    assert keys and all(len(key[0]) <= 300 for key in keys)
    assert app.url_map._bound_hosts and all(len(key) <= 300 for key in app.url_map._bound_hosts)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_recompiled_maps_free_their_matchers(core: t.Any) -> None:
    """Each compile makes a new matcher (the compiled core's tree is one C
    block outside the Python heap, invisible to tracemalloc); dropping maps,
    and recompiling one map, frees them: 60 maps of 1,000 rules, each
    compiled twice, would otherwise hold about 25 MB."""
    rules = [(f"/api/r{i}/items/<int:id>", f"r{i}") for i in range(500)]
    rules += [(f"/api/r{i}/static", f"s{i}") for i in range(500)]

    def build_and_match() -> None:
        m = fr.Map([fr.Rule(path, endpoint=endpoint) for path, endpoint in rules])
        adapter = m.bind("example.com")
        assert adapter.match("/api/r7/items/3") == ("r7", {"id": 3})
        m.add(fr.Rule("/extra", endpoint="extra"))  # a second compile of the same map
        assert adapter.match("/api/r9/static") == ("s9", {})

    for _ in range(10):
        build_and_match()
    gc.collect()
    before = leakcheck.rss_bytes()
    for _ in range(60):
        build_and_match()
    gc.collect()
    after = leakcheck.rss_bytes()
    assert before is not None and after is not None
    assert after - before < 8 << 20, f"RSS grew by {(after - before) >> 20} MB"
