"""Leaks and reference cycles: the checks of ``scripts/leaks.py`` with small counts.

The workloads and the measuring are in ``tests/leakcheck.py``.  Matching
runs on both matcher cores (the ``core`` fixture); the app and the context
locals use the process's cores (CI runs the suite once more with
``FASTROUTE_NO_EXTENSIONS=1``).

The bounds are far below what a leak of one object per operation would
add (the harness self-tests below show that such leaks are caught) and far
above the noise of the bounded caches (host names, error pages) after the
warm-up.  Nothing here asserts on time.
"""

from __future__ import annotations

import gc
import io
import sys
import typing as t

import pytest

import fastroute.routing as fr
import leakcheck
from fastroute import Flask, abort, has_app_context, has_request_context

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
    # No request kind leaves a reference cycle (each is also checked on its
    # own in test_request_kind_leaves_no_cycle).
    assert not report.cycles, _problems(report)
    extra = full.extensions["leakcheck"]
    assert extra["teardowns"]["request"] == extra["teardowns"]["app"] > 0
    assert not list(extra["local"])


def _request_kind_names() -> list[str]:
    # The names without building the apps at collection time would need a
    # second list to keep in sync; building them is cheap.
    return list(leakcheck.request_kinds(*leakcheck.make_apps()))


@pytest.mark.parametrize("kind", _request_kind_names())
def test_request_kind_leaves_no_cycle(kind: str) -> None:
    kinds = leakcheck.request_kinds(*leakcheck.make_apps())
    report = leakcheck.measure(kind, {kind: kinds[kind]}, 60, warmup=20, batch=60, trace=False)
    assert report.wrong_answers == 0, _problems(report)
    assert report.contexts_left == 0, _problems(report)
    assert report.cycles == {}, _problems(report)


# --------------------------------------------------------------------------
# the bug, reduced


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


def _tiny_app() -> Flask:
    app = Flask("cycles")

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
    assert _cycles_after(_tiny_app(), "/ok") == 0


@pytest.mark.parametrize("path", ["/missing", "/abort"])
def test_http_error_response_leaves_no_cycle(path: str) -> None:
    # Regression: an error response used to leave ~30 objects in a cycle:
    # NotFound.__traceback__ -> tb_frame (Flask._dispatch_value) ->
    # f_locals['rv'] -> the NotFound, and through f_back to _wsgi_fast.
    assert _cycles_after(_tiny_app(), path) == 0


def test_unhandled_exception_response_leaves_no_cycle() -> None:
    # Regression: RuntimeError.__traceback__ -> tb_frame (Flask._wsgi_fast)
    # -> f_locals['error'] -> the RuntimeError.
    assert _cycles_after(_tiny_app(), "/crash") == 0


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
    """The app caches the server name per Host header (up to 512 entries);
    a Host longer than any DNS name is answered but never cached, so distinct
    64 KB headers cannot pin tens of MB."""
    app = Flask("host_cache")

    @app.route("/")
    def index() -> str:
        return "ok"

    client = app.test_client()
    for i in range(40):
        host = f"{i}{'a' * 65536}.example"
        assert client.get("/", headers={"Host": host}).status_code in (200, 400)
    assert client.get("/", headers={"Host": "example.com"}).data == b"ok"
    keys = list(app._host_cache)
    assert keys and all(len(key[0]) <= 300 for key in keys)


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
