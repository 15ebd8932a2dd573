"""pytest-benchmark setup: the ``router`` parametrisation and a per-op summary.

Every benchmark taking the ``router`` fixture runs once per available router
(``werkzeug``, fastroute, and ``falcon`` / ``sanic-routing`` / ``http-router``
when importable).  fastroute's ``Map``/``MapAdapter`` take their base classes
from the core chosen at import, so one process runs one fastroute
configuration as it really is: ``fastroute-compiled`` when the extension is
built, ``fastroute-pure`` with ``FASTROUTE_NO_EXTENSIONS=1`` (or without the
extension).  Run the suite once each way to get both; ``bench/report.py``
does that by itself.  Tests
parametrised with a ``table`` the router cannot take (custom converters,
redirects) or marked ``werkzeug_api`` are deselected for the other routers.

Run: ``pytest bench/ --benchmark-group-by=group`` (routers side by side per
table and case).  At the end a summary gives the median time per match (or
per build) of each router and its speed-up over werkzeug; for benchmarks that
run a whole request mix per round that is the round's median divided by the
number of requests (also stored as ``extra_info["median_ns_per_op"]``).
"""

from __future__ import annotations

import typing as t

import pytest

from fastroute.bench import runner
from harness import ROUTERS

# group -> router -> median seconds per operation
_RESULTS: dict[str, dict[str, float]] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "werkzeug_api: benchmarks werkzeug's own API (Map build, URL building); werkzeug and fastroute only",
    )


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"bench routers: {', '.join(ROUTERS)}"]
    for name, env in runner.child_fastroute().items():
        how = " ".join(f"{k}={v}" if v else f"{k}=" for k, v in env.items())
        lines.append(f"bench: {name} needs its own process: {how} pytest bench/")
    return lines


@pytest.fixture(params=ROUTERS)
def router(request: pytest.FixtureRequest) -> str:
    """The name of the router under test (see ``fastroute.bench.runner``)."""
    return t.cast(str, request.param)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, drop = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        params = params.params if params is not None else {}
        router = params.get("router")
        if router is None:
            keep.append(item)
            continue
        if item.get_closest_marker("werkzeug_api") is not None:
            supported = router in runner.WERKZEUG_FAMILY
        else:
            supported = runner.supports(router, runner.MATCH, params.get("table", "github"))
        (keep if supported else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def note(request: pytest.FixtureRequest, benchmark: t.Any) -> t.Callable[..., None]:
    """Call after ``benchmark(...)``: ``note(ops_per_round, **extra_info)``.

    Records the median per operation for the summary and in ``extra_info``.
    """

    def note(ops: int = 1, **extra: t.Any) -> None:
        benchmark.extra_info.update(extra)
        benchmark.extra_info["ops_per_round"] = ops
        stats = getattr(benchmark, "stats", None)
        if stats is None:  # --benchmark-disable
            return
        per_op = stats.stats.median / ops
        benchmark.extra_info["median_ns_per_op"] = round(per_op * 1e9, 1)
        router = request.node.callspec.params.get("router", "?")
        _RESULTS.setdefault(benchmark.group or request.node.name, {})[router] = per_op

    return note


def _fmt(seconds: float) -> str:
    ns = seconds * 1e9
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:.1f} us"
    return f"{ns:.0f} ns"


def pytest_terminal_summary(terminalreporter: t.Any) -> None:
    if not _RESULTS:
        return
    names = [r for r in ROUTERS if any(r in row for row in _RESULTS.values())]
    width = max(len(g) for g in _RESULTS) + 2
    tr = terminalreporter
    tr.write_sep("=", "median per operation (x = speed-up over werkzeug)")
    tr.write_line("group".ljust(width) + "".join(n.rjust(22) for n in names))
    for group in sorted(_RESULTS):
        row = _RESULTS[group]
        base = row.get("werkzeug")
        cells = []
        for name in names:
            if name not in row:
                cells.append("-".rjust(22))
                continue
            text = _fmt(row[name])
            if base and name != "werkzeug":
                text += f" ({base / row[name]:.2f}x)"
            cells.append(text.rjust(22))
        tr.write_line(group.ljust(width) + "".join(cells))
