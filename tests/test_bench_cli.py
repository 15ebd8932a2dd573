"""``python -m fastroute bench``: a smoke run (no timing assertions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import fastroute
from fastroute.bench import tables

SRC = str(Path(fastroute.__file__).resolve().parent.parent)


def test_shipped_tables_load() -> None:
    sizes = {name: len(tables.get_table(name)) for name in tables.FILE_TABLES}
    assert sizes == {"github": 203, "static": 157, "gplus": 13, "parse": 26}
    for n in tables.SCALING_SIZES:
        assert len(tables.get_table(f"rest{n}")) == n


def test_requests_are_labelled_and_deterministic() -> None:
    hits = tables.case_requests("github", "hits", 30)
    assert {r.kind for r in hits} == {"hit"}
    assert hits == tables.case_requests.__wrapped__("github", "hits", 30)
    assert {r.kind for r in tables.case_requests("github-slash", "redirects", 10)} == {"redirect"}


@pytest.mark.parametrize(
    ("table", "case"),
    [
        ("regex600", "mix"),  # 600 custom converters
        ("siblings2000", "mix"),
        ("rest1000", tables.FIRST_ROUTES),
        ("param20", "Param20"),
        ("gplus", "2Params"),
        ("github-slash", "RedirectParam"),
    ],
)
def test_bench_suite_cases_agree_with_werkzeug(table: str, case: str) -> None:
    """The tables and cases only ``bench/`` measures: werkzeug answers every
    request as the reference labelled it, and this process's fastroute as
    werkzeug does (the check ``bench/`` runs before timing)."""
    from fastroute.bench import runner

    session = runner.Session(runner.Settings.of("smoke"), [runner.WERKZEUG])
    router = runner.in_process_fastroute()
    match, pairs = session.checked_match(router, table, case)
    requests = tables.case_requests(table, case, session.settings.requests)
    assert [(r.method, r.path) for r in requests] == pairs
    want = "redirect" if tables.get_table(table).redirects else "hit"
    assert {r.kind for r in requests} <= {want, "404", "405"}
    answers = [runner.describe(match(method, path)) for method, path in pairs]
    assert [a[0] for a in answers] == [r.kind for r in requests]
    assert answers == session.expected(runner.MATCH, table, case)


def test_bench_smoke_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")])))
    done = subprocess.run(
        [sys.executable, "-m", "fastroute", "bench", "--smoke", "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Matching, per request" in done.stdout
    assert "Scaling: Map build" in done.stdout
    assert "github hits" in done.stdout and "github-slash redirects" in done.stdout
    assert "werkzeug & in-process routers [" in done.stderr  # the progress bar
    doc = json.loads(out.read_text(encoding="utf-8"))
    routers = set(doc["routers"])
    assert {"werkzeug", "fastroute-pure"} <= routers
    assert {r["router"] for r in doc["results"]} == routers
    sections = {r["section"] for r in doc["results"]}
    assert sections == {"tables", "build", "scaling", "map build"}
    for r in doc["results"]:
        assert r["median_ns"] > 0
        if r["router"] != "werkzeug":
            assert r["ratio_vs_werkzeug"] > 0


def test_bench_plot_without_matplotlib_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "matplotlib.py").write_text("raise ImportError('blocked for the test')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(blocker), SRC]))
    done = subprocess.run(
        [sys.executable, "-m", "fastroute", "bench", "--smoke", "--plot", str(tmp_path / "x.png")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "pip install matplotlib" in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_bench_plot_draws_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from fastroute.bench import plot

    doc = {
        "fastroute": "x", "werkzeug": "y", "python": "z", "mode": "smoke",
        "routers": ["werkzeug", "fastroute-compiled"],
        "results": [
            {"section": s, "kind": "match", "table": tb, "case": c, "rules": n, "router": r, "median_ns": v}
            for s, tb, c, n in [("scaling", "rest10", "mix", 10), ("scaling", "rest100", "mix", 100),
                                ("map build", "rest10", "build", 10), ("tables", "github", "hits", 203)]
            for r, v in [("werkzeug", 5000.0), ("fastroute-compiled", 400.0)]
        ],
    }  # fmt: skip
    target = tmp_path / "bench.png"
    plot.plot(doc, str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_command_line_has_bench_only() -> None:
    # The app commands are Flask's (`flask run`, `flask routes`: tests/test_app_server.py).
    from fastroute.__main__ import build_parser

    parser = build_parser()
    assert parser.parse_args(["bench", "--quick"]).quick
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "app:app"])
